// bridge.cpp: the extern "C" bridge from Go (cgo) to the MLX C++ SDK.
// Each entry point catches every C++ exception and returns its message, so no
// exception unwinds into Go frames. See bridge.h for the contract.
#include "bridge.h"

#include <atomic>
#include <chrono>
#include <complex>
#include <mutex>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "mlx/mlx.h"

namespace mx = mlx::core;

struct mlxg_array_s {
  mx::array a;
};
struct mlxg_vec_s {
  std::vector<mx::array> v;
};
struct mlxg_vag_s {
  mx::ValueAndGradFn f;
};

// Exported by the Go side (callback.go).
extern "C" char* mlxgoCall(uintptr_t fn, mlxg_arr* in, int n, mlxg_vec out);

namespace {

char* dup_err(const char* msg) {
  size_t n = std::strlen(msg);
  char* s = static_cast<char*>(std::malloc(n + 1));
  std::memcpy(s, msg, n + 1);
  return s;
}

// MLX's default streams are per OS thread, but Go moves goroutines between
// threads: a graph built on one thread must evaluate on another. So every
// thread that enters the bridge adopts one process-wide stream per device,
// made once with new_thread_unsafe_stream.
struct SharedStreams {
  mx::Stream cpu;
  std::optional<mx::Stream> gpu;
  SharedStreams() : cpu(mx::new_thread_unsafe_stream(mx::Device(mx::Device::cpu))) {
    if (mx::is_available(mx::Device(mx::Device::gpu))) {
      gpu = mx::new_thread_unsafe_stream(mx::Device(mx::Device::gpu));
    }
  }
};

// The default device chosen through the bridge, applied to each thread as it
// enters (MLX may keep it per thread too). -1: MLX's own default.
std::atomic<int> g_device{-1};
std::atomic<int> g_device_gen{0};

void ensure_thread() {
  static SharedStreams shared;
  thread_local bool ready = false;
  thread_local int seen_gen = 0;
  if (!ready) {
    mx::set_default_stream(shared.cpu);
    if (shared.gpu) mx::set_default_stream(*shared.gpu);
    ready = true;
  }
  int gen = g_device_gen.load(std::memory_order_acquire);
  if (gen != seen_gen) {
    int d = g_device.load();
    if (d >= 0) mx::set_default_device(mx::Device(d == 1 ? mx::Device::gpu : mx::Device::cpu));
    seen_gen = gen;
  }
}

template <typename F>
mlxg_err guard(F&& f) {
  try {
    ensure_thread();
    f();
    return nullptr;
  } catch (const std::exception& e) {
    return dup_err(e.what());
  } catch (...) {
    return dup_err("unknown C++ exception");
  }
}

// Dtype codes in the order of the Go constants.
const mx::Dtype kDtypes[] = {
    mx::bool_,   mx::uint8,   mx::uint16,  mx::uint32, mx::uint64,
    mx::int8,    mx::int16,   mx::int32,   mx::int64,  mx::float16,
    mx::bfloat16, mx::float32, mx::float64, mx::complex64,
};
constexpr int kNumDtypes = sizeof(kDtypes) / sizeof(kDtypes[0]);

mx::Dtype to_dtype(int code) {
  if (code < 0 || code >= kNumDtypes) {
    throw std::invalid_argument("unknown dtype code " + std::to_string(code));
  }
  return kDtypes[code];
}

int from_dtype(mx::Dtype d) {
  for (int i = 0; i < kNumDtypes; i++) {
    if (kDtypes[i] == d) return i;
  }
  return -1;
}

mlxg_arr wrap(mx::array a) { return new mlxg_array_s{std::move(a)}; }

mx::Shape to_shape(const int* s, int n) { return mx::Shape(s, s + n); }
std::vector<int> to_ints(const int* s, int n) { return std::vector<int>(s, s + n); }

std::vector<mx::array> to_arrays(mlxg_arr* arrs, int n) {
  std::vector<mx::array> v;
  v.reserve(n);
  for (int i = 0; i < n; i++) v.push_back(arrs[i]->a);
  return v;
}

std::vector<int> all_axes(const mx::array& a) {
  std::vector<int> axes(a.ndim());
  for (int i = 0; i < a.ndim(); i++) axes[i] = i;
  return axes;
}

// Source kinds of host data passed in by Go: 0 float64, 1 int64, 2 bool (uint8), 3 complex128.
template <typename T>
mx::array from_host(const void* data, int kind, size_t n, mx::Shape shape) {
  std::vector<T> buf(n);
  switch (kind) {
    case 0: {
      auto p = static_cast<const double*>(data);
      for (size_t i = 0; i < n; i++) buf[i] = static_cast<T>(p[i]);
      break;
    }
    case 1: {
      auto p = static_cast<const int64_t*>(data);
      for (size_t i = 0; i < n; i++) buf[i] = static_cast<T>(p[i]);
      break;
    }
    case 2: {
      auto p = static_cast<const uint8_t*>(data);
      for (size_t i = 0; i < n; i++) buf[i] = static_cast<T>(p[i] != 0);
      break;
    }
    default:
      throw std::invalid_argument("bad host data kind");
  }
  // Name float64 explicitly: MLX's TypeToDtype<double> is float32.
  mx::Dtype dt = std::is_same_v<T, double> ? mx::float64 : mx::Dtype(mx::TypeToDtype<T>());
  return mx::array(buf.begin(), std::move(shape), dt);
}

mx::array make_array(const void* data, int kind, mx::Shape shape, mx::Dtype dt) {
  size_t n = 1;
  for (auto d : shape) n *= d;
  if (kind == 3) {  // complex128
    auto p = static_cast<const double*>(data);
    std::vector<mx::complex64_t> buf(n);
    for (size_t i = 0; i < n; i++) buf[i] = mx::complex64_t(float(p[2 * i]), float(p[2 * i + 1]));
    auto c = mx::array(buf.begin(), std::move(shape), mx::complex64);
    return dt == mx::complex64 ? c : mx::astype(c, dt, mx::Device::cpu);
  }
  switch (dt) {
    case mx::bool_: return from_host<bool>(data, kind, n, std::move(shape));
    case mx::uint8: return from_host<uint8_t>(data, kind, n, std::move(shape));
    case mx::uint16: return from_host<uint16_t>(data, kind, n, std::move(shape));
    case mx::uint32: return from_host<uint32_t>(data, kind, n, std::move(shape));
    case mx::uint64: return from_host<uint64_t>(data, kind, n, std::move(shape));
    case mx::int8: return from_host<int8_t>(data, kind, n, std::move(shape));
    case mx::int16: return from_host<int16_t>(data, kind, n, std::move(shape));
    case mx::int32: return from_host<int32_t>(data, kind, n, std::move(shape));
    case mx::int64: return from_host<int64_t>(data, kind, n, std::move(shape));
    case mx::float32: return from_host<float>(data, kind, n, std::move(shape));
    case mx::float64: return from_host<double>(data, kind, n, std::move(shape));
    default: {
      // float16, bfloat16, complex64 from real data: go through float32/float64.
      auto f = kind == 0 ? from_host<double>(data, kind, n, std::move(shape))
                         : from_host<int64_t>(data, kind, n, std::move(shape));
      return mx::astype(f, dt, mx::Device::cpu);
    }
  }
}

template <typename T>
void copy_out(const mx::array& c, void* out) {
  std::memcpy(out, c.data<T>(), c.size() * sizeof(T));
}

mx::StreamOrDevice cpu() { return mx::Device(mx::Device::cpu); }

// MLX's default random key sequence is per OS thread; goroutines move between
// threads, so Seed and the draws would use different sequences. One
// process-wide sequence, guarded by a mutex, gives every draw an explicit key.
struct GlobalKeys {
  std::mutex mu;
  mx::random::KeySequence seq;
  GlobalKeys()
      : seq(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count())) {}
};

GlobalKeys& global_keys() {
  static GlobalKeys keys;
  return keys;
}

mx::array next_key() {
  auto& g = global_keys();
  std::lock_guard<std::mutex> lock(g.mu);
  return g.seq.next();
}

}  // namespace

#include "ops_gen.h"

extern "C" {

void mlxg_free_str(char* s) { std::free(s); }
void mlxg_free(mlxg_arr a) { delete a; }
mlxg_arr mlxg_copy_handle(mlxg_arr a) { return wrap(a->a); }

mlxg_vec mlxg_vec_new(void) { return new mlxg_vec_s{}; }
void mlxg_vec_free(mlxg_vec v) { delete v; }
int mlxg_vec_size(mlxg_vec v) { return static_cast<int>(v->v.size()); }
mlxg_arr mlxg_vec_get(mlxg_vec v, int i) { return wrap(v->v[i]); }
void mlxg_vec_push(mlxg_vec v, mlxg_arr a) { v->v.push_back(a->a); }

int mlxg_ndim(mlxg_arr a) { return static_cast<int>(a->a.ndim()); }
int mlxg_dtype(mlxg_arr a) { return from_dtype(a->a.dtype()); }
void mlxg_shape(mlxg_arr a, int* shape) {
  for (size_t i = 0; i < a->a.ndim(); i++) shape[i] = a->a.shape(i);
}
int64_t mlxg_size(mlxg_arr a) { return static_cast<int64_t>(a->a.size()); }
int mlxg_is_tracer(mlxg_arr a) { return a->a.is_tracer() ? 1 : 0; }

mlxg_err mlxg_from_data(const void* data, int src_kind, const int* shape, int ndim, int dtype,
                        mlxg_arr* out) {
  return guard([&] { *out = wrap(make_array(data, src_kind, to_shape(shape, ndim), to_dtype(dtype))); });
}

mlxg_err mlxg_scalar(double re, double im, int64_t iv, int src_kind, int dtype, mlxg_arr* out) {
  return guard([&] {
    auto dt = to_dtype(dtype);
    switch (src_kind) {
      case 0:
        *out = wrap(mx::array(re, dt));
        return;
      case 1:
        // int64 values keep full precision when the target is an integer type.
        *out = wrap(mx::issubdtype(dt, mx::integer) || dt == mx::bool_ ? mx::array(iv, dt)
                                                                       : mx::array(static_cast<double>(iv), dt));
        return;
      case 2:
        *out = wrap(mx::array(re != 0, dt));
        return;
      default:
        *out = wrap(mx::array(mx::complex64_t(float(re), float(im)), dt));
    }
  });
}

mlxg_err mlxg_full(const int* shape, int ndim, mlxg_arr v, int dtype, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::full(to_shape(shape, ndim), v->a, to_dtype(dtype))); });
}

mlxg_err mlxg_arange(double start, double stop, double step, int dtype, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::arange(start, stop, step, to_dtype(dtype))); });
}

mlxg_err mlxg_linspace(double start, double stop, int n, int dtype, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::linspace(start, stop, n, to_dtype(dtype))); });
}

mlxg_err mlxg_eye(int n, int m, int k, int dtype, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::eye(n, m, k, to_dtype(dtype))); });
}

mlxg_err mlxg_astype(mlxg_arr a, int dtype, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::astype(a->a, to_dtype(dtype))); });
}

mlxg_err mlxg_eval(mlxg_arr* arrs, int n) {
  return guard([&] { mx::eval(to_arrays(arrs, n)); });
}

mlxg_err mlxg_read(mlxg_arr a, int dtype, void* out) {
  return guard([&] {
    auto dt = to_dtype(dtype);
    mx::array c = a->a.dtype() == dt ? a->a : mx::astype(a->a, dt, mx::Device::cpu);
    c.eval();
    if (!c.flags().row_contiguous || c.data_size() != c.size()) {
      c = mx::contiguous(c, false, mx::Device::cpu);
      // A broadcast view is row-contiguous in flags only when fully materialised;
      // flatten through a copy to be sure.
      c.eval();
      if (c.data_size() != c.size()) {
        c = mx::copy(mx::broadcast_to(c, c.shape()), mx::Device::cpu);
        c.eval();
      }
    }
    c.wait();
    switch (dt) {
      case mx::bool_: copy_out<bool>(c, out); break;
      case mx::int32: copy_out<int32_t>(c, out); break;
      case mx::int64: copy_out<int64_t>(c, out); break;
      case mx::float32: copy_out<float>(c, out); break;
      case mx::float64: copy_out<double>(c, out); break;
      case mx::complex64: copy_out<mx::complex64_t>(c, out); break;
      case mx::uint8: copy_out<uint8_t>(c, out); break;
      default: throw std::invalid_argument("cannot read this dtype directly");
    }
  });
}

mlxg_err mlxg_unary(int op, mlxg_arr a, mlxg_arr* out) {
  return guard([&] { *out = wrap(unary_op(op, a->a)); });
}

mlxg_err mlxg_binary(int op, mlxg_arr a, mlxg_arr b, mlxg_arr* out) {
  return guard([&] { *out = wrap(binary_op(op, a->a, b->a)); });
}

mlxg_err mlxg_reduce(int op, mlxg_arr a, const int* axes, int naxes, int keep, int ddof, mlxg_arr* out) {
  return guard([&] {
    auto ax = naxes < 0 ? all_axes(a->a) : to_ints(axes, naxes);
    *out = wrap(reduce_op(op, a->a, ax, keep != 0, ddof));
  });
}

mlxg_err mlxg_argreduce(int is_max, mlxg_arr a, int axis, int has_axis, int keep, mlxg_arr* out) {
  return guard([&] {
    if (has_axis) {
      *out = wrap(is_max ? mx::argmax(a->a, axis, keep != 0) : mx::argmin(a->a, axis, keep != 0));
    } else {
      *out = wrap(is_max ? mx::argmax(a->a, keep != 0) : mx::argmin(a->a, keep != 0));
    }
  });
}

mlxg_err mlxg_scan(int op, mlxg_arr a, int axis, int has_axis, int reverse, int inclusive, mlxg_arr* out) {
  return guard([&] {
    mx::array x = has_axis ? a->a : mx::flatten(a->a);
    int ax = has_axis ? axis : 0;
    switch (op) {
      case 0: *out = wrap(mx::cumsum(x, ax, reverse != 0, inclusive != 0)); break;
      case 1: *out = wrap(mx::cumprod(x, ax, reverse != 0, inclusive != 0)); break;
      case 2: *out = wrap(mx::cummax(x, ax, reverse != 0, inclusive != 0)); break;
      default: *out = wrap(mx::cummin(x, ax, reverse != 0, inclusive != 0)); break;
    }
  });
}

mlxg_err mlxg_where(mlxg_arr c, mlxg_arr x, mlxg_arr y, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::where(c->a, x->a, y->a)); });
}

mlxg_err mlxg_clip(mlxg_arr a, mlxg_arr lo, mlxg_arr hi, mlxg_arr* out) {
  return guard([&] {
    std::optional<mx::array> l, h;
    if (lo) l = lo->a;
    if (hi) h = hi->a;
    *out = wrap(mx::clip(a->a, l, h));
  });
}

mlxg_err mlxg_isclose(mlxg_arr a, mlxg_arr b, double rtol, double atol, int equal_nan, int all,
                      mlxg_arr* out) {
  return guard([&] {
    *out = wrap(all ? mx::allclose(a->a, b->a, rtol, atol, equal_nan != 0)
                    : mx::isclose(a->a, b->a, rtol, atol, equal_nan != 0));
  });
}

mlxg_err mlxg_reshape(mlxg_arr a, const int* shape, int n, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::reshape(a->a, to_shape(shape, n))); });
}

mlxg_err mlxg_transpose(mlxg_arr a, const int* axes, int n, mlxg_arr* out) {
  return guard([&] { *out = wrap(n < 0 ? mx::transpose(a->a) : mx::transpose(a->a, to_ints(axes, n))); });
}

mlxg_err mlxg_squeeze(mlxg_arr a, const int* axes, int n, mlxg_arr* out) {
  return guard([&] { *out = wrap(n < 0 ? mx::squeeze(a->a) : mx::squeeze(a->a, to_ints(axes, n))); });
}

mlxg_err mlxg_expand_dims(mlxg_arr a, const int* axes, int n, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::expand_dims(a->a, to_ints(axes, n))); });
}

mlxg_err mlxg_broadcast_to(mlxg_arr a, const int* shape, int n, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::broadcast_to(a->a, to_shape(shape, n))); });
}

mlxg_err mlxg_concatenate(mlxg_arr* arrs, int n, int axis, int stack, mlxg_arr* out) {
  return guard([&] {
    auto v = to_arrays(arrs, n);
    *out = wrap(stack ? mx::stack(v, axis) : mx::concatenate(v, axis));
  });
}

mlxg_err mlxg_split(mlxg_arr a, int sections, const int* indices, int nindices, int axis, mlxg_vec* out) {
  return guard([&] {
    auto parts = nindices < 0 ? mx::split(a->a, sections, axis) : mx::split(a->a, to_shape(indices, nindices), axis);
    *out = new mlxg_vec_s{std::move(parts)};
  });
}

mlxg_err mlxg_tile(mlxg_arr a, const int* reps, int n, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::tile(a->a, to_ints(reps, n))); });
}

mlxg_err mlxg_repeat(mlxg_arr a, int repeats, int axis, int has_axis, mlxg_arr* out) {
  return guard([&] { *out = wrap(has_axis ? mx::repeat(a->a, repeats, axis) : mx::repeat(a->a, repeats)); });
}

mlxg_err mlxg_pad(mlxg_arr a, const int* widths, int naxes, mlxg_arr value, mlxg_arr* out) {
  return guard([&] {
    std::vector<std::pair<int, int>> w;
    for (int i = 0; i < naxes; i++) w.emplace_back(widths[2 * i], widths[2 * i + 1]);
    *out = wrap(mx::pad(a->a, w, value->a));
  });
}

mlxg_err mlxg_sort(int arg, mlxg_arr a, int axis, int has_axis, mlxg_arr* out) {
  return guard([&] {
    if (has_axis) {
      *out = wrap(arg ? mx::argsort(a->a, axis) : mx::sort(a->a, axis));
    } else {
      *out = wrap(arg ? mx::argsort(a->a) : mx::sort(a->a));
    }
  });
}

mlxg_err mlxg_topk(mlxg_arr a, int k, int axis, int has_axis, mlxg_arr* out) {
  return guard([&] { *out = wrap(has_axis ? mx::topk(a->a, k, axis) : mx::topk(a->a, k)); });
}

mlxg_err mlxg_take(mlxg_arr a, mlxg_arr idx, int axis, int has_axis, mlxg_arr* out) {
  return guard([&] { *out = wrap(has_axis ? mx::take(a->a, idx->a, axis) : mx::take(a->a, idx->a)); });
}

mlxg_err mlxg_slice(mlxg_arr a, const int* start, const int* stop, const int* strides, int n, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::slice(a->a, to_shape(start, n), to_shape(stop, n), to_shape(strides, n))); });
}

mlxg_err mlxg_tensordot(mlxg_arr a, mlxg_arr b, int axes, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::tensordot(a->a, b->a, axes)); });
}

mlxg_err mlxg_round(mlxg_arr a, int decimals, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::round(a->a, decimals)); });
}

mlxg_err mlxg_linalg_unary(int op, mlxg_arr a, mlxg_arr* out) {
  return guard([&] {
    switch (op) {
      case 0: *out = wrap(mx::linalg::inv(a->a, cpu())); break;
      case 1: *out = wrap(mx::linalg::pinv(a->a, cpu())); break;
      case 2: *out = wrap(mx::linalg::cholesky(a->a, false, cpu())); break;
      default: *out = wrap(mx::linalg::cholesky(a->a, true, cpu())); break;
    }
  });
}

mlxg_err mlxg_solve(mlxg_arr a, mlxg_arr b, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::linalg::solve(a->a, b->a, cpu())); });
}

mlxg_err mlxg_linalg_multi(int op, mlxg_arr a, mlxg_vec* out) {
  return guard([&] {
    std::vector<mx::array> v;
    switch (op) {
      case 0: {
        auto [q, r] = mx::linalg::qr(a->a, cpu());
        v = {q, r};
        break;
      }
      case 1:
        v = mx::linalg::svd(a->a, true, cpu());
        break;
      default: {
        auto [w, vec] = mx::linalg::eigh(a->a, "L", cpu());
        v = {w, vec};
      }
    }
    *out = new mlxg_vec_s{std::move(v)};
  });
}

mlxg_err mlxg_norm(mlxg_arr a, double ord, int has_ord, const int* axes, int naxes, int keep, mlxg_arr* out) {
  return guard([&] {
    std::optional<std::vector<int>> ax;
    if (naxes >= 0) ax = to_ints(axes, naxes);
    *out = wrap(has_ord ? mx::linalg::norm(a->a, ord, ax, keep != 0, cpu())
                        : mx::linalg::norm(a->a, ax, keep != 0, cpu()));
  });
}

mlxg_err mlxg_fft(int op, mlxg_arr a, int n, int axis, mlxg_arr* out) {
  return guard([&] {
    switch (op) {
      case 0: *out = wrap(n < 0 ? mx::fft::fft(a->a, axis) : mx::fft::fft(a->a, n, axis)); break;
      case 1: *out = wrap(n < 0 ? mx::fft::ifft(a->a, axis) : mx::fft::ifft(a->a, n, axis)); break;
      case 2: *out = wrap(n < 0 ? mx::fft::rfft(a->a, axis) : mx::fft::rfft(a->a, n, axis)); break;
      case 3: *out = wrap(n < 0 ? mx::fft::irfft(a->a, axis) : mx::fft::irfft(a->a, n, axis)); break;
      case 4: *out = wrap(mx::fft::fft2(a->a)); break;
      default: *out = wrap(mx::fft::ifft2(a->a)); break;
    }
  });
}

mlxg_err mlxg_seed(uint64_t seed) {
  return guard([&] {
    auto& g = global_keys();
    std::lock_guard<std::mutex> lock(g.mu);
    g.seq.seed(seed);
  });
}

mlxg_err mlxg_random_normal(const int* shape, int n, int dtype, double loc, double scale, mlxg_arr* out) {
  return guard([&] {
    *out = wrap(mx::random::normal(to_shape(shape, n), to_dtype(dtype), float(loc), float(scale), next_key()));
  });
}

mlxg_err mlxg_random_uniform(mlxg_arr lo, mlxg_arr hi, const int* shape, int n, int dtype, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::random::uniform(lo->a, hi->a, to_shape(shape, n), to_dtype(dtype), next_key())); });
}

mlxg_err mlxg_random_int(mlxg_arr lo, mlxg_arr hi, const int* shape, int n, int dtype, mlxg_arr* out) {
  return guard([&] { *out = wrap(mx::random::randint(lo->a, hi->a, to_shape(shape, n), to_dtype(dtype), next_key())); });
}

mlxg_err mlxg_bernoulli(mlxg_arr p, const int* shape, int n, int has_shape, mlxg_arr* out) {
  return guard([&] {
    *out = wrap(has_shape ? mx::random::bernoulli(p->a, to_shape(shape, n), next_key())
                          : mx::random::bernoulli(p->a, next_key()));
  });
}

mlxg_err mlxg_categorical(mlxg_arr logits, int axis, int num_samples, mlxg_arr* out) {
  return guard([&] {
    *out = wrap(num_samples > 0 ? mx::random::categorical(logits->a, axis, num_samples, next_key())
                                : mx::random::categorical(logits->a, axis, next_key()));
  });
}

mlxg_err mlxg_permutation(mlxg_arr x, int n, int axis, mlxg_arr* out) {
  return guard([&] { *out = wrap(x ? mx::random::permutation(x->a, axis, next_key()) : mx::random::permutation(n, next_key())); });
}

int mlxg_default_device(void) {
  int d = g_device.load();
  if (d >= 0) return d;
  return mx::default_device().type == mx::Device::gpu ? 1 : 0;
}

mlxg_err mlxg_set_default_device(int gpu) {
  return guard([&] {
    mx::set_default_device(mx::Device(gpu ? mx::Device::gpu : mx::Device::cpu));
    g_device.store(gpu ? 1 : 0);
    g_device_gen.fetch_add(1, std::memory_order_release);
  });
}

int mlxg_has_gpu(void) {
  try {
    return mx::is_available(mx::Device(mx::Device::gpu)) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

size_t mlxg_active_memory(void) { return mx::get_active_memory(); }
size_t mlxg_peak_memory(void) { return mx::get_peak_memory(); }
size_t mlxg_cache_memory(void) { return mx::get_cache_memory(); }
void mlxg_clear_cache(void) { mx::clear_cache(); }

}  // extern "C"

namespace {

// go_fn wraps the Go callback fn as an MLX function of arrays.
std::function<std::vector<mx::array>(const std::vector<mx::array>&)> go_fn(uintptr_t fn) {
  return [fn](const std::vector<mx::array>& in) {
    std::vector<mlxg_arr> handles;
    handles.reserve(in.size());
    for (auto& a : in) handles.push_back(wrap(a));
    mlxg_vec_s out;
    char* err = mlxgoCall(fn, handles.data(), static_cast<int>(handles.size()), &out);
    for (auto h : handles) delete h;
    if (err) {
      std::string msg(err);
      std::free(err);
      throw std::runtime_error(msg);
    }
    return std::move(out.v);
  };
}

}  // namespace

extern "C" {

mlxg_err mlxg_vag_new(uintptr_t fn, const int* argnums, int n, mlxg_vag* out) {
  return guard([&] {
    auto f = mx::value_and_grad(go_fn(fn), to_ints(argnums, n));
    *out = new mlxg_vag_s{std::move(f)};
  });
}

void mlxg_vag_free(mlxg_vag v) { delete v; }

mlxg_err mlxg_vag_call(mlxg_vag v, mlxg_arr* args, int n, mlxg_vec* outs) {
  return guard([&] {
    auto [vals, grads] = v->f(to_arrays(args, n));
    auto r = new mlxg_vec_s{};
    r->v = std::move(vals);
    for (auto& g : grads) r->v.push_back(std::move(g));
    *outs = r;
  });
}

mlxg_err mlxg_vjp(uintptr_t fn, mlxg_arr* primals, int np, mlxg_arr* cots, int nc, mlxg_vec* outs,
                  mlxg_vec* vjps) {
  return guard([&] {
    auto [o, g] = mx::vjp(go_fn(fn), to_arrays(primals, np), to_arrays(cots, nc));
    *outs = new mlxg_vec_s{std::move(o)};
    *vjps = new mlxg_vec_s{std::move(g)};
  });
}

mlxg_err mlxg_jvp(uintptr_t fn, mlxg_arr* primals, int np, mlxg_arr* tans, int nt, mlxg_vec* outs,
                  mlxg_vec* jvps) {
  return guard([&] {
    auto [o, g] = mx::jvp(go_fn(fn), to_arrays(primals, np), to_arrays(tans, nt));
    *outs = new mlxg_vec_s{std::move(o)};
    *jvps = new mlxg_vec_s{std::move(g)};
  });
}

const char* mlxg_version(void) { return mx::version(); }

}  // extern "C"

// bridge.h: the extern "C" surface over the MLX C++ SDK that the mlx package
// calls through cgo. Every function that can fail returns NULL on success or a
// malloc'd error message (free it with mlxg_free_str); no C++ exception ever
// crosses this boundary.
#ifndef MLXGO_BRIDGE_H
#define MLXGO_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// An opaque owned handle to one mlx::core::array.
typedef struct mlxg_array_s* mlxg_arr;
// An opaque owned handle to a std::vector of arrays (multi-output ops).
typedef struct mlxg_vec_s* mlxg_vec;
// An opaque owned handle to a built value_and_grad transform.
typedef struct mlxg_vag_s* mlxg_vag;
typedef char* mlxg_err;

void mlxg_free_str(char* s);
void mlxg_free(mlxg_arr a);
mlxg_arr mlxg_copy_handle(mlxg_arr a);

// Vectors of arrays.
mlxg_vec mlxg_vec_new(void);
void mlxg_vec_free(mlxg_vec v);
int mlxg_vec_size(mlxg_vec v);
mlxg_arr mlxg_vec_get(mlxg_vec v, int i);  // new handle
void mlxg_vec_push(mlxg_vec v, mlxg_arr a);

// Metadata. shape must have room for mlxg_ndim(a) ints.
int mlxg_ndim(mlxg_arr a);
int mlxg_dtype(mlxg_arr a);
void mlxg_shape(mlxg_arr a, int* shape);
int64_t mlxg_size(mlxg_arr a);
int mlxg_is_tracer(mlxg_arr a);

// Creation. dtype codes are the mlx package's Dtype values.
mlxg_err mlxg_from_data(const void* data, int src_kind, const int* shape, int ndim, int dtype, mlxg_arr* out);
mlxg_err mlxg_scalar(double re, double im, int64_t iv, int src_kind, int dtype, mlxg_arr* out);
mlxg_err mlxg_full(const int* shape, int ndim, mlxg_arr v, int dtype, mlxg_arr* out);
mlxg_err mlxg_arange(double start, double stop, double step, int dtype, mlxg_arr* out);
mlxg_err mlxg_linspace(double start, double stop, int n, int dtype, mlxg_arr* out);
mlxg_err mlxg_eye(int n, int m, int k, int dtype, mlxg_arr* out);
mlxg_err mlxg_astype(mlxg_arr a, int dtype, mlxg_arr* out);

// Evaluation and reading. mlxg_read evaluates a, converts it to dtype and copies
// size(a) elements, row-major, into out.
mlxg_err mlxg_eval(mlxg_arr* arrs, int n);
mlxg_err mlxg_read(mlxg_arr a, int dtype, void* out);

// Table-driven ops (see ops.tbl).
mlxg_err mlxg_unary(int op, mlxg_arr a, mlxg_arr* out);
mlxg_err mlxg_binary(int op, mlxg_arr a, mlxg_arr b, mlxg_arr* out);
mlxg_err mlxg_reduce(int op, mlxg_arr a, const int* axes, int naxes, int keep, int ddof, mlxg_arr* out);

// Hand-written ops.
mlxg_err mlxg_argreduce(int is_max, mlxg_arr a, int axis, int has_axis, int keep, mlxg_arr* out);
mlxg_err mlxg_scan(int op, mlxg_arr a, int axis, int has_axis, int reverse, int inclusive, mlxg_arr* out);
mlxg_err mlxg_where(mlxg_arr c, mlxg_arr x, mlxg_arr y, mlxg_arr* out);
mlxg_err mlxg_clip(mlxg_arr a, mlxg_arr lo, mlxg_arr hi, mlxg_arr* out);
mlxg_err mlxg_isclose(mlxg_arr a, mlxg_arr b, double rtol, double atol, int equal_nan, int all, mlxg_arr* out);
mlxg_err mlxg_reshape(mlxg_arr a, const int* shape, int n, mlxg_arr* out);
mlxg_err mlxg_transpose(mlxg_arr a, const int* axes, int n, mlxg_arr* out);
mlxg_err mlxg_squeeze(mlxg_arr a, const int* axes, int n, mlxg_arr* out);
mlxg_err mlxg_expand_dims(mlxg_arr a, const int* axes, int n, mlxg_arr* out);
mlxg_err mlxg_broadcast_to(mlxg_arr a, const int* shape, int n, mlxg_arr* out);
mlxg_err mlxg_concatenate(mlxg_arr* arrs, int n, int axis, int stack, mlxg_arr* out);
mlxg_err mlxg_split(mlxg_arr a, int sections, const int* indices, int nindices, int axis, mlxg_vec* out);
mlxg_err mlxg_tile(mlxg_arr a, const int* reps, int n, mlxg_arr* out);
mlxg_err mlxg_repeat(mlxg_arr a, int repeats, int axis, int has_axis, mlxg_arr* out);
mlxg_err mlxg_pad(mlxg_arr a, const int* widths, int naxes, mlxg_arr value, mlxg_arr* out);
mlxg_err mlxg_sort(int arg, mlxg_arr a, int axis, int has_axis, mlxg_arr* out);
mlxg_err mlxg_topk(mlxg_arr a, int k, int axis, int has_axis, mlxg_arr* out);
mlxg_err mlxg_take(mlxg_arr a, mlxg_arr idx, int axis, int has_axis, mlxg_arr* out);
mlxg_err mlxg_slice(mlxg_arr a, const int* start, const int* stop, const int* strides, int n, mlxg_arr* out);
mlxg_err mlxg_tensordot(mlxg_arr a, mlxg_arr b, int axes, mlxg_arr* out);
mlxg_err mlxg_round(mlxg_arr a, int decimals, mlxg_arr* out);

// Linear algebra (always on the CPU stream, as MLX requires).
// op: 0 inv, 1 pinv, 2 cholesky, 3 cholesky upper
mlxg_err mlxg_linalg_unary(int op, mlxg_arr a, mlxg_arr* out);
mlxg_err mlxg_solve(mlxg_arr a, mlxg_arr b, mlxg_arr* out);
// op: 0 qr, 1 svd, 2 eigh
mlxg_err mlxg_linalg_multi(int op, mlxg_arr a, mlxg_vec* out);
mlxg_err mlxg_norm(mlxg_arr a, double ord, int has_ord, const int* axes, int naxes, int keep, mlxg_arr* out);

// FFT. op: 0 fft, 1 ifft, 2 rfft, 3 irfft, 4 fft2, 5 ifft2. n < 0: default length.
mlxg_err mlxg_fft(int op, mlxg_arr a, int n, int axis, mlxg_arr* out);

// Random.
mlxg_err mlxg_seed(uint64_t seed);
mlxg_err mlxg_random_normal(const int* shape, int n, int dtype, double loc, double scale, mlxg_arr* out);
mlxg_err mlxg_random_uniform(mlxg_arr lo, mlxg_arr hi, const int* shape, int n, int dtype, mlxg_arr* out);
mlxg_err mlxg_random_int(mlxg_arr lo, mlxg_arr hi, const int* shape, int n, int dtype, mlxg_arr* out);
mlxg_err mlxg_bernoulli(mlxg_arr p, const int* shape, int n, int has_shape, mlxg_arr* out);
mlxg_err mlxg_categorical(mlxg_arr logits, int axis, int num_samples, mlxg_arr* out);
mlxg_err mlxg_permutation(mlxg_arr x, int n, int axis, mlxg_arr* out);

// Devices and memory.
int mlxg_default_device(void);  // 0 cpu, 1 gpu
mlxg_err mlxg_set_default_device(int gpu);
int mlxg_has_gpu(void);
size_t mlxg_active_memory(void);
size_t mlxg_peak_memory(void);
size_t mlxg_cache_memory(void);
void mlxg_clear_cache(void);

// Transforms. The function f is a Go callback identified by fn (a cgo.Handle);
// the bridge calls the exported Go function mlxgoCall with it.
mlxg_err mlxg_vag_new(uintptr_t fn, const int* argnums, int n, mlxg_vag* out);
void mlxg_vag_free(mlxg_vag v);
// outs receives the value followed by one gradient per argnum.
mlxg_err mlxg_vag_call(mlxg_vag v, mlxg_arr* args, int n, mlxg_vec* outs);
// vjp: outs receives the outputs, then the vjps (one per primal).
mlxg_err mlxg_vjp(uintptr_t fn, mlxg_arr* primals, int np, mlxg_arr* cots, int nc, mlxg_vec* outs, mlxg_vec* vjps);
// jvp: outs receives the outputs, jvps one per output.
mlxg_err mlxg_jvp(uintptr_t fn, mlxg_arr* primals, int np, mlxg_arr* tans, int nt, mlxg_vec* outs, mlxg_vec* jvps);

const char* mlxg_version(void);

#ifdef __cplusplus
}
#endif

#endif

package mlx

// #include "bridge.h"
import "C"

// Seed seeds MLX's global random generator, making the random functions
// reproducible.
func Seed(seed uint64) {
	if err := C.mlxg_seed(C.uint64_t(seed)); err != nil {
		panic(errorFrom("Seed", err))
	}
}

func checkShape(name string, shape []int) []C.int {
	for _, d := range shape {
		if d < 0 {
			panic(errorf(name, "negative dimension in shape %s", FormatShape(shape)))
		}
	}
	return cints(shape)
}

// RandomNormal returns float32 samples from the standard normal distribution.
func RandomNormal(shape ...int) *Array { return RandomNormalWith(0, 1, shape...) }

// RandomNormalWith returns float32 samples from a normal distribution with
// the given mean and standard deviation.
func RandomNormalWith(mean, std float64, shape ...int) *Array {
	s := checkShape("RandomNormal", shape)
	var out C.mlxg_arr
	err := C.mlxg_random_normal(intsPtr(s), C.int(len(s)), C.int(Float32), C.double(mean), C.double(std), &out)
	return one("RandomNormal", out, err)
}

// RandomUniform returns float32 samples uniform in [low, high). low and high
// may be numbers or arrays; with no shape the result has their broadcast
// shape, and with a shape they broadcast to it.
func RandomUniform(low, high any, shape ...int) *Array {
	lo, hi := operands2("RandomUniform", low, high)
	s := checkShape("RandomUniform", shape)
	if len(shape) == 0 {
		bs, ok := broadcastShapes(lo.Shape(), hi.Shape())
		if !ok {
			panic(errorf("RandomUniform", "shapes %s and %s are not compatible", FormatShape(lo.Shape()), FormatShape(hi.Shape())))
		}
		s = cints(bs)
	}
	var out C.mlxg_arr
	err := C.mlxg_random_uniform(lo.h, hi.h, intsPtr(s), C.int(len(s)), C.int(Float32), &out)
	if err != nil && len(shape) > 0 {
		takeErr(err)
		panic(errorf("RandomUniform", "cannot broadcast low of shape %s and high of shape %s to %s",
			FormatShape(lo.Shape()), FormatShape(hi.Shape()), FormatShape(shape)))
	}
	return one("RandomUniform", out, err, lo, hi)
}

// RandomInt returns int32 samples uniform in [low, high).
func RandomInt(low, high int, shape ...int) *Array {
	if high <= low {
		panic(errorf("RandomInt", "high (%d) must be greater than low (%d)", high, low))
	}
	lo, hi := scalar("RandomInt", low, Int32), scalar("RandomInt", high, Int32)
	s := checkShape("RandomInt", shape)
	var out C.mlxg_arr
	err := C.mlxg_random_int(lo.h, hi.h, intsPtr(s), C.int(len(s)), C.int(Int32), &out)
	return one("RandomInt", out, err, lo, hi)
}

// Bernoulli returns bool samples that are true with probability p (a number
// or an array of probabilities); with a shape, p broadcasts to it.
func Bernoulli(p any, shape ...int) *Array {
	pa := asArray("Bernoulli", p)
	s := checkShape("Bernoulli", shape)
	var out C.mlxg_arr
	err := C.mlxg_bernoulli(pa.h, intsPtr(s), C.int(len(s)), cbool(len(shape) > 0), &out)
	if err != nil && len(shape) > 0 {
		takeErr(err)
		panic(errorf("Bernoulli", "cannot broadcast p of shape %s to %s", FormatShape(pa.Shape()), FormatShape(shape)))
	}
	return one("Bernoulli", out, err, pa)
}

// Categorical samples indices from the unnormalised log-probabilities logits
// along the last axis; numSamples, if given, draws that many per row.
func Categorical(logits any, numSamples ...int) *Array {
	l := asArray("Categorical", logits)
	n := 0
	if len(numSamples) > 0 {
		n = numSamples[0]
		if n <= 0 {
			panic(errorf("Categorical", "numSamples must be positive, got %d", n))
		}
	}
	var out C.mlxg_arr
	err := C.mlxg_categorical(l.h, -1, C.int(n), &out)
	return one("Categorical", out, err, l)
}

// Permutation returns a random permutation: of 0..n-1 for an integer n, or
// of the rows (axis 0) of an array.
func Permutation(x any) *Array {
	var out C.mlxg_arr
	if isScalar(x) && scalarKind(x) == kindInt {
		n := int(hostOf("Permutation", []any{x}).i[0])
		if n < 0 {
			panic(errorf("Permutation", "n must be non-negative, got %d", n))
		}
		err := C.mlxg_permutation(nil, C.int(n), 0, &out)
		return one("Permutation", out, err)
	}
	a := asArray("Permutation", x)
	err := C.mlxg_permutation(a.h, 0, 0, &out)
	return one("Permutation", out, err, a)
}

// broadcastShapes returns the NumPy broadcast of shapes a and b, and false if
// they do not broadcast.
func broadcastShapes(a, b []int) ([]int, bool) {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := range n {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db || db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			return nil, false
		}
	}
	return out, true
}

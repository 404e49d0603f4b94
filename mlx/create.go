package mlx

// #include "bridge.h"
import "C"

func full(name string, shape []int, v *Array, dt Dtype) *Array {
	for _, d := range shape {
		if d < 0 {
			panic(errorf(name, "negative dimension in shape %s", FormatShape(shape)))
		}
	}
	s := cints(shape)
	var out C.mlxg_arr
	if err := C.mlxg_full(intsPtr(s), C.int(len(s)), v.h, C.int(dt), &out); err != nil {
		takeErr(err)
		panic(errorf(name, "cannot fill shape %s with a value of shape %s", FormatShape(shape), FormatShape(v.Shape())))
	}
	return one(name, out, nil, v)
}

// Zeros returns a float32 array of the given shape filled with 0.
func Zeros(shape ...int) *Array { return full("Zeros", shape, scalar("Zeros", 0.0, Float32), Float32) }

// Ones returns a float32 array of the given shape filled with 1.
func Ones(shape ...int) *Array { return full("Ones", shape, scalar("Ones", 1.0, Float32), Float32) }

// Full returns an array of the given shape filled with value, whose dtype
// follows AsArray's rules (Full([]int{2, 2}, 7) is int32).
func Full(shape []int, value any) *Array {
	v := asArray("Full", value)
	return full("Full", shape, v, v.Dtype())
}

// ZerosLike returns zeros with the shape and dtype of x.
func ZerosLike(x any) *Array {
	a := asArray("ZerosLike", x)
	return full("ZerosLike", a.Shape(), scalar("ZerosLike", 0, a.Dtype()), a.Dtype())
}

// OnesLike returns ones with the shape and dtype of x.
func OnesLike(x any) *Array {
	a := asArray("OnesLike", x)
	return full("OnesLike", a.Shape(), scalar("OnesLike", 1, a.Dtype()), a.Dtype())
}

// Arange returns evenly spaced values like Python's range: Arange(stop),
// Arange(start, stop) or Arange(start, stop, step). Integer arguments give
// int32, any float argument gives float32.
func Arange(args ...any) *Array {
	if len(args) < 1 || len(args) > 3 {
		panic(errorf("Arange", "takes 1 to 3 arguments (stop | start, stop | start, stop, step), got %d", len(args)))
	}
	vals := make([]float64, len(args))
	dt := Int32
	for i, v := range args {
		if !isScalar(v) || scalarKind(v) == kindComplex || scalarKind(v) == kindBool {
			panic(errorf("Arange", "argument %d is %T, want a real number", i+1, v))
		}
		if scalarKind(v) == kindFloat {
			dt = Float32
		}
		h := hostOf("Arange", []any{v})
		if h.kind == kindInt {
			vals[i] = float64(h.i[0])
		} else {
			vals[i] = h.f[0]
		}
	}
	start, stop, step := 0.0, vals[0], 1.0
	if len(vals) >= 2 {
		start, stop = vals[0], vals[1]
	}
	if len(vals) == 3 {
		step = vals[2]
	}
	if step == 0 {
		panic(errorf("Arange", "step must not be 0"))
	}
	var out C.mlxg_arr
	err := C.mlxg_arange(C.double(start), C.double(stop), C.double(step), C.int(dt), &out)
	return one("Arange", out, err)
}

// Linspace returns n float32 values evenly spaced from start to stop inclusive.
func Linspace(start, stop float64, n int) *Array {
	if n < 0 {
		panic(errorf("Linspace", "n must be non-negative, got %d", n))
	}
	var out C.mlxg_arr
	err := C.mlxg_linspace(C.double(start), C.double(stop), C.int(n), C.int(Float32), &out)
	return one("Linspace", out, err)
}

// Eye returns an n x n float32 identity matrix, or n x m with Eye(n, m).
func Eye(n int, m ...int) *Array {
	cols := n
	if len(m) > 0 {
		cols = m[0]
	}
	if n < 0 || cols < 0 {
		panic(errorf("Eye", "negative size %d x %d", n, cols))
	}
	var out C.mlxg_arr
	err := C.mlxg_eye(C.int(n), C.int(cols), 0, C.int(Float32), &out)
	return one("Eye", out, err)
}

package mlx

// #include "bridge.h"
import "C"

import (
	"math"
	"runtime"
)

// KeepDims, passed among the axes of a reduction, keeps the reduced axes with
// size 1 so the result broadcasts against the input:
//
//	x.Sub(mlx.Mean(x, 1, mlx.KeepDims))
const KeepDims = math.MinInt32

// reduceAxes prepares the axes of a reduction for the bridge: the C axes,
// their count (-1 for all axes) and whether KeepDims was given.
func reduceAxes(axes []int) (cax []C.int, n C.int, keep bool) {
	ax, keep, all := splitAxes(axes)
	if all {
		return nil, -1, keep
	}
	return cints(ax), C.int(len(ax)), keep
}

// splitAxes separates KeepDims from real axes. all is true when no axis was given.
func splitAxes(axes []int) (real []int, keep, all bool) {
	for _, a := range axes {
		if a == KeepDims {
			keep = true
			continue
		}
		real = append(real, a)
	}
	return real, keep, len(real) == 0
}

func unary(op int, name string, x any) *Array {
	a := asArray(name, x)
	var out C.mlxg_arr
	if err := C.mlxg_unary(C.int(op), a.handle(name), &out); err != nil {
		panic(errorFrom(name, err, a))
	}
	runtime.KeepAlive(a)
	return newArray(out)
}

// operands2 coerces two operands; a Go scalar beside an array takes a dtype
// compatible with it (MLX's weak scalar typing), so x.Mul(2) keeps x's dtype.
func operands2(name string, x, y any) (*Array, *Array) {
	xa, xok := x.(*Array)
	ya, yok := y.(*Array)
	// Check for nil arrays first, so the error names this op (not Dtype).
	if xok {
		xa.handle(name)
	}
	if yok {
		ya.handle(name)
	}
	switch {
	case xok && yok:
		return xa, ya
	case xok && isScalar(y):
		return xa, scalar(name, y, weakDtype(y, xa.Dtype()))
	case yok && isScalar(x):
		return scalar(name, x, weakDtype(x, ya.Dtype())), ya
	}
	return asArray(name, x), asArray(name, y)
}

func binary(op int, name string, x, y any) *Array {
	a, b := operands2(name, x, y)
	var out C.mlxg_arr
	if err := C.mlxg_binary(C.int(op), a.h, b.h, &out); err != nil {
		panic(errorFrom(name, err, a, b))
	}
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	return newArray(out)
}

func reduce(op int, name string, x any, axes []int, ddof int) *Array {
	a := asArray(name, x)
	cax, n, keep := reduceAxes(axes)
	var out C.mlxg_arr
	if err := C.mlxg_reduce(C.int(op), a.handle(name), intsPtr(cax), n, cbool(keep), C.int(ddof), &out); err != nil {
		panic(errorFrom(name, err, a))
	}
	runtime.KeepAlive(a)
	return newArray(out)
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// one wraps the common tail of a hand-written single-output op.
func one(name string, out C.mlxg_arr, err C.mlxg_err, operands ...*Array) *Array {
	if err != nil {
		panic(errorFrom(name, err, operands...))
	}
	runtime.KeepAlive(operands)
	return newArray(out)
}

// takeVec converts a bridge vector into arrays and frees it.
func takeVec(v C.mlxg_vec) []*Array {
	n := int(C.mlxg_vec_size(v))
	out := make([]*Array, n)
	for i := range out {
		out[i] = newArray(C.mlxg_vec_get(v, C.int(i)))
	}
	C.mlxg_vec_free(v)
	return out
}

// optAxis reads an optional single axis (KeepDims allowed beside it).
func optAxis(name string, axes []int) (axis int, has, keep bool) {
	ax, keep, all := splitAxes(axes)
	if len(ax) > 1 {
		panic(errorf(name, "takes at most one axis, got %d", len(ax)))
	}
	if all {
		return 0, false, keep
	}
	return ax[0], true, keep
}

// VarDdof is Var with ddof "delta degrees of freedom": the divisor is N - ddof
// (1 gives R's var()).
func VarDdof(x any, ddof int, axes ...int) *Array { return reduce(opVar, "VarDdof", x, axes, ddof) }

// StdDdof is Std with divisor N - ddof (1 gives R's sd()).
func StdDdof(x any, ddof int, axes ...int) *Array { return reduce(opStd, "StdDdof", x, axes, ddof) }

func argReduce(name string, isMax bool, x any, axes []int) *Array {
	a := asArray(name, x)
	axis, has, keep := optAxis(name, axes)
	var out C.mlxg_arr
	err := C.mlxg_argreduce(cbool(isMax), a.handle(name), C.int(axis), cbool(has), cbool(keep), &out)
	return one(name, out, err, a)
}

// ArgMax returns the index of the largest element of x along axis (of the
// flattened x when no axis is given). KeepDims may follow the axis.
func ArgMax(x any, axis ...int) *Array { return argReduce("ArgMax", true, x, axis) }

// ArgMin returns the index of the smallest element of x along axis (of the
// flattened x when no axis is given). KeepDims may follow the axis.
func ArgMin(x any, axis ...int) *Array { return argReduce("ArgMin", false, x, axis) }

// ArgMax is the method form of the package function [ArgMax].
func (a *Array) ArgMax(axis ...int) *Array { return ArgMax(a, axis...) }

// ArgMin is the method form of the package function [ArgMin].
func (a *Array) ArgMin(axis ...int) *Array { return ArgMin(a, axis...) }

func scan(name string, op int, x any, axis []int) *Array {
	a := asArray(name, x)
	ax, has, _ := optAxis(name, axis)
	var out C.mlxg_arr
	err := C.mlxg_scan(C.int(op), a.handle(name), C.int(ax), cbool(has), 0, 1, &out)
	return one(name, out, err, a)
}

// CumSum returns the cumulative sum of x along axis (of the flattened x when
// no axis is given).
func CumSum(x any, axis ...int) *Array { return scan("CumSum", 0, x, axis) }

// CumProd returns the cumulative product of x along axis (of the flattened x
// when no axis is given).
func CumProd(x any, axis ...int) *Array { return scan("CumProd", 1, x, axis) }

// CumMax returns the running maximum of x along axis (flattened when none is given).
func CumMax(x any, axis ...int) *Array { return scan("CumMax", 2, x, axis) }

// CumMin returns the running minimum of x along axis (flattened when none is given).
func CumMin(x any, axis ...int) *Array { return scan("CumMin", 3, x, axis) }

// CumSum is the method form of the package function [CumSum].
func (a *Array) CumSum(axis ...int) *Array { return CumSum(a, axis...) }

// Where picks x where cond is true and y elsewhere, with broadcasting.
func Where(cond, x, y any) *Array {
	c := asArray("Where", cond)
	xa, ya := operands2("Where", x, y)
	var out C.mlxg_arr
	err := C.mlxg_where(c.h, xa.h, ya.h, &out)
	return one("Where", out, err, c, xa, ya)
}

// Clip limits x to [lo, hi]. Either bound may be nil for no limit.
func Clip(x, lo, hi any) *Array {
	a := asArray("Clip", x)
	var l, h *Array
	var lh, hh C.mlxg_arr
	if lo != nil {
		_, l = operands2("Clip", a, lo)
		lh = l.h
	}
	if hi != nil {
		_, h = operands2("Clip", a, hi)
		hh = h.h
	}
	var out C.mlxg_arr
	err := C.mlxg_clip(a.h, lh, hh, &out)
	// Name every operand's shape in an error: x, then the bounds given.
	operands := []*Array{a}
	for _, b := range []*Array{l, h} {
		if b != nil {
			operands = append(operands, b)
		}
	}
	return one("Clip", out, err, operands...)
}

// Clip is the method form of the package function [Clip].
func (a *Array) Clip(lo, hi any) *Array { return Clip(a, lo, hi) }

// Tolerance sets the relative and absolute tolerances of IsClose and AllClose.
type Tolerance struct {
	RTol, ATol float64
	EqualNaN   bool // treat NaNs in the same place as equal
}

// DefaultTolerance is NumPy's and MLX's: rtol 1e-5, atol 1e-8.
var DefaultTolerance = Tolerance{RTol: 1e-5, ATol: 1e-8}

func isClose(name string, all bool, x, y any, tol []Tolerance) *Array {
	t := DefaultTolerance
	if len(tol) > 0 {
		t = tol[0]
	}
	a, b := operands2(name, x, y)
	var out C.mlxg_arr
	err := C.mlxg_isclose(a.h, b.h, C.double(t.RTol), C.double(t.ATol), cbool(t.EqualNaN), cbool(all), &out)
	return one(name, out, err, a, b)
}

// IsClose reports elementwise whether |x - y| <= atol + rtol*|y| (bool array).
// An optional Tolerance replaces DefaultTolerance.
func IsClose(x, y any, tol ...Tolerance) *Array { return isClose("IsClose", false, x, y, tol) }

// AllClose reports, as a 0-d bool array, whether every element of x is close
// to y (see IsClose).
func AllClose(x, y any, tol ...Tolerance) *Array { return isClose("AllClose", true, x, y, tol) }

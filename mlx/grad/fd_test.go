package grad_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
	"github.com/mlxgo/mlxgo/mlx/grad"
)

// Finite-difference checks: for every case, the gradient grad.Grad computes
// for loss(args) = sum(W * op(args)), with W a fixed random weight array of
// op's output shape (so every output element matters), must agree with the
// central difference (loss(x+h) - loss(x-h)) / 2h taken element by element in
// float64.

const (
	fdStep = 1e-6 // h
	fdRTol = 1e-5 // relative tolerance
)

// MLX 0.32.4 computes float64 exp, sin, cos, erf and erfinv on the CPU with
// its float32 SIMD approximations (ml-explore/mlx#3047), so their float64
// values carry float32-sized errors (~1e-7 relative) and a 1e-6 step would
// measure that noise, not the slope. Ops built on those kernels are checked
// with the fourth-order five-point stencil and a step of 2^-6, whose
// truncation error (h^4/30 times the fifth derivative) is ~1e-9, against a
// 1e-4 relative tolerance.
var fp32Kernels = map[string]bool{
	"Exp": true, "Sin": true, "Cos": true, "Erf": true, "Erfinv": true,
	"Sigmoid": true, "LogAddExp": true, "LogSumExp": true, "Softmax": true,
}

const (
	fdWideStep = 1.0 / 64
	fdWideRTol = 1e-4
)

// in is one float64 input of a finite-difference case.
type in struct {
	shape []int
	vals  []float64
}

// v makes a float64 input of the given shape (nil shape: 1-d).
func v(shape []int, vals ...float64) in { return in{shape: shape, vals: vals} }

// vec is a 1-d float64 input.
func vec(vals ...float64) in { return in{shape: []int{len(vals)}, vals: vals} }

// f64 builds an exact float64 array.
func f64(shape []int, vals []float64) *mlx.Array {
	a := mlx.AsType(vals, mlx.Float64)
	if len(shape) != 1 || shape[0] != len(vals) {
		a = mlx.Reshape(a, shape...)
	}
	return a
}

type fdCase struct {
	name string // "Op" or "Op/variant"; the part before '/' counts as the op
	in   []in
	f    func(a []*mlx.Array) *mlx.Array
}

func (c fdCase) op() string {
	op, _, _ := strings.Cut(c.name, "/")
	return op
}

// Fixed non-float operands.
var (
	fdCond = mlx.AsArray([]bool{true, false, false, true, true, false})
	fdIdx  = mlx.AsArray([]int32{2, 0, 2, 3})
)

var fdCases = []fdCase{
	// Unary elementwise math.
	{"Abs", []in{vec(-1.5, 0.7, 2.2, -0.3)}, func(a []*mlx.Array) *mlx.Array { return mlx.Abs(a[0]) }},
	{"Neg", []in{vec(-1.5, 0.7, 2.2)}, func(a []*mlx.Array) *mlx.Array { return mlx.Neg(a[0]) }},
	{"Sqrt", []in{vec(0.5, 1.3, 4.2)}, func(a []*mlx.Array) *mlx.Array { return mlx.Sqrt(a[0]) }},
	{"Rsqrt", []in{vec(0.5, 1.3, 4.2)}, func(a []*mlx.Array) *mlx.Array { return mlx.Rsqrt(a[0]) }},
	{"Square", []in{vec(-1.5, 0.7, 2.2)}, func(a []*mlx.Array) *mlx.Array { return mlx.Square(a[0]) }},
	{"Reciprocal", []in{vec(-1.5, 0.7, 2.2)}, func(a []*mlx.Array) *mlx.Array { return mlx.Reciprocal(a[0]) }},
	{"Exp", []in{vec(-1.5, 0.7, 2.2)}, func(a []*mlx.Array) *mlx.Array { return mlx.Exp(a[0]) }},
	{"Expm1", []in{vec(-1.5, 0.01, 2.2)}, func(a []*mlx.Array) *mlx.Array { return mlx.Expm1(a[0]) }},
	{"Log", []in{vec(0.3, 1.7, 5.1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Log(a[0]) }},
	{"Log1p", []in{vec(-0.4, 0.01, 3.1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Log1p(a[0]) }},
	{"Log2", []in{vec(0.3, 1.7, 5.1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Log2(a[0]) }},
	{"Log10", []in{vec(0.3, 1.7, 5.1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Log10(a[0]) }},
	{"Sin", []in{vec(-2.1, 0.4, 1.3)}, func(a []*mlx.Array) *mlx.Array { return mlx.Sin(a[0]) }},
	{"Cos", []in{vec(-2.1, 0.4, 1.3)}, func(a []*mlx.Array) *mlx.Array { return mlx.Cos(a[0]) }},
	{"Tan", []in{vec(-1.1, 0.4, 1.3)}, func(a []*mlx.Array) *mlx.Array { return mlx.Tan(a[0]) }},
	{"Arcsin", []in{vec(-0.8, 0.1, 0.6)}, func(a []*mlx.Array) *mlx.Array { return mlx.Arcsin(a[0]) }},
	{"Arccos", []in{vec(-0.8, 0.1, 0.6)}, func(a []*mlx.Array) *mlx.Array { return mlx.Arccos(a[0]) }},
	{"Arctan", []in{vec(-2.5, 0.1, 0.6)}, func(a []*mlx.Array) *mlx.Array { return mlx.Arctan(a[0]) }},
	{"Sinh", []in{vec(-1.5, 0.2, 1.1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Sinh(a[0]) }},
	{"Cosh", []in{vec(-1.5, 0.2, 1.1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Cosh(a[0]) }},
	{"Tanh", []in{vec(-1.5, 0.2, 1.1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Tanh(a[0]) }},
	{"Arcsinh", []in{vec(-1.5, 0.2, 3.1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Arcsinh(a[0]) }},
	{"Arccosh", []in{vec(1.2, 2.5, 4.0)}, func(a []*mlx.Array) *mlx.Array { return mlx.Arccosh(a[0]) }},
	{"Arctanh", []in{vec(-0.7, 0.1, 0.5)}, func(a []*mlx.Array) *mlx.Array { return mlx.Arctanh(a[0]) }},
	{"Sigmoid", []in{vec(-2.5, 0.1, 1.7)}, func(a []*mlx.Array) *mlx.Array { return mlx.Sigmoid(a[0]) }},
	{"Erf", []in{vec(-1.2, 0.1, 0.8)}, func(a []*mlx.Array) *mlx.Array { return mlx.Erf(a[0]) }},
	{"Erfinv", []in{vec(-0.7, 0.1, 0.5)}, func(a []*mlx.Array) *mlx.Array { return mlx.Erfinv(a[0]) }},
	{"Degrees", []in{vec(-0.7, 0.1, 0.5)}, func(a []*mlx.Array) *mlx.Array { return mlx.Degrees(a[0]) }},
	{"Radians", []in{vec(-70, 10, 50)}, func(a []*mlx.Array) *mlx.Array { return mlx.Radians(a[0]) }},

	// Binary ops: both arguments are differentiated.
	{"Add/broadcast", []in{v([]int{2, 3}, 1, 2, 3, 4, 5, 6), vec(0.5, -1, 2)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Add(a[0], a[1]) }},
	{"Sub/broadcast", []in{vec(0.5, -1, 2), v([]int{2, 3}, 1, 2, 3, 4, 5, 6)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Sub(a[0], a[1]) }},
	{"Mul", []in{vec(0.5, -1, 2), vec(1.5, 2.5, -0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Mul(a[0], a[1]) }},
	{"Div", []in{vec(0.5, -1, 2), vec(1.5, 2.5, -0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Div(a[0], a[1]) }},
	{"Pow", []in{vec(0.5, 1.3, 2), vec(1.5, 2.5, -0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Pow(a[0], a[1]) }},
	{"Maximum", []in{vec(0.5, -1, 2), vec(1.5, -2.5, -0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Maximum(a[0], a[1]) }},
	{"Minimum", []in{vec(0.5, -1, 2), vec(1.5, -2.5, -0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Minimum(a[0], a[1]) }},
	{"Remainder", []in{vec(5.3, 7.9, 2.2), vec(1.5, 2.5, 0.7)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Remainder(a[0], a[1]) }},
	{"Arctan2", []in{vec(0.5, -1, 2), vec(1.5, 2.5, -0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Arctan2(a[0], a[1]) }},
	{"LogAddExp", []in{vec(0.5, -1, 2), vec(1.5, 2.5, -0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.LogAddExp(a[0], a[1]) }},
	{"Matmul", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1), v([]int{3, 2}, 0.3, 1, -1, 2, 0.7, -0.2)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Matmul(a[0], a[1]) }},
	{"Matmul/matrix-vector", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1), vec(0.3, 1, -1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Matmul(a[0], a[1]) }},
	{"Outer", []in{vec(0.5, -1, 2), vec(1.5, 2.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Outer(a[0], a[1]) }},
	{"Inner", []in{vec(0.5, -1, 2), vec(1.5, 2.5, -0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Inner(a[0], a[1]) }},
	{"Kron", []in{v([]int{2, 2}, 1, 2, 3, 4), v([]int{1, 2}, 0.5, -1.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Kron(a[0], a[1]) }},
	{"Tensordot", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1), v([]int{3, 2}, 0.3, 1, -1, 2, 0.7, -0.2)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Tensordot(a[0], a[1], 1) }},

	// Reductions, with and without axes.
	{"Sum/axis1", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Sum(a[0], 1) }},
	{"Mean", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Mean(a[0]) }},
	{"Mean/axis0-keepdims", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Mean(a[0], 0, mlx.KeepDims) }},
	{"Prod", []in{vec(1.5, -2, 0.5, 3)}, func(a []*mlx.Array) *mlx.Array { return mlx.Prod(a[0]) }},
	{"Prod/axis1", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Prod(a[0], 1) }},
	{"Max", []in{vec(1.5, -2, 0.5, 3)}, func(a []*mlx.Array) *mlx.Array { return mlx.Max(a[0]) }},
	{"Max/axis0", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Max(a[0], 0) }},
	{"Min/axis1", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Min(a[0], 1) }},
	{"Var", []in{vec(1.5, -2, 0.5, 3)}, func(a []*mlx.Array) *mlx.Array { return mlx.Var(a[0]) }},
	{"Var/axis1", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Var(a[0], 1) }},
	{"VarDdof/ddof1", []in{vec(1.5, -2, 0.5, 3)}, func(a []*mlx.Array) *mlx.Array { return mlx.VarDdof(a[0], 1) }},
	{"Std", []in{vec(1.5, -2, 0.5, 3)}, func(a []*mlx.Array) *mlx.Array { return mlx.Std(a[0]) }},
	{"Std/axis0", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Std(a[0], 0) }},
	{"LogSumExp", []in{vec(1.5, -2, 0.5, 3)}, func(a []*mlx.Array) *mlx.Array { return mlx.LogSumExp(a[0]) }},
	{"LogSumExp/axis1", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.LogSumExp(a[0], 1) }},
	{"Softmax/last-axis", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Softmax(a[0], -1) }},
	{"Softmax/axis0", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Softmax(a[0], 0) }},
	{"CumSum", []in{vec(1.5, -2, 0.5, 3)}, func(a []*mlx.Array) *mlx.Array { return mlx.CumSum(a[0]) }},
	{"CumSum/axis1", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.CumSum(a[0], 1) }},
	{"CumProd", []in{vec(1.5, -2, 0.5, 3)}, func(a []*mlx.Array) *mlx.Array { return mlx.CumProd(a[0]) }},
	{"CumMax", []in{vec(1.5, -2, 2.5, 0.5, 3)}, func(a []*mlx.Array) *mlx.Array { return mlx.CumMax(a[0]) }},
	{"CumMin/axis1", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.CumMin(a[0], 1) }},
	{"CumProd/axis0", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.CumProd(a[0], 0) }},

	// Shape ops.
	{"Reshape", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Tanh(mlx.Reshape(a[0], 3, 2)) }},
	{"Transpose", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Matmul(mlx.Transpose(a[0]), a[0]) }},
	{"Transpose/axes", []in{v([]int{1, 2, 3}, 1, -2, 3, 0.5, 1.5, -1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Square(mlx.Transpose(a[0], 2, 0, 1)) }},
	{"T", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Matmul(a[0], mlx.T(a[0])) }},
	{"Concatenate/axis1", []in{v([]int{2, 1}, 1, -2), v([]int{2, 2}, 3, 0.5, 1.5, -1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Square(mlx.Concatenate([]*mlx.Array{a[0], a[1], a[0]}, 1)) }},
	{"Stack", []in{vec(1, -2), vec(3, 0.5)},
		func(a []*mlx.Array) *mlx.Array {
			return mlx.Matmul(mlx.Stack([]*mlx.Array{a[0], a[1]}, 1), mlx.Stack([]*mlx.Array{a[1], a[0]}))
		}},
	{"Split", []in{vec(1, -2, 3, 0.5)},
		func(a []*mlx.Array) *mlx.Array {
			p := mlx.Split(a[0], 2)
			return mlx.Mul(p[0], mlx.Tanh(p[1]))
		}},
	{"Take/repeated-indices", []in{vec(1, -2, 3, 0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Square(mlx.Take(a[0], fdIdx)) }},
	{"Take/axis1", []in{v([]int{2, 4}, 1, -2, 3, 0.5, 1.5, -1, 0.2, 0.9)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Square(mlx.Take(a[0], fdIdx, 1)) }},
	{"Slice", []in{v([]int{3, 4}, 1, -2, 3, 0.5, 1.5, -1, 0.2, 0.9, 2, 4, -3, 0.1)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Square(mlx.Slice(a[0], []int{1, 0}, []int{3, 4}, 1, 2)) }},
	{"Pad", []in{v([]int{2, 2}, 1, -2, 3, 0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Tanh(mlx.Pad(a[0], [2]int{1, 2})) }},
	{"BroadcastTo", []in{v([]int{1, 3}, 1, -2, 3)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Tanh(mlx.BroadcastTo(a[0], 4, 3)) }},
	{"Tile", []in{v([]int{1, 2}, 1, -2)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Tanh(mlx.Tile(a[0], 2, 3)) }},
	{"Repeat/axis0", []in{v([]int{2, 2}, 1, -2, 3, 0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Tanh(mlx.Repeat(a[0], 3, 0)) }},
	{"Squeeze", []in{v([]int{1, 3, 1}, 1, -2, 3)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Outer(mlx.Squeeze(a[0]), mlx.Squeeze(a[0])) }},
	{"ExpandDims", []in{vec(1, -2, 3)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Matmul(mlx.ExpandDims(a[0], 1), mlx.ExpandDims(a[0], 0)) }},
	{"Flatten", []in{v([]int{2, 2}, 1, -2, 3, 0.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Square(mlx.Flatten(a[0])) }},
	{"Sort", []in{vec(1, -2, 3, 0.5)},
		func(a []*mlx.Array) *mlx.Array {
			return mlx.Mul(mlx.Sort(a[0]), mlx.AsType([]float64{1, 2, 3, 4}, mlx.Float64))
		}},

	{"TopK", []in{vec(1, -2, 3, 0.5, 2.5)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Square(mlx.TopK(a[0], 3)) }},

	// Selection and clipping.
	{"Where", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1), v([]int{2, 3}, 0.3, 1, -1, 2, 0.7, -0.2)},
		func(a []*mlx.Array) *mlx.Array {
			return mlx.Where(mlx.Reshape(fdCond, 2, 3), mlx.Square(a[0]), mlx.Tanh(a[1]))
		}},
	{"Clip", []in{vec(-2.5, -0.3, 0.4, 1.7, 3)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Clip(a[0], -1, 2) }},
	{"Clip/lower-only", []in{vec(-2.5, -0.3, 0.4, 1.7, 3)},
		func(a []*mlx.Array) *mlx.Array { return mlx.Clip(a[0], 0, nil) }},

	// Linear algebra.
	{"Norm", []in{vec(1, -2, 3, 0.5)}, func(a []*mlx.Array) *mlx.Array { return mlx.Norm(a[0]) }},
	{"Norm/frobenius", []in{v([]int{2, 2}, 1, -2, 3, 0.5)}, func(a []*mlx.Array) *mlx.Array { return mlx.Norm(a[0]) }},
	{"Norm/axis1", []in{v([]int{2, 3}, 1, -2, 3, 0.5, 1.5, -1)}, func(a []*mlx.Array) *mlx.Array { return mlx.Norm(a[0], 1) }},
	{"NormOrd/ord3", []in{vec(1, -2, 3, 0.5)}, func(a []*mlx.Array) *mlx.Array { return mlx.NormOrd(a[0], 3) }},

	// A composite: a small MLP loss.
	{"Composite/mlp", []in{v([]int{2, 3}, 0.1, -0.2, 0.3, 0.5, 0.15, -0.1), v([]int{3, 3}, 1, 0.2, 0.3, -0.4, 0.5, 0.6, 0.7, -0.8, 0.9), vec(0.5, -0.25, 1)},
		func(a []*mlx.Array) *mlx.Array {
			h := mlx.Tanh(mlx.Matmul(a[0], a[1]))
			return mlx.Log1p(mlx.Sum(mlx.Square(mlx.Mul(h, a[2])), -1))
		}},
}

// lossOf returns sum(w * op(args)) as an ordinary Go function of arrays.
func lossOf(op func([]*mlx.Array) *mlx.Array, w *mlx.Array) func([]*mlx.Array) *mlx.Array {
	return func(a []*mlx.Array) *mlx.Array { return mlx.Sum(mlx.Mul(op(a), w)) }
}

// asGradFunc turns a function of n arrays into the func(*mlx.Array, ...)
// *mlx.Array form grad.Grad takes, built with reflect.MakeFunc.
func asGradFunc(n int, f func([]*mlx.Array) *mlx.Array) any {
	arr := reflect.TypeFor[*mlx.Array]()
	ins := make([]reflect.Type, n)
	for i := range ins {
		ins[i] = arr
	}
	t := reflect.FuncOf(ins, []reflect.Type{arr}, false)
	return reflect.MakeFunc(t, func(args []reflect.Value) []reflect.Value {
		a := make([]*mlx.Array, len(args))
		for i, x := range args {
			a[i] = x.Interface().(*mlx.Array)
		}
		return []reflect.Value{reflect.ValueOf(f(a))}
	}).Interface()
}

func weightsFor(rng *rand.Rand, shape []int) *mlx.Array {
	n := 1
	for _, d := range shape {
		n *= d
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 + rng.Float64()
		if rng.IntN(2) == 0 {
			w[i] = -w[i]
		}
	}
	if len(shape) == 0 {
		return mlx.Scalar(w[0], mlx.Float64)
	}
	return f64(shape, w)
}

func TestFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range fdCases {
		t.Run(c.name, func(t *testing.T) {
			args := make([]*mlx.Array, len(c.in))
			for i, x := range c.in {
				args[i] = f64(x.shape, x.vals)
			}
			out := c.f(args)
			if out.Dtype() != mlx.Float64 {
				t.Fatalf("op output dtype %v, want float64", out.Dtype())
			}
			w := weightsFor(rng, out.Shape())
			loss := lossOf(c.f, w)

			g := grad.Grad(asGradFunc(len(args), loss), anys(args)...)
			if len(g) != len(args) {
				t.Fatalf("got %d gradients for %d arguments", len(g), len(args))
			}
			// The noise floor of a difference quotient is about the rounding
			// error of the loss divided by the step; scale is the sum the
			// loss rounds.
			scale := math.Max(1, mlx.Sum(mlx.Abs(mlx.Mul(out, w))).Item())
			wide := fp32Kernels[c.op()]
			rtol, atol := fdRTol, 1e-8*scale
			if wide {
				rtol, atol = fdWideRTol, 1e-5*scale
			}
			worst := 0.0
			defer func() { t.Logf("max relative difference %.2g (tolerance %g)", worst, rtol) }()

			for i, x := range c.in {
				if got, want := g[i].Shape(), args[i].Shape(); !slices.Equal(got, want) {
					t.Fatalf("gradient %d has shape %v, want %v", i, got, want)
				}
				if g[i].Dtype() != mlx.Float64 {
					t.Errorf("gradient %d dtype %v, want float64", i, g[i].Dtype())
				}
				gv := g[i].Float64s()
				for j := range x.vals {
					fd := centralDiff(loss, c.in, args, i, j, wide)
					tol := rtol*math.Max(math.Abs(fd), math.Abs(gv[j])) + atol
					worst = math.Max(worst, math.Abs(gv[j]-fd)/math.Max(math.Max(math.Abs(fd), math.Abs(gv[j])), 1e-300))
					if d := math.Abs(gv[j] - fd); d > tol || math.IsNaN(gv[j]) {
						t.Errorf("d loss / d arg%d[%d]: autodiff %.10g, finite difference %.10g (|diff| %.3g > tol %.3g)",
							i, j, gv[j], fd, d, tol)
					}
				}
			}
		})
	}
}

// centralDiff estimates d loss / d (element j of argument i): the central
// difference with step fdStep, or with wide the five-point stencil with step
// fdWideStep.
func centralDiff(loss func([]*mlx.Array) *mlx.Array, ins []in, args []*mlx.Array, i, j int, wide bool) float64 {
	at := func(delta float64) float64 {
		vals := append([]float64(nil), ins[i].vals...)
		vals[j] += delta
		a := append([]*mlx.Array(nil), args...)
		a[i] = f64(ins[i].shape, vals)
		return loss(a).Item()
	}
	if wide {
		h := fdWideStep
		return (-at(2*h) + 8*at(h) - 8*at(-h) + at(-2*h)) / (12 * h)
	}
	return (at(fdStep) - at(-fdStep)) / (2 * fdStep)
}

func TestFiniteDifferencesCoverage(t *testing.T) {
	ops := map[string]bool{}
	for _, c := range fdCases {
		if c.op() != "Composite" {
			ops[c.op()] = true
		}
	}
	must := strings.Fields(`Abs Neg Sqrt Rsqrt Square Exp Expm1 Log Log1p Log2 Log10 Sin Cos Tan
		Arcsin Arccos Arctan Arctan2 Sinh Cosh Tanh Sigmoid Erf
		Add Sub Mul Div Pow Maximum Minimum Matmul
		Sum Mean Prod Max Var Std LogSumExp Softmax CumSum CumProd
		Reshape Transpose Concatenate Take Slice Pad BroadcastTo Tile
		Where Clip Norm`) // Inv and Solve: MLX has no gradient for them; see TestGradientNotInMLX
	for _, op := range must {
		if !ops[op] {
			t.Errorf("no finite-difference case for %s", op)
		}
	}
	if len(ops) < 30 {
		t.Errorf("finite differences cover %d ops, want at least 30", len(ops))
	}
	t.Logf("finite differences cover %d distinct ops in %d cases", len(ops), len(fdCases))
}

func anys(a []*mlx.Array) []any {
	out := make([]any, len(a))
	for i, x := range a {
		out[i] = x
	}
	return out
}

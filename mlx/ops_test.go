package mlx_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
)

// ---- helpers shared by the test files of this package ----

// check asserts a's dtype and shape.
func check(t *testing.T, name string, a *mlx.Array, dt mlx.Dtype, shape ...int) {
	t.Helper()
	if a == nil {
		t.Fatalf("%s: got a nil array", name)
	}
	if got := a.Dtype(); got != dt {
		t.Errorf("%s: dtype %v, want %v", name, got, dt)
	}
	if got := a.Shape(); !slices.Equal(got, shape) {
		t.Errorf("%s: shape %v, want %v", name, got, shape)
	}
}

// same reports whether two floats are equal, treating NaNs as equal.
func same(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

// near reports whether got is within tol of want (relative for large values).
func near(got, want, tol float64) bool {
	if same(got, want) {
		return true
	}
	if math.IsInf(want, 0) || math.IsNaN(want) {
		return false
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// wantF32 asserts dtype, shape and exact float32 values.
func wantF32(t *testing.T, name string, a *mlx.Array, dt mlx.Dtype, shape []int, want ...float32) {
	t.Helper()
	check(t, name, a, dt, shape...)
	got := a.Float32s()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values %v, want %d %v", name, len(got), got, len(want), want)
	}
	for i := range got {
		if !same(float64(got[i]), float64(want[i])) {
			t.Errorf("%s: values %v, want %v", name, got, want)
			return
		}
	}
}

// wantClose asserts dtype, shape and values within tol (relative above 1).
func wantClose(t *testing.T, name string, a *mlx.Array, dt mlx.Dtype, shape []int, tol float64, want ...float64) {
	t.Helper()
	check(t, name, a, dt, shape...)
	got := a.Float64s()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values %v, want %d %v", name, len(got), got, len(want), want)
	}
	for i := range got {
		if !near(got[i], want[i], tol) {
			t.Errorf("%s: values %v, want %v (tol %g)", name, got, want, tol)
			return
		}
	}
}

// wantI32 asserts dtype, shape and exact integer values.
func wantI32(t *testing.T, name string, a *mlx.Array, dt mlx.Dtype, shape []int, want ...int32) {
	t.Helper()
	check(t, name, a, dt, shape...)
	if got := a.Int32s(); !slices.Equal(got, want) {
		t.Errorf("%s: values %v, want %v", name, got, want)
	}
}

// wantBools asserts a bool array's shape and values.
func wantBools(t *testing.T, name string, a *mlx.Array, shape []int, want ...bool) {
	t.Helper()
	check(t, name, a, mlx.Bool, shape...)
	if got := a.Bools(); !slices.Equal(got, want) {
		t.Errorf("%s: values %v, want %v", name, got, want)
	}
}

// sh builds a shape argument.
func sh(d ...int) []int {
	if d == nil {
		return []int{}
	}
	return d
}

// mustPanic runs f and returns the *mlx.Error it panicked with.
func mustPanic(t *testing.T, name string, f func()) *mlx.Error {
	t.Helper()
	err := func() (e error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			me, ok := r.(*mlx.Error)
			if !ok {
				t.Errorf("%s: panicked with %T %v, want *mlx.Error", name, r, r)
				e = errors.New("not an mlx.Error")
				return
			}
			e = me
		}()
		f()
		return nil
	}()
	if err == nil {
		t.Fatalf("%s: did not panic", name)
	}
	me, _ := err.(*mlx.Error)
	return me
}

// wantErr asserts that f panics with an *mlx.Error whose text is exactly msg.
func wantErr(t *testing.T, msg string, f func()) {
	t.Helper()
	e := mustPanic(t, msg, f)
	if e == nil {
		return
	}
	if e.Error() != msg {
		t.Errorf("error\n  got  %q\n  want %q", e.Error(), msg)
	}
	if !strings.HasPrefix(msg, e.Op+": ") {
		t.Errorf("error %q: Op is %q", msg, e.Op)
	}
}

// m23 is [[1 2 3] [4 5 6]] as float32.
func m23() *mlx.Array { return mlx.AsArray([][]float64{{1, 2, 3}, {4, 5, 6}}) }

// ---- arithmetic ----

func TestArithmetic(t *testing.T) {
	x := m23()
	wantF32(t, "Add row", mlx.Add(x, []float64{10, 20, 30}), mlx.Float32, sh(2, 3), 11, 22, 33, 14, 25, 36)
	wantF32(t, "Add column", mlx.Add(x, [][]float64{{100}, {200}}), mlx.Float32, sh(2, 3), 101, 102, 103, 204, 205, 206)
	wantF32(t, "Add scalar", mlx.Add(x, 1), mlx.Float32, sh(2, 3), 2, 3, 4, 5, 6, 7)
	wantF32(t, "Sub", mlx.Sub(x, 1), mlx.Float32, sh(2, 3), 0, 1, 2, 3, 4, 5)
	wantF32(t, "Sub scalar first", mlx.Sub(10, x), mlx.Float32, sh(2, 3), 9, 8, 7, 6, 5, 4)
	wantF32(t, "Mul", mlx.Mul(x, x), mlx.Float32, sh(2, 3), 1, 4, 9, 16, 25, 36)
	wantF32(t, "Div", mlx.Div(x, 2), mlx.Float32, sh(2, 3), 0.5, 1, 1.5, 2, 2.5, 3)
	wantF32(t, "Div by zero", mlx.Div([]float64{1, -1, 0}, 0.0), mlx.Float32, sh(3),
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()))
	wantF32(t, "Div ints", mlx.Div([]int{1, 2, 3}, 2), mlx.Float32, sh(3), 0.5, 1, 1.5)
	wantF32(t, "Pow", mlx.Pow(x, 2), mlx.Float32, sh(2, 3), 1, 4, 9, 16, 25, 36)
	wantF32(t, "Pow fractional", mlx.Pow([]float64{4, 9}, 0.5), mlx.Float32, sh(2), 2, 3)
	wantI32(t, "Pow ints", mlx.Pow(2, []int{0, 1, 2, 10}), mlx.Int32, sh(4), 1, 2, 4, 1024)
	wantF32(t, "Neg", mlx.Neg(x), mlx.Float32, sh(2, 3), -1, -2, -3, -4, -5, -6)
	wantI32(t, "Neg int", mlx.Neg([]int{3, -4}), mlx.Int32, sh(2), -3, 4)

	w := mlx.AsArray([][]float64{{1, 0}, {0, 1}, {1, 1}})
	wantF32(t, "Matmul", mlx.Matmul(x, w), mlx.Float32, sh(2, 2), 4, 5, 10, 11)
	wantF32(t, "Matmul matrix-vector", mlx.Matmul(x, []float64{1, 1, 1}), mlx.Float32, sh(2), 6, 15)
	wantF32(t, "Matmul vector-matrix", mlx.Matmul([]float64{1, -1}, x), mlx.Float32, sh(3), -3, -3, -3)
	wantF32(t, "Matmul vector-vector", mlx.Matmul([]float64{1, 2, 3}, []float64{4, 5, 6}), mlx.Float32, sh(), 32)
	batch := mlx.Stack([]*mlx.Array{mlx.Eye(2), mlx.Mul(mlx.Eye(2), 2)})
	wantF32(t, "Matmul batched", mlx.Matmul(batch, [][]float64{{1, 2}, {3, 4}}), mlx.Float32, sh(2, 2, 2),
		1, 2, 3, 4, 2, 4, 6, 8)

	// Remainder and FloorDivide follow Python: the result takes the divisor's sign.
	a, b := []float64{5, -5, 5, -5, 7.5}, []float64{3, 3, -3, -3, 2}
	wantF32(t, "Remainder", mlx.Remainder(a, b), mlx.Float32, sh(5), 2, 1, -1, -2, 1.5)
	wantF32(t, "FloorDivide", mlx.FloorDivide(a, b), mlx.Float32, sh(5), 1, -2, -2, 1, 3)
	ai, bi := []int{5, -5, 5, -5}, []int{3, 3, -3, -3}
	wantI32(t, "Remainder int", mlx.Remainder(ai, bi), mlx.Int32, sh(4), 2, 1, -1, -2)
	wantI32(t, "FloorDivide int", mlx.FloorDivide(ai, bi), mlx.Int32, sh(4), 1, -2, -2, 1)

	wantF32(t, "Maximum", mlx.Maximum([]float64{1, 5, -2}, []float64{3, 4, -2}), mlx.Float32, sh(3), 3, 5, -2)
	wantF32(t, "Minimum", mlx.Minimum([]float64{1, 5, -2}, []float64{3, 4, -3}), mlx.Float32, sh(3), 1, 4, -3)
	wantF32(t, "Maximum broadcast", mlx.Maximum(x, 3.5), mlx.Float32, sh(2, 3), 3.5, 3.5, 3.5, 4, 5, 6)
	wantF32(t, "Minimum NaN", mlx.Minimum([]float64{math.NaN(), 1}, 0.0), mlx.Float32, sh(2), float32(math.NaN()), 0)
	wantI32(t, "Maximum int", mlx.Maximum([]int{1, 7}, []int{4, 2}), mlx.Int32, sh(2), 4, 7)

	// Dtype promotion between arrays follows MLX.
	f64 := mlx.AsType([]float64{1, 2}, mlx.Float64)
	check(t, "float64+float32", mlx.Add(f64, mlx.Ones(2)), mlx.Float64, 2)
	check(t, "int32+float32", mlx.Add(mlx.AsArray([]int{1, 2}), mlx.Ones(2)), mlx.Float32, 2)
	check(t, "bool+bool", mlx.Add(mlx.AsArray([]bool{true}), mlx.AsArray([]bool{true})), mlx.Bool, 1)
}

func TestArrayMethods(t *testing.T) {
	x := m23()
	w := mlx.AsArray([]float64{1, 1, 1})
	y := mlx.AsArray([]float64{5, 14})
	r := x.Matmul(w).Sub(y)
	wantF32(t, "x.Matmul(w).Sub(y)", r, mlx.Float32, sh(2), 1, 1)
	wantF32(t, "r.Mul(r).Sum()", r.Mul(r).Sum(), mlx.Float32, sh(), 2)
	if v := r.Mul(r).Sum().Item(); v != 2 {
		t.Errorf("Item = %v, want 2", v)
	}
	wantF32(t, "chain", x.Add(1).Mul(2).Div(4).Pow(2).Neg(), mlx.Float32, sh(2, 3), -1, -2.25, -4, -6.25, -9, -12.25)
	wantF32(t, "Sub/Sum axis", x.Sub(x.Mean(1, mlx.KeepDims)).Sum(1), mlx.Float32, sh(2), 0, 0)
	wantF32(t, "Abs Sqrt Square", mlx.AsArray([]float64{-4, 9}).Abs().Sqrt().Square(), mlx.Float32, sh(2), 4, 9)
	wantF32(t, "Max Min Prod", mlx.Stack([]*mlx.Array{x.Max(), x.Min(), x.Prod()}), mlx.Float32, sh(3), 6, 1, 720)
	wantF32(t, "T Reshape Flatten", x.T().Reshape(3, 2).Flatten(), mlx.Float32, sh(6), 1, 4, 2, 5, 3, 6)
	wantI32(t, "ArgMax ArgMin", mlx.Stack([]*mlx.Array{x.ArgMax(), x.ArgMin()}), mlx.Uint32, sh(2), 5, 0)
	wantF32(t, "Clip", x.Clip(2, 5), mlx.Float32, sh(2, 3), 2, 2, 3, 4, 5, 5)
	wantF32(t, "Take", x.Take([]int{0, 5}), mlx.Float32, sh(2), 1, 6)
	wantF32(t, "CumSum", x.CumSum(1), mlx.Float32, sh(2, 3), 1, 3, 6, 4, 9, 15)
	wantBools(t, "Greater/LogicalAnd", x.Greater(1).LogicalAnd(x.Less(6)), sh(2, 3), false, true, true, true, true, false)
	wantF32(t, "AsType", x.AsType(mlx.Int32).AsType(mlx.Float32), mlx.Float32, sh(2, 3), 1, 2, 3, 4, 5, 6)
	wantF32(t, "Eval chains", x.Add(1).Eval(), mlx.Float32, sh(2, 3), 2, 3, 4, 5, 6, 7)
	wantF32(t, "Softmax", mlx.AsArray([]float64{0, 0}).Softmax(), mlx.Float32, sh(2), 0.5, 0.5)
	if x.Ndim() != 2 || x.Size() != 6 || x.Device() != mlx.DefaultDevice() {
		t.Errorf("Ndim %d Size %d Device %v", x.Ndim(), x.Size(), x.Device())
	}
	if s := x.Summary(); s != "mlx [2 x 3] float32 on "+mlx.DefaultDevice().String() {
		t.Errorf("Summary = %q", s)
	}
}

// Go scalars beside an array take a compatible dtype (MLX's weak scalars).
func TestWeakScalars(t *testing.T) {
	h := mlx.AsType([]float64{1, 2}, mlx.Float16)
	wantF32(t, "float16.Mul(2)", h.Mul(2), mlx.Float16, sh(2), 2, 4)
	wantF32(t, "float16.Mul(2.5)", h.Mul(2.5), mlx.Float16, sh(2), 2.5, 5)
	wantF32(t, "2*float16", mlx.Mul(2, h), mlx.Float16, sh(2), 2, 4)
	d := mlx.AsType([]float64{0.1, 1}, mlx.Float64)
	m := d.Mul(2)
	check(t, "float64.Mul(2)", m, mlx.Float64, 2)
	if got := m.Float64s(); got[0] != 0.2 || got[1] != 2 {
		t.Errorf("float64.Mul(2) = %v, want [0.2 2] in full precision", got)
	}
	if got := d.Add(0.1).Float64s(); got[0] != 0.2 {
		t.Errorf("float64.Add(0.1) = %v, want 0.2 exactly", got)
	}
	i := mlx.AsArray([]int{1, 2})
	wantF32(t, "int32.Add(1.5)", i.Add(1.5), mlx.Float32, sh(2), 2.5, 3.5)
	wantI32(t, "int32.Add(1)", i.Add(1), mlx.Int32, sh(2), 2, 3)
	wantI32(t, "int32.Mul(int64(3))", i.Mul(int64(3)), mlx.Int32, sh(2), 3, 6)
	b := mlx.AsArray([]bool{true, false})
	wantI32(t, "bool+1", b.Add(1), mlx.Int32, sh(2), 2, 1)
	wantI32(t, "1+bool", mlx.Add(1, b), mlx.Int32, sh(2), 2, 1)
	wantF32(t, "bool+0.5", b.Add(0.5), mlx.Float32, sh(2), 1.5, 0.5)
	wantBools(t, "bool&&true", b.LogicalAnd(true), sh(2), true, false)
	u := mlx.AsType([]int{1, 2}, mlx.Uint8)
	wantI32(t, "uint8.Add(1)", u.Add(1), mlx.Uint8, sh(2), 2, 3)
	c := mlx.AsArray([]complex128{1 + 1i})
	check(t, "complex.Mul(2)", c.Mul(2), mlx.Complex64, 1)
	if got := c.Mul(2).Complex64s(); got[0] != 2+2i {
		t.Errorf("complex.Mul(2) = %v", got)
	}
	check(t, "float32.Mul(1i)", mlx.Ones(1).Mul(1i), mlx.Complex64, 1)
	// Two Go scalars: both become arrays with AsArray's dtypes.
	wantF32(t, "Add(1, 2.5)", mlx.Add(1, 2.5), mlx.Float32, sh(), 3.5)
	wantI32(t, "Add(1, 2)", mlx.Add(1, 2), mlx.Int32, sh(), 3)
	// A Go slice is not weak: []float64 is float32.
	check(t, "int32 + []float64", mlx.Add(i, []float64{1, 1}), mlx.Float32, 2)
}

// ---- comparison and logic ----

func TestComparison(t *testing.T) {
	a, b := []float64{1, 2, 3}, []float64{3, 2, 1}
	wantBools(t, "Equal", mlx.Equal(a, b), sh(3), false, true, false)
	wantBools(t, "NotEqual", mlx.NotEqual(a, b), sh(3), true, false, true)
	wantBools(t, "Less", mlx.Less(a, b), sh(3), true, false, false)
	wantBools(t, "LessEqual", mlx.LessEqual(a, b), sh(3), true, true, false)
	wantBools(t, "Greater", mlx.Greater(a, b), sh(3), false, false, true)
	wantBools(t, "GreaterEqual", mlx.GreaterEqual(a, b), sh(3), false, true, true)
	wantBools(t, "Equal broadcast", mlx.Equal(m23(), []float64{1, 5, 0}), sh(2, 3), true, false, false, false, true, false)
	wantBools(t, "Greater scalar", mlx.Greater(m23(), 3), sh(2, 3), false, false, false, true, true, true)
	wantBools(t, "Equal NaN", mlx.Equal([]float64{math.NaN()}, []float64{math.NaN()}), sh(1), false)
	wantBools(t, "Equal int", mlx.Equal([]int{1, 2}, 2), sh(2), false, true)

	p, q := []bool{true, true, false, false}, []bool{true, false, true, false}
	wantBools(t, "LogicalAnd", mlx.LogicalAnd(p, q), sh(4), true, false, false, false)
	wantBools(t, "LogicalOr", mlx.LogicalOr(p, q), sh(4), true, true, true, false)
	wantBools(t, "LogicalNot", mlx.LogicalNot(p), sh(4), false, false, true, true)
	wantBools(t, "LogicalNot numbers", mlx.LogicalNot([]float64{0, 2.5}), sh(2), true, false)
	wantBools(t, "LogicalAnd numbers", mlx.LogicalAnd([]int{0, 1, 2}, []float64{1, 1, 0}), sh(3), false, true, false)

	wantF32(t, "Where", mlx.Where([]bool{true, false, true}, []float64{1, 2, 3}, []float64{-1, -2, -3}),
		mlx.Float32, sh(3), 1, -2, 3)
	wantF32(t, "Where broadcast", mlx.Where(mlx.Greater(m23(), 3), m23(), 0), mlx.Float32, sh(2, 3), 0, 0, 0, 4, 5, 6)
	wantI32(t, "Where ints", mlx.Where([]bool{false, true}, 1, 2), mlx.Int32, sh(2), 2, 1)
	// A weak scalar takes the other branch's dtype.
	check(t, "Where float16", mlx.Where([]bool{true}, mlx.AsType([]float64{1}, mlx.Float16), 0), mlx.Float16, 1)

	nan, inf := math.NaN(), math.Inf(1)
	wantBools(t, "IsClose", mlx.IsClose([]float64{1, 1.000001, 1.001, nan, inf}, []float64{1, 1, 1, nan, inf}),
		sh(5), true, true, false, false, true)
	wantBools(t, "IsClose EqualNaN", mlx.IsClose([]float64{nan, 1}, []float64{nan, 2}, mlx.Tolerance{RTol: 1e-5, ATol: 1e-8, EqualNaN: true}),
		sh(2), true, false)
	wantBools(t, "IsClose ATol", mlx.IsClose([]float64{1, 1.5}, 1.2, mlx.Tolerance{ATol: 0.25}), sh(2), true, false)
	wantBools(t, "IsClose RTol", mlx.IsClose([]float64{100, 100}, []float64{109, 112}, mlx.Tolerance{RTol: 0.1}), sh(2), true, false)
	wantBools(t, "AllClose true", mlx.AllClose(m23(), m23().Add(1e-7)), sh(), true)
	wantBools(t, "AllClose false", mlx.AllClose(m23(), m23().Add(0.1)), sh(), false)
	wantBools(t, "AllClose tolerance", mlx.AllClose(m23(), m23().Add(0.1), mlx.Tolerance{ATol: 0.2}), sh(), true)
	wantBools(t, "AllClose broadcast", mlx.AllClose(mlx.Full([]int{2, 2}, 3.0), 3), sh(), true)

	wantBools(t, "IsNaN", mlx.IsNaN([]float64{1, nan, inf}), sh(3), false, true, false)
	wantBools(t, "IsInf", mlx.IsInf([]float64{1, nan, inf, -inf}), sh(4), false, false, true, true)
	wantBools(t, "IsPosInf", mlx.IsPosInf([]float64{inf, -inf}), sh(2), true, false)
	wantBools(t, "IsNegInf", mlx.IsNegInf([]float64{inf, -inf}), sh(2), false, true)
	wantBools(t, "IsNaN int", mlx.IsNaN([]int{1}), sh(1), false)
}

// ---- elementwise math ----

func TestElementwiseMath(t *testing.T) {
	const tol = 1e-6
	f := mlx.Float32
	wantF32(t, "Abs", mlx.Abs([]float64{-1.5, 0, 2}), f, sh(3), 1.5, 0, 2)
	wantI32(t, "Abs int", mlx.Abs([]int{-3, 4}), mlx.Int32, sh(2), 3, 4)
	wantF32(t, "Sign", mlx.Sign([]float64{-2, 0, 3}), f, sh(3), -1, 0, 1)
	wantI32(t, "Sign int", mlx.Sign([]int{-2, 0, 3}), mlx.Int32, sh(3), -1, 0, 1)
	wantF32(t, "Sqrt", mlx.Sqrt([]float64{0, 1, 4, 2.25}), f, sh(4), 0, 1, 2, 1.5)
	wantF32(t, "Sqrt negative", mlx.Sqrt(-1.0), f, sh(), float32(math.NaN()))
	wantClose(t, "Rsqrt", mlx.Rsqrt([]float64{1, 4, 0.25}), f, sh(3), tol, 1, 0.5, 2)
	wantF32(t, "Square", mlx.Square([]float64{-3, 0.5}), f, sh(2), 9, 0.25)
	wantI32(t, "Square int", mlx.Square([]int{-3, 4}), mlx.Int32, sh(2), 9, 16)
	wantClose(t, "Reciprocal", mlx.Reciprocal([]float64{2, -4}), f, sh(2), tol, 0.5, -0.25)
	wantClose(t, "Exp", mlx.Exp([]float64{0, 1, -1}), f, sh(3), tol, 1, math.E, 1/math.E)
	wantClose(t, "Expm1", mlx.Expm1([]float64{0, 1e-10, 1}), f, sh(3), tol, 0, 1e-10, math.E-1)
	wantClose(t, "Log", mlx.Log([]float64{1, math.E, 10}), f, sh(3), tol, 0, 1, math.Ln10)
	wantF32(t, "Log 0 and -1", mlx.Log([]float64{0, -1}), f, sh(2), float32(math.Inf(-1)), float32(math.NaN()))
	wantClose(t, "Log1p", mlx.Log1p([]float64{0, 1e-10, math.E - 1}), f, sh(3), tol, 0, 1e-10, 1)
	wantF32(t, "Log2", mlx.Log2([]float64{1, 2, 8, 0.5}), f, sh(4), 0, 1, 3, -1)
	wantClose(t, "Log10", mlx.Log10([]float64{1, 10, 1000, 0.01}), f, sh(4), tol, 0, 1, 3, -2)
	wantClose(t, "Log int input", mlx.Log([]int{1}), f, sh(1), tol, 0)

	wantClose(t, "Sin", mlx.Sin([]float64{0, math.Pi / 2, math.Pi / 6}), f, sh(3), tol, 0, 1, 0.5)
	wantClose(t, "Cos", mlx.Cos([]float64{0, math.Pi, math.Pi / 3}), f, sh(3), tol, 1, -1, 0.5)
	wantClose(t, "Tan", mlx.Tan([]float64{0, math.Pi / 4}), f, sh(2), tol, 0, 1)
	wantClose(t, "Arcsin", mlx.Arcsin([]float64{0, 1, 0.5}), f, sh(3), tol, 0, math.Pi/2, math.Pi/6)
	wantClose(t, "Arccos", mlx.Arccos([]float64{1, 0, -1}), f, sh(3), tol, 0, math.Pi/2, math.Pi)
	wantF32(t, "Arcsin out of domain", mlx.Arcsin(2.0), f, sh(), float32(math.NaN()))
	wantClose(t, "Arctan", mlx.Arctan([]float64{0, 1, -1}), f, sh(3), tol, 0, math.Pi/4, -math.Pi/4)
	// Arctan2(x, y) is atan2(x, y): x plays the role of the ordinate.
	wantClose(t, "Arctan2", mlx.Arctan2([]float64{1, -1, 1, 0}, []float64{-1, -1, 0, 1}), f, sh(4), tol,
		3*math.Pi/4, -3*math.Pi/4, math.Pi/2, 0)
	wantClose(t, "Sinh", mlx.Sinh([]float64{0, 1}), f, sh(2), tol, 0, math.Sinh(1))
	wantClose(t, "Cosh", mlx.Cosh([]float64{0, 1}), f, sh(2), tol, 1, math.Cosh(1))
	wantClose(t, "Tanh", mlx.Tanh([]float64{0, 1, -20}), f, sh(3), tol, 0, math.Tanh(1), -1)
	wantClose(t, "Arcsinh", mlx.Arcsinh([]float64{0, 1}), f, sh(2), tol, 0, math.Asinh(1))
	wantClose(t, "Arccosh", mlx.Arccosh([]float64{1, 2}), f, sh(2), tol, 0, math.Acosh(2))
	wantClose(t, "Arctanh", mlx.Arctanh([]float64{0, 0.5}), f, sh(2), tol, 0, math.Atanh(0.5))
	wantClose(t, "Sigmoid", mlx.Sigmoid([]float64{0, 2, -2, 100}), f, sh(4), tol,
		0.5, 1/(1+math.Exp(-2)), 1/(1+math.Exp(2)), 1)
	wantClose(t, "Erf", mlx.Erf([]float64{0, 0.5, 1, -1, 5}), f, sh(5), tol, 0, math.Erf(0.5), math.Erf(1), -math.Erf(1), 1)
	wantClose(t, "Erfinv", mlx.Erfinv([]float64{0, math.Erf(0.5)}), f, sh(2), 1e-5, 0, 0.5)
	wantClose(t, "Degrees", mlx.Degrees(math.Pi), f, sh(), tol, 180)
	wantClose(t, "Radians", mlx.Radians(180), f, sh(), tol, math.Pi)
	wantClose(t, "LogAddExp", mlx.LogAddExp([]float64{0, 1000}, []float64{0, 1000}), f, sh(2), tol, math.Ln2, 1000+math.Ln2)

	v := []float64{-1.5, -0.5, 0.5, 1.5, 2.5, 2.4, -2.6}
	wantF32(t, "Floor", mlx.Floor(v), f, sh(7), -2, -1, 0, 1, 2, 2, -3)
	wantF32(t, "Ceil", mlx.Ceil(v), f, sh(7), -1, 0, 1, 2, 3, 3, -2)
	wantF32(t, "Round halves to even", mlx.Round(v), f, sh(7), -2, 0, 0, 2, 2, 2, -3)
	wantClose(t, "RoundTo", mlx.RoundTo([]float64{1.2345, -2.5678}, 2), f, sh(2), 1e-6, 1.23, -2.57)
	wantI32(t, "Floor int", mlx.Floor([]int{3}), mlx.Int32, sh(1), 3)

	wantF32(t, "Clip", mlx.Clip([]float64{-5, 0, 5, 10}, -1, 6), f, sh(4), -1, 0, 5, 6)
	wantF32(t, "Clip low only", mlx.Clip([]float64{-5, 0, 5}, 0, nil), f, sh(3), 0, 0, 5)
	wantF32(t, "Clip high only", mlx.Clip([]float64{-5, 0, 5}, nil, 1), f, sh(3), -5, 0, 1)
	wantF32(t, "Clip array bounds", mlx.Clip(m23(), []float64{2, 2, 2}, [][]float64{{2}, {5}}), f, sh(2, 3), 2, 2, 2, 4, 5, 5)
	wantI32(t, "Clip int", mlx.Clip([]int{1, 5, 10}, 2, 8), mlx.Int32, sh(3), 2, 5, 8)

	c := mlx.AsArray([]complex128{1 + 2i, -3i})
	if got := mlx.Conjugate(c).Complex64s(); !slices.Equal(got, []complex64{1 - 2i, 3i}) {
		t.Errorf("Conjugate = %v", got)
	}
	wantF32(t, "Real", mlx.Real(c), f, sh(2), 1, 0)
	wantF32(t, "Imag", mlx.Imag(c), f, sh(2), 2, -3)
	wantF32(t, "Abs complex", mlx.Abs([]complex128{3 + 4i}), f, sh(1), 5)

	// Float64 arrays compute in float64.
	d := mlx.AsType([]float64{2}, mlx.Float64)
	if got := mlx.Sqrt(d).Float64s()[0]; got != math.Sqrt2 {
		t.Errorf("Sqrt float64 = %v, want %v", got, math.Sqrt2)
	}
	check(t, "Exp float64", mlx.Exp(d), mlx.Float64, 1)
}

// ---- reductions ----

func TestReductions(t *testing.T) {
	x := m23()
	f := mlx.Float32
	wantF32(t, "Sum", mlx.Sum(x), f, sh(), 21)
	wantF32(t, "Sum 0", mlx.Sum(x, 0), f, sh(3), 5, 7, 9)
	wantF32(t, "Sum 1", mlx.Sum(x, 1), f, sh(2), 6, 15)
	wantF32(t, "Sum -1", mlx.Sum(x, -1), f, sh(2), 6, 15)
	wantF32(t, "Sum 0 1", mlx.Sum(x, 0, 1), f, sh(), 21)
	wantF32(t, "Sum KeepDims", mlx.Sum(x, 1, mlx.KeepDims), f, sh(2, 1), 6, 15)
	wantF32(t, "Sum KeepDims first", mlx.Sum(x, mlx.KeepDims, 0), f, sh(1, 3), 5, 7, 9)
	wantF32(t, "Sum all KeepDims", mlx.Sum(x, mlx.KeepDims), f, sh(1, 1), 21)
	wantI32(t, "Sum int", mlx.Sum([]int{1, 2, 3}), mlx.Int32, sh(), 6)
	wantI32(t, "Sum bool", mlx.Sum([]bool{true, true, false}), mlx.Int32, sh(), 2)
	wantF32(t, "Sum empty", mlx.Sum([]float64{}), f, sh(), 0)
	wantF32(t, "Sum 3-D", mlx.Sum(mlx.Reshape(mlx.Arange(24.0), 2, 3, 4), 0, 2), f, sh(3), 60, 92, 124)

	wantF32(t, "Mean", mlx.Mean(x), f, sh(), 3.5)
	wantF32(t, "Mean 0", mlx.Mean(x, 0), f, sh(3), 2.5, 3.5, 4.5)
	wantF32(t, "Mean 1 KeepDims", mlx.Mean(x, 1, mlx.KeepDims), f, sh(2, 1), 2, 5)
	wantF32(t, "Mean int", mlx.Mean([]int{1, 2}), f, sh(), 1.5)
	wantF32(t, "Prod", mlx.Prod(x), f, sh(), 720)
	wantF32(t, "Prod 1", mlx.Prod(x, 1), f, sh(2), 6, 120)
	wantF32(t, "Max", mlx.Max(x), f, sh(), 6)
	wantF32(t, "Max 0", mlx.Max(x, 0), f, sh(3), 4, 5, 6)
	wantF32(t, "Max KeepDims", mlx.Max(x, -1, mlx.KeepDims), f, sh(2, 1), 3, 6)
	wantF32(t, "Min", mlx.Min(x), f, sh(), 1)
	wantF32(t, "Min 1", mlx.Min(x, 1), f, sh(2), 1, 4)
	wantI32(t, "Max int", mlx.Max([]int{3, -7, 5}), mlx.Int32, sh(), 5)

	v := mlx.AsArray([][]float64{{1, 2, 3}, {4, 5, 7}})
	wantClose(t, "Var", mlx.Var(v), f, sh(), 1e-6, 35.0/9)
	wantClose(t, "Var 1", mlx.Var(v, 1), f, sh(2), 1e-6, 2.0/3, 14.0/9)
	wantClose(t, "Var 0 KeepDims", mlx.Var(v, 0, mlx.KeepDims), f, sh(1, 3), 1e-6, 2.25, 2.25, 4)
	wantClose(t, "VarDdof", mlx.VarDdof(v, 1), f, sh(), 1e-6, 14.0/3)
	wantClose(t, "VarDdof 1", mlx.VarDdof(v, 1, 1), f, sh(2), 1e-6, 1, 7.0/3)
	wantClose(t, "Std", mlx.Std(v, 1), f, sh(2), 1e-6, math.Sqrt(2.0/3), math.Sqrt(14.0/9))
	wantClose(t, "StdDdof", mlx.StdDdof(v, 1, 1), f, sh(2), 1e-6, 1, math.Sqrt(7.0/3))
	wantClose(t, "StdDdof all KeepDims", mlx.StdDdof(v, 1, mlx.KeepDims), f, sh(1, 1), 1e-6, math.Sqrt(14.0/3))

	a := mlx.AsArray([][]float64{{1, 5, 3}, {7, 2, 7}})
	wantI32(t, "ArgMax", mlx.ArgMax(a), mlx.Uint32, sh(), 3)
	wantI32(t, "ArgMax 1", mlx.ArgMax(a, 1), mlx.Uint32, sh(2), 1, 0)
	wantI32(t, "ArgMax 0", mlx.ArgMax(a, 0), mlx.Uint32, sh(3), 1, 0, 1)
	wantI32(t, "ArgMax 1 KeepDims", mlx.ArgMax(a, 1, mlx.KeepDims), mlx.Uint32, sh(2, 1), 1, 0)
	wantI32(t, "ArgMin", mlx.ArgMin(a), mlx.Uint32, sh(), 0)
	wantI32(t, "ArgMin -1", mlx.ArgMin(a, -1), mlx.Uint32, sh(2), 0, 1)
	wantI32(t, "ArgMin KeepDims", mlx.ArgMin(a, mlx.KeepDims), mlx.Uint32, sh(1, 1), 0)

	b := [][]bool{{true, false}, {true, true}}
	wantBools(t, "All", mlx.All(b), sh(), false)
	wantBools(t, "All 0", mlx.All(b, 0), sh(2), true, false)
	wantBools(t, "All 1 KeepDims", mlx.All(b, 1, mlx.KeepDims), sh(2, 1), false, true)
	wantBools(t, "Any", mlx.Any(b), sh(), true)
	wantBools(t, "Any 1", mlx.Any([][]bool{{false, false}, {false, true}}, 1), sh(2), false, true)
	wantBools(t, "All numbers", mlx.All([]float64{1, 2, 0.5}), sh(), true)
	wantBools(t, "Any numbers", mlx.Any([]int{0, 0}), sh(), false)

	wantClose(t, "LogSumExp", mlx.LogSumExp([]float64{1, 2, 3}), f, sh(), 1e-6, 3+math.Log(1+math.Exp(-1)+math.Exp(-2)))
	wantClose(t, "LogSumExp 1", mlx.LogSumExp(v, 1), f, sh(2), 1e-6, 3.4076059644443806, 7.169846328354541)
	wantClose(t, "LogSumExp stable", mlx.LogSumExp([]float64{1000, 1000}), f, sh(), 1e-6, 1000+math.Ln2)
	wantClose(t, "LogSumExp KeepDims", mlx.LogSumExp(v, 0, mlx.KeepDims), f, sh(1, 3), 1e-6,
		4+math.Log1p(math.Exp(-3)), 5+math.Log1p(math.Exp(-3)), 7+math.Log1p(math.Exp(-4)))

	wantF32(t, "CumSum flat", mlx.CumSum(x), f, sh(6), 1, 3, 6, 10, 15, 21)
	wantF32(t, "CumSum 0", mlx.CumSum(x, 0), f, sh(2, 3), 1, 2, 3, 5, 7, 9)
	wantF32(t, "CumSum 1", mlx.CumSum(x, 1), f, sh(2, 3), 1, 3, 6, 4, 9, 15)
	wantI32(t, "CumSum int", mlx.CumSum([]int{1, 2, 3}), mlx.Int32, sh(3), 1, 3, 6)
	wantF32(t, "CumProd flat", mlx.CumProd(x), f, sh(6), 1, 2, 6, 24, 120, 720)
	wantF32(t, "CumProd 1", mlx.CumProd(x, 1), f, sh(2, 3), 1, 2, 6, 4, 20, 120)
	wantF32(t, "CumProd -2", mlx.CumProd(x, -2), f, sh(2, 3), 1, 2, 3, 4, 10, 18)
	wantF32(t, "CumMax", mlx.CumMax([]float64{1, 3, 2, 5}), f, sh(4), 1, 3, 3, 5)
	wantF32(t, "CumMin", mlx.CumMin([]float64{4, 3, 5, 1}), f, sh(4), 4, 3, 3, 1)
}

func TestSoftmax(t *testing.T) {
	e1, e2 := math.Exp(1), math.Exp(2)
	s := 1 + e1 + e2
	wantClose(t, "Softmax", mlx.Softmax([]float64{1, 2, 3}), mlx.Float32, sh(3), 1e-6, 1/s, e1/s, e2/s)
	wantClose(t, "Softmax -1", mlx.Softmax([][]float64{{1, 2, 3}, {0, 0, 0}}, -1), mlx.Float32, sh(2, 3), 1e-6,
		1/s, e1/s, e2/s, 1.0/3, 1.0/3, 1.0/3)
	wantClose(t, "Softmax 0", mlx.Softmax([][]float64{{0, 1}, {0, 1}}, 0), mlx.Float32, sh(2, 2), 1e-6, 0.5, 0.5, 0.5, 0.5)
	// No axes: over the whole array.
	wantClose(t, "Softmax all", mlx.Softmax([][]float64{{0, 0}, {0, 0}}), mlx.Float32, sh(2, 2), 1e-6, 0.25, 0.25, 0.25, 0.25)
	wantClose(t, "Softmax stable", mlx.Softmax([]float64{1000, 1000}), mlx.Float32, sh(2), 1e-6, 0.5, 0.5)
	wantClose(t, "Softmax sums to 1", mlx.Sum(mlx.Softmax(mlx.RandomNormal(4, 5), -1), -1), mlx.Float32, sh(4), 1e-6, 1, 1, 1, 1)
}

// ---- shape ops ----

func TestShapeOps(t *testing.T) {
	x := m23()
	f := mlx.Float32
	wantF32(t, "Reshape", mlx.Reshape(x, 3, 2), f, sh(3, 2), 1, 2, 3, 4, 5, 6)
	wantF32(t, "Reshape -1", mlx.Reshape(x, -1), f, sh(6), 1, 2, 3, 4, 5, 6)
	wantF32(t, "Reshape 1 -1 1", mlx.Reshape(x, 1, -1, 1), f, sh(1, 6, 1), 1, 2, 3, 4, 5, 6)
	wantF32(t, "Reshape scalar", mlx.Reshape([]float64{7}), f, sh(), 7)
	wantF32(t, "Transpose", mlx.Transpose(x), f, sh(3, 2), 1, 4, 2, 5, 3, 6)
	y := mlx.Reshape(mlx.Arange(6), 1, 2, 3)
	wantI32(t, "Transpose axes", mlx.Transpose(y, 2, 0, 1), mlx.Int32, sh(3, 1, 2), 0, 3, 1, 4, 2, 5)
	wantI32(t, "Transpose reverse 3-D", mlx.Transpose(y), mlx.Int32, sh(3, 2, 1), 0, 3, 1, 4, 2, 5)
	wantF32(t, "T", mlx.T(x), f, sh(3, 2), 1, 4, 2, 5, 3, 6)
	wantF32(t, "T 1-D", mlx.T([]float64{1, 2}), f, sh(2), 1, 2)
	wantI32(t, "Squeeze", mlx.Squeeze(mlx.Zeros(1, 3, 1).AsType(mlx.Int32)), mlx.Int32, sh(3), 0, 0, 0)
	check(t, "Squeeze axis", mlx.Squeeze(mlx.Zeros(1, 3, 1), 2), f, 1, 3)
	check(t, "Squeeze axes", mlx.Squeeze(mlx.Zeros(1, 3, 1), 0, -1), f, 3)
	wantF32(t, "ExpandDims", mlx.ExpandDims([]float64{1, 2}, 0), f, sh(1, 2), 1, 2)
	check(t, "ExpandDims -1", mlx.ExpandDims([]float64{1, 2}, -1), f, 2, 1)
	check(t, "ExpandDims two", mlx.ExpandDims([]float64{1, 2}, 0, 2), f, 1, 2, 1)

	a, b := mlx.AsArray([][]float64{{1, 2}}), mlx.AsArray([][]float64{{3, 4}, {5, 6}})
	wantF32(t, "Concatenate", mlx.Concatenate([]*mlx.Array{a, b}), f, sh(3, 2), 1, 2, 3, 4, 5, 6)
	wantF32(t, "Concatenate 1", mlx.Concatenate([]*mlx.Array{b, mlx.T(a)}, 1), f, sh(2, 3), 3, 4, 1, 5, 6, 2)
	wantF32(t, "Concatenate -1", mlx.Concatenate([]*mlx.Array{b, b}, -1), f, sh(2, 4), 3, 4, 3, 4, 5, 6, 5, 6)
	check(t, "Concatenate promotes", mlx.Concatenate([]*mlx.Array{mlx.AsArray([]int{1}), mlx.Ones(1)}), f, 2)
	c, d := mlx.AsArray([]float64{1, 2}), mlx.AsArray([]float64{3, 4})
	wantF32(t, "Stack", mlx.Stack([]*mlx.Array{c, d}), f, sh(2, 2), 1, 2, 3, 4)
	wantF32(t, "Stack 1", mlx.Stack([]*mlx.Array{c, d}, 1), f, sh(2, 2), 1, 3, 2, 4)
	wantF32(t, "Stack -1", mlx.Stack([]*mlx.Array{c, d, c}, -1), f, sh(2, 3), 1, 3, 1, 2, 4, 2)
	wantF32(t, "Stack scalars", mlx.Stack([]*mlx.Array{mlx.Scalar(1.0), mlx.Scalar(2.0)}), f, sh(2), 1, 2)

	parts := mlx.Split(mlx.Arange(6), 3)
	if len(parts) != 3 {
		t.Fatalf("Split: %d parts", len(parts))
	}
	wantI32(t, "Split[0]", parts[0], mlx.Int32, sh(2), 0, 1)
	wantI32(t, "Split[2]", parts[2], mlx.Int32, sh(2), 4, 5)
	cols := mlx.Split(x, 3, 1)
	if len(cols) != 3 {
		t.Fatalf("Split axis 1: %d parts", len(cols))
	}
	wantF32(t, "Split axis 1", cols[1], f, sh(2, 1), 2, 5)
	at := mlx.SplitAt(mlx.Arange(6), []int{1, 4})
	if len(at) != 3 {
		t.Fatalf("SplitAt: %d parts", len(at))
	}
	wantI32(t, "SplitAt[0]", at[0], mlx.Int32, sh(1), 0)
	wantI32(t, "SplitAt[1]", at[1], mlx.Int32, sh(3), 1, 2, 3)
	wantI32(t, "SplitAt[2]", at[2], mlx.Int32, sh(2), 4, 5)
	rows := mlx.SplitAt(x, []int{1}, 0)
	wantF32(t, "SplitAt rows", rows[1], f, sh(1, 3), 4, 5, 6)
	whole := mlx.SplitAt(x, nil)
	if len(whole) != 1 {
		t.Fatalf("SplitAt no indices: %d parts", len(whole))
	}
	wantF32(t, "SplitAt no indices", whole[0], f, sh(2, 3), 1, 2, 3, 4, 5, 6)

	wantF32(t, "BroadcastTo", mlx.BroadcastTo([]float64{1, 2, 3}, 2, 3), f, sh(2, 3), 1, 2, 3, 1, 2, 3)
	wantF32(t, "BroadcastTo column", mlx.BroadcastTo([][]float64{{1}, {2}}, 2, 2), f, sh(2, 2), 1, 1, 2, 2)
	wantI32(t, "BroadcastTo scalar", mlx.BroadcastTo(7, 2, 2), mlx.Int32, sh(2, 2), 7, 7, 7, 7)
	wantF32(t, "Flatten", mlx.Flatten(x), f, sh(6), 1, 2, 3, 4, 5, 6)
	wantF32(t, "Flatten transposed", mlx.Flatten(mlx.T(x)), f, sh(6), 1, 4, 2, 5, 3, 6)
	wantF32(t, "Flatten scalar", mlx.Flatten(2.0), f, sh(1), 2)

	wantF32(t, "Tile", mlx.Tile([]float64{1, 2}, 3), f, sh(6), 1, 2, 1, 2, 1, 2)
	wantF32(t, "Tile 2-D", mlx.Tile([]float64{1, 2}, 2, 2), f, sh(2, 4), 1, 2, 1, 2, 1, 2, 1, 2)
	wantF32(t, "Tile matrix", mlx.Tile([][]float64{{1}, {2}}, 1, 2), f, sh(2, 2), 1, 1, 2, 2)
	r := mlx.AsArray([][]int{{1, 2}, {3, 4}})
	wantI32(t, "Repeat flat", mlx.Repeat(r, 2), mlx.Int32, sh(8), 1, 1, 2, 2, 3, 3, 4, 4)
	wantI32(t, "Repeat 0", mlx.Repeat(r, 2, 0), mlx.Int32, sh(4, 2), 1, 2, 1, 2, 3, 4, 3, 4)
	wantI32(t, "Repeat 1", mlx.Repeat(r, 3, 1), mlx.Int32, sh(2, 6), 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4)

	wantF32(t, "Pad 1-D", mlx.Pad([]float64{1, 2}, [2]int{1, 2}), f, sh(5), 0, 1, 2, 0, 0)
	wantF32(t, "Pad same", mlx.Pad([][]float64{{1}}, [2]int{1, 1}), f, sh(3, 3), 0, 0, 0, 0, 1, 0, 0, 0, 0)
	wantF32(t, "Pad per axis", mlx.Pad([][]float64{{1, 2}}, [2]int{0, 1}, [2]int{1, 0}), f, sh(2, 3), 0, 1, 2, 0, 0, 0)
	wantF32(t, "PadWith", mlx.PadWith([]float64{1}, 9, [2]int{2, 1}), f, sh(4), 9, 9, 1, 9)
	wantI32(t, "Pad int", mlx.Pad([]int{5}, [2]int{1, 0}), mlx.Int32, sh(2), 0, 5)

	s := []float64{3, 1, 2}
	wantF32(t, "Sort", mlx.Sort(s), f, sh(3), 1, 2, 3)
	wantF32(t, "Sort 2-D last axis", mlx.Sort([][]float64{{3, 1}, {0, 2}}), f, sh(2, 2), 1, 3, 0, 2)
	wantF32(t, "Sort axis 0", mlx.Sort([][]float64{{3, 1}, {0, 2}}, 0), f, sh(2, 2), 0, 1, 3, 2)
	wantI32(t, "ArgSort", mlx.ArgSort(s), mlx.Uint32, sh(3), 1, 2, 0)
	wantI32(t, "ArgSort axis 0", mlx.ArgSort([][]float64{{3, 1}, {0, 2}}, 0), mlx.Uint32, sh(2, 2), 1, 0, 0, 1)
	tk := mlx.TopK([]int{3, 1, 4, 1, 5, 9, 2, 6}, 3)
	check(t, "TopK", tk, mlx.Int32, 3)
	got := tk.Int32s()
	slices.Sort(got)
	if !slices.Equal(got, []int32{5, 6, 9}) {
		t.Errorf("TopK = %v, want {5 6 9} in any order", got)
	}
	tk2 := mlx.Sort(mlx.TopK([][]float64{{1, 9, 3}, {8, 2, 7}}, 2, 1), 1)
	wantF32(t, "TopK axis 1", tk2, f, sh(2, 2), 3, 9, 7, 8)
	tk0 := mlx.Sort(mlx.TopK([][]float64{{1, 9}, {8, 2}, {5, 5}}, 2, 0), 0)
	wantF32(t, "TopK axis 0", tk0, f, sh(2, 2), 5, 5, 8, 9)

	wantF32(t, "Take flat", mlx.Take(x, []int{5, 0, 2}), f, sh(3), 6, 1, 3)
	wantF32(t, "Take axis 0", mlx.Take(x, []int{1, 1}, 0), f, sh(2, 3), 4, 5, 6, 4, 5, 6)
	wantF32(t, "Take axis 1", mlx.Take(x, []int{2, 0}, 1), f, sh(2, 2), 3, 1, 6, 4)
	wantF32(t, "Take scalar index", mlx.Take(x, 1, 0), f, sh(3), 4, 5, 6)
	wantF32(t, "Take negative", mlx.Take([]float64{1, 2, 3}, []int{-1}), f, sh(1), 3)
	wantF32(t, "Take 2-D indices", mlx.Take([]float64{10, 20, 30}, [][]int{{0, 1}, {2, 2}}), f, sh(2, 2), 10, 20, 30, 30)
	wantF32(t, "Take uint32 index array", mlx.Take(x, mlx.ArgMax(x, 1), 1), f, sh(2, 2), 3, 3, 6, 6)

	z := mlx.Reshape(mlx.Arange(12), 3, 4)
	wantI32(t, "Slice", mlx.Slice(z, []int{1, 1}, []int{3, 3}), mlx.Int32, sh(2, 2), 5, 6, 9, 10)
	wantI32(t, "Slice first axis only", mlx.Slice(z, []int{2}, []int{3}), mlx.Int32, sh(1, 4), 8, 9, 10, 11)
	wantI32(t, "Slice steps", mlx.Slice(z, []int{0, 0}, []int{3, 4}, 2, 3), mlx.Int32, sh(2, 2), 0, 3, 8, 11)
	wantI32(t, "Slice negative", mlx.Slice(z, []int{-1, -2}, []int{3, 4}), mlx.Int32, sh(1, 2), 10, 11)
	wantI32(t, "Slice reversed", mlx.Slice([]int{0, 1, 2, 3}, []int{3}, []int{-5}, -1), mlx.Int32, sh(4), 3, 2, 1, 0)
	wantI32(t, "Slice empty", mlx.Slice([]int{0, 1, 2}, []int{2}, []int{1}), mlx.Int32, sh(0))
	wantI32(t, "Slice clamps", mlx.Slice([]int{0, 1, 2}, []int{1}, []int{10}), mlx.Int32, sh(2), 1, 2)
}

// ---- FFT ----

// dft computes the discrete Fourier transform of x in float64.
func dft(x []complex128, inverse bool) []complex128 {
	n := len(x)
	out := make([]complex128, n)
	sign := -1.0
	if inverse {
		sign = 1
	}
	for k := range n {
		var s complex128
		for j, v := range x {
			ang := sign * 2 * math.Pi * float64(j*k) / float64(n)
			s += v * complex(math.Cos(ang), math.Sin(ang))
		}
		if inverse {
			s /= complex(float64(n), 0)
		}
		out[k] = s
	}
	return out
}

func wantComplex(t *testing.T, name string, a *mlx.Array, shape []int, tol float64, want []complex128) {
	t.Helper()
	check(t, name, a, mlx.Complex64, shape...)
	got := a.Complex64s()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		if !near(float64(real(got[i])), real(want[i]), tol) || !near(float64(imag(got[i])), imag(want[i]), tol) {
			t.Errorf("%s: values %v, want %v", name, got, want)
			return
		}
	}
}

func TestFFT(t *testing.T) {
	const tol = 1e-5
	x := []float64{1, 2, 3, 4}
	xc := []complex128{1, 2, 3, 4}
	wantComplex(t, "FFT exact", mlx.FFT(x), sh(4), tol, []complex128{10, -2 + 2i, -2, -2 - 2i})
	y := []float64{0.5, -1, 2, 3.25, 0, 1.5, -2}
	yc := make([]complex128, len(y))
	for i, v := range y {
		yc[i] = complex(v, 0)
	}
	wantComplex(t, "FFT", mlx.FFT(y), sh(7), tol, dft(yc, false))
	wantComplex(t, "FFT complex input", mlx.FFT([]complex128{1 + 1i, -1i, 2}), sh(3), tol, dft([]complex128{1 + 1i, -1i, 2}, false))
	wantComplex(t, "FFT n pads", mlx.FFT(x, 6), sh(6), tol, dft([]complex128{1, 2, 3, 4, 0, 0}, false))
	wantComplex(t, "FFT n crops", mlx.FFT(x, 2), sh(2), tol, []complex128{3, -1})
	wantComplex(t, "IFFT", mlx.IFFT([]complex128{10, -2 + 2i, -2, -2 - 2i}), sh(4), tol, xc)
	wantComplex(t, "IFFT real input", mlx.IFFT(y), sh(7), tol, dft(yc, true))
	wantComplex(t, "IFFT(FFT)", mlx.IFFT(mlx.FFT(y)), sh(7), tol, yc)
	wantComplex(t, "RFFT", mlx.RFFT(x), sh(3), tol, []complex128{10, -2 + 2i, -2})
	wantComplex(t, "RFFT odd", mlx.RFFT(y), sh(4), tol, dft(yc, false)[:4])
	wantComplex(t, "RFFT n", mlx.RFFT(x, 8), sh(5), tol, dft([]complex128{1, 2, 3, 4, 0, 0, 0, 0}, false)[:5])
	wantClose(t, "IRFFT", mlx.IRFFT([]complex128{10, -2 + 2i, -2}), mlx.Float32, sh(4), tol, 1, 2, 3, 4)
	wantClose(t, "IRFFT n", mlx.IRFFT(mlx.RFFT(y), 7), mlx.Float32, sh(7), tol, y...)
	// Along the last axis of a matrix, row by row.
	wantComplex(t, "FFT rows", mlx.FFT([][]float64{{1, 2, 3, 4}, {1, 0, 0, 0}}), sh(2, 4), tol,
		[]complex128{10, -2 + 2i, -2, -2 - 2i, 1, 1, 1, 1})

	// FFT2 is the DFT of the rows, then of the columns.
	m := [][]float64{{1, 2, 3}, {4, 5, 6}}
	var want []complex128
	rows := [][]complex128{dft([]complex128{1, 2, 3}, false), dft([]complex128{4, 5, 6}, false)}
	for i := range 2 {
		for j := range 3 {
			col := dft([]complex128{rows[0][j], rows[1][j]}, false)
			want = append(want, col[i])
		}
	}
	wantComplex(t, "FFT2", mlx.FFT2(m), sh(2, 3), tol, want)
	wantComplex(t, "FFT2 known", mlx.FFT2([][]float64{{1, 2}, {3, 4}}), sh(2, 2), tol, []complex128{10, -2, -4, 0})
	wantComplex(t, "IFFT2(FFT2)", mlx.IFFT2(mlx.FFT2(m)), sh(2, 3), tol, []complex128{1, 2, 3, 4, 5, 6})
}

func TestStopGradient(t *testing.T) {
	x := m23()
	s := mlx.StopGradient(x)
	wantF32(t, "StopGradient", s, mlx.Float32, sh(2, 3), 1, 2, 3, 4, 5, 6)
	wantI32(t, "StopGradient int", mlx.StopGradient([]int{1, 2}), mlx.Int32, sh(2), 1, 2)
	wantF32(t, "method", x.StopGradient().Add(1), mlx.Float32, sh(2, 3), 2, 3, 4, 5, 6, 7)
	// Gradients do not flow through it.
	f := func(args []*mlx.Array) []*mlx.Array {
		a := args[0]
		return []*mlx.Array{mlx.Sum(mlx.Add(mlx.Mul(a, a), mlx.StopGradient(mlx.Mul(a, a))))}
	}
	vg := mlx.ValueAndGrad("test", f, []int{0})
	vals, grads := vg.Call([]*mlx.Array{mlx.AsArray([]float64{1, 2})})
	wantF32(t, "value", vals[0], mlx.Float32, sh(), 10)
	wantF32(t, "grad", grads[0], mlx.Float32, sh(2), 2, 4)
}

// ---- String ----

func header(shape, dtype string) string {
	return "mlx array " + shape + "\n  dtype: " + dtype + "\n  device: " + mlx.DefaultDevice().String() + "\n"
}

func TestString(t *testing.T) {
	cases := []struct {
		name string
		a    *mlx.Array
		want string
	}{
		{"0-d", mlx.Scalar(8.0), header("[]", "float32") + "  values:\n[1] 8"},
		{"0-d int", mlx.AsArray(-3), header("[]", "int32") + "  values:\n[1] -3"},
		{"1-d", mlx.AsArray([]float64{1.5, 2, -3}), header("[3]", "float32") + "  values:\n[1]  1.5  2.0 -3.0"},
		{"2-d", m23(), header("[2 x 3]", "float32") + "  values:\n" +
			"     [,1] [,2] [,3]\n[1,]    1    2    3\n[2,]    4    5    6"},
		{"1x2x2", mlx.Zeros(1, 2, 2), header("[1 x 2 x 2]", "float32") + "  (4 elements, not shown)"},
		{"101 elements", mlx.Arange(101), header("[101]", "int32") + "  (101 elements, not shown)"},
		{"10x11", mlx.Zeros(10, 11), header("[10 x 11]", "float32") + "  (110 elements, not shown)"},
		{"100 elements", mlx.Arange(1, 101), header("[100]", "int32") + "  values:\n" +
			"  [1]   1   2   3   4   5   6   7   8   9  10  11  12  13  14  15  16  17  18\n" +
			" [19]  19  20  21  22  23  24  25  26  27  28  29  30  31  32  33  34  35  36\n" +
			" [37]  37  38  39  40  41  42  43  44  45  46  47  48  49  50  51  52  53  54\n" +
			" [55]  55  56  57  58  59  60  61  62  63  64  65  66  67  68  69  70  71  72\n" +
			" [73]  73  74  75  76  77  78  79  80  81  82  83  84  85  86  87  88  89  90\n" +
			" [91]  91  92  93  94  95  96  97  98  99 100"},
		{"int32", mlx.AsArray([]int{1, -20, 300}), header("[3]", "int32") + "  values:\n[1]   1 -20 300"},
		{"int32 matrix", mlx.Matrix([]int{1, 2, 30, 4}, 2, 2), header("[2 x 2]", "int32") + "  values:\n" +
			"     [,1] [,2]\n[1,]    1   30\n[2,]    2    4"},
		{"bool", mlx.AsArray([]bool{true, false, true}), header("[3]", "bool") + "  values:\n[1]  TRUE FALSE  TRUE"},
		{"bool matrix", mlx.AsArray([][]bool{{true, false}, {false, true}}), header("[2 x 2]", "bool") + "  values:\n" +
			"      [,1]  [,2]\n[1,]  TRUE FALSE\n[2,] FALSE  TRUE"},
		{"complex64", mlx.AsArray([]complex128{1 + 2i, -3.5i}), header("[2]", "complex64") + "  values:\n[1] 1+2.0i 0-3.5i"},
		{"complex64 matrix", mlx.AsArray([][]complex64{{1 + 1i, 2 - 1i}}), header("[1 x 2]", "complex64") + "  values:\n" +
			"     [,1] [,2]\n[1,] 1+1i 2-1i"},
		{"float32 digits", mlx.AsArray([]float64{0.1, 123456.7}), header("[2]", "float32") + "  values:\n[1]      0.1 123456.7"},
		{"non-finite", mlx.AsArray([]float64{math.NaN(), math.Inf(1), math.Inf(-1), 1}), header("[4]", "float32") +
			"  values:\n[1]  NaN  Inf -Inf    1"},
		{"empty", mlx.AsArray([]float64{}), header("[0]", "float32") + "  values:\nnumeric(0)"},
		{"empty int32", mlx.AsArray([]int{}), header("[0]", "int32") + "  values:\ninteger(0)"},
		{"empty bool", mlx.AsArray([]bool{}), header("[0]", "bool") + "  values:\nlogical(0)"},
		{"0 x 3", mlx.Zeros(0, 3), header("[0 x 3]", "float32") + "  values:\n     [,1] [,2] [,3]"},
		{"columns formatted apart", mlx.Matrix([]float64{1, 2, 0.5, 0.25, 100, 2e6}, 2, 3), header("[2 x 3]", "float32") +
			"  values:\n     [,1] [,2]  [,3]\n[1,]    1 0.50 1e+02\n[2,]    2 0.25 2e+06"},
		{"int32 never scientific", mlx.AsArray([]int{100000}), header("[1]", "int32") + "  values:\n[1] 100000"},
		{"float32 scientific", mlx.AsArray([]float64{100000}), header("[1]", "float32") + "  values:\n[1] 1e+05"},
		{"7 digits", mlx.AsArray([]float64{1.123456789, 22.5}), header("[2]", "float32") + "  values:\n[1]  1.123457 22.500000"},
		{"int64 prints as double", mlx.AsType([]int{100000}, mlx.Int64), header("[1]", "int64") + "  values:\n[1] 1e+05"},
		{"float16", mlx.AsType([]float64{-0.5}, mlx.Float16), header("[1]", "float16") + "  values:\n[1] -0.5"},
		{"uint32 prints as double", mlx.ArgMax([]float64{1, 3}), header("[]", "uint32") + "  values:\n[1] 1"},
		{"2 x 12 int32", mlx.Reshape(mlx.Arange(1, 25), 12, 2).T(), header("[2 x 12]", "int32") + "  values:\n" +
			"     [,1] [,2] [,3] [,4] [,5] [,6] [,7] [,8] [,9] [,10] [,11] [,12]\n" +
			"[1,]    1    3    5    7    9   11   13   15   17    19    21    23\n" +
			"[2,]    2    4    6    8   10   12   14   16   18    20    22    24"},
		{"float64", mlx.AsType([]float64{0.25}, mlx.Float64), header("[1]", "float64") + "  values:\n[1] 0.25"},
	}
	for _, c := range cases {
		if got := c.a.String(); got != c.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", c.name, got, c.want)
		}
	}
	var nilArr *mlx.Array
	if got := nilArr.String(); got != "<nil mlx array>" {
		t.Errorf("nil String = %q", got)
	}
	if h := m23().Header(); h != header("[2 x 3]", "float32") {
		t.Errorf("Header = %q", h)
	}
}

func TestFormatList(t *testing.T) {
	got := mlx.FormatList("$grads", []*mlx.Array{mlx.Scalar(1.0), mlx.AsArray([]int{2})})
	want := "$grads[[1]]\n" + header("[]", "float32") + "  values:\n[1] 1\n\n" +
		"$grads[[2]]\n" + header("[1]", "int32") + "  values:\n[1] 2\n\n"
	if got != want {
		t.Errorf("FormatList:\n%q\nwant\n%q", got, want)
	}
	if s := mlx.FormatShape(nil); s != "[]" {
		t.Errorf("FormatShape(nil) = %q", s)
	}
	if s := mlx.FormatShape([]int{4, 2}); s != "[4 x 2]" {
		t.Errorf("FormatShape = %q", s)
	}
}

package mlx_test

import (
	"math"
	"slices"
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
)

type (
	myFloat float64
	myInt   int16
	myBool  bool
)

func TestAsArrayScalars(t *testing.T) {
	cases := []struct {
		v    any
		dt   mlx.Dtype
		want float64
	}{
		{int(-7), mlx.Int32, -7},
		{int8(-8), mlx.Int32, -8},
		{int16(300), mlx.Int32, 300},
		{int32(-70000), mlx.Int32, -70000},
		{int64(1 << 30), mlx.Int32, 1 << 30},
		{uint(7), mlx.Int32, 7},
		{uint8(255), mlx.Int32, 255},
		{uint16(65535), mlx.Int32, 65535},
		{uint32(123456), mlx.Int32, 123456},
		{uint64(99), mlx.Int32, 99},
		{uintptr(5), mlx.Int32, 5},
		{float32(1.5), mlx.Float32, 1.5},
		{float64(-2.25), mlx.Float32, -2.25},
		{true, mlx.Bool, 1},
		{false, mlx.Bool, 0},
		{complex64(1 + 2i), mlx.Complex64, 1},
		{complex128(-3 + 4i), mlx.Complex64, -3},
		{myFloat(0.5), mlx.Float32, 0.5},
		{myInt(-3), mlx.Int32, -3},
		{myBool(true), mlx.Bool, 1},
	}
	for _, c := range cases {
		a := mlx.AsArray(c.v)
		check(t, "AsArray", a, c.dt)
		if got := a.Item(); got != c.want {
			t.Errorf("AsArray(%T %v).Item() = %v, want %v", c.v, c.v, got, c.want)
		}
		if a.Ndim() != 0 || a.Size() != 1 {
			t.Errorf("AsArray(%T): ndim %d size %d", c.v, a.Ndim(), a.Size())
		}
	}
	if got := mlx.AsArray(complex128(-3 + 4i)).Complex64s(); got[0] != -3+4i {
		t.Errorf("complex128 = %v", got)
	}
	// 0.1 rounds to float32 by default.
	if got := mlx.AsArray(0.1).Item(); got != float64(float32(0.1)) {
		t.Errorf("AsArray(0.1).Item() = %v, want float32(0.1)", got)
	}
}

func TestAsArraySlices(t *testing.T) {
	wantI32(t, "[]int", mlx.AsArray([]int{1, 2, 3}), mlx.Int32, sh(3), 1, 2, 3)
	wantI32(t, "[]int8", mlx.AsArray([]int8{-1, 2}), mlx.Int32, sh(2), -1, 2)
	wantI32(t, "[]int16", mlx.AsArray([]int16{-1, 2}), mlx.Int32, sh(2), -1, 2)
	wantI32(t, "[]int32", mlx.AsArray([]int32{-1, 2}), mlx.Int32, sh(2), -1, 2)
	wantI32(t, "[]int64", mlx.AsArray([]int64{-1, 2}), mlx.Int32, sh(2), -1, 2)
	wantI32(t, "[]uint", mlx.AsArray([]uint{1, 2}), mlx.Int32, sh(2), 1, 2)
	wantI32(t, "[]uint8 (bytes are numbers)", mlx.AsArray([]uint8{0, 255}), mlx.Int32, sh(2), 0, 255)
	wantI32(t, "[]uint16", mlx.AsArray([]uint16{1, 2}), mlx.Int32, sh(2), 1, 2)
	wantI32(t, "[]uint32", mlx.AsArray([]uint32{1, 2}), mlx.Int32, sh(2), 1, 2)
	wantI32(t, "[]uint64", mlx.AsArray([]uint64{1, 2}), mlx.Int32, sh(2), 1, 2)
	wantF32(t, "[]float32", mlx.AsArray([]float32{0.5, -1}), mlx.Float32, sh(2), 0.5, -1)
	wantF32(t, "[]float64", mlx.AsArray([]float64{0.5, -1}), mlx.Float32, sh(2), 0.5, -1)
	wantF32(t, "[]myFloat", mlx.AsArray([]myFloat{0.5}), mlx.Float32, sh(1), 0.5)
	wantBools(t, "[]bool", mlx.AsArray([]bool{true, false}), sh(2), true, false)
	c := mlx.AsArray([]complex64{1 + 1i, 2})
	check(t, "[]complex64", c, mlx.Complex64, 2)
	if got := c.Complex64s(); !slices.Equal(got, []complex64{1 + 1i, 2}) {
		t.Errorf("[]complex64 = %v", got)
	}
	check(t, "[]complex128", mlx.AsArray([]complex128{1i}), mlx.Complex64, 1)
	wantI32(t, "[3]int array", mlx.AsArray([3]int{4, 5, 6}), mlx.Int32, sh(3), 4, 5, 6)
	wantF32(t, "empty []float64", mlx.AsArray([]float64{}), mlx.Float32, sh(0))
	check(t, "empty []int", mlx.AsArray([]int{}), mlx.Int32, 0)
	check(t, "empty []bool", mlx.AsArray([]bool{}), mlx.Bool, 0)
	check(t, "empty []complex64", mlx.AsArray([]complex64{}), mlx.Complex64, 0)
	check(t, "empty [][]int", mlx.AsArray([][]int{}), mlx.Int32, 0)
	check(t, "empty []any", mlx.AsArray([]any{}), mlx.Float32, 0)
	check(t, "empty FromSlice []int", mlx.FromSlice([]int{}, 0, 2), mlx.Int32, 0, 2)

	// [][]T is 2-D by rows.
	wantF32(t, "[][]float64", mlx.AsArray([][]float64{{1, 2, 3}, {4, 5, 6}}), mlx.Float32, sh(2, 3), 1, 2, 3, 4, 5, 6)
	wantI32(t, "[][]int", mlx.AsArray([][]int{{1}, {2}, {3}}), mlx.Int32, sh(3, 1), 1, 2, 3)
	wantBools(t, "[][]bool", mlx.AsArray([][]bool{{true, false}}), sh(1, 2), true, false)
	wantF32(t, "[2][2]float32", mlx.AsArray([2][2]float32{{1, 2}, {3, 4}}), mlx.Float32, sh(2, 2), 1, 2, 3, 4)
	wantF32(t, "[][2]float64", mlx.AsArray([][2]float64{{1, 2}, {3, 4}, {5, 6}}), mlx.Float32, sh(3, 2), 1, 2, 3, 4, 5, 6)
	wantI32(t, "[][][]int", mlx.AsArray([][][]int{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}, {{9, 10}, {11, 12}}}),
		mlx.Int32, sh(3, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
	wantF32(t, "[][][][]float64", mlx.AsArray([][][][]float64{{{{1}, {2}}}}), mlx.Float32, sh(1, 1, 2, 1), 1, 2)
	check(t, "[][]float64 with an empty row set", mlx.AsArray([][]float64{{}, {}}), mlx.Float32, 2, 0)

	// Mixed Go kinds in []any promote bool < int < float < complex.
	wantI32(t, "[]any bool+int", mlx.AsArray([]any{true, 2}), mlx.Int32, sh(2), 1, 2)
	wantF32(t, "[]any int+float", mlx.AsArray([]any{1, 2.5, false}), mlx.Float32, sh(3), 1, 2.5, 0)
	mc := mlx.AsArray([]any{1, 2.5, 1i})
	check(t, "[]any complex", mc, mlx.Complex64, 3)
	if got := mc.Complex64s(); !slices.Equal(got, []complex64{1, 2.5, 1i}) {
		t.Errorf("[]any complex = %v", got)
	}
	wantI32(t, "[]any int+bool", mlx.AsArray([]any{1, true, uint8(3)}), mlx.Int32, sh(3), 1, 1, 3)
	wantF32(t, "[]any float+int", mlx.AsArray([]any{2.5, 1, true}), mlx.Float32, sh(3), 2.5, 1, 1)
	mc2 := mlx.AsArray([]any{2i, false, 3, 0.5})
	check(t, "[]any complex first", mc2, mlx.Complex64, 4)
	if got := mc2.Complex64s(); !slices.Equal(got, []complex64{2i, 0, 3, 0.5}) {
		t.Errorf("[]any complex first = %v", got)
	}
	wantF32(t, "[][]any rows of different kinds", mlx.AsArray([][]any{{true, 1}, {0.5, 2}}), mlx.Float32, sh(2, 2), 1, 1, 0.5, 2)
	wantF32(t, "Matrix []any", mlx.Matrix([]any{1, 0.5}, 1, 2), mlx.Float32, sh(1, 2), 1, 0.5)
	wantF32(t, "[]any nested", mlx.AsArray([]any{[]int{1, 2}, []float64{3, 4}}), mlx.Float32, sh(2, 2), 1, 2, 3, 4)
	p := 3.5
	wantF32(t, "[]*float64", mlx.AsArray([]*float64{&p}), mlx.Float32, sh(1), 3.5)
}

func TestAsArrayPassThrough(t *testing.T) {
	x := mlx.Ones(2)
	if got := mlx.AsArray(x); got != x {
		t.Error("AsArray(*Array) returned a different pointer")
	}
	// Ops accept arrays and Go data alike.
	if got := mlx.Add(x, x); got == x {
		t.Error("Add returned its operand")
	}
}

func TestAsArrayErrors(t *testing.T) {
	wantErr(t, "mlx.AsArray: ragged nested slices: rows of different lengths (2 and 1)", func() {
		mlx.AsArray([][]float64{{1, 2}, {3}})
	})
	wantErr(t, "mlx.AsArray: ragged nested slices: rows of different lengths (1 and 2)", func() {
		mlx.AsArray([][][]int{{{1}}, {{1, 2}}})
	})
	wantErr(t, "mlx.AsArray: ragged nested slices: inconsistent depth", func() {
		mlx.AsArray([]any{1.0, []float64{1}})
	})
	wantErr(t, "mlx.AsArray: ragged nested slices: a number where a slice was expected", func() {
		mlx.AsArray([]any{[]float64{1}, 1.0})
	})
	wantErr(t, "mlx.AsArray: cannot convert a value of type string to an array", func() { mlx.AsArray("1.5") })
	wantErr(t, "mlx.AsArray: cannot convert a value of type string to an array", func() { mlx.AsArray([]string{"a"}) })
	wantErr(t, "mlx.AsArray: cannot convert a value of type struct { A int } to an array", func() {
		mlx.AsArray(struct{ A int }{1})
	})
	wantErr(t, "mlx.AsArray: cannot convert a value of type map[int]int to an array", func() { mlx.AsArray(map[int]int{}) })
	wantErr(t, "mlx.AsArray: cannot convert nil to an array", func() { mlx.AsArray(nil) })
	wantErr(t, "mlx.AsArray: cannot convert nil to an array", func() { mlx.AsArray([]*float64{nil}) })
	wantErr(t, "mlx.AsArray: nil *mlx.Array", func() { mlx.AsArray((*mlx.Array)(nil)) })
}

func TestAsType(t *testing.T) {
	// Go data goes straight to the requested dtype: float64 keeps full precision.
	a := mlx.AsType(0.1, mlx.Float64)
	check(t, "AsType(0.1)", a, mlx.Float64)
	if got := a.Item(); got != 0.1 {
		t.Errorf("AsType(0.1, Float64).Item() = %v, want 0.1 exactly", got)
	}
	v := mlx.AsType([]float64{0.1, 1.0 / 3, math.Pi}, mlx.Float64)
	if got := v.Float64s(); !slices.Equal(got, []float64{0.1, 1.0 / 3, math.Pi}) {
		t.Errorf("AsType([]float64, Float64) = %v", got)
	}
	m := mlx.AsType([][]float64{{0.1, 0.2}, {0.3, 0.4}}, mlx.Float64)
	check(t, "AsType([][]float64)", m, mlx.Float64, 2, 2)
	if got := m.Float64s(); !slices.Equal(got, []float64{0.1, 0.2, 0.3, 0.4}) {
		t.Errorf("AsType([][]float64, Float64) = %v", got)
	}
	big := mlx.AsType([]int64{1 << 40, -(1 << 50)}, mlx.Int64)
	check(t, "AsType int64", big, mlx.Int64, 2)
	if got := big.Int64s(); !slices.Equal(got, []int64{1 << 40, -(1 << 50)}) {
		t.Errorf("AsType([]int64, Int64) = %v", got)
	}
	if got := mlx.AsType(int64(1<<40), mlx.Int64).Int64s(); got[0] != 1<<40 {
		t.Errorf("AsType(int64 scalar, Int64) = %v", got)
	}
	wantI32(t, "AsType float->int", mlx.AsType([]float64{1.9, -1.9}, mlx.Int32), mlx.Int32, sh(2), 1, -1)
	wantF32(t, "AsType int->float16", mlx.AsType([]int{1, 2}, mlx.Float16), mlx.Float16, sh(2), 1, 2)
	wantF32(t, "AsType ->bfloat16", mlx.AsType([]float64{0.5}, mlx.BFloat16), mlx.BFloat16, sh(1), 0.5)
	wantI32(t, "AsType ->uint8", mlx.AsType([]int{3, 200}, mlx.Uint8), mlx.Uint8, sh(2), 3, 200)
	wantI32(t, "AsType ->int8", mlx.AsType([]int{-3}, mlx.Int8), mlx.Int8, sh(1), -3)
	wantI32(t, "AsType ->int16", mlx.AsType([]int{-300}, mlx.Int16), mlx.Int16, sh(1), -300)
	wantI32(t, "AsType ->uint16", mlx.AsType([]int{300}, mlx.Uint16), mlx.Uint16, sh(1), 300)
	wantI32(t, "AsType ->uint32", mlx.AsType([]int{7}, mlx.Uint32), mlx.Uint32, sh(1), 7)
	wantI32(t, "AsType ->uint64", mlx.AsType([]int{7}, mlx.Uint64), mlx.Uint64, sh(1), 7)
	wantBools(t, "AsType ->bool", mlx.AsType([]float64{0, 2}, mlx.Bool), sh(2), false, true)
	wantF32(t, "AsType bool->float", mlx.AsType([]bool{true, false}, mlx.Float32), mlx.Float32, sh(2), 1, 0)
	c := mlx.AsType([]float64{1.5}, mlx.Complex64)
	check(t, "AsType ->complex64", c, mlx.Complex64, 1)
	if got := c.Complex64s(); got[0] != 1.5 {
		t.Errorf("AsType complex = %v", got)
	}
	wantF32(t, "AsType complex->float (real part)", mlx.AsType([]complex128{2 + 3i}, mlx.Float32), mlx.Float32, sh(1), 2)
	wantF32(t, "AsType scalar", mlx.AsType(3, mlx.Float32), mlx.Float32, sh(), 3)
	wantI32(t, "AsType bool scalar", mlx.AsType(true, mlx.Int32), mlx.Int32, sh(), 1)

	// On an *Array it is MLX's astype.
	x := mlx.AsArray([]float64{1.5, -2.5})
	wantI32(t, "(*Array).AsType Int32", x.AsType(mlx.Int32), mlx.Int32, sh(2), 1, -2)
	wantF32(t, "AsType(*Array, Float64)", mlx.AsType(x, mlx.Float64), mlx.Float64, sh(2), 1.5, -2.5)
	wantErr(t, "mlx.AsType: unknown dtype 99", func() { mlx.AsType(x, mlx.Dtype(99)) })
	wantErr(t, "mlx.AsType: unknown dtype -1", func() { mlx.AsType([]float64{1}, mlx.Dtype(-1)) })
	wantErr(t, "mlx.AsType: cannot convert a value of type string to an array", func() { mlx.AsType("x", mlx.Float32) })
}

func TestDtypeNames(t *testing.T) {
	names := map[mlx.Dtype]string{
		mlx.Bool: "bool", mlx.Uint8: "uint8", mlx.Uint16: "uint16", mlx.Uint32: "uint32", mlx.Uint64: "uint64",
		mlx.Int8: "int8", mlx.Int16: "int16", mlx.Int32: "int32", mlx.Int64: "int64", mlx.Float16: "float16",
		mlx.BFloat16: "bfloat16", mlx.Float32: "float32", mlx.Float64: "float64", mlx.Complex64: "complex64",
	}
	for d, want := range names {
		if d.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(d), d.String(), want)
		}
		// Every dtype round-trips through an array.
		if got := mlx.Zeros(1).AsType(d).Dtype(); got != d {
			t.Errorf("AsType(%v).Dtype() = %v", d, got)
		}
	}
	if s := mlx.Dtype(42).String(); s != "Dtype(42)" {
		t.Errorf("unknown dtype prints %q", s)
	}
	if mlx.Float64.Size() != 8 || mlx.Bool.Size() != 1 || mlx.BFloat16.Size() != 2 || mlx.Complex64.Size() != 8 {
		t.Error("Dtype.Size is wrong")
	}
	if !mlx.Float16.IsFloat() || mlx.Int32.IsFloat() || !mlx.Uint8.IsInteger() || mlx.Bool.IsInteger() ||
		!mlx.Complex64.IsComplex() || mlx.Float32.IsComplex() {
		t.Error("Dtype predicates are wrong")
	}
	if mlx.CPU.String() != "cpu" || mlx.GPU.String() != "gpu" {
		t.Error("Device names are wrong")
	}
}

func TestFromSlice(t *testing.T) {
	wantF32(t, "FromSlice 2x3", mlx.FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3), mlx.Float32, sh(2, 3), 1, 2, 3, 4, 5, 6)
	x := mlx.FromSlice([]float64{1, 2, 3, 4, 5, 6}, 3, 2)
	// Row-major: element [1, 0] is the third value.
	wantF32(t, "FromSlice row 1", mlx.Take(x, 1, 0), mlx.Float32, sh(2), 3, 4)
	wantI32(t, "FromSlice ints", mlx.FromSlice([]int{1, 2, 3, 4}, 2, 1, 2), mlx.Int32, sh(2, 1, 2), 1, 2, 3, 4)
	wantF32(t, "FromSlice 1-d", mlx.FromSlice([]float32{1, 2}), mlx.Float32, sh(2), 1, 2)
	wantBools(t, "FromSlice bools", mlx.FromSlice([]bool{true, false}, 1, 2), sh(1, 2), true, false)
	wantF32(t, "FromSlice scalar shape", mlx.FromSlice([]float64{5}, []int{}...), mlx.Float32, sh(1), 5)
	check(t, "FromSlice empty", mlx.FromSlice([]float64{}, 0, 3), mlx.Float32, 0, 3)
	wantF32(t, "FromSlice array", mlx.FromSlice([4]float64{1, 2, 3, 4}, 2, 2), mlx.Float32, sh(2, 2), 1, 2, 3, 4)

	wantErr(t, "mlx.FromSlice: 3 values cannot fill shape [2 x 2] (4 elements)", func() {
		mlx.FromSlice([]float64{1, 2, 3}, 2, 2)
	})
	wantErr(t, "mlx.FromSlice: 6 values cannot fill shape [4] (4 elements)", func() {
		mlx.FromSlice([]int{1, 2, 3, 4, 5, 6}, 4)
	})
	wantErr(t, "mlx.FromSlice: negative dimension in shape [-2 x -3]", func() {
		mlx.FromSlice([]float64{1, 2, 3, 4, 5, 6}, -2, -3)
	})
	wantErr(t, "mlx.FromSlice: want a flat slice, got 2 levels of nesting", func() {
		mlx.FromSlice([][]float64{{1, 2}}, 2)
	})
	wantErr(t, "mlx.FromSlice: want a flat slice, got 0 levels of nesting", func() { mlx.FromSlice(1.0) })
}

func TestMatrix(t *testing.T) {
	wantF32(t, "Matrix recycles one value", mlx.Matrix([]float64{0}, 2, 1), mlx.Float32, sh(2, 1), 0, 0)
	wantF32(t, "Matrix recycles columns", mlx.Matrix([]float64{1, 2}, 2, 2), mlx.Float32, sh(2, 2), 1, 1, 2, 2)
	wantF32(t, "Matrix by column", mlx.Matrix([]float64{1, 2, 3, 4, 5, 6}, 2, 3), mlx.Float32, sh(2, 3), 1, 3, 5, 2, 4, 6)
	wantF32(t, "Matrix 4x2 (the seed's x)", mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2), mlx.Float32, sh(4, 2),
		1, 5, 2, 6, 3, 7, 4, 8)
	wantF32(t, "Matrix recycles across", mlx.Matrix([]float64{1, 2, 3}, 2, 3), mlx.Float32, sh(2, 3), 1, 3, 2, 2, 1, 3)
	wantI32(t, "Matrix ints", mlx.Matrix([]int{1, 2, 3, 4, 5, 6}, 3, 2), mlx.Int32, sh(3, 2), 1, 4, 2, 5, 3, 6)
	wantBools(t, "Matrix bools", mlx.Matrix([]bool{true, false}, 2, 2), sh(2, 2), true, true, false, false)
	wantI32(t, "Matrix scalar", mlx.Matrix(7, 2, 2), mlx.Int32, sh(2, 2), 7, 7, 7, 7)
	wantF32(t, "Matrix float scalar", mlx.Matrix(0.5, 1, 3), mlx.Float32, sh(1, 3), 0.5, 0.5, 0.5)
	c := mlx.Matrix([]complex128{1i, 2}, 1, 2)
	check(t, "Matrix complex", c, mlx.Complex64, 1, 2)
	if got := c.Complex64s(); !slices.Equal(got, []complex64{1i, 2}) {
		t.Errorf("Matrix complex = %v", got)
	}
	check(t, "Matrix 0 x 3", mlx.Matrix([]float64{1}, 0, 3), mlx.Float32, 0, 3)
	check(t, "Matrix empty", mlx.Matrix([]float64{}, 0, 0), mlx.Float32, 0, 0)

	wantErr(t, "mlx.Matrix: 3 values do not fill a 2 x 2 matrix (the length must divide 4)", func() {
		mlx.Matrix([]float64{1, 2, 3}, 2, 2)
	})
	wantErr(t, "mlx.Matrix: 8 values do not fill a 2 x 2 matrix (the length must divide 4)", func() {
		mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2)
	})
	wantErr(t, "mlx.Matrix: no values to fill a 2 x 2 matrix", func() { mlx.Matrix([]float64{}, 2, 2) })
	wantErr(t, "mlx.Matrix: negative dimensions -1 x 2", func() { mlx.Matrix([]float64{1}, -1, 2) })
	wantErr(t, "mlx.Matrix: want a flat slice of values, got 2 levels of nesting", func() {
		mlx.Matrix([][]float64{{1}}, 1, 1)
	})
}

func TestScalar(t *testing.T) {
	wantF32(t, "Scalar float", mlx.Scalar(2.5), mlx.Float32, sh(), 2.5)
	wantI32(t, "Scalar int", mlx.Scalar(3), mlx.Int32, sh(), 3)
	wantBools(t, "Scalar bool", mlx.Scalar(true), sh(), true)
	check(t, "Scalar complex", mlx.Scalar(1+2i), mlx.Complex64)
	if got := mlx.Scalar(0.1, mlx.Float64).Item(); got != 0.1 {
		t.Errorf("Scalar(0.1, Float64) = %v, want 0.1 exactly", got)
	}
	wantF32(t, "Scalar int as float32", mlx.Scalar(3, mlx.Float32), mlx.Float32, sh(), 3)
	wantI32(t, "Scalar float as int8", mlx.Scalar(-2.0, mlx.Int8), mlx.Int8, sh(), -2)
	wantF32(t, "Scalar uint8 kind", mlx.Scalar(uint8(9)), mlx.Int32, sh(), 9)
	wantF32(t, "Scalar named float", mlx.Scalar(myFloat(1.25)), mlx.Float32, sh(), 1.25)
	if got := mlx.Scalar(int64(1)<<40, mlx.Int64).Int64s()[0]; got != 1<<40 {
		t.Errorf("Scalar(int64, Int64) = %v", got)
	}
	wantErr(t, "mlx.Scalar: want a Go number or bool, got []int", func() { mlx.Scalar([]int{1}) })
	wantErr(t, "mlx.Scalar: want a Go number or bool, got string", func() { mlx.Scalar("1") })
	wantErr(t, "mlx.Scalar: want a Go number or bool, got <nil>", func() { mlx.Scalar(nil) })
}

func TestFilled(t *testing.T) {
	wantF32(t, "Zeros", mlx.Zeros(2, 3), mlx.Float32, sh(2, 3), 0, 0, 0, 0, 0, 0)
	wantF32(t, "Zeros scalar", mlx.Zeros(), mlx.Float32, sh(), 0)
	check(t, "Zeros empty", mlx.Zeros(0, 4), mlx.Float32, 0, 4)
	wantF32(t, "Ones", mlx.Ones(3), mlx.Float32, sh(3), 1, 1, 1)
	wantF32(t, "Ones 2x1", mlx.Ones(2, 1), mlx.Float32, sh(2, 1), 1, 1)
	wantI32(t, "Full int", mlx.Full([]int{2, 2}, 7), mlx.Int32, sh(2, 2), 7, 7, 7, 7)
	wantF32(t, "Full float", mlx.Full([]int{3}, 2.5), mlx.Float32, sh(3), 2.5, 2.5, 2.5)
	wantBools(t, "Full bool", mlx.Full([]int{2}, true), sh(2), true, true)
	wantF32(t, "Full row broadcast", mlx.Full([]int{2, 3}, []float64{1, 2, 3}), mlx.Float32, sh(2, 3), 1, 2, 3, 1, 2, 3)
	wantF32(t, "Full array", mlx.Full([]int{2}, mlx.AsType(0.5, mlx.Float16)), mlx.Float16, sh(2), 0.5, 0.5)
	wantF32(t, "Full scalar shape", mlx.Full(nil, 4.0), mlx.Float32, sh(), 4)

	x := mlx.AsArray([][]int{{1, 2}, {3, 4}})
	wantI32(t, "ZerosLike", mlx.ZerosLike(x), mlx.Int32, sh(2, 2), 0, 0, 0, 0)
	wantI32(t, "OnesLike", mlx.OnesLike(x), mlx.Int32, sh(2, 2), 1, 1, 1, 1)
	wantF32(t, "ZerosLike float16", mlx.ZerosLike(mlx.Ones(3).AsType(mlx.Float16)), mlx.Float16, sh(3), 0, 0, 0)
	wantF32(t, "OnesLike Go data", mlx.OnesLike([]float64{5, 6}), mlx.Float32, sh(2), 1, 1)
	wantBools(t, "OnesLike bool", mlx.OnesLike([]bool{false}), sh(1), true)
	wantBools(t, "ZerosLike bool", mlx.ZerosLike([]bool{true}), sh(1), false)
	wantF32(t, "OnesLike float64", mlx.OnesLike(mlx.AsType([]float64{0}, mlx.Float64)), mlx.Float64, sh(1), 1)
	check(t, "OnesLike complex", mlx.OnesLike([]complex64{2i}), mlx.Complex64, 1)

	wantErr(t, "mlx.Zeros: negative dimension in shape [-1 x 2]", func() { mlx.Zeros(-1, 2) })
	wantErr(t, "mlx.Ones: negative dimension in shape [3 x -1]", func() { mlx.Ones(3, -1) })
	wantErr(t, "mlx.Full: negative dimension in shape [-5]", func() { mlx.Full([]int{-5}, 1) })
	wantErr(t, "mlx.Full: cannot convert a value of type string to an array", func() { mlx.Full([]int{1}, "x") })
	wantErr(t, "mlx.Full: cannot fill shape [2] with a value of shape [3]", func() { mlx.Full([]int{2}, []float64{1, 2, 3}) })
}

func TestArange(t *testing.T) {
	wantI32(t, "Arange(5)", mlx.Arange(5), mlx.Int32, sh(5), 0, 1, 2, 3, 4)
	wantI32(t, "Arange(2, 5)", mlx.Arange(2, 5), mlx.Int32, sh(3), 2, 3, 4)
	wantI32(t, "Arange(10, 0, -3)", mlx.Arange(10, 0, -3), mlx.Int32, sh(4), 10, 7, 4, 1)
	wantI32(t, "Arange(0, 10, 4)", mlx.Arange(0, 10, 4), mlx.Int32, sh(3), 0, 4, 8)
	wantI32(t, "Arange(int64)", mlx.Arange(int64(3)), mlx.Int32, sh(3), 0, 1, 2)
	wantI32(t, "Arange(uint8)", mlx.Arange(uint8(2)), mlx.Int32, sh(2), 0, 1)
	wantI32(t, "Arange(5, 1) is empty", mlx.Arange(5, 1), mlx.Int32, sh(0))
	wantI32(t, "Arange(0) is empty", mlx.Arange(0), mlx.Int32, sh(0))
	wantI32(t, "Arange(-3, 0)", mlx.Arange(-3, 0), mlx.Int32, sh(3), -3, -2, -1)
	wantF32(t, "Arange(2.5)", mlx.Arange(2.5), mlx.Float32, sh(3), 0, 1, 2)
	wantF32(t, "Arange(0.0, 1.0, 0.25)", mlx.Arange(0.0, 1.0, 0.25), mlx.Float32, sh(4), 0, 0.25, 0.5, 0.75)
	wantF32(t, "Arange(1, 2.0, 0.5) mixes", mlx.Arange(1, 2.0, 0.5), mlx.Float32, sh(2), 1, 1.5)
	wantF32(t, "Arange(1.0, 3)", mlx.Arange(1.0, 3), mlx.Float32, sh(2), 1, 2)
	wantF32(t, "Arange(1, 0, -0.5)", mlx.Arange(1, 0, -0.5), mlx.Float32, sh(2), 1, 0.5)
	wantF32(t, "Arange(float32)", mlx.Arange(float32(2)), mlx.Float32, sh(2), 0, 1)

	wantErr(t, "mlx.Arange: takes 1 to 3 arguments (stop | start, stop | start, stop, step), got 0", func() { mlx.Arange() })
	wantErr(t, "mlx.Arange: takes 1 to 3 arguments (stop | start, stop | start, stop, step), got 4", func() {
		mlx.Arange(1, 2, 3, 4)
	})
	wantErr(t, "mlx.Arange: step must not be 0", func() { mlx.Arange(0, 1, 0) })
	wantErr(t, "mlx.Arange: argument 2 is string, want a real number", func() { mlx.Arange(0, "5") })
	wantErr(t, "mlx.Arange: argument 1 is bool, want a real number", func() { mlx.Arange(true) })
	wantErr(t, "mlx.Arange: argument 1 is complex128, want a real number", func() { mlx.Arange(1i) })
}

func TestLinspaceEye(t *testing.T) {
	wantF32(t, "Linspace", mlx.Linspace(0, 1, 5), mlx.Float32, sh(5), 0, 0.25, 0.5, 0.75, 1)
	wantF32(t, "Linspace down", mlx.Linspace(2, -2, 3), mlx.Float32, sh(3), 2, 0, -2)
	wantF32(t, "Linspace 1", mlx.Linspace(3, 7, 1), mlx.Float32, sh(1), 3)
	wantF32(t, "Linspace 0", mlx.Linspace(0, 1, 0), mlx.Float32, sh(0))
	wantClose(t, "Linspace thirds", mlx.Linspace(0, 1, 4), mlx.Float32, sh(4), 1e-7, 0, 1.0/3, 2.0/3, 1)
	wantErr(t, "mlx.Linspace: n must be non-negative, got -1", func() { mlx.Linspace(0, 1, -1) })

	wantF32(t, "Eye(3)", mlx.Eye(3), mlx.Float32, sh(3, 3), 1, 0, 0, 0, 1, 0, 0, 0, 1)
	wantF32(t, "Eye(2, 3)", mlx.Eye(2, 3), mlx.Float32, sh(2, 3), 1, 0, 0, 0, 1, 0)
	wantF32(t, "Eye(3, 1)", mlx.Eye(3, 1), mlx.Float32, sh(3, 1), 1, 0, 0)
	check(t, "Eye(0)", mlx.Eye(0), mlx.Float32, 0, 0)
	wantErr(t, "mlx.Eye: negative size -1 x -1", func() { mlx.Eye(-1) })
	wantErr(t, "mlx.Eye: negative size 2 x -3", func() { mlx.Eye(2, -3) })
}

// ---- random ----

func TestSeedReproducible(t *testing.T) {
	draws := []struct {
		name string
		f    func() *mlx.Array
	}{
		{"RandomNormal", func() *mlx.Array { return mlx.RandomNormal(3, 4) }},
		{"RandomNormalWith", func() *mlx.Array { return mlx.RandomNormalWith(5, 2, 6) }},
		{"RandomUniform", func() *mlx.Array { return mlx.RandomUniform(-1, 1, 2, 5) }},
		{"RandomInt", func() *mlx.Array { return mlx.RandomInt(0, 1000, 10) }},
		{"Bernoulli", func() *mlx.Array { return mlx.Bernoulli(0.5, 20) }},
		{"Categorical", func() *mlx.Array { return mlx.Categorical(mlx.Zeros(4, 10), 3) }},
		{"Permutation", func() *mlx.Array { return mlx.Permutation(20) }},
		{"Permutation array", func() *mlx.Array { return mlx.Permutation(mlx.Arange(10)) }},
	}
	for _, d := range draws {
		mlx.Seed(42)
		a := d.f().Float64s()
		b := d.f().Float64s() // the generator advances
		mlx.Seed(42)
		a2 := d.f().Float64s()
		b2 := d.f().Float64s()
		mlx.Seed(7)
		c := d.f().Float64s()
		if !slices.Equal(a, a2) || !slices.Equal(b, b2) {
			t.Errorf("%s: the same seed gave different values: %v vs %v", d.name, a, a2)
		}
		if slices.Equal(a, b) {
			t.Errorf("%s: two draws after one seed are equal: %v", d.name, a)
		}
		if slices.Equal(a, c) {
			t.Errorf("%s: seeds 42 and 7 gave the same values %v", d.name, a)
		}
	}
}

func TestRandomDistributions(t *testing.T) {
	mlx.Seed(1)
	n := mlx.RandomNormal(100000)
	check(t, "RandomNormal", n, mlx.Float32, 100000)
	if m := mlx.Mean(n).Item(); math.Abs(m) > 0.02 {
		t.Errorf("RandomNormal mean %v", m)
	}
	if s := mlx.Std(n).Item(); math.Abs(s-1) > 0.02 {
		t.Errorf("RandomNormal std %v", s)
	}
	check(t, "RandomNormal scalar", mlx.RandomNormal(), mlx.Float32)
	nw := mlx.RandomNormalWith(10, 0.5, 100000)
	if m := mlx.Mean(nw).Item(); math.Abs(m-10) > 0.02 {
		t.Errorf("RandomNormalWith mean %v", m)
	}
	if s := mlx.Std(nw).Item(); math.Abs(s-0.5) > 0.02 {
		t.Errorf("RandomNormalWith std %v", s)
	}

	u := mlx.RandomUniform(2, 3, 10000)
	check(t, "RandomUniform", u, mlx.Float32, 10000)
	if lo, hi := mlx.Min(u).Item(), mlx.Max(u).Item(); lo < 2 || hi >= 3 {
		t.Errorf("RandomUniform range [%v, %v]", lo, hi)
	}
	if m := mlx.Mean(u).Item(); math.Abs(m-2.5) > 0.02 {
		t.Errorf("RandomUniform mean %v", m)
	}
	ub := mlx.RandomUniform([]float64{0, 10}, []float64{1, 20}, 1000, 2)
	check(t, "RandomUniform array bounds", ub, mlx.Float32, 1000, 2)
	lo, hi := mlx.Min(ub, 0).Float64s(), mlx.Max(ub, 0).Float64s()
	if lo[0] < 0 || hi[0] >= 1 || lo[1] < 10 || hi[1] >= 20 {
		t.Errorf("RandomUniform per-column ranges: min %v max %v", lo, hi)
	}
	check(t, "RandomUniform no shape", mlx.RandomUniform([]float64{0, 1}, 2), mlx.Float32, 2)
	check(t, "RandomUniform no shape 2-D", mlx.RandomUniform([][]float64{{0}, {1}}, []float64{2, 3, 4}), mlx.Float32, 2, 3)
	check(t, "RandomUniform scalar", mlx.RandomUniform(0, 1), mlx.Float32)

	ri := mlx.RandomInt(-2, 3, 10000)
	check(t, "RandomInt", ri, mlx.Int32, 10000)
	seen := map[int32]int{}
	for _, v := range ri.Int32s() {
		seen[v]++
	}
	for v := range seen {
		if v < -2 || v >= 3 {
			t.Errorf("RandomInt value %d outside [-2, 3)", v)
		}
	}
	if len(seen) != 5 {
		t.Errorf("RandomInt hit %d distinct values, want 5: %v", len(seen), seen)
	}
	check(t, "RandomInt 2-D", mlx.RandomInt(0, 2, 3, 4), mlx.Int32, 3, 4)

	b := mlx.Bernoulli(0.3, 20000)
	check(t, "Bernoulli", b, mlx.Bool, 20000)
	if m := mlx.Mean(b).Item(); math.Abs(m-0.3) > 0.02 {
		t.Errorf("Bernoulli(0.3) mean %v", m)
	}
	wantBools(t, "Bernoulli(0)", mlx.Bernoulli(0.0, 3), sh(3), false, false, false)
	wantBools(t, "Bernoulli(1)", mlx.Bernoulli(1.0, 2, 1), sh(2, 1), true, true)
	wantBools(t, "Bernoulli array p", mlx.Bernoulli([]float64{0, 1, 0}), sh(3), false, true, false)
	wantBools(t, "Bernoulli broadcast p", mlx.Bernoulli([]float64{1, 0}, 2, 2), sh(2, 2), true, false, true, false)
	check(t, "Bernoulli scalar", mlx.Bernoulli(0.5), mlx.Bool)

	// Overwhelming logits make Categorical deterministic.
	logits := [][]float64{{0, 100, 0}, {100, 0, 0}, {0, 0, 100}}
	wantI32(t, "Categorical", mlx.Categorical(logits), mlx.Uint32, sh(3), 1, 0, 2)
	wantI32(t, "Categorical samples", mlx.Categorical(logits, 2), mlx.Uint32, sh(3, 2), 1, 1, 0, 0, 2, 2)
	wantI32(t, "Categorical 1-D", mlx.Categorical([]float64{-100, 100}), mlx.Uint32, sh(), 1)
	cs := mlx.Categorical(mlx.Log([]float64{0.25, 0.75}), 20000)
	check(t, "Categorical many", cs, mlx.Uint32, 20000)
	if m := mlx.Mean(cs).Item(); math.Abs(m-0.75) > 0.02 {
		t.Errorf("Categorical frequency of index 1: %v, want 0.75", m)
	}

	p := mlx.Permutation(10)
	check(t, "Permutation", p, mlx.Uint32, 10)
	got := p.Int32s()
	slices.Sort(got)
	if !slices.Equal(got, []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("Permutation(10) sorted = %v", got)
	}
	check(t, "Permutation(0)", mlx.Permutation(0), mlx.Uint32, 0)
	rows := mlx.Permutation(mlx.AsArray([][]int{{0, 1}, {2, 3}, {4, 5}, {6, 7}}))
	check(t, "Permutation rows", rows, mlx.Int32, 4, 2)
	r := rows.Int32s()
	var firsts []int32
	for i := 0; i < len(r); i += 2 {
		if r[i+1] != r[i]+1 || r[i]%2 != 0 {
			t.Errorf("Permutation split a row: %v", r)
		}
		firsts = append(firsts, r[i])
	}
	slices.Sort(firsts)
	if !slices.Equal(firsts, []int32{0, 2, 4, 6}) {
		t.Errorf("Permutation rows = %v", r)
	}

	wantErr(t, "mlx.RandomNormal: negative dimension in shape [-1]", func() { mlx.RandomNormal(-1) })
	wantErr(t, "mlx.RandomUniform: negative dimension in shape [2 x -1]", func() { mlx.RandomUniform(0, 1, 2, -1) })
	wantErr(t, "mlx.RandomUniform: cannot broadcast low of shape [3] and high of shape [2] to [4]", func() {
		mlx.RandomUniform(mlx.Zeros(3), mlx.Ones(2), 4)
	})
	wantErr(t, "mlx.RandomUniform: shapes [3] and [2] are not compatible", func() {
		mlx.RandomUniform(mlx.Zeros(3), mlx.Ones(2))
	})
	wantErr(t, "mlx.RandomInt: high (3) must be greater than low (3)", func() { mlx.RandomInt(3, 3, 2) })
	wantErr(t, "mlx.RandomInt: negative dimension in shape [-2]", func() { mlx.RandomInt(0, 3, -2) })
	wantErr(t, "mlx.Bernoulli: cannot broadcast p of shape [3] to [4]", func() { mlx.Bernoulli(mlx.Ones(3), 4) })
	wantErr(t, "mlx.Bernoulli: negative dimension in shape [-4]", func() { mlx.Bernoulli(0.5, -4) })
	wantErr(t, "mlx.Categorical: numSamples must be positive, got 0", func() { mlx.Categorical([]float64{1, 2}, 0) })
	wantErr(t, "mlx.Permutation: n must be non-negative, got -1", func() { mlx.Permutation(-1) })
}

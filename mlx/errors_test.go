package mlx_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
)

// The messages the issue fixes word for word.
func TestErrorMessagesFromIssue(t *testing.T) {
	wantErr(t, "mlx.Matmul: shapes [4 x 2] and [3 x 1] are not compatible", func() {
		mlx.Matmul(mlx.Ones(4, 2), mlx.Ones(3, 1))
	})
	wantErr(t, "mlx.Matmul: shapes [4 x 2] and [3 x 1] are not compatible", func() {
		mlx.Ones(4, 2).Matmul(mlx.Ones(3, 1))
	})
	wantErr(t, "mlx.Add: shapes [2 x 3] and [4] are not compatible", func() {
		mlx.Add(mlx.Ones(2, 3), mlx.Ones(4))
	})
	wantErr(t, "mlx.Add: shapes [2 x 3] and [4] are not compatible", func() {
		mlx.Ones(2, 3).Add([]float64{1, 2, 3, 4})
	})
}

func TestErrorShapeMismatch(t *testing.T) {
	cases := []struct {
		want string
		f    func()
	}{
		{"mlx.Sub: shapes [2 x 3] and [3 x 2] are not compatible", func() { mlx.Sub(mlx.Ones(2, 3), mlx.Ones(3, 2)) }},
		{"mlx.Mul: shapes [3] and [2] are not compatible", func() { mlx.Mul([]float64{1, 2, 3}, []float64{1, 2}) }},
		{"mlx.Div: shapes [2] and [3] are not compatible", func() { mlx.Ones(2).Div(mlx.Ones(3)) }},
		{"mlx.Pow: shapes [2] and [3] are not compatible", func() { mlx.Pow(mlx.Ones(2), mlx.Ones(3)) }},
		{"mlx.Remainder: shapes [2] and [3] are not compatible", func() { mlx.Remainder(mlx.Ones(2), mlx.Ones(3)) }},
		{"mlx.FloorDivide: shapes [2] and [3] are not compatible", func() { mlx.FloorDivide(mlx.Ones(2), mlx.Ones(3)) }},
		{"mlx.Maximum: shapes [2] and [3] are not compatible", func() { mlx.Maximum(mlx.Ones(2), mlx.Ones(3)) }},
		{"mlx.Minimum: shapes [2] and [3] are not compatible", func() { mlx.Minimum(mlx.Ones(2), mlx.Ones(3)) }},
		{"mlx.Equal: shapes [2] and [3] are not compatible", func() { mlx.Equal(mlx.Ones(2), mlx.Ones(3)) }},
		{"mlx.Less: shapes [2 x 2] and [3] are not compatible", func() { mlx.Less(mlx.Ones(2, 2), mlx.Ones(3)) }},
		{"mlx.LogicalAnd: shapes [2] and [3] are not compatible", func() { mlx.LogicalAnd(mlx.Ones(2), mlx.Ones(3)) }},
		{"mlx.Arctan2: shapes [2] and [3] are not compatible", func() { mlx.Arctan2(mlx.Ones(2), mlx.Ones(3)) }},
		{"mlx.Matmul: shapes [3] and [2] are not compatible", func() { mlx.Matmul(mlx.Ones(3), mlx.Ones(2)) }},
		{"mlx.Matmul: shapes [3] and [] are not compatible", func() { mlx.Matmul(mlx.Ones(3), 2) }},
		{"mlx.Matmul: shapes [2 x 3 x 4] and [3 x 5 x 6] are not compatible", func() {
			mlx.Matmul(mlx.Ones(2, 3, 4), mlx.Ones(3, 5, 6))
		}},
		{"mlx.Where: shapes [2], [3] and [4] are not compatible", func() { mlx.Where(mlx.Ones(2), mlx.Ones(3), mlx.Ones(4)) }},
		{"mlx.Clip: shapes [3] and [2] are not compatible", func() { mlx.Clip(mlx.Ones(3), mlx.Ones(2), nil) }},
		{"mlx.Clip: shapes [3], [2] and [4] are not compatible", func() { mlx.Clip(mlx.Ones(3), mlx.Ones(2), mlx.Ones(4)) }},
		{"mlx.IsClose: shapes [3] and [2] are not compatible", func() { mlx.IsClose(mlx.Ones(3), mlx.Ones(2)) }},
		{"mlx.AllClose: shapes [3] and [2] are not compatible", func() { mlx.AllClose(mlx.Ones(3), mlx.Ones(2)) }},
		{"mlx.Inner: shapes [2] and [3] are not compatible", func() { mlx.Inner(mlx.Ones(2), mlx.Ones(3)) }},
		{"mlx.Concatenate: shapes [2 x 3] and [2 x 2] are not compatible", func() {
			mlx.Concatenate([]*mlx.Array{mlx.Ones(2, 3), mlx.Ones(2, 2)})
		}},
		{"mlx.Stack: shapes [2 x 3] and [2 x 2] are not compatible", func() {
			mlx.Stack([]*mlx.Array{mlx.Ones(2, 3), mlx.Ones(2, 2)})
		}},
		{"mlx.Tensordot: cannot contract the last 1 axes of [2 x 3] with the first 1 axes of [2 x 3]", func() {
			mlx.Tensordot(mlx.Ones(2, 3), mlx.Ones(2, 3), 1)
		}},
		{"mlx.Tensordot: cannot contract the last 3 axes of [2 x 3] with the first 3 axes of [2 x 3]", func() {
			mlx.Tensordot(mlx.Ones(2, 3), mlx.Ones(2, 3), 3)
		}},
		{"mlx.BroadcastTo: cannot broadcast [2 x 3] to [4 x 3]", func() { mlx.BroadcastTo(mlx.Ones(2, 3), 4, 3) }},
		{"mlx.Reshape: cannot reshape [2 x 3] to [4 x 2]", func() { mlx.Reshape(mlx.Ones(2, 3), 4, 2) }},
		{"mlx.Reshape: cannot reshape [2 x 3] to [4 x 2]", func() { mlx.Ones(2, 3).Reshape(4, 2) }},
		{"mlx.Reshape: cannot reshape [2 x 3] to [-1 x -1]", func() { mlx.Reshape(mlx.Ones(2, 3), -1, -1) }},
		{"mlx.Reshape: cannot reshape [5] to [2 x -1]", func() { mlx.Reshape(mlx.Ones(5), 2, -1) }},
		{"mlx.Split: array split does not result in sub arrays with equal size: attempting 2 splits along axis 0 for shape [5]",
			func() { mlx.Split(mlx.Ones(5), 2) }},
		{"mlx.TopK: received invalid k=7 along axis -1 for array with shape: [5]", func() { mlx.TopK(mlx.Ones(5), 7) }},
		{"mlx.Squeeze: cannot squeeze axis 0 with size 2 which is not equal to 1 (shape [2 x 3])", func() {
			mlx.Squeeze(mlx.Ones(2, 3), 0)
		}},
		{"mlx.Transpose: repeat axes not allowed (shape [2 x 3])", func() { mlx.Transpose(mlx.Ones(2, 3), 0, 0) }},
		{"mlx.Slice: start [0 0], stop [1 1] and steps [] do not fit an array of shape [5]", func() {
			mlx.Slice(mlx.Ones(5), []int{0, 0}, []int{1, 1})
		}},
		{"mlx.Slice: step 0 on axis 0", func() { mlx.Slice(mlx.Ones(5), []int{0}, []int{1}, 0) }},
		{"mlx.Pad: got 3 width pairs for an array of shape [2 x 3]; give 1 or 2", func() {
			mlx.Pad(mlx.Ones(2, 3), [2]int{1, 1}, [2]int{1, 1}, [2]int{1, 1})
		}},
		{"mlx.Pad: invalid low padding size (-1) passed to pad for axis 0. Padding sizes must be non-negative (shape [2 x 3])",
			func() { mlx.Pad(mlx.Ones(2, 3), [2]int{-1, 1}) }},
		{"mlx.Tile: negative dimensions not allowed (shape [5])", func() { mlx.Tile(mlx.Ones(5), -1) }},
		{"mlx.Take: got indices with invalid dtype. Indices must be integral (shapes [5] and [2])", func() {
			mlx.Take(mlx.Ones(5), mlx.Ones(2))
		}},
		{"mlx.FFT2: needs an array of at least 2 dimensions, got shape [3]", func() { mlx.FFT2(mlx.Ones(3)) }},
		{"mlx.IFFT2: needs an array of at least 2 dimensions, got shape [3]", func() { mlx.IFFT2(mlx.Ones(3)) }},
		{"mlx.FFT: needs an array of at least 1 dimension, got shape []", func() { mlx.FFT(1.0) }},
		{"mlx.FFT: takes at most one length, got 2", func() { mlx.FFT(mlx.Ones(4), 2, 3) }},
		{"mlx.IRFFT: invalid FFT output size requested (-2) (shape [0])", func() { mlx.IRFFT(mlx.Ones(0)) }},
	}
	for _, c := range cases {
		wantErr(t, c.want, c.f)
	}
}

func TestErrorBadAxis(t *testing.T) {
	x := mlx.Ones(2, 3)
	cases := []struct {
		want string
		f    func()
	}{
		{"mlx.Sum: invalid axis 2 for array with 2 dimensions (shape [2 x 3])", func() { mlx.Sum(x, 2) }},
		{"mlx.Sum: invalid axis -3 for array with 2 dimensions (shape [2 x 3])", func() { mlx.Sum(x, -3) }},
		{"mlx.Sum: invalid axis 2 for array with 2 dimensions (shape [2 x 3])", func() { x.Sum(2, mlx.KeepDims) }},
		{"mlx.Sum: duplicate axes detected in reduction (shape [2 x 3])", func() { mlx.Sum(x, 0, 0) }},
		{"mlx.Mean: axis 5 is out of bounds for array with 2 dimensions (shape [2 x 3])", func() { mlx.Mean(x, 5) }},
		{"mlx.Max: invalid axis 5 for array with 2 dimensions (shape [2 x 3])", func() { mlx.Max(x, 5) }},
		{"mlx.Var: axis 2 is out of bounds for array with 2 dimensions (shape [2 x 3])", func() { mlx.Var(x, 2) }},
		{"mlx.VarDdof: axis 4 is out of bounds for array with 2 dimensions (shape [2 x 3])", func() { mlx.VarDdof(x, 1, 4) }},
		{"mlx.Softmax: invalid axis 5 for array with 2 dimensions (shape [2 x 3])", func() { mlx.Softmax(x, 5) }},
		{"mlx.ArgMax: invalid axis 5 for array with 2 dimensions (shape [2 x 3])", func() { mlx.ArgMax(x, 5) }},
		{"mlx.ArgMax: takes at most one axis, got 2", func() { mlx.ArgMax(x, 0, 1) }},
		{"mlx.CumSum: axis 5 is out of bounds for array with 2 dimensions (shape [2 x 3])", func() { mlx.CumSum(x, 5) }},
		{"mlx.Sort: axis 2 is out of bounds for array with 2 dimensions (shape [2 x 3])", func() { mlx.Sort(x, 2) }},
		{"mlx.Repeat: axis 1 is out of bounds for array with 1 dimensions (shape [3])", func() { mlx.Repeat(mlx.Ones(3), 2, 1) }},
		{"mlx.ExpandDims: axis 5 is out of bounds for array with 3 dimensions (shape [2 x 3])", func() { mlx.ExpandDims(x, 5) }},
		{"mlx.ExpandDims: needs at least one axis", func() { mlx.ExpandDims(x) }},
		{"mlx.Split: axis 3 is out of bounds for array with 1 dimensions (shape [4])", func() { mlx.Split(mlx.Ones(4), 2, 3) }},
		{"mlx.Take: received invalid axis 3 for array with 1 dimensions (shapes [5] and [1])", func() {
			mlx.Take(mlx.Ones(5), []int{1}, 3)
		}},
		{"mlx.Concatenate: axis 3 is out of bounds for array with 2 dimensions (shapes [2 x 3] and [2 x 3])", func() {
			mlx.Concatenate([]*mlx.Array{x, x}, 3)
		}},
		{"mlx.Stack: axis 3 is out of bounds for array with 3 dimensions (shapes [2 x 3] and [2 x 3])", func() {
			mlx.Stack([]*mlx.Array{x, x}, 3)
		}},
		{"mlx.Norm: invalid axis 4 for array with 2 dimensions (shape [2 x 3])", func() { mlx.Norm(x, 4) }},
	}
	for _, c := range cases {
		wantErr(t, c.want, c.f)
	}
}

func TestErrorItem(t *testing.T) {
	wantErr(t, "mlx.Item: array of shape [2 x 3] has 6 elements, want exactly 1", func() { mlx.Ones(2, 3).Item() })
	wantErr(t, "mlx.Item: array of shape [0] has 0 elements, want exactly 1", func() { mlx.Zeros(0).Item() })
	if v := mlx.Ones(1, 1).Item(); v != 1 {
		t.Errorf("Item of [1 x 1] = %v", v)
	}
	if v := mlx.AsArray(3 + 4i).Item(); v != 3 {
		t.Errorf("Item of complex = %v, want the real part 3", v)
	}
	if v := mlx.AsArray(true).Item(); v != 1 {
		t.Errorf("Item of true = %v", v)
	}
}

func TestErrorNilArray(t *testing.T) {
	var n *mlx.Array
	x := mlx.Ones(2)
	cases := []struct {
		want string
		f    func()
	}{
		{"mlx.Add: nil *mlx.Array", func() { mlx.Add(n, 1) }},
		{"mlx.Add: nil *mlx.Array", func() { mlx.Add(1, n) }},
		{"mlx.Add: nil *mlx.Array", func() { mlx.Add(x, n) }},
		{"mlx.Add: nil *mlx.Array", func() { mlx.Add(n, x) }},
		{"mlx.Add: nil *mlx.Array", func() { mlx.Add(n, []float64{1}) }},
		{"mlx.Add: nil *mlx.Array", func() { n.Add(1) }},
		{"mlx.Matmul: nil *mlx.Array", func() { x.Matmul(n) }},
		{"mlx.Exp: nil *mlx.Array", func() { mlx.Exp(n) }},
		{"mlx.Sum: nil *mlx.Array", func() { n.Sum() }},
		{"mlx.Where: nil *mlx.Array", func() { mlx.Where(n, x, x) }},
		{"mlx.Where: nil *mlx.Array", func() { mlx.Where(x, x, n) }},
		{"mlx.Reshape: nil *mlx.Array", func() { mlx.Reshape(n, 2) }},
		{"mlx.Concatenate: nil *mlx.Array", func() { mlx.Concatenate([]*mlx.Array{x, nil}) }},
		{"mlx.Inv: nil *mlx.Array", func() { mlx.Inv(n) }},
		{"mlx.Eval: nil *mlx.Array", func() { mlx.Eval(x, n) }},
		{"mlx.Shape: nil *mlx.Array", func() { n.Shape() }},
		{"mlx.Dtype: nil *mlx.Array", func() { n.Dtype() }},
		{"mlx.Float32s: nil *mlx.Array", func() { (&mlx.Array{}).Float32s() }},
		{"mlx.Float64s: nil *mlx.Array", func() { n.Float64s() }},
		{"mlx.Int32s: nil *mlx.Array", func() { n.Int32s() }},
		{"mlx.Int64s: nil *mlx.Array", func() { n.Int64s() }},
		{"mlx.Bools: nil *mlx.Array", func() { n.Bools() }},
		{"mlx.Complex64s: nil *mlx.Array", func() { n.Complex64s() }},
		{"mlx.Item: nil *mlx.Array", func() { n.Item() }},
		{"mlx.Size: nil *mlx.Array", func() { n.Size() }},
		{"mlx.AsType: nil *mlx.Array", func() { n.AsType(mlx.Int32) }},
		{"mlx.ZerosLike: nil *mlx.Array", func() { mlx.ZerosLike(n) }},
	}
	for _, c := range cases {
		wantErr(t, c.want, c.f)
	}
}

func TestErrorUnsupportedType(t *testing.T) {
	type point struct{ X, Y float64 }
	cases := []struct {
		want string
		f    func()
	}{
		{"mlx.AsArray: cannot convert a value of type string to an array", func() { mlx.AsArray("x") }},
		{"mlx.AsArray: cannot convert a value of type mlx_test.point to an array", func() { mlx.AsArray(point{1, 2}) }},
		{"mlx.AsArray: cannot convert a value of type mlx_test.point to an array", func() { mlx.AsArray([]point{{1, 2}}) }},
		{"mlx.AsArray: cannot convert a value of type func() to an array", func() { mlx.AsArray(func() {}) }},
		{"mlx.Add: cannot convert a value of type string to an array", func() { mlx.Add(mlx.Ones(2), "x") }},
		{"mlx.Add: cannot convert a value of type string to an array", func() { mlx.Ones(2).Add("x") }},
		{"mlx.Exp: cannot convert a value of type string to an array", func() { mlx.Exp("x") }},
		{"mlx.Sum: cannot convert a value of type mlx_test.point to an array", func() { mlx.Sum(point{}) }},
		{"mlx.Outer: cannot convert a value of type string to an array", func() { mlx.Outer(mlx.Ones(2), "x") }},
		{"mlx.Add: cannot convert nil to an array", func() { mlx.Add(mlx.Ones(2), nil) }},
		{"mlx.AsArray: cannot convert a slice holding *mlx.Array values; join arrays with mlx.Stack", func() {
			mlx.AsArray([]*mlx.Array{mlx.Ones(2)})
		}},
		{"mlx.Add: cannot convert a slice holding *mlx.Array values; join arrays with mlx.Stack", func() {
			mlx.Add([]any{mlx.Ones(2), 1.0}, 1)
		}},
	}
	for _, c := range cases {
		wantErr(t, c.want, c.f)
	}
}

func TestErrorDtype(t *testing.T) {
	ic := mlx.AsArray([][]int{{1, 0}, {0, 1}})
	wantErr(t, "mlx.Inv: arrays must have type float32 or float64. Received array with type int32 (shape [2 x 2])", func() {
		mlx.Inv(ic)
	})
	wantErr(t, "mlx.Remainder: complex type not supported (shapes [1] and [1])", func() {
		mlx.Remainder([]complex64{1}, []complex64{1})
	})
	wantErr(t, "mlx.Arctan2: not supported for complex64 (shapes [1] and [1])", func() {
		mlx.Arctan2([]complex64{1}, []complex64{1})
	})
}

func TestErrorValue(t *testing.T) {
	e := mustPanic(t, "Matmul", func() { mlx.Matmul(mlx.Ones(4, 2), mlx.Ones(3, 1)) })
	if e.Op != "mlx.Matmul" || e.Msg != "shapes [4 x 2] and [3 x 1] are not compatible" {
		t.Errorf("Error fields: Op %q Msg %q", e.Op, e.Msg)
	}
	// No MLX-internal prefixes ("[matmul]") or multi-line text reach the user.
	for _, f := range []func(){
		func() { mlx.Sum(mlx.Ones(2), 3) },
		func() { mlx.Inv(mlx.Ones(3)) },
		func() { mlx.Squeeze(mlx.Ones(2), 0) },
		func() { mlx.Split(mlx.Ones(3), 2) },
	} {
		e := mustPanic(t, "clean", f)
		if e == nil {
			continue
		}
		msg := e.Error()
		if strings.Contains(msg, "\n") || strings.Contains(e.Msg, "[") && strings.Index(e.Msg, "[") == 0 {
			t.Errorf("unclean message %q", msg)
		}
		if !strings.HasPrefix(msg, "mlx.") || !strings.Contains(msg, "[") {
			t.Errorf("message %q does not name the op and a shape", msg)
		}
	}
}

func TestCatch(t *testing.T) {
	var y *mlx.Array
	err := mlx.Catch(func() { y = mlx.Matmul(mlx.Ones(4, 2), mlx.Ones(3, 1)) })
	if err == nil {
		t.Fatal("Catch returned nil for a failing op")
	}
	if y != nil {
		t.Error("the result was assigned despite the error")
	}
	if err.Error() != "mlx.Matmul: shapes [4 x 2] and [3 x 1] are not compatible" {
		t.Errorf("Catch error = %q", err)
	}
	var me *mlx.Error
	if !errors.As(err, &me) {
		t.Fatalf("errors.As(%T, *mlx.Error) failed", err)
	}
	if me.Op != "mlx.Matmul" {
		t.Errorf("Op = %q", me.Op)
	}
	wrapped := fmt.Errorf("training step: %w", err)
	if !errors.As(wrapped, &me) || me.Op != "mlx.Matmul" {
		t.Error("errors.As through a wrapped error failed")
	}

	if err := mlx.Catch(func() { y = mlx.Add(1, 2) }); err != nil {
		t.Errorf("Catch of a working op = %v", err)
	}
	if y == nil || y.Item() != 3 {
		t.Error("Catch did not run f")
	}
	// The returned error is a non-nil error interface holding *mlx.Error,
	// and nil is a true nil interface.
	if err := mlx.Catch(func() {}); err != nil {
		t.Errorf("Catch(no-op) = %#v, want nil", err)
	}

	// Errors from every layer come back: Go-side checks and MLX's own.
	for _, f := range []func(){
		func() { mlx.AsArray("x") },
		func() { mlx.Sum(mlx.Ones(2), 5) },
		func() { mlx.Ones(2, 2).Item() },
		func() { mlx.Reshape(mlx.Ones(3), 2) },
	} {
		if err := mlx.Catch(f); !errors.As(err, &me) {
			t.Errorf("Catch returned %v, want an *mlx.Error", err)
		}
	}

	// Other panics propagate unchanged.
	for _, v := range []any{"boom", errors.New("plain error"), 42} {
		got := func() (r any) {
			defer func() { r = recover() }()
			_ = mlx.Catch(func() { panic(v) })
			return nil
		}()
		if got != v {
			t.Errorf("Catch re-panicked with %v, want %v", got, v)
		}
	}
	got := func() (r any) {
		defer func() { r = recover() }()
		_ = mlx.Catch(func() {
			var s []int
			_ = s[3]
		})
		return nil
	}()
	if _, ok := got.(interface{ RuntimeError() }); !ok {
		t.Errorf("Catch re-panicked with %T %v, want the runtime error", got, got)
	}
}

func TestErrorDevice(t *testing.T) {
	if mlx.HasGPU() {
		t.Skip("this MLX build has a GPU")
	}
	wantErr(t, "mlx.SetDefaultDevice: no GPU is available (this MLX build has a CPU backend only)", func() {
		mlx.SetDefaultDevice(mlx.GPU)
	})
	if mlx.DefaultDevice() != mlx.CPU {
		t.Errorf("DefaultDevice = %v after a failed switch", mlx.DefaultDevice())
	}
	mlx.SetDefaultDevice(mlx.CPU)
	if d := mlx.Ones(1).Device(); d != mlx.CPU {
		t.Errorf("Device = %v", d)
	}
}

// Reading a traced array inside a transformed function fails with a clear error.
func TestErrorTracedRead(t *testing.T) {
	f := func(args []*mlx.Array) []*mlx.Array {
		_ = args[0].Item()
		return []*mlx.Array{mlx.Sum(args[0])}
	}
	err := mlx.Catch(func() {
		mlx.ValueAndGrad("grad.Grad", f, []int{0}).Call([]*mlx.Array{mlx.AsArray(2.0)})
	})
	want := "mlx.Item: cannot read the values of an array traced by a gradient transform; " +
		"the function being differentiated must stay inside MLX ops"
	if err == nil || err.Error() != want {
		t.Errorf("traced Item: %v\nwant %s", err, want)
	}
	var s string
	g := func(args []*mlx.Array) []*mlx.Array {
		s = args[0].String()
		return []*mlx.Array{mlx.Sum(args[0])}
	}
	mlx.ValueAndGrad("grad.Grad", g, []int{0}).Call([]*mlx.Array{mlx.Ones(2)})
	if s != "mlx array [2] (traced by a gradient transform; values not available)" {
		t.Errorf("traced String = %q", s)
	}
}

// Failures MLX finds only when it computes (such as a singular matrix) surface
// when the values are read, as an *mlx.Error naming the read.
func TestErrorAtEvaluation(t *testing.T) {
	inv := mlx.Inv(mlx.Zeros(2, 2)) // no error yet: MLX is lazy
	e := mustPanic(t, "Inv singular", func() { inv.Float64s() })
	if e != nil && (e.Op != "mlx.Float64s" || !strings.Contains(e.Msg, "failed") || !strings.Contains(e.Msg, "[2 x 2]")) {
		t.Errorf("singular Inv: %v", e)
	}
	e = mustPanic(t, "Eval singular", func() { mlx.Eval(mlx.Inv(mlx.Zeros(3, 3))) })
	if e != nil && e.Op != "mlx.Eval" {
		t.Errorf("singular Eval: %v", e)
	}
}

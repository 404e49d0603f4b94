package grad_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
	"github.com/mlxgo/mlxgo/mlx/grad"
)

// panicValue runs f and returns what it panicked with (nil if it returned).
func panicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// mustError runs f, which must panic with an *mlx.Error, and returns it.
func mustError(t *testing.T, f func()) *mlx.Error {
	t.Helper()
	v := panicValue(f)
	if v == nil {
		t.Fatalf("no panic; want an *mlx.Error")
	}
	e, ok := v.(*mlx.Error)
	if !ok {
		t.Fatalf("panicked with %T %v; want an *mlx.Error", v, v)
	}
	return e
}

// wantMessage checks the full text of an error.
func wantMessage(t *testing.T, e error, want string) {
	t.Helper()
	if e.Error() != want {
		t.Errorf("message\n  %q\nwant\n  %q", e.Error(), want)
	}
}

// wantContains checks that an error's text has every fragment.
func wantContains(t *testing.T, e error, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(e.Error(), f) {
			t.Errorf("message %q does not contain %q", e.Error(), f)
		}
	}
}

// floats reads an array as float64s.
func floats(a *mlx.Array) []float64 { return a.Float64s() }

func wantFloats(t *testing.T, what string, a *mlx.Array, want ...float64) {
	t.Helper()
	got := floats(a)
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
		return
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-5*math.Max(1, math.Abs(want[i])) {
			t.Errorf("%s = %v, want %v", what, got, want)
			return
		}
	}
}

func sumSq(x *mlx.Array) *mlx.Array { return mlx.Sum(mlx.Mul(x, x)) }

// stillWorks checks that a plain gradient call works (after an error).
func stillWorks(t *testing.T) {
	t.Helper()
	g := grad.Grad(sumSq, []float64{1, 2, 3})
	wantFloats(t, "grad of sum(x*x) after the error", g[0], 2, 4, 6)
	r := grad.ValueFunc(seedLoss, 0)(mlx.Matrix(0.0, 2, 1), mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2),
		mlx.Matrix([]float64{1, 3, 2, 4}, 4, 1))
	wantFloats(t, "seed gradient after the error", r.Grads[0], -14.5, -34.5)
}

// f3 = a*b*b + 3*c: at (2, 3, 5) the gradients are (9, 12, 3).
func f3(a, b, c *mlx.Array) *mlx.Array { return mlx.Add(mlx.Mul(a, mlx.Mul(b, b)), mlx.Mul(c, 3)) }

func TestArgnums(t *testing.T) {
	cases := []struct {
		name string
		args []any
		want []float64
	}{
		{"all by default", []any{2.0, 3.0, 5.0}, []float64{9, 12, 3}},
		{"first", []any{2.0, 3.0, 5.0, grad.Argnums(0)}, []float64{9}},
		{"middle", []any{2.0, 3.0, 5.0, grad.Argnums(1)}, []float64{12}},
		{"last", []any{2.0, 3.0, 5.0, grad.Argnums(2)}, []float64{3}},
		{"order respected", []any{2.0, 3.0, 5.0, grad.Argnums(2, 0)}, []float64{3, 9}},
		{"reversed all", []any{2.0, 3.0, 5.0, grad.Argnums(2, 1, 0)}, []float64{3, 12, 9}},
		{"subset", []any{2.0, 3.0, 5.0, grad.Argnums(1, 2)}, []float64{12, 3}},
		{"option first", []any{grad.Argnums(1), 2.0, 3.0, 5.0}, []float64{12}},
		{"option between", []any{2.0, grad.Argnums(0, 1), 3.0, 5.0}, []float64{9, 12}},
		{"pointer option", []any{2.0, 3.0, 5.0, ptr(grad.Argnums(2))}, []float64{3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := grad.Grad(f3, c.args...)
			if len(g) != len(c.want) {
				t.Fatalf("got %d gradients, want %d", len(g), len(c.want))
			}
			for i, w := range c.want {
				if got := g[i].Item(); got != w {
					t.Errorf("gradient %d = %v, want %v", i, got, w)
				}
			}
			r := grad.ValueGrad(f3, c.args...)
			if v := r.Value.Item(); v != 33 {
				t.Errorf("ValueGrad value %v, want 33", v)
			}
			if len(r.Grads) != len(c.want) || r.Grads[0].Item() != c.want[0] {
				t.Errorf("ValueGrad grads differ from Grad")
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestArgnumsErrors(t *testing.T) {
	cases := []struct {
		name string
		opt  []any
		want string
	}{
		{"too large", []any{grad.Argnums(3)},
			"grad.Grad: argnum 3 is out of range for a function of 3 argument(s) (argnums are 0-based: 0 to 2)"},
		{"negative", []any{grad.Argnums(0, -1)},
			"grad.Grad: argnum -1 is out of range for a function of 3 argument(s) (argnums are 0-based: 0 to 2)"},
		{"1-based habit", []any{grad.Argnums(1, 2, 3)},
			"grad.Grad: argnum 3 is out of range for a function of 3 argument(s) (argnums are 0-based: 0 to 2)"},
		{"duplicate", []any{grad.Argnums(1, 0, 1)}, "grad.Grad: argnum 1 is given twice"},
		{"empty", []any{grad.Argnums()}, "grad.Grad: Argnums() needs at least one argument index"},
		{"given twice", []any{grad.Argnums(0), grad.Argnums(1)}, "grad.Grad: Argnums given twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := mustError(t, func() { grad.Grad(f3, append([]any{2.0, 3.0, 5.0}, c.opt...)...) })
			wantMessage(t, e, c.want)
			if e.Op != "grad.Grad" {
				t.Errorf("Op %q, want grad.Grad", e.Op)
			}
			stillWorks(t)
		})
	}
	// ValueGrad names itself.
	e := mustError(t, func() { grad.ValueGrad(f3, 2.0, 3.0, 5.0, grad.Argnums(7)) })
	wantContains(t, e, "grad.ValueGrad: argnum 7 is out of range")
	// Func and ValueFunc check argnums when they are built.
	e = mustError(t, func() { grad.Func(f3, 0, 3) })
	wantMessage(t, e, "grad.Func: argnum 3 is out of range for a function of 3 argument(s) (argnums are 0-based: 0 to 2)")
	e = mustError(t, func() { grad.ValueFunc(f3, 2, 2) })
	wantMessage(t, e, "grad.ValueFunc: argnum 2 is given twice")
	stillWorks(t)
}

func TestGoArgumentsAreCoerced(t *testing.T) {
	// f(a, v, m) = a*sum(v) + sum(m*m)
	f := func(a, v, m *mlx.Array) *mlx.Array {
		return mlx.Add(mlx.Mul(a, mlx.Sum(v)), mlx.Sum(mlx.Mul(m, m)))
	}
	r := grad.ValueGrad(f, 2.0, []float64{1, 2}, [][]float32{{1, 2}, {3, 4}})
	if v := r.Value.Item(); v != 36 {
		t.Errorf("value %v, want 36", v)
	}
	wantFloats(t, "d/da", r.Grads[0], 3)
	wantFloats(t, "d/dv", r.Grads[1], 2, 2)
	wantFloats(t, "d/dm", r.Grads[2], 2, 4, 6, 8)
	for i, want := range [][]int{{}, {2}, {2, 2}} {
		if g := r.Grads[i]; !slices.Equal(g.Shape(), want) || g.Dtype() != mlx.Float32 {
			t.Errorf("gradient %d: shape %v dtype %v, want %v float32", i, g.Shape(), g.Dtype(), want)
		}
	}
	// Go values and arrays mix; the gradients keep the arguments' dtypes.
	x := mlx.AsType([]float64{1, 2, 3}, mlx.Float64)
	g := grad.Grad(f, float32(0.5), x, mlx.Matrix([]float64{1, 2}, 1, 2))
	wantFloats(t, "d/da", g[0], 6)
	wantFloats(t, "d/dv", g[1], 0.5, 0.5, 0.5)
	wantFloats(t, "d/dm", g[2], 2, 4)
	if g[1].Dtype() != mlx.Float64 {
		t.Errorf("gradient of a float64 argument has dtype %v", g[1].Dtype())
	}
	// A Go int becomes an int32 array, as mlx.AsArray makes it.
	g = grad.Grad(sumSq, []int{1, 2})
	if g[0].Dtype() != mlx.Int32 {
		t.Errorf("gradient for []int argument has dtype %v, want int32", g[0].Dtype())
	}
	wantFloats(t, "d/dx of sum(x*x) at int [1 2]", g[0], 2, 4)
}

func TestErrorMessages(t *testing.T) {
	vec3 := []float64{1, 2, 3}
	cases := []struct {
		name string
		call func()
		want string // the whole message
	}{
		{"non-scalar result", func() { grad.Grad(func(x *mlx.Array) *mlx.Array { return mlx.Mul(x, x) }, vec3) },
			"grad.Grad: f must return a scalar (0-d array), got shape [3]; reduce it, e.g. with mlx.Sum or mlx.Mean"},
		{"non-scalar matrix result", func() {
			grad.ValueGrad(func(x *mlx.Array) *mlx.Array { return mlx.Outer(x, x) }, []float64{1, 2})
		}, "grad.ValueGrad: f must return a scalar (0-d array), got shape [2 x 2]; reduce it, e.g. with mlx.Sum or mlx.Mean"},
		{"one-element 1-d result", func() { grad.Grad(func(x *mlx.Array) *mlx.Array { return x }, []float64{1}) },
			"grad.Grad: f must return a scalar (0-d array), got shape [1]; reduce it, e.g. with mlx.Sum or mlx.Mean"},
		{"nil result", func() { grad.Grad(func(x *mlx.Array) *mlx.Array { return nil }, 1.0) },
			"grad.Grad: f returned a nil *mlx.Array; it must return a scalar computed with MLX ops"},
		{"float64 result", func() { grad.Grad(func(x *mlx.Array) float64 { return 1 }, 1.0) },
			"grad.Grad: f (func(*mlx.Array) float64) must return one *mlx.Array (a scalar computed with MLX ops), " +
				"so the function must stay inside MLX ops"},
		{"two results", func() { grad.Grad(func(x *mlx.Array) (*mlx.Array, error) { return x, nil }, 1.0) },
			"grad.Grad: f (func(*mlx.Array) (*mlx.Array, error)) must return one *mlx.Array (a scalar computed with MLX ops), " +
				"so the function must stay inside MLX ops"},
		{"no result", func() { grad.Grad(func(x *mlx.Array) {}, 1.0) },
			"grad.Grad: f (func(*mlx.Array)) must return one *mlx.Array (a scalar computed with MLX ops), " +
				"so the function must stay inside MLX ops"},
		{"f is an int", func() { grad.Grad(42, 1.0) },
			"grad.Grad: f has type int, not a function; want a func of *mlx.Array arguments returning one *mlx.Array"},
		{"f is an array", func() { grad.ValueGrad(mlx.Scalar(1.0), 1.0) },
			"grad.ValueGrad: f has type *mlx.Array, not a function; want a func of *mlx.Array arguments returning one *mlx.Array"},
		{"f is nil", func() { grad.Grad(nil, 1.0) },
			"grad.Grad: f is nil; want a func of *mlx.Array arguments returning one *mlx.Array"},
		{"f is a nil func", func() { var f func(*mlx.Array) *mlx.Array; grad.Grad(f, 1.0) },
			"grad.Grad: f is a nil func(*mlx.Array) *mlx.Array; want a func of *mlx.Array arguments returning one *mlx.Array"},
		{"float64 parameter", func() { grad.Grad(func(x float64) *mlx.Array { return mlx.Scalar(x) }, 1.0) },
			"grad.Grad: parameter 0 of f (func(float64) *mlx.Array) is float64; every parameter must be *mlx.Array"},
		{"Array value parameter", func() {
			grad.Grad(func(x *mlx.Array, y mlx.Array) *mlx.Array { return x }, 1.0, 2.0)
		}, "grad.Grad: parameter 1 of f (func(*mlx.Array, mlx.Array) *mlx.Array) is mlx.Array; every parameter must be *mlx.Array"},
		{"variadic", func() { grad.Grad(func(x ...*mlx.Array) *mlx.Array { return x[0] }, 1.0) },
			"grad.Grad: f (func(...*mlx.Array) *mlx.Array) is variadic; give it one *mlx.Array parameter per argument"},
		{"too few arguments", func() { grad.Grad(f3, 1.0, 2.0) }, "grad.Grad: f takes 3 argument(s), got 2"},
		{"too many arguments", func() { grad.ValueGrad(sumSq, 1.0, 2.0) }, "grad.ValueGrad: f takes 1 argument(s), got 2"},
		{"no arguments", func() { grad.Grad(func() *mlx.Array { return mlx.Scalar(1.0) }) },
			"grad.Grad: f takes no arguments; there is nothing to differentiate"},
		{"argument not convertible", func() { grad.Grad(f3, 1.0, "two", 3.0) },
			"grad.Grad: argument 1: mlx.AsArray: cannot convert a value of type string to an array"},
		{"nil argument", func() { grad.Grad(sumSq, nil) },
			"grad.Grad: argument 0: mlx.AsArray: cannot convert nil to an array"},
		{"nil array argument", func() { grad.Grad(sumSq, (*mlx.Array)(nil)) },
			"grad.Grad: argument 0: mlx.AsArray: nil *mlx.Array"},
		{"wrong count to a Func", func() { grad.Func(f3)(1.0) }, "grad.Func: f takes 3 argument(s), got 1"},
		{"wrong count to a ValueFunc", func() { grad.ValueFunc(sumSq)() }, "grad.ValueFunc: f takes 1 argument(s), got 0"},
		{"Func result non-scalar", func() { grad.Func(func(x *mlx.Array) *mlx.Array { return x })(vec3) },
			"grad.Func: f must return a scalar (0-d array), got shape [3]; reduce it, e.g. with mlx.Sum or mlx.Mean"},
		{"op error inside f", func() {
			grad.Grad(func(x *mlx.Array) *mlx.Array { return mlx.Sum(mlx.Matmul(x, mlx.Ones(4, 1))) }, [][]float64{{1, 2}})
		}, "mlx.Matmul: shapes [1 x 2] and [4 x 1] are not compatible"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := mustError(t, c.call)
			wantMessage(t, e, c.want)
			stillWorks(t)
		})
	}
}

// Reading a traced array's values inside f is an error that says the
// function must stay inside MLX ops.
func TestReadingTracedValues(t *testing.T) {
	const msg = "cannot read the values of an array traced by a gradient transform; " +
		"the function being differentiated must stay inside MLX ops"
	reads := []struct {
		name string
		read func(x *mlx.Array)
	}{
		{"Item", func(x *mlx.Array) { mlx.Sum(x).Item() }},
		{"Float32s", func(x *mlx.Array) { x.Float32s() }},
		{"Float64s", func(x *mlx.Array) { x.Float64s() }},
		{"Int32s", func(x *mlx.Array) { x.Int32s() }},
		{"Int64s", func(x *mlx.Array) { x.Int64s() }},
		{"Bools", func(x *mlx.Array) { x.Bools() }},
		{"Complex64s", func(x *mlx.Array) { x.Complex64s() }},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			f := func(x *mlx.Array) *mlx.Array {
				r.read(mlx.Mul(x, 2)) // a value computed from the traced argument
				return mlx.Sum(x)
			}
			e := mustError(t, func() { grad.Grad(f, []float64{1, 2}) })
			wantMessage(t, e, "mlx."+r.name+": "+msg)
			stillWorks(t)
		})
	}
	t.Run("Item of the argument itself", func(t *testing.T) {
		f := func(x *mlx.Array) *mlx.Array { return mlx.Mul(x, x.Item()) }
		e := mustError(t, func() { grad.Grad(f, 2.0) })
		wantMessage(t, e, "mlx.Item: "+msg)
		e = mustError(t, func() { grad.ValueFunc(f)(2.0) })
		wantMessage(t, e, "mlx.Item: "+msg)
		stillWorks(t)
	})
	t.Run("VJP and JVP", func(t *testing.T) {
		f := func(x *mlx.Array) *mlx.Array { x.Float32s(); return x }
		one := []*mlx.Array{mlx.AsArray([]float64{1, 2})}
		wantMessage(t, mustError(t, func() { grad.VJP(f, one, one) }), "mlx.Float32s: "+msg)
		wantMessage(t, mustError(t, func() { grad.JVP(f, one, one) }), "mlx.Float32s: "+msg)
		stillWorks(t)
	})
	t.Run("printing a traced array", func(t *testing.T) {
		var printed string
		f := func(x *mlx.Array) *mlx.Array {
			printed = fmt.Sprint(x)
			return mlx.Sum(x)
		}
		grad.Grad(f, []float64{1, 2})
		if want := "mlx array [2] (traced by a gradient transform; values not available)"; printed != want {
			t.Errorf("printed %q, want %q", printed, want)
		}
	})
	t.Run("reading an untraced array inside f is fine", func(t *testing.T) {
		c := mlx.Scalar(3.0)
		g := grad.Grad(func(x *mlx.Array) *mlx.Array { return mlx.Mul(x, c.Item()) }, 2.0)
		wantFloats(t, "d/dx 3x", g[0], 3)
	})
}

type boomError struct{ msg string }

func (e *boomError) Error() string { return e.msg }

// A panic inside f reaches the caller of grad.Grad as the same value.
func TestPanicInsideF(t *testing.T) {
	custom := &boomError{"custom"}
	values := []struct {
		name  string
		value any
	}{
		{"string", "boom"},
		{"error pointer", custom},
		{"int", 42},
		{"mlx error", &mlx.Error{Op: "user", Msg: "made by f"}},
	}
	callers := []struct {
		name string
		call func(f func(x *mlx.Array) *mlx.Array)
	}{
		{"Grad", func(f func(x *mlx.Array) *mlx.Array) { grad.Grad(f, 1.0) }},
		{"ValueGrad", func(f func(x *mlx.Array) *mlx.Array) { grad.ValueGrad(f, 1.0, grad.Argnums(0)) }},
		{"Func", func(f func(x *mlx.Array) *mlx.Array) { grad.Func(f)(1.0) }},
		{"ValueFunc", func(f func(x *mlx.Array) *mlx.Array) { grad.ValueFunc(f, 0)(1.0) }},
		{"VJP", func(f func(x *mlx.Array) *mlx.Array) {
			grad.VJP(f, []*mlx.Array{mlx.Scalar(1.0)}, []*mlx.Array{mlx.Scalar(1.0)})
		}},
		{"JVP", func(f func(x *mlx.Array) *mlx.Array) {
			grad.JVP(f, []*mlx.Array{mlx.Scalar(1.0)}, []*mlx.Array{mlx.Scalar(1.0)})
		}},
		{"nested Grad", func(f func(x *mlx.Array) *mlx.Array) {
			grad.Grad(func(x *mlx.Array) *mlx.Array { return grad.Grad(f, x)[0] }, 1.0)
		}},
	}
	for _, c := range callers {
		for _, v := range values {
			t.Run(c.name+"/"+v.name, func(t *testing.T) {
				f := func(x *mlx.Array) *mlx.Array {
					_ = mlx.Mul(x, x)
					panic(v.value)
				}
				got := panicValue(func() { c.call(f) })
				if got != v.value {
					t.Fatalf("recovered %T %v, want %T %v", got, got, v.value, v.value)
				}
				stillWorks(t)
			})
		}
	}
	t.Run("runtime error", func(t *testing.T) {
		got := panicValue(func() {
			grad.Grad(func(x *mlx.Array) *mlx.Array {
				var s []*mlx.Array
				return s[len(s)+1]
			}, 1.0)
		})
		if _, ok := got.(runtime.Error); !ok {
			t.Fatalf("recovered %T %v, want a runtime.Error", got, got)
		}
		stillWorks(t)
	})
	t.Run("mlx.Catch lets a user panic through", func(t *testing.T) {
		got := panicValue(func() {
			_ = mlx.Catch(func() { grad.Grad(func(x *mlx.Array) *mlx.Array { panic("boom") }, 1.0) })
		})
		if got != "boom" {
			t.Fatalf("recovered %v, want boom", got)
		}
		stillWorks(t)
	})
}

func TestCatch(t *testing.T) {
	var g []*mlx.Array
	err := mlx.Catch(func() { g = grad.Grad(func(x *mlx.Array) *mlx.Array { return x }, []float64{1, 2}) })
	if err == nil {
		t.Fatal("Catch returned nil for a failing grad call")
	}
	var e *mlx.Error
	if !errors.As(err, &e) {
		t.Fatalf("Catch returned %T, want *mlx.Error", err)
	}
	if e.Op != "grad.Grad" {
		t.Errorf("Op %q, want grad.Grad", e.Op)
	}
	wantMessage(t, err, "grad.Grad: f must return a scalar (0-d array), got shape [2]; reduce it, e.g. with mlx.Sum or mlx.Mean")
	if g != nil {
		t.Errorf("gradients assigned despite the error")
	}
	err = mlx.Catch(func() { grad.Grad(func(x *mlx.Array) *mlx.Array { x.Float32s(); return x }, 1.0) })
	if err == nil || !strings.Contains(err.Error(), "must stay inside MLX ops") {
		t.Errorf("Catch around a traced read: %v", err)
	}
	if err := mlx.Catch(func() { g = grad.Grad(sumSq, []float64{1, 2}) }); err != nil {
		t.Fatalf("Catch around a working call: %v", err)
	}
	wantFloats(t, "grad", g[0], 2, 4)
}

// The seed loss with three arguments: Func and ValueFunc are built once and
// called many times.
func TestFuncAndValueFunc(t *testing.T) {
	x := mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)
	y := mlx.Matrix([]float64{1, 3, 2, 4}, 4, 1)
	all := grad.Func(seedLoss)
	onlyW := grad.Func(seedLoss, 0)
	yThenW := grad.ValueFunc(seedLoss, 2, 0)
	vall := grad.ValueFunc(seedLoss)

	g := all(mlx.Matrix(0.0, 2, 1), x, y)
	if len(g) != 3 {
		t.Fatalf("Func with no argnums gave %d gradients, want 3", len(g))
	}
	wantFloats(t, "seed grad w", g[0], -14.5, -34.5)

	for step := range 10 {
		w := mlx.Matrix([]float64{0.1 * float64(step), -0.05 * float64(step)}, 2, 1)
		ref := grad.ValueGrad(seedLoss, w, x, y)

		if g := all(w, x, y); len(g) != 3 {
			t.Fatalf("step %d: %d gradients", step, len(g))
		} else {
			for i := range g {
				wantFloats(t, fmt.Sprintf("step %d Func grad %d", step, i), g[i], floats(ref.Grads[i])...)
			}
		}
		if g := onlyW(w, x, y); len(g) != 1 {
			t.Fatalf("step %d: Func(f, 0) gave %d gradients", step, len(g))
		} else {
			wantFloats(t, fmt.Sprintf("step %d Func(f, 0)", step), g[0], floats(ref.Grads[0])...)
		}
		r := yThenW(w, x, y)
		wantFloats(t, fmt.Sprintf("step %d value", step), r.Value, ref.Value.Item())
		if len(r.Grads) != 2 {
			t.Fatalf("step %d: ValueFunc(f, 2, 0) gave %d gradients", step, len(r.Grads))
		}
		wantFloats(t, fmt.Sprintf("step %d ValueFunc grad y", step), r.Grads[0], floats(ref.Grads[2])...)
		wantFloats(t, fmt.Sprintf("step %d ValueFunc grad w", step), r.Grads[1], floats(ref.Grads[0])...)
		if !slices.Equal(r.Grads[0].Shape(), []int{4, 1}) || !slices.Equal(r.Grads[1].Shape(), []int{2, 1}) {
			t.Errorf("step %d: shapes %v %v", step, r.Grads[0].Shape(), r.Grads[1].Shape())
		}
		if rv := vall(w, x, y); len(rv.Grads) != 3 || rv.Value.Item() != ref.Value.Item() {
			t.Errorf("step %d: ValueFunc with no argnums: %d grads, value %v", step, len(rv.Grads), rv.Value.Item())
		}
	}

	// Go values are coerced on every call; other shapes work with the same Func.
	d := grad.Func(func(a, b *mlx.Array) *mlx.Array { return mlx.Sum(mlx.Mul(a, b)) }, 1)
	wantFloats(t, "d/db", d([]float64{1, 2}, []float64{3, 4})[0], 1, 2)
	wantFloats(t, "d/db", d([]float64{5, 6, 7}, []float64{0, 0, 0})[0], 5, 6, 7)
	wantFloats(t, "d/db", d(2.0, 9.0)[0], 2)

	// A Func keeps working after a call with the wrong arguments.
	e := mustError(t, func() { all(x, y) })
	wantMessage(t, e, "grad.Func: f takes 3 argument(s), got 2")
	wantFloats(t, "seed grad w after the error", all(mlx.Matrix(0.0, 2, 1), x, y)[0], -14.5, -34.5)

	// A gradient-descent loop reduces the loss.
	w := mlx.Matrix(0.0, 2, 1)
	first := yThenW(w, x, y).Value.Item()
	last := first
	for range 50 {
		r := grad.ValueFunc(seedLoss, 0)(w, x, y)
		last = r.Value.Item()
		w = mlx.Sub(w, mlx.Mul(r.Grads[0], 0.01))
	}
	if !(last < first/2) {
		t.Errorf("loss went from %v to %v in 50 steps", first, last)
	}
}

func cube(x *mlx.Array) *mlx.Array { return mlx.Mul(x, mlx.Mul(x, x)) }

func TestHigherOrder(t *testing.T) {
	d1 := func(x *mlx.Array) *mlx.Array { return grad.Grad(cube, x)[0] }
	if got := grad.Grad(cube, 2.0)[0].Item(); got != 12 {
		t.Errorf("d/dx x^3 at 2 = %v, want 12", got)
	}
	if got := grad.Grad(d1, 2.0)[0].Item(); got != 12 {
		t.Errorf("d2/dx2 x^3 at 2 = %v, want 12", got)
	}
	d2 := func(x *mlx.Array) *mlx.Array { return grad.Grad(d1, x)[0] }
	if got := grad.Grad(d2, 2.0)[0].Item(); got != 6 {
		t.Errorf("d3/dx3 x^3 at 2 = %v, want 6", got)
	}
	// The same through reusable transforms.
	df := grad.Func(cube)
	ddf := grad.Func(func(x *mlx.Array) *mlx.Array { return df(x)[0] })
	for _, x := range []float64{-1, 0.5, 3} {
		if got := ddf(x)[0].Item(); math.Abs(got-6*x) > 1e-5 {
			t.Errorf("d2/dx2 x^3 at %v = %v, want %v", x, got, 6*x)
		}
	}
	// Mixed partials of f(x, y) = x^2 y^3: d/dy (d/dx f) = 6 x y^2.
	f := func(x, y *mlx.Array) *mlx.Array { return mlx.Mul(mlx.Mul(x, x), cube(y)) }
	dxdy := grad.Grad(func(x, y *mlx.Array) *mlx.Array { return grad.Grad(f, x, y, grad.Argnums(0))[0] }, 2.0, 3.0, grad.Argnums(1))
	wantFloats(t, "d2f/dxdy at (2,3)", dxdy[0], 6*2*9)
	// The value from ValueGrad inside an outer gradient.
	vg := grad.Grad(func(x *mlx.Array) *mlx.Array {
		r := grad.ValueGrad(cube, x)
		return mlx.Add(r.Value, r.Grads[0])
	}, 2.0)
	wantFloats(t, "d/dx (x^3 + 3x^2) at 2", vg[0], 12+12)
}

func TestVJPAndJVP(t *testing.T) {
	x := mlx.AsArray([]float64{1, 2, 3})
	sq := func(x *mlx.Array) *mlx.Array { return mlx.Mul(x, x) } // Jacobian diag(2x)

	outs, vjps := grad.VJP(sq, []*mlx.Array{x}, []*mlx.Array{mlx.AsArray([]float64{1, 1, 1})})
	if len(outs) != 1 || len(vjps) != 1 {
		t.Fatalf("VJP gave %d outputs and %d products", len(outs), len(vjps))
	}
	wantFloats(t, "VJP output", outs[0], 1, 4, 9)
	wantFloats(t, "VJP with ones", vjps[0], 2, 4, 6)
	_, vjps = grad.VJP(sq, []*mlx.Array{x}, []*mlx.Array{mlx.AsArray([]float64{1, 0, -2})})
	wantFloats(t, "VJP with [1 0 -2]", vjps[0], 2, 0, -12)

	outs, jvps := grad.JVP(sq, []*mlx.Array{x}, []*mlx.Array{mlx.AsArray([]float64{1, 0, 0.5})})
	if len(outs) != 1 || len(jvps) != 1 {
		t.Fatalf("JVP gave %d outputs and %d products", len(outs), len(jvps))
	}
	wantFloats(t, "JVP output", outs[0], 1, 4, 9)
	wantFloats(t, "JVP with [1 0 0.5]", jvps[0], 2, 0, 3)

	// Two inputs, two outputs: (x*y, x+y).
	two := func(x, y *mlx.Array) []*mlx.Array { return []*mlx.Array{mlx.Mul(x, y), mlx.Add(x, y)} }
	y := mlx.AsArray([]float64{4, 5, 6})
	c1, c2 := mlx.AsArray([]float64{1, 2, 3}), mlx.AsArray([]float64{-1, 0, 1})
	outs, vjps = grad.VJP(two, []*mlx.Array{x, y}, []*mlx.Array{c1, c2})
	if len(outs) != 2 || len(vjps) != 2 {
		t.Fatalf("VJP gave %d outputs and %d products", len(outs), len(vjps))
	}
	wantFloats(t, "x*y", outs[0], 4, 10, 18)
	wantFloats(t, "x+y", outs[1], 5, 7, 9)
	wantFloats(t, "VJP d/dx = c1*y + c2", vjps[0], 3, 10, 19)
	wantFloats(t, "VJP d/dy = c1*x + c2", vjps[1], 0, 4, 10)

	tx, ty := mlx.AsArray([]float64{1, 0, 2}), mlx.AsArray([]float64{0, 1, -1})
	outs, jvps = grad.JVP(two, []*mlx.Array{x, y}, []*mlx.Array{tx, ty})
	if len(outs) != 2 || len(jvps) != 2 {
		t.Fatalf("JVP gave %d outputs and %d products", len(outs), len(jvps))
	}
	wantFloats(t, "JVP of x*y = tx*y + x*ty", jvps[0], 4, 2, 9)
	wantFloats(t, "JVP of x+y = tx + ty", jvps[1], 1, 1, 1)

	// Errors.
	wantMessage(t, mustError(t, func() { grad.VJP(two, []*mlx.Array{x, y}, []*mlx.Array{c1}) }),
		"grad.VJP: number of outputs to compute gradients for (2) does not match number of cotangents (1)")
	wantMessage(t, mustError(t, func() { grad.VJP(two, []*mlx.Array{x}, []*mlx.Array{c1, c2}) }),
		"grad.VJP: f takes 2 argument(s), got 1 primals")
	wantMessage(t, mustError(t, func() { grad.VJP(sq, []*mlx.Array{x}, []*mlx.Array{mlx.AsArray([]float64{1, 2})}) }),
		"grad.VJP: output shape [3] does not match cotangent shape [2]")
	wantMessage(t, mustError(t, func() { grad.VJP(42, []*mlx.Array{x}, []*mlx.Array{c1}) }),
		"grad.VJP: f must be a non-variadic func of *mlx.Array arguments, got int")
	wantMessage(t, mustError(t, func() { grad.JVP(func(x *mlx.Array) float64 { return 0 }, []*mlx.Array{x}, []*mlx.Array{c1}) }),
		"grad.JVP: f (func(*mlx.Array) float64) must return *mlx.Array or []*mlx.Array computed with MLX ops")
	wantMessage(t, mustError(t, func() { grad.JVP(two, []*mlx.Array{x, y}, []*mlx.Array{tx}) }),
		"grad.JVP: number of inputs does not match number of tangents")
	wantMessage(t, mustError(t, func() {
		grad.VJP(func(x *mlx.Array) []*mlx.Array { return []*mlx.Array{x, nil} }, []*mlx.Array{x}, []*mlx.Array{c1, c1})
	}), "grad.VJP: output 1 of f is a nil *mlx.Array; f must return arrays computed with MLX ops")
	var nilf func(*mlx.Array) *mlx.Array
	wantMessage(t, mustError(t, func() { grad.JVP(nilf, []*mlx.Array{x}, []*mlx.Array{tx}) }),
		"grad.JVP: f is a nil func(*mlx.Array) *mlx.Array")
	stillWorks(t)
}

func TestResultStringOneGradient(t *testing.T) {
	r := grad.ValueGrad(sumSq, []float64{1, 2, 3})
	const want = `$value
mlx array []
  dtype: float32
  device: cpu
  values:
[1] 14

$grads
$grads[[1]]
mlx array [3]
  dtype: float32
  device: cpu
  values:
[1] 2 4 6


`
	if got := r.String(); got != want {
		t.Errorf("String():\n%q\nwant\n%q", got, want)
	}
	if got := fmt.Sprint(r); got != want {
		t.Errorf("fmt.Sprint differs from String():\n%q", got)
	}
	// Through ValueFunc and with Argnums the form is the same.
	if got := grad.ValueFunc(sumSq, 0)([]float64{1, 2, 3}).String(); got != want {
		t.Errorf("ValueFunc result String():\n%q", got)
	}
}

// MLX 0.32.4 has no gradient for these linear-algebra ops (its Python binding
// fails the same way); differentiating through them is a catchable
// *mlx.Error, and the package keeps working.
func TestGradientNotInMLX(t *testing.T) {
	a := mlx.AsType([]float64{4, 1, -2, 3}, mlx.Float64).Reshape(2, 2)
	cases := []struct {
		name string
		f    func(x *mlx.Array) *mlx.Array
		want string
	}{
		{"Inv", func(x *mlx.Array) *mlx.Array { return mlx.Sum(mlx.Inv(x)) }, "not implemented for Inverse"},
		{"Solve", func(x *mlx.Array) *mlx.Array { return mlx.Sum(mlx.Solve(x, mlx.Ones(2).AsType(mlx.Float64))) }, "indices"},
		{"Pinv", func(x *mlx.Array) *mlx.Array { return mlx.Sum(mlx.Pinv(x)) }, "not implemented for SVD"},
		{"Cholesky", func(x *mlx.Array) *mlx.Array { return mlx.Sum(mlx.Cholesky(mlx.Matmul(x, mlx.T(x)))) }, "not implemented for Cholesky"},
		{"QR", func(x *mlx.Array) *mlx.Array { q, _ := mlx.QR(x); return mlx.Sum(q) }, "not implemented for QRF"},
		{"SVD", func(x *mlx.Array) *mlx.Array { _, s, _ := mlx.SVD(x); return mlx.Sum(s) }, "not implemented for SVD"},
		{"Eigh", func(x *mlx.Array) *mlx.Array { w, _ := mlx.Eigh(mlx.Matmul(x, mlx.T(x))); return mlx.Sum(w) }, "not implemented for Eigh"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := mustError(t, func() { grad.Grad(c.f, a) })
			if e.Op != "grad.Grad" {
				t.Errorf("Op %q, want grad.Grad", e.Op)
			}
			wantContains(t, e, c.want)
			// The forward computation itself works.
			if v := c.f(a).Item(); math.IsNaN(v) {
				t.Errorf("forward value NaN")
			}
			stillWorks(t)
		})
	}
}

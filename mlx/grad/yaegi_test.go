package grad_test

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/mlxgo/mlxgo/internal/seedtest"
	"github.com/mlxgo/mlxgo/mlx"
	"github.com/mlxgo/mlxgo/mlx/grad"
)

// The functions a notebook user writes are interpreted by yaegi, which hands
// them to compiled code as reflect.MakeFunc-made funcs. These tests run a real
// yaegi interpreter with hand-built symbol tables for mlx and grad.

var yaegiSymbols = interp.Exports{
	"github.com/mlxgo/mlxgo/mlx/mlx": {
		"Array":    reflect.ValueOf((*mlx.Array)(nil)),
		"Error":    reflect.ValueOf((*mlx.Error)(nil)),
		"Catch":    reflect.ValueOf(mlx.Catch),
		"AsArray":  reflect.ValueOf(mlx.AsArray),
		"Matrix":   reflect.ValueOf(mlx.Matrix),
		"Scalar":   reflect.ValueOf(mlx.Scalar),
		"Add":      reflect.ValueOf(mlx.Add),
		"Sub":      reflect.ValueOf(mlx.Sub),
		"Mul":      reflect.ValueOf(mlx.Mul),
		"Div":      reflect.ValueOf(mlx.Div),
		"Matmul":   reflect.ValueOf(mlx.Matmul),
		"Sum":      reflect.ValueOf(mlx.Sum),
		"Mean":     reflect.ValueOf(mlx.Mean),
		"Tanh":     reflect.ValueOf(mlx.Tanh),
		"Square":   reflect.ValueOf(mlx.Square),
		"KeepDims": reflect.ValueOf(mlx.KeepDims),
	},
	"github.com/mlxgo/mlxgo/mlx/grad/grad": {
		"Grad":          reflect.ValueOf(grad.Grad),
		"ValueGrad":     reflect.ValueOf(grad.ValueGrad),
		"Func":          reflect.ValueOf(grad.Func),
		"ValueFunc":     reflect.ValueOf(grad.ValueFunc),
		"Argnums":       reflect.ValueOf(grad.Argnums),
		"Result":        reflect.ValueOf((*grad.Result)(nil)),
		"ArgnumsOption": reflect.ValueOf((*grad.ArgnumsOption)(nil)),
	},
}

// The imports and the seed's data and loss, as a notebook cell declares them.
const yaegiPrelude = `
import (
	"fmt"

	"github.com/mlxgo/mlxgo/mlx"
	"github.com/mlxgo/mlxgo/mlx/grad"
)

var (
	x = mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)
	y = mlx.Matrix([]float64{1, 3, 2, 4}, 4, 1)
	w = mlx.Matrix([]float64{0}, 2, 1)
)

func loss(w, x, y *mlx.Array) *mlx.Array {
	preds := mlx.Matmul(x, w)
	resids := mlx.Sub(preds, y)
	return mlx.Div(mlx.Sum(mlx.Mul(resids, resids)), y.Size())
}

var _ = fmt.Sprint
`

func newInterp(t *testing.T) *interp.Interpreter {
	t.Helper()
	// yaegi reports each panic's position on Stderr; keep the test output clean.
	i := interp.New(interp.Options{Stderr: io.Discard})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(yaegiSymbols); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval(yaegiPrelude); err != nil {
		t.Fatalf("prelude: %v", err)
	}
	return i
}

func eval(t *testing.T, i *interp.Interpreter, src string) reflect.Value {
	t.Helper()
	v, err := i.Eval(src)
	if err != nil {
		t.Fatalf("Eval(%q): %v", src, err)
	}
	return v
}

// evalPanic evaluates src, which must panic; it returns the panic value.
func evalPanic(t *testing.T, i *interp.Interpreter, src string) any {
	t.Helper()
	var got any
	func() {
		defer func() {
			if r := recover(); r != nil {
				got = r
			}
		}()
		_, err := i.Eval(src)
		var p interp.Panic
		if errors.As(err, &p) {
			got = p.Value
		} else if err != nil {
			t.Fatalf("Eval(%q): %v, want a panic", src, err)
		}
	}()
	if got == nil {
		t.Fatalf("Eval(%q) did not panic", src)
	}
	return got
}

func seedArgs() []any {
	return []any{
		mlx.Matrix([]float64{0}, 2, 1),
		mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2),
		mlx.Matrix([]float64{1, 3, 2, 4}, 4, 1),
	}
}

// (a) An interpreted loss, returned to Go and differentiated from Go.
func TestYaegiInterpretedLossFromGo(t *testing.T) {
	i := newInterp(t)
	f := eval(t, i, "loss").Interface()
	if ft := reflect.TypeOf(f); ft.Kind() != reflect.Func || ft.NumIn() != 3 {
		t.Fatalf("loss arrived as %T", f)
	}
	g := grad.Grad(f, seedArgs()...)
	if len(g) != 3 {
		t.Fatalf("%d gradients, want 3", len(g))
	}
	if s := g[0].String(); s != seedtest.Block1 {
		t.Errorf("gradient w:\n%s\nwant\n%s", s, seedtest.Block1)
	}
	// With argnums, and through a reusable transform.
	g = grad.Grad(f, append(seedArgs(), grad.Argnums(0))...)
	wantFloats(t, "grad w (Argnums(0))", g[0], -14.5, -34.5)
	vf := grad.ValueFunc(f, 0)
	for range 3 {
		r := vf(seedArgs()...)
		wantFloats(t, "ValueFunc grad w", r.Grads[0], -14.5, -34.5)
		wantFloats(t, "ValueFunc value", r.Value, 7.5)
	}
	// An interpreted closure with a captured variable. (yaegi's Eval of a
	// bare func literal yields a nil *interface{}, so bind it to a name.)
	eval(t, i, `var sq = func() func(*mlx.Array) *mlx.Array {
		k := mlx.Scalar(3.0)
		return func(v *mlx.Array) *mlx.Array { return mlx.Sum(mlx.Mul(k, mlx.Mul(v, v))) }
	}()`)
	sq := eval(t, i, "sq").Interface()
	wantFloats(t, "d/dv sum(3 v^2)", grad.Grad(sq, []float64{1, -2})[0], 6, -12)
}

// (b) grad.Grad and grad.ValueGrad called entirely inside interpreted code.
func TestYaegiGradInsideInterpreter(t *testing.T) {
	i := newInterp(t)
	g, ok := eval(t, i, "grad.Grad(loss, w, x, y)").Interface().([]*mlx.Array)
	if !ok || len(g) != 3 {
		t.Fatalf("grad.Grad in yaegi returned %v", g)
	}
	if s := g[0].String(); s != seedtest.Block1 {
		t.Errorf("gradient w:\n%s\nwant\n%s", s, seedtest.Block1)
	}
	g = eval(t, i, "grad.Grad(loss, w, x, y, grad.Argnums(2, 0))").Interface().([]*mlx.Array)
	if len(g) != 2 {
		t.Fatalf("%d gradients, want 2", len(g))
	}
	wantFloats(t, "grad y", g[0], 0.5, 1.5, 1, 2)
	wantFloats(t, "grad w", g[1], -14.5, -34.5)

	// The seed's second example, with an interpreted func literal.
	r, ok := eval(t, i, `grad.ValueGrad(func(w, x *mlx.Array) *mlx.Array {
		return mlx.Sum(mlx.Mul(mlx.Matmul(x, w), mlx.Matmul(x, w)))
	}, mlx.Matrix([]float64{1, -1}, 2, 1), mlx.Matrix([]float64{1, 2, 3, 4}, 2, 2))`).Interface().(grad.Result)
	if !ok {
		t.Fatalf("grad.ValueGrad in yaegi did not return a grad.Result")
	}
	if s := r.String(); s != seedtest.Block2 {
		t.Errorf("String():\n%q\nwant\n%q", s, seedtest.Block2)
	}
	// Printing inside the interpreter gives the same text.
	s := eval(t, i, `fmt.Sprint(grad.ValueGrad(func(w, x *mlx.Array) *mlx.Array {
		return mlx.Sum(mlx.Mul(mlx.Matmul(x, w), mlx.Matmul(x, w)))
	}, mlx.Matrix([]float64{1, -1}, 2, 1), mlx.Matrix([]float64{1, 2, 3, 4}, 2, 2)))`).String()
	if s != seedtest.Block2 {
		t.Errorf("fmt.Sprint in yaegi:\n%q\nwant\n%q", s, seedtest.Block2)
	}
	// Second derivative, both levels interpreted.
	eval(t, i, `func cube(x *mlx.Array) *mlx.Array { return mlx.Mul(x, mlx.Mul(x, x)) }`)
	d2 := eval(t, i, `grad.Grad(func(x *mlx.Array) *mlx.Array { return grad.Grad(cube, x)[0] }, 2.0)[0].Item()`)
	if d2.Float() != 12 {
		t.Errorf("d2/dx2 x^3 at 2 = %v, want 12", d2)
	}
}

// (c) Interpreted functions that break the rules get the clear errors.
func TestYaegiErrors(t *testing.T) {
	i := newInterp(t)
	eval(t, i, `
func notScalar(w, x, y *mlx.Array) *mlx.Array { return mlx.Sub(mlx.Matmul(x, w), y) }

func readsValue(w, x, y *mlx.Array) *mlx.Array {
	s := mlx.Sum(w).Item()
	return mlx.Mul(loss(w, x, y), s)
}

func readsSlice(w, x, y *mlx.Array) *mlx.Array {
	_ = w.Float32s()
	return loss(w, x, y)
}

func boom(w, x, y *mlx.Array) *mlx.Array { panic("boom") }
`)
	const notScalarMsg = "grad.Grad: f must return a scalar (0-d array), got shape [4 x 1]; reduce it, e.g. with mlx.Sum or mlx.Mean"
	const tracedMsg = "cannot read the values of an array traced by a gradient transform; " +
		"the function being differentiated must stay inside MLX ops"

	t.Run("from Go", func(t *testing.T) {
		for _, c := range []struct{ fn, want string }{
			{"notScalar", notScalarMsg},
			{"readsValue", "mlx.Item: " + tracedMsg},
			{"readsSlice", "mlx.Float32s: " + tracedMsg},
		} {
			f := eval(t, i, c.fn).Interface()
			e := mustError(t, func() { grad.Grad(f, seedArgs()...) })
			wantMessage(t, e, c.want)
			wantFloats(t, "interpreted loss after the error", grad.Grad(eval(t, i, "loss").Interface(), seedArgs()...)[0], -14.5, -34.5)
		}
		f := eval(t, i, "boom").Interface()
		if got := yaegiValue(panicValue(func() { grad.Grad(f, seedArgs()...) })); got != "boom" {
			t.Errorf("panic in interpreted f surfaced as %T %v, want boom", got, got)
		}
		wantFloats(t, "after the panic", grad.Grad(eval(t, i, "loss").Interface(), seedArgs()...)[0], -14.5, -34.5)
	})

	t.Run("inside the interpreter", func(t *testing.T) {
		for _, c := range []struct{ src, want string }{
			{"grad.Grad(notScalar, w, x, y)", notScalarMsg},
			{"grad.Grad(readsValue, w, x, y)", "mlx.Item: " + tracedMsg},
			{"grad.ValueFunc(readsSlice)(w, x, y)", "mlx.Float32s: " + tracedMsg},
			{"grad.Grad(loss, w, x, y, grad.Argnums(3))",
				"grad.Grad: argnum 3 is out of range for a function of 3 argument(s) (argnums are 0-based: 0 to 2)"},
			{"grad.Grad(func(v float64) *mlx.Array { return mlx.Scalar(v) }, 1.0)",
				"grad.Grad: parameter 0 of f (func(float64) *mlx.Array) is float64; every parameter must be *mlx.Array"},
			{"grad.Grad(func(v *mlx.Array) float64 { return 1 }, 1.0)",
				"grad.Grad: f (func(*mlx.Array) float64) must return one *mlx.Array (a scalar computed with MLX ops), " +
					"so the function must stay inside MLX ops"},
		} {
			got := evalPanic(t, i, c.src)
			e, ok := got.(*mlx.Error)
			if !ok {
				t.Errorf("%s: panicked with %T %v, want *mlx.Error", c.src, got, got)
				continue
			}
			wantMessage(t, e, c.want)
			g := eval(t, i, "grad.Grad(loss, w, x, y)[0]").Interface().(*mlx.Array)
			wantFloats(t, "after the error", g, -14.5, -34.5)
		}
		if got := yaegiValue(evalPanic(t, i, "grad.Grad(boom, w, x, y)")); got != "boom" {
			t.Errorf("panic in interpreted f surfaced as %T %v, want boom", got, got)
		}
		// mlx.Catch inside the interpreter turns the failure into an error.
		eval(t, i, `func catchNotScalar() string {
			err := mlx.Catch(func() { grad.Grad(notScalar, w, x, y) })
			if err == nil {
				return "no error"
			}
			return err.Error()
		}`)
		msg := eval(t, i, "catchNotScalar()").String()
		if msg != notScalarMsg {
			t.Errorf("mlx.Catch in yaegi: %q", msg)
		}
	})
}

// (d) A grad.ValueFunc built once drives an interpreted gradient-descent loop.
func TestYaegiTrainingLoop(t *testing.T) {
	i := newInterp(t)
	eval(t, i, `
var step = grad.ValueFunc(loss, 0)

func train(w *mlx.Array, n int, lr float64) ([]float64, *mlx.Array) {
	var losses []float64
	for k := 0; k < n; k++ {
		r := step(w, x, y)
		losses = append(losses, r.Value.Item())
		w = mlx.Sub(w, mlx.Mul(r.Grads[0], lr))
	}
	return losses, w
}
`)
	eval(t, i, "losses, trained := train(w, 20, 0.01)")
	losses := eval(t, i, "losses").Interface().([]float64)
	wFinal := eval(t, i, "trained").Interface().(*mlx.Array)
	if len(losses) != 20 {
		t.Fatalf("%d losses, want 20", len(losses))
	}
	if losses[0] != 7.5 {
		t.Errorf("first loss %v, want 7.5", losses[0])
	}
	for k := 1; k < len(losses); k++ {
		if !(losses[k] < losses[k-1]) {
			t.Errorf("loss did not decrease at step %d: %v", k, losses)
			break
		}
	}
	last := losses[len(losses)-1]
	if !(last < losses[0]/2) {
		t.Errorf("loss went from %v to %v in 20 steps", losses[0], last)
	}
	// The trained weights, back in Go, give a loss below the last one seen
	// (it was taken one step earlier).
	x, y := seedArgs()[1].(*mlx.Array), seedArgs()[2].(*mlx.Array)
	if got := seedLoss(wFinal, x, y).Item(); !(got < last) {
		t.Errorf("loss at the trained weights %v, want below %v", got, last)
	}
	if !strings.Contains(wFinal.String(), "mlx array [2 x 1]") {
		t.Errorf("trained weights: %s", wFinal)
	}
}

// yaegiValue unwraps a panic value raised by interpreted code: yaegi's panic
// builtin panics with the reflect.Value it holds, and grad passes that value
// through unchanged.
func yaegiValue(v any) any {
	if rv, ok := v.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
		return rv.Interface()
	}
	return v
}

// Package grad differentiates Go functions of MLX arrays: the Go form of
// R's mlx_grad and MLX's grad / value_and_grad.
//
// A differentiable function takes *mlx.Array parameters and returns one 0-d
// *mlx.Array (typically a scalar loss), and must compute with MLX ops only:
// reading values inside it (Item, Float32s, ...) breaks the gradient tape and
// is an error.
//
//	loss := func(w, x, y *mlx.Array) *mlx.Array {
//		r := mlx.Matmul(x, w).Sub(y)
//		return mlx.Div(mlx.Sum(r.Mul(r)), y.Size())
//	}
//	g := grad.Grad(loss, w, x, y) // gradients w.r.t. w, x and y
package grad

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/mlxgo/mlxgo/mlx"
)

var arrayType = reflect.TypeFor[*mlx.Array]()
var arraySliceType = reflect.TypeFor[[]*mlx.Array]()

// ArgnumsOption chooses which arguments to differentiate; make one with Argnums.
type ArgnumsOption struct{ idx []int }

// Argnums, passed among the arguments of Grad or ValueGrad, chooses the
// arguments to differentiate with respect to (0-based, in the order given).
// Without it, every argument is differentiated.
func Argnums(i ...int) ArgnumsOption { return ArgnumsOption{idx: append([]int(nil), i...)} }

// Result is what ValueGrad returns: the function's value and the gradients.
type Result struct {
	Value *mlx.Array   // f's value at the arguments
	Grads []*mlx.Array // one gradient per differentiated argument, in argnums order
}

// String prints the result as R prints the list from mlx_value_grad:
// $value, then $grads with $grads[[1]], $grads[[2]], ...
func (r Result) String() string {
	var b strings.Builder
	b.WriteString("$value\n")
	b.WriteString(r.Value.String())
	b.WriteString("\n\n$grads\n")
	b.WriteString(mlx.FormatList("$grads", r.Grads))
	b.WriteString("\n")
	return b.String()
}

func fail(op, format string, args ...any) {
	panic(&mlx.Error{Op: op, Msg: fmt.Sprintf(format, args...)})
}

// fn is a checked differentiable function.
type fn struct {
	op    string
	v     reflect.Value
	nargs int
}

// check validates f: a func whose parameters are *mlx.Array and whose single
// result is an *mlx.Array.
func check(op string, f any) fn {
	if f == nil {
		fail(op, "f is nil; want a func of *mlx.Array arguments returning one *mlx.Array")
	}
	v := reflect.ValueOf(f)
	t := v.Type()
	if t.Kind() != reflect.Func {
		fail(op, "f has type %s, not a function; want a func of *mlx.Array arguments returning one *mlx.Array", t)
	}
	if v.IsNil() {
		fail(op, "f is a nil %s; want a func of *mlx.Array arguments returning one *mlx.Array", t)
	}
	if t.IsVariadic() {
		fail(op, "f (%s) is variadic; give it one *mlx.Array parameter per argument", t)
	}
	for i := 0; i < t.NumIn(); i++ {
		if t.In(i) != arrayType {
			fail(op, "parameter %d of f (%s) is %s; every parameter must be *mlx.Array", i, t, t.In(i))
		}
	}
	if t.NumOut() != 1 || t.Out(0) != arrayType {
		fail(op, "f (%s) must return one *mlx.Array (a scalar computed with MLX ops), "+
			"so the function must stay inside MLX ops", t)
	}
	return fn{op: op, v: v, nargs: t.NumIn()}
}

// scalarFunc wraps f as an mlx.ArrayFunc whose result must be 0-d.
func (f fn) scalarFunc() mlx.ArrayFunc {
	return func(args []*mlx.Array) []*mlx.Array {
		in := make([]reflect.Value, len(args))
		for i, a := range args {
			in[i] = reflect.ValueOf(a)
		}
		out := f.v.Call(in)[0].Interface().(*mlx.Array)
		if out == nil {
			fail(f.op, "f returned a nil *mlx.Array; it must return a scalar computed with MLX ops")
		}
		if nd := out.Ndim(); nd != 0 {
			fail(f.op, "f must return a scalar (0-d array), got shape %s; reduce it, e.g. with mlx.Sum or mlx.Mean",
				mlx.FormatShape(out.Shape()))
		}
		return []*mlx.Array{out}
	}
}

// argnums validates the chosen argument indices (all when none are chosen).
func (f fn) argnums(opt *ArgnumsOption) []int {
	if opt == nil {
		if f.nargs == 0 {
			fail(f.op, "f takes no arguments; there is nothing to differentiate")
		}
		all := make([]int, f.nargs)
		for i := range all {
			all[i] = i
		}
		return all
	}
	if len(opt.idx) == 0 {
		fail(f.op, "Argnums() needs at least one argument index")
	}
	for i, a := range opt.idx {
		if a < 0 || a >= f.nargs {
			fail(f.op, "argnum %d is out of range for a function of %d argument(s) (argnums are 0-based: 0 to %d)",
				a, f.nargs, f.nargs-1)
		}
		if slices.Contains(opt.idx[:i], a) {
			fail(f.op, "argnum %d is given twice", a)
		}
	}
	return opt.idx
}

// split separates Argnums options from the function's arguments.
func split(op string, args []any) ([]any, *ArgnumsOption) {
	var opt *ArgnumsOption
	rest := make([]any, 0, len(args))
	for _, a := range args {
		switch o := a.(type) {
		case ArgnumsOption:
			if opt != nil {
				fail(op, "Argnums given twice")
			}
			opt = &o
		case *ArgnumsOption:
			if opt != nil {
				fail(op, "Argnums given twice")
			}
			opt = o
		default:
			rest = append(rest, a)
		}
	}
	return rest, opt
}

// coerce converts the arguments with mlx.AsArray, checking their number.
func (f fn) coerce(args []any) []*mlx.Array {
	if len(args) != f.nargs {
		fail(f.op, "f takes %d argument(s), got %d", f.nargs, len(args))
	}
	out := make([]*mlx.Array, len(args))
	for i, a := range args {
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					if e, ok := r.(*mlx.Error); ok {
						err = e
						return
					}
					panic(r)
				}
			}()
			out[i] = mlx.AsArray(a)
		}()
		if err != nil {
			fail(f.op, "argument %d: %v", i, err)
		}
	}
	return out
}

// Grad returns the gradients of f at args with respect to every argument, in
// argument order, or with respect to the arguments chosen by an Argnums
// option passed among args. Arguments are converted with mlx.AsArray.
func Grad(f any, args ...any) []*mlx.Array {
	return valueGrad("grad.Grad", f, args).Grads
}

// ValueGrad returns f's value at args and its gradients (see Grad).
func ValueGrad(f any, args ...any) Result {
	return valueGrad("grad.ValueGrad", f, args)
}

// valueGrad is Grad and ValueGrad; op names the caller in error messages.
func valueGrad(op string, f any, args []any) Result {
	c := check(op, f)
	rest, opt := split(op, args)
	arrays := c.coerce(rest)
	vag := mlx.ValueAndGrad(op, c.scalarFunc(), c.argnums(opt))
	vals, grads := vag.Call(arrays)
	return Result{Value: vals[0], Grads: grads}
}

// Func returns a reusable gradient function of f with respect to the
// arguments at argnums (0-based; all of them when none are given). The MLX
// transform is built once, so calling the result in a training loop costs
// only the evaluation.
func Func(f any, argnums ...int) func(args ...any) []*mlx.Array {
	vf := valueFunc("grad.Func", f, argnums)
	return func(args ...any) []*mlx.Array { return vf(args...).Grads }
}

// ValueFunc is Func returning the value with the gradients, as a Result.
func ValueFunc(f any, argnums ...int) func(args ...any) Result {
	return valueFunc("grad.ValueFunc", f, argnums)
}

func valueFunc(op string, f any, argnums []int) func(args ...any) Result {
	c := check(op, f)
	var opt *ArgnumsOption
	if len(argnums) > 0 {
		opt = &ArgnumsOption{idx: argnums}
	}
	idx := c.argnums(opt)
	vag := mlx.ValueAndGrad(op, c.scalarFunc(), idx)
	return func(args ...any) Result {
		vals, grads := vag.Call(c.coerce(args))
		return Result{Value: vals[0], Grads: grads}
	}
}

// multi checks a function for VJP/JVP: *mlx.Array parameters and one
// *mlx.Array or []*mlx.Array result.
func multi(op string, f any) mlx.ArrayFunc {
	if f == nil {
		fail(op, "f is nil")
	}
	v := reflect.ValueOf(f)
	t := v.Type()
	if t.Kind() != reflect.Func || t.IsVariadic() {
		fail(op, "f must be a non-variadic func of *mlx.Array arguments, got %s", t)
	}
	if v.IsNil() {
		fail(op, "f is a nil %s", t)
	}
	for i := 0; i < t.NumIn(); i++ {
		if t.In(i) != arrayType {
			fail(op, "parameter %d of f (%s) is %s; every parameter must be *mlx.Array", i, t, t.In(i))
		}
	}
	if t.NumOut() != 1 || (t.Out(0) != arrayType && t.Out(0) != arraySliceType) {
		fail(op, "f (%s) must return *mlx.Array or []*mlx.Array computed with MLX ops", t)
	}
	return func(args []*mlx.Array) []*mlx.Array {
		if len(args) != t.NumIn() {
			fail(op, "f takes %d argument(s), got %d primals", t.NumIn(), len(args))
		}
		in := make([]reflect.Value, len(args))
		for i, a := range args {
			in[i] = reflect.ValueOf(a)
		}
		out := v.Call(in)[0].Interface()
		outs, ok := out.([]*mlx.Array)
		if !ok {
			outs = []*mlx.Array{out.(*mlx.Array)}
		}
		for i, o := range outs {
			if o == nil {
				fail(op, "output %d of f is a nil *mlx.Array; f must return arrays computed with MLX ops", i)
			}
		}
		return outs
	}
}

// VJP returns f's outputs at primals and the vector-Jacobian products: for
// each primal, the gradient of sum(cotangent_i * output_i). Give one
// cotangent per output of f.
func VJP(f any, primals, cotangents []*mlx.Array) (outputs, vjps []*mlx.Array) {
	return mlx.VJP("grad.VJP", multi("grad.VJP", f), primals, cotangents)
}

// JVP returns f's outputs at primals and the Jacobian-vector products with
// the tangents (one tangent per primal, one product per output).
func JVP(f any, primals, tangents []*mlx.Array) (outputs, jvps []*mlx.Array) {
	return mlx.JVP("grad.JVP", multi("grad.JVP", f), primals, tangents)
}

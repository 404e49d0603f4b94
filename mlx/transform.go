package mlx

// #include "bridge.h"
import "C"

import (
	"runtime"
	"runtime/cgo"
	"slices"
	"strconv"
	"unsafe"
)

// ArrayFunc is a function of arrays as MLX's transforms see it. Package grad
// builds these from ordinary Go funcs; most users never need this type.
type ArrayFunc func(args []*Array) []*Array

//export mlxgoCall
func mlxgoCall(fn C.uintptr_t, in *C.mlxg_arr, n C.int, out C.mlxg_vec) (cerr *C.char) {
	defer func() {
		if r := recover(); r != nil {
			cerr = C.CString(state.stashPanic(r))
		}
	}()
	f := cgo.Handle(fn).Value().(ArrayFunc)
	ins := unsafe.Slice(in, int(n))
	args := make([]*Array, len(ins))
	for i, h := range ins {
		args[i] = newArray(C.mlxg_copy_handle(h))
	}
	res := f(args)
	for i, r := range res {
		C.mlxg_vec_push(out, r.handle("transform: output "+strconv.Itoa(i)))
	}
	runtime.KeepAlive(res)
	return nil
}

func handles(name string, xs []*Array) []C.mlxg_arr {
	hs := make([]C.mlxg_arr, len(xs)+1) // +1 so &hs[0] is valid for empty input
	for i, a := range xs {
		hs[i] = a.handle(name)
	}
	return hs
}

// ValueAndGradFunc is a built value-and-gradient transform: it returns f's
// outputs and the gradients of the first output with respect to the chosen
// arguments.
type ValueAndGradFunc struct {
	vag   C.mlxg_vag
	fn    cgo.Handle
	name  string
	ngrad int
	order []int // order[i]: where MLX puts the gradient for argnums[i]
}

// ValueAndGrad builds MLX's value_and_grad of f with respect to the arguments
// at argnums (0-based); Call returns the gradients in argnums order. The
// transform is built once and can be called many times. f's first output
// must be a scalar.
func ValueAndGrad(name string, f ArrayFunc, argnums []int) *ValueAndGradFunc {
	// MLX returns the gradients in ascending argument order whatever the
	// order of argnums, so ask in that order and permute the results.
	sorted := slices.Sorted(slices.Values(argnums))
	order := make([]int, len(argnums))
	for i, a := range argnums {
		order[i] = slices.Index(sorted, a)
	}
	h := cgo.NewHandle(f)
	an := cints(sorted)
	var vag C.mlxg_vag
	if err := C.mlxg_vag_new(C.uintptr_t(h), intsPtr(an), C.int(len(an)), &vag); err != nil {
		h.Delete()
		panic(errorFrom(name, err))
	}
	v := &ValueAndGradFunc{vag: vag, fn: h, name: name, ngrad: len(argnums), order: order}
	runtime.AddCleanup(v, func(p struct {
		vag C.mlxg_vag
		fn  cgo.Handle
	}) {
		C.mlxg_vag_free(p.vag)
		p.fn.Delete()
	}, struct {
		vag C.mlxg_vag
		fn  cgo.Handle
	}{vag, h})
	return v
}

// Call evaluates the transform at args, returning f's outputs and the gradients.
func (v *ValueAndGradFunc) Call(args []*Array) (values, grads []*Array) {
	hs := handles(v.name, args)
	var out C.mlxg_vec
	if err := C.mlxg_vag_call(v.vag, &hs[0], C.int(len(args)), &out); err != nil {
		panic(errorFrom(v.name, err))
	}
	runtime.KeepAlive(args)
	runtime.KeepAlive(v)
	all := takeVec(out)
	k := len(all) - v.ngrad
	grads = make([]*Array, v.ngrad)
	for i, j := range v.order {
		grads[i] = all[k+j]
	}
	return all[:k], grads
}

// VJP returns f's outputs at primals and the vector-Jacobian products of the
// cotangents (one per output) with respect to each primal.
func VJP(name string, f ArrayFunc, primals, cotangents []*Array) (outputs, vjps []*Array) {
	h := cgo.NewHandle(f)
	defer h.Delete()
	ps, cs := handles(name, primals), handles(name, cotangents)
	var o, g C.mlxg_vec
	if err := C.mlxg_vjp(C.uintptr_t(h), &ps[0], C.int(len(primals)), &cs[0], C.int(len(cotangents)), &o, &g); err != nil {
		panic(errorFrom(name, err))
	}
	runtime.KeepAlive(primals)
	runtime.KeepAlive(cotangents)
	return takeVec(o), takeVec(g)
}

// JVP returns f's outputs at primals and the Jacobian-vector products of f
// with the tangents (one per primal).
func JVP(name string, f ArrayFunc, primals, tangents []*Array) (outputs, jvps []*Array) {
	h := cgo.NewHandle(f)
	defer h.Delete()
	ps, ts := handles(name, primals), handles(name, tangents)
	var o, g C.mlxg_vec
	if err := C.mlxg_jvp(C.uintptr_t(h), &ps[0], C.int(len(primals)), &ts[0], C.int(len(tangents)), &o, &g); err != nil {
		panic(errorFrom(name, err))
	}
	runtime.KeepAlive(primals)
	runtime.KeepAlive(tangents)
	return takeVec(o), takeVec(g)
}

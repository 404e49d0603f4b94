package mlx

// #include "bridge.h"
import "C"

import "runtime"

// Reshape returns x with a new shape holding the same number of elements; one
// dimension may be -1 to be inferred.
func Reshape(x any, shape ...int) *Array {
	a := asArray("Reshape", x)
	s := cints(shape)
	var out C.mlxg_arr
	err := C.mlxg_reshape(a.h, intsPtr(s), C.int(len(s)), &out)
	if err != nil {
		e := errorFrom("Reshape", err)
		e.Msg = "cannot reshape " + FormatShape(a.Shape()) + " to " + FormatShape(shape)
		panic(e)
	}
	return one("Reshape", out, nil, a)
}

// Reshape is the method form of the package function [Reshape].
func (a *Array) Reshape(shape ...int) *Array { return Reshape(a, shape...) }

// Transpose permutes the axes of x; with no axes it reverses them.
func Transpose(x any, axes ...int) *Array {
	a := asArray("Transpose", x)
	s := cints(axes)
	n := len(axes)
	if n == 0 {
		n = -1
	}
	var out C.mlxg_arr
	err := C.mlxg_transpose(a.h, intsPtr(s), C.int(n), &out)
	return one("Transpose", out, err, a)
}

// Transpose is the method form of the package function [Transpose].
func (a *Array) Transpose(axes ...int) *Array { return Transpose(a, axes...) }

// Squeeze removes the given axes of size 1 (all of them when none are given).
func Squeeze(x any, axes ...int) *Array {
	a := asArray("Squeeze", x)
	s := cints(axes)
	n := len(axes)
	if n == 0 {
		n = -1
	}
	var out C.mlxg_arr
	err := C.mlxg_squeeze(a.h, intsPtr(s), C.int(n), &out)
	return one("Squeeze", out, err, a)
}

// Squeeze is the method form of the package function [Squeeze].
func (a *Array) Squeeze(axes ...int) *Array { return Squeeze(a, axes...) }

// ExpandDims inserts axes of size 1 at the given positions.
func ExpandDims(x any, axes ...int) *Array {
	a := asArray("ExpandDims", x)
	if len(axes) == 0 {
		panic(errorf("ExpandDims", "needs at least one axis"))
	}
	s := cints(axes)
	var out C.mlxg_arr
	err := C.mlxg_expand_dims(a.h, intsPtr(s), C.int(len(s)), &out)
	return one("ExpandDims", out, err, a)
}

// ExpandDims is the method form of the package function [ExpandDims].
func (a *Array) ExpandDims(axes ...int) *Array { return ExpandDims(a, axes...) }

// BroadcastTo returns x broadcast to shape (NumPy rules).
func BroadcastTo(x any, shape ...int) *Array {
	a := asArray("BroadcastTo", x)
	s := cints(shape)
	var out C.mlxg_arr
	if err := C.mlxg_broadcast_to(a.h, intsPtr(s), C.int(len(s)), &out); err != nil {
		takeErr(err)
		panic(errorf("BroadcastTo", "cannot broadcast %s to %s", FormatShape(a.Shape()), FormatShape(shape)))
	}
	return one("BroadcastTo", out, nil, a)
}

func joinArrays(name string, xs []*Array, axis []int, stack bool) *Array {
	if len(xs) == 0 {
		panic(errorf(name, "needs at least one array"))
	}
	ax := 0
	if len(axis) > 1 {
		panic(errorf(name, "takes at most one axis, got %d", len(axis)))
	} else if len(axis) == 1 {
		ax = axis[0]
	}
	hs := make([]C.mlxg_arr, len(xs))
	for i, a := range xs {
		hs[i] = a.handle(name)
	}
	var out C.mlxg_arr
	err := C.mlxg_concatenate(&hs[0], C.int(len(hs)), C.int(ax), cbool(stack), &out)
	return one(name, out, err, xs...)
}

// Concatenate joins arrays along an existing axis (0 when none is given).
func Concatenate(xs []*Array, axis ...int) *Array { return joinArrays("Concatenate", xs, axis, false) }

// Stack joins arrays of the same shape along a new axis (0 when none is given).
func Stack(xs []*Array, axis ...int) *Array { return joinArrays("Stack", xs, axis, true) }

func split(name string, x any, sections int, indices []int, axis []int) []*Array {
	a := asArray(name, x)
	ax := 0
	if len(axis) > 0 {
		ax = axis[0]
	}
	idx := cints(indices)
	n := len(indices)
	if indices == nil {
		n = -1
	}
	var out C.mlxg_vec
	if err := C.mlxg_split(a.h, C.int(sections), intsPtr(idx), C.int(n), C.int(ax), &out); err != nil {
		panic(errorFrom(name, err, a))
	}
	runtime.KeepAlive(a)
	return takeVec(out)
}

// Split divides x into n equal parts along axis (0 when none is given).
func Split(x any, n int, axis ...int) []*Array { return split("Split", x, n, nil, axis) }

// SplitAt divides x before each of the given indices along axis (0 when none is given).
func SplitAt(x any, indices []int, axis ...int) []*Array {
	if indices == nil {
		indices = []int{}
	}
	return split("SplitAt", x, 0, indices, axis)
}

// Tile repeats x reps[i] times along axis i, as NumPy's tile.
func Tile(x any, reps ...int) *Array {
	a := asArray("Tile", x)
	s := cints(reps)
	var out C.mlxg_arr
	err := C.mlxg_tile(a.h, intsPtr(s), C.int(len(s)), &out)
	return one("Tile", out, err, a)
}

// Repeat repeats each element of x n times along axis (of the flattened x
// when no axis is given).
func Repeat(x any, n int, axis ...int) *Array {
	a := asArray("Repeat", x)
	ax, has, _ := optAxis("Repeat", axis)
	var out C.mlxg_arr
	err := C.mlxg_repeat(a.h, C.int(n), C.int(ax), cbool(has), &out)
	return one("Repeat", out, err, a)
}

// Pad adds zeros around x. One [2]int{before, after} pads every axis by the
// same widths; otherwise give one pair per axis.
func Pad(x any, widths ...[2]int) *Array { return PadWith(x, 0, widths...) }

// PadWith is Pad with a constant fill value.
func PadWith(x any, value any, widths ...[2]int) *Array {
	a := asArray("Pad", x)
	nd := a.Ndim()
	if len(widths) == 1 && nd > 1 {
		w := widths[0]
		widths = make([][2]int, nd)
		for i := range widths {
			widths[i] = w
		}
	}
	if len(widths) != nd {
		panic(errorf("Pad", "got %d width pairs for an array of shape %s; give 1 or %d", len(widths), FormatShape(a.Shape()), nd))
	}
	flat := make([]C.int, 0, 2*nd)
	for _, w := range widths {
		flat = append(flat, C.int(w[0]), C.int(w[1]))
	}
	_, v := operands2("Pad", a, value)
	var out C.mlxg_arr
	err := C.mlxg_pad(a.h, intsPtr(flat), C.int(nd), v.h, &out)
	runtime.KeepAlive(v)
	return one("Pad", out, err, a)
}

func sortOp(name string, arg bool, x any, axis []int) *Array {
	a := asArray(name, x)
	ax, has, _ := optAxis(name, axis)
	if !has {
		ax, has = -1, true
	}
	var out C.mlxg_arr
	err := C.mlxg_sort(cbool(arg), a.h, C.int(ax), cbool(has), &out)
	return one(name, out, err, a)
}

// Sort returns x sorted ascending along axis (the last axis when none is given).
func Sort(x any, axis ...int) *Array { return sortOp("Sort", false, x, axis) }

// ArgSort returns the indices that sort x along axis (the last axis when none is given).
func ArgSort(x any, axis ...int) *Array { return sortOp("ArgSort", true, x, axis) }

// TopK returns the k largest elements of x along axis (the last axis when
// none is given), in no particular order.
func TopK(x any, k int, axis ...int) *Array {
	a := asArray("TopK", x)
	ax, has, _ := optAxis("TopK", axis)
	if !has {
		ax, has = -1, true
	}
	var out C.mlxg_arr
	err := C.mlxg_topk(a.h, C.int(k), C.int(ax), cbool(has), &out)
	return one("TopK", out, err, a)
}

// Take gathers elements of x at indices along axis (of the flattened x when
// no axis is given). indices may be an *Array or Go integers.
func Take(x, indices any, axis ...int) *Array {
	a := asArray("Take", x)
	idx := asArray("Take", indices)
	ax, has, _ := optAxis("Take", axis)
	var out C.mlxg_arr
	err := C.mlxg_take(a.h, idx.h, C.int(ax), cbool(has), &out)
	return one("Take", out, err, a, idx)
}

// Take is the method form of the package function [Take].
func (a *Array) Take(indices any, axis ...int) *Array { return Take(a, indices, axis...) }

// Slice returns x[start[0]:stop[0]:step[0], ...]. Negative indices count from
// the end; axes not covered by start keep their full range. steps defaults to 1s.
func Slice(x any, start, stop []int, steps ...int) *Array {
	a := asArray("Slice", x)
	shape := a.Shape()
	if len(start) != len(stop) || len(start) > len(shape) || (len(steps) > 0 && len(steps) != len(start)) {
		panic(errorf("Slice", "start %v, stop %v and steps %v do not fit an array of shape %s", start, stop, steps, FormatShape(shape)))
	}
	n := len(shape)
	cs, ce, st := make([]C.int, n), make([]C.int, n), make([]C.int, n)
	for i := range n {
		cs[i], ce[i], st[i] = 0, C.int(shape[i]), 1
		if i < len(start) {
			cs[i], ce[i] = C.int(start[i]), C.int(stop[i])
			if len(steps) > 0 {
				if steps[i] == 0 {
					panic(errorf("Slice", "step 0 on axis %d", i))
				}
				st[i] = C.int(steps[i])
			}
		}
	}
	var out C.mlxg_arr
	err := C.mlxg_slice(a.h, intsPtr(cs), intsPtr(ce), intsPtr(st), C.int(n), &out)
	return one("Slice", out, err, a)
}

// Tensordot contracts the last axes axes of x with the first axes axes of y.
func Tensordot(x, y any, axes int) *Array {
	a, b := operands2("Tensordot", x, y)
	var out C.mlxg_arr
	if err := C.mlxg_tensordot(a.h, b.h, C.int(axes), &out); err != nil {
		takeErr(err)
		panic(errorf("Tensordot", "cannot contract the last %d axes of %s with the first %d axes of %s",
			axes, FormatShape(a.Shape()), axes, FormatShape(b.Shape())))
	}
	return one("Tensordot", out, nil, a, b)
}

// RoundTo rounds x to the given number of decimals.
func RoundTo(x any, decimals int) *Array {
	a := asArray("RoundTo", x)
	var out C.mlxg_arr
	err := C.mlxg_round(a.h, C.int(decimals), &out)
	return one("RoundTo", out, err, a)
}

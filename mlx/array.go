package mlx

// #include "bridge.h"
import "C"

import (
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"github.com/mlxgo/mlxgo/internal/rformat"
)

// Array is an n-dimensional MLX array. Arrays are immutable and lazy: ops
// record a graph and values are computed when read (Item, Float32s, String)
// or when Eval is called. The C++ memory behind an Array is freed when the
// Array becomes unreachable.
type Array struct {
	h   C.mlxg_arr
	dev Device
}

// newArray takes ownership of h.
func newArray(h C.mlxg_arr) *Array {
	a := &Array{h: h, dev: state.currentDevice()}
	runtime.AddCleanup(a, func(h C.mlxg_arr) { C.mlxg_free(h) }, h)
	state.noteCreated()
	return a
}

// handle returns a's C handle, panicking with a clear error for a nil Array.
func (a *Array) handle(op string) C.mlxg_arr {
	if a == nil || a.h == nil {
		panic(errorf(op, "nil *mlx.Array"))
	}
	return a.h
}

// Ndim returns the number of dimensions (0 for a scalar).
func (a *Array) Ndim() int {
	n := int(C.mlxg_ndim(a.handle("Ndim")))
	runtime.KeepAlive(a)
	return n
}

// Shape returns the size of each dimension.
func (a *Array) Shape() []int {
	h := a.handle("Shape")
	n := int(C.mlxg_ndim(h))
	if n == 0 {
		return []int{}
	}
	buf := make([]C.int, n)
	C.mlxg_shape(h, &buf[0])
	runtime.KeepAlive(a)
	out := make([]int, n)
	for i, d := range buf {
		out[i] = int(d)
	}
	return out
}

// Size returns the number of elements.
func (a *Array) Size() int { return a.sizeFor("Size") }

// sizeFor is Size for op, which a nil Array's error names.
func (a *Array) sizeFor(op string) int {
	n := int(C.mlxg_size(a.handle(op)))
	runtime.KeepAlive(a)
	return n
}

// Dtype returns the element type.
func (a *Array) Dtype() Dtype {
	d := Dtype(C.mlxg_dtype(a.handle("Dtype")))
	runtime.KeepAlive(a)
	return d
}

// Device returns the device the array was created for.
func (a *Array) Device() Device { return a.dev }

// AsType returns a converted to dtype d.
func (a *Array) AsType(d Dtype) *Array { return AsType(a, d) }

// Eval computes the array's value now. Eval returns a, so it chains.
func (a *Array) Eval() *Array {
	Eval(a)
	return a
}

// Eval computes the values of all the given arrays in one graph evaluation.
func Eval(arrays ...*Array) {
	if len(arrays) == 0 {
		return
	}
	hs := make([]C.mlxg_arr, len(arrays))
	for i, a := range arrays {
		hs[i] = a.handle("Eval")
	}
	if err := C.mlxg_eval(&hs[0], C.int(len(hs))); err != nil {
		panic(errorFrom("Eval", err))
	}
	runtime.KeepAlive(arrays)
	state.checkMemory()
}

// IsTraced reports whether a is being traced by a function transform (inside
// the function passed to grad.Grad and friends), where its values cannot be read.
func (a *Array) IsTraced() bool {
	t := C.mlxg_is_tracer(a.handle("IsTraced")) != 0
	runtime.KeepAlive(a)
	return t
}

// read evaluates a and copies its elements, converted to dt, into p.
func (a *Array) read(op string, dt Dtype, p unsafe.Pointer) {
	h := a.handle(op)
	if C.mlxg_is_tracer(h) != 0 {
		panic(errorf(op, "cannot read the values of an array traced by a gradient transform; "+
			"the function being differentiated must stay inside MLX ops"))
	}
	if err := C.mlxg_read(h, C.int(dt), p); err != nil {
		panic(errorFrom(op, err, a))
	}
	runtime.KeepAlive(a)
	state.checkMemory()
}

// Item returns the value of a one-element array as a float64 (a complex value
// gives its real part). It panics for arrays with more than one element.
func (a *Array) Item() float64 {
	if n := a.sizeFor("Item"); n != 1 {
		panic(errorf("Item", "array of shape %s has %d elements, want exactly 1", FormatShape(a.Shape()), n))
	}
	var v float64
	if a.Dtype() == Complex64 {
		var c complex64
		a.read("Item", Complex64, unsafe.Pointer(&c))
		return float64(real(c))
	}
	a.read("Item", Float64, unsafe.Pointer(&v))
	return v
}

// Float32s returns the elements in row-major order, converted to float32.
func (a *Array) Float32s() []float32 {
	out := make([]float32, a.sizeFor("Float32s"))
	if len(out) > 0 {
		a.read("Float32s", Float32, unsafe.Pointer(&out[0]))
	}
	return out
}

// Float64s returns the elements in row-major order, converted to float64.
func (a *Array) Float64s() []float64 {
	out := make([]float64, a.sizeFor("Float64s"))
	if len(out) > 0 {
		a.read("Float64s", Float64, unsafe.Pointer(&out[0]))
	}
	return out
}

// Int32s returns the elements in row-major order, converted to int32
// (floats are truncated toward zero).
func (a *Array) Int32s() []int32 {
	out := make([]int32, a.sizeFor("Int32s"))
	if len(out) > 0 {
		a.read("Int32s", Int32, unsafe.Pointer(&out[0]))
	}
	return out
}

// Int64s returns the elements in row-major order, converted to int64.
func (a *Array) Int64s() []int64 {
	out := make([]int64, a.sizeFor("Int64s"))
	if len(out) > 0 {
		a.read("Int64s", Int64, unsafe.Pointer(&out[0]))
	}
	return out
}

// Bools returns the elements in row-major order as booleans (non-zero is true).
func (a *Array) Bools() []bool {
	out := make([]bool, a.sizeFor("Bools"))
	if len(out) > 0 {
		a.read("Bools", Bool, unsafe.Pointer(&out[0]))
	}
	return out
}

// Complex64s returns the elements in row-major order, converted to complex64.
func (a *Array) Complex64s() []complex64 {
	out := make([]complex64, a.sizeFor("Complex64s"))
	if len(out) > 0 {
		a.read("Complex64s", Complex64, unsafe.Pointer(&out[0]))
	}
	return out
}

// maxShown is Rmlx's limit: values are printed only for arrays of at most
// this many elements and at most two dimensions.
const maxShown = 100

// String returns the array the way R's Rmlx prints it: a header with the
// shape, dtype and device, then the values as base R prints a vector or
// matrix, or "(N elements, not shown)" for large or high-rank arrays (which
// are then not evaluated). The text has no trailing newline.
func (a *Array) String() string {
	if a == nil || a.h == nil {
		return "<nil mlx array>"
	}
	if a.IsTraced() {
		return "mlx array " + FormatShape(a.Shape()) + " (traced by a gradient transform; values not available)"
	}
	shape := a.Shape()
	var b strings.Builder
	b.WriteString(a.Header())
	size := a.Size()
	if size > maxShown || len(shape) > 2 {
		b.WriteString("  (" + strconv.Itoa(size) + " elements, not shown)")
		return b.String()
	}
	b.WriteString("  values:\n")
	b.WriteString(strings.TrimSuffix(a.formatValues(shape), "\n"))
	return b.String()
}

// Header returns the first lines of String: "mlx array [..]", the dtype and
// the device, each ending in a newline.
func (a *Array) Header() string {
	return "mlx array " + FormatShape(a.Shape()) + "\n  dtype: " + a.Dtype().String() +
		"\n  device: " + a.Device().String() + "\n"
}

// Summary returns Rmlx's one-line form, e.g. "mlx [2 x 2] float32 on cpu".
func (a *Array) Summary() string {
	return "mlx " + FormatShape(a.Shape()) + " " + a.Dtype().String() + " on " + a.Device().String()
}

// formatValues prints the values with base R's rules for the R type the
// dtype maps to.
func (a *Array) formatValues(shape []int) string {
	dims := shape
	if len(dims) == 0 {
		dims = nil
	}
	switch dt := a.Dtype(); {
	case dt == Bool:
		return rformat.Logicals(a.Bools(), dims)
	case dt == Int32:
		return rformat.Integers(a.Int32s(), dims)
	case dt == Complex64:
		c := a.Complex64s()
		out := make([]complex128, len(c))
		for i, v := range c {
			out[i] = complex128(v)
		}
		return rformat.Complexes(out, dims)
	default:
		return rformat.Doubles(a.Float64s(), dims)
	}
}

// FormatList prints arrays as the elements of an R list: each is introduced
// by its tag, prefix followed by [[i]] (1-based), and followed by one blank
// line, as R's print() shows a list.
func FormatList(prefix string, arrays []*Array) string {
	var b strings.Builder
	for i, a := range arrays {
		b.WriteString(prefix + "[[" + strconv.Itoa(i+1) + "]]\n")
		b.WriteString(a.String())
		b.WriteString("\n\n")
	}
	return b.String()
}

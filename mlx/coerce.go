package mlx

// #include "bridge.h"
import "C"

import (
	"reflect"
	"runtime"
	"unsafe"
)

// Host data kinds, as the bridge understands them.
const (
	kindFloat   = 0
	kindInt     = 1
	kindBool    = 2
	kindComplex = 3
)

// host is Go data flattened row-major, before it becomes an array.
type host struct {
	kind  int
	f     []float64 // kindFloat, and kindComplex as (re, im) pairs
	i     []int64
	b     []uint8
	shape []int
}

// defaultDtype is the dtype AsArray gives each kind of Go data.
func (h *host) defaultDtype() Dtype {
	switch h.kind {
	case kindInt:
		return Int32
	case kindBool:
		return Bool
	case kindComplex:
		return Complex64
	}
	return Float32
}

func (h *host) len() int {
	switch h.kind {
	case kindInt:
		return len(h.i)
	case kindBool:
		return len(h.b)
	case kindComplex:
		return len(h.f) / 2
	}
	return len(h.f)
}

// toArray creates the array in dtype dt.
func (h *host) toArray(op string, dt Dtype) *Array {
	if !dt.valid() {
		panic(errorf(op, "unknown dtype %d", int(dt)))
	}
	var p unsafe.Pointer
	switch {
	case h.kind == kindInt && len(h.i) > 0:
		p = unsafe.Pointer(&h.i[0])
	case h.kind == kindBool && len(h.b) > 0:
		p = unsafe.Pointer(&h.b[0])
	case len(h.f) > 0:
		p = unsafe.Pointer(&h.f[0])
	}
	shape := cints(h.shape)
	var out C.mlxg_arr
	if err := C.mlxg_from_data(p, C.int(h.kind), intsPtr(shape), C.int(len(shape)), C.int(dt), &out); err != nil {
		panic(errorFrom(op, err))
	}
	runtime.KeepAlive(h)
	return newArray(out)
}

var arrayPtrType = reflect.TypeOf((*Array)(nil))

// hostOf flattens a Go number, slice, nested slice or array into host data.
func hostOf(op string, v any) *host {
	h := &host{kind: -1}
	var walk func(rv reflect.Value, depth int)
	walk = func(rv reflect.Value, depth int) {
		switch rv.Kind() {
		case reflect.Slice, reflect.Array:
			n := rv.Len()
			if depth == len(h.shape) {
				if h.kind >= 0 {
					panic(errorf(op, "ragged nested slices: inconsistent depth"))
				}
				h.shape = append(h.shape, n)
			} else if depth > len(h.shape) || h.shape[depth] != n {
				panic(errorf(op, "ragged nested slices: rows of different lengths (%d and %d)", h.shape[depth], n))
			}
			for i := 0; i < n; i++ {
				walk(rv.Index(i), depth+1)
			}
		case reflect.Interface, reflect.Pointer:
			if rv.IsNil() {
				panic(errorf(op, "cannot convert nil to an array"))
			}
			if rv.Type() == arrayPtrType {
				panic(errorf(op, "cannot convert a slice holding *mlx.Array values; join arrays with mlx.Stack"))
			}
			walk(rv.Elem(), depth)
		default:
			if depth != len(h.shape) {
				panic(errorf(op, "ragged nested slices: a number where a slice was expected"))
			}
			h.add(op, rv)
		}
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		panic(errorf(op, "cannot convert nil to an array"))
	}
	walk(rv, 0)
	if h.kind < 0 {
		// An empty slice: an array of the recorded shape whose dtype follows
		// the element type ([]int{} is int32); float32 when that says nothing.
		h.kind = elemKind(rv.Type())
	}
	return h
}

// elemKind is the host kind of the innermost element type of t (a slice,
// array or pointer type), kindFloat for interfaces and other types.
func elemKind(t reflect.Type) int {
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return kindInt
	case reflect.Complex64, reflect.Complex128:
		return kindComplex
	}
	return kindFloat
}

// add appends one Go number, promoting the host kind as needed
// (bool < int < float < complex).
func (h *host) add(op string, rv reflect.Value) {
	var kind int
	switch rv.Kind() {
	case reflect.Bool:
		kind = kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		kind = kindInt
	case reflect.Float32, reflect.Float64:
		kind = kindFloat
	case reflect.Complex64, reflect.Complex128:
		kind = kindComplex
	default:
		panic(errorf(op, "cannot convert a value of type %s to an array", rv.Type()))
	}
	if h.kind < 0 {
		h.kind = kind
	} else if kindRank(kind) > kindRank(h.kind) {
		h.promote(kind)
	}
	switch h.kind {
	case kindBool:
		var b uint8
		if rv.Bool() {
			b = 1
		}
		h.b = append(h.b, b)
	case kindInt:
		h.i = append(h.i, intOf(rv))
	case kindFloat:
		h.f = append(h.f, floatOf(rv))
	case kindComplex:
		c := complexOf(rv)
		h.f = append(h.f, real(c), imag(c))
	}
}

// kindRank orders the host kinds for promotion: bool < int < float < complex.
func kindRank(kind int) int {
	switch kind {
	case kindBool:
		return 0
	case kindInt:
		return 1
	case kindFloat:
		return 2
	}
	return 3
}

func (h *host) promote(kind int) {
	switch kind {
	case kindInt:
		for _, b := range h.b {
			h.i = append(h.i, int64(b))
		}
		h.b = nil
	case kindFloat, kindComplex:
		var vals []float64
		switch h.kind {
		case kindBool:
			for _, b := range h.b {
				vals = append(vals, float64(b))
			}
		case kindInt:
			for _, i := range h.i {
				vals = append(vals, float64(i))
			}
		case kindFloat:
			vals = h.f
		}
		if kind == kindComplex && h.kind != kindComplex {
			c := make([]float64, 0, 2*len(vals))
			for _, v := range vals {
				c = append(c, v, 0)
			}
			vals = c
		}
		if h.kind != kindComplex {
			h.f = vals
		}
		h.b, h.i = nil, nil
	}
	h.kind = kind
}

func intOf(rv reflect.Value) int64 {
	switch rv.Kind() {
	case reflect.Bool:
		if rv.Bool() {
			return 1
		}
		return 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return int64(rv.Uint())
	}
	return rv.Int()
}

func floatOf(rv reflect.Value) float64 {
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Bool:
		if rv.Bool() {
			return 1
		}
		return 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(rv.Uint())
	}
	return float64(rv.Int())
}

func complexOf(rv reflect.Value) complex128 {
	if rv.Kind() == reflect.Complex64 || rv.Kind() == reflect.Complex128 {
		return rv.Complex()
	}
	return complex(floatOf(rv), 0)
}

// scalar creates a 0-d array from one Go number in dtype dt (-1: the default).
func scalar(op string, v any, dt Dtype) *Array {
	var re, im float64
	var iv int64
	kind := kindFloat
	switch x := v.(type) {
	case float64:
		re = x
	case float32:
		re = float64(x)
	case int:
		kind, iv = kindInt, int64(x)
	case int32:
		kind, iv = kindInt, int64(x)
	case int64:
		kind, iv = kindInt, x
	case bool:
		kind = kindBool
		if x {
			re = 1
		}
	case complex128:
		kind, re, im = kindComplex, real(x), imag(x)
	case complex64:
		kind, re, im = kindComplex, float64(real(x)), float64(imag(x))
	default:
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Int8, reflect.Int16, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32,
			reflect.Uint64, reflect.Uintptr, reflect.Int, reflect.Int32, reflect.Int64:
			kind, iv = kindInt, intOf(rv)
		case reflect.Float32, reflect.Float64:
			re = rv.Float()
		case reflect.Bool:
			return scalar(op, rv.Bool(), dt)
		case reflect.Complex64, reflect.Complex128:
			return scalar(op, rv.Complex(), dt)
		default:
			panic(errorf(op, "cannot convert a value of type %T to an array", v))
		}
	}
	if dt < 0 {
		dt = (&host{kind: kind}).defaultDtype()
	}
	if kind == kindInt {
		re = float64(iv)
	}
	var out C.mlxg_arr
	if err := C.mlxg_scalar(C.double(re), C.double(im), C.int64_t(iv), C.int(kind), C.int(dt), &out); err != nil {
		panic(errorFrom(op, err))
	}
	return newArray(out)
}

// isScalar reports whether v is a Go number or bool (not a slice or array).
func isScalar(v any) bool {
	switch v.(type) {
	case float64, int, float32, int32, int64, bool, complex128, complex64:
		return true
	case *Array, nil:
		return false
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	}
	return false
}

// scalarKind classifies a Go scalar: kindInt, kindFloat, kindBool or kindComplex.
func scalarKind(v any) int {
	switch reflect.ValueOf(v).Kind() {
	case reflect.Bool:
		return kindBool
	case reflect.Float32, reflect.Float64:
		return kindFloat
	case reflect.Complex64, reflect.Complex128:
		return kindComplex
	}
	return kindInt
}

// weakDtype picks the dtype of a Go scalar used beside an array of dtype
// other, the way MLX's Python binding treats Python scalars: an integer takes
// the array's dtype (unless that is bool), a float takes the array's dtype if
// it is floating or complex, else float32.
func weakDtype(v any, other Dtype) Dtype {
	switch scalarKind(v) {
	case kindInt:
		if other != Bool {
			return other
		}
		return Int32
	case kindFloat:
		if other.IsFloat() || other.IsComplex() {
			return other
		}
		return Float32
	case kindComplex:
		return Complex64
	}
	if other == Bool {
		return Bool
	}
	return other
}

// AsArray converts v to an array. An *Array passes through unchanged. Go
// numbers become 0-d arrays, slices 1-d, [][]T 2-d by rows (and deeper
// nestings more dimensions). Floats become float32, integers int32, bools
// bool and complex numbers complex64. Use AsType to pick another dtype
// without a float32 rounding step, e.g. AsType([]float64{...}, mlx.Float64).
func AsArray(v any) *Array { return asArray("AsArray", v) }

func asArray(op string, v any) *Array {
	switch x := v.(type) {
	case *Array:
		x.handle(op)
		return x
	case nil:
		panic(errorf(op, "cannot convert nil to an array"))
	}
	if isScalar(v) {
		return scalar(op, v, -1)
	}
	h := hostOf(op, v)
	return h.toArray(op, h.defaultDtype())
}

// AsType converts x to dtype d. For an *Array it is MLX's astype; for Go data
// the values go straight to d (so float64 data keeps full precision in a
// Float64 array).
func AsType(x any, d Dtype) *Array {
	if !d.valid() {
		panic(errorf("AsType", "unknown dtype %d", int(d)))
	}
	if a, ok := x.(*Array); ok {
		var out C.mlxg_arr
		if err := C.mlxg_astype(a.handle("AsType"), C.int(d), &out); err != nil {
			panic(errorFrom("AsType", err, a))
		}
		runtime.KeepAlive(a)
		return newArray(out)
	}
	if isScalar(x) {
		return scalar("AsType", x, d)
	}
	return hostOf("AsType", x).toArray("AsType", d)
}

// Scalar returns a 0-d array holding v, in dtype d if given, else in the
// dtype AsArray would choose.
func Scalar(v any, d ...Dtype) *Array {
	if !isScalar(v) {
		panic(errorf("Scalar", "want a Go number or bool, got %T", v))
	}
	dt := Dtype(-1)
	if len(d) > 0 {
		dt = d[0]
	}
	return scalar("Scalar", v, dt)
}

// FromSlice builds an array of the given shape from flat Go data in row-major
// order (C order, as NumPy's reshape). With no shape the result is 1-d. The
// dtype follows AsArray's rules.
func FromSlice(data any, shape ...int) *Array {
	h := hostOf("FromSlice", data)
	if len(h.shape) != 1 {
		panic(errorf("FromSlice", "want a flat slice, got %d levels of nesting", len(h.shape)))
	}
	if len(shape) > 0 {
		n := 1
		for _, d := range shape {
			if d < 0 {
				panic(errorf("FromSlice", "negative dimension in shape %s", FormatShape(shape)))
			}
			n *= d
		}
		if n != h.len() {
			panic(errorf("FromSlice", "%d values cannot fill shape %s (%d elements)", h.len(), FormatShape(shape), n))
		}
		h.shape = append([]int(nil), shape...)
	}
	return h.toArray("FromSlice", h.defaultDtype())
}

// Matrix is R's matrix(): it fills an nrow x ncol matrix by column from data,
// recycling data whose length divides nrow*ncol (so Matrix([]float64{0}, 2, 1)
// is a column of zeros). data may be a Go number or a flat slice; the dtype
// follows AsArray's rules.
func Matrix(data any, nrow, ncol int) *Array {
	if nrow < 0 || ncol < 0 {
		panic(errorf("Matrix", "negative dimensions %d x %d", nrow, ncol))
	}
	var h *host
	if isScalar(data) {
		h = hostOf("Matrix", []any{data})
	} else {
		h = hostOf("Matrix", data)
	}
	if len(h.shape) != 1 {
		panic(errorf("Matrix", "want a flat slice of values, got %d levels of nesting", len(h.shape)))
	}
	n, total := h.len(), nrow*ncol
	if n == 0 && total > 0 {
		panic(errorf("Matrix", "no values to fill a %d x %d matrix", nrow, ncol))
	}
	if total > 0 && (n > total || total%n != 0) {
		panic(errorf("Matrix", "%d values do not fill a %d x %d matrix (the length must divide %d)", n, nrow, ncol, total))
	}
	// Reorder column-major (recycled) data into row-major.
	src := func(i, j int) int { return (j*nrow + i) % max(n, 1) }
	out := &host{kind: h.kind, shape: []int{nrow, ncol}}
	for i := 0; i < nrow; i++ {
		for j := 0; j < ncol; j++ {
			k := src(i, j)
			switch h.kind {
			case kindInt:
				out.i = append(out.i, h.i[k])
			case kindBool:
				out.b = append(out.b, h.b[k])
			case kindComplex:
				out.f = append(out.f, h.f[2*k], h.f[2*k+1])
			default:
				out.f = append(out.f, h.f[k])
			}
		}
	}
	return out.toArray("Matrix", out.defaultDtype())
}

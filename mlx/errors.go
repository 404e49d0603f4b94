package mlx

// #include "bridge.h"
import "C"

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unsafe"
)

// Error is the value every failing op panics with. Its message names the op
// and, where operands were involved, their shapes, for example
// "mlx.Matmul: shapes [4 x 2] and [3 x 1] are not compatible".
type Error struct {
	Op  string // the qualified name of the failing function, e.g. "mlx.Matmul"
	Msg string // what went wrong
}

// Error returns "Op: Msg".
func (e *Error) Error() string { return e.Op + ": " + e.Msg }

// Catch runs f and returns the *Error it panicked with, or nil if it returned
// normally. Other panics propagate. It lets ordinary Go programs handle MLX
// failures as errors:
//
//	err := mlx.Catch(func() { y = mlx.Matmul(a, b) })
func Catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(*Error); ok {
				err = e
				return
			}
			panic(r)
		}
	}()
	f()
	return nil
}

// errorf builds an *Error for op (a bare name such as "Matmul").
func errorf(op, format string, args ...any) *Error {
	return &Error{Op: qualify(op), Msg: fmt.Sprintf(format, args...)}
}

func qualify(op string) string {
	if strings.Contains(op, ".") {
		return op
	}
	return "mlx." + op
}

var mlxPrefix = regexp.MustCompile(`^\[[A-Za-z0-9_:]+\]\s*`)

// takeErr converts and frees a bridge error string.
func takeErr(err C.mlxg_err) string {
	s := C.GoString(err)
	C.mlxg_free_str(err)
	return s
}

// errorFrom converts a bridge error into an *Error; if the error carries a
// panic from a Go callback it re-panics with the original value instead.
func errorFrom(op string, err C.mlxg_err, operands ...*Array) *Error {
	msg := takeErr(err)
	if v, ok := state.takePanic(msg); ok {
		panic(v)
	}
	return describe(op, msg, operands)
}

func describe(op, msg string, operands []*Array) *Error {
	msg = cleanMessage(msg)
	if len(operands) == 0 {
		return &Error{Op: qualify(op), Msg: msg}
	}
	shapes := make([]string, len(operands))
	named := true // whether msg already names every operand's shape
	for i, a := range operands {
		shapes[i] = FormatShape(a.Shape())
		named = named && strings.Contains(msg, shapes[i])
	}
	lower := strings.ToLower(msg)
	badAxis := strings.Contains(lower, "axis") &&
		(strings.Contains(lower, "out of bounds") || strings.Contains(lower, "invalid axis"))
	if len(operands) >= 2 && !badAxis && (strings.Contains(lower, "shape") || strings.Contains(lower, "broadcast") ||
		strings.Contains(lower, "dimension")) {
		return &Error{Op: qualify(op), Msg: "shapes " + joinAnd(shapes) + " are not compatible"}
	}
	if named {
		return &Error{Op: qualify(op), Msg: msg}
	}
	word := "shape "
	if len(operands) > 1 {
		word = "shapes "
	}
	return &Error{Op: qualify(op), Msg: msg + " (" + word + joinAnd(shapes) + ")"}
}

// mlxShape matches a shape as MLX's messages write it, "(2,3)", after the
// word "shape" or "shapes" (optionally with a colon) or after " and " that
// follows a shape already rewritten: group 1 is the lead-in, group 2 the
// dimensions.
var mlxShape = regexp.MustCompile(`((?i:shapes?):?\s+|\]\s+and\s+)\(((?:\d+(?:,\s*\d+)*)?)\)`)

// cleanMessage turns an MLX exception text into one lower-case clause, with
// MLX's shapes "(2,3)" written as the package writes them, "[2 x 3]".
func cleanMessage(msg string) string {
	msg = strings.TrimSpace(mlxPrefix.ReplaceAllString(msg, ""))
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	msg = rewriteShapes(msg)
	msg = strings.TrimSuffix(msg, ".")
	if len(msg) > 1 && msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z') {
		msg = strings.ToLower(msg[:1]) + msg[1:]
	}
	return msg
}

// rewriteShapes writes the MLX shapes in msg ("shapes (4) and (3)") the
// package's way ("shapes [4] and [3]").
func rewriteShapes(msg string) string {
	for {
		m := mlxShape.FindStringSubmatchIndex(msg)
		if m == nil {
			return msg
		}
		var dims []int
		if m[4] < m[5] {
			for _, f := range strings.Split(msg[m[4]:m[5]], ",") {
				d, err := strconv.Atoi(strings.TrimSpace(f))
				if err != nil {
					return msg
				}
				dims = append(dims, d)
			}
		}
		msg = msg[:m[3]] + FormatShape(dims) + msg[m[1]:]
	}
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// FormatShape writes a shape the way the printed header does: "[4 x 2]",
// "[3]", and "[]" for a scalar.
func FormatShape(shape []int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range shape {
		if i > 0 {
			b.WriteString(" x ")
		}
		b.WriteString(strconv.Itoa(d))
	}
	b.WriteByte(']')
	return b.String()
}

// cstr is a tiny helper for passing optional int slices to C.
func intsPtr(v []C.int) *C.int {
	if len(v) == 0 {
		return nil
	}
	return (*C.int)(unsafe.Pointer(&v[0]))
}

func cints(v []int) []C.int {
	out := make([]C.int, len(v))
	for i, x := range v {
		out[i] = C.int(x)
	}
	return out
}

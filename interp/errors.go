package interp

import (
	"errors"
	"fmt"
	"go/scanner"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"github.com/mlxgo/mlxgo/mlx"
)

// Error describes a failed cell: a compile error, a panic, an interrupt.
// Frontends show Traceback (which repeats Name and Value in its first line).
type Error struct {
	Name      string   // e.g. "mlx.Error", "panic", "CompileError", "Interrupted", "os.Exit"
	Value     string   // one line
	Traceback []string // lines, may contain ANSI colour
}

// Error returns "Name: Value".
func (e *Error) Error() string { return e.Name + ": " + e.Value }

const (
	ansiRed   = "\x1b[0;31m"
	ansiGreen = "\x1b[0;32m"
	ansiReset = "\x1b[0m"
)

func newError(name, value string, lines ...string) *Error {
	return &Error{Name: name, Value: value, Traceback: append([]string{ansiRed + name + ansiReset + ": " + value}, lines...)}
}

// exitRefused is what os.Exit and log.Fatal panic with inside a cell.
type exitRefused struct {
	fn   string // "os.Exit", "log.Fatal", ...
	code int
}

func (e exitRefused) Error() string {
	return fmt.Sprintf("%s(%d) was called: a notebook cell cannot exit the kernel (return from the cell or panic instead)", e.fn, e.code)
}

// interrupted is the error of a cell stopped by its context.
func interrupted() *Error {
	return newError("Interrupted", "the cell was interrupted")
}

// unwrapPanic returns the value a panic carries, without the wrappers
// yaegi adds: a reflect.Value (panic in interpreted code), its interface
// representations, and its error wrapper.
func unwrapPanic(v any) any {
	for range 8 {
		switch x := v.(type) {
		case reflect.Value:
			if !x.IsValid() {
				return nil
			}
			if x.Kind() == reflect.Interface || x.Kind() == reflect.Pointer && x.IsNil() {
				if x.IsNil() {
					return nil
				}
			}
			if !x.CanInterface() {
				return fmt.Sprint(x)
			}
			v = x.Interface()
			continue
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Struct || rv.Type().PkgPath() != "github.com/traefik/yaegi/interp" {
			return v
		}
		switch rv.Type().Name() {
		case "valueInterface":
			// struct{ node *node; value reflect.Value }: read the unexported field.
			c := reflect.New(rv.Type()).Elem()
			c.Set(rv)
			f := c.FieldByName("value")
			if !f.IsValid() {
				return v
			}
			v = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface()
		case "_error":
			if f := rv.FieldByName("IValue"); f.IsValid() && f.CanInterface() && !f.IsNil() {
				v = f.Interface()
			} else {
				return v
			}
		default:
			return v
		}
	}
	return v
}

// reflectPanics maps the messages of panics that yaegi's use of reflect
// raises where compiled Go would raise a runtime error.
var reflectPanics = []struct{ prefix, value string }{
	{"reflect: slice index out of range", "runtime error: index out of range"},
	{"reflect: array index out of range", "runtime error: index out of range"},
	{"reflect: string index out of range", "runtime error: index out of range"},
	{"reflect.Value.Slice: slice index out of bounds", "runtime error: slice bounds out of range"},
	{"reflect: call of reflect.Value.Field on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect: call of reflect.Value.Elem on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect: call of reflect.Value.Method on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect: call of reflect.Value.Call on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect: call of nil function", "runtime error: invalid memory address or nil pointer dereference"},
}

// panicNameValue names a panic value for Jupyter: an *mlx.Error shows as
// "mlx.Error" with its message.
func panicNameValue(v any) (name, value string) {
	name, value = panicNameValue1(v)
	if name == "panic" && strings.HasPrefix(value, "reflect") {
		for _, r := range reflectPanics {
			if strings.HasPrefix(value, r.prefix) {
				return name, r.value
			}
		}
	}
	return name, value
}

func panicNameValue1(v any) (name, value string) {
	var me *mlx.Error
	var ex exitRefused
	switch x := v.(type) {
	case *mlx.Error:
		return "mlx.Error", oneLine(x.Error())
	case exitRefused:
		return x.fn, oneLine(x.Error())
	case error:
		if errors.As(x, &me) {
			return "mlx.Error", oneLine(me.Error())
		}
		if errors.As(x, &ex) {
			return ex.fn, oneLine(ex.Error())
		}
		if _, ok := x.(runtime.Error); ok {
			return "panic", oneLine(x.Error())
		}
		return "panic", oneLine(safeSprint(x))
	case nil:
		return "panic", "nil"
	}
	return "panic", oneLine(safeSprint(v))
}

// safeSprint formats v, surviving a panicking String or Error method.
func safeSprint(v any) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = fmt.Sprintf("%T (its String or Error method panicked: %v)", v, r)
		}
	}()
	return fmt.Sprint(v)
}

// oneLine keeps the first line of s (Value must be one line).
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i]) + " ..."
	}
	return s
}

// trailEntry is one "file:line:col: panic: fn(...)" line yaegi writes to
// its stderr while a panic unwinds an interpreted frame.
type trailEntry struct {
	gid       int64
	file      string
	line, col int
	fn        string
}

var trailLine = regexp.MustCompile(`^(cell\d+):(\d+):(\d+): panic: (.*)\(\.\.\.\)\s*$`)

func parseTrail(p []byte) (trailEntry, bool) {
	m := trailLine.FindSubmatch(p)
	if m == nil {
		return trailEntry{}, false
	}
	line, _ := strconv.Atoi(string(m[2]))
	col, _ := strconv.Atoi(string(m[3]))
	return trailEntry{file: string(m[1]), line: line, col: col, fn: string(m[4])}, true
}

// goid returns the current goroutine's id.
func goid() int64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	s := strings.TrimPrefix(string(buf[:n]), "goroutine ")
	if i := strings.IndexByte(s, ' '); i > 0 {
		id, _ := strconv.ParseInt(s[:i], 10, 64)
		return id
	}
	return 0
}

// frameName turns yaegi's function name ("main.f", "main.T.M",
// "main.func1") into the one a user wrote; "" for the cell's top level.
func frameName(fn string) string {
	fn = strings.TrimPrefix(fn, "main.")
	if fn == "main" {
		return ""
	}
	return fn
}

// sourceLine returns line n (1-based) of a cell the session ran, tabs
// expanded, and whether the file is the cell now running.
func (s *Session) sourceLine(file string, n int) (text string, current bool) {
	s.state.Lock()
	code, ok := s.sources[file]
	current = file == s.curFile
	s.state.Unlock()
	if !ok || n < 1 {
		return "", current
	}
	lines := strings.Split(code, "\n")
	if n > len(lines) {
		return "", current
	}
	return strings.ReplaceAll(lines[n-1], "\t", "    "), current
}

// where describes a cell position: "cell line 3" for the running cell,
// "line 3 of an earlier cell" otherwise.
func (s *Session) where(file string, line int) (string, string) {
	src, current := s.sourceLine(file, line)
	if current {
		return ansiGreen + "cell line " + strconv.Itoa(line) + ansiReset, src
	}
	return ansiGreen + "line " + strconv.Itoa(line) + " of an earlier cell" + ansiReset, src
}

// panicError builds the Error of a panic: frames are the interpreted frames
// it went through (innermost first); top is where the cell's top level was
// (file "" if unknown); how introduces the top line ("" or "in a goroutine
// started at").
func (s *Session) panicError(v any, frames []trailEntry, topFile string, topLine int, goroutine bool) *Error {
	if !goroutine && topLine > 0 {
		s.noteFate(topFile, fate{line: topLine})
	}
	name, value := panicNameValue(v)
	var lines []string
	seen := map[string]bool{}
	for i, f := range frames {
		if i == 0 {
			f.line = s.panicLine(f)
		}
		fn := frameName(f.fn)
		if fn == "" {
			continue // the top level: reported below, from the line marker
		}
		key := f.file + ":" + strconv.Itoa(f.line) + ":" + fn
		if seen[key] {
			continue
		}
		seen[key] = true
		w, src := s.where(f.file, f.line)
		lines = append(lines, "  "+w+", in "+fn+": "+strings.TrimSpace(src))
	}
	if topFile != "" && topLine > 0 {
		w, src := s.where(topFile, topLine)
		if goroutine {
			w = "in a goroutine started at " + w
		}
		lines = append(lines, "  "+w+": "+strings.TrimSpace(src))
	} else if goroutine {
		lines = append(lines, "  in a goroutine")
	}
	return newError(name, value, lines...)
}

// cfgErrorPos matches the position yaegi puts in front of its compile errors.
var cfgErrorPos = regexp.MustCompile(`^(cell\d+):(\d+):(\d+): `)

// errorPosition splits a compile error into its position in a cell file
// (go/parser's or yaegi's "cellN:line:col: " prefix) and its message; file
// is "" when it has none.
func errorPosition(err error) (file string, line, col int, msg string) {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return list[0].Pos.Filename, list[0].Pos.Line, list[0].Pos.Column, list[0].Msg
	}
	msg = err.Error()
	if m := cfgErrorPos.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[2])
		col, _ = strconv.Atoi(m[3])
		return m[1], line, col, msg[len(m[0]):]
	}
	return "", 0, 0, msg
}

// compileError converts a parse or yaegi compile error into an Error with
// the cell line and column, and the line underlined.
func (s *Session) compileError(err error) *Error {
	s.noteCompileError()
	file, line, col, msg := errorPosition(err)
	msg = strings.ReplaceAll(msg, "\n\t", " ")
	if file == "" || line == 0 {
		return newError("CompileError", oneLine(msg))
	}
	src, _ := s.sourceLine(file, line)
	if src == "" {
		// Past the end (an unclosed brace): point at the last line.
		s.state.Lock()
		code := s.sources[file]
		s.state.Unlock()
		lines := strings.Split(strings.TrimRight(code, "\n"), "\n")
		if line > len(lines) {
			line, col = len(lines), len(lines[len(lines)-1])+1
			src = strings.ReplaceAll(lines[len(lines)-1], "\t", "    ")
		}
	}
	value := fmt.Sprintf("%d:%d: %s", line, col, oneLine(msg))
	w, _ := s.where(file, line)
	return newError("CompileError", value, "  "+w+":", "    "+src, "    "+caretPad(s.rawLine(file, line), col)+ansiRed+"^"+ansiReset)
}

// rawLine returns line n of a cell as written.
func (s *Session) rawLine(file string, n int) string {
	s.state.Lock()
	code := s.sources[file]
	s.state.Unlock()
	lines := strings.Split(code, "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// caretPad returns the blanks that put a caret under byte column col of
// line, as printed with tabs expanded to four spaces.
func caretPad(line string, col int) string {
	var b strings.Builder
	for i, r := range line {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteString("    ")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// stripANSI removes colour codes (for text written to a stream).
var ansiCode = regexp.MustCompile("\x1b\\[[0-9;]*m")

func stripANSI(s string) string { return ansiCode.ReplaceAllString(s, "") }

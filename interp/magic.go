package interp

import (
	"context"
	"fmt"
	"go/parser"
	"math"
	"os"
	"reflect"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mlxgo/mlxgo/display"
	"github.com/mlxgo/mlxgo/mlx"
)

// Magics: a cell whose first line starts with % runs a magic command
// instead of Go (IPython's line magics, for the few a Go notebook needs).
//
//	%who             the session's variables, their types, and for arrays their shape and dtype
//	%reset           a fresh session (mlx, grad and display still imported)
//	%time <stmt>     runs stmt (or the lines below) once and prints its wall time
//	%timeit <stmt>   runs stmt repeatedly (0.2 to 2 s) and prints the best time per loop
//	%env [NAME[=value]]  lists, shows or sets environment variables
//	%help name       the signature and doc comment of name (as Shift-Tab shows)
//
// %time and %timeit evaluate an *mlx.Array result before they stop the
// clock. For the other magics, lines below the magic line run as Go after it.

var knownMagics = []string{"%env", "%help", "%reset", "%time", "%timeit", "%who"}

// magicLine recognises a magic cell: name (without %), the rest of its
// first line, and the lines after it.
func magicLine(code string) (name, arg, rest string, ok bool) {
	c := strings.TrimLeft(code, " \t\r\n")
	if !strings.HasPrefix(c, "%") {
		return "", "", "", false
	}
	first, rest, _ := strings.Cut(c, "\n")
	first = strings.TrimSuffix(first, "\r")
	name, arg, _ = strings.Cut(first[1:], " ")
	if i := strings.IndexByte(name, '\t'); i >= 0 {
		name, arg = name[:i], name[i+1:]+" "+arg
	}
	return name, strings.TrimSpace(arg), rest, true
}

// magic runs a magic cell (Execute holds s.mu).
func (s *Session) magic(ctx context.Context, ex *execution, file, name, arg, rest string) (*display.Bundle, *Error) {
	print := func(text string) {
		s.syncStreams()
		ex.write("stdout", []byte(text))
	}
	// Lines after the magic line run as Go; a leading newline keeps their
	// line numbers.
	thenRest := func() (*display.Bundle, *Error) {
		if strings.TrimSpace(rest) == "" {
			return nil, nil
		}
		return s.execute(ctx, file, "\n"+rest)
	}
	switch name {
	case "who":
		print(s.who())
		return thenRest()
	case "reset":
		if arg != "" && arg != "-f" {
			return nil, newError("UsageError", "%reset takes no arguments")
		}
		if err := s.start(); err != nil {
			return nil, newError("Error", err.Error())
		}
		return thenRest()
	case "env":
		text, e := envMagic(arg)
		if e != nil {
			return nil, e
		}
		print(text)
		return thenRest()
	case "help":
		if arg == "" || strings.ContainsAny(arg, " \t") {
			return nil, newError("UsageError", "usage: %help name")
		}
		text, found := s.Inspect(arg, len([]rune(arg)))
		if !found {
			return nil, newError("NameError", "no help found for "+arg)
		}
		print(strings.TrimRight(stripANSI(text), "\n") + "\n")
		return thenRest()
	case "time", "timeit":
		code := strings.Repeat(" ", len(name)+1) + " " + arg + "\n" + rest
		if strings.TrimSpace(code) == "" {
			return nil, newError("UsageError", "usage: %"+name+" <statement>")
		}
		if name == "time" {
			return s.timeMagic(ctx, file, code, print)
		}
		return s.timeitMagic(ctx, file, code, print)
	}
	return nil, newError("UsageError", fmt.Sprintf("unknown magic %%%s (known: %s)", name, strings.Join(knownMagics, ", ")))
}

// who lists the session's variables as a table, sorted by name.
func (s *Session) who() string {
	g := s.globals()
	ghosts := s.ghosts()
	names := make([]string, 0, len(g))
	for n := range g {
		if !strings.HasPrefix(n, "_") && !ghosts[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return "no variables\n"
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "Name\tType\tShape\tDtype")
	fmt.Fprintln(w, "----\t----\t-----\t-----")
	static := s.varTypes() // the names of cell types, which reflect lacks
	for _, n := range names {
		v := g[n]
		typ, shape, dtype := "?", "", ""
		func() {
			defer func() { _ = recover() }()
			t := valueType(v)
			typ = t.String()
			if st := static[n]; strings.Contains(st, "main.") {
				typ = s.cellTypeText(st)
			}
			if !v.CanInterface() {
				return
			}
			x := v.Interface()
			if v.Kind() == reflect.Interface && !v.IsNil() {
				x = v.Elem().Interface()
			}
			if a, ok := x.(*mlx.Array); ok {
				if a == nil {
					shape = "nil"
					return
				}
				shape = fmt.Sprint(a.Shape())
				dtype = a.Dtype().String()
			}
		}()
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", n, typ, shape, dtype)
	}
	w.Flush()
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// envMagic lists, shows or sets environment variables.
func envMagic(arg string) (string, *Error) {
	switch {
	case arg == "":
		env := os.Environ()
		sort.Strings(env)
		return strings.Join(env, "\n") + "\n", nil
	case strings.Contains(arg, "="):
		k, v, _ := strings.Cut(arg, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" {
			return "", newError("UsageError", "usage: %env NAME=value")
		}
		if err := os.Setenv(k, v); err != nil {
			return "", newError("Error", err.Error())
		}
		return "env: " + k + "=" + v + "\n", nil
	default:
		v, ok := os.LookupEnv(arg)
		if !ok {
			return "", newError("KeyError", "environment variable "+arg+" is not set")
		}
		return v + "\n", nil
	}
}

// evalArrays evaluates the arrays among vals (an array, or a slice of them).
func evalArrays(vals []any) {
	var as []*mlx.Array
	for _, v := range vals {
		switch x := v.(type) {
		case *mlx.Array:
			if x != nil {
				as = append(as, x)
			}
		case []*mlx.Array:
			for _, a := range x {
				if a != nil {
					as = append(as, a)
				}
			}
		}
	}
	mlx.Eval(as...)
}

// timeMagic runs code once, evaluates an array result, and prints the time.
func (s *Session) timeMagic(ctx context.Context, file, code string, print func(string)) (*display.Bundle, *Error) {
	t0 := time.Now()
	vals, ok, e := s.executeVals(ctx, file, code)
	if e == nil && ok {
		e = s.protect(file, func() { evalArrays(vals) })
	}
	d := time.Since(t0)
	if e != nil {
		return nil, e
	}
	print("wall time: " + fmtSeconds(d.Seconds()) + "\n")
	if !ok {
		return nil, nil
	}
	b, e := s.render(vals, file)
	if e != nil {
		return nil, e
	}
	return &b, nil
}

// protect runs f, turning a panic into an Error.
func (s *Session) protect(file string, f func()) (e *Error) {
	defer func() {
		if r := recover(); r != nil {
			e = s.panicError(unwrapPanic(r), nil, file, int(s.line.Load()), false)
		}
	}()
	f()
	return nil
}

// timeitResult is what Session.timeit measured.
type timeitResult struct {
	loops, repeats int
	best           float64 // seconds per loop
}

// timeitMagic runs code (a statement, or lines) in a function that
// _mlxgo.Timeit calls repeatedly. An expression's value goes to _mlxgo.Keep,
// which evaluates an array each time.
func (s *Session) timeitMagic(ctx context.Context, file, code string, print func(string)) (*display.Bundle, *Error) {
	s.timing = nil
	var e *Error
	tried := false
	if _, err := parser.ParseExpr(code); err == nil {
		tried = true
		// "_mlxgo.Timeit(func() { _mlxgo.Keep(" is longer than the magic
		// name: columns shift, lines do not.
		_, _, e = s.executeVals(ctx, file, rtName+".Timeit(func() { "+rtName+".Keep("+strings.TrimSpace(code)+",\n) })")
	}
	if !tried || (e != nil && e.Name == "CompileError") {
		s.timing = nil
		_, _, e = s.executeVals(ctx, file, rtName+".Timeit(func() {"+code+"\n})")
	}
	if ctx.Err() != nil {
		return nil, interrupted()
	}
	if e != nil {
		return nil, e
	}
	if r := s.timing; r != nil {
		loops := "loops"
		if r.loops == 1 {
			loops = "loop"
		}
		print(fmt.Sprintf("%d %s, best of %d: %s per loop\n", r.loops, loops, r.repeats, fmtSeconds(r.best)))
	}
	return nil, nil
}

// keep receives the value of the statement %timeit runs.
func (s *Session) keep(v ...any) { s.kept = v }

// timeit calls f in batches of n loops, n chosen so that a batch takes at
// least 0.2 s, and repeats the batch up to 7 times within about 2 s in all.
func (s *Session) timeit(f func()) {
	ctx := s.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	batch := func(n int) (float64, bool) {
		t0 := time.Now()
		for i := 0; i < n; i++ {
			if ctx.Err() != nil {
				return 0, false
			}
			s.kept = nil
			f()
			evalArrays(s.kept)
		}
		return time.Since(t0).Seconds(), true
	}
	n := 1
	d, ok := batch(1)
	for ok && d < 0.2 {
		// Aim at 0.2 s, a round number of loops.
		want := 0.2 / math.Max(d/float64(n), 1e-9)
		next := roundLoops(want)
		if next <= n {
			next = n * 10
		}
		n = next
		d, ok = batch(n)
	}
	if !ok {
		return
	}
	best, repeats, total := d, 1, d
	for repeats < 7 && total+d <= 2 {
		d2, ok := batch(n)
		if !ok {
			return
		}
		best = math.Min(best, d2)
		total += d2
		repeats++
	}
	s.timing = &timeitResult{loops: n, repeats: repeats, best: best / float64(n)}
}

// roundLoops rounds x up to 1, 2 or 5 times a power of ten.
func roundLoops(x float64) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if float64(m*p) >= x || m*p >= 1e9 {
				return m * p
			}
		}
	}
}

// fmtSeconds writes a duration with 3 significant digits and a unit.
func fmtSeconds(sec float64) string {
	switch {
	case sec >= 1:
		return fmt.Sprintf("%.3g s", sec)
	case sec >= 1e-3:
		return fmt.Sprintf("%.3g ms", sec*1e3)
	case sec >= 1e-6:
		return fmt.Sprintf("%.3g µs", sec*1e6)
	}
	return fmt.Sprintf("%.3g ns", sec*1e9)
}

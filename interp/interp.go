// Package interp runs notebook cells written in Go, with yaegi.
//
// A Session is one kernel's interpreter: cells share its variables,
// functions, types and imports. The packages mlx, grad and display are
// imported in every session, and every standard-library package can be
// imported. Each Execute call sends what the cell prints (stdout, stderr)
// and displays to an Output while it runs, and returns the cell's result:
// the value of its last expression statement, rendered by display.Of.
//
// How a cell runs (Session.Execute):
//
//   - parseCell (cell.go) cuts the cell into top-level items (imports,
//     declarations, statements) with go/scanner and parses each with a
//     line directive, so every position reports the cell's own file
//     ("cell7"), line and column.
//   - Every cell first imports the session's packages under its file name
//     (yaegi scopes imports by file) plus its own new imports.
//   - order (cell.go) groups the rest into yaegi programs: declarations
//     hoisted before the statements they do not depend on, statements in
//     order.
//   - rewrite.go edits the syntax trees: go statements recover panics,
//     top-level defers run when the cell ends, each top-level statement is
//     preceded by a line marker, and the last expression statement passes
//     its value to the session (when it has one).
//   - toplevel.go works around yaegi's failures at the top level: var
//     declarations that read the session's variables run as statements, a
//     binding type switch runs in a block, and names a failed cell left
//     without a value are undefined. genericdef.go writes out the types of
//     variables set from generic calls; stdextra/ holds slices and maps as
//     yaegi can run them.
//   - rewriteLoops (interrupt.go) makes every loop, and the entry of every
//     recursive function, check for an interrupt; the cell runs on a
//     goroutine of its own, without yaegi's cancellation, so an interrupt
//     is answered at once and leaves the closures of earlier cells working.
//     A stack watch stops a recursion that does not end.
//   - A redefined function is compiled again into the functions of earlier
//     cells that call it (redefine.go); a changed type or method is
//     declared under a new name, with what depends on it (retype.go).
//   - All programs are compiled before any runs, so a compile error anywhere
//     leaves the cell without effect.
//
// Text reaches the Output through pipes (the cells' os.Stdout and
// os.Stderr, which fmt.Print* also write to) and, with CaptureFDs, fds 1
// and 2; it is coalesced by execution.write and flushed at most every 50 ms
// and when the cell ends.
package interp

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"os"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	yaegi "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	ysyscall "github.com/traefik/yaegi/stdlib/syscall"
	"github.com/traefik/yaegi/stdlib/unrestricted"
	yunsafe "github.com/traefik/yaegi/stdlib/unsafe"

	"github.com/mlxgo/mlxgo/display"
	"github.com/mlxgo/mlxgo/interp/symbols"
)

// Output receives what one execution produces, in order. The kernel
// implements it per request.
//
// interp serializes its calls of Stream, Display and Clear; Input may come
// from another goroutine at the same time. Goroutines a cell started can
// write after Execute has returned: that text goes to the Output of the
// execution that runs then, or, between cells, of the last one.
type Output interface {
	Stream(name, text string) // name "stdout" or "stderr"
	Display(b display.Bundle, displayID string, update bool)
	Clear(wait bool)
	Input(prompt string, password bool) (string, error) // input_request; error if stdin not allowed
}

// Import paths of the packages every cell sees without an import line.
const (
	mlxPath     = "github.com/mlxgo/mlxgo/mlx"
	gradPath    = "github.com/mlxgo/mlxgo/mlx/grad"
	displayPath = "github.com/mlxgo/mlxgo/display"
	// rtPath is the session's runtime hooks, imported as rtName.
	rtPath = "mlxgo.internal/rt"
	rtName = "_mlxgo"
)

// preloaded are the packages imported in every session, by name.
var preloaded = map[string]string{"mlx": mlxPath, "grad": gradPath, "display": displayPath}

// lastExecution is the execution that started last in any session: where
// text captured from fds 1 and 2 goes.
var lastExecution atomic.Pointer[execution]

// Session is one interpreter and its state. Execute calls are serialized;
// Complete, Inspect and IsComplete may be called at any time.
type Session struct {
	mu   sync.Mutex // one Execute at a time
	in   *yaegi.Interpreter
	fset *token.FileSet

	stdout, stderr *pipeStream // the cells' os.Stdout and os.Stderr (and fmt.Print*)
	stdin          *inputReader
	exports        map[string]map[string]reflect.Value // import path -> symbols
	pkgNames       map[string]string                   // import path -> package name

	rootPos token.Pos       // a position in the running cell's file, for ASTs built here
	extra   yaegi.Exports   // symbols newSession was given, for %reset
	ctx     context.Context // the running cell's (Execute holds mu)
	kept    []any           // the values of the statement %timeit runs
	timing  *timeitResult   // what %timeit measured

	cur  atomic.Pointer[execution] // running, or the last that ran
	line atomic.Int64              // top-level line now running (line markers)
	// stmtPos is the last statement of a function that started
	// (*_mlxgo.Pos, stmtpos.go).
	stmtPos int
	closed  atomic.Bool

	stops      stopper      // goroutines of interrupted cells (interrupt.go)
	background atomic.Int32 // interrupted cells still running

	state      sync.Mutex // guards what follows
	active     bool
	curFile    string
	nCells     int
	sources    map[string]string // cell file -> code
	imports    map[string]string // package name in cells -> import path
	dots       map[string]bool   // import paths imported with "."
	funcs      map[string]*funcInfo
	types      map[string]*typeInfo
	methods    map[string][]*ast.FuncDecl // receiver base type -> methods
	typeNames  map[string]string          // type -> the name yaegi knows it by, for types renamed (retype.go)
	typeSerial int                        // the last renamed type's version
	trail      []trailEntry
	goErr      *Error
	deferred   []func() // the cell's top-level defers, run when it ends
	captured   []any
	captureOK  bool
	richParts  map[string]any // MIME type -> what the result's method returned (richMethods)
	richValue  any            // the result, passed with richParts
	expecting  int            // the cell whose result capture takes
}

type funcInfo struct {
	decl *ast.FuncDecl
}

type typeInfo struct {
	gen  *ast.GenDecl
	spec *ast.TypeSpec
}

// New starts a session with mlx, grad and display imported.
func New() (*Session, error) { return newSession(nil) }

// newSession is New with extra symbols (tests use it for hooks).
func newSession(extra yaegi.Exports) (*Session, error) {
	s := &Session{
		sources:  map[string]string{},
		imports:  map[string]string{},
		dots:     map[string]bool{},
		funcs:    map[string]*funcInfo{},
		types:    map[string]*typeInfo{},
		methods:  map[string][]*ast.FuncDecl{},
		exports:  map[string]map[string]reflect.Value{},
		pkgNames: map[string]string{},
	}
	var err error
	if s.stdout, err = newPipeStream(&streamWriter{name: "stdout", route: s.route, fallback: os.Stdout}); err != nil {
		return nil, err
	}
	if s.stderr, err = newPipeStream(&streamWriter{name: "stderr", route: s.route, fallback: os.Stderr}); err != nil {
		s.stdout.close()
		return nil, err
	}
	s.stdin = &inputReader{s: s}
	s.extra = extra
	if err := s.start(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// start makes the session's interpreter: the symbol tables, the preloaded
// packages and the helpers of rewritten cells (builtins.go). %reset calls
// it again.
func (s *Session) start() error {
	s.state.Lock()
	s.imports = map[string]string{}
	s.dots = map[string]bool{}
	s.funcs = map[string]*funcInfo{}
	s.types = map[string]*typeInfo{}
	s.methods = map[string][]*ast.FuncDecl{}
	s.typeNames = nil
	s.exports = map[string]map[string]reflect.Value{}
	s.pkgNames = map[string]string{}
	s.state.Unlock()
	extra := s.extra
	s.in = yaegi.New(yaegi.Options{
		Stdin:        s.stdin,
		Stdout:       s.stdout.w,
		Stderr:       yaegiStderr{s},
		Args:         []string{"mlxgo-cell"},
		Unrestricted: true, // the real environment: os.Getenv and os.Setenv as in Go
	})
	s.fset = s.in.FileSet()
	if err := s.use(extra); err != nil {
		return err
	}
	s.state.Lock()
	for name, p := range preloaded {
		s.imports[name] = p
	}
	s.state.Unlock()
	f, _, e := s.importFile("cell0", nil)
	if e == nil {
		if prog, err := s.compile(f); err != nil {
			e = s.compileError(err)
		} else if _, err := s.in.Execute(prog); err != nil {
			e = newError("Error", err.Error())
		}
	}
	if e == nil {
		if hf, err := parser.ParseFile(s.fset, wrapperFile, header("cell0")+helperDecls, parser.SkipObjectResolution); err != nil {
			e = newError("Error", err.Error())
		} else if prog, err := s.compile(hf); err != nil {
			e = s.compileError(err)
		} else if _, err := s.in.Execute(prog); err != nil {
			e = newError("Error", err.Error())
		}
	}
	if e != nil {
		return fmt.Errorf("interp: preloading packages: %s", e.Value)
	}
	return nil
}

// use loads the symbol tables: the standard library (with os/exec),
// mlx, grad, display, the session's hooks, and the cell-safe replacements
// of os.Exit, log.Fatal and the standard streams.
func (s *Session) use(extra yaegi.Exports) error {
	add := func(e yaegi.Exports) error {
		for k, v := range e {
			if k == "." || !strings.Contains(k, "/") {
				continue
			}
			p := path.Dir(k)
			if s.exports[p] == nil {
				s.exports[p] = map[string]reflect.Value{}
			}
			for n, sym := range v {
				s.exports[p][n] = sym
			}
			s.pkgNames[p] = path.Base(k)
		}
		return s.in.Use(e)
	}
	own := yaegi.Exports{}
	for k, v := range symbols.Symbols {
		m := map[string]reflect.Value{}
		for n, sym := range v {
			if k == displayPath+"/display" && n == "SetPublisher" {
				continue // the session owns the publisher
			}
			m[n] = sym
		}
		own[k] = m
	}
	captureV := reflect.ValueOf(s.capture)
	richV := reflect.ValueOf(s.rich)
	own[rtPath+"/rt"] = map[string]reflect.Value{
		"Capture":  captureV,
		"Line":     reflect.ValueOf(s.setLine),
		"Check":    reflect.ValueOf(s.check),
		"Stopping": reflect.ValueOf(&s.stops.flag),
		"Pos":      reflect.ValueOf(&s.stmtPos),
		"Expect":   reflect.ValueOf(s.expect),
		"GoPanic":  reflect.ValueOf(s.goPanic),
		"Defer":    reflect.ValueOf(s.deferCall),
		"Clear":    reflect.ValueOf(clearValue),
		"NegZero":  reflect.ValueOf(negZero),
		"Timeit":   reflect.ValueOf(s.timeit),
		"Keep":     reflect.ValueOf(s.keep),
		"Rich":     richV,
	}
	for _, e := range []yaegi.Exports{
		stdlib.Symbols, ysyscall.Symbols, yunsafe.Symbols,
		{"os/exec/exec": unrestricted.Symbols["os/exec/exec"]},
		own, extra,
	} {
		if err := add(e); err != nil {
			return err
		}
	}
	// Cells must not end the kernel's process, and their standard streams
	// are the session's.
	var stdin io.Reader = s.stdin
	stderrFile := s.stderr.w
	exit := func(fn string) func(int) {
		return func(code int) { panic(exitRefused{fn: fn, code: code}) }
	}
	logOutput := s.in.Symbols("log")["log"]["Output"]
	fatal := func(fn string, msg func(...any) string) func(...any) {
		return func(v ...any) {
			if logOutput.IsValid() {
				logOutput.Call([]reflect.Value{reflect.ValueOf(2), reflect.ValueOf(msg(v...))})
			}
			panic(exitRefused{fn: fn, code: 1})
		}
	}
	fatalV := reflect.ValueOf(fatal("log.Fatal", fmt.Sprint))
	fatallnV := reflect.ValueOf(fatal("log.Fatalln", fmt.Sprintln))
	fatalfV := reflect.ValueOf(func(format string, v ...any) {
		fatal("log.Fatalf", func(...any) string { return fmt.Sprintf(format, v...) })()
	})
	overrides := yaegi.Exports{
		"os/os": {
			"Exit":   reflect.ValueOf(exit("os.Exit")),
			"Stdin":  reflect.ValueOf(&stdin).Elem(),
			"Stderr": reflect.ValueOf(&stderrFile).Elem(),
		},
		"syscall/syscall": {"Exit": reflect.ValueOf(exit("syscall.Exit"))},
		"log/log":         {"Fatal": fatalV, "Fatalf": fatalfV, "Fatalln": fatallnV},
	}
	// Interpreted values passed to these as any keep their String, Error and
	// Format methods (yaegi wraps them; see stdlib.MapTypes).
	fmtTypes := []reflect.Type{
		reflect.TypeFor[fmt.Formatter](),
		reflect.TypeFor[fmt.Stringer](),
	}
	mapTypes := map[reflect.Value][]reflect.Type{captureV: fmtTypes, richV: fmtTypes, fatalV: fmtTypes, fatallnV: fmtTypes, fatalfV: fmtTypes}
	for _, n := range []string{"Display", "DisplayID", "Update", "Of"} {
		if v, ok := own[displayPath+"/display"][n]; ok {
			mapTypes[v] = fmtTypes
		}
	}
	overrides["."] = map[string]reflect.Value{"MapTypes": reflect.ValueOf(mapTypes)}
	return s.in.Use(overrides)
}

// yaegiStderr is the interpreter's stderr: yaegi writes there the position
// of each interpreted frame a panic unwinds (kept for the traceback), and
// the cells' log package writes there (sent on to the stderr stream).
type yaegiStderr struct{ s *Session }

func (w yaegiStderr) Write(p []byte) (int, error) {
	if libraryTrail.Match(p) {
		return len(p), nil // a frame of a package interpreted from source (slices.Max)
	}
	if e, ok := parseTrail(p); ok {
		w.s.state.Lock()
		full := len(w.s.trail) >= maxTrail
		w.s.state.Unlock()
		if full || w.s.stops.n.Load() > 0 {
			// A deep recursion unwinding (goid walks the whole stack: a
			// frame each time would take minutes), or an interrupt's,
			// whose frames are not shown.
			return len(p), nil
		}
		e.gid = goid()
		w.s.state.Lock()
		w.s.trail = append(w.s.trail, e)
		w.s.state.Unlock()
		return len(p), nil
	}
	return w.s.stderr.w.Write(p)
}

// maxTrail is how many interpreted frames of panics the session keeps
// until the cell's error takes them (the innermost ones come first).
const maxTrail = 200

// Close releases the session's pipes. The session must not be used after.
func (s *Session) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.stdout.close()
	s.stderr.close()
	return nil
}

// route is where the session's text goes: the running execution, or the
// last one.
func (s *Session) route() *execution { return s.cur.Load() }

// running returns the execution that is running, or nil between cells.
func (s *Session) running() *execution {
	s.state.Lock()
	defer s.state.Unlock()
	if !s.active {
		return nil
	}
	return s.cur.Load()
}

// syncStreams waits until the text written to the session's streams so far
// has reached the execution's buffer.
func (s *Session) syncStreams() {
	s.stdout.sync(barrierTimeout)
	s.stderr.sync(barrierTimeout)
}

// Hooks called by rewritten cell code.

// expect announces that the cell numbered cell computes its result next;
// capture receives it. A capture from an interrupted cell that ends late
// is ignored: its cell is not the one expected.
func (s *Session) expect(cell int) {
	s.state.Lock()
	s.expecting = cell
	s.state.Unlock()
}

func (s *Session) capture(v ...any) {
	s.state.Lock()
	if s.expecting == s.nCells {
		s.captured, s.captureOK = v, true
	}
	s.state.Unlock()
}

// rich receives the cell's result, passed with its concrete cell type (so
// that yaegi's wrapper keeps its String method for text/plain), and what its methods HTML, Markdown, SVG, PNG and JSON returned
// (richHelper); render uses them for its bundle.
func (s *Session) rich(v any, hasHTML bool, html string, hasMD bool, md string, hasSVG bool, svg string, hasPNG bool, png []byte, hasJSON bool, js any) {
	parts := map[string]any{}
	if hasHTML {
		parts[display.MIMEHTML] = html
	}
	if hasMD {
		parts[display.MIMEMarkdown] = md
	}
	if hasSVG {
		parts[display.MIMESVG] = svg
	}
	if hasPNG {
		parts[display.MIMEPNG] = png
	}
	if hasJSON {
		parts[display.MIMEJSON] = js
	}
	s.state.Lock()
	if s.expecting == s.nCells {
		s.richValue, s.richParts = v, parts
	}
	s.state.Unlock()
}

// richMethods are the methods display.Of renders with MIME types.
var richMethods = map[string]bool{"HTML": true, "Markdown": true, "SVG": true, "PNG": true, "JSON": true}

// richHelper declares, for a cell's result, a generic function that passes
// to s.rich its argument and what the argument's methods among richMethods
// return, and returns its name ("" if it does not compile). It asserts
// the value to each of the session's types that have such methods, T and
// *T, keeping Go's method sets (T has the methods of value receivers, *T
// all): yaegi gets method sets wrong in assertions to interfaces, so the
// helper asserts to concrete types (plus one interface case, to tell T
// from another type with its underlying type).
func (s *Session) richHelper(file string) string {
	type method struct {
		name string
		ptr  bool
	}
	s.state.Lock()
	byType := map[string][]method{}
	internal := map[string]string{}
	for recv, ms := range s.methods {
		internal[recv] = s.internalTypeName(recv)
		ti, ok := s.types[recv]
		if !ok || ti.spec.TypeParams != nil {
			continue
		}
		for _, m := range ms {
			if richMethods[m.Name.Name] && len(m.Recv.List) == 1 {
				_, ptr := m.Recv.List[0].Type.(*ast.StarExpr)
				byType[recv] = append(byType[recv], method{m.Name.Name, ptr})
			}
		}
	}
	s.state.Unlock()
	if len(byType) == 0 {
		return ""
	}
	name := "_mlxgoRich" + strings.TrimPrefix(file, "cell")
	var b strings.Builder
	b.WriteString(header(file))
	fmt.Fprintf(&b, "func %s[T any](v T) {\n\tvar x any = v\n", name)
	// Arguments of _mlxgo.Rich, in order, for each method.
	order := []string{"HTML", "Markdown", "SVG", "PNG", "JSON"}
	sig := map[string]string{"HTML": "HTML() string", "Markdown": "Markdown() string", "SVG": "SVG() string", "PNG": "PNG() []byte", "JSON": "JSON() any"}
	zero := map[string]string{"HTML": `""`, "Markdown": `""`, "SVG": `""`, "PNG": "nil", "JSON": "nil"}
	for _, t := range sortedKeys(byType) {
		for _, ptr := range []bool{false, true} {
			args := make([]string, 1, 11)
			args[0] = "r"
			found, first := false, ""
			for _, n := range order {
				has := false
				for _, m := range byType[t] {
					if m.name == n && (ptr || !m.ptr) {
						has = true
					}
				}
				if has {
					if !found {
						first = n
					}
					found = true
					args = append(args, "true", "r."+n+"()")
				} else {
					args = append(args, "false", zero[n])
				}
			}
			if !found {
				continue
			}
			star := ""
			if ptr {
				star = "*"
			}
			call := fmt.Sprintf("%s.Rich(%s)", rtName, strings.Join(args, ", "))
			if !ptr {
				// yaegi lets a value of another type with the same
				// underlying type (an int for a named int) pass the
				// assertion; it does tell that such a value lacks the
				// methods, in a type switch (one that binds a name: one
				// that does not matches nothing).
				call = fmt.Sprintf("switch y := x.(type) {\n\t\tcase interface{ %s }:\n\t\t\t_ = y\n\t\t\t%s\n\t\t}", sig[first], call)
			}
			fmt.Fprintf(&b, "\tif r, ok := x.(%s%s); ok {\n\t\t%s\n\t}\n", star, internal[t], call)
		}
	}
	b.WriteString("}\n")
	f, err := parser.ParseFile(s.fset, wrapperFile, b.String(), parser.SkipObjectResolution)
	if err != nil {
		return ""
	}
	if _, err := s.compile(f); err != nil {
		return ""
	}
	return name
}

// hasRichMethods reports whether a type declared in the session has one of
// richMethods, so that a cell's result may need richHelper.
func (s *Session) hasRichMethods() bool {
	s.state.Lock()
	defer s.state.Unlock()
	for _, ms := range s.methods {
		for _, m := range ms {
			if richMethods[m.Name.Name] {
				return true
			}
		}
	}
	return false
}

func (s *Session) setLine(n int) {
	s.check()
	s.line.Store(int64(n))
}

func (s *Session) deferCall(cell int, f func()) {
	s.state.Lock()
	if cell == s.nCells {
		s.deferred = append(s.deferred, f)
	}
	s.state.Unlock()
}

// runDeferred runs the cell's top-level defers, last first; the first
// panic among them is returned.
func (s *Session) runDeferred(file string) (e *Error) {
	s.state.Lock()
	fs := s.deferred
	s.deferred = nil
	s.state.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		func() {
			defer func() {
				if r := recover(); r != nil && e == nil {
					s.state.Lock()
					frames := s.trail
					s.trail = nil
					s.state.Unlock()
					e = s.panicError(unwrapPanic(r), frames, file, 0, false)
				}
			}()
			fs[i]()
		}()
	}
	return e
}

// takeTrail removes and returns the trail entries (call frames) recorded by
// goroutine gid.
func (s *Session) takeTrail(gid int64) []trailEntry {
	s.state.Lock()
	defer s.state.Unlock()
	var frames, rest []trailEntry
	for _, e := range s.trail {
		if e.gid == gid {
			frames = append(frames, e)
		} else {
			rest = append(rest, e)
		}
	}
	s.trail = rest
	return frames
}

// goPanic is called by the recover that wraps every go statement of a cell.
func (s *Session) goPanic(r any, file string, line int) {
	frames := s.takeTrail(goid())
	e := s.panicError(unwrapPanic(r), frames, file, line, true)
	s.state.Lock()
	if s.active && s.goErr == nil {
		s.goErr = e
		s.state.Unlock()
		return
	}
	s.state.Unlock()
	if ex := s.route(); ex != nil {
		var b strings.Builder
		for _, l := range e.Traceback {
			b.WriteString(stripANSI(l) + "\n")
		}
		ex.write("stderr", []byte(b.String()))
	}
}

// Execute runs one cell. result is the bundle of the last expression
// statement (nil if the cell ends otherwise or its value is void); err
// describes a failure (compile error, panic, interrupt). The session keeps
// its state after a failure.
func (s *Session) Execute(ctx context.Context, code string, out Output) (result *display.Bundle, err *Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return nil, newError("Error", "the session is closed")
	}
	ex := newExecution(out)
	s.state.Lock()
	s.nCells++
	file := "cell" + strconv.Itoa(s.nCells)
	s.curFile = file
	s.sources[file] = code
	s.active = true
	s.trail, s.goErr, s.captured, s.captureOK, s.deferred, s.expecting = nil, nil, nil, false, nil, 0
	s.richValue, s.richParts = nil, nil
	s.state.Unlock()
	s.cur.Store(ex)
	lastExecution.Store(ex)
	s.stdin.reset()
	s.line.Store(0)
	display.SetPublisher(publisher{s})
	s.ctx = ctx
	var note string
	if n := s.background.Load(); n > 0 {
		note = "note: an interrupted cell is still running a compiled call in the background; it stops at its next statement once the call returns\n"
	}

	// The cell runs on its own goroutine, so that an interrupt is answered
	// at once even when the cell is inside a compiled call (interrupt.go).
	var owner atomic.Bool // whoever swaps it to false ends the execution
	owner.Store(true)
	finish := func() {
		if !owner.CompareAndSwap(true, false) {
			return
		}
		s.syncStreams()
		syncCapturedFDs()
		ex.flush(true)
		s.state.Lock()
		s.active = false
		s.state.Unlock()
	}
	type outcome struct {
		b *display.Bundle
		e *Error
	}
	done := make(chan outcome, 1)
	gidc := make(chan int64, 1)
	s.background.Add(1)
	go func() {
		gid := goid()
		gidc <- gid
		var o outcome
		defer func() {
			s.stops.done(gid)
			s.background.Add(-1)
			done <- o
		}()
		defer finish()
		defer func() {
			if r := recover(); r != nil { // a bug of ours or yaegi's: keep the kernel alive
				if isInterrupt(r) {
					o = outcome{nil, interrupted()}
					return
				}
				o = outcome{nil, s.panicError(unwrapPanic(r), nil, "", 0, false)}
			}
		}()
		if note != "" {
			ex.write("stderr", []byte(note))
		}
		if name, arg, rest, ok := magicLine(code); ok {
			o.b, o.e = s.magic(ctx, ex, file, name, arg, rest)
			return
		}
		o.b, o.e = s.execute(ctx, file, code)
		o.e = s.userError(o.e)
	}()
	gid := <-gidc
	// The stack watch: a recursion that does not end would grow the
	// goroutine's stack to Go's limit, where the runtime ends the process.
	tick := time.NewTicker(stackWatchEvery)
	defer tick.Stop()
	overflow := false
wait:
	for {
		select {
		case o := <-done:
			if overflow {
				s.stops.overflow.Store(false)
				if o.e == nil || o.e.Name == "Interrupted" {
					o = outcome{nil, stackOverflow()} // Goexit ended it (interrupt.go)
				}
			}
			return o.b, o.e
		case <-ctx.Done():
			break wait
		case <-tick.C:
			if !overflow && goroutineStacks() >= maxCellStacks {
				overflow = true
				s.stops.overflow.Store(true)
				s.stops.stop(gid) // the recursion stops at its next function entry
			}
		}
	}
	s.stops.stop(gid)
	select {
	case o := <-done:
		if o.e == nil {
			o = outcome{nil, interrupted()}
		}
		return o.b, o.e
	case <-time.After(interruptGrace):
	}
	finish()
	e := interrupted()
	e.Traceback = append(e.Traceback, "  a compiled call (such as time.Sleep or one long MLX evaluation) is still running in the background;",
		"  the cell stops at its next statement or loop iteration once it returns")
	return nil, e
}

// unknownImport matches yaegi's error for a package it has no symbols for.
var unknownImport = regexp.MustCompile(`^(\S*: )?import "([^"]+)" error: unable to find source`)

// compiled is one yaegi program of a cell.
type compiled struct {
	prog *yaegi.Program
	line int // for panics in declarations: the line of the first var with a value
}

func (s *Session) execute(ctx context.Context, file, code string) (*display.Bundle, *Error) {
	vals, ok, e := s.executeVals(ctx, file, code)
	if e != nil || !ok {
		return nil, e
	}
	b, e := s.render(vals, file)
	if e != nil {
		return nil, e
	}
	return &b, nil
}

// executeVals runs a cell and returns its result values (ok false when it
// has none).
func (s *Session) executeVals(ctx context.Context, file, code string) (vals []any, ok bool, e *Error) {
	pc, perr := parseCell(s.fset, file, code)
	if perr != nil {
		return nil, false, s.compileError(perr)
	}
	if len(pc.items) == 0 {
		return nil, false, nil
	}
	pkgNames := map[string]bool{}
	s.state.Lock()
	for n := range s.imports {
		pkgNames[n] = true
	}
	s.state.Unlock()
	pc.imports = map[string]string{}
	for _, it := range pc.items {
		if it.kind == itemImport {
			for _, sp := range it.decl.(*ast.GenDecl).Specs {
				is := sp.(*ast.ImportSpec)
				name := s.importName(is)
				pkgNames[name] = true
				pc.imports[name], _ = strconv.Unquote(is.Path.Value)
			}
		}
	}
	s.varsAsStatements(pc)
	pc.analyse(pkgNames)
	if e := s.ghostUse(pc); e != nil {
		return nil, false, e
	}
	s.rootPos = rootPos(s.fset, file)

	// Every cell imports the session's packages (yaegi scopes imports by
	// file) and its own new ones.
	var importItems []*item
	for _, it := range pc.items {
		if it.kind == itemImport {
			importItems = append(importItems, it)
		}
	}
	imf, newSpecs, ierr := s.importFile(file, importItems)
	if ierr != nil {
		return nil, false, ierr
	}
	if _, err := s.compile(imf); err != nil {
		if m := unknownImport.FindStringSubmatch(err.Error()); m != nil {
			err = fmt.Errorf("%s: cannot import %q: cells can import the standard library (as of Go 1.22, as yaegi has it) and %s, %s and %s",
				strings.TrimSuffix(m[1], ": "), m[2], mlxPath, gradPath, displayPath)
		}
		return nil, false, s.compileError(err)
	}
	s.commitImports(newSpecs)
	// The result: the last statement, if it is an expression with a value.
	var result *ast.ExprStmt
	kind := kindVoid
	if last := pc.lastItem(); last != nil && last.kind == itemStmt {
		if es, ok := last.stmts[len(last.stmts)-1].(*ast.ExprStmt); ok {
			result = es
			kind = s.exprKind(es.X, pc)
		}
	}

	cell := s.cellNumber()
	keep := declaredNames(pc) // min, max, clear declared by the cell or the session
	globals := s.globals()
	for n := range builtinNames {
		s.state.Lock()
		_, isFunc := s.funcs[n]
		_, isType := s.types[n]
		s.state.Unlock()
		if _, isVar := globals[n]; isFunc || isType || isVar {
			keep[n] = true
		}
	}
	for _, it := range pc.items {
		var err error
		if it.decl != nil {
			err = s.rewriteRangeFunc(it.decl, pc)
		} else if len(it.stmts) > 0 {
			blk := &ast.BlockStmt{List: it.stmts}
			err = s.rewriteRangeFunc(blk, pc)
			it.stmts = blk.List
		}
		if err != nil {
			return nil, false, s.compileError(err)
		}
	}
	var cellFuncs []*ast.FuncDecl
	for _, it := range pc.items {
		if fd, ok := it.decl.(*ast.FuncDecl); ok {
			cellFuncs = append(cellFuncs, fd)
		}
	}
	recursive := s.recursiveFuncs(cellFuncs)
	for _, it := range pc.items {
		if it.decl != nil {
			rewriteGo(it.decl, file, s.fset)
			rewriteBuiltins(it.decl, keep)
			rewriteLoops(it.decl)
			if fd, ok := it.decl.(*ast.FuncDecl); ok {
				checkRecursion(fd, recursive, keep["len"])
			}
			rewriteStmtPos(it.decl, cell, s.fset)
		}
		for i, st := range it.stmts {
			st = rewriteGo(blockTypeSwitch(st), file, s.fset).(ast.Stmt)
			rewriteBuiltins(st, keep)
			rewriteLoops(st)
			rewriteStmtPos(st, cell, s.fset)
			it.stmts[i] = deferToCall(st, cell)
			rewriteDefer(it.stmts[i], cell)
		}
	}

	chunks := pc.order()
	// A result whose type may be one the session declares with any of
	// richMethods goes through richHelper's function; it is compiled alone.
	rich := result != nil && kind != kindVoid && !isNil(result.X) && (s.hasRichMethods() || declaresRich(pc)) && s.singleValue(result.X, pc)
	if result != nil && (kind == kindUnknown || rich) {
		// Evaluate it alone, so that a failed attempt at capturing its
		// value (a void call) leaves nothing half-compiled.
		n := len(chunks) - 1
		last := chunks[n].items[len(chunks[n].items)-1]
		if len(last.stmts) > 1 || len(chunks[n].items) > 1 {
			head := *last
			head.stmts = last.stmts[:len(last.stmts)-1]
			tail := *last
			tail.stmts = last.stmts[len(last.stmts)-1:]
			items := append(append([]*item(nil), chunks[n].items[:len(chunks[n].items)-1]...), &head)
			if len(head.stmts) == 0 {
				items = items[:len(items)-1]
			}
			chunks[n].items = items
			if len(items) == 0 {
				chunks = chunks[:n]
			}
			chunks = append(chunks, chunk{kind: itemStmt, items: []*item{&tail}})
		}
	}

	// Types the cell changes get new names (retype.go).
	plan := s.planRetype(chunks)
	if names := s.typeRenames(plan); names != nil {
		for _, it := range pc.items {
			if it.decl != nil {
				renameTypes(it.decl, names)
			}
			for _, st := range it.stmts {
				renameTypes(st, names)
			}
		}
	}

	var progs []compiled
	for ci, c := range chunks {
		lastChunk := ci == len(chunks)-1
		switch c.kind {
		case itemImport:
			continue // done above
		case itemDecl:
			f := &ast.File{Package: s.rootPos, Name: ast.NewIdent("main")}
			line := 0
			for _, it := range c.items {
				f.Decls = append(f.Decls, it.decl)
				if g, ok := it.decl.(*ast.GenDecl); ok && g.Tok == token.VAR && line == 0 {
					line = it.line
				}
			}
			retyping := plan != nil && ci == plan.trigger
			if retyping {
				f.Decls = append(f.Decls, plan.carried...)
			}
			prog, err := s.compile(f)
			if err != nil {
				var carried *retypePlan
				if retyping {
					err = s.retypeError(err, file, plan)
					carried = plan
				}
				e := s.chunkError(pc, c, err)
				s.resyncFrame()
				s.restoreFuncs(c.items, carried)
				return nil, false, e
			}
			progs = append(progs, compiled{prog: prog, line: line})
			redefined := s.redefinedFuncs(c.items)
			s.recordDecls(c.items)
			if retyping {
				s.commitRetype(plan)
			} else if dep := s.recompileDependents(redefined, c.items); dep != nil {
				progs = append(progs, compiled{prog: dep})
			}
		case itemStmt:
			pre, rest, gerr := s.genericSegments(c, pc, file)
			if gerr != nil {
				e := s.chunkError(pc, c, gerr)
				s.resyncFrame()
				return nil, false, e
			}
			for _, p := range pre {
				progs = append(progs, compiled{prog: p})
			}
			c = rest
			capture := lastChunk && result != nil && kind != kindVoid
			var prog *yaegi.Program
			var err error
			if capture && rich {
				if helper := s.richHelper(file); helper != "" {
					prog, err = s.compileStmts(c, captureRich, result, helper)
				}
			}
			if prog == nil {
				mode := captureNone
				if capture {
					mode = captureValue
				}
				prog, err = s.compileStmts(c, mode, result, "")
			}
			if err != nil && capture {
				// Not a value after all (a void call): run it as a statement.
				if prog2, err2 := s.compileStmts(c, captureNone, result, ""); err2 == nil {
					prog, err = prog2, nil
				}
			}
			if err != nil {
				e := s.chunkError(pc, c, err)
				s.resyncFrame()
				return nil, false, e
			}
			progs = append(progs, compiled{prog: prog})
		}
	}

	var runErr *Error
	for _, p := range progs {
		if p.line > 0 {
			s.line.Store(int64(p.line))
		}
		if runErr = s.run(ctx, file, p.prog); runErr != nil {
			break
		}
	}
	if e := s.runDeferred(file); runErr == nil {
		runErr = e
	}
	if runErr != nil {
		return nil, false, runErr
	}
	if plan != nil {
		if note := staleNote(s.staleVariables(plan)); note != "" {
			if ex := s.route(); ex != nil {
				ex.write("stderr", []byte(note))
			}
		}
	}
	s.state.Lock()
	goErr := s.goErr
	vals, ok = s.captured, s.captureOK
	s.state.Unlock()
	if goErr != nil {
		return nil, false, goErr
	}
	return vals, ok, nil
}

// cellNumber is the number of the cell that runs (Execute holds s.mu).
func (s *Session) cellNumber() int {
	s.state.Lock()
	defer s.state.Unlock()
	return s.nCells
}

// chunkError is the Error of a chunk that does not compile, with the
// notes that explain yaegi's errors about range over functions, undefined
// names and generic functions.
func (s *Session) chunkError(pc *parsedCell, c chunk, err error) *Error {
	return s.compileError(s.genericNote(pc, c, s.explain(pc, c, s.rangeNote(c, err))))
}

// resyncFrame runs an empty program after a failed compile: yaegi may have
// declared variables of the cell without making room for them in its global
// frame, which breaks reading the globals (completion) until a program runs.
func (s *Session) resyncFrame() {
	defer func() { _ = recover() }()
	if prog, err := s.compile(&ast.BlockStmt{Lbrace: s.rootPos, Rbrace: s.rootPos}); err == nil {
		s.in.Execute(prog)
	}
}

// compile compiles one AST, turning a panic of yaegi's compiler into an
// error.
func (s *Session) compile(n ast.Node) (prog *yaegi.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(unwrapPanic(r))
			if m := callNonFunc.FindStringSubmatch(msg); m != nil {
				err = fmt.Errorf("%s: invalid operation: cannot call non-function (value of type %s)", m[1], m[2])
				return
			}
			err = fmt.Errorf("the interpreter failed on this cell (internal error: %s); "+
				"the cell may misspell a name or method, or use a Go feature yaegi does not support, such as range over a function", msg)
		}
	}()
	return s.in.CompileAST(n)
}

// libraryTrail matches the frames yaegi writes for the packages it
// interprets from source: their positions name no file.
var libraryTrail = regexp.MustCompile(`^\d+:\d+: panic: .*\(\.\.\.\)\s*$`)

// callNonFunc matches yaegi's compiler panic on a call of a value that is
// not a function.
var callNonFunc = regexp.MustCompile(`^(cell\d+:\d+:\d+): CFG post-order panic: reflect: NumIn of non-func type (.+)$`)

// How compileStmts treats the result statement.
const (
	captureNone  = iota // run it as a statement
	captureValue        // pass its values to the session (_mlxgo.Capture)
	captureRich         // and its one value through the cell's rich helper first
)

// singleValue reports whether e is known to have exactly one value: it is
// not a call, or it calls a function or method of the session (or of the
// cell) with one result, a package's function with one result, or it is
// a conversion. (yaegi accepts v := f() for an f with two results.)
func (s *Session) singleValue(e ast.Expr, pc *parsedCell) bool {
	call, ok := unparen(e).(*ast.CallExpr)
	if !ok {
		return true
	}
	one := func(d *ast.FuncDecl) bool {
		r := d.Type.Results
		return r != nil && len(r.List) == 1 && len(r.List[0].Names) <= 1
	}
	switch fn := unparen(call.Fun).(type) {
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType, *ast.StructType, *ast.StarExpr:
		return true // a conversion
	case *ast.Ident:
		if d := pc.funcDecl(fn.Name); d != nil {
			return one(d)
		}
		for _, it := range pc.items {
			if slices.Contains(it.defs, fn.Name) {
				// declared in this cell: a type (a conversion) or a var
				g, ok := it.decl.(*ast.GenDecl)
				return ok && g.Tok == token.TYPE
			}
		}
		s.state.Lock()
		defer s.state.Unlock()
		if fi := s.funcs[fn.Name]; fi != nil {
			return one(fi.decl)
		}
		_, isType := s.types[fn.Name]
		return isType
	case *ast.SelectorExpr:
		if x, ok := fn.X.(*ast.Ident); ok {
			if p, isPkg := s.packagePath(x.Name, pc); isPkg {
				sym, ok := s.exports[p][fn.Sel.Name]
				return ok && (sym.Kind() != reflect.Func || sym.Type().NumOut() == 1)
			}
		}
		// A method: every method of that name the session or the cell
		// declares must have one result.
		found := false
		for _, it := range pc.items {
			if d, ok := it.decl.(*ast.FuncDecl); ok && d.Recv != nil && d.Name.Name == fn.Sel.Name {
				if !one(d) {
					return false
				}
				found = true
			}
		}
		s.state.Lock()
		defer s.state.Unlock()
		for _, ms := range s.methods {
			for _, d := range ms {
				if d.Name.Name == fn.Sel.Name {
					if !one(d) {
						return false
					}
					found = true
				}
			}
		}
		return found
	}
	return false
}

// isNil reports whether e is the identifier nil (which the rich helper
// cannot take: yaegi logs its failure to compile).
func isNil(e ast.Expr) bool {
	id, ok := unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

// declaresRich reports whether a cell declares a method among richMethods.
func declaresRich(pc *parsedCell) bool {
	for _, it := range pc.items {
		if d, ok := it.decl.(*ast.FuncDecl); ok && d.Recv != nil && richMethods[d.Name.Name] {
			return true
		}
	}
	return false
}

// compileStmts compiles a chunk of statements, each preceded by a line
// marker; with capture (captureValue or captureRich), the result
// statement's value goes to the session.
func (s *Session) compileStmts(c chunk, mode int, result *ast.ExprStmt, helper string) (*yaegi.Program, error) {
	capture := mode != captureNone
	block := &ast.BlockStmt{Lbrace: c.items[0].root}
	var orig ast.Expr
	if result != nil {
		orig = result.X
	}
	for _, it := range c.items {
		for _, st := range it.stmts {
			p := st.Pos()
			block.List = append(block.List, &ast.ExprStmt{X: rtCall(p, "Line", intLit(p, s.fset.Position(p).Line))})
			if capture && st == ast.Stmt(result) {
				block.List = append(block.List, &ast.ExprStmt{X: rtCall(p, "Expect", intLit(p, s.cellNumber()))})
			}
			block.List = append(block.List, st)
		}
	}
	if result != nil {
		switch mode {
		case captureRich:
			// func() { _mlxgoV := orig; _mlxgo.Capture(_mlxgoV); helper(_mlxgoV) }():
			// the value keeps its static type for Capture (a generic
			// helper's result would lose its String method there).
			p := orig.Pos()
			v := func() *ast.Ident { return &ast.Ident{NamePos: p, Name: "_mlxgoV"} }
			body := &ast.BlockStmt{Lbrace: p, Rbrace: p, List: []ast.Stmt{
				&ast.AssignStmt{Lhs: []ast.Expr{v()}, TokPos: p, Tok: token.DEFINE, Rhs: []ast.Expr{orig}},
				&ast.ExprStmt{X: rtCall(p, "Capture", v())},
				&ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.Ident{NamePos: p, Name: helper}, Lparen: p, Args: []ast.Expr{v()}, Rparen: p}},
			}}
			lit := &ast.FuncLit{Type: &ast.FuncType{Func: p, Params: &ast.FieldList{Opening: p, Closing: p}}, Body: body}
			result.X = &ast.CallExpr{Fun: lit, Lparen: p, Rparen: p}
		case captureValue:
			result.X = rtCall(orig.Pos(), "Capture", orig)
		default:
			result.X = orig
		}
		defer func() { result.X = orig }()
	}
	block.Rbrace = block.List[len(block.List)-1].End()
	return s.compile(block)
}

// run executes a program; a panic or an interrupt becomes an Error.
func (s *Session) run(ctx context.Context, file string, prog *yaegi.Program) *Error {
	if ctx.Err() != nil {
		return interrupted()
	}
	// No cancellation for yaegi: it would break closures of earlier cells
	// (see interrupt.go).
	_, err := s.in.Execute(prog)
	if err == nil {
		return nil
	}
	var p yaegi.Panic
	if errors.As(err, &p) {
		frames := s.takeTrail(goid())
		if isInterrupt(p.Value) {
			return interrupted()
		}
		return s.panicError(unwrapPanic(p.Value), frames, file, int(s.line.Load()), false)
	}
	return newError("Error", oneLine(err.Error()))
}

// render makes the result bundle; rendering can evaluate arrays and fail.
func (s *Session) render(vals []any, file string) (b display.Bundle, e *Error) {
	defer func() {
		if r := recover(); r != nil {
			e = s.panicError(unwrapPanic(r), nil, file, int(s.line.Load()), false)
		}
	}()
	if len(vals) == 1 {
		s.state.Lock()
		v, parts := s.richValue, s.richParts
		s.state.Unlock()
		if len(parts) == 0 {
			return display.Of(vals[0]), nil
		}
		b := display.Of(v)
		return addRich(b, display.RichBundle(b.Text(), parts)), nil
	}
	parts := make([]string, len(vals))
	sep := " "
	for i, v := range vals {
		parts[i] = display.Of(v).Text()
		if strings.Contains(parts[i], "\n") {
			sep = "\n\n"
		}
	}
	return display.Bundle{Data: map[string]any{display.MIMEText: strings.Join(parts, sep)}}, nil
}

// addRich returns b with the MIME types of rich that it lacks (b's maps are
// copied, not changed).
func addRich(b, rich display.Bundle) display.Bundle {
	out := display.Bundle{Data: maps.Clone(b.Data), Metadata: maps.Clone(b.Metadata)}
	if out.Data == nil {
		out.Data = map[string]any{}
	}
	for k, v := range rich.Data {
		if _, ok := out.Data[k]; ok {
			continue
		}
		out.Data[k] = v
		if m, ok := rich.Metadata[k]; ok {
			if out.Metadata == nil {
				out.Metadata = map[string]any{}
			}
			out.Metadata[k] = m
		}
	}
	return out
}

// importName returns the name an import spec binds.
func (s *Session) importName(sp *ast.ImportSpec) string {
	if sp.Name != nil {
		return sp.Name.Name
	}
	p, _ := strconv.Unquote(sp.Path.Value)
	return s.packageName(p)
}

// packageName returns the package name of an import path.
func (s *Session) packageName(p string) string {
	if n, ok := s.pkgNames[p]; ok {
		return n
	}
	return path.Base(p)
}

// importFile builds the import declaration of a cell's file: the session's
// imports (preloaded ones included) and the new ones among the cell's
// import items. It refuses a name already bound to another package.
func (s *Session) importFile(file string, items []*item) (*ast.File, []*ast.ImportSpec, *Error) {
	root := rootPos(s.fset, file)
	s.state.Lock()
	imports := make(map[string]string, len(s.imports))
	for k, v := range s.imports {
		imports[k] = v
	}
	dots := sortedKeys(s.dots)
	s.state.Unlock()
	spec := func(name, p string) *ast.ImportSpec {
		is := &ast.ImportSpec{Path: &ast.BasicLit{ValuePos: root, Kind: token.STRING, Value: strconv.Quote(p)}}
		if name != "" {
			is.Name = &ast.Ident{NamePos: root, Name: name}
		}
		return is
	}
	specs := []ast.Spec{spec(rtName, rtPath)}
	for _, name := range sortedKeys(imports) {
		specs = append(specs, spec(name, imports[name]))
	}
	for _, p := range dots {
		specs = append(specs, spec(".", p))
	}
	var added []*ast.ImportSpec
	seen := map[string]string{}
	for _, it := range items {
		for _, sp := range it.decl.(*ast.GenDecl).Specs {
			is := sp.(*ast.ImportSpec)
			p, _ := strconv.Unquote(is.Path.Value)
			name := s.importName(is)
			if name == "_" {
				continue
			}
			if name == "." {
				if !s.dots[p] && !slices.Contains(dots, p) {
					dots = append(dots, p)
					specs = append(specs, is)
					added = append(added, is)
				}
				continue
			}
			have, ok := imports[name]
			if !ok {
				have, ok = seen[name]
			}
			if ok && have == p {
				continue
			}
			if ok {
				pos := s.fset.Position(is.Pos())
				value := fmt.Sprintf("%d:%d: %s is already imported as %q; import %q under another name, e.g. import %s %q",
					pos.Line, pos.Column, name, have, p, "my"+name, p)
				w, src := s.where(pos.Filename, pos.Line)
				return nil, nil, newError("CompileError", value, "  "+w+":", "    "+src)
			}
			seen[name] = p
			specs = append(specs, is)
			added = append(added, is)
		}
	}
	gd := &ast.GenDecl{TokPos: root, Tok: token.IMPORT, Lparen: root, Specs: specs, Rparen: root}
	return &ast.File{Package: root, Name: &ast.Ident{NamePos: root, Name: "main"}, Decls: []ast.Decl{gd}}, added, nil
}

// commitImports records imports that compiled.
func (s *Session) commitImports(specs []*ast.ImportSpec) {
	s.state.Lock()
	defer s.state.Unlock()
	for _, is := range specs {
		p, _ := strconv.Unquote(is.Path.Value)
		if n := s.importName(is); n == "." {
			s.dots[p] = true
		} else {
			s.imports[n] = p
		}
	}
}

// recordDecls remembers the functions, types and methods a cell declared,
// for completion and inspection.
func (s *Session) recordDecls(items []*item) {
	s.state.Lock()
	defer s.state.Unlock()
	for _, it := range items {
		switch d := it.decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				s.funcs[d.Name.Name] = &funcInfo{decl: d}
				delete(s.types, d.Name.Name)
				continue
			}
			ms := s.methods[it.recv][:0:0]
			for _, m := range s.methods[it.recv] {
				if m.Name.Name != d.Name.Name {
					ms = append(ms, m)
				}
			}
			s.methods[it.recv] = append(ms, d)
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					name := userTypeName(sp.Name.Name)
					s.types[name] = &typeInfo{gen: d, spec: sp}
					delete(s.funcs, name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						delete(s.funcs, n.Name)
						delete(s.types, n.Name)
					}
				}
			}
		}
	}
}

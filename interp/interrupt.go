package interp

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Interrupts.
//
// yaegi's own cancellation (ExecuteWithContext) changes the interpreter's
// run id, and interpreted closures created in earlier cells and held by
// compiled code (gradient functions, say) keep the old id in their frames:
// after one cancel they return zero values. So cells run with no
// cancellation at all, and stop another way:
//
//   - rewriteLoops puts a test of _mlxgo.Stopping, and a call of
//     _mlxgo.Check when it is set, at the top of every loop body of a cell
//     (functions declared in it included), and each line marker
//     (_mlxgo.Line) checks too. Check stops the goroutine that runs it
//     when that goroutine belongs to an interrupted cell.
//   - Execute runs the cell on a goroutine of its own. When the context is
//     done it marks that goroutine as interrupted and waits a moment for it
//     to stop (an interpreted loop stops at once, an MLX loop at its next
//     op); a compiled call that goes on (time.Sleep, one long evaluation)
//     is left running in the background, and Execute returns Interrupted
//     at once. The next cells run meanwhile; the interrupted cell stops at
//     its next check once the call returns.
//   - The goroutines a cell starts, and those they start, belong to the
//     cell (its tree, see below), and stop with it, each at its next check: the interrupt's panic ends the
//     goroutine silently (its recoverer drops it). A panic rather than
//     runtime.Goexit: MLX's callbacks recover panics and raise them again
//     once the C++ code has returned; Goexit would skip the C++ frames.
//     Goroutines of cells that ended before keep running.

// interruptSignal is what Check panics with in an interrupted cell.
type interruptSignal struct{}

func (interruptSignal) String() string { return "the cell was interrupted" }

// interruptGrace is how long Execute waits for an interrupted cell to stop
// before leaving it in the background.
const interruptGrace = 300 * time.Millisecond

// While goroutines of an interrupted cell still run, the loops of every
// goroutine call Check. After stopWindow the flag is raised only stopPulse
// in every stopPeriod, so that a goroutine blocked for good (on a channel
// nobody sends to) does not slow down the session's later loops; one that
// wakes up later still stops within about stopPeriod of looping.
const (
	stopWindow = 2 * time.Second
	stopPeriod = time.Second
	stopPulse  = 20 * time.Millisecond
)

// Trees. A cell runs on a goroutine of its own, the root of its tree. At
// its first statement the root takes profiler labels of its own
// (mlxgo-cell=cellN); the runtime gives every goroutine the labels of the
// goroutine that starts it, so the goroutines a cell starts, and those they
// start, carry its labels, and a goroutine finds its tree by reading its
// labels: no goroutine id, no stack dump. (A cell that sets profiler labels
// itself, with pprof.Do, takes the goroutines it starts meanwhile out of
// its tree.)

// getProfLabel returns the current goroutine's profiler labels (the
// runtime's pointer: runtime/pprof's own accessor, which the runtime keeps
// for linkname, go.dev/issue/67401).
//
//go:linkname getProfLabel runtime/pprof.runtime_getProfLabel
func getProfLabel() unsafe.Pointer

// stopper records the cells' trees and stops those of interrupted cells.
type stopper struct {
	n atomic.Int32 // stopped trees (and stopped roots not labelled yet): Check's fast path
	// overflow is set while the stack watch stops a cell (Execute).
	overflow atomic.Bool
	// flag is *_mlxgo.Stopping: loops call Check when len(*_mlxgo.Stopping)
	// is not 0. It holds one element while a tree is stopped (see watch). A
	// channel's length may be read while another goroutine sends or
	// receives, so the loops' read races with nothing (a bool would); it
	// costs a little more than a bool's read (bench: BenchmarkLoopCheck).
	// The channel is made once, when the session declares its helpers
	// (_mlxgoReady, builtins.go), before any cell runs, and never replaced.
	flag chan struct{}
	once sync.Once
	// ran is added to by every line marker: after the cell's programs are
	// compiled, so that an Execute that interrupts the cell (stop reads it)
	// sees that compilation as done before it returns and the next cell
	// compiles.
	ran  atomic.Uint32
	sess atomic.Pointer[Session] // for stop's note of the cell's fate

	mu       sync.Mutex
	trees    map[unsafe.Pointer]*cellTree // labels -> tree: while its root runs, or while stopped
	roots    map[int64]*cellTree          // root goroutine id -> tree, while it runs
	early    map[int64]bool               // roots stopped before their first statement
	lastDone int64                        // the root that ended last
	watching bool                         // watch runs
}

// cellTree is the goroutines of one cell.
type cellTree struct {
	labels   unsafe.Pointer
	live     int // goroutines its go statements started that run
	stopped  bool
	rootDone bool // the root's goroutine ended
	since    time.Time
}

// ready makes the flag's channel.
func (st *stopper) ready() {
	st.once.Do(func() { st.flag = make(chan struct{}, 1) })
}

// raise sets (on) or clears the flag; the caller holds mu.
func (st *stopper) raise(on bool) {
	if on {
		select {
		case st.flag <- struct{}{}:
		default:
		}
		return
	}
	select {
	case <-st.flag:
	default:
	}
}

// stop marks the tree of root gid (a cell's goroutine) as interrupted.
func (st *stopper) stop(gid int64) {
	st.ready()
	st.ran.Load() // see ran
	if s := st.sess.Load(); s != nil {
		s.noteInterrupt()
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	t := st.roots[gid]
	switch {
	case t != nil && t.stopped:
		t.since = time.Now()
	case t != nil:
		t.stopped, t.since = true, time.Now()
		st.n.Add(1)
	case gid == st.lastDone:
		return // it ended just before the interrupt came
	default:
		// No statement ran yet: the root stops at its first (root).
		if st.early == nil {
			st.early = map[int64]bool{}
		}
		if st.early[gid] {
			return
		}
		st.early[gid] = true
		st.n.Add(1)
	}
	st.raise(true)
	if !st.watching {
		st.watching = true
		go st.watch()
	}
}

// done records that root gid's goroutine ended.
func (st *stopper) done(gid int64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.lastDone = gid
	if st.early[gid] {
		delete(st.early, gid)
		st.n.Add(-1)
		st.lower()
	}
	t := st.roots[gid]
	if t == nil {
		return
	}
	delete(st.roots, gid)
	t.rootDone = true
	if !t.stopped {
		delete(st.trees, t.labels) // the goroutines it started go on as background work
		return
	}
	st.release(t)
}

// release forgets a stopped tree once none of its goroutines runs; the
// caller holds mu.
func (st *stopper) release(t *cellTree) {
	if !t.stopped || !t.rootDone || t.live > 0 {
		return
	}
	delete(st.trees, t.labels)
	st.n.Add(-1)
	st.lower()
}

// lower clears the flag when nothing is stopped; the caller holds mu.
func (st *stopper) lower() {
	if st.n.Load() == 0 {
		st.raise(false)
	}
}

// watch keeps the flag raised while trees are stopped: all the time during
// stopWindow after the last interrupt, then in pulses (see stopWindow). It
// returns when nothing is stopped.
func (st *stopper) watch() {
	for {
		time.Sleep(stopPulse)
		st.mu.Lock()
		s := st.sess.Load()
		if st.n.Load() == 0 || s != nil && s.closed.Load() {
			st.raise(false)
			st.watching = false
			st.mu.Unlock()
			return
		}
		var last time.Time
		for _, t := range st.trees {
			if t.stopped && t.since.After(last) {
				last = t.since
			}
		}
		since := time.Since(last)
		st.raise(len(st.early) > 0 || since < stopWindow || since%stopPeriod < stopPulse)
		st.mu.Unlock()
	}
}

// root is called at each top-level statement, on the cell's goroutine: the
// first time, the goroutine takes labels of its own and starts its tree.
// It reports whether the tree is stopped.
func (st *stopper) root(s *Session) bool {
	l := getProfLabel()
	st.mu.Lock()
	t := st.trees[l]
	st.mu.Unlock()
	if t != nil {
		return t.stopped
	}
	gid := goid()
	s.state.Lock()
	file := s.curFile
	s.state.Unlock()
	pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels("mlxgo-cell", file)))
	t = &cellTree{labels: getProfLabel()}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.trees == nil {
		st.trees, st.roots = map[unsafe.Pointer]*cellTree{}, map[int64]*cellTree{}
	}
	st.trees[t.labels] = t
	st.roots[gid] = t
	if st.early[gid] {
		delete(st.early, gid)
		t.stopped, t.since = true, time.Now()
	}
	return t.stopped
}

// Operations of _mlxgo.Check in rewritten code.
const (
	opReady = "ready" // in the helpers every session declares first: makes the flag
	opLoop  = "loop"  // a loop's check (rewriteLoops)
	opStart = "start" // first in a goroutine a go statement starts (rewriteGo)
	opEnd   = "end"   // deferred in that goroutine, with what it recovered: 1 if there is no panic to report
)

// check is _mlxgo.Check. Without arguments it is the line markers' check
// (setLine), on the cell's own goroutine; with opLoop, a loop's, on any
// goroutine. Both panic with interruptSignal when the goroutine belongs to
// the tree of an interrupted cell. opStart and opEnd count the goroutines
// of a tree.
func (s *Session) check(op ...any) int64 {
	st := &s.stops
	st.ready()
	st.ran.Add(1)
	if st.sess.Load() == nil {
		st.sess.Store(s)
	}
	if len(op) == 0 {
		if st.root(s) {
			panic(interruptSignal{})
		}
		return 0
	}
	name, _ := op[0].(string)
	switch name {
	case opLoop:
		if st.n.Load() == 0 {
			return 0
		}
		st.mu.Lock()
		t := st.trees[getProfLabel()]
		stopped := t != nil && t.stopped
		early := t == nil && len(st.early) > 0
		st.mu.Unlock()
		if early {
			// Maybe a root stopped before its first statement (a cell of
			// declarations only).
			gid := goid()
			st.mu.Lock()
			stopped = st.early[gid]
			st.mu.Unlock()
		}
		if stopped {
			if st.overflow.Load() {
				// The stack watch: a recursion thousands of calls deep.
				// yaegi recovers and panics again at each interpreted
				// frame, which makes a panic's unwinding quadratic in the
				// depth (minutes); Goexit's runs each frame's defers once.
				runtime.Goexit()
			}
			panic(interruptSignal{})
		}
	case opStart:
		st.mu.Lock()
		t := st.trees[getProfLabel()]
		stopped := false
		if t != nil {
			t.live++
			stopped = t.stopped
		}
		st.mu.Unlock()
		if stopped {
			panic(interruptSignal{})
		}
	case opEnd:
		st.mu.Lock()
		if t := st.trees[getProfLabel()]; t != nil {
			t.live--
			st.release(t)
		}
		st.mu.Unlock()
		var r any
		if len(op) > 1 {
			r = op[1]
		}
		if r == nil {
			return 1
		}
		if isInterrupt(r) {
			s.takeTrail(goid()) // the frames the interrupt unwound
			return 1
		}
	}
	return 0
}

// isInterrupt reports whether a panic value is the interrupt's.
func isInterrupt(v any) bool {
	_, ok := unwrapPanic(v).(interruptSignal)
	return ok
}

// rewriteLoops makes every for and range loop under n start its body with
//
//	if len(*_mlxgo.Stopping) > 0 { _mlxgo.Check("loop") }
//
// (a call costs more than the flag's read; Stopping is a pointer: yaegi
// reads a package's variable once, when it compiles the cell). A loop whose
// body starts with _mlxgo.Check("loop") already (checkEveryIteration) is
// left alone.
func rewriteLoops(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		body := loopBody(n)
		if body == nil || startsWithCheck(body) {
			return true
		}
		body.List = append([]ast.Stmt{flagCheck(body.Lbrace)}, body.List...)
		return true
	})
}

// flagCheck is `if len(*_mlxgo.Stopping) > 0 { _mlxgo.Check("loop") }`.
func flagCheck(p token.Pos) ast.Stmt {
	flag := &ast.StarExpr{Star: p, X: &ast.SelectorExpr{X: &ast.Ident{NamePos: p, Name: rtName}, Sel: &ast.Ident{NamePos: p, Name: "Stopping"}}}
	cond := &ast.BinaryExpr{
		X:     &ast.CallExpr{Fun: &ast.Ident{NamePos: p, Name: "len"}, Lparen: p, Args: []ast.Expr{flag}, Rparen: p},
		OpPos: p, Op: token.GTR,
		Y: &ast.BasicLit{ValuePos: p, Kind: token.INT, Value: "0"},
	}
	return &ast.IfStmt{If: p, Cond: cond, Body: &ast.BlockStmt{Lbrace: p, Rbrace: p, List: []ast.Stmt{loopCheck(p)}}}
}

// checkRecursion starts the body of a recursive function (recursive
// names the session's and the cell's) with the interrupt check, so that
// an interrupt, or the stack watch, stops a recursion that does not end.
// Other functions go without: in yaegi the check costs about 0.3 µs a call.
// ownLen: the cell or session declares len (see checkEveryIteration).
func checkRecursion(d *ast.FuncDecl, recursive map[string]bool, ownLen bool) {
	if d.Body == nil || !recursive[funcKey(d)] || startsWithCheck(d.Body) {
		return
	}
	st := flagCheck(d.Body.Lbrace)
	if ownLen {
		st = loopCheck(d.Body.Lbrace)
	}
	d.Body.List = append([]ast.Stmt{st}, d.Body.List...)
}

// funcKey names a function, or a method as Type.Method.
func funcKey(d *ast.FuncDecl) string {
	if d.Recv != nil && len(d.Recv.List) > 0 {
		return userTypeName(baseTypeName(d.Recv.List[0].Type)) + "." + d.Name.Name
	}
	return d.Name.Name
}

// recursiveFuncs returns the functions and methods (funcKey) of decls and
// of the session that may call themselves, directly or through others: a
// function's calls are the names it uses, a method's also the methods of
// that name of any type.
func (s *Session) recursiveFuncs(decls []*ast.FuncDecl) map[string]bool {
	if len(decls) == 0 {
		return nil // most cells: no walk over the session's functions
	}
	all := map[string]*ast.FuncDecl{}
	s.state.Lock()
	for name, fi := range s.funcs {
		all[name] = fi.decl
	}
	for _, ms := range s.methods {
		for _, m := range ms {
			all[funcKey(m)] = m
		}
	}
	s.state.Unlock()
	for _, d := range decls {
		all[funcKey(d)] = d
	}
	byMethod := map[string][]string{} // method name -> keys
	for k, d := range all {
		if d.Recv != nil {
			byMethod[d.Name.Name] = append(byMethod[d.Name.Name], k)
		}
	}
	calls := map[string][]string{}
	for k, d := range all {
		if d.Body == nil {
			continue
		}
		ast.Inspect(d.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if _, ok := all[n.Name]; ok {
					calls[k] = append(calls[k], n.Name)
				}
			case *ast.SelectorExpr:
				calls[k] = append(calls[k], byMethod[n.Sel.Name]...)
			}
			return true
		})
	}
	recursive := map[string]bool{}
	for _, d := range decls {
		start := funcKey(d)
		seen := map[string]bool{}
		stack := append([]string(nil), calls[start]...)
		for len(stack) > 0 && !recursive[start] {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if k == start {
				recursive[start] = true
			} else if !seen[k] {
				seen[k] = true
				stack = append(stack, calls[k]...)
			}
		}
	}
	return recursive
}

// checkEveryIteration starts every loop body under n with
// _mlxgo.Check("loop"): for cells where len is not the builtin (see
// builtinNames).
func checkEveryIteration(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		if body := loopBody(n); body != nil && !startsWithCheck(body) {
			body.List = append([]ast.Stmt{loopCheck(body.Lbrace)}, body.List...)
		}
		return true
	})
}

func loopCheck(p token.Pos) ast.Stmt {
	return &ast.ExprStmt{X: rtCall(p, "Check", strLit(p, opLoop))}
}

// loopBody returns the body of a loop.
func loopBody(n ast.Node) *ast.BlockStmt {
	switch l := n.(type) {
	case *ast.ForStmt:
		return l.Body
	case *ast.RangeStmt:
		return l.Body
	}
	return nil
}

// The stack watch (Execute): a cell whose goroutines' stacks pass
// maxCellStacks is stopped as if interrupted, with stackOverflow's error.
// Go would end the process at a goroutine stack of 1 GB.
const (
	maxCellStacks   = 128 << 20
	stackWatchEvery = 50 * time.Millisecond
)

// stackMetric is the runtime's count of the bytes of goroutine stacks.
const stackMetric = "/memory/classes/heap/stacks:bytes"

// goroutineStacks returns the bytes of all goroutine stacks.
func goroutineStacks() uint64 {
	sample := []metrics.Sample{{Name: stackMetric}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}

// stackOverflow is the error of a cell the stack watch stopped.
func stackOverflow() *Error {
	return newError("StackOverflow", fmt.Sprintf("the cell's goroutine stacks grew past %d MB: a recursion that does not end?", maxCellStacks>>20))
}

// startsWithCheck reports whether body starts with _mlxgo.Check("loop").
func startsWithCheck(body *ast.BlockStmt) bool {
	if len(body.List) == 0 {
		return false
	}
	es, ok := body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return false
	}
	if lit, ok := call.Args[0].(*ast.BasicLit); !ok || lit.Value != strconv.Quote(opLoop) {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Check" {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == rtName
}

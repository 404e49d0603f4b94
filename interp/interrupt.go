package interp

import (
	"bytes"
	"go/ast"
	"go/token"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
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
//     cell (rewriteGo passes the cell along to each new goroutine), and
//     stop with it, each at its next check: the interrupt's panic ends the
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
// goroutine call Check (which reads the goroutine's id: about a
// microsecond). After stopWindow the flag is raised only stopPulse in every
// stopPeriod, so that a goroutine blocked for good (on a channel nobody
// sends to) does not slow down the session's later loops; one that wakes
// up later still stops within about stopPeriod of looping.
const (
	stopWindow = 2 * time.Second
	stopPeriod = time.Second
	stopPulse  = 20 * time.Millisecond
)

// stopper records which goroutines belong to which cell and stops those of
// interrupted cells.
//
// A cell runs on a goroutine of its own: the root of its tree. A goroutine
// started by a go statement of a cell joins the tree of the goroutine that
// ran the statement; goroutines started otherwise are roots of their own.
type stopper struct {
	n atomic.Int32 // len(stopped): Check's fast path
	// flag is *_mlxgo.Stopping: loops call Check when len(*_mlxgo.Stopping)
	// is not 0. It holds one element while a tree is stopped (see watch). A
	// channel's length may be read while another goroutine sends or
	// receives, so the loops' read races with nothing (a bool would); it
	// costs a little more than a bool's read (bench: BenchmarkLoopCheck).
	// The channel is made once, before the first cell statement or go
	// statement runs (see ready), and never replaced.
	flag chan struct{}
	once sync.Once
	// ran is added to by every line marker: after the cell's programs are
	// compiled, so that an Execute that interrupts the cell (stop reads it)
	// sees that compilation as done before it returns and the next cell
	// compiles.
	ran  atomic.Uint32
	sess atomic.Pointer[Session] // for stop's note of the cell's fate

	mu       sync.Mutex
	stopped  map[int64]*stoppedTree // root -> its tree, while interrupted
	tree     map[int64]int64        // goroutine started by a go statement -> its root
	live     map[int64]int          // root -> how many goroutines of its tree run (the root's own not counted)
	lastDone int64                  // the root that ended last
	watching bool                   // watch runs
}

type stoppedTree struct {
	since    time.Time
	rootDone bool // the root's goroutine ended
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
	if st.stopped == nil {
		st.stopped = map[int64]*stoppedTree{}
	}
	if st.stopped[gid] != nil {
		st.stopped[gid].since = time.Now()
		st.raise(true)
		return
	}
	done := gid == st.lastDone // it ended just before the interrupt came
	if done && st.live[gid] == 0 {
		return
	}
	st.stopped[gid] = &stoppedTree{since: time.Now(), rootDone: done}
	st.n.Add(1)
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
	if t := st.stopped[gid]; t != nil {
		t.rootDone = true
		st.release(gid)
	}
}

// release forgets the stopped tree of root once none of its goroutines
// runs; the caller holds mu.
func (st *stopper) release(root int64) {
	t := st.stopped[root]
	if t == nil || !t.rootDone || st.live[root] > 0 {
		return
	}
	delete(st.stopped, root)
	st.n.Add(-1)
	if len(st.stopped) == 0 {
		st.raise(false)
	}
}

// watch keeps the flag raised while trees are stopped: all the time during
// stopWindow after the last interrupt, then in pulses (see stopWindow). It
// returns when no tree is stopped.
func (st *stopper) watch() {
	for {
		time.Sleep(stopPulse)
		st.mu.Lock()
		s := st.sess.Load()
		if len(st.stopped) == 0 || s != nil && s.closed.Load() {
			st.raise(false)
			st.watching = false
			st.mu.Unlock()
			return
		}
		var last time.Time
		for _, t := range st.stopped {
			if t.since.After(last) {
				last = t.since
			}
		}
		since := time.Since(last)
		st.raise(since < stopWindow || since%stopPeriod < stopPulse)
		st.mu.Unlock()
	}
}

// rootOf returns the root of goroutine gid's tree; the caller holds mu.
func (st *stopper) rootOf(gid int64) (root int64, started bool) {
	if r, ok := st.tree[gid]; ok {
		return r, true
	}
	return gid, false
}

// join adds goroutine gid to the tree of root.
func (st *stopper) join(gid, root int64) (stopped bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.tree == nil {
		st.tree, st.live = map[int64]int64{}, map[int64]int{}
	}
	st.tree[gid] = root
	st.live[root]++
	return st.stopped[root] != nil
}

// leave removes goroutine gid from its tree.
func (st *stopper) leave(gid int64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	root, ok := st.tree[gid]
	if !ok {
		return
	}
	delete(st.tree, gid)
	if st.live[root]--; st.live[root] <= 0 {
		delete(st.live, root)
	}
	st.release(root)
}

// Operations of _mlxgo.Check in the code rewriteGo writes.
const (
	opGo    = "go"    // in the goroutine that runs a go statement: returns its tree's root
	opStart = "start" // first thing in the new goroutine, with that root: joins the tree
	opEnd   = "end"   // deferred in the new goroutine, with what it recovered: leaves the tree; 1 if there is no panic to report
)

// check is _mlxgo.Check. Without arguments it is the interrupt check of
// loops and line markers: it panics with interruptSignal when the
// goroutine that runs it belongs to a stopped tree. With an operation
// (opGo, opStart, opEnd) it keeps the trees.
func (s *Session) check(op ...any) int64 {
	st := &s.stops
	st.ready()
	st.ran.Add(1)
	if st.sess.Load() == nil {
		st.sess.Store(s)
	}
	if len(op) > 0 {
		return s.treeOp(op)
	}
	if st.n.Load() == 0 {
		return 0
	}
	gid := goid()
	st.mu.Lock()
	root, _ := st.rootOf(gid)
	stopped := st.stopped[root] != nil
	st.mu.Unlock()
	if stopped {
		panic(interruptSignal{})
	}
	return 0
}

func (s *Session) treeOp(op []any) int64 {
	st := &s.stops
	name, _ := op[0].(string)
	switch name {
	case opGo:
		gid := goid()
		st.mu.Lock()
		root, _ := st.rootOf(gid)
		st.mu.Unlock()
		return root
	case opStart:
		gid := goid()
		root, _ := op[len(op)-1].(int64)
		if root == 0 {
			// Started by a cell's top-level go statement: its root is the
			// goroutine that created it.
			if root = creator(); root == 0 {
				return 0
			}
		}
		if st.join(gid, root) {
			panic(interruptSignal{})
		}
	case opEnd:
		gid := goid()
		st.leave(gid)
		var r any
		if len(op) > 1 {
			r = op[1]
		}
		if r == nil {
			return 1
		}
		if isInterrupt(r) {
			s.takeTrail(gid) // the frames the interrupt unwound
			return 1
		}
	}
	return 0
}

// creator returns the id of the goroutine that created the calling one
// (0 if unknown), from its stack: "created by f in goroutine N".
func creator() int64 {
	buf := make([]byte, 16<<10)
	b := buf[:runtime.Stack(buf, false)]
	i := bytes.LastIndex(b, []byte(" in goroutine "))
	if i < 0 {
		return 0
	}
	b = b[i+len(" in goroutine "):]
	if j := bytes.IndexByte(b, '\n'); j >= 0 {
		b = b[:j]
	}
	id, _ := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
	return id
}

// isInterrupt reports whether a panic value is the interrupt's.
func isInterrupt(v any) bool {
	_, ok := unwrapPanic(v).(interruptSignal)
	return ok
}

// rewriteLoops makes every for and range loop under n start its body with
//
//	if len(*_mlxgo.Stopping) > 0 { _mlxgo.Check() }
//
// (a call costs more than the flag's read; Stopping is a pointer: yaegi
// reads a package's variable once, when it compiles the cell). A loop whose
// body starts with _mlxgo.Check() already (checkEveryIteration) is left
// alone.
func rewriteLoops(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		body := loopBody(n)
		if body == nil || startsWithCheck(body) {
			return true
		}
		p := body.Lbrace
		flag := &ast.StarExpr{Star: p, X: &ast.SelectorExpr{X: &ast.Ident{NamePos: p, Name: rtName}, Sel: &ast.Ident{NamePos: p, Name: "Stopping"}}}
		cond := &ast.BinaryExpr{
			X:     &ast.CallExpr{Fun: &ast.Ident{NamePos: p, Name: "len"}, Lparen: p, Args: []ast.Expr{flag}, Rparen: p},
			OpPos: p, Op: token.GTR,
			Y: &ast.BasicLit{ValuePos: p, Kind: token.INT, Value: "0"},
		}
		st := &ast.IfStmt{If: p, Cond: cond, Body: &ast.BlockStmt{Lbrace: p, Rbrace: p, List: []ast.Stmt{&ast.ExprStmt{X: rtCall(p, "Check")}}}}
		body.List = append([]ast.Stmt{st}, body.List...)
		return true
	})
}

// checkEveryIteration starts every loop body under n with _mlxgo.Check():
// for cells where len is not the builtin (see builtinNames).
func checkEveryIteration(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		if body := loopBody(n); body != nil && !startsWithCheck(body) {
			body.List = append([]ast.Stmt{&ast.ExprStmt{X: rtCall(body.Lbrace, "Check")}}, body.List...)
		}
		return true
	})
}

func loopBody(n ast.Node) *ast.BlockStmt {
	switch l := n.(type) {
	case *ast.ForStmt:
		return l.Body
	case *ast.RangeStmt:
		return l.Body
	}
	return nil
}

// startsWithCheck reports whether body starts with _mlxgo.Check().
func startsWithCheck(body *ast.BlockStmt) bool {
	if len(body.List) == 0 {
		return false
	}
	es, ok := body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Check" {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == rtName
}

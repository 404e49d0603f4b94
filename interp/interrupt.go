package interp

import (
	"go/ast"
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
//   - rewriteLoops puts a call of _mlxgo.Check at the top of every loop
//     body of a cell (functions declared in it included), and each line
//     marker (_mlxgo.Line) checks too. Check panics with interruptSignal
//     when the goroutine that runs it has been interrupted: one atomic load
//     when nothing is.
//   - Execute runs the cell on a goroutine of its own. When the context is
//     done it marks that goroutine as interrupted and waits a moment for it
//     to stop (an interpreted loop stops at once, an MLX loop at its next
//     op); a compiled call that goes on (time.Sleep, one long evaluation)
//     is left running in the background, and Execute returns Interrupted
//     at once. The next cells run meanwhile; the interrupted cell stops at
//     its next check once the call returns.

// interruptSignal is what Check panics with in an interrupted cell.
type interruptSignal struct{}

func (interruptSignal) String() string { return "the cell was interrupted" }

// interruptGrace is how long Execute waits for an interrupted cell to stop
// before leaving it in the background.
const interruptGrace = 300 * time.Millisecond

// stopper records the goroutines of interrupted cells that still run.
type stopper struct {
	n atomic.Int32 // len(gids): Check's fast path
	// flag is *_mlxgo.Stopping, which loops read before calling Check: a
	// plain bool (yaegi reads it through reflect), set while gids is not
	// empty.
	flag bool
	mu   sync.Mutex
	gids map[int64]bool
}

func (st *stopper) stop(gid int64) {
	st.mu.Lock()
	if st.gids == nil {
		st.gids = map[int64]bool{}
	}
	if !st.gids[gid] {
		st.gids[gid] = true
		st.n.Add(1)
	}
	st.flag = true
	st.mu.Unlock()
}

func (st *stopper) done(gid int64) {
	st.mu.Lock()
	if st.gids[gid] {
		delete(st.gids, gid)
		st.n.Add(-1)
	}
	st.flag = len(st.gids) > 0
	st.mu.Unlock()
}

func (st *stopper) stopped(gid int64) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.gids[gid]
}

// check is _mlxgo.Check: it stops an interrupted cell.
func (s *Session) check() {
	if s.stops.n.Load() == 0 {
		return
	}
	if s.stops.stopped(goid()) {
		panic(interruptSignal{})
	}
}

// isInterrupt reports whether a panic value is the interrupt's.
func isInterrupt(v any) bool {
	_, ok := unwrapPanic(v).(interruptSignal)
	return ok
}

// rewriteLoops makes every for and range loop under n call _mlxgo.Check
// at the top of its body.
func rewriteLoops(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		var body *ast.BlockStmt
		switch l := n.(type) {
		case *ast.ForStmt:
			body = l.Body
		case *ast.RangeStmt:
			body = l.Body
		}
		if body != nil {
			// if *_mlxgo.Stopping { _mlxgo.Check() }: a call costs more
			// than the flag's read. (Stopping is a pointer: yaegi reads a
			// package's bool variable once, when it compiles the cell.)
			p := body.Lbrace
			flag := &ast.StarExpr{Star: p, X: &ast.SelectorExpr{X: &ast.Ident{NamePos: p, Name: rtName}, Sel: &ast.Ident{NamePos: p, Name: "Stopping"}}}
			st := &ast.IfStmt{If: p, Cond: flag, Body: &ast.BlockStmt{Lbrace: p, Rbrace: p,
				List: []ast.Stmt{&ast.ExprStmt{X: rtCall(p, "Check")}}}}
			body.List = append([]ast.Stmt{st}, body.List...)
		}
		return true
	})
}

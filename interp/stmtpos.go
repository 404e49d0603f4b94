package interp

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// yaegi reports every interpreted frame of a panic at its function's first
// statement. So that a traceback shows the line that panicked, each
// statement in a function body (nested blocks included) is preceded by
// *_mlxgo.Pos = cell<<posShift | line, and panicError reads the last one.
const posShift = 20

// rewriteStmtPos adds the position markers to the function bodies under n.
func rewriteStmtPos(n ast.Node, cell int, fset *token.FileSet) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch f := n.(type) {
		case *ast.DeferStmt:
			if _, ok := f.Call.Fun.(*ast.FuncLit); ok {
				return false // it runs while a panic unwinds: keep the panic's marker
			}
		case *ast.FuncDecl:
			if f.Body != nil {
				markBody(f.Body, cell, fset)
			}
			return false
		case *ast.FuncLit:
			markBody(f.Body, cell, fset)
			return false
		}
		return true
	})
}

// markBody puts a marker before each statement of every list under body.
func markBody(body *ast.BlockStmt, cell int, fset *token.FileSet) {
	mark := func(list []ast.Stmt) []ast.Stmt {
		out := make([]ast.Stmt, 0, 2*len(list))
		for _, st := range list {
			switch st.(type) {
			case *ast.CaseClause, *ast.CommClause:
				return list // a switch's or select's body
			}
			if safeStmt(st) {
				out = append(out, st)
				continue
			}
			p := st.Pos()
			line := fset.Position(p).Line
			lhs := &ast.StarExpr{Star: p, X: &ast.SelectorExpr{X: &ast.Ident{NamePos: p, Name: rtName}, Sel: &ast.Ident{NamePos: p, Name: "Pos"}}}
			out = append(out, &ast.AssignStmt{Lhs: []ast.Expr{lhs}, TokPos: p, Tok: token.ASSIGN, Rhs: []ast.Expr{intLit(p, cell<<posShift|line)}}, st)
		}
		return out
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch b := n.(type) {
		case *ast.BlockStmt:
			b.List = mark(b.List)
		case *ast.CaseClause:
			b.Body = mark(b.Body)
		case *ast.CommClause:
			b.Body = mark(b.Body)
		case *ast.DeferStmt:
			if _, ok := b.Call.Fun.(*ast.FuncLit); ok {
				return false // it runs while a panic unwinds: keep the panic's marker
			}
		case *ast.IfStmt:
			if isStopping(b.Cond) {
				return false // rewriteLoops's check
			}
		case *ast.AssignStmt:
			if len(b.Lhs) == 1 {
				if st, ok := b.Lhs[0].(*ast.StarExpr); ok {
					if sel, ok := st.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Pos" {
						if id, ok := sel.X.(*ast.Ident); ok && id.Name == rtName {
							return false // a marker
						}
					}
				}
			}
		}
		return true
	})
}

// panicLine corrects the line of the innermost frame f of a panic with the
// last position marker, when it lies in f's function.
func (s *Session) panicLine(f trailEntry) int {
	s.state.Lock()
	pos := s.stmtPos
	s.state.Unlock()
	cell, line := pos>>posShift, pos&(1<<posShift-1)
	if pos == 0 || "cell"+strconv.Itoa(cell) != f.file || line < f.line {
		return f.line
	}
	if end := s.funcEnd(frameName(f.fn)); end > 0 && line > end {
		return f.line
	}
	return line
}

// funcEnd is the last line of a cell's function or method (0 if unknown).
func (s *Session) funcEnd(fn string) int {
	s.state.Lock()
	defer s.state.Unlock()
	if fi := s.funcs[fn]; fi != nil {
		return s.fset.Position(fi.decl.End()).Line
	}
	if t, m, ok := strings.Cut(fn, "."); ok {
		for _, d := range s.methods[strings.Trim(t, "(*)")] {
			if d.Name.Name == m {
				return s.fset.Position(d.End()).Line
			}
		}
	}
	return 0
}

// isStopping reports whether e is len(*_mlxgo.Stopping) > 0, the loops'
// interrupt test (or *_mlxgo.Stopping).
func isStopping(e ast.Expr) bool {
	if b, ok := e.(*ast.BinaryExpr); ok {
		if c, ok := b.X.(*ast.CallExpr); ok && len(c.Args) == 1 {
			e = c.Args[0]
		}
	}
	st, ok := e.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := st.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Stopping" {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == rtName
}

// safeStmt reports whether st cannot panic by itself (its nested blocks
// get their own markers), so that it needs no marker: loops of simple
// arithmetic run at full speed.
func safeStmt(st ast.Stmt) bool {
	switch st := st.(type) {
	case nil:
		return true
	case *ast.EmptyStmt, *ast.BranchStmt, *ast.BlockStmt:
		return true
	case *ast.IncDecStmt:
		_, ok := st.X.(*ast.Ident)
		return ok
	case *ast.AssignStmt:
		for _, l := range st.Lhs {
			if _, ok := l.(*ast.Ident); !ok {
				return false
			}
		}
		switch st.Tok {
		case token.QUO_ASSIGN, token.REM_ASSIGN, token.SHL_ASSIGN, token.SHR_ASSIGN:
			return len(st.Rhs) == 1 && nonZeroLit(st.Rhs[0])
		}
		for _, r := range st.Rhs {
			if !safeExpr(r) {
				return false
			}
		}
		return true
	case *ast.ReturnStmt:
		for _, r := range st.Results {
			if !safeExpr(r) {
				return false
			}
		}
		return true
	case *ast.IfStmt:
		return isStopping(st.Cond) || safeStmt(st.Init) && safeExpr(st.Cond)
	case *ast.ForStmt:
		return safeStmt(st.Init) && (st.Cond == nil || safeExpr(st.Cond)) && safeStmt(st.Post)
	case *ast.LabeledStmt:
		return safeStmt(st.Stmt)
	}
	return false
}

// safeExpr reports whether e cannot panic: names, literals and arithmetic
// that divides or shifts only by a non-zero literal.
func safeExpr(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident, *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return safeExpr(e.X)
	case *ast.UnaryExpr:
		return e.Op != token.ARROW && safeExpr(e.X)
	case *ast.BinaryExpr:
		switch e.Op {
		case token.QUO, token.REM, token.SHL, token.SHR:
			return safeExpr(e.X) && nonZeroLit(e.Y)
		}
		return safeExpr(e.X) && safeExpr(e.Y)
	}
	return false
}

// nonZeroLit reports whether e is a numeric literal other than zero.
func nonZeroLit(e ast.Expr) bool {
	b, ok := unparen(e).(*ast.BasicLit)
	if !ok || b.Kind != token.INT && b.Kind != token.FLOAT {
		return false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(b.Value, "_", ""), 64)
	return err == nil && v > 0
}

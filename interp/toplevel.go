package interp

import (
	"fmt"
	"go/ast"
	"go/token"
)

// Rewrites of a cell's top level around yaegi's failures there: var
// declarations that read the session's variables (below), type switches
// that bind a name (blockTypeSwitch), names a failed cell left without a
// value (ghostUse).
//
// yaegi fails on a package-level `var y = x` when x is a variable made by
// an earlier Eval ("variable definition loop"), and leaves y declared with
// its zero value. The same declaration as a statement of the top-level
// block (yaegi's REPL scope) declares a global as well, and works. So a
// cell's var declaration that mentions a variable of the session (to read
// it, or to declare it again) runs as a statement, and so does one whose
// value is a generic call (genericdef.go). The others stay declarations,
// which a function of the cell may use wherever the cell declares it.

// varsAsStatements turns the var declarations of pc that mention a
// variable of the session into statement items. It runs before analyse.
func (s *Session) varsAsStatements(pc *parsedCell) {
	var globals map[string]bool
	for _, it := range pc.items {
		gd, ok := it.decl.(*ast.GenDecl)
		if !ok || it.kind != itemDecl || gd.Tok != token.VAR {
			continue
		}
		if globals == nil {
			globals = map[string]bool{}
			for n := range s.globals() {
				globals[n] = true
			}
			// and the variables the cell's statements define
			for _, st := range pc.items {
				for _, x := range st.stmts {
					if as, ok := x.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
						for _, l := range as.Lhs {
							if id, ok := l.(*ast.Ident); ok {
								globals[id.Name] = true
							}
						}
					}
				}
			}
		}
		mentions := false
		for n := range identsOf(gd) {
			if globals[n] {
				mentions = true
				break
			}
		}
		if !mentions {
			// A value from a generic call: genericdef.go types it.
			for _, sp := range gd.Specs {
				for _, v := range sp.(*ast.ValueSpec).Values {
					mentions = mentions || s.callsGeneric(v, pc)
				}
			}
		}
		if mentions {
			it.kind = itemStmt
			it.stmts = nil
			for _, sp := range gd.Specs { // one statement per spec
				it.stmts = append(it.stmts, &ast.DeclStmt{Decl: &ast.GenDecl{TokPos: sp.Pos(), Tok: token.VAR, Specs: []ast.Spec{sp}}})
			}
			it.decl = nil
		}
	}
}

// declStmtDefines reports whether it is a var declaration run as a
// statement that declares one of names.
func declStmtDefines(it *item, names map[string]bool) bool {
	for _, st := range it.stmts {
		ds, ok := st.(*ast.DeclStmt)
		if !ok {
			return false
		}
		for _, sp := range ds.Decl.(*ast.GenDecl).Specs {
			if vs, ok := sp.(*ast.ValueSpec); ok {
				for _, n := range vs.Names {
					if names[n.Name] {
						return true
					}
				}
			}
		}
	}
	return false
}

// blockTypeSwitch puts a type switch of the top level that binds a name
// (switch v := x.(type)) in a block of its own: yaegi's compiler fails on
// it at the top level (an index out of range), and not in a block. The
// name is the switch's alone either way.
func blockTypeSwitch(st ast.Stmt) ast.Stmt {
	ts, ok := st.(*ast.TypeSwitchStmt)
	if !ok {
		return st
	}
	if _, binds := ts.Assign.(*ast.AssignStmt); !binds {
		return st
	}
	return &ast.BlockStmt{Lbrace: ts.Pos(), List: []ast.Stmt{ts}, Rbrace: ts.End()}
}

// ghostUse returns the error of a cell that uses a name a failed cell left
// without a value (complete.go's ghosts): yaegi would give its zero value.
// The cell's own definitions are not ghosts.
func (s *Session) ghostUse(pc *parsedCell) *Error {
	ghosts := s.ghosts()
	if len(ghosts) == 0 {
		return nil
	}
	found := firstIdent(pc.items, func(name string) bool { return ghosts[name] })
	if found == nil {
		return nil
	}
	p := s.fset.Position(found.Pos())
	return s.compileError(fmt.Errorf("%s:%d:%d: undefined: %s (the cell that defined it failed before giving it a value)", p.Filename, p.Line, p.Column, found.Name))
}

package interp

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"strings"
)

// yaegi reports some mistakes badly: a typo in a name on the right of :=
// gives "constant definition loop", and some make its compiler panic. When
// a chunk fails with such an error, explain looks for the likely cause, a
// name used but defined nowhere, and reports "undefined: name" at its
// position instead.

var vagueError = regexp.MustCompile(`constant definition loop|the interpreter failed on this cell`)

var anyCellPos = regexp.MustCompile(`(cell\d+):(\d+):(\d+)`)

func (s *Session) explain(pc *parsedCell, c chunk, err error) error {
	msg := err.Error()
	if !vagueError.MatchString(msg) {
		return err
	}
	if id := s.undefinedIdent(pc, c); id != nil {
		return fmt.Errorf("%s: undefined: %s", s.fset.Position(id.Pos()), id.Name)
	}
	if strings.HasPrefix(msg, "the interpreter failed") {
		// Put the position the panic message names, if any, in front.
		if m := anyCellPos.FindString(msg); m != "" {
			return errors.New(m + ": " + msg)
		}
		if len(c.items) > 0 {
			return fmt.Errorf("%s:%d:%d: %s", pc.file, c.items[0].line, c.items[0].col, msg)
		}
	}
	return err
}

// undefinedIdent returns the first identifier of the chunk that names
// nothing: not declared anywhere in the cell, nor in the session, nor
// predeclared, and that yaegi confirms undefined.
func (s *Session) undefinedIdent(pc *parsedCell, c chunk) *ast.Ident {
	declared := map[string]bool{}
	for _, it := range pc.items {
		var roots []ast.Node
		if it.decl != nil {
			roots = append(roots, it.decl)
		}
		for _, st := range it.stmts {
			roots = append(roots, st)
		}
		for _, r := range roots {
			ast.Inspect(r, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncDecl:
					declared[n.Name.Name] = true
				case *ast.Field:
					for _, id := range n.Names {
						declared[id.Name] = true
					}
				case *ast.AssignStmt:
					if n.Tok == token.DEFINE {
						for _, l := range n.Lhs {
							if id, ok := l.(*ast.Ident); ok {
								declared[id.Name] = true
							}
						}
					}
				case *ast.RangeStmt:
					if n.Tok == token.DEFINE {
						for _, e := range []ast.Expr{n.Key, n.Value} {
							if id, ok := e.(*ast.Ident); ok {
								declared[id.Name] = true
							}
						}
					}
				case *ast.ValueSpec:
					for _, id := range n.Names {
						declared[id.Name] = true
					}
				case *ast.TypeSpec:
					declared[n.Name.Name] = true
				case *ast.LabeledStmt:
					declared[n.Label.Name] = true
				}
				return true
			})
		}
	}
	known := func(name string) bool {
		if declared[name] || universe[name] || name == "_" || strings.HasPrefix(name, rtName) {
			return true
		}
		s.state.Lock()
		_, imp := s.imports[name]
		_, fn := s.funcs[name]
		_, ty := s.types[name]
		s.state.Unlock()
		if imp || fn || ty || pc.imports[name] != "" {
			return true
		}
		_, g := s.global(name)
		return g
	}
	return firstIdent(c.items, func(name string) bool { return !known(name) && s.confirmUndefined(name) })
}

// firstIdent returns the first identifier under items that may name a
// variable (not a selected name, a field key, or a label) and for which
// pick is true; nil if none.
func firstIdent(items []*item, pick func(string) bool) *ast.Ident {
	var found *ast.Ident
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, visit) // not the selected name
			return false
		case *ast.KeyValueExpr:
			if _, ok := n.Key.(*ast.Ident); ok {
				ast.Inspect(n.Value, visit) // a field name is no variable
				return false
			}
		case *ast.BranchStmt, *ast.LabeledStmt:
			if l, ok := n.(*ast.LabeledStmt); ok {
				ast.Inspect(l.Stmt, visit)
			}
			return false
		case *ast.Ident:
			if pick(n.Name) {
				found = n
			}
		}
		return true
	}
	for _, it := range items {
		if it.decl != nil {
			ast.Inspect(it.decl, visit)
		}
		for _, st := range it.stmts {
			ast.Inspect(st, visit)
		}
	}
	return found
}

// confirmUndefined asks yaegi whether name is defined, by compiling
// `_ = name` (which defines nothing). The caller has checked that the name
// is neither predeclared nor a package, type or function of the session.
func (s *Session) confirmUndefined(name string) bool {
	p := token.NoPos
	stmt := &ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: p, Name: "_"}}, TokPos: p, Tok: token.ASSIGN,
		Rhs: []ast.Expr{&ast.Ident{NamePos: p, Name: name}}}
	_, err := s.compile(&ast.BlockStmt{Lbrace: s.rootPos, List: []ast.Stmt{stmt}, Rbrace: s.rootPos})
	// After a failed compile yaegi may keep a placeholder for the name and
	// fail otherwise ("constant definition loop", "incomplete type"): any
	// failure means the name holds no value.
	return err != nil
}

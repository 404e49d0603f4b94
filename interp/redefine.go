package interp

import (
	"go/ast"

	yaegi "github.com/traefik/yaegi/interp"
)

// Redefinition. yaegi binds a call to the function declared when the
// caller was compiled: a function redefined in a later cell is not seen by
// the functions of earlier cells that call it. So when a cell redefines
// functions, the session compiles again, after them, the declarations of
// earlier cells (functions and methods) that use them, directly or through
// one another. Values made earlier (a closure or gradient function built
// from the old function) keep the old one. When the change reaches a
// method, or a cell changes a type, retype.go does the work instead.

// redefinedFuncs returns the names of the functions that items declare
// (without receivers) and the session already has.
func (s *Session) redefinedFuncs(items []*item) map[string]bool {
	s.state.Lock()
	defer s.state.Unlock()
	var names map[string]bool
	for _, it := range items {
		if d, ok := it.decl.(*ast.FuncDecl); ok && d.Recv == nil {
			if _, had := s.funcs[d.Name.Name]; had {
				if names == nil {
					names = map[string]bool{}
				}
				names[d.Name.Name] = true
			}
		}
	}
	return names
}

// recompileDependents compiles again the session's functions that use the redefined names (transitively), and returns the program,
// or nil if there are none or they do not compile (then the old ones stay).
func (s *Session) recompileDependents(redefined map[string]bool, items []*item) *yaegi.Program {
	if len(redefined) == 0 {
		return nil
	}
	fresh := map[ast.Decl]bool{} // declared by this cell: compiled already
	for _, it := range items {
		fresh[it.decl] = true
	}
	s.state.Lock()
	type decl struct {
		d    *ast.FuncDecl
		uses map[string]bool
	}
	var all []decl
	for name, fi := range s.funcs {
		if !redefined[name] && !fresh[fi.decl] {
			all = append(all, decl{fi.decl, identsOf(fi.decl.Body)})
		}
	}
	s.state.Unlock()
	changed := map[string]bool{}
	for n := range redefined {
		changed[n] = true
	}
	picked := map[*ast.FuncDecl]bool{}
	for grew := true; grew; {
		grew = false
		for _, d := range all {
			if picked[d.d] {
				continue
			}
			for n := range d.uses {
				if changed[n] {
					picked[d.d], grew = true, true
					changed[d.d.Name.Name] = true
					break
				}
			}
		}
	}
	if len(picked) == 0 {
		return nil
	}
	f := &ast.File{Package: s.rootPos, Name: &ast.Ident{NamePos: s.rootPos, Name: "main"}}
	for _, d := range all {
		if picked[d.d] {
			f.Decls = append(f.Decls, d.d)
		}
	}
	prog, err := s.compile(f)
	if err != nil {
		s.resyncFrame()
		return nil
	}
	return prog
}

// identsOf returns the identifiers used under n, selected names aside.
func identsOf(n ast.Node) map[string]bool {
	ids := map[string]bool{}
	if n == nil {
		return ids
	}
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, visit)
			return false
		case *ast.Ident:
			if n.Name != "_" {
				ids[n.Name] = true
			}
		}
		return true
	}
	ast.Inspect(n, visit)
	return ids
}

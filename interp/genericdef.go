package interp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"

	yaegi "github.com/traefik/yaegi/interp"
)

// Variables of a cell's top level set from generic calls.
//
// yaegi types a variable of the top level (`ks := slices.Sorted(...)`,
// `y := Id(3)`, `var y = Id(3)`) before it instantiates generic
// functions, and fails on one whose value is a generic call ("nil reflect
// type", a nil dereference, "constant definition loop"). Inside a function
// the same definition works. So the session compiles the definition's
// right side inside a probe function, reads the types yaegi gave it, and
// writes the definition with them: `var ks []string; ks = slices.Sorted(...)`.
// The statements of the cell before the definition are compiled first (as
// a program of their own, run in order), so that the probe sees the
// variables they define.

// genericPackages are the standard packages whose functions are all
// generic (yaegi interprets them from source).
var genericPackages = map[string]bool{"slices": true, "maps": true, "cmp": true}

// probeName is the function that types a generic definition.
const probeName = rtName + "Probe"

// callsGeneric reports whether e calls a generic function: one of the
// session or of the cell, or one of genericPackages.
func (s *Session) callsGeneric(e ast.Node, pc *parsedCell) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		fun := call.Fun
		switch f := fun.(type) {
		case *ast.IndexExpr:
			fun = f.X
		case *ast.IndexListExpr:
			fun = f.X
		}
		switch f := fun.(type) {
		case *ast.Ident:
			found = s.genericFunc(f.Name, pc) != nil
		case *ast.SelectorExpr:
			if x, ok := f.X.(*ast.Ident); ok {
				p, imported := s.packagePath(x.Name, pc)
				found = imported && genericPackages[p]
			}
		}
		return !found
	})
	return found
}

// genericDefine returns, for a top-level definition whose values call a
// generic function, its names, values and declared type (nil if none).
func (s *Session) genericDefine(st ast.Stmt, pc *parsedCell) (names []*ast.Ident, values []ast.Expr, typ ast.Expr, ok bool) {
	switch st := st.(type) {
	case *ast.AssignStmt:
		if st.Tok != token.DEFINE {
			return nil, nil, nil, false
		}
		for _, l := range st.Lhs {
			id, isID := l.(*ast.Ident)
			if !isID {
				return nil, nil, nil, false
			}
			names = append(names, id)
		}
		values = st.Rhs
	case *ast.DeclStmt:
		gd, isGen := st.Decl.(*ast.GenDecl)
		if !isGen || gd.Tok != token.VAR || len(gd.Specs) != 1 {
			return nil, nil, nil, false
		}
		vs := gd.Specs[0].(*ast.ValueSpec)
		if len(vs.Values) == 0 {
			return nil, nil, nil, false
		}
		names, values, typ = vs.Names, vs.Values, vs.Type
	default:
		return nil, nil, nil, false
	}
	for _, v := range values {
		if s.callsGeneric(v, pc) {
			return names, values, typ, true
		}
	}
	return nil, nil, nil, false
}

// genericSegments compiles the statements of c that come before its last
// definition from a generic call, with each such definition written with
// the types yaegi infers for it inside a function. It returns their
// programs and the rest of c (from that definition on) for the caller to
// compile; c itself if it has no such definition.
func (s *Session) genericSegments(c chunk, pc *parsedCell, file string) ([]*yaegi.Program, chunk, error) {
	type entry struct {
		it *item
		st ast.Stmt
	}
	var flat []entry
	any := false
	for _, it := range c.items {
		for _, st := range it.stmts {
			flat = append(flat, entry{it, st})
			if _, _, _, ok := s.genericDefine(st, pc); ok {
				any = true
			}
		}
	}
	if !any {
		return nil, c, nil
	}
	group := func(es []entry) []*item {
		var items []*item
		for _, e := range es {
			if n := len(items); n > 0 && items[n-1].root == e.it.root && items[n-1].start == e.it.start {
				items[n-1].stmts = append(items[n-1].stmts, e.st)
				continue
			}
			cp := *e.it
			cp.stmts = []ast.Stmt{e.st}
			items = append(items, &cp)
		}
		return items
	}
	var progs []*yaegi.Program
	var seg []entry // statements not compiled yet
	for _, e := range flat {
		if _, _, _, ok := s.genericDefine(e.st, pc); !ok {
			seg = append(seg, e)
			continue
		}
		if len(seg) > 0 {
			prog, err := s.compileStmts(chunk{kind: itemStmt, items: group(seg)}, captureNone, nil, "")
			if err != nil {
				return nil, c, err
			}
			progs = append(progs, prog)
			seg = nil
		}
		repl := s.typedDefine(e.st, pc, file)
		if repl == nil {
			seg = append(seg, e)
			continue
		}
		for _, st := range repl {
			seg = append(seg, entry{e.it, st})
		}
	}
	return progs, chunk{kind: itemStmt, items: group(seg)}, nil
}

// typedDefine writes a definition from a generic call as a declaration
// with types and an assignment; nil if the types cannot be found.
func (s *Session) typedDefine(st ast.Stmt, pc *parsedCell, file string) []ast.Stmt {
	names, values, typ, ok := s.genericDefine(st, pc)
	if !ok {
		return nil
	}
	p := st.Pos()
	types := make([]ast.Expr, len(names))
	if typ != nil {
		for i := range types {
			types[i] = typ
		}
	} else {
		spelled := s.probeTypes(p, len(names), values)
		if spelled == nil {
			return nil
		}
		for i, t := range spelled {
			e, err := parser.ParseExprFrom(s.fset, file, t, parser.SkipObjectResolution)
			if err != nil {
				return nil
			}
			types[i] = e
		}
	}
	var out []ast.Stmt
	lhs := make([]ast.Expr, len(names))
	for i, n := range names {
		if n.Name == "_" {
			lhs[i] = n
			continue
		}
		out = append(out, &ast.DeclStmt{Decl: &ast.GenDecl{TokPos: p, Tok: token.VAR, Specs: []ast.Spec{
			&ast.ValueSpec{Names: []*ast.Ident{n}, Type: types[i]},
		}}})
		lhs[i] = &ast.Ident{NamePos: n.NamePos, Name: n.Name}
	}
	return append(out, &ast.AssignStmt{Lhs: lhs, TokPos: p, Tok: token.ASSIGN, Rhs: values})
}

// probeTypes compiles `func probe() { v0, v1... := values }` and returns
// the types yaegi gave v0, v1... as Go source, or nil.
func (s *Session) probeTypes(p token.Pos, n int, values []ast.Expr) []string {
	var lhs []ast.Expr
	var use []ast.Expr
	for i := range n {
		id := &ast.Ident{NamePos: p, Name: rtName + "V" + strconv.Itoa(i)}
		lhs = append(lhs, id)
		use = append(use, &ast.Ident{NamePos: p, Name: id.Name})
	}
	blanks := make([]ast.Expr, n)
	for i := range blanks {
		blanks[i] = &ast.Ident{NamePos: p, Name: "_"}
	}
	if !s.compileProbe(p,
		&ast.AssignStmt{Lhs: lhs, TokPos: p, Tok: token.DEFINE, Rhs: values},
		&ast.AssignStmt{Lhs: blanks, TokPos: p, Tok: token.ASSIGN, Rhs: use}) {
		if n == 1 && len(values) == 1 {
			return s.probeValueType(values[0])
		}
		return nil
	}
	types := s.localTypes(probeName, nil)
	out := make([]string, n)
	for i := range out {
		t, ok := types[rtName+"V"+strconv.Itoa(i)]
		if !ok || t == "" {
			return nil
		}
		out[i] = spellType(t)
	}
	return out
}

// probeValueType types one value as probeTypes does, through
// `func probe() { _ = value }` (yaegi fails on some definitions from
// generic calls even inside a function).
func (s *Session) probeValueType(value ast.Expr) []string {
	p := value.End() // not value.Pos(): localTypes finds the value by it
	if !s.compileProbe(p, &ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: p, Name: "_"}}, TokPos: p, Tok: token.ASSIGN, Rhs: []ast.Expr{value}}) {
		return nil
	}
	t := s.localTypes(probeName, &value)[""]
	if t == "" {
		return nil
	}
	return []string{spellType(t)}
}

// compileProbe compiles `func probe() { body }` at p (in the cell's file,
// for its imports), and reports whether it compiled.
func (s *Session) compileProbe(p token.Pos, body ...ast.Stmt) bool {
	fn := &ast.FuncDecl{
		Name: &ast.Ident{NamePos: p, Name: probeName},
		Type: &ast.FuncType{Func: p, Params: &ast.FieldList{Opening: p, Closing: p}},
		Body: &ast.BlockStmt{Lbrace: p, Rbrace: p, List: body},
	}
	f := &ast.File{Package: p, Name: &ast.Ident{NamePos: p, Name: "main"}, Decls: []ast.Decl{fn}}
	if _, err := s.compile(f); err != nil {
		s.resyncFrame()
		return false
	}
	return true
}

// untypedNames are yaegi's names of untyped constants' types; it leaves
// some in the types it infers for generic functions.
var untypedNames = strings.NewReplacer("untyped string", "string", "untyped float", "float64", "untyped int", "int",
	"untyped rune", "rune", "untyped bool", "bool", "untyped complex", "complex128")

// spellType writes a type as yaegi writes it as Go source of a cell.
func spellType(t string) string {
	return strings.ReplaceAll(untypedNames.Replace(t), "main.", "")
}

// localTypes returns the types yaegi gave the identifiers of function
// fn's body, as it writes them ("[]string", "main.P"), or with value, the
// type of that expression (key ""); nil if it cannot tell (yaegisyms.go).
func (s *Session) localTypes(fn string, value *ast.Expr) (types map[string]string) {
	defer func() {
		if recover() != nil {
			types = nil
		}
	}()
	syms := s.mainSymbols()
	if !syms.IsValid() {
		return nil
	}
	sym := syms.MapIndex(reflect.ValueOf(fn))
	if !sym.IsValid() || sym.IsNil() {
		return nil
	}
	root := sym.Elem().FieldByName("node")
	types = map[string]string{}
	var walk func(n reflect.Value)
	walk = func(n reflect.Value) {
		if n.IsNil() {
			return
		}
		n = n.Elem()
		t := n.FieldByName("typ")
		if value != nil {
			// The outermost node at the value's position.
			if _, seen := types[""]; !seen && !t.IsNil() && token.Pos(n.FieldByName("pos").Int()) == (*value).Pos() {
				types[""] = t.Elem().FieldByName("str").String()
				return
			}
		} else if id := n.FieldByName("ident").String(); strings.HasPrefix(id, rtName+"V") && !t.IsNil() {
			if _, seen := types[id]; !seen {
				types[id] = t.Elem().FieldByName("str").String()
			}
		}
		kids := n.FieldByName("child")
		for i := range kids.Len() {
			walk(kids.Index(i))
		}
	}
	walk(root)
	return types
}

// genericFunc returns the declaration of the generic function (not a
// method) name of the cell or the session, or nil.
func (s *Session) genericFunc(name string, pc *parsedCell) *ast.FuncDecl {
	d := pc.funcDecl(name)
	if d == nil {
		s.state.Lock()
		if fi := s.funcs[name]; fi != nil {
			d = fi.decl
		}
		s.state.Unlock()
	}
	if d == nil || d.Type.TypeParams == nil || d.Recv != nil {
		return nil
	}
	return d
}

// packagePath returns the import path of a package name of the session or
// of the cell.
func (s *Session) packagePath(name string, pc *parsedCell) (string, bool) {
	s.state.Lock()
	p, ok := s.imports[name]
	s.state.Unlock()
	if !ok {
		p, ok = pc.imports[name]
	}
	return p, ok
}

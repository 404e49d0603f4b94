package interp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
)

// staticType is the statically known type of an expression: a compiled
// type (rt), or a type declared in a cell (cell, its name).
type staticType struct {
	rt   reflect.Type
	cell string
}

// exprStart returns the start of the selector or call chain (a.b(c)[d].e)
// that ends at byte end of code, or -1.
func exprStart(code string, end int) int {
	j := end
	for {
		for j > 0 && (code[j-1] == ')' || code[j-1] == ']') {
			k := matchOpen(code, j-1)
			if k < 0 {
				return -1
			}
			j = k
		}
		k := identBefore(code, j)
		if k == j {
			return j
		}
		j = k
		if j > 0 && code[j-1] == '.' {
			j--
			continue
		}
		return j
	}
}

// matchOpen returns the offset of the bracket that opens the one closing
// at byte c, or -1.
func matchOpen(code string, c int) int {
	depth := 0
	for i := c; i >= 0; i-- {
		switch code[i] {
		case ')', ']', '}':
			depth++
		case '(', '[', '{':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// exprMembers lists what can follow "expr." where the type of expr is
// known statically.
func (s *Session) exprMembers(expr, code string) []string {
	e, err := parser.ParseExpr(expr)
	if err != nil {
		return nil
	}
	t, ok := s.typeOf(e, code, 0)
	if !ok {
		return nil
	}
	return s.staticMembers(t)
}

// staticMembers lists the methods and fields of t.
func (s *Session) staticMembers(t staticType) []string {
	if t.rt != nil {
		return typeMembers(t.rt)
	}
	s.state.Lock()
	defer s.state.Unlock()
	var names []string
	for _, m := range s.methods[t.cell] {
		names = append(names, m.Name.Name)
	}
	if ti := s.types[t.cell]; ti != nil {
		if st, ok := ti.spec.Type.(*ast.StructType); ok {
			for _, f := range st.Fields.List {
				for _, n := range f.Names {
					names = append(names, n.Name)
				}
				if len(f.Names) == 0 {
					if n := embeddedName(f.Type); n != "" {
						names = append(names, n)
					}
				}
			}
		}
	}
	return names
}

// embeddedName is the field name of an embedded type.
func embeddedName(t ast.Expr) string {
	switch t := t.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return embeddedName(t.X)
	case *ast.SelectorExpr:
		return t.Sel.Name
	}
	return ""
}

// typeOf infers the type of e from the session's declarations and the
// reflect types of compiled packages.
func (s *Session) typeOf(e ast.Expr, code string, depth int) (staticType, bool) {
	if depth > 8 {
		return staticType{}, false
	}
	switch e := e.(type) {
	case *ast.ParenExpr:
		return s.typeOf(e.X, code, depth+1)
	case *ast.Ident:
		return s.varType(e.Name, code, depth)
	case *ast.CompositeLit:
		return s.typeExpr(e.Type, code)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			t, ok := s.typeOf(e.X, code, depth+1)
			if ok && t.rt != nil {
				t.rt = reflect.PointerTo(t.rt)
			}
			return t, ok
		}
	case *ast.StarExpr:
		t, ok := s.typeOf(e.X, code, depth+1)
		if ok && t.rt != nil {
			if t.rt.Kind() != reflect.Pointer {
				return staticType{}, false
			}
			t.rt = t.rt.Elem()
		}
		return t, ok
	case *ast.IndexExpr:
		t, ok := s.typeOf(e.X, code, depth+1)
		if ok && t.rt != nil {
			switch t.rt.Kind() {
			case reflect.Slice, reflect.Array, reflect.Map, reflect.Pointer:
				if t.rt.Kind() == reflect.Pointer && t.rt.Elem().Kind() != reflect.Array {
					return staticType{}, false
				}
				if t.rt.Kind() == reflect.Pointer {
					return staticType{rt: t.rt.Elem().Elem()}, true
				}
				return staticType{rt: t.rt.Elem()}, true
			}
		}
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if p, ok := s.importPath(x.Name, code); ok {
				if sym, ok := s.exports[p][e.Sel.Name]; ok && sym.IsValid() && sym.Kind() == reflect.Pointer && !sym.IsNil() {
					return staticType{rt: sym.Type().Elem()}, true // a package variable
				}
				return staticType{}, false
			}
		}
		xt, ok := s.typeOf(e.X, code, depth+1)
		if !ok {
			return staticType{}, false
		}
		return s.fieldType(xt, e.Sel.Name, code)
	case *ast.CallExpr:
		return s.callType(e, code, depth)
	}
	return staticType{}, false
}

// callType infers the type of a call's (first) result.
func (s *Session) callType(e *ast.CallExpr, code string, depth int) (staticType, bool) {
	switch f := e.Fun.(type) {
	case *ast.ParenExpr:
		return s.typeExpr(f.X, code) // a conversion (*T)(x)
	case *ast.Ident:
		if f.Name == "new" && len(e.Args) == 1 {
			t, ok := s.typeExpr(e.Args[0], code)
			if ok && t.rt != nil {
				t.rt = reflect.PointerTo(t.rt)
			}
			return t, ok
		}
		s.state.Lock()
		fi, ti := s.funcs[f.Name], s.types[f.Name]
		s.state.Unlock()
		if ti != nil {
			return staticType{cell: userTypeName(f.Name)}, true
		}
		if fi != nil {
			return s.resultType(fi.decl, code)
		}
		if v, ok := s.global(f.Name); ok && v.IsValid() {
			return funcResult(valueType(v))
		}
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			if p, ok := s.importPath(x.Name, code); ok {
				sym, ok := s.exports[p][f.Sel.Name]
				if !ok || !sym.IsValid() {
					return staticType{}, false
				}
				if sym.Kind() == reflect.Func {
					return funcResult(sym.Type())
				}
				if sym.Kind() == reflect.Pointer && sym.IsNil() {
					return staticType{rt: sym.Type().Elem()}, true // a conversion pkg.T(x)
				}
				return staticType{}, false
			}
		}
		xt, ok := s.typeOf(f.X, code, depth+1)
		if !ok {
			return staticType{}, false
		}
		if xt.rt != nil {
			m, ok := xt.rt.MethodByName(f.Sel.Name)
			if !ok && xt.rt.Kind() != reflect.Pointer && xt.rt.Kind() != reflect.Interface {
				m, ok = reflect.PointerTo(xt.rt).MethodByName(f.Sel.Name)
			}
			if ok {
				return funcResult(m.Type)
			}
			if ft, ok := s.fieldType(xt, f.Sel.Name, code); ok && ft.rt != nil {
				return funcResult(ft.rt)
			}
			return staticType{}, false
		}
		s.state.Lock()
		var decl *ast.FuncDecl
		for _, m := range s.methods[xt.cell] {
			if m.Name.Name == f.Sel.Name {
				decl = m
			}
		}
		s.state.Unlock()
		if decl != nil {
			return s.resultType(decl, code)
		}
	}
	return staticType{}, false
}

// funcResult is the type of the first result of a function type.
func funcResult(t reflect.Type) (staticType, bool) {
	if t.Kind() != reflect.Func || t.NumOut() == 0 {
		return staticType{}, false
	}
	return staticType{rt: t.Out(0)}, true
}

// resultType is the type of the first result of a cell's function.
func (s *Session) resultType(d *ast.FuncDecl, code string) (staticType, bool) {
	if d.Type.Results == nil || len(d.Type.Results.List) == 0 {
		return staticType{}, false
	}
	return s.typeExpr(d.Type.Results.List[0].Type, code)
}

// fieldType is the type of field name of t.
func (s *Session) fieldType(t staticType, name, code string) (staticType, bool) {
	if t.rt != nil {
		st := t.rt
		if st.Kind() == reflect.Pointer {
			st = st.Elem()
		}
		if st.Kind() != reflect.Struct {
			return staticType{}, false
		}
		f, ok := st.FieldByName(name)
		if !ok {
			return staticType{}, false
		}
		return staticType{rt: f.Type}, true
	}
	s.state.Lock()
	ti := s.types[t.cell]
	s.state.Unlock()
	if ti == nil {
		return staticType{}, false
	}
	st, ok := ti.spec.Type.(*ast.StructType)
	if !ok {
		return staticType{}, false
	}
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			if n.Name == name {
				return s.typeExpr(f.Type, code)
			}
		}
	}
	return staticType{}, false
}

// typeExpr resolves a type written in a cell: a cell's type, a pointer to
// one, or a package's type.
func (s *Session) typeExpr(t ast.Expr, code string) (staticType, bool) {
	switch t := t.(type) {
	case *ast.ParenExpr:
		return s.typeExpr(t.X, code)
	case *ast.Ident:
		s.state.Lock()
		ti := s.types[userTypeName(t.Name)]
		s.state.Unlock()
		if ti != nil {
			return staticType{cell: userTypeName(t.Name)}, true
		}
	case *ast.StarExpr:
		st, ok := s.typeExpr(t.X, code)
		if ok && st.rt != nil {
			st.rt = reflect.PointerTo(st.rt)
		}
		return st, ok
	case *ast.SelectorExpr:
		if x, ok := t.X.(*ast.Ident); ok {
			if p, ok := s.importPath(x.Name, code); ok {
				if sym, ok := s.exports[p][t.Sel.Name]; ok && sym.IsValid() && sym.Kind() == reflect.Pointer && sym.IsNil() {
					return staticType{rt: sym.Type().Elem()}, true
				}
			}
		}
	}
	return staticType{}, false
}

// varType is the type of a session variable: its value's type when that
// is a compiled type, else the cell type its latest top-level declaration
// names.
func (s *Session) varType(name, code string, depth int) (staticType, bool) {
	v, ok := s.global(name)
	if ok && v.IsValid() {
		rt := valueType(v)
		if named(rt) {
			return staticType{rt: rt}, true
		}
	}
	if t, ok := s.declaredType(name, code, depth); ok {
		return t, true
	}
	if ok && v.IsValid() {
		return staticType{rt: valueType(v)}, true
	}
	return staticType{}, false
}

// named reports whether t (or what it points to) is a compiled named type.
func named(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name() != "" && t.PkgPath() != ""
}

// declaredType finds the latest top-level declaration of variable name
// ("name := expr", "var name T", "var name = expr") in the session's cells
// and infers its type.
func (s *Session) declaredType(name, code string, depth int) (staticType, bool) {
	s.state.Lock()
	n := s.nCells
	srcs := make([]string, 0, n+1)
	srcs = append(srcs, code) // the cell being written comes last
	for i := n; i >= 1; i-- {
		srcs = append(srcs, s.sources["cell"+strconv.Itoa(i)])
	}
	s.state.Unlock()
	for _, src := range srcs {
		if e, isType := topLevelDecl(src, name); e != nil {
			if isType {
				return s.typeExpr(e, code)
			}
			return s.typeOf(e, code, depth+1)
		}
	}
	return staticType{}, false
}

// topLevelDecl returns the expression (or, with isType, the type) of the
// last top-level declaration of name in src.
func topLevelDecl(src, name string) (e ast.Expr, isType bool) {
	toks, _, _ := tokenize(src)
	depth := 0
	for k, t := range toks {
		switch t.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
			continue
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
			continue
		}
		if depth != 0 || t.tok != token.IDENT || src[t.off:t.end] != name || k+1 >= len(toks) {
			continue
		}
		atStart := k == 0 || toks[k-1].tok == token.SEMICOLON
		isVar := k > 0 && toks[k-1].tok == token.VAR
		rest := restOfStmt(src, toks[k+1:])
		switch {
		case atStart && toks[k+1].tok == token.DEFINE:
			if x, err := parser.ParseExpr(restOfStmt(src, toks[k+2:])); err == nil {
				e, isType = x, false
			}
		case isVar && toks[k+1].tok == token.ASSIGN:
			if x, err := parser.ParseExpr(restOfStmt(src, toks[k+2:])); err == nil {
				e, isType = x, false
			}
		case isVar:
			typ := rest
			if i := indexTop(rest, '='); i >= 0 {
				typ = rest[:i]
			}
			if x, err := parser.ParseExpr(typ); err == nil {
				e, isType = x, true
			}
		}
	}
	return e, isType
}

// restOfStmt is the source text of toks up to the end of their statement.
func restOfStmt(src string, toks []cellToken) string {
	if len(toks) == 0 {
		return ""
	}
	depth := 0
	for _, t := range toks {
		switch t.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.SEMICOLON:
			if depth == 0 {
				return src[toks[0].off:t.off]
			}
		}
	}
	return src[toks[0].off:]
}

// indexTop is the index of c in s outside brackets, or -1.
func indexTop(s string, c byte) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		default:
			if s[i] == c && depth == 0 {
				return i
			}
		}
	}
	return -1
}

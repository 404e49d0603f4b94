package interp

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"strings"
)

// Range over a function (Go 1.23 iterators) makes yaegi's compiler panic.
// A loop over a function whose type the cell or the session declares
//
//	for k, v := range seq { body }
//
// is rewritten to a call of it with the loop body as the yield function:
//
//	seq(func(k K, v V) bool { body; return true })
//
// where break becomes return false and continue return true. A body that
// returns, defers, jumps (goto) or breaks or continues a labeled statement
// outside it cannot be rewritten so: that is a compile error naming the
// feature and the line.

// rangeFuncError is a loop this rewrite cannot handle.
type rangeFuncError struct {
	pos token.Position
	msg string
}

func (e *rangeFuncError) Error() string { return e.pos.String() + ": " + e.msg }

// yieldType returns the yield function type of a range expression that is
// known to be an iterator function, or nil.
func (s *Session) yieldType(x ast.Expr, pc *parsedCell) *ast.FuncType {
	firstParam := func(ft *ast.FuncType) *ast.FuncType {
		if ft == nil || ft.Params == nil || len(ft.Params.List) != 1 || len(ft.Params.List[0].Names) > 1 {
			return nil
		}
		y, _ := ft.Params.List[0].Type.(*ast.FuncType)
		if y == nil || y.Results == nil || len(y.Results.List) != 1 {
			return nil
		}
		if id, ok := y.Results.List[0].Type.(*ast.Ident); !ok || id.Name != "bool" {
			return nil
		}
		return y
	}
	decl := func(name string) *ast.FuncDecl {
		if d := pc.funcDecl(name); d != nil {
			return d
		}
		s.state.Lock()
		defer s.state.Unlock()
		if fi := s.funcs[name]; fi != nil {
			return fi.decl
		}
		return nil
	}
	switch x := unparen(x).(type) {
	case *ast.FuncLit:
		return firstParam(x.Type)
	case *ast.Ident:
		if d := decl(x.Name); d != nil && d.Type.TypeParams == nil {
			return firstParam(d.Type)
		}
		if lit := pc.funcLitVar(x.Name); lit != nil {
			return firstParam(lit.Type)
		}
		if v, ok := s.global(x.Name); ok && v.IsValid() {
			return yieldFromType(valueType(v))
		}
	case *ast.CallExpr:
		id, ok := unparen(x.Fun).(*ast.Ident)
		if !ok {
			break
		}
		d := decl(id.Name)
		if d == nil || d.Type.TypeParams != nil || d.Type.Results == nil || len(d.Type.Results.List) != 1 || len(d.Type.Results.List[0].Names) > 1 {
			break
		}
		ft, _ := d.Type.Results.List[0].Type.(*ast.FuncType)
		return firstParam(ft)
	}
	// Else ask yaegi the expression's type (genericdef.go): maps.Keys(m),
	// slices.All(xs), a generic function's iterator, a method's.
	if t := s.probeValueType(x); t != nil {
		if e, err := parser.ParseExprFrom(s.fset, s.fset.Position(x.Pos()).Filename, t[0], parser.SkipObjectResolution); err == nil {
			ft, _ := e.(*ast.FuncType)
			return firstParam(ft)
		}
	}
	return nil
}

// rewriteRangeFunc rewrites the loops over iterator functions under n
// (and makes the type arguments of generic calls explicit where yaegi
// would infer them wrongly: inferTypeArgs).
func (s *Session) rewriteRangeFunc(n ast.Node, pc *parsedCell) (err error) {
	s.inferTypeArgs(n, pc)
	replaceNodes(reflect.ValueOf(n), func(n ast.Node) ast.Node {
		r, ok := n.(*ast.RangeStmt)
		if !ok || err != nil {
			return n
		}
		if e := s.rangeConstant(r); e != nil {
			err = e
			return n
		}
		y := s.yieldType(r.X, pc)
		if y == nil {
			return n
		}
		var e error
		n, e = s.rangeToCall(r, y)
		if e != nil {
			err = e
		}
		return n
	})
	return err
}

func (s *Session) rangeToCall(r *ast.RangeStmt, y *ast.FuncType) (ast.Node, error) {
	var types []ast.Expr
	for _, f := range y.Params.List {
		for i := 0; i < max(1, len(f.Names)); i++ {
			types = append(types, f.Type)
		}
	}
	vars := []ast.Expr{r.Key, r.Value}
	p := r.For
	params := &ast.FieldList{Opening: p, Closing: p}
	var assign []ast.Stmt
	for i, t := range types {
		name := "_"
		if i < 2 && vars[i] != nil {
			if r.Tok == token.DEFINE {
				name = vars[i].(*ast.Ident).Name
			} else if id, ok := vars[i].(*ast.Ident); !ok || id.Name != "_" {
				name = fmt.Sprintf("_mlxgoV%d", i)
				assign = append(assign, &ast.AssignStmt{Lhs: []ast.Expr{vars[i]}, TokPos: p, Tok: token.ASSIGN, Rhs: []ast.Expr{&ast.Ident{NamePos: p, Name: name}}})
			}
		}
		params.List = append(params.List, &ast.Field{Names: []*ast.Ident{{NamePos: p, Name: name}}, Type: t})
	}
	if (r.Value != nil && len(types) < 2) || (r.Key != nil && len(types) < 1) {
		return r, fmt.Errorf("%s: range over a function: too many iteration variables (its yield function takes %d)", s.fset.Position(r.Pos()), len(types))
	}
	// Check and convert the body's jumps.
	var bad error
	line := s.fset.Position(r.For).Line
	fail := func(n ast.Node, what string) {
		if bad == nil {
			bad = fmt.Errorf("%s: range over a function (the loop at line %d): its body uses %s, which the interpreter cannot run inside the loop; use a slice, or call the iterator with a func", s.fset.Position(n.Pos()), line, what)
		}
	}
	jumps := map[*ast.BranchStmt]bool{} // true: break
	var stack []ast.Node
	ast.Inspect(r.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			fail(x, "return")
		case *ast.DeferStmt:
			fail(x, "defer")
		case *ast.BranchStmt:
			if x.Label != nil {
				fail(x, x.Tok.String()+" with a label")
				break
			}
			switch x.Tok {
			case token.GOTO:
				fail(x, "goto")
			case token.BREAK, token.CONTINUE:
				inner := false
				for _, o := range stack[1:] { // stack[0] is the body
					switch o.(type) {
					case *ast.ForStmt, *ast.RangeStmt:
						inner = true
					case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
						inner = inner || x.Tok == token.BREAK
					}
				}
				if !inner {
					jumps[x] = x.Tok == token.BREAK
				}
			}
		}
		stack = append(stack, n)
		return true
	})
	if bad != nil {
		return r, bad
	}
	if len(jumps) > 0 {
		replaceNodes(reflect.ValueOf(r.Body), func(n ast.Node) ast.Node {
			if b, ok := n.(*ast.BranchStmt); ok {
				if isBreak, ok := jumps[b]; ok {
					return &ast.ReturnStmt{Return: b.Pos(), Results: []ast.Expr{&ast.Ident{NamePos: b.Pos(), Name: fmt.Sprint(!isBreak)}}}
				}
			}
			return n
		})
	}
	end := r.Body.Rbrace
	body := &ast.BlockStmt{Lbrace: r.Body.Lbrace, Rbrace: end}
	body.List = append(append(assign, r.Body.List...), &ast.ReturnStmt{Return: end, Results: []ast.Expr{&ast.Ident{NamePos: end, Name: "true"}}})
	yield := &ast.FuncLit{Type: &ast.FuncType{Func: p, Params: params, Results: &ast.FieldList{List: []*ast.Field{{Type: &ast.Ident{NamePos: p, Name: "bool"}}}}}, Body: body}
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: r.X, Lparen: p, Args: []ast.Expr{yield}, Rparen: end}}, nil
}

// genericNote names generic functions in a compile error of a chunk that
// declares or calls one: yaegi's support for generics is partial, and its
// errors about them are obscure.
func (s *Session) genericNote(pc *parsedCell, c chunk, err error) error {
	generic := func(name string) *ast.FuncDecl { return s.genericFunc(name, pc) }
	// Only the items at the error's line, when it has one: a plain type
	// error elsewhere in the cell is not the generic function's.
	errFile, errLine, _, _ := errorPosition(err)
	at := func(n ast.Node) bool {
		if errLine == 0 || n == nil {
			return true
		}
		from, to := s.fset.Position(n.Pos()), s.fset.Position(n.End())
		return from.Filename == errFile && from.Line <= errLine && errLine <= to.Line
	}
	itemAt := func(it *item) bool {
		if it.decl != nil {
			return at(it.decl)
		}
		for _, st := range it.stmts {
			if at(st) {
				return true
			}
		}
		return false
	}
	var d *ast.FuncDecl
	what := "declaring"
	for _, it := range c.items {
		if fd, ok := it.decl.(*ast.FuncDecl); ok && fd.Type.TypeParams != nil && at(fd) {
			d = fd
			break
		}
	}
	if d == nil {
		what = "calling"
		for _, it := range c.items {
			for n := range it.uses {
				// The call is at the error's line, or the error is in
				// the function (instantiated for the call).
				if d = generic(n); d != nil && (itemAt(it) || at(d)) {
					break
				}
				d = nil
			}
			if d != nil {
				break
			}
		}
	}
	if d == nil {
		return err
	}
	msg := err.Error()
	pos := s.fset.Position(d.Pos())
	if m := cfgErrorPos.FindString(msg); m != "" {
		msg = msg[len(m):]
		return fmt.Errorf("%sgeneric functions: %s %s (declared at %s line %d), the interpreter failed: %s",
			m, what, d.Name.Name, s.fileLabel(s.fset.Position(d.Pos()).Filename), s.fset.Position(d.Pos()).Line, msg)
	}
	return fmt.Errorf("%s: generic functions: %s %s (line %d), the interpreter failed: %s", pos, what, d.Name.Name, pos.Line, msg)
}

// fileLabel names a cell file for messages ("cell3" -> "cell 3").
func (s *Session) fileLabel(file string) string {
	if len(file) > 4 && file[:4] == "cell" {
		return "cell " + file[4:]
	}
	return file
}

// funcLitVar returns the function literal the cell assigns to name with :=
// or var, if any.
func (pc *parsedCell) funcLitVar(name string) (lit *ast.FuncLit) {
	visit := func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == name {
						if f, ok := n.Rhs[i].(*ast.FuncLit); ok {
							lit = f
						}
					}
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i, id := range n.Names {
					if f, ok := n.Values[i].(*ast.FuncLit); ok && id.Name == name {
						lit = f
					}
				}
			}
		}
		return true
	}
	pc.inspect(visit)
	return lit
}

// yieldFromType returns the yield function type, as syntax, of an iterator
// function value of type t whose yield parameters are of simple types
// (predeclared ones, slices, maps and pointers of them, *mlx.Array).
func yieldFromType(t reflect.Type) *ast.FuncType {
	if t.Kind() != reflect.Func || t.NumIn() != 1 || t.NumOut() != 0 {
		return nil
	}
	y := t.In(0)
	if y.Kind() != reflect.Func || y.NumOut() != 1 || y.Out(0).Kind() != reflect.Bool || y.NumIn() > 2 {
		return nil
	}
	ft := &ast.FuncType{Params: &ast.FieldList{}}
	for i := 0; i < y.NumIn(); i++ {
		if !simpleType(y.In(i)) {
			return nil
		}
		e, err := parser.ParseExpr(y.In(i).String())
		if err != nil {
			return nil
		}
		ft.Params.List = append(ft.Params.List, &ast.Field{Type: e})
	}
	ft.Results = &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("bool")}}}
	return ft
}

func simpleType(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return t.Name() == "" && simpleType(t.Elem())
	case reflect.Map:
		return t.Name() == "" && simpleType(t.Key()) && simpleType(t.Elem())
	case reflect.Pointer:
		if t.String() == "*mlx.Array" && t.Elem().PkgPath() == mlxPath {
			return true
		}
		return t.Name() == "" && simpleType(t.Elem())
	case reflect.Struct, reflect.Func, reflect.Interface, reflect.Chan, reflect.UnsafePointer:
		return t == reflect.TypeFor[any]() || t == reflect.TypeFor[error]()
	}
	return t.PkgPath() == "" && t.Name() != ""
}

// rangeNote explains yaegi's "nil type" crash in a chunk with a range
// statement over something that may be a function.
func (s *Session) rangeNote(c chunk, err error) error {
	if !strings.Contains(err.Error(), "nil type") {
		return err
	}
	var found *ast.RangeStmt
	visit := func(n ast.Node) bool {
		if r, ok := n.(*ast.RangeStmt); ok && found == nil {
			switch unparen(r.X).(type) {
			case *ast.CompositeLit, *ast.BasicLit:
			default:
				found = r
			}
		}
		return found == nil
	}
	for _, it := range c.items {
		if it.decl != nil {
			ast.Inspect(it.decl, visit)
		}
		for _, st := range it.stmts {
			ast.Inspect(st, visit)
		}
	}
	if found == nil {
		return err
	}
	pos := s.fset.Position(found.X.Pos())
	return fmt.Errorf("%s: range over a function (line %d): the interpreter cannot range over %s; it can when the iterator is a function declared in a cell (func Name(yield func(...) bool)), a call of one that returns it, a func literal assigned in the same cell, or made of earlier cells' names (maps.Keys(m) with m from an earlier cell)",
		pos, pos.Line, printNode(s.fset, found.X))
}

// rangeConstant rejects, with Go's wording, a range over a constant that is
// not an integer, a rune or a string (yaegi crashes on one): "1:16: cannot
// range over 3.5 (untyped float constant)".
func (s *Session) rangeConstant(r *ast.RangeStmt) error {
	src := printNode(s.fset, r.X)
	tv, err := types.Eval(token.NewFileSet(), nil, token.NoPos, src)
	if err != nil || tv.Value == nil || tv.Type == nil {
		return nil
	}
	b, ok := tv.Type.Underlying().(*types.Basic)
	if !ok || b.Info()&(types.IsInteger|types.IsString) != 0 {
		return nil
	}
	desc := tv.Type.String() + " constant"
	if b.Info()&types.IsUntyped != 0 {
		if v := tv.Value.String(); v != src {
			desc += " " + v
		}
	} else {
		desc = "constant " + tv.Value.String() + " of type " + tv.Type.String()
	}
	pos := s.fset.Position(r.X.Pos())
	return fmt.Errorf("%s: cannot range over %s (%s)", pos, src, desc)
}

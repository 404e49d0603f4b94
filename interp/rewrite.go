package interp

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"strconv"
	"strings"
)

// Rewrites applied to a cell's syntax tree before yaegi sees it.

// rtCall builds _mlxgo.name(args...) at position p.
func rtCall(p token.Pos, name string, args ...ast.Expr) *ast.CallExpr {
	return &ast.CallExpr{
		Fun:    &ast.SelectorExpr{X: &ast.Ident{NamePos: p, Name: rtName}, Sel: &ast.Ident{NamePos: p, Name: name}},
		Lparen: p,
		Args:   args,
		Rparen: p,
	}
}

func intLit(p token.Pos, n int) *ast.BasicLit {
	return &ast.BasicLit{ValuePos: p, Kind: token.INT, Value: strconv.Itoa(n)}
}

func strLit(p token.Pos, s string) *ast.BasicLit {
	return &ast.BasicLit{ValuePos: p, Kind: token.STRING, Value: strconv.Quote(s)}
}

// rewriteGo makes every go statement under n recover a panic and hand it
// to the session (a panic in a goroutine would otherwise end the process),
// and count the goroutine in its cell's tree (stopper, interrupt.go):
//
//	go func(a A) { body }(x)  ->  go func(a A) { defer recoverer(); _mlxgo.Check("start"); body }(x)
//	go f(x, y)                 ->  go func() { defer recoverer(); _mlxgo.Check("start"); f(x, y) }()
//
// where the recoverer passes what it recovered to _mlxgo.Check("end", r),
// which drops an interrupt's panic. The second form's arguments are
// evaluated first, as Go does (hoistGoArgs). It returns n, or what replaces
// n when n itself is such a go statement.
func rewriteGo(n ast.Node, file string, fset *token.FileSet) ast.Node {
	n = hoistGoArgs(n)
	ast.Inspect(n, func(n ast.Node) bool {
		g, ok := n.(*ast.GoStmt)
		if !ok {
			return true
		}
		p := g.Go
		line := fset.Position(p).Line
		r := func() *ast.Ident { return &ast.Ident{NamePos: p, Name: "_mlxgoR"} }
		emptyFunc := func() *ast.FuncType {
			return &ast.FuncType{Func: p, Params: &ast.FieldList{Opening: p, Closing: p}}
		}
		// defer func() { if _mlxgoR := recover(); _mlxgo.Check("end", _mlxgoR) == 0 { _mlxgo.GoPanic(_mlxgoR, file, line) } }()
		recoverer := &ast.DeferStmt{Defer: p, Call: &ast.CallExpr{
			Fun: &ast.FuncLit{Type: emptyFunc(), Body: &ast.BlockStmt{Lbrace: p, Rbrace: p, List: []ast.Stmt{
				&ast.IfStmt{
					If: p,
					Init: &ast.AssignStmt{Lhs: []ast.Expr{r()}, TokPos: p, Tok: token.DEFINE,
						Rhs: []ast.Expr{&ast.CallExpr{Fun: &ast.Ident{NamePos: p, Name: "recover"}, Lparen: p, Rparen: p}}},
					Cond: &ast.BinaryExpr{X: rtCall(p, "Check", strLit(p, opEnd), r()), OpPos: p, Op: token.EQL, Y: intLit(p, 0)},
					Body: &ast.BlockStmt{Lbrace: p, Rbrace: p, List: []ast.Stmt{
						&ast.ExprStmt{X: rtCall(p, "GoPanic", r(), strLit(p, file), intLit(p, line))},
					}},
				},
			}}},
			Lparen: p, Rparen: p,
		}}
		start := &ast.ExprStmt{X: rtCall(p, "Check", strLit(p, opStart))}
		if lit, ok := g.Call.Fun.(*ast.FuncLit); ok {
			lit.Body.List = append([]ast.Stmt{recoverer, start}, lit.Body.List...)
			return true
		}
		g.Call = &ast.CallExpr{
			Fun: &ast.FuncLit{Type: emptyFunc(), Body: &ast.BlockStmt{Lbrace: p, Rbrace: g.End(),
				List: []ast.Stmt{recoverer, start, &ast.ExprStmt{X: g.Call}}}},
			Lparen: p, Rparen: p,
		}
		return true
	})
	return n
}

// hoistGoArgs makes the go statements under n (n itself too, when it is a
// statement: the result replaces it) evaluate their arguments before the
// goroutine starts, as Go does: rewriteGo runs the call inside a function
// literal, where they would be evaluated late. `go f(a, b)` becomes
// `{ _mlxgoA0, _mlxgoA1 := a, b; go f(_mlxgoA0, _mlxgoA1) }`. A sole
// argument that is a call (maybe of several results) stays as it is.
func hoistGoArgs(n ast.Node) ast.Node {
	hoist := func(x ast.Node) ast.Node {
		g, ok := x.(*ast.GoStmt)
		if !ok || len(g.Call.Args) == 0 {
			return x
		}
		if _, lit := g.Call.Fun.(*ast.FuncLit); lit {
			return x // a literal's arguments are evaluated by the call itself
		}
		if _, call := g.Call.Args[0].(*ast.CallExpr); call && len(g.Call.Args) == 1 {
			return x
		}
		p := g.Go
		assign := &ast.AssignStmt{TokPos: p, Tok: token.DEFINE, Rhs: g.Call.Args}
		args := make([]ast.Expr, len(g.Call.Args))
		for i := range args {
			name := fmt.Sprintf("%sA%d", rtName, i)
			assign.Lhs = append(assign.Lhs, &ast.Ident{NamePos: p, Name: name})
			args[i] = &ast.Ident{NamePos: p, Name: name}
		}
		g.Call.Args = args
		return &ast.BlockStmt{Lbrace: p, List: []ast.Stmt{assign, g}, Rbrace: g.End()}
	}
	holder := &ast.BlockStmt{}
	if st, ok := n.(ast.Stmt); ok {
		holder.List = []ast.Stmt{st}
		replaceNodes(reflect.ValueOf(holder), hoist)
		return holder.List[0]
	}
	replaceNodes(reflect.ValueOf(n), hoist)
	return n
}

// rewriteDefer turns the defer statements of a cell's top level (outside
// function literals) into calls that hand the deferred call to the session,
// which runs them when the cell ends: yaegi would keep them on its global
// frame and run them again after every later cell. The deferred call's
// arguments are evaluated when the cell ends, and recover in it does not
// stop a panic of the cell.
func rewriteDefer(n ast.Node, cell int) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			for i, st := range n.List {
				n.List[i] = deferToCall(st, cell)
			}
		case *ast.CaseClause:
			for i, st := range n.Body {
				n.Body[i] = deferToCall(st, cell)
			}
		case *ast.CommClause:
			for i, st := range n.Body {
				n.Body[i] = deferToCall(st, cell)
			}
		case *ast.LabeledStmt:
			n.Stmt = deferToCall(n.Stmt, cell)
		}
		return true
	})
}

func deferToCall(st ast.Stmt, cell int) ast.Stmt {
	d, ok := st.(*ast.DeferStmt)
	if !ok {
		return st
	}
	p := d.Defer
	fn := &ast.FuncLit{
		Type: &ast.FuncType{Func: p, Params: &ast.FieldList{Opening: p, Closing: p}},
		Body: &ast.BlockStmt{Lbrace: p, Rbrace: d.End(), List: []ast.Stmt{&ast.ExprStmt{X: d.Call}}},
	}
	return &ast.ExprStmt{X: rtCall(p, "Defer", intLit(p, cell), fn)}
}

// Whether the last expression of a cell has a value: decided from the
// syntax tree and what the session knows of the names it calls; when that
// is not enough (a call of a function value), the interpreter decides.
const (
	kindUnknown = iota
	kindValue
	kindVoid
)

var voidBuiltins = map[string]bool{"panic": true, "print": true, "println": true, "close": true, "delete": true, "clear": true}

// printLike reports functions whose results are not worth showing as a
// cell's result (fmt.Println returns a byte count and an error).
func printLike(pkgPath, name string) bool {
	switch pkgPath {
	case "fmt":
		for _, p := range []string{"Print", "Fprint", "Scan", "Fscan", "Sscan"} {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
	case "log":
		return strings.HasPrefix(name, "Print") || strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic")
	}
	return false
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

func (s *Session) exprKind(e ast.Expr, pc *parsedCell) int {
	call, ok := unparen(e).(*ast.CallExpr)
	if !ok {
		return kindValue
	}
	switch fn := unparen(call.Fun).(type) {
	case *ast.FuncLit:
		if fn.Type.Results == nil || len(fn.Type.Results.List) == 0 {
			return kindVoid
		}
		return kindValue
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType, *ast.StructType, *ast.StarExpr:
		return kindValue // a conversion
	case *ast.Ident:
		if d := pc.funcDecl(fn.Name); d != nil {
			return funcDeclKind(d)
		}
		s.state.Lock()
		fi := s.funcs[fn.Name]
		_, isType := s.types[fn.Name]
		s.state.Unlock()
		for _, it := range pc.items {
			for _, d := range it.defs {
				if d == fn.Name {
					return kindUnknown // redeclared in this cell (a var of func type, a type)
				}
			}
		}
		switch {
		case fi != nil:
			return funcDeclKind(fi.decl)
		case isType:
			return kindValue
		case voidBuiltins[fn.Name]:
			return kindVoid
		case universe[fn.Name]:
			return kindValue // a value builtin or a conversion
		}
		if v, ok := s.global(fn.Name); ok && v.Kind() == reflect.Func {
			return funcTypeKind(v.Type())
		}
	case *ast.SelectorExpr:
		x, ok := fn.X.(*ast.Ident)
		if !ok {
			break
		}
		s.state.Lock()
		p, isPkg := s.imports[x.Name]
		s.state.Unlock()
		if !isPkg {
			p, isPkg = pc.imports[x.Name]
		}
		if isPkg {
			if printLike(p, fn.Sel.Name) {
				return kindVoid
			}
			sym, ok := s.exports[p][fn.Sel.Name]
			if !ok {
				break
			}
			if sym.Kind() == reflect.Func {
				return funcTypeKind(sym.Type())
			}
			return kindValue // a conversion to a package's type
		}
		if v, ok := s.global(x.Name); ok && v.IsValid() {
			if m, ok := v.Type().MethodByName(fn.Sel.Name); ok {
				return funcTypeKind(m.Type)
			}
		}
	}
	return kindUnknown
}

func funcDeclKind(d *ast.FuncDecl) int {
	if d.Type.Results == nil || len(d.Type.Results.List) == 0 {
		return kindVoid
	}
	return kindValue
}

func funcTypeKind(t reflect.Type) int {
	if t.NumOut() == 0 {
		return kindVoid
	}
	return kindValue
}

// funcDecl returns the function named name that the cell declares.
func (pc *parsedCell) funcDecl(name string) *ast.FuncDecl {
	for _, it := range pc.items {
		if d, ok := it.decl.(*ast.FuncDecl); ok && d.Recv == nil && d.Name.Name == name {
			return d
		}
	}
	return nil
}

// global returns the value of a session variable or constant.
func (s *Session) global(name string) (reflect.Value, bool) {
	v, ok := s.globals()[name]
	return v, ok
}

// globals returns the session's variables and constants. (yaegi's Globals
// fails on a variable that was compiled but never ran: then none is known.)
func (s *Session) globals() (g map[string]reflect.Value) {
	defer func() {
		if recover() != nil {
			g = nil
		}
	}()
	return s.in.Globals()
}

// inferTypeArgs makes explicit the type arguments of the calls under n of
// generic functions the session or the cell declares, where the
// arguments' written types give every one of them: function literals,
// composite literals, conversions, &T{...}, and variables whose type is
// written in the cell or is made of predeclared types. yaegi infers a type
// parameter that appears only in a function parameter's type wrongly:
// Map([]int{1}, func(int) string {...}) with Map[T, U any](xs []T, f
// func(T) U) gets U = int. Calls it cannot decide on are left alone.
func (s *Session) inferTypeArgs(n ast.Node, pc *parsedCell) {
	generic := func(name string) *ast.FuncDecl { return s.genericFunc(name, pc) }
	ast.Inspect(n, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || call.Ellipsis.IsValid() {
			return true
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok {
			return true
		}
		d := generic(id.Name)
		if d == nil {
			return true
		}
		var tparams []string
		isParam := map[string]bool{}
		for _, f := range d.Type.TypeParams.List {
			for _, nm := range f.Names {
				tparams = append(tparams, nm.Name)
				isParam[nm.Name] = true
			}
		}
		var params []ast.Expr
		for _, f := range d.Type.Params.List {
			for i := 0; i < max(1, len(f.Names)); i++ {
				params = append(params, f.Type)
			}
		}
		variadic := false
		if len(params) > 0 {
			if e, ok := params[len(params)-1].(*ast.Ellipsis); ok {
				variadic = true
				params[len(params)-1] = e.Elt
			}
		}
		if len(call.Args) != len(params) && !(variadic && len(call.Args) >= len(params)-1) {
			return true
		}
		bound := map[string]ast.Expr{}
		for i, a := range call.Args {
			p := params[min(i, len(params)-1)]
			if t := s.argType(a, pc); t != nil && !unifyType(p, t, isParam, bound) {
				return true
			}
		}
		if len(bound) != len(tparams) {
			return true
		}
		idx := make([]ast.Expr, len(tparams))
		for i, name := range tparams {
			idx[i] = bound[name]
		}
		p := id.End()
		if len(idx) == 1 {
			call.Fun = &ast.IndexExpr{X: id, Lbrack: p, Index: idx[0], Rbrack: p}
		} else {
			call.Fun = &ast.IndexListExpr{X: id, Lbrack: p, Indices: idx, Rbrack: p}
		}
		return true
	})
}

// argType returns the type of an argument where it is written out, else
// nil.
func (s *Session) argType(a ast.Expr, pc *parsedCell) ast.Expr {
	switch a := a.(type) {
	case *ast.ParenExpr:
		return s.argType(a.X, pc)
	case *ast.FuncLit:
		return a.Type
	case *ast.CompositeLit:
		if at, ok := a.Type.(*ast.ArrayType); ok {
			if _, ok := at.Len.(*ast.Ellipsis); ok {
				return nil // [...]T{...}
			}
		}
		return a.Type
	case *ast.UnaryExpr:
		if a.Op == token.AND {
			if c, ok := unparen(a.X).(*ast.CompositeLit); ok && c.Type != nil {
				return &ast.StarExpr{Star: a.OpPos, X: c.Type}
			}
		}
	case *ast.CallExpr:
		if len(a.Args) != 1 {
			return nil
		}
		switch f := unparen(a.Fun).(type) {
		case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType:
			return f
		case *ast.Ident:
			if predeclaredType[f.Name] {
				return f
			}
		}
	case *ast.Ident:
		if t := pc.writtenType(a.Name); t != nil {
			return t
		}
		if v, ok := s.global(a.Name); ok && v.IsValid() {
			return predeclaredTypeExpr(v.Type(), a.Pos())
		}
	}
	return nil
}

// writtenType returns the type of a variable the cell declares at its top
// level with a written type (var x T, x := T{...}, x := func...), or nil.
func (pc *parsedCell) writtenType(name string) ast.Expr {
	var t ast.Expr
	for _, it := range pc.items {
		if g, ok := it.decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if n.Name != name {
						continue
					}
					switch {
					case vs.Type != nil:
						t = vs.Type
					case i < len(vs.Values):
						t = literalType(vs.Values[i])
					}
				}
			}
		}
		for _, st := range it.stmts {
			if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE && len(as.Lhs) == len(as.Rhs) {
				for i, l := range as.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == name {
						t = literalType(as.Rhs[i])
					}
				}
			}
		}
	}
	return t
}

// literalType is the type of a function or composite literal, else nil.
func literalType(e ast.Expr) ast.Expr {
	switch e := unparen(e).(type) {
	case *ast.FuncLit:
		return e.Type
	case *ast.CompositeLit:
		if at, ok := e.Type.(*ast.ArrayType); ok {
			if _, ok := at.Len.(*ast.Ellipsis); ok {
				return nil
			}
		}
		return e.Type
	}
	return nil
}

var predeclaredType = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`any bool byte complex64 complex128 error float32 float64
		int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr`) {
		predeclaredType[n] = true
	}
}

// predeclaredTypeExpr writes t as a type expression when it is made of
// predeclared types only ([]int, map[string]float64), else nil.
func predeclaredTypeExpr(t reflect.Type, p token.Pos) ast.Expr {
	if t.Name() != "" {
		if t.PkgPath() == "" && predeclaredType[t.Name()] {
			return &ast.Ident{NamePos: p, Name: t.Name()}
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Slice:
		if e := predeclaredTypeExpr(t.Elem(), p); e != nil {
			return &ast.ArrayType{Lbrack: p, Elt: e}
		}
	case reflect.Map:
		k, v := predeclaredTypeExpr(t.Key(), p), predeclaredTypeExpr(t.Elem(), p)
		if k != nil && v != nil {
			return &ast.MapType{Map: p, Key: k, Value: v}
		}
	case reflect.Pointer:
		if e := predeclaredTypeExpr(t.Elem(), p); e != nil {
			return &ast.StarExpr{Star: p, X: e}
		}
	}
	return nil
}

// unifyType matches a parameter's type p against an argument's type a,
// binding the type parameters (isParam) it meets in p. It reports false
// when a type parameter would get two different types; parts it cannot
// match (a named type against a type literal) bind nothing.
func unifyType(p, a ast.Expr, isParam map[string]bool, bound map[string]ast.Expr) bool {
	switch pt := p.(type) {
	case *ast.ParenExpr:
		return unifyType(pt.X, a, isParam, bound)
	case *ast.Ident:
		if !isParam[pt.Name] {
			return true
		}
		if b, ok := bound[pt.Name]; ok {
			return types.ExprString(b) == types.ExprString(a)
		}
		bound[pt.Name] = a
		return true
	}
	a = unparen(a)
	switch pt := p.(type) {
	case *ast.ArrayType:
		at, ok := a.(*ast.ArrayType)
		if !ok || (pt.Len == nil) != (at.Len == nil) {
			return true
		}
		return unifyType(pt.Elt, at.Elt, isParam, bound)
	case *ast.MapType:
		at, ok := a.(*ast.MapType)
		if !ok {
			return true
		}
		return unifyType(pt.Key, at.Key, isParam, bound) && unifyType(pt.Value, at.Value, isParam, bound)
	case *ast.StarExpr:
		at, ok := a.(*ast.StarExpr)
		if !ok {
			return true
		}
		return unifyType(pt.X, at.X, isParam, bound)
	case *ast.ChanType:
		at, ok := a.(*ast.ChanType)
		if !ok {
			return true
		}
		return unifyType(pt.Value, at.Value, isParam, bound)
	case *ast.Ellipsis:
		at, ok := a.(*ast.Ellipsis)
		if !ok {
			return true
		}
		return unifyType(pt.Elt, at.Elt, isParam, bound)
	case *ast.FuncType:
		at, ok := a.(*ast.FuncType)
		if !ok {
			return true
		}
		pp, ap := fieldTypes(pt.Params), fieldTypes(at.Params)
		pr, ar := fieldTypes(pt.Results), fieldTypes(at.Results)
		if len(pp) != len(ap) || len(pr) != len(ar) {
			return true
		}
		for i := range pp {
			if !unifyType(pp[i], ap[i], isParam, bound) {
				return false
			}
		}
		for i := range pr {
			if !unifyType(pr[i], ar[i], isParam, bound) {
				return false
			}
		}
	}
	return true
}

// fieldTypes lists the type of each parameter or result of a field list.
func fieldTypes(fl *ast.FieldList) []ast.Expr {
	if fl == nil {
		return nil
	}
	var out []ast.Expr
	for _, f := range fl.List {
		for i := 0; i < max(1, len(f.Names)); i++ {
			out = append(out, f.Type)
		}
	}
	return out
}

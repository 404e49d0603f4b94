package interp

import (
	"go/ast"
	"go/constant"
	"go/token"
	"reflect"
)

// The builtins min, max (Go 1.21) and clear are unknown to yaegi. Calls of
// them in a cell are rewritten before yaegi sees it:
//
//   - min and max of constants only are folded here (so min(1, 2.5) is the
//     untyped float constant 1.0, as in Go);
//   - other min and max calls become calls of generic helpers declared in
//     every session (helperDecls), with a non-constant argument first so
//     that the type parameter is inferred from it (min(1.5, x) has the
//     type of x);
//   - clear(x) becomes _mlxgo.Clear(x), which clears a map or zeroes the
//     elements of a slice through reflection.
//
// A cell or session that declares its own min, max or clear keeps it.

// helperDecls are declared in every session, before the first cell.
// _mlxgoReady makes the interrupt flag before any cell reads it (see
// stopper.ready).
const helperDecls = `
var _mlxgoReady = _mlxgo.Check("ready")

type _mlxgoOrdered interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string
}

func _mlxgoMin[T _mlxgoOrdered](a, b T) T {
	if a != a || b != b {
		if a != a {
			return a
		}
		return b
	}
	if b < a || (b == a && _mlxgo.NegZero(b)) {
		return b
	}
	return a
}

func _mlxgoMax[T _mlxgoOrdered](a, b T) T {
	if a != a || b != b {
		if a != a {
			return a
		}
		return b
	}
	if b > a || (b == a && _mlxgo.NegZero(a)) {
		return b
	}
	return a
}
`

// clearValue implements clear for _mlxgo.Clear.
func clearValue(x any) {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Map, reflect.Slice:
		v.Clear()
	case reflect.Invalid:
		// clear(nil map or slice typed as any): nothing to do
	default:
		panic("clear: argument must be a map or a slice, not " + v.Type().String())
	}
}

// negZero reports whether a float value is -0 (for min and max).
func negZero(x any) bool {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		return f == 0 && 1/f < 0
	}
	return false
}

// builtinNames are the builtins this file rewrites, and len, which the
// loop checks call (rewriteLoops): where the cell or the session declares
// its own len, loops call _mlxgo.Check in every iteration instead.
var builtinNames = map[string]string{"min": "_mlxgoMin", "max": "_mlxgoMax", "clear": "", "len": ""}

// declaredNames returns which of min, max, clear and len the cell declares
// anywhere (a variable, parameter, function or type of that name).
func declaredNames(pc *parsedCell) map[string]bool {
	out := map[string]bool{}
	note := func(id *ast.Ident) {
		if id != nil {
			if _, ok := builtinNames[id.Name]; ok {
				out[id.Name] = true
			}
		}
	}
	visit := func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						note(id)
					}
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				if id, ok := n.Key.(*ast.Ident); ok {
					note(id)
				}
				if id, ok := n.Value.(*ast.Ident); ok {
					note(id)
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				note(id)
			}
		case *ast.TypeSpec:
			note(n.Name)
		case *ast.FuncDecl:
			note(n.Name)
		case *ast.Field:
			for _, id := range n.Names {
				note(id)
			}
		}
		return true
	}
	pc.inspect(visit)
	return out
}

// rewriteBuiltins rewrites the calls of min, max and clear under n, except
// of the names in keep (declared by the cell or the session). With len in
// keep, it starts every loop body under n with _mlxgo.Check(), which
// rewriteLoops then leaves alone.
func rewriteBuiltins(n ast.Node, keep map[string]bool) {
	if keep["len"] {
		checkEveryIteration(n)
	}
	replaceExprs(reflect.ValueOf(n), func(e ast.Expr) ast.Expr {
		call, ok := e.(*ast.CallExpr)
		if !ok {
			return e
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok || keep[id.Name] || call.Ellipsis.IsValid() {
			return e
		}
		helper, ok := builtinNames[id.Name]
		if !ok || id.Name == "len" {
			return e
		}
		if id.Name == "clear" {
			if len(call.Args) == 1 {
				call.Fun = &ast.SelectorExpr{X: &ast.Ident{NamePos: id.Pos(), Name: rtName}, Sel: &ast.Ident{NamePos: id.Pos(), Name: "Clear"}}
			}
			return e
		}
		if len(call.Args) == 0 {
			return e // yaegi's error for an undefined name is clear enough
		}
		if folded := foldMinMax(id.Name == "min", call.Args); folded != nil {
			return folded
		}
		// A non-constant argument first: the helper's type parameter is
		// inferred from it. (The order of the others does not matter: the
		// helpers treat NaN and -0 alike whatever the order.)
		args := append([]ast.Expr(nil), call.Args...)
		for i, a := range args {
			if _, ok := constValue(a); !ok {
				args[0], args[i] = args[i], args[0]
				break
			}
		}
		// min(x) is x; min(a, b, c) is min(min(a, b), c) (yaegi's variadic
		// generics are fragile).
		r := args[0]
		if len(args) == 1 {
			return &ast.ParenExpr{Lparen: id.Pos(), X: r, Rparen: call.Rparen}
		}
		for _, a := range args[1:] {
			r = &ast.CallExpr{Fun: &ast.Ident{NamePos: id.Pos(), Name: helper}, Lparen: call.Lparen, Args: []ast.Expr{r, a}, Rparen: call.Rparen}
		}
		return r
	})
}

// constValue returns the value of a constant written as a literal, maybe
// signed and parenthesized.
func constValue(e ast.Expr) (constant.Value, bool) {
	switch x := e.(type) {
	case *ast.ParenExpr:
		return constValue(x.X)
	case *ast.BasicLit:
		v := constant.MakeFromLiteral(x.Value, x.Kind, 0)
		return v, v.Kind() != constant.Unknown
	case *ast.UnaryExpr:
		if x.Op == token.SUB || x.Op == token.ADD {
			if v, ok := constValue(x.X); ok && v.Kind() != constant.String {
				return constant.UnaryOp(x.Op, v, 0), true
			}
		}
	}
	return nil, false
}

// foldMinMax folds min or max of literal constants; nil if the arguments
// are not all constants of comparable kinds.
func foldMinMax(isMin bool, args []ast.Expr) ast.Expr {
	best := -1
	var bv constant.Value
	anyFloat, anyString, anyNum := false, false, false
	for i, a := range args {
		v, ok := constValue(a)
		if !ok {
			return nil
		}
		switch v.Kind() {
		case constant.String:
			anyString = true
		case constant.Int:
			anyNum = true
		case constant.Float:
			anyNum, anyFloat = true, true
		default:
			return nil // complex, bool: an error, left to the interpreter
		}
		if anyString && anyNum {
			return nil
		}
		op := token.LSS
		if !isMin {
			op = token.GTR
		}
		if best < 0 || constant.Compare(v, op, bv) {
			best, bv = i, v
		}
	}
	r := args[best]
	if v, _ := constValue(r); anyFloat && v.Kind() == constant.Int {
		// An untyped float constant, as Go makes it: (r + 0.0).
		p := r.Pos()
		return &ast.ParenExpr{Lparen: p, X: &ast.BinaryExpr{X: r, OpPos: p, Op: token.ADD,
			Y: &ast.BasicLit{ValuePos: p, Kind: token.FLOAT, Value: "0.0"}}, Rparen: r.End()}
	}
	return r
}

var (
	exprType  = reflect.TypeFor[ast.Expr]()
	exprsType = reflect.TypeFor[[]ast.Expr]()
)

// replaceExprs walks the syntax tree under v (a node pointer, an interface
// holding one, or a slice of them) and replaces every expression e, after
// its children, by f(e).
func replaceExprs(v reflect.Value, f func(ast.Expr) ast.Expr) {
	replaceNodes(v, func(n ast.Node) ast.Node {
		if e, ok := n.(ast.Expr); ok {
			return f(e)
		}
		return n
	})
}

var (
	stmtType  = reflect.TypeFor[ast.Stmt]()
	stmtsType = reflect.TypeFor[[]ast.Stmt]()
)

// replaceNodes walks the syntax tree under v and replaces every expression
// and statement n, after its children, by f(n) (which must be of the same
// kind: an expression for an expression).
func replaceNodes(v reflect.Value, f func(ast.Node) ast.Node) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			replaceNodes(v.Elem(), f)
		}
	case reflect.Pointer:
		if v.IsNil() || v.Elem().Kind() != reflect.Struct {
			return
		}
		switch v.Interface().(type) {
		case *ast.Object, *ast.Scope, *ast.CommentGroup, *ast.Comment:
			return
		}
		st := v.Elem()
		for i := 0; i < st.NumField(); i++ {
			fv := st.Field(i)
			switch {
			case fv.Type() == exprType || fv.Type() == stmtType:
				if !fv.IsNil() {
					replaceNodes(fv.Elem(), f)
					fv.Set(reflect.ValueOf(f(fv.Interface().(ast.Node))))
				}
			case fv.Type() == exprsType || fv.Type() == stmtsType:
				for j := 0; j < fv.Len(); j++ {
					ev := fv.Index(j)
					if !ev.IsNil() {
						replaceNodes(ev.Elem(), f)
						ev.Set(reflect.ValueOf(f(ev.Interface().(ast.Node))))
					}
				}
			case fv.Kind() == reflect.Interface, fv.Kind() == reflect.Pointer, fv.Kind() == reflect.Slice:
				replaceNodes(fv, f)
			}
		}
	case reflect.Slice:
		for j := 0; j < v.Len(); j++ {
			replaceNodes(v.Index(j), f)
		}
	}
}

package interp

import (
	"go/parser"
	"reflect"
	"slices"
)

// What completions are: JupyterLab shows the kind of each match beside it
// (the kernel sends them as _jupyter_types_experimental).

// Kinds of completions.
const (
	kindFunction = "function"
	kindVariable = "variable"
	kindConstant = "constant"
	kindType     = "type"
	kindModule   = "module"
	kindKeyword  = "keyword"
	kindMethod   = "method"
	kindField    = "field"
)

// builtinFuncs are the predeclared functions.
var builtinFuncs = map[string]bool{"append": true, "cap": true, "clear": true, "close": true, "complex": true,
	"copy": true, "delete": true, "imag": true, "len": true, "make": true, "max": true, "min": true, "new": true,
	"panic": true, "print": true, "println": true, "real": true, "recover": true}

// builtinConsts are the predeclared constants (and nil).
var builtinConsts = map[string]bool{"true": true, "false": true, "iota": true, "nil": true}

// CompleteKinds is Complete with the kind of each match: "function",
// "variable", "constant", "type", "module" (a package), "keyword",
// "method" or "field".
func (s *Session) CompleteKinds(code string, cursor int) (matches, kinds []string, start, end int) {
	matches, start, end = s.Complete(code, cursor)
	kinds = make([]string, len(matches))
	b := byteOffset(code, cursor)
	i := identBefore(code, b)
	if i > 0 && code[i-1] == '.' {
		kind := s.memberKinder(code, i-1)
		for k, m := range matches {
			kinds[k] = kind(m)
		}
		return matches, kinds, start, end
	}
	globals := s.globals()
	imports := s.codeImports(code)
	for k, m := range matches {
		kinds[k] = s.scopeKind(m, globals, imports)
	}
	return matches, kinds, start, end
}

// scopeKind is the kind of a name completed at the top level.
func (s *Session) scopeKind(name string, globals map[string]reflect.Value, imports map[string]string) string {
	if v, ok := globals[name]; ok {
		if v.IsValid() && v.Kind() == reflect.Func {
			return kindFunction
		}
		return kindVariable
	}
	s.state.Lock()
	_, isFunc := s.funcs[name]
	_, isType := s.types[name]
	_, isPkg := s.imports[name]
	s.state.Unlock()
	_, isCodePkg := imports[name]
	switch {
	case isFunc:
		return kindFunction
	case isType:
		return kindType
	case isPkg || isCodePkg:
		return kindModule
	case builtinFuncs[name]:
		return kindFunction
	case builtinConsts[name]:
		return kindConstant
	case universe[name]:
		return kindType
	case slices.Contains(goKeywords, name):
		return kindKeyword
	}
	return kindVariable // a name written in the cell
}

// memberKinder returns the kind of the names that may follow the
// expression ending at dot (the index of the '.').
func (s *Session) memberKinder(code string, dot int) func(string) string {
	j := identBefore(code, dot)
	x := code[j:dot]
	simple := x != "" && (j == 0 || code[j-1] != '.')
	if simple {
		if p, ok := s.importPath(x, code); ok {
			exports := s.exports[p]
			return func(name string) string { return exportKind(exports[name]) }
		}
		if t, ok := s.varType(x, code, 0); ok {
			return s.staticKinder(t)
		}
		if v, ok := s.global(x); ok && v.IsValid() {
			t := valueType(v)
			return func(name string) string { return reflectMemberKind(t, name) }
		}
		return func(string) string { return kindMethod } // T.M: a method expression
	}
	if k := exprStart(code, dot); k >= 0 && k < dot {
		if e, err := parser.ParseExpr(code[k:dot]); err == nil {
			if t, ok := s.typeOf(e, code, 0); ok {
				return s.staticKinder(t)
			}
		}
	}
	return func(string) string { return kindField }
}

// staticKinder tells methods from fields of a statically known type.
func (s *Session) staticKinder(t staticType) func(string) string {
	if t.rt != nil {
		return func(name string) string { return reflectMemberKind(t.rt, name) }
	}
	s.state.Lock()
	methods := map[string]bool{}
	for _, m := range s.methods[t.cell] {
		methods[m.Name.Name] = true
	}
	s.state.Unlock()
	return func(name string) string {
		if methods[name] {
			return kindMethod
		}
		return kindField
	}
}

// reflectMemberKind tells a method of t (or of *t) from a field.
func reflectMemberKind(t reflect.Type, name string) string {
	if _, ok := t.MethodByName(name); ok {
		return kindMethod
	}
	if t.Kind() != reflect.Pointer {
		if _, ok := reflect.PointerTo(t).MethodByName(name); ok {
			return kindMethod
		}
	}
	return kindField
}

// exportKind is the kind of a symbol of a compiled package, as yaegi's
// symbol tables hold them: functions as functions, variables addressable,
// types as nil pointers to them, constants as constant values.
func exportKind(v reflect.Value) string {
	switch {
	case !v.IsValid():
		return kindFunction // a generic function, interpreted from source
	case v.CanAddr():
		return kindVariable
	case v.Kind() == reflect.Func:
		return kindFunction
	case v.Kind() == reflect.Pointer && v.IsNil():
		return kindType
	}
	return kindConstant
}

package interp

import (
	"reflect"
	"unsafe"
)

// yaegi has no API for the static type of a variable or an expression
// (reflect cannot tell two cell types of the same structure apart, nor
// name them). varTypes (retype.go) and localTypes (genericdef.go) read it
// from the interpreter's symbol table: unexported fields of the pinned
// yaegi (srcPkg["main"][name] -> symbol{typ, node}, node{child, ident,
// pos, typ}, itype{str}). Both recover from any change there and then
// report nothing.

// mainSymbols returns the symbol table of the cells' package (a map of
// names to *symbol), or an invalid value.
func (s *Session) mainSymbols() reflect.Value {
	f := reflect.ValueOf(s.in).Elem().FieldByName("srcPkg")
	pkgs := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
	return pkgs.MapIndex(reflect.ValueOf("main"))
}

package interp

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mlxgo/mlxgo/display"
)

// Cursor positions are in Unicode code points.

// byteOffset converts a code-point offset into a byte offset of code.
func byteOffset(code string, cursor int) int {
	if cursor <= 0 {
		return 0
	}
	n := 0
	for i := range code {
		if n == cursor {
			return i
		}
		n++
	}
	return len(code)
}

func isIdentRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// identBefore returns the start of the identifier that ends at byte b.
func identBefore(code string, b int) int {
	for b > 0 {
		r, size := utf8.DecodeLastRuneInString(code[:b])
		if !isIdentRune(r) {
			break
		}
		b -= size
	}
	return b
}

// identAfter returns the end of the identifier that starts at byte b.
func identAfter(code string, b int) int {
	for b < len(code) {
		r, size := utf8.DecodeRuneInString(code[b:])
		if !isIdentRune(r) {
			break
		}
		b += size
	}
	return b
}

// Complete returns the names that can replace the identifier before the
// cursor, and the [start, end) range (code points) they replace: names in
// scope (the session's variables, functions, types and packages, Go's
// predeclared names and keywords, names in the code), a package's members
// after "pkg.", and the methods and fields of a variable's value after "x.".
func (s *Session) Complete(code string, cursor int) (matches []string, start, end int) {
	b := byteOffset(code, cursor)
	i := identBefore(code, b)
	prefix := code[i:b]
	start = cursor - utf8.RuneCountInString(prefix)
	end = cursor
	var names []string
	if i > 0 && code[i-1] == '.' {
		j := identBefore(code, i-1)
		x := code[j : i-1]
		if x != "" && (j == 0 || code[j-1] != '.') {
			names = s.members(x, code)
		} else if k := exprStart(code, i-1); k >= 0 && k < i-1 {
			names = s.exprMembers(code[k:i-1], code) // a chain or call whose type is known statically
		}
	} else {
		names = s.scopeNames(code, i, b)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && !seen[n] && !strings.HasPrefix(n, "_mlxgo") {
			seen[n] = true
			matches = append(matches, n)
		}
	}
	sort.Strings(matches)
	return matches, start, end
}

var goKeywords = strings.Fields(`break case chan const continue default defer else fallthrough for func go goto
	if import interface map package range return select struct switch type var`)

// scopeNames lists the names visible at the top level of a cell; skip is
// the identifier being completed, [from, to) in code.
func (s *Session) scopeNames(code string, from, to int) []string {
	var names []string
	for n := range s.globals() {
		if !strings.HasPrefix(n, "_mlxgo") {
			names = append(names, n)
		}
	}
	s.state.Lock()
	for n := range s.funcs {
		names = append(names, n)
	}
	for n := range s.types {
		names = append(names, n)
	}
	for n := range s.imports {
		names = append(names, n)
	}
	s.state.Unlock()
	for n := range universe {
		names = append(names, n)
	}
	names = append(names, goKeywords...)
	for n := range s.codeImports(code) {
		names = append(names, n)
	}
	toks, _, _ := tokenize(code)
	for _, t := range toks {
		if t.tok == token.IDENT && (t.off < from || t.off >= to) {
			names = append(names, code[t.off:t.end])
		}
	}
	return names
}

// codeImports returns the imports written in code (package name -> path),
// whether or not the cell has run.
func (s *Session) codeImports(code string) map[string]string {
	out := map[string]string{}
	for _, it := range splitItems(code) {
		if it.kind != itemImport {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+code[it.start:it.end], parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, is := range f.Imports {
			if n := s.importName(is); n != "_" && n != "." {
				out[n], _ = strconv.Unquote(is.Path.Value)
			}
		}
	}
	return out
}

// importPath returns the import path bound to a package name in the session
// or in code.
func (s *Session) importPath(name, code string) (string, bool) {
	s.state.Lock()
	p, ok := s.imports[name]
	s.state.Unlock()
	if ok {
		return p, true
	}
	p, ok = s.codeImports(code)[name]
	return p, ok
}

// members lists what can follow "x.": a package's exported names, or the
// methods and fields of the value of variable x.
func (s *Session) members(x, code string) []string {
	var names []string
	if p, ok := s.importPath(x, code); ok {
		for n := range s.exports[p] {
			if ast.IsExported(n) {
				names = append(names, n)
			}
		}
		return names
	}
	if t, ok := s.varType(x, code, 0); ok {
		return s.staticMembers(t)
	}
	v, ok := s.global(x)
	if !ok || !v.IsValid() {
		s.state.Lock()
		for _, m := range s.methods[x] { // method expressions T.M
			names = append(names, m.Name.Name)
		}
		s.state.Unlock()
		return names
	}
	return typeMembers(valueType(v))
}

// valueType is the dynamic type of a variable's value.
func valueType(v reflect.Value) reflect.Type {
	if v.Kind() == reflect.Interface && !v.IsNil() {
		return v.Elem().Type()
	}
	return v.Type()
}

// typeMembers lists the exported methods of t and, for a struct or a
// pointer to one, its exported fields.
func typeMembers(t reflect.Type) []string {
	var names []string
	for i := range t.NumMethod() {
		names = append(names, t.Method(i).Name)
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
		for i := range reflect.PointerTo(st).NumMethod() {
			names = append(names, reflect.PointerTo(st).Method(i).Name)
		}
	}
	if st.Kind() == reflect.Struct {
		for i := range st.NumField() {
			if f := st.Field(i); f.IsExported() {
				names = append(names, f.Name)
			}
		}
	}
	return names
}

// Inspect describes the name under the cursor, or the function whose call
// the cursor is in: its signature and doc comment (mlx, grad, display,
// the standard library, functions and types of earlier cells), or a
// variable's type and value.
func (s *Session) Inspect(code string, cursor int) (text string, found bool) {
	b := byteOffset(code, cursor)
	chain := chainAt(code, b)
	if chain == "" {
		chain = callBefore(code, b)
	}
	if chain == "" {
		return "", false
	}
	text = s.describe(chain, code)
	return text, text != ""
}

// chainAt returns the dotted name (a, a.b, a.b.c) around byte b.
func chainAt(code string, b int) string {
	lo, hi := identBefore(code, b), identAfter(code, b)
	if lo == hi {
		// Right after "x." or before nothing: no name here.
		return ""
	}
	for lo > 0 && code[lo-1] == '.' {
		l := identBefore(code, lo-1)
		if l == lo-1 {
			break
		}
		lo = l
	}
	return code[lo:hi]
}

// callBefore returns the dotted name of the call whose parentheses enclose
// byte b, if any.
func callBefore(code string, b int) string {
	depth := 0
	for i := b - 1; i >= 0; i-- {
		switch code[i] {
		case ')', ']', '}':
			depth++
		case '[', '{':
			if depth == 0 {
				return ""
			}
			depth--
		case '(':
			if depth > 0 {
				depth--
				continue
			}
			j := i
			for j > 0 && (code[j-1] == ' ' || code[j-1] == '\t') {
				j--
			}
			return chainAt(code, j)
		case '\n':
			if depth == 0 && i < b-1 && strings.TrimSpace(code[i:b]) == "" {
				return ""
			}
		}
	}
	return ""
}

// describe documents a dotted name.
func (s *Session) describe(chain, code string) string {
	parts := strings.Split(chain, ".")
	if len(parts) == 1 {
		return s.describeName(parts[0], code)
	}
	x, sel := parts[0], strings.Join(parts[1:], ".")
	if p, ok := s.importPath(x, code); ok {
		if e, ok := packageDocs(p)[sel]; ok {
			return docText(x+"."+sel, e)
		}
		if len(parts) == 2 {
			if sym, ok := s.exports[p][sel]; ok {
				return x + "." + sel + ": " + symbolType(sym)
			}
		}
		return ""
	}
	if len(parts) != 2 {
		return ""
	}
	if v, ok := s.global(x); ok && v.IsValid() {
		return methodDoc(valueType(v), sel)
	}
	s.state.Lock()
	defer s.state.Unlock()
	for _, m := range s.methods[x] {
		if m.Name.Name == sel {
			return s.declText(m)
		}
	}
	return ""
}

// describeName documents a single name.
func (s *Session) describeName(name, code string) string {
	s.state.Lock()
	fi, ti := s.funcs[name], s.types[name]
	var methods []*ast.FuncDecl
	if ti != nil {
		methods = s.methods[name]
	}
	s.state.Unlock()
	switch {
	case fi != nil:
		return s.declText(fi.decl)
	case ti != nil:
		t := s.declText(&ast.GenDecl{Tok: token.TYPE, Specs: []ast.Spec{ti.spec}, Doc: ti.gen.Doc})
		if len(methods) > 0 {
			t += "\n\nMethods:"
			for _, m := range methods {
				t += "\n  " + strings.Split(s.sig(m), "\n")[0]
			}
		}
		return t
	}
	if v, ok := s.global(name); ok && v.IsValid() {
		return varText(name, v)
	}
	if p, ok := s.importPath(name, code); ok {
		if e, ok := packageDocs(p)[""]; ok {
			return docText(name, e)
		}
		return "package " + name + " // import \"" + p + "\""
	}
	if universe[name] {
		if e, ok := packageDocs("builtin")[name]; ok {
			return docText(name, e)
		}
	}
	return ""
}

// docText formats a documentation entry.
func docText(name string, e docEntry) string {
	t := e.Sig
	if t == "" {
		t = name
	}
	if d := strings.TrimSpace(e.Doc); d != "" {
		t += "\n\n" + d
	}
	return t
}

// declText prints a cell's declaration (without a function's body) and its
// doc comment.
func (s *Session) declText(d ast.Decl) string {
	var doc *ast.CommentGroup
	switch d := d.(type) {
	case *ast.FuncDecl:
		doc = d.Doc
	case *ast.GenDecl:
		doc = d.Doc
	}
	t := s.sig(d)
	if doc != nil {
		if txt := strings.TrimSpace(doc.Text()); txt != "" {
			t += "\n\n" + txt
		}
	}
	return t
}

// sig prints a declaration without body or doc comment.
func (s *Session) sig(d ast.Decl) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		c := *d
		c.Body, c.Doc = nil, nil
		d2 := ast.Decl(&c)
		return printNode(s.fset, d2)
	case *ast.GenDecl:
		c := *d
		c.Doc = nil
		return printNode(s.fset, &c)
	}
	return ""
}

func printNode(fset *token.FileSet, n any) string {
	var b bytes.Buffer
	if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&b, fset, n); err != nil {
		return ""
	}
	return b.String()
}

// methodDoc documents method or field sel of values of type t.
func methodDoc(t reflect.Type, sel string) string {
	named := t
	if named.Kind() == reflect.Pointer {
		named = named.Elem()
	}
	if named.PkgPath() != "" && named.Name() != "" {
		if e, ok := packageDocs(named.PkgPath())[named.Name()+"."+sel]; ok {
			return docText(sel, e)
		}
	}
	if m, ok := t.MethodByName(sel); ok {
		return "func (" + t.String() + ") " + sel + strings.TrimPrefix(funcString(m.Type, 1), "func")
	}
	if named.Kind() == reflect.Struct {
		if f, ok := named.FieldByName(sel); ok {
			return sel + " " + f.Type.String() + " (a field of " + named.String() + ")"
		}
	}
	return ""
}

// funcString writes a func type, skipping its first skip parameters (a
// method's receiver).
func funcString(t reflect.Type, skip int) string {
	var b strings.Builder
	b.WriteString("func(")
	for i := skip; i < t.NumIn(); i++ {
		if i > skip {
			b.WriteString(", ")
		}
		if t.IsVariadic() && i == t.NumIn()-1 {
			b.WriteString("..." + t.In(i).Elem().String())
		} else {
			b.WriteString(t.In(i).String())
		}
	}
	b.WriteString(")")
	switch t.NumOut() {
	case 0:
	case 1:
		b.WriteString(" " + t.Out(0).String())
	default:
		b.WriteString(" (")
		for i := range t.NumOut() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(t.Out(i).String())
		}
		b.WriteString(")")
	}
	return b.String()
}

// symbolType describes a symbol of a compiled package.
func symbolType(v reflect.Value) string {
	switch {
	case !v.IsValid():
		return "?"
	case v.Kind() == reflect.Func:
		return funcString(v.Type(), 0)
	case v.Kind() == reflect.Pointer && v.IsNil():
		return "type " + v.Type().Elem().String()
	}
	return v.Type().String()
}

// varText describes a variable: its type and its value as a cell result
// would show it (at most 30 lines).
func varText(name string, v reflect.Value) (t string) {
	t = name + ": " + valueType(v).String()
	defer func() {
		if recover() != nil {
			t = name + ": " + valueType(v).String()
		}
	}()
	if !v.CanInterface() {
		return t
	}
	val := display.Of(v.Interface()).Text()
	lines := strings.Split(val, "\n")
	if len(lines) > 30 {
		val = strings.Join(lines[:30], "\n") + "\n..."
	}
	return t + "\n\n" + val
}

// IsComplete tells a console whether code is a whole cell: "incomplete"
// (with the indent for the next line) for open brackets or a trailing
// operator, "invalid" for a syntax error other than an early end, else
// "complete".
func (s *Session) IsComplete(code string) (status, indent string) {
	if strings.TrimSpace(code) == "" {
		return "complete", ""
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(code))
	var errs []string
	var sc scanner.Scanner
	sc.Init(file, []byte(code), func(_ token.Position, msg string) { errs = append(errs, msg) }, 0)
	depth := 0
	last := token.ILLEGAL
	for {
		_, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
			if depth < 0 {
				return "invalid", ""
			}
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue
		}
		last = tok
	}
	for _, e := range errs {
		if strings.Contains(e, "not terminated") && (strings.Contains(e, "raw string") || strings.Contains(e, "comment")) {
			return "incomplete", ""
		}
	}
	if len(errs) > 0 {
		return "invalid", ""
	}
	if depth > 0 || continues(last) {
		// Open brackets or a trailing operator continue the cell, unless the
		// code is already wrong before its end ("func {").
		if _, err := parseCell(token.NewFileSet(), "cell", code); err != nil && !errorAtEnd(err, code) {
			return "invalid", ""
		}
		if depth > 0 {
			return "incomplete", strings.Repeat("    ", depth)
		}
		return "incomplete", "    "
	}
	if _, err := parseCell(token.NewFileSet(), "cell", code); err != nil {
		if strings.Contains(err.Error(), "found 'EOF'") {
			return "incomplete", ""
		}
		return "invalid", ""
	}
	return "complete", ""
}

// errorAtEnd reports whether a parse error of code is only its early end:
// "found 'EOF'", or a position past the code's last line (the parser's
// wrapper around the cell).
func errorAtEnd(err error, code string) bool {
	msg := err.Error()
	if strings.Contains(msg, "found 'EOF'") {
		return true
	}
	var line, col int
	if i := strings.Index(msg, "cell:"); i >= 0 {
		if _, e := fmt.Sscanf(msg[i+len("cell:"):], "%d:%d", &line, &col); e == nil {
			lines := strings.Split(code, "\n")
			if line > len(lines) {
				return true
			}
			// At the very end of the last line: "missing ',' before newline" in
			// an argument list that continues on the next line.
			return line == len(lines) && col > len(lines[line-1])
		}
	}
	return false
}

// continues reports tokens after which a Go statement cannot end.
func continues(t token.Token) bool {
	switch t {
	case token.INC, token.DEC, token.RPAREN, token.RBRACK, token.RBRACE, token.ILLEGAL,
		token.BREAK, token.CONTINUE, token.FALLTHROUGH, token.RETURN, token.SEMICOLON:
		return false
	}
	return t.IsOperator() || t.IsKeyword()
}

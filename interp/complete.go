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
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"weak"

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
	ghosts := s.ghosts()
	for n := range s.globals() {
		if !strings.HasPrefix(n, "_mlxgo") && !ghosts[n] {
			names = append(names, n)
		}
	}
	s.state.Lock()
	for n := range s.funcs {
		if !ghosts[n] {
			names = append(names, n)
		}
	}
	for n := range s.types {
		if !ghosts[n] {
			names = append(names, n)
		}
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
		return s.memberDoc(x, p, sel)
	}
	if len(parts) == 2 {
		if v, ok := s.global(x); ok && v.IsValid() {
			return methodDoc(valueType(v), sel)
		}
		s.state.Lock()
		for _, m := range s.methods[x] {
			if m.Name.Name == sel {
				s.state.Unlock()
				return s.declText(m)
			}
		}
		s.state.Unlock()
	}
	// A package the session has not imported: its documentation does not
	// depend on an import.
	if p, ok := s.knownPackage(x, sel); ok {
		return s.memberDoc(x, p, sel)
	}
	return ""
}

// memberDoc documents sel (a name, or Type.Method) of the package at import
// path p, named x.
func (s *Session) memberDoc(x, p, sel string) string {
	if e, ok := packageDocs(p)[sel]; ok {
		return docText(x+"."+sel, e)
	}
	if !strings.Contains(sel, ".") {
		if sym, ok := s.exports[p][sel]; ok {
			return x + "." + sel + ": " + symbolType(sym)
		}
	}
	return ""
}

// knownPackage returns the import path of a package named name among those
// cells can import (the standard library), for help on a name of a package
// the session has not imported. Where several share the name (math/rand,
// crypto/rand), the one that has member sel and the shortest path wins,
// crypto/ and html/ last.
func (s *Session) knownPackage(name, sel string) (string, bool) {
	first, _, _ := strings.Cut(sel, ".")
	var cands []string
	for p := range s.exports {
		if s.packageName(p) == name && !strings.Contains(p, "internal") {
			cands = append(cands, p)
		}
	}
	rank := func(p string) (int, int, int) {
		has := 1
		if _, ok := s.exports[p][first]; ok || first == "" {
			has = 0
		}
		late := 0
		if strings.HasPrefix(p, "crypto/") || strings.HasPrefix(p, "html/") {
			late = 1
		}
		return has, strings.Count(p, "/"), late
	}
	sort.Slice(cands, func(i, j int) bool {
		hi, si, li := rank(cands[i])
		hj, sj, lj := rank(cands[j])
		if hi != hj {
			return hi < hj
		}
		if si != sj {
			return si < sj
		}
		if li != lj {
			return li < lj
		}
		return cands[i] < cands[j]
	})
	if len(cands) == 0 {
		return "", false
	}
	return cands[0], true
}

// describeName documents a single name.
func (s *Session) describeName(name, code string) string {
	if s.ghosts()[name] {
		return ""
	}
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
	p, ok := s.importPath(name, code)
	if !ok {
		p, ok = s.knownPackage(name, "")
	}
	if ok {
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

// printNode prints a declaration as Go source, types renamed by retype.go
// as the user wrote them.
func printNode(fset *token.FileSet, n any) string {
	var b bytes.Buffer
	if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&b, fset, n); err != nil {
		return ""
	}
	return versioned.ReplaceAllString(b.String(), "$1")
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
		if strings.Contains(err.Error(), "found end of cell") {
			return "incomplete", ""
		}
		return "invalid", ""
	}
	return "complete", ""
}

// errorAtEnd reports whether a parse error of code is only its early end:
// "found end of cell" (endError), or a position past the code's last line.
func errorAtEnd(err error, code string) bool {
	msg := err.Error()
	if strings.Contains(msg, "found end of cell") {
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

// Names of failed cells. A cell that failed may leave names that yaegi
// declared but that no statement of the cell gave a value: all those of a
// cell with a compile error (which has no effect), those of statements at
// or after the one that panicked or was interrupted. Later cells could
// read them (as zero values); completion and inspection do not offer them.
// The functions and types of a cell that panicked stay: they were
// declared before its statements ran.

// fate is how a cell failed.
type fate struct {
	compile bool // a compile error
	line    int  // else: the top-level line that panicked or was interrupted (0: before the first)
}

// fateLog is a session's record of failed cells.
type fateLog struct {
	mu    sync.Mutex
	fates map[string]fate      // cell file -> how it failed
	defs  map[string]*cellDefs // cell file -> what it declares (cached)
}

// fateLogs holds each session's fateLog (Session's fields are declared in
// interp.go), until the session is collected.
var fateLogs sync.Map // weak.Pointer[Session] -> *fateLog

func (s *Session) fateLog() *fateLog {
	k := weak.Make(s)
	if l, ok := fateLogs.Load(k); ok {
		return l.(*fateLog)
	}
	l, loaded := fateLogs.LoadOrStore(k, &fateLog{fates: map[string]fate{}, defs: map[string]*cellDefs{}})
	if !loaded {
		runtime.AddCleanup(s, func(k weak.Pointer[Session]) { fateLogs.Delete(k) }, k)
	}
	return l.(*fateLog)
}

// noteFate records how cell file failed; the first failure counts.
func (s *Session) noteFate(file string, f fate) {
	if file == "" {
		return
	}
	l := s.fateLog()
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.fates[file]; !ok {
		l.fates[file] = f
	}
}

// noteCompileError records a compile error of the running cell.
func (s *Session) noteCompileError() {
	s.state.Lock()
	file := s.curFile
	s.state.Unlock()
	s.noteFate(file, fate{compile: true})
}

// noteInterrupt records that the running cell was interrupted at its
// current line.
func (s *Session) noteInterrupt() {
	s.state.Lock()
	file := s.curFile
	s.state.Unlock()
	s.noteFate(file, fate{line: int(s.line.Load())})
}

// cellDefs is what a cell declares at its top level.
type cellDefs struct {
	reset bool      // a %reset cell: nothing declared before it remains
	names []cellDef // in no particular order
}

// cellDef is one name a cell declares; ran tells whether the statement or
// declaration that gives it its value ran before a failure at line.
type cellDef struct {
	name string
	ran  func(line int) bool
}

// defsOf returns what the code of a cell declares.
func (s *Session) defsOf(code string) *cellDefs {
	d := &cellDefs{}
	if name, arg, rest, ok := magicLine(code); ok {
		switch name {
		case "reset":
			d.reset = true
			code = "\n" + rest
		case "time":
			code = strings.Repeat(" ", len(name)+1) + " " + arg + "\n" + rest
		case "timeit":
			return d // its code runs in a function
		default:
			code = "\n" + rest
		}
	}
	pc, err := parseCell(token.NewFileSet(), "cell", code)
	if err != nil {
		return d
	}
	pkgNames := map[string]bool{}
	s.state.Lock()
	for n := range s.imports {
		pkgNames[n] = true
	}
	s.state.Unlock()
	for n := range s.codeImports(code) {
		pkgNames[n] = true
	}
	pc.analyse(pkgNames)
	pc.order()
	// The statements in order, with their lines; the failing statement is
	// the first that covers the line.
	type span struct{ from, to int }
	var stmts []span
	lineOf := func(off int) int { return 1 + strings.Count(code[:off], "\n") }
	for _, it := range pc.items {
		if it.kind == itemStmt {
			stmts = append(stmts, span{it.line, lineOf(it.end)})
		}
	}
	// failedAt returns the index of the statement that failed at line
	// (len(stmts) if none did), and the place of a declaration that did.
	failedAt := func(line int) (stmt, decl int) {
		if line == 0 {
			return 0, 0
		}
		for i, sp := range stmts {
			if sp.from <= line && line <= sp.to {
				return i, len(stmts) + 1
			}
		}
		for _, it := range pc.items {
			if it.kind == itemDecl && it.line <= line && line <= lineOf(it.end) {
				return it.place, it.place
			}
		}
		return len(stmts), len(stmts) + 1
	}
	si := 0
	for _, it := range pc.items {
		switch it.kind {
		case itemStmt:
			i := si
			si++
			for _, n := range stmtDefs(it.stmts) {
				d.names = append(d.names, cellDef{n, func(line int) bool {
					st, _ := failedAt(line)
					return i < st
				}})
			}
		case itemDecl:
			place := it.place
			isVar := false
			if g, ok := it.decl.(*ast.GenDecl); ok && (g.Tok == token.VAR || g.Tok == token.CONST) {
				isVar = true
			}
			for _, n := range it.defs {
				if !isVar {
					d.names = append(d.names, cellDef{n, func(int) bool { return true }})
					continue
				}
				d.names = append(d.names, cellDef{n, func(line int) bool {
					_, dp := failedAt(line)
					return place < dp
				}})
			}
		}
	}
	return d
}

// stmtDefs returns the names top-level statements declare (x := ...).
func stmtDefs(stmts []ast.Stmt) []string {
	var names []string
	for _, st := range stmts {
		if a, ok := st.(*ast.AssignStmt); ok && a.Tok == token.DEFINE {
			for _, l := range a.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
					names = append(names, id.Name)
				}
			}
		}
	}
	return names
}

// ghosts returns the names that failed cells left without a value, and
// that no other cell gave one.
func (s *Session) ghosts() map[string]bool {
	l := s.fateLog()
	s.state.Lock()
	n := s.nCells
	type cell struct{ file, code string }
	cells := make([]cell, 0, n)
	for i := 1; i <= n; i++ {
		f := "cell" + strconv.Itoa(i)
		if code, ok := s.sources[f]; ok {
			cells = append(cells, cell{f, code})
		}
	}
	s.state.Unlock()
	l.mu.Lock()
	if len(l.fates) == 0 {
		l.mu.Unlock()
		return nil
	}
	l.mu.Unlock()
	real, ghost := map[string]bool{}, map[string]bool{}
	for _, c := range cells {
		l.mu.Lock()
		d := l.defs[c.file]
		f, failed := l.fates[c.file]
		l.mu.Unlock()
		if d == nil {
			d = s.defsOf(c.code)
			l.mu.Lock()
			l.defs[c.file] = d
			l.mu.Unlock()
		}
		if d.reset {
			clear(real)
			clear(ghost)
		}
		for _, def := range d.names {
			if !failed || !f.compile && def.ran(f.line) {
				real[def.name] = true
				delete(ghost, def.name)
			} else if !real[def.name] {
				ghost[def.name] = true
			}
		}
	}
	return ghost
}

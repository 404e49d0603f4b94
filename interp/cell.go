package interp

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// A cell is split into items: top-level imports, declarations (func,
// method, type, var, const) and statements. yaegi cannot evaluate them in
// one piece, so imports run first, then the other items in groups: a
// declaration is hoisted before the statements of the cell that do not
// share an identifier with it, so a cell may call a function it declares
// further down, and a function may use a variable that a statement above
// it defines.

type itemKind int

const (
	itemImport itemKind = iota
	itemDecl
	itemStmt
)

type item struct {
	kind       itemKind
	start, end int // byte offsets in the cell; start includes a doc comment
	line, col  int // position of start in the cell (1-based)

	decl  ast.Decl   // imports and declarations
	stmts []ast.Stmt // a statement (more if the splitter could not cut them)

	root token.Pos // position of its wrapper (in the session file cell.go)

	uses  map[string]bool // identifiers it refers to (a superset)
	defs  []string        // names it declares (declarations)
	recv  string          // receiver base type of a method
	place int             // declarations: how many statements run before it
}

// cellToken is one token of the cell, with its byte range.
type cellToken struct {
	off, end int
	tok      token.Token
}

// tokenize scans code; it ignores scanning errors (the parser reports them).
func tokenize(code string) (toks, comments []cellToken, file *token.File) {
	fset := token.NewFileSet()
	file = fset.AddFile("", -1, len(code))
	var s scanner.Scanner
	s.Init(file, []byte(code), func(token.Position, string) {}, scanner.ScanComments)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		t := cellToken{off: off, tok: tok}
		switch {
		case tok == token.SEMICOLON && lit == "\n":
			t.end = off // automatic
		case tok == token.COMMENT:
			if strings.HasPrefix(code[off:], "//") {
				if i := strings.IndexByte(code[off:], '\n'); i >= 0 {
					t.end = off + i
				} else {
					t.end = len(code)
				}
			} else if i := strings.Index(code[off+2:], "*/"); i >= 0 {
				t.end = off + 2 + i + 2
			} else {
				t.end = len(code)
			}
			comments = append(comments, t)
			continue
		case tok == token.STRING && strings.HasPrefix(code[off:], "`"):
			if i := strings.IndexByte(code[off+1:], '`'); i >= 0 {
				t.end = off + 1 + i + 1
			} else {
				t.end = len(code)
			}
		case tok.IsLiteral():
			t.end = off + len(lit)
		default:
			t.end = off + len(tok.String())
		}
		if t.end > len(code) {
			t.end = len(code)
		}
		toks = append(toks, t)
	}
	return toks, comments, file
}

// splitItems cuts code into top-level items at semicolons (written or
// automatic) outside brackets and outside if/for/switch headers.
func splitItems(code string) []*item {
	toks, comments, file := tokenize(code)
	var items []*item
	var cur []cellToken
	depth, header := 0, false
	flush := func() {
		if len(cur) == 0 {
			return
		}
		it := &item{kind: classify(cur), start: cur[0].off, end: cur[len(cur)-1].end}
		items = append(items, it)
		cur = nil
	}
	for _, t := range toks {
		switch t.tok {
		case token.SEMICOLON:
			if depth == 0 && !header {
				flush()
				continue
			}
			if t.end == t.off {
				continue // automatic: no text of its own
			}
		case token.LPAREN, token.LBRACK:
			depth++
		case token.LBRACE:
			if depth == 0 {
				header = false
			}
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.FOR, token.IF, token.SWITCH:
			if depth == 0 {
				header = true
			}
		}
		cur = append(cur, t)
	}
	flush()
	// Give declarations the comment lines right above them (doc comments).
	for i, it := range items {
		if it.kind != itemDecl {
			continue
		}
		lo := 0
		if i > 0 {
			lo = items[i-1].end
		}
		line := file.Line(file.Pos(it.start))
		for j := len(comments) - 1; j >= 0; j-- {
			c := comments[j]
			if c.off >= it.start || c.off < lo {
				continue
			}
			if file.Line(file.Pos(c.end)) != line-1 && file.Line(file.Pos(c.end)) != line {
				break
			}
			it.start = c.off
			line = file.Line(file.Pos(c.off))
		}
	}
	for _, it := range items {
		p := file.Position(file.Pos(it.start))
		it.line, it.col = p.Line, p.Column
	}
	return items
}

// classify tells the kind of an item from its first tokens.
func classify(toks []cellToken) itemKind {
	switch toks[0].tok {
	case token.IMPORT:
		return itemImport
	case token.TYPE, token.VAR, token.CONST:
		return itemDecl
	case token.FUNC:
		if len(toks) > 1 && toks[1].tok == token.IDENT {
			return itemDecl
		}
		if len(toks) > 1 && toks[1].tok == token.LPAREN {
			// func (r T) M(...) is a method; func(...) ... is a literal.
			depth := 0
			for j := 1; j < len(toks); j++ {
				switch toks[j].tok {
				case token.LPAREN, token.LBRACK, token.LBRACE:
					depth++
				case token.RPAREN, token.RBRACK, token.RBRACE:
					depth--
				}
				if depth == 0 {
					if j+2 < len(toks) && toks[j+1].tok == token.IDENT &&
						(toks[j+2].tok == token.LPAREN || toks[j+2].tok == token.LBRACK) {
						return itemDecl
					}
					return itemStmt
				}
			}
		}
	}
	return itemStmt
}

// parsedCell is a cell cut into items and parsed.
type parsedCell struct {
	file    string // file name in positions, e.g. "cell3"
	code    string
	items   []*item
	imports map[string]string // package name -> path, of the cell's imports
}

// lineDirective makes positions in the parsed text report the cell's
// file, line and column.
func lineDirective(file string, line, col int) string {
	return "\n//line " + file + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col) + "\n"
}

// parseCell splits and parses code. Positions in the ASTs (through fset)
// are the cell's own lines and columns, in file.
func parseCell(fset *token.FileSet, file, code string) (*parsedCell, error) {
	pc := &parsedCell{file: file, code: code, items: splitItems(code)}
	const mode = parser.ParseComments | parser.SkipObjectResolution
	for _, it := range pc.items {
		text := code[it.start:it.end]
		dir := lineDirective(file, it.line, it.col)
		if it.kind == itemStmt {
			src := header(file) + "func main() {" + dir + text + "\n}"
			f, err := parser.ParseFile(fset, wrapperFile, src, mode)
			if err != nil {
				return nil, endError(err, src, len(src)-1, code, it, file)
			}
			body := f.Decls[0].(*ast.FuncDecl).Body
			it.stmts, it.root = body.List, body.Lbrace
			continue
		}
		src := header(file) + dir + text
		f, err := parser.ParseFile(fset, wrapperFile, src, mode)
		if err != nil {
			return nil, endError(err, src, len(src), code, it, file)
		}
		it.root = f.Package
		switch {
		case len(f.Decls) == 1:
			it.decl = f.Decls[0]
		case len(f.Decls) == 0:
			continue
		default:
			return nil, fmt.Errorf("%s: unexpected declarations", fset.Position(f.Decls[1].Pos()))
		}
	}
	// Drop items that parsed to nothing (a lone semicolon, say).
	kept := pc.items[:0]
	for _, it := range pc.items {
		if it.decl != nil || len(it.stmts) > 0 {
			kept = append(kept, it)
		}
	}
	pc.items = kept
	return pc, nil
}

// endError rewrites a parse error at the end of the source the parser got
// (src; from offset wrapEnd on: the '}' that closes a statement's wrapper,
// or the end of the file), which names a token the user did not write:
// "expected operand, found '}'" for "x := 1 +". It becomes what follows the
// item in the cell, "found end of cell" or "found ';'", at the end of the
// item's last token (or at the ';'). Other errors are returned as they are.
func endError(err error, src string, wrapEnd int, code string, it *item, file string) error {
	var list scanner.ErrorList
	if !errors.As(err, &list) || len(list) == 0 || list[0].Pos.Offset < wrapEnd {
		return err
	}
	found, off := "end of cell", it.end
	if j := nextSemicolon(code, it.end); j >= 0 {
		found, off = "';'", j
	}
	msg := list[0].Msg
	for _, tok := range []string{"'}'", "'EOF'"} {
		msg = strings.Replace(msg, "found "+tok, "found "+found, 1)
	}
	line := 1 + strings.Count(code[:off], "\n")
	col := off - strings.LastIndexByte(code[:off], '\n')
	pos := token.Position{Filename: file, Offset: off, Line: line, Column: col}
	return scanner.ErrorList{&scanner.Error{Pos: pos, Msg: msg}}
}

// nextSemicolon returns the offset of the ';' that follows byte off of code
// after blanks and comments, or -1.
func nextSemicolon(code string, off int) int {
	toks, _, _ := tokenize(code[off:])
	for _, t := range toks {
		if t.tok == token.SEMICOLON && t.end > t.off {
			return off + t.off
		}
		if t.tok != token.SEMICOLON {
			return -1
		}
	}
	return -1
}

// wrapperFile is the name the parser gets; the line directives make every
// position of a cell's code, wrapper included, report the cell's own file
// name ("cell3"). yaegi scopes imports by that name, so each cell imports
// the session's packages again (see Session.importFile).
const wrapperFile = "cell.go"

// header starts the source of every piece of a cell.
func header(file string) string {
	return "//line " + file + ":1:1\npackage main\n"
}

// rootPos returns a position in file, for syntax trees built by hand.
func rootPos(fset *token.FileSet, file string) token.Pos {
	f, err := parser.ParseFile(fset, wrapperFile, header(file), parser.SkipObjectResolution)
	if err != nil {
		return token.NoPos
	}
	return f.Package
}

// analyse fills uses, defs and recv of each item. pkgNames are the names
// of imported packages, which do not count as shared identifiers.
func (pc *parsedCell) analyse(pkgNames map[string]bool) {
	for _, it := range pc.items {
		it.uses = map[string]bool{}
		roots := []ast.Node{it.decl}
		if it.decl == nil {
			roots = roots[:0]
			for _, st := range it.stmts {
				roots = append(roots, st)
			}
		}
		switch d := it.decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				it.defs = []string{d.Name.Name}
			} else if len(d.Recv.List) > 0 {
				it.recv = baseTypeName(d.Recv.List[0].Type)
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					it.defs = append(it.defs, sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						it.defs = append(it.defs, n.Name)
					}
				}
			}
		}
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				ast.Inspect(n.X, visit) // not the selected name
				return false
			case *ast.Ident:
				if n.Name != "_" {
					it.uses[n.Name] = true
				}
			}
			return true
		}
		for _, r := range roots {
			ast.Inspect(r, visit)
		}
		for _, d := range it.defs {
			delete(it.uses, d)
		}
		for k := range it.uses {
			if universe[k] || pkgNames[k] {
				delete(it.uses, k)
			}
		}
	}
}

// baseTypeName returns T for receivers T, *T, T[K], *T[K].
func baseTypeName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// chunk is a group of items evaluated by one yaegi program.
type chunk struct {
	kind  itemKind
	items []*item
}

// order places the non-import items and groups them into chunks: imports
// first, then declarations hoisted as far as the statements they depend on
// allow, statements in their order.
func (pc *parsedCell) order() []chunk {
	var imports, decls, stmts []*item
	stmtIndex := map[*item]int{}
	for _, it := range pc.items {
		switch it.kind {
		case itemImport:
			imports = append(imports, it)
		case itemDecl:
			decls = append(decls, it)
		default:
			stmtIndex[it] = len(stmts)
			stmts = append(stmts, it)
		}
	}
	// A declaration goes after every earlier statement it shares an
	// identifier with.
	for _, d := range decls {
		d.place = 0
		for _, s := range stmts {
			if s.start > d.start {
				break
			}
			if shares(s.uses, d.uses) {
				d.place = stmtIndex[s] + 1
			}
		}
		// ... and after a var declaration run as a statement (toplevel.go)
		// that declares a name it uses, wherever the cell has it.
		for _, s := range stmts {
			if declStmtDefines(s, d.uses) && stmtIndex[s]+1 > d.place {
				d.place = stmtIndex[s] + 1
			}
		}
	}
	// ... and after the declarations of this cell it uses, and a method
	// after its type.
	defined := map[string]*item{}
	for _, d := range decls {
		for _, n := range d.defs {
			defined[n] = d
		}
	}
	for changed := true; changed; {
		changed = false
		for _, d := range decls {
			for n := range d.uses {
				if o := defined[n]; o != nil && o != d && o.place > d.place {
					d.place, changed = o.place, true
				}
			}
			if o := defined[d.recv]; o != nil && o.place > d.place {
				d.place, changed = o.place, true
			}
		}
	}
	var chunks []chunk
	if len(imports) > 0 {
		chunks = append(chunks, chunk{kind: itemImport, items: imports})
	}
	for k := 0; k <= len(stmts); k++ {
		var group []*item
		for _, d := range decls {
			if d.place == k {
				group = append(group, d)
			}
		}
		if len(group) > 0 {
			chunks = append(chunks, chunk{kind: itemDecl, items: group})
		}
		if k < len(stmts) {
			if n := len(chunks); n > 0 && chunks[n-1].kind == itemStmt {
				chunks[n-1].items = append(chunks[n-1].items, stmts[k])
			} else {
				chunks = append(chunks, chunk{kind: itemStmt, items: []*item{stmts[k]}})
			}
		}
	}
	return chunks
}

func shares(a, b map[string]bool) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

// lastItem returns the cell's last non-import item, or nil.
// inspect walks the syntax of every declaration and statement of the cell.
func (pc *parsedCell) inspect(visit func(ast.Node) bool) {
	for _, it := range pc.items {
		if it.decl != nil {
			ast.Inspect(it.decl, visit)
		}
		for _, st := range it.stmts {
			ast.Inspect(st, visit)
		}
	}
}

func (pc *parsedCell) lastItem() *item {
	for i := len(pc.items) - 1; i >= 0; i-- {
		if pc.items[i].kind != itemImport {
			return pc.items[i]
		}
	}
	return nil
}

// universe holds Go's predeclared identifiers.
var universe = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`any bool byte comparable complex64 complex128 error float32 float64
		int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr
		true false iota nil
		append cap clear close complex copy delete imag len make max min new panic print println real recover`) {
		universe[n] = true
	}
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

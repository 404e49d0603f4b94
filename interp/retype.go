package interp

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Redefining types and methods.
//
// yaegi ignores a type declared again, and a method declared again for a
// type that has it. So a cell that changes a type (or a method of one)
// declares the type under a new name that only the interpreter sees,
// P__mlxgo2 for the user's P, and from then on every cell's P is renamed
// to it before yaegi compiles the cell. With the new type the session
// compiles again, in the same program:
//
//   - the earlier methods of the type that the cell does not change;
//   - the types that use it (struct fields, slices of it...), renamed too,
//     with their methods;
//   - the types whose methods use a renamed type or a redefined function;
//   - the functions that mention a renamed type or call a function
//     compiled again (redefine.go does the same for functions alone).
//
// Values made earlier keep their type: a variable of the old P keeps the
// old fields and methods, and the cell says so. Names are shown to the user
// as written (userText).

// versionSuffix joins a type's name and its version in the name yaegi sees.
const versionSuffix = "__mlxgo"

// versioned matches a renamed type's name: the user's name and the version.
var versioned = regexp.MustCompile(`\b([A-Za-z_][A-Za-z0-9_]*?)` + versionSuffix + `([0-9]+)\b`)

// userTypeName returns the name the user wrote for a type name yaegi sees.
func userTypeName(name string) string {
	if i := strings.LastIndex(name, versionSuffix); i > 0 {
		if _, err := strconv.Atoi(name[i+len(versionSuffix):]); err == nil {
			return name[:i]
		}
	}
	return name
}

// internalTypeName returns the name yaegi knows the session's type user by.
// The caller holds s.state.
func (s *Session) internalTypeName(user string) string {
	if n, ok := s.typeNames[user]; ok {
		return n
	}
	return user
}

// renameTypes renames, under n, the identifiers that may name a type in
// names (keyed by the user's name) to the name yaegi knows it by. It leaves
// alone the names that cannot be the type: selected names, field and
// parameter names, keys of composite literals, labels, declared functions,
// methods and variables.
func renameTypes(n ast.Node, names map[string]string) {
	if len(names) == 0 || n == nil {
		return
	}
	var visit func(n ast.Node) bool
	walk := func(n ast.Node) { ast.Inspect(n, visit) } // the callers pass no nil
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if to, ok := names[userTypeName(n.Name)]; ok {
				n.Name = to
			}
		case *ast.SelectorExpr:
			walk(n.X)
			return false
		case *ast.Field:
			walk(n.Type)
			return false
		case *ast.KeyValueExpr:
			if _, ok := n.Key.(*ast.Ident); !ok {
				walk(n.Key)
			}
			walk(n.Value)
			return false
		case *ast.FuncDecl:
			if n.Recv != nil {
				walk(n.Recv)
			}
			walk(n.Type)
			if n.Body != nil {
				walk(n.Body)
			}
			return false
		case *ast.LabeledStmt:
			walk(n.Stmt)
			return false
		case *ast.BranchStmt:
			return false
		case *ast.ImportSpec:
			return false
		case *ast.ValueSpec:
			if n.Type != nil {
				walk(n.Type)
			}
			for _, v := range n.Values {
				walk(v)
			}
			return false
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				return true
			}
			for _, v := range n.Rhs {
				walk(v)
			}
			return false
		}
		return true
	}
	walk(n)
}

// retypePlan is what a cell that changes types compiles with its
// declarations.
type retypePlan struct {
	names   map[string]string // user type name -> its new name (the renamed types)
	old     map[string]string // user type name -> the name it had
	carried []ast.Decl        // earlier declarations compiled again
	trigger int               // index of the cell's chunk that carries them
}

// userUses returns the identifiers used under n, as the user wrote them.
func userUses(n ast.Node) map[string]bool {
	ids := map[string]bool{}
	for id := range identsOf(n) {
		ids[userTypeName(id)] = true
	}
	return ids
}

// sameDecl reports whether two declarations read the same, renamed types
// aside.
func (s *Session) sameDecl(a, b ast.Node) bool {
	pa, pb := printNode(s.fset, a), printNode(s.fset, b)
	return pa != "" && versioned.ReplaceAllString(pa, "$1") == versioned.ReplaceAllString(pb, "$1")
}

// planRetype decides which types the cell's declarations rename, and what
// the session compiles again with them; nil if none.
func (s *Session) planRetype(chunks []chunk) *retypePlan {
	s.state.Lock()
	defer s.state.Unlock()
	if len(s.types) == 0 {
		return nil
	}
	cellTypes := map[string]*ast.TypeSpec{}
	cellMethods := map[string]map[string]*ast.FuncDecl{} // receiver -> name -> decl
	cellFuncs := map[string]bool{}
	chunkOf := map[ast.Decl]int{}
	for ci, c := range chunks {
		if c.kind != itemDecl {
			continue
		}
		for _, it := range c.items {
			chunkOf[it.decl] = ci
			switch d := it.decl.(type) {
			case *ast.GenDecl:
				if d.Tok == token.TYPE {
					for _, sp := range d.Specs {
						ts := sp.(*ast.TypeSpec)
						cellTypes[ts.Name.Name] = ts
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil {
					cellFuncs[d.Name.Name] = true
				} else if it.recv != "" {
					if cellMethods[it.recv] == nil {
						cellMethods[it.recv] = map[string]*ast.FuncDecl{}
					}
					cellMethods[it.recv][d.Name.Name] = d
				}
			}
		}
	}
	retype := map[string]bool{}
	for name, ts := range cellTypes {
		if ti, ok := s.types[name]; ok && !s.sameDecl(ti.spec, ts) {
			retype[name] = true
		}
	}
	for recv, ms := range cellMethods {
		if _, ok := s.types[recv]; !ok {
			continue
		}
		for _, m := range s.methods[recv] {
			if nd, ok := ms[m.Name.Name]; ok && !s.sameDecl(m, nd) {
				retype[recv] = true
			}
		}
	}
	changed := map[string]bool{} // functions redefined or compiled again
	for name := range cellFuncs {
		if _, ok := s.funcs[name]; ok {
			changed[name] = true
		}
	}
	if len(retype) == 0 && len(changed) == 0 {
		return nil
	}
	usesAny := func(n ast.Node, sets ...map[string]bool) bool {
		for id := range userUses(n) {
			for _, set := range sets {
				if set[id] {
					return true
				}
			}
		}
		return false
	}
	recompile := map[string]bool{} // earlier functions compiled again
	for grew := true; grew; {
		grew = false
		for name, ti := range s.types {
			if retype[name] {
				continue
			}
			var spec ast.Node = ti.spec
			if ts, ok := cellTypes[name]; ok {
				spec = ts
			}
			if usesAny(spec, retype) {
				retype[name], grew = true, true
				continue
			}
			for _, m := range s.methods[name] {
				if _, replaced := cellMethods[name][m.Name.Name]; !replaced && usesAny(m, retype, changed) {
					retype[name], grew = true, true
					break
				}
			}
		}
		if len(retype) == 0 {
			break // functions alone: redefine.go's business
		}
		for name, fi := range s.funcs {
			if !changed[name] && usesAny(fi.decl, retype, changed) {
				changed[name], recompile[name], grew = true, true, true
			}
		}
	}
	if len(retype) == 0 {
		return nil
	}
	p := &retypePlan{names: map[string]string{}, old: map[string]string{}, trigger: -1}
	for name := range retype {
		s.typeSerial++
		p.old[name] = s.internalTypeName(name)
		p.names[name] = name + versionSuffix + strconv.Itoa(s.typeSerial)
	}
	for _, name := range sortedKeys(retype) {
		if _, ok := cellTypes[name]; !ok {
			ti := s.types[name]
			p.carried = append(p.carried, &ast.GenDecl{TokPos: ti.gen.TokPos, Tok: token.TYPE, Specs: []ast.Spec{ti.spec}})
		}
		for _, m := range s.methods[name] {
			if _, replaced := cellMethods[name][m.Name.Name]; !replaced {
				p.carried = append(p.carried, m)
			}
		}
	}
	for _, name := range sortedKeys(recompile) {
		p.carried = append(p.carried, s.funcs[name].decl)
	}
	// The carried declarations go with the last chunk of the cell that
	// declares what they need.
	for d, ci := range chunkOf {
		involved := false
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				if ts, ok := sp.(*ast.TypeSpec); ok && retype[ts.Name.Name] {
					involved = true
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil {
				involved = changed[d.Name.Name]
			} else {
				involved = retype[baseTypeName(d.Recv.List[0].Type)]
			}
		}
		if involved && ci > p.trigger {
			p.trigger = ci
		}
	}
	if p.trigger < 0 {
		for ci, c := range chunks {
			if c.kind == itemDecl {
				p.trigger = ci
				break
			}
		}
	}
	for _, d := range p.carried {
		renameTypes(d, p.names)
	}
	return p
}

// typeRenames returns the session's renamed types with the plan's (the plan may
// be nil).
func (s *Session) typeRenames(p *retypePlan) map[string]string {
	s.state.Lock()
	defer s.state.Unlock()
	if len(s.typeNames) == 0 && p == nil {
		return nil
	}
	m := map[string]string{}
	for k, v := range s.typeNames {
		m[k] = v
	}
	if p != nil {
		for k, v := range p.names {
			m[k] = v
		}
	}
	return m
}

// commitRetype makes the plan's names the session's.
func (s *Session) commitRetype(p *retypePlan) {
	s.state.Lock()
	defer s.state.Unlock()
	if s.typeNames == nil {
		s.typeNames = map[string]string{}
	}
	for k, v := range p.names {
		s.typeNames[k] = v
	}
}

// retypeError explains a compile error of a cell that renamed types: when
// it is in an earlier cell's declaration compiled again, it names it.
func (s *Session) retypeError(err error, file string, p *retypePlan) error {
	at, line, _, _ := errorPosition(err)
	if at == "" || at == file {
		return err
	}
	what := "a declaration"
	for _, d := range p.carried {
		start, end := s.fset.Position(d.Pos()), s.fset.Position(d.End())
		if start.Filename != at || line < start.Line || line > end.Line {
			continue
		}
		switch d := d.(type) {
		case *ast.FuncDecl:
			what = "func " + funcKey(d)
			if d.Recv != nil {
				what = "method " + funcKey(d)
			}
		case *ast.GenDecl:
			if ts, ok := d.Specs[0].(*ast.TypeSpec); ok {
				what = "type " + userTypeName(ts.Name.Name)
			}
		}
		break
	}
	changed := make([]string, 0, len(p.names))
	for n := range p.names {
		changed = append(changed, n)
	}
	sort.Strings(changed)
	return fmt.Errorf("%w, in %s of an earlier cell, which is compiled again with the new %s: change it in this cell too", err, what, strings.Join(changed, ", "))
}

// staleVariables names the session's variables whose type mentions a type
// the plan renamed, as it was before: they keep the old type.
func (s *Session) staleVariables(p *retypePlan) map[string][]string {
	stale := map[string][]string{}
	types := s.varTypes()
	for _, v := range sortedKeys(types) {
		if strings.HasPrefix(v, rtName) {
			continue
		}
		seen := map[string]bool{}
		for _, m := range oldMainName.FindAllStringSubmatch(types[v], -1) {
			user := userTypeName(m[1])
			if cur, ok := p.names[user]; ok && m[1] != cur && !seen[user] {
				seen[user] = true
				stale[user] = append(stale[user], v)
			}
		}
	}
	return stale
}

// varTypes returns the types of the session's variables as yaegi writes
// them ("main.P", "[]*main.P__mlxgo2"), or nil if it cannot tell
// (yaegisyms.go).
func (s *Session) varTypes() (types map[string]string) {
	defer func() {
		if recover() != nil {
			types = nil
		}
	}()
	syms := s.mainSymbols()
	if !syms.IsValid() {
		return nil
	}
	globals := s.globals()
	types = map[string]string{}
	iter := syms.MapRange()
	for iter.Next() {
		name := iter.Key().String()
		if _, ok := globals[name]; !ok {
			continue
		}
		typ := iter.Value().Elem().FieldByName("typ")
		if typ.IsNil() {
			continue
		}
		types[name] = typ.Elem().FieldByName("str").String()
	}
	return types
}

// staleNote is the line a cell that renamed types writes about variables
// that keep the old type.
func staleNote(stale map[string][]string) string {
	var b strings.Builder
	for _, t := range sortedKeys(stale) {
		vs := stale[t]
		if len(vs) == 1 {
			fmt.Fprintf(&b, "note: %s still holds a value of the earlier %s; run the cell that made it again for the new one\n", vs[0], t)
		} else {
			fmt.Fprintf(&b, "note: %s still hold values of the earlier %s; run the cells that made them again for the new one\n", strings.Join(vs, ", "), t)
		}
	}
	return b.String()
}

// oldMainName matches a type of the cells in yaegi's messages (main.P).
var oldMainName = regexp.MustCompile(`\bmain\.([A-Za-z_][A-Za-z0-9_]*)\b`)

// userText shows renamed types in a message as the user wrote them; a type
// that has been renamed since is "P (earlier definition)".
func (s *Session) userText(msg string) string {
	s.state.Lock()
	defer s.state.Unlock()
	if len(s.typeNames) == 0 {
		return msg
	}
	msg = oldMainName.ReplaceAllStringFunc(msg, func(m string) string {
		name := m[len("main."):]
		user := userTypeName(name)
		if cur, ok := s.typeNames[user]; ok && cur != name {
			return "main." + user + " (earlier definition)"
		}
		return "main." + user
	})
	return versioned.ReplaceAllStringFunc(msg, func(m string) string {
		user := userTypeName(m)
		if cur, ok := s.typeNames[user]; ok && cur != m {
			return user + " (earlier definition)"
		}
		return user
	})
}

// userError is e with userText applied.
func (s *Session) userError(e *Error) *Error {
	if e == nil {
		return nil
	}
	e.Value = s.userText(e.Value)
	for i, l := range e.Traceback {
		e.Traceback[i] = s.userText(l)
	}
	return e
}

// cellTypeText writes a type as yaegi writes it ("[]*main.P__mlxgo2") as
// the user would ("[]*P").
func (s *Session) cellTypeText(t string) string {
	return strings.ReplaceAll(s.userText(t), "main.", "")
}

// restoreFuncs compiles again, as they were, the session's functions that
// a failed declaration chunk declared (yaegi takes a function in before it
// compiles its body, so a failed compile leaves it broken), with those the
// plan carried (nil plan: none).
func (s *Session) restoreFuncs(items []*item, p *retypePlan) {
	var decls []ast.Decl
	seen := map[string]bool{}
	if p != nil {
		for _, d := range p.carried {
			renameTypes(d, p.old)
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				decls = append(decls, fd)
				seen[fd.Name.Name] = true
			}
		}
	}
	s.state.Lock()
	for _, it := range items {
		if fd, ok := it.decl.(*ast.FuncDecl); ok && fd.Recv == nil && !seen[fd.Name.Name] {
			if fi := s.funcs[fd.Name.Name]; fi != nil {
				renameTypes(fi.decl, s.typeNames)
				decls = append(decls, fi.decl)
				seen[fd.Name.Name] = true
			}
		}
	}
	s.state.Unlock()
	if len(decls) == 0 {
		return
	}
	defer func() { _ = recover() }()
	f := &ast.File{Package: s.rootPos, Name: &ast.Ident{NamePos: s.rootPos, Name: "main"}, Decls: decls}
	if prog, err := s.compile(f); err == nil {
		_, _ = s.in.Execute(prog)
	}
}

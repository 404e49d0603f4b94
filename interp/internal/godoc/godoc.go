// Package godoc extracts the signatures and doc comments of a package's
// exported names from its source, for the notebook's inspection (Shift-Tab).
package godoc

import (
	"bytes"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"strings"
)

// Entry is the documentation of one name.
type Entry struct {
	Sig string // "func Matmul(x, y any) *Array", "type Array struct{ ... }", ...
	Doc string // the doc comment, as text
}

// Package extracts the entries of the package whose sources are in dir:
// "" is the package itself, "Name" a function, type, constant or variable,
// "Type.Method" a method. importPath is the package's import path.
func Package(importPath, dir string) (map[string]Entry, error) {
	bp, err := build.ImportDir(dir, 0)
	if err != nil && (bp == nil || len(bp.IgnoredGoFiles) == 0) {
		return nil, err
	}
	if len(bp.GoFiles)+len(bp.CgoFiles) == 0 {
		// Package builtin documents itself in a file built by no one.
		bp.GoFiles = bp.IgnoredGoFiles
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	for _, name := range bp.CgoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	var opts []any
	if importPath == "builtin" {
		opts = append(opts, doc.AllDecls) // its names are lower-case
	}
	p, err := doc.NewFromFiles(fset, files, importPath, opts...)
	if err != nil {
		return nil, err
	}
	out := map[string]Entry{"": {Sig: "package " + p.Name + " // import \"" + importPath + "\"", Doc: p.Doc}}
	addFuncs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			out[prefix+f.Name] = Entry{Sig: funcSig(fset, f.Decl), Doc: f.Doc}
		}
	}
	addValues := func(vs []*doc.Value) {
		for _, v := range vs {
			sig := node(fset, v.Decl)
			for _, n := range v.Names {
				d := v.Doc
				if d == "" {
					d = specDoc(v.Decl, n)
				}
				out[n] = Entry{Sig: sig, Doc: d}
			}
		}
	}
	addFuncs("", p.Funcs)
	addValues(p.Consts)
	addValues(p.Vars)
	for _, t := range p.Types {
		out[t.Name] = Entry{Sig: typeSig(fset, t.Decl), Doc: t.Doc}
		addFuncs("", t.Funcs)
		addFuncs(t.Name+".", t.Methods)
		addValues(t.Consts)
		addValues(t.Vars)
	}
	return out, nil
}

// funcSig prints a function's declaration without its body.
func funcSig(fset *token.FileSet, d *ast.FuncDecl) string {
	c := *d
	c.Body, c.Doc = nil, nil
	return node(fset, &c)
}

// typeSig prints a type declaration; a struct or interface with many
// lines is shortened to its first lines.
func typeSig(fset *token.FileSet, d *ast.GenDecl) string {
	c := *d
	c.Doc = nil
	s := node(fset, &c)
	lines := strings.Split(s, "\n")
	if len(lines) > 24 {
		s = strings.Join(lines[:22], "\n") + "\n\t...\n}"
	}
	return s
}

// specDoc returns the comment of the spec that declares name in a group.
func specDoc(d *ast.GenDecl, name string) string {
	for _, sp := range d.Specs {
		vs, ok := sp.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for _, n := range vs.Names {
			if n.Name == name {
				if vs.Doc != nil {
					return vs.Doc.Text()
				}
				if vs.Comment != nil {
					return vs.Comment.Text()
				}
			}
		}
	}
	return ""
}

func node(fset *token.FileSet, n any) string {
	var b bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	if err := cfg.Fprint(&b, fset, n); err != nil {
		return ""
	}
	return b.String()
}

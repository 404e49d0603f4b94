package interp

import (
	"embed"
	"path"
	"regexp"

	"github.com/traefik/yaegi/stdlib/generic"
)

// The standard library's generic packages.
//
// `yaegi extract` skips generic functions, so yaegi interprets cmp, maps
// and slices from copies of their source (generic.Sources, compiled when
// the standard library's symbols are loaded). Its copies of maps and
// slices declare `S ~[]E` and `M ~map[K]V` type parameters, from which
// yaegi cannot infer E, K and V: slices.Reverse(xs), slices.Equal(a, b) or
// maps.Clone(m) fail. They also lack slices.Sort, Max, Min, BinarySearch
// and Go 1.23's iterator functions. stdextra/ has versions of both
// packages that take []E and map[K]V and have those; they replace yaegi's
// copies, once, before any session loads them.

//go:embed stdextra/*.go.txt
var stdExtra embed.FS

// packageClause finds a source's package name.
var packageClause = regexp.MustCompile(`(?m)^package (\w+)`)

func init() {
	ours := map[string]string{}
	files, _ := stdExtra.ReadDir("stdextra")
	for _, f := range files {
		src, err := stdExtra.ReadFile(path.Join("stdextra", f.Name()))
		if err != nil {
			panic(err)
		}
		if m := packageClause.FindSubmatch(src); m != nil {
			ours[string(m[1])] = string(src)
		}
	}
	for i, src := range generic.Sources {
		if m := packageClause.FindStringSubmatch(src); m != nil {
			if replacement, ok := ours[m[1]]; ok {
				generic.Sources[i] = replacement
			}
		}
	}
}

package interp

import (
	"embed"
	"fmt"
	"path"
)

// Generic functions of the standard library that yaegi lacks.
//
// `yaegi extract` skips generic functions, so yaegi carries the source of
// some generic packages (cmp, maps, slices as of Go 1.22) and interprets
// them, but not slices.Sort, slices.Max and the like, nor the iterator
// functions of Go 1.23 (maps.Keys, slices.Sorted, slices.Collect...).
// stdextra/ has them, written so that yaegi can run them; they are
// compiled into the same packages when the session starts.

//go:embed stdextra/*.go.txt
var stdExtra embed.FS

// useStdExtra compiles the sources of stdextra/ into their packages.
func (s *Session) useStdExtra() error {
	files, err := stdExtra.ReadDir("stdextra")
	if err != nil {
		return err
	}
	for _, f := range files {
		src, err := stdExtra.ReadFile(path.Join("stdextra", f.Name()))
		if err != nil {
			return err
		}
		if _, err := s.in.Compile(string(src)); err != nil {
			return fmt.Errorf("compiling %s: %w", f.Name(), err)
		}
	}
	return nil
}

package interp

import (
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/mlxgo/mlxgo/interp/internal/godoc"
)

//go:generate go run ./internal/gendocs -o docs_gen.go ../mlx ../mlx/grad ../display

// docEntry is the documentation of one exported name (see godoc.Entry).
type docEntry = godoc.Entry

// stdDocs caches the documentation of standard-library packages, read from
// GOROOT's sources on first use (nil if they are not installed).
var stdDocs struct {
	mu     sync.Mutex
	goroot string
	looked bool
	pkgs   map[string]map[string]docEntry
}

// packageDocs returns the documentation of an import path: built in for
// mlx, grad and display, from GOROOT for the standard library, or nil.
func packageDocs(importPath string) map[string]docEntry {
	if d, ok := builtinDocs[importPath]; ok {
		return d
	}
	stdDocs.mu.Lock()
	defer stdDocs.mu.Unlock()
	if d, ok := stdDocs.pkgs[importPath]; ok {
		return d
	}
	if stdDocs.pkgs == nil {
		stdDocs.pkgs = map[string]map[string]docEntry{}
	}
	root := goroot()
	var d map[string]docEntry
	if root != "" {
		dir := filepath.Join(root, "src", filepath.FromSlash(importPath))
		if e, err := godoc.Package(importPath, dir); err == nil {
			d = e
		}
	}
	stdDocs.pkgs[importPath] = d
	return d
}

// goroot finds the Go installation whose sources document the standard
// library: $GOROOT, the one this binary was built with, or `go env GOROOT`.
// The caller holds stdDocs.mu.
func goroot() string {
	if stdDocs.looked {
		return stdDocs.goroot
	}
	stdDocs.looked = true
	has := func(dir string) bool {
		if dir == "" {
			return false
		}
		_, err := os.Stat(filepath.Join(dir, "src", "fmt", "print.go"))
		return err == nil
	}
	for _, dir := range []string{os.Getenv("GOROOT"), build.Default.GOROOT} {
		if has(dir) {
			stdDocs.goroot = dir
			return dir
		}
	}
	if goBin, err := exec.LookPath("go"); err == nil {
		cmd := exec.Command(goBin, "env", "GOROOT")
		done := make(chan struct{})
		var out []byte
		go func() {
			out, _ = cmd.Output()
			close(done)
		}()
		select {
		case <-done:
			if dir := strings.TrimSpace(string(out)); has(dir) {
				stdDocs.goroot = dir
			}
		case <-time.After(3 * time.Second):
			if cmd.Process != nil {
				cmd.Process.Kill()
			}
		}
	}
	return stdDocs.goroot
}

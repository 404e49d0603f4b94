package interp

import (
	"strings"
	"testing"
)

const hasPrefixDoc = "func HasPrefix(s, prefix string) bool\n\nHasPrefix reports whether the string s begins with prefix."

// Help on a standard-library name works whether or not the session
// imported its package: %help, Shift-Tab (Inspect, which the kernel's
// "name?" uses too), and in a cell that imports the package but has not
// run.
func TestHelpStdlibNotImported(t *testing.T) {
	if packageDocs("strings") == nil {
		t.Skip("no Go sources in GOROOT")
	}
	s := newTestSession(t)
	_, out := mustRun(t, s, "%help strings.HasPrefix")
	if got := out.stream("stdout"); got != hasPrefixDoc+"\n" {
		t.Errorf("%%help strings.HasPrefix printed %q", got)
	}
	if text, found := s.Inspect("strings.HasPrefix", len("strings.HasPrefix")); !found || text != hasPrefixDoc {
		t.Errorf("Inspect = %q, %v", text, found)
	}
	code := "import \"strings\"\nok := strings.HasPrefix"
	if text, found := s.Inspect(code, len(code)); !found || text != hasPrefixDoc {
		t.Errorf("Inspect in a cell that imports strings = %q, %v", text, found)
	}
	code = "x := strings.HasPrefix(\"ab\", "
	if text, found := s.Inspect(code, len(code)); !found || text != hasPrefixDoc {
		t.Errorf("Inspect inside the call = %q, %v", text, found)
	}
	// Methods, packages, and a name shared by two packages.
	if text, _ := s.Inspect("strings.Builder.WriteString", 27); !strings.HasPrefix(text, "func (b *Builder) WriteString(s string) (int, error)\n\n") {
		t.Errorf("strings.Builder.WriteString: %q", text)
	}
	if text, _ := s.Inspect("strings", 7); !strings.HasPrefix(text, "package strings // import \"strings\"") {
		t.Errorf("strings: %q", text)
	}
	if text, _ := s.Inspect("rand.Intn", 9); !strings.HasPrefix(text, "func Intn(n int) int\n\n") {
		t.Errorf("rand.Intn: %q", text)
	}
	// The package was not imported by any of this.
	if _, e, _ := run(t, s, "strings.ToUpper(\"x\")"); e == nil || e.Value != "1:1: undefined: strings" {
		t.Errorf("strings without an import: %+v", e)
	}
	// A variable named like a package keeps its own help.
	mustRun(t, s, "rand := []int{1}")
	if text, _ := s.Inspect("rand", 4); text != "rand: []int\n\n[1]" {
		t.Errorf("rand: %q", text)
	}
}

// A name with no help gives one line.
func TestHelpUnknown(t *testing.T) {
	s := newTestSession(t)
	for _, name := range []string{"strings.NoSuchThing", "nosuchpkg.Thing", "noSuchName"} {
		_, e, out := run(t, s, "%help "+name)
		want := []string{ansiRed + "NameError" + ansiReset + ": no help found for " + name}
		if e == nil || e.Name != "NameError" || e.Value != "no help found for "+name || strings.Join(e.Traceback, "\n") != strings.Join(want, "\n") {
			t.Errorf("%%help %s: %+v", name, e)
		}
		if got := out.stream("stdout"); got != "" {
			t.Errorf("%%help %s printed %q", name, got)
		}
	}
}

package interp

import (
	"slices"
	"strings"
	"testing"
)

// stderrOf returns what an execution wrote to stderr.
func stderrOf(f *fakeOutput) string {
	var b strings.Builder
	for _, e := range f.events {
		if e.kind == "stderr" {
			b.WriteString(e.text)
		}
	}
	return b.String()
}

// A type declared again takes effect everywhere: in the functions, methods
// and types of earlier cells that use it. Values made before keep the old
// type, and the cell says which.
func TestRedefineType(t *testing.T) {
	s := newTestSession(t)
	for _, c := range []string{
		"type P struct{ X int }",
		"func (p P) Get() int { return p.X }",
		"func mk() P { return P{X: 1} }",
		"func use(p P) int { return p.Get() + 1 }",
		"func run() int { return use(mk()) }", // mentions no P: calls functions that do
		"type Q struct {\n\tp P\n\tn int\n}\nfunc (q Q) Sum() int { return q.p.Get() + q.n }",
		"p := mk()\npp := &p\nq := Q{p, 5}",
	} {
		mustRun(t, s, c)
	}
	_, out := mustRun(t, s, "type P struct{ X, Y int }")
	if got, want := stderrOf(out), "note: p, pp still hold values of the earlier P; run the cells that made them again for the new one\n"+
		"note: q still holds a value of the earlier Q; run the cell that made it again for the new one\n"; got != want {
		t.Errorf("note:\n%s\nwant:\n%s", got, want)
	}
	for _, c := range []struct{ code, want string }{
		{"P{X: 1, Y: 2}", "{1 2}"},
		{"mk()", "{1 0}"}, // compiled again: the new P
		{"run()", "2"},
		{"Q{mk(), 1}.Sum()", "2"},
		{"p.Get()", "1"}, // the old value keeps its method
	} {
		if got, _ := mustRun(t, s, c.code); got != c.want {
			t.Errorf("%s = %q, want %q", c.code, got, c.want)
		}
	}
	// A method declared again.
	mustRun(t, s, "func (p P) Get() int { return p.X * 100 }")
	for _, c := range []struct{ code, want string }{
		{"run()", "101"},
		{"mk().Get()", "100"},
		{"Q{mk(), 1}.Sum()", "101"},
		{"use(P{X: 2})", "201"},
	} {
		if got, _ := mustRun(t, s, c.code); got != c.want {
			t.Errorf("%s = %q, want %q", c.code, got, c.want)
		}
	}
	// Mixing old and new values: yaegi's message, with the user's names.
	_, e, _ := run(t, s, "p = mk()")
	if e == nil || e.Value != "1:5: cannot use type main.P as type main.P (earlier definition) in assignment" {
		t.Errorf("p = mk(): %v", e)
	}
	// Completion and inspection see the new fields.
	mustRun(t, s, "fresh := mk()")
	if got, _, _ := s.Complete("fresh.", 6); !slices.Contains(got, "Y") || !slices.Contains(got, "Get") {
		t.Errorf("fresh. completes to %v", got)
	}
	// Running an unchanged declaration again changes nothing.
	mustRun(t, s, "type Q struct {\n\tp P\n\tn int\n}")
	if got, _ := mustRun(t, s, "fresh.Get()"); got != "100" {
		t.Errorf("fresh.Get() = %s after running Q's cell again", got)
	}
}

// A change that breaks an earlier declaration fails the cell, names the
// declaration, and leaves the session as it was.
func TestRedefineTypeBreaks(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "type P struct{ X int }")
	mustRun(t, s, "func (p P) Get() int {\n\treturn p.X\n}")
	_, e, _ := run(t, s, "type P struct{ Z int }")
	if e == nil {
		t.Fatal("no error")
	}
	want := "2:9: undefined selector: X, in method P.Get of an earlier cell, which is compiled again with the new P: change it in this cell too"
	if e.Name != "CompileError" || e.Value != want {
		t.Errorf("got %s: %s\nwant %s", e.Name, e.Value, want)
	}
	if tb := strings.Join(e.Traceback, "\n"); !strings.Contains(tb, "line 2 of an earlier cell") || !strings.Contains(tb, "return p.X") {
		t.Errorf("traceback:\n%s", tb)
	}
	if got, _ := mustRun(t, s, "P{X: 4}.Get()"); got != "4" {
		t.Errorf("P{X: 4}.Get() = %s after the failed cell", got)
	}
	// Changing both in one cell works.
	mustRun(t, s, "type P struct{ Z int }\nfunc (p P) Get() int { return -p.Z }")
	if got, _ := mustRun(t, s, "P{Z: 4}.Get()"); got != "-4" {
		t.Errorf("P{Z: 4}.Get() = %s", got)
	}
}

// Named non-struct types, methods that give rich output, and generic types.
func TestRedefineTypeKinds(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "type Celsius float64")
	mustRun(t, s, `import "fmt"`)
	mustRun(t, s, `func (c Celsius) String() string { return fmt.Sprintf("%.1f°C", float64(c)) }`)
	if got, _ := mustRun(t, s, "Celsius(21)"); got != "21.0°C" {
		t.Errorf("Celsius(21) = %q", got)
	}
	mustRun(t, s, `func (c Celsius) String() string { return fmt.Sprintf("%.0f degrees", float64(c)) }`)
	if got, _ := mustRun(t, s, "Celsius(21)"); got != "21 degrees" {
		t.Errorf("Celsius(21) = %q after the method changed", got)
	}

	mustRun(t, s, "type Card struct{ N int }")
	mustRun(t, s, `func (c Card) HTML() string { return fmt.Sprintf("<b>%d</b>", c.N) }`)
	mustRun(t, s, `func (c Card) HTML() string { return fmt.Sprintf("<i>%d</i>", c.N) }`)
	b, e, _ := run(t, s, "Card{3}")
	if e != nil || b == nil || b.Data["text/html"] != "<i>3</i>" {
		t.Errorf("Card{3}: %v %v", b, e)
	}

	mustRun(t, s, "type Stack[T any] struct{ items []T }\nfunc (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }")
	mustRun(t, s, "func (s *Stack[T]) Push(v T) { s.items = append(s.items, v, v) }")
	if got, _ := mustRun(t, s, "st := &Stack[int]{}\nst.Push(1)\nlen(st.items)"); got != "2" {
		t.Errorf("len after Push = %s", got)
	}
}

// A method that calls a redefined function sees the new one.
func TestRedefineFuncInMethod(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "func scale() int { return 2 }")
	mustRun(t, s, "type T struct{ n int }\nfunc (t T) V() int { return t.n * scale() }")
	mustRun(t, s, "func twice(t T) int { return 2 * t.V() }")
	mustRun(t, s, "func scale() int { return 10 }")
	for code, want := range map[string]string{"T{3}.V()": "30", "twice(T{3})": "60"} {
		if got, _ := mustRun(t, s, code); got != want {
			t.Errorf("%s = %s, want %s", code, got, want)
		}
	}
}

// The note names exactly the variables of the old type: not those the cell
// makes with the new one, nor those of another type of the same structure.
func TestRedefineTypeNote(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "type R struct{ V float64 }\ntype S struct{ V float64 }")
	mustRun(t, s, "func (r R) Get() float64 { return r.V }")
	mustRun(t, s, "s := S{1}\nr := R{2}\nf := 2.0\npr := &r\nrs := []R{r}\nm := map[string]*R{}")
	_, out := mustRun(t, s, "func (r R) Get() float64 { return -r.V }\nnewer := R{4}")
	want := "note: m, pr, r, rs still hold values of the earlier R; run the cells that made them again for the new one\n"
	if got := stderrOf(out); got != want {
		t.Errorf("note %q, want %q", got, want)
	}
	_, out = mustRun(t, s, "func (r R) Get() float64 { return 2 * r.V }")
	want = "note: m, newer, pr, r, rs still hold values of the earlier R; run the cells that made them again for the new one\n"
	if got := stderrOf(out); got != want {
		t.Errorf("note %q, want %q", got, want)
	}
}

// %who names cell types as written, and marks values of a changed type.
func TestWhoCellTypes(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "type R struct{ V float64 }\ntype C float64\ntype Animal interface{ S() string }\nfunc (r R) S() string { return \"r\" }")
	mustRun(t, s, "r := R{2}\nrs := []R{r}\nvar c C = 3\nvar an Animal = r")
	mustRun(t, s, "type R struct{ V, W float64 }\nfresh := &R{}")
	_, out := mustRun(t, s, "%who")
	want := "Name   Type                      Shape  Dtype\n" +
		"----   ----                      -----  -----\n" +
		"an     Animal\n" +
		"c      C\n" +
		"fresh  *R\n" +
		"r      R (earlier definition)\n" +
		"rs     []R (earlier definition)\n"
	if got := stdoutOf(out); got != want {
		t.Errorf("%%who:\n%s\nwant:\n%s", got, want)
	}
}

// A redefinition that does not compile leaves the old definitions working.
func TestFailedRedefinitionKeepsOld(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "func f() int { return 1 }")
	mustRun(t, s, "func g() int { return f() + 1 }")
	if _, e, _ := run(t, s, "func f() int { return undefinedX }"); e == nil {
		t.Fatal("no error")
	}
	mustRun(t, s, "type Pt struct{ X int }\nfunc (p Pt) Get() int {\n\treturn p.X\n}\nfunc mkPt() Pt { return Pt{X: 1} }")
	if _, e, _ := run(t, s, "type Pt struct{ Z int }"); e == nil {
		t.Fatal("no error")
	}
	for code, want := range map[string]string{"f()": "1", "g()": "2", "mkPt()": "{1}", "mkPt().Get()": "1"} {
		if got, _ := mustRun(t, s, code); got != want {
			t.Errorf("%s = %s, want %s", code, got, want)
		}
	}
}

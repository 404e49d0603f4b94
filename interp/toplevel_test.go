package interp

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A package-level var declaration may read the session's variables, in
// any order with the functions of its cell, and may declare one again.
func TestVarDeclReadsSession(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "x := 1")
	mustRun(t, s, "var a = mlx.Ones(2)")
	for _, c := range []struct{ code, want string }{
		{"var y = x\ny", "1"},
		{"var y2 int = x + 1\ny2", "2"},
		{"var b = a\nb.Size()", "2"},
		{"func useC() int { return c + 1 }\nvar c = x + 10\nuseC()", "12"},
		{"var (\n\th = y2\n\ti = 3\n)\nh + i", "5"},
		{"var x = \"s\"\nx", "s"},
		{"func readX() string { return x }\nreadX()", "s"},
	} {
		if got, _ := mustRun(t, s, c.code); got != c.want {
			t.Errorf("%q = %q, want %q", c.code, got, c.want)
		}
	}
}

// A type switch of the top level that binds a name (yaegi's compiler fails
// on one), and a call of a value that is not a function.
func TestTopLevelQuirks(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "import \"fmt\"")
	_, out := mustRun(t, s, "switch v := any(3).(type) {\ncase int:\n\tfmt.Println(\"int\", v)\n}")
	if got := stdoutOf(out); got != "int 3\n" {
		t.Errorf("type switch printed %q", got)
	}
	_, e, _ := run(t, s, "x := mlx.FromSlice([]float32{1, 2}, 2)\nf := func(a *mlx.Array) *mlx.Array { return mlx.Sum(a) }\ngrad.Grad(f)(x)")
	if e == nil || e.Value != "3:1: invalid operation: cannot call non-function (value of type []*mlx.Array)" {
		t.Errorf("calling Grad's result: %v", e)
	}
}

// stdoutOf returns what an execution wrote to stdout.
func stdoutOf(f *fakeOutput) string {
	var b strings.Builder
	for _, e := range f.events {
		if e.kind == "stdout" {
			b.WriteString(e.text)
		}
	}
	return b.String()
}

// A name that a failed cell left without a value is undefined in later
// cells, until a cell defines it.
func TestGhostNames(t *testing.T) {
	s := newTestSession(t)
	run(t, s, "zzfoo := 1\nundefinedThing()")
	_, e, _ := run(t, s, "zzfoo + 1")
	if e == nil || e.Value != "1:1: undefined: zzfoo (the cell that defined it failed before giving it a value)" {
		t.Errorf("using zzfoo: %v", e)
	}
	run(t, s, "zzbar := 2\nvar m map[string]int\nm[\"a\"] = 1\nzzbaz := 3")
	if got, _ := mustRun(t, s, "zzbar"); got != "2" {
		t.Errorf("zzbar = %s", got)
	}
	if _, e, _ := run(t, s, "zzbaz"); e == nil {
		t.Errorf("zzbaz, defined after the panic, has a value")
	}
	mustRun(t, s, "zzfoo := 5")
	if got, _ := mustRun(t, s, "zzfoo"); got != "5" {
		t.Errorf("zzfoo = %s", got)
	}
}

// A go statement evaluates its arguments before the goroutine starts.
func TestGoEvaluatesArgumentsFirst(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "func send(ch chan int, v int) { ch <- v }")
	for range 3 {
		if got, _ := mustRun(t, s, "m := 1\nch := make(chan int, 1)\ngo send(ch, m*10)\nm = 2\n<-ch"); got != "10" {
			t.Fatalf("the goroutine got %s, want 10", got)
		}
	}
	mustRun(t, s, "import \"sync\"\nfunc store(p *int, v int, wg *sync.WaitGroup) {\n\t*p = v\n\twg.Done()\n}")
	if got, _ := mustRun(t, s, "func run() int {\n\tvar wg sync.WaitGroup\n\twg.Add(1)\n\tk, out := 3, 0\n\tgo store(&out, k, &wg)\n\tk = 4\n\twg.Wait()\n\treturn out\n}\nrun()"); got != "3" {
		t.Errorf("in a function: %s, want 3", got)
	}
}

// A recursion that does not end stops with an error, and the session goes
// on; an interrupt stops a recursion too.
func TestRecursionStops(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "func f(n int) int { return f(n+1) + 1 }")
	start := time.Now()
	_, e, _ := run(t, s, "f(0)")
	if e == nil || e.Name != "StackOverflow" {
		t.Fatalf("f(0): %v", e)
	}
	t.Logf("stopped after %v: %s", time.Since(start), e.Value)
	if got, _ := mustRun(t, s, "1 + 1"); got != "2" {
		t.Errorf("after: %s", got)
	}
	// Through another function, and a method.
	mustRun(t, s, "func ma(n int) int { return mb(n) + 1 }\nfunc mb(n int) int { return ma(n+1) }")
	mustRun(t, s, "type T struct{}\nfunc (t T) M(n int) int { return t.M(n+1) + 1 }")
	for _, c := range []string{"ma(0)", "T{}.M(0)"} {
		if _, e, _ := run(t, s, c); e == nil || e.Name != "StackOverflow" {
			t.Errorf("%s: %v", c, e)
		}
	}
	// An interrupt, before the stack grows that far.
	mustRun(t, s, "func g(n int) int {\n\tif n%2 == 0 {\n\t\treturn g(n+1)\n\t}\n\treturn g(n-1)\n}")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, e := s.Execute(ctx, "g(0)", &fakeOutput{}); e == nil || e.Name != "Interrupted" {
		t.Errorf("g(0) interrupted: %v", e)
	}
	if got, _ := mustRun(t, s, "2 + 2"); got != "4" {
		t.Errorf("after the interrupt: %s", got)
	}
}

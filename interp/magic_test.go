package interp

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestMinMaxClear(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "x := 2.5\ny := 7\ntype D float64\nvar d D = 4")
	for _, c := range []struct{ code, want string }{
		{"min(1, 2)", "1"},
		{"fmt.Sprintf(\"%T\", min(1, 2))", "int"},
		{"max(3, 9, 4)", "9"},
		{"min(1.5, x)", "1.5"},
		{"fmt.Sprintf(\"%T\", min(1.5, x))", "float64"},
		{"fmt.Sprintf(\"%T %v\", max(1, x), max(1, x))", "float64 2.5"},
		{"fmt.Sprintf(\"%T %v\", min(1, 2.5), min(1, 2.5))", "float64 1"},
		{"fmt.Sprintf(\"%T %v %v\", min(y, 3, 9), min(y, 3, 9), max(y, 3, 9))", "int 3 9"},
		{"fmt.Sprintf(\"%T\", max(2, d)) == fmt.Sprintf(\"%T\", d)", "true"},
		{"max(2, d)", "4"},
		{`min("b", "a", "c")`, "a"},
		{`max("b", "a", "c")`, "c"},
		{"const c = max(3, 5)\nc", "5"},
		{"func lo(a, b int) int { return min(a, b) }\nlo(4, -2)", "-2"},
		{"math.IsNaN(min(x, math.NaN()))", "true"},
		{"min(x)", "2.5"},
		{"fmt.Sprintf(\"%T\", min(int8(3), 1))", "int8"},
		{"m := map[string]int{\"a\": 1, \"b\": 2}\nclear(m)\nlen(m)", "0"},
		{"sl := []int{1, 2, 3}\nclear(sl)\nsl", "[0 0 0]"},
		{"sl2 := []int{1, 2, 3, 4}\nclear(sl2[1:3])\nsl2", "[1 0 0 4]"},
	} {
		if got, _ := mustRun(t, s, "import (\"fmt\"; \"math\")\n"+c.code); got != c.want {
			t.Errorf("cell %q: result %q, want %q", c.code, got, c.want)
		}
	}
	// A cell's own min is kept.
	if got, _ := mustRun(t, s, "func min(a, b string) string { return a + b }\nmin(\"x\", \"y\")"); got != "xy" {
		t.Errorf("own min: %q", got)
	}
	if got, _ := mustRun(t, s, "min(\"p\", \"q\")"); got != "pq" {
		t.Errorf("session min: %q", got)
	}
}

func TestMagicWhoReset(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "a := mlx.Ones(2, 3)\nb := 3\nname := \"n\"")
	_, out := mustRun(t, s, "%who")
	got := out.stream("stdout")
	for _, want := range []string{"Name", "a     *mlx.Array  [2 3]", "float32", "b     int", "name  string"} {
		if !strings.Contains(got, want) {
			t.Errorf("%%who output lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "\na ") > strings.Index(got, "\nb ") || strings.Contains(got, "_mlxgo") {
		t.Errorf("%%who output not sorted or shows helpers:\n%s", got)
	}
	mustRun(t, s, "%reset")
	if _, err, _ := run(t, s, "b"); err == nil || !strings.Contains(err.Value, "undefined: b") {
		t.Errorf("after %%reset, b: %v", err)
	}
	if got, _ := mustRun(t, s, "mlx.Ones(2).Shape()"); got != "[2]" {
		t.Errorf("after %%reset, mlx: %q", got)
	}
	_, out = mustRun(t, s, "%who")
	if got := out.stream("stdout"); got != "no variables\n" {
		t.Errorf("%%who after reset: %q", got)
	}
	mustRun(t, s, "z := 4")
	if got, _ := mustRun(t, s, "max(z, 2)"); got != "4" {
		t.Errorf("max after reset: %q", got)
	}
}

func TestMagicTime(t *testing.T) {
	s := newTestSession(t)
	got, out := mustRun(t, s, "%time mlx.Ones(2).Shape()")
	if got != "[2]" || !regexp.MustCompile(`^wall time: [0-9.]+ (s|ms|µs|ns)\n$`).MatchString(out.stream("stdout")) {
		t.Errorf("%%time: result %q, stdout %q", got, out.stream("stdout"))
	}
	got, out = mustRun(t, s, "%time\nx := 5\nx * 2")
	if got != "10" || !strings.HasPrefix(out.stream("stdout"), "wall time: ") {
		t.Errorf("%%time cell: result %q, stdout %q", got, out.stream("stdout"))
	}
	_, err, _ := run(t, s, "%time undefinedName")
	if err == nil || err.Name != "CompileError" || !strings.Contains(err.Value, "1:") {
		t.Errorf("%%time error: %v", err)
	}
}

func TestMagicTimeit(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "n := 0")
	for _, code := range []string{"%timeit n++", "%timeit mlx.Add(mlx.Ones(4), mlx.Ones(4))", "%timeit\nk := n\n_ = k"} {
		_, out := mustRun(t, s, code)
		if !regexp.MustCompile(`^[0-9]+ loops?, best of [1-7]: [0-9.]+ (s|ms|µs|ns) per loop\n$`).MatchString(out.stream("stdout")) {
			t.Errorf("%s: stdout %q", code, out.stream("stdout"))
		}
	}
	if got, _ := mustRun(t, s, "n > 10"); got != "true" {
		t.Errorf("n after %%timeit: %s", got)
	}
}

func TestMagicEnvHelpUnknown(t *testing.T) {
	s := newTestSession(t)
	_, out := mustRun(t, s, "%env MLXGO_TEST_ENV=hello")
	if got := out.stream("stdout"); got != "env: MLXGO_TEST_ENV=hello\n" || os.Getenv("MLXGO_TEST_ENV") != "hello" {
		t.Errorf("%%env set: %q", got)
	}
	t.Cleanup(func() { os.Unsetenv("MLXGO_TEST_ENV") })
	if _, out := mustRun(t, s, "%env MLXGO_TEST_ENV"); out.stream("stdout") != "hello\n" {
		t.Errorf("%%env get: %q", out.stream("stdout"))
	}
	if _, out := mustRun(t, s, "%env"); !strings.Contains(out.stream("stdout"), "MLXGO_TEST_ENV=hello\n") {
		t.Errorf("%%env list lacks the variable")
	}
	if got, _ := mustRun(t, s, "import \"os\"\nos.Getenv(\"MLXGO_TEST_ENV\")"); got != "hello" {
		t.Errorf("cell sees %q", got)
	}
	if _, err, _ := run(t, s, "%env MLXGO_NOT_SET_XYZ"); err == nil || err.Name != "KeyError" {
		t.Errorf("%%env unset: %v", err)
	}
	_, out = mustRun(t, s, "%help mlx.Ones")
	want, _ := s.Inspect("mlx.Ones", len("mlx.Ones"))
	if got := out.stream("stdout"); got == "" || strings.TrimSpace(got) != strings.TrimSpace(stripANSI(want)) {
		t.Errorf("%%help: %q, Inspect %q", got, want)
	}
	if _, err, _ := run(t, s, "%help noSuchName"); err == nil || err.Name != "NameError" {
		t.Errorf("%%help unknown: %v", err)
	}
	_, err, _ := run(t, s, "%foo bar")
	if err == nil || err.Value != "unknown magic %foo (known: %env, %help, %reset, %time, %timeit, %who)" {
		t.Errorf("unknown magic: %v", err)
	}
}

package interp

import "testing"

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

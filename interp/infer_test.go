package interp

import (
	"strings"
	"testing"
)

const mapDecl = `func MapG[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}`

// A type parameter that only a function argument's type gives is
// inferred (yaegi alone takes U = T); the type arguments are made explicit
// from the arguments' written types.
func TestGenericInference(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, mapDecl)
	mustRun(t, s, "ys := []string{\"a\", \"bb\"}\ntype PtG struct{ X int }")
	mustRun(t, s, "func ApplyG[T, U any](x T, f func(T) U) U { return f(x) }\nfunc KeysG[K comparable, V any](m map[K]V, f func(K) V) int { return len(m) }")
	for _, c := range []struct{ code, want string }{
		{`MapG([]int{1, 2}, func(i int) string { return "n" })`, "[n n]"},
		{`MapG([]int{1, 2}, func(i int) float64 { return float64(i) / 2 })`, "[0.5 1]"},
		{`MapG(ys, func(s string) int { return len(s) })`, "[1 2]"},
		{"xs := []int{3}\nMapG(xs, func(i int) string { return \"m\" })", "[m]"},
		{`MapG([]PtG{{1}, {2}}, func(p PtG) int { return p.X * 10 })`, "[10 20]"},
		{`ApplyG(int64(4), func(v int64) bool { return v > 3 })`, "true"},
		{`KeysG(map[string]int{"a": 1}, func(k string) int { return 0 })`, "1"},
		{"func lensG() []int {\n\treturn MapG([]string{\"abc\"}, func(s string) int { return len(s) })\n}\nlensG()", "[3]"},
		{`MapG[int, string]([]int{1}, func(i int) string { return "e" })`, "[e]"},
	} {
		got, _ := mustRun(t, s, c.code)
		if got != c.want {
			t.Errorf("%q = %s, want %s", c.code, got, c.want)
		}
	}
	// Conflicting types are left to the interpreter's error.
	_, e, _ := run(t, s, `MapG([]int{1}, func(s string) int { return 0 })`)
	if e == nil || e.Name != "CompileError" || !strings.Contains(e.Value, "generic functions: calling MapG") {
		t.Errorf("conflicting types: %+v", e)
	}
}

package interp

import "testing"

// A function redefined in a later cell takes effect in the functions of
// earlier cells that call it, directly or not.
func TestRedefineCallee(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "func g() int { return 1 }")
	mustRun(t, s, "func f() int { return g() * 10 }")
	mustRun(t, s, "func h() int { return f() + 1 }")
	mustRun(t, s, "func g() int { return 2 }")
	for code, want := range map[string]string{"f()": "20", "h()": "21"} {
		if got, _ := mustRun(t, s, code); got != want {
			t.Errorf("%s = %s, want %s", code, got, want)
		}
	}
	// Redefined again, with a caller redefined in the same cell.
	mustRun(t, s, "func g() int { return 3 }\nfunc f() int { return g() * 100 }")
	if got, _ := mustRun(t, s, "h()"); got != "301" {
		t.Errorf("h() = %s, want 301", got)
	}
}

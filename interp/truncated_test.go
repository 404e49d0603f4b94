package interp

import (
	"strings"
	"testing"
)

// A cell cut short names what the user wrote, not the '}' that closes the
// wrapper a statement is parsed in.
func TestTruncatedCellError(t *testing.T) {
	s := newTestSession(t)
	caret := func(pad int) string { return "    " + strings.Repeat(" ", pad) + ansiRed + "^" + ansiReset }
	for _, c := range []struct {
		code, value string
		line        int
		src         string
		pad         int
	}{
		{"x := 1 +", "1:9: expected operand, found end of cell", 1, "x := 1 +", 8},
		{"x := 1 +\n", "1:9: expected operand, found end of cell", 1, "x := 1 +", 8},
		{"a := 2\ny := (a +\n\n// more to come\n", "2:10: expected operand, found end of cell", 2, "y := (a +", 9},
		{"x :=", "1:5: expected operand, found end of cell", 1, "x :=", 4},
		{"x := foo.", "1:10: expected selector or type assertion, found end of cell", 1, "x := foo.", 9},
		{"f(1, ", "1:5: expected operand, found end of cell", 1, "f(1, ", 4},
		{"if true {", "1:10: expected '}', found end of cell", 1, "if true {", 9},
		{"x := 1 +; y := 2", "1:9: expected operand, found ';'", 1, "x := 1 +; y := 2", 8},
		{"var v = 1 +", "1:12: expected operand, found end of cell", 1, "var v = 1 +", 11},
		{"func g() int {\n\treturn 1 +", "2:12: expected operand, found end of cell", 2, "    return 1 +", 14},
		// An error of the user's own text is unchanged.
		{"x := 1 *\ny := 2", "2:3: expected ';', found ':='", 2, "y := 2", 2},
	} {
		_, e, _ := run(t, s, c.code)
		if e == nil {
			t.Errorf("%q: no error", c.code)
			continue
		}
		want := []string{ansiRed + "CompileError" + ansiReset + ": " + c.value,
			"  " + ansiGreen + "cell line " + string(rune('0'+c.line)) + ansiReset + ":", "    " + c.src, caret(c.pad)}
		if e.Name != "CompileError" || e.Value != c.value || strings.Join(e.Traceback, "\n") != strings.Join(want, "\n") {
			t.Errorf("%q:\n got %s: %s\n%s\nwant %s\n%s", c.code, e.Name, e.Value, strings.Join(e.Traceback, "\n"), c.value, strings.Join(want, "\n"))
		}
	}
}

// A trailing operator or an open bracket continues the cell in a console;
// an error before the end does not.
func TestIsCompleteTruncated(t *testing.T) {
	s := newTestSession(t)
	for _, c := range []struct{ code, status, indent string }{
		{"x := 1 +", "incomplete", "    "},
		{"x := foo.", "incomplete", "    "},
		{"x := (1 +", "incomplete", "    "},
		{"f(1,", "incomplete", "    "},
		{"if x {\n\ty := 1 +", "incomplete", "    "},
		{"if x {\n\tif y {", "incomplete", "        "},
		{"x := 1 +; y := 2", "invalid", ""},
		{"x := 1 *\ny := 2", "invalid", ""},
		{"x := 1 + )", "invalid", ""},
		{"x := 1 + 2", "complete", ""},
	} {
		st, ind := s.IsComplete(c.code)
		if st != c.status || ind != c.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", c.code, st, ind, c.status, c.indent)
		}
	}
}

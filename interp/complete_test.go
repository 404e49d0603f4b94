package interp

import (
	"slices"
	"strings"
	"testing"
)

func TestComplete(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "myVariable := mlx.Ones(2, 3)\nfunc myFunc() int { return 1 }\ntype myType struct{ A int }\nimport \"strings\"")
	for _, c := range []struct {
		code       string
		cursor     int // -1: the end
		want       []string
		start, end int
	}{
		{"mlx.Mat", -1, []string{"Matmul", "Matrix"}, 4, 7},
		{"grad.Val", -1, []string{"ValueFunc", "ValueGrad"}, 5, 8},
		{"display.Dis", -1, []string{"Display", "DisplayID"}, 8, 11},
		{"x := strings.Rep", -1, []string{"Repeat", "ReplaceAll", "Replace", "Replacer"}, 13, 16},
		{"myV", -1, []string{"myVariable"}, 0, 3},
		{"myF", -1, []string{"myFunc"}, 0, 3},
		{"myT", -1, []string{"myType"}, 0, 3},
		{"y := myVariable.Sh", -1, []string{"Shape"}, 16, 18},
		{"mlx.Mat(1)", 7, []string{"Matmul", "Matrix"}, 4, 7},
		{"fmt.Pri", -1, nil, 4, 7}, // fmt is not imported
		{"import \"fmt\"\nfmt.Pri", -1, []string{"Print", "Printf", "Println"}, 17, 20},
		{"π := 1\nz := \"é\"; πx", -1, nil, 17, 19},
		{"localName := 3\nloc", -1, []string{"localName"}, 15, 18},
		{"le", -1, []string{"len"}, 0, 2},
	} {
		cursor := c.cursor
		if cursor < 0 {
			cursor = len([]rune(c.code))
		}
		got, start, end := s.Complete(c.code, cursor)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("Complete(%q): %v lacks %s", c.code, got, w)
			}
		}
		if c.want == nil && len(got) > 0 && !strings.Contains(c.code, "π") {
			t.Errorf("Complete(%q) = %v, want nothing", c.code, got)
		}
		if start != c.start || end != c.end {
			t.Errorf("Complete(%q): range [%d,%d), want [%d,%d)", c.code, start, end, c.start, c.end)
		}
	}
	// A failed cell does not hide the session's variables.
	if _, err, _ := run(t, s, "other := 1\nbroken := undefinedZZ + other"); err == nil {
		t.Fatal("the broken cell compiled")
	}
	if got, _, _ := s.Complete("myVa", 4); !slices.Equal(got, []string{"myVariable"}) {
		t.Errorf("after a failed cell: %v", got)
	}
	// Exact match list for a package prefix.
	if got, _, _ := s.Complete("mlx.Matm", 8); !slices.Equal(got, []string{"Matmul"}) {
		t.Errorf("mlx.Matm: %v", got)
	}
}

func TestInspect(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, `import "strings"
// double returns twice its argument.
func double(x int) int { return 2 * x }
arr := mlx.Ones(2)
type point struct{ X, Y float64 }
func (p point) Norm() float64 { return p.X*p.X + p.Y*p.Y }`)
	for _, c := range []struct {
		code   string
		cursor int // -1: the end
		want   []string
	}{
		{"mlx.Matmul", -1, []string{"func Matmul(x, y any) *Array", "matrix product"}},
		{"mlx.Matmul(a, b)", 6, []string{"func Matmul(x, y any) *Array"}},
		{"mlx.Matmul(a, ", -1, []string{"func Matmul(x, y any) *Array"}}, // inside the call
		{"grad.Grad", -1, []string{"func Grad(", "gradient"}},
		{"display.Display", -1, []string{"func Display(v any)"}},
		{"mlx", -1, []string{"package mlx"}},
		{"double", -1, []string{"func double(x int) int", "double returns twice its argument."}},
		{"double(3)", 2, []string{"func double(x int) int"}},
		{"arr", -1, []string{"arr: *mlx.Array", "mlx array [2]"}},
		{"arr.Sum", -1, []string{"func (a *Array) Sum(axes ...int) *Array"}},
		{"point", -1, []string{"type point struct", "Norm() float64"}},
		{"strings.Repeat", -1, []string{"func Repeat(s string, count int) string"}},
		{"len", -1, []string{"func len(v Type) int"}},
	} {
		cursor := c.cursor
		if cursor < 0 {
			cursor = len([]rune(c.code))
		}
		text, found := s.Inspect(c.code, cursor)
		if !found {
			t.Errorf("Inspect(%q, %d): not found", c.code, cursor)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("Inspect(%q, %d) = %q, lacks %q", c.code, cursor, text, w)
			}
		}
	}
	if text, found := s.Inspect("nothingHere", 5); found {
		t.Errorf("Inspect of an unknown name: %q", text)
	}
}

func TestIsComplete(t *testing.T) {
	s := newTestSession(t)
	for _, c := range []struct{ code, status, indent string }{
		{"", "complete", ""},
		{"x := 1", "complete", ""},
		{"fmt.Println(\"hi\")", "complete", ""},
		{"func f() {", "incomplete", "    "},
		{"func f() {\n\tif true {", "incomplete", "        "},
		{"mlx.Matmul(a,", "incomplete", "    "},
		{"x := []int{1, 2,", "incomplete", "    "},
		{"x := 1 +", "incomplete", "    "},
		{"y :=", "incomplete", "    "},
		{"s := `raw\nstring", "incomplete", ""},
		{"func f() {\n}\n", "complete", ""},
		{"x := )", "invalid", ""},
		{"}", "invalid", ""},
		{"x := \"unterminated", "invalid", ""},
		{"for i := 0; i < 3; i++ {\n\tfmt.Println(i)\n}", "complete", ""},
		{"x := 1 2", "invalid", ""},
		{"f(1,\n\t2", "incomplete", "    "},
		{"func {", "invalid", ""},
	} {
		status, indent := s.IsComplete(c.code)
		if status != c.status || indent != c.indent {
			t.Errorf("IsComplete(%q) = %q %q, want %q %q", c.code, status, indent, c.status, c.indent)
		}
	}
}

func TestCompleteCellTypes(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "type Pt struct{ X, Y int }\nfunc (p Pt) Norm() int { return p.X*p.X + p.Y*p.Y }\nfunc (p *Pt) Scale(k int) { p.X *= k }\nfunc mkPt() *Pt { return &Pt{} }\npz := Pt{1, 2}\npp := &Pt{3, 4}\nvar pv Pt")
	for _, c := range []struct {
		code       string
		want       []string
		start, end int
	}{
		{"pz.N", []string{"Norm"}, 3, 4},
		{"pz.", []string{"Norm", "Scale", "X", "Y"}, 3, 3},
		{"pp.S", []string{"Scale"}, 3, 4},
		{"pv.", []string{"Norm", "Scale", "X", "Y"}, 3, 3},
		{"mkPt().No", []string{"Norm"}, 7, 9},
		{"q := Pt{}\nq.Y", []string{"Y"}, 12, 13},
		{"mlx.Ones(2, 3).Resh", []string{"Reshape"}, 15, 19},
		{"mlx.Ones(2).Sum().Resh", []string{"Reshape"}, 18, 22},
		{"pz.X.", nil, 5, 5},
	} {
		got, start, end := s.Complete(c.code, len([]rune(c.code)))
		if !slices.Equal(got, c.want) || start != c.start || end != c.end {
			t.Errorf("Complete(%q) = %v [%d,%d), want %v [%d,%d)", c.code, got, start, end, c.want, c.start, c.end)
		}
	}
}

package interp

import (
	"strings"
	"testing"
)

func TestRangeOverFunc(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, `import "fmt"

func Count(n int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

func Pairs(yield func(string, int) bool) {
	if yield("a", 1) {
		yield("b", 2)
	}
}`)
	for _, c := range []struct{ code, want, stdout string }{
		{"sum := 0\nfor i := range Count(5) {\n\tsum += i\n}\nsum", "10", ""},
		{"sum := 0\nfor i := range Count(10) {\n\tif i == 1 {\n\t\tcontinue\n\t}\n\tif i == 4 {\n\t\tbreak\n\t}\n\tfor j := 0; j < 3; j++ {\n\t\tif j == 1 {\n\t\t\tbreak\n\t\t}\n\t}\n\tsum += i\n}\nsum", "5", ""},
		{"for k, v := range Pairs {\n\tfmt.Println(k, v)\n}", "", "a 1\nb 2\n"},
		{"n := 0\nfor range Count(3) {\n\tn++\n}\nn", "3", ""},
		{"var k string\nfor k = range Pairs {\n}\nk", "b", ""},
		{"seq := func(yield func(int) bool) { yield(7) }\nfor x := range seq {\n\tfmt.Println(x)\n}", "", "7\n"},
		{"func total(n int) (s int) {\n\tfor i := range Count(n) {\n\t\ts += i\n\t}\n\treturn s\n}\ntotal(4)", "6", ""},
		{"func() (s int) {\n\tfor i := range Count(3) {\n\t\tfor j := range Count(i) {\n\t\t\ts += j\n\t\t}\n\t}\n\treturn\n}()", "1", ""},
	} {
		got, out := mustRun(t, s, c.code)
		if got != c.want || out.stream("stdout") != c.stdout {
			t.Errorf("cell %q: result %q, stdout %q; want %q, %q", c.code, got, out.stream("stdout"), c.want, c.stdout)
		}
	}
	for _, c := range []struct{ code, want string }{
		{"func first() int {\n\tfor i := range Count(3) {\n\t\treturn i\n\t}\n\treturn -1\n}", "3:3: range over a function (the loop at line 2): its body uses return"},
		{"for i := range Count(3) {\n\tdefer fmt.Println(i)\n}", "2:2: range over a function (the loop at line 1): its body uses defer"},
		{"m := map[string]func(func(int) bool){\"a\": Count(2)}\nfor i := range m[\"a\"] {\n\t_ = i\n}", "2:16: range over a function (line 2): the interpreter cannot range over m[\"a\"]"},
		{"outer:\nfor i := 0; i < 2; i++ {\n\tfor range Count(3) {\n\t\tcontinue outer\n\t}\n}", "4:3: range over a function (the loop at line 3): its body uses continue with a label"},
	} {
		_, err, _ := run(t, s, c.code)
		if err == nil || err.Name != "CompileError" || !strings.HasPrefix(err.Value, c.want) {
			t.Errorf("cell %q: error %v, want %q", c.code, err, c.want)
		}
	}
	// The session still works.
	if got, _ := mustRun(t, s, "n := 0\nfor i := range Count(3) {\n\tn += i\n}\nn"); got != "3" {
		t.Errorf("after errors: %q", got)
	}
}

func TestGenericFunctions(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "import \"fmt\"")
	// Common cases yaegi handles.
	for _, c := range []struct{ code, want string }{
		{"func Keys[K comparable, V any](m map[K]V) []K {\n\tvar out []K\n\tfor k := range m {\n\t\tout = append(out, k)\n\t}\n\treturn out\n}\nKeys(map[string]int{\"a\": 1})", "[a]"},
		{"func Zero[T any]() T {\n\tvar z T\n\treturn z\n}\nZero[int]()", "0"},
		{"type Stack[T any] struct{ items []T }\nfunc (s *Stack[T]) Push(x T) { s.items = append(s.items, x) }\nst := &Stack[int]{}\nst.Push(3)\nst.items", "[3]"},
		// yaegi alone infers U = int here; inferTypeArgs makes the type arguments explicit.
		{"func Map[T, U any](xs []T, f func(T) U) []U {\n\tvar out []U\n\tfor _, x := range xs {\n\t\tout = append(out, f(x))\n\t}\n\treturn out\n}\nMap([]int{1, 2}, func(i int) string { return fmt.Sprint(i) })", "[1 2]"},
	} {
		if got, _ := mustRun(t, s, c.code); got != c.want {
			t.Errorf("cell %q: result %q, want %q", c.code, got, c.want)
		}
	}
	// What it does not: a clear error naming the feature and the line.
	for _, c := range []struct{ code, want string }{
		{"func Sum[T int | float64](xs ...T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}\nSum(1.5, 2)", "generic functions: calling Sum"},
	} {
		_, err, _ := run(t, s, c.code)
		if err == nil || err.Name != "CompileError" || !strings.Contains(err.Value, c.want) || !strings.Contains(err.Value, "line 1") {
			t.Errorf("cell %q: error %v, want %q", c.code, err, c.want)
		}
	}
	if got, _ := mustRun(t, s, "1 + 1"); got != "2" {
		t.Errorf("after errors: %q", got)
	}
}

"""A table of Go cells run through the real kernel (jupyter_client): modern Go
under yaegi (range over int and over functions, min/max/clear, generics),
mixed cells, redefinition of variables, stdlib imports, errors that point at
the cell line, magics, is_complete, completion and inspection.

Each row is self-contained: its setup cells (which must succeed) declare the
names it uses, with names unique to the row, so rows can run alone or in any
order in the one shared kernel. Rows whose outcome depends on the session's
whole state (%who, %reset) get a fresh kernel."""
import re
from dataclasses import dataclass, field

import pytest

from conftest import start_kernel, stop_kernel
from test_execute import GREEN, RED, RESET, TIMEOUT, run, shell_reply


# --- expectations -------------------------------------------------------------


@dataclass
class Result:
    """The cell's only output is an execute_result with this text/plain
    (and, for arrays, an HTML form besides)."""
    text: str
    html: bool = False


@dataclass
class Stream:
    """The cell writes exactly this to a stream; `then` is an expected result after it."""
    text: str
    name: str = "stdout"
    then: object = None


@dataclass
class StreamMatch:
    """One stream output whose text fully matches the regex, then optionally a result."""
    pattern: str
    then: object = None


@dataclass
class Error:
    ename: str
    evalue: str
    traceback: list = None


@dataclass
class Nothing:
    """The cell succeeds and publishes nothing."""


@dataclass
class Row:
    id: str
    code: str
    expect: object
    setup: tuple = ()
    fresh: bool = False


def compile_tb(evalue, line, src, col):
    return [
        RED + "CompileError" + RESET + ": " + evalue,
        "  " + GREEN + "cell line %d" % line + RESET + ":",
        "    " + src,
        "    " + " " * (col - 1) + RED + "^" + RESET,
    ]


def compile_error(line, col, msg, src):
    evalue = "%d:%d: %s" % (line, col, msg)
    return Error("CompileError", evalue, compile_tb(evalue, line, src, col))


def panic_tb(evalue, *frames):
    """frames: (line, src) or (line, func, src) from innermost to the cell's own line."""
    tb = [RED + "panic" + RESET + ": " + evalue]
    for f in frames:
        if len(f) == 2:
            tb.append("  " + GREEN + "cell line %d" % f[0] + RESET + ": " + f[1])
        else:
            tb.append("  " + GREEN + "cell line %d" % f[0] + RESET + ", in " + f[1] + ": " + f[2])
    return tb


def earlier_compile_error(line, col, msg, src):
    """A compile error in a declaration of an earlier cell that the cell made compile again."""
    evalue = "%d:%d: %s" % (line, col, msg)
    return Error("CompileError", evalue, [
        RED + "CompileError" + RESET + ": " + evalue,
        "  " + GREEN + "line %d of an earlier cell" % line + RESET + ":",
        "    " + src,
        "    " + " " * (col - 1) + RED + "^" + RESET,
    ])


def usage_error(evalue):
    return Error("UsageError", evalue, [RED + "UsageError" + RESET + ": " + evalue])


COUNT_ITER = """func {name}(n int) func(func(int) bool) {{
	return func(yield func(int) bool) {{
		for i := 0; i < n; i++ {{
			if !yield(i) {{
				return
			}}
		}}
	}}
}}"""

MAP_FUNC = """func {name}[T, U any](xs []T, f func(T) U) []U {{
	out := make([]U, 0, len(xs))
	for _, x := range xs {{
		out = append(out, f(x))
	}}
	return out
}}"""

FILTER_FUNC = """func {name}[T any](xs []T, keep func(T) bool) []T {{
	var out []T
	for _, x := range xs {{
		if keep(x) {{
			out = append(out, x)
		}}
	}}
	return out
}}"""

# A type, a method on it, and functions that make and use its values; {n} makes the names unique.
PT_DECLS = """type Pt{n} struct{{ X int }}
func (p Pt{n}) Get() int {{ return p.X }}
func mkPt{n}() Pt{n} {{ return Pt{n}{{X: 1}} }}
func usePt{n}(p Pt{n}) int {{ return p.Get() + 1 }}"""

SCALAR_ONE = "mlx array []\n  dtype: float32\n  device: cpu\n  values:\n[1] %s"

WHO_HEADER = "Name  Type        Shape  Dtype\n----  ----        -----  -----\n"

KNOWN_MAGICS = "(known: %env, %help, %reset, %time, %timeit, %who)"


ROWS = [
    # --- range over an integer -------------------------------------------------
    Row("range-int-sum", "rs := 0\nfor i := range 5 {\n\trs += i\n}\nrs", Result("10")),
    Row("range-int-no-var", "rn := 0\nfor range 4 {\n\trn++\n}\nrn", Result("4")),
    Row("range-int-zero", "rz := 7\nfor range 0 {\n\trz = 0\n}\nrz", Result("7")),
    Row("range-int-var-bound", "rb := 3\nrp := 1\nfor i := range rb {\n\trp *= i + 2\n}\nrp", Result("24")),
    Row("range-int-print", 'import "fmt"\nfor i := range 3 {\n\tfmt.Println(i)\n}', Stream("0\n1\n2\n")),
    Row("range-int-nested", "rc := 0\nfor i := range 3 {\n\tfor j := range i {\n\t\trc += j + 1\n\t}\n}\nrc", Result("4")),
    # --- min, max, clear ---------------------------------------------------------
    Row("min-ints", "min(3, 1, 2)", Result("1")),
    Row("max-ints", "max(3, 1, 2)", Result("3")),
    Row("max-mixed-float", "max(1.5, 2)", Result("2")),
    Row("min-mixed-float", "min(2.5, 1)", Result("1")),
    Row("min-float-frac", "min(2.5, 0.25)", Result("0.25")),
    Row("min-strings", 'min("b", "a", "c")', Result("a")),
    Row("max-strings", 'max("apple", "pear")', Result("pear")),
    Row("min-vars", "ma, mb := 8, -2\nmin(ma, mb, 5)", Result("-2")),
    Row("clear-map", 'cm := map[string]int{"a": 1, "b": 2}\nclear(cm)\nlen(cm)', Result("0")),
    Row("clear-slice", "cs := []int{1, 2, 3}\nclear(cs)\ncs", Result("[0 0 0]")),
    # --- range over a function ---------------------------------------------------
    Row("iter-sum", "it1 := 0\nfor v := range CountA(5) {\n\tit1 += v\n}\nit1", Result("10"),
        setup=(COUNT_ITER.format(name="CountA"),)),
    Row("iter-break-continue",
        "it2 := 0\nfor v := range CountB(10) {\n\tif v == 2 {\n\t\tcontinue\n\t}\n\tif v == 6 {\n\t\tbreak\n\t}\n\tit2 += v\n}\nit2",
        Result("13"), setup=(COUNT_ITER.format(name="CountB"),)),
    Row("iter-declared-in-same-cell",
        COUNT_ITER.format(name="CountC") + "\nit3 := []int{}\nfor v := range CountC(3) {\n\tit3 = append(it3, v*10)\n}\nit3",
        Result("[0 10 20]")),
    Row("iter-two-values",
        """func PairsD(m map[string]int) func(func(string, int) bool) {
	return func(yield func(string, int) bool) {
		for k, v := range m {
			if !yield(k, v) {
				return
			}
		}
	}
}
it4 := 0
for k, v := range PairsD(map[string]int{"xy": 3}) {
	it4 += len(k) + v
}
it4""", Result("5")),
    # --- generic functions ---------------------------------------------------------
    Row("generic-map-same-type", "MapA([]int{1, 2, 3}, func(i int) int { return i * i })", Result("[1 4 9]"),
        setup=(MAP_FUNC.format(name="MapA"),)),
    Row("generic-map-explicit", 'MapB[int, string]([]int{1, 2}, func(i int) string { return "n" })', Result("[n n]"),
        setup=(MAP_FUNC.format(name="MapB"),)),
    # Type arguments that only a function literal gives are inferred (made explicit before yaegi sees the call).
    Row("generic-map-infer-other-type", 'MapC([]int{1, 2}, func(i int) string { return "n" })', Result("[n n]"),
        setup=(MAP_FUNC.format(name="MapC"),)),
    Row("generic-map-infer-from-var", 'giA := []string{"a", "bb"}\nMapD(giA, func(s string) int { return len(s) })',
        Result("[1 2]"), setup=(MAP_FUNC.format(name="MapD"),)),
    Row("generic-filter", "FilterA([]int{1, 2, 3, 4}, func(i int) bool { return i%2 == 0 })", Result("[2 4]"),
        setup=(FILTER_FUNC.format(name="FilterA"),)),
    Row("generic-filter-strings", 'FilterB([]string{"a", "bb", "ccc"}, func(s string) bool { return len(s) > 1 })',
        Result("[bb ccc]"), setup=(FILTER_FUNC.format(name="FilterB"),)),
    Row("generic-union-float",
        "func SumA[T int | float64](xs []T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}\nSumA([]float64{1.5, 2.5})",
        Result("4")),
    Row("generic-union-int", "SumB([]int{1, 2, 3})", Result("6"),
        setup=("func SumB[T int | float64](xs []T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}",)),
    Row("generic-comparable", 'KeysA(map[string]bool{"a": true, "b": false})', Result("2"),
        setup=("func KeysA[K comparable, V any](m map[K]V) int { return len(m) }",)),
    # --- redefining a variable with another type ----------------------------------
    Row("redefine-var-type", 'rv := "now a string"\nrv', Result("now a string"), setup=("rv := 1",)),
    Row("redefine-var-slice", "rw := []float64{0.5}\nrw", Result("[0.5]"), setup=('rw := "text"',)),
    Row("assign-wrong-type", 'aw := 1\naw = "s"', compile_error(2, 6, 'cannot convert "s" to int', 'aw = "s"')),
    # --- types with a String method -----------------------------------------------
    Row("type-stringer",
        'import "fmt"\ntype PointA struct{ X, Y int }\nfunc (p PointA) String() string { return fmt.Sprintf("(%d, %d)", p.X, p.Y) }\nPointA{1, 2}',
        Result("(1, 2)")),
    Row("type-stringer-later-cell", "PointB{3, 4}", Result("<3|4>"),
        setup=('import "fmt"\ntype PointB struct{ X, Y int }\nfunc (p PointB) String() string { return fmt.Sprintf("<%d|%d>", p.X, p.Y) }',)),
    Row("type-plain-struct", "type PlainA struct{ A int; B string }\nPlainA{1, \"x\"}", Result("{1 x}")),
    # --- mixed imports, declarations and statements --------------------------------
    Row("mixed-order",
        'mxA := 2\nimport "strings"\nfunc twiceA(s string) string { return strings.Repeat(s, mxA) }\ntwiceA("ab")',
        Result("abab")),
    Row("mixed-use-before-decl",
        'mxB := halveB(10)\nfunc halveB(n int) int { return n / 2 }\nimport "fmt"\nfmt.Sprint(mxB)',
        Result("5")),
    Row("mixed-const-type", "const mxC = 3\ntype cellsC []int\nmxD := cellsC{mxC, mxC}\nlen(mxD)", Result("2")),
    # --- standard library -----------------------------------------------------------
    Row("stdlib-strings", 'import "strings"\nstrings.ToUpper("go") + strings.TrimSpace("  x ")', Result("GOx")),
    Row("stdlib-math", 'import "math"\nmath.Sqrt(16)', Result("4")),
    Row("stdlib-math-pi", 'import "math"\nmath.Floor(math.Pi * 100)', Result("314")),
    Row("stdlib-sort", 'import "sort"\nsortA := []int{3, 1, 2}\nsort.Ints(sortA)\nsortA', Result("[1 2 3]")),
    Row("stdlib-sort-strings", 'import "sort"\nsortB := []string{"b", "c", "a"}\nsort.Strings(sortB)\nsortB', Result("[a b c]")),
    Row("stdlib-time", 'import "time"\ntime.Duration(1500) * time.Millisecond', Result("1.5s")),
    Row("stdlib-json-marshal", 'import "encoding/json"\njsA, _ := json.Marshal(map[string]int{"a": 1})\nstring(jsA)',
        Result('{"a":1}')),
    Row("stdlib-json-unmarshal",
        'import "encoding/json"\nvar jsB struct{ N int }\njson.Unmarshal([]byte(`{"N": 7}`), &jsB)\njsB.N', Result("7")),
    Row("stdlib-fmt-print", 'import "fmt"\nfmt.Printf("%d-%s\\n", 4, "x")', Stream("4-x\n")),
    Row("stdlib-stderr", 'import (\n\t"fmt"\n\t"os"\n)\nfmt.Fprintln(os.Stderr, "oops")', Stream("oops\n", name="stderr")),
    # --- errors point at the cell line ----------------------------------------------
    Row("error-undefined", "euA := 1\neuB := undefinedThing",
        compile_error(2, 8, "undefined: undefinedThing", "euB := undefinedThing")),
    Row("error-undefined-pkg", "for i := range 3 { fmt.Println(i) }",
        compile_error(1, 20, "undefined: fmt", "for i := range 3 { fmt.Println(i) }"), fresh=True),
    Row("error-bad-import", 'import "nosuchpkg"',
        compile_error(1, 8, 'cannot import "nosuchpkg": cells can import the standard library (as of Go 1.22, as yaegi '
                      "has it) and github.com/mlxgo/mlxgo/mlx, github.com/mlxgo/mlxgo/mlx/grad and "
                      "github.com/mlxgo/mlxgo/display", 'import "nosuchpkg"')),
    Row("error-index-panic", "epA := []int{1}\nepI := 3\nepA[epI]",
        Error("panic", "runtime error: index out of range",
              panic_tb("runtime error: index out of range", (3, "epA[epI]")))),
    Row("error-panic", 'panic("boom")', Error("panic", "boom", panic_tb("boom", (1, 'panic("boom")')))),
    Row("error-panic-in-func", 'func deepA() {\n\tpanic("deep")\n}\ndeepA()',
        Error("panic", "deep", panic_tb("deep", (2, "deepA", 'panic("deep")'), (4, "deepA()")))),
    Row("error-divide-by-zero", "dzA := 0\n10 / dzA",
        Error("panic", "runtime error: integer divide by zero",
              panic_tb("runtime error: integer divide by zero", (2, "10 / dzA")))),
    Row("error-var-type", "var vsA string = 5", compile_error(1, 18, "cannot convert 5 to string", "var vsA string = 5")),
    # A cell cut short names what the user wrote (not the wrapper's closing brace).
    Row("error-trailing-operator", "toA := 1 +", compile_error(1, 11, "expected operand, found end of cell", "toA := 1 +")),
    Row("error-open-brace-at-end", "if true {", compile_error(1, 10, "expected '}', found end of cell", "if true {")),
    Row("error-operator-before-semicolon", "toB := 2 *; toC := 3",
        compile_error(1, 11, "expected operand, found ';'", "toB := 2 *; toC := 3")),
    # A failed cell's names are not offered by completion (see COMPLETIONS: "cgF").
    Row("error-compile-leaves-no-names", "cgFoo := 1; undefinedThing()",
        compile_error(1, 13, "undefined: undefinedThing", "cgFoo := 1; undefinedThing()")),
    Row("error-mlx-shape", "mlx.Matmul(mlx.Ones(4, 2), mlx.Ones(3, 1))",
        Error("mlx.Error", "mlx.Matmul: shapes [4 x 2] and [3 x 1] are not compatible",
              [RED + "mlx.Error" + RESET + ": mlx.Matmul: shapes [4 x 2] and [3 x 1] are not compatible",
               "  " + GREEN + "cell line 1" + RESET + ": mlx.Matmul(mlx.Ones(4, 2), mlx.Ones(3, 1))"])),
    # --- magics ----------------------------------------------------------------------
    Row("magic-unknown", "%unknownmagic", usage_error("unknown magic %unknownmagic " + KNOWN_MAGICS)),
    Row("magic-unknown-2", "%whoami", usage_error("unknown magic %whoami " + KNOWN_MAGICS)),
    Row("magic-time-usage", "%time", usage_error("usage: %time <statement>")),
    Row("magic-timeit-usage", "%timeit", usage_error("usage: %timeit <statement>")),
    Row("magic-env-set", "%env MLXGO_CELLS_T=hello", Stream("env: MLXGO_CELLS_T=hello\n")),
    Row("magic-env-get", "%env MLXGO_CELLS_U", Stream("there\n"), setup=("%env MLXGO_CELLS_U=there",)),
    Row("magic-env-seen-by-os", 'import "os"\nos.Getenv("MLXGO_CELLS_V")', Result("v1"),
        setup=("%env MLXGO_CELLS_V=v1",)),
    Row("magic-time-value", "%time 6 * 7", StreamMatch(r"wall time: \S+ \S+\n", then=Result("42"))),
    Row("magic-time-mlx", "%time mlx.Sum(mlx.Ones(3))", StreamMatch(r"wall time: \S+ \S+\n", then=Result(SCALAR_ONE % "3", html=True))),
    Row("magic-timeit", "%timeit mlx.Sum(mlx.Ones(3))", StreamMatch(r"\d+ loops, best of \d+: .+ per loop\n")),
    Row("magic-timeit-plain", "%timeit min(1, 2)", StreamMatch(r"\d+ loops, best of \d+: .+ per loop\n")),
    Row("magic-who-empty", "%who", Stream("no variables\n"), fresh=True),
    Row("magic-who", "%who", Stream(WHO_HEADER + "whoN  int\nwhoW  *mlx.Array  [2 3]  float32\n"),
        setup=("whoN := 3\nwhoW := mlx.Ones(2, 3)",), fresh=True),
    # Help on a standard-library name needs no import (a fresh kernel never imported strings).
    Row("magic-help-stdlib-not-imported", "%help strings.HasPrefix", Nothing(), fresh=True),
    Row("help-suffix-stdlib-not-imported", "strings.HasPrefix?", Nothing(), fresh=True),
    Row("magic-help-unknown-member", "%help strings.NoSuchThing",
        Error("NameError", "no help found for strings.NoSuchThing", ["no help found for strings.NoSuchThing"]), fresh=True),
    Row("magic-reset-removes", "resetA", compile_error(1, 1, "undefined: resetA", "resetA"),
        setup=("resetA := mlx.Ones(2)", "%reset"), fresh=True),
    Row("magic-reset-mlx-works", "mlx.Sum(mlx.Ones(2))", Result(SCALAR_ONE % "2", html=True),
        setup=("resetB := 5", "%reset"), fresh=True),
    Row("magic-reset-who", "%who", Stream("no variables\n"), setup=("resetC := 5", "%reset"), fresh=True),
    # --- redefining a type and its methods reaches earlier code ------------------------
    Row("redefine-type-earlier-func", "type PtA struct{ X, Y int }\nmkPtA()", Result("{1 0}"),
        setup=(PT_DECLS.format(n="A"),)),
    Row("redefine-method-earlier-func", "func (p PtB) Get() int { return p.X * 100 }\nusePtB(mkPtB())", Result("101"),
        setup=(PT_DECLS.format(n="B"), "type PtB struct{ X, Y int }")),
    Row("redefine-type-new-fields-in-earlier-func", "usePtC(PtC{X: 2, Y: 3})", Result("3"),
        setup=(PT_DECLS.format(n="C"), "type PtC struct{ X, Y int }")),
    Row("redefine-type-and-method-together",
        "type TwA struct{ A, B int }\nfunc (q TwA) Sum() int { return q.A + q.B }\nTwA{1, 2}.Sum()", Result("3"),
        setup=("type TwA struct{ A int }\nfunc (q TwA) Sum() int { return 2 * q.A }",)),
    Row("redefine-type-note-old-value", "type PtD struct{ X, Y int }",
        Stream("note: pD still holds a value of the earlier PtD; run the cell that made it again for the new one\n",
               name="stderr"),
        setup=(PT_DECLS.format(n="D"), "pD := mkPtD()")),
    Row("redefine-type-note-old-values", "type VnA struct{ A, B int }",
        Stream("note: vmA, vnA still hold values of the earlier VnA; run the cells that made them again for the new one\n",
               name="stderr"),
        setup=("type VnA struct{ A int }\nvnA := VnA{1}\nvmA := VnA{2}",)),
    Row("redefine-type-same-no-note", "type WnA struct{ A int }", Nothing(),
        setup=("type WnA struct{ A int }\nwnA := WnA{1}",)),
    Row("redefine-type-old-value-kept", "pE", Result("{1 0}"),
        setup=(PT_DECLS.format(n="E"), "type PtE struct{ X, Y int }", "pE := mkPtE()", "type PtE struct{ X, Y, W int }")),
    Row("redefine-type-breaks-method", "type PtF struct{ Z int }",
        earlier_compile_error(2, 33, "undefined selector: X, in method PtF.Get of an earlier cell, which is compiled "
                              "again with the new PtF: change it in this cell too", "func (p PtF) Get() int { return p.X }"),
        setup=(PT_DECLS.format(n="F"),)),
    # --- variables initialised from earlier cells' variables --------------------------------
    Row("var-from-earlier-var", "var vyA = vxA\nvyA", Result("5"), setup=("vxA := 5",)),
    Row("var-used-by-func-before-it", "func useCA() int { return cA + 1 }\nvar cA = vxB + 10\nuseCA()", Result("16"),
        setup=("vxB := 5",)),
    # --- top-level variables from generic calls ---------------------------------------------
    Row("generic-var-short", "yG := IdA(3)\nyG + 1", Result("4"), setup=("func IdA[T any](x T) T { return x }",)),
    Row("generic-var-decl", 'var vG = IdB("s")\nvG + "!"', Result("s!"), setup=("func IdB[T any](x T) T { return x }",)),
    Row("generic-var-typed-in-later-cell", 'import "fmt"\nfmt.Sprintf("%T", yH)', Result("int"),
        setup=("func IdC[T any](x T) T { return x }", "yH := IdC(3)")),
    Row("generic-var-map", "gxA := []int{1, 2, 3}\ndblA := MapE(gxA, func(i int) int { return 2 * i })\ndblA",
        Result("[2 4 6]"), setup=(MAP_FUNC.format(name="MapE"),)),
    Row("generic-var-map-other-type",
        'import "strconv"\ngsB := MapF([]int{7, 42}, func(i int) string { return strconv.Itoa(i) })\ngsB[1] + "!"',
        Result("42!"), setup=(MAP_FUNC.format(name="MapF"),)),
    Row("generic-var-struct",
        'type PairTA[K any, V any] struct{ Key K; Val V }\nfunc PairA[K, V any](k K, v V) PairTA[K, V] { return PairTA[K, V]{k, v} }\n'
        'pmA := PairA("a", 1.5)\npmA.Val + 1', Result("2.5")),
    Row("generic-var-two-results", 'saA, sbA := SwapA("a", 1.5)\nsbA + "!"', Result("a!"),
        setup=("func SwapA[A, B any](a A, b B) (B, A) { return b, a }",)),
    # --- generic functions of the standard library ---------------------------------------------
    Row("stdlib-slices-sort", 'import "slices"\nslA := []int{3, 1, 2}\nslices.Sort(slA)\nslA', Result("[1 2 3]")),
    Row("stdlib-slices-max", 'import "slices"\nslices.Max([]int{4, 9, 2})', Result("9")),
    Row("stdlib-slices-min-float", 'import "slices"\nslices.Min([]float64{2.5, -1, 3})', Result("-1")),
    Row("stdlib-slices-sorted-keys",
        'import (\n\t"maps"\n\t"slices"\n)\nmkA := map[string]int{"b": 2, "a": 1, "c": 3}\nslices.Sorted(maps.Keys(mkA))',
        Result("[a b c]")),
    Row("stdlib-slices-sortfunc",
        'import "slices"\ntype PersonA struct{ Name string; Age int }\npsA := []PersonA{{"Al", 30}, {"Bo", 25}, {"Cy", 35}}\n'
        "slices.SortFunc(psA, func(a, b PersonA) int { return a.Age - b.Age })\npsA",
        Result("[{Bo 25} {Al 30} {Cy 35}]")),
    Row("stdlib-slices-binary-search", 'import "slices"\nslices.BinarySearch([]int{1, 3, 5, 7}, 5)', Result("2 true")),
    Row("stdlib-slices-binary-search-vars",
        'import (\n\t"fmt"\n\t"slices"\n)\nbiA, foundA := slices.BinarySearch([]int{1, 3, 5, 7}, 4)\nfmt.Sprint(biA, foundA)',
        Result("2 false")),
    # --- a top-level type switch that binds a name ------------------------------------------------
    Row("typeswitch-bind", 'import "fmt"\nswitch v := any(3).(type) {\ncase int:\n\tfmt.Println("int", v)\n}',
        Stream("int 3\n")),
    Row("typeswitch-bind-string-case",
        'import "fmt"\nvar tsA any = "hi"\nswitch v := tsA.(type) {\ncase int:\n\tfmt.Println("int", v)\n'
        'case string:\n\tfmt.Println("string", len(v))\ndefault:\n\tfmt.Println("other")\n}',
        Stream("string 2\n")),
    Row("typeswitch-bind-sets-outer", "tsN := 0\nswitch v := any(7).(type) {\ncase int:\n\ttsN = v * 2\n}\ntsN", Result("14")),
    Row("typeswitch-bind-scoped", "switch tsV := any(1).(type) {\ndefault:\n\t_ = tsV\n}\ntsV",
        compile_error(5, 1, "undefined: tsV", "tsV")),
    # --- calling what is not a function ----------------------------------------------------------
    Row("grad-result-not-callable",
        "fgA := func(w *mlx.Array) *mlx.Array { return mlx.Sum(mlx.Mul(w, w)) }\ngxA := mlx.Ones(2)\ngrad.Grad(fgA)(gxA)",
        compile_error(3, 1, "invalid operation: cannot call non-function (value of type []*mlx.Array)",
                      "grad.Grad(fgA)(gxA)")),
]


# --- the kernel(s) ----------------------------------------------------------------


def outputs_of(kc, code):
    content, outputs = run(kc, code)
    assert outputs[0] == ("execute_input", {"code": code, "execution_count": content["execution_count"]})
    # Consecutive writes to one stream may arrive as several messages; join them.
    joined = []
    for t, o in outputs[1:]:
        if t == "stream" and joined and joined[-1][0] == "stream" and joined[-1][1]["name"] == o["name"]:
            joined[-1] = ("stream", {"name": o["name"], "text": joined[-1][1]["text"] + o["text"]})
        else:
            joined.append((t, o))
    return content, joined


def check(expect, content, outputs):
    if isinstance(expect, Result):
        assert content["status"] == "ok", content
        assert len(outputs) == 1 and outputs[0][0] == "execute_result", outputs
        data = outputs[0][1]["data"]
        assert data["text/plain"] == expect.text
        assert sorted(data) == (["text/html", "text/plain"] if expect.html else ["text/plain"])
    elif isinstance(expect, Stream):
        assert content["status"] == "ok", content
        assert outputs[0] == ("stream", {"name": expect.name, "text": expect.text}), outputs
        if expect.then is None:
            assert len(outputs) == 1, outputs
        else:
            check(expect.then, content, outputs[1:])
    elif isinstance(expect, StreamMatch):
        assert content["status"] == "ok", content
        assert outputs[0][0] == "stream" and outputs[0][1]["name"] == "stdout", outputs
        assert re.fullmatch(expect.pattern, outputs[0][1]["text"]), outputs[0][1]["text"]
        if expect.then is None:
            assert len(outputs) == 1, outputs
        else:
            check(expect.then, content, outputs[1:])
    elif isinstance(expect, Error):
        assert content["status"] == "error", content
        assert (content["ename"], content["evalue"]) == (expect.ename, expect.evalue)
        if expect.traceback is not None:
            assert content["traceback"] == expect.traceback
        assert outputs == [("error", {"ename": expect.ename, "evalue": expect.evalue,
                                      "traceback": content["traceback"]})]
    elif isinstance(expect, Nothing):
        assert content["status"] == "ok", content
        assert outputs == []
    else:
        raise AssertionError("row has no expectation: %r" % (expect,))


def run_row(kc, row):
    for s in row.setup:
        content, outputs = outputs_of(kc, s)
        assert content["status"] == "ok", (s, content)
    content, outputs = outputs_of(kc, row.code)
    check(row.expect, content, outputs)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_cell(row, shared, request):
    if row.fresh:
        km, kc = start_kernel()
        try:
            run_row(kc, row)
        finally:
            stop_kernel(km, kc)
    else:
        km, kc = shared
        assert km.is_alive(), "an earlier row killed the shared kernel"
        run_row(kc, row)


# --- is_complete ---------------------------------------------------------------------

IS_COMPLETE = [
    ("x := 1", {"status": "complete"}),
    ('import "fmt"\nfmt.Println(1)', {"status": "complete"}),
    ("func f() {", {"status": "incomplete", "indent": "    "}),
    ("for i := range 3 {", {"status": "incomplete", "indent": "    "}),
    ("if true {\n\tif true {\n", {"status": "incomplete", "indent": "        "}),
    ("f(1,", {"status": "incomplete", "indent": "    "}),
    ("f(1,\n\t2", {"status": "incomplete", "indent": "    "}),
    ("x := mlx.Add(1,", {"status": "incomplete", "indent": "    "}),
    ("x := 1 +", {"status": "incomplete", "indent": "    "}),
    ("x := m.", {"status": "incomplete", "indent": "    "}),
    ("x := 1 +; y := 2", {"status": "invalid"}),
    ("x := )", {"status": "invalid"}),
    ("func {", {"status": "invalid"}),
    ("}", {"status": "invalid"}),
]


@pytest.mark.parametrize("code,expected", IS_COMPLETE, ids=[c for c, _ in IS_COMPLETE])
def test_is_complete(shared, code, expected):
    km, kc = shared
    msg_id = kc.is_complete(code)
    reply = shell_reply(kc, msg_id)
    assert reply["msg_type"] == "is_complete_reply"
    assert reply["content"] == expected


# --- completion and inspection ---------------------------------------------------------

# Declared once in the shared kernel before the completion rows; the names are unique to them.
COMPLETE_SETUP = """import "strings"
type complTypeA struct{ N int }
func complFuncA(n int) string { return strings.Repeat("x", n) }
// complDocA doubles n.
func complDocA(n int) int { return 2 * n }
complVarA := 1
complArr := mlx.Ones(2, 3)"""


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


# (code, matches with their kinds, cursor_start, cursor_end); the cursor is at the end of the code.
F, V, T, K, M, C = "function", "variable", "type", "keyword", "method", "constant"
COMPLETIONS = [
    # Builtin names with the prefix come too (complex, complex64, ...).
    ("compl", [("complArr", V), ("complDocA", F), ("complFuncA", F), ("complTypeA", T), ("complVarA", V),
               ("complex", F), ("complex128", T), ("complex64", T)], 0, 5),
    ("complV", [("complVarA", V)], 0, 6),
    ("complF", [("complFuncA", F)], 0, 6),
    ("x := complT", [("complTypeA", T)], 5, 11),
    ("mlx.Matm", [("Matmul", F)], 4, 8),
    ("mlx.Zeros", [("Zeros", F), ("ZerosLike", F)], 4, 9),
    ("grad.Val", [("ValueFunc", F), ("ValueGrad", F)], 5, 8),
    ("display.H", [("HTML", F), ("Heatmap", F), ("HeatmapBundle", F), ("Hist", F), ("HistBundle", F)], 8, 9),
    ("strings.Has", [("HasPrefix", F), ("HasSuffix", F)], 8, 11),
    ("complArr.Resh", [("Reshape", M)], 9, 13),
    ('s := "😀"; complF', [("complFuncA", F)], 11, 17),
    ('s := "h\u00e9llo😀"\ncomplArr.Resh', [("Reshape", M)], 24, 28),
    # The row error-compile-leaves-no-names declared cgFoo in a cell that did not compile.
    ("cgF", [], 0, 3),
]


@pytest.fixture(scope="module")
def completion_kernel(shared):
    km, kc = shared
    content, outputs = outputs_of(kc, COMPLETE_SETUP)
    assert content["status"] == "ok", content
    return kc


@pytest.mark.parametrize("code,matches,start,end", COMPLETIONS, ids=[c[0] for c in COMPLETIONS])
def test_complete(completion_kernel, code, matches, start, end):
    kc = completion_kernel
    reply = kc.complete(code, utf16_len(code), reply=True, timeout=TIMEOUT)
    # Each match's kind goes in the metadata, which JupyterLab shows beside it.
    metadata = {"_jupyter_types_experimental": [{"start": start, "end": end, "text": name, "type": kind}
                                                for name, kind in matches]} if matches else {}
    assert reply["content"] == {"status": "ok", "matches": [name for name, _ in matches], "cursor_start": start,
                                "cursor_end": end, "metadata": metadata}


def test_complete_cursor_counts_utf16_units(completion_kernel):
    kc = completion_kernel
    code = 's := "😀😀"; complV'
    assert (utf16_len(code), len(code)) == (19, 17)  # each emoji is two UTF-16 units
    reply = kc.complete(code, 19, reply=True, timeout=TIMEOUT)
    assert reply["content"]["matches"] == ["complVarA"]
    assert (reply["content"]["cursor_start"], reply["content"]["cursor_end"]) == (13, 19)
    units = code.encode("utf-16-le")
    assert units[2 * 13:2 * 19].decode("utf-16-le") == "complV"
    # With the cursor inside the word, the prefix before it is completed.
    reply = kc.complete(code, 18, reply=True, timeout=TIMEOUT)
    assert reply["content"]["matches"] == ["complArr", "complDocA", "complFuncA", "complTypeA", "complVarA",
                                           "complex", "complex128", "complex64"]
    assert (reply["content"]["cursor_start"], reply["content"]["cursor_end"]) == (13, 18)


INSPECTIONS = [
    ("complFuncA", "func complFuncA(n int) string"),
    ("complDocA", "func complDocA(n int) int\n\ncomplDocA doubles n."),
    ("mlx.Ones", "func Ones(shape ...int) *Array\n\nOnes returns a float32 array of the given shape filled with 1."),
    ("grad.ValueFunc", "func ValueFunc(f any, argnums ...int) func(args ...any) Result\n\n"
                       "ValueFunc is Func returning the value with the gradients, as a Result."),
    ("strings.HasPrefix", "func HasPrefix(s, prefix string) bool\n\nHasPrefix reports whether the string s begins with prefix."),
    # A package the session never imported.
    ("unicode.IsUpper", "func IsUpper(r rune) bool\n\nIsUpper reports whether the rune is an upper case letter."),
]


@pytest.mark.parametrize("code,text", INSPECTIONS, ids=[c for c, _ in INSPECTIONS])
def test_inspect(completion_kernel, code, text):
    kc = completion_kernel
    reply = kc.inspect(code, utf16_len(code), reply=True, timeout=TIMEOUT)
    assert reply["content"] == {"status": "ok", "found": True, "data": {"text/plain": text}, "metadata": {}}


def test_inspect_unknown_name(completion_kernel):
    reply = completion_kernel.inspect("noSuchNameAnywhere", 18, reply=True, timeout=TIMEOUT)
    assert reply["content"] == {"status": "ok", "found": False, "data": {}, "metadata": {}}


def test_help_magic_for_cell_function_pages_its_signature(completion_kernel):
    kc = completion_kernel
    msg_id = kc.execute("%help complDocA", allow_stdin=False)
    reply = shell_reply(kc, msg_id)
    assert reply["content"]["status"] == "ok"
    assert [p["data"]["text/plain"] for p in reply["content"]["payload"]] == [
        "func complDocA(n int) int\n\ncomplDocA doubles n."]

package interp

import (
	"context"
	"io"
	"log"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlxgo/mlxgo/internal/seedtest"
	"github.com/mlxgo/mlxgo/mlx"
)

// device is the device line arrays print on this machine.
func device() string {
	if mlx.HasGPU() {
		return "gpu"
	}
	return "cpu"
}

// The seed example of issue 3, typed as a cell.
const seedCell = `loss := func(w, x, y *mlx.Array) *mlx.Array {
	preds := mlx.Matmul(x, w)
	resids := mlx.Sub(preds, y)
	return mlx.Div(mlx.Sum(mlx.Mul(resids, resids)), y.Size())
}
x := mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)
y := mlx.Matrix([]float64{1, 3, 2, 4}, 4, 1)
w := mlx.Matrix([]float64{0}, 2, 1)
grad.Grad(loss, w, x, y)[0]`

func TestSeedExample(t *testing.T) {
	s := newTestSession(t)
	b, err, out := run(t, s, seedCell)
	if err != nil {
		t.Fatalf("%s: %s\n%s", err.Name, err.Value, strings.Join(err.Traceback, "\n"))
	}
	want := seedtest.OnDevice(seedtest.Block1, device())
	if b == nil || b.Text() != want {
		t.Fatalf("result %v, want\n%s", b, want)
	}
	if html, _ := b.Data["text/html"].(string); !strings.Contains(html, "<table") {
		t.Errorf("no HTML table in the result: %q", html)
	}
	if got := out.stream("stdout") + out.stream("stderr"); got != "" {
		t.Errorf("the seed cell printed %q", got)
	}
	// The variables stay for the next cells.
	if got, _ := mustRun(t, s, "w.Shape()"); got != "[2 1]" {
		t.Errorf("w.Shape() = %q", got)
	}
}

func TestSeedValueGrad(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, `loss2 := func(w, x *mlx.Array) *mlx.Array {
	return mlx.Sum(mlx.Mul(mlx.Matmul(x, w), mlx.Matmul(x, w)))
}
x := mlx.Matrix([]float64{1, 2, 3, 4}, 2, 2)
w := mlx.Matrix([]float64{1, -1}, 2, 1)`)
	got, _ := mustRun(t, s, "grad.ValueGrad(loss2, w, x)")
	want := seedtest.OnDevice(seedtest.Block2, device())
	if got != want {
		t.Fatalf("ValueGrad result:\n%q\nwant\n%q", got, want)
	}
}

func TestResults(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, `import (
	"fmt"
	"strconv"
)`)
	for _, c := range []struct{ code, want string }{
		{"1 + 1", "2"},
		{`"a" + "b"`, "ab"},
		{"x := 21\nx * 2", "42"},
		{`fmt.Println("printed")`, ""},     // print-like: no result
		{`fmt.Sprint("s", 1)`, "s1"},       // a value
		{`strconv.Atoi("12")`, "12 <nil>"}, // several values
		{"func void() {}\nvoid()", ""},     // a cell function without results
		{"func two() int { return 2 }\ntwo()", "2"},
		{"g := func() {}\ng()", ""},                       // a func value: yaegi decides
		{"h := func() string { return \"h\" }\nh()", "h"}, // same, with a value
		{"display.Display(1)", ""},
		{"mlx.Eval(mlx.Ones(2))", ""},
		{"mlx.Ones(2).Shape()", "[2]"},
		{"type P struct{ X int }\nfunc (p P) String() string { return \"P(\" + fmt.Sprint(p.X) + \")\" }\nP{7}", "P(7)"},
		{"var e error\ne", "<nil>"},
		{"x = 5", ""},
		{"// only a comment", ""},
		{"   \n\t\n", ""},
		{"func onlyDecl() int { return 9 }", ""},
		{"onlyDecl()", "9"},
		{"len([]int{1, 2, 3})", "3"},
		{"if x > 1 {\n\tx = 1\n}", ""},
		{"n := 0\nfor i := range 4 {\n\tn += i\n}\nn", "6"},
		{"defer fmt.Println(\"deferred\")\n\"body\"", "body"},
		{"[]int{1, 2}", "[1 2]"},
	} {
		got, out := mustRun(t, s, c.code)
		if got != c.want {
			t.Errorf("cell %q: result %q, want %q", c.code, got, c.want)
		}
		// A top-level defer runs once, when its cell ends.
		if d := strings.Count(out.stream("stdout"), "deferred"); d != 0 && !strings.HasPrefix(c.code, "defer") || d > 1 {
			t.Errorf("cell %q printed %q", c.code, out.stream("stdout"))
		}
	}
}

func TestRedefinition(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "v := 1")
	if got, _ := mustRun(t, s, "v + 1"); got != "2" {
		t.Fatalf("v + 1 = %q", got)
	}
	mustRun(t, s, `v := "s"`)
	if got, _ := mustRun(t, s, `v + "!"`); got != "s!" {
		t.Fatalf(`v + "!" = %q`, got)
	}
	mustRun(t, s, "v := mlx.Ones(3)")
	if got, _ := mustRun(t, s, "v.Shape()"); got != "[3]" {
		t.Fatalf("v.Shape() = %q", got)
	}
	mustRun(t, s, "func f() int { return 1 }")
	mustRun(t, s, "func f() int { return 2 }")
	if got, _ := mustRun(t, s, "f()"); got != "2" {
		t.Fatalf("f() after redefinition = %q", got)
	}
}

func TestMixedCell(t *testing.T) {
	s := newTestSession(t)
	// Imports, declarations and statements in any order: a statement above
	// the function it calls, a function using a variable defined above it.
	got, out := mustRun(t, s, `import "strings"
n := 3
fmt.Println(rep("ab"))
func rep(s string) string { return strings.Repeat(s, n) }
type pair struct{ a, b int }
import "fmt"
const sep = "-"
p := pair{1, 2}
rep("x") + sep + fmt.Sprint(p)`)
	if got != "xxx-{1 2}" {
		t.Errorf("result %q", got)
	}
	if o := out.stream("stdout"); o != "ababab\n" {
		t.Errorf("stdout %q", o)
	}
	// All of them are there for later cells.
	if got, _ := mustRun(t, s, `rep(sep) + strings.ToUpper("k")`); got != "---K" {
		t.Errorf("later cell: %q", got)
	}
}

func TestStdoutStderrStreaming(t *testing.T) {
	s := newTestSession(t)
	start := time.Now()
	_, err, out := run(t, s, `import (
	"fmt"
	"log"
	"os"
	"time"
)
fmt.Println("first")
time.Sleep(300 * time.Millisecond)
fmt.Fprintln(os.Stderr, "to stderr")
fmt.Fprint(os.Stdout, "os.Stdout ")
println("builtin")
log.SetFlags(0)
log.Print("logged")
done := make(chan bool)
go func() {
	fmt.Println("from a goroutine")
	done <- true
}()
<-done`)
	end := time.Now()
	if err != nil {
		t.Fatalf("%s: %s", err.Name, err.Value)
	}
	if got := out.stream("stdout"); got != "first\nos.Stdout builtin\nfrom a goroutine\n" {
		t.Errorf("stdout %q", got)
	}
	if got := out.stream("stderr"); got != "to stderr\nlogged\n" {
		t.Errorf("stderr %q", got)
	}
	// "first" was sent while the cell was still sleeping.
	out.mu.Lock()
	first := out.events[0]
	out.mu.Unlock()
	if first.text != "first\n" || end.Sub(first.at) < 200*time.Millisecond {
		t.Errorf("first output %q at %v of a %v cell: not streamed", first.text, first.at.Sub(start), end.Sub(start))
	}
	if out.inFlight > 1 {
		t.Errorf("Output called concurrently")
	}
}

func TestStreamCoalescing(t *testing.T) {
	s := newTestSession(t)
	_, err, out := run(t, s, `import ("fmt"; "time")
for i := 0; i < 2000; i++ {
	fmt.Println("line", i)
	if i%100 == 0 {
		time.Sleep(5 * time.Millisecond)
	}
}`)
	if err != nil {
		t.Fatalf("%s: %s", err.Name, err.Value)
	}
	text := out.stream("stdout")
	if n := strings.Count(text, "\n"); n != 2000 || !strings.HasSuffix(text, "line 1999\n") {
		t.Fatalf("%d lines, ending %q", n, text[max(0, len(text)-20):])
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	if len(out.events) > 40 {
		t.Errorf("%d stream messages for 2000 lines: not coalesced", len(out.events))
	}
	for i := 2; i < len(out.events); i++ {
		if gap := out.events[i].at.Sub(out.events[i-1].at); gap < 40*time.Millisecond && i < len(out.events)-1 {
			t.Errorf("stream messages %d and %d only %v apart", i-1, i, gap)
		}
	}
}

func TestGoroutineOutputAfterCell(t *testing.T) {
	s := newTestSession(t)
	_, err, out := run(t, s, `import ("fmt"; "time")
go func() {
	time.Sleep(150 * time.Millisecond)
	fmt.Println("late")
}()`)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for out.stream("stdout") != "late\n" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := out.stream("stdout"); got != "late\n" {
		t.Errorf("late goroutine output %q, want it sent to the last cell's output", got)
	}
}

func TestDisplayOrder(t *testing.T) {
	s := newTestSession(t)
	_, err, out := run(t, s, `import "fmt"
fmt.Println("before")
display.Display(mlx.Ones(2))
display.Markdown("*md*")
fmt.Println("after")
display.DisplayID("p", 1)
display.Update("p", 2)
display.Clear(true)`)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range out.events {
		kinds = append(kinds, e.kind)
	}
	want := "stdout display display stdout display update clear"
	if strings.Join(kinds, " ") != want {
		t.Errorf("events %v, want %s", kinds, want)
	}
	if !strings.HasPrefix(out.events[1].text, "mlx array [2]") || out.events[5].id != "p" || out.events[6].text != "" {
		t.Errorf("events %+v", out.events)
	}
}

func TestInput(t *testing.T) {
	s := newTestSession(t)
	out := &fakeOutput{inputs: []string{"Ada", "42 7", "a line with spaces"}}
	b, err := s.Execute(context.Background(), `import ("bufio"; "fmt"; "os")
fmt.Print("name? ")
var name string
fmt.Scanln(&name)
var a, b int
fmt.Scanln(&a, &b)
line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
fmt.Sprintf("%s %d %q", name, a+b, line)`, out)
	if err != nil {
		t.Fatalf("%s: %s", err.Name, err.Value)
	}
	if got := b.Text(); got != `Ada 49 "a line with spaces\n"` {
		t.Errorf("result %q", got)
	}
	if len(out.prompts) != 3 {
		t.Errorf("%d input requests, want 3", len(out.prompts))
	}
	if got := out.stream("stdout"); got != "name? " {
		t.Errorf("stdout %q", got)
	}
	// Without stdin, reading fails with the Output's error.
	out = &fakeOutput{noStdin: true}
	b, err = s.Execute(context.Background(), `_, err := fmt.Scanln(&name)
err`, out)
	if err != nil || b == nil || !strings.Contains(b.Text(), "stdin is not allowed") {
		t.Errorf("without stdin: %v %v", b, err)
	}
}

func TestPanics(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "kept := 7")
	_, err, _ := run(t, s, `func inner() {
	panic("boom")
}
a := 1
inner()
a++`)
	if err == nil || err.Name != "panic" || err.Value != "boom" {
		t.Fatalf("got %+v", err)
	}
	tb := strings.Join(err.Traceback, "\n")
	if !strings.Contains(stripANSI(tb), "cell line 5: inner()") || !strings.Contains(stripANSI(tb), ", in inner: panic(\"boom\")") {
		t.Errorf("traceback:\n%s", tb)
	}
	// A runtime error in a cell.
	_, err, _ = run(t, s, "var m map[string]int\nm[\"a\"] = 1")
	if err == nil || err.Name != "panic" || !strings.Contains(err.Value, "nil map") ||
		!strings.Contains(stripANSI(strings.Join(err.Traceback, "\n")), "cell line 2") {
		t.Errorf("nil map: %+v", err)
	}
	// A panic in a goroutine the cell started ends neither the process nor
	// the session.
	_, err, _ = run(t, s, `import "time"
go func() {
	panic("in a goroutine")
}()
time.Sleep(200 * time.Millisecond)`)
	if err == nil || err.Name != "panic" || err.Value != "in a goroutine" ||
		!strings.Contains(stripANSI(strings.Join(err.Traceback, "\n")), "in a goroutine started at cell line 2") {
		t.Errorf("goroutine panic: %+v", err)
	}
	_, err, _ = run(t, s, `func crash(n int) { var a []int; _ = a[n] }
go crash(3)
time.Sleep(200 * time.Millisecond)`)
	if err == nil || err.Name != "panic" {
		t.Errorf("go crash(3): %+v", err)
	}
	// After the cell has ended, the panic goes to its stderr.
	_, err, out := run(t, s, `go func() {
	time.Sleep(100 * time.Millisecond)
	panic("late boom")
}()`)
	if err != nil {
		t.Fatalf("late panic cell: %+v", err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(out.stream("stderr"), "late boom") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := out.stream("stderr"); !strings.Contains(got, "panic: late boom") || !strings.Contains(got, "in a goroutine started at") {
		t.Errorf("late goroutine panic on stderr: %q", got)
	}
	// A yaegi compiler crash becomes a compile error. (yaegi logs it with
	// the standard logger, which the kernel points at its own stderr.)
	defer log.SetOutput(log.Writer())
	log.SetOutput(io.Discard)
	// (A range over a func literal assigned in the cell is rewritten now;
	// over a map element it is not.)
	_, err, _ = run(t, s, "seq := map[int]func(func(int) bool){0: func(yield func(int) bool) {}}\nfor v := range seq[0] {\n\t_ = v\n}")
	if err == nil || err.Name != "CompileError" || !strings.Contains(err.Value, "range over a function") {
		t.Errorf("range over func: %+v", err)
	}
	if got, _ := mustRun(t, s, "kept"); got != "7" {
		t.Errorf("state lost after panics: kept = %q", got)
	}
}

func TestMLXError(t *testing.T) {
	s := newTestSession(t)
	const msg = "mlx.Matmul: shapes [4 x 2] and [3 x 1] are not compatible"
	check := func(code string, line int) {
		t.Helper()
		_, err, out := run(t, s, code)
		if err == nil {
			t.Fatalf("cell %q did not fail", code)
		}
		if err.Name != "mlx.Error" || err.Value != msg {
			t.Errorf("cell %q: %q %q", code, err.Name, err.Value)
		}
		tb := stripANSI(strings.Join(err.Traceback, "\n"))
		if !strings.HasPrefix(tb, "mlx.Error: "+msg+"\n") || !strings.Contains(tb, "cell line "+string(rune('0'+line))) {
			t.Errorf("traceback:\n%s", tb)
		}
		if strings.Contains(tb, "goroutine") || strings.Contains(tb, ".go:") || len(err.Traceback) > 4 {
			t.Errorf("traceback has a Go stack dump:\n%s", tb)
		}
		if o := out.stream("stderr"); o != "" {
			t.Errorf("stderr %q", o)
		}
	}
	check("a := mlx.Ones(4, 2)\nb := mlx.Ones(3, 1)\nmlx.Matmul(a, b)", 3)
	// Wrapped: an error value holding the *mlx.Error, panicked by interpreted code.
	check("err := mlx.Catch(func() { mlx.Matmul(a, b) })\n\npanic(err)", 3)
	check("func mm() *mlx.Array {\n\treturn mlx.Matmul(a, b)\n}\nmm()", 4)
}

func TestCompileErrors(t *testing.T) {
	s := newTestSession(t)
	for _, c := range []struct{ code, prefix string }{
		{"x := 1\ny := 2\nz := x + ) y", "3:10: "},
		{"a := 1\n\nb := undefinedName + a", "3:6: undefined: undefinedName"},
		{"func f() {\n\tnope()\n}", "2:2: undefined: nope"},
		{"q := 1\nq := \"s\" + 1", "2:"},
		{"for {", "1:6: "},
	} {
		_, err, _ := run(t, s, c.code)
		if err == nil || err.Name != "CompileError" || !strings.HasPrefix(err.Value, c.prefix) {
			t.Errorf("cell %q: %+v, want CompileError %q...", c.code, err, c.prefix)
			continue
		}
		tb := stripANSI(strings.Join(err.Traceback, "\n"))
		line := c.prefix[:strings.IndexByte(c.prefix, ':')]
		if !strings.Contains(tb, "cell line "+line+":") || !strings.Contains(tb, "^") {
			t.Errorf("cell %q traceback:\n%s", c.code, tb)
		}
	}
	// Nothing of a cell runs when a part of it does not compile.
	_, err, out := run(t, s, "import \"fmt\"\nfmt.Println(\"ran\")\nfunc g() { missing() }")
	if err == nil || out.stream("stdout") != "" {
		t.Errorf("a cell with a compile error ran: %v %q", err, out.stream("stdout"))
	}
	// Importing a package under a name in use.
	mustRun(t, s, `import "math/rand"`)
	_, err, _ = run(t, s, `import "crypto/rand"`)
	if err == nil || !strings.Contains(err.Value, `rand is already imported as "math/rand"`) {
		t.Errorf("import clash: %+v", err)
	}
	mustRun(t, s, `import "math/rand"`) // the same import again is fine
}

func TestExitRefused(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "alive := true")
	_, err, _ := run(t, s, "import \"os\"\nos.Exit(3)")
	if err == nil || err.Name != "os.Exit" || !strings.Contains(err.Value, "os.Exit(3)") ||
		!strings.Contains(err.Value, "cannot exit the kernel") {
		t.Fatalf("os.Exit: %+v", err)
	}
	_, err, out := run(t, s, "import \"log\"\nlog.SetFlags(0)\nlog.Fatalf(\"bad %d\", 1)")
	if err == nil || err.Name != "log.Fatalf" || out.stream("stderr") != "bad 1\n" {
		t.Errorf("log.Fatalf: %+v, stderr %q", err, out.stream("stderr"))
	}
	if got, _ := mustRun(t, s, "alive"); got != "true" {
		t.Errorf("alive = %q", got)
	}
}

func TestInterrupt(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "counter := 0")
	for _, code := range []string{
		"for {\n\tcounter++\n}",
		"import \"time\"\ntime.Sleep(30 * time.Second)", // a compiled call: left running in the background
	} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(200*time.Millisecond, cancel)
		start := time.Now()
		_, err := s.Execute(ctx, code, &fakeOutput{})
		took := time.Since(start)
		if err == nil || err.Name != "Interrupted" {
			t.Fatalf("%q: got %+v", code, err)
		}
		if took > 1200*time.Millisecond {
			t.Errorf("%q: interrupt took %v", code, took-200*time.Millisecond)
		}
		if got, _ := mustRun(t, s, "counter > 0"); got != "true" {
			t.Errorf("after the interrupt: counter > 0 = %q", got)
		}
	}
	if got, _ := mustRun(t, s, "1 + 2"); got != "3" {
		t.Errorf("after interrupts: %q", got)
	}
}

// A range over a constant that is not an integer is a compile error in Go's
// words, at its line and column; yaegi's compiler never sees it (it would
// log "nil type").
func TestRangeOverNonIntegerConstant(t *testing.T) {
	s := newTestSession(t)
	var logged strings.Builder
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	for _, c := range []struct{ code, want string }{
		{"for i := range 3.5 {}", "1:16: cannot range over 3.5 (untyped float constant)"},
		{"x := 1\nfor i := range 1.5 * 2 {\n\t_ = i\n}", "2:16: cannot range over 1.5 * 2 (untyped float constant 3)"},
		{"for range true {}", "1:11: cannot range over true (untyped bool constant)"},
		{"for i := range float64(2) {}", "1:16: cannot range over float64(2) (constant 2 of type float64)"},
	} {
		_, err, _ := run(t, s, c.code)
		if err == nil || err.Name != "CompileError" || err.Value != c.want {
			t.Errorf("%q: got %+v, want CompileError: %s", c.code, err, c.want)
		}
	}
	if logged.Len() > 0 {
		t.Errorf("logged: %q", logged.String())
	}
	if out, _ := mustRun(t, s, "n := 0\nfor i := range 3 {\n\tn += i\n}\nn"); out != "3" {
		t.Errorf("range over an int: %q", out)
	}
}

// A panic in a nested block of a cell's function is reported at its own
// line, not at the function's first statement.
func TestPanicLineInNestedBlock(t *testing.T) {
	s := newTestSession(t)
	for _, c := range []struct {
		code string
		want []string
	}{
		{"func fpan(x int) int {\n\tif x > 0 {\n\t\tpanic(\"boom\")\n\t}\n\treturn x\n}\nfpan(1)",
			[]string{"panic: boom", "  cell line 3, in fpan: panic(\"boom\")", "  cell line 7: fpan(1)"}},
		{"func fseq(x int) int {\n\ty := x\n\tpanic(y)\n}\nfseq(1)",
			[]string{"panic: 1", "  cell line 3, in fseq: panic(y)", "  cell line 5: fseq(1)"}},
		{"func floop(a []int) int {\n\tt := 0\n\tfor i := 0; i < 5; i++ {\n\t\tswitch {\n\t\tcase i > 1:\n\t\t\tt += a[i]\n\t\t}\n\t}\n\treturn t\n}\nfloop([]int{1, 2})",
			[]string{"panic: runtime error: index out of range", "  cell line 6, in floop: t += a[i]", "  cell line 11: floop([]int{1, 2})"}},
		{"func fdefer(a []int) int {\n\tdefer func() {\n\t\t_ = len(a)\n\t}()\n\treturn a[3]\n}\nfdefer(nil)",
			[]string{"panic: runtime error: index out of range", "  cell line 5, in fdefer: return a[3]", "  cell line 7: fdefer(nil)"}},
	} {
		_, err, _ := run(t, s, c.code)
		if err == nil {
			t.Errorf("%q: no error", c.code)
			continue
		}
		if got := strings.Split(stripANSI(strings.Join(err.Traceback, "\n")), "\n"); !slices.Equal(got, c.want) {
			t.Errorf("%q: traceback\n%q\nwant\n%q", c.code, got, c.want)
		}
	}
}

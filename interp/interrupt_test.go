package interp

import (
	"context"
	"strings"
	"testing"
	"time"
)

// gradSetup defines, in separate cells, a loss func literal, a loss made by
// a function (a closure created inside a function), their gradient
// functions and data.
var gradSetup = []string{
	`loss := func(w, x, y *mlx.Array) *mlx.Array {
	r := mlx.Sub(mlx.Matmul(x, w), y)
	return mlx.Div(mlx.Sum(mlx.Mul(r, r)), y.Size())
}
func makeLoss(scale float64) func(w, x, y *mlx.Array) *mlx.Array {
	return func(w, x, y *mlx.Array) *mlx.Array {
		return mlx.Mul(loss(w, x, y), scale)
	}
}`,
	`vf := grad.ValueFunc(loss, 0)
vf2 := grad.ValueFunc(makeLoss(2), 0)`,
	`x := mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)
y := mlx.Matrix([]float64{1, 3, 2, 4}, 4, 1)
w := mlx.Matrix([]float64{0}, 2, 1)`,
	`counter := 0
import "time"`,
}

// checkGrads asserts that the gradient functions of gradSetup still work.
func checkGrads(t *testing.T, s *Session, when string) {
	t.Helper()
	got, _ := mustRun(t, s, `fmt.Sprint(vf(w, x, y).Grads[0].Float64s(), " ", vf(w, x, y).Value.Item(), " ", vf2(w, x, y).Grads[0].Float64s())`)
	want := `[-14.5 -34.5] 7.5 [-29 -69]`
	if got != want {
		t.Fatalf("%s: gradients %s, want %s", when, got, want)
	}
}

// interrupt runs code and cancels it after 200 ms; Execute must return
// Interrupted within 1 s of the cancel.
func interrupt(t *testing.T, s *Session, code string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := s.Execute(ctx, code, &fakeOutput{})
	took := time.Since(start) - 200*time.Millisecond
	if err == nil || err.Name != "Interrupted" {
		t.Fatalf("%q: got %+v, want Interrupted", code, err)
	}
	t.Logf("%q: returned %v after the interrupt", strings.SplitN(code, "\n", 2)[0], took)
	if took > time.Second {
		t.Errorf("%q: Execute returned %v after the interrupt", code, took)
	}
	// An interpreted or MLX loop stops itself (Execute does not leave it
	// running in the background).
	if !strings.Contains(code, "Sleep") && took >= interruptGrace {
		t.Errorf("%q: the cell did not stop within %v of the interrupt", code, interruptGrace)
	}
}

const longMLX = `a := mlx.RandomNormal(512, 512)
var z *mlx.Array
for i := 0; i < 1000000; i++ {
	z = mlx.Matmul(a, a).Sum()
	z.Eval()
}`

func TestInterruptKeepsClosures(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, `import "fmt"`)
	for _, c := range gradSetup {
		mustRun(t, s, c)
	}
	checkGrads(t, s, "before interrupts")
	cells := []string{
		"for {\n\tcounter++\n}",
		"time.Sleep(30 * time.Second)",
		longMLX,
		// an interpreted loop inside a function
		"func spin() { for { counter++ } }\nspin()",
		// a loop calling an interpreted closure through compiled code
		"for {\n\tvf(w, x, y)\n}",
		// an interpreted loop inside a loss that MLX calls back (through cgo)
		`slow := grad.ValueFunc(func(w, x, y *mlx.Array) *mlx.Array {
	for i := 0; i < 1e12; i++ {
		counter++
	}
	return loss(w, x, y)
}, 0)
slow(w, x, y)`,
	}
	for _, code := range cells {
		interrupt(t, s, code)
		start := time.Now()
		checkGrads(t, s, "after interrupting "+strings.SplitN(code, "\n", 2)[0])
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("the cell after %q took %v", code, d)
		}
	}
	// (d) any number of interrupts
	for i := 0; i < 5; i++ {
		interrupt(t, s, cells[i%len(cells)])
	}
	checkGrads(t, s, "after repeated interrupts")
	if got, _ := mustRun(t, s, "counter > 0"); got != "true" {
		t.Errorf("counter > 0 = %q", got)
	}
}

// An interrupted cell left in a compiled call stops at its next statement
// once the call returns, and does not run the rest of the cell.
func TestInterruptBackgroundStops(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "import \"time\"\nafter := 0")
	interrupt(t, s, "time.Sleep(900 * time.Millisecond)\nafter = 1")
	if got, _ := mustRun(t, s, "after"); got != "0" {
		t.Fatalf("after = %s during the background call", got)
	}
	time.Sleep(time.Second)
	if got, _ := mustRun(t, s, "after"); got != "0" {
		t.Fatalf("after = %s: the interrupted cell went on", got)
	}
}

// The first interrupt of a fresh session stops an empty loop at once.
func TestInterruptFirstLoop(t *testing.T) {
	s := newTestSession(t)
	interrupt(t, s, "for {}")
	mustRun(t, s, "kept := 41")
	interrupt(t, s, "for { kept++ }")
	if got, _ := mustRun(t, s, "kept > 41"); got != "true" {
		t.Errorf("kept > 41 = %s", got)
	}
}

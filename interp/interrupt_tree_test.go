package interp

import (
	"context"
	"strings"
	"testing"
	"time"
)

// interruptAfter runs code, cancels it after d and returns the error and
// what the cell wrote.
func interruptAfter(t *testing.T, s *Session, code string, d time.Duration) (*Error, *fakeOutput) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(d, cancel)
	out := &fakeOutput{}
	_, err := s.Execute(ctx, code, out)
	// The cell's other goroutines stop at their next loop check, a moment
	// later.
	time.Sleep(50 * time.Millisecond)
	return err, out
}

// settled reports whether the counter read by expr stays the same over
// 100 ms (read in two later cells).
func settled(t *testing.T, s *Session, expr string) (bool, string, string) {
	t.Helper()
	a, _ := mustRun(t, s, expr)
	time.Sleep(100 * time.Millisecond)
	b, _ := mustRun(t, s, expr)
	return a == b, a, b
}

// TestInterruptStopsCellGoroutines: an interrupt stops the cell and the
// goroutines it started (and those they started), at their next loop
// check, with no message in later cells; goroutines of cells that ended
// before keep running.
func TestInterruptStopsCellGoroutines(t *testing.T) {
	if raceDetector {
		t.Skip("yaegi's global frame races with goroutines of cells while later cells run (yaegi's own races, interrupt or not)")
	}
	s := newTestSession(t)
	mustRun(t, s, "import (\n\t\"sync/atomic\"\n\t\"time\"\n)\nvar n, m, k, e, bg int64")
	// Background work of a cell that ended: it must survive the interrupt.
	mustRun(t, s, "go func() {\n\tfor {\n\t\tatomic.AddInt64(&bg, 1)\n\t\ttime.Sleep(time.Millisecond)\n\t}\n}()")
	code := `go func() {
	for {
		atomic.AddInt64(&n, 1)
	}
}()
spin := func() {
	go func() {
		for {
			atomic.AddInt64(&k, 1)
		}
	}()
	for {
		atomic.AddInt64(&m, 1)
	}
}
go spin()
go func() {
	go func() {
		for {
			atomic.AddInt64(&e, 1)
		}
	}()
}()
for {
}`
	err, out := interruptAfter(t, s, code, 300*time.Millisecond)
	if err == nil || err.Name != "Interrupted" || err.Value != "the cell was interrupted" {
		t.Fatalf("got %+v, want Interrupted", err)
	}
	if got := out.stream("stderr") + out.stream("stdout"); got != "" {
		t.Errorf("the interrupted cell wrote %q", got)
	}
	for _, v := range []string{"n", "m", "k", "e"} {
		expr := "atomic.LoadInt64(&" + v + ")"
		if a, _ := mustRun(t, s, expr); a == "0" {
			t.Fatalf("%s never ran", v)
		}
		if ok, a, b := settled(t, s, expr); !ok {
			t.Errorf("%s goes on after the interrupt: %s, then %s", v, a, b)
		}
	}
	if ok, a, b := settled(t, s, "atomic.LoadInt64(&bg)"); ok {
		t.Errorf("the goroutine of an earlier cell stopped: bg = %s, then %s", a, b)
	}
	// Later cells see no message of the stopped goroutines, and loops
	// run without a stop.
	_, lout := mustRun(t, s, "x := 0\nfor i := 0; i < 1000; i++ {\n\tx += i\n}\nx")
	if got := lout.stream("stderr") + lout.stream("stdout"); got != "" {
		t.Errorf("a later cell shows %q", got)
	}
	if got, _ := mustRun(t, s, "x"); got != "499500" {
		t.Errorf("x = %s", got)
	}
	// The stopped trees are released.
	deadline := time.Now().Add(2 * time.Second)
	for s.stops.n.Load() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := s.stops.n.Load(); n != 0 {
		t.Errorf("%d trees still stopped", n)
	}
	if f := len(s.stops.flag); f != 0 {
		t.Errorf("the flag is still raised")
	}
}

// A goroutine started by an interrupted cell that is blocked when the
// interrupt comes stops at its first loop check after it wakes up; a
// panic in the goroutine of a cell that ended is still reported.
func TestInterruptStopsBlockedGoroutine(t *testing.T) {
	if raceDetector {
		t.Skip("yaegi's global frame races with goroutines of cells while later cells run (yaegi's own races, interrupt or not)")
	}
	s := newTestSession(t)
	mustRun(t, s, "import (\n\t\"sync/atomic\"\n\t\"time\"\n)\nvar w int64\nch := make(chan int)")
	code := "go func() {\n\t<-ch\n\tfor {\n\t\tatomic.AddInt64(&w, 1)\n\t}\n}()\nfor {\n}"
	if err, _ := interruptAfter(t, s, code, 200*time.Millisecond); err == nil || err.Name != "Interrupted" {
		t.Fatalf("got %+v, want Interrupted", err)
	}
	_, out := mustRun(t, s, "ch <- 1\ntime.Sleep(50 * time.Millisecond)")
	if got := out.stream("stderr"); got != "" {
		t.Errorf("stderr %q", got)
	}
	if ok, a, b := settled(t, s, "atomic.LoadInt64(&w)"); !ok {
		t.Errorf("w goes on after the interrupt: %s, then %s", a, b)
	}
	_, e, _ := run(t, s, "go func() {\n\tpanic(\"late\")\n}()\ntime.Sleep(50 * time.Millisecond)")
	if e == nil || e.Value != "late" || !strings.Contains(strings.Join(e.Traceback, "\n"), "in a goroutine started at") {
		t.Errorf("a goroutine's panic: got %+v", e)
	}
}

// A go statement's arguments are still evaluated before the goroutine
// starts, and go f(x) still works.
func TestGoStatementArgs(t *testing.T) {
	if raceDetector {
		t.Skip("yaegi's frames race when goroutines of a cell call one closure (yaegi's own races)")
	}
	s := newTestSession(t)
	got, _ := mustRun(t, s, `import "sync"
var wg sync.WaitGroup
res := make([]int, 3)
set := func(i, v int) { res[i] = v; wg.Done() }
wg.Add(3)
for i := range 3 {
	go func(j int, extra ...int) {
		set(j, j*10+len(extra))
	}(i, 1, 2)
}
wg.Wait()
wg.Add(1)
go set(0, 7)
wg.Wait()
res`)
	if got != "[7 12 22]" {
		t.Errorf("res = %s", got)
	}
}

// A cell or session that declares its own len still has its loops
// checked.
func TestInterruptOwnLen(t *testing.T) {
	s := newTestSession(t)
	interrupt(t, s, "len := 3\nfor {\n\tlen++\n}")
	if got, _ := mustRun(t, s, "len > 3"); got != "true" {
		t.Errorf("len > 3 = %s", got)
	}
	interrupt(t, s, "for {\n\tlen++\n}")
	interrupt(t, s, "func spinLen() {\n\tfor i := range 3 {\n\t\tfor {\n\t\t\tlen += i\n\t\t}\n\t}\n}\nspinLen()")
}

// A goroutine of an interrupted cell that loops inside a function MLX
// calls back (through cgo) stops too, and MLX works after.
func TestInterruptStopsGoroutineInMLXCallback(t *testing.T) {
	if raceDetector {
		t.Skip("yaegi's global frame races with goroutines of cells while later cells run (yaegi's own races, interrupt or not)")
	}
	s := newTestSession(t)
	mustRun(t, s, "import \"sync/atomic\"\nvar q int64")
	code := `go func() {
	slow := grad.ValueFunc(func(w *mlx.Array) *mlx.Array {
		for {
			atomic.AddInt64(&q, 1)
		}
		return w
	}, 0)
	slow(mlx.Ones(2))
}()
for {
}`
	err, out := interruptAfter(t, s, code, 300*time.Millisecond)
	if err == nil || err.Name != "Interrupted" || out.stream("stderr") != "" {
		t.Fatalf("got %+v, stderr %q", err, out.stream("stderr"))
	}
	if ok, a, b := settled(t, s, "atomic.LoadInt64(&q)"); !ok || a == "0" {
		t.Errorf("q = %s, then %s", a, b)
	}
	if got, _ := mustRun(t, s, "mlx.Sum(mlx.Ones(3)).Item()"); got != "3" {
		t.Errorf("MLX after the interrupt: %s", got)
	}
}

// A cell whose only item is a declaration (no statement, so no line
// marker) still stops.
func TestInterruptDeclOnlyCell(t *testing.T) {
	s := newTestSession(t)
	interrupt(t, s, "var zzLoop = func() int {\n\tfor {\n\t}\n}()")
	if got, _ := mustRun(t, s, "1 + 1"); got != "2" {
		t.Errorf("after: %s", got)
	}
}

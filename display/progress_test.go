package display

import (
	"strings"
	"testing"
	"time"
)

func TestProgressUpdatesInPlace(t *testing.T) {
	r := &recorder{}
	SetPublisher(r)
	defer SetPublisher(nil)

	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	p := newProgress(100, "training", now)

	clock = clock.Add(50 * time.Millisecond)
	p.Add(10) // too soon after the first draw: no redraw
	clock = clock.Add(2 * time.Second)
	p.Add(40) // 50 done in 2.05 s
	clock = clock.Add(2 * time.Second)
	p.Set(100) // the total always redraws
	p.Done()

	if len(r.calls) != 4 {
		t.Fatalf("got %d publish calls, want 4 (show, two updates, done): %+v", len(r.calls), r.calls)
	}
	first := r.calls[0]
	if first.update || first.id == "" {
		t.Fatalf("first call must be a display_data with a display id, got %+v", first)
	}
	if got, want := first.b.Text(), "training [------------------------------] 0/100"; got != want {
		t.Errorf("initial text %q, want %q", got, want)
	}
	for _, c := range r.calls[1:] {
		if !c.update || c.id != first.id {
			t.Fatalf("later calls must update display %q, got %+v", first.id, c)
		}
	}
	if got, want := r.calls[1].b.Text(), "training [###############---------------] 50/100  24.4 it/s  ETA 2s"; got != want {
		t.Errorf("midway text %q, want %q", got, want)
	}
	if got, want := r.calls[3].b.Text(), "training [##############################] 100/100  24.7 it/s  done in 4.1s"; got != want {
		t.Errorf("final text %q, want %q", got, want)
	}
	h, _ := r.calls[1].b.Data[MIMEHTML].(string)
	for _, frag := range []string{"width:50.0%", "50/100", "training", "ETA 2s", "var(--jp-brand-color1)"} {
		if !strings.Contains(h, frag) {
			t.Errorf("HTML lacks %q: %s", frag, h)
		}
	}
}

func TestProgressClampsAndIsQuietWithoutPublisher(t *testing.T) {
	SetPublisher(nil)
	p := Progress(3)
	p.Add(10)
	if p.Value() != 3 {
		t.Fatalf("Value %d after adding past the total, want 3", p.Value())
	}
	p.Set(-5)
	if p.Value() != 0 {
		t.Fatalf("Value %d after a negative Set, want 0", p.Value())
	}
	if got := Progress(0).String(); got != "[##############################] 0/0" {
		t.Fatalf("empty bar %q", got)
	}
}

// termRecorder is a publisher for a terminal frontend.
type termRecorder struct {
	recorder
	lines []string
}

func (t *termRecorder) Terminal() bool     { return true }
func (t *termRecorder) WriteText(s string) { t.lines = append(t.lines, s) }

func TestProgressDrawsTextLinesOnTerminals(t *testing.T) {
	r := &termRecorder{}
	SetPublisher(r)
	defer SetPublisher(nil)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := newProgress(4, "", func() time.Time { return clock })
	clock = clock.Add(time.Second)
	p.Set(4)
	p.Done()
	if len(r.calls) != 0 {
		t.Fatalf("a terminal bar must not publish displays, got %+v", r.calls)
	}
	want := []string{
		"\r[------------------------------] 0/4",
		"\r[##############################] 4/4  4 it/s  done in 1s",
		"\r[##############################] 4/4  4 it/s  done in 1s\n",
	}
	if len(r.lines) != len(want) {
		t.Fatalf("lines %q, want %q", r.lines, want)
	}
	for i := range want {
		if r.lines[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, r.lines[i], want[i])
		}
	}
}

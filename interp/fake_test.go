package interp

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mlxgo/mlxgo/display"
)

// fakeOutput records what an execution produces.
type fakeOutput struct {
	mu       sync.Mutex
	events   []event
	inputs   []string // lines to answer input requests with
	prompts  []string
	noStdin  bool
	inFlight int // concurrent Stream/Display/Clear calls seen (must stay <= 1)
	active   int
}

type event struct {
	kind string // "stdout", "stderr", "display", "update", "clear"
	text string
	id   string
	at   time.Time
}

func (f *fakeOutput) enter() {
	f.mu.Lock()
	f.active++
	if f.active > f.inFlight {
		f.inFlight = f.active
	}
	f.mu.Unlock()
}

func (f *fakeOutput) leave() {
	f.mu.Lock()
	f.active--
	f.mu.Unlock()
}

func (f *fakeOutput) Stream(name, text string) {
	f.enter()
	defer f.leave()
	f.mu.Lock()
	f.events = append(f.events, event{kind: name, text: text, at: time.Now()})
	f.mu.Unlock()
}

func (f *fakeOutput) Display(b display.Bundle, id string, update bool) {
	f.enter()
	defer f.leave()
	k := "display"
	if update {
		k = "update"
	}
	f.mu.Lock()
	f.events = append(f.events, event{kind: k, text: b.Text(), id: id, at: time.Now()})
	f.mu.Unlock()
}

func (f *fakeOutput) Clear(wait bool) {
	f.enter()
	defer f.leave()
	f.mu.Lock()
	f.events = append(f.events, event{kind: "clear", at: time.Now()})
	f.mu.Unlock()
}

func (f *fakeOutput) Input(prompt string, password bool) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.noStdin {
		return "", errors.New("stdin is not allowed")
	}
	f.prompts = append(f.prompts, prompt)
	if len(f.inputs) == 0 {
		return "", errors.New("no more input")
	}
	line := f.inputs[0]
	f.inputs = f.inputs[1:]
	return line, nil
}

// stream returns all text of one stream.
func (f *fakeOutput) stream(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b strings.Builder
	for _, e := range f.events {
		if e.kind == name {
			b.WriteString(e.text)
		}
	}
	return b.String()
}

func (f *fakeOutput) count(kind string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, e := range f.events {
		if e.kind == kind {
			n++
		}
	}
	return n
}

func newTestSession(t *testing.T) *Session {
	t.Helper()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// run executes code with a fresh fake output and a 20 s limit.
func run(t *testing.T, s *Session, code string) (*display.Bundle, *Error, *fakeOutput) {
	t.Helper()
	out := &fakeOutput{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b, err := s.Execute(ctx, code, out)
	return b, err, out
}

// mustRun executes code, which must succeed, and returns its result text
// ("" for no result).
func mustRun(t *testing.T, s *Session, code string) (string, *fakeOutput) {
	t.Helper()
	b, err, out := run(t, s, code)
	if err != nil {
		t.Fatalf("cell %q failed: %s: %s\n%s", code, err.Name, err.Value, strings.Join(err.Traceback, "\n"))
	}
	if b == nil {
		return "", out
	}
	return b.Text(), out
}

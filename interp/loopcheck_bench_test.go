package interp

import (
	"context"
	"testing"
)

// BenchmarkLoopCheck measures an interpreted loop of 1e6 iterations, each
// of which reads the interrupt flag (rewriteLoops).
func BenchmarkLoopCheck(b *testing.B) {
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, e := s.Execute(ctx, "benchN := 0", &fakeOutput{}); e != nil {
		b.Fatal(e)
	}
	for b.Loop() {
		if _, e := s.Execute(ctx, "for i := 0; i < 1000000; i++ {\n\tbenchN++\n}", &fakeOutput{}); e != nil {
			b.Fatal(e)
		}
	}
}

// BenchmarkLoopCheckFunc is BenchmarkLoopCheck with the loop in a function
// (whose statements get position markers, stmtpos.go).
func BenchmarkLoopCheckFunc(b *testing.B) {
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, e := s.Execute(ctx, "benchM := 0\nfunc benchF() {\n\tfor i := 0; i < 1000000; i++ {\n\t\tbenchM++\n\t}\n}", &fakeOutput{}); e != nil {
		b.Fatal(e)
	}
	for b.Loop() {
		if _, e := s.Execute(ctx, "benchF()", &fakeOutput{}); e != nil {
			b.Fatal(e)
		}
	}
}

// BenchmarkGoSpawn measures a cell that starts and waits for 10000
// goroutines (rewriteGo's bookkeeping).
func BenchmarkGoSpawn(b *testing.B) {
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, e := s.Execute(ctx, "import \"sync\"\nvar spawnWG sync.WaitGroup", &fakeOutput{}); e != nil {
		b.Fatal(e)
	}
	for b.Loop() {
		if _, e := s.Execute(ctx, "for i := 0; i < 10000; i++ {\n\tspawnWG.Add(1)\n\tgo func() {\n\t\tspawnWG.Done()\n\t}()\n}\nspawnWG.Wait()", &fakeOutput{}); e != nil {
			b.Fatal(e)
		}
	}
}

package interp

import (
	"context"
	"testing"
)

// BenchmarkExecuteTrivial measures a cell's overhead: Execute("1 + 1").
func BenchmarkExecuteTrivial(b *testing.B) {
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	out := &fakeOutput{}
	ctx := context.Background()
	for b.Loop() {
		if r, e := s.Execute(ctx, "1 + 1", out); e != nil || r.Text() != "2" {
			b.Fatal(e)
		}
	}
}

// BenchmarkExecutePrint measures a cell that prints a line.
func BenchmarkExecutePrint(b *testing.B) {
	s, err := New()
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, e := s.Execute(ctx, `import "fmt"`, &fakeOutput{}); e != nil {
		b.Fatal(e)
	}
	for b.Loop() {
		out := &fakeOutput{}
		if _, e := s.Execute(ctx, `fmt.Println("hello")`, out); e != nil {
			b.Fatal(e)
		}
	}
}

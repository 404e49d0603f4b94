package mlx_test

import (
	"runtime"
	"slices"
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
)

// onNewThread runs f on a goroutine locked to a fresh OS thread (the thread
// exits afterwards because the goroutine ends locked).
func onNewThread(f func()) {
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer close(done)
		f()
	}()
	<-done
}

// Goroutines move between OS threads, while MLX keeps default streams and
// random keys per thread: graphs built on one thread must evaluate on
// another, and Seed must govern draws made on any thread.
func TestAcrossOSThreads(t *testing.T) {
	var x *mlx.Array
	onNewThread(func() { x = mlx.Arange(6).Reshape(2, 3).Mul(2) })
	var got []int32
	onNewThread(func() { got = x.Sum(0).Int32s() })
	if want := []int32{6, 10, 14}; !slices.Equal(got, want) {
		t.Fatalf("sum across threads = %v, want %v", got, want)
	}

	var a, b []float32
	onNewThread(func() { mlx.Seed(5) })
	onNewThread(func() { a = mlx.RandomNormal(4).Float32s() })
	onNewThread(func() { mlx.Seed(5) })
	onNewThread(func() { b = mlx.RandomNormal(4).Float32s() })
	if !slices.Equal(a, b) {
		t.Fatalf("Seed(5) on one thread, draws on others: %v vs %v", a, b)
	}
}

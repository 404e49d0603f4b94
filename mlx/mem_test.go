package mlx_test

import (
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
)

// TestMemoryBounded runs 2,000 iterations that each create 4 MB temporaries
// in a child process and requires its peak RSS to stay under 1 GB: MLX memory
// is invisible to the Go GC, so this holds only because the package collects
// when MLX's active memory grows.
func TestMemoryBounded(t *testing.T) {
	if os.Getenv("MLXGO_MEMTEST_CHILD") == "1" {
		var sum float64
		for i := 0; i < 2000; i++ {
			x := mlx.Arange(float64(i), float64(i+1<<20), 1.0) // 4 MB of float32
			y := x.Mul(2).Add(1)                               // two more 4 MB temporaries
			sum += mlx.Sum(y).Item()
		}
		_ = sum
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryBounded$", "-test.count=1")
	cmd.Env = append(os.Environ(), "MLXGO_MEMTEST_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	peakMB := ru.Maxrss / 1024 // Maxrss is in KiB on Linux
	t.Logf("peak RSS of 2,000 iterations with 4 MB temporaries: %d MB", peakMB)
	if peakMB >= 1024 {
		t.Fatalf("peak RSS %d MB, want under 1024 MB", peakMB)
	}
}

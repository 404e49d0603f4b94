package mlx_test

// Benchmarks with a peer in MLX's Python binding: tests/bench/mlx_ops.py runs
// these and the same work in Python in one script and reports ratios.

import (
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
	"github.com/mlxgo/mlxgo/mlx/grad"
)

// BenchmarkAddLazy is the per-op overhead of building one Add node on
// 1-element arrays (no evaluation), as `mx.add(a, b)` in Python.
func BenchmarkAddLazy(b *testing.B) {
	x, y := mlx.FromSlice([]float32{1}), mlx.FromSlice([]float32{2})
	mlx.Eval(x, y)
	for b.Loop() {
		_ = mlx.Add(x, y)
	}
}

// BenchmarkAddEval builds and evaluates one Add on 1-element arrays, as
// `mx.eval(mx.add(a, b))` in Python.
func BenchmarkAddEval(b *testing.B) {
	x, y := mlx.FromSlice([]float32{1}), mlx.FromSlice([]float32{2})
	mlx.Eval(x, y)
	for b.Loop() {
		mlx.Add(x, y).Eval()
	}
}

// mlpLoss is a 2-layer MLP's mean squared error.
func mlpLoss(w1, b1, w2, b2, x, y *mlx.Array) *mlx.Array {
	h := mlx.Maximum(x.Matmul(w1).Add(b1), 0)
	r := h.Matmul(w2).Add(b2).Sub(y)
	return r.Mul(r).Mean()
}

// BenchmarkMLPValueGrad is grad.ValueFunc on a 2-layer MLP loss (batch 64,
// width 128), evaluating the value and the four parameter gradients.
func BenchmarkMLPValueGrad(b *testing.B) {
	mlx.Seed(0)
	x, y := mlx.RandomNormal(64, 128), mlx.RandomNormal(64, 1)
	w1, b1 := mlx.RandomNormal(128, 128).Mul(0.1), mlx.Zeros(128)
	w2, b2 := mlx.RandomNormal(128, 1).Mul(0.1), mlx.Zeros(1)
	mlx.Eval(x, y, w1, b1, w2, b2)
	vf := grad.ValueFunc(mlpLoss, 0, 1, 2, 3)
	for b.Loop() {
		r := vf(w1, b1, w2, b2, x, y)
		mlx.Eval(append([]*mlx.Array{r.Value}, r.Grads...)...)
	}
}

// BenchmarkMatmul1024 is a 1024x1024 float32 matmul, evaluated; the script
// turns ns/op into GFLOP/s (2·n³ flops).
func BenchmarkMatmul1024(b *testing.B) {
	mlx.Seed(0)
	x, y := mlx.RandomNormal(1024, 1024), mlx.RandomNormal(1024, 1024)
	mlx.Eval(x, y)
	for b.Loop() {
		mlx.Matmul(x, y).Eval()
	}
}

package grad_test

import (
	"testing"

	"github.com/mlxgo/mlxgo/internal/seedtest"
	"github.com/mlxgo/mlxgo/mlx"
	"github.com/mlxgo/mlxgo/mlx/grad"
)

// The seed's first example: gradients of a mean squared error.
func seedLoss(w, x, y *mlx.Array) *mlx.Array {
	preds := mlx.Matmul(x, w)
	resids := mlx.Sub(preds, y)
	return mlx.Div(mlx.Sum(mlx.Mul(resids, resids)), y.Size())
}

func TestSeedGrad(t *testing.T) {
	x := mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)
	y := mlx.Matrix([]float64{1, 3, 2, 4}, 4, 1)
	w := mlx.Matrix([]float64{0}, 2, 1)
	g := grad.Grad(seedLoss, w, x, y)
	if len(g) != 3 {
		t.Fatalf("got %d gradients, want 3", len(g))
	}
	if got := g[0].Float32s(); len(got) != 2 || got[0] != -14.5 || got[1] != -34.5 {
		t.Fatalf("grad w = %v, want [-14.5 -34.5]", got)
	}
	if g[0].Dtype() != mlx.Float32 {
		t.Fatalf("dtype %v", g[0].Dtype())
	}
	if s := g[0].String(); s != seedtest.Block1 {
		t.Fatalf("String():\n%s\nwant:\n%s", s, seedtest.Block1)
	}
}

func TestSeedValueGrad(t *testing.T) {
	loss := func(w, x *mlx.Array) *mlx.Array {
		return mlx.Sum(mlx.Mul(mlx.Matmul(x, w), mlx.Matmul(x, w)))
	}
	x := mlx.Matrix([]float64{1, 2, 3, 4}, 2, 2)
	w := mlx.Matrix([]float64{1, -1}, 2, 1)
	r := grad.ValueGrad(loss, w, x)
	if v := r.Value.Item(); v != 8 {
		t.Fatalf("value %v, want 8", v)
	}
	if got := r.Grads[0].Float32s(); got[0] != -12 || got[1] != -28 {
		t.Fatalf("grad w = %v", got)
	}
	if got := r.Grads[1].Float32s(); got[0] != -4 || got[1] != 4 || got[2] != -4 || got[3] != 4 {
		t.Fatalf("grad x = %v", got)
	}
	if s := r.String(); s != seedtest.Block2 {
		t.Fatalf("String():\n%q\nwant:\n%q", s, seedtest.Block2)
	}
}

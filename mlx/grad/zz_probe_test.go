package grad_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
)

func TestZZProbe(t *testing.T) {
	xs := []float64{-1.5, 0.7, 2.2}
	a := mlx.AsType(xs, mlx.Float64)
	for name, p := range map[string]struct{f func(any) *mlx.Array; g func(float64) float64}{
		"exp": {mlx.Exp, math.Exp}, "sin": {mlx.Sin, math.Sin}, "cos": {mlx.Cos, math.Cos}, "log": {mlx.Log, math.Log}, "tanh": {mlx.Tanh, math.Tanh}, "erf": {mlx.Erf, math.Erf}, "sqrt": {mlx.Sqrt, math.Sqrt},
	} {
		got := p.f(a).Float64s()
		for i, x := range xs {
			fmt.Printf("%s(%v): mlx %.17g go %.17g rel %.3g\n", name, x, got[i], p.g(x), (got[i]-p.g(x))/p.g(x))
		}
	}
}

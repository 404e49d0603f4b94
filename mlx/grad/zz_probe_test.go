package grad_test

import (
	"fmt"
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
)

func TestZZProbe(t *testing.T) {
	a := mlx.AsType([]float64{0.1, 2}, mlx.Float64)
	fmt.Println(a.Dtype(), a.Float64s())
	b := mlx.Sin(a)
	fmt.Println(b.Dtype())
	c := mlx.Scalar(0.1, mlx.Float64)
	fmt.Println(c.Dtype())
	fmt.Println(mlx.Reshape(a, 2, 1).Dtype())
}

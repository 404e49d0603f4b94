// Package seedtest holds the expected output of the seed examples
// (../shared/seeds/mlx_grad.md), shared by the tests of several packages.
package seedtest

import "strings"

// Block1 is the first seed example's gradient, printed on a CPU machine.
const Block1 = `mlx array [2 x 1]
  dtype: float32
  device: cpu
  values:
      [,1]
[1,] -14.5
[2,] -34.5`

// Block2 is the second seed example's value and gradients in R's list form,
// printed on a CPU machine.
const Block2 = `$value
mlx array []
  dtype: float32
  device: cpu
  values:
[1] 8

$grads
$grads[[1]]
mlx array [2 x 1]
  dtype: float32
  device: cpu
  values:
     [,1]
[1,]  -12
[2,]  -28

$grads[[2]]
mlx array [2 x 2]
  dtype: float32
  device: cpu
  values:
     [,1] [,2]
[1,]   -4    4
[2,]   -4    4


`

// OnDevice returns block with its device lines naming device ("cpu" or "gpu").
func OnDevice(block, device string) string {
	return strings.ReplaceAll(block, "device: cpu", "device: "+device)
}

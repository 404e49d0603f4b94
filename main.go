// Command mlxgo is the Go (MLX) Jupyter kernel. For now it reports its
// version; the kernel itself arrives with the kernel package.
package main

import (
	"fmt"
	"os"

	"github.com/mlxgo/mlxgo/mlx"
)

// version is the mlxgo release.
const version = "0.1.0"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Printf("mlxgo %s (MLX %s)\n", version, mlx.Version())
		return
	}
	fmt.Fprintln(os.Stderr, "usage: mlxgo version")
	os.Exit(2)
}

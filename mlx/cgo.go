package mlx

// The bridge compiles against the MLX C++ SDK of the pinned backend wheel.
// `make setup` links .sdk at the repository root to that wheel's mlx folder,
// so these flags need no environment; the rpath lets binaries and test
// executables find libmlx.so without LD_LIBRARY_PATH.

/*
#cgo CXXFLAGS: -std=c++20 -O2 -I${SRCDIR}/../.sdk/include
#cgo LDFLAGS: -L${SRCDIR}/../.sdk/lib -Wl,-rpath,${SRCDIR}/../.sdk/lib -lmlx -lstdc++
*/
import "C"

//go:generate go run ./internal/opgen ops.tbl ops_gen.go ops_gen.h

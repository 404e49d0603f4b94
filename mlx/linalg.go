package mlx

// #include "bridge.h"
import "C"

import "runtime"

// Linear algebra runs on the CPU stream whatever the default device, as MLX
// implements these factorizations on the CPU.

func linalgUnary(name string, op int, x any) *Array {
	a := asArray(name, x)
	var out C.mlxg_arr
	err := C.mlxg_linalg_unary(C.int(op), a.h, &out)
	return one(name, out, err, a)
}

// Inv returns the inverse of the square matrix x (batched over leading axes).
func Inv(x any) *Array { return linalgUnary("Inv", 0, x) }

// Pinv returns the Moore-Penrose pseudo-inverse of x.
func Pinv(x any) *Array { return linalgUnary("Pinv", 1, x) }

// Cholesky returns the lower-triangular L with L Lᵀ = x for a symmetric
// positive-definite x.
func Cholesky(x any) *Array { return linalgUnary("Cholesky", 2, x) }

// CholeskyUpper returns the upper-triangular U with Uᵀ U = x.
func CholeskyUpper(x any) *Array { return linalgUnary("CholeskyUpper", 3, x) }

// Solve returns z with a·z = b for a square a.
func Solve(a, b any) *Array {
	x, y := operands2("Solve", a, b)
	var out C.mlxg_arr
	err := C.mlxg_solve(x.h, y.h, &out)
	return one("Solve", out, err, x, y)
}

func linalgMulti(name string, op int, x any) []*Array {
	a := asArray(name, x)
	var out C.mlxg_vec
	if err := C.mlxg_linalg_multi(C.int(op), a.h, &out); err != nil {
		panic(errorFrom(name, err, a))
	}
	runtime.KeepAlive(a)
	return takeVec(out)
}

// QR returns the QR factorization of x: q with orthonormal columns and upper-triangular r.
func QR(x any) (q, r *Array) {
	v := linalgMulti("QR", 0, x)
	return v[0], v[1]
}

// SVD returns u, s and vt with x = u·diag(s)·vt.
func SVD(x any) (u, s, vt *Array) {
	v := linalgMulti("SVD", 1, x)
	return v[0], v[1], v[2]
}

// Eigh returns the eigenvalues (ascending) and eigenvectors (columns) of the
// symmetric matrix x.
func Eigh(x any) (values, vectors *Array) {
	v := linalgMulti("Eigh", 2, x)
	return v[0], v[1]
}

func norm(name string, x any, ord float64, hasOrd bool, axes []int) *Array {
	a := asArray(name, x)
	cax, n, keep := reduceAxes(axes)
	var out C.mlxg_arr
	err := C.mlxg_norm(a.h, C.double(ord), cbool(hasOrd), intsPtr(cax), n, cbool(keep), &out)
	return one(name, out, err, a)
}

// Norm returns the 2-norm of a vector or the Frobenius norm of a matrix (of
// the flattened x when no axes are given; over one or two axes otherwise).
// KeepDims may be passed among the axes.
func Norm(x any, axes ...int) *Array { return norm("Norm", x, 0, false, axes) }

// NormOrd is Norm with an explicit order: for vectors any p (math.Inf(1) for
// the max norm), for matrices 1, 2, -1, -2 or ±Inf.
func NormOrd(x any, ord float64, axes ...int) *Array { return norm("NormOrd", x, ord, true, axes) }

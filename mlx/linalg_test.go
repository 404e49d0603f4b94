package mlx_test

import (
	"math"
	"testing"

	"github.com/mlxgo/mlxgo/mlx"
)

const linTol = 1e-5

// wantAllClose asserts got ≈ want elementwise (same shape) within linTol.
func wantAllClose(t *testing.T, name string, got, want *mlx.Array) {
	t.Helper()
	gs, ws := got.Shape(), want.Shape()
	if mlx.FormatShape(gs) != mlx.FormatShape(ws) {
		t.Errorf("%s: shape %v, want %v", name, gs, ws)
		return
	}
	g, w := got.Float64s(), want.Float64s()
	for i := range g {
		if !near(g[i], w[i], linTol) {
			t.Errorf("%s:\n%v\nwant\n%v", name, got, want)
			return
		}
	}
}

// diag builds the square diagonal matrix of the 1-D s.
func diag(s *mlx.Array) *mlx.Array {
	n := s.Size()
	return mlx.Mul(mlx.Eye(n).AsType(s.Dtype()), mlx.Reshape(s, 1, n))
}

func TestInvSolve(t *testing.T) {
	a := mlx.AsArray([][]float64{{4, 1}, {2, 3}})
	inv := mlx.Inv(a)
	wantClose(t, "Inv", inv, mlx.Float32, sh(2, 2), linTol, 0.3, -0.1, -0.2, 0.4)
	wantAllClose(t, "A·Inv(A)", mlx.Matmul(a, inv), mlx.Eye(2))
	wantAllClose(t, "Inv(A)·A", mlx.Matmul(inv, a), mlx.Eye(2))
	// Batched over leading axes.
	batch := mlx.Stack([]*mlx.Array{a, mlx.Mul(mlx.Eye(2), 2)})
	wantClose(t, "Inv batched", mlx.Inv(batch), mlx.Float32, sh(2, 2, 2), linTol, 0.3, -0.1, -0.2, 0.4, 0.5, 0, 0, 0.5)
	// Float64 stays float64, in full precision.
	a64 := mlx.AsType([][]float64{{4, 1}, {2, 3}}, mlx.Float64)
	inv64 := mlx.Inv(a64)
	check(t, "Inv float64", inv64, mlx.Float64, 2, 2)
	for i, w := range []float64{0.3, -0.1, -0.2, 0.4} {
		if g := inv64.Float64s()[i]; math.Abs(g-w) > 1e-15 {
			t.Errorf("Inv float64 [%d] = %v, want %v", i, g, w)
		}
	}

	wantClose(t, "Solve vector", mlx.Solve(a, []float64{1, 2}), mlx.Float32, sh(2), linTol, 0.1, 0.6)
	wantAllClose(t, "Solve(A, I) = Inv(A)", mlx.Solve(a, mlx.Eye(2)), inv)
	b := mlx.AsArray([][]float64{{1, 0, 5}, {2, 1, -1}})
	x := mlx.Solve(a, b)
	check(t, "Solve matrix", x, mlx.Float32, 2, 3)
	wantAllClose(t, "A·Solve(A, B) = B", mlx.Matmul(a, x), b)
	wantClose(t, "Solve float64", mlx.Solve(a64, mlx.AsType([]float64{1, 2}, mlx.Float64)), mlx.Float64, sh(2), 1e-12, 0.1, 0.6)

	wantErr(t, "mlx.Inv: inverses are only defined for square matrices (shape [2 x 3])", func() { mlx.Inv(mlx.Ones(2, 3)) })
	wantErr(t, "mlx.Inv: arrays must have >= 2 dimensions. Received array with 1 dimensions (shape [3])", func() {
		mlx.Inv(mlx.Ones(3))
	})
	wantErr(t, "mlx.Solve: shapes [2 x 2] and [3] are not compatible", func() { mlx.Solve(mlx.Eye(2), mlx.Ones(3)) })
	wantErr(t, "mlx.Solve: shapes [2 x 3] and [2] are not compatible", func() { mlx.Solve(mlx.Ones(2, 3), mlx.Ones(2)) })
}

func TestCholesky(t *testing.T) {
	s := mlx.AsArray([][]float64{{4, 2}, {2, 3}})
	l := mlx.Cholesky(s)
	wantClose(t, "Cholesky", l, mlx.Float32, sh(2, 2), linTol, 2, 0, 1, math.Sqrt2)
	wantAllClose(t, "L·Lᵀ", mlx.Matmul(l, mlx.T(l)), s)
	u := mlx.CholeskyUpper(s)
	wantClose(t, "CholeskyUpper", u, mlx.Float32, sh(2, 2), linTol, 2, 1, 0, math.Sqrt2)
	wantAllClose(t, "Uᵀ·U", mlx.Matmul(mlx.T(u), u), s)

	// A larger SPD matrix: M·Mᵀ + 3I.
	m := mlx.AsArray([][]float64{{1, 2, 0}, {0, 1, 3}, {2, 0, 1}})
	spd := mlx.Add(mlx.Matmul(m, mlx.T(m)), mlx.Mul(mlx.Eye(3), 3))
	l3 := mlx.Cholesky(spd)
	wantAllClose(t, "3x3 L·Lᵀ", mlx.Matmul(l3, mlx.T(l3)), spd)
	wantAllClose(t, "3x3 L is lower", mlx.Mul(l3, mlx.Sub(1, [][]float64{{1, 0, 0}, {1, 1, 0}, {1, 1, 1}})), mlx.Zeros(3, 3))

	wantErr(t, "mlx.Cholesky: cholesky decomposition is only defined for square matrices (shape [2 x 3])", func() {
		mlx.Cholesky(mlx.Ones(2, 3))
	})
}

func TestQR(t *testing.T) {
	for _, a := range []*mlx.Array{
		mlx.AsArray([][]float64{{12, -51, 4}, {6, 167, -68}, {-4, 24, -41}}),
		mlx.AsArray([][]float64{{1, 2}, {3, 4}, {5, 6}}),
	} {
		q, r := mlx.QR(a)
		name := "QR " + mlx.FormatShape(a.Shape())
		k := min(a.Shape()[0], a.Shape()[1])
		check(t, name+" q", q, mlx.Float32, a.Shape()[0], k)
		check(t, name+" r", r, mlx.Float32, k, a.Shape()[1])
		wantAllClose(t, name+" Q·R = A", mlx.Matmul(q, r), a)
		wantAllClose(t, name+" QᵀQ = I", mlx.Matmul(mlx.T(q), q), mlx.Eye(k))
		// r is upper triangular: everything below the diagonal is 0.
		rv := r.Float64s()
		cols := r.Shape()[1]
		for i := range k {
			for j := 0; j < i && j < cols; j++ {
				if math.Abs(rv[i*cols+j]) > linTol {
					t.Errorf("%s: r[%d,%d] = %v, want 0", name, i, j, rv[i*cols+j])
				}
			}
		}
	}
	// The textbook example: |R| diagonal is 14, 175, 35.
	_, r := mlx.QR(mlx.AsArray([][]float64{{12, -51, 4}, {6, 167, -68}, {-4, 24, -41}}))
	rv := r.Float64s()
	for i, w := range []float64{14, 175, 35} {
		if !near(math.Abs(rv[i*3+i]), w, linTol) {
			t.Errorf("QR r[%d,%d] = %v, want ±%v", i, i, rv[i*3+i], w)
		}
	}
	wantErr(t, "mlx.QR: arrays must have >= 2 dimensions. Received array with 1 dimensions (shape [3])", func() {
		mlx.QR(mlx.Ones(3))
	})
}

func TestSVD(t *testing.T) {
	u, s, vt := mlx.SVD(mlx.AsArray([][]float64{{3, 0}, {0, -2}}))
	wantClose(t, "SVD singular values", s, mlx.Float32, sh(2), linTol, 3, 2)
	check(t, "SVD u", u, mlx.Float32, 2, 2)
	check(t, "SVD vt", vt, mlx.Float32, 2, 2)

	a := mlx.AsArray([][]float64{{1, 2}, {3, 4}, {5, 6}})
	u, s, vt = mlx.SVD(a)
	check(t, "SVD 3x2 u", u, mlx.Float32, 3, 3)
	check(t, "SVD 3x2 s", s, mlx.Float32, 2)
	check(t, "SVD 3x2 vt", vt, mlx.Float32, 2, 2)
	sv := s.Float64s()
	if sv[0] < sv[1] || sv[1] < 0 {
		t.Errorf("singular values %v are not descending and non-negative", sv)
	}
	// The singular values are the square roots of the eigenvalues of AᵀA.
	ev, _ := mlx.Eigh(mlx.Matmul(mlx.T(a), a))
	evs := ev.Float64s()
	if !near(sv[0], math.Sqrt(evs[1]), 1e-4) || !near(sv[1], math.Sqrt(evs[0]), 1e-4) {
		t.Errorf("singular values %v vs sqrt(eig(AᵀA)) %v", sv, evs)
	}
	u2 := mlx.Slice(u, []int{0, 0}, []int{3, 2}) // the first two columns
	wantAllClose(t, "U·diag(S)·Vt = A", mlx.Matmul(mlx.Matmul(u2, diag(s)), vt), a)
	wantAllClose(t, "UᵀU = I", mlx.Matmul(mlx.T(u), u), mlx.Eye(3))
	wantAllClose(t, "Vt·Vtᵀ = I", mlx.Matmul(vt, mlx.T(vt)), mlx.Eye(2))

	wantErr(t, "mlx.SVD: input array must have >= 2 dimensions. Received array with 1 dimensions (shape [3])", func() {
		mlx.SVD(mlx.Ones(3))
	})
}

func TestEigh(t *testing.T) {
	a := mlx.AsArray([][]float64{{2, 1}, {1, 2}})
	w, v := mlx.Eigh(a)
	wantClose(t, "Eigh values ascending", w, mlx.Float32, sh(2), linTol, 1, 3)
	check(t, "Eigh vectors", v, mlx.Float32, 2, 2)
	// Columns are eigenvectors: A·V = V·diag(w), and V is orthogonal.
	wantAllClose(t, "A·V = V·diag(w)", mlx.Matmul(a, v), mlx.Matmul(v, diag(w)))
	wantAllClose(t, "VᵀV = I", mlx.Matmul(mlx.T(v), v), mlx.Eye(2))
	wantAllClose(t, "V·diag(w)·Vᵀ = A", mlx.Matmul(mlx.Matmul(v, diag(w)), mlx.T(v)), a)

	b := mlx.AsArray([][]float64{{4, 1, 0}, {1, 3, 1}, {0, 1, 2}})
	w3, v3 := mlx.Eigh(b)
	wv := w3.Float64s()
	if !(wv[0] <= wv[1] && wv[1] <= wv[2]) {
		t.Errorf("Eigh values not ascending: %v", wv)
	}
	if !near(wv[0]+wv[1]+wv[2], 9, linTol) {
		t.Errorf("eigenvalues sum %v, want the trace 9", wv[0]+wv[1]+wv[2])
	}
	wantAllClose(t, "3x3 V·diag(w)·Vᵀ = B", mlx.Matmul(mlx.Matmul(v3, diag(w3)), mlx.T(v3)), b)
	wantErr(t, "mlx.Eigh: only defined for square matrices (shape [2 x 3])", func() { mlx.Eigh(mlx.Ones(2, 3)) })
}

func TestNorm(t *testing.T) {
	wantClose(t, "Norm vector", mlx.Norm([]float64{3, 4}), mlx.Float32, sh(), linTol, 5)
	m := [][]float64{{1, -2}, {3, 4}}
	wantClose(t, "Norm Frobenius", mlx.Norm(m), mlx.Float32, sh(), linTol, math.Sqrt(30))
	wantClose(t, "Norm 3-D flattened", mlx.Norm(mlx.Ones(2, 2, 2)), mlx.Float32, sh(), linTol, math.Sqrt(8))
	wantClose(t, "Norm axis 1", mlx.Norm(m, 1), mlx.Float32, sh(2), linTol, math.Sqrt(5), 5)
	wantClose(t, "Norm axis 0", mlx.Norm(m, 0), mlx.Float32, sh(2), linTol, math.Sqrt(10), math.Sqrt(20))
	wantClose(t, "Norm axis KeepDims", mlx.Norm(m, 1, mlx.KeepDims), mlx.Float32, sh(2, 1), linTol, math.Sqrt(5), 5)
	wantClose(t, "Norm axes 0 1", mlx.Norm(m, 0, 1), mlx.Float32, sh(), linTol, math.Sqrt(30))
	wantClose(t, "Norm all KeepDims", mlx.Norm(m, mlx.KeepDims), mlx.Float32, sh(1, 1), linTol, math.Sqrt(30))

	v := []float64{3, -4, 1}
	wantClose(t, "NormOrd 1", mlx.NormOrd(v, 1), mlx.Float32, sh(), linTol, 8)
	wantClose(t, "NormOrd 2", mlx.NormOrd(v, 2), mlx.Float32, sh(), linTol, math.Sqrt(26))
	wantClose(t, "NormOrd 3", mlx.NormOrd(v, 3), mlx.Float32, sh(), linTol, math.Cbrt(27+64+1))
	wantClose(t, "NormOrd Inf", mlx.NormOrd(v, math.Inf(1)), mlx.Float32, sh(), linTol, 4)
	wantClose(t, "NormOrd -Inf", mlx.NormOrd(v, math.Inf(-1)), mlx.Float32, sh(), linTol, 1)
	wantClose(t, "NormOrd 0 counts non-zeros", mlx.NormOrd([]float64{0, 2, 0, -1}, 0), mlx.Float32, sh(), linTol, 2)
	wantClose(t, "NormOrd matrix 1", mlx.NormOrd(m, 1), mlx.Float32, sh(), linTol, 6)
	wantClose(t, "NormOrd matrix -1", mlx.NormOrd(m, -1), mlx.Float32, sh(), linTol, 4)
	wantClose(t, "NormOrd matrix Inf", mlx.NormOrd(m, math.Inf(1)), mlx.Float32, sh(), linTol, 7)
	wantClose(t, "NormOrd matrix -Inf", mlx.NormOrd(m, math.Inf(-1)), mlx.Float32, sh(), linTol, 3)
	_, s, _ := mlx.SVD(m)
	sv := s.Float64s()
	wantClose(t, "NormOrd matrix 2", mlx.NormOrd(m, 2), mlx.Float32, sh(), linTol, sv[0])
	wantClose(t, "NormOrd matrix -2", mlx.NormOrd(m, -2), mlx.Float32, sh(), linTol, sv[1])
	wantClose(t, "NormOrd rows 1", mlx.NormOrd(m, 1, 1), mlx.Float32, sh(2), linTol, 3, 7)

	wantErr(t, "mlx.NormOrd: invalid ord 3 for matrix norm (shape [2 x 2])", func() { mlx.NormOrd(mlx.Ones(2, 2), 3) })
}

func TestPinv(t *testing.T) {
	a := mlx.AsArray([][]float64{{1, 2}, {3, 4}, {5, 6}})
	p := mlx.Pinv(a)
	check(t, "Pinv", p, mlx.Float32, 2, 3)
	wantAllClose(t, "Pinv(A)·A = I", mlx.Matmul(p, a), mlx.Eye(2))
	wantAllClose(t, "A·Pinv(A)·A = A", mlx.Matmul(mlx.Matmul(a, p), a), a)
	// A square invertible matrix: Pinv is Inv.
	sq := mlx.AsArray([][]float64{{4, 1}, {2, 3}})
	wantAllClose(t, "Pinv = Inv", mlx.Pinv(sq), mlx.Inv(sq))
	// Rank one: A = v·vᵀ with |v|² = 5, so Pinv(A) = A/25.
	r1 := mlx.AsArray([][]float64{{1, 2}, {2, 4}})
	wantAllClose(t, "Pinv rank one", mlx.Pinv(r1), mlx.Div(r1, 25))
}

func TestProducts(t *testing.T) {
	wantF32(t, "Outer", mlx.Outer([]float64{1, 2}, []float64{3, 4, 5}), mlx.Float32, sh(2, 3), 3, 4, 5, 6, 8, 10)
	wantI32(t, "Outer ints", mlx.Outer([]int{1, -1}, []int{2}), mlx.Int32, sh(2, 1), 2, -2)
	wantF32(t, "Outer flattens", mlx.Outer([][]float64{{1}, {2}}, [][]float64{{1, 0}}), mlx.Float32, sh(2, 2), 1, 0, 2, 0)
	wantF32(t, "Inner", mlx.Inner([]float64{1, 2, 3}, []float64{4, 5, 6}), mlx.Float32, sh(), 32)
	wantF32(t, "Inner matrix", mlx.Inner([][]float64{{1, 0}, {0, 1}}, []float64{2, 3}), mlx.Float32, sh(2), 2, 3)
	wantF32(t, "Kron", mlx.Kron([][]float64{{1, 2}}, [][]float64{{1}, {10}}), mlx.Float32, sh(2, 2), 1, 2, 10, 20)

	x := m23()
	w := mlx.AsArray([][]float64{{1, 0}, {0, 1}, {1, 1}})
	wantAllClose(t, "Tensordot 1 = Matmul", mlx.Tensordot(x, w, 1), mlx.Matmul(x, w))
	wantF32(t, "Tensordot 2 = full contraction", mlx.Tensordot(x, x, 2), mlx.Float32, sh(), 91)
	td0 := mlx.Tensordot([]float64{1, 2}, []float64{3, 4, 5}, 0)
	wantF32(t, "Tensordot 0 = outer", td0, mlx.Float32, sh(2, 3), 3, 4, 5, 6, 8, 10)
	a := mlx.Reshape(mlx.Arange(24.0), 2, 3, 4)
	b := mlx.Reshape(mlx.Arange(12.0), 3, 4)
	td := mlx.Tensordot(a, b, 2)
	// Each batch entry i is sum_{j,k} a[i,j,k]*b[j,k].
	want := make([]float32, 2)
	av, bv := a.Float32s(), b.Float32s()
	for i := range 2 {
		for jk := range 12 {
			want[i] += av[i*12+jk] * bv[jk]
		}
	}
	wantF32(t, "Tensordot 3-D by 2", td, mlx.Float32, sh(2), want...)
	check(t, "Tensordot float64", mlx.Tensordot(mlx.AsType([]float64{1, 2}, mlx.Float64), []float64{1, 1}, 1), mlx.Float64)
}

// Package rformat reproduces, byte for byte, what base R's print() shows for
// an atomic vector or matrix (double, integer, logical or complex) under the
// default options digits = 7, width = 80, scipen = 0, max.print = 99999.
//
// The number formatting follows R's src/main/format.c (scientific,
// formatReal, formatComplex, formatInteger, formatLogical) and
// src/main/printutils.c (encodeReal, encodeComplex); the layout follows
// src/main/printvector.c and src/main/printmatrix.c. Matrices are printed
// without dimnames, as Rmlx does. R computes the number
// of significant digits of a double in x87 80-bit long double arithmetic;
// that arithmetic is emulated here exactly with math/big at 64 bits of
// precision, so rounding quirks (ties, values just below a power of ten)
// come out the same as in R on x86-64 Linux.
package rformat

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// R's print parameters (the defaults of options()).
const (
	printDigits = 7     // options(digits)
	printWidth  = 80    // options(width)
	printScipen = 0     // options(scipen)
	printGap    = 1     // print(gap = 1)
	printMax    = 99999 // options(max.print)
	naWidth     = 2     // width of "NA"
	kpMax       = 27    // powers of ten exactly representable in a 64-bit mantissa
	ldPrec      = 64    // mantissa bits of an x87 long double
)

// ldPow10 returns 10^k as an x87 long double (64-bit mantissa, rounded to
// nearest), which is what glibc's powl(10.0L, k) gives.
func ldPow10(k int) *big.Float {
	if k >= 0 {
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
		return new(big.Float).SetPrec(ldPrec).SetMode(big.ToNearestEven).SetInt(p)
	}
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-k)), nil)
	q := new(big.Rat).SetFrac(big.NewInt(1), p)
	f := new(big.Float).SetPrec(ldPrec).SetMode(big.ToNearestEven)
	f.SetRat(q)
	return f
}

// tbl returns R's tbl[k+1] (10^k for 0 <= k <= kpMax) as a long double.
// R writes the table's entries as double literals, so from 1e23 on they
// carry the double rounding of 10^k; that matters for ties.
func tbl(k int) *big.Float {
	return newLD(math.Pow10(k))
}

// newLD returns a long double initialised from a double.
func newLD(x float64) *big.Float {
	return new(big.Float).SetPrec(ldPrec).SetMode(big.ToNearestEven).SetFloat64(x)
}

// nearbyintLD rounds a non-negative long double to an integer, ties to even
// (nearbyintl in the default rounding mode), and returns it as a double.
func nearbyintLD(f *big.Float) float64 {
	i, _ := f.Int(nil) // truncates toward zero
	fi := new(big.Float).SetPrec(0).SetInt(i)
	frac := new(big.Float).SetPrec(200).Sub(f, fi)
	c := frac.Cmp(big.NewFloat(0.5))
	if c > 0 || (c == 0 && i.Bit(0) == 1) {
		i.Add(i, big.NewInt(1))
	}
	v, _ := new(big.Float).SetInt(i).Float64()
	return v
}

// floorLog10 returns floor(log10(r)) for a finite r > 0, computed exactly.
func floorLog10(r float64) int {
	k := int(math.Floor(math.Log10(r)))
	rb := new(big.Float).SetPrec(0).SetFloat64(r)
	for k > -400 && rb.Cmp(exactPow10(k)) < 0 {
		k--
	}
	for k < 400 && rb.Cmp(exactPow10(k+1)) >= 0 {
		k++
	}
	return k
}

// exactPow10 returns 10^k with enough precision to be exact (k >= 0) or
// accurate far beyond double precision (k < 0).
func exactPow10(k int) *big.Float {
	if k >= 0 {
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
		return new(big.Float).SetInt(p)
	}
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-k)), nil)
	f := new(big.Float).SetPrec(2000)
	f.SetRat(new(big.Rat).SetFrac(big.NewInt(1), p))
	return f
}

// sciInfo is the result of R's scientific() for one finite double.
type sciInfo struct {
	neg            bool // x < 0
	kpower         int  // |x| = alpha * 10^kpower, 1 <= alpha < 10 (after rounding)
	nsig           int  // significant digits needed (<= printDigits)
	roundingWidens bool // fixed notation shows one digit fewer left of '.'
}

// scientific mirrors scientific() in R's format.c (long double branch).
func scientific(x float64) sciInfo {
	if x == 0 {
		return sciInfo{kpower: 0, nsig: 1}
	}
	var s sciInfo
	r := x
	if x < 0 {
		s.neg = true
		r = -x
	}
	const R = printDigits
	kp := floorLog10(r) - R + 1
	rp := newLD(r)
	if kp > 0 && kp <= kpMax {
		rp.Quo(rp, tbl(kp))
	} else if kp < 0 && -kp <= kpMax {
		rp.Mul(rp, tbl(-kp))
	} else if kp != 0 {
		rp.Quo(rp, ldPow10(kp)) // powl(10.0, kp)
	}
	if rp.Cmp(tbl(R-1)) < 0 {
		rp.Mul(rp, tbl(1))
		kp--
	}
	alpha := nearbyintLD(rp)
	s.nsig = R
	for j := 1; j <= R; j++ {
		alpha /= 10.0
		if alpha == math.Floor(alpha) {
			s.nsig--
		} else {
			break
		}
	}
	if s.nsig == 0 {
		s.nsig = 1
		kp++
	}
	s.kpower = kp + R - 1

	rgt := R - s.kpower
	if rgt < 0 {
		rgt = 0
	} else if rgt > kpMax {
		rgt = kpMax
	}
	fuzz := 0.5 / math.Pow10(rgt)
	if s.kpower > 0 && s.kpower <= kpMax {
		lim := tbl(s.kpower)
		lim.Sub(lim, newLD(fuzz))
		s.roundingWidens = newLD(r).Cmp(lim) < 0
	}
	return s
}

// realFmt is a fixed/scientific format decision: field width w, digits d
// after the decimal point, and e != 0 for scientific notation (e = number of
// exponent digits - 1).
type realFmt struct{ w, d, e int }

// formatReal mirrors formatReal() in R's format.c with nsmall = 0.
func formatReal(x []float64) realFmt {
	const minInt = math.MinInt32
	var nanflag, posinf, neginf bool
	neg := 0
	rgt, mxl, mxsl, mxns := minInt, minInt, minInt, minInt
	mnl := math.MaxInt32
	for _, v := range x {
		if math.IsNaN(v) {
			nanflag = true
			continue
		}
		if math.IsInf(v, 1) {
			posinf = true
			continue
		}
		if math.IsInf(v, -1) {
			neginf = true
			continue
		}
		s := scientific(v)
		left := s.kpower + 1
		if s.roundingWidens {
			left--
		}
		sleft := left
		if left <= 0 {
			sleft = 1
		}
		if s.neg {
			sleft++
			neg = 1
		}
		right := s.nsig - left
		rgt = max(rgt, right)
		mxl = max(mxl, left)
		mnl = min(mnl, left)
		mxsl = max(mxsl, sleft)
		mxns = max(mxns, s.nsig)
	}
	var f realFmt
	if mxl < 0 {
		mxsl = 1 + neg
	}
	if rgt < 0 {
		rgt = 0
	}
	wF := mxsl + rgt
	if rgt != 0 {
		wF++
	}
	if mxl > 100 || mnl <= -99 {
		f.e = 2
	} else {
		f.e = 1
	}
	if mxns != minInt {
		f.d = mxns - 1
		f.w = neg + f.d + 4 + f.e
		if f.d > 0 {
			f.w++
		}
		if wF <= f.w+printScipen {
			f.e = 0
			f.d = rgt
			f.w = wF
		}
	} else {
		f = realFmt{}
	}
	if nanflag && f.w < 3 {
		f.w = 3
	}
	if posinf && f.w < 3 {
		f.w = 3
	}
	if neginf && f.w < 4 {
		f.w = 4
	}
	return f
}

// padLeft right-justifies s in a field of width w.
func padLeft(s string, w int) string {
	if len(s) >= w {
		return s
	}
	return strings.Repeat(" ", w-len(s)) + s
}

// encodeReal mirrors encodeReal0() in R's printutils.c: C's "%w.df" or
// "%#w.de".
func encodeReal(x float64, w, d, e int) string {
	if x == 0 {
		x = 0 // drop the sign of -0
	}
	var s string
	switch {
	case math.IsNaN(x):
		s = "NaN"
	case math.IsInf(x, 1):
		s = "Inf"
	case math.IsInf(x, -1):
		s = "-Inf"
	case e != 0:
		s = strconv.FormatFloat(x, 'e', d, 64)
	default:
		s = strconv.FormatFloat(x, 'f', d, 64)
	}
	return padLeft(s, w)
}

// indexWidth mirrors IndexWidth() in R: the number of decimal digits of n.
func indexWidth(n int) int {
	return int(math.Log10(float64(n)+0.5) + 1)
}

// formatInteger mirrors formatInteger() in R's format.c. math.MinInt32 is
// R's NA_integer_.
func formatInteger(x []int32) int {
	xmin, xmax := int64(math.MaxInt64), int64(math.MinInt64)
	naflag := false
	for _, v := range x {
		if v == math.MinInt32 {
			naflag = true
			continue
		}
		xmin = min(xmin, int64(v))
		xmax = max(xmax, int64(v))
	}
	w := 1
	if naflag {
		w = naWidth
	}
	if xmin < 0 {
		w = max(w, indexWidth(int(-xmin))+1)
	}
	if xmax > 0 {
		w = max(w, indexWidth(int(xmax)))
	}
	return w
}

// encodeInteger mirrors encodeInteger() in R's printutils.c.
func encodeInteger(x int32, w int) string {
	if x == math.MinInt32 {
		return padLeft("NA", w)
	}
	return padLeft(strconv.FormatInt(int64(x), 10), w)
}

// formatLogical mirrors formatLogical() in R's format.c.
func formatLogical(x []bool) int {
	w := 1
	for _, v := range x {
		if !v {
			return 5
		}
		w = 4
	}
	return w
}

// encodeLogical mirrors encodeLogical() in R's printutils.c.
func encodeLogical(x bool, w int) string {
	if x {
		return padLeft("TRUE", w)
	}
	return padLeft("FALSE", w)
}

// rPowDi mirrors R_pow_di(): x^n by repeated squaring in double precision.
func rPowDi(x float64, n int) float64 {
	xn := 1.0
	if math.IsNaN(x) {
		return x
	}
	if n != 0 {
		if math.IsInf(x, 0) {
			return math.Pow(x, float64(n))
		}
		isNeg := n < 0
		if isNeg {
			n = -n
		}
		for {
			if n&1 != 0 {
				xn *= x
			}
			n >>= 1
			if n == 0 {
				break
			}
			x *= x
		}
		if isNeg {
			xn = 1 / xn
		}
	}
	return xn
}

// fround mirrors fround() in R's nmath/fround.c (R >= 4.0.0): round x to
// dig decimal places, choosing the closer of the two neighbouring
// candidates (ties to even).
func fround(x float64, digits float64) float64 {
	const maxDigits = 308
	const dblDig = 15
	if math.IsNaN(x) || math.IsNaN(digits) {
		return x + digits
	}
	if math.IsInf(x, 0) || digits > maxDigits+15 || x == 0 {
		return x
	}
	if digits < -maxDigits {
		return 0
	}
	if digits == 0 {
		return math.RoundToEven(x)
	}
	dig := int(math.Floor(digits + 0.5))
	sgn := 1.0
	if x < 0 {
		sgn = -1
		x = -x
	}
	l10x := 0.301029995663981195 * (0.5 + math.Logb(x))
	if l10x+float64(dig) > dblDig {
		return sgn * x
	}
	var x10, i10, xd, xu float64
	if dig <= maxDigits {
		pow10 := rPowDi(10., dig)
		x10 = pow10 * x
		i10 = math.Floor(x10)
		xd = i10 / pow10
		xu = math.Ceil(x10) / pow10
	} else {
		e10 := dig - maxDigits
		p10 := rPowDi(10., e10)
		pow10 := rPowDi(10., maxDigits)
		x10 = (pow10 * x) * p10
		i10 = math.Floor(x10)
		xd = i10 / pow10 / p10
		xu = math.Ceil(x10) / pow10 / p10
	}
	du := xu - x
	dd := x - xd
	if du < dd || (du == dd && math.Mod(i10, 2) == 1) {
		return sgn * xu
	}
	return sgn * xd
}

// zPrecR mirrors z_prec_r() in R's complex.c: signif(x, digits) applied to
// both parts with a common magnitude.
func zPrecR(x complex128, digits float64) complex128 {
	re, im := real(x), imag(x)
	m := 0.0
	m1, m2 := math.Abs(re), math.Abs(im)
	if !math.IsInf(m1, 0) && !math.IsNaN(m1) {
		m = m1
	}
	if !math.IsInf(m2, 0) && !math.IsNaN(m2) && m2 > m {
		m = m2
	}
	if m == 0 {
		return x
	}
	dig := int(math.Floor(digits + 0.5))
	if dig > 22 {
		return x
	} else if dig < 1 {
		dig = 1
	}
	mag := int(math.Floor(math.Log10(m)))
	dig = dig - mag - 1
	if dig > 306 {
		pow10 := 1.0e4
		d := float64(dig - 4)
		return complex(fround(pow10*re, d)/pow10, fround(pow10*im, d)/pow10)
	}
	return complex(fround(re, float64(dig)), fround(im, float64(dig)))
}

// complexFmt is R's format decision for a complex vector: one realFmt for
// the real parts and one for the (unsigned) imaginary parts.
type complexFmt struct{ r, i realFmt }

// formatComplex mirrors formatComplex() in R's format.c (R 4.2) with
// nsmall = 0.
func formatComplex(x []complex128) complexFmt {
	const minInt = math.MinInt32
	var rnanflag, rposinf, rneginf, inanflag, iposinf bool
	neg := 0
	rt, mxl, mxsl, mxns := minInt, minInt, minInt, minInt
	irt, imxl, imxsl, imxns := minInt, minInt, minInt, minInt
	mnl, imnl := math.MaxInt32, math.MaxInt32
	allReZero, allImZero := true, true
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

	for _, z := range x {
		tmp := zPrecR(z, printDigits)
		tr, ti := real(tmp), imag(tmp)
		if !finite(tr) {
			if math.IsNaN(tr) {
				rnanflag = true
			} else if tr > 0 {
				rposinf = true
			} else {
				rneginf = true
			}
		} else {
			if real(z) != 0 {
				allReZero = false
			}
			s := scientific(tr)
			left := s.kpower + 1
			if s.roundingWidens {
				left--
			}
			sleft := left
			if left <= 0 {
				sleft = 1
			}
			if s.neg {
				sleft++
				neg = 1
			}
			right := s.nsig - left
			rt = max(rt, right)
			mxl = max(mxl, left)
			mnl = min(mnl, left)
			mxsl = max(mxsl, sleft)
			mxns = max(mxns, s.nsig)
		}
		if !finite(ti) {
			if math.IsNaN(ti) {
				inanflag = true
			} else {
				iposinf = true
			}
		} else {
			if imag(z) != 0 {
				allImZero = false
			}
			s := scientific(ti)
			left := s.kpower + 1
			if s.roundingWidens {
				left--
			}
			sleft := left
			if left <= 0 {
				sleft = 1
			}
			right := s.nsig - left
			irt = max(irt, right)
			imxl = max(imxl, left)
			imnl = min(imnl, left)
			imxsl = max(imxsl, sleft)
			imxns = max(imxns, s.nsig)
		}
	}

	var f complexFmt
	var wF, iwF int
	if mxl != minInt {
		if mxl < 0 {
			mxsl = 1 + neg
		}
		if rt < 0 {
			rt = 0
		}
		wF = mxsl + rt
		if rt != 0 {
			wF++
		}
		if mxl > 100 || mnl < -99 {
			f.r.e = 2
		} else {
			f.r.e = 1
		}
		f.r.d = mxns - 1
		f.r.w = neg + f.r.d + 4 + f.r.e
		if f.r.d > 0 {
			f.r.w++
		}
	}
	if imxl != minInt {
		if imxl < 0 {
			imxsl = 1
		}
		if irt < 0 {
			irt = 0
		}
		iwF = imxsl + irt
		if irt != 0 {
			iwF++
		}
		if imxl > 100 || imnl < -99 {
			f.i.e = 2
		} else {
			f.i.e = 1
		}
		f.i.d = imxns - 1
		f.i.w = f.i.d + 4 + f.i.e
		if f.i.d > 0 {
			f.i.w++
		}
	}

	switch {
	case allReZero:
		f.r.e, f.r.d = 0, 0
		f.r.w = wF
		if iwF <= f.i.w+printScipen {
			f.i.e = 0
			f.i.d = irt
			f.i.w = iwF
		}
	case allImZero:
		if wF <= f.r.w+printScipen {
			f.r.e = 0
			f.r.d = rt
			f.r.w = wF
		}
		f.i.e, f.i.d = 0, 0
		f.i.w = iwF
	case wF+iwF < f.r.w+f.i.w+2*printScipen:
		f.r.e = 0
		f.r.d = rt
		f.r.w = wF
		f.i.e = 0
		f.i.d = irt
		f.i.w = iwF
	}
	if f.r.w < 0 {
		f.r.w = 0
	}
	if f.i.w < 0 {
		f.i.w = 0
	}
	if rnanflag && f.r.w < 3 {
		f.r.w = 3
	}
	if rposinf && f.r.w < 3 {
		f.r.w = 3
	}
	if rneginf && f.r.w < 4 {
		f.r.w = 4
	}
	if inanflag && f.i.w < 3 {
		f.i.w = 3
	}
	if iposinf && f.i.w < 3 {
		f.i.w = 3
	}
	return f
}

// encodeComplex mirrors encodeComplex() in R's printutils.c; wr is the
// field width given to the real part.
func encodeComplex(x complex128, wr int, f complexFmt) string {
	re, im := real(x), imag(x)
	if re == 0 {
		re = 0
	}
	if im == 0 {
		im = 0
	}
	y := zPrecR(complex(re, im), printDigits)
	rv := re
	if real(y) == 0 {
		rv = real(y)
	}
	rs := encodeReal(rv, wr, f.r.d, f.r.e)
	sign := "+"
	if im < 0 {
		sign = "-"
		im = -im
	}
	iv := im
	if imag(y) == 0 {
		iv = imag(y)
	}
	is := encodeReal(iv, f.i.w, f.i.d, f.i.e)
	return rs + sign + is + "i"
}

package mlx

// #include "bridge.h"
import "C"

func fftOp(name string, op int, x any, n []int, axis int) *Array {
	a := asArray(name, x)
	length := -1
	if len(n) > 1 {
		panic(errorf(name, "takes at most one length, got %d", len(n)))
	} else if len(n) == 1 {
		length = n[0]
	}
	if a.Ndim() == 0 {
		panic(errorf(name, "needs an array of at least 1 dimension, got shape []"))
	}
	if (op == 4 || op == 5) && a.Ndim() < 2 {
		panic(errorf(name, "needs an array of at least 2 dimensions, got shape %s", FormatShape(a.Shape())))
	}
	var out C.mlxg_arr
	err := C.mlxg_fft(C.int(op), a.h, C.int(length), C.int(axis), &out)
	return one(name, out, err, a)
}

// FFT returns the discrete Fourier transform of x along its last axis
// (complex64), optionally cropped or zero-padded to length n.
func FFT(x any, n ...int) *Array { return fftOp("FFT", 0, x, n, -1) }

// IFFT returns the inverse discrete Fourier transform of x along its last axis.
func IFFT(x any, n ...int) *Array { return fftOp("IFFT", 1, x, n, -1) }

// RFFT returns the Fourier transform of the real x along its last axis
// (n/2+1 complex64 values).
func RFFT(x any, n ...int) *Array { return fftOp("RFFT", 2, x, n, -1) }

// IRFFT inverts RFFT, returning real values along the last axis (n of them if given).
func IRFFT(x any, n ...int) *Array { return fftOp("IRFFT", 3, x, n, -1) }

// FFT2 returns the 2-D discrete Fourier transform over the last two axes.
func FFT2(x any) *Array { return fftOp("FFT2", 4, x, nil, -1) }

// IFFT2 returns the inverse 2-D discrete Fourier transform over the last two axes.
func IFFT2(x any) *Array { return fftOp("IFFT2", 5, x, nil, -1) }

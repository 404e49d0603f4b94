package mlx

// #include "bridge.h"
import "C"

import "fmt"

// Dtype is the element type of an array. It prints as MLX spells it
// (float32, int32, bool, ...).
type Dtype int

// The element types MLX supports.
const (
	Bool Dtype = iota
	Uint8
	Uint16
	Uint32
	Uint64
	Int8
	Int16
	Int32
	Int64
	Float16
	BFloat16
	Float32
	Float64
	Complex64
)

var dtypeNames = [...]string{"bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16",
	"int32", "int64", "float16", "bfloat16", "float32", "float64", "complex64"}

var dtypeSizes = [...]int{1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 2, 4, 8, 8}

// String returns MLX's name for the dtype, such as "float32".
func (d Dtype) String() string {
	if d < 0 || int(d) >= len(dtypeNames) {
		return fmt.Sprintf("Dtype(%d)", int(d))
	}
	return dtypeNames[d]
}

// Size returns the number of bytes of one element of this dtype.
func (d Dtype) Size() int {
	if d < 0 || int(d) >= len(dtypeSizes) {
		return 0
	}
	return dtypeSizes[d]
}

// IsFloat reports whether d is a real floating-point type.
func (d Dtype) IsFloat() bool { return d == Float16 || d == BFloat16 || d == Float32 || d == Float64 }

// IsInteger reports whether d is a signed or unsigned integer type.
func (d Dtype) IsInteger() bool { return d >= Uint8 && d <= Int64 }

// IsComplex reports whether d is a complex type.
func (d Dtype) IsComplex() bool { return d == Complex64 }

func (d Dtype) valid() bool { return d >= 0 && int(d) < len(dtypeNames) }

// Device is where MLX runs computations: the CPU or a GPU.
type Device int

// The two kinds of device.
const (
	CPU Device = iota
	GPU
)

// String returns "cpu" or "gpu".
func (d Device) String() string {
	if d == GPU {
		return "gpu"
	}
	return "cpu"
}

// DefaultDevice returns the device new arrays and ops use: the GPU when MLX
// was built with a GPU backend and one is available, else the CPU.
func DefaultDevice() Device { return Device(C.mlxg_default_device()) }

// SetDefaultDevice makes d the device for subsequent ops. Asking for the GPU on a
// machine without one panics with an *Error.
func SetDefaultDevice(d Device) {
	if d == GPU && !HasGPU() {
		panic(&Error{Op: "mlx.SetDefaultDevice", Msg: "no GPU is available (this MLX build has a CPU backend only)"})
	}
	if err := C.mlxg_set_default_device(C.int(d)); err != nil {
		panic(errorFrom("SetDefaultDevice", err))
	}
	state.setDevice(d)
}

// HasGPU reports whether MLX can run on a GPU here.
func HasGPU() bool { return C.mlxg_has_gpu() != 0 }

// Version returns the version of the MLX C++ library the package is linked with.
func Version() string { return C.GoString(C.mlxg_version()) }

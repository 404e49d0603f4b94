// Command rcheck writes the cases of the R comparison test
// (tests/test_r_format.py): arrays of every dtype and rank from a seeded
// generator, each printed with (*mlx.Array).String(), and the exact values
// R should print for it.
//
// Usage: go run ./internal/rformat/rcheck -n 700 -seed 1 -out DIR
//
// It writes DIR/cases.json, one object per case with the dtype, the shape,
// the R type and the Go text, and DIR/cases.txt, what the Rscript reads: per
// case a line "id rtype ndim dim..." and a line of values (%.17g for doubles
// as read back with Float64s, so float16/bfloat16/float32 rounding is
// already applied; integers for int32; TRUE/FALSE for bool; "re im" pairs
// for complex64). Values are written only for the arrays whose values
// String shows (at most 100 elements and 2 dimensions).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mlxgo/mlxgo/mlx"
)

// Case is one generated array as cases.json records it.
type Case struct {
	ID    int    `json:"id"`
	Dtype string `json:"dtype"`
	Shape []int  `json:"shape"`
	Size  int    `json:"size"`
	RType string `json:"rtype"` // double, integer, logical, complex
	Shown bool   `json:"shown"` // String shows the values; R prints them too
	Text  string `json:"text"`  // (*mlx.Array).String()
}

var dtypes = []mlx.Dtype{mlx.Float16, mlx.BFloat16, mlx.Float32, mlx.Float64,
	mlx.Int8, mlx.Int16, mlx.Int32, mlx.Int64, mlx.Uint8, mlx.Uint16, mlx.Uint32, mlx.Uint64,
	mlx.Bool, mlx.Complex64}

func main() {
	n := flag.Int("n", 700, "number of arrays")
	seed := flag.Uint64("seed", 1, "generator seed")
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	rng := rand.New(rand.NewPCG(*seed, 0x6d6c78676f))
	var cases []Case
	tf, err := os.Create(filepath.Join(*out, "cases.txt"))
	check(err)
	w := bufio.NewWriter(tf)
	for id := range *n {
		dt := dtypes[id%len(dtypes)]
		shape := genShape(rng)
		a := genArray(rng, dt, shape)
		c := Case{ID: id, Dtype: dt.String(), Shape: a.Shape(), Size: a.Size(), RType: rType(dt), Text: a.String()}
		c.Shown = c.Size <= 100 && len(c.Shape) <= 2
		if c.Shown {
			fields := []string{strconv.Itoa(id), c.RType, strconv.Itoa(len(c.Shape))}
			for _, d := range c.Shape {
				fields = append(fields, strconv.Itoa(d))
			}
			fmt.Fprintln(w, strings.Join(fields, " "))
			fmt.Fprintln(w, strings.Join(rValues(a), " "))
		}
		cases = append(cases, c)
	}
	check(w.Flush())
	check(tf.Close())
	js, err := json.MarshalIndent(cases, "", " ")
	check(err)
	check(os.WriteFile(filepath.Join(*out, "cases.json"), js, 0o644))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "rcheck:", err)
		os.Exit(1)
	}
}

// rType is the R type an array of dtype dt prints as.
func rType(dt mlx.Dtype) string {
	switch dt {
	case mlx.Bool:
		return "logical"
	case mlx.Int32:
		return "integer"
	case mlx.Complex64:
		return "complex"
	}
	return "double"
}

// genShape picks a rank from 0 to 3 and dimensions: mostly small enough for
// the values to be shown, sometimes zero-length, wide (column blocks, wrapped
// vectors) or over 100 elements.
func genShape(rng *rand.Rand) []int {
	switch r := rng.IntN(20); {
	case r < 2:
		return nil // 0-d
	case r < 9: // 1-d
		switch k := rng.IntN(10); {
		case k == 0:
			return []int{0}
		case k == 1:
			return []int{101 + rng.IntN(200)}
		case k < 5:
			return []int{20 + rng.IntN(81)} // wraps at width 80
		default:
			return []int{1 + rng.IntN(12)}
		}
	case r < 18: // 2-d
		switch k := rng.IntN(12); {
		case k == 0:
			return []int{0, rng.IntN(5)}
		case k == 1:
			return []int{1 + rng.IntN(4), 0}
		case k == 2:
			return []int{11 + rng.IntN(10), 11 + rng.IntN(10)} // over 100
		case k < 6:
			return []int{1 + rng.IntN(3), 10 + rng.IntN(25)} // wide: column blocks
		default:
			return []int{1 + rng.IntN(8), 1 + rng.IntN(8)}
		}
	default: // 3-d
		return []int{rng.IntN(4), 1 + rng.IntN(4), 1 + rng.IntN(4)}
	}
}

// style is how one array's values are drawn.
type style struct {
	exp, spread float64 // base decimal exponent, and the range of exponents around it
	neg         float64 // probability of a negative value
	special     float64 // probability of NaN, Inf or -Inf (floating and complex only)
	roundTo     int     // >= 0: round to this many decimals; -1: full precision
	zero        float64 // probability of an exact zero
}

func genStyle(rng *rand.Rand) style {
	s := style{exp: float64(rng.IntN(25) - 12), roundTo: -1}
	switch rng.IntN(3) {
	case 0:
		s.spread = 0.5 // narrow: about one magnitude
	case 1:
		s.spread = 1 + 3*rng.Float64()
	default:
		s.spread = 24 * rng.Float64() // wide: up to 1e-12..1e12
	}
	if rng.IntN(2) == 0 {
		s.neg = rng.Float64()
	}
	if rng.IntN(3) == 0 {
		s.special = 0.3 * rng.Float64()
	}
	if rng.IntN(3) == 0 {
		s.roundTo = rng.IntN(4)
	}
	if rng.IntN(4) == 0 {
		s.zero = 0.2
	}
	return s
}

// float draws one floating value in style s.
func (s style) float(rng *rand.Rand) float64 {
	if rng.Float64() < s.special {
		return []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[rng.IntN(3)]
	}
	if rng.Float64() < s.zero {
		return 0
	}
	e := s.exp + s.spread*(rng.Float64()-0.5)
	e = math.Max(-12, math.Min(12, e))
	v := math.Pow(10, e)
	if s.roundTo >= 0 {
		p := math.Pow(10, float64(s.roundTo))
		v = math.Round(v*p) / p
	}
	if rng.Float64() < s.neg {
		v = -v
	}
	return v
}

// intRange is the range of the integer dtypes, limited to +-1e12 (and
// int32's least value, R's NA_integer_, left out).
func intRange(dt mlx.Dtype) (lo, hi int64) {
	switch dt {
	case mlx.Int8:
		return math.MinInt8, math.MaxInt8
	case mlx.Int16:
		return math.MinInt16, math.MaxInt16
	case mlx.Int32:
		return math.MinInt32 + 1, math.MaxInt32
	case mlx.Uint8:
		return 0, math.MaxUint8
	case mlx.Uint16:
		return 0, math.MaxUint16
	case mlx.Uint32:
		return 0, math.MaxUint32
	case mlx.Uint64:
		return 0, 1e12
	}
	return -1e12, 1e12
}

// genArray builds an array of dtype dt and the given shape.
func genArray(rng *rand.Rand, dt mlx.Dtype, shape []int) *mlx.Array {
	size := 1
	for _, d := range shape {
		size *= d
	}
	s := genStyle(rng)
	var a *mlx.Array
	switch {
	case dt == mlx.Bool:
		p := rng.Float64()
		v := make([]bool, size)
		for i := range v {
			v[i] = rng.Float64() < p
		}
		a = mlx.FromSlice(v)
	case dt == mlx.Complex64:
		v := make([]complex64, size)
		for i := range v {
			v[i] = complex(float32(s.float(rng)), float32(s.float(rng)))
		}
		a = mlx.FromSlice(v)
	case dt.IsInteger():
		lo, hi := intRange(dt)
		maxExp := math.Log10(float64(hi))
		eHi := maxExp * rng.Float64() // this array's largest magnitude
		eLo := max(0, eHi-s.spread)
		v := make([]int64, size)
		for i := range v {
			x := int64(math.Pow(10, eLo+(eHi-eLo)*rng.Float64()))
			if rng.Float64() < s.zero {
				x = 0
			}
			if lo < 0 && rng.Float64() < s.neg {
				x = -x
			}
			v[i] = max(lo, min(hi, x))
		}
		a = mlx.FromSlice(v).AsType(dt)
	default:
		v := make([]float64, size)
		for i := range v {
			v[i] = s.float(rng)
		}
		a = mlx.FromSlice(v).AsType(dt)
	}
	return a.Reshape(shape...)
}

// rValues writes the values of a as R should read them.
func rValues(a *mlx.Array) []string {
	var out []string
	switch a.Dtype() {
	case mlx.Bool:
		for _, b := range a.Bools() {
			out = append(out, strings.ToUpper(strconv.FormatBool(b)))
		}
	case mlx.Int32:
		for _, x := range a.Int32s() {
			out = append(out, strconv.Itoa(int(x)))
		}
	case mlx.Complex64:
		for _, c := range a.Complex64s() {
			out = append(out, g17(float64(real(c))), g17(float64(imag(c))))
		}
	default:
		for _, x := range a.Float64s() {
			out = append(out, g17(x))
		}
	}
	return out
}

// g17 is %.17g with R's spelling of infinities.
func g17(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(x, 'g', 17, 64)
}

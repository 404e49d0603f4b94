package rformat

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestExamples(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"scalar", Doubles([]float64{8}, nil), "[1] 8\n"},
		{"scalar dims 0-d", Doubles([]float64{8}, []int{}), "[1] 8\n"},
		{"grad 2x1 halves", Doubles([]float64{-14.5, -34.5}, []int{2, 1}),
			"      [,1]\n" +
				"[1,] -14.5\n" +
				"[2,] -34.5\n"},
		{"grad 2x1 integers", Doubles([]float64{-12, -28}, []int{2, 1}),
			"     [,1]\n" +
				"[1,]  -12\n" +
				"[2,]  -28\n"},
		{"grad 2x2", Doubles([]float64{-4, 4, -4, 4}, []int{2, 2}),
			"     [,1] [,2]\n" +
				"[1,]   -4    4\n" +
				"[2,]   -4    4\n"},
		{"dnorm 13", Doubles([]float64{0.004431848, 0.017528297, 0.053990964, 0.129517585,
			0.241970733, 0.352065325, 0.398942292, 0.352065325, 0.241970733, 0.129517585,
			0.053990964, 0.017528297, 0.004431848}, []int{13}),
			" [1] 0.004431848 0.017528297 0.053990964 0.129517585 0.241970733 0.352065325\n" +
				" [7] 0.398942292 0.352065325 0.241970733 0.129517585 0.053990964 0.017528297\n" +
				"[13] 0.004431848\n"},
		{"bool", Logicals([]bool{true, true, false}, []int{3}), "[1]  TRUE  TRUE FALSE\n"},
		{"bool all true", Logicals([]bool{true, true}, nil), "[1] TRUE TRUE\n"},
		{"int 1:10", Integers([]int32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []int{10}),
			" [1]  1  2  3  4  5  6  7  8  9 10\n"},
		{"1x10 matrix", Doubles([]float64{1, 11, 21, 31, 41, 51, 61, 71, 81, 91}, []int{1, 10}),
			"     [,1] [,2] [,3] [,4] [,5] [,6] [,7] [,8] [,9] [,10]\n" +
				"[1,]    1   11   21   31   41   51   61   71   81    91\n"},
		// c(1, 2, 0.5, 0.25, 100, 2e6) filled by column into 2x3, given row-major.
		{"per-column formats", Doubles([]float64{1, 0.5, 100, 2, 0.25, 2e6}, []int{2, 3}),
			"     [,1] [,2]  [,3]\n" +
				"[1,]    1 0.50 1e+02\n" +
				"[2,]    2 0.25 2e+06\n"},
		{"float32 123456789", Doubles([]float64{float64(float32(123456789))}, nil), "[1] 123456792\n"},
		{"double 1e5", Doubles([]float64{100000}, nil), "[1] 1e+05\n"},
		{"int 1e5", Integers([]int32{100000}, nil), "[1] 100000\n"},
		{"sci exponents", Doubles([]float64{1.5e-12}, nil), "[1] 1.5e-12\n"},
		{"3-digit exponent", Doubles([]float64{1e100}, nil), "[1] 1e+100\n"},
		{"negative zero", Doubles([]float64{math.Copysign(0, -1)}, nil), "[1] 0\n"},
		{"specials", Doubles([]float64{nan, inf, -inf, 1.5}, nil), "[1]  NaN  Inf -Inf  1.5\n"},
		{"complex", Complexes([]complex128{10, -2 + 2i}, []int{2}), "[1] 10+0i -2+2i\n"},
		{"complex i", Complexes([]complex128{1i}, nil), "[1] 0+1i\n"},
		{"numeric(0)", Doubles(nil, nil), "numeric(0)\n"},
		{"integer(0)", Integers([]int32{}, []int{0}), "integer(0)\n"},
		{"logical(0)", Logicals(nil, nil), "logical(0)\n"},
		{"complex(0)", Complexes(nil, nil), "complex(0)\n"},
		{"0x3", Doubles(nil, []int{0, 3}), "     [,1] [,2] [,3]\n"},
		{"3x0", Doubles(nil, []int{3, 0}), "    \n[1,]\n[2,]\n[3,]\n"},
		{"0x0", Doubles(nil, []int{0, 0}), "<0 x 0 matrix>\n"},
		{"9 rows pad label", Integers([]int32{1, 2, 3, 4, 5, 6, 7, 8, 9}, []int{9, 1}),
			"      [,1]\n [1,]    1\n [2,]    2\n [3,]    3\n [4,]    4\n [5,]    5\n" +
				" [6,]    6\n [7,]    7\n [8,]    8\n [9,]    9\n"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", tc.name, tc.got, tc.want)
		}
	}
}

// golden is one testdata case: the input and R's print() output.
type golden struct {
	typ    string
	dims   []int
	values []string
	want   string
}

func readGolden(t *testing.T, path string) golden {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var g golden
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var out strings.Builder
	inOutput := false
	for sc.Scan() {
		line := sc.Text()
		if inOutput {
			out.WriteString(line + "\n")
			continue
		}
		key, val, _ := strings.Cut(line, ":")
		val = strings.TrimSpace(val)
		switch {
		case line == "--- R output ---":
			inOutput = true
		case key == "type":
			g.typ = val
		case key == "dims":
			for _, s := range strings.Fields(val) {
				n, err := strconv.Atoi(s)
				if err != nil {
					t.Fatalf("%s: bad dims %q", path, val)
				}
				g.dims = append(g.dims, n)
			}
		case key == "values":
			g.values = strings.Fields(val)
		default:
			t.Fatalf("%s: unexpected line %q", path, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	g.want = out.String()
	return g
}

func parseFloats(t *testing.T, vals []string) []float64 {
	t.Helper()
	out := make([]float64, len(vals))
	for i, s := range vals {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = v
	}
	return out
}

// TestGolden checks the output against R 4.2.2's print() recorded in
// testdata/*.txt (values are written with %.17g, matrices row-major).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden files")
	}
	for _, path := range files {
		g := readGolden(t, path)
		var got string
		switch g.typ {
		case "double":
			got = Doubles(parseFloats(t, g.values), g.dims)
		case "integer":
			v := make([]int32, len(g.values))
			for i, s := range g.values {
				n, err := strconv.ParseInt(s, 10, 32)
				if err != nil {
					t.Fatal(err)
				}
				v[i] = int32(n)
			}
			got = Integers(v, g.dims)
		case "logical":
			v := make([]bool, len(g.values))
			for i, s := range g.values {
				v[i] = s == "TRUE"
			}
			got = Logicals(v, g.dims)
		case "complex":
			p := parseFloats(t, g.values)
			v := make([]complex128, len(p)/2)
			for i := range v {
				v[i] = complex(p[2*i], p[2*i+1])
			}
			got = Complexes(v, g.dims)
		default:
			t.Fatalf("%s: unknown type %q", path, g.typ)
		}
		if got != g.want {
			t.Errorf("%s:\n got:\n%s\nwant (R):\n%s", path, got, g.want)
		}
	}
}

func TestMaxPrint(t *testing.T) {
	x := make([]float64, 100001)
	for i := range x {
		x[i] = float64(i) + 0.5
	}
	got := Doubles(x, nil)
	if !strings.HasSuffix(got, "[99991] 99990.5 99991.5 99992.5 99993.5 99994.5 99995.5 99996.5 99997.5 99998.5\n"+
		" [ reached getOption(\"max.print\") -- omitted 2 entries ]\n") {
		t.Errorf("vector max.print tail wrong:\n%s", got[len(got)-200:])
	}
	got = Doubles(x, []int{100001, 1})
	if !strings.HasSuffix(got, " [99999,]  99998.5\n [ reached getOption(\"max.print\") -- omitted 2 rows ]\n") {
		t.Errorf("matrix max.print tail wrong:\n%s", got[len(got)-200:])
	}
}

func BenchmarkDoubles100(b *testing.B) {
	x := make([]float64, 100)
	for i := range x {
		x[i] = float64(float32(math.Sin(float64(i)) * 1000))
	}
	for b.Loop() {
		Doubles(x, []int{10, 10})
	}
}

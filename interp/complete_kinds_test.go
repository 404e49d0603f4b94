package interp

import "testing"

// Completions carry their kinds.
func TestCompleteKinds(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, "import (\n\t\"math\"\n\t\"os\"\n)")
	mustRun(t, s, "type Shape struct{ W, H float64 }\nfunc (s Shape) Area() float64 { return s.W * s.H }\nfunc shapeOf(w float64) Shape { return Shape{w, w} }\nshapeVal := Shape{1, 2}\nsq := func(x int) int { return x * x }\narr := mlx.Ones(2)")
	for _, c := range []struct {
		code string
		want map[string]string
	}{
		{"sha", map[string]string{"shapeOf": "function", "shapeVal": "variable"}},
		{"Sha", map[string]string{"Shape": "type"}},
		{"ma", map[string]string{"make": "function", "map": "keyword", "math": "module", "max": "function"}},
		{"tr", map[string]string{"true": "constant"}},
		{"flo", map[string]string{"float32": "type", "float64": "type"}},
		{"sq", map[string]string{"sq": "function"}},
		{"math.P", map[string]string{"Pi": "constant", "Pow": "function", "Pow10": "function"}},
		{"os.Std", map[string]string{"Stderr": "variable", "Stdin": "variable", "Stdout": "variable"}},
		{"os.Fil", map[string]string{"File": "type", "FileInfo": "type", "FileMode": "type"}},
		{"shapeVal.", map[string]string{"Area": "method", "H": "field", "W": "field"}},
		{"shapeOf(2).", map[string]string{"Area": "method", "H": "field", "W": "field"}},
		{"arr.Resh", map[string]string{"Reshape": "method"}},
		{"mlx.Zeros", map[string]string{"Zeros": "function", "ZerosLike": "function"}},
	} {
		matches, kinds, _, _ := s.CompleteKinds(c.code, len([]rune(c.code)))
		got := map[string]string{}
		for i, m := range matches {
			got[m] = kinds[i]
		}
		for name, kind := range c.want {
			if got[name] != kind {
				t.Errorf("%q: %s is %q, want %q (all: %v)", c.code, name, got[name], kind, got)
			}
		}
	}
}

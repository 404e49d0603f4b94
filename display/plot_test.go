package display

import (
	"image"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"

	"github.com/mlxgo/mlxgo/mlx"
)

// checkPlot checks a plot bundle's MIME keys, text, SVG and PNG (size as
// stated and as asked, not blank) and returns the PNG image.
func checkPlot(t *testing.T, b Bundle, text string, w, h int) image.Image {
	t.Helper()
	if got := keys(b); !slices.Equal(got, []string{MIMEPNG, MIMESVG, MIMEText}) {
		t.Errorf("plot keys %v", got)
	}
	if got := b.Text(); got != text {
		t.Errorf("plot text %q, want %q", got, text)
	}
	if svg, _ := b.Data[MIMESVG].(string); !strings.Contains(svg, "<svg") || !strings.Contains(svg, "</svg>") {
		t.Errorf("image/svg+xml is not an SVG document: %.100q", svg)
	}
	img := decodeImage(t, b, MIMEPNG)
	if got := img.Bounds().Size(); got != image.Pt(w, h) {
		t.Errorf("PNG size %v, want %dx%d", got, w, h)
	}
	return img
}

func TestLinePlot(t *testing.T) {
	x := mlx.Linspace(0, 10, 50)
	y := mlx.Sin(x)
	b := LineBundle(x, y, Title("sin"), XLabel("x"), YLabel("sin(x)"))
	checkPlot(t, b, "<plot: sin>", plotWidth, plotHeight)
	svg := b.Data[MIMESVG].(string)
	for _, s := range []string{"sin(x)", ">sin<"} {
		if !strings.Contains(svg, s) {
			t.Errorf("SVG lacks %q", s)
		}
	}
	// Go slices, no x, another size.
	b = LineBundle(nil, []float32{3, 1, 2, 0.5}, Size(300, 200))
	checkPlot(t, b, "<plot: line plot>", 300, 200)
}

func TestScatterHistHeatmap(t *testing.T) {
	b := ScatterBundle([]int{1, 2, 3, 4}, []float64{2, 4, 1, 3}, Title("points"))
	checkPlot(t, b, "<plot: points>", plotWidth, plotHeight)

	mlx.Seed(1)
	b = HistBundle(mlx.RandomNormal(1000), 20, Title("normal"), XLabel("value"))
	checkPlot(t, b, "<plot: normal>", plotWidth, plotHeight)
	b = HistBundle([]float64{1, 1, 2, 3, 3, 3}, 3)
	checkPlot(t, b, "<plot: histogram>", plotWidth, plotHeight)

	m := mlx.Arange(0.0, 12.0).Reshape(3, 4)
	b = HeatmapBundle(m, Title("m"), Size(400, 300))
	img := checkPlot(t, b, "<plot: m>", 400, 300)
	// Row 0 (small values) is drawn at the top, row 2 (large) at the
	// bottom: the palette runs dark to light, so the top is darker.
	lum := func(x, y int) uint32 { r, g, bl, _ := img.At(x, y).RGBA(); return r + g + bl }
	if top, bottom := lum(200, 80), lum(200, 230); top >= bottom {
		t.Errorf("heatmap: top luminance %d not below bottom %d", top, bottom)
	}
	b = HeatmapBundle([][]int{{1, 2}, {3, 4}, {5, 6}})
	checkPlot(t, b, "<plot: heatmap>", plotWidth, plotHeight)
	checkPlot(t, HeatmapBundle([][]float64{{7}}), "<plot: heatmap>", plotWidth, plotHeight) // constant
}

func TestPlotPublish(t *testing.T) {
	b := published(t, func() { Line(nil, []float64{1, 2, 4}, Title("loss")) })
	checkPlot(t, b, "<plot: loss>", plotWidth, plotHeight)
	SetPublisher(nil)
	Line(nil, "not data") // outside a kernel nothing is drawn or checked
}

func TestPlotBadData(t *testing.T) {
	cases := map[string]func(){
		"x has 2 values, y has 3": func() { LineBundle([]float64{1, 2}, []float64{1, 2, 3}) },
		"want an *mlx.Array":      func() { ScatterBundle(nil, "abc") },
		"0 bins":                  func() { HistBundle([]float64{1}, 0) },
		"want a non-empty 2-D":    func() { HeatmapBundle([]float64{1, 2}) },
		"ragged":                  func() { HeatmapBundle([][]float64{{1, 2}, {3}}) },
		"complex64":               func() { LineBundle(nil, mlx.FromSlice([]complex64{1})) },
		"NaN":                     func() { LineBundle(nil, []float64{1, math.NaN()}) },
	}
	for want, f := range cases {
		func() {
			defer func() {
				p := recover()
				err, ok := p.(error)
				if !ok || !strings.Contains(err.Error(), want) {
					t.Errorf("panic %v, want an error containing %q", p, want)
				}
			}()
			f()
		}()
	}
}

func TestLineThin(t *testing.T) {
	n := 100000
	y := make([]float64, n)
	for i := range y {
		y[i] = math.Sin(float64(i) / 1000)
	}
	y[54321] = 5 // a spike thinning must keep
	xys := pairs("Line", nil, y)
	th := thin(xys, plotWidth/2)
	if len(th) > 4*plotWidth/2 || len(th) < plotWidth/2 {
		t.Errorf("thin kept %d of %d points", len(th), n)
	}
	if th[0] != xys[0] || th[len(th)-1] != xys[n-1] {
		t.Errorf("thin dropped an end point")
	}
	if !slices.ContainsFunc(th, func(p plotter.XY) bool { return p.Y == 5 }) {
		t.Errorf("thin dropped the spike")
	}
	if !slices.IsSortedFunc(th, func(a, b plotter.XY) int { return int(a.X - b.X) }) {
		t.Errorf("thin reordered points")
	}
	small := xys[:100]
	if got := thin(small, plotWidth/2); len(got) != 100 {
		t.Errorf("thin changed a short line")
	}
	checkPlot(t, LineBundle(nil, y), "<plot: line plot>", plotWidth, plotHeight)
}

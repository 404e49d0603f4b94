package display

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"reflect"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/mlxgo/mlxgo/mlx"
)

// Plots: [Line], [Scatter], [Hist] and [Heatmap] draw with gonum.org/v1/plot
// and show the figure inline as PNG, with an SVG alternative (image/svg+xml,
// left out when over 2 MiB) and "<plot: title>" as text/plain. Data may be an *mlx.Array or a Go slice
// of numbers (nested slices for Heatmap). The ...Bundle variants return the
// bundle instead of showing it.

// PlotOption sets a property of a plot: [Title], [XLabel], [YLabel], [Size].
type PlotOption func(*plotConfig)

type plotConfig struct {
	title, xlabel, ylabel string
	width, height         int // pixels
}

// Title sets the plot's title (also its text/plain form, "<plot: title>").
func Title(s string) PlotOption { return func(c *plotConfig) { c.title = s } }

// XLabel sets the label of the x axis.
func XLabel(s string) PlotOption { return func(c *plotConfig) { c.xlabel = s } }

// YLabel sets the label of the y axis.
func YLabel(s string) PlotOption { return func(c *plotConfig) { c.ylabel = s } }

// Size sets the size of the PNG image in pixels (default 640 x 420; the SVG
// has the same size at 96 pixels per inch). Sizes below 1 are ignored.
func Size(width, height int) PlotOption {
	return func(c *plotConfig) {
		if width > 0 && height > 0 {
			c.width, c.height = width, height
		}
	}
}

// Default plot size in pixels.
const (
	plotWidth  = 640
	plotHeight = 420
)

// maxSVG is the largest SVG a plot bundle carries: a line or scatter plot of
// very many points has a large SVG, and then only the PNG is sent.
const maxSVG = 2 << 20

// Line shows a line plot of y against x. x may be nil for 0, 1, 2, ...;
// otherwise it must have y's length. Outside a kernel it does nothing.
// Data with NaN or infinite values panics, as does a length mismatch.
func Line(x, y any, opts ...PlotOption) {
	publish(func() Bundle { return LineBundle(x, y, opts...) }, "", false)
}

// Scatter shows the points (x[i], y[i]) as a scatter plot; x may be nil as
// for [Line]. Outside a kernel it does nothing.
func Scatter(x, y any, opts ...PlotOption) {
	publish(func() Bundle { return ScatterBundle(x, y, opts...) }, "", false)
}

// Hist shows a histogram of values with the given number of bins (at least
// 1). Outside a kernel it does nothing.
func Hist(values any, bins int, opts ...PlotOption) {
	publish(func() Bundle { return HistBundle(values, bins, opts...) }, "", false)
}

// Heatmap shows the 2-D array m (an *mlx.Array or a [][]T of numbers) as a
// heat map, row 0 at the top as in a printed matrix; x is the column index,
// y the row index. Outside a kernel it does nothing.
func Heatmap(m any, opts ...PlotOption) {
	publish(func() Bundle { return HeatmapBundle(m, opts...) }, "", false)
}

// LineBundle is the bundle [Line] shows.
func LineBundle(x, y any, opts ...PlotOption) Bundle {
	xys := pairs("Line", x, y)
	return plotBundle("line plot", opts, func(p *plot.Plot) error {
		l, err := plotter.NewLine(thin(xys, plotWidth/2))
		if err != nil {
			return err
		}
		l.Color = color.RGBA{31, 119, 180, 255}
		l.Width = vg.Points(1.5)
		p.Add(l, plotter.NewGrid())
		return nil
	})
}

// ScatterBundle is the bundle [Scatter] shows.
func ScatterBundle(x, y any, opts ...PlotOption) Bundle {
	xys := pairs("Scatter", x, y)
	return plotBundle("scatter plot", opts, func(p *plot.Plot) error {
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return err
		}
		s.Color = color.RGBA{31, 119, 180, 255}
		s.Radius = vg.Points(2.5)
		p.Add(s, plotter.NewGrid())
		return nil
	})
}

// HistBundle is the bundle [Hist] shows.
func HistBundle(values any, bins int, opts ...PlotOption) Bundle {
	v, _ := floats("Hist", values)
	if bins < 1 {
		panic(fmt.Errorf("display.Hist: %d bins; want at least 1", bins))
	}
	return plotBundle("histogram", opts, func(p *plot.Plot) error {
		h, err := plotter.NewHist(plotter.Values(v), bins)
		if err != nil {
			return err
		}
		h.FillColor = color.RGBA{31, 119, 180, 200}
		p.Add(h)
		return nil
	})
}

// HeatmapBundle is the bundle [Heatmap] shows.
func HeatmapBundle(m any, opts ...PlotOption) Bundle {
	v, shape := floats("Heatmap", m)
	if len(shape) != 2 || shape[0] == 0 || shape[1] == 0 {
		panic(fmt.Errorf("display.Heatmap: want a non-empty 2-D array, got shape %s", mlx.FormatShape(shape)))
	}
	g := grid{v: v, rows: shape[0], cols: shape[1]}
	return plotBundle("heatmap", opts, func(p *plot.Plot) error {
		for _, z := range v {
			if math.IsNaN(z) || math.IsInf(z, 0) {
				return fmt.Errorf("NaN or infinite value")
			}
		}
		cm := moreland.ExtendedKindlmann()
		lo, hi := minMax(v)
		if lo == hi {
			hi = lo + 1
		}
		cm.SetMin(lo)
		cm.SetMax(hi)
		h := plotter.NewHeatMap(g, cm.Palette(255))
		h.Min, h.Max = lo, hi
		h.Rasterized = len(v) > 1024 // the SVG holds one image, not a rectangle per cell
		p.Add(h)
		p.Y.Scale = plot.InvertedScale{Normalizer: p.Y.Scale}
		p.X.Tick.Marker, p.Y.Tick.Marker = indexTicks{}, indexTicks{}
		return nil
	})
}

// indexTicks labels a heat map's axis at whole row or column indexes, at
// most about ten of them.
type indexTicks struct{}

// Ticks implements plot.Ticker.
func (indexTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := math.Ceil(lo), math.Floor(hi)
	step := max(1, math.Ceil((last-first+1)/10))
	var ts []plot.Tick
	for v := first; v <= last; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprint(int(v))})
	}
	return ts
}

// grid is a row-major matrix as plotter.GridXYZ: column c at x = c, row r
// at y = r (the y axis is inverted so that row 0 is at the top).
type grid struct {
	v          []float64
	rows, cols int
}

func (g grid) Dims() (c, r int)   { return g.cols, g.rows }
func (g grid) Z(c, r int) float64 { return g.v[r*g.cols+c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }
func minMax(v []float64) (lo, hi float64) {
	lo, hi = v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}

// plotBundle makes a plot with the options, lets add draw into it and
// renders the PNG and SVG bundle. what names the plot in text/plain when
// it has no title. Errors from gonum/plot panic.
func plotBundle(what string, opts []PlotOption, add func(*plot.Plot) error) Bundle {
	c := plotConfig{width: plotWidth, height: plotHeight}
	for _, o := range opts {
		o(&c)
	}
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = c.title, c.xlabel, c.ylabel
	if err := add(p); err != nil {
		panic(fmt.Errorf("display: %s: %w", what, err))
	}
	// 96 pixels per inch (vgimg's default), 72 points per inch.
	w, h := vg.Length(c.width)*vg.Inch/96, vg.Length(c.height)*vg.Inch/96
	render := func(format string) []byte {
		wt, err := p.WriterTo(w, h, format)
		if err != nil {
			panic(fmt.Errorf("display: %s: %w", what, err))
		}
		var buf bytes.Buffer
		if _, err := wt.WriteTo(&buf); err != nil {
			panic(fmt.Errorf("display: %s: %w", what, err))
		}
		return buf.Bytes()
	}
	b := imageBundle(MIMEPNG, render("png"))
	if svg := render("svg"); len(svg) <= maxSVG {
		b.Data[MIMESVG] = string(svg)
	}
	name := c.title
	if name == "" {
		name = what
	}
	b.Data[MIMEText] = "<plot: " + name + ">"
	return b
}

// thin keeps at most about 4*buckets of a long line's points, for speed
// (gonum/plot strokes a line of 10,000 points in seconds): the points are
// cut into buckets of consecutive indexes, and each keeps its first, last,
// lowest and highest point (the M4 method), so that a line with sorted x
// drawn at about the plot's width looks the same.
func thin(xys plotter.XYs, buckets int) plotter.XYs {
	n := len(xys)
	if n <= 4*buckets {
		return xys
	}
	out := make(plotter.XYs, 0, 4*buckets)
	for b := range buckets {
		lo, hi := b*n/buckets, (b+1)*n/buckets
		imin, imax := lo, lo
		for i := lo; i < hi; i++ {
			if xys[i].Y < xys[imin].Y {
				imin = i
			}
			if xys[i].Y > xys[imax].Y {
				imax = i
			}
		}
		keep := []int{lo, imin, imax, hi - 1}
		slices.Sort(keep)
		for j, i := range keep {
			if j == 0 || i != keep[j-1] {
				out = append(out, xys[i])
			}
		}
	}
	return out
}

// pairs makes the points of Line and Scatter; x nil means 0, 1, 2, ...
func pairs(op string, x, y any) plotter.XYs {
	ys, _ := floats(op, y)
	var xs []float64
	if x == nil {
		xs = make([]float64, len(ys))
		for i := range xs {
			xs[i] = float64(i)
		}
	} else if xs, _ = floats(op, x); len(xs) != len(ys) {
		panic(fmt.Errorf("display.%s: x has %d values, y has %d", op, len(xs), len(ys)))
	}
	xys := make(plotter.XYs, len(ys))
	for i := range ys {
		xys[i].X, xys[i].Y = xs[i], ys[i]
	}
	return xys
}

// floats reads plot data: an *mlx.Array (any dtype but complex, read as
// float64), or a Go slice, array or nested slices of numbers; it returns
// the values in row-major order and the shape.
func floats(op string, v any) ([]float64, []int) {
	if a, ok := v.(*mlx.Array); ok {
		if a == nil {
			panic(fmt.Errorf("display.%s: nil array", op))
		}
		if a.Dtype() == mlx.Complex64 {
			panic(fmt.Errorf("display.%s: cannot plot a complex64 array", op))
		}
		return a.Float64s(), a.Shape()
	}
	var out []float64
	var shape []int
	var walk func(rv reflect.Value, depth int)
	walk = func(rv reflect.Value, depth int) {
		switch rv.Kind() {
		case reflect.Slice, reflect.Array:
			if depth == len(shape) {
				shape = append(shape, rv.Len())
			} else if depth > len(shape) || shape[depth] != rv.Len() {
				panic(fmt.Errorf("display.%s: ragged nested slices", op))
			}
			for i := range rv.Len() {
				walk(rv.Index(i), depth+1)
			}
		case reflect.Float32, reflect.Float64:
			out = append(out, rv.Float())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			out = append(out, float64(rv.Int()))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			out = append(out, float64(rv.Uint()))
		case reflect.Interface, reflect.Pointer:
			if !rv.IsNil() {
				walk(rv.Elem(), depth)
				return
			}
			fallthrough
		default:
			panic(fmt.Errorf("display.%s: want an *mlx.Array or a slice of numbers, got %T", op, v))
		}
	}
	rv := reflect.ValueOf(v)
	if k := rv.Kind(); k != reflect.Slice && k != reflect.Array {
		panic(fmt.Errorf("display.%s: want an *mlx.Array or a slice of numbers, got %T", op, v))
	}
	walk(rv, 0)
	return out, shape
}

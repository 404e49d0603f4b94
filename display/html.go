package display

import (
	"html"
	"strconv"
	"strings"

	"github.com/mlxgo/mlxgo/internal/rformat"
	"github.com/mlxgo/mlxgo/mlx"
)

// Layout of the HTML table of an array.
const (
	shownLimit = 100 // Rmlx prints the values of arrays of at most this many elements and 2 dims
	edgeItems  = 5   // rows or columns shown at each end of a cut matrix axis
	vecPerRow  = 10  // elements in each of the two rows shown for a long vector
	edgeSlices = 2   // 2-D slices shown at each end of the leading axes
)

// Ellipsis cells marking values left out.
const (
	hEllipsis = "…" // columns left out
	vEllipsis = "⋮" // rows or slices left out
	dEllipsis = "⋱" // where a left-out row crosses a left-out column
)

// Inline styles. Colours and fonts come only from JupyterLab's CSS
// variables, so tables follow the light and dark themes; inline style
// attributes (not a <style> element) survive JupyterLab's sanitizer.
const (
	fontStyle  = "font-family:var(--jp-code-font-family);color:var(--jp-ui-font-color1)"
	boxStyle   = fontStyle
	preStyle   = "margin:0;padding:0;" + fontStyle
	tagStyle   = "margin:0.6em 0 0 0;padding:0;" + fontStyle
	tableStyle = "border-collapse:collapse;table-layout:auto;margin:0.3em 0 0.6em 0;" + fontStyle
	cellStyle  = "padding:1px 6px;border:1px solid var(--jp-border-color2);text-align:"
	tdStyle    = cellStyle + "right"
	thStyle    = tdStyle + ";font-weight:normal;background:var(--jp-layout-color2)"
	gapTdStyle = cellStyle + "center"
	gapThStyle = gapTdStyle + ";font-weight:normal;background:var(--jp-layout-color2)"
)

// rkind is the R type an MLX dtype prints as (see Rmlx's print method):
// it decides how values are formatted.
type rkind uint8

const (
	rDouble  rkind = iota // floats, int8/16/64, unsigned ints
	rInteger              // int32: never scientific
	rLogical              // bool: TRUE/FALSE
	rComplex              // complex64
)

// rkindOf maps a dtype to the R type its values print as, as
// (*mlx.Array).String does.
func rkindOf(dt mlx.Dtype) rkind {
	switch dt {
	case mlx.Bool:
		return rLogical
	case mlx.Int32:
		return rInteger
	case mlx.Complex64:
		return rComplex
	}
	return rDouble
}

// rvals holds values read from an array, in the Go type of their R kind.
type rvals struct {
	kind rkind
	f    []float64
	i    []int32
	b    []bool
	c    []complex128
}

// readVals evaluates a and reads all its elements (row-major).
func readVals(a *mlx.Array, k rkind) rvals {
	v := rvals{kind: k}
	switch k {
	case rLogical:
		v.b = a.Bools()
	case rInteger:
		v.i = a.Int32s()
	case rComplex:
		c := a.Complex64s()
		v.c = make([]complex128, len(c))
		for j, x := range c {
			v.c[j] = complex128(x)
		}
	default:
		v.f = a.Float64s()
	}
	return v
}

func (v rvals) len() int {
	switch v.kind {
	case rLogical:
		return len(v.b)
	case rInteger:
		return len(v.i)
	case rComplex:
		return len(v.c)
	}
	return len(v.f)
}

// add appends w's values to v (of the same kind).
func (v *rvals) add(w rvals) {
	v.f = append(v.f, w.f...)
	v.i = append(v.i, w.i...)
	v.b = append(v.b, w.b...)
	v.c = append(v.c, w.c...)
}

// pick returns the values at idx, in that order.
func (v rvals) pick(idx []int) rvals {
	out := rvals{kind: v.kind}
	switch v.kind {
	case rLogical:
		out.b = make([]bool, len(idx))
		for j, k := range idx {
			out.b[j] = v.b[k]
		}
	case rInteger:
		out.i = make([]int32, len(idx))
		for j, k := range idx {
			out.i[j] = v.i[k]
		}
	case rComplex:
		out.c = make([]complex128, len(idx))
		for j, k := range idx {
			out.c[j] = v.c[k]
		}
	default:
		out.f = make([]float64, len(idx))
		for j, k := range idx {
			out.f[j] = v.f[k]
		}
	}
	return out
}

// vectorLines prints v as base R prints a vector (one shared format, lines
// wrapped at width 80) and returns each line's "[k]" label and its values,
// without padding. Values never contain spaces, so fields split them.
func (v rvals) vectorLines() (labels []string, rows [][]string) {
	if v.len() == 0 {
		return nil, nil
	}
	var s string
	switch v.kind {
	case rLogical:
		s = rformat.Logicals(v.b, nil)
	case rInteger:
		s = rformat.Integers(v.i, nil)
	case rComplex:
		s = rformat.Complexes(v.c, nil)
	default:
		s = rformat.Doubles(v.f, nil)
	}
	for line := range strings.SplitSeq(s, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		labels = append(labels, f[0])
		rows = append(rows, f[1:])
	}
	return labels, rows
}

// cells formats v as one R vector (as a matrix column is formatted) and
// returns the values without padding.
func (v rvals) cells() []string {
	_, rows := v.vectorLines()
	out := make([]string, 0, v.len())
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// span is the index range [lo, hi) of an axis.
type span struct{ lo, hi int }

func (s span) n() int { return s.hi - s.lo }

// spans returns the parts of an axis of length n to show: all of it, or
// edge indices at each end when cut is set and the axis is longer than 2*edge.
func spans(n, edge int, cut bool) []span {
	if cut && n > 2*edge {
		return []span{{0, edge}, {n - edge, n}}
	}
	return []span{{0, n}}
}

func spansLen(ss []span) int {
	n := 0
	for _, s := range ss {
		n += s.n()
	}
	return n
}

// readPlane reads the shown part of one 2-D plane of a: the plane at the
// leading indices lead (all of a when lead is empty), rows rs and columns
// cs. Each block is cut out with mlx.Slice before it is read, so nothing
// else is copied or formatted. The result is row-major over the shown rows
// and columns. whole says a itself is exactly what is shown (read as is).
func readPlane(a *mlx.Array, k rkind, lead []int, rs, cs []span, whole bool) rvals {
	if whole {
		return readVals(a, k)
	}
	nr, nc := spansLen(rs), spansLen(cs)
	all := rvals{kind: k}
	perm := make([]int, nr*nc)
	start := make([]int, len(lead)+2)
	stop := make([]int, len(lead)+2)
	for d, i := range lead {
		start[d], stop[d] = i, i+1
	}
	ro := 0
	for _, r := range rs {
		co := 0
		for _, c := range cs {
			start[len(lead)], stop[len(lead)] = r.lo, r.hi
			start[len(lead)+1], stop[len(lead)+1] = c.lo, c.hi
			off := all.len()
			all.add(readVals(mlx.Slice(a, start, stop), k))
			for i := range r.n() {
				for j := range c.n() {
					perm[(ro+i)*nc+co+j] = off + i*c.n() + j
				}
			}
			co += c.n()
		}
		ro += r.n()
	}
	return all.pick(perm)
}

// tableRow is one row of a table: its header cell and its values.
type tableRow struct {
	label string
	cells []string
}

// table is an array's values laid out as R labels them.
type table struct {
	head []string // column headers after the row-label column; nil: no header row
	rows []tableRow
}

// planeTable lays out the values v (row-major over the shown rows rs and
// columns cs) as an R matrix: [,j] and [i,] labels, each column formatted
// on its own as R does, ellipses where rows or columns are left out.
func planeTable(v rvals, rs, cs []span) table {
	nr, nc := spansLen(rs), spansLen(cs)
	cols := make([][]string, nc)
	idx := make([]int, nr)
	for j := range nc {
		for i := range nr {
			idx[i] = i*nc + j
		}
		cols[j] = v.pick(idx).cells()
	}
	var t table
	for ci, c := range cs {
		if ci > 0 {
			t.head = append(t.head, hEllipsis)
		}
		for j := c.lo; j < c.hi; j++ {
			t.head = append(t.head, "[,"+strconv.Itoa(j+1)+"]")
		}
	}
	i := 0 // shown row
	for ri, r := range rs {
		if ri > 0 {
			gap := tableRow{label: vEllipsis}
			for ci, c := range cs {
				if ci > 0 {
					gap.cells = append(gap.cells, dEllipsis)
				}
				for range c.n() {
					gap.cells = append(gap.cells, vEllipsis)
				}
			}
			t.rows = append(t.rows, gap)
		}
		for row := r.lo; row < r.hi; row++ {
			tr := tableRow{label: "[" + strconv.Itoa(row+1) + ",]"}
			j := 0 // shown column
			for ci, c := range cs {
				if ci > 0 {
					tr.cells = append(tr.cells, hEllipsis)
				}
				for range c.n() {
					tr.cells = append(tr.cells, cols[j][i])
					j++
				}
			}
			t.rows = append(t.rows, tr)
			i++
		}
	}
	return t
}

// vectorTable lays out a 0-d or 1-d array of n elements as R prints a
// vector: the lines of R's own output, each headed by its [k] label. A
// long vector (not small) shows its first and last vecPerRow elements,
// formatted together, in two rows.
func vectorTable(a *mlx.Array, k rkind, n int, small bool) table {
	var t table
	if small {
		labels, rows := readVals(a, k).vectorLines()
		for i, l := range labels {
			t.rows = append(t.rows, tableRow{label: l, cells: rows[i]})
		}
		return t
	}
	v := readVals(mlx.Slice(a, []int{0}, []int{vecPerRow}), k)
	v.add(readVals(mlx.Slice(a, []int{n - vecPerRow}, []int{n}), k))
	c := v.cells()
	t.rows = []tableRow{
		{label: "[1]", cells: c[:vecPerRow]},
		{label: vEllipsis},
		{label: "[" + strconv.Itoa(n-vecPerRow+1) + "]", cells: c[vecPerRow:]},
	}
	return t
}

// writeArrayHTML writes the text/html of one array: its header lines as in
// String(), then its values as a table (see Of).
func writeArrayHTML(b *strings.Builder, a *mlx.Array) {
	if a == nil {
		writePre(b, preStyle, a.String())
		return
	}
	if a.IsTraced() {
		writePre(b, preStyle, a.String())
		return
	}
	shape := a.Shape()
	size := a.Size()
	k := rkindOf(a.Dtype())
	head := strings.TrimSuffix(a.Header(), "\n")
	if size == 0 {
		head += "\n  (empty)"
	}
	b.WriteString(`<div style="` + boxStyle + `">` + "\n")
	writePre(b, preStyle, head)
	if size > 0 {
		small := size <= shownLimit && len(shape) <= 2
		switch len(shape) {
		case 0, 1:
			writeTable(b, vectorTable(a, k, size, small))
		case 2:
			rs := spans(shape[0], edgeItems, !small)
			cs := spans(shape[1], edgeItems, !small)
			writeTable(b, planeTable(readPlane(a, k, nil, rs, cs, small), rs, cs))
		default:
			writeSlices(b, a, k, shape)
		}
	}
	b.WriteString("</div>\n")
}

// writeSlices writes an array of 3 or more dimensions as its 2-D slices
// over the last two axes, each labelled like [0, :, :] (0-based, as
// mlx.Slice counts) and cut to its corners; of many slices only the first
// and last edgeSlices are shown.
func writeSlices(b *strings.Builder, a *mlx.Array, k rkind, shape []int) {
	nd := len(shape)
	lead := shape[:nd-2]
	nl := 1
	for _, d := range lead {
		nl *= d
	}
	var flat []int // -1 marks slices left out
	if nl > 2*edgeSlices {
		for i := range edgeSlices {
			flat = append(flat, i)
		}
		flat = append(flat, -1)
		for i := nl - edgeSlices; i < nl; i++ {
			flat = append(flat, i)
		}
	} else {
		for i := range nl {
			flat = append(flat, i)
		}
	}
	rs := spans(shape[nd-2], edgeItems, true)
	cs := spans(shape[nd-1], edgeItems, true)
	idx := make([]int, len(lead))
	for _, f := range flat {
		if f < 0 {
			writePre(b, tagStyle, vEllipsis)
			continue
		}
		for d, r := len(lead)-1, f; d >= 0; d-- {
			idx[d] = r % lead[d]
			r /= lead[d]
		}
		var label strings.Builder
		label.WriteString("[")
		for _, i := range idx {
			label.WriteString(strconv.Itoa(i) + ", ")
		}
		label.WriteString(":, :]")
		writePre(b, tagStyle, label.String())
		writeTable(b, planeTable(readPlane(a, k, idx, rs, cs, false), rs, cs))
	}
}

// writePre writes s, escaped, as preformatted text.
func writePre(b *strings.Builder, style, s string) {
	b.WriteString(`<pre style="` + style + `">` + html.EscapeString(s) + "</pre>\n")
}

// writeTable writes t as an HTML table, escaping every cell.
func writeTable(b *strings.Builder, t table) {
	b.WriteString(`<table style="` + tableStyle + `">` + "\n")
	if t.head != nil {
		b.WriteString(`<thead><tr><th style="` + thStyle + `"></th>`)
		for _, h := range t.head {
			writeCell(b, "th", h)
		}
		b.WriteString("</tr></thead>\n")
	}
	b.WriteString("<tbody>\n")
	for _, r := range t.rows {
		b.WriteString("<tr>")
		writeCell(b, "th", r.label)
		for _, c := range r.cells {
			writeCell(b, "td", c)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
}

// writeCell writes one cell (tag "th" or "td"); ellipses are centred.
func writeCell(b *strings.Builder, tag, s string) {
	gap := s == hEllipsis || s == vEllipsis || s == dEllipsis
	var style string
	switch {
	case tag == "th" && gap:
		style = gapThStyle
	case tag == "th":
		style = thStyle
	case gap:
		style = gapTdStyle
	default:
		style = tdStyle
	}
	b.WriteString("<" + tag + ` style="` + style + `">` + html.EscapeString(s) + "</" + tag + ">")
}

// listHTML stacks the HTML of each list element under its tag.
func listHTML(items []listItem) string {
	var b strings.Builder
	b.WriteString(`<div style="` + boxStyle + `">` + "\n")
	for _, it := range items {
		writePre(&b, tagStyle, it.tag)
		if !it.heading {
			writeArrayHTML(&b, it.arr)
		}
	}
	b.WriteString("</div>\n")
	return b.String()
}

package rformat

import (
	"fmt"
	"strings"
)

// column is the formatted view of a run of elements (a whole vector, or one
// matrix column): its natural field width and an encoder that writes element
// k (an index into the run) right-justified in a field of a given width.
type column struct {
	w   int
	enc func(k, width int) string
}

// formatter formats the elements at the given data indices as one run.
type formatter func(idx []int) column

// Doubles formats R doubles (numeric). dims: nil/empty or one element -> R
// vector; two elements {nrow, ncol} -> R matrix. Data for a matrix is given
// ROW-MAJOR (data[i*ncol+j] is row i, column j). The result holds the lines
// R's print() shows, each terminated by "\n".
func Doubles(x []float64, dims []int) string {
	f := func(idx []int) column {
		v := make([]float64, len(idx))
		for k, i := range idx {
			v[k] = x[i]
		}
		rf := formatReal(v)
		return column{w: rf.w, enc: func(k, width int) string {
			return encodeReal(v[k], width, rf.d, rf.e)
		}}
	}
	return render(len(x), dims, "numeric(0)", f)
}

// Integers formats R integers (never scientific). math.MinInt32 is R's
// NA_integer_ and prints as NA. dims and the data layout are as for Doubles.
func Integers(x []int32, dims []int) string {
	f := func(idx []int) column {
		v := make([]int32, len(idx))
		for k, i := range idx {
			v[k] = x[i]
		}
		w := formatInteger(v)
		return column{w: w, enc: func(k, width int) string {
			return encodeInteger(v[k], width)
		}}
	}
	return render(len(x), dims, "integer(0)", f)
}

// Logicals formats R logicals (TRUE/FALSE), right-justified to a common
// width. dims and the data layout are as for Doubles.
func Logicals(x []bool, dims []int) string {
	f := func(idx []int) column {
		v := make([]bool, len(idx))
		for k, i := range idx {
			v[k] = x[i]
		}
		w := formatLogical(v)
		return column{w: w, enc: func(k, width int) string {
			return encodeLogical(v[k], width)
		}}
	}
	return render(len(x), dims, "logical(0)", f)
}

// Complexes formats R complex values (e.g. "10+0i -2+2i"), with the real
// and imaginary parts of a vector or matrix column sharing one format each.
// dims and the data layout are as for Doubles.
func Complexes(x []complex128, dims []int) string {
	f := func(idx []int) column {
		v := make([]complex128, len(idx))
		for k, i := range idx {
			v[k] = x[i]
		}
		cf := formatComplex(v)
		w := cf.r.w + cf.i.w + 2
		return column{w: w, enc: func(k, width int) string {
			// The real part takes the extra room, as R passes
			// wr + (field width - natural width) to encodeComplex.
			return encodeComplex(v[k], cf.r.w+width-w, cf)
		}}
	}
	return render(len(x), dims, "complex(0)", f)
}

// render dispatches to the vector or matrix layout. Any dims other than
// two elements print as a vector; a matrix whose size does not match the
// data panics.
func render(n int, dims []int, empty string, f formatter) string {
	if len(dims) == 2 {
		if dims[0] < 0 || dims[1] < 0 || dims[0]*dims[1] != n {
			panic(fmt.Sprintf("rformat: dims %v do not match %d elements", dims, n))
		}
		return printMatrix(dims[0], dims[1], f)
	}
	return printVector(n, empty, f)
}

// printVector mirrors printVector()/printRealVector() in R's printvector.c.
func printVector(n int, empty string, f formatter) string {
	if n == 0 {
		return empty + "\n"
	}
	nPr := n
	if n > printMax+1 {
		nPr = printMax
	}
	idx := make([]int, nPr)
	for i := range idx {
		idx[i] = i
	}
	col := f(idx)
	w := col.w + printGap
	labwidth := indexWidth(nPr) + 2
	var b strings.Builder
	label := func(i int) {
		b.WriteString(strings.Repeat(" ", labwidth-indexWidth(i)-2))
		fmt.Fprintf(&b, "[%d]", i)
	}
	label(1)
	width := labwidth
	for i := 0; i < nPr; i++ {
		if i > 0 && width+w > printWidth {
			b.WriteString("\n")
			label(i + 1)
			width = labwidth
		}
		b.WriteString(col.enc(i, w))
		width += w
	}
	b.WriteString("\n")
	if nPr < n {
		fmt.Fprintf(&b, " [ reached getOption(\"max.print\") -- omitted %d entries ]\n", n-nPr)
	}
	return b.String()
}

// printMatrix mirrors printMatrix() and the print*Matrix() functions in R's
// printmatrix.c for a matrix without dimnames. Element (i, j) is at data
// index i*c+j (row-major).
func printMatrix(r, c int, f formatter) string {
	if r == 0 && c == 0 {
		return "<0 x 0 matrix>\n"
	}
	rPr := r
	if c > 0 && printMax/c < r {
		rPr = printMax / c
	}
	rlabw := indexWidth(r+1) + 3
	var b strings.Builder
	rowLabel := func(i int) {
		b.WriteString("\n")
		b.WriteString(strings.Repeat(" ", rlabw-3-indexWidth(i+1)))
		fmt.Fprintf(&b, "[%d,]", i+1)
	}
	if c == 0 {
		b.WriteString(strings.Repeat(" ", rlabw))
		for i := 0; i < r; i++ {
			rowLabel(i)
		}
		b.WriteString("\n")
		return b.String()
	}
	cols := make([]column, c)
	w := make([]int, c)
	for j := 0; j < c; j++ {
		// R formats the whole column even when max.print cuts rows off.
		idx := make([]int, r)
		for i := range idx {
			idx[i] = i*c + j
		}
		cols[j] = f(idx)
		w[j] = max(cols[j].w, indexWidth(j+1)+3) + printGap
	}
	jmin, jmax := 0, 0
	for jmin < c {
		width := rlabw
		for {
			width += w[jmax]
			jmax++
			if !(jmax < c && width+w[jmax] < printWidth) {
				break
			}
		}
		b.WriteString(strings.Repeat(" ", rlabw))
		for j := jmin; j < jmax; j++ {
			b.WriteString(strings.Repeat(" ", w[j]-indexWidth(j+1)-3))
			fmt.Fprintf(&b, "[,%d]", j+1)
		}
		for i := 0; i < rPr; i++ {
			rowLabel(i)
			for j := jmin; j < jmax; j++ {
				b.WriteString(cols[j].enc(i, w[j]))
			}
		}
		b.WriteString("\n")
		jmin = jmax
	}
	if rPr < r {
		unit := "rows"
		if r-rPr == 1 {
			unit = "row"
		}
		fmt.Fprintf(&b, " [ reached getOption(\"max.print\") -- omitted %d %s ]\n", r-rPr, unit)
	}
	return b.String()
}

package display

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mlxgo/mlxgo/internal/seedtest"
	"github.com/mlxgo/mlxgo/mlx"
	"github.com/mlxgo/mlxgo/mlx/grad"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The tests expect "device: cpu", as the seed blocks on a CPU machine show.
func TestMain(m *testing.M) {
	flag.Parse()
	mlx.SetDefaultDevice(mlx.CPU)
	os.Exit(m.Run())
}

func seedGrad() *mlx.Array {
	loss := func(w, x, y *mlx.Array) *mlx.Array {
		preds := mlx.Matmul(x, w)
		resids := mlx.Sub(preds, y)
		return mlx.Div(mlx.Sum(mlx.Mul(resids, resids)), y.Size())
	}
	x := mlx.Matrix([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)
	y := mlx.Matrix([]float64{1, 3, 2, 4}, 4, 1)
	w := mlx.Matrix([]float64{0}, 2, 1)
	return grad.Grad(loss, w, x, y)[0]
}

func seedValueGrad() grad.Result {
	loss := func(w, x *mlx.Array) *mlx.Array {
		return mlx.Sum(mlx.Mul(mlx.Matmul(x, w), mlx.Matmul(x, w)))
	}
	x := mlx.Matrix([]float64{1, 2, 3, 4}, 2, 2)
	w := mlx.Matrix([]float64{1, -1}, 2, 1)
	return grad.ValueGrad(loss, w, x)
}

// Golden arrays: testdata/<name>.html holds the text/html of each.
func goldenArrays() []struct {
	name string
	a    *mlx.Array
} {
	return []struct {
		name string
		a    *mlx.Array
	}{
		{"float32_2x3", mlx.Matrix([]float64{1, 2, 0.5, 0.25, 100, 2e6}, 2, 3)},
		{"int32_vector", mlx.Arange(-5, 25)},
		{"bool_2x3", mlx.FromSlice([]bool{true, false, true, true, true, false}, 2, 3)},
		{"scalar_0d", mlx.Scalar(8.0)},
		{"float32_1000x1000", mlx.Arange(0.0, 1e6).Reshape(1000, 1000)},
		{"float32_2x3x4", mlx.Arange(0.0, 12.0, 0.5).Reshape(2, 3, 4)},
	}
}

func text(t *testing.T, b Bundle) string {
	t.Helper()
	s, ok := b.Data[MIMEText].(string)
	if !ok {
		t.Fatalf("bundle has no text/plain string: %#v", b.Data)
	}
	return s
}

func htmlOf(t *testing.T, b Bundle) string {
	t.Helper()
	s, ok := b.Data[MIMEHTML].(string)
	if !ok {
		t.Fatalf("bundle has no text/html string: %#v", b.Data)
	}
	return s
}

func keys(b Bundle) []string {
	var k []string
	for m := range b.Data {
		k = append(k, m)
	}
	slices.Sort(k)
	return k
}

func TestArrayText(t *testing.T) {
	cases := []struct {
		name string
		a    *mlx.Array
		want string
	}{
		{"seed grad", seedGrad(), seedtest.Block1},
		{"matrix", mlx.Matrix([]float64{1, 2, 0.5, 0.25, 100, 2e6}, 2, 3), `mlx array [2 x 3]
  dtype: float32
  device: cpu
  values:
     [,1] [,2]  [,3]
[1,]    1 0.50 1e+02
[2,]    2 0.25 2e+06`},
		{"int32 vector", mlx.Arange(1, 11), `mlx array [10]
  dtype: int32
  device: cpu
  values:
 [1]  1  2  3  4  5  6  7  8  9 10`},
		{"bool vector", mlx.FromSlice([]bool{true, true, false}), `mlx array [3]
  dtype: bool
  device: cpu
  values:
[1]  TRUE  TRUE FALSE`},
		{"0-d", mlx.Scalar(8.0), `mlx array []
  dtype: float32
  device: cpu
  values:
[1] 8`},
		{"3-d", mlx.Zeros(2, 3, 4), `mlx array [2 x 3 x 4]
  dtype: float32
  device: cpu
  (24 elements, not shown)`},
		{"large", mlx.Zeros(1000, 1000), `mlx array [1000 x 1000]
  dtype: float32
  device: cpu
  (1000000 elements, not shown)`},
		{"empty", mlx.Zeros(0, 3), "mlx array [0 x 3]\n  dtype: float32\n  device: cpu\n  values:\n     [,1] [,2] [,3]"},
	}
	for _, c := range cases {
		b := Of(c.a)
		if got := text(t, b); got != c.want {
			t.Errorf("%s: text/plain\n%s\nwant\n%s", c.name, got, c.want)
		}
		if got := text(t, b); got != c.a.String() {
			t.Errorf("%s: text/plain differs from String()", c.name)
		}
	}
}

func TestListText(t *testing.T) {
	if got := text(t, Of(seedValueGrad())); got != seedtest.Block2 {
		t.Errorf("grad.Result:\n%q\nwant\n%q", got, seedtest.Block2)
	}
	r := seedValueGrad()
	if got := text(t, Of(&r)); got != seedtest.Block2 {
		t.Errorf("*grad.Result:\n%q", got)
	}
	if got := text(t, Of((*grad.Result)(nil))); got != "<nil>" {
		t.Errorf("nil *grad.Result: %q", got)
	}

	g := seedGrad()
	s := mlx.Scalar(8.0)
	xs := []*mlx.Array{g, s}
	want := "[[1]]\n" + seedtest.Block1 + "\n\n[[2]]\n" + s.String() + "\n\n"
	if got := text(t, Of(xs)); got != want || got != mlx.FormatList("", xs) {
		t.Errorf("[]*mlx.Array:\n%q\nwant\n%q", got, want)
	}

	m := map[string]*mlx.Array{"b": s, "a": g}
	want = "$a\n" + seedtest.Block1 + "\n\n$b\n" + s.String() + "\n\n"
	if got := text(t, Of(m)); got != want {
		t.Errorf("map:\n%q\nwant\n%q", got, want)
	}

	m = map[string]*mlx.Array{"x y": s, "if": s, ".2a": s, "ok.name_1": s, "": s}
	b := Of(m)
	want = "[[1]]\n" + s.String() + "\n\n$`.2a`\n" + s.String() + "\n\n$`if`\n" + s.String() +
		"\n\n$ok.name_1\n" + s.String() + "\n\n$`x y`\n" + s.String() + "\n\n"
	if got := text(t, b); got != want {
		t.Errorf("R tags:\n%q\nwant\n%q", got, want)
	}

	if got := text(t, Of([]*mlx.Array{})); got != "list()" {
		t.Errorf("empty list: %q", got)
	}
	if got := text(t, Of(map[string]*mlx.Array{})); got != "named list()" {
		t.Errorf("empty map: %q", got)
	}
	if got := text(t, Of([]*mlx.Array{nil})); got != "[[1]]\n<nil mlx array>\n\n" {
		t.Errorf("list with nil: %q", got)
	}
}

func TestListHTML(t *testing.T) {
	b := Of(seedValueGrad())
	h := htmlOf(t, b)
	var tags []string
	for _, m := range regexp.MustCompile(`<pre style="[^"]*">(\$[^<]*)</pre>`).FindAllStringSubmatch(h, -1) {
		tags = append(tags, m[1])
	}
	if want := []string{"$value", "$grads", "$grads[[1]]", "$grads[[2]]"}; !slices.Equal(tags, want) {
		t.Errorf("tags %q, want %q", tags, want)
	}
	if n := strings.Count(h, "<table"); n != 3 {
		t.Errorf("%d tables, want 3", n)
	}
	for _, a := range append([]*mlx.Array{seedValueGrad().Value}, seedValueGrad().Grads...) {
		var one strings.Builder
		writeArrayHTML(&one, a)
		if !strings.Contains(h, one.String()) {
			t.Errorf("list HTML lacks the element's HTML:\n%s", one.String())
		}
	}
	h = htmlOf(t, Of(map[string]*mlx.Array{"<b>": mlx.Scalar(1.0)}))
	if strings.Contains(h, "<b>") || !strings.Contains(h, "$`&lt;b&gt;`") {
		t.Errorf("tag not escaped:\n%s", h)
	}
}

type stringer struct{ n int }

func (s stringer) String() string { return "stringer " + string(rune('0'+s.n)) }

func TestOtherValues(t *testing.T) {
	var nilArr *mlx.Array
	cases := []struct {
		v    any
		want string
	}{
		{nil, "<nil>"},
		{42, "42"},
		{3.5, "3.5"},
		{"hi", "hi"},
		{[]int{1, 2}, "[1 2]"},
		{struct{ A, B int }{1, 2}, "{1 2}"},
		{stringer{7}, "stringer 7"},
		{errors.New("boom"), "boom"},
		{&mlx.Error{Op: "Matmul", Msg: "shapes do not match"}, (&mlx.Error{Op: "Matmul", Msg: "shapes do not match"}).Error()},
		{nilArr, "<nil mlx array>"},
		{(*Bundle)(nil), "<nil>"},
	}
	for _, c := range cases {
		b := Of(c.v)
		if got := text(t, b); got != c.want {
			t.Errorf("Of(%#v) = %q, want %q", c.v, got, c.want)
		}
		if k := keys(b); !slices.Equal(k, []string{MIMEText}) {
			t.Errorf("Of(%#v) keys %v", c.v, k)
		}
	}
	in := Bundle{Data: map[string]any{"image/png": "x"}, Metadata: map[string]any{"a": 1}}
	if got := Of(in); !reflect.DeepEqual(got, in) {
		t.Errorf("Bundle not passed through: %#v", got)
	}
	if got := Of(&in); !reflect.DeepEqual(got, in) {
		t.Errorf("*Bundle not passed through: %#v", got)
	}
}

func TestMIMEKeys(t *testing.T) {
	both := []string{MIMEHTML, MIMEText}
	cases := []struct {
		name string
		v    any
		want []string
	}{
		{"array", mlx.Scalar(1.0), both},
		{"large array", mlx.Zeros(200, 200), both},
		{"empty array", mlx.Zeros(0), both},
		{"nil array", (*mlx.Array)(nil), []string{MIMEText}},
		{"slice", []*mlx.Array{mlx.Scalar(1.0)}, both},
		{"empty slice", []*mlx.Array{}, []string{MIMEText}},
		{"result", seedValueGrad(), both},
		{"map", map[string]*mlx.Array{"a": mlx.Scalar(1.0)}, both},
		{"int", 1, []string{MIMEText}},
		{"error", errors.New("e"), []string{MIMEText}},
	}
	for _, c := range cases {
		if got := keys(Of(c.v)); !slices.Equal(got, c.want) {
			t.Errorf("%s: keys %v, want %v", c.name, got, c.want)
		}
	}
}

func TestGoldenHTML(t *testing.T) {
	for _, g := range goldenArrays() {
		got := htmlOf(t, Of(g.a))
		path := filepath.Join("testdata", g.name+".html")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./display -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s: HTML differs from %s (run go test ./display -update if intended):\n%s", g.name, path, got)
		}
	}
}

var (
	rowRE  = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRE = regexp.MustCompile(`<t([hd]) style="[^"]*">([^<]*)</t[hd]>`)
	preRE  = regexp.MustCompile(`(?s)<pre style="[^"]*">(.*?)</pre>`)
)

// htmlRows returns each table row's cells (header and data), unescaped.
func htmlRows(h string) [][]string {
	var rows [][]string
	for _, r := range rowRE.FindAllStringSubmatch(h, -1) {
		var cells []string
		for _, c := range cellRE.FindAllStringSubmatch(r[1], -1) {
			cells = append(cells, unescape(c[2]))
		}
		rows = append(rows, cells)
	}
	return rows
}

func unescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace(s)
}

// textGrid reads the values block of an array's text: for a matrix, the
// value at each "[i,]" row label and "[,j]" column label; for a vector,
// each line's label and values.
func textGrid(s string) map[[2]string]string {
	_, vals, _ := strings.Cut(s, "  values:\n")
	grid := map[[2]string]string{}
	var cols []string
	for line := range strings.SplitSeq(vals, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if strings.HasPrefix(f[0], "[,") { // a column block's header
			cols = f
			continue
		}
		for j, v := range f[1:] {
			col := ""
			if cols != nil {
				col = cols[j]
			} else {
				col = string(rune('a' + j))
			}
			grid[[2]string{f[0], col}] = v
		}
	}
	return grid
}

// htmlGrid reads the table of an array's HTML the same way.
func htmlGrid(h string) map[[2]string]string {
	grid := map[[2]string]string{}
	rows := htmlRows(h)
	var cols []string
	if strings.Contains(h, "<thead>") {
		cols = rows[0][1:]
		rows = rows[1:]
	}
	for _, r := range rows {
		for j, v := range r[1:] {
			col := ""
			if cols != nil {
				col = cols[j]
			} else {
				col = string(rune('a' + j))
			}
			grid[[2]string{r[0], col}] = v
		}
	}
	return grid
}

// The HTML table of an array R would print shows the same values, with
// the same labels and the same formatting, as its text.
func TestHTMLAgreesWithText(t *testing.T) {
	wide := make([]float64, 40)
	for i := range wide {
		wide[i] = math.Sin(float64(i)) * math.Pow(10, float64(i%9-4))
	}
	long := make([]float64, 100)
	for i := range long {
		long[i] = float64(i) * 1.25
	}
	arrays := []*mlx.Array{
		seedGrad(),
		mlx.Scalar(8.0),
		mlx.Scalar(int32(-3)),
		mlx.Matrix([]float64{1, 2, 0.5, 0.25, 100, 2e6}, 2, 3),
		mlx.Arange(-5, 25),
		mlx.FromSlice(long),
		mlx.FromSlice(long, 10, 10),
		mlx.FromSlice(long, 1, 100),
		mlx.FromSlice(wide, 4, 10),
		mlx.FromSlice([]float64{math.NaN(), math.Inf(1), math.Inf(-1), 1.5, -2, 1e-10}, 3, 2),
		mlx.FromSlice([]float64{1e5, 123456789, 0.1, -7}).AsType(mlx.Float64),
		mlx.FromSlice([]int64{100000, 2, -3, 4}, 2, 2).AsType(mlx.Int64),
		mlx.FromSlice([]int32{100000, 2, -3, 4}, 2, 2),
		mlx.FromSlice([]int{1, 200, 3}).AsType(mlx.Uint8),
		mlx.FromSlice([]bool{true, false, true, true, true, false}, 2, 3),
		mlx.FromSlice([]complex128{10, complex(-2, 2), complex(0.5, -1), 3i}, 2, 2),
		mlx.FromSlice([]float64{1, 2, 3, 4}).AsType(mlx.Float16),
	}
	for _, a := range arrays {
		b := Of(a)
		tg, hg := textGrid(text(t, b)), htmlGrid(htmlOf(t, b))
		if len(tg) != a.Size() {
			t.Fatalf("text grid of %s has %d values, want %d", a.Summary(), len(tg), a.Size())
		}
		if !reflect.DeepEqual(tg, hg) {
			t.Errorf("%s: HTML table differs from text\ntext: %v\nhtml: %v\n%s\n%s", a.Summary(), tg, hg, text(t, b), htmlOf(t, b))
		}
		pre := preRE.FindStringSubmatch(htmlOf(t, b))
		if pre == nil || unescape(pre[1])+"\n" != a.Header() {
			t.Errorf("%s: HTML header %q, want %q", a.Summary(), pre, a.Header())
		}
	}
}

func TestLargeCorners(t *testing.T) {
	a := mlx.Arange(0.0, 1e6).Reshape(1000, 1000)
	h := htmlOf(t, Of(a))
	rows := htmlRows(h)
	if len(rows) != 12 { // header, 5 rows, gap, 5 rows
		t.Fatalf("%d rows, want 12:\n%s", len(rows), h)
	}
	wantHead := []string{"", "[,1]", "[,2]", "[,3]", "[,4]", "[,5]", "…", "[,996]", "[,997]", "[,998]", "[,999]", "[,1000]"}
	if !slices.Equal(rows[0], wantHead) {
		t.Errorf("header %q", rows[0])
	}
	if want := []string{"[1,]", "0", "1", "2", "3", "4", "…", "995", "996", "997", "998", "999"}; !slices.Equal(rows[1], want) {
		t.Errorf("first row %q", rows[1])
	}
	if want := []string{"⋮", "⋮", "⋮", "⋮", "⋮", "⋮", "⋱", "⋮", "⋮", "⋮", "⋮", "⋮"}; !slices.Equal(rows[6], want) {
		t.Errorf("gap row %q", rows[6])
	}
	if want := []string{"[1000,]", "999000", "999001", "999002", "999003", "999004", "…", "999995", "999996", "999997", "999998", "999999"}; !slices.Equal(rows[11], want) {
		t.Errorf("last row %q", rows[11])
	}

	// More than 100 elements in two dims: cut, even though one axis is short.
	rows = htmlRows(htmlOf(t, Of(mlx.Zeros(101, 1))))
	if len(rows) != 12 || rows[6][0] != "⋮" || rows[11][0] != "[101,]" {
		t.Errorf("101x1 rows %q", rows)
	}
	// At most 100 elements: everything, as the text shows.
	rows = htmlRows(htmlOf(t, Of(mlx.Zeros(1, 100))))
	if len(rows) != 2 || len(rows[0]) != 101 {
		t.Errorf("1x100: %d rows, %d header cells", len(rows), len(rows[0]))
	}

	// A long vector: its first and last ten elements.
	rows = htmlRows(htmlOf(t, Of(mlx.Arange(1000))))
	want := [][]string{
		{"[1]", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
		{"⋮"},
		{"[991]", "990", "991", "992", "993", "994", "995", "996", "997", "998", "999"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("long vector rows %q", rows)
	}

	// Many 2-D slices: the first and last two, labelled, each cut.
	h = htmlOf(t, Of(mlx.Zeros(10, 20, 30)))
	var labels []string
	for _, m := range preRE.FindAllStringSubmatch(h, -1)[1:] {
		labels = append(labels, m[1])
	}
	if want := []string{"[0, :, :]", "[1, :, :]", "⋮", "[8, :, :]", "[9, :, :]"}; !slices.Equal(labels, want) {
		t.Errorf("slice labels %q", labels)
	}
	if n := strings.Count(h, "<table"); n != 4 {
		t.Errorf("%d tables, want 4", n)
	}
	if n := len(htmlRows(h)); n != 4*12 {
		t.Errorf("%d rows, want 48", n)
	}
	h = htmlOf(t, Of(mlx.Arange(24).Reshape(1, 2, 3, 4)))
	if !strings.Contains(h, ">[0, 1, :, :]</pre>") || strings.Count(h, "<table") != 2 {
		t.Errorf("4-d slices:\n%s", h)
	}
	if !strings.Contains(h, ">23</td>") {
		t.Errorf("4-d values missing:\n%s", h)
	}
}

func TestEmptyAndScalar(t *testing.T) {
	for _, a := range []*mlx.Array{mlx.Zeros(0), mlx.Zeros(0, 3), mlx.Zeros(2, 0, 4)} {
		h := htmlOf(t, Of(a))
		if strings.Contains(h, "<table") || !strings.Contains(h, "\n  (empty)</pre>") {
			t.Errorf("%s:\n%s", a.Summary(), h)
		}
	}
	rows := htmlRows(htmlOf(t, Of(mlx.Scalar(8.0))))
	if want := [][]string{{"[1]", "8"}}; !reflect.DeepEqual(rows, want) {
		t.Errorf("0-d rows %q", rows)
	}
	if n := strings.Count(htmlOf(t, Of(mlx.Scalar(8.0))), "<td"); n != 1 {
		t.Errorf("0-d has %d value cells", n)
	}
}

// An array traced by a gradient transform has no values to show.
func TestTraced(t *testing.T) {
	var b Bundle
	f := func(x *mlx.Array) *mlx.Array {
		b = Of(x)
		return mlx.Sum(x)
	}
	grad.Grad(f, mlx.Scalar(1.0))
	if s := text(t, b); !strings.Contains(s, "traced") {
		t.Errorf("text %q", s)
	}
	if h := htmlOf(t, b); strings.Contains(h, "<table") || !strings.Contains(h, "traced") {
		t.Errorf("html %q", h)
	}
}

func TestHTMLText(t *testing.T) {
	cases := map[string]string{
		"<b>hi</b> &amp; <i>x</i>":                                        "hi & x",
		`<img src="a.png">`:                                               "[HTML]",
		"<style>p {}</style><p>t</p>":                                     "t",
		"<script>if (a<b) x()</script>ok":                                 "ok",
		"a < b <!-- c --> d":                                              "a < b  d",
		"  <div>\n <p>one</p><p>two</p></div> ":                           "one\ntwo",
		"<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>": "1 2\n3",
	}
	for in, want := range cases {
		if got := htmlText(in); got != want {
			t.Errorf("htmlText(%q) = %q, want %q", in, got, want)
		}
	}
}

// call is one call a recorder received.
type call struct {
	b      Bundle
	id     string
	update bool
	clear  bool
	wait   bool
}

type recorder struct {
	mu    sync.Mutex
	calls []call
}

func (r *recorder) Publish(b Bundle, id string, update bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call{b: b, id: id, update: update})
}

func (r *recorder) Clear(wait bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call{clear: true, wait: wait})
}

func TestPublisher(t *testing.T) {
	r := &recorder{}
	SetPublisher(r)
	defer SetPublisher(nil)

	a := seedGrad()
	Display(a)
	HTML("<b>bold</b> text")
	Markdown("# Title")
	DisplayID("p1", 10)
	Update("p1", 20)
	Update("", 30)
	Clear(true)
	Clear(false)

	want := []call{
		{b: Of(a)},
		{b: Bundle{Data: map[string]any{MIMEHTML: "<b>bold</b> text", MIMEText: "bold text"}}},
		{b: Bundle{Data: map[string]any{MIMEMarkdown: "# Title", MIMEText: "# Title"}}},
		{b: Of(10), id: "p1"},
		{b: Of(20), id: "p1", update: true},
		{b: Of(30)},
		{clear: true, wait: true},
		{clear: true},
	}
	if !reflect.DeepEqual(r.calls, want) {
		t.Errorf("calls:\n%#v\nwant\n%#v", r.calls, want)
	}
	if got := text(t, r.calls[0].b); got != seedtest.Block1 {
		t.Errorf("Display(array) text %q", got)
	}
}

// panicky fails the test if anything renders it.
type panicky struct{}

func (panicky) String() string { panic("rendered without a publisher") }

func TestNoPublisher(t *testing.T) {
	SetPublisher(nil)
	Display(panicky{})
	DisplayID("x", panicky{})
	Update("x", panicky{})
	HTML("<p>x</p>")
	Markdown("x")
	LaTeX("$x$")
	PNG([]byte("not a png")) // not checked: nothing is rendered
	JPEG(nil)
	SVG("<svg/>")
	JSON(make(chan int)) // not marshalled either
	Image(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	Clear(true)
}

// SetPublisher and display calls may race from many goroutines (a cell's
// goroutines outliving it); run with -race.
func TestPublisherConcurrent(t *testing.T) {
	defer SetPublisher(nil)
	r := &recorder{}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				if (i+j)%5 == 0 {
					SetPublisher(r)
				}
				Display(j)
				Clear(false)
			}
		})
	}
	wg.Wait()
}

func BenchmarkOfLarge(b *testing.B) {
	a := mlx.Arange(0.0, 1e6).Reshape(1000, 1000).Eval()
	for b.Loop() {
		Of(a)
	}
}

func BenchmarkOfSmall(b *testing.B) {
	v := make([]float64, 100)
	for i := range v {
		v[i] = math.Sin(float64(i)) * 1000
	}
	a := mlx.FromSlice(v, 10, 10).Eval()
	for b.Loop() {
		Of(a)
	}
}

// testImage is a w x h image with a diagonal gradient and a red square, so
// that it is not blank.
func testImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(255 * x / w), uint8(255 * y / h), 128, 255})
		}
	}
	for y := h / 4; y < h/2; y++ {
		for x := w / 4; x < w/2; x++ {
			img.Set(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	return img
}

func encodeTestPNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// decodeImage decodes the bundle's base64 image of MIME type mime, checks
// that its size is the one the metadata states and that it is not blank
// (not a single colour), and returns it.
func decodeImage(t *testing.T, b Bundle, mime string) image.Image {
	t.Helper()
	s, ok := b.Data[mime].(string)
	if !ok {
		t.Fatalf("bundle has no %s string: keys %v", mime, keys(b))
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("%s is not base64: %v", mime, err)
	}
	img, format, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s does not decode: %v", mime, err)
	}
	if "image/"+format != mime {
		t.Errorf("%s holds a %s image", mime, format)
	}
	md, _ := b.Metadata[mime].(map[string]any)
	size := img.Bounds().Size()
	if md["width"] != size.X || md["height"] != size.Y {
		t.Errorf("%s metadata %v, image is %dx%d", mime, md, size.X, size.Y)
	}
	if isBlank(img) {
		t.Errorf("%s image is blank", mime)
	}
	return img
}

// isBlank reports whether every pixel of img has the same colour.
func isBlank(img image.Image) bool {
	r := img.Bounds()
	r0, g0, b0, a0 := img.At(r.Min.X, r.Min.Y).RGBA()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if r1, g1, b1, a1 := img.At(x, y).RGBA(); r1 != r0 || g1 != g0 || b1 != b0 || a1 != a0 {
				return false
			}
		}
	}
	return true
}

// published runs f with a recorder as the publisher and returns the one
// bundle f published.
func published(t *testing.T, f func()) Bundle {
	t.Helper()
	r := &recorder{}
	SetPublisher(r)
	defer SetPublisher(nil)
	f()
	if len(r.calls) != 1 || r.calls[0].clear || r.calls[0].update || r.calls[0].id != "" {
		t.Fatalf("calls %#v, want one display_data", r.calls)
	}
	return r.calls[0].b
}

func TestLaTeXSVG(t *testing.T) {
	b := published(t, func() { LaTeX(`$$\sum_i x_i^2$$`) })
	want := Bundle{Data: map[string]any{MIMELaTeX: `$$\sum_i x_i^2$$`, MIMEText: `$$\sum_i x_i^2$$`}}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("LaTeX bundle %#v", b)
	}
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>`
	b = published(t, func() { SVG(svg) })
	want = Bundle{Data: map[string]any{MIMESVG: svg, MIMEText: "<SVG image>"}}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("SVG bundle %#v", b)
	}
}

func TestPNGJPEGImage(t *testing.T) {
	src := testImage(64, 48)
	raw := encodeTestPNG(t, src)
	b := published(t, func() { PNG(raw) })
	if got := keys(b); !slices.Equal(got, []string{MIMEPNG, MIMEText}) {
		t.Errorf("PNG keys %v", got)
	}
	if got := b.Data[MIMEPNG]; got != base64.StdEncoding.EncodeToString(raw) {
		t.Errorf("PNG data is not the base64 of the bytes")
	}
	if got := text(t, b); got != "<image/png image 64x48>" {
		t.Errorf("PNG text %q", got)
	}
	img := decodeImage(t, b, MIMEPNG)
	if img.Bounds().Dx() != 64 || img.Bounds().Dy() != 48 {
		t.Errorf("PNG size %v", img.Bounds())
	}

	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, testImage(40, 30), nil); err != nil {
		t.Fatal(err)
	}
	b = published(t, func() { JPEG(jb.Bytes()) })
	if got := keys(b); !slices.Equal(got, []string{MIMEJPEG, MIMEText}) {
		t.Errorf("JPEG keys %v", got)
	}
	if img := decodeImage(t, b, MIMEJPEG); img.Bounds().Dx() != 40 || img.Bounds().Dy() != 30 {
		t.Errorf("JPEG size %v", img.Bounds())
	}

	b = published(t, func() { Image(src) })
	img = decodeImage(t, b, MIMEPNG)
	if img.Bounds().Size() != src.Bounds().Size() {
		t.Errorf("Image size %v", img.Bounds())
	}
	if r, g, bl, _ := img.At(20, 15).RGBA(); r>>8 != 255 || g != 0 || bl != 0 {
		t.Errorf("Image pixel (20,15) is not the red square: %v", img.At(20, 15))
	}
}

func TestImageBadData(t *testing.T) {
	for _, f := range []func(){
		func() { PNG([]byte("not a png")) },
		func() { JPEG(encodeTestPNG(t, testImage(2, 2))) }, // a PNG is not a JPEG
	} {
		r := &recorder{}
		SetPublisher(r)
		func() {
			defer func() {
				if p := recover(); p == nil {
					t.Error("no panic for bad image data")
				} else if err, ok := p.(error); !ok || !strings.HasPrefix(err.Error(), "display: not a image/") {
					t.Errorf("panic %v", p)
				}
			}()
			f()
		}()
		SetPublisher(nil)
		if len(r.calls) != 0 {
			t.Errorf("published %v", r.calls)
		}
	}
}

type point struct {
	X, Y float64
	Tag  string `json:"tag,omitempty"`
}

func TestJSON(t *testing.T) {
	b := published(t, func() { JSON(map[string]any{"pts": []point{{1, 2, "a"}, {3, 4.5, ""}}, "n": 2}) })
	want := map[string]any{"pts": []any{
		map[string]any{"X": 1.0, "Y": 2.0, "tag": "a"},
		map[string]any{"X": 3.0, "Y": 4.5},
	}, "n": 2.0}
	if !reflect.DeepEqual(b.Data[MIMEJSON], want) {
		t.Errorf("JSON data %#v", b.Data[MIMEJSON])
	}
	if got := text(t, b); !strings.HasPrefix(got, "{\n  \"n\": 2,\n  \"pts\": [") {
		t.Errorf("JSON text %q", got)
	}
	defer func() {
		if p := recover(); p == nil {
			t.Error("no panic for a channel")
		}
	}()
	jsonBundle(make(chan int))
}

// Types with rich methods, as Of finds them.
type htmlTable struct{ rows int }

func (h htmlTable) HTML() string {
	return "<table><tr><td>" + strings.Repeat("x", h.rows) + "</td></tr></table>"
}
func (h htmlTable) String() string { return "table" }

type mdNote string

func (m mdNote) Markdown() string { return "**" + string(m) + "**" }

type svgDot struct{}

func (svgDot) SVG() string { return "<svg/>" }

type pngPic struct{ w, h int }

func (p *pngPic) PNG() []byte { return encodePNG(testImage(p.w, p.h)) }

type jsonCfg struct{ LR float64 }

func (c jsonCfg) JSON() any { return map[string]float64{"lr": c.LR} }

// everything has all five methods.
type everything struct{}

func (everything) HTML() string     { return "<b>e</b>" }
func (everything) Markdown() string { return "*e*" }
func (everything) SVG() string      { return "<svg/>" }
func (everything) PNG() []byte      { return encodePNG(testImage(3, 2)) }
func (everything) JSON() any        { return []int{1} }
func (everything) String() string   { return "everything" }

func TestOfRichMethods(t *testing.T) {
	cases := []struct {
		v    any
		data map[string]any
	}{
		{htmlTable{2}, map[string]any{MIMEHTML: "<table><tr><td>xx</td></tr></table>", MIMEText: "table"}},
		{mdNote("hi"), map[string]any{MIMEMarkdown: "**hi**", MIMEText: "hi"}},
		{svgDot{}, map[string]any{MIMESVG: "<svg/>", MIMEText: "{}"}},
		{jsonCfg{0.5}, map[string]any{MIMEJSON: map[string]any{"lr": 0.5}, MIMEText: "{0.5}"}},
	}
	for _, c := range cases {
		b := Of(c.v)
		if !reflect.DeepEqual(b.Data, c.data) || b.Metadata != nil {
			t.Errorf("Of(%T) = %#v, want %#v", c.v, b, c.data)
		}
	}

	b := Of(&pngPic{30, 20})
	if got := keys(b); !slices.Equal(got, []string{MIMEPNG, MIMEText}) {
		t.Errorf("Of(*pngPic) keys %v", got)
	}
	decodeImage(t, b, MIMEPNG)
	if got := Of(pngPic{30, 20}); !slices.Equal(keys(got), []string{MIMEText}) {
		t.Errorf("Of(pngPic) (value, no PNG method) keys %v", keys(got)) // PNG has a pointer receiver
	}

	b = Of(everything{})
	if got := keys(b); !slices.Equal(got, []string{MIMEJSON, MIMEPNG, MIMESVG, MIMEHTML, MIMEMarkdown, MIMEText}) {
		t.Errorf("Of(everything) keys %v", got)
	}
	if text(t, b) != "everything" || !reflect.DeepEqual(b.Data[MIMEJSON], []any{1.0}) {
		t.Errorf("Of(everything) = %#v", b.Data)
	}
	decodeImage(t, b, MIMEPNG)
}

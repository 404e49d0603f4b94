package interp

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mlxgo/mlxgo/display"
)

// richResult runs code, which must succeed with a result, and returns the
// result bundle.
func richResult(t *testing.T, s *Session, code string) display.Bundle {
	t.Helper()
	b, err, _ := run(t, s, code)
	if err != nil {
		t.Fatalf("cell %q failed: %s: %s\n%s", code, err.Name, err.Value, strings.Join(err.Traceback, "\n"))
	}
	if b == nil {
		t.Fatalf("cell %q: no result", code)
	}
	return *b
}

func checkKeys(t *testing.T, b display.Bundle, want ...string) {
	t.Helper()
	got := slices.Sorted(maps.Keys(b.Data))
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("MIME types %v, want %v (bundle %v)", got, want, b.Data)
	}
}

func TestRichCellTypes(t *testing.T) {
	s := newTestSession(t)
	b := richResult(t, s, `type Card struct{ Name string }
func (c Card) HTML() string { return "<b>" + c.Name + "</b>" }
Card{"hi"}`)
	checkKeys(t, b, display.MIMEText, display.MIMEHTML)
	if b.Data[display.MIMEHTML] != "<b>hi</b>" || b.Data[display.MIMEText] != "{hi}" {
		t.Errorf("bundle %v", b.Data)
	}

	// A later cell, a variable, a pointer receiver, and String for the text.
	mustRun(t, s, `type Note struct{ Text string }
func (n *Note) Markdown() string { return "**" + n.Text + "**" }
func (n *Note) String() string { return "note " + n.Text }
n := &Note{"x"}`)
	b = richResult(t, s, `n`)
	checkKeys(t, b, display.MIMEText, display.MIMEMarkdown)
	if b.Data[display.MIMEMarkdown] != "**x**" || b.Data[display.MIMEText] != "note x" {
		t.Errorf("bundle %v", b.Data)
	}
	// A Note value has no Markdown method (pointer receiver): text only.
	b = richResult(t, s, `Note{"y"}`)
	checkKeys(t, b, display.MIMEText)

	b = richResult(t, s, `import "fmt"
type Icon int
func (i Icon) SVG() string { return "<svg>" + fmt.Sprint(int(i)) + "</svg>" }
Icon(3)`)
	checkKeys(t, b, display.MIMEText, display.MIMESVG)
	if b.Data[display.MIMESVG] != "<svg>3</svg>" || b.Data[display.MIMEText] != "3" {
		t.Errorf("bundle %v", b.Data)
	}

	b = richResult(t, s, `type Rec struct{ A int; B string }
func (r Rec) JSON() any { return map[string]any{"a": r.A, "b": []string{r.B}} }
Rec{1, "z"}`)
	checkKeys(t, b, display.MIMEText, display.MIMEJSON)
	want := map[string]any{"a": float64(1), "b": []any{"z"}}
	if !reflect.DeepEqual(b.Data[display.MIMEJSON], want) || b.Data[display.MIMEText] != "{1 z}" {
		t.Errorf("bundle %v", b.Data)
	}

	b = richResult(t, s, `import (
	"bytes"
	"image"
	"image/png"
)
type Pic struct{ W, H int }
func (p Pic) PNG() []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, p.W, p.H)))
	return buf.Bytes()
}
func (p Pic) HTML() string { return "<i>pic</i>" }
Pic{3, 2}`)
	checkKeys(t, b, display.MIMEText, display.MIMEPNG, display.MIMEHTML)
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 3, 2)))
	if b.Data[display.MIMEPNG] != base64.StdEncoding.EncodeToString(buf.Bytes()) ||
		b.Data[display.MIMEHTML] != "<i>pic</i>" || b.Data[display.MIMEText] != "{3 2}" {
		t.Errorf("bundle %v", b.Data)
	}
	wantMeta := map[string]any{display.MIMEPNG: map[string]any{"width": 3, "height": 2}}
	if !reflect.DeepEqual(b.Metadata, wantMeta) {
		t.Errorf("metadata %v, want %v", b.Metadata, wantMeta)
	}

	// Results the helper cannot take still work: several values, untyped
	// nil, void calls, plain values.
	if got, _ := mustRun(t, s, `func two() (int, string) { return 1, "a" }
two()`); got != "1 a" {
		t.Errorf("two() = %q", got)
	}
	if got, _ := mustRun(t, s, `nil`); got != "<nil>" {
		t.Errorf("nil = %q", got)
	}
	if got, _ := mustRun(t, s, `func f() {}
f()`); got != "" {
		t.Errorf("f() = %q", got)
	}
	// Values of other types, with the same underlying type as a cell type.
	for _, c := range []struct{ code, text string }{
		{`42`, "42"},
		{`type Plain struct{ Name string }
Plain{"p"}`, "{p}"},
		{`struct{ Name string }{"q"}`, "{q}"},
		{`type Other struct{ W, H int }
Other{1, 2}`, "{1 2}"},
		{`Icon(4)`, "4"}, // checked below
	} {
		b = richResult(t, s, c.code)
		if c.code == "Icon(4)" {
			checkKeys(t, b, display.MIMEText, display.MIMESVG)
			continue
		}
		checkKeys(t, b, display.MIMEText)
		if b.Text() != c.text {
			t.Errorf("%s = %q", c.code, b.Text())
		}
	}
}

// With a rich type in the session, other results keep their text: String
// methods, errors, several values; and a method's panic fails the cell.
func TestRichOthers(t *testing.T) {
	s := newTestSession(t)
	mustRun(t, s, `type Card struct{ Name string }
func (c Card) HTML() string {
	if c.Name == "" {
		panic("no name")
	}
	return "<b>" + c.Name + "</b>"
}
type Named struct{ N int }
func (n Named) String() string { return "named" }
type PNamed struct{ N int }
func (n *PNamed) String() string { return "pnamed" }`)
	for _, c := range []struct{ code, text string }{
		{`Named{1}`, "named"},
		{`&PNamed{1}`, "pnamed"},
		{`var e error = errors.New("boom")
e`, "boom"},
		{`[]Card{{"a"}}`, "[{a}]"},
	} {
		code := c.code
		if strings.Contains(code, "errors.") {
			code = "import \"errors\"\n" + code
		}
		b := richResult(t, s, code)
		checkKeys(t, b, display.MIMEText)
		if b.Text() != c.text {
			t.Errorf("%s = %q, want %q", c.code, b.Text(), c.text)
		}
	}
	_, err, _ := run(t, s, `Card{}`)
	if err == nil || !strings.Contains(err.Value, "no name") {
		t.Errorf("Card{}: error %v, want the method's panic", err)
	}
	b := richResult(t, s, `Card{"ok"}`)
	checkKeys(t, b, display.MIMEText, display.MIMEHTML)

	// Calls returning a cell type: a function, a method, one of two results.
	b = richResult(t, s, `func NewCard(n string) Card { return Card{n} }
NewCard("f")`)
	checkKeys(t, b, display.MIMEText, display.MIMEHTML)
	if b.Data[display.MIMEHTML] != "<b>f</b>" {
		t.Errorf("NewCard: %v", b.Data)
	}
	b = richResult(t, s, `func (n Named) Card() Card { return Card{"m"} }
Named{}.Card()`)
	checkKeys(t, b, display.MIMEText, display.MIMEHTML)
	if got, _ := mustRun(t, s, `func two() (Card, error) { return Card{"t"}, nil }
two()`); got != "{t} <nil>" {
		t.Errorf("two() = %q", got)
	}
}

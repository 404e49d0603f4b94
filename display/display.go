// Package display turns Go values into Jupyter MIME bundles and lets code in
// a notebook cell publish rich output.
//
// A cell's result goes through [Of]: an *mlx.Array becomes its R-style text
// block (exactly what Rmlx prints) plus an HTML table with the same header;
// a grad.Result, a []*mlx.Array or a map[string]*mlx.Array prints in R's
// list form; anything else prints with fmt's %v.
//
// Inside a cell, [Display], [HTML], [Markdown], [LaTeX], [PNG], [JPEG],
// [SVG], [JSON], [Image], the plots [Line], [Scatter], [Hist] and
// [Heatmap], [DisplayID], [Update] and [Clear] send output to the notebook
// while the cell runs. Outside a Jupyter kernel (no [Publisher] set) they
// do nothing, so ordinary Go programs can call them freely.
package display

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/mlxgo/mlxgo/mlx"
	"github.com/mlxgo/mlxgo/mlx/grad"
)

// MIME types used in bundles.
const (
	MIMEText     = "text/plain"
	MIMEHTML     = "text/html"
	MIMEMarkdown = "text/markdown"
)

// Bundle is one Jupyter MIME bundle: the same output in several formats,
// from which the frontend shows the richest it can render.
type Bundle struct {
	Data     map[string]any // MIME type -> content ("text/plain": string, "text/html": string, ...)
	Metadata map[string]any // per-MIME-type metadata; may be nil
}

// Text returns the bundle's text/plain content ("" if it has none).
func (b Bundle) Text() string {
	s, _ := b.Data[MIMEText].(string)
	return s
}

// textBundle is a bundle with only text/plain.
func textBundle(s string) Bundle {
	return Bundle{Data: map[string]any{MIMEText: s}}
}

// Of renders a value the way a cell shows its result:
//   - *mlx.Array: text/plain is its R-style block (String()) and text/html
//     a table with the same header lines; large or high-rank arrays, whose
//     values the text leaves out, show their corners in the table (only
//     the corners are read). A nil array prints "<nil mlx array>".
//   - grad.Result, []*mlx.Array and map[string]*mlx.Array (sorted by key):
//     R's list form in text/plain ($value/$grads, [[1]], $name), and each
//     array's HTML under its tag in text/html.
//   - Bundle: returned as is.
//   - nil: "<nil>"; an error: its Error() text.
//   - A value whose type has any of the methods HTML() string,
//     Markdown() string, SVG() string, PNG() []byte or JSON() any: each
//     adds its MIME type (text/html, text/markdown, image/svg+xml,
//     image/png with width and height metadata, application/json), and
//     text/plain is fmt's %v. A PNG method returning bytes that are not a
//     PNG, or a JSON method returning a value encoding/json cannot
//     marshal, panics.
//   - Anything else: fmt's %v (so a String method is used).
//
// The HTML reads an array's values, so it evaluates the array even where
// the text shows none (a lazy graph behind a large array is computed in
// full; only the corners are copied and formatted). An evaluation failure
// panics with an *mlx.Error, as reading values anywhere does.
func Of(v any) Bundle {
	switch x := v.(type) {
	case nil:
		return textBundle("<nil>")
	case Bundle:
		return x
	case *Bundle:
		if x == nil {
			return textBundle("<nil>")
		}
		return *x
	case *mlx.Array:
		return arrayBundle(x)
	case []*mlx.Array:
		return listBundle(unnamedList("", x), "list()")
	case grad.Result:
		return resultBundle(x)
	case *grad.Result:
		if x == nil {
			return textBundle("<nil>")
		}
		return resultBundle(*x)
	case map[string]*mlx.Array:
		return mapBundle(x)
	case error:
		return textBundle(fmt.Sprint(x)) // Error(), with fmt's guard against panics
	}
	if b, ok := richBundle(v); ok {
		return b
	}
	return textBundle(fmt.Sprintf("%v", v))
}

// arrayBundle is Of for one array.
func arrayBundle(a *mlx.Array) Bundle {
	if a == nil {
		return textBundle(a.String())
	}
	var b strings.Builder
	writeArrayHTML(&b, a)
	return Bundle{Data: map[string]any{MIMEText: a.String(), MIMEHTML: b.String()}}
}

// listItem is one line of an R list print: a tag, and the array under it
// (nil arr with heading set: a tag alone, like "$grads" before its elements).
type listItem struct {
	tag     string
	arr     *mlx.Array
	heading bool
}

// unnamedList tags arrays prefix[[1]], prefix[[2]], ... as R does.
func unnamedList(prefix string, xs []*mlx.Array) []listItem {
	items := make([]listItem, len(xs))
	for i, a := range xs {
		items[i] = listItem{tag: fmt.Sprintf("%s[[%d]]", prefix, i+1), arr: a}
	}
	return items
}

// listBundle renders items as an R list; empty is R's print of an empty
// list. The text follows mlx.FormatList: tag, block, blank line.
func listBundle(items []listItem, empty string) Bundle {
	if len(items) == 0 {
		return textBundle(empty)
	}
	var t strings.Builder
	for _, it := range items {
		t.WriteString(it.tag + "\n")
		if !it.heading {
			t.WriteString(it.arr.String())
			t.WriteString("\n\n")
		}
	}
	return Bundle{Data: map[string]any{MIMEText: t.String(), MIMEHTML: listHTML(items)}}
}

// resultBundle renders a grad.Result: text/plain is exactly Result.String().
func resultBundle(r grad.Result) Bundle {
	items := []listItem{{tag: "$value", arr: r.Value}, {tag: "$grads", heading: true}}
	items = append(items, unnamedList("$grads", r.Grads)...)
	b := listBundle(items, "")
	b.Data[MIMEText] = r.String()
	return b
}

// mapBundle renders a named list, sorted by name.
func mapBundle(m map[string]*mlx.Array) Bundle {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	items := make([]listItem, len(keys))
	for i, k := range keys {
		items[i] = listItem{tag: rTag(k, i), arr: m[k]}
	}
	return listBundle(items, "named list()")
}

// rTag is the tag R prints for element i (0-based) of a named list: $name,
// $`name` for a name that is not syntactic in R, [[i]] for an empty name.
func rTag(name string, i int) string {
	switch {
	case name == "":
		return fmt.Sprintf("[[%d]]", i+1)
	case isSyntacticName(name):
		return "$" + name
	}
	return "$`" + strings.ReplaceAll(name, "`", "\\`") + "`"
}

// rReserved are R's reserved words, which are not syntactic names.
var rReserved = map[string]bool{
	"if": true, "else": true, "repeat": true, "while": true, "function": true, "for": true,
	"next": true, "break": true, "in": true, "TRUE": true, "FALSE": true, "NULL": true,
	"Inf": true, "NaN": true, "NA": true, "NA_integer_": true, "NA_real_": true,
	"NA_character_": true, "NA_complex_": true, "...": true,
}

// isSyntacticName reports whether R can print name after $ without quotes:
// letters, digits, '.' and '_', starting with a letter or with '.' not
// followed by a digit, and not a reserved word.
func isSyntacticName(name string) bool {
	if rReserved[name] || strings.HasPrefix(name, "..") && isDotDotNumber(name) {
		return false
	}
	r := []rune(name)
	if !unicode.IsLetter(r[0]) && r[0] != '.' {
		return false
	}
	if r[0] == '.' && len(r) > 1 && unicode.IsDigit(r[1]) {
		return false
	}
	for _, c := range r {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && c != '.' && c != '_' {
			return false
		}
	}
	return true
}

// isDotDotNumber reports names like ..1, which R reserves.
func isDotDotNumber(s string) bool {
	d := s[2:]
	if d == "" {
		return false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Publisher receives the display calls made while a cell runs. The kernel
// (through interp) installs one per execution with [SetPublisher].
type Publisher interface {
	// Publish sends b as display_data, or as update_display_data when
	// update is true. displayID, if not empty, is the display's id
	// (transient.display_id), which later updates refer to.
	Publish(b Bundle, displayID string, update bool)
	// Clear sends clear_output; with wait, the frontend clears only when
	// the next output arrives (no flicker in loops).
	Clear(wait bool)
}

// pub is the package's one piece of mutable global state: where display
// calls go. It is nil outside a kernel.
var pub struct {
	mu sync.Mutex
	p  Publisher
}

// SetPublisher makes p receive all later display calls, from any goroutine;
// nil turns them back into no-ops. It is safe to call concurrently.
func SetPublisher(p Publisher) {
	pub.mu.Lock()
	pub.p = p
	pub.mu.Unlock()
}

// publisher returns the current Publisher, or nil.
func publisher() Publisher {
	pub.mu.Lock()
	defer pub.mu.Unlock()
	return pub.p
}

// publish sends the bundle made by mk, if anyone is listening (mk is not
// called otherwise, so display calls cost nothing outside a kernel).
func publish(mk func() Bundle, id string, update bool) {
	if p := publisher(); p != nil {
		p.Publish(mk(), id, update)
	}
}

// Display shows v in the cell's output now, rendered as [Of] renders a
// cell's result (an *mlx.Array shows its R-style text and an HTML table).
// Outside a kernel it does nothing.
func Display(v any) {
	publish(func() Bundle { return Of(v) }, "", false)
}

// DisplayID shows v like [Display] and tags the output with id, so that
// [Update] with the same id replaces it in place (a progress line, a
// figure redrawn in a loop). Outside a kernel it does nothing.
func DisplayID(id string, v any) {
	publish(func() Bundle { return Of(v) }, id, false)
}

// Update replaces the output shown earlier by [DisplayID] with the same id
// by v, wherever it is in the notebook. An empty id shows v as a new output,
// like [Display]. Outside a kernel it does nothing.
func Update(id string, v any) {
	publish(func() Bundle { return Of(v) }, id, id != "")
}

// HTML shows the HTML fragment s in the cell's output. Frontends that
// cannot render HTML (jupyter console) show its text without the tags.
// Outside a kernel it does nothing.
func HTML(s string) {
	publish(func() Bundle {
		return Bundle{Data: map[string]any{MIMEHTML: s, MIMEText: htmlText(s)}}
	}, "", false)
}

// Markdown shows the Markdown text s, rendered by the frontend (JupyterLab
// renders math in $...$ too); frontends that cannot render Markdown show s
// as it is. Outside a kernel it does nothing.
func Markdown(s string) {
	publish(func() Bundle {
		return Bundle{Data: map[string]any{MIMEMarkdown: s, MIMEText: s}}
	}, "", false)
}

// Clear clears the cell's output so far. With wait true the output is
// cleared only when new output arrives, which avoids flicker when a loop
// redraws. Outside a kernel it does nothing.
func Clear(wait bool) {
	if p := publisher(); p != nil {
		p.Clear(wait)
	}
}

// htmlText is the plain-text fallback of an HTML fragment: its text with
// tags, comments, scripts and styles removed, entities decoded, a line per
// block element, blank lines and surrounding spaces dropped; or "[HTML]"
// if no text is left (an image, say).
func htmlText(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "<!--"):
			s = cutAfter(s, "-->")
		case hasTagPrefix(s, "script"):
			s = cutAfter(s, "</script>")
		case hasTagPrefix(s, "style"):
			s = cutAfter(s, "</style>")
		case len(s) > 1 && (isASCIILetter(s[1]) || s[1] == '/' || s[1] == '!'):
			b.WriteString(tagSeparator(s))
			s = cutAfter(s, ">")
		default: // a lone '<' is text
			b.WriteByte('<')
			s = s[1:]
		}
	}
	var lines []string
	for l := range strings.SplitSeq(html.UnescapeString(b.String()), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "[HTML]"
	}
	return strings.Join(lines, "\n")
}

// blockTags are the elements whose start and end break lines in htmlText.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "tr": true, "li": true, "ul": true, "ol": true,
	"table": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"pre": true, "blockquote": true, "hr": true, "section": true, "dt": true, "dd": true,
}

// tagSeparator is the text that stands for the tag at the start of s in
// htmlText: a line break for block elements, a space before a table cell.
func tagSeparator(s string) string {
	name := strings.TrimPrefix(s[1:], "/")
	if i := strings.IndexFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }); i >= 0 {
		name = name[:i]
	}
	name = strings.ToLower(name)
	switch {
	case blockTags[name]:
		return "\n"
	case (name == "td" || name == "th") && s[1] != '/':
		return " "
	}
	return ""
}

// cutAfter returns s after the first sep ("" if there is none).
func cutAfter(s, sep string) string {
	if _, after, ok := strings.Cut(s, sep); ok {
		return after
	}
	return ""
}

// hasTagPrefix reports whether s starts with the opening tag <name
// (case-insensitive).
func hasTagPrefix(s, name string) bool {
	n := len(name) + 1
	if len(s) <= n || !strings.EqualFold(s[1:n], name) {
		return false
	}
	c := s[n]
	return c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '/'
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

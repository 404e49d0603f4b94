package display

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"maps"
)

// More MIME types used in bundles.
const (
	MIMELaTeX = "text/latex"
	MIMEPNG   = "image/png"
	MIMEJPEG  = "image/jpeg"
	MIMESVG   = "image/svg+xml"
	MIMEJSON  = "application/json"
)

// The interfaces [Of] looks for: a value whose type has one or more of these
// methods is shown with the matching MIME types, besides text/plain.
type (
	htmler     interface{ HTML() string }
	markdowner interface{ Markdown() string }
	svger      interface{ SVG() string }
	pnger      interface{ PNG() []byte }
	jsoner     interface{ JSON() any }
)

// LaTeX shows the LaTeX math s, rendered by the frontend (JupyterLab uses
// MathJax); s keeps its delimiters as given, e.g. `$x^2$` or `$$\sum_i x_i$$`.
// Frontends that cannot render LaTeX show s as it is. Outside a kernel it
// does nothing.
func LaTeX(s string) {
	publish(func() Bundle {
		return Bundle{Data: map[string]any{MIMELaTeX: s, MIMEText: s}}
	}, "", false)
}

// PNG shows the PNG image b. The bundle carries it base64-encoded, with its
// width and height (read from the PNG header) as metadata. It panics if b
// is not a PNG image. Outside a kernel it does nothing (and checks nothing).
func PNG(b []byte) {
	publish(func() Bundle { return imageBundle(MIMEPNG, b) }, "", false)
}

// JPEG shows the JPEG image b, as [PNG] shows a PNG. It panics if b is not
// a JPEG image. Outside a kernel it does nothing.
func JPEG(b []byte) {
	publish(func() Bundle { return imageBundle(MIMEJPEG, b) }, "", false)
}

// Image shows img, encoded as PNG. Outside a kernel it does nothing.
func Image(img image.Image) {
	publish(func() Bundle { return imageBundle(MIMEPNG, encodePNG(img)) }, "", false)
}

// SVG shows the SVG document s (image/svg+xml). Outside a kernel it does
// nothing.
func SVG(s string) {
	publish(func() Bundle {
		return Bundle{Data: map[string]any{MIMESVG: s, MIMEText: "<SVG image>"}}
	}, "", false)
}

// JSON shows v as JSON (application/json; JupyterLab shows a tree that
// folds), with its indented JSON text as text/plain. v is marshalled with
// encoding/json and unmarshalled again, so the kernel sends plain JSON
// objects, arrays and numbers whatever v's Go type. It panics if v cannot be
// marshalled. Outside a kernel it does nothing.
func JSON(v any) {
	publish(func() Bundle { return jsonBundle(v) }, "", false)
}

// imageBundle is the bundle of an encoded PNG or JPEG image: base64 data,
// width and height metadata, and a text/plain line. It panics if b does not
// decode as mime's format.
func imageBundle(mime string, b []byte) Bundle {
	decode := png.DecodeConfig
	if mime == MIMEJPEG {
		decode = jpeg.DecodeConfig
	}
	cfg, err := decode(bytes.NewReader(b))
	if err != nil {
		panic(fmt.Errorf("display: not a %s image: %w", mime, err))
	}
	return Bundle{
		Data: map[string]any{
			mime:     base64.StdEncoding.EncodeToString(b),
			MIMEText: fmt.Sprintf("<%s image %dx%d>", mime, cfg.Width, cfg.Height),
		},
		Metadata: map[string]any{mime: map[string]any{"width": cfg.Width, "height": cfg.Height}},
	}
}

// encodePNG encodes img as PNG; encoding to memory fails only for an image
// with a zero or negative size, which it reports by panicking.
func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(fmt.Errorf("display: encoding PNG: %w", err))
	}
	return buf.Bytes()
}

// jsonValue is v marshalled and unmarshalled: maps, slices, float64s,
// strings, bools and nils only. It panics if v cannot be marshalled.
func jsonValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Errorf("display: JSON: %w", err))
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Errorf("display: JSON: %w", err))
	}
	return out
}

// jsonBundle is the bundle of JSON: the value and its indented text.
func jsonBundle(v any) Bundle {
	j := jsonValue(v)
	txt, _ := json.MarshalIndent(j, "", "  ") // j came from JSON, so this cannot fail
	return Bundle{Data: map[string]any{MIMEJSON: j, MIMEText: string(txt)}}
}

// richBundle is Of for a value with any of the methods HTML, Markdown, SVG,
// PNG or JSON: each adds its MIME type, and text/plain is fmt's %v (its
// String method, if it has one). ok is false if v has none of them.
func richBundle(v any) (b Bundle, ok bool) {
	parts := map[string]any{}
	if x, is := v.(htmler); is {
		parts[MIMEHTML] = x.HTML()
	}
	if x, is := v.(markdowner); is {
		parts[MIMEMarkdown] = x.Markdown()
	}
	if x, is := v.(svger); is {
		parts[MIMESVG] = x.SVG()
	}
	if x, is := v.(pnger); is {
		parts[MIMEPNG] = x.PNG()
	}
	if x, is := v.(jsoner); is {
		parts[MIMEJSON] = x.JSON()
	}
	if len(parts) == 0 {
		return Bundle{}, false
	}
	return RichBundle(fmt.Sprintf("%v", v), parts), true
}

// RichBundle is the bundle [Of] makes for a value whose type has some of the
// methods HTML, Markdown, SVG, PNG or JSON, from what they returned: parts
// maps a MIME type to a method's result (text/html, text/markdown and
// image/svg+xml to a string, image/png to the PNG's bytes, application/json
// to any value encoding/json can marshal), and text is the text/plain
// content. The PNG is sent base64-encoded with its width and height as
// metadata, and the JSON value as plain JSON. It panics if the image/png
// bytes are not a PNG image or the JSON value cannot be marshalled; other
// MIME types in parts are copied as they are. (A kernel uses it for types
// declared in notebook cells, whose methods [Of] cannot see.)
func RichBundle(text string, parts map[string]any) Bundle {
	b := Bundle{Data: map[string]any{}}
	for mime, x := range parts {
		switch mime {
		case MIMEPNG:
			p, _ := x.([]byte)
			img := imageBundle(MIMEPNG, p)
			b.Data[MIMEPNG] = img.Data[MIMEPNG]
			if b.Metadata == nil {
				b.Metadata = map[string]any{}
			}
			maps.Copy(b.Metadata, img.Metadata)
		case MIMEJSON:
			b.Data[MIMEJSON] = jsonValue(x)
		default:
			b.Data[mime] = x
		}
	}
	b.Data[MIMEText] = text
	return b
}

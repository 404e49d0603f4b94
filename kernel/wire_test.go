package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// testMessage is a message with every part filled: two identities (the
// second one empty), a parent header, metadata, content and two buffers
// (the second one empty).
func testMessage() *Message {
	return &Message{
		Identities: [][]byte{[]byte("client-7f3a"), {}},
		Header: Header{MsgID: "0b2c9a1e-1111-4222-8333-444455556666", Session: "sess-1", Username: "ada",
			Date: "2024-05-06T07:08:09.123456Z", MsgType: "execute_request", Version: ProtocolVersion},
		ParentRaw: json.RawMessage(`{"msg_id":"parent-1","msg_type":"kernel_info_request"}`),
		Metadata:  map[string]any{"cellId": "c1"},
		Content:   json.RawMessage(`{"code":"x := \"héllo😀\"","silent":false}`),
		Buffers:   [][]byte{{0, 1, 2, 0xff}, {}},
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	s := signer{key: []byte("secret-key")}
	in := testMessage()
	frames, err := encode(in, s)
	if err != nil {
		t.Fatal(err)
	}
	// identities, delimiter, signature, 4 JSON frames, buffers.
	if got, want := len(frames), 2+1+1+4+2; got != want {
		t.Fatalf("encode gave %d frames, want %d: %q", got, want, frames)
	}
	if string(frames[0]) != "client-7f3a" || len(frames[1]) != 0 {
		t.Errorf("identity frames = %q, %q; want the identities unchanged, the empty one included", frames[0], frames[1])
	}
	if string(frames[2]) != "<IDS|MSG>" {
		t.Errorf("frame 2 = %q, want the delimiter", frames[2])
	}
	if string(frames[5]) != `{"msg_id":"parent-1","msg_type":"kernel_info_request"}` {
		t.Errorf("parent header frame = %s, want the raw parent unchanged", frames[5])
	}
	if string(frames[6]) != `{"cellId":"c1"}` {
		t.Errorf("metadata frame = %s", frames[6])
	}
	if string(frames[7]) != `{"code":"x := \"héllo😀\"","silent":false}` {
		t.Errorf("content frame = %s, want the raw content unchanged", frames[7])
	}
	if !bytes.Equal(frames[8], []byte{0, 1, 2, 0xff}) || len(frames[9]) != 0 {
		t.Errorf("buffer frames = %v, %v", frames[8], frames[9])
	}
	var h map[string]string
	if err := json.Unmarshal(frames[4], &h); err != nil {
		t.Fatalf("header frame %s: %v", frames[4], err)
	}
	wantHeader := map[string]string{"msg_id": in.Header.MsgID, "session": "sess-1", "username": "ada",
		"date": "2024-05-06T07:08:09.123456Z", "msg_type": "execute_request", "version": "5.3"}
	if !reflect.DeepEqual(h, wantHeader) {
		t.Errorf("header frame = %v, want %v", h, wantHeader)
	}

	out, err := decode(frames, s)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if len(out.Identities) != 2 || string(out.Identities[0]) != "client-7f3a" || len(out.Identities[1]) != 0 {
		t.Errorf("decoded identities = %q", out.Identities)
	}
	if out.Header != in.Header {
		t.Errorf("decoded header = %+v, want %+v", out.Header, in.Header)
	}
	if string(out.ParentRaw) != string(in.ParentRaw) || string(out.Content) != string(in.Content) {
		t.Errorf("decoded parent %s, content %s", out.ParentRaw, out.Content)
	}
	if !reflect.DeepEqual(out.Metadata, in.Metadata) {
		t.Errorf("decoded metadata = %v, want %v", out.Metadata, in.Metadata)
	}
	if len(out.Buffers) != 2 || !bytes.Equal(out.Buffers[0], in.Buffers[0]) || len(out.Buffers[1]) != 0 {
		t.Errorf("decoded buffers = %v", out.Buffers)
	}

	// Encoding the decoded message again gives the same frames.
	again, err := encode(out, s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, frames) {
		t.Errorf("re-encoded frames differ:\n%q\n%q", again, frames)
	}
}

func TestEncodeDefaultsEmptyParts(t *testing.T) {
	frames, err := encode(&Message{Header: Header{MsgID: "m"}}, signer{})
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 6 {
		t.Fatalf("got %d frames, want 6 (no identities, no buffers): %q", len(frames), frames)
	}
	for i, name := range []string{"parent", "metadata", "content"} {
		if string(frames[3+i]) != "{}" {
			t.Errorf("%s frame = %q, want {}", name, frames[3+i])
		}
	}
}

func TestSignatureIsHMACOverFramesAsSent(t *testing.T) {
	key := []byte("secret-key")
	s := signer{key: key}
	frames, err := encode(testMessage(), s)
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	for _, f := range frames[4:8] { // header, parent, metadata, content, as sent
		mac.Write(f)
	}
	want := hex.EncodeToString(mac.Sum(nil))
	if got := string(frames[3]); got != want {
		t.Errorf("signature = %s, want %s", got, want)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).Match(frames[3]) {
		t.Errorf("signature %q is not 64 lower-case hex digits", frames[3])
	}

	// A vector computed independently (Python: hmac.new(b"secret-key",
	// b'{"msg_id":"a"}' b'{}' b'{}' b'{"code":"1 + 1"}', hashlib.sha256)).
	got := s.sign([]byte(`{"msg_id":"a"}`), []byte(`{}`), []byte(`{}`), []byte(`{"code":"1 + 1"}`))
	if want := "870e0fe2731dc1d3231d4306a463d7fa9cbaa3ca100a3eff2e2dde9bf633e0af"; got != want {
		t.Errorf("sign = %s, want %s", got, want)
	}
}

func TestDecodeRejectsTamperingAndWrongKey(t *testing.T) {
	s := signer{key: []byte("secret-key")}
	good, err := encode(testMessage(), s)
	if err != nil {
		t.Fatal(err)
	}
	clone := func() [][]byte {
		c := make([][]byte, len(good))
		for i, f := range good {
			c[i] = append([]byte(nil), f...)
		}
		return c
	}
	if _, err := decode(clone(), s); err != nil {
		t.Fatalf("untampered message rejected: %v", err)
	}
	// Upper-case hex is the same signature.
	upper := clone()
	upper[3] = bytes.ToUpper(upper[3])
	if _, err := decode(upper, s); err != nil {
		t.Errorf("upper-case signature rejected: %v", err)
	}

	for i, name := range map[int]string{4: "header", 5: "parent", 6: "metadata", 7: "content"} {
		f := clone()
		f[i] = bytes.Replace(f[i], []byte("}"), []byte(` }`), 1) // same JSON, other bytes
		if _, err := decode(f, s); err == nil || err.Error() != "bad signature" {
			t.Errorf("tampered %s frame: err = %v, want bad signature", name, err)
		}
	}
	sig := clone()
	sig[3][0] ^= 1
	if _, err := decode(sig, s); err == nil || err.Error() != "bad signature" {
		t.Errorf("altered signature: err = %v, want bad signature", err)
	}
	noSig := clone()
	noSig[3] = nil
	if _, err := decode(noSig, s); err == nil || err.Error() != "bad signature" {
		t.Errorf("empty signature with a key set: err = %v, want bad signature", err)
	}
	if _, err := decode(clone(), signer{key: []byte("other-key")}); err == nil || err.Error() != "bad signature" {
		t.Errorf("wrong key: err = %v, want bad signature", err)
	}
}

func TestEmptyKeyMeansNoSignature(t *testing.T) {
	s := signer{}
	frames, err := encode(testMessage(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames[3]) != 0 {
		t.Errorf("signature with an empty key = %q, want empty", frames[3])
	}
	if got := s.sign([]byte("a")); got != "" {
		t.Errorf("sign with an empty key = %q, want empty", got)
	}
	// Nothing is checked: any signature, and any content, is accepted.
	frames[3] = []byte("deadbeef")
	frames[7] = []byte(`{"code":"changed"}`)
	m, err := decode(frames, s)
	if err != nil {
		t.Fatalf("empty key: decode: %v", err)
	}
	if string(m.Content) != `{"code":"changed"}` {
		t.Errorf("content = %s", m.Content)
	}
}

func TestDecodeMalformed(t *testing.T) {
	s := signer{key: []byte("k")}
	frames, err := encode(testMessage(), s)
	if err != nil {
		t.Fatal(err)
	}
	noDelim := append([][]byte{frames[0], frames[1]}, frames[3:]...)
	if _, err := decode(noDelim, s); err == nil || !strings.Contains(err.Error(), "no <IDS|MSG> delimiter") {
		t.Errorf("missing delimiter: err = %v", err)
	}
	if _, err := decode(nil, s); err == nil || !strings.Contains(err.Error(), "no <IDS|MSG> delimiter in 0 frames") {
		t.Errorf("no frames: err = %v", err)
	}
	short := frames[:7] // identities, delimiter, signature, header, parent, metadata: no content
	if _, err := decode(short, s); err == nil || err.Error() != "message has 4 frames after the delimiter, want at least 5" {
		t.Errorf("too few frames: err = %v", err)
	}
	if _, err := decode(frames[2:3], s); err == nil || err.Error() != "message has 0 frames after the delimiter, want at least 5" {
		t.Errorf("delimiter only: err = %v", err)
	}

	badHeader := [][]byte{[]byte(delimiter), nil, []byte("not json"), []byte("{}"), []byte("{}"), []byte("{}")}
	badHeader[1] = []byte(s.sign(badHeader[2:]...))
	if _, err := decode(badHeader, s); err == nil || !strings.HasPrefix(err.Error(), "header: ") {
		t.Errorf("header that is not JSON: err = %v", err)
	}
	badMeta := [][]byte{[]byte(delimiter), nil, []byte(`{"msg_id":"x"}`), []byte("{}"), []byte("[1]"), []byte("{}")}
	badMeta[1] = []byte(s.sign(badMeta[2:]...))
	if _, err := decode(badMeta, s); err == nil || !strings.HasPrefix(err.Error(), "metadata: ") {
		t.Errorf("metadata that is not an object: err = %v", err)
	}
}

func TestTimestampHasSixFractionalDigits(t *testing.T) {
	re := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$`)
	cet := time.FixedZone("CET", 3600)
	cases := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC), "2024-05-06T07:08:09.123456Z"},
		{time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), "2024-05-06T07:08:09.000000Z"},
		{time.Date(2024, 5, 6, 7, 8, 9, 999, time.UTC), "2024-05-06T07:08:09.000000Z"},
		{time.Date(2024, 1, 1, 0, 30, 0, 500000000, cet), "2023-12-31T23:30:00.500000Z"},
	}
	for _, c := range cases {
		if got := timestamp(c.in); got != c.want {
			t.Errorf("timestamp(%v) = %s, want %s", c.in, got, c.want)
		}
	}
	if now := timestamp(time.Now()); !re.MatchString(now) {
		t.Errorf("timestamp(now) = %s, want exactly 6 fractional digits and Z", now)
	}
}

func TestNewIDUniqueAndUUIDShaped(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for i := 0; i < 10000; i++ {
		id := newID()
		if !re.MatchString(id) {
			t.Fatalf("newID() = %q, not a version-4 UUID", id)
		}
		if seen[id] {
			t.Fatalf("newID() repeated %q after %d ids", id, i)
		}
		seen[id] = true
	}
}

func TestUTF16Offsets(t *testing.T) {
	// Runes:        a  😀    b  中 文 c
	// UTF-16 units: 0  1-2   3  4  5  6   (😀 is a surrogate pair)
	s := "a😀b中文c"
	toRunes := []struct{ u16, runes int }{
		{0, 0}, {1, 1}, {3, 2}, {4, 3}, {5, 4}, {6, 5}, {7, 6},
		{2, 2},   // inside the surrogate pair: after the emoji
		{100, 6}, // past the end: the end
	}
	for _, c := range toRunes {
		if got := utf16ToRunes(s, c.u16); got != c.runes {
			t.Errorf("utf16ToRunes(%q, %d) = %d, want %d", s, c.u16, got, c.runes)
		}
	}
	toUTF16 := []struct{ runes, u16 int }{
		{0, 0}, {1, 1}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {100, 7},
	}
	for _, c := range toUTF16 {
		if got := runesToUTF16(s, c.runes); got != c.u16 {
			t.Errorf("runesToUTF16(%q, %d) = %d, want %d", s, c.runes, got, c.u16)
		}
	}
	// Round trip on every rune boundary, with the code a frontend sends for completion.
	code := "s := \"héllo😀\"\nmlx.Mat"
	for r := 0; r <= len([]rune(code)); r++ {
		if got := utf16ToRunes(code, runesToUTF16(code, r)); got != r {
			t.Errorf("round trip of rune offset %d gave %d", r, got)
		}
	}
	if got := utf16ToRunes(code, 22); got != 21 {
		t.Errorf("end of %q: utf16ToRunes(22) = %d, want 21", code, got)
	}
	if got := utf16ToRunes("", 3); got != 0 {
		t.Errorf(`utf16ToRunes("", 3) = %d, want 0`, got)
	}
}

func TestHelpTarget(t *testing.T) {
	cases := []struct {
		code string
		name string
		ok   bool
	}{
		{"%help mlx.Matmul", "mlx.Matmul", true},
		{"  %help   mlx.Matmul \n", "mlx.Matmul", true},
		{"?mlx.Matmul", "mlx.Matmul", true},
		{"mlx.Matmul?", "mlx.Matmul", true},
		{"\tgrad.Grad?\n", "grad.Grad", true},
		{"%help", "", false},
		{"%help a b", "a b", false},
		{"?", "", false},
		{"? x", "", false},
		{"x ?", "", false},
		{"x := 1", "", false},
		{`fmt.Println("why?")`, "", false},
		{"1 + 1", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		name, ok := helpTarget(c.code)
		if ok != c.ok || (ok && name != c.name) {
			t.Errorf("helpTarget(%q) = %q, %v; want %q, %v", c.code, name, ok, c.name, c.ok)
		}
	}
}

func TestGlobAnywhere(t *testing.T) {
	cases := []struct {
		pattern, text string
		want          bool
	}{
		{"1 + 1", "1 + 1", true},
		{"1 + 1", "1 + 12", false},
		{"*", "", true},
		{"*", "a/b\nc", true},
		{"*mlx*", "a := 1\nmlx.Ones(2)\n", true},
		{"fmt.*", `fmt.Println("a/b")`, true}, // path.Match's * stops at '/'
		{"a*c", "abc", true},
		{"a*c", "a/\nc", true},
		{"a*c", "abd", false},
		{"b*", "abc", false}, // anchored at the start
		{"*b", "abc", false}, // anchored at the end
		{"a*b*c", "a/x\nb/y\nc", true},
		{"a*b*c", "acb", false},
		{"ab*ba", "aba", false}, // the parts may not overlap
		{"x*x", "xax", true},
		{"x*x", "x", false},
	}
	for _, c := range cases {
		if got := globAnywhere(c.pattern, c.text); got != c.want {
			t.Errorf("globAnywhere(%q, %q) = %v, want %v", c.pattern, c.text, got, c.want)
		}
	}
}

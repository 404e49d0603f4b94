package interp

import (
	"bytes"
	"encoding/hex"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/mlxgo/mlxgo/display"
)

// flushInterval is the least time between two Stream calls of one execution:
// text written faster than that is coalesced.
const flushInterval = 50 * time.Millisecond

// barrierTimeout bounds how long the end of a cell waits for text already
// written to a pipe to come out of it.
const barrierTimeout = 250 * time.Millisecond

// execution is the output side of one Execute call. Text written while it
// runs (and, once it has ended, until the next execution starts) is
// coalesced and sent to its Output.
type execution struct {
	out Output

	mu        sync.Mutex
	segs      []segment         // pending text, in write order
	hold      map[string][]byte // incomplete UTF-8 tails, per stream
	timer     *time.Timer
	lastFlush time.Time

	callMu sync.Mutex // serializes calls into out (Stream, Display, Clear)
}

type segment struct {
	name string
	text []byte
}

func newExecution(out Output) *execution {
	return &execution{out: out, hold: map[string][]byte{}}
}

// write queues text for stream name ("stdout" or "stderr") and makes sure a
// flush is scheduled.
func (e *execution) write(name string, p []byte) {
	if len(p) == 0 {
		return
	}
	e.mu.Lock()
	if n := len(e.segs); n > 0 && e.segs[n-1].name == name {
		e.segs[n-1].text = append(e.segs[n-1].text, p...)
	} else {
		e.segs = append(e.segs, segment{name, append([]byte(nil), p...)})
	}
	if e.timer == nil {
		delay := time.Until(e.lastFlush.Add(flushInterval))
		if delay < 0 {
			delay = 0
		}
		e.timer = time.AfterFunc(delay, func() { e.flush(false) })
	}
	e.mu.Unlock()
}

// flush sends the pending text. Unless final, an incomplete UTF-8 sequence
// at the end of a stream is kept for the next flush.
func (e *execution) flush(final bool) {
	e.callMu.Lock()
	defer e.callMu.Unlock()
	e.flushLocked(final)
}

func (e *execution) flushLocked(final bool) {
	e.mu.Lock()
	segs := e.segs
	e.segs = nil
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
	e.lastFlush = time.Now()
	var out []segment
	for _, s := range segs {
		text := s.text
		if h := e.hold[s.name]; len(h) > 0 {
			text = append(h, text...)
			delete(e.hold, s.name)
		}
		if !final {
			if cut := incompleteTail(text); cut > 0 {
				e.hold[s.name] = append([]byte(nil), text[len(text)-cut:]...)
				text = text[:len(text)-cut]
			}
		}
		if len(text) > 0 {
			out = append(out, segment{s.name, text})
		}
	}
	if final {
		for name, h := range e.hold {
			out = append(out, segment{name, h})
			delete(e.hold, name)
		}
	} else if len(e.hold) > 0 && e.timer == nil {
		// Emit a held tail eventually even if nothing completes it.
		e.timer = time.AfterFunc(flushInterval, func() { e.flush(true) })
	}
	e.mu.Unlock()
	for _, s := range out {
		e.out.Stream(s.name, string(s.text))
	}
}

// call runs f (a call into Output) after the pending text has been sent,
// so output keeps its order.
func (e *execution) call(f func()) {
	e.callMu.Lock()
	defer e.callMu.Unlock()
	e.flushLocked(false)
	f()
}

// incompleteTail returns the length of an unfinished UTF-8 sequence at the
// end of p (0 if p ends on a rune boundary or with invalid bytes).
func incompleteTail(p []byte) int {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(p); i++ {
		c := p[len(p)-i]
		if c < 0x80 {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(p[len(p)-i:]) {
				return 0
			}
			return i
		}
	}
	return 0
}

// streamWriter is an io.Writer that sends text to the execution route
// picks, or to fallback when there is none.
type streamWriter struct {
	name     string
	route    func() *execution
	fallback io.Writer
}

func (w *streamWriter) Write(p []byte) (int, error) {
	if e := w.route(); e != nil {
		e.write(w.name, p)
		return len(p), nil
	}
	if w.fallback != nil {
		return w.fallback.Write(p)
	}
	return len(p), nil
}

// pipeStream forwards what is written to the write end of a pipe to a
// streamWriter. A barrier (sync) tells when everything written before it
// has been forwarded.
type pipeStream struct {
	r, w *os.File
	dst  io.Writer

	mu      sync.Mutex
	waiters map[string]chan struct{}
	done    chan struct{}
}

// barrierMark starts a barrier token in the pipe: the mark, 16 hex digits,
// and a NUL. Text that merely contains the mark passes through unchanged.
var barrierMark = []byte("\x00mlxgo-barrier:")

const barrierLen = 15 + 16 + 1

var barrierSeq atomic.Uint64

func newPipeStream(dst io.Writer) (*pipeStream, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	p := &pipeStream{r: r, w: w, dst: dst, waiters: map[string]chan struct{}{}, done: make(chan struct{})}
	go p.loop()
	return p, nil
}

func (p *pipeStream) loop() {
	defer close(p.done)
	buf := make([]byte, 32<<10)
	var carry []byte
	for {
		n, err := p.r.Read(buf)
		if n > 0 {
			carry = p.process(append(carry, buf[:n]...))
		}
		if err != nil {
			if len(carry) > 0 {
				p.dst.Write(carry)
			}
			p.mu.Lock()
			for k, ch := range p.waiters {
				close(ch)
				delete(p.waiters, k)
			}
			p.mu.Unlock()
			return
		}
	}
}

// process forwards data up to its barrier tokens, releasing their waiters,
// and returns the bytes to keep for the next read (a token cut in two).
func (p *pipeStream) process(data []byte) []byte {
	for len(data) > 0 {
		i := bytes.Index(data, barrierMark)
		if i < 0 {
			keep := partialSuffix(data, barrierMark)
			p.dst.Write(data[:len(data)-keep])
			return append([]byte(nil), data[len(data)-keep:]...)
		}
		if len(data)-i < barrierLen {
			p.dst.Write(data[:i])
			return append([]byte(nil), data[i:]...)
		}
		tok := data[i : i+barrierLen]
		id := string(tok[len(barrierMark) : barrierLen-1])
		var ch chan struct{}
		if tok[barrierLen-1] == 0 {
			p.mu.Lock()
			ch = p.waiters[id]
			delete(p.waiters, id)
			p.mu.Unlock()
		}
		if ch == nil {
			// Not one of ours: pass the mark through as text.
			p.dst.Write(data[:i+len(barrierMark)])
			data = data[i+len(barrierMark):]
			continue
		}
		p.dst.Write(data[:i])
		close(ch)
		data = data[i+barrierLen:]
	}
	return nil
}

// partialSuffix returns the length of the longest suffix of data that is a
// proper prefix of mark.
func partialSuffix(data, mark []byte) int {
	for k := min(len(mark)-1, len(data)); k > 0; k-- {
		if bytes.Equal(data[len(data)-k:], mark[:k]) {
			return k
		}
	}
	return 0
}

// sync waits until everything written to the pipe before the call has been
// forwarded, or the timeout passes.
func (p *pipeStream) sync(timeout time.Duration) {
	var raw [8]byte
	seq := barrierSeq.Add(1)
	for i := range raw {
		raw[i] = byte(seq >> (8 * i))
	}
	id := hex.EncodeToString(raw[:])
	ch := make(chan struct{})
	p.mu.Lock()
	p.waiters[id] = ch
	p.mu.Unlock()
	tok := make([]byte, 0, barrierLen)
	tok = append(tok, barrierMark...)
	tok = append(tok, id...)
	tok = append(tok, 0)
	if _, err := p.w.Write(tok); err != nil {
		p.mu.Lock()
		delete(p.waiters, id)
		p.mu.Unlock()
		return
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
		p.mu.Lock()
		delete(p.waiters, id)
		p.mu.Unlock()
	}
}

// close closes the write end and waits for the reader to drain the pipe.
func (p *pipeStream) close() {
	p.w.Close()
	<-p.done
	p.r.Close()
}

// inputReader is the interpreter's standard input: fmt.Scan and friends,
// and os.Stdin in cells, read from it. When its buffer is empty it asks the
// current execution's Output for a line (an input_request).
type inputReader struct {
	s *Session

	mu       sync.Mutex
	buf      []byte
	pos      int
	lastSize int // size of the last rune read, for UnreadRune
}

func (r *inputReader) fill() error {
	if r.pos < len(r.buf) {
		return nil
	}
	ex := r.s.running()
	if ex == nil {
		return io.EOF
	}
	r.s.syncStreams()
	ex.flush(false)
	line, err := ex.out.Input("", false)
	if err != nil {
		// Reading code often ignores the error; say why nothing was read.
		ex.out.Stream("stderr", "input is not available: "+err.Error()+"\n")
		return err
	}
	r.buf = append(r.buf[:0], line...)
	r.buf = append(r.buf, '\n')
	r.pos = 0
	return nil
}

func (r *inputReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.fill(); err != nil {
		return 0, err
	}
	n := copy(p, r.buf[r.pos:])
	r.pos += n
	r.lastSize = 0
	return n, nil
}

func (r *inputReader) ReadRune() (rune, int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.fill(); err != nil {
		return 0, 0, err
	}
	c, size := utf8.DecodeRune(r.buf[r.pos:])
	r.pos += size
	r.lastSize = size
	return c, size, nil
}

func (r *inputReader) UnreadRune() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lastSize == 0 || r.pos < r.lastSize {
		return io.ErrNoProgress
	}
	r.pos -= r.lastSize
	r.lastSize = 0
	return nil
}

// reset drops what is left of the last line (a new cell starts afresh).
func (r *inputReader) reset() {
	r.mu.Lock()
	r.buf, r.pos, r.lastSize = r.buf[:0], 0, 0
	r.mu.Unlock()
}

// publisher is the display.Publisher a session installs: display calls go
// to the current (or last) execution's Output, after the text before them.
type publisher struct{ s *Session }

func (p publisher) Publish(b display.Bundle, displayID string, update bool) {
	ex := p.s.route()
	if ex == nil {
		return
	}
	p.s.syncStreams()
	ex.call(func() { ex.out.Display(b, displayID, update) })
}

func (p publisher) Clear(wait bool) {
	ex := p.s.route()
	if ex == nil {
		return
	}
	p.s.syncStreams()
	ex.call(func() { ex.out.Clear(wait) })
}

// Terminal reports whether the current execution's frontend is a terminal
// (an Output with a Terminal method saying so), which cannot update outputs in place.
func (p publisher) Terminal() bool {
	ex := p.s.route()
	if ex == nil {
		return false
	}
	t, ok := ex.out.(interface{ Terminal() bool })
	return ok && t.Terminal()
}

// WriteText writes s to the execution's standard output, after the text before it.
func (p publisher) WriteText(s string) {
	ex := p.s.route()
	if ex == nil {
		return
	}
	p.s.syncStreams()
	ex.call(func() { ex.out.Stream("stdout", s) })
}

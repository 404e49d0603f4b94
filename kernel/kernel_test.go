package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/go-zeromq/zmq4"

	"github.com/mlxgo/mlxgo/display"
	"github.com/mlxgo/mlxgo/interp"
)

// wait bounds every receive in these tests; replies normally take
// milliseconds.
const wait = 10 * time.Second

// fakeEngine answers a few fixed cells:
//
//	"result"  returns the bundle {"text/plain": "42", "text/html": "<b>42</b>"}
//	"print"   streams "hello\n" to stdout and "careful\n" to stderr, then returns "done"
//	"fail"    returns an error
//	"ask"     asks Input for a line and returns "got " + the line
//	"block"   waits until its context is cancelled (an interrupt)
//	"none"    returns no result
type fakeEngine struct {
	mu      sync.Mutex
	codes   []string // every Execute call's code
	cursors []int    // every Complete call's rune cursor
}

var failure = &interp.Error{Name: "FakeError", Value: "it failed on purpose",
	Traceback: []string{"FakeError: it failed on purpose", "  cell line 1: fail"}}

func text(s string) *display.Bundle {
	return &display.Bundle{Data: map[string]any{"text/plain": s}}
}

func (f *fakeEngine) Execute(ctx context.Context, code string, out interp.Output) (*display.Bundle, *interp.Error) {
	f.mu.Lock()
	f.codes = append(f.codes, code)
	f.mu.Unlock()
	switch code {
	case "result":
		return &display.Bundle{Data: map[string]any{"text/plain": "42", "text/html": "<b>42</b>"}}, nil
	case "print":
		out.Stream("stdout", "hello\n")
		out.Stream("stderr", "careful\n")
		return text("done"), nil
	case "fail":
		return nil, failure
	case "ask":
		line, err := out.Input("name? ", false)
		if err != nil {
			return nil, &interp.Error{Name: "InputError", Value: err.Error(), Traceback: []string{err.Error()}}
		}
		return text("got " + line), nil
	case "block":
		<-ctx.Done()
		return nil, &interp.Error{Name: "Interrupted", Value: "the cell was interrupted", Traceback: []string{"Interrupted"}}
	case "none":
		return nil, nil
	}
	return nil, &interp.Error{Name: "Unknown", Value: code}
}

func (f *fakeEngine) Complete(code string, cursor int) ([]string, int, int) {
	f.mu.Lock()
	f.cursors = append(f.cursors, cursor)
	f.mu.Unlock()
	// Complete the identifier before the cursor, in runes.
	r := []rune(code)
	start := cursor
	for start > 0 && (r[start-1] == '_' || r[start-1] >= 'A' && r[start-1] <= 'z') {
		start--
	}
	return []string{"Matmul", "Matrix"}, start, cursor
}

func (f *fakeEngine) Inspect(code string, cursor int) (string, bool) { return "doc of " + code, true }

func (f *fakeEngine) IsComplete(code string) (string, string) {
	if strings.HasSuffix(code, "{") {
		return "incomplete", "\t"
	}
	return "complete", ""
}

func (f *fakeEngine) executed() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.codes...)
}

// syncBuffer is the kernel's log, safe for its goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// client is one frontend: shell, control and stdin DEALERs (shell and stdin
// share an identity, as in jupyter_client), an iopub SUB and a heartbeat
// REQ, connected to a kernel that runs in this process.
type client struct {
	t       *testing.T
	sig     signer
	session string
	conn    *ConnectionInfo
	kernel  *Kernel
	engine  *fakeEngine
	log     *syncBuffer

	shell, control, stdin, iopub, hb zmq4.Socket
	shellC, controlC, stdinC, iopubC chan *Message

	cancel  context.CancelFunc
	runDone chan runResult
}

type runResult struct {
	restart bool
	err     error
}

// freePorts returns n distinct free TCP ports on 127.0.0.1.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// startKernel writes a connection file, starts a Kernel on it with a fake
// engine and connects a client that has seen iopub traffic (so no message
// published from now on is lost to the subscription handshake).
func startKernel(t *testing.T) *client {
	t.Helper()
	p := freePorts(t, 5)
	connJSON := fmt.Sprintf(`{"transport": "tcp", "ip": "127.0.0.1", "shell_port": %d, "control_port": %d,
		"stdin_port": %d, "iopub_port": %d, "hb_port": %d, "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84",
		"signature_scheme": "hmac-sha256", "kernel_name": "fake"}`, p[0], p[1], p[2], p[3], p[4])
	file := filepath.Join(t.TempDir(), "kernel-test.json")
	if err := os.WriteFile(file, []byte(connJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	conn, err := ReadConnectionFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, sig: signer{key: []byte(conn.Key)}, session: newID(), conn: conn,
		engine: &fakeEngine{}, log: &syncBuffer{}, runDone: make(chan runResult, 1)}
	c.kernel = New(conn, c.engine, Info{Implementation: "fakekernel", ImplementationVersion: "9.8.7",
		LanguageVersion: "1.99", Banner: "a fake kernel"}, log.New(c.log, "", 0))

	kctx, kcancel := context.WithCancel(context.Background())
	c.cancel = kcancel
	go func() {
		restart, err := c.kernel.Run(kctx)
		c.runDone <- runResult{restart, err}
	}()

	cctx, ccancel := context.WithCancel(context.Background())
	id := zmq4.WithID(zmq4.SocketIdentity("client-" + c.session[:8]))
	c.shell = zmq4.NewDealer(cctx, id)
	c.control = zmq4.NewDealer(cctx)
	c.stdin = zmq4.NewDealer(cctx, id)
	c.iopub = zmq4.NewSub(cctx)
	c.hb = zmq4.NewReq(cctx)
	t.Cleanup(func() {
		for _, s := range []zmq4.Socket{c.shell, c.control, c.stdin, c.iopub, c.hb} {
			s.Close()
		}
		ccancel()
		kcancel()
		select {
		case <-c.runDone:
		case <-time.After(wait):
			t.Errorf("Run did not return after its context was cancelled")
		}
	})
	dial := func(s zmq4.Socket, port int) {
		t.Helper()
		ep := fmt.Sprintf("tcp://127.0.0.1:%d", port)
		deadline := time.Now().Add(wait)
		for {
			err := s.Dial(ep)
			if err == nil {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("dialing %s: %v", ep, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	dial(c.shell, conn.ShellPort)
	dial(c.control, conn.ControlPort)
	dial(c.stdin, conn.StdinPort)
	dial(c.iopub, conn.IOPubPort)
	dial(c.hb, conn.HBPort)
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	c.shellC, c.controlC = c.reader(c.shell), c.reader(c.control)
	c.stdinC, c.iopubC = c.reader(c.stdin), c.reader(c.iopub)

	// Wait until the subscription is in place: kernel_info until iopub
	// answers, then one more whose idle ends the start-up traffic.
	deadline := time.Now().Add(wait)
	for subscribed := false; !subscribed; {
		probe := c.send(c.shell, "kernel_info_request", map[string]any{})
		c.recv(c.shellC, "shell", probe)
		select {
		case <-c.iopubC:
			subscribed = true
		case <-time.After(100 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatal("no iopub message arrived")
			}
		}
	}
	sync := c.send(c.shell, "kernel_info_request", map[string]any{})
	c.recv(c.shellC, "shell", sync)
	for {
		select {
		case m := <-c.iopubC:
			if parentOf(t, m).MsgID == sync.Header.MsgID && jsonField(t, m, "execution_state") == "idle" {
				return c
			}
		case <-time.After(wait):
			t.Fatal("no idle for the last kernel_info_request")
		}
	}
}

// reader decodes (and checks the signature of) every message a socket receives.
func (c *client) reader(s zmq4.Socket) chan *Message {
	ch := make(chan *Message, 256)
	go func() {
		for {
			raw, err := s.Recv()
			if err != nil {
				return
			}
			m, err := decode(raw.Frames, c.sig)
			if err != nil {
				c.t.Errorf("client got a bad message from the kernel: %v: %q", err, raw.Frames)
				continue
			}
			ch <- m
		}
	}()
	return ch
}

// request builds a signed request.
func (c *client) request(msgType string, content any) *Message {
	body, err := json.Marshal(content)
	if err != nil {
		c.t.Fatal(err)
	}
	return &Message{
		Header: Header{MsgID: newID(), Session: c.session, Username: "tester", Date: timestamp(time.Now()),
			MsgType: msgType, Version: ProtocolVersion},
		Content: body,
	}
}

// sendMessage signs m with sig and sends it on s.
func (c *client) sendMessage(s zmq4.Socket, m *Message, sig signer) {
	c.t.Helper()
	frames, err := encode(m, sig)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := s.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatalf("sending %s: %v", m.Header.MsgType, err)
	}
}

func (c *client) send(s zmq4.Socket, msgType string, content any) *Message {
	c.t.Helper()
	m := c.request(msgType, content)
	c.sendMessage(s, m, c.sig)
	return m
}

// recv returns the next message on ch, which must answer req.
func (c *client) recv(ch chan *Message, name string, req *Message) *Message {
	c.t.Helper()
	select {
	case m := <-ch:
		if p := parentOf(c.t, m); p.MsgID != req.Header.MsgID {
			c.t.Fatalf("%s: got %s in reply to %s (%s), want a reply to %s (%s)", name, m.Header.MsgType,
				p.MsgID, p.MsgType, req.Header.MsgID, req.Header.MsgType)
		}
		return m
	case <-time.After(wait):
		c.t.Fatalf("%s: no reply to %s within %v", name, req.Header.MsgType, wait)
	}
	return nil
}

// iopubFor returns the iopub messages of req, from its busy to its idle.
func (c *client) iopubFor(req *Message) []*Message {
	c.t.Helper()
	var got []*Message
	timeout := time.After(wait)
	for {
		select {
		case m := <-c.iopubC:
			if parentOf(c.t, m).MsgID != req.Header.MsgID {
				c.t.Fatalf("iopub: unexpected %s %s (parent %s) while waiting for the messages of %s",
					m.Header.MsgType, m.Content, parentOf(c.t, m).MsgID, req.Header.MsgType)
			}
			got = append(got, m)
			if m.Header.MsgType == "status" && jsonField(c.t, m, "execution_state") == "idle" {
				return got
			}
		case <-timeout:
			c.t.Fatalf("iopub: no idle for %s within %v; got %s", req.Header.MsgType, wait, summary(got))
		}
	}
}

// noMessage checks that nothing arrives on ch for d.
func (c *client) noMessage(ch chan *Message, name string, d time.Duration) {
	c.t.Helper()
	select {
	case m := <-ch:
		c.t.Errorf("%s: unexpected %s %s", name, m.Header.MsgType, m.Content)
	case <-time.After(d):
	}
}

func (c *client) execute(code string, extra map[string]any) *Message {
	c.t.Helper()
	content := map[string]any{"code": code, "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true}
	for k, v := range extra {
		content[k] = v
	}
	return c.send(c.shell, "execute_request", content)
}

// waitRunning waits until the engine has been asked n times to run code
// (the kernel has then set up the cell's interrupt).
func (c *client) waitRunning(code string, n int) {
	c.t.Helper()
	deadline := time.Now().Add(wait)
	for {
		count := 0
		for _, x := range c.engine.executed() {
			if x == code {
				count++
			}
		}
		if count >= n {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("the engine did not run %q %d times within %v", code, n, wait)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func parentOf(t *testing.T, m *Message) Header {
	t.Helper()
	var h Header
	if err := json.Unmarshal(m.ParentRaw, &h); err != nil {
		t.Fatalf("%s: parent header %s: %v", m.Header.MsgType, m.ParentRaw, err)
	}
	return h
}

func content(t *testing.T, m *Message) map[string]any {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal(m.Content, &c); err != nil {
		t.Fatalf("%s content %s: %v", m.Header.MsgType, m.Content, err)
	}
	return c
}

func jsonField(t *testing.T, m *Message, key string) any { return content(t, m)[key] }

// asJSON normalises a Go value the way it looks after a JSON round trip.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func summary(ms []*Message) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.Header.MsgType+" "+string(m.Content))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// checkContent compares a message's content with want, exactly.
func checkContent(t *testing.T, m *Message, want any) {
	t.Helper()
	if got, w := content(t, m), asJSON(t, want); !reflect.DeepEqual(got, w) {
		t.Errorf("%s content = %s, want %s", m.Header.MsgType, m.Content, mustJSON(w))
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// checkHeader checks what every message from the kernel carries.
func (c *client) checkHeader(m *Message, msgType string, req *Message) {
	c.t.Helper()
	h := m.Header
	if h.MsgType != msgType {
		c.t.Errorf("msg_type = %q, want %q", h.MsgType, msgType)
	}
	if h.Version != "5.3" {
		c.t.Errorf("%s: version = %q, want 5.3", msgType, h.Version)
	}
	if h.Session != c.kernel.session || h.MsgID == "" || h.MsgID == req.Header.MsgID {
		c.t.Errorf("%s: session %q, msg_id %q", msgType, h.Session, h.MsgID)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000000Z07:00", h.Date); err != nil {
		c.t.Errorf("%s: date %q: %v", msgType, h.Date, err)
	}
	if p := parentOf(c.t, m); p != req.Header {
		c.t.Errorf("%s: parent_header = %+v, want the request's header %+v", msgType, p, req.Header)
	}
}

// checkIOPub checks that msgs are exactly the given (type, content) pairs,
// all with req's header as parent.
func (c *client) checkIOPub(msgs []*Message, req *Message, want ...any) {
	c.t.Helper()
	if len(msgs) != len(want)/2 {
		c.t.Fatalf("iopub for %s: got %s, want %d messages", req.Header.MsgType, summary(msgs), len(want)/2)
	}
	for i, m := range msgs {
		c.checkHeader(m, want[2*i].(string), req)
		checkContent(c.t, m, want[2*i+1])
	}
}

var (
	busy = map[string]any{"execution_state": "busy"}
	idle = map[string]any{"execution_state": "idle"}
)

func TestKernelInfoReply(t *testing.T) {
	c := startKernel(t)
	for _, sock := range []struct {
		name string
		s    zmq4.Socket
		ch   chan *Message
	}{{"shell", c.shell, c.shellC}, {"control", c.control, c.controlC}} {
		req := c.send(sock.s, "kernel_info_request", map[string]any{})
		reply := c.recv(sock.ch, sock.name, req)
		c.checkHeader(reply, "kernel_info_reply", req)
		checkContent(t, reply, map[string]any{
			"status":                 "ok",
			"protocol_version":       "5.3",
			"implementation":         "fakekernel",
			"implementation_version": "9.8.7",
			"banner":                 "a fake kernel",
			"help_links": []any{
				map[string]any{"text": "Go", "url": "https://go.dev/doc/"},
				map[string]any{"text": "MLX", "url": "https://ml-explore.github.io/mlx/"},
			},
			"language_info": map[string]any{
				"name": "go", "version": "1.99", "mimetype": "text/x-go", "file_extension": ".go",
				"pygments_lexer": "go", "codemirror_mode": "go", "nbconvert_exporter": "script",
			},
		})
		c.checkIOPub(c.iopubFor(req), req, "status", busy, "status", idle)
	}
}

func TestExecuteOrderAndCount(t *testing.T) {
	c := startKernel(t)
	req := c.execute("print", nil)
	reply := c.recv(c.shellC, "shell", req)
	c.checkHeader(reply, "execute_reply", req)
	checkContent(t, reply, map[string]any{"status": "ok", "execution_count": 1, "payload": []any{}, "user_expressions": map[string]any{}})
	c.checkIOPub(c.iopubFor(req), req,
		"status", busy,
		"execute_input", map[string]any{"code": "print", "execution_count": 1},
		"stream", map[string]any{"name": "stdout", "text": "hello\n"},
		"stream", map[string]any{"name": "stderr", "text": "careful\n"},
		"execute_result", map[string]any{"execution_count": 1, "data": map[string]any{"text/plain": "done"}, "metadata": map[string]any{}},
		"status", idle)

	req = c.execute("result", nil)
	reply = c.recv(c.shellC, "shell", req)
	checkContent(t, reply, map[string]any{"status": "ok", "execution_count": 2, "payload": []any{}, "user_expressions": map[string]any{}})
	c.checkIOPub(c.iopubFor(req), req,
		"status", busy,
		"execute_input", map[string]any{"code": "result", "execution_count": 2},
		"execute_result", map[string]any{"execution_count": 2, "data": map[string]any{"text/plain": "42", "text/html": "<b>42</b>"}, "metadata": map[string]any{}},
		"status", idle)

	// A cell without a value publishes no execute_result.
	req = c.execute("none", nil)
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "ok", "execution_count": 3, "payload": []any{}, "user_expressions": map[string]any{}})
	c.checkIOPub(c.iopubFor(req), req, "status", busy, "execute_input", map[string]any{"code": "none", "execution_count": 3}, "status", idle)
}

func TestSilentAndStoreHistory(t *testing.T) {
	c := startKernel(t)
	req := c.execute("result", nil)
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "ok", "execution_count": 1, "payload": []any{}, "user_expressions": map[string]any{}})
	c.iopubFor(req)

	// silent: no execute_input, no stream, no result; the count stays.
	req = c.execute("print", map[string]any{"silent": true})
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "ok", "execution_count": 1, "payload": []any{}, "user_expressions": map[string]any{}})
	c.checkIOPub(c.iopubFor(req), req, "status", busy, "status", idle)

	// store_history false: outputs are published, the count stays.
	req = c.execute("result", map[string]any{"store_history": false})
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "ok", "execution_count": 1, "payload": []any{}, "user_expressions": map[string]any{}})
	c.checkIOPub(c.iopubFor(req), req,
		"status", busy,
		"execute_input", map[string]any{"code": "result", "execution_count": 1},
		"execute_result", map[string]any{"execution_count": 1, "data": map[string]any{"text/plain": "42", "text/html": "<b>42</b>"}, "metadata": map[string]any{}},
		"status", idle)

	req = c.execute("result", nil)
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "ok", "execution_count": 2, "payload": []any{}, "user_expressions": map[string]any{}})
	c.iopubFor(req)

	if got, want := c.engine.executed(), []string{"result", "print", "result", "result"}; !reflect.DeepEqual(got, want) {
		t.Errorf("engine ran %q, want %q (silent cells still run)", got, want)
	}
}

func TestExecuteError(t *testing.T) {
	c := startKernel(t)
	req := c.execute("fail", nil)
	reply := c.recv(c.shellC, "shell", req)
	c.checkHeader(reply, "execute_reply", req)
	checkContent(t, reply, map[string]any{"status": "error", "execution_count": 1, "ename": "FakeError",
		"evalue": "it failed on purpose", "traceback": failure.Traceback, "user_expressions": map[string]any{}})
	c.checkIOPub(c.iopubFor(req), req,
		"status", busy,
		"execute_input", map[string]any{"code": "fail", "execution_count": 1},
		"error", map[string]any{"ename": "FakeError", "evalue": "it failed on purpose", "traceback": failure.Traceback},
		"status", idle)

	// The kernel goes on, and the count moved.
	req = c.execute("result", nil)
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "ok", "execution_count": 2, "payload": []any{}, "user_expressions": map[string]any{}})
	c.iopubFor(req)
}

func TestStopOnErrorAbortsQueuedRequests(t *testing.T) {
	c := startKernel(t)
	// Hold the shell loop in a blocked cell so the next requests queue behind it.
	blocker := c.execute("block", nil)
	c.waitRunning("block", 1)
	failing := c.execute("fail", nil)
	queued1 := c.execute("result", nil)
	queued2 := c.execute("result", nil)
	time.Sleep(200 * time.Millisecond) // let them reach the kernel's queue
	intr := c.send(c.control, "interrupt_request", map[string]any{})
	checkContent(t, c.recv(c.controlC, "control", intr), map[string]any{"status": "ok"})
	// The interrupted cell is the first failure: it aborts what queued behind it.
	if got := jsonField(t, c.recv(c.shellC, "shell", blocker), "status"); got != "error" {
		t.Fatalf("interrupted cell: status %v, want error", got)
	}
	for _, r := range []*Message{failing, queued1, queued2} {
		checkContent(t, c.recv(c.shellC, "shell", r), map[string]any{"status": "abort", "execution_count": 1,
			"ename": "ExecutionAborted", "evalue": "an earlier cell failed (stop_on_error)", "traceback": []any{}})
	}
	// A later request runs again.
	req := c.execute("result", nil)
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "ok", "execution_count": 2, "payload": []any{}, "user_expressions": map[string]any{}})
	if got, want := c.engine.executed(), []string{"block", "result"}; !reflect.DeepEqual(got, want) {
		t.Errorf("engine ran %q, want %q", got, want)
	}

	// stop_on_error false: the queued requests run.
	blocker = c.execute("block", map[string]any{"stop_on_error": false})
	c.waitRunning("block", 2)
	next := c.execute("result", nil)
	time.Sleep(200 * time.Millisecond)
	c.send(c.control, "interrupt_request", map[string]any{})
	c.recv(c.shellC, "shell", blocker)
	checkContent(t, c.recv(c.shellC, "shell", next), map[string]any{"status": "ok", "execution_count": 4, "payload": []any{}, "user_expressions": map[string]any{}})
}

func TestInputRequest(t *testing.T) {
	c := startKernel(t)
	req := c.execute("ask", map[string]any{"allow_stdin": true})
	ir := c.recv(c.stdinC, "stdin", req)
	c.checkHeader(ir, "input_request", req)
	checkContent(t, ir, map[string]any{"prompt": "name? ", "password": false})
	c.send(c.stdin, "input_reply", map[string]any{"status": "ok", "value": "Ada"})
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "ok", "execution_count": 1, "payload": []any{}, "user_expressions": map[string]any{}})
	c.checkIOPub(c.iopubFor(req), req,
		"status", busy,
		"execute_input", map[string]any{"code": "ask", "execution_count": 1},
		"execute_result", map[string]any{"execution_count": 1, "data": map[string]any{"text/plain": "got Ada"}, "metadata": map[string]any{}},
		"status", idle)

	// Without allow_stdin, Input fails at once and nothing goes to stdin.
	req = c.execute("ask", map[string]any{"allow_stdin": false})
	msg := "this frontend does not support input (allow_stdin is false)"
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "error", "execution_count": 2,
		"ename": "InputError", "evalue": msg, "traceback": []any{msg}, "user_expressions": map[string]any{}})
	c.iopubFor(req)
	c.noMessage(c.stdinC, "stdin", 100*time.Millisecond)

	// An interrupt ends a cell that waits for input.
	req = c.execute("ask", map[string]any{"allow_stdin": true})
	c.recv(c.stdinC, "stdin", req)
	intr := c.send(c.control, "interrupt_request", map[string]any{})
	checkContent(t, c.recv(c.controlC, "control", intr), map[string]any{"status": "ok"})
	msg = "interrupted while waiting for input"
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "error", "execution_count": 3,
		"ename": "InputError", "evalue": msg, "traceback": []any{msg}, "user_expressions": map[string]any{}})
}

func TestInterruptOnControlWhileCellRuns(t *testing.T) {
	c := startKernel(t)
	req := c.execute("block", nil)
	c.waitRunning("block", 1)
	// Control and heartbeat answer while the cell runs.
	ki := c.send(c.control, "kernel_info_request", map[string]any{})
	if got := jsonField(t, c.recv(c.controlC, "control", ki), "status"); got != "ok" {
		t.Errorf("kernel_info on control during a cell: status %v", got)
	}
	c.heartbeat([]byte("ping"))
	intr := c.send(c.control, "interrupt_request", map[string]any{})
	reply := c.recv(c.controlC, "control", intr)
	c.checkHeader(reply, "interrupt_reply", intr)
	checkContent(t, reply, map[string]any{"status": "ok"})
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "error", "execution_count": 1,
		"ename": "Interrupted", "evalue": "the cell was interrupted", "traceback": []any{"Interrupted"}, "user_expressions": map[string]any{}})
}

func (c *client) heartbeat(frames ...[]byte) {
	c.t.Helper()
	done := make(chan zmq4.Msg, 1)
	errc := make(chan error, 1)
	go func() {
		if err := c.hb.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			errc <- err
			return
		}
		m, err := c.hb.Recv()
		if err != nil {
			errc <- err
			return
		}
		done <- m
	}()
	select {
	case m := <-done:
		if !reflect.DeepEqual(m.Frames, frames) {
			c.t.Errorf("heartbeat echoed %q, want %q", m.Frames, frames)
		}
	case err := <-errc:
		c.t.Fatalf("heartbeat: %v", err)
	case <-time.After(wait):
		c.t.Fatal("heartbeat: no echo")
	}
}

func TestHeartbeatEchoes(t *testing.T) {
	c := startKernel(t)
	c.heartbeat([]byte("ping"))
	c.heartbeat([]byte{0, 1, 2, 0xfe})
	c.heartbeat([]byte("two"), []byte("frames"))
}

func TestBadSignatureIsDropped(t *testing.T) {
	c := startKernel(t)
	forged := c.request("execute_request", map[string]any{"code": "result", "silent": false})
	c.sendMessage(c.shell, forged, signer{key: []byte("not-the-key")})
	unsigned := c.request("execute_request", map[string]any{"code": "result", "silent": false})
	c.sendMessage(c.shell, unsigned, signer{})
	tampered := c.request("execute_request", map[string]any{"code": "result", "silent": false})
	frames, err := encode(tampered, c.sig)
	if err != nil {
		t.Fatal(err)
	}
	frames[5] = []byte(`{"code":"fail","silent":false}`) // content changed after signing
	if err := c.shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		t.Fatal(err)
	}
	badControl := c.request("shutdown_request", map[string]any{"restart": false})
	c.sendMessage(c.control, badControl, signer{key: []byte("not-the-key")})

	// The next good request is the first one answered, on shell and on iopub.
	good := c.execute("result", nil)
	reply := c.recv(c.shellC, "shell", good)
	checkContent(t, reply, map[string]any{"status": "ok", "execution_count": 1, "payload": []any{}, "user_expressions": map[string]any{}})
	c.iopubFor(good)
	ki := c.send(c.control, "kernel_info_request", map[string]any{})
	c.recv(c.controlC, "control", ki)
	c.noMessage(c.shellC, "shell", 100*time.Millisecond)
	if got := c.engine.executed(); !reflect.DeepEqual(got, []string{"result"}) {
		t.Errorf("engine ran %q, want only the good request", got)
	}
	if n := strings.Count(c.log.String(), "dropping message: bad signature"); n != 4 {
		t.Errorf("log has %d bad-signature lines, want 4:\n%s", n, c.log.String())
	}
	select {
	case r := <-c.runDone:
		t.Fatalf("the forged shutdown_request stopped the kernel: %+v", r)
	default:
	}
}

func TestCompleteUsesUTF16Offsets(t *testing.T) {
	c := startKernel(t)
	code := "s := \"héllo😀\"\nmlx.Mat"
	n := len(utf16.Encode([]rune(code))) // 22; 21 runes
	req := c.send(c.shell, "complete_request", map[string]any{"code": code, "cursor_pos": n})
	reply := c.recv(c.shellC, "shell", req)
	checkContent(t, reply, map[string]any{"status": "ok", "matches": []any{"Matmul", "Matrix"},
		"cursor_start": 19, "cursor_end": 22, "metadata": map[string]any{}})
	c.engine.mu.Lock()
	cursors := append([]int(nil), c.engine.cursors...)
	c.engine.mu.Unlock()
	if !reflect.DeepEqual(cursors, []int{21}) {
		t.Errorf("engine got cursor %v, want [21] (runes)", cursors)
	}
	c.checkIOPub(c.iopubFor(req), req, "status", busy, "status", idle)

	req = c.send(c.shell, "is_complete_request", map[string]any{"code": "func f() {"})
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "incomplete", "indent": "\t"})
	req = c.send(c.shell, "is_complete_request", map[string]any{"code": "x := 1"})
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "complete"})
}

func TestCommMessagesAndUnknownTypes(t *testing.T) {
	c := startKernel(t)
	req := c.send(c.shell, "comm_info_request", map[string]any{})
	checkContent(t, c.recv(c.shellC, "shell", req), map[string]any{"status": "ok", "comms": map[string]any{}})
	c.iopubFor(req)

	open := c.send(c.shell, "comm_open", map[string]any{"comm_id": "c-1", "target_name": "nobody", "data": map[string]any{}})
	c.checkIOPub(c.iopubFor(open), open, "status", busy,
		"comm_close", map[string]any{"comm_id": "c-1", "data": map[string]any{}}, "status", idle)
	for _, typ := range []string{"comm_msg", "comm_close", "no_such_request"} {
		m := c.send(c.shell, typ, map[string]any{"comm_id": "c-1", "data": map[string]any{}})
		c.checkIOPub(c.iopubFor(m), m, "status", busy, "status", idle)
	}
	c.noMessage(c.shellC, "shell", 50*time.Millisecond)
	req = c.execute("result", nil)
	if got := jsonField(t, c.recv(c.shellC, "shell", req), "status"); got != "ok" {
		t.Errorf("execute after comm traffic: status %v", got)
	}
}

func TestShutdownReturnsFromRun(t *testing.T) {
	for _, restart := range []bool{true, false} {
		t.Run(fmt.Sprint("restart=", restart), func(t *testing.T) {
			c := startKernel(t)
			req := c.send(c.control, "shutdown_request", map[string]any{"restart": restart})
			reply := c.recv(c.controlC, "control", req)
			c.checkHeader(reply, "shutdown_reply", req)
			checkContent(t, reply, map[string]any{"status": "ok", "restart": restart})
			select {
			case r := <-c.runDone:
				if r.err != nil || r.restart != restart {
					t.Errorf("Run returned (%v, %v), want (%v, nil)", r.restart, r.err, restart)
				}
				c.runDone <- r // for the cleanup
			case <-time.After(2 * time.Second):
				t.Fatal("Run did not return within 2 s of shutdown_request")
			}
		})
	}
}

func TestShutdownDuringCell(t *testing.T) {
	c := startKernel(t)
	// A cell that never ends on its own; shutdown on control must still stop Run.
	c.execute("block", nil)
	c.waitRunning("block", 1)
	req := c.send(c.control, "shutdown_request", map[string]any{"restart": false})
	checkContent(t, c.recv(c.controlC, "control", req), map[string]any{"status": "ok", "restart": false})
	select {
	case r := <-c.runDone:
		c.runDone <- r
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return within 2 s of shutdown_request during a cell")
	}
}

func TestRunStopsWithItsContext(t *testing.T) {
	c := startKernel(t)
	c.cancel()
	select {
	case r := <-c.runDone:
		if r.err != nil || r.restart {
			t.Errorf("Run returned (%v, %v), want (false, nil)", r.restart, r.err)
		}
		c.runDone <- r
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return within 2 s of its context ending")
	}
	// Its goroutines stop too: nothing keeps failing to receive in the background.
	time.Sleep(100 * time.Millisecond)
	before := c.log.String()
	time.Sleep(200 * time.Millisecond)
	if after := c.log.String(); after != before {
		t.Errorf("the kernel kept logging after Run returned:\n%s", strings.TrimPrefix(after, before))
	}
}

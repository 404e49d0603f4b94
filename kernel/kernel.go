package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/mlxgo/mlxgo/display"
	"github.com/mlxgo/mlxgo/interp"
)

// Engine evaluates code for the kernel; *interp.Session implements it.
type Engine interface {
	Execute(ctx context.Context, code string, out interp.Output) (*display.Bundle, *interp.Error)
	Complete(code string, cursor int) (matches []string, start, end int)
	Inspect(code string, cursor int) (text string, found bool)
	IsComplete(code string) (status, indent string)
}

// KindCompleter is an Engine that also tells what each completion is
// ("function", "variable", "type", "module", "keyword"...): the kernel
// sends the kinds in complete_reply's metadata, as
// _jupyter_types_experimental, which JupyterLab shows beside each match.
type KindCompleter interface {
	CompleteKinds(code string, cursor int) (matches, kinds []string, start, end int)
}

// Info describes the kernel in kernel_info_reply.
type Info struct {
	Implementation        string
	ImplementationVersion string
	LanguageVersion       string
	Banner                string
}

// Kernel is one running kernel process: its sockets and its session state.
type Kernel struct {
	conn   *ConnectionInfo
	sig    signer
	engine Engine
	info   Info
	log    *log.Logger

	session string

	shell, control, stdin, iopub, hb zmq4.Socket

	// Sends on a socket are serialised; iopub goes through a queue drained by one goroutine.
	shellMu, controlMu, stdinMu sync.Mutex
	iopubQ                      chan [][]byte // a nil entry asks for flushReady to close
	flushReady                  chan struct{}

	stdinReplies chan *Message

	execMu       sync.Mutex
	cancelExec   context.CancelFunc
	execCount    int
	history      []historyEntry
	shutdownOnce sync.Once
	done         chan struct{}
	restart      bool
}

type historyEntry struct {
	line         int
	input        string
	output       string
	outputStored bool
}

// New prepares a kernel for the connection file's endpoints.
func New(conn *ConnectionInfo, engine Engine, info Info, logger *log.Logger) *Kernel {
	return &Kernel{
		conn:         conn,
		sig:          signer{key: []byte(conn.Key)},
		engine:       engine,
		info:         info,
		log:          logger,
		session:      newID(),
		iopubQ:       make(chan [][]byte, 4096),
		flushReady:   make(chan struct{}),
		stdinReplies: make(chan *Message, 1),
		done:         make(chan struct{}),
	}
}

// Run binds the five sockets and serves until a shutdown request arrives or
// ctx ends. It reports whether a restart was requested.
func (k *Kernel) Run(ctx context.Context) (restart bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opts := []zmq4.Option{zmq4.WithTimeout(10 * time.Second)}
	k.shell = zmq4.NewRouter(ctx, opts...)
	k.control = zmq4.NewRouter(ctx, opts...)
	k.stdin = zmq4.NewRouter(ctx, opts...)
	k.iopub = zmq4.NewPub(ctx, opts...)
	k.hb = zmq4.NewRep(ctx, opts...)
	binds := []struct {
		s    zmq4.Socket
		port int
		name string
	}{
		{k.shell, k.conn.ShellPort, "shell"}, {k.control, k.conn.ControlPort, "control"},
		{k.stdin, k.conn.StdinPort, "stdin"}, {k.iopub, k.conn.IOPubPort, "iopub"},
		{k.hb, k.conn.HBPort, "heartbeat"},
	}
	for _, b := range binds {
		if err := b.s.Listen(k.conn.endpoint(b.port)); err != nil {
			return false, fmt.Errorf("binding %s socket to %s: %w", b.name, k.conn.endpoint(b.port), err)
		}
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT)
	defer signal.Stop(sigs)
	go func() {
		for {
			select {
			case <-sigs:
				k.interrupt()
			case <-ctx.Done():
				return
			}
		}
	}()

	go k.publishLoop()
	go k.heartbeatLoop()
	go k.stdinLoop()
	go k.serve(k.control, &k.controlMu, "control")

	shellMsgs := make(chan *Message, 64)
	go k.receive(k.shell, "shell", shellMsgs)
	go func() {
		aborting := 0
		for m := range shellMsgs {
			if aborting > 0 {
				aborting--
				if m.Header.MsgType == "execute_request" {
					k.abort(m)
					continue
				}
			}
			if failed := k.handle(k.shell, &k.shellMu, m); failed {
				// stop_on_error: abort the execute requests already queued behind the failed one.
				aborting = len(shellMsgs)
			}
		}
	}()

	select {
	case <-k.done:
	case <-ctx.Done():
		// Stop the receive and heartbeat loops as a shutdown does; they
		// would otherwise retry their cancelled sockets forever.
		k.shutdownOnce.Do(func() { close(k.done) })
	}
	// Flush iopub (the shutdown request's idle status included): a nil
	// entry makes the publisher signal once everything before it is sent;
	// zmq4 then writes to the wire from its own goroutine, so allow a moment.
	select {
	case k.iopubQ <- nil:
	default:
	}
	select {
	case <-k.flushReady:
	case <-time.After(time.Second):
	}
	time.Sleep(100 * time.Millisecond)
	return k.restart, nil
}

// receive reads messages from a socket and sends the decoded ones to out.
func (k *Kernel) receive(s zmq4.Socket, name string, out chan<- *Message) {
	defer close(out)
	for {
		raw, err := s.Recv()
		if err != nil {
			select {
			case <-k.done:
				return
			default:
			}
			if isTimeout(err) {
				continue
			}
			k.log.Printf("%s: receive: %v", name, err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		m, err := decode(raw.Frames, k.sig)
		if err != nil {
			k.log.Printf("%s: dropping message: %v", name, err)
			continue
		}
		out <- m
	}
}

func isTimeout(err error) bool {
	type timeout interface{ Timeout() bool }
	if t, ok := err.(timeout); ok && t.Timeout() {
		return true
	}
	return false
}

// serve handles a socket's requests one at a time on its own goroutine.
func (k *Kernel) serve(s zmq4.Socket, mu *sync.Mutex, name string) {
	msgs := make(chan *Message, 16)
	go k.receive(s, name, msgs)
	for m := range msgs {
		k.handle(s, mu, m)
	}
}

func (k *Kernel) heartbeatLoop() {
	for {
		msg, err := k.hb.Recv()
		if err != nil {
			select {
			case <-k.done:
				return
			default:
			}
			if !isTimeout(err) {
				time.Sleep(10 * time.Millisecond)
			}
			continue
		}
		if err := k.hb.Send(msg); err != nil {
			k.log.Printf("heartbeat: send: %v", err)
		}
	}
}

func (k *Kernel) stdinLoop() {
	msgs := make(chan *Message, 4)
	go k.receive(k.stdin, "stdin", msgs)
	for m := range msgs {
		if m.Header.MsgType != "input_reply" {
			k.log.Printf("stdin: ignoring %s", m.Header.MsgType)
			continue
		}
		select {
		case k.stdinReplies <- m:
		default:
			k.log.Printf("stdin: dropping an input_reply nobody waits for")
		}
	}
}

// publishLoop sends iopub messages in order until Run's final flush entry.
func (k *Kernel) publishLoop() {
	for frames := range k.iopubQ {
		if frames == nil {
			close(k.flushReady)
			return
		}
		if err := k.iopub.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			k.log.Printf("iopub: send: %v", err)
		}
	}
}

// newMessage builds a message of msgType in reply to parent (which may be nil).
func (k *Kernel) newMessage(msgType string, parent *Message, content any) (*Message, error) {
	c, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("encoding %s content: %w", msgType, err)
	}
	m := &Message{
		Header: Header{MsgID: newID(), Session: k.session, Username: "mlxgo", Date: timestamp(time.Now()),
			MsgType: msgType, Version: ProtocolVersion},
		Content:  c,
		Metadata: map[string]any{},
	}
	if parent != nil {
		ph, err := json.Marshal(parent.Header)
		if err != nil {
			return nil, err
		}
		m.ParentRaw = ph
	}
	return m, nil
}

// publish sends a message on iopub.
func (k *Kernel) publish(msgType string, parent *Message, content any) {
	m, err := k.newMessage(msgType, parent, content)
	if err != nil {
		k.log.Print(err)
		return
	}
	m.Identities = [][]byte{[]byte("kernel." + k.session + "." + msgType)}
	frames, err := encode(m, k.sig)
	if err != nil {
		k.log.Print(err)
		return
	}
	k.iopubQ <- frames
}

// reply sends msgType back on s to the identities of parent.
func (k *Kernel) reply(s zmq4.Socket, mu *sync.Mutex, parent *Message, msgType string, content any) {
	m, err := k.newMessage(msgType, parent, content)
	if err != nil {
		k.log.Print(err)
		return
	}
	m.Identities = parent.Identities
	frames, err := encode(m, k.sig)
	if err != nil {
		k.log.Print(err)
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if err := s.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		k.log.Printf("sending %s: %v", msgType, err)
	}
}

func (k *Kernel) status(parent *Message, state string) {
	k.publish("status", parent, map[string]string{"execution_state": state})
}

// abort answers a queued execute request that a failed cell cancels.
func (k *Kernel) abort(m *Message) {
	k.status(m, "busy")
	k.reply(k.shell, &k.shellMu, m, "execute_reply", map[string]any{
		"status": "abort", "execution_count": k.execCount,
		"ename": "ExecutionAborted", "evalue": "an earlier cell failed (stop_on_error)", "traceback": []string{},
	})
	k.status(m, "idle")
}

// handle dispatches one request, wrapped in busy/idle. It reports whether an
// execute request failed with stop_on_error set.
func (k *Kernel) handle(s zmq4.Socket, mu *sync.Mutex, m *Message) (stopOnErrorFailure bool) {
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("panic handling %s: %v", m.Header.MsgType, r)
			k.status(m, "idle")
		}
	}()
	k.status(m, "busy")
	idleSent := false
	defer func() {
		if !idleSent {
			k.status(m, "idle")
		}
	}()
	switch t := m.Header.MsgType; t {
	case "kernel_info_request":
		k.reply(s, mu, m, "kernel_info_reply", k.kernelInfo())
	case "execute_request":
		stopOnErrorFailure = k.execute(s, mu, m)
	case "complete_request":
		k.complete(s, mu, m)
	case "inspect_request":
		k.inspect(s, mu, m)
	case "is_complete_request":
		k.isComplete(s, mu, m)
	case "history_request":
		k.historyRequest(s, mu, m)
	case "comm_info_request":
		k.reply(s, mu, m, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	case "comm_open":
		// No comm targets are registered: close it, as ipykernel does.
		var c struct {
			CommID string `json:"comm_id"`
		}
		_ = json.Unmarshal(m.Content, &c)
		k.publish("comm_close", m, map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
	case "comm_msg", "comm_close":
		// Nothing to do without comm targets.
	case "shutdown_request":
		restart := k.shutdown(s, mu, m)
		// The idle status goes out before Run is told to stop, so it is flushed.
		k.status(m, "idle")
		idleSent = true
		k.shutdownOnce.Do(func() {
			k.restart = restart
			close(k.done)
		})
	case "interrupt_request":
		k.interrupt()
		k.reply(s, mu, m, "interrupt_reply", map[string]any{"status": "ok"})
	default:
		k.log.Printf("ignoring unknown message type %q", t)
	}
	return stopOnErrorFailure
}

func (k *Kernel) kernelInfo() map[string]any {
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         k.info.Implementation,
		"implementation_version": k.info.ImplementationVersion,
		"banner":                 k.info.Banner,
		"help_links": []map[string]string{
			{"text": "Go", "url": "https://go.dev/doc/"},
			{"text": "MLX", "url": "https://ml-explore.github.io/mlx/"},
		},
		"language_info": map[string]any{
			"name":               "go",
			"version":            k.info.LanguageVersion,
			"mimetype":           "text/x-go",
			"file_extension":     ".go",
			"pygments_lexer":     "go",
			"codemirror_mode":    "go",
			"nbconvert_exporter": "script",
		},
	}
}

// shutdown answers a shutdown request and interrupts the running cell; it
// returns whether a restart was asked for.
func (k *Kernel) shutdown(s zmq4.Socket, mu *sync.Mutex, m *Message) bool {
	var c struct {
		Restart bool `json:"restart"`
	}
	_ = json.Unmarshal(m.Content, &c)
	k.reply(s, mu, m, "shutdown_reply", map[string]any{"status": "ok", "restart": c.Restart})
	k.interrupt()
	return c.Restart
}

// interrupt cancels the running execution, if any.
func (k *Kernel) interrupt() {
	k.execMu.Lock()
	cancel := k.cancelExec
	k.execMu.Unlock()
	if cancel != nil {
		cancel()
	}
}

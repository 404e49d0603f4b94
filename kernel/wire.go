// Package kernel speaks the Jupyter messaging protocol (5.3) over ZeroMQ
// (github.com/go-zeromq/zmq4): the five sockets, HMAC-SHA256 signing, and
// the request handlers. It evaluates code through an Engine and knows
// nothing of MLX.
package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// ProtocolVersion is the messaging protocol version the kernel speaks.
const ProtocolVersion = "5.3"

const delimiter = "<IDS|MSG>"

// Header is a Jupyter message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one decoded Jupyter message.
type Message struct {
	Identities [][]byte
	Header     Header
	// ParentRaw is the parent header exactly as received or to be sent.
	ParentRaw json.RawMessage
	Metadata  map[string]any
	Content   json.RawMessage
	Buffers   [][]byte
}

// signer computes and checks message signatures.
type signer struct{ key []byte }

func (s signer) sign(frames ...[]byte) string {
	if len(s.key) == 0 {
		return ""
	}
	m := hmac.New(sha256.New, s.key)
	for _, f := range frames {
		m.Write(f)
	}
	return hex.EncodeToString(m.Sum(nil))
}

func (s signer) verify(sig []byte, frames ...[]byte) bool {
	if len(s.key) == 0 {
		return true
	}
	want := s.sign(frames...)
	return hmac.Equal([]byte(want), bytes.ToLower(sig))
}

// decode parses raw ZeroMQ frames into a Message, checking the signature.
func decode(frames [][]byte, s signer) (*Message, error) {
	i := 0
	for ; i < len(frames); i++ {
		if string(frames[i]) == delimiter {
			break
		}
	}
	if i == len(frames) {
		return nil, fmt.Errorf("no %s delimiter in %d frames", delimiter, len(frames))
	}
	if len(frames) < i+6 {
		return nil, fmt.Errorf("message has %d frames after the delimiter, want at least 5", len(frames)-i-1)
	}
	sig, h, p, md, c := frames[i+1], frames[i+2], frames[i+3], frames[i+4], frames[i+5]
	if !s.verify(sig, h, p, md, c) {
		return nil, fmt.Errorf("bad signature")
	}
	m := &Message{Identities: frames[:i], ParentRaw: p, Content: c, Buffers: frames[i+6:]}
	if err := json.Unmarshal(h, &m.Header); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if len(md) > 0 {
		if err := json.Unmarshal(md, &m.Metadata); err != nil {
			return nil, fmt.Errorf("metadata: %w", err)
		}
	}
	return m, nil
}

// encode turns a message into signed frames.
func encode(m *Message, s signer) ([][]byte, error) {
	h, err := json.Marshal(m.Header)
	if err != nil {
		return nil, err
	}
	p := []byte(m.ParentRaw)
	if len(p) == 0 {
		p = []byte("{}")
	}
	md := []byte("{}")
	if m.Metadata != nil {
		if md, err = json.Marshal(m.Metadata); err != nil {
			return nil, err
		}
	}
	c := []byte(m.Content)
	if len(c) == 0 {
		c = []byte("{}")
	}
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, []byte(delimiter), []byte(s.sign(h, p, md, c)), h, p, md, c)
	frames = append(frames, m.Buffers...)
	return frames, nil
}

// newID returns a random UUID-like identifier.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// timestamp formats t as Jupyter expects (at most 6 fractional digits).
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z07:00")
}

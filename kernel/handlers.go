package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/go-zeromq/zmq4"

	"github.com/mlxgo/mlxgo/display"
)

type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      bool              `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

// output implements interp.Output for one execute request.
type output struct {
	k        *Kernel
	ctx      context.Context // the execution's; an interrupt cancels it
	parent   *Message
	silent   bool
	stdin    bool
	terminal bool // the frontend is a terminal console (see isTerminal)
}

// Terminal reports whether the request came from a terminal frontend such as
// jupyter console, which shows display_data but ignores update_display_data.
func (o *output) Terminal() bool { return o.terminal }

// isTerminal guesses a terminal frontend: it allows stdin but, unlike
// notebook frontends (JupyterLab, Notebook, VS Code), sends no cellId.
// nbclient allows no stdin, so it counts as a notebook.
func isTerminal(m *Message, allowStdin bool) bool {
	_, hasCell := m.Metadata["cellId"]
	return allowStdin && !hasCell
}

func (o *output) Stream(name, text string) {
	if o.silent || text == "" {
		return
	}
	o.k.publish("stream", o.parent, map[string]string{"name": name, "text": text})
}

func (o *output) Display(b display.Bundle, id string, update bool) {
	if o.silent {
		return
	}
	content := map[string]any{"data": bundleData(b), "metadata": bundleMeta(b)}
	msgType := "display_data"
	if update {
		msgType = "update_display_data"
	}
	if id != "" || update {
		content["transient"] = map[string]any{"display_id": id}
	}
	o.k.publish(msgType, o.parent, content)
}

func (o *output) Clear(wait bool) {
	if o.silent {
		return
	}
	o.k.publish("clear_output", o.parent, map[string]any{"wait": wait})
}

// errNoStdin is returned to cells that read input when the frontend does not allow it.
var errNoStdin = errors.New("this frontend does not support input (allow_stdin is false)")

func (o *output) Input(prompt string, password bool) (string, error) {
	if !o.stdin {
		return "", errNoStdin
	}
	// Drain a stale reply, if any.
	select {
	case <-o.k.stdinReplies:
	default:
	}
	m, err := o.k.newMessage("input_request", o.parent, map[string]any{"prompt": prompt, "password": password})
	if err != nil {
		return "", err
	}
	m.Identities = o.parent.Identities
	frames, err := encode(m, o.k.sig)
	if err != nil {
		return "", err
	}
	o.k.stdinMu.Lock()
	err = o.k.stdin.SendMulti(zmq4.NewMsgFrom(frames...))
	o.k.stdinMu.Unlock()
	if err != nil {
		return "", err
	}
	var r *Message
	select {
	case r = <-o.k.stdinReplies:
	case <-o.ctx.Done():
		return "", errors.New("interrupted while waiting for input")
	}
	var c struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(r.Content, &c); err != nil {
		return "", err
	}
	return c.Value, nil
}

func bundleData(b display.Bundle) map[string]any {
	if b.Data == nil {
		return map[string]any{"text/plain": ""}
	}
	if _, ok := b.Data["text/plain"]; !ok {
		d := make(map[string]any, len(b.Data)+1)
		for k, v := range b.Data {
			d[k] = v
		}
		d["text/plain"] = ""
		return d
	}
	return b.Data
}

func bundleMeta(b display.Bundle) map[string]any {
	if b.Metadata == nil {
		return map[string]any{}
	}
	return b.Metadata
}

// execute runs one execute request; it reports a failure with stop_on_error set.
func (k *Kernel) execute(s zmq4.Socket, mu *sync.Mutex, m *Message) bool {
	var req executeRequest
	if err := json.Unmarshal(m.Content, &req); err != nil {
		k.reply(s, mu, m, "execute_reply", map[string]any{"status": "error", "ename": "BadRequest",
			"evalue": "malformed execute_request: " + err.Error(), "traceback": []string{}, "execution_count": k.execCount})
		return false
	}
	storeHistory := req.StoreHistory == nil || *req.StoreHistory
	if req.Silent {
		storeHistory = false
	}
	stopOnError := req.StopOnError == nil || *req.StopOnError

	if storeHistory {
		k.execCount++
	}
	count := k.execCount
	if !req.Silent {
		k.publish("execute_input", m, map[string]any{"code": req.Code, "execution_count": count})
	}
	switch strings.TrimSpace(req.Code) {
	case "exit", "quit", "exit()", "quit()":
		// As IPython: ask the frontend (jupyter console) to leave.
		k.reply(s, mu, m, "execute_reply", map[string]any{"status": "ok", "execution_count": count,
			"payload": []any{map[string]any{"source": "ask_exit", "keepkernel": false}}, "user_expressions": map[string]any{}})
		return false
	}
	if name, ok := helpTarget(req.Code); ok {
		return k.help(s, mu, m, name, count, storeHistory, req.Code) && stopOnError
	}

	ctx, cancel := context.WithCancel(context.Background())
	k.execMu.Lock()
	k.cancelExec = cancel
	k.execMu.Unlock()
	out := &output{k: k, ctx: ctx, parent: m, silent: req.Silent, stdin: req.AllowStdin,
		terminal: isTerminal(m, req.AllowStdin)}
	result, xerr := k.engine.Execute(ctx, req.Code, out)
	k.execMu.Lock()
	k.cancelExec = nil
	k.execMu.Unlock()
	cancel()

	var resultText string
	if xerr == nil && result != nil && !req.Silent {
		data := bundleData(*result)
		if t, ok := data["text/plain"].(string); ok {
			resultText = t
		}
		k.publish("execute_result", m, map[string]any{"execution_count": count, "data": data, "metadata": bundleMeta(*result)})
	}
	if storeHistory {
		k.history = append(k.history, historyEntry{line: count, input: req.Code, output: resultText, outputStored: resultText != ""})
	}
	if xerr != nil {
		tb := xerr.Traceback
		if tb == nil {
			tb = []string{}
		}
		content := map[string]any{"ename": xerr.Name, "evalue": xerr.Value, "traceback": tb}
		k.publish("error", m, content)
		reply := map[string]any{"status": "error", "execution_count": count, "ename": xerr.Name,
			"evalue": xerr.Value, "traceback": tb, "user_expressions": map[string]any{}}
		k.reply(s, mu, m, "execute_reply", reply)
		return stopOnError
	}
	k.reply(s, mu, m, "execute_reply", map[string]any{
		"status": "ok", "execution_count": count, "payload": []any{},
		"user_expressions": k.userExpressions(req.UserExpressions),
	})
	return false
}

// helpTarget recognises the help forms "%help name", "?name" and "name?".
func helpTarget(code string) (string, bool) {
	c := strings.TrimSpace(code)
	switch {
	case strings.HasPrefix(c, "%help"):
		name := strings.TrimSpace(strings.TrimPrefix(c, "%help"))
		return name, name != "" && !strings.ContainsAny(name, " \t\n")
	case strings.HasPrefix(c, "?") && len(c) > 1 && !strings.ContainsAny(c, " \t\n"):
		return c[1:], true
	case strings.HasSuffix(c, "?") && len(c) > 1 && !strings.ContainsAny(c, " \t\n"):
		return strings.TrimSuffix(c, "?"), true
	}
	return "", false
}

// help answers a help request with a pager payload, as IPython's "?" does.
func (k *Kernel) help(s zmq4.Socket, mu *sync.Mutex, m *Message, name string, count int, store bool, code string) (failed bool) {
	text, found := k.engine.Inspect(name, len([]rune(name)))
	if store {
		k.history = append(k.history, historyEntry{line: count, input: code})
	}
	if !found {
		e := map[string]any{"ename": "NameError", "evalue": "no help found for " + name,
			"traceback": []string{"no help found for " + name}}
		k.publish("error", m, e)
		e["status"], e["execution_count"], e["user_expressions"] = "error", count, map[string]any{}
		k.reply(s, mu, m, "execute_reply", e)
		return true
	}
	payload := []any{map[string]any{"source": "page", "data": map[string]any{"text/plain": text}, "start": 0}}
	k.reply(s, mu, m, "execute_reply", map[string]any{"status": "ok", "execution_count": count,
		"payload": payload, "user_expressions": map[string]any{}})
	return false
}

// discard is an interp.Output that drops everything (for user_expressions).
type discard struct{}

func (discard) Stream(string, string)                {}
func (discard) Display(display.Bundle, string, bool) {}
func (discard) Clear(bool)                           {}
func (discard) Input(string, bool) (string, error)   { return "", errNoStdin }

func (k *Kernel) userExpressions(exprs map[string]string) map[string]any {
	out := map[string]any{}
	for name, code := range exprs {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		b, err := k.engine.Execute(ctx, code, discard{})
		cancel()
		switch {
		case err != nil:
			tb := err.Traceback
			if tb == nil {
				tb = []string{}
			}
			out[name] = map[string]any{"status": "error", "ename": err.Name, "evalue": err.Value, "traceback": tb}
		case b == nil:
			out[name] = map[string]any{"status": "ok", "data": map[string]any{"text/plain": ""}, "metadata": map[string]any{}}
		default:
			out[name] = map[string]any{"status": "ok", "data": bundleData(*b), "metadata": bundleMeta(*b)}
		}
	}
	return out
}

// utf16ToRunes converts a UTF-16 offset in s to a rune offset.
func utf16ToRunes(s string, pos int) int {
	n, units := 0, 0
	for _, r := range s {
		if units >= pos {
			return n
		}
		units += len(utf16.Encode([]rune{r}))
		n++
	}
	return n
}

// runesToUTF16 converts a rune offset in s to a UTF-16 offset.
func runesToUTF16(s string, pos int) int {
	units, n := 0, 0
	for _, r := range s {
		if n >= pos {
			break
		}
		units += len(utf16.Encode([]rune{r}))
		n++
	}
	return units
}

func (k *Kernel) complete(s zmq4.Socket, mu *sync.Mutex, m *Message) {
	var req struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	_ = json.Unmarshal(m.Content, &req)
	cursor := len(utf16.Encode([]rune(req.Code)))
	if req.CursorPos != nil {
		cursor = *req.CursorPos
	}
	var matches, kinds []string
	var start, end int
	if kc, ok := k.engine.(KindCompleter); ok {
		matches, kinds, start, end = kc.CompleteKinds(req.Code, utf16ToRunes(req.Code, cursor))
	} else {
		matches, start, end = k.engine.Complete(req.Code, utf16ToRunes(req.Code, cursor))
	}
	if matches == nil {
		matches = []string{}
	}
	cs, ce := runesToUTF16(req.Code, start), runesToUTF16(req.Code, end)
	metadata := map[string]any{}
	if len(kinds) == len(matches) && len(matches) > 0 {
		typed := make([]map[string]any, len(matches))
		for i, name := range matches {
			typed[i] = map[string]any{"start": cs, "end": ce, "text": name, "type": kinds[i]}
		}
		metadata["_jupyter_types_experimental"] = typed
	}
	k.reply(s, mu, m, "complete_reply", map[string]any{
		"status": "ok", "matches": matches, "metadata": metadata,
		"cursor_start": cs, "cursor_end": ce,
	})
}

func (k *Kernel) inspect(s zmq4.Socket, mu *sync.Mutex, m *Message) {
	var req struct {
		Code      string `json:"code"`
		CursorPos int    `json:"cursor_pos"`
	}
	_ = json.Unmarshal(m.Content, &req)
	text, found := k.engine.Inspect(req.Code, utf16ToRunes(req.Code, req.CursorPos))
	data := map[string]any{}
	if found {
		data["text/plain"] = text
	}
	k.reply(s, mu, m, "inspect_reply", map[string]any{"status": "ok", "found": found, "data": data, "metadata": map[string]any{}})
}

func (k *Kernel) isComplete(s zmq4.Socket, mu *sync.Mutex, m *Message) {
	var req struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(m.Content, &req)
	status, indent := k.engine.IsComplete(req.Code)
	content := map[string]any{"status": status}
	if status == "incomplete" {
		content["indent"] = indent
	}
	k.reply(s, mu, m, "is_complete_reply", content)
}

func (k *Kernel) historyRequest(s zmq4.Socket, mu *sync.Mutex, m *Message) {
	var req struct {
		Output         bool   `json:"output"`
		HistAccessType string `json:"hist_access_type"`
		Session        int    `json:"session"`
		Start          int    `json:"start"`
		Stop           *int   `json:"stop"`
		N              int    `json:"n"`
		Pattern        string `json:"pattern"`
		Unique         bool   `json:"unique"`
	}
	_ = json.Unmarshal(m.Content, &req)
	var sel []historyEntry
	switch req.HistAccessType {
	case "tail":
		sel = k.history
		if req.N > 0 && len(sel) > req.N {
			sel = sel[len(sel)-req.N:]
		}
	case "range":
		for _, h := range k.history {
			if h.line >= req.Start && (req.Stop == nil || h.line < *req.Stop) {
				sel = append(sel, h)
			}
		}
	case "search":
		pattern := req.Pattern
		if pattern == "" {
			pattern = "*"
		}
		seen := map[string]bool{}
		for i := len(k.history) - 1; i >= 0; i-- {
			h := k.history[i]
			if ok, _ := path.Match(pattern, h.input); !ok && !globAnywhere(pattern, h.input) {
				continue
			}
			if req.Unique && seen[h.input] {
				continue
			}
			seen[h.input] = true
			sel = append(sel, h)
			if req.N > 0 && len(sel) >= req.N {
				break
			}
		}
		sort.Slice(sel, func(i, j int) bool { return sel[i].line < sel[j].line })
	}
	items := make([]any, 0, len(sel))
	for _, h := range sel {
		if req.Output {
			var out any
			if h.outputStored {
				out = h.output
			}
			items = append(items, []any{0, h.line, []any{h.input, out}})
		} else {
			items = append(items, []any{0, h.line, h.input})
		}
	}
	k.reply(s, mu, m, "history_reply", map[string]any{"status": "ok", "history": items})
}

// globAnywhere matches a shell glob against text that may span lines, where
// path.Match's * stops at '/'.
func globAnywhere(pattern, text string) bool {
	parts := strings.Split(pattern, "*")
	pos := 0
	for i, p := range parts {
		if p == "" {
			continue
		}
		j := strings.Index(text[pos:], p)
		if j < 0 || (i == 0 && j != 0) {
			return false
		}
		pos += j + len(p)
	}
	last := parts[len(parts)-1]
	return last == "" || strings.HasSuffix(text, last)
}

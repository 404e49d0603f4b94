package display

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// progressSeq numbers progress bars so each gets its own display id.
var progressSeq atomic.Uint64

// ProgressBar is a progress bar shown in a cell's output and updated in place
// (update_display_data) while a loop runs, with the rate and the time left.
// Frontends without HTML (jupyter console) show its text form. Make one with
// [Progress]; it is safe to use from several goroutines.
type ProgressBar struct {
	mu       sync.Mutex
	id       string
	title    string
	total    int
	done     int
	start    time.Time
	last     time.Time
	finished bool
	now      func() time.Time  // for tests
	term     TerminalPublisher // set on terminal frontends: draw text lines
}

// progressInterval limits how often a bar is redrawn.
const progressInterval = 100 * time.Millisecond

// Progress shows a progress bar for total steps and returns it; call Add (or
// Set) as work completes and Done at the end. An optional title labels it.
//
//	p := display.Progress(100, "training")
//	for i := 0; i < 100; i++ { step(); p.Add(1) }
//	p.Done()
func Progress(total int, title ...string) *ProgressBar {
	t := ""
	if len(title) > 0 {
		t = title[0]
	}
	return newProgress(total, t, time.Now)
}

func newProgress(total int, title string, now func() time.Time) *ProgressBar {
	p := &ProgressBar{
		id:    fmt.Sprintf("mlxgo-progress-%d", progressSeq.Add(1)),
		title: title,
		total: max(total, 0),
		now:   now,
	}
	p.start = p.now()
	p.last = p.start
	if t, ok := publisher().(TerminalPublisher); ok && t.Terminal() {
		p.term = t
	}
	p.draw(false)
	return p
}

// TerminalPublisher is a Publisher that can say its frontend is a terminal
// (jupyter console), where outputs cannot be updated in place, and write
// plain text to the cell's standard output. A progress bar then redraws
// itself as one text line ending in a carriage return.
type TerminalPublisher interface {
	Publisher
	Terminal() bool
	WriteText(s string)
}

// draw shows the bar: a display update, or a redrawn text line on terminals.
func (p *ProgressBar) draw(update bool) {
	if p.term != nil {
		p.mu.Lock()
		line := "\r" + p.text()
		if p.finished {
			line += "\n"
		}
		p.mu.Unlock()
		p.term.WriteText(line)
		return
	}
	publish(p.bundle, p.id, update)
}

// Add records n more completed steps.
func (p *ProgressBar) Add(n int) { p.Set(p.Value() + n) }

// Value returns the number of completed steps.
func (p *ProgressBar) Value() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

// Set records that done steps are complete. The bar is redrawn at most ten
// times a second, and always when the total is reached.
func (p *ProgressBar) Set(done int) {
	p.mu.Lock()
	p.done = min(max(done, 0), p.total)
	now := p.now()
	redraw := p.done == p.total || now.Sub(p.last) >= progressInterval
	if redraw {
		p.last = now
	}
	p.mu.Unlock()
	if redraw {
		p.draw(true)
	}
}

// Done marks the bar finished and draws it a last time.
func (p *ProgressBar) Done() {
	p.mu.Lock()
	p.finished = true
	p.mu.Unlock()
	p.draw(true)
}

// String returns the text form, e.g.
// "training [##########----------] 50/100  12.5 it/s  ETA 4s".
func (p *ProgressBar) String() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.text()
}

func (p *ProgressBar) fraction() float64 {
	if p.total == 0 {
		return 1
	}
	return float64(p.done) / float64(p.total)
}

// stats returns the rate and the time-left parts of the bar.
func (p *ProgressBar) stats() (rate, eta string) {
	elapsed := p.now().Sub(p.start).Seconds()
	if elapsed <= 0 || p.done == 0 {
		return "", ""
	}
	r := float64(p.done) / elapsed
	rate = fmt.Sprintf("%.3g it/s", r)
	if p.finished || p.done == p.total {
		return rate, "done in " + roundDuration(elapsed)
	}
	return rate, "ETA " + roundDuration(float64(p.total-p.done)/r)
}

func roundDuration(sec float64) string {
	d := time.Duration(sec * float64(time.Second))
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

const progressWidth = 30

func (p *ProgressBar) text() string {
	filled := int(p.fraction()*progressWidth + 0.5)
	var b strings.Builder
	if p.title != "" {
		b.WriteString(p.title + " ")
	}
	b.WriteString("[" + strings.Repeat("#", filled) + strings.Repeat("-", progressWidth-filled) + "]")
	fmt.Fprintf(&b, " %d/%d", p.done, p.total)
	rate, eta := p.stats()
	if rate != "" {
		b.WriteString("  " + rate + "  " + eta)
	}
	return b.String()
}

func (p *ProgressBar) bundle() Bundle {
	p.mu.Lock()
	defer p.mu.Unlock()
	pct := p.fraction() * 100
	rate, eta := p.stats()
	var h strings.Builder
	h.WriteString(`<div style="font-family:var(--jp-ui-font-family);color:var(--jp-ui-font-color1);display:flex;align-items:center;gap:0.6em">`)
	if p.title != "" {
		h.WriteString("<span>" + html.EscapeString(p.title) + "</span>")
	}
	fmt.Fprintf(&h, `<div style="width:20em;height:0.9em;border:1px solid var(--jp-border-color1);background:var(--jp-layout-color2)">`+
		`<div style="width:%.1f%%;height:100%%;background:var(--jp-brand-color1)"></div></div>`, pct)
	fmt.Fprintf(&h, `<span>%d/%d</span>`, p.done, p.total)
	if rate != "" {
		fmt.Fprintf(&h, `<span style="color:var(--jp-ui-font-color2)">%s &middot; %s</span>`, html.EscapeString(rate), html.EscapeString(eta))
	}
	h.WriteString("</div>")
	return Bundle{Data: map[string]any{MIMEText: p.text(), MIMEHTML: h.String()}}
}

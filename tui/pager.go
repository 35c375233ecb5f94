package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// pager is a scrolling window onto lines already rendered and fitted, for
// the overlays that can be longer than the screen. Unlike the viewport
// bubble it keeps the lines as they are: no re-measuring on every frame.
type pager struct {
	lines  []string
	top, h int
}

// set replaces the lines and the height, keeping the scroll position.
func (p *pager) set(lines []string, h int) {
	p.lines, p.h = lines, max(h, 1)
	p.scroll(0)
}

func (p *pager) scroll(d int) {
	p.top = min(max(p.top+d, 0), max(len(p.lines)-p.h, 0))
}

// view is the visible lines.
func (p *pager) view() []string {
	return p.lines[p.top:min(p.top+p.h, len(p.lines))]
}

// more reports whether the lines do not fit.
func (p *pager) more() bool { return len(p.lines) > p.h }

// where is the position for a box corner: "40%", "top", "end".
func (p *pager) where() string {
	switch last := max(len(p.lines)-p.h, 1); {
	case p.top == 0:
		return "top"
	case p.top >= last:
		return "end"
	default:
		return itoa(p.top*100/last) + "%"
	}
}

// key scrolls on the list keys and reports whether msg was one of them.
func (p *pager) key(msg tea.KeyMsg, k *KeyMap) bool {
	switch {
	case key.Matches(msg, k.Up):
		p.scroll(-1)
	case key.Matches(msg, k.Down):
		p.scroll(1)
	case key.Matches(msg, k.PageUp):
		p.scroll(-max(p.h-1, 1))
	case key.Matches(msg, k.PageDown):
		p.scroll(max(p.h-1, 1))
	case key.Matches(msg, k.Top):
		p.scroll(-len(p.lines))
	case key.Matches(msg, k.Bottom):
		p.scroll(len(p.lines))
	default:
		return false
	}
	return true
}

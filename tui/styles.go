package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"github.com/warroom/warroom/model"
)

// paint is a style reduced to the escape codes around its text. Panes build
// plain text, measure and fit it, and paint it last: wrapping text in two
// precomputed strings is far cheaper than lipgloss.Style.Render per cell.
type paint struct{ pre, post string }

func newPaint(s lipgloss.Style) paint {
	r := s.Render("x")
	i := strings.IndexByte(r, 'x') // SGR sequences never contain 'x'
	if i < 0 {
		return paint{}
	}
	return paint{pre: r[:i], post: r[i+1:]}
}

// on paints text; a style with no codes (NO_COLOR) returns it unchanged.
func (p paint) on(s string) string {
	if p.pre == "" || s == "" {
		return s
	}
	return p.pre + s + p.post
}

// Styles is every style the app uses, built from one renderer so that each
// SSH session gets its own colour profile. Colours are the 16 ANSI colours,
// which follow the terminal's own palette on light and dark backgrounds and
// need no background query. Colour is never the only signal: every styled
// thing also has a word or a symbol.
type Styles struct {
	r *lipgloss.Renderer

	Title, Bold, Dim paint
	Sev              map[model.Severity]paint
	SevBadge         paint // SEV1 in the header
	Mode             paint // REPLAY / LIVE
	Playing, Paused  paint

	Border, BorderFocus  paint
	PaneTitle, PaneFocus paint
	Selected             paint
	Cursor               paint // the command line's cursor cell; empty without colour

	Good, Warn, Bad paint
	BarFill         paint
	BarFillWarn     paint
	BarFillBad      paint
	BarEmpty        paint

	Axis, Label, Line, Now paint
	Spark                  paint
	// The backlog chart's forecast: the projected path, its band, the
	// normal level; and the promise classes of the stacked chart.
	Forecast, Band, Baseline paint
	Classes                  []paint

	Inject, Note, Action paint

	Error, Info paint

	// A search's matches (matchPaints): every one, the current one, and
	// one in the selected row.
	Match, MatchCur, MatchSel paint

	Help help.Styles

	// Zone is the zone wall-clock times are shown in (zone.go); nil is UTC.
	// It is how this console shows things, as its colours are.
	Zone *time.Location
}

// NewStyles builds the styles for a renderer; nil means lipgloss's default
// renderer, which honours NO_COLOR.
func NewStyles(r *lipgloss.Renderer) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	ns := r.NewStyle
	fg := func(c string) lipgloss.Style { return ns().Foreground(lipgloss.Color(c)) }
	p := newPaint
	s := &Styles{
		r:     r,
		Title: p(ns().Bold(true)),
		Bold:  p(ns().Bold(true)),
		Dim:   p(fg("8")),
		Sev: map[model.Severity]paint{
			model.SeverityCritical: p(ns().Bold(true).Reverse(true).Foreground(lipgloss.Color("9"))),
			model.SeverityMajor:    p(fg("9").Bold(true)),
			model.SeverityMinor:    p(fg("3")),
			model.SeverityInfo:     p(fg("6")),
		},
		SevBadge: p(ns().Bold(true).Reverse(true).Foreground(lipgloss.Color("9"))),
		Mode:     p(ns().Bold(true)),
		Playing:  p(fg("2").Bold(true)),
		Paused:   p(fg("3").Bold(true)),

		Border:      p(fg("8")),
		BorderFocus: p(fg("14").Bold(true)),
		PaneTitle:   p(ns().Bold(true)),
		PaneFocus:   p(fg("14").Bold(true)),
		Selected:    p(ns().Reverse(true)),
		Cursor:      p(ns().Reverse(true)),

		Good:        p(fg("2")),
		Warn:        p(fg("3")),
		Bad:         p(fg("9")),
		BarFill:     p(fg("2")),
		BarFillWarn: p(fg("3")),
		BarFillBad:  p(fg("9")),
		BarEmpty:    p(fg("8")),

		Axis:  p(fg("8")),
		Label: p(fg("8")),
		Line:  p(fg("6")),
		Now:   p(fg("3").Bold(true)),
		Spark: p(fg("6")),

		Forecast: p(fg("12").Bold(true)),
		Band:     p(fg("4")),
		Baseline: p(fg("2")),
		Classes:  []paint{p(fg("9")), p(fg("3")), p(fg("6")), p(fg("4")), p(fg("5")), p(fg("2"))},

		Inject: p(fg("5").Bold(true)),
		Note:   p(fg("6")),
		Action: p(fg("2")),

		Error: p(fg("9").Bold(true)),
		Info:  p(fg("6")),
	}
	s.Match, s.MatchCur, s.MatchSel = matchPaints(ns)
	key, desc, sep := ns().Bold(true), fg("8"), fg("8")
	s.Help = help.Styles{
		ShortKey: key, ShortDesc: desc, ShortSeparator: sep, Ellipsis: sep,
		FullKey: key, FullDesc: desc, FullSeparator: sep,
	}
	return s
}

// sev paints a severity word, falling back to plain for unknown ones.
func (s *Styles) sev(v model.Severity, text string) string {
	return s.Sev[v].on(text)
}

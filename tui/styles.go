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

// Styles is every style the app uses, built from one Theme (theme.go) and
// one renderer, so that each SSH session gets its own colour profile and
// may choose its own theme. Colour is never the only signal: every styled
// thing also has a word or a symbol.
type Styles struct {
	r     *lipgloss.Renderer
	Theme Theme // what the styles were built from

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

// NewStyles builds the default theme's styles for a renderer; nil means
// lipgloss's default renderer, which honours NO_COLOR.
func NewStyles(r *lipgloss.Renderer) *Styles { return NewThemedStyles(r, DefaultTheme()) }

// NewThemedStyles builds a theme's styles for a renderer (nil: lipgloss's
// default). Without colour (NO_COLOR, a dumb terminal) every theme draws
// the same plain text.
func NewThemedStyles(r *lipgloss.Renderer, th Theme) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	th = themeOrDefault(th)
	ns := r.NewStyle
	// fg is a theme colour; strong (bold) when the theme makes every
	// coloured mark bold. Muted text is never made bold.
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return ns().Foreground(c).Bold(th.Strong) }
	muted := ns().Foreground(th.Muted)
	p := newPaint
	classes := make([]paint, len(th.Classes))
	for i, c := range th.Classes {
		classes[i] = p(fg(c))
	}
	s := &Styles{
		r:     r,
		Theme: th,
		Title: p(ns().Bold(true)),
		Bold:  p(ns().Bold(true)),
		Dim:   p(muted),
		Sev: map[model.Severity]paint{
			model.SeverityCritical: p(ns().Bold(true).Reverse(true).Foreground(th.Bad)),
			model.SeverityMajor:    p(fg(th.Bad).Bold(true)),
			model.SeverityMinor:    p(fg(th.Warn)),
			model.SeverityInfo:     p(fg(th.Info)),
		},
		SevBadge: p(ns().Bold(true).Reverse(true).Foreground(th.Bad)),
		Mode:     p(ns().Bold(true)),
		Playing:  p(fg(th.Good).Bold(true)),
		Paused:   p(fg(th.Warn).Bold(true)),

		Border:      p(muted),
		BorderFocus: p(fg(th.Accent).Bold(true)),
		PaneTitle:   p(ns().Bold(true)),
		PaneFocus:   p(fg(th.Accent).Bold(true)),
		Selected:    p(ns().Reverse(true)),
		Cursor:      p(ns().Reverse(true)),

		Good:        p(fg(th.Good)),
		Warn:        p(fg(th.Warn)),
		Bad:         p(fg(th.Bad)),
		BarFill:     p(fg(th.Good)),
		BarFillWarn: p(fg(th.Warn)),
		BarFillBad:  p(fg(th.Bad)),
		BarEmpty:    p(muted),

		Axis:  p(muted),
		Label: p(muted),
		Line:  p(fg(th.Info)),
		Now:   p(fg(th.Warn).Bold(true)),
		Spark: p(fg(th.Info)),

		Forecast: p(fg(th.Forecast).Bold(true)),
		Band:     p(fg(th.Band)),
		Baseline: p(fg(th.Good)),
		Classes:  classes,

		Inject: p(fg(th.Inject).Bold(true)),
		Note:   p(fg(th.Info)),
		Action: p(fg(th.Good)),

		Error: p(fg(th.Bad).Bold(true)),
		Info:  p(fg(th.Info)),
	}
	s.Match, s.MatchCur, s.MatchSel = matchPaints(ns)
	key, desc, sep := ns().Bold(true), muted, muted
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

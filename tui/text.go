package tui

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
)

// trunc shortens plain or styled text to at most w cells, ending in "…".
func trunc(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	return truncCells(s, w, "…")
}

// fit makes text exactly w cells: truncated with "…" or padded with spaces.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := width(s)
	switch {
	case n == w:
		return s
	case n < w:
		return s + strings.Repeat(" ", w-n)
	}
	s = truncCells(s, w, "…")
	if n = width(s); n < w { // a wide rune at the cut leaves a gap
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// padLeft right-aligns text in w cells; longer text is truncated.
func padLeft(s string, w int) string {
	n := width(s)
	if n >= w {
		return trunc(s, w)
	}
	return strings.Repeat(" ", w-n) + s
}

// center places text in the middle of w cells.
func center(s string, w int) string {
	s = trunc(s, w)
	left := (w - width(s)) / 2
	return fit(strings.Repeat(" ", left)+s, w)
}

// clean makes untrusted text (carrier notices, complaints, titles from a
// scenario or a live source) safe for one screen line: model.Sanitize removes
// escape sequences, controls, invisible and width-disputed characters, and
// clean flattens what is left onto one line, newlines and tabs becoming
// spaces, so no text can move the cursor, change colours or break the layout.
func clean(s string) string {
	return model.OneLine(model.Sanitize(s, 0))
}

// cleanBlock is clean for multi-line text (a notice body): newlines stay,
// tabs become four spaces and trailing spaces go.
func cleanBlock(s string) string {
	lines := strings.Split(model.Sanitize(s, 0), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.ReplaceAll(l, "\t", "    "), " ")
	}
	return strings.Join(lines, "\n")
}

// fmtCount writes a count compactly as the sitrep does: 850, 4.2k, 38k, 1.42M.
func fmtCount(v float64) string { return model.CompactFloat(math.Abs(v)) }

// fmtRate writes a signed rate per hour as model.Signed does, with a real
// minus sign: −38k/h, +12k/h, 0/h.
func fmtRate(r float64) string {
	s := model.Signed(r)
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		s = "−" + rest
	}
	return s + "/h"
}

// fmtAge writes how long ago something happened: now, 5m, 2h, 3d.
func fmtAge(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d"
}

// minute is the clock in whole minutes: panes that show times or ages to the
// minute key their caches on it, so a clock that moves by seconds does not
// re-render them.
func minute(d time.Duration) int64 { return int64(d / time.Minute) }

// repeat is strings.Repeat that tolerates a negative count.
func repeat(s string, n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(s, n)
}

// seg is a piece of a row with its paint. A row is built from segs so that a
// selected row can be painted as a whole (reverse video) instead of piece by
// piece, whose resets would cut the highlight.
type seg struct {
	t string
	p paint
}

// render paints a row; sel paints all of it at once instead.
func render(segs []seg, sel *paint) string {
	var b strings.Builder
	for _, s := range segs {
		if sel != nil {
			b.WriteString(s.t)
		} else {
			b.WriteString(s.p.on(s.t))
		}
	}
	if sel != nil {
		return sel.on(b.String())
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

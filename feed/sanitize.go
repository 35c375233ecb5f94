package feed

import (
	"strings"
	"unicode/utf8"

	"github.com/warroom/warroom/model"
)

// Caps on the length of text from outside, in runes. Anything longer is cut
// and ends in "…". Names are what a pane shows on one line (ids, carriers,
// sellers, headlines, handles); texts are what it wraps or shows zoomed in
// (complaint and notice bodies, timeline lines, prompts). The caps bound the
// memory a misbehaving source can make the room hold per event.
const (
	MaxNameLen = 200  // ids, names, handles, headlines, channels, regions
	MaxTextLen = 4000 // bodies, complaint texts, notes, prompts, timeline text
)

// Sanitize makes text from an untrusted source safe to put on a terminal:
//
//   - escape sequences are removed whole: CSI (ESC [ … final byte), OSC
//     (ESC ] … BEL or ST), DCS, SOS, PM and APC strings (ESC P, X, ^, _ … ST)
//     and two-character escapes such as ESC c or ESC ( B; a string sequence
//     that is never terminated swallows the rest of the text, as it would on
//     a terminal;
//   - C1 controls (U+0080–U+009F) are removed, and the ones that introduce a
//     sequence (CSI U+009B, OSC U+009D, DCS U+0090, SOS U+0098, PM U+009E,
//     APC U+009F) are removed with their parameters; a lone byte 0x80–0x9F,
//     which is not UTF-8 but is a C1 control to an 8-bit terminal, is treated
//     the same way;
//   - other C0 controls but newline and tab are removed, and so is DEL;
//   - any other invalid UTF-8 becomes U+FFFD;
//   - the result is at most maxLen runes: longer text is cut to maxLen-1 runes
//     followed by "…". maxLen <= 0 means no cap.
//
// Sanitize is idempotent, and returns s itself when there is nothing to do.
func Sanitize(s string, maxLen int) string {
	if sanitized(s, maxLen) {
		return s
	}
	return sanitizeSlow(s, maxLen)
}

// sanitized reports whether s needs no change: only printable ASCII, tab,
// newline and valid UTF-8 without C1 controls, and at most maxLen runes.
func sanitized(s string, maxLen int) bool {
	runes := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
			i++
			runes++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || (r >= 0x80 && r <= 0x9f) {
			return false
		}
		i += size
		runes++
	}
	return maxLen <= 0 || runes <= maxLen
}

// Bytes of escape sequences.
const (
	ctlESC = 0x1b
	ctlBEL = 0x07
	ctlCAN = 0x18 // cancels a sequence in progress
	ctlSUB = 0x1a // cancels a sequence in progress
)

func sanitizeSlow(s string, maxLen int) string {
	var b strings.Builder
	b.Grow(min(len(s), 4*max(maxLen, 0)+3) + 1)
	runes := 0
	cutAt := -1 // length of b when it held maxLen-1 runes
	put := func(r rune) bool {
		if maxLen > 0 {
			if runes == maxLen-1 {
				cutAt = b.Len()
			}
			if runes == maxLen {
				return false // one rune too many: cut
			}
		}
		b.WriteRune(r)
		runes++
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ctlESC:
				i = skipEscape(s, i+1)
				continue
			case c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f):
				if !put(rune(c)) {
					return cutText(&b, cutAt)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		c1 := rune(-1)
		switch {
		case r >= 0x80 && r <= 0x9f:
			c1 = r
		case r == utf8.RuneError && size == 1 && c >= 0x80 && c <= 0x9f:
			c1 = rune(c) // a raw 8-bit C1 control
		}
		if c1 >= 0 {
			i = skipC1(s, i+size, c1)
			continue
		}
		if !put(r) { // invalid UTF-8 decodes as U+FFFD
			return cutText(&b, cutAt)
		}
		i += size
	}
	return b.String()
}

// cutText ends a too-long text after maxLen-1 runes with an ellipsis.
func cutText(b *strings.Builder, at int) string {
	out := b.String()
	if at < 0 { // maxLen 1: only the ellipsis fits
		at = 0
	}
	return out[:at] + "…"
}

// skipEscape skips the rest of an escape sequence whose ESC was just before
// s[i], returning the index after it.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// nF escapes: intermediates 0x20–0x2F, then a final byte 0x30–0x7E.
	// Fp, Fe and Fs escapes are the final byte alone.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipC1 skips a C1 control and, for those that introduce a sequence, its
// parameters; i is the index after the control.
func skipC1(s string, i int, c1 rune) int {
	switch c1 {
	case 0x9b: // CSI
		return skipCSI(s, i)
	case 0x9d, 0x90, 0x98, 0x9e, 0x9f: // OSC, DCS, SOS, PM, APC
		return skipString(s, i)
	}
	return i
}

// skipCSI skips a control sequence's parameter bytes (0x30–0x3F),
// intermediate bytes (0x20–0x2F) and final byte (0x40–0x7E). Anything else
// ends the sequence without being consumed, except CAN and SUB, which
// cancel it and are consumed.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f:
			i++
		case c >= 0x40 && c <= 0x7e:
			return i + 1
		case c == ctlCAN || c == ctlSUB:
			return i + 1
		default:
			return i
		}
	}
	return i
}

// skipString skips the body of an OSC, DCS, SOS, PM or APC string up to and
// including its terminator: BEL, ST (ESC \ or U+009C, or a raw 0x9C byte),
// or CAN or SUB, which cancel it. ESC followed by anything else ends the
// string and starts a new sequence. An unterminated string runs to the end.
func skipString(s string, i int) int {
	for i < len(s) {
		switch c := s[i]; c {
		case ctlBEL, ctlCAN, ctlSUB:
			return i + 1
		case ctlESC:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // the ESC starts the next sequence
		case 0xc2:
			if i+1 < len(s) && s[i+1] == 0x9c {
				return i + 2
			}
		case 0x9c:
			return i + 1
		}
		i++
	}
	return i
}

// sanitizeList sanitises each string of a list, copying the list only when
// something changes.
func sanitizeList(l []string, maxLen int) []string {
	var out []string
	for i, s := range l {
		c := Sanitize(s, maxLen)
		if out == nil && c != s {
			out = make([]string, len(l))
			copy(out, l[:i])
		}
		if out != nil {
			out[i] = c
		}
	}
	if out == nil {
		return l
	}
	return out
}

// SanitizeEvent sanitises every string of an event: its source, its text and
// every string field of its body, names capped at MaxNameLen runes and texts
// at MaxTextLen. Lists are copied before they are changed, never edited in
// place. Every live source passes its events through it.
func SanitizeEvent(e model.Event) model.Event {
	e.Source = Sanitize(e.Source, MaxNameLen)
	e.Text = Sanitize(e.Text, MaxTextLen)
	n := func(s string) string { return Sanitize(s, MaxNameLen) }
	t := func(s string) string { return Sanitize(s, MaxTextLen) }
	switch b := e.Body.(type) {
	case model.HostStatus:
		b.Group = n(b.Group)
		b.State = model.HostState(n(string(b.State)))
		e.Body = b
	case model.BacklogObservation:
		// numbers only
	case model.CarrierWarning:
		b.ID, b.Carrier, b.Region, b.Headline = n(b.ID), n(b.Carrier), n(b.Region), n(b.Headline)
		b.Phase = model.WarningPhase(n(string(b.Phase)))
		b.Severity = model.Severity(n(string(b.Severity)))
		b.Body = t(b.Body)
		e.Body = b
	case model.SellerComplaint:
		b.Seller, b.Channel, b.Topic = n(b.Seller), n(b.Channel), n(b.Topic)
		b.Text = t(b.Text)
		e.Body = b
	case model.RunbookStepChange:
		b.Step, b.By = n(b.Step), n(b.By)
		b.State = model.StepState(n(string(b.State)))
		e.Body = b
	case model.Inject:
		b.ID, b.Title = n(b.ID), n(b.Title)
		b.Prompt, b.Notes = t(b.Prompt), t(b.Notes)
		b.Questions = sanitizeList(b.Questions, MaxTextLen)
		b.Expected = sanitizeList(b.Expected, MaxTextLen)
		e.Body = b
	case model.Note:
		b.Author, b.Text = n(b.Author), t(b.Text)
		e.Body = b
	case model.StatusUpdate:
		b.From, b.Text = n(b.From), t(b.Text)
		e.Body = b
	case model.Acknowledgement:
		b.Warning, b.By = n(b.Warning), n(b.By)
		e.Body = b
	case model.SourceHealth:
		b.Source, b.Error = n(b.Source), t(b.Error)
		b.Status = model.HealthStatus(n(string(b.Status)))
		var feeds []model.Kind
		for i, k := range b.Feeds {
			c := model.Kind(n(string(k)))
			if feeds == nil && c != k {
				feeds = make([]model.Kind, len(b.Feeds))
				copy(feeds, b.Feeds[:i])
			}
			if feeds != nil {
				feeds[i] = c
			}
		}
		if feeds != nil {
			b.Feeds = feeds
		}
		e.Body = b
	case model.InjectControl:
		b.Inject, b.By = n(b.Inject), n(b.By)
		b.Action = model.InjectAction(n(string(b.Action)))
		e.Body = b
	case model.Decision:
		b.Inject, b.By, b.Text = n(b.Inject), n(b.By), t(b.Text)
		e.Body = b
	case model.ExpectedCheck:
		b.Inject, b.By = n(b.Inject), n(b.By)
		e.Body = b
	case model.WhatIf:
		b.By = n(b.By)
		e.Body = b
	}
	return e
}

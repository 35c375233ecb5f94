package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
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

// Sanitize makes untrusted text (a live source, a scenario file, what a
// responder types) safe to show a person on a terminal or in a file: what
// remains cannot drive the terminal, hides nothing, and takes the same number
// of columns in every common terminal as warroom counts for it.
//
//   - escape sequences are removed whole: CSI (ESC [ … final byte), OSC
//     (ESC ] … BEL or ST), DCS, SOS, PM and APC strings (ESC P, X, ^, _ … ST)
//     and two-character escapes such as ESC c or ESC ( B; a string sequence
//     that is never terminated swallows the rest of the text, as it would on
//     a terminal;
//   - C1 controls (U+0080–U+009F) are removed, and the ones that introduce a
//     sequence (CSI U+009B, OSC U+009D, DCS U+0090, SOS U+0098, PM U+009E,
//     APC U+009F) are removed with their parameters and terminator; a lone
//     byte 0x80–0x9F, which is not UTF-8 but is a C1 control to an 8-bit
//     terminal, is treated the same way;
//   - other C0 controls but newline and tab are removed, and so is DEL; a
//     line or paragraph separator (U+2028, U+2029) becomes a newline;
//   - invisible format characters (category Cf) are removed: bidirectional
//     embeddings, overrides, isolates and marks, which can make a line read
//     differently from what it says, zero-width spaces and joiners, the byte
//     order mark, the soft hyphen, tag characters. Removing rather than
//     showing them keeps the text reading as its characters say;
//   - sequences whose width terminals disagree on are reduced to what they
//     agree on: emoji skin-tone modifiers (U+1F3FB–U+1F3FF), emoji and text
//     variation selectors (U+FE0E, U+FE0F) and the keycap mark (U+20E3) are
//     removed, a regional indicator (half a flag) becomes its ASCII capital
//     letter (🇺🇸 → US), and a zero-width joiner goes as a format character;
//   - a code point that is unassigned, or whose width is disputed (see
//     widthDisputed), and any other invalid UTF-8, become U+FFFD;
//   - the result is at most maxLen runes: longer text is cut to maxLen-1 runes
//     followed by "…". maxLen <= 0 means no cap.
//
// After Sanitize every code point takes the columns wcwidth gives it (East
// Asian ambiguous as narrow), whether or not a terminal clusters graphemes.
// Sanitize is idempotent, and returns s itself when there is nothing to do.
func Sanitize(s string, maxLen int) string {
	if sanitized(s, maxLen) {
		return s
	}
	return sanitizeSlow(s, maxLen)
}

// sanitized reports whether s needs no change: only printable ASCII, tab,
// newline and valid UTF-8 runes that Sanitize keeps as they are, and at most
// maxLen runes.
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
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if m := mapRune(r); m != r {
			return false
		}
		i += size
		runes++
	}
	return maxLen <= 0 || runes <= maxLen
}

// Results of mapRune other than a rune to write.
const (
	dropRune rune = -1 // remove the rune
	c1Rune   rune = -2 // a C1 control: remove it and any sequence it starts
)

// mapRune is what becomes of a valid non-ASCII rune: itself, another rune,
// dropRune or c1Rune.
func mapRune(r rune) rune {
	// Blocks that are assigned throughout and hold nothing Sanitize changes
	// are kept without a look at the tables: they are most of what
	// non-ASCII text is made of (BenchmarkSanitize/unicode: 8.5 µs before,
	// 3.9–4.9 µs with them, on a loaded 2-core machine).
	switch {
	case r >= 0xa0 && r < 0x300 && r != 0xad, // Latin-1, Latin Extended
		r >= 0x900 && r <= 0x97f,                                                           // Devanagari
		r >= 0x2010 && r <= 0x2027,                                                         // dashes, quotes, bullets, ellipsis
		r >= 0x2190 && r <= 0x2426, r >= 0x2440 && r <= 0x244a, r >= 0x2460 && r <= 0x25ff, // arrows to shapes, box drawing
		r >= 0x3041 && r <= 0x3096, r >= 0x3099 && r <= 0x30ff, // kana
		r >= 0x4e00 && r <= 0x9fff, // CJK ideographs
		r >= 0xac00 && r <= 0xd7a3: // Hangul syllables
		return r
	}
	return mapRuneSlow(r)
}

// mapRuneSlow is mapRune by the rules alone.
func mapRuneSlow(r rune) rune {
	switch {
	case r <= 0x9f:
		return c1Rune
	case r < 0x300: // Latin-1 and Latin Extended: only the soft hyphen is special
		if r == 0xad {
			return dropRune
		}
		return r
	case r == 0x2028 || r == 0x2029:
		return '\n'
	case r >= 0x1f1e6 && r <= 0x1f1ff: // regional indicators A–Z
		return 'A' + (r - 0x1f1e6)
	case r >= 0x1f3fb && r <= 0x1f3ff, r == 0xfe0e, r == 0xfe0f, r == 0x20e3:
		return dropRune
	case unicode.Is(unicode.Cf, r):
		return dropRune
	case unicode.Is(widthDisputed, r):
		return utf8.RuneError
	case unicode.IsGraphic(r) || unicode.Is(unicode.Co, r):
		return r
	}
	return utf8.RuneError // unassigned (Cn) or a surrogate
}

// widthDisputed holds assigned code points that terminals in common use draw
// at different widths, so no count of columns can be right everywhere:
//
//   - the additions of Unicode 15.0, the newest version the standard
//     library's tables know. Debian 12's C library (Unicode 14) has no width
//     for them and tmux 3.3a draws them zero columns wide; newer terminals
//     draw the emoji among them two wide;
//   - U+2630–2637, U+268A–268F and U+4DC0–4DFF (trigrams, digrams,
//     hexagrams), wide since Unicode 16 and narrow before, and U+3248–324F
//     (circled numbers on black squares), ambiguous width that glibc draws
//     wide.
//
// The list was made by comparing glibc 2.36's wcwidth with go-runewidth and
// the grapheme widths of charmbracelet/x/ansi over every code point.
var widthDisputed = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x0cf3, Hi: 0x0cf3, Stride: 1}, {Lo: 0x0ece, Hi: 0x0ece, Stride: 1},
		{Lo: 0x2630, Hi: 0x2637, Stride: 1}, {Lo: 0x268a, Hi: 0x268f, Stride: 1},
		{Lo: 0x3248, Hi: 0x324f, Stride: 1}, {Lo: 0x4dc0, Hi: 0x4dff, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x10efd, Hi: 0x10eff, Stride: 1}, {Lo: 0x1123f, Hi: 0x11241, Stride: 1},
		{Lo: 0x11b00, Hi: 0x11b09, Stride: 1}, {Lo: 0x11f00, Hi: 0x11f10, Stride: 1},
		{Lo: 0x11f12, Hi: 0x11f3a, Stride: 1}, {Lo: 0x11f3e, Hi: 0x11f59, Stride: 1},
		{Lo: 0x1342f, Hi: 0x1342f, Stride: 1}, {Lo: 0x13439, Hi: 0x13455, Stride: 1},
		{Lo: 0x1b132, Hi: 0x1b132, Stride: 1}, {Lo: 0x1b155, Hi: 0x1b155, Stride: 1},
		{Lo: 0x1d2c0, Hi: 0x1d2d3, Stride: 1}, {Lo: 0x1df25, Hi: 0x1df2a, Stride: 1},
		{Lo: 0x1e030, Hi: 0x1e06d, Stride: 1}, {Lo: 0x1e08f, Hi: 0x1e08f, Stride: 1},
		{Lo: 0x1e4d0, Hi: 0x1e4f9, Stride: 1}, {Lo: 0x1f6dc, Hi: 0x1f6dc, Stride: 1},
		{Lo: 0x1f774, Hi: 0x1f776, Stride: 1}, {Lo: 0x1f77b, Hi: 0x1f77f, Stride: 1},
		{Lo: 0x1f7d9, Hi: 0x1f7d9, Stride: 1}, {Lo: 0x1fa75, Hi: 0x1fa77, Stride: 1},
		{Lo: 0x1fa87, Hi: 0x1fa88, Stride: 1}, {Lo: 0x1faad, Hi: 0x1faaf, Stride: 1},
		{Lo: 0x1fabb, Hi: 0x1fabd, Stride: 1}, {Lo: 0x1fabf, Hi: 0x1fabf, Stride: 1},
		{Lo: 0x1face, Hi: 0x1facf, Stride: 1}, {Lo: 0x1fada, Hi: 0x1fadb, Stride: 1},
		{Lo: 0x1fae8, Hi: 0x1fae8, Stride: 1}, {Lo: 0x1faf7, Hi: 0x1faf8, Stride: 1},
		{Lo: 0x2b739, Hi: 0x2b739, Stride: 1}, {Lo: 0x31350, Hi: 0x323af, Stride: 1},
	},
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
		m := utf8.RuneError // invalid UTF-8
		switch {
		case r != utf8.RuneError || size > 1:
			m = mapRune(r)
		case c <= 0x9f:
			r, m = rune(c), c1Rune // a raw 8-bit C1 control
		}
		switch m {
		case c1Rune:
			i = skipC1(s, i+size, r)
			continue
		case dropRune:
		default:
			if !put(m) {
				return cutText(&b, cutAt)
			}
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

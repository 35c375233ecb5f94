package tui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
)

// Widths are counted the way terminals in common use draw text: each code
// point takes its wcwidth, whatever grapheme cluster it belongs to. tmux
// does so (measured with 3.3a, the command line's terminal test), as do the
// wcwidth-based terminals, and over SSH on a bastion the console is usually
// inside tmux or screen. Counting grapheme clusters instead, as
// charmbracelet/x/ansi does, makes "का" one column where tmux draws two, and
// a pane border moves. What would still differ between terminals (emoji
// modifiers, joiners, variation selectors, flags) model.Sanitize has already
// removed from outside text.

// wcwidth is go-runewidth with East Asian ambiguous characters narrow, as in
// a UTF-8 locale outside East Asia. It is only read.
var wcwidth = &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}

// cellWidth is the number of columns a terminal gives one code point: 0 for
// controls, combining and enclosing marks, format characters and the medial
// and final Hangul jamo that join a syllable (go-runewidth counts some marks
// and the jamo as 1, glibc and tmux as 0); 2 for wide and full-width
// characters; 1 for the rest.
func cellWidth(r rune) int {
	switch {
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return 0
	case r < 0x300:
		return 1
	// Fast paths for what panes draw most: punctuation, arrows, box drawing,
	// blocks and shapes (all narrow, no marks), CJK ideographs and Hangul
	// syllables (all wide).
	case r >= 0x2010 && r <= 0x2027, r >= 0x2190 && r <= 0x21ff, r >= 0x2500 && r <= 0x25fc:
		return 1
	case r >= 0x4e00 && r <= 0x9fff, r >= 0xac00 && r <= 0xd7a3:
		return 2
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf),
		r >= 0x1160 && r <= 0x11ff, r >= 0xd7b0 && r <= 0xd7ff:
		return 0
	case wcwidth.RuneWidth(r) == 2:
		return 2
	}
	return 1
}

// width is the number of terminal cells s takes; escape codes count zero.
func width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ansi.ESC:
			i += escapeLen(s[i:])
		case c < utf8.RuneSelf:
			if c >= 0x20 && c != 0x7f {
				n++
			}
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			n += cellWidth(r)
			i += size
		}
	}
	return n
}

// escapeLen is the length of the escape sequence at the start of s.
func escapeLen(s string) int {
	_, _, n, _ := ansi.DecodeSequence(s, ansi.NormalState, nil)
	return max(n, 1)
}

// eachCluster calls fn for each escape sequence and each grapheme cluster of
// s, in order, with the cells the cluster takes (0 for an escape sequence).
// Clusters keep a base character and its combining marks together, so that
// cutting text never strands a mark.
func eachCluster(s string, fn func(seq string, cells int, escape bool)) {
	for len(s) > 0 {
		if s[0] == ansi.ESC {
			n := escapeLen(s)
			fn(s[:n], 0, true)
			s = s[n:]
			continue
		}
		if c := s[0]; c < utf8.RuneSelf {
			w := 0
			if c >= 0x20 && c != 0x7f {
				w = 1
			}
			fn(s[:1], w, false)
			s = s[1:]
			continue
		}
		seq, _ := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
		if seq == "" {
			seq = s[:1]
		}
		w := 0
		for _, r := range seq {
			w += cellWidth(r)
		}
		fn(seq, w, false)
		s = s[len(seq):]
	}
}

// truncCells cuts plain or styled text to at most n cells, ending in tail
// when something was cut. Escape sequences after the cut are kept, so a
// style that was opened is still closed.
func truncCells(s string, n int, tail string) string {
	if width(s) <= n {
		return s
	}
	budget := n - width(tail)
	if budget < 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s))
	used, cut := 0, false
	eachCluster(s, func(seq string, cells int, escape bool) {
		switch {
		case escape:
			b.WriteString(seq)
		case cut:
		case used+cells > budget:
			cut = true
			b.WriteString(tail)
		default:
			used += cells
			b.WriteString(seq)
		}
	})
	return b.String()
}

// cutCells is the part of s between cells left (inclusive) and right
// (exclusive), escape sequences included; a wide character that straddles
// either edge becomes spaces for its cells inside, so the part is exactly
// right-left cells wide when s reaches right.
func cutCells(s string, left, right int) string {
	var b strings.Builder
	pos := 0
	eachCluster(s, func(seq string, cells int, escape bool) {
		end := pos + cells
		switch {
		case escape:
			b.WriteString(seq)
		case pos >= left && end <= right:
			b.WriteString(seq)
		case end > left && pos < right: // straddles an edge
			b.WriteString(strings.Repeat(" ", min(end, right)-max(pos, left)))
		}
		pos = end
	})
	return b.String()
}

// wrap word-wraps plain text to w cells and returns its lines. Lines break
// at spaces and after hyphens; a word longer than a line is broken where the
// line is full. The spaces at a break are dropped.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = wrapLine(out, para, w)
	}
	return out
}

// wrapLine appends the wrapped lines of one paragraph to out.
func wrapLine(out []string, s string, w int) []string {
	var line strings.Builder
	used := 0
	newline := func() {
		out = append(out, line.String())
		line.Reset()
		used = 0
	}
	for _, t := range wrapTokens(s) {
		sw, ww := width(t.space), width(t.word)
		switch {
		case used > 0 && used+sw+ww > w:
			newline()
		case used+sw <= w:
			line.WriteString(t.space)
			used += sw
		}
		if used+ww <= w {
			line.WriteString(t.word)
			used += ww
			continue
		}
		put := func(seq string, cells int) {
			if used > 0 && used+cells > w {
				newline()
			}
			line.WriteString(seq)
			used += cells
		}
		eachCluster(t.word, func(seq string, cells int, _ bool) {
			if cells <= w {
				put(seq, cells)
				return
			}
			for _, r := range seq { // a cluster wider than the line: break it
				put(string(r), cellWidth(r))
			}
		})
	}
	return append(out, line.String())
}

// wrapToken is a run of spaces and the word after it; a word ends at a
// space or just after a hyphen.
type wrapToken struct{ space, word string }

func wrapTokens(s string) []wrapToken {
	var toks []wrapToken
	for len(s) > 0 {
		sp := len(s) - len(strings.TrimLeft(s, " "))
		rest := s[sp:]
		end := strings.IndexAny(rest, " -")
		switch {
		case end < 0:
			end = len(rest)
		case rest[end] == '-':
			end++
		}
		toks = append(toks, wrapToken{space: s[:sp], word: rest[:end]})
		s = rest[end:]
	}
	return toks
}

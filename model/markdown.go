package model

import "strings"

// mdText makes untrusted text read as text inside one line of Markdown (a
// table cell, a list item, a heading). It is sanitised and put on one line,
// so it cannot start a line of its own (a heading, a list, a fence), and the
// characters Markdown or HTML act on inside a line are escaped with a
// backslash, which CommonMark and GitHub both honour for any ASCII
// punctuation:
//
//   - \ itself; ` (code spans and fences); * _ ~ (emphasis, strikethrough);
//   - [ ] (links and images); < (raw HTML and autolinks); & (entity and
//     numeric character references such as &#x202e;, which would bring back
//     what Sanitize removed);
//   - | (table cells); # (a heading's closing sequence); $ (math on GitHub).
func mdText(s string) string {
	s = OneLine(Sanitize(s, 0))
	if !strings.ContainsAny(s, mdSpecial) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(mdSpecial, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

const mdSpecial = "\\`*_~[]<&|#$"

// OneLine puts sanitised text on one line: newlines and tabs become spaces.
// Text outputs use it for names and lines, so that no text can start a line
// that reads like one warroom wrote.
func OneLine(s string) string {
	if !strings.ContainsAny(s, "\n\t") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

// MarkdownText is mdText for other packages' Markdown: untrusted text made
// to read as text on one line of Markdown.
func MarkdownText(s string) string { return mdText(s) }

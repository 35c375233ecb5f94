package model

import (
	"strconv"
	"unicode/utf8"
)

// excerpt is the part of s around where it first differs from other, with
// "…" where it is cut, for a message.
func excerpt(s, other string) string {
	i := 0
	for i < len(s) && i < len(other) && s[i] == other[i] {
		i++
	}
	start, end := i, i
	for n := 0; start > 0 && n < 12; n++ {
		_, size := utf8.DecodeLastRuneInString(s[:start])
		start -= size
	}
	for n := 0; end < len(s) && n < 24; n++ {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
	}
	out := s[start:end]
	if start > 0 {
		out = "…" + out
	}
	if end < len(s) {
		out += "…"
	}
	return out
}

// keyPath is a key as it is written in a field path: a plain name as it is,
// anything else quoted with escapes, so that a key holding an escape sequence
// is shown and not sent to the terminal.
func keyPath(name string) string {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return strconv.Quote(name)
		}
	}
	if name == "" {
		return `""`
	}
	return name
}

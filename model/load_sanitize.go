package model

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// sanitize is Sanitize for a string taken from the file, with no cap: a
// scenario is not a stream that can grow without bound, and cutting a long
// prompt would lose what its author wrote. When something is removed or
// replaced the lint pass gets a warning that shows where.
func (v yamlValue) sanitize(s string) string {
	clean := Sanitize(s, 0)
	if clean == s {
		return s
	}
	at := v.pos()
	v.d.changed = append(v.d.changed, LintWarning{File: v.d.file, Line: at.line, Col: at.col, Field: v.path,
		Message: Visible(fmt.Sprintf("terminal controls, invisible or width-disputed characters removed for display: %q becomes %q",
			excerpt(s, clean), excerpt(clean, s)))})
	return clean
}

// raw is a scalar's text as written, before sanitising, for a message that
// quotes it: the user sees what is in the file, escapes and all.
func (v yamlValue) raw() string {
	s, _ := scalarText(v.node)
	return s
}

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

package model

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Visible writes out what Sanitize would remove or replace as Go-style
// escapes (\x1b, \r, \u202e, \U0001f3fd, \xff for a byte that is not UTF-8),
// and leaves the rest, newlines and tabs included, as it is. It is for
// diagnostics: a message that quotes a file or a source shows a person what
// is in it without the terminal acting on it. Each rune is escaped on its
// own, so text cut anywhere stays harmless; Visible is idempotent and returns
// s itself when there is nothing to escape.
func Visible(s string) string {
	i := visibleUpTo(s)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\r':
			b.WriteString(`\r`)
		case r < utf8.RuneSelf && keepsASCII(byte(r)):
			b.WriteByte(byte(r))
		case r < utf8.RuneSelf:
			fmt.Fprintf(&b, `\x%02x`, r)
		case mapRune(r) == r:
			b.WriteString(s[i : i+size])
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += size
	}
	return b.String()
}

// visibleUpTo is the length of the prefix of s that Visible leaves alone.
func visibleUpTo(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !keepsASCII(c) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || mapRune(r) != r {
			return i
		}
		i += size
	}
	return len(s)
}

// keepsASCII reports whether Sanitize keeps an ASCII byte as it is.
func keepsASCII(c byte) bool { return c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f) }

// EscapeJSON makes encoded JSON safe to print: encoding/json escapes C0
// controls and U+2028/2029 but writes DEL, C1 controls, bidi controls,
// zero-width characters and the rest of what Sanitize removes as they are,
// and a terminal acts on an 8-bit CSI or OSC even inside a JSON string.
// Each such rune becomes a \u escape (a surrogate pair above U+FFFF), which
// decodes to the same string, so the data a program reads is unchanged.
// Outside strings JSON is ASCII, so only strings are touched. Invalid UTF-8,
// which encoding/json never writes, becomes \ufffd.
func EscapeJSON(b []byte) []byte {
	i := visibleUpTo(string(b))
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	out = append(out, b[:i]...)
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r < utf8.RuneSelf && keepsASCII(byte(r)):
			out = append(out, byte(r))
		case r == utf8.RuneError && size == 1:
			out = append(out, `\ufffd`...)
		case r < utf8.RuneSelf || mapRune(r) != r:
			if r > 0xffff {
				hi, lo := utf16.EncodeRune(r)
				out = fmt.Appendf(out, `\u%04x\u%04x`, hi, lo)
			} else {
				out = fmt.Appendf(out, `\u%04x`, r)
			}
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

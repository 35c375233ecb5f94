package model

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// jsonSyntax says what is wrong with data, which jsontext refused with
// err: where (the byte offset, and the JSON pointer of where in the
// document it is) and, in the library's words, what it found and what it
// expected there ("invalid character '}' after object name (expecting
// ':')"). At the end of the input it says inside what the input ends.
func jsonSyntax(data []byte, err error) (off int, ptr, msg string) {
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		ptr = string(se.JSONPointer)
		if !errors.Is(se.Err, io.ErrUnexpectedEOF) {
			off = min(max(int(se.ByteOffset), 0), len(data))
			return off, ptr, "invalid JSON: " + strings.TrimPrefix(se.Err.Error(), "jsontext: ")
		}
	}
	var open []byte
	structure(data, func(c byte) {
		switch c {
		case '{', '[':
			open = append(open, c)
		case '}', ']':
			open = open[:max(len(open)-1, 0)]
		}
	})
	inside := ", expected an event object"
	if n := len(open); n > 0 && open[n-1] == '{' {
		inside = " inside an object"
	} else if n > 0 {
		inside = " inside a list"
	}
	return len(data), ptr, "invalid JSON: unexpected end of input" + inside
}

// quoteRune shows a character found where it should not be: 'x', or its
// code point when it would not show as itself.
func quoteRune(r rune) string {
	if r == '\'' {
		return `"'"`
	}
	if r >= 0x20 && r != 0x7f && r != utf8.RuneError && !strings.ContainsRune("\u2028\u2029\u0085", r) {
		return "'" + string(r) + "'"
	}
	return fmt.Sprintf("%U", r)
}

// structure calls fn with each byte of data outside a string, and with '"'
// where a string ends: the JSON's structure, its strings skipped.
func structure(data []byte, fn func(c byte)) {
	inString, escaped := false, false
	for _, c := range data {
		switch {
		case !inString && c == '"':
			inString = true
		case !inString:
			fn(c)
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			inString = false
			fn('"')
		}
	}
}

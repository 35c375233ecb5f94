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
// err, in a responder's words: where (the byte offset, and the JSON
// pointer of the string value when the error is inside one) and what was found and expected
// there ("unexpected '}' in an object, expected a string"). The library
// knows the offset and pointer; what it expected is read back from the
// bytes before the offset, which is all a JSON parser's state is.
func jsonSyntax(data []byte, err error) (off int, ptr, msg string) {
	off = len(data)
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		off = min(max(int(se.ByteOffset), 0), len(data))
		if inner := se.Err.Error(); strings.Contains(inner, " in string") {
			return off, string(se.JSONPointer), "invalid JSON: " + stringProblem(data[off:], inner)
		}
	}
	eof := off >= len(data) || errors.Is(err, io.ErrUnexpectedEOF)
	if eof {
		off = len(data)
	}
	found := "end of input"
	if !eof {
		r, _ := utf8.DecodeRune(data[off:])
		found = quoteRune(r)
	}
	where, expected := syntaxContext(data[:off])
	return off, "", "invalid JSON: unexpected " + found + where + ", expected " + expected
}

// stringProblem names what is wrong at the start of rest, inside a string.
func stringProblem(rest []byte, library string) string {
	switch r, size := utf8.DecodeRune(rest); {
	case r == utf8.RuneError && size <= 1:
		return "invalid UTF-8 in a string"
	case r < 0x20:
		return fmt.Sprintf("control character 0x%02x in a string", r)
	case r == '\\':
		esc := rest[:min(len(rest), 2)]
		if len(esc) == 2 && esc[1] == 'u' {
			return "bad \\u escape or surrogate pair in a string"
		}
		return "bad escape " + string(esc) + " in a string"
	}
	return strings.TrimPrefix(library, "jsontext: ")
}

func quoteRune(r rune) string {
	if r == '\'' {
		return `"'"`
	}
	if r >= 0x20 && r != 0x7f && r != utf8.RuneError && !strings.ContainsRune("\u2028\u2029\u0085", r) {
		return "'" + string(r) + "'"
	}
	return fmt.Sprintf("%U", r)
}

// syntaxContext reads what comes before a syntax error: where it is ("in
// an object", "in the list of events", "after the event") and what a
// parser expects next. Only the structure matters: strings are skipped.
func syntaxContext(before []byte) (where, expected string) {
	var stack []byte
	last := byte(0) // the last structural byte; 'v' after a value, 'n' after a member name
	structure(before, func(c byte) {
		switch c {
		case '"': // a string ended
			if len(stack) > 0 && stack[len(stack)-1] == '{' && (last == '{' || last == ',') {
				last = 'n'
			} else {
				last = 'v'
			}
		case ' ', '\t', '\r', '\n':
		case '{', '[':
			stack = append(stack, c)
			last = c
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			last = 'v'
		case ',', ':':
			last = c
		default:
			last = 'v'
		}
	})
	if len(stack) == 0 {
		if last == 0 {
			return "", "an event object"
		}
		return " after the event", "the end of input"
	}
	top := stack[len(stack)-1]
	where = " in a list"
	if top == '{' {
		where = " in an object"
	} else if len(stack) == 1 {
		where = " in the list of events"
	}
	switch {
	case top == '{' && (last == '{' || last == ','):
		return where, "a string"
	case top == '{' && last == 'n':
		return where, "':'"
	case top == '{' && last == ':':
		return where, "a value"
	case top == '{':
		return where, "',' or '}'"
	case last == '[' || last == ',':
		return where, "a value"
	}
	return where, "',' or ']'"
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

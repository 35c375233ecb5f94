package feed

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// xmlLegalChars returns a feed document with what XML 1.0 does not allow
// taken out, so that one bad character in one item does not lose every item
// of the feed. It is a byte-level pre-filter rather than an option of the
// parser because there is none: gofeed parses with encoding/xml, which
// refuses the whole document ("illegal character code U+001B", "invalid
// UTF-8") at the first character reference to a character XML does not
// allow, at a raw U+FFFE or U+FFFF and at bytes that are not UTF-8, strict
// mode or not; gofeed itself only drops raw C0 control bytes.
//
// What goes:
//   - character references (&#27; &#x1b; &#X1B;) to anything but the XML 1.0
//     characters: C0 controls other than tab, LF and CR, surrogates, U+FFFE,
//     U+FFFF, and numbers past U+10FFFF; outside CDATA sections, comments
//     and processing instructions, where "&#" is text and is left alone;
//   - raw C0 control bytes (but tab, LF and CR), anywhere;
//   - in a UTF-8 document, raw U+FFFE and U+FFFF; bytes that are not UTF-8
//     become U+FFFD, as everywhere else in warroom.
//
// A document declaring another encoding is treated as single-byte or
// ASCII-compatible (ISO-8859-x, windows-125x, Shift_JIS, GB18030): only
// references and C0 bytes are looked at, since the charset decoder turns
// the rest into UTF-8. UTF-16 (by its byte order mark or declared) and JSON
// documents are returned as they are.
// A legal document comes back unchanged (the same slice); an escaped
// ampersand (&amp;#x1b;) is text, not a reference, and stays.
func xmlLegalChars(data []byte) []byte {
	mode := xmlCharMode(data)
	if mode == xmlModeAsIs {
		return data
	}
	f := xmlFilter{data: data}
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c < 0x20:
			if c == '\t' || c == '\n' || c == '\r' {
				f.feed(c)
			}
			i++
		case c < utf8.RuneSelf || mode == xmlModeSingleByte:
			f.feed(c)
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				for _, b := range []byte("\uFFFD") {
					f.feed(b)
				}
			case r == 0xFFFE || r == 0xFFFF:
			default:
				for _, b := range data[i : i+size] {
					f.feed(b) // bytes past 0x7f: never markup, never a reference
				}
			}
			i += size
		}
	}
	return f.finish()
}

// xmlFilter is xmlLegalChars' state: it is fed the document's bytes with the
// raw illegal ones already gone, and it reads them as the parser will read
// its output. That is why references are held back until they are known to
// be legal: dropping "&#1;" from "&#&#1;1;" or "<&#1;!--" joins what is
// around it into a new reference or a comment, and a dropped raw byte can
// close a CDATA section early ("]\x01]>"); deciding on the output, never on
// the input, keeps every such join in view.
type xmlFilter struct {
	data []byte
	out  []byte // the output once it differs from data; nil before
	n    int    // while out is nil, the output is data[:n]

	state   int // xmlInMarkup, xmlInCDATA, ...
	section int // bytes written since the section's start delimiter

	// Character references not yet complete, innermost last: held back in
	// pend, the bytes of refs[i] starting at refs[i].start.
	pend []byte
	refs []xmlPendingRef
}

// xmlPendingRef is a character reference read up to some point.
type xmlPendingRef struct {
	start  int  // in pend
	phase  int  // what it expects next: '#', 'x' (or a digit), or digits
	base   rune // 10 or 16
	digits int
	value  rune // capped past utf8.MaxRune
}

// Phases of a pending reference.
const (
	refHash   = iota // read "&"
	refBase          // read "&#": 'x', 'X' or a digit next
	refDigits        // read "&#", "&#x" and perhaps digits
)

// feed takes the next byte of the document without its raw illegal bytes.
func (f *xmlFilter) feed(c byte) {
	if len(f.refs) == 0 {
		if c == '&' && f.state == xmlInMarkup {
			f.refs = append(f.refs, xmlPendingRef{start: len(f.pend)})
			f.pend = append(f.pend, c)
			return
		}
		f.write(c)
		return
	}
	r := &f.refs[len(f.refs)-1]
	switch {
	case c == '&':
		// It breaks r, unless it starts a reference that is dropped:
		// hold both back until that is known.
		f.refs = append(f.refs, xmlPendingRef{start: len(f.pend)})
		f.pend = append(f.pend, c)
		return
	case r.phase == refHash && c == '#':
		r.phase = refBase
	case r.phase == refBase && (c == 'x' || c == 'X'):
		r.phase, r.base = refDigits, 16
	case r.phase == refBase && xmlDigit(c, 10) >= 0:
		r.phase, r.base = refDigits, 10
		r.add(c)
	case r.phase == refDigits && xmlDigit(c, r.base) >= 0:
		r.add(c)
	case r.phase == refDigits && c == ';' && r.digits > 0:
		if xmlChar(r.value) {
			f.pend = append(f.pend, c)
			f.flush()
			return
		}
		// An illegal reference: dropped, and what held it continues.
		f.pend = f.pend[:r.start]
		f.refs = f.refs[:len(f.refs)-1]
		return
	default:
		// Not a reference after all, nor anything holding it.
		f.flush()
		f.feed(c)
		return
	}
	f.pend = append(f.pend, c)
}

func (r *xmlPendingRef) add(c byte) {
	r.digits++
	if r.value <= utf8.MaxRune { // past it, more digits change nothing
		r.value = r.value*r.base + xmlDigit(c, r.base)
	}
}

// flush writes the held-back bytes as they are: none of them is a
// reference any more.
func (f *xmlFilter) flush() {
	pend := f.pend
	f.pend, f.refs = f.pend[:0], f.refs[:0]
	for _, b := range pend {
		f.write(b)
	}
}

// write appends a byte to the output and follows the sections it opens and
// closes, as encoding/xml reads them: a section's end delimiter counts only
// after its start ("<!-->" does not close the comment).
func (f *xmlFilter) write(c byte) {
	if f.out == nil && f.n < len(f.data) && f.data[f.n] == c {
		f.n++
	} else {
		if f.out == nil {
			f.out = append(make([]byte, 0, len(f.data)), f.data[:f.n]...)
		}
		f.out = append(f.out, c)
	}
	f.section++
	switch f.state {
	case xmlInMarkup:
		switch {
		case c == '[' && f.endsWith("<![CDATA["):
			f.state, f.section = xmlInCDATA, 0
		case c == '-' && f.endsWith("<!--"):
			f.state, f.section = xmlInComment, 0
		case c == '?' && f.endsWith("<?"):
			f.state, f.section = xmlInPI, 0
		}
	case xmlInCDATA:
		if c == '>' && f.section >= 3 && f.endsWith("]]>") {
			f.state = xmlInMarkup
		}
	case xmlInComment:
		if c == '>' && f.section >= 3 && f.endsWith("-->") {
			f.state = xmlInMarkup
		}
	case xmlInPI:
		if c == '>' && f.section >= 2 && f.endsWith("?>") {
			f.state = xmlInMarkup
		}
	}
}

func (f *xmlFilter) endsWith(s string) bool {
	if f.out != nil {
		return bytes.HasSuffix(f.out, []byte(s))
	}
	return bytes.HasSuffix(f.data[:f.n], []byte(s))
}

// finish writes what is still held back and returns the output: data
// itself when nothing changed.
func (f *xmlFilter) finish() []byte {
	f.flush()
	if f.out == nil {
		return f.data[:f.n:f.n]
	}
	return f.out
}

// States of xmlFilter: where "&#" starts a reference and where it is text.
const (
	xmlInMarkup = iota // content, tags and attribute values
	xmlInCDATA
	xmlInComment
	xmlInPI
)

// How xmlLegalChars reads a document's bytes.
const (
	xmlModeUTF8       = iota // no encoding declared, or UTF-8
	xmlModeSingleByte        // another ASCII-compatible encoding
	xmlModeAsIs              // UTF-16, or not XML at all (a JSON feed)
)

// xmlCharMode decides from the byte order mark and the XML declaration how
// the document's bytes are to be read, the way encoding/xml decides whether
// to call its charset reader (any declared encoding but "utf-8").
func xmlCharMode(data []byte) int {
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) ||
		bytes.HasPrefix(data, []byte{0, '<'}) || bytes.HasPrefix(data, []byte{'<', 0}) {
		return xmlModeAsIs
	}
	rest := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(rest) > 0 && (rest[0] == '{' || rest[0] == '[') {
		return xmlModeAsIs
	}
	if !bytes.HasPrefix(rest, []byte("<?xml")) {
		return xmlModeUTF8
	}
	end := bytes.Index(rest, []byte("?>"))
	if end < 0 {
		return xmlModeUTF8
	}
	decl := rest[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return xmlModeUTF8
	}
	v := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(v) == 0 || v[0] != '=' {
		return xmlModeUTF8
	}
	v = bytes.TrimLeft(v[1:], " \t\r\n")
	if len(v) == 0 || (v[0] != '"' && v[0] != '\'') {
		return xmlModeUTF8
	}
	q := v[0]
	v = v[1:]
	if j := bytes.IndexByte(v, q); j >= 0 {
		v = v[:j]
	}
	if len(v) == 0 || bytes.EqualFold(v, []byte("utf-8")) {
		return xmlModeUTF8
	}
	if _, name := charset.Lookup(string(v)); strings.HasPrefix(name, "utf-16") {
		return xmlModeAsIs // two bytes a character: nothing here reads it
	}
	return xmlModeSingleByte
}

// xmlDigit is c's value as a digit in base 10 or 16, or -1.
func xmlDigit(c byte, base rune) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case base == 16 && c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case base == 16 && c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

// xmlChar reports whether r is in XML 1.0's Char production.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= utf8.MaxRune)
}

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
//   - while the document is read as UTF-8, raw U+FFFE and U+FFFF; bytes
//     that are not UTF-8 become U+FFFD, as everywhere else in warroom.
//
// The document is read as UTF-8 until an XML declaration names another
// encoding, exactly when encoding/xml switches to its charset decoder:
// from there, in a single-byte or ASCII-compatible encoding (ISO-8859-x,
// windows-125x, Shift_JIS), only references and C0 bytes are looked at, as
// the decoder turns the rest into characters; in UTF-16 nothing more is. A
// document that starts with a UTF-16 byte order mark and a JSON feed are
// left as they are. A legal document comes back unchanged (the same
// slice); an escaped ampersand (&amp;#x1b;) is text, not a reference, and
// stays.
func xmlLegalChars(data []byte) []byte {
	out, _, _ := xmlFiltered(data)
	return out
}

// xmlFiltered is xmlLegalChars, also saying up to where in the output the
// bytes were read as UTF-8, and from where on they were copied as they are
// (both len(out) when throughout).
func xmlFiltered(data []byte) (out []byte, utf8Until, asIsFrom int) {
	if xmlStartMode(data) == xmlModeAsIs {
		return data, 0, 0
	}
	f := xmlFilter{data: data, utf8Until: -1, asIsFrom: -1}
	for i := 0; i < len(data); {
		if len(f.refs) == 0 && f.mode != xmlModeAsIs {
			// A run of bytes that change nothing (no markup, no
			// reference, nothing to drop) is written at once.
			j := i
			for j < len(data) && xmlPlain[data[j]] && (data[j] < utf8.RuneSelf || f.mode == xmlModeSingleByte) {
				j++
			}
			if j > i {
				f.writeRun(data[i:j])
				i = j
				continue
			}
		}
		c := data[i]
		switch {
		case f.mode == xmlModeAsIs:
			f.write(c)
			i++
		case c < 0x20:
			if c == '\t' || c == '\n' || c == '\r' {
				f.feed(c)
			}
			i++
		case c < utf8.RuneSelf || f.mode == xmlModeSingleByte:
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
	out = f.finish()
	utf8Until, asIsFrom = f.utf8Until, f.asIsFrom
	if utf8Until < 0 {
		utf8Until = len(out)
	}
	if asIsFrom < 0 {
		asIsFrom = len(out)
	}
	return out, utf8Until, asIsFrom
}

// xmlPlain are the bytes that never start, end or take part in markup or a
// reference and are never dropped: anything but C0 controls and &<>[]-?
// (and, read as UTF-8, bytes past 0x7f, which need decoding).
var xmlPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = true
	}
	for _, c := range []byte("&<>[]-?") {
		t[c] = false
	}
	return t
}()

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
	piStart int // where the processing instruction being read starts

	mode                int // how the bytes are read: xmlModeUTF8, ...
	utf8Until, asIsFrom int // where the mode left UTF-8, and where it became as-is; -1: not yet

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
	if f.mode == xmlModeAsIs {
		return
	}
	switch f.state {
	case xmlInMarkup:
		switch {
		case c == '[' && f.endsWith("<![CDATA["):
			f.state, f.section = xmlInCDATA, 0
		case c == '-' && f.endsWith("<!--"):
			f.state, f.section = xmlInComment, 0
		case c == '?' && f.endsWith("<?"):
			f.state, f.section, f.piStart = xmlInPI, 0, f.len()
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
			f.declaration(f.output()[f.piStart : f.len()-2])
		}
	}
}

// declaration reads a processing instruction as encoding/xml does: one
// whose target is "xml" and whose encoding is not UTF-8 switches what
// follows to that encoding.
func (f *xmlFilter) declaration(pi []byte) {
	if f.mode != xmlModeUTF8 || !bytes.HasPrefix(pi, []byte("xml")) || (len(pi) > 3 && xmlNameByte(pi[3])) {
		return
	}
	enc := xmlProcInst("encoding", string(pi[3:]))
	if enc == "" || strings.EqualFold(enc, "utf-8") {
		return
	}
	switch _, name := charset.Lookup(enc); {
	case name == "utf-8": // another label for it: still read as UTF-8
		return
	case strings.HasPrefix(name, "utf-16"):
		f.mode, f.utf8Until, f.asIsFrom = xmlModeAsIs, f.len(), f.len()
	default:
		f.mode, f.utf8Until = xmlModeSingleByte, f.len()
	}
}

// xmlNameByte is encoding/xml's: a byte that continues a name.
func xmlNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-' || c >= utf8.RuneSelf
}

// xmlProcInst is encoding/xml's procInst: the value of param="..." (or
// '...') in a processing instruction's content, "" when there is none.
func xmlProcInst(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// writeRun writes bytes that open and close nothing.
func (f *xmlFilter) writeRun(run []byte) {
	if f.out == nil && f.n+len(run) <= len(f.data) && bytes.Equal(f.data[f.n:f.n+len(run)], run) {
		f.n += len(run)
	} else {
		if f.out == nil {
			f.out = append(make([]byte, 0, len(f.data)), f.data[:f.n]...)
		}
		f.out = append(f.out, run...)
	}
	f.section += len(run)
}

func (f *xmlFilter) endsWith(s string) bool { return bytes.HasSuffix(f.output(), []byte(s)) }

// output is what was written so far.
func (f *xmlFilter) output() []byte {
	if f.out != nil {
		return f.out
	}
	return f.data[:f.n]
}

func (f *xmlFilter) len() int { return len(f.output()) }

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
	xmlModeUTF8       = iota // no encoding declared (yet), or UTF-8
	xmlModeSingleByte        // another ASCII-compatible encoding declared
	xmlModeAsIs              // UTF-16, or not XML at all (a JSON feed)
)

// xmlStartMode is xmlModeAsIs for a document that starts with a UTF-16
// byte order mark or looks like UTF-16 (encoding/xml cannot read either),
// and for a JSON feed; else xmlModeUTF8, until a declaration says otherwise.
func xmlStartMode(data []byte) int {
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) ||
		bytes.HasPrefix(data, []byte{0, '<'}) || bytes.HasPrefix(data, []byte{'<', 0}) {
		return xmlModeAsIs
	}
	rest := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(rest) > 0 && (rest[0] == '{' || rest[0] == '[') {
		return xmlModeAsIs
	}
	return xmlModeUTF8
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

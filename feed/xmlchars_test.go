package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

func TestXMLLegalChars(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"hex reference", "<t>a&#x1b;b</t>", "<t>ab</t>"},
		{"upper-case hex digits", "<t>a&#x1B;b&#X1b;c</t>", "<t>abc</t>"},
		{"decimal", "<t>a&#27;b&#0;c&#8;d&#11;e&#31;f</t>", "<t>abcdef</t>"},
		{"leading zeros", "<t>a&#x00000001b;b&#00000027;c</t>", "<t>abc</t>"},
		{"surrogates", "<t>a&#xD800;b&#xdfff;c&#55296;d</t>", "<t>abcd</t>"},
		{"non-characters", "<t>a&#xFFFE;b&#xffff;c&#65534;d</t>", "<t>abcd</t>"},
		{"past U+10FFFF", "<t>a&#x110000;b&#99999999999999999999999;c&#xFFFFFFFFFFFF;d</t>", "<t>abcd</t>"},
		{"legal references stay", "<t>&#x41;&#65;&#x9;&#10;&#xD;&#x20;&#xD7FF;&#xE000;&#xFFFD;&#x10000;&#x10FFFF;</t>",
			"<t>&#x41;&#65;&#x9;&#10;&#xD;&#x20;&#xD7FF;&#xE000;&#xFFFD;&#x10000;&#x10FFFF;</t>"},
		{"an escaped ampersand is text", "<t>&amp;#x1b; and &amp;#0;</t>", "<t>&amp;#x1b; and &amp;#0;</t>"},
		{"entities stay", "<t>&lt;&gt;&quot;&apos;&nbsp;&#x26;</t>", "<t>&lt;&gt;&quot;&apos;&nbsp;&#x26;</t>"},
		{"not references", "<t>&#x1b &#; &#x; &# &#x1g; &#1b;</t>", "<t>&#x1b &#; &#x; &# &#x1g; &#1b;</t>"},
		{"in an attribute", `<a href="x&#x1b;y" t='&#1;'/>`, `<a href="xy" t=''/>`},
		{"CDATA is text", "<t><![CDATA[&#x1b; &#0; <b>]]>&#x1b;</t>", "<t><![CDATA[&#x1b; &#0; <b>]]></t>"},
		{"comments are text", "<!-- &#x1b; -->&#1;<t/>", "<!-- &#x1b; --><t/>"},
		{"processing instructions are text", "<?pi &#x1b; ?>&#1;<t/>", "<?pi &#x1b; ?><t/>"},
		{"raw controls go everywhere", "<t a=\"\x01\">a\x1bb<![CDATA[c\x00d]]><!--\x08--></t>",
			"<t a=\"\">ab<![CDATA[cd]]><!----></t>"},
		{"tab, LF and CR stay", "<t>\ta\nb\r\n</t>", "<t>\ta\nb\r\n</t>"},
		{"raw non-characters go", "<t>a\uFFFEb\uFFFFc</t>", "<t>abc</t>"},
		{"bytes not UTF-8 become U+FFFD", "<t>a\xffb\xc3c</t>", "<t>a\uFFFDb\uFFFDc</t>"},
		{"other characters stay", "<t>é ✓ \U0001F600 \u0085 \u009b \u007f</t>", "<t>é ✓ \U0001F600 \u0085 \u009b \u007f</t>"},
		{"a dropped byte does not end CDATA early", "<t><![CDATA[]\x01]> &#1; ]]></t>", "<t><![CDATA[]]>  ]]></t>"},
		{"a dropped byte does not make a reference", "<t>&\x01#1;&#\x0b1;</t>", "<t></t>"},
		{"a dropped reference does not make a reference", "<t>&#&#1;1;x&#x&#1;1b;y</t>", "<t>xy</t>"},
		{"a legal reference inside breaks the outer one", "<t>&#&#x41;1;</t>", "<t>&#&#x41;1;</t>"},
		{"a dropped reference does not open a comment",
			"<t><&#1;!-- <![CDATA[ --> &#2; ]]></t>", "<t><!-- <![CDATA[ -->  ]]></t>"},
		{"a comment ends after its start", "<!-->&#1;-->&#2;", "<!-->&#1;-->"},
		{"CDATA ends after its start", "<![CDATA[]]>&#1;", "<![CDATA[]]>"},
		{"unterminated CDATA", "<t><![CDATA[&#1;", "<t><![CDATA[&#1;"},
		{"latin-1: only references and controls",
			"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>caf\xe9 \xff\xfe &#x1b;\x01</t>",
			"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>caf\xe9 \xff\xfe </t>"},
		{"declared UTF-8", "<?xml version='1.0' encoding='utf-8' ?><t>\xff&#1;</t>", "<?xml version='1.0' encoding='utf-8' ?><t>\uFFFD</t>"},
		{"another label of UTF-8", "<?xml version=\"1.0\" encoding=\"utf8\"?><t>\xff\uFFFE</t>", "<?xml version=\"1.0\" encoding=\"utf8\"?><t>\uFFFD</t>"},
		{"encoding/xml reads no encoding with spaces around =", "<?xml version='1.0' encoding = 'latin1' ?><t>\xff</t>",
			"<?xml version='1.0' encoding = 'latin1' ?><t>\uFFFD</t>"},
		{"a target longer than xml declares nothing", "<?xml0encoding=\"latin1\"?>\xe9", "<?xml0encoding=\"latin1\"?>\uFFFD"},
		{"the encoding applies from the declaration on", "\xe9<?xml encoding='windows-1252'?>\xe9&#1;\x02", "\uFFFD<?xml encoding='windows-1252'?>\xe9"},
		{"declared UTF-16: the rest is left alone", "\x01<?xml encoding=\"utf-16\"?>&#1;\x01", "<?xml encoding=\"utf-16\"?>&#1;\x01"},
		{"UTF-16 is left alone", "\xff\xfe<\x00t\x00>\x00&\x00#\x001\x00;\x00", "\xff\xfe<\x00t\x00>\x00&\x00#\x001\x00;\x00"},
		{"JSON is left alone", `{"title":"&#x1b;"}`, `{"title":"&#x1b;"}`},
		{"trailing byte", "<t/>\x01", "<t/>"},
		{"empty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := xmlLegalChars([]byte(c.in))
			if string(got) != c.want {
				t.Errorf("xmlLegalChars(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
			if again := xmlLegalChars(got); !bytes.Equal(again, got) {
				t.Errorf("not idempotent: %q then %q", got, again)
			}
		})
	}
}

// A legal document comes back as the very same slice: nothing is copied.
func TestXMLLegalCharsKeepsLegalDocuments(t *testing.T) {
	for _, name := range []string{"forum.rss", "notices.atom", "malformed.xml"} {
		data := rssTestdata(t, name)
		if got := xmlLegalChars(data); len(got) != len(data) || &got[0] != &data[0] {
			t.Errorf("%s: changed or copied", name)
		}
	}
}

func TestXMLStartMode(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"<rss/>", xmlModeUTF8},
		{"\xef\xbb\xbf<?xml version=\"1.0\"?><rss/>", xmlModeUTF8},
		{`<?xml version="1.0" encoding="windows-1252"?>`, xmlModeUTF8}, // until the declaration is read
		{"  \n{\"version\":1}", xmlModeAsIs},
		{"\xfe\xff\x00<", xmlModeAsIs},
		{"<\x00?\x00", xmlModeAsIs},
	}
	for _, c := range cases {
		if got := xmlStartMode([]byte(c.in)); got != c.want {
			t.Errorf("xmlStartMode(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

// xmlSections are what xmlIllegal skips: CDATA sections, comments and
// processing instructions, each ending after its start or at the end.
var xmlSections = regexp.MustCompile(`(?s)<!\[CDATA\[.*?(?:\]\]>|\z)|<!--.*?(?:-->|\z)|<\?.*?(?:\?>|\z)`)

var xmlCharRefs = regexp.MustCompile(`&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));`)

// xmlIllegal is what XML 1.0 does not allow in data, found independently of
// xmlLegalChars with regular expressions: a reference to an illegal
// character outside sections, or a raw control, in data[:asIsFrom]; a raw
// non-character or a byte that is not UTF-8 in data[:utf8Until].
func xmlIllegal(data []byte, utf8Until, asIsFrom int) string {
	data, asUTF8 := data[:min(asIsFrom, len(data))], data[:min(utf8Until, len(data))]
	// Sections become a space, so that what is around them is not joined.
	text := xmlSections.ReplaceAll(data, []byte(" "))
	for _, m := range xmlCharRefs.FindAllSubmatch(text, -1) {
		digits, base := m[1], 16
		if digits == nil {
			digits, base = m[2], 10
		}
		v, err := strconv.ParseUint(string(digits), base, 32)
		if err != nil || !xmlChar(rune(v)) {
			return "reference " + string(m[0])
		}
	}
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return "raw control " + strconv.Quote(string(c))
		}
	}
	if !utf8.Valid(asUTF8) {
		return "not UTF-8"
	}
	if bytes.ContainsRune(asUTF8, 0xFFFE) || bytes.ContainsRune(asUTF8, 0xFFFF) {
		return "raw U+FFFE or U+FFFF"
	}
	return ""
}

// xmlDeclared finds, with the section regexp, where an XML declaration in
// data switches away from UTF-8 (and to UTF-16): the first is where
// encoding/xml stops reading bytes as UTF-8, the second where nothing is
// checked any more; len(data) when nowhere.
func xmlDeclared(data []byte) (utf8Until, asIsFrom int) {
	utf8Until, asIsFrom = len(data), len(data)
	for _, m := range xmlSections.FindAllIndex(data, -1) {
		sec := data[m[0]:m[1]]
		if !bytes.HasPrefix(sec, []byte("<?xml")) || !bytes.HasSuffix(sec, []byte("?>")) || len(sec) < 7 {
			continue
		}
		content := sec[5 : len(sec)-2]
		if len(content) > 0 && xmlNameByte(content[0]) {
			continue
		}
		enc := xmlProcInst("encoding", string(content))
		_, name := charset.Lookup(enc)
		switch {
		case enc == "" || name == "utf-8" || strings.EqualFold(enc, "utf-8"):
			continue
		case strings.HasPrefix(name, "utf-16"):
			return min(utf8Until, m[1]), m[1]
		default:
			utf8Until = min(utf8Until, m[1])
		}
	}
	return utf8Until, asIsFrom
}

// xmlCharError is the first error encoding/xml, set up as gofeed sets it
// up, reports about a character in data, or nil.
func xmlCharError(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	for {
		_, err := d.RawToken()
		if err == nil {
			continue
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if msg := err.Error(); strings.Contains(msg, "illegal character code") || strings.Contains(msg, "invalid UTF-8") {
			return err
		}
		return nil // some other syntax error: the rest is not read
	}
}

func FuzzXMLLegalChars(f *testing.F) {
	for _, name := range []string{"forum.rss", "notices.atom", "malformed.xml", "forum-bad-chars.rss", "notices-bad-chars.atom"} {
		f.Add(rssTestdata(f, name))
	}
	for _, s := range []string{
		"<t>&#x1b;&#&#1;1;<![CDATA[]\x01]>&#2;]]>&amp;#x1b;</t>",
		"<t><&#1;!-- <![CDATA[ --> &#2; ]]></t>",
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>\xe9&#1;</t>",
		"<t a='&#xD800;'>\xff\uFFFE&#X1B;</t>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := bytes.Clone(data)
		out, utf8Until, asIsFrom := xmlFiltered(data)
		if !bytes.Equal(data, in) {
			t.Fatal("the input was modified")
		}
		if xmlStartMode(in) == xmlModeAsIs {
			if !bytes.Equal(out, in) {
				t.Fatalf("UTF-16 or JSON changed: %q -> %q", in, out)
			}
			return
		}
		if what := xmlIllegal(out, utf8Until, asIsFrom); what != "" {
			t.Fatalf("output has a %s:\n in %q\nout %q", what, in, out)
		}
		// Past a declared encoding the charset decoder makes the
		// characters: what it makes of them is its own.
		if err := xmlCharError(out[:utf8Until]); err != nil {
			t.Fatalf("encoding/xml refuses the output: %v:\n in %q\nout %q", err, in, out)
		}
		if u, a := xmlDeclared(in); xmlIllegal(in, u, a) == "" && !bytes.Equal(out, in) {
			t.Fatalf("a legal document changed:\n in %q\nout %q", in, out)
		}
		if again := xmlLegalChars(out); !bytes.Equal(again, out) {
			t.Fatalf("not idempotent:\n in %q\nout %q\nagain %q", in, out, again)
		}
	})
}

func BenchmarkXMLLegalChars(b *testing.B) {
	// A 1 MiB feed of items with legal references, a few illegal ones and
	// CDATA, as a busy forum's feed might look.
	item := rssTestdata(b, "forum-bad-chars.rss")
	var doc bytes.Buffer
	for doc.Len() < 1<<20 {
		doc.Write(item)
	}
	data := doc.Bytes()
	legal := xmlLegalChars(data)
	for _, c := range []struct {
		name string
		data []byte
	}{{"with-bad-chars", data}, {"legal", legal}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				xmlLegalChars(c.data)
			}
		})
	}
}

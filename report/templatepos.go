package report

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// parseErrorToken is what a text/template parse error names, if anything,
// so that it can be found on the error's line: a quoted name (function
// "shout" not defined, undefined variable "$x", bad number syntax: "3x"),
// the keyword a value is missing for, or the action that came unexpected.
var parseErrorToken = []struct {
	re    *regexp.Regexp
	token func(m []string) string
}{
	{regexp.MustCompile(`"([^"]+)"`), func(m []string) string { return m[1] }},
	{regexp.MustCompile(`^missing value for (\S+)`), func(m []string) string { return m[1] }},
	{regexp.MustCompile(`^unexpected \{\{(\w+)\}\}`), func(m []string) string { return m[1] }},
	{regexp.MustCompile(`^unexpected (right paren)`), func([]string) string { return ")" }},
	{regexp.MustCompile(`^(unterminated quoted string)`), func([]string) string { return `"` }},
}

// parseColumn is the character column (from 1) a text/template parse error
// on line points at: text/template gives the line alone. It is where the
// token the message names stands inside an action on that line; else the
// end of the line for an unexpected end of file (an action left open);
// else the line's first action; else 1.
func parseColumn(src string, line int, msg string) int {
	lines := strings.SplitAfter(src, "\n")
	if line < 1 || line > len(lines) {
		return 1
	}
	l := strings.TrimRight(lines[line-1], "\r\n")
	for _, p := range parseErrorToken {
		if m := p.re.FindStringSubmatch(msg); m != nil {
			if off := tokenInAction(l, p.token(m)); off >= 0 {
				return utf8.RuneCountInString(l[:off]) + 1
			}
			break
		}
	}
	if strings.Contains(msg, "unexpected EOF") {
		return utf8.RuneCountInString(l) + 1
	}
	if off := strings.Index(l, "{{"); off >= 0 {
		return utf8.RuneCountInString(l[:off]) + 1
	}
	return 1
}

// tokenInAction is the byte offset of token standing alone (not part of a
// longer name) inside one of the line's {{ }} actions, or -1.
func tokenInAction(line, token string) int {
	if token == "" {
		return -1
	}
	for start := 0; ; {
		open := strings.Index(line[start:], "{{")
		if open < 0 {
			return -1
		}
		open += start + 2
		end := len(line)
		if c := strings.Index(line[open:], "}}"); c >= 0 {
			end = open + c
		}
		for from := open; from < end; {
			i := strings.Index(line[from:end], token)
			if i < 0 {
				break
			}
			i += from
			if standsAlone(line, i, i+len(token), token) {
				return i
			}
			from = i + 1
		}
		start = end
	}
}

// standsAlone reports whether line[i:j] is a whole name: a token that is a
// name is not the middle of a longer one (c is not found in compact).
func standsAlone(line string, i, j int, token string) bool {
	name := func(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
	first, _ := utf8.DecodeRuneInString(token)
	last, _ := utf8.DecodeLastRuneInString(token)
	if i > 0 && name(first) {
		if r, _ := utf8.DecodeLastRuneInString(line[:i]); name(r) || r == '.' {
			return false
		}
	}
	if j < len(line) && name(last) {
		if r, _ := utf8.DecodeRuneInString(line[j:]); name(r) {
			return false
		}
	}
	return true
}

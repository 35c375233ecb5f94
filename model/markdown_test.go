package model

import (
	"strings"
	"testing"
	"time"
)

func TestMdText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text, 95% back", "plain text, 95% back"},
		{"<script>alert(1)</script>", `\<script>alert(1)\</script>`},
		{"<img src=x onerror=alert(1)>", `\<img src=x onerror=alert(1)>`},
		{"cell | injected | row", `cell \| injected \| row`},
		{"line\n# Heading\n- item", `line \# Heading - item`},
		{"```\nfenced\n```", "\\`\\`\\` fenced \\`\\`\\`"},
		{"**bold** _em_ ~~gone~~", `\*\*bold\*\* \_em\_ \~\~gone\~\~`},
		{"[click](javascript:alert(1)) ![img](x)", `\[click\](javascript:alert(1)) !\[img\](x)`},
		{"&#x202e; &lt;b&gt;", `\&\#x202e; \&lt;b\&gt;`},
		{`C:\path\*.sys`, `C:\\path\\\*.sys`},
		{"$x^2$", `\$x^2\$`},
		{"tab\there", "tab here"},
		{"esc\x1b[2J \u202e bidi", "esc  bidi"},
	} {
		if got := mdText(tc.in); got != tc.want {
			t.Errorf("mdText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// hostileText is every kind of hostility for Markdown and terminals at once.
const hostileText = "a | b\n# H1\n```\n<script>x</script> &#x1b; **b** [l](u) \x1b]0;t\x07\x9b2J\u202e`"

// checkMarkdown checks that md is safe to print and that untrusted text did
// not change its structure: tables keep their columns, headings are only
// the ones given, nothing unescaped starts HTML, an entity or a code span.
func checkMarkdown(t *testing.T, md string, headings ...string) {
	t.Helper()
	if Sanitize(md, 0) != md {
		t.Errorf("Markdown is not sanitised: %q", md)
	}
	cols := -1
	for i, line := range strings.Split(md, "\n") {
		counts := unescaped(strings.TrimPrefix(strings.TrimPrefix(line, "- [ ] "), "- [x] "))
		switch {
		case strings.HasPrefix(line, "|"):
			if cols < 0 {
				cols = counts['|']
			} else if counts['|'] != cols {
				t.Errorf("line %d has %d cell separators, the table %d: %s", i+1, counts['|'], cols, line)
			}
		default:
			cols = -1
		}
		if strings.HasPrefix(line, "#") {
			ok := false
			for _, h := range headings {
				ok = ok || strings.HasPrefix(line, h)
			}
			if !ok {
				t.Errorf("line %d is a heading warroom did not write: %s", i+1, line)
			}
		}
		for _, c := range "<&*_[$" {
			if counts[c] > 0 {
				t.Errorf("line %d has an unescaped %q: %s", i+1, c, line)
			}
		}
		if n := counts['`']; n != 0 && !(n == 2 && strings.HasPrefix(line, "- `T+")) {
			t.Errorf("line %d has %d unescaped backticks: %s", i+1, n, line)
		}
	}
}

// unescaped counts the characters of a line not escaped by a backslash.
// warroom's own bold (**) is not counted.
func unescaped(line string) map[rune]int {
	counts := map[rune]int{}
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\':
			i++
		case strings.HasPrefix(line[i:], "**"):
			i++
		default:
			counts[rune(line[i])]++
		}
	}
	return counts
}

func TestSitrepOutputsAreSafe(t *testing.T) {
	r := Sitrep{Title: hostileText, Severity: "SEV1" + hostileText, Offset: "T+01:00",
		Hosts:      SitrepHosts{Total: 10, Groups: []SitrepGroup{{Name: hostileText, Total: 10, Reported: true}}},
		Warnings:   []SitrepWarning{{Carrier: hostileText, Severity: hostileText, Region: hostileText, Headline: hostileText}},
		Complaints: SitrepComplaint{ByTopic: []SitrepTopic{{Topic: hostileText, Count: 1}}},
		Runbook:    []SitrepStep{{Title: hostileText, State: "active"}},
		Recent:     []SitrepEntry{{Offset: "T+00:10", Text: hostileText}},
	}
	checkMarkdown(t, r.Markdown(), "## Sitrep ")
	text := r.Text()
	if Sanitize(text, 0) != text {
		t.Errorf("Text is not sanitised: %q", text)
	}
	// Each text stays on its line: as many lines as with plain text.
	plain := Sitrep{Title: "t", Severity: "s", Offset: "T+01:00",
		Hosts:      SitrepHosts{Total: 10, Groups: []SitrepGroup{{Name: "g", Total: 10, Reported: true}}},
		Warnings:   []SitrepWarning{{Carrier: "c", Severity: "s", Region: "r", Headline: "h"}},
		Complaints: SitrepComplaint{ByTopic: []SitrepTopic{{Topic: "t", Count: 1}}},
		Runbook:    []SitrepStep{{Title: "t", State: "active"}},
		Recent:     []SitrepEntry{{Offset: "T+00:10", Text: "t"}},
	}
	if got, want := strings.Count(text, "\n"), strings.Count(plain.Text(), "\n"); got != want {
		t.Errorf("hostile text made %d lines, plain text %d:\n%s", got, want, text)
	}
}

func TestDebriefMarkdownIsSafe(t *testing.T) {
	sc := handMade()
	sc.Meta.Title = hostileText
	for i, e := range sc.Events {
		if in, ok := e.Body.(Inject); ok {
			in.Title, in.Expected = hostileText, []string{hostileText}
			sc.Events[i].Body = in
		}
	}
	sc.Runbook[0].Title = hostileText
	c := NewCursor(NewState(sc), sc.Events)
	c.Seek(90 * time.Minute)
	// A decision typed in the room is not from the file: only the output
	// stands between it and the document.
	c.Insert(Event{Body: Decision{By: hostileText, Text: hostileText, Wall: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)}})
	for _, b := range []Body{
		Observation{Text: hostileText, By: hostileText, Inject: hostileText},
		Finding{Type: FindingStrength, Text: hostileText, Objective: hostileText, By: hostileText},
		Finding{Type: FindingImprovement, Text: hostileText, By: hostileText},
		ActionItem{Text: hostileText, Owner: hostileText, Due: hostileText, Objective: hostileText, Finding: hostileText, By: hostileText},
		ScoreComment{Inject: hostileText, Text: hostileText, By: hostileText},
		Note{Author: hostileText, Text: hostileText},
		Inject{ID: hostileText, Title: hostileText, Prompt: hostileText},
	} {
		c.Insert(Event{At: c.Clock(), Source: "responder:" + hostileText, Body: b})
	}
	c.Seek(8 * h)
	md := BuildDebrief(sc, *c.State(), nil).Markdown(sc)
	checkMarkdown(t, md, "# Debrief — ", "## Backlog", "## Injects", "### ", "## Runbook",
		"## Objectives", "## Participants", "## Strengths", "## Areas for improvement", "## Improvement plan",
		"## Facilitator observations", "## Notes", "## Acknowledgements")
}

package report

import (
	"strings"

	"github.com/warroom/warroom/model"
)

// Markdown writes the report as Markdown. Every text in it is escaped to
// read as text (model.MarkdownText), and the whole is sanitised once more
// on the way out.
func (r AAR) Markdown() string {
	d := r.document().cleaned()
	md := model.MarkdownText
	var b strings.Builder
	b.WriteString("# " + md(d.Title) + "\n\n")
	for _, m := range d.Meta {
		b.WriteString(md(m) + "  \n")
	}
	for _, s := range d.Parts {
		b.WriteString("\n" + strings.Repeat("#", s.Level) + " " + md(s.Title) + "\n")
		for _, p := range s.Paras {
			b.WriteString("\n" + mdPara(p) + "\n")
		}
		if len(s.List) > 0 {
			b.WriteString("\n")
			for _, l := range s.List {
				b.WriteString("- " + md(l) + "\n")
			}
		}
		if s.Table != nil {
			b.WriteString("\n")
			writeMarkdownTable(&b, s.Table)
		}
		if s.Note != "" {
			b.WriteString("\n" + md(s.Note) + "\n")
		}
	}
	return model.Sanitize(b.String(), 0)
}

func writeMarkdownTable(b *strings.Builder, t *table) {
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + model.MarkdownText(c) + " |")
		}
		b.WriteString("\n")
	}
	row(t.Head)
	b.WriteString("|")
	for i := range t.Head {
		if rightAt(t, i) {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		row(r)
	}
}

// mdPara is a paragraph of untrusted text, which starts a line: besides
// what MarkdownText escapes, a mark that would make the line a list, a
// quote or a rule ("- ", "1. ", "> ", "---") is escaped, so that a status
// update's lines or a scenario's summary read as the text they are.
func mdPara(s string) string {
	t := model.MarkdownText(s)
	if t == "" {
		return t
	}
	switch t[0] {
	case '-', '+', '>', '=':
		return "\\" + t
	}
	digits := 0
	for digits < len(t) && digits < 10 && t[digits] >= '0' && t[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits < len(t) && (t[digits] == '.' || t[digits] == ')') {
		return t[:digits] + "\\" + t[digits:]
	}
	return t
}

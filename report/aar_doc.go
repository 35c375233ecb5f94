package report

import "github.com/warroom/warroom/model"

// doc is the report as a document: headed sections of paragraphs, lists
// and tables of plain text, which the Markdown and HTML writers each put
// in their own form and escape in their own way. Text in it may come from
// a scenario or a responder: it is untrusted until a writer escapes it.
type doc struct {
	Title string
	Meta  []string // lines under the title
	Parts []section
}

// section is one headed part of the report.
type section struct {
	ID    string // an anchor for the HTML, and which chart belongs here
	Title string
	Level int // 2 or 3
	Paras []string
	List  []string
	Table *table
	Chart chartKind // drawn in the HTML only
	// Note is a line under the table in smaller type, e.g. what was left out.
	Note string
}

// table is a table of text; Right marks the columns aligned right (figures).
type table struct {
	Head  []string
	Right []bool
	Rows  [][]string
}

// chartKind names a chart the HTML draws in a section.
type chartKind int

const (
	noChart chartKind = iota
	burndownChart
	forecastChart
)

// clean is untrusted text made safe for any output and put on one line:
// terminal sequences, bidi controls and the like removed (model.Sanitize).
func clean(s string) string { return model.OneLine(model.Sanitize(s, 0)) }

// cleaned is the document with every text in it cleaned, so that no writer
// can forget one.
func (d doc) cleaned() doc {
	c := doc{Title: clean(d.Title), Meta: cleanAll(d.Meta)}
	for _, s := range d.Parts {
		s.Title, s.Paras, s.List, s.Note = clean(s.Title), cleanAll(s.Paras), cleanAll(s.List), clean(s.Note)
		if s.Table != nil {
			t := &table{Head: cleanAll(s.Table.Head), Right: s.Table.Right}
			for _, row := range s.Table.Rows {
				t.Rows = append(t.Rows, cleanAll(row))
			}
			s.Table = t
		}
		c.Parts = append(c.Parts, s)
	}
	return c
}

func cleanAll(in []string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = clean(s)
	}
	return out
}

// rightAt says whether column i is aligned right. It is a function, not
// a method, for the page's template, which calls no methods.
func rightAt(t *table, i int) bool { return i < len(t.Right) && t.Right[i] }

package report

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	template "github.com/DataDog/datadog-agent/pkg/template/text"

	"github.com/warroom/warroom/model"
)

// Template is one status-update draft: a text/template file filled with
// Figures. The template package is the standard library's with one
// change: a template cannot call methods, only read fields and call
// functions. The standard one looks methods up by name at run time, which
// keeps every exported method of every type in the binary: 6.3 MB more
// binary and 2.1-2.3 MB more resident memory in every console (measured).
type Template struct {
	Name     string // the file's name without .tmpl: what comms-sent and --template call it
	Title    string // what the drafts list calls it, from the file's "title:" comment
	Audience string // whom it goes to, from the file's "audience:" comment
	File     string // where it was read, for messages
	tmpl     *template.Template
	src      string
}

// Templates is the drafts a room can send, the built-in ones first in
// their order, then any others by name.
type Templates struct{ list []Template }

// templateExt ends a template's file name.
const templateExt = ".tmpl"

// builtinOrder is the order of the drafts that ship with warroom.
var builtinOrder = []string{"customer", "seller", "leadership", "carrier"}

// LoadTemplates reads the drafts: every *.tmpl of defaults (the embedded
// ones, named there by embeddedAs, e.g. "fixtures/templates"), then every
// *.tmpl of dir, which replaces a default of the same name or adds a
// draft. dir "" or missing reads the defaults alone. Every template is
// checked by filling it with full and with empty figures: a problem is
// reported as FILE:LINE:COL: message, all of them joined.
func LoadTemplates(defaults fs.FS, embeddedAs, dir string) (*Templates, error) {
	byName := map[string]Template{}
	var errs []error
	read := func(fsys fs.FS, shown func(string) string) {
		names, err := fs.Glob(fsys, "*"+templateExt)
		if err != nil {
			errs = append(errs, err)
			return
		}
		for _, n := range names {
			data, err := fs.ReadFile(fsys, n)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", shown(n), err))
				continue
			}
			t, err := ParseTemplate(shown(n), strings.TrimSuffix(n, templateExt), string(data))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			byName[t.Name] = t
		}
	}
	read(defaults, func(n string) string { return embeddedAs + "/" + n })
	if dir != "" {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			read(os.DirFS(dir), func(n string) string { return filepath.Join(dir, n) })
		} else if err == nil {
			errs = append(errs, fmt.Errorf("templates %s: not a directory", dir))
		} else if !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("templates: %w", err))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	ts := &Templates{}
	for _, n := range builtinOrder {
		if t, ok := byName[n]; ok {
			ts.list = append(ts.list, t)
			delete(byName, n)
		}
	}
	rest := make([]Template, 0, len(byName))
	for _, t := range byName {
		rest = append(rest, t)
	}
	slices.SortFunc(rest, func(a, b Template) int { return strings.Compare(a.Name, b.Name) })
	ts.list = append(ts.list, rest...)
	if len(ts.list) == 0 {
		return nil, fmt.Errorf("no draft templates (*%s) found", templateExt)
	}
	return ts, nil
}

// List is the drafts in their order.
func (ts *Templates) List() []Template { return slices.Clone(ts.list) }

// Get finds a draft by name.
func (ts *Templates) Get(name string) (Template, bool) {
	for _, t := range ts.list {
		if t.Name == name {
			return t, true
		}
	}
	return Template{}, false
}

// Names lists the drafts' names in order.
func (ts *Templates) Names() []string {
	out := make([]string, len(ts.list))
	for i, t := range ts.list {
		out[i] = t.Name
	}
	return out
}

// validName is a draft's name: what comms-sent records.
var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// ParseTemplate parses one draft named name from src, read from file, and
// checks it against full and empty figures.
func ParseTemplate(file, name, src string) (Template, error) {
	if !validName.MatchString(name) {
		return Template{}, fmt.Errorf("%s: bad template name %q: expected lower-case letters, digits and '-' before %s", file, name, templateExt)
	}
	if !utf8.ValidString(src) {
		return Template{}, fmt.Errorf("%s:1:1: not UTF-8 text", file)
	}
	t := Template{Name: name, Title: name, File: file, src: src}
	t.Title, t.Audience = header(src, name)
	tm, err := template.New(name).Option("missingkey=error").Funcs(funcs).Parse(src)
	if err != nil {
		return Template{}, t.position(err)
	}
	t.tmpl = tm
	for _, f := range []Figures{fullFigures(), emptyFigures()} {
		if _, err := t.Render(f); err != nil {
			return Template{}, err
		}
	}
	return t, nil
}

// Render fills the draft with f. The result is sanitised: the template
// and the figures' text (headlines, titles) come from outside.
func (t Template) Render(f Figures) (string, error) {
	var b bytes.Buffer
	if err := t.tmpl.Execute(&b, f); err != nil {
		return "", t.position(err)
	}
	return model.Sanitize(tidy(b.String()), 0), nil
}

// tidy drops the blank lines a template's actions leave at the top and
// runs of more than one blank line, and ends the text with one newline.
func tidy(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n") + "\n"
}

// header reads the title and audience from the template's first comment:
//
//	{{/* title: Seller notice
//	     audience: Seller Fulfilled Prime sellers */}}
func header(src, name string) (title, audience string) {
	title = name
	start := strings.Index(src, "{{/*")
	end := strings.Index(src, "*/")
	if start < 0 || end < start || strings.TrimSpace(src[:start]) != "" {
		return title, ""
	}
	for l := range strings.Lines(src[start+4 : end]) {
		k, v, ok := strings.Cut(strings.TrimSpace(l), ":")
		v = strings.TrimSpace(v)
		switch {
		case !ok || v == "":
		case k == "title":
			title = model.Sanitize(v, model.MaxNameLen)
		case k == "audience":
			audience = model.Sanitize(v, model.MaxNameLen)
		}
	}
	return title, audience
}

// templatePos is text/template's "template: NAME:LINE[:COL]: message".
var templatePos = regexp.MustCompile(`^template: [^:]*:(\d+)(?::(\d+))?: (?:executing "[^"]*" at <([^>]*)>: )?(.*)$`)

// position rewrites a text/template error as FILE:LINE:COL: message, the
// column counted in characters from 1 (text/template gives a byte offset
// from 0). A parse error, which text/template gives a line alone, has the
// column parseColumn finds.
func (t Template) position(err error) error {
	m := templatePos.FindStringSubmatch(err.Error())
	if m == nil {
		return fmt.Errorf("%s: %w", t.File, err)
	}
	line, _ := strconv.Atoi(m[1])
	msg := m[4]
	if m[3] != "" {
		msg = m[3] + ": " + msg
	}
	if m[2] == "" { // a parse error: text/template names the line alone
		return fmt.Errorf("%s:%d:%d: %s", t.File, line, parseColumn(t.src, line, msg), msg)
	}
	col, _ := strconv.Atoi(m[2])
	return fmt.Errorf("%s:%d:%d: %s%s", t.File, line, column(t.src, line, col), msg, fieldsHint(msg))
}

// column is the character column (from 1) of byte offset off on line.
func column(src string, line, off int) int {
	lines := strings.SplitAfter(src, "\n")
	if line < 1 || line > len(lines) {
		return off + 1
	}
	l := lines[line-1]
	return utf8.RuneCountInString(l[:min(max(off, 0), len(l))]) + 1
}

// fieldsHint points a missing field at the list of the ones there are.
func fieldsHint(msg string) string {
	if strings.Contains(msg, "can't evaluate field") {
		return " (the fields a draft may use are listed in fixtures/templates/README.md)"
	}
	return ""
}

// funcs are the functions a template may call.
var funcs = template.FuncMap{
	"compact": func(n int64) string { return model.Compact(n) },
	"signed":  model.Signed,
	"plural":  func(n int, noun string) string { return model.Plural(n, noun) },
	"upper":   strings.ToUpper,
	"percent": func(part, whole int64) string {
		if whole <= 0 {
			return "0%"
		}
		return strconv.FormatFloat(float64(part)*100/float64(whole), 'f', 1, 64) + "%"
	},
}

package model

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// YAMLDoc is a YAML document decoded with DecodeYAML: it knows where each
// of its fields is, for the problems a caller finds after decoding.
type YAMLDoc struct {
	file string
	part *yamlPart
}

// DecodeYAML decodes one YAML document into v, a pointer to a struct of the
// formats' kind: fields named by json tags, checked by check tags (required,
// present, min=, oneof=, id, items, unique=), enum types' Values, and the
// checks of the types the formats share (an alert rule's one kind, its
// spans). It reads the YAML the way a scenario file is read (go.yaml.in/yaml/v4, then
// JSON with positions, then go-json-experiment): unknown and duplicate
// keys are refused and every problem is found, each at file:line:col with
// its field. References to a scenario's declarations (ref=) are not
// checked: a document on its own declares none. The document is returned
// when it could be parsed, also with problems, for the caller's own checks
// (YAMLDoc.Problem).
func DecodeYAML(file string, data []byte, v any) (*YAMLDoc, ProblemList) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("DecodeYAML: %T is not a pointer to a struct", v))
	}
	l := &loader{file: Visible(file), opts: newFormatOptions(zeroTime)}
	l.opts.scenario = true // YAML: "a mapping", offsets as Go durations
	data, ok := l.readable(data, "it may be", "the file must be")
	if !ok {
		return nil, l.problems
	}
	p := l.part(data, 0)
	if p == nil {
		if len(l.problems) == 0 {
			l.add(yamlPos{1, 1}, "", "empty document: expected a mapping with "+infoOf(rv.Elem().Type()).names)
		}
		return nil, sorted(l.problems)
	}
	l.decodeMapping(p, rv.Elem(), "", nil)
	return &YAMLDoc{file: l.file, part: p}, sorted(l.problems)
}

// Problem is a problem with a field (written as problems write fields:
// sources[0].url) at the field's value, or where a missing field should
// be: the nearest mapping that holds it.
func (d *YAMLDoc) Problem(field, format string, args ...any) Problem {
	at := yamlPos{1, 1}
	if d != nil && d.part != nil {
		at = d.part.pos(fieldPointer(field), false)
	}
	file := ""
	if d != nil {
		file = d.file
	}
	return Problem{File: file, Line: at.line, Col: at.col, Field: field, Message: fmt.Sprintf(format, args...)}
}

// fieldPointer is the JSON pointer of a field path: sources[0].url →
// /sources/0/url.
func fieldPointer(field string) string {
	var b strings.Builder
	for _, part := range strings.Split(field, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			b.WriteString("/" + escapePointer(name))
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			if _, err := strconv.Atoi(idx); err == nil {
				b.WriteString("/" + idx)
			}
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return b.String()
}

// SanitizeAlertRules makes the rules' text safe to show (names from a
// config), as a scenario's text is at load.
func SanitizeAlertRules(rules []AlertRule) {
	for i := range rules {
		sanitizeStrings(reflect.ValueOf(&rules[i]).Elem(), "", func(string, string, string) {})
	}
}

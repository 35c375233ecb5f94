package model

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The formats' types are decoded by github.com/go-json-experiment/json (the
// encoding/json/v2 design): unknown members are refused, types are exact,
// and an error says at which JSON pointer it is. A document is first
// decoded whole; only when that fails is it decoded again field by field,
// so that every problem is found, not only the first (a scenario file
// with three bad fields in one item gets three problems).

// fieldProblem is a problem at a JSON pointer into a document.
type fieldProblem struct {
	ptr string // the field, e.g. /timeline/3/hosts/recovered
	key bool   // the problem is the member's name (unknown, duplicate), not its value
	dup bool   // a member given twice: reported at its second name
	// at is where to report it when that is not the field itself: the
	// mapping a missing field is missing from.
	at  string
	msg string
}

// where is the pointer a problem is reported at, and whether at its
// member's name: the field itself, or the mapping a field is missing from.
func (fp *fieldProblem) where() (ptr string, key bool) {
	if fp.at != "" {
		return fp.at, false
	}
	return fp.ptr, fp.key
}

// fieldInfo is what the decoder and the checks know of a struct field.
type fieldInfo struct {
	name   string // its JSON name
	index  []int  // reflect.Value.FieldByIndex
	typ    reflect.Type
	checks fieldChecks
	doc    string
	wire   bool // format:"wire": the wire format's only
	kind   Kind // kind:"…": an event kind of Item
	text   bool // sanitize:"text": capped at MaxTextLen, not MaxNameLen
	// elem is the type info of the struct the field is, points to or
	// lists; nil for other fields.
	elem *typeInfo
	// words are what a string field may be: its enum type's Values or
	// its oneof check.
	words []string
}

// fieldChecks are a field's check tag, parsed.
type fieldChecks struct {
	required bool     // present, and a string not empty
	present  bool     // present (a number whose zero is valid)
	min      *float64 // no less than
	ref      string   // names a declaration of this section (scenario files)
	id       bool     // lower-case letters, digits and '-'
	idOf     string   // what the id names in messages (id=alert); default host group
	oneOf    []string // one of these words
	items    bool     // a list of non-empty strings
	unique   string   // a list of declarations whose ids are unique: what they are
}

// typeInfo is a struct type's fields, by JSON name and in order.
type typeInfo struct {
	fields []fieldInfo
	byName map[string]int
	names  string // "a, b, c", for messages
	// fileNames are names without the wire format's own fields, for a
	// scenario file's messages.
	fileNames string
	// times are the fields that are times, or hold some.
	times []int
	// kinds are the fields tagged kind (in Item: the event kinds).
	kinds []int
}

var typeInfos sync.Map // reflect.Type → *typeInfo

func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{byName: map[string]int{}}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			idx := append(append([]int(nil), index...), i)
			if opts == "inline" {
				walk(f.Type, idx)
				continue
			}
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			fi := fieldInfo{name: name, index: idx, typ: f.Type, checks: parseChecks(f.Tag.Get("check")),
				doc: f.Tag.Get("doc"), wire: f.Tag.Get("format") == "wire", kind: Kind(f.Tag.Get("kind"))}
			fi.words, fi.text = fi.checks.oneOf, f.Tag.Get("sanitize") == "text"
			if et := structOf(f.Type); et != nil {
				fi.elem = infoOf(et)
			}
			if e, ok := reflect.Zero(f.Type).Interface().(enum); ok && f.Type.Kind() == reflect.String {
				fi.words = e.Values()
			}
			ti.byName[name] = len(ti.fields)
			ti.fields = append(ti.fields, fi)
		}
	}
	walk(t, nil)
	var names, fileNames []string
	for _, f := range ti.fields {
		names = append(names, f.name)
		if !f.wire {
			fileNames = append(fileNames, f.name)
		}
	}
	ti.names, ti.fileNames = strings.Join(names, ", "), strings.Join(fileNames, ", ")
	for i, f := range ti.fields {
		if f.kind != "" && len(f.index) == 1 {
			ti.kinds = append(ti.kinds, f.index[0])
		}
		base := f.typ
		for base.Kind() == reflect.Pointer || base.Kind() == reflect.Slice {
			base = base.Elem()
		}
		if base == timeType || f.elem != nil && len(f.elem.times) > 0 {
			ti.times = append(ti.times, i)
		}
	}
	actual, _ := typeInfos.LoadOrStore(t, ti)
	return actual.(*typeInfo)
}

// structOf is the struct type t is, points to or lists (time.Time is no
// struct of the formats); nil otherwise.
func structOf(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType {
		return nil
	}
	return t
}

// value is the field of v, a struct of its type.
func (f *fieldInfo) value(v reflect.Value) reflect.Value {
	if len(f.index) == 1 {
		return v.Field(f.index[0])
	}
	return v.FieldByIndex(f.index)
}

// limit is the cap Sanitize puts on the field's text.
func (f *fieldInfo) limit() int {
	if f.text {
		return MaxTextLen
	}
	return MaxNameLen
}

func parseChecks(tag string) fieldChecks {
	var c fieldChecks
	for _, part := range strings.Split(tag, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "required":
			c.required = true
		case "present":
			c.present = true
		case "min":
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				c.min = &f
			}
		case "ref":
			c.ref = v
		case "id":
			c.id, c.idOf = true, v
		case "oneof":
			c.oneOf = strings.Split(v, "|")
		case "items":
			c.items = true
		case "unique":
			c.unique = v
		}
	}
	return c
}

// formatOptions are how the formats' JSON is read and written: offsets
// from T+0 as "+2h15m" (or an RFC 3339 time, counted from origin), times
// as RFC 3339 in any case, unknown members refused.
type formatOptions struct {
	origin   time.Time
	scenario bool // a scenario file's: messages leave the wire format's fields out
	negative bool // offsets may be negative (the journal's own: -1 is "none yet")
	decode   json.Options
	encode   json.Options
	// plain reads the common form (a time in UTC, whole numbers as
	// integers) with the library's own readers for times and counts, a
	// fifth faster; what it refuses or doubts is read again with decode.
	plain json.Options
}

func newFormatOptions(origin time.Time) *formatOptions {
	o := &formatOptions{origin: origin}
	o.plain = json.JoinOptions(json.RejectUnknownMembers(true), json.WithUnmarshalers(json.UnmarshalFromFunc(o.unmarshalOffset)))
	o.decode = json.JoinOptions(json.RejectUnknownMembers(true), json.WithUnmarshalers(json.JoinUnmarshalers(
		json.UnmarshalFromFunc(o.unmarshalOffset),
		json.UnmarshalFromFunc(o.unmarshalTime),
		json.UnmarshalFromFunc(unmarshalWhole[int]),
		json.UnmarshalFromFunc(unmarshalWhole[int64]),
	)))
	o.encode = json.JoinOptions(json.WithMarshalers(json.JoinMarshalers(
		json.MarshalToFunc(o.marshalOffset),
		json.MarshalToFunc(marshalTime),
	)))
	return o
}

// errNegativeOffset and the rest are the messages of the formats' scalars.
var (
	errOffset     = errors.New("expected an offset such as +0m, +2h15m or 90s")
	errWireOffset = errors.New("expected an offset such as +6h42m or T+06:42, or an RFC 3339 time")
	errTime       = errors.New("expected an RFC 3339 time such as 2024-07-19T04:09:00Z")
)

// unmarshalOffset reads an offset from T+0: a Go duration with an optional
// '+', the number 0, or (in the wire format) an RFC 3339 time.
func (o *formatOptions) unmarshalOffset(dec *jsontext.Decoder, d *time.Duration) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case 'n':
		return nil
	case '0':
		if string(v) == "0" {
			*d = 0
			return nil
		}
		fallthrough
	default:
		return &scalarError{msg: o.errOffset().Error() + ", got " + describeJSON(v, o.scenario)}
	case '"':
	}
	s, err := unquote(v)
	if err != nil {
		return err
	}
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, "Tt") || !strings.Contains(s, "-") {
		// not a time: no time.Parse error made for every offset
	} else if t, err := parseTime(s); err == nil {
		if t.Sub(o.origin) == math.MinInt64 || t.Sub(o.origin) == math.MaxInt64 {
			return &scalarError{msg: fmt.Sprintf("time %q is too far from T+0 (%s): expected a time within 290 years of it", s, o.origin.Format(time.RFC3339))}
		}
		*d = t.Sub(o.origin)
		return nil
	}
	parse := time.ParseDuration
	if !o.scenario {
		parse = ParseOffset // the wire format also takes T+06:42
	}
	at, err := parse(s)
	switch {
	case err != nil:
		return &scalarError{msg: fmt.Sprintf("bad offset %q: %v", s, o.errOffset())}
	case at < 0 && !o.negative:
		return &scalarError{msg: fmt.Sprintf("negative offset %q: offsets count from T+0 and must not be negative", s)}
	}
	*d = at
	return nil
}

// errOffset is what an offset looks like in the format.
func (o *formatOptions) errOffset() error {
	if o.scenario {
		return errOffset
	}
	return errWireOffset
}

// marshalOffset writes an offset in the wire format: as the time it is,
// origin+d, in RFC 3339 UTC.
func (o *formatOptions) marshalOffset(enc *jsontext.Encoder, d time.Duration) error {
	t := o.origin.Add(d)
	if t.Sub(o.origin) != d {
		return fmt.Errorf("%v from T+0 is out of range", d)
	}
	return marshalTime(enc, t)
}

// unmarshalWhole reads a count: an integer, or a number with no fraction
// (12.0, 1e2), as exporters that keep every number a float write them.
func unmarshalWhole[T int | int64](dec *jsontext.Decoder, n *T) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case 'n':
		return nil
	case '0':
	default:
		return errNotInteger
	}
	if i, err := strconv.ParseInt(string(v), 10, 64); err == nil && int64(T(i)) == i {
		*n = T(i)
		return nil
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 || float64(T(f)) != f {
		return errNotInteger
	}
	*n = T(f)
	return nil
}

var errNotInteger = errors.New("not an integer")

// unmarshalTime reads an RFC 3339 time in UTC; 't' and 'z' may be lower
// case, as RFC 3339 allows.
func (o *formatOptions) unmarshalTime(dec *jsontext.Decoder, t *time.Time) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if v.Kind() == 'n' {
		return nil
	}
	if v.Kind() != '"' {
		return &scalarError{msg: errTime.Error() + ", got " + describeJSON(v, o.scenario)}
	}
	s, err := unquote(v)
	if err != nil {
		return err
	}
	parsed, err := parseTime(strings.TrimSpace(s))
	if err != nil {
		return &scalarError{msg: fmt.Sprintf("bad timestamp %q: %v", s, errTime)}
	}
	*t = parsed
	return nil
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, strings.Map(func(r rune) rune {
		if r == 't' || r == 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s))
	return t.UTC(), err
}

// marshalTime writes a time in RFC 3339 UTC, to the nanosecond when it
// has fractions of a second.
func marshalTime(enc *jsontext.Encoder, t time.Time) error {
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Errorf("%v is outside the years 0000-9999 that RFC 3339 can write", t)
	}
	return enc.WriteToken(jsontext.String(t.UTC().Format(time.RFC3339Nano)))
}

// unquote is the text of a JSON string value, read by jsontext without
// the reflection json.Unmarshal costs for each time and offset.
func unquote(v jsontext.Value) (string, error) {
	b, err := jsontext.AppendUnquote(nil, v)
	return string(b), err
}

// scalarError is a value the formats' own scalar readers refused.
type scalarError struct{ msg string }

func (e *scalarError) Error() string { return e.msg }

// describeJSON names a JSON value for a message: a mapping (in the YAML
// of a scenario; elsewhere an object), a list, a
// string "x", a number "1.5", true.
func describeJSON(v jsontext.Value, scenario bool) string {
	switch v.Kind() {
	case '{':
		return mapping(scenario)
	case '[':
		return "a list"
	case '"':
		var s string
		_ = json.Unmarshal(v, &s)
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return fmt.Sprintf("a string %q", s)
	case '0':
		return "a number " + string(v)
	case 't', 'f':
		return "a boolean " + string(v)
	case 'n':
		return "null"
	}
	return "a value"
}

// mapping is what a scenario's YAML calls an object.
func mapping(scenario bool) string {
	if scenario {
		return "a mapping"
	}
	return "an object"
}

// expected says what a field takes, for a message: "a string", "an
// integer >= 0", "a mapping with group, recovered, …" (in the YAML of a
// scenario; elsewhere an object).
func expected(f *fieldInfo, scenario bool) string {
	t := f.typ
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bound := ""
	if f.checks.min != nil {
		bound = " >= " + strconv.FormatFloat(*f.checks.min, 'f', -1, 64)
	}
	switch {
	case t == reflect.TypeFor[time.Duration]() && scenario:
		return errOffset.Error()[len("expected "):]
	case t == reflect.TypeFor[time.Duration]():
		return errWireOffset.Error()[len("expected "):]
	case t == timeType:
		return errTime.Error()[len("expected "):]
	case t.Kind() == reflect.String:
		if v, ok := reflect.Zero(t).Interface().(enum); ok {
			return "one of " + strings.Join(v.Values(), ", ")
		}
		if len(f.checks.oneOf) > 0 {
			return "one of " + strings.Join(f.checks.oneOf, ", ")
		}
		if ref := f.checks.ref; ref != "" {
			return "a " + refName(ref) + " id"
		}
		return "a string"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		return "an integer" + bound
	case t.Kind() == reflect.Float64:
		return "a number" + bound
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Slice:
		return "a list"
	case t.Kind() == reflect.Struct:
		if scenario {
			return "a mapping with " + infoOf(t).fileNames
		}
		return "an object with " + infoOf(t).names
	}
	return "a value"
}

// decodeObject decodes a JSON object into v (a struct) field by field,
// adding a problem for each member that is unknown, given twice or of the
// wrong type. A null member counts as absent. opts are the format's
// options.
func decodeObject(raw jsontext.Value, v reflect.Value, ptr string, opts *formatOptions, out *[]fieldProblem) {
	ti := infoOf(v.Type())
	names := ti.names
	if opts.scenario {
		names = ti.fileNames
	}
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		*out = append(*out, fieldProblem{ptr: ptr, msg: "expected " + mapping(opts.scenario) + " with " + names + ", got " + describeJSON(raw, opts.scenario)})
		return
	}
	seen := map[string]bool{}
	for dec.PeekKind() == '"' {
		if len(*out) > maxProblems {
			return // enough to report: an object of a million unknown members is read no further
		}
		nameTok, err := dec.ReadToken()
		if err != nil {
			return
		}
		name := nameTok.String()
		val, err := dec.ReadValue()
		if err != nil {
			return
		}
		mptr := ptr + "/" + escapePointer(name)
		i, known := ti.byName[name]
		switch {
		case !known:
			*out = append(*out, fieldProblem{ptr: mptr, key: true,
				msg: fmt.Sprintf("unknown field %q: expected one of %s", name, names)})
			continue
		case seen[name]:
			*out = append(*out, fieldProblem{ptr: mptr, key: true, dup: true, msg: fmt.Sprintf("duplicate field %q", name)})
			continue
		}
		seen[name] = true
		if val.Kind() == 'n' {
			continue
		}
		f := &ti.fields[i]
		decodeField(val, v.FieldByIndex(f.index), f, mptr, opts, out)
	}
}

// decodeField decodes one member's value into fv.
func decodeField(val jsontext.Value, fv reflect.Value, f *fieldInfo, ptr string, opts *formatOptions, out *[]fieldProblem) {
	t := fv.Type()
	switch {
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct && t.Elem() != timeType:
		nv := reflect.New(t.Elem())
		decodeObject(val, nv.Elem(), ptr, opts, out)
		fv.Set(nv)
	case t.Kind() == reflect.Struct && t != timeType:
		decodeObject(val, fv, ptr, opts, out)
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		var elems []jsontext.Value
		if err := json.Unmarshal(val, &elems); err != nil {
			*out = append(*out, fieldProblem{ptr: ptr, msg: "expected a list, got " + describeJSON(val, opts.scenario)})
			return
		}
		s := reflect.MakeSlice(t, len(elems), len(elems))
		ef := *f
		ef.typ = t.Elem()
		for i, e := range elems {
			eptr := ptr + "/" + strconv.Itoa(i)
			if t.Elem().Kind() == reflect.Struct {
				decodeObject(e, s.Index(i), eptr, opts, out)
			} else if err := json.Unmarshal(e, s.Index(i).Addr().Interface(), opts.decode); err != nil {
				*out = append(*out, fieldProblem{ptr: eptr, msg: valueMessage(err, &ef, e, opts.scenario)})
			}
		}
		fv.Set(s)
	default:
		if err := json.Unmarshal(val, fv.Addr().Interface(), opts.decode); err != nil {
			*out = append(*out, fieldProblem{ptr: ptr, msg: valueMessage(err, f, val, opts.scenario)})
		}
	}
}

// valueMessage says what is wrong with a scalar the decoder refused.
func valueMessage(err error, f *fieldInfo, val jsontext.Value, scenario bool) string {
	var se *scalarError
	if errors.As(err, &se) {
		return se.msg
	}
	t := f.typ
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if val.Kind() == '0' && t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64 && !strings.ContainsAny(string(val), ".eE") {
		return fmt.Sprintf("integer %s is out of range", string(val))
	}
	return fmt.Sprintf("expected %s, got %s", expected(f, scenario), describeJSON(val, scenario))
}

package model

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The wire format is JSON, one object per event — NDJSON, or a JSON array
// of them — read by the http, exec and ndjson sources, served by the
// simulator and kept by the journal. Its objects are Items, the same type
// as a scenario's timeline items:
//
//	{"time": "2024-07-19T10:51:00Z",   // RFC 3339; or "at": "+6h42m" (an offset from T+0)
//	 "source": "carrier-edi",          // optional
//	 "text": "…",                      // optional timeline line
//	 "hosts": {"group": "wms-fulfilment", "recovered": 712, "total": 1240}}
//
// with exactly one kind. An event with neither time nor at happened when
// it was read. A JSON null counts as an absent field.

// DecodeError is one problem in wire-format input: the input's name, the
// line and column, the field (e.g. "hosts.recovered") and what was
// expected. It prints as "name:line:col: field: message".
type DecodeError struct {
	Problem
}

func (e *DecodeError) Error() string {
	if e.File == "" {
		p := e.Problem
		p.File = "event"
		return p.String()
	}
	return e.Problem.String()
}

// Why a wire entry is not an event, for the sources' counts of what they
// dropped.
const (
	DropBadEntry    = "bad entry"    // not an event: bad JSON, a wrong type, a missing field
	DropBadTime     = "bad time"     // an event whose time or offset does not parse
	DropUnknownKind = "unknown kind" // an event of a kind warroom does not know
)

// Limits of the wire decoder.
const (
	MaxWireLine  = 1 << 20 // NDJSON lines longer than this are refused
	maxWireDepth = 64      // nesting of JSON values
	maxProblems  = 20      // problems reported per event
)

// WireDecoder reads wire-format input for one incident. A live source's is
// strict about what an event must say; the journal's takes back what the
// room accepted. Not safe for concurrent use.
type WireDecoder struct {
	name    string
	opts    *formatOptions
	mode    checkMode
	now     func() time.Duration
	nowAt   time.Duration
	nowSet  bool
	single  bool                            // reading one event, not lines of them
	Dropped func(raw []byte, reason string) // told of each entry that is no event, and why
}

// NewWireDecoder reads events from outside for an incident whose T+0 is
// origin; an event without a time of its own happened at now(), asked
// once per read. Text is sanitised and capped, as all text from outside.
func NewWireDecoder(name string, origin time.Time, now func() time.Duration) *WireDecoder {
	return &WireDecoder{name: name, opts: newFormatOptions(origin), mode: checkWire, now: now}
}

// NewJournalDecoder reads back events a room accepted and wrote in the
// wire format: their form is checked as strictly, but not what they say
// (a host report above its total, a state of no known word), which the
// room took as it was; every event has a time.
func NewJournalDecoder(origin time.Time) *WireDecoder {
	opts := newFormatOptions(origin)
	opts.negative = true // a source's LastData is -1 before its first data
	return &WireDecoder{opts: opts, mode: checkNone}
}

// Decode reads a JSON array of events or NDJSON, calling emit with each
// good event (timed: it had a time of its own) and fail with each problem.
// One entry's problems never affect the others.
func (d *WireDecoder) Decode(data []byte, emit func(Event, bool), fail func(error)) {
	d.nowSet = false
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		d.array(data, emit, fail)
		return
	}
	d.Lines(data, 1, emit, fail)
}

// Lines reads NDJSON whose first line is numbered line. A large input is
// decoded on every core, its events, problems and drops delivered in order
// on the caller's goroutine.
func (d *WireDecoder) Lines(data []byte, line int, emit func(Event, bool), fail func(error)) {
	d.nowSet = false
	if parts := splitForCores(data, line); len(parts) > 1 {
		d.parallel(parts, emit, fail)
		return
	}
	d.lines(data, line, emit, fail)
}

// lines reads NDJSON on this goroutine.
func (d *WireDecoder) lines(data []byte, line int, emit func(Event, bool), fail func(error)) {
	for len(data) > 0 {
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			end = len(data)
		}
		l := data[:end]
		if len(bytes.Trim(l, " \t\r")) > 0 { // JSON's blanks: a line of any other character is an entry, and bad
			if len(l) > MaxWireLine {
				d.drop(l, DropBadEntry)
				fail(&DecodeError{Problem{File: d.name, Line: line, Col: 1,
					Message: fmt.Sprintf("line longer than the limit of %d MiB: skipped", MaxWireLine>>20)}})
			} else {
				d.entry(l, line, 1, emit, fail)
			}
		}
		if end < len(data) {
			end++
		}
		data = data[end:]
		line++
	}
}

// Event reads one event.
func (d *WireDecoder) Event(data []byte) (Event, bool, error) {
	d.nowSet, d.single = false, true
	defer func() { d.single = false }()
	var e Event
	var timed, ok bool
	var errs []error
	d.entry(bytes.TrimPrefix(data, []byte("\ufeff")), 1, 1, func(ev Event, t bool) { e, timed, ok = ev, t, true },
		func(err error) { errs = append(errs, err) })
	if !ok && len(errs) == 0 {
		errs = append(errs, &DecodeError{Problem{File: d.name, Line: 1, Col: 1, Message: "expected an event object"}})
	}
	return e, timed, errors.Join(errs...)
}

// array reads a JSON array of events. A syntax error ends it.
func (d *WireDecoder) array(data []byte, emit func(Event, bool), fail func(error)) {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true))
	if _, err := dec.ReadToken(); err != nil {
		d.syntaxError(data, 1, 1, err, fail, true)
		return
	}
	for dec.PeekKind() != ']' {
		off := dec.InputOffset()
		v, err := dec.ReadValue()
		if err != nil {
			d.drop(data[min(int(off), len(data)):], DropBadEntry)
			d.syntaxError(data, 1, 1, err, fail, true)
			return
		}
		start := int(off) + (len(data[off:]) - len(bytes.TrimLeft(data[off:], " \t\r\n,")))
		line, col := lineCol(data, start, 1, 1)
		d.entry(v, line, col, emit, fail)
	}
	if _, err := dec.ReadToken(); err != nil {
		d.syntaxError(data, 1, 1, err, fail, true)
		return
	}
	if rest := bytes.Trim(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		d.drop(rest, DropBadEntry)
		line, col := lineCol(data, int(dec.InputOffset())+len(data[dec.InputOffset():])-len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")), 1, 1)
		r, _ := utf8.DecodeRune(rest)
		fail(&DecodeError{Problem{File: d.name, Line: line, Col: col, Message: "invalid JSON: unexpected " + quoteRune(r) + " after the list of events, expected the end of input"}})
	}
}

func (d *WireDecoder) drop(raw []byte, reason string) {
	if d.Dropped != nil {
		d.Dropped(raw, reason)
	}
}

// lineCol is the line and column (in runes) of byte off of data, whose
// first byte is at line:col.
func lineCol(data []byte, off, line, col int) (int, int) {
	off = min(max(off, 0), len(data))
	for i := 0; i < off; {
		r, size := utf8.DecodeRune(data[i:])
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return line, col
}

// syntaxError reports a JSON syntax error in data, whose first byte is at
// line:col; in an array of events, a field is named within its event.
func (d *WireDecoder) syntaxError(data []byte, line, col int, err error, fail func(error), inArray bool) {
	off, ptr, msg := jsonSyntax(data, err)
	if inArray {
		if _, rest, ok := strings.Cut(strings.TrimPrefix(ptr, "/"), "/"); ok {
			ptr = "/" + rest
		} else {
			ptr = ""
		}
	}
	l, c := lineCol(data, off, line, col)
	fail(&DecodeError{Problem{File: d.name, Line: l, Col: c, Field: fieldPath(ptr), Message: msg}})
}

// entry reads one event at line:col.
func (d *WireDecoder) entry(raw []byte, line, col int, emit func(Event, bool), fail func(error)) {
	var it Item
	if json.Unmarshal(raw, &it, d.opts.plain) == nil && plainTimes(reflect.ValueOf(&it).Elem()) {
		d.check(raw, &it, nil, line, col, emit, fail)
		return
	}
	it = Item{}
	var fps []fieldProblem
	if err := json.Unmarshal(raw, &it, d.opts.decode); err != nil {
		// Read again member by member, to report every problem; but
		// not what nests deeper than any event, nor what is no object.
		if depth(raw) > maxWireDepth {
			d.drop(raw, DropBadEntry)
			fail(&DecodeError{Problem{File: d.name, Line: line, Col: col, Message: fmt.Sprintf("nested more than %d levels deep", maxWireDepth)}})
			return
		}
		if !d.wellFormed(raw, line, col, fail) {
			d.drop(raw, DropBadEntry)
			return
		}
		it = Item{}
		decodeObject(raw, reflect.ValueOf(&it).Elem(), "", d.opts, &fps)
	}
	d.check(raw, &it, fps, line, col, emit, fail)
}

// check runs the checks over a decoded item, whose decoding problems are
// fps, and emits it or fails with every problem.
func (d *WireDecoder) check(raw []byte, it *Item, fps []fieldProblem, line, col int, emit func(Event, bool), fail func(error)) {
	c := checker{mode: d.mode, raw: raw, sanitize: d.mode != checkNone}
	c.noteFailed(fps, nil)
	if it.Time != nil && !c.refused("/time") {
		if dt := it.Time.Sub(d.opts.origin); dt == math.MinInt64 || dt == math.MaxInt64 {
			fps = append(fps, fieldProblem{ptr: "/time", msg: fmt.Sprintf("time %q is too far from T+0 (%s): expected a time within 290 years of it",
				it.Time.Format(time.RFC3339), d.opts.origin.Format(time.RFC3339))})
		}
	}
	if len(fps) <= maxProblems { // beyond, the decoder stopped reading: the rest would be noise
		c.item(it, "")
	}
	problems := append(fps, c.out...)
	if len(problems) > 0 {
		type placed struct {
			fieldProblem
			off int
		}
		ps := make([]placed, len(problems))
		for i, fp := range problems {
			ps[i] = placed{fp, fp.offset(raw)}
		}
		slices.SortStableFunc(ps, func(a, b placed) int { return a.off - b.off })
		d.drop(raw, dropReason(problems))
		if len(ps) > maxProblems {
			ps = append(ps[:maxProblems], placed{fieldProblem{msg: "too many problems in one event: the rest are not reported"}, firstByte(raw, 0)})
		}
		for _, p := range ps {
			l, c := lineCol(raw, p.off, line, col)
			fail(&DecodeError{Problem{File: d.name, Line: l, Col: c, Field: fieldPath(p.ptr), Message: p.msg}})
		}
		return
	}
	e, timed := d.event(it)
	emit(e, timed)
}

// plainTimes reports whether the library's own reader made every time of
// v UTC, as the format's does. Otherwise the event is read again, so that
// it is converted.
func plainTimes(v reflect.Value) bool {
	ti := infoOf(v.Type())
	for _, i := range ti.times {
		if !plainTime(ti.fields[i].value(v)) {
			return false
		}
	}
	return true
}

func plainTime(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		return v.IsNil() || plainTime(v.Elem())
	case reflect.Slice:
		for i := range v.Len() {
			if !plainTime(v.Index(i)) {
				return false
			}
		}
	case reflect.Struct:
		if t, ok := reflect.TypeAssert[time.Time](v); ok {
			return t.Location() == time.UTC || t.IsZero()
		}
		return plainTimes(v)
	}
	return true
}

// wellFormed reports whether raw is one JSON object, reporting what it is
// otherwise.
func (d *WireDecoder) wellFormed(raw []byte, line, col int, fail func(error)) bool {
	if start := firstByte(raw, 0); start < len(raw) && raw[start] != '{' {
		l, c := lineCol(raw, start, line, col)
		msg := ""
		if v, err := jsontext.NewDecoder(bytes.NewReader(raw[start:])).ReadValue(); err == nil {
			msg = "expected an event object, got " + describeJSON(v, false)
		} else {
			r, _ := utf8.DecodeRune(raw[start:])
			msg = "invalid JSON: unexpected " + quoteRune(r) + ", expected an event object"
		}
		fail(&DecodeError{Problem{File: d.name, Line: l, Col: c, Message: msg}})
		return false
	}
	if jsontext.Value(raw).IsValid(jsontext.AllowDuplicateNames(true)) {
		return true
	}
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true))
	if _, err := dec.ReadValue(); err != nil {
		d.syntaxError(raw, line, col, err, fail, false)
		return false
	}
	off := firstByte(raw, int(dec.InputOffset()))
	l, c := lineCol(raw, off, line, col)
	r, _ := utf8.DecodeRune(raw[off:])
	want := "one event per line"
	if d.single {
		want = "the end of input"
	}
	fail(&DecodeError{Problem{File: d.name, Line: l, Col: c,
		Message: "invalid JSON: unexpected " + quoteRune(r) + " after the event, expected " + want}})
	return false
}

// event is a good item as an event.
func (d *WireDecoder) event(it *Item) (Event, bool) {
	if w := it.Warning; w != nil && w.Phase == "" { // as Apply reads it
		w.Phase = WarningIssued
	}
	if d.mode == checkNone { // the wire decoder's were sanitised before their checks
		sanitizeValue(reflect.ValueOf(it).Elem(), MaxNameLen, true)
	}
	e := Event{Source: it.Source, Text: it.Text, Body: it.Body()}
	timed := true
	switch {
	case it.At != nil:
		e.At = *it.At
	case it.Time != nil:
		e.At = it.Time.Sub(d.opts.origin)
	default:
		timed = false
		if !d.nowSet && d.now != nil {
			d.nowAt, d.nowSet = d.now(), true
		}
		e.At = d.nowAt
	}
	return e, timed
}

// dropReason says why an entry with these problems is no event.
func dropReason(ps []fieldProblem) string {
	unknown, kinds := false, false
	for _, p := range ps {
		switch {
		case p.ptr == "/at" || p.ptr == "/time":
			return DropBadTime
		case strings.HasPrefix(p.msg, "unknown field") && strings.Count(p.ptr, "/") == 1:
			unknown = true
		case strings.HasPrefix(p.msg, "no event kind"):
			kinds = true
		}
	}
	if unknown && kinds {
		return DropUnknownKind
	}
	return DropBadEntry
}

// members are the pointers of the members of raw that are not null, a few
// levels deep.
func members(raw []byte) map[string]bool {
	out := map[string]bool{}
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true))
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			return out
		}
		if tok.Kind() == '"' && isName(dec) && dec.StackDepth() <= 6 {
			name := tok.String() // before the decoder moves on
			if dec.PeekKind() != 'n' {
				out[string(dec.StackPointer().Parent())+"/"+escapePointer(name)] = true
			}
		}
	}
}

// locate is the byte offset in raw of the value at ptr (or, with key, of
// its member's name); the nearest enclosing value when ptr is not there.
func locate(raw []byte, ptr string, key bool) int {
	if ptr == "" {
		return firstByte(raw, 0)
	}
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true))
	best := firstByte(raw, 0)
	for {
		before := int(dec.InputOffset())
		tok, err := dec.ReadToken()
		if err != nil {
			return best
		}
		at := firstByte(raw, before)
		depth := dec.StackDepth()
		k, _ := dec.StackIndex(depth)
		here := string(dec.StackPointer())
		if k == '{' && tok.Kind() == '"' && isName(dec) {
			name := here
			if key && name == ptr {
				return at
			}
			continue
		}
		if k := tok.Kind(); k == '}' || k == ']' {
			continue
		}
		if here == ptr {
			return at
		}
		if strings.HasPrefix(ptr, here+"/") {
			best = at
		}
	}
}

// offset is where in raw a problem is reported: its field, its member's
// name, the mapping it is missing from, or a duplicate's second name.
func (fp *fieldProblem) offset(raw []byte) int {
	if fp.dup && fp.at == "" {
		return locateLastName(raw, fp.ptr)
	}
	ptr, key := fp.where()
	return locate(raw, ptr, key)
}

// locateLastName is the byte offset of the last member name at ptr.
func locateLastName(raw []byte, ptr string) int {
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true))
	last := locate(raw, ptr, true)
	for {
		before := int(dec.InputOffset())
		tok, err := dec.ReadToken()
		if err != nil {
			return last
		}
		if tok.Kind() == '"' && isName(dec) && string(dec.StackPointer()) == ptr {
			last = firstByte(raw, before)
		}
	}
}

// isName reports whether the token just read was an object's member name
// (the decoder is now between a name and its value).
func isName(dec *jsontext.Decoder) bool {
	k, n := dec.StackIndex(dec.StackDepth())
	return k == '{' && n%2 == 1
}

// firstByte skips blanks, commas and colons from off.
func firstByte(raw []byte, off int) int {
	for off < len(raw) && strings.IndexByte(" \t\r\n,:", raw[off]) >= 0 {
		off++
	}
	return off
}

// depth is how deep raw's values nest.
func depth(raw []byte) int {
	d, most := 0, 0
	structure(raw, func(c byte) {
		switch c {
		case '[', '{':
			d++
			most = max(most, d)
		case ']', '}':
			d--
		}
	})
	return most
}

// EncodeEvent writes an event as one line of the wire format, without the
// newline: "time" is origin+At in RFC 3339 UTC (to the nanosecond when it
// has fractions of a second), as are the other instants; fields empty or
// zero are left out.
func EncodeEvent(e Event, origin time.Time) ([]byte, error) {
	return NewWireEncoder(origin).Append(nil, e, true)
}

// WireEncoder writes events in the wire format for an incident whose T+0
// is origin. Safe for concurrent use.
type WireEncoder struct {
	origin time.Time
	opts   json.Options
}

// NewWireEncoder is the encoder of an incident whose T+0 is origin.
func NewWireEncoder(origin time.Time) *WireEncoder {
	return &WireEncoder{origin: origin, opts: newFormatOptions(origin).encode}
}

// Append appends e in the wire format; withTime false leaves its time out
// (a key for events that had none of their own).
func (w *WireEncoder) Append(b []byte, e Event, withTime bool) ([]byte, error) {
	if e.Body == nil {
		return nil, errors.New("encode event: no body")
	}
	it := Item{Source: e.Source, Text: e.Text}
	if withTime {
		t := w.origin.Add(e.At)
		if t.Sub(w.origin) != e.At {
			return nil, fmt.Errorf("encode event: time: %v from T+0 is out of range", e.At)
		}
		it.Time = &t
	}
	it.setBody(e.Body)
	out, err := json.Marshal(&it, w.opts)
	if se := (*json.SemanticError)(nil); errors.As(err, &se) && se.Err != nil {
		return nil, fmt.Errorf("encode event: %s: %w", fieldPath(string(se.JSONPointer)), se.Err)
	}
	if err != nil {
		return nil, fmt.Errorf("encode event: %w", err)
	}
	return append(b, out...), nil
}

// JournalCodec is the wire format as a room's journal keeps events: one
// event to one line of JSON and back, so that a room restored from its
// journal is the room that wrote it, and a journal exported is NDJSON the
// ndjson source reads. The round trip is exact (reflect.DeepEqual) but for
// what sanitising changes, empty lists (they come back nil) and times,
// which come back in UTC without a monotonic clock reading. Safe for
// concurrent use.
type JournalCodec struct {
	origin time.Time
	opts   *formatOptions
	enc    *WireEncoder
}

// NewJournalCodec is the codec of an incident whose T+0 is origin.
func NewJournalCodec(origin time.Time) JournalCodec {
	return JournalCodec{origin: origin, opts: NewJournalDecoder(origin).opts, enc: NewWireEncoder(origin)}
}

// EncodeEvent writes e in the wire format.
func (c JournalCodec) EncodeEvent(e Event) ([]byte, error) {
	if c.enc == nil {
		return EncodeEvent(e, c.origin)
	}
	return c.enc.Append(nil, e, true)
}

// DecodeEvent reads one event EncodeEvent wrote. An event without a time
// of its own is refused: stamping it with the time it is read would make a
// replay differ from what happened.
func (c JournalCodec) DecodeEvent(data []byte) (Event, error) {
	if c.opts == nil {
		c = NewJournalCodec(c.origin)
	}
	d := WireDecoder{opts: c.opts, mode: checkNone}
	e, timed, err := d.Event(data)
	if err != nil {
		return Event{}, err
	}
	if !timed {
		return Event{}, &DecodeError{Problem{File: d.name, Line: 1, Col: 1, Field: "time", Message: "missing: an event of the journal has a time of its own"}}
	}
	return e, nil
}

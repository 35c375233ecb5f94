package feed

// The hand-written wire decoder the format had before it was decoded by
// go-json-experiment/json, kept for comparison: TestNewWireDecoderEqualsOld.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/warroom/warroom/model"
)

// oldDecodeError is one problem in wire-format input: the input's name, the
// line and column, the field (e.g. "hosts.recovered") and what was expected.
// It prints as "name:line:col: field: message".
type oldDecodeError struct {
	model.Problem
}

func (e *oldDecodeError) Error() string {
	if e.File == "" {
		p := e.Problem
		p.File = "event"
		return p.String()
	}
	return e.Problem.String()
}

// oldDecodeEvent decodes one event. Its text is sanitised (see model.SanitizeEvent);
// without a time it happened now, clock.Since(). A bad event's error is a
// *oldDecodeError, or several joined with errors.Join.
func oldDecodeEvent(data []byte, clock Clock) (model.Event, error) {
	ev, _, err := oldDecodeOne(data, clock, false)
	return ev, err
}

// oldDecodeOne decodes one event, with record one of the room's own record
// (see wireParser); timed says whether it had a time of its own.
func oldDecodeOne(data []byte, clock Clock, record bool) (ev model.Event, timed bool, err error) {
	d := oldNewWireDecoder("", clock)
	d.p.oneShot = true // interning and slabs pay off over a stream, not for one event
	d.p.record = record
	var (
		n    int
		errs []error
	)
	d.p.reset(data)
	d.p.ws()
	if e, t, ok := d.p.event(); ok {
		ev, timed, n = e, t, 1
	}
	if !d.p.bad && len(d.p.probs) == 0 {
		if d.p.ws(); d.p.pos < len(data) {
			d.p.syntax("", "%s after the event, expected the end of input", d.p.unexpected())
		}
	}
	d.scanFrom(1)
	d.report(data, func(err error) { errs = append(errs, err) })
	if len(errs) > 0 {
		if len(errs) == 1 {
			return model.Event{}, false, errs[0]
		}
		return model.Event{}, false, errors.Join(errs...)
	}
	if n == 0 {
		return model.Event{}, false, &oldDecodeError{model.Problem{Line: 1, Col: 1, Message: "no event"}}
	}
	return ev, timed, nil
}

// oldDecodeEvents decodes a JSON array of events or NDJSON (one event per line,
// blank lines allowed; lines up to 1 MiB). name is used in errors, which are
// *DecodeErrors naming name:line:col, and a read error last; a bad event
// never loses the others. In an array, a syntax error ends the array, as
// nothing after it can be trusted. It reads r to the end: callers reading
// from the network cap it first.
func oldDecodeEvents(r io.Reader, name string, clock Clock) ([]model.Event, []error) {
	data, err := io.ReadAll(r)
	var (
		events []model.Event
		errs   []error
	)
	d := oldNewWireDecoder(name, clock)
	d.decode(data, func(e model.Event, _ bool) { events = append(events, e) },
		func(err error) { errs = append(errs, err) })
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: read: %w", name, err))
	}
	return events, errs
}

// Limits of the decoder.
const (
	maxWireDepth  = 1000    // nesting of JSON values (in unknown fields)
	maxInternLen  = 64      // longer names are not interned
	maxInternSize = 4096    // interned names kept before starting over
	oldMaxLineLen    = 1 << 20 // NDJSON lines longer than this are rejected
	oldMaxProblems   = 20      // problems reported per event
)

// Field names of the wire format, per kind, in the scenario format's order.
var (
	eventFields = []string{"time", "at", "source", "text",
		"hosts", "backlog", "warning", "complaint", "step", "inject", "note", "update", "ack",
		"source_health", "inject_control", "decision", "check", "whatif"}
	wireKinds = eventFields[4:]

	hostFields      = []string{"group", "recovered", "total", "failed", "state"}
	backlogFields   = []string{"waiting", "inflow", "shipped"}
	warningFields   = []string{"id", "carrier", "phase", "severity", "region", "headline", "body"}
	complaintFields = []string{"seller", "channel", "topic", "text"}
	stepFields      = []string{"step", "state", "by"}
	injectFields    = []string{"id", "title", "prompt", "questions", "expected", "notes"}
	noteFields      = []string{"author", "text"}
	updateFields    = []string{"from", "text"}
	ackFields       = []string{"warning", "by"}
	healthFields    = []string{"source", "status", "error", "last_data", "feeds", "dropped"}
	dropFields      = []string{"reason", "count"}
	controlFields   = []string{"inject", "action", "by"}
	decisionFields  = []string{"inject", "by", "text", "wall"}
	checkFields     = []string{"inject", "item", "done", "by"}
	whatIfFields    = []string{"factor", "from", "by"}

	eventFieldsList = strings.Join(eventFields, ", ")
	wireKindsList   = strings.Join(wireKinds, ", ")
)

// wireProblem is a problem at a byte offset of the parser's data.
type wireProblem struct {
	off   int
	field string
	msg   string
}

// wireParser reads wire-format JSON from data. Semantic problems are collected
// and reading goes on; a syntax error sets bad, after which nothing more is
// read.
type wireParser struct {
	data    []byte
	pos     int
	depth   int
	bad     bool
	probs   []wireProblem
	scratch []byte
	intern  map[string]string
	clock   Clock
	now     time.Duration // clock.Since() for events without a time, once per read
	hasNow  bool
	rates   []float64 // a slab handing out the backlog rates' pointers
	oneShot bool      // reading one event: no interning, no slab
	why     string    // why the event being read is not one: a Drop reason
	// record: reading the room's own record (its journal), which holds
	// whatever the room accepted: values are taken as they are (empty,
	// negative, implausible, of no known enumeration) and only their form
	// is checked. Text is sanitised all the same.
	record bool
}

func (p *wireParser) reset(data []byte) {
	p.data, p.pos, p.depth, p.bad = data, 0, 0, false
	p.probs = p.probs[:0]
}

func (p *wireParser) fail(off int, field, format string, args ...any) {
	switch {
	case len(p.probs) < oldMaxProblems:
		p.probs = append(p.probs, wireProblem{off, field, fmt.Sprintf(format, args...)})
	case len(p.probs) == oldMaxProblems:
		p.probs = append(p.probs, wireProblem{off, field, "too many problems in one event: the rest are not reported"})
	}
}

// syntax reports a syntax error at the current position; only the first
// counts, as everything after it is noise.
func (p *wireParser) syntax(field, format string, args ...any) {
	if p.bad {
		return
	}
	p.fail(p.pos, field, "invalid JSON: "+format, args...)
	p.bad = true
}

// unexpected describes the byte at the current position for a syntax error.
func (p *wireParser) unexpected() string {
	if p.pos >= len(p.data) {
		return "unexpected end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	if r < 0x20 || r == utf8.RuneError {
		return fmt.Sprintf("unexpected byte 0x%02x", p.data[p.pos])
	}
	return fmt.Sprintf("unexpected %q", r)
}

func (p *wireParser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *wireParser) peek() byte {
	if p.pos < len(p.data) {
		return p.data[p.pos]
	}
	return 0
}

// describe names the type of the value at the current position.
func (p *wireParser) describe() string {
	switch c := p.peek(); {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "a list"
	case c == 't' || c == 'f':
		return "true or false"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	}
	return "something else"
}

// null reads a null if there is one.
func (p *wireParser) null() bool {
	if bytes.HasPrefix(p.data[p.pos:], []byte("null")) {
		p.pos += 4
		return true
	}
	return false
}

// wrongType reports that the value at the current position is not what was
// expected, and skips it.
func (p *wireParser) wrongType(field, expected string) {
	p.fail(p.pos, field, "expected %s, got %s", expected, p.describe())
	p.skipValue(field)
}

// stringBytes reads a JSON string. The bytes are data's or, when the string
// has escapes, the scratch buffer's: valid until the next read.
func (p *wireParser) stringBytes(field string) ([]byte, bool) {
	if p.peek() != '"' {
		p.syntax(field, "%s, expected a string", p.unexpected())
		return nil, false
	}
	start := p.pos + 1
	for i := start; i < len(p.data); i++ {
		switch c := p.data[i]; {
		case c == '"':
			p.pos = i + 1
			return p.data[start:i], true
		case c == '\\':
			return p.unescape(field, start, i)
		case c < 0x20:
			p.pos = i
			p.syntax(field, "control character 0x%02x in a string", c)
			return nil, false
		}
	}
	p.pos = len(p.data)
	p.syntax(field, "unexpected end of input in a string")
	return nil, false
}

// unescape reads the rest of a string with escapes from i, the first
// backslash, into the scratch buffer. Lone surrogates become U+FFFD.
func (p *wireParser) unescape(field string, start, i int) ([]byte, bool) {
	buf := append(p.scratch[:0], p.data[start:i]...)
	defer func() { p.scratch = buf[:0] }()
	for i < len(p.data) {
		c := p.data[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return buf, true
		case c < 0x20:
			p.pos = i
			p.syntax(field, "control character 0x%02x in a string", c)
			return nil, false
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(p.data) {
			break
		}
		i++
		switch p.data[i] {
		case '"', '\\', '/':
			buf = append(buf, p.data[i])
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := wireHex4(p.data, i+1)
			if !ok {
				p.pos = i - 1
				p.syntax(field, `bad \u escape in a string`)
				return nil, false
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if i+6 < len(p.data) && p.data[i+1] == '\\' && p.data[i+2] == 'u' {
					r2, ok = wireHex4(p.data, i+3)
				}
				if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
					r = d
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.pos = i - 1
			p.syntax(field, `bad escape \%c in a string`, p.data[i])
			return nil, false
		}
		i++
	}
	p.pos = len(p.data)
	p.syntax(field, "unexpected end of input in a string")
	return nil, false
}

func wireHex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a JSON number, returning its text.
func (p *wireParser) number(field string) ([]byte, bool) {
	d, start := p.data, p.pos
	i := start
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		p.pos = i
		p.syntax(field, "%s in a number", p.unexpected())
		return nil, false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			p.pos = i
			p.syntax(field, "%s after a decimal point", p.unexpected())
			return nil, false
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			p.pos = i
			p.syntax(field, "%s in an exponent", p.unexpected())
			return nil, false
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	p.pos = i
	return d[start:i], true
}

// skipValue reads any JSON value and throws it away.
func (p *wireParser) skipValue(field string) {
	switch c := p.peek(); {
	case c == '"':
		p.stringBytes(field)
	case c == '-' || (c >= '0' && c <= '9'):
		p.number(field)
	case c == '{':
		p.members(field, func([]byte, int) { p.skipValue(field) })
	case c == '[':
		p.elements(field, func(int) { p.skipValue(field) })
	default:
		for _, lit := range [...]string{"true", "false", "null"} {
			if bytes.HasPrefix(p.data[p.pos:], []byte(lit)) {
				p.pos += len(lit)
				return
			}
		}
		p.syntax(field, "%s, expected a value", p.unexpected())
	}
}

// enter and leave bound the nesting of values.
func (p *wireParser) enter(field string) bool {
	if p.depth++; p.depth > maxWireDepth {
		p.syntax(field, "values nested more than %d deep", maxWireDepth)
		return false
	}
	return true
}

func (p *wireParser) leave() { p.depth-- }

// members reads an object, calling member with each key (valid only until
// the next read) with the position at its value; member must read the
// value. It returns false after a syntax error.
func (p *wireParser) members(field string, member func(key []byte, off int)) bool {
	if p.peek() != '{' {
		p.syntax(field, "%s, expected an object", p.unexpected())
		return false
	}
	if !p.enter(field) {
		return false
	}
	defer p.leave()
	p.pos++
	p.ws()
	if p.peek() == '}' {
		p.pos++
		return true
	}
	for {
		off := p.pos
		key, ok := p.stringBytes(field)
		if !ok {
			return false
		}
		p.ws()
		if p.peek() != ':' {
			p.syntax(field, "%s after a key, expected ':'", p.unexpected())
			return false
		}
		p.pos++
		p.ws()
		member(key, off)
		if p.bad {
			return false
		}
		p.ws()
		switch p.peek() {
		case ',':
			p.pos++
			p.ws()
		case '}':
			p.pos++
			return true
		default:
			p.syntax(field, "%s in an object, expected ',' or '}'", p.unexpected())
			return false
		}
	}
}

// elements reads a list, calling element with each index with the position
// at the element; element must read it. It returns false after a syntax
// error.
func (p *wireParser) elements(field string, element func(i int)) bool {
	if p.peek() != '[' {
		p.syntax(field, "%s, expected a list", p.unexpected())
		return false
	}
	if !p.enter(field) {
		return false
	}
	defer p.leave()
	p.pos++
	p.ws()
	if p.peek() == ']' {
		p.pos++
		return true
	}
	for i := 0; ; i++ {
		element(i)
		if p.bad {
			return false
		}
		p.ws()
		switch p.peek() {
		case ',':
			p.pos++
			p.ws()
		case ']':
			p.pos++
			return true
		default:
			p.syntax(field, "%s in a list, expected ',' or ']'", p.unexpected())
			return false
		}
	}
}

// fieldSet holds one bit per field of an object (see member).
type fieldSet uint64

// fieldsOf is one kind's fields with their paths for messages.
type fieldsOf struct {
	kind   string
	names  []string
	paths  []string
	expect string // the names as a list for messages
}

func newFields(kind string, names []string) *fieldsOf {
	f := &fieldsOf{kind: kind, names: names, expect: strings.Join(names, ", ")}
	for _, n := range names {
		f.paths = append(f.paths, kind+"."+n)
	}
	return f
}

var (
	hostsF     = newFields("hosts", hostFields)
	backlogF   = newFields("backlog", backlogFields)
	warningF   = newFields("warning", warningFields)
	complaintF = newFields("complaint", complaintFields)
	stepF      = newFields("step", stepFields)
	injectF    = newFields("inject", injectFields)
	noteF      = newFields("note", noteFields)
	updateF    = newFields("update", updateFields)
	ackF       = newFields("ack", ackFields)
	healthF    = newFields("source_health", healthFields)
	controlF   = newFields("inject_control", controlFields)
	decisionF  = newFields("decision", decisionFields)
	checkF     = newFields("check", checkFields)
	whatIfF    = newFields("whatif", whatIfFields)
	eventF     = &fieldsOf{names: eventFields, paths: eventFields, expect: eventFieldsList}
)

// member looks key up among f's fields. Unknown and repeated fields are
// reported and their values skipped; then it returns -1. A null value is
// skipped too, as if the field were absent. Objects have at most 32 fields.
func (p *wireParser) member(f *fieldsOf, seen *fieldSet, key []byte, off int) int {
	i := -1
	for j, n := range f.names {
		if string(key) == n {
			i = j
			break
		}
	}
	if i < 0 {
		path := string(key)
		if f.kind != "" {
			path = f.kind + "." + path
		}
		p.fail(off, path, "unknown field %q: expected one of %s", key, f.expect)
		p.skipValue(path)
		return -1
	}
	// Bit i of seen: the field has a value; bit 32+i: its key came up.
	if *seen&(1<<(32+i)) != 0 {
		p.fail(off, f.paths[i], "duplicate field %q", key)
		p.skipValue(f.paths[i])
		return -1
	}
	*seen |= 1 << (32 + i)
	if p.null() {
		return -1 // null is absent
	}
	*seen |= 1 << i
	return i
}

// str reads a string, sanitised and capped at maxLen runes. Short names are
// interned: a feed repeats its group, topic and source names endlessly.
func (p *wireParser) str(field string, maxLen int) string {
	if p.peek() != '"' {
		p.wrongType(field, "a string")
		return ""
	}
	b, ok := p.stringBytes(field)
	if !ok {
		return ""
	}
	if maxLen == model.MaxNameLen && len(b) <= maxInternLen && !p.oneShot {
		if s, ok := p.intern[string(b)]; ok {
			return s
		}
		s := model.Sanitize(string(b), maxLen)
		if p.intern == nil || len(p.intern) >= maxInternSize {
			p.intern = make(map[string]string, 64)
		}
		p.intern[s] = s
		if s != string(b) {
			p.intern[string(b)] = s
		}
		return s
	}
	return model.Sanitize(string(b), maxLen)
}

// reqStr reads a string that must not be empty once sanitised.
func (p *wireParser) reqStr(field string, maxLen int) string {
	off := p.pos
	s := p.str(field, maxLen)
	if s == "" && !p.bad && p.data[off] == '"' && !p.record {
		p.fail(off, field, "must not be empty")
	}
	return s
}

// enum reads a string that must be one of values, returning the list's own
// string so that nothing is allocated.
func (p *wireParser) enum(field string, values []string) string {
	if p.peek() != '"' {
		p.wrongType(field, "one of "+strings.Join(values, ", "))
		return ""
	}
	off := p.pos
	b, ok := p.stringBytes(field)
	if !ok {
		return ""
	}
	for _, v := range values {
		if string(b) == v {
			return v
		}
	}
	if p.record {
		return model.Sanitize(string(b), model.MaxNameLen)
	}
	if len(b) == 0 {
		p.fail(off, field, "empty value: expected one of %s", strings.Join(values, ", "))
	} else {
		p.fail(off, field, "unknown value %q: expected one of %s", model.Sanitize(string(b), model.MaxNameLen), strings.Join(values, ", "))
	}
	return ""
}

// The values of the format's enumerations.
var (
	wireHostStates    = []string{string(model.HostsHealthy), string(model.HostsDegraded), string(model.HostsDown), string(model.HostsRecovering)}
	wirePhases        = []string{string(model.WarningIssued), string(model.WarningUpdated), string(model.WarningResolved)}
	wireSeverities    = []string{string(model.SeverityInfo), string(model.SeverityMinor), string(model.SeverityMajor), string(model.SeverityCritical)}
	wireStepStates    = []string{string(model.StepPending), string(model.StepActive), string(model.StepDone), string(model.StepSkipped), string(model.StepBlocked)}
	wireHealthStates  = []string{string(model.HealthOK), string(model.HealthStale), string(model.HealthError)}
	wireInjectActions = []string{string(model.InjectFire), string(model.InjectSkip), string(model.InjectHold), string(model.InjectRelease)}
	severityList      = strings.Join(wireSeverities, ", ")
	stepStateList     = strings.Join(wireStepStates, ", ")
)

// integer reads an integer >= min. A number with a fraction or exponent is
// taken when its value is a whole number.
func (p *wireParser) integer(field string, min int64) (int64, bool) {
	if p.record {
		min = math.MinInt64
	}
	c := p.peek()
	if c != '-' && (c < '0' || c > '9') {
		p.wrongType(field, fmt.Sprintf("an integer >= %d", min))
		return 0, false
	}
	off := p.pos
	b, ok := p.number(field)
	if !ok {
		return 0, false
	}
	n, ok := parseWireInt(b)
	if !ok {
		n, ok = parseLongInt(b)
	}
	if !ok {
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			p.fail(off, field, "expected an integer >= %d, got %s", min, b)
			return 0, false
		}
		n = int64(f)
	}
	if n < min {
		p.fail(off, field, "must be >= %d, got %d", min, n)
		return 0, false
	}
	return n, true
}

// parseLongInt parses an integer of 19 digits, which parseWireInt leaves
// to the slow path: the largest int64s.
func parseLongInt(b []byte) (int64, bool) {
	if bytes.ContainsAny(b, ".eE") {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil
}

// capInt is a count as the model keeps it: capped at MaxInt32 from the
// outside, as it was from the room's own record.
func (p *wireParser) capInt(n int64) int {
	if !p.record {
		n = min(n, math.MaxInt32)
	}
	return int(n)
}

// parseWireInt parses a plain decimal integer that fits an int64 (and an int).
func parseWireInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// rate reads a finite number >= 0 into the slab of rates.
func (p *wireParser) rate(field string) *float64 {
	f, ok := p.float(field)
	if !ok {
		return nil
	}
	if p.oneShot {
		return &f
	}
	if len(p.rates) == 0 {
		p.rates = make([]float64, 128)
	}
	r := &p.rates[0]
	p.rates = p.rates[1:]
	*r = f
	return r
}

// float reads a finite number >= 0.
func (p *wireParser) float(field string) (float64, bool) {
	c := p.peek()
	if c != '-' && (c < '0' || c > '9') {
		p.wrongType(field, "a number >= 0")
		return 0, false
	}
	off := p.pos
	b, ok := p.number(field)
	if !ok {
		return 0, false
	}
	var f float64
	if n, ok := parseWireInt(b); ok && n < 1<<53 && n > -1<<53 {
		f = float64(n)
	} else if f, _ = strconv.ParseFloat(string(b), 64); math.IsInf(f, 0) {
		f = math.NaN()
	}
	if math.IsNaN(f) || (f < 0 && !p.record) {
		p.fail(off, field, "must be a number >= 0, got %s", b)
		return 0, false
	}
	return f, true
}

// strList reads a list of non-empty strings.
func (p *wireParser) strList(field string, maxLen int) []string {
	if p.peek() != '[' {
		p.wrongType(field, "a list of strings")
		return nil
	}
	var out []string
	p.elements(field, func(i int) {
		item := field + "[" + strconv.Itoa(i) + "]"
		if s := p.reqStr(item, maxLen); s != "" || p.record {
			out = append(out, s)
		}
	})
	return out
}

// missing reports a required field that is absent, at its object.
func (p *wireParser) missing(off int, field, expected string) {
	p.fail(off, field, "missing required field: expected %s", expected)
}

// event reads one event object. ok is false when it has problems; timed says
// whether it had a time or an offset of its own.
func (p *wireParser) event() (e model.Event, timed, ok bool) {
	before := len(p.probs)
	start := p.pos
	p.why = DropBadEntry
	if p.peek() != '{' {
		if p.pos >= len(p.data) {
			p.syntax("", "unexpected end of input, expected an event object")
			return e, false, false
		}
		what := p.describe()
		if p.skipValue(""); !p.bad {
			p.fail(start, "", "expected an event object, got %s", what)
		}
		return e, false, false
	}
	var (
		seen    fieldSet
		kind    string // the first kind key
		kinds   int
		hasAt   bool
		timeOK  bool
		unknown bool // a field that is no field of an event: a kind of a newer format?
		badTime bool
	)
	p.members("", func(key []byte, off int) {
		i := p.member(eventF, &seen, key, off)
		if i < 0 {
			if !slices.Contains(eventFields, string(key)) {
				unknown = true
			}
			return
		}
		name := eventFields[i]
		switch name {
		case "time", "at":
			voff := p.pos
			expected := "an RFC 3339 time such as 2024-07-19T10:51:00Z"
			if name == "at" {
				expected = "an offset such as +6h42m or T+06:42"
			}
			badTime = true // until it proves good
			if p.peek() != '"' {
				p.wrongType(name, expected)
				return
			}
			b, ok := p.stringBytes(name)
			if !ok {
				return
			}
			if hasAt {
				p.fail(off, name, "both time and at: expected only one of them")
				return
			}
			hasAt = true
			if name == "time" {
				t, err := time.Parse(time.RFC3339, string(b))
				if err != nil {
					p.fail(voff, name, "bad timestamp %q: expected %s", model.Sanitize(string(b), model.MaxNameLen), expected)
					return
				}
				at, ok := p.offsetOf(t)
				if !ok {
					p.fail(voff, name, "time %q is too far from T+0 (%s): expected a time within 290 years of it", b, p.clock.Origin.Format(time.RFC3339))
					return
				}
				e.At, timeOK, badTime = at, true, false
				return
			}
			at, err := model.ParseOffset(string(b))
			if err != nil {
				p.fail(voff, name, "bad offset %q: expected %s", model.Sanitize(string(b), model.MaxNameLen), expected)
				return
			}
			if at < 0 {
				p.fail(voff, name, "negative offset %q: offsets count from T+0 and must not be negative", b)
				return
			}
			e.At, timeOK, badTime = at, true, false
		case "source":
			e.Source = p.str(name, model.MaxNameLen)
		case "text":
			e.Text = p.str(name, model.MaxTextLen)
		default:
			if kinds++; kinds > 1 {
				p.fail(off, name, "more than one event kind (%s, %s): expected exactly one of %s",
					kind, name, wireKindsList)
				p.skipValue(name)
				return
			}
			kind = name
			e.Body = p.body(name)
		}
	})
	if p.bad {
		return e, false, false
	}
	if kinds == 0 {
		p.fail(start, "", "no event kind: expected exactly one of %s", wireKindsList)
	}
	switch {
	case kinds == 0 && unknown:
		p.why = DropUnknownKind
	case badTime:
		p.why = DropBadTime
	}
	if !hasAt {
		if !p.hasNow {
			p.now, p.hasNow = p.clock.Since(), true
		}
		e.At = p.now
	}
	ok = len(p.probs) == before && e.Body != nil
	return e, hasAt && timeOK, ok
}

func (p *wireParser) body(kind string) model.Body {
	if p.peek() != '{' {
		p.wrongType(kind, "an object")
		return nil
	}
	switch kind {
	case "hosts":
		return p.hosts()
	case "backlog":
		return p.backlog()
	case "warning":
		return p.warning()
	case "complaint":
		return p.complaint()
	case "step":
		return p.step()
	case "inject":
		return p.inject()
	case "note":
		return p.note()
	case "update":
		return p.update()
	case "ack":
		return p.ack()
	case "source_health":
		return p.sourceHealth()
	case "inject_control":
		return p.injectControl()
	case "decision":
		return p.decision()
	case "check":
		return p.check()
	case "whatif":
		return p.whatIf()
	}
	return nil
}

func (p *wireParser) hosts() model.Body {
	var (
		h                  model.HostStatus
		seen               fieldSet
		rec, total, failed int64
		okR, okT, okF      bool
		recOff, failOff    int
		start              = p.pos
	)
	p.members("hosts", func(key []byte, off int) {
		i := p.member(hostsF, &seen, key, off)
		if i < 0 {
			return
		}
		path := hostsF.paths[i]
		switch i {
		case 0:
			h.Group = p.reqStr(path, model.MaxNameLen)
		case 1:
			recOff = p.pos
			rec, okR = p.integer(path, 0)
		case 2:
			total, okT = p.integer(path, 1)
		case 3:
			failOff = p.pos
			failed, okF = p.integer(path, 0)
		case 4:
			h.State = model.HostState(p.enum(path, wireHostStates))
		}
	})
	if p.bad {
		return nil
	}
	if seen&(1<<0) == 0 {
		p.missing(start, "hosts.group", "a host group id")
	}
	if seen&(1<<1) == 0 {
		p.missing(start, "hosts.recovered", "an integer >= 0")
	}
	switch {
	case p.record:
	case okT && okR && rec > total:
		p.fail(recOff, "hosts.recovered", "recovered (%d) exceeds total (%d)", rec, total)
	case okT && okR && okF && failed > total-rec:
		p.fail(failOff, "hosts.failed", "recovered + failed (%d + %d) exceeds total (%d)", rec, failed, total)
	case rec > math.MaxInt32 || total > math.MaxInt32 || failed > math.MaxInt32:
		p.fail(start, "hosts", "host counts above %d are not plausible", math.MaxInt32)
	}
	h.Recovered, h.Total, h.Failed = int(rec), int(total), int(failed)
	return h
}

func (p *wireParser) backlog() model.Body {
	var b model.BacklogObservation
	start, seen, ok := p.object(backlogF, func(i int, path string) {
		switch i {
		case 0:
			b.Waiting, _ = p.integer(path, 0)
		case 1:
			b.Inflow = p.rate(path)
		case 2:
			b.Shipped = p.rate(path)
		}
	})
	if !ok {
		return nil
	}
	if seen&1 == 0 {
		p.missing(start, "backlog.waiting", "an integer >= 0")
	}
	return b
}

func (p *wireParser) warning() model.Body {
	var (
		w           model.CarrierWarning
		seen        fieldSet
		start       = p.pos
		phaseOK     = true
		severityBad bool
	)
	p.members("warning", func(key []byte, off int) {
		i := p.member(warningF, &seen, key, off)
		if i < 0 {
			return
		}
		path := warningF.paths[i]
		switch i {
		case 0:
			w.ID = p.reqStr(path, model.MaxNameLen)
		case 1:
			w.Carrier = p.str(path, model.MaxNameLen)
		case 2:
			w.Phase = model.WarningPhase(p.enum(path, wirePhases))
			phaseOK = w.Phase != ""
		case 3:
			w.Severity = model.Severity(p.enum(path, wireSeverities))
			severityBad = w.Severity == ""
		case 4:
			w.Region = p.str(path, model.MaxNameLen)
		case 5:
			w.Headline = p.str(path, model.MaxNameLen)
		case 6:
			w.Body = p.str(path, model.MaxTextLen)
		}
	})
	if p.bad {
		return nil
	}
	if seen&(1<<0) == 0 {
		p.missing(start, "warning.id", "a warning id (the wirePhases of one notice share it)")
	}
	if seen&(1<<2) == 0 {
		w.Phase = model.WarningIssued
	}
	if w.Phase == model.WarningIssued && phaseOK && !p.record {
		if w.Carrier == "" {
			p.missing(start, "warning.carrier", "a carrier id (required when phase is issued)")
		}
		if w.Severity == "" && !severityBad {
			p.missing(start, "warning.severity", "one of "+severityList+" (required when phase is issued)")
		}
		if w.Headline == "" {
			p.missing(start, "warning.headline", "a headline (required when phase is issued)")
		}
	}
	return w
}

func (p *wireParser) complaint() model.Body {
	var c model.SellerComplaint
	start, seen, ok := p.object(complaintF, func(i int, path string) {
		switch i {
		case 0:
			c.Seller = p.reqStr(path, model.MaxNameLen)
		case 1:
			c.Channel = p.reqStr(path, model.MaxNameLen)
		case 2:
			c.Topic = p.reqStr(path, model.MaxNameLen)
		case 3:
			c.Text = p.reqStr(path, model.MaxTextLen)
		}
	})
	if !ok {
		return nil
	}
	p.required(start, complaintF, seen, 0b1111)
	return c
}

// object reads one kind's object, calling set with the index and path of
// each known field. It returns where the object started (for problems with
// absent fields), the fields seen (bit i: f.names[i]) and false when the
// object was bad.
func (p *wireParser) object(f *fieldsOf, set func(i int, path string)) (start int, seen fieldSet, ok bool) {
	start = p.pos
	p.members(f.kind, func(key []byte, off int) {
		if i := p.member(f, &seen, key, off); i >= 0 {
			set(i, f.paths[i])
		}
	})
	return start, seen, !p.bad
}

// required reports the fields of mask (bit i: f.names[i]) that are absent.
func (p *wireParser) required(start int, f *fieldsOf, seen, mask fieldSet) {
	for i := range f.names {
		if mask&(1<<i) != 0 && seen&(1<<i) == 0 {
			p.missing(start, f.paths[i], "a string")
		}
	}
}

func (p *wireParser) step() model.Body {
	var s model.RunbookStepChange
	start, seen, ok := p.object(stepF, func(i int, path string) {
		switch i {
		case 0:
			s.Step = p.reqStr(path, model.MaxNameLen)
		case 1:
			s.State = model.StepState(p.enum(path, wireStepStates))
		case 2:
			s.By = p.str(path, model.MaxNameLen)
		}
	})
	if !ok {
		return nil
	}
	if seen&(1<<0) == 0 {
		p.missing(start, "step.step", "a runbook step id")
	}
	if seen&(1<<1) == 0 {
		p.missing(start, "step.state", "one of "+stepStateList)
	}
	return s
}

func (p *wireParser) inject() model.Body {
	var in model.Inject
	start, seen, ok := p.object(injectF, func(i int, path string) {
		switch i {
		case 0:
			in.ID = p.reqStr(path, model.MaxNameLen)
		case 1:
			in.Title = p.reqStr(path, model.MaxNameLen)
		case 2:
			in.Prompt = p.reqStr(path, model.MaxTextLen)
		case 3:
			in.Questions = p.strList(path, model.MaxTextLen)
		case 4:
			in.Expected = p.strList(path, model.MaxTextLen)
		case 5:
			in.Notes = p.str(path, model.MaxTextLen)
		}
	})
	if !ok {
		return nil
	}
	p.required(start, injectF, seen, 0b111)
	return in
}

func (p *wireParser) note() model.Body {
	var n model.Note
	start, seen, ok := p.object(noteF, func(i int, path string) {
		switch i {
		case 0:
			n.Author = p.reqStr(path, model.MaxNameLen)
		case 1:
			n.Text = p.reqStr(path, model.MaxTextLen)
		}
	})
	if !ok {
		return nil
	}
	p.required(start, noteF, seen, 0b11)
	return n
}

func (p *wireParser) update() model.Body {
	var u model.StatusUpdate
	start, seen, ok := p.object(updateF, func(i int, path string) {
		switch i {
		case 0:
			u.From = p.reqStr(path, model.MaxNameLen)
		case 1:
			u.Text = p.reqStr(path, model.MaxTextLen)
		}
	})
	if !ok {
		return nil
	}
	p.required(start, updateF, seen, 0b11)
	return u
}

func (p *wireParser) ack() model.Body {
	var a model.Acknowledgement
	start, seen, ok := p.object(ackF, func(i int, path string) {
		switch i {
		case 0:
			a.Warning = p.reqStr(path, model.MaxNameLen)
		case 1:
			a.By = p.str(path, model.MaxNameLen)
		}
	})
	if !ok {
		return nil
	}
	p.required(start, ackF, seen, 0b1)
	return a
}

func (p *wireParser) sourceHealth() model.Body {
	h := model.SourceHealth{LastData: -1}
	start, seen, ok := p.object(healthF, func(i int, path string) {
		switch i {
		case 0:
			h.Source = p.reqStr(path, model.MaxNameLen)
		case 1:
			h.Status = model.HealthStatus(p.enum(path, wireHealthStates))
		case 2:
			h.Error = p.str(path, model.MaxTextLen)
		case 3:
			if at, ok := p.instant(path); ok {
				h.LastData = at
			}
		case 4:
			for _, k := range p.strList(path, model.MaxNameLen) {
				h.Feeds = append(h.Feeds, model.Kind(k))
			}
		case 5:
			h.Dropped = p.dropList(path)
		}
	})
	if !ok {
		return nil
	}
	if seen&(1<<0) == 0 {
		p.missing(start, "source_health.source", "the source's name")
	}
	if seen&(1<<1) == 0 {
		p.missing(start, "source_health.status", "one of "+strings.Join(wireHealthStates, ", "))
	}
	return h
}

// dropList reads a source's counts of dropped items: [{reason, count}].
func (p *wireParser) dropList(field string) []model.DropCount {
	if p.peek() != '[' {
		p.wrongType(field, "a list of {reason, count}")
		return nil
	}
	var out []model.DropCount
	p.elements(field, func(i int) {
		f := newFields(field+"["+strconv.Itoa(i)+"]", dropFields)
		if p.peek() != '{' {
			p.wrongType(f.kind, "an object {reason, count}")
			return
		}
		var d model.DropCount
		start, seen, ok := p.object(f, func(j int, path string) {
			switch j {
			case 0:
				d.Reason = p.reqStr(path, model.MaxNameLen)
			case 1:
				n, _ := p.integer(path, 0)
				d.Count = p.capInt(n)
			}
		})
		if !ok {
			return
		}
		if seen&(1<<0) == 0 {
			p.missing(start, f.paths[0], "why the items were dropped")
		}
		if seen&(1<<1) == 0 {
			p.missing(start, f.paths[1], "an integer >= 0")
		}
		out = append(out, d)
	})
	return out
}

func (p *wireParser) injectControl() model.Body {
	var c model.InjectControl
	start, seen, ok := p.object(controlF, func(i int, path string) {
		switch i {
		case 0:
			c.Inject = p.reqStr(path, model.MaxNameLen)
		case 1:
			c.Action = model.InjectAction(p.enum(path, wireInjectActions))
		case 2:
			c.By = p.str(path, model.MaxNameLen)
		}
	})
	if !ok {
		return nil
	}
	if seen&(1<<0) == 0 {
		p.missing(start, "inject_control.inject", "an inject id")
	}
	if seen&(1<<1) == 0 {
		p.missing(start, "inject_control.action", "one of "+strings.Join(wireInjectActions, ", "))
	}
	return c
}

func (p *wireParser) decision() model.Body {
	var d model.Decision
	start, seen, ok := p.object(decisionF, func(i int, path string) {
		switch i {
		case 0:
			d.Inject = p.str(path, model.MaxNameLen)
		case 1:
			d.By = p.str(path, model.MaxNameLen)
		case 2:
			d.Text = p.reqStr(path, model.MaxTextLen)
		case 3:
			d.Wall = p.wallTime(path)
		}
	})
	if !ok {
		return nil
	}
	if seen&(1<<2) == 0 {
		p.missing(start, "decision.text", "what was decided")
	}
	return d
}

func (p *wireParser) check() model.Body {
	var c model.ExpectedCheck
	start, seen, ok := p.object(checkF, func(i int, path string) {
		switch i {
		case 0:
			c.Inject = p.reqStr(path, model.MaxNameLen)
		case 1:
			n, _ := p.integer(path, 0)
			c.Item = p.capInt(n)
		case 2:
			c.Done = p.boolean(path)
		case 3:
			c.By = p.str(path, model.MaxNameLen)
		}
	})
	if !ok {
		return nil
	}
	if seen&(1<<0) == 0 {
		p.missing(start, "check.inject", "an inject id")
	}
	if seen&(1<<1) == 0 {
		p.missing(start, "check.item", "the index of one of the inject's expected actions, an integer >= 0")
	}
	return c
}

func (p *wireParser) whatIf() model.Body {
	var w model.WhatIf
	start, seen, ok := p.object(whatIfF, func(i int, path string) {
		switch i {
		case 0:
			if f, ok := p.float(path); ok {
				w.Factor = f
			}
		case 1:
			w.From, _ = p.instant(path)
		case 2:
			w.By = p.str(path, model.MaxNameLen)
		}
	})
	if !ok {
		return nil
	}
	if seen&(1<<0) == 0 {
		p.missing(start, "whatif.factor", "a capacity factor >= 0 (0 or 1 clears the what-if)")
	}
	return w
}

// boolean reads true or false.
func (p *wireParser) boolean(field string) bool {
	for _, lit := range [...]string{"true", "false"} {
		if bytes.HasPrefix(p.data[p.pos:], []byte(lit)) {
			p.pos += len(lit)
			return lit == "true"
		}
	}
	p.wrongType(field, "true or false")
	return false
}

// instant reads a moment of the incident as an offset from T+0: an RFC 3339
// time, or an offset such as +8h (which must not be negative), as the
// event's own time and at.
func (p *wireParser) instant(field string) (time.Duration, bool) {
	const expected = "an RFC 3339 time such as 2024-07-19T10:51:00Z or an offset such as +8h"
	if p.peek() != '"' {
		p.wrongType(field, expected)
		return 0, false
	}
	off := p.pos
	b, ok := p.stringBytes(field)
	if !ok {
		return 0, false
	}
	if t, err := time.Parse(time.RFC3339, string(b)); err == nil {
		at, ok := p.offsetOf(t)
		if !ok {
			p.fail(off, field, "time %q is too far from T+0 (%s): expected a time within 290 years of it", b, p.clock.Origin.Format(time.RFC3339))
		}
		return at, ok
	}
	at, err := model.ParseOffset(string(b))
	switch {
	case err != nil:
		p.fail(off, field, "bad time %q: expected %s", model.Sanitize(string(b), model.MaxNameLen), expected)
		return 0, false
	case at < 0:
		p.fail(off, field, "negative offset %q: offsets count from T+0 and must not be negative", b)
		return 0, false
	}
	return at, true
}

// offsetOf is t as an offset from T+0, unless the offset does not fit a
// time.Duration (about 292 years), where time.Sub would saturate.
func (p *wireParser) offsetOf(t time.Time) (time.Duration, bool) {
	at := p.clock.Offset(t)
	return at, p.clock.Origin.Add(at).Equal(t)
}

// wallTime reads a real time in RFC 3339, in UTC.
func (p *wireParser) wallTime(field string) time.Time {
	const expected = "an RFC 3339 time such as 2024-07-19T10:51:00Z"
	if p.peek() != '"' {
		p.wrongType(field, expected)
		return time.Time{}
	}
	off := p.pos
	b, ok := p.stringBytes(field)
	if !ok {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, string(b))
	if err != nil {
		p.fail(off, field, "bad timestamp %q: expected %s", model.Sanitize(string(b), model.MaxNameLen), expected)
		return time.Time{}
	}
	return t.UTC()
}

// oldLongLine is the problem with a line longer than oldMaxLineLen.
var oldLongLine = fmt.Sprintf("line longer than the limit of %s: skipped", sizeText(oldMaxLineLen))

// wireDecoder decodes wire-format input, turning the parser's problems into
// *DecodeErrors. A stream keeps one for its life, so that interned names
// carry over from one read to the next.
type wireDecoder struct {
	name string
	p    wireParser
	// dropped, when set, is told about each entry that is not an event (a
	// line, an element of an array, or what is left of an array after a
	// syntax error), with its bytes and why.
	dropped func(raw []byte, reason string)

	// Where report has counted lines and columns to: the byte offset, and
	// the line and column there; base is the number of the input's first
	// line.
	scanned, line, col, base int
}

// scanFrom starts counting lines afresh, the input's first being line n.
func (d *wireDecoder) scanFrom(n int) { d.scanned, d.line, d.col, d.base = 0, n, 0, n }

func oldNewWireDecoder(name string, clock Clock) *wireDecoder {
	return &wireDecoder{name: name, p: wireParser{clock: clock}}
}

// decode reads a JSON array or NDJSON, calling emit with each good event
// (timed: it had a time of its own) and fail with each problem.
func (d *wireDecoder) decode(data []byte, emit func(model.Event, bool), fail func(error)) {
	d.p.hasNow = false
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte order mark
	first := 0
	for first < len(data) && (data[first] == ' ' || data[first] == '\t' || data[first] == '\n' || data[first] == '\r') {
		first++
	}
	if first < len(data) && data[first] == '[' {
		d.array(data, emit, fail)
		return
	}
	d.lines(data, 1, emit, fail)
}

// lines reads NDJSON; line is the number of data's first line. A line's
// problems never affect the others.
func (d *wireDecoder) lines(data []byte, line int, emit func(model.Event, bool), fail func(error)) {
	for len(data) > 0 {
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			end = len(data)
		}
		d.oneLine(data[:end], line, emit, fail)
		if end < len(data) {
			end++
		}
		data = data[end:]
		line++
	}
}

// oneLine reads one NDJSON line numbered n.
func (d *wireDecoder) oneLine(l []byte, n int, emit func(model.Event, bool), fail func(error)) {
	p := &d.p
	p.reset(l)
	if p.ws(); p.pos == len(l) {
		return // blank
	}
	if len(l) > oldMaxLineLen {
		d.drop(l, DropBadEntry)
		fail(&oldDecodeError{model.Problem{File: d.name, Line: n, Col: 1, Message: oldLongLine}})
		return
	}
	e, timed, ok := p.event()
	if ok {
		if p.ws(); p.pos < len(l) {
			p.syntax("", "%s after the event, expected one event per line", p.unexpected())
			ok = false
		}
	}
	if ok {
		emit(e, timed)
		return
	}
	d.drop(l, p.why)
	d.scanFrom(n)
	d.report(l, fail)
}

func (d *wireDecoder) drop(raw []byte, reason string) {
	if d.dropped != nil {
		d.dropped(raw, reason)
	}
}

// array reads a JSON array of events. An element's problems do not affect
// the others; a syntax error ends the array.
func (d *wireDecoder) array(data []byte, emit func(model.Event, bool), fail func(error)) {
	p := &d.p
	p.reset(data)
	d.scanFrom(1)
	p.ws()
	p.pos++ // '['
	p.ws()
	if p.peek() == ']' {
		p.pos++
	} else {
		for {
			p.probs = p.probs[:0]
			start := p.pos
			e, timed, ok := p.event()
			if ok {
				emit(e, timed)
			} else {
				raw, why := data[start:p.pos], p.why
				if p.bad { // nothing after it can be trusted: the rest is one bad entry
					raw, why = data[start:], DropBadEntry
				}
				d.drop(raw, why)
				d.report(data, fail)
			}
			if p.bad {
				return
			}
			p.probs = p.probs[:0]
			p.ws()
			if p.peek() == ',' {
				p.pos++
				p.ws()
				continue
			}
			if p.peek() == ']' {
				p.pos++
				break
			}
			p.syntax("", "%s in the list of events, expected ',' or ']'", p.unexpected())
			d.drop(data[p.pos:], DropBadEntry)
			d.report(data, fail)
			return
		}
	}
	p.probs = p.probs[:0]
	if p.ws(); p.pos < len(data) {
		d.drop(data[p.pos:], DropBadEntry) // whatever it is, it is not read
		p.syntax("", "%s after the list of events, expected the end of input", p.unexpected())
		d.report(data, fail)
	}
}

// report turns the parser's problems into errors, counting lines and
// columns (in runes) on from where the last report left off, so that a
// long input with many problems is still read in linear time.
func (d *wireDecoder) report(data []byte, fail func(error)) {
	probs := d.p.probs
	slices.SortStableFunc(probs, func(a, b wireProblem) int { return a.off - b.off })
	for _, pr := range probs {
		off := min(pr.off, len(data))
		if off < d.scanned {
			d.scanFrom(d.base)
		}
		for ; d.scanned < off; d.scanned++ {
			if c := data[d.scanned]; c == '\n' {
				d.line, d.col = d.line+1, 0
			} else if c&0xc0 != 0x80 { // not a UTF-8 continuation byte
				d.col++
			}
		}
		fail(&oldDecodeError{model.Problem{File: d.name, Line: d.line, Col: d.col + 1, Field: pr.field,
			Message: strings.ReplaceAll(pr.msg, "\n", " ")}})
	}
	d.p.probs = probs[:0]
}


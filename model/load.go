package model

import (
	"errors"
	"fmt"
	"math"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Problem is one thing wrong with a scenario file.
type Problem struct {
	File      string
	Line, Col int
	Field     string // path of the field, e.g. "timeline[12].hosts.recovered"; may be empty
	Message   string // what is wrong and what was expected
}

// String formats the problem as "file:line:col: field: message", leaving out
// the field part when the problem concerns no particular field. What comes
// from the file (and the file's own name) is shown through Visible, so a
// control sequence in it reads as \x1b… instead of acting on the terminal.
func (p Problem) String() string {
	if p.Field == "" {
		return Visible(fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Col, p.Message))
	}
	return Visible(fmt.Sprintf("%s:%d:%d: %s: %s", p.File, p.Line, p.Col, p.Field, p.Message))
}

// ProblemList is every problem found in one file; it is the error
// LoadScenario returns.
type ProblemList []Problem

// Error lists the problems, one per line.
func (l ProblemList) Error() string {
	lines := make([]string, len(l))
	for i, p := range l {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// LoadScenario parses and validates a scenario. file is used in messages and,
// without extension and directory, as Scenario.Name. When the file is bad the
// error is a ProblemList naming every problem found, and the scenario is nil.
//
// LoadScenario does not look for suspicious things in a valid scenario;
// LoadScenarioChecked (lint.go) does.
func LoadScenario(file string, data []byte) (*Scenario, error) {
	sc, _, err := loadFile(file, data, false)
	return sc, err
}

// loadScenario is LoadScenario, and with lint it also returns the warnings
// of a valid scenario, sorted by position. A bad file has no warnings.
func loadScenario(file string, data []byte, lint bool) (*Scenario, []LintWarning, error) {
	d := &decoder{file: file}
	sc := d.scenario(data)
	if sc == nil && len(d.problems) == 0 {
		d.add(srcPos{1, 1}, "", "cannot read the scenario")
	}
	if len(d.problems) > 0 {
		sortProblems(d.problems)
		return nil, nil, d.problems
	}
	sc.Name = Sanitize(scenarioName(file), MaxNameLen)
	if !lint {
		return sc, nil, nil
	}
	warnings := append(d.lint(sc), d.changed...)
	sort.SliceStable(warnings, func(i, j int) bool {
		a, b := warnings[i], warnings[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return sc, warnings, nil
}

// sortProblems sorts problems by position, keeping the order they were found
// in for equal positions.
func sortProblems(l []Problem) {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// scenarioName is the file name without directory and extension.
func scenarioName(file string) string {
	base := path.Base(filepath.ToSlash(file))
	return strings.TrimSuffix(base, path.Ext(base))
}

// Field names of the format; see the scenario format contract.
var (
	topFields = []string{"title", "summary", "start", "severity", "illustrative",
		"host_groups", "carriers", "topics", "runbook", "timeline"}
	eventKinds = []Kind{KindHostStatus, KindBacklog, KindWarning, KindComplaint,
		KindRunbookStep, KindInject, KindNote, KindUpdate, KindAck}

	severities    = []string{"SEV1", "SEV2", "SEV3", "SEV4"}
	hostStates    = []string{string(HostsHealthy), string(HostsDegraded), string(HostsDown), string(HostsRecovering)}
	warnPhases    = []string{string(WarningIssued), string(WarningUpdated), string(WarningResolved)}
	warnSeverites = []string{string(SeverityInfo), string(SeverityMinor), string(SeverityMajor), string(SeverityCritical)}
	stepStates    = []string{string(StepPending), string(StepActive), string(StepDone), string(StepSkipped), string(StepBlocked)}
)

// srcPos is a line and column in the file, both from 1.
type srcPos struct{ line, col int }

func (p srcPos) String() string { return fmt.Sprintf("%d:%d", p.line, p.col) }

// decoder walks a YAML syntax tree into a Scenario, collecting every problem.
type decoder struct {
	file     string
	problems ProblemList
	anchors  map[string][]*ast.AnchorNode // by name, in file order

	// What the scenario declares, for checking references.
	groups   map[string]int // host group id -> declared total
	groupIDs map[string]bool
	carriers map[string]bool
	topics   map[string]bool
	steps    map[string]bool
	injects  map[string]srcPos // inject id -> where first used

	// Where things are in the file, for the lint pass (lint.go).
	items    []timelineItem // the timeline, in the order of Scenario.Events
	stepDecl []yamlValue    // each runbook step's id, in file order

	// Strings that Sanitize changed, warned about by LoadScenarioChecked.
	changed []LintWarning
}

func (d *decoder) add(at srcPos, field, format string, args ...any) {
	msg := Visible(strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " "))
	d.problems = append(d.problems, Problem{File: d.file, Line: at.line, Col: at.col, Field: Visible(field), Message: msg})
}

// scenario parses data and decodes the scenario; it returns nil when the file
// cannot be parsed at all.
func (d *decoder) scenario(data []byte) *Scenario {
	f, err := parseYAMLOld(data)
	if err != nil {
		d.syntaxError(err)
		return nil
	}
	body := d.document(f)
	if body == nil {
		return nil
	}
	d.collectAnchors(body)
	top := d.object(d.value("", nil, body, srcPos{1, 1}), topFields...)
	if top == nil {
		return nil
	}
	sc := &Scenario{Meta: d.meta(top)}
	sc.HostGroups = d.hostGroups(top.field("host_groups"))
	sc.Carriers = d.carrierDefs(top.field("carriers"))
	sc.Topics = d.topicDefs(top.field("topics"))
	sc.Runbook = d.runbook(top.field("runbook"))
	sc.Events = d.timeline(top.field("timeline"))
	return sc
}

// parseYAML parses data into a syntax tree. Duplicate keys are let through so
// that the decoder can report them along with every other problem.
func parseYAMLOld(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("cannot parse YAML: %v", r)
		}
	}()
	return parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
}

func (d *decoder) syntaxError(err error) {
	var yerr yaml.Error
	if errors.As(err, &yerr) {
		at := srcPos{1, 1}
		if tk := yerr.GetToken(); tk != nil && tk.Position != nil {
			at = fixPos(srcPos{tk.Position.Line, tk.Position.Column})
		}
		d.add(at, "", "YAML syntax error: %s", yerr.GetMessage())
		return
	}
	d.add(srcPos{1, 1}, "", "YAML syntax error: %v", err)
}

// document returns the body of the file's only document.
func (d *decoder) document(f *ast.File) ast.Node {
	var bodies []ast.Node
	for _, doc := range f.Docs {
		if doc != nil && !isNilNode(doc.Body) {
			bodies = append(bodies, doc.Body)
		}
	}
	if len(bodies) == 0 {
		d.add(srcPos{1, 1}, "", "empty scenario: expected a mapping with %s", strings.Join(topFields, ", "))
		return nil
	}
	if len(bodies) > 1 {
		d.add(posOf(bodies[1]), "", "expected one YAML document, found %d", len(bodies))
	}
	return bodies[0]
}

// collectAnchors records every anchor so that aliases can be resolved.
func (d *decoder) collectAnchors(n ast.Node) {
	d.anchors = map[string][]*ast.AnchorNode{}
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		if isNilNode(n) || depth > 10000 {
			return
		}
		switch v := n.(type) {
		case *ast.AnchorNode:
			if !isNilNode(v.Name) {
				name := v.Name.GetToken().Value
				d.anchors[name] = append(d.anchors[name], v)
			}
			walk(v.Value, depth+1)
		case *ast.TagNode:
			walk(v.Value, depth+1)
		case *ast.MappingNode:
			for _, mv := range v.Values {
				walk(mv, depth+1)
			}
		case *ast.MappingValueNode:
			walk(v.Key, depth+1)
			walk(v.Value, depth+1)
		case *ast.SequenceNode:
			for _, item := range v.Values {
				walk(item, depth+1)
			}
		}
	}
	walk(n, 0)
}

// resolve looks through anchors, tags and aliases to the node that holds the
// value. It returns nil for a null value.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for range 64 { // aliases may chain; a cycle ends here
		if isNilNode(n) {
			return nil
		}
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			n = d.alias(v)
		case *ast.NullNode:
			return nil
		default:
			return n
		}
	}
	return nil
}

// alias finds the anchor an alias refers to: the last one of that name
// before it.
func (d *decoder) alias(a *ast.AliasNode) ast.Node {
	if isNilNode(a.Value) {
		return nil
	}
	name := a.Value.GetToken().Value
	var found *ast.AnchorNode
	for _, anc := range d.anchors[name] {
		if found == nil || nodeBefore(anc, a) {
			found = anc
		}
	}
	if found == nil {
		d.add(posOf(a), "", "undefined alias *%s", name)
		return nil
	}
	return found.Value
}

func nodeBefore(a, b ast.Node) bool {
	ta, tb := a.GetToken(), b.GetToken()
	if ta == nil || tb == nil || ta.Position == nil || tb.Position == nil {
		return false
	}
	return ta.Position.Offset < tb.Position.Offset
}

// isNilNode reports whether n is nil or a nil pointer in an interface.
func isNilNode(n ast.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// posOf is where a node starts. A block mapping starts at its first key.
func posOf(n ast.Node) srcPos {
	if isNilNode(n) {
		return srcPos{1, 1}
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		if len(v.Values) > 0 && (v.Start == nil || v.Start.Type != token.MappingStartType) {
			return posOf(v.Values[0])
		}
	case *ast.MappingValueNode:
		if !isNilNode(v.Key) {
			return posOf(v.Key)
		}
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return srcPos{1, 1}
	}
	return fixPos(srcPos{tk.Position.Line, tk.Position.Column})
}

func fixPos(p srcPos) srcPos {
	p.line = max(p.line, 1)
	p.col = max(p.col, 1)
	return p
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// yamlValue is one field's value as found in the file, or its absence.
type yamlValue struct {
	d    *decoder
	path string
	key  ast.Node // the field's key; nil when the field is absent
	node ast.Node // the resolved value; nil when absent or null
	at   srcPos   // where an absent field is reported
	item bool     // a list item rather than a field
}

func (d *decoder) value(path string, key, node ast.Node, at srcPos) yamlValue {
	return yamlValue{d: d, path: path, key: key, node: d.resolve(node), at: at}
}

func (v yamlValue) present() bool { return v.node != nil }

// pos is where a problem with the value is reported.
func (v yamlValue) pos() srcPos {
	switch {
	case v.node != nil:
		return posOf(v.node)
	case v.key != nil:
		return posOf(v.key)
	}
	return v.at
}

func (v yamlValue) errorf(format string, args ...any) {
	v.d.add(v.pos(), v.path, format, args...)
}

// missing reports a required value that is absent or null.
func (v yamlValue) missing(expected string) {
	switch {
	case v.path == "":
		v.d.add(v.at, "", "empty scenario: expected %s", expected)
		return
	case v.item:
		v.d.add(v.at, v.path, "empty entry: expected %s", expected)
		return
	case v.key == nil:
		v.d.add(v.at, v.path, "missing required field: expected %s", expected)
		return
	}
	v.d.add(posOf(v.key), v.path, "no value: expected %s", expected)
}

// wrongType reports a value of the wrong YAML type.
func (v yamlValue) wrongType(expected string) {
	v.errorf("expected %s, got %s", expected, describeNode(v.node))
}

// describeNode names a node's type for messages, with the value when it is short.
func describeNode(n ast.Node) string {
	var kind string
	switch n.(type) {
	case nil:
		return "nothing"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode, *ast.LiteralNode:
		kind = "a string"
	case *ast.IntegerNode:
		kind = "an integer"
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		kind = "a number"
	case *ast.BoolNode:
		kind = "a boolean"
	default:
		return "a " + n.Type().String()
	}
	text, _ := scalarText(n)
	if len(text) > 40 {
		text = text[:40] + "…"
	}
	return fmt.Sprintf("%s %q", kind, text)
}

// scalarText is a scalar's text as written (strings unquoted).
func scalarText(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		if v.Value == nil {
			return "", true
		}
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		if tk := n.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	return "", false
}

// str is an optional string. Any scalar is taken as its text, sanitised:
// every string of a scenario comes through here, so State never holds a
// control sequence from a file.
func (v yamlValue) str() string {
	if !v.present() {
		return ""
	}
	s, ok := scalarText(v.node)
	if !ok {
		v.wrongType("a string")
	}
	return v.sanitize(s)
}

// reqStr is a required, non-empty string.
func (v yamlValue) reqStr() string {
	if !v.present() {
		v.missing("a string")
		return ""
	}
	s := v.str()
	if s == "" {
		if _, ok := scalarText(v.node); ok {
			v.errorf("must not be empty")
		}
	}
	return s
}

// enum is an optional string that must be one of allowed.
func (v yamlValue) enum(allowed []string) string {
	s := v.str()
	if s != "" && !containsString(allowed, s) {
		v.errorf("unknown value %q: expected one of %s", v.raw(), strings.Join(allowed, ", "))
		return ""
	}
	if s == "" && v.present() {
		if _, ok := scalarText(v.node); ok {
			v.errorf("empty value: expected one of %s", strings.Join(allowed, ", "))
		}
	}
	return s
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// integer is an optional integer no less than min. ok is false when it is
// absent or bad.
func (v yamlValue) integer(min int64) (n int64, ok bool) {
	if !v.present() {
		return 0, false
	}
	expected := fmt.Sprintf("an integer >= %d", min)
	switch x := v.node.(type) {
	case *ast.IntegerNode:
		switch i := x.Value.(type) {
		case int64:
			n, ok = i, true
		case int:
			n, ok = int64(i), true
		case uint64:
			n, ok = int64(i), i <= math.MaxInt64
		}
		if !ok || int64(int(n)) != n {
			v.errorf("integer %s is out of range", x.GetToken().Value)
			return 0, false
		}
	case *ast.StringNode:
		if _, err := strconv.ParseInt(x.Value, 10, 64); errors.Is(err, strconv.ErrRange) && isPlain(x) {
			v.errorf("integer %s is out of range", x.Value)
			return 0, false
		}
		v.wrongType(expected)
		return 0, false
	default:
		v.wrongType(expected)
		return 0, false
	}
	if n < min {
		v.errorf("must be %s, got %d", expected[len("an integer "):], n)
		return 0, false
	}
	return n, true
}

func isPlain(s *ast.StringNode) bool {
	return s.Token != nil && s.Token.Type == token.StringType
}

// reqInteger is a required integer no less than min.
func (v yamlValue) reqInteger(min int64) (int64, bool) {
	if !v.present() {
		v.missing(fmt.Sprintf("an integer >= %d", min))
		return 0, false
	}
	return v.integer(min)
}

// rate is an optional finite number >= 0; nil when absent or bad.
func (v yamlValue) rate() *float64 {
	if !v.present() {
		return nil
	}
	var f float64
	switch x := v.node.(type) {
	case *ast.IntegerNode:
		switch i := x.Value.(type) {
		case int64:
			f = float64(i)
		case int:
			f = float64(i)
		case uint64:
			f = float64(i)
		}
	case *ast.FloatNode:
		f = x.Value
	case *ast.InfinityNode, *ast.NanNode:
		f = math.NaN()
	default:
		v.wrongType("a number >= 0")
		return nil
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		v.errorf("must be a number >= 0, got %s", v.node.GetToken().Value)
		return nil
	}
	return &f
}

// offset is a required offset from T+0: a Go duration, optionally with a
// leading '+', never negative.
func (v yamlValue) offset() (time.Duration, bool) {
	const expected = "an offset such as +0m, +2h15m or 90s"
	if !v.present() {
		v.missing(expected)
		return 0, false
	}
	s, ok := scalarText(v.node)
	if !ok {
		v.wrongType(expected)
		return 0, false
	}
	at, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		v.errorf("bad offset %q: expected %s", s, expected)
		return 0, false
	}
	if at < 0 {
		v.errorf("negative offset %q: offsets count from T+0 and must not be negative", s)
		return 0, false
	}
	return at, true
}

// timestamp is a required RFC 3339 time, returned in UTC.
func (v yamlValue) timestamp() time.Time {
	const expected = "an RFC 3339 UTC time such as 2024-07-19T04:09:00Z"
	if !v.present() {
		v.missing(expected)
		return time.Time{}
	}
	s, ok := scalarText(v.node)
	if !ok {
		v.wrongType(expected)
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		v.errorf("bad timestamp %q: expected %s", s, expected)
		return time.Time{}
	}
	return t.UTC()
}

// yamlObject is a YAML mapping being decoded.
type yamlObject struct {
	d      *decoder
	path   string
	at     srcPos
	fields map[string]*ast.MappingValueNode // known fields, first occurrence
	order  []string                         // known fields in file order
}

// yamlObject checks that v is a mapping whose keys are all among fields and
// reports unknown and duplicate keys. It returns nil when v is no mapping.
func (d *decoder) object(v yamlValue, fields ...string) *yamlObject {
	expected := "a mapping with " + strings.Join(fields, ", ")
	if !v.present() {
		v.missing(expected)
		return nil
	}
	entries, ok := mappingValues(v.node)
	if !ok {
		v.wrongType(expected)
		return nil
	}
	o := &yamlObject{d: d, path: v.path, at: posOf(v.node), fields: map[string]*ast.MappingValueNode{}}
	for _, mv := range entries {
		if isNilNode(mv) {
			continue
		}
		name, ok := keyName(mv.Key)
		at := posOf(mv.Key)
		switch {
		case !ok:
			d.add(at, v.path, "unsupported key: expected a plain field name, one of %s", strings.Join(fields, ", "))
		case !containsString(fields, name):
			d.add(at, joinPath(v.path, keyPath(name)), "unknown field %q: expected one of %s", name, strings.Join(fields, ", "))
		case o.fields[name] != nil:
			d.add(at, joinPath(v.path, name), "duplicate field %q (first at line %d)", name, posOf(o.fields[name].Key).line)
		default:
			o.fields[name] = mv
			o.order = append(o.order, name)
		}
	}
	return o
}

// mappingValues returns a mapping's entries.
func mappingValues(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch v := n.(type) {
	case *ast.MappingNode:
		return v.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}, true
	}
	return nil, false
}

// keyName is the name of a plain scalar key.
func keyName(k ast.MapKeyNode) (string, bool) {
	if isNilNode(k) {
		return "", false
	}
	if _, merge := k.(*ast.MergeKeyNode); merge {
		return "<<", true
	}
	return scalarText(k)
}

// field is one of the object's fields, possibly absent.
func (o *yamlObject) field(name string) yamlValue {
	path := joinPath(o.path, name)
	mv := o.fields[name]
	if mv == nil {
		return yamlValue{d: o.d, path: path, at: o.at}
	}
	return o.d.value(path, mv.Key, mv.Value, o.at)
}

// list returns the items of an optional list.
func (d *decoder) list(v yamlValue) []yamlValue {
	if !v.present() {
		return nil
	}
	seq, ok := v.node.(*ast.SequenceNode)
	if !ok {
		v.wrongType("a list")
		return nil
	}
	items := make([]yamlValue, 0, len(seq.Values))
	for i, n := range seq.Values {
		at := posOf(n)
		if isNilNode(n) {
			at = posOf(seq)
		}
		item := d.value(fmt.Sprintf("%s[%d]", v.path, i), nil, n, at)
		item.item = true
		items = append(items, item)
	}
	return items
}

func (d *decoder) meta(top *yamlObject) Meta {
	m := Meta{
		Title:        top.field("title").reqStr(),
		Summary:      top.field("summary").reqStr(),
		Start:        top.field("start").timestamp(),
		Illustrative: top.field("illustrative").reqStr(),
	}
	sev := top.field("severity")
	if !sev.present() {
		sev.missing("one of " + strings.Join(severities, ", "))
	} else {
		m.Severity = sev.enum(severities)
	}
	return m
}

// declareID checks an id declared in a list for uniqueness.
func (d *decoder) declareID(v yamlValue, seen map[string]srcPos, what string) string {
	id := v.reqStr()
	if id == "" {
		return ""
	}
	if first, dup := seen[id]; dup {
		v.errorf("duplicate %s id %q (first declared at line %d)", what, id, first.line)
		return ""
	}
	seen[id] = v.pos()
	return id
}


func (d *decoder) hostGroups(v yamlValue) []HostGroupDef {
	d.groups, d.groupIDs = map[string]int{}, map[string]bool{}
	seen := map[string]srcPos{}
	var defs []HostGroupDef
	for _, item := range d.list(v) {
		o := d.object(item, "id", "name", "total")
		if o == nil {
			continue
		}
		idv := o.field("id")
		id := d.declareID(idv, seen, "host group")
		if id != "" && !validGroupID(id) {
			idv.errorf("bad host group id %q: expected lower-case letters, digits and '-' ([a-z0-9-]+)", id)
		}
		g := HostGroupDef{ID: id, Name: o.field("name").reqStr()}
		if total, ok := o.field("total").reqInteger(1); ok {
			g.Total = int(total)
		}
		if id != "" {
			d.groups[id] = g.Total
			d.groupIDs[id] = true
		}
		defs = append(defs, g)
	}
	return defs
}

// namedDefs decodes a list of {id, name} declarations; name defaults to id.
func (d *decoder) namedDefs(v yamlValue, what string) (ids, names []string) {
	seen := map[string]srcPos{}
	for _, item := range d.list(v) {
		o := d.object(item, "id", "name")
		if o == nil {
			continue
		}
		id := d.declareID(o.field("id"), seen, what)
		name := o.field("name").str()
		if name == "" {
			name = id
		}
		ids, names = append(ids, id), append(names, name)
	}
	return ids, names
}

func (d *decoder) carrierDefs(v yamlValue) []CarrierDef {
	ids, names := d.namedDefs(v, "carrier")
	d.carriers = idSet(ids)
	var defs []CarrierDef
	for i := range ids {
		defs = append(defs, CarrierDef{ID: ids[i], Name: names[i]})
	}
	return defs
}

func (d *decoder) topicDefs(v yamlValue) []TopicDef {
	ids, names := d.namedDefs(v, "topic")
	d.topics = idSet(ids)
	var defs []TopicDef
	for i := range ids {
		defs = append(defs, TopicDef{ID: ids[i], Name: names[i]})
	}
	return defs
}

func idSet(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		if id != "" {
			m[id] = true
		}
	}
	return m
}

func (d *decoder) runbook(v yamlValue) []StepDef {
	d.steps = map[string]bool{}
	seen := map[string]srcPos{}
	var defs []StepDef
	for _, item := range d.list(v) {
		o := d.object(item, "id", "title", "detail")
		if o == nil {
			continue
		}
		idv := o.field("id")
		s := StepDef{
			ID:     d.declareID(idv, seen, "runbook step"),
			Title:  o.field("title").reqStr(),
			Detail: o.field("detail").str(),
		}
		if s.ID != "" {
			d.steps[s.ID] = true
			d.stepDecl = append(d.stepDecl, idv)
		}
		defs = append(defs, s)
	}
	return defs
}

// ref is a required reference to an id declared under section.
func (v yamlValue) ref(declared map[string]bool, what, section string) string {
	id := v.reqStr()
	if id != "" && !declared[id] {
		v.errorf("unknown %s %q: expected an id declared under %s%s", what, v.raw(), section, listIDs(declared))
	}
	return id
}

// listIDs names a few declared ids for a message.
func listIDs(declared map[string]bool) string {
	if len(declared) == 0 {
		return " (none declared)"
	}
	ids := make([]string, 0, len(declared))
	for id := range declared {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) > 8 {
		ids = append(ids[:8], "…")
	}
	return " (" + strings.Join(ids, ", ") + ")"
}

// timelineItem is a decoded timeline entry, with what the order checks need.
type timelineItem struct {
	ev      Event
	valid   bool      // At is valid, so the item takes part in order checks
	warning yamlValue // the warning id for warning and ack events
	phase   WarningPhase
	src     yamlValue // the entry as written, for the positions of warnings
}

func (d *decoder) timeline(v yamlValue) []Event {
	d.injects = map[string]srcPos{}
	var items []timelineItem
	for _, iv := range d.list(v) {
		if it, ok := d.event(iv); ok {
			items = append(items, it)
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].ev.At < items[j].ev.At })
	d.checkWarningOrder(items)
	d.items = items
	events := make([]Event, len(items))
	for i, it := range items {
		events[i] = it.ev
	}
	return events
}

// event decodes one timeline entry: `at`, exactly one kind key, and
// optional `source` and `text`.
func (d *decoder) event(v yamlValue) (timelineItem, bool) {
	fields := []string{"at", "source", "text"}
	for _, k := range eventKinds {
		fields = append(fields, string(k))
	}
	o := d.object(v, fields...)
	if o == nil {
		return timelineItem{}, false
	}
	it := timelineItem{src: v}
	it.ev.At, it.valid = o.field("at").offset()
	it.ev.Source = o.field("source").str()
	if it.ev.Source == "" {
		it.ev.Source = "scenario"
	}
	it.ev.Text = o.field("text").str()

	var kinds []string
	for _, name := range o.order {
		if isKind(name) {
			kinds = append(kinds, name)
		}
	}
	if len(kinds) == 0 {
		d.add(o.at, o.path, "no event kind: expected exactly one of %s", kindList())
		return it, false
	}
	for i, name := range kinds {
		f := o.field(name)
		if i > 0 {
			d.add(posOf(f.key), f.path, "more than one event kind (%s): expected exactly one of %s",
				strings.Join(kinds, ", "), kindList())
		}
		body, warning, phase := d.body(Kind(name), f)
		if i == 0 {
			it.ev.Body, it.warning, it.phase = body, warning, phase
		}
	}
	return it, it.ev.Body != nil
}

func isKind(name string) bool {
	for _, k := range eventKinds {
		if string(k) == name {
			return true
		}
	}
	return false
}

func kindList() string {
	names := make([]string, len(eventKinds))
	for i, k := range eventKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// body decodes an event body of the given kind. For warnings and
// acknowledgements it also returns the warning id's value and the phase.
func (d *decoder) body(kind Kind, v yamlValue) (Body, yamlValue, WarningPhase) {
	switch kind {
	case KindHostStatus:
		return d.hostStatus(v), yamlValue{}, ""
	case KindBacklog:
		return d.backlog(v), yamlValue{}, ""
	case KindWarning:
		return d.warning(v)
	case KindComplaint:
		return d.complaint(v), yamlValue{}, ""
	case KindRunbookStep:
		return d.stepChange(v), yamlValue{}, ""
	case KindInject:
		return d.inject(v), yamlValue{}, ""
	case KindNote:
		return d.note(v), yamlValue{}, ""
	case KindUpdate:
		return d.statusUpdate(v), yamlValue{}, ""
	case KindAck:
		return d.ack(v)
	}
	return nil, yamlValue{}, ""
}

func (d *decoder) hostStatus(v yamlValue) Body {
	o := d.object(v, "group", "recovered", "total", "failed", "state")
	if o == nil {
		return nil
	}
	h := HostStatus{Group: o.field("group").ref(d.groupIDs, "host group", "host_groups")}
	rv, tv, fv := o.field("recovered"), o.field("total"), o.field("failed")
	recovered, okR := rv.reqInteger(0)
	failed, okF := fv.integer(0)
	total, okT := tv.integer(1)
	if !tv.present() {
		t, declared := d.groups[h.Group]
		total, okT = int64(t), declared && t > 0
	}
	h.Recovered, h.Failed, h.Total = int(recovered), int(failed), int(total)
	h.State = HostState(o.field("state").enum(hostStates))
	if !okT {
		return h
	}
	if okR && recovered > total {
		rv.errorf("recovered (%d) exceeds total (%d)", recovered, total)
	} else if okR && okF && failed > total-recovered {
		fv.errorf("recovered + failed (%d + %d) exceeds total (%d)", recovered, failed, total)
	}
	return h
}

func (d *decoder) backlog(v yamlValue) Body {
	o := d.object(v, "waiting", "inflow", "shipped")
	if o == nil {
		return nil
	}
	b := BacklogObservation{
		Inflow:  o.field("inflow").rate(),
		Shipped: o.field("shipped").rate(),
	}
	b.Waiting, _ = o.field("waiting").reqInteger(0)
	return b
}

func (d *decoder) warning(v yamlValue) (Body, yamlValue, WarningPhase) {
	o := d.object(v, "id", "carrier", "phase", "severity", "region", "headline", "body")
	if o == nil {
		return nil, yamlValue{}, ""
	}
	idv, phase := o.field("id"), o.field("phase")
	w := CarrierWarning{
		ID:     idv.reqStr(),
		Phase:  WarningPhase(phase.enum(warnPhases)),
		Region: o.field("region").str(),
		Body:   o.field("body").str(),
	}
	if !phase.present() {
		w.Phase = WarningIssued
	}
	// A bad phase leaves Phase empty: reported, and checked no further.
	carrier, severity, headline := o.field("carrier"), o.field("severity"), o.field("headline")
	if w.Phase == WarningIssued {
		w.Carrier = carrier.ref(d.carriers, "carrier", "carriers")
		if !severity.present() {
			severity.missing("one of " + strings.Join(warnSeverites, ", ") + " (required when phase is issued)")
		}
		w.Headline = headline.reqStr()
	} else {
		if carrier.present() && w.Phase != "" {
			w.Carrier = carrier.ref(d.carriers, "carrier", "carriers")
		}
		w.Headline = headline.str()
	}
	w.Severity = Severity(severity.enum(warnSeverites))
	return w, idv, w.Phase
}

func (d *decoder) complaint(v yamlValue) Body {
	o := d.object(v, "seller", "channel", "topic", "text")
	if o == nil {
		return nil
	}
	return SellerComplaint{
		Seller:  o.field("seller").reqStr(),
		Channel: o.field("channel").reqStr(),
		Topic:   o.field("topic").ref(d.topics, "topic", "topics"),
		Text:    o.field("text").reqStr(),
	}
}

func (d *decoder) stepChange(v yamlValue) Body {
	o := d.object(v, "step", "state", "by")
	if o == nil {
		return nil
	}
	c := RunbookStepChange{
		Step: o.field("step").ref(d.steps, "runbook step", "runbook"),
		By:   o.field("by").str(),
	}
	state := o.field("state")
	if !state.present() {
		state.missing("one of " + strings.Join(stepStates, ", "))
	}
	c.State = StepState(state.enum(stepStates))
	return c
}

func (d *decoder) inject(v yamlValue) Body {
	o := d.object(v, "id", "title", "prompt", "questions", "expected", "notes")
	if o == nil {
		return nil
	}
	idv := o.field("id")
	in := Inject{
		ID: idv.reqStr(), Title: o.field("title").reqStr(), Prompt: o.field("prompt").reqStr(),
		Questions: d.strings(o.field("questions")), Expected: d.strings(o.field("expected")),
		Notes: o.field("notes").str(),
	}
	if in.ID != "" {
		if first, dup := d.injects[in.ID]; dup {
			idv.errorf("duplicate inject id %q (first at line %d)", in.ID, first.line)
		} else {
			d.injects[in.ID] = idv.pos()
		}
	}
	return in
}

// strings is an optional list of non-empty strings.
func (d *decoder) strings(v yamlValue) []string {
	var out []string
	for _, item := range d.list(v) {
		if s := item.reqStr(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) note(v yamlValue) Body {
	o := d.object(v, "author", "text")
	if o == nil {
		return nil
	}
	return Note{Author: o.field("author").reqStr(), Text: o.field("text").reqStr()}
}

func (d *decoder) statusUpdate(v yamlValue) Body {
	o := d.object(v, "from", "text")
	if o == nil {
		return nil
	}
	return StatusUpdate{From: o.field("from").reqStr(), Text: o.field("text").reqStr()}
}

func (d *decoder) ack(v yamlValue) (Body, yamlValue, WarningPhase) {
	o := d.object(v, "warning", "by")
	if o == nil {
		return nil, yamlValue{}, ""
	}
	wv := o.field("warning")
	a := Acknowledgement{Warning: wv.reqStr(), By: o.field("by").str()}
	return a, wv, ""
}

// checkWarningOrder checks, in timeline order, that each warning is issued
// once and that updates, resolutions and acknowledgements follow its issue.
// Entries with a bad offset take no part beyond counting as issued, so that
// one bad offset does not cause a cascade of problems.
func (d *decoder) checkWarningOrder(items []timelineItem) {
	issuedAt := map[string]time.Duration{} // earliest issue with a good offset
	badIssue := map[string]bool{}          // issued by an entry with a bad offset
	for _, it := range items {
		w, ok := it.ev.Body.(CarrierWarning)
		if !ok || w.Phase != WarningIssued || w.ID == "" {
			continue
		}
		if _, seen := issuedAt[w.ID]; !it.valid {
			badIssue[w.ID] = true
		} else if !seen {
			issuedAt[w.ID] = it.ev.At
		}
	}
	issued := map[string]srcPos{}
	for _, it := range items {
		id := warningRef(it.ev.Body)
		if !it.valid || id == "" {
			continue
		}
		if w, ok := it.ev.Body.(CarrierWarning); ok && w.Phase == "" {
			continue // bad phase, reported already
		}
		if it.phase == WarningIssued {
			if first, dup := issued[id]; dup {
				it.warning.errorf("duplicate warning id %q: already issued at line %d", id, first.line)
			} else {
				issued[id] = it.warning.pos()
			}
			continue
		}
		if _, ok := issued[id]; ok || badIssue[id] {
			continue
		}
		what := "acknowledged"
		if it.phase != "" {
			what = string(it.phase)
		}
		if at, later := issuedAt[id]; later {
			it.warning.errorf("warning %q is %s at %s, before it is issued at %s", id, what, FormatOffset(it.ev.At), FormatOffset(at))
		} else {
			it.warning.errorf("warning %q is %s but never issued earlier in the timeline", id, what)
		}
	}
}

func warningRef(b Body) string {
	switch w := b.(type) {
	case CarrierWarning:
		return w.ID
	case Acknowledgement:
		return w.Warning
	}
	return ""
}

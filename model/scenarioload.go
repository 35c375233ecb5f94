package model

import (
	"bytes"
	"cmp"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	yaml "go.yaml.in/yaml/v4"
)

// MaxScenarioBytes is the largest scenario file read. A file is read item
// by item on every core, and its peak heap is ten to fifteen times its
// size (the README's performance section has the measured figures).
const MaxScenarioBytes = 64 << 20

// loadedItem is one timeline item as decoded, with what the checks across
// items and the lint pass need of it.
type loadedItem struct {
	it       *Item  // as decoded, when it is bad; a good one is its event
	ptr      string // /timeline/i
	problems []Problem
	bad      bool          // a problem stops it from being an event
	changed  []LintWarning // text sanitising changed, for the lint pass
	e        Event         // the event it is, when it is good
	// The places the checks across items and the lint pass report at:
	// found when first asked for, from the item's text read again (or
	// its tree, when the file was read whole). Few items are ever asked.
	pos       map[string]yamlPos
	chunk     *yamlChunk
	part      *yamlPart
	sheltered bool
}

// loader reads one scenario file.
type loader struct {
	file     string
	problems []Problem
	opts     *formatOptions
	changed  []LintWarning // text that sanitize changed
	// sheltered says the file's control characters are sheltered from the
	// parser (see shelterControls).
	sheltered bool
	data      []byte // the file's text, as the parser reads it
}

func (l *loader) add(at yamlPos, ptr, msg string) {
	l.problems = append(l.problems, Problem{File: l.file, Line: at.line, Col: at.col, Field: fieldPath(ptr), Message: msg})
}

// fieldPath writes a JSON pointer as the field path problems show:
// /timeline/12/hosts/recovered → timeline[12].hosts.recovered.
func fieldPath(ptr string) string {
	var b strings.Builder
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		if _, err := strconv.Atoi(tok); err == nil && b.Len() > 0 {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(keyPath(tok))
	}
	return b.String()
}

// loadFile parses and checks a scenario file; see LoadScenario.
func loadFile(file string, data []byte, lint bool) (*Scenario, []LintWarning, error) {
	l := &loader{file: Visible(file), opts: newFormatOptions(zeroTime)}
	l.opts.scenario = true
	data, ok := l.readable(data, "a scenario file may be", "a scenario file is")
	if !ok {
		return nil, nil, ProblemList(l.problems)
	}
	top, chunks, split := splitTimeline(data)
	l.data = data
	var topPart *yamlPart
	var items []*yamlPart
	if split {
		topPart = l.part(top, 0)
	} else {
		topPart, items = l.whole(data)
	}
	if topPart == nil {
		if len(l.problems) == 0 {
			l.add(yamlPos{1, 1}, "", "empty scenario: expected a mapping with "+infoOf(reflect.TypeFor[ScenarioFile]()).names)
		}
		return nil, nil, ProblemList(sorted(l.problems))
	}
	file0 := l.top(topPart)
	decl := declare(&file0)
	var loaded []*loadedItem
	if split {
		loaded = l.items(chunks, nil, decl)
	} else {
		loaded = l.items(nil, items, decl)
	}
	if loaded == nil && split && len(chunks) > 0 {
		// An item refers to an anchor outside it: read the file whole.
		topPart, items = l.whole(data)
		loaded = l.items(nil, items, decl)
	}
	for _, it := range loaded {
		l.problems = append(l.problems, it.problems...)
	}
	inOrder := sortedItems(loaded)
	l.order(loaded, inOrder)
	if len(l.problems) > 0 {
		return nil, nil, ProblemList(sorted(l.problems))
	}
	l.sanitize(topPart, &file0)
	sc := build(file, &file0, inOrder)
	if !lint {
		return sc, nil, nil
	}
	return sc, l.lint(sc, topPart, loaded, inOrder), nil
}

// readable checks a file's size and encoding before any parser reads it
// and shelters its control characters (see shelterControls); a byte-order
// mark is no content. mayBe and is name the kind of file in the messages:
// "a scenario file may be" at most so much, "a scenario file is" UTF-8.
func (l *loader) readable(data []byte, mayBe, is string) ([]byte, bool) {
	if len(data) > MaxScenarioBytes {
		l.add(yamlPos{1, 1}, "", fmt.Sprintf("the file is %d bytes: %s at most %d MiB", len(data), mayBe, MaxScenarioBytes>>20))
		return nil, false
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if off := invalidUTF8(data); off >= 0 {
		line, col := lineCol(data, off, 1, 1)
		l.add(yamlPos{line, col}, "", fmt.Sprintf("invalid UTF-8 (byte 0x%02x): %s UTF-8 text", data[off], is))
		return nil, false
	}
	data, l.sheltered = shelterControls(data)
	return data, true
}

// sorted orders problems by position, keeping their order at one place.
func sorted(ps []Problem) []Problem {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return ps
}

// invalidUTF8 is the offset of the first byte that is not UTF-8, or -1.
func invalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// part parses a piece of text, reporting its syntax problems.
func (l *loader) part(text []byte, line int) *yamlPart {
	root, problems := parseYAML(text, line)
	for _, p := range problems {
		l.add(p.at, p.ptr, p.msg)
	}
	if root == nil {
		return nil
	}
	return &yamlPart{root: root, sheltered: l.sheltered}
}

// whole parses the file in one piece: the top and each timeline item.
func (l *loader) whole(data []byte) (*yamlPart, []*yamlPart) {
	top := l.part(data, 0)
	if top == nil {
		return nil, nil
	}
	tl, _ := child(top.root, "timeline")
	if tl = unalias(tl); tl == nil || tl.Kind != yaml.SequenceNode {
		return top, nil
	}
	items := make([]*yamlPart, len(tl.Content))
	for i, n := range tl.Content {
		items[i] = &yamlPart{root: n, sheltered: l.sheltered}
	}
	return top, items
}

// top decodes the file outside its timeline (and a timeline that is not a
// list).
func (l *loader) top(p *yamlPart) ScenarioFile {
	var f ScenarioFile
	skip := "timeline"
	if tl, _ := child(p.root, "timeline"); tl != nil && unalias(tl).Kind != yaml.SequenceNode && !isNull(tl) {
		skip = "" // not a list: the decoder says so
	}
	// The alert rules refer to the declarations.
	l.decodeMapping(p, reflect.ValueOf(&f).Elem(), skip, func() *declared { return declare(&f) })
	return f
}

// decodeMapping decodes a part that should be a mapping into v, a struct,
// and runs the checks of its fields, but for the member skip (left out of
// the decoding too); decl, when not nil, says what the references may
// name once v is decoded. Every problem is reported.
func (l *loader) decodeMapping(p *yamlPart, v reflect.Value, skip string, decl func() *declared) {
	ti := infoOf(v.Type())
	if p.root.Kind != yaml.MappingNode {
		l.add(p.nodePos(p.root), "", "expected a mapping with "+ti.fileNames+", got "+yamlKindName(p.root))
		return
	}
	raw, problems := p.toJSON(skip)
	for _, pr := range problems {
		l.add(pr.at, pr.ptr, pr.msg)
	}
	var fps []fieldProblem
	if err := json.Unmarshal(raw, v.Addr().Interface(), l.opts.decode); err != nil {
		v.SetZero()
		decodeObject(raw, v, "", l.opts, &fps)
	}
	c := checker{mode: checkScenario, doc: p, line: func(ptr string) int { return p.pos(ptr, false).line }}
	if decl != nil {
		c.decl = decl()
	}
	c.noteFailed(fps, problems)
	for i := range ti.fields {
		if ti.fields[i].name != skip {
			c.field(ti.fields[i].value(v), &ti.fields[i], "")
		}
	}
	for _, fp := range append(fps, c.out...) {
		l.report(p, fp)
	}
}

func isNull(n *yaml.Node) bool {
	n = unalias(n)
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func yamlKindName(n *yaml.Node) string {
	switch unalias(n).Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	return "a string " + strconv.Quote(n.Value)
}

// report adds a field problem at its place in the part.
func (l *loader) report(p *yamlPart, fp fieldProblem) {
	l.add(p.pos(fp.where()), fp.ptr, fp.msg)
}

// declare collects what a scenario declares, for the references to it: the
// ids of each list of declarations (tagged unique), by its name, and the
// host groups' totals.
func declare(f *ScenarioFile) *declared {
	d := &declared{ids: map[string]map[string]bool{}, totals: map[string]int{}}
	v := reflect.ValueOf(f).Elem()
	for _, fi := range infoOf(v.Type()).fields {
		if fi.checks.unique == "" {
			continue
		}
		ids, list := map[string]bool{}, fi.value(v)
		for i := range list.Len() {
			if id := list.Index(i).FieldByName("ID").String(); id != "" {
				ids[id] = true
			}
		}
		d.ids[fi.name] = ids
	}
	for _, g := range f.HostGroups {
		if _, seen := d.totals[g.ID]; !seen {
			d.totals[g.ID] = g.Total
		}
	}
	return d
}

// items reads the timeline's items, from chunks of text (parsed here) or
// from parts of a tree parsed whole, on every core. It returns nil when an
// item of a chunk refers to an anchor outside it (read the file whole).
//
// Chunks are parsed itemBatch at a time: a YAML parser costs some
// kilobytes to set up, as much as a small item costs to parse. A batch
// with any problem is parsed again item by item, so that each item's
// problems are its own.
func (l *loader) items(chunks []yamlChunk, parts []*yamlPart, decl *declared) []*loadedItem {
	const itemBatch = 64
	n := max(len(chunks), len(parts))
	out := make([]*loadedItem, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	outside := false
	next := 0
	one := func(i int) {
		if chunks == nil {
			out[i] = l.item(i, parts[i], nil, nil, decl)
			return
		}
		p, problems := itemChunk(chunks[i])
		if p != nil {
			p.sheltered = l.sheltered
		}
		for _, pr := range problems {
			if strings.Contains(pr.msg, "unknown anchor") {
				mu.Lock()
				outside = true
				mu.Unlock()
			}
		}
		out[i] = l.item(i, p, problems, &chunks[i], decl)
	}
	batch := func(from, to int) {
		if chunks == nil || to-from < 2 {
			for i := from; i < to; i++ {
				one(i)
			}
			return
		}
		last := chunks[to-1]
		text := l.data[chunks[from].off : last.off+len(last.text)] // the items are one run of the file
		var doc yaml.Node                                          // one run of items holds no second document
		if newYAMLLoader(text).Load(&doc) != nil || len(doc.Content) != 1 {
			for i := from; i < to; i++ {
				one(i)
			}
			return
		}
		root := doc.Content[0]
		if root.Kind != yaml.SequenceNode || len(root.Content) != to-from {
			for i := from; i < to; i++ {
				one(i)
			}
			return
		}
		for k, n := range root.Content {
			out[from+k] = l.item(from+k, &yamlPart{root: n, line: chunks[from].line, sheltered: l.sheltered}, nil, &chunks[from+k], decl)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), max(n/32, 1))
	for range workers {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next += itemBatch
				stop := outside
				mu.Unlock()
				if i >= n || stop {
					return
				}
				batch(i, min(i+itemBatch, n))
			}
		})
	}
	wg.Wait()
	if outside {
		return nil
	}
	return out
}

// itemChunk parses one item's text: a sequence of one element.
func itemChunk(c yamlChunk) (*yamlPart, []yamlProblem) {
	root, problems := parseYAML(c.text, c.line)
	if root == nil {
		return nil, problems
	}
	p := &yamlPart{root: root, line: c.line}
	if root.Kind == yaml.SequenceNode && len(root.Content) == 1 {
		p.root = root.Content[0]
	}
	return p, problems
}

// item decodes and checks one timeline item.
func (l *loader) item(i int, p *yamlPart, problems []yamlProblem, chunk *yamlChunk, decl *declared) *loadedItem {
	ptr := "/timeline/" + strconv.Itoa(i)
	li := &loadedItem{ptr: ptr, chunk: chunk, sheltered: l.sheltered}
	if chunk == nil {
		li.part = p // no text of its own to read again: keep its tree
	}
	add := func(at yamlPos, fptr, msg string) {
		li.problems = append(li.problems, Problem{File: l.file, Line: at.line, Col: at.col, Field: fieldPath(ptr + fptr), Message: msg})
		li.bad = true
	}
	for _, pr := range problems {
		if pr.fail { // the item's text cannot be read: no field to name
			li.problems = append(li.problems, Problem{File: l.file, Line: pr.at.line, Col: pr.at.col, Message: pr.msg})
			li.bad = true
			continue
		}
		add(pr.at, pr.ptr, pr.msg)
	}
	if p == nil {
		li.bad = true
		return li
	}
	if p.root.Kind != yaml.MappingNode {
		add(p.nodePos(p.root), "", "expected a mapping with "+infoOf(reflect.TypeFor[Item]()).fileNames+", got "+yamlKindName(p.root))
		return li
	}
	raw, cproblems := p.toJSON("")
	for _, pr := range cproblems {
		add(pr.at, pr.ptr, pr.msg)
	}
	var fps []fieldProblem
	it := new(Item)
	if json.Unmarshal(raw, it, l.opts.plain) != nil { // the common form first: see formatOptions.plain
		*it = Item{}
		if err := json.Unmarshal(raw, it, l.opts.decode); err != nil {
			*it = Item{}
			decodeObject(raw, reflect.ValueOf(it).Elem(), "", l.opts, &fps)
		}
	}
	c := checker{mode: checkScenario, decl: decl, doc: p}
	c.noteFailed(fps, cproblems)
	if len(fps) <= maxProblems { // beyond, the decoder stopped reading: the rest would be noise
		c.item(it, "")
	}
	for _, fp := range append(fps, c.out...) {
		add(p.pos(fp.where()), fp.ptr, fp.msg)
	}
	if v := reflect.ValueOf(it).Elem(); sanitizeValue(v, 0, false) { // clean, as nearly every item is: no pointers made
		sanitizeStrings(v, li.ptr, func(ptr, was, is string) { li.changed = append(li.changed, l.textChanged(li.posOf(ptr), ptr, was, is)) })
	}
	if li.bad {
		li.it = it
	} else {
		li.e = scenarioEvent(it, decl) // the item is not kept: its event holds what the checks across items need
	}
	return li
}

// keepPositions finds where the item's members and elements are.
func (li *loadedItem) keepPositions() {
	li.pos = map[string]yamlPos{}
	p := li.part
	if p == nil && li.chunk != nil {
		p, _ = itemChunk(*li.chunk)
		if p != nil {
			p.sheltered = li.sheltered
		}
	}
	li.part = nil
	if p == nil || p.root == nil {
		return
	}
	li.pos[""] = p.nodePos(p.root)
	keepPositions(p, p.root, "", li.pos, 0)
}

// keepPositions records where the members and elements inside n are, a
// few levels deep. A field with no value is where its key is.
func keepPositions(p *yamlPart, n *yaml.Node, ptr string, pos map[string]yamlPos, depth int) {
	n = unalias(n)
	if depth > 3 {
		return
	}
	switch n.Kind {
	case yaml.MappingNode:
		for k := 0; k+1 < len(n.Content); k += 2 {
			key, val := n.Content[k], unalias(n.Content[k+1])
			kp := ptr + "/" + escapePointer(key.Value)
			if isNull(val) {
				pos[kp] = p.nodePos(key)
				continue
			}
			pos[kp] = p.nodePos(val)
			keepPositions(p, val, kp, pos, depth+1)
		}
	case yaml.SequenceNode:
		for i, e := range n.Content {
			ep := ptr + "/" + strconv.Itoa(i)
			pos[ep] = p.nodePos(unalias(e))
			keepPositions(p, e, ep, pos, depth+1)
		}
	}
}

// order runs the checks across items, in timeline order.
func (l *loader) order(loaded, inOrder []*loadedItem) {
	var scratch Item
	c := checker{mode: checkScenario, line: func(ptr string) int { return posIn(loaded, ptr).line }}
	c.timelineOrder(len(inOrder), func(i int) (*Item, string, bool) {
		li := inOrder[i]
		return li.item(&scratch), li.ptr, li.bad
	})
	for _, fp := range c.out {
		l.add(posIn(loaded, fp.ptr), fp.ptr, fp.msg)
	}
}

// posIn is where a pointer into the timeline (/timeline/N/…) is, by the
// positions its item kept.
func posIn(loaded []*loadedItem, ptr string) yamlPos {
	rest, ok := strings.CutPrefix(ptr, "/timeline/")
	if !ok {
		return yamlPos{}
	}
	num, _, _ := strings.Cut(rest, "/")
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 || i >= len(loaded) || loaded[i] == nil {
		return yamlPos{}
	}
	return loaded[i].posOf(ptr)
}

// posOf is where a pointer into the item is: the deepest place kept.
func (li *loadedItem) posOf(ptr string) yamlPos {
	if li.pos == nil {
		li.keepPositions()
	}
	rest := strings.TrimPrefix(ptr, li.ptr)
	for rest != "" {
		if at, ok := li.pos[rest]; ok {
			return at
		}
		rest = rest[:max(strings.LastIndexByte(rest, '/'), 0)]
	}
	return li.pos[""]
}

// item is the item as decoded or, for a good one, as its event has it,
// made in scratch (empty for one that could not be decoded).
func (li *loadedItem) item(scratch *Item) *Item {
	switch {
	case li.it != nil:
		return li.it
	case li.bad:
		*scratch = Item{}
	default:
		*scratch = Item{At: &li.e.At, Source: li.e.Source, Text: li.e.Text}
		scratch.setBody(li.e.Body)
	}
	return scratch
}

// sortedItems are the items in timeline order: by at, file order kept.
func sortedItems(loaded []*loadedItem) []*loadedItem {
	out := slices.Clone(loaded)
	slices.SortStableFunc(out, func(a, b *loadedItem) int {
		return cmp.Compare(a.at(), b.at())
	})
	return out
}

func (li *loadedItem) at() time.Duration {
	if li.it == nil {
		return li.e.At
	}
	if li.it.At == nil {
		return 0
	}
	return *li.it.At
}

// build makes the scenario of a file with no problems.
func build(file string, f *ScenarioFile, inOrder []*loadedItem) *Scenario {
	sc := &Scenario{Name: Sanitize(scenarioName(file), MaxNameLen), Meta: f.Meta, HostGroups: f.HostGroups, Runbook: f.Runbook,
		Alerts: f.Alerts, Objectives: f.Objectives}
	for _, c := range f.Carriers {
		if c.Name == "" {
			c.Name = c.ID
		}
		sc.Carriers = append(sc.Carriers, c)
	}
	for _, t := range f.Topics {
		if t.Name == "" {
			t.Name = t.ID
		}
		sc.Topics = append(sc.Topics, t)
	}
	for _, c := range f.PromiseClasses {
		if c.Name == "" {
			c.Name = c.ID
		}
		sc.PromiseClasses = append(sc.PromiseClasses, c)
	}
	sc.Events = make([]Event, len(inOrder))
	for i, li := range inOrder {
		sc.Events[i] = li.e
	}
	return sc
}

// scenarioEvent is a good item as the event it is, with what a scenario
// leaves to its defaults filled in.
func scenarioEvent(it *Item, decl *declared) Event {
	if it.Source == "" {
		it.Source = "scenario"
	}
	if w := it.Warning; w != nil && w.Phase == "" {
		w.Phase = WarningIssued
	}
	if h := it.Hosts; h != nil && h.Total == 0 {
		h.Total = decl.totals[h.Group]
	}
	return it.event()
}

// event is a scenario's timeline item as an event.
func (it *Item) event() Event {
	e := Event{Source: it.Source, Text: it.Text, Body: it.Body()}
	if it.At != nil {
		e.At = *it.At
	}
	return e
}

// zeroTime is the origin of a scenario file's offsets: it has no absolute
// times but its start.
var zeroTime time.Time

// sanitizeStrings passes every string of v (a struct, and the structs and
// lists in it) through Sanitize, with no cap: a scenario is not a stream
// that can grow without bound, and cutting a long prompt would lose what
// its author wrote. changed is told of each string that changed.
func sanitizeStrings(v reflect.Value, ptr string, changed func(ptr, was, is string)) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); s != "" {
			if clean := Sanitize(s, 0); clean != s {
				changed(ptr, s, clean)
				v.SetString(clean)
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			sanitizeStrings(v.Elem(), ptr, changed)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			return
		}
		for _, f := range infoOf(v.Type()).fields {
			sanitizeStrings(v.FieldByIndex(f.index), ptr+"/"+f.name, changed)
		}
	case reflect.Slice:
		if v.Len() == 0 && !v.IsNil() {
			v.SetZero() // an empty list is no list
		}
		for i := range v.Len() {
			sanitizeStrings(v.Index(i), ptr+"/"+strconv.Itoa(i), changed)
		}
	}
}

// sanitize makes the top of the file safe to show, noting where text
// changed for the lint pass; each item is sanitised as it is read.
func (l *loader) sanitize(top *yamlPart, f *ScenarioFile) {
	sanitizeStrings(reflect.ValueOf(f).Elem(), "", func(ptr, was, is string) {
		l.changed = append(l.changed, l.textChanged(top.pos(ptr, false), ptr, was, is))
	})
}

// textChanged is the lint warning that sanitising changed text at ptr.
func (l *loader) textChanged(at yamlPos, ptr, was, is string) LintWarning {
	return LintWarning{File: l.file, Line: at.line, Col: at.col, Field: fieldPath(ptr),
		Message: Visible(fmt.Sprintf("terminal controls, invisible or width-disputed characters removed for display: %q becomes %q",
			excerpt(was, is), excerpt(is, was)))}
}

// sanitized are the warnings of sanitising, the top's and the items'.
func (l *loader) sanitized(loaded []*loadedItem) []LintWarning {
	out := slices.Clone(l.changed)
	for _, li := range loaded {
		out = append(out, li.changed...)
	}
	return out
}

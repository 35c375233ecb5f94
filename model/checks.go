package model

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The checks a format's types cannot say for themselves, in one place for
// both formats. A field's check tag says what it requires (required,
// present, min=, oneof=, id, items, ref=, unique=) and an enum type says its
// words (Values); the rest — one kind per event, counts within totals, a
// warning's phases, ids unique across the timeline, warnings issued before
// they are updated or acknowledged — is written out below.

// checkMode is how much a document is checked.
type checkMode int

const (
	// checkScenario is a scenario file: every rule, references to what it
	// declares included.
	checkScenario checkMode = iota
	// checkWire is a wire event from outside (a live source): every rule
	// of its form and its own consistency; what it refers to is the
	// room's concern (an event about an unknown group changes nothing).
	checkWire
	// checkNone is the journal's own events, read back: they were
	// accepted once and are taken as they are.
	checkNone
)

// declared is what a scenario declares, for its references.
type declared struct {
	ids    map[string]map[string]bool // a list of declarations (host_groups, carriers, …) → its ids
	totals map[string]int             // host group → its declared total
}

func (d *declared) list(section string) string {
	ids := make([]string, 0, len(d.ids[section]))
	for id := range d.ids[section] {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return " (none declared)"
	}
	sort.Strings(ids)
	if len(ids) > 8 {
		ids = append(ids[:8], "…")
	}
	return " (" + strings.Join(ids, ", ") + ")"
}

// refName is what a reference to a section of a scenario is called in
// messages: what the section's unique tag says it declares.
func refName(section string) string {
	ti := infoOf(reflect.TypeFor[ScenarioFile]())
	if i, ok := ti.byName[section]; ok {
		return ti.fields[i].checks.unique
	}
	return section
}

// checker runs the checks over a decoded document.
type checker struct {
	mode checkMode
	// sanitize makes each string safe to show before it is checked (a
	// wire event's; a scenario is sanitised on its own, with notes of what
	// changed).
	sanitize bool
	decl     *declared
	// members are the pointers of the members in the document; with raw
	// (a wire event) they are found when first asked for.
	members map[string]bool
	raw     []byte
	// doc is a scenario's part the document came from, which says
	// itself what it holds.
	doc  *yamlPart
	line func(ptr string) int // the line of a field, 0 when unknown
	// failed are the fields the decoder refused: already reported, and
	// not checked again (a total that is no integer is not also 0).
	failed map[string]bool
	out    []fieldProblem
}

// present reports whether a member was in the document.
func (c *checker) present(ptr string) bool {
	if c.doc != nil {
		return c.doc.has(ptr)
	}
	if c.members == nil && c.raw != nil {
		c.members = members(c.raw)
	}
	return c.members[ptr]
}

// later is whichever of two members comes later in the document; without
// the document, the first.
func (c *checker) later(a, b string) string {
	if c.raw != nil && locate(c.raw, b, true) > locate(c.raw, a, true) {
		return b
	}
	return a
}

// refused reports whether the decoder refused a field or what holds it.
func (c *checker) refused(ptr string) bool {
	for len(c.failed) > 0 {
		if c.failed[ptr] {
			return true
		}
		i := strings.LastIndexByte(ptr, '/')
		if i < 0 {
			return false
		}
		ptr = ptr[:i]
	}
	return false
}

// noteFailed records the fields of decode problems, and of the problems
// the YAML reader found with values it wrote (a string over the length
// limit stands in as empty): the checks leave them alone.
func (c *checker) noteFailed(fps []fieldProblem, read []yamlProblem) {
	if len(fps) == 0 && len(read) == 0 {
		return
	}
	c.failed = map[string]bool{}
	for _, fp := range fps {
		c.failed[fp.ptr] = true
	}
	for _, pr := range read {
		c.failed[pr.ptr] = true
	}
}

func (c *checker) add(ptr, format string, args ...any) {
	c.out = append(c.out, fieldProblem{ptr: ptr, msg: fmt.Sprintf(format, args...)})
}

// missing reports a required field that is absent, where its mapping is.
func (c *checker) missing(parent, ptr string, f *fieldInfo) {
	c.out = append(c.out, fieldProblem{ptr: ptr, at: parent, msg: "missing required field: expected " + expected(f, c.mode == checkScenario)})
}

// fields runs the tag checks of a struct's fields, and those of the
// structs inside it. A field's pointer is only made when it is needed: a
// good event costs no allocation here.
func (c *checker) fields(v reflect.Value, ptr string) {
	c.fieldsOf(v, infoOf(v.Type()), ptr)
}

// fieldsOf is fields of a struct whose type info is ti.
func (c *checker) fieldsOf(v reflect.Value, ti *typeInfo, ptr string) {
	for i := range ti.fields {
		f := &ti.fields[i]
		fv := f.value(v)
		if f.wire && c.mode == checkScenario && !fv.IsZero() {
			c.out = append(c.out, fieldProblem{ptr: ptr + "/" + f.name, key: true,
				msg: fmt.Sprintf("%s is the wire format's: a scenario's timeline items have at, source, text and one of %s", f.name, kindList(itemKinds(), true))})
			continue
		}
		c.field(fv, f, ptr)
	}
	if ti == alertRuleInfo() && v.CanAddr() && c.mode != checkNone {
		c.alertRule(v.Addr().Interface().(*AlertRule), ptr)
	}
}

// field runs one field's checks and goes inside it; parent is the
// pointer of what holds it.
func (c *checker) field(fv reflect.Value, f *fieldInfo, parent string) {
	if len(c.failed) > 0 && c.refused(parent+"/"+f.name) {
		return
	}
	if c.sanitize && fv.Kind() == reflect.String {
		sanitizeValue(fv, f.limit(), true) // checked as it will be shown: escapes alone are empty
	}
	ch := &f.checks
	if (ch.required || ch.present) && fv.IsZero() {
		ptr := parent + "/" + f.name
		if !c.present(ptr) {
			c.missing(parent, ptr, f)
			return
		}
		if ch.required && fv.Kind() == reflect.String && c.mode != checkNone {
			c.add(ptr, "must not be empty")
			return
		}
	}
	if c.mode == checkNone { // the form only: what the room accepted is taken as it is
		switch fv.Kind() {
		case reflect.Pointer, reflect.Struct, reflect.Slice:
		default:
			return
		}
	}
	switch fv.Kind() {
	case reflect.String:
		c.word(fv.String(), f, parent)
	case reflect.Int, reflect.Int64:
		if ch.min != nil && float64(fv.Int()) < *ch.min && (fv.Int() != 0 || c.present(parent+"/"+f.name)) {
			c.add(parent+"/"+f.name, "must be >= %s, got %d", fmtMin(*ch.min), fv.Int())
		}
	case reflect.Float64:
		if fv.Float() != 0 || c.present(parent+"/"+f.name) {
			c.number(fv.Float(), ch, parent, f)
		}
	case reflect.Pointer:
		if fv.IsNil() {
			return
		}
		switch e := fv.Elem(); {
		case e.Kind() == reflect.Float64:
			c.number(e.Float(), ch, parent, f)
		case e.Kind() == reflect.Int64 && c.mode != checkNone && ch.min != nil && float64(e.Int()) < *ch.min:
			c.add(parent+"/"+f.name, "must be >= %s, got %d", fmtMin(*ch.min), e.Int())
		case f.elem != nil:
			c.fieldsOf(e, f.elem, parent+"/"+f.name)
		}
	case reflect.Struct:
		if f.elem != nil {
			c.fieldsOf(fv, f.elem, parent+"/"+f.name)
		}
	case reflect.Slice:
		if fv.Len() == 0 {
			if !fv.IsNil() {
				fv.SetZero() // an empty list and none are the same
			}
			return
		}
		ptr := parent + "/" + f.name
		for i := range fv.Len() {
			e := fv.Index(i)
			if c.sanitize && e.Kind() == reflect.String {
				sanitizeValue(e, f.limit(), true) // a list freshly decoded: changed in place
			}
			switch {
			case f.elem != nil:
				c.fieldsOf(e, f.elem, ptr+"/"+strconv.Itoa(i))
			case e.Kind() == reflect.String && ch.items && e.String() == "" && c.mode != checkNone:
				c.add(ptr+"/"+strconv.Itoa(i), "must not be empty")
			case e.Kind() == reflect.String && ch.ref != "":
				c.ref(e.String(), ch.ref, ptr+"/"+strconv.Itoa(i))
			}
		}
		if ch.unique != "" && c.mode != checkNone {
			c.unique(fv, ptr, ch.unique)
		}
	}
}

var timeType = reflect.TypeFor[time.Time]()

func (c *checker) number(x float64, ch *fieldChecks, parent string, f *fieldInfo) {
	switch {
	case c.mode == checkNone:
	case math.IsNaN(x) || math.IsInf(x, 0):
		c.add(parent+"/"+f.name, "expected a finite number")
	case ch.min != nil && x < *ch.min:
		c.add(parent+"/"+f.name, "must be a number >= %s, got %s", fmtMin(*ch.min), strconv.FormatFloat(x, 'g', -1, 64))
	}
}

func fmtMin(m float64) string { return strconv.FormatFloat(m, 'f', -1, 64) }

// word checks a string field: one of its enum's words, an id's pattern, a
// reference to a declaration.
func (c *checker) word(s string, f *fieldInfo, parent string) {
	if s == "" {
		return
	}
	if words := f.words; len(words) > 0 && !slices.Contains(words, s) {
		c.add(parent+"/"+f.name, "unknown value %q: expected one of %s", s, strings.Join(words, ", "))
		return
	}
	if f.checks.id && !validGroupID(s) {
		what := cmp.Or(f.checks.idOf, "host group")
		c.add(parent+"/"+f.name, "bad %s id %q: expected lower-case letters, digits and '-' ([a-z0-9-]+)", what, s)
	}
	if ref := f.checks.ref; ref != "" {
		c.ref(s, ref, parent+"/"+f.name)
	}
}

// ref checks that a scenario's reference names an id declared under
// section.
func (c *checker) ref(s, section, ptr string) {
	if s != "" && c.mode == checkScenario && c.decl != nil && !c.decl.ids[section][s] {
		c.add(ptr, "unknown %s %q: expected an id declared under %s%s", refName(section), s, section, c.decl.list(section))
	}
}

func validGroupID(id string) bool {
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return id != ""
}

// unique checks that a list of declarations has each id once.
func (c *checker) unique(list reflect.Value, ptr, what string) {
	first := map[string]string{}
	for i := range list.Len() {
		id := list.Index(i).FieldByName("ID").String()
		if id == "" {
			continue
		}
		iptr := ptr + "/" + strconv.Itoa(i) + "/id"
		if at, dup := first[id]; dup {
			c.add(iptr, "duplicate %s id %q%s", what, id, c.firstAt(at, "first declared at"))
			continue
		}
		first[id] = iptr
	}
}

// firstAt is " (first … line N)" for a message, when the line is known.
func (c *checker) firstAt(ptr, words string) string {
	if l := c.lineOf(ptr); l > 0 {
		return fmt.Sprintf(" (%s line %d)", words, l)
	}
	return ""
}

// lineOf is the line of a field, 0 when unknown.
func (c *checker) lineOf(ptr string) int {
	if c.line == nil {
		return 0
	}
	return c.line(ptr)
}

// item checks one event: the tag checks, one kind, its time, and what a
// kind requires beyond its tags.
func (c *checker) item(it *Item, ptr string) {
	c.fields(reflect.ValueOf(it).Elem(), ptr)
	c.oneKind(reflect.ValueOf(it).Elem(), ptr, "event")
	if c.mode == checkScenario && it.At == nil && !c.present(ptr+"/at") {
		c.out = append(c.out, fieldProblem{ptr: ptr + "/at", at: ptr, msg: "missing required field: expected " + errOffset.Error()[len("expected "):]})
	}
	if it.At != nil && it.Time != nil {
		at := c.later(ptr+"/at", ptr+"/time")
		c.out = append(c.out, fieldProblem{ptr: at, key: true, msg: "both time and at: expected only one of them"})
	}
	if c.mode == checkNone {
		return
	}
	if h := it.Hosts; h != nil {
		c.hosts(h, ptr+"/hosts")
	}
	if w := it.Warning; w != nil {
		c.warning(w, ptr+"/warning")
	}
	if b := it.Backlog; b != nil {
		c.backlog(b, ptr+"/backlog")
	}
	if a := it.ActionItem; a != nil {
		c.actionItem(a, ptr+"/action_item")
	}
}

// backlog checks a backlog's late orders and its split by promise against
// its size: late within waiting, each class once and within itself, and
// the classes adding up to the whole.
func (c *checker) backlog(b *BacklogObservation, ptr string) {
	if b.Late != nil && *b.Late > b.Waiting && b.Waiting >= 0 {
		c.add(ptr+"/late", "late (%d) exceeds waiting (%d)", *b.Late, b.Waiting)
	}
	if len(b.Promise) == 0 {
		return
	}
	first := map[string]int{}
	var waiting, late int64
	for i, pc := range b.Promise {
		iptr := ptr + "/promise/" + strconv.Itoa(i)
		if j, dup := first[pc.Class]; dup && pc.Class != "" {
			c.add(iptr+"/class", "promise class %q given twice (first at promise[%d])", pc.Class, j)
		}
		first[pc.Class] = i
		if pc.Late > pc.Waiting && pc.Waiting >= 0 {
			c.add(iptr+"/late", "late (%d) exceeds this class's waiting (%d)", pc.Late, pc.Waiting)
		}
		waiting += pc.Waiting
		late += pc.Late
	}
	if waiting != b.Waiting {
		c.add(ptr+"/promise", "the promise classes' waiting sums to %d, not waiting (%d)", waiting, b.Waiting)
	}
	if b.Late != nil && late != *b.Late {
		c.add(ptr+"/promise", "the promise classes' late sums to %d, not late (%d)", late, *b.Late)
	}
}

// oneKind checks that v, an Item or an AlertRule, has exactly one of its
// fields tagged kind; what names them in messages ("event", "alert").
func (c *checker) oneKind(v reflect.Value, ptr, what string) {
	ti := infoOf(v.Type())
	var kinds []string
	refused := false
	for i := range ti.fields {
		f := &ti.fields[i]
		if f.kind == "" {
			continue
		}
		if !f.value(v).IsNil() {
			kinds = append(kinds, f.name)
		}
		refused = refused || len(c.failed) > 0 && c.refused(ptr+"/"+f.name)
	}
	switch {
	case len(kinds) == 0 && !refused:
		c.add(ptr, "no %s kind: expected exactly one of %s", what, kindList(ti, c.mode == checkScenario))
	case len(kinds) > 1:
		all := kindList(ti, c.mode == checkScenario)
		for _, k := range kinds[1:] {
			c.out = append(c.out, fieldProblem{ptr: ptr + "/" + k, key: true,
				msg: fmt.Sprintf("more than one %s kind (%s): expected exactly one of %s", what, strings.Join(kinds, ", "), all)})
		}
	}
}

// kindList lists a type's fields tagged kind; for a scenario, without
// the wire format's own.
func kindList(ti *typeInfo, scenario bool) string {
	var names []string
	for _, f := range ti.fields {
		if f.kind != "" && !(scenario && f.wire) {
			names = append(names, f.name)
		}
	}
	return strings.Join(names, ", ")
}

// hosts checks a host report's counts against its total: the report's
// own, or in a scenario the group's declared one.
func (c *checker) hosts(h *HostStatus, ptr string) {
	total := h.Total
	if total == 0 && c.decl != nil {
		total = c.decl.totals[h.Group]
	}
	switch {
	case total <= 0 || h.Recovered < 0 || h.Failed < 0:
	case h.Recovered > total:
		c.add(ptr+"/recovered", "recovered (%d) exceeds total (%d)", h.Recovered, total)
	case h.Failed > total-h.Recovered:
		c.add(ptr+"/failed", "recovered + failed (%d + %d) exceeds total (%d)", h.Recovered, h.Failed, total)
	}
	c.hostSteps(h, total, ptr+"/steps")
	if total > math.MaxInt32 || h.Recovered > math.MaxInt32 || h.Failed > math.MaxInt32 {
		c.add(ptr, "host counts above %d are not plausible", math.MaxInt32)
	}
}

// hostSteps checks that the hosts at the recovery steps and the hosts back
// are no more than the group has. Negative counts are the min=0 check's.
func (c *checker) hostSteps(h *HostStatus, total int, ptr string) {
	v, ti := reflect.ValueOf(&h.Steps).Elem(), infoOf(reflect.TypeFor[HostSteps]())
	sum := 0
	for i := range ti.fields {
		switch n := int(ti.fields[i].value(v).Int()); {
		case n < 0:
			return
		case n > math.MaxInt32:
			c.add(ptr, "step counts above %d are not plausible", math.MaxInt32)
			return
		default:
			sum += n
		}
	}
	if total <= 0 || h.Recovered < 0 || h.Recovered > total || sum <= total-h.Recovered {
		return
	}
	steps := make([]string, len(ti.fields))
	for i := range ti.fields {
		steps[i] = fmt.Sprintf("%s %d", ti.fields[i].name, ti.fields[i].value(v).Int())
	}
	c.add(ptr, "recovered + the steps (%d + %d: %s) exceeds total (%d)", h.Recovered, sum, strings.Join(steps, ", "), total)
}

// warning checks what a notice's phase requires: an issued one names its
// carrier, its severity and a headline.
func (c *checker) warning(w *CarrierWarning, ptr string) {
	if w.Phase != "" && w.Phase != WarningIssued {
		return
	}
	f := infoOf(reflect.TypeFor[CarrierWarning]())
	need := func(name string, empty bool) {
		fi := &f.fields[f.byName[name]]
		switch {
		case !empty:
		case !c.present(ptr + "/" + name):
			c.out = append(c.out, fieldProblem{ptr: ptr + "/" + name, at: ptr,
				msg: "missing required field: expected " + expected(fi, c.mode == checkScenario) + " (required when phase is issued)"})
		default:
			c.add(ptr+"/"+name, "must not be empty")
		}
	}
	need("carrier", w.Carrier == "")
	need("severity", w.Severity == "")
	need("headline", w.Headline == "")
}

// timelineOrder checks, in timeline order (items sorted by at, file order
// kept), that inject ids are unique, each warning is issued once, and
// updates, resolutions and acknowledgements follow its issue. item is
// the i'th of n items, its pointer in the file and whether it is bad; an
// item is not kept past the next call.
func (c *checker) timelineOrder(n int, item func(i int) (it *Item, ptr string, bad bool)) {
	injects := map[string]string{}
	issuedAt := map[string]time.Duration{}
	for i := range n {
		it, _, _ := item(i)
		if w := it.Warning; w != nil && (w.Phase == "" || w.Phase == WarningIssued) && w.ID != "" && it.At != nil {
			if _, seen := issuedAt[w.ID]; !seen {
				issuedAt[w.ID] = *it.At
			}
		}
	}
	issued := map[string]string{}
	for i := range n {
		it, ptr, bad := item(i)
		if bad {
			// Reported already: its warning counts as issued, so that
			// one bad item does not cause a cascade of problems.
			if w := it.Warning; w != nil && (w.Phase == "" || w.Phase == WarningIssued) && w.ID != "" {
				if _, seen := issued[w.ID]; !seen {
					issued[w.ID] = ptr + "/warning/id"
				}
			}
			continue
		}
		if in := it.Inject; in != nil && in.ID != "" {
			if first, dup := injects[in.ID]; dup {
				c.add(ptr+"/inject/id", "duplicate inject id %q%s", in.ID, c.firstAt(first, "first at"))
			} else {
				injects[in.ID] = ptr + "/inject/id"
			}
		}
		id, what, idPtr := "", "", ""
		switch {
		case it.Warning != nil:
			id, what, idPtr = it.Warning.ID, string(it.Warning.Phase), ptr+"/warning/id"
		case it.Ack != nil:
			id, what, idPtr = it.Ack.Warning, "acknowledged", ptr+"/ack/warning"
		default:
			continue
		}
		if id == "" || it.At == nil {
			continue
		}
		if what == "" || what == string(WarningIssued) {
			if it.Ack == nil {
				if first, dup := issued[id]; dup {
					at := ""
					if l := c.lineOf(first); l > 0 {
						at = fmt.Sprintf(" at line %d", l)
					}
					c.add(idPtr, "duplicate warning id %q: already issued%s", id, at)
				} else {
					issued[id] = idPtr
				}
				continue
			}
		}
		if _, ok := issued[id]; ok {
			continue
		}
		if at, later := issuedAt[id]; later {
			c.add(idPtr, "warning %q is %s at %s, before it is issued at %s", id, what, FormatOffset(*it.At), FormatOffset(at))
		} else {
			c.add(idPtr, "warning %q is %s but never issued earlier in the timeline", id, what)
		}
	}
}

// alertRuleInfo is the type info of AlertRule, whose kinds are its fields
// tagged kind.
func alertRuleInfo() *typeInfo { return infoOf(reflect.TypeFor[AlertRule]()) }

// alertRule checks what an alert rule needs beyond its tags: exactly one
// kind, and spans of at least a minute (rules are evaluated once a minute).
func (c *checker) alertRule(r *AlertRule, ptr string) {
	c.oneKind(reflect.ValueOf(r).Elem(), ptr, "alert")
	span := func(kind, field string, d time.Duration, optional bool) {
		fptr := ptr + "/" + kind + "/" + field
		if d >= minAlertDuration || optional && d == 0 && !c.present(fptr) || c.refused(fptr) {
			return
		}
		if d == 0 && !c.present(fptr) {
			return // missing: the tag check said so
		}
		c.add(fptr, "must be at least 1m (rules are evaluated once a minute), got %s", d)
	}
	switch {
	case r.BacklogGrowing != nil:
		span("backlog_growing", "for", r.BacklogGrowing.For, false)
	case r.ETASlip != nil:
		span("eta_slip", "by", r.ETASlip.By, false)
		span("eta_slip", "window", r.ETASlip.Window, true)
	case r.ComplaintSpike != nil:
		span("complaint_spike", "window", r.ComplaintSpike.Window, true)
		span("complaint_spike", "baseline", r.ComplaintSpike.Baseline, true)
	case r.SourceStale != nil:
		span("source_stale", "for", r.SourceStale.For, false)
	case r.HostsStalled != nil:
		span("hosts_stalled", "for", r.HostsStalled.For, false)
	}
}

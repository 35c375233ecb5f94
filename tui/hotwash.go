package tui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/warroom/warroom/model"
)

// commandHelpHotWash is the hot wash's commands: what the team found and
// the improvement plan (any responder). Their tags (#objective, #F2 for a
// finding) are in the usage each prints and on the empty hot wash.
const commandHelpHotWash = ":strength TEXT · :improve TEXT · :action TEXT @owner due DATE · :hotwash"

// commandHelpHotWashFacilitator is the facilitator's hot-wash commands,
// for the help.
const commandHelpHotWashFacilitator = ":observe TEXT · :comment [#inject] TEXT · :inject TITLE — PROMPT [| expected action]"

// hotWashCommands are the command names hotWashCommand takes.
var hotWashCommands = map[string]bool{
	"observe": true, "obs": true, "strength": true, "improve": true, "improvement": true,
	"action": true, "comment": true, "inject": true, "hotwash": true, "hot-wash": true,
}

// hotWashCommand runs one of the hot wash's commands; false when name is
// not one of them.
func (a *app) hotWashCommand(name, arg string) bool {
	name = strings.ToLower(name)
	if !hotWashCommands[name] {
		return false
	}
	switch name {
	case "hotwash", "hot-wash":
		a.openDebrief()
		a.debrief.toHotWash = true
		a.info("hot wash: " + commandHelpHotWash)
	case "strength":
		a.finding(model.FindingStrength, arg)
	case "improve", "improvement":
		a.finding(model.FindingImprovement, arg)
	case "action":
		a.actionItem(arg)
	case "observe", "obs":
		a.observe(arg)
	case "comment":
		a.scoreComment(arg)
	case "inject":
		a.adHocInject(arg)
	}
	return true
}

// facilitatorOnly tells a player that a command is not theirs; it reports
// whether the console is the facilitator's.
func (a *app) facilitatorOnly(what string) bool {
	if a.facilitator() {
		return true
	}
	a.fail(what + " is the facilitator's")
	return false
}

// tagged is a command's text with its tags taken out: #objective (or
// #F2, a finding), @owner and "due DATE" (a word starting with a digit:
// the room says whether it is a date).
type tagged struct {
	text, objective, finding, owner, due string
	dueGiven                             bool
}

var findingTag = regexp.MustCompile(`^[Ff][1-9][0-9]*$`)

// parseTags splits a command's argument into its text and its tags. A
// finding's number is told from an objective's id by the hot wash's
// findings: #f2 is a finding only when there is one and no objective f2.
func parseTags(arg string, hw *model.HotWashLog) tagged {
	var t tagged
	var words []string
	fields := strings.Fields(arg)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		switch {
		case strings.HasPrefix(f, "#") && len(f) > 1:
			id := f[1:]
			if _, isObjective := hw.Objective(id); !isObjective && findingTag.MatchString(id) {
				t.finding = strings.ToUpper(id)
			} else {
				t.objective = id
			}
		case strings.HasPrefix(f, "@") && len(f) > 1:
			t.owner = f[1:]
		case strings.EqualFold(f, "due") && i+1 < len(fields) && startsWithDigit(fields[i+1]): // "due soon" is words
			t.due, t.dueGiven = fields[i+1], true
			i++
		default:
			words = append(words, f)
		}
	}
	t.text = strings.Join(words, " ")
	return t
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// findingTags splits a strength's or an area for improvement's argument
// into its text and its #objective: a finding takes no owner, due date or
// finding, so "@ana kept the timeline" or "#F2 again" stays text as typed
// rather than losing words.
func findingTags(arg string, hw *model.HotWashLog) (text, objective string) {
	var words []string
	for _, f := range strings.Fields(arg) {
		if id, ok := strings.CutPrefix(f, "#"); ok && id != "" && objective == "" {
			if _, isObjective := hw.Objective(id); isObjective || !findingTag.MatchString(id) {
				objective = id
				continue
			}
		}
		words = append(words, f)
	}
	return strings.Join(words, " "), objective
}

func (a *app) finding(kind model.FindingKind, arg string) {
	text, objective := findingTags(arg, &a.snap.State.HotWash)
	word := map[model.FindingKind]string{model.FindingStrength: "strength", model.FindingImprovement: "improve"}[kind]
	if text == "" {
		a.fail("usage: :" + word + " TEXT [#objective]")
		return
	}
	if a.act(model.Finding{Type: kind, Text: text, Objective: objective, By: a.responder()}) {
		hw := &a.snap.State.HotWash
		id := "?"
		if n := len(hw.Findings); n > 0 {
			id = hw.Findings[n-1].ID
		}
		what := "strength"
		if kind == model.FindingImprovement {
			what = "area for improvement"
		}
		a.info(fmt.Sprintf("%s %s recorded · :action TEXT @owner due YYYY-MM-DD #%s plans what to do about it", what, id, id))
	}
}

func (a *app) actionItem(arg string) {
	t := parseTags(arg, &a.snap.State.HotWash)
	switch {
	case t.text == "" || t.owner == "" || !t.dueGiven:
		a.fail("usage: :action TEXT @owner due 2024-08-02 [#objective] [#F2] (@comms_lead is \"comms lead\")")
		return
	}
	owner := strings.ReplaceAll(t.owner, "_", " ") // @comms_lead: a name of several words
	if a.act(model.ActionItem{Text: t.text, Owner: owner, Due: t.due, Objective: t.objective, Finding: t.finding, By: a.responder()}) {
		a.info(fmt.Sprintf("action item %d: %s, due %s", len(a.snap.State.HotWash.ActionItems), clean(owner), clean(t.due)))
	}
}

func (a *app) observe(arg string) {
	if !a.facilitatorOnly("an observation") {
		return
	}
	text := strings.TrimSpace(arg)
	if text == "" {
		a.fail("usage: :observe TEXT")
		return
	}
	in, _ := a.snap.State.CurrentInject()
	if a.act(model.Observation{Text: text, Inject: in.ID, By: a.responder()}) {
		on := ""
		if in.ID != "" {
			on = " on " + clean(in.Title)
		}
		a.info("observation recorded" + on + " (facilitator only until the hot wash)")
	}
}

// scoreComment is :comment [#inject] TEXT: the current inject's, or the
// named one's.
func (a *app) scoreComment(arg string) {
	if !a.facilitatorOnly("a score comment") {
		return
	}
	arg = strings.TrimSpace(arg)
	in, ok := a.snap.State.CurrentInject()
	if first, rest, _ := strings.Cut(arg, " "); strings.HasPrefix(first, "#") {
		in, ok = a.snap.State.InjectByID(first[1:])
		if !ok {
			a.fail(fmt.Sprintf("there is no inject %q", clean(first[1:])))
			return
		}
		arg = strings.TrimSpace(rest)
	}
	switch {
	case arg == "":
		a.fail("usage: :comment [#inject] TEXT")
		return
	case !ok:
		a.fail("no inject delivered yet: name one, :comment #inject TEXT")
		return
	}
	if a.act(model.ScoreComment{Inject: in.ID, Text: arg, By: a.responder()}) {
		a.info("score comment on " + clean(in.Title))
	}
}

// adHocInject is :inject TITLE — PROMPT | expected | …: an inject of the
// facilitator's own, delivered now and scored like the scenario's.
func (a *app) adHocInject(arg string) {
	if !a.facilitatorOnly("adding an inject") {
		return
	}
	parts := strings.Split(arg, "|")
	head := strings.TrimSpace(parts[0])
	title, prompt, ok := cutDash(head)
	if !ok || title == "" || prompt == "" {
		a.fail("usage: :inject TITLE — PROMPT [| expected action | …] (a dash between title and prompt)")
		return
	}
	var expected []string
	for _, p := range parts[1:] {
		if p = strings.TrimSpace(p); p != "" {
			expected = append(expected, p)
		}
	}
	id := a.adHocID()
	if a.act(model.Inject{ID: id, Title: title, Prompt: prompt, Expected: expected}) {
		a.info(fmt.Sprintf("inject %s delivered now: %s", id, clean(title)))
	}
}

// cutDash splits "TITLE — PROMPT" at its first dash between words: an em
// or en dash, or " - " and " -- " for keyboards without one.
func cutDash(s string) (title, prompt string, ok bool) {
	for _, sep := range []string{"—", "–", " -- ", " - "} {
		if t, p, found := strings.Cut(s, sep); found {
			return strings.TrimSpace(t), strings.TrimSpace(p), true
		}
	}
	return "", "", false
}

// adHocID is the first id adhoc-N no inject has.
func (a *app) adHocID() string {
	for n := 1; ; n++ {
		id := "adhoc-" + strconv.Itoa(n)
		if _, taken := a.snap.State.InjectByID(id); !taken {
			return id
		}
	}
}

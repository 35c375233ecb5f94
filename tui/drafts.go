package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/report"
)

// Drafts is the status-update drafts a console offers (report's
// templates, named here so that a server needs only this package).
type Drafts = report.Templates

// draftsOverlay is c: the status updates an incident sends (customers,
// sellers, leadership, carriers), each filled with the room's figures and
// edited in place. A draft nobody edited follows the figures as the room
// moves; an edited one keeps its text until r fills it again. y copies
// the draft to the clipboard (OSC 52), s records it as sent.
type draftsOverlay struct {
	sel     int
	editing bool
	area    textarea.Model    // the draft while it is edited
	pg      pager             // the draft while it is read
	drafts  map[string]*draft // by template name, while the console runs
	err     string            // a template that failed to fill
}

// draft is one draft's text and where it came from.
type draft struct {
	text     string
	edited   bool
	filledAt string // T+hh:mm the figures were taken at
	fillKey  draftFillKey
}

// draftFillKey is what a draft's figures are built from: a draft not
// edited is filled again when it changes.
type draftFillKey struct {
	seq  uint64
	name string
}

// newDraftArea is the editor: no line numbers, no prompt, no colours of
// its own (the console's styles are per session; the textarea's would be
// the process's), a cursor that does not blink (a blink would tick), and
// no ctrl+v, which would read the clipboard of the machine the console
// runs on, not the user's.
func newDraftArea() textarea.Model {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.CharLimit = model.MaxTextLen
	ta.MaxHeight = 0
	ta.FocusedStyle, ta.BlurredStyle = textarea.Style{}, textarea.Style{}
	ta.Cursor.SetMode(cursor.CursorStatic)
	ta.KeyMap.Paste.SetEnabled(false)
	return ta
}

// templates is the drafts this console offers.
func (a *app) templates() []report.Template {
	if a.opts.Drafts == nil {
		return nil
	}
	return a.opts.Drafts.List()
}

// openDrafts is c.
func (a *app) openDrafts() {
	if len(a.templates()) == 0 {
		a.fail("no status-update drafts: this console was started without templates")
		return
	}
	if a.drafts.drafts == nil {
		a.drafts.drafts = map[string]*draft{}
		a.drafts.area = newDraftArea()
	}
	a.overlay = overlayDrafts
	a.drafts.editing = false
	a.drafts.area.Blur()
	a.drafts.show(a)
	a.info("drafts: enter edits · y copies to your clipboard · s records it sent · esc closes")
}

// current is the selected template.
func (o *draftsOverlay) current(a *app) report.Template {
	ts := a.templates()
	o.sel = min(max(o.sel, 0), len(ts)-1)
	return ts[o.sel]
}

// show puts the selected draft in the editor, filled again first unless
// it was edited.
func (o *draftsOverlay) show(a *app) {
	t := o.current(a)
	d := o.fill(a, t)
	if o.area.Value() != d.text {
		o.area.SetValue(d.text)
		o.toTop()
	}
}

// toTop puts the editor's cursor, and its view, at the draft's start
// (textarea leaves them where SetValue ended).
func (o *draftsOverlay) toTop() {
	focused := o.area.Focused()
	o.area.Focus()
	o.area, _ = o.area.Update(tea.KeyMsg{Type: tea.KeyCtrlHome})
	if !focused {
		o.area.Blur()
	}
}

// fill is t's draft, filled with the figures of the snapshot shown unless
// edited.
func (o *draftsOverlay) fill(a *app, t report.Template) *draft {
	d := o.drafts[t.Name]
	if d == nil {
		d = &draft{}
		o.drafts[t.Name] = d
	}
	k := draftFillKey{a.snap.Seq, t.Name}
	if d.edited || d.fillKey == k {
		return d
	}
	s := &a.snap
	text, err := t.Render(report.BuildFigures(s.Scenario, &s.State, a.responder()))
	if err != nil {
		o.err = err.Error()
		text = ""
	} else {
		o.err = ""
	}
	d.text, d.fillKey, d.filledAt = text, k, model.FormatOffset(s.State.Now)
	return d
}

// refresh follows the room: the selected draft, unless edited, takes the
// new figures.
func (o *draftsOverlay) refresh(a *app) {
	if !o.editing {
		o.show(a)
	}
}

// draftsKeyMsg handles keys while the drafts are open. Editing, every key
// but esc goes to the editor, typed or pasted runes whole: a burst of
// typing over SSH lands as typed.
func (a *app) draftsKeyMsg(msg tea.KeyMsg) tea.Cmd {
	o := &a.drafts
	if o.editing {
		return a.draftsEdit(msg)
	}
	if msg.Alt && !msg.Paste { // esc and a key read together: close, then the key
		a.overlay = overlayNone
		msg.Alt = false
		return a.handleKey(msg)
	}
	k := &a.keys
	ts := a.templates()
	switch {
	case !msg.Paste && msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && o.scrollBurst(msg.Runes, k):
		// j held down over SSH: each scrolls, as pressed one by one
	case msg.Paste || (msg.Type == tea.KeyRunes && len(msg.Runes) > 1):
		a.info("press enter to edit the draft, then type or paste")
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Back), key.Matches(msg, k.Drafts):
		a.overlay = overlayNone
	case key.Matches(msg, k.FocusNext):
		o.pick(a, (o.sel+1)%len(ts))
	case key.Matches(msg, k.FocusPrev):
		o.pick(a, (o.sel+len(ts)-1)%len(ts))
	case o.pg.key(msg, k): // scrolls the draft
	case msg.Type == tea.KeyRunes && len(msg.Runes) == 1 && msg.Runes[0] >= '1' && msg.Runes[0] <= '9':
		if i := int(msg.Runes[0] - '1'); i < len(ts) {
			o.pick(a, i)
		}
	case key.Matches(msg, k.Zoom), key.Matches(msg, k.DraftEdit):
		o.editing = true
		o.area.Focus()
		a.info("editing " + clean(o.current(a).Title) + " · esc when done")
	case key.Matches(msg, k.DraftCopy):
		a.copyDraft()
	case key.Matches(msg, k.DraftSent):
		a.sendDraft()
	case key.Matches(msg, k.DraftRefill):
		d := o.drafts[o.current(a).Name]
		d.edited, d.fillKey = false, draftFillKey{}
		o.pg.top = 0
		o.show(a)
		a.info("filled again with the figures at " + d.filledAt)
	}
	return nil
}

// scrollBurst scrolls the draft by each of runes when every one is a
// scrolling key, and reports whether it did: any other key in a burst
// could be text typed before enter, so none of it acts.
func (o *draftsOverlay) scrollBurst(runes []rune, k *KeyMap) bool {
	one := func(r rune) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}} }
	for _, r := range runes {
		if !key.Matches(one(r), k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom) {
			return false
		}
	}
	for _, r := range runes {
		o.pg.key(one(r), k)
	}
	return true
}

// pick selects draft i, keeping what the last one was edited to.
func (o *draftsOverlay) pick(a *app, i int) {
	o.keep(a)
	o.sel = i
	o.pg.top = 0
	o.show(a)
}

// keep records the editor's text as the selected draft's.
func (o *draftsOverlay) keep(a *app) {
	d := o.drafts[o.current(a).Name]
	if v := o.area.Value(); v != d.text {
		d.text, d.edited = v, true
	}
}

// draftsEdit is a key while editing: esc ends editing, the rest edits.
// Typed and pasted text is sanitised before it reaches the editor, so that
// what it shows, copies and sends is text and never terminal control.
func (a *app) draftsEdit(msg tea.KeyMsg) tea.Cmd {
	o := &a.drafts
	if msg.Type == tea.KeyEsc || (msg.Alt && !msg.Paste && !editorAltKey(&o.area.KeyMap, msg)) {
		o.editing = false
		o.area.Blur()
		o.keep(a)
		a.info("y copies · s marks it sent · r fills it again")
		if msg.Type == tea.KeyEsc {
			return nil
		}
		msg.Alt = false // esc and a key read together: the key acts next
		return a.draftsKeyMsg(msg)
	}
	if msg.Type == tea.KeyRunes || msg.Paste {
		text := strings.ReplaceAll(string(msg.Runes), "\r\n", "\n")
		text = model.Sanitize(strings.ReplaceAll(text, "\r", "\n"), 0)
		if text == "" {
			return nil
		}
		msg.Runes = []rune(text)
	}
	var cmd tea.Cmd
	o.area, cmd = o.area.Update(msg)
	o.keep(a)
	return cmd
}

// editorAltKey reports whether an alt key is one of the editor's own
// (word moves and deletions, case changes, start and end): any other is
// esc and a key read together.
func editorAltKey(km *textarea.KeyMap, msg tea.KeyMsg) bool {
	return key.Matches(msg, km.WordForward, km.WordBackward, km.DeleteWordForward, km.DeleteWordBackward,
		km.InputBegin, km.InputEnd, km.UppercaseWordForward, km.LowercaseWordForward, km.CapitalizeWordForward)
}

// draftText is the selected draft as it would go out.
func (o *draftsOverlay) draftText(a *app) string {
	o.keep(a)
	return model.Sanitize(o.area.Value(), model.MaxTextLen)
}

// sendDraft records the selected draft as sent by this console's member,
// with its full text: a comms-sent action, in the timeline and the
// journal. Observers are refused by the room.
func (a *app) sendDraft() {
	o := &a.drafts
	t := o.current(a)
	text := o.draftText(a)
	if strings.TrimSpace(text) == "" {
		a.fail("the draft is empty: nothing to send")
		return
	}
	if a.act(model.CommsSent{Template: t.Name, Audience: t.Audience, Text: text}) {
		a.info("recorded " + clean(t.Title) + " as sent by " + clean(a.member().Name) + " at " + model.FormatOffset(a.snap.Clock))
	}
}

// lastSent is when t's draft was last recorded as sent, and by whom.
func lastSent(s *model.State, name string) (model.SentUpdate, bool) {
	for i := len(s.Sent) - 1; i >= 0; i-- {
		if s.Sent[i].Template == name {
			return s.Sent[i], true
		}
	}
	return model.SentUpdate{}, false
}

// view is the drafts filling the panes' area: the drafts to pick from,
// whom the selected one goes to and when it was filled, and the editor.
func (o *draftsOverlay) view(a *app, lay layout) []string {
	st := a.st
	ts := a.templates()
	t := o.current(a)
	w, h := a.w, lay.panesH
	cw := max(w-4, 1)
	if !o.editing {
		o.show(a)
	}

	var tabs []string
	for i, tt := range ts {
		label := itoa(i+1) + " " + tt.Name
		if i == o.sel {
			tabs = append(tabs, st.Selected.on("["+label+"]"))
		} else {
			tabs = append(tabs, " "+label+" ")
		}
	}
	body := []string{trunc(strings.Join(tabs, " "), cw)}

	d := o.drafts[t.Name]
	info := []string{}
	if t.Audience != "" {
		info = append(info, "to "+clean(t.Audience))
	}
	if d.edited {
		info = append(info, "edited (r refills)")
	} else {
		info = append(info, "figures at "+d.filledAt)
	}
	if u, ok := lastSent(&a.snap.State, t.Name); ok {
		info = append(info, "sent "+model.FormatOffset(u.At)+" by "+clean(u.By))
	} else {
		info = append(info, "not sent yet")
	}
	body = append(body, st.Dim.on(trunc(strings.Join(info, " · "), cw)))
	if o.err != "" {
		body = append(body, st.Error.on(trunc("✗ "+clean(o.err), cw)))
	}
	areaH := max(h-2-len(body), 1)
	o.area.SetWidth(cw)
	o.area.SetHeight(areaH)
	corner := "editing · esc done"
	if o.editing {
		body = append(body, strings.Split(o.area.View(), "\n")...)
	} else {
		o.pg.set(wrap(cleanBlock(o.area.Value()), cw), areaH)
		body = append(body, o.pg.view()...)
		corner = "enter edit · y copy · s sent · r refill · 1-" + itoa(len(ts)) + " pick · esc"
		if o.pg.more() {
			corner = o.pg.where() + " j/k · " + corner
		}
	}
	return st.box(boxSpec{name: "Drafts", extra: "— " + t.Title, corner: corner, focused: true}, body, w, h)
}

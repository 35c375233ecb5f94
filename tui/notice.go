package tui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
)

// notice is the carrier notice overlay: the full warning in a scrollable
// viewport. It refers to the warning by id, so updates to it show while open.
type notice struct {
	id     string
	vp     viewport.Model
	key    [4]int // Rev.Warnings, Epoch, width, height
	bw, bh int
}

func (a *app) openNotice() {
	a.carriers.sync(&a.snap)
	w, ok := a.carriers.selected(&a.snap)
	if !ok {
		a.fail("no warning selected")
		return
	}
	a.showNotice(w.ID)
}

// showNotice opens the notice of warning id.
func (a *app) showNotice(id string) {
	if a.overlay == overlayNotice && a.notice.id == id {
		return
	}
	a.notice = notice{id: id, vp: viewport.New(1, 1)}
	a.overlay = overlayNotice
	a.notice.refresh(a)
}

// size is the overlay box for the current layout.
func (n *notice) size(a *app) (bw, bh int) {
	lay := a.layout()
	return max(min(a.w-4, 96), 20), max(lay.panesH-2, 5)
}

// refresh rebuilds the content when the warning or the size changed,
// keeping the scroll position.
func (n *notice) refresh(a *app) {
	s := &a.snap
	bw, bh := n.size(a)
	k := [4]int{s.State.Rev.Warnings, s.State.Epoch, bw, bh}
	if k == n.key && n.bw > 0 {
		return
	}
	n.key, n.bw = k, bw
	n.vp.Width, n.vp.Height = bw-4, bh-2
	w, ok := s.State.Warning(n.id)
	if !ok { // stepped back to before it was issued
		n.vp.SetContent("this warning is not in the replay at this time")
		n.vp.Height, n.bh = 1, 3
		return
	}
	off := n.vp.YOffset
	n.vp.SetContent(noticeText(a, w, bw-4))
	// A short notice gets a short box.
	n.vp.Height = min(n.vp.Height, n.vp.TotalLineCount())
	n.bh = n.vp.Height + 2
	n.vp.SetYOffset(off)
}

// noticeText is the whole notice, wrapped to w.
func noticeText(a *app, w model.Warning, width int) string {
	st, sc := a.st, a.snap.Scenario
	ts := func(d time.Duration) string {
		return model.FormatOffset(d) + " (" + st.wallStamp(sc.WallTime(d)) + ")"
	}
	var b strings.Builder
	for _, l := range wrap(clean(w.Headline), width) {
		b.WriteString(st.Bold.on(l) + "\n")
	}
	b.WriteString("\n")
	state := "open, " + st.Bad.on("! not acknowledged")
	switch {
	case w.Resolved:
		state = st.Dim.on("✔ resolved")
	case w.Acked:
		state = "open, " + st.Good.on("✓ acknowledged by "+clean(w.AckedBy)) + " at " + model.FormatOffset(w.AckedAt)
	}
	rows := [][2]string{
		{"Carrier", clean(w.CarrierName)},
		{"Severity", st.sev(w.Severity, sevWord(w.Severity))},
		{"Region", clean(w.Region)},
		{"State", state},
		{"Issued", ts(w.IssuedAt)},
		{"Updated", ts(w.UpdatedAt) + updates(w.Updates)},
	}
	if w.Resolved {
		rows = append(rows, [2]string{"Resolved", ts(w.ResolvedAt)})
	}
	for _, r := range rows {
		b.WriteString(st.Dim.on(fit(r[0], 9)) + " " + r[1] + "\n")
	}
	b.WriteString("\n")
	for _, para := range strings.Split(cleanBlock(w.Body), "\n") {
		for _, l := range wrap(para, width) {
			b.WriteString(l + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func updates(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " · 1 update"
	}
	return " · " + itoa(n) + " updates"
}

// overlayKey handles keys while an overlay is open: esc, q or the key that
// opened it close it; a acknowledges the notice; the rest scrolls.
func (a *app) overlayKey(msg tea.KeyMsg) tea.Cmd {
	switch a.overlay {
	case overlayInject:
		return a.injectKeyMsg(msg)
	case overlayDebrief:
		return a.debriefKeyMsg(msg)
	case overlaySources:
		return a.sourcesKeyMsg(msg)
	case overlayWho:
		return a.whoKeyMsg(msg)
	case overlayAlerts:
		return a.alertsKeyMsg(msg)
	}
	k := &a.keys
	switch {
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Back), a.overlay == overlayHelp && key.Matches(msg, k.Help):
		a.overlay = overlayNone
		return nil
	case a.overlay == overlayNotice && key.Matches(msg, k.Ack):
		if w, ok := a.snap.State.Warning(a.notice.id); ok {
			a.ackWarning(w)
		}
		return nil
	case a.overlay == overlayNotice:
		var cmd tea.Cmd
		a.notice.vp, cmd = a.notice.vp.Update(msg)
		return cmd
	case a.overlay == overlayHelp:
		a.helpPg.key(msg, k)
	}
	return nil
}

// view is the notice in its box.
func (n *notice) view(a *app, lay layout) []string {
	n.refresh(a)
	w, _ := a.snap.State.Warning(n.id)
	corner := "esc close · a ack · j/k scroll"
	if n.vp.TotalLineCount() > n.vp.Height {
		corner = itoa(int(n.vp.ScrollPercent()*100)) + "% · " + corner
	}
	body := strings.Split(n.vp.View(), "\n")
	return a.st.box(boxSpec{
		name: "Carrier notice", extra: clean(w.CarrierName) + " " + sevWord(w.Severity),
		corner: corner, focused: true,
	}, body, n.bw, min(n.bh, lay.panesH))
}

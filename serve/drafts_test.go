package serve

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/report"
	"github.com/warroom/warroom/room"
)

// TestDraftsOverSSH: a member's y puts the draft on their own terminal's
// clipboard, the OSC 52 sequence wrapped for tmux because their TERM says
// so, written to their session and not to the server's output; s records
// it as sent by them; an observer's s is refused.
func TestDraftsOverSSH(t *testing.T) {
	bo := newMember(t, "bo", room.RoleResponder)
	cy := newMember(t, "cy", room.RoleObserver)
	r := defaultRoom(t, 12*time.Hour)
	srv := startServer(t, r, teamOf(t, bo, cy))
	ts, err := report.LoadTemplates(fixtures.Templates(), fixtures.TemplatesDir, "")
	if err != nil {
		t.Fatal(err)
	}
	srv.drafts = ts

	boC := connect(t, srv, bo, clientOpts{term: "tmux-256color"})
	cyC := connect(t, srv, cy, clientOpts{})
	boC.waitText("you are bo")
	cyC.waitText("you are cy")
	boC.pressEach("c2")
	boC.waitText("[2 seller]")
	boC.pressEach("y")
	boC.waitText("copied Seller notice")

	seq := regexp.MustCompile(`\x1bPtmux;\x1b\x1b\]52;c;([A-Za-z0-9+/=]+)\x07\x1b\\`).FindSubmatch(boC.view.received())
	if seq == nil {
		t.Fatal("no tmux-wrapped OSC 52 sequence reached bo's terminal")
	}
	text, err := base64.StdEncoding.DecodeString(string(seq[1]))
	if err != nil {
		t.Fatal(err)
	}
	s := r.Snapshot()
	seller, _ := ts.Get("seller")
	want, err := seller.Render(report.BuildFigures(s.Scenario, &s.State, "bo"))
	if err != nil {
		t.Fatal(err)
	}
	if string(text) != want {
		t.Errorf("bo's clipboard gets %q…, want the seller draft %q…", text[:min(60, len(text))], want[:60])
	}
	if strings.Contains(string(cyC.view.received()), "]52;") {
		t.Error("cy's terminal got bo's clipboard")
	}

	cyC.pressEach("c2s")
	cyC.waitText("observer")
	boC.pressEach("s")
	boC.waitText("sent T+12:00 by bo")
	sent := r.Snapshot().State.Sent
	if len(sent) != 1 || sent[0].By != "bo" || sent[0].Text != want {
		t.Errorf("sent updates %+v", sent)
	}
	for _, e := range r.Snapshot().State.Timeline {
		if e.Kind == model.KindCommsSent && e.Source != "responder:bo" {
			t.Errorf("timeline line %+v", e)
		}
	}
}

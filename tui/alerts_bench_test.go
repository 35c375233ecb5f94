package tui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// BenchmarkViewPlayingAlerts is BenchmarkViewPlaying with a rule of each
// kind that the large scenario fires (carrier warnings open throughout,
// the backlog falling after T+14h, complaints steady).
func BenchmarkViewPlayingAlerts(b *testing.B) {
	sc := largeScenario()
	sc.Alerts = []model.AlertRule{
		{ID: "growing", BacklogGrowing: &model.BacklogGrowingRule{For: 30 * time.Minute}},
		{ID: "slip", ETASlip: &model.SlipRule{By: time.Hour}},
		{ID: "major", CarrierWarning: &model.CarrierWarningRule{Severity: model.SeverityMajor}},
		{ID: "spike", ComplaintSpike: &model.ComplaintSpikeRule{Factor: 1.5}},
		{ID: "stalled", HostsStalled: &model.HostsStalledRule{For: 2 * time.Hour}},
	}
	r := room.New(sc)
	b.Cleanup(r.Close)
	s := r.Seek(40 * time.Hour)
	a := New(r, Options{Responder: "ic"}).(*app)
	a.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	a.View()
	if len(s.State.AlertLines()) == 0 {
		b.Fatal("no alert fired")
	}
	framesPlaying(b, a, r, s)
}

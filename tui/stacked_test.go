package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// The stacked chart at hand-computed cells: two classes, the first at the
// bottom in █, the second above it in ▓.
func TestStackedChart(t *testing.T) {
	sc := &model.Scenario{Meta: model.Meta{Title: "t", Start: time.Date(2024, 7, 19, 0, 0, 0, 0, time.UTC)},
		PromiseClasses: []model.PromiseClassDef{{ID: "a", Name: "next-day"}, {ID: "b", Name: "standard"}}}
	late := int64(40)
	sc.Events = []model.Event{
		{At: 0, Body: model.BacklogObservation{Waiting: 200, Promise: []model.PromiseCount{{Class: "a", Waiting: 100}, {Class: "b", Waiting: 100}}}},
		{At: 2 * time.Hour, Body: model.BacklogObservation{Waiting: 400, Late: &late,
			Promise: []model.PromiseCount{{Class: "a", Waiting: 300, Late: 40}, {Class: "b", Waiting: 100}}}},
	}
	r := room.New(sc)
	t.Cleanup(r.Close)
	s := r.Seek(2 * time.Hour)
	pts := visiblePoints(s.State.Backlog.Points, s.Clock)

	// 30×8: the legend needs two lines at 30 columns, so 6 chart rows, 4
	// of graph over a scale of niceCeil(400 × 1.1) = 500: 125 orders a
	// row, labels "500", "250" and "0". The axis is at column 3, the graph
	// 26 columns over 2h: T+0 is column 0 (the axis itself, not drawn),
	// T+1h column 13, T+2h column 26.
	// At T+2h the rows from the bottom, at 62.5 and 187.5, are class a
	// (≤ 300), 312.5 is class b (≤ 400), 437.5 is empty.
	var c stackCache
	lines := c.get(NewStyles(nil), &s, pts, 2*time.Hour, 30, 8, 0)
	if len(lines) != 8 {
		t.Fatalf("%d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	want := []string{
		"500│                          ", // 437.5: nothing
		"   │                         ▓", // 312.5: b
		"250│                         █", // 187.5: a
		"   │                         █", // 62.5: a
		"  0└────────────┬─────────────", // T+1h's tick; T+2h's label would not fit
		"   T+0          T+1h          ",
		"█ next-day 300 ! 40 late",
		"▓ standard 100",
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d:\n got %q\nwant %q", i, lines[i], w)
		}
	}
	gen := c.gen
	c.get(NewStyles(nil), &s, pts, 2*time.Hour, 30, 8, 0)
	if c.gen != gen {
		t.Error("drawn again with nothing changed")
	}
}

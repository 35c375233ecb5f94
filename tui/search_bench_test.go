package tui

import (
	"testing"
	"time"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// searchingApp is benchApp with a search on in the timeline, the runbook
// and the carrier warnings, the timeline focused.
func searchingApp(b *testing.B) (*app, *room.Room, room.Snapshot) {
	b.Helper()
	a, r, s := benchApp(b)
	for _, p := range []struct{ focus, query string }{{"3", "alert 1"}, {"5", "step-1"}, {"6", "alert"}} {
		a.setFocus(paneID(p.focus[0] - '0'))
		a.openSearch()
		a.insertText([]rune(p.query))
		a.inputChanged()
		a.closeInput()
		a.searchEntered(p.query)
	}
	if len(a.timeline.hits(&a.snap, false)) == 0 {
		b.Fatal("the timeline search found nothing")
	}
	a.View()
	return a, r, s
}

// BenchmarkSearchViewPlaying is BenchmarkViewPlaying with three searches
// on: every frame brings new entries, so the timeline's matches are found
// again over all its entries.
func BenchmarkSearchViewPlaying(b *testing.B) {
	a, r, s := searchingApp(b)
	framesPlaying(b, a, r, s)
}

// BenchmarkSearchView is BenchmarkView (the clock moves a minute, nothing
// else) with three searches on: their matches come from cache.
func BenchmarkSearchView(b *testing.B) {
	a, _, s := searchingApp(b)
	framesClockMoving(b, a, s)
}

// BenchmarkSearchTimelineScan is one scan of the whole timeline for a
// query, what typing a letter costs.
func BenchmarkSearchTimelineScan(b *testing.B) {
	a, _, _ := benchApp(b)
	p := &a.timeline
	b.Logf("%d timeline entries", len(a.snap.State.Timeline))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		p.search.set([]string{"alert", "ALERT", "step"}[i%3])
		p.hits(&a.snap, false)
	}
}

// BenchmarkSearchStep is n: the next match and the frame that shows it.
func BenchmarkSearchStep(b *testing.B) {
	a, _, _ := searchingApp(b)
	a.setFocus(paneTimeline)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		a.searchStep(1)
		a.uiRev++
		a.View()
	}
}

// BenchmarkSearchTimelineScanFull is one scan of a timeline at its cap,
// 20k entries of the default scenario's texts.
func BenchmarkSearchTimelineScanFull(b *testing.B) {
	texts := newRoom(b, 76*time.Hour).Snapshot().State.Timeline
	s := &room.Snapshot{}
	for i := range model.MaxTimeline {
		s.State.Timeline = append(s.State.Timeline, texts[i%len(texts)])
	}
	p := &timelinePane{at: -1, top: -1}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		p.search.set([]string{"alert", "ALERT", "step"}[i%3])
		p.hits(s, false)
	}
}

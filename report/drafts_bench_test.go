package report_test

import (
	"testing"
	"time"
)

// BenchmarkDraftFill is what the drafts editor does on each change of the
// room while a draft nobody edited is open: build the figures and fill the
// seller draft (the default scenario at T+30h).
func BenchmarkDraftFill(b *testing.B) {
	ts := defaults(b)
	tm, _ := ts.Get("seller")
	sc, snap := roomAt(b, 30*time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tm.Render(buildFigures(sc, snap)); err != nil {
			b.Fatal(err)
		}
	}
}

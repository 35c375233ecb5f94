package room

import (
	"path/filepath"
	"testing"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

// journaledRoom is the default scenario's room on a new journal in a
// temporary folder, for the tests of what an action leaves in the journal.
type journaledRoom struct {
	t    *testing.T
	sc   *model.Scenario
	path string
	j    *journal.SQLite
	r    *Room
}

func openJournaled(t *testing.T) *journaledRoom {
	t.Helper()
	sc, err := feed.OpenScenario(fixtures.Default)
	if err != nil {
		t.Fatal(err)
	}
	jr := &journaledRoom{t: t, sc: sc, path: filepath.Join(t.TempDir(), "incident.db")}
	jr.open()
	return jr
}

// restart closes the room and its journal, as a server that stops, and
// opens both again on the same file.
func (jr *journaledRoom) restart() {
	jr.t.Helper()
	jr.r.Close()
	jr.j.Close()
	jr.open()
}

func (jr *journaledRoom) open() {
	jr.t.Helper()
	j, err := journal.Open(jr.path, model.NewJournalCodec(jr.sc.Meta.Start), JournalHeader(jr.sc, false))
	if err != nil {
		jr.t.Fatal(err)
	}
	r, err := Open(jr.sc, j)
	if err != nil {
		j.Close()
		jr.t.Fatal(err)
	}
	jr.j, jr.r = j, r
	jr.t.Cleanup(func() { r.Close(); j.Close() })
}

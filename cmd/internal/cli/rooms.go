package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// openedRoom is a room and, when it keeps one, its journal.
type openedRoom struct {
	*room.Room
	journal *journal.SQLite // nil without --journal
	stream  *journal.Stream // nil without --nats
	// restored says the journal held a room already: it is where it was,
	// and flags that set where a new one starts (--start, --speed, --play)
	// do not move it.
	restored bool
}

// Close stops the room and closes its journal.
func (o *openedRoom) Close() error {
	o.Room.Close()
	if o.stream != nil {
		return o.stream.Close()
	}
	if o.journal != nil {
		return o.journal.Close()
	}
	return nil
}

// openRoom opens the room of sc: without a journal when path is "", else
// with the journal at path, restoring the room it holds. A live room's T+0
// is the journal's when the journal has one (sc.Meta.Start changes to it):
// the incident began when the room first opened.
func openRoom(sc *model.Scenario, live bool, path string, opts ...room.Option) (*openedRoom, error) {
	if path == "" {
		if live {
			return &openedRoom{Room: room.NewLive(sc, opts...)}, nil
		}
		return &openedRoom{Room: room.New(sc, opts...)}, nil
	}
	if live {
		if start, ok := journalStart(path); ok {
			sc.Meta.Start = start
		}
	}
	j, err := journal.Open(path, wireCodec(sc), room.JournalHeader(sc, live))
	if err != nil {
		return nil, fmt.Errorf("--journal: %w", err)
	}
	restored := j.Next() > 1
	open := room.Open
	if live {
		open = room.OpenLive
	}
	r, err := open(sc, j, opts...)
	if err != nil {
		j.Close()
		return nil, fmt.Errorf("--journal %s: %w", path, err)
	}
	return &openedRoom{Room: r, journal: j, restored: restored}, nil
}

// wireCodec is the journal's codec for an incident whose T+0 is sc's.
func wireCodec(sc *model.Scenario) model.JournalCodec {
	return model.NewJournalCodec(sc.Meta.Start)
}

// journalStart is the T+0 the journal at path says its incident began at,
// if the file exists and says.
func journalStart(path string) (t0 time.Time, ok bool) {
	if _, err := os.Stat(path); err != nil {
		return t0, false
	}
	j, err := journal.OpenExisting(path, journalCodec())
	if err != nil {
		return t0, false
	}
	defer j.Close()
	return room.JournalStart(j.Header())
}

// replayJournal is the room the journal at path holds, rebuilt from the
// journal alone and not writing to it: for a debrief after the room is
// gone, or while it runs.
func replayJournal(path string) (*room.Room, error) {
	probe, err := journal.OpenExisting(path, journalCodec())
	if err != nil {
		return nil, err
	}
	start, ok := room.JournalStart(probe.Header())
	probe.Close()
	if !ok {
		return nil, fmt.Errorf("journal %s: it does not say when its incident began", path)
	}
	j, err := journal.OpenExisting(path, model.NewJournalCodec(start))
	if err != nil {
		return nil, err
	}
	defer j.Close()
	sc, err := room.ScenarioOf(j)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	r, err := room.Replay(sc, j)
	if err != nil {
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	return r, nil
}

// journalSnapshot is the room the journal at path holds, as a snapshot.
func journalSnapshot(path string) (room.Snapshot, error) {
	r, err := replayJournal(path)
	if err != nil {
		return room.Snapshot{}, err
	}
	defer r.Close()
	return r.Snapshot(), nil
}

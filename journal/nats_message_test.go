package journal

import (
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// TestMessageRoundTrip: entries of every kind written as one message read
// back as they were, numbered and placed by time; a message cut short,
// of another format or with a kind's name too long is refused.
func TestMessageRoundTrip(t *testing.T) {
	codec := model.NewJournalCodec(time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC))
	wall := time.Date(2026, 12, 2, 6, 0, 0, 123, time.UTC)
	entries := []Entry{
		{Kind: KindEvent, Wall: wall, Event: model.Event{At: 2 * time.Minute, Source: "fleet", Body: model.StatusUpdate{From: "AWS", Text: "b"}}},
		{Kind: KindEvent, Wall: wall, Event: model.Event{At: time.Minute, Source: "fleet", Body: model.StatusUpdate{From: "AWS", Text: "a"}}},
		{Kind: KindAction, Wall: wall, Event: model.Event{At: time.Minute, Source: "responder:ic", Body: model.Note{Author: "ic", Text: "n"}}},
		{Kind: KindClock, Wall: wall, Clock: Clock{At: time.Minute, Pos: 2, Speed: 60}},
		{Kind: KindPresence, Wall: wall, Presence: Presence{Member: "ic", Role: "commander", Session: "s", Joined: true}},
		{Kind: KindShown, Wall: wall, Shown: Shown{Inject: "i1"}},
	}
	msgs, err := encodeMessages(codec, entries, time.Now)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("encode: %d messages, %v", len(msgs), err)
	}
	r := newReading()
	got, err := r.decodeMessage(codec, 7, msgs[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(entries) {
		t.Fatalf("%d entries, want %d", len(got), len(entries))
	}
	wantPos := []int{0, 0, 1} // a at T+1 before b; the note after a, at T+1 too
	for i, e := range got {
		if e.Seq != int64(i+1) || e.Kind != entries[i].Kind || !e.Wall.Equal(wall) {
			t.Errorf("entry %d: seq %d kind %s wall %s", i, e.Seq, e.Kind, e.Wall)
		}
		if i < 3 && e.Pos != wantPos[i] {
			t.Errorf("entry %d at position %d, want %d", i, e.Pos, wantPos[i])
		}
	}
	if got[3].Clock != entries[3].Clock || got[4].Presence != entries[4].Presence || got[5].Shown != entries[5].Shown {
		t.Errorf("bodies differ: %+v %+v %+v", got[3].Clock, got[4].Presence, got[5].Shown)
	}
	if r.pos != 7 {
		t.Errorf("the reading stands at message %d, want 7", r.pos)
	}
	for name, bad := range map[string][]byte{
		"empty":          {},
		"another format": append([]byte{9}, msgs[0][1:]...),
		"cut short":      msgs[0][:len(msgs[0])-3],
		"a long kind":    {messageFormat, 200, 1},
	} {
		fresh := newReading()
		if _, err := fresh.decodeMessage(codec, 1, bad); err == nil {
			t.Errorf("%s: a bad message was read", name)
		}
	}
}

// FuzzSplitMessage: no message, however damaged, makes the reader panic.
func FuzzSplitMessage(f *testing.F) {
	codec := model.NewJournalCodec(time.Unix(0, 0))
	msgs, _ := encodeMessages(codec, []Entry{{Kind: KindShown, Shown: Shown{Inject: "x"}}}, time.Now)
	f.Add(msgs[0])
	f.Add([]byte{messageFormat, 5, 'e', 'v', 'e', 'n', 't', 0, 0, 2, '{', '}'})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := newReading()
		_, _ = r.decodeMessage(codec, 1, data)
	})
}

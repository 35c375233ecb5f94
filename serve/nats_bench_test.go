package serve

import (
	"fmt"
	"testing"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/journal/natstest"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// natsBase is where this package's benchmark cluster listens (14240–14245).
const natsBase = 14240

// BenchmarkSharedActionToOtherServer: two servers share a room through an
// R3 stream on a three-node NATS cluster on loopback; a note is acted on
// server A; each of N sessions on server B is timed until its client has
// received the frame with the note: A's append to the stream (acknowledged
// by a majority of the nodes), B's ordered consumer, B's room applying it,
// and the console drawing it over SSH. p50/p99/max over every session of
// every round.
func BenchmarkSharedActionToOtherServer(b *testing.B) {
	cluster := natstest.StartOrSkip(b, natsBase)
	sc := defaultRoom(b, 0).Scenario()
	open := func(origin string) *room.Room {
		s, err := journal.OpenStream(journal.StreamConfig{URL: cluster.URL(), Room: "bench", Origin: origin},
			model.NewJournalCodec(sc.Meta.Start), room.JournalHeader(sc, false))
		if err != nil {
			b.Fatal(err)
		}
		r, err := room.Open(sc, s)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { r.Close(); s.Close() })
		return r
	}
	a, other := open("a"), open("b")
	a.Seek(3*60*60*1e9 + 40*60*1e9)
	for _, n := range []int{1, 20} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			fanOut(b, other, n, func(text string) error {
				_, err := a.Act("bench", model.Note{Author: "bench", Text: text}, "")
				return err
			})
		})
	}
}

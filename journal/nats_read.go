package journal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Reading a stream neither waits on a JetStream consumer's own recovery
// (an ordered consumer whose node died takes 10 to 20 seconds to be made
// again while the cluster elects leaders) nor trusts one to say it is
// stuck: Entries fetches in batches through a consumer it makes again
// itself from where it got to, and Follow reads each message by its
// position from any replica (direct get), woken by the message's own
// publication.

// fetchBatch is how many messages Entries asks for at once.
const fetchBatch = 1024

// Entries calls fn with every entry the stream holds now, in order,
// stopping at fn's first error or at a message that does not decode.
// Follow goes on from where it ended.
func (s *Stream) Entries(fn func(Entry) error) error {
	ctx := context.Background()
	end, err := s.lastPos(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	progress := s.progress
	s.mu.Unlock()
	r := newReading()
	r.boot = s.startID()
	r.pos = 1 // the header
	var cons jetstream.Consumer
	defer func() {
		if cons != nil {
			dctx, cancel := context.WithTimeout(ctx, time.Second)
			_ = s.stream.DeleteConsumer(dctx, cons.CachedInfo().Name)
			cancel()
		}
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for r.pos < end {
		if time.Now().After(deadline) {
			return fmt.Errorf("journal %s: read at %d of %d: the stream did not answer for two minutes", s.where(), r.pos, end)
		}
		if cons == nil {
			cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			cons, err = s.stream.CreateConsumer(cctx, jetstream.ConsumerConfig{
				DeliverPolicy:     jetstream.DeliverByStartSequencePolicy,
				OptStartSeq:       r.pos + 1,
				AckPolicy:         jetstream.AckNonePolicy,
				FilterSubject:     s.subject,
				MemoryStorage:     true,
				Replicas:          1,
				InactiveThreshold: time.Minute,
			})
			cancel()
			if err != nil {
				cons = nil
				time.Sleep(200 * time.Millisecond)
				continue
			}
		}
		batch, err := cons.Fetch(fetchBatch, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			cons = nil // made again from where it got to
			continue
		}
		got := 0
		for msg := range batch.Messages() {
			got++
			meta, err := msg.Metadata()
			if err != nil || meta.Sequence.Stream <= r.pos {
				continue
			}
			pos := meta.Sequence.Stream
			entries, err := r.decodeMessage(s.codec, pos, msg.Data())
			if err != nil {
				return fmt.Errorf("journal %s: %w", s.where(), err)
			}
			for _, e := range entries {
				if err := fn(e); err != nil {
					return err
				}
			}
			if progress != nil && (pos%256 == 0 || pos == end) {
				progress(pos, end)
			}
			if pos >= end {
				break
			}
		}
		if batch.Error() != nil || got == 0 {
			cons = nil
		}
		deadline = time.Now().Add(2 * time.Minute)
	}
	if progress != nil && end > 1 {
		progress(end, end)
	}
	s.setReading(r)
	return nil
}

// lastPos is the position of the stream's last entries message (1, the
// header's, when there is none): not of its last message, which may be on
// another of the room's subjects, that Entries does not read and would
// wait for forever.
func (s *Stream) lastPos(ctx context.Context) (uint64, error) {
	ictx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	msg, err := s.stream.GetLastMsgForSubject(ictx, s.subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 1, nil
	}
	if err != nil {
		return 0, fmt.Errorf("journal %s: last entries message: %w", s.where(), err)
	}
	return msg.Sequence, nil
}

func (s *Stream) setReading(r reading) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.read = r
}

// Follow calls fn with the entries of each message after those the last
// Entries read, as they arrive, until ctx ends (it then returns nil). It
// reads each message by its position, from any replica, when a
// publication on the room's subject wakes it, when the connection comes
// back, and twice a second anyway; a node's death costs it the time the
// connection takes to move to another node.
func (s *Stream) Follow(ctx context.Context, fn func(pos uint64, entries []Entry, behind uint64)) error {
	s.mu.Lock()
	r := s.read
	s.mu.Unlock()
	wake := make(chan struct{}, 1)
	poke := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	sub, err := s.nc.Subscribe(s.subject, func(*nats.Msg) { poke() })
	if err != nil {
		return fmt.Errorf("journal %s: follow: %w", s.where(), err)
	}
	defer sub.Unsubscribe() //nolint:errcheck // the connection may be gone
	s.OnStatus(func(online bool) {
		if online {
			poke()
		}
	})
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	retry := time.NewTimer(time.Hour)
	defer retry.Stop()
	soon := 0 // quick looks again since the last message read
	next := max(r.pos+1, 2)
	for {
		var last uint64 // the stream's last position, when asked
		for read := 0; ; read++ {
			if read%256 == 255 { // a long way behind: say how far
				if l, err := s.lastPos(ctx); err == nil {
					last = l
				}
			}
			gctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			msg, err := s.stream.GetMsg(gctx, next)
			cancel()
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, jetstream.ErrMsgNotFound) {
				// Caught up, or the replica that answered has not stored
				// it yet (the publication that woke us reaches
				// subscribers before the replicas): look again shortly.
				// A message is never skipped: warroom removes none.
				if soon < 20 {
					soon++
					retry.Reset(time.Millisecond)
				}
				break
			}
			if err != nil {
				break // the stream is out of reach: again when woken
			}
			pos := next
			next++
			soon = 0
			if msg.Subject != s.subject {
				continue
			}
			entries, err := r.decodeMessage(s.codec, pos, msg.Data)
			if err != nil {
				return fmt.Errorf("journal %s: %w", s.where(), err)
			}
			behind := uint64(0)
			if last > pos {
				behind = last - pos
			}
			fn(pos, entries, behind)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
			soon = 0
		case <-retry.C:
		case <-tick.C:
		}
	}
}

package journal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Entries calls fn with every entry the stream holds now, in order,
// stopping at fn's first error or at a message that does not decode.
// Follow goes on from where it ended.
func (s *Stream) Entries(fn func(Entry) error) error {
	ctx := context.Background()
	info, err := s.stream.Info(ctx)
	if err != nil {
		return fmt.Errorf("journal %s: %w", s.where(), err)
	}
	end := info.State.LastSeq
	s.mu.Lock()
	progress := s.progress
	s.mu.Unlock()
	r := newReading()
	r.boot = s.startID()
	if end <= 1 {
		s.setReading(r)
		return nil
	}
	cons, err := s.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{s.subject},
		DeliverPolicy:  jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:    2,
	})
	if err != nil {
		return fmt.Errorf("journal %s: %w", s.where(), err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(1024))
	if err != nil {
		return fmt.Errorf("journal %s: %w", s.where(), err)
	}
	defer it.Stop()
	for r.pos < end {
		msg, err := it.Next()
		if err != nil {
			return fmt.Errorf("journal %s: read at %d of %d: %w", s.where(), r.pos, end, err)
		}
		meta, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("journal %s: %w", s.where(), err)
		}
		pos := meta.Sequence.Stream
		if pos > end {
			break // appended since: Follow's
		}
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
		if meta.NumPending == 0 {
			break
		}
	}
	s.setReading(r)
	return nil
}

func (s *Stream) setReading(r reading) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.read = r
}

// Follow calls fn with the entries of each message after those the last
// Entries read, as they arrive, until ctx ends (it then returns nil). An
// ordered consumer carries it over a lost connection and a node's death.
func (s *Stream) Follow(ctx context.Context, fn func(pos uint64, entries []Entry, behind uint64)) error {
	s.mu.Lock()
	r := s.read
	s.mu.Unlock()
	cons, err := s.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{s.subject},
		DeliverPolicy:  jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:    max(r.pos+1, 2),
	})
	if err != nil {
		return fmt.Errorf("journal %s: follow: %w", s.where(), err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(1024))
	if err != nil {
		return fmt.Errorf("journal %s: follow: %w", s.where(), err)
	}
	go func() {
		<-ctx.Done()
		it.Stop()
	}()
	for {
		msg, err := it.Next()
		if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
			return nil
		}
		if err != nil {
			// The ordered consumer is being recreated (a node died, the
			// connection is back): it goes on from the last message.
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(50 * time.Millisecond):
			}
			continue
		}
		meta, err := msg.Metadata()
		if err != nil || meta.Sequence.Stream <= r.pos {
			continue
		}
		entries, err := r.decodeMessage(s.codec, meta.Sequence.Stream, msg.Data())
		if err != nil {
			return fmt.Errorf("journal %s: %w", s.where(), err)
		}
		fn(meta.Sequence.Stream, entries, meta.NumPending)
	}
}

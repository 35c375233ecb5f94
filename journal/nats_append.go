package journal

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Append publishes entries as one message (or several, for many) and,
// with durable, returns once the stream has them. A shared journal numbers
// entries as it reads them: what Append returns carries no Seq; Follow
// hands the entries back with theirs.
func (s *Stream) Append(entries []Entry, durable bool) ([]Entry, error) {
	_, err := s.Publish(entries, s.NewID(), durable)
	return entries, err
}

// Publish appends entries as one message known by id (a large batch as
// several, id-1, id-2 …). With durable it waits for the stream to store it
// on a majority of its replicas and returns its position; without, it
// returns at once with 0 (a lost message is a source event the next poll
// sends again, or a clock the next move journals).
func (s *Stream) Publish(entries []Entry, id string, durable bool) (uint64, error) {
	if len(entries) == 0 {
		return 0, nil
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return 0, fmt.Errorf("journal %s: %w", s.where(), ErrClosed)
	}
	msgs, err := encodeMessages(s.codec, entries, s.now)
	if err != nil {
		return 0, fmt.Errorf("journal %s: %w", s.where(), err)
	}
	var last uint64
	for i, data := range msgs {
		mid := id
		if len(msgs) > 1 {
			mid = id + "-" + strconv.Itoa(i+1)
		}
		if !durable {
			if _, err := s.js.PublishAsync(s.subject, data, jetstream.WithMsgID(mid)); err != nil {
				return 0, fmt.Errorf("journal %s: %w", s.where(), err)
			}
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), publishTimeout)
		ack, err := s.js.Publish(ctx, s.subject, data, jetstream.WithMsgID(mid), jetstream.WithRetryAttempts(0))
		cancel()
		if err != nil {
			return 0, fmt.Errorf("journal %s: %w", s.where(), err)
		}
		last = ack.Sequence
	}
	return last, nil
}

// publishTimeout bounds a durable append: a responder hears soon that the
// room is offline. A stream whose leader's node died takes it up to ten
// seconds to elect another; an action taken meanwhile is kept and sent
// again (with its id) once it has.
const publishTimeout = 2 * time.Second

package journal

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
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
// returns at once with 0, and a message the stream did not take is sent
// again (publishFailed).
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

// publishFailed is told of a message published without waiting (a batch
// of source events, a clock move) that the stream did not take: its ack
// timed out, the connection dropped, or the stream had no leader for a
// moment. Sources do not send again what they already handed over, so it
// is sent again, with its id, a second later and then every few seconds,
// until the stream takes it: within the stream's duplicate window, as
// beyond it a message stored after all could be stored twice. It runs
// with the publisher's lock held: the send waits in a goroutine of its
// own.
func (s *Stream) publishFailed(js jetstream.JetStream, msg *nats.Msg, _ error) {
	id := msg.Header.Get(jetstream.MsgIDHeader)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	if s.retrying == nil {
		s.retrying = map[string]time.Time{}
	}
	first, again := s.retrying[id]
	if !again {
		first = s.now()
		s.retrying[id] = first
	}
	giveUp := s.now().Sub(first) > streamDuplicates-time.Minute
	if giveUp {
		delete(s.retrying, id)
	}
	s.mu.Unlock()
	if giveUp {
		return
	}
	go func() {
		time.Sleep(time.Second)
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		if closed {
			return
		}
		fut, err := js.PublishMsgAsync(msg)
		if err != nil {
			s.publishFailed(js, msg, err)
			return
		}
		select {
		case <-fut.Ok():
			s.mu.Lock()
			delete(s.retrying, id)
			s.mu.Unlock()
		case <-fut.Err(): // publishFailed is called again
		}
	}()
}

// publishTimeout bounds a durable append: a responder hears soon that the
// room is offline. A stream whose leader's node died takes it up to ten
// seconds to elect another; an action taken meanwhile is kept and sent
// again (with its id) once it has.
const publishTimeout = 2 * time.Second

package journal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Stream is a journal kept in a NATS JetStream stream that several warroom
// servers share: each appends what it accepts, and every one of them reads
// the stream back in the stream's order (Entries, then Follow), so that all
// show the same room. The stream's first message is the header; each
// further message is one Append. Its methods are safe for concurrent use.
//
// What a reader gets is the same on every server: each entry's Seq counts
// the entries before it, an event's Pos is where its time puts it (after
// every event at or before it), and a source event that an earlier message
// already holds (a new leader polling again what the old one sent) is left
// out.
type Stream struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	stream  jetstream.Stream
	name    string // the stream's name
	subject string // where entries go
	room    string
	origin  string // this server, in message ids and leases
	codec   Codec
	header  Header
	now     func() time.Time

	ids  atomic.Uint64 // numbers this server's messages
	held bool          // the stream held entries when it was opened

	mu       sync.Mutex
	read     reading // where the last Entries ended: Follow goes on from there
	progress func(done, total uint64)
	status   []func(online bool)
	closed   bool
	retrying map[string]time.Time // message id → when its first try failed
}

var _ Shared = (*Stream)(nil)

// Shared is a journal several servers append to. A room on it applies
// nothing when it appends: it applies what Follow hands back, in the
// journal's order, its own entries among the others'.
type Shared interface {
	Log
	// Publish appends entries as one message known by id: sent again
	// with the same id (after a lost reply), it is kept once. With
	// durable it returns once the stream has it, with the message's
	// position; without, at once with 0.
	Publish(entries []Entry, id string, durable bool) (uint64, error)
	// Follow calls fn with the entries of every message after those the
	// last Entries read, as they arrive, until ctx ends; pos is the
	// message's position and behind how many messages the stream holds
	// past it.
	Follow(ctx context.Context, fn func(pos uint64, entries []Entry, behind uint64)) error
	// NewID is a message id no other message has.
	NewID() string
	// Origin names this server.
	Origin() string
	// Online says whether the stream can be reached now.
	Online() bool
	// OnStatus calls fn whenever the connection is lost or comes back.
	OnStatus(fn func(online bool))
}

// StreamConfig is where a room's stream is and who opens it.
type StreamConfig struct {
	URL      string // nats://host:4222[,nats://…]
	Room     string // the room's name: letters, digits, - and _
	Origin   string // this server's name, unique in the room
	Replicas int    // copies of the stream; 3 on a cluster of three or more
	// Timeout bounds connecting and each durable append (default 5s).
	Timeout time.Duration
	// Creds is a NATS credentials file (a user's JWT and seed), if the
	// cluster asks for one.
	Creds string
}

// validRoom is what a room's name may be: it is part of a stream's name
// and of subjects.
var validRoom = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// streamDuplicates is how long JetStream remembers a message id: a
// message sent again within it (a reply lost as a node died, an action
// kept while the room was offline) is stored once.
const streamDuplicates = 30 * time.Minute

// maxMessage is the most bytes of entries one message holds; a larger
// Append is split (NATS refuses messages over 1 MB by default).
const maxMessage = 512 << 10

// OpenStream connects to NATS and opens the room's stream for the incident
// h describes, creating it (with h as its first message) when there is
// none. A stream of another incident is refused with ErrMismatch.
func OpenStream(cfg StreamConfig, codec Codec, h Header) (*Stream, error) {
	s, err := dialStream(cfg, codec, true)
	if err != nil {
		return nil, err
	}
	if err := s.openHeader(h); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenStreamExisting opens a room's stream that must exist, whatever
// incident it belongs to: for export. Appending to it is not refused, but
// it is not what it is for.
func OpenStreamExisting(cfg StreamConfig, codec Codec) (*Stream, error) {
	s, err := dialStream(cfg, codec, false)
	if err != nil {
		return nil, err
	}
	h, ok, err := s.readHeader()
	switch {
	case err != nil:
		s.Close()
		return nil, err
	case !ok:
		s.Close()
		return nil, fmt.Errorf("journal %s: the stream holds no header: no room was opened on it", s.where())
	}
	s.header = h
	return s, nil
}

// StreamHeader is the header of a room's stream, if it exists and has
// one: a live room takes its T+0 from it.
func StreamHeader(cfg StreamConfig) (Header, bool, error) {
	s, err := dialStream(cfg, nil, false)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return Header{}, false, nil
	}
	if err != nil {
		return Header{}, false, err
	}
	defer s.Close()
	return s.readHeader()
}

func dialStream(cfg StreamConfig, codec Codec, create bool) (*Stream, error) {
	if !validRoom.MatchString(cfg.Room) {
		return nil, fmt.Errorf("--room %q: a room's name is 1 to 64 letters, digits, - or _", cfg.Room)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 3
	}
	if cfg.Origin == "" {
		cfg.Origin = "warroom"
	}
	s := &Stream{name: "WARROOM_" + cfg.Room, subject: "warroom." + cfg.Room + ".entries", room: cfg.Room,
		origin: cfg.Origin, codec: codec, now: time.Now, read: newReading()}
	opts := []nats.Option{
		nats.Name("warroom " + cfg.Origin),
		nats.Timeout(cfg.Timeout),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.ReconnectBufSize(8 << 20),
		nats.DisconnectErrHandler(func(*nats.Conn, error) { s.changed(false) }),
		nats.ReconnectHandler(func(*nats.Conn) { s.changed(true) }),
		nats.ClosedHandler(func(*nats.Conn) { s.changed(false) }),
	}
	if cfg.Creds != "" {
		opts = append(opts, nats.UserCredentials(cfg.Creds))
	}
	nc, err := nats.Connect(cfg.URL, opts...)
	if err != nil {
		return nil, fmt.Errorf("--nats %s: %w", cfg.URL, err)
	}
	s.nc = nc
	if s.js, err = jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096),
		jetstream.WithPublishAsyncTimeout(publishTimeout), jetstream.WithPublishAsyncErrHandler(s.publishFailed)); err != nil {
		nc.Close()
		return nil, fmt.Errorf("--nats %s: %w", cfg.URL, err)
	}
	if create {
		s.stream, err = s.createStream(cfg)
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), 4*cfg.Timeout)
		s.stream, err = s.js.Stream(ctx, s.name)
		cancel()
	}
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("journal %s: %w", s.where(), err)
	}
	return s, nil
}

// createStream makes the room's stream, or opens it when another server
// made it. Servers started together on a new room all ask for it at once,
// and the cluster may answer none of them while it forms the stream's
// replica group (seen: two servers both waiting 20 s for a stream that was
// there after 7): each request waits at most 2 s, and between requests
// the stream is looked for, until 6 timeouts have passed.
func (s *Stream) createStream(cfg StreamConfig) (jetstream.Stream, error) {
	conf := jetstream.StreamConfig{
		Name:        s.name,
		Description: "warroom room " + cfg.Room,
		Subjects:    []string{"warroom." + cfg.Room + ".>"},
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.Replicas,
		Duplicates:  streamDuplicates,
		AllowDirect: true, // any replica answers a read by position
		MaxMsgSize:  2 * maxMessage,
	}
	deadline := time.Now().Add(6 * cfg.Timeout)
	try := min(cfg.Timeout, 2*time.Second)
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		ctx, cancel := context.WithTimeout(context.Background(), try)
		st, err := s.js.CreateOrUpdateStream(ctx, conf)
		cancel()
		if err == nil {
			return st, nil
		}
		ctx, cancel = context.WithTimeout(context.Background(), try)
		st, lookErr := s.js.Stream(ctx, s.name)
		cancel()
		if lookErr == nil {
			return st, nil // another server's request, or our own answered late
		}
		if time.Now().Add(wait).After(deadline) {
			return nil, err
		}
		time.Sleep(wait)
	}
}

// where names the stream for messages.
func (s *Stream) where() string { return "stream " + s.name }

// headerSubject is where the header message goes.
func (s *Stream) headerSubject() string { return "warroom." + s.room + ".header" }

// wireHeader is the header as the stream's first message holds it.
type wireHeader struct {
	Format       int       `json:"format"`
	Kind         string    `json:"kind"`
	Name         string    `json:"name"`
	Identity     string    `json:"identity"`
	Created      time.Time `json:"created"`
	Declarations string    `json:"declarations"`
}

// openHeader writes the header as the stream's first message, unless
// another server did: then it must be this incident's.
func (s *Stream) openHeader(want Header) error {
	want.Format = Format
	if want.Created.IsZero() {
		want.Created = s.now()
	}
	want.Created = want.Created.UTC()
	data, err := json.Marshal(wireHeader(want))
	if err != nil {
		return fmt.Errorf("journal %s: %w", s.where(), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if info, err := s.stream.Info(ctx); err == nil {
		s.held = info.State.LastSeq > 1
	}
	// Only the first server to open the room writes at position 1. A
	// stream just made may not take it at once (its replicas still
	// electing a leader): the header is asked for again, and written
	// again, until one is there.
	var (
		have    Header
		ok      bool
		pubErr  error
		wait    = 100 * time.Millisecond
		giveUp  = time.Now().Add(30 * time.Second)
		publish = func() error {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err := s.js.Publish(ctx, s.headerSubject(), data, jetstream.WithExpectLastSequence(0))
			return err
		}
	)
	for {
		pubErr = publish() // refused once any server's header is there
		have, ok, err = s.readHeader()
		// A replica may answer before it has the header written a moment
		// ago, here or by another server: asked again, it has it.
		if err == nil && ok || time.Now().Add(wait).After(giveUp) {
			break
		}
		time.Sleep(wait)
		wait = min(2*wait, 2*time.Second)
	}
	switch {
	case err != nil:
		return errors.Join(err, pubErr)
	case !ok:
		return fmt.Errorf("journal %s: the stream holds entries but no header (%v)", s.where(), pubErr)
	case have.Format != Format:
		return &formatError{path: s.where(), have: have.Format}
	case have.Kind != want.Kind || have.Identity != want.Identity:
		return mismatch(s.where(), have, want)
	}
	s.header = have
	return nil
}

// readHeader reads the stream's first message; false when it is empty.
func (s *Stream) readHeader() (Header, bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg, err := s.stream.GetMsg(ctx, 1)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return Header{}, false, nil
	}
	if err != nil {
		return Header{}, false, fmt.Errorf("journal %s: read header: %w", s.where(), err)
	}
	if msg.Subject != s.headerSubject() {
		return Header{}, false, nil
	}
	var h wireHeader
	if err := decodeJSON(msg.Data, &h); err != nil {
		return Header{}, false, fmt.Errorf("journal %s: header: %w", s.where(), err)
	}
	return Header(h), true, nil
}

// Header is what incident the stream belongs to.
func (s *Stream) Header() Header { return s.header }

// Held says the stream held entries when it was opened: the room goes
// on where its servers left it.
func (s *Stream) Held() bool { return s.held }

// Origin names this server.
func (s *Stream) Origin() string { return s.origin }

// Name is the stream's name.
func (s *Stream) Name() string { return s.name }

// NewID is a message id no other message has: this server's name, when
// its connection began and a number.
func (s *Stream) NewID() string {
	return s.origin + "-" + s.startID() + "-" + strconv.FormatUint(s.ids.Add(1), 10)
}

// startID tells this process's ids from those of the same server started
// before.
func (s *Stream) startID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.read.boot == "" {
		s.read.boot = strconv.FormatInt(s.now().UnixNano(), 36)
	}
	return s.read.boot
}

// Online says whether the connection to NATS is up.
func (s *Stream) Online() bool { return s.nc.IsConnected() }

// OnStatus calls fn whenever the connection is lost or comes back.
func (s *Stream) OnStatus(fn func(online bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = append(s.status, fn)
}

func (s *Stream) changed(online bool) {
	s.mu.Lock()
	fns := append([]func(bool){}, s.status...)
	s.mu.Unlock()
	for _, fn := range fns {
		fn(online)
	}
}

// SetProgress has Entries report how far it read: done messages of total.
func (s *Stream) SetProgress(fn func(done, total uint64)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.progress = fn
}

// Close closes the connection; closing again does nothing.
func (s *Stream) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.status = nil
	s.mu.Unlock()
	if s.js != nil {
		select {
		case <-s.js.PublishAsyncComplete():
		case <-time.After(2 * time.Second):
		}
	}
	s.nc.Close()
	return nil
}

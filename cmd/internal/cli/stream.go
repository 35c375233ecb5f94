package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
	"github.com/warroom/warroom/serve"
)

// streamFlags say where a room shared by several servers is kept.
type streamFlags struct {
	url, room, name, creds string
	outbox                 string
	dir                    string // where the outbox is by default: the host key's folder
	replicas               int
	lease                  time.Duration
}

func (f *streamFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.url, "nats", "", "keep the room in a NATS JetStream stream that other warroom servers share: nats://host:4222[,nats://…]")
	fs.StringVar(&f.room, "room", "", "with --nats: the room's name (letters, digits, - and _)")
	fs.StringVar(&f.name, "name", "", "with --nats: this server's name among the room's servers (default: the host's name)")
	fs.IntVar(&f.replicas, "nats-replicas", 3, "with --nats: copies of a new room's stream (3 on a cluster of three or more)")
	fs.StringVar(&f.creds, "nats-creds", "", "with --nats: a NATS credentials file, if the cluster asks for one (user:password@ in the URL works too)")
	fs.DurationVar(&f.lease, "lease", 3*time.Second, "with --nats: how long live sources wait for a dead leader before another server polls them")
	fs.StringVar(&f.outbox, "outbox", "", "with --nats: where actions taken while NATS is out of reach are kept until sent (default: outbox-ROOM-NAME.ndjson beside the host key)")
}

// outboxPath is where this server keeps what it could not send yet: one
// file per room and server name, beside the host key.
func (f streamFlags) outboxPath(name string) (string, error) {
	if f.outbox != "" {
		return f.outbox, nil
	}
	dir := f.dir
	if dir == "" {
		hk, err := serve.DefaultHostKeyPath()
		if err != nil {
			return "", fmt.Errorf("--outbox: %w", err)
		}
		dir = filepath.Dir(hk)
	}
	return filepath.Join(dir, "outbox-"+f.room+"-"+safeName(name)+".ndjson"), nil
}

// safeName keeps a server's name to what a file name may hold.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, s)
}

func (f streamFlags) config() journal.StreamConfig {
	if f.name == "" {
		f.name, _ = os.Hostname()
	}
	return journal.StreamConfig{URL: f.url, Room: f.room, Origin: f.name, Replicas: f.replicas, Creds: f.creds}
}

// where a room's journal is: a file, or a stream.
type where struct {
	path   string
	stream streamFlags
}

// where names the room's journal for messages.
func (o *openedRoom) where() string {
	if o.stream != nil {
		return o.stream.Name()
	}
	if o.journal != nil {
		return o.journal.Path()
	}
	return ""
}

// openRoomAt opens the room in its file or its stream.
func openRoomAt(errOut io.Writer, sc *model.Scenario, live bool, at where, opts ...room.Option) (*openedRoom, error) {
	if at.stream.url == "" {
		return openRoom(sc, live, at.path, opts...)
	}
	return openStreamRoom(errOut, sc, live, at.stream, opts...)
}

// openStreamRoom opens the room kept in a stream: it catches up with
// everything the stream holds, saying how far behind it is, before it
// returns (and so before anyone is let in).
func openStreamRoom(errOut io.Writer, sc *model.Scenario, live bool, f streamFlags, opts ...room.Option) (*openedRoom, error) {
	cfg := f.config()
	if live {
		// The room's T+0 is when its first server opened it.
		h, ok, err := journal.StreamHeader(cfg)
		if err != nil {
			return nil, fmt.Errorf("--nats: %w", err)
		}
		if start, found := room.JournalStart(h); ok && found {
			sc.Meta.Start = start
		}
	}
	s, err := journal.OpenStream(cfg, wireCodec(sc), room.JournalHeader(sc, live))
	if err != nil {
		return nil, fmt.Errorf("--nats: %w", err)
	}
	s.SetProgress(catchUpReport(errOut, s.Name()))
	path, err := f.outboxPath(cfg.Origin)
	if err != nil {
		s.Close()
		return nil, err
	}
	outbox, err := journal.OpenOutbox(path, wireCodec(sc))
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("--outbox: %w", err)
	}
	if n := len(outbox.Kept()); n > 0 {
		fmt.Fprintf(errOut, "warroom: %d action%s kept while the room was offline, in %s: sending\n", n, map[bool]string{true: "s"}[n != 1], path)
	}
	opts = append(opts, room.WithOutbox(outbox))
	open := room.Open
	if live {
		open = room.OpenLive
	}
	r, err := open(sc, s, opts...)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("--nats %s: %w", s.Name(), err)
	}
	return &openedRoom{Room: r, stream: s, restored: s.Held()}, nil
}

// catchUpReport prints how far catching up got, twice a second at most.
func catchUpReport(errOut io.Writer, name string) func(done, total uint64) {
	var last time.Time
	var said uint64 // the last message said, so that the end is said once
	start := time.Now()
	return func(done, total uint64) {
		if done == said && !last.IsZero() || done < total && time.Since(last) < 500*time.Millisecond {
			return
		}
		last, said = time.Now(), done
		fmt.Fprintf(errOut, "warroom: catching up from %s: message %d of %d, %d behind (%s)\n",
			name, done, total, total-done, time.Since(start).Round(time.Millisecond))
	}
}

// leadSources runs the live sources (start starts them, returning a wait)
// only while this server holds the room's lease, so that the room's
// servers poll each source once between them.
func leadSources(ctx context.Context, errOut io.Writer, s *journal.Stream, ttl time.Duration, start func(context.Context) func()) (func(), error) {
	lease, err := s.Lease("sources", ttl)
	if err != nil {
		return nil, fmt.Errorf("--nats: %w", err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		lease.Run(ctx, func(ctx context.Context) {
			fmt.Fprintf(errOut, "warroom: %s polls the live sources for room %s\n", s.Origin(), s.Name())
			wait := start(ctx)
			<-ctx.Done()
			wait()
			fmt.Fprintf(errOut, "warroom: %s no longer polls the live sources\n", s.Origin())
		})
	})
	return wg.Wait, nil
}

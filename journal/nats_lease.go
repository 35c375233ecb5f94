package journal

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Lease is a leadership among the servers of a room, kept in a JetStream
// key-value bucket: one key whose value is the holder, renewed well within
// the bucket's time to live. A holder that dies stops renewing and the key
// expires; another server then takes it.
type Lease struct {
	kv     jetstream.KeyValue
	key    string
	holder string
	ttl    time.Duration

	mu     sync.Mutex
	leader bool
}

// leaseBucket is the prefix of the bucket of each room's leases: one
// bucket a room, so that a room opened with another --lease (the
// bucket's TTL) or replicas does not change those of the others.
const leaseBucket = "warroom_leases_"

// Lease opens the lease called name in the room, held for ttl without a
// renewal (a leader is replaced about ttl after it died).
func (s *Stream) Lease(name string, ttl time.Duration) (*Lease, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	replicas := 3
	if info, err := s.stream.Info(ctx); err == nil {
		replicas = info.Config.Replicas
	}
	kv, err := s.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:   leaseBucket + s.room,
		TTL:      ttl,
		History:  1,
		Storage:  jetstream.FileStorage,
		Replicas: replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("lease %s of room %s: %w", name, s.room, err)
	}
	return &Lease{kv: kv, key: s.room + "." + name, holder: s.origin, ttl: ttl}, nil
}

// Leader says whether this server holds the lease now.
func (l *Lease) Leader() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.leader
}

// Run tries to take the lease every ttl/4 and, while it holds it, runs
// lead with a context that ends when the lease is lost (or ctx ends), and
// waits for lead to return before trying again. A leader that cannot
// renew for half the ttl steps down before the key expires, so that two
// leaders never run at once while the cluster can tell them apart. When
// ctx ends the lease is given up at once, for the next to take.
func (l *Lease) Run(ctx context.Context, lead func(ctx context.Context)) {
	tick := time.NewTicker(l.ttl / 4)
	defer tick.Stop()
	var (
		rev     uint64
		renewed time.Time
		stop    context.CancelFunc
		done    chan struct{}
	)
	stepDown := func() {
		if stop != nil {
			stop()
			<-done
			stop = nil
		}
		l.set(false)
	}
	defer func() {
		if stop != nil && rev != 0 {
			dctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = l.kv.Delete(dctx, l.key, jetstream.LastRevision(rev))
			cancel()
		}
		stepDown()
	}()
	for {
		if stop == nil {
			cctx, cancel := context.WithTimeout(ctx, l.ttl/2)
			r, err := l.kv.Create(cctx, l.key, []byte(l.holder))
			cancel()
			if err == nil {
				rev, renewed = r, time.Now()
				lctx, cancelLead := context.WithCancel(ctx)
				stop, done = cancelLead, make(chan struct{})
				l.set(true)
				go func() { defer close(done); lead(lctx) }()
			}
		} else {
			cctx, cancel := context.WithTimeout(ctx, l.ttl/4)
			r, err := l.kv.Update(cctx, l.key, []byte(l.holder), rev)
			cancel()
			switch {
			case err == nil:
				rev, renewed = r, time.Now()
			case errors.Is(err, jetstream.ErrKeyExists) || time.Since(renewed) > l.ttl/2:
				stepDown() // another holds it, or it may expire any moment
				rev = 0
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (l *Lease) set(on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.leader = on
}

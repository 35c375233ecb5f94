package journal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Outbox keeps on disk the actions a shared room could not send while its
// stream was out of reach, so that a server killed meanwhile sends them
// when it starts again: a responder was told "kept and sent when it
// returns", and a kill -9 must not make that untrue. Each action keeps the
// message id it was first tried with, so that the stream stores it once
// however often it is sent. The file is NDJSON, one action a line, each
// line written and synced before the responder is told it was kept.
type Outbox struct {
	path  string
	codec Codec
	kept  []Kept
}

// Kept is an action kept to send, with its message id.
type Kept struct {
	ID    string
	Entry Entry
}

// outboxLine is a Kept as the file holds it.
type outboxLine struct {
	ID    string          `json:"id"`
	Pos   int             `json:"pos"`
	Wall  time.Time       `json:"wall"`
	Event json.RawMessage `json:"event"` // in the wire format, as the journal stores events
}

// OpenOutbox reads the actions kept at path (none when it does not exist
// yet); its directory is made if need be.
func OpenOutbox(path string, codec Codec) (*Outbox, error) {
	o := &Outbox{path: path, codec: codec}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("outbox %s: %w", path, err)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return o, nil
	}
	if err != nil {
		return nil, fmt.Errorf("outbox %s: %w", path, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 2*maxMessage)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var l outboxLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			// A line cut short by a crash while it was written was never
			// acknowledged as kept: the lines before it stand.
			if n == bytes.Count(data, []byte("\n"))+1 {
				// Cut off, so that the next action kept starts a line
				// of its own instead of ending this one.
				if err := os.Truncate(path, int64(bytes.LastIndexByte(data, '\n')+1)); err != nil {
					return nil, fmt.Errorf("outbox %s:%d: drop the line cut short: %w", path, n, err)
				}
				break
			}
			return nil, fmt.Errorf("outbox %s:%d: %w", path, n, err)
		}
		e, err := codec.DecodeEvent(l.Event)
		if err != nil {
			return nil, fmt.Errorf("outbox %s:%d: %w", path, n, err)
		}
		o.kept = append(o.kept, Kept{ID: l.ID, Entry: Entry{Kind: KindAction, Pos: l.Pos, Wall: l.Wall, Event: e}})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("outbox %s: %w", path, err)
	}
	return o, nil
}

// Kept is what the outbox holds, oldest first.
func (o *Outbox) Kept() []Kept { return append([]Kept(nil), o.kept...) }

// Add keeps an action; it returns once the action is on disk.
func (o *Outbox) Add(k Kept) error {
	line, err := o.line(k)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(o.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("outbox %s: %w", o.path, err)
	}
	_, err = f.Write(line)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("outbox %s: %w", o.path, err)
	}
	o.kept = append(o.kept, k)
	return nil
}

// Sent drops the oldest action, now in the stream: the rest are written to
// a new file that replaces the old one whole, so that a crash leaves one
// or the other.
func (o *Outbox) Sent() error {
	if len(o.kept) == 0 {
		return nil
	}
	rest := o.kept[1:]
	var b bytes.Buffer
	for _, k := range rest {
		line, err := o.line(k)
		if err != nil {
			return err
		}
		b.Write(line)
	}
	tmp := o.path + ".new"
	if err := writeSynced(tmp, b.Bytes()); err != nil {
		return fmt.Errorf("outbox %s: %w", o.path, err)
	}
	if err := os.Rename(tmp, o.path); err != nil {
		return fmt.Errorf("outbox %s: %w", o.path, err)
	}
	o.kept = rest
	return nil
}

func (o *Outbox) line(k Kept) ([]byte, error) {
	ev, err := o.codec.EncodeEvent(k.Entry.Event)
	if err != nil {
		return nil, fmt.Errorf("outbox %s: %w", o.path, err)
	}
	line, err := json.Marshal(outboxLine{ID: k.ID, Pos: k.Entry.Pos, Wall: k.Entry.Wall.UTC(), Event: bytes.TrimSpace(ev)})
	if err != nil {
		return nil, fmt.Errorf("outbox %s: %w", o.path, err)
	}
	return append(line, '\n'), nil
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

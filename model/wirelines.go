package model

import (
	"bytes"
	"runtime"
	"sync/atomic"
)

// Decoding is most of what ingest costs (go-json-experiment's reflection,
// then the checks), and NDJSON lines are independent of each other: a
// large read is cut at line ends into parts, which every core decodes
// while the caller takes what is done, in order. Below this size a part is
// not worth handing over.
const minParallelPart = 16 << 10

// linesPart is a run of whole lines and the number of its first.
type linesPart struct {
	data []byte
	line int
}

// splitForCores cuts data into parts of whole lines of about
// minParallelPart bytes; none when there is only one core or one part.
func splitForCores(data []byte, line int) []linesPart {
	if runtime.GOMAXPROCS(0) < 2 || len(data) < 2*minParallelPart {
		return nil
	}
	var parts []linesPart
	for len(data) > 0 {
		cut := len(data)
		if len(data) >= 2*minParallelPart {
			if nl := bytes.IndexByte(data[minParallelPart:], '\n'); nl >= 0 {
				cut = minParallelPart + nl + 1
			}
		}
		parts = append(parts, linesPart{data[:cut], line})
		line += bytes.Count(data[:cut], []byte{'\n'})
		data = data[cut:]
	}
	return parts
}

// decoded is what a part's decoding produced, in order: an event, a
// problem or a drop.
type decoded struct {
	e      Event
	timed  bool
	err    error
	raw    []byte
	reason string
}

// parallel decodes the parts on every core, each worker on its own copy
// of the decoder, and delivers what each part found, in order, as soon as
// the part is done: the caller's work on one part overlaps the decoding
// of the next. Events without a time of their own all get the one now of
// this read.
func (d *WireDecoder) parallel(parts []linesPart, emit func(Event, bool), fail func(error)) {
	if d.now != nil {
		d.nowAt, d.nowSet = d.now(), true
	}
	out := make([][]decoded, len(parts))
	done := make([]chan struct{}, len(parts))
	for i := range done {
		done[i] = make(chan struct{})
	}
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), len(parts)) {
		go func() {
			w := *d
			var rec []decoded
			w.Dropped = func(raw []byte, reason string) { rec = append(rec, decoded{raw: raw, reason: reason}) }
			for {
				i := int(next.Add(1) - 1)
				if i >= len(parts) {
					return
				}
				rec = make([]decoded, 0, bytes.Count(parts[i].data, []byte{'\n'})+1)
				w.lines(parts[i].data, parts[i].line,
					func(e Event, timed bool) { rec = append(rec, decoded{e: e, timed: timed}) },
					func(err error) { rec = append(rec, decoded{err: err}) })
				out[i] = rec
				close(done[i])
			}
		}()
	}
	for i := range parts {
		<-done[i]
		for _, r := range out[i] {
			switch {
			case r.err != nil:
				fail(r.err)
			case r.reason != "":
				d.drop(r.raw, r.reason)
			default:
				emit(r.e, r.timed)
			}
		}
		out[i] = nil
	}
}

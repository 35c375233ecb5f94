package model

import (
	"bytes"
	"runtime"
	"sync"
)

// Decoding is most of what ingest costs (go-json-experiment's reflection,
// then the checks), and NDJSON lines are independent of each other: a
// large read is cut at line ends into a part per core. Below this size a
// part is not worth a goroutine.
const minParallelPart = 16 << 10

// linesPart is a run of whole lines and the number of its first.
type linesPart struct {
	data []byte
	line int
}

// splitForCores cuts data into up to GOMAXPROCS parts of whole lines.
func splitForCores(data []byte, line int) []linesPart {
	n := min(runtime.GOMAXPROCS(0), len(data)/minParallelPart)
	if n < 2 {
		return nil
	}
	parts := make([]linesPart, 0, n)
	for i := n; i > 1 && len(data) > 0; i-- {
		cut := len(data) / i
		nl := bytes.IndexByte(data[cut:], '\n')
		if nl < 0 {
			break
		}
		cut += nl + 1
		parts = append(parts, linesPart{data[:cut], line})
		line += bytes.Count(data[:cut], []byte{'\n'})
		data = data[cut:]
	}
	if len(data) > 0 {
		parts = append(parts, linesPart{data, line})
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

// parallel decodes the parts at once, each on a copy of the decoder, and
// delivers what they found in order. Events without a time of their own
// all get the one now of this read.
func (d *WireDecoder) parallel(parts []linesPart, emit func(Event, bool), fail func(error)) {
	if d.now != nil {
		d.nowAt, d.nowSet = d.now(), true
	}
	out := make([][]decoded, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			w := *d
			rec := make([]decoded, 0, bytes.Count(p.data, []byte{'\n'})+1)
			w.Dropped = func(raw []byte, reason string) { rec = append(rec, decoded{raw: raw, reason: reason}) }
			w.lines(p.data, p.line,
				func(e Event, timed bool) { rec = append(rec, decoded{e: e, timed: timed}) },
				func(err error) { rec = append(rec, decoded{err: err}) })
			out[i] = rec
		})
	}
	wg.Wait()
	for _, rec := range out {
		for _, r := range rec {
			switch {
			case r.err != nil:
				fail(r.err)
			case r.reason != "":
				d.drop(r.raw, r.reason)
			default:
				emit(r.e, r.timed)
			}
		}
	}
}

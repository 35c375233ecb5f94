package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/warroom/warroom/model"
)

// ingestLines is the benchmark's input: n NDJSON lines of mixed kinds, in
// time order, the way a busy live feed sends them. Most carry an RFC 3339
// time, some an offset, some none; complaint and notice texts run from a
// few words to a paragraph, a few with escape sequences or non-ASCII text.
func ingestLines(n int) []byte { return newIngestGen().lines(n) }

// lines is n lines, 250ms apart from T+0.
func (g *ingestGen) lines(n int) []byte {
	var out bytes.Buffer
	for i := range n {
		g.write(&out, i, time.Duration(i)*250*time.Millisecond)
	}
	return out.Bytes()
}

// ingestGen writes ingestLines' lines one at a time, so that a benchmark can
// feed millions of events without holding all their text at once.
type ingestGen struct {
	rng *rand.Rand
	// precise stamps times to the nanosecond, not to the second; timed
	// gives every line a time (otherwise one in ten has none: it happened
	// when read).
	precise, timed bool
}

var (
	ingestWords = strings.Fields(`next-day orders will miss the promise labels time out since this morning
		Buy Shipping metrics late shipment rate protection please advise carrier pickup missed
		warehouse EDI manifest reboot WorkSpaces status update ETA customers sellers`)
	ingestGroups  = []string{"wms-fulfilment", "label-manifest", "carrier-edi", "workspaces-cs", "sortation", "returns"}
	ingestTopics  = []string{"late-shipment-rate", "labels-failing", "metrics-protection", "no-information"}
	ingestSellers = []string{"Harbor & Pine Home Goods", "Northwind Outfitters", "Blue Heron Books", "Cedar & Co. Kitchen", "Mesa Pet Supply"}
	ingestOrigin  = time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)
)

func newIngestGen() *ingestGen { return &ingestGen{rng: rand.New(rand.NewPCG(7, 19))} }

func (g *ingestGen) text(minW, maxW int) string {
	var b strings.Builder
	for i := range minW + g.rng.IntN(maxW-minW+1) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(ingestWords[g.rng.IntN(len(ingestWords))])
	}
	switch g.rng.IntN(100) {
	case 0:
		b.WriteString(`\u001b]0;pwned\u0007\u001b[2J`)
	case 1:
		b.WriteString(" Lieferverzögerung — 配送遅延")
	}
	return b.String()
}

// write appends line i, stamped at (or, for a line without a time, read at) at.
func (g *ingestGen) write(out *bytes.Buffer, i int, at time.Duration) {
	rng := g.rng
	switch form := rng.IntN(10); {
	case form == 0 && !g.timed: // no time: it happened when read
		out.WriteString(`{`)
	case form == 1:
		if !g.precise {
			at = at.Round(time.Second)
		}
		fmt.Fprintf(out, `{"at":"+%s",`, at)
	default:
		layout := time.RFC3339
		if g.precise {
			layout = time.RFC3339Nano
		}
		fmt.Fprintf(out, `{"time":"%s",`, ingestOrigin.Add(at).Format(layout))
	}
	switch k := rng.IntN(100); {
	case k < 30:
		total := 1000 + 100*rng.IntN(40)
		rec := rng.IntN(total)
		fmt.Fprintf(out, `"source":"prometheus","hosts":{"group":%q,"recovered":%d,"total":%d,"failed":%d,"state":"recovering"}}`,
			ingestGroups[rng.IntN(len(ingestGroups))], rec, total, rng.IntN(total-rec+1))
	case k < 50:
		fmt.Fprintf(out, `"source":"prometheus","backlog":{"waiting":%d,"inflow":%d,"shipped":%.1f}}`,
			rng.IntN(2_000_000), 90_000+rng.IntN(10_000), 100_000+rng.Float64()*40_000)
	case k < 80:
		fmt.Fprintf(out, `"source":"seller-forums","complaint":{"seller":%q,"channel":"forums","topic":%q,"text":"%s"}}`,
			ingestSellers[rng.IntN(len(ingestSellers))], ingestTopics[rng.IntN(len(ingestTopics))], g.text(8, 60))
	case k < 85:
		fmt.Fprintf(out, `"source":"ups","warning":{"id":"ups-%d","carrier":"ups","severity":"major","region":"US, Europe","headline":"%s","body":"%s"}}`,
			i%50, g.text(4, 10), g.text(20, 80))
	case k < 90:
		fmt.Fprintf(out, `"source":"responder:ic","note":{"author":"ic","text":"%s"}}`, g.text(5, 30))
	case k < 95:
		fmt.Fprintf(out, `"source":"aws","text":"AWS: %s","update":{"from":"AWS Health Dashboard","text":"%s"}}`, g.text(3, 8), g.text(15, 60))
	case k < 98:
		fmt.Fprintf(out, `"source":"responder:ic","step":{"step":"reboot","state":"active","by":"ic"}}`)
	default:
		fmt.Fprintf(out, `"source":"responder:ic","ack":{"warning":"ups-%d","by":"ic"}}`, i%50)
	}
	out.WriteByte('\n')
}

const ingestN = 100_000

// BenchmarkIngestNDJSON is the live ingest hot path, decoding on every core:
// 100k NDJSON lines parsed, validated, sanitised and folded into a State.
func BenchmarkIngestNDJSON(b *testing.B) {
	data := ingestLines(ingestN)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s := model.NewState(nil)
		var errs int
		d := newWireDecoder("bench", testClock)
		d.Lines(data, 1, func(e model.Event, _ bool) { model.Apply(&s, e) }, func(error) { errs++ })
		if s.Applied != ingestN || errs != 0 {
			b.Fatalf("applied %d of %d events, %d errors", s.Applied, ingestN, errs)
		}
	}
	b.ReportMetric(float64(b.N)*ingestN/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkIngestNDJSONPipeline is the same work the way a live NDJSON
// source and the room share it: one goroutine reads and decodes batches
// (NDJSON.Stream), another applies them, so on two cores parsing and
// applying overlap.
func BenchmarkIngestNDJSONPipeline(b *testing.B) {
	data := ingestLines(ingestN)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		batches := make(chan []model.Event, 8)
		var wg sync.WaitGroup
		s := model.NewState(nil)
		wg.Go(func() {
			for batch := range batches {
				for _, e := range batch {
					model.Apply(&s, e)
				}
			}
		})
		d := newWireDecoder("bench", testClock)
		batch := make([]model.Event, 0, defaultBatchSize)
		for rest := data; len(rest) > 0; {
			n := min(len(rest), ndjsonReadSize)
			if i := bytes.LastIndexByte(rest[:n], '\n'); i >= 0 {
				n = i + 1
			}
			d.Lines(rest[:n], 1, func(e model.Event, _ bool) {
				batch = append(batch, e)
				if len(batch) == defaultBatchSize {
					batches <- batch
					batch = make([]model.Event, 0, defaultBatchSize)
				}
			}, func(err error) { b.Error(err) })
			rest = rest[n:]
		}
		batches <- batch
		close(batches)
		wg.Wait()
		if s.Applied != ingestN {
			b.Fatalf("applied %d of %d events", s.Applied, ingestN)
		}
	}
	b.ReportMetric(float64(b.N)*ingestN/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecodeNDJSON is the decoding alone.
func BenchmarkDecodeNDJSON(b *testing.B) {
	data := ingestLines(ingestN)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		d := newWireDecoder("bench", testClock)
		d.Lines(data, 1, func(model.Event, bool) { n++ }, func(err error) { b.Fatal(err) })
		if n != ingestN {
			b.Fatalf("decoded %d of %d", n, ingestN)
		}
	}
	b.ReportMetric(float64(b.N)*ingestN/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkIngestNDJSONStream runs the real NDJSON streamer over a reader
// and applies its batches, as the room would.
func BenchmarkIngestNDJSONStream(b *testing.B) {
	data := ingestLines(ingestN)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		src := NewNDJSON("bench", "-", testClock)
		src.Input = bytes.NewReader(data)
		src.OnError = func(err error) { b.Error(err) }
		s := model.NewState(nil)
		err := src.Stream(b.Context(), func(batch []model.Event) {
			for _, e := range batch {
				model.Apply(&s, e)
			}
		})
		if s.Applied != ingestN {
			b.Fatalf("applied %d of %d events (%v)", s.Applied, ingestN, err)
		}
	}
	b.ReportMetric(float64(b.N)*ingestN/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecodeNDJSONStdlib is a baseline, not a path warroom takes: the
// same lines through encoding/json into a struct mirroring the format, with
// unknown fields rejected but nothing validated, sanitised or converted to
// events. It shows what the hand-written decoder saves.
func BenchmarkDecodeNDJSONStdlib(b *testing.B) {
	type anyBody struct {
		Group, State, ID, Carrier, Phase, Severity, Region, Headline, Body string
		Seller, Channel, Topic, Text, Step, By, Author, From, Warning      string
		Recovered, Total, Failed                                           int
		Waiting                                                            int64
		Inflow, Shipped                                                    *float64
	}
	type line struct {
		Time    *time.Time `json:"time"`
		At      string     `json:"at"`
		Source  string     `json:"source"`
		Text    string     `json:"text"`
		Hosts   *anyBody   `json:"hosts"`
		Backlog *anyBody   `json:"backlog"`
		Warning *anyBody   `json:"warning"`
		Compl   *anyBody   `json:"complaint"`
		Step    *anyBody   `json:"step"`
		Note    *anyBody   `json:"note"`
		Update  *anyBody   `json:"update"`
		Ack     *anyBody   `json:"ack"`
	}
	data := ingestLines(ingestN)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for rest := data; len(rest) > 0; {
			i := bytes.IndexByte(rest, '\n')
			dec := json.NewDecoder(bytes.NewReader(rest[:i]))
			dec.DisallowUnknownFields()
			var l line
			if err := dec.Decode(&l); err != nil {
				b.Fatal(err)
			}
			n++
			rest = rest[i+1:]
		}
		if n != ingestN {
			b.Fatalf("decoded %d of %d", n, ingestN)
		}
	}
	b.ReportMetric(float64(b.N)*ingestN/b.Elapsed().Seconds(), "events/s")
}

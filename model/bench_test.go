package model

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// largeEvents is a big incident: 50k hosts in 500 groups, 100k host reports,
// 100k backlog points, 2k carrier warnings (issued, updated, acknowledged),
// 20k seller complaints, in time order.
func largeEvents() (*Scenario, []Event) {
	sc := &Scenario{Meta: Meta{Title: "large"}}
	for i := range 500 {
		sc.HostGroups = append(sc.HostGroups, HostGroupDef{ID: fmt.Sprint("g", i), Name: fmt.Sprint("group ", i), Total: 100})
	}
	sc.Carriers = []CarrierDef{{ID: "ups", Name: "UPS"}, {ID: "fedex", Name: "FedEx"}}
	topics := []string{"late-shipment-rate", "labels-failing", "metrics-protection", "no-information"}
	for _, t := range topics {
		sc.Topics = append(sc.Topics, TopicDef{ID: t, Name: t})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var events []Event
	const span = 72 * time.Hour
	for i := range 100_000 {
		at := span * time.Duration(i) / 100_000
		events = append(events,
			Event{At: at, Body: BacklogObservation{Waiting: int64(rng.IntN(2_000_000))}},
			Event{At: at, Body: HostStatus{Group: fmt.Sprint("g", i%500), Recovered: i / 1000, Failed: rng.IntN(10)}},
		)
		if i%5 == 0 {
			events = append(events, Event{At: at, Body: SellerComplaint{
				Seller: "seller", Channel: "forums", Topic: topics[i%4], Text: "next-day orders will be late"}})
		}
		if i%150 == 0 {
			id := fmt.Sprint("w", i/150)
			events = append(events,
				Event{At: at, Body: CarrierWarning{ID: id, Carrier: "ups", Severity: SeverityMajor, Headline: "delays possible"}},
				Event{At: at, Body: Acknowledgement{Warning: id, By: "ic"}},
			)
		}
	}
	return sc, events
}

func BenchmarkApply(b *testing.B) {
	sc, events := largeEvents()
	start := NewState(sc)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		s := start.Clone()
		for _, e := range events {
			Apply(&s, e)
		}
		n += len(events)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkCursorStepBack(b *testing.B) {
	sc, events := largeEvents()
	c := NewCursor(NewState(sc), events)
	c.Seek(c.End())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c.Prev()
		c.Next()
	}
}

package model

import (
	"bytes"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// bigScenarioYAML is a valid scenario of n timeline items of every kind a
// scenario has, in the shape of the embedded ones: hosts reports across six
// groups, backlog points, carrier notices and their updates and
// acknowledgements, seller posts, runbook steps, notes and status updates.
// About 146 bytes an item, as the 59k-event (8.6 MB) incident export.
func bigScenarioYAML(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`title: "Synthetic large incident"
start: 2024-07-19T04:09:00Z
severity: SEV1
summary: "Every kind of timeline item, many times over."
illustrative: "All of it."
host_groups:
`)
	groups := []string{"wms-fulfilment", "label-manifest", "carrier-edi", "seller-batch", "workspaces-cs", "appstream-tools"}
	for _, g := range groups {
		fmt.Fprintf(&b, "  - id: %s\n    name: %q\n    total: 100000\n", g, g+" hosts")
	}
	b.WriteString("carriers:\n  - id: ups\n    name: UPS\n  - id: fedex\n    name: FedEx\n")
	b.WriteString("topics:\n  - id: late-shipment-rate\n    name: late shipment rate\n")
	b.WriteString("runbook:\n  - id: reboot\n    title: Reboot affected instances\n")
	b.WriteString("timeline:\n")
	warnings := 0
	for i := range n {
		at := time.Duration(i) * time.Second
		switch i % 10 {
		case 0, 1, 2, 3:
			fmt.Fprintf(&b, "  - at: %s\n    source: fleet-export\n    hosts: {group: %s, recovered: %d, failed: %d, state: recovering}\n    text: \"Rescue automation and reboots bring hosts back\"\n", "+"+at.String(), groups[i%len(groups)], i%90000, i%500)
		case 4, 5:
			fmt.Fprintf(&b, "  - at: %s\n    source: wms-export\n    backlog: {waiting: %d, inflow: 41000, shipped: %d}\n", "+"+at.String(), 180000+i%5000, 38000+i%3000)
		case 6:
			fmt.Fprintf(&b, "  - at: %s\n    complaint:\n      seller: \"Harbor & Pine Home Goods %d\"\n      channel: forums\n      topic: late-shipment-rate\n      text: \"Next-day orders will miss the promise; labels time out since this morning.\"\n", "+"+at.String(), i)
		case 7:
			warnings++
			fmt.Fprintf(&b, "  - at: %s\n    warning: {id: w%d, carrier: ups, severity: major, headline: \"Pickups delayed in the Midwest\"}\n", "+"+at.String(), warnings)
		case 8:
			fmt.Fprintf(&b, "  - at: %s\n    source: console\n    ack: {warning: w%d, by: ic}\n", "+"+at.String(), warnings)
		case 9:
			fmt.Fprintf(&b, "  - at: %s\n    note: {author: ic, text: \"Label servers back on the rescue path; EDI next.\"}\n", "+"+at.String())
		}
	}
	return b.Bytes()
}

// peakHeap samples the live heap while f runs and returns its largest
// value, in bytes.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			peak = max(peak, sample[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	return peak
}

func benchLoad(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			if _, err := LoadScenario("big.yaml", data); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// BenchmarkLoad59k opens a scenario the size of a 59k-event incident.
func BenchmarkLoad59k(b *testing.B) {
	data := bigScenarioYAML(59_000)
	b.Logf("%d items, %.1f MB", 59_000, float64(len(data))/1e6)
	benchLoad(b, data)
}

// BenchmarkValidate50MB validates a 50 MB scenario, as warroom validate does.
func BenchmarkValidate50MB(b *testing.B) {
	n := 342_000 // 50 MB
	data := bigScenarioYAML(n)
	b.Logf("%d items, %.1f MB", n, float64(len(data))/1e6)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			if _, _, err := LoadScenarioChecked("big.yaml", data); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

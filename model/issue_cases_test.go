package model

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The broken files that the hand-written loader let through or reported
// wrongly: each gets the message a typed decoder gives.
func TestLoadScenarioTypedMessages(t *testing.T) {
	head := "title: T\nsummary: S\nstart: 2024-07-19T04:09:00Z\nseverity: SEV1\nillustrative: I\n" +
		"host_groups:\n  - {id: g, name: G, total: 10}\ntimeline:\n"
	tests := []struct {
		name string
		file string
		want string // the whole first problem; "" loads
	}{
		{"a boolean title", strings.Replace(head, "title: T", "title: true", 1) + "  - at: +0m\n    note: {author: a, text: b}\n",
			"x.yaml:1:8: title: expected a string, got a boolean true"},
		{"byte-order mark", "\ufeff" + head + "  - at: +0m\n    note: {author: a, text: b}\n", ""},
		{"1e30 hosts", head + "  - at: +0m\n    hosts: {group: g, recovered: 1e30}\n",
			"x.yaml:10:34: timeline[0].hosts.recovered: expected an integer >= 0, got a number 1e30"},
		{"invalid UTF-8 in a title", strings.Replace(head, "title: T", "title: T\xff", 1),
			"x.yaml:1:9: invalid UTF-8 (byte 0xff): a scenario file is UTF-8 text"},
		{"lower-case t and z", strings.Replace(head, "2024-07-19T04:09:00Z", "2024-07-19t04:09:00z", 1) + "  - at: +0m\n    note: {author: a, text: b}\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := LoadScenario("x.yaml", []byte(tt.file))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("LoadScenario: %v", err)
			case tt.want == "":
				if !sc.Meta.Start.Equal(time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)) || len(sc.Events) != 1 {
					t.Errorf("start %v, %d events", sc.Meta.Start, len(sc.Events))
				}
			case err == nil:
				t.Fatalf("loads; want %q", tt.want)
			default:
				if first := strings.SplitN(err.Error(), "\n", 2)[0]; first != tt.want {
					t.Errorf("first problem\n got %s\nwant %s", first, tt.want)
				}
			}
		})
	}
}

// A value nested 40,000 levels deep (a 186 KB file) is refused for its
// depth, by the parser as it reads the level past the limit, before it
// builds anything of it; so is a block mapping nested as deep.
func TestLoadScenarioDeepNesting(t *testing.T) {
	file := "title: " + strings.Repeat("[", 40_000) + strings.Repeat("]", 40_000) + "\n"
	allocs := testing.AllocsPerRun(1, func() {
		_, err := LoadScenario("deep.yaml", []byte(file))
		if want := "deep.yaml:1:72: nested more than 64 levels deep"; err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("LoadScenario: %v; want %s", err, want)
		}
	})
	if allocs > 1000 {
		t.Errorf("%v allocations to refuse it: the parser was run", allocs)
	}
	var block strings.Builder
	block.WriteString("title: T\nsummary:\n")
	for i := range 70 {
		fmt.Fprintf(&block, "%s  k%d:\n", strings.Repeat("  ", i), i)
	}
	_, err := LoadScenario("block.yaml", []byte(block.String()))
	if err == nil || !strings.Contains(err.Error(), ": nested more than 64 levels deep") {
		t.Errorf("LoadScenario: %v; want a nesting problem", err)
	}
}

// A string over the length limit gets one problem, its length: not also
// the emptiness of the value that stands in for it.
func TestLoadScenarioLongString(t *testing.T) {
	file := "title: \"" + strings.Repeat("a", 70_000) + "\"\nsummary: S\nstart: 2024-07-19T04:09:00Z\nseverity: SEV1\nillustrative: I\n" +
		"timeline:\n  - at: +0m\n    note: {author: a, text: b}\n"
	_, err := LoadScenario("long.yaml", []byte(file))
	if err == nil {
		t.Fatal("loads; want the title refused")
	}
	if got, want := err.Error(), "long.yaml:1:8: title: a string of 70000 bytes: at most 65536"; got != want {
		t.Errorf("problems\n got %s\nwant %s", got, want)
	}
}

package model

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// An event or an item with a great many unknown members is reported by
// its first problems and a note that there are more; it is read no further
// than that, so a megabyte of them costs no more than reading it.
func TestManyProblemsAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"at":"1m","note":{"author":"a","text":"b"}`)
	for i := 0; b.Len() < MaxWireLine-100; i++ {
		fmt.Fprintf(&b, `,"x%d":1`, i)
	}
	b.WriteString("}")
	var problems []string
	NewWireDecoder("w", time.Unix(0, 0), nil).Lines([]byte(b.String()), 1, func(Event, bool) { t.Error("an event") },
		func(err error) { problems = append(problems, err.Error()) })
	if len(problems) != maxProblems+1 || !strings.Contains(problems[maxProblems], "too many problems") {
		t.Errorf("%d problems, the last %q; want %d and a note of more", len(problems), problems[len(problems)-1], maxProblems+1)
	}

	var y strings.Builder
	y.WriteString(minimalHeader + "timeline:\n  - at: +0m\n    note: {author: a, text: b}\n")
	for i := range 20_000 {
		fmt.Fprintf(&y, "    x%d: 1\n", i)
	}
	_, err := LoadScenario("many.yaml", []byte(y.String()))
	if err == nil {
		t.Fatal("loads")
	}
	if n := len(err.(ProblemList)); n > maxProblems+1 {
		t.Errorf("%d problems for one item; want at most %d", n, maxProblems+1)
	}
}

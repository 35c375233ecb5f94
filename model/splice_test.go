package model

import (
	"slices"
	"testing"
)

// TestSpliceList checks spliceList against the way Apply builds a list (one
// bounded append per entry), for the list itself and for the prefixes the
// snapshots taken on the way get, and checks which array the result uses.
func TestSpliceList(t *testing.T) {
	const max = 10
	// built is base followed by the first k entries of tail, appended the way
	// Apply appends.
	built := func(base, tail []int, k int) []int {
		l := slices.Clip(slices.Clone(base))
		for _, e := range tail[:k] {
			l = bounded(append(l, e), max)
		}
		return l
	}
	seq := func(from, n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = from + i
		}
		return s
	}
	// working is a working state's list with room to grow, and base a
	// capped start of it, as a snapshot holds.
	working := make([]int, 0, 64)
	working = append(working, seq(1, 8)...)
	base := working[:4:4]
	tests := []struct {
		name  string
		base  []int
		tail  []int
		cur   []int
		marks []int // how much of tail each snapshot had seen
		reuse bool  // the result must be cur's array
	}{
		{"cur holds all of tail, nothing after: appended in place", base, seq(5, 4), working, []int{1, 3}, true},
		{"cur holds part of tail: the rest appended in place", base, seq(5, 5), working, []int{0, 5}, true},
		{"cur goes on past tail: its start is kept", base, seq(5, 2), working, []int{2}, true},
		{"cur changes after base: copied", base, []int{5, 99, 7}, working, []int{1, 2}, false},
		{"cur on another array with the same entries", base, seq(5, 3), slices.Clone(working), []int{3}, true},
		{"cur starts elsewhere: copied", base, seq(5, 3), seq(2, 8), []int{1}, false},
		{"no cur", base, seq(5, 3), nil, []int{0, 3}, false},
		{"empty base, cur with the same entries", nil, seq(1, 3), working, []int{1}, true},
		{"nothing appended: base as it is", base, nil, working, []int{0}, true},
		{"the bound drops the oldest half on the way", base, seq(5, 9), working, []int{0, 6, 7, 9}, false},
		{"the bound from an empty base", nil, seq(1, 14), working, []int{10, 11}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snaps := make([][]int, len(tt.marks))
			ptrs := make([]*[]int, len(tt.marks))
			for i, m := range tt.marks {
				snaps[i] = tt.tail[:m:m] // what a snapshot taken during the fold holds
				ptrs[i] = &snaps[i]
			}
			curBefore := slices.Clone(tt.cur)
			got := spliceList(tt.base, slices.Clip(slices.Clone(tt.tail)), tt.cur, max, ptrs)
			if want := built(tt.base, tt.tail, len(tt.tail)); !slices.Equal(got, want) {
				t.Fatalf("list %v, want %v", got, want)
			}
			for i, m := range tt.marks {
				if want := built(tt.base, tt.tail, m); !slices.Equal(snaps[i], want) || cap(snaps[i]) != len(snaps[i]) {
					t.Errorf("snapshot after %d entries: %v (cap %d), want %v, capped", m, snaps[i], cap(snaps[i]), want)
				}
			}
			if !slices.Equal(tt.cur, curBefore) {
				t.Errorf("cur's entries changed: %v, were %v", tt.cur, curBefore)
			}
			if reused := len(got) > 0 && len(tt.cur) > 0 && &got[0] == &tt.cur[0]; reused != tt.reuse {
				t.Errorf("result on cur's array: %v, want %v", reused, tt.reuse)
			}
		})
	}
}

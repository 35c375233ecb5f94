package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/warroom/warroom/model"
)

// TestConsoleInTmux runs the console on a scenario whose every text is
// hostile (testdata/hostile.yaml: escape sequences, C1 controls, bidi
// overrides, skin-tone emoji, ZWJ families, flags, VS16 hearts, CJK and
// combining marks) in a real tmux, and checks what tmux drew: every pane's
// borders at the same columns on every row, with the widths tmux itself
// gives each character; the pane title and the clipboard untouched; and,
// after quitting, a debrief file with nothing a terminal would act on.
func TestConsoleInTmux(t *testing.T) {
	for _, size := range []struct{ w, h int }{{120, 40}, {80, 24}} {
		t.Run(strconv.Itoa(size.w)+"x"+strconv.Itoa(size.h), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "debrief.md")
			s := startTmux(t, size.w, size.h, "run", "--scenario", "testdata/hostile.yaml", "--start", "T+55m",
				"--role", "facilitator", "--no-pause-on-inject", "--out", out, "--as", "tester")
			ready := func(sc []string) bool { return strings.Contains(strings.Join(sc, "\n"), "Hostile") }
			views := map[string][]string{"panes": s.waitFor("the console", ready)}
			for _, v := range []struct {
				name string
				keys []string
			}{
				{"carrier notice", []string{"3", "Enter"}},
				{"complaints zoomed", []string{"Escape", "4", "z"}},
				{"runbook zoomed", []string{"Escape", "5", "z"}},
				{"debrief", []string{"Escape", "D"}},
			} {
				before := strings.Join(s.screen(), "\n")
				s.keys(v.keys...)
				views[v.name] = s.waitFor(v.name, func(sc []string) bool { return strings.Join(sc, "\n") != before })
			}
			for name, sc := range views {
				checkBorders(t, s, name, sc)
			}
			if title := s.format("#{pane_title}"); strings.Contains(title, "pwned") || strings.Contains(title, "raw-title") {
				t.Errorf("the scenario set the pane title: %q", title)
			}
			if bufs := s.run("list-buffers"); bufs != "" {
				t.Errorf("something wrote the clipboard (OSC 52): %s", bufs)
			}

			s.keys("Escape", "q")
			s.waitFor("warroom to exit", func([]string) bool { return s.format("#{pane_dead}") == "1" })
			md, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("debrief not written: %v", err)
			}
			if v := model.Visible(string(md)); v != string(md) {
				t.Errorf("the debrief holds what a terminal acts on:\n%s", v)
			}
			if !strings.Contains(string(md), "# Debrief — Hostile") {
				t.Errorf("debrief lacks its title:\n%s", md)
			}
		})
	}
}

// Border characters of the panes.
const (
	topLeft, topRight, bottomLeft, bottomRight = '╭', '╮', '╰', '╯'
	vertical                                   = "│╭╮╰╯├┤"
)

// checkBorders checks one screen as tmux drew it: each row takes exactly the
// screen's width; within each band of panes (a row of tops to a row of
// bottoms) every row has a border at each column where the top row has a
// corner, and a pane row ends with one in the last column; a box drawn over
// the panes (a notice) has its sides in its corners' columns on every row.
func checkBorders(t *testing.T, s *tmuxSession, name string, sc []string) {
	t.Helper()
	seen := map[rune]bool{}
	for _, line := range sc {
		for _, r := range line {
			seen[r] = true
		}
	}
	widths := s.widths(seen)
	rows := make([]map[int]rune, len(sc)) // row → column → the rune drawn there
	for i, line := range sc {
		at, col := map[int]rune{}, 0
		for _, r := range line {
			w := 1
			if r >= utf8.RuneSelf {
				w = widths[r]
			}
			if w > 0 {
				at[col] = r
			}
			col += w
		}
		if col != s.w {
			t.Errorf("%s: row %d is %d cells wide in tmux, want %d:\n%s", name, i+1, col, s.w, line)
		}
		rows[i] = at
	}
	boxes := overlays(rows, s.w)
	covered := func(row, col int) bool {
		for _, b := range boxes {
			if row >= b.top && row <= b.bottom && col >= b.left && col <= b.right {
				return true
			}
		}
		return false
	}
	for _, b := range boxes {
		for row := b.top + 1; row < b.bottom; row++ {
			for _, col := range []int{b.left, b.right} {
				if rows[row][col] != '│' {
					t.Errorf("%s: row %d has %q in column %d where the box's side is:\n%s", name, row+1, rows[row][col], col+1, sc[row])
				}
			}
		}
	}
	var edges []int // the columns of the current band's corners
	for i, at := range rows {
		switch first := at[0]; {
		case first == topLeft:
			edges = edges[:0]
			for col := 0; col < s.w; col++ {
				if at[col] == topLeft || at[col] == topRight {
					edges = append(edges, col)
				}
			}
		case !strings.ContainsRune(vertical, first):
			edges = nil
			continue
		}
		if last := at[s.w-1]; !strings.ContainsRune(vertical, last) {
			t.Errorf("%s: row %d does not end with a border in column %d (%q):\n%s", name, i+1, s.w, last, sc[i])
		}
		for _, col := range edges {
			if !covered(i, col) && !strings.ContainsRune(vertical, at[col]) {
				t.Errorf("%s: row %d has %q in column %d where its pane's border is:\n%s", name, i+1, at[col], col+1, sc[i])
			}
		}
		if at[0] == bottomLeft {
			edges = nil
		}
	}
}

// box is a box drawn over the panes, by rows and columns from 0.
type box struct{ top, bottom, left, right int }

// overlays finds the boxes drawn over the panes: a top-left corner that does
// not follow a neighbouring pane's top-right corner, its top-right corner on
// the same row and its bottom-left corner below it.
func overlays(rows []map[int]rune, w int) []box {
	var boxes []box
	for top, at := range rows {
		for left := 1; left < w; left++ {
			if at[left] != topLeft || at[left-1] == topRight {
				continue
			}
			b := box{top: top, left: left, right: -1, bottom: -1}
			for col := left + 1; col < w && b.right < 0; col++ {
				if at[col] == topRight {
					b.right = col
				}
			}
			for row := top + 1; row < len(rows) && b.bottom < 0; row++ {
				if rows[row][left] == bottomLeft {
					b.bottom = row
				}
			}
			if b.right > 0 && b.bottom > 0 {
				boxes = append(boxes, b)
			}
		}
	}
	return boxes
}

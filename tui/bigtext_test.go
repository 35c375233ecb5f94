package tui

import (
	"strings"
	"testing"
)

// TestBigLines: the block font draws what it knows at every scale, in the
// cells bigWidth and bigHeight promise, and refuses what it does not.
func TestBigLines(t *testing.T) {
	tests := []struct {
		text  string
		scale int
		want  []string // nil: only the size is checked
	}{
		{"1", 1, []string{"▄█ ", " █ ", "▀▀▀"}},
		{"7%", 1, []string{"▀▀█ ▀ █", " ▄▀ ▄▀ ", " ▀  ▀ ▀"}},
		{"4", 2, []string{"██  ██", "██  ██", "██████", "    ██", "    ██"}},
		{"1.42M", 3, nil},
		{"Jul 21 09:00", 2, nil},
		{"−38k/h", 1, nil},
	}
	for _, tt := range tests {
		got := bigLines(tt.text, tt.scale)
		if len(got) != bigHeight(tt.scale) {
			t.Errorf("%q ×%d: %d lines, want %d", tt.text, tt.scale, len(got), bigHeight(tt.scale))
			continue
		}
		for i, l := range got {
			if width(l) != bigWidth(tt.text, tt.scale) {
				t.Errorf("%q ×%d: line %d is %d cells, want %d", tt.text, tt.scale, i, width(l), bigWidth(tt.text, tt.scale))
			}
		}
		if tt.want != nil && strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%q ×%d:\n%s\nwant\n%s", tt.text, tt.scale, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
	for _, bad := range []string{"", "ETA?", "✓", "Q"} {
		if bigLines(bad, 1) != nil || bigSupported(bad) {
			t.Errorf("%q: the font has no glyph for it and must draw nothing", bad)
		}
	}
	if bigLines("1", 0) != nil {
		t.Error("scale 0 must draw nothing")
	}
}

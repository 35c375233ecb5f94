package tui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestScreenWritesOnlyWhatChanged(t *testing.T) {
	var out bytes.Buffer
	s := NewScreen(&out, 10, 4)
	draw := func(frame string) string {
		t.Helper()
		out.Reset()
		n, err := s.Draw(frame)
		if err != nil || n != out.Len() {
			t.Fatalf("Draw: n %d err %v, wrote %d", n, err, out.Len())
		}
		return out.String()
	}

	first := draw("aaa\nbbb\nccc\nddd")
	for _, want := range []string{"aaa", "bbb", "ccc", "ddd", ansi.SetModeSynchronizedOutput, ansi.ResetModeSynchronizedOutput} {
		if !strings.Contains(first, want) {
			t.Errorf("first frame lacks %q: %q", want, first)
		}
	}
	if strings.Contains(first, ansi.EraseScreenBelow) {
		t.Error("a frame filling the screen must not erase below its last line (it would erase that line)")
	}
	if got := draw("aaa\nbbb\nccc\nddd"); got != "" {
		t.Errorf("an unchanged frame wrote %q", got)
	}
	changed := draw("aaa\nBBB\nccc\nddd")
	if !strings.Contains(changed, ansi.CursorPosition(1, 2)+"BBB") || strings.Contains(changed, "aaa") || strings.Contains(changed, "ccc") {
		t.Errorf("one changed line: wrote %q", changed)
	}
	shorter := draw("aaa\nBBB")
	if !strings.Contains(shorter, ansi.CursorPosition(1, 3)+ansi.EraseScreenBelow) {
		t.Errorf("a shorter frame must clear below it: %q", shorter)
	}
	s.Resize(5, 4)
	resized := draw("aaa\nBBB")
	if !strings.Contains(resized, "aaa") || !strings.Contains(resized, "BBB") {
		t.Errorf("after a resize everything is painted again: %q", resized)
	}
	long := draw("0123456789\nBBB")
	if !strings.Contains(long, "01234") || strings.Contains(long, "012345") {
		t.Errorf("lines are cut to the width: %q", long)
	}
	if strings.Contains(long, "01234"+ansi.EraseLineRight) {
		t.Errorf("a full-width line needs no erase (the cursor sits on the last cell): %q", long)
	}
	tall := draw("1\n2\n3\n4\n5\n6")
	if strings.Contains(tall, "H5") || strings.Contains(tall, "H6") {
		t.Errorf("lines below the screen must not be written: %q", tall)
	}
}

func TestScreenEnterLeave(t *testing.T) {
	var out bytes.Buffer
	s := NewScreen(&out, 10, 4)
	if err := s.Enter(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{ansi.SetModeAltScreenSaveCursor, ansi.HideCursor, ansi.SetModeBracketedPaste} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("Enter lacks %q", want)
		}
	}
	out.Reset()
	if err := s.Leave(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{ansi.ResetModeAltScreenSaveCursor, ansi.ShowCursor, ansi.ResetModeBracketedPaste} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("Leave lacks %q", want)
		}
	}
}

package tui

import (
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/warroom/warroom/room"
)

// TestRoomExtrasSharedRoom: the header's word on a room shared through
// NATS: offline, with the actions kept to send when it returns; catching
// up with how far behind; nothing when it is in step.
func TestRoomExtrasSharedRoom(t *testing.T) {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	st := NewStyles(r)
	for _, tc := range []struct {
		name        string
		snap        room.Snapshot
		long, short string
	}{
		{"in step", room.Snapshot{Shared: true}, "", ""},
		{"offline", room.Snapshot{Shared: true, Offline: true}, "room offline ✗", "offline ✗"},
		{"offline with kept actions", room.Snapshot{Shared: true, Offline: true, Kept: 3}, "room offline ✗ 3 kept", "offline ✗3"},
		{"catching up", room.Snapshot{Shared: true, Behind: 1200}, "catching up: 1200 behind", "1200 behind"},
		{"offline wins over behind", room.Snapshot{Shared: true, Offline: true, Behind: 5}, "room offline ✗", "offline ✗"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			long, short := roomExtras(st, &tc.snap)
			if long != tc.long || short != tc.short {
				t.Errorf("got %q / %q, want %q / %q", long, short, tc.long, tc.short)
			}
		})
	}
}

package model

import (
	"testing"
	"time"
)

func TestParseOffset(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"T+12:30", 12*time.Hour + 30*time.Minute, false},
		{"T+6h", 6 * time.Hour, false},
		{"+2h15m", 2*time.Hour + 15*time.Minute, false},
		{"90m", 90 * time.Minute, false},
		{"49:05", 49*time.Hour + 5*time.Minute, false},
		{"0", 0, false},
		{"T-1h", -time.Hour, false},
		{"", 0, true},
		{"T+", 0, true},
		{"T+12:75", 0, true},
		{"soon", 0, true},
		{"T+1x", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseOffset(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseOffset(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

package feed

import (
	"math"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
)

func TestPromPointDecode(t *testing.T) {
	for _, tc := range []struct {
		in    string
		at    time.Time
		value float64
		bad   bool
	}{
		{in: `[1721376570.123,"42"]`, at: time.UnixMilli(1721376570123).UTC(), value: 42},
		{in: `[1721376570,"-1.5e3"]`, at: time.Unix(1721376570, 0).UTC(), value: -1500},
		{in: `[1721376570,"NaN"]`, at: time.Unix(1721376570, 0).UTC(), value: math.NaN()},
		{in: `[1721376570,"+Inf"]`, at: time.Unix(1721376570, 0).UTC(), value: math.Inf(1)},
		{in: `[1721376570,"-Inf"]`, at: time.Unix(1721376570, 0).UTC(), value: math.Inf(-1)},
		{in: `[1721376570,42]`, bad: true},
		{in: `["1721376570","42"]`, bad: true},
		{in: `[1721376570]`, bad: true},
		{in: `[1721376570,"4x"]`, bad: true},
		{in: `{"t":1}`, bad: true},
	} {
		var p promPoint
		err := json.Unmarshal([]byte(tc.in), &p)
		if tc.bad {
			if err == nil {
				t.Errorf("%s: decoded to %+v, want an error", tc.in, p)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		same := p.Value == tc.value || (math.IsNaN(p.Value) && math.IsNaN(tc.value))
		if !p.At.Equal(tc.at) || !same {
			t.Errorf("%s = %v %v, want %v %v", tc.in, p.At, p.Value, tc.at, tc.value)
		}
	}
}

package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseOffset reads an offset from T+0 as people type it: "T+12:30",
// "T+6h", "+2h15m", "90m", "12:30" (hours:minutes) or "0".
func ParseOffset(s string) (time.Duration, error) {
	in := strings.TrimSpace(s)
	rest := strings.TrimPrefix(strings.TrimPrefix(in, "T"), "t")
	neg := strings.HasPrefix(rest, "-")
	rest = strings.TrimLeft(rest, "+-")
	if rest == "" {
		return 0, fmt.Errorf("offset %q: want T+hh:mm or a duration such as 2h15m", s)
	}
	var d time.Duration
	if h, m, ok := strings.Cut(rest, ":"); ok {
		hours, err1 := strconv.Atoi(h)
		mins, err2 := strconv.Atoi(m)
		if err1 != nil || err2 != nil || hours < 0 || mins < 0 || mins > 59 {
			return 0, fmt.Errorf("offset %q: want T+hh:mm with minutes 00-59", s)
		}
		d = time.Duration(hours)*time.Hour + time.Duration(mins)*time.Minute
	} else if rest == "0" {
		d = 0
	} else {
		var err error
		if d, err = time.ParseDuration(rest); err != nil {
			return 0, fmt.Errorf("offset %q: want T+hh:mm or a duration such as 2h15m", s)
		}
	}
	if neg {
		d = -d
	}
	return d, nil
}

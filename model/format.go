package model

import (
	"math"
	"strconv"
	"strings"
)

// Compact writes a count the way the panes do: 850, 4.2k, 38k, 1.42M.
func Compact(n int64) string {
	if n < 0 {
		return "-" + CompactFloat(float64(-n))
	}
	return CompactFloat(float64(n))
}

// CompactFloat writes a non-negative quantity compactly: 850, 4.2k, 38k,
// 1.42M. Boundaries round up (999.6 is "1k", not "1000").
func CompactFloat(v float64) string {
	switch {
	case v < 999.5:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v < 9950:
		return trimZeros(strconv.FormatFloat(v/1e3, 'f', 1, 64)) + "k"
	case v < 999500:
		return strconv.FormatFloat(v/1e3, 'f', 0, 64) + "k"
	default:
		return trimZeros(strconv.FormatFloat(v/1e6, 'f', 2, 64)) + "M"
	}
}

// Signed writes a rate with its sign: "+12k", "-850", "0".
func Signed(r float64) string {
	s := CompactFloat(math.Abs(r))
	switch {
	case s == "0":
		return "0"
	case r > 0:
		return "+" + s
	default:
		return "-" + s
	}
}

// trimZeros drops trailing zeros after a decimal point: "1.50" is "1.5".
func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Plural is a count with its noun: "1 warning", "2 warnings", "0 decisions".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

package tui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Wall-clock times are shown in UTC unless the console is given a zone
// (--tz, TZ, an SSH client's TZ). The zone is the console's, carried in its
// Styles as the colours are: every place that shows a wall time asks it,
// and the header says which zone it is. Files written (the --out debrief,
// the sitrep) stay in UTC and say so.

// LoadZone reads a time zone as --tz and TZ give it: an IANA name
// ("Europe/Berlin"), "UTC", or as TZ may also be written, with a leading
// ':' or as the path of a zoneinfo file. Empty is UTC.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimPrefix(strings.TrimSpace(name), ":")
	switch {
	case name == "" || name == "UTC" || name == "Z":
		return time.UTC, nil
	case strings.HasPrefix(name, "/"):
		data, err := readZoneFile(name)
		if err != nil {
			return nil, fmt.Errorf("unknown time zone: %w", err)
		}
		loc, err := time.LoadLocationFromTZData(name, data)
		if err != nil {
			return nil, fmt.Errorf("not a zoneinfo file: %w", err)
		}
		return loc, nil
	case name == "Local":
		return nil, errors.New("want a zone's name, such as Europe/Berlin or UTC, not Local")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, errors.New("unknown time zone: want a name such as Europe/Berlin, America/New_York or UTC")
	}
	return loc, nil
}

// maxZoneFile bounds a zoneinfo file read by path: the largest in
// /usr/share/zoneinfo is a few kilobytes.
const maxZoneFile = 256 << 10

// readZoneFile reads a zoneinfo file named by path: a regular file of at
// most maxZoneFile bytes (not a device, a FIFO or /proc's endless files).
func readZoneFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a zoneinfo file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxZoneFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxZoneFile {
		return nil, fmt.Errorf("%s is larger than a zoneinfo file", path)
	}
	return data, nil
}

// LoadClientZone reads a zone another machine sent: an SSH client's TZ.
// Only a zone's name is taken ("Europe/Berlin", "UTC", a leading ':'
// allowed), never a path, so that a client cannot make the server read its
// files or learn which exist; the error says no more than that.
func LoadClientZone(name string) (*time.Location, error) {
	n := strings.TrimPrefix(strings.TrimSpace(name), ":")
	ok := len(n) <= 64 && !strings.HasPrefix(n, "/") && !strings.Contains(n, "..")
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+-", r)) {
			ok = false
		}
	}
	if !ok {
		return nil, errors.New("unknown time zone: want a name such as Europe/Berlin, America/New_York or UTC")
	}
	return LoadZone(n)
}

// ZoneError is a zone that could not be read, with where it came from
// ("--tz", "TZ") and as what.
type ZoneError struct {
	From, Value string
	Err         error
}

func (e *ZoneError) Error() string { return fmt.Sprintf("%s %q: %v", e.From, e.Value, e.Err) }

func (e *ZoneError) Unwrap() error { return e.Err }

// ChooseZone is the zone times are shown in: the flag's when it was given,
// else the TZ variable's when set, else UTC.
func ChooseZone(flag string, flagGiven bool, getenv func(string) string) (*time.Location, error) {
	from, v := "--tz", flag
	if !flagGiven {
		from, v = "TZ", getenv("TZ")
	}
	loc, err := LoadZone(v)
	if err != nil {
		return nil, &ZoneError{From: from, Value: v, Err: err}
	}
	return loc, nil
}

// zone is the console's zone; nil means UTC.
func (s *Styles) zone() *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	return s.Zone
}

// zoneName is the zone's name at t as the header and stamps write it:
// UTC, CEST, or the offset (+0530) where the zone has no abbreviation.
func (s *Styles) zoneName(t time.Time) string {
	return t.In(s.zone()).Format("MST")
}

// wallShort is a wall-clock time as the panes show it: Jul 21 09:00, in
// the console's zone (which the header names).
func (s *Styles) wallShort(t time.Time) string { return t.In(s.zone()).Format("Jan 2 15:04") }

// wallStamp is a wall-clock time that says its zone, for text read away
// from the header (a notice, an inject): Jul 21 09:00 CEST.
func (s *Styles) wallStamp(t time.Time) string { return s.wallShort(t) + " " + s.zoneName(t) }

// headerWall is the header's wall time, long and short: "2024-07-19 12:09
// CEST" and "Jul 19 12:09 CEST"; in UTC "2024-07-19 10:09 UTC" and "Jul 19
// 10:09Z".
func (s *Styles) headerWall(t time.Time) (long, short string) {
	t = t.In(s.zone())
	name := s.zoneName(t)
	long = t.Format("2006-01-02 15:04 ") + name
	if s.zone() == time.UTC {
		return long, t.Format("Jan 2 15:04Z")
	}
	return long, t.Format("Jan 2 15:04 ") + name
}

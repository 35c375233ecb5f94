package cli

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/warroom/warroom/feed"
	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// incidentStart is T+0 of the journal the tests write, as a room would
// give its codec.
var incidentStart = time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)

// journalEvents are the events and actions of the test journal, in order.
func journalEvents() []journal.Entry {
	at := func(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }
	wall := func(s int) time.Time { return time.Date(2025, 3, 4, 10, 0, s, 500, time.UTC) }
	ev := func(pos int, at time.Duration, source string, body model.Body) journal.Entry {
		return journal.Entry{Kind: journal.KindEvent, Pos: pos, Wall: wall(pos), Event: model.Event{At: at, Source: source, Body: body}}
	}
	act := func(pos int, at time.Duration, by string, body model.Body, text string) journal.Entry {
		return journal.Entry{Kind: journal.KindAction, Pos: pos, Wall: wall(pos),
			Event: model.Event{At: at, Source: "responder:" + by, Text: text, Body: body}}
	}
	return []journal.Entry{
		ev(0, at(0, 21), "scenario", model.StatusUpdate{From: "AWS Health Dashboard", Text: "CrowdStrike Falcon agent issue"}),
		ev(1, at(0, 30), "scenario", model.HostStatus{Group: "wms-fulfilment", Recovered: 12, Total: 1240, Failed: 1228, State: model.HostsDown}),
		ev(2, at(4, 50)+1500*time.Millisecond, "scenario", model.CarrierWarning{ID: "ups-1", Carrier: "ups", Phase: model.WarningIssued,
			Severity: model.SeverityMajor, Region: "US, Europe", Headline: "Delays possible", Body: "Third-party software outage."}),
		act(3, at(5, 2), "ic", model.Acknowledgement{Warning: "ups-1", By: "ic"}, ""),
		act(4, at(5, 3), "ic", model.Note{Author: "ic", Text: "label hosts use instance store:\nmanual path only"}, ""),
		act(5, at(5, 4), "fac", model.Decision{By: "fac", Text: "post a seller status now", Wall: wall(5)}, ""),
		act(6, at(5, 5), "fac", model.WhatIf{Factor: 0.8, From: at(8, 0), By: "fac"}, ""),
	}
}

// writeJournal makes incident.db in dir: the events and actions above, a
// clock move, a member joining and an inject shown.
func writeJournal(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, "incident.db")
	j, err := journal.Open(path, model.NewJournalCodec(incidentStart), journal.Header{
		Kind: "scenario", Name: name, Identity: "5f2a9c0e7b31d4a8e6f1a2b3", Created: time.Date(2025, 3, 4, 9, 59, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	entries := journalEvents()
	for _, batch := range [][]journal.Entry{
		entries[:3],
		{{Kind: journal.KindPresence, Wall: entries[2].Wall, Presence: journal.Presence{Member: "ic", Role: "commander", Session: "1", Joined: true}}},
		entries[3:4], entries[4:5],
		{{Kind: journal.KindShown, Wall: entries[4].Wall, Shown: journal.Shown{Inject: "inj-guarantee"}}},
		entries[5:],
		{{Kind: journal.KindClock, Wall: entries[6].Wall, Clock: journal.Clock{At: 5 * time.Hour, Pos: 7, Speed: 60}}},
	} {
		if _, err := j.Append(batch, true); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// inDir runs the command line with paths in dir, and writes dir out of
// what it prints, so that the output does not depend on where dir is.
func inDir(t *testing.T, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	stdout, stderr, err = runCLI(t, args...)
	return strings.ReplaceAll(stdout, dir+string(filepath.Separator), ""), strings.ReplaceAll(stderr, dir+string(filepath.Separator), ""), err
}

func TestJournalExport(t *testing.T) {
	dir := t.TempDir()
	path := writeJournal(t, dir, "crowdstrike-primeday-2024")
	for _, args := range [][]string{{"journal", "export", path}, {"journal", "export", "--format", "ndjson", path}} {
		out, errOut, err := inDir(t, dir, args...)
		if err != nil || errOut != "" {
			t.Fatalf("%v: %v, stderr %q", args, err, errOut)
		}
		golden(t, "journal-export.ndjson", out)
	}

	// What export writes, an ndjson source reads back as the very events.
	out, _, _ := runCLI(t, "journal", "export", path)
	src := feed.NewNDJSON("replay", "-", feed.Clock{Origin: incidentStart})
	src.Input = strings.NewReader(out)
	src.OnError = func(err error) { t.Errorf("the ndjson source refuses the export: %v", err) }
	var got []model.Event
	err := src.Stream(context.Background(), func(batch []model.Event) { got = append(got, batch...) })
	if !errors.Is(err, feed.ErrEndOfInput) {
		t.Errorf("Stream: %v, want the end of input", err)
	}
	var want []model.Event
	for _, e := range journalEvents() {
		want = append(want, e.Event)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("replayed:\n got %#v\nwant %#v", got, want)
	}
}

func TestJournalVerify(t *testing.T) {
	tests := []struct {
		name           string
		header         string // the incident's name in the journal
		tamper         []string
		fail           bool
		stdout, stderr string // golden file names; stderr "" for none
	}{
		{name: "good", header: "crowdstrike-primeday-2024", stdout: "journal-verify-good.txt"},
		{name: "tampered", header: "crowdstrike \x1b]0;pwned\x07\u202etxt.exe", fail: true,
			tamper: []string{`DELETE FROM entries WHERE seq = 5`,
				`UPDATE entries SET body = replace(body, 'seller', 'SELLER') WHERE seq = 8`,
				`UPDATE header SET identity = 'another'`},
			stdout: "journal-verify-tampered.txt", stderr: "journal-verify-tampered.err"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeJournal(t, dir, tt.header)
			if len(tt.tamper) > 0 {
				db, err := sql.Open("sqlite", path)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range tt.tamper {
					if _, err := db.Exec(s); err != nil {
						t.Fatalf("%s: %v", s, err)
					}
				}
				db.Close()
			}
			out, errOut, err := inDir(t, dir, "journal", "verify", path)
			if (err != nil) != tt.fail {
				t.Errorf("verify: %v, want failure %v", err, tt.fail)
			}
			golden(t, tt.stdout, out)
			if tt.stderr == "" && errOut != "" {
				t.Errorf("stderr %q, want nothing", errOut)
			} else if tt.stderr != "" {
				golden(t, tt.stderr, errOut)
			}
			if strings.ContainsAny(out+errOut, "\x1b\x07\u202e") {
				t.Errorf("output carries what a terminal would act on:\n%q", out+errOut)
			}
		})
	}
}

func TestJournalCommandsRefuse(t *testing.T) {
	dir := t.TempDir()
	path := writeJournal(t, dir, "crowdstrike-primeday-2024")
	notes, missing := filepath.Join(dir, "notes.txt"), filepath.Join(dir, "missing.db")
	if err := os.WriteFile(notes, []byte("not a journal, not even SQLite, just some text that goes on for a while"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string // on stderr
	}{
		{[]string{"journal", "export", "--format", "csv", path}, `warroom: --format "csv": the only format is ndjson` + "\n"},
		{[]string{"journal", "verify", missing}, "warroom: journal: stat missing.db: no such file or directory\n"},
		{[]string{"journal", "export", missing}, "warroom: journal: stat missing.db: no such file or directory\n"},
		{[]string{"journal", "verify", notes}, "warroom: journal notes.txt: not a warroom journal ("},
		{[]string{"journal", "export"}, "warroom: give a journal FILE, or --nats and --room for a room kept in NATS, not both\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out, errOut, err := inDir(t, dir, tt.args...)
			if err == nil || out != "" || !strings.HasPrefix(errOut, tt.want) {
				t.Errorf("got %v, stdout %q, stderr %q; want a failure saying %q", err, out, errOut, tt.want)
			}
		})
	}
	// A journal whose header is gone is not exported: verify says why.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM header`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, errOut, err := inDir(t, dir, "journal", "export", path)
	if want := "warroom: journal incident.db: no header: the journal says nothing of the incident it belongs to\n"; err == nil || out != "" || errOut != want {
		t.Errorf("export without a header: %v, stdout %q, stderr %q; want %q", err, out, errOut, want)
	}
	out, errOut, err = inDir(t, dir, "journal", "verify", path)
	if err == nil || !strings.Contains(out, "incident  unknown: no header") || !bytes.Contains([]byte(errOut), []byte("incident.db: no header")) {
		t.Errorf("verify without a header: %v, stdout %q, stderr %q", err, out, errOut)
	}
}

// TestJournalDebrief: a room run with a journal, gone; its debrief comes
// from the journal alone, with the decisions its members recorded.
func TestJournalDebrief(t *testing.T) {
	path := filepath.Join(t.TempDir(), "drill.db")
	sc, err := feed.OpenScenario("oncall-training-30m")
	if err != nil {
		t.Fatal(err)
	}
	r, err := openRoom(sc, false, path, room.WithPauseOnInject(false))
	if err != nil {
		t.Fatal(err)
	}
	seat := r.Join(room.Member{Name: "ana", Role: room.RoleCommander}, "s")
	if _, err := seat.NextInject(); err != nil {
		t.Fatal(err)
	}
	if _, err := seat.Act(model.Decision{By: "ana", Text: "post an ETA in ten minutes"}, ""); err != nil {
		t.Fatal(err)
	}
	seat.Leave()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCLI(t, "journal", "debrief", path)
	if err != nil {
		t.Fatalf("debrief: %v\n%s", err, stderr)
	}
	for _, want := range []string{"# Debrief — On-call training", "1 decision recorded", "UTC, ana): post an ETA in ten minutes"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the debrief lacks %q:\n%s", want, stdout)
		}
	}
	out := filepath.Join(t.TempDir(), "debrief.md")
	if _, stderr, err := runCLI(t, "journal", "debrief", path, "--out", out); err != nil {
		t.Fatalf("debrief --out: %v\n%s", err, stderr)
	}
	if md, err := os.ReadFile(out); err != nil || string(md) != stdout {
		t.Errorf("--out wrote something else than stdout (%v)", err)
	}
}

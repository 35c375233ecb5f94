// Package report writes what is said about an incident: the status-update
// drafts a room sends (customers, sellers, leadership, carriers), filled
// from its figures at one moment.
package report

import (
	"time"

	"github.com/warroom/warroom/model"
)

// Figures is what a draft's template is filled with: the room at one
// moment. It is model.Sitrep (whose fields a template names directly:
// .Title, .Severity, .Offset, .Hosts.PercentBack, .Backlog.Waiting,
// .Warnings, .Unacked, .Complaints.Total, .Runbook, .Recent …) with what a
// status update needs beyond it: times as people write them, the ETA
// range, the late orders by promise class and the updates already sent.
// The names are the format's: fixtures/templates/README.md lists them.
type Figures struct {
	model.Sitrep
	Start  string     // T+0 as a wall time, "Jul 19 04:09 UTC"
	Now    string     // the moment, "Jul 19 16:09 UTC"
	ETA    ETA        // when the backlog is back to normal
	Late   LateOrders // orders past their promised delivery date
	Sender string     // who is drafting: the responder's handle
	Sent   []Sent     // updates sent so far, oldest first
}

// ETA is the backlog forecast as a draft says it.
type ETA struct {
	Known   bool   // the backlog is draining and a time can be given
	Cleared bool   // the backlog is already back to normal
	At      string // the most likely time, "Jul 21 09:00 UTC"
	Early   string // the earliest
	Late    string // the latest; empty when Bounded is false
	Bounded bool   // the forecast has an upper bound
}

// LateOrders is the part of the backlog past its promised delivery date.
type LateOrders struct {
	Known   bool  // the backlog source reports late orders
	Orders  int64 // late orders
	Waiting int64 // all orders waiting, late or not
	Classes []PromiseClass
}

// PromiseClass is one delivery promise's part of the backlog.
type PromiseClass struct {
	ID, Name      string
	Waiting, Late int64
}

// Sent is a status update already sent.
type Sent struct {
	Offset   string // T+hh:mm
	By       string
	Template string
	Audience string
}

// wallFormat is how a draft writes a time: people read it, in UTC.
const wallFormat = "Jan 02 15:04 UTC"

// BuildFigures is the room's figures at its state's Now, for a draft that
// sender writes.
func BuildFigures(sc *model.Scenario, s *model.State, sender string) Figures {
	f := Figures{
		Sitrep: model.BuildSitrep(sc, s),
		Start:  sc.WallTime(0).UTC().Format(wallFormat),
		Now:    sc.WallTime(s.Now).UTC().Format(wallFormat),
		Sender: sender,
	}
	fc := s.BacklogForecast()
	wall := func(d time.Duration) string { return sc.WallTime(d).UTC().Format(wallFormat) }
	switch {
	case fc.OK && fc.Cleared:
		f.ETA.Cleared = true
	case fc.OK && fc.Draining:
		f.ETA = ETA{Known: true, At: wall(fc.ETA), Early: wall(fc.Early), Bounded: fc.Late >= 0}
		if f.ETA.Bounded {
			f.ETA.Late = wall(fc.Late)
		}
	}
	if p, ok := s.Backlog.Latest(); ok {
		f.Late.Waiting = p.Waiting
		f.Late.Known, f.Late.Orders = p.HasLate, p.Late
		for _, c := range s.Backlog.Classes {
			for _, pc := range p.Promise() {
				if pc.Class == c.ID {
					f.Late.Classes = append(f.Late.Classes, PromiseClass{ID: c.ID, Name: c.Name, Waiting: pc.Waiting, Late: pc.Late})
				}
			}
		}
	}
	for _, u := range s.Sent {
		f.Sent = append(f.Sent, Sent{Offset: model.FormatOffset(u.At), By: u.By, Template: u.Template, Audience: u.Audience})
	}
	return f
}

// fullFigures has every part a template can name present and every list
// non-empty, so that executing a template against it reaches each field
// it names in the branches figures usually take.
func fullFigures() Figures {
	s := model.Sitrep{
		Title: "Incident", Severity: "SEV1", Offset: "T+12:00", Time: time.Date(2024, 7, 19, 16, 9, 0, 0, time.UTC),
		Hosts: model.SitrepHosts{Recovered: 5, Total: 10, Failed: 5, PercentBack: 50, RatePerHour: 1,
			Groups: []model.SitrepGroup{{ID: "g", Name: "group", Recovered: 5, Total: 10, Failed: 5, State: "recovering", RatePerHour: 1, Reported: true}}},
		Warnings:   []model.SitrepWarning{{Carrier: "UPS", Severity: "major", Region: "US", Headline: "delays", Updated: "T+01:00"}},
		Unacked:    1,
		Complaints: model.SitrepComplaint{Total: 2, LastHour: 1, ByTopic: []model.SitrepTopic{{Topic: "late", Count: 2}}},
		Runbook:    []model.SitrepStep{{Title: "step", State: "active"}},
		Recent:     []model.SitrepEntry{{Offset: "T+11:00", Text: "line"}},
	}
	eta := s.Time.Add(24 * time.Hour)
	s.Backlog = model.SitrepBacklog{Waiting: 100, Peak: 200, PeakAt: "T+06:00", RatePerHour: -10, Draining: true,
		ETA: &eta, ETAEarly: &eta, ETALate: &eta, Summary: "draining"}
	return Figures{
		Sitrep: s, Start: "Jul 19 04:09 UTC", Now: "Jul 19 16:09 UTC",
		ETA: ETA{Known: true, At: "Jul 20 16:09 UTC", Early: "Jul 20 10:00 UTC", Late: "Jul 21 00:00 UTC", Bounded: true},
		Late: LateOrders{Known: true, Orders: 10, Waiting: 100,
			Classes: []PromiseClass{{ID: "one-day", Name: "one-day", Waiting: 50, Late: 10}}},
		Sender: "ic",
		Sent:   []Sent{{Offset: "T+10:00", By: "ic", Template: "seller", Audience: "sellers"}},
	}
}

// emptyFigures is the figures of a room with nothing reported yet: the
// other branches.
func emptyFigures() Figures {
	f := Figures{Sitrep: model.Sitrep{Warnings: []model.SitrepWarning{}, Runbook: []model.SitrepStep{}, Recent: []model.SitrepEntry{}}}
	f.Complaints.ByTopic = []model.SitrepTopic{}
	return f
}

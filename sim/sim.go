// Package sim serves a scenario as the live endpoints warroom's sources
// read: Prometheus metrics, carriers' Atlassian Statuspage pages, an RSS feed
// of seller complaints and the NDJSON event stream. It replays the scenario in
// real time (at a speed) so that live mode can be tried, demonstrated and
// tested end to end without an incident.
//
// Every request computes the state at the current simulated time with a
// model.Cursor, so the endpoints always agree with each other and with a
// replay of the scenario to the same offset. Times in the documents are the
// scenario's own (wall = Meta.Start + offset), or, after StampRealTime, the
// real time at which the replay passes that offset — what a live console
// needs, since Prometheus stamps the samples it scrapes with its own clock
// (warroom_sim_offset_seconds says which simulated moment a scrape saw).
package sim

import (
	"net/http"
	"sync"
	"time"

	"github.com/warroom/warroom/model"
)

// Simulator replays a scenario in real time and serves it over HTTP. It is
// safe for concurrent use.
type Simulator struct {
	sc    *model.Scenario
	speed float64
	start time.Duration
	now   func() time.Time
	t0    time.Time // real time at New: the moment the simulated clock was at start
	real  bool      // stamp documents with real time instead of the scenario's dates

	mu  sync.Mutex // guards cur, which is not safe for concurrent use
	cur *model.Cursor
}

// New serves sc from offset start, moving speed simulated seconds per real
// second from now (speed 0 holds the clock at start). The simulated clock
// stays within [0, the scenario's last event]: once the scenario is over, the
// endpoints keep showing its end. A nil now means time.Now; now must be
// safe for concurrent use, as requests call it.
func New(sc *model.Scenario, speed float64, start time.Duration, now func() time.Time) *Simulator {
	if now == nil {
		now = time.Now
	}
	return NewTimeline(sc, Timeline{Scenario: sc.Name, Speed: speed, Start: start, Began: now()}, now)
}

// NewTimeline serves sc on a timeline that may have begun before: a
// simulator restarted on the timeline it had goes on with the same incident
// at the same times (see ContinueTimeline).
func NewTimeline(sc *model.Scenario, tl Timeline, now func() time.Time) *Simulator {
	if now == nil {
		now = time.Now
	}
	s := &Simulator{
		sc:    sc,
		speed: max(tl.Speed, 0),
		start: tl.Start,
		now:   now,
		t0:    tl.Began,
		cur:   model.NewCursor(model.NewState(sc), sc.Events),
	}
	return s
}

// Offset is the simulated time now, as an offset from the scenario's T+0.
func (s *Simulator) Offset() time.Duration {
	off := s.start + time.Duration(float64(s.now().Sub(s.t0))*s.speed)
	return min(max(off, 0), s.sc.End())
}

// view is the scenario at one simulated moment: the state and the events
// applied to reach it. It belongs to the request that took it.
type view struct {
	at     time.Duration
	state  model.State
	events []model.Event // the applied events, in order; shared, never modified
}

// view seeks the cursor to the current simulated time and copies what the
// handlers need out of it.
func (s *Simulator) view() view {
	at := s.Offset()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur.Seek(at)
	return view{at: at, state: s.cur.State().Clone(), events: s.cur.Events()[:s.cur.Pos():s.cur.Pos()]}
}

// StampRealTime makes the documents carry the real time at which the replay
// passes each offset (t0 + (offset−start)/speed), so that every source of a
// live console, Prometheus included, shares one time axis. Call it before
// serving.
func (s *Simulator) StampRealTime() { s.real = true }

// wall is an offset as wall-clock time: the scenario's, or the replay's real
// time after StampRealTime.
func (s *Simulator) wall(at time.Duration) time.Time {
	if !s.real {
		return s.sc.WallTime(at).UTC()
	}
	speed := s.speed
	if speed == 0 {
		speed = 1
	}
	return s.t0.Add(time.Duration(float64(at-s.start) / speed)).UTC()
}

// Handler serves the endpoints:
//
//	GET /                                          this list, as text
//	GET /metrics                                   Prometheus metrics
//	GET /statuspage/{carrier}/api/v2/summary.json  a carrier's status page: unresolved incidents
//	GET /statuspage/{carrier}/api/v2/incidents.json  ... and every incident
//	GET /rss/complaints.xml                        RSS 2.0: the latest 200 seller complaints
//	GET /events.ndjson[?since=RFC3339]             every event so far, as warroom's wire format
func (s *Simulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.serveIndex)
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	mux.HandleFunc("GET /statuspage/{carrier}/api/v2/summary.json", s.serveStatuspage(true))
	mux.HandleFunc("GET /statuspage/{carrier}/api/v2/incidents.json", s.serveStatuspage(false))
	mux.HandleFunc("GET /rss/complaints.xml", s.serveRSS)
	mux.HandleFunc("GET /events.ndjson", s.serveEvents)
	return mux
}

package feed

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/warroom/warroom/model"
)

// Running is a source built from the config, with its schedule.
type Running struct {
	Source   Source
	Schedule Schedule
}

// Build makes the configured sources. env looks up the environment
// variables that hold secrets; errors may name a variable, never its value.
// Entries a source skips as bad are reported through runner.BadEntries.
func (c *Config) Build(clock Clock, env func(string) (string, bool), runner *Runner) ([]Running, error) {
	var out []Running
	for i, sc := range c.Sources {
		src, feeds, err := sc.build(clock, env, runner.BadEntries(sc.Name))
		if err != nil {
			return nil, fmt.Errorf("%s: sources[%d] (%s): %w", c.File, i, sc.Name, err)
		}
		sch := sc.Schedule()
		sch.Feeds = feeds
		out = append(out, Running{Source: src, Schedule: sch})
	}
	return out, nil
}

func (s SourceConfig) build(clock Clock, env func(string) (string, bool), bad func(error)) (Source, []model.Kind, error) {
	headers := s.Auth.headers(env)
	client := &http.Client{}
	if len(headers) > 0 {
		client.Transport = headerTransport{base: http.DefaultTransport, headers: headers}
	}
	switch s.Kind {
	case KindPrometheus:
		cfg := PrometheusConfig{URL: s.URL, Headers: headers}
		var feeds []model.Kind
		if h := s.Hosts; h != nil {
			cfg.Hosts = &PromHosts{Recovered: h.Recovered, Total: h.Total, Failed: h.Failed, Label: h.Label,
				Steps: h.Steps, StepLabel: h.StepLabel}
			feeds = append(feeds, model.KindHostStatus)
		}
		if b := s.Backlog; b != nil {
			backfill, _ := time.ParseDuration(b.Backfill) // checked by LoadConfig
			step, _ := time.ParseDuration(b.Step)
			cfg.Backlog = &PromBacklog{Waiting: b.Waiting, Inflow: b.Inflow, Shipped: b.Shipped, Late: b.Late,
				Backfill: backfill, Step: step}
			if bp := b.ByPromise; bp != nil {
				cfg.Backlog.ByPromise = &PromPromise{Waiting: bp.Waiting, Late: bp.Late, Label: bp.Label}
			}
			feeds = append(feeds, model.KindBacklog)
		}
		p, err := NewPrometheus(s.Name, cfg, clock, nil)
		return p, feeds, err
	case KindStatuspage:
		return NewStatuspage(s.Name, s.URL, s.Carrier, clock, client), []model.Kind{model.KindWarning}, nil
	case KindRSS:
		m := RSSMapping{As: s.As, Carrier: s.Carrier, Severity: model.Severity(s.Severity),
			Channel: s.Channel, DefaultTopic: s.DefaultTopic}
		for _, t := range s.Topics {
			m.Topics = append(m.Topics, TopicRule{Topic: t.Topic, Keywords: t.Keywords})
		}
		kind := model.KindComplaint
		if s.As == "warnings" {
			kind = model.KindWarning
		}
		return NewRSS(s.Name, s.URL, m, clock, client), []model.Kind{kind}, nil
	case KindHTTP:
		h := NewHTTP(s.Name, s.URL, headers, clock)
		h.OnError = bad
		return h, nil, nil
	case KindExec:
		x := NewExec(s.Name, s.Command, clock)
		x.Shell, x.OnError = s.Shell, bad
		return x, nil, nil
	case KindNDJSON:
		n := NewNDJSON(s.Name, s.Path, clock)
		n.OnError = bad
		return n, nil, nil
	}
	return nil, nil, fmt.Errorf("unknown kind %q", s.Kind)
}

// headers builds the Authorization header from the named variables.
func (a *AuthConfig) headers(env func(string) (string, bool)) map[string]string {
	if a == nil {
		return nil
	}
	if a.BearerEnv != "" {
		tok, _ := env(a.BearerEnv)
		return map[string]string{"Authorization": "Bearer " + tok}
	}
	if a.UserEnv != "" || a.PasswordEnv != "" {
		user, _ := env(a.UserEnv)
		pass, _ := env(a.PasswordEnv)
		return map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))}
	}
	return nil
}

// Start runs every source on its own goroutine until ctx ends, sending
// events and health to sink. The returned function waits for them to stop.
func Start(ctx context.Context, runner *Runner, sources []Running) (wait func()) {
	var wg sync.WaitGroup
	for _, s := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch src := s.Source.(type) {
			case Poller:
				runner.Poll(ctx, src, s.Schedule)
			case Streamer:
				runner.Stream(ctx, src, s.Schedule)
			}
		}()
	}
	return wg.Wait
}

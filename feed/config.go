package feed

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/warroom/warroom/model"
)

// Config is a live console's configuration: what the incident is and which
// sources feed it.
type Config struct {
	File     string            `json:"-"`
	Incident IncidentConfig    `json:"incident,omitzero"`
	Sources  []SourceConfig    `json:"sources,omitzero"`
	Alerts   []model.AlertRule `json:"alerts,omitzero" check:"unique=alert" doc:"Alert rules, as a scenario's alerts."`
}

// IncidentConfig names the incident and declares what exists in it.
type IncidentConfig struct {
	Title    string `json:"title,omitzero"`
	Severity string `json:"severity,omitzero"`
	// Start is T+0 (RFC 3339). Empty: when warroom starts.
	Start string `json:"start,omitzero"`
	// Scenario, when set, lends its host groups, carriers, topics and
	// runbook (not its timeline) by name or file.
	Scenario string `json:"scenario,omitzero"`
}

// SourceConfig is one source. Which fields apply depends on Kind.
type SourceConfig struct {
	Name     string `json:"name,omitzero"`
	Kind     string `json:"kind,omitzero"`     // prometheus, statuspage, rss, http, exec, ndjson
	Interval string `json:"interval,omitzero"` // between polls; default 30s
	Timeout  string `json:"timeout,omitzero"`  // one poll's limit; default 10s

	URL  string      `json:"url,omitzero"`  // prometheus, statuspage, rss, http
	Auth *AuthConfig `json:"auth,omitzero"` // prometheus, statuspage, rss, http

	Hosts   *PromHostsConfig   `json:"hosts,omitzero"`   // prometheus
	Backlog *PromBacklogConfig `json:"backlog,omitzero"` // prometheus

	Carrier string `json:"carrier,omitzero"` // statuspage; rss as warnings

	As           string            `json:"as,omitzero"`            // rss: complaints or warnings
	Channel      string            `json:"channel,omitzero"`       // rss as complaints
	Topics       []TopicRuleConfig `json:"topics,omitzero"`        // rss as complaints
	DefaultTopic string            `json:"default_topic,omitzero"` // rss as complaints
	Severity     string            `json:"severity,omitzero"`      // rss as warnings

	Command []string `json:"command,omitzero"` // exec: argv
	Shell   bool     `json:"shell,omitzero"`   // exec: run command[0] with sh -c

	Path string `json:"path,omitzero"` // ndjson: a file to follow, or "-" for stdin

	interval, timeout time.Duration
}

// AuthConfig names environment variables that hold secrets; the secrets
// themselves never appear in the config, the screen or an error.
type AuthConfig struct {
	BearerEnv   string `json:"bearer_env,omitzero"`
	UserEnv     string `json:"user_env,omitzero"`
	PasswordEnv string `json:"password_env,omitzero"`
}

// PromHostsConfig maps PromQL queries to host groups.
type PromHostsConfig struct {
	Recovered string `json:"recovered,omitzero"`
	Total     string `json:"total,omitzero"`
	Failed    string `json:"failed,omitzero"`
	Label     string `json:"label,omitzero"` // the label naming the group; default "group"
	// Steps gives the hosts at each recovery step, one series per group and
	// step, the step named by StepLabel (default "step"): crashed,
	// rebooting, rescue, manual, bitlocker, instance_store.
	Steps     string `json:"steps,omitzero"`
	StepLabel string `json:"step_label,omitzero"`
}

// PromBacklogConfig maps PromQL queries to the backlog.
type PromBacklogConfig struct {
	Waiting  string `json:"waiting,omitzero"`
	Inflow   string `json:"inflow,omitzero"`
	Shipped  string `json:"shipped,omitzero"`
	Late     string `json:"late,omitzero"`     // orders past their promised date
	Backfill string `json:"backfill,omitzero"` // history fetched at start, e.g. 6h
	Step     string `json:"step,omitzero"`     // its resolution; default 1m
	// ByPromise splits the backlog by delivery promise class.
	ByPromise *PromPromiseConfig `json:"by_promise,omitzero"`
}

// PromPromiseConfig maps PromQL queries to the backlog by promise class:
// one series per class, named by the label.
type PromPromiseConfig struct {
	Waiting string `json:"waiting,omitzero"`
	Late    string `json:"late,omitzero"`
	Label   string `json:"label,omitzero"` // the label naming the class; default "promise"
}

// TopicRuleConfig files an item under a topic when a keyword appears.
type TopicRuleConfig struct {
	Topic    string   `json:"topic,omitzero"`
	Keywords []string `json:"keywords,omitzero"`
}

// Source kinds.
const (
	KindPrometheus = "prometheus"
	KindStatuspage = "statuspage"
	KindRSS        = "rss"
	KindHTTP       = "http"
	KindExec       = "exec"
	KindNDJSON     = "ndjson"
)

var sourceKinds = []string{KindPrometheus, KindStatuspage, KindRSS, KindHTTP, KindExec, KindNDJSON}

// Defaults for a source's schedule.
const (
	DefaultInterval = 30 * time.Second
	DefaultTimeout  = 10 * time.Second
)

// DefaultConfigPath is where warroom looks for a config when none is given:
// $XDG_CONFIG_HOME/warroom/config.yaml (or ~/.config/warroom/config.yaml).
func DefaultConfigPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "warroom", "config.yaml")
}

// LoadConfig parses and checks a config. A bad config's error is a
// model.ProblemList naming file:line:col and the field for every problem
// found. env looks up environment variables (os.LookupEnv in production).
// The YAML is read by the model's typed decoder (model.DecodeYAML), as a
// scenario file is: unknown and duplicate keys and wrong types are
// problems, and so is everything the alert rules' tags and checks refuse.
func LoadConfig(file string, data []byte, env func(string) (string, bool)) (*Config, error) {
	c := &Config{}
	doc, problems := model.DecodeYAML(file, data, c)
	if doc == nil || len(problems) > 0 && !decoded(problems) {
		return nil, problems
	}
	c.File = file
	ck := &configChecker{doc: doc, problems: problems, refused: map[string]bool{}}
	for _, p := range problems {
		ck.refused[p.Field] = true
	}
	c.check(ck, env)
	if len(ck.problems) > 0 {
		return nil, model.ProblemList(sortedProblems(ck.problems))
	}
	model.SanitizeAlertRules(c.Alerts)
	return c, nil
}

// decoded reports whether the document was read far enough for the
// config's own checks (no syntax problem: those have no field).
func decoded(ps model.ProblemList) bool {
	for _, p := range ps {
		if p.Field == "" {
			return false
		}
	}
	return true
}

// sortedProblems orders problems by position, keeping their order at one
// place.
func sortedProblems(ps model.ProblemList) model.ProblemList {
	slices.SortStableFunc(ps, func(a, b model.Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return ps
}

// configChecker collects problems with the position of the field concerned.
type configChecker struct {
	doc      *model.YAMLDoc
	problems model.ProblemList
	refused  map[string]bool // fields the decoder refused: said once is enough
}

// add reports a problem at a field; a missing field is reported at its
// parent, where it should have been.
func (ck *configChecker) add(field, format string, args ...any) {
	if ck.refused[field] {
		return
	}
	ck.problems = append(ck.problems, ck.doc.Problem(field, format, args...))
}

func (c *Config) check(ck *configChecker, env func(string) (string, bool)) {
	if c.Incident.Start != "" {
		if _, err := time.Parse(time.RFC3339, c.Incident.Start); err != nil {
			ck.add("incident.start", "want an RFC 3339 time such as 2024-07-19T04:09:00Z, got %q", c.Incident.Start)
		}
	}
	if len(c.Sources) == 0 {
		ck.add("sources", "no sources: list at least one")
	}
	seen := map[string]int{}
	for i := range c.Sources {
		s := &c.Sources[i]
		at := func(field string) string { return fmt.Sprintf("sources[%d].%s", i, field) }
		switch {
		case s.Name == "":
			ck.add(at("name"), "missing: every source needs a name")
		case seen[s.Name] > 0:
			ck.add(at("name"), "duplicate source name %q (also sources[%d])", s.Name, seen[s.Name]-1)
		default:
			seen[s.Name] = i + 1
		}
		if !slices.Contains(sourceKinds, s.Kind) {
			ck.add(at("kind"), "unknown kind %q: want one of %s", s.Kind, strings.Join(sourceKinds, ", "))
			continue
		}
		s.interval = duration(ck, at("interval"), s.Interval, DefaultInterval)
		s.timeout = duration(ck, at("timeout"), s.Timeout, DefaultTimeout)
		needURL := s.Kind != KindExec && s.Kind != KindNDJSON
		if needURL {
			if u, err := url.Parse(s.URL); s.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") {
				ck.add(at("url"), "want an http or https URL, got %q", s.URL)
			}
		}
		if s.Auth != nil {
			for field, name := range map[string]string{"bearer_env": s.Auth.BearerEnv, "user_env": s.Auth.UserEnv, "password_env": s.Auth.PasswordEnv} {
				if name == "" {
					continue
				}
				if _, ok := env(name); !ok {
					ck.add(at("auth."+field), "environment variable %s is not set", name)
				}
			}
		}
		switch s.Kind {
		case KindPrometheus:
			if s.Hosts == nil && s.Backlog == nil {
				ck.add(at("kind"), "a prometheus source needs hosts or backlog queries")
			}
			if s.Hosts != nil && (s.Hosts.Recovered == "" || s.Hosts.Total == "") {
				ck.add(at("hosts"), "hosts needs recovered and total queries")
			}
			if s.Backlog != nil {
				if s.Backlog.Waiting == "" {
					ck.add(at("backlog.waiting"), "missing: the query for orders waiting")
				}
				if bp := s.Backlog.ByPromise; bp != nil && bp.Waiting == "" {
					ck.add(at("backlog.by_promise.waiting"), "missing: the query for orders waiting by promise class")
				}
				duration(ck, at("backlog.backfill"), s.Backlog.Backfill, 0)
				duration(ck, at("backlog.step"), s.Backlog.Step, time.Minute)
			}
		case KindStatuspage:
			if s.Carrier == "" {
				ck.add(at("carrier"), "missing: which carrier the page is for")
			}
		case KindRSS:
			switch s.As {
			case "complaints":
			case "warnings":
				if s.Carrier == "" {
					ck.add(at("carrier"), "missing: rss as warnings needs the carrier")
				}
			default:
				ck.add(at("as"), "want complaints or warnings, got %q", s.As)
			}
		case KindExec:
			if len(s.Command) == 0 {
				ck.add(at("command"), "missing: the command to run, as a list (argv)")
			}
		case KindNDJSON:
			if s.Path == "" {
				ck.add(at("path"), `missing: a file to follow, or "-" for stdin`)
			}
		}
	}
}

// duration parses an optional duration field.
func duration(ck *configChecker, field, s string, def time.Duration) time.Duration {
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		ck.add(field, "want a positive duration such as 15s or 2m, got %q", s)
		return def
	}
	return d
}

// Schedule is the source's interval and timeout (defaults applied).
func (s SourceConfig) Schedule() Schedule {
	return Schedule{Interval: s.interval, Timeout: s.timeout}
}

// StartTime is T+0: the configured start, or now.
func (c *Config) StartTime(now time.Time) time.Time {
	if t, err := time.Parse(time.RFC3339, c.Incident.Start); err == nil {
		return t.UTC()
	}
	return now.UTC().Truncate(time.Minute)
}

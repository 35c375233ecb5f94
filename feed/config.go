package feed

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/warroom/warroom/model"
)

// Config is a live console's configuration: what the incident is and which
// sources feed it.
type Config struct {
	File     string
	Incident IncidentConfig `yaml:"incident"`
	Sources  []SourceConfig `yaml:"sources"`
}

// IncidentConfig names the incident and declares what exists in it.
type IncidentConfig struct {
	Title    string `yaml:"title"`
	Severity string `yaml:"severity"`
	// Start is T+0 (RFC 3339). Empty: when warroom starts.
	Start string `yaml:"start"`
	// Scenario, when set, lends its host groups, carriers, topics and
	// runbook (not its timeline) by name or file.
	Scenario string `yaml:"scenario"`
}

// SourceConfig is one source. Which fields apply depends on Kind.
type SourceConfig struct {
	Name     string `yaml:"name"`
	Kind     string `yaml:"kind"`     // prometheus, statuspage, rss, http, exec, ndjson
	Interval string `yaml:"interval"` // between polls; default 30s
	Timeout  string `yaml:"timeout"`  // one poll's limit; default 10s

	URL  string      `yaml:"url"`  // prometheus, statuspage, rss, http
	Auth *AuthConfig `yaml:"auth"` // prometheus, statuspage, rss, http

	Hosts   *PromHostsConfig   `yaml:"hosts"`   // prometheus
	Backlog *PromBacklogConfig `yaml:"backlog"` // prometheus

	Carrier string `yaml:"carrier"` // statuspage; rss as warnings

	As           string            `yaml:"as"`            // rss: complaints or warnings
	Channel      string            `yaml:"channel"`       // rss as complaints
	Topics       []TopicRuleConfig `yaml:"topics"`        // rss as complaints
	DefaultTopic string            `yaml:"default_topic"` // rss as complaints
	Severity     string            `yaml:"severity"`      // rss as warnings

	Command []string `yaml:"command"` // exec: argv
	Shell   bool     `yaml:"shell"`   // exec: run command[0] with sh -c

	Path string `yaml:"path"` // ndjson: a file to follow, or "-" for stdin

	interval, timeout time.Duration
}

// AuthConfig names environment variables that hold secrets; the secrets
// themselves never appear in the config, the screen or an error.
type AuthConfig struct {
	BearerEnv   string `yaml:"bearer_env"`
	UserEnv     string `yaml:"user_env"`
	PasswordEnv string `yaml:"password_env"`
}

// PromHostsConfig maps PromQL queries to host groups.
type PromHostsConfig struct {
	Recovered string `yaml:"recovered"`
	Total     string `yaml:"total"`
	Failed    string `yaml:"failed"`
	Label     string `yaml:"label"` // the label naming the group; default "group"
}

// PromBacklogConfig maps PromQL queries to the backlog.
type PromBacklogConfig struct {
	Waiting  string `yaml:"waiting"`
	Inflow   string `yaml:"inflow"`
	Shipped  string `yaml:"shipped"`
	Backfill string `yaml:"backfill"` // history fetched at start, e.g. 6h
	Step     string `yaml:"step"`     // its resolution; default 1m
}

// TopicRuleConfig files an item under a topic when a keyword appears.
type TopicRuleConfig struct {
	Topic    string   `yaml:"topic"`
	Keywords []string `yaml:"keywords"`
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
func LoadConfig(file string, data []byte, env func(string) (string, bool)) (*Config, error) {
	c := &Config{File: file}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, model.ProblemList{yamlProblem(file, err)}
	}
	if err := yaml.UnmarshalWithOptions(data, c, yaml.DisallowUnknownField()); err != nil {
		return nil, model.ProblemList{yamlProblem(file, err)}
	}
	ck := &configChecker{file: file, ast: f}
	c.check(ck, env)
	if len(ck.problems) > 0 {
		return nil, ck.problems
	}
	return c, nil
}

func yamlProblem(file string, err error) model.Problem {
	p := model.Problem{File: file, Line: 1, Col: 1, Message: err.Error()}
	var yerr yaml.Error
	if errors.As(err, &yerr) {
		p.Message = yerr.GetMessage()
		if tk := yerr.GetToken(); tk != nil && tk.Position != nil {
			p.Line, p.Col = tk.Position.Line, tk.Position.Column
		}
	}
	return p
}

// configChecker collects problems with the position of the field concerned.
type configChecker struct {
	file     string
	ast      *ast.File
	problems model.ProblemList
}

func (ck *configChecker) add(field, format string, args ...any) {
	line, col := ck.pos(field)
	ck.problems = append(ck.problems, model.Problem{File: ck.file, Line: line, Col: col, Field: field,
		Message: fmt.Sprintf(format, args...)})
}

// pos finds a field in the syntax tree; a missing field is reported at its
// parent, where it should have been.
func (ck *configChecker) pos(field string) (int, int) {
	for f := field; f != ""; f = parentField(f) {
		p, err := yaml.PathString("$." + f)
		if err != nil {
			continue
		}
		if n, err := p.FilterFile(ck.ast); err == nil && n != nil {
			if tk := n.GetToken(); tk != nil && tk.Position != nil {
				return tk.Position.Line, tk.Position.Column
			}
		}
	}
	return 1, 1
}

func parentField(f string) string {
	if i := strings.LastIndexAny(f, ".["); i > 0 {
		return f[:i]
	}
	return ""
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

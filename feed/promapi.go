package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// promAPI asks a Prometheus server's HTTP API (/api/v1/query and
// /api/v1/query_range) and decodes the answers with the JSON library the
// formats use.
//
// It stands in for client_golang's api/prometheus/v1, which brings
// protobuf, client_model and json-iterator with it: 8.9 MB more binary and
// 3.8 MB more resident memory at the start of every warroom process, the
// console included, whether or not a Prometheus source is configured
// (measured on a program importing tui, serve, journal, gofeed and cobra:
// RSS 7.7 MB without it, 11.5 MB with it). The API is two form posts
// answered by a JSON envelope.
type promAPI struct {
	base   *url.URL
	client *http.Client
}

// promResult is the data of a successful query: the result's type and its
// value, decoded by the caller that knows what it asked for.
type promResult struct {
	ResultType string         `json:"resultType"`
	Result     jsontext.Value `json:"result"`
}

// promEnvelope is every answer's outer object.
type promEnvelope struct {
	Status    string     `json:"status"`
	Data      promResult `json:"data"`
	ErrorType string     `json:"errorType"`
	Error     string     `json:"error"`
}

// promSeries is one series of a vector (Value) or a matrix (Values).
type promSeries struct {
	Metric map[string]string `json:"metric"`
	Value  promPoint         `json:"value"`
	Values []promPoint       `json:"values"`
}

// promPoint is a sample as the API writes it: [unix seconds, "value"].
type promPoint struct {
	At    time.Time
	Value float64
}

// UnmarshalJSONFrom reads [1721376570.123, "42"]; the value may be NaN or
// ±Inf, which is why it is a string.
func (p *promPoint) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var pair []jsontext.Value
	if err := json.UnmarshalDecode(dec, &pair); err != nil {
		return err
	}
	if len(pair) != 2 || pair[0].Kind() != '0' || pair[1].Kind() != '"' {
		return errors.New(`a sample is [time, "value"]`)
	}
	secs, err := strconv.ParseFloat(string(pair[0]), 64)
	if err != nil {
		return fmt.Errorf("sample time %s: %w", pair[0], err)
	}
	var s string
	if err := json.Unmarshal(pair[1], &s); err != nil {
		return err
	}
	if p.Value, err = strconv.ParseFloat(s, 64); err != nil {
		return fmt.Errorf("sample value %q: %w", s, err)
	}
	p.At = time.UnixMilli(int64(math.Round(secs * 1000))).UTC()
	return nil
}

// promTime writes a time as the API reads it: unix seconds.
func promTime(t time.Time) string {
	return strconv.FormatFloat(float64(t.Unix())+float64(t.Nanosecond())/1e9, 'f', -1, 64)
}

// query runs an instant query at a time.
func (a *promAPI) query(ctx context.Context, q string, at time.Time) (promResult, error) {
	return a.post(ctx, "api/v1/query", url.Values{"query": {q}, "time": {promTime(at)}})
}

// queryRange runs a range query over [start, end] every step.
func (a *promAPI) queryRange(ctx context.Context, q string, start, end time.Time, step time.Duration) (promResult, error) {
	return a.post(ctx, "api/v1/query_range", url.Values{"query": {q}, "start": {promTime(start)},
		"end": {promTime(end)}, "step": {strconv.FormatFloat(step.Seconds(), 'f', -1, 64)}})
}

// maxPromAnswer bounds an answer's size; a query that returns more series
// than this holds is not a host or backlog query.
const maxPromAnswer = 64 << 20

func (a *promAPI) post(ctx context.Context, path string, form url.Values) (promResult, error) {
	u := a.base.JoinPath(path)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return promResult{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := a.client.Do(req)
	if err != nil {
		return promResult{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPromAnswer+1))
	if err != nil {
		return promResult{}, fmt.Errorf("reading the answer: %w", err)
	}
	if len(body) > maxPromAnswer {
		return promResult{}, fmt.Errorf("the answer is larger than %d MiB", maxPromAnswer>>20)
	}
	var env promEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		// Not the API's JSON: a proxy's error page, a wrong URL.
		if resp.StatusCode/100 != 2 {
			return promResult{}, fmt.Errorf("server answered %s", resp.Status)
		}
		return promResult{}, fmt.Errorf("the answer is not the Prometheus API's JSON: %w", err)
	}
	if env.Status != "success" {
		if env.Error == "" {
			return promResult{}, fmt.Errorf("server answered %s", resp.Status)
		}
		return promResult{}, errors.New(env.ErrorType + ": " + env.Error)
	}
	return env.Data, nil
}

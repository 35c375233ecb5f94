package report

import (
	_ "embed"
	"fmt"
	"io"
	"math"
	"slices"

	template "github.com/DataDog/datadog-agent/pkg/template/html"
)

//go:embed aar.html.tmpl
var htmlTemplate string

// page is parsed once per report: html/template escapes every text it
// puts in the page for where it goes (element, attribute, URL). The
// template packages are the standard library's without calls of methods
// (see Template): the page calls functions.
func page() (*template.Template, error) {
	t, err := template.New("aar.html.tmpl").Funcs(template.FuncMap{"rightAt": rightAt}).Parse(htmlTemplate)
	if err != nil {
		return nil, fmt.Errorf("report template: %w", err)
	}
	return t, nil
}

// chart is a chart ready for the page: its SVG, drawn by the chart library
// from figures and labels warroom writes (no text from a scenario or a
// responder goes into a chart), and its caption.
type chart struct {
	SVG     template.HTML
	Caption string
}

// HTML writes the report as one self-contained page: its styles inline,
// its charts as inline SVG, no script, and a content security policy that
// lets the page load nothing from anywhere.
func (r AAR) HTML(w io.Writer) error {
	t, err := page()
	if err != nil {
		return err
	}
	charts := map[chartKind]chart{}
	if len(r.Burndown) > 0 {
		svg, err := burndownSVG(r.Burndown)
		if err != nil {
			return fmt.Errorf("burn-down chart: %w", err)
		}
		caption := "Burn-down: orders waiting from T+0 and the normal level"
		if slices.ContainsFunc(r.Burndown, func(c BurnColumn) bool { return !math.IsNaN(c.Mid) }) {
			caption += ", with the forecast from the report's moment and its range"
		}
		charts[burndownChart] = chart{SVG: template.HTML(svg), Caption: caption}
	}
	if len(r.Forecasts) > 0 {
		svg, err := forecastSVG(r.Forecasts, r.Impact.Cleared, r.Impact.ClearedAt)
		if err != nil {
			return fmt.Errorf("forecast-accuracy chart: %w", err)
		}
		charts[forecastChart] = chart{SVG: template.HTML(svg), Caption: "Forecast accuracy: the ETA forecast at each hour (hours after T+0) with its range, against when the backlog actually cleared"}
	}
	data := struct {
		Doc    doc
		Charts map[chartKind]chart
	}{r.document().cleaned(), charts}
	if err := t.Execute(w, data); err != nil {
		return fmt.Errorf("write the report: %w", err)
	}
	return nil
}

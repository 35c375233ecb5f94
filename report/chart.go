package report

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/go-analyze/charts"

	"github.com/warroom/warroom/model"
)

// The charts are drawn by github.com/go-analyze/charts into SVG: a line
// chart with a legend, axes and null gaps, written as plain <path> and
// <text> elements with inline styles, so that the page stays one file.

// chartCols is how many columns a chart's time axis has.
const chartCols = 96

const (
	chartWidth  = 900
	chartHeight = 380
)

// BurnColumn is the backlog at one column of the burn-down chart: what was
// waiting (until the report's moment), and after it the forecast path with
// its band; NaN where a series has nothing to draw.
type BurnColumn struct {
	At                         time.Duration
	Waiting, Mid, Lo, Hi, Norm float64
}

// burndownColumns samples the backlog at evenly spaced moments from T+0 to
// the report's moment, or on to the forecast ETA when the backlog is still
// draining (at most three times as far), with the projection drawn on.
func burndownColumns(points []model.BacklogPoint, now time.Duration, baseline int64, p model.Projection, f model.Forecast) []BurnColumn {
	if len(points) == 0 || now <= 0 {
		return nil
	}
	end := now
	if p.OK && f.Draining && f.ETA > now {
		end = min(f.ETA+time.Hour, 3*now)
	}
	cols := make([]BurnColumn, 0, chartCols+1)
	next := 0
	last := math.NaN()
	for c := 0; c <= chartCols; c++ {
		at := time.Duration(float64(end) * float64(c) / chartCols)
		col := BurnColumn{At: at, Waiting: math.NaN(), Mid: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Norm: float64(baseline)}
		for next < len(points) && points[next].At <= at && points[next].At <= now {
			last = float64(points[next].Waiting)
			next++
		}
		if at <= now {
			col.Waiting = last
		}
		if p.OK && at >= p.From {
			col.Mid, col.Lo, col.Hi = p.At(at)
		}
		cols = append(cols, col)
	}
	return cols
}

// burndownSVG draws the burn-down: orders waiting, the normal level, and
// the forecast from the report's moment with its range.
func burndownSVG(cols []BurnColumn) (string, error) {
	labels := make([]string, len(cols))
	series := [5][]float64{}
	for i, c := range cols {
		labels[i] = model.FormatOffset(c.At)
		for k, v := range []float64{c.Waiting, c.Norm, c.Mid, c.Lo, c.Hi} {
			series[k] = append(series[k], nullIfNaN(v))
		}
	}
	names := []string{"orders waiting", "normal level", "forecast", "forecast, earliest", "forecast, latest"}
	values, names := drawn(series[:], names)
	return lineSVG(values, names, labels, model.Compact)
}

// forecastSVG draws the forecast accuracy: at each hour, the ETA the room
// forecast (as hours after T+0) with its range, against when the backlog
// actually cleared.
func forecastSVG(hours []HourForecast, cleared bool, clearedAt time.Duration) (string, error) {
	labels := make([]string, len(hours))
	series := [4][]float64{}
	h := func(d time.Duration) float64 { return d.Hours() }
	for i, hf := range hours {
		labels[i] = model.FormatOffset(hf.At)
		f := hf.Forecast
		eta, early, late := math.NaN(), math.NaN(), math.NaN()
		if f.OK && f.Draining {
			eta, early = h(f.ETA), h(f.Early)
			if f.Late >= 0 {
				late = h(f.Late)
			}
		}
		actual := math.NaN()
		if cleared {
			actual = h(clearedAt)
		}
		for k, v := range []float64{eta, early, late, actual} {
			series[k] = append(series[k], nullIfNaN(v))
		}
	}
	values, names := drawn(series[:], []string{"forecast ETA", "earliest", "latest", "actually cleared"})
	return lineSVG(values, names, labels, func(v int64) string { return fmt.Sprintf("T+%dh", v) })
}

// chartSymbols tell the series apart without colour.
var chartSymbols = [...]charts.SymbolShape{charts.SymbolCircle, charts.SymbolSquare, charts.SymbolDiamond, charts.SymbolDot, charts.SymbolNone}

// lineSVG draws a line chart of the series over the labels as SVG.
func lineSVG(values [][]float64, names, labels []string, yLabel func(int64) string) (string, error) {
	opt := charts.NewLineChartOptionWithData(values)
	for i := range opt.SeriesList {
		opt.SeriesList[i].Name = names[i]
	}
	opt.XAxis.Labels = labels
	opt.XAxis.LabelCount = 8
	opt.Legend.SeriesNames = names
	opt.Legend.Padding = charts.Box{Left: 60}
	opt.Padding = charts.Box{Top: 20, Left: 10, Right: 30, Bottom: 10}
	opt.LineStrokeWidth = 2
	opt.ValueFormatter = func(v float64) string { return yLabel(int64(math.Round(v))) }
	for i := range opt.SeriesList {
		opt.SeriesList[i].Symbol = charts.Symbol{Shape: chartSymbols[i%len(chartSymbols)], Size: 2.5}
	}
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: chartWidth, Height: chartHeight})
	if err := p.LineChart(opt); err != nil {
		return "", fmt.Errorf("draw the chart: %w", err)
	}
	svg, err := p.Bytes()
	if err != nil {
		return "", fmt.Errorf("write the chart: %w", err)
	}
	return string(svg), nil
}

// drawn leaves out the series with nothing to draw, so that the legend
// names only lines the chart has.
func drawn(values [][]float64, names []string) ([][]float64, []string) {
	var vs [][]float64
	var ns []string
	for i, v := range values {
		if slices.ContainsFunc(v, func(x float64) bool { return x != charts.GetNullValue() }) {
			vs, ns = append(vs, v), append(ns, names[i])
		}
	}
	return vs, ns
}

func nullIfNaN(v float64) float64 {
	if math.IsNaN(v) {
		return charts.GetNullValue()
	}
	return v
}

package cli

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/report"
	"github.com/warroom/warroom/room"
)

const reportShort = "Write the after-action report of a journal's room or of a scenario at a moment"

func newReportCmd() *cobra.Command {
	var journalPath, scenario, at, format, out string
	cmd := &cobra.Command{
		Use:   "report",
		Short: reportShort,
		Long: "report writes an after-action report: summary, impact, a timeline of key events,\n" +
			"decisions, runbook step durations, carrier warnings and how long each waited for an\n" +
			"acknowledgement, status updates sent, and how the backlog ETA forecast each hour\n" +
			"compared with when the backlog cleared; for an exercise, the participants and each\n" +
			"inject's time to first decision and score. --format html writes one self-contained\n" +
			"page with the burn-down and forecast-accuracy charts drawn in SVG.",
		Example: "  warroom report --journal drill.db --format html --out drill.html\n" +
			"  warroom report --scenario crowdstrike-primeday-2024 --at end --format md",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if ext := strings.ToLower(filepath.Ext(out)); !cmd.Flags().Changed("format") && (ext == ".html" || ext == ".htm") {
				format = "html" // what the file's name says it holds
			}
			if format != "md" && format != "markdown" && format != "html" {
				return fmt.Errorf("--format %q: want md or html", format)
			}
			var in report.Input
			var err error
			switch {
			case journalPath != "" && (scenario != "" || at != ""):
				return fmt.Errorf("--journal reports on the room its file holds: give --journal alone, or --scenario with --at")
			case journalPath != "":
				in, err = journalReport(journalPath)
			case at != "": // the default scenario without --scenario, as sitrep and comms
				in, err = scenarioReport(cmd, cmp.Or(scenario, fixtures.Default), at)
			default:
				return fmt.Errorf("give --journal FILE, or --at T (with --scenario NAME|FILE, else the default scenario)")
			}
			if err != nil {
				return err
			}
			aar := report.Build(in)
			return writeReport(cmd.OutOrStdout(), out, func(w io.Writer) error {
				if format == "html" {
					return aar.HTML(w)
				}
				_, err := io.WriteString(w, aar.Markdown())
				return err
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&journalPath, "journal", "", "the journal of the room to report on")
	f.StringVarP(&scenario, "scenario", "s", "", "embedded scenario name or path to a scenario file (default: the embedded default scenario)")
	f.StringVar(&at, "at", "", "the scenario's moment the report ends at, e.g. T+48h, or end")
	f.StringVarP(&format, "format", "f", "md", "md or html (html when --out ends in .html)")
	f.StringVar(&out, "out", "", "write the report to this file instead of standard output")
	return cmd
}

// scenarioReport is the report input of a scenario played to a moment.
func scenarioReport(cmd *cobra.Command, ref, at string) (report.Input, error) {
	sc, snap, err := scenarioMoment(cmd, ref, at, true, "reporting")
	if err != nil {
		return report.Input{}, err
	}
	return report.Input{Scenario: sc, Events: sc.Events, State: snap.State, Shown: snap.Shown,
		Origin: "scenario " + ref + " at " + model.FormatOffset(snap.Clock)}, nil
}

// journalReport is the report input of the room a journal holds, rebuilt
// from the journal alone: its state where the clock stood, its whole
// history and who joined.
func journalReport(path string) (report.Input, error) {
	start, ok := journalStart(path)
	if !ok {
		if _, err := os.Stat(path); err != nil {
			return report.Input{}, fmt.Errorf("--journal: %w", err)
		}
		return report.Input{}, fmt.Errorf("journal %s: it does not say when its incident began", path)
	}
	j, err := journal.OpenExisting(path, model.NewJournalCodec(start))
	if err != nil {
		return report.Input{}, err
	}
	defer j.Close()
	h, err := room.ReadHistory(j)
	if err != nil {
		return report.Input{}, fmt.Errorf("journal %s: %w", path, err)
	}
	return report.Input{Scenario: h.Scenario, Events: h.Events, State: h.State(), Shown: h.Shown,
		Participants: participants(h.Joined), Origin: "journal " + path}, nil
}

// participants are the members who joined, each with the roles they joined
// as, in the order they first joined.
func participants(joined []journal.Presence) []report.Participant {
	var out []report.Participant
	index := map[string]int{}
	for _, p := range joined {
		i, ok := index[p.Member]
		if !ok {
			i = len(out)
			index[p.Member] = i
			out = append(out, report.Participant{Name: p.Member})
		}
		if role := strings.TrimSpace(p.Role); role != "" && !slices.Contains(out[i].Roles, role) {
			out[i].Roles = append(out[i].Roles, role)
		}
	}
	return out
}

// writeReport writes to the file at path, or to stdout when path is "".
func writeReport(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("--out %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--out %s: %w", path, err)
	}
	return nil
}

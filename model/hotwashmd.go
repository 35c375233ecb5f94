package model

import (
	"fmt"
	"strings"
	"time"
)

// markdownPlan writes the review's analysis in the shape of an
// after-action report's: objectives, participants, strengths, areas for
// improvement and the improvement plan.
func (h HotWash) markdownPlan(b *strings.Builder) {
	b.WriteString("## Objectives\n\n")
	if len(h.Objectives) == 0 {
		b.WriteString("The scenario declares no objectives.\n")
	}
	for _, o := range h.Objectives {
		fmt.Fprintf(b, "- **%s** — %s", mdText(o.ID), mdText(o.Text))
		var bits []string
		if len(o.Injects) > 0 {
			bits = append(bits, "injects "+mdText(strings.Join(o.Injects, ", ")))
		}
		if len(o.Findings) > 0 {
			bits = append(bits, "findings "+strings.Join(o.Findings, ", "))
		}
		if o.ActionItems > 0 {
			bits = append(bits, Plural(o.ActionItems, "action item"))
		}
		if len(bits) > 0 {
			b.WriteString(" (" + strings.Join(bits, "; ") + ")")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n## Participants\n\n")
	if len(h.Participants) == 0 {
		b.WriteString("Nobody recorded anything.\n")
	}
	for _, p := range h.Participants {
		fmt.Fprintf(b, "- %s: %s\n", mdText(p.Name), p.Summary())
	}
	findings := func(title string, fs []FindingRecord) {
		fmt.Fprintf(b, "\n## %s\n\n", title)
		if len(fs) == 0 {
			b.WriteString("None recorded.\n")
		}
		for _, f := range fs {
			fmt.Fprintf(b, "- %s %s", f.ID, mdText(f.Text))
			if f.Objective != "" {
				fmt.Fprintf(b, " (objective %s)", mdText(f.Objective))
			}
			fmt.Fprintf(b, " — %s, %s\n", mdText(f.By), FormatOffset(f.At))
		}
	}
	findings("Strengths", h.Strengths)
	findings("Areas for improvement", h.Improvements)
	b.WriteString("\n## Improvement plan\n\n")
	if len(h.ActionItems) == 0 {
		b.WriteString("No action items recorded.\n\n")
		return
	}
	b.WriteString("| # | action | owner | due | objective | finding |\n|---|---|---|---|---|---|\n")
	for i, a := range h.ActionItems {
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s | %s |\n", i+1, mdText(a.Text), mdText(a.Owner), mdText(a.Due), mdText(a.Objective), mdText(a.Finding))
	}
	b.WriteString("\n")
}

// Summary is what a participant recorded, e.g. "2 decisions, 1 note".
func (p HotWashParticipant) Summary() string {
	var out []string
	for _, k := range []struct{ kind, noun string }{
		{"decision", "decision"}, {"note", "note"}, {"ack", "acknowledgement"}, {"observation", "observation"},
		{"finding", "finding"}, {"action-item", "action item"}, {"score-comment", "score comment"}, {"inject", "ad-hoc inject"},
	} {
		if n := p.Did[k.kind]; n > 0 {
			out = append(out, Plural(n, k.noun))
		}
	}
	return strings.Join(out, ", ")
}

// markdownComments writes an inject's score comments.
func (h HotWash) markdownComments(b *strings.Builder, inject string) {
	first := true
	for _, c := range h.ScoreComments {
		if c.Inject != inject {
			continue
		}
		if first {
			b.WriteString("\nOn the score:\n\n")
			first = false
		}
		fmt.Fprintf(b, "- %s (%s): %s\n", FormatOffset(c.At), mdText(c.By), mdText(c.Text))
	}
}

// markdownRecord writes what the review rests on besides decisions:
// observations, notes and acknowledgements.
func (h HotWash) markdownRecord(b *strings.Builder, wall func(time.Duration) string) {
	b.WriteString("\n## Facilitator observations\n\n")
	if len(h.Observations) == 0 {
		b.WriteString("None recorded.\n")
	}
	for _, o := range h.Observations {
		fmt.Fprintf(b, "- %s (%s)", FormatOffset(o.At), mdText(o.By))
		if o.Inject != "" {
			fmt.Fprintf(b, " on %s", mdText(o.Inject))
		}
		fmt.Fprintf(b, ": %s\n", mdText(o.Text))
	}
	b.WriteString("\n## Notes\n\n")
	if len(h.Notes) == 0 {
		b.WriteString("None recorded.\n")
	}
	for _, n := range h.Notes {
		fmt.Fprintf(b, "- %s (%s): %s\n", FormatOffset(n.At), mdText(n.Author), mdText(n.Text))
	}
	b.WriteString("\n## Acknowledgements\n\n")
	if len(h.Acks) == 0 {
		b.WriteString("None recorded.\n")
	}
	for _, a := range h.Acks {
		delay := "unknown"
		if a.Delay >= 0 {
			delay = FormatSpan(a.Delay)
		}
		fmt.Fprintf(b, "- %s (%s UTC) %s acknowledged %s %s, %s after it was raised\n", FormatOffset(a.At), wall(a.At), mdText(a.By), a.Of, mdText(a.Title), delay)
	}
}

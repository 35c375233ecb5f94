package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

const journalShort = "Export or verify a room's journal (the file given to --journal)"

func newJournalCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "journal",
		Short: journalShort,
		Long: "A room run with --journal FILE appends everything it accepts to that SQLite\n" +
			"file before anyone sees it. `warroom journal export` writes its events out as\n" +
			"NDJSON; `warroom journal verify` checks that nothing in it was changed, lost or\n" +
			"reordered. Both read the journal only, and work while a room is writing it.",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newJournalExportCmd(), newJournalVerifyCmd(), newJournalDebriefCmd(), newJournalPushCmd())
	return cmd
}

func newJournalDebriefCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "debrief FILE",
		Short: "Write the exercise debrief of the room a journal holds (Markdown)",
		Long: "debrief rebuilds the room from its journal alone — the scenario's or the live\n" +
			"sources' events and every responder's action, where the clock stood — and\n" +
			"writes its debrief as Markdown to standard output, or to --out. It works after\n" +
			"the room is gone (a hangup, a crash) and while it runs.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := journalSnapshot(args[0])
			if err != nil {
				return err
			}
			md := model.Sanitize(model.BuildDebrief(s.Scenario, s.State, s.Shown).Markdown(s.Scenario), 0)
			if out == "" {
				_, err = io.WriteString(cmd.OutOrStdout(), md)
				return err
			}
			if err := os.WriteFile(out, []byte(md), 0o644); err != nil {
				return fmt.Errorf("--out: %w", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "write the debrief to this file instead of standard output")
	return cmd
}

// journalCodec reads the events of any journal for export and verify.
// Export writes back what it read, so the origin cancels out; the Unix
// epoch keeps every time from 1678 to 2262 within an offset.
func journalCodec() model.JournalCodec { return model.NewJournalCodec(time.Unix(0, 0).UTC()) }

func newJournalExportCmd() *cobra.Command {
	var (
		format string
		shared streamFlags
	)
	cmd := &cobra.Command{
		Use:   "export FILE | export --nats URL --room NAME",
		Short: "Print a journal's events as NDJSON, in the order the room accepted them",
		Long: "export prints every event of a journal to standard output in the order the room\n" +
			"accepted them, one per line, in the wire format the ndjson source reads (see\n" +
			"fixtures/README.md): the events of the scenario or of the live sources, and\n" +
			"every responder's action (acknowledgements, notes, ticks, decisions, the\n" +
			"facilitator's moves). Clock moves, members coming and going, and the times\n" +
			"injects were shown are not events and are left out (verify counts them). So\n" +
			"  warroom journal export incident.db > incident.ndjson\n" +
			"can be replayed by an ndjson source. --format ndjson is the default and, for\n" +
			"now, the only format. With --nats and --room it exports a room kept in a NATS\n" +
			"JetStream stream, in the stream's order, as every server applied it.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "ndjson" {
				return fmt.Errorf("--format %q: the only format is ndjson", format)
			}
			switch {
			case shared.url != "" && len(args) == 0:
				if shared.room == "" {
					return errors.New("--room: required with --nats: the room's name")
				}
				s, err := journal.OpenStreamExisting(shared.config(), journalCodec())
				if err != nil {
					return fmt.Errorf("--nats: %w", err)
				}
				defer s.Close()
				return writeEvents(s, s.Name(), cmd.OutOrStdout())
			case shared.url == "" && len(args) == 1:
				return exportJournal(args[0], cmd.OutOrStdout())
			}
			return errors.New("give a journal FILE, or --nats and --room for a room kept in NATS, not both")
		},
	}
	cmd.Flags().StringVar(&format, "format", "ndjson", "output format: ndjson")
	cmd.Flags().StringVar(&shared.url, "nats", "", "export the room kept in this NATS cluster: nats://host:4222[,…]")
	cmd.Flags().StringVar(&shared.room, "room", "", "with --nats: the room's name")
	cmd.Flags().StringVar(&shared.creds, "nats-creds", "", "with --nats: a NATS credentials file")
	shared.name = "export"
	return cmd
}

func exportJournal(path string, w io.Writer) error {
	j, err := journal.OpenExisting(path, journalCodec())
	if err != nil {
		return err
	}
	defer j.Close()
	return writeEvents(j, path, w)
}

// writeEvents writes a journal's events and actions as NDJSON.
func writeEvents(j journal.Log, path string, w io.Writer) error {
	codec := journalCodec()
	out := bufio.NewWriter(w)
	err := j.Entries(func(e journal.Entry) error {
		if e.Kind != journal.KindEvent && e.Kind != journal.KindAction {
			return nil
		}
		line, err := codec.EncodeEvent(e.Event)
		if err != nil {
			return fmt.Errorf("journal %s: entry %d: %w", path, e.Seq, err)
		}
		if _, err := out.Write(line); err != nil {
			return err
		}
		return out.WriteByte('\n')
	})
	if flushErr := out.Flush(); err == nil {
		err = flushErr
	}
	return err
}

func newJournalVerifyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "verify FILE",
		Short: "Check a journal: nothing changed, missing or reordered; print what it holds",
		Long: "verify checks a journal: SQLite's own integrity check; its header (which incident\n" +
			"it belongs to) is there, unchanged and of a format this warroom reads; its entries\n" +
			"are numbered without a gap, each one reads back, and each one's hash chains to\n" +
			"the one before, so that an entry changed, removed or moved is found, and so is\n" +
			"one cut off the end. It prints the header and the entries by kind to standard\n" +
			"output, every problem to standard error, and exits 1 when there is one.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			j, err := journal.OpenExisting(path, journalCodec())
			if err != nil {
				return err
			}
			defer j.Close()
			r := j.Verify()
			printReport(cmd.OutOrStdout(), path, r)
			if len(r.Problems) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok\n", model.Visible(path))
				return nil
			}
			errOut := cmd.ErrOrStderr()
			for _, p := range r.Problems {
				fmt.Fprintf(errOut, "%s: %s\n", model.Visible(path), model.Visible(p.String()))
			}
			fmt.Fprintf(errOut, "%s: failed: %s\n", model.Visible(path), model.Plural(len(r.Problems), "problem"))
			return errSilent
		},
	}
}

// printReport prints what a journal holds.
func printReport(w io.Writer, path string, r journal.Report) {
	h := r.Header
	fmt.Fprintf(w, "journal   %s\n", model.Visible(path))
	if h.Kind == "" && h.Identity == "" {
		fmt.Fprintln(w, "incident  unknown: no header")
	} else {
		fmt.Fprintf(w, "incident  %s %s\n", model.Visible(h.Kind), model.Visible(fmt.Sprintf("%q", h.Name)))
		fmt.Fprintf(w, "identity  %s\n", model.Visible(h.Identity))
		fmt.Fprintf(w, "created   %s\n", h.Created.UTC().Format(time.RFC3339))
		fmt.Fprintf(w, "format    %d\n", h.Format)
	}
	var counts []string
	known := map[journal.Kind]bool{}
	for _, k := range journal.Kinds() {
		known[k] = true
		counts = append(counts, fmt.Sprintf("%d %s", r.ByKind[k], k))
	}
	var unknown []string // kinds this warroom does not know, which verify reports
	for k, n := range r.ByKind {
		if !known[k] {
			unknown = append(unknown, fmt.Sprintf("%d %s", n, model.Visible(fmt.Sprintf("%q", k))))
		}
	}
	slices.Sort(unknown)
	fmt.Fprintf(w, "entries   %d: %s\n", r.Entries, strings.Join(append(counts, unknown...), ", "))
}

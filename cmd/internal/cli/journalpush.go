package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/warroom/warroom/journal"
	"github.com/warroom/warroom/model"
)

func newJournalPushCmd() *cobra.Command {
	var shared streamFlags
	cmd := &cobra.Command{
		Use:   "push FILE --nats URL --room NAME",
		Short: "Move a room from its SQLite journal into a NATS JetStream stream",
		Long: "push copies every entry of a SQLite journal, in order, into a new room's stream\n" +
			"on a NATS cluster, so that several warroom servers can go on with the room\n" +
			"(warroom serve --nats URL --room NAME with the same scenario or live config).\n" +
			"The stream must not hold entries yet: after a push that failed half way, push\n" +
			"into a new room's name (or remove the stream first, e.g. nats stream rm WARROOM_NAME).",
		Example: "  warroom journal push incident.db --nats nats://nats-1:4222,nats://nats-2:4222 --room crowdstrike",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if shared.url == "" || shared.room == "" {
				return errors.New("--nats and --room: required: where the room goes")
			}
			n, name, err := pushJournal(args[0], shared)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "pushed %s from %s into %s\n", model.Plural(n, "entry"), model.Visible(args[0]), name)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&shared.url, "nats", "", "the NATS cluster: nats://host:4222[,…] (required)")
	f.StringVar(&shared.room, "room", "", "the new room's name (required)")
	f.StringVar(&shared.creds, "nats-creds", "", "a NATS credentials file, if the cluster asks for one")
	f.IntVar(&shared.replicas, "nats-replicas", 3, "copies of the stream (3 on a cluster of three or more)")
	shared.name = "push"
	return cmd
}

// pushBatch is how many entries go in one message.
const pushBatch = 512

// pushJournal copies the journal at path into the room's stream.
func pushJournal(path string, f streamFlags) (int, string, error) {
	codec := journalCodec() // read and written with one origin: times stay what they were
	j, err := journal.OpenExisting(path, codec)
	if err != nil {
		return 0, "", err
	}
	defer j.Close()
	s, err := journal.OpenStream(f.config(), codec, j.Header())
	if err != nil {
		return 0, "", fmt.Errorf("--nats: %w", err)
	}
	defer s.Close()
	held := 0
	if err := s.Entries(func(journal.Entry) error { held++; return nil }); err != nil {
		return 0, "", err
	}
	if held > 0 {
		return 0, "", fmt.Errorf("--room %s: the stream %s holds %s already: push into a new room", f.room, s.Name(), model.Plural(held, "entry"))
	}
	var (
		batch []journal.Entry
		n     int
		msgs  int
	)
	send := func() error {
		if len(batch) == 0 {
			return nil
		}
		msgs++
		id := fmt.Sprintf("push-%.16s-%d", j.Header().Identity, msgs)
		if _, err := s.Publish(batch, id, true); err != nil {
			return fmt.Errorf("push %s: entries %d to %d: %w", s.Name(), n-len(batch)+1, n, err)
		}
		batch = batch[:0]
		return nil
	}
	err = j.Entries(func(e journal.Entry) error {
		batch = append(batch, e)
		n++
		if len(batch) == pushBatch {
			return send()
		}
		return nil
	})
	if err == nil {
		err = send()
	}
	return n, s.Name(), err
}

// Command warroom-journal exports, verifies and debriefs a warroom room's
// journal, and moves it into a NATS stream; warroom journal runs it.
package main

import (
	"os"

	"github.com/warroom/warroom/cmd/internal/cli"
)

func main() { os.Exit(cli.Main(cli.Journal)) }

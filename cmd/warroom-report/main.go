// Command warroom-report writes the after-action report of an incident's
// room or of a scenario; warroom report runs it.
package main

import (
	"os"

	"github.com/warroom/warroom/cmd/internal/cli"
)

func main() { os.Exit(cli.Main(cli.Report)) }

// Command warroom is a terminal war-room console for large operational
// incidents. With no arguments it opens the default scenario.
package main

import (
	"os"

	"github.com/warroom/warroom/cmd/internal/cli"
)

func main() { os.Exit(cli.Main(cli.Console)) }

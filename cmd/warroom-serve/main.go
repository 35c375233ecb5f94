// Command warroom-serve serves one shared warroom room over SSH to a team;
// warroom serve runs it.
package main

import (
	"os"

	"github.com/warroom/warroom/cmd/internal/cli"
)

func main() { os.Exit(cli.Main(cli.Server)) }

// Package feed turns the outside world into warroom events. Today that is
// scenario fixtures, embedded or from files, replayed by the room; live
// sources (Prometheus, status pages, RSS, HTTP, commands, NDJSON) produce the
// same events.
package feed

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
)

// OpenScenario loads an embedded scenario by name, or a scenario file by
// path. A bad file's error is a model.ProblemList naming file:line:col.
func OpenScenario(ref string) (*model.Scenario, error) {
	if data, ok := fixtures.Read(ref); ok {
		sc, err := model.LoadScenario(ref+".yaml", data)
		if err != nil {
			return nil, fmt.Errorf("embedded scenario %s: %w", ref, err)
		}
		return sc, nil
	}
	data, err := os.ReadFile(ref)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(ref, `/\.`) {
			return nil, fmt.Errorf("no embedded scenario %q and no such file (embedded: %s)",
				ref, strings.Join(fixtures.Names(), ", "))
		}
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	return model.LoadScenario(filepath.Clean(ref), data)
}

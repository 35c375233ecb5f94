// Package feed turns the outside world into warroom events. Today that is
// scenario fixtures, embedded or from files, replayed by the room; live
// sources (Prometheus, status pages, RSS, HTTP, commands, NDJSON) produce the
// same events.
package feed

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/warroom/warroom/fixtures"
	"github.com/warroom/warroom/model"
)

// MaxScenarioSize is the largest scenario file warroom reads: the loader's
// own limit (model.MaxScenarioBytes). A scenario is parsed item by item,
// so a load needs what the file's events need, not a syntax tree of the
// whole file; the README's performance section has the measured time and
// peak memory of a 50 MB scenario.
const MaxScenarioSize = model.MaxScenarioBytes

// ScenarioTooLargeError is a scenario file larger than MaxScenarioSize.
type ScenarioTooLargeError struct {
	Path string
	Size int64 // -1: more than the limit, read from a pipe
}

func (e *ScenarioTooLargeError) Error() string {
	size := "more than " + formatSize(MaxScenarioSize)
	switch {
	case e.Size >= 0 && formatSize(e.Size) == fmt.Sprintf("%.1f MiB", float64(MaxScenarioSize)/(1<<20)):
		size = fmt.Sprintf("%d bytes", e.Size) // just over: MiB would round it to the limit
	case e.Size >= 0:
		size = formatSize(e.Size)
	}
	reference := ""
	if data, ok := fixtures.Read(fixtures.Default); ok {
		reference = fmt.Sprintf(" (the default scenario is %s)", formatSize(int64(len(data))))
	}
	return fmt.Sprintf("scenario %s is %s, over the %s limit for a scenario file%s",
		e.Path, size, formatSize(MaxScenarioSize), reference)
}

// ReadScenarioFile reads a scenario file, refusing one larger than
// MaxScenarioSize before loading any of it.
func ReadScenarioFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > MaxScenarioSize {
		return nil, &ScenarioTooLargeError{Path: path, Size: info.Size()}
	}
	// Read one byte past the limit: a file that grew since, or a pipe, is
	// caught without reading more.
	data, err := io.ReadAll(io.LimitReader(f, MaxScenarioSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxScenarioSize {
		return nil, &ScenarioTooLargeError{Path: path, Size: -1}
	}
	return data, nil
}

// formatSize is a byte count in KiB or MiB.
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// OpenScenario loads an embedded scenario by name, or a scenario file by
// path (at most MaxScenarioSize). A bad file's error is a model.ProblemList
// naming file:line:col.
func OpenScenario(ref string) (*model.Scenario, error) {
	if data, ok := fixtures.Read(ref); ok {
		sc, err := loadScenario(ref+".yaml", data)
		if err != nil {
			return nil, fmt.Errorf("embedded scenario %s: %w", ref, err)
		}
		return sc, nil
	}
	data, err := ReadScenarioFile(ref)
	switch {
	case errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(ref, `/\.`):
		return nil, fmt.Errorf("no embedded scenario %q and no such file (embedded: %s)",
			ref, strings.Join(fixtures.Names(), ", "))
	case errors.As(err, new(*ScenarioTooLargeError)):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	return loadScenario(filepath.Clean(ref), data)
}

// loadScenario loads a scenario with the garbage collector set for it.
// Loading allocates some forty times the file and keeps a fraction: up to
// a file of 16 MiB the collector runs a quarter as often while it loads
// (a quarter of the time to load the default scenario; for a 59k-event
// incident of 8.6 MB a peak of about 220 MiB of heap instead of 130),
// beyond that as usual, so that a 64 MiB file stays within a gigabyte.
// A soft memory limit holds the lazy collector back where it would cost
// memory rather than time: a 59k-event incident (8.6 MB) peaks at about
// 92 MB resident instead of 153, for some 10% more time to open.
// What the load no longer needs is given back to the system at once, not
// when the scavenger gets to it: the console keeps running for hours on a
// fraction of it.
func loadScenario(name string, data []byte) (*model.Scenario, error) {
	if len(data) <= lazyCollectionUpTo {
		defer debug.SetGCPercent(debug.SetGCPercent(loadGCPercent))
		limit := debug.SetMemoryLimit(-1) // -1 reads it: GOMEMLIMIT's, when lower, stays
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(min(limit, loadMemoryLimit)))
	}
	sc, err := model.LoadScenario(name, data)
	data = nil
	debug.FreeOSMemory()
	return sc, err
}

// lazyCollectionUpTo is the largest file loaded with loadGCPercent.
const lazyCollectionUpTo = 16 << 20

// loadGCPercent is the garbage collector's GOGC while a scenario loads.
const loadGCPercent = 400

// loadMemoryLimit is the Go runtime's soft memory limit while a scenario
// loads with loadGCPercent; collection speeds up as the heap nears it.
const loadMemoryLimit = 80 << 20

//go:build unix

package feed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestScenarioSizeLimitOnAPipe checks the limit where the size is not known
// before reading: a named pipe that sends more than the limit.
func TestScenarioSizeLimitOnAPipe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe.yaml")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		f.Write(make([]byte, MaxScenarioSize+100)) // fails once the reader stops: that is fine
	}()
	_, err := ReadScenarioFile(path)
	var tooLarge *ScenarioTooLargeError
	if !errors.As(err, &tooLarge) || !strings.Contains(err.Error(), "more than 64 MiB") {
		t.Fatalf("a pipe sending more than the limit: %v", err)
	}
}

package serve

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/charmbracelet/keygen"
	gossh "golang.org/x/crypto/ssh"
)

// DefaultHostKeyPath is where the server keeps its host key unless told
// otherwise: $XDG_DATA_HOME/warroom/host_ed25519, else
// ~/.local/share/warroom/host_ed25519.
func DefaultHostKeyPath() (string, error) {
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "warroom", "host_ed25519"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("host key: no $XDG_DATA_HOME and no home directory: %w", err)
	}
	return filepath.Join(home, ".local", "share", "warroom", "host_ed25519"), nil
}

// hostKey is the server's host key, created on first start: an ed25519 key
// only its owner can read (0600, in a 0700 directory, as keygen writes it),
// with its public half beside it (.pub). A key file others can read is
// refused, as sshd refuses one: whoever reads it can pose as the server.
func hostKey(path string) (gossh.Signer, error) {
	if path == "" {
		return nil, errors.New("host key: no path given (serve.DefaultHostKeyPath gives the usual one)")
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if _, err := keygen.New(path, keygen.WithKeyType(keygen.Ed25519), keygen.WithWrite()); err != nil {
			return nil, fmt.Errorf("host key %s: creating it: %w", path, err)
		}
	case err != nil:
		return nil, fmt.Errorf("host key %s: %w", path, err)
	case info.Mode().Perm()&0o077 != 0:
		return nil, fmt.Errorf("host key %s: permissions %04o are too open: others could pose as this server (chmod 600 %s)",
			path, info.Mode().Perm(), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", path, err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("host key %s: not an unencrypted OpenSSH private key: %w", path, err)
	}
	return signer, nil
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommsGolden: warroom comms prints each built-in draft filled with the
// default scenario's figures; the user's configuration directory is empty.
func TestCommsGolden(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, name := range []string{"customer", "seller", "leadership", "carrier"} {
		t.Run(name, func(t *testing.T) {
			out, errOut, err := runCLI(t, "comms", "--template", name, "--at", "T+12h", "--as", "ic")
			if err != nil || errOut != "" {
				t.Fatalf("%v %s", err, errOut)
			}
			golden(t, "comms-"+name+"-12h.txt", out)
		})
	}
}

// TestCommsTemplatesDir: a draft in the configuration directory's
// templates replaces the built-in one; --templates names another
// directory; a template there that names a missing field fails with its
// file:line:col; an unknown draft lists the ones there are.
func TestCommsTemplatesDir(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	dir := filepath.Join(cfg, "warroom", "templates")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "seller.tmpl"), []byte("{{.Offset}}: {{compact .Late.Orders}} late\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "comms", "--template", "seller", "--at", "T+12h")
	if err != nil || out != "T+12:00: 107k late\n" {
		t.Errorf("the configuration directory's seller draft: %q, %v", out, err)
	}

	other := t.TempDir()
	bad := filepath.Join(other, "press.tmpl")
	if err := os.WriteFile(bad, []byte("Statement\n\n{{.Hosts.Percent}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, "comms", "--templates", other, "--template", "press")
	if err == nil || !strings.Contains(err.Error(), bad+":3:9: .Hosts.Percent: can't evaluate field Percent") {
		t.Errorf("a bad template: %v", err)
	}
	_, _, err = runCLI(t, "comms", "--template", "fax")
	if err == nil || !strings.Contains(err.Error(), "want one of customer, seller, leadership, carrier") {
		t.Errorf("an unknown draft: %v", err)
	}
	if _, _, err = runCLI(t, "comms", "--templates", filepath.Join(other, "none"), "--template", "seller"); err == nil {
		t.Error("a --templates directory that does not exist was taken")
	}
}

package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinkerDropsUncalledMethods: nothing in the binary looks methods up
// by name as it runs (reflect's MethodByName, as the standard library's
// text/template does). One such call makes the linker keep every exported
// method of every type: 6.3 MB more binary and 2 MB more resident memory
// in every console. A method of lipgloss that warroom never calls stands
// for all of them.
func TestLinkerDropsUncalledMethods(t *testing.T) {
	const uncalled = "lipgloss.Style.UnsetBorderLeftBackground"
	if strings.Contains(consoleSymbols(t), uncalled) {
		t.Errorf("the binary holds %s, which warroom never calls: something calls methods by name at run time and the linker keeps every exported method", uncalled)
	}
}

// consoleSymbols is go tool nm's list of the console binary's symbols; the
// test is skipped with -short, which builds no binary.
func consoleSymbols(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin, err := warroomBinary()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	return string(out)
}

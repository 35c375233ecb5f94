package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Theme is every colour the console paints with, by what it means; Styles
// are built from one. Colour is never the only signal in any theme: every
// coloured thing also has a word or a symbol, so that a theme changes how
// easy things are to see, never what they say.
type Theme struct {
	Name string
	// Muted is secondary text, borders, axes; Accent the focused pane.
	Muted, Accent lipgloss.TerminalColor
	// Good, Warn, Bad and Info are the signals: back to normal, needs an
	// eye, needs action, neutral news (the history line, notes).
	Good, Warn, Bad, Info lipgloss.TerminalColor
	// Forecast and Band are the projected backlog and its range; Inject is
	// what an exercise delivers (and a what-if).
	Forecast, Band, Inject lipgloss.TerminalColor
	// Classes are the promise classes of the stacked backlog chart.
	Classes [6]lipgloss.TerminalColor
	// Strong makes every coloured mark bold too: thin coloured text is the
	// first thing lost on a projector or to tired eyes.
	Strong bool
}

// Themes are the themes --theme offers, the default first.
func Themes() []Theme { return []Theme{DefaultTheme(), HighContrastTheme(), OkabeItoTheme()} }

// ThemeNames lists the themes' names, as a flag's help says them.
func ThemeNames() []string {
	var names []string
	for _, t := range Themes() {
		names = append(names, t.Name)
	}
	return names
}

// ParseTheme is the theme called name (case and spaces ignored); "" is the
// default.
func ParseTheme(name string) (Theme, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return DefaultTheme(), nil
	}
	for _, t := range Themes() {
		if t.Name == n {
			return t, nil
		}
	}
	return Theme{}, fmt.Errorf("theme %q: want %s", name, strings.Join(ThemeNames(), ", "))
}

// DefaultTheme uses the 16 ANSI colours, which follow the terminal's own
// palette on light and dark backgrounds and need no background query.
func DefaultTheme() Theme {
	c := func(s string) lipgloss.TerminalColor { return lipgloss.Color(s) }
	return Theme{
		Name:  "default",
		Muted: c("8"), Accent: c("14"),
		Good: c("2"), Warn: c("3"), Bad: c("9"), Info: c("6"),
		Forecast: c("12"), Band: c("4"), Inject: c("5"),
		Classes: [6]lipgloss.TerminalColor{c("9"), c("3"), c("6"), c("4"), c("5"), c("2")},
	}
}

// HighContrastTheme keeps to the bright ANSI colours, in bold, and shows
// secondary text in the terminal's own foreground instead of grey: grey on
// black (or on white) is what a shared screen loses first.
func HighContrastTheme() Theme {
	c := func(s string) lipgloss.TerminalColor { return lipgloss.Color(s) }
	return Theme{
		Name:  "high-contrast",
		Muted: lipgloss.NoColor{}, Accent: c("14"),
		Good: c("10"), Warn: c("11"), Bad: c("9"), Info: c("14"),
		Forecast: c("12"), Band: c("12"), Inject: c("13"),
		Classes: [6]lipgloss.TerminalColor{c("9"), c("11"), c("14"), c("12"), c("13"), c("10")},
		Strong:  true,
	}
}

// OkabeItoTheme is the palette of Okabe and Ito ("Color Universal Design",
// 2002), told apart with the common kinds of colour blindness: bad is
// vermillion and good sky blue, never red against green. Each colour is
// given for true colour, its nearest of the 256 and an ANSI fallback.
func OkabeItoTheme() Theme {
	var (
		orange     = lipgloss.CompleteColor{TrueColor: "#E69F00", ANSI256: "214", ANSI: "3"}
		skyBlue    = lipgloss.CompleteColor{TrueColor: "#56B4E9", ANSI256: "74", ANSI: "14"}
		green      = lipgloss.CompleteColor{TrueColor: "#009E73", ANSI256: "36", ANSI: "6"}
		yellow     = lipgloss.CompleteColor{TrueColor: "#F0E442", ANSI256: "221", ANSI: "11"}
		blue       = lipgloss.CompleteColor{TrueColor: "#0072B2", ANSI256: "25", ANSI: "4"}
		vermillion = lipgloss.CompleteColor{TrueColor: "#D55E00", ANSI256: "166", ANSI: "9"}
		purple     = lipgloss.CompleteColor{TrueColor: "#CC79A7", ANSI256: "175", ANSI: "5"}
		grey       = lipgloss.CompleteColor{TrueColor: "#999999", ANSI256: "246", ANSI: "8"}
	)
	return Theme{
		Name:  "okabe-ito",
		Muted: grey, Accent: yellow,
		Good: skyBlue, Warn: orange, Bad: vermillion, Info: green,
		Forecast: orange, Band: blue, Inject: purple,
		Classes: [6]lipgloss.TerminalColor{vermillion, orange, yellow, skyBlue, blue, green},
	}
}

// themeOrDefault is t, or the default theme for the zero Theme.
func themeOrDefault(t Theme) Theme {
	if t.Name == "" {
		return DefaultTheme()
	}
	return t
}

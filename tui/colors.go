package tui

import (
	"strings"

	"github.com/muesli/termenv"
	"github.com/xo/terminfo"
)

// ColorProfile is the colour profile for a terminal whose environment
// variable lookup is getenv: termenv's reading of the environment, raised to
// what the terminal's terminfo entry says it can show. termenv alone knows
// TERM names by pattern, so TERM=screen — what tmux and GNU screen set by
// default — gets no colour from it, though its entry says 8 colours. The
// console uses the 16 ANSI colours only, so any terminal of 8 colours or
// more gets them. NO_COLOR and TERM=dumb give none.
func ColorProfile(getenv func(string) string) termenv.Profile {
	if getenv("NO_COLOR") != "" {
		return termenv.Ascii
	}
	term := getenv("TERM")
	if term == "" || term == "dumb" {
		return termenv.Ascii
	}
	env := termenv.NewOutput(nil, termenv.WithEnvironment(environ(getenv)), termenv.WithTTY(true)).EnvColorProfile()
	return min(env, terminfoProfile(term)) // termenv profiles count down: TrueColor is 0
}

// terminfoProfile is the profile the terminfo entry of term claims (by its
// colors number), Ascii when it has none; a name with no entry on this
// machine (a remote user's TERM) is judged by its name.
func terminfoProfile(term string) termenv.Profile {
	colours := -1
	if ti, err := terminfo.Load(term); err == nil {
		if n, ok := ti.Nums[terminfo.MaxColors]; ok {
			colours = n
		} else {
			colours = 0
		}
	}
	if colours < 0 {
		switch {
		case strings.Contains(term, "256color"):
			colours = 256
		case strings.Contains(term, "color"), strings.HasPrefix(term, "screen"), strings.HasPrefix(term, "tmux"),
			strings.HasPrefix(term, "xterm"), strings.HasPrefix(term, "rxvt"), term == "linux":
			colours = 8
		}
	}
	switch {
	case colours >= 256:
		return termenv.ANSI256
	case colours >= 8:
		return termenv.ANSI
	}
	return termenv.Ascii
}

// environ adapts a lookup function to termenv's Environ.
type environ func(string) string

func (e environ) Getenv(k string) string { return e(k) }

func (e environ) Environ() []string {
	var out []string
	for _, k := range []string{"TERM", "COLORTERM", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM_PROGRAM", "GOOGLE_CLOUD_SHELL"} {
		if v := e(k); v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

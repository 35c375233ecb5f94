package cli

import (
	"io"
	"unicode/utf8"

	"github.com/warroom/warroom/model"
)

// visibleWriter is where every command's standard output and error go: what
// a terminal would act on (escape sequences, controls, bidi and zero-width
// characters) is written as a visible escape (model.Visible). What reaches
// it is sanitised already; this is the last guard, for a path that forgot.
// Visible works rune by rune, so a sequence split across writes is caught
// all the same; a rune split across writes is held until it is complete.
type visibleWriter struct {
	w       io.Writer
	pending []byte // the start of a rune cut by the end of the last write
}

func newVisibleWriter(w io.Writer) *visibleWriter { return &visibleWriter{w: w} }

func (v *visibleWriter) Write(p []byte) (int, error) {
	data := append(v.pending, p...)
	cut := len(data)
	for back := 1; back <= utf8.UTFMax-1 && back <= len(data); back++ {
		if utf8.RuneStart(data[len(data)-back]) {
			if !utf8.FullRune(data[len(data)-back:]) {
				cut = len(data) - back
			}
			break
		}
	}
	v.pending = append([]byte(nil), data[cut:]...)
	if _, err := io.WriteString(v.w, model.Visible(string(data[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a rune left incomplete at the end, as the escapes it is.
func (v *visibleWriter) Flush() error {
	if len(v.pending) == 0 {
		return nil
	}
	_, err := io.WriteString(v.w, model.Visible(string(v.pending)))
	v.pending = nil
	return err
}

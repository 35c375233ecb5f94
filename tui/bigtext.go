package tui

import (
	"strings"
	"unicode"
)

// A small block font for the briefing view's figures. No maintained Go
// library for large terminal text is among the modules this project may
// use (go-partial.tsv has no FIGlet or block-font package), and FIGlet
// fonts are drawn in letters that read badly from across a room; what the
// figures need is digits, a few signs and the month names, which fit in a
// few lines here. Each glyph is a bitmap 5 pixels high; a pixel is a
// half-block cell (▀ ▄ █), so that pixels are square on a terminal, and a
// scale of s draws each pixel s cells wide and s half-cells high.

// bigGlyphH is a glyph's height in pixels.
const bigGlyphH = 5

// bigGlyphs are the glyphs, '#' a pixel on, row by row. Lower-case letters
// are drawn as upper-case ones.
var bigGlyphs = map[rune][bigGlyphH]string{
	'0': {"###", "#.#", "#.#", "#.#", "###"},
	'1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"###", "..#", "###", "#..", "###"},
	'3': {"###", "..#", ".##", "..#", "###"},
	'4': {"#.#", "#.#", "###", "..#", "..#"},
	'5': {"###", "#..", "###", "..#", "###"},
	'6': {"###", "#..", "###", "#.#", "###"},
	'7': {"###", "..#", "..#", ".#.", ".#."},
	'8': {"###", "#.#", "###", "#.#", "###"},
	'9': {"###", "#.#", "###", "..#", "###"},
	'%': {"#.#", "..#", ".#.", "#..", "#.#"},
	'.': {".", ".", ".", ".", "#"},
	':': {".", "#", ".", "#", "."},
	'+': {"...", ".#.", "###", ".#.", "..."},
	'-': {"...", "...", "###", "...", "..."},
	'−': {"...", "...", "###", "...", "..."},
	'/': {"..#", "..#", ".#.", "#..", "#.."},
	'!': {"#", "#", "#", ".", "#"},
	' ': {"..", "..", "..", "..", ".."},
	'A': {"###", "#.#", "###", "#.#", "#.#"},
	'B': {"##.", "#.#", "##.", "#.#", "##."},
	'C': {"###", "#..", "#..", "#..", "###"},
	'D': {"##.", "#.#", "#.#", "#.#", "##."},
	'E': {"###", "#..", "###", "#..", "###"},
	'F': {"###", "#..", "###", "#..", "#.."},
	'G': {"###", "#..", "#.#", "#.#", "###"},
	'H': {"#.#", "#.#", "###", "#.#", "#.#"},
	'I': {"###", ".#.", ".#.", ".#.", "###"},
	'J': {"..#", "..#", "..#", "#.#", "###"},
	'K': {"#.#", "#.#", "##.", "#.#", "#.#"},
	'L': {"#..", "#..", "#..", "#..", "###"},
	'M': {"#...#", "##.##", "#.#.#", "#...#", "#...#"},
	'N': {"#..#", "##.#", "#.##", "#..#", "#..#"},
	'O': {"###", "#.#", "#.#", "#.#", "###"},
	'P': {"###", "#.#", "###", "#..", "#.."},
	'R': {"###", "#.#", "##.", "#.#", "#.#"},
	'S': {"###", "#..", "###", "..#", "###"},
	'T': {"###", ".#.", ".#.", ".#.", ".#."},
	'U': {"#.#", "#.#", "#.#", "#.#", "###"},
	'V': {"#.#", "#.#", "#.#", "#.#", ".#."},
	'W': {"#...#", "#...#", "#.#.#", "##.##", "#...#"},
	'Y': {"#.#", "#.#", ".#.", ".#.", ".#."},
}

// bigGlyph is r's glyph, upper-cased; false when the font has none.
func bigGlyph(r rune) ([bigGlyphH]string, bool) {
	g, ok := bigGlyphs[unicode.ToUpper(r)]
	return g, ok
}

// bigSupported reports whether the font draws every rune of s.
func bigSupported(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if _, ok := bigGlyph(r); !ok {
			return false
		}
	}
	return true
}

// bigWidth is s drawn at scale in cells: each glyph and a pixel's gap
// after every glyph but the last. s must be bigSupported.
func bigWidth(s string, scale int) int {
	px := 0
	for i, r := range []rune(s) {
		g, _ := bigGlyph(r)
		if i > 0 {
			px++
		}
		px += len(g[0])
	}
	return px * scale
}

// bigHeight is the lines a scale takes: two pixel rows to a line.
func bigHeight(scale int) int { return (bigGlyphH*scale + 1) / 2 }

// bigLines draws s at scale: bigHeight(scale) lines of bigWidth cells.
// It returns nil when the font cannot draw s or the scale is below 1.
func bigLines(s string, scale int) []string {
	if scale < 1 || !bigSupported(s) {
		return nil
	}
	rs := []rune(s)
	pxW := bigWidth(s, 1)
	// The pixel rows of the whole text, on or off.
	rows := make([][]bool, bigGlyphH)
	for y := range rows {
		rows[y] = make([]bool, 0, pxW)
		for i, r := range rs {
			g, _ := bigGlyph(r)
			if i > 0 {
				rows[y] = append(rows[y], false)
			}
			for _, c := range g[y] {
				rows[y] = append(rows[y], c == '#')
			}
		}
	}
	on := func(x, y int) bool { // in scaled pixels
		py := y / scale
		return py < bigGlyphH && rows[py][x/scale]
	}
	h := bigHeight(scale)
	out := make([]string, 0, h)
	var b strings.Builder
	for line := range h {
		b.Reset()
		for x := 0; x < pxW*scale; x++ {
			top, bottom := on(x, 2*line), on(x, 2*line+1)
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteByte(' ')
			}
		}
		out = append(out, b.String())
	}
	return out
}

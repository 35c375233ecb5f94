package model

import "bytes"

// yamlChunk is a piece of a file's text and where it starts.
type yamlChunk struct {
	text []byte // a piece of the file's own bytes, not a copy
	line int    // the number of lines before it
	off  int    // its first byte's offset in the file
}

// splitTimeline cuts a scenario file into the text outside its timeline and
// one chunk per timeline item, so that each is parsed on its own: the YAML
// parser allocates some twenty bytes for each byte it reads and keeps the
// whole tree until it is done, so a file of 50 MB parsed whole needs more
// than a gigabyte, parsed item by item what one item needs, on as many
// cores as there are. It knows the one layout that matters — a top-level
// `timeline:` key followed by a block sequence, one item per `-` at the
// sequence's indentation — and reports ok false for anything else (a flow
// sequence, a second document, no timeline), which is then parsed whole.
// The text outside keeps the timeline's lines as blank lines, so that its
// line numbers stay the file's.
func splitTimeline(data []byte) (top []byte, items []yamlChunk, ok bool) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	offs := make([]int, len(lines)+1) // offs[i]: where line i starts
	for i, l := range lines {
		offs[i+1] = offs[i] + len(l)
	}
	start := -1
	for i, l := range lines {
		if key, rest, found := bytes.Cut(l, []byte(":")); found && string(key) == "timeline" {
			if r := bytes.TrimSpace(rest); len(r) > 0 && r[0] != '#' {
				return nil, nil, false // a flow sequence or something else on the line
			}
			start = i
			break
		}
	}
	if start < 0 {
		return nil, nil, false
	}
	indent, end := -1, len(lines)
	itemStart := -1
	for i := start + 1; i < len(lines); i++ {
		l := lines[i]
		body := bytes.TrimLeft(l, " ")
		if t := bytes.TrimSpace(body); len(t) == 0 || t[0] == '#' {
			continue
		}
		ind := len(l) - len(body)
		if bytes.HasPrefix(l, []byte("---")) || bytes.HasPrefix(l, []byte("...")) {
			return nil, nil, false
		}
		isItem := body[0] == '-' && (len(body) == 1 || body[1] == ' ' || body[1] == '\n' || body[1] == '\r')
		if indent < 0 {
			if !isItem {
				return nil, nil, false
			}
			indent = ind
		}
		switch {
		case isItem && ind == indent:
			if itemStart >= 0 {
				items = append(items, chunkOf(data, offs, itemStart, i))
			}
			itemStart = i
		case ind < indent || (ind == 0 && !isItem):
			end = i
		case ind == indent:
			return nil, nil, false // something else at the items' indentation
		}
		if end != len(lines) {
			break
		}
	}
	if itemStart >= 0 {
		items = append(items, chunkOf(data, offs, itemStart, end))
	}
	var b bytes.Buffer
	b.Grow(len(data) / 8)
	for i, l := range lines {
		if i > start && i < end {
			b.WriteByte('\n')
			continue
		}
		b.Write(l)
	}
	return b.Bytes(), items, true
}

func chunkOf(data []byte, offs []int, from, to int) yamlChunk {
	return yamlChunk{text: data[offs[from]:offs[to]], line: from, off: offs[from]}
}

// Package serve is warroom's SSH server: one shared room served to the whole
// team, each session a full console of its own, members known by their
// public keys from a team file.
package serve

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// MaxTeamFile is the largest team file read: a few hundred members with
// several keys each take well under it.
const MaxTeamFile = 1 << 20

// Member is someone who may enter the room.
type Member struct {
	Name string
	Role room.Role
	Keys []gossh.PublicKey
}

// Team is who may enter the room, found by public key.
type Team struct {
	Members []Member
	File    string         // the file it was read from, for messages
	byKey   map[string]int // the key's wire form → index in Members
}

// source names the team's file in a message to a member.
func (t *Team) source() string {
	if t.File == "" {
		return "the team file"
	}
	return "the team file " + t.File
}

// Lookup finds the member a public key belongs to.
func (t *Team) Lookup(key gossh.PublicKey) (Member, bool) {
	if t == nil || key == nil {
		return Member{}, false
	}
	i, ok := t.byKey[string(key.Marshal())]
	if !ok {
		return Member{}, false
	}
	return t.Members[i], true
}

// Member finds a member by name.
func (t *Team) Member(name string) (Member, bool) {
	for _, m := range t.Members {
		if m.Name == name {
			return m, true
		}
	}
	return Member{}, false
}

// memberName is what a name may hold: it shows in the timeline, the
// debrief and presence, and must read the same everywhere.
var memberName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)

// memberDoc is one entry of the file as written.
type memberDoc struct {
	Name string   `yaml:"name"`
	Role string   `yaml:"role"`
	Keys []string `yaml:"keys"`
}

// LoadTeam parses and checks a team file. Every problem is reported as
// file:line:col: field: message (a model.ProblemList), not only the first.
func LoadTeam(file string, data []byte) (*Team, error) {
	l := teamLoader{file: file}
	if len(data) > MaxTeamFile {
		l.add(nil, "", fmt.Sprintf("the file is %d bytes; a team file may be at most %d", len(data), MaxTeamFile))
		return nil, l.problems
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		l.yamlError(err, "")
		return nil, l.problems
	}
	team := &Team{File: file, byKey: map[string]int{}}
	members := l.membersNode(f)
	if members == nil {
		return nil, l.problems
	}
	names := map[string]string{}    // name → where first given
	keyOwner := map[string]string{} // key → member that has it
	for i, node := range members.Values {
		field := fmt.Sprintf("members[%d]", i)
		doc, err := decodeMember(node)
		if err != nil {
			l.yamlError(err, field)
			if _, isYAML := err.(yaml.Error); !isYAML {
				l.problems[len(l.problems)-1].Line, l.problems[len(l.problems)-1].Col = position(node)
			}
			continue
		}
		m := Member{Name: doc.Name}
		ok := true
		switch {
		case doc.Name == "":
			l.add(node, field+".name", "missing: every member needs a name")
			ok = false
		case !memberName.MatchString(doc.Name):
			l.add(valueNode(node, "name"), field+".name",
				fmt.Sprintf("%s: a name is 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit", model.Visible(doc.Name)))
			ok = false
		case names[doc.Name] != "":
			l.add(valueNode(node, "name"), field+".name", fmt.Sprintf("%s is already the name of %s", doc.Name, names[doc.Name]))
			ok = false
		default:
			names[doc.Name] = field
		}
		role, err := room.ParseRole(doc.Role)
		if doc.Role == "" {
			l.add(node, field+".role", "missing: want commander, responder or observer")
			ok = false
		} else if err != nil {
			l.add(valueNode(node, "role"), field+".role", fmt.Sprintf("%s: want commander, responder or observer", model.Visible(doc.Role)))
			ok = false
		}
		m.Role = role
		if len(doc.Keys) == 0 {
			l.add(node, field+".keys", "missing: a member needs at least one public key (a line of authorized_keys, e.g. \"ssh-ed25519 AAAA… ana@laptop\")")
			ok = false
		}
		keyNodes := seqValues(valueNode(node, "keys"))
		for j, line := range doc.Keys {
			kf := fmt.Sprintf("%s.keys[%d]", field, j)
			var kn ast.Node = node
			if j < len(keyNodes) {
				kn = keyNodes[j]
			}
			key, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
			if err != nil {
				l.add(kn, kf, "not a public key: want a line of authorized_keys, e.g. \"ssh-ed25519 AAAA… ana@laptop\"")
				ok = false
				continue
			}
			wire := string(key.Marshal())
			if owner, dup := keyOwner[wire]; dup {
				l.add(kn, kf, fmt.Sprintf("this key is already %s's: a key names one member", owner))
				ok = false
				continue
			}
			keyOwner[wire] = doc.Name
			m.Keys = append(m.Keys, key)
		}
		if ok {
			for _, k := range m.Keys {
				team.byKey[string(k.Marshal())] = len(team.Members)
			}
			team.Members = append(team.Members, m)
		}
	}
	if len(l.problems) > 0 {
		return nil, l.problems
	}
	return team, nil
}

// decodeMember decodes one member. The decoder panics on some malformed
// input (a tag on a flow mapping's value, found by fuzzing); a team file is
// re-read by a running server on SIGHUP, so that is an error, not a crash.
func decodeMember(node ast.Node) (doc memberDoc, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("this member cannot be read as name, role and keys")
		}
	}()
	err = yaml.NodeToValue(node, &doc, yaml.Strict())
	return doc, err
}

// position is a node's line and column, 1:1 when it has none.
func position(n ast.Node) (line, col int) {
	if n != nil {
		if tk := n.GetToken(); tk != nil && tk.Position != nil {
			return tk.Position.Line, tk.Position.Column
		}
	}
	return 1, 1
}

// teamLoader collects the problems of one file.
type teamLoader struct {
	file     string
	problems model.ProblemList
}

func (l *teamLoader) add(n ast.Node, field, msg string) {
	line, col := position(n)
	l.problems = append(l.problems, model.Problem{File: l.file, Line: line, Col: col, Field: field, Message: msg})
}

// yamlError turns a parser or decoder error into a problem at its token.
func (l *teamLoader) yamlError(err error, field string) {
	line, col, msg := 1, 1, err.Error()
	if ye, ok := err.(yaml.Error); ok {
		msg = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			line, col = tk.Position.Line, tk.Position.Column
		}
		if uf, ok := err.(*yaml.UnknownFieldError); ok {
			name := strings.TrimSpace(tokenValue(uf.GetToken()))
			msg = fmt.Sprintf("unknown field %s: a member has name, role and keys", model.Visible(name))
			if field != "" && name != "" {
				field += "." + name
			}
		}
	}
	l.problems = append(l.problems, model.Problem{File: l.file, Line: line, Col: col, Field: field, Message: model.Visible(msg)})
}

func tokenValue(tk *token.Token) string {
	if tk == nil {
		return ""
	}
	return tk.Value
}

// membersNode finds the members list, reporting what is wrong around it.
func (l *teamLoader) membersNode(f *ast.File) *ast.SequenceNode {
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		l.add(nil, "members", "the file is empty: want a list of members (see fixtures/README.md, Team file)")
		return nil
	}
	body := f.Docs[0].Body
	top, ok := body.(*ast.MappingNode)
	if !ok {
		if mv, isOne := body.(*ast.MappingValueNode); isOne {
			top = &ast.MappingNode{BaseNode: mv.BaseNode, Values: []*ast.MappingValueNode{mv}}
		} else {
			l.add(body, "", "want a mapping with a members list")
			return nil
		}
	}
	var members ast.Node
	for _, mv := range top.Values {
		if key := mv.Key.String(); key == "members" {
			members = mv.Value
			continue
		}
		l.add(mv.Key, model.Visible(mv.Key.String()), "unknown field: a team file has members only")
	}
	if members == nil {
		l.add(body, "members", "missing: want a list of members")
		return nil
	}
	seq, ok := members.(*ast.SequenceNode)
	if !ok || len(seq.Values) == 0 {
		l.add(members, "members", "want a list of at least one member")
		return nil
	}
	return seq
}

// valueNode is the value of key in a mapping node, or the node itself when
// it has none (so a problem still has a position).
func valueNode(n ast.Node, key string) ast.Node {
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	}
	for _, mv := range values {
		if mv.Key.String() == key {
			return mv.Value
		}
	}
	return n
}

func seqValues(n ast.Node) []ast.Node {
	if s, ok := n.(*ast.SequenceNode); ok {
		return s.Values
	}
	return nil
}

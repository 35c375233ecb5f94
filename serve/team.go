// Package serve is warroom's SSH server: one shared room served to the whole
// team, each session a full console of its own, members known by their
// public keys from a team file.
package serve

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

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

// teamDoc is the file as written.
type teamDoc struct {
	Members []memberDoc `json:"members,omitzero" doc:"Who may enter the room."`
}

// memberDoc is one entry of the file as written.
type memberDoc struct {
	Name string   `json:"name,omitzero" doc:"The member's name, as the timeline shows it."`
	Role string   `json:"role,omitzero" doc:"commander, responder or observer."`
	Keys []string `json:"keys,omitzero" doc:"Public keys, each a line of authorized_keys."`
}

// LoadTeam parses and checks a team file. Every problem is reported as
// file:line:col: field: message (a model.ProblemList), not only the first.
// The YAML is read by the model's typed decoder (model.DecodeYAML), as a
// scenario file or a config is.
func LoadTeam(file string, data []byte) (*Team, error) {
	l := teamLoader{file: file}
	if len(data) > MaxTeamFile {
		l.problems = append(l.problems, model.Problem{File: file, Line: 1, Col: 1,
			Message: fmt.Sprintf("the file is %d bytes; a team file may be at most %d", len(data), MaxTeamFile)})
		return nil, l.problems
	}
	var f teamDoc
	doc, problems := model.DecodeYAML(file, data, &f)
	if doc == nil {
		if len(problems) == 1 && problems[0].Field == "" && strings.HasPrefix(problems[0].Message, "empty document") {
			problems[0].Field, problems[0].Message = "members", "the file is empty: want a list of members (see fixtures/README.md, Team file)"
		}
		return nil, problems
	}
	l.doc, l.problems = doc, problems
	refused := map[string]bool{}
	for _, p := range problems {
		refused[p.Field] = true
		if p.Field == "" {
			return nil, problems // a syntax problem: nothing more to say
		}
	}
	if len(f.Members) == 0 && !refused["members"] {
		l.add("members", "want a list of at least one member")
	}
	team := &Team{File: file, byKey: map[string]int{}}
	names := map[string]string{}    // name → where first given
	keyOwner := map[string]string{} // key → member that has it
	for i, md := range f.Members {
		field := fmt.Sprintf("members[%d]", i)
		m := Member{Name: md.Name}
		ok := true
		switch {
		case refused[field+".name"]:
			ok = false
		case md.Name == "":
			l.add(field+".name", "missing: every member needs a name")
			ok = false
		case !memberName.MatchString(md.Name):
			l.add(field+".name",
				fmt.Sprintf("%s: a name is 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit", model.Visible(md.Name)))
			ok = false
		case names[md.Name] != "":
			l.add(field+".name", fmt.Sprintf("%s is already the name of %s", md.Name, names[md.Name]))
			ok = false
		default:
			names[md.Name] = field
		}
		role, err := room.ParseRole(md.Role)
		switch {
		case refused[field+".role"]:
			ok = false
		case md.Role == "":
			l.add(field+".role", "missing: want commander, responder or observer")
			ok = false
		case err != nil:
			l.add(field+".role", fmt.Sprintf("%s: want commander, responder or observer", model.Visible(md.Role)))
			ok = false
		}
		m.Role = role
		if len(md.Keys) == 0 && !refused[field+".keys"] {
			l.add(field+".keys", "missing: a member needs at least one public key (a line of authorized_keys, e.g. \"ssh-ed25519 AAAA… ana@laptop\")")
			ok = false
		}
		for j, line := range md.Keys {
			kf := fmt.Sprintf("%s.keys[%d]", field, j)
			key, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
			if err != nil {
				l.add(kf, "not a public key: want a line of authorized_keys, e.g. \"ssh-ed25519 AAAA… ana@laptop\"")
				ok = false
				continue
			}
			wire := string(key.Marshal())
			if owner, dup := keyOwner[wire]; dup {
				l.add(kf, fmt.Sprintf("this key is already %s's: a key names one member", owner))
				ok = false
				continue
			}
			keyOwner[wire] = md.Name
			m.Keys = append(m.Keys, key)
		}
		if ok && !refused[field] {
			for _, k := range m.Keys {
				team.byKey[string(k.Marshal())] = len(team.Members)
			}
			team.Members = append(team.Members, m)
		}
	}
	if len(l.problems) > 0 {
		slices.SortStableFunc(l.problems, func(a, b model.Problem) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Col - b.Col
		})
		return nil, l.problems
	}
	return team, nil
}

// teamLoader collects the problems of one file.
type teamLoader struct {
	file     string
	doc      *model.YAMLDoc
	problems model.ProblemList
}

// add reports a problem at a field's place, or where a missing field
// should be.
func (l *teamLoader) add(field, msg string) {
	l.problems = append(l.problems, l.doc.Problem(field, "%s", msg))
}

package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/warroom/warroom/model"
	"github.com/warroom/warroom/room"
)

// newKey makes a public key and its authorized_keys line.
func newKey(t *testing.T, comment string) (gossh.PublicKey, string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k))) + " " + comment
}

func TestLoadTeam(t *testing.T) {
	ana, anaLine := newKey(t, "ana@laptop")
	bo, boLine := newKey(t, "bo@desk")
	_, boLine2 := newKey(t, "bo@phone")
	data := "members:\n" +
		"  - name: ana\n    role: commander\n    keys: [\"" + anaLine + "\"]\n" +
		"  - name: bo\n    role: Responder\n    keys:\n      - " + boLine + "\n      - " + boLine2 + "\n" +
		"  - name: cy\n    role: observer\n    keys: [\"" + mustLine(t) + "\"]\n"
	team, err := LoadTeam("team.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := team.Lookup(ana); !ok || m.Name != "ana" || m.Role != room.RoleCommander {
		t.Errorf("ana's key: %+v %v", m, ok)
	}
	if m, ok := team.Lookup(bo); !ok || m.Name != "bo" || m.Role != room.RoleResponder || len(m.Keys) != 2 {
		t.Errorf("bo's key: %+v %v", m, ok)
	}
	stranger, _ := newKey(t, "x")
	if _, ok := team.Lookup(stranger); ok {
		t.Error("a key not in the file was found")
	}
}

func mustLine(t *testing.T) string {
	_, l := newKey(t, "c")
	return l
}

// TestLoadTeamProblems: every problem of a bad team file is reported with
// its line, column and field.
func TestLoadTeamProblems(t *testing.T) {
	_, k1 := newKey(t, "a")
	_, k2 := newKey(t, "b")
	tests := []struct {
		name, data string
		want       []string // "line:col: field: message start"
	}{
		{"empty", "", []string{"1:1: members: the file is empty"}},
		{"not a list", "members: ana\n", []string{"1:10: members: expected a list, got a string \"ana\""}},
		{"an empty list", "members: []\n", []string{"1:10: members: want a list of at least one member"}},
		{"unknown top field", "members:\n  - {name: ana, role: commander, keys: [\"" + k1 + "\"]}\nadmins: []\n",
			[]string{"3:1: admins: unknown field"}},
		{"bad role", "members:\n  - name: ana\n    role: admin\n    keys: [\"" + k1 + "\"]\n",
			[]string{"3:11: members[0].role: admin: want commander, responder or observer"}},
		{"missing fields", "members:\n  - name: ana\n",
			[]string{"members[0].role: missing", "members[0].keys: missing"}},
		{"bad key", "members:\n  - name: ana\n    role: commander\n    keys: [\"ssh-ed25519 AAAAnotakey ana\"]\n",
			[]string{"4:12: members[0].keys[0]: not a public key"}},
		{"duplicate name", "members:\n  - {name: ana, role: commander, keys: [\"" + k1 + "\"]}\n  - {name: ana, role: observer, keys: [\"" + k2 + "\"]}\n",
			[]string{"3:12: members[1].name: ana is already the name of members[0]"}},
		{"shared key", "members:\n  - {name: ana, role: commander, keys: [\"" + k1 + "\"]}\n  - {name: bo, role: observer, keys: [\"" + k1 + "\"]}\n",
			[]string{"members[1].keys[0]: this key is already ana's"}},
		{"unknown member field", "members:\n  - name: ana\n    role: commander\n    password: x\n    keys: [\"" + k1 + "\"]\n",
			[]string{"4:5: members[0].password: unknown field"}},
		{"bad name", "members:\n  - name: \"a\\x1b[2Jb\"\n    role: commander\n    keys: [\"" + k1 + "\"]\n",
			[]string{"members[0].name: a\\x1b[2Jb: a name is 1 to 32"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadTeam("team.yaml", []byte(tt.data))
			var pl model.ProblemList
			if !errors.As(err, &pl) {
				t.Fatalf("want a ProblemList, got %v", err)
			}
			got := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("problems:\n%s\nwant one containing %q", got, w)
				}
			}
			if strings.ContainsRune(got, 0x1b) {
				t.Errorf("a problem carries a raw escape: %q", got)
			}
			for _, p := range pl {
				if p.File != "team.yaml" || p.Line < 1 || p.Col < 1 {
					t.Errorf("problem without a position: %+v", p)
				}
			}
		})
	}
}

// FuzzLoadTeam: no input panics, and a team either loads or says why with
// positions.
func FuzzLoadTeam(f *testing.F) {
	f.Add([]byte("members:\n  - {name: ana, role: commander, keys: [\"ssh-ed25519 AAAA\"]}\n"))
	f.Add([]byte("members: [[[[[]]]]]"))
	f.Add([]byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		team, err := LoadTeam("f.yaml", data)
		if err == nil && len(team.Members) == 0 {
			t.Fatal("a team without members loaded")
		}
	})
}

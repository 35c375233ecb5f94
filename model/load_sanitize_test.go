package model

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// eachString calls fn with every string held in v, through structs, slices,
// pointers and interfaces.
func eachString(v reflect.Value, path string, fn func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		fn(path, v.String())
	case reflect.Interface, reflect.Pointer:
		if !v.IsNil() {
			eachString(v.Elem(), path, fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				eachString(v.Field(i), path+"."+v.Type().Field(i).Name, fn)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			eachString(v.Index(i), path+"[]", fn)
		}
	}
}

// checkScenarioClean fails when any string of sc holds what Sanitize removes.
func checkScenarioClean(t *testing.T, sc *Scenario) {
	t.Helper()
	eachString(reflect.ValueOf(sc), "scenario", func(path, s string) {
		if c := Sanitize(s, 0); c != s {
			t.Errorf("%s = %q: not sanitised (%q)", path, s, c)
		}
	})
}

func TestLoadSanitisesEveryString(t *testing.T) {
	data, err := os.ReadFile("testdata/hostile/every-field.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, warnings, err := LoadScenarioChecked("every-field.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	checkScenarioClean(t, sc)

	// What the author meant stays.
	for _, tc := range []struct{ got, want string }{
		{sc.Meta.Title, "Falcon  291"},
		{sc.Meta.Summary, "sum  mary"},
		{sc.Carriers[0].Name, "UPS US"},
		{sc.Runbook[0].Title, "Identify \U0001F44D"},
		{sc.Runbook[0].Detail, "detail red"},
		{sc.Events[0].Text, "text \u2764"},
		{sc.Events[4].Body.(Inject).Title, "inject link"},
		{sc.Events[4].Body.(Inject).Prompt, "prompt \nnext"},
		{sc.Events[6].Body.(StatusUpdate).Text, "1 update"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}

	// Each changed string is a warning at its line, shown harmlessly.
	lines := map[int]bool{}
	for _, w := range warnings {
		s := w.String()
		if c := Sanitize(s, 0); c != s {
			t.Errorf("warning %q is not safe to print", s)
		}
		if strings.Contains(w.Message, "removed for display") {
			lines[w.Line] = true
		}
	}
	for _, line := range []int{4, 5, 8, 10, 12, 14, 16, 19, 20, 23, 25, 27, 29, 31, 33, 35} {
		if !lines[line] {
			t.Errorf("no warning about the text changed on line %d", line)
		}
	}
	want := `every-field.yaml:4:8: warning: title: terminal controls, invisible or width-disputed characters removed for display: "Falcon \x1b]0;pwned\a\x1b[2J 291" becomes "Falcon  291"`
	if warnings[0].String() != want {
		t.Errorf("first warning:\n got %s\nwant %s", warnings[0].String(), want)
	}
}

// TestProblemsShowFileContentHarmlessly: what a problem quotes from the file,
// keys and file names included, reaches the terminal as visible escapes.
func TestProblemsShowFileContentHarmlessly(t *testing.T) {
	tests := []struct {
		name, file, yaml string
		want             string // a problem's String must contain it
	}{
		{"key with an escape sequence", "a.yaml", minimalHeader + "\"ti\\e]0;pwn\\atle\\e[2J\": x\n",
			`a.yaml:10:1: "ti\x1b]0;pwn\atle\x1b[2J": unknown field "ti\x1b]0;pwn\atle\x1b[2J"`},
		{"unknown enum value with a bidi override", "a.yaml",
			strings.Replace(minimalHeader, "severity: SEV1", "severity: \"SEV\\u202e9\"", 1),
			`severity: unknown value "SEV\u202e9": expected one of SEV1`},
		{"unknown reference with C1", "a.yaml", minimalHeader + "timeline:\n  - {at: +0m, hosts: {group: \"w\\x9b2Jxx\", recovered: 1}}\n",
			`unknown host group "w\u009b2Jxx"`},
		{"bad offset", "a.yaml", minimalHeader + "timeline:\n  - {at: \"\\e[31m+1h\", hosts: {group: wms, recovered: 1}}\n",
			`bad offset "\x1b[31m+1h"`},
		{"file name with an escape sequence", "evil\x1b]0;pwn\x07.yaml", "title: [",
			`evil\x1b]0;pwn\x07.yaml:`},
		{"raw control bytes in the file", "a.yaml", "title: \"a\x1b[2J\x9b\"\n",
			`a.yaml:1:`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadScenario(tc.file, []byte(tc.yaml))
			var problems ProblemList
			if !errors.As(err, &problems) {
				t.Fatalf("want problems, got %v", err)
			}
			found := false
			for _, p := range problems {
				s := p.String()
				if c := Sanitize(s, 0); c != s {
					t.Errorf("problem %q is not safe to print", s)
				}
				found = found || strings.Contains(s, tc.want)
			}
			if all := problems.Error(); !found {
				t.Errorf("no problem contains %s:\n%s", tc.want, all)
			}
			if s := problems.Error(); Sanitize(s, 0) != s {
				t.Errorf("ProblemList.Error() is not safe to print: %q", s)
			}
		})
	}
}

// FuzzLoadIsSafeToShow: whatever the file holds, a loaded scenario holds
// nothing Sanitize would change, and problems and warnings are safe to print.
func FuzzLoadIsSafeToShow(f *testing.F) {
	for _, file := range []string{"testdata/hostile/every-field.yaml", "testdata/good/minimal.yaml", "testdata/bad/unknown_fields.yaml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(minimalHeader + "\"\\e[2J\": 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, warnings, err := LoadScenarioChecked("fuzz.yaml", data)
		var problems ProblemList
		if errors.As(err, &problems) {
			if s := problems.Error(); Sanitize(s, 0) != s {
				t.Fatalf("problems not safe to print: %q", s)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		checkScenarioClean(t, sc)
		for _, w := range warnings {
			if s := w.String(); Visible(s) != s {
				t.Fatalf("warning not safe to print: %q", s)
			}
		}
	})
}

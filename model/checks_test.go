package model

import (
	"reflect"
	"testing"
)

// Every reference (ref=) names a list of declarations in a scenario file
// (unique=), which says what it declares for the messages: a reference
// to anything else would never find an id.
func TestReferencesNameDeclarations(t *testing.T) {
	top := infoOf(reflect.TypeFor[ScenarioFile]())
	seen := map[*typeInfo]bool{}
	refs := 0
	var walk func(ti *typeInfo, path string)
	walk = func(ti *typeInfo, path string) {
		if seen[ti] {
			return
		}
		seen[ti] = true
		for _, f := range ti.fields {
			if ref := f.checks.ref; ref != "" {
				refs++
				i, ok := top.byName[ref]
				if !ok || top.fields[i].checks.unique == "" {
					t.Errorf("%s.%s: ref=%s is no list of declarations in a scenario file", path, f.name, ref)
				}
			}
			if f.elem != nil {
				walk(f.elem, path+"."+f.name)
			}
		}
	}
	walk(top, "scenario")
	walk(infoOf(reflect.TypeFor[Item]()), "item")
	if refs < 5 {
		t.Errorf("found %d references: the walk missed the types", refs)
	}
}

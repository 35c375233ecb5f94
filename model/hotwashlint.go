package model

import (
	"slices"
	"strconv"
)

// objectives warns of an objective no inject exercises: the exercise says
// it tests something it never puts to the team.
func (l *itemLinter) objectives(sc *Scenario, top *yamlPart) {
	for i, o := range sc.Objectives {
		named := false
		for _, e := range sc.Events {
			if in, ok := e.Body.(Inject); ok && slices.Contains(in.Objectives, o.ID) {
				named = true
				break
			}
		}
		if !named {
			ptr := "/objectives/" + strconv.Itoa(i) + "/id"
			l.warn(top.pos(ptr, false), ptr, "objective %q is exercised by no inject: name it in an inject's objectives", o.ID)
		}
	}
}

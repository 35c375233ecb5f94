package model

import "regexp"

// findingRef is how an action item names a finding: by its number.
var findingRef = regexp.MustCompile(`^[Ff][1-9][0-9]*$`)

// actionItem checks what an action item needs beyond its tags: a due date
// that is a real date, and a finding named by its number.
func (c *checker) actionItem(a *ActionItem, ptr string) {
	if a.Due != "" && !c.refused(ptr+"/due") {
		if _, ok := a.DueDate(); !ok {
			c.add(ptr+"/due", "bad date %q: expected YYYY-MM-DD, e.g. 2024-08-02", a.Due)
		}
	}
	if a.Finding != "" && !findingRef.MatchString(a.Finding) {
		c.add(ptr+"/finding", "bad finding %q: expected a finding's number, F1, F2, …", a.Finding)
	}
}

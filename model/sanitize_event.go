package model

// sanitizeList sanitises each string of a list, copying the list only when
// something changes.
func sanitizeList(l []string, maxLen int) []string {
	var out []string
	for i, s := range l {
		c := Sanitize(s, maxLen)
		if out == nil && c != s {
			out = make([]string, len(l))
			copy(out, l[:i])
		}
		if out != nil {
			out[i] = c
		}
	}
	if out == nil {
		return l
	}
	return out
}

// SanitizeEvent sanitises every string of an event: its source, its text and
// every string field of its body, names capped at MaxNameLen runes and texts
// at MaxTextLen. Lists are copied before they are changed, never edited in
// place. Every live source passes its events through it.
func SanitizeEvent(e Event) Event {
	e.Source = Sanitize(e.Source, MaxNameLen)
	e.Text = Sanitize(e.Text, MaxTextLen)
	n := func(s string) string { return Sanitize(s, MaxNameLen) }
	t := func(s string) string { return Sanitize(s, MaxTextLen) }
	switch b := e.Body.(type) {
	case HostStatus:
		b.Group = n(b.Group)
		b.State = HostState(n(string(b.State)))
		e.Body = b
	case BacklogObservation:
		// numbers only
	case CarrierWarning:
		b.ID, b.Carrier, b.Region, b.Headline = n(b.ID), n(b.Carrier), n(b.Region), n(b.Headline)
		b.Phase = WarningPhase(n(string(b.Phase)))
		b.Severity = Severity(n(string(b.Severity)))
		b.Body = t(b.Body)
		e.Body = b
	case SellerComplaint:
		b.Seller, b.Channel, b.Topic = n(b.Seller), n(b.Channel), n(b.Topic)
		b.Text = t(b.Text)
		e.Body = b
	case RunbookStepChange:
		b.Step, b.By = n(b.Step), n(b.By)
		b.State = StepState(n(string(b.State)))
		e.Body = b
	case Inject:
		b.ID, b.Title = n(b.ID), n(b.Title)
		b.Prompt, b.Notes = t(b.Prompt), t(b.Notes)
		b.Questions = sanitizeList(b.Questions, MaxTextLen)
		b.Expected = sanitizeList(b.Expected, MaxTextLen)
		e.Body = b
	case Note:
		b.Author, b.Text = n(b.Author), t(b.Text)
		e.Body = b
	case StatusUpdate:
		b.From, b.Text = n(b.From), t(b.Text)
		e.Body = b
	case Acknowledgement:
		b.Warning, b.By = n(b.Warning), n(b.By)
		e.Body = b
	case SourceHealth:
		b.Source, b.Error = n(b.Source), t(b.Error)
		b.Status = HealthStatus(n(string(b.Status)))
		var feeds []Kind
		for i, k := range b.Feeds {
			c := Kind(n(string(k)))
			if feeds == nil && c != k {
				feeds = make([]Kind, len(b.Feeds))
				copy(feeds, b.Feeds[:i])
			}
			if feeds != nil {
				feeds[i] = c
			}
		}
		if feeds != nil {
			b.Feeds = feeds
		}
		e.Body = b
	case InjectControl:
		b.Inject, b.By = n(b.Inject), n(b.By)
		b.Action = InjectAction(n(string(b.Action)))
		e.Body = b
	case Decision:
		b.Inject, b.By, b.Text = n(b.Inject), n(b.By), t(b.Text)
		e.Body = b
	case ExpectedCheck:
		b.Inject, b.By = n(b.Inject), n(b.By)
		e.Body = b
	case WhatIf:
		b.By = n(b.By)
		e.Body = b
	}
	return e
}

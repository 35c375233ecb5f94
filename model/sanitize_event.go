package model

import "reflect"

// SanitizeEvent sanitises every string of an event: its source, its text and
// every string of its body, names capped at MaxNameLen runes and the fields
// its type tags sanitize:"text" at MaxTextLen. The body is copied, and its
// lists, before anything in them changes: an event is never edited in
// place. Every live source passes its events through it.
func SanitizeEvent(e Event) Event {
	e.Source = Sanitize(e.Source, MaxNameLen)
	e.Text = Sanitize(e.Text, MaxTextLen)
	if e.Body == nil {
		return e
	}
	v := reflect.ValueOf(e.Body)
	if v.Kind() != reflect.Struct || !sanitizeValue(v, MaxNameLen, false) {
		return e // clean: nothing to copy
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	sanitizeValue(c, MaxNameLen, true)
	e.Body = c.Interface().(Body)
	return e
}

// sanitizeValue sanitises v's strings (in a struct, by its fields' tags,
// inside pointers and lists), capped at limit runes (0: none, for all of
// it), and reports whether
// any changed. With set false it only looks; with set it changes v, which
// must be settable, copying each list before it changes one of its items.
func sanitizeValue(v reflect.Value, limit int, set bool) bool {
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		clean := Sanitize(s, limit)
		if clean == s {
			return false
		}
		if set {
			v.SetString(clean)
		}
		return true
	case reflect.Pointer:
		return !v.IsNil() && sanitizeValue(v.Elem(), limit, set)
	case reflect.Struct:
		if v.Type() == timeType {
			return false
		}
		changed := false
		ti := infoOf(v.Type())
		for i := range ti.fields {
			f := &ti.fields[i]
			l := limit // 0: no cap, for all inside
			if l != 0 {
				l = f.limit()
			}
			if sanitizeValue(f.value(v), l, set) {
				changed = true
				if !set {
					return true
				}
			}
		}
		return changed
	case reflect.Slice:
		copied := false
		for i := range v.Len() {
			if !sanitizeValue(v.Index(i), limit, false) {
				continue
			}
			if !set {
				return true
			}
			if !copied {
				c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
				reflect.Copy(c, v)
				v.Set(c)
				copied = true
			}
			sanitizeValue(v.Index(i), limit, true)
		}
		return copied
	}
	return false
}

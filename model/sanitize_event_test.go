package model

import (
	"reflect"
	"strings"
	"testing"
)

func TestSanitizeEvent(t *testing.T) {
	evil := "x\x1b]0;pwned\x07\x1b[2J"
	long := strings.Repeat("y", MaxTextLen+10)
	inflow := 3.0
	questions := []string{"fine", evil}
	tests := []struct {
		in, want Body
	}{
		{HostStatus{Group: evil, Recovered: 1, State: HostState(evil)},
			HostStatus{Group: "x", Recovered: 1, State: "x"}},
		{BacklogObservation{Waiting: 5, Inflow: &inflow}, BacklogObservation{Waiting: 5, Inflow: &inflow}},
		{CarrierWarning{ID: evil, Carrier: evil, Phase: "issued", Severity: "major", Region: evil, Headline: long, Body: long},
			CarrierWarning{ID: "x", Carrier: "x", Phase: "issued", Severity: "major", Region: "x",
				Headline: long[:MaxNameLen-1] + "…", Body: long[:MaxTextLen-1] + "…"}},
		{SellerComplaint{Seller: evil, Channel: evil, Topic: evil, Text: evil},
			SellerComplaint{Seller: "x", Channel: "x", Topic: "x", Text: "x"}},
		{RunbookStepChange{Step: evil, State: "done", By: evil}, RunbookStepChange{Step: "x", State: "done", By: "x"}},
		{Inject{ID: evil, Title: evil, Prompt: evil, Questions: questions, Expected: []string{evil}, Notes: evil},
			Inject{ID: "x", Title: "x", Prompt: "x", Questions: []string{"fine", "x"}, Expected: []string{"x"}, Notes: "x"}},
		{Note{Author: evil, Text: evil}, Note{Author: "x", Text: "x"}},
		{StatusUpdate{From: evil, Text: evil}, StatusUpdate{From: "x", Text: "x"}},
		{Acknowledgement{Warning: evil, By: evil}, Acknowledgement{Warning: "x", By: "x"}},
		{SourceHealth{Source: evil, Status: "error", Error: evil, Feeds: []Kind{"hosts", Kind(evil)}},
			SourceHealth{Source: "x", Status: "error", Error: "x", Feeds: []Kind{"hosts", "x"}}},
		{InjectControl{Inject: evil, Action: "fire", By: evil}, InjectControl{Inject: "x", Action: "fire", By: "x"}},
		{Decision{Inject: evil, By: evil, Text: evil}, Decision{Inject: "x", By: "x", Text: "x"}},
		{ExpectedCheck{Inject: evil, By: evil}, ExpectedCheck{Inject: "x", By: "x"}},
		{WhatIf{Factor: 2, By: evil}, WhatIf{Factor: 2, By: "x"}},
		{CommsSent{Template: evil, Audience: evil, Text: evil + "\nline two\n" + long},
			CommsSent{Template: "x", Audience: "x", Text: ("x\nline two\n" + long)[:MaxTextLen-1] + "…"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.in.Kind()), func(t *testing.T) {
			got := SanitizeEvent(Event{At: 5, Source: evil, Text: evil, Body: tt.in})
			want := Event{At: 5, Source: "x", Text: "x", Body: tt.want}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("SanitizeEvent:\n got %#v\nwant %#v", got, want)
			}
		})
	}
	if questions[1] != evil {
		t.Errorf("SanitizeEvent edited the caller's list: %q", questions)
	}
}

// TestSanitizeEventCoversEveryField fills every string field of every body
// type with an escape sequence, by reflection, and checks that none is left:
// a field added to a body type later must be added to SanitizeEvent too.
func TestSanitizeEventCoversEveryField(t *testing.T) {
	bodies := []Body{HostStatus{}, BacklogObservation{}, CarrierWarning{},
		SellerComplaint{}, RunbookStepChange{}, Inject{}, Note{}, StatusUpdate{},
		Acknowledgement{}, SourceHealth{}, InjectControl{}, Decision{},
		ExpectedCheck{}, WhatIf{}, AlertAck{}, CommsSent{}}
	const evil = "\x1b[2J"
	for _, b := range bodies {
		v := reflect.New(reflect.TypeOf(b)).Elem()
		fillStrings(v, evil)
		e := SanitizeEvent(Event{Body: v.Interface().(Body)})
		if leak := findStringField(reflect.ValueOf(e.Body), evil); leak != "" {
			t.Errorf("%T: field %s is not sanitised", b, leak)
		}
	}
}

func fillStrings(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillStrings(v.Field(i), s)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			l := reflect.MakeSlice(v.Type(), 2, 2)
			fillStrings(l.Index(0), s)
			fillStrings(l.Index(1), s)
			v.Set(l)
		}
	}
}

func findStringField(v reflect.Value, s string) string {
	switch v.Kind() {
	case reflect.Interface:
		return findStringField(v.Elem(), s)
	case reflect.String:
		if strings.Contains(v.String(), s) {
			return "(value)"
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if leak := findStringField(v.Field(i), s); leak != "" {
				return v.Type().Field(i).Name
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if leak := findStringField(v.Index(i), s); leak != "" {
				return "[]"
			}
		}
	}
	return ""
}

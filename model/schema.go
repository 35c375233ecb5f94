package model

import (
	"bytes"
	"reflect"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The JSON Schemas of the formats are made from the same types, tags and
// docs the decoders read: a field added to a type is in the schema, with
// its description, its bounds and its words. What a schema cannot say —
// ids unique, references to what is declared, counts within totals, a
// warning issued before it is updated — the checks do (checks.go).

// ScenarioSchema is the JSON Schema (draft 2020-12) of a scenario file.
func ScenarioSchema() []byte {
	g := schemaGen{scenario: true, defs: map[string]*schemaNode{}}
	root := g.object(reflect.TypeFor[ScenarioFile]())
	root.Schema = "https://json-schema.org/draft/2020-12/schema"
	root.Title = "warroom scenario"
	root.Description = "A warroom scenario: an incident as a fixture, replayed in the console or run as a tabletop exercise. One YAML mapping. " +
		"`warroom validate FILE` checks more than this schema can: ids are unique, references point at declared host groups, carriers, topics, " +
		"runbook steps and warnings, recovered + failed <= total, warnings are issued before they are updated, resolved or acknowledged. " +
		"Generated from warroom's types by `warroom scenarios schema`; the guide is fixtures/README.md."
	return g.encode(root)
}

// WireSchema is the JSON Schema of one wire-format event: a line of the
// NDJSON the live sources read and the journal keeps.
func WireSchema() []byte {
	g := schemaGen{defs: map[string]*schemaNode{}}
	root := g.object(reflect.TypeFor[Item]())
	root.Schema = "https://json-schema.org/draft/2020-12/schema"
	root.Title = "warroom wire event"
	root.Description = "One event of warroom's wire format: an NDJSON line (or an element of a JSON array) read by the http, exec and ndjson sources. " +
		"Generated from warroom's types by `warroom scenarios schema --wire`."
	return g.encode(root)
}

// schemaNode is one JSON Schema, its members in the order they are written.
type schemaNode struct {
	Schema               string                 `json:"$schema,omitzero"`
	Ref                  string                 `json:"$ref,omitzero"`
	Title                string                 `json:"title,omitzero"`
	Description          string                 `json:"description,omitzero"`
	Type                 string                 `json:"type,omitzero"`
	Format               string                 `json:"format,omitzero"`
	Pattern              string                 `json:"pattern,omitzero"`
	MinLength            *int                   `json:"minLength,omitzero"`
	Minimum              *float64               `json:"minimum,omitzero"`
	Enum                 []string               `json:"enum,omitzero"`
	Const                any                    `json:"const,omitzero"`
	AdditionalProperties *bool                  `json:"additionalProperties,omitzero"`
	Required             []string               `json:"required,omitzero"`
	Properties           schemaProps            `json:"properties,omitzero"`
	Items                *schemaNode            `json:"items,omitzero"`
	AnyOf                []*schemaNode          `json:"anyOf,omitzero"`
	OneOf                []*schemaNode          `json:"oneOf,omitzero"`
	If                   *schemaNode            `json:"if,omitzero"`
	Then                 *schemaNode            `json:"then,omitzero"`
	Defs                 map[string]*schemaNode `json:"$defs,omitzero"`
}

// schemaProps are an object's properties in the order of the type's fields.
type schemaProps []schemaProp

type schemaProp struct {
	name string
	node *schemaNode
}

func (p schemaProps) MarshalJSONTo(enc *jsontext.Encoder) error {
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return err
	}
	for _, pr := range p {
		if err := enc.WriteToken(jsontext.String(pr.name)); err != nil {
			return err
		}
		if err := json.MarshalEncode(enc, pr.node); err != nil {
			return err
		}
	}
	return enc.WriteToken(jsontext.EndObject)
}

type schemaGen struct {
	scenario bool
	defs     map[string]*schemaNode
}

func (g *schemaGen) encode(root *schemaNode) []byte {
	root.Defs = g.defs
	out, err := json.Marshal(root, json.Deterministic(true), jsontext.WithIndent("  "), jsontext.EscapeForHTML(false))
	if err != nil {
		panic("model: the schema does not encode: " + err.Error()) // a bug in the types above, caught by the tests
	}
	return append(bytes.TrimSpace(out), '\n')
}

// ref is a reference to the definition of struct type t, made once.
func (g *schemaGen) ref(t reflect.Type) *schemaNode {
	name := strings.ToLower(t.Name()[:1]) + t.Name()[1:]
	if _, ok := g.defs[name]; !ok {
		g.defs[name] = nil // being made: a type that holds itself refers to it
		g.defs[name] = g.object(t)
	}
	return &schemaNode{Ref: "#/$defs/" + name}
}

// object is the schema of a struct type: its fields, those required, no
// others; for an event, exactly one kind, and what a warning's phase needs.
func (g *schemaGen) object(t reflect.Type) *schemaNode {
	no := false
	n := &schemaNode{Type: "object", AdditionalProperties: &no}
	var kinds []*schemaNode
	for i := range infoOf(t).fields {
		f := &infoOf(t).fields[i]
		if f.wire && g.scenario {
			continue
		}
		n.Properties = append(n.Properties, schemaProp{f.name, g.field(f)})
		if f.checks.required || f.checks.present {
			n.Required = append(n.Required, f.name)
		}
		if f.kind != "" {
			kinds = append(kinds, &schemaNode{Required: []string{f.name}})
		}
	}
	switch t {
	case reflect.TypeFor[AlertRule]():
		n.OneOf = kinds
	case reflect.TypeFor[Item]():
		n.OneOf = kinds
		if g.scenario {
			n.Required = append(n.Required, "at")
		}
	case reflect.TypeFor[CarrierWarning]():
		// An issued notice (the default phase) names its carrier, its
		// severity and a headline.
		n.If = &schemaNode{Properties: schemaProps{{"phase", &schemaNode{Const: string(WarningIssued)}}}}
		n.Then = &schemaNode{Required: []string{"carrier", "severity", "headline"}}
	}
	return n
}

// field is the schema of one field.
func (g *schemaGen) field(f *fieldInfo) *schemaNode {
	n := g.value(f.typ, f)
	if n.Ref != "" && f.doc != "" {
		// A description beside $ref is allowed since draft 2019-09.
		n = &schemaNode{Ref: n.Ref}
	}
	n.Description = f.doc
	return n
}

// value is the schema of a value of type t, in field f.
func (g *schemaGen) value(t reflect.Type, f *fieldInfo) *schemaNode {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	ch := f.checks
	switch {
	case t == reflect.TypeFor[time.Duration]():
		return g.offset()
	case t == timeType:
		return &schemaNode{Type: "string", Format: "date-time"}
	case t.Kind() == reflect.String:
		n := &schemaNode{Type: "string"}
		if words := f.words; len(words) > 0 && f.typ.Kind() == reflect.String {
			return &schemaNode{Enum: words}
		}
		if e, ok := reflect.Zero(t).Interface().(enum); ok {
			return &schemaNode{Enum: e.Values()}
		}
		if ch.id {
			n.Pattern = "^[a-z0-9-]+$"
		}
		if ch.required || ch.items {
			one := 1
			n.MinLength = &one
		}
		return n
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		return &schemaNode{Type: "integer", Minimum: ch.min}
	case t.Kind() == reflect.Float64:
		return &schemaNode{Type: "number", Minimum: ch.min}
	case t.Kind() == reflect.Bool:
		return &schemaNode{Type: "boolean"}
	case t.Kind() == reflect.Slice:
		return &schemaNode{Type: "array", Items: g.value(t.Elem(), f)}
	case t.Kind() == reflect.Struct:
		return g.ref(t)
	}
	return &schemaNode{}
}

// offset is the definition of an offset from T+0.
func (g *schemaGen) offset() *schemaNode {
	if _, ok := g.defs["offset"]; !ok {
		goDuration := `(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)`
		n := &schemaNode{Description: "An offset from T+0: a Go duration with an optional leading '+', e.g. +0m, +2h15m, +49h30m, 90s. Never negative.",
			AnyOf: []*schemaNode{{Type: "string", Pattern: `^\+?` + goDuration + `$`}, {Const: 0}}}
		if !g.scenario {
			n.Description = "An offset from T+0 (+6h42m, T+06:42) or the RFC 3339 time it is."
			n.AnyOf = []*schemaNode{
				{Type: "string", Pattern: `^(\+?` + goDuration + `|T\+[0-9]+:[0-5][0-9](:[0-5][0-9])?)$`},
				{Type: "string", Format: "date-time"},
				{Const: 0},
			}
		}
		g.defs["offset"] = n
	}
	return &schemaNode{Ref: "#/$defs/offset"}
}

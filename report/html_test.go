package report

import (
	"regexp"
	"strings"
	"testing"
)

// reportHTML is the default scenario's report at T+30h, while the backlog
// still drains, so that both charts and the forecast path are drawn.
func reportHTML(t testing.TB) string {
	t.Helper()
	sc := defaultScenario(t)
	var b strings.Builder
	if err := Build(input(sc, 30*h)).HTML(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// What would make a page load something from outside: an element's src or
// href (a link within the page, "#id", is fine), a script, a stylesheet
// link, CSS that imports or points to a URL, a font face.
var outside = []struct {
	name string
	re   *regexp.Regexp
}{
	{"src attribute", regexp.MustCompile(`(?i)\ssrc\s*=`)},
	{"href leaving the page", regexp.MustCompile(`(?i)\s(xlink:)?href\s*=\s*"?[^"#\s]`)},
	{"script", regexp.MustCompile(`(?i)<script`)},
	{"link element", regexp.MustCompile(`(?i)<link\b`)},
	{"css url()", regexp.MustCompile(`(?i)url\s*\(`)},
	{"css @import", regexp.MustCompile(`(?i)@import`)},
	{"font face", regexp.MustCompile(`(?i)@font-face`)},
	{"object, embed or iframe", regexp.MustCompile(`(?i)<(object|embed|iframe|img)\b`)},
}

// An address other than the SVG namespaces' names, which nothing loads.
var address = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)

func TestHTMLIsSelfContained(t *testing.T) {
	page := reportHTML(t)
	for _, o := range outside {
		if loc := o.re.FindStringIndex(page); loc != nil {
			t.Errorf("the page has a %s: %q", o.name, page[max(0, loc[0]-40):min(len(page), loc[1]+40)])
		}
	}
	rest := strings.NewReplacer(`xmlns="http://www.w3.org/2000/svg"`, "", `xmlns:xlink="http://www.w3.org/1999/xlink"`, "").Replace(page)
	if m := address.FindString(rest); m != "" {
		t.Errorf("the page names an address outside it: %q", m)
	}
	if n := strings.Count(page, "<svg"); n != 2 {
		t.Errorf("%d SVG charts inline, want 2 (burn-down and forecast accuracy)", n)
	}
	if n := strings.Count(page, "<figure"); n != 2 {
		t.Errorf("%d figures, want one for each chart: a section with no chart has none (an empty image to a screen reader)", n)
	}
	if !strings.Contains(page, "default-src 'none'") {
		t.Error("the page has no content security policy forbidding loads")
	}
}

// The checks above find what they look for: each catches a page that has it.
func TestHTMLSelfContainedChecksCanFail(t *testing.T) {
	for i, bad := range []string{
		`<img src="x.png">`, `<a href="https://example.com/">`, `<script>1</script>`, `<link rel="stylesheet" href="s.css">`,
		`<style>a{background:url(x.png)}</style>`, `<style>@import "x.css";</style>`, `<style>@font-face{}</style>`, `<iframe>`,
	} {
		if !outside[i].re.MatchString(bad) {
			t.Errorf("%s check misses %q", outside[i].name, bad)
		}
	}
	if !outside[1].re.MatchString(`<use xlink:href="http://x/y.svg#a"/>`) || outside[1].re.MatchString(`<a href="#summary">`) {
		t.Error("the href check is wrong about xlink:href or an in-page link")
	}
}

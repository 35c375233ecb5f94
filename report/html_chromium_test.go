package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromium finds Debian's chromium; without it the test skips, or fails
// under CI, which installs it (.ci/run).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; CI installs it (apt-get install chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium): the report page is not rendered in a browser")
	return ""
}

// chartDrawn is what the page shows of one chart, measured in the browser.
type chartDrawn struct {
	Width, Height float64 // the SVG's box on the page
	Paths         int     // paths with a drawing, of a box larger than a dot
	Texts         int     // labels, legend
}

// TestHTMLRendersInChromium loads the report page in headless Chromium:
// it loads without an error in its console or log, asks for nothing
// outside the file, and both charts are drawn (their paths have boxes on
// the page).
func TestHTMLRendersInChromium(t *testing.T) {
	exe := chromium(t)
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(reportHTML(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()

	var mu sync.Mutex
	var problems, requests []string
	console := chromedp.Console(ctx)
	read := make(chan struct{})
	go func() {
		defer close(read)
		for m, err := range console {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok && !strings.HasPrefix(ev.Request.URL, "file://") {
			mu.Lock()
			requests = append(requests, ev.Request.URL)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("chromium: network: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+path), chromedp.WaitVisible("figure.chart svg")); err != nil {
		t.Fatalf("chromium: load the page: %v", err)
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartDrawn](`[...document.querySelectorAll("figure.chart svg")].map(svg => {
		const box = svg.getBoundingClientRect();
		const paths = [...svg.querySelectorAll("path")].filter(p => {
			const b = p.getBBox();
			return p.getAttribute("d") && (b.width > 2 || b.height > 2);
		});
		return {Width: box.width, Height: box.height, Paths: paths.length, Texts: svg.querySelectorAll("text").length};
	})`))
	if err != nil {
		t.Fatalf("chromium: measure the charts: %v", err)
	}
	cancelTab() // ends the console's subscription
	<-read
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("the page reported a problem: %s", p)
	}
	for _, u := range requests {
		t.Errorf("the page asked for %s", u)
	}
	if len(drawn) != 2 {
		t.Fatalf("%d charts on the page, want 2", len(drawn))
	}
	for i, c := range drawn {
		// Axes, grid lines, the legend's marks and the series: a chart
		// with its lines drawn has well over a dozen.
		if c.Width < 300 || c.Height < 100 || c.Paths < 12 || c.Texts < 5 {
			t.Errorf("chart %d is not drawn: %+v", i+1, c)
		}
	}
	t.Logf("charts as drawn: %+v", drawn)
}

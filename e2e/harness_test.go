// Package e2e drives the real Bela server with headless Chromium: it boots the server in
// process on a free port with the small demo data set, and signs in through the real pages.
//
// Without BELA_E2E the tests skip, with a visible message, when Chromium is missing; with
// BELA_E2E=1 a missing browser fails, like any wrong page.
package e2e

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bela/internal/blob"
	"bela/internal/demo"
	"bela/internal/store"
	"bela/internal/web"
)

// required reports whether the run must not skip: BELA_E2E=1, as in CI.
func required() bool { return os.Getenv("BELA_E2E") == "1" }

// chromiumPath finds the browser: BELA_CHROMIUM when set, else Debian's /usr/bin/chromium, else
// chromium on PATH.
func chromiumPath() (string, error) {
	if p := os.Getenv("BELA_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", errors.New("BELA_CHROMIUM=" + p + " does not exist")
		}
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium at /usr/bin/chromium or on PATH (install it with `apt-get install -y chromium`, or set BELA_CHROMIUM)")
}

// needBrowser returns the browser's path, or skips the test with a visible message when the
// run does not require the browser tests, or fails it when BELA_E2E=1.
func needBrowser(t *testing.T) string {
	t.Helper()
	if testing.Short() && !required() {
		t.Skip("e2e skipped: -short (BELA_E2E=1 runs the browser tests anyway)")
	}
	path, err := chromiumPath()
	if err != nil {
		if required() {
			t.Fatalf("BELA_E2E=1 but the browser is missing: %v", err)
		}
		t.Skipf("e2e skipped: %v; set BELA_E2E=1 to make this a failure", err)
	}
	return path
}

// site is the real server, listening on a free loopback port, with the small demo data set;
// Store lets a test arrange data through the use cases.
type site struct {
	URL   string
	Demo  *demo.Result
	Store *store.Store
}

// startSite boots the server in process: SQLite and a blob store in a temporary directory, demo
// data, web.New behind an http.Server. Everything stops when the test ends.
func startSite(t *testing.T) *site {
	t.Helper()
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	url := "http://" + ln.Addr().String()
	dir := t.TempDir()
	clock := store.SystemClock{}
	s, err := store.Open(ctx, store.Config{Path: filepath.Join(dir, "bela.db"), Clock: clock, PublicURL: url})
	if err != nil {
		ln.Close()
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	blobs, err := blob.Open(dir)
	if err != nil {
		ln.Close()
		t.Fatalf("open blob store: %v", err)
	}
	res, err := demo.Load(ctx, s, demo.Options{Small: true, Blobs: blobs})
	if err != nil {
		ln.Close()
		t.Fatalf("load demo data: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h, err := web.New(ctx, web.Config{Store: s, Logger: logger, PublicURL: url, Clock: clock, Blobs: blobs})
	if err != nil {
		ln.Close()
		t.Fatalf("web.New: %v", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return &site{URL: url, Demo: res, Store: s}
}

// testWriter sends the server's warnings and errors to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// startBrowser launches one headless Chromium for the whole test and returns a context that
// holds it; tabs made from it with newTab share the process but not cookies.
func startBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	// chromedp's defaults (headless, no first run, no background networking, no sync, …) plus
	// what this machine needs.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()), // a fresh profile
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	// The first run starts the browser; its context must carry no timeout.
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	return browserCtx
}

// newTab opens a tab in a fresh browser context (its own cookies) and returns its context,
// limited to two minutes for all it does, so that a hung page fails instead of stalling the
// run (one minute was too little for a whole purchase under CI's load, with the race detector
// and another package's tests on the same two cores).
func newTab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	return longTab(t, browser, 2*time.Minute)
}

// longTab is newTab with its own limit, for flows that do more in one tab.
func longTab(t *testing.T, browser context.Context, limit time.Duration) context.Context {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		t.Fatalf("open tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, limit)
	t.Cleanup(func() {
		cancel()
		cancelTab()
	})
	return ctx
}

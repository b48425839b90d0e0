package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a goroutine-safe buffer for a running command's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func noEnv(string) string { return "" }

func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, noEnv, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

func TestBadInvocations(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string // in stderr or the error
	}{
		{"no command", nil, "Usage"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"unknown flag", []string{"serve", "--nope"}, "flag provided but not defined"},
		{"stray argument", []string{"migrate", "extra"}, "unexpected argument"},
		{"unwritable data dir", []string{"migrate", "--data", "/proc/bela"}, "data directory"},
		{"bad checkouts", []string{"migrate", "--data", "", "--checkouts", "banyak"}, "--checkouts"},
		{"unreachable database", []string{"migrate", "--data", "", "--database", "postgres://bela:secret@127.0.0.1:1/none?connect_timeout=2"}, "cannot be reached"},
		{"bad role", []string{"user", "add", "--role", "king", "--email", "a@b.c", "--name", "A"}, "--role"},
		{"demo into an existing dir", []string{"demo", "--addr", "127.0.0.1:0", "--data", os.TempDir()}, "already exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if len(args) > 2 && args[2] == "" {
				args[2] = t.TempDir()
			}
			_, stderr, err := runCmd(t, args...)
			if err == nil {
				t.Fatal("succeeded")
			}
			msg := stderr + userMessage(err)
			if !strings.Contains(msg, tc.want) {
				t.Errorf("message %q lacks %q", msg, tc.want)
			}
			if strings.Contains(msg, "secret") {
				t.Errorf("message leaks the database password: %q", msg)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	out, _, err := runCmd(t, "version")
	if err != nil || !strings.HasPrefix(out, "bela ") {
		t.Errorf("version: %q %v", out, err)
	}
	_, stderr, err := runCmd(t, "serve", "-h")
	if err == nil || !strings.Contains(stderr, "-public-url") {
		t.Errorf("serve -h: %q %v", stderr, err)
	}
}

func TestMigrateUserAddServe(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runCmd(t, "serve", "--data", dir, "--addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "migrate --instance-name") {
		t.Fatalf("serve before setup: %v", err)
	}
	out, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71")
	if err != nil || !strings.Contains(out, "instance: Pemerintah Kota Medan") {
		t.Fatalf("migrate: %q %v", out, err)
	}
	out, _, err = runCmd(t, "user", "add", "--data", dir, "--role", "admin", "--name", "Admin UKPBJ", "--email", "admin@medan.test", "--password", "kata-sandi-admin")
	if err != nil || !strings.Contains(out, "added as admin") {
		t.Fatalf("user add: %q %v", out, err)
	}
	out, _, err = runCmd(t, "user", "add", "--data", dir, "--role", "auditor", "--name", "Auditor", "--email", "auditor@medan.test")
	if err != nil || !strings.Contains(out, "/kata-sandi/atur?token=") {
		t.Fatalf("user add without password: %q %v", out, err)
	}
	if _, _, err := runCmd(t, "user", "add", "--data", dir, "--role", "buyer", "--name", "X", "--email", "x@medan.test"); err == nil {
		t.Error("unit role without --unit accepted")
	}

	ctx, cancel := context.WithCancel(context.Background())
	var out2, errb syncBuffer
	done := make(chan error, 1)
	// Settings come from the environment too.
	env := map[string]string{"BELA_DATA": dir, "BELA_ADDR": "127.0.0.1:0"}
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, &out2, &errb)
	}()
	base := waitFor(t, &errb, regexp.MustCompile(`"public_url":"(http://[^"]+)"`))
	res, err := http.Get(base + "/readyz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", res, err)
	}
	login(t, base, "admin@medan.test", "kata-sandi-admin")
	cancel()
	if err := <-done; err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}
}

// waitFor polls a running command's output until re matches, returning the first group.
func waitFor(t *testing.T, buf *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	// Generous: under the race detector on a busy machine the default demo takes a while; the
	// demo's start time is measured by the demo package's benchmark, not here.
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(buf.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s in:\n%s", re, buf.String())
	return ""
}

// login signs in through the real form and returns the dashboard body.
func login(t *testing.T, base, email, password string) string {
	t.Helper()
	jar := &cookieJar{}
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(base+"/masuk", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Request.URL.Path != "/beranda" {
		t.Fatalf("login as %s: %d at %s", email, res.StatusCode, res.Request.URL)
	}
	return string(b)
}

type cookieJar struct {
	mu      sync.Mutex
	cookies []*http.Cookie
}

func (j *cookieJar) SetCookies(_ *url.URL, cs []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.cookies = append(j.cookies, cs...)
}

func (j *cookieJar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.cookies
}

// TestDemo boots the README's first command and signs in with every printed login.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	dir := filepath.Join(t.TempDir(), "demo")
	done := make(chan error, 1)
	args := []string{"demo", "--addr", "127.0.0.1:0", "--data", dir, "--quiet"}
	if raceEnabled {
		args = append(args, "--small") // the default scale is exercised without -race
	}
	go func() { done <- run(ctx, args, noEnv, nil, &out, &errb) }()
	waitFor(t, &out, regexp.MustCompile(`(Press Ctrl\+C)`))
	text := out.String()
	m := regexp.MustCompile(`URL:\s+(http://\S+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no URL in:\n%s", text)
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	n := 0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 3 && strings.Contains(f[1], "@") {
			body := login(t, m[1], f[1], f[2])
			if !strings.Contains(body, `data-role="`+f[0]+`"`) {
				t.Errorf("%s's dashboard does not show the role", f[0])
			}
			n++
		}
	}
	if n != 11 {
		t.Errorf("%d logins printed, want one per role (11):\n%s", n, text)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

// TestDemoRemovesItsTemporaryData: without --data the demo's data lives in a new temporary
// directory, gone once the demo stops.
func TestDemoRemovesItsTemporaryData(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--quiet", "--small"}, noEnv, nil, &out, &errb)
	}()
	waitFor(t, &out, regexp.MustCompile(`(Press Ctrl\+C)`))
	m := regexp.MustCompile(`Data:\s+(\S+)`).FindStringSubmatch(out.String())
	if m == nil || !strings.HasPrefix(m[1], tmp) || !strings.Contains(out.String(), "removed on exit") {
		t.Fatalf("the demo's data is not in a temporary directory:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(m[1], "bela.db")); err != nil {
		t.Fatalf("no database while the demo runs: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if _, err := os.Stat(m[1]); !os.IsNotExist(err) {
		t.Errorf("%s is still there after the demo stopped (%v)", m[1], err)
	}
}

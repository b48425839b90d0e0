package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"bela/internal/store"
)

// runEnv runs the command with the given environment.
func runEnv(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb strings.Builder
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

// running is a bela command running in the background until stop is called.
type running struct {
	stdout, stderr syncBuffer
	cancel         context.CancelFunc
	done           chan error
}

func start(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- run(ctx, args, func(k string) string { return env[k] }, nil, &r.stdout, &r.stderr) }()
	t.Cleanup(r.stop)
	return r
}

func (r *running) stop() {
	r.cancel()
	<-r.done
	r.done <- nil // stop is idempotent
}

// httpGet returns the status and body of a GET.
func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// checkpointSize returns the size of the log's latest checkpoint, 0 if there is none.
func checkpointSize(t *testing.T, base string) int64 {
	t.Helper()
	code, body := httpGet(t, base+"/log/checkpoint")
	if code != 200 {
		return 0
	}
	lines := strings.Split(body, "\n")
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		t.Fatalf("checkpoint: %q", body)
	}
	return n
}

// waitCheckpoint waits until the log's latest checkpoint covers more than size entries.
func waitCheckpoint(t *testing.T, base string, size int64) int64 {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if n := checkpointSize(t, base); n > size {
			return n
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no checkpoint larger than %d at %s", size, base)
	return 0
}

// addEvents writes n audit events into the instance's database beside the running server.
func addEvents(t *testing.T, dir, prefix string, n int) {
	t.Helper()
	s, err := store.Open(context.Background(), store.Config{Path: filepath.Join(dir, "bela.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range n {
		if _, err := s.CreateUnit(context.Background(), store.System, fmt.Sprintf("%s.%d", prefix, i), "Unit "+prefix); err != nil {
			t.Fatal(err)
		}
	}
}

// execSQL runs statements on the SQLite database directly, as someone with access to the
// server could.
func execSQL(t *testing.T, dir string, qs ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, "bela.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func wantFail(t *testing.T, err error, stderr string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("succeeded; want failure with %q", want)
	}
	msg := userMessage(err)
	if strings.Contains(msg, "\n") {
		t.Errorf("message is not one line: %q", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q lacks %q (stderr %q)", msg, w, stderr)
		}
	}
}

// TestLogVerifyAndWitnessAgainstDemo runs the demo, verifies its log over HTTP and offline, has
// a witness cosign it, then alters the database, and finally replaces it with an older copy that
// keeps growing (a fork): the verifier and the witness refuse, each with a precise message.
func TestLogVerifyAndWitnessAgainstDemo(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "data")
	state, wstate, wkey := filepath.Join(tmp, "verify.json"), filepath.Join(tmp, "witness.json"), filepath.Join(tmp, "witness.key")

	out, _, err := runCmd(t, "log", "witness-key", "--key", wkey, "--name", "apip.test")
	if err != nil {
		t.Fatal(err)
	}
	wvkey := strings.TrimSpace(out)
	if again, _, _ := runCmd(t, "log", "witness-key", "--key", wkey); strings.TrimSpace(again) != wvkey {
		t.Fatalf("witness key changed: %q then %q", wvkey, again)
	}
	if info, err := os.Stat(wkey); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("witness key file: %v %v", info, err)
	}
	env := map[string]string{"BELA_LOG_WITNESSES": wvkey, "BELA_LOG_CHECKPOINT_EVERY": "1s"}

	demo := start(t, env, "demo", "--addr", "127.0.0.1:0", "--quiet", "--small", "--data", dir)
	base := waitFor(t, &demo.stdout, regexp.MustCompile(`URL:\s+(http://\S+)`))
	size := waitCheckpoint(t, base, 0)

	out, _, err = runCmd(t, "log", "key", "--data", dir)
	if _, served := httpGet(t, base+"/log/key"); err != nil || out != served {
		t.Fatalf("bela log key printed %q (%v), the server announces %q", out, err, served)
	}
	vkey := strings.TrimSpace(out)

	// First use: trusted with a warning, recorded in the state file.
	out, stderr, err := runCmd(t, "log", "verify", "--url", base, "--state", state)
	if err != nil || !strings.Contains(out, fmt.Sprintf("all %d re-hashed", size)) || !strings.Contains(stderr, "warning: no --key given") {
		t.Fatalf("first verify: %v\n%s\n%s", err, out, stderr)
	}
	out, stderr, err = runCmd(t, "log", "witness", "--url", base, "--key", wkey, "--state", wstate)
	if err != nil || !strings.Contains(out, "cosigned: log bela.pemerintah-kota-medan/log at size") {
		t.Fatalf("witness: %v\n%s\n%s", err, out, stderr)
	}
	out, stderr, err = runCmd(t, "log", "verify", "--url", base, "--key", vkey, "--witness", wvkey)
	if err != nil || !strings.Contains(out, "cosigned:   apip.test") || stderr != "" {
		t.Fatalf("verify with the witness required: %v\n%s\n%s", err, out, stderr)
	}
	if out, _, err = runCmd(t, "log", "verify", "--data", dir); err != nil || !strings.Contains(out, "OK: log bela.pemerintah-kota-medan/log verified") {
		t.Fatalf("offline verify: %v\n%s", err, out)
	}
	if code, page := httpGet(t, base+"/log"); code != 200 || !strings.Contains(page, "apip.test") || !strings.Contains(page, `data-testid="log-size">`+strconv.FormatInt(size, 10)+"<") {
		t.Fatalf("log page: %d\n%s", code, page)
	}
	_, stderr, err = runCmd(t, "log", "verify", "--url", base, "--key", vkey, "--witness", wvkey+"x")
	wantFail(t, err, stderr, "witness key")

	// An older copy of the database, kept for later.
	old := filepath.Join(tmp, "old.db")
	execSQL(t, dir, "VACUUM INTO '"+old+"'")

	// The log grows; verifier and witness follow it.
	addEvents(t, dir, "N", 4)
	size2 := waitCheckpoint(t, base, size)
	if out, stderr, err = runCmd(t, "log", "verify", "--url", base, "--state", state); err != nil || !strings.Contains(out, fmt.Sprintf("consistent with the checkpoint of size %d", size)) {
		t.Fatalf("second verify: %v\n%s\n%s", err, out, stderr)
	}
	if out, stderr, err = runCmd(t, "log", "witness", "--url", base, "--key", wkey, "--state", wstate); err != nil {
		t.Fatalf("second witness: %v\n%s\n%s", err, out, stderr)
	}

	// One audit row altered in the database: caught over HTTP and offline.
	execSQL(t, dir, `UPDATE audit_events SET canonical = CAST('{"v":1,"forged":true}' AS BLOB) WHERE seq = (SELECT event_seq FROM log_leaves WHERE leaf_index = 3)`)
	_, stderr, err = runCmd(t, "log", "verify", "--url", base, "--state", state)
	wantFail(t, err, stderr, "log verification FAILED", "entry 3 was altered")
	_, stderr, err = runCmd(t, "log", "verify", "--data", dir)
	wantFail(t, err, stderr, "entry 3 was altered")
	demo.stop()

	// The older copy replaces the database and keeps growing: a fork of the history the
	// verifier and the witness saw.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(dir, "bela.db"+suffix))
	}
	b, err := os.ReadFile(old)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bela.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	srv := start(t, env, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	base = waitFor(t, &srv.stderr, regexp.MustCompile(`"public_url":"(http://[^"]+)"`))
	addEvents(t, dir, "F", 9)
	waitCheckpoint(t, base, size2)
	_, stderr, err = runCmd(t, "log", "verify", "--url", base, "--state", state)
	wantFail(t, err, stderr, "log verification FAILED", "does not extend", "fork")
	_, stderr, err = runCmd(t, "log", "witness", "--url", base, "--key", wkey, "--state", wstate)
	wantFail(t, err, stderr, "witness apip.test", "refuses to cosign", "fork")
	// A newcomer without a state file sees a consistent log.
	if _, _, err := runCmd(t, "log", "verify", "--url", base, "--key", vkey); err != nil {
		t.Fatalf("fresh verify of the forked log: %v", err)
	}
}

// TestLogSignOnDemand signs a checkpoint from the command line, without a running server, and
// verifies the data directory offline.
func TestLogSignOnDemand(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71"); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, "log", "verify", "--data", dir)
	wantFail(t, err, "", "no transparency log key")
	out, _, err := runCmd(t, "log", "sign", "--data", dir)
	if err != nil || !strings.Contains(out, "signed: log bela.pemerintah-kota-medan/log at size 1,") {
		t.Fatalf("sign: %v %q", err, out)
	}
	if out, _, err = runCmd(t, "log", "sign", "--data", dir); err != nil || !strings.HasPrefix(out, "unchanged:") {
		t.Fatalf("sign again: %v %q", err, out)
	}
	addEvents(t, dir, "S", 2)
	if out, _, err = runCmd(t, "log", "sign", "--data", dir); err != nil || !strings.Contains(out, "at size 3,") {
		t.Fatalf("sign after two events: %v %q", err, out)
	}
	if out, _, err = runCmd(t, "log", "verify", "--data", dir); err != nil || !strings.Contains(out, "all 3 re-hashed") {
		t.Fatalf("offline verify: %v %q", err, out)
	}
}

func TestLogBadInvocations(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"log"}, "usage"},
		{"unknown subcommand", []string{"log", "frob"}, "unknown command"},
		{"url and data", []string{"log", "verify", "--url", "http://x", "--data", dir}, "not both"},
		{"no database", []string{"log", "verify", "--data", dir}, "no Bela database"},
		{"bad url", []string{"log", "verify", "--url", "ftp://x"}, "not an absolute http(s) URL"},
		{"witness without state", []string{"log", "witness", "--url", "http://x", "--key", "k"}, "required"},
		{"witness without key file", []string{"log", "witness", "--url", "http://x", "--key", filepath.Join(dir, "none"), "--state", "s"}, "bela log witness-key"},
		{"new witness key without name", []string{"log", "witness-key", "--key", filepath.Join(dir, "none")}, "--name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := runCmd(t, tc.args...)
			if err == nil {
				t.Fatal("succeeded")
			}
			if msg := stderr + userMessage(err); !strings.Contains(msg, tc.want) {
				t.Errorf("message %q lacks %q", msg, tc.want)
			}
		})
	}
	_, _, err := runEnv(t, map[string]string{"BELA_LOG_WITNESSES": "nonsense"}, "demo", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "d"))
	if err == nil || !strings.Contains(err.Error(), "BELA_LOG_WITNESSES") {
		t.Errorf("bad witness key accepted: %v", err)
	}
}

// TestLogAgreesWithAuditAfterKill kills a server with SIGKILL while use cases write audit
// events and the sequencer appends them, restarts it, and checks that the log catches up: every
// audit event is a leaf, and the log verifies.
func TestLogAgreesWithAuditAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	if _, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71"); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestLogLoadChild$")
	child.Env = append(os.Environ(), "BELA_LOG_CHILD="+dir)
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "bela.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		// Kill once the sequencer has run and more events are waiting for its next run.
		var leaves, pending int
		db.QueryRow(`SELECT COUNT(*) FROM log_leaves`).Scan(&leaves)
		db.QueryRow(`SELECT COUNT(*) FROM audit_events a WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_seq = a.seq)`).Scan(&pending)
		if leaves >= 300 && pending >= 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the child sequenced %d events, %d pending", leaves, pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	var pendingAtKill int
	if err := db.QueryRow(`SELECT COUNT(*) FROM audit_events a WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_seq = a.seq)`).Scan(&pendingAtKill); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed with %d audit events not yet in the log", pendingAtKill)

	srv := start(t, map[string]string{"BELA_LOG_CHECKPOINT_EVERY": "1s"}, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	base := waitFor(t, &srv.stderr, regexp.MustCompile(`"public_url":"(http://[^"]+)"`))
	var events int64
	if err := db.QueryRow(`SELECT COUNT(*) FROM audit_events`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	waitCheckpoint(t, base, events-1)
	var leaves, pending int64
	db.QueryRow(`SELECT COUNT(*) FROM log_leaves`).Scan(&leaves)
	db.QueryRow(`SELECT COUNT(*) FROM audit_events a WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_seq = a.seq)`).Scan(&pending)
	if leaves != events || pending != 0 {
		t.Fatalf("after restart: %d audit events, %d leaves, %d not in the log", events, leaves, pending)
	}
	if out, _, err := runCmd(t, "log", "verify", "--url", base); err != nil || !strings.Contains(out, fmt.Sprintf("all %d re-hashed", events)) {
		t.Fatalf("verify after the crash: %v\n%s", err, out)
	}
}

// TestLogLoadChild is the process TestLogAgreesWithAuditAfterKill kills: a server with its
// sequencer, and writers adding audit events as fast as they can.
func TestLogLoadChild(t *testing.T) {
	dir := os.Getenv("BELA_LOG_CHILD")
	if dir == "" {
		t.Skip("run by TestLogAgreesWithAuditAfterKill")
	}
	start(t, map[string]string{"BELA_LOG_CHECKPOINT_EVERY": "1s"}, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	s, err := store.Open(context.Background(), store.Config{Path: filepath.Join(dir, "bela.db")})
	if err != nil {
		t.Fatal(err)
	}
	for w := range 4 {
		go func() {
			for i := 0; ; i++ {
				s.CreateUnit(context.Background(), store.System, fmt.Sprintf("K%d.%d", w, i), "Unit beban")
			}
		}()
	}
	time.Sleep(time.Minute) // killed long before
}

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"bela/internal/store/storetest"
	"bela/internal/translog"
)

const testOrigin = "bela.pemerintah-kota-medan/log"

// copyDir copies the files of a data directory (not its subdirectories' contents).
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o750); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// runBounded runs a command that should fail at once; if it starts a server instead (the
// refusal is missing), the server is stopped after a few seconds and the command returns nil.
func runBounded(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	err := run(ctx, args, noEnv, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

// writeOtherKey puts a new signing key for the log into dir, replacing any.
func writeOtherKey(t *testing.T, dir string) string {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, translog.KeyFile), []byte(skey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return vkey
}

func noKeyFile(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, translog.KeyFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s: a key file was created (%v)", dir, err)
	}
}

// TestLogKeyIsFixed: once a log has a key (recorded by a server, or signing a checkpoint), a
// copy of the data directory whose key file is missing or different refuses to start or sign,
// naming the log's key and where the file comes from, and creates no key; a fresh data
// directory whose log has events but no key yet gets one.
func TestLogKeyIsFixed(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "data")
	if _, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71"); err != nil {
		t.Fatal(err)
	}
	// A fresh log with events and no key: serve creates the key.
	srv := start(t, map[string]string{"BELA_LOG_CHECKPOINT_EVERY": "1s"}, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	base := waitFor(t, &srv.stderr, regexp.MustCompile(`"public_url":"(http://[^"]+)"`))
	waitCheckpoint(t, base, 0)
	_, vkey := httpGet(t, base+"/log/key")
	vkey = strings.TrimSpace(vkey)
	srv.stop()
	if _, err := os.Stat(filepath.Join(dir, translog.KeyFile)); err != nil {
		t.Fatalf("no key created for a new log: %v", err)
	}
	if out, _, err := runCmd(t, "log", "key", "--data", dir); err != nil || strings.TrimSpace(out) != vkey {
		t.Fatalf("log key: %q %v, want %s", out, err, vkey)
	}

	refused := func(t *testing.T, copyDir string, want ...string) {
		t.Helper()
		for _, args := range [][]string{
			{"serve", "--data", copyDir, "--addr", "127.0.0.1:0"},
			{"log", "sign", "--data", copyDir},
			{"log", "key", "--data", copyDir},
		} {
			out, stderr, err := runBounded(t, args...)
			if out != "" && args[0] == "log" {
				t.Errorf("%s printed %q", args[:2], out)
			}
			wantFail(t, err, stderr, append([]string{"refusing", "signed with key " + vkey, "copy translog.key from the data directory", copyDir}, want...)...)
		}
	}

	t.Run("missing key", func(t *testing.T) {
		cp := filepath.Join(tmp, "missing")
		copyDir(t, dir, cp)
		os.Remove(filepath.Join(cp, translog.KeyFile))
		refused(t, cp, filepath.Join(cp, translog.KeyFile)+" is missing")
		noKeyFile(t, cp)
		// Without the recorded key, the checkpoints still fix it.
		execSQL(t, cp, `DELETE FROM log_keys`)
		for _, args := range [][]string{{"serve", "--data", cp, "--addr", "127.0.0.1:0"}, {"log", "sign", "--data", cp}} {
			_, stderr, err := runBounded(t, args...)
			wantFail(t, err, stderr, "refusing", "is missing", "its latest checkpoint")
		}
		noKeyFile(t, cp)
	})
	t.Run("different key", func(t *testing.T) {
		cp := filepath.Join(tmp, "other")
		copyDir(t, dir, cp)
		other := writeOtherKey(t, cp)
		refused(t, cp, "holds another key, "+other)
		execSQL(t, cp, `DELETE FROM log_keys`)
		_, stderr, err := runBounded(t, "serve", "--data", cp, "--addr", "127.0.0.1:0")
		wantFail(t, err, stderr, "refusing", "holds another key", "its latest checkpoint")
	})

	// The original, with its key, goes on.
	srv = start(t, map[string]string{"BELA_LOG_CHECKPOINT_EVERY": "1s"}, "serve", "--data", dir, "--addr", "127.0.0.1:0")
	base = waitFor(t, &srv.stderr, regexp.MustCompile(`"public_url":"(http://[^"]+)"`))
	if _, got := httpGet(t, base+"/log/key"); strings.TrimSpace(got) != vkey {
		t.Fatalf("key changed: %q, want %q", got, vkey)
	}
}

// postgresURL makes a new schema in the BELA_TEST_POSTGRES database for the test and returns a
// URL using it; the test skips (visibly) without BELA_TEST_POSTGRES.
func postgresURL(t *testing.T) string {
	t.Helper()
	raw := storetest.PostgresURL(t)
	schema := "t_cmd_" + strings.ReplaceAll(strings.ToLower(t.Name()), "/", "_") + "_" + time.Now().Format("150405000000")
	db, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("BELA_TEST_POSTGRES is set but PostgreSQL refused: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", raw)
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestLogKeyOneForAllServersOnPostgres: two servers on one PostgreSQL database with different
// data directories: the second, with another key or none, refuses to start.
func TestLogKeyOneForAllServersOnPostgres(t *testing.T) {
	db := postgresURL(t)
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	if _, _, err := runCmd(t, "migrate", "--data", a, "--database", db, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71"); err != nil {
		t.Fatal(err)
	}
	srv := start(t, nil, "serve", "--data", a, "--database", db, "--addr", "127.0.0.1:0")
	base := waitFor(t, &srv.stderr, regexp.MustCompile(`"public_url":"(http://[^"]+)"`))
	_, vkey := httpGet(t, base+"/log/key")
	vkey = strings.TrimSpace(vkey)

	_, stderr, err := runBounded(t, "serve", "--data", b, "--database", db, "--addr", "127.0.0.1:0")
	wantFail(t, err, stderr, "refusing", "signed with key "+vkey, filepath.Join(b, translog.KeyFile)+" is missing", "copy translog.key")
	noKeyFile(t, b)
	other := writeOtherKey(t, b)
	_, stderr, err = runBounded(t, "serve", "--data", b, "--database", db, "--addr", "127.0.0.1:0")
	wantFail(t, err, stderr, "refusing", "signed with key "+vkey, "holds another key, "+other)
	_, stderr, err = runCmd(t, "log", "sign", "--data", b, "--database", db)
	wantFail(t, err, stderr, "refusing", "signed with key "+vkey)
	// The first server still announces its key; with the same key file the second starts.
	if _, got := httpGet(t, base+"/log/key"); strings.TrimSpace(got) != vkey {
		t.Fatalf("announced key changed to %q", got)
	}
	copyKey, err := os.ReadFile(filepath.Join(a, translog.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b, translog.KeyFile), copyKey, 0o600); err != nil {
		t.Fatal(err)
	}
	srv2 := start(t, nil, "serve", "--data", b, "--database", db, "--addr", "127.0.0.1:0")
	waitFor(t, &srv2.stderr, regexp.MustCompile(`"public_url":"(http://[^"]+)"`))
}

// TestLogVerifyReadOnly verifies an auditor's read-only copy of a data directory offline: it
// works, writes nothing and migrates nothing; a copy with an older schema is reported, not
// migrated.
func TestLogVerifyReadOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if _, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, "log", "sign", "--data", dir); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, "log", "key", "--data", dir)
	if err != nil {
		t.Fatal(err)
	}
	vkey := strings.TrimSpace(out)

	older := filepath.Join(t.TempDir(), "older")
	copyDir(t, dir, older)
	// Undo the later migrations' tables and columns (0011 role offers, 0013 token expiry).
	execSQL(t, older, `DROP TABLE role_offers`, `ALTER TABLE api_tokens DROP COLUMN expiry_notified_at`, `ALTER TABLE api_tokens DROP COLUMN expires_at`,
		`DELETE FROM schema_migrations WHERE version >= 11`)

	type fileState struct {
		data  []byte
		mtime time.Time
	}
	snapshot := func(dir string) map[string]fileState {
		m := map[string]fileState{}
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.Name() == "bela.db-shm" {
				continue // SQLite readers use it (where they may), and never for data
			}
			info, err := e.Info()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			m[e.Name()] = fileState{b, info.ModTime()}
		}
		return m
	}
	readOnly := func(dir string) {
		t.Helper()
		es, _ := os.ReadDir(dir)
		for _, e := range es {
			os.Chmod(filepath.Join(dir, e.Name()), 0o444)
		}
		os.Chmod(dir, 0o555)
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
	}
	unchanged := func(dir string, before map[string]fileState) {
		t.Helper()
		after := snapshot(dir)
		for name, b := range before {
			a, ok := after[name]
			if !ok || !bytes.Equal(a.data, b.data) || !a.mtime.Equal(b.mtime) {
				t.Errorf("%s was changed", name)
			}
		}
		for name, a := range after {
			if _, ok := before[name]; !ok && len(a.data) > 0 {
				t.Errorf("%s was written", name)
			}
		}
	}
	if os.Geteuid() == 0 {
		t.Log("running as root: permissions are not enforced, so the test checks that nothing changed")
	}

	readOnly(dir)
	before := snapshot(dir)
	out, stderr, err := runCmd(t, "log", "verify", "--data", dir)
	if err != nil || !strings.Contains(out, "OK: log "+testOrigin+" verified") || !strings.Contains(out, "all 1 re-hashed") {
		t.Fatalf("verify a read-only copy: %v\n%s\n%s", err, out, stderr)
	}
	if out, _, err := runCmd(t, "log", "key", "--data", dir); err != nil || strings.TrimSpace(out) != vkey {
		t.Fatalf("log key of a read-only copy: %q %v", out, err)
	}
	unchanged(dir, before)

	readOnly(older)
	before = snapshot(older)
	_, stderr, err = runCmd(t, "log", "verify", "--data", older)
	wantFail(t, err, stderr, "schema version 10", "0011_role_offers.sql", "not migrated", "bela migrate")
	_, stderr, err = runCmd(t, "log", "key", "--data", older)
	wantFail(t, err, stderr, "not migrated")
	unchanged(older, before)
	s, err := sql.Open("sqlite", "file:"+filepath.Join(older, "bela.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	if err := s.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM schema_migrations WHERE version = 11`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the older copy was migrated: %d %v", n, err)
	}
}

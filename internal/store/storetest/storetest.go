// Package storetest opens real databases for tests: SQLite in a temporary directory always,
// and PostgreSQL in a fresh schema when BELA_TEST_POSTGRES holds a URL.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"bela/internal/store"
)

// Clock is a settable test clock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Start is the default test time: Friday 27 November 2026, 09:00 WIB.
var Start = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

// PostgresURL returns BELA_TEST_POSTGRES, skipping the test with a visible message when it is
// unset. When it is set, any failure to use it fails the test.
func PostgresURL(t testing.TB) string {
	u := os.Getenv("BELA_TEST_POSTGRES")
	if u == "" {
		t.Skip("PostgreSQL suite skipped: set BELA_TEST_POSTGRES=postgres://... to run it")
	}
	return u
}

// Each runs fn as a subtest against SQLite and, when BELA_TEST_POSTGRES is set, PostgreSQL;
// each subtest gets its own fresh database.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store, c *Clock)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		c := NewClock(Start)
		fn(t, OpenSQLite(t, c), c)
	})
	t.Run("postgres", func(t *testing.T) {
		c := NewClock(Start)
		fn(t, OpenPostgres(t, c), c)
	})
}

// OpenSQLite opens a store on a new SQLite file in the test's temporary directory.
func OpenSQLite(t testing.TB, c store.Clock) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), "bela.db"), Clock: c, PublicURL: "http://bela.test"})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// OpenPostgres opens a store in a new schema of the BELA_TEST_POSTGRES database and drops the
// schema when the test ends. It skips when the variable is unset.
func OpenPostgres(t testing.TB, c store.Clock) *store.Store {
	t.Helper()
	raw := PostgresURL(t)
	schema := "t_" + randomHex()
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer admin.Close()
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("BELA_TEST_POSTGRES is set but PostgreSQL refused: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", raw)
		if err == nil {
			db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("BELA_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := store.Open(ctx, store.Config{URL: u.String(), Clock: c, PublicURL: "http://bela.test"})
	if err != nil {
		t.Fatalf("open postgres store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func randomHex() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

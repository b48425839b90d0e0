package store_test

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"bela/internal/store"
	"bela/internal/store/storetest"
)

func newLogKey(t *testing.T) (note.Signer, string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, "bela.test/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return signer, vkey
}

func wantKeyError(t *testing.T, err error, recorded string) *store.LogKeyError {
	t.Helper()
	var ke *store.LogKeyError
	if !errors.As(err, &ke) {
		t.Fatalf("error %v, want a *store.LogKeyError", err)
	}
	if ke.Recorded != recorded {
		t.Errorf("recorded key %q, want %q", ke.Recorded, recorded)
	}
	return ke
}

// TestLogKeyFixed: the first key claimed (or that signs a checkpoint) is the log's key for good;
// no other key, and no key at all, passes after that.
func TestLogKeyFixed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		if _, err := s.SequenceLogAll(ctx, 100); err != nil {
			t.Fatal(err)
		}
		signer1, k1 := newLogKey(t)
		signer2, k2 := newLogKey(t)
		if err := s.CheckLogKey(ctx, ""); err != nil {
			t.Fatalf("a new log may get a key: %v", err)
		}
		if err := s.CheckLogKey(ctx, k2); err != nil {
			t.Fatalf("any key fits a new log: %v", err)
		}
		for range 2 {
			if err := s.ClaimLogKey(ctx, k1); err != nil {
				t.Fatal(err)
			}
		}
		wantKeyError(t, s.CheckLogKey(ctx, ""), k1)
		wantKeyError(t, s.CheckLogKey(ctx, k2), k1)
		wantKeyError(t, s.ClaimLogKey(ctx, k2), k1)
		wantKeyError(t, s.SetLogKeys(ctx, store.LogKeys{Log: k2, Witnesses: []string{"w+1+a"}}), k1)
		if k, _ := s.GetLogKeys(ctx); k.Log != k1 || len(k.Witnesses) != 0 {
			t.Fatalf("keys after refused claims: %+v", k)
		}
		if _, _, err := s.SignCheckpoint(ctx, signer2); err == nil {
			t.Fatal("signed with another key than the recorded one")
		}
		if _, _, err := s.SignCheckpoint(ctx, signer1); err != nil {
			t.Fatal(err)
		}

		// The recorded key gone (or never recorded): the latest checkpoint fixes the key.
		if _, err := s.DB().ExecContext(ctx, `DELETE FROM log_keys`); err != nil {
			t.Fatal(err)
		}
		ke := wantKeyError(t, s.CheckLogKey(ctx, ""), "")
		if ke.SignedBy == "" || ke.Size == 0 {
			t.Errorf("the error does not name the checkpoint's key: %+v", ke)
		}
		wantKeyError(t, s.CheckLogKey(ctx, k2), "")
		wantKeyError(t, s.ClaimLogKey(ctx, k2), "")
		if _, _, err := s.SignCheckpoint(ctx, signer2); err == nil {
			t.Fatal("signed with another key than the latest checkpoint's")
		}
		if err := s.CheckLogKey(ctx, k1); err != nil {
			t.Fatal(err)
		}
		if err := s.SetLogKeys(ctx, store.LogKeys{Log: k1}); err != nil {
			t.Fatal(err)
		}
		if k, _ := s.GetLogKeys(ctx); k.Log != k1 {
			t.Fatalf("key not recorded again: %+v", k)
		}
	})
}

// TestLogKeyClaimRace: servers claiming different keys at once: exactly one key wins, and each
// claim either wins or is refused. Several rounds, since a race shows only sometimes.
func TestLogKeyClaimRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		for round := range 20 {
			if _, err := s.DB().ExecContext(ctx, `DELETE FROM log_keys`); err != nil {
				t.Fatal(err)
			}
			keys := make([]string, 8)
			for i := range keys {
				_, keys[i] = newLogKey(t)
			}
			errs := make([]error, len(keys))
			var wg sync.WaitGroup
			ready := make(chan struct{})
			for i := range keys {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-ready
					errs[i] = s.SetLogKeys(ctx, store.LogKeys{Log: keys[i]})
				}()
			}
			close(ready)
			wg.Wait()
			recorded, _ := s.GetLogKeys(ctx)
			won := 0
			for i, err := range errs {
				var ke *store.LogKeyError
				switch {
				case err == nil:
					won++
					if recorded.Log != keys[i] {
						t.Errorf("round %d: claim of %s succeeded, but %s is recorded", round, keys[i], recorded.Log)
					}
				case !errors.As(err, &ke):
					t.Errorf("round %d: claim: %v", round, err)
				}
			}
			var n int
			s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM log_keys WHERE kind = 'log'`).Scan(&n)
			if won != 1 || n != 1 {
				t.Fatalf("round %d: %d claims won, %d keys recorded; want 1 and 1", round, won, n)
			}
		}
	})
}

// TestOpenReadOnlySQLite opens a database read-only in a read-only directory: reads work,
// writes fail, nothing changes on disk, and an older schema is reported rather than migrated.
func TestOpenReadOnlySQLite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bela.db")
	s, err := store.Open(ctx, store.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	s.Close()
	os.Chmod(path, 0o444)
	os.Chmod(dir, 0o555)
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	before, _ := os.ReadFile(path)
	info, _ := os.Stat(path)

	ro, err := store.Open(ctx, store.Config{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.GetInstance(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ro.CreateUnit(ctx, store.System, "RO.1", "Unit baca saja"); err == nil {
		t.Error("wrote through a read-only store")
	}
	ro.Close()
	after, _ := os.ReadFile(path)
	info2, _ := os.Stat(path)
	if !bytes.Equal(before, after) || !info.ModTime().Equal(info2.ModTime()) {
		t.Error("the database file changed")
	}
	if _, err := store.Open(ctx, store.Config{Path: filepath.Join(dir, "none.db"), ReadOnly: true}); err == nil {
		t.Error("opened a missing database")
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("created a database")
	}

	// An older schema: the last migration not applied.
	os.Chmod(dir, 0o755)
	os.Chmod(path, 0o644)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP TABLE role_offers; DELETE FROM schema_migrations WHERE version = 11`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := store.Open(ctx, store.Config{Path: path, ReadOnly: true}); !errors.Is(err, store.ErrSchemaOutdated) {
		t.Fatalf("older schema: %v", err)
	}
	db, _ = sql.Open("sqlite", path)
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM schema_migrations WHERE version = 11`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("migrated: %d %v", n, err)
	}
}

// TestOpenReadOnlyPostgres: on PostgreSQL a read-only store reads, cannot write, and does not
// migrate an older schema.
func TestOpenReadOnlyPostgres(t *testing.T) {
	raw := storetest.PostgresURL(t)
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := "t_ro_" + time.Now().Format("150405000000")
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
	u, _ := url.Parse(raw)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := store.Open(ctx, store.Config{URL: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	s.Close()

	ro, err := store.Open(ctx, store.Config{URL: u.String(), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.GetInstance(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ro.CreateUnit(ctx, store.System, "RO.1", "Unit baca saja"); err == nil {
		t.Error("wrote through a read-only store")
	}
	ro.Close()

	if _, err := admin.Exec(`DELETE FROM ` + schema + `.schema_migrations WHERE version = 11`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(ctx, store.Config{URL: u.String(), ReadOnly: true}); !errors.Is(err, store.ErrSchemaOutdated) {
		t.Fatalf("older schema: %v", err)
	}
	var n int
	if err := admin.QueryRow(`SELECT COUNT(*) FROM ` + schema + `.schema_migrations WHERE version = 11`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("migrated: %d %v", n, err)
	}
}

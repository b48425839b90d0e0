package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"bela/internal/market"
)

// queued starts fn for each of n use cases while the test holds the writer, waits until all of
// them wait in the queue, and lets them go: the writer runs them as one
// group. beforeRelease, when set, runs after they all queued. It returns each use case's error.
func queued(t *testing.T, s *Store, n int, fn func(i int) error, beforeRelease func()) []error {
	t.Helper()
	if err := s.writes.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.writes.mu.Lock()
		waiting := len(s.writes.jobs)
		s.writes.mu.Unlock()
		if waiting == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d use cases queued", waiting, n)
		}
		time.Sleep(time.Millisecond)
	}
	if beforeRelease != nil {
		beforeRelease()
	}
	s.writes.release()
	wg.Wait()
	return errs
}

func openSQLite(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{Path: filepath.Join(t.TempDir(), "bela.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func unitCodes(t *testing.T, s *Store) map[string]bool {
	t.Helper()
	rows, err := s.db.Query(`SELECT u.code FROM units u JOIN audit_events a ON a.object_type = 'unit' AND a.object_id = u.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out[c] = true
	}
	return out
}

// TestGroupCommitKeepsEachOutcome runs use cases as one SQLite group: the ones that fail — a
// business error after a write, a unique violation, a cancelled caller — leave nothing behind,
// and the others are committed with their audit events.
func TestGroupCommitKeepsEachOutcome(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	if _, err := s.CreateUnit(ctx, System, "TAKEN", "Sudah ada"); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	defer cancel()
	refused := errors.New("refused after writing")
	errs := queued(t, s, 8, func(i int) error {
		switch i {
		case 2: // fails after its writes
			return s.inTx(ctx, func(tx *Tx) error {
				if _, err := tx.exec(ctx, `INSERT INTO units (code, name, created_at) VALUES ('HALF', 'Setengah', 0)`); err != nil {
					return err
				}
				return refused
			})
		case 4: // a unique violation
			_, err := s.CreateUnit(ctx, System, "TAKEN", "Kembar")
			return err
		case 6: // its caller gives up while it waits
			_, err := s.CreateUnit(cancelled, System, "GONE", "Batal")
			return err
		}
		_, err := s.CreateUnit(ctx, System, fmt.Sprintf("U%d", i), "Satker")
		return err
	}, cancel)
	for i, err := range errs {
		switch i {
		case 2:
			if !errors.Is(err, refused) {
				t.Errorf("use case 2: %v, want %v", err, refused)
			}
		case 4:
			if market.ErrorCode(err) != market.CodeInvalid {
				t.Errorf("use case 4: %v, want the duplicate code refused", err)
			}
		case 6:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("use case 6: %v, want context.Canceled", err)
			}
		default:
			if err != nil {
				t.Errorf("use case %d: %v", i, err)
			}
		}
	}
	got := unitCodes(t, s)
	for _, code := range []string{"TAKEN", "U0", "U1", "U3", "U5", "U7"} {
		if !got[code] {
			t.Errorf("unit %s missing after the group", code)
		}
	}
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM units WHERE code IN ('HALF', 'GONE') OR name = 'Kembar'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("failed use cases left %d units behind (err %v)", n, err)
	}
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM audit_events`).Scan(&n); err != nil || n < 6 {
		t.Errorf("%d audit events (err %v), want one per committed unit", n, err)
	}
}

// TestGroupCommitSurvivesAPanic: a use case that panics fails its group, the panic reaches the
// writer's caller, and the writer is free again for the next use case.
func TestGroupCommitSurvivesAPanic(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	errs := queued(t, s, 3, func(i int) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		if i == 1 {
			return s.inTx(ctx, func(*Tx) error { panic("boom") })
		}
		_, err = s.CreateUnit(ctx, System, fmt.Sprintf("P%d", i), "Satker")
		return err
	}, nil)
	for i, err := range errs {
		if err == nil {
			t.Errorf("use case %d succeeded in a group that panicked", i)
		} else if !strings.Contains(err.Error(), "boom") {
			t.Errorf("use case %d: %v, want the panic reported", i, err)
		}
	}
	if got := unitCodes(t, s); len(got) != 0 {
		t.Errorf("a panicked group committed %v", got)
	}
	writesAgain(t, s, "a panic")
}

// TestWriterOutlivesAGoexit: a use case that ends the goroutine running it (runtime.Goexit, as
// t.FailNow does) fails alone, and the writer carries on with the next use case.
func TestWriterOutlivesAGoexit(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	if err := s.inTx(ctx, func(*Tx) error { runtime.Goexit(); return nil }); err == nil {
		t.Error("a use case that ended its goroutine succeeded")
	}
	writesAgain(t, s, "a Goexit")
}

// writesAgain checks that a write succeeds within 10 seconds after what happened.
func writesAgain(t *testing.T, s *Store, after string) {
	t.Helper()
	done := make(chan error, 1)
	go func() { _, err := s.CreateUnit(context.Background(), System, "AFTER", "Sesudah"); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("write after %s: %v", after, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the writer did not carry on after %s", after)
	}
}

// A write group's statements are prepared once on the writer's connection and reused by the
// next groups, and reading rows in a group starts no goroutine (database/sql starts one for
// every query of a *sql.Tx, to watch its context); a failed commit leaves no transaction open.
func TestWriteGroupsReuseTheirStatements(t *testing.T) {
	s := openSQLite(t)
	ctx := context.Background()
	const query = `SELECT id FROM units ORDER BY id`
	var first *sql.Stmt
	for i := range 3 {
		err := s.inTx(ctx, func(tx *Tx) error {
			before := runtime.NumGoroutine()
			rows, err := tx.query(ctx, query)
			if err != nil {
				return err
			}
			if during := runtime.NumGoroutine(); during > before {
				t.Errorf("group %d: reading rows started %d goroutines", i, during-before)
			}
			if err := rows.Close(); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO units (code, name, created_at) VALUES ($1, $2, 0)`, fmt.Sprint("U", i), "Unit"); err != nil {
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		st := s.writes.held.stmts[query]
		if st == nil || (first != nil && st != first) {
			t.Fatalf("group %d: statement %p, first %p", i, st, first)
		}
		first = st
	}
	// A commit that fails (here a foreign key checked at commit) is rolled back: the group's
	// writes are gone and the next group begins.
	err := s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO units (code, name, created_at) VALUES ('LOST', 'Unit', 0)`); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('x', 999999, 0, 0)`)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "commit") {
		t.Fatalf("commit with a broken foreign key: %v", err)
	}
	if err := s.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO units (code, name, created_at) VALUES ('AFTER', 'Unit', 0)`)
		return err
	}); err != nil {
		t.Fatalf("the group after a failed commit: %v", err)
	}
	var codes string
	if err := s.db.QueryRow(`SELECT group_concat(code, ' ') FROM (SELECT code FROM units ORDER BY id)`).Scan(&codes); err != nil {
		t.Fatal(err)
	}
	if codes != "U0 U1 U2 AFTER" {
		t.Errorf("units %q, want U0 U1 U2 AFTER", codes)
	}
}

// A snapshot reads one state of the database however many writes commit meanwhile, and gives
// its connection back however fn ends.
func TestSnapshotReadsOneState(t *testing.T) {
	s := openSQLite(t)
	ctx := context.Background()
	count := func(q querier) int {
		t.Helper()
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	addUnit := func(code string) {
		t.Helper()
		if err := s.inTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `INSERT INTO units (code, name, created_at) VALUES ($1, 'Unit', 0)`, code)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	err := s.snapshot(ctx, func(q querier) error {
		before := count(q)
		addUnit("DURING")
		if got := count(q); got != before {
			t.Errorf("the snapshot saw %d units, then %d", before, got)
		}
		if got := count(s.db); got != before+1 {
			t.Errorf("outside the snapshot %d units, want %d", got, before+1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() { recover() }()
		s.snapshot(ctx, func(q querier) error { panic("boom") })
	}()
	want := errors.New("failed")
	for i := range 2 * maxSnapshots { // more than the slots: each was given back
		if err := s.snapshot(ctx, func(q querier) error { count(q); return want }); !errors.Is(err, want) {
			t.Fatalf("snapshot %d: %v", i, err)
		}
	}
	addUnit("AFTER")
	if err := s.snapshot(ctx, func(q querier) error {
		if got := count(q); got != 2 {
			t.Errorf("a later snapshot sees %d units, want 2", got)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Closed, a store fails its snapshots and closes again (the test's cleanup) at once.
	s.Close()
	if err := s.snapshot(ctx, func(q querier) error { return nil }); err == nil {
		t.Error("a snapshot of a closed store")
	}
}

package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"bela/internal/store"
	"bela/internal/store/storetest"
	"bela/internal/translog"
)

// testLog is a store with a log key, and helpers to add events and run the log's jobs.
type testLog struct {
	t      *testing.T
	s      *store.Store
	signer note.Signer
	vkey   string
	units  int
	// firstSize is the size of the first checkpoint of a tamper case.
	firstSize int64
}

func newTestLog(t *testing.T, s *store.Store) *testLog {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, "bela.test/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	return &testLog{t: t, s: s, signer: signer, vkey: vkey}
}

// events adds n audit events (one unit each).
func (l *testLog) events(n int) {
	l.t.Helper()
	for range n {
		l.units++
		if _, err := l.s.CreateUnit(ctx, store.System, fmt.Sprintf("T.%04d", l.units), fmt.Sprintf("Unit uji %d", l.units)); err != nil {
			l.t.Fatal(err)
		}
	}
}

// sequence appends every pending event, batch at a time, and returns the log size.
func (l *testLog) sequence(batch int) int64 {
	l.t.Helper()
	for {
		n, err := l.s.SequenceLog(ctx, batch)
		if err != nil {
			l.t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	size, pending, err := l.s.LogSize(ctx)
	if err != nil {
		l.t.Fatal(err)
	}
	if pending != 0 {
		l.t.Fatalf("%d events left unsequenced", pending)
	}
	return size
}

// sign signs a checkpoint and checks it is new.
func (l *testLog) sign() translog.Checkpoint {
	l.t.Helper()
	c, isNew, err := l.s.SignCheckpoint(ctx, l.signer)
	if err != nil {
		l.t.Fatal(err)
	}
	if !isNew {
		l.t.Fatalf("checkpoint of size %d not new", c.Size)
	}
	return c
}

// verify runs the offline verifier over the store, paging 7 entries at a time.
func (l *testLog) verify(state string) (*translog.VerifyResult, error) {
	return translog.Verify(ctx, translog.NewLocal(l.s.Log(), 7), translog.VerifyOptions{Key: l.vkey, StateFile: state})
}

func same(a, b translog.Checkpoint) bool {
	return a.Origin == b.Origin && a.Size == b.Size && a.Hash == b.Hash
}

func (l *testLog) exec(q string, args ...any) {
	l.t.Helper()
	if _, err := l.s.DB().ExecContext(ctx, q, args...); err != nil {
		l.t.Fatalf("%s: %v", q, err)
	}
}

func (l *testLog) seqOf(leaf int64) int64 {
	l.t.Helper()
	var seq int64
	if err := l.s.DB().QueryRowContext(ctx, `SELECT event_seq FROM log_leaves WHERE leaf_index = $1`, leaf).Scan(&seq); err != nil {
		l.t.Fatal(err)
	}
	return seq
}

func TestLogSequencesEventsInOrderAndProves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		l := newTestLog(t, s)
		if _, err := s.Log().Latest(ctx); !errors.Is(err, translog.ErrNotFound) {
			t.Fatalf("latest before signing: %v", err)
		}
		l.events(20)
		size := l.sequence(7)
		// The leaves are the audit events' exact canonical bytes in seq order.
		rows, err := s.ListAudit(ctx, store.AuditFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(rows)) != size {
			t.Fatalf("%d audit events, log size %d", len(rows), size)
		}
		entries, err := s.Log().ReadEntries(ctx, 0, size)
		if err != nil {
			t.Fatal(err)
		}
		var want, got []string
		for i := len(rows) - 1; i >= 0; i-- {
			want = append(want, string(rows[i].Canonical))
		}
		for i, e := range entries {
			if e.Index != int64(i) {
				t.Fatalf("entry %d has index %d", i, e.Index)
			}
			got = append(got, string(e.Leaf))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("leaves differ from the audit trail (-want +got):\n%s", diff)
		}
		seqs := []int64{rows[0].Seq, rows[len(rows)-1].Seq, 1 << 40}
		ix, err := s.LogLeafIndexes(ctx, seqs)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[int64]int64{rows[0].Seq: size - 1, rows[len(rows)-1].Seq: 0}, ix); diff != "" {
			t.Errorf("leaf indexes (-want +got):\n%s", diff)
		}

		c1 := l.sign()
		if c1.Size != size || c1.Origin != "bela.test/log" {
			t.Fatalf("checkpoint %+v, want size %d", c1, size)
		}
		if c, isNew, err := s.SignCheckpoint(ctx, l.signer); err != nil || isNew || c.Size != size {
			t.Fatalf("signing an unchanged log: %+v %v %v", c, isNew, err)
		}
		latest, err := s.Log().Latest(ctx)
		if err != nil || !same(latest.Checkpoint, c1) || !latest.Created.Equal(storetest.Start) {
			t.Fatalf("latest: %+v %v", latest, err)
		}
		// Every entry has an inclusion proof, from stored hashes.
		for i, e := range entries {
			p, err := translog.InclusionProof(ctx, s.Log(), int64(i), size)
			if err != nil {
				t.Fatal(err)
			}
			if err := translog.CheckInclusion(p, c1, int64(i), e.Leaf); err != nil {
				t.Fatal(err)
			}
		}
		state := filepath.Join(t.TempDir(), "state.json")
		res, err := l.verify(state)
		if err != nil || !same(res.Checkpoint, c1) {
			t.Fatalf("verify: %+v %v", res, err)
		}

		// The log grows; the new checkpoint is consistent with the first.
		c.Advance(time.Minute)
		l.events(13)
		l.sequence(1000)
		c2 := l.sign()
		if c2.Size != size+13 {
			t.Fatalf("second checkpoint size %d", c2.Size)
		}
		p, err := translog.ConsistencyProof(ctx, s.Log(), c1.Size, c2.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := translog.CheckConsistency(p, c1, c2); err != nil {
			t.Fatal(err)
		}
		res, err = l.verify(state)
		if err != nil || !same(res.Previous, c1) || !same(res.Checkpoint, c2) {
			t.Fatalf("second verify: %+v %v", res, err)
		}
		notes, err := s.Log().ReadCheckpoints(ctx, 0, 10)
		if err != nil || len(notes) != 2 {
			t.Fatalf("checkpoints kept: %d %v", len(notes), err)
		}
	})
}

// TestLogCatchesUpAfterACrash: events committed while no sequencer ran (a crash between the
// use case's commit and sequencing, or a sequencer transaction that died half-way) are
// appended by the next run, so the log and the audit table agree.
func TestLogCatchesUpAfterACrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		l := newTestLog(t, s)
		l.events(5)
		l.sequence(100)
		l.events(5)
		// A sequencer run that dies before committing leaves nothing behind.
		dead, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.SequenceLog(dead, 100); err == nil {
			t.Fatal("sequencing with a cancelled context succeeded")
		}
		size, pending, err := s.LogSize(ctx)
		if err != nil || pending != 5 {
			t.Fatalf("after the failed run: size %d, pending %d, %v", size, pending, err)
		}
		l.sequence(3)
		l.sign()
		if _, err := l.verify(""); err != nil {
			t.Fatal(err)
		}
	})
}

// TestLogSequencesLateCommits: on PostgreSQL a transaction can take audit seq N and commit after
// a transaction with seq N+1; the later-committed event still gets a leaf, after the other.
func TestLogSequencesLateCommits(t *testing.T) {
	s := storetest.OpenPostgres(t, storetest.NewClock(storetest.Start))
	l := newTestLog(t, s)
	l.sequence(100)
	insert := func(q interface {
		ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	}, id string) {
		t.Helper()
		_, err := q.ExecContext(ctx, `INSERT INTO audit_events (event_id, at, actor_user_id, actor_role, action, object_type, object_id, canonical, salt)
			VALUES ($1, 1, 0, 'system', 'test.late', 'test', 1, $2, $3)`, id, []byte(`{"v":1,"id":"`+id+`"}`), []byte("salt"))
		if err != nil {
			t.Fatal(err)
		}
	}
	slow, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback()
	insert(slow, "slow")
	insert(s.DB(), "fast")
	before := l.sequence(100) // "fast" only; "slow" is not committed
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	after := l.sequence(100)
	if after != before+1 {
		t.Fatalf("late commit not sequenced: %d then %d", before, after)
	}
	entries, err := s.Log().ReadEntries(ctx, before-1, after)
	if err != nil || len(entries) != 2 || !strings.Contains(string(entries[0].Leaf), "fast") || !strings.Contains(string(entries[1].Leaf), "slow") {
		t.Fatalf("entries: %+v %v", entries, err)
	}
	l.sign()
	if _, err := l.verify(""); err != nil {
		t.Fatal(err)
	}
}

// TestLogTamperingIsCaught changes the database under the log in every way an operator could,
// and checks the verifier names what happened.
func TestLogTamperingIsCaught(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(l *testLog, size int64)
		want   error
		msg    string
	}{
		{"audit row changed", func(l *testLog, size int64) {
			l.exec(`UPDATE audit_events SET canonical = $1 WHERE seq = $2`, []byte(`{"v":1,"action":"unit.create","forged":true}`), l.seqOf(5))
		}, translog.ErrAlteredEntry, "entry 5 was altered"},
		{"audit row deleted", func(l *testLog, size int64) {
			l.exec(`DELETE FROM audit_events WHERE seq = $1`, l.seqOf(4))
		}, translog.ErrMissingEntry, "entry 4 is missing"},
		{"leaf row deleted", func(l *testLog, size int64) {
			l.exec(`DELETE FROM log_leaves WHERE leaf_index = 9`)
		}, translog.ErrMissingEntry, "entry 9 is missing"},
		{"two leaves reordered", func(l *testLog, size int64) {
			a, b := l.seqOf(3), l.seqOf(8)
			l.exec(`UPDATE log_leaves SET event_seq = -1 WHERE leaf_index = 3`)
			l.exec(`UPDATE log_leaves SET event_seq = $1 WHERE leaf_index = 8`, a)
			l.exec(`UPDATE log_leaves SET event_seq = $1 WHERE leaf_index = 3`, b)
		}, translog.ErrReorderedEntries, "what the log recorded at index"},
		{"newest leaves truncated", func(l *testLog, size int64) {
			l.exec(`DELETE FROM log_leaves WHERE leaf_index >= $1`, size-3)
		}, translog.ErrTruncated, "the newest entries"},
		{"newest events, leaves and checkpoints removed", func(l *testLog, size int64) {
			cut := size - 4
			l.exec(`DELETE FROM audit_events WHERE seq >= $1`, l.seqOf(cut))
			l.exec(`DELETE FROM log_leaves WHERE leaf_index >= $1`, cut)
			l.exec(`DELETE FROM log_hashes WHERE idx >= $1`, tlog.StoredHashIndex(0, cut))
			l.exec(`DELETE FROM log_checkpoints WHERE size > $1`, cut)
			if _, isNew, err := l.s.SignCheckpoint(ctx, l.signer); err != nil || !isNew {
				l.t.Fatalf("re-sign: %v %v", isNew, err)
			}
		}, translog.ErrTruncated, "log shrank"},
		{"history rewritten and re-signed at the same size", func(l *testLog, size int64) {
			l.exec(`UPDATE audit_events SET canonical = $1 WHERE seq = $2`, []byte(`{"v":1,"action":"unit.create","rewritten":true}`), l.seqOf(2))
			l.exec(`DELETE FROM log_checkpoints`)
			l.exec(`DELETE FROM log_hashes`)
			l.exec(`DELETE FROM log_leaves`)
			if got := l.sequence(1000); got != size {
				l.t.Fatalf("re-sequenced %d, want %d", got, size)
			}
			l.sign()
		}, translog.ErrFork, "two different trees"},
		{"older copy restored and appended to (fork)", func(l *testLog, size int64) {
			// The copy was taken at the first checkpoint; the verifier has seen a later one.
			old := l.firstSize
			l.exec(`DELETE FROM audit_events WHERE seq >= $1`, l.seqOf(old))
			l.exec(`DELETE FROM log_leaves WHERE leaf_index >= $1`, old)
			l.exec(`DELETE FROM log_hashes WHERE idx >= $1`, tlog.StoredHashIndex(0, old))
			l.exec(`DELETE FROM log_checkpoints WHERE size > $1`, old)
			l.events(int(size-old) + 6)
			l.sequence(1000)
			l.sign()
		}, translog.ErrFork, "does not extend"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
				l := newTestLog(t, s)
				state := filepath.Join(t.TempDir(), "state.json")
				l.events(12)
				l.firstSize = l.sequence(5)
				l.sign()
				if _, err := l.verify(state); err != nil {
					t.Fatal(err)
				}
				l.events(6)
				size := l.sequence(1000)
				l.sign()
				if _, err := l.verify(state); err != nil {
					t.Fatal(err)
				}
				tc.tamper(l, size)
				_, err := l.verify(state)
				if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
					t.Fatalf("got %v\nwant %v with %q", err, tc.want, tc.msg)
				}
			})
		})
	}
}

// TestLogWitnessRefusesAFork runs the log server over the store and a witness against it: the
// witness cosigns a growing log, the server keeps the cosignature, and after the database is
// rolled back to an older copy and appended to, the witness refuses.
func TestLogWitnessRefusesAFork(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		l := newTestLog(t, s)
		wskey, wvkey, err := translog.GenerateWitnessKey(rand.Reader, "apip.test")
		if err != nil {
			t.Fatal(err)
		}
		cosigner, err := translog.NewCosigner(wskey, c.Now)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := translog.NewServer(s.Log(), translog.ServerConfig{LogKey: l.vkey, Witnesses: []string{wvkey}})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		defer hs.Close()
		client, err := translog.NewClient(hs.URL, hs.Client())
		if err != nil {
			t.Fatal(err)
		}
		wstate := filepath.Join(t.TempDir(), "witness.json")
		witness := func() (*translog.WitnessResult, error) {
			return translog.Witness(ctx, client, translog.WitnessOptions{Cosigner: cosigner, LogKey: l.vkey, StateFile: wstate})
		}
		l.events(10)
		old := l.sequence(100)
		l.sign()
		if _, err := witness(); err != nil {
			t.Fatal(err)
		}
		l.events(3)
		size := l.sequence(100)
		l.sign()
		res, err := witness()
		if err != nil || res.Previous.Size != old || res.Checkpoint.Size != size {
			t.Fatalf("second cosignature: %+v %v", res, err)
		}
		latest, err := s.Log().Latest(ctx)
		if err != nil || len(latest.Cosignatures) != 1 || latest.Cosignatures[0].Witness != "apip.test" || !latest.Cosignatures[0].Time.Equal(storetest.Start) {
			t.Fatalf("cosignatures held: %+v %v", latest.Cosignatures, err)
		}
		// A verifier requiring the witness accepts the cosigned checkpoint over HTTP.
		if _, err := translog.Verify(ctx, client, translog.VerifyOptions{Key: l.vkey, Witnesses: []string{wvkey}}); err != nil {
			t.Fatal(err)
		}

		l.exec(`DELETE FROM audit_events WHERE seq >= $1`, l.seqOf(old))
		l.exec(`DELETE FROM log_leaves WHERE leaf_index >= $1`, old)
		l.exec(`DELETE FROM log_hashes WHERE idx >= $1`, tlog.StoredHashIndex(0, old))
		l.exec(`DELETE FROM log_checkpoints WHERE size > $1`, old)
		l.events(7)
		l.sequence(100)
		l.sign()
		if _, err := witness(); !errors.Is(err, translog.ErrFork) || !strings.Contains(err.Error(), "witness refuses to cosign") {
			t.Fatalf("witness on a fork: %v", err)
		}
		// A verifier that saw the other branch refuses too, and one requiring the witness
		// finds no cosignature on the forked checkpoint.
		if _, err := translog.Verify(ctx, client, translog.VerifyOptions{Key: l.vkey, Witnesses: []string{wvkey}}); !errors.Is(err, translog.ErrMissingCosignature) {
			t.Fatalf("verify without cosignature: %v", err)
		}
	})
}

// TestLogSequencerToleratesARival: two sequencers racing append each event once.
func TestLogSequencerToleratesARival(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		l := newTestLog(t, s)
		l.events(40)
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				for {
					n, err := s.SequenceLog(ctx, 3)
					if err != nil || n == 0 {
						errs <- err
						return
					}
				}
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		l.sequence(100)
		l.sign()
		if _, err := l.verify(""); err != nil {
			t.Fatal(err)
		}
	})
}

func TestLogKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		k, err := s.GetLogKeys(ctx)
		if err != nil || k.Log != "" || len(k.Witnesses) != 0 {
			t.Fatalf("before: %+v %v", k, err)
		}
		want := store.LogKeys{Log: "log+1+a", Witnesses: []string{"w1+2+b", "w2+3+c"}}
		for range 2 {
			if err := s.SetLogKeys(ctx, want); err != nil {
				t.Fatal(err)
			}
		}
		if k, err = s.GetLogKeys(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, k); diff != "" {
			t.Errorf("keys (-want +got):\n%s", diff)
		}
		if err := s.SetLogKeys(ctx, store.LogKeys{Log: "log+1+a"}); err != nil {
			t.Fatal(err)
		}
		if k, _ = s.GetLogKeys(ctx); len(k.Witnesses) != 0 {
			t.Errorf("witnesses not replaced: %+v", k)
		}
	})
}

// BenchmarkCheckoutWithTransparencyLog runs the same parallel checkouts with the log off and
// on, side by side (compare their ns/op; the target is at least 0.9× the throughput with the log
// on). "on" sequences every second and signs every ten seconds as serve does; "stress" does both
// every 100 ms.
func BenchmarkCheckoutWithTransparencyLog(b *testing.B) {
	for _, mode := range []struct {
		name           string
		sequence, sign time.Duration
	}{{"off", 0, 0}, {"on", time.Second, 10 * time.Second}, {"stress", 100 * time.Millisecond, 100 * time.Millisecond}} {
		b.Run("log="+mode.name, func(b *testing.B) {
			c := storetest.NewClock(storetest.Start)
			s := storetest.OpenSQLite(b, c)
			sh := newShop(b, s, c)
			sh.exec(`UPDATE products SET stock = 1000000000`)
			sh.exec(`UPDATE budget_lines SET ceiling = 1000000000000`)
			skey, _, err := note.GenerateKey(rand.Reader, "bela.test/log")
			noErr(b, err)
			signer, err := note.NewSigner(skey)
			noErr(b, err)
			stop, stopped := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(stopped)
				if mode.sequence == 0 {
					return
				}
				lastSign := time.Now()
				for {
					select {
					case <-stop:
						return
					case <-time.After(mode.sequence):
					}
					if _, err := s.SequenceLog(bg, 5000); err != nil {
						b.Error(err)
						return
					}
					if time.Since(lastSign) >= mode.sign {
						lastSign = time.Now()
						if _, _, err := s.SignCheckpoint(bg, signer); err != nil {
							b.Error(err)
							return
						}
					}
				}
			}()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.Checkout(bg, sh.buyer, sh.input(store.CartItem{ProductID: sh.pens, Quantity: 1})); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.StopTimer()
			close(stop)
			<-stopped
			if mode.sequence > 0 {
				for {
					n, err := s.SequenceLog(bg, 5000)
					noErr(b, err)
					if n == 0 {
						break
					}
				}
				if _, pending, err := s.LogSize(bg); err != nil || pending != 0 {
					b.Fatalf("%d events not in the log (%v)", pending, err)
				}
			}
		})
	}
}

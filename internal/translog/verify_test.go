package translog

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// tamperStore serves a Store with entries changed behind the tree's back,
// as someone editing the database directly would.
type tamperStore struct {
	Store
	alter map[int64][]byte // new bytes for an index
	drop  map[int64]bool   // deleted rows
	swap  [2]int64         // exchanged rows (when different)
	limit int64            // rows at and after limit are gone (when > 0)
}

func (s *tamperStore) ReadEntries(ctx context.Context, start, end int64) ([]Entry, error) {
	es, err := s.Store.ReadEntries(ctx, start, end)
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, e := range es {
		switch {
		case s.drop[e.Index], s.limit > 0 && e.Index >= s.limit:
			continue
		case s.alter[e.Index] != nil:
			e.Leaf = s.alter[e.Index]
		case s.swap[0] != s.swap[1] && (e.Index == s.swap[0] || e.Index == s.swap[1]):
			other := s.swap[0] + s.swap[1] - e.Index
			o, err := s.Store.ReadEntries(ctx, other, other+1)
			if err != nil {
				return nil, err
			}
			e.Leaf = o[0].Leaf
		}
		out = append(out, e)
	}
	return out, nil
}

func tamper(ts *tamperStore) func(Store) Store {
	return func(s Store) Store {
		ts.Store = s
		return ts
	}
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 50, nil)
	stateFile := filepath.Join(t.TempDir(), "state.json")

	// First use: the key is pinned.
	res, err := Verify(ctx, l.client, VerifyOptions{Key: l.vkey, StateFile: stateFile})
	if err != nil {
		t.Fatal(err)
	}
	if res.Checkpoint.Size != 50 || res.FirstUse || res.Previous.Size != 0 {
		t.Errorf("result = %+v", res)
	}
	// The log grows; the state's key and checkpoint are used.
	l.append(t, 50, 75)
	var progressed int64
	res, err = Verify(ctx, l.client, VerifyOptions{StateFile: stateFile, Progress: func(done, total int64) { progressed = done }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Checkpoint.Size != 75 || res.Previous.Size != 50 || progressed != 75 {
		t.Errorf("result = %+v, progress %d", res, progressed)
	}
	// The state file records the key and the latest checkpoint.
	var st state
	data, _ := os.ReadFile(stateFile)
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	if st.Key != l.vkey || !strings.Contains(st.Checkpoint, "\n75\n") {
		t.Errorf("state = %+v", st)
	}
	// Offline, over the store itself.
	if _, err := Verify(ctx, NewLocal(l.store, 0), VerifyOptions{Key: l.vkey}); err != nil {
		t.Errorf("offline: %v", err)
	}
	if _, err := Verify(ctx, NewLocal(l.store, 0), VerifyOptions{}); err == nil {
		t.Errorf("offline without a key succeeded")
	}
}

func TestVerifyTrustOnFirstUse(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 10, nil)
	stateFile := filepath.Join(t.TempDir(), "state.json")
	res, err := Verify(ctx, l.client, VerifyOptions{StateFile: stateFile})
	if err != nil {
		t.Fatal(err)
	}
	if !res.FirstUse || res.Key != l.vkey {
		t.Errorf("result = %+v", res)
	}
	// Another log (another key, same name) at the same URL is refused.
	impostor := newTestLog(t, 12, nil)
	if _, err := Verify(ctx, impostor.client, VerifyOptions{StateFile: stateFile}); !errors.Is(err, ErrBadSignature) {
		t.Errorf("impostor: err = %v, want ErrBadSignature", err)
	}
	if _, err := Verify(ctx, impostor.client, VerifyOptions{StateFile: stateFile, Key: impostor.vkey}); !errors.Is(err, ErrWrongLog) {
		t.Errorf("pinned key differs from state: err = %v, want ErrWrongLog", err)
	}
}

func TestVerifyTamper(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		store *tamperStore
		want  error
		msg   string
	}{
		{"altered entry", &tamperStore{alter: map[int64][]byte{3: []byte("event 3 (edited)")}}, ErrAlteredEntry, "entry 3 was altered"},
		{"altered first entry", &tamperStore{alter: map[int64][]byte{0: []byte("x")}}, ErrAlteredEntry, "entry 0 was altered"},
		{"deleted entry", &tamperStore{drop: map[int64]bool{5: true}}, ErrMissingEntry, "entry 5 is missing"},
		{"deleted entries across pages", &tamperStore{drop: map[int64]bool{6: true, 7: true, 8: true, 9: true, 10: true, 11: true, 12: true, 13: true, 14: true}}, ErrMissingEntry, "entries 6 to 14 are missing"},
		{"deleted page end", &tamperStore{drop: map[int64]bool{13: true}}, ErrMissingEntry, "entry 13 is missing"},
		{"reordered entries", &tamperStore{swap: [2]int64{2, 9}}, ErrReorderedEntries, "entry 2 holds what the log recorded at index 9"},
		{"truncated newest", &tamperStore{limit: 25}, ErrTruncated, "entries 25 to 29 are gone"},
		{"truncated last", &tamperStore{limit: 29}, ErrTruncated, "entry 29 is gone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newTestLog(t, 30, tamper(tc.store))
			_, err := Verify(ctx, l.client, VerifyOptions{Key: l.vkey})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want %v with %q", err, tc.want, tc.msg)
			}
		})
	}
}

// rewrite returns a log with the same key whose entries are those of
// leaf except the given overrides, with all hashes recomputed and signed:
// an operator rewriting history.
func rewrite(t *testing.T, l *testLog, n int64, override map[int64][]byte) *testLog {
	t.Helper()
	ctx := context.Background()
	r := newTestLogWithKey(t, 0, l.signer, l.v, l.vkey, nil)
	for i := range n {
		b := leaf(i)
		if o, ok := override[i]; ok {
			b = o
		}
		if _, err := r.store.Append(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.store.Sign(ctx, l.signer); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestVerifyForkAndShrink(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 20, nil)
	stateFile := filepath.Join(t.TempDir(), "state.json")
	if _, err := Verify(ctx, l.client, VerifyOptions{Key: l.vkey, StateFile: stateFile}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		log  *testLog
		want error
		msg  string
	}{
		{"fork, larger", rewrite(t, l, 25, map[int64][]byte{7: []byte("rewritten")}), ErrFork, "does not extend tree of size 20"},
		{"fork, same size", rewrite(t, l, 20, map[int64][]byte{19: []byte("rewritten")}), ErrFork, "two different trees of size 20"},
		{"older copy", rewrite(t, l, 15, nil), ErrTruncated, "log shrank from size 20 to 15"},
		{"rehashed everything, no state", rewrite(t, l, 20, map[int64][]byte{3: []byte("rewritten")}), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := stateFile
			if tc.want == nil {
				st = ""
			}
			_, err := Verify(ctx, tc.log.client, VerifyOptions{Key: l.vkey, StateFile: st})
			if tc.want == nil {
				if err != nil {
					t.Errorf("err = %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want %v with %q", err, tc.want, tc.msg)
			}
		})
	}
	// The state still holds the honest checkpoint: the honest log verifies.
	l.append(t, 20, 22)
	if _, err := Verify(ctx, l.client, VerifyOptions{StateFile: stateFile}); err != nil {
		t.Errorf("honest log after refusals: %v", err)
	}
}

func TestVerifyHistoryRewrittenBehindProof(t *testing.T) {
	ctx := context.Background()
	honest := newTestLog(t, 20, nil)
	honest.append(t, 20, 30)
	stateFile := filepath.Join(t.TempDir(), "state.json")
	// The verifier saw the honest checkpoint of size 20 ...
	first := rewrite(t, honest, 20, nil)
	if _, err := Verify(ctx, first.client, VerifyOptions{Key: honest.vkey, StateFile: stateFile}); err != nil {
		t.Fatal(err)
	}
	// ... now the server serves the honest checkpoint 30 and proof but an
	// altered entry 4 whose stored leaf hash was altered too.
	ts := &tamperStore{alter: map[int64][]byte{4: []byte("edited")}}
	srcStore := &hashTamper{Store: honest.store, leaf: 4, data: []byte("edited")}
	ts.Store = srcStore
	_, err := Verify(ctx, NewLocal(ts, 0), VerifyOptions{Key: honest.vkey, StateFile: stateFile})
	if !errors.Is(err, ErrFork) || !strings.Contains(err.Error(), "history was rewritten") {
		t.Errorf("err = %v, want ErrFork (history rewritten)", err)
	}
	// Without the state, the root check catches it.
	_, err = Verify(ctx, NewLocal(ts, 0), VerifyOptions{Key: honest.vkey})
	if !errors.Is(err, ErrAlteredEntry) || !strings.Contains(err.Error(), "not the signed root") {
		t.Errorf("err = %v, want ErrAlteredEntry (root)", err)
	}
}

// hashTamper serves a changed leaf hash for one leaf, as if the hash row
// had been edited too.
type hashTamper struct {
	Store
	leaf int64
	data []byte
}

func (h *hashTamper) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	hs, err := h.Store.ReadHashes(ctx, indexes)
	if err != nil {
		return nil, err
	}
	for i, ix := range indexes {
		if ix == tlog.StoredHashIndex(0, h.leaf) {
			hs[i] = LeafHash(h.data)
		}
	}
	return hs, nil
}

func TestVerifyCosignatures(t *testing.T) {
	ctx := context.Background()
	w1, _, w1key := testWitness(t, "witness.test/w1")
	_, _, w2key := testWitness(t, "witness.test/w2")
	l := newTestLog(t, 10, nil, w1key, w2key)
	if _, err := Verify(ctx, l.client, VerifyOptions{Key: l.vkey, Witnesses: []string{w1key}}); !errors.Is(err, ErrMissingCosignature) {
		t.Fatalf("before cosigning: err = %v, want ErrMissingCosignature", err)
	}
	wstate := filepath.Join(t.TempDir(), "w1.json")
	if _, err := Witness(ctx, l.client, WitnessOptions{Cosigner: w1, LogKey: l.vkey, StateFile: wstate}); err != nil {
		t.Fatal(err)
	}
	res, err := Verify(ctx, l.client, VerifyOptions{Key: l.vkey, Witnesses: []string{w1key}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cosignatures) != 1 || res.Cosignatures[0].Witness != "witness.test/w1" {
		t.Errorf("cosignatures = %+v", res.Cosignatures)
	}
	_, err = Verify(ctx, l.client, VerifyOptions{Key: l.vkey, Witnesses: []string{w1key, w2key}})
	if !errors.Is(err, ErrMissingCosignature) || !strings.Contains(err.Error(), "witness.test/w2") {
		t.Errorf("w2 missing: err = %v", err)
	}
	// A cosignature line that does not verify is a bad signature.
	msg, _ := l.client.LatestCheckpoint(ctx)
	bad := strings.Replace(string(msg), "— witness.test/w1 ", "— witness.test/w1 AAAA", 1)
	badSrc := &fixedCheckpoint{Source: l.client, msg: []byte(bad)}
	if _, err := Verify(ctx, badSrc, VerifyOptions{Key: l.vkey, Witnesses: []string{w1key}}); err == nil {
		t.Errorf("corrupted cosignature accepted")
	}
}

// fixedCheckpoint serves a given checkpoint note.
type fixedCheckpoint struct {
	Source
	msg []byte
}

func (f *fixedCheckpoint) LatestCheckpoint(context.Context) ([]byte, error) { return f.msg, nil }

func TestVerifyBadSignature(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 10, nil)
	msg, _ := l.client.LatestCheckpoint(ctx)
	for _, tc := range []struct {
		name string
		msg  string
		want error
	}{
		{"text changed", strings.Replace(string(msg), "\n10\n", "\n11\n", 1), ErrBadSignature},
		{"signature changed", strings.Replace(string(msg), testOrigin+" ", testOrigin+" AAAA", 1), ErrBadSignature},
		{"signature removed", string(msg[:strings.Index(string(msg), "\n\n")+2]) + "— other.test AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", ErrBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Verify(ctx, &fixedCheckpoint{Source: l.client, msg: []byte(tc.msg)}, VerifyOptions{Key: l.vkey})
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestWitness(t *testing.T) {
	ctx := context.Background()
	w1, w1v, w1key := testWitness(t, "witness.test/w1")
	l := newTestLog(t, 10, nil, w1key)
	stateFile := filepath.Join(t.TempDir(), "w1.json")

	// First use: trust the log's announced key.
	res, err := Witness(ctx, l.client, WitnessOptions{Cosigner: w1, StateFile: stateFile})
	if err != nil {
		t.Fatal(err)
	}
	if !res.FirstUse || res.Checkpoint.Size != 10 {
		t.Errorf("result = %+v", res)
	}
	if _, err := OpenCheckpoint(res.Cosigned, l.v, w1v); err != nil {
		t.Errorf("posted note: %v", err)
	}
	// The log grows consistently: cosigned again.
	l.append(t, 10, 17)
	res, err = Witness(ctx, l.client, WitnessOptions{Cosigner: w1, StateFile: stateFile})
	if err != nil {
		t.Fatal(err)
	}
	if res.Checkpoint.Size != 17 || res.Previous.Size != 10 {
		t.Errorf("result = %+v", res)
	}
	// A fork (the other branch of the log, same key) is refused, and
	// nothing is posted.
	fork := rewrite(t, l, 20, map[int64][]byte{12: []byte("rewritten")})
	_, err = Witness(ctx, fork.client, WitnessOptions{Cosigner: w1, StateFile: stateFile, LogKey: l.vkey})
	if !errors.Is(err, ErrFork) || !strings.Contains(err.Error(), "witness refuses to cosign") {
		t.Errorf("fork: err = %v, want ErrFork", err)
	}
	if cs, _ := fork.store.ReadCosignatures(ctx, 20); len(cs) != 0 {
		t.Errorf("fork got cosignatures: %+v", cs)
	}
	// An older copy is refused too.
	_, err = Witness(ctx, rewrite(t, l, 12, nil).client, WitnessOptions{Cosigner: w1, StateFile: stateFile})
	if !errors.Is(err, ErrTruncated) {
		t.Errorf("shrunk log: err = %v, want ErrTruncated", err)
	}
	// The honest log still gets cosigned.
	if _, err := Witness(ctx, l.client, WitnessOptions{Cosigner: w1, StateFile: stateFile}); err != nil {
		t.Errorf("honest log after a refused fork: %v", err)
	}
	// An unregistered witness is refused by the server.
	w3, _, _ := testWitness(t, "witness.test/w3")
	_, err = Witness(ctx, l.client, WitnessOptions{Cosigner: w3, StateFile: filepath.Join(t.TempDir(), "w3.json")})
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("unregistered witness: err = %v, want a 403", err)
	}
}

package translog

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/note"
)

// testLog is a log in memory served over HTTP.
type testLog struct {
	store   *MemoryStore
	signer  note.Signer
	v       note.Verifier
	vkey    string
	srv     *httptest.Server
	client  *Client
	witness []string
}

// newTestLog returns a served log of n entries with a signed checkpoint,
// accepting cosignatures from the witness vkeys given. serve wraps the
// store (for tampering); nil serves it as is.
func newTestLog(t testing.TB, n int64, serve func(Store) Store, witnesses ...string) *testLog {
	t.Helper()
	signer, v, vkey := testKey(t, testOrigin)
	return newTestLogWithKey(t, n, signer, v, vkey, serve, witnesses...)
}

func newTestLogWithKey(t testing.TB, n int64, signer note.Signer, v note.Verifier, vkey string, serve func(Store) Store, witnesses ...string) *testLog {
	t.Helper()
	l := &testLog{store: NewMemoryStore(), signer: signer, v: v, vkey: vkey, witness: witnesses}
	l.append(t, 0, n)
	var s Store = l.store
	if serve != nil {
		s = serve(l.store)
	}
	srv, err := NewServer(s, ServerConfig{LogKey: vkey, Witnesses: witnesses, MaxEntries: 7})
	if err != nil {
		t.Fatal(err)
	}
	l.srv = httptest.NewServer(srv)
	t.Cleanup(l.srv.Close)
	l.client, err = NewClient(l.srv.URL, l.srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// append appends entries [from, to) built by leaf and signs a checkpoint.
func (l *testLog) append(t testing.TB, from, to int64) {
	t.Helper()
	ctx := context.Background()
	for i := from; i < to; i++ {
		if _, err := l.store.Append(ctx, leaf(i)); err != nil {
			t.Fatal(err)
		}
	}
	if to > 0 {
		if _, err := l.store.Sign(ctx, l.signer); err != nil {
			t.Fatal(err)
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServerBadRequests(t *testing.T) {
	l := newTestLog(t, 10, nil)
	for _, tc := range []struct {
		path   string
		status int
		msg    string
	}{
		{"/log/entries?start=0", 400, "missing parameter end"},
		{"/log/entries?start=x&end=3", 400, "not a non-negative integer"},
		{"/log/entries?start=-1&end=3", 400, "not a non-negative integer"},
		{"/log/entries?start=5&end=5", 400, "start < end"},
		{"/log/entries?start=10&end=12", 400, "beyond the tree size 10"},
		{"/log/proof/inclusion?index=10&size=10", 400, "index < size"},
		{"/log/proof/inclusion?index=1&size=11", 400, "size <= 10"},
		{"/log/proof/inclusion?index=1", 400, "missing parameter size"},
		{"/log/proof/consistency?from=0&to=5", 400, "1 <= from"},
		{"/log/proof/consistency?from=6&to=5", 400, "from <= to"},
		{"/log/proof/consistency?from=1&to=11", 400, "to <= 10"},
		{"/log/checkpoints?since=abc", 400, "not a non-negative integer"},
		{"/log/nothing", 404, ""},
	} {
		t.Run(tc.path, func(t *testing.T) {
			status, body := get(t, l.srv.URL+tc.path)
			if status != tc.status || !strings.Contains(body, tc.msg) {
				t.Errorf("GET %s = %d %q, want %d containing %q", tc.path, status, body, tc.status, tc.msg)
			}
		})
	}
	empty := newTestLog(t, 0, nil)
	if status, _ := get(t, empty.srv.URL+"/log/checkpoint"); status != 404 {
		t.Errorf("checkpoint of empty log: status %d, want 404", status)
	}
	if _, err := empty.client.LatestCheckpoint(context.Background()); !errors.Is(err, ErrNotFound) {
		t.Errorf("client on empty log: err = %v, want ErrNotFound", err)
	}
}

func TestServerProtocol(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 20, nil)
	l.append(t, 20, 30)

	key, err := l.client.Key(ctx)
	if err != nil || key != l.vkey {
		t.Fatalf("Key = %q, %v; want %q", key, err, l.vkey)
	}
	msg, err := l.client.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := OpenCheckpoint(msg, l.v)
	if err != nil {
		t.Fatal(err)
	}
	if c.Size != 30 {
		t.Fatalf("latest size %d, want 30", c.Size)
	}
	// Paging: the server caps at 7 entries per request.
	es, covered, err := l.client.Entries(ctx, 3, 30)
	if err != nil {
		t.Fatal(err)
	}
	if covered != 10 || len(es) != 7 || es[0].Index != 3 {
		t.Fatalf("Entries(3, 30) = %d entries up to %d", len(es), covered)
	}
	for _, e := range es {
		if string(e.Leaf) != string(leaf(e.Index)) || e.Hash != LeafHash(e.Leaf) {
			t.Errorf("entry %d = %q %v", e.Index, e.Leaf, e.Hash)
		}
	}
	for i := range int64(30) {
		p, err := l.client.InclusionProof(ctx, i, 30)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckInclusion(p, c.Checkpoint, i, leaf(i)); err != nil {
			t.Error(err)
		}
	}
	cps, err := l.client.Checkpoints(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(cps) != 2 {
		t.Fatalf("%d checkpoints, want 2", len(cps))
	}
	old, err := OpenCheckpoint(cps[0], l.v)
	if err != nil {
		t.Fatal(err)
	}
	p, err := l.client.ConsistencyProof(ctx, old.Size, c.Size)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckConsistency(p, old.Checkpoint, c.Checkpoint); err != nil {
		t.Error(err)
	}
	if cps, _ := l.client.Checkpoints(ctx, 20); len(cps) != 1 {
		t.Errorf("checkpoints since 20: %d, want 1", len(cps))
	}
}

func TestServerCosignatures(t *testing.T) {
	ctx := context.Background()
	w1, w1v, w1key := testWitness(t, "witness.test/w1")
	w2, _, _ := testWitness(t, "witness.test/w2") // not registered
	l := newTestLog(t, 5, nil, w1key)
	msg, _ := l.client.LatestCheckpoint(ctx)
	sc, err := OpenCheckpoint(msg, l.v)
	if err != nil {
		t.Fatal(err)
	}
	cosign := func(w *Cosigner) []byte {
		b, err := note.Sign(&note.Note{Text: sc.Note.Text, Sigs: sc.Note.Sigs}, w)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	otherText := strings.Replace(sc.Note.Text, "\n5\n", "\n4\n", 1)
	otherCosigned, _ := note.Sign(&note.Note{Text: otherText, Sigs: []note.Signature{}}, l.signer, w1)
	forgedLog, _, _ := testKey(t, testOrigin)
	notOurs, _ := note.Sign(&note.Note{Text: sc.Note.Text}, forgedLog, w1)
	for _, tc := range []struct {
		name   string
		body   []byte
		status int
	}{
		{"unregistered witness", cosign(w2), 403},
		{"no cosignature", msg, 403},
		{"not signed by the log", notOurs, 403},
		{"checkpoint the log never signed", otherCosigned, 404},
		{"garbage", []byte("hello"), 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Post(l.srv.URL+"/log/cosignatures", "text/plain", strings.NewReader(string(tc.body)))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status %d (%s), want %d", resp.StatusCode, b, tc.status)
			}
		})
	}
	// A different checkpoint of the same size as one the log signed.
	l2 := newTestLogWithKey(t, 5, l.signer, l.v, l.vkey, nil)
	l2.store.Append(ctx, []byte("fork"))
	fork, _, _ := SignCheckpoint(ctx, l2.store, 6, l.signer)
	l.append(t, 5, 6)
	forkSC, _ := OpenCheckpoint(fork, l.v)
	forkCosigned, _ := note.Sign(forkSC.Note, w1)
	resp, err := http.Post(l.srv.URL+"/log/cosignatures", "text/plain", strings.NewReader(string(forkCosigned)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("forked checkpoint: status %d, want 409", resp.StatusCode)
	}

	// Accepted, then served with the checkpoint of size 5.
	resp, err = http.Post(l.srv.URL+"/log/cosignatures", "text/plain", strings.NewReader(string(cosign(w1))))
	if err != nil {
		t.Fatal(err)
	}
	var got CosignaturesResponse
	json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if diff := cmp.Diff(CosignaturesResponse{Size: 5, Witnesses: []string{"witness.test/w1"}}, got); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	cps, err := l.client.Checkpoints(ctx, 4)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenCheckpoint(cps[0], l.v, w1v); err != nil {
		t.Errorf("checkpoint 5 with its cosignature: %v", err)
	}
}

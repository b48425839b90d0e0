package translog

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func FuzzParseCheckpoint(f *testing.F) {
	f.Add([]byte("bela.test/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"))
	f.Add([]byte("o\n0\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next 1\next 2\n"))
	f.Add([]byte("o\n01\nAAAA\n\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		c, err := ParseCheckpoint(text)
		if err != nil {
			return
		}
		out, err := c.Marshal()
		if err != nil {
			t.Fatalf("parsed %q but cannot marshal: %v", text, err)
		}
		if !bytes.Equal(out, text) {
			t.Fatalf("round trip: %q -> %q", text, out)
		}
	})
}

// fuzzKeys are fixed keys for the note fuzzers.
func fuzzKeys(t testing.TB) (note.Signer, note.Verifier, *Cosigner, note.Verifier) {
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(testOrigin, pub)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	skey := "PRIVATE+KEY+" + vkey[:len(testOrigin)+10] + b64(append([]byte{1}, seed...))
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	wskey, wvkey := witnessKeyFromSeed("witness.test/w1", seed)
	w, err := NewCosigner(wskey, func() time.Time { return time.Unix(1700000000, 0) })
	if err != nil {
		t.Fatal(err)
	}
	wv, err := NewCosignatureVerifier(wvkey)
	if err != nil {
		t.Fatal(err)
	}
	return s, v, w, wv
}

func FuzzOpenCheckpoint(f *testing.F) {
	s, v, w, wv := fuzzKeys(f)
	text := "bela.test/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	signed, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		f.Fatal(err)
	}
	cosigned, err := note.Sign(&note.Note{Text: text}, s, w)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add(cosigned)
	f.Add([]byte("x\n\n— a b\n"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		for _, ws := range [][]note.Verifier{nil, {wv}} {
			sc, err := OpenCheckpoint(msg, v, ws...)
			if err != nil {
				continue
			}
			if sc.Origin != testOrigin || len(sc.Cosignatures) != len(ws) {
				t.Fatalf("opened %q as %+v", msg, sc)
			}
			if _, err := sc.LogSigned(v); err != nil {
				t.Fatalf("LogSigned of an opened checkpoint: %v", err)
			}
		}
	})
}

func FuzzCosignatureKey(f *testing.F) {
	_, _, w, _ := fuzzKeys(f)
	f.Add(w.VerifierKey(), []byte("text\n"), make([]byte, 72))
	f.Add("a+00000000+BA==", []byte{}, []byte{1})
	f.Fuzz(func(t *testing.T, vkey string, msg, sig []byte) {
		v, err := NewCosignatureVerifier(vkey)
		if err != nil {
			return
		}
		v.Verify(msg, sig) // must not panic
		if v.Name() == "" {
			t.Fatalf("verifier with empty name from %q", vkey)
		}
	})
}

func FuzzParseProof(f *testing.F) {
	f.Add([]byte(`{"from":1,"to":2,"proof":["CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="]}`))
	f.Add([]byte(`{"proof":[]}`))
	f.Add([]byte(`{"proof":["AAAA"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var resp ConsistencyResponse
		if err := parseProof(body, &resp, &resp.Proof); err != nil {
			return
		}
		if len(resp.Proof) > maxProofLen {
			t.Fatalf("accepted a proof of %d hashes", len(resp.Proof))
		}
		// A parsed proof never makes the checker panic.
		_ = tlog.CheckTree(resp.Proof, 10, tlog.Hash{}, 3, tlog.Hash{})
	})
}

func FuzzParseEntries(f *testing.F) {
	good, _ := json.Marshal(EntriesResponse{Start: 0, End: 2, Entries: []Entry{{Index: 0, Leaf: []byte("a"), Hash: LeafHash([]byte("a"))}}})
	f.Add(good, int64(0), int64(5))
	f.Add([]byte(`{"start":0,"end":9,"entries":[{"index":3},{"index":2}]}`), int64(0), int64(9))
	f.Fuzz(func(t *testing.T, body []byte, start, end int64) {
		es, covered, err := parseEntries(body, start, end)
		if err != nil {
			return
		}
		if covered <= start || covered > end {
			t.Fatalf("covered %d outside (%d, %d]", covered, start, end)
		}
		for i, e := range es {
			if e.Index < start || e.Index >= covered || (i > 0 && e.Index <= es[i-1].Index) {
				t.Fatalf("entry %d out of order in [%d, %d)", e.Index, start, covered)
			}
		}
	})
}

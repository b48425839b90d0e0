package translog

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const testOrigin = "bela.test/log"

// testKey returns a new log signer and its verifier.
func testKey(t testing.TB, name string) (note.Signer, note.Verifier, string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return s, v, vkey
}

// testWitness returns a new witness cosigner at a fixed time and its verifier.
func testWitness(t testing.TB, name string) (*Cosigner, note.Verifier, string) {
	t.Helper()
	skey, vkey, err := GenerateWitnessKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCosigner(skey, func() time.Time { return time.Unix(1700000000, 0) })
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewCosignatureVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	if c.VerifierKey() != vkey {
		t.Fatalf("VerifierKey() = %s, want %s", c.VerifierKey(), vkey)
	}
	return c, v, vkey
}

func TestCheckpointRoundTrip(t *testing.T) {
	h := tlog.RecordHash([]byte("x"))
	for _, c := range []Checkpoint{
		{Origin: testOrigin, Size: 0, Hash: h},
		{Origin: testOrigin, Size: 12345, Hash: h, Extensions: []string{"time 1700000000", "ext two"}},
	} {
		text, err := c.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseCheckpoint(text)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
	want := "bela.test/log\n5\n" + base64.StdEncoding.EncodeToString(h[:]) + "\n"
	got, _ := Checkpoint{Origin: testOrigin, Size: 5, Hash: h}.Marshal()
	if string(got) != want {
		t.Errorf("Marshal = %q, want %q", got, want)
	}
}

func TestParseCheckpointErrors(t *testing.T) {
	h := base64.StdEncoding.EncodeToString(make([]byte, 32))
	for _, tc := range []struct{ name, text string }{
		{"empty", ""},
		{"no final newline", "o\n1\n" + h},
		{"two lines", "o\n1\n"},
		{"empty origin", "\n1\n" + h + "\n"},
		{"negative size", "o\n-1\n" + h + "\n"},
		{"leading zero", "o\n01\n" + h + "\n"},
		{"plus sign", "o\n+1\n" + h + "\n"},
		{"short hash", "o\n1\nAAAA\n"},
		{"bad base64", "o\n1\n!!" + h[2:] + "\n"},
		{"empty extension", "o\n1\n" + h + "\n\n"},
		{"control char", "o\x01\n1\n" + h + "\n"},
		{"huge size", "o\n99999999999999999999\n" + h + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseCheckpoint([]byte(tc.text)); !errors.Is(err, ErrMalformed) {
				t.Errorf("ParseCheckpoint(%q) err = %v, want ErrMalformed", tc.text, err)
			}
		})
	}
	if _, err := (Checkpoint{Origin: "a\nb"}).Marshal(); !errors.Is(err, ErrMalformed) {
		t.Errorf("Marshal with newline in origin: err = %v", err)
	}
}

func TestSignAndOpenCheckpoint(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryStore()
	for i := range int64(10) {
		m.Append(ctx, leaf(i))
	}
	signer, v, _ := testKey(t, testOrigin)
	msg, c, err := SignCheckpoint(ctx, m, 10, signer)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := OpenCheckpoint(msg, v)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, sc.Checkpoint); diff != "" {
		t.Errorf("opened checkpoint (-want +got):\n%s", diff)
	}

	w, wv, _ := testWitness(t, "witness.test/w1")
	cosigned, err := note.Sign(sc.Note, w)
	if err != nil {
		t.Fatal(err)
	}
	sc2, err := OpenCheckpoint(cosigned, v, wv)
	if err != nil {
		t.Fatal(err)
	}
	wantCS := []Cosignature{{Size: 10, Witness: "witness.test/w1", KeyHash: w.KeyHash(), Time: time.Unix(1700000000, 0).UTC()}}
	if diff := cmp.Diff(wantCS, sc2.Cosignatures, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Line" }, cmp.Ignore())); diff != "" {
		t.Errorf("cosignatures (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(sc2.Cosignatures[0].Line, "— witness.test/w1 ") {
		t.Errorf("cosignature line = %q", sc2.Cosignatures[0].Line)
	}
	logSigned, err := sc2.LogSigned(v)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(logSigned, msg) {
		t.Errorf("LogSigned = %q, want %q", logSigned, msg)
	}

	other, _, _ := testKey(t, testOrigin)
	forged, _ := note.Sign(&note.Note{Text: sc.Note.Text}, other)
	_, w2v, _ := testWitness(t, "witness.test/w2")
	tampered := bytes.Replace(msg, []byte("\n10\n"), []byte("\n11\n"), 1)
	for _, tc := range []struct {
		name      string
		msg       []byte
		v         note.Verifier
		witnesses []note.Verifier
		want      error
	}{
		{"other key, same name", forged, v, nil, ErrBadSignature},
		{"tampered text", tampered, v, nil, ErrBadSignature},
		{"missing cosignature", cosigned, v, []note.Verifier{wv, w2v}, ErrMissingCosignature},
		{"garbage", []byte("hello"), v, nil, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := OpenCheckpoint(tc.msg, tc.v, tc.witnesses...)
			if tc.want == nil {
				if err != nil {
					t.Errorf("err = %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
	// A checkpoint whose origin differs from the key name.
	text, _ := Checkpoint{Origin: "someone.else", Size: 1, Hash: c.Hash}.Marshal()
	msg2, _ := note.Sign(&note.Note{Text: string(text)}, signer)
	if _, err := OpenCheckpoint(msg2, v); !errors.Is(err, ErrWrongLog) {
		t.Errorf("origin mismatch: err = %v, want ErrWrongLog", err)
	}
}

func TestCosignatureFormat(t *testing.T) {
	skey, vkey, err := GenerateWitnessKey(rand.Reader, "witness.test/w1")
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Unix(1679315147, 0)
	c, err := NewCosigner(skey, func() time.Time { return ts })
	if err != nil {
		t.Fatal(err)
	}
	text := "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	sig, err := c.Sign([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	// C2SP: timestamp (8 bytes, big endian) || Ed25519 signature over
	// "cosignature/v1\ntime <ts>\n" || checkpoint text.
	if len(sig) != 72 || binary.BigEndian.Uint64(sig) != 1679315147 {
		t.Fatalf("signature = %x", sig)
	}
	raw, _ := base64.StdEncoding.DecodeString(strings.SplitN(vkey, "+", 3)[2])
	if raw[0] != 0x04 {
		t.Fatalf("vkey type = %#x, want 0x04", raw[0])
	}
	pub := ed25519.PublicKey(raw[1:])
	msg := "cosignature/v1\ntime 1679315147\n" + text
	if !ed25519.Verify(pub, []byte(msg), sig[8:]) {
		t.Errorf("signature does not verify over the C2SP message")
	}
	// Key ID: SHA-256(name || "\n" || 0x04 || key)[:4].
	if want := fmt.Sprintf("%08x", cosignerKeyHash("witness.test/w1", pub)); !strings.Contains(vkey, "+"+want+"+") {
		t.Errorf("vkey %s lacks key ID %s", vkey, want)
	}
	v, _ := NewCosignatureVerifier(vkey)
	if !v.Verify([]byte(text), sig) {
		t.Errorf("verifier rejects a good cosignature")
	}
	bad := append([]byte(nil), sig...)
	bad[7]++ // change the timestamp
	if v.Verify([]byte(text), bad) {
		t.Errorf("verifier accepts a cosignature with a changed timestamp")
	}
	for _, k := range []string{"", "a+b+c", "name+00000000+" + base64.StdEncoding.EncodeToString(raw), strings.Replace(vkey, "w1", "w2", 1)} {
		if _, err := NewCosignatureVerifier(k); !errors.Is(err, ErrMalformed) {
			t.Errorf("NewCosignatureVerifier(%q) err = %v, want ErrMalformed", k, err)
		}
	}
	noteKey, _ := note.NewEd25519VerifierKey("witness.test/w1", pub)
	if _, err := NewCosignatureVerifier(noteKey); err == nil {
		t.Errorf("accepted an ed25519 note key (type 0x01) as a cosignature key")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := t.TempDir()
	s1, vkey1, err := LoadOrCreateKey(dir, testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", fi.Mode().Perm())
	}
	s2, vkey2, err := LoadOrCreateKey(dir, testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if vkey1 != vkey2 || s1.KeyHash() != s2.KeyHash() {
		t.Errorf("second load gives another key: %s, %s", vkey1, vkey2)
	}
	v, err := note.NewVerifier(vkey1)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := note.Sign(&note.Note{Text: "hello\n"}, s2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
		t.Errorf("vkey does not verify the signer's notes: %v", err)
	}
	if _, _, err := LoadOrCreateKey(dir, "other.test"); !errors.Is(err, ErrWrongLog) {
		t.Errorf("other name: err = %v, want ErrWrongLog", err)
	}
	if _, _, err := LoadOrCreateKey(t.TempDir(), "has space"); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad name: err = %v, want ErrMalformed", err)
	}

	wfile := filepath.Join(t.TempDir(), "witness.key")
	if _, err := LoadOrCreateWitnessKey(wfile, "", nil); err == nil {
		t.Errorf("LoadOrCreateWitnessKey without name or file succeeded")
	}
	w1, err := LoadOrCreateWitnessKey(wfile, "witness.test/w1", nil)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := LoadOrCreateWitnessKey(wfile, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if w1.VerifierKey() != w2.VerifierKey() {
		t.Errorf("witness key changed between loads")
	}
	if fi, _ := os.Stat(wfile); fi.Mode().Perm() != 0o600 {
		t.Errorf("witness key mode = %v", fi.Mode().Perm())
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// witnessKeyFromSeed builds a witness key pair from a fixed seed.
func witnessKeyFromSeed(name string, seed []byte) (skey, vkey string) {
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	h := fmt.Sprintf("%08x", cosignerKeyHash(name, pub))
	return "PRIVATE+KEY+" + name + "+" + h + "+" + b64(append([]byte{4}, seed...)),
		name + "+" + h + "+" + b64(append([]byte{4}, pub...))
}

package translog

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
)

// cosignatureAlg is the C2SP tlog-cosignature key type for Ed25519
// cosignatures (cosignature/v1).
const cosignatureAlg = 0x04

// cosignatureLen is the length of a cosignature: key hash, timestamp and an
// Ed25519 signature.
const cosignatureLen = 4 + 8 + ed25519.SignatureSize

// A Cosignature is one witness's C2SP cosignature/v1 on a checkpoint.
type Cosignature struct {
	// Size is the tree size of the checkpoint cosigned.
	Size int64
	// Witness and KeyHash identify the witness key.
	Witness string
	KeyHash uint32
	// Time is when the witness cosigned, as it claims.
	Time time.Time
	// Line is the note signature line, "— <name> <base64>", without the
	// final newline.
	Line string
}

// cosignatureFromSig decodes the timestamp of a verified note signature.
func cosignatureFromSig(size int64, s note.Signature) (Cosignature, error) {
	raw, err := base64.StdEncoding.DecodeString(s.Base64)
	if err != nil || len(raw) != cosignatureLen {
		return Cosignature{}, fmt.Errorf("translog: cosignature by %s: %w", s.Name, ErrMalformed)
	}
	ts := binary.BigEndian.Uint64(raw[4:12])
	return Cosignature{
		Size:    size,
		Witness: s.Name,
		KeyHash: s.Hash,
		Time:    time.Unix(int64(ts), 0).UTC(),
		Line:    "— " + s.Name + " " + s.Base64,
	}, nil
}

// cosignedMessage returns the message a cosignature/v1 signs: header line,
// timestamp line, then the checkpoint text.
func cosignedMessage(ts uint64, text []byte) []byte {
	m := make([]byte, 0, len(text)+40)
	m = append(m, "cosignature/v1\ntime "...)
	m = strconv.AppendUint(m, ts, 10)
	m = append(m, '\n')
	return append(m, text...)
}

// cosignerKeyHash is the C2SP key ID: SHA-256(name || "\n" || 0x04 || key)[:4].
func cosignerKeyHash(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', cosignatureAlg})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// validKeyName reports whether name can name a note key: non-empty UTF-8
// without spaces or '+'.
func validKeyName(name string) bool {
	return name != "" && utf8.ValidString(name) && strings.IndexFunc(name, unicode.IsSpace) < 0 && !strings.Contains(name, "+")
}

// GenerateWitnessKey generates an Ed25519 witness key pair named name. skey
// ("PRIVATE+KEY+<name>+<hash>+<base64(0x04 || seed)>") is secret; vkey
// ("<name>+<hash>+<base64(0x04 || public key)>") is the C2SP vkey that logs
// register and verifiers pin. It returns an error for an invalid name or a
// failing rand.
func GenerateWitnessKey(rand io.Reader, name string) (skey, vkey string, err error) {
	if !validKeyName(name) {
		return "", "", fmt.Errorf("translog: witness key name %q: %w", name, ErrMalformed)
	}
	pub, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return "", "", fmt.Errorf("translog: generate witness key: %w", err)
	}
	h := cosignerKeyHash(name, pub)
	enc := base64.StdEncoding.EncodeToString
	skey = fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, h, enc(append([]byte{cosignatureAlg}, priv.Seed()...)))
	vkey = fmt.Sprintf("%s+%08x+%s", name, h, enc(append([]byte{cosignatureAlg}, pub...)))
	return skey, vkey, nil
}

// splitKey splits "<name>+<hash>+<base64>" and checks the algorithm byte.
func splitKey(key string, size int) (name string, hash uint32, material []byte, err error) {
	name, rest, ok1 := strings.Cut(key, "+")
	hash16, b64, ok2 := strings.Cut(rest, "+")
	h, err1 := strconv.ParseUint(hash16, 16, 32)
	raw, err2 := base64.StdEncoding.Strict().DecodeString(b64)
	if !ok1 || !ok2 || len(hash16) != 8 || err1 != nil || err2 != nil || !validKeyName(name) {
		return "", 0, nil, fmt.Errorf("translog: witness key: %w", ErrMalformed)
	}
	if len(raw) != 1+size || raw[0] != cosignatureAlg {
		return "", 0, nil, fmt.Errorf("translog: witness key %s is not an Ed25519 cosignature key (type 0x04): %w", name, ErrMalformed)
	}
	return name, uint32(h), raw[1:], nil
}

// A Cosigner makes C2SP cosignature/v1 signatures. It implements
// note.Signer, so note.Sign adds its cosignature to a checkpoint note.
type Cosigner struct {
	name string
	hash uint32
	priv ed25519.PrivateKey
	now  func() time.Time
}

// NewCosigner returns the cosigner for skey (see GenerateWitnessKey), stamping
// its cosignatures with now(). It returns an error wrapping ErrMalformed for
// an invalid key.
func NewCosigner(skey string, now func() time.Time) (*Cosigner, error) {
	rest, ok := strings.CutPrefix(skey, "PRIVATE+KEY+")
	if !ok {
		return nil, fmt.Errorf("translog: witness signer key: %w", ErrMalformed)
	}
	name, hash, seed, err := splitKey(rest, ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if cosignerKeyHash(name, priv.Public().(ed25519.PublicKey)) != hash {
		return nil, fmt.Errorf("translog: witness signer key %s: key hash does not match: %w", name, ErrMalformed)
	}
	if now == nil {
		now = time.Now
	}
	return &Cosigner{name: name, hash: hash, priv: priv, now: now}, nil
}

// Name returns the witness name.
func (c *Cosigner) Name() string { return c.name }

// KeyHash returns the C2SP key ID of the witness key.
func (c *Cosigner) KeyHash() uint32 { return c.hash }

// VerifierKey returns the witness vkey that logs register.
func (c *Cosigner) VerifierKey() string {
	pub := c.priv.Public().(ed25519.PublicKey)
	return fmt.Sprintf("%s+%08x+%s", c.name, c.hash, base64.StdEncoding.EncodeToString(append([]byte{cosignatureAlg}, pub...)))
}

// Sign returns the timestamped cosignature of msg, the checkpoint text. It
// returns an error if the clock is before 1970.
func (c *Cosigner) Sign(msg []byte) ([]byte, error) {
	t := c.now().Unix()
	if t < 0 {
		return nil, fmt.Errorf("translog: cosign: clock before 1970")
	}
	sig := make([]byte, 8, 8+ed25519.SignatureSize)
	binary.BigEndian.PutUint64(sig, uint64(t))
	return append(sig, ed25519.Sign(c.priv, cosignedMessage(uint64(t), msg))...), nil
}

// cosignatureVerifier verifies cosignature/v1 signatures; it implements
// note.Verifier.
type cosignatureVerifier struct {
	name string
	hash uint32
	pub  ed25519.PublicKey
}

// NewCosignatureVerifier returns a note.Verifier for the witness vkey (see
// GenerateWitnessKey), for use with note.Open or OpenCheckpoint. It returns
// an error wrapping ErrMalformed for an invalid key.
func NewCosignatureVerifier(vkey string) (note.Verifier, error) {
	name, hash, pub, err := splitKey(vkey, ed25519.PublicKeySize)
	if err != nil {
		return nil, err
	}
	if cosignerKeyHash(name, pub) != hash {
		return nil, fmt.Errorf("translog: witness key %s: key hash does not match: %w", name, ErrMalformed)
	}
	return &cosignatureVerifier{name: name, hash: hash, pub: pub}, nil
}

func (v *cosignatureVerifier) Name() string    { return v.name }
func (v *cosignatureVerifier) KeyHash() uint32 { return v.hash }

func (v *cosignatureVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	ts := binary.BigEndian.Uint64(sig)
	if ts > math.MaxInt64 {
		return false
	}
	return ed25519.Verify(v.pub, cosignedMessage(ts, msg), sig[8:])
}

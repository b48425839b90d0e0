package translog

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// maxNoteSize bounds the size of a checkpoint or signed note this package
// parses.
const maxNoteSize = 64 << 10

// A Checkpoint is the C2SP tlog-checkpoint body: the log's origin, the tree
// size and root hash, and optional extension lines. Signed, it is the text of
// a note.
type Checkpoint struct {
	Origin     string
	Size       int64
	Hash       tlog.Hash
	Extensions []string
}

// Marshal returns the checkpoint text: origin, decimal size, base64 root
// hash, then the extension lines, each line ending in a newline. It returns
// an error wrapping ErrMalformed if the checkpoint cannot be encoded (empty
// origin, negative size, empty or multi-line extension).
func (c Checkpoint) Marshal() ([]byte, error) {
	if !validLine(c.Origin) {
		return nil, fmt.Errorf("translog: checkpoint origin %q: %w", c.Origin, ErrMalformed)
	}
	if c.Size < 0 {
		return nil, fmt.Errorf("translog: checkpoint size %d: %w", c.Size, ErrMalformed)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Hash[:]))
	for _, e := range c.Extensions {
		if !validLine(e) {
			return nil, fmt.Errorf("translog: checkpoint extension %q: %w", e, ErrMalformed)
		}
		b.WriteString(e)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// validLine reports whether s can be one line of a note: non-empty UTF-8
// without control characters.
func validLine(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// ParseCheckpoint parses checkpoint text (the text of a signed note, without
// signatures). It returns an error wrapping ErrMalformed if text is not a
// well-formed checkpoint.
func ParseCheckpoint(text []byte) (Checkpoint, error) {
	bad := func(why string) (Checkpoint, error) {
		return Checkpoint{}, fmt.Errorf("translog: checkpoint: %s: %w", why, ErrMalformed)
	}
	if len(text) > maxNoteSize {
		return bad("too long")
	}
	if len(text) == 0 || text[len(text)-1] != '\n' {
		return bad("does not end in a newline")
	}
	lines := strings.Split(string(text[:len(text)-1]), "\n")
	if len(lines) < 3 {
		return bad("fewer than three lines")
	}
	for i, l := range lines {
		if !validLine(l) {
			return bad(fmt.Sprintf("line %d is empty or has invalid characters", i+1))
		}
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return bad(fmt.Sprintf("bad tree size %q", lines[1]))
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(raw) != tlog.HashSize {
		return bad(fmt.Sprintf("bad root hash %q", lines[2]))
	}
	c := Checkpoint{Origin: lines[0], Size: size}
	copy(c.Hash[:], raw)
	if len(lines) > 3 {
		c.Extensions = lines[3:]
	}
	return c, nil
}

// SignCheckpoint computes the root of the tree of the given size from r and
// returns the checkpoint, signed by signer as a note, whose origin is the
// signer's name. The caller stores it. It returns r's errors and signing
// errors, wrapped.
func SignCheckpoint(ctx context.Context, r HashReader, size int64, signer note.Signer, extensions ...string) ([]byte, Checkpoint, error) {
	h, err := TreeHash(ctx, r, size)
	if err != nil {
		return nil, Checkpoint{}, err
	}
	c := Checkpoint{Origin: signer.Name(), Size: size, Hash: h, Extensions: extensions}
	text, err := c.Marshal()
	if err != nil {
		return nil, Checkpoint{}, err
	}
	msg, err := note.Sign(&note.Note{Text: string(text)}, signer)
	if err != nil {
		return nil, Checkpoint{}, fmt.Errorf("translog: sign checkpoint: %w", err)
	}
	return msg, c, nil
}

// A SignedCheckpoint is a checkpoint whose log signature (and possibly
// witness cosignatures) verified.
type SignedCheckpoint struct {
	Checkpoint
	// Note is the opened note: Text is the checkpoint text, Sigs the
	// verified signatures (the log's and the verified cosignatures),
	// UnverifiedSigs those from unknown keys.
	Note *note.Note
	// Cosignatures lists the verified witness cosignatures.
	Cosignatures []Cosignature
}

// LogSigned returns the note with only the log's signature, as a witness
// cosigns it and as a server stores it. It returns an error wrapping
// ErrMalformed if the note cannot be encoded.
func (s *SignedCheckpoint) LogSigned(logKey note.Verifier) ([]byte, error) {
	for _, sig := range s.Note.Sigs {
		if sig.Name == logKey.Name() && sig.Hash == logKey.KeyHash() {
			msg, err := note.Sign(&note.Note{Text: s.Note.Text, Sigs: []note.Signature{sig}})
			if err != nil {
				return nil, fmt.Errorf("translog: encode checkpoint: %v: %w", err, ErrMalformed)
			}
			return msg, nil
		}
	}
	return nil, fmt.Errorf("translog: checkpoint has no signature by %s: %w", logKey.Name(), ErrBadSignature)
}

// OpenCheckpoint verifies msg, a signed checkpoint note, against the log's
// key and, when given, witness cosigner keys (see NewCosignatureVerifier),
// and parses it. Every witness given must have cosigned. The origin must be
// the log key's name. Errors wrap ErrMalformed (unparsable), ErrBadSignature
// (log signature missing or invalid, or an invalid cosignature), ErrWrongLog
// (origin is not the key's name) or ErrMissingCosignature.
func OpenCheckpoint(msg []byte, logKey note.Verifier, witnesses ...note.Verifier) (*SignedCheckpoint, error) {
	if len(msg) > maxNoteSize {
		return nil, fmt.Errorf("translog: checkpoint note too long: %w", ErrMalformed)
	}
	list := append([]note.Verifier{logKey}, witnesses...)
	n, err := note.Open(msg, note.VerifierList(list...))
	if err != nil {
		var inv *note.InvalidSignatureError
		var unv *note.UnverifiedNoteError
		switch {
		case errors.As(err, &inv):
			return nil, fmt.Errorf("translog: checkpoint: invalid signature by %s+%08x: %w", inv.Name, inv.Hash, ErrBadSignature)
		case errors.As(err, &unv):
			return nil, fmt.Errorf("translog: checkpoint is not signed by log key %s+%08x: %w", logKey.Name(), logKey.KeyHash(), ErrBadSignature)
		default:
			return nil, fmt.Errorf("translog: checkpoint note: %v: %w", err, ErrMalformed)
		}
	}
	signed := func(v note.Verifier) (note.Signature, bool) {
		for _, s := range n.Sigs {
			if s.Name == v.Name() && s.Hash == v.KeyHash() {
				return s, true
			}
		}
		return note.Signature{}, false
	}
	if _, ok := signed(logKey); !ok {
		return nil, fmt.Errorf("translog: checkpoint is not signed by log key %s+%08x: %w", logKey.Name(), logKey.KeyHash(), ErrBadSignature)
	}
	c, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return nil, err
	}
	if c.Origin != logKey.Name() {
		return nil, fmt.Errorf("translog: checkpoint origin %q is not the log key's name %q: %w", c.Origin, logKey.Name(), ErrWrongLog)
	}
	sc := &SignedCheckpoint{Checkpoint: c, Note: n}
	for _, w := range witnesses {
		s, ok := signed(w)
		if !ok {
			return nil, fmt.Errorf("translog: checkpoint of size %d has no cosignature from witness %s+%08x: %w", c.Size, w.Name(), w.KeyHash(), ErrMissingCosignature)
		}
		cs, err := cosignatureFromSig(c.Size, s)
		if err != nil {
			return nil, err
		}
		sc.Cosignatures = append(sc.Cosignatures, cs)
	}
	return sc, nil
}

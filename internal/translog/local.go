package translog

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// DefaultMaxEntries is the default cap on entries per request.
const DefaultMaxEntries = 10000

// maxCheckpoints caps the checkpoints returned per request.
const maxCheckpoints = 100

// A Source is what a verifier reads from a log: a Client over HTTP, or a
// Local over a Store for offline verification.
type Source interface {
	// LatestCheckpoint returns the newest signed checkpoint note with the
	// cosignatures held. It returns an error wrapping ErrNotFound if the log
	// has none.
	LatestCheckpoint(ctx context.Context) ([]byte, error)

	// Entries returns entries with index in [start, end), in increasing
	// index order, with their stored leaf hashes, and covered, the
	// exclusive end of the range it looked at (start < covered <= end; it
	// may page). Entries in [start, covered) it does not return are
	// missing from the log.
	Entries(ctx context.Context, start, end int64) (entries []Entry, covered int64, err error)

	// ConsistencyProof returns the proof that the tree of size from is a
	// prefix of the tree of size to.
	ConsistencyProof(ctx context.Context, from, to int64) (tlog.TreeProof, error)
}

// A paramError is a bad request parameter; the server answers 400.
type paramError struct{ msg string }

func (e *paramError) Error() string { return e.msg }

func badParam(format string, args ...any) error {
	return &paramError{fmt.Sprintf(format, args...)}
}

// A conflictError is a posted checkpoint that is not the one the log signed
// at that size; the server answers 409.
type conflictError struct{ msg string }

func (e *conflictError) Error() string { return e.msg }

// Local serves the log protocol from a Store: the Server answers HTTP with
// it, and it is a Source for offline verification (bela log verify --data).
type Local struct {
	store      Store
	maxEntries int
}

// NewLocal returns a Local over store, capping entries per call at
// maxEntries (DefaultMaxEntries if <= 0).
func NewLocal(store Store, maxEntries int) *Local {
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	return &Local{store: store, maxEntries: maxEntries}
}

// noteText splits a signed note into its text and its signature lines.
func noteText(msg []byte) (text, sigs []byte, err error) {
	i := bytes.LastIndex(msg, []byte("\n\n"))
	if i < 0 {
		return nil, nil, fmt.Errorf("translog: signed note has no signatures: %w", ErrMalformed)
	}
	return msg[:i+1], msg[i+2:], nil
}

// latest returns the latest checkpoint, parsed (the store's own signature
// is trusted) and the note.
func (l *Local) latest(ctx context.Context) (Checkpoint, []byte, error) {
	msg, err := l.store.LatestCheckpoint(ctx)
	if err != nil {
		return Checkpoint{}, nil, fmt.Errorf("translog: latest checkpoint: %w", err)
	}
	text, _, err := noteText(msg)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	c, err := ParseCheckpoint(text)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	return c, msg, nil
}

// withCosignatures appends the cosignatures held for size to msg.
func (l *Local) withCosignatures(ctx context.Context, size int64, msg []byte) ([]byte, error) {
	cs, err := l.store.ReadCosignatures(ctx, size)
	if err != nil {
		return nil, fmt.Errorf("translog: cosignatures of size %d: %w", size, err)
	}
	out := append([]byte(nil), msg...)
	for _, c := range cs {
		out = append(out, c.Line...)
		out = append(out, '\n')
	}
	return out, nil
}

// Size returns the size of the latest checkpoint. It returns an error
// wrapping ErrNotFound if there is none, and store errors.
func (l *Local) Size(ctx context.Context) (int64, error) {
	c, _, err := l.latest(ctx)
	return c.Size, err
}

// LatestCheckpoint implements Source.
func (l *Local) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	c, msg, err := l.latest(ctx)
	if err != nil {
		return nil, err
	}
	return l.withCosignatures(ctx, c.Size, msg)
}

// Checkpoints returns up to 100 signed checkpoint notes, with their
// cosignatures, whose size is greater than since, in increasing size order.
// It returns store errors, wrapped.
func (l *Local) Checkpoints(ctx context.Context, since int64) ([][]byte, error) {
	list, err := l.store.ReadCheckpoints(ctx, since, maxCheckpoints)
	if err != nil {
		return nil, fmt.Errorf("translog: checkpoints since %d: %w", since, err)
	}
	out := make([][]byte, 0, len(list))
	for _, msg := range list {
		text, _, err := noteText(msg)
		if err != nil {
			return nil, err
		}
		c, err := ParseCheckpoint(text)
		if err != nil {
			return nil, err
		}
		full, err := l.withCosignatures(ctx, c.Size, msg)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	return out, nil
}

// Entries implements Source, up to the latest checkpoint's size and at most
// maxEntries at a time. It returns a parameter error unless
// 0 <= start < end and start < size, and store errors, wrapped.
func (l *Local) Entries(ctx context.Context, start, end int64) ([]Entry, int64, error) {
	size, err := l.Size(ctx)
	if err != nil {
		return nil, 0, err
	}
	if start < 0 || end <= start {
		return nil, 0, badParam("need 0 <= start < end, got start=%d end=%d", start, end)
	}
	if start >= size {
		return nil, 0, badParam("start=%d is beyond the tree size %d", start, size)
	}
	end = min(end, size, start+int64(l.maxEntries))
	es, err := l.store.ReadEntries(ctx, start, end)
	if err != nil {
		return nil, 0, fmt.Errorf("translog: entries [%d, %d): %w", start, end, err)
	}
	indexes := make([]int64, 0, len(es))
	last := start - 1
	for _, e := range es {
		if e.Index <= last || e.Index >= end {
			return nil, 0, fmt.Errorf("translog: store returned entry %d out of order in [%d, %d)", e.Index, start, end)
		}
		last = e.Index
		indexes = append(indexes, tlog.StoredHashIndex(0, e.Index))
	}
	hs, err := l.store.ReadHashes(ctx, indexes)
	if err != nil {
		return nil, 0, fmt.Errorf("translog: leaf hashes [%d, %d): %w", start, end, err)
	}
	if len(hs) != len(es) {
		return nil, 0, fmt.Errorf("translog: read %d leaf hashes, got %d", len(es), len(hs))
	}
	for i := range es {
		es[i].Hash = hs[i]
	}
	return es, end, nil
}

// InclusionProof returns the proof that the entry at index is in the tree of
// the given size (at most the latest checkpoint's). It returns a parameter
// error for indexes out of range, and store errors, wrapped.
func (l *Local) InclusionProof(ctx context.Context, index, size int64) (tlog.RecordProof, error) {
	latest, err := l.Size(ctx)
	if err != nil {
		return nil, err
	}
	if index < 0 || size <= index || size > latest {
		return nil, badParam("need 0 <= index < size <= %d, got index=%d size=%d", latest, index, size)
	}
	return InclusionProof(ctx, l.store, index, size)
}

// ConsistencyProof implements Source for sizes up to the latest
// checkpoint's. It returns a parameter error unless 1 <= from <= to <=
// latest size, and store errors, wrapped.
func (l *Local) ConsistencyProof(ctx context.Context, from, to int64) (tlog.TreeProof, error) {
	latest, err := l.Size(ctx)
	if err != nil {
		return nil, err
	}
	if from < 1 || to < from || to > latest {
		return nil, badParam("need 1 <= from <= to <= %d, got from=%d to=%d", latest, from, to)
	}
	return ConsistencyProof(ctx, l.store, from, to)
}

// AddCosignatures verifies msg, a checkpoint note signed by the log (logKey)
// and cosigned by one or more of the registered witnesses, checks that its
// text is the checkpoint the log signed at that size, and stores the
// cosignatures. It returns what it stored. Errors wrap ErrMalformed,
// ErrBadSignature (no valid log signature, an invalid cosignature),
// ErrMissingCosignature (no registered witness cosigned), ErrNotFound (no
// checkpoint of that size), a conflict (another checkpoint was signed at
// that size), or store errors.
func (l *Local) AddCosignatures(ctx context.Context, msg []byte, logKey note.Verifier, witnesses []note.Verifier) ([]Cosignature, error) {
	sc, err := OpenCheckpoint(msg, logKey)
	if err != nil {
		return nil, err
	}
	// Reopen with the witnesses to verify whichever of them signed.
	n, err := note.Open(msg, note.VerifierList(append([]note.Verifier{logKey}, witnesses...)...))
	if err != nil {
		var inv *note.InvalidSignatureError
		if errors.As(err, &inv) {
			return nil, fmt.Errorf("translog: invalid cosignature by %s+%08x: %w", inv.Name, inv.Hash, ErrBadSignature)
		}
		return nil, fmt.Errorf("translog: cosigned note: %v: %w", err, ErrMalformed)
	}
	stored, err := l.store.ReadCheckpoint(ctx, sc.Size)
	if err != nil {
		return nil, fmt.Errorf("translog: checkpoint of size %d: %w", sc.Size, err)
	}
	text, _, err := noteText(stored)
	if err != nil {
		return nil, err
	}
	if string(text) != n.Text {
		return nil, &conflictError{fmt.Sprintf("the cosigned checkpoint of size %d is not the one this log signed", sc.Size)}
	}
	var out []Cosignature
	for _, s := range n.Sigs {
		if s.Name == logKey.Name() && s.Hash == logKey.KeyHash() {
			continue
		}
		c, err := cosignatureFromSig(sc.Size, s)
		if err != nil {
			return nil, err
		}
		if err := l.store.AddCosignature(ctx, c); err != nil {
			return nil, fmt.Errorf("translog: store cosignature: %w", err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("translog: no cosignature by a registered witness: %w", ErrMissingCosignature)
	}
	return out, nil
}

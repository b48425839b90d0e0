package translog

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// maxMismatches bounds the hash mismatches a verification remembers.
const maxMismatches = 1000

// VerifyOptions configures Verify.
type VerifyOptions struct {
	// Key is the log's verifier key, pinned. If empty, the key recorded in
	// the state file is used, or else the one the source announces, which
	// is then recorded (trust on first use).
	Key string
	// StateFile remembers the key and the last verified checkpoint between
	// runs; empty means no memory.
	StateFile string
	// Witnesses are witness vkeys whose cosignatures are required.
	Witnesses []string
	// Progress, if set, is called after each page with the number of
	// entries re-hashed so far and the tree size.
	Progress func(done, total int64)
}

// VerifyResult describes a successful verification.
type VerifyResult struct {
	// Checkpoint is the verified latest checkpoint; all its Size entries
	// were re-hashed into its root.
	Checkpoint Checkpoint
	// Key is the log key the checkpoint was verified with.
	Key string
	// FirstUse reports that Key was trusted on first use, not pinned.
	FirstUse bool
	// Previous is the previously verified checkpoint (Size 0 if none).
	Previous Checkpoint
	// Cosignatures are the verified required witness cosignatures.
	Cosignatures []Cosignature
}

// Verify checks the log served by src: the latest checkpoint's signature
// (against the pinned or recorded key), the required cosignatures, its
// consistency with the checkpoint verified last time, and then re-hashes
// every entry from the first into the checkpoint's root, so that any
// altered old entry is caught. On success it records the checkpoint in the
// state file. src is a Client for `bela log verify --url`, or a Local over a
// Store for `--data`.
//
// Errors wrap, by cause: ErrBadSignature, ErrWrongLog, ErrMissingCosignature,
// ErrTruncated (the log shrank or its newest entries are gone), ErrFork
// (inconsistent with the previous checkpoint, or history rewritten),
// ErrMissingEntry, ErrReorderedEntries, ErrAlteredEntry; or ErrMalformed and
// transport errors.
func Verify(ctx context.Context, src Source, opts VerifyOptions) (*VerifyResult, error) {
	st, err := loadState(opts.StateFile)
	if err != nil {
		return nil, err
	}
	key, firstUse, err := trustedKey(ctx, opts.Key, st, src)
	if err != nil {
		return nil, err
	}
	logV, err := note.NewVerifier(key)
	if err != nil {
		return nil, fmt.Errorf("translog: log key %q: %v: %w", key, err, ErrMalformed)
	}
	var ws []note.Verifier
	for _, k := range opts.Witnesses {
		w, err := NewCosignatureVerifier(k)
		if err != nil {
			return nil, err
		}
		ws = append(ws, w)
	}
	msg, err := src.LatestCheckpoint(ctx)
	if err != nil {
		return nil, fmt.Errorf("translog: fetch checkpoint: %w", err)
	}
	sc, err := OpenCheckpoint(msg, logV, ws...)
	if err != nil {
		return nil, err
	}
	prev, err := checkPrevious(ctx, src, st, logV, sc.Checkpoint)
	if err != nil {
		return nil, err
	}
	if err := verifyEntries(ctx, src, sc.Checkpoint, prev, opts.Progress); err != nil {
		return nil, err
	}
	if err := saveState(opts.StateFile, state{Key: key, Checkpoint: string(msg)}); err != nil {
		return nil, err
	}
	return &VerifyResult{Checkpoint: sc.Checkpoint, Key: key, FirstUse: firstUse, Previous: prev, Cosignatures: sc.Cosignatures}, nil
}

// page is one response of Source.Entries.
type page struct {
	entries []Entry
	covered int64
	err     error
}

// fetchPages reads entries [0, size) from src into the returned channel,
// one request ahead of the consumer, until done or ctx is cancelled.
func fetchPages(ctx context.Context, src Source, size int64) <-chan page {
	ch := make(chan page, 2)
	go func() {
		defer close(ch)
		for next := int64(0); next < size; {
			es, covered, err := src.Entries(ctx, next, size)
			if err == nil && (covered <= next || covered > size) {
				err = fmt.Errorf("translog: entries from %d: source covered up to %d: %w", next, covered, ErrMalformed)
			}
			select {
			case ch <- page{es, covered, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
			next = covered
		}
	}()
	return ch
}

// mismatch is an entry whose bytes do not hash to the leaf hash stored.
type mismatch struct {
	index            int64
	computed, stored tlog.Hash
}

// verifyEntries re-hashes entries [0, c.Size) into c's root and, on the
// way, checks the prefix of prev.Size against prev's root.
func verifyEntries(ctx context.Context, src Source, c Checkpoint, prev Checkpoint, progress func(done, total int64)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fr := newFrontier()
	var mismatches []mismatch
	nMismatch := 0
	var prevRoot tlog.Hash
	gap := int64(-1) // start of a run of missing entries
	for p := range fetchPages(ctx, src, c.Size) {
		if p.err != nil {
			return fmt.Errorf("translog: fetch entries from %d: %w", fr.size, p.err)
		}
		for _, e := range p.entries {
			if gap >= 0 {
				return fmt.Errorf("translog: %s missing from the log: %w", entryRange(gap, e.Index), ErrMissingEntry)
			}
			if e.Index != fr.size {
				if e.Index < fr.size {
					return fmt.Errorf("translog: entry %d served twice or out of order: %w", e.Index, ErrMalformed)
				}
				return fmt.Errorf("translog: %s missing from the log: %w", entryRange(fr.size, e.Index), ErrMissingEntry)
			}
			h := LeafHash(e.Leaf)
			if h != e.Hash {
				if nMismatch++; len(mismatches) < maxMismatches {
					mismatches = append(mismatches, mismatch{e.Index, h, e.Hash})
				}
			}
			if err := fr.add(h); err != nil {
				return fmt.Errorf("translog: hash entry %d: %w", e.Index, err)
			}
			if fr.size == prev.Size {
				r, err := fr.root()
				if err != nil {
					return fmt.Errorf("translog: root at %d: %w", fr.size, err)
				}
				prevRoot = r
			}
		}
		if gap < 0 && p.covered > fr.size {
			gap = fr.size
		}
		if progress != nil {
			progress(fr.size, c.Size)
		}
	}
	if gap >= 0 {
		return fmt.Errorf("translog: the newest %s gone (the checkpoint covers %d entries): %w", entryRange(gap, c.Size), c.Size, ErrTruncated)
	}
	if fr.size != c.Size {
		return fmt.Errorf("translog: fetched %d of %d entries: %w", fr.size, c.Size, ErrTruncated)
	}
	if err := classifyMismatches(mismatches, nMismatch); err != nil {
		return err
	}
	root, err := fr.root()
	if err != nil {
		return fmt.Errorf("translog: root: %w", err)
	}
	if prev.Size > 0 && prevRoot != prev.Hash {
		return fmt.Errorf("translog: the first %d entries no longer hash to the root %v of the checkpoint verified before (got %v): history was rewritten: %w",
			prev.Size, prev.Hash, prevRoot, ErrFork)
	}
	if root != c.Hash {
		return fmt.Errorf("translog: the %d entries hash to root %v, not the signed root %v: entries were altered, removed or reordered along with their stored hashes: %w",
			c.Size, root, c.Hash, ErrAlteredEntry)
	}
	return nil
}

// entryRange describes entries [lo, hi) for a message.
func entryRange(lo, hi int64) string {
	if hi-lo == 1 {
		return fmt.Sprintf("entry %d is", lo)
	}
	return fmt.Sprintf("entries %d to %d are", lo, hi-1)
}

// classifyMismatches turns entries whose bytes do not match their stored
// leaf hashes into an error: reordered if an entry's bytes hash to the
// leaf hash stored at another index, altered otherwise.
func classifyMismatches(ms []mismatch, total int) error {
	if len(ms) == 0 {
		return nil
	}
	storedAt := make(map[tlog.Hash]int64, len(ms))
	for _, m := range ms {
		storedAt[m.stored] = m.index
	}
	for _, m := range ms {
		if j, ok := storedAt[m.computed]; ok {
			return fmt.Errorf("translog: entry %d holds what the log recorded at index %d (%d entries out of place in all): %w",
				m.index, j, total, ErrReorderedEntries)
		}
	}
	m := ms[0]
	return fmt.Errorf("translog: entry %d was altered: its bytes hash to %v, the log recorded %v (%d altered entries in all): %w",
		m.index, m.computed, m.stored, total, ErrAlteredEntry)
}

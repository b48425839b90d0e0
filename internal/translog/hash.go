package translog

import (
	"context"
	"fmt"
	"sort"

	"golang.org/x/mod/sumdb/tlog"
)

// A HashReader reads the stored hashes of the tree, addressed by their
// stored hash index (tlog.StoredHashIndex). The SQL store satisfies it.
type HashReader interface {
	// ReadHashes returns the hashes at the given stored hash indexes, in the
	// order asked, one per index. It returns an error wrapping ErrNotFound
	// if one of them is not stored, or any storage error.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
}

// A StoredHash is one hash of the tree with its stored hash index, as a
// writer must persist it.
type StoredHash struct {
	Index int64
	Hash  tlog.Hash
}

// LeafHash returns the RFC 6962 leaf hash of leaf, the bytes of one entry.
func LeafHash(leaf []byte) tlog.Hash {
	return tlog.RecordHash(leaf)
}

// tlogReader adapts a HashReader to tlog.HashReader for one call.
type tlogReader struct {
	ctx context.Context
	r   HashReader
}

func (t tlogReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	hs, err := t.r.ReadHashes(t.ctx, indexes)
	if err != nil {
		return nil, err
	}
	if len(hs) != len(indexes) {
		return nil, fmt.Errorf("read %d hashes, got %d: %w", len(indexes), len(hs), ErrNotFound)
	}
	return hs, nil
}

// AppendHashes computes the hashes to store when leaves are appended to a
// tree of size hashes: the new leaf hashes and the interior hashes they
// complete, each with its stored hash index, in increasing index order. It
// only reads existing hashes from r (at most log2(size) per leaf); the caller
// writes the result in its own transaction, with the leaves at indexes size,
// size+1, ... It returns r's errors, wrapped.
func AppendHashes(ctx context.Context, r HashReader, size int64, leaves [][]byte) ([]StoredHash, error) {
	if size < 0 {
		return nil, fmt.Errorf("translog: append at negative size %d", size)
	}
	// Hashes produced by this batch are read from pending, the rest from r.
	pending := make(map[int64]tlog.Hash)
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		var miss []int64
		for _, ix := range indexes {
			if _, ok := pending[ix]; !ok {
				miss = append(miss, ix)
			}
		}
		var got []tlog.Hash
		if len(miss) > 0 {
			var err error
			got, err = tlogReader{ctx, r}.ReadHashes(miss)
			if err != nil {
				return nil, err
			}
		}
		j := 0
		for i, ix := range indexes {
			if h, ok := pending[ix]; ok {
				out[i] = h
				continue
			}
			out[i] = got[j]
			j++
		}
		return out, nil
	})
	var out []StoredHash
	for i, leaf := range leaves {
		n := size + int64(i)
		hs, err := tlog.StoredHashes(n, leaf, reader)
		if err != nil {
			return nil, fmt.Errorf("translog: append leaf %d: %w", n, err)
		}
		base := tlog.StoredHashIndex(0, n)
		for k, h := range hs {
			ix := base + int64(k)
			if i < len(leaves)-1 {
				pending[ix] = h
			}
			out = append(out, StoredHash{Index: ix, Hash: h})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out, nil
}

// TreeHash returns the root hash of the tree of the given size, reading at
// most 1+log2(size) stored hashes from r. It returns r's errors, wrapped.
func TreeHash(ctx context.Context, r HashReader, size int64) (tlog.Hash, error) {
	if size < 0 {
		return tlog.Hash{}, fmt.Errorf("translog: tree hash of negative size %d", size)
	}
	h, err := tlog.TreeHash(size, tlogReader{ctx, r})
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("translog: tree hash of size %d: %w", size, err)
	}
	return h, nil
}

// InclusionProof returns the proof that the leaf at index is in the tree of
// the given size, from stored hashes only (the tree is never recomputed). It
// returns an error for index outside [0, size) and r's errors, wrapped.
func InclusionProof(ctx context.Context, r HashReader, index, size int64) (tlog.RecordProof, error) {
	if index < 0 || index >= size {
		return nil, fmt.Errorf("translog: inclusion proof for index %d in size %d: index out of range", index, size)
	}
	p, err := tlog.ProveRecord(size, index, tlogReader{ctx, r})
	if err != nil {
		return nil, fmt.Errorf("translog: inclusion proof for index %d in size %d: %w", index, size, err)
	}
	return p, nil
}

// ConsistencyProof returns the proof that the tree of size from is a prefix
// of the tree of size to, from stored hashes only. It returns an error unless
// 1 <= from <= to, and r's errors, wrapped.
func ConsistencyProof(ctx context.Context, r HashReader, from, to int64) (tlog.TreeProof, error) {
	if from < 1 || from > to {
		return nil, fmt.Errorf("translog: consistency proof from %d to %d: need 1 <= from <= to", from, to)
	}
	p, err := tlog.ProveTree(to, from, tlogReader{ctx, r})
	if err != nil {
		return nil, fmt.Errorf("translog: consistency proof from %d to %d: %w", from, to, err)
	}
	return p, nil
}

// CheckInclusion checks that leaf is the entry at index in the tree of
// checkpoint c. It returns an error wrapping ErrAlteredEntry if the proof
// does not verify.
func CheckInclusion(p tlog.RecordProof, c Checkpoint, index int64, leaf []byte) error {
	if err := tlog.CheckRecord(p, c.Size, c.Hash, index, LeafHash(leaf)); err != nil {
		return fmt.Errorf("translog: entry %d is not in the tree of size %d: %v: %w", index, c.Size, err, ErrAlteredEntry)
	}
	return nil
}

// CheckConsistency checks that the tree of checkpoint old is a prefix of the
// tree of checkpoint latest, given the consistency proof p between them. It
// returns an error wrapping ErrTruncated if latest is smaller than old, and
// ErrFork if the two trees disagree.
func CheckConsistency(p tlog.TreeProof, old, latest Checkpoint) error {
	switch {
	case latest.Size < old.Size:
		return fmt.Errorf("translog: log shrank from size %d to %d: %w", old.Size, latest.Size, ErrTruncated)
	case old.Size == 0:
		return nil
	case latest.Size == old.Size:
		if latest.Hash != old.Hash {
			return fmt.Errorf("translog: two different trees of size %d (root %v, then %v): %w", old.Size, old.Hash, latest.Hash, ErrFork)
		}
		return nil
	}
	if err := tlog.CheckTree(p, latest.Size, latest.Hash, old.Size, old.Hash); err != nil {
		return fmt.Errorf("translog: tree of size %d (root %v) does not extend tree of size %d (root %v): %v: %w",
			latest.Size, latest.Hash, old.Size, old.Hash, err, ErrFork)
	}
	return nil
}

// frontier computes the root of a tree leaf by leaf while keeping only the
// roots of its maximal complete subtrees (at most 64 hashes), using tlog's
// own stored-hash arithmetic: the hashes tlog.StoredHashesForRecordHash and
// tlog.TreeHash read are exactly those roots.
type frontier struct {
	size   int64
	hashes map[int64]tlog.Hash
}

func newFrontier() *frontier {
	return &frontier{hashes: make(map[int64]tlog.Hash)}
}

// ReadHashes implements tlog.HashReader over the kept roots.
func (f *frontier) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, ix := range indexes {
		h, ok := f.hashes[ix]
		if !ok {
			return nil, fmt.Errorf("frontier: hash %d not kept", ix)
		}
		out[i] = h
	}
	return out, nil
}

// add appends a leaf with the given leaf hash.
func (f *frontier) add(h tlog.Hash) error {
	n := f.size
	hs, err := tlog.StoredHashesForRecordHash(n, h, f)
	if err != nil {
		return err
	}
	// The left siblings just merged are no longer roots of complete subtrees.
	for level := range len(hs) - 1 {
		delete(f.hashes, tlog.StoredHashIndex(level, n>>uint(level)-1))
	}
	top := len(hs) - 1
	f.hashes[tlog.StoredHashIndex(top, n>>uint(top))] = hs[top]
	f.size++
	return nil
}

// root returns the root hash of the tree so far.
func (f *frontier) root() (tlog.Hash, error) {
	return tlog.TreeHash(f.size, f)
}

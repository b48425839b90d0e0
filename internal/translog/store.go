package translog

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"
)

// An Entry is one leaf of the log: its index, the exact bytes that were
// hashed, and the leaf hash the log stored for that index.
type Entry struct {
	Index int64     `json:"index"`
	Leaf  []byte    `json:"leaf"`
	Hash  tlog.Hash `json:"hash"`
}

// A Store is what the server side reads: stored hashes, entries,
// checkpoints and cosignatures. The SQL store satisfies it; MemoryStore is an
// in-memory implementation. Methods return errors wrapping ErrNotFound for
// missing rows.
type Store interface {
	HashReader

	// ReadEntries returns the entries with index in [start, end) that
	// exist, in increasing index order, with Index and Leaf set (Hash is
	// filled in by the caller from the stored hashes). A missing entry is
	// left out, not an error.
	ReadEntries(ctx context.Context, start, end int64) ([]Entry, error)

	// LatestCheckpoint returns the newest signed checkpoint note (log
	// signature only), or an error wrapping ErrNotFound if none was signed.
	LatestCheckpoint(ctx context.Context) ([]byte, error)

	// ReadCheckpoint returns the signed checkpoint note of the given tree
	// size, or an error wrapping ErrNotFound.
	ReadCheckpoint(ctx context.Context, size int64) ([]byte, error)

	// ReadCheckpoints returns up to limit signed checkpoint notes whose
	// tree size is greater than since, in increasing size order.
	ReadCheckpoints(ctx context.Context, since int64, limit int) ([][]byte, error)

	// ReadCosignatures returns the cosignatures held for the checkpoint of
	// the given tree size (none is not an error).
	ReadCosignatures(ctx context.Context, size int64) ([]Cosignature, error)

	// AddCosignature stores c, replacing any cosignature by the same
	// witness key (Witness, KeyHash) for the same size. The caller has
	// verified it.
	AddCosignature(ctx context.Context, c Cosignature) error
}

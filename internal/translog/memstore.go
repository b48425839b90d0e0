package translog

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// MemoryStore is an in-memory Store and log writer, for tests and
// benchmarks. It is safe for concurrent use.
type MemoryStore struct {
	mu          sync.RWMutex
	hashes      []tlog.Hash // by stored hash index
	leaves      [][]byte
	checkpoints map[int64][]byte
	sizes       []int64 // checkpoint sizes, increasing
	cosigs      map[int64][]Cosignature
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{checkpoints: make(map[int64][]byte), cosigs: make(map[int64][]Cosignature)}
}

// Size returns the number of leaves appended.
func (m *MemoryStore) Size() int64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.leaves))
}

// Append appends leaves as the next entries and returns the new size. It
// returns AppendHashes's errors.
func (m *MemoryStore) Append(ctx context.Context, leaves ...[]byte) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	hs, err := AppendHashes(ctx, lockedReader{m}, int64(len(m.leaves)), leaves)
	if err != nil {
		return 0, err
	}
	for _, h := range hs {
		if h.Index != int64(len(m.hashes)) {
			return 0, fmt.Errorf("translog: memory store: hash index %d, want %d", h.Index, len(m.hashes))
		}
		m.hashes = append(m.hashes, h.Hash)
	}
	for _, l := range leaves {
		m.leaves = append(m.leaves, append([]byte(nil), l...))
	}
	return int64(len(m.leaves)), nil
}

// Sign signs a checkpoint of the current size with signer and stores it. It
// returns SignCheckpoint's errors.
func (m *MemoryStore) Sign(ctx context.Context, signer note.Signer) (Checkpoint, error) {
	msg, c, err := SignCheckpoint(ctx, m, m.Size(), signer)
	if err != nil {
		return Checkpoint{}, err
	}
	m.AddCheckpoint(c.Size, msg)
	return c, nil
}

// AddCheckpoint stores the signed checkpoint note msg of the given size,
// replacing any other of that size.
func (m *MemoryStore) AddCheckpoint(size int64, msg []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.checkpoints[size]; !ok {
		i := sort.Search(len(m.sizes), func(i int) bool { return m.sizes[i] >= size })
		m.sizes = append(m.sizes[:i], append([]int64{size}, m.sizes[i:]...)...)
	}
	m.checkpoints[size] = append([]byte(nil), msg...)
}

// lockedReader reads hashes while the caller holds m.mu.
type lockedReader struct{ m *MemoryStore }

func (r lockedReader) ReadHashes(_ context.Context, indexes []int64) ([]tlog.Hash, error) {
	return r.m.readHashes(indexes)
}

func (m *MemoryStore) readHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, ix := range indexes {
		if ix < 0 || ix >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("translog: memory store: hash %d: %w", ix, ErrNotFound)
		}
		out[i] = m.hashes[ix]
	}
	return out, nil
}

// ReadHashes implements HashReader.
func (m *MemoryStore) ReadHashes(_ context.Context, indexes []int64) ([]tlog.Hash, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.readHashes(indexes)
}

// ReadEntries implements Store.
func (m *MemoryStore) ReadEntries(_ context.Context, start, end int64) ([]Entry, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	start = max(start, 0)
	end = min(end, int64(len(m.leaves)))
	var out []Entry
	for i := start; i < end; i++ {
		out = append(out, Entry{Index: i, Leaf: m.leaves[i]})
	}
	return out, nil
}

// LatestCheckpoint implements Store.
func (m *MemoryStore) LatestCheckpoint(_ context.Context) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if len(m.sizes) == 0 {
		return nil, fmt.Errorf("translog: memory store: no checkpoint: %w", ErrNotFound)
	}
	return m.checkpoints[m.sizes[len(m.sizes)-1]], nil
}

// ReadCheckpoint implements Store.
func (m *MemoryStore) ReadCheckpoint(_ context.Context, size int64) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.checkpoints[size]
	if !ok {
		return nil, fmt.Errorf("translog: memory store: checkpoint of size %d: %w", size, ErrNotFound)
	}
	return c, nil
}

// ReadCheckpoints implements Store.
func (m *MemoryStore) ReadCheckpoints(_ context.Context, since int64, limit int) ([][]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	i := sort.Search(len(m.sizes), func(i int) bool { return m.sizes[i] > since })
	var out [][]byte
	for ; i < len(m.sizes) && len(out) < limit; i++ {
		out = append(out, m.checkpoints[m.sizes[i]])
	}
	return out, nil
}

// ReadCosignatures implements Store.
func (m *MemoryStore) ReadCosignatures(_ context.Context, size int64) ([]Cosignature, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return append([]Cosignature(nil), m.cosigs[size]...), nil
}

// AddCosignature implements Store.
func (m *MemoryStore) AddCosignature(_ context.Context, c Cosignature) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	list := m.cosigs[c.Size]
	for i, old := range list {
		if old.Witness == c.Witness && old.KeyHash == c.KeyHash {
			list[i] = c
			return nil
		}
	}
	m.cosigs[c.Size] = append(list, c)
	return nil
}

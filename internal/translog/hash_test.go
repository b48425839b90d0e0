package translog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/tlog"
)

// leaf returns the test leaf for index i.
func leaf(i int64) []byte { return fmt.Appendf(nil, "event %d", i) }

// refRoot is an independent RFC 6962 Merkle tree hash (section 2.1).
func refRoot(leaves [][]byte) tlog.Hash {
	if len(leaves) == 0 {
		return sha256.Sum256(nil)
	}
	if len(leaves) == 1 {
		return sha256.Sum256(append([]byte{0}, leaves[0]...))
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	l, r := refRoot(leaves[:k]), refRoot(leaves[k:])
	return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
}

func TestLeafHashRFC6962(t *testing.T) {
	// RFC 6962 test vector: the leaf hash of the empty leaf.
	want := "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
	h := LeafHash(nil)
	if got := hex.EncodeToString(h[:]); got != want {
		t.Errorf("LeafHash(empty) = %s, want %s", got, want)
	}
	if got := LeafHash([]byte("x")); got != tlog.RecordHash([]byte("x")) {
		t.Errorf("LeafHash differs from tlog.RecordHash")
	}
}

func TestAppendHashesMatchesTlog(t *testing.T) {
	ctx := context.Background()
	// Reference: one tlog.StoredHashes call per leaf.
	var want []tlog.Hash
	ref := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, x := range ix {
			out[i] = want[x]
		}
		return out, nil
	})
	const n = 300
	for i := range int64(n) {
		hs, err := tlog.StoredHashes(i, leaf(i), ref)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, hs...)
	}
	for _, batch := range []int{1, 2, 3, 7, 64, n} {
		t.Run(fmt.Sprintf("batch=%d", batch), func(t *testing.T) {
			m := NewMemoryStore()
			for i := 0; i < n; i += batch {
				var ls [][]byte
				for j := i; j < min(i+batch, n); j++ {
					ls = append(ls, leaf(int64(j)))
				}
				if _, err := m.Append(ctx, ls...); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(want, m.hashes); diff != "" {
				t.Errorf("stored hashes differ from tlog (-want +got):\n%s", diff)
			}
			if got := int64(len(m.hashes)); got != tlog.StoredHashCount(n) {
				t.Errorf("stored %d hashes, tlog.StoredHashCount = %d", got, tlog.StoredHashCount(n))
			}
		})
	}
}

func TestAppendHashesIndexes(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryStore()
	if _, err := m.Append(ctx, leaf(0), leaf(1), leaf(2)); err != nil {
		t.Fatal(err)
	}
	hs, err := AppendHashes(ctx, m, 3, [][]byte{leaf(3)})
	if err != nil {
		t.Fatal(err)
	}
	// Leaf 3 completes subtrees [2,4) and [0,4).
	var got []int64
	for _, h := range hs {
		got = append(got, h.Index)
	}
	base := tlog.StoredHashIndex(0, 3)
	if diff := cmp.Diff([]int64{base, base + 1, base + 2}, got); diff != "" {
		t.Errorf("indexes (-want +got):\n%s", diff)
	}
	if _, err := AppendHashes(ctx, m, 11, [][]byte{leaf(11)}); !errors.Is(err, ErrNotFound) {
		t.Errorf("append past the stored hashes: err = %v, want ErrNotFound", err)
	}
}

func TestTreeHashAndFrontier(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryStore()
	fr := newFrontier()
	var leaves [][]byte
	for n := int64(0); n <= 300; n++ {
		want := refRoot(leaves)
		got, err := TreeHash(ctx, m, n)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("TreeHash(%d) = %v, want %v", n, got, want)
		}
		fr2, err := fr.root()
		if err != nil {
			t.Fatal(err)
		}
		if fr2 != want {
			t.Fatalf("frontier root at %d = %v, want %v", n, fr2, want)
		}
		if len(fr.hashes) > 64 {
			t.Fatalf("frontier keeps %d hashes", len(fr.hashes))
		}
		l := leaf(n)
		leaves = append(leaves, l)
		if _, err := m.Append(ctx, l); err != nil {
			t.Fatal(err)
		}
		if err := fr.add(LeafHash(l)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestProofs(t *testing.T) {
	ctx := context.Background()
	m := NewMemoryStore()
	var cps []Checkpoint
	for n := int64(1); n <= 40; n++ {
		if _, err := m.Append(ctx, leaf(n-1)); err != nil {
			t.Fatal(err)
		}
		h, err := TreeHash(ctx, m, n)
		if err != nil {
			t.Fatal(err)
		}
		cps = append(cps, Checkpoint{Origin: "o", Size: n, Hash: h})
	}
	for _, c := range cps {
		for i := range c.Size {
			p, err := InclusionProof(ctx, m, i, c.Size)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckInclusion(p, c, i, leaf(i)); err != nil {
				t.Errorf("inclusion of %d in %d: %v", i, c.Size, err)
			}
			if err := CheckInclusion(p, c, i, []byte("forged")); !errors.Is(err, ErrAlteredEntry) {
				t.Errorf("forged leaf %d in %d: err = %v, want ErrAlteredEntry", i, c.Size, err)
			}
		}
		for _, old := range cps[:c.Size] {
			p, err := ConsistencyProof(ctx, m, old.Size, c.Size)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckConsistency(p, old, c); err != nil {
				t.Errorf("consistency %d -> %d: %v", old.Size, c.Size, err)
			}
			forked := old
			forked.Hash[0] ^= 1
			if err := CheckConsistency(p, forked, c); !errors.Is(err, ErrFork) {
				t.Errorf("forked %d -> %d: err = %v, want ErrFork", old.Size, c.Size, err)
			}
			if old.Size < c.Size {
				if err := CheckConsistency(nil, c, old); !errors.Is(err, ErrTruncated) {
					t.Errorf("shrink %d -> %d: err = %v, want ErrTruncated", c.Size, old.Size, err)
				}
			}
		}
	}
	for _, tc := range []struct {
		name        string
		index, size int64
	}{
		{"index at size", 5, 5},
		{"negative index", -1, 5},
		{"beyond stored", 3, 1000},
	} {
		if _, err := InclusionProof(ctx, m, tc.index, tc.size); err == nil {
			t.Errorf("%s: InclusionProof(%d, %d) succeeded", tc.name, tc.index, tc.size)
		}
	}
	if _, err := ConsistencyProof(ctx, m, 0, 5); err == nil {
		t.Errorf("ConsistencyProof(0, 5) succeeded")
	}
	if _, err := ConsistencyProof(ctx, m, 6, 5); err == nil {
		t.Errorf("ConsistencyProof(6, 5) succeeded")
	}
}

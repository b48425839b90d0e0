package translog

import (
	"context"
	"fmt"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// buildStore returns a MemoryStore of n leaves made by mk, computing the
// leaf hashes in parallel and the stored hashes with tlog directly.
func buildStore(tb testing.TB, n int64, mk func(int64) []byte, keepLeaves bool) *MemoryStore {
	tb.Helper()
	leafHashes := make([]tlog.Hash, n)
	var leaves [][]byte
	if keepLeaves {
		leaves = make([][]byte, n)
	}
	workers := int64(runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				l := mk(i)
				leafHashes[i] = LeafHash(l)
				if keepLeaves {
					leaves[i] = l
				}
			}
		})
	}
	wg.Wait()
	m := NewMemoryStore()
	m.hashes = make([]tlog.Hash, 0, tlog.StoredHashCount(n))
	r := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, x := range ix {
			out[i] = m.hashes[x]
		}
		return out, nil
	})
	for i := range n {
		hs, err := tlog.StoredHashesForRecordHash(i, leafHashes[i], r)
		if err != nil {
			tb.Fatal(err)
		}
		m.hashes = append(m.hashes, hs...)
	}
	m.leaves = leaves
	return m
}

// auditLeaf is a leaf of a realistic size (about 300 bytes).
func auditLeaf(i int64) []byte {
	return fmt.Appendf(nil, `bela-audit-v1 {"seq":%d,"at":"2025-01-02T03:04:05.123456Z","actor":"H(5d41402abc4b2a76b9719d911017c592)","role":"procurement_official","unit":"dinas-pu-kab-bogor","action":"order.approve","object":"order/%08d","before":{"status":"submitted"},"after":{"status":"approved"}}`, i, i)
}

func BenchmarkInclusionProof10M(b *testing.B) {
	ctx := context.Background()
	const n = 10_000_000
	m := buildStore(b, n, leaf, false)
	signer, v, vkey := testKey(b, testOrigin)
	msg, c, err := SignCheckpoint(ctx, m, n, signer)
	if err != nil {
		b.Fatal(err)
	}
	m.AddCheckpoint(n, msg)
	_ = v
	b.Run("store", func(b *testing.B) {
		i := int64(0)
		for b.Loop() {
			idx := (i * 7919) % n
			p, err := InclusionProof(ctx, m, idx, n)
			if err != nil {
				b.Fatal(err)
			}
			if err := CheckInclusion(p, c, idx, leaf(idx)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("http", func(b *testing.B) {
		srv, err := NewServer(m, ServerConfig{LogKey: vkey})
		if err != nil {
			b.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		defer hs.Close()
		client, err := NewClient(hs.URL, hs.Client())
		if err != nil {
			b.Fatal(err)
		}
		i := int64(0)
		for b.Loop() {
			idx := (i * 7919) % n
			p, err := client.InclusionProof(ctx, idx, n)
			if err != nil {
				b.Fatal(err)
			}
			if err := CheckInclusion(p, c, idx, leaf(idx)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkVerify1M(b *testing.B) {
	ctx := context.Background()
	const n = 1_000_000
	m := buildStore(b, n, auditLeaf, true)
	signer, _, vkey := testKey(b, testOrigin)
	if _, err := m.Sign(ctx, signer); err != nil {
		b.Fatal(err)
	}
	srv, err := NewServer(m, ServerConfig{LogKey: vkey})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	client, err := NewClient(hs.URL, hs.Client())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res, err := Verify(ctx, client, VerifyOptions{Key: vkey})
		if err != nil {
			b.Fatal(err)
		}
		if res.Checkpoint.Size != n {
			b.Fatalf("verified %d entries", res.Checkpoint.Size)
		}
	}
}

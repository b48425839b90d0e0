// Package blob stores uploaded files in the data directory, content-addressed by SHA-256, so a
// file is written once, never changes, and its name proves its content.
package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// Store is a directory of content-addressed files.
type Store struct{ dir string }

// Open returns the blob store under dir/blobs, creating it if needed.
func Open(dir string) (*Store, error) {
	d := filepath.Join(dir, "blobs")
	if err := os.MkdirAll(d, 0o750); err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	return &Store{dir: d}, nil
}

var validID = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ErrNotFound is returned for an unknown or malformed id.
var ErrNotFound = errors.New("blob not found")

func (s *Store) path(id string) string { return filepath.Join(s.dir, id[:2], id) }

// Put stores data and returns its id (hex SHA-256). Storing the same bytes again is a no-op.
// The file is written to a temporary name, synced and renamed, so a crash leaves no torn file.
func (s *Store) Put(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	id := hex.EncodeToString(sum[:])
	p := s.path(id)
	if _, err := os.Stat(p); err == nil {
		return id, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return "", fmt.Errorf("blob put: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("blob put: %w", err)
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("blob put: %w", err)
	}
	if err := os.Rename(f.Name(), p); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("blob put: %w", err)
	}
	return id, nil
}

// Get returns the bytes of blob id, or ErrNotFound.
func (s *Store) Get(id string) ([]byte, error) {
	if !validID.MatchString(id) {
		return nil, ErrNotFound
	}
	b, err := os.ReadFile(s.path(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blob get: %w", err)
	}
	return b, nil
}

// Open returns a reader for blob id, or ErrNotFound.
func (s *Store) Open(id string) (io.ReadSeekCloser, error) {
	if !validID.MatchString(id) {
		return nil, ErrNotFound
	}
	f, err := os.Open(s.path(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("blob open: %w", err)
	}
	return f, nil
}

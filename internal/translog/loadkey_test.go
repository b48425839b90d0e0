package translog

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestLoadKeyDoesNotCreate: LoadKey reads the key LoadOrCreateKey made, and never makes one.
func TestLoadKeyDoesNotCreate(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := LoadKey(dir, testOrigin); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing key: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("LoadKey created a key file: %v", err)
	}
	_, want, err := LoadOrCreateKey(dir, testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if _, got, err := LoadKey(dir, testOrigin); err != nil || got != want {
		t.Fatalf("LoadKey: %q %v, want %q", got, err, want)
	}
	if _, _, err := LoadKey(dir, "other.test"); !errors.Is(err, ErrWrongLog) {
		t.Fatalf("other name: %v", err)
	}
}

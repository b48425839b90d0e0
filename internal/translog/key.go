package translog

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// KeyFile is the name of the log's signer key file in the data directory.
const KeyFile = "translog.key"

// LoadOrCreateKey returns the log's note signer and its verifier key
// ("<name>+<hash>+<base64>", what `bela log key` prints), reading the signer
// key from dir/KeyFile, or creating it there with mode 0600 on first use.
// name is the key name and the checkpoint origin; it must not change. It
// returns an error wrapping ErrWrongLog if the stored key has another name,
// ErrMalformed for an invalid name or key file, and file system errors.
//
// Creating a key is right only for a log that has never been signed: the
// caller checks that first (a log's key must never change).
func LoadOrCreateKey(dir, name string) (note.Signer, string, error) {
	return loadKey(dir, name, true)
}

// LoadKey is LoadOrCreateKey without the creating: a missing key file is an
// error wrapping fs.ErrNotExist. It writes nothing.
func LoadKey(dir, name string) (note.Signer, string, error) {
	return loadKey(dir, name, false)
}

func loadKey(dir, name string, create bool) (note.Signer, string, error) {
	if !validKeyName(name) {
		return nil, "", fmt.Errorf("translog: log key name %q (no spaces or '+'): %w", name, ErrMalformed)
	}
	path := filepath.Join(dir, KeyFile)
	data, err := os.ReadFile(path)
	if create && errors.Is(err, fs.ErrNotExist) {
		skey, _, gerr := note.GenerateKey(rand.Reader, name)
		if gerr != nil {
			return nil, "", fmt.Errorf("translog: generate log key: %w", gerr)
		}
		if err := writeNewFile(path, []byte(skey+"\n")); err != nil {
			if !errors.Is(err, fs.ErrExist) {
				return nil, "", err
			}
			// Created concurrently by another process: use theirs.
		}
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, "", fmt.Errorf("translog: read log key: %w", err)
	}
	skey := strings.TrimSpace(string(data))
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, "", fmt.Errorf("translog: log key %s: %v: %w", path, err, ErrMalformed)
	}
	if signer.Name() != name {
		return nil, "", fmt.Errorf("translog: log key %s is named %q, not %q: %w", path, signer.Name(), name, ErrWrongLog)
	}
	// The signer key is PRIVATE+KEY+name+hash+base64(0x01 || seed).
	parts := strings.SplitN(skey, "+", 5)
	raw, err := base64.StdEncoding.DecodeString(parts[len(parts)-1])
	if err != nil || len(raw) != 1+ed25519.SeedSize {
		return nil, "", fmt.Errorf("translog: log key %s: %w", path, ErrMalformed)
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		return nil, "", fmt.Errorf("translog: log verifier key: %w", err)
	}
	return signer, vkey, nil
}

// LoadOrCreateWitnessKey returns the witness cosigner whose secret key is in
// file, creating the file with mode 0600 and a new key named name on first
// use. An empty name accepts whatever key the file holds (and cannot create
// one). It returns an error wrapping ErrWrongLog if the stored key has
// another name, ErrMalformed for an invalid name or key, and file system
// errors.
func LoadOrCreateWitnessKey(file, name string, now func() time.Time) (*Cosigner, error) {
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) && name != "" {
		skey, _, gerr := GenerateWitnessKey(rand.Reader, name)
		if gerr != nil {
			return nil, gerr
		}
		if err := writeNewFile(file, []byte(skey+"\n")); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, fmt.Errorf("translog: read witness key: %w", err)
	}
	c, err := NewCosigner(strings.TrimSpace(string(data)), now)
	if err != nil {
		return nil, fmt.Errorf("translog: witness key %s: %w", file, err)
	}
	if name != "" && c.Name() != name {
		return nil, fmt.Errorf("translog: witness key %s is named %q, not %q: %w", file, c.Name(), name, ErrWrongLog)
	}
	return c, nil
}

// writeNewFile creates path with mode 0600 and writes data, failing with an
// error wrapping fs.ErrExist if it exists.
func writeNewFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("translog: create key file: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("translog: write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("translog: write key file: %w", err)
	}
	return nil
}

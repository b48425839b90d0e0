package translog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// state is what a verifier or witness remembers between runs: the log key
// it trusts and the last checkpoint it verified (or cosigned).
type state struct {
	Key        string `json:"key"`
	Checkpoint string `json:"checkpoint,omitempty"`
}

// loadState reads the state file; a missing file (or empty name) is an
// empty state.
func loadState(file string) (state, error) {
	var st state
	if file == "" {
		return st, nil
	}
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("translog: read state: %w", err)
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("translog: state file %s: %v: %w", file, err, ErrMalformed)
	}
	return st, nil
}

// saveState writes the state file atomically (temporary file and rename).
func saveState(file string, st state) error {
	if file == "" {
		return nil
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("translog: encode state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
	if err != nil {
		return fmt.Errorf("translog: write state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("translog: write state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("translog: write state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("translog: write state: %w", err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("translog: write state: %w", err)
	}
	return nil
}

// keySource is implemented by sources that announce the log key (Client).
type keySource interface {
	Key(ctx context.Context) (string, error)
}

// trustedKey picks the log key: the pinned one, else the state's, else the
// one src announces (trust on first use). It returns the key, whether it
// was trusted on first use, and ErrWrongLog if pinned and stored disagree.
func trustedKey(ctx context.Context, pinned string, st state, src any) (string, bool, error) {
	switch {
	case pinned != "" && st.Key != "" && pinned != st.Key:
		return "", false, fmt.Errorf("translog: key %s differs from key %s recorded in the state file: %w", pinned, st.Key, ErrWrongLog)
	case pinned != "":
		return pinned, false, nil
	case st.Key != "":
		return st.Key, false, nil
	}
	ks, ok := src.(keySource)
	if !ok {
		return "", false, fmt.Errorf("translog: no log key given and none recorded in a state file")
	}
	k, err := ks.Key(ctx)
	if err != nil {
		return "", false, err
	}
	return k, true, nil
}

// consistencySource gives consistency proofs.
type consistencySource interface {
	ConsistencyProof(ctx context.Context, from, to int64) (tlog.TreeProof, error)
}

// checkPrevious opens the state's checkpoint (if any) and checks that
// latest is consistent with it. It returns the previous checkpoint (zero
// if none) and errors wrapping ErrTruncated or ErrFork.
func checkPrevious(ctx context.Context, src consistencySource, st state, logV note.Verifier, latest Checkpoint) (Checkpoint, error) {
	if st.Checkpoint == "" {
		return Checkpoint{}, nil
	}
	old, err := OpenCheckpoint([]byte(st.Checkpoint), logV)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("translog: checkpoint in state file: %w", err)
	}
	var p tlog.TreeProof
	if old.Size > 0 && old.Size < latest.Size {
		p, err = src.ConsistencyProof(ctx, old.Size, latest.Size)
		if err != nil {
			return Checkpoint{}, fmt.Errorf("translog: consistency proof from %d to %d: %w", old.Size, latest.Size, err)
		}
	}
	if err := CheckConsistency(p, old.Checkpoint, latest); err != nil {
		return Checkpoint{}, err
	}
	return old.Checkpoint, nil
}

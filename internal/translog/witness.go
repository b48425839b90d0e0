package translog

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// A WitnessLog is the log as a witness sees it; Client implements it.
type WitnessLog interface {
	// LatestCheckpoint returns the newest signed checkpoint note.
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// ConsistencyProof returns the proof that the tree of size from is a
	// prefix of the tree of size to.
	ConsistencyProof(ctx context.Context, from, to int64) (tlog.TreeProof, error)
	// AddCosignature hands the log a checkpoint note cosigned by the
	// witness.
	AddCosignature(ctx context.Context, msg []byte) error
}

// WitnessOptions configures Witness.
type WitnessOptions struct {
	// Cosigner is the witness's key (see LoadOrCreateWitnessKey).
	Cosigner *Cosigner
	// LogKey is the log's verifier key, pinned. If empty, the key recorded
	// in the state file is used, or else the one the log announces (trust
	// on first use), which is then recorded.
	LogKey string
	// StateFile remembers the log key and the last checkpoint cosigned.
	// Required: a witness without memory cannot detect a fork.
	StateFile string
}

// WitnessResult describes a cosigned checkpoint.
type WitnessResult struct {
	// Checkpoint is the checkpoint cosigned.
	Checkpoint Checkpoint
	// Previous is the checkpoint cosigned before (Size 0 if none).
	Previous Checkpoint
	// Cosigned is the checkpoint note with the log's signature and the
	// witness's cosignature, as posted.
	Cosigned []byte
	// FirstUse reports that the log key was trusted on first use.
	FirstUse bool
}

// Witness fetches the log's newest checkpoint, verifies the log's
// signature, checks that it is consistent with the last checkpoint this
// witness cosigned (from the state file), records it in the state file, and
// posts its cosignature to the log. It refuses a checkpoint that is not
// consistent and cosigns nothing then.
//
// Errors wrap ErrFork (the log shows a tree that does not extend the one
// cosigned before), ErrTruncated (the log shrank), ErrBadSignature,
// ErrWrongLog, ErrMalformed, or transport and file errors; a failed post
// leaves the state recorded, so the next run cosigns again.
func Witness(ctx context.Context, log WitnessLog, opts WitnessOptions) (*WitnessResult, error) {
	if opts.Cosigner == nil {
		return nil, fmt.Errorf("translog: witness: no cosigner key")
	}
	if opts.StateFile == "" {
		return nil, fmt.Errorf("translog: witness: no state file")
	}
	st, err := loadState(opts.StateFile)
	if err != nil {
		return nil, err
	}
	key, firstUse, err := trustedKey(ctx, opts.LogKey, st, log)
	if err != nil {
		return nil, err
	}
	logV, err := note.NewVerifier(key)
	if err != nil {
		return nil, fmt.Errorf("translog: log key %q: %v: %w", key, err, ErrMalformed)
	}
	msg, err := log.LatestCheckpoint(ctx)
	if err != nil {
		return nil, fmt.Errorf("translog: fetch checkpoint: %w", err)
	}
	sc, err := OpenCheckpoint(msg, logV)
	if err != nil {
		return nil, err
	}
	prev, err := checkPrevious(ctx, log, st, logV, sc.Checkpoint)
	if err != nil {
		return nil, fmt.Errorf("translog: witness refuses to cosign: %w", err)
	}
	logSigned, err := sc.LogSigned(logV)
	if err != nil {
		return nil, err
	}
	n, err := note.Open(logSigned, note.VerifierList(logV))
	if err != nil {
		return nil, fmt.Errorf("translog: reopen checkpoint: %v: %w", err, ErrMalformed)
	}
	cosigned, err := note.Sign(n, opts.Cosigner)
	if err != nil {
		return nil, fmt.Errorf("translog: cosign: %w", err)
	}
	// Remember before the cosignature leaves: never cosign two branches.
	if err := saveState(opts.StateFile, state{Key: key, Checkpoint: string(logSigned)}); err != nil {
		return nil, err
	}
	if err := log.AddCosignature(ctx, cosigned); err != nil {
		return nil, fmt.Errorf("translog: post cosignature: %w", err)
	}
	return &WitnessResult{Checkpoint: sc.Checkpoint, Previous: prev, Cosigned: cosigned, FirstUse: firstUse}, nil
}

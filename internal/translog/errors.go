package translog

import "errors"

// Errors reported by this package. They are wrapped with a precise message;
// test for them with errors.Is.
var (
	// ErrNotFound reports that a checkpoint, entry or hash does not exist.
	// A Store returns it (possibly wrapped) for missing rows.
	ErrNotFound = errors.New("not found")

	// ErrMalformed reports text or a response that does not parse.
	ErrMalformed = errors.New("malformed")

	// ErrBadSignature reports a checkpoint whose log signature is missing or
	// invalid, or a cosignature that does not verify.
	ErrBadSignature = errors.New("bad signature")

	// ErrWrongLog reports a checkpoint or key that belongs to another log
	// (origin or key differs from the one pinned).
	ErrWrongLog = errors.New("wrong log")

	// ErrFork reports a checkpoint that is not consistent with one seen
	// before: the log's history was rewritten or two different trees were
	// shown.
	ErrFork = errors.New("fork: inconsistent checkpoints")

	// ErrTruncated reports a log that shrank, or whose newest entries are gone.
	ErrTruncated = errors.New("log truncated")

	// ErrMissingEntry reports an entry that the tree covers but the log no
	// longer serves.
	ErrMissingEntry = errors.New("missing entry")

	// ErrAlteredEntry reports an entry whose bytes do not hash to what the
	// tree recorded.
	ErrAlteredEntry = errors.New("altered entry")

	// ErrReorderedEntries reports entries served at indexes other than the
	// ones the tree recorded them at.
	ErrReorderedEntries = errors.New("reordered entries")

	// ErrMissingCosignature reports a checkpoint that lacks a required
	// witness cosignature.
	ErrMissingCosignature = errors.New("missing cosignature")
)

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"bela/internal/translog"
)

// The transparency log's storage. Audit events are written by Tx.Audit in their use case's
// transaction and nothing else: no counter row, so concurrent use cases never wait for each
// other. The sequencer (SequenceLog, run by the leader every second) then gives committed events
// their leaf indexes in one transaction of its own, with their stored hashes; after a crash it
// simply picks up the events that are not in log_leaves yet, so the log and the audit table
// always come to agree. SignCheckpoint signs the tree as it grew. LogStore serves the result
// through translog.Store.

// sequenceWindow is how far behind the newest sequenced event SequenceLog looks for events
// committed late. On PostgreSQL a transaction may take audit seq N and commit after N+1; such an
// event is found as long as fewer than sequenceWindow newer events were sequenced meanwhile.
// SequenceLogAll looks at every event.
const sequenceWindow = 10000

// insertChunk is the number of rows per multi-row INSERT (parameter limits of both engines).
const insertChunk = 500

// SequenceLog appends up to max committed audit events that are not in the transparency log
// yet, oldest seq first, as the next leaves, with the tree hashes they complete, in one
// transaction. It returns how many it appended. Only one sequencer should run (the leader); if
// another appended at the same time, this one rolls back and returns 0 without an error. It
// returns an error when the log tables disagree with each other (they were altered) and
// database errors, wrapped.
func (s *Store) SequenceLog(ctx context.Context, max int) (int, error) {
	return s.sequenceLog(ctx, max, true)
}

// SequenceLogAll is SequenceLog looking at every audit event rather than only recent ones, for a
// periodic sweep that catches an event whose transaction committed very late.
func (s *Store) SequenceLogAll(ctx context.Context, max int) (int, error) {
	return s.sequenceLog(ctx, max, false)
}

func (s *Store) sequenceLog(ctx context.Context, limit int, windowed bool) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	// Read and hash before the write transaction: only the sequencer writes the log tables, so
	// what it read is still current if the size is unchanged inside the transaction, and the
	// short write keeps use cases (SQLite has a single writer) waiting as little as possible.
	size, lastSeq, err := leafCount(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("sequence log: %w", err)
	}
	from := int64(0)
	if windowed {
		from = max(lastSeq-sequenceWindow, 0)
	}
	seqs, leaves, err := pendingEvents(ctx, s.db, from, limit)
	if err != nil || len(leaves) == 0 {
		return 0, err
	}
	hashes, err := translog.AppendHashes(ctx, hashReader{s.db}, size, leaves)
	if err != nil {
		return 0, fmt.Errorf("sequence log at size %d: %w", size, err)
	}
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("sequence log: begin: %w", err)
	}
	defer release()
	defer tx.Rollback()
	now, _, err := leafCount(ctx, tx)
	if err != nil {
		return 0, fmt.Errorf("sequence log: %w", err)
	}
	if now != size {
		return 0, nil // another sequencer moved the log on meanwhile
	}
	err = insertLeaves(ctx, tx, size, seqs, leaves)
	if err == nil {
		err = insertHashes(ctx, tx, hashes)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		tx.Rollback()
		if isUniqueViolation(err) {
			// Another sequencer moved the log on: tolerated. Unchanged size means the rows
			// collided with leftovers of altered log tables instead, which must be reported.
			now, _, cerr := leafCount(ctx, s.db)
			if cerr == nil && now != size {
				return 0, nil
			}
			return 0, fmt.Errorf("sequence log at size %d: rows for the new leaves already exist (log tables altered?): %w", size, err)
		}
		return 0, fmt.Errorf("sequence log at size %d: %w", size, err)
	}
	return len(leaves), nil
}

// pendingEvents returns up to limit committed audit events after seq from that have no leaf,
// in seq order: their seqs and canonical bytes.
func pendingEvents(ctx context.Context, q querier, from int64, limit int) ([]int64, [][]byte, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.seq, a.canonical FROM audit_events a
		WHERE a.seq > $1 AND NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_seq = a.seq)
		ORDER BY a.seq LIMIT $2`, from, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("sequence log: pending events: %w", err)
	}
	defer rows.Close()
	var seqs []int64
	var leaves [][]byte
	for rows.Next() {
		var seq int64
		var leaf []byte
		if err := rows.Scan(&seq, &leaf); err != nil {
			return nil, nil, fmt.Errorf("sequence log: pending events: %w", err)
		}
		seqs = append(seqs, seq)
		leaves = append(leaves, leaf)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("sequence log: pending events: %w", err)
	}
	return seqs, leaves, nil
}

// leafCount returns the number of leaves (one past the highest leaf index) and the highest
// event seq sequenced.
func leafCount(ctx context.Context, q querier) (size, lastSeq int64, err error) {
	// Two subqueries, not two aggregates in one: SQLite answers a lone MAX from the index but
	// scans the table for a pair.
	err = q.QueryRowContext(ctx, `SELECT COALESCE((SELECT MAX(leaf_index) FROM log_leaves) + 1, 0),
		COALESCE((SELECT MAX(event_seq) FROM log_leaves), 0)`).Scan(&size, &lastSeq)
	if err != nil {
		return 0, 0, fmt.Errorf("log size: %w", err)
	}
	return size, lastSeq, nil
}

func insertLeaves(ctx context.Context, tx *sql.Tx, size int64, seqs []int64, leaves [][]byte) error {
	for lo := 0; lo < len(seqs); lo += insertChunk {
		hi := min(lo+insertChunk, len(seqs))
		var b strings.Builder
		b.WriteString(`INSERT INTO log_leaves (leaf_index, event_seq, hash) VALUES `)
		args := make([]any, 0, 3*(hi-lo))
		for i := lo; i < hi; i++ {
			if i > lo {
				b.WriteByte(',')
			}
			n := len(args)
			fmt.Fprintf(&b, "($%d, $%d, $%d)", n+1, n+2, n+3)
			h := translog.LeafHash(leaves[i])
			args = append(args, size+int64(i), seqs[i], h[:])
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert leaves: %w", err)
		}
	}
	return nil
}

func insertHashes(ctx context.Context, tx *sql.Tx, hashes []translog.StoredHash) error {
	for lo := 0; lo < len(hashes); lo += insertChunk {
		hi := min(lo+insertChunk, len(hashes))
		var b strings.Builder
		b.WriteString(`INSERT INTO log_hashes (idx, hash) VALUES `)
		args := make([]any, 0, 2*(hi-lo))
		for i := lo; i < hi; i++ {
			if i > lo {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "($%d, $%d)", len(args)+1, len(args)+2)
			h := hashes[i].Hash
			args = append(args, hashes[i].Index, h[:])
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert hashes: %w", err)
		}
	}
	return nil
}

// LogSize returns the number of leaves in the transparency log and the number of committed
// audit events not sequenced yet.
func (s *Store) LogSize(ctx context.Context) (size, pending int64, err error) {
	size, _, err = leafCount(ctx, s.db)
	if err != nil {
		return 0, 0, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events a WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_seq = a.seq)`).Scan(&pending)
	if err != nil {
		return 0, 0, fmt.Errorf("log pending events: %w", err)
	}
	return size, pending, nil
}

// SignCheckpoint signs a checkpoint of the log's current size with signer and stores it, when
// the log grew since the latest checkpoint or none exists. It returns the checkpoint and whether
// it is new; an unchanged log returns the latest checkpoint's size and false. It returns an
// error when the log has fewer leaves than the latest checkpoint covers (leaves were removed),
// and database and signing errors, wrapped.
func (s *Store) SignCheckpoint(ctx context.Context, signer note.Signer) (translog.Checkpoint, bool, error) {
	size, _, err := leafCount(ctx, s.db)
	if err != nil {
		return translog.Checkpoint{}, false, fmt.Errorf("sign checkpoint: %w", err)
	}
	var latest sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(size) FROM log_checkpoints`).Scan(&latest); err != nil {
		return translog.Checkpoint{}, false, fmt.Errorf("sign checkpoint: latest: %w", err)
	}
	if err := checkSigner(ctx, s.db, signer); err != nil {
		return translog.Checkpoint{}, false, fmt.Errorf("sign checkpoint: %w", err)
	}
	switch {
	case latest.Valid && size == latest.Int64:
		return translog.Checkpoint{Origin: signer.Name(), Size: size}, false, nil
	case latest.Valid && size < latest.Int64:
		return translog.Checkpoint{}, false, fmt.Errorf("sign checkpoint: the log has %d leaves but a checkpoint of size %d was signed: leaves were removed", size, latest.Int64)
	}
	msg, c, err := translog.SignCheckpoint(ctx, hashReader{s.db}, size, signer)
	if err != nil {
		return translog.Checkpoint{}, false, fmt.Errorf("sign checkpoint: %w", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO log_checkpoints (size, note, created_at) VALUES ($1, $2, $3)`, size, string(msg), micros(s.Now()))
	if isUniqueViolation(err) {
		return c, false, nil // signed concurrently by another server
	}
	if err != nil {
		return translog.Checkpoint{}, false, fmt.Errorf("sign checkpoint: store: %w", err)
	}
	return c, true, nil
}

// LogKeys are the keys the running server announces: the log's verifier key and the witness
// keys whose cosignatures it accepts.
type LogKeys struct {
	Log       string
	Witnesses []string
}

// LogKeyError says that a log key is not the one the transparency log is signed with. The log's
// key is fixed by the first server that records it (SetLogKeys, ClaimLogKey) or signs a
// checkpoint, and never changes: a checkpoint signed with another key makes every verifier
// reject the log.
type LogKeyError struct {
	// Recorded is the log's verifier key as recorded in the database; empty if none was.
	Recorded string
	// SignedBy names the key of the latest checkpoint's signature ("name+hash", hash in hex);
	// empty if no checkpoint was signed.
	SignedBy string
	// Size is the latest checkpoint's size (when SignedBy is set).
	Size int64
	// Given is the verifier key offered; empty when there is none (a missing key file).
	Given string
}

// Key is the best description of the log's key: the recorded verifier key, else the latest
// checkpoint's signing key.
func (e *LogKeyError) Key() string {
	if e.Recorded != "" {
		return e.Recorded
	}
	return e.SignedBy
}

func (e *LogKeyError) Error() string {
	signed := ""
	if e.SignedBy != "" {
		signed = fmt.Sprintf(" (latest checkpoint: size %d, signed by %s)", e.Size, e.SignedBy)
	}
	if e.Given == "" {
		return fmt.Sprintf("the transparency log is signed with key %s%s, and no key for it was given", e.Key(), signed)
	}
	return fmt.Sprintf("the transparency log is signed with key %s%s, not with %s", e.Key(), signed, e.Given)
}

// CheckLogKey reports whether vkey may sign the log's checkpoints: it must be the log key
// recorded in the database, if any, and must have signed the latest checkpoint, if any. An
// empty vkey (no key at hand) passes only for a log with neither, which may get a new key.
// It returns a *LogKeyError when vkey does not fit, and database errors, wrapped. It only reads.
func (s *Store) CheckLogKey(ctx context.Context, vkey string) error {
	_, err := checkLogKey(ctx, s.db, vkey)
	return err
}

// ClaimLogKey records vkey as the log's key after the checks of CheckLogKey, so that a server
// with another key cannot sign checkpoints of this log: two servers claiming different keys at
// once, one wins and the other gets a *LogKeyError. Claiming the recorded key again is a no-op.
func (s *Store) ClaimLogKey(ctx context.Context, vkey string) error {
	return s.updateLogKeys(ctx, vkey, nil, false)
}

// SetLogKeys claims k.Log as the log's key (see ClaimLogKey: it fails with a *LogKeyError if
// another is recorded or signed the latest checkpoint) and records the witness keys the
// server accepts, replacing those recorded before. serve calls it at start. It returns
// database errors, wrapped.
func (s *Store) SetLogKeys(ctx context.Context, k LogKeys) error {
	return s.updateLogKeys(ctx, k.Log, k.Witnesses, true)
}

func (s *Store) updateLogKeys(ctx context.Context, vkey string, witnesses []string, setWitnesses bool) error {
	// On PostgreSQL, serializable: two servers that both find no key recorded and each record
	// their own conflict, and the loser, retried, finds the winner's key. SQLite's write
	// transactions run one at a time anyway.
	var opts *sql.TxOptions
	if s.dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelSerializable}
	}
	var err error
	for i := range 10 {
		err = s.updateLogKeysOnce(ctx, opts, vkey, witnesses, setWitnesses)
		if !isSerializationFailure(err) {
			break
		}
		time.Sleep(time.Duration(i+1) * 5 * time.Millisecond)
	}
	if err != nil {
		var ke *LogKeyError
		if errors.As(err, &ke) {
			return err
		}
		return fmt.Errorf("set log keys: %w", err)
	}
	return nil
}

func (s *Store) updateLogKeysOnce(ctx context.Context, opts *sql.TxOptions, vkey string, witnesses []string, setWitnesses bool) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := micros(s.Now())
	add := func(kind, vkey string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO log_keys (kind, vkey, updated_at) VALUES ($1, $2, $3) ON CONFLICT (kind, vkey) DO NOTHING`, kind, vkey, now)
		return err
	}
	if vkey != "" {
		recorded, err := checkLogKey(ctx, tx, vkey)
		if err != nil {
			return err
		}
		if recorded == "" {
			// None recorded, or several (from before keys were fixed) of which vkey passed.
			if _, err := tx.ExecContext(ctx, `DELETE FROM log_keys WHERE kind = 'log'`); err != nil {
				return err
			}
			if err := add("log", vkey); err != nil {
				return err
			}
		}
	}
	if setWitnesses {
		if _, err := tx.ExecContext(ctx, `DELETE FROM log_keys WHERE kind = 'witness'`); err != nil {
			return err
		}
		for _, w := range witnesses {
			if err := add("witness", w); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

// isSerializationFailure reports a PostgreSQL serialization failure (SQLSTATE 40001), after
// which the transaction may be retried.
func isSerializationFailure(err error) bool {
	return err != nil && containsAny(err.Error(), "SQLSTATE 40001", "could not serialize")
}

// checkLogKey is CheckLogKey through q; it returns the recorded log key ("" if none).
func checkLogKey(ctx context.Context, q querier, vkey string) (string, error) {
	var keys []string
	rows, err := q.QueryContext(ctx, `SELECT vkey FROM log_keys WHERE kind = 'log' ORDER BY vkey`)
	if err != nil {
		return "", fmt.Errorf("log key: %w", err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return "", fmt.Errorf("log key: %w", err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("log key: %w", err)
	}
	var latest string
	var size int64
	err = q.QueryRowContext(ctx, `SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&size, &latest)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("log key: latest checkpoint: %w", err)
	}
	ke := &LogKeyError{Given: vkey, Size: size}
	if len(keys) > 0 {
		ke.Recorded = keys[0]
	}
	if latest != "" {
		ke.SignedBy = noteSigner([]byte(latest))
	}
	recorded := ""
	switch {
	case vkey == "":
		if len(keys) == 0 && latest == "" {
			return "", nil
		}
		return "", ke
	case len(keys) > 1 || len(keys) == 1 && keys[0] != vkey:
		// (Several recorded keys: servers with different keys swapped them before the key was
		// fixed; only the one that signed the latest checkpoint may go on.)
		if !slices.Contains(keys, vkey) {
			return "", ke
		}
		ke.Recorded = ""
	case len(keys) == 1:
		recorded = vkey
	}
	if latest != "" {
		v, err := note.NewVerifier(vkey)
		if err != nil {
			return "", fmt.Errorf("log key %q: %v: %w", vkey, err, translog.ErrMalformed)
		}
		if _, err := translog.OpenCheckpoint([]byte(latest), v); err != nil {
			return "", ke
		}
	}
	return recorded, nil
}

// checkSigner makes sure signer holds the log's key: the recorded one, if any, and the one that
// signed the latest checkpoint, if any (by key name and hash; startup checks the signature).
func checkSigner(ctx context.Context, q querier, signer note.Signer) error {
	name := fmt.Sprintf("%s+%08x", signer.Name(), signer.KeyHash())
	rows, err := q.QueryContext(ctx, `SELECT vkey FROM log_keys WHERE kind = 'log' ORDER BY vkey`)
	if err != nil {
		return fmt.Errorf("log key: %w", err)
	}
	ke := &LogKeyError{Given: name}
	ok := true
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return fmt.Errorf("log key: %w", err)
		}
		if v, err := note.NewVerifier(k); err == nil && v.Name() == signer.Name() && v.KeyHash() == signer.KeyHash() {
			ok = true
			break
		}
		ke.Recorded, ok = k, false
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("log key: %w", err)
	}
	var latest string
	err = q.QueryRowContext(ctx, `SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&ke.Size, &latest)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("log key: latest checkpoint: %w", err)
	}
	if latest != "" {
		ke.SignedBy = noteSigner([]byte(latest))
		ok = ok && ke.SignedBy == name
	}
	if !ok {
		return ke
	}
	return nil
}

// noteSigner names the key of a signed note's first signature, "name+hash" with the key hash
// in hex, or "(unsigned)".
func noteSigner(msg []byte) string {
	_, err := note.Open(msg, note.VerifierList())
	var unv *note.UnverifiedNoteError
	if errors.As(err, &unv) && len(unv.Note.UnverifiedSigs) > 0 {
		sig := unv.Note.UnverifiedSigs[0]
		return fmt.Sprintf("%s+%08x", sig.Name, sig.Hash)
	}
	return "(unsigned)"
}

// GetLogKeys returns the keys recorded by SetLogKeys (empty before the first serve). It
// returns database errors, wrapped.
func (s *Store) GetLogKeys(ctx context.Context) (LogKeys, error) {
	var k LogKeys
	rows, err := s.db.QueryContext(ctx, `SELECT kind, vkey FROM log_keys ORDER BY kind, vkey`)
	if err != nil {
		return k, fmt.Errorf("log keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, vkey string
		if err := rows.Scan(&kind, &vkey); err != nil {
			return k, fmt.Errorf("log keys: %w", err)
		}
		switch kind {
		case "log":
			k.Log = vkey
		case "witness":
			k.Witnesses = append(k.Witnesses, vkey)
		}
	}
	if err := rows.Err(); err != nil {
		return k, fmt.Errorf("log keys: %w", err)
	}
	return k, nil
}

// LogLeafIndexes returns the leaf index of each audit event seq that has been sequenced (the
// others are absent from the map), so pages can link events to their inclusion proofs. It
// returns database errors, wrapped.
func (s *Store) LogLeafIndexes(ctx context.Context, seqs []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(seqs))
	for lo := 0; lo < len(seqs); lo += insertChunk {
		chunk := seqs[lo:min(lo+insertChunk, len(seqs))]
		q, args := inList(`SELECT event_seq, leaf_index FROM log_leaves WHERE event_seq IN `, chunk)
		rows, err := s.q(ctx).QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("log leaf indexes: %w", err)
		}
		for rows.Next() {
			var seq, ix int64
			if err := rows.Scan(&seq, &ix); err != nil {
				rows.Close()
				return nil, fmt.Errorf("log leaf indexes: %w", err)
			}
			out[seq] = ix
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("log leaf indexes: %w", err)
		}
	}
	return out, nil
}

// inList appends "($1, $2, ...)" for vals to prefix.
func inList(prefix string, vals []int64) (string, []any) {
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte('(')
	args := make([]any, len(vals))
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", i+1)
		args[i] = v
	}
	b.WriteByte(')')
	return b.String(), args
}

// hashReader reads stored tree hashes through a database handle or a transaction.
type hashReader struct{ q querier }

// ReadHashes implements translog.HashReader.
func (r hashReader) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	found := make(map[int64]tlog.Hash, len(indexes))
	for lo := 0; lo < len(indexes); lo += insertChunk {
		q, args := inList(`SELECT idx, hash FROM log_hashes WHERE idx IN `, indexes[lo:min(lo+insertChunk, len(indexes))])
		rows, err := r.q.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("read log hashes: %w", err)
		}
		for rows.Next() {
			var ix int64
			var h []byte
			if err := rows.Scan(&ix, &h); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read log hashes: %w", err)
			}
			if len(h) != tlog.HashSize {
				rows.Close()
				return nil, fmt.Errorf("read log hashes: hash %d has %d bytes: %w", ix, len(h), translog.ErrMalformed)
			}
			found[ix] = tlog.Hash(h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read log hashes: %w", err)
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for i, ix := range indexes {
		h, ok := found[ix]
		if !ok {
			return nil, fmt.Errorf("read log hashes: hash %d: %w", ix, translog.ErrNotFound)
		}
		out[i] = h
	}
	return out, nil
}

// LogStore is the transparency log as translog reads it: the stored hashes, the entries (the
// canonical bytes of the audit events in leaf order), the checkpoints and the cosignatures. It
// implements translog.Store for the log server and for offline verification.
type LogStore struct {
	s *Store
}

var _ translog.Store = (*LogStore)(nil)

// Log returns the store's transparency log.
func (s *Store) Log() *LogStore { return &LogStore{s: s} }

// ReadHashes implements translog.HashReader: missing hashes are an error wrapping
// translog.ErrNotFound.
func (l *LogStore) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return hashReader{l.s.db}.ReadHashes(ctx, indexes)
}

// ReadEntries implements translog.Store: the leaves in [start, end) whose leaf row and audit
// event both exist, in leaf order.
func (l *LogStore) ReadEntries(ctx context.Context, start, end int64) ([]translog.Entry, error) {
	rows, err := l.s.db.QueryContext(ctx, `SELECT l.leaf_index, a.canonical FROM log_leaves l
		JOIN audit_events a ON a.seq = l.event_seq
		WHERE l.leaf_index >= $1 AND l.leaf_index < $2 ORDER BY l.leaf_index`, start, end)
	if err != nil {
		return nil, fmt.Errorf("read log entries: %w", err)
	}
	defer rows.Close()
	var out []translog.Entry
	for rows.Next() {
		var e translog.Entry
		if err := rows.Scan(&e.Index, &e.Leaf); err != nil {
			return nil, fmt.Errorf("read log entries: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read log entries: %w", err)
	}
	return out, nil
}

// LatestCheckpoint implements translog.Store.
func (l *LogStore) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	c, err := l.Latest(ctx)
	if err != nil {
		return nil, err
	}
	return c.Note, nil
}

// ReadCheckpoint implements translog.Store.
func (l *LogStore) ReadCheckpoint(ctx context.Context, size int64) ([]byte, error) {
	var msg string
	err := l.s.db.QueryRowContext(ctx, `SELECT note FROM log_checkpoints WHERE size = $1`, size).Scan(&msg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("checkpoint of size %d: %w", size, translog.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read checkpoint: %w", err)
	}
	return []byte(msg), nil
}

// ReadCheckpoints implements translog.Store.
func (l *LogStore) ReadCheckpoints(ctx context.Context, since int64, limit int) ([][]byte, error) {
	rows, err := l.s.db.QueryContext(ctx, `SELECT note FROM log_checkpoints WHERE size > $1 ORDER BY size LIMIT $2`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("read checkpoints: %w", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return nil, fmt.Errorf("read checkpoints: %w", err)
		}
		out = append(out, []byte(msg))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read checkpoints: %w", err)
	}
	return out, nil
}

// ReadCosignatures implements translog.Store.
func (l *LogStore) ReadCosignatures(ctx context.Context, size int64) ([]translog.Cosignature, error) {
	rows, err := l.s.db.QueryContext(ctx, `SELECT witness, key_hash, cosigned_at, line FROM log_cosignatures WHERE size = $1 ORDER BY witness, key_hash`, size)
	if err != nil {
		return nil, fmt.Errorf("read cosignatures: %w", err)
	}
	defer rows.Close()
	var out []translog.Cosignature
	for rows.Next() {
		c := translog.Cosignature{Size: size}
		var keyHash, at int64
		if err := rows.Scan(&c.Witness, &keyHash, &at, &c.Line); err != nil {
			return nil, fmt.Errorf("read cosignatures: %w", err)
		}
		c.KeyHash = uint32(keyHash)
		c.Time = time.Unix(at, 0).UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read cosignatures: %w", err)
	}
	return out, nil
}

// AddCosignature implements translog.Store, replacing the witness key's earlier cosignature of
// the same size.
func (l *LogStore) AddCosignature(ctx context.Context, c translog.Cosignature) error {
	_, err := l.s.db.ExecContext(ctx, `INSERT INTO log_cosignatures (size, witness, key_hash, cosigned_at, line, received_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (size, witness, key_hash) DO UPDATE SET cosigned_at = excluded.cosigned_at, line = excluded.line, received_at = excluded.received_at`,
		c.Size, c.Witness, int64(c.KeyHash), c.Time.Unix(), c.Line, micros(l.s.Now()))
	if err != nil {
		return fmt.Errorf("add cosignature: %w", err)
	}
	return nil
}

// StoredCheckpoint is a signed checkpoint as the store keeps it, with when it was signed and
// the cosignatures held for it.
type StoredCheckpoint struct {
	Checkpoint   translog.Checkpoint
	Note         []byte // the signed note, log signature only
	Created      time.Time
	Cosignatures []translog.Cosignature
}

// Latest returns the newest checkpoint with its cosignatures. Its signature is not verified
// here (the note came from this store). It returns an error wrapping translog.ErrNotFound if
// none was signed, translog.ErrMalformed for an unparsable stored note, and database errors.
func (l *LogStore) Latest(ctx context.Context) (StoredCheckpoint, error) {
	var c StoredCheckpoint
	var msg string
	var created int64
	err := l.s.db.QueryRowContext(ctx, `SELECT note, created_at FROM log_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&msg, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("no checkpoint signed yet: %w", translog.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("latest checkpoint: %w", err)
	}
	c.Note, c.Created = []byte(msg), fromMicros(created)
	text, _, ok := strings.Cut(msg, "\n\n")
	if !ok {
		return c, fmt.Errorf("latest checkpoint: note has no signature: %w", translog.ErrMalformed)
	}
	if c.Checkpoint, err = translog.ParseCheckpoint([]byte(text + "\n")); err != nil {
		return c, fmt.Errorf("latest checkpoint: %w", err)
	}
	if c.Cosignatures, err = l.ReadCosignatures(ctx, c.Checkpoint.Size); err != nil {
		return c, err
	}
	return c, nil
}

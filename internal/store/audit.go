package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"bela/internal/market"
)

// AuditRow is one stored audit event as the transparency log records it: EventID, Time,
// ActorUserID, ActorRole, Action, ObjectType and ObjectID are decoded from Canonical, the exact
// bytes that the log hashes, never taken from the indexed columns (which the log does not cover
// and which are only used to filter). Mismatch names the columns whose stored value disagrees
// with the logged bytes ("canonical" when the bytes cannot be decoded at all, in which case the
// fields hold the columns' values): such a row has been altered outside Bela and must not be
// shown as if its columns were true.
type AuditRow struct {
	Seq         int64
	EventID     string
	Time        time.Time
	ActorUserID int64
	ActorName   string // the current name of the logged actor; not part of the log
	ActorRole   string // "system" for the system, as in the actor_role column
	Action      string
	ObjectType  string
	ObjectID    int64
	Canonical   []byte
	Mismatch    []string
}

// loggedEvent is the part of the canonical encoding (market.EncodeAudit) that the audit pages
// show as the event.
type loggedEvent struct {
	V          string `json:"v"`
	ID         string `json:"id"`
	Time       string `json:"time"`
	ActorID    int64  `json:"actor_id"`
	ActorRole  string `json:"actor_role"`
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   int64  `json:"object_id"`
}

// fromLog replaces a's column values by those of its canonical bytes and records in a.Mismatch
// every column that disagrees with them.
func (a *AuditRow) fromLog() {
	var ev loggedEvent
	err := json.Unmarshal(a.Canonical, &ev)
	var at time.Time
	if err == nil {
		at, err = time.Parse("2006-01-02T15:04:05.000000Z", ev.Time)
	}
	if err != nil || ev.V != market.CanonicalVersion {
		a.Mismatch = []string{"canonical"}
		return
	}
	role := ev.ActorRole
	if ev.ActorID == 0 && role == "" {
		role = "system" // how queueAudit stores the system's role
	}
	differ := func(column string, same bool) {
		if !same {
			a.Mismatch = append(a.Mismatch, column)
		}
	}
	differ("event_id", a.EventID == ev.ID)
	differ("at", a.Time.Equal(at))
	differ("actor_user_id", a.ActorUserID == ev.ActorID)
	differ("actor_role", a.ActorRole == role)
	differ("action", a.Action == ev.Action)
	differ("object_type", a.ObjectType == ev.ObjectType)
	differ("object_id", a.ObjectID == ev.ObjectID)
	actorDiffers := a.ActorUserID != ev.ActorID
	a.EventID, a.Time, a.ActorUserID, a.ActorRole = ev.ID, at, ev.ActorID, role
	a.Action, a.ObjectType, a.ObjectID = ev.Action, ev.ObjectType, ev.ObjectID
	if actorDiffers {
		a.ActorName = "" // joined on the altered column: another user's name
	}
}

// AuditFilter selects audit events; zero fields do not filter.
type AuditFilter struct {
	ObjectType string
	ObjectID   int64
	ActorID    int64
	Action     string
	From, To   time.Time // To is exclusive
	BeforeSeq  int64     // for paging backwards
	Limit      int
}

// ListAudit returns audit events matching f, newest first (at most 500). The filter uses the
// indexed columns; each row shows what the log recorded, with Mismatch naming the columns that
// disagree with it (see AuditRow).
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditRow, error) {
	var out []AuditRow
	q := s.q(ctx)
	r := newPipe(q)
	queueAuditRows(r, f, &out)
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	// A row whose actor column was altered joined another user's name: read the logged actor's.
	for i := range out {
		a := &out[i]
		if a.ActorUserID == 0 || a.ActorName != "" || !a.mismatched("actor_user_id") {
			continue
		}
		err := q.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, a.ActorUserID).Scan(&a.ActorName)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("list audit: actor name: %w", err)
		}
	}
	return out, nil
}

// mismatched reports whether column disagrees with the logged bytes.
func (a *AuditRow) mismatched(column string) bool {
	for _, c := range a.Mismatch {
		if c == column {
			return true
		}
	}
	return false
}

// queueAuditRows adds ListAudit's read into out.
func queueAuditRows(r *pipe, f AuditFilter, out *[]AuditRow) {
	q := `SELECT a.seq, a.event_id, a.at, a.actor_user_id, COALESCE(u.name, ''), a.actor_role, a.action, a.object_type, a.object_id, a.canonical
		FROM audit_events a LEFT JOIN users u ON u.id = a.actor_user_id WHERE 1=1`
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.ObjectType != "" {
		add("a.object_type = $%d", f.ObjectType)
	}
	if f.ObjectID != 0 {
		add("a.object_id = $%d", f.ObjectID)
	}
	if f.ActorID != 0 {
		add("a.actor_user_id = $%d", f.ActorID)
	}
	if f.Action != "" {
		add("a.action = $%d", f.Action)
	}
	if !f.From.IsZero() {
		add("a.at >= $%d", micros(f.From))
	}
	if !f.To.IsZero() {
		add("a.at < $%d", micros(f.To))
	}
	if f.BeforeSeq != 0 {
		add("a.seq < $%d", f.BeforeSeq)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q += fmt.Sprintf(" ORDER BY a.seq DESC LIMIT %d", f.Limit)
	r.read("list audit", q, args, func(row rowScanner) error {
		var a AuditRow
		var at int64
		if err := row.Scan(&a.Seq, &a.EventID, &at, &a.ActorUserID, &a.ActorName, &a.ActorRole, &a.Action, &a.ObjectType, &a.ObjectID, &a.Canonical); err != nil {
			return err
		}
		a.Time = fromMicros(at)
		a.fromLog()
		*out = append(*out, a)
		return nil
	})
}

// AuditActions lists the distinct actions recorded, for the filter form.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT DISTINCT action FROM audit_events ORDER BY action`)
	if err != nil {
		return nil, fmt.Errorf("audit actions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("audit actions: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

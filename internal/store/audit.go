package store

import (
	"context"
	"fmt"
	"time"
)

// AuditRow is one stored audit event: its columns plus the exact canonical bytes that the
// transparency log hashes (never re-derived from other columns).
type AuditRow struct {
	Seq         int64
	EventID     string
	Time        time.Time
	ActorUserID int64
	ActorName   string
	ActorRole   string
	Action      string
	ObjectType  string
	ObjectID    int64
	Canonical   []byte
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

// ListAudit returns audit events matching f, newest first (at most 500).
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditRow, error) {
	var out []AuditRow
	r := newPipe(s.q(ctx))
	queueAuditRows(r, f, &out)
	return out, r.run(ctx)
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

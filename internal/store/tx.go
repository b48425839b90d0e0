package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"bela/internal/market"
)

// Actor is who performs a use case and the role they act in; the zero Actor is the system.
type Actor struct {
	UserID int64
	Role   market.Role
}

// System is the actor of background jobs and command-line administration.
var System = Actor{}

// Tx is one use case's transaction. Its helpers append the audit event, inbox messages and
// e-mails in the same transaction as the change, so none of them exists without the others.
type Tx struct {
	tx  querier // the transaction: a connTx on PostgreSQL, a write group's on SQLite (groupQuerier)
	s   *Store
	now time.Time
}

type batchKey struct{}

// batch returns the transaction of the Batch that ctx is inside on this store, or nil.
func (s *Store) batch(ctx context.Context) *Tx {
	if tx, ok := ctx.Value(batchKey{}).(*Tx); ok && tx.s == s {
		return tx
	}
	return nil
}

// beginWrite starts a write transaction of its own; on SQLite it first becomes the writer (see
// writeQueue), until the returned function is called after commit or rollback.
func (s *Store) beginWrite(ctx context.Context) (*sql.Tx, func(), error) {
	if s.dialect != SQLite {
		tx, err := s.db.BeginTx(ctx, nil)
		return tx, func() {}, err
	}
	if err := s.writes.acquire(ctx); err != nil {
		return nil, func() {}, err
	}
	tx, err := s.writes.begin(ctx, s.db)
	if err != nil {
		s.writes.release()
		return nil, func() {}, err
	}
	return tx, s.writes.release, nil
}

// Batch runs fn with every use case it calls joined into one transaction, committed when fn
// returns nil and rolled back otherwise. Demo data and bulk imports use it so that thousands of
// use cases (each with its audit event) cost one durable commit.
func (s *Store) Batch(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.inTx(ctx, func(tx *Tx) error {
		return fn(context.WithValue(ctx, batchKey{}, tx))
	})
}

// inTx runs fn in one transaction and commits when fn returns nil. On SQLite the transaction
// may be shared with concurrent use cases (see writeQueue); fn's outcome is its own. Inside Batch
// it joins the batch's transaction instead.
func (s *Store) inTx(ctx context.Context, fn func(*Tx) error) error {
	if tx := s.batch(ctx); tx != nil {
		return fn(tx)
	}
	if s.dialect == SQLite {
		return s.groupTx(ctx, fn)
	}
	// A connection of its own, so that statements queued in the transaction can go out together
	// (see pipe).
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return unavailable("begin transaction", err)
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return unavailable("begin transaction", err)
	}
	tx := &Tx{tx: connTx{sqlTx, conn}, s: s, now: s.Now()}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return unavailable("commit", err)
	}
	return nil
}

func unavailable(what string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, err)
	}
	return &market.Error{Code: market.CodeUnavailable, Message: "Basis data sedang tidak dapat dijangkau; coba lagi sebentar.", Err: fmt.Errorf("%s: %w", what, err)}
}

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.s.prepared(t.tx).ExecContext(ctx, q, args...)
}

func (t *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.s.prepared(t.tx).QueryContext(ctx, q, args...)
}

func (t *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.s.prepared(t.tx).QueryRowContext(ctx, q, args...)
}

// insertID runs an INSERT ... RETURNING id and returns the id.
func (t *Tx) insertID(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := t.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Audit appends an audit event for a change made in this transaction. The event gets a random
// id, the transaction's time, a fresh secret salt for its private fields, and its canonical bytes.
func (t *Tx) Audit(ctx context.Context, a Actor, action, objectType string, objectID int64, changes map[string]market.Change) error {
	p := newPipe(t.tx)
	if err := t.queueAudit(p, a, action, objectType, objectID, changes); err != nil {
		return err
	}
	return p.run(ctx)
}

// queueAudit is Audit with the event's insert queued in p.
func (t *Tx) queueAudit(p *pipe, a Actor, action, objectType string, objectID int64, changes map[string]market.Change) error {
	ev := market.AuditEvent{
		ID: eventID(t.now), Time: t.now, ActorUserID: a.UserID, ActorRole: a.Role,
		Action: action, ObjectType: objectType, ObjectID: objectID, Changes: changes,
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	canon, priv, err := market.EncodeAudit(ev, salt)
	if err != nil {
		return err
	}
	role := string(a.Role)
	if a == System {
		role = "system"
	}
	p.write("append audit event", `INSERT INTO audit_events (event_id, at, actor_user_id, actor_role, action, object_type, object_id, canonical, private_detail, salt)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		[]any{ev.ID, micros(t.now), a.UserID, role, action, objectType, objectID, canon, priv, salt}, nil)
	return nil
}

// Notify puts a message in a user's inbox and, when email is true and the user has an address,
// queues the same message in the e-mail outbox.
func (t *Tx) Notify(ctx context.Context, userID int64, subject, body, link string, email bool) error {
	p := newPipe(t.tx)
	t.queueNotify(p, userID, subject, body, link, email)
	return p.run(ctx)
}

// mailLink is a notification's link (a path, as the inbox keeps it) as an e-mail gives it: on
// the instance's public address.
func (t *Tx) mailLink(link string) string {
	if strings.HasPrefix(link, "/") {
		return t.s.publicURL + link
	}
	return link
}

// queueNotify is Notify with its inserts queued in p.
func (t *Tx) queueNotify(p *pipe, userID int64, subject, body, link string, email bool) {
	p.write("notify", `INSERT INTO inbox (user_id, created_at, subject, body, link) VALUES ($1, $2, $3, $4, $5)`,
		[]any{userID, micros(t.now), subject, body, link}, nil)
	if email {
		// The address is read where it is used: one statement instead of a read and a write.
		p.write("notify: queue e-mail", `INSERT INTO outbox (created_at, to_addr, subject, body, next_attempt_at)
		SELECT CAST($1 AS BIGINT), email, $2, $3, CAST($1 AS BIGINT) FROM users WHERE id = $4 AND email <> ''`,
			[]any{micros(t.now), subject, body + "\n\n" + t.mailLink(link), userID}, nil)
	}
}

// queueNotifyMembers queues the message for every active user holding one of roles in a scope
// (see membersQuery), in their inboxes and, when email is true, by e-mail where they have an
// address: two statements however many they are.
func (t *Tx) queueNotifyMembers(p *pipe, kind market.ScopeKind, scopeID int64, roles []market.Role, subject, body, link string, email bool) {
	members, args := membersQuery(5, t.now, kind, scopeID, roles)
	p.write("notify", `INSERT INTO inbox (user_id, created_at, subject, body, link)
		SELECT u.id, CAST($1 AS BIGINT), $2, $3, $4 FROM users u WHERE u.id IN (`+members+`) ORDER BY u.id`,
		append([]any{micros(t.now), subject, body, link}, args...), nil)
	if email {
		members, args = membersQuery(4, t.now, kind, scopeID, roles)
		p.write("notify: queue e-mail", `INSERT INTO outbox (created_at, to_addr, subject, body, next_attempt_at)
		SELECT CAST($1 AS BIGINT), u.email, $2, $3, CAST($1 AS BIGINT) FROM users u WHERE u.email <> '' AND u.id IN (`+members+`) ORDER BY u.id`,
			append([]any{micros(t.now), subject, body + "\n\n" + t.mailLink(link)}, args...), nil)
	}
}

// notifyMembers is queueNotifyMembers run at once.
func (t *Tx) notifyMembers(ctx context.Context, kind market.ScopeKind, scopeID int64, roles []market.Role, subject, body, link string, email bool) error {
	p := newPipe(t.tx)
	t.queueNotifyMembers(p, kind, scopeID, roles, subject, body, link, email)
	return p.run(ctx)
}

// Email queues an e-mail in the outbox; the background worker sends it.
func (t *Tx) Email(ctx context.Context, to, subject, body string) error {
	_, err := t.exec(ctx, `INSERT INTO outbox (created_at, to_addr, subject, body, next_attempt_at) VALUES ($1, $2, $3, $4, $5)`,
		micros(t.now), to, subject, body, micros(t.now))
	if err != nil {
		return fmt.Errorf("queue e-mail: %w", err)
	}
	return nil
}

// eventID returns a new audit event id: 32 hex digits, the first 12 the time in milliseconds
// and the rest random (80 bits). Ids made in time order keep the unique index's inserts at its
// end, where one commit's events share pages, instead of one random page each.
func eventID(at time.Time) string {
	return fmt.Sprintf("%012x", uint64(at.UnixMilli())&(1<<48-1)) + randomHex(10)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// queryIDs runs query, which selects one integer column, and returns its values in order.
// what names the query in errors.
func queryIDs(ctx context.Context, q querier, what, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// membersQuery returns the query of the active users holding one of roles in a scope at now
// (instance-wide roles have scope id 0), with placeholders numbered from first, and their
// arguments.
func membersQuery(first int, now time.Time, kind market.ScopeKind, scopeID int64, roles []market.Role) (string, []any) {
	query := fmt.Sprintf(`SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE u.active AND m.valid_from <= $%[1]d AND (m.valid_to = 0 OR m.valid_to > $%[1]d) AND (m.ended_at = 0 OR m.ended_at > $%[1]d)
		AND m.scope_kind = $%[2]d AND m.scope_id = $%[3]d`, first, first+1, first+2)
	args := []any{micros(now), string(kind), scopeID}
	marks := make([]string, len(roles))
	for i, r := range roles {
		args = append(args, string(r))
		marks[i] = fmt.Sprintf("$%d", first+len(args)-1)
	}
	return query + ` AND m.role IN (` + strings.Join(marks, ", ") + `)`, args
}

// isUniqueViolation reports whether err is a unique-constraint failure on either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return containsAny(msg, "UNIQUE constraint failed", "SQLSTATE 23505", "duplicate key value")
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// q returns the batch's transaction when ctx is inside Batch (so reads see the batch's own
// writes), else the database; on SQLite through prepared statements.
func (s *Store) q(ctx context.Context) querier {
	if tx := s.batch(ctx); tx != nil {
		return tx.tx
	}
	return s.prepared(s.db)
}

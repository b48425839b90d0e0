package store

import (
	"context"
	"fmt"
	"time"

	"bela/internal/market"
)

// Message is an in-app inbox entry telling a user about something that needs them.
type Message struct {
	ID        int64
	CreatedAt time.Time
	Subject   string
	Body      string
	Link      string
	Read      bool
}

// Inbox returns a user's messages, newest first (at most 200).
func (s *Store) Inbox(ctx context.Context, userID int64) ([]Message, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT id, created_at, subject, body, link, read_at FROM inbox WHERE user_id = $1 ORDER BY id DESC LIMIT 200`, userID)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		var c, r int64
		if err := rows.Scan(&m.ID, &c, &m.Subject, &m.Body, &m.Link, &r); err != nil {
			return nil, fmt.Errorf("inbox: %w", err)
		}
		m.CreatedAt, m.Read = fromMicros(c), r != 0
		out = append(out, m)
	}
	return out, rows.Err()
}

// UnreadCount returns how many of a user's messages are unread.
func (s *Store) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox WHERE user_id = $1 AND read_at = 0`, userID).Scan(&n); err != nil {
		return 0, fmt.Errorf("unread count: %w", err)
	}
	return n, nil
}

// MarkRead marks one of the user's messages read (0 marks all). Another user's message is
// ErrNotFound.
func (s *Store) MarkRead(ctx context.Context, userID, messageID int64) error {
	q, args := `UPDATE inbox SET read_at = $1 WHERE user_id = $2 AND read_at = 0`, []any{micros(s.Now()), userID}
	if messageID != 0 {
		q += ` AND id = $3`
		args = append(args, messageID)
	}
	res, err := s.q(ctx).ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("mark read: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 && messageID != 0 {
		var c int
		if err := s.q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox WHERE user_id = $1 AND id = $2`, userID, messageID).Scan(&c); err != nil {
			return fmt.Errorf("mark read: %w", err)
		}
		if c == 0 {
			return market.NotFound("Pesan")
		}
	}
	return nil
}

// Email is a queued outgoing e-mail.
type Email struct {
	ID       int64
	To       string
	Subject  string
	Body     string
	Attempts int
}

// DueEmails returns unsent e-mails whose next attempt is due, oldest first.
func (s *Store) DueEmails(ctx context.Context, limit int) ([]Email, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT id, to_addr, subject, body, attempts FROM outbox WHERE sent_at = 0 AND next_attempt_at <= $1 ORDER BY id LIMIT $2`, micros(s.Now()), limit)
	if err != nil {
		return nil, fmt.Errorf("due e-mails: %w", err)
	}
	defer rows.Close()
	var out []Email
	for rows.Next() {
		var e Email
		if err := rows.Scan(&e.ID, &e.To, &e.Subject, &e.Body, &e.Attempts); err != nil {
			return nil, fmt.Errorf("due e-mails: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// MarkEmailSent records a successful delivery.
func (s *Store) MarkEmailSent(ctx context.Context, id int64) error {
	_, err := s.q(ctx).ExecContext(ctx, `UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = '' WHERE id = $2`, micros(s.Now()), id)
	if err != nil {
		return fmt.Errorf("mark sent: %w", err)
	}
	return nil
}

// MarkEmailFailed records a failed attempt and schedules the next with exponential back-off
// (1 minute doubling, at most 6 hours).
func (s *Store) MarkEmailFailed(ctx context.Context, e Email, cause error) error {
	delay := time.Minute << min(e.Attempts, 9)
	delay = min(delay, 6*time.Hour)
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	_, err := s.q(ctx).ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2 WHERE id = $3`,
		micros(s.Now().Add(delay)), msg, e.ID)
	if err != nil {
		return fmt.Errorf("mark failed: %w", err)
	}
	return nil
}

// Notify puts a message in a user's inbox (and the outbox when email) in its own transaction;
// use cases use Tx.Notify inside theirs.
func (s *Store) Notify(ctx context.Context, userID int64, subject, body, link string, email bool) error {
	return s.inTx(ctx, func(tx *Tx) error { return tx.Notify(ctx, userID, subject, body, link, email) })
}

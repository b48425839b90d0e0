package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/paper"
)

// APIToken is a personal API token's metadata; the secret is shown once at creation.
type APIToken struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
}

// ExpiredAt reports whether the token no longer works at now because it expired (whether or
// not it was also revoked).
func (t APIToken) ExpiredAt(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// APITokenPrefix starts every API token, so that leaked tokens are easy to find by scanning.
const APITokenPrefix = "bela_"

// APITokenLifetimes are the lifetimes, in days, that a personal API token may be given.
var APITokenLifetimes = []int{30, 90, 180, 365}

// DefaultAPITokenDays is the lifetime, in days, of a token whose owner did not choose one.
const DefaultAPITokenDays = 90

// APITokenReminder is how long before a live token expires its owner is reminded (see
// RemindExpiringAPITokens).
const APITokenReminder = 7 * 24 * time.Hour

// CreateAPIToken makes a personal API token that works for days days (one of
// APITokenLifetimes) and returns it with its secret (shown once). Errors: CodeInvalid for an
// empty or long name (field "name") or another lifetime (field "expires_in_days").
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name string, days int) (APIToken, string, error) {
	name = strings.TrimSpace(name)
	fe := market.FieldErrors{}
	if name == "" || len(name) > 100 {
		fe.Add("name", "Nama token wajib diisi (maksimal 100 karakter).")
	}
	if !slices.Contains(APITokenLifetimes, days) {
		// Keep in step with APITokenLifetimes.
		fe.Add("expires_in_days", "Masa berlaku token harus 30, 90, 180 atau 365 hari.")
	}
	if len(fe) == 1 {
		for field, msg := range fe {
			return APIToken{}, "", market.Invalid(field, msg)
		}
	}
	if err := fe.Err(); err != nil {
		return APIToken{}, "", err
	}
	secret := newToken(APITokenPrefix)
	t := APIToken{Name: name}
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		t.CreatedAt = tx.now
		t.ExpiresAt = tx.now.AddDate(0, 0, days)
		t.ID, err = tx.insertID(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			userID, name, hashToken(secret), micros(tx.now), micros(t.ExpiresAt))
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return tx.Audit(ctx, Actor{UserID: userID}, "api_token.create", "api_token", t.ID, map[string]market.Change{
			"name": {After: name}, "expires_at": {After: t.ExpiresAt.Format(time.RFC3339)}})
	})
	return t, secret, err
}

// ListAPITokens returns a user's tokens, newest first.
func (s *Store) ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT id, name, created_at, expires_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []APIToken{}
	for rows.Next() {
		var t APIToken
		var c, e, l, r int64
		if err := rows.Scan(&t.ID, &t.Name, &c, &e, &l, &r); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = fromMicros(c), fromMicros(e), fromMicros(l), fromMicros(r)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes one of the user's own tokens. Errors: ErrNotFound (also for another
// user's token).
func (s *Store) RevokeAPIToken(ctx context.Context, userID, tokenID int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at = 0`, micros(tx.now), tokenID, userID)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return market.NotFound("Token")
		}
		return tx.Audit(ctx, Actor{UserID: userID}, "api_token.revoke", "api_token", tokenID, nil)
	})
}

// TokenPrincipal returns the principal of a live API token and records its use. A revoked or
// unknown token, an expired one (with its own message) or a deactivated user is
// CodeUnauthorized.
func (s *Store) TokenPrincipal(ctx context.Context, secret string) (*market.Principal, error) {
	var id, userID, revoked, expires, lastUsed int64
	err := s.q(ctx).QueryRowContext(ctx, `SELECT id, user_id, revoked_at, expires_at, last_used_at FROM api_tokens WHERE token_hash = $1`, hashToken(secret)).
		Scan(&id, &userID, &revoked, &expires, &lastUsed)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked != 0) {
		return nil, &market.Error{Code: market.CodeUnauthorized, Message: "Token API tidak berlaku."}
	}
	if err != nil {
		return nil, unavailable("token", err)
	}
	now := s.Now()
	if expires <= micros(now) {
		return nil, &market.Error{Code: market.CodeUnauthorized, Message: "Token API sudah kedaluwarsa. Buat token baru di halaman Akun."}
	}
	if now.Sub(fromMicros(lastUsed)) > time.Minute {
		// Coarse last-use tracking keeps API reads from writing on every request.
		if _, err := s.q(ctx).ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, micros(now), id); err != nil {
			return nil, unavailable("token", err)
		}
	}
	return s.Principal(ctx, userID)
}

// RemindExpiringAPITokens tells the owner of every live token that expires within
// APITokenReminder, by inbox and e-mail, that it will stop working (at most limit tokens, the
// soonest first; the rest follow on the next run). Each token's owner is told once: the token
// is marked in the same transaction, one for the whole run. It returns how many were told; it
// fails only when the database does. The background job of `bela serve` runs it.
func (s *Store) RemindExpiringAPITokens(ctx context.Context, limit int) (int, error) {
	type due struct {
		id, userID int64
		name       string
		expires    time.Time
	}
	n := 0
	err := s.inTx(ctx, func(tx *Tx) error {
		n = 0
		rows, err := tx.query(ctx, `SELECT id, user_id, name, expires_at FROM api_tokens
			WHERE revoked_at = 0 AND expiry_notified_at = 0 AND expires_at > $1 AND expires_at <= $2
			ORDER BY expires_at, id LIMIT $3`, micros(tx.now), micros(tx.now.Add(APITokenReminder)), limit)
		if err != nil {
			return fmt.Errorf("expiring tokens: %w", err)
		}
		var ds []due
		for rows.Next() {
			var d due
			var e int64
			if err := rows.Scan(&d.id, &d.userID, &d.name, &e); err != nil {
				rows.Close()
				return fmt.Errorf("expiring tokens: %w", err)
			}
			d.expires = fromMicros(e)
			ds = append(ds, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("expiring tokens: %w", err)
		}
		if len(ds) == 0 {
			return nil
		}
		loc := tzOf(ctx, tx)
		for _, d := range ds {
			res, err := tx.exec(ctx, `UPDATE api_tokens SET expiry_notified_at = $1 WHERE id = $2 AND expiry_notified_at = 0`, micros(tx.now), d.id)
			if err != nil {
				return fmt.Errorf("remind token expiry: %w", err)
			}
			if k, _ := res.RowsAffected(); k != 1 {
				continue // told meanwhile
			}
			subject := fmt.Sprintf(`Token API "%s" berakhir %s`, d.name, paper.Date(d.expires, loc))
			body := fmt.Sprintf("Token API pribadi Anda \"%s\" berakhir pada %s; setelah itu permintaan dengan token ini ditolak. Bila masih diperlukan, buat token baru di halaman Akun dan ganti token lama di aplikasi yang memakainya.",
				d.name, paper.DateTime(d.expires, loc))
			if err := tx.Notify(ctx, d.userID, subject, body, "/akun", true); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

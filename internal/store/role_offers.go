package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bela/internal/market"
)

// RoleOffer is a role offered to someone who already has an account: it grants nothing until
// they accept it on their account page (see Invite). Name and Email are what the inviter typed,
// never the account's own data.
type RoleOffer struct {
	ID            int64
	UserID        int64 // the account the offer is for; never shown to the inviter
	Role          market.Role
	ScopeKind     market.ScopeKind
	ScopeID       int64
	ScopeName     string // the unit's or seller's name; "" for the instance or an unnamed draft seller
	ValidFrom     time.Time
	ValidTo       time.Time
	Name          string // as the inviter typed it
	Email         string // as the inviter typed it
	OfferedBy     int64
	OfferedByName string
	CreatedAt     time.Time
	ExpiresAt     time.Time
}

// The states of an offer. A pending offer past its ExpiresAt is void whatever its status says.
const (
	offerPending  = "pending"
	offerAccepted = "accepted"
	offerDeclined = "declined"
	offerExpired  = "expired"
)

// offerRole records a pending offer of g to the existing account userID, tells its holder
// (inbox and e-mail, with a link to their account page) and audits it, all in tx. It does
// nothing when the account is deactivated, when it already holds the role in the scope for
// good, or when the same role in the same scope is already offered and pending: in every case
// the inviter learns nothing about the account. n is what the inviter typed.
func (tx *Tx) offerRole(ctx context.Context, by *market.Principal, a Actor, userID int64, active bool, n NewUser, g Grant) error {
	kind, scopeID, err := g.validate(tx, ctx)
	if err != nil {
		return err
	}
	if !active {
		return nil
	}
	now := micros(tx.now)
	if g.ValidFrom.IsZero() && g.ValidTo.IsZero() {
		var held int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND role = $2 AND scope_kind = $3 AND scope_id = $4
			AND valid_from <= $5 AND valid_to = 0 AND ended_at = 0`, userID, string(g.Role), string(kind), scopeID, now).Scan(&held); err != nil {
			return fmt.Errorf("offer role: %w", err)
		}
		if held > 0 {
			return nil
		}
	}
	// A pending offer past its time makes way for the new one.
	if _, err := tx.exec(ctx, `UPDATE role_offers SET status = $1 WHERE user_id = $2 AND role = $3 AND scope_kind = $4 AND scope_id = $5 AND status = $6 AND expires_at <= $7`,
		offerExpired, userID, string(g.Role), string(kind), scopeID, offerPending, now); err != nil {
		return fmt.Errorf("offer role: %w", err)
	}
	expires := tx.now.Add(InviteLifetime)
	// The partial unique index keeps one pending offer per role and scope; a second offer
	// while one is pending inserts nothing (ON CONFLICT DO NOTHING returns no row).
	id, err := tx.insertID(ctx, `INSERT INTO role_offers (user_id, role, scope_kind, scope_id, valid_from, valid_to, invitee_name, invitee_email, offered_by, created_at, expires_at, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
		userID, string(g.Role), string(kind), scopeID, micros(g.ValidFrom), micros(g.ValidTo), n.Name, n.Email, by.UserID, now, micros(expires), offerPending)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("offer role: %w", err)
	}
	// The public trail shows the offer, its role and scope, but not whom it is for: the e-mail
	// is a private field (salted hash in public), and the account's id is not in the event.
	ch := map[string]market.Change{"role": {After: g.Role}, "scope_kind": {After: kind}, "scope_id": {After: scopeID},
		"email": {After: n.Email}, "expires_at": {After: expires.Format(time.RFC3339)}}
	if !g.ValidFrom.IsZero() {
		ch["valid_from"] = market.Change{After: g.ValidFrom.UTC().Format(time.RFC3339)}
	}
	if !g.ValidTo.IsZero() {
		ch["valid_to"] = market.Change{After: g.ValidTo.UTC().Format(time.RFC3339)}
	}
	if err := tx.Audit(ctx, a, "role_offer.create", "role_offer", id, ch); err != nil {
		return err
	}
	scope, err := tx.scopeLabel(ctx, kind, scopeID)
	if err != nil {
		return err
	}
	return tx.Notify(ctx, userID, "Tawaran peran di Bela",
		fmt.Sprintf("%s menawarkan Anda peran %s (%s). Peran ini baru berlaku bila Anda menerimanya di halaman Akun dalam %d jam. Tolak atau abaikan tawaran ini bila Anda tidak mengenalnya.",
			by.Name, market.RoleLabel(g.Role), scope, int(InviteLifetime.Hours())),
		"/akun", true)
}

// scopeLabel names a scope in a message: the unit's or seller's name, "penyedia #id" for a
// seller without a name yet, "seluruh instansi" for the instance.
func (tx *Tx) scopeLabel(ctx context.Context, kind market.ScopeKind, id int64) (string, error) {
	var table string
	switch kind {
	case market.ScopeUnit:
		table = "units"
	case market.ScopeSeller:
		table = "sellers"
	default:
		return "seluruh instansi", nil
	}
	var name string
	if err := tx.queryRow(ctx, `SELECT name FROM `+table+` WHERE id = $1`, id).Scan(&name); err != nil {
		return "", fmt.Errorf("scope name: %w", err)
	}
	if name == "" && kind == market.ScopeSeller {
		name = fmt.Sprintf("penyedia #%d", id)
	}
	return name, nil
}

const roleOfferColumns = `o.id, o.user_id, o.role, o.scope_kind, o.scope_id, COALESCE(un.name, sl.name, ''), o.valid_from, o.valid_to,
		o.invitee_name, o.invitee_email, o.offered_by, COALESCE(ob.name, ''), o.created_at, o.expires_at
	FROM role_offers o
	LEFT JOIN units un ON o.scope_kind = 'unit' AND un.id = o.scope_id
	LEFT JOIN sellers sl ON o.scope_kind = 'seller' AND sl.id = o.scope_id
	LEFT JOIN users ob ON ob.id = o.offered_by`

func (s *Store) roleOffers(ctx context.Context, where string, args ...any) ([]RoleOffer, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT `+roleOfferColumns+` WHERE `+where+` ORDER BY o.id DESC LIMIT 200`, args...)
	if err != nil {
		return nil, fmt.Errorf("role offers: %w", err)
	}
	defer rows.Close()
	var out []RoleOffer
	for rows.Next() {
		var o RoleOffer
		var role, kind string
		var from, to, created, expires int64
		if err := rows.Scan(&o.ID, &o.UserID, &role, &kind, &o.ScopeID, &o.ScopeName, &from, &to,
			&o.Name, &o.Email, &o.OfferedBy, &o.OfferedByName, &created, &expires); err != nil {
			return nil, fmt.Errorf("role offers: %w", err)
		}
		o.Role, o.ScopeKind = market.Role(role), market.ScopeKind(kind)
		o.ValidFrom, o.ValidTo = fromMicros(from), fromMicros(to)
		o.CreatedAt, o.ExpiresAt = fromMicros(created), fromMicros(expires)
		out = append(out, o)
	}
	return out, rows.Err()
}

// PendingRoleOffers returns the offers waiting for the user's answer (not yet expired), newest
// first: what their account page lists.
func (s *Store) PendingRoleOffers(ctx context.Context, userID int64) ([]RoleOffer, error) {
	return s.roleOffers(ctx, `o.user_id = $1 AND o.status = $2 AND o.expires_at > $3`, userID, offerPending, micros(s.Now()))
}

// RoleOfferFilter selects pending offers for the user management list.
type RoleOfferFilter struct {
	UnitID   int64 // only offers of roles in this unit
	SellerID int64 // only offers of roles for this seller
	Query    string
}

// OfferedRoles returns the pending, unexpired offers in a scope (all of them when the filter
// names none), newest first, for the inviter's user list. Whoever shows them must show only
// the typed Name and Email, the role and the scope: never the account behind them.
func (s *Store) OfferedRoles(ctx context.Context, f RoleOfferFilter) ([]RoleOffer, error) {
	where := `o.status = $1 AND o.expires_at > $2`
	args := []any{offerPending, micros(s.Now())}
	if f.UnitID != 0 {
		args = append(args, f.UnitID)
		where += fmt.Sprintf(` AND o.scope_kind = 'unit' AND o.scope_id = $%d`, len(args))
	}
	if f.SellerID != 0 {
		args = append(args, f.SellerID)
		where += fmt.Sprintf(` AND o.scope_kind = 'seller' AND o.scope_id = $%d`, len(args))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+strings.ToLower(q)+"%")
		where += fmt.Sprintf(` AND (LOWER(o.invitee_name) LIKE $%d OR o.invitee_email LIKE $%d)`, len(args), len(args))
	}
	return s.roleOffers(ctx, where, args...)
}

// ownOffer loads one of the user's offers with its status. Anyone else's offer is ErrNotFound.
func (tx *Tx) ownOffer(ctx context.Context, userID, offerID int64) (RoleOffer, string, error) {
	var o RoleOffer
	var role, kind, status string
	var from, to, expires int64
	err := tx.queryRow(ctx, `SELECT id, role, scope_kind, scope_id, valid_from, valid_to, invitee_name, offered_by, expires_at, status FROM role_offers WHERE id = $1 AND user_id = $2`,
		offerID, userID).Scan(&o.ID, &role, &kind, &o.ScopeID, &from, &to, &o.Name, &o.OfferedBy, &expires, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return o, "", market.NotFound("Peran")
	}
	if err != nil {
		return o, "", fmt.Errorf("role offer: %w", err)
	}
	o.UserID, o.Role, o.ScopeKind = userID, market.Role(role), market.ScopeKind(kind)
	o.ValidFrom, o.ValidTo, o.ExpiresAt = fromMicros(from), fromMicros(to), fromMicros(expires)
	if status == offerPending && !tx.now.Before(o.ExpiresAt) {
		status = offerExpired
	}
	return o, status, nil
}

func offerClosed(status string) error {
	if status == offerExpired {
		return market.Conflict("Tawaran peran ini sudah kedaluwarsa. Minta pengundang mengirim tawaran baru.")
	}
	return market.Conflict("Tawaran peran ini sudah dijawab.")
}

// answerOffer moves a pending, unexpired offer to status, or says why it cannot.
func (tx *Tx) answerOffer(ctx context.Context, o RoleOffer, status string) error {
	res, err := tx.exec(ctx, `UPDATE role_offers SET status = $1, answered_at = $2 WHERE id = $3 AND user_id = $4 AND status = $5 AND expires_at > $2`,
		status, micros(tx.now), o.ID, o.UserID, offerPending)
	if err != nil {
		return fmt.Errorf("answer role offer: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return offerClosed(offerExpired)
	}
	return nil
}

// AcceptRoleOffer grants the user the role of one of their pending offers, in one transaction
// and through the same grant as an admin's (its checks and audit event), on the authority of
// whoever offered it — who must still be allowed to grant it. Errors: ErrNotFound (also for
// someone else's offer), CodeConflict for an expired or answered offer or an offerer no longer
// allowed, CodeInvalid when the scope is gone.
func (s *Store) AcceptRoleOffer(ctx context.Context, userID, offerID int64) error {
	var offeredBy int64
	if err := s.q(ctx).QueryRowContext(ctx, `SELECT offered_by FROM role_offers WHERE id = $1 AND user_id = $2`, offerID, userID).Scan(&offeredBy); errors.Is(err, sql.ErrNoRows) {
		return market.NotFound("Peran")
	} else if err != nil {
		return fmt.Errorf("accept role offer: %w", err)
	}
	// The offerer's authority is checked as it is now, not as it was when they offered.
	by, perr := s.Principal(ctx, offeredBy)
	return s.inTx(ctx, func(tx *Tx) error {
		o, status, err := tx.ownOffer(ctx, userID, offerID)
		if err != nil {
			return err
		}
		if status != offerPending {
			return offerClosed(status)
		}
		if perr != nil || !by.CanGrant(o.Role, o.ScopeKind, o.ScopeID) {
			return market.Conflict("Pemberi tawaran tidak lagi berwenang memberikan peran ini. Tawaran tidak dapat diterima.")
		}
		if err := tx.answerOffer(ctx, o, offerAccepted); err != nil {
			return err
		}
		mid, err := tx.grant(ctx, Actor{UserID: by.UserID, Role: granterRole(by, o.ScopeKind)}, userID,
			Grant{Role: o.Role, ScopeID: o.ScopeID, ValidFrom: o.ValidFrom, ValidTo: o.ValidTo})
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE role_offers SET membership_id = $1 WHERE id = $2`, mid, o.ID); err != nil {
			return fmt.Errorf("accept role offer: %w", err)
		}
		if err := tx.Audit(ctx, Actor{UserID: userID}, "role_offer.accept", "role_offer", o.ID,
			map[string]market.Change{"status": {Before: offerPending, After: offerAccepted}, "membership_id": {After: mid}}); err != nil {
			return err
		}
		scope, err := tx.scopeLabel(ctx, o.ScopeKind, o.ScopeID)
		if err != nil {
			return err
		}
		return tx.Notify(ctx, by.UserID, "Tawaran peran diterima",
			fmt.Sprintf("%s menerima tawaran peran %s (%s) dari Anda.", o.Name, market.RoleLabel(o.Role), scope),
			"/pengguna", false)
	})
}

// DeclineRoleOffer records the user's refusal of one of their pending offers; nothing is
// granted and the offerer is not told who declined. Errors: ErrNotFound (also for someone
// else's offer), CodeConflict for an expired or answered offer.
func (s *Store) DeclineRoleOffer(ctx context.Context, userID, offerID int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		o, status, err := tx.ownOffer(ctx, userID, offerID)
		if err != nil {
			return err
		}
		if status != offerPending {
			return offerClosed(status)
		}
		if err := tx.answerOffer(ctx, o, offerDeclined); err != nil {
			return err
		}
		return tx.Audit(ctx, Actor{UserID: userID}, "role_offer.decline", "role_offer", o.ID,
			map[string]market.Change{"status": {Before: offerPending, After: offerDeclined}})
	})
}

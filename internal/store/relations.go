package store

import (
	"context"
	"fmt"

	"bela/internal/market"
)

// This file reads the relations between users and sellers declared to the admins (written by
// DeclareSellerRelation and EndSellerRelation in orders.go). They are private: only the user
// concerned, platform admins and auditors read them, never the public.

// Active reports whether the relation still counts as a conflict of interest.
func (r SellerRelation) Active() bool { return r.EndedAt.IsZero() }

// RelationFilter selects declared seller relations.
type RelationFilter struct {
	UserID     int64 // only this user's; 0 for all the principal may read
	SellerID   int64 // only with this seller; 0 for any
	ActiveOnly bool  // leave out ended relations
	Limit      int   // at most 1000; 500 when zero
}

// SellerRelations lists declared relations with the names of the user, the seller and the
// person who recorded them: active ones first, then the newest declaration first. Platform
// admins and auditors read everyone's; any other user only their own (an empty UserID means
// their own). Errors: CodeForbidden for another user's relations or without a principal.
func (s *Store) SellerRelations(ctx context.Context, p *market.Principal, f RelationFilter) ([]SellerRelation, error) {
	if p == nil {
		return nil, market.Forbidden("Masuk dahulu untuk melihat hubungan dengan penyedia.")
	}
	if !p.SeesEverything() {
		if f.UserID != 0 && f.UserID != p.UserID {
			return nil, market.Forbidden("Hubungan dengan penyedia milik pengguna lain hanya dapat dilihat Admin UKPBJ dan auditor.")
		}
		f.UserID = p.UserID
	}
	q := `SELECT r.id, r.user_id, r.seller_id, r.relation, r.declared_by, r.declared_at, r.ended_at,
			u.name, sl.name, COALESCE(d.name, '')
		FROM seller_relations r
		JOIN users u ON u.id = r.user_id
		JOIN sellers sl ON sl.id = r.seller_id
		LEFT JOIN users d ON d.id = r.declared_by
		WHERE 1 = 1`
	var args []any
	if f.UserID != 0 {
		args = append(args, f.UserID)
		q += fmt.Sprintf(` AND r.user_id = $%d`, len(args))
	}
	if f.SellerID != 0 {
		args = append(args, f.SellerID)
		q += fmt.Sprintf(` AND r.seller_id = $%d`, len(args))
	}
	if f.ActiveOnly {
		q += ` AND r.ended_at = 0`
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 500
	}
	q += fmt.Sprintf(` ORDER BY CASE WHEN r.ended_at = 0 THEN 0 ELSE 1 END, r.declared_at DESC, r.id DESC LIMIT %d`, f.Limit)
	rows, err := s.q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("seller relations: %w", err)
	}
	defer rows.Close()
	out := []SellerRelation{}
	for rows.Next() {
		var r SellerRelation
		var declared, ended int64
		if err := rows.Scan(&r.ID, &r.UserID, &r.SellerID, &r.Relation, &r.DeclaredBy, &declared, &ended,
			&r.UserName, &r.SellerName, &r.DeclaredByName); err != nil {
			return nil, fmt.Errorf("seller relations: %w", err)
		}
		r.DeclaredAt, r.EndedAt = fromMicros(declared), fromMicros(ended)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("seller relations: %w", err)
	}
	return out, nil
}

// SellerChoice is a seller offered in the form that declares a relation: its id, name and
// public kecamatan.
type SellerChoice struct {
	ID        int64
	Name      string
	Kecamatan string
}

// RelationSellers lists the sellers a relation can be declared with — the verified ones,
// suspended ones included since a suspension ends — by name.
func (s *Store) RelationSellers(ctx context.Context) ([]SellerChoice, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT id, name, kecamatan FROM sellers WHERE status IN ('verified', 'suspended') ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("relation sellers: %w", err)
	}
	defer rows.Close()
	var out []SellerChoice
	for rows.Next() {
		var c SellerChoice
		if err := rows.Scan(&c.ID, &c.Name, &c.Kecamatan); err != nil {
			return nil, fmt.Errorf("relation sellers: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("relation sellers: %w", err)
	}
	return out, nil
}

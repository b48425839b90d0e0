package store

import (
	"context"
	"fmt"
	"time"

	"bela/internal/market"
)

// This file holds what the ordering pages and the demo loader need beyond the ordering use
// cases: the officials a buyer may pick at checkout, and running use cases "as of" a past time while loading demo data.

// Official is a user holding a role in a unit, as offered in a form (the PPK at checkout).
type Official struct {
	ID   int64
	Name string
}

// UnitOfficials returns the active users holding role in the unit now (memberships within
// their validity), by name. Errors: CodeNotFound when the unit is not visible to by.
func (s *Store) UnitOfficials(ctx context.Context, by *market.Principal, unitID int64, role market.Role) ([]Official, error) {
	if !unitVisible(by, unitID) {
		return nil, market.NotFound("Satuan kerja")
	}
	now := micros(s.Now())
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT DISTINCT u.id, u.name FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.role = $1 AND m.scope_kind = 'unit' AND m.scope_id = $2 AND u.active
		AND m.valid_from <= $3 AND (m.valid_to = 0 OR m.valid_to > $3) AND (m.ended_at = 0 OR m.ended_at > $3)
		ORDER BY u.name, u.id`, string(role), unitID, now)
	if err != nil {
		return nil, fmt.Errorf("unit officials: %w", err)
	}
	defer rows.Close()
	var out []Official
	for rows.Next() {
		var o Official
		if err := rows.Scan(&o.ID, &o.Name); err != nil {
			return nil, fmt.Errorf("unit officials: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// fixedClock always reads one time.
type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }

// AsOf runs fn with the store's clock reading t, inside the current Batch (whose transaction
// then also stamps its rows and audit events with t), and restores the clock afterwards. It lets
// the demo loader run the real use cases at past dates — checkout, approval, shipment, receipt
// and expiry all take their time from the store — so that every row and audit event of a demo
// order carries the date it would have had. Callers must move t forward only, so that the audit
// trail stays in time order.
//
// AsOf changes the store's clock for every caller, so it may only be used while nothing else
// uses the store (loading demo data before serving). Outside a Batch it returns a CodeConflict
// *market.Error; otherwise it returns fn's error.
func (s *Store) AsOf(ctx context.Context, t time.Time, fn func(ctx context.Context) error) error {
	tx := s.batch(ctx)
	if tx == nil {
		return market.Conflict("AsOf hanya dapat dipakai di dalam Batch.")
	}
	oldClock, oldNow := s.clock, tx.now
	s.clock = fixedClock(t)
	tx.now = s.Now()
	defer func() { s.clock, tx.now = oldClock, oldNow }()
	return fn(ctx)
}

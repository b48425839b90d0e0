package store

import (
	"context"

	"bela/internal/market"
)

// PlanApproval and ApproveAhead split Approve in two for tests of what changes between reading
// an approval's facts ahead and writing it.
func (s *Store) PlanApproval(ctx context.Context, id int64) *approvalPlan {
	return s.planApproval(ctx, id)
}

func (s *Store) ApproveAhead(ctx context.Context, p *market.Principal, id int64, ahead *approvalPlan) (Order, error) {
	return s.approve(ctx, p, id, ahead)
}

// CountUnitsAround counts the units twice in one readSnapshot, calling between in between.
func (s *Store) CountUnitsAround(ctx context.Context, between func()) (before, after int, err error) {
	err = s.readSnapshot(ctx, func(q querier) error {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`).Scan(&before); err != nil {
			return err
		}
		between()
		return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`).Scan(&after)
	})
	return before, after, err
}

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

package store

import (
	"context"

	"bela/internal/market"
)

// RecordSellerRegistration stores the registration data of a seller whatever its status, for
// sellers that were checked before they came to Bela (a migration from an earlier system, and
// the demo data): unlike SaveSellerRegistration it does not need a draft, and it leaves the
// status alone. Everything else is the same: every field validated and normalised, the class
// derived from capital and sales, the NIB and NPWP unique, a blocked NPWP refused, and the change
// audited as "seller.register" by the actor. Errors: ErrNotFound; CodeInvalid as
// SaveSellerRegistration.
func (s *Store) RecordSellerRegistration(ctx context.Context, a Actor, sellerID int64, reg market.SellerRegistration) error {
	norm, err := reg.Normalized()
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		before, err := s.getSeller(ctx, tx.tx, sellerID)
		if err != nil {
			return err
		}
		return tx.saveRegistration(ctx, a, before, norm)
	})
}

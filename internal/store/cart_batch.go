package store

import (
	"context"
	"errors"
	"fmt"

	"bela/internal/market"
)

// SetCartQuantities sets the quantities of several products in the buyer's cart in the unit at
// once, as the cart page's "Perbarui" button does: every item is checked as SetCartQuantity
// checks it (0 removes the line; a product being added or kept must still be shown to buyers),
// and either every item is written, in one transaction with their audit events, or none is.
// Errors: CodeForbidden unless p is a buyer of the unit; CodeInvalid when any item is refused,
// with Fields naming each refused one as "items.<product id>".
func (s *Store) SetCartQuantities(ctx context.Context, p *market.Principal, unitID int64, items []CartItem) error {
	if err := buyerOf(p, unitID); err != nil {
		return err
	}
	fe := market.FieldErrors{}
	for _, it := range items {
		if it.Quantity < 0 || it.Quantity > market.MaxProductStock {
			fe.Add(fmt.Sprintf("items.%d", it.ProductID), "Jumlah tidak valid.")
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	// Batch joins each SetCartQuantity into one transaction, rolled back when any is refused.
	return s.Batch(ctx, func(ctx context.Context) error {
		for _, it := range items {
			err := s.SetCartQuantity(ctx, p, unitID, it)
			field := fmt.Sprintf("items.%d", it.ProductID)
			var me *market.Error
			switch {
			case err == nil:
			case errors.As(err, &me) && me.Code == market.CodeInvalid:
				fe.Add(field, me.Message)
			case errors.As(err, &me) && me.Code == market.CodeNotFound:
				fe.Add(field, "Produk ini tidak lagi ditampilkan di katalog; isi 0 untuk menghapusnya dari keranjang.")
			default:
				return err
			}
		}
		return fe.Err()
	})
}

package store

import (
	"context"
	"errors"
	"sort"

	"bela/internal/market"
)

// SkippedProduct is a draft that SubmitDrafts left as a draft, with the reason.
type SkippedProduct struct {
	SKU    string
	Reason string
}

// SubmitDrafts submits, in one transaction, every draft listing of the seller that is complete
// (after an import a micro seller otherwise submits dozens of drafts one page at a time). Drafts
// that fail validation stay drafts and are reported with their reason; each submitted one gets
// its own audit event, as with SubmitProduct. Errors: CodeConflict when the seller may not list
// products at all (not yet verified, suspended, or not micro or small).
func (s *Store) SubmitDrafts(ctx context.Context, a Actor, sellerID int64) (submitted int, skipped []SkippedProduct, err error) {
	err = s.inTx(ctx, func(tx *Tx) error {
		submitted, skipped = 0, nil
		f, err := s.sellerFacts(ctx, tx.tx, sellerID)
		if err != nil {
			return err
		}
		if err := f.checkMayList(); err != nil {
			return err
		}
		ids, err := queryIDs(ctx, tx.tx, "submit drafts", `SELECT id FROM products WHERE seller_id = $1 AND status = $2 ORDER BY id`, sellerID, string(market.ProductDraft))
		if err != nil {
			return err
		}
		for _, id := range ids {
			p, err := tx.sellerProduct(ctx, sellerID, id)
			if err != nil {
				return err
			}
			if _, err := s.normalize(p.Product, f); err != nil {
				skipped = append(skipped, SkippedProduct{SKU: p.SKU, Reason: firstFieldMessage(err)})
				continue
			}
			if err := tx.setStatus(ctx, a, "product.submit", p, market.ProductSubmitted, ""); err != nil {
				return err
			}
			submitted++
		}
		return nil
	})
	return submitted, skipped, err
}

// firstFieldMessage is the message of a validation error: its first field's problem in name
// order (so the report is stable), or its message.
func firstFieldMessage(err error) string {
	var e *market.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	names := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) > 0 {
		return e.Fields[names[0]]
	}
	return e.Message
}

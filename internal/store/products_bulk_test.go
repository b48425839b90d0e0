package store_test

import (
	"strings"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

func TestSubmitDrafts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		sid := makeSeller(t, s, "Toko ATK Sinar", market.SellerVerified, market.ClassMicro, "47611", "47411")
		for _, sku := range []string{"HVS-A4", "HVS-F4"} {
			if _, err := s.CreateProduct(ctx, seller, sid, paper(sku, 55000)); err != nil {
				t.Fatal(err)
			}
		}
		laptop := paper("LAP-1", 5000000)
		laptop.CategoryCode, laptop.Unit, laptop.PublicPrice = "07.01.01", "unit", 0
		if _, err := s.CreateProduct(ctx, seller, sid, laptop); err != nil {
			t.Fatal(err)
		}
		// The seller loses the KBLI for computers: that draft can no longer be submitted.
		if _, err := s.DB().ExecContext(ctx, `DELETE FROM seller_kbli WHERE seller_id = $1 AND kbli = '47411'`, sid); err != nil {
			t.Fatal(err)
		}
		n, skipped, err := s.SubmitDrafts(ctx, seller, sid)
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 || len(skipped) != 1 || skipped[0].SKU != "LAP-1" || !strings.Contains(skipped[0].Reason, "47411") {
			t.Fatalf("SubmitDrafts = %d, %+v", n, skipped)
		}
		list, err := s.ListSellerProducts(ctx, sid, "")
		if err != nil || list.Counts[market.ProductSubmitted] != 2 || list.Counts[market.ProductDraft] != 1 {
			t.Errorf("after bulk submit: %+v, %v", list.Counts, err)
		}
		// Nothing left to submit: a second call changes nothing.
		if n, _, err := s.SubmitDrafts(ctx, seller, sid); err != nil || n != 0 {
			t.Errorf("second call: %d, %v", n, err)
		}
		// A seller that may not list submits nothing at all.
		susp := makeSeller(t, s, "Toko Ditangguhkan", market.SellerSuspended, market.ClassMicro, "47611")
		if _, _, err := s.SubmitDrafts(ctx, seller, susp); market.ErrorCode(err) != market.CodeConflict {
			t.Errorf("suspended seller: %v", err)
		}
	})
}

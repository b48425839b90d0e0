package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// TestSetCartQuantitiesAllOrNothing changes several cart lines at once: one refused item (a
// product no longer shown, a quantity out of range) refuses the whole change, naming each
// refused item, and writes nothing — no line, no audit event; a valid change writes every line.
func TestSetCartQuantitiesAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		noErr(t, s.AddToCart(bg, sh.buyer, sh.unit.ID, store.CartItem{ProductID: sh.paper, Quantity: 2}))
		noErr(t, s.AddToCart(bg, sh.buyer, sh.unit.ID, store.CartItem{ProductID: sh.pens, Quantity: 3}))
		hidden := sh.addProduct(sh.seller2, "Nasi kotak", "02.01.02", "kotak", 30_000, 100)
		sh.exec(`UPDATE products SET status = 'draft' WHERE id = $1`, hidden)
		quantities := func() map[int64]int64 {
			t.Helper()
			cart, err := s.GetCart(bg, sh.buyer, sh.unit.ID)
			noErr(t, err)
			out := map[int64]int64{}
			for _, g := range cart.Groups {
				for _, l := range g.Lines {
					out[l.ProductID] = l.Quantity
				}
			}
			return out
		}
		events := func() int {
			t.Helper()
			rows, err := s.ListAudit(bg, store.AuditFilter{ObjectType: "cart", Limit: 500})
			noErr(t, err)
			return len(rows)
		}
		before, nEvents := quantities(), events()

		tests := []struct {
			name   string
			items  []store.CartItem
			fields []string
		}{
			{"a product no longer shown", []store.CartItem{{ProductID: sh.paper, Quantity: 10}, {ProductID: hidden, Quantity: 5}},
				[]string{fmt.Sprintf("items.%d", hidden)}},
			{"quantities out of range", []store.CartItem{{ProductID: sh.paper, Quantity: 10}, {ProductID: sh.pens, Quantity: -1},
				{ProductID: sh.snack, Quantity: market.MaxProductStock + 1}},
				[]string{fmt.Sprintf("items.%d", sh.pens), fmt.Sprintf("items.%d", sh.snack)}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := s.SetCartQuantities(bg, sh.buyer, sh.unit.ID, tt.items)
				wantCode(t, err, market.CodeInvalid)
				var got []string
				for k := range err.(*market.Error).Fields {
					got = append(got, k)
				}
				slices.Sort(got)
				slices.Sort(tt.fields)
				if diff := cmp.Diff(tt.fields, got); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(before, quantities()); diff != "" {
					t.Errorf("a refused change wrote the cart (-before +after):\n%s", diff)
				}
				if n := events(); n != nEvents {
					t.Errorf("a refused change wrote %d audit events", n-nEvents)
				}
			})
		}

		wantCode(t, s.SetCartQuantities(bg, sh.outsider, sh.unit.ID, []store.CartItem{{ProductID: sh.paper, Quantity: 1}}), market.CodeForbidden)

		noErr(t, s.SetCartQuantities(bg, sh.buyer, sh.unit.ID, []store.CartItem{{ProductID: sh.paper, Quantity: 10}, {ProductID: sh.pens, Quantity: 0},
			{ProductID: sh.snack, Quantity: 4}, {ProductID: hidden, Quantity: 0}}))
		if diff := cmp.Diff(map[int64]int64{sh.paper: 10, sh.snack: 4}, quantities()); diff != "" {
			t.Errorf("cart after the change (-want +got):\n%s", diff)
		}
		if n := events(); n != nEvents+3 {
			t.Errorf("the change wrote %d audit events, want 3 (one per changed line)", n-nEvents)
		}
	})
}

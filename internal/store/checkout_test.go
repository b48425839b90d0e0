package store_test

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// TestConcurrentCheckoutsSplitOnce races buyers of one unit whose orders each fit under the cap
// but any two together pass it. Checkout evaluates the rules before its write transaction, so
// this proves the unit's orders are settled inside it: exactly one order is placed without a
// justification, and every other checkout stops at the split-purchase warning.
func TestConcurrentCheckoutsSplitOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		sh.exec(`UPDATE products SET stock = 100000 WHERE id = $1`, sh.paper)
		const racers = 12
		var okN, split atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, racers)
		for i := range racers {
			wg.Go(func() {
				buyer := sh.buyer
				if i%2 == 1 {
					buyer = sh.buyer2
				}
				<-start
				// 600 rim × Rp50.000 = Rp30 juta: one fits under the Rp50 juta cap, two do not.
				_, err := s.Checkout(bg, buyer, sh.input(store.CartItem{ProductID: sh.paper, Quantity: 600}))
				switch market.ErrorCode(err) {
				case "":
					okN.Add(1)
				case market.CodeRuleBlocked:
					// The same seller and the same leaf category: a warning for each.
					if codes := ruleCodes(err); !slices.Equal(codes, []string{"split_purchase/warning", "split_purchase/warning"}) {
						errs <- fmt.Errorf("rules = %v, want the split warnings alone", codes)
					}
					split.Add(1)
				default:
					errs <- err
				}
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if okN.Load() != 1 || split.Load() != racers-1 {
			t.Errorf("%d placed and %d stopped by the split rule, want 1 and %d", okN.Load(), split.Load(), racers-1)
		}
	})
}

// TestCheckoutSeesTheUnitsLatestOrders checks the split-purchase rule across checkouts that
// reuse what the previous one read of the unit's orders: an order just placed counts, and an
// order cancelled since no longer does.
func TestCheckoutSeesTheUnitsLatestOrders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		sh.exec(`UPDATE products SET stock = 100000 WHERE id = $1`, sh.paper)
		thirty := sh.input(store.CartItem{ProductID: sh.paper, Quantity: 600}) // Rp30 juta
		first := sh.checkout(thirty)
		c.Advance(time.Hour)
		_, err := s.Checkout(bg, sh.buyer, thirty)
		wantCode(t, err, market.CodeRuleBlocked)
		_, err = s.Cancel(bg, sh.buyer, first.ID, "Salah jumlah.")
		noErr(t, err)
		c.Advance(time.Hour)
		second := sh.checkout(thirty)
		if len(second.Rules) != 0 {
			t.Errorf("rules after the cancellation = %v, want none", second.Rules)
		}
		c.Advance(time.Hour)
		_, err = s.Checkout(bg, sh.buyer2, thirty)
		wantCode(t, err, market.CodeRuleBlocked)
	})
}

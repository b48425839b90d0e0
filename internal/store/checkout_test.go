package store_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"

	"github.com/google/go-cmp/cmp"
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
		ok := raceCheckouts(t, racers, func(err error) error {
			// The same seller and the same leaf category: a warning for each.
			if codes := ruleCodes(err); !slices.Equal(codes, []string{"split_purchase/warning", "split_purchase/warning"}) {
				return fmt.Errorf("rules = %v (%v), want the split warnings alone", codes, err)
			}
			return nil
		}, func(i int) error {
			buyer := sh.buyer
			if i%2 == 1 {
				buyer = sh.buyer2
			}
			// 600 rim × Rp50.000 = Rp30 juta: one fits under the Rp50 juta cap, two do not.
			_, err := s.Checkout(bg, buyer, sh.input(store.CartItem{ProductID: sh.paper, Quantity: 600}))
			return err
		})
		if ok != 1 {
			t.Errorf("%d placed and %d stopped by the split rule, want 1 and %d", ok, racers-ok, racers-1)
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

// TestCheckoutReturnsTheOrdersAsStored checks that the orders Checkout builds from what it
// wrote (it does not read them back) are exactly what reading them gives: two sellers, one PKP,
// with a receiver, shipping, a justification and a cart as the source.
func TestCheckoutReturnsTheOrdersAsStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		sh.exec(`UPDATE products SET stock = 100000 WHERE id = $1`, sh.paper)
		for _, it := range []store.CartItem{{ProductID: sh.paper, Quantity: 500}, {ProductID: sh.snack, Quantity: 40}, {ProductID: sh.pens, Quantity: 12}} {
			noErr(t, s.AddToCart(bg, sh.buyer, sh.unit.ID, it))
		}
		in := sh.input()
		in.ReceiverID = sh.receiver.UserID
		in.Shipping = map[int64]market.Rupiah{sh.seller1: 15_000, sh.seller2: 20_000}
		// An earlier order makes the next one from seller 1 a split purchase that needs a reason.
		sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 600}))
		in.Justifications = map[int64]map[string]string{sh.seller1: {market.RuleSplit: "Kebutuhan bagian lain, dianggarkan terpisah."}}
		c.Advance(time.Minute)
		placed, err := s.Checkout(bg, sh.buyer, in)
		noErr(t, err)
		if len(placed) != 2 {
			t.Fatalf("checkout made %d orders, want 2", len(placed))
		}
		if len(placed[0].Rules) == 0 {
			t.Fatal("the first order has no rule results; the test wants a warning to compare")
		}
		for _, o := range placed {
			stored, err := s.GetOrder(bg, sh.auditor, o.ID)
			noErr(t, err)
			// What GetOrder adds beyond the order and its lines.
			stored.Shipments, stored.Receipts, stored.Negotiations, stored.Timeline, stored.Allowed = nil, nil, nil, nil, nil
			if diff := cmp.Diff(stored, o); diff != "" {
				t.Errorf("order %d as returned by Checkout differs from the stored one (-stored +returned):\n%s", o.ID, diff)
			}
			// The audit event carries the same rule results and justifications.
			events, err := s.ListAudit(bg, store.AuditFilter{ObjectType: "order", ObjectID: o.ID, Action: "order.checkout"})
			noErr(t, err)
			if len(events) != 1 {
				t.Fatalf("order %d has %d checkout events, want 1", o.ID, len(events))
			}
			var ev struct {
				Changes map[string]struct{ After json.RawMessage } `json:"changes"`
			}
			noErr(t, json.Unmarshal([]byte(events[0].Canonical), &ev))
			var rules []market.RuleResult
			var just map[string]string
			noErr(t, json.Unmarshal(ev.Changes["rules"].After, &rules))
			noErr(t, json.Unmarshal(ev.Changes["justifications"].After, &just))
			if diff := cmp.Diff(stored.Rules, rules); diff != "" {
				t.Errorf("order %d: the audit event's rules differ from the order's (-order +event):\n%s", o.ID, diff)
			}
			if diff := cmp.Diff(stored.Justifications, just); diff != "" {
				t.Errorf("order %d: the audit event's justifications differ from the order's (-order +event):\n%s", o.ID, diff)
			}
		}
		cart, err := s.GetCart(bg, sh.buyer, sh.unit.ID)
		noErr(t, err)
		if len(cart.Groups) != 0 {
			t.Errorf("the cart still holds %d groups after checkout", len(cart.Groups))
		}
	})
}

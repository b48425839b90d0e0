package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// fieldsOf returns the field errors of a coded error.
func fieldsOf(err error) map[string]string {
	var me *market.Error
	if errors.As(err, &me) {
		return me.Fields
	}
	return nil
}

// wantField fails unless err is CodeInvalid naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, market.CodeInvalid)
	if _, ok := fieldsOf(err)[field]; !ok {
		t.Errorf("error does not name field %q: %v %v", field, err, fieldsOf(err))
	}
}

// jakartaDay returns midnight in the instance's time zone, days after the clock's today.
func jakartaDay(t *testing.T, c *storetest.Clock, years, days int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Jakarta")
	noErr(t, err)
	y, m, d := c.Now().In(loc).Date()
	return time.Date(y+years, m, d+days, 0, 0, 0, 0, loc)
}

// Justifications are accepted only for the rules that ask for one, bounded in length, and for
// sellers in the checkout; the date the goods are needed by is bounded ahead.
func TestCheckoutBoundsJustificationsAndNeededBy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		long := strings.Repeat("a", store.MaxJustificationLength+1)
		good := "Kebutuhan kegiatan yang berbeda dengan jadwal terpisah."
		j := func(sid int64, code, text string) map[int64]map[string]string {
			return map[int64]map[string]string{sid: {code: text}}
		}
		for _, tc := range []struct {
			name  string
			edit  func(in *store.CheckoutInput)
			field string
		}{
			{"made-up rule", func(in *store.CheckoutInput) { in.Justifications = j(sh.seller1, "anything", good) },
				fmt.Sprintf("justifications.%d", sh.seller1)},
			{"rule without justification", func(in *store.CheckoutInput) { in.Justifications = j(sh.seller1, market.RuleCap, good) },
				fmt.Sprintf("justifications.%d", sh.seller1)},
			{"too long", func(in *store.CheckoutInput) { in.Justifications = j(sh.seller1, market.RuleSplit, long) },
				fmt.Sprintf("justifications.%d.split_purchase", sh.seller1)},
			{"seller not in the checkout", func(in *store.CheckoutInput) { in.Justifications = j(sh.seller2, market.RulePrice, good) },
				fmt.Sprintf("justifications.%d", sh.seller2)},
			{"needed by in the far future", func(in *store.CheckoutInput) { in.NeededBy = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) },
				"needed_by"},
			{"needed by a day past the bound", func(in *store.CheckoutInput) { in.NeededBy = jakartaDay(t, c, store.MaxNeededByYears, 1) },
				"needed_by"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2})
				tc.edit(&in)
				_, err := s.PreviewCheckout(bg, sh.buyer, in)
				wantField(t, err, tc.field)
				_, err = s.Checkout(bg, sh.buyer, in)
				wantField(t, err, tc.field)
				if l, _ := s.ListOrders(bg, sh.auditor, store.OrderFilter{}); len(l) != 0 {
					t.Errorf("a refused checkout wrote %d orders", len(l))
				}
			})
		}

		// Within the bounds: kept, trimmed, empty ones left out.
		in := sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2})
		in.NeededBy = jakartaDay(t, c, store.MaxNeededByYears, 0)
		in.Justifications = map[int64]map[string]string{sh.seller1: {market.RulePrice: "  " + good + "  ", market.RuleSplit: " "}}
		o := sh.checkout(in)
		if len(o.Justifications) != 1 || o.Justifications[market.RulePrice] != good {
			t.Errorf("justifications kept = %q", o.Justifications)
		}
		got, err := s.GetOrder(bg, sh.auditor, o.ID)
		noErr(t, err)
		if len(got.Justifications) != 1 || got.Justifications[market.RulePrice] != good {
			t.Errorf("justifications stored = %q", got.Justifications)
		}
	})
}

// A product buyers do not see is not found at checkout, with the very message of a product that
// does not exist: no rule result tells its name, price, unit or category.
func TestCheckoutHidesUnlistedProducts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		missing := int64(987654)
		_, err := s.Checkout(bg, sh.buyer, sh.input(store.CartItem{ProductID: missing, Quantity: 1}))
		wantCode(t, err, market.CodeInvalid)
		notFound := errText(err)

		hidden := sh.addProduct(sh.seller1, "Kertas rahasia Rp77.777", "01.01.01", "lembar", 77_777, 100)
		noErr(t, s.AddToCart(bg, sh.buyer, sh.unit.ID, store.CartItem{ProductID: hidden, Quantity: 1}))
		// An approved listing of a seller no longer eligible was public: the eligibility
		// rule blocks it and says why (TestCheckoutRules); only unlisted ones are hidden.
		for _, tc := range []struct {
			name    string
			product int64
			hide    func()
		}{
			{"draft", hidden, func() { sh.exec(`UPDATE products SET status = 'draft' WHERE id = $1`, hidden) }},
			{"submitted", hidden, func() { sh.exec(`UPDATE products SET status = 'submitted' WHERE id = $1`, hidden) }},
			{"rejected", hidden, func() { sh.exec(`UPDATE products SET status = 'rejected' WHERE id = $1`, hidden) }},
			{"taken down", hidden, func() { sh.exec(`UPDATE products SET status = 'taken_down' WHERE id = $1`, hidden) }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tc.hide()
				want := strings.Replace(notFound, fmt.Sprint(missing), fmt.Sprint(tc.product), 1)
				in := sh.input(store.CartItem{ProductID: tc.product, Quantity: 1})
				_, err := s.PreviewCheckout(bg, sh.buyer, in)
				wantCode(t, err, market.CodeInvalid)
				if got := errText(err); got != want {
					t.Errorf("preview says %q, want %q as for a missing product", got, want)
				}
				_, err = s.Checkout(bg, sh.buyer, in)
				wantCode(t, err, market.CodeInvalid)
				if got := errText(err); got != want {
					t.Errorf("checkout says %q, want %q as for a missing product", got, want)
				}
				if tc.product == hidden { // from the cart, where it was added while listed
					in.Items = nil
					_, err = s.Checkout(bg, sh.buyer, in)
					wantCode(t, err, market.CodeInvalid)
					if got := errText(err); got != want {
						t.Errorf("checkout of the cart says %q, want %q", got, want)
					}
				}
			})
		}
	})
}

// A returned order is resubmitted only with edits that checkout would accept; a refused edit
// changes nothing.
func TestResubmitChecksEditsAsCheckout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		o := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 10}))
		_, err := s.Return(bg, sh.ppk, o.ID, "Perbaiki tanggal kebutuhan.")
		noErr(t, err)
		before, err := s.GetOrder(bg, sh.auditor, o.ID)
		noErr(t, err)
		stock, budget := sh.stock(sh.paper), sh.line()

		date := func(t time.Time) *time.Time { return &t }
		text := func(s string) *string { return &s }
		good := "Kebutuhan kegiatan yang berbeda dengan jadwal terpisah."
		for _, tc := range []struct {
			name  string
			in    store.ResubmitInput
			field string
		}{
			{"needed by yesterday", store.ResubmitInput{NeededBy: date(jakartaDay(t, c, 0, -1))}, "needed_by"},
			{"needed by in the far future", store.ResubmitInput{NeededBy: date(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))}, "needed_by"},
			{"needed by not given", store.ResubmitInput{NeededBy: &time.Time{}}, "needed_by"},
			{"notes too long", store.ResubmitInput{Notes: text(strings.Repeat("n", 50_000))}, "notes"},
			{"address too long", store.ResubmitInput{Address: text(strings.Repeat("j", store.MaxAddressLength+1))}, "address"},
			{"address empty", store.ResubmitInput{Address: text("  ")}, "address"},
			{"made-up rule", store.ResubmitInput{Justifications: map[string]string{"catatan_bebas": good}}, "justifications"},
			{"justification too long", store.ResubmitInput{Justifications: map[string]string{market.RuleSplit: strings.Repeat("x", 400_000)}},
				"justifications.split_purchase"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.Resubmit(bg, sh.buyer, o.ID, tc.in)
				wantField(t, err, tc.field)
				after, err := s.GetOrder(bg, sh.auditor, o.ID)
				noErr(t, err)
				if after.State != market.StateReturned || after.Notes != before.Notes || !after.NeededBy.Equal(before.NeededBy) ||
					after.Address != before.Address || len(after.Justifications) != 0 {
					t.Errorf("a refused resubmission changed the order: %+v", after)
				}
				if sh.stock(sh.paper) != stock || sh.line() != budget {
					t.Errorf("a refused resubmission changed stock or budget")
				}
			})
		}

		// Good edits go through, normalised as at checkout.
		needed := jakartaDay(t, c, 0, 14)
		r, err := s.Resubmit(bg, sh.buyer, o.ID, store.ResubmitInput{NeededBy: &needed, Notes: text("  Untuk pelatihan.  "),
			Justifications: map[string]string{market.RulePrice: " " + good + " "}})
		noErr(t, err)
		if r.State != market.StateAwaitingApproval || !r.NeededBy.Equal(needed) || r.Notes != "Untuk pelatihan." ||
			r.Justifications[market.RulePrice] != good {
			t.Errorf("after resubmission: %+v", r)
		}
	})
}

// A cart line holds at most market.MaxProductStock, and the refusal says that bound, whether
// one addition passes it or the additions together.
func TestAddToCartSaysTheMaximum(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		err := s.AddToCart(bg, sh.buyer, sh.unit.ID, store.CartItem{ProductID: sh.paper, Quantity: market.MaxProductStock + 1})
		wantCode(t, err, market.CodeInvalid)
		if want := "Jumlah paling banyak " + market.GroupDigits(market.MaxProductStock) + "."; !strings.Contains(errText(err), want) {
			t.Errorf("too many at once: %q, want %q", errText(err), want)
		}
		noErr(t, s.AddToCart(bg, sh.buyer, sh.unit.ID, store.CartItem{ProductID: sh.paper, Quantity: market.MaxProductStock}))
		err = s.AddToCart(bg, sh.buyer, sh.unit.ID, store.CartItem{ProductID: sh.paper, Quantity: 1})
		wantCode(t, err, market.CodeInvalid)
		if want := "Keranjang sudah berisi " + market.GroupDigits(market.MaxProductStock); !strings.Contains(errText(err), want) {
			t.Errorf("too many together: %q, want %q", errText(err), want)
		}
	})
}

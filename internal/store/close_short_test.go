package store_test

import (
	"slices"
	"strings"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// An order the PPK closes short before anything arrived is settled: stock and budget go back in
// full (shipping included), there is nothing to invoice, and it waits for nobody.
func TestCloseShortWithNothingReceivedIsSettled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		treasurer := sh.user("Bendahara", store.Grant{Role: market.RoleTreasurer, ScopeID: sh.unit.ID})
		for _, shipped := range []bool{false, true} {
			in := sh.input(store.CartItem{ProductID: sh.paper, Quantity: 10})
			in.Shipping = map[int64]market.Rupiah{sh.seller1: 30_000}
			o := sh.checkout(in)
			_, err := s.Approve(bg, sh.ppk, o.ID)
			noErr(t, err)
			_, err = s.Accept(bg, sh.owner1, o.ID)
			noErr(t, err)
			if shipped {
				_, err = s.Ship(bg, sh.owner1, o.ID, store.ShipInput{DeliveryNote: "SJ-1"})
				noErr(t, err)
			}
			cs, err := s.CloseShort(bg, sh.ppk, o.ID, "Penyedia tidak pernah mengirim barang.")
			noErr(t, err)
			if cs.State != market.StateClosedShort || cs.BudgetReserved != 0 || cs.BudgetCommitted != 0 {
				t.Fatalf("shipped %v: after close short: %s, reserved %d, committed %d", shipped, cs.State, cs.BudgetReserved, cs.BudgetCommitted)
			}
			if b := sh.line(); b.Reserved != 0 || b.Committed != 0 || b.Spent != 0 || b.Available() != b.Ceiling {
				t.Errorf("shipped %v: budget line after close short = %+v, want everything released", shipped, b)
			}
			if got := sh.stock(sh.paper); got != 100 {
				t.Errorf("shipped %v: stock after close short = %d, want all 100 back", shipped, got)
			}

			// Nothing to invoice: the seller is not offered it and is refused with the reason.
			seen, err := s.GetOrder(bg, sh.owner1, o.ID)
			noErr(t, err)
			if slices.Contains(seen.Allowed, market.ActionInvoice) || !slices.Contains(seen.Allowed, market.ActionDispute) {
				t.Errorf("shipped %v: seller may %v, want a dispute and no invoice", shipped, seen.Allowed)
			}
			_, err = s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
			wantCode(t, err, market.CodeConflict)
			if !strings.Contains(errText(err), "tidak ada yang dapat ditagih") {
				t.Errorf("shipped %v: invoice refused with %q, want the reason", shipped, errText(err))
			}
			// Nobody waits for it.
			if l, err := s.ListOrders(bg, sh.ppk, store.OrderFilter{PPKID: sh.ppk.UserID, State: market.StateAwaitingApproval}); err != nil || len(l) != 0 {
				t.Errorf("PPK's orders awaiting approval: %d (%v)", len(l), err)
			}
			for _, st := range []market.State{market.StateApproved, market.StateShipped, market.StatePartiallyReceived, market.StateReceived} {
				if l, err := s.ListOrders(bg, sh.auditor, store.OrderFilter{State: st}); err != nil || len(l) != 0 {
					t.Errorf("%d orders %s (%v)", len(l), st, err)
				}
			}
			if pay, err := s.PayableInvoices(bg, treasurer); err != nil || len(pay) != 0 {
				t.Errorf("treasurer has %d invoices to pay (%v)", len(pay), err)
			}
		}

		// Closed short after part of the goods came, it is invoiced for those.
		o := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 10}))
		for _, step := range []func() (store.Order, error){
			func() (store.Order, error) { return s.Approve(bg, sh.ppk, o.ID) },
			func() (store.Order, error) { return s.Accept(bg, sh.owner1, o.ID) },
			func() (store.Order, error) { return s.Ship(bg, sh.owner1, o.ID, store.ShipInput{DeliveryNote: "SJ-2"}) },
			func() (store.Order, error) {
				return s.Receive(bg, sh.receiver, o.ID, store.ReceiveInput{Lines: []store.ReceiptLine{{OrderLineID: o.Lines[0].ID, Quantity: 4}}})
			},
			func() (store.Order, error) { return s.CloseShort(bg, sh.ppk, o.ID, "Sisa tidak diperlukan lagi.") },
		} {
			_, err := step()
			noErr(t, err)
		}
		if b := sh.line(); b.Committed != 200_000 || b.Reserved != 0 {
			t.Errorf("budget after a partial close short = %+v, want 200.000 committed", b)
		}
		seen, err := s.GetOrder(bg, sh.owner1, o.ID)
		noErr(t, err)
		if !slices.Contains(seen.Allowed, market.ActionInvoice) {
			t.Errorf("seller may %v, want to invoice what was received", seen.Allowed)
		}
		inv, err := s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
		noErr(t, err)
		if inv.State != market.StateInvoiced {
			t.Errorf("after invoice: %s", inv.State)
		}
	})
}

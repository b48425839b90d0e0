package store_test

import (
	"testing"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// A PPK whose role in a unit has ended no longer lists that unit's orders, not even filtered by
// their own PPK id: the list shows what GetOrder shows.
func TestListOrdersByOwnPPKKeepsVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		o := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2}))
		own := store.OrderFilter{PPKID: sh.ppk.UserID}
		l, err := s.ListOrders(bg, sh.ppk, own)
		noErr(t, err)
		if len(l) != 1 || l[0].ID != o.ID {
			t.Fatalf("PPK in office lists %d orders, want their one", len(l))
		}

		// The PPK moves to another unit: the role in the first one ends, a new one begins.
		noErr(t, s.GrantRole(bg, sh.admin, sh.ppk.UserID, store.Grant{Role: market.RoleApprover, ScopeID: sh.unit2.ID}))
		for _, m := range sh.ppk.Memberships {
			if m.ScopeKind == market.ScopeUnit && m.ScopeID == sh.unit.ID {
				noErr(t, s.EndMembership(bg, sh.unitAdm, m.ID))
			}
		}
		moved, err := s.Principal(bg, sh.ppk.UserID)
		noErr(t, err)
		if moved.InUnit(sh.unit.ID) || !moved.InUnit(sh.unit2.ID, market.RoleApprover) {
			t.Fatalf("memberships after the move: %+v", moved.Memberships)
		}
		_, err = s.GetOrder(bg, moved, o.ID)
		wantCode(t, err, market.CodeNotFound)
		for _, f := range []store.OrderFilter{own, {PPKID: moved.UserID, State: market.StateAwaitingApproval}, {}} {
			l, err := s.ListOrders(bg, moved, f)
			noErr(t, err)
			if len(l) != 0 {
				t.Errorf("filter %+v: a PPK no longer in the unit lists %d of its orders", f, len(l))
			}
		}
		// Without any role left, still nothing.
		for _, m := range moved.Memberships {
			noErr(t, s.EndMembership(bg, sh.admin, m.ID))
		}
		gone, err := s.Principal(bg, sh.ppk.UserID)
		noErr(t, err)
		if l, err := s.ListOrders(bg, gone, own); err != nil || len(l) != 0 {
			t.Errorf("a PPK without roles lists %d orders (%v)", len(l), err)
		}
		// Auditors and the unit's officials still list the order by its PPK.
		for _, c := range []struct {
			p *market.Principal
			f store.OrderFilter
		}{{sh.auditor, own}, {sh.receiver, store.OrderFilter{UnitID: sh.unit.ID, PPKID: sh.ppk.UserID}}} {
			l, err := s.ListOrders(bg, c.p, c.f)
			noErr(t, err)
			if len(l) != 1 {
				t.Errorf("user %d lists %d orders of the PPK, want 1", c.p.UserID, len(l))
			}
		}
	})
}

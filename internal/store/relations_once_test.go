package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// A relation with a seller is declared once: while it is active, declaring it again (by the
// user or by an admin, even in other words) is refused on the seller field, so that ending it
// ends the conflict of interest. Other sellers, other users and an ended relation are free.
func TestSellerRelationDeclaredOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		first, err := s.DeclareSellerRelation(bg, sh.buyer, sh.buyer.UserID, sh.seller1, "adik pemilik")
		noErr(t, err)
		for _, tc := range []struct {
			name     string
			by       *market.Principal
			relation string
		}{
			{"the user again", sh.buyer, "adik pemilik"},
			{"the user in other words", sh.buyer, "adik kandung pemilik"},
			{"an admin", sh.admin, "adik pemilik"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.DeclareSellerRelation(bg, tc.by, sh.buyer.UserID, sh.seller1, tc.relation)
				wantCode(t, err, market.CodeConflict)
				var me *market.Error
				if !errors.As(err, &me) || me.Fields["seller_id"] == "" {
					t.Errorf("the refusal names no field: %v", err)
				}
			})
		}
		_, err = s.DeclareSellerRelation(bg, sh.buyer, sh.buyer.UserID, sh.seller2, "sepupu pemilik")
		noErr(t, err)
		_, err = s.DeclareSellerRelation(bg, sh.admin, sh.buyer2.UserID, sh.seller1, "adik pemilik")
		noErr(t, err)
		active := func() int {
			rs, err := s.SellerRelations(bg, sh.admin, store.RelationFilter{UserID: sh.buyer.UserID, SellerID: sh.seller1, ActiveOnly: true})
			noErr(t, err)
			return len(rs)
		}
		if n := active(); n != 1 {
			t.Fatalf("%d active relations with the seller, want 1", n)
		}

		// Ended, it may be declared again.
		c.Advance(time.Hour)
		noErr(t, s.EndSellerRelation(bg, sh.admin, first.ID))
		_, err = s.DeclareSellerRelation(bg, sh.buyer, sh.buyer.UserID, sh.seller1, "adik pemilik")
		noErr(t, err)
		if n := active(); n != 1 {
			t.Fatalf("after ending and declaring again: %d active relations, want 1", n)
		}
	})
}

// Declarations of the same relation sent at once (a double click, two tabs) store one.
func TestSellerRelationDeclaredOnceAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.DeclareSellerRelation(bg, sh.buyer, sh.buyer.UserID, sh.seller1, "adik pemilik")
			}()
		}
		wg.Wait()
		stored := 0
		for _, err := range errs {
			switch market.ErrorCode(err) {
			case "":
				stored++
			case market.CodeConflict:
			default:
				t.Errorf("declare: %v", err)
			}
		}
		rs, err := s.SellerRelations(bg, sh.admin, store.RelationFilter{UserID: sh.buyer.UserID, SellerID: sh.seller1})
		noErr(t, err)
		if stored != 1 || len(rs) != 1 {
			t.Errorf("%d declarations succeeded and %d relations are stored, want 1 and 1", stored, len(rs))
		}
	})
}

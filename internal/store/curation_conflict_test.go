package store_test

import (
	"errors"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// TestCuratorLinkedToASellerMayNotCurateIt: a curator who is or was a seller's staff, or has
// an active declared relation with it, may not decide on it nor review its listings and their
// revisions; an ended relation no longer bars her.
func TestCuratorLinkedToASellerMayNotCurateIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		staffed := makeSeller(t, s, "Toko ATK Sinar", market.SellerVerified, market.ClassMicro, "47611")
		related := makeSeller(t, s, "Toko Kerabat", market.SellerSubmitted, market.ClassMicro, "47611")
		u, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Kurator", Email: "kurator@bela.test", Password: "kata-sandi-kurator"},
			store.Grant{Role: market.RoleCurator}, store.Grant{Role: market.RoleSellerStaff, ScopeID: staffed})
		must(t, err)
		admin, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Admin", Email: "admin@bela.test", Password: "kata-sandi-admin"},
			store.Grant{Role: market.RoleAdmin})
		must(t, err)
		cur := store.Actor{UserID: u.ID, Role: market.RoleCurator}
		me, err := s.Principal(ctx, u.ID)
		must(t, err)
		rel, err := s.DeclareSellerRelation(ctx, me, u.ID, related, "Suami pemilik")
		must(t, err)
		got, err := s.CurationConflicts(ctx, u.ID)
		must(t, err)
		if len(got) != 2 || !got[staffed] || !got[related] {
			t.Errorf("conflicts = %v", got)
		}

		p, err := s.CreateProduct(ctx, seller, staffed, paper("HVS-A4", 55000))
		must(t, err)
		must(t, s.SubmitProduct(ctx, seller, staffed, p.ID))
		if _, err := s.ReviewProduct(ctx, cur, p.ID, market.ProductApprove, ""); !errors.Is(err, market.ErrForbidden) {
			t.Errorf("staff approves the listing: %v", err)
		}
		// Ended staff still counts.
		var m int64
		must(t, s.DB().QueryRowContext(ctx, `SELECT id FROM memberships WHERE user_id = $1 AND scope_kind = 'seller'`, u.ID).Scan(&m))
		ap, err := s.Principal(ctx, admin.ID)
		must(t, err)
		must(t, s.EndMembership(ctx, ap, m))
		if _, err := s.ReviewProduct(ctx, cur, p.ID, market.ProductTakedown, "x"); !errors.Is(err, market.ErrForbidden) {
			t.Errorf("former staff reviews the listing: %v", err)
		}
		_, err = s.ReviewProduct(ctx, curator, p.ID, market.ProductApprove, "")
		must(t, err)
		_, err = s.UpdateProduct(ctx, seller, staffed, p.ID, paper("HVS-A4", 52000))
		must(t, err)
		if _, err := s.ReviewProduct(ctx, cur, p.ID, market.ProductApprove, ""); !errors.Is(err, market.ErrForbidden) {
			t.Errorf("former staff approves a revision: %v", err)
		}
		if _, err := s.DecideSeller(ctx, cur, staffed, store.Decision{Decision: market.DecisionSuspend, Reason: "x"}); !errors.Is(err, market.ErrForbidden) {
			t.Errorf("former staff suspends the seller: %v", err)
		}
		if _, err := s.DecideSeller(ctx, cur, related, store.Decision{Decision: market.DecisionVerify}); !errors.Is(err, market.ErrForbidden) {
			t.Errorf("a relation verifies the seller: %v", err)
		}
		must(t, s.EndSellerRelation(ctx, ap, rel.ID))
		if _, err := s.DecideSeller(ctx, cur, related, store.Decision{Decision: market.DecisionVerify}); err != nil {
			t.Errorf("after the relation ended: %v", err)
		}
	})
}

// TestOfficialMayNotRegisterABusiness: CreateRegisteredSeller (the API's POST /sellers) does
// not make an official's account a seller's owner; a user without an official role may.
func TestOfficialMayNotRegisterABusiness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		o := seedOnboarding(t, s)
		if _, err := s.CreateRegisteredSeller(ctx, o.curator.ID, validReg("1234567890123", ""), true); !errors.Is(err, market.ErrForbidden) {
			t.Errorf("a curator registers a business: %v", err)
		}
		if p, _ := s.Principal(ctx, o.curator.ID); len(p.SellerIDs()) != 0 {
			t.Errorf("the curator became a seller's member")
		}
		u, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Melati", Email: "melati@umkm.example", Password: "kata-sandi-melati"})
		must(t, err)
		if _, err := s.CreateRegisteredSeller(ctx, u.ID, validReg("1234567890123", ""), true); err != nil {
			t.Errorf("a plain user registers a business: %v", err)
		}
	})
}

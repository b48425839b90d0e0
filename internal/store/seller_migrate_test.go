package store_test

import (
	"errors"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

func TestRecordSellerRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		f := seedOnboarding(t, s)
		sl, err := s.CreateSeller(ctx, store.System, "UD Kue Melati", "Medan Baru", string(market.SellerVerified))
		if err != nil {
			t.Fatal(err)
		}
		// A verified seller's data cannot be edited by its owner, but a migration records it.
		if _, err := s.SaveSellerRegistration(ctx, f.adminA, sl.ID, validReg("1234567890123", "01.234.567.8-121.000")); market.ErrorCode(err) != market.CodeConflict {
			t.Fatalf("SaveSellerRegistration on a verified seller: %v, want a conflict", err)
		}
		reg := validReg("1234567890123", "01.234.567.8-121.000")
		reg.Capital = 1_500_000_000 // small by capital
		if err := s.RecordSellerRegistration(ctx, f.adminA, sl.ID, reg); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetSeller(ctx, sl.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != string(market.SellerVerified) || got.Class != market.ClassSmall || got.Reg.NPWP != "0012345678121000" ||
			got.Reg.LegalForm != market.LegalUD || got.Reg.NIB != "1234567890123" || len(got.Reg.KBLI) != 2 {
			t.Errorf("recorded seller = status %s, class %s, reg %+v", got.Status, got.Class, got.Reg)
		}
		evs, err := s.ListAudit(ctx, store.AuditFilter{ObjectType: "seller", ObjectID: sl.ID, Action: "seller.register"})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].ActorUserID != f.admin.ID {
			t.Errorf("seller.register events = %+v, want one by the admin", evs)
		}

		// The same checks as the owner's form: invalid fields, a taken NIB, an unknown seller.
		other, err := s.CreateSeller(ctx, store.System, "CV Karya Deli", "Medan Kota", string(market.SellerVerified))
		if err != nil {
			t.Fatal(err)
		}
		bad := validReg("1234567890123", "")
		bad.LegalForm, bad.OwnerNIK = market.LegalCV, "1271013208850003"
		if got := fields(s.RecordSellerRegistration(ctx, f.adminA, other.ID, bad)); got["npwp"] == "" || got["owner_nik"] == "" {
			t.Errorf("invalid registration: fields %v", got)
		}
		if got := fields(s.RecordSellerRegistration(ctx, f.adminA, other.ID, validReg("1234567890123", "02.345.678.9-121.000"))); got["nib"] == "" {
			t.Errorf("taken NIB: fields %v", got)
		}
		if err := s.RecordSellerRegistration(ctx, f.adminA, 999_999, validReg("3234567890123", "")); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("unknown seller: %v", err)
		}
		if got, _ := s.GetSeller(ctx, other.ID); got.Registered() {
			t.Errorf("a refused registration was stored: %+v", got.Reg)
		}
	})
}

package demo_test

import (
	"strings"
	"testing"

	"bela/internal/demo"
	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// TestSellerRegistrations checks the demo sellers' registration data: every seller past its
// draft is registered with valid numbers, a legal form that fits its name, figures that give the
// class it has, KBLI codes that allow what it sells, and an address in its own kecamatan; drafts
// are not registered yet. The data passes the same validation as the owner's form.
func TestSellerRegistrations(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		res := load(t, s, demo.Options{Small: true})
		tree := s.Categories()
		seen := map[string]string{}
		unique := func(kind, v, seller string) {
			if other, ok := seen[kind+v]; ok {
				t.Errorf("%s %s of %s is also %s's", kind, v, seller, other)
			}
			seen[kind+v] = seller
		}
		var registered int
		for id := int64(1); id <= int64(res.Sellers); id++ {
			sl, err := s.GetSeller(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if sl.SellerStatus() == market.SellerDraft {
				if sl.Registered() {
					t.Errorf("draft seller %s is registered", sl.Name)
				}
				continue
			}
			if !sl.Registered() {
				t.Errorf("seller %s (%s) has no registration", sl.Name, sl.Status)
				continue
			}
			registered++
			g := sl.Reg
			if _, err := g.Normalized(); err != nil {
				t.Errorf("seller %s: registration does not validate: %v", sl.Name, err)
			}
			if g.BusinessName != sl.Name || g.Address.Kecamatan != sl.Kecamatan || g.Address.City != "Kota Medan" || g.Address.Kelurahan == "" {
				t.Errorf("seller %s in %s: registration names %q at %+v", sl.Name, sl.Kecamatan, g.BusinessName, g.Address)
			}
			if c := g.Class(); c != sl.Class || (c != market.ClassMicro && c != market.ClassSmall) {
				t.Errorf("seller %s is %s, its figures (%v, %v) say %s", sl.Name, sl.Class, g.Capital, g.AnnualSales, c)
			}
			switch {
			case strings.HasPrefix(sl.Name, "UD "):
				if g.LegalForm != market.LegalUD {
					t.Errorf("seller %s: legal form %s, want ud", sl.Name, g.LegalForm)
				}
			case strings.HasPrefix(sl.Name, "CV "):
				if g.LegalForm != market.LegalCV {
					t.Errorf("seller %s: legal form %s, want cv", sl.Name, g.LegalForm)
				}
			}
			if g.NPWP == "" || len(g.NPWP) != 16 {
				t.Errorf("seller %s: NPWP %q, want 16 digits", sl.Name, g.NPWP)
			}
			if g.LegalForm.Individual() && g.NPWP != g.OwnerNIK {
				t.Errorf("seller %s (%s): NPWP %s, want the owner's NIK %s", sl.Name, g.LegalForm, g.NPWP, g.OwnerNIK)
			}
			if !strings.HasPrefix(g.OwnerNIK, "1271") || g.OwnerNIK[12] != '9' || !strings.HasPrefix(g.NIB, "912") || !strings.HasPrefix(g.Bank.Number, "000") {
				t.Errorf("seller %s: NIK %s, NIB %s, account %s do not look like the demo's fake numbers", sl.Name, g.OwnerNIK, g.NIB, g.Bank.Number)
			}
			// PKP sellers are small businesses above the Rp4,8 miliar threshold, without PP 55.
			if g.PKP && (sl.Class != market.ClassSmall || g.AnnualSales <= market.PKPThreshold || g.PP55Number != "" || id == 1) {
				t.Errorf("seller %s is PKP as a %s business with sales %s and PP 55 %q", sl.Name, sl.Class, g.AnnualSales, g.PP55Number)
			}
			if !g.PKP && g.AnnualSales > market.PKPThreshold {
				t.Errorf("seller %s sells %s a year and is not PKP", sl.Name, g.AnnualSales)
			}
			unique("NIB", g.NIB, sl.Name)
			unique("NPWP", g.NPWP, sl.Name)
			unique("NIK", g.OwnerNIK, sl.Name)
			// The KBLI codes allow every category the seller lists in.
			ps, err := s.ListSellerProducts(ctx, sl.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps.Products {
				if err := tree.CanList(g.KBLI, p.CategoryCode); err != nil {
					t.Errorf("seller %s with KBLI %v lists %s in %s: %v", sl.Name, g.KBLI, p.Name, p.CategoryCode, err)
				}
			}
		}
		if registered == 0 {
			t.Errorf("no registered seller among %d", res.Sellers)
		}
		// The demo login's seller shows its data.
		sl, err := s.GetSeller(ctx, 1)
		if err != nil || sl.Reg.LegalForm != market.LegalUD || sl.Reg.NIB == "" {
			t.Errorf("the demo login's seller: %+v %v", sl.Reg, err)
		}
	})
}

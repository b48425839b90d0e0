package store_test

import (
	"math"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// A ceiling above market.MaxBudgetCeiling is refused by the store, and the unit dashboard's
// available total does not wrap around to a negative amount even over lines stored before the
// bound existed (the demo held a line of Rp9.223.372.036.854.775.807).
func TestBudgetCeilingBoundAndDashboardSum(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		in := store.BudgetInput{FiscalYear: 2026, KodeRUP: "27799001", AccountCode: "5.1.02.01.01.0052", Name: "Belanja Besar", FundingSource: "PAD",
			Ceiling: market.MaxBudgetCeiling + 1}
		_, err := s.CreateBudgetLine(bg, sh.unitAdm, sh.unit.ID, in)
		wantCode(t, err, market.CodeInvalid)
		_, err = s.ImportBudgetLines(bg, sh.unitAdm, sh.unit.ID, []store.BudgetImportRow{{Line: 2, BudgetInput: in}}, true)
		wantCode(t, err, market.CodeInvalid)
		in.Ceiling = market.MaxBudgetCeiling
		_, err = s.CreateBudgetLine(bg, sh.unitAdm, sh.unit.ID, in)
		noErr(t, err)
		in.KodeRUP, in.Ceiling = "27799002", 1_000_000
		_, err = s.CreateBudgetLine(bg, sh.unitAdm, sh.unit.ID, in)
		noErr(t, err)

		// Lines written before the bound: two of the largest int64 ceilings.
		sh.exec(`UPDATE budget_lines SET ceiling = $1 WHERE kode_rup IN ('27799001', '27799002')`, int64(math.MaxInt64))
		d, err := s.UnitDashboard(bg, sh.buyer, sh.unit.ID)
		noErr(t, err)
		if d.Available < 0 {
			t.Errorf("dashboard available = %s, wrapped around", d.Available)
		}
		if d.Available != math.MaxInt64 {
			t.Errorf("dashboard available = %s, want the saturated %s", d.Available, market.Rupiah(math.MaxInt64))
		}
	})
}

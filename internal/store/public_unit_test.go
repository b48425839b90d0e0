package store_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// TestPublicUnitReport checks the portal's page of one unit against the data it adds up: the
// totals are the unit's row of PublicSpend, the months (by the instance's time zone, not UTC)
// add up to them, withdrawn orders and other units' orders stay out, shares add up to 100 with
// the concentration mark above the policy's threshold, rule findings are counted per order with
// their justifications, and nothing names a person.
func TestPublicUnitReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		sh.exec(`UPDATE products SET stock = 100000`)
		sh.exec(`UPDATE sellers SET kecamatan = 'Medan Kota' WHERE id = $1`, sh.seller2)
		sh.exec(`UPDATE users SET nip = '198001012006041001', phone = '081234567890' WHERE id = $1`, sh.buyer.UserID)
		just := func(in store.CheckoutInput, seller int64) store.CheckoutInput {
			in.Justifications = map[int64]map[string]string{seller: {market.RuleSplit: "Kebutuhan bidang lain yang dianggarkan terpisah."}}
			return in
		}

		paid := sh.received(sh.buyer, sh.paper, 60) // Rp3.000.000 from seller 1
		_, err := s.IssueInvoice(bg, sh.owner1, paid.ID, store.InvoiceInput{})
		noErr(t, err)
		_, err = s.RecordPayment(bg, sh.treasurer, paid.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(),
			Reference: "SP2D-0001/2026", Amount: 2_955_000, Taxes: []store.TaxPayment{taxPay(market.TaxPPh22, 45_000)}})
		noErr(t, err)
		f4 := sh.checkout(sh.input(store.CartItem{ProductID: sh.ppkPaper, Quantity: 200})) // seller 2, with PPN
		big := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 600}))   // Rp30.000.000
		// Past the cap within the window: split purchases, justified.
		split := sh.checkout(just(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 500}), sh.seller1))
		pens := sh.checkout(just(sh.input(store.CartItem{ProductID: sh.pens, Quantity: 100}), sh.seller1))
		if !hasWarning(split.Rules, market.RuleSplit) || !hasWarning(pens.Rules, market.RuleSplit) {
			t.Fatalf("the fixture wants split-purchase warnings: %v / %v", split.Rules, pens.Rules)
		}
		// A warning stored without its justification (as a partner's report could be): counted,
		// not as justified.
		sh.exec(`UPDATE orders SET justifications = '{}' WHERE id = $1`, pens.ID)
		// Withdrawn orders, one of them warned: counted apart, in nothing else.
		rejected := sh.checkout(sh.input(store.CartItem{ProductID: sh.snack, Quantity: 400}))
		_, err = s.Reject(bg, sh.ppk, rejected.ID, "Tidak sesuai kebutuhan")
		noErr(t, err)
		cancelled := sh.checkout(just(sh.input(store.CartItem{ProductID: sh.pens, Quantity: 10}), sh.seller1))
		_, err = s.Cancel(bg, sh.buyer, cancelled.ID, "Salah pilih produk")
		noErr(t, err)
		snack := sh.checkout(sh.input(store.CartItem{ProductID: sh.snack, Quantity: 4})) // seller 2, Rp100.000
		// Another unit's purchase stays on its own page.
		adm2 := sh.user("Admin Dinkes", store.Grant{Role: market.RoleUnitAdmin, ScopeID: sh.unit2.ID})
		ppk2 := sh.user("PPK Dinkes", store.Grant{Role: market.RoleApprover, ScopeID: sh.unit2.ID})
		line2, err := s.CreateBudgetLine(bg, adm2, sh.unit2.ID, store.BudgetInput{FiscalYear: 2026, KodeRUP: "27799999",
			AccountCode: "5.1.02.01.01.0024", Name: "Belanja Makan Minum", FundingSource: "PAD", Ceiling: 100_000_000})
		noErr(t, err)
		in2 := sh.input(store.CartItem{ProductID: sh.pens, Quantity: 7})
		in2.UnitID, in2.BudgetLineID, in2.PPKID, in2.Address = sh.unit2.ID, line2.ID, ppk2.UserID, "Jl. Rumah Sakit No. 1"
		_, err = s.Checkout(bg, sh.outsider, in2)
		noErr(t, err)

		// When the orders were placed, in UTC: the paid one on 31 January 17:30 (1 February
		// 00:30 WIB), the big one on 31 March 18:00 (1 April 01:00 WIB), the F4 paper on 31
		// December 2025 16:00 (23:00 WIB, before the fiscal year); the others on 27 November.
		placeAt := func(o store.Order, at time.Time) {
			sh.exec(`UPDATE orders SET placed_at = $1 WHERE id = $2`, at.UnixMicro(), o.ID)
		}
		placeAt(paid, time.Date(2026, 1, 31, 17, 30, 0, 0, time.UTC))
		placeAt(big, time.Date(2026, 3, 31, 18, 0, 0, 0, time.UTC))
		placeAt(f4, time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC))

		rep, err := s.PublicUnitReport(bg, sh.unit.ID, 0)
		noErr(t, err)
		if rep.Unit != sh.unit || rep.Year != 2026 || !cmp.Equal(rep.Years, []int{2026}) {
			t.Fatalf("unit %+v, year %d of %v", rep.Unit, rep.Year, rep.Years)
		}
		// The totals are the unit's row of /belanja.
		spend, err := s.PublicSpend(bg, 2026)
		noErr(t, err)
		var row store.PublicUnitSpend
		for _, u := range spend.Units {
			if u.UnitID == sh.unit.ID {
				row = u
			}
		}
		want := row
		want.UnitID, want.UnitCode, want.UnitName = 0, "", "" // the report has them in Unit
		if diff := cmp.Diff(want, rep.Spend); diff != "" {
			t.Errorf("totals differ from /belanja's row (-spend +report):\n%s", diff)
		}
		purchases := []store.Order{paid, f4, big, split, pens, snack}
		var value market.Rupiah
		for _, o := range purchases {
			value += o.Total
		}
		if rep.Spend.Orders != 6 || rep.Spend.Withdrawn != 2 || rep.Spend.Value != value || rep.Spend.Paid != 2_955_000 || rep.Spend.Sellers != 2 {
			t.Errorf("totals = %+v, want 6 purchases of %s, 2 withdrawn", rep.Spend, value)
		}

		// Months by the day in WIB; the F4 paper order outside the year; all adds up.
		if len(rep.Months) != 12 {
			t.Fatalf("%d months", len(rep.Months))
		}
		got := map[time.Month]market.Rupiah{}
		var monthOrders int
		monthValue := rep.Outside.Value
		for i, m := range rep.Months {
			if m.Month != time.Month(i+1) {
				t.Errorf("month %d is %s", i, m.Month)
			}
			if m.Orders > 0 {
				got[m.Month] = m.Value
			}
			monthOrders += m.Orders
			monthValue += m.Value
		}
		wantMonths := map[time.Month]market.Rupiah{time.February: paid.Total, time.April: big.Total, time.November: split.Total + pens.Total + snack.Total}
		if diff := cmp.Diff(wantMonths, got); diff != "" {
			t.Errorf("months (-want +got):\n%s", diff)
		}
		if rep.Outside.Orders != 1 || rep.Outside.Value != f4.Total {
			t.Errorf("outside the year: %+v, want the F4 order of %s", rep.Outside, f4.Total)
		}
		if monthOrders+rep.Outside.Orders != rep.Spend.Orders || monthValue != rep.Spend.Value {
			t.Errorf("months add up to %d orders of %s, totals %d of %s", monthOrders+rep.Outside.Orders, monthValue, rep.Spend.Orders, rep.Spend.Value)
		}

		// Sellers: values, shares adding up to 100, the concentration mark above 30%.
		seller1 := paid.Total + big.Total + split.Total + pens.Total
		seller2 := f4.Total + snack.Total
		if len(rep.Sellers) != 2 {
			t.Fatalf("sellers = %+v", rep.Sellers)
		}
		s1, s2 := rep.Sellers[0], rep.Sellers[1]
		if s1.SellerID != sh.seller1 || s1.Name != "UD Sumber Kertas" || s1.Value != seller1 || s1.Orders != 4 || s1.Class != market.ClassMicro ||
			s1.Kecamatan != "Medan Baru" || !s1.Profile || !s1.Concentrated {
			t.Errorf("first seller = %+v, want seller 1 with %s", s1, seller1)
		}
		if s2.SellerID != sh.seller2 || s2.Value != seller2 || s2.Orders != 2 || s2.Class != market.ClassSmall || s2.Kecamatan != "Medan Kota" || s2.Concentrated {
			t.Errorf("second seller = %+v, want seller 2 with %s", s2, seller2)
		}
		if sum := s1.Share + s2.Share; math.Abs(sum-100) > 1e-9 || math.Abs(s1.Share-100*float64(seller1)/float64(value)) > 1e-9 {
			t.Errorf("shares %v + %v = %v", s1.Share, s2.Share, sum)
		}
		if rep.ConcentrationPercent != 30 {
			t.Errorf("concentration threshold %d", rep.ConcentrationPercent)
		}
		// Per kecamatan: where the money went.
		wantKec := []store.PublicUnitKecamatan{
			{Name: "Medan Baru", Sellers: 1, Orders: 4, Value: seller1, Share: s1.Share},
			{Name: "Medan Kota", Sellers: 1, Orders: 2, Value: seller2, Share: s2.Share},
		}
		if diff := cmp.Diff(wantKec, rep.Kecamatan); diff != "" {
			t.Errorf("kecamatan (-want +got):\n%s", diff)
		}

		// Categories: the lines' amounts, before shipping and PPN.
		wantCats := []store.PublicUnitCategory{
			{Code: "01.01.01", Name: categoryName(t, "01.01.01"), Categories: 1, Lines: 4, Value: (60 + 200 + 600 + 500) * 50_000},
			{Code: "01.02.01", Name: categoryName(t, "01.02.01"), Categories: 1, Lines: 1, Value: 500_000},
			{Code: "02.01.02", Name: categoryName(t, "02.01.02"), Categories: 1, Lines: 1, Value: 100_000},
		}
		if diff := cmp.Diff(wantCats, rep.Categories); diff != "" {
			t.Errorf("categories (-want +got):\n%s", diff)
		}

		// Rule findings: two purchases warned of a split, one justified; the cancelled order's
		// warning and the concentration notes (info) do not count.
		if diff := cmp.Diff([]store.PublicUnitRule{{Code: market.RuleSplit, Orders: 2, Justified: 1}}, rep.Rules); diff != "" {
			t.Errorf("rules (-want +got):\n%s", diff)
		}

		// Nobody is named, and nothing people typed is there.
		j, err := json.Marshal(rep)
		noErr(t, err)
		for _, private := range []string{sh.buyer.Name, "PPK", "Penerima", "Bendahara", "Pemilik", "Admin", "Kapten Maulana", "Rumah Sakit",
			"rapat koordinasi", "Tidak sesuai", "Salah pilih", "dianggarkan terpisah", "198001012006041001", "081234567890", "@bela.test", "SJ-", "SP2D"} {
			if strings.Contains(string(j), private) {
				t.Errorf("the report carries %q", private)
			}
		}

		// A stricter policy moves the mark.
		pol := market.DefaultPolicy()
		pol.ConcentrationPercent = 95
		noErr(t, s.SetPolicy(bg, sh.admin, pol, "Uji ambang konsentrasi"))
		rep, err = s.PublicUnitReport(bg, sh.unit.ID, 2026)
		noErr(t, err)
		if rep.ConcentrationPercent != 95 || rep.Sellers[0].Concentrated {
			t.Errorf("at 95%%: threshold %d, first seller %+v", rep.ConcentrationPercent, rep.Sellers[0])
		}

		// The other unit has its own purchase only.
		rep2, err := s.PublicUnitReport(bg, sh.unit2.ID, 0)
		noErr(t, err)
		if rep2.Spend.Orders != 1 || rep2.Spend.Value != 35_000 || len(rep2.Sellers) != 1 || rep2.Sellers[0].SellerID != sh.seller1 || len(rep2.Rules) != 0 {
			t.Errorf("unit 2: %+v", rep2)
		}
		// A year without orders: the unit, its years, nothing else.
		none, err := s.PublicUnitReport(bg, sh.unit.ID, 2025)
		noErr(t, err)
		if none.Year != 2025 || none.Unit != sh.unit || !cmp.Equal(none.Years, []int{2026}) || none.Spend != (store.PublicUnitSpend{}) ||
			len(none.Sellers)+len(none.Categories)+len(none.Rules)+len(none.Kecamatan) != 0 || none.Months[0].Orders != 0 {
			t.Errorf("2025: %+v", none)
		}
		_, err = s.PublicUnitReport(bg, 999999, 0)
		wantCode(t, err, market.CodeNotFound)
	})
}

// A unit without any order: found, with no year.
func TestPublicUnitReportWithoutOrders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		rep, err := s.PublicUnitReport(bg, sh.unit2.ID, 0)
		noErr(t, err)
		if rep.Unit != sh.unit2 || rep.Year != 0 || len(rep.Years) != 0 || rep.Spend.Orders != 0 || len(rep.Months) != 12 {
			t.Errorf("report = %+v", rep)
		}
	})
}

func hasWarning(rules []market.RuleResult, code string) bool {
	for _, r := range rules {
		if r.Code == code && r.Severity == market.SeverityWarning {
			return true
		}
	}
	return false
}

// categoryName is the leaf's name in the instance's category tree.
func categoryName(t *testing.T, code string) string {
	t.Helper()
	tree, err := market.NewCategoryTree(market.SeedCategories())
	noErr(t, err)
	c, ok := tree.Lookup(code)
	if !ok {
		t.Fatalf("no category %s", code)
	}
	return c.Name
}

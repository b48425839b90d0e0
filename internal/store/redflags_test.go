package store_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// flagDay is one day of the fixture's clock.
const flagDay = 24 * time.Hour

// flagShop is the payment shop with one order per red flag, each placed through the real use
// cases, plus a clean order, an order with nothing to flag among split siblings, and a withdrawn
// order that would be near the cap. The policy's concentration threshold is 100% (no flag)
// until a test lowers it.
type flagShop struct {
	*payShop
	tables int64 // seller1: Meja rapat, Rp12.000.000 per set
	ids    map[string]int64
}

func newFlagShop(t *testing.T, s *store.Store, c *storetest.Clock) *flagShop {
	t.Helper()
	// The history starts 90 days before the test time, so that the near-cap order and the split
	// pair each fall outside the others' split window (30 days).
	c.Advance(-90 * flagDay)
	sh := &flagShop{payShop: newPayShop(t, s, c), ids: map[string]int64{}}
	sh.tables = sh.addProduct(sh.seller1, "Meja rapat", "05.01.03", "set", 12_000_000, 30)
	sh.setPolicy(func(p *market.Policy) { p.ConcentrationPercent = 100 })

	sh.ids["near_cap"] = sh.checkout(sh.input(store.CartItem{ProductID: sh.tables, Quantity: 4})).ID // Rp48.000.000

	c.Advance(45 * flagDay)
	sh.ids["split_first"] = sh.checkout(sh.input(store.CartItem{ProductID: sh.tables, Quantity: 2})).ID // Rp24.000.000
	in := sh.input(store.CartItem{ProductID: sh.tables, Quantity: 3})                                   // Rp36.000.000: over the cap together
	_, err := s.Checkout(bg, sh.buyer, in)
	wantCode(t, err, market.CodeRuleBlocked)
	in.Justifications = map[int64]map[string]string{sh.seller1: {market.RuleSplit: "Meja untuk dua ruang rapat yang berbeda anggarannya."}}
	sh.ids["split"] = sh.placed(in)

	c.Advance(45 * flagDay)
	withdrawn := sh.checkout(sh.input(store.CartItem{ProductID: sh.tables, Quantity: 4}))
	_, err = s.Cancel(bg, sh.buyer, withdrawn.ID, "Rapat dibatalkan.")
	noErr(t, err)
	sh.ids["withdrawn"] = withdrawn.ID
	sh.ids["clean"] = sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 10})).ID

	premium := sh.addProduct(sh.seller2, "Kertas HVS premium", "01.01.01", "rim", 200_000, 100)
	in = sh.input(store.CartItem{ProductID: premium, Quantity: 2})
	_, err = s.Checkout(bg, sh.buyer, in)
	wantCode(t, err, market.CodeRuleBlocked)
	in.Justifications = map[int64]map[string]string{sh.seller2: {market.RulePrice: "Kertas arsip bebas asam untuk dokumen permanen."}}
	sh.ids["price"] = sh.placed(in)

	disputed := sh.checkout(sh.input(store.CartItem{ProductID: sh.pens, Quantity: 5}))
	_, err = s.Approve(bg, sh.ppk, disputed.ID)
	noErr(t, err)
	_, err = s.Accept(bg, sh.owner1, disputed.ID)
	noErr(t, err)
	_, err = s.Dispute(bg, sh.buyer, disputed.ID, "Pulpen yang dijanjikan tidak tersedia.")
	noErr(t, err)
	_, err = s.ResolveDispute(bg, sh.admin, disputed.ID, "Penyedia mengganti dengan merek setara.")
	noErr(t, err)
	sh.ids["disputed"] = disputed.ID

	short := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 4}))
	_, err = s.Approve(bg, sh.ppk, short.ID)
	noErr(t, err)
	_, err = s.Accept(bg, sh.owner1, short.ID)
	noErr(t, err)
	_, err = s.Ship(bg, sh.owner1, short.ID, store.ShipInput{DeliveryNote: "SJ-1"})
	noErr(t, err)
	_, err = s.Receive(bg, sh.receiver, short.ID, store.ReceiveInput{Lines: []store.ReceiptLine{{OrderLineID: short.Lines[0].ID, Quantity: 2}}})
	noErr(t, err)
	_, err = s.CloseShort(bg, sh.ppk, short.ID, "Sisa kertas tidak lagi diperlukan.")
	noErr(t, err)
	sh.ids["closed_short"] = short.ID

	late := sh.received(sh.buyer, sh.pens, 10) // Rp50.000
	_, err = s.IssueInvoice(bg, sh.owner1, late.ID, store.InvoiceInput{})
	noErr(t, err)
	mismatch := sh.received(sh.buyer, sh.pens, 20) // Rp100.000
	_, err = s.IssueInvoice(bg, sh.owner1, mismatch.ID, store.InvoiceInput{})
	noErr(t, err)
	pm, err := s.RecordPayment(bg, sh.treasurer, mismatch.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(),
		Reference: "SP2D-1", Amount: 90_000, Reason: "Potongan denda keterlambatan."})
	noErr(t, err)
	if !pm.Flagged || pm.Late {
		t.Fatalf("mismatched payment = %+v", pm)
	}
	sh.ids["payment_mismatch"] = mismatch.ID
	c.Advance(8 * flagDay)
	pm, err = s.RecordPayment(bg, sh.treasurer, late.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(), Reference: "SP2D-2", Amount: 50_000})
	noErr(t, err)
	if !pm.Late || pm.Flagged {
		t.Fatalf("late payment = %+v", pm)
	}
	sh.ids["late_payment"] = late.ID
	return sh
}

// placed checks out in and returns the one order's id.
func (sh *flagShop) placed(in store.CheckoutInput) int64 {
	sh.t.Helper()
	os, err := sh.s.Checkout(bg, sh.buyer, in)
	noErr(sh.t, err)
	return os[0].ID
}

func (sh *flagShop) setPolicy(edit func(p *market.Policy)) {
	sh.t.Helper()
	p, err := sh.s.CurrentPolicy(bg)
	noErr(sh.t, err)
	edit(&p)
	noErr(sh.t, sh.s.SetPolicy(bg, sh.admin, p, "Uji tanda bahaya"))
}

// flagsByName returns the flags of the named fixture orders, as the queue lists them.
func (sh *flagShop) flagsByName(list []store.FlaggedOrder) map[string][]market.RedFlag {
	byID := map[int64][]market.RedFlag{}
	for _, o := range list {
		byID[o.ID] = o.Flags
	}
	out := map[string][]market.RedFlag{}
	for name, id := range sh.ids {
		if f, ok := byID[id]; ok {
			out[name] = f
		}
	}
	return out
}

func orderIDs(list []store.FlaggedOrder) []int64 {
	out := []int64{}
	for _, o := range list {
		out = append(out, o.ID)
	}
	return out
}

// Each flag appears on its own fixture order and on no other; clean and withdrawn orders are not
// in the queue; the counts per flag, the filters and the paging agree.
func TestRedFlagQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newFlagShop(t, s, c)
		q, err := s.RedFlagQueue(bg, sh.auditor, store.RedFlagFilter{})
		noErr(t, err)
		want := map[string][]market.RedFlag{
			"near_cap": {market.FlagNearCap}, "split": {market.FlagSplit}, "price": {market.FlagPrice},
			"disputed": {market.FlagDisputed}, "closed_short": {market.FlagClosedShort},
			"late_payment": {market.FlagLatePayment}, "payment_mismatch": {market.FlagPaymentMismatch},
		}
		if diff := cmp.Diff(want, sh.flagsByName(q.Orders)); diff != "" {
			t.Errorf("flags per order (-want +got):\n%s", diff)
		}
		wantCounts := map[market.RedFlag]int{}
		for _, fs := range want {
			wantCounts[fs[0]]++
		}
		if diff := cmp.Diff(wantCounts, q.Counts); diff != "" || q.Flagged != 7 {
			t.Errorf("flagged %d, counts (-want +got):\n%s", q.Flagged, diff)
		}
		if len(q.Years) != 1 || q.Years[0] != 2026 {
			t.Errorf("years %v", q.Years)
		}
		near := q.Orders[len(q.Orders)-1]
		if near.ID != sh.ids["near_cap"] || near.Total != 48_000_000 || near.UnitID != sh.unit.ID || near.SellerName != "UD Sumber Kertas" ||
			near.State != market.StateAwaitingApproval || near.OpenCaseID != 0 || near.Cases != 0 || near.FiscalYear != 2026 {
			t.Errorf("near-cap order = %+v", near)
		}

		for _, tc := range []struct {
			name string
			f    store.RedFlagFilter
			want []int64
		}{
			{"split flag", store.RedFlagFilter{Flag: market.FlagSplit}, []int64{sh.ids["split"]}},
			{"other seller", store.RedFlagFilter{SellerID: sh.seller2}, []int64{sh.ids["price"]}},
			{"other unit", store.RedFlagFilter{UnitID: sh.unit2.ID}, []int64{}},
			{"other year", store.RedFlagFilter{FiscalYear: 2025}, []int64{}},
			{"this year and unit", store.RedFlagFilter{FiscalYear: 2026, UnitID: sh.unit.ID, Flag: market.FlagClosedShort}, []int64{sh.ids["closed_short"]}},
			{"first page", store.RedFlagFilter{Limit: 3}, []int64{sh.ids["payment_mismatch"], sh.ids["late_payment"], sh.ids["closed_short"]}},
			{"second page", store.RedFlagFilter{Limit: 3, BeforeID: sh.ids["closed_short"]}, []int64{sh.ids["disputed"], sh.ids["price"], sh.ids["split"]}},
			{"last page", store.RedFlagFilter{Limit: 3, BeforeID: sh.ids["split"]}, []int64{sh.ids["near_cap"]}},
		} {
			got, err := s.RedFlagOrders(bg, sh.auditor, tc.f)
			noErr(t, err)
			if diff := cmp.Diff(tc.want, orderIDs(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.name, diff)
			}
		}
		q, err = s.RedFlagQueue(bg, sh.auditor, store.RedFlagFilter{SellerID: sh.seller2})
		noErr(t, err)
		if q.Flagged != 1 || len(q.Counts) != 1 || q.Counts[market.FlagPrice] != 1 {
			t.Errorf("counts for seller 2: %d %v", q.Flagged, q.Counts)
		}

		// A withdrawn order has no flags, though near the cap; a clean one none either.
		for _, name := range []string{"withdrawn", "clean", "split_first"} {
			o, err := s.OrderRedFlags(bg, sh.auditor, sh.ids[name])
			noErr(t, err)
			if len(o.Flags) != 0 {
				t.Errorf("%s order has flags %v", name, o.Flags)
			}
		}
		_, err = s.OrderRedFlags(bg, sh.auditor, 999999)
		wantCode(t, err, market.CodeNotFound)

		// A case takes its order out of the queue of orders without a case, and shows on it.
		cs, err := s.OpenCase(bg, sh.auditor, sh.ids["near_cap"], "Pesanan meja mendekati batas", "Periksa kebutuhan meja.")
		noErr(t, err)
		q, err = s.RedFlagQueue(bg, sh.auditor, store.RedFlagFilter{WithoutCase: true})
		noErr(t, err)
		if q.Flagged != 6 || q.Counts[market.FlagNearCap] != 0 || slicesContain(orderIDs(q.Orders), sh.ids["near_cap"]) {
			t.Errorf("without case: %d %v %v", q.Flagged, q.Counts, orderIDs(q.Orders))
		}
		o, err := s.OrderRedFlags(bg, sh.auditor, sh.ids["near_cap"])
		noErr(t, err)
		if o.OpenCaseID != cs.ID || o.Cases != 1 {
			t.Errorf("order with a case = %+v", o)
		}
		noErr(t, s.CloseCase(bg, sh.auditor, cs.ID, market.ConclusionNoFinding, "Dua ruang rapat baru memang butuh meja."))
		q, err = s.RedFlagQueue(bg, sh.auditor, store.RedFlagFilter{WithoutCase: true})
		noErr(t, err)
		if q.Flagged != 6 {
			t.Errorf("a closed case put the order back among those without a case: %d", q.Flagged)
		}
		if o, _ := s.OrderRedFlags(bg, sh.auditor, sh.ids["near_cap"]); o.OpenCaseID != 0 || o.Cases != 1 {
			t.Errorf("order after closing = %+v", o)
		}
	})
}

// The concentration flag follows the policy's threshold and the unit's purchases of the fiscal
// year (withdrawn orders not counted); the near-cap flag has an off switch.
func TestRedFlagsFollowThePolicy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newFlagShop(t, s, c)
		// Seller 2 sold the unit Rp400.000 + PPN of some Rp109 juta: under 1%. Seller 1 the rest.
		sh.setPolicy(func(p *market.Policy) { p.ConcentrationPercent = 50 })
		q, err := s.RedFlagQueue(bg, sh.auditor, store.RedFlagFilter{Flag: market.FlagConcentration})
		noErr(t, err)
		got := sh.flagsByName(q.Orders)
		for _, name := range []string{"near_cap", "split_first", "split", "clean", "disputed", "closed_short", "late_payment", "payment_mismatch"} {
			if fs, ok := got[name]; !ok || fs[len(fs)-1] != market.FlagConcentration {
				t.Errorf("%s: flags %v, want concentration last", name, fs)
			}
		}
		for _, name := range []string{"price", "withdrawn"} {
			if _, ok := got[name]; ok {
				t.Errorf("%s has the concentration flag", name)
			}
		}
		if q.Counts[market.FlagConcentration] != 8 || q.Flagged != 9 {
			t.Errorf("counts %v, flagged %d", q.Counts, q.Flagged)
		}
		// The near-cap flag's off switch, and a wider band.
		sh.setPolicy(func(p *market.Policy) { p.ConcentrationPercent, p.NearCapPercent = 100, 0 })
		o, err := s.OrderRedFlags(bg, sh.auditor, sh.ids["near_cap"])
		noErr(t, err)
		if len(o.Flags) != 0 {
			t.Errorf("near cap with the flag off: %v", o.Flags)
		}
		sh.setPolicy(func(p *market.Policy) { p.NearCapPercent = 50 })
		o, err = s.OrderRedFlags(bg, sh.auditor, sh.ids["split"]) // Rp36.000.000 ≥ 50% of the cap
		noErr(t, err)
		if diff := cmp.Diff([]market.RedFlag{market.FlagSplit, market.FlagNearCap}, o.Flags); diff != "" {
			t.Errorf("a wider near-cap band (-want +got):\n%s", diff)
		}
	})
}

// Only auditors read the queue; an unknown flag is refused.
func TestRedFlagsForAuditorsOnly(t *testing.T) {
	c := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, c)
	sh := newShop(t, s, c)
	for _, p := range []*market.Principal{sh.admin, sh.buyer, sh.ppk, sh.unitAdm, sh.owner1, nil} {
		_, err := s.RedFlagOrders(bg, p, store.RedFlagFilter{})
		wantCode(t, err, market.CodeForbidden)
		_, err = s.OrderRedFlags(bg, p, 1)
		wantCode(t, err, market.CodeForbidden)
	}
	_, err := s.RedFlagOrders(bg, sh.auditor, store.RedFlagFilter{Flag: "murah"})
	wantCode(t, err, market.CodeInvalid)
	q, err := s.RedFlagQueue(bg, sh.auditor, store.RedFlagFilter{})
	noErr(t, err)
	if len(q.Orders) != 0 || q.Flagged != 0 || q.Policy.NearCapPercent != 5 {
		t.Errorf("empty queue = %+v", q)
	}
}

func slicesContain(xs []int64, x int64) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// A policy stored before the near-cap flag existed reads with the default band; one stored with
// the flag off keeps it off.
func TestOldPolicyGetsTheNearCapDefault(t *testing.T) {
	c := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, c)
	sh := newShop(t, s, c)
	old := `{"cap":60000000,"split_window_days":30,"split_severity":"warning","price_threshold_percent":50,"price_min_orders":5,` +
		`"price_lookback_days":180,"concentration_percent":30,"concentration_suggestions":3,"approval_timeout_days":7,"acceptance_timeout_days":3,"payment_deadline_days":7}`
	sh.exec(`INSERT INTO policy_versions (policy, reason, changed_by, changed_at) VALUES ($1, 'lama', $2, 0)`, old, sh.admin.UserID)
	p, err := s.CurrentPolicy(bg)
	noErr(t, err)
	if p.Cap != 60_000_000 || p.NearCapPercent != 5 {
		t.Errorf("old policy read as %+v", p)
	}
	p.NearCapPercent = 0
	noErr(t, s.SetPolicy(bg, sh.admin, p, "Matikan tanda dekat batas"))
	if p, _ := s.CurrentPolicy(bg); p.NearCapPercent != 0 {
		t.Errorf("the off switch read back as %d", p.NearCapPercent)
	}
}

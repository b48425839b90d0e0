package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
	belapaper "bela/internal/paper"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// payShop is the ordering shop with a treasurer and tax facts on the sellers: seller1 (UD Sumber
// Kertas, non-PKP) gets an NPWP; seller2 (CV Dapur Melayu, PKP) an NPWP and a goods product.
type payShop struct {
	*shop
	treasurer *market.Principal
	ppkPaper  int64 // seller2: Kertas F4, Rp50.000 per rim (goods, PPN)
}

func newPayShop(t *testing.T, s *store.Store, c *storetest.Clock) *payShop {
	sh := &payShop{shop: newShop(t, s, c)}
	sh.treasurer = sh.user("Bendahara", store.Grant{Role: market.RoleTreasurer, ScopeID: sh.unit.ID})
	sh.exec(`UPDATE sellers SET npwp = '0123456789012345' WHERE id = $1`, sh.seller1)
	sh.exec(`UPDATE sellers SET npwp = '0987654321098765' WHERE id = $1`, sh.seller2)
	sh.ppkPaper = sh.addProduct(sh.seller2, "Kertas F4 70 gram", "01.01.01", "rim", 50_000, 500)
	return sh
}

// received checks out qty of product, and takes the order through approval, acceptance,
// shipment and one full BAST.
func (sh *payShop) received(buyer *market.Principal, product int64, qty int64) store.Order {
	sh.t.Helper()
	os, err := sh.s.Checkout(bg, buyer, sh.input(store.CartItem{ProductID: product, Quantity: qty}))
	noErr(sh.t, err)
	o := os[0]
	_, err = sh.s.Approve(bg, sh.ppk, o.ID)
	noErr(sh.t, err)
	owner := sh.owner1
	if o.SellerID == sh.seller2 {
		owner = sh.owner2
	}
	_, err = sh.s.Accept(bg, owner, o.ID)
	noErr(sh.t, err)
	_, err = sh.s.Ship(bg, owner, o.ID, store.ShipInput{DeliveryNote: fmt.Sprintf("SJ-%d", o.ID)})
	noErr(sh.t, err)
	o, err = sh.s.Receive(bg, sh.receiver, o.ID, store.ReceiveInput{Lines: []store.ReceiptLine{{OrderLineID: o.Lines[0].ID, Quantity: qty}}})
	noErr(sh.t, err)
	if o.State != market.StateReceived {
		sh.t.Fatalf("state after BAST = %s", o.State)
	}
	return o
}

func taxPay(kind market.TaxKind, amount market.Rupiah) store.TaxPayment {
	return store.TaxPayment{Kind: kind, Amount: amount, BillingCode: "123456789012345", NTPN: "ABCD1234EFGH5678"}
}

func (sh *payShop) today() time.Time { return sh.c.Now() }

func TestInvoiceNumberingAndAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		o1 := sh.received(sh.buyer, sh.paper, 10)
		o2 := sh.received(sh.buyer, sh.pens, 10)
		o3 := sh.received(sh.buyer, sh.ppkPaper, 10)

		_, err := s.IssueInvoice(bg, sh.buyer, o1.ID, store.InvoiceInput{})
		wantCode(t, err, market.CodeForbidden)
		_, err = s.IssueInvoice(bg, sh.owner2, o1.ID, store.InvoiceInput{})
		wantCode(t, err, market.CodeNotFound)

		var numbers []string
		for _, o := range []store.Order{o1, o2, o3} {
			owner := sh.owner1
			if o.SellerID == sh.seller2 {
				owner = sh.owner2
			}
			got, err := s.IssueInvoice(bg, owner, o.ID, store.InvoiceInput{})
			noErr(t, err)
			if got.State != market.StateInvoiced {
				t.Errorf("state after invoice = %s", got.State)
			}
			v, err := s.GetInvoice(bg, sh.treasurer, o.ID)
			noErr(t, err)
			numbers = append(numbers, v.Number)
		}
		want := []string{
			fmt.Sprintf("INV/%d/2026/00001", sh.seller1), fmt.Sprintf("INV/%d/2026/00002", sh.seller1), fmt.Sprintf("INV/%d/2026/00001", sh.seller2),
		}
		if diff := cmp.Diff(want, numbers); diff != "" {
			t.Errorf("invoice numbers (-want +got):\n%s", diff)
		}
		_, err = s.IssueInvoice(bg, sh.owner1, o1.ID, store.InvoiceInput{})
		wantCode(t, err, market.CodeConflict)
		_, err = s.GetInvoice(bg, sh.outsider, o1.ID)
		wantCode(t, err, market.CodeNotFound)
		if msgs, _ := s.Inbox(bg, sh.treasurer.UserID); len(msgs) != 3 {
			t.Errorf("treasurer inbox has %d messages, want 3", len(msgs))
		}
	})
}

func TestPaymentNonPKPEqualToNetCompletesAndSpends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		o := sh.received(sh.buyer, sh.paper, 60) // 60 × Rp50.000 = Rp3.000.000, goods, non-PKP with NPWP
		_, err := s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
		noErr(t, err)
		v, err := s.GetInvoice(bg, sh.owner1, o.ID)
		noErr(t, err)
		// Hand-computed: no PPN; PPh 22 1,5% × 3.000.000 = 45.000; net 2.955.000.
		if !v.Complete() || v.Total != 3_000_000 || v.Net != 2_955_000 || v.NeedsFaktur {
			t.Fatalf("invoice = %+v", v)
		}
		if want := v.CompleteAt.Add(7 * 24 * time.Hour); !v.DueAt.Equal(want) {
			t.Errorf("due %v, want %v", v.DueAt, want)
		}
		// The same breakdown for the seller, the treasurer and the auditor.
		var nets []market.Rupiah
		for _, p := range []*market.Principal{sh.owner1, sh.treasurer, sh.auditor} {
			ot, err := s.OrderTaxes(bg, p, o.ID, false)
			noErr(t, err)
			nets = append(nets, ot.Taxes.NetToSeller)
		}
		if diff := cmp.Diff([]market.Rupiah{2_955_000, 2_955_000, 2_955_000}, nets); diff != "" {
			t.Errorf("nets differ: %s", diff)
		}
		_, err = s.OrderTaxes(bg, sh.outsider, o.ID, false)
		wantCode(t, err, market.CodeNotFound)

		in := store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(), Reference: "SP2D-0001/2026", Amount: 2_955_000}
		// The PPh 22 deposit is required.
		_, err = s.RecordPayment(bg, sh.treasurer, o.ID, in)
		wantCode(t, err, market.CodeInvalid)
		// Only the unit's treasurer.
		in.Taxes = []store.TaxPayment{taxPay(market.TaxPPh22, 45_000)}
		_, err = s.RecordPayment(bg, sh.ppk, o.ID, in)
		wantCode(t, err, market.CodeForbidden)
		// A wrong tax amount.
		bad := in
		bad.Taxes = []store.TaxPayment{taxPay(market.TaxPPh22, 40_000)}
		_, err = s.RecordPayment(bg, sh.treasurer, o.ID, bad)
		wantCode(t, err, market.CodeInvalid)

		pm, err := s.RecordPayment(bg, sh.treasurer, o.ID, in)
		noErr(t, err)
		if pm.Flagged || pm.Late || pm.OrderState != market.StateCompleted || pm.Expected != 2_955_000 {
			t.Fatalf("payment = %+v", pm)
		}
		b := sh.line()
		if b.Spent != 3_000_000 || b.Committed != 0 || b.Reserved != 0 {
			t.Errorf("budget after payment = %+v", b)
		}
		got, err := s.GetOrder(bg, sh.auditor, o.ID)
		noErr(t, err)
		if got.State != market.StateCompleted || got.BudgetCommitted != 0 {
			t.Errorf("order = %s committed %s", got.State, got.BudgetCommitted)
		}
		pms, err := s.OrderPayments(bg, sh.owner1, o.ID)
		noErr(t, err)
		if len(pms) != 1 || len(pms[0].Taxes) != 1 || pms[0].Taxes[0].NTPN != "ABCD1234EFGH5678" {
			t.Errorf("payments = %+v", pms)
		}
		var actions []string
		for _, e := range got.Timeline {
			actions = append(actions, e.Action)
		}
		if j := strings.Join(actions, " "); !strings.Contains(j, "order.invoice order.pay order.complete") {
			t.Errorf("timeline = %s", j)
		}
		// Paid again: not possible.
		_, err = s.RecordPayment(bg, sh.treasurer, o.ID, in)
		wantCode(t, err, market.CodeConflict)
	})
}

func TestPaymentPKPNeedsFakturAndDepositsPPN(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		o := sh.received(sh.buyer, sh.ppkPaper, 60) // Rp3.000.000 + PPN from a PKP
		if o.Total != 3_330_000 {
			t.Fatalf("order total = %s, want Rp3.330.000", o.Total)
		}
		_, err := s.IssueInvoice(bg, sh.owner2, o.ID, store.InvoiceInput{PBJT: true})
		wantCode(t, err, market.CodeInvalid) // PBJT outside catering
		_, err = s.IssueInvoice(bg, sh.owner2, o.ID, store.InvoiceInput{})
		noErr(t, err)
		v, err := s.GetInvoice(bg, sh.owner2, o.ID)
		noErr(t, err)
		if v.Complete() || !v.NeedsFaktur || v.Total != 3_330_000 {
			t.Fatalf("invoice without faktur = %+v", v)
		}
		in := store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(), Reference: "SP2D-0002/2026", Amount: 2_955_000,
			Taxes: []store.TaxPayment{taxPay(market.TaxPPN, 330_000), taxPay(market.TaxPPh22, 45_000)}}
		_, err = s.RecordPayment(bg, sh.treasurer, o.ID, in)
		wantCode(t, err, market.CodeConflict) // incomplete invoice
		_, err = s.AttachFaktur(bg, sh.owner2, o.ID, "123", "blob", "faktur.pdf")
		wantCode(t, err, market.CodeInvalid)
		v, err = s.AttachFaktur(bg, sh.owner2, o.ID, "010.001-26.12345678", strings.Repeat("a", 64), "faktur.pdf")
		noErr(t, err)
		if !v.Complete() || v.FakturNumber != "0100012612345678" {
			t.Fatalf("invoice with faktur = %+v", v)
		}
		pm, err := s.RecordPayment(bg, sh.treasurer, o.ID, in)
		noErr(t, err)
		if pm.OrderState != market.StateCompleted || pm.Flagged {
			t.Fatalf("payment = %+v", pm)
		}
		if b := sh.line(); b.Spent != 3_330_000 || b.Committed != 0 {
			t.Errorf("budget = %+v", b)
		}
	})
}

func TestPaymentPP55SellerAndFlaggedDifference(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		to := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		sh.exec(`UPDATE sellers SET pp55_number = 'KET-00123/PP55/2026', pp55_valid_from = $1, pp55_valid_to = $2 WHERE id = $3`,
			from.UnixMicro(), to.UnixMicro(), sh.seller1)
		o := sh.received(sh.buyer, sh.paper, 60)
		_, err := s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
		noErr(t, err)
		ot, err := s.OrderTaxes(bg, sh.treasurer, o.ID, false)
		noErr(t, err)
		// Hand-computed: PP 55 final 0,5% × 3.000.000 = 15.000; net 2.985.000.
		if !ot.PP55Valid || ot.Taxes.Withholding != market.TaxPP55 || ot.Taxes.Withheld != 15_000 || ot.Taxes.NetToSeller != 2_985_000 {
			t.Fatalf("taxes = %+v", ot)
		}
		in := store.PaymentInput{Method: store.MethodUPGU, PaidOn: sh.today(), Reference: "BKU-17", Amount: 2_900_000,
			Taxes: []store.TaxPayment{taxPay(market.TaxPP55, 15_000)}}
		_, err = s.RecordPayment(bg, sh.treasurer, o.ID, in)
		wantCode(t, err, market.CodeInvalid) // a difference needs a reason
		in.Reason = "Sisa dibayar setelah GU cair"
		pm, err := s.RecordPayment(bg, sh.treasurer, o.ID, in)
		noErr(t, err)
		if !pm.Flagged || pm.OrderState != market.StatePaid {
			t.Fatalf("first payment = %+v", pm)
		}
		if b := sh.line(); b.Spent != 2_915_000 || b.Committed != 85_000 {
			t.Errorf("budget after first payment = %+v", b)
		}
		pm, err = s.RecordPayment(bg, sh.treasurer, o.ID, store.PaymentInput{Method: store.MethodUPGU, PaidOn: sh.today(), Reference: "BKU-18", Amount: 85_000})
		noErr(t, err)
		if pm.Flagged || pm.Expected != 85_000 || pm.OrderState != market.StateCompleted {
			t.Fatalf("second payment = %+v", pm)
		}
		if b := sh.line(); b.Spent != 3_000_000 || b.Committed != 0 {
			t.Errorf("budget after completion = %+v", b)
		}
	})
}

// TestPaymentNetFollowsThePaymentDate: a PP 55/2022 certificate that starts between the invoice
// and the payment changes the withholding; the invoice's net becomes the payment date's, so that
// what was paid in full equals it, and the audit event records the change.
func TestPaymentNetFollowsThePaymentDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		from := sh.today().AddDate(0, 0, 2)
		sh.exec(`UPDATE sellers SET pp55_number = 'KET-00124/PP55/2026', pp55_valid_from = $1, pp55_valid_to = $2 WHERE id = $3`,
			from.UnixMicro(), from.AddDate(1, 0, 0).UnixMicro(), sh.seller1)
		o := sh.received(sh.buyer, sh.paper, 60)
		_, err := s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
		noErr(t, err)
		v, err := s.GetInvoice(bg, sh.owner1, o.ID)
		noErr(t, err)
		// Hand-computed at issue, without the certificate: PPh 22 1,5% × 3.000.000 = 45.000.
		if v.Net != 2_955_000 {
			t.Fatalf("net at issue = %s, want Rp2.955.000", v.Net)
		}
		c.Advance(3 * 24 * time.Hour)
		// On the payment date the certificate holds: PP 55 final 0,5% = 15.000.
		pm, err := s.RecordPayment(bg, sh.treasurer, o.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(),
			Reference: "SP2D-0003/2026", Amount: 2_985_000, Taxes: []store.TaxPayment{taxPay(market.TaxPP55, 15_000)}})
		noErr(t, err)
		if pm.Flagged || pm.OrderState != market.StateCompleted {
			t.Fatalf("payment = %+v", pm)
		}
		v, err = s.GetInvoice(bg, sh.owner1, o.ID)
		noErr(t, err)
		if v.Net != 2_985_000 || v.PaidAmount != v.Net {
			t.Errorf("invoice after payment: net %s, paid %s; want both Rp2.985.000", v.Net, v.PaidAmount)
		}
		got, err := s.GetOrder(bg, sh.auditor, o.ID)
		noErr(t, err)
		var change string
		for _, e := range got.Timeline {
			if e.Action == "order.pay" {
				change = string(e.Changes["invoice_net"])
			}
		}
		if change != `{"before":2955000,"after":2985000}` {
			t.Errorf("order.pay records invoice_net %s", change)
		}
	})
}

func TestTreasurerSeparationOfDuties(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		both := sh.user("PP merangkap bendahara", store.Grant{Role: market.RoleBuyer, ScopeID: sh.unit.ID},
			store.Grant{Role: market.RoleTreasurer, ScopeID: sh.unit.ID})
		o := sh.received(both, sh.paper, 10) // Rp500.000: no withholding
		_, err := s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
		noErr(t, err)
		in := store.PaymentInput{Method: store.MethodKKPD, PaidOn: sh.today(), Reference: "KKPD-1", Amount: 500_000}
		_, err = s.RecordPayment(bg, both, o.ID, in)
		wantCode(t, err, market.CodeRuleBlocked)

		linked := sh.user("Bendahara kerabat", store.Grant{Role: market.RoleTreasurer, ScopeID: sh.unit.ID})
		_, err = s.DeclareSellerRelation(bg, sh.admin, linked.UserID, sh.seller1, "keluarga")
		noErr(t, err)
		_, err = s.RecordPayment(bg, linked, o.ID, in)
		wantCode(t, err, market.CodeRuleBlocked)

		other := sh.user("Bendahara Dinkes", store.Grant{Role: market.RoleTreasurer, ScopeID: sh.unit2.ID})
		_, err = s.RecordPayment(bg, other, o.ID, in)
		wantCode(t, err, market.CodeNotFound)

		pm, err := s.RecordPayment(bg, sh.treasurer, o.ID, in)
		noErr(t, err)
		if pm.OrderState != market.StateCompleted {
			t.Errorf("state = %s", pm.OrderState)
		}
	})
}

func TestLatePaymentsPerUnit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		o1 := sh.received(sh.buyer, sh.paper, 10)
		o2 := sh.received(sh.buyer, sh.pens, 10)
		o3 := sh.received(sh.buyer, sh.paper, 5)
		for _, o := range []store.Order{o1, o2, o3} {
			_, err := s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
			noErr(t, err)
		}
		_, err := s.RecordPayment(bg, sh.treasurer, o1.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(), Reference: "A", Amount: 500_000})
		noErr(t, err)
		c.Advance(8 * 24 * time.Hour)
		pm, err := s.RecordPayment(bg, sh.treasurer, o2.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(), Reference: "B", Amount: 50_000})
		noErr(t, err)
		if !pm.Late {
			t.Errorf("payment after the deadline not marked late")
		}
		got, err := s.LatePayments(bg, sh.unit.ID)
		noErr(t, err)
		want := []store.UnitLateness{{UnitID: sh.unit.ID, UnitName: sh.unit.Name, Invoices: 3, PaidOnTime: 1, PaidLate: 1, OverdueOpen: 1}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("lateness (-want +got):\n%s", diff)
		}
		if got[0].Late() != 2 {
			t.Errorf("late = %d", got[0].Late())
		}
		list, err := s.PayableInvoices(bg, sh.treasurer)
		noErr(t, err)
		if len(list) != 1 || list[0].OrderID != o3.ID || !list[0].Late(s.Now()) {
			t.Errorf("payable = %+v", list)
		}
	})
}

func TestRatingOnceReplyOnceAndScorecard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		o := sh.received(sh.buyer, sh.paper, 10)
		in := store.RatingInput{OnTime: 5, Quantity: 4, Quality: 4, Communication: 3, Comment: "Barang baik, kurang cepat membalas."}
		_, err := s.RateSeller(bg, sh.ppk, o.ID, in)
		wantCode(t, err, market.CodeConflict) // not completed
		_, err = s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
		noErr(t, err)
		_, err = s.RecordPayment(bg, sh.treasurer, o.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(), Reference: "A", Amount: 500_000})
		noErr(t, err)

		_, err = s.RateSeller(bg, sh.buyer, o.ID, in)
		wantCode(t, err, market.CodeForbidden)
		_, err = s.RateSeller(bg, sh.ppk, o.ID, store.RatingInput{OnTime: 6, Quantity: 4, Quality: 4, Communication: 3})
		wantCode(t, err, market.CodeInvalid)
		r, err := s.RateSeller(bg, sh.ppk, o.ID, in)
		noErr(t, err)
		if !r.DeliveredOnTime || r.Average() != 4 {
			t.Errorf("rating = %+v", r)
		}
		_, err = s.RateSeller(bg, sh.ppk, o.ID, in)
		wantCode(t, err, market.CodeConflict)

		_, err = s.ReplyToRating(bg, sh.owner2, o.ID, "Terima kasih")
		wantCode(t, err, market.CodeNotFound)
		_, err = s.ReplyToRating(bg, sh.owner1, o.ID, "Terima kasih, kami perbaiki.")
		noErr(t, err)
		_, err = s.ReplyToRating(bg, sh.owner1, o.ID, "Sekali lagi")
		wantCode(t, err, market.CodeConflict)

		sc, err := s.SellerScorecard(bg, sh.seller1)
		noErr(t, err)
		if sc.Count != 1 || sc.OnTime != 5 || sc.Communication != 3 || sc.Overall != 4 || sc.OnTimeShare != 1 ||
			len(sc.Recent) != 1 || sc.Recent[0].Reply == "" || sc.Recent[0].RatedBy != 0 {
			t.Errorf("scorecard = %+v", sc)
		}
	})
}

func TestDocumentsAreDeterministicAndVersioned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		o := sh.received(sh.buyer, sh.paper, 60)
		blobs := map[string][]byte{}
		put := func(b []byte) (string, error) {
			id := belapaper.SHA256(b)
			blobs[id] = b
			return id, nil
		}
		render := func(p *market.Principal, name string) (store.RenderedDocument, error) {
			n, err := store.ParseDocumentName(name)
			if err != nil {
				return store.RenderedDocument{}, err
			}
			return s.RenderDocument(bg, p, o.ID, n, "http://bela.test", put)
		}
		_, err := render(sh.owner1, "invoice.pdf")
		wantCode(t, err, market.CodeNotFound) // not issued yet
		_, err = render(sh.outsider, "bast.pdf")
		wantCode(t, err, market.CodeNotFound)
		_, err = store.ParseDocumentName("invoice-2.pdf")
		wantCode(t, err, market.CodeNotFound)

		sp1, err := render(sh.buyer, "surat-pesanan.pdf")
		noErr(t, err)
		sp2, err := render(sh.auditor, "surat-pesanan.pdf")
		noErr(t, err)
		if sp1.SHA256 != sp2.SHA256 || sp1.Version != 1 || sp2.Version != 1 || sp1.Code != sp2.Code {
			t.Errorf("regenerated Surat Pesanan differs: %+v vs %+v", sp1.SHA256, sp2.SHA256)
		}
		b1, err := render(sh.receiver, "bast.pdf")
		noErr(t, err)
		if b1.Name.Seq != 1 || !strings.HasPrefix(b1.Number, "BAST/") {
			t.Errorf("bast = %+v", b1.Name)
		}

		_, err = s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
		noErr(t, err)
		k1, err := render(sh.owner1, "kuitansi.pdf")
		noErr(t, err)
		_, err = s.RecordPayment(bg, sh.treasurer, o.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(), Reference: "SP2D-9",
			Amount: 2_955_000, Taxes: []store.TaxPayment{taxPay(market.TaxPPh22, 45_000)}})
		noErr(t, err)
		k2, err := render(sh.owner1, "kuitansi.pdf")
		noErr(t, err)
		if k2.Code != k1.Code || k2.Version != 2 || k2.SHA256 == k1.SHA256 {
			t.Errorf("paid kuitansi: v%d %s, unpaid v%d %s", k2.Version, k2.SHA256, k1.Version, k1.SHA256)
		}
		pub, err := s.VerifyDocument(bg, k1.Code)
		noErr(t, err)
		if pub.Current().SHA256 != k2.SHA256 || len(pub.Versions) != 2 || pub.Versions[1].SHA256 != k1.SHA256 || !pub.Paid ||
			pub.Current().Amount != 3_000_000 || pub.SellerName != "UD Sumber Kertas" {
			t.Errorf("verification = %+v", pub)
		}
		if _, ok := blobs[k2.SHA256]; !ok || k2.BlobID != k2.SHA256 {
			t.Errorf("kuitansi not stored by content")
		}
		_, err = s.VerifyDocument(bg, "nope")
		wantCode(t, err, market.CodeNotFound)
		names, err := s.AvailableDocuments(bg, sh.owner1, o.ID)
		noErr(t, err)
		var files []string
		for _, n := range names {
			files = append(files, n.File())
		}
		if diff := cmp.Diff([]string{"surat-pesanan.pdf", "bast-1.pdf", "invoice.pdf", "kuitansi.pdf"}, files); diff != "" {
			t.Errorf("documents (-want +got):\n%s", diff)
		}
	})
}

package store_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	belapaper "bela/internal/paper"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

func TestPublicOrdersShowPurchasesWithoutPeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		sh.exec(`UPDATE users SET nip = '198001012006041001', phone = '081234567890' WHERE id = $1`, sh.buyer.UserID)
		// The paper is a domestic product (PDN) with 43,57% TKDN when ordered; changing the
		// listing afterwards does not change the order's line.
		sh.exec(`UPDATE products SET pdn = TRUE, tkdn_bp = 4357 WHERE id = $1`, sh.paper)
		paid := sh.received(sh.buyer, sh.paper, 60) // Rp3.000.000, non-PKP
		sh.exec(`UPDATE products SET pdn = FALSE, tkdn_bp = 0 WHERE id = $1`, sh.paper)
		_, err := s.IssueInvoice(bg, sh.owner1, paid.ID, store.InvoiceInput{})
		noErr(t, err)
		_, err = s.RecordPayment(bg, sh.treasurer, paid.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: sh.today(),
			Reference: "SP2D-0001/2026", Amount: 2_955_000, Taxes: []store.TaxPayment{taxPay(market.TaxPPh22, 45_000)}})
		noErr(t, err)
		sp, err := s.RenderDocument(bg, sh.auditor, paid.ID, store.DocumentName{Kind: belapaper.KindOrderLetter, Seq: 1}, "http://bela.test",
			func(b []byte) (string, error) { return belapaper.SHA256(b), nil })
		noErr(t, err)
		rejected := sh.checkout(sh.input(store.CartItem{ProductID: sh.pens, Quantity: 3}))
		_, err = s.Reject(bg, sh.ppk, rejected.ID, "Tidak sesuai kebutuhan")
		noErr(t, err)
		waiting := sh.checkout(sh.input(store.CartItem{ProductID: sh.snack, Quantity: 4}))

		all, err := s.PublicOrders(bg, store.PublicOrderFilter{})
		noErr(t, err)
		var ids []int64
		for _, o := range all {
			ids = append(ids, o.ID)
		}
		if diff := cmp.Diff([]int64{waiting.ID, rejected.ID, paid.ID}, ids); diff != "" {
			t.Fatalf("public orders (-want +got):\n%s", diff)
		}
		bySeller, err := s.PublicOrders(bg, store.PublicOrderFilter{SellerID: sh.seller2})
		noErr(t, err)
		if len(bySeller) != 1 || bySeller[0].ID != waiting.ID || bySeller[0].SellerClass != market.ClassSmall {
			t.Errorf("seller 2's orders = %+v", bySeller)
		}
		byState, err := s.PublicOrders(bg, store.PublicOrderFilter{State: market.StateRejected, FiscalYear: 2026})
		noErr(t, err)
		if len(byState) != 1 || byState[0].ID != rejected.ID {
			t.Errorf("rejected orders = %+v", byState)
		}
		none, err := s.PublicOrders(bg, store.PublicOrderFilter{FiscalYear: 2025})
		noErr(t, err)
		if len(none) != 0 {
			t.Errorf("2025 has %d orders", len(none))
		}

		o, err := s.PublicOrder(bg, paid.ID)
		noErr(t, err)
		if o.State != market.StateCompleted || o.Total != 3_000_000 || o.Paid != 2_955_000 || o.LatePayments != 0 ||
			o.KodeRUP != "27712345" || o.SellerKecamatan != "Medan Baru" || o.SellerClass != market.ClassMicro || o.ApprovedAt.IsZero() {
			t.Errorf("public order = %+v", o)
		}
		if len(o.Lines) != 1 || o.Lines[0].Quantity != 60 || o.Lines[0].Received != 60 || o.Lines[0].Amount != 3_000_000 ||
			!o.Lines[0].PDN || o.Lines[0].TKDN != 4357 {
			t.Errorf("lines = %+v", o.Lines)
		}
		if len(o.Payments) != 1 || o.Payments[0].Amount != 2_955_000 {
			t.Errorf("payments = %+v", o.Payments)
		}
		if len(o.Documents) != 1 || o.Documents[0].Code != sp.Code || o.Documents[0].Kind != belapaper.KindOrderLetter || o.Documents[0].Number == "" {
			t.Errorf("documents = %+v", o.Documents)
		}
		var steps []string
		for _, st := range o.Steps {
			steps = append(steps, st.Role+" "+st.Action+" "+string(st.State))
		}
		wantSteps := []string{"buyer order.checkout awaiting_approval", "approver order.approve approved", "seller_owner order.accept accepted",
			"seller_owner order.ship shipped", "receiver order.receive received"}
		if got := strings.Join(steps, "\n"); !strings.HasPrefix(got, strings.Join(wantSteps, "\n")) || !strings.Contains(got, "treasurer order.pay") {
			t.Errorf("steps:\n%s", got)
		}
		// Nobody is named and nothing people typed is there: not the officials, the address,
		// the notes, the reasons, or anyone's NIP or phone.
		j, err := json.Marshal([]store.PublicOrder{o, all[0], all[1]})
		noErr(t, err)
		for _, private := range []string{sh.buyer.Name, "PPK", "Penerima", "Bendahara", "Pemilik", "Kapten Maulana", "rapat koordinasi",
			"Tidak sesuai", "198001012006041001", "081234567890", "@bela.test", "SJ-", "SP2D"} {
			if strings.Contains(string(j), private) {
				t.Errorf("public orders carry %q", private)
			}
		}
		_, err = s.PublicOrder(bg, 999999)
		wantCode(t, err, market.CodeNotFound)

		var each []int64
		noErr(t, s.EachPublicOrder(bg, store.PublicOrderFilter{FiscalYear: 2026}, func(o store.PublicOrder) error {
			if len(o.Lines) == 0 {
				t.Errorf("order %d without lines", o.ID)
			}
			each = append(each, o.ID)
			return nil
		}))
		if diff := cmp.Diff(ids, each); diff != "" {
			t.Errorf("EachPublicOrder (-want +got):\n%s", diff)
		}

		sum, err := s.PublicSpend(bg, 0)
		noErr(t, err)
		want := store.PublicUnitSpend{UnitID: sh.unit.ID, UnitCode: "DISKOMINFO", UnitName: "Dinas Komunikasi dan Informatika",
			Orders: 2, Withdrawn: 1, Value: 3_000_000 + 100_000, Paid: 2_955_000, Sellers: 2, Goods: 3_100_000, PDNGoods: 3_000_000}
		if diff := cmp.Diff([]store.PublicUnitSpend{want}, sum.Units); diff != "" || sum.Year != 2026 || sum.Total.Value != want.Value || sum.Total.Sellers != 2 ||
			sum.Total.PDNGoods != 3_000_000 || int(sum.Total.PDNPercent()) != 96 {
			t.Errorf("spend %d (-want +got):\n%s\ntotal %+v", sum.Year, diff, sum.Total)
		}

		// Only what changed since a moment: the order cancelled after it.
		c.Advance(time.Hour)
		since := c.Now()
		_, err = s.Cancel(bg, sh.buyer, waiting.ID, "Tidak jadi")
		noErr(t, err)
		changed, err := s.PublicOrders(bg, store.PublicOrderFilter{UpdatedSince: since})
		noErr(t, err)
		if len(changed) != 1 || changed[0].ID != waiting.ID || changed[0].State != market.StateCancelled {
			t.Errorf("orders changed since %s = %+v", since, changed)
		}
		if changed, _ = s.PublicOrders(bg, store.PublicOrderFilter{UpdatedSince: since.Add(time.Second)}); len(changed) != 0 {
			t.Errorf("orders changed after the cancellation = %+v", changed)
		}
	})
}

// EachPublicOrder reads a page of orders at a time: every order comes once, in order.
func TestEachPublicOrderPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		sh.exec(`UPDATE budget_lines SET ceiling = 100000000000`)
		var want []int64
		for range 205 {
			o := sh.checkout(sh.input(store.CartItem{ProductID: sh.pens, Quantity: 1}))
			want = append([]int64{o.ID}, want...)
		}
		var got []int64
		noErr(t, s.EachPublicOrder(bg, store.PublicOrderFilter{UnitID: sh.unit.ID}, func(o store.PublicOrder) error {
			if len(o.Lines) != 1 {
				t.Errorf("order %d has %d lines", o.ID, len(o.Lines))
			}
			got = append(got, o.ID)
			return nil
		}))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
	})
}

// The public reports read one snapshot on both databases: a unit created between two of their
// statements is not seen by the second, and is seen once the read ends.
func TestPublicReadsAreOneSnapshot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		before, after, err := s.CountUnitsAround(bg, func() {
			if _, err := s.CreateUnit(bg, store.System, "BARU", "Unit Baru"); err != nil {
				t.Fatal(err)
			}
		})
		noErr(t, err)
		if after != before {
			t.Errorf("the snapshot saw %d units, then %d", before, after)
		}
		again, _, err := s.CountUnitsAround(bg, func() {})
		noErr(t, err)
		if again != before+1 {
			t.Errorf("after the snapshot: %d units, want %d", again, before+1)
		}
	})
}

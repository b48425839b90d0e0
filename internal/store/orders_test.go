package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

func TestOrderLifeFromCartToBAST(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		noErr(t, s.AddToCart(bg, sh.buyer, sh.unit.ID, store.CartItem{ProductID: sh.paper, Quantity: 10}))
		noErr(t, s.AddToCart(bg, sh.buyer, sh.unit.ID, store.CartItem{ProductID: sh.paper, Quantity: 10}))
		noErr(t, s.AddToCart(bg, sh.buyer, sh.unit.ID, store.CartItem{ProductID: sh.snack, Quantity: 40}))
		noErr(t, s.AddToCart(bg, sh.buyer, sh.unit.ID, store.CartItem{ProductID: sh.pens, Quantity: 5}))
		noErr(t, s.RemoveFromCart(bg, sh.buyer, sh.unit.ID, sh.pens))
		cart, err := s.GetCart(bg, sh.buyer, sh.unit.ID)
		noErr(t, err)
		if len(cart.Groups) != 2 || cart.Groups[1].Lines[0].Quantity != 20 {
			t.Fatalf("cart = %+v", cart)
		}
		// Another unit's buyer cannot use this unit's cart.
		wantCode(t, s.AddToCart(bg, sh.outsider, sh.unit.ID, store.CartItem{ProductID: sh.paper, Quantity: 1}), market.CodeForbidden)

		in := sh.input()
		in.Shipping = map[int64]market.Rupiah{sh.seller1: 30_000}
		orders, err := s.Checkout(bg, sh.buyer, in)
		noErr(t, err)
		if len(orders) != 2 {
			t.Fatalf("checkout made %d orders, want one per seller", len(orders))
		}
		var paper, snack store.Order
		for _, o := range orders {
			if o.SellerID == sh.seller1 {
				paper = o
			} else {
				snack = o
			}
		}
		// Paper: 20 × 50.000 + 30.000 shipping, non-PKP: no PPN. Snack: catering from a PKP seller: no PPN.
		if paper.Total != 1_030_000 || paper.PPN != 0 || snack.Total != 1_000_000 || paper.State != market.StateAwaitingApproval {
			t.Fatalf("totals: paper %+v, snack %+v", paper, snack)
		}
		if paper.CheckoutID != snack.CheckoutID || paper.Policy != market.DefaultPolicy() {
			t.Errorf("siblings or policy not recorded: %q %q %+v", paper.CheckoutID, snack.CheckoutID, paper.Policy)
		}
		if got := sh.stock(sh.paper); got != 80 {
			t.Errorf("paper stock after checkout = %d, want 80", got)
		}
		// The PPK is told of both orders by e-mail, at their address.
		mails, err := s.DueEmails(bg, 10)
		noErr(t, err)
		ppk, err := s.GetUser(bg, sh.ppk.UserID)
		noErr(t, err)
		var toPPK int
		for _, m := range mails {
			// The e-mail links the order on the public address (the inbox keeps the path).
			if m.To == ppk.Email && strings.Contains(m.Body, "\n\nhttp://bela.test/pesanan/") {
				toPPK++
			}
		}
		if toPPK != 2 {
			t.Errorf("%d e-mails to the PPK after a checkout of two orders (outbox %+v)", toPPK, mails)
		}
		if b := sh.line(); b.Reserved != 2_030_000 || b.Available() != 200_000_000-2_030_000 {
			t.Errorf("budget after checkout = %+v", b)
		}
		if cart, _ := s.GetCart(bg, sh.buyer, sh.unit.ID); len(cart.Groups) != 0 {
			t.Errorf("cart not emptied: %+v", cart)
		}
		if msgs, _ := s.Inbox(bg, sh.ppk.UserID); len(msgs) != 2 {
			t.Errorf("PPK inbox has %d messages, want 2", len(msgs))
		}

		// Object level: the buyer cannot approve; another unit cannot even see it; the seller cannot approve.
		_, err = s.Approve(bg, sh.buyer, paper.ID)
		wantCode(t, err, market.CodeForbidden)
		_, err = s.GetOrder(bg, sh.outsider, paper.ID)
		wantCode(t, err, market.CodeNotFound)
		_, err = s.Approve(bg, sh.owner1, paper.ID)
		wantCode(t, err, market.CodeForbidden)
		_, err = s.GetOrder(bg, sh.owner2, paper.ID)
		wantCode(t, err, market.CodeNotFound)

		got, err := s.GetOrder(bg, sh.ppk, paper.ID)
		noErr(t, err)
		if want := []market.Action{market.ActionApprove, market.ActionReturn, market.ActionReject, market.ActionCancel}; !slices.Equal(got.Allowed, want) {
			t.Errorf("PPK may %v, want %v", got.Allowed, want)
		}

		o, err := s.Approve(bg, sh.ppk, paper.ID)
		noErr(t, err)
		if o.State != market.StateApproved || o.SPNumber != "SP/DISKOMINFO/2026/00001" || o.BudgetCommitted != 1_030_000 || o.BudgetReserved != 0 {
			t.Fatalf("after approval: %+v", o)
		}
		// Approving one order reads the PPK's message about it, not the other's.
		if n, _ := s.UnreadCount(bg, sh.ppk.UserID); n != 1 {
			t.Errorf("PPK has %d unread messages after approving one of two orders, want 1", n)
		}
		o2, err := s.Approve(bg, sh.ppk, snack.ID)
		noErr(t, err)
		if o2.SPNumber != "SP/DISKOMINFO/2026/00002" {
			t.Errorf("second SP number = %q", o2.SPNumber)
		}
		if b := sh.line(); b.Reserved != 0 || b.Committed != 2_030_000 {
			t.Errorf("budget after approval = %+v", b)
		}
		// Approving twice conflicts.
		_, err = s.Approve(bg, sh.ppk, paper.ID)
		wantCode(t, err, market.CodeConflict)

		_, err = s.Accept(bg, sh.owner2, paper.ID)
		wantCode(t, err, market.CodeNotFound)
		o, err = s.Accept(bg, sh.owner1, paper.ID)
		noErr(t, err)
		if o.State != market.StateAccepted || o.AcceptedAt.IsZero() {
			t.Fatalf("after accept: %+v", o)
		}
		_, err = s.Ship(bg, sh.owner1, paper.ID, store.ShipInput{})
		wantCode(t, err, market.CodeInvalid)
		o, err = s.Ship(bg, sh.owner1, paper.ID, store.ShipInput{DeliveryNote: "SJ-001", Courier: "JNE", Tracking: "JN123"})
		noErr(t, err)
		if o.State != market.StateShipped || len(o.Shipments) != 1 {
			t.Fatalf("after ship: %+v", o)
		}
		line := o.Lines[0].ID
		_, err = s.Receive(bg, sh.receiver, paper.ID, store.ReceiveInput{Lines: []store.ReceiptLine{{OrderLineID: line, Quantity: 21}}})
		wantCode(t, err, market.CodeInvalid)
		_, err = s.Receive(bg, sh.owner1, paper.ID, store.ReceiveInput{Lines: []store.ReceiptLine{{OrderLineID: line, Quantity: 5}}})
		wantCode(t, err, market.CodeForbidden)
		o, err = s.Receive(bg, sh.receiver, paper.ID, store.ReceiveInput{Lines: []store.ReceiptLine{{OrderLineID: line, Quantity: 12}}, Condition: store.ConditionGood})
		noErr(t, err)
		if o.State != market.StatePartiallyReceived || o.Lines[0].Received != 12 || len(o.Receipts) != 1 {
			t.Fatalf("after partial receipt: %+v", o)
		}
		o, err = s.Ship(bg, sh.owner1, paper.ID, store.ShipInput{DeliveryNote: "SJ-002"})
		noErr(t, err)
		_, err = s.Receive(bg, sh.ppk, paper.ID, store.ReceiveInput{Lines: []store.ReceiptLine{{OrderLineID: line, Quantity: 8}}, Photos: []string{"abc"}})
		wantCode(t, err, market.CodeInvalid) // not a photo's id
		photo := strings.Repeat("ab", 32)
		o, err = s.Receive(bg, sh.ppk, paper.ID, store.ReceiveInput{Lines: []store.ReceiptLine{{OrderLineID: line, Quantity: 8}}, Photos: []string{photo}})
		noErr(t, err)
		if len(o.Receipts) == 2 && !slices.Equal(o.Receipts[1].Photos, []string{photo}) {
			t.Errorf("second BAST photos = %v", o.Receipts[1].Photos)
		}
		if o.State != market.StateReceived || o.Lines[0].Received != 20 || len(o.Receipts) != 2 || o.Receipts[1].Number != fmt.Sprintf("BAST/DISKOMINFO/2026/%d-2", o.ID) {
			t.Fatalf("after full receipt: %+v", o)
		}
		// Each BAST keeps its own lines; the order its two shipments.
		var received [][]int64
		for _, r := range o.Receipts {
			var q []int64
			for _, l := range r.Lines {
				q = append(q, l.OrderLineID, l.Quantity)
			}
			received = append(received, q)
		}
		if diff := cmp.Diff([][]int64{{line, 12}, {line, 8}}, received); diff != "" || len(o.Shipments) != 2 {
			t.Errorf("BAST lines (-want +got):\n%s\nshipments: %+v", diff, o.Shipments)
		}
		var actions []string
		for _, e := range o.Timeline {
			actions = append(actions, e.Action)
		}
		want := []string{"order.checkout", "order.approve", "order.accept", "order.ship", "order.receive", "order.ship", "order.receive"}
		if diff := cmp.Diff(want, actions); diff != "" {
			t.Errorf("timeline (-want +got):\n%s", diff)
		}
		if msgs, _ := s.Inbox(bg, sh.owner1.UserID); len(msgs) < 3 {
			t.Errorf("seller inbox has %d messages", len(msgs))
		}
		if got := sh.stock(sh.paper); got != 80 {
			t.Errorf("paper stock after delivery = %d, want 80", got)
		}

		// Lists with object-level visibility.
		for _, tc := range []struct {
			name string
			p    *market.Principal
			f    store.OrderFilter
			want int
			code market.Code
		}{
			{"unit official", sh.receiver, store.OrderFilter{UnitID: sh.unit.ID}, 2, ""},
			{"seller", sh.owner1, store.OrderFilter{SellerID: sh.seller1}, 1, ""},
			{"seller without filter", sh.owner2, store.OrderFilter{}, 1, ""},
			{"PPK's own", sh.ppk, store.OrderFilter{PPKID: sh.ppk.UserID}, 2, ""},
			{"auditor", sh.auditor, store.OrderFilter{}, 2, ""},
			{"other unit", sh.outsider, store.OrderFilter{UnitID: sh.unit.ID}, 0, market.CodeNotFound},
			{"other unit without filter", sh.outsider, store.OrderFilter{}, 0, ""},
			{"other seller", sh.owner2, store.OrderFilter{SellerID: sh.seller1}, 0, market.CodeNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				l, err := s.ListOrders(bg, tc.p, tc.f)
				wantCode(t, err, tc.code)
				if len(l) != tc.want {
					t.Errorf("got %d orders, want %d", len(l), tc.want)
				}
			})
		}
	})
}

func TestCheckoutRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		item := func(id, q int64) store.CartItem { return store.CartItem{ProductID: id, Quantity: q} }
		both := sh.user("Pembeli dan PPK", store.Grant{Role: market.RoleBuyer, ScopeID: sh.unit.ID}, store.Grant{Role: market.RoleApprover, ScopeID: sh.unit.ID})
		related := sh.user("PPK Bersaudara", store.Grant{Role: market.RoleApprover, ScopeID: sh.unit.ID})
		_, err := s.DeclareSellerRelation(bg, sh.admin, related.UserID, sh.seller1, "adik kandung pemilik")
		noErr(t, err)
		suspended := sh.addSeller("UD Dibekukan", "micro", false)
		sh.exec(`UPDATE sellers SET status = 'suspended' WHERE id = $1`, suspended)
		frozen := sh.addProduct(suspended, "Map plastik", "01.01.02", "pcs", 3_000, 10)
		medium := sh.addSeller("PT Menengah", "medium", false)
		big := sh.addProduct(medium, "Kertas F4", "01.01.01", "rim", 45_000, 100)
		draft := sh.addProduct(sh.seller1, "Kertas warna", "01.01.01", "rim", 60_000, 100)
		laptop := sh.addProduct(sh.seller1, "Mesin penghancur kertas", "01.02.02", "unit", 15_000_000, 10)
		sh.exec(`UPDATE products SET status = 'draft' WHERE id = $1`, draft)
		small, err := s.CreateBudgetLine(bg, sh.unitAdm, sh.unit.ID, store.BudgetInput{FiscalYear: 2026, KodeRUP: "27700001",
			AccountCode: "5.1.02.01.01.0025", Name: "Belanja Cetak", FundingSource: "DAU", Ceiling: 99_999})
		noErr(t, err)
		lastYear, err := s.CreateBudgetLine(bg, sh.unitAdm, sh.unit.ID, store.BudgetInput{FiscalYear: 2025, KodeRUP: "27600001",
			AccountCode: "5.1.02.01.01.0024", Name: "Belanja ATK 2025", FundingSource: "PAD", Ceiling: 100_000_000})
		noErr(t, err)
		otherUnit, err := s.CreateBudgetLine(bg, sh.admin, sh.unit2.ID, store.BudgetInput{FiscalYear: 2026, KodeRUP: "27800001",
			AccountCode: "5.1.02.01.01.0024", Name: "Belanja ATK Dinkes", FundingSource: "PAD", Ceiling: 100_000_000})
		noErr(t, err)

		tests := []struct {
			name  string
			buyer *market.Principal
			edit  func(in *store.CheckoutInput)
			code  market.Code
			rules []string
		}{
			{name: "cap", edit: func(in *store.CheckoutInput) { in.Items = []store.CartItem{item(laptop, 4)} },
				code: market.CodeRuleBlocked, rules: []string{"cap/block"}},
			{name: "budget", edit: func(in *store.CheckoutInput) { in.BudgetLineID = small.ID },
				code: market.CodeRuleBlocked, rules: []string{"budget/block"}},
			{name: "budget of last year", edit: func(in *store.CheckoutInput) { in.BudgetLineID = lastYear.ID },
				code: market.CodeRuleBlocked, rules: []string{"budget/block"}},
			{name: "budget of another unit", edit: func(in *store.CheckoutInput) { in.BudgetLineID = otherUnit.ID },
				code: market.CodeRuleBlocked, rules: []string{"budget/block"}},
			{name: "suspended seller", edit: func(in *store.CheckoutInput) { in.Items = []store.CartItem{item(frozen, 1)} },
				code: market.CodeRuleBlocked, rules: []string{"eligibility/block", "eligibility/block"}},
			{name: "medium enterprise", edit: func(in *store.CheckoutInput) { in.Items = []store.CartItem{item(big, 1)} },
				code: market.CodeRuleBlocked, rules: []string{"eligibility/block"}},
			// A listing that is not approved is not found, as if it did not exist (see
			// TestCheckoutHidesUnlistedProducts).
			{name: "unapproved product", edit: func(in *store.CheckoutInput) { in.Items = []store.CartItem{item(draft, 1)} },
				code: market.CodeInvalid},
			{name: "not enough stock", edit: func(in *store.CheckoutInput) { in.Items = []store.CartItem{item(sh.paper, 101)} },
				code: market.CodeRuleBlocked, rules: []string{"eligibility/block"}},
			{name: "buyer is the PPK", buyer: both, edit: func(in *store.CheckoutInput) { in.PPKID = both.UserID },
				code: market.CodeRuleBlocked, rules: []string{"separation_of_duties/block"}},
			{name: "PPK related to the seller", edit: func(in *store.CheckoutInput) { in.PPKID = related.UserID },
				code: market.CodeRuleBlocked, rules: []string{"conflict_of_interest/block"}},
			{name: "seller owner as receiver", edit: func(in *store.CheckoutInput) { in.ReceiverID = sh.owner1.UserID },
				code: market.CodeInvalid},
			{name: "PPK not an approver", edit: func(in *store.CheckoutInput) { in.PPKID = sh.receiver.UserID }, code: market.CodeInvalid},
			{name: "no address", edit: func(in *store.CheckoutInput) { in.Address = " " }, code: market.CodeInvalid},
			{name: "needed yesterday", edit: func(in *store.CheckoutInput) { in.NeededBy = c.Now().Add(-48 * time.Hour) }, code: market.CodeInvalid},
			{name: "negative shipping", edit: func(in *store.CheckoutInput) { in.Shipping = map[int64]market.Rupiah{sh.seller1: -1} }, code: market.CodeInvalid},
			{name: "several blocks at once", edit: func(in *store.CheckoutInput) {
				in.Items = []store.CartItem{item(laptop, 4), item(sh.paper, 101)}
				in.PPKID = related.UserID
				in.BudgetLineID = small.ID
			}, code: market.CodeRuleBlocked, rules: []string{"cap/block", "budget/block", "eligibility/block", "conflict_of_interest/block"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := sh.line()
				stock := sh.stock(sh.paper)
				in := sh.input(item(sh.paper, 2))
				tc.edit(&in)
				buyer := tc.buyer
				if buyer == nil {
					buyer = sh.buyer
				}
				_, err := s.Checkout(bg, buyer, in)
				wantCode(t, err, tc.code)
				if tc.rules != nil {
					if diff := cmp.Diff(tc.rules, ruleCodes(err)); diff != "" {
						t.Errorf("rules (-want +got):\n%s\n%v", diff, err)
					}
				}
				if l, _ := s.ListOrders(bg, sh.auditor, store.OrderFilter{}); len(l) != 0 {
					t.Errorf("a blocked checkout wrote %d orders", len(l))
				}
				if sh.line() != before || sh.stock(sh.paper) != stock {
					t.Errorf("a blocked checkout changed stock or budget")
				}
			})
		}
	})
}

func TestCheckoutWarningsNeedJustification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		// Split purchase: 30 juta of paper yesterday, 25 juta now passes the cap.
		sh.exec(`UPDATE products SET stock = 2000 WHERE id = $1`, sh.paper)
		sh.exec(`UPDATE products SET stock = 20000 WHERE id = $1`, sh.pens)
		first := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 600}))
		c.Advance(24 * time.Hour)
		in := sh.input(store.CartItem{ProductID: sh.paper, Quantity: 500})
		_, err := s.Checkout(bg, sh.buyer, in)
		wantCode(t, err, market.CodeRuleBlocked)
		if diff := cmp.Diff([]string{"split_purchase/warning", "split_purchase/warning"}, ruleCodes(err)); diff != "" {
			t.Fatalf("rules (-want +got):\n%s", diff)
		}
		var me *market.Error
		errors.As(err, &me)
		if _, ok := me.Fields[fmt.Sprintf("justifications.%d.split_purchase", sh.seller1)]; !ok {
			t.Errorf("error does not name the missing justification: %v", me.Fields)
		}
		in.Justifications = map[int64]map[string]string{sh.seller1: {"split_purchase": "terlalu pendek"}}
		_, err = s.Checkout(bg, sh.buyer, in)
		wantCode(t, err, market.CodeRuleBlocked)
		// The preview shows the same warning without writing.
		pv, err := s.PreviewCheckout(bg, sh.buyer, in)
		noErr(t, err)
		if len(pv) != 1 || pv[0].Stop == nil || len(pv[0].Results) != 2 {
			t.Errorf("preview = %+v", pv)
		}
		in.Justifications[sh.seller1]["split_purchase"] = "Kebutuhan ujian akhir semester yang baru ditetapkan kemarin."
		o := sh.checkout(in)
		if o.Justifications["split_purchase"] == "" || len(o.Rules) != 2 {
			t.Errorf("order does not keep the justification and results: %+v %+v", o.Justifications, o.Rules)
		}
		// The PPK approves with the justification shown; the earlier order still counts.
		_, err = s.Approve(bg, sh.ppk, o.ID)
		noErr(t, err)
		// A rejected order no longer counts: after rejecting both, a third order is clean.
		_, err = s.Reject(bg, sh.ppk, first.ID, "")
		wantCode(t, err, market.CodeInvalid)
		_, err = s.Reject(bg, sh.ppk, first.ID, "Tidak sesuai RKA.")
		noErr(t, err)
		_, err = s.Cancel(bg, sh.ppk, o.ID, "Dibatalkan karena anggaran dialihkan.")
		noErr(t, err)
		if b := sh.line(); b.Reserved != 0 || b.Committed != 0 {
			t.Errorf("budget after rejection and cancellation = %+v", b)
		}
		if got := sh.stock(sh.paper); got != 2000 {
			t.Errorf("stock after release = %d, want 2000", got)
		}

		// Price reference: other listings of the leaf and unit cost ~10.000; 50.000 is far above.
		for i := range 4 {
			sh.addProduct(sh.seller2, fmt.Sprintf("Kertas murah %d", i), "01.01.01", "rim", 10_000+market.Rupiah(i)*100, 10)
		}
		in2 := sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2})
		_, err = s.Checkout(bg, sh.buyer, in2)
		wantCode(t, err, market.CodeRuleBlocked)
		if diff := cmp.Diff([]string{"price_reference/warning"}, ruleCodes(err)); diff != "" {
			t.Fatalf("rules (-want +got):\n%s", diff)
		}
		// Split as a block by policy.
		pol := market.DefaultPolicy()
		pol.SplitSeverity = market.SeverityBlock
		wantCode(t, s.SetPolicy(bg, sh.buyer, pol, "uji"), market.CodeForbidden)
		noErr(t, s.SetPolicy(bg, sh.admin, pol, "Instruksi Inspektorat: pemecahan pembelian dilarang."))
		hist, err := s.PolicyHistory(bg)
		noErr(t, err)
		if len(hist) != 1 || hist[0].Policy.SplitSeverity != market.SeverityBlock {
			t.Errorf("policy history = %+v", hist)
		}
		sh.checkout(sh.input(store.CartItem{ProductID: sh.pens, Quantity: 4000}))                       // 20 juta
		_, err = s.Checkout(bg, sh.buyer, sh.input(store.CartItem{ProductID: sh.pens, Quantity: 7000})) // 35 juta more
		wantCode(t, err, market.CodeRuleBlocked)
		if !slices.Contains(ruleCodes(err), "split_purchase/block") {
			t.Errorf("rules = %v, want a split block", ruleCodes(err))
		}
	})
}

func TestSiblingOrdersCountForSplit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		// Two sellers, same leaf category, each 30 juta: together over the cap.
		other := sh.addProduct(sh.seller2, "Kertas HVS A4 75 gram", "01.01.01", "rim", 50_000, 1000)
		sh.exec(`UPDATE products SET stock = 1000 WHERE id = $1`, sh.paper)
		in := sh.input(store.CartItem{ProductID: sh.paper, Quantity: 600}, store.CartItem{ProductID: other, Quantity: 600})
		_, err := s.Checkout(bg, sh.buyer, in)
		wantCode(t, err, market.CodeRuleBlocked)
		got := ruleCodes(err)
		if len(got) != 2 || got[0] != "split_purchase/warning" || got[1] != "split_purchase/warning" {
			t.Fatalf("rules = %v, want a split warning on each sibling", got)
		}
	})
}

func TestReturnResubmitNegotiateAndRelease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		o := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 10}))
		// Negotiation: buyer asks 45.000, seller counters 48.000, buyer accepts.
		_, err := s.Negotiate(bg, sh.owner1, o.ID, store.NegotiationInput{Line: 0, Kind: market.MoveRequest, Price: 40_000})
		wantCode(t, err, market.CodeForbidden)
		_, err = s.Negotiate(bg, sh.buyer, o.ID, store.NegotiationInput{Line: 0, Kind: market.MoveRequest, Price: 45_000, Note: "Harga pasar lebih murah"})
		noErr(t, err)
		_, err = s.Negotiate(bg, sh.buyer, o.ID, store.NegotiationInput{Line: 0, Kind: market.MoveRequest, Price: 44_000})
		wantCode(t, err, market.CodeConflict)
		_, err = s.Negotiate(bg, sh.owner1, o.ID, store.NegotiationInput{Line: 0, Kind: market.MoveCounter, Price: 48_000})
		noErr(t, err)
		n, err := s.Negotiate(bg, sh.buyer, o.ID, store.NegotiationInput{Line: 0, Kind: market.MoveAccept})
		noErr(t, err)
		if n.Lines[0].UnitPrice != 48_000 || n.Total != 480_000 || n.BudgetReserved != 480_000 || len(n.Negotiations) != 1 || len(n.Negotiations[0].Moves) != 3 {
			t.Fatalf("after agreement: %+v", n)
		}
		if b := sh.line(); b.Reserved != 480_000 {
			t.Errorf("budget reserved after agreement = %d", b.Reserved)
		}

		// Return and resubmit with more paper.
		_, err = s.Return(bg, sh.ppk, o.ID, "Tambah jumlahnya untuk dua bulan.")
		noErr(t, err)
		_, err = s.Resubmit(bg, sh.buyer2, o.ID, store.ResubmitInput{})
		wantCode(t, err, market.CodeForbidden)
		r, err := s.Resubmit(bg, sh.buyer, o.ID, store.ResubmitInput{Quantities: map[int64]int64{n.Lines[0].ID: 25}})
		noErr(t, err)
		if r.State != market.StateAwaitingApproval || r.Total != 1_200_000 || r.Lines[0].Quantity != 25 {
			t.Fatalf("after resubmit: %+v", r)
		}
		if got, b := sh.stock(sh.paper), sh.line(); got != 75 || b.Reserved != 1_200_000 {
			t.Errorf("after resubmit: stock %d, reserved %d", got, b.Reserved)
		}
		_, err = s.Negotiate(bg, sh.buyer, o.ID, store.NegotiationInput{Line: 0, Kind: market.MoveRequest, Price: 40_000})
		wantCode(t, err, market.CodeConflict) // the line's negotiation is over

		// Approve, accept, ship, receive 10 of 25, close short: the rest goes back.
		_, err = s.Approve(bg, sh.ppk, o.ID)
		noErr(t, err)
		_, err = s.Cancel(bg, sh.buyer, o.ID, "berubah pikiran")
		wantCode(t, err, market.CodeConflict)
		_, err = s.Accept(bg, sh.owner1, o.ID)
		noErr(t, err)
		_, err = s.Ship(bg, sh.owner1, o.ID, store.ShipInput{DeliveryNote: "SJ-9"})
		noErr(t, err)
		_, err = s.Receive(bg, sh.receiver, o.ID, store.ReceiveInput{Lines: []store.ReceiptLine{{OrderLineID: r.Lines[0].ID, Quantity: 10}}})
		noErr(t, err)
		d, err := s.Dispute(bg, sh.owner1, o.ID, "Penerima menolak sisa barang tanpa alasan.")
		noErr(t, err)
		if d.State != market.StateDisputed || d.DisputedFrom != market.StatePartiallyReceived {
			t.Fatalf("after dispute: %+v", d)
		}
		_, err = s.ResolveDispute(bg, sh.ppk, o.ID, "selesai")
		wantCode(t, err, market.CodeForbidden)
		d, err = s.ResolveDispute(bg, sh.admin, o.ID, "Disepakati sisa barang tidak dikirim.")
		noErr(t, err)
		if d.State != market.StatePartiallyReceived {
			t.Fatalf("after resolution: %s", d.State)
		}
		cs, err := s.CloseShort(bg, sh.ppk, o.ID, "Sisa tidak diperlukan lagi.")
		noErr(t, err)
		if cs.State != market.StateClosedShort || cs.BudgetCommitted != 480_000 {
			t.Fatalf("after close short: %+v", cs)
		}
		if got, b := sh.stock(sh.paper), sh.line(); got != 90 || b.Committed != 480_000 || b.Reserved != 0 {
			t.Errorf("after close short: stock %d, budget %+v", got, b)
		}
	})
}

func TestExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		waiting := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 10}))
		approved := sh.checkout(sh.input(store.CartItem{ProductID: sh.pens, Quantity: 10}))
		_, err := s.Approve(bg, sh.ppk, approved.ID)
		noErr(t, err)
		c.Advance(3*24*time.Hour - time.Minute)
		n, err := s.ExpireOrders(bg, 100)
		noErr(t, err)
		if n != 0 {
			t.Fatalf("expired %d orders before any deadline", n)
		}
		c.Advance(2 * time.Minute) // the acceptance timeout (3 days) has passed
		n, err = s.ExpireOrders(bg, 100)
		noErr(t, err)
		if n != 1 {
			t.Fatalf("expired %d orders, want the unaccepted one", n)
		}
		c.Advance(4 * 24 * time.Hour) // and now the approval timeout (7 days)
		n, err = s.ExpireOrders(bg, 100)
		noErr(t, err)
		if n != 1 {
			t.Fatalf("expired %d orders, want the unapproved one", n)
		}
		for _, id := range []int64{waiting.ID, approved.ID} {
			o, err := s.GetOrder(bg, sh.auditor, id)
			noErr(t, err)
			if o.State != market.StateExpired || o.Timeline[len(o.Timeline)-1].ActorRole != "system" {
				t.Errorf("order %d: %s by %+v", id, o.State, o.Timeline[len(o.Timeline)-1])
			}
		}
		if b := sh.line(); b.Reserved != 0 || b.Committed != 0 {
			t.Errorf("budget after expiry = %+v", b)
		}
		if sh.stock(sh.paper) != 100 || sh.stock(sh.pens) != 1000 {
			t.Errorf("stock not released on expiry")
		}
	})
}

func TestBudgetLinesAndDashboard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		_, err := s.CreateBudgetLine(bg, sh.buyer, sh.unit.ID, store.BudgetInput{})
		wantCode(t, err, market.CodeForbidden)
		_, err = s.CreateBudgetLine(bg, sh.outsider, sh.unit.ID, store.BudgetInput{})
		wantCode(t, err, market.CodeNotFound)
		_, err = s.CreateBudgetLine(bg, sh.unitAdm, sh.unit.ID, store.BudgetInput{FiscalYear: 2026, KodeRUP: "27712345",
			AccountCode: "5.1.02.01.01.0024", Name: "Duplikat", FundingSource: "PAD", Ceiling: 1})
		wantCode(t, err, market.CodeInvalid)

		sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 20}))
		rows := []store.BudgetImportRow{
			{Line: 2, BudgetInput: store.BudgetInput{FiscalYear: 2026, KodeRUP: "27712345", AccountCode: "5.1.02.01.01.0024", Name: "Belanja ATK (perubahan)", FundingSource: "PAD", Ceiling: 150_000_000}},
			{Line: 3, BudgetInput: store.BudgetInput{FiscalYear: 2026, KodeRUP: "27712346", AccountCode: "5.1.02.01.01.0026", Name: "Belanja Makan Minum Rapat", FundingSource: "DAU", Ceiling: 80_000_000}},
		}
		bad := append(slices.Clone(rows), store.BudgetImportRow{Line: 4, BudgetInput: store.BudgetInput{FiscalYear: 2026, KodeRUP: "27A", AccountCode: "5.1", Name: "x", FundingSource: "PAD", Ceiling: 1}})
		res, err := s.ImportBudgetLines(bg, sh.unitAdm, sh.unit.ID, bad, false)
		wantCode(t, err, market.CodeInvalid)
		if len(res) != 3 || res[2].Action != "invalid" || res[2].Fields["kode_rup"] == "" || res[0].Action != "update" || res[1].Action != "create" {
			t.Fatalf("import report = %+v", res)
		}
		res, err = s.ImportBudgetLines(bg, sh.unitAdm, sh.unit.ID, rows, true)
		noErr(t, err)
		if res[0].Action != "update" || res[1].Action != "create" || res[1].ID != 0 {
			t.Errorf("dry-run report = %+v", res)
		}
		if l, _ := s.ListBudgetLines(bg, sh.unitAdm, sh.unit.ID, 2026); len(l) != 1 {
			t.Fatalf("a dry run wrote: %+v", l)
		}
		res, err = s.ImportBudgetLines(bg, sh.unitAdm, sh.unit.ID, rows, false)
		noErr(t, err)
		if res[1].ID == 0 {
			t.Errorf("import report = %+v", res)
		}
		lines, err := s.ListBudgetLines(bg, sh.buyer, sh.unit.ID, 2026)
		noErr(t, err)
		if len(lines) != 2 || lines[0].Ceiling != 150_000_000 || lines[0].Reserved != 1_000_000 || lines[0].Available() != 149_000_000 {
			t.Fatalf("lines = %+v", lines)
		}
		// A ceiling below what is used is refused.
		low := []store.BudgetImportRow{{Line: 2, BudgetInput: store.BudgetInput{FiscalYear: 2026, KodeRUP: "27712345", AccountCode: "5.1.02.01.01.0024", Name: "x", FundingSource: "PAD", Ceiling: 500_000}}}
		_, err = s.ImportBudgetLines(bg, sh.unitAdm, sh.unit.ID, low, false)
		wantCode(t, err, market.CodeInvalid)

		d, err := s.UnitDashboard(bg, sh.buyer, sh.unit.ID)
		noErr(t, err)
		if d.FiscalYear != 2026 || d.Available != 229_000_000 || len(d.SellerRoom) != 1 || d.SellerRoom[0].Room != 49_000_000 ||
			len(d.CategoryRoom) != 1 || d.CategoryRoom[0].Name != "Kertas HVS dan kertas fotokopi" || d.CategoryRoom[0].Used != 1_000_000 {
			t.Errorf("dashboard = %+v", d)
		}
		_, err = s.UnitDashboard(bg, sh.owner1, sh.unit.ID)
		wantCode(t, err, market.CodeNotFound)
	})
}

// TestConcurrentCheckoutsForTheLastStock races many buyers for a product's last units: exactly
// as many succeed as the stock allows, the others get a clear error, stock never goes negative.
func TestConcurrentCheckoutsForTheLastStock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		sh.exec(`UPDATE products SET stock = 5 WHERE id = $1`, sh.paper)
		const racers = 24
		ok := raceCheckouts(t, racers, refusedFor("Stok"), func(int) error {
			_, err := s.Checkout(bg, sh.buyer, sh.input(store.CartItem{ProductID: sh.paper, Quantity: 1}))
			return err
		})
		if ok != 5 {
			t.Errorf("%d succeeded and %d were refused, want 5 and %d", ok, racers-ok, racers-5)
		}
		if got := sh.stock(sh.paper); got != 0 {
			t.Errorf("stock = %d, want 0", got)
		}
		if b := sh.line(); b.Reserved != 5*50_000 {
			t.Errorf("reserved = %d, want %d", b.Reserved, 5*50_000)
		}
	})
}

// TestConcurrentCheckoutsOfTwoUnitsForTheLastStock races buyers of two units for the last
// units of one listing: the units' checkouts do not queue behind each other, so the stock's
// conditional UPDATE decides. Exactly as many succeed as there is stock, and a refused checkout
// leaves nothing behind: no order, no audit event, no reserved budget.
func TestConcurrentCheckoutsOfTwoUnitsForTheLastStock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		sh.exec(`UPDATE products SET stock = 5 WHERE id = $1`, sh.paper)
		ppk2 := sh.user("PPK Dinkes", store.Grant{Role: market.RoleApprover, ScopeID: sh.unit2.ID})
		adm2 := sh.user("Admin Dinkes", store.Grant{Role: market.RoleUnitAdmin, ScopeID: sh.unit2.ID})
		line2, err := s.CreateBudgetLine(bg, adm2, sh.unit2.ID, store.BudgetInput{FiscalYear: 2026, KodeRUP: "27755555",
			AccountCode: "5.1.02.01.01.0024", Name: "Belanja ATK", FundingSource: "PAD", Ceiling: 100_000_000})
		noErr(t, err)
		ok := raceCheckouts(t, 24, refusedFor("Stok"), func(i int) error {
			buyer, in := sh.buyer, sh.input(store.CartItem{ProductID: sh.paper, Quantity: 1})
			if i%2 == 1 {
				buyer, in.UnitID, in.BudgetLineID, in.PPKID = sh.outsider, sh.unit2.ID, line2.ID, ppk2.UserID
			}
			_, err := s.Checkout(bg, buyer, in)
			return err
		})
		var orders, events int64
		noErr(t, s.DB().QueryRowContext(bg, `SELECT COUNT(*) FROM orders`).Scan(&orders))
		noErr(t, s.DB().QueryRowContext(bg, `SELECT COUNT(*) FROM audit_events WHERE action = 'order.checkout'`).Scan(&events))
		b2, err := s.GetBudgetLine(bg, sh.auditor, line2.ID)
		noErr(t, err)
		if ok != 5 || orders != 5 || events != 5 || sh.stock(sh.paper) != 0 || sh.line().Reserved+b2.Reserved != 5*50_000 {
			t.Errorf("%d succeeded, %d orders, %d audit events, stock %d, reserved %d + %d; want 5, 5, 5, 0 and 250.000 in all",
				ok, orders, events, sh.stock(sh.paper), sh.line().Reserved, b2.Reserved)
		}
	})
}

// TestConcurrentCheckoutsForTheLastRupiah races many buyers for a budget line that fits exactly
// three orders: exactly three succeed and the line is never over-reserved.
func TestConcurrentCheckoutsForTheLastRupiah(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		tight, err := s.CreateBudgetLine(bg, sh.unitAdm, sh.unit.ID, store.BudgetInput{FiscalYear: 2026, KodeRUP: "27799999",
			AccountCode: "5.1.02.01.01.0099", Name: "Belanja sisa", FundingSource: "PAD", Ceiling: 3*100_000 + 99_999})
		noErr(t, err)
		ok := raceCheckouts(t, 24, refusedFor("anggaran"), func(i int) error {
			buyer := sh.buyer
			if i%2 == 1 {
				buyer = sh.buyer2
			}
			in := sh.input(store.CartItem{ProductID: sh.pens, Quantity: 20})
			in.BudgetLineID = tight.ID
			_, err := s.Checkout(bg, buyer, in)
			return err
		})
		b, err := s.GetBudgetLine(bg, sh.auditor, tight.ID)
		noErr(t, err)
		if ok != 3 || b.Reserved != 300_000 || b.Available() != 99_999 {
			t.Errorf("%d succeeded, budget %+v; want 3 and 300.000 reserved", ok, b)
		}
		if got := sh.stock(sh.pens); got != 1000-3*20 {
			t.Errorf("stock = %d, want %d", got, 1000-3*20)
		}
	})
}

// errText is an error's message with the explanations of its rules.
func errText(err error) string {
	var me *market.Error
	if !errors.As(err, &me) {
		return err.Error()
	}
	text := me.Message
	for _, r := range me.Rules {
		text += " " + r.Explanation
	}
	return text
}

// TestCheckoutReadsApprovedHistory checks the facts a checkout reads from the unit's approved
// orders, on both databases: the unit's spend per seller (the concentration nudge, naming another
// eligible seller of the category) and the approved prices as the price reference.
func TestCheckoutReadsApprovedHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		pol := market.DefaultPolicy()
		pol.PriceMinOrders = 1
		noErr(t, s.SetPolicy(bg, sh.admin, pol, "Satu pesanan cukup sebagai harga acuan."))
		// Four approved orders at 50.000, 40.000, 60.000 and 45.000 a rim: the reference is
		// their median, 47.500.
		for _, price := range []int{50_000, 40_000, 60_000, 45_000} {
			sh.exec(`UPDATE products SET price = $1 WHERE id = $2`, price, sh.paper)
			o := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2}))
			_, err := s.Approve(bg, sh.ppk, o.ID)
			noErr(t, err)
			c.Advance(time.Hour)
		}
		sh.addProduct(sh.seller2, "Kertas HVS A4 75 gram", "01.01.01", "rim", 48_000, 100)
		// 72.000 is more than 50% above 47.500.
		sh.exec(`UPDATE products SET price = 72000 WHERE id = $1`, sh.paper)
		pv, err := s.PreviewCheckout(bg, sh.buyer, sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2}))
		noErr(t, err)
		if len(pv) != 1 {
			t.Fatalf("preview = %+v", pv)
		}
		var got []string
		for _, r := range pv[0].Results {
			got = append(got, r.Code+"/"+string(r.Severity)+" "+r.Key+" "+strings.Join(r.Args, "|"))
		}
		want := []string{
			"price_reference/warning price.orders Kertas HVS A4 70 gram|Rp72.000|rim|50|Rp47.500|4|180|Kertas HVS dan kertas fotokopi",
			"concentration/info concentration.suggest UD Sumber Kertas|100|Rp390.000|Rp390.000|CV Dapur Melayu",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("results (-want +got):\n%s", diff)
		}
		// A fifth at 70.000: an odd count's median is its middle price, 50.000.
		sh.exec(`UPDATE products SET price = 70000 WHERE id = $1`, sh.paper)
		o := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2}))
		_, err = s.Approve(bg, sh.ppk, o.ID)
		noErr(t, err)
		c.Advance(time.Hour)
		sh.exec(`UPDATE products SET price = 80000 WHERE id = $1`, sh.paper)
		pv, err = s.PreviewCheckout(bg, sh.buyer, sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2}))
		noErr(t, err)
		if len(pv) != 1 || len(pv[0].Results) == 0 || pv[0].Results[0].Key != "price.orders" || pv[0].Results[0].Args[4] != "Rp50.000" || pv[0].Results[0].Args[5] != "5" {
			t.Errorf("after a fifth approved order: %+v", pv)
		}
		// Approved exactly one lookback ago, the fifth no longer counts (as market.PriceStatsOf
		// says): four again, median 47.500.
		after, _ := market.PriceWindow(pol, c.Now())
		sh.exec(`UPDATE order_lines SET approved_at = $1 WHERE order_id = $2`, after.UnixMicro(), o.ID)
		pv, err = s.PreviewCheckout(bg, sh.buyer, sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2}))
		noErr(t, err)
		if len(pv) != 1 || len(pv[0].Results) == 0 || pv[0].Results[0].Key != "price.orders" || pv[0].Results[0].Args[4] != "Rp47.500" || pv[0].Results[0].Args[5] != "4" {
			t.Errorf("after the fifth left the window: %+v", pv)
		}
	})
}

// TestSellerNotificationsReachItsActivePeople checks who hears of an approved order: the
// seller's active owners and staff, in their inboxes and by e-mail where they have an address;
// not a staff member whose membership ended, not a deactivated one, not another seller's owner.
func TestSellerNotificationsReachItsActivePeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		staff := sh.user("Staf Sumber Kertas", store.Grant{Role: market.RoleSellerStaff, ScopeID: sh.seller1})
		noMail := sh.user("Staf tanpa e-mail", store.Grant{Role: market.RoleSellerStaff, ScopeID: sh.seller1})
		ended := sh.user("Mantan staf", store.Grant{Role: market.RoleSellerStaff, ScopeID: sh.seller1})
		inactive := sh.user("Staf nonaktif", store.Grant{Role: market.RoleSellerStaff, ScopeID: sh.seller1})
		sh.exec(`UPDATE users SET email = '' WHERE id = $1`, noMail.UserID)
		sh.exec(`UPDATE memberships SET ended_at = 1 WHERE user_id = $1`, ended.UserID)
		sh.exec(`UPDATE users SET active = $1 WHERE id = $2`, false, inactive.UserID)
		o := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2}))
		_, err := s.Approve(bg, sh.ppk, o.ID)
		noErr(t, err)
		const subject = "Pesanan baru disetujui PPK"
		for _, who := range []struct {
			p    *market.Principal
			want int
		}{{sh.owner1, 1}, {staff, 1}, {noMail, 1}, {ended, 0}, {inactive, 0}, {sh.owner2, 0}} {
			msgs, err := s.Inbox(bg, who.p.UserID)
			noErr(t, err)
			n := 0
			for _, m := range msgs {
				if m.Subject == subject && strings.HasSuffix(m.Link, fmt.Sprint(o.ID)) {
					n++
				}
			}
			if n != who.want {
				t.Errorf("%s has %d approval messages, want %d", who.p.Name, n, who.want)
			}
		}
		mails, err := s.DueEmails(bg, 100)
		noErr(t, err)
		var to []string
		for _, m := range mails {
			if m.Subject == subject {
				to = append(to, m.To)
			}
		}
		var want []string
		for _, p := range []*market.Principal{sh.owner1, staff} {
			u, err := s.GetUser(bg, p.UserID)
			noErr(t, err)
			want = append(want, u.Email)
		}
		if diff := cmp.Diff(want, to); diff != "" {
			t.Errorf("approval e-mails to (-want +got):\n%s", diff)
		}
	})
}

// An approval reads its facts ahead of its write. When another order of the unit is placed
// meanwhile, the approval reads them again in the write and sees it (here the split purchase it
// makes); when nothing of the unit's orders changed, the facts read ahead stand, and the
// approval is as if it had committed before whatever else changed meanwhile (here a relation
// declared between the PPK and the seller, which blocks a later approval).
func TestApprovalReadAhead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		sh.exec(`UPDATE products SET stock = 2000 WHERE id = $1`, sh.paper)
		first := sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 600})) // Rp30 juta
		ahead := s.PlanApproval(bg, first.ID)
		if ahead == nil {
			t.Fatal("no facts read ahead for an order awaiting approval")
		}
		c.Advance(time.Hour)
		in := sh.input(store.CartItem{ProductID: sh.paper, Quantity: 500}) // Rp25 juta: together past the cap
		in.Justifications = map[int64]map[string]string{sh.seller1: {"split_purchase": "Kebutuhan ujian akhir semester yang baru ditetapkan."}}
		sh.checkout(in)
		_, err := s.ApproveAhead(bg, sh.ppk, first.ID, ahead)
		wantCode(t, err, market.CodeRuleBlocked)
		if !slices.Contains(ruleCodes(err), "split_purchase/warning") {
			t.Fatalf("rules = %v, want the split purchase placed after the facts were read ahead", ruleCodes(err))
		}

		snacks := sh.input(store.CartItem{ProductID: sh.snack, Quantity: 40})
		snacks.PPKID = sh.ppk.UserID
		o := sh.checkout(snacks)
		later := sh.checkout(snacks)
		ahead = s.PlanApproval(bg, o.ID)
		_, err = s.DeclareSellerRelation(bg, sh.admin, sh.ppk.UserID, sh.seller2, "adik kandung pemilik")
		noErr(t, err)
		if _, err := s.ApproveAhead(bg, sh.ppk, o.ID, ahead); err != nil {
			t.Fatalf("approval with its facts read before the relation: %v", err)
		}
		_, err = s.Approve(bg, sh.ppk, later.ID)
		wantCode(t, err, market.CodeRuleBlocked)
		if !slices.Contains(ruleCodes(err), "conflict_of_interest/block") {
			t.Errorf("rules = %v, want the PPK's conflict of interest", ruleCodes(err))
		}
	})
}

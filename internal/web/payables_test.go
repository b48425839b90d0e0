package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// A UMK sees on /pembayaran what it is still owed: its own unpaid invoices with their deadlines,
// the sum, the part past the deadline once it passes, and every unit's public lateness counts;
// another seller's people do not see the invoice, and buyers may not open the page.
func TestSellersSeeWhatTheyAreOwed(t *testing.T) {
	f := newPayFixture(t)
	owner := f.principal(f.ids[market.RoleSellerOwner])
	o, err := f.s.IssueInvoice(ctx, owner, f.order.ID, store.InvoiceInput{})
	if err != nil {
		t.Fatal(err)
	}
	hash := store.HashPassword(password)
	other, err := f.s.CreateUserWithHash(ctx, store.System, store.NewUser{Name: "Pemilik UD Dua", Email: "dua@bela.test"}, hash,
		store.Grant{Role: market.RoleSellerOwner, ScopeID: f.seller2.ID})
	if err != nil {
		t.Fatal(err)
	}
	if f.sessions["other-seller"], err = f.s.CreateSession(ctx, other); err != nil {
		t.Fatal(err)
	}
	invoice := fmt.Sprintf(`href="/pesanan/%d/tagihan"`, o.ID)
	const net = "Rp2.955.000" // the Rp3.000.000 order less the PPh 22 the treasurer withholds

	for _, role := range []market.Role{market.RoleSellerOwner, market.RoleSellerStaff} {
		res, body := f.do(role, "GET", "/pembayaran", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", role, res.StatusCode)
		}
		wantBody(t, string(role)+"'s page", body, "Tagihan yang menunggu pembayaran", invoice, "UD Satu",
			`data-testid="owed">Belum dibayar dari tagihan lengkap: `+net, `data-testid="lateness"`, "Dinas Pendidikan")
		if strings.Contains(body, `data-testid="overdue-sum"`) {
			t.Errorf("%s sees an overdue sum before the deadline", role)
		}
	}
	_, body := f.do(market.RoleTreasurer, "GET", "/pembayaran", nil)
	wantBody(t, "the treasurer's page", body, "Tagihan yang harus dibayar", invoice)
	_, body = f.do("other-seller", "GET", "/pembayaran", nil)
	if strings.Contains(body, invoice) || strings.Contains(body, `data-testid="owed"`) {
		t.Error("another seller's owner sees the invoice")
	}
	if res, _ := f.do(market.RoleBuyer, "GET", "/pembayaran", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a buyer: %d", res.StatusCode)
	}

	// Past the deadline the overdue part is shown, in English too.
	f.clock.Advance(30 * 24 * time.Hour)
	f.renew(market.RoleSellerOwner)
	_, body = f.do(market.RoleSellerOwner, "GET", "/pembayaran", nil, "Cookie", "bela_lang=en")
	wantBody(t, "past the deadline", body, "Invoices awaiting payment", `data-testid="overdue-sum">Past the deadline: `+net, `data-testid="overdue"`)
}

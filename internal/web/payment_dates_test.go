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

// advance moves the clock and signs everyone in again (sessions expire over days).
func (f *payFixture) advance(d time.Duration) {
	f.t.Helper()
	f.clock.Advance(d)
	for r, id := range f.ids {
		tok, err := f.s.CreateSession(ctx, id)
		if err != nil {
			f.t.Fatal(err)
		}
		f.sessions[r] = tok
	}
}

// TestPaymentDatedBeforeTheDeadlineIsOnTime: the treasurer records, after the deadline, a payment
// dated (the SP2D date) before it. The payment page shows that date and no lateness, and the
// treasurers' list counts it on time. Then the PPK's rating reads with a decimal comma on the
// Indonesian seller page and a decimal point on the English one.
func TestPaymentDatedBeforeTheDeadlineIsOnTime(t *testing.T) {
	f := newPayFixture(t)
	base := fmt.Sprintf("/pesanan/%d", f.order.ID)
	if res, _ := f.do(market.RoleSellerOwner, "POST", base+"/tagihan", form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue invoice: %d", res.StatusCode)
	}
	v, err := f.s.GetInvoice(ctx, f.principal(f.ids[market.RoleTreasurer]), f.order.ID)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	paidOn := v.DueAt.In(loc).AddDate(0, 0, -3)
	f.advance(v.DueAt.Add(2 * 24 * time.Hour).Sub(f.clock.Now()))

	res, _ := f.do(market.RoleTreasurer, "POST", base+"/pembayaran", form("method", "ls", "paid_on", paidOn.Format("2006-01-02"),
		"reference", "SP2D-077", "amount", "2955000", "amount_pph22", "45000", "billing_pph22", "123456789012345", "ntpn_pph22", "abcd1234efgh5678"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("payment: %d", res.StatusCode)
	}
	_, body := f.do(market.RoleAuditor, "GET", base+"/tagihan", nil)
	if !strings.Contains(body, `data-state="completed"`) {
		t.Fatalf("payment page after payment:\n%s", body)
	}
	if want := `data-testid="paid-at">` + paidOn.Format("02-01-2006") + `</dd>`; !strings.Contains(body, want) {
		t.Errorf("payment page lacks %s", want)
	}
	if strings.Contains(body, "terlambat") {
		t.Errorf("a payment dated before the deadline is shown late:\n%s", body)
	}
	_, body = f.do(market.RoleTreasurer, "GET", "/pembayaran", nil)
	if !strings.Contains(body, "<td>Dinas Pendidikan</td><td>1</td><td>1</td><td>0</td><td>0</td>") {
		t.Errorf("treasurers' list does not count the payment on time:\n%s", body)
	}

	// The rating: (5 + 5 + 4 + 4) / 4 = 4,5.
	if _, err := f.s.RateSeller(ctx, f.principal(f.ids[market.RoleApprover]), f.order.ID,
		store.RatingInput{OnTime: 5, Quantity: 5, Quality: 4, Communication: 4}); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/penjual/%d", f.seller1.ID)
	_, body = f.do("", "GET", page, nil)
	for _, want := range []string{`data-testid="score-overall">4,5/5`, "<dd>5,0</dd>", "<dd>4,0</dd>"} {
		if !strings.Contains(body, want) {
			t.Errorf("Indonesian seller page lacks %s", want)
		}
	}
	_, body = f.do("", "GET", page, nil, "Cookie", "bela_lang=en")
	for _, want := range []string{`data-testid="score-overall">4.5/5`, "<dd>5.0</dd>", "<dd>4.0</dd>"} {
		if !strings.Contains(body, want) {
			t.Errorf("English seller page lacks %s", want)
		}
	}
}

// TestPaymentPageOnTheDeadlineDay: past the deadline's hour but on its day, an unpaid invoice is
// not late (a payment dated today is on time), and the page says so instead of "late".
func TestPaymentPageOnTheDeadlineDay(t *testing.T) {
	f := newPayFixture(t)
	base := fmt.Sprintf("/pesanan/%d", f.order.ID)
	if res, _ := f.do(market.RoleSellerOwner, "POST", base+"/tagihan", form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue invoice: %d", res.StatusCode)
	}
	v, err := f.s.GetInvoice(ctx, f.principal(f.ids[market.RoleTreasurer]), f.order.ID)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	due := v.DueAt.In(loc)
	endOfDay := time.Date(due.Year(), due.Month(), due.Day()+1, 0, 0, 0, 0, loc)
	f.advance(endOfDay.Add(-time.Minute).Sub(f.clock.Now()))
	_, body := f.do(market.RoleTreasurer, "GET", base+"/tagihan", nil)
	if !strings.Contains(body, "jatuh tempo hari ini") || strings.Contains(body, "terlambat") {
		t.Errorf("on the deadline's day:\n%s", body)
	}
	_, body = f.do(market.RoleTreasurer, "GET", "/pembayaran", nil)
	if strings.Contains(body, `data-testid="overdue"`) {
		t.Errorf("treasurers' list shows the invoice overdue on its deadline's day")
	}
	f.advance(2 * time.Minute)
	_, body = f.do(market.RoleTreasurer, "GET", base+"/tagihan", nil)
	if !strings.Contains(body, "terlambat") {
		t.Errorf("the day after the deadline the invoice is not late")
	}
	_, body = f.do(market.RoleTreasurer, "GET", "/pembayaran", nil)
	if !strings.Contains(body, `data-testid="overdue"`) {
		t.Errorf("treasurers' list does not show the invoice overdue the day after")
	}
}

package demo_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bela/internal/blob"
	"bela/internal/demo"
	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// checkPayments checks what every load's payments must satisfy, on either data set: completed
// orders are paid in full with exactly the taxes their breakdown gives the treasurer, by a
// treasurer of their unit, with well-formed kode billing and NTPN; the late flag follows the
// deadline; budgets spent what was paid; ratings follow completion, replies follow ratings, and
// everything lies in the past. It returns the number of completed orders.
func checkPayments(t *testing.T, s *store.Store, now time.Time) int {
	t.Helper()
	completed := count(t, s, `SELECT COUNT(*) FROM orders WHERE state = 'completed'`)
	if completed == 0 {
		t.Fatal("no completed order")
	}
	if n := count(t, s, `SELECT COUNT(*) FROM orders o JOIN invoices i ON i.order_id = o.id
		WHERE o.state = 'completed' AND i.paid_at <> 0 AND i.paid_amount = i.net AND i.complete_at <> 0`); n != completed {
		t.Errorf("%d of %d completed orders have a complete invoice paid in full", n, completed)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM orders o WHERE o.state = 'completed'
		AND (SELECT COALESCE(SUM(amount), 0) FROM payments p WHERE p.order_id = o.id) <>
			(SELECT net FROM invoices i WHERE i.order_id = o.id)`); n != 0 {
		t.Errorf("%d completed orders whose payments do not add up to the invoice's net", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE NOT EXISTS (
		SELECT 1 FROM memberships m WHERE m.user_id = p.recorded_by AND m.role = 'treasurer' AND m.scope_kind = 'unit' AND m.scope_id = o.unit_id)`); n != 0 {
		t.Errorf("%d payments recorded by someone who is not a treasurer of the order's unit", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM payments p JOIN invoices i ON i.id = p.invoice_id
		WHERE CASE WHEN i.due_at <> 0 AND p.paid_on > i.due_at THEN 1 ELSE 0 END <> CASE WHEN p.late THEN 1 ELSE 0 END`); n != 0 {
		t.Errorf("%d payments whose late flag disagrees with the deadline", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM payments WHERE flagged AND reason = ''`); n != 0 {
		t.Errorf("%d flagged payments without a reason", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM budget_lines b WHERE b.spent <>
		COALESCE((SELECT SUM(p.amount) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.budget_line_id = b.id), 0) +
		COALESCE((SELECT SUM(x.amount) FROM payment_taxes x JOIN payments p ON p.id = x.payment_id JOIN orders o ON o.id = p.order_id
			WHERE o.budget_line_id = b.id), 0)`); n != 0 {
		t.Errorf("%d budget lines whose spending differs from the payments and taxes of their orders", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM orders WHERE state = 'completed' AND budget_reserved + budget_committed <> 0`); n != 0 {
		t.Errorf("%d completed orders still hold budget", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM ratings r JOIN orders o ON o.id = r.order_id JOIN invoices i ON i.order_id = o.id
		WHERE o.state <> 'completed' OR r.rated_at < i.paid_at OR (r.replied_at <> 0 AND r.replied_at < r.rated_at)`); n != 0 {
		t.Errorf("%d ratings before completion or replies before their rating", n)
	}
	micros := now.UnixMicro()
	if n := count(t, s, `SELECT COUNT(*) FROM payments WHERE recorded_at > $1 OR paid_on > $1`, micros) +
		count(t, s, `SELECT COUNT(*) FROM invoices WHERE issued_at > $1`, micros) +
		count(t, s, `SELECT COUNT(*) FROM ratings WHERE rated_at > $1 OR replied_at > $1`, micros); n != 0 {
		t.Errorf("%d invoices, payments or ratings dated in the future", n)
	}
	billing, ntpn := regexp.MustCompile(`^[0-9]{15}$`), regexp.MustCompile(`^[0-9A-Z]{16}$`)
	for _, r := range rows(t, s, `SELECT billing_code, ntpn FROM payment_taxes`) {
		b, n, _ := strings.Cut(r, " | ")
		if !billing.MatchString(b) || !ntpn.MatchString(n) {
			t.Errorf("tax deposit with kode billing %q and NTPN %q", b, n)
		}
	}

	// The taxes recorded are exactly the deposits of each order's breakdown, as the auditor
	// reads it (on the payment date).
	aud, err := s.FindUserByEmail(ctx, auditorEmail(t, s))
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Principal(ctx, aud.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows(t, s, `SELECT id FROM orders WHERE state = 'completed' ORDER BY id`) {
		id, err := strconv.ParseInt(r, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		tax, err := s.OrderTaxes(ctx, p, id, false)
		if err != nil {
			t.Fatalf("taxes of order %d: %v", id, err)
		}
		pays, err := s.OrderPayments(ctx, p, id)
		if err != nil {
			t.Fatal(err)
		}
		var got []market.TaxDeposit
		for _, pm := range pays {
			for _, tp := range pm.Taxes {
				got = append(got, market.TaxDeposit{Kind: tp.Kind, Amount: tp.Amount})
			}
		}
		want := slices.Clone(tax.Taxes.Deposits)
		sortDeposits(got)
		sortDeposits(want)
		if !slices.Equal(got, want) {
			t.Errorf("order %d: taxes recorded %v, the breakdown deposits %v", id, got, want)
		}
	}
	return completed
}

func sortDeposits(d []market.TaxDeposit) {
	slices.SortFunc(d, func(a, b market.TaxDeposit) int { return strings.Compare(string(a.Kind), string(b.Kind)) })
}

// auditorEmail returns an auditor's e-mail address.
func auditorEmail(t *testing.T, s *store.Store) string {
	t.Helper()
	r := rows(t, s, `SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.role = 'auditor' ORDER BY u.id LIMIT 1`)
	if len(r) == 0 {
		t.Fatal("no auditor")
	}
	return r[0]
}

// TestPaymentsSmall checks the small set's payments, with a blob store as `bela demo` has.
func TestPaymentsSmall(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		blobs, err := blob.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		load(t, s, demo.Options{Small: true, Blobs: blobs})
		n := checkPayments(t, s, c.Now())
		if m := count(t, s, `SELECT COUNT(DISTINCT method) FROM payments`); m < 2 {
			t.Errorf("%d completed orders paid with only %d methods", n, m)
		}
		if r := count(t, s, `SELECT COUNT(*) FROM ratings`); r == 0 || r > n {
			t.Errorf("%d ratings for %d completed orders", r, n)
		}
	})
}

// TestPaymentsDefault checks the default set: every method, late payments, a short transfer
// topped up, ratings with replies, and orders still waiting for their invoice or payment.
func TestPaymentsDefault(t *testing.T) {
	skipLarge(t)
	c := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, c)
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	load(t, s, demo.Options{Blobs: blobs})
	t.Logf("default set with payments loaded in %v", time.Since(start))
	n := checkPayments(t, s, c.Now())
	for _, m := range store.PaymentMethods {
		if count(t, s, `SELECT COUNT(*) FROM payments WHERE method = $1`, string(m)) == 0 {
			t.Errorf("no payment by %s", m)
		}
	}
	// PKP sellers charged PPN, issued their invoices with an e-Faktur and were paid.
	if n := count(t, s, `SELECT COUNT(*) FROM orders o JOIN invoices i ON i.order_id = o.id
		WHERE o.state = 'completed' AND o.charges_ppn AND o.ppn > 0 AND i.faktur_number <> '' AND i.faktur_blob <> ''`); n == 0 {
		t.Error("no completed order of a PKP seller with its e-Faktur")
	}
	late := count(t, s, `SELECT COUNT(*) FROM invoices WHERE paid_at > due_at`)
	if late == 0 || late > n/3 {
		t.Errorf("%d of %d invoices paid late, want some", late, n)
	}
	if count(t, s, `SELECT COUNT(*) FROM payments WHERE flagged`) == 0 {
		t.Error("no short transfer flagged")
	}
	if count(t, s, `SELECT COUNT(*) FROM ratings WHERE reply <> ''`) == 0 {
		t.Error("no seller replied to a rating")
	}
	for _, st := range []market.State{market.StateReceived, market.StateInvoiced, market.StateClosedShort} {
		if count(t, s, `SELECT COUNT(*) FROM orders WHERE state = $1`, string(st)) == 0 {
			t.Errorf("no order is still %s", st)
		}
	}
}

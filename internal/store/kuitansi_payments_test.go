package store_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
	belapaper "bela/internal/paper"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// pdfWords re-reads a rendered PDF with pdftotext and collapses its spaces.
func pdfWords(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("BELA_E2E") == "1" {
			t.Fatalf("pdftotext not found (install poppler-utils): %v", err)
		}
		t.Skip("SKIP: pdftotext not found; install poppler-utils to re-read the PDFs")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-raw", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func wibDay(t *testing.T, y int, m time.Month, d int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// TestKuitansiStatesWhatWasPaid: after a partial payment the kuitansi shows that payment (its
// date as entered, not the day it was recorded), the sum received and what is still due, and no
// "Lunas"; the top-up makes a new version that lists both payments and says "Lunas".
func TestKuitansiStatesWhatWasPaid(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		o := sh.received(sh.buyer, sh.paper, 60) // Rp3.000.000, PPh 22 45.000, net 2.955.000
		_, err := s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
		noErr(t, err)
		put := func(b []byte) (string, error) { return belapaper.SHA256(b), nil }
		kuitansi := func() (store.RenderedDocument, string) {
			t.Helper()
			n, err := store.ParseDocumentName("kuitansi.pdf")
			noErr(t, err)
			d, err := s.RenderDocument(bg, sh.owner1, o.ID, n, "http://bela.test", put)
			noErr(t, err)
			return d, pdfWords(t, d.PDF)
		}

		// Recorded on Sunday 29 November, dated (the SP2D) Saturday 28 November.
		c.Advance(2 * 24 * time.Hour)
		pm, err := s.RecordPayment(bg, sh.treasurer, o.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: wibDay(t, 2026, 11, 28),
			Reference: "SP2D-0101/LS/2026", Amount: 2_000_000, Taxes: []store.TaxPayment{taxPay(market.TaxPPh22, 45_000)},
			Reason: "Sisa menunggu SP2D berikutnya"})
		noErr(t, err)
		if !pm.Flagged || pm.OrderState != market.StatePaid {
			t.Fatalf("partial payment = %+v", pm)
		}
		k1, text := kuitansi()
		for _, want := range []string{"SP2D-0101/LS/2026", "Tanggal pembayaran : 28 November 2026", "Medan, 28 November 2026",
			"Status pembayaran: dibayar sebagian; sisa Rp955.000 belum dibayar", "DITERIMA PENYEDIA Rp2.000.000", "Sisa belum dibayar Rp955.000",
			"Neto untuk penyedia Rp2.955.000", "Mencatat pembayaran sebagian"} {
			if !strings.Contains(text, want) {
				t.Errorf("kuitansi after the partial payment lacks %q", want)
			}
		}
		for _, bad := range []string{"Lunas", "DITERIMA PENYEDIA Rp2.955.000", "Tanggal pembayaran : 29 November"} {
			if strings.Contains(text, bad) {
				t.Errorf("kuitansi after the partial payment says %q", bad)
			}
		}
		// What the payment settled: 2.000.000 to the seller and the 45.000 withheld.
		if k1.Amount != 2_045_000 || !k1.Date.Equal(wibDay(t, 2026, 11, 28)) {
			t.Errorf("kuitansi amount %s, date %v", k1.Amount, k1.Date)
		}
		if t.Failed() {
			t.Logf("kuitansi:\n%s", text)
		}

		// The top-up, recorded on 3 December and dated 2 December.
		c.Advance(4 * 24 * time.Hour)
		pm, err = s.RecordPayment(bg, sh.treasurer, o.ID, store.PaymentInput{Method: store.MethodLS, PaidOn: wibDay(t, 2026, 12, 2),
			Reference: "SP2D-0117/LS/2026", Amount: 955_000})
		noErr(t, err)
		if pm.OrderState != market.StateCompleted {
			t.Fatalf("top-up = %+v", pm)
		}
		k2, text := kuitansi()
		if k2.Code != k1.Code || k2.Version != k1.Version+1 || k2.SHA256 == k1.SHA256 {
			t.Errorf("kuitansi after the top-up: v%d %s, before v%d %s", k2.Version, k2.SHA256, k1.Version, k1.SHA256)
		}
		for _, want := range []string{"SP2D-0101/LS/2026", "SP2D-0117/LS/2026", "Rp2.000.000", "Rp955.000", "DITERIMA PENYEDIA Rp2.955.000",
			"Status pembayaran: Lunas", "Tanggal pembayaran : 28 November 2026; 2 Desember 2026", "Medan, 2 Desember 2026",
			"Mencatat pembayaran lunas", "tiga juta rupiah"} {
			if !strings.Contains(text, want) {
				t.Errorf("kuitansi after the top-up lacks %q", want)
			}
		}
		if strings.Contains(text, "Sisa belum dibayar") || strings.Contains(text, "Medan, 3 Desember") || strings.Contains(text, "2026; 3 Desember") {
			t.Errorf("kuitansi after the top-up shows an outstanding amount or the recording day as the payment's")
		}
		// The treasurer's signature is the logged action, at the time it was recorded.
		if !strings.Contains(text, "Mencatat pembayaran lunas 3 Desember 2026 09.00 WIB") {
			t.Errorf("the treasurer's signature lacks the recording time")
		}
		if t.Failed() {
			t.Logf("kuitansi:\n%s", text)
		}
		pub, err := s.VerifyDocument(bg, k1.Code)
		noErr(t, err)
		if pub.Current().SHA256 != k2.SHA256 || pub.Current().Amount != 3_000_000 || len(pub.Versions) != 2 || !pub.Paid {
			t.Errorf("verification = %+v", pub)
		}
	})
}

// TestLatenessGoesByThePaymentDate: the deadline is a day in the instance's zone. A payment
// dated before or on it is on time even when recorded later, one dated after it is late; an
// unpaid invoice is overdue only once its deadline's day is over. RecordPayment, the payments
// list, the invoice and the public count agree.
func TestLatenessGoesByThePaymentDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newPayShop(t, s, c)
		wib := wibDay(t, 2026, 1, 1).Location()
		var orders []store.Order
		for _, o := range []store.Order{sh.received(sh.buyer, sh.paper, 10), sh.received(sh.buyer, sh.pens, 10),
			sh.received(sh.buyer, sh.paper, 5), sh.received(sh.buyer, sh.pens, 5)} {
			_, err := s.IssueInvoice(bg, sh.owner1, o.ID, store.InvoiceInput{})
			noErr(t, err)
			orders = append(orders, o)
		}
		v, err := s.GetInvoice(bg, sh.treasurer, orders[0].ID)
		noErr(t, err)
		if got := v.DueAt.In(wib).Format("2006-01-02"); got != "2026-12-04" {
			t.Fatalf("due %s, want the deadline on 4 December", got)
		}
		lateness := func() store.UnitLateness {
			t.Helper()
			got, err := s.LatePayments(bg, sh.unit.ID)
			noErr(t, err)
			if len(got) != 1 {
				t.Fatalf("lateness = %+v", got)
			}
			return got[0]
		}
		// The deadline's day, after its hour: nothing is overdue yet.
		c.Advance(v.DueAt.Add(6 * time.Hour).Sub(s.Now()))
		if l := lateness(); l.OverdueOpen != 0 {
			t.Errorf("on the deadline's day: %+v", l)
		}
		if v.Late(s.Now().In(wib)) {
			t.Errorf("unpaid invoice late on its deadline's day")
		}

		// Three days later the treasurer records three payments dated 1, 4 and 5 December.
		c.Advance(v.DueAt.Add(3 * 24 * time.Hour).Sub(s.Now()))
		amounts := []market.Rupiah{500_000, 50_000, 250_000}
		days := []int{1, 4, 5}
		for i, day := range days {
			pm, err := s.RecordPayment(bg, sh.treasurer, orders[i].ID, store.PaymentInput{Method: store.MethodLS,
				PaidOn: wibDay(t, 2026, 12, day), Reference: "SP2D", Amount: amounts[i]})
			noErr(t, err)
			if want := day > 4; pm.Late != want {
				t.Errorf("payment dated %d December: late = %v, want %v", day, pm.Late, want)
			}
			pms, err := s.OrderPayments(bg, sh.auditor, orders[i].ID)
			noErr(t, err)
			if len(pms) != 1 || pms[0].Late != (day > 4) {
				t.Errorf("stored payment dated %d December = %+v", day, pms)
			}
			v, err := s.GetInvoice(bg, sh.auditor, orders[i].ID)
			noErr(t, err)
			if v.Late(s.Now().In(wib)) != (day > 4) || !v.PaidOn.Equal(wibDay(t, 2026, 12, day)) {
				t.Errorf("invoice paid on %d December: late %v, paid on %v", day, v.Late(s.Now().In(wib)), v.PaidOn)
			}
		}
		want := store.UnitLateness{UnitID: sh.unit.ID, UnitName: sh.unit.Name, Invoices: 4, PaidOnTime: 2, PaidLate: 1, OverdueOpen: 1}
		if diff := cmp.Diff(want, lateness()); diff != "" {
			t.Errorf("lateness (-want +got):\n%s", diff)
		}
		// Payments stored while lateness followed the recording time read by their date too.
		sh.exec(`UPDATE payments SET late = TRUE`)
		pms, err := s.OrderPayments(bg, sh.auditor, orders[0].ID)
		noErr(t, err)
		if len(pms) != 1 || pms[0].Late {
			t.Errorf("payment dated 1 December, stored late = %+v", pms)
		}
	})
}

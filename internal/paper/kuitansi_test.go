package paper

import (
	"errors"
	"strings"
	"testing"
)

// partialKuitansi is testKuitansi(9.975.000) after a first payment of Rp8.000.000 of the net of
// Rp9.973.125, dated 2 December; the taxes (PPN 1.113.750, PPh 22 151.875) are deposited with it.
func partialKuitansi(t *testing.T) Kuitansi {
	k := testKuitansi(t, 9_975_000)
	k.Date = at(t, 2026, 12, 2, 0, 0)
	k.Payments = []KuitansiPayment{{Date: at(t, 2026, 12, 2, 0, 0), Method: "LS (transfer dengan SP2D)", Reference: "SP2D-00917/LS/2026",
		Amount: 8_000_000}}
	k.PaidInFull = false
	k.Signatures = []Signature{{Heading: "Bendahara Pengeluaran,", Name: testTreas.Name, NIP: testTreas.NIP, Role: testTreas.Role,
		Action: "Mencatat pembayaran sebagian", At: at(t, 2026, 12, 4, 9, 15)}}
	return k
}

// TestKuitansiPartialPayment: a kuitansi after a partial payment states what was received — the
// payment, its date, method and reference, and the sum — and what is still outstanding; it does
// not say "Lunas", nor that the seller received the whole net.
func TestKuitansiPartialPayment(t *testing.T) {
	k := partialKuitansi(t)
	pdf, err := k.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text := squash(pdfText(t, pdf))
	mustContain(t, text, "DITERIMA PENYEDIA Rp8.000.000", "Sisa belum dibayar Rp1.973.125", "Neto untuk penyedia Rp9.973.125",
		"Status pembayaran: dibayar sebagian; sisa Rp1.973.125 belum dibayar", "SP2D-00917/LS/2026", "2 Desember 2026",
		// 8.000.000 paid plus 1.265.625 of taxes deposited on the seller's behalf.
		"Rp9.265.625", "sembilan juta dua ratus enam puluh lima ribu enam ratus dua puluh lima rupiah")
	for _, bad := range []string{"Lunas", "LUNAS", "DITERIMA PENYEDIA Rp9.973.125", "sebelas juta"} {
		if strings.Contains(text, bad) {
			t.Errorf("a partially paid kuitansi says %q", bad)
		}
	}
	if k.Amount() != 9_265_625 {
		t.Errorf("amount = %s, want Rp9.265.625", k.Amount())
	}

	// The top-up, dated 5 December: both payments, their sum, and "Lunas".
	k.Payments = append(k.Payments, KuitansiPayment{Date: at(t, 2026, 12, 5, 0, 0), Method: "LS (transfer dengan SP2D)",
		Reference: "SP2D-00931/LS/2026", Amount: 1_973_125})
	k.PaidInFull = true
	k.Date = at(t, 2026, 12, 5, 0, 0)
	pdf2, err := k.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text = squash(pdfText(t, pdf2))
	mustContain(t, text, "SP2D-00917/LS/2026", "SP2D-00931/LS/2026", "Rp8.000.000", "Rp1.973.125", "DITERIMA PENYEDIA Rp9.973.125",
		"Status pembayaran: Lunas", "2 Desember 2026; 5 Desember 2026", "Medan, 5 Desember 2026", "Rp11.238.750")
	if strings.Contains(text, "Sisa belum dibayar") {
		t.Error("a kuitansi paid in full shows an outstanding amount")
	}
	if string(pdf) == string(pdf2) {
		t.Error("the top-up does not change the kuitansi")
	}
}

// TestKuitansiUnpaid: the kuitansi prepared with the invoice says it is not paid yet and shows
// no amount received.
func TestKuitansiUnpaid(t *testing.T) {
	k := testKuitansi(t, 9_975_000)
	k.Payments, k.PaidInFull = nil, false
	k.Signatures = nil
	pdf, err := k.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text := squash(pdfText(t, pdf))
	mustContain(t, text, "Status pembayaran: belum dibayar", "BELUM DIBAYAR Rp9.973.125", "Neto untuk penyedia Rp9.973.125", "Rp11.238.750")
	for _, bad := range []string{"Lunas", "DITERIMA PENYEDIA", "Tanggal pembayaran"} {
		if strings.Contains(text, bad) {
			t.Errorf("an unpaid kuitansi says %q", bad)
		}
	}
}

// TestKuitansiPaymentDate: "Tanggal pembayaran" is the payment's date as entered, not when the
// payment was recorded (the signature's logged time).
func TestKuitansiPaymentDate(t *testing.T) {
	k := partialKuitansi(t)
	pdf, err := k.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text := squash(pdfText(t, pdf))
	mustContain(t, text, "Tanggal pembayaran : 2 Desember 2026", "Medan, 2 Desember 2026")
}

func TestKuitansiRejectsLunasWithoutTheNet(t *testing.T) {
	k := partialKuitansi(t)
	k.PaidInFull = true
	if _, err := k.PDF(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("paid in full with part of the net: error = %v, want ErrInvalid", err)
	}
	k = partialKuitansi(t)
	k.Payments[0].Amount = 0
	if _, err := k.PDF(); !errors.Is(err, ErrInvalid) {
		t.Fatalf("payment without an amount: error = %v, want ErrInvalid", err)
	}
}

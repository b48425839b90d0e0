package paper

import (
	"errors"
	"strings"
	"testing"
)

func TestOrderLetterText(t *testing.T) {
	l := testOrderLetter(t, 4)
	pdf, err := l.PDF()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("not a PDF: %q", pdf[:20])
	}
	text := pdfText(t, pdf)
	a := l.Amounts
	mustContain(t, text,
		"PEMERINTAH KOTA MEDAN", "DINAS KOMUNIKASI DAN INFORMATIKA", "SURAT PESANAN",
		"Nomor: SP/DISKOMINFO/2026/00042", "27 November 2026", "Kode RUP", "52719834",
		"CV Sinar Deli Abadi", testPPK.Name, "NIP "+testPPK.NIP,
		"Kertas HVS A4 80 gram – 1 rim (500 lembar)…", "“Epson”", "Map plastik L Bening - isi 12",
		"Rp52.500", "Rp1.050.000", a.Goods.String(), a.Shipping.String(), a.PPN.String(), a.Total.String(),
		"Medan, 27 November 2026", "27 November 2026 23.30 WIB", "Belum ditandatangani",
		"bukan tanda tangan elektronik tersertifikasi (TTE)",
		l.VerifyURL,
	)
	if n := pageCount(t, text); n > 2 {
		t.Errorf("a 4-line Surat Pesanan takes %d pages", n)
	}
	if strings.Contains(text, testSeller.NPWP) {
		t.Errorf("the Surat Pesanan prints the seller's NPWP")
	}
}

func TestOrderLetterRejectsBadInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(*OrderLetter)
	}{
		{"no number", func(l *OrderLetter) { l.Number = "" }},
		{"no time zone", func(l *OrderLetter) { l.Instance.Location = nil }},
		{"relative verify URL", func(l *OrderLetter) { l.VerifyURL = "/verifikasi/x" }},
		{"no lines", func(l *OrderLetter) { l.Lines = nil }},
		{"line amount wrong", func(l *OrderLetter) { l.Lines[0].Amount++ }},
		{"total wrong", func(l *OrderLetter) { l.Amounts.Total++ }},
		{"goods not sum of lines", func(l *OrderLetter) { l.Amounts.Goods++; l.Amounts.Taxable++; l.Amounts.Total++ }},
		{"unnamed signature", func(l *OrderLetter) { l.Signatures[0].Name = "" }},
		{"no Kode RUP", func(l *OrderLetter) { l.KodeRUP = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testOrderLetter(t, 3)
			tt.change(&l)
			_, err := l.PDF()
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("PDF() error = %v, want ErrInvalid", err)
			}
		})
	}
}

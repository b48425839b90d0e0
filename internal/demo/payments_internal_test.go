package demo

import (
	"bytes"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/upload"
)

// TestFakturPDF checks the stand-in e-Faktur a PKP demo seller uploads: an upload Bela accepts
// as a PDF, the same bytes for the same data.
func TestFakturPDF(t *testing.T) {
	tax, err := market.TaxBreakdown(market.TaxInput{Goods: 10_000_000, Kind: market.CategoryGoods, PKP: true, HasNPWP: true,
		PaymentDate: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	a, err := fakturPDF("020.001-26.00001234", "CV Contoh Jaya", "Dinas Pendidikan", tax, day)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := upload.Check("faktur", a, upload.PDF); err != nil {
		t.Errorf("the demo faktur is not an acceptable PDF: %v", err)
	}
	b, err := fakturPDF("020.001-26.00001234", "CV Contoh Jaya", "Dinas Pendidikan", tax, day)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the demo faktur differs between two renderings of the same data")
	}
}

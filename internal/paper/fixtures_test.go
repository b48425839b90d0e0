package paper

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"bela/internal/market"
)

func wib(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at is a moment in WIB.
func at(t *testing.T, y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, wib(t))
}

func testHeader(t *testing.T, number, id string) Header {
	return Header{
		Instance: Instance{Name: "Pemerintah Kota Medan", Region: "Provinsi Sumatera Utara", City: "Medan", Location: wib(t)},
		Unit: Unit{Name: "Dinas Komunikasi dan Informatika", Code: "DISKOMINFO",
			Address: "Jl. Kapten Maulana Lubis No. 2, Medan 20112", Contact: "diskominfo.pemkomedan.go.id"},
		Number: number,
		// 23:30 WIB on 27 November is 16:30 UTC: the printed date must be the WIB one.
		Date:      at(t, 2026, 11, 27, 23, 30),
		VerifyURL: "https://bela.pemkomedan.go.id/verifikasi/" + id,
	}
}

var (
	testPPK      = Official{Name: "Drs. Hendra Siregar, M.Si.", NIP: "197805122005011003", Role: "Pejabat Pembuat Komitmen"}
	testPP       = Official{Name: "Rina Lubis, S.E.", NIP: "198903042014022001", Role: "Pejabat Pengadaan"}
	testReceiver = Official{Name: "Ahmad Nasution", NIP: "199001012019031004", Role: "Pengurus Barang"}
	testTreas    = Official{Name: "Siti Harahap, S.Ak.", NIP: "198507172010012002", Role: "Bendahara Pengeluaran"}
	testSeller   = Seller{
		Name: "CV Sinar Deli Abadi", Representative: "Budi Santoso (pemilik)",
		Address: "Jl. Gatot Subroto No. 145, Kec. Medan Petisah, Medan", NPWP: "01.234.567.8-121.000",
		PKP: true, Class: "Usaha Kecil",
		Bank: BankAccount{Bank: "Bank Sumut", Number: "1234567890", Holder: "CV Sinar Deli Abadi"},
	}
)

// testLines returns n lines; the first names carry typography that Windows-1252 must survive.
func testLines(n int) []Line {
	names := []string{
		"Kertas HVS A4 80 gram – 1 rim (500 lembar)…",
		"Tinta printer \u201cEpson\u201d 003 hitam",
		"Map plastik L Bening − isi 12",
		"Ordner Bantex 1451 ukuran folio, punggung 7 cm, warna biru tua, untuk arsip surat masuk dan surat keluar tahun anggaran 2026",
	}
	units := []string{"rim", "botol", "pak", "buah"}
	prices := []market.Rupiah{52_500, 95_000, 18_000, 47_500}
	var out []Line
	for i := range n {
		q := int64(i%7 + 1)
		if i == 0 {
			q = 20
		}
		name := names[i%len(names)]
		if i >= len(names) {
			name = fmt.Sprintf("%s (baris %d)", name, i+1)
		}
		out = append(out, Line{Name: name, Unit: units[i%len(units)], Quantity: q,
			UnitPrice: prices[i%len(prices)], Amount: prices[i%len(prices)] * market.Rupiah(q)})
	}
	if n > 1 {
		out[1].Note = "Original, bukan isi ulang"
	}
	return out
}

func sumLines(ls []Line) market.Rupiah {
	var s market.Rupiah
	for _, l := range ls {
		s += l.Amount
	}
	return s
}

func testOrderLetter(t *testing.T, n int) OrderLetter {
	lines := testLines(n)
	amounts, err := market.OrderTotal(amountsOf(lines), 150_000, true, at(t, 2026, 11, 27, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	return OrderLetter{
		Header:          testHeader(t, "SP/DISKOMINFO/2026/00042", "sp-7f3a9c"),
		OrderCode:       "ORD-2026-000123",
		KodeRUP:         "52719834",
		BudgetLine:      "5.1.02.01.01.0024 Belanja Alat/Bahan untuk Kegiatan Kantor – Kertas dan Cover",
		Buyer:           testPP,
		PPK:             testPPK,
		Seller:          testSeller,
		DeliveryAddress: "Kantor Dinas Komunikasi dan Informatika, Jl. Kapten Maulana Lubis No. 2, Medan",
		DeliverBy:       at(t, 2026, 12, 4, 0, 0),
		Lines:           lines,
		Amounts:         amounts,
		PPNNote:         "12% × DPP nilai lain 11/12",
		Signatures: []Signature{
			{Name: testPPK.Name, NIP: testPPK.NIP, Role: testPPK.Role, Action: "Menyetujui Surat Pesanan", At: at(t, 2026, 11, 27, 23, 30)},
			{Heading: "Penyedia,", Name: "Budi Santoso", Role: "Pemilik CV Sinar Deli Abadi", Action: "Menerima pesanan"},
		},
	}
}

func amountsOf(ls []Line) []market.Rupiah {
	out := make([]market.Rupiah, len(ls))
	for i, l := range ls {
		out[i] = l.Amount
	}
	return out
}

// pdfText returns the text of a PDF (all pages, or pages first..last when given) by pdftotext.
// Without pdftotext the test is skipped with a message, unless BELA_E2E=1 makes it fail.
func pdfText(t *testing.T, pdf []byte, pages ...int) string {
	t.Helper()
	bin := requireTool(t, "pdftotext")
	path := writeTemp(t, pdf)
	args := []string{"-raw", "-enc", "UTF-8"}
	if len(pages) == 2 {
		args = append(args, "-f", fmt.Sprint(pages[0]), "-l", fmt.Sprint(pages[1]))
	}
	out, err := exec.Command(bin, append(args, path, "-")...).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// requireTool finds a poppler-utils program or skips (fails under BELA_E2E=1).
func requireTool(t *testing.T, name string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("BELA_E2E") == "1" {
			t.Fatalf("%s not found (install poppler-utils): %v", name, err)
		}
		t.Skipf("SKIP: %s not found; install poppler-utils (apt-get install -y poppler-utils) to re-read the PDFs", name)
	}
	return bin
}

func writeTemp(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("BELA_PAPER_OUT"); dir != "" {
		name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + ".pdf"
		if err := os.WriteFile(filepath.Join(dir, name), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// squash collapses runs of spaces so that checks do not depend on pdftotext's column layout.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// mustContain fails for each want missing from text (compared with spaces collapsed).
func mustContain(t *testing.T, text string, wants ...string) {
	t.Helper()
	flat := squash(text)
	for _, w := range wants {
		if !strings.Contains(flat, squash(w)) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("PDF text:\n%s", text)
	}
}

func testBAST(t *testing.T) BAST {
	lines := []DeliveryLine{
		{Name: "Kertas HVS A4 80 gram – 1 rim (500 lembar)…", Unit: "rim", Ordered: 20, ReceivedBefore: 0, Received: 12, UnitPrice: 52_500, Amount: 630_000, Condition: "Baik"},
		{Name: "Tinta printer \u201cEpson\u201d 003 hitam", Unit: "botol", Ordered: 2, ReceivedBefore: 1, Received: 1, UnitPrice: 95_000, Amount: 95_000, Condition: "Baik, segel utuh"},
		{Name: "Map plastik L Bening", Unit: "pak", Ordered: 3, ReceivedBefore: 3, Received: 0, UnitPrice: 18_000, Amount: 0, Condition: "–"},
	}
	return BAST{
		Header:      testHeader(t, "BAST/DISKOMINFO/2026/00042-2", "bast-91c2"),
		Sequence:    2,
		OrderNumber: "SP/DISKOMINFO/2026/00042",
		OrderDate:   at(t, 2026, 11, 20, 10, 0),
		KodeRUP:     "52719834",
		ReceivedAt:  at(t, 2026, 11, 27, 14, 5),
		Seller:      testSeller,
		Receiver:    testReceiver,
		PPK:         testPPK,
		Lines:       lines,
		Value:       725_000,
		Notes:       "Kertas 8 rim sisanya dikirim minggu depan.",
		Photos:      []string{strings.Repeat("3f9a", 16), strings.Repeat("c07e", 16)},
		Signatures: []Signature{
			{Heading: "Pihak Pertama,", Name: "Budi Santoso", Role: "Pemilik CV Sinar Deli Abadi", Action: "Menyerahkan barang", At: at(t, 2026, 11, 27, 14, 0)},
			{Heading: "Pihak Kedua,", Name: testReceiver.Name, NIP: testReceiver.NIP, Role: testReceiver.Role, Action: "Menerima dan memeriksa barang", At: at(t, 2026, 11, 27, 14, 5)},
			{Heading: "Mengetahui,", Name: testPPK.Name, NIP: testPPK.NIP, Role: testPPK.Role, Action: "Mengesahkan BAST", At: at(t, 2026, 11, 27, 16, 40)},
		},
	}
}

// testTaxes is the breakdown of a PKP seller's goods invoice of the given price, shipping 150.000.
func testTaxes(t *testing.T, price market.Rupiah, pkp bool) market.InvoiceTaxes {
	tx, err := market.TaxBreakdown(market.TaxInput{
		Goods: price, Shipping: 150_000, Kind: market.CategoryGoods, PKP: pkp, HasNPWP: true,
		PaymentDate: at(t, 2026, 11, 30, 10, 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// bigLines are goods worth Rp9.975.000, enough for PPN collection, PPh 22 and the meterai.
func bigLines() []Line {
	return []Line{
		{Name: "Laptop kantor 14 inci – Core i5, 16 GB", Unit: "unit", Quantity: 1, UnitPrice: 8_750_000, Amount: 8_750_000},
		{Name: "Tas laptop", Unit: "buah", Quantity: 1, UnitPrice: 175_000, Amount: 175_000},
		{Name: "Kertas HVS A4 80 gram – 1 rim (500 lembar)…", Unit: "rim", Quantity: 20, UnitPrice: 52_500, Amount: 1_050_000},
	}
}

func testInvoice(t *testing.T) Invoice {
	lines := bigLines()
	return Invoice{
		Header:       testHeader(t, "INV/CV-SINAR-DELI/2026/0007", "inv-5d0e"),
		OrderNumber:  "SP/DISKOMINFO/2026/00042",
		OrderDate:    at(t, 2026, 11, 20, 10, 0),
		BASTNumbers:  []string{"BAST/DISKOMINFO/2026/00042-1", "BAST/DISKOMINFO/2026/00042-2"},
		FakturNumber: "04002600123456789",
		DueDate:      at(t, 2026, 12, 4, 0, 0),
		Seller:       testSeller,
		Treasurer:    testTreas,
		Lines:        lines,
		Taxes:        testTaxes(t, sumLines(lines), true),
		Signatures: []Signature{
			{Heading: "Penyedia,", Name: "Budi Santoso", Role: "Pemilik CV Sinar Deli Abadi", Action: "Menerbitkan tagihan", At: at(t, 2026, 11, 27, 23, 30)},
		},
	}
}

// testKuitansi is a kuitansi paid in full with one LS payment of the net, dated 2 December.
func testKuitansi(t *testing.T, price market.Rupiah) Kuitansi {
	taxes := testTaxes(t, price, true)
	return Kuitansi{
		Header:        testHeader(t, "KW/CV-SINAR-DELI/2026/0007", "kw-44ab"),
		InvoiceNumber: "INV/CV-SINAR-DELI/2026/0007",
		OrderNumber:   "SP/DISKOMINFO/2026/00042",
		Payer:         testTreas,
		Seller:        testSeller,
		Payments: []KuitansiPayment{{Date: at(t, 2026, 12, 2, 0, 0), Method: "LS (transfer ke rekening penyedia)",
			Reference: "SP2D-00917/LS/2026", Amount: taxes.NetToSeller}},
		PaidInFull: true,
		Taxes:      taxes,
		Signatures: []Signature{
			{Heading: "Setuju dibayar,", Name: testPPK.Name, NIP: testPPK.NIP, Role: testPPK.Role, Action: "Menyetujui pembayaran", At: at(t, 2026, 12, 1, 9, 0)},
			{Heading: "Lunas dibayar,", Name: testTreas.Name, NIP: testTreas.NIP, Role: testTreas.Role, Action: "Mencatat pembayaran", At: at(t, 2026, 12, 2, 10, 0)},
		},
		Payee: Signature{Heading: "Yang menerima,", Name: "Budi Santoso", Role: "Pemilik CV Sinar Deli Abadi", Action: "Menerima pembayaran", At: at(t, 2026, 12, 2, 15, 12)},
	}
}

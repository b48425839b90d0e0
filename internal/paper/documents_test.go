package paper

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"bela/internal/market"
)

// pageCount reads "Halaman i dari n" from the footers and checks that every page has one.
func pageCount(t *testing.T, text string) int {
	t.Helper()
	m := regexp.MustCompile(`Halaman (\d+) dari (\d+)`).FindAllStringSubmatch(text, -1)
	if len(m) == 0 {
		t.Fatalf("no page footer in:\n%s", text)
	}
	n, _ := strconv.Atoi(m[0][2])
	if len(m) != n {
		t.Fatalf("%d page footers, want %d", len(m), n)
	}
	for i, f := range m {
		if f[1] != strconv.Itoa(i+1) || f[2] != m[0][2] {
			t.Fatalf("footer %d reads %q", i+1, f[0])
		}
	}
	return n
}

func TestBASTText(t *testing.T) {
	b := testBAST(t)
	if !b.Partial() {
		t.Fatal("Partial() = false for an order with 8 rim outstanding")
	}
	pdf, err := b.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	mustContain(t, text,
		"BERITA ACARA SERAH TERIMA", "Nomor: BAST/DISKOMINFO/2026/00042-2", "Serah terima ke-2 – penerimaan sebagian",
		"Pada hari ini Jumat, 27 November 2026", "Surat Pesanan Nomor SP/DISKOMINFO/2026/00042 tanggal 20 November 2026",
		"Kertas HVS A4 80 gram – 1 rim (500 lembar)…", "Baik, segel utuh", "Rp630.000", "Rp725.000",
		"SEBAGIAN – masih ada 8 satuan", "27 November 2026 14.05 WIB", "27 November 2026 16.40 WIB",
		testReceiver.Name, "NIP "+testReceiver.NIP, testPPK.Name, "Budi Santoso",
		"bukan tanda tangan elektronik tersertifikasi (TTE)", b.VerifyURL, "Lampiran foto", "2 foto di Bela, SHA-256: 3f9a3f9a3f9a",
	)
	if strings.Contains(text, testSeller.NPWP) {
		t.Error("the BAST prints the seller's NPWP")
	}

	// Receiving the rest makes it complete.
	b.Lines[0].Received, b.Lines[0].Amount, b.Value = 20, 1_050_000, 1_145_000
	if b.Partial() {
		t.Fatal("Partial() = true with everything received")
	}
	pdf, err = b.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text = pdfText(t, pdf)
	mustContain(t, text, "LENGKAP – seluruh barang/jasa", "Rp1.145.000")
	if strings.Contains(text, "penerimaan sebagian") {
		t.Error("complete BAST says partial")
	}
}

func TestBASTRejectsBadInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(*BAST)
	}{
		{"more than ordered", func(b *BAST) { b.Lines[1].Received = 2; b.Lines[1].Amount = 190_000; b.Value = 820_000 }},
		{"value wrong", func(b *BAST) { b.Value++ }},
		{"amount not received × price", func(b *BAST) { b.Lines[0].Amount = 1_050_000; b.Value = 1_145_000 }},
		{"nothing received", func(b *BAST) {
			for i := range b.Lines {
				b.Lines[i].Received, b.Lines[i].Amount = 0, 0
			}
			b.Value = 0
		}},
		{"no receiver", func(b *BAST) { b.Receiver.Name = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := testBAST(t)
			tt.change(&b)
			if _, err := b.PDF(); !errors.Is(err, ErrInvalid) {
				t.Fatalf("PDF() error = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestInvoiceText(t *testing.T) {
	v := testInvoice(t)
	tx := v.Taxes
	// Hand-computed: price 9.975.000 + shipping 150.000 = 10.125.000; PPN 11% = 1.113.750;
	// PPh 22 1,5% = 151.875; net = 11.238.750 − 1.113.750 − 151.875 = 9.973.125.
	want := map[string]market.Rupiah{"taxable": 10_125_000, "ppn": 1_113_750, "total": 11_238_750, "pph22": 151_875, "net": 9_973_125}
	got := map[string]market.Rupiah{"taxable": tx.Taxable, "ppn": tx.PPN, "total": tx.Total, "pph22": tx.Withheld, "net": tx.NetToSeller}
	for k, w := range want {
		if got[k] != w {
			t.Fatalf("fixture %s = %s, want %s", k, got[k], w)
		}
	}
	pdf, err := v.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	mustContain(t, text,
		"TAGIHAN (INVOICE)", "Nomor: INV/CV-SINAR-DELI/2026/0007", "Batas pembayaran : 4 Desember 2026",
		"BAST/DISKOMINFO/2026/00042-1, BAST/DISKOMINFO/2026/00042-2", "04002600123456789",
		"NPWP", testSeller.NPWP, "Bank Sumut 1234567890", testTreas.Name,
		"Rp8.750.000", "Rp9.975.000", "Rp150.000", "Rp10.125.000", "Rp1.113.750", "JUMLAH TAGIHAN Rp11.238.750",
		"DPP nilai lain", "Rp9.281.250", "PPN (dipungut Bendahara)", "PPh Pasal 22 1,5% (dipotong)", "Rp151.875",
		"DIBAYARKAN KE PENYEDIA Rp9.973.125", "Disetor oleh Bendahara", "Jumlah disetor : Rp1.265.625",
		"sebelas juta dua ratus tiga puluh delapan ribu tujuh ratus lima puluh rupiah",
		"e-meterai", v.VerifyURL,
	)
}

func TestInvoiceSmallNonPKP(t *testing.T) {
	v := testInvoice(t)
	v.Seller.PKP, v.Seller.NPWP = false, ""
	v.Lines = testLines(2) // Rp1.240.000: below the PPh 22 threshold with shipping
	v.Taxes = testTaxes(t, sumLines(v.Lines), false)
	pdf, err := v.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	mustContain(t, text, "Bukan PKP", "JUMLAH TAGIHAN Rp1.390.000", "DIBAYARKAN KE PENYEDIA Rp1.390.000",
		"Tidak ada pajak yang dipungut atau dipotong Bendahara")
	for _, bad := range []string{"NPWP", "Nomor faktur pajak", "e-meterai"} {
		if strings.Contains(text, bad) {
			t.Errorf("small non-PKP invoice mentions %q", bad)
		}
	}
}

func TestInvoiceRejectsBreakdownMismatch(t *testing.T) {
	for name, change := range map[string]func(*Invoice){
		"price differs from lines": func(v *Invoice) { v.Lines = v.Lines[:2] },
		"net wrong":                func(v *Invoice) { v.Taxes.NetToSeller++ },
		"no breakdown lines":       func(v *Invoice) { v.Taxes.Lines = nil },
		"no BAST":                  func(v *Invoice) { v.BASTNumbers = nil },
	} {
		t.Run(name, func(t *testing.T) {
			v := testInvoice(t)
			change(&v)
			if _, err := v.PDF(); !errors.Is(err, ErrInvalid) {
				t.Fatalf("PDF() error = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestKuitansiMeterai(t *testing.T) {
	tests := []struct {
		name    string
		price   market.Rupiah
		meterai bool
		wants   []string
	}{
		// 9.975.000 + 150.000 + PPN 1.113.750 = 11.238.750 > Rp5.000.000.
		{"above threshold", 9_975_000, true, []string{"Rp11.238.750", "Dikurangi PPN dipungut Bendahara Rp1.113.750",
			"Dikurangi PPh Pasal 22 1,5% Rp151.875", "DITERIMA PENYEDIA Rp9.973.125", "e-Meterai Rp10.000",
			"ditanggung penyedia", "sebelas juta dua ratus tiga puluh delapan ribu tujuh ratus lima puluh rupiah"}},
		// 3.000.000 + 150.000 + PPN 346.500 = 3.496.500: no meterai.
		{"below threshold", 3_000_000, false, []string{"Rp3.496.500", "DITERIMA PENYEDIA Rp3.102.750",
			"tiga juta empat ratus sembilan puluh enam ribu lima ratus rupiah"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := testKuitansi(t, tt.price)
			if k.Taxes.MeteraiRequired != tt.meterai {
				t.Fatalf("fixture MeteraiRequired = %v", k.Taxes.MeteraiRequired)
			}
			pdf, err := k.PDF()
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, pdf)
			mustContain(t, text, append([]string{"KUITANSI", "Nomor: KW/CV-SINAR-DELI/2026/0007",
				"Sudah terima dari", "Bendahara Pengeluaran Dinas Komunikasi dan Informatika",
				"Setuju dibayar,", "Lunas dibayar,", "Yang menerima,", testTreas.Name, "Budi Santoso",
				"2 Desember 2026 15.12 WIB", k.VerifyURL}, tt.wants...)...)
			if got := strings.Contains(text, "e-Meterai"); got != tt.meterai {
				t.Errorf("e-Meterai box shown = %v, want %v", got, tt.meterai)
			}
			if strings.Contains(text, testSeller.NPWP) {
				t.Error("the kuitansi prints the seller's NPWP")
			}
		})
	}
}

// TestLongOrderBreaksPages renders 60 lines: the table continues on later pages with its header
// repeated, no row is lost, and the totals, signatures and QR come after the last line.
func TestLongOrderBreaksPages(t *testing.T) {
	l := testOrderLetter(t, 60)
	pdf, err := l.PDF()
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	n := pageCount(t, text)
	if n < 3 {
		t.Fatalf("60 lines fit on %d pages; the test expects page breaks", n)
	}
	flat := squash(text)
	for i := 5; i <= 60; i++ {
		if !strings.Contains(flat, fmt.Sprintf("(baris %d)", i)) {
			t.Errorf("line %d missing", i)
		}
	}
	heads := 0
	for p := 1; p <= n; p++ {
		pt := pdfText(t, pdf, p, p)
		// The totals never start a page on their own: the last line stays with them.
		if strings.Contains(pt, "TOTAL PESANAN") && !strings.Contains(squash(pt), "(baris 60)") {
			t.Errorf("page %d has the totals without the last line", p)
		}
		if strings.Contains(squash(pt), "No. Nama barang/jasa Satuan Kuantitas Harga satuan Jumlah") {
			heads++
		}
		if p > 1 && !strings.Contains(pt, "Surat Pesanan Nomor SP/DISKOMINFO/2026/00042") {
			t.Errorf("page %d lacks the running header", p)
		}
	}
	if heads < 2 {
		t.Errorf("table header on %d pages, want it repeated after each break", heads)
	}
	last := pdfText(t, pdf, n, n)
	mustContain(t, last, l.VerifyURL)
	total := strings.Index(flat, "TOTAL PESANAN "+l.Amounts.Total.String())
	if total < 0 || total < strings.Index(flat, "(baris 60)") {
		t.Errorf("total missing or before the last line")
	}
}

func TestDeterministic(t *testing.T) {
	docs := []Document{testOrderLetter(t, 60), testBAST(t), testInvoice(t), testKuitansi(t, 9_975_000)}
	for _, d := range docs {
		t.Run(string(d.Kind()), func(t *testing.T) {
			a, err := d.PDF()
			if err != nil {
				t.Fatal(err)
			}
			b, err := d.PDF()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Fatal("two renders of the same input differ")
			}
			if SHA256(a) != SHA256(b) || len(SHA256(a)) != 64 {
				t.Fatalf("SHA256 = %q", SHA256(a))
			}
			// The PDF dates are the document's date (16:30 UTC), not the clock.
			if !bytes.Contains(a, []byte("/CreationDate (D:20261127163000)")) || !bytes.Contains(a, []byte("/ModDate (D:20261127163000)")) {
				t.Error("creation or modification date not taken from the input")
			}
		})
	}
	// A change in the input changes the bytes.
	l := testOrderLetter(t, 3)
	a, _ := l.PDF()
	l.Number = "SP/DISKOMINFO/2026/00043"
	b, _ := l.PDF()
	if bytes.Equal(a, b) || SHA256(a) == SHA256(b) {
		t.Fatal("a different number gives the same bytes")
	}
}

func TestSHA256(t *testing.T) {
	if got := SHA256([]byte("abc")); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("SHA256(abc) = %s", got)
	}
}

// TestQRCode extracts the embedded image and checks that its modules are the QR code of the
// verification URL.
func TestQRCode(t *testing.T) {
	for _, d := range []Document{testOrderLetter(t, 2), testBAST(t), testInvoice(t), testKuitansi(t, 3_000_000)} {
		t.Run(string(d.Kind()), func(t *testing.T) {
			pdf, err := d.PDF()
			if err != nil {
				t.Fatal(err)
			}
			bin := requireTool(t, "pdfimages")
			dir := t.TempDir()
			in := writeTemp(t, pdf)
			if out, err := exec.Command(bin, "-png", in, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
				t.Fatalf("pdfimages: %v\n%s", err, out)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
			if len(files) != 1 {
				t.Fatalf("%d images in the PDF, want the one QR code", len(files))
			}
			f, err := os.Open(files[0])
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			url := verifyURL(d)
			q, err := qrcode.New(url, qrcode.Medium)
			if err != nil {
				t.Fatal(err)
			}
			bm := q.Bitmap()
			size := img.Bounds().Dx()
			if size != len(bm)*qrModulePixels || img.Bounds().Dy() != size {
				t.Fatalf("image %v, want %d modules of %d px", img.Bounds(), len(bm), qrModulePixels)
			}
			for y := range bm {
				for x := range bm {
					r, _, _, _ := img.At(x*qrModulePixels+qrModulePixels/2, y*qrModulePixels+qrModulePixels/2).RGBA()
					if dark := r < 0x8000; dark != bm[y][x] {
						t.Fatalf("module (%d,%d) dark = %v, want %v", x, y, dark, bm[y][x])
					}
				}
			}
			// The URL is also printed, for who cannot scan.
			mustContain(t, pdfText(t, pdf), url)
		})
	}
}

func verifyURL(d Document) string {
	switch v := d.(type) {
	case OrderLetter:
		return v.VerifyURL
	case BAST:
		return v.VerifyURL
	case Invoice:
		return v.VerifyURL
	case Kuitansi:
		return v.VerifyURL
	}
	return ""
}

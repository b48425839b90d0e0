package importer_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"bela/internal/importer"
	"bela/internal/market"
	"bela/internal/store"
)

func tree(t testing.TB) *market.CategoryTree {
	t.Helper()
	tr, err := market.NewCategoryTree(market.SeedCategories())
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func template(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := importer.Template(&buf, tree(t)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTemplateRoundTrip(t *testing.T) {
	data := template(t)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Produk", "Kategori", "Satuan", "Petunjuk"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	cats, _ := f.GetRows("Kategori")
	if len(cats) != len(tree(t).Leaves())+1 || cats[1][0] != "01.01.01" || !strings.Contains(cats[1][3], "47611") {
		t.Errorf("category sheet: %d rows, first %v", len(cats), cats[1])
	}
	units, _ := f.GetRows("Satuan")
	if len(units) != len(market.Units)+1 {
		t.Errorf("unit sheet: %d rows", len(units))
	}
	// The example row of the template reads back as a valid listing.
	rows, err := importer.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Line != 2 || rows[0].Errors != nil {
		t.Fatalf("template rows = %+v", rows)
	}
	p := rows[0].Product
	want := market.Product{SKU: "HVS-A4-70", Name: "Kertas HVS A4 70 gsm", Description: "Kertas fotokopi putih, 500 lembar per rim.",
		CategoryCode: "01.01.01", Unit: "rim", Price: 55000, MinOrder: 1, Stock: 100, PDN: true, Brand: "Sinar Dunia",
		Specs: []market.Spec{{Key: "Ukuran", Value: "A4"}, {Key: "Gramatur", Value: "70 gsm"}}, PublicPrice: 60000}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("example row (-want +got):\n%s", diff)
	}
	if err := p.Validate(tree(t), []string{"47611"}); err != nil {
		t.Errorf("example row does not validate: %v", err)
	}
}

func TestCSVRows(t *testing.T) {
	csv := "\xef\xbb\xbfSKU;Nama;Deskripsi;Kategori;Satuan;Harga;Stok;PDN;TKDN (%);Harga umum;Spesifikasi\n" +
		"A-1;Pulpen hitam;Pulpen tinta gel 0,5 mm;01.02.01 Pulpen, pensil dan spidol;box;Rp 45.000;10;ya;43,57;50.000;Isi: 12\n" +
		"\n" +
		"A-2;Spidol;Spidol papan tulis;01.02.01;pcs;12.5;-3;mungkin;200;;tanpa titik dua\n" +
		"A-3;Map;Map plastik;01.01.02;pcs;;;;;;\n"
	rows, err := importer.Parse([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("rows = %+v", rows)
	}
	r := rows[0]
	if r.Line != 2 || r.Errors != nil || r.Product.Price != 45000 || r.Product.PublicPrice != 50000 || r.Product.TKDN != 4357 ||
		!r.Product.PDN || r.Product.CategoryCode != "01.02.01" || r.Product.Stock != 10 || r.Product.MinOrder != 1 {
		t.Errorf("row 2 = %+v", r)
	}
	r = rows[1]
	if r.Line != 4 {
		t.Errorf("blank lines must keep the line numbers: line %d, want 4", r.Line)
	}
	for _, field := range []string{"price", "stock", "pdn", "tkdn", "specs"} {
		if r.Errors[field] == "" {
			t.Errorf("line 4: no error for %s: %v", field, r.Errors)
		}
	}
	if rows[2].Errors["price"] != "Harga wajib diisi." {
		t.Errorf("line 5 errors = %v", rows[2].Errors)
	}
}

func TestRupiahCells(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want market.Rupiah
		ok   bool
	}{
		{"55000", 55000, true}, {"55.000", 55000, true}, {"Rp55.000", 55000, true}, {"Rp 1.250.000,00", 1250000, true},
		{"55000.0", 55000, true}, {"55000.5", 0, false}, {"55,5", 0, false}, {"1.25", 0, false}, {"-5", 0, false},
		{"abc", 0, false}, {"5.5E4", 0, false}, {"99999999999999999999", 0, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			rows, err := importer.ParseCSV([]byte("SKU,Nama,Deskripsi,Kategori,Satuan,Harga\nA,Nama,Desk,01.01.01,rim," + `"` + tc.in + `"` + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			r := rows[0]
			if ok := r.Errors["price"] == ""; ok != tc.ok || (ok && r.Product.Price != tc.want) {
				t.Errorf("price %q = %v (error %q)", tc.in, r.Product.Price, r.Errors["price"])
			}
		})
	}
}

func TestBadFiles(t *testing.T) {
	zipOf := func(name, content string) []byte {
		var buf bytes.Buffer
		z := zip.NewWriter(&buf)
		w, _ := z.Create(name)
		w.Write([]byte(content))
		z.Close()
		return buf.Bytes()
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "kosong"},
		{"too large", bytes.Repeat([]byte("a"), importer.MaxFileSize+1), "terlalu besar"},
		{"no headings", []byte("a,b,c\n1,2,3\n"), "kolom SKU, Nama, Deskripsi, Kategori, Satuan, Harga tidak ada"},
		{"headings only", []byte("SKU,Nama,Deskripsi,Kategori,Satuan,Harga\n"), "tidak berisi baris produk"},
		{"blank", []byte("\n\n,,\n"), "tidak berisi judul"},
		{"not UTF-8", []byte("SKU,Nama\n\xff\xfe,x\n"), "UTF-8"},
		{"binary", []byte("SKU\x00\x01"), "bukan CSV"},
		{"broken quotes", []byte("SKU,Nama,Deskripsi,Kategori,Satuan,Harga\nA,\"B,C,D,E,1\nx\"y,z\n"), "CSV rusak"},
		{"zip that is not a workbook", zipOf("hello.txt", "hi"), "XLSX rusak"},
		{"truncated workbook", template(t)[:300], "XLSX rusak"},
		{"a PDF", []byte("%PDF-1.4\n%%EOF"), "kolom SKU"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := importer.Parse(tc.data)
			var me *market.Error
			if !errors.As(err, &me) || me.Code != market.CodeInvalid || me.Fields["file"] == "" || !strings.Contains(me.Message, tc.want) {
				t.Errorf("err = %v, want an invalid file error containing %q", err, tc.want)
			}
		})
	}
	var b strings.Builder
	b.WriteString("SKU,Nama,Deskripsi,Kategori,Satuan,Harga\n")
	for i := range store.MaxImportRows + 1 {
		fmt.Fprintf(&b, "S%d,Nama,Desk,01.01.01,rim,1000\n", i)
	}
	if _, err := importer.Parse([]byte(b.String())); err == nil || !strings.Contains(err.Error(), "lebih dari") {
		t.Errorf("too many rows: %v", err)
	}
}

// TestXLSXWithNumbersAndFormats fills the template as a spreadsheet program would: numbers as
// numbers, a percentage as a fraction, columns in another order.
func TestXLSXWithNumbersAndFormats(t *testing.T) {
	f := excelize.NewFile()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetRow("Sheet1", "A1", &[]any{"Harga", "nama produk", "SKU", "Deskripsi", "Kategori", "Satuan", "TKDN (%)", "PDN", "Sertifikat TKDN"}))
	must(f.SetSheetRow("Sheet1", "A3", &[]any{125000, "Meja kerja", "MJ-1", "Meja kayu jati 120 cm", "05.01.01", "unit", 0.4, "ya", "TKDN-1"}))
	must(f.SetSheetRow("Sheet1", "A4", &[]any{99.5, "Kursi", "KR-1", "Kursi", "05.01.01", "unit"}))
	var buf bytes.Buffer
	_, err := f.WriteTo(&buf)
	must(err)
	rows, err := importer.Parse(buf.Bytes())
	must(err)
	if len(rows) != 2 || rows[0].Line != 3 || rows[0].Errors != nil {
		t.Fatalf("rows = %+v", rows)
	}
	if p := rows[0].Product; p.Price != 125000 || p.TKDN != 4000 || !p.PDN || p.SKU != "MJ-1" || p.Name != "Meja kerja" {
		t.Errorf("row 3 = %+v", p)
	}
	if rows[1].Errors["price"] == "" {
		t.Errorf("a fractional price passed: %+v", rows[1])
	}
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("SKU,Nama,Deskripsi,Kategori,Satuan,Harga\nA,Nama,Desk,01.01.01,rim,55.000\n"))
	f.Add([]byte("SKU;Nama;Deskripsi;Kategori;Satuan;Harga;TKDN (%);Spesifikasi\nA;B;C;D;E;Rp1;43,5;a: b; c\n"))
	f.Add([]byte("\"SKU\nNama\",x\n\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := importer.ParseCSV(data)
		checkParsed(t, rows, err)
	})
}

func FuzzParseXLSX(f *testing.F) {
	f.Add(template(f))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := importer.Parse(data)
		checkParsed(t, rows, err)
	})
}

// checkParsed holds for any input: either a file error for field "file", or rows with
// increasing line numbers, each either clean or with messages.
func checkParsed(t *testing.T, rows []store.ImportRow, err error) {
	t.Helper()
	if err != nil {
		var me *market.Error
		if !errors.As(err, &me) || me.Code != market.CodeInvalid || me.Fields["file"] == "" {
			t.Fatalf("error is not an invalid-file error: %v", err)
		}
		return
	}
	if len(rows) == 0 || len(rows) > store.MaxImportRows {
		t.Fatalf("%d rows without an error", len(rows))
	}
	last := 0
	for _, r := range rows {
		if r.Line <= last {
			t.Fatalf("line numbers not increasing: %d after %d", r.Line, last)
		}
		last = r.Line
		for k, v := range r.Errors {
			if v == "" {
				t.Fatalf("line %d: empty message for %s", r.Line, k)
			}
		}
		if r.Product.Price < 0 || r.Product.Stock < 0 || r.Product.MinOrder < 0 {
			t.Fatalf("line %d: negative number parsed: %+v", r.Line, r.Product)
		}
	}
}

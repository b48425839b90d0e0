package importer_test

import (
	"testing"

	"bela/internal/importer"
	"bela/internal/market"
)

// The ceiling cell is read by market.ParseRupiah; its bounds are the budget line's own
// (market.BudgetLine.Validate), not a product price's, so a Rp15 miliar ceiling is read.
func TestBudgetCeilingCells(t *testing.T) {
	const notNumber = "Pagu harus angka rupiah tanpa desimal, misalnya 150000000 atau 150.000.000."
	for _, tc := range []struct {
		name, in string
		want     market.Rupiah
		msg      string
	}{
		{"grouped", "25.000.000", 25_000_000, ""},
		{"Rp15 miliar", "15.000.000.000", 15_000_000_000, ""},
		{"Rp15 miliar as an XLSX number", "15000000000", 15_000_000_000, ""},
		{"with zero decimals", "Rp 15.000.000.000,00", 15_000_000_000, ""},
		{"above the bound is read, Validate refuses it", "200.000.000.000.000", 200_000_000_000_000, ""},
		{"words", "lima", 0, notNumber},
		{"dot decimals", "2000000.50", 0, "Tulis rupiah tanpa desimal, misalnya 2.000.000: titik hanya pemisah ribuan."},
		{"comma cents", "2.000.000,50", 0, "Rupiah tanpa sen: angka di belakang koma harus nol, misalnya 2.000.000 atau 2.000.000,00."},
		{"negative", "-5.000", 0, "Jumlah rupiah tidak boleh negatif."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := importer.ParseBudget([]byte("Tahun;Kode RUP;Kode rekening;Nama;Sumber dana;Pagu\n2026;27700002;5.1.02.01.01.0052;Belanja;DAU;" + tc.in + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			r := rows[0]
			if r.Errors["ceiling"] != tc.msg || r.Ceiling != tc.want {
				t.Errorf("ceiling %q = %s, error %q; want %s, error %q", tc.in, r.Ceiling, r.Errors["ceiling"], tc.want, tc.msg)
			}
		})
	}
}

// A product sheet reads prices by the same rules as the forms: "1.5" is refused with the
// reason, "10.000,00" read.
func TestPriceCellsFollowTheFormRules(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want market.Rupiah
		msg  string
	}{
		{"10.000,00", 10_000, ""},
		{"1.5", 0, "Tulis rupiah tanpa desimal, misalnya 2.000.000: titik hanya pemisah ribuan."},
		{"murah", 0, "Harga harus angka rupiah tanpa desimal, misalnya 55000 atau 55.000."},
	} {
		rows, err := importer.ParseCSV([]byte("SKU,Nama,Deskripsi,Kategori,Satuan,Harga\nA,Nama,Desk,01.01.01,rim," + `"` + tc.in + `"` + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		if r := rows[0]; r.Errors["price"] != tc.msg || r.Product.Price != tc.want {
			t.Errorf("price %q = %s, error %q; want %s, error %q", tc.in, r.Product.Price, r.Errors["price"], tc.want, tc.msg)
		}
	}
}

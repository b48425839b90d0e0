package opendata

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"bela/internal/market"
	"bela/internal/store"
)

var (
	wib  = time.FixedZone("WIB", 7*60*60)
	opts = Options{Location: wib, BaseURL: "https://bela.pemkomedan.go.id"}
)

// testOrders are two orders: a paid one placed late in the evening UTC (the next day in WIB)
// whose product name looks like a formula, and a fresh one with a justified warning.
func testOrders() []store.PublicOrder {
	paid := store.PublicOrder{
		ID: 12, SPNumber: "027/SP/12/2026", FiscalYear: 2026, UnitCode: "DINKES", UnitName: "Dinas Kesehatan",
		SellerID: 40, SellerName: "UD Sumber Rejeki", SellerClass: market.ClassMicro, SellerKecamatan: "Medan Johor",
		KodeRUP: "41234567", AccountCode: "5.1.02.01.01.0024", BudgetName: "Belanja ATK", FundingSource: "APBD",
		State: market.StateCompleted, Goods: 1_500_000, Shipping: 50_000, Total: 1_550_000, Paid: 1_527_500, LatePayments: 1,
		PlacedAt: time.Date(2026, 3, 31, 18, 30, 0, 0, time.UTC), ApprovedAt: time.Date(2026, 4, 1, 2, 0, 0, 0, time.UTC),
		StateSince: time.Date(2026, 5, 2, 3, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 5, 2, 3, 0, 0, 0, time.UTC),
		Rules: []market.RuleResult{{Code: market.RuleConcentration, Severity: market.SeverityInfo}},
		Lines: []store.PublicOrderLine{
			{LineNo: 1, ProductID: 11, Name: "=HYPERLINK(\"http://x\")", Unit: "rim", CategoryCode: "ATK-KERTAS",
				ListPrice: 55_000, UnitPrice: 50_000, Quantity: 20, Received: 20, Amount: 1_000_000, PDN: true, TKDN: 4357},
			{LineNo: 2, ProductID: 12, Name: "Pulpen hitam, isi 12", Unit: "kotak", CategoryCode: "ATK-TULIS",
				ListPrice: 50_000, UnitPrice: 50_000, Quantity: 10, Received: 10, Amount: 500_000},
		},
		Payments: []store.PublicPayment{{ID: 7, PaidOn: time.Date(2026, 5, 1, 17, 0, 0, 0, time.UTC), Amount: 1_527_500, Late: true}},
	}
	fresh := store.PublicOrder{
		ID: 15, FiscalYear: 2026, UnitCode: "DINKES", UnitName: "Dinas Kesehatan",
		SellerID: 41, SellerName: "CV Kecil", SellerClass: market.ClassSmall, SellerKecamatan: "Medan Baru",
		State: market.StateAwaitingApproval, ChargesPPN: true, Goods: 10_000_000, PPN: 1_100_000, Total: 11_100_000,
		PlacedAt: time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC), StateSince: time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC),
		UpdatedAt:      time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC),
		Rules:          []market.RuleResult{{Code: market.RuleSplit, Severity: market.SeverityWarning}, {Code: market.RulePrice, Severity: market.SeverityWarning}},
		Justifications: map[string]string{market.RuleSplit: "Kebutuhan mendesak; stok habis.", market.RulePrice: "+ ongkos bahan naik"},
		Lines: []store.PublicOrderLine{{LineNo: 1, ProductID: 30, Name: "Laptop", Unit: "unit", CategoryCode: "TIK",
			ListPrice: 10_000_000, UnitPrice: 10_000_000, Quantity: 1, Amount: 10_000_000}},
	}
	return []store.PublicOrder{fresh, paid}
}

func source(orders []store.PublicOrder) Source {
	return func(fn func(store.PublicOrder) error) error {
		for _, o := range orders {
			if err := fn(o); err != nil {
				return err
			}
		}
		return nil
	}
}

func readCSV(t *testing.T, tb *Table) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCSV(&b, tb, opts, source(testOrders())); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("%s.csv does not read back: %v", tb.Name, err)
	}
	return recs
}

// column returns the value of the named column in row i (1 is the first after the header).
func column(t *testing.T, recs [][]string, i int, name string) string {
	t.Helper()
	for j, c := range recs[0] {
		if c == name {
			return recs[i][j]
		}
	}
	t.Fatalf("no column %q in %v", name, recs[0])
	return ""
}

func TestCSVTables(t *testing.T) {
	orders := readCSV(t, Orders)
	if len(orders) != 3 || len(orders[0]) != len(Orders.Columns()) {
		t.Fatalf("pesanan.csv has %d records: %v", len(orders), orders)
	}
	for _, c := range []struct {
		row       int
		col, want string
	}{
		{1, "id_pesanan", "15"}, {1, "kena_ppn", "ya"}, {1, "total", "11100000"}, {1, "status_kode", "awaiting_approval"},
		{1, "disetujui_ppk", ""}, {1, "temuan_aturan", "split_purchase (warning); price_reference (warning)"},
		{1, "justifikasi", "price_reference: + ongkos bahan naik | split_purchase: Kebutuhan mendesak; stok habis."},
		{2, "dipesan", "2026-04-01 01:30:00"}, {2, "disetujui_ppk", "2026-04-01 09:00:00"}, {2, "status", market.StateCompleted.Label()},
		{2, "kelas_umk", market.ClassMicro.Label()}, {2, "dibayar", "1527500"}, {2, "pembayaran_terlambat", "1"},
		{2, "temuan_aturan", ""}, {2, "tautan", "https://bela.pemkomedan.go.id/belanja/pesanan/12"},
	} {
		if got := column(t, orders, c.row, c.col); got != c.want {
			t.Errorf("pesanan row %d %s = %q, want %q", c.row, c.col, got, c.want)
		}
	}

	lines := readCSV(t, Lines)
	want := [][]string{Lines.Columns(),
		{"15", "1", "30", "Laptop", "unit", "TIK", "10000000", "10000000", "1", "0", "10000000", "tidak", "0"},
		{"12", "1", "11", `'=HYPERLINK("http://x")`, "rim", "ATK-KERTAS", "55000", "50000", "20", "20", "1000000", "ya", "43.57"},
		{"12", "2", "12", "Pulpen hitam, isi 12", "kotak", "ATK-TULIS", "50000", "50000", "10", "10", "500000", "tidak", "0"},
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("barang.csv (-want +got):\n%s", diff)
	}

	pays := readCSV(t, Payments)
	if diff := cmp.Diff([][]string{Payments.Columns(), {"12", "7", "2026-05-02", "1527500", "ya"}}, pays); diff != "" {
		t.Errorf("pembayaran.csv (-want +got):\n%s", diff)
	}
}

func TestXLSXWorkbook(t *testing.T) {
	var b bytes.Buffer
	if err := WriteXLSX(&b, opts, source(testOrders())); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{"pesanan", "barang", "pembayaran"}, f.GetSheetList()); diff != "" {
		t.Fatalf("sheets (-want +got):\n%s", diff)
	}
	for _, tb := range Tables {
		rows, err := f.GetRows(tb.Name)
		if err != nil {
			t.Fatal(err)
		}
		csvRows := readCSV(t, tb)
		if len(rows) != len(csvRows) || !cmp.Equal(rows[0], tb.Columns()) {
			t.Errorf("sheet %s has %d rows (CSV %d), header %v", tb.Name, len(rows), len(csvRows), rows[0])
		}
	}
	// Amounts are numbers, times are dates in WIB, text is text (not a formula).
	cellType := func(sheet, cell string) excelize.CellType {
		ct, err := f.GetCellType(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	for _, c := range []struct{ sheet, cell, want string }{
		{"pesanan", "Y2", "11100000"}, {"pesanan", "P3", "2026-04-01 01:30:00"}, {"pesanan", "Q2", ""},
		{"barang", "D3", `=HYPERLINK("http://x")`}, {"pembayaran", "C2", "2026-05-02"},
	} {
		got, err := f.GetCellValue(c.sheet, c.cell)
		if err != nil || got != c.want {
			t.Errorf("%s!%s = %q (%v), want %q", c.sheet, c.cell, got, err, c.want)
		}
	}
	if ct := cellType("pesanan", "Y2"); ct != excelize.CellTypeNumber && ct != excelize.CellTypeUnset {
		t.Errorf("total is a %v cell, want a number", ct)
	}
	if formula, _ := f.GetCellFormula("barang", "D3"); formula != "" {
		t.Errorf("a product name became the formula %q", formula)
	}
	if v, _ := f.GetCellValue("pesanan", "Y2", excelize.Options{RawCellValue: true}); v != "11100000" {
		t.Errorf("raw total = %q", v)
	}
}

// A failing source stops the writers with its error.
func TestSourceErrorStops(t *testing.T) {
	boom := errors.New("boom")
	failing := func(fn func(store.PublicOrder) error) error {
		if err := fn(testOrders()[0]); err != nil {
			return err
		}
		return boom
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, Orders, opts, failing); !errors.Is(err, boom) {
		t.Errorf("WriteCSV = %v", err)
	}
	if err := WriteXLSX(&b, opts, failing); !errors.Is(err, boom) {
		t.Errorf("WriteXLSX = %v", err)
	}
	if TableNamed("barang") != Lines || TableNamed("x") != nil {
		t.Error("TableNamed")
	}
	if !strings.Contains(strings.Join(Orders.Columns(), ","), "justifikasi") {
		t.Error("the orders table lost its justification column")
	}
}

// Every column of every table is described in both languages, once.
func TestDictionary(t *testing.T) {
	for _, tb := range Tables {
		seen := map[string]bool{}
		for _, c := range tb.Dictionary() {
			if c.Name == "" || c.ID == "" || c.EN == "" || seen[c.Name] {
				t.Errorf("%s: column %+v", tb.Name, c)
			}
			seen[c.Name] = true
		}
		if len(seen) != len(tb.Columns()) {
			t.Errorf("%s: %d described, %d columns", tb.Name, len(seen), len(tb.Columns()))
		}
	}
}

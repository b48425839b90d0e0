// Package opendata writes the public orders as flat tables for spreadsheets and data tools:
// one CSV file per table, or one XLSX workbook with a sheet per table. The tables are the
// orders, their product lines and their payments, joined by the order's id; they hold what
// store.PublicOrder holds and nothing else, so no person and nothing people typed about
// themselves reaches them. Column names are Indonesian snake_case, stable for scripts.
package opendata

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"bela/internal/market"
	"bela/internal/store"
)

// Source calls fn with every order to write, in the order they are to appear, and stops at
// fn's first error (store.Store.EachPublicOrder with a filter is one).
type Source func(fn func(store.PublicOrder) error) error

// Options are how values are written.
type Options struct {
	// Location is the time zone the times are written in (the instance's, WIB in Medan).
	Location *time.Location
	// BaseURL is the instance's public address; each order row links to its public page there.
	BaseURL string
}

// date and datetime are times written as a day or as a day and a time of day; zero is empty.
type (
	date     time.Time
	datetime time.Time
)

// Table is one flat table: its name (the CSV file's base name and the XLSX sheet's name), its
// columns, and how one order becomes its rows.
type Table struct {
	Name    string
	columns []Column
	rows    func(o *store.PublicOrder, opt *Options) [][]any
}

// Column is one column of a table with what it holds, in Bahasa Indonesia (ID) and English
// (EN): the data dictionary that the portal publishes with the files.
type Column struct {
	Name, ID, EN string
}

// Columns returns the table's column names.
func (t *Table) Columns() []string {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = c.Name
	}
	return names
}

// Dictionary returns the table's columns with their descriptions.
func (t *Table) Dictionary() []Column { return slices.Clone(t.columns) }

// orderID is the column that joins the tables.
var orderID = Column{"id_pesanan", "Nomor pesanan di Bela; menghubungkan ketiga tabel.", "The order's number in Bela; joins the three tables."}

// The tables, in the workbook's order.
var (
	Orders = &Table{Name: "pesanan", columns: []Column{
		orderID,
		{"nomor_surat_pesanan", "Nomor Surat Pesanan yang ditandatangani PPK; kosong sebelum disetujui.", "The number of the Surat Pesanan (order letter) the PPK signed; empty before approval."},
		{"tahun_anggaran", "Tahun anggaran baris anggaran yang dipakai.", "The fiscal year of the budget line charged."},
		{"kode_unit", "Kode perangkat daerah (unit kerja) pembeli.", "The buying work unit's code."},
		{"unit_kerja", "Nama perangkat daerah pembeli.", "The buying work unit's name."},
		{"id_penyedia", "Nomor UMK penyedia di Bela (halaman /penjual/{id}).", "The UMK seller's number in Bela (page /penjual/{id})."},
		{"penyedia", "Nama usaha penyedia.", "The seller's business name."},
		{"kelas_umk", "Kelas usaha penyedia menurut PP 7/2021: mikro atau kecil.", "The seller's size class under PP 7/2021: micro or small."},
		{"kecamatan_penyedia", "Kecamatan tempat usaha penyedia.", "The kecamatan (district) of the seller's business."},
		{"kode_rup", "Kode RUP (Rencana Umum Pengadaan) baris anggaran.", "The budget line's Kode RUP (general procurement plan code)."},
		{"kode_rekening", "Kode rekening belanja baris anggaran.", "The budget line's expenditure account code."},
		{"nama_anggaran", "Nama baris anggaran.", "The budget line's name."},
		{"sumber_dana", "Sumber dana baris anggaran (misalnya PAD, DAU).", "The budget line's funding source (e.g. PAD, DAU)."},
		{"status_kode", "Status pesanan sebagai kode tetap (untuk program).", "The order's state as a stable code (for programs)."},
		{"status", "Status pesanan dalam kata-kata.", "The order's state in words (Indonesian)."},
		{"dipesan", "Waktu pesanan dibuat (waktu setempat).", "When the order was placed (local time)."},
		{"disetujui_ppk", "Waktu PPK menyetujui; kosong bila belum.", "When the PPK approved it; empty if not yet."},
		{"diterima_penyedia", "Waktu penyedia menerima pesanan; kosong bila belum.", "When the seller accepted it; empty if not yet."},
		{"status_sejak", "Waktu pesanan masuk status sekarang.", "When the order entered its current state."},
		{"diperbarui", "Waktu perubahan terakhir pesanan (lihat ?sejak=).", "When the order last changed (see ?sejak=)."},
		{"kena_ppn", "ya bila penyedia PKP dan memungut PPN.", "ya (yes) when the seller is a PKP and charges PPN (VAT)."},
		{"nilai_barang", "Nilai barang dalam rupiah (harga satuan × jumlah).", "The goods' value in rupiah (unit price × quantity)."},
		{"ongkos_kirim", "Ongkos kirim dalam rupiah.", "Shipping in rupiah."},
		{"ppn", "PPN dalam rupiah.", "PPN (VAT) in rupiah."},
		{"total", "Nilai pesanan: barang + ongkos kirim + PPN.", "The order's value: goods + shipping + PPN."},
		{"dibayar", "Jumlah pembayaran yang tercatat.", "The sum of the recorded payments."},
		{"pembayaran_terlambat", "Banyaknya pembayaran yang bertanggal setelah batas waktunya.", "How many payments are dated after their deadline."},
		{"temuan_aturan", "Aturan yang memberi peringatan (warning) atau blokir (block) saat pemesanan.", "The rules that warned or blocked at checkout."},
		{"justifikasi", "Alasan tertulis Pejabat Pengadaan per aturan.", "The procurement official's written justification per rule."},
		{"tautan", "Halaman publik pesanan.", "The order's public page."},
	}, rows: orderRows}
	Lines = &Table{Name: "barang", columns: []Column{
		orderID,
		{"no_baris", "Urutan baris dalam pesanan.", "The line's position in the order."},
		{"id_produk", "Nomor produk di katalog Bela.", "The product's number in Bela's catalogue."},
		{"nama_barang", "Nama produk saat dipesan.", "The product's name when ordered."},
		{"satuan", "Satuan (misalnya rim, kotak).", "The unit of measure (e.g. ream, box)."},
		{"kode_kategori", "Kode kategori terkecil produk.", "The product's leaf category code."},
		{"harga_katalog", "Harga di katalog saat dipesan, rupiah.", "The catalogue price when ordered, rupiah."},
		{"harga_satuan", "Harga yang disepakati (setelah negosiasi), rupiah.", "The agreed price (after negotiation), rupiah."},
		{"jumlah_dipesan", "Jumlah yang dipesan.", "The quantity ordered."},
		{"jumlah_diterima", "Jumlah yang diterima menurut BAST.", "The quantity received according to the BAST."},
		{"nilai", "harga_satuan × jumlah_dipesan, rupiah.", "harga_satuan × jumlah_dipesan, rupiah."},
		{"pdn", "ya bila penyedia menyatakan produk ini produk dalam negeri (PDN) saat dipesan.", "ya (yes) when the seller declared the product domestic (PDN) when it was ordered."},
		{"tkdn_persen", "Tingkat komponen dalam negeri (TKDN) bersertifikat saat dipesan, persen dengan titik desimal; 0 tanpa sertifikat.", "The certified domestic content (TKDN) when ordered, percent with a decimal point; 0 without a certificate."},
	}, rows: lineRows}
	Payments = &Table{Name: "pembayaran", columns: []Column{
		orderID,
		{"id_pembayaran", "Nomor pembayaran di Bela.", "The payment's number in Bela."},
		{"tanggal_bayar", "Tanggal pembayaran yang dicatat Bendahara.", "The payment date the treasurer recorded."},
		{"jumlah", "Jumlah yang dibayarkan ke penyedia (setelah pajak dipotong), rupiah.", "The amount paid to the seller (after taxes withheld), rupiah."},
		{"terlambat", "ya bila bertanggal setelah batas waktu pembayaran.", "ya (yes) when dated after the payment deadline."},
	}, rows: paymentRows}

	Tables = []*Table{Orders, Lines, Payments}
)

// TableNamed returns the table with the given name, or nil.
func TableNamed(name string) *Table {
	for _, t := range Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

func orderRows(o *store.PublicOrder, opt *Options) [][]any {
	var findings, justs []string
	for _, r := range o.Rules {
		if r.Severity != market.SeverityInfo {
			findings = append(findings, r.Code+" ("+string(r.Severity)+")")
		}
	}
	keys := make([]string, 0, len(o.Justifications))
	for k := range o.Justifications {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		justs = append(justs, k+": "+o.Justifications[k])
	}
	return [][]any{{
		o.ID, o.SPNumber, int64(o.FiscalYear), o.UnitCode, o.UnitName,
		o.SellerID, o.SellerName, o.SellerClass.Label(), o.SellerKecamatan,
		o.KodeRUP, o.AccountCode, o.BudgetName, o.FundingSource,
		string(o.State), o.State.Label(), datetime(o.PlacedAt), datetime(o.ApprovedAt), datetime(o.AcceptedAt),
		datetime(o.StateSince), datetime(o.UpdatedAt),
		o.ChargesPPN, o.Goods, o.Shipping, o.PPN, o.Total, o.Paid, int64(o.LatePayments),
		strings.Join(findings, "; "), strings.Join(justs, " | "), fmt.Sprintf("%s/belanja/pesanan/%d", opt.BaseURL, o.ID),
	}}
}

func lineRows(o *store.PublicOrder, _ *Options) [][]any {
	out := make([][]any, len(o.Lines))
	for i, l := range o.Lines {
		out[i] = []any{o.ID, int64(l.LineNo), l.ProductID, l.Name, l.Unit, l.CategoryCode,
			l.ListPrice, l.UnitPrice, l.Quantity, l.Received, l.Amount, l.PDN, float64(l.TKDN) / 100}
	}
	return out
}

func paymentRows(o *store.PublicOrder, _ *Options) [][]any {
	out := make([][]any, len(o.Payments))
	for i, p := range o.Payments {
		out[i] = []any{o.ID, p.ID, date(p.PaidOn), p.Amount, p.Late}
	}
	return out
}

// WriteCSV writes table t of the orders from src as CSV (RFC 4180, UTF-8, a header row).
// Text that a spreadsheet would take for a formula (starting with =, +, -, @, a tab or a
// carriage return: sellers type product names) is written with a leading apostrophe.
func WriteCSV(w io.Writer, t *Table, opt Options, src Source) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns()); err != nil {
		return err
	}
	rec := make([]string, len(t.columns))
	err := src(func(o store.PublicOrder) error {
		for _, row := range t.rows(&o, &opt) {
			for i, v := range row {
				rec[i] = csvText(v, opt.Location)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func csvText(v any, loc *time.Location) string {
	switch v := v.(type) {
	case string:
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			return "'" + v
		}
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case market.Rupiah:
		return strconv.FormatInt(int64(v), 10)
	case bool:
		if v {
			return "ya"
		}
		return "tidak"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case date:
		if time.Time(v).IsZero() {
			return ""
		}
		return time.Time(v).In(loc).Format(time.DateOnly)
	case datetime:
		if time.Time(v).IsZero() {
			return ""
		}
		return time.Time(v).In(loc).Format(time.DateTime)
	}
	panic(fmt.Sprintf("opendata: no CSV form for %T", v))
}

// WriteXLSX writes every table of the orders from src as one XLSX workbook, a sheet per table,
// reading src once. Amounts and counts are numbers, times are spreadsheet dates in
// opt.Location, and the header rows are bold and frozen.
func WriteXLSX(w io.Writer, opt Options, src Source) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	day := "yyyy-mm-dd"
	dayTime := "yyyy-mm-dd hh:mm:ss"
	dayStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &day})
	if err != nil {
		return err
	}
	dayTimeStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dayTime})
	if err != nil {
		return err
	}
	sheets := make([]*xlsxSheet, len(Tables))
	for i, t := range Tables {
		if i == 0 {
			err = f.SetSheetName("Sheet1", t.Name)
		} else {
			_, err = f.NewSheet(t.Name)
		}
		if err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(t.Name)
		if err != nil {
			return err
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		header := make([]any, len(t.columns))
		for j, c := range t.columns {
			header[j] = excelize.Cell{StyleID: bold, Value: c.Name}
		}
		if err := sw.SetRow("A1", header); err != nil {
			return err
		}
		sheets[i] = &xlsxSheet{t: t, sw: sw, next: 2}
	}
	cell := func(v any) any {
		switch v := v.(type) {
		case market.Rupiah:
			return int64(v)
		case date:
			return timeCell(time.Time(v), opt.Location, dayStyle)
		case datetime:
			return timeCell(time.Time(v), opt.Location, dayTimeStyle)
		}
		return v
	}
	err = src(func(o store.PublicOrder) error {
		for _, s := range sheets {
			for _, row := range s.t.rows(&o, &opt) {
				for i, v := range row {
					row[i] = cell(v)
				}
				if err := s.sw.SetRow("A"+strconv.Itoa(s.next), row); err != nil {
					return err
				}
				s.next++
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, s := range sheets {
		if err := s.sw.Flush(); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// xlsxSheet is a table's sheet being written and the number of its next row.
type xlsxSheet struct {
	t    *Table
	sw   *excelize.StreamWriter
	next int
}

// timeCell is t as a spreadsheet date: the wall clock in loc (spreadsheets have no time zones),
// or an empty cell for the zero time.
func timeCell(t time.Time, loc *time.Location, style int) any {
	if t.IsZero() {
		return nil
	}
	l := t.In(loc)
	return excelize.Cell{StyleID: style, Value: time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)}
}

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
	columns []string
	rows    func(o *store.PublicOrder, opt *Options) [][]any
}

// Columns returns the table's column names.
func (t *Table) Columns() []string { return slices.Clone(t.columns) }

// The tables, in the workbook's order.
var (
	Orders = &Table{Name: "pesanan", columns: []string{
		"id_pesanan", "nomor_surat_pesanan", "tahun_anggaran", "kode_unit", "unit_kerja",
		"id_penyedia", "penyedia", "kelas_umk", "kecamatan_penyedia",
		"kode_rup", "kode_rekening", "nama_anggaran", "sumber_dana",
		"status_kode", "status", "dipesan", "disetujui_ppk", "diterima_penyedia", "status_sejak", "diperbarui",
		"kena_ppn", "nilai_barang", "ongkos_kirim", "ppn", "total", "dibayar", "pembayaran_terlambat",
		"temuan_aturan", "justifikasi", "tautan",
	}, rows: orderRows}
	Lines = &Table{Name: "barang", columns: []string{
		"id_pesanan", "no_baris", "id_produk", "nama_barang", "satuan", "kode_kategori",
		"harga_katalog", "harga_satuan", "jumlah_dipesan", "jumlah_diterima", "nilai",
	}, rows: lineRows}
	Payments = &Table{Name: "pembayaran", columns: []string{
		"id_pesanan", "id_pembayaran", "tanggal_bayar", "jumlah", "terlambat",
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
			l.ListPrice, l.UnitPrice, l.Quantity, l.Received, l.Amount}
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
	if err := cw.Write(t.columns); err != nil {
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
			header[j] = excelize.Cell{StyleID: bold, Value: c}
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

package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"bela/internal/market"
	"bela/internal/store"
)

// MaxBudgetFileSize is the largest budget sheet accepted: a unit's DPA has tens of lines, not
// thousands.
const MaxBudgetFileSize = 1 << 20

// MaxBudgetRows is the most budget lines one file may hold.
const MaxBudgetRows = 1000

// budgetSheet is the worksheet name preferred in an XLSX workbook.
const budgetSheet = "Anggaran"

// budgetColumns are the budget sheet's columns: field, heading, aliases. All are required.
var budgetColumns = []struct {
	field, heading string
	aliases        []string
}{
	{"fiscal_year", "Tahun", []string{"tahun anggaran", "ta"}},
	{"kode_rup", "Kode RUP", []string{"rup", "kd rup"}},
	{"account_code", "Kode rekening", []string{"rekening", "kode akun", "mak"}},
	{"name", "Nama", []string{"nama sub kegiatan", "uraian", "nama belanja"}},
	{"funding_source", "Sumber dana", []string{"sumber"}},
	{"ceiling", "Pagu", []string{"pagu anggaran", "nilai pagu"}},
}

var budgetByHeading = func() map[string]string {
	m := map[string]string{}
	for _, c := range budgetColumns {
		m[headingKey(c.heading)] = c.field
		m[headingKey(c.field)] = c.field
		for _, a := range c.aliases {
			m[headingKey(a)] = c.field
		}
	}
	return m
}()

// BudgetRow is one parsed line of a budget sheet: the row as the store imports it, and the
// cells that could not be read (field → Indonesian message). A row with Errors must not be
// imported; the preview shows it with its line number.
type BudgetRow struct {
	store.BudgetImportRow
	Errors map[string]string
}

// BudgetHeadings returns the headings a budget sheet needs, in order, for the import page's help.
func BudgetHeadings() []string {
	out := make([]string, len(budgetColumns))
	for i, c := range budgetColumns {
		out[i] = c.heading
	}
	return out
}

// ParseBudget reads a budget sheet (XLSX or CSV, by content) whose first non-empty row holds
// the headings Tahun, Kode RUP, Kode rekening, Nama, Sumber dana and Pagu. Errors are CodeInvalid
// for field "file" with an Indonesian message (empty, unreadable or oversized file, a missing
// column, no rows, too many rows); problems of single cells are in the rows' Errors.
func ParseBudget(data []byte) ([]BudgetRow, error) {
	switch {
	case len(data) == 0:
		return nil, fileError("Berkas kosong.")
	case len(data) > MaxBudgetFileSize:
		return nil, fileError(fmt.Sprintf("Berkas terlalu besar (maksimal %d KB).", MaxBudgetFileSize>>10))
	}
	var recs [][]string
	var lines []int
	var err error
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		recs, lines, err = xlsxRecords(data, budgetSheet, MaxBudgetRows+1)
	} else {
		recs, lines, err = csvRecords(data, MaxBudgetRows+1, tooManyBudget())
	}
	if err != nil {
		return nil, err
	}
	return readBudgetTable(recs, lines)
}

func tooManyBudget() error {
	return fileError(fmt.Sprintf("Berkas berisi lebih dari %d baris anggaran.", MaxBudgetRows))
}

// csvRecords reads CSV records (UTF-8 with or without a byte-order mark, comma or semicolon)
// with their line numbers; more than limit records is the error tooMany. Product and budget
// sheets share it.
func csvRecords(data []byte, limit int, tooMany error) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, fileError("Berkas CSV harus berenkode UTF-8; simpan ulang sebagai \"CSV UTF-8\".")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, nil, fileError("Berkas ini bukan CSV atau XLSX.")
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	var recs [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, fileError(fmt.Sprintf("Berkas CSV rusak di baris %d: periksa tanda kutip.", pe.StartLine))
			}
			return nil, nil, fileError("Berkas CSV tidak dapat dibaca.")
		}
		line, _ := r.FieldPos(0)
		recs = append(recs, rec)
		lines = append(lines, line)
		if len(recs) > limit {
			return nil, nil, tooMany
		}
	}
	return recs, lines, nil
}

// xlsxRecords reads the rows of the worksheet named sheet (or the first one), at most limit.
func xlsxRecords(data []byte, sheet string, limit int) (recs [][]string, lines []int, err error) {
	defer func() {
		if r := recover(); r != nil {
			recs, lines, err = nil, nil, fileError("Berkas XLSX rusak atau tidak dapat dibaca.")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		return nil, nil, fileError("Berkas XLSX rusak atau tidak dapat dibaca.")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, fileError("Berkas XLSX tidak berisi lembar kerja.")
	}
	name := sheets[0]
	for _, s := range sheets {
		if strings.EqualFold(s, sheet) {
			name = s
		}
	}
	it, err := f.Rows(name)
	if err != nil {
		return nil, nil, fileError("Berkas XLSX rusak atau tidak dapat dibaca.")
	}
	defer it.Close()
	for line := 1; it.Next(); line++ {
		rec, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, fileError(fmt.Sprintf("Baris %d berkas XLSX tidak dapat dibaca.", line))
		}
		if len(rec) > maxColumns {
			rec = rec[:maxColumns]
		}
		recs = append(recs, rec)
		lines = append(lines, line)
		if len(recs) > limit {
			return nil, nil, tooManyBudget()
		}
	}
	if err := it.Error(); err != nil {
		return nil, nil, fileError("Berkas XLSX rusak atau tidak dapat dibaca.")
	}
	return recs, lines, nil
}

func readBudgetTable(recs [][]string, lines []int) ([]BudgetRow, error) {
	h := 0
	for h < len(recs) && blank(recs[h]) {
		h++
	}
	if h == len(recs) {
		return nil, fileError("Berkas tidak berisi judul kolom maupun baris anggaran.")
	}
	index := map[string]int{}
	for i, name := range recs[h] {
		if field, ok := budgetByHeading[headingKey(name)]; ok {
			if _, dup := index[field]; !dup {
				index[field] = i
			}
		}
	}
	var missing []string
	for _, c := range budgetColumns {
		if _, ok := index[c.field]; !ok {
			missing = append(missing, c.heading)
		}
	}
	if len(missing) > 0 {
		return nil, fileError(fmt.Sprintf("Baris %d harus berisi judul kolom; kolom %s tidak ada. Judul yang diperlukan: %s.",
			lines[h], strings.Join(missing, ", "), strings.Join(BudgetHeadings(), ", ")))
	}
	var out []BudgetRow
	for i := h + 1; i < len(recs); i++ {
		if blank(recs[i]) {
			continue
		}
		cell := func(field string) string {
			j := index[field]
			if j >= len(recs[i]) {
				return ""
			}
			return strings.TrimSpace(recs[i][j])
		}
		out = append(out, readBudgetRow(lines[i], cell))
	}
	if len(out) == 0 {
		return nil, fileError("Berkas tidak berisi baris anggaran di bawah judul kolom.")
	}
	if len(out) > MaxBudgetRows {
		return nil, tooManyBudget()
	}
	return out, nil
}

func readBudgetRow(line int, cell func(string) string) BudgetRow {
	row := BudgetRow{BudgetImportRow: store.BudgetImportRow{Line: line}, Errors: map[string]string{}}
	for _, c := range budgetColumns {
		if utf8.RuneCountInString(cell(c.field)) > MaxCellRunes {
			row.Errors[c.field] = fmt.Sprintf("Isi sel terlalu panjang (maksimal %d karakter).", MaxCellRunes)
		}
	}
	if y, err := strconv.Atoi(strings.TrimSuffix(cell("fiscal_year"), ".0")); err == nil {
		row.FiscalYear = y
	} else {
		row.Errors["fiscal_year"] = "Tahun anggaran harus angka empat digit, misalnya 2026."
	}
	// An XLSX number cell holds the Kode RUP as digits, possibly with ".0".
	row.KodeRUP = strings.TrimSuffix(cell("kode_rup"), ".0")
	row.AccountCode = cell("account_code")
	row.Name = cell("name")
	row.FundingSource = cell("funding_source")
	// The ceiling's bounds are the budget line's own (market.BudgetLine.Validate, through the
	// store's dry run), so a large ceiling is shown with its amount and the true reason.
	const notNumber = "Pagu harus angka rupiah tanpa desimal, misalnya 150000000 atau 150.000.000."
	if v, msg := market.ParseRupiahField(cell("ceiling"), notNumber); msg == "" {
		row.Ceiling = v
	} else {
		row.Errors["ceiling"] = msg
	}
	return row
}

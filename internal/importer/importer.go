// Package importer reads bulk product sheets (XLSX or CSV) into rows with line numbers and
// Indonesian per-row errors, and writes the XLSX template sellers fill in.
package importer

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"bela/internal/market"
	"bela/internal/store"
)

// Limits of a sheet. A file larger than MaxFileSize is refused before it is opened; an XLSX
// file may not unpack to more than maxUnzipped bytes (zip bombs).
const (
	MaxFileSize  = 5 << 20
	MaxCellRunes = 5000
	maxColumns   = 40
	maxUnzipped  = 64 << 20
)

// column is one column of the sheet: its field and its heading in the template. Headings are
// matched without regard to case, spaces and punctuation, and a few other spellings are
// accepted (aliases).
type column struct {
	field    string
	heading  string
	required bool
	aliases  []string
	help     string // shown as the template's second-sheet notes
}

// Columns lists the sheet's columns in template order.
var columns = []column{
	{"sku", "SKU", true, []string{"kode", "kode produk", "kode barang"}, "Kode produk Anda sendiri, unik per usaha: huruf, angka, . / _ -"},
	{"name", "Nama", true, []string{"nama produk", "nama barang"}, "3–150 karakter"},
	{"description", "Deskripsi", true, []string{"keterangan", "uraian"}, "Penjelasan produk"},
	{"category", "Kategori", true, []string{"kode kategori"}, "Kode kategori tingkat tiga dari lembar Kategori, misalnya 01.01.01"},
	{"unit", "Satuan", true, []string{"satuan barang"}, "Kode satuan dari lembar Satuan, misalnya rim"},
	{"price", "Harga", true, []string{"harga satuan", "harga sebelum ppn"}, "Rupiah per satuan sebelum PPN, tanpa desimal"},
	{"min_order", "Minimal pembelian", false, []string{"minimal", "min order", "minimum"}, "Bilangan bulat, kosong berarti 1"},
	{"stock", "Stok", false, []string{"persediaan"}, "Bilangan bulat, kosong berarti 0"},
	{"pdn", "PDN", false, []string{"produk dalam negeri"}, "ya atau tidak"},
	{"tkdn", "TKDN (%)", false, []string{"tkdn", "persentase tkdn"}, "Persentase, misalnya 43,57; kosong bila tidak ada"},
	{"tkdn_certificate", "Sertifikat TKDN", false, []string{"nomor sertifikat tkdn"}, "Wajib bila TKDN diisi"},
	{"sni", "SNI", false, []string{"nomor sni"}, "Bila relevan"},
	{"brand", "Merek", false, []string{"merk"}, ""},
	{"specs", "Spesifikasi", false, []string{"spesifikasi teknis"}, "Pasangan nama: isi dipisah titik koma, misalnya Ukuran: A4; Gramatur: 70 gsm"},
	{"public_price", "Harga umum", false, []string{"harga di luar", "harga pasar"}, "Harga yang Anda pasang di luar belanja pemerintah; harga di atas tidak boleh lebih tinggi"},
	{"public_price_url", "Tautan harga umum", false, []string{"link harga umum", "url harga umum"}, "Alamat web yang menunjukkan harga umum"},
}

func headingKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var byHeading = func() map[string]string {
	m := map[string]string{}
	for _, c := range columns {
		m[headingKey(c.heading)] = c.field
		m[headingKey(c.field)] = c.field
		for _, a := range c.aliases {
			m[headingKey(a)] = c.field
		}
	}
	return m
}()

func fileError(msg string) error { return market.Invalid("file", msg) }

// Parse reads a sheet by its content, never its name: a ZIP container is read as XLSX,
// anything else as CSV. Errors are CodeInvalid for field "file" (an empty, unreadable or
// oversized file, a missing required column, too many rows) with an Indonesian message; problems
// of single rows are in the rows instead.
func Parse(data []byte) ([]store.ImportRow, error) {
	switch {
	case len(data) == 0:
		return nil, fileError("Berkas kosong.")
	case len(data) > MaxFileSize:
		return nil, fileError(fmt.Sprintf("Berkas terlalu besar (maksimal %d MB).", MaxFileSize>>20))
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return ParseXLSX(data)
	}
	return ParseCSV(data)
}

// ParseCSV reads a CSV sheet: UTF-8 (with or without a byte-order mark), separated by commas or
// semicolons (as Excel writes it with Indonesian settings), the first non-empty line holding the
// headings. Errors: as Parse.
func ParseCSV(data []byte) ([]store.ImportRow, error) {
	recs, lines, err := csvRecords(data, store.MaxImportRows+1, tooMany())
	if err != nil {
		return nil, err
	}
	return readTable(recs, lines)
}

func tooMany() error {
	return fileError(fmt.Sprintf("Berkas berisi lebih dari %d baris produk; bagi menjadi beberapa berkas.", store.MaxImportRows))
}

// ParseXLSX reads the first worksheet (or the one named "Produk") of an XLSX workbook, the
// first non-empty row holding the headings. Cell values are read as stored, not as displayed.
// Errors: as Parse.
func ParseXLSX(data []byte) (rows []store.ImportRow, err error) {
	if len(data) > MaxFileSize {
		return nil, fileError(fmt.Sprintf("Berkas terlalu besar (maksimal %d MB).", MaxFileSize>>20))
	}
	defer func() {
		// A malformed workbook must not take the server down; excelize is not fuzzed for it.
		if r := recover(); r != nil {
			rows, err = nil, fileError("Berkas XLSX rusak atau tidak dapat dibaca.")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		return nil, fileError("Berkas XLSX rusak atau tidak dapat dibaca.")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError("Berkas XLSX tidak berisi lembar kerja.")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if strings.EqualFold(s, templateSheet) {
			sheet = s
		}
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, fileError("Berkas XLSX rusak atau tidak dapat dibaca.")
	}
	defer it.Close()
	var recs [][]string
	var lines []int
	for line := 1; it.Next(); line++ {
		rec, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fileError(fmt.Sprintf("Baris %d berkas XLSX tidak dapat dibaca.", line))
		}
		if len(rec) > maxColumns {
			rec = rec[:maxColumns]
		}
		recs = append(recs, rec)
		lines = append(lines, line)
		if len(recs) > store.MaxImportRows+1 {
			return nil, tooMany()
		}
	}
	if err := it.Error(); err != nil {
		return nil, fileError("Berkas XLSX rusak atau tidak dapat dibaca.")
	}
	return readTable(recs, lines)
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readTable turns records (with their line numbers) into rows: the first non-empty record
// holds the headings, blank records are skipped.
func readTable(recs [][]string, lines []int) ([]store.ImportRow, error) {
	h := 0
	for h < len(recs) && blank(recs[h]) {
		h++
	}
	if h == len(recs) {
		return nil, fileError("Berkas tidak berisi judul kolom maupun produk.")
	}
	index := map[string]int{}
	for i, name := range recs[h] {
		if i >= maxColumns {
			break
		}
		if field, ok := byHeading[headingKey(name)]; ok {
			if _, dup := index[field]; !dup {
				index[field] = i
			}
		}
	}
	var missing []string
	for _, c := range columns {
		if _, ok := index[c.field]; c.required && !ok {
			missing = append(missing, c.heading)
		}
	}
	if len(missing) > 0 {
		return nil, fileError(fmt.Sprintf("Baris %d harus berisi judul kolom; kolom %s tidak ada. Gunakan templat XLSX dari halaman impor.", lines[h], strings.Join(missing, ", ")))
	}
	var out []store.ImportRow
	for i := h + 1; i < len(recs); i++ {
		if blank(recs[i]) {
			continue
		}
		cell := func(field string) string {
			j, ok := index[field]
			if !ok || j >= len(recs[i]) {
				return ""
			}
			return strings.TrimSpace(recs[i][j])
		}
		out = append(out, readRow(lines[i], cell))
	}
	if len(out) == 0 {
		return nil, fileError("Berkas tidak berisi baris produk di bawah judul kolom.")
	}
	if len(out) > store.MaxImportRows {
		return nil, tooMany()
	}
	return out, nil
}

// readRow reads one row's cells into a listing, noting cells that cannot be read.
func readRow(line int, cell func(string) string) store.ImportRow {
	row := store.ImportRow{Line: line, Errors: map[string]string{}}
	for _, c := range columns {
		if utf8.RuneCountInString(cell(c.field)) > MaxCellRunes {
			row.Errors[c.field] = fmt.Sprintf("Isi sel terlalu panjang (maksimal %d karakter).", MaxCellRunes)
		}
	}
	p := &row.Product
	p.SKU, p.Name, p.Description = cell("sku"), cell("name"), cell("description")
	p.CategoryCode, p.Unit = categoryCode(cell("category")), cell("unit")
	p.TKDNCertificate, p.SNI, p.Brand, p.PublicPriceURL = cell("tkdn_certificate"), cell("sni"), cell("brand"), cell("public_price_url")
	var err string
	if v := cell("price"); v == "" {
		row.Errors["price"] = "Harga wajib diisi."
	} else if p.Price, err = parsePrice(v); err != "" {
		row.Errors["price"] = err
	}
	if v := cell("public_price"); v != "" {
		if p.PublicPrice, err = parsePrice(v); err != "" {
			row.Errors["public_price"] = err
		}
	}
	p.MinOrder = 1
	if v := cell("min_order"); v != "" {
		if p.MinOrder, err = parseCount(v); err != "" {
			row.Errors["min_order"] = err
		}
	}
	if v := cell("stock"); v != "" {
		if p.Stock, err = parseCount(v); err != "" {
			row.Errors["stock"] = err
		}
	}
	switch strings.ToLower(cell("pdn")) {
	case "", "tidak", "t", "n", "no", "false", "0", "bukan":
	case "ya", "y", "yes", "true", "1", "iya":
		p.PDN = true
	default:
		row.Errors["pdn"] = "Isi PDN dengan ya atau tidak."
	}
	if v := cell("tkdn"); v != "" {
		tkdn, perr := parseTKDN(v)
		if perr != nil {
			row.Errors["tkdn"] = perr.(*market.Error).Message
		}
		p.TKDN = tkdn
	}
	specs, serr := parseSpecs(cell("specs"))
	if serr != "" {
		row.Errors["specs"] = serr
	}
	p.Specs = specs
	if len(row.Errors) == 0 {
		row.Errors = nil
	}
	return row
}

// categoryCode takes the code from a cell such as "01.01.01" or "01.01.01 Kertas HVS".
func categoryCode(v string) string {
	code, _, _ := strings.Cut(strings.TrimSpace(v), " ")
	return strings.TrimSuffix(code, ",")
}

// parsePrice reads a product price cell with market.ParseRupiah ("55000", "55.000",
// "Rp 55.000,00", and the raw "55000" an XLSX number cell holds); the price's bounds are the
// listing's own check (market.Product), so a large price is not refused here with a message
// about its writing.
func parsePrice(v string) (market.Rupiah, string) {
	const bad = "Harga harus angka rupiah tanpa desimal, misalnya 55000 atau 55.000."
	return market.ParseRupiahField(v, bad)
}

// parseCount reads a whole non-negative quantity ("1.000" and "1000.0" included).
func parseCount(v string) (int64, string) {
	r, err := market.ParseRupiah(v)
	if err != nil {
		return 0, "Isi dengan bilangan bulat, misalnya 10."
	}
	return int64(r), ""
}

// parseTKDN reads a percentage; a fraction such as 0.4357 from a percent-formatted XLSX cell
// counts as 43,57%.
func parseTKDN(v string) (market.BasisPoints, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f < 1 && strings.Contains(v, ".") {
		return market.BasisPoints(f*10000 + 0.5), nil
	}
	return market.ParsePercent(v)
}

// parseSpecs reads "Ukuran: A4; Gramatur: 70 gsm" (or one pair per line).
func parseSpecs(v string) ([]market.Spec, string) {
	if strings.TrimSpace(v) == "" {
		return nil, ""
	}
	var out []market.Spec
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '\n' }) {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, val, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Sprintf("Tulis spesifikasi sebagai nama: isi, dipisah titik koma (bagian %q tidak punya titik dua).", strings.TrimSpace(part))
		}
		out = append(out, market.Spec{Key: strings.TrimSpace(k), Value: strings.TrimSpace(val)})
	}
	return out, ""
}

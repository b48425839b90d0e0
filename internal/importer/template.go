package importer

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"bela/internal/market"
)

// Sheet names of the template.
const (
	templateSheet = "Produk"
	categorySheet = "Kategori"
	unitSheet     = "Satuan"
	helpSheet     = "Petunjuk"
)

// exampleRow is the template's sample listing, a row sellers overwrite.
var exampleRow = []any{
	"HVS-A4-70", "Kertas HVS A4 70 gsm", "Kertas fotokopi putih, 500 lembar per rim.", "01.01.01", "rim",
	55000, 1, 100, "ya", "", "", "", "Sinar Dunia", "Ukuran: A4; Gramatur: 70 gsm", 60000, "",
}

// Template writes the XLSX import template: a "Produk" sheet with the headings and one example
// row (with drop-down lists for the category and unit columns), a "Kategori" sheet listing every
// leaf category with its KBLI codes, a "Satuan" sheet of units, and a "Petunjuk" sheet explaining
// each column. Errors come from writing to w.
func Template(w io.Writer, tree *market.CategoryTree) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", templateSheet); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	var head []any
	for _, c := range columns {
		head = append(head, c.heading)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEEE6"}}})
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	steps := []func() error{
		func() error { return f.SetSheetRow(templateSheet, "A1", &head) },
		func() error { return f.SetSheetRow(templateSheet, "A2", &exampleRow) },
		func() error { return f.SetRowStyle(templateSheet, 1, 1, bold) },
		func() error { return f.SetColWidth(templateSheet, "A", "P", 18) },
		func() error { return f.SetColWidth(templateSheet, "B", "C", 36) },
		func() error {
			return f.SetPanes(templateSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("template: %w", err)
		}
	}
	// Categories: leaf code, path, kind, KBLI codes.
	if _, err := f.NewSheet(categorySheet); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	rows := [][]any{{"Kode", "Kategori", "Jenis", "KBLI yang boleh menjual"}}
	for _, c := range tree.Leaves() {
		rows = append(rows, []any{c.Code, tree.PathName(c.Code), c.Kind.Label(), strings.Join(c.KBLI, ", ")})
	}
	if err := writeRows(f, categorySheet, rows, bold); err != nil {
		return err
	}
	if _, err := f.NewSheet(unitSheet); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	rows = [][]any{{"Kode", "Nama"}}
	for _, u := range market.Units {
		rows = append(rows, []any{u.Code, u.Name})
	}
	if err := writeRows(f, unitSheet, rows, bold); err != nil {
		return err
	}
	if _, err := f.NewSheet(helpSheet); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	rows = [][]any{{"Kolom", "Wajib", "Cara mengisi"}}
	for _, c := range columns {
		req := "tidak"
		if c.required {
			req = "ya"
		}
		rows = append(rows, []any{c.heading, req, c.help})
	}
	rows = append(rows, []any{}, []any{"Satu baris satu produk. SKU yang sudah ada memperbarui produk itu; SKU baru membuat draf baru. Setelah diunggah, periksa pratinjau lalu konfirmasi."})
	if err := writeRows(f, helpSheet, rows, bold); err != nil {
		return err
	}
	for _, dv := range []struct{ col, list string }{
		{"D", fmt.Sprintf("%s!$A$2:$A$%d", categorySheet, len(tree.Leaves())+1)},
		{"E", fmt.Sprintf("%s!$A$2:$A$%d", unitSheet, len(market.Units)+1)},
	} {
		v := excelize.NewDataValidation(true)
		v.Sqref = fmt.Sprintf("%s2:%s%d", dv.col, dv.col, 2001)
		v.SetSqrefDropList(dv.list)
		if err := f.AddDataValidation(templateSheet, v); err != nil {
			return fmt.Errorf("template: %w", err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	return nil
}

func writeRows(f *excelize.File, sheet string, rows [][]any, headStyle int) error {
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return fmt.Errorf("template: %w", err)
		}
	}
	if err := f.SetRowStyle(sheet, 1, 1, headStyle); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	return f.SetColWidth(sheet, "A", "D", 24)
}

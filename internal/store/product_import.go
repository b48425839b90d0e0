package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"bela/internal/market"
)

// ImportRow is one row of a bulk product sheet as a reader parsed it: its line number in the
// file, the listing, and the problems the reader already found (a price that is not a number,
// say) by field name.
type ImportRow struct {
	Line    int
	Product market.Product
	Errors  map[string]string
}

// ImportAction is what importing a row does.
type ImportAction string

// The import actions.
const (
	ImportCreate    ImportAction = "create"    // a new draft listing
	ImportUpdate    ImportAction = "update"    // the listing with this SKU changes in place
	ImportRevision  ImportAction = "revision"  // an approved listing gets a revision for the curator
	ImportUnchanged ImportAction = "unchanged" // the listing already reads like the row
	ImportInvalid   ImportAction = "invalid"   // the row cannot be applied; Problems says why
)

// Label returns the Indonesian name of the action.
func (a ImportAction) Label() string {
	switch a {
	case ImportCreate:
		return "Dibuat"
	case ImportUpdate:
		return "Diperbarui"
	case ImportRevision:
		return "Perubahan menunggu kurasi"
	case ImportUnchanged:
		return "Tidak berubah"
	case ImportInvalid:
		return "Tidak valid"
	}
	return string(a)
}

// ImportResult is the outcome of one row.
type ImportResult struct {
	Line      int
	SKU       string
	Name      string
	Action    ImportAction
	Problems  []string // "field: message" in Indonesian, sorted; only for invalid rows
	ProductID int64    // the listing updated or created (after ApplyImport)
}

// ImportReport is the outcome of a whole sheet.
type ImportReport struct {
	Rows    []ImportResult
	Counts  map[ImportAction]int
	Applied bool // false for a preview
}

// MaxImportRows is how many rows one sheet may have.
const MaxImportRows = 2000

// fieldLabels are the Indonesian names of the listing fields in import problems; they match
// the column headings of the import template.
var fieldLabels = map[string]string{
	"sku": "SKU", "name": "Nama", "description": "Deskripsi", "category": "Kategori", "unit": "Satuan",
	"price": "Harga", "min_order": "Minimal pembelian", "stock": "Stok", "pdn": "PDN", "tkdn": "TKDN",
	"tkdn_certificate": "Sertifikat TKDN", "sni": "SNI", "brand": "Merek", "specs": "Spesifikasi",
	"public_price": "Harga umum", "public_price_url": "Tautan harga umum", "row": "Baris",
}

// problems turns field messages into sorted "Kolom: pesan" lines.
func problems(fields map[string]string) []string {
	var out []string
	for f, m := range fields {
		label := fieldLabels[f]
		if label == "" {
			label = f
		}
		out = append(out, label+": "+m)
	}
	sort.Strings(out)
	return out
}

// planRow decides what a row does against the seller's listings (bySKU), without writing.
func (s *Store) planRow(row ImportRow, f sellerFacts, bySKU map[string]Product, seen map[string]int) (ImportResult, market.Product) {
	res := ImportResult{Line: row.Line, SKU: strings.TrimSpace(row.Product.SKU), Name: strings.TrimSpace(row.Product.Name)}
	fields := map[string]string{}
	for k, v := range row.Errors {
		fields[k] = v
	}
	p, err := s.normalize(row.Product, f)
	var me *market.Error
	if err != nil && errors.As(err, &me) {
		for k, v := range me.Fields {
			if _, ok := fields[k]; !ok {
				fields[k] = v
			}
		}
	} else if err != nil {
		fields["row"] = err.Error()
	}
	if prev, dup := seen[strings.ToLower(res.SKU)]; dup && res.SKU != "" {
		fields["sku"] = fmt.Sprintf("SKU %s sudah dipakai di baris %d berkas ini.", res.SKU, prev)
	} else if res.SKU != "" {
		seen[strings.ToLower(res.SKU)] = row.Line
	}
	if len(fields) > 0 {
		res.Action, res.Problems = ImportInvalid, problems(fields)
		return res, market.Product{}
	}
	old, exists := bySKU[p.SKU]
	if !exists {
		res.Action = ImportCreate
		return res, p
	}
	res.ProductID = old.ID
	mode, changed, err := market.PlanProductEdit(old.Status, old.Product, p)
	switch {
	case err != nil:
		res.Action, res.Problems = ImportInvalid, []string{"SKU: " + errMessage(err)}
	case len(changed) == 0 && old.Stock == p.Stock && old.MinOrder == p.MinOrder:
		res.Action = ImportUnchanged
	case mode == market.EditRevision:
		res.Action = ImportRevision
	default:
		res.Action = ImportUpdate
	}
	return res, p
}

func errMessage(err error) string {
	var me *market.Error
	if errors.As(err, &me) {
		return me.Message
	}
	return err.Error()
}

// importState loads what planning needs: the seller's facts and listings by SKU.
func (s *Store) importState(ctx context.Context, sellerID int64, rows []ImportRow) (sellerFacts, map[string]Product, error) {
	if len(rows) > MaxImportRows {
		return sellerFacts{}, nil, market.Invalid("file", fmt.Sprintf("Berkas berisi %d baris; paling banyak %d baris sekali unggah.", len(rows), MaxImportRows))
	}
	f, err := s.sellerFacts(ctx, s.q(ctx), sellerID)
	if err != nil {
		return f, nil, err
	}
	ps, err := s.listProducts(ctx, `p.seller_id = $1`, `p.id`, sellerID)
	if err != nil {
		return f, nil, err
	}
	bySKU := map[string]Product{}
	for _, p := range ps {
		bySKU[p.SKU] = p
	}
	return f, bySKU, nil
}

// PreviewImport says, row by row, what importing the sheet into a seller's listings would do,
// without writing anything. Errors: ErrNotFound for an unknown seller; CodeInvalid for field
// "file" when the sheet has more than MaxImportRows rows.
func (s *Store) PreviewImport(ctx context.Context, sellerID int64, rows []ImportRow) (ImportReport, error) {
	rep := ImportReport{Counts: map[ImportAction]int{}}
	f, bySKU, err := s.importState(ctx, sellerID, rows)
	if err != nil {
		return rep, err
	}
	seen := map[string]int{}
	for _, row := range rows {
		res, _ := s.planRow(row, f, bySKU, seen)
		rep.Rows = append(rep.Rows, res)
		rep.Counts[res.Action]++
	}
	return rep, nil
}

// ApplyImport imports a sheet into a seller's listings: new SKUs become draft listings, known
// ones are updated as UpdateProduct would (an approved listing gets a revision), matched by SKU
// so that importing a corrected sheet again updates instead of duplicating. Each row is its
// own transaction with its own audit event: it is applied entirely or not at all, and an
// invalid row does not stop the others. Errors: as PreviewImport; a database failure stops the
// import after the rows already applied (the report is then not returned).
func (s *Store) ApplyImport(ctx context.Context, a Actor, sellerID int64, rows []ImportRow) (ImportReport, error) {
	rep := ImportReport{Counts: map[ImportAction]int{}, Applied: true}
	f, bySKU, err := s.importState(ctx, sellerID, rows)
	if err != nil {
		return rep, err
	}
	seen := map[string]int{}
	for _, row := range rows {
		res, p := s.planRow(row, f, bySKU, seen)
		switch res.Action {
		case ImportCreate:
			err = s.inTx(ctx, func(tx *Tx) error {
				created, err := tx.createProduct(ctx, a, sellerID, p)
				res.ProductID = created.ID
				return err
			})
		case ImportUpdate, ImportRevision:
			err = s.inTx(ctx, func(tx *Tx) error {
				_, err := tx.updateProduct(ctx, a, sellerID, res.ProductID, p)
				return err
			})
		}
		if err != nil {
			if market.ErrorCode(err) == market.CodeInternal || market.ErrorCode(err) == market.CodeUnavailable {
				return rep, fmt.Errorf("import line %d: %w", row.Line, err)
			}
			var me *market.Error
			errors.As(err, &me)
			res.Action, res.Problems, res.ProductID = ImportInvalid, problems(me.Fields), 0
			if len(res.Problems) == 0 {
				res.Problems = []string{"Baris: " + me.Message}
			}
			err = nil
		}
		rep.Rows = append(rep.Rows, res)
		rep.Counts[res.Action]++
	}
	return rep, nil
}

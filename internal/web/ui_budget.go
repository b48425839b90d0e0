package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"bela/internal/importer"
	"bela/internal/market"
	"bela/internal/store"
)

// unitOfficials are the roles of a work unit's own officials; with auditors and platform admins
// they may read the unit's budget and orders.
var unitOfficials = roles(market.RoleBuyer, market.RoleApprover, market.RoleReceiver, market.RoleTreasurer, market.RoleUnitAdmin)

// budgetImportMaxBody is the request limit of the budget import routes: the sheet, or on
// confirmation its base64 copy, with room for the form's other fields.
const budgetImportMaxBody = importer.MaxBudgetFileSize*2 + 64<<10

// unitChoice resolves the unit a page is about: the "unit" value of the query or form when p
// may see that unit, else p's first unit among roles (or any unit for auditors and admins).
// It returns the chosen unit (zero when none) and the units p may choose from. A unit named
// but not visible is CodeNotFound.
func (s *Server) unitChoice(r *http.Request, p *market.Principal, rs ...market.Role) (store.Unit, []store.Unit, error) {
	all, err := s.store.ListUnits(r.Context())
	if err != nil {
		return store.Unit{}, nil, err
	}
	var mine []store.Unit
	ids := p.UnitIDs(rs...)
	for _, u := range all {
		if p.SeesEverything() || slices.Contains(ids, u.ID) {
			mine = append(mine, u)
		}
	}
	v := r.FormValue("unit")
	if v == "" {
		if len(ids) > 0 {
			for _, u := range mine {
				if u.ID == ids[0] {
					return u, mine, nil
				}
			}
		}
		return store.Unit{}, mine, nil
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	for _, u := range mine {
		if u.ID == id {
			return u, mine, nil
		}
	}
	return store.Unit{}, mine, market.NotFound("Satuan kerja")
}

// budgetForm is what the unit admin typed for a new budget line.
type budgetForm struct {
	FiscalYear, KodeRUP, AccountCode, Name, FundingSource, Ceiling string
}

func (f budgetForm) input() (store.BudgetInput, market.FieldErrors) {
	fe := market.FieldErrors{}
	in := store.BudgetInput{KodeRUP: f.KodeRUP, AccountCode: f.AccountCode, Name: f.Name, FundingSource: f.FundingSource}
	y, err := strconv.Atoi(strings.TrimSpace(f.FiscalYear))
	if err != nil {
		fe.Add("fiscal_year", "Tahun anggaran harus angka empat digit, misalnya 2026.")
	}
	in.FiscalYear = y
	const notNumber = "Pagu harus angka rupiah tanpa desimal, misalnya 150.000.000."
	if c, msg := market.ParseRupiahField(f.Ceiling, notNumber); msg == "" {
		in.Ceiling = c
	} else {
		fe.Add("ceiling", msg)
	}
	return in, fe
}

// parseRupiahField reads a whole rupiah amount typed in a form with market.ParseRupiah (its
// rules: "1.250.000", "Rp 1.250.000,00"; decimals that are not zero refused). Empty is not a
// number. Forms that show the parser's own message use market.ParseRupiahField instead.
func parseRupiahField(v string) (market.Rupiah, bool) {
	n, err := market.ParseRupiah(v)
	return n, err == nil
}

// budgetPage is the unit's budget and dashboard: lines with their amounts, available money,
// the room left under the cap and the split window, and (for its admins) the new-line form.
type budgetPage struct {
	Base
	Unit      store.Unit
	Units     []store.Unit
	Dash      store.UnitDashboard
	Lines     []market.BudgetLine // every year, for the full list
	CanManage bool
	Form      budgetForm
	Fields    map[string]string
	Error     string
}

func (s *Server) renderBudget(w http.ResponseWriter, r *http.Request, status int, d *budgetPage) error {
	if d.Unit.ID != 0 {
		var err error
		if d.Dash, err = s.store.UnitDashboard(r.Context(), d.P, d.Unit.ID); err != nil {
			return err
		}
		if d.Lines, err = s.store.ListBudgetLines(r.Context(), d.P, d.Unit.ID, 0); err != nil {
			return err
		}
		d.CanManage = d.P.InUnit(d.Unit.ID, market.RoleUnitAdmin) || d.P.Has(market.RoleAdmin)
		if d.Form.FiscalYear == "" {
			d.Form.FiscalYear = strconv.Itoa(d.Dash.FiscalYear)
		}
	}
	return s.render(w, status, "budget_lines", d)
}

// budget shows the unit's budget lines and dashboard (GET /anggaran?unit=…).
func (s *Server) budget(w http.ResponseWriter, r *http.Request) error {
	d := &budgetPage{Base: s.newBase(r, "budget.title")}
	var err error
	if d.Unit, d.Units, err = s.unitChoice(r, d.P, unitOfficials...); err != nil {
		return err
	}
	return s.renderBudget(w, r, http.StatusOK, d)
}

// createBudgetLine adds one budget line (POST /anggaran), keeping the typed values on errors.
func (s *Server) createBudgetLine(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d := &budgetPage{Base: s.newBase(r, "budget.title"), Form: budgetForm{
		FiscalYear: r.PostFormValue("fiscal_year"), KodeRUP: r.PostFormValue("kode_rup"), AccountCode: r.PostFormValue("account_code"),
		Name: r.PostFormValue("name"), FundingSource: r.PostFormValue("funding_source"), Ceiling: r.PostFormValue("ceiling")}}
	var err error
	if d.Unit, d.Units, err = s.unitChoice(r, d.P, budgetManagers...); err != nil {
		return err
	}
	if d.Unit.ID == 0 {
		return market.Invalid("unit", "Pilih unit kerja.")
	}
	in, fe := d.Form.input()
	if len(fe) > 0 {
		// Show every field's problem at once, not only the numbers that did not parse.
		b := market.BudgetLine{UnitID: d.Unit.ID, FiscalYear: in.FiscalYear, KodeRUP: strings.TrimSpace(in.KodeRUP),
			AccountCode: strings.TrimSpace(in.AccountCode), Name: in.Name, FundingSource: in.FundingSource, Ceiling: max(in.Ceiling, 1)}
		var me *market.Error
		if errors.As(b.Validate(), &me) {
			for k, v := range me.Fields {
				if _, ok := fe[k]; !ok {
					fe.Add(k, v)
				}
			}
		}
		err = fe.Err()
	} else {
		_, err = s.store.CreateBudgetLine(r.Context(), d.P, d.Unit.ID, in)
	}
	if err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		d.Fields, d.Error = fields, msg
		return s.renderBudget(w, r, statusOf(asCoded(err).Code), d)
	}
	http.Redirect(w, r, "/anggaran?ok=budget.created&unit="+strconv.FormatInt(d.Unit.ID, 10), http.StatusSeeOther)
	return nil
}

// budgetPreviewRow is one row of an import preview: the parsed line and what importing does.
type budgetPreviewRow struct {
	importer.BudgetRow
	Action   string
	Problems []string
}

// budgetImportPage is the import form, its preview (with line numbers and reasons) and the result.
type budgetImportPage struct {
	Base
	Unit     store.Unit
	Headings []string
	Rows     []budgetPreviewRow
	Counts   map[string]int
	Sheet    string // base64 of the previewed file, posted back to confirm
	Applied  bool
	Fields   map[string]string
	Error    string
}

// budgetImportForm shows the upload form (GET /anggaran/impor?unit=…).
func (s *Server) budgetImportForm(w http.ResponseWriter, r *http.Request) error {
	d := &budgetImportPage{Base: s.newBase(r, "budget.import"), Headings: importer.BudgetHeadings()}
	var err error
	if d.Unit, _, err = s.unitChoice(r, d.P, budgetManagers...); err != nil {
		return err
	}
	if d.Unit.ID == 0 {
		http.Redirect(w, r, "/anggaran", http.StatusSeeOther)
		return nil
	}
	if !d.P.InUnit(d.Unit.ID, market.RoleUnitAdmin) && !d.P.Has(market.RoleAdmin) {
		return market.NotFound("Satuan kerja")
	}
	return s.render(w, http.StatusOK, "budget_import", d)
}

// budgetImport previews (POST /anggaran/impor, with the file) or applies (POST
// /anggaran/impor/konfirmasi, with the previewed file's copy) a budget sheet. Nothing is stored
// unless every row is valid.
func (s *Server) budgetImport(confirm bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		d := &budgetImportPage{Base: s.newBase(r, "budget.import"), Headings: importer.BudgetHeadings()}
		var data []byte
		var err error
		if confirm {
			if err = r.ParseForm(); err != nil {
				return err
			}
			data, err = base64.StdEncoding.DecodeString(r.PostFormValue("sheet"))
			if err != nil {
				err = market.Invalid("file", "Salinan berkas rusak; unggah ulang berkasnya.")
			}
		} else {
			data, err = readUpload(r, "file")
			if market.ErrorCode(err) == market.CodeTooLarge {
				// readUpload names the product upload limit; this route's is the sheet's.
				msg := fmt.Sprintf("Berkas terlalu besar (maksimal %d KB).", importer.MaxBudgetFileSize>>10)
				err = &market.Error{Code: market.CodeTooLarge, Message: msg, Fields: map[string]string{"file": msg}}
			}
		}
		// An upload that failed to parse leaves only the query's values: the form posts the
		// unit in its address too, so that the error comes back on the same unit's form.
		if d.Unit, _, _ = s.unitChoice(r, d.P, budgetManagers...); d.Unit.ID == 0 {
			return market.NotFound("Satuan kerja")
		}
		if !d.P.InUnit(d.Unit.ID, market.RoleUnitAdmin) && !d.P.Has(market.RoleAdmin) {
			return market.NotFound("Satuan kerja")
		}
		var rows []importer.BudgetRow
		if err == nil {
			rows, err = importer.ParseBudget(data)
		}
		if err != nil {
			fields, msg, ok := formError(r, err)
			if e := asCoded(err); e.Code == market.CodeTooLarge {
				fields, msg, ok = sayFields(d.Lang, e.Fields), sayError(d.Lang, e.Message), true
			}
			if !ok {
				return err
			}
			d.Fields, d.Error = fields, msg
			return s.render(w, statusOf(asCoded(err).Code), "budget_import", d)
		}
		err = s.previewBudget(r, d, rows, confirm)
		status := http.StatusOK
		if err != nil {
			if _, msg, ok := formError(r, err); ok {
				d.Error, status = msg, statusOf(asCoded(err).Code)
			} else {
				return err
			}
		}
		if !d.Applied && d.Error == "" {
			d.Sheet = base64.StdEncoding.EncodeToString(data)
		}
		return s.render(w, status, "budget_import", d)
	}
}

// previewBudget fills the preview rows: cells that could not be read make a row invalid without
// asking the store; the rest go through the store's dry run (or the real import on confirm).
func (s *Server) previewBudget(r *http.Request, d *budgetImportPage, rows []importer.BudgetRow, apply bool) error {
	d.Counts = map[string]int{}
	var good []store.BudgetImportRow
	for _, row := range rows {
		if len(row.Errors) == 0 {
			good = append(good, row.BudgetImportRow)
		}
	}
	results := map[int]store.BudgetImportResult{}
	var storeErr error
	if len(good) > 0 {
		res, err := s.store.ImportBudgetLines(r.Context(), d.P, d.Unit.ID, good, !apply || len(good) < len(rows))
		if err != nil && res == nil {
			return err
		}
		storeErr = err
		for _, x := range res {
			results[x.Line] = x
		}
	}
	for _, row := range rows {
		pr := budgetPreviewRow{BudgetRow: row, Action: "invalid"}
		fields := row.Errors
		if x, ok := results[row.Line]; ok && len(row.Errors) == 0 {
			pr.Action, fields = x.Action, x.Fields
		}
		for _, c := range []string{"fiscal_year", "kode_rup", "account_code", "name", "funding_source", "ceiling"} {
			if msg, ok := fields[c]; ok {
				pr.Problems = append(pr.Problems, sayError(d.Lang, msg))
			}
		}
		d.Counts[pr.Action]++
		d.Rows = append(d.Rows, pr)
	}
	if d.Counts["invalid"] > 0 {
		return &market.Error{Code: market.CodeInvalid, Message: translate(d.Lang, "budget.importinvalid")}
	}
	if storeErr != nil {
		return storeErr
	}
	d.Applied = apply
	return nil
}

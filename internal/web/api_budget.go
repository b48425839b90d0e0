package web

import (
	"fmt"
	"net/http"
	"strconv"

	"bela/internal/market"
	"bela/internal/store"
)

// Role groups of the budget API: a unit's officials read its budget; its admin (and platform
// admins) change it. The store checks that the unit is the principal's.
var (
	budgetReaders  = roles(market.RoleBuyer, market.RoleApprover, market.RoleReceiver, market.RoleTreasurer, market.RoleUnitAdmin, market.RoleAdmin, market.RoleAuditor)
	budgetManagers = roles(market.RoleUnitAdmin, market.RoleAdmin)
)

// budgetLineJSON is a budget line with its available amount.
type budgetLineJSON struct {
	market.BudgetLine
	Available market.Rupiah `json:"available"`
}

func budgetJSON(b market.BudgetLine) budgetLineJSON {
	return budgetLineJSON{BudgetLine: b, Available: b.Available()}
}

func (s *Server) apiListBudgetLines(w http.ResponseWriter, r *http.Request) error {
	unitID, err := pathID(r, "id")
	if err != nil {
		return err
	}
	year := 0
	if v := r.URL.Query().Get("fiscal_year"); v != "" {
		if year, err = strconv.Atoi(v); err != nil || year < 2000 || year > 2100 {
			return market.Invalid("fiscal_year", "Tahun anggaran harus antara 2000 dan 2100.")
		}
	}
	lines, err := s.store.ListBudgetLines(r.Context(), principal(r), unitID, year)
	if err != nil {
		return err
	}
	out := make([]budgetLineJSON, len(lines))
	for i, b := range lines {
		out[i] = budgetJSON(b)
	}
	writeJSON(w, http.StatusOK, map[string]any{"budget_lines": out})
	return nil
}

func (s *Server) apiCreateBudgetLine(w http.ResponseWriter, r *http.Request) error {
	unitID, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in store.BudgetInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	b, err := s.store.CreateBudgetLine(r.Context(), principal(r), unitID, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, budgetJSON(b))
	return nil
}

type budgetImportRow struct {
	Line int `json:"line"`
	store.BudgetInput
}

type budgetImportRequest struct {
	DryRun bool              `json:"dry_run"`
	Rows   []budgetImportRow `json:"rows"`
}

type budgetImportResult struct {
	Line   int               `json:"line"`
	Action string            `json:"action"`
	ID     int64             `json:"id,omitempty"`
	Fields map[string]string `json:"fields,omitempty"`
}

func (s *Server) apiImportBudgetLines(w http.ResponseWriter, r *http.Request) error {
	unitID, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req budgetImportRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	rows := make([]store.BudgetImportRow, len(req.Rows))
	for i, row := range req.Rows {
		if row.Line == 0 {
			row.Line = i + 1
		}
		rows[i] = store.BudgetImportRow{Line: row.Line, BudgetInput: row.BudgetInput}
	}
	results, err := s.store.ImportBudgetLines(r.Context(), principal(r), unitID, rows, req.DryRun)
	if market.ErrorCode(err) == market.CodeInvalid && results != nil {
		// Name every invalid row's fields as rows.<line>.<field>.
		e := &market.Error{Code: market.CodeInvalid, Message: asCoded(err).Message, Fields: map[string]string{}}
		for _, res := range results {
			for f, msg := range res.Fields {
				e.Fields[fmt.Sprintf("rows.%d.%s", res.Line, f)] = msg
			}
		}
		return e
	}
	if err != nil {
		return err
	}
	out := make([]budgetImportResult, len(results))
	for i, res := range results {
		out[i] = budgetImportResult{Line: res.Line, Action: res.Action, ID: res.ID, Fields: res.Fields}
	}
	writeJSON(w, http.StatusOK, map[string]any{"dry_run": req.DryRun, "results": out})
	return nil
}

type roomJSON struct {
	SellerID     int64         `json:"seller_id,omitempty"`
	CategoryCode string        `json:"category_code,omitempty"`
	Name         string        `json:"name"`
	Used         market.Rupiah `json:"used"`
	Room         market.Rupiah `json:"room"`
}

type dashboardJSON struct {
	UnitID       int64            `json:"unit_id"`
	FiscalYear   int              `json:"fiscal_year"`
	Cap          market.Rupiah    `json:"cap"`
	SplitWindow  int              `json:"split_window_days"`
	Available    market.Rupiah    `json:"available"`
	Lines        []budgetLineJSON `json:"budget_lines"`
	SellerRoom   []roomJSON       `json:"seller_room"`
	CategoryRoom []roomJSON       `json:"category_room"`
}

func (s *Server) apiUnitDashboard(w http.ResponseWriter, r *http.Request) error {
	unitID, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.store.UnitDashboard(r.Context(), principal(r), unitID)
	if err != nil {
		return err
	}
	out := dashboardJSON{UnitID: d.UnitID, FiscalYear: d.FiscalYear, Cap: d.Policy.Cap, SplitWindow: d.Policy.SplitWindowDays,
		Available: d.Available, Lines: []budgetLineJSON{}, SellerRoom: []roomJSON{}, CategoryRoom: []roomJSON{}}
	for _, b := range d.Lines {
		out.Lines = append(out.Lines, budgetJSON(b))
	}
	for _, x := range d.SellerRoom {
		out.SellerRoom = append(out.SellerRoom, roomJSON{SellerID: x.SellerID, Name: x.Name, Used: x.Used, Room: x.Room})
	}
	for _, x := range d.CategoryRoom {
		out.CategoryRoom = append(out.CategoryRoom, roomJSON{CategoryCode: x.CategoryCode, Name: x.Name, Used: x.Used, Room: x.Room})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

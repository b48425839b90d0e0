package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"bela/internal/market"
)

// BudgetInput is what a unit admin enters, or an import row carries, for one budget line.
type BudgetInput struct {
	FiscalYear    int           `json:"fiscal_year"`
	KodeRUP       string        `json:"kode_rup"`
	AccountCode   string        `json:"account_code"`
	Name          string        `json:"name"`
	FundingSource string        `json:"funding_source"`
	Ceiling       market.Rupiah `json:"ceiling"`
}

func (in BudgetInput) line(unitID int64) market.BudgetLine {
	return market.BudgetLine{
		UnitID: unitID, FiscalYear: in.FiscalYear, KodeRUP: strings.TrimSpace(in.KodeRUP),
		AccountCode: strings.TrimSpace(in.AccountCode), Name: strings.TrimSpace(in.Name),
		FundingSource: strings.TrimSpace(in.FundingSource), Ceiling: in.Ceiling,
	}
}

// canManageBudget reports whether p may create or import budget lines of the unit: its unit
// admins and platform admins.
func canManageBudget(p *market.Principal, unitID int64) bool {
	return p.InUnit(unitID, market.RoleUnitAdmin) || p.Has(market.RoleAdmin)
}

// canSeeUnit reports whether p may read the unit's records: any official of the unit, auditors
// and platform admins.
func unitVisible(p *market.Principal, unitID int64) bool {
	return p.SeesEverything() || p.InUnit(unitID)
}

const budgetColumns = `id, unit_id, fiscal_year, kode_rup, account_code, name, funding_source, ceiling, reserved, committed, spent`

func scanBudget(sc rowScanner) (market.BudgetLine, error) {
	var b market.BudgetLine
	err := sc.Scan(&b.ID, &b.UnitID, &b.FiscalYear, &b.KodeRUP, &b.AccountCode, &b.Name, &b.FundingSource,
		&b.Ceiling, &b.Reserved, &b.Committed, &b.Spent)
	return b, err
}

// CreateBudgetLine adds a budget line (Kode RUP, kode rekening, name, funding source, ceiling)
// to a unit for a fiscal year. Errors: CodeNotFound when the unit is not visible to by,
// CodeForbidden unless by is the unit's admin or a platform admin, CodeInvalid for bad fields
// or a line with the same Kode RUP and account code in that year.
func (s *Store) CreateBudgetLine(ctx context.Context, by *market.Principal, unitID int64, in BudgetInput) (market.BudgetLine, error) {
	if !unitVisible(by, unitID) {
		return market.BudgetLine{}, market.NotFound("Satuan kerja")
	}
	if !canManageBudget(by, unitID) {
		return market.BudgetLine{}, market.Forbidden("Hanya Admin OPD unit ini yang dapat menambah baris anggaran.")
	}
	b := in.line(unitID)
	if err := b.Validate(); err != nil {
		return b, err
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		b.ID, err = tx.insertBudget(ctx, budgetActor(by, unitID), b)
		return err
	})
	return b, err
}

func budgetActor(p *market.Principal, unitID int64) Actor {
	if p.InUnit(unitID, market.RoleUnitAdmin) {
		return Actor{UserID: p.UserID, Role: market.RoleUnitAdmin}
	}
	return Actor{UserID: p.UserID, Role: market.RoleAdmin}
}

func (tx *Tx) insertBudget(ctx context.Context, a Actor, b market.BudgetLine) (int64, error) {
	id, err := tx.insertID(ctx, `INSERT INTO budget_lines (unit_id, fiscal_year, kode_rup, account_code, name, funding_source, ceiling, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
		b.UnitID, b.FiscalYear, b.KodeRUP, b.AccountCode, b.Name, b.FundingSource, b.Ceiling, micros(tx.now))
	if isUniqueViolation(err) {
		return 0, market.Invalid("kode_rup", fmt.Sprintf("Kode RUP %s dengan kode rekening %s sudah ada untuk tahun %d.", b.KodeRUP, b.AccountCode, b.FiscalYear))
	}
	if err != nil {
		return 0, fmt.Errorf("create budget line: %w", err)
	}
	return id, tx.Audit(ctx, a, "budget.create", "budget_line", id, map[string]market.Change{
		"unit_id": {After: b.UnitID}, "fiscal_year": {After: b.FiscalYear}, "kode_rup": {After: b.KodeRUP},
		"account_code": {After: b.AccountCode}, "name": {After: b.Name}, "funding_source": {After: b.FundingSource},
		"ceiling": {After: b.Ceiling},
	})
}

// BudgetImportRow is one parsed row of a budget file; Line is its line number in the file.
type BudgetImportRow struct {
	Line int
	BudgetInput
}

// BudgetImportResult says what importing one row does (or would do): "create", "update",
// "unchanged" or "invalid", with the field messages of an invalid row.
type BudgetImportResult struct {
	Line   int
	Action string
	ID     int64
	Fields map[string]string
}

// ImportBudgetLines creates or updates a unit's budget lines from parsed rows (the web layer
// parses XLSX/CSV). A row matches an existing line by fiscal year, Kode RUP and account code;
// a match gets the row's name, funding source and ceiling. All rows are applied in one
// transaction, each with its audit event, or none: when any row is invalid (bad fields, a
// duplicate in the file, a ceiling below what the line already uses) the result lists every
// row and the error is CodeInvalid. dryRun checks and reports without writing. Errors also:
// CodeNotFound / CodeForbidden as for CreateBudgetLine.
func (s *Store) ImportBudgetLines(ctx context.Context, by *market.Principal, unitID int64, rows []BudgetImportRow, dryRun bool) ([]BudgetImportResult, error) {
	if !unitVisible(by, unitID) {
		return nil, market.NotFound("Satuan kerja")
	}
	if !canManageBudget(by, unitID) {
		return nil, market.Forbidden("Hanya Admin OPD unit ini yang dapat mengimpor anggaran.")
	}
	if len(rows) == 0 {
		return nil, market.Invalid("rows", "Berkas tidak berisi baris anggaran.")
	}
	existing, err := s.ListBudgetLines(ctx, by, unitID, 0)
	if err != nil {
		return nil, err
	}
	key := func(b market.BudgetLine) string {
		return fmt.Sprintf("%d|%s|%s", b.FiscalYear, b.KodeRUP, b.AccountCode)
	}
	byKey := map[string]market.BudgetLine{}
	for _, b := range existing {
		byKey[key(b)] = b
	}
	results := make([]BudgetImportResult, len(rows))
	seen := map[string]int{}
	bad := false
	lines := make([]market.BudgetLine, len(rows))
	for i, r := range rows {
		res := BudgetImportResult{Line: r.Line, Action: "create"}
		b := r.line(unitID)
		k := key(b)
		if old, ok := byKey[k]; ok {
			res.Action, res.ID = "update", old.ID
			b.ID, b.Reserved, b.Committed, b.Spent = old.ID, old.Reserved, old.Committed, old.Spent
			if old.Name == b.Name && old.FundingSource == b.FundingSource && old.Ceiling == b.Ceiling {
				res.Action = "unchanged"
			}
		}
		if err := b.Validate(); err != nil {
			var me *market.Error
			errors.As(err, &me)
			res.Action, res.Fields = "invalid", me.Fields
		} else if first, dup := seen[k]; dup {
			res.Action, res.Fields = "invalid", map[string]string{"kode_rup": fmt.Sprintf("Kode RUP dan kode rekening sama dengan baris %d.", first)}
		}
		seen[k] = r.Line
		bad = bad || res.Action == "invalid"
		results[i], lines[i] = res, b
	}
	if bad {
		return results, &market.Error{Code: market.CodeInvalid, Message: "Ada baris anggaran yang tidak valid; tidak ada yang disimpan."}
	}
	if dryRun {
		return results, nil
	}
	a := budgetActor(by, unitID)
	err = s.inTx(ctx, func(tx *Tx) error {
		for i, b := range lines {
			switch results[i].Action {
			case "create":
				id, err := tx.insertBudget(ctx, a, b)
				if err != nil {
					return err
				}
				results[i].ID = id
			case "update":
				old := byKey[key(b)]
				res, err := tx.exec(ctx, `UPDATE budget_lines SET name = $1, funding_source = $2, ceiling = $3, updated_at = $4
					WHERE id = $5 AND reserved + committed + spent <= $3`, b.Name, b.FundingSource, b.Ceiling, micros(tx.now), b.ID)
				if err != nil {
					return fmt.Errorf("update budget line: %w", err)
				}
				if n, _ := res.RowsAffected(); n != 1 {
					return market.Conflict(fmt.Sprintf("Baris %d: pagu baru lebih kecil dari dana yang sudah dipakai; tidak ada yang disimpan.", rows[i].Line))
				}
				ch := market.Diff(map[string]any{"name": old.Name, "funding_source": old.FundingSource, "ceiling": old.Ceiling},
					map[string]any{"name": b.Name, "funding_source": b.FundingSource, "ceiling": b.Ceiling})
				if err := tx.Audit(ctx, a, "budget.update", "budget_line", b.ID, ch); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// ListBudgetLines returns a unit's budget lines (of fiscalYear, or every year when 0) with
// their reserved, committed and spent amounts, by Kode RUP. Errors: CodeNotFound when the unit
// is not visible to by.
func (s *Store) ListBudgetLines(ctx context.Context, by *market.Principal, unitID int64, fiscalYear int) ([]market.BudgetLine, error) {
	if !unitVisible(by, unitID) {
		return nil, market.NotFound("Satuan kerja")
	}
	q := `SELECT ` + budgetColumns + ` FROM budget_lines WHERE unit_id = $1`
	args := []any{unitID}
	if fiscalYear != 0 {
		q += ` AND fiscal_year = $2`
		args = append(args, fiscalYear)
	}
	rows, err := s.q(ctx).QueryContext(ctx, q+` ORDER BY fiscal_year DESC, kode_rup, account_code`, args...)
	if err != nil {
		return nil, fmt.Errorf("list budget lines: %w", err)
	}
	defer rows.Close()
	var out []market.BudgetLine
	for rows.Next() {
		b, err := scanBudget(rows)
		if err != nil {
			return nil, fmt.Errorf("list budget lines: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// GetBudgetLine returns one budget line. Errors: CodeNotFound when it does not exist or its
// unit is not visible to by.
func (s *Store) GetBudgetLine(ctx context.Context, by *market.Principal, id int64) (market.BudgetLine, error) {
	b, err := getBudgetLine(ctx, s.q(ctx), id)
	if err == nil && !unitVisible(by, b.UnitID) {
		err = market.NotFound("Baris anggaran")
	}
	return b, err
}

func getBudgetLine(ctx context.Context, q querier, id int64) (market.BudgetLine, error) {
	var b market.BudgetLine
	found := false
	r := newPipe(q)
	queueBudgetLine(r, id, &b, &found)
	if err := r.run(ctx); err != nil {
		return b, err
	}
	if !found {
		return b, market.NotFound("Baris anggaran")
	}
	return b, nil
}

// queueBudgetLine adds the read of budget line id into b, setting found when it exists.
func queueBudgetLine(r *pipe, id int64, b *market.BudgetLine, found *bool) {
	r.read("get budget line", `SELECT `+budgetColumns+` FROM budget_lines WHERE id = $1`, []any{id}, func(row rowScanner) error {
		var err error
		*found = true
		*b, err = scanBudget(row)
		return err
	})
}

// Room is how much a unit may still order from one seller or in one leaf category before the
// split-purchase rule fires: Used is the total of the counted orders of the window.
type Room struct {
	SellerID     int64
	CategoryCode string
	Name         string
	Used         market.Rupiah
	Room         market.Rupiah
}

// UnitDashboard is what a unit's officials see before buying: the available amount of every
// budget line of the current fiscal year, the cap, and the room left under the split window
// for each seller and leaf category the unit bought from within the window.
type UnitDashboard struct {
	UnitID       int64
	FiscalYear   int
	Policy       market.Policy
	Lines        []market.BudgetLine
	Available    market.Rupiah // sum over Lines
	SellerRoom   []Room        // least room first
	CategoryRoom []Room        // least room first
}

// UnitDashboard returns the unit's dashboard data at the store's clock. Errors: CodeNotFound
// when the unit is not visible to by.
func (s *Store) UnitDashboard(ctx context.Context, by *market.Principal, unitID int64) (UnitDashboard, error) {
	if !unitVisible(by, unitID) {
		return UnitDashboard{}, market.NotFound("Satuan kerja")
	}
	q := s.q(ctx)
	pol, err := currentPolicy(ctx, q)
	if err != nil {
		return UnitDashboard{}, err
	}
	now, err := s.fiscalNow(ctx, q)
	if err != nil {
		return UnitDashboard{}, err
	}
	d := UnitDashboard{UnitID: unitID, FiscalYear: now.Year(), Policy: pol}
	if d.Lines, err = s.ListBudgetLines(ctx, by, unitID, d.FiscalYear); err != nil {
		return d, err
	}
	for _, b := range d.Lines {
		d.Available = addRupiahSaturating(d.Available, b.Available())
	}
	cats := categoryIDs{}
	past, names, err := unitRecentOrders(ctx, q, unitID, now.Add(-pol.SplitWindow()), cats, false)
	if err != nil {
		return d, err
	}
	sellers := map[int64]bool{}
	catSeen := map[int64]bool{}
	for _, o := range past {
		if !sellers[o.SellerID] {
			sellers[o.SellerID] = true
			room := market.SplitRoom(pol, now, past, o.SellerID, 0)
			d.SellerRoom = append(d.SellerRoom, Room{SellerID: o.SellerID, Name: names[o.SellerID], Used: pol.Cap - room, Room: room})
		}
		for _, c := range o.CategoryIDs {
			if !catSeen[c] {
				catSeen[c] = true
				code := cats.code(c)
				room := market.SplitRoom(pol, now, past, 0, c)
				d.CategoryRoom = append(d.CategoryRoom, Room{CategoryCode: code, Name: leafName(code), Used: pol.Cap - room, Room: room})
			}
		}
	}
	byRoom := func(a, b Room) int { return int(min(max(a.Room-b.Room, -1), 1)) }
	slices.SortStableFunc(d.SellerRoom, byRoom)
	slices.SortStableFunc(d.CategoryRoom, byRoom)
	return d, nil
}

// addRupiahSaturating returns a+b, held at the largest or smallest Rupiah instead of wrapping
// around. Every ceiling is at most market.MaxBudgetCeiling, so a sum only reaches the bound
// with tens of thousands of lines; a sum that did must not turn into a negative amount.
func addRupiahSaturating(a, b market.Rupiah) market.Rupiah {
	switch {
	case b > 0 && a > math.MaxInt64-b:
		return math.MaxInt64
	case b < 0 && a < math.MinInt64-b:
		return math.MinInt64
	}
	return a + b
}

// fiscalNow returns the store's clock in the instance's time zone (UTC when none is set up), so
// that the fiscal year is the local calendar year.
func (s *Store) fiscalNow(ctx context.Context, q querier) (time.Time, error) {
	var tz string
	err := q.QueryRowContext(ctx, `SELECT time_zone FROM instance LIMIT 1`).Scan(&tz)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("instance time zone: %w", err)
	}
	return s.Now().In(tzLocation(tz)), nil
}

var tzCache sync.Map // time zone name -> *time.Location; LoadLocation reads the zone database each call

func tzLocation(name string) *time.Location {
	if l, ok := tzCache.Load(name); ok {
		return l.(*time.Location)
	}
	l := Instance{TimeZone: name}.Location()
	tzCache.Store(name, l)
	return l
}

// categoryIDs gives leaf category codes small integer ids for one rule evaluation, because the
// rules compare categories by id.
type categoryIDs map[string]int64

func (c categoryIDs) id(code string) int64 {
	if id, ok := c[code]; ok {
		return id
	}
	id := int64(len(c) + 1)
	c[code] = id
	return id
}

func (c categoryIDs) code(id int64) string {
	for k, v := range c {
		if v == id {
			return k
		}
	}
	return ""
}

var ordersTree = sync.OnceValue(func() *market.CategoryTree {
	t, err := market.NewCategoryTree(market.SeedCategories())
	if err != nil {
		return nil
	}
	return t
})

// categoryName is the leaf's name in the seeded tree, or its code when unknown.
func leafName(code string) string {
	if t := ordersTree(); t != nil {
		if c, ok := t.Lookup(code); ok {
			return c.Name
		}
	}
	return code
}

// categoryCatering reports whether the leaf sells food and drink from a caterer (no PPN).
func leafCatering(code string) bool {
	if t := ordersTree(); t != nil {
		if c, ok := t.Lookup(code); ok {
			return c.Catering
		}
	}
	return false
}

// unitRecentOrders loads the unit's orders placed after since with the leaf categories of their
// lines (for the split-purchase rule and the dashboard) and the names of their sellers. counted
// keeps only orders in a state that counts for the rule.
func unitRecentOrders(ctx context.Context, q querier, unitID int64, since time.Time, cats categoryIDs, counted bool) ([]market.PastOrder, map[int64]string, error) {
	var out []market.PastOrder
	names := map[int64]string{}
	r := newPipe(q)
	queueRecentOrders(r, unitID, since, cats, counted, &out, names)
	err := r.run(ctx)
	return out, names, err
}

// queueRecentOrders adds unitRecentOrders' read, into out and (unless nil) names.
func queueRecentOrders(r *pipe, unitID int64, since time.Time, cats categoryIDs, counted bool, out *[]market.PastOrder, names map[int64]string) {
	query := `SELECT o.id, o.seller_id, s.name, o.state, o.total, o.placed_at, o.categories
		FROM orders o JOIN sellers s ON s.id = o.seller_id WHERE o.unit_id = $1 AND o.placed_at > $2`
	if counted {
		query = `SELECT o.id, o.seller_id, '', o.state, o.total, o.placed_at, o.categories FROM orders o
			WHERE o.unit_id = $1 AND o.placed_at > $2 AND o.state NOT IN ('rejected', 'declined', 'cancelled', 'expired')`
	}
	r.read("recent orders", query+` ORDER BY o.id`, []any{unitID, micros(since)}, func(row rowScanner) error {
		var o market.PastOrder
		var name, state, codes string
		var placed int64
		if err := row.Scan(&o.ID, &o.SellerID, &name, &state, &o.Total, &placed, &codes); err != nil {
			return err
		}
		if name != "" && names != nil {
			names[o.SellerID] = name
		}
		o.State, o.PlacedAt = market.State(state), fromMicros(placed)
		for code := range strings.SplitSeq(codes, ",") {
			if code != "" {
				o.CategoryIDs = append(o.CategoryIDs, cats.id(code))
			}
		}
		*out = append(*out, o)
		return nil
	})
}

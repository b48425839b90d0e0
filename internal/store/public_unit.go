package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"bela/internal/market"
)

// This file is the public's view of one work unit's purchases in a fiscal year: the portal's
// page per unit (/belanja/unit/{id}). Like PublicOrder it names no person and holds nothing
// people typed: only the unit, the sellers' business names, class and kecamatan, amounts,
// categories, rule codes and counts.

// PublicUnitReport is how one work unit spent in a fiscal year. Orders that ended without a
// purchase (market.State.Withdrawn) count in Spend.Withdrawn only, as in PublicSpend: every
// value, count and share below is of the purchases.
type PublicUnitReport struct {
	Unit  Unit
	Year  int   // the fiscal year shown; 0 when the unit has no orders at all
	Years []int // the fiscal years in which the unit has orders, newest first
	// Spend is the unit's row of PublicSpend for the year, with the same figures.
	Spend PublicUnitSpend
	// Months are January to December of the year, by the day each order was placed in the
	// instance's time zone.
	Months []PublicUnitMonth
	// Outside holds the purchases of the fiscal year placed outside its calendar year in the
	// instance's time zone (checkout does not make any; a time zone changed afterwards could),
	// so that the months and Outside add up to Spend.
	Outside PublicUnitMonth
	// Sellers are the UMK the unit bought from, largest value first.
	Sellers []PublicUnitSeller
	// Kecamatan are the sellers' kecamatan, largest value first: where the money went.
	Kecamatan []PublicUnitKecamatan
	// Categories are the order lines' leaf categories by the lines' amounts (unit price ×
	// quantity, before shipping and PPN), largest first: the first TopCategories, then one row
	// (Other set) for the rest.
	Categories []PublicUnitCategory
	// Rules are the rules that warned or blocked on the unit's purchases, by rule code.
	Rules []PublicUnitRule
	// ConcentrationPercent is the current policy's concentration threshold, which marks the
	// sellers above it (PublicUnitSeller.Concentrated).
	ConcentrationPercent int
}

// TopCategories is how many categories PublicUnitReport lists before it adds the rest up.
const TopCategories = 10

// PublicUnitMonth is the unit's purchases placed in one month.
type PublicUnitMonth struct {
	Month  time.Month // zero for PublicUnitReport.Outside
	Orders int
	Value  market.Rupiah
}

// PublicUnitSeller is what the unit bought from one UMK in the year.
type PublicUnitSeller struct {
	SellerID  int64
	Name      string // the business name
	Class     market.UMKClass
	Kecamatan string
	Profile   bool // the seller has a public profile (/penjual/{id}): it is not a draft
	Orders    int
	Value     market.Rupiah
	Share     float64 // percent of the unit's value
	// Concentrated reports a share above the policy's ConcentrationPercent.
	Concentrated bool
}

// PublicUnitKecamatan is what the unit bought from the UMK of one kecamatan ("" when the
// sellers gave none).
type PublicUnitKecamatan struct {
	Name    string
	Sellers int
	Orders  int
	Value   market.Rupiah
	Share   float64 // percent of the unit's value
}

// PublicUnitCategory is the unit's order lines of one leaf category, or (Other) of every
// category after the first TopCategories.
type PublicUnitCategory struct {
	Code       string // empty for Other
	Name       string // the leaf's name, or its code when the tree does not know it
	Other      bool
	Categories int // how many categories the row adds up: 1, or more for Other
	Lines      int
	Value      market.Rupiah
}

// PublicUnitRule is one rule that produced a warning or a block on the unit's purchases.
type PublicUnitRule struct {
	Code      string
	Orders    int // the purchases it warned or blocked on
	Blocked   int // of them, those where it blocked
	Justified int // of them, those that carry the buyer's written justification for it
}

// PublicUnitReport returns how the unit spent in a fiscal year; year 0 means the unit's newest
// year with orders. Anyone may call it. All its statements are queued together (one round trip
// on PostgreSQL). Errors: CodeNotFound for an unknown unit.
func (s *Store) PublicUnitReport(ctx context.Context, unitID int64, year int) (PublicUnitReport, error) {
	out := PublicUnitReport{Year: year, Years: []int{}, Sellers: []PublicUnitSeller{}, Kecamatan: []PublicUnitKecamatan{},
		Categories: []PublicUnitCategory{}, Rules: []PublicUnitRule{}}
	found := false
	var tz, policy string
	placed := map[int64]PublicUnitMonth{} // placed_at micros → the purchases placed then
	var cats []PublicUnitCategory
	var withRules []unitRuleRow
	var spend func() []PublicUnitSpend

	// The year is given ($2), or the unit's newest one, found by the statements themselves so
	// that they need not wait for the list of years.
	args := []any{unitID}
	yr := `(SELECT MAX(y.fiscal_year) FROM orders y WHERE y.unit_id = $1)`
	if year != 0 {
		args, yr = append(args, year), `$2`
	}
	withdrawn := withdrawnStatesSQL()
	live := `o.state NOT IN (` + withdrawn + `)`
	ofYear := ` WHERE o.unit_id = $1 AND o.fiscal_year = ` + yr
	err := s.readSnapshot(ctx, func(q querier) error {
		r := newPipe(q)
		r.read("public unit", `SELECT id, code, name FROM units WHERE id = $1`, []any{unitID}, func(row rowScanner) error {
			found = true
			return row.Scan(&out.Unit.ID, &out.Unit.Code, &out.Unit.Name)
		})
		r.read("public unit years", `SELECT DISTINCT fiscal_year FROM orders WHERE unit_id = $1 ORDER BY fiscal_year DESC`, []any{unitID},
			func(row rowScanner) error {
				var y int
				err := row.Scan(&y)
				out.Years = append(out.Years, y)
				return err
			})
		r.read("public unit time zone", `SELECT time_zone FROM instance LIMIT 1`, nil, func(row rowScanner) error {
			return row.Scan(&tz)
		})
		r.read("public unit policy", `SELECT policy FROM policy_versions ORDER BY id DESC LIMIT 1`, nil, func(row rowScanner) error {
			return row.Scan(&policy)
		})
		// The unit's row of PublicSpend, from the same statements.
		spend = queueUnitSpend(r, "o.unit_id = $1 AND o.fiscal_year = "+yr, args)
		// Orders of one checkout share their placing moment: the rows are at most the orders.
		r.read("public unit months", `SELECT o.placed_at, COUNT(*), SUM(o.total) FROM orders o`+ofYear+` AND `+live+` GROUP BY o.placed_at`, args,
			func(row rowScanner) error {
				var at int64
				var m PublicUnitMonth
				if err := row.Scan(&at, &m.Orders, &m.Value); err != nil {
					return err
				}
				placed[at] = m
				return nil
			})
		r.read("public unit sellers", `SELECT sl.id, sl.name, sl.class, sl.kecamatan, sl.status, COUNT(*), SUM(o.total)
			FROM orders o JOIN sellers sl ON sl.id = o.seller_id`+ofYear+` AND `+live+`
			GROUP BY sl.id, sl.name, sl.class, sl.kecamatan, sl.status`, args, func(row rowScanner) error {
			var sl PublicUnitSeller
			var class, status string
			if err := row.Scan(&sl.SellerID, &sl.Name, &class, &sl.Kecamatan, &status, &sl.Orders, &sl.Value); err != nil {
				return err
			}
			sl.Class, sl.Profile = market.UMKClass(class), status != string(market.SellerDraft)
			out.Sellers = append(out.Sellers, sl)
			return nil
		})
		r.read("public unit categories", `SELECT l.category_code, COUNT(*), SUM(l.unit_price * l.quantity)
			FROM order_lines l JOIN orders o ON o.id = l.order_id`+ofYear+` AND `+live+`
			GROUP BY l.category_code`, args, func(row rowScanner) error {
			c := PublicUnitCategory{Categories: 1}
			if err := row.Scan(&c.Code, &c.Lines, &c.Value); err != nil {
				return err
			}
			c.Name = leafName(c.Code)
			cats = append(cats, c)
			return nil
		})
		r.read("public unit rules", `SELECT o.rules, o.justifications FROM orders o`+ofYear+` AND `+live+` AND o.rules <> '[]'`, args,
			func(row rowScanner) error {
				var x unitRuleRow
				err := row.Scan(&x.rules, &x.just)
				withRules = append(withRules, x)
				return err
			})
		return r.run(ctx)
	})
	if err != nil {
		return PublicUnitReport{}, err
	}
	if !found {
		return PublicUnitReport{}, market.NotFound("Satuan kerja")
	}
	for _, u := range spend() {
		u.UnitID, u.UnitCode, u.UnitName = 0, "", "" // they are in out.Unit
		out.Spend = u
	}
	if out.Year == 0 && len(out.Years) > 0 {
		out.Year = out.Years[0]
	}
	pol, err := decodePolicy(policy)
	if err != nil {
		return PublicUnitReport{}, err
	}
	out.ConcentrationPercent = pol.ConcentrationPercent
	out.Months, out.Outside = unitMonths(placed, out.Year, tzLocation(tz))
	out.Sellers, out.Kecamatan = unitSellers(out.Sellers, out.ConcentrationPercent)
	out.Categories = unitCategories(cats)
	if out.Rules, err = unitRules(withRules); err != nil {
		return PublicUnitReport{}, err
	}
	return out, nil
}

// unitMonths adds the purchases placed at each moment up into the year's months in loc, and
// those placed outside the year into the second result.
func unitMonths(placed map[int64]PublicUnitMonth, year int, loc *time.Location) ([]PublicUnitMonth, PublicUnitMonth) {
	months := make([]PublicUnitMonth, 12)
	for i := range months {
		months[i].Month = time.Month(i + 1)
	}
	var outside PublicUnitMonth
	for at, p := range placed {
		m := &outside
		if t := fromMicros(at).In(loc); t.Year() == year {
			m = &months[t.Month()-1]
		}
		m.Orders += p.Orders
		m.Value += p.Value
	}
	return months, outside
}

// unitSellers orders the sellers by value, works out their shares of the unit's value and marks
// those above the concentration threshold, and adds them up per kecamatan.
func unitSellers(sellers []PublicUnitSeller, threshold int) ([]PublicUnitSeller, []PublicUnitKecamatan) {
	var total market.Rupiah
	for _, sl := range sellers {
		total += sl.Value
	}
	slices.SortFunc(sellers, func(a, b PublicUnitSeller) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Name, b.Name), cmp.Compare(a.SellerID, b.SellerID))
	})
	byName := map[string]*PublicUnitKecamatan{}
	var kec []*PublicUnitKecamatan
	for i := range sellers {
		sl := &sellers[i]
		sl.Share = percentOf(sl.Value, total)
		sl.Concentrated = market.ShareAbove(sl.Value, total, threshold)
		k := byName[sl.Kecamatan]
		if k == nil {
			k = &PublicUnitKecamatan{Name: sl.Kecamatan}
			byName[sl.Kecamatan] = k
			kec = append(kec, k)
		}
		k.Sellers++
		k.Orders += sl.Orders
		k.Value += sl.Value
	}
	out := make([]PublicUnitKecamatan, len(kec))
	for i, k := range kec {
		k.Share = percentOf(k.Value, total)
		out[i] = *k
	}
	slices.SortFunc(out, func(a, b PublicUnitKecamatan) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Name, b.Name))
	})
	return sellers, out
}

// percentOf is part as a percentage of whole, 0 when whole is not positive.
func percentOf(part, whole market.Rupiah) float64 {
	if whole <= 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

// unitCategories orders the categories by value and adds up those after the first
// TopCategories into one Other row.
func unitCategories(cats []PublicUnitCategory) []PublicUnitCategory {
	slices.SortFunc(cats, func(a, b PublicUnitCategory) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Code, b.Code))
	})
	if len(cats) <= TopCategories {
		return append([]PublicUnitCategory{}, cats...)
	}
	out := append([]PublicUnitCategory{}, cats[:TopCategories]...)
	other := PublicUnitCategory{Other: true}
	for _, c := range cats[TopCategories:] {
		other.Categories++
		other.Lines += c.Lines
		other.Value += c.Value
	}
	return append(out, other)
}

// unitRuleRow is an order's rule results and justifications as stored (JSON).
type unitRuleRow struct{ rules, just string }

// unitRules counts, per rule code, the purchases on which it warned or blocked and how many of
// them carry a written justification for it; by the orders' count, then the code.
func unitRules(rows []unitRuleRow) ([]PublicUnitRule, error) {
	byCode := map[string]*PublicUnitRule{}
	for _, row := range rows {
		var results []market.RuleResult
		if err := json.Unmarshal([]byte(row.rules), &results); err != nil {
			return nil, fmt.Errorf("decode rules: %w", err)
		}
		var just map[string]string
		if err := json.Unmarshal([]byte(row.just), &just); err != nil {
			return nil, fmt.Errorf("decode justifications: %w", err)
		}
		// One order counts once per code, whatever number of findings it has of it.
		severity := map[string]market.Severity{}
		var codes []string
		for _, res := range results {
			if res.Severity != market.SeverityWarning && res.Severity != market.SeverityBlock {
				continue
			}
			if _, seen := severity[res.Code]; !seen {
				codes = append(codes, res.Code)
			}
			if severity[res.Code] != market.SeverityBlock {
				severity[res.Code] = res.Severity
			}
		}
		for _, code := range codes {
			r := byCode[code]
			if r == nil {
				r = &PublicUnitRule{Code: code}
				byCode[code] = r
			}
			r.Orders++
			if severity[code] == market.SeverityBlock {
				r.Blocked++
			}
			if strings.TrimSpace(just[code]) != "" {
				r.Justified++
			}
		}
	}
	out := make([]PublicUnitRule, 0, len(byCode))
	for _, r := range byCode {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b PublicUnitRule) int {
		return cmp.Or(cmp.Compare(b.Orders, a.Orders), cmp.Compare(a.Code, b.Code))
	})
	return out, nil
}

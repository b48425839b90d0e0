package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"bela/internal/market"
)

// This file is the auditor's red-flag queue: the facts of each order read in SQL (one
// consistent read), the decision made by market.RedFlags.

// auditorsOnly is the refusal of the red flags and audit cases to anyone but an APIP auditor.
func auditorsOnly() *market.Error {
	return market.Forbidden("Hanya auditor APIP yang dapat membuka tanda bahaya dan kasus pemeriksaan.")
}

// RedFlagFilter selects the orders of the red-flag queue.
type RedFlagFilter struct {
	FiscalYear int // zero: every year
	UnitID     int64
	SellerID   int64
	Flag       market.RedFlag // "": any flag
	// WithoutCase keeps the orders that never had a case, open or closed.
	WithoutCase bool
	BeforeID    int64 // for paging: only orders with a smaller id
	Limit       int   // 50 when zero, at most 500
}

// FlaggedOrder is an order with its red flags, as the auditor's queue lists it.
type FlaggedOrder struct {
	ID         int64            `json:"id"`
	UnitID     int64            `json:"unit_id"`
	UnitName   string           `json:"unit_name"`
	SellerID   int64            `json:"seller_id"`
	SellerName string           `json:"seller_name"`
	FiscalYear int              `json:"fiscal_year"`
	Total      market.Rupiah    `json:"total"`
	State      market.State     `json:"state"`
	PlacedAt   time.Time        `json:"placed_at"`
	Flags      []market.RedFlag `json:"flags"`                  // in the order of market.RedFlagCodes; none for a clean order
	OpenCaseID int64            `json:"open_case_id,omitempty"` // the order's open case; 0 when none
	Cases      int              `json:"cases"`                  // the order's cases, open or closed
}

// Has reports whether the order carries flag f.
func (o FlaggedOrder) Has(f market.RedFlag) bool {
	for _, x := range o.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// FlagQueue is one page of the red-flag queue with what its filter bar shows.
type FlagQueue struct {
	Orders []FlaggedOrder // the page: flagged orders matching the filter, newest first
	// Counts are the flagged orders per flag, and Flagged those with any flag, under the
	// filter without its Flag and paging: what each of the filter bar's links would list.
	Counts  map[market.RedFlag]int
	Flagged int
	Years   []int         // the fiscal years that have orders, newest first
	Policy  market.Policy // the policy in force, whose values the flags used
}

// RedFlagOrders returns the page of flagged orders matching f, newest first (see RedFlagQueue).
// Errors: CodeForbidden unless p is an auditor, CodeInvalid for an unknown flag.
func (s *Store) RedFlagOrders(ctx context.Context, p *market.Principal, f RedFlagFilter) ([]FlaggedOrder, error) {
	q, err := s.RedFlagQueue(ctx, p, f)
	return q.Orders, err
}

// RedFlagQueue returns the page of flagged orders matching f, newest first, with the counts per
// flag for the filter bar, all from one consistent read. Withdrawn orders carry no flag. The
// facts of every order in f's year, unit and seller are read; the flags are decided by
// market.RedFlags under the current policy (and each order's own cap). Errors: CodeForbidden
// unless p is an auditor, CodeInvalid for an unknown flag.
func (s *Store) RedFlagQueue(ctx context.Context, p *market.Principal, f RedFlagFilter) (FlagQueue, error) {
	out := FlagQueue{Orders: []FlaggedOrder{}, Counts: map[market.RedFlag]int{}}
	if !p.Has(market.RoleAuditor) {
		return out, auditorsOnly()
	}
	if f.Flag != "" {
		if _, err := market.ParseRedFlag(string(f.Flag)); err != nil {
			return out, err
		}
	}
	var all []FlaggedOrder
	err := s.readSnapshot(ctx, func(q querier) error {
		r := newPipe(q)
		r.read("red flag years", `SELECT DISTINCT fiscal_year FROM orders ORDER BY fiscal_year DESC`, nil, func(row rowScanner) error {
			var y int
			err := row.Scan(&y)
			out.Years = append(out.Years, y)
			return err
		})
		load := queueFlagged(r, flagScope{FiscalYear: f.FiscalYear, UnitID: f.UnitID, SellerID: f.SellerID})
		if err := r.run(ctx); err != nil {
			return err
		}
		var err error
		all, out.Policy, err = load()
		return err
	})
	if err != nil {
		return out, err
	}
	limit := listLimit(f.Limit)
	for _, o := range all {
		if len(o.Flags) == 0 || (f.WithoutCase && o.Cases > 0) {
			continue
		}
		out.Flagged++
		for _, fl := range o.Flags {
			out.Counts[fl]++
		}
		if (f.Flag == "" || o.Has(f.Flag)) && (f.BeforeID == 0 || o.ID < f.BeforeID) && len(out.Orders) < limit {
			out.Orders = append(out.Orders, o)
		}
	}
	return out, nil
}

// OrderRedFlags returns one order's red flags now (none for a clean or withdrawn order) with its
// open case, for the auditor's view of the order. Errors: CodeForbidden unless p is an
// auditor, CodeNotFound.
func (s *Store) OrderRedFlags(ctx context.Context, p *market.Principal, orderID int64) (FlaggedOrder, error) {
	if !p.Has(market.RoleAuditor) {
		return FlaggedOrder{}, auditorsOnly()
	}
	var out FlaggedOrder
	err := s.readSnapshot(ctx, func(q querier) error {
		var err error
		out, err = orderFlags(ctx, q, orderID)
		return err
	})
	return out, err
}

// orderFlags reads one order's flags on q. Errors: CodeNotFound.
func orderFlags(ctx context.Context, q querier, orderID int64) (FlaggedOrder, error) {
	r := newPipe(q)
	load := queueFlagged(r, flagScope{OrderID: orderID})
	if err := r.run(ctx); err != nil {
		return FlaggedOrder{}, err
	}
	list, _, err := load()
	if err != nil {
		return FlaggedOrder{}, err
	}
	if len(list) == 0 {
		return FlaggedOrder{}, market.NotFound("Pesanan")
	}
	return list[0], nil
}

// flagScope says whose orders' facts to read: a year, unit and seller (zero: any), or one order.
type flagScope struct {
	FiscalYear int
	UnitID     int64
	SellerID   int64
	OrderID    int64
}

// queueFlagged adds to r the reads of the current policy, the flag facts of the orders in sc
// (withdrawn ones too: market.RedFlags gives them none) and the seller shares of their units'
// fiscal years — one grouped query, not one per order. The returned function, called after r
// ran, decides each order's flags and returns the orders newest first with the policy used.
func queueFlagged(r *pipe, sc flagScope) func() ([]FlaggedOrder, market.Policy, error) {
	var policyRaw string
	r.read("red flag policy", `SELECT policy FROM policy_versions ORDER BY id DESC LIMIT 1`, nil, func(row rowScanner) error {
		return row.Scan(&policyRaw)
	})

	var w sqlFilter
	if sc.FiscalYear != 0 {
		w.add("o.fiscal_year = ?", sc.FiscalYear)
	}
	if sc.UnitID != 0 {
		w.add("o.unit_id = ?", sc.UnitID)
	}
	if sc.SellerID != 0 {
		w.add("o.seller_id = ?", sc.SellerID)
	}
	if sc.OrderID != 0 {
		w.add("o.id = ?", sc.OrderID)
	}
	type factRow struct {
		o                   FlaggedOrder
		f                   market.OrderFlagFacts
		policy              string
		disputes, shortfall int
	}
	var facts []factRow
	r.read("red flag facts", `SELECT o.id, o.unit_id, un.name, o.seller_id, sl.name, o.fiscal_year, o.state, o.disputed_from, o.total, o.placed_at,
			o.policy, o.rules,
			(SELECT COUNT(*) FROM payments pm WHERE pm.order_id = o.id AND pm.late),
			(SELECT COUNT(*) FROM payments pm WHERE pm.order_id = o.id AND pm.flagged),
			(SELECT COUNT(*) FROM audit_events e WHERE e.object_type = 'order' AND e.object_id = o.id AND e.action = 'order.dispute'),
			(SELECT COUNT(*) FROM audit_events e WHERE e.object_type = 'order' AND e.object_id = o.id AND e.action = 'order.close_short'),
			COALESCE((SELECT c.id FROM audit_cases c WHERE c.order_id = o.id AND c.state = 'open'), 0),
			(SELECT COUNT(*) FROM audit_cases c WHERE c.order_id = o.id)
		FROM orders o JOIN units un ON un.id = o.unit_id JOIN sellers sl ON sl.id = o.seller_id`+w.where()+` ORDER BY o.id DESC`,
		w.args, func(row rowScanner) error {
			var x factRow
			var state, disputed, rules string
			var placed int64
			if err := row.Scan(&x.o.ID, &x.o.UnitID, &x.o.UnitName, &x.o.SellerID, &x.o.SellerName, &x.o.FiscalYear, &state, &disputed,
				&x.o.Total, &placed, &x.policy, &rules, &x.f.LatePayments, &x.f.MismatchedPayments, &x.disputes, &x.shortfall,
				&x.o.OpenCaseID, &x.o.Cases); err != nil {
				return err
			}
			x.o.State, x.o.PlacedAt = market.State(state), fromMicros(placed)
			x.f.State, x.f.DisputedFrom, x.f.Total = x.o.State, market.State(disputed), x.o.Total
			x.f.WasDisputed, x.f.WasClosedShort = x.disputes > 0, x.shortfall > 0
			if err := json.Unmarshal([]byte(rules), &x.f.Rules); err != nil {
				return fmt.Errorf("decode rules of order %d: %w", x.o.ID, err)
			}
			facts = append(facts, x)
			return nil
		})

	// The purchases (orders not withdrawn) per unit, fiscal year and seller, of the units and
	// years in scope: the seller's share is its sum over the unit's.
	var sw sqlFilter
	sw.add("o.state NOT IN (" + withdrawnStatesSQL() + ")")
	switch {
	case sc.OrderID != 0:
		sw.add("o.unit_id = (SELECT x.unit_id FROM orders x WHERE x.id = ?)", sc.OrderID)
		sw.add("o.fiscal_year = (SELECT x.fiscal_year FROM orders x WHERE x.id = ?)", sc.OrderID)
	default:
		if sc.FiscalYear != 0 {
			sw.add("o.fiscal_year = ?", sc.FiscalYear)
		}
		if sc.UnitID != 0 {
			sw.add("o.unit_id = ?", sc.UnitID)
		}
	}
	type shareKey struct {
		unit   int64
		year   int
		seller int64 // 0: the unit's whole spend
	}
	spend := map[shareKey]market.Rupiah{}
	purchases := map[shareKey]int{} // per unit and year (seller 0)
	r.read("red flag shares", `SELECT o.unit_id, o.fiscal_year, o.seller_id, SUM(o.total), COUNT(*) FROM orders o`+sw.where()+`
		GROUP BY o.unit_id, o.fiscal_year, o.seller_id`, sw.args, func(row rowScanner) error {
		var k shareKey
		var sum market.Rupiah
		var n int
		if err := row.Scan(&k.unit, &k.year, &k.seller, &sum, &n); err != nil {
			return err
		}
		spend[k] += sum
		spend[shareKey{k.unit, k.year, 0}] += sum
		purchases[shareKey{k.unit, k.year, 0}] += n
		return nil
	})

	return func() ([]FlaggedOrder, market.Policy, error) {
		pol, err := decodePolicy(policyRaw)
		if err != nil {
			return nil, pol, err
		}
		caps := map[string]market.Rupiah{} // each stored policy's cap, decoded once
		out := make([]FlaggedOrder, 0, len(facts))
		for _, x := range facts {
			limit, ok := caps[x.policy]
			if !ok {
				op, err := decodePolicy(x.policy)
				if err != nil {
					return nil, pol, fmt.Errorf("order %d: %w", x.o.ID, err)
				}
				limit, caps[x.policy] = op.Cap, op.Cap
			}
			x.f.Cap = limit
			x.f.SellerSpend = spend[shareKey{x.o.UnitID, x.o.FiscalYear, x.o.SellerID}]
			x.f.UnitSpend = spend[shareKey{x.o.UnitID, x.o.FiscalYear, 0}]
			x.f.UnitPurchases = purchases[shareKey{x.o.UnitID, x.o.FiscalYear, 0}]
			x.o.Flags = market.RedFlags(x.f, pol)
			out = append(out, x.o)
		}
		return out, pol, nil
	}
}

package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"bela/internal/market"
	"bela/internal/paper"
)

// This file is the public's view of orders: what the transparency portal shows and the OCDS
// export publishes, to anyone, without a login.

// PublicOrder is an order as anyone may see it: who bought what from which UMK, for how much,
// against which budget line, under which rule results and justifications (the checkout's rules
// say justifications are for the public), when each step happened and what was paid when. It
// names no person: not the officials (their role is shown, not who they are), not the seller's
// people, and it holds nothing people typed about themselves or a place (delivery address,
// notes, reasons, delivery notes), so nothing private can reach it.
type PublicOrder struct {
	ID              int64
	Version         int64 // raised by every change of the order
	SPNumber        string
	UnitID          int64
	UnitCode        string
	UnitName        string
	SellerID        int64
	SellerName      string
	SellerKecamatan string // the seller's public location
	SellerClass     market.UMKClass
	BudgetLineID    int64
	KodeRUP         string
	AccountCode     string
	BudgetName      string
	FundingSource   string
	FiscalYear      int
	State           market.State
	ChargesPPN      bool
	Goods           market.Rupiah
	Shipping        market.Rupiah
	PPN             market.Rupiah
	Total           market.Rupiah
	Paid            market.Rupiah // the payments' sum
	LatePayments    int           // payments dated after their deadline's day (market.PaidLate)
	PlacedAt        time.Time
	ApprovedAt      time.Time // zero until the PPK approves (the Surat Pesanan)
	AcceptedAt      time.Time // zero until the seller accepts
	StateSince      time.Time
	UpdatedAt       time.Time
	Rules           []market.RuleResult
	Justifications  map[string]string // rule key → the buyer's written justification
	// Filled by PublicOrder and EachPublicOrder only.
	Lines     []PublicOrderLine
	Payments  []PublicPayment
	Documents []PublicDocumentRef
	// Filled by PublicOrder only.
	Steps []PublicStep
}

// PublicOrderLine is one product line of a public order.
type PublicOrderLine struct {
	LineNo       int
	ProductID    int64
	Name         string
	Unit         string
	CategoryCode string
	ListPrice    market.Rupiah
	UnitPrice    market.Rupiah // the agreed price after negotiation, else the list price
	Quantity     int64
	Received     int64
	Amount       market.Rupiah      // UnitPrice × Quantity
	PDN          bool               // a domestic product (Produk Dalam Negeri) when ordered
	TKDN         market.BasisPoints // its certified domestic content (TKDN) then; 0 without a certificate
}

// PublicPayment is one payment of a public order: its date and amount, and whether it was late.
type PublicPayment struct {
	ID     int64
	PaidOn time.Time
	Amount market.Rupiah
	Late   bool
}

// PublicDocumentRef is one of an order's documents (Surat Pesanan, BAST, invoice, kuitansi) as
// the public verification page (/verifikasi/{code}) shows it: its current version's number and
// date.
type PublicDocumentRef struct {
	Code   string
	Kind   paper.Kind
	Seq    int
	Number string
	Date   time.Time
}

// PublicStep is one step of a public order's history: when, which role, what action (the audit
// event's action, such as "order.approve"), and the state it led to when it changed it.
type PublicStep struct {
	Seq    int64 // the audit event's sequence number, which finds its transparency-log leaf
	Time   time.Time
	Role   string
	Action string
	State  market.State
}

// PublicOrderFilter selects orders for the portal and the OCDS export.
type PublicOrderFilter struct {
	FiscalYear int // zero: every year
	UnitID     int64
	SellerID   int64
	State      market.State
	// UpdatedSince keeps the orders changed at or after it (when not zero), so that a reader
	// of the open data can fetch only what changed since its last visit.
	UpdatedSince time.Time
	BeforeID     int64 // for paging: only orders with a smaller id
	Limit        int   // 50 when zero, at most 500
}

const publicOrderColumns = `o.id, o.version, o.sp_number, o.unit_id, un.code, un.name, o.seller_id, sl.name, sl.kecamatan, sl.class,
	o.budget_line_id, bl.kode_rup, bl.account_code, bl.name, bl.funding_source, o.fiscal_year, o.state, o.charges_ppn,
	o.goods, o.shipping, o.ppn, o.total, o.rules, o.justifications, o.placed_at, o.approved_at, o.accepted_at, o.state_since, o.updated_at,
	COALESCE((SELECT SUM(pm.amount) FROM payments pm WHERE pm.order_id = o.id), 0),
	(SELECT COUNT(*) FROM payments pm WHERE pm.order_id = o.id AND pm.late)`

const publicOrderFrom = ` FROM orders o JOIN units un ON un.id = o.unit_id JOIN sellers sl ON sl.id = o.seller_id JOIN budget_lines bl ON bl.id = o.budget_line_id`

func scanPublicOrder(sc rowScanner) (PublicOrder, error) {
	var o PublicOrder
	var class, state, rules, just string
	var placed, approved, accepted, since, updated int64
	err := sc.Scan(&o.ID, &o.Version, &o.SPNumber, &o.UnitID, &o.UnitCode, &o.UnitName, &o.SellerID, &o.SellerName, &o.SellerKecamatan, &class,
		&o.BudgetLineID, &o.KodeRUP, &o.AccountCode, &o.BudgetName, &o.FundingSource, &o.FiscalYear, &state, &o.ChargesPPN,
		&o.Goods, &o.Shipping, &o.PPN, &o.Total, &rules, &just, &placed, &approved, &accepted, &since, &updated,
		&o.Paid, &o.LatePayments)
	if err != nil {
		return o, err
	}
	o.SellerClass, o.State = market.UMKClass(class), market.State(state)
	o.PlacedAt, o.StateSince, o.UpdatedAt = fromMicros(placed), fromMicros(since), fromMicros(updated)
	if approved > 0 {
		o.ApprovedAt = fromMicros(approved)
	}
	if accepted > 0 {
		o.AcceptedAt = fromMicros(accepted)
	}
	if err := json.Unmarshal([]byte(rules), &o.Rules); err != nil {
		return o, fmt.Errorf("decode rules of order %d: %w", o.ID, err)
	}
	if err := json.Unmarshal([]byte(just), &o.Justifications); err != nil {
		return o, fmt.Errorf("decode justifications of order %d: %w", o.ID, err)
	}
	o.Rules, o.Justifications = nonNilRules(o.Rules), nonNil(o.Justifications)
	return o, nil
}

// PublicOrders returns the orders matching f, newest first, without lines, payments, documents
// or steps. Anyone may call it.
func (s *Store) PublicOrders(ctx context.Context, f PublicOrderFilter) ([]PublicOrder, error) {
	var out []PublicOrder
	err := s.read(ctx, func(q querier) error {
		var err error
		out, err = publicOrders(ctx, q, f)
		return err
	})
	return out, err
}

func publicOrders(ctx context.Context, q querier, f PublicOrderFilter) ([]PublicOrder, error) {
	var w sqlFilter
	if f.FiscalYear != 0 {
		w.add("o.fiscal_year = ?", f.FiscalYear)
	}
	if f.UnitID != 0 {
		w.add("o.unit_id = ?", f.UnitID)
	}
	if f.SellerID != 0 {
		w.add("o.seller_id = ?", f.SellerID)
	}
	if f.State != "" {
		w.add("o.state = ?", string(f.State))
	}
	if !f.UpdatedSince.IsZero() {
		w.add("o.updated_at >= ?", micros(f.UpdatedSince))
	}
	if f.BeforeID != 0 {
		w.add("o.id < ?", f.BeforeID)
	}
	out := []PublicOrder{}
	r := newPipe(q)
	r.read("list public orders", `SELECT `+publicOrderColumns+publicOrderFrom+w.where()+fmt.Sprintf(` ORDER BY o.id DESC LIMIT %d`, listLimit(f.Limit)), w.args,
		func(row rowScanner) error {
			o, err := scanPublicOrder(row)
			out = append(out, o)
			return err
		})
	return out, r.run(ctx)
}

// PublicOrder returns one order as the public sees it, with its lines, payments, documents and
// steps. Errors: CodeNotFound.
func (s *Store) PublicOrder(ctx context.Context, id int64) (PublicOrder, error) {
	var o PublicOrder
	found := false
	var events []AuditRow
	err := s.readSnapshot(ctx, func(q querier) error {
		r := newPipe(q)
		r.read("load public order", `SELECT `+publicOrderColumns+publicOrderFrom+` WHERE o.id = $1`, []any{id}, func(row rowScanner) error {
			var err error
			found = true
			o, err = scanPublicOrder(row)
			return err
		})
		byOrder := map[int64]*PublicOrder{id: &o}
		queuePublicDetails(r, []int64{id}, byOrder)
		// The order's events, oldest first; the log's own bytes, as the audit page reads them.
		queueAuditRows(r, AuditFilter{ObjectType: "order", ObjectID: id, Limit: 500}, &events)
		return r.run(ctx)
	})
	if err != nil {
		return PublicOrder{}, err
	}
	if !found {
		return PublicOrder{}, market.NotFound("Pesanan")
	}
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if len(e.Mismatch) > 0 {
			continue // altered outside Bela: not shown as the order's history
		}
		step := PublicStep{Seq: e.Seq, Time: e.Time, Role: e.ActorRole, Action: e.Action}
		var ev struct {
			Changes struct {
				State struct {
					After market.State `json:"after"`
				} `json:"state"`
			} `json:"changes"`
		}
		if err := json.Unmarshal(e.Canonical, &ev); err == nil {
			step.State = ev.Changes.State.After
		}
		o.Steps = append(o.Steps, step)
	}
	return o, nil
}

// queuePublicDetails adds the reads of the lines, payments and current documents of the orders
// ids (keys of byOrder) into their values: three statements however many orders.
func queuePublicDetails(r *pipe, ids []int64, byOrder map[int64]*PublicOrder) {
	in := ordPlaceholders(1, len(ids))
	args := ordArgs(ids)
	r.read("load public order lines", `SELECT order_id, line_no, product_id, name, unit, category_code, list_price, unit_price, quantity, received, pdn, tkdn_bp
		FROM order_lines WHERE order_id IN (`+in+`) ORDER BY order_id, line_no`, args, func(row rowScanner) error {
		var orderID int64
		var l PublicOrderLine
		if err := row.Scan(&orderID, &l.LineNo, &l.ProductID, &l.Name, &l.Unit, &l.CategoryCode, &l.ListPrice, &l.UnitPrice, &l.Quantity, &l.Received,
			&l.PDN, &l.TKDN); err != nil {
			return err
		}
		l.Amount = l.UnitPrice * market.Rupiah(l.Quantity)
		if o := byOrder[orderID]; o != nil {
			o.Lines = append(o.Lines, l)
		}
		return nil
	})
	r.read("load public payments", `SELECT order_id, id, paid_on, amount, late FROM payments WHERE order_id IN (`+in+`) ORDER BY order_id, paid_on, id`,
		args, func(row rowScanner) error {
			var orderID, paidOn int64
			var p PublicPayment
			if err := row.Scan(&orderID, &p.ID, &paidOn, &p.Amount, &p.Late); err != nil {
				return err
			}
			p.PaidOn = fromMicros(paidOn)
			if o := byOrder[orderID]; o != nil {
				o.Payments = append(o.Payments, p)
			}
			return nil
		})
	// Each document with its current (highest) version.
	r.read("load public documents", `SELECT d.order_id, d.code, d.kind, d.seq, v.number, v.doc_date
		FROM documents d JOIN document_versions v ON v.document_id = d.id
		WHERE d.order_id IN (`+in+`) AND v.version = (SELECT MAX(v2.version) FROM document_versions v2 WHERE v2.document_id = d.id)
		ORDER BY d.order_id, d.id`, args, func(row rowScanner) error {
		var orderID, date int64
		var d PublicDocumentRef
		var kind string
		if err := row.Scan(&orderID, &d.Code, &kind, &d.Seq, &d.Number, &date); err != nil {
			return err
		}
		d.Kind, d.Date = paper.Kind(kind), fromMicros(date)
		if o := byOrder[orderID]; o != nil {
			o.Documents = append(o.Documents, d)
		}
		return nil
	})
}

// EachPublicOrder calls fn with every order matching f (its Limit and BeforeID ignored), newest
// first, each with its lines, payments and documents, reading a page of orders at a time so that
// memory stays flat however many there are. Each page is one consistent snapshot. It stops at
// fn's first error and returns it.
func (s *Store) EachPublicOrder(ctx context.Context, f PublicOrderFilter, fn func(PublicOrder) error) error {
	f.Limit, f.BeforeID = 200, 0
	for {
		var page []PublicOrder
		err := s.readSnapshot(ctx, func(q querier) error {
			var err error
			if page, err = publicOrders(ctx, q, f); err != nil || len(page) == 0 {
				return err
			}
			ids := make([]int64, len(page))
			byOrder := make(map[int64]*PublicOrder, len(page))
			for i := range page {
				ids[i] = page[i].ID
				byOrder[page[i].ID] = &page[i]
			}
			r := newPipe(q)
			queuePublicDetails(r, ids, byOrder)
			return r.run(ctx)
		})
		if err != nil {
			return err
		}
		for _, o := range page {
			if err := fn(o); err != nil {
				return err
			}
		}
		if len(page) < f.Limit {
			return nil
		}
		f.BeforeID = page[len(page)-1].ID
	}
}

// PublicUnitSpend is one work unit's purchases in a fiscal year, as the portal shows them.
// Orders that ended without a purchase (market.State.Withdrawn) are counted apart and not in
// the value.
type PublicUnitSpend struct {
	UnitID       int64
	UnitCode     string
	UnitName     string
	Orders       int           // purchases: orders not withdrawn
	Withdrawn    int           // orders rejected, declined, cancelled or expired
	Value        market.Rupiah // the purchases' totals
	Paid         market.Rupiah // what has been paid on them
	LatePayments int           // payments dated after their deadline's day
	Sellers      int           // distinct UMK sold to the unit
	// Goods is the purchases' line amounts (unit price × quantity, before shipping and PPN),
	// and PDNGoods the part of it for domestic products (PDN) as they were when ordered.
	Goods, PDNGoods market.Rupiah
}

// PDNPercent is PDNGoods as a percentage of Goods (0 without goods).
func (u PublicUnitSpend) PDNPercent() float64 {
	return percentOf(u.PDNGoods, u.Goods)
}

// queueUnitSpend adds to r the reads of the purchases per unit of the orders o that cond selects
// (with args): what PublicSpend lists and a unit's page heads with, from the same statements.
// The returned function, called after r ran, gives the units, in no order.
func queueUnitSpend(r *pipe, cond string, args []any) func() []PublicUnitSpend {
	live := `o.state NOT IN (` + withdrawnStatesSQL() + `)`
	var units []PublicUnitSpend
	r.read("public spend per unit", `SELECT u.id, u.code, u.name,
			SUM(CASE WHEN `+live+` THEN 1 ELSE 0 END), SUM(CASE WHEN `+live+` THEN 0 ELSE 1 END),
			COALESCE(SUM(CASE WHEN `+live+` THEN o.total ELSE 0 END), 0),
			COALESCE(SUM(p.paid), 0), COALESCE(SUM(p.late), 0),
			COUNT(DISTINCT CASE WHEN `+live+` THEN o.seller_id END)
		FROM orders o JOIN units u ON u.id = o.unit_id
		LEFT JOIN (SELECT pm.order_id, SUM(pm.amount) AS paid, SUM(CASE WHEN pm.late THEN 1 ELSE 0 END) AS late
			FROM payments pm JOIN orders o ON o.id = pm.order_id WHERE `+cond+` GROUP BY pm.order_id) p ON p.order_id = o.id
		WHERE `+cond+` GROUP BY u.id, u.code, u.name`, args, func(row rowScanner) error {
		var u PublicUnitSpend
		if err := row.Scan(&u.UnitID, &u.UnitCode, &u.UnitName, &u.Orders, &u.Withdrawn, &u.Value, &u.Paid, &u.LatePayments, &u.Sellers); err != nil {
			return err
		}
		units = append(units, u)
		return nil
	})
	// The goods and their domestic (PDN) part, as each line's product was when ordered.
	pdn := map[int64][2]market.Rupiah{}
	r.read("public PDN share", `SELECT o.unit_id, SUM(l.unit_price * l.quantity), SUM(CASE WHEN l.pdn THEN l.unit_price * l.quantity ELSE 0 END)
		FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE `+cond+` AND `+live+` GROUP BY o.unit_id`, args, func(row rowScanner) error {
		var unit int64
		var goods, domestic market.Rupiah
		if err := row.Scan(&unit, &goods, &domestic); err != nil {
			return err
		}
		pdn[unit] = [2]market.Rupiah{goods, domestic}
		return nil
	})
	return func() []PublicUnitSpend {
		for i := range units {
			units[i].Goods, units[i].PDNGoods = pdn[units[i].UnitID][0], pdn[units[i].UnitID][1]
		}
		return units
	}
}

// PublicSpend is the portal's summary of a fiscal year: every unit that placed an order in it,
// largest value first, and the whole instance's totals (Total.Sellers counts each UMK once).
type PublicSpend struct {
	Year  int
	Years []int // the fiscal years that have orders, newest first
	Units []PublicUnitSpend
	Total PublicUnitSpend
}

// PublicSpend returns the summary of a fiscal year; year 0 means the newest year with orders.
func (s *Store) PublicSpend(ctx context.Context, year int) (PublicSpend, error) {
	out := PublicSpend{Year: year, Units: []PublicUnitSpend{}}
	err := s.readSnapshot(ctx, func(q querier) error {
		r := newPipe(q)
		r.read("public spend years", `SELECT DISTINCT fiscal_year FROM orders ORDER BY fiscal_year DESC`, nil, func(row rowScanner) error {
			var y int
			err := row.Scan(&y)
			out.Years = append(out.Years, y)
			return err
		})
		if err := r.run(ctx); err != nil {
			return err
		}
		if out.Year == 0 && len(out.Years) > 0 {
			out.Year = out.Years[0]
		}
		args := []any{out.Year}
		units := queueUnitSpend(r, "o.fiscal_year = $1", args)
		r.read("public spend sellers", `SELECT COUNT(DISTINCT o.seller_id) FROM orders o WHERE o.fiscal_year = $1 AND o.state NOT IN (`+withdrawnStatesSQL()+`)`,
			args, func(row rowScanner) error { return row.Scan(&out.Total.Sellers) })
		if err := r.run(ctx); err != nil {
			return err
		}
		out.Units = append(out.Units, units()...)
		return nil
	})
	if err != nil {
		return out, err
	}
	slices.SortFunc(out.Units, func(a, b PublicUnitSpend) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.UnitCode, b.UnitCode))
	})
	for _, u := range out.Units {
		out.Total.Goods += u.Goods
		out.Total.PDNGoods += u.PDNGoods
		out.Total.Orders += u.Orders
		out.Total.Withdrawn += u.Withdrawn
		out.Total.Value += u.Value
		out.Total.Paid += u.Paid
		out.Total.LatePayments += u.LatePayments
	}
	return out, nil
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"bela/internal/market"
)

// This file holds an order's life after checkout: reads with object-level visibility, every
// transition of market.TransitionRules (each one transaction with its stock and budget effect,
// its audit event and a notification to the next actor), price negotiation and expiry.

// OrderLine is one line of an order: a snapshot of the product at checkout and the quantities.
type OrderLine struct {
	ID           int64         `json:"id"`
	LineNo       int           `json:"line_no"`
	ProductID    int64         `json:"product_id"`
	Name         string        `json:"name"`
	Unit         string        `json:"unit"`
	CategoryCode string        `json:"category_code"`
	ListPrice    market.Rupiah `json:"list_price"`
	UnitPrice    market.Rupiah `json:"unit_price"` // the list price, or the agreed price after negotiation
	Quantity     int64         `json:"quantity"`
	Received     int64         `json:"received"`
	Amount       market.Rupiah `json:"amount"`
}

// Shipment is one delivery recorded by the seller.
type Shipment struct {
	ID           int64     `json:"id"`
	DeliveryNote string    `json:"delivery_note"`
	Courier      string    `json:"courier,omitempty"`
	Tracking     string    `json:"tracking,omitempty"`
	Note         string    `json:"note,omitempty"`
	ShippedBy    int64     `json:"shipped_by"`
	ShippedAt    time.Time `json:"shipped_at"`
}

// The conditions a receiver may record for goods received.
const (
	ConditionGood        = "good"
	ConditionMinorDamage = "minor_damage"
	ConditionDamaged     = "damaged"
)

// ReceiptLine is the quantity of one order line covered by a receipt.
type ReceiptLine struct {
	OrderLineID int64  `json:"order_line_id"`
	Quantity    int64  `json:"quantity"`
	Condition   string `json:"condition"`
}

// Receipt is a Berita Acara Serah Terima (BAST): goods received, signed by the receiver or PPK.
type Receipt struct {
	ID             int64         `json:"id"`
	Number         string        `json:"number"`
	Condition      string        `json:"condition"`
	Note           string        `json:"note,omitempty"`
	Photos         []string      `json:"photos"`
	ReceivedBy     int64         `json:"received_by"`
	ReceivedByName string        `json:"received_by_name"`
	ReceivedAt     time.Time     `json:"received_at"`
	Lines          []ReceiptLine `json:"lines"`
}

// NegotiationRecord is the price exchange on one order line with its status.
type NegotiationRecord struct {
	market.Negotiation
	Status market.NegotiationStatus `json:"status"`
}

// TimelineEntry is one audit event of an order, oldest first on the order page. Private values
// appear only as their salted hashes, as in the public log.
type TimelineEntry struct {
	Seq       int64                      `json:"seq"`
	Time      time.Time                  `json:"time"`
	ActorID   int64                      `json:"actor_id"`
	ActorName string                     `json:"actor_name"`
	ActorRole string                     `json:"actor_role"`
	Action    string                     `json:"action"`
	Changes   map[string]json.RawMessage `json:"changes"`
}

// Order is a purchase from one seller by one unit, against one budget line.
type Order struct {
	ID              int64               `json:"id"`
	CheckoutID      string              `json:"checkout_id"`
	UnitID          int64               `json:"unit_id"`
	UnitCode        string              `json:"unit_code"`
	UnitName        string              `json:"unit_name"`
	BuyerID         int64               `json:"buyer_id"`
	BuyerName       string              `json:"buyer_name"`
	PPKID           int64               `json:"ppk_id"`
	PPKName         string              `json:"ppk_name"`
	ReceiverID      int64               `json:"receiver_id,omitempty"`
	ReceiverName    string              `json:"receiver_name,omitempty"`
	SellerID        int64               `json:"seller_id"`
	SellerName      string              `json:"seller_name"`
	BudgetLineID    int64               `json:"budget_line_id"`
	KodeRUP         string              `json:"kode_rup"`
	AccountCode     string              `json:"account_code"`
	FiscalYear      int                 `json:"fiscal_year"`
	State           market.State        `json:"state"`
	DisputedFrom    market.State        `json:"disputed_from,omitempty"`
	ChargesPPN      bool                `json:"charges_ppn"`
	Goods           market.Rupiah       `json:"goods"`
	Shipping        market.Rupiah       `json:"shipping"`
	PPN             market.Rupiah       `json:"ppn"`
	Total           market.Rupiah       `json:"total"`
	BudgetReserved  market.Rupiah       `json:"budget_reserved"`
	BudgetCommitted market.Rupiah       `json:"budget_committed"`
	Address         string              `json:"address"`
	NeededBy        time.Time           `json:"needed_by,omitzero"`
	Notes           string              `json:"notes,omitempty"`
	Note            string              `json:"note,omitempty"` // the last reason given (return, reject, dispute…)
	SPNumber        string              `json:"sp_number,omitempty"`
	Policy          market.Policy       `json:"policy"`
	Rules           []market.RuleResult `json:"rules"`
	Justifications  map[string]string   `json:"justifications"`
	PlacedAt        time.Time           `json:"placed_at"`
	StateSince      time.Time           `json:"state_since"`
	ApprovedAt      time.Time           `json:"approved_at,omitzero"`
	AcceptedAt      time.Time           `json:"accepted_at,omitzero"`
	UpdatedAt       time.Time           `json:"updated_at"`
	Version         int64               `json:"version"`
	Lines           []OrderLine         `json:"lines,omitempty"` // not in lists
	// Filled by GetOrder only.
	Shipments    []Shipment          `json:"shipments,omitempty"`
	Receipts     []Receipt           `json:"receipts,omitempty"`
	Negotiations []NegotiationRecord `json:"negotiations,omitempty"`
	Timeline     []TimelineEntry     `json:"timeline,omitempty"`
	// Allowed are the actions the reading principal may take now (GetOrder only).
	Allowed []market.Action `json:"allowed_actions,omitempty"`
}

const orderColumns = `o.id, o.checkout_id, o.unit_id, un.code, un.name, o.buyer_id, bu.name, o.ppk_id, pk.name, o.receiver_id, COALESCE(rc.name, ''),
	o.seller_id, sl.name, o.budget_line_id, bl.kode_rup, bl.account_code, o.fiscal_year, o.state, o.disputed_from, o.charges_ppn,
	o.goods, o.shipping, o.ppn, o.total, o.budget_reserved, o.budget_committed, o.address, o.needed_by, o.notes, o.note, o.sp_number,
	o.policy, o.rules, o.justifications, o.placed_at, o.state_since, o.approved_at, o.accepted_at, o.updated_at, o.version`

const orderFrom = ` FROM orders o JOIN units un ON un.id = o.unit_id JOIN users bu ON bu.id = o.buyer_id JOIN users pk ON pk.id = o.ppk_id
	LEFT JOIN users rc ON rc.id = o.receiver_id JOIN sellers sl ON sl.id = o.seller_id JOIN budget_lines bl ON bl.id = o.budget_line_id`

func scanOrder(sc interface{ Scan(...any) error }) (Order, error) {
	var o Order
	var state, disputed, pol, rules, just string
	var needed, placed, since, approved, accepted, updated int64
	err := sc.Scan(&o.ID, &o.CheckoutID, &o.UnitID, &o.UnitCode, &o.UnitName, &o.BuyerID, &o.BuyerName, &o.PPKID, &o.PPKName,
		&o.ReceiverID, &o.ReceiverName, &o.SellerID, &o.SellerName, &o.BudgetLineID, &o.KodeRUP, &o.AccountCode, &o.FiscalYear,
		&state, &disputed, &o.ChargesPPN, &o.Goods, &o.Shipping, &o.PPN, &o.Total, &o.BudgetReserved, &o.BudgetCommitted,
		&o.Address, &needed, &o.Notes, &o.Note, &o.SPNumber, &pol, &rules, &just, &placed, &since, &approved, &accepted, &updated, &o.Version)
	if err != nil {
		return o, err
	}
	o.State, o.DisputedFrom = market.State(state), market.State(disputed)
	o.NeededBy, o.PlacedAt, o.StateSince = fromMicros(needed), fromMicros(placed), fromMicros(since)
	o.ApprovedAt, o.AcceptedAt, o.UpdatedAt = fromMicros(approved), fromMicros(accepted), fromMicros(updated)
	if o.Policy, err = decodePolicy(pol); err != nil {
		return o, err
	}
	if err := json.Unmarshal([]byte(rules), &o.Rules); err != nil {
		return o, fmt.Errorf("decode rules: %w", err)
	}
	if err := json.Unmarshal([]byte(just), &o.Justifications); err != nil {
		return o, fmt.Errorf("decode justifications: %w", err)
	}
	return o, nil
}

// visibleOrder loads order id for p; an order p may not see is not found, exactly as if it did
// not exist, so ids of other units' and sellers' orders reveal nothing.
func visibleOrder(ctx context.Context, q querier, p *market.Principal, id int64) (Order, error) {
	o, err := loadOrder(ctx, q, id)
	if err != nil {
		return Order{}, err
	}
	if !OrderVisible(p, o) {
		return Order{}, market.NotFound("Pesanan")
	}
	return o, nil
}

// loadOrder reads an order with its lines, or CodeNotFound.
func loadOrder(ctx context.Context, q querier, id int64) (Order, error) {
	var o Order
	found := false
	r := newPipe(q)
	queueOrder(r, id, &o, &found)
	if err := r.run(ctx); err != nil {
		return Order{}, err
	}
	if !found {
		return Order{}, market.NotFound("Pesanan")
	}
	return o, nil
}

// queueOrder adds the reads of order id and its lines into o, setting found when it exists.
func queueOrder(r *pipe, id int64, o *Order, found *bool) {
	r.read("load order", `SELECT `+orderColumns+orderFrom+` WHERE o.id = $1`, []any{id}, func(row rowScanner) error {
		var err error
		*found = true
		*o, err = scanOrder(row)
		return err
	})
	r.read("load order lines", `SELECT id, line_no, product_id, name, unit, category_code, list_price, unit_price, quantity, received
		FROM order_lines WHERE order_id = $1 ORDER BY line_no`, []any{id}, func(row rowScanner) error {
		var l OrderLine
		if err := row.Scan(&l.ID, &l.LineNo, &l.ProductID, &l.Name, &l.Unit, &l.CategoryCode, &l.ListPrice, &l.UnitPrice, &l.Quantity, &l.Received); err != nil {
			return err
		}
		l.Amount = l.UnitPrice * market.Rupiah(l.Quantity)
		o.Lines = append(o.Lines, l)
		return nil
	})
}

// OrderVisible reports whether p may read the order: the unit's officials, the seller's people,
// auditors and platform admins.
func OrderVisible(p *market.Principal, o Order) bool {
	return p.SeesEverything() || p.InUnit(o.UnitID) || p.InSeller(o.SellerID)
}

// relatedAs reports whether p stands in role's relation to this order: its buyer, its PPK, a
// receiver of its unit (its recorded receiver when there is one), one of its seller's people,
// a treasurer of its unit, or a platform admin.
func relatedAs(p *market.Principal, o Order, role market.Role) bool {
	switch role {
	case market.RoleBuyer:
		return p.UserID == o.BuyerID && p.InUnit(o.UnitID, market.RoleBuyer)
	case market.RoleApprover:
		return p.UserID == o.PPKID && p.InUnit(o.UnitID, market.RoleApprover)
	case market.RoleReceiver:
		return p.InUnit(o.UnitID, market.RoleReceiver) && (o.ReceiverID == 0 || o.ReceiverID == p.UserID)
	case market.RoleSellerOwner, market.RoleSellerStaff:
		return p.InSeller(o.SellerID, role)
	case market.RoleTreasurer:
		return p.InUnit(o.UnitID, market.RoleTreasurer)
	case market.RoleAdmin:
		return p.Has(market.RoleAdmin)
	}
	return false
}

// actingRole returns the role in which p takes action a on the order: one of the rule's roles
// that p holds in relation to this order, preferring one allowed from the order's state. It
// returns "" when p has no such relation.
func actingRole(p *market.Principal, o Order, a market.Action) market.Role {
	var fallback market.Role
	for _, r := range market.TransitionRules {
		if r.Action != a {
			continue
		}
		for _, role := range r.Roles {
			if !relatedAs(p, o, role) {
				continue
			}
			if slices.Contains(r.From, o.State) {
				return role
			}
			if fallback == "" {
				fallback = role
			}
		}
	}
	return fallback
}

// LineQuantities returns the order's lines' ordered and received quantities, for the state
// machine (market.TransitionFacts, market.NothingToInvoice).
func (o Order) LineQuantities() []market.LineQuantity {
	out := make([]market.LineQuantity, len(o.Lines))
	for i, l := range o.Lines {
		out[i] = market.LineQuantity{Ordered: l.Quantity, Received: l.Received}
	}
	return out
}

// AllowedOrderActions returns the actions p may take on the order now, in the order of
// market.Actions (expiry, the system's, is never among them; nor is invoicing an order closed
// short with nothing received, see market.NothingToInvoice).
func AllowedOrderActions(p *market.Principal, o Order) []market.Action {
	allowed := map[market.Action]bool{}
	for _, role := range market.Roles {
		if relatedAs(p, o, role) {
			for _, a := range market.AllowedActions(o.State, role) {
				allowed[a] = true
			}
		}
	}
	if allowed[market.ActionInvoice] && market.NothingToInvoice(o.State, o.LineQuantities()) != nil {
		allowed[market.ActionInvoice] = false
	}
	out := []market.Action{}
	for _, a := range market.Actions {
		if allowed[a] && a != market.ActionExpire {
			out = append(out, a)
		}
	}
	return out
}

// GetOrder returns an order with its lines, shipments, receipts (BAST), negotiations, timeline
// and the actions p may take, all read from one snapshot (in one round trip on PostgreSQL).
// Errors: CodeNotFound when it does not exist or p may not see it.
func (s *Store) GetOrder(ctx context.Context, p *market.Principal, id int64) (Order, error) {
	var o Order
	var events []AuditRow
	found := false
	err := s.read(ctx, func(q querier) error {
		r := newPipe(q)
		queueOrder(r, id, &o, &found)
		queueShipments(r, id, &o.Shipments)
		queueReceipts(r, id, &o.Receipts)
		queueNegotiations(r, id, &o.Negotiations)
		queueAuditRows(r, AuditFilter{ObjectType: "order", ObjectID: id, Limit: 500}, &events)
		return r.run(ctx)
	})
	if err != nil {
		return Order{}, err
	}
	if !found || !OrderVisible(p, o) {
		return Order{}, market.NotFound("Pesanan")
	}
	if o.Timeline, err = timeline(events); err != nil {
		return Order{}, err
	}
	o.Allowed = AllowedOrderActions(p, o)
	return o, nil
}

// queueShipments adds the read of the order's shipments into out.
func queueShipments(r *pipe, orderID int64, out *[]Shipment) {
	r.read("load shipments", `SELECT id, delivery_note, courier, tracking, note, shipped_by, shipped_at FROM shipments WHERE order_id = $1 ORDER BY id`,
		[]any{orderID}, func(row rowScanner) error {
			var sh Shipment
			var at int64
			if err := row.Scan(&sh.ID, &sh.DeliveryNote, &sh.Courier, &sh.Tracking, &sh.Note, &sh.ShippedBy, &at); err != nil {
				return err
			}
			sh.ShippedAt = fromMicros(at)
			*out = append(*out, sh)
			return nil
		})
}

func loadReceipts(ctx context.Context, q querier, orderID int64) ([]Receipt, error) {
	var out []Receipt
	r := newPipe(q)
	queueReceipts(r, orderID, &out)
	return out, r.run(ctx)
}

// queueReceipts adds the reads of the order's receipts (BAST) and their lines into out.
func queueReceipts(r *pipe, orderID int64, out *[]Receipt) {
	r.read("load receipts", `SELECT r.id, r.number, r.condition, r.note, r.photos, r.received_by, u.name, r.received_at
		FROM receipts r JOIN users u ON u.id = r.received_by WHERE r.order_id = $1 ORDER BY r.id`, []any{orderID}, func(row rowScanner) error {
		var rc Receipt
		var photos string
		var at int64
		if err := row.Scan(&rc.ID, &rc.Number, &rc.Condition, &rc.Note, &photos, &rc.ReceivedBy, &rc.ReceivedByName, &at); err != nil {
			return err
		}
		rc.ReceivedAt = fromMicros(at)
		if err := json.Unmarshal([]byte(photos), &rc.Photos); err != nil {
			return fmt.Errorf("decode receipt photos: %w", err)
		}
		*out = append(*out, rc)
		return nil
	})
	// Every receipt's lines in one statement, in the receipts' order.
	r.read("load receipt lines", `SELECT rl.receipt_id, rl.order_line_id, rl.quantity, rl.condition
		FROM receipt_lines rl JOIN receipts r ON r.id = rl.receipt_id WHERE r.order_id = $1 ORDER BY rl.receipt_id, rl.order_line_id`,
		[]any{orderID}, func(row rowScanner) error {
			var receipt int64
			var l ReceiptLine
			if err := row.Scan(&receipt, &l.OrderLineID, &l.Quantity, &l.Condition); err != nil {
				return err
			}
			for i := range *out {
				if rc := &(*out)[i]; rc.ID == receipt {
					rc.Lines = append(rc.Lines, l)
					return nil
				}
			}
			return fmt.Errorf("receipt line of unknown receipt %d", receipt)
		})
}

// queueNegotiations adds the read of the order's negotiations into out.
func queueNegotiations(r *pipe, orderID int64, out *[]NegotiationRecord) {
	r.read("load negotiations", `SELECT line_no, list_price, moves FROM negotiations WHERE order_id = $1 ORDER BY line_no`,
		[]any{orderID}, func(row rowScanner) error {
			var n market.Negotiation
			var moves string
			if err := row.Scan(&n.Line, &n.ListPrice, &moves); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(moves), &n.Moves); err != nil {
				return fmt.Errorf("decode negotiation: %w", err)
			}
			*out = append(*out, NegotiationRecord{Negotiation: n, Status: n.Status()})
			return nil
		})
}

// timeline turns an order's audit events, newest first, into its timeline, oldest first.
func timeline(rows []AuditRow) ([]TimelineEntry, error) {
	out := make([]TimelineEntry, 0, len(rows))
	for i := len(rows) - 1; i >= 0; i-- {
		r := rows[i]
		var ev struct {
			Changes map[string]json.RawMessage `json:"changes"`
		}
		if err := json.Unmarshal(r.Canonical, &ev); err != nil {
			return nil, fmt.Errorf("decode audit event %d: %w", r.Seq, err)
		}
		out = append(out, TimelineEntry{Seq: r.Seq, Time: r.Time, ActorID: r.ActorUserID, ActorName: r.ActorName,
			ActorRole: r.ActorRole, Action: r.Action, Changes: ev.Changes})
	}
	return out, nil
}

// sqlFilter builds a WHERE clause from conditions, numbering their "?" placeholders in order.
type sqlFilter struct {
	conds []string
	args  []any
}

// add adds a condition whose "?" take v in turn.
func (f *sqlFilter) add(cond string, v ...any) {
	for _, x := range v {
		f.args = append(f.args, x)
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(f.args)), 1)
	}
	f.conds = append(f.conds, cond)
}

// where is " WHERE " and the conditions joined by AND, or empty without any.
func (f *sqlFilter) where() string {
	if len(f.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.conds, " AND ")
}

// withdrawnStatesSQL is the withdrawn states as an SQL list of literals ('rejected', …): they
// are constants of the code, so that statements need no arguments for them.
func withdrawnStatesSQL() string {
	var b strings.Builder
	for _, st := range market.States {
		if st.Withdrawn() {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "'%s'", strings.ReplaceAll(string(st), "'", "''"))
		}
	}
	return b.String()
}

// listLimit is a list's page size: 50 when n is not positive, at most 500.
func listLimit(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 500)
}

// OrderFilter selects orders for a list. With UnitID, SellerID or PPKID the list is that unit's,
// seller's or PPK's; with none, every order the principal may see.
type OrderFilter struct {
	UnitID   int64
	SellerID int64
	PPKID    int64
	State    market.State
	BeforeID int64 // for paging: only orders with a smaller id
	Limit    int   // 50 when zero, at most 500
}

// ListOrders returns orders matching f that p may see (OrderVisible), newest first, without
// shipments, receipts or timeline. Errors: CodeNotFound when the filter names a unit or seller
// p may not see, CodeForbidden when it names another PPK and p is neither an auditor nor an
// admin nor an official of the unit.
func (s *Store) ListOrders(ctx context.Context, p *market.Principal, f OrderFilter) ([]Order, error) {
	var w sqlFilter
	switch {
	case f.UnitID != 0 && !unitVisible(p, f.UnitID):
		return nil, market.NotFound("Satuan kerja")
	case f.SellerID != 0 && !p.SeesEverything() && !p.InSeller(f.SellerID):
		return nil, market.NotFound("Penyedia")
	case f.PPKID != 0 && f.PPKID != p.UserID && !p.SeesEverything() && f.UnitID == 0:
		return nil, market.Forbidden("Daftar pesanan PPK lain hanya untuk auditor dan admin.")
	}
	if f.UnitID != 0 {
		w.add("o.unit_id = ?", f.UnitID)
	}
	if f.SellerID != 0 {
		w.add("o.seller_id = ?", f.SellerID)
	}
	if f.PPKID != 0 {
		w.add("o.ppk_id = ?", f.PPKID)
	}
	// Whatever the filter, p sees only the orders p may see now (OrderVisible): those of the
	// units and sellers p holds a role in, unless p sees everything. A PPK's own orders are no
	// exception: once their role in a unit has ended, that unit's orders are no longer theirs
	// to read, as GetOrder says.
	if f.UnitID == 0 && f.SellerID == 0 && !p.SeesEverything() {
		units, sellers := p.UnitIDs(), p.SellerIDs()
		var or []string
		if len(units) > 0 {
			or = append(or, "o.unit_id IN ("+ordPlaceholders(len(w.args)+1, len(units))+")")
			w.args = append(w.args, ordArgs(units)...)
		}
		if len(sellers) > 0 {
			or = append(or, "o.seller_id IN ("+ordPlaceholders(len(w.args)+1, len(sellers))+")")
			w.args = append(w.args, ordArgs(sellers)...)
		}
		if len(or) == 0 {
			return []Order{}, nil
		}
		w.conds = append(w.conds, "("+strings.Join(or, " OR ")+")")
	}
	if f.State != "" {
		w.add("o.state = ?", string(f.State))
	}
	if f.BeforeID != 0 {
		w.add("o.id < ?", f.BeforeID)
	}
	q := s.q(ctx)
	rows, err := q.QueryContext(ctx, `SELECT `+orderColumns+orderFrom+w.where()+fmt.Sprintf(` ORDER BY o.id DESC LIMIT %d`, listLimit(f.Limit)), w.args...)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	out := []Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list orders: %w", err)
		}
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	return out, nil
}

// orderAction is one transition's specifics for runAction.
type orderAction struct {
	action market.Action
	reason string
	// facts adds what market.Transition needs beyond role, reason and time.
	facts func(tx *Tx, o *Order, f *market.TransitionFacts) error
	// apply makes the action's own writes after the transition is allowed and before the
	// stock and budget effect; it may change o (amounts, SP number) and add audit changes.
	apply func(tx *Tx, o *Order, role market.Role, next market.State, ch map[string]market.Change) error
	// notify tells the next actor.
	notify func(tx *Tx, w *pipe, o *Order, next market.State) error
}

// runAction performs one transition on an order in one transaction: object-level check, state
// machine, action writes, stock and budget effect, conditional update of the order row (by
// version, so concurrent actions on one order conflict instead of both applying), audit event
// and notification. p nil means the system.
func (s *Store) runAction(ctx context.Context, p *market.Principal, id int64, a orderAction) (Order, error) {
	var out Order
	a.reason = strings.TrimSpace(a.reason)
	if len([]rune(a.reason)) > MaxReasonLength {
		return out, market.Invalid("reason", fmt.Sprintf("Alasan paling banyak %d karakter.", MaxReasonLength))
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		o, err := loadOrder(ctx, tx.tx, id)
		if err != nil {
			return err
		}
		role, actor := market.RoleSystem, System
		if p != nil {
			if !OrderVisible(p, o) {
				return market.NotFound("Pesanan")
			}
			if role = actingRole(p, o, a.action); role == "" {
				return market.Forbidden(fmt.Sprintf("Anda bukan pihak yang berwenang %s pesanan ini.", a.action.Label()))
			}
			actor = Actor{UserID: p.UserID, Role: role}
		}
		if err := tx.touchUnitOrders(ctx, o.UnitID); err != nil {
			return err
		}
		f := market.TransitionFacts{Role: role, Reason: a.reason, Now: tx.now, DisputedFrom: o.DisputedFrom, Lines: o.LineQuantities()}
		if a.facts != nil {
			if err := a.facts(tx, &o, &f); err != nil {
				return err
			}
		}
		next, eff, err := market.Transition(o.State, a.action, f)
		if err != nil {
			return err
		}
		from := o.State
		ch := map[string]market.Change{"state": {Before: from, After: next}}
		if a.reason != "" {
			ch["reason"] = market.Change{After: a.reason}
			o.Note = a.reason
		}
		if a.apply != nil {
			if err := a.apply(tx, &o, role, next, ch); err != nil {
				return err
			}
		}
		if err := tx.applyEffect(ctx, &o, eff, ch); err != nil {
			return err
		}
		o.State = next
		since := micros(o.StateSince)
		if next != from {
			since = micros(tx.now)
		}
		// The order's row, audit event and notifications together: one round trip on PostgreSQL.
		w := newPipe(tx.tx)
		w.write("update order", `UPDATE orders SET state = $1, disputed_from = $2, note = $3, sp_number = $4, budget_reserved = $5,
				budget_committed = $6, approved_at = $7, accepted_at = $8, goods = $9, shipping = $10, ppn = $11, total = $12,
				rules = $13, policy = $14, state_since = $15, updated_at = $16, version = version + 1
			WHERE id = $17 AND version = $18`,
			[]any{string(next), string(o.DisputedFrom), o.Note, o.SPNumber, o.BudgetReserved, o.BudgetCommitted, micros(o.ApprovedAt),
				micros(o.AcceptedAt), o.Goods, o.Shipping, o.PPN, o.Total, mustJSON(nonNilRules(o.Rules)), mustJSON(o.Policy),
				since, micros(tx.now), o.ID, o.Version}, func(n int64) error {
				if n != 1 {
					return market.Conflict("Pesanan baru saja diubah pihak lain; muat ulang dan coba lagi.")
				}
				return nil
			})
		if err := tx.queueAudit(w, actor, "order."+string(a.action), "order", o.ID, ch); err != nil {
			return err
		}
		if p != nil {
			// The actor has acted on the order: what their inbox told them about it is read.
			w.write("mark read", `UPDATE inbox SET read_at = $1 WHERE user_id = $2 AND read_at = 0 AND link IN ($3, $4)`,
				[]any{micros(tx.now), p.UserID, orderLink(o.ID), paymentLink(o.ID)}, nil)
		}
		if a.notify != nil {
			if err := a.notify(tx, w, &o, next); err != nil {
				return err
			}
		}
		if err := w.run(ctx); err != nil {
			return err
		}
		out = o
		return nil
	})
	if err != nil {
		return Order{}, err
	}
	if p == nil {
		return out, nil
	}
	if s.batch(ctx) != nil {
		// Bulk loaders get the order as the transaction left it (lines, amounts, state), not
		// its full view with the timeline: reloading that after every step was a third of the
		// demo's order history.
		out.Allowed = AllowedOrderActions(p, out)
		return out, nil
	}
	return s.GetOrder(ctx, p, id)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("store: encode %T: %v", v, err))
	}
	return string(b)
}

// applyEffect moves the order's stock and budget as eff says, with conditional UPDATEs, and
// records the amounts in ch. MoveAdjust is the resubmission's own work and MoveSpend the
// payment's; they are not handled here.
func (tx *Tx) applyEffect(ctx context.Context, o *Order, eff market.Effect, ch map[string]market.Change) error {
	switch eff.Stock {
	case market.MoveRelease, market.MoveReleaseRest:
		for _, l := range o.Lines {
			if err := tx.returnStock(ctx, l.ProductID, l.Quantity-l.Received); err != nil {
				return err
			}
		}
	}
	var relR, relC market.Rupiah
	switch eff.Budget {
	case market.MoveCommit:
		res, err := tx.exec(ctx, `UPDATE budget_lines SET reserved = reserved - $1, committed = committed + $1, updated_at = $2
			WHERE id = $3 AND reserved >= $1`, o.BudgetReserved, micros(tx.now), o.BudgetLineID)
		if err != nil {
			return fmt.Errorf("commit budget: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return market.Conflict("Cadangan anggaran pesanan ini tidak ditemukan pada baris anggaran.")
		}
		ch["budget_committed"] = market.Change{Before: o.BudgetCommitted, After: o.BudgetCommitted + o.BudgetReserved}
		o.BudgetCommitted += o.BudgetReserved
		o.BudgetReserved = 0
		return nil
	case market.MoveRelease:
		relR, relC = o.BudgetReserved, o.BudgetCommitted
	case market.MoveReleaseRest:
		keep, err := o.receivedTotal(tx.now)
		if err != nil {
			return err
		}
		rest := max(o.BudgetReserved+o.BudgetCommitted-keep, 0)
		relR = min(rest, o.BudgetReserved)
		relC = rest - relR
	default:
		return nil
	}
	return tx.releaseBudget(ctx, o, relR, relC, ch)
}

// releaseBudget gives relR of the order's reserved and relC of its committed budget back to its
// budget line, and records the amount in ch.
func (tx *Tx) releaseBudget(ctx context.Context, o *Order, relR, relC market.Rupiah, ch map[string]market.Change) error {
	if relR == 0 && relC == 0 {
		return nil
	}
	res, err := tx.exec(ctx, `UPDATE budget_lines SET reserved = reserved - $1, committed = committed - $2, updated_at = $3
		WHERE id = $4 AND reserved >= $1 AND committed >= $2`, relR, relC, micros(tx.now), o.BudgetLineID)
	if err != nil {
		return fmt.Errorf("release budget: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return market.Conflict("Anggaran pesanan ini tidak dapat dilepas: baris anggaran tidak sesuai.")
	}
	ch["budget_released"] = market.Change{After: relR + relC}
	o.BudgetReserved -= relR
	o.BudgetCommitted -= relC
	return nil
}

// receivedTotal is what the received goods cost with the order's shipping and PPN: the amount
// an order closed short still owes. With nothing received it owes nothing, not even the
// shipping of goods that never came (see market.NothingToInvoice).
func (o *Order) receivedTotal(at time.Time) (market.Rupiah, error) {
	amounts := make([]market.Rupiah, len(o.Lines))
	received := false
	for i, l := range o.Lines {
		amounts[i] = l.UnitPrice * market.Rupiah(l.Received)
		received = received || l.Received > 0
	}
	if !received {
		return 0, nil
	}
	a, err := market.OrderTotal(amounts, o.Shipping, o.ChargesPPN, at)
	return a.Total, err
}

// recalc recomputes the order's goods, PPN and total from its lines' prices and quantities.
func (o *Order) recalc(at time.Time) error {
	amounts := make([]market.Rupiah, len(o.Lines))
	for i := range o.Lines {
		l := &o.Lines[i]
		amt, err := market.LineAmount(l.UnitPrice, l.Quantity)
		if err != nil {
			return err
		}
		l.Amount, amounts[i] = amt, amt
	}
	a, err := market.OrderTotal(amounts, o.Shipping, o.ChargesPPN, at)
	if err != nil {
		return err
	}
	o.Goods, o.PPN, o.Total = a.Goods, a.PPN, a.Total
	return nil
}

// recheck evaluates every rule again for the order as it stands (lines and amounts possibly
// edited), counting heldStock (by product) and the order's budget hold as its own. It returns
// the results and the policy used (the current one).
func (s *Store) recheck(ctx context.Context, tx *Tx, o *Order, heldStock map[int64]int64) ([]market.RuleResult, market.Policy, error) {
	plan, err := s.planRules(ctx, tx.tx, o, heldStock, false)
	if err != nil {
		return nil, market.Policy{}, err
	}
	return plan.evaluate(ctx, tx.tx)
}

// rulePlan is what the rules read of an order's facts, read at one time: everything, or
// everything but the lines' price references (read by evaluate).
type rulePlan struct {
	in          market.CheckInput // the lines without their price references
	categories  []string          // the lines' categories
	facts       *ruleFacts
	unitVersion int64 // the unit's orders_version when read ahead (0 otherwise)
}

// planRules reads the facts of the rules for the order, counting heldStock (by product) and the
// order's budget hold as its own: in two sets of reads (two round trips on PostgreSQL), the
// policy, time zone, budget line and products, then what the rules read of the lines, seller
// and unit. Read ahead of a write, it also reads the unit's orders_version first and leaves the
// price references out: other units' approvals change them, so they are read by evaluate, in
// the write.
func (s *Store) planRules(ctx context.Context, q querier, o *Order, heldStock map[int64]int64, ahead bool) (*rulePlan, error) {
	plan := &rulePlan{}
	var tz, rawPolicy string
	var budget market.BudgetLine
	budgetFound := false
	prods := map[int64]orderProduct{}
	ids := make([]int64, len(o.Lines))
	for i, l := range o.Lines {
		ids[i] = l.ProductID
	}
	r := newPipe(q)
	if ahead {
		r.read("unit orders version", `SELECT orders_version FROM units WHERE id = $1`, []any{o.UnitID}, func(row rowScanner) error {
			return row.Scan(&plan.unitVersion)
		})
	}
	r.read("policy and time zone", `SELECT COALESCE((SELECT time_zone FROM instance LIMIT 1), ''),
		COALESCE((SELECT policy FROM policy_versions ORDER BY id DESC LIMIT 1), '')`, nil, func(row rowScanner) error {
		return row.Scan(&tz, &rawPolicy)
	})
	queueBudgetLine(r, o.BudgetLineID, &budget, &budgetFound)
	queueOrderProducts(r, ids, prods)
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	pol, err := decodePolicy(rawPolicy)
	if err != nil {
		return nil, err
	}
	if !budgetFound {
		return nil, market.NotFound("Baris anggaran")
	}
	now := s.Now().In(tzLocation(tz))
	plan.facts = newRuleFacts(q, now, pol)
	if !ahead {
		for _, l := range o.Lines {
			plan.facts.queueLine(r, l.CategoryCode, l.Unit)
		}
	}
	plan.facts.queueLinks(r, o.SellerID)
	plan.facts.queueUnit(r, o.UnitID, now.Year())
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	in := market.CheckInput{Policy: pol, Now: now, OrderID: o.ID, UnitID: o.UnitID, BuyerID: o.BuyerID, ApproverID: o.PPKID,
		ReceiverID: o.ReceiverID, Total: o.Total, Budget: budget, BudgetHeld: o.BudgetReserved + o.BudgetCommitted}
	for _, l := range o.Lines {
		pr := prods[l.ProductID]
		if in.Seller.ID == 0 {
			in.Seller = pr.checkSeller()
		}
		in.Lines = append(in.Lines, market.CheckLine{ProductID: l.ProductID, Name: l.Name, Approved: pr.status == market.ProductApproved,
			Quantity: l.Quantity, MinQuantity: pr.minOrder, Stock: pr.stock, StockHeld: heldStock[l.ProductID], UnitPrice: l.UnitPrice,
			PublicPrice: pr.publicPrice, UnitOfMeasure: l.Unit})
		plan.categories = append(plan.categories, l.CategoryCode)
	}
	plan.in = in
	return plan, nil
}

// evaluate reads through q the price references the plan has not read yet, and evaluates the
// rules. It returns the results and the policy used.
func (pl *rulePlan) evaluate(ctx context.Context, q querier) ([]market.RuleResult, market.Policy, error) {
	pl.facts.q = q
	r := newPipe(q)
	for i, l := range pl.in.Lines {
		pl.facts.queueLine(r, pl.categories[i], l.UnitOfMeasure)
	}
	if err := r.run(ctx); err != nil {
		return nil, pl.in.Policy, err
	}
	in := pl.in
	in.Lines = slices.Clone(pl.in.Lines)
	for i := range in.Lines {
		if err := pl.facts.line(ctx, &in.Lines[i], pl.categories[i]); err != nil {
			return nil, in.Policy, err
		}
	}
	results, err := pl.facts.check(ctx, &in, pl.categories, nil)
	return results, in.Policy, err
}

func heldQuantities(o *Order) map[int64]int64 {
	m := map[int64]int64{}
	for _, l := range o.Lines {
		m[l.ProductID] += l.Quantity
	}
	return m
}

// Approve is the PPK's approval: every rule is checked again (the justifications written at
// checkout answer the warnings), the budget reservation becomes a commitment, and the Surat
// Pesanan gets its number (SP/{unit}/{year}/{seq}, counted per unit and year); the seller's
// people are notified. Errors: CodeNotFound, CodeForbidden unless p is this order's PPK,
// CodeConflict when not awaiting approval, CodeRuleBlocked when a rule now stops it.
func (s *Store) Approve(ctx context.Context, p *market.Principal, id int64) (Order, error) {
	return s.approve(ctx, p, id, s.planApproval(ctx, id))
}

// approve is Approve with the facts read ahead (nil: none).
func (s *Store) approve(ctx context.Context, p *market.Principal, id int64, ahead *approvalPlan) (Order, error) {
	return s.runAction(ctx, p, id, orderAction{action: market.ActionApprove,
		apply: func(tx *Tx, o *Order, _ market.Role, _ market.State, ch map[string]market.Change) error {
			results, pol, err := s.approvalRules(ctx, tx, o, ahead)
			if err != nil {
				return err
			}
			if err := market.RuleError(results, o.Justifications); err != nil {
				return err
			}
			o.Rules, o.Policy = results, pol
			now, err := s.fiscalNow(ctx, tx.tx)
			if err != nil {
				return err
			}
			var seq int
			if err := tx.queryRow(ctx, `INSERT INTO sp_sequences (unit_id, year, last) VALUES ($1, $2, 1)
				ON CONFLICT (unit_id, year) DO UPDATE SET last = sp_sequences.last + 1 RETURNING last`, o.UnitID, now.Year()).Scan(&seq); err != nil {
				return fmt.Errorf("surat pesanan sequence: %w", err)
			}
			if o.SPNumber, err = market.SuratPesananNumber(spUnitCode(o.UnitCode), now.Year(), seq); err != nil {
				return err
			}
			o.ApprovedAt = tx.now
			// The approved unit prices join the category's price reference.
			if _, err := tx.exec(ctx, `UPDATE order_lines SET approved_at = $1 WHERE order_id = $2`, micros(tx.now), o.ID); err != nil {
				return fmt.Errorf("record approved prices: %w", err)
			}
			ch["sp_number"] = market.Change{After: o.SPNumber}
			ch["rules"] = market.Change{After: nonNilRules(results)}
			return nil
		},
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			tx.queueNotifySeller(w, o, "Pesanan baru disetujui PPK",
				fmt.Sprintf("Surat Pesanan %s dari %s senilai %s sudah ditandatangani PPK. Terima atau tolak pesanan ini.", o.SPNumber, o.UnitName, o.Total))
			return nil
		}})
}

// approvalPlan is an approval's rule facts read ahead of its write, from the order as it
// was then.
type approvalPlan struct {
	*rulePlan
	orderVersion int64
}

// planApproval reads the facts of an order's approval ahead of the write, so that SQLite's
// writer (and, on PostgreSQL, the unit's row lock) is held only for the price references and
// the writes. It returns nil inside Batch, and when the reads fail: the approval then reads
// everything in its write, where the error is reported.
func (s *Store) planApproval(ctx context.Context, id int64) *approvalPlan {
	if s.batch(ctx) != nil {
		return nil
	}
	var plan *approvalPlan
	err := s.read(ctx, func(q querier) error {
		o, err := loadOrder(ctx, q, id)
		if err != nil || o.State != market.StateAwaitingApproval {
			return err
		}
		rp, err := s.planRules(ctx, q, &o, heldQuantities(&o), true)
		if err == nil {
			plan = &approvalPlan{rulePlan: rp, orderVersion: o.Version}
		}
		return err
	})
	if err != nil {
		return nil
	}
	return plan
}

// approvalRules evaluates the rules for the approval of o: from the facts read ahead when
// neither the order nor any other order of its unit changed since (the unit's orders_version
// is then exactly one above what was read: this transaction's own touch), otherwise from facts
// read again here. The price references are read here either way. Every transaction that
// changes a unit's orders raises its version; what else the rules read (policy, products,
// sellers, memberships, relations) is changed by use cases that read no orders, so the
// approval is serialisable as if it had committed just before them.
func (s *Store) approvalRules(ctx context.Context, tx *Tx, o *Order, ahead *approvalPlan) ([]market.RuleResult, market.Policy, error) {
	if ahead != nil && ahead.orderVersion == o.Version {
		var version int64
		if err := tx.queryRow(ctx, `SELECT orders_version FROM units WHERE id = $1`, o.UnitID).Scan(&version); err != nil {
			return nil, market.Policy{}, fmt.Errorf("unit orders version: %w", err)
		}
		if version == ahead.unitVersion+1 {
			return ahead.evaluate(ctx, tx.tx)
		}
	}
	return s.recheck(ctx, tx, o, heldQuantities(o))
}

// spUnitCode makes a unit code fit a Surat Pesanan number: upper case, other characters as '-'.
func spUnitCode(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	b := []byte(code)
	for i, c := range b {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '.' {
			b[i] = '-'
		}
	}
	if len(b) > 30 {
		b = b[:30]
	}
	if len(b) == 0 {
		return "UNIT"
	}
	return string(b)
}

// sellerPeople are the roles of a seller's people: its owners and staff.
var sellerPeople = []market.Role{market.RoleSellerOwner, market.RoleSellerStaff}

func (tx *Tx) notifySeller(ctx context.Context, o *Order, subject, body string) error {
	return tx.notifyMembers(ctx, market.ScopeSeller, o.SellerID, sellerPeople, subject, body, orderLink(o.ID), true)
}

// queueNotifySeller queues the message for the seller's active owners and staff, in their
// inboxes and by e-mail.
func (tx *Tx) queueNotifySeller(w *pipe, o *Order, subject, body string) {
	tx.queueNotifyMembers(w, market.ScopeSeller, o.SellerID, sellerPeople, subject, body, orderLink(o.ID), true)
}

func (tx *Tx) notifyUser(ctx context.Context, userID int64, o *Order, subject, body string) error {
	w := newPipe(tx.tx)
	tx.queueNotifyUser(w, userID, o, subject, body)
	return w.run(ctx)
}

// queueNotifyUser queues the message in the user's inbox, unless userID is 0.
func (tx *Tx) queueNotifyUser(w *pipe, userID int64, o *Order, subject, body string) {
	if userID != 0 {
		tx.queueNotify(w, userID, subject, body, orderLink(o.ID), false)
	}
}

// Return sends an order back to its buyer with the PPK's note; the buyer edits and resubmits.
// Errors: CodeNotFound, CodeForbidden unless p is this order's PPK, CodeConflict when not
// awaiting approval, CodeInvalid without a note.
func (s *Store) Return(ctx context.Context, p *market.Principal, id int64, note string) (Order, error) {
	return s.runAction(ctx, p, id, orderAction{action: market.ActionReturn, reason: note,
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			tx.queueNotifyUser(w, o.BuyerID, o, "Pesanan dikembalikan PPK", fmt.Sprintf("PPK mengembalikan pesanan #%d: %s", o.ID, o.Note))
			return nil
		}})
}

// Reject ends an order at the PPK's refusal; its stock and budget are released. Errors as for
// Return.
func (s *Store) Reject(ctx context.Context, p *market.Principal, id int64, reason string) (Order, error) {
	return s.runAction(ctx, p, id, orderAction{action: market.ActionReject, reason: reason,
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			tx.queueNotifyUser(w, o.BuyerID, o, "Pesanan ditolak PPK", fmt.Sprintf("PPK menolak pesanan #%d: %s", o.ID, o.Note))
			return nil
		}})
}

// Accept is the seller's acceptance of an approved order; the buyer is notified. Errors:
// CodeNotFound, CodeForbidden unless p is one of the seller's people, CodeConflict when not approved.
func (s *Store) Accept(ctx context.Context, p *market.Principal, id int64) (Order, error) {
	return s.runAction(ctx, p, id, orderAction{action: market.ActionAccept,
		apply: func(tx *Tx, o *Order, _ market.Role, _ market.State, _ map[string]market.Change) error {
			o.AcceptedAt = tx.now
			return nil
		},
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			tx.queueNotifyUser(w, o.BuyerID, o, "Pesanan diterima penyedia", fmt.Sprintf("%s menerima pesanan #%d dan akan mengirimkannya.", o.SellerName, o.ID))
			return nil
		}})
}

// Decline ends an approved order at the seller's refusal; stock and budget are released and the
// buyer and PPK notified. Errors as for Accept, plus CodeInvalid without a reason.
func (s *Store) Decline(ctx context.Context, p *market.Principal, id int64, reason string) (Order, error) {
	return s.runAction(ctx, p, id, orderAction{action: market.ActionDecline, reason: reason,
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			body := fmt.Sprintf("%s menolak pesanan #%d: %s", o.SellerName, o.ID, o.Note)
			tx.queueNotifyUser(w, o.BuyerID, o, "Pesanan ditolak penyedia", body)
			tx.queueNotifyUser(w, o.PPKID, o, "Pesanan ditolak penyedia", body)
			return nil
		}})
}

// ShipInput is one shipment: the delivery note (surat jalan) number, and courier and tracking
// number when sent by courier.
type ShipInput struct {
	DeliveryNote string `json:"delivery_note"`
	Courier      string `json:"courier"`
	Tracking     string `json:"tracking"`
	Note         string `json:"note"`
}

// Ship records a shipment (several are allowed) and tells the receiver (or the PPK when the
// order names none). Errors: CodeNotFound, CodeForbidden unless p is one of the seller's
// people, CodeConflict when not accepted or partly delivered, CodeInvalid without a delivery note.
func (s *Store) Ship(ctx context.Context, p *market.Principal, id int64, in ShipInput) (Order, error) {
	in.DeliveryNote, in.Courier, in.Tracking, in.Note = strings.TrimSpace(in.DeliveryNote), strings.TrimSpace(in.Courier), strings.TrimSpace(in.Tracking), strings.TrimSpace(in.Note)
	fe := market.FieldErrors{}
	if in.DeliveryNote == "" || len(in.DeliveryNote) > 100 {
		fe.Add("delivery_note", "Nomor surat jalan wajib diisi, paling banyak 100 karakter.")
	}
	if len(in.Courier) > 100 || len(in.Tracking) > 100 {
		fe.Add("tracking", "Nama kurir dan nomor resi paling banyak 100 karakter.")
	}
	if len([]rune(in.Note)) > MaxReasonLength {
		fe.Add("note", fmt.Sprintf("Catatan paling banyak %d karakter.", MaxReasonLength))
	}
	if err := fe.Err(); err != nil {
		return Order{}, err
	}
	return s.runAction(ctx, p, id, orderAction{action: market.ActionShip,
		apply: func(tx *Tx, o *Order, _ market.Role, _ market.State, ch map[string]market.Change) error {
			sid, err := tx.insertID(ctx, `INSERT INTO shipments (order_id, delivery_note, courier, tracking, note, shipped_by, shipped_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.ID, in.DeliveryNote, in.Courier, in.Tracking, in.Note, p.UserID, micros(tx.now))
			if err != nil {
				return fmt.Errorf("insert shipment: %w", err)
			}
			ch["shipment"] = market.Change{After: map[string]any{"id": sid, "delivery_note": in.DeliveryNote, "courier": in.Courier, "tracking": in.Tracking}}
			return nil
		},
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			to := o.ReceiverID
			if to == 0 {
				to = o.PPKID
			}
			tx.queueNotifyUser(w, to, o, "Barang pesanan dikirim",
				fmt.Sprintf("%s mengirim barang pesanan #%d (surat jalan %s). Periksa dan catat penerimaannya (BAST).", o.SellerName, o.ID, in.DeliveryNote))
			return nil
		}})
}

// MaxReceiptPhotos is how many photos one BAST may carry.
const MaxReceiptPhotos = 10

// ReceiveInput is one receipt (BAST): the quantity received now per order line (by line id),
// the overall condition, an optional note and photos (ids of pictures in the blob store, which
// the caller has checked exist).
type ReceiveInput struct {
	Lines     []ReceiptLine `json:"lines"`
	Condition string        `json:"condition"`
	Note      string        `json:"note"`
	Photos    []string      `json:"photos"`
}

// photoID is the form of a blob id: the photo's hex SHA-256.
var photoID = regexp.MustCompile(`^[0-9a-f]{64}$`)

func validCondition(c string) bool {
	return c == ConditionGood || c == ConditionMinorDamage || c == ConditionDamaged
}

// Receive records goods received and signs a BAST: partial receipts lead to
// partially_received, a receipt completing every line to received; the seller is notified.
// The receiver must not be linked to the seller. Errors: CodeNotFound, CodeForbidden unless p is
// this order's PPK or its (or, when none is recorded, its unit's) receiver, CodeConflict when
// nothing is shipped, CodeInvalid for quantities above what is still due or none at all,
// CodeRuleBlocked when the receiver is linked to the seller.
func (s *Store) Receive(ctx context.Context, p *market.Principal, id int64, in ReceiveInput) (Order, error) {
	in.Note = strings.TrimSpace(in.Note)
	if in.Condition == "" {
		in.Condition = ConditionGood
	}
	fe := market.FieldErrors{}
	if !validCondition(in.Condition) {
		fe.Add("condition", "Kondisi barang harus good, minor_damage atau damaged.")
	}
	if len([]rune(in.Note)) > MaxReasonLength {
		fe.Add("note", fmt.Sprintf("Catatan paling banyak %d karakter.", MaxReasonLength))
	}
	if len(in.Photos) > MaxReceiptPhotos {
		fe.Add("photos", fmt.Sprintf("Paling banyak %d foto per BAST.", MaxReceiptPhotos))
	}
	for _, ph := range in.Photos {
		if !photoID.MatchString(ph) {
			fe.Add("photos", "Foto tidak dikenal; unggah fotonya dahulu.")
			break
		}
	}
	if in.Photos == nil {
		in.Photos = []string{}
	}
	if err := fe.Err(); err != nil {
		return Order{}, err
	}
	return s.runAction(ctx, p, id, orderAction{action: market.ActionReceive, reason: "",
		facts: func(tx *Tx, o *Order, f *market.TransitionFacts) error {
			f.Lines = nil // the quantities after this receipt, below
			now := map[int64]int64{}
			for i, rl := range in.Lines {
				if rl.Quantity < 0 {
					return market.Invalid("lines", fmt.Sprintf("Baris %d: jumlah tidak boleh negatif.", i+1))
				}
				if rl.Condition != "" && !validCondition(rl.Condition) {
					return market.Invalid("lines", fmt.Sprintf("Baris %d: kondisi barang tidak dikenal.", i+1))
				}
				now[rl.OrderLineID] += rl.Quantity
			}
			var any bool
			for _, l := range o.Lines {
				q := now[l.ID]
				delete(now, l.ID)
				any = any || q > 0
				f.Lines = append(f.Lines, market.LineQuantity{Ordered: l.Quantity, Received: l.Received + q})
			}
			if len(now) > 0 {
				return market.Invalid("lines", "Ada baris penerimaan yang bukan baris pesanan ini.")
			}
			if !any {
				return market.Invalid("lines", "Isi jumlah barang yang diterima sekarang.")
			}
			return nil
		},
		apply: func(tx *Tx, o *Order, role market.Role, _ market.State, ch map[string]market.Change) error {
			facts := newRuleFacts(tx.tx, tx.now, o.Policy)
			links, err := facts.sellerLinks(ctx, o.SellerID)
			if err != nil {
				return err
			}
			if res := market.CheckConflict(market.CheckInput{ReceiverID: p.UserID, Seller: market.CheckSeller{ID: o.SellerID, Name: o.SellerName}, Links: links}); len(res) > 0 {
				return &market.Error{Code: market.CodeRuleBlocked, Message: "Penerima barang memiliki benturan kepentingan dengan penyedia.", Rules: res}
			}
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM receipts WHERE order_id = $1`, o.ID).Scan(&n); err != nil {
				return fmt.Errorf("count receipts: %w", err)
			}
			local, err := s.fiscalNow(ctx, tx.tx)
			if err != nil {
				return err
			}
			number := fmt.Sprintf("BAST/%s/%d/%d-%d", spUnitCode(o.UnitCode), local.Year(), o.ID, n+1)
			rid, err := tx.insertID(ctx, `INSERT INTO receipts (order_id, number, condition, note, photos, received_by, received_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.ID, number, in.Condition, in.Note, mustJSON(in.Photos), p.UserID, micros(tx.now))
			if err != nil {
				return fmt.Errorf("insert receipt: %w", err)
			}
			got := map[int64]int64{}
			cond := map[int64]string{}
			for _, rl := range in.Lines {
				got[rl.OrderLineID] += rl.Quantity
				if rl.Condition != "" {
					cond[rl.OrderLineID] = rl.Condition
				}
			}
			var lines []map[string]any
			for i := range o.Lines {
				l := &o.Lines[i]
				q := got[l.ID]
				if q == 0 {
					continue
				}
				c := cond[l.ID]
				if c == "" {
					c = in.Condition
				}
				if _, err := tx.exec(ctx, `INSERT INTO receipt_lines (receipt_id, order_line_id, quantity, condition) VALUES ($1, $2, $3, $4)`, rid, l.ID, q, c); err != nil {
					return fmt.Errorf("insert receipt line: %w", err)
				}
				res, err := tx.exec(ctx, `UPDATE order_lines SET received = received + $1 WHERE id = $2 AND received + $1 <= quantity`, q, l.ID)
				if err != nil {
					return fmt.Errorf("record received quantity: %w", err)
				}
				if n, err := res.RowsAffected(); err != nil || n != 1 {
					return market.Conflict("Jumlah diterima melebihi jumlah dipesan.")
				}
				l.Received += q
				lines = append(lines, map[string]any{"line_no": l.LineNo, "quantity": q, "condition": c})
			}
			ch["receipt"] = market.Change{After: map[string]any{"id": rid, "number": number, "condition": in.Condition, "lines": lines, "photos": len(in.Photos)}}
			return nil
		},
		notify: func(tx *Tx, w *pipe, o *Order, next market.State) error {
			body := fmt.Sprintf("Barang pesanan #%d diterima sebagian; BAST sudah ditandatangani.", o.ID)
			if next == market.StateReceived {
				body = fmt.Sprintf("Seluruh barang pesanan #%d sudah diterima; BAST sudah ditandatangani. Anda dapat menerbitkan tagihan.", o.ID)
			}
			tx.queueNotifySeller(w, o, "BAST ditandatangani", body)
			return nil
		}})
}

// CloseShort is the PPK giving up the undelivered rest of an order: the rest of the stock goes
// back and the budget held beyond the received goods is released. Errors: CodeNotFound,
// CodeForbidden unless p is this order's PPK, CodeConflict in other states, CodeInvalid
// without a reason.
func (s *Store) CloseShort(ctx context.Context, p *market.Principal, id int64, reason string) (Order, error) {
	return s.runAction(ctx, p, id, orderAction{action: market.ActionCloseShort, reason: reason,
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			tx.queueNotifySeller(w, o, "Sisa pesanan ditutup", fmt.Sprintf("PPK menutup sisa pesanan #%d yang belum dikirim: %s", o.ID, o.Note))
			return nil
		}})
}

// Cancel withdraws an order: by its buyer before approval, by its PPK before the seller
// accepts. Stock and budget are released and the other parties notified. Errors: CodeNotFound,
// CodeForbidden for anyone else, CodeConflict in other states, CodeInvalid without a reason.
func (s *Store) Cancel(ctx context.Context, p *market.Principal, id int64, reason string) (Order, error) {
	return s.runAction(ctx, p, id, orderAction{action: market.ActionCancel, reason: reason,
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			body := fmt.Sprintf("Pesanan #%d dibatalkan: %s", o.ID, o.Note)
			for _, uid := range []int64{o.BuyerID, o.PPKID} {
				if uid != p.UserID {
					tx.queueNotifyUser(w, uid, o, "Pesanan dibatalkan", body)
				}
			}
			if o.SPNumber != "" {
				tx.queueNotifySeller(w, o, "Pesanan dibatalkan", body)
				return nil
			}
			return nil
		}})
}

// Dispute opens a dispute on an order (its buyer or the seller's people, from acceptance until
// payment); the platform admins are notified. Errors as for Cancel.
func (s *Store) Dispute(ctx context.Context, p *market.Principal, id int64, reason string) (Order, error) {
	return s.runAction(ctx, p, id, orderAction{action: market.ActionDispute, reason: reason,
		apply: func(tx *Tx, o *Order, _ market.Role, _ market.State, ch map[string]market.Change) error {
			o.DisputedFrom = o.State
			ch["disputed_from"] = market.Change{After: o.State}
			return nil
		},
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			tx.queueNotifyMembers(w, market.ScopeInstance, 0, []market.Role{market.RoleAdmin}, "Sengketa pesanan",
				fmt.Sprintf("Sengketa dibuka pada pesanan #%d (%s – %s): %s", o.ID, o.UnitName, o.SellerName, o.Note), orderLink(o.ID), true)
			other := o.BuyerID
			if p.UserID == o.BuyerID {
				tx.queueNotifySeller(w, o, "Sengketa pesanan", fmt.Sprintf("Pembeli membuka sengketa pada pesanan #%d: %s", o.ID, o.Note))
				return nil
			}
			tx.queueNotifyUser(w, other, o, "Sengketa pesanan", fmt.Sprintf("Penyedia membuka sengketa pada pesanan #%d: %s", o.ID, o.Note))
			return nil
		}})
}

// ResolveDispute is a platform admin closing a dispute: the order goes back to the state it was
// in when the dispute was opened. Errors: CodeNotFound, CodeForbidden unless p is an admin,
// CodeConflict when not disputed, CodeInvalid without a reason.
func (s *Store) ResolveDispute(ctx context.Context, p *market.Principal, id int64, reason string) (Order, error) {
	return s.runAction(ctx, p, id, orderAction{action: market.ActionResolveDispute, reason: reason,
		apply: func(tx *Tx, o *Order, _ market.Role, _ market.State, _ map[string]market.Change) error {
			o.DisputedFrom = ""
			return nil
		},
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			body := fmt.Sprintf("Sengketa pesanan #%d diselesaikan admin: %s", o.ID, o.Note)
			tx.queueNotifyUser(w, o.BuyerID, o, "Sengketa selesai", body)
			tx.queueNotifySeller(w, o, "Sengketa selesai", body)
			return nil
		}})
}

// ResubmitInput is the buyer's edit of a returned order: new quantities per order line id
// (lines not named keep theirs), and optionally new shipping, address, needed-by date, notes
// and justifications (replacing the old ones when given). What is given is checked as at
// checkout.
type ResubmitInput struct {
	Quantities     map[int64]int64
	Shipping       *market.Rupiah
	Address        *string
	NeededBy       *time.Time
	Notes          *string
	Justifications map[string]string
}

// Resubmit sends a returned order back to its PPK after the buyer's edits: the edited fields are
// checked as at checkout, every rule is checked again on the edited order, and stock and budget
// are re-held for the new quantities and total (released where they fell, reserved with
// conditional UPDATEs where they rose). Errors: CodeNotFound, CodeForbidden unless p is this
// order's buyer, CodeConflict when not returned or when stock or budget no longer suffice,
// CodeInvalid for bad edits, CodeRuleBlocked as at checkout.
func (s *Store) Resubmit(ctx context.Context, p *market.Principal, id int64, in ResubmitInput) (Order, error) {
	return s.runAction(ctx, p, id, orderAction{action: market.ActionResubmit,
		apply: func(tx *Tx, o *Order, _ market.Role, _ market.State, ch map[string]market.Change) error {
			old := *o
			old.Lines = slices.Clone(o.Lines)
			fe := market.FieldErrors{}
			for lid, q := range in.Quantities {
				i := slices.IndexFunc(o.Lines, func(l OrderLine) bool { return l.ID == lid })
				if i < 0 || q < 1 || q > market.MaxProductStock {
					fe.Add("quantities", "Jumlah per baris harus paling sedikit 1 dan barisnya milik pesanan ini.")
					continue
				}
				o.Lines[i].Quantity = q
			}
			if in.Shipping != nil {
				if *in.Shipping < 0 || *in.Shipping > market.MaxPolicyCap {
					fe.Add("shipping", "Ongkos kirim tidak valid.")
				}
				o.Shipping = *in.Shipping
			}
			// The fields given are checked as checkout checks them; those not given keep
			// what checkout (or an earlier resubmission) accepted.
			if in.Address != nil {
				o.Address = checkAddress(fe, "address", *in.Address)
			}
			if in.Notes != nil {
				o.Notes = checkNotes(fe, "notes", *in.Notes)
			}
			if in.NeededBy != nil {
				now, err := s.fiscalNow(ctx, tx.tx)
				if err != nil {
					return err
				}
				checkNeededBy(fe, "needed_by", *in.NeededBy, now)
				o.NeededBy = *in.NeededBy
			}
			if in.Justifications != nil {
				o.Justifications = checkJustifications(fe, "justifications", in.Justifications)
			}
			if err := fe.Err(); err != nil {
				return err
			}
			if err := o.recalc(tx.now); err != nil {
				return err
			}
			results, pol, err := s.recheck(ctx, tx, o, heldQuantities(&old))
			if err != nil {
				return err
			}
			if err := market.RuleError(results, o.Justifications); err != nil {
				return err
			}
			o.Rules, o.Policy = results, pol
			for i, l := range o.Lines {
				switch d := l.Quantity - old.Lines[i].Quantity; {
				case d > 0:
					if err := tx.takeStock(ctx, l.ProductID, l.Name, d); err != nil {
						return err
					}
				case d < 0:
					if err := tx.returnStock(ctx, l.ProductID, -d); err != nil {
						return err
					}
				}
				if l.Quantity != old.Lines[i].Quantity {
					if _, err := tx.exec(ctx, `UPDATE order_lines SET quantity = $1 WHERE id = $2`, l.Quantity, l.ID); err != nil {
						return fmt.Errorf("update order line: %w", err)
					}
				}
			}
			switch d := o.Total - o.BudgetReserved; {
			case d > 0:
				b, err := getBudgetLine(ctx, tx.tx, o.BudgetLineID)
				if err != nil {
					return err
				}
				if err := tx.reserveBudget(ctx, b, d); err != nil {
					return err
				}
			case d < 0:
				if _, err := tx.exec(ctx, `UPDATE budget_lines SET reserved = reserved - $1, updated_at = $2 WHERE id = $3 AND reserved >= $1`, -d, micros(tx.now), o.BudgetLineID); err != nil {
					return fmt.Errorf("release budget: %w", err)
				}
			}
			o.BudgetReserved = o.Total
			if _, err := tx.exec(ctx, `UPDATE orders SET address = $1, notes = $2, needed_by = $3, justifications = $4 WHERE id = $5`,
				o.Address, o.Notes, micros(o.NeededBy), mustJSON(nonNil(o.Justifications)), o.ID); err != nil {
				return fmt.Errorf("update order: %w", err)
			}
			ch["total"] = market.Change{Before: old.Total, After: o.Total}
			ch["rules"] = market.Change{After: nonNilRules(results)}
			ch["justifications"] = market.Change{After: nonNil(o.Justifications)}
			return nil
		},
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			tx.queueNotify(w, o.PPKID, "Pesanan diajukan ulang", fmt.Sprintf("Pesanan #%d ke %s diajukan ulang senilai %s dan menunggu persetujuan Anda.", o.ID, o.SellerName, o.Total), orderLink(o.ID), true)
			return nil
		}})
}

// expiryCandidates lists orders that may have passed their approval or acceptance deadline.
func (s *Store) expiryCandidates(ctx context.Context, limit int) ([]int64, error) {
	cutoff := s.Now().Add(-24 * time.Hour) // no timeout is shorter than a day
	return queryIDs(ctx, s.q(ctx), "expiry candidates", `SELECT id FROM orders WHERE state IN ('awaiting_approval', 'returned', 'approved') AND state_since <= $1
		ORDER BY state_since LIMIT `+fmt.Sprint(limit), micros(cutoff))
}

// ExpireOrders expires, as the system, every order whose approval or acceptance deadline under
// the policy it was checked against has passed (at most limit of them, oldest first), each in
// its own transaction that releases its stock and budget and tells the buyer. It returns how
// many expired; an order changed meanwhile by someone else is skipped.
func (s *Store) ExpireOrders(ctx context.Context, limit int) (int, error) {
	ids, err := s.expiryCandidates(ctx, limit)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		_, err := s.runAction(ctx, nil, id, orderAction{action: market.ActionExpire,
			facts: func(tx *Tx, o *Order, f *market.TransitionFacts) error {
				f.Deadline, _ = market.ExpiryDeadline(o.Policy, o.State, o.StateSince)
				return nil
			},
			notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
				tx.queueNotifyUser(w, o.BuyerID, o, "Pesanan kedaluwarsa",
					fmt.Sprintf("Pesanan #%d ke %s kedaluwarsa karena tidak ditanggapi tepat waktu; stok dan anggaran dilepas.", o.ID, o.SellerName))
				return nil
			}})
		switch market.ErrorCode(err) {
		case "":
			n++
		case market.CodeConflict:
			// not due yet, or changed meanwhile
		default:
			return n, err
		}
	}
	return n, nil
}

// NegotiationInput is one move in a price negotiation on an order line (by line number).
type NegotiationInput struct {
	Line  int                        `json:"line"`
	Kind  market.NegotiationMoveKind `json:"kind"`
	Price market.Rupiah              `json:"price"`
	Note  string                     `json:"note"`
}

// Negotiate adds a move to the price negotiation on one line of an order awaiting approval or
// returned: the buyer requests, the seller's people counter or accept, the buyer accepts a
// counter or withdraws (market.Negotiation.Apply). When a price is agreed it replaces the line's
// price, the totals are recomputed, the budget reservation shrinks accordingly, and the rules are
// checked again (their results recorded for the PPK). The whole exchange is kept. Errors:
// CodeNotFound, CodeForbidden unless p is this order's buyer or one of its seller's people,
// CodeConflict when the order is past approval, not p's turn or changed meanwhile, CodeInvalid
// for a bad line, kind or price.
func (s *Store) Negotiate(ctx context.Context, p *market.Principal, id int64, in NegotiationInput) (Order, error) {
	in.Note = strings.TrimSpace(in.Note)
	if len([]rune(in.Note)) > MaxReasonLength {
		return Order{}, market.Invalid("note", fmt.Sprintf("Catatan paling banyak %d karakter.", MaxReasonLength))
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		o, err := visibleOrder(ctx, tx.tx, p, id)
		if err != nil {
			return err
		}
		var role market.Role
		for _, r := range []market.Role{market.RoleBuyer, market.RoleSellerOwner, market.RoleSellerStaff} {
			if relatedAs(p, o, r) {
				role = r
				break
			}
		}
		if role == "" {
			return market.Forbidden("Negosiasi harga hanya antara Pejabat Pengadaan pesanan ini dan penyedianya.")
		}
		if !market.CanNegotiate(o.State) {
			return market.Conflict(fmt.Sprintf("Pesanan berstatus %s; harga hanya dapat dinegosiasikan sebelum disetujui PPK.", o.State.Label()))
		}
		if err := tx.touchUnitOrders(ctx, o.UnitID); err != nil {
			return err
		}
		if in.Line < 0 || in.Line >= len(o.Lines) {
			return market.Invalid("line", "Baris pesanan tidak ditemukan.")
		}
		line := &o.Lines[in.Line]
		n := market.Negotiation{Line: in.Line, ListPrice: line.ListPrice}
		var moves string
		err = tx.queryRow(ctx, `SELECT moves FROM negotiations WHERE order_id = $1 AND line_no = $2`, o.ID, in.Line).Scan(&moves)
		exists := err == nil
		switch {
		case exists:
			if err := json.Unmarshal([]byte(moves), &n.Moves); err != nil {
				return fmt.Errorf("decode negotiation: %w", err)
			}
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("load negotiation: %w", err)
		}
		n, err = n.Apply(market.NegotiationMove{Kind: in.Kind, By: role, UserID: p.UserID, Price: in.Price, Note: in.Note, At: tx.now})
		if err != nil {
			return err
		}
		if exists {
			_, err = tx.exec(ctx, `UPDATE negotiations SET moves = $1, status = $2, updated_at = $3 WHERE order_id = $4 AND line_no = $5`,
				mustJSON(n.Moves), string(n.Status()), micros(tx.now), o.ID, in.Line)
		} else {
			_, err = tx.exec(ctx, `INSERT INTO negotiations (order_id, line_no, list_price, moves, status, updated_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				o.ID, in.Line, n.ListPrice, mustJSON(n.Moves), string(n.Status()), micros(tx.now))
		}
		if err != nil {
			return fmt.Errorf("save negotiation: %w", err)
		}
		ch := map[string]market.Change{"line_no": {After: in.Line}, "kind": {After: in.Kind}, "status": {After: n.Status()}}
		if in.Price != 0 {
			ch["price"] = market.Change{After: in.Price}
		}
		if in.Note != "" {
			ch["note"] = market.Change{After: in.Note}
		}
		if price, ok := n.AgreedPrice(); ok {
			oldTotal := o.Total
			line.UnitPrice = price
			if err := o.recalc(tx.now); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE order_lines SET unit_price = $1 WHERE id = $2`, price, line.ID); err != nil {
				return fmt.Errorf("update price: %w", err)
			}
			if d := o.BudgetReserved - o.Total; d > 0 {
				if _, err := tx.exec(ctx, `UPDATE budget_lines SET reserved = reserved - $1, updated_at = $2 WHERE id = $3 AND reserved >= $1`, d, micros(tx.now), o.BudgetLineID); err != nil {
					return fmt.Errorf("release budget: %w", err)
				}
				o.BudgetReserved = o.Total
			}
			results, pol, err := s.recheck(ctx, tx, &o, heldQuantities(&o))
			if err != nil {
				return err
			}
			o.Rules, o.Policy = results, pol
			ch["agreed_price"] = market.Change{Before: line.ListPrice, After: price}
			ch["total"] = market.Change{Before: oldTotal, After: o.Total}
			ch["rules"] = market.Change{After: nonNilRules(results)}
		}
		res, err := tx.exec(ctx, `UPDATE orders SET goods = $1, ppn = $2, total = $3, budget_reserved = $4, rules = $5, policy = $6,
				updated_at = $7, version = version + 1 WHERE id = $8 AND version = $9`,
			o.Goods, o.PPN, o.Total, o.BudgetReserved, mustJSON(nonNilRules(o.Rules)), mustJSON(o.Policy), micros(tx.now), o.ID, o.Version)
		if err != nil {
			return fmt.Errorf("update order: %w", err)
		}
		if k, err := res.RowsAffected(); err != nil || k != 1 {
			return market.Conflict("Pesanan baru saja diubah pihak lain; muat ulang dan coba lagi.")
		}
		if err := tx.Audit(ctx, Actor{UserID: p.UserID, Role: role}, "order.negotiate", "order", o.ID, ch); err != nil {
			return err
		}
		body := fmt.Sprintf("Negosiasi harga %q pada pesanan #%d: %s.", line.Name, o.ID, n.Status())
		if role == market.RoleBuyer {
			return tx.notifySeller(ctx, &o, "Negosiasi harga", body)
		}
		return tx.notifyUser(ctx, o.BuyerID, &o, "Negosiasi harga", body)
	})
	if err != nil {
		return Order{}, err
	}
	return s.GetOrder(ctx, p, id)
}

// SellerRelation is a link between a user and a seller declared to the admins (family,
// shareholding, former employment…): a conflict of interest for buying from, approving,
// receiving or paying that seller.
type SellerRelation struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	SellerID   int64     `json:"seller_id"`
	Relation   string    `json:"relation"`
	DeclaredBy int64     `json:"declared_by"`
	DeclaredAt time.Time `json:"declared_at"`
	// EndedAt is when an admin ended the relation; zero while it is active.
	EndedAt time.Time `json:"ended_at"`
	// The names, filled in by SellerRelations (relations.go).
	UserName       string `json:"user_name,omitempty"`
	SellerName     string `json:"seller_name,omitempty"`
	DeclaredByName string `json:"declared_by_name,omitempty"`
}

// MaxRelationLength is the longest description of a declared relation, in characters.
const MaxRelationLength = 200

// DeclareSellerRelation records that user is related to seller. A user declares their own
// relations; platform admins record anyone's. A relation with a seller is declared once: while
// one is active (not ended by an admin), another with the same seller is refused, so that
// ending the relation ends the conflict of interest. Errors: CodeForbidden for others,
// CodeInvalid without a description of the relation or for an unknown user or seller,
// CodeConflict (on field seller_id) while the user has an active relation with the seller.
func (s *Store) DeclareSellerRelation(ctx context.Context, by *market.Principal, userID, sellerID int64, relation string) (SellerRelation, error) {
	r := SellerRelation{UserID: userID, SellerID: sellerID, Relation: strings.TrimSpace(relation), DeclaredBy: by.UserID}
	if by.UserID != userID && !by.Has(market.RoleAdmin) {
		return r, market.Forbidden("Hanya pengguna itu sendiri atau Admin UKPBJ yang dapat mencatat hubungan dengan penyedia.")
	}
	if r.Relation == "" || len([]rune(r.Relation)) > MaxRelationLength {
		return r, market.Invalid("relation", fmt.Sprintf("Jelaskan hubungan dengan penyedia, paling banyak %d karakter.", MaxRelationLength))
	}
	role := market.RoleAdmin
	if by.UserID == userID && !by.Has(market.RoleAdmin) {
		role = ""
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM users WHERE id = $1) + (SELECT COUNT(*) FROM sellers WHERE id = $2)`, userID, sellerID).Scan(&n); err != nil {
			return fmt.Errorf("declare relation: %w", err)
		}
		if n != 2 {
			return market.Invalid("seller_id", "Pengguna atau penyedia tidak ditemukan.")
		}
		if err := refuseActiveRelation(ctx, tx, userID, sellerID); err != nil {
			return err
		}
		var err error
		r.ID, err = tx.insertID(ctx, `INSERT INTO seller_relations (user_id, seller_id, relation, declared_by, declared_at) VALUES ($1, $2, $3, $4, $5)`,
			userID, sellerID, r.Relation, by.UserID, micros(tx.now))
		if err != nil {
			return fmt.Errorf("declare relation: %w", err)
		}
		r.DeclaredAt = tx.now
		return tx.Audit(ctx, Actor{UserID: by.UserID, Role: role}, "seller_relation.declare", "seller_relation", r.ID, map[string]market.Change{
			"related_user_id": {After: userID}, "related_seller_id": {After: sellerID}, "relation": {After: r.Relation}})
	})
	return r, err
}

// refuseActiveRelation returns a CodeConflict error when the user already has an active
// relation with the seller. It first locks the user's row (a write that changes nothing), so
// that on PostgreSQL two declarations of the same relation at once wait for each other and the
// second one finds the first; SQLite has one writer at a time anyway.
func refuseActiveRelation(ctx context.Context, tx *Tx, userID, sellerID int64) error {
	if _, err := tx.exec(ctx, `UPDATE users SET updated_at = updated_at WHERE id = $1`, userID); err != nil {
		return fmt.Errorf("declare relation: lock user: %w", err)
	}
	var active int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM seller_relations WHERE user_id = $1 AND seller_id = $2 AND ended_at = 0`, userID, sellerID).Scan(&active); err != nil {
		return fmt.Errorf("declare relation: %w", err)
	}
	if active == 0 {
		return nil
	}
	const declared = "Hubungan dengan penyedia ini sudah tercatat dan masih berlaku; tidak perlu dilaporkan lagi."
	return &market.Error{Code: market.CodeConflict, Message: declared, Fields: map[string]string{"seller_id": declared}}
}

// EndSellerRelation ends a declared relation (platform admins only). Errors: CodeForbidden,
// CodeNotFound for an unknown or already ended relation.
func (s *Store) EndSellerRelation(ctx context.Context, by *market.Principal, id int64) error {
	if !by.Has(market.RoleAdmin) {
		return market.Forbidden("Hanya Admin UKPBJ yang dapat mengakhiri hubungan yang dilaporkan.")
	}
	return s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE seller_relations SET ended_at = $1 WHERE id = $2 AND ended_at = 0`, micros(tx.now), id)
		if err != nil {
			return fmt.Errorf("end relation: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return market.NotFound("Hubungan dengan penyedia")
		}
		return tx.Audit(ctx, Actor{UserID: by.UserID, Role: market.RoleAdmin}, "seller_relation.end", "seller_relation", id, map[string]market.Change{"ended": {After: true}})
	})
}

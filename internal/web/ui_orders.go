package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/translog"
	"bela/internal/upload"
)

// disputeSettler may resolve disputes: platform admins.
var disputeSettler = roles(market.RoleAdmin)

// orderListSection is one titled list on the orders page.
type orderListSection struct {
	Key    string // catalogue key of the title
	Orders []store.Order
	L      *Base // the page's language, for the shared table template
}

// orderListPage lists the orders the user may see, with the ones waiting for them first.
type orderListPage struct {
	Base
	Sections []orderListSection
	All      orderListSection
	States   []market.State
	State    string
	Next     string
}

// orders shows the order lists (GET /pesanan?status=…&sebelum=…): for a PPK the orders
// awaiting their approval first, for a seller's people the new (approved) orders first, then
// every order the user may see, newest first.
func (s *Server) orders(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	d := &orderListPage{Base: s.newBase(r, "orders.title"), States: market.States, State: r.URL.Query().Get("status")}
	var err error
	if d.Sections, err = s.waitingOrders(ctx, &d.Base); err != nil {
		return err
	}
	f := store.OrderFilter{Limit: 50}
	if d.State != "" {
		st, err := market.ParseState(d.State)
		if err != nil {
			d.State = ""
		}
		f.State = st
	}
	f.BeforeID, _ = strconv.ParseInt(r.URL.Query().Get("sebelum"), 10, 64)
	d.All = orderListSection{Key: "orders.all", L: &d.Base}
	if d.All.Orders, err = s.store.ListOrders(ctx, d.P, f); err != nil {
		return err
	}
	if n := len(d.All.Orders); n == f.Limit {
		d.Next = fmt.Sprintf("/pesanan?status=%s&sebelum=%d", d.State, d.All.Orders[n-1].ID)
	}
	return s.render(w, http.StatusOK, "orders", d)
}

// waitingOrders returns the lists of orders waiting for the page's user, as the orders page
// and the home page show them: for a PPK those awaiting their approval, for a receiver or a
// PPK those shipped to their units that they may receive (when there are any), for a seller's
// people the new, approved ones. Each list holds only the orders on which the user may take
// that list's action now, by the store's own rule (store.AllowedOrderActions): a receiver does
// not see an order naming another receiver, nor a PPK another PPK's order.
func (s *Server) waitingOrders(ctx context.Context, b *Base) ([]orderListSection, error) {
	p := b.P
	var out []orderListSection
	if p.Has(market.RoleApprover) {
		list, err := s.store.ListOrders(ctx, p, store.OrderFilter{PPKID: p.UserID, State: market.StateAwaitingApproval, Limit: 100})
		if err != nil {
			return nil, err
		}
		out = append(out, orderListSection{Key: "orders.awaitingme", Orders: actionable(p, list, market.ActionApprove), L: b})
	}
	if p.Has(market.RoleReceiver) || p.Has(market.RoleApprover) {
		var list []store.Order
		for _, st := range []market.State{market.StateShipped, market.StatePartiallyReceived} {
			for _, u := range p.UnitIDs(market.RoleReceiver, market.RoleApprover) {
				part, err := s.store.ListOrders(ctx, p, store.OrderFilter{UnitID: u, State: st, Limit: 100})
				if err != nil {
					return nil, err
				}
				list = append(list, actionable(p, part, market.ActionReceive)...)
			}
		}
		if len(list) > 0 {
			out = append(out, orderListSection{Key: "orders.toreceive", Orders: list, L: b})
		}
	}
	for _, sid := range p.SellerIDs(sellerPeople...) {
		list, err := s.store.ListOrders(ctx, p, store.OrderFilter{SellerID: sid, State: market.StateApproved, Limit: 100})
		if err != nil {
			return nil, err
		}
		out = append(out, orderListSection{Key: "orders.new", Orders: actionable(p, list, market.ActionAccept), L: b})
	}
	return out, nil
}

// actionable returns the orders of list on which p may take action a now.
func actionable(p *market.Principal, list []store.Order, a market.Action) []store.Order {
	out := make([]store.Order, 0, len(list))
	for _, o := range list {
		if slices.Contains(store.AllowedOrderActions(p, o), a) {
			out = append(out, o)
		}
	}
	return out
}

// timelineItem is one event of the order's timeline, ready to show.
type timelineItem struct {
	Time      time.Time
	Actor     string
	Role      market.Role
	Action    string
	Before    market.State
	After     market.State
	Reason    string
	Detail    string
	IsNegoMsg bool
	// A negotiation move: its kind (shown in the page's language, as the negotiation card
	// shows it) and the price it names.
	NegoKind  market.NegotiationMoveKind
	NegoPrice market.Rupiah
	// Leaf is the event's index in the transparency log, -1 while not yet sequenced; ProofSize
	// is the size of the latest signed checkpoint when it already covers the leaf (0 otherwise),
	// for the link to the inclusion proof.
	Leaf      int64
	ProofSize int64
}

// receiveLine is an order line in the receipt form.
type receiveLine struct {
	store.OrderLine
	Remaining int64
}

// orderPage is one order: header, lines, rules with justifications, negotiation, shipments,
// receipts, timeline and the forms of the actions the user may take now.
type orderPage struct {
	Base
	Order        store.Order
	Allowed      map[market.Action]bool
	CanNegotiate bool
	NegoRole     market.Role
	Timeline     []timelineItem
	Receive      []receiveLine
	Conditions   []string
	Form         map[string]string
	ErrAction    string
	Error        string
	Fields       map[string]string
	Warnings     []string
	Audit        *orderAudit // the auditor's red flags and case (ui_cases.go); nil for others
}

// Has reports whether the user may take action a now.
func (d *orderPage) Has(a string) bool { return d.Allowed[market.Action(a)] }

// MaxPhotos is how many photos one BAST may carry.
func (d *orderPage) MaxPhotos() int { return store.MaxReceiptPhotos }

// No returns the 1-based number of the line at index i.
func (d *orderPage) No(i int) int { return i + 1 }

// LineNo returns the 1-based number of the order line with database id id, as the lines
// table numbers it (0 when the order has no such line).
func (d *orderPage) LineNo(id int64) int {
	return slices.IndexFunc(d.Order.Lines, func(l store.OrderLine) bool { return l.ID == id }) + 1
}

// LineName returns the product name of the order line with database id id.
func (d *orderPage) LineName(id int64) string {
	if n := d.LineNo(id); n > 0 {
		return d.Order.Lines[n-1].Name
	}
	return ""
}

// ReasonActions are the actions whose form is only a reason, in the order shown.
func (d *orderPage) ReasonActions() []string {
	return []string{"return", "reject", "decline", "cancel", "close_short", "dispute", "resolve_dispute"}
}

// ActionPath returns the URL segment of an action's route.
func (d *orderPage) ActionPath(a string) string {
	return map[string]string{"return": "kembalikan", "reject": "tolak", "decline": "tolak-pesanan", "cancel": "batalkan",
		"close_short": "tutup-kurang", "dispute": "sengketa", "resolve_dispute": "sengketa/selesai"}[a]
}

// Val returns what the user typed in field name of the failed form.
func (d *orderPage) Val(name string) string { return d.Form[name] }

func (s *Server) renderOrder(w http.ResponseWriter, r *http.Request, status int, id int64, d *orderPage) error {
	o, err := s.store.GetOrder(r.Context(), d.P, id)
	if err != nil {
		return err
	}
	d.Order = o
	d.Title = translate(d.Lang, "order.title", o.ID)
	d.Allowed = map[market.Action]bool{}
	for _, a := range o.Allowed {
		d.Allowed[a] = true
	}
	if market.CanNegotiate(o.State) {
		switch {
		case d.P.UserID == o.BuyerID && d.P.InUnit(o.UnitID, market.RoleBuyer):
			d.CanNegotiate, d.NegoRole = true, market.RoleBuyer
		case d.P.InSeller(o.SellerID, sellerPeople...):
			d.CanNegotiate, d.NegoRole = true, market.RoleSellerOwner
		}
	}
	for _, l := range o.Lines {
		d.Receive = append(d.Receive, receiveLine{OrderLine: l, Remaining: l.Quantity - l.Received})
	}
	d.Conditions = []string{store.ConditionGood, store.ConditionMinorDamage, store.ConditionDamaged}
	d.Warnings = market.NeedsJustification(o.Rules)
	for _, k := range slices.Sorted(maps.Keys(d.Fields)) {
		// A warning the edit brought (a resubmit raising a quantity) gets its field too.
		if code, ok := strings.CutPrefix(k, "just_"); ok && d.ErrAction == "resubmit" && !slices.Contains(d.Warnings, code) {
			d.Warnings = append(d.Warnings, code)
		}
	}
	d.Timeline = timeline(o.Timeline)
	if err := s.auditOrder(r, d); err != nil {
		return err
	}
	if err := s.withLogLeaves(r, o.Timeline, d.Timeline); err != nil {
		return err
	}
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	return s.render(w, status, "order", d)
}

// timeline turns the order's audit events into timeline items.
func timeline(entries []store.TimelineEntry) []timelineItem {
	out := make([]timelineItem, 0, len(entries))
	for _, e := range entries {
		it := timelineItem{Time: e.Time, Actor: e.ActorName, Role: market.Role(e.ActorRole), Action: strings.TrimPrefix(e.Action, "order."), Leaf: -1}
		var ch struct {
			Before market.State `json:"before"`
			After  any          `json:"after"`
		}
		if raw, ok := e.Changes["state"]; ok && json.Unmarshal(raw, &ch) == nil {
			it.Before = ch.Before
			if s, ok := ch.After.(string); ok {
				it.After = market.State(s)
			}
		}
		if raw, ok := e.Changes["reason"]; ok {
			var c struct {
				After string `json:"after"`
			}
			if json.Unmarshal(raw, &c) == nil {
				it.Reason = c.After
			}
		}
		if raw, ok := e.Changes["shipment"]; ok {
			var c struct {
				After struct {
					DeliveryNote string `json:"delivery_note"`
					Courier      string `json:"courier"`
					Tracking     string `json:"tracking"`
				} `json:"after"`
			}
			if json.Unmarshal(raw, &c) == nil {
				it.Detail = strings.TrimSpace(strings.Join([]string{c.After.DeliveryNote, c.After.Courier, c.After.Tracking}, " "))
			}
		}
		if it.Action == "negotiate" {
			var kind, price struct {
				After any `json:"after"`
			}
			json.Unmarshal(e.Changes["kind"], &kind)
			json.Unmarshal(e.Changes["price"], &price)
			if k, ok := kind.After.(string); ok {
				it.NegoKind = market.NegotiationMoveKind(k)
			}
			if p, ok := price.After.(float64); ok {
				it.NegoPrice = market.Rupiah(int64(p))
			}
		}
		out = append(out, it)
	}
	return out
}

// orderView shows one order (GET /pesanan/{id}); another unit's or seller's order is 404.
func (s *Server) orderView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderOrder(w, r, http.StatusOK, id, &orderPage{Base: s.newBase(r, "orders.title")})
}

// orderDo is one action's call to the store, given the form.
type orderDo func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error

// orderAction wraps an order action: on success back to the order page with a flash; on a form
// error the order page again with the typed values and the message next to that action's form.
func (s *Server) orderAction(name string, do orderDo) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return err
		}
		d := &orderPage{Base: s.newBase(r, "orders.title")}
		if err := do(r.Context(), s, d.P, id, r); err != nil {
			code := market.ErrorCode(err)
			if code == market.CodeNotFound {
				return err
			}
			fields, msg, ok := formError(r, err)
			if !ok && code != market.CodeRuleBlocked {
				return err
			}
			if code == market.CodeRuleBlocked {
				// A warning without its justification names the justification's field.
				fields = sayFields(d.Lang, asCoded(err).Fields)
			}
			d.Fields, d.Error, d.ErrAction = fields, msg, name
			if msg == "" {
				d.Error = sayError(d.Lang, asCoded(err).Message)
			}
			if e := asCoded(err); len(e.Rules) > 0 {
				var parts []string
				for _, rr := range e.Rules {
					parts = append(parts, ruleText(d.Lang, rr))
				}
				d.Error += " " + strings.Join(parts, " ")
			}
			d.Form = typed(r)
			return s.renderOrder(w, r, statusOf(asCoded(err).Code), id, d)
		}
		http.Redirect(w, r, fmt.Sprintf("/pesanan/%d?ok=order.%s", id, name), http.StatusSeeOther)
		return nil
	}
}

func reason(r *http.Request) string { return r.PostFormValue("reason") }

// The order actions, one per route.
var (
	doApprove = func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
		_, err := s.store.Approve(ctx, p, id)
		return err
	}
	doReturn = func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
		_, err := s.store.Return(ctx, p, id, reason(r))
		return err
	}
	doReject = func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
		_, err := s.store.Reject(ctx, p, id, reason(r))
		return err
	}
	doCancel = func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
		_, err := s.store.Cancel(ctx, p, id, reason(r))
		return err
	}
	doAccept = func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
		_, err := s.store.Accept(ctx, p, id)
		return err
	}
	doDecline = func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
		_, err := s.store.Decline(ctx, p, id, reason(r))
		return err
	}
	doShip = func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
		_, err := s.store.Ship(ctx, p, id, store.ShipInput{DeliveryNote: r.PostFormValue("delivery_note"),
			Courier: r.PostFormValue("courier"), Tracking: r.PostFormValue("tracking"), Note: r.PostFormValue("note")})
		return err
	}
	doCloseShort = func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
		_, err := s.store.CloseShort(ctx, p, id, reason(r))
		return err
	}
	doDispute = func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
		_, err := s.store.Dispute(ctx, p, id, reason(r))
		return err
	}
	doResolve = func(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
		_, err := s.store.ResolveDispute(ctx, p, id, reason(r))
		return err
	}
)

// doReceive records a BAST from the per-line quantities (q_<line id>), the condition, a note
// and photos (a multipart form).
func doReceive(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(receiptMaxBody); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return market.Invalid("photos", fmt.Sprintf("Foto terlalu besar: paling banyak %d foto, masing-masing %d MB.", store.MaxReceiptPhotos, upload.MaxFileSize>>20))
			}
			return market.Invalid("photos", "Formulir BAST tidak terbaca; coba kirim lagi.")
		}
	}
	in := store.ReceiveInput{Condition: r.PostFormValue("condition"), Note: r.PostFormValue("note")}
	fe := market.FieldErrors{}
	keys := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		rest, ok := strings.CutPrefix(k, "q_")
		if !ok {
			continue
		}
		lid, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			continue
		}
		v := strings.TrimSpace(r.PostFormValue(k))
		if v == "" || v == "0" {
			continue
		}
		q, err := strconv.ParseInt(v, 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange) && strings.HasPrefix(v, "-"), err == nil && q < 0:
			fe.Add(k, "Jumlah diterima harus 0 atau lebih.")
			continue
		case errors.Is(err, strconv.ErrRange):
			fe.Add(k, "Jumlah diterima melebihi jumlah dipesan.")
			continue
		case err != nil:
			fe.Add(k, "Jumlah diterima harus bilangan bulat.")
			continue
		}
		in.Lines = append(in.Lines, store.ReceiptLine{OrderLineID: lid, Quantity: q, Condition: in.Condition})
	}
	if err := fe.Err(); err != nil {
		return err
	}
	// Photos are stored only for someone who may record this receipt now.
	if _, err := s.authorizeAction(ctx, p, id, market.ActionReceive); err != nil {
		return err
	}
	photos, err := s.receiptPhotosFromForm(r)
	if err != nil {
		return err
	}
	in.Photos = photos
	_, err = s.store.Receive(ctx, p, id, in)
	return err
}

// doResubmit sends a returned order back with new quantities (q_<line id>) and justifications
// (just_<rule code>). The store's field errors are given the form's names: a justification's
// "justifications.<code>" is "just_<code>"; "quantities" (a line not of this order) stays, for
// the form as a whole.
func doResubmit(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
	in := store.ResubmitInput{Quantities: map[int64]int64{}, Justifications: map[string]string{}}
	fe := market.FieldErrors{}
	for _, k := range slices.Sorted(maps.Keys(r.PostForm)) {
		v := r.PostForm.Get(k)
		if rest, ok := strings.CutPrefix(k, "q_"); ok {
			lid, err := strconv.ParseInt(rest, 10, 64)
			if err != nil {
				continue
			}
			q, err := parseQuantity(k, v, 1)
			if err != nil {
				fe.Add(k, asCoded(err).Message)
				continue
			}
			in.Quantities[lid] = q
		}
		if code, ok := strings.CutPrefix(k, "just_"); ok && strings.TrimSpace(v) != "" {
			in.Justifications[code] = v
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if len(in.Justifications) == 0 {
		in.Justifications = nil // keep the ones written at checkout
	}
	_, err := s.store.Resubmit(ctx, p, id, in)
	return renameFields(err, func(field string) string {
		if code, ok := strings.CutPrefix(field, "justifications."); ok {
			return "just_" + code
		}
		return field
	})
}

// renameFields returns err with its field names changed by rename, as a copy (err itself is left
// alone); an error without fields is returned as it is.
func renameFields(err error, rename func(string) string) error {
	var me *market.Error
	if !errors.As(err, &me) || len(me.Fields) == 0 {
		return err
	}
	c := *me
	c.Fields = make(map[string]string, len(me.Fields))
	for k, v := range me.Fields {
		c.Fields[rename(k)] = v
	}
	return &c
}

// doNegotiate adds one negotiation move: line (1-based on the page), kind, price, note.
func doNegotiate(ctx context.Context, s *Server, p *market.Principal, id int64, r *http.Request) error {
	line, err := strconv.Atoi(r.PostFormValue("line"))
	if err != nil || line < 1 {
		return market.Invalid("line", "Pilih baris pesanan.")
	}
	in := store.NegotiationInput{Line: line - 1, Kind: market.NegotiationMoveKind(r.PostFormValue("kind")), Note: r.PostFormValue("note")}
	if v := strings.TrimSpace(r.PostFormValue("price")); v != "" {
		const notNumber = "Harga harus angka rupiah tanpa desimal."
		price, msg := market.ParseRupiahField(v, notNumber)
		if msg != "" {
			return market.Invalid("price", msg)
		}
		in.Price = price
	}
	_, err = s.store.Negotiate(ctx, p, id, in)
	return err
}

// withLogLeaves adds each timeline event's transparency-log leaf index and, when the latest
// signed checkpoint covers it, the tree size to prove its inclusion against.
func (s *Server) withLogLeaves(r *http.Request, entries []store.TimelineEntry, items []timelineItem) error {
	seqs := make([]int64, len(entries))
	for i, e := range entries {
		seqs[i] = e.Seq
	}
	return s.logLeaves(r, seqs, func(i int, leaf, size int64) {
		if i < len(items) {
			items[i].Leaf, items[i].ProofSize = leaf, size
		}
	})
}

// logLeaves calls set for each audit event of seqs already in the transparency log with its
// index there, its leaf, and the latest signed checkpoint's size when that covers the leaf (0
// otherwise), for a link to the inclusion proof.
func (s *Server) logLeaves(r *http.Request, seqs []int64, set func(i int, leaf, size int64)) error {
	leaves, err := s.store.LogLeafIndexes(r.Context(), seqs)
	if err != nil {
		return err
	}
	var size int64
	latest, err := s.store.Log().Latest(r.Context())
	switch {
	case errors.Is(err, translog.ErrNotFound):
	case err != nil:
		return err
	default:
		size = latest.Checkpoint.Size
	}
	for i, seq := range seqs {
		if ix, ok := leaves[seq]; ok {
			if ix >= size {
				set(i, ix, 0)
			} else {
				set(i, ix, size)
			}
		}
	}
	return nil
}

// typed is what the user typed into a refused form: each field's first value, to show it again.
func typed(r *http.Request) map[string]string {
	out := make(map[string]string, len(r.PostForm))
	for k, v := range r.PostForm {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}

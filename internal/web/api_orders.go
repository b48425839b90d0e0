package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// Role groups of the order API (route level; the store checks the object level: this order's
// buyer, PPK, receiver or seller people).
var (
	orderReaders = roles(market.RoleBuyer, market.RoleApprover, market.RoleReceiver, market.RoleTreasurer, market.RoleUnitAdmin,
		market.RoleSellerOwner, market.RoleSellerStaff, market.RoleAdmin, market.RoleAuditor)
	orderSellers    = roles(market.RoleSellerOwner, market.RoleSellerStaff)
	orderApprovers  = roles(market.RoleApprover)
	orderReceivers  = roles(market.RoleReceiver, market.RoleApprover)
	orderCancellers = roles(market.RoleBuyer, market.RoleApprover)
	orderDisputers  = roles(market.RoleBuyer, market.RoleSellerOwner, market.RoleSellerStaff)
	orderNegotiator = roles(market.RoleBuyer, market.RoleSellerOwner, market.RoleSellerStaff)
)

// decodeOptionalJSON is decodeJSON for actions whose body may be empty.
func decodeOptionalJSON(r *http.Request, v any) error {
	if r.Body == nil {
		return nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(b)) == "" {
		return nil
	}
	r.Body = io.NopCloser(strings.NewReader(string(b)))
	return decodeJSON(r, v)
}

type checkoutShipping struct {
	SellerID int64         `json:"seller_id"`
	Amount   market.Rupiah `json:"amount"`
}

type checkoutJustification struct {
	SellerID int64  `json:"seller_id"`
	Rule     string `json:"rule"`
	Text     string `json:"text"`
}

type checkoutRequest struct {
	UnitID         int64                   `json:"unit_id"`
	BudgetLineID   int64                   `json:"budget_line_id"`
	PPKID          int64                   `json:"ppk_id"`
	ReceiverID     int64                   `json:"receiver_id"`
	Address        string                  `json:"address"`
	NeededBy       string                  `json:"needed_by"` // YYYY-MM-DD in the instance's time zone
	Notes          string                  `json:"notes"`
	Items          []store.CartItem        `json:"items"`
	Shipping       []checkoutShipping      `json:"shipping"`
	Justifications []checkoutJustification `json:"justifications"`
}

type ordersResponse struct {
	Orders []store.Order `json:"orders"`
}

func (s *Server) apiCheckout(w http.ResponseWriter, r *http.Request) error {
	var req checkoutRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	in, err := s.checkoutInput(req)
	if err != nil {
		return err
	}
	orders, err := s.store.Checkout(r.Context(), principal(r), in)
	if err != nil {
		return checkoutFieldsByIndex(err, req)
	}
	writeJSON(w, http.StatusCreated, ordersResponse{Orders: orders})
	return nil
}

// checkoutInput checks a checkout request's own shape — the ids it must name, each item, each
// shipping cost (one per seller) and each justification (one per seller and rule) — and turns it
// into the store's input. Every problem is a field error named by its JSON path
// (items.0.quantity, shipping.1), all at once; the store checks the rest (who, the rules).
func (s *Server) checkoutInput(req checkoutRequest) (store.CheckoutInput, error) {
	fe := market.FieldErrors{}
	if req.UnitID < 1 {
		fe.Add("unit_id", "Pilih unit kerja.")
	}
	if req.BudgetLineID < 1 {
		fe.Add("budget_line_id", "Pilih Kode RUP (baris anggaran).")
	}
	if req.PPKID < 1 {
		fe.Add("ppk_id", "Pilih PPK yang akan menyetujui pesanan.")
	}
	if req.ReceiverID < 0 {
		fe.Add("receiver_id", "Isi dengan bilangan bulat 0 atau lebih.")
	}
	in := store.CheckoutInput{UnitID: req.UnitID, BudgetLineID: req.BudgetLineID, PPKID: req.PPKID, ReceiverID: req.ReceiverID,
		Address: req.Address, Notes: req.Notes, Items: req.Items,
		Shipping: map[int64]market.Rupiah{}, Justifications: map[int64]map[string]string{}}
	if req.NeededBy != "" {
		d, err := time.ParseInLocation("2006-01-02", req.NeededBy, s.loc)
		if err != nil {
			fe.Add("needed_by", "Tanggal dibutuhkan ditulis TTTT-BB-HH, misalnya 2026-12-01.")
		}
		in.NeededBy = d
	}
	if len(req.Items) == 0 {
		fe.Add("items", "Cantumkan paling sedikit satu produk.")
	}
	products := map[int64]bool{}
	for i, it := range req.Items {
		switch {
		case it.ProductID < 1:
			fe.Add(fmt.Sprintf("items.%d.product_id", i), "Harus berupa bilangan bulat positif.")
		case products[it.ProductID]:
			fe.Add(fmt.Sprintf("items.%d.product_id", i), "Produk yang sama tercantum dua kali.")
		}
		products[it.ProductID] = true
		if it.Quantity < 1 || it.Quantity > market.MaxProductStock {
			fe.Add(fmt.Sprintf("items.%d.quantity", i), fmt.Sprintf("Jumlah harus antara 1 dan %d.", market.MaxProductStock))
		}
	}
	sellers := map[int64]int{} // seller id → index of its shipping entry
	for i, sh := range req.Shipping {
		field := fmt.Sprintf("shipping.%d", i)
		if first, twice := sellers[sh.SellerID]; twice && sh.SellerID >= 1 {
			fe.Add(field, fmt.Sprintf("Ongkos kirim penyedia ini sudah ada di shipping.%d; cantumkan satu per penyedia.", first))
			continue
		}
		sellers[sh.SellerID] = i
		switch {
		case sh.SellerID < 1:
			fe.Add(field, "Sebutkan penyedia (seller_id) ongkos kirim ini.")
		case sh.Amount < 0 || sh.Amount > market.MaxPolicyCap:
			fe.Add(field, fmt.Sprintf("Ongkos kirim harus antara Rp0 dan %s.", market.MaxPolicyCap))
		default:
			in.Shipping[sh.SellerID] = sh.Amount
		}
	}
	for i, j := range req.Justifications {
		field := fmt.Sprintf("justifications.%d", i)
		if j.SellerID < 1 {
			fe.Add(field, "Sebutkan penyedia (seller_id) alasan ini.")
			continue
		}
		if in.Justifications[j.SellerID] == nil {
			in.Justifications[j.SellerID] = map[string]string{}
		}
		if _, twice := in.Justifications[j.SellerID][j.Rule]; twice {
			fe.Add(field, "Alasan untuk penyedia dan aturan ini sudah dicantumkan.")
			continue
		}
		in.Justifications[j.SellerID][j.Rule] = j.Text
	}
	return in, fe.Err()
}

// checkoutFieldsByIndex renames the store's field errors on one seller's shipping cost or
// justifications (shipping.<seller id>, justifications.<seller id>[.<rule>]) after the request's
// entry for that seller (and rule): shipping.<index>, justifications.<index>.
func checkoutFieldsByIndex(err error, req checkoutRequest) error {
	var e *market.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = map[string]string{}
	for k, v := range e.Fields {
		out.Fields[checkoutFieldByIndex(k, req)] = v
	}
	return &out
}

func checkoutFieldByIndex(k string, req checkoutRequest) string {
	if rest, ok := strings.CutPrefix(k, "shipping."); ok {
		for i, sh := range req.Shipping {
			if strconv.FormatInt(sh.SellerID, 10) == rest {
				return fmt.Sprintf("shipping.%d", i)
			}
		}
		return k
	}
	if rest, ok := strings.CutPrefix(k, "justifications."); ok {
		sid, rule, byRule := strings.Cut(rest, ".")
		for i, j := range req.Justifications {
			if strconv.FormatInt(j.SellerID, 10) == sid && (!byRule || j.Rule == rule) {
				return fmt.Sprintf("justifications.%d", i)
			}
		}
	}
	return k
}

func (s *Server) apiGetOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.store.GetOrder(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, market.Invalid(name, "Harus berupa bilangan bulat positif.")
	}
	return id, nil
}

func (s *Server) apiListOrders(w http.ResponseWriter, r *http.Request) error {
	var f store.OrderFilter
	var err error
	for name, dst := range map[string]*int64{"unit_id": &f.UnitID, "seller_id": &f.SellerID, "ppk_id": &f.PPKID, "before_id": &f.BeforeID} {
		if *dst, err = queryID(r, name); err != nil {
			return err
		}
	}
	if v := r.URL.Query().Get("state"); v != "" {
		if f.State, err = market.ParseState(v); err != nil {
			return err
		}
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return market.Invalid("limit", "Batas harus antara 1 dan 500.")
		}
		f.Limit = n
	}
	orders, err := s.store.ListOrders(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ordersResponse{Orders: orders})
	return nil
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

type resubmitRequest struct {
	Quantities     []store.CartItem  `json:"quantities"` // product_id is the order line id here
	Shipping       *market.Rupiah    `json:"shipping"`
	Address        *string           `json:"address"`
	NeededBy       *string           `json:"needed_by"`
	Notes          *string           `json:"notes"`
	Justifications map[string]string `json:"justifications"`
}

// apiOrderAction serves POST /api/v1/orders/{id}/{action} for one action.
func (s *Server) apiOrderAction(a market.Action) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		ctx, p := r.Context(), principal(r)
		var o store.Order
		switch a {
		case market.ActionApprove, market.ActionAccept:
			if err := decodeOptionalJSON(r, &struct{}{}); err != nil {
				return err
			}
			if a == market.ActionApprove {
				o, err = s.store.Approve(ctx, p, id)
			} else {
				o, err = s.store.Accept(ctx, p, id)
			}
		case market.ActionShip:
			var in store.ShipInput
			if err := decodeJSON(r, &in); err != nil {
				return err
			}
			o, err = s.store.Ship(ctx, p, id, in)
		case market.ActionReceive:
			var in store.ReceiveInput // photos: base64 JPEG or PNG here, blob ids once stored
			if err := decodeJSON(r, &in); err != nil {
				return err
			}
			if len(in.Photos) > 0 {
				// The photos are kept for good once stored: only for a receiver who may sign now.
				if len(in.Photos) > store.MaxReceiptPhotos {
					return market.Invalid("photos", fmt.Sprintf("Paling banyak %d foto per BAST.", store.MaxReceiptPhotos))
				}
				if _, err := s.authorizeAction(ctx, p, id, a); err != nil {
					return err
				}
			}
			if in.Photos, err = s.receiptPhotosFromJSON(in.Photos); err != nil {
				return err
			}
			o, err = s.store.Receive(ctx, p, id, in)
		case market.ActionResubmit:
			var req resubmitRequest
			if err := decodeOptionalJSON(r, &req); err != nil {
				return err
			}
			in := store.ResubmitInput{Shipping: req.Shipping, Address: req.Address, Notes: req.Notes, Justifications: req.Justifications}
			if len(req.Quantities) > 0 {
				in.Quantities = map[int64]int64{}
				for _, q := range req.Quantities {
					in.Quantities[q.ProductID] = q.Quantity
				}
			}
			if req.NeededBy != nil {
				d, err := time.ParseInLocation("2006-01-02", *req.NeededBy, s.loc)
				if err != nil {
					return market.Invalid("needed_by", "Tanggal dibutuhkan ditulis TTTT-BB-HH, misalnya 2026-12-01.")
				}
				in.NeededBy = &d
			}
			o, err = s.store.Resubmit(ctx, p, id, in)
		default:
			var req reasonRequest
			if err := decodeOptionalJSON(r, &req); err != nil {
				return err
			}
			switch a {
			case market.ActionReturn:
				o, err = s.store.Return(ctx, p, id, req.Reason)
			case market.ActionReject:
				o, err = s.store.Reject(ctx, p, id, req.Reason)
			case market.ActionDecline:
				o, err = s.store.Decline(ctx, p, id, req.Reason)
			case market.ActionCloseShort:
				o, err = s.store.CloseShort(ctx, p, id, req.Reason)
			case market.ActionCancel:
				o, err = s.store.Cancel(ctx, p, id, req.Reason)
			case market.ActionDispute:
				o, err = s.store.Dispute(ctx, p, id, req.Reason)
			case market.ActionResolveDispute:
				o, err = s.store.ResolveDispute(ctx, p, id, req.Reason)
			default:
				return market.NotFound("Tindakan")
			}
		}
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, o)
		return nil
	}
}

func (s *Server) apiNegotiate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in store.NegotiationInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	// The move's own fields first: an unknown kind is the input's fault in any state.
	if err := in.Kind.Validate(); err != nil {
		return err
	}
	if in.Line < 0 {
		return market.Invalid("line", "Baris pesanan tidak ditemukan.")
	}
	o, err := s.store.Negotiate(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// authorizeAction returns the order as p sees it when p may take action a on it now. A handler
// that stores an upload with the action calls it first, so that nothing is stored for a request
// the store would refuse for who asks or when: the blob store keeps every file it is given
// (content-addressed, so a file may be shared with other records and is never deleted). The store
// checks all of it again in the action's transaction. Errors are the store's for the same
// request: CodeNotFound when p may not see the order, CodeForbidden when p stands in none of the
// action's roles towards it, CodeConflict when its state does not allow the action.
func (s *Server) authorizeAction(ctx context.Context, p *market.Principal, id int64, a market.Action) (store.Order, error) {
	o, err := s.store.GetOrder(ctx, p, id)
	if err != nil {
		return store.Order{}, err
	}
	if slices.Contains(o.Allowed, a) {
		return o, nil
	}
	// The state stops p when p could take the action from another state of the order.
	related, fromHere := false, false
	for _, rule := range market.TransitionRules {
		if rule.Action != a {
			continue
		}
		fromHere = fromHere || slices.Contains(rule.From, o.State)
		for _, st := range rule.From {
			other := o
			other.State = st
			related = related || slices.Contains(store.AllowedOrderActions(p, other), a)
		}
	}
	switch {
	case !related:
		return store.Order{}, market.Forbidden(fmt.Sprintf("Anda bukan pihak yang berwenang %s pesanan ini.", a.Label()))
	case fromHere:
		return store.Order{}, market.Conflict(fmt.Sprintf("Pesanan berstatus %s; peran Anda tidak dapat %s pada status ini.", o.State.Label(), a.Label()))
	}
	return store.Order{}, market.Conflict(fmt.Sprintf("Pesanan berstatus %s; tidak dapat %s.", o.State.Label(), a.Label()))
}

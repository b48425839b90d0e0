package web

import (
	"io"
	"net/http"
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
	if len(req.Items) == 0 {
		return market.Invalid("items", "Cantumkan paling sedikit satu produk.")
	}
	in := store.CheckoutInput{UnitID: req.UnitID, BudgetLineID: req.BudgetLineID, PPKID: req.PPKID, ReceiverID: req.ReceiverID,
		Address: req.Address, Notes: req.Notes, Items: req.Items,
		Shipping: map[int64]market.Rupiah{}, Justifications: map[int64]map[string]string{}}
	if req.NeededBy != "" {
		d, err := time.ParseInLocation("2006-01-02", req.NeededBy, s.loc)
		if err != nil {
			return market.Invalid("needed_by", "Tanggal dibutuhkan ditulis TTTT-BB-HH, misalnya 2026-12-01.")
		}
		in.NeededBy = d
	}
	for _, sh := range req.Shipping {
		in.Shipping[sh.SellerID] += sh.Amount
	}
	for _, j := range req.Justifications {
		if in.Justifications[j.SellerID] == nil {
			in.Justifications[j.SellerID] = map[string]string{}
		}
		in.Justifications[j.SellerID][j.Rule] = j.Text
	}
	orders, err := s.store.Checkout(r.Context(), principal(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, ordersResponse{Orders: orders})
	return nil
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
	o, err := s.store.Negotiate(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

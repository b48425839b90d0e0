package web

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// buyers are the Pejabat Pengadaan: they hold carts and check out.
var buyers = roles(market.RoleBuyer)

// buyerUnit returns the unit whose cart the request is about: the "unit" value when p is a
// buyer there, else p's first unit as buyer. A named unit where p is not a buyer is
// CodeNotFound; a buyer always has at least one unit.
func (s *Server) buyerUnit(r *http.Request, p *market.Principal) (store.Unit, []store.Unit, error) {
	u, units, err := s.unitChoice(r, p, buyers...)
	if err != nil {
		return u, units, err
	}
	if u.ID == 0 || !p.InUnit(u.ID, market.RoleBuyer) {
		return u, units, market.NotFound("Satuan kerja")
	}
	var own []store.Unit
	for _, x := range units {
		if p.InUnit(x.ID, market.RoleBuyer) {
			own = append(own, x)
		}
	}
	return u, own, nil
}

// cartPage is the buyer's cart in one unit, grouped by seller.
type cartPage struct {
	Base
	Unit   store.Unit
	Units  []store.Unit
	Cart   store.Cart
	Error  string
	Fields map[string]string
	Typed  map[string]string // the quantities as typed (q_<product id>) when the form is shown again
}

// Qty returns the quantity to show in a line's field: what the buyer typed when the form comes
// back with errors, else the stored quantity.
func (d *cartPage) Qty(l store.CartLine) string {
	if v, ok := d.Typed[fmt.Sprintf("q_%d", l.ProductID)]; ok {
		return v
	}
	return strconv.FormatInt(l.Quantity, 10)
}

func (s *Server) renderCart(w http.ResponseWriter, r *http.Request, status int, d *cartPage) error {
	var err error
	if d.Cart, err = s.store.GetCart(r.Context(), d.P, d.Unit.ID); err != nil {
		return err
	}
	// A message for a line no longer in the cart (removed in another tab) has no field to stand
	// next to: it joins the banner.
	shown := map[string]bool{}
	for _, g := range d.Cart.Groups {
		for _, l := range g.Lines {
			shown[fmt.Sprintf("q_%d", l.ProductID)] = true
		}
	}
	keys := slices.Sorted(maps.Keys(d.Fields))
	for _, k := range keys {
		if !shown[k] {
			d.Error += " " + d.Fields[k]
		}
	}
	return s.render(w, status, "cart", d)
}

// cart shows the buyer's cart (GET /keranjang?unit=…).
func (s *Server) cart(w http.ResponseWriter, r *http.Request) error {
	d := &cartPage{Base: s.newBase(r, "cart.title")}
	var err error
	if d.Unit, d.Units, err = s.buyerUnit(r, d.P); err != nil {
		return err
	}
	return s.renderCart(w, r, http.StatusOK, d)
}

func cartLink(unitID int64, ok string) string {
	return fmt.Sprintf("/keranjang?unit=%d&ok=%s", unitID, url.QueryEscape(ok))
}

// parseQuantity reads a quantity typed for a cart line: a whole number from least (1 to add, 0
// to set, where 0 removes) up to market.MaxProductStock. Otherwise it returns a CodeInvalid
// error for field that names the bound crossed.
func parseQuantity(field, typed string, least int64) (int64, error) {
	v := strings.TrimSpace(typed)
	q, err := strconv.ParseInt(v, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		// Digits beyond int64: far above the maximum, or far below zero.
		q, err = market.MaxProductStock+1, nil
		if strings.HasPrefix(v, "-") {
			q = -1
		}
	}
	switch {
	case err != nil && least == 0:
		return 0, market.Invalid(field, "Jumlah harus bilangan bulat, 0 untuk menghapus.")
	case err != nil:
		return 0, market.Invalid(field, "Jumlah harus bilangan bulat, paling sedikit 1.")
	case q < least && least == 0:
		return 0, market.Invalid(field, "Jumlah tidak boleh negatif; isi 0 untuk menghapus.")
	case q < least:
		return 0, market.Invalid(field, "Jumlah harus paling sedikit 1.")
	case q > market.MaxProductStock:
		return 0, market.Invalid(field, fmt.Sprintf("Jumlah paling banyak %s.", market.GroupDigits(market.MaxProductStock)))
	}
	return q, nil
}

// addToCart adds a product from its page to the cart (POST /keranjang: product_id, quantity).
// A refused quantity shows the product page again with the message under the field and the
// quantity as typed.
func (s *Server) addToCart(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := principal(r)
	unit, _, err := s.buyerUnit(r, p)
	if err != nil {
		return err
	}
	pid, _ := strconv.ParseInt(r.PostFormValue("product_id"), 10, 64)
	typed := r.PostFormValue("quantity")
	qty, err := parseQuantity("quantity", typed, 1)
	if err == nil {
		err = s.store.AddToCart(r.Context(), p, unit.ID, store.CartItem{ProductID: pid, Quantity: qty})
	}
	if err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		d := &productPage{Base: s.newBase(r, "catalog.product"), Quantity: typed, Fields: fields, Error: msg}
		if len(fields) > 0 {
			d.Error = translate(d.Lang, "form.fix")
		}
		return s.renderProductPage(w, r, statusOf(asCoded(err).Code), pid, d)
	}
	http.Redirect(w, r, cartLink(unit.ID, "cart.added"), http.StatusSeeOther)
	return nil
}

// updateCart changes quantities (q_<product id>) or removes one line (remove=<product id>)
// (POST /keranjang/ubah). Every quantity is checked before any is written, and then all are
// written in one transaction: a refused form changes nothing and comes back as typed, with the
// message next to each refused quantity.
func (s *Server) updateCart(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d := &cartPage{Base: s.newBase(r, "cart.title")}
	var err error
	if d.Unit, d.Units, err = s.buyerUnit(r, d.P); err != nil {
		return err
	}
	if v := r.PostFormValue("remove"); v != "" {
		pid, _ := strconv.ParseInt(v, 10, 64)
		if err := s.store.RemoveFromCart(r.Context(), d.P, d.Unit.ID, pid); err != nil {
			return err
		}
		http.Redirect(w, r, cartLink(d.Unit.ID, "cart.removed"), http.StatusSeeOther)
		return nil
	}
	fe := market.FieldErrors{}
	d.Typed = map[string]string{}
	var items []store.CartItem
	for _, k := range slices.Sorted(maps.Keys(r.PostForm)) {
		rest, ok := strings.CutPrefix(k, "q_")
		if !ok {
			continue
		}
		pid, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			continue
		}
		typed := r.PostForm.Get(k)
		d.Typed[k] = typed
		qty, err := parseQuantity(k, typed, 0)
		if err != nil {
			fe.Add(k, asCoded(err).Message)
			continue
		}
		items = append(items, store.CartItem{ProductID: pid, Quantity: qty})
	}
	err = fe.Err()
	if err == nil {
		err = s.store.SetCartQuantities(r.Context(), d.P, d.Unit.ID, items)
	}
	if err != nil {
		e := asCoded(err)
		if e.Code != market.CodeInvalid {
			return err
		}
		fields := map[string]string{}
		for k, msg := range e.Fields {
			if pid, ok := strings.CutPrefix(k, "items."); ok {
				k = "q_" + pid
			}
			fields[k] = msg
		}
		d.Fields, d.Error = sayFields(d.Lang, fields), translate(d.Lang, "form.fix")
		return s.renderCart(w, r, http.StatusUnprocessableEntity, d)
	}
	http.Redirect(w, r, cartLink(d.Unit.ID, "cart.updated"), http.StatusSeeOther)
	return nil
}

// checkoutForm is what the buyer typed at checkout, kept as text so that errors show it again.
type checkoutForm struct {
	BudgetLine, PPK, Receiver, Address, NeededBy, Notes string
	Shipping                                            map[int64]string
	Justifications                                      map[int64]map[string]string
	Confirmed                                           bool
}

// Ship returns the typed shipping cost of a seller.
func (f checkoutForm) Ship(sellerID int64) string { return f.Shipping[sellerID] }

// Just returns the typed justification of a seller's order for a rule.
func (f checkoutForm) Just(sellerID int64, code string) string {
	return f.Justifications[sellerID][code]
}

func readCheckoutForm(r *http.Request) checkoutForm {
	f := checkoutForm{BudgetLine: r.PostFormValue("budget_line_id"), PPK: r.PostFormValue("ppk_id"), Receiver: r.PostFormValue("receiver_id"),
		Address: r.PostFormValue("address"), NeededBy: r.PostFormValue("needed_by"), Notes: r.PostFormValue("notes"),
		Shipping: map[int64]string{}, Justifications: map[int64]map[string]string{}, Confirmed: r.PostFormValue("confirmed") == "1"}
	for k, vs := range r.PostForm {
		if len(vs) == 0 {
			continue
		}
		if rest, ok := strings.CutPrefix(k, "shipping_"); ok {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
				f.Shipping[id] = vs[0]
			}
		}
		if rest, ok := strings.CutPrefix(k, "just_"); ok {
			sid, code, _ := strings.Cut(rest, "_")
			if id, err := strconv.ParseInt(sid, 10, 64); err == nil && code != "" {
				if f.Justifications[id] == nil {
					f.Justifications[id] = map[string]string{}
				}
				f.Justifications[id][code] = vs[0]
			}
		}
	}
	return f
}

// input converts the form into the store's checkout input, with field errors for what does
// not parse.
func (f checkoutForm) input(unitID int64, loc *time.Location) (store.CheckoutInput, market.FieldErrors) {
	fe := market.FieldErrors{}
	in := store.CheckoutInput{UnitID: unitID, Address: f.Address, Notes: f.Notes,
		Shipping: map[int64]market.Rupiah{}, Justifications: map[int64]map[string]string{}}
	in.BudgetLineID, _ = strconv.ParseInt(f.BudgetLine, 10, 64)
	in.PPKID, _ = strconv.ParseInt(f.PPK, 10, 64)
	in.ReceiverID, _ = strconv.ParseInt(f.Receiver, 10, 64)
	if f.NeededBy != "" {
		t, err := time.ParseInLocation("2006-01-02", f.NeededBy, loc)
		if err != nil {
			fe.Add("needed_by", "Tanggal tidak valid.")
		}
		in.NeededBy = t
	}
	for sid, v := range f.Shipping {
		if strings.TrimSpace(v) == "" {
			continue
		}
		const notNumber = "Ongkos kirim harus angka rupiah tanpa desimal."
		c, msg := market.ParseRupiahField(v, notNumber)
		if msg != "" {
			fe.Add(fmt.Sprintf("shipping.%d", sid), msg)
			continue
		}
		in.Shipping[sid] = c
	}
	for sid, m := range f.Justifications {
		for code, v := range m {
			if strings.TrimSpace(v) != "" {
				if in.Justifications[sid] == nil {
					in.Justifications[sid] = map[string]string{}
				}
				in.Justifications[sid][code] = v
			}
		}
	}
	return in, fe
}

// checkoutGroup is one seller's part of the checkout page: its cart lines and, once checked,
// its amounts with shipping and PPN and the rule results.
type checkoutGroup struct {
	store.CartGroup
	Checked  bool
	Amounts  market.OrderAmounts
	Results  []market.RuleResult
	Warnings []string        // rule codes that need a justification
	Missing  map[string]bool // warnings whose typed justification is missing or too short
	Blocked  bool
}

// checkoutPage is the checkout form with the cart, the choices and, after a check, the rule
// results per seller.
type checkoutPage struct {
	Base
	Unit      store.Unit
	Groups    []checkoutGroup
	Lines     []market.BudgetLine
	PPKs      []store.Official
	Receivers []store.Official
	Form      checkoutForm
	Fields    map[string]string
	Error     string
	Checked   bool // the rules were evaluated on this input
	MinDate   string
	MaxDate   string // the latest needed-by date the store accepts
	// The longest texts the store accepts, for the fields' maxlength.
	MaxAddress, MaxNotes, MaxJustification int
}

func (s *Server) renderCheckout(w http.ResponseWriter, r *http.Request, status int, d *checkoutPage, preview []store.CheckoutOrder) error {
	ctx := r.Context()
	cart, err := s.store.GetCart(ctx, d.P, d.Unit.ID)
	if err != nil {
		return err
	}
	dash, err := s.store.UnitDashboard(ctx, d.P, d.Unit.ID)
	if err != nil {
		return err
	}
	d.Lines = dash.Lines
	if d.PPKs, err = s.store.UnitOfficials(ctx, d.P, d.Unit.ID, market.RoleApprover); err != nil {
		return err
	}
	if d.Receivers, err = s.store.UnitOfficials(ctx, d.P, d.Unit.ID, market.RoleReceiver); err != nil {
		return err
	}
	today := s.cfg.Clock.Now().In(s.loc)
	d.MinDate, d.MaxDate = today.Format(time.DateOnly), today.AddDate(store.MaxNeededByYears, 0, 0).Format(time.DateOnly)
	d.MaxAddress, d.MaxNotes, d.MaxJustification = store.MaxAddressLength, store.MaxNotesLength, store.MaxJustificationLength
	byS := map[int64]store.CheckoutOrder{}
	for _, o := range preview {
		byS[o.SellerID] = o
	}
	d.Groups = nil
	for _, g := range cart.Groups {
		cg := checkoutGroup{CartGroup: g, Amounts: g.Amounts}
		if o, ok := byS[g.SellerID]; ok {
			cg.Checked, cg.Amounts, cg.Results = true, o.Amounts, o.Results
			cg.Warnings = market.NeedsJustification(o.Results)
			cg.Missing = map[string]bool{}
			for _, code := range cg.Warnings {
				cg.Missing[code] = !market.Justified(d.Form.Just(g.SellerID, code))
			}
			for _, res := range o.Results {
				cg.Blocked = cg.Blocked || res.Severity == market.SeverityBlock
			}
		}
		d.Groups = append(d.Groups, cg)
	}
	return s.render(w, status, "checkout", d)
}

// checkoutPage shows the checkout page (GET /keranjang/pesan?unit=…).
func (s *Server) checkoutPage(w http.ResponseWriter, r *http.Request) error {
	d := &checkoutPage{Base: s.newBase(r, "checkout.title")}
	var err error
	if d.Unit, _, err = s.buyerUnit(r, d.P); err != nil {
		return err
	}
	return s.renderCheckout(w, r, http.StatusOK, d, nil)
}

// checkout evaluates the rules on the typed input (POST /keranjang/pesan). Blocks and warnings
// without a justification show the form again with every explanation and the input kept; an
// information-only result (the concentration nudge) is shown once before ordering. Otherwise
// the orders are placed, one per seller, and the buyer lands on the order list.
// refusesJustification reports whether err refuses a written justification.
func refusesJustification(err error) bool {
	for field := range asCoded(err).Fields {
		if strings.HasPrefix(field, "justifications.") {
			return true
		}
	}
	return false
}

func (s *Server) checkout(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d := &checkoutPage{Base: s.newBase(r, "checkout.title"), Form: readCheckoutForm(r)}
	var err error
	if d.Unit, _, err = s.buyerUnit(r, d.P); err != nil {
		return err
	}
	in, fe := d.Form.input(d.Unit.ID, s.loc)
	fail := func(err error, preview []store.CheckoutOrder) error {
		fields, msg, ok := formError(r, err)
		if !ok && market.ErrorCode(err) != market.CodeRuleBlocked {
			return err
		}
		d.Fields, d.Error = fields, msg
		if msg == "" {
			d.Error = sayError(d.Lang, asCoded(err).Message)
		}
		return s.renderCheckout(w, r, statusOf(asCoded(err).Code), d, preview)
	}
	if err := fe.Err(); err != nil {
		return fail(err, nil)
	}
	preview, err := s.store.PreviewCheckout(r.Context(), d.P, in)
	if err != nil {
		if refusesJustification(err) {
			// The refused text is shown again in its box, next to the warning it answers: the
			// rules as they stand without the written justifications.
			in.Justifications = nil
			if without, perr := s.store.PreviewCheckout(r.Context(), d.P, in); perr == nil {
				return fail(err, without)
			}
		}
		return fail(err, nil)
	}
	d.Checked = true
	var stop error
	info := false
	for _, o := range preview {
		if o.Stop != nil && stop == nil {
			stop = o.Stop
		}
		info = info || len(o.Results) > 0
	}
	if stop != nil {
		return fail(stop, preview)
	}
	if info && !d.Form.Confirmed {
		d.Form.Confirmed = true
		return s.renderCheckout(w, r, http.StatusOK, d, preview)
	}
	orders, err := s.store.Checkout(r.Context(), d.P, in)
	if err != nil {
		return fail(err, preview)
	}
	target := "/pesanan?ok=checkout.done"
	if len(orders) == 1 {
		target = fmt.Sprintf("/pesanan/%d?ok=checkout.done", orders[0].ID)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

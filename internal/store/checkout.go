package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"bela/internal/market"
)

// This file holds the buyer's cart and checkout: one order per seller, every accountability
// rule of market.CheckOrder evaluated on facts loaded here, and stock and budget reserved with
// conditional UPDATEs in the same transaction as the orders and their audit events.

// CartItem is a product and a quantity, in a cart or in a checkout request.
type CartItem struct {
	ProductID int64 `json:"product_id"`
	Quantity  int64 `json:"quantity"`
}

// CartLine is a cart item with what the buyer sees of its product now.
type CartLine struct {
	ProductID   int64         `json:"product_id"`
	Name        string        `json:"name"`
	Unit        string        `json:"unit"`
	UnitPrice   market.Rupiah `json:"unit_price"`
	MinQuantity int64         `json:"min_quantity"`
	Stock       int64         `json:"stock"`
	Quantity    int64         `json:"quantity"`
	Amount      market.Rupiah `json:"amount"`
}

// CartGroup is the part of a cart from one seller: it becomes one order at checkout. Amounts
// are without shipping, which the buyer enters at checkout.
type CartGroup struct {
	SellerID   int64               `json:"seller_id"`
	SellerName string              `json:"seller_name"`
	PKP        bool                `json:"pkp"`
	Lines      []CartLine          `json:"lines"`
	Amounts    market.OrderAmounts `json:"-"`
}

// Cart is a buyer's cart in one unit, grouped by seller.
type Cart struct {
	UnitID int64       `json:"unit_id"`
	Groups []CartGroup `json:"groups"`
}

func buyerOf(p *market.Principal, unitID int64) error {
	if !p.InUnit(unitID, market.RoleBuyer) {
		return market.Forbidden("Hanya Pejabat Pengadaan unit kerja ini yang dapat berbelanja atas nama unit.")
	}
	return nil
}

// AddToCart adds quantity of a product to the buyer's cart in the unit (adding to a line already
// there). Errors: CodeForbidden unless p is a buyer of the unit; CodeNotFound when the product
// is not shown to buyers (approved, from a verified micro or small seller); CodeInvalid for a
// quantity below 1, or a line that would pass market.MaxProductStock.
func (s *Store) AddToCart(ctx context.Context, p *market.Principal, unitID int64, it CartItem) error {
	switch {
	case it.Quantity < 1:
		return market.Invalid("quantity", "Jumlah harus paling sedikit 1.")
	case it.Quantity > market.MaxProductStock:
		return market.Invalid("quantity", fmt.Sprintf("Jumlah paling banyak %s.", market.GroupDigits(market.MaxProductStock)))
	}
	return s.setCart(ctx, p, unitID, it, true)
}

// SetCartQuantity sets the quantity of a product in the buyer's cart in the unit; 0 removes
// the line. Errors as for AddToCart (removing needs no shown product).
func (s *Store) SetCartQuantity(ctx context.Context, p *market.Principal, unitID int64, it CartItem) error {
	if it.Quantity < 0 || it.Quantity > market.MaxProductStock {
		return market.Invalid("quantity", "Jumlah tidak valid.")
	}
	return s.setCart(ctx, p, unitID, it, false)
}

// RemoveFromCart removes a product from the buyer's cart in the unit. Errors: CodeForbidden
// unless p is a buyer of the unit.
func (s *Store) RemoveFromCart(ctx context.Context, p *market.Principal, unitID, productID int64) error {
	return s.SetCartQuantity(ctx, p, unitID, CartItem{ProductID: productID})
}

func (s *Store) setCart(ctx context.Context, p *market.Principal, unitID int64, it CartItem, add bool) error {
	if err := buyerOf(p, unitID); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if it.Quantity > 0 {
			prods, err := loadOrderProducts(ctx, tx.tx, []int64{it.ProductID})
			if err != nil {
				return err
			}
			if pr, ok := prods[it.ProductID]; !ok || !pr.shown() {
				return market.NotFound("Produk")
			}
		}
		var cartID int64
		err := tx.queryRow(ctx, `INSERT INTO carts (user_id, unit_id, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id, unit_id) DO UPDATE SET updated_at = $3 RETURNING id`, p.UserID, unitID, micros(tx.now)).Scan(&cartID)
		if err != nil {
			return fmt.Errorf("cart: %w", err)
		}
		var old int64
		err = tx.queryRow(ctx, `SELECT quantity FROM cart_lines WHERE cart_id = $1 AND product_id = $2`, cartID, it.ProductID).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("cart: %w", err)
		}
		qty := it.Quantity
		if add {
			qty += old
			if qty > market.MaxProductStock {
				return market.Invalid("quantity", fmt.Sprintf("Keranjang sudah berisi %s; jumlahnya paling banyak %s.",
					market.GroupDigits(old), market.GroupDigits(market.MaxProductStock)))
			}
		}
		switch {
		case qty == old:
			return nil
		case qty == 0:
			_, err = tx.exec(ctx, `DELETE FROM cart_lines WHERE cart_id = $1 AND product_id = $2`, cartID, it.ProductID)
		case old == 0:
			_, err = tx.exec(ctx, `INSERT INTO cart_lines (cart_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4)`, cartID, it.ProductID, qty, micros(tx.now))
		default:
			_, err = tx.exec(ctx, `UPDATE cart_lines SET quantity = $1 WHERE cart_id = $2 AND product_id = $3`, qty, cartID, it.ProductID)
		}
		if err != nil {
			return fmt.Errorf("cart: %w", err)
		}
		return tx.Audit(ctx, Actor{UserID: p.UserID, Role: market.RoleBuyer}, "cart.set", "cart", cartID, map[string]market.Change{
			"product_id": {After: it.ProductID}, "quantity": {Before: old, After: qty}})
	})
}

// GetCart returns the buyer's cart in the unit, grouped by seller (sellers by name), with the
// products' current prices and stock. Lines whose product is no longer shown are kept so the
// buyer sees them, with their current facts; checkout refuses them. Errors: CodeForbidden unless
// p is a buyer of the unit.
func (s *Store) GetCart(ctx context.Context, p *market.Principal, unitID int64) (Cart, error) {
	if err := buyerOf(p, unitID); err != nil {
		return Cart{}, err
	}
	q := s.q(ctx)
	items, err := cartItems(ctx, q, p.UserID, unitID)
	if err != nil {
		return Cart{}, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ProductID
	}
	prods, err := loadOrderProducts(ctx, q, ids)
	if err != nil {
		return Cart{}, err
	}
	c := Cart{UnitID: unitID, Groups: []CartGroup{}}
	idx := map[int64]int{}
	for _, it := range items {
		pr, ok := prods[it.ProductID]
		if !ok {
			continue
		}
		gi, ok := idx[pr.sellerID]
		if !ok {
			gi = len(c.Groups)
			idx[pr.sellerID] = gi
			c.Groups = append(c.Groups, CartGroup{SellerID: pr.sellerID, SellerName: pr.sellerName, PKP: pr.pkp})
		}
		amt, _ := market.LineAmount(pr.price, it.Quantity)
		c.Groups[gi].Lines = append(c.Groups[gi].Lines, CartLine{ProductID: pr.id, Name: pr.name, Unit: pr.unit,
			UnitPrice: pr.price, MinQuantity: pr.minOrder, Stock: pr.stock, Quantity: it.Quantity, Amount: amt})
	}
	now, err := s.fiscalNow(ctx, q)
	if err != nil {
		return c, err
	}
	for i := range c.Groups {
		g := &c.Groups[i]
		amounts := make([]market.Rupiah, len(g.Lines))
		catering := true
		for j, l := range g.Lines {
			amounts[j] = l.Amount
			catering = catering && leafCatering(prods[l.ProductID].category)
		}
		g.Amounts, _ = market.OrderTotal(amounts, 0, market.ChargesPPN(g.PKP, catering), now)
	}
	slices.SortStableFunc(c.Groups, func(a, b CartGroup) int { return strings.Compare(a.SellerName, b.SellerName) })
	return c, nil
}

// productIDs returns the items' product ids.
func productIDs(items []CartItem) []int64 {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ProductID
	}
	return ids
}

func cartItems(ctx context.Context, q querier, userID, unitID int64) ([]CartItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT cl.product_id, cl.quantity FROM cart_lines cl JOIN carts c ON c.id = cl.cart_id
		WHERE c.user_id = $1 AND c.unit_id = $2 ORDER BY cl.added_at, cl.product_id`, userID, unitID)
	if err != nil {
		return nil, fmt.Errorf("cart lines: %w", err)
	}
	defer rows.Close()
	var out []CartItem
	for rows.Next() {
		var it CartItem
		if err := rows.Scan(&it.ProductID, &it.Quantity); err != nil {
			return nil, fmt.Errorf("cart lines: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// orderProduct is what checkout needs of a product and its seller.
type orderProduct struct {
	id, sellerID         int64
	name, unit, category string
	price, publicPrice   market.Rupiah
	minOrder, stock      int64
	status               market.ProductStatus
	sellerName           string
	sellerStatus         market.SellerStatus
	sellerClass          market.UMKClass
	pkp                  bool
	pdn                  bool  // a domestic product (Produk Dalam Negeri)
	tkdnBP               int64 // its certified domestic content (TKDN), in basis points
}

func (p orderProduct) shown() bool {
	return market.ProductShown(p.status, p.sellerStatus, p.sellerClass)
}

func (p orderProduct) checkSeller() market.CheckSeller {
	return market.CheckSeller{
		ID: p.sellerID, Name: p.sellerName,
		Verified:  p.sellerStatus == market.SellerVerified,
		UMK:       p.sellerClass == market.ClassMicro || p.sellerClass == market.ClassSmall,
		Suspended: p.sellerStatus == market.SellerSuspended,
	}
}

// ordPlaceholders returns "$k, $k+1, …" for n placeholders starting at k.
func ordPlaceholders(k, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", k+i)
	}
	return b.String()
}

func ordArgs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func loadOrderProducts(ctx context.Context, q querier, ids []int64) (map[int64]orderProduct, error) {
	out := map[int64]orderProduct{}
	r := newPipe(q)
	queueOrderProducts(r, ids, out)
	return out, r.run(ctx)
}

// queueOrderProducts adds the read of the products with ids, and their sellers, into out.
func queueOrderProducts(r *pipe, ids []int64, out map[int64]orderProduct) {
	if len(ids) == 0 {
		return
	}
	r.read("load products", `SELECT p.id, p.seller_id, p.name, p.unit, p.category_code, p.price, p.public_price, p.min_order, p.stock, p.status,
			s.name, s.status, s.class, s.pkp, p.pdn, p.tkdn_bp
		FROM products p JOIN sellers s ON s.id = p.seller_id WHERE p.id IN (`+ordPlaceholders(1, len(ids))+`)`, ordArgs(ids), func(row rowScanner) error {
		var p orderProduct
		var status, sstatus, class string
		if err := row.Scan(&p.id, &p.sellerID, &p.name, &p.unit, &p.category, &p.price, &p.publicPrice, &p.minOrder, &p.stock, &status,
			&p.sellerName, &sstatus, &class, &p.pkp, &p.pdn, &p.tkdnBP); err != nil {
			return err
		}
		p.status, p.sellerStatus, p.sellerClass = market.ProductStatus(status), market.SellerStatus(sstatus), market.UMKClass(class)
		out[p.id] = p
		return nil
	})
}

// CheckoutInput is what the buyer gives at checkout. Items may be empty: then the buyer's cart
// in the unit is checked out (and emptied of what was ordered).
type CheckoutInput struct {
	UnitID       int64
	BudgetLineID int64
	PPKID        int64 // the PPK who will approve: a user with role approver in the unit
	ReceiverID   int64 // optional: a user with role receiver in the unit
	Address      string
	NeededBy     time.Time
	Notes        string
	Items        []CartItem
	// Shipping is the shipping cost charged by each seller (by seller id); missing means 0.
	Shipping map[int64]market.Rupiah
	// Justifications are the buyer's written reasons per seller id and rule code, for warnings.
	Justifications map[int64]map[string]string
}

// CheckoutOrder is one order of a checkout as evaluated: its seller, amounts and rule results.
type CheckoutOrder struct {
	SellerID   int64
	SellerName string
	Amounts    market.OrderAmounts
	Results    []market.RuleResult
	// Stop is nil when the order may be placed, else the CodeRuleBlocked error of its results.
	Stop error
}

// Limits on checkout text fields.
const (
	MaxAddressLength = 500
	MaxNotesLength   = 2000
	MaxReasonLength  = 2000
	// MaxJustificationLength bounds each written justification, as any other reason.
	MaxJustificationLength = MaxReasonLength
)

// MaxNeededByYears is how many years ahead of today the date the goods are needed by may be:
// a direct purchase serves a need of the coming months, so a later date is a typing mistake.
const MaxNeededByYears = 2

// validate checks the input's own fields, normalising the texts.
func (in *CheckoutInput) validate(now time.Time) error {
	fe := market.FieldErrors{}
	in.Address = checkAddress(fe, "address", in.Address)
	in.Notes = checkNotes(fe, "notes", in.Notes)
	checkNeededBy(fe, "needed_by", in.NeededBy, now)
	if in.BudgetLineID == 0 {
		fe.Add("budget_line_id", "Pilih Kode RUP (baris anggaran).")
	}
	if in.PPKID == 0 {
		fe.Add("ppk_id", "Pilih PPK yang akan menyetujui pesanan.")
	}
	for sid, v := range in.Shipping {
		if v < 0 || v > market.MaxPolicyCap {
			fe.Add(fmt.Sprintf("shipping.%d", sid), "Ongkos kirim tidak valid.")
		}
	}
	if in.Justifications != nil { // a new map: the caller's stays as given
		just := make(map[int64]map[string]string, len(in.Justifications))
		for sid, m := range in.Justifications {
			if m = checkJustifications(fe, fmt.Sprintf("justifications.%d", sid), m); m != nil {
				just[sid] = m // a seller with only empty texts has nothing written
			}
		}
		in.Justifications = just
	}
	seen := map[int64]bool{}
	for _, it := range in.Items {
		if it.Quantity < 1 || it.Quantity > market.MaxProductStock {
			fe.Add("items", "Jumlah setiap barang harus paling sedikit 1.")
		}
		if seen[it.ProductID] {
			fe.Add("items", "Produk yang sama tercantum dua kali.")
		}
		seen[it.ProductID] = true
	}
	return fe.Err()
}

// The checks of an order's own fields, shared by checkout and resubmission: each adds its
// message to fe under field and returns the value as stored.

// checkAddress checks a delivery address: required, at most MaxAddressLength characters.
func checkAddress(fe market.FieldErrors, field, address string) string {
	address = strings.TrimSpace(address)
	if address == "" || utf8.RuneCountInString(address) > MaxAddressLength {
		fe.Add(field, fmt.Sprintf("Alamat pengiriman wajib diisi, paling banyak %d karakter.", MaxAddressLength))
	}
	return address
}

// checkNotes checks the buyer's notes: at most MaxNotesLength characters.
func checkNotes(fe market.FieldErrors, field, notes string) string {
	notes = strings.TrimSpace(notes)
	if utf8.RuneCountInString(notes) > MaxNotesLength {
		fe.Add(field, fmt.Sprintf("Catatan paling banyak %d karakter.", MaxNotesLength))
	}
	return notes
}

// checkNeededBy checks the date the goods are needed by: required, not before today and not
// more than MaxNeededByYears ahead (today and its date as seen in now's time zone).
func checkNeededBy(fe market.FieldErrors, field string, neededBy, now time.Time) {
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	switch {
	case neededBy.IsZero():
		fe.Add(field, "Tanggal barang dibutuhkan wajib diisi.")
	case neededBy.Before(today):
		fe.Add(field, "Tanggal barang dibutuhkan tidak boleh sebelum hari ini.")
	case !neededBy.Before(today.AddDate(MaxNeededByYears, 0, 1)):
		fe.Add(field, fmt.Sprintf("Tanggal barang dibutuhkan paling lambat %d tahun dari hari ini.", MaxNeededByYears))
	}
}

// checkJustifications checks one order's justifications (field names its map): only the
// codes of market.TakesJustification, each text at most MaxJustificationLength characters. It returns
// them with surrounding space removed and empty ones left out (nil when none remain).
func checkJustifications(fe market.FieldErrors, field string, just map[string]string) map[string]string {
	var out map[string]string
	for code, text := range just {
		if !market.TakesJustification(code) {
			// The field, not the unknown key, is named: keys are the client's.
			fe.Add(field, "Alasan tertulis hanya untuk peringatan pemecahan paket atau harga acuan.")
			continue
		}
		text = strings.TrimSpace(text)
		if utf8.RuneCountInString(text) > MaxJustificationLength {
			fe.Add(field+"."+code, fmt.Sprintf("Alasan paling banyak %d karakter.", MaxJustificationLength))
			continue
		}
		if text == "" {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[code] = text
	}
	return out
}

// holder is a user checked to hold a role in a unit: their name, and whether they hold it.
type holder struct {
	name string
	ok   bool
}

// queue adds the check that user is an active user holding role in the unit at now.
func (h *holder) queue(r *pipe, userID int64, role market.Role, unitID int64, now time.Time) {
	r.read("check role", `SELECT u.name FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.user_id = $1 AND m.role = $2 AND m.scope_kind = 'unit' AND m.scope_id = $3 AND u.active
		AND m.valid_from <= $4 AND (m.valid_to = 0 OR m.valid_to > $4) AND (m.ended_at = 0 OR m.ended_at > $4) LIMIT 1`,
		[]any{userID, string(role), unitID, micros(now)}, func(row rowScanner) error {
			h.ok = true
			return row.Scan(&h.name)
		})
}

// ruleFacts loads, and caches for one use case, the facts the accountability rules need.
type ruleFacts struct {
	q      querier
	now    time.Time // in the instance's time zone
	policy market.Policy
	cats   categoryIDs
	prices map[string]market.PriceStats
	lists  map[string][]market.Rupiah
	links  map[int64][]market.SellerLink
	past   []market.PastOrder
	pastOK bool
	spend  map[int64]market.Rupiah
}

func newRuleFacts(q querier, now time.Time, p market.Policy) *ruleFacts {
	return &ruleFacts{q: q, now: now, policy: p, cats: categoryIDs{}, prices: map[string]market.PriceStats{},
		lists: map[string][]market.Rupiah{}, links: map[int64][]market.SellerLink{}}
}

// queueLine adds the reads of a category's price references for a unit of measure, unless
// they are loaded or queued: the approved order prices within the lookback, counted with their
// median (see market.PriceStatsOf), and the approved listings' prices, which are needed only
// when there are too few of the former.
func (f *ruleFacts) queueLine(r *pipe, category, unit string) {
	key := category + "\x00" + unit
	if _, ok := f.prices[key]; ok {
		return
	}
	f.prices[key] = market.PriceStats{}
	// The count and the one or two middle prices, the filter given three times: the count, the
	// offset of the middle, the rows. The index on (category_code, unit, approved_at,
	// unit_price) answers all three without reading the lines (approved_at > 0 lets SQLite use
	// it: the index is partial).
	filter := `FROM order_lines WHERE category_code = $1 AND unit = $2 AND approved_at > 0 AND approved_at > $3 AND approved_at <= $4
		AND unit_price > 0`
	// The prices market.PriceStatsOf counts: approved within market.PriceWindow, above zero.
	after, until := market.PriceWindow(f.policy, f.now)
	var middle []market.Rupiah
	r.read("price reference", `SELECT unit_price, (SELECT COUNT(*) `+filter+`) `+filter+`
		ORDER BY unit_price LIMIT 2 OFFSET (SELECT (COUNT(*) - 1) / 2 `+filter+`)`,
		[]any{category, unit, micros(after), micros(until)}, func(row rowScanner) error {
			var p market.Rupiah
			var count int
			if err := row.Scan(&p, &count); err != nil {
				return err
			}
			if middle = append(middle, p); count%2 == 1 {
				middle = middle[:1] // an odd count's median is its middle price alone
			}
			m, _ := market.MedianRupiah(middle)
			f.prices[key] = market.PriceStats{Count: count, Median: m}
			return nil
		})
	f.lists[key] = nil
	r.readUnless(func() bool { return f.prices[key].Count >= f.policy.PriceMinOrders }, "listing prices",
		`SELECT price FROM products WHERE status = 'approved' AND category_code = $1 AND unit = $2`, []any{category, unit},
		func(row rowScanner) error {
			var p market.Rupiah
			if err := row.Scan(&p); err != nil {
				return err
			}
			f.lists[key] = append(f.lists[key], p)
			return nil
		})
}

// line fills a check line's category and price references.
func (f *ruleFacts) line(ctx context.Context, l *market.CheckLine, category string) error {
	l.CategoryID, l.CategoryName = f.cats.id(category), leafName(category)
	r := newPipe(f.q)
	f.queueLine(r, category, l.UnitOfMeasure)
	if err := r.run(ctx); err != nil {
		return err
	}
	key := category + "\x00" + l.UnitOfMeasure
	l.OrderPrices = f.prices[key]
	if l.OrderPrices.Count < f.policy.PriceMinOrders {
		l.ListingPrices = f.lists[key] // else the listings are not the reference
	}
	return nil
}

// queueLinks adds the read of every user linked to the seller now, unless loaded or queued:
// owners and staff by membership, and relations declared to admins.
func (f *ruleFacts) queueLinks(r *pipe, sellerID int64) {
	if _, ok := f.links[sellerID]; ok {
		return
	}
	f.links[sellerID] = nil
	now := micros(f.now)
	r.read("seller links", `SELECT user_id, role FROM memberships WHERE scope_kind = 'seller' AND scope_id = $1
			AND valid_from <= $2 AND (valid_to = 0 OR valid_to > $2) AND (ended_at = 0 OR ended_at > $2)
		UNION ALL
		SELECT user_id, 'relation' FROM seller_relations WHERE seller_id = $1 AND (ended_at = 0 OR ended_at > $2)`,
		[]any{sellerID, now}, func(row rowScanner) error {
			var l market.SellerLink
			var kind string
			if err := row.Scan(&l.UserID, &kind); err != nil {
				return err
			}
			switch market.Role(kind) {
			case market.RoleSellerOwner:
				l.Kind = market.LinkOwner
			case market.RoleSellerStaff:
				l.Kind = market.LinkStaff
			default:
				l.Kind = market.LinkRelation
			}
			f.links[sellerID] = append(f.links[sellerID], l)
			return nil
		})
}

// sellerLinks returns every user linked to the seller now (see queueLinks).
func (f *ruleFacts) sellerLinks(ctx context.Context, sellerID int64) ([]market.SellerLink, error) {
	r := newPipe(f.q)
	f.queueLinks(r, sellerID)
	err := r.run(ctx)
	return f.links[sellerID], err
}

// queueUnit adds the reads of the unit's facts, unless loaded or queued: its orders placed
// within the split window, and its spend in the fiscal year per seller.
func (f *ruleFacts) queueUnit(r *pipe, unitID int64, year int) {
	if !f.pastOK {
		f.pastOK = true
		queueRecentOrders(r, unitID, f.now.Add(-f.policy.SplitWindow()), f.cats, true, &f.past, nil)
	}
	if f.spend == nil {
		f.spend = map[int64]market.Rupiah{}
		r.read("unit spend", `SELECT seller_id, SUM(total) FROM orders
			WHERE unit_id = $1 AND fiscal_year = $2 AND approved_at > 0 AND state NOT IN ('rejected', 'declined', 'cancelled', 'expired')
			GROUP BY seller_id`, []any{unitID, year}, func(row rowScanner) error {
			var id int64
			var sum market.Rupiah
			if err := row.Scan(&id, &sum); err != nil {
				return err
			}
			f.spend[id] = sum
			return nil
		})
	}
}

// concentration returns the unit's spend this fiscal year on the seller and in total, from the
// spend queueUnit read.
func (f *ruleFacts) concentration(sellerID int64) market.Concentration {
	c := market.Concentration{SellerSpend: f.spend[sellerID]}
	for _, v := range f.spend {
		c.UnitSpend += v
	}
	return c
}

// candidates returns other eligible sellers with approved products in the categories, for the
// concentration nudge, by name.
func (f *ruleFacts) candidates(ctx context.Context, sellerID int64, categories []string) ([]market.SuggestedSeller, error) {
	if len(categories) == 0 {
		return nil, nil
	}
	args := []any{sellerID}
	for _, c := range categories {
		args = append(args, c)
	}
	rows, err := f.q.QueryContext(ctx, `SELECT DISTINCT s.id, s.name FROM sellers s JOIN products p ON p.seller_id = s.id
		WHERE s.id <> $1 AND s.status = 'verified' AND s.class IN ('micro', 'small') AND p.status = 'approved'
		AND p.category_code IN (`+ordPlaceholders(2, len(categories))+`) ORDER BY s.name LIMIT 10`, args...)
	if err != nil {
		return nil, fmt.Errorf("suggested sellers: %w", err)
	}
	defer rows.Close()
	var out []market.SuggestedSeller
	for rows.Next() {
		var c market.SuggestedSeller
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			return nil, fmt.Errorf("suggested sellers: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// check fills the input's links, earlier orders (plus siblings, the checkout's other orders)
// and concentration, and evaluates the rules.
func (f *ruleFacts) check(ctx context.Context, in *market.CheckInput, categories []string, siblings []market.PastOrder) ([]market.RuleResult, error) {
	r := newPipe(f.q)
	f.queueLinks(r, in.Seller.ID)
	f.queueUnit(r, in.UnitID, in.Now.Year())
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	in.Links = f.links[in.Seller.ID]
	in.Earlier = append(slices.Clip(f.past), siblings...)
	in.Concentration = f.concentration(in.Seller.ID)
	results := market.CheckOrder(*in)
	if slices.ContainsFunc(results, func(r market.RuleResult) bool { return r.Code == market.RuleConcentration }) {
		var err error
		if in.Concentration.Candidates, err = f.candidates(ctx, in.Seller.ID, categories); err != nil {
			return nil, err
		}
		results = market.CheckOrder(*in)
	}
	return results, nil
}

// checkoutGroup is one seller's part of a checkout while it is evaluated and written.
type checkoutGroup struct {
	seller     market.CheckSeller
	pkp        bool
	items      []CartItem
	products   []orderProduct
	amounts    market.OrderAmounts
	chargesPPN bool
	input      market.CheckInput
	results    []market.RuleResult
	stop       error
	// The results and the buyer's justifications as stored with the order.
	rulesJSON, justJSON string
}

// categories returns the group's leaf category codes, each once, in the order of its lines.
func (g *checkoutGroup) categories() []string {
	var out []string
	for _, pr := range g.products {
		if !slices.Contains(out, pr.category) {
			out = append(out, pr.category)
		}
	}
	return out
}

// checkoutPlan is a checkout as evaluated: one group per seller (in the order their first item
// appears), the budget line, the policy, and the unit's orders_version read before any fact the
// rules use, so that the write transaction can tell whether the unit's orders changed since.
type checkoutPlan struct {
	groups      []*checkoutGroup
	budget      market.BudgetLine
	policy      market.Policy
	policyJSON  string
	unitVersion int64
	// Names the orders show, read with the facts they belong to.
	unitCode, unitName, ppkName, receiverName string
	// The split window's start, the category ids and the unit's counted orders of the window
	// the rules were evaluated with (see recentOrders).
	since    time.Time
	cats     categoryIDs
	recent   []market.PastOrder
	recentOK bool
}

// evaluateCheckout loads every fact and evaluates the rules for each seller's order. committed
// says that q reads committed data outside any transaction, so that the unit's recent orders
// may come from, and go to, the store's recentOrders.
func (s *Store) evaluateCheckout(ctx context.Context, q querier, p *market.Principal, in *CheckoutInput, committed bool) (*checkoutPlan, error) {
	if err := buyerOf(p, in.UnitID); err != nil {
		return nil, err
	}
	plan := &checkoutPlan{}
	// The first facts together (one round trip on PostgreSQL): the unit's orders version, read
	// before the orders it guards (see Checkout), with the instance's time zone (fiscalNow) and
	// the current policy (currentPolicy); the budget line; the PPK and the receiver; the products
	// (unless they are the cart's, read once the input is found valid).
	var tz, rawPolicy string
	unitFound, budgetFound := false, false
	var ppk, receiver holder
	r := newPipe(q)
	r.read("unit orders version", `SELECT u.orders_version, u.code, u.name, COALESCE((SELECT time_zone FROM instance LIMIT 1), ''),
			COALESCE((SELECT policy FROM policy_versions ORDER BY id DESC LIMIT 1), '')
		FROM units u WHERE u.id = $1`, []any{in.UnitID}, func(row rowScanner) error {
		unitFound = true
		return row.Scan(&plan.unitVersion, &plan.unitCode, &plan.unitName, &tz, &rawPolicy)
	})
	queueBudgetLine(r, in.BudgetLineID, &plan.budget, &budgetFound)
	instant := s.Now()
	ppk.queue(r, in.PPKID, market.RoleApprover, in.UnitID, instant)
	if in.ReceiverID != 0 {
		receiver.queue(r, in.ReceiverID, market.RoleReceiver, in.UnitID, instant)
	}
	prods := map[int64]orderProduct{}
	queueOrderProducts(r, productIDs(in.Items), prods)
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	if !unitFound {
		return nil, market.NotFound("Satuan kerja")
	}
	now := instant.In(tzLocation(tz))
	if err := in.validate(now); err != nil {
		return nil, err
	}
	pol, err := decodePolicy(rawPolicy)
	if err != nil {
		return nil, err
	}
	plan.policy = pol
	if !budgetFound {
		return nil, market.Invalid("budget_line_id", "Kode RUP (baris anggaran) tidak ditemukan.")
	}
	budget := plan.budget
	fe := market.FieldErrors{}
	if plan.ppkName = ppk.name; !ppk.ok {
		fe.Add("ppk_id", "PPK yang dipilih bukan PPK aktif di unit kerja ini.")
	}
	if plan.receiverName = receiver.name; in.ReceiverID != 0 && !receiver.ok {
		fe.Add("receiver_id", "Penerima barang yang dipilih bukan penerima aktif di unit kerja ini.")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	items := in.Items
	if len(items) == 0 {
		if items, err = cartItems(ctx, q, p.UserID, in.UnitID); err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return nil, market.Invalid("items", "Keranjang kosong; tambahkan produk terlebih dahulu.")
		}
		if prods, err = loadOrderProducts(ctx, q, productIDs(items)); err != nil {
			return nil, err
		}
	}
	var groups []*checkoutGroup
	bySeller := map[int64]*checkoutGroup{}
	for _, it := range items {
		// A listing that is not approved (a draft, submitted, rejected or taken down) is
		// refused exactly as one that does not exist, as AddToCart does: its rule results
		// would tell its name, price, unit and category. An approved listing of a seller
		// that is no longer eligible was public: the eligibility rule says why it is blocked.
		pr, ok := prods[it.ProductID]
		if !ok || pr.status != market.ProductApproved {
			return nil, market.Invalid("items", fmt.Sprintf("Produk %d tidak ditemukan atau tidak lagi tersedia di katalog.", it.ProductID))
		}
		g := bySeller[pr.sellerID]
		if g == nil {
			g = &checkoutGroup{seller: pr.checkSeller(), pkp: pr.pkp}
			bySeller[pr.sellerID] = g
			groups = append(groups, g)
		}
		g.items = append(g.items, it)
		g.products = append(g.products, pr)
	}
	for sid := range in.Shipping {
		if bySeller[sid] == nil {
			return nil, market.Invalid(fmt.Sprintf("shipping.%d", sid), "Ongkos kirim untuk penyedia yang tidak ada dalam pesanan.")
		}
	}
	for sid := range in.Justifications {
		if bySeller[sid] == nil {
			return nil, market.Invalid(fmt.Sprintf("justifications.%d", sid), "Alasan tertulis untuk penyedia yang tidak ada dalam pesanan.")
		}
	}
	facts := newRuleFacts(q, now, pol)
	plan.since = now.Add(-pol.SplitWindow())
	cached := false
	if committed {
		facts.cats, facts.past, cached = s.recent.get(in.UnitID, plan.unitVersion, plan.since)
		facts.pastOK = cached
		if !cached {
			facts.cats = categoryIDs{}
		}
	}
	// The rules' facts together (one round trip on PostgreSQL): each line's price references,
	// each seller's links, the unit's recent orders (unless cached) and its spend this year.
	r = newPipe(q)
	for _, g := range groups {
		for _, pr := range g.products {
			facts.queueLine(r, pr.category, pr.unit)
		}
		facts.queueLinks(r, g.seller.ID)
	}
	facts.queueUnit(r, in.UnitID, now.Year())
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	held := market.Rupiah(0) // what earlier groups of this checkout take from the budget line
	var siblings []market.PastOrder
	for _, g := range groups {
		amounts := make([]market.Rupiah, len(g.items))
		catering := true
		g.input = market.CheckInput{Policy: pol, Now: now, UnitID: in.UnitID, BuyerID: p.UserID, ApproverID: in.PPKID,
			ReceiverID: in.ReceiverID, Seller: g.seller, Budget: budget}
		g.input.Budget.Reserved += held
		for i, it := range g.items {
			pr := g.products[i]
			l := market.CheckLine{ProductID: pr.id, Name: pr.name, Approved: pr.status == market.ProductApproved,
				Quantity: it.Quantity, MinQuantity: pr.minOrder, Stock: pr.stock, UnitPrice: pr.price,
				PublicPrice: pr.publicPrice, UnitOfMeasure: pr.unit}
			if err := facts.line(ctx, &l, pr.category); err != nil {
				return nil, err
			}
			g.input.Lines = append(g.input.Lines, l)
			if amounts[i], err = market.LineAmount(pr.price, it.Quantity); err != nil {
				return nil, err
			}
			catering = catering && leafCatering(pr.category)
		}
		g.chargesPPN = market.ChargesPPN(g.pkp, catering)
		if g.amounts, err = market.OrderTotal(amounts, in.Shipping[g.seller.ID], g.chargesPPN, now); err != nil {
			return nil, err
		}
		g.input.Total = g.amounts.Total
		held += g.amounts.Total
		siblings = append(siblings, market.PastOrder{ID: -int64(len(siblings) + 1), SellerID: g.seller.ID,
			State: market.StateAwaitingApproval, Total: g.amounts.Total, PlacedAt: now, CategoryIDs: categoryIDsOf(facts.cats, g.categories())})
		g.input.Lines = slices.Clip(g.input.Lines)
	}
	for i, g := range groups {
		// Every sibling but the order itself counts for the split-purchase rule.
		others := slices.Concat(siblings[:i], siblings[i+1:])
		if g.results, err = facts.check(ctx, &g.input, g.categories(), others); err != nil {
			return nil, err
		}
		g.stop = market.RuleError(g.results, in.Justifications[g.seller.ID])
		// Encoded here, outside the write transaction.
		g.rulesJSON, g.justJSON = mustJSON(nonNilRules(g.results)), mustJSON(nonNil(in.Justifications[g.seller.ID]))
	}
	plan.policyJSON = mustJSON(pol)
	plan.groups = groups
	plan.cats, plan.recent, plan.recentOK = facts.cats, facts.past, facts.pastOK
	if committed && !cached && facts.pastOK {
		s.recent.put(in.UnitID, plan.unitVersion, plan.since, facts.cats, facts.past)
	}
	return plan, nil
}

func categoryIDsOf(c categoryIDs, codes []string) []int64 {
	out := make([]int64, len(codes))
	for i, code := range codes {
		out[i] = c.id(code)
	}
	return out
}

// PreviewCheckout evaluates a checkout without writing anything: each seller's order with its
// amounts and rule results, so the buyer sees warnings (and writes justifications) before
// checking out. Errors: CodeForbidden unless p is a buyer of the unit, CodeInvalid for bad input.
func (s *Store) PreviewCheckout(ctx context.Context, p *market.Principal, in CheckoutInput) ([]CheckoutOrder, error) {
	plan, err := s.evaluateCommitted(ctx, p, &in)
	if err != nil {
		return nil, err
	}
	out := make([]CheckoutOrder, len(plan.groups))
	for i, g := range plan.groups {
		out[i] = CheckoutOrder{SellerID: g.seller.ID, SellerName: g.seller.Name, Amounts: g.amounts, Results: g.results, Stop: g.stop}
	}
	return out, nil
}

// evaluateCommitted evaluates a checkout on one snapshot of the committed data, or inside a
// batch on the batch's transaction.
func (s *Store) evaluateCommitted(ctx context.Context, p *market.Principal, in *CheckoutInput) (plan *checkoutPlan, err error) {
	committed := s.batch(ctx) == nil
	err = s.read(ctx, func(q querier) error {
		plan, err = s.evaluateCheckout(ctx, q, p, in, committed)
		return err
	})
	return plan, err
}

// checkoutStop merges the stopping results of every order into one CodeRuleBlocked error.
func checkoutStop(groups []*checkoutGroup) error {
	var out *market.Error
	for _, g := range groups {
		var e *market.Error
		if !errors.As(g.stop, &e) {
			continue
		}
		if out == nil {
			out = &market.Error{Code: market.CodeRuleBlocked, Message: e.Message}
		}
		if slices.ContainsFunc(e.Rules, func(r market.RuleResult) bool { return r.Severity == market.SeverityBlock }) {
			out.Message = e.Message // a block's message wins over "needs a justification"
		}
		out.Rules = append(out.Rules, e.Rules...)
		for k, v := range e.Fields {
			if out.Fields == nil {
				out.Fields = map[string]string{}
			}
			// justifications.<code> → justifications.<seller id>.<code>
			out.Fields[strings.Replace(k, "justifications.", fmt.Sprintf("justifications.%d.", g.seller.ID), 1)] = v
		}
	}
	if out == nil {
		return nil
	}
	return out
}

// Checkout turns the buyer's items into one order per seller: every rule of market.CheckOrder
// is evaluated for every order (sibling orders count for the split-purchase rule); when any
// order is blocked or has a warning without a justification nothing is written and the error is
// a CodeRuleBlocked *market.Error listing every stopping rule. Otherwise, in one transaction,
// stock and budget are reserved with conditional UPDATEs, each order is stored with the policy
// values and rule results it was checked against, audited, and its PPK notified; the cart is
// emptied of what was ordered. The orders are returned with their lines (GetOrder gives the
// rest). Errors also: CodeForbidden unless p is a buyer of the unit; CodeInvalid for bad input;
// CodeConflict when another checkout took the last stock or budget first.
//
// The rules are evaluated before the write transaction, so that SQLite's single writer is held
// only for the writes. What the evaluation read may change before the transaction begins, and
// each fact is settled there:
//   - stock and budget: the conditional UPDATEs refuse to go below zero or over the ceiling;
//   - the unit's orders (split purchase, concentration): the unit's orders_version is raised
//     only if it still holds the value read before the evaluation; otherwise the rules are
//     evaluated again inside the transaction, which then holds the unit's counter;
//   - everything else (policy, products, sellers, memberships, relations, reference prices):
//     the use cases that change these read no orders, so the checkout is serialisable as if it
//     had committed just before them.
func (s *Store) Checkout(ctx context.Context, p *market.Principal, in CheckoutInput) ([]Order, error) {
	fromCart := len(in.Items) == 0
	inBatch := s.batch(ctx) != nil
	if s.checkouts != nil && !inBatch {
		select {
		case s.checkouts <- struct{}{}:
			defer func() { <-s.checkouts }()
		case <-ctx.Done():
			return nil, unavailable("wait to check out", ctx.Err())
		}
	}
	plan, err := s.evaluateCommitted(ctx, p, &in)
	if err != nil {
		return nil, err
	}
	if err := checkoutStop(plan.groups); err != nil {
		return nil, err
	}
	var orders []Order
	var version int64 // the unit's orders_version this checkout commits
	err = s.inTx(ctx, func(tx *Tx) error {
		unchanged, err := tx.claimUnitOrders(ctx, in.UnitID, plan.unitVersion)
		if err != nil {
			return err
		}
		version = plan.unitVersion + 1
		if !unchanged {
			if err := tx.touchUnitOrders(ctx, in.UnitID); err != nil {
				return err
			}
			if plan, err = s.evaluateCheckout(ctx, s.prepared(tx.tx), p, &in, false); err != nil {
				return err
			}
			if err := checkoutStop(plan.groups); err != nil {
				return err
			}
			version = plan.unitVersion // read after the touch
		}
		orders, err = tx.placeOrders(ctx, p, in, plan, fromCart)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !inBatch && plan.recentOK {
		// The unit's orders as of the committed version: those the rules read and these.
		recent := slices.Clip(plan.recent)
		for i, g := range plan.groups {
			recent = append(recent, market.PastOrder{ID: orders[i].ID, SellerID: g.seller.ID, State: market.StateAwaitingApproval,
				Total: g.amounts.Total, PlacedAt: orders[i].PlacedAt, CategoryIDs: categoryIDsOf(plan.cats, g.categories())})
		}
		s.recent.put(in.UnitID, version, plan.since, plan.cats, recent)
	}
	return orders, nil
}

// claimUnitOrders raises the unit's orders_version if it still is seen, and reports whether it
// was.
func (tx *Tx) claimUnitOrders(ctx context.Context, unitID, seen int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE units SET orders_version = orders_version + 1 WHERE id = $1 AND orders_version = $2`, unitID, seen)
	if err != nil {
		return false, fmt.Errorf("unit orders version: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("unit orders version: %w", err)
	}
	return n == 1, nil
}

// touchUnitOrders raises the unit's orders_version: every transaction that changes the unit's
// orders calls it before its other writes (on PostgreSQL it then holds the unit's row until it
// commits, so concurrent changes of one unit's orders queue there, always in the same order).
func (tx *Tx) touchUnitOrders(ctx context.Context, unitID int64) error {
	if _, err := tx.exec(ctx, `UPDATE units SET orders_version = orders_version + 1 WHERE id = $1`, unitID); err != nil {
		return fmt.Errorf("unit orders version: %w", err)
	}
	return nil
}

// placeOrders writes an evaluated checkout: stock and budget reserved, the orders with their
// lines, audit events and PPK notifications, and the cart emptied when it was the source.
func (tx *Tx) placeOrders(ctx context.Context, p *market.Principal, in CheckoutInput, plan *checkoutPlan, fromCart bool) ([]Order, error) {
	budget := plan.budget
	checkoutID := randomHex(8)
	actor := Actor{UserID: p.UserID, Role: market.RoleBuyer}
	var out []Order
	type take struct {
		id, qty int64
		name    string
	}
	var takes []take
	for _, g := range plan.groups {
		for i, it := range g.items {
			takes = append(takes, take{g.products[i].id, it.Quantity, g.products[i].name})
		}
		o, err := tx.insertOrder(ctx, p, in, checkoutID, plan, g)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	// The rest needs no result but whether it succeeded: together, in one round trip on
	// PostgreSQL.
	w := newPipe(tx.tx)
	for i, g := range plan.groups {
		id := out[i].ID
		tx.queueReserveBudget(w, budget, g.amounts.Total)
		if err := tx.queueAudit(w, actor, "order.checkout", "order", id, map[string]market.Change{
			"state":          {After: market.StateAwaitingApproval},
			"unit_id":        {After: in.UnitID},
			"seller_id":      {After: g.seller.ID},
			"budget_line_id": {After: budget.ID},
			"kode_rup":       {After: budget.KodeRUP},
			"ppk_id":         {After: in.PPKID},
			"goods":          {After: g.amounts.Goods},
			"shipping":       {After: g.amounts.Shipping},
			"ppn":            {After: g.amounts.PPN},
			"total":          {After: g.amounts.Total},
			// Encoded once, in the evaluation; the audit encoding copies the JSON.
			"rules":          {After: json.RawMessage(g.rulesJSON)},
			"justifications": {After: json.RawMessage(g.justJSON)},
		}); err != nil {
			return nil, err
		}
		tx.queueNotify(w, in.PPKID, "Pesanan menunggu persetujuan Anda",
			fmt.Sprintf("Pesanan #%d ke %s senilai %s menunggu persetujuan dan tanda tangan Surat Pesanan Anda.", id, g.seller.Name, g.amounts.Total),
			orderLink(id), true)
	}
	// Stock last and in product order: on PostgreSQL a product's row stays locked from its
	// UPDATE until the commit, so a popular listing queues checkouts only for that short end,
	// and two checkouts of the same products cannot lock them in opposite orders (a deadlock).
	slices.SortFunc(takes, func(a, b take) int { return cmp.Compare(a.id, b.id) })
	for _, t := range takes {
		queueTakeStock(w, t.id, t.name, t.qty)
	}
	if fromCart {
		args := []any{p.UserID, in.UnitID}
		for _, g := range plan.groups {
			for _, it := range g.items {
				args = append(args, it.ProductID)
			}
		}
		w.write("empty cart", `DELETE FROM cart_lines WHERE cart_id IN (SELECT id FROM carts WHERE user_id = $1 AND unit_id = $2)
			AND product_id IN (`+ordPlaceholders(3, len(args)-2)+`)`, args, nil)
	}
	return out, w.run(ctx)
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orderLink(id int64) string { return fmt.Sprintf("/pesanan/%d", id) }

// takeStock reserves quantity of a product: a conditional UPDATE that fails with CodeConflict
// when the free stock is smaller (another order took it first).
func (tx *Tx) takeStock(ctx context.Context, productID int64, name string, qty int64) error {
	p := newPipe(tx.tx)
	queueTakeStock(p, productID, name, qty)
	return p.run(ctx)
}

// queueTakeStock is takeStock queued in p.
func queueTakeStock(p *pipe, productID int64, name string, qty int64) {
	p.write("reserve stock", `UPDATE products SET stock = stock - $1 WHERE id = $2 AND stock >= $1`, []any{qty, productID}, func(n int64) error {
		if n != 1 {
			return market.Conflict(fmt.Sprintf("Stok produk %q baru saja dipesan pihak lain dan tidak lagi mencukupi. Periksa kembali jumlahnya.", name))
		}
		return nil
	})
}

// returnStock gives quantity of a product back to its free stock.
func (tx *Tx) returnStock(ctx context.Context, productID int64, qty int64) error {
	if qty <= 0 {
		return nil
	}
	if _, err := tx.exec(ctx, `UPDATE products SET stock = stock + $1 WHERE id = $2`, qty, productID); err != nil {
		return fmt.Errorf("release stock: %w", err)
	}
	return nil
}

// reserveBudget reserves amount on the budget line: a conditional UPDATE that fails with
// CodeConflict when the available amount is smaller.
func (tx *Tx) reserveBudget(ctx context.Context, b market.BudgetLine, amount market.Rupiah) error {
	p := newPipe(tx.tx)
	tx.queueReserveBudget(p, b, amount)
	return p.run(ctx)
}

// queueReserveBudget is reserveBudget queued in p.
func (tx *Tx) queueReserveBudget(p *pipe, b market.BudgetLine, amount market.Rupiah) {
	if amount <= 0 {
		return
	}
	p.write("reserve budget", `UPDATE budget_lines SET reserved = reserved + $1, updated_at = $2
		WHERE id = $3 AND ceiling - reserved - committed - spent >= $1`, []any{amount, micros(tx.now), b.ID}, func(n int64) error {
		if n != 1 {
			return market.Conflict(fmt.Sprintf("Sisa anggaran Kode RUP %s baru saja dipakai pesanan lain dan tidak lagi mencukupi %s.", b.KodeRUP, amount))
		}
		return nil
	})
}

// insertOrder writes one seller's order of the checkout with its lines, and returns the order as
// loadOrder would read it back.
func (tx *Tx) insertOrder(ctx context.Context, buyer *market.Principal, in CheckoutInput, checkoutID string, plan *checkoutPlan, g *checkoutGroup) (Order, error) {
	b := plan.budget
	now := fromMicros(micros(tx.now)) // as stored
	o := Order{CheckoutID: checkoutID, UnitID: in.UnitID, UnitCode: plan.unitCode, UnitName: plan.unitName,
		BuyerID: buyer.UserID, BuyerName: buyer.Name, PPKID: in.PPKID, PPKName: plan.ppkName, ReceiverID: in.ReceiverID, ReceiverName: plan.receiverName,
		SellerID: g.seller.ID, SellerName: g.seller.Name, BudgetLineID: b.ID, KodeRUP: b.KodeRUP, AccountCode: b.AccountCode, FiscalYear: b.FiscalYear,
		State: market.StateAwaitingApproval, ChargesPPN: g.chargesPPN, Goods: g.amounts.Goods, Shipping: g.amounts.Shipping, PPN: g.amounts.PPN,
		Total: g.amounts.Total, BudgetReserved: g.amounts.Total, Address: in.Address, NeededBy: fromMicros(micros(in.NeededBy)), Notes: in.Notes,
		Policy: plan.policy, Rules: nonNilRules(g.results), Justifications: nonNil(in.Justifications[g.seller.ID]),
		PlacedAt: now, StateSince: now, UpdatedAt: now}
	cats := g.categories()
	slices.Sort(cats)
	var err error
	o.ID, err = tx.insertID(ctx, `INSERT INTO orders (checkout_id, unit_id, buyer_id, ppk_id, receiver_id, seller_id, budget_line_id, fiscal_year, categories, state,
			charges_ppn, goods, shipping, ppn, total, budget_reserved, address, needed_by, notes, policy, rules, justifications, placed_at, state_since, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18, $19, $20, $21, $22, $22, $22)`,
		checkoutID, o.UnitID, o.BuyerID, o.PPKID, o.ReceiverID, o.SellerID, b.ID, b.FiscalYear, strings.Join(cats, ","), string(o.State),
		o.ChargesPPN, o.Goods, o.Shipping, o.PPN, o.Total, o.Address, micros(in.NeededBy), o.Notes,
		plan.policyJSON, g.rulesJSON, g.justJSON, micros(now))
	if err != nil {
		return o, fmt.Errorf("insert order: %w", err)
	}
	// Every line in one statement: $1 the order, then nine values a line.
	args := []any{o.ID}
	var values strings.Builder
	for i, it := range g.items {
		pr := g.products[i]
		if i > 0 {
			values.WriteString(", ")
		}
		k := len(args)
		fmt.Fprintf(&values, "($1, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+6, k+7, k+8, k+9)
		args = append(args, i, pr.id, pr.name, pr.unit, pr.category, pr.price, it.Quantity, pr.pdn, pr.tkdnBP)
		o.Lines = append(o.Lines, OrderLine{LineNo: i, ProductID: pr.id, Name: pr.name, Unit: pr.unit, CategoryCode: pr.category,
			ListPrice: pr.price, UnitPrice: pr.price, Quantity: it.Quantity, Amount: pr.price * market.Rupiah(it.Quantity)})
	}
	rows, err := tx.query(ctx, `INSERT INTO order_lines (order_id, line_no, product_id, name, unit, category_code, list_price, unit_price, quantity, pdn, tkdn_bp)
		VALUES `+values.String()+` RETURNING id, line_no`, args...)
	if err != nil {
		return o, fmt.Errorf("insert order lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var no int
		if err := rows.Scan(&id, &no); err != nil {
			return o, fmt.Errorf("insert order lines: %w", err)
		}
		o.Lines[no].ID = id
	}
	if err := rows.Err(); err != nil {
		return o, fmt.Errorf("insert order lines: %w", err)
	}
	return o, rows.Close()
}

func nonNilRules(r []market.RuleResult) []market.RuleResult {
	if r == nil {
		return []market.RuleResult{}
	}
	return r
}

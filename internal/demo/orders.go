package demo

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// Demo orders: every unit gets budget lines for the fiscal years of the last twelve months, and
// about OrdersPerScale orders are placed over those months through the real use cases — checkout
// with every rule, approval, acceptance, shipments, receipts (BAST), returns, rejections,
// cancellations, declines, expiry, negotiation, disputes and closing short — each run "as of" its
// own date with store.AsOf, in time order across all orders, so that every row and audit event
// carries the date it would have had. A few units deliberately split purchases (and justify it),
// and one listing of the login seller is repriced far above its category's reference, so that
// both warnings exist in the data and the browser test can meet them.

// OrdersPerScale is how many orders the demo tries to place per unit of Scale; a few are stopped
// by the rules (as in real life) and do not exist. Each order runs four to eight real use cases
// in the load's one transaction, about 2 ms together on SQLite, within the demo's 10-second
// start (BenchmarkLoad measures it).
const OrdersPerScale = 2000

// smallOrders is how many orders the small data set tries to place.
const smallOrders = 60

// Random streams of this part (1–5 are taken by the earlier parts, 6 is left to search).
const (
	streamBudget = 7
	streamOrders = 8
)

// orderHistory is how far back the demo orders go.
const orderHistory = 365 * 24 * time.Hour

// demoJustification is the buyer's written reason for a warning in the demo data.
var demoJustifications = map[string]string{
	market.RuleSplit: "Kebutuhan kegiatan yang berbeda (rapat koordinasi dan pelatihan) dengan jadwal terpisah; bukan pemecahan paket.",
	market.RulePrice: "Spesifikasi lebih tinggi (kualitas premium) yang dibutuhkan untuk dokumen arsip jangka panjang.",
}

// budgetSpec is a kind of budget line every unit has.
type budgetSpec struct {
	account, name, funding string
	min, max               int64 // ceiling range in millions
}

var budgetSpecs = []budgetSpec{
	{"5.1.02.01.01.0024", "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor", "PAD", 150, 600},
	{"5.1.02.01.01.0052", "Belanja Makanan dan Minuman Rapat", "DAU", 100, 500},
	{"5.1.02.01.01.0026", "Belanja Alat/Bahan untuk Kegiatan Kantor-Bahan Cetak", "PAD", 80, 400},
	{"5.1.02.01.01.0025", "Belanja Alat/Bahan untuk Kegiatan Kantor-Kertas dan Cover", "DAU", 80, 300},
}

// unitPeople are a unit's officials as principals, for acting in the demo orders.
type unitPeople struct {
	unit      store.Unit
	buyers    []*market.Principal
	approvers []*market.Principal
	receivers []*market.Principal
	lines     map[int][]market.BudgetLine // by fiscal year
}

// demoEvent is one step of an order's life at a time; run returns the next steps.
type demoEvent struct {
	at  time.Time
	seq int
	run func(ctx context.Context) ([]demoEvent, error)
}

type eventQueue []demoEvent

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(demoEvent)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// orderSim holds the state of the order simulation.
type orderSim struct {
	l        *loader
	r        *rand.Rand
	now      time.Time
	wib      *time.Location
	units    []*unitPeople
	catalog  []store.Product
	bySeller map[int64][]store.Product
	owners   map[int64]*market.Principal
	admin    *market.Principal
	queue    eventQueue
	seq      int
	premium  int64                    // the repriced listing, never drawn at random
	median   map[string]market.Rupiah // listing price median by category and unit (see pricey)
	payState *demoPayments            // payments.go, made on first use
}

// loadOrders loads the budget lines and the orders.
func (l *loader) loadOrders(ctx context.Context) error {
	wib := time.FixedZone("WIB", 7*3600)
	sim := &orderSim{l: l, r: stream(streamOrders), now: l.opt.Now, wib: wib, bySeller: map[int64][]store.Product{},
		owners: map[int64]*market.Principal{}}
	var err error
	if sim.admin, err = l.s.Principal(ctx, l.admin.UserID); err != nil {
		return err
	}
	if err := sim.loadBudgets(ctx, stream(streamBudget)); err != nil {
		return err
	}
	if err := sim.loadCatalog(ctx); err != nil {
		return err
	}
	if len(sim.catalog) == 0 {
		return nil
	}
	if err := sim.reprice(ctx); err != nil {
		return err
	}
	n := OrdersPerScale * l.opt.Scale
	if l.opt.Small {
		n = smallOrders
	}
	sim.plan(n)
	if err := sim.showcase(ctx); err != nil {
		return err
	}
	if err := sim.auditCases(ctx); err != nil { // cases.go
		return err
	}
	return sim.run(ctx)
}

// principal returns a user as a principal (memberships without an end date are valid at every
// demo date).
func (sim *orderSim) principal(ctx context.Context, id int64) (*market.Principal, error) {
	return sim.l.s.Principal(ctx, id)
}

// loadBudgets creates, for every unit, one line per budgetSpec for each fiscal year the order
// history touches, as of 2 January of that year (or the start of the history).
func (sim *orderSim) loadBudgets(ctx context.Context, r *rand.Rand) error {
	s := sim.l.s
	start := sim.now.Add(-orderHistory).In(sim.wib)
	var acting int64
	if sim.l.res.Acting.Email != "" {
		if u, err := s.FindUserByEmail(ctx, sim.l.res.Acting.Email); err == nil {
			acting = u.ID
		}
	}
	kode := 27_100_000
	for _, u := range sim.l.unitList {
		up := &unitPeople{unit: u, lines: map[int][]market.BudgetLine{}}
		for _, role := range []market.Role{market.RoleBuyer, market.RoleApprover, market.RoleReceiver, market.RoleUnitAdmin} {
			offs, err := s.UnitOfficials(ctx, sim.admin, u.ID, role)
			if err != nil {
				return err
			}
			for _, o := range offs {
				if o.ID == acting {
					continue // an acting PPK is not in office at most demo dates
				}
				p, err := sim.principal(ctx, o.ID)
				if err != nil {
					return err
				}
				switch role {
				case market.RoleBuyer:
					up.buyers = append(up.buyers, p)
				case market.RoleApprover:
					up.approvers = append(up.approvers, p)
				case market.RoleReceiver:
					up.receivers = append(up.receivers, p)
				case market.RoleUnitAdmin:
					for y := start.Year(); y <= sim.now.In(sim.wib).Year(); y++ {
						at := time.Date(y, 1, 2, 9, 0, 0, 0, sim.wib)
						if at.Before(start) {
							at = start
						}
						for _, spec := range budgetSpecs {
							kode++
							in := store.BudgetInput{FiscalYear: y, KodeRUP: fmt.Sprint(kode), AccountCode: spec.account, Name: spec.name,
								FundingSource: spec.funding, Ceiling: market.Rupiah((spec.min + r.Int64N(spec.max-spec.min+1)) * 1_000_000)}
							err := s.AsOf(ctx, at, func(ctx context.Context) error {
								b, err := s.CreateBudgetLine(ctx, p, u.ID, in)
								up.lines[y] = append(up.lines[y], b)
								return err
							})
							if err != nil {
								return fmt.Errorf("budget line of %s: %w", u.Name, err)
							}
							sim.l.res.BudgetLines++
						}
					}
				}
			}
		}
		if len(up.buyers) > 0 && len(up.approvers) > 0 {
			sim.units = append(sim.units, up)
		}
	}
	return nil
}

// loadCatalog reads every listing shown to buyers.
func (sim *orderSim) loadCatalog(ctx context.Context) error {
	for off := 0; ; off += 200 {
		page, err := sim.l.s.BrowseProducts(ctx, store.BrowseFilter{Limit: 200, Offset: off})
		if err != nil {
			return err
		}
		sim.catalog = append(sim.catalog, page.Products...)
		if len(page.Products) < 200 {
			break
		}
	}
	slices.SortFunc(sim.catalog, func(a, b store.Product) int { return int(a.ID - b.ID) })
	prices := map[string][]market.Rupiah{}
	for _, p := range sim.catalog {
		sim.bySeller[p.SellerID] = append(sim.bySeller[p.SellerID], p)
		prices[priceKey(p)] = append(prices[priceKey(p)], p.Price)
	}
	sim.median = map[string]market.Rupiah{}
	for k, ps := range prices {
		slices.Sort(ps)
		sim.median[k] = ps[len(ps)/2]
	}
	return nil
}

func priceKey(p store.Product) string { return p.CategoryCode + "\x00" + p.Unit }

// pricey reports whether a listing costs more above its category's median listing price than
// the default policy's price threshold, roughly where the price-reference rule warns. Demo
// buyers, like real ones, mostly pass such listings by, so that the warning stays the exception
// it is meant to be.
func (sim *orderSim) pricey(p store.Product) bool {
	m := sim.median[priceKey(p)]
	return m > 0 && p.Price*100 > m*market.Rupiah(100+market.DefaultPolicy().PriceThresholdPercent)
}

// reprice makes one listing of the login seller cost four times the median of the other
// listings in its category and unit (a revision the curator approves), with plenty of stock,
// so that ordering it raises the price-reference warning. It is kept out of the random orders.
func (sim *orderSim) reprice(ctx context.Context) error {
	if len(sim.l.sellers) == 0 {
		return nil
	}
	login := sim.l.sellers[0].ID
	best, bestN := store.Product{}, -1
	for _, p := range sim.bySeller[login] {
		n := 0
		for _, q := range sim.catalog {
			if q.ID != p.ID && q.CategoryCode == p.CategoryCode && q.Unit == p.Unit {
				n++
			}
		}
		if n > bestN {
			best, bestN = p, n
		}
	}
	if bestN < 1 {
		return nil
	}
	var others []market.Rupiah
	for _, q := range sim.catalog {
		if q.ID != best.ID && q.CategoryCode == best.CategoryCode && q.Unit == best.Unit {
			others = append(others, q.Price)
		}
	}
	med, _ := market.MedianRupiah(others)
	owner, err := sim.owner(ctx, login)
	if err != nil {
		return err
	}
	cur, err := sim.l.s.FindUserByEmail(ctx, sim.l.logins[market.RoleCurator].Email)
	if err != nil {
		return err
	}
	p := best.Product
	p.Price = market.Rupiah((int64(med)*4 + 999) / 1000 * 1000)
	p.PublicPrice, p.PublicPriceURL = 0, ""
	p.Stock = 10_000
	ownerActor := store.Actor{UserID: owner.UserID, Role: market.RoleSellerOwner}
	if _, err := sim.l.s.UpdateProduct(ctx, ownerActor, login, best.ID, p); err != nil {
		return fmt.Errorf("reprice %s: %w", best.Name, err)
	}
	if _, err := sim.l.s.ReviewProduct(ctx, store.Actor{UserID: cur.ID, Role: market.RoleCurator}, best.ID, market.ProductApprove, ""); err != nil &&
		market.ErrorCode(err) != market.CodeConflict { // no revision pending: the edit was in place
		return fmt.Errorf("approve repricing of %s: %w", best.Name, err)
	}
	sim.premium = best.ID
	sim.l.res.PremiumProduct = Showcase{ID: best.ID, Name: best.Name, SellerID: login}
	return nil
}

// owner returns a seller's owner as a principal.
func (sim *orderSim) owner(ctx context.Context, sellerID int64) (*market.Principal, error) {
	if p, ok := sim.owners[sellerID]; ok {
		return p, nil
	}
	id, err := sim.l.sellerOwner(ctx, sellerID)
	if err != nil {
		return nil, err
	}
	p, err := sim.principal(ctx, id)
	if err != nil {
		return nil, err
	}
	sim.owners[sellerID] = p
	return p, nil
}

// push schedules an event; events after the demo's now never happen (the order stays where it is).
func (sim *orderSim) push(evs ...demoEvent) {
	for _, e := range evs {
		if e.at.After(sim.now) {
			continue
		}
		sim.seq++
		e.seq = sim.seq
		heap.Push(&sim.queue, e)
	}
}

// workTime returns a time during office hours (08–16 WIB) d after t.
func (sim *orderSim) workTime(t time.Time, d time.Duration) time.Time {
	t = t.Add(d).In(sim.wib)
	if h := t.Hour(); h < 8 || h >= 16 {
		t = time.Date(t.Year(), t.Month(), t.Day(), 8+sim.r.IntN(8), sim.r.IntN(60), 0, 0, sim.wib)
		if h >= 16 {
			t = t.AddDate(0, 0, 1)
		}
	}
	return t
}

func days(r *rand.Rand, lo, hi int) time.Duration {
	return time.Duration(lo*24+r.IntN((hi-lo)*24+1)) * time.Hour
}

// The fates of an order, drawn per mille.
type fate int

const (
	fateNormal fate = iota
	fateReject
	fateBuyerCancel
	fateApprovalExpires
	fateReturn
	fateDecline
	fateAcceptExpires
	fateNegotiate
	fateDispute
	fateCloseShort
	fateTwoShipments
	fatePPKCancel
	fateShowcase // stops after checkout; showcase schedules its steps itself
)

func drawFate(r *rand.Rand) fate {
	switch x := r.IntN(1000); {
	case x < 40:
		return fateReject
	case x < 70:
		return fateBuyerCancel
	case x < 95:
		return fateApprovalExpires
	case x < 125:
		return fateReturn
	case x < 145:
		return fateDecline
	case x < 160:
		return fateAcceptExpires
	case x < 175:
		return fateNegotiate
	case x < 195:
		return fateDispute
	case x < 205:
		return fateCloseShort
	case x < 305:
		return fateTwoShipments
	case x < 315:
		return fatePPKCancel
	}
	return fateNormal
}

// demoOrder is one planned order.
type demoOrder struct {
	up       *unitPeople
	buyer    *market.Principal
	ppk      *market.Principal
	receiver *market.Principal // nil: any receiver of the unit, or the PPK
	seller   int64
	items    []store.CartItem
	shipping market.Rupiah
	fate     fate
	id       int64
	order    store.Order
}

// plan schedules n orders at random times over the history, a few split-purchase series, and
// a daily expiry sweep.
func (sim *orderSim) plan(n int) {
	r := sim.r
	start := sim.now.Add(-orderHistory)
	for i := range n {
		at := sim.workTime(start.Add(time.Duration(r.Int64N(int64(orderHistory)))), 0)
		o := sim.draw(r)
		if o == nil {
			continue
		}
		if i%97 == 0 {
			o.fate = fateNormal
		}
		sim.push(demoEvent{at: at, run: sim.checkout(o)})
	}
	// Split-purchase series: a unit buys the same kind of goods from one seller three times in a
	// fortnight for about Rp20 juta each; the third order passes the cap over the window, and the
	// buyer justifies it.
	for k := range max(3, n/150) {
		o := sim.draw(r)
		if o == nil {
			continue
		}
		at := sim.workTime(start.Add(time.Duration(r.Int64N(int64(orderHistory-30*24*time.Hour)))), 0)
		// A listing with stock for three such orders, reasonably priced.
		var p store.Product
		for range 100 {
			p = sim.catalog[r.IntN(len(sim.catalog))]
			if p.ID != sim.premium && !sim.pricey(p) && int64(p.Price)*(p.Stock/4) >= 20_000_000 {
				break
			}
		}
		o.seller = p.SellerID
		qty := max(int64(1), int64(20_000_000/max(p.Price, 1)))
		qty = min(qty, max(p.Stock/4, p.MinOrder))
		for j := range 3 {
			x := *o
			x.items = []store.CartItem{{ProductID: p.ID, Quantity: qty}}
			x.fate = fateNormal
			sim.push(demoEvent{at: at.Add(time.Duration(j*4+k%3) * 24 * time.Hour), run: sim.checkout(&x)})
		}
	}
	// One order of the repriced listing, justified: the price warning in the data.
	if sim.premium != 0 {
		if o := sim.draw(r); o != nil {
			p := sim.productOf(sim.premium)
			o.seller, o.items, o.shipping, o.fate = p.SellerID, []store.CartItem{{ProductID: p.ID, Quantity: max(p.MinOrder, 5)}}, 0, fateNormal
			sim.push(demoEvent{at: sim.workTime(sim.now.Add(-20*24*time.Hour), 0), run: sim.checkout(o)})
		}
	}
	for d := start.Truncate(24 * time.Hour); d.Before(sim.now); d = d.Add(24 * time.Hour) {
		sim.push(demoEvent{at: d.Add(18 * time.Hour), run: func(ctx context.Context) ([]demoEvent, error) {
			_, err := sim.l.s.ExpireOrders(ctx, 500)
			return nil, err
		}})
	}
}

func (sim *orderSim) productOf(id int64) store.Product {
	i, _ := slices.BinarySearchFunc(sim.catalog, id, func(p store.Product, id int64) int { return int(p.ID - id) })
	return sim.catalog[i]
}

// draw picks a unit, its officials, a seller and one to three of its products with quantities
// for an order of roughly Rp300 ribu to Rp15 juta.
func (sim *orderSim) draw(r *rand.Rand) *demoOrder {
	if len(sim.units) == 0 {
		return nil
	}
	up := sim.units[r.IntN(len(sim.units))]
	o := &demoOrder{up: up, buyer: pick(r, up.buyers), ppk: pick(r, up.approvers), fate: drawFate(r)}
	if len(up.receivers) > 0 && r.IntN(2) == 0 {
		o.receiver = pick(r, up.receivers)
	}
	var p store.Product
	for range 10 {
		p = sim.catalog[r.IntN(len(sim.catalog))]
		if p.ID != sim.premium && (!sim.pricey(p) || r.IntN(10) == 0) {
			break
		}
	}
	if p.ID == sim.premium {
		return nil
	}
	o.seller = p.SellerID
	goal := int64(300_000 + r.IntN(15_000_000))
	lines := 1 + r.IntN(3)
	own := sim.bySeller[p.SellerID]
	seen := map[int64]bool{}
	for j := 0; j < lines; j++ {
		q := p
		if j > 0 {
			q = own[r.IntN(len(own))]
		}
		if seen[q.ID] || q.ID == sim.premium || (sim.pricey(q) && r.IntN(10) != 0) {
			continue
		}
		seen[q.ID] = true
		qty := max(q.MinOrder, goal/int64(lines)/max(int64(q.Price), 1))
		qty = min(qty, max(q.Stock/20, q.MinOrder))
		o.items = append(o.items, store.CartItem{ProductID: q.ID, Quantity: max(qty, 1)})
	}
	if r.IntN(3) == 0 {
		o.shipping = market.Rupiah(10_000 * (1 + r.IntN(10)))
	}
	return o
}

var demoAddresses = []string{
	"Jl. Kapten Maulana Lubis No. 2, Medan Petisah",
	"Jl. Pegadaian No. 112, Medan Area",
	"Jl. Rotan Komplek Petisah, Medan Petisah",
	"Jl. Jenderal Besar A.H. Nasution, Medan Johor",
}

// checkout places the order (justifying warnings once), then schedules its fate.
func (sim *orderSim) checkout(o *demoOrder) func(ctx context.Context) ([]demoEvent, error) {
	return func(ctx context.Context) ([]demoEvent, error) {
		s, r := sim.l.s, sim.r
		now := s.Now().In(sim.wib)
		lines := o.up.lines[now.Year()]
		if len(lines) == 0 {
			return nil, nil
		}
		in := store.CheckoutInput{UnitID: o.up.unit.ID, BudgetLineID: lines[r.IntN(len(lines))].ID, PPKID: o.ppk.UserID,
			Address: pick(r, demoAddresses), NeededBy: now.AddDate(0, 0, 7+r.IntN(14)), Items: o.items,
			Notes: pick(r, []string{"", "Untuk rapat koordinasi bulanan", "Kebutuhan kegiatan sosialisasi", "Persediaan triwulan"})}
		if o.receiver != nil {
			in.ReceiverID = o.receiver.UserID
		}
		if o.shipping > 0 {
			in.Shipping = map[int64]market.Rupiah{o.seller: o.shipping}
		}
		orders, err := s.Checkout(ctx, o.buyer, in)
		if market.ErrorCode(err) == market.CodeRuleBlocked {
			// Warnings get a written justification; blocks stop the order, as they should. Most
			// buyers warned of a price look for a better-priced listing instead of justifying it
			// (the repriced listing's order always justifies: the browser test meets it).
			var me *market.Error
			if e, ok := err.(*market.Error); ok {
				me = e
			}
			just := map[string]string{}
			for _, res := range me.Rules {
				if res.Severity != market.SeverityWarning {
					return nil, nil
				}
				if res.Code == market.RulePrice && o.items[0].ProductID != sim.premium && r.IntN(8) != 0 {
					if next := sim.draw(r); next != nil {
						return []demoEvent{{at: sim.workTime(now, 2*time.Hour), run: sim.checkout(next)}}, nil
					}
					return nil, nil
				}
				just[res.Code] = demoJustifications[res.Code]
				if just[res.Code] == "" {
					just[res.Code] = "Kebutuhan mendesak kegiatan unit yang sudah direncanakan dalam RUP."
				}
			}
			in.Justifications = map[int64]map[string]string{o.seller: just}
			orders, err = s.Checkout(ctx, o.buyer, in)
		}
		switch market.ErrorCode(err) {
		case "":
		case market.CodeRuleBlocked, market.CodeConflict, market.CodeInvalid:
			return nil, nil // stopped by a rule, stock or budget: no order
		default:
			return nil, fmt.Errorf("demo checkout: %w", err)
		}
		o.order = orders[0]
		o.id = o.order.ID
		sim.l.res.Orders++
		t := s.Now()
		switch o.fate {
		case fateApprovalExpires, fateShowcase:
			return nil, nil
		case fateBuyerCancel:
			return sim.after(t, days(r, 0, 2), func(ctx context.Context) error {
				_, err := s.Cancel(ctx, o.buyer, o.id, "Kebutuhan dibatalkan karena kegiatan ditunda.")
				return err
			}), nil
		case fateReject:
			return sim.after(t, days(r, 0, 3), func(ctx context.Context) error {
				_, err := s.Reject(ctx, o.ppk, o.id, "Tidak sesuai rencana kebutuhan unit; gunakan persediaan yang ada.")
				return err
			}), nil
		case fateReturn:
			return []demoEvent{{at: sim.workTime(t, days(r, 0, 2)), run: func(ctx context.Context) ([]demoEvent, error) {
				if _, err := s.Return(ctx, o.ppk, o.id, "Mohon sesuaikan jumlah dengan kebutuhan kegiatan."); err != nil {
					return nil, tolerate(err)
				}
				return []demoEvent{{at: sim.workTime(s.Now(), days(r, 0, 2)), run: func(ctx context.Context) ([]demoEvent, error) {
					q := map[int64]int64{}
					for _, l := range o.order.Lines {
						q[l.ID] = max(1, l.Quantity-l.Quantity/5)
					}
					if _, err := s.Resubmit(ctx, o.buyer, o.id, store.ResubmitInput{Quantities: q}); err != nil {
						return nil, tolerate(err)
					}
					return sim.approveStep(o, s.Now()), nil
				}}}, nil
			}}}, nil
		case fateNegotiate:
			l := o.order.Lines[0]
			ask, counter := l.UnitPrice*90/100, l.UnitPrice*95/100
			if ask < 1 || counter <= ask || counter >= l.UnitPrice {
				return sim.approveStep(o, t), nil
			}
			seller, err := sim.owner(ctx, o.seller)
			if err != nil {
				return nil, err
			}
			steps := []struct {
				by   *market.Principal
				kind market.NegotiationMoveKind
				p    market.Rupiah
			}{{o.buyer, market.MoveRequest, ask}, {seller, market.MoveCounter, counter}, {o.buyer, market.MoveAccept, 0}}
			at := t
			var chain func(i int) []demoEvent
			chain = func(i int) []demoEvent {
				if i == len(steps) {
					return sim.approveStep(o, at)
				}
				at = sim.workTime(at, time.Duration(2+r.IntN(20))*time.Hour)
				return []demoEvent{{at: at, run: func(ctx context.Context) ([]demoEvent, error) {
					st := steps[i]
					if _, err := s.Negotiate(ctx, st.by, o.id, store.NegotiationInput{Line: 0, Kind: st.kind, Price: st.p,
						Note: "Penyesuaian harga untuk pembelian rutin."}); err != nil {
						return nil, tolerate(err)
					}
					return chain(i + 1), nil
				}}}
			}
			return chain(0), nil
		}
		return sim.approveStep(o, t), nil
	}
}

// tolerate turns the errors a demo step may meet (the order expired or changed meanwhile, a
// rule now stops it) into nil, and keeps the others.
func tolerate(err error) error {
	switch market.ErrorCode(err) {
	case market.CodeConflict, market.CodeRuleBlocked, market.CodeInvalid:
		return nil
	}
	return err
}

// after schedules one step d after t that ends the order's story.
func (sim *orderSim) after(t time.Time, d time.Duration, fn func(ctx context.Context) error) []demoEvent {
	return []demoEvent{{at: sim.workTime(t, d), run: func(ctx context.Context) ([]demoEvent, error) {
		return nil, tolerate(fn(ctx))
	}}}
}

// approveStep is the PPK's approval and what follows it.
func (sim *orderSim) approveStep(o *demoOrder, t time.Time) []demoEvent {
	s, r := sim.l.s, sim.r
	return []demoEvent{{at: sim.workTime(t, days(r, 0, 3)), run: func(ctx context.Context) ([]demoEvent, error) {
		if _, err := s.Approve(ctx, o.ppk, o.id); err != nil {
			return nil, tolerate(err)
		}
		t := s.Now()
		switch o.fate {
		case fateAcceptExpires:
			return nil, nil
		case fatePPKCancel:
			return sim.after(t, days(r, 0, 1), func(ctx context.Context) error {
				_, err := s.Cancel(ctx, o.ppk, o.id, "Anggaran dialihkan untuk kebutuhan mendesak lain.")
				return err
			}), nil
		}
		seller, err := sim.owner(ctx, o.seller)
		if err != nil {
			return nil, err
		}
		if o.fate == fateDecline {
			return sim.after(t, days(r, 0, 2), func(ctx context.Context) error {
				_, err := s.Decline(ctx, seller, o.id, "Stok bahan baku sedang kosong di pemasok.")
				return err
			}), nil
		}
		return []demoEvent{{at: sim.workTime(t, days(r, 0, 2)), run: func(ctx context.Context) ([]demoEvent, error) {
			if _, err := s.Accept(ctx, seller, o.id); err != nil {
				return nil, tolerate(err)
			}
			return sim.shipStep(o, seller, s.Now(), 1), nil
		}}}, nil
	}}}
}

// shipStep records shipment number n and the receipt that follows.
func (sim *orderSim) shipStep(o *demoOrder, seller *market.Principal, t time.Time, n int) []demoEvent {
	s, r := sim.l.s, sim.r
	return []demoEvent{{at: sim.workTime(t, days(r, 1, 4)), run: func(ctx context.Context) ([]demoEvent, error) {
		in := store.ShipInput{DeliveryNote: fmt.Sprintf("SJ/%d/%02d", o.id, n)}
		if r.IntN(3) == 0 {
			in.Courier, in.Tracking = pick(r, []string{"JNE", "J&T", "SiCepat", "POS Indonesia"}), fmt.Sprintf("MDN%09d", r.IntN(1_000_000_000))
		}
		ord, err := s.Ship(ctx, seller, o.id, in)
		if err != nil {
			return nil, tolerate(err)
		}
		o.order = ord
		if o.fate == fateDispute {
			return sim.after(s.Now(), days(r, 1, 3), func(ctx context.Context) error {
				_, err := s.Dispute(ctx, o.buyer, o.id, "Barang yang dikirim tidak sesuai spesifikasi pada pesanan.")
				if err == nil && o.id%3 == 0 {
					_, err = s.ResolveDispute(ctx, sim.admin, o.id, "Penyedia mengganti barang; pesanan dilanjutkan.")
				}
				return err
			}), nil
		}
		return sim.receiveStep(o, seller, s.Now(), n), nil
	}}}
}

// receiveStep signs a BAST: all that is due, or (for partial fates, first time) about half.
func (sim *orderSim) receiveStep(o *demoOrder, seller *market.Principal, t time.Time, n int) []demoEvent {
	s, r := sim.l.s, sim.r
	return []demoEvent{{at: sim.workTime(t, days(r, 0, 3)), run: func(ctx context.Context) ([]demoEvent, error) {
		who := o.ppk
		if o.receiver != nil {
			who = o.receiver
		} else if len(o.up.receivers) > 0 {
			who = o.up.receivers[0]
		}
		partial := n == 1 && (o.fate == fateTwoShipments || o.fate == fateCloseShort)
		var in store.ReceiveInput
		in.Condition = store.ConditionGood
		for _, l := range o.order.Lines {
			q := l.Quantity - l.Received
			if partial {
				q = q / 2
			}
			if q > 0 {
				in.Lines = append(in.Lines, store.ReceiptLine{OrderLineID: l.ID, Quantity: q, Condition: store.ConditionGood})
			}
		}
		if len(in.Lines) == 0 {
			partial = false
			for _, l := range o.order.Lines {
				if q := l.Quantity - l.Received; q > 0 {
					in.Lines = append(in.Lines, store.ReceiptLine{OrderLineID: l.ID, Quantity: q, Condition: store.ConditionGood})
				}
			}
		}
		ord, err := s.Receive(ctx, who, o.id, in)
		if err != nil {
			return nil, tolerate(err)
		}
		o.order = ord
		if !partial {
			return sim.settle(o, seller), nil // invoice, payment and rating: payments.go
		}
		if o.fate == fateCloseShort {
			return []demoEvent{{at: sim.workTime(s.Now(), days(r, 2, 6)), run: func(ctx context.Context) ([]demoEvent, error) {
				if _, err := s.CloseShort(ctx, o.ppk, o.id, "Sisa barang tidak tersedia di penyedia; kebutuhan sudah terpenuhi sebagian."); err != nil {
					return nil, tolerate(err)
				}
				return sim.settle(o, seller), nil
			}}}, nil
		}
		return sim.shipStep(o, seller, s.Now(), n+1), nil
	}}}
}

// run executes the scheduled events in time order, each as of its time.
func (sim *orderSim) run(ctx context.Context) error {
	for sim.queue.Len() > 0 {
		e := heap.Pop(&sim.queue).(demoEvent)
		var next []demoEvent
		err := sim.l.s.AsOf(ctx, e.at, func(ctx context.Context) error {
			var err error
			next, err = e.run(ctx)
			return err
		})
		if err != nil {
			return err
		}
		sim.push(next...)
	}
	return nil
}

// Showcase names a demo listing that visitors and the browser test look for.
type Showcase struct {
	ID       int64
	Name     string
	SellerID int64
}

package market

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The codes of the accountability rules, used in RuleResult.Code, in the justifications a buyer
// writes (keyed by code) and in the API's rules list.
const (
	RuleCap           = "cap"                  // 1. order total within the policy cap
	RuleBudget        = "budget"               // 2. order total within the budget line's available amount
	RuleEligibility   = "eligibility"          // 3. seller eligible; products approved, in stock, minimum quantity
	RuleSeparation    = "separation_of_duties" // 4. the buyer is not the PPK; the treasurer is not the buyer
	RuleConflict      = "conflict_of_interest" // 5. no ruleOfficial linked to the seller
	RuleSplit         = "split_purchase"       // 6. no splitting to stay under the cap
	RulePrice         = "price_reference"      // 7. unit price not far above the reference or the public price
	RuleConcentration = "concentration"        // 8. nudge towards other UMK when one seller dominates
)

// MinJustificationRunes is the shortest written justification accepted for a warning.
const MinJustificationRunes = 20

// CheckSeller is what the rules need to know about the order's seller. The caller derives the
// booleans from the seller record (status verified, class micro or small under PP 7/2021, an
// active suspension).
type CheckSeller struct {
	ID        int64
	Name      string
	Verified  bool
	UMK       bool // micro or small enterprise
	Suspended bool
}

// PriceSample is the unit price of one order line approved by a PPK, for the price reference.
type PriceSample struct {
	UnitPrice  Rupiah
	ApprovedAt time.Time
}

// CheckLine is one order line with the facts the rules need about its product.
type CheckLine struct {
	ProductID     int64
	Name          string
	Approved      bool   // the listing is approved by a curator and not taken down
	Quantity      int64  // ordered quantity
	MinQuantity   int64  // the listing's minimum order quantity; 0 or 1 for none
	Stock         int64  // free stock now, not counting StockHeld
	StockHeld     int64  // quantity already reserved for this order (approval re-check, resubmission)
	UnitPrice     Rupiah // the price used: list price, or the agreed price after negotiation
	PublicPrice   Rupiah // the price the seller declares outside e-purchasing; 0 when none
	UnitOfMeasure string // satuan, e.g. "rim", "pak", "unit"
	CategoryID    int64  // the leaf category
	CategoryName  string
	// OrderPrices are the approved order lines' unit prices in the same leaf category and unit
	// of measure within the policy's lookback, as PriceStatsOf counts them.
	OrderPrices PriceStats
	// ListingPrices are unit prices of approved listings in the same leaf category and unit of
	// measure, the reference while there are too few approved orders.
	ListingPrices []Rupiah
}

// SellerLinkKind says how a user is linked to a seller.
type SellerLinkKind string

// The link kinds.
const (
	LinkOwner    SellerLinkKind = "owner"    // holds RoleSellerOwner for the seller
	LinkStaff    SellerLinkKind = "staff"    // holds RoleSellerStaff for the seller
	LinkRelation SellerLinkKind = "relation" // a relation (family, shareholding…) declared to admins
)

// SellerLink is one user's link to the order's seller, from memberships or declared relations.
type SellerLink struct {
	UserID int64
	Kind   SellerLinkKind
}

// PastOrder is an earlier order of the same unit, for the split-purchase rule. The caller may
// pass more than needed: the rule keeps orders inside the window whose state counts.
type PastOrder struct {
	ID          int64
	SellerID    int64
	State       State
	Total       Rupiah
	PlacedAt    time.Time
	CategoryIDs []int64 // the leaf categories of its lines
}

// SuggestedSeller is another eligible local UMK in the same category, offered by the
// concentration nudge.
type SuggestedSeller struct {
	ID   int64
	Name string
}

// Concentration holds the unit's spend this fiscal year, for the concentration nudge.
type Concentration struct {
	SellerSpend Rupiah            // spent on or committed to this seller
	UnitSpend   Rupiah            // spent or committed by the unit in total
	Candidates  []SuggestedSeller // eligible local UMK in the order's categories, best first
}

// CheckInput carries every fact the rules need, loaded by the caller (the store) so that the
// rules do no I/O. The same input shape is used at checkout and again at approval.
type CheckInput struct {
	Policy Policy
	// Now is the time of the check, in the instance's time zone (the fiscal year is Now's year).
	Now time.Time
	// OrderID is 0 at checkout and the order's id afterwards, so that it is not counted twice.
	OrderID    int64
	UnitID     int64
	BuyerID    int64 // the Pejabat Pengadaan checking out
	ApproverID int64 // the PPK chosen to approve
	ReceiverID int64 // the receiver, when recorded; 0 otherwise
	Seller     CheckSeller
	Lines      []CheckLine
	// Total is the order's total: goods + shipping + PPN, as computed by the tax arithmetic.
	Total  Rupiah
	Budget BudgetLine
	// BudgetHeld is the amount of this order already reserved on Budget (0 at checkout).
	BudgetHeld    Rupiah
	Links         []SellerLink // every user linked to the seller
	Earlier       []PastOrder  // the unit's recent orders, including sibling orders of this checkout
	Concentration Concentration
}

// CheckOrder evaluates every rule on in and returns their findings in rule order (cap, budget,
// eligibility, separation of duties, conflict of interest, split purchase, price reference,
// concentration). An empty result means nothing to report. Use RuleError to decide whether the
// order may proceed.
func CheckOrder(in CheckInput) []RuleResult {
	var out []RuleResult
	for _, rule := range []func(CheckInput) []RuleResult{
		CheckCap, CheckBudget, CheckEligibility, CheckSeparation, CheckConflict, CheckSplit,
		CheckPrice, CheckConcentration,
	} {
		out = append(out, rule(in)...)
	}
	return out
}

func ruleBlock(code, key string, args ...any) RuleResult {
	return finding(code, SeverityBlock, key, args...)
}

// CheckCap blocks an order whose total is above the policy cap.
func CheckCap(in CheckInput) []RuleResult {
	if in.Total <= in.Policy.Cap {
		return nil
	}
	return []RuleResult{ruleBlock(RuleCap, "cap.over", in.Total, in.Policy.Cap)}
}

// CheckBudget blocks an order that does not fit its budget line: the line belongs to another
// unit or fiscal year, or the total exceeds what is available (plus what this order already holds).
func CheckBudget(in CheckInput) []RuleResult {
	b := in.Budget
	var out []RuleResult
	if b.UnitID != in.UnitID {
		out = append(out, ruleBlock(RuleBudget, "budget.unit", b.KodeRUP))
	}
	if y := in.Now.Year(); b.FiscalYear != y {
		out = append(out, ruleBlock(RuleBudget, "budget.year", b.KodeRUP, b.FiscalYear, y))
	}
	if avail := b.Available() + in.BudgetHeld; in.Total > avail {
		out = append(out, ruleBlock(RuleBudget, "budget.over", in.Total, avail, b.KodeRUP, b.Name, b.Ceiling))
	}
	return out
}

// CheckEligibility blocks an order from a seller that is not verified, not a micro or small
// enterprise or suspended, and an order with a line whose product is not approved, whose
// quantity is not positive, below the minimum order quantity or above the stock.
func CheckEligibility(in CheckInput) []RuleResult {
	var out []RuleResult
	s := in.Seller
	if !s.Verified {
		out = append(out, ruleBlock(RuleEligibility, "eligibility.unverified", s.Name))
	}
	if !s.UMK {
		out = append(out, ruleBlock(RuleEligibility, "eligibility.not_umk", s.Name))
	}
	if s.Suspended {
		out = append(out, ruleBlock(RuleEligibility, "eligibility.suspended", s.Name))
	}
	if len(in.Lines) == 0 {
		out = append(out, ruleBlock(RuleEligibility, "eligibility.empty"))
	}
	for _, l := range in.Lines {
		if !l.Approved {
			out = append(out, ruleBlock(RuleEligibility, "eligibility.unapproved", l.Name))
		}
		switch {
		case l.Quantity <= 0:
			out = append(out, ruleBlock(RuleEligibility, "eligibility.quantity", l.Name))
		case l.Quantity < l.MinQuantity:
			out = append(out, ruleBlock(RuleEligibility, "eligibility.minimum", l.Name, l.Quantity, l.UnitOfMeasure, l.MinQuantity))
		}
		if free := l.Stock + l.StockHeld; l.Quantity > free {
			out = append(out, ruleBlock(RuleEligibility, "eligibility.stock", l.Name, max(free, 0), l.UnitOfMeasure, l.Quantity))
		}
	}
	return out
}

// CheckSeparation blocks an order whose Pejabat Pengadaan is also the chosen PPK: the one who
// orders may not approve.
func CheckSeparation(in CheckInput) []RuleResult {
	if in.BuyerID == 0 || in.BuyerID != in.ApproverID {
		return nil
	}
	return []RuleResult{ruleBlock(RuleSeparation, "separation.ppk")}
}

func linkConflicts(links []SellerLink, sellerName string, officials []ruleOfficial) []RuleResult {
	var out []RuleResult
	for _, o := range officials {
		if o.userID == 0 {
			continue
		}
		for _, l := range links {
			if l.UserID != o.userID {
				continue
			}
			kind := string(l.Kind)
			if !slices.Contains(conflictLinks, kind) {
				kind = "linked"
			}
			out = append(out, ruleBlock(RuleConflict, "conflict."+o.name+"."+kind, sellerName))
			break
		}
	}
	return out
}

// ruleOfficial is an official the conflict-of-interest rule checks: one of conflictOfficials.
type ruleOfficial struct {
	name   string
	userID int64
}

// CheckConflict blocks an order when the Pejabat Pengadaan, the PPK or the recorded receiver is
// linked to the seller as owner, staff or declared relation.
func CheckConflict(in CheckInput) []RuleResult {
	return linkConflicts(in.Links, in.Seller.Name, []ruleOfficial{
		{"buyer", in.BuyerID}, {"ppk", in.ApproverID}, {"receiver", in.ReceiverID},
	})
}

// CheckTreasurer is the payment-time check of separation of duties and conflict of interest:
// the treasurer (Bendahara Pengeluaran) recording a payment may be neither the order's Pejabat
// Pengadaan nor linked to its seller. Findings are blocks.
func CheckTreasurer(treasurerID, buyerID int64, sellerName string, links []SellerLink) []RuleResult {
	var out []RuleResult
	if treasurerID != 0 && treasurerID == buyerID {
		out = append(out, ruleBlock(RuleSeparation, "separation.treasurer"))
	}
	return append(out, linkConflicts(links, sellerName, []ruleOfficial{
		{"treasurer", treasurerID},
	})...)
}

// countsForSplit reports whether an order in state s counts towards the split-purchase sum.
func countsForSplit(s State) bool { return !s.Withdrawn() }

// CheckSplit flags a split purchase: within the policy's rolling window ending now, the unit's
// counted orders from the same seller, or with a line in the same leaf category, plus this
// order pass the cap. Counted are all orders not rejected, declined, cancelled or expired,
// sibling orders of the same checkout included, each with its whole total. A finding has the
// policy's split severity: a warning needing a written justification, or a block.
func CheckSplit(in CheckInput) []RuleResult {
	counted := splitCounted(in.Policy, in.Now, in.OrderID, in.Earlier)
	var out []RuleResult
	outcome := "warning"
	if in.Policy.SplitSeverity == SeverityBlock {
		outcome = "block"
	}
	// by is "seller" or "category", named by name.
	flag := func(by, name string, match func(PastOrder) bool) {
		sum, n := splitSum(counted, match)
		if n == 0 || sum+in.Total <= in.Policy.Cap {
			return
		}
		out = append(out, finding(RuleSplit, in.Policy.SplitSeverity, "split."+by+"."+outcome,
			in.Policy.SplitWindowDays, name, sum, n, in.Total, sum+in.Total, in.Policy.Cap))
	}
	flag("seller", in.Seller.Name, func(o PastOrder) bool { return o.SellerID == in.Seller.ID })
	seen := map[int64]bool{}
	for _, l := range in.Lines {
		if l.CategoryID == 0 || seen[l.CategoryID] {
			continue
		}
		seen[l.CategoryID] = true
		flag("category", l.CategoryName, func(o PastOrder) bool { return slices.Contains(o.CategoryIDs, l.CategoryID) })
	}
	return out
}

// splitCounted returns the orders that count for the split-purchase rule at now: inside the
// policy's window, in a counting state, and not the order orderID itself (0: none).
func splitCounted(p Policy, now time.Time, orderID int64, orders []PastOrder) []PastOrder {
	start := now.Add(-p.SplitWindow())
	var out []PastOrder
	for _, o := range orders {
		if (orderID == 0 || o.ID != orderID) && countsForSplit(o.State) &&
			o.PlacedAt.After(start) && !o.PlacedAt.After(now) {
			out = append(out, o)
		}
	}
	return out
}

func splitSum(orders []PastOrder, match func(PastOrder) bool) (sum Rupiah, n int) {
	for _, o := range orders {
		if match(o) {
			sum += o.Total
			n++
		}
	}
	return sum, n
}

// SplitRoom returns how much the unit may still order at now from seller sellerID, or in leaf
// category categoryID, before the split-purchase rule fires: the cap minus the totals of the
// counted orders of the window (see CheckSplit) that are from that seller or have a line in that
// category, never below zero. Pass 0 for the one not asked about; with both 0 the cap is returned.
// It feeds the unit dashboard's "room left under the cap and the split window".
func SplitRoom(p Policy, now time.Time, orders []PastOrder, sellerID, categoryID int64) Rupiah {
	if sellerID == 0 && categoryID == 0 {
		return p.Cap
	}
	sum, _ := splitSum(splitCounted(p, now, 0, orders), func(o PastOrder) bool {
		return (sellerID != 0 && o.SellerID == sellerID) || (categoryID != 0 && slices.Contains(o.CategoryIDs, categoryID))
	})
	return max(p.Cap-sum, 0)
}

// MedianRupiah returns the median of xs (the mean of the two middle values, rounded down, for
// an even count) and false when xs is empty. xs is not modified.
func MedianRupiah(xs []Rupiah) (Rupiah, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m], true
	}
	a, b := s[m-1], s[m]
	return a + (b-a)/2, true
}

// PriceStats are how many approved order prices a category and unit of measure has within the
// policy's lookback, and their median (see MedianRupiah; 0 when there are none). The store
// computes them in the database, so that a category with thousands of approved lines costs a
// check two numbers, not thousands of rows.
type PriceStats struct {
	Count  int
	Median Rupiah
}

// PriceWindow returns the approval times whose prices count for the reference under p at now:
// after after (now minus the lookback) and not after until (now).
func PriceWindow(p Policy, now time.Time) (after, until time.Time) {
	return now.Add(-p.PriceLookback()), now
}

// PriceStatsOf returns the PriceStats of the samples under p at now: those approved within the
// PriceWindow at a positive price.
func PriceStatsOf(p Policy, now time.Time, samples []PriceSample) PriceStats {
	after, until := PriceWindow(p, now)
	var recent []Rupiah
	for _, s := range samples {
		if s.ApprovedAt.After(after) && !s.ApprovedAt.After(until) && s.UnitPrice > 0 {
			recent = append(recent, s.UnitPrice)
		}
	}
	m, _ := MedianRupiah(recent)
	return PriceStats{Count: len(recent), Median: m}
}

// PriceReference returns the reference unit price of line l under p: the median of the
// approved order prices within the lookback when there are at least p.PriceMinOrders of them,
// else the median of the approved listings. n is the number of prices behind it and fromOrders
// says which source was used; ok is false when there is no reference.
func PriceReference(p Policy, l CheckLine) (ref Rupiah, n int, fromOrders, ok bool) {
	if o := l.OrderPrices; o.Count >= p.PriceMinOrders {
		return o.Median, o.Count, true, o.Count > 0
	}
	ref, ok = MedianRupiah(l.ListingPrices)
	return ref, len(l.ListingPrices), false, ok && ref > 0
}

// greaterProduct reports whether a×m > b×n for non-negative operands, without overflow.
func greaterProduct(a Rupiah, m int64, b Rupiah, n int64) bool {
	if a <= 0 || m <= 0 {
		return false
	}
	if b <= 0 || n <= 0 {
		return true
	}
	ah, al := bits.Mul64(uint64(a), uint64(m))
	bh, bl := bits.Mul64(uint64(b), uint64(n))
	return ah > bh || (ah == bh && al > bl)
}

// CheckPrice warns, per line, when the unit price is more than the policy's threshold above the
// category's reference price (see PriceReference), or above the seller's declared public price
// (price parity). Both warnings need a written justification.
func CheckPrice(in CheckInput) []RuleResult {
	var out []RuleResult
	pct := int64(in.Policy.PriceThresholdPercent)
	for _, l := range in.Lines {
		if ref, n, fromOrders, ok := PriceReference(in.Policy, l); ok && greaterProduct(l.UnitPrice, 100, ref, 100+pct) {
			if fromOrders {
				out = append(out, finding(RulePrice, SeverityWarning, "price.orders",
					l.Name, l.UnitPrice, l.UnitOfMeasure, pct, ref, n, in.Policy.PriceLookbackDays, l.CategoryName))
			} else {
				out = append(out, finding(RulePrice, SeverityWarning, "price.catalogue",
					l.Name, l.UnitPrice, l.UnitOfMeasure, pct, ref, n, l.CategoryName))
			}
		}
		if l.PublicPrice > 0 && l.UnitPrice > l.PublicPrice {
			out = append(out, finding(RulePrice, SeverityWarning, "price.public", l.Name, l.UnitPrice, l.UnitOfMeasure, l.PublicPrice))
		}
	}
	return out
}

// spendSharePercent returns ⌊part×100/whole⌋ for 0 ≤ part ≤ whole, whole > 0.
func spendSharePercent(part, whole Rupiah) int64 {
	if whole <= 0 || part <= 0 {
		return 0
	}
	if part >= whole {
		return 100
	}
	hi, lo := bits.Mul64(uint64(part), 100)
	q, _ := bits.Div64(hi, lo, uint64(whole))
	return int64(q)
}

// ConcentrationSuggestions returns up to the policy's number of suggested sellers: the input's
// candidates without the order's own seller and without repeats, in the given order.
func ConcentrationSuggestions(in CheckInput) []SuggestedSeller {
	var out []SuggestedSeller
	seen := map[int64]bool{in.Seller.ID: true}
	for _, c := range in.Concentration.Candidates {
		if len(out) >= in.Policy.ConcentrationSuggestions {
			break
		}
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	return out
}

// ShareAbove reports whether part is more than percent of whole (part × 100 > whole × percent,
// exactly and without overflow): the one test of seller concentration that the checkout's nudge,
// the auditor's red flag and the portal's mark share. Nothing is above a share of an empty whole
// or of a negative percent.
func ShareAbove(part, whole Rupiah, percent int) bool {
	return whole > 0 && percent >= 0 && greaterProduct(part, 100, whole, int64(percent))
}

// CheckConcentration informs the buyer when this seller already has more than the policy's
// share of the unit's spend this year, naming up to the policy's number of other eligible local
// UMK in the same category (see ConcentrationSuggestions). It never blocks.
func CheckConcentration(in CheckInput) []RuleResult {
	c := in.Concentration
	if !ShareAbove(c.SellerSpend, c.UnitSpend, in.Policy.ConcentrationPercent) {
		return nil
	}
	args := []any{in.Seller.Name, spendSharePercent(c.SellerSpend, c.UnitSpend), c.SellerSpend, c.UnitSpend}
	sugg := ConcentrationSuggestions(in)
	if len(sugg) == 0 {
		return []RuleResult{finding(RuleConcentration, SeverityInfo, "concentration", args...)}
	}
	names := make([]string, len(sugg))
	for i, s := range sugg {
		names[i] = s.Name
	}
	return []RuleResult{finding(RuleConcentration, SeverityInfo, "concentration.suggest", append(args, strings.Join(names, ", "))...)}
}

// Justified reports whether text is an acceptable written justification: at least
// MinJustificationRunes characters once surrounding space is removed.
func Justified(text string) bool {
	return utf8.RuneCountInString(strings.TrimSpace(text)) >= MinJustificationRunes
}

// TakesJustification reports whether code names a rule whose warning a buyer answers with a
// written justification: the split-purchase and price-reference rules. A justification under
// any other code has nothing to answer.
func TakesJustification(code string) bool { return code == RuleSplit || code == RulePrice }

// NeedsJustification returns the distinct codes of the warnings in results, in order: the
// rules for which the buyer must write a justification.
func NeedsJustification(results []RuleResult) []string {
	var out []string
	for _, r := range results {
		if r.Severity == SeverityWarning && !slices.Contains(out, r.Code) {
			out = append(out, r.Code)
		}
	}
	return out
}

// RuleError returns nil when the order may proceed, and otherwise a CodeRuleBlocked *Error whose
// Rules are the results that stop it: every block, and every warning whose rule has no
// acceptable justification in justifications (keyed by rule code; see Justified). Fields then
// name "justifications.<code>" for each missing justification.
func RuleError(results []RuleResult, justifications map[string]string) error {
	var stop []RuleResult
	blocked := false
	fields := map[string]string{}
	for _, r := range results {
		switch r.Severity {
		case SeverityBlock:
			stop = append(stop, r)
			blocked = true
		case SeverityWarning:
			if !Justified(justifications[r.Code]) {
				stop = append(stop, r)
				fields["justifications."+r.Code] = fmt.Sprintf("Tulis alasan paling sedikit %d karakter.", MinJustificationRunes)
			}
		}
	}
	if len(stop) == 0 {
		return nil
	}
	e := &Error{Code: CodeRuleBlocked, Rules: stop,
		Message: "Pesanan memerlukan alasan tertulis untuk peringatan berikut sebelum dapat diproses."}
	if blocked {
		e.Message = "Pesanan tidak dapat diproses karena melanggar aturan pengadaan; lihat penjelasan setiap aturan."
	}
	if len(fields) > 0 {
		e.Fields = fields
	}
	return e
}

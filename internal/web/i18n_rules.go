package web

import (
	"fmt"

	"bela/internal/market"
)

// ruleTextsEN are the rule explanations in English, by the keys of market.RuleTexts and with
// the same arguments (a test checks both).
var ruleTextsEN = map[string]string{
	"cap.over":               "The order total %s is above the cap of %s per order. Reduce the quantities; needs above the cap are procured by another method, not by splitting the order.",
	"budget.unit":            "Kode RUP %s does not belong to your work unit.",
	"budget.year":            "Kode RUP %s is for fiscal year %s, not the current year %s.",
	"budget.over":            "The order total %s is above the %s still available on Kode RUP %s (%s; ceiling %s).",
	"eligibility.unverified": "Seller %s has not been verified by the Dinas Koperasi dan UMKM.",
	"eligibility.not_umk":    "Seller %s is not a micro or small enterprise; direct purchasing is reserved for UMK.",
	"eligibility.suspended":  "Seller %s is suspended and cannot take orders.",
	"eligibility.empty":      "The order has no items.",
	"eligibility.unapproved": `Product "%s" has not been approved by a curator or has been taken off the catalogue.`,
	"eligibility.quantity":   `The quantity of "%s" must be more than 0.`,
	"eligibility.minimum":    `"%[1]s" is ordered at %[2]s %[3]s, below the minimum order of %[4]s %[3]s.`,
	"eligibility.stock":      `Only %[2]s %[3]s of "%[1]s" are in stock, fewer than the %[4]s %[3]s ordered.`,
	"separation.ppk":         "The Pejabat Pengadaan who places the order may not also be the PPK who approves it. Choose another PPK.",
	"separation.treasurer":   "The treasurer recording the payment may not be the Pejabat Pengadaan who placed this order. Another treasurer records the payment.",
	"price.orders":           `The price of "%s", %s per %s, is more than %s%% above the reference price %s (median of %s approved orders in the last %s days, category %s). ` + priceTailEN,
	"price.catalogue":        `The price of "%s", %s per %s, is more than %s%% above the reference price %s (median of %s approved products in the catalogue, category %s). ` + priceTailEN,
	"price.public":           `The price of "%s", %s per %s, is above the public price the seller declared (%s); the government may not pay more. ` + priceTailEN,
	"concentration":          concentrationEN,
	"concentration.suggest":  concentrationEN + " Consider other local UMK in the same category too: %s.",
}

const (
	priceTailEN     = "Negotiate the price or write why this price is justified."
	concentrationEN = "Seller %s already has %s%% of your unit's spend this year (%s of %s)."
)

func init() {
	market.RuleWording{
		Split: func(what, tail string) string {
			return "In the last %s days your unit has ordered " + what +
				" for %s in %s orders; with this order (%s) that is %s, above the cap of %s. This may be a split purchase. " + tail
		},
		SplitBy: map[string]string{"seller": "from seller %s", "category": "goods of category %s"},
		SplitTail: map[string]string{
			"warning": "If these needs really are separate, write why; the PPK and later the public see your reason.",
			"block":   "The policy forbids this order; a need that large is procured by another method.",
		},
		Conflict: func(official, link, remedy string) string {
			return official + " is recorded as " + link + " of seller %s: a conflict of interest. " + remedy
		},
		Officials: map[string][2]string{
			"buyer":     {"The Pejabat Pengadaan", "Orders to this seller must be placed by another official."},
			"ppk":       {"The chosen PPK", "Choose another PPK."},
			"receiver":  {"The receiver of goods", "Appoint another receiver."},
			"treasurer": {"The treasurer", "Another treasurer records the payment."},
		},
		Links: map[string]string{
			string(market.LinkOwner):    "an owner",
			string(market.LinkStaff):    "staff",
			string(market.LinkRelation): "a related party (declared to admins)",
			"linked":                    "a linked party",
		},
	}.Compose(ruleTextsEN)
	for key, format := range ruleTextsEN {
		ruleArgsEN[key] = market.TextArgs(format)
	}
}

// ruleArgsEN is how many arguments each English text takes, counted once.
var ruleArgsEN = map[string]int{}

// ruleText returns a rule result's explanation in lang: in English its key's wording filled
// with its arguments, otherwise (or for a result stored without a key) the stored explanation.
func ruleText(lang string, r market.RuleResult) string {
	n, ok := ruleArgsEN[r.Key]
	if lang != "en" || !ok || n != len(r.Args) {
		return r.Explanation
	}
	args := make([]any, len(r.Args))
	for i, a := range r.Args {
		args[i] = a
	}
	return fmt.Sprintf(ruleTextsEN[r.Key], args...)
}

// RuleText is ruleText in the page's language, for templates.
func (b *Base) RuleText(r market.RuleResult) string { return ruleText(b.Lang, r) }

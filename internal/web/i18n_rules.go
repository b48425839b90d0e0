package web

import (
	"slices"

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
		textArgsEN[key] = market.TextArgs(format)
	}
	market.ComposeNoNPWP(taxTextsEN, " The rate is higher because the seller has no NPWP.")
	for key, t := range taxTextsEN {
		textArgsEN["tax."+key] = market.TextArgs(t[1])
	}
}

// textArgsEN is how many arguments each English text takes, counted once: the rule texts by
// their keys, the tax texts by theirs after "tax.".
var textArgsEN = map[string]int{}

// fillEN returns the English format (at key in textArgsEN) filled with args, or stored when
// the key is unknown or the arguments do not fit (a text stored before keys existed).
func fillEN(key, format string, args []string, stored string) string {
	if n, ok := textArgsEN[key]; !ok || n != len(args) {
		return stored
	}
	return market.FillText(format, args)
}

// ruleText returns a rule result's explanation in lang: in English its key's wording filled
// with its arguments, otherwise (or for a result stored without a key) the stored explanation.
func ruleText(lang string, r market.RuleResult) string {
	if lang != "en" {
		return r.Explanation
	}
	return fillEN(r.Key, ruleTextsEN[r.Key], r.Args, r.Explanation)
}

// sayRules returns rule results with their explanations in lang.
func sayRules(lang string, rs []market.RuleResult) []market.RuleResult {
	if lang != "en" || len(rs) == 0 {
		return rs
	}
	out := slices.Clone(rs)
	for i := range out {
		out[i].Explanation = ruleText(lang, out[i])
	}
	return out
}

// Say is sayError in the page's language, for templates that show the domain's sentences
// (a seller's reasons for not being eligible).
func (b *Base) Say(msg string) string { return sayError(b.Lang, msg) }

// RuleText is ruleText in the page's language, for templates.
func (b *Base) RuleText(r market.RuleResult) string { return ruleText(b.Lang, r) }

// taxTextsEN are the tax lines' labels and explanations in English, by the keys of
// market.TaxTexts and with the same arguments (a test checks both). The taxes keep their
// Indonesian names, as the tax office's forms do.
var taxTextsEN = map[string][2]string{
	"price.goods":   {"Price of goods", "The price of the goods before PPN."},
	"price.service": {"Price of services", "The price of the services before PPN."},
	"shipping":      {"Shipping", "Shipping charged by the seller is part of the taxable price."},
	"pbjt":          {"PBJT (regional food and drink tax)", "PBJT of %s is already inside the price; the seller deposits it to the Pemda itself. It adds nothing to the invoice."},
	"dpp":           {"DPP (tax base)", "The DPP is the taxable price %s."},
	"dpp.other":     {"DPP nilai lain (other tax base)", "DPP nilai lain = %s/%s × %s (shown rounded; PPN is computed from the exact value)."},
	"ppn.seller": {"PPN (VAT)", "PPN %s × DPP (effectively %s of the price). The order's payment including PPN, %s, is not above %s, so the treasurer does not collect it: " +
		"the seller receives the PPN and deposits and reports it itself."},
	"ppn.treasurer":          {"PPN (VAT)", "PPN %s × DPP (effectively %s of the price). The treasurer, as PPN collector, collects and deposits it; this amount is not paid to the seller."},
	"ppn.catering":           {"PPN (VAT)", "Food and drink from a caterer or restaurant is not subject to PPN; the regional PBJT applies instead."},
	"ppn.not_pkp":            {"PPN (VAT)", "The seller is not a PKP (VAT-registered business), so it charges no PPN."},
	"total":                  {"Invoice total", "The amount on the invoice and the kuitansi: price + shipping + PPN."},
	"withholding.below":      {"PPh (income tax)", "The order's value %s (without PPN) is not above %s, so the treasurer withholds no PPh Pasal 22."},
	"withholding.below.pp55": {"PPh (income tax)", "The order's value %s (without PPN) is not above %s, so the treasurer withholds no final PPh under PP 55/2022."},
	"withholding.pp55": {"Final PPh, PP 55/2022", "The seller holds a PP 55/2022 certificate valid on the payment date: " +
		"the treasurer withholds final PPh of %s of %s, instead of PPh Pasal 22/23/21."},
	"withholding.pph22": {"PPh Pasal 22 (income tax)", "A purchase of goods with an order value of %s (without PPN) above %s: the treasurer withholds PPh Pasal 22 of %s of the price without PPN, %s."},
	"withholding.pph21": {"PPh Pasal 21 (income tax)", "Services from an individual: the treasurer withholds PPh Pasal 21 of %s of %s."},
	"withholding.pph23": {"PPh Pasal 23 (income tax)", "Services from a business: the treasurer withholds PPh Pasal 23 of %s of %s."},
	"meterai":           {"Bea Meterai (stamp duty)", "A kuitansi above %s needs a meterai (e-meterai) of %s, borne by the seller and not withheld from the payment."},
	"net":               {"Paid to the seller", "The invoice total less the PPN collected by the treasurer and the PPh withheld."},
}

// taxLabel returns a tax line's label in lang.
func taxLabel(lang string, l market.TaxLine) string {
	if t, ok := taxTextsEN[l.Key]; ok && lang == "en" {
		return t[0]
	}
	return l.Label
}

// taxText returns a tax line's explanation in lang.
func taxText(lang string, l market.TaxLine) string {
	if lang != "en" {
		return l.Explanation
	}
	return fillEN("tax."+l.Key, taxTextsEN[l.Key][1], l.Args, l.Explanation)
}

// TaxLabel is taxLabel in the page's language, for templates.
func (b *Base) TaxLabel(l market.TaxLine) string { return taxLabel(b.Lang, l) }

// TaxText is taxText in the page's language, for templates.
func (b *Base) TaxText(l market.TaxLine) string { return taxText(b.Lang, l) }

package web

import "bela/internal/market"

// redFlagTextsEN are the red flags' explanations in English, by the flags of
// market.RedFlagTexts (a test checks both have the same flags).
var redFlagTextsEN = map[market.RedFlag]string{
	market.FlagSplit: "The split-purchase rule warned about or blocked this order: the same unit bought from the same seller or in the same category " +
		"within the check window until the sum passed the cap. Read the Pejabat Pengadaan's written justification on the order.",
	market.FlagPrice: "The price-reference rule warned: a unit price far above its category's reference price or above the seller's public price. " +
		"Read the Pejabat Pengadaan's written justification on the order.",
	market.FlagNearCap: "The order total lies just below the cap per order (or equals it). " +
		"Values bunched under the cap may mean orders shaped so as not to pass it.",
	market.FlagLatePayment:     "At least one payment was made after the payment deadline.",
	market.FlagPaymentMismatch: "At least one payment differed from the amount due according to the invoice and the tax breakdown.",
	market.FlagDisputed:        "This order is or was in dispute between the work unit and the seller.",
	market.FlagClosedShort:     "The PPK closed the order short: the rest of the goods not yet delivered was not bought.",
	market.FlagConcentration: "This seller has more than the spend concentration threshold of the work unit's purchases in the order's fiscal year " +
		"(orders rejected, cancelled or expired are not counted), once the unit has made at least five purchases that year.",
}

// flagText returns a red flag's explanation in lang.
func flagText(lang string, f market.RedFlag) string {
	if en, ok := redFlagTextsEN[f]; ok && lang == "en" {
		return en
	}
	return f.Explanation()
}

// FlagText is flagText in the page's language, for templates.
func (b *Base) FlagText(f market.RedFlag) string { return flagText(b.Lang, f) }

// FlagName is a red flag's short name in the page's language.
func (b *Base) FlagName(f market.RedFlag) string { return b.T("flag." + string(f)) }

// ConclusionName is an audit case's conclusion in the page's language.
func (b *Base) ConclusionName(c market.CaseConclusion) string { return b.T("conclusion." + string(c)) }

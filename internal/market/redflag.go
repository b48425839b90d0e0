package market

import (
	"fmt"
	"maps"
	"slices"
)

// RedFlag names a pattern in an order that the auditor — APIP (Aparat Pengawasan Intern
// Pemerintah, the Inspektorat of the local government) — should read closely. A flag is not a
// finding: it says where to look, and the auditor opens a case (an investigation) when the
// order deserves one. The names are stable identifiers used in URLs, the database (a case keeps
// the flags it was opened on) and the transparency log.
type RedFlag string

// The red flags, in the order pages list them.
const (
	// FlagSplit: the checkout's split-purchase rule (RuleSplit) warned about or blocked the
	// order; the buyer's written justification is on the order for the auditor to read.
	FlagSplit RedFlag = "split"
	// FlagPrice: the price-reference rule (RulePrice) warned about a unit price.
	FlagPrice RedFlag = "price"
	// FlagNearCap: the total is within Policy.NearCapPercent below the cap, or at it — the
	// classic bunching of purchases just under the threshold.
	FlagNearCap RedFlag = "near_cap"
	// FlagLatePayment: at least one payment was dated after its deadline.
	FlagLatePayment RedFlag = "late_payment"
	// FlagPaymentMismatch: at least one payment's amount differed from what was due.
	FlagPaymentMismatch RedFlag = "payment_mismatch"
	// FlagDisputed: the order is, or was, disputed.
	FlagDisputed RedFlag = "disputed"
	// FlagClosedShort: the PPK gave up the undelivered rest of the order.
	FlagClosedShort RedFlag = "closed_short"
	// FlagConcentration: the seller holds more than Policy.ConcentrationPercent of the unit's
	// purchases in the order's fiscal year, once the unit has made ConcentrationFlagMinPurchases
	// of them.
	FlagConcentration RedFlag = "concentration"
)

// ConcentrationFlagMinPurchases is how many purchases a unit must have made in a fiscal year
// before FlagConcentration can be raised on its orders: below it a share says little (a unit's
// first purchase of the year is 100% one seller's), and the flag would sit on most orders of
// January. A judgement, not a regulation: correct it here.
const ConcentrationFlagMinPurchases = 5

// RedFlagCodes lists every red flag in a stable order (for filters, forms and tests).
var RedFlagCodes = []RedFlag{
	FlagSplit, FlagPrice, FlagNearCap, FlagLatePayment, FlagPaymentMismatch, FlagDisputed,
	FlagClosedShort, FlagConcentration,
}

// redFlagTexts explain each flag in plain Bahasa Indonesia, as the rules explain their
// findings. Another language keeps a table with the same keys (see RedFlagTexts).
var redFlagTexts = map[RedFlag]string{
	FlagSplit: "Aturan pemecahan pembelian memberi peringatan atau blokir pada pesanan ini: unit yang sama membeli dari penyedia atau kategori yang sama " +
		"dalam jangka waktu pemeriksaan hingga jumlahnya melewati batas. Baca alasan tertulis Pejabat Pengadaan pada pesanan.",
	FlagPrice: "Aturan harga acuan memberi peringatan: harga satuan jauh di atas harga acuan kategorinya atau di atas harga umum penyedia. " +
		"Baca alasan tertulis Pejabat Pengadaan pada pesanan.",
	FlagNearCap: "Total pesanan berada tepat di bawah batas nilai per pesanan (atau sama dengan batas itu). " +
		"Nilai yang menumpuk di bawah batas dapat menandakan pesanan yang disesuaikan agar tidak melewati batas.",
	FlagLatePayment:     "Sedikitnya satu pembayaran dilakukan setelah batas waktu pembayaran.",
	FlagPaymentMismatch: "Sedikitnya satu pembayaran berbeda jumlahnya dari yang seharusnya dibayar menurut tagihan dan rincian pajak.",
	FlagDisputed:        "Pesanan ini sedang atau pernah dalam sengketa antara unit kerja dan penyedia.",
	FlagClosedShort:     "PPK menutup pesanan dengan kekurangan: sisa barang yang belum dikirim tidak jadi dibeli.",
	FlagConcentration: "Penyedia ini menerima lebih dari ambang konsentrasi belanja unit kerja pada tahun anggaran pesanan " +
		"(pesanan yang ditolak, dibatalkan atau kedaluwarsa tidak dihitung), setelah unit kerja itu melakukan sedikitnya lima pembelian pada tahun tersebut.",
}

// Explanation returns the flag's plain-language explanation in Bahasa Indonesia ("" for an
// unknown flag).
func (f RedFlag) Explanation() string { return redFlagTexts[f] }

// RedFlagTexts returns every flag's explanation in Bahasa Indonesia, by flag.
func RedFlagTexts() map[RedFlag]string { return maps.Clone(redFlagTexts) }

// ParseRedFlag returns the flag with the given name, or a CodeInvalid *Error.
func ParseRedFlag(s string) (RedFlag, error) {
	if _, ok := redFlagTexts[RedFlag(s)]; ok {
		return RedFlag(s), nil
	}
	return "", Invalid("flag", fmt.Sprintf("Tanda bahaya %q tidak dikenal.", s))
}

// OrderFlagFacts are the facts about one order that decide its red flags, loaded by the store so
// that RedFlags does no I/O.
type OrderFlagFacts struct {
	State State
	// DisputedFrom is the state before a dispute still open ("" when none).
	DisputedFrom State
	// Total is the order's total (goods + shipping + PPN).
	Total Rupiah
	// Cap is the cap of the policy the order was checked against; zero means the Policy's.
	Cap Rupiah
	// Rules are the order's stored rule results (from checkout or the last re-check).
	Rules []RuleResult
	// LatePayments counts payments dated after their deadline; MismatchedPayments those whose
	// amount differed from what was due.
	LatePayments       int
	MismatchedPayments int
	// WasDisputed and WasClosedShort say whether the order's history has a dispute or a
	// closing short, whatever its state now (a resolved dispute, an invoiced rest).
	WasDisputed    bool
	WasClosedShort bool
	// SellerSpend is what the unit bought from the order's seller in the order's fiscal year
	// and UnitSpend what it bought in total, both without withdrawn orders (State.Withdrawn).
	SellerSpend Rupiah
	UnitSpend   Rupiah
	// UnitPurchases counts the unit's purchases in the order's fiscal year (without withdrawn
	// orders), this one included.
	UnitPurchases int
}

// RedFlags returns the red flags of an order, in the order of RedFlagCodes, under policy p
// (NearCapPercent, ConcentrationPercent, and Cap unless the facts carry the order's own). A
// withdrawn order — rejected, declined, cancelled or expired — carries none: nothing was bought.
func RedFlags(f OrderFlagFacts, p Policy) []RedFlag {
	if f.State.Withdrawn() {
		return nil
	}
	var out []RedFlag
	add := func(flag RedFlag, on bool) {
		if on {
			out = append(out, flag)
		}
	}
	add(FlagSplit, slices.ContainsFunc(f.Rules, func(r RuleResult) bool {
		return r.Code == RuleSplit && (r.Severity == SeverityWarning || r.Severity == SeverityBlock)
	}))
	add(FlagPrice, slices.ContainsFunc(f.Rules, func(r RuleResult) bool {
		return r.Code == RulePrice && r.Severity == SeverityWarning
	}))
	limit := f.Cap
	if limit <= 0 {
		limit = p.Cap
	}
	add(FlagNearCap, NearCap(f.Total, limit, p.NearCapPercent))
	add(FlagLatePayment, f.LatePayments > 0)
	add(FlagPaymentMismatch, f.MismatchedPayments > 0)
	add(FlagDisputed, f.State == StateDisputed || f.DisputedFrom != "" || f.WasDisputed)
	add(FlagClosedShort, f.State == StateClosedShort || f.WasClosedShort)
	add(FlagConcentration, f.UnitPurchases >= ConcentrationFlagMinPurchases && ShareAbove(f.SellerSpend, f.UnitSpend, p.ConcentrationPercent))
	return out
}

// NearCap reports whether total lies within pct percent below limit or at it: limit × (100 −
// pct) / 100 ≤ total ≤ limit, computed without rounding or overflow. pct 0 (the policy's off
// switch) and a non-positive limit never flag.
func NearCap(total, limit Rupiah, pct int) bool {
	if pct <= 0 || limit <= 0 || total <= 0 || total > limit {
		return false
	}
	return !greaterProduct(limit, int64(100-min(pct, 100)), total, 100)
}

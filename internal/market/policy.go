package market

import (
	"fmt"
	"time"
)

// Policy holds the values of the accountability rules that the platform admin (UKPBJ) may change.
// They are configuration, not code: every change is audited by the caller, and every order
// records the Policy it was checked against (hence the JSON tags, which are stable names).
type Policy struct {
	// Cap is the highest total (goods + shipping + PPN) of one order.
	Cap Rupiah `json:"cap"`
	// NearCapPercent is how far (in percent) below the cap an order's total raises the auditor's
	// near-cap red flag (FlagNearCap); 0 turns the flag off.
	NearCapPercent int `json:"near_cap_percent"`
	// SplitWindowDays is the length of the rolling window of the split-purchase rule.
	SplitWindowDays int `json:"split_window_days"`
	// SplitSeverity says what a split purchase is: SeverityWarning (needs a written
	// justification) or SeverityBlock.
	SplitSeverity Severity `json:"split_severity"`
	// PriceThresholdPercent is how far (in percent) a unit price may rise above the category's
	// reference price before it is flagged.
	PriceThresholdPercent int `json:"price_threshold_percent"`
	// PriceMinOrders is how many approved orders a leaf category needs before their median
	// replaces the median of approved listings as the price reference.
	PriceMinOrders int `json:"price_min_orders"`
	// PriceLookbackDays is how far back approved orders count for the price reference.
	PriceLookbackDays int `json:"price_lookback_days"`
	// ConcentrationPercent is the share of the unit's spend this year above which one seller
	// triggers the concentration nudge.
	ConcentrationPercent int `json:"concentration_percent"`
	// ConcentrationSuggestions is how many other UMK the nudge suggests at most.
	ConcentrationSuggestions int `json:"concentration_suggestions"`
	// ApprovalTimeoutDays is how long an order may wait for the PPK before it expires.
	ApprovalTimeoutDays int `json:"approval_timeout_days"`
	// AcceptanceTimeoutDays is how long an approved order may wait for the seller before it expires.
	AcceptanceTimeoutDays int `json:"acceptance_timeout_days"`
	// PaymentDeadlineDays is how many calendar days the treasurer has to pay after a complete invoice.
	PaymentDeadlineDays int `json:"payment_deadline_days"`
}

// MaxPolicyCap is the highest Cap that Validate accepts: Rp200.000.000, the pengadaan langsung
// limit for goods (Perpres 46/2025). Above it a purchase is no longer a direct purchase.
const MaxPolicyCap Rupiah = 200_000_000

// MaxNearCapPercent is the highest NearCapPercent that Validate accepts: a band wider than half
// the cap would flag ordinary orders, not bunching under the threshold.
const MaxNearCapPercent = 50

// DefaultPolicy returns the defaults of DESIGN.md: cap Rp50.000.000 (orders within 5% below it
// red-flagged for the auditor), split window 30 days as a warning, price threshold 50% with 5
// orders over 180 days, concentration 30% with 3 suggestions, approval timeout 7 days,
// acceptance timeout 3 days, payment deadline 7 days.
func DefaultPolicy() Policy {
	return Policy{
		Cap:                      50_000_000,
		NearCapPercent:           5,
		SplitWindowDays:          30,
		SplitSeverity:            SeverityWarning,
		PriceThresholdPercent:    50,
		PriceMinOrders:           5,
		PriceLookbackDays:        180,
		ConcentrationPercent:     30,
		ConcentrationSuggestions: 3,
		ApprovalTimeoutDays:      7,
		AcceptanceTimeoutDays:    3,
		PaymentDeadlineDays:      7,
	}
}

// Validate checks every value and returns nil or a CodeInvalid *Error whose Fields (keyed by
// the JSON names) say in Bahasa Indonesia what is wrong.
func (p Policy) Validate() error {
	f := FieldErrors{}
	if p.Cap <= 0 || p.Cap > MaxPolicyCap {
		f.Add("cap", fmt.Sprintf("Batas nilai pesanan harus lebih dari Rp0 dan paling banyak %s.", MaxPolicyCap))
	}
	if p.NearCapPercent < 0 || p.NearCapPercent > MaxNearCapPercent {
		f.Add("near_cap_percent", fmt.Sprintf("Ambang tanda dekat batas harus antara 0%% dan %d%% (0 mematikan tanda ini).", MaxNearCapPercent))
	}
	if p.SplitSeverity != SeverityWarning && p.SplitSeverity != SeverityBlock {
		f.Add("split_severity", "Pemecahan pembelian harus berupa peringatan (warning) atau blokir (block).")
	}
	days := []struct {
		field, label string
		v, max       int
	}{
		{"split_window_days", "Jangka waktu pemeriksaan pemecahan pembelian", p.SplitWindowDays, 366},
		{"price_lookback_days", "Jangka waktu harga acuan", p.PriceLookbackDays, 730},
		{"approval_timeout_days", "Batas waktu persetujuan PPK", p.ApprovalTimeoutDays, 90},
		{"acceptance_timeout_days", "Batas waktu penerimaan pesanan oleh penyedia", p.AcceptanceTimeoutDays, 90},
		{"payment_deadline_days", "Batas waktu pembayaran", p.PaymentDeadlineDays, 90},
	}
	for _, d := range days {
		if d.v < 1 || d.v > d.max {
			f.Add(d.field, fmt.Sprintf("%s harus antara 1 dan %d hari.", d.label, d.max))
		}
	}
	if p.PriceThresholdPercent < 1 || p.PriceThresholdPercent > 1000 {
		f.Add("price_threshold_percent", "Ambang harga acuan harus antara 1% dan 1000%.")
	}
	if p.PriceMinOrders < 1 || p.PriceMinOrders > 1000 {
		f.Add("price_min_orders", "Jumlah minimum pesanan untuk harga acuan harus antara 1 dan 1000.")
	}
	if p.ConcentrationPercent < 1 || p.ConcentrationPercent > 100 {
		f.Add("concentration_percent", "Ambang konsentrasi belanja harus antara 1% dan 100%.")
	}
	if p.ConcentrationSuggestions < 0 || p.ConcentrationSuggestions > 10 {
		f.Add("concentration_suggestions", "Jumlah saran UMK lain harus antara 0 dan 10.")
	}
	return f.Err()
}

// SplitWindow returns the split-purchase window as a duration.
func (p Policy) SplitWindow() time.Duration { return durationDays(p.SplitWindowDays) }

// PriceLookback returns the price-reference lookback as a duration.
func (p Policy) PriceLookback() time.Duration { return durationDays(p.PriceLookbackDays) }

// PaymentDue returns when a payment is due for an invoice that became complete at t.
func (p Policy) PaymentDue(t time.Time) time.Time { return t.Add(durationDays(p.PaymentDeadlineDays)) }

// PaidLate reports whether a payment dated paidOn — a calendar day, as its midnight in the
// instance's time zone — misses the deadline due (from PaymentDue): it does when its day is
// after the deadline's day, which is exactly when its midnight is after due, whenever the
// payment was recorded. No deadline (zero) is never missed.
func PaidLate(paidOn, due time.Time) bool {
	return !due.IsZero() && paidOn.After(due)
}

func durationDays(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

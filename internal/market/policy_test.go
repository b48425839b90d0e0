package market

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(p *Policy)
		fields []string // fields expected in the error, none for valid
	}{
		{name: "defaults are valid", edit: func(*Policy) {}},
		{name: "split as block is valid", edit: func(p *Policy) { p.SplitSeverity = SeverityBlock }},
		{name: "cap at the pengadaan langsung limit", edit: func(p *Policy) { p.Cap = MaxPolicyCap }},
		{name: "zero cap", edit: func(p *Policy) { p.Cap = 0 }, fields: []string{"cap"}},
		{name: "cap above the limit", edit: func(p *Policy) { p.Cap = MaxPolicyCap + 1 }, fields: []string{"cap"}},
		{name: "info is no split severity", edit: func(p *Policy) { p.SplitSeverity = SeverityInfo }, fields: []string{"split_severity"}},
		{name: "empty split severity", edit: func(p *Policy) { p.SplitSeverity = "" }, fields: []string{"split_severity"}},
		{name: "zero window", edit: func(p *Policy) { p.SplitWindowDays = 0 }, fields: []string{"split_window_days"}},
		{name: "zero lookback", edit: func(p *Policy) { p.PriceLookbackDays = 0 }, fields: []string{"price_lookback_days"}},
		{name: "negative timeouts", edit: func(p *Policy) {
			p.ApprovalTimeoutDays, p.AcceptanceTimeoutDays, p.PaymentDeadlineDays = -1, 0, 91
		}, fields: []string{"acceptance_timeout_days", "approval_timeout_days", "payment_deadline_days"}},
		{name: "bad thresholds", edit: func(p *Policy) {
			p.PriceThresholdPercent, p.PriceMinOrders, p.ConcentrationPercent, p.ConcentrationSuggestions = 0, 0, 101, 11
		}, fields: []string{"concentration_percent", "concentration_suggestions", "price_min_orders", "price_threshold_percent"}},
		{name: "no suggestions is valid", edit: func(p *Policy) { p.ConcentrationSuggestions = 0 }},
		{name: "zero policy", edit: func(p *Policy) { *p = Policy{} }, fields: []string{
			"acceptance_timeout_days", "approval_timeout_days", "cap", "concentration_percent",
			"payment_deadline_days", "price_lookback_days", "price_min_orders", "price_threshold_percent",
			"split_severity", "split_window_days",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			tt.edit(&p)
			err := p.Validate()
			var got []string
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Code != CodeInvalid {
					t.Fatalf("Validate() = %v, want a CodeInvalid *Error", err)
				}
				for f, msg := range e.Fields {
					if msg == "" {
						t.Errorf("field %s has an empty message", f)
					}
					got = append(got, f)
				}
			}
			if diff := cmp.Diff(tt.fields, got, sortStrings); diff != "" {
				t.Errorf("fields in error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPolicyDurations(t *testing.T) {
	p := DefaultPolicy()
	t0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	got := []time.Time{t0.Add(p.SplitWindow()), t0.Add(p.PriceLookback()), p.PaymentDue(t0)}
	want := []time.Time{
		time.Date(2025, 3, 31, 10, 0, 0, 0, time.UTC),
		time.Date(2025, 8, 28, 10, 0, 0, 0, time.UTC),
		time.Date(2025, 3, 8, 10, 0, 0, 0, time.UTC),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("durations (-want +got):\n%s", diff)
	}
}

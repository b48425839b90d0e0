package market

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cleanFacts are an order that raises no flag under DefaultPolicy: Rp10.000.000 (well below the
// Rp47.500.000 where the near-cap band starts), no warnings, payments on time and as due, a
// seller with 20% of the unit's 12 purchases.
func cleanFacts() OrderFlagFacts {
	return OrderFlagFacts{
		State: StateCompleted, Total: 10_000_000,
		Rules:       []RuleResult{{Code: RuleConcentration, Severity: SeverityInfo}},
		SellerSpend: 20_000_000, UnitSpend: 100_000_000, UnitPurchases: 12,
	}
}

func TestRedFlags(t *testing.T) {
	p := DefaultPolicy() // cap Rp50.000.000, near cap 5%, concentration 30%
	tests := []struct {
		name string
		edit func(f *OrderFlagFacts, p *Policy)
		want []RedFlag
	}{
		{name: "clean order", edit: func(*OrderFlagFacts, *Policy) {}},
		{name: "split warning", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.Rules = append(f.Rules, RuleResult{Code: RuleSplit, Severity: SeverityWarning})
		}, want: []RedFlag{FlagSplit}},
		{name: "split block", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.Rules = append(f.Rules, RuleResult{Code: RuleSplit, Severity: SeverityBlock})
		}, want: []RedFlag{FlagSplit}},
		{name: "a split info is no split", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.Rules = append(f.Rules, RuleResult{Code: RuleSplit, Severity: SeverityInfo})
		}},
		{name: "price warning", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.Rules = append(f.Rules, RuleResult{Code: RulePrice, Severity: SeverityWarning})
		}, want: []RedFlag{FlagPrice}},
		{name: "a cap block is neither split nor price", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.Rules = append(f.Rules, RuleResult{Code: RuleCap, Severity: SeverityBlock})
		}},
		{name: "exactly at the cap is near it", edit: func(f *OrderFlagFacts, _ *Policy) { f.Total = 50_000_000 }, want: []RedFlag{FlagNearCap}},
		{name: "exactly at the near-cap limit", edit: func(f *OrderFlagFacts, _ *Policy) { f.Total = 47_500_000 }, want: []RedFlag{FlagNearCap}},
		{name: "a rupiah below the near-cap limit", edit: func(f *OrderFlagFacts, _ *Policy) { f.Total = 47_499_999 }},
		{name: "above the cap is not near it", edit: func(f *OrderFlagFacts, _ *Policy) { f.Total = 50_000_001 }},
		{name: "near-cap off switch", edit: func(f *OrderFlagFacts, p *Policy) {
			f.Total, p.NearCapPercent = 49_000_000, 0
		}},
		{name: "a wider band", edit: func(f *OrderFlagFacts, p *Policy) {
			f.Total, p.NearCapPercent = 40_000_000, 20
		}, want: []RedFlag{FlagNearCap}},
		{name: "the order's own cap", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.Total, f.Cap = 19_500_000, 20_000_000
		}, want: []RedFlag{FlagNearCap}},
		{name: "the order's own cap rules out the current one", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.Total, f.Cap = 49_000_000, 100_000_000
		}},
		{name: "late payment", edit: func(f *OrderFlagFacts, _ *Policy) { f.LatePayments = 1 }, want: []RedFlag{FlagLatePayment}},
		{name: "payment mismatch", edit: func(f *OrderFlagFacts, _ *Policy) { f.MismatchedPayments = 2 }, want: []RedFlag{FlagPaymentMismatch}},
		{name: "disputed now", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.State, f.DisputedFrom = StateDisputed, StateShipped
		}, want: []RedFlag{FlagDisputed}},
		{name: "disputed state alone", edit: func(f *OrderFlagFacts, _ *Policy) { f.State = StateDisputed }, want: []RedFlag{FlagDisputed}},
		{name: "dispute resolved", edit: func(f *OrderFlagFacts, _ *Policy) { f.WasDisputed = true }, want: []RedFlag{FlagDisputed}},
		{name: "closed short", edit: func(f *OrderFlagFacts, _ *Policy) { f.State = StateClosedShort }, want: []RedFlag{FlagClosedShort}},
		{name: "closed short then invoiced", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.State, f.WasClosedShort = StateInvoiced, true
		}, want: []RedFlag{FlagClosedShort}},
		{name: "share above the threshold", edit: func(f *OrderFlagFacts, _ *Policy) { f.SellerSpend = 30_000_001 }, want: []RedFlag{FlagConcentration}},
		{name: "share exactly at the threshold", edit: func(f *OrderFlagFacts, _ *Policy) { f.SellerSpend = 30_000_000 }},
		{name: "a lower threshold", edit: func(f *OrderFlagFacts, p *Policy) { p.ConcentrationPercent = 19 }, want: []RedFlag{FlagConcentration}},
		{name: "too few purchases for a share", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.SellerSpend, f.UnitPurchases = 90_000_000, ConcentrationFlagMinPurchases-1
		}},
		{name: "just enough purchases for a share", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.SellerSpend, f.UnitPurchases = 90_000_000, ConcentrationFlagMinPurchases
		}, want: []RedFlag{FlagConcentration}},
		{name: "no purchases, no share", edit: func(f *OrderFlagFacts, _ *Policy) { f.SellerSpend, f.UnitSpend = 0, 0 }},
		{name: "every flag, in order", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.Rules = []RuleResult{{Code: RulePrice, Severity: SeverityWarning}, {Code: RuleSplit, Severity: SeverityWarning}}
			f.Total, f.LatePayments, f.MismatchedPayments, f.WasDisputed, f.WasClosedShort = 49_000_000, 1, 1, true, true
			f.State, f.SellerSpend = StatePaid, 90_000_000
		}, want: RedFlagCodes},
		{name: "a withdrawn order carries none", edit: func(f *OrderFlagFacts, _ *Policy) {
			f.Rules = []RuleResult{{Code: RuleSplit, Severity: SeverityWarning}}
			f.Total, f.WasDisputed, f.SellerSpend, f.State = 49_000_000, true, 90_000_000, StateCancelled
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, pol := cleanFacts(), p
			tt.edit(&f, &pol)
			if diff := cmp.Diff(tt.want, RedFlags(f, pol)); diff != "" {
				t.Errorf("flags (-want +got):\n%s", diff)
			}
		})
	}
	for _, st := range States {
		f := cleanFacts()
		f.State, f.LatePayments = st, 1
		if got := RedFlags(f, p); st.Withdrawn() != (len(got) == 0) {
			t.Errorf("state %s: flags %v", st, got)
		}
	}
}

func TestNearCapHasNoOverflow(t *testing.T) {
	const big = Rupiah(1 << 62)
	if !NearCap(big-1, big, 5) || NearCap(big/2, big, 5) {
		t.Error("near cap is wrong for large amounts")
	}
}

func TestRedFlagTextsAndParse(t *testing.T) {
	if len(RedFlagTexts()) != len(RedFlagCodes) {
		t.Errorf("%d texts for %d flags", len(RedFlagTexts()), len(RedFlagCodes))
	}
	for _, f := range RedFlagCodes {
		if !strings.HasSuffix(f.Explanation(), ".") {
			t.Errorf("%s: explanation %q", f, f.Explanation())
		}
		if got, err := ParseRedFlag(string(f)); err != nil || got != f {
			t.Errorf("ParseRedFlag(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseRedFlag("x"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown flag: %v", err)
	}
}

func TestPolicyNearCapPercent(t *testing.T) {
	for _, tt := range []struct {
		pct int
		ok  bool
	}{{-1, false}, {0, true}, {5, true}, {50, true}, {51, false}} {
		p := DefaultPolicy()
		p.NearCapPercent = tt.pct
		err := p.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("near cap %d%%: %v", tt.pct, err)
		}
		if err != nil {
			if _, ok := asError(err).Fields["near_cap_percent"]; !ok {
				t.Errorf("near cap %d%%: fields %v", tt.pct, asError(err).Fields)
			}
		}
	}
	if DefaultPolicy().NearCapPercent != 5 {
		t.Error("the default near-cap band is not 5%")
	}
}

func asError(err error) *Error {
	var e *Error
	errors.As(err, &e)
	return e
}

func TestCaseVocabulary(t *testing.T) {
	for _, c := range CaseConclusions {
		if got, err := ParseCaseConclusion(string(c)); err != nil || got != c || c.Label() == string(c) {
			t.Errorf("conclusion %s: %q %v %q", c, got, err, c.Label())
		}
	}
	if _, err := ParseCaseConclusion("guilty"); asError(err) == nil || asError(err).Fields["conclusion"] == "" {
		t.Errorf("unknown conclusion: %v", err)
	}
	if ConclusionAdministrative.Label() != "Temuan administratif" {
		t.Errorf("label %q", ConclusionAdministrative.Label())
	}
	for _, tt := range []struct {
		in string
		ok bool
	}{{"", false}, {"   ", false}, {strings.Repeat("é", MaxCaseTitle), true}, {strings.Repeat("é", MaxCaseTitle+1), false}} {
		if _, err := CaseTitle(tt.in); (err == nil) != tt.ok {
			t.Errorf("title of %d runes: %v", len([]rune(tt.in)), err)
		}
	}
	for _, tt := range []struct {
		in string
		ok bool
	}{{"", false}, {"\n", false}, {" ada ", true}, {strings.Repeat("a", MaxCaseBody), true}, {strings.Repeat("a", MaxCaseBody+1), false}} {
		got, err := CaseBody("note", tt.in)
		if (err == nil) != tt.ok || (err != nil && asError(err).Fields["note"] == "") || (err == nil && got != strings.TrimSpace(tt.in)) {
			t.Errorf("body of %d runes: %q %v", len(tt.in), got, err)
		}
	}
}

package market

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Every explanation takes its arguments and nothing else is left unformatted, and every result
// the rules return carries the key and arguments that rebuild its explanation.
func TestRuleTextsAreWhole(t *testing.T) {
	for key, format := range RuleTexts() {
		n := TextArgs(format)
		if n < 0 {
			t.Errorf("%s: no argument count formats %q", key, format)
			continue
		}
		args := make([]any, n)
		for i := range args {
			args[i] = fmt.Sprintf("‹%d›", i)
		}
		out := fmt.Sprintf(format, args...)
		for _, a := range args {
			if !strings.Contains(out, a.(string)) {
				t.Errorf("%s: argument %s unused in %q", key, a, out)
			}
		}
	}
	if n := len(RuleTexts()); n < 20+len(conflictOfficials)*len(conflictLinks) {
		t.Errorf("only %d rule texts", n)
	}
}

func TestFindingsCarryTheirKey(t *testing.T) {
	results := append(CheckTreasurer(7, 7, "UD Sinar", []SellerLink{{UserID: 7, Kind: LinkOwner}}),
		CheckEligibility(CheckInput{Seller: CheckSeller{Name: "UD Sinar"}, Lines: []CheckLine{{Name: "Kertas", Quantity: 5, MinQuantity: 10, Stock: 2, UnitOfMeasure: "rim"}}})...)
	if len(results) < 5 {
		t.Fatalf("want at least 5 findings, got %v", results)
	}
	for _, r := range results {
		format, ok := RuleTexts()[r.Key]
		if !ok {
			t.Errorf("%+v: unknown key", r)
			continue
		}
		if got := FillText(format, r.Args); got != r.Explanation || TextArgs(format) != len(r.Args) {
			t.Errorf("%s with %q gives %q, explanation %q", r.Key, r.Args, got, r.Explanation)
		}
	}
	if r := results[1]; r.Key != "conflict.treasurer.owner" || r.Explanation != "Bendahara tercatat sebagai pemilik dengan penyedia UD Sinar, sehingga ada benturan kepentingan. Pembayaran dicatat bendahara lain." {
		t.Errorf("treasurer conflict: %+v", r)
	}
	if r := results[len(results)-1]; r.Key != "eligibility.stock" || strings.Join(r.Args, "|") != "Kertas|2|rim|5" {
		t.Errorf("stock finding: %+v", r)
	}
}

// Every tax text takes its arguments, every key is reached by some invoice, and every line
// carries the key and arguments that rebuild its label and explanation.
func TestTaxLinesCarryTheirKey(t *testing.T) {
	texts := TaxTexts()
	for key, text := range texts {
		if n := TextArgs(text[1]); n < 0 || text[0] == "" {
			t.Errorf("%s: no label, or no argument count formats %q", key, text[1])
		}
	}
	seen := map[string]bool{}
	for _, goods := range []Rupiah{500_000, 2_500_000, 40_000_000} {
		for _, kind := range []CategoryKind{CategoryGoods, CategoryService} {
			for mask := range 128 {
				in := TaxInput{Goods: goods, Shipping: Rupiah(mask%2) * 25_000, Kind: kind, Catering: mask&1 != 0, PBJTTaxpayer: mask&3 == 3,
					PKP: mask&4 != 0, HasNPWP: mask&12 != 0 || mask&16 != 0, PP55Valid: mask&16 != 0, Individual: mask&32 != 0,
					PaymentDate: time.Date(2026-mask/64*2, 3, 1, 0, 0, 0, 0, time.UTC)} // before 2025 DPP is the price
				out, err := TaxBreakdown(in)
				if err != nil {
					t.Fatalf("%+v: %v", in, err)
				}
				for _, l := range out.Lines {
					seen[l.Key] = true
					text := texts[l.Key]
					if got := FillText(text[1], l.Args); got != l.Explanation || text[0] != l.Label || TextArgs(text[1]) != len(l.Args) {
						t.Errorf("%s with %q gives %q %q, line %q %q", l.Key, l.Args, text[0], got, l.Label, l.Explanation)
					}
				}
			}
		}
	}
	for key := range texts {
		if !seen[key] {
			t.Errorf("no invoice gives a line %s", key)
		}
	}
}

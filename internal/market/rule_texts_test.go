package market

import (
	"fmt"
	"strings"
	"testing"
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
		args := make([]any, len(r.Args))
		for i, a := range r.Args {
			args[i] = a
		}
		if got := fmt.Sprintf(format, args...); got != r.Explanation || TextArgs(format) != len(r.Args) {
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

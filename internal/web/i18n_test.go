package web

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"bela/internal/market"
)

func TestCatalogueLanguagesHaveTheSameKeys(t *testing.T) {
	for key := range catalogue["id"] {
		if _, ok := catalogue["en"][key]; !ok {
			t.Errorf("%q missing in English", key)
		}
	}
	for key := range catalogue["en"] {
		if _, ok := catalogue["id"][key]; !ok {
			t.Errorf("%q missing in Bahasa Indonesia", key)
		}
	}
}

func TestCatalogueKeysDefinedOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range catalogues {
		for key := range c["id"] {
			if seen[key] {
				t.Errorf("%q defined in two catalogues", key)
			}
			seen[key] = true
		}
	}
}

// The English rule explanations have the keys of market.RuleTexts, each using the same
// arguments.
func TestRuleTextsInEnglishMatchTheRules(t *testing.T) {
	id := market.RuleTexts()
	if a, b := slices.Sorted(maps.Keys(id)), slices.Sorted(maps.Keys(ruleTextsEN)); !slices.Equal(a, b) {
		t.Errorf("keys differ:\nid %q\nen %q", a, b)
	}
	for key, format := range ruleTextsEN {
		n := market.TextArgs(format)
		if want := market.TextArgs(id[key]); n != want {
			t.Errorf("%s: %d arguments in English, %d in Bahasa Indonesia", key, n, want)
			continue
		}
		args := make([]string, n)
		for i := range args {
			args[i] = fmt.Sprintf("‹%d›", i)
		}
		out := ruleText("en", market.RuleResult{Explanation: "stored", Key: key, Args: args})
		for _, a := range args {
			if !strings.Contains(out, a) {
				t.Errorf("%s: argument %s unused in %q", key, a, out)
			}
		}
	}
	stored := market.RuleResult{Code: market.RuleCap, Explanation: "Total pesanan melebihi batas."}
	if got := ruleText("en", stored); got != stored.Explanation {
		t.Errorf("a result stored without a key shows %q", got)
	}
	keyed := market.RuleResult{Explanation: "Kode RUP 1 bukan milik unit kerja Anda.", Key: "budget.unit", Args: []string{"1"}}
	if got := ruleText("id", keyed); got != keyed.Explanation {
		t.Errorf("in Bahasa Indonesia: %q", got)
	}
	if got := ruleText("en", keyed); got != "Kode RUP 1 does not belong to your work unit." {
		t.Errorf("in English: %q", got)
	}
}

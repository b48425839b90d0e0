package web

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

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
	sameTexts(t, market.RuleTexts(), ruleTextsEN, func(key string, args []string) string {
		return ruleText("en", market.RuleResult{Explanation: "stored", Key: key, Args: args})
	})
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

// The English tax lines have the keys of market.TaxTexts, each with a label and using the same
// arguments; a line computed today reads in English.
func TestTaxTextsInEnglishMatchTheTaxes(t *testing.T) {
	id, en := map[string]string{}, map[string]string{}
	for key, text := range market.TaxTexts() {
		id[key] = text[1]
	}
	for key, text := range taxTextsEN {
		en[key] = text[1]
		if text[0] == "" {
			t.Errorf("%s: no English label", key)
		}
	}
	sameTexts(t, id, en, func(key string, args []string) string {
		return taxText("en", market.TaxLine{Explanation: "stored", Key: key, Args: args})
	})
	taxes, err := market.TaxBreakdown(market.TaxInput{Goods: 3_000_000, Kind: market.CategoryGoods, HasNPWP: true,
		PaymentDate: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range taxes.Lines {
		got = append(got, taxLabel("en", l)+": "+taxText("en", l))
		if taxLabel("id", l) != l.Label || taxText("id", l) != l.Explanation {
			t.Errorf("in Bahasa Indonesia %s reads %q", l.Key, taxText("id", l))
		}
	}
	want := "PPh Pasal 22 (income tax): A purchase of goods with an order value of Rp3.000.000 (without PPN) above Rp2.000.000: " +
		"the treasurer withholds PPh Pasal 22 of 1,5% of the price without PPN, Rp3.000.000."
	if !slices.Contains(got, want) {
		t.Errorf("English lines %q lack %q", got, want)
	}
}

// sameTexts checks that en has the keys of id, each format taking as many arguments, and that
// fill (the English rendering of a key with arguments) uses every argument.
func sameTexts(t *testing.T, id, en map[string]string, fill func(key string, args []string) string) {
	t.Helper()
	if a, b := slices.Sorted(maps.Keys(id)), slices.Sorted(maps.Keys(en)); !slices.Equal(a, b) {
		t.Errorf("keys differ:\nid %q\nen %q", a, b)
	}
	for key, format := range en {
		n := market.TextArgs(format)
		if want := market.TextArgs(id[key]); n != want {
			t.Errorf("%s: %d arguments in English, %d in Bahasa Indonesia", key, n, want)
			continue
		}
		args := make([]string, n)
		for i := range args {
			args[i] = fmt.Sprintf("‹%d›", i)
		}
		out := fill(key, args)
		for _, a := range args {
			if !strings.Contains(out, a) {
				t.Errorf("%s: argument %s unused in %q", key, a, out)
			}
		}
	}
}

func TestEveryRoleHasAnEnglishName(t *testing.T) {
	for _, r := range market.Roles {
		if roleNamesEN[r] == "" {
			t.Errorf("role %s has no English name in roleNamesEN", r)
		}
	}
}

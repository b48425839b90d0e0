package web

import (
	"testing"

	"bela/internal/market"
)

// Every red flag has its English explanation and a short name in both languages; every case
// conclusion a name in both, the Indonesian one market's label.
func TestRedFlagAndCaseTexts(t *testing.T) {
	id := market.RedFlagTexts()
	for f := range id {
		if redFlagTextsEN[f] == "" {
			t.Errorf("flag %s has no English explanation", f)
		}
	}
	for f := range redFlagTextsEN {
		if _, ok := id[f]; !ok {
			t.Errorf("redFlagTextsEN explains %s, which is no flag", f)
		}
	}
	for _, f := range market.RedFlagCodes {
		for _, lang := range []string{"id", "en"} {
			if _, ok := catalogue[lang]["flag."+string(f)]; !ok {
				t.Errorf("flag %s has no name in %s", f, lang)
			}
		}
		if flagText("en", f) == f.Explanation() || flagText("id", f) != f.Explanation() {
			t.Errorf("flag %s: %q / %q", f, flagText("id", f), flagText("en", f))
		}
	}
	for _, c := range market.CaseConclusions {
		if got := translate("id", "conclusion."+string(c)); got != c.Label() {
			t.Errorf("conclusion %s reads %q, market says %q", c, got, c.Label())
		}
		if _, ok := catalogue["en"]["conclusion."+string(c)]; !ok {
			t.Errorf("conclusion %s has no English name", c)
		}
	}
}

package web

import "testing"

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

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

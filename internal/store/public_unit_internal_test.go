package store

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
)

// The categories after the first ten add up to one row, which keeps their lines and value.
func TestUnitCategoriesFoldTheRest(t *testing.T) {
	var cats []PublicUnitCategory
	for i := range 13 {
		cats = append(cats, PublicUnitCategory{Code: fmt.Sprintf("01.01.%02d", i), Categories: 1, Lines: i + 1, Value: market.Rupiah(1000 * (i + 1))})
	}
	got := unitCategories(cats)
	if len(got) != TopCategories+1 || got[0].Code != "01.01.12" || got[TopCategories-1].Code != "01.01.03" {
		t.Fatalf("categories = %+v", got)
	}
	want := PublicUnitCategory{Other: true, Categories: 3, Lines: 1 + 2 + 3, Value: 1000 + 2000 + 3000}
	if diff := cmp.Diff(want, got[TopCategories]); diff != "" {
		t.Errorf("the rest (-want +got):\n%s", diff)
	}
	if got := unitCategories(cats[:TopCategories]); len(got) != TopCategories || got[TopCategories-1].Other {
		t.Errorf("ten categories = %+v", got)
	}
}

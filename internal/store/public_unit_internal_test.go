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

// A share exactly at the threshold is not above it; one rupiah more is.
func TestAboveShare(t *testing.T) {
	for _, tc := range []struct {
		part, whole market.Rupiah
		percent     int
		want        bool
	}{
		{30, 100, 30, false},
		{31, 100, 30, true},
		{300_000_001, 1_000_000_000, 30, true},
		{1 << 62, 1 << 62, 100, false},
		{1<<62 + 1, 1 << 62, 100, true},
		{0, 0, 30, false},
	} {
		if got := aboveShare(tc.part, tc.whole, tc.percent); got != tc.want {
			t.Errorf("aboveShare(%d, %d, %d) = %v", tc.part, tc.whole, tc.percent, got)
		}
	}
}

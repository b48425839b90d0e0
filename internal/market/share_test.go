package market

import "testing"

// A share exactly at the threshold is not above it; one rupiah more is.
func TestShareAbove(t *testing.T) {
	for _, tc := range []struct {
		part, whole Rupiah
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
		if got := ShareAbove(tc.part, tc.whole, tc.percent); got != tc.want {
			t.Errorf("ShareAbove(%d, %d, %d) = %v", tc.part, tc.whole, tc.percent, got)
		}
	}
}

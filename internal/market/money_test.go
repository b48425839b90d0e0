package market

import (
	"math"
	"testing"
)

func TestNumberFormats(t *testing.T) {
	for _, tc := range []struct {
		n             int64
		digits, money string
	}{
		{0, "0", "Rp0"},
		{999, "999", "Rp999"},
		{1000, "1.000", "Rp1.000"},
		{1_250_000, "1.250.000", "Rp1.250.000"},
		{-5000, "-5.000", "-Rp5.000"},
		{math.MinInt64, "-9.223.372.036.854.775.808", "-Rp9.223.372.036.854.775.808"},
		{math.MaxInt64, "9.223.372.036.854.775.807", "Rp9.223.372.036.854.775.807"},
	} {
		if got := GroupDigits(tc.n); got != tc.digits {
			t.Errorf("GroupDigits(%d) = %q, want %q", tc.n, got, tc.digits)
		}
		if got := Rupiah(tc.n).String(); got != tc.money {
			t.Errorf("Rupiah(%d) = %q, want %q", tc.n, got, tc.money)
		}
	}
}

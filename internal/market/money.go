package market

import "strconv"

// Rupiah is an amount of money in whole rupiah. All money in Bela is int64 rupiah.
type Rupiah int64

// String formats the amount the Indonesian way: Rp1.250.000, -Rp5.000.
func (r Rupiah) String() string { return formatNumber(int64(r), "Rp") }

// GroupDigits writes a number the Indonesian way, with a dot between groups of three digits:
// 1.000.000, -5.000.
func GroupDigits(n int64) string { return formatNumber(n, "") }

// formatNumber writes n with its digits grouped by dots, the sign first, then prefix.
func formatNumber(n int64, prefix string) string {
	neg := n < 0
	var u uint64
	if neg {
		u = uint64(-(n + 1)) + 1
	} else {
		u = uint64(n)
	}
	s := strconv.FormatUint(u, 10)
	out := make([]byte, 0, len(s)+len(s)/3+len(prefix)+1)
	if neg {
		out = append(out, '-')
	}
	out = append(out, prefix...)
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, c)
	}
	return string(out)
}

package market

import (
	"errors"
	"strconv"
	"strings"
)

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

// ErrNotNumber is the cause (see errors.Is) of ParseRupiah's error when the text holds no
// number at all — empty, or words — so that a form can answer with its own message naming the
// field.
var ErrNotNumber = errors.New("not a number")

// ParseRupiah reads a whole rupiah amount as people and spreadsheets write it, the one parser
// of typed and imported money:
//
//   - an optional "Rp" or "Rp." (any case) and spaces around the number: "Rp 1.250.000";
//   - dots separate thousands, and only when every group after the first has exactly three
//     digits: "1.250.000" (never "1.25.000" or "1250.000");
//   - a comma starts the decimals, the Indonesian way; one or two zeros (",0", ",00") or ",-"
//     are dropped ("1.250.000,00", "Rp55.000,-"), other decimals are refused, as rupiah has no
//     sen;
//   - one dot followed by one or two zeros after plain digits ("2000000.00", "55000.0": how an
//     English-language spreadsheet or a raw XLSX number cell writes a whole number) is read as
//     zero decimals, because no other reading of it exists; a dot followed by one or two other
//     digits ("1.5", "2000000.50") is refused, never guessed at (it is neither Rp15 nor
//     Rp1.500);
//   - negative amounts and amounts beyond int64 are refused.
//
// Range checks (at least, at most) are the caller's. The error is a CodeInvalid *Error without
// fields whose Message (Bahasa Indonesia) says what is wrong with the number, for the caller
// to attach to its field; when s holds no number at all, errors.Is(err, ErrNotNumber) holds.
func ParseRupiah(s string) (Rupiah, error) {
	r, msg := parseRupiah(s)
	if msg == "" {
		return r, nil
	}
	e := &Error{Code: CodeInvalid, Message: msg}
	if r < 0 {
		e.Err = ErrNotNumber
	}
	return 0, e
}

// parseRupiah is ParseRupiah with its message; a failure with no number at all is marked by
// the amount -1.
func parseRupiah(s string) (Rupiah, string) {
	const (
		notNumber  = "Tulis jumlah rupiah dengan angka, misalnya 1.250.000."
		negative   = "Jumlah rupiah tidak boleh negatif."
		tooLarge   = "Jumlah rupiah terlalu besar."
		groups     = "Titik memisahkan ribuan dalam kelompok tiga angka, misalnya 1.250.000."
		dotDecimal = "Tulis rupiah tanpa desimal, misalnya 2.000.000: titik hanya pemisah ribuan."
		noSen      = "Rupiah tanpa sen: angka di belakang koma harus nol, misalnya 2.000.000 atau 2.000.000,00."
		comma      = "Koma memulai desimal; tulis ribuan dengan titik, misalnya 1.250.000."
	)
	s = strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, strings.TrimSpace(s[1:])
	}
	if len(s) >= 2 && strings.EqualFold(s[:2], "rp") {
		s = strings.TrimSpace(strings.TrimPrefix(s[2:], "."))
	}
	if strings.HasPrefix(s, "-") {
		neg, s = true, strings.TrimSpace(s[1:])
	}
	whole, frac, hasComma := strings.Cut(s, ",")
	if whole == "" || strings.Trim(whole, "0123456789.") != "" {
		return -1, notNumber
	}
	if hasComma && frac != "-" {
		switch {
		case len(frac) == 0 || len(frac) > 2 || !asciiDigits(frac):
			return 0, comma
		case strings.Trim(frac, "0") != "":
			return 0, noSen
		}
	}
	if strings.Contains(whole, ".") {
		parts := strings.Split(whole, ".")
		last := parts[len(parts)-1]
		switch {
		case len(last) == 1 || len(last) == 2:
			if hasComma || len(parts) != 2 || parts[0] == "" || strings.Trim(last, "0") != "" {
				return 0, dotDecimal
			}
			whole = parts[0]
		default:
			if len(parts[0]) < 1 || len(parts[0]) > 3 {
				return 0, groups
			}
			for _, p := range parts[1:] {
				if len(p) != 3 {
					return 0, groups
				}
			}
			whole = strings.Join(parts, "")
		}
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return 0, tooLarge
	case err != nil:
		return -1, notNumber
	case neg:
		return 0, negative
	}
	return Rupiah(n), ""
}

// ParseRupiahField is ParseRupiah for one form field or sheet cell: it returns the amount, or
// the message to show there — notNumber, the caller's own message naming the field, when s
// holds no number at all, otherwise ParseRupiah's, which says what is wrong with the number
// (decimals, separators, sign, size).
func ParseRupiahField(s, notNumber string) (Rupiah, string) {
	r, msg := parseRupiah(s)
	switch {
	case msg == "":
		return r, ""
	case r < 0:
		return 0, notNumber
	}
	return 0, msg
}

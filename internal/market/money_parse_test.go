package market

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseRupiah(t *testing.T) {
	const (
		notNumber  = "Tulis jumlah rupiah dengan angka, misalnya 1.250.000."
		negative   = "Jumlah rupiah tidak boleh negatif."
		tooLarge   = "Jumlah rupiah terlalu besar."
		groups     = "Titik memisahkan ribuan dalam kelompok tiga angka, misalnya 1.250.000."
		dotDecimal = "Tulis rupiah tanpa desimal, misalnya 2.000.000: titik hanya pemisah ribuan."
		noSen      = "Rupiah tanpa sen: angka di belakang koma harus nol, misalnya 2.000.000 atau 2.000.000,00."
		comma      = "Koma memulai desimal; tulis ribuan dengan titik, misalnya 1.250.000."
	)
	tests := []struct {
		name, in string
		want     Rupiah
		msg      string // "" when the amount is read
	}{
		{name: "digits", in: "1250000", want: 1_250_000},
		{name: "zero", in: "0", want: 0},
		{name: "thousands dots", in: "1.250.000", want: 1_250_000},
		{name: "one group", in: "55.000", want: 55_000},
		{name: "Rp prefix", in: "Rp1.250.000", want: 1_250_000},
		{name: "Rp and space", in: " Rp 55.000 ", want: 55_000},
		{name: "Rp. prefix", in: "Rp. 55.000", want: 55_000},
		{name: "lower-case rp", in: "rp55000", want: 55_000},
		{name: "no-break space", in: "Rp\u00a055.000", want: 55_000},
		{name: "comma zeros", in: "2.000.000,00", want: 2_000_000},
		{name: "comma one zero", in: "Rp 55.000,0", want: 55_000},
		{name: "comma dash", in: "Rp55.000,-", want: 55_000},
		{name: "plain digits comma zeros", in: "10000,00", want: 10_000},
		{name: "dot zeros after plain digits", in: "2000000.00", want: 2_000_000},
		{name: "xlsx number cell", in: "55000.0", want: 55_000},
		{name: "policy cap typed with dot zeros", in: "500000.00", want: 500_000},
		{name: "largest", in: "9223372036854775807", want: math.MaxInt64},
		{name: "largest grouped", in: "9.223.372.036.854.775.807", want: math.MaxInt64},

		{name: "empty", in: "", msg: notNumber},
		{name: "only Rp", in: "Rp ", msg: notNumber},
		{name: "words", in: "sepuluh juta", msg: notNumber},
		{name: "inner space", in: "1 250 000", msg: notNumber},
		{name: "plus sign", in: "+5000", msg: notNumber},
		{name: "comma first", in: ",50", msg: notNumber},
		{name: "one decimal", in: "1.5", msg: dotDecimal},
		{name: "dot cents", in: "2000000.50", msg: dotDecimal},
		{name: "grouped then dot zeros", in: "1.000.00", msg: dotDecimal},
		{name: "dot zeros then comma", in: "2000000.00,00", msg: dotDecimal},
		{name: "dot without first part", in: ".00", msg: dotDecimal},
		{name: "short group", in: "1.25.000", msg: groups},
		{name: "long first group", in: "1250.000", msg: groups},
		{name: "four-digit group", in: "1.2500", msg: groups},
		{name: "trailing dot", in: "5.", msg: groups},
		{name: "comma cents", in: "2.000.000,50", msg: noSen},
		{name: "comma one digit", in: "1,5", msg: noSen},
		{name: "english thousands", in: "1,000,000", msg: comma},
		{name: "three decimals", in: "1,000", msg: comma},
		{name: "empty decimals", in: "5.000,", msg: comma},
		{name: "negative", in: "-5.000", msg: negative},
		{name: "negative after Rp", in: "Rp-5.000", msg: negative},
		{name: "negative before Rp", in: "-Rp 5.000", msg: negative},
		{name: "overflow", in: "9223372036854775808", msg: tooLarge},
		{name: "overflow grouped", in: "99.999.999.999.999.999.999", msg: tooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRupiah(tt.in)
			if tt.msg == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseRupiah(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
				}
				return
			}
			var me *Error
			if !errors.As(err, &me) || me.Code != CodeInvalid || me.Message != tt.msg {
				t.Fatalf("ParseRupiah(%q) = %d, %v; want the message %q", tt.in, got, err, tt.msg)
			}
			if got != 0 {
				t.Errorf("ParseRupiah(%q) returned %d with its error", tt.in, got)
			}
			if errors.Is(err, ErrNotNumber) != (tt.msg == notNumber) {
				t.Errorf("ParseRupiah(%q): errors.Is(err, ErrNotNumber) = %v", tt.in, errors.Is(err, ErrNotNumber))
			}
		})
	}
}

func TestParseRupiahField(t *testing.T) {
	const own = "Pagu harus angka rupiah tanpa desimal, misalnya 150.000.000."
	for _, tc := range []struct{ in, msg string }{
		{"150.000.000", ""},
		{"sepuluh juta", own},
		{"", own},
		{"1.5", "Tulis rupiah tanpa desimal, misalnya 2.000.000: titik hanya pemisah ribuan."},
	} {
		if _, msg := ParseRupiahField(tc.in, own); msg != tc.msg {
			t.Errorf("ParseRupiahField(%q) message %q, want %q", tc.in, msg, tc.msg)
		}
	}
}

// Every amount reads back from its own writings: digits, Rupiah.String and ",00".
func FuzzParseRupiah(f *testing.F) {
	for _, s := range []string{"1.250.000", "Rp 55.000,00", "2000000.00", "1.5", "-5", "9223372036854775808", ",", "Rp.", "..."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRupiah(s)
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || me.Code != CodeInvalid || me.Message == "" || r != 0 {
				t.Fatalf("ParseRupiah(%q) = %d, %v", s, r, err)
			}
			return
		}
		if r < 0 {
			t.Fatalf("ParseRupiah(%q) = %d, negative", s, r)
		}
		for _, w := range []string{strconv.FormatInt(int64(r), 10), r.String(), GroupDigits(int64(r)) + ",00"} {
			if back, err := ParseRupiah(w); err != nil || back != r {
				t.Fatalf("ParseRupiah(%q) = %d, %v; want %d (from %q)", w, back, err, r, s)
			}
		}
		if strings.Count(s, ".") == 1 && !strings.Contains(s, ",") {
			// One dot is a thousands separator (three digits after it) or zero decimals.
			_, after, _ := strings.Cut(s, ".")
			after = strings.TrimSpace(after)
			if len(after) != 3 && strings.Trim(after, "0") != "" {
				t.Fatalf("ParseRupiah(%q) = %d: read a decimal part that is not zero", s, r)
			}
		}
	})
}

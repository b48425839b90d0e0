package paper

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"bela/internal/market"
)

// The PDF uses the core Helvetica font, whose glyphs are addressed in Windows-1252. Indonesian
// needs nothing beyond ASCII, but names, product descriptions and typography ("–", "…", "×",
// curly quotes) do; encode maps every string onto cp1252 and replaces what it cannot show with a
// readable approximation, so no text is ever cut or garbled into mojibake.

// cp1252High maps the runes that Windows-1252 places at 0x80–0x9F.
var cp1252High = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
	'‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '‘': 0x91, '’': 0x92, '“': 0x93,
	'”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B,
	'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// approximations spells runes outside Windows-1252 with ones inside it.
var approximations = map[rune]string{
	'−': "-", '‐': "-", '‑': "-", '‒': "–", '―': "—", '≤': "<=", '≥': ">=", '≠': "!=",
	'→': "->", '←': "<-", '′': "'", '″': "\"", '⁄': "/", '∙': "·", '✓': "v", '✔': "v",
	'\u00a0': " ", '\u2007': " ", '\u2009': " ", '\u202f': " ", '\u200b': "", '\u2060': "", '\ufeff': "",
}

// encode returns s in Windows-1252 for the core fonts. Text is first composed (NFC), so a letter
// typed as base plus combining accent becomes the one precomposed letter; line breaks stay, tabs
// become spaces and other control characters are dropped; anything else that cannot be shown
// becomes "?".
func encode(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			// drop other control characters
		case r < 0x80:
			b.WriteByte(byte(r))
		case r >= 0xA0 && r <= 0xFF:
			b.WriteByte(byte(r))
		default:
			if c, ok := cp1252High[r]; ok {
				b.WriteByte(c)
			} else if a, ok := approximations[r]; ok {
				b.WriteString(encode(a))
			} else if unicode.Is(unicode.Mn, r) {
				// a combining mark with no precomposed form: drop it, keep the base letter
			} else {
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}

var monthNames = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
	"Agustus", "September", "Oktober", "November", "Desember"}

var dayNames = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}

// Date formats t's calendar date in loc the Indonesian way: "27 November 2026". A zero time
// gives "-".
func Date(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	t = t.In(loc)
	return fmt.Sprintf("%d %s %d", t.Day(), monthNames[t.Month()-1], t.Year())
}

// DateTime formats t in loc with the zone's abbreviation: "27 November 2026 14.05 WIB" (the
// Indonesian style uses a dot between hours and minutes). A zero time gives "-".
func DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	t = t.In(loc)
	return fmt.Sprintf("%s %02d.%02d %s", Date(t, loc), t.Hour(), t.Minute(), zoneName(t))
}

// dayDate formats t as "Jumat, 27 November 2026".
func dayDate(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return dayNames[t.Weekday()] + ", " + Date(t, loc)
}

// zoneName is the zone's abbreviation (WIB, WITA, WIT), or "UTC+7" when the zone database has
// only a numeric one.
func zoneName(t time.Time) string {
	name, off := t.Zone()
	if name != "" && (name[0] < '0' || name[0] > '9') && name[0] != '+' && name[0] != '-' {
		return name
	}
	h, m := off/3600, (off%3600)/60
	if m < 0 {
		m = -m
	}
	if m == 0 {
		return fmt.Sprintf("UTC%+d", h)
	}
	return fmt.Sprintf("UTC%+d:%02d", h, m)
}

var (
	ones = [...]string{"", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan",
		"sembilan", "sepuluh", "sebelas"}
	scales = [...]struct {
		value int64
		name  string
	}{{1_000_000_000_000_000, "kuadriliun"}, {1_000_000_000_000, "triliun"}, {1_000_000_000, "miliar"}, {1_000_000, "juta"}}
)

// Words spells an amount of rupiah in Indonesian words, as a kuitansi's "terbilang" line:
// Words(1250000) is "satu juta dua ratus lima puluh ribu rupiah". Zero is "nol rupiah"; a
// negative amount starts with "minus".
func Words(r market.Rupiah) string {
	n := int64(r)
	if n == 0 {
		return "nol rupiah"
	}
	prefix := ""
	var u uint64
	if n < 0 {
		prefix = "minus "
		u = uint64(-(n + 1)) + 1
	} else {
		u = uint64(n)
	}
	return prefix + strings.Join(spell(u), " ") + " rupiah"
}

// spell returns the words of n > 0.
func spell(n uint64) []string {
	var out []string
	for _, s := range scales {
		if n >= uint64(s.value) {
			out = append(out, spell(n/uint64(s.value))...)
			out = append(out, s.name)
			n %= uint64(s.value)
		}
	}
	if n >= 1000 {
		t := n / 1000
		if t == 1 {
			out = append(out, "seribu")
		} else {
			out = append(out, spellBelowThousand(t)...)
			out = append(out, "ribu")
		}
		n %= 1000
	}
	return append(out, spellBelowThousand(n)...)
}

// spellBelowThousand returns the words of n < 1000 (none for 0).
func spellBelowThousand(n uint64) []string {
	var out []string
	if n >= 100 {
		if n/100 == 1 {
			out = append(out, "seratus")
		} else {
			out = append(out, ones[n/100], "ratus")
		}
		n %= 100
	}
	switch {
	case n == 0:
	case n < 12:
		out = append(out, ones[n])
	case n < 20:
		out = append(out, ones[n-10], "belas")
	default:
		out = append(out, ones[n/10], "puluh")
		if n%10 != 0 {
			out = append(out, ones[n%10])
		}
	}
	return out
}

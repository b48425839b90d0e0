package paper

import (
	"testing"
	"time"

	"bela/internal/market"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   market.Rupiah
		want string
	}{
		{0, "nol rupiah"},
		{1, "satu rupiah"},
		{11, "sebelas rupiah"},
		{12, "dua belas rupiah"},
		{19, "sembilan belas rupiah"},
		{20, "dua puluh rupiah"},
		{100, "seratus rupiah"},
		{111, "seratus sebelas rupiah"},
		{1000, "seribu rupiah"},
		{1001, "seribu satu rupiah"},
		{10_000, "sepuluh ribu rupiah"},
		{110_000, "seratus sepuluh ribu rupiah"},
		{1_000_000, "satu juta rupiah"},
		{1_250_000, "satu juta dua ratus lima puluh ribu rupiah"},
		{2_000_000_000, "dua miliar rupiah"},
		{50_000_000, "lima puluh juta rupiah"},
		{11_238_750, "sebelas juta dua ratus tiga puluh delapan ribu tujuh ratus lima puluh rupiah"},
		{1_000_001_000_000, "satu triliun satu juta rupiah"},
		{-5_000, "minus lima ribu rupiah"},
		{1_000_000_000_000_000, "satu kuadriliun rupiah"},
	}
	for _, tt := range tests {
		if got := Words(tt.in); got != tt.want {
			t.Errorf("Words(%d) = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
	// The extremes do not panic.
	_ = Words(market.Rupiah(-1 << 63))
	_ = Words(market.Rupiah(1<<63 - 1))
}

func TestDates(t *testing.T) {
	loc := wib(t)
	utc := time.Date(2026, 11, 27, 17, 5, 0, 0, time.UTC) // 00.05 WIB on the 28th
	if got := Date(utc, loc); got != "28 November 2026" {
		t.Errorf("Date = %q", got)
	}
	if got := DateTime(utc, loc); got != "28 November 2026 00.05 WIB" {
		t.Errorf("DateTime = %q", got)
	}
	if got := Date(time.Time{}, loc); got != "-" {
		t.Errorf("Date(zero) = %q", got)
	}
	if got := dayDate(utc, loc); got != "Sabtu, 28 November 2026" {
		t.Errorf("dayDate = %q", got)
	}
	for m := time.January; m <= time.December; m++ {
		if Date(time.Date(2026, m, 1, 12, 0, 0, 0, loc), loc) == "" {
			t.Fatal("empty month")
		}
	}
	if got := DateTime(utc, time.FixedZone("", 8*3600)); got != "28 November 2026 01.05 UTC+8" {
		t.Errorf("DateTime without a zone name = %q", got)
	}
	if got := DateTime(utc, time.FixedZone("", 5*3600+1800)); got != "27 November 2026 22.35 UTC+5:30" {
		t.Errorf("DateTime half-hour zone = %q", got)
	}
}

func TestEncode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Kertas A4", "Kertas A4"},
		{"a – b … “c” ‘d’ € ×", "a \x96 b \x85 \x93c\x94 \x91d\x92 \x80 \xd7"},
		{"Café", "Caf\xe9"},
		{"Cafe\u0301", "Caf\xe9"}, // combining accent composed
		{"≤ 2 − 1", "<= 2 - 1"},
		{"tab\there\r\n", "tab here\n"},
		{"emoji 🙂 漢", "emoji ? ?"},
		{"nbsp\u00a0x\u200b", "nbsp\xa0x"},
	}
	for _, tt := range tests {
		if got := encode(tt.in); got != tt.want {
			t.Errorf("encode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnusualTextRenders(t *testing.T) {
	l := testOrderLetter(t, 2)
	l.Lines[0].Name = "Kue 🎂 ulang tahun – ‘spesial’ ≥ 2 kg… " +
		"NamaSangatPanjangTanpaSpasiYangHarusDipotongDiDalamKolomAgarTidakKeluarDariTabel1234567890"
	pdf, err := l.PDF()
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, pdfText(t, pdf), "Kue ? ulang tahun – ‘spesial’ >= 2 kg…")
}

func TestKinds(t *testing.T) {
	var docs = []Document{OrderLetter{}, BAST{}, Invoice{}, Kuitansi{}}
	for i, k := range Kinds() {
		if docs[i].Kind() != k {
			t.Errorf("document %d has kind %s, want %s", i, docs[i].Kind(), k)
		}
		if k.Title() == string(k) || k.Label() == string(k) {
			t.Errorf("kind %s has no Indonesian title or label", k)
		}
	}
}

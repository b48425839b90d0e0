package market

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fieldOf returns the single field named by a CodeInvalid error, or "" when err is nil.
func fieldOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	e, ok := err.(*Error)
	if !ok || e.Code != CodeInvalid || len(e.Fields) != 1 {
		t.Fatalf("error %v is not a one-field CodeInvalid *Error", err)
	}
	for f := range e.Fields {
		return f
	}
	return ""
}

func TestParseIdentity(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) (string, error)
		in    string
		want  string
		field string // "" when valid
	}{
		{name: "nib ok", parse: ParseNIB, in: "9120001234567", want: "9120001234567"},
		{name: "nib spaces trimmed", parse: ParseNIB, in: " 9120001234567 ", want: "9120001234567"},
		{name: "nib short", parse: ParseNIB, in: "912000123456", field: "nib"},
		{name: "nib letters", parse: ParseNIB, in: "91200012345A7", field: "nib"},
		{name: "nib empty", parse: ParseNIB, in: "", field: "nib"},
		{name: "nib zeros", parse: ParseNIB, in: "0000000000000", field: "nib"},
		{name: "nib arabic-indic digits", parse: ParseNIB, in: "٩١٢٠٠٠١٢٣٤٥٦٧", field: "nib"},

		{name: "npwp legacy punctuated", parse: ParseNPWP, in: "01.234.567.8-901.000", want: "0012345678901000"},
		{name: "npwp legacy bare", parse: ParseNPWP, in: "012345678901000", want: "0012345678901000"},
		{name: "npwp 16 digits kept", parse: ParseNPWP, in: "1271054507900001", want: "1271054507900001"},
		{name: "npwp 16 with spaces", parse: ParseNPWP, in: "1271 0545 0790 0001", want: "1271054507900001"},
		{name: "npwp 14 digits", parse: ParseNPWP, in: "01.234.567.8-901.00", field: "npwp"},
		{name: "npwp 17 digits", parse: ParseNPWP, in: "12710545079000011", field: "npwp"},
		{name: "npwp slash", parse: ParseNPWP, in: "01/234.567.8-901.000", field: "npwp"},
		{name: "npwp zeros placeholder", parse: ParseNPWP, in: "00.000.000.0-000.000", field: "npwp"},
		{name: "npwp empty", parse: ParseNPWP, in: " ", field: "npwp"},

		{name: "nik man", parse: ParseNIK, in: "1271051507900002", want: "1271051507900002"},
		{name: "nik woman day+40", parse: ParseNIK, in: "1271054507900001", want: "1271054507900001"},
		{name: "nik woman 31 dec", parse: ParseNIK, in: "1271057112850003", want: "1271057112850003"},
		{name: "nik 29 feb 2000 or 1900", parse: ParseNIK, in: "1271052902000001", want: "1271052902000001"},
		{name: "nik 29 feb 1996", parse: ParseNIK, in: "1271056902960001", want: "1271056902960001"},
		{name: "nik 29 feb 1997", parse: ParseNIK, in: "1271052902970001", field: "nik"},
		{name: "nik day 32", parse: ParseNIK, in: "1271053201900001", field: "nik"},
		{name: "nik day 00", parse: ParseNIK, in: "1271050001900001", field: "nik"},
		{name: "nik day 40", parse: ParseNIK, in: "1271054001900001", field: "nik"},
		{name: "nik day 72", parse: ParseNIK, in: "1271057201900001", field: "nik"},
		{name: "nik 31 april", parse: ParseNIK, in: "1271053104900001", field: "nik"},
		{name: "nik month 13", parse: ParseNIK, in: "1271051513900001", field: "nik"},
		{name: "nik serial 0000", parse: ParseNIK, in: "1271051507900000", field: "nik"},
		{name: "nik unknown province", parse: ParseNIK, in: "2071051507900002", field: "nik"},
		{name: "nik regency 00", parse: ParseNIK, in: "1200051507900002", field: "nik"},
		{name: "nik district 00", parse: ParseNIK, in: "1271001507900002", field: "nik"},
		{name: "nik 15 digits", parse: ParseNIK, in: "127105150790000", field: "nik"},
		{name: "nik papua pegunungan", parse: ParseNIK, in: "9501011507900002", want: "9501011507900002"},

		{name: "kbli ok", parse: ParseKBLI, in: "47611", want: "47611"},
		{name: "kbli 4 digits", parse: ParseKBLI, in: "4761", field: "kbli"},
		{name: "kbli 00", parse: ParseKBLI, in: "00111", field: "kbli"},
		{name: "kbli letters", parse: ParseKBLI, in: "4761a", field: "kbli"},

		{name: "phone 08", parse: ParsePhone, in: "0812-3456-7890", want: "+6281234567890"},
		{name: "phone +62 spaced", parse: ParsePhone, in: "+62 812 3456 789", want: "+628123456789"},
		{name: "phone 62", parse: ParsePhone, in: "6281234567890", want: "+6281234567890"},
		{name: "phone bare 8", parse: ParsePhone, in: "(0812) 3456.7890", want: "+6281234567890"},
		{name: "phone landline", parse: ParsePhone, in: "061-4512345", field: "phone"},
		{name: "phone foreign", parse: ParsePhone, in: "+65 8123 4567", field: "phone"},
		{name: "phone too long", parse: ParsePhone, in: "08123456789012", field: "phone"},
		{name: "phone too short", parse: ParsePhone, in: "0812345", field: "phone"},
		{name: "phone plus inside", parse: ParsePhone, in: "0812+34567890", field: "phone"},
		{name: "phone +62 then 0", parse: ParsePhone, in: "+62 0812 3456 7890", field: "phone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(tt.in)
			if f := fieldOf(t, err); f != tt.field {
				t.Fatalf("field = %q, want %q (err %v)", f, tt.field, err)
			}
			if got != tt.want {
				t.Errorf("value = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClassOf(t *testing.T) {
	tests := []struct {
		name           string
		capital, sales Rupiah
		want           UMKClass
	}{
		{name: "new micro, no sales", capital: 50_000_000, sales: 0, want: ClassMicro},
		{name: "micro at both limits", capital: 1_000_000_000, sales: 2_000_000_000, want: ClassMicro},
		{name: "capital one rupiah above micro", capital: 1_000_000_001, sales: 0, want: ClassSmall},
		{name: "sales one rupiah above micro", capital: 0, sales: 2_000_000_001, want: ClassSmall},
		{name: "micro capital, small sales: higher wins", capital: 500_000_000, sales: 3_000_000_000, want: ClassSmall},
		{name: "small capital, micro sales: higher wins", capital: 4_000_000_000, sales: 1_000_000_000, want: ClassSmall},
		{name: "small at both limits", capital: 5_000_000_000, sales: 15_000_000_000, want: ClassSmall},
		{name: "medium by sales", capital: 100_000_000, sales: 15_000_000_001, want: ClassMedium},
		{name: "medium by capital", capital: 10_000_000_000, sales: 0, want: ClassMedium},
		{name: "large by capital", capital: 10_000_000_001, sales: 0, want: ClassLarge},
		{name: "large by sales", capital: 0, sales: 50_000_000_001, want: ClassLarge},
		{name: "negative counts as zero", capital: -5, sales: -5, want: ClassMicro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClassOf(tt.capital, tt.sales); got != tt.want {
				t.Errorf("ClassOf(%v, %v) = %v, want %v", tt.capital, tt.sales, got, tt.want)
			}
		})
	}
}

func TestEligible(t *testing.T) {
	tests := []struct {
		name    string
		status  SellerStatus
		class   UMKClass
		ok      bool
		reasons []string
	}{
		{name: "verified micro", status: SellerVerified, class: ClassMicro, ok: true},
		{name: "verified small", status: SellerVerified, class: ClassSmall, ok: true},
		{name: "verified medium", status: SellerVerified, class: ClassMedium,
			reasons: []string{"Belanja langsung hanya untuk usaha mikro dan kecil; penjual ini tergolong Usaha Menengah."}},
		{name: "suspended", status: SellerSuspended, class: ClassMicro, reasons: []string{"Penjual sedang dibekukan."}},
		{name: "submitted large", status: SellerSubmitted, class: ClassLarge, reasons: []string{
			"Penjual belum terverifikasi (status: Menunggu verifikasi).",
			"Belanja langsung hanya untuk usaha mikro dan kecil; penjual ini tergolong Usaha Besar.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, reasons := Eligible(tt.status, tt.class)
			if ok != tt.ok {
				t.Errorf("ok = %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.reasons, reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSellerTransition(t *testing.T) {
	allowed := map[[2]SellerStatus]bool{
		{SellerDraft, SellerSubmitted}:            true,
		{SellerSubmitted, SellerVerified}:         true,
		{SellerSubmitted, SellerRejected}:         true,
		{SellerSubmitted, SellerChangesRequested}: true,
		{SellerChangesRequested, SellerSubmitted}: true,
		{SellerVerified, SellerSuspended}:         true,
		{SellerSuspended, SellerVerified}:         true,
	}
	for _, from := range SellerStatuses {
		for _, to := range SellerStatuses {
			err := SellerTransition(from, to)
			if want := allowed[[2]SellerStatus{from, to}]; (err == nil) != want {
				t.Errorf("SellerTransition(%s, %s) = %v, want allowed %v", from, to, err, want)
			}
			if err != nil && ErrorCode(err) != CodeConflict {
				t.Errorf("SellerTransition(%s, %s) code = %s", from, to, ErrorCode(err))
			}
		}
	}
	if got := SellerNext(SellerRejected); len(got) != 0 {
		t.Errorf("SellerNext(rejected) = %v, want none", got)
	}
}

func TestSellerDecisionApply(t *testing.T) {
	tests := []struct {
		name     string
		decision SellerDecision
		from     SellerStatus
		reason   string
		want     SellerStatus
		code     Code
	}{
		{name: "verify submitted", decision: DecisionVerify, from: SellerSubmitted, want: SellerVerified},
		{name: "verify suspended is not reinstate", decision: DecisionVerify, from: SellerSuspended, code: CodeConflict},
		{name: "reject with reason", decision: DecisionReject, from: SellerSubmitted, reason: "NIB tidak cocok", want: SellerRejected},
		{name: "reject without reason", decision: DecisionReject, from: SellerSubmitted, reason: " ", code: CodeInvalid},
		{name: "request changes", decision: DecisionRequestChanges, from: SellerSubmitted, reason: "Foto NPWP buram", want: SellerChangesRequested},
		{name: "suspend verified", decision: DecisionSuspend, from: SellerVerified, reason: "Harga tidak wajar", want: SellerSuspended},
		{name: "suspend draft", decision: DecisionSuspend, from: SellerDraft, reason: "x", code: CodeConflict},
		{name: "reinstate", decision: DecisionReinstate, from: SellerSuspended, want: SellerVerified},
		{name: "reinstate verified", decision: DecisionReinstate, from: SellerVerified, code: CodeConflict},
		{name: "unknown", decision: "approve", from: SellerSubmitted, code: CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.decision.Apply(tt.from, tt.reason)
			if c := ErrorCode(err); c != tt.code {
				t.Fatalf("code = %q, want %q (%v)", c, tt.code, err)
			}
			if got != tt.want {
				t.Errorf("status = %q, want %q", got, tt.want)
			}
		})
	}
}

func validRegistration() SellerRegistration {
	return SellerRegistration{
		BusinessName: "  Katering   Bu Ani ",
		LegalForm:    LegalUD,
		NIB:          "9120001234567",
		NPWP:         "01.234.567.8-121.000",
		OwnerNIK:     "1271054507900001",
		KBLI:         []string{"56210", " 56210", "10710"},
		Capital:      150_000_000,
		AnnualSales:  600_000_000,
		PKP:          false,
		Address: Address{
			Street: "Jl. Brigjend Katamso No. 12", Kelurahan: "Kampung Baru", Kecamatan: "Medan Maimun",
			City: "Kota Medan", PostalCode: "20158",
		},
		Phone: "0812 6000 1234",
		Bank:  BankAccount{Bank: "Bank Sumut", Number: "110-01-23456-7", Holder: "Ani  Siregar"},
	}
}

func TestSellerRegistrationNormalized(t *testing.T) {
	got, err := validRegistration().Normalized()
	if err != nil {
		t.Fatal(err)
	}
	want := validRegistration()
	want.BusinessName = "Katering Bu Ani"
	want.NPWP = "0012345678121000"
	want.KBLI = []string{"56210", "10710"}
	want.Phone = "+6281260001234"
	want.Bank = BankAccount{Bank: "Bank Sumut", Number: "11001234567", Holder: "Ani Siregar"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Normalized (-want +got):\n%s", diff)
	}
}

func TestSellerRegistrationValidate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name   string
		edit   func(*SellerRegistration)
		fields []string
	}{
		{name: "valid", edit: func(*SellerRegistration) {}},
		{name: "perorangan without NPWP", edit: func(r *SellerRegistration) { r.LegalForm = LegalPerorangan; r.NPWP = "" }},
		{name: "CV without NPWP", edit: func(r *SellerRegistration) { r.LegalForm = LegalCV; r.NPWP = "" }, fields: []string{"npwp"}},
		{name: "PKP without NPWP", edit: func(r *SellerRegistration) { r.PKP = true; r.NPWP = "" }, fields: []string{"npwp"}},
		{name: "PP55 without NPWP", edit: func(r *SellerRegistration) {
			r.NPWP = ""
			r.PP55Number, r.PP55ValidFrom, r.PP55ValidTo = "KET-00123/PP55/2024", day(2024, 1, 1), day(2026, 12, 31)
		}, fields: []string{"npwp"}},
		{name: "PP55 complete", edit: func(r *SellerRegistration) {
			r.PP55Number, r.PP55ValidFrom, r.PP55ValidTo = "KET-00123/PP55/2024", day(2024, 1, 1), day(2026, 12, 31)
		}},
		{name: "PP55 partial and reversed", edit: func(r *SellerRegistration) {
			r.PP55ValidFrom, r.PP55ValidTo = day(2025, 1, 1), day(2024, 1, 1)
		}, fields: []string{"pp55_number", "pp55_valid_to"}},
		{name: "everything wrong", edit: func(r *SellerRegistration) {
			*r = SellerRegistration{Capital: -1, AnnualSales: -1, KBLI: []string{"123"}, Phone: "021-555",
				Address: Address{PostalCode: "2015"}, Bank: BankAccount{Number: "12"}}
		}, fields: []string{
			"address.city", "address.kecamatan", "address.kelurahan", "address.postal_code", "address.street",
			"annual_sales", "bank.holder", "bank.name", "bank.number", "business_name", "capital", "kbli",
			"legal_form", "nib", "npwp", "owner_nik", "phone",
		}},
		{name: "no KBLI", edit: func(r *SellerRegistration) { r.KBLI = nil }, fields: []string{"kbli"}},
		{name: "medium business", edit: func(r *SellerRegistration) { r.AnnualSales = 20_000_000_000 }, fields: []string{"class"}},
		{name: "long name", edit: func(r *SellerRegistration) { r.BusinessName = strings.Repeat("a", 151) }, fields: []string{"business_name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validRegistration()
			tt.edit(&r)
			err := r.Validate()
			var got []string
			if err != nil {
				e, ok := err.(*Error)
				if !ok || e.Code != CodeInvalid {
					t.Fatalf("error %v is not CodeInvalid", err)
				}
				for f := range e.Fields {
					got = append(got, f)
				}
			}
			if diff := cmp.Diff(tt.fields, got, sortStrings); diff != "" {
				t.Errorf("fields (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

func TestPP55ValidAt(t *testing.T) {
	jkt := time.FixedZone("WIB", 7*3600)
	r := SellerRegistration{PP55Number: "KET-1", PP55ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		PP55ValidTo: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name string
		at   time.Time
		want bool
	}{
		{name: "before", at: time.Date(2024, 12, 31, 23, 0, 0, 0, jkt), want: false},
		{name: "first day early WIB", at: time.Date(2025, 1, 1, 0, 30, 0, 0, jkt), want: true},
		{name: "last day late WIB", at: time.Date(2025, 12, 31, 23, 59, 0, 0, jkt), want: true},
		{name: "after", at: time.Date(2026, 1, 1, 0, 0, 0, 0, jkt), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.PP55ValidAt(tt.at); got != tt.want {
				t.Errorf("PP55ValidAt(%v) = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
	if (SellerRegistration{}).PP55ValidAt(time.Now()) {
		t.Error("no certificate is valid")
	}
}

func TestLegalForm(t *testing.T) {
	for _, f := range LegalForms {
		got, err := ParseLegalForm(string(f))
		if err != nil || got != f {
			t.Errorf("ParseLegalForm(%q) = %q, %v", f, got, err)
		}
		if f.Label() == string(f) {
			t.Errorf("%q has no label", f)
		}
	}
	if _, err := ParseLegalForm("bumn"); fieldOf(t, err) != "legal_form" {
		t.Errorf("ParseLegalForm(bumn) = %v", err)
	}
	if !LegalUD.Individual() || LegalPTPerorangan.Individual() {
		t.Error("UD is an individual taxpayer, PT perorangan is an entity")
	}
}

// fuzzIdentity checks what every identity parser promises: no panic, errors are one-field
// CodeInvalid, a result is stable when parsed again, and has the promised shape.
func fuzzIdentity(f *testing.F, parse func(string) (string, error), field string, shape func(string) bool, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parse(s)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Code != CodeInvalid || e.Fields[field] == "" {
				t.Fatalf("parse(%q) error %#v is not CodeInvalid for %s", s, err, field)
			}
			return
		}
		if !shape(v) {
			t.Fatalf("parse(%q) = %q: wrong shape", s, v)
		}
		again, err := parse(v)
		if err != nil || again != v {
			t.Fatalf("parse(parse(%q)) = %q, %v; want %q", s, again, err, v)
		}
	})
}

func digitsOfLen(n int) func(string) bool {
	return func(s string) bool { return len(s) == n && asciiDigits(s) }
}

func FuzzParseNIB(f *testing.F) {
	fuzzIdentity(f, ParseNIB, "nib", digitsOfLen(13), "9120001234567", " 0000000000000", "91200012345678")
}

func FuzzParseNPWP(f *testing.F) {
	fuzzIdentity(f, ParseNPWP, "npwp", digitsOfLen(16), "01.234.567.8-901.000", "1271054507900001", "..--", "1.2")
}

func FuzzParseNIK(f *testing.F) {
	fuzzIdentity(f, ParseNIK, "nik", digitsOfLen(16), "1271054507900001", "1271052902000001", "9999999999999999")
}

func FuzzParseKBLI(f *testing.F) {
	fuzzIdentity(f, ParseKBLI, "kbli", digitsOfLen(5), "47611", "00000", "4761")
}

func FuzzParsePhone(f *testing.F) {
	fuzzIdentity(f, ParsePhone, "phone", func(s string) bool {
		return strings.HasPrefix(s, "+628") && asciiDigits(s[1:]) && len(s) >= 12 && len(s) <= 15
	}, "0812-3456-7890", "+62 812 3456 789", "+", "62", "(0)")
}

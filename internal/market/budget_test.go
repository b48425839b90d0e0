package market

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func validBudgetLine() BudgetLine {
	return BudgetLine{
		ID: 1, UnitID: 7, KodeRUP: "27712345", AccountCode: "5.1.02.01.01.0024",
		Name: "Belanja Alat Tulis Kantor", FundingSource: "PAD", FiscalYear: 2025,
		Ceiling: 100_000_000, Reserved: 10_000_000, Committed: 20_000_000, Spent: 30_000_000,
	}
}

func TestBudgetLineAvailable(t *testing.T) {
	tests := []struct {
		name string
		line BudgetLine
		want Rupiah
	}{
		{name: "fresh line", line: BudgetLine{Ceiling: 5_000_000}, want: 5_000_000},
		{name: "partly used", line: validBudgetLine(), want: 40_000_000},
		{name: "fully used", line: BudgetLine{Ceiling: 10, Reserved: 3, Committed: 3, Spent: 4}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.line.Available(); got != tt.want {
				t.Errorf("Available() = %v, want %v", got, tt.want)
			}
		})
	}
}

func budgetFieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInvalid {
		t.Fatalf("error %v is not a CodeInvalid *Error", err)
	}
	var out []string
	for f := range e.Fields {
		out = append(out, f)
	}
	return out
}

func TestBudgetLineValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(b *BudgetLine)
		fields []string
	}{
		{name: "valid", edit: func(*BudgetLine) {}},
		{name: "bad codes", edit: func(b *BudgetLine) { b.KodeRUP, b.AccountCode = "RUP-1", "5.1.2" }, fields: []string{"account_code", "kode_rup"}},
		{name: "blank name and funding", edit: func(b *BudgetLine) { b.Name, b.FundingSource = "  ", "" }, fields: []string{"funding_source", "name"}},
		{name: "year out of range", edit: func(b *BudgetLine) { b.FiscalYear = 25 }, fields: []string{"fiscal_year"}},
		{name: "zero ceiling", edit: func(b *BudgetLine) { *b = validBudgetLine(); b.Ceiling, b.Reserved, b.Committed, b.Spent = 0, 0, 0, 0 }, fields: []string{"ceiling"}},
		{name: "negative amounts", edit: func(b *BudgetLine) { b.Reserved, b.Committed, b.Spent = -1, -1, -1 }, fields: []string{"committed", "reserved", "spent"}},
		{name: "ceiling below use", edit: func(b *BudgetLine) { b.Ceiling = 59_999_999 }, fields: []string{"ceiling"}},
		{name: "ceiling equal to use", edit: func(b *BudgetLine) { b.Ceiling = 60_000_000 }},
		{name: "largest ceiling", edit: func(b *BudgetLine) { b.Ceiling = MaxBudgetCeiling }},
		{name: "ceiling above the bound", edit: func(b *BudgetLine) { b.Ceiling = MaxBudgetCeiling + 1 }, fields: []string{"ceiling"}},
		{name: "largest int64 ceiling", edit: func(b *BudgetLine) { b.Ceiling = math.MaxInt64 }, fields: []string{"ceiling"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := validBudgetLine()
			tt.edit(&b)
			if diff := cmp.Diff(tt.fields, budgetFieldsOf(t, b.Validate()), sortStrings); diff != "" {
				t.Errorf("fields in error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateKodeRUP(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{name: "typical", in: "27712345", ok: true},
		{name: "one digit", in: "7", ok: true},
		{name: "twenty digits", in: "12345678901234567890", ok: true},
		{name: "empty", in: ""},
		{name: "too long", in: "123456789012345678901"},
		{name: "letters", in: "RUP123"},
		{name: "spaces", in: " 123"},
		{name: "sign", in: "-123"},
		{name: "non-ASCII digits", in: "١٢٣"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateKodeRUP(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidateKodeRUP(%q) = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
		})
	}
}

func TestValidateAccountCode(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{name: "goods", in: "5.1.02.01.01.0024", ok: true},
		{name: "capital", in: "5.2.02.05.01.0001", ok: true},
		{name: "empty", in: ""},
		{name: "only to jenis", in: "5.1.02"},
		{name: "short last group", in: "5.1.02.01.01.024"},
		{name: "wide first group", in: "51.1.02.01.01.0024"},
		{name: "letters", in: "5.1.0A.01.01.0024"},
		{name: "extra group", in: "5.1.02.01.01.0024.1"},
		{name: "trailing dot", in: "5.1.02.01.01.0024."},
		{name: "income account", in: "4.1.01.01.01.0001"},
		{name: "spaces", in: "5.1.02.01.01.0024 "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateAccountCode(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidateAccountCode(%q) = %v, want ok=%v", tt.in, err, tt.ok)
			}
		})
	}
}

func FuzzValidateAccountCode(f *testing.F) {
	for _, s := range []string{"5.1.02.01.01.0024", "", "5..", "5.1.02.01.01.00245"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateAccountCode(s) == nil && len(s) != 17 {
			t.Errorf("accepted %q of length %d", s, len(s))
		}
	})
}

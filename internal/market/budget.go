package market

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// BudgetLine is one line of a work unit's budget (DPA) for a fiscal year, the money an order is
// checked out against. Its KodeRUP is the package's code in SiRUP (Rencana Umum Pengadaan, the
// public procurement plan) and its AccountCode the kode rekening of the spending account.
//
// The four amounts move with the order's life (see Effect): checkout reserves, PPK approval
// commits, each payment moves its amount to spent, and rejection, decline, cancellation, expiry
// and closing short release what is left.
type BudgetLine struct {
	ID            int64  `json:"id"`
	UnitID        int64  `json:"unit_id"`
	KodeRUP       string `json:"kode_rup"`
	AccountCode   string `json:"account_code"`
	Name          string `json:"name"`
	FundingSource string `json:"funding_source"` // sumber dana, e.g. "PAD", "DAU", "DAK"
	FiscalYear    int    `json:"fiscal_year"`
	Ceiling       Rupiah `json:"ceiling"` // pagu
	Reserved      Rupiah `json:"reserved"`
	Committed     Rupiah `json:"committed"`
	Spent         Rupiah `json:"spent"`
}

// Available returns ceiling − reserved − committed − spent: what a new order may still use.
func (b BudgetLine) Available() Rupiah { return b.Ceiling - b.Reserved - b.Committed - b.Spent }

// Limits on a budget line's text fields.
const (
	MaxKodeRUPLength     = 20
	MaxBudgetNameLength  = 300
	MaxFundingNameLength = 100
)

// MaxBudgetCeiling bounds a budget line's ceiling (pagu): Rp100 triliun, more than the whole
// APBD of the largest Pemda (DKI Jakarta's is about Rp80 triliun), so no real line reaches it,
// while sums of lines stay far inside int64 (over 90.000 lines at this bound before one could
// overflow; the unit dashboard's sum saturates even then).
const MaxBudgetCeiling Rupiah = 100_000_000_000_000

// Validate checks the line's codes, texts, fiscal year and amounts (none negative, the ceiling
// at most MaxBudgetCeiling and covering what is already used). It returns nil or a CodeInvalid
// *Error with a Bahasa Indonesia message per field (JSON names).
func (b BudgetLine) Validate() error {
	f := FieldErrors{}
	if msg := kodeRUPProblem(b.KodeRUP); msg != "" {
		f.Add("kode_rup", msg)
	}
	if msg := accountCodeProblem(b.AccountCode); msg != "" {
		f.Add("account_code", msg)
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(b.Name)); n == 0 || n > MaxBudgetNameLength {
		f.Add("name", fmt.Sprintf("Nama sub kegiatan/belanja wajib diisi, paling banyak %d karakter.", MaxBudgetNameLength))
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(b.FundingSource)); n == 0 || n > MaxFundingNameLength {
		f.Add("funding_source", fmt.Sprintf("Sumber dana wajib diisi, paling banyak %d karakter.", MaxFundingNameLength))
	}
	if b.FiscalYear < 2000 || b.FiscalYear > 2100 {
		f.Add("fiscal_year", "Tahun anggaran harus antara 2000 dan 2100.")
	}
	if b.Ceiling <= 0 {
		f.Add("ceiling", "Pagu harus lebih dari Rp0.")
	} else if b.Ceiling > MaxBudgetCeiling {
		f.Add("ceiling", fmt.Sprintf("Pagu paling banyak %s.", MaxBudgetCeiling))
	}
	for _, a := range []struct {
		field, label string
		v            Rupiah
	}{{"reserved", "Dana dicadangkan", b.Reserved}, {"committed", "Dana terikat", b.Committed}, {"spent", "Dana terpakai", b.Spent}} {
		if a.v < 0 {
			f.Add(a.field, a.label+" tidak boleh negatif.")
		}
	}
	if b.Ceiling > 0 && b.Available() < 0 {
		f.Add("ceiling", fmt.Sprintf("Pagu %s lebih kecil dari dana yang sudah dicadangkan, terikat dan terpakai (%s).",
			b.Ceiling, b.Reserved+b.Committed+b.Spent))
	}
	return f.Err()
}

// ValidateKodeRUP checks that s is a Kode RUP: digits only, 1 to MaxKodeRUPLength of them.
// It returns nil or a CodeInvalid *Error for field "kode_rup".
func ValidateKodeRUP(s string) error {
	if msg := kodeRUPProblem(s); msg != "" {
		return Invalid("kode_rup", msg)
	}
	return nil
}

func kodeRUPProblem(s string) string {
	if s == "" {
		return "Kode RUP wajib diisi."
	}
	if len(s) > MaxKodeRUPLength || !budgetDigits(s) {
		return fmt.Sprintf("Kode RUP hanya berisi angka, paling banyak %d digit (contoh: 27712345).", MaxKodeRUPLength)
	}
	return ""
}

// accountSegments are the digit counts of a kode rekening down to sub rincian objek (Permendagri
// 90/2019): akun, kelompok, jenis, objek, rincian objek, sub rincian objek.
var accountSegments = []int{1, 1, 2, 2, 2, 4}

// ValidateAccountCode checks that s is a spending kode rekening written in full, like
// 5.1.02.01.01.0024: six dot-separated groups of 1, 1, 2, 2, 2 and 4 digits, the first being 5
// (belanja). It returns nil or a CodeInvalid *Error for field "account_code".
func ValidateAccountCode(s string) error {
	if msg := accountCodeProblem(s); msg != "" {
		return Invalid("account_code", msg)
	}
	return nil
}

func accountCodeProblem(s string) string {
	parts := strings.Split(s, ".")
	if len(parts) != len(accountSegments) {
		return "Kode rekening harus lengkap sampai sub rincian objek, contoh: 5.1.02.01.01.0024."
	}
	for i, p := range parts {
		if len(p) != accountSegments[i] || !budgetDigits(p) {
			return "Kode rekening harus lengkap sampai sub rincian objek, contoh: 5.1.02.01.01.0024."
		}
	}
	if parts[0] != "5" {
		return "Kode rekening belanja diawali angka 5, contoh: 5.1.02.01.01.0024."
	}
	return ""
}

func budgetDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

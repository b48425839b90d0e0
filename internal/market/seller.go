package market

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// This file holds what Bela knows about a seller (Pelaku UMK) before any database: the identity
// numbers it declares, its legal form, its class under PP 7/2021, its verification status and
// whether it may sell to a work unit.
//
// Identity numbers:
//   - NIB (Nomor Induk Berusaha): the 13-digit business number issued by the OSS system.
//   - NPWP (Nomor Pokok Wajib Pajak): the tax number; 16 digits since the NIK-based format,
//     15 digits in the legacy format 99.999.999.9-999.999.
//   - NIK (Nomor Induk Kependudukan): the 16-digit population number on the KTP identity card.
//   - KBLI (Klasifikasi Baku Lapangan Usaha Indonesia): the 5-digit business activity code.
//   - PKP (Pengusaha Kena Pajak): a business registered to charge PPN (value-added tax).

// ParseNIB checks an NIB (13 digits, surrounding spaces ignored) and returns it. Any other input
// gives a CodeInvalid *Error for field "nib".
func ParseNIB(s string) (string, error) {
	v, msg := checkNIB(s)
	if msg != "" {
		return "", Invalid("nib", msg)
	}
	return v, nil
}

func checkNIB(s string) (string, string) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", "NIB wajib diisi."
	case !asciiDigits(s) || len(s) != 13:
		return "", "NIB harus 13 angka, sesuai yang tertera di OSS."
	case strings.Count(s, "0") == len(s):
		return "", "NIB tidak boleh berisi angka nol semua."
	}
	return s, ""
}

// ParseNPWP normalises an NPWP to its 16-digit form. The legacy 15-digit number, with or without
// its punctuation (99.999.999.9-999.999), gets a leading 0, as the tax office does; a 16-digit
// number is kept as is. Dots, hyphens and spaces are ignored. Anything else, and the all-zero
// placeholder used on forms for "no NPWP", gives a CodeInvalid *Error for field "npwp".
func ParseNPWP(s string) (string, error) {
	v, msg := checkNPWP(s)
	if msg != "" {
		return "", Invalid("npwp", msg)
	}
	return v, nil
}

func checkNPWP(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "NPWP wajib diisi."
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '.' || r == '-' || r == ' ':
		default:
			return "", "NPWP hanya boleh berisi angka, titik dan tanda hubung."
		}
	}
	d := b.String()
	switch len(d) {
	case 15:
		d = "0" + d
	case 16:
	default:
		return "", "NPWP harus 15 angka (format lama 99.999.999.9-999.999) atau 16 angka."
	}
	if strings.Count(d, "0") == len(d) {
		return "", "NPWP tidak boleh berisi angka nol semua."
	}
	return d, ""
}

// ParseNIK checks the structure of a NIK and returns it: 16 digits made of a region code
// (province, regency or city, district), the birth date as DDMMYY — women add 40 to the day — and
// a serial number that is not 0000. The date must exist in 19YY or 20YY (the century is not in the
// number). Province codes come from NIKProvinces. It cannot tell whether the person exists; any
// failure gives a CodeInvalid *Error for field "nik".
func ParseNIK(s string) (string, error) {
	v, msg := checkNIK(s)
	if msg != "" {
		return "", Invalid("nik", msg)
	}
	return v, nil
}

// NIKProvinces lists the two-digit province codes (Kemendagri numbering) that begin a NIK,
// including the Papua provinces formed in 2022. Data recalled without a source: check it before
// relying on it; a correction is a change here.
var NIKProvinces = map[string]string{
	"11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
	"16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
	"21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah",
	"34": "DI Yogyakarta", "35": "Jawa Timur", "36": "Banten", "51": "Bali",
	"52": "Nusa Tenggara Barat", "53": "Nusa Tenggara Timur", "61": "Kalimantan Barat",
	"62": "Kalimantan Tengah", "63": "Kalimantan Selatan", "64": "Kalimantan Timur",
	"65": "Kalimantan Utara", "71": "Sulawesi Utara", "72": "Sulawesi Tengah",
	"73": "Sulawesi Selatan", "74": "Sulawesi Tenggara", "75": "Gorontalo", "76": "Sulawesi Barat",
	"81": "Maluku", "82": "Maluku Utara", "91": "Papua", "92": "Papua Barat", "93": "Papua Selatan",
	"94": "Papua Tengah", "95": "Papua Pegunungan", "96": "Papua Barat Daya",
}

func checkNIK(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "NIK wajib diisi."
	}
	if !asciiDigits(s) || len(s) != 16 {
		return "", "NIK harus 16 angka, sesuai KTP."
	}
	if _, ok := NIKProvinces[s[0:2]]; !ok {
		return "", "Kode provinsi pada NIK (2 angka pertama) tidak dikenal."
	}
	if s[2:4] == "00" || s[4:6] == "00" {
		return "", "Kode kabupaten/kota dan kecamatan pada NIK tidak boleh 00."
	}
	day := atoi2(s[6:8])
	if day > 40 {
		day -= 40
	}
	month, yy := atoi2(s[8:10]), atoi2(s[10:12])
	if !realDate(1900+yy, month, day) && !realDate(2000+yy, month, day) {
		return "", "Tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid."
	}
	if s[12:16] == "0000" {
		return "", "Nomor urut pada NIK (4 angka terakhir) tidak boleh 0000."
	}
	return s, ""
}

// ParseKBLI checks a KBLI code (5 digits, surrounding spaces ignored) and returns it, or a
// CodeInvalid *Error for field "kbli".
func ParseKBLI(s string) (string, error) {
	v, msg := checkKBLI(s)
	if msg != "" {
		return "", Invalid("kbli", msg)
	}
	return v, nil
}

func checkKBLI(s string) (string, string) {
	s = strings.TrimSpace(s)
	if !asciiDigits(s) || len(s) != 5 {
		return "", fmt.Sprintf("Kode KBLI %q harus 5 angka (KBLI 2020).", truncate(s, 20))
	}
	if s[0:2] == "00" {
		return "", fmt.Sprintf("Kode KBLI %s tidak dikenal.", s)
	}
	return s, ""
}

// ParsePhone normalises an Indonesian mobile number to +62… form. It accepts 08…, 628…, +628…
// and 8…, with spaces, dots, hyphens and parentheses; the number after the country code must start
// with 8 and have 9 to 12 digits. Anything else gives a CodeInvalid *Error for field "phone".
func ParsePhone(s string) (string, error) {
	v, msg := checkPhone(s)
	if msg != "" {
		return "", Invalid("phone", msg)
	}
	return v, nil
}

func checkPhone(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "Nomor HP wajib diisi."
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", "Nomor HP hanya boleh berisi angka, spasi, tanda hubung dan + di depan."
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "62"):
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	}
	if strings.HasPrefix(s, "+") && !strings.HasPrefix(s, "+62") {
		return "", "Gunakan nomor HP Indonesia (+62 atau 08…)."
	}
	if !strings.HasPrefix(d, "8") || len(d) < 9 || len(d) > 12 {
		return "", "Nomor HP harus nomor seluler Indonesia, misalnya 0812-3456-7890."
	}
	return "+62" + d, ""
}

// LegalForm is a seller's legal form (bentuk usaha).
type LegalForm string

// The legal forms a UMK seller may have.
const (
	LegalPerorangan   LegalForm = "perorangan"    // an individual without a business entity
	LegalUD           LegalForm = "ud"            // Usaha Dagang: a sole proprietorship, not a legal entity
	LegalCV           LegalForm = "cv"            // Commanditaire Vennootschap: limited partnership
	LegalFirma        LegalForm = "firma"         // general partnership
	LegalPT           LegalForm = "pt"            // Perseroan Terbatas: limited company
	LegalPTPerorangan LegalForm = "pt_perorangan" // single-founder PT for UMK (UU Cipta Kerja)
	LegalKoperasi     LegalForm = "koperasi"      // cooperative
)

// LegalForms lists every legal form in a stable order, for forms and validation.
var LegalForms = []LegalForm{
	LegalPerorangan, LegalUD, LegalCV, LegalFirma, LegalPT, LegalPTPerorangan, LegalKoperasi,
}

var legalFormLabels = map[LegalForm]string{
	LegalPerorangan:   "Perorangan",
	LegalUD:           "Usaha Dagang (UD)",
	LegalCV:           "Persekutuan Komanditer (CV)",
	LegalFirma:        "Firma",
	LegalPT:           "Perseroan Terbatas (PT)",
	LegalPTPerorangan: "PT Perorangan",
	LegalKoperasi:     "Koperasi",
}

// Label returns the Indonesian name of the legal form, or the raw value when unknown.
func (f LegalForm) Label() string {
	if l, ok := legalFormLabels[f]; ok {
		return l
	}
	return string(f)
}

// Individual reports whether the tax subject behind the form is a person (orang pribadi) rather
// than a business entity (badan): true for perorangan and UD, whose owner is the taxpayer. This
// decides PPh 21 versus PPh 23 on services.
func (f LegalForm) Individual() bool { return f == LegalPerorangan || f == LegalUD }

// ParseLegalForm returns the legal form with the given name, or a CodeInvalid *Error for field
// "legal_form".
func ParseLegalForm(s string) (LegalForm, error) {
	for _, f := range LegalForms {
		if string(f) == s {
			return f, nil
		}
	}
	return "", Invalid("legal_form", "Bentuk usaha tidak dikenal.")
}

// SellerStatus is where a seller stands in curation by Dinas Koperasi dan UMKM.
type SellerStatus string

// The seller statuses.
const (
	SellerDraft            SellerStatus = "draft"             // being filled in by the owner
	SellerSubmitted        SellerStatus = "submitted"         // waiting for a curator
	SellerVerified         SellerStatus = "verified"          // may sell when eligible
	SellerRejected         SellerStatus = "rejected"          // refused; final
	SellerChangesRequested SellerStatus = "changes_requested" // the owner must fix and submit again
	SellerSuspended        SellerStatus = "suspended"         // banned, possibly until a date
)

// SellerStatuses lists every seller status in a stable order.
var SellerStatuses = []SellerStatus{
	SellerDraft, SellerSubmitted, SellerVerified, SellerRejected, SellerChangesRequested, SellerSuspended,
}

var sellerStatusLabels = map[SellerStatus]string{
	SellerDraft:            "Draf",
	SellerSubmitted:        "Menunggu verifikasi",
	SellerVerified:         "Terverifikasi",
	SellerRejected:         "Ditolak",
	SellerChangesRequested: "Perlu perbaikan",
	SellerSuspended:        "Dibekukan",
}

// Label returns the Indonesian name of the status.
func (s SellerStatus) Label() string {
	if l, ok := sellerStatusLabels[s]; ok {
		return l
	}
	return string(s)
}

// ParseSellerStatus returns the status with the given name, or a CodeInvalid *Error for field
// "status".
func ParseSellerStatus(s string) (SellerStatus, error) {
	for _, st := range SellerStatuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", Invalid("status", "Status penjual tidak dikenal.")
}

var sellerTransitions = map[SellerStatus][]SellerStatus{
	SellerDraft:            {SellerSubmitted},
	SellerSubmitted:        {SellerVerified, SellerRejected, SellerChangesRequested},
	SellerChangesRequested: {SellerSubmitted},
	SellerVerified:         {SellerSuspended},
	SellerSuspended:        {SellerVerified},
}

// SellerNext returns the statuses a seller may move to from s (none for rejected).
func SellerNext(s SellerStatus) []SellerStatus {
	return append([]SellerStatus(nil), sellerTransitions[s]...)
}

// SellerTransition checks a status change. It returns nil when allowed, else a CodeConflict
// *Error explaining it in Indonesian.
func SellerTransition(from, to SellerStatus) error {
	if contains(sellerTransitions[from], to) {
		return nil
	}
	return Conflict(fmt.Sprintf("Status penjual tidak dapat diubah dari %q ke %q.", from.Label(), to.Label()))
}

// SellerDecision is a curator's decision on a seller, as the verification API names it.
type SellerDecision string

// The curator decisions.
const (
	DecisionVerify         SellerDecision = "verify"
	DecisionReject         SellerDecision = "reject"
	DecisionRequestChanges SellerDecision = "request_changes"
	DecisionSuspend        SellerDecision = "suspend"
	DecisionReinstate      SellerDecision = "reinstate"
)

var sellerDecisionTarget = map[SellerDecision]SellerStatus{
	DecisionVerify:         SellerVerified,
	DecisionReject:         SellerRejected,
	DecisionRequestChanges: SellerChangesRequested,
	DecisionSuspend:        SellerSuspended,
	DecisionReinstate:      SellerVerified,
}

// Apply returns the status a seller in status from reaches by the decision. Reinstating applies
// only to a suspended seller and verifying only to a submitted one. It returns a CodeInvalid
// *Error for an unknown decision, a CodeConflict *Error when the decision does not fit the status,
// and a CodeInvalid *Error for field "reason" when a reject, request_changes or suspend decision
// has no reason.
func (d SellerDecision) Apply(from SellerStatus, reason string) (SellerStatus, error) {
	to, ok := sellerDecisionTarget[d]
	if !ok {
		return "", Invalid("decision", "Keputusan tidak dikenal.")
	}
	if (d == DecisionVerify && from != SellerSubmitted) || (d == DecisionReinstate && from != SellerSuspended) {
		return "", Conflict(fmt.Sprintf("Keputusan ini tidak berlaku untuk penjual berstatus %q.", from.Label()))
	}
	if d != DecisionVerify && d != DecisionReinstate && strings.TrimSpace(reason) == "" {
		return "", Invalid("reason", "Alasan wajib diisi.")
	}
	if err := SellerTransition(from, to); err != nil {
		return "", err
	}
	return to, nil
}

// UMKClass is a business's size class under PP 7/2021.
type UMKClass string

// The size classes.
const (
	ClassMicro  UMKClass = "micro"
	ClassSmall  UMKClass = "small"
	ClassMedium UMKClass = "medium"
	ClassLarge  UMKClass = "large"
)

var umkClassLabels = map[UMKClass]string{
	ClassMicro: "Usaha Mikro", ClassSmall: "Usaha Kecil", ClassMedium: "Usaha Menengah", ClassLarge: "Usaha Besar",
}

// Label returns the Indonesian name of the class.
func (c UMKClass) Label() string {
	if l, ok := umkClassLabels[c]; ok {
		return l
	}
	return string(c)
}

// UMKThreshold is one row of the PP 7/2021 size table: a business is at most Class by a figure
// when that figure is at most the row's maximum.
type UMKThreshold struct {
	Class      UMKClass
	MaxCapital Rupiah // business capital, excluding land and buildings
	MaxSales   Rupiah // annual sales
}

// UMKThresholds is the PP 7/2021 (Pasal 35) table, smallest class first; above the last row a
// business is large.
var UMKThresholds = []UMKThreshold{
	{Class: ClassMicro, MaxCapital: 1_000_000_000, MaxSales: 2_000_000_000},
	{Class: ClassSmall, MaxCapital: 5_000_000_000, MaxSales: 15_000_000_000},
	{Class: ClassMedium, MaxCapital: 10_000_000_000, MaxSales: 50_000_000_000},
}

// PKPThreshold is the annual turnover above which a business must register as PKP (Pengusaha
// Kena Pajak: a taxpayer that charges PPN) and can no longer use the PP 55/2022 final rate.
// [M] Rp4,8 miliar per PMK 197/PMK.03/2013; not yet checked against DOMAIN.md's sources.
const PKPThreshold Rupiah = 4_800_000_000

// ClassOf returns the PP 7/2021 class of a business from its declared capital and annual sales.
//
// Reading of the regulation: each figure implies a class on its own (the first row of
// UMKThresholds whose maximum it does not exceed), and the business is the higher of the two. So
// the "or" in "micro: capital up to Rp1.000.000.000 or sales up to Rp2.000.000.000" is not read
// as "either figure is enough": a business with Rp500.000.000 capital but Rp3.000.000.000 sales is
// small, not micro. This is the strict reading, chosen because eligibility for belanja langsung
// depends on it. A new business with no sales yet (0) is classed by its capital. Negative figures
// count as zero (Validate refuses them).
func ClassOf(capital, sales Rupiah) UMKClass {
	byCapital, bySales := ClassLarge, ClassLarge
	for i := len(UMKThresholds) - 1; i >= 0; i-- {
		t := UMKThresholds[i]
		if capital <= t.MaxCapital {
			byCapital = t.Class
		}
		if sales <= t.MaxSales {
			bySales = t.Class
		}
	}
	if umkRank(byCapital) > umkRank(bySales) {
		return byCapital
	}
	return bySales
}

func umkRank(c UMKClass) int {
	for i, t := range UMKThresholds {
		if t.Class == c {
			return i
		}
	}
	return len(UMKThresholds)
}

// Eligible reports whether a seller may sell through belanja langsung: verified (so not
// suspended, rejected or pending) and micro or small. When not, reasons says why in Indonesian,
// one sentence each.
func Eligible(status SellerStatus, class UMKClass) (ok bool, reasons []string) {
	switch status {
	case SellerVerified:
	case SellerSuspended:
		reasons = append(reasons, "Penjual sedang dibekukan.")
	default:
		reasons = append(reasons, fmt.Sprintf("Penjual belum terverifikasi (status: %s).", status.Label()))
	}
	if class != ClassMicro && class != ClassSmall {
		reasons = append(reasons, fmt.Sprintf("Belanja langsung hanya untuk usaha mikro dan kecil; penjual ini tergolong %s.", class.Label()))
	}
	return len(reasons) == 0, reasons
}

// Address is a seller's business address. Only the kecamatan is public.
type Address struct {
	Street     string // street, number, RT/RW
	Kelurahan  string // urban village
	Kecamatan  string // district; the seller's public location
	City       string // kota or kabupaten
	PostalCode string // 5 digits, optional
}

// BankAccount is where the treasurer pays a seller. It is private data.
type BankAccount struct {
	Bank   string
	Number string
	Holder string
}

// SellerRegistration is what a seller owner declares to register a business (issue 3).
type SellerRegistration struct {
	BusinessName string
	LegalForm    LegalForm
	NIB          string
	NPWP         string // optional only for perorangan and UD sellers that are not PKP
	OwnerNIK     string
	KBLI         []string // one or more
	Capital      Rupiah   // declared business capital
	AnnualSales  Rupiah   // declared annual sales
	PKP          bool
	// The PP 55/2022 certificate (Surat Keterangan): all three fields or none.
	PP55Number    string
	PP55ValidFrom time.Time
	PP55ValidTo   time.Time // last day of validity, inclusive
	Address       Address
	Phone         string
	Bank          BankAccount
}

// PP55ValidAt reports whether the registration holds a PP 55/2022 certificate valid on day t.
// The validity dates are calendar dates (their own year, month and day), compared with t's date
// in t's location; ValidTo is the last valid day.
func (r SellerRegistration) PP55ValidAt(t time.Time) bool {
	if r.PP55Number == "" || r.PP55ValidFrom.IsZero() || r.PP55ValidTo.IsZero() {
		return false
	}
	day := dateOf(t)
	return !day.Before(dateOf(r.PP55ValidFrom)) && !day.After(dateOf(r.PP55ValidTo))
}

// Class returns the registration's PP 7/2021 class.
func (r SellerRegistration) Class() UMKClass { return ClassOf(r.Capital, r.AnnualSales) }

// Normalized validates every field and returns a copy with normalised values: NIB, NIK and KBLI
// trimmed, NPWP in 16 digits, phone as +62…, KBLI without duplicates, text trimmed. The error is a
// CodeInvalid *Error whose Fields name every problem (field names as in the API: business_name,
// legal_form, nib, npwp, owner_nik, kbli, capital, annual_sales, class, pp55_number,
// pp55_valid_from, pp55_valid_to, address.street, address.kelurahan, address.kecamatan,
// address.city, address.postal_code, phone, bank.name, bank.number, bank.holder).
func (r SellerRegistration) Normalized() (SellerRegistration, error) {
	fe := FieldErrors{}
	out := r
	out.BusinessName = strings.Join(strings.Fields(r.BusinessName), " ")
	switch n := utf8.RuneCountInString(out.BusinessName); {
	case n == 0:
		fe.Add("business_name", "Nama usaha wajib diisi.")
	case n < 3 || n > 150:
		fe.Add("business_name", "Nama usaha harus 3 sampai 150 karakter.")
	}
	if _, err := ParseLegalForm(string(r.LegalForm)); err != nil {
		fe.Add("legal_form", "Pilih bentuk usaha.")
	}
	var msg string
	if out.NIB, msg = checkNIB(r.NIB); msg != "" {
		fe.Add("nib", msg)
	}
	npwpOptional := r.LegalForm.Individual() && !r.PKP
	switch {
	case strings.TrimSpace(r.NPWP) == "" && npwpOptional:
		out.NPWP = ""
	case strings.TrimSpace(r.NPWP) == "" && r.PKP:
		fe.Add("npwp", "NPWP wajib diisi untuk PKP.")
	case strings.TrimSpace(r.NPWP) == "":
		fe.Add("npwp", "NPWP wajib diisi untuk badan usaha.")
	default:
		if out.NPWP, msg = checkNPWP(r.NPWP); msg != "" {
			fe.Add("npwp", msg)
		}
	}
	if out.OwnerNIK, msg = checkNIK(r.OwnerNIK); msg != "" {
		fe.Add("owner_nik", msg)
	}
	out.KBLI = nil
	for _, k := range r.KBLI {
		v, msg := checkKBLI(k)
		if msg != "" {
			fe.Add("kbli", msg)
			continue
		}
		if !contains(out.KBLI, v) {
			out.KBLI = append(out.KBLI, v)
		}
	}
	if len(r.KBLI) == 0 {
		fe.Add("kbli", "Isi minimal satu kode KBLI sesuai NIB.")
	}
	if r.Capital < 0 {
		fe.Add("capital", "Modal usaha tidak boleh negatif.")
	}
	if r.AnnualSales < 0 {
		fe.Add("annual_sales", "Hasil penjualan tahunan tidak boleh negatif.")
	}
	if r.Capital >= 0 && r.AnnualSales >= 0 {
		if c := r.Class(); c != ClassMicro && c != ClassSmall {
			fe.Add("class", fmt.Sprintf("Menurut modal dan penjualan yang diisi, usaha ini tergolong %s. Belanja langsung hanya untuk usaha mikro dan kecil.", c.Label()))
		}
	}
	out.PP55Number = strings.TrimSpace(r.PP55Number)
	hasPP55 := out.PP55Number != "" || !r.PP55ValidFrom.IsZero() || !r.PP55ValidTo.IsZero()
	if hasPP55 {
		switch {
		case out.PP55Number == "":
			fe.Add("pp55_number", "Nomor Surat Keterangan PP 55/2022 wajib diisi.")
		case utf8.RuneCountInString(out.PP55Number) > 64:
			fe.Add("pp55_number", "Nomor Surat Keterangan terlalu panjang.")
		}
		if r.PP55ValidFrom.IsZero() {
			fe.Add("pp55_valid_from", "Tanggal mulai berlaku wajib diisi.")
		}
		if r.PP55ValidTo.IsZero() {
			fe.Add("pp55_valid_to", "Tanggal akhir berlaku wajib diisi.")
		} else if !r.PP55ValidFrom.IsZero() && r.PP55ValidTo.Before(r.PP55ValidFrom) {
			fe.Add("pp55_valid_to", "Tanggal akhir berlaku harus sesudah tanggal mulai.")
		}
		if strings.TrimSpace(r.NPWP) == "" {
			fe.Add("npwp", "Pemegang Surat Keterangan PP 55/2022 wajib mengisi NPWP.")
		}
	}
	out.Address = Address{
		Street:     strings.TrimSpace(r.Address.Street),
		Kelurahan:  strings.TrimSpace(r.Address.Kelurahan),
		Kecamatan:  strings.TrimSpace(r.Address.Kecamatan),
		City:       strings.TrimSpace(r.Address.City),
		PostalCode: strings.TrimSpace(r.Address.PostalCode),
	}
	requireText(fe, "address.street", out.Address.Street, "Alamat jalan wajib diisi.", 200)
	requireText(fe, "address.kelurahan", out.Address.Kelurahan, "Kelurahan wajib diisi.", 100)
	requireText(fe, "address.kecamatan", out.Address.Kecamatan, "Kecamatan wajib diisi.", 100)
	requireText(fe, "address.city", out.Address.City, "Kota/kabupaten wajib diisi.", 100)
	if p := out.Address.PostalCode; p != "" && (!asciiDigits(p) || len(p) != 5) {
		fe.Add("address.postal_code", "Kode pos harus 5 angka.")
	}
	if out.Phone, msg = checkPhone(r.Phone); msg != "" {
		fe.Add("phone", msg)
	}
	out.Bank.Bank = strings.TrimSpace(r.Bank.Bank)
	out.Bank.Holder = strings.Join(strings.Fields(r.Bank.Holder), " ")
	requireText(fe, "bank.name", out.Bank.Bank, "Nama bank wajib diisi.", 100)
	requireText(fe, "bank.holder", out.Bank.Holder, "Nama pemilik rekening wajib diisi.", 150)
	if out.Bank.Number, msg = checkBankAccount(r.Bank.Number); msg != "" {
		fe.Add("bank.number", msg)
	}
	if err := fe.Err(); err != nil {
		return SellerRegistration{}, err
	}
	return out, nil
}

// Validate checks every field of the registration; see Normalized for the error.
func (r SellerRegistration) Validate() error {
	_, err := r.Normalized()
	return err
}

func checkBankAccount(s string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "Nomor rekening wajib diisi."
	}
	d := strings.NewReplacer(" ", "", "-", "", ".", "").Replace(s)
	if !asciiDigits(d) || len(d) < 6 || len(d) > 20 {
		return "", "Nomor rekening harus 6 sampai 20 angka."
	}
	return d, ""
}

func requireText(fe FieldErrors, field, v, missing string, max int) {
	switch {
	case v == "":
		fe.Add(field, missing)
	case utf8.RuneCountInString(v) > max:
		fe.Add(field, fmt.Sprintf("Paling banyak %d karakter.", max))
	}
}

// asciiDigits reports whether s is non-empty and only ASCII digits.
func asciiDigits(s string) bool {
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

// atoi2 converts two ASCII digits.
func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

func realDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d && int(t.Month()) == m
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

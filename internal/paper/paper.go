// Package paper renders Bela's procurement documents — Surat Pesanan, Berita Acara Serah Terima
// (BAST), invoice (tagihan) and kuitansi — as A4 PDFs in Bahasa Indonesia, each with the
// instance's letterhead, a signatures block of logged actions and a QR code to the document's
// public verification page. Rendering is deterministic: the same input gives the same bytes, so
// a stored document's SHA-256 can be checked by regenerating it.
//
// The package renders what its caller loaded; it reads no database and computes no tax. Its
// input types are plain structs that the caller fills from the store, with amounts and the tax
// breakdown from internal/market.
package paper

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"time"

	"bela/internal/market"
)

// ErrInvalid is wrapped by every error a renderer returns for input it cannot render faithfully:
// a missing number, date, party or verification URL, or amounts that do not add up.
var ErrInvalid = errors.New("paper: invalid document input")

// Kind names a document type; it is also the {kind} of the download path
// /api/v1/orders/{id}/documents/{kind}.pdf.
type Kind string

// The document kinds.
const (
	KindOrderLetter Kind = "surat-pesanan"
	KindBAST        Kind = "bast"
	KindInvoice     Kind = "invoice"
	KindKuitansi    Kind = "kuitansi"
)

// Kinds lists every document kind in the order of a purchase.
func Kinds() []Kind { return []Kind{KindOrderLetter, KindBAST, KindInvoice, KindKuitansi} }

// Title returns the document's title as printed: "SURAT PESANAN", "BERITA ACARA SERAH TERIMA",
// "TAGIHAN (INVOICE)", "KUITANSI".
func (k Kind) Title() string {
	switch k {
	case KindOrderLetter:
		return "SURAT PESANAN"
	case KindBAST:
		return "BERITA ACARA SERAH TERIMA"
	case KindInvoice:
		return "TAGIHAN (INVOICE)"
	case KindKuitansi:
		return "KUITANSI"
	}
	return string(k)
}

// Label returns the Indonesian name in running text: "Surat Pesanan", "BAST", "Tagihan",
// "Kuitansi".
func (k Kind) Label() string {
	switch k {
	case KindOrderLetter:
		return "Surat Pesanan"
	case KindBAST:
		return "BAST"
	case KindInvoice:
		return "Tagihan"
	case KindKuitansi:
		return "Kuitansi"
	}
	return string(k)
}

// Document is one renderable document: OrderLetter, BAST, Invoice or Kuitansi.
type Document interface {
	// Kind says which document it is.
	Kind() Kind
	// PDF renders the document; the error wraps ErrInvalid for input that cannot be rendered.
	PDF() ([]byte, error)
}

// SHA256 returns the lowercase hexadecimal SHA-256 of a rendered document, as stored with it and
// shown on its public verification page.
func SHA256(pdf []byte) string {
	sum := sha256.Sum256(pdf)
	return hex.EncodeToString(sum[:])
}

// Instance is the Pemda that runs Bela, printed at the top of every letterhead.
type Instance struct {
	Name     string         // "Pemerintah Kota Medan"
	Region   string         // "Provinsi Sumatera Utara": the line under the name; optional
	City     string         // "Medan": the place before the date of signing
	Location *time.Location // the instance's time zone (Asia/Jakarta, shown as WIB); required
}

// Unit is the work unit (OPD/satker) that buys.
type Unit struct {
	Name    string // "Dinas Komunikasi dan Informatika"
	Code    string // "DISKOMINFO"
	Address string // the office address on the letterhead; optional
	Contact string // a public contact line (telephone of the office, website); optional
}

// Official is a named official of the unit acting in a role.
type Official struct {
	Name string
	NIP  string // the civil-servant number; printed on the document, never on a public page
	Role string // "Pejabat Pembuat Komitmen", "Pejabat Pengadaan", "Bendahara Pengeluaran", ...
}

// BankAccount is where the seller asks to be paid; printed on the invoice only.
type BankAccount struct {
	Bank   string
	Number string
	Holder string
}

// Seller is the UMK business that sells.
type Seller struct {
	Name           string // business name, "CV Sinar Deli"
	Representative string // the person who acts for it (owner or staff); optional
	Address        string // the business address
	NPWP           string // printed on the invoice only, where the tax documents need it
	PKP            bool   // the seller charges PPN (Pengusaha Kena Pajak)
	Class          string // "Usaha Mikro" or "Usaha Kecil"; optional
	Bank           BankAccount
}

// Line is one line of goods or services with its amount (Quantity × UnitPrice).
type Line struct {
	Name      string
	Unit      string // unit of measure: "rim", "buah", "paket"
	Quantity  int64
	UnitPrice market.Rupiah
	Amount    market.Rupiah
	Note      string // optional: specification, variant
}

// Signature is one official's or the seller's signing action as Bela logged it: an
// authenticated, recorded action by the named person, not a certified electronic signature (TTE).
type Signature struct {
	Heading string    // above the name: "Pejabat Pembuat Komitmen," or "Penyedia,"; optional (Role is used)
	Name    string    // required
	NIP     string    // optional (sellers have none)
	Role    string    // required: "Pejabat Pembuat Komitmen", "Penerima Barang", "Pemilik CV Sinar Deli"
	Action  string    // what the action was: "Menyetujui Surat Pesanan"; optional
	At      time.Time // when it was done; zero means not signed yet
}

// Header is what every document has: the instance and unit of the letterhead, the document's
// number and date, and the URL of its public verification page for the QR code.
type Header struct {
	Instance Instance
	Unit     Unit
	Number   string
	// Date is the document's date; it is also the PDF's creation and modification date, so it
	// must come from stored data for the output to be reproducible.
	Date time.Time
	// VerifyURL is the absolute http(s) URL of the public verification page, by document id; it
	// carries no private data.
	VerifyURL string
}

func (h Header) validate(what string) error {
	var missing []string
	if h.Instance.Name == "" {
		missing = append(missing, "instance name")
	}
	if h.Instance.Location == nil {
		missing = append(missing, "instance time zone")
	}
	if h.Unit.Name == "" {
		missing = append(missing, "unit name")
	}
	if h.Number == "" {
		missing = append(missing, "number")
	}
	if h.Date.IsZero() {
		missing = append(missing, "date")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s: missing %v", ErrInvalid, what, missing)
	}
	u, err := url.Parse(h.VerifyURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%w: %s: verification URL %q is not an absolute http(s) URL", ErrInvalid, what, h.VerifyURL)
	}
	return nil
}

func validateSignatures(what string, sigs []Signature) error {
	for i, s := range sigs {
		if s.Name == "" || s.Role == "" {
			return fmt.Errorf("%w: %s: signature %d needs a name and a role", ErrInvalid, what, i+1)
		}
	}
	return nil
}

// validateLines checks that every line has a name and that its amount is quantity × unit price,
// and returns the sum of the amounts.
func validateLines(what string, lines []Line) (market.Rupiah, error) {
	if len(lines) == 0 {
		return 0, fmt.Errorf("%w: %s: no lines", ErrInvalid, what)
	}
	var sum market.Rupiah
	for i, l := range lines {
		if l.Name == "" {
			return 0, fmt.Errorf("%w: %s: line %d has no name", ErrInvalid, what, i+1)
		}
		amount, err := market.LineAmount(l.UnitPrice, l.Quantity)
		if err != nil {
			return 0, fmt.Errorf("%w: %s: line %d: %w", ErrInvalid, what, i+1, err)
		}
		if amount != l.Amount {
			return 0, fmt.Errorf("%w: %s: line %d amount %s is not %d × %s", ErrInvalid, what, i+1, l.Amount, l.Quantity, l.UnitPrice)
		}
		sum += amount
	}
	return sum, nil
}

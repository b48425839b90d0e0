package paper

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
)

// BAST is a Berita Acara Serah Terima: the record that the receiver (or the PPK) took delivery of
// goods or services of an order. A receipt may be partial; each BAST records what this delivery
// brought and what earlier ones did.
type BAST struct {
	Header
	// Sequence counts the order's BASTs from 1 ("BAST ke-2"); 0 prints none.
	Sequence    int
	OrderNumber string    // the Surat Pesanan's number; required
	OrderDate   time.Time // the Surat Pesanan's date; optional
	KodeRUP     string    // optional
	ReceivedAt  time.Time // when the goods were checked; zero means the document's Date
	Place       string    // where they were handed over; empty means the unit
	Seller      Seller
	Receiver    Official // who checked the goods; required
	PPK         Official // optional
	Lines       []DeliveryLine
	// Value is the value of what this BAST receives, before PPN: the sum of the lines' amounts.
	Value market.Rupiah
	Notes string // optional remarks (damaged items, replacements)
	// Photos are the SHA-256 (hex) of the photos taken at the handover, kept in Bela; the
	// document lists them so that a photo can be matched to its BAST.
	Photos     []string
	Signatures []Signature // the seller's handover, the receiver's and the PPK's confirmation
}

// DeliveryLine is one order line as a BAST records it.
type DeliveryLine struct {
	Name           string
	Unit           string
	Ordered        int64 // quantity in the Surat Pesanan
	ReceivedBefore int64 // received by earlier BASTs
	Received       int64 // received by this BAST
	UnitPrice      market.Rupiah
	Amount         market.Rupiah // Received × UnitPrice
	Condition      string        // "Baik", "Baik, sesuai spesifikasi", "Rusak 1 buah (ditolak)"
}

// Kind returns KindBAST.
func (BAST) Kind() Kind { return KindBAST }

// Partial reports whether, after this BAST, some ordered quantity is still not received.
func (b BAST) Partial() bool {
	for _, l := range b.Lines {
		if l.ReceivedBefore+l.Received < l.Ordered {
			return true
		}
	}
	return false
}

func (b BAST) validate() error {
	const what = "bast"
	if err := b.Header.validate(what); err != nil {
		return err
	}
	if b.OrderNumber == "" || b.Seller.Name == "" || b.Receiver.Name == "" {
		return fmt.Errorf("%w: %s: order number, seller and receiver are required", ErrInvalid, what)
	}
	if len(b.Lines) == 0 {
		return fmt.Errorf("%w: %s: no lines", ErrInvalid, what)
	}
	var sum market.Rupiah
	some := false
	for i, l := range b.Lines {
		if l.Name == "" || l.Ordered <= 0 || l.ReceivedBefore < 0 || l.Received < 0 || l.ReceivedBefore+l.Received > l.Ordered {
			return fmt.Errorf("%w: %s: line %d: name and quantities (ordered %d, before %d, now %d) are not possible",
				ErrInvalid, what, i+1, l.Ordered, l.ReceivedBefore, l.Received)
		}
		amount, err := market.LineAmount(l.UnitPrice, l.Received)
		if err != nil {
			return fmt.Errorf("%w: %s: line %d: %w", ErrInvalid, what, i+1, err)
		}
		if amount != l.Amount {
			return fmt.Errorf("%w: %s: line %d amount %s is not %d × %s", ErrInvalid, what, i+1, l.Amount, l.Received, l.UnitPrice)
		}
		sum += amount
		some = some || l.Received > 0
	}
	if !some {
		return fmt.Errorf("%w: %s: nothing received", ErrInvalid, what)
	}
	if sum != b.Value {
		return fmt.Errorf("%w: %s: value %s is not the sum of the lines %s", ErrInvalid, what, b.Value, sum)
	}
	return validateSignatures(what, b.Signatures)
}

// PDF renders the BAST. The error wraps ErrInvalid for missing fields, impossible quantities or
// amounts that do not add up.
func (b BAST) PDF() ([]byte, error) {
	if err := b.validate(); err != nil {
		return nil, err
	}
	loc := b.Instance.Location
	p := newPage(KindBAST, b.Header)
	sub := ""
	if b.Sequence > 0 {
		sub = "Serah terima ke-" + strconv.Itoa(b.Sequence)
	}
	if b.Partial() {
		if sub != "" {
			sub += " – "
		}
		sub += "penerimaan sebagian"
	}
	p.title(sub)

	received := b.ReceivedAt
	if received.IsZero() {
		received = b.Date
	}
	place := b.Place
	if place == "" {
		place = b.Unit.Name
	}
	order := "Surat Pesanan Nomor " + b.OrderNumber
	if !b.OrderDate.IsZero() {
		order += " tanggal " + Date(b.OrderDate, loc)
	}
	if b.KodeRUP != "" {
		order += " (Kode RUP " + b.KodeRUP + ")"
	}
	p.para("Pada hari ini "+dayDate(received, loc)+", bertempat di "+place+", kami yang bertanda tangan di bawah ini "+
		"telah melakukan serah terima barang/jasa berdasarkan "+order+", dengan rincian sebagai berikut.", "", 9.5, "L", colText)
	p.gap(3)

	first := []field{{"Nama usaha", b.Seller.Name}}
	if b.Seller.Representative != "" {
		first = append(first, field{"Diwakili oleh", b.Seller.Representative})
	}
	if b.Seller.Address != "" {
		first = append(first, field{"Alamat", b.Seller.Address})
	}
	second := []field{{"Unit kerja", b.Unit.Name}, {"Penerima", officialText(b.Receiver)}}
	if b.Receiver.Role != "" {
		second = append(second, field{"Jabatan", b.Receiver.Role})
	}
	if b.PPK.Name != "" {
		second = append(second, field{"PPK", officialText(b.PPK)})
	}
	p.boxes(box{"Pihak Pertama – yang menyerahkan (Penyedia)", first}, box{"Pihak Kedua – yang menerima", second})

	cols := []column{
		{"No.", 8, "C"},
		{"Nama barang/jasa", 42, "L"},
		{"Satuan", 13, "C"},
		{"Dipesan", 15, "R"},
		{"Diterima sebelumnya", 21, "R"},
		{"Diterima kali ini", 17, "R"},
		{"Sisa", 12, "R"},
		{"Kondisi", 21, "L"},
		{"Nilai diterima", 25, "R"},
	}
	rows := make([][]cell, len(b.Lines))
	for i, l := range b.Lines {
		rows[i] = []cell{
			{text: strconv.Itoa(i + 1)},
			{text: l.Name, sub: "@ " + l.UnitPrice.String()},
			{text: l.Unit},
			{text: quantity(l.Ordered)},
			{text: quantity(l.ReceivedBefore)},
			{text: quantity(l.Received)},
			{text: quantity(l.Ordered - l.ReceivedBefore - l.Received)},
			{text: l.Condition},
			{text: l.Amount.String()},
		}
	}
	p.tableWithSums(cols, rows, []sumRow{{label: "NILAI BARANG/JASA YANG DITERIMA (sebelum PPN)", amount: b.Value.String(), bold: true, shade: true}})
	p.gap(3)

	status := "LENGKAP – seluruh barang/jasa dalam Surat Pesanan telah diterima."
	if b.Partial() {
		var rest int64
		for _, l := range b.Lines {
			rest += l.Ordered - l.ReceivedBefore - l.Received
		}
		status = fmt.Sprintf("SEBAGIAN – masih ada %s satuan barang/jasa yang belum diterima; sisanya diserahkan "+
			"dengan BAST berikutnya atau ditutup sesuai keputusan PPK.", quantity(rest))
	}
	p.fields(36, []field{{"Status penerimaan", status}, {"Waktu pemeriksaan", DateTime(received, loc)}})
	if b.Notes != "" {
		p.fields(36, []field{{"Catatan", b.Notes}})
	}
	if len(b.Photos) > 0 {
		p.fields(36, []field{{"Lampiran foto", fmt.Sprintf("%d foto di Bela, SHA-256: %s", len(b.Photos), strings.Join(b.Photos, ", "))}})
	}
	p.gap(2)
	p.para("Barang/jasa tersebut telah diperiksa dan diterima dalam kondisi sebagaimana tercantum di atas. "+
		"Demikian Berita Acara Serah Terima ini dibuat untuk dipergunakan sebagaimana mestinya.", "", 9.5, "L", colText)
	p.gap(4)
	p.signatures(b.Signatures, "")
	if err := p.verification(); err != nil {
		return nil, err
	}
	return p.bytes()
}

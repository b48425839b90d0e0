package paper

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"bela/internal/market"
)

// Kuitansi is the receipt of payment the seller signs for an invoice. It states what was
// actually received: every payment with its date, method and reference, and their sum; it says
// "Lunas" only when PaidInFull. Above the meterai threshold (Rp5.000.000) it carries an e-meterai
// box; the meterai is borne by the seller, not withheld.
type Kuitansi struct {
	Header
	InvoiceNumber string // required
	OrderNumber   string // the Surat Pesanan's number; required
	// Purpose completes "Untuk pembayaran"; empty prints a sentence naming the order and invoice.
	Purpose string
	Payer   Official // the Bendahara Pengeluaran who pays; required
	Seller  Seller   // the payee
	// Payments are the payments to the seller, oldest first; none means the kuitansi is prepared
	// with the invoice and nothing is paid yet.
	Payments []KuitansiPayment
	// PaidInFull says the payments cover the net and every tax the treasurer deposits is
	// deposited; only then does the kuitansi say "Lunas".
	PaidInFull bool
	// Taxes is the invoice's breakdown from market.TaxBreakdown; its MeteraiRequired decides the
	// e-meterai box.
	Taxes         market.InvoiceTaxes
	MeteraiSerial string // the e-meterai's serial number once affixed; optional
	// Signatures are the officials' actions (PPK "Setuju dibayar", Bendahara recording the payment).
	Signatures []Signature
	// Payee is the seller's signature "Yang menerima"; the e-meterai box sits in it.
	Payee Signature
}

// KuitansiPayment is one payment to the seller as the treasurer entered it.
type KuitansiPayment struct {
	Date      time.Time     // the payment date (SP2D, card or transfer date), a calendar day; required
	Method    string        // "LS (transfer dengan SP2D)", "KKPD", "UP/GU"; optional
	Reference string        // SP2D number, card transaction or transfer reference; optional
	Amount    market.Rupiah // paid to the seller; required, above zero
}

// Received returns the sum of the payments to the seller.
func (k Kuitansi) Received() market.Rupiah {
	var sum market.Rupiah
	for _, pm := range k.Payments {
		sum += pm.Amount
	}
	return sum
}

// Amount is the kuitansi's amount ("Uang sebanyak"): the invoice's total while nothing is paid
// (the kuitansi as prepared), otherwise what the payments settled — the amounts paid to the
// seller plus the taxes the treasurer collected or withheld on the seller's behalf. It equals the
// total once paid in full with the net.
func (k Kuitansi) Amount() market.Rupiah {
	if len(k.Payments) == 0 {
		return k.Taxes.Total
	}
	return k.Received() + k.Taxes.Total - k.Taxes.NetToSeller
}

// Kind returns KindKuitansi.
func (Kuitansi) Kind() Kind { return KindKuitansi }

func (k Kuitansi) validate() error {
	const what = "kuitansi"
	if err := k.Header.validate(what); err != nil {
		return err
	}
	if k.InvoiceNumber == "" || k.OrderNumber == "" || k.Payer.Name == "" || k.Seller.Name == "" {
		return fmt.Errorf("%w: %s: invoice number, order number, payer and seller are required", ErrInvalid, what)
	}
	if err := validateTaxes(what, k.Taxes); err != nil {
		return err
	}
	if k.Taxes.MeteraiRequired && k.Taxes.Meterai <= 0 {
		return fmt.Errorf("%w: %s: meterai required without its amount", ErrInvalid, what)
	}
	for i, pm := range k.Payments {
		if pm.Date.IsZero() || pm.Amount <= 0 {
			return fmt.Errorf("%w: %s: payment %d needs a date and an amount above zero", ErrInvalid, what, i+1)
		}
	}
	if k.PaidInFull && k.Received() < k.Taxes.NetToSeller {
		return fmt.Errorf("%w: %s: paid in full with %s received of a net of %s", ErrInvalid, what, k.Received(), k.Taxes.NetToSeller)
	}
	return validateSignatures(what, append(append([]Signature(nil), k.Signatures...), k.Payee))
}

// PDF renders the kuitansi. The error wraps ErrInvalid for missing fields, a breakdown that does
// not add up, or payments that do not support "Lunas".
func (k Kuitansi) PDF() ([]byte, error) {
	if err := k.validate(); err != nil {
		return nil, err
	}
	loc := k.Instance.Location
	t := k.Taxes
	amount, received := k.Amount(), k.Received()
	p := newPage(KindKuitansi, k.Header)
	p.title("")

	purpose := k.Purpose
	if purpose == "" {
		purpose = "Pembayaran barang/jasa sesuai Surat Pesanan Nomor " + k.OrderNumber +
			" dan Tagihan Nomor " + k.InvoiceNumber + " melalui Bela."
	}
	from := "Bendahara Pengeluaran " + k.Unit.Name
	if k.Instance.Name != "" {
		from += ", " + k.Instance.Name
	}
	p.fields(38, []field{
		{"Sudah terima dari", from},
		{"Yang menerima", k.Seller.Name},
	})
	p.gap(1)
	// The amount in words, in a shaded band as on a printed kuitansi.
	p.font("BI", 10)
	words := p.wrap(Words(amount), contentW-38-4-2*pad)
	h := float64(len(words))*p.lineH() + 2*pad
	p.ensure(h)
	y := p.pdf.GetY()
	p.color(colMuted)
	p.font("", 9.5)
	p.pdf.SetXY(marginL, y+pad)
	p.pdf.CellFormat(38, p.lineH(), encode("Uang sebanyak"), "", 0, "L", false, 0, "")
	p.pdf.CellFormat(4, p.lineH(), ":", "", 0, "L", false, 0, "")
	p.fill(colHead)
	p.draw(colRule)
	p.pdf.Rect(marginL+42, y, contentW-42, h, "FD")
	p.color(colText)
	p.font("BI", 10)
	p.lines(marginL+42+pad, y+pad, contentW-42-2*pad, words, "L")
	p.pdf.SetXY(marginL, y+h+1.5)
	fs := []field{{"Untuk pembayaran", purpose}}
	// The payment dates as the treasurer entered them; methods and references are in the table.
	var dates []string
	for _, pm := range k.Payments {
		if d := Date(pm.Date, loc); !slices.Contains(dates, d) {
			dates = append(dates, d)
		}
	}
	if len(dates) > 0 {
		fs = append(fs, field{"Tanggal pembayaran", strings.Join(dates, "; ")})
	}
	outstanding := t.NetToSeller - received
	// The status stands beside the amount box: "Lunas" only when paid in full.
	status := "Status pembayaran: belum dibayar"
	switch {
	case k.PaidInFull:
		status = "Status pembayaran: Lunas"
	case len(k.Payments) > 0:
		status = "Status pembayaran: dibayar sebagian"
		if outstanding > 0 {
			status += "; sisa " + outstanding.String() + " belum dibayar"
		}
	}
	p.fields(38, fs)
	p.gap(2)

	// The amount, large, and what of it reaches the seller.
	p.ensure(14)
	y = p.pdf.GetY()
	p.draw(colAccent)
	p.pdf.SetLineWidth(0.5)
	p.fill(colBox)
	p.pdf.Rect(marginL, y, 70, 12, "FD")
	p.font("B", 15)
	p.color(colAccent)
	p.pdf.SetXY(marginL+pad, y+2.5)
	p.pdf.CellFormat(70-2*pad, 7, encode(amount.String()), "", 0, "L", false, 0, "")
	p.pdf.SetLineWidth(0.2)
	p.color(colText)
	p.font("B", 9.5)
	sw := contentW - 70 - 4
	sl := p.wrap(status, sw)
	p.lines(marginL+74, y+6-float64(len(sl))*p.lineH()/2, sw, sl, "L")
	p.pdf.SetXY(marginL, y+16)

	// One table: the invoice's breakdown down to the net, then each payment received, summed.
	rows := [][]cell{{{text: "Jumlah tagihan"}, {text: t.Total.String()}}}
	if t.PPNDepositor == market.PartyTreasurer && t.PPN > 0 {
		rows = append(rows, []cell{{text: "Dikurangi PPN dipungut Bendahara"}, {text: t.PPN.String()}})
	}
	if t.Withheld > 0 {
		rows = append(rows, []cell{{text: fmt.Sprintf("Dikurangi %s %s", t.Withholding.Label(), t.WithholdingRate.Percent())}, {text: t.Withheld.String()}})
	}
	rows = append(rows, []cell{{text: "Neto untuk penyedia"}, {text: t.NetToSeller.String()}})
	var sums []sumRow
	if len(k.Payments) == 0 {
		sums = []sumRow{{label: "BELUM DIBAYAR", amount: t.NetToSeller.String(), bold: true, shade: true}}
	}
	for _, pm := range k.Payments {
		what := "Dibayar " + Date(pm.Date, loc)
		for _, part := range []string{pm.Method, pm.Reference} {
			if part != "" {
				what += " · " + part
			}
		}
		rows = append(rows, []cell{{text: what}, {text: pm.Amount.String()}})
	}
	if len(k.Payments) > 0 {
		sums = []sumRow{{label: "DITERIMA PENYEDIA", amount: received.String(), bold: true, shade: true}}
		switch {
		case outstanding > 0:
			sums = append(sums, sumRow{label: "Sisa belum dibayar", amount: outstanding.String()})
		case outstanding < 0:
			sums = append(sums, sumRow{label: "Lebih dibayar", amount: (-outstanding).String()})
		}
	}
	cols := []column{{"Rincian pembayaran", contentW - 40, "L"}, {"Jumlah", 40, "R"}}
	p.tableWithSums(cols, rows, sums)
	stamp := ""
	if t.MeteraiRequired {
		p.gap(1.5)
		p.para(fmt.Sprintf("Bea meterai %s atas kuitansi ini dibayar dengan e-meterai yang ditanggung penyedia, tidak dipotong dari pembayaran.",
			t.Meterai), "I", 8.5, "L", colMuted)
		stamp = "e-Meterai " + t.Meterai.String()
		if k.MeteraiSerial != "" {
			stamp += " " + k.MeteraiSerial
		}
		stamp += " ditanggung penyedia"
	}
	p.gap(2.5)
	sigs := append(append([]Signature(nil), k.Signatures...), k.Payee)
	p.signatures(sigs, stamp)
	if err := p.verification(); err != nil {
		return nil, err
	}
	return p.bytes()
}

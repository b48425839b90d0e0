package paper

import (
	"fmt"
	"time"

	"bela/internal/market"
)

// Kuitansi is the receipt of payment the seller signs for an invoice. Above the meterai threshold
// (Rp5.000.000) it carries an e-meterai box; the meterai is borne by the seller, not withheld.
type Kuitansi struct {
	Header
	InvoiceNumber string // required
	OrderNumber   string // the Surat Pesanan's number; required
	// Purpose completes "Untuk pembayaran"; empty prints a sentence naming the order and invoice.
	Purpose       string
	Payer         Official  // the Bendahara Pengeluaran who pays; required
	Seller        Seller    // the payee
	PaymentMethod string    // "LS (transfer)", "KKPD", "UP/GU"; optional
	PaidAt        time.Time // when the payment was recorded; optional
	// Taxes is the invoice's breakdown from market.TaxBreakdown; its Total is the kuitansi's
	// amount and its MeteraiRequired decides the e-meterai box.
	Taxes         market.InvoiceTaxes
	MeteraiSerial string // the e-meterai's serial number once affixed; optional
	// Signatures are the officials' actions (PPK "Setuju dibayar", Bendahara "Lunas dibayar").
	Signatures []Signature
	// Payee is the seller's signature "Yang menerima"; the e-meterai box sits in it.
	Payee Signature
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
	return validateSignatures(what, append(append([]Signature(nil), k.Signatures...), k.Payee))
}

// PDF renders the kuitansi. The error wraps ErrInvalid for missing fields or a breakdown that does
// not add up.
func (k Kuitansi) PDF() ([]byte, error) {
	if err := k.validate(); err != nil {
		return nil, err
	}
	loc := k.Instance.Location
	t := k.Taxes
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
	words := p.wrap(Words(t.Total), contentW-38-4-2*pad)
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
	p.fields(38, []field{{"Untuk pembayaran", purpose}})
	if k.PaymentMethod != "" || !k.PaidAt.IsZero() {
		var fs []field
		if k.PaymentMethod != "" {
			fs = append(fs, field{"Cara pembayaran", k.PaymentMethod})
		}
		if !k.PaidAt.IsZero() {
			fs = append(fs, field{"Tanggal pembayaran", Date(k.PaidAt, loc)})
		}
		p.fields(38, fs)
	}
	p.gap(3)

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
	p.pdf.CellFormat(70-2*pad, 7, encode(t.Total.String()), "", 0, "L", false, 0, "")
	p.pdf.SetLineWidth(0.2)
	p.color(colText)
	p.pdf.SetXY(marginL, y+16)

	rows := []field{{"Jumlah kuitansi", t.Total.String()}}
	if t.PPNDepositor == market.PartyTreasurer && t.PPN > 0 {
		rows = append(rows, field{"Dikurangi PPN dipungut Bendahara", t.PPN.String()})
	}
	if t.Withheld > 0 {
		rows = append(rows, field{fmt.Sprintf("Dikurangi %s %s", t.Withholding.Label(), t.WithholdingRate.Percent()), t.Withheld.String()})
	}
	rows = append(rows, field{"Diterima penyedia", t.NetToSeller.String()})
	p.heading("Rincian pembayaran")
	cols := []column{{"Uraian", contentW - 40, "L"}, {"Jumlah", 40, "R"}}
	var cells [][]cell
	for _, r := range rows[:len(rows)-1] {
		cells = append(cells, []cell{{text: r.label}, {text: r.value}})
	}
	p.tableWithSums(cols, cells, []sumRow{{label: "DITERIMA PENYEDIA", amount: t.NetToSeller.String(), bold: true, shade: true}})
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
	p.gap(4)
	sigs := append(append([]Signature(nil), k.Signatures...), k.Payee)
	p.signatures(sigs, stamp)
	if err := p.verification(); err != nil {
		return nil, err
	}
	return p.bytes()
}

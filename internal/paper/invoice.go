package paper

import (
	"fmt"
	"strings"
	"time"

	"bela/internal/market"
)

// Invoice is the seller's tagihan for what the BASTs received, numbered per seller per year,
// with the tax breakdown that the treasurer pays by.
type Invoice struct {
	Header
	OrderNumber  string    // the Surat Pesanan's number; required
	OrderDate    time.Time // optional
	BASTNumbers  []string  // the BASTs this invoice bills; at least one
	FakturNumber string    // the e-Faktur (faktur pajak) number of a PKP seller; optional until entered
	DueDate      time.Time // the payment deadline; optional
	Seller       Seller    // the NPWP and the bank account are printed here
	Treasurer    Official  // the Bendahara Pengeluaran billed; optional
	Lines        []Line
	// Taxes is the breakdown from market.TaxBreakdown for this invoice: Price must equal the sum
	// of the lines and Lines must be filled.
	Taxes      market.InvoiceTaxes
	Signatures []Signature // the seller's issuing action
}

// Kind returns KindInvoice.
func (Invoice) Kind() Kind { return KindInvoice }

// validateTaxes checks that a breakdown is complete and adds up.
func validateTaxes(what string, t market.InvoiceTaxes) error {
	if len(t.Lines) == 0 {
		return fmt.Errorf("%w: %s: tax breakdown has no lines (use market.TaxBreakdown)", ErrInvalid, what)
	}
	net := t.Total - t.Withheld
	if t.PPNDepositor == market.PartyTreasurer {
		net -= t.PPN
	}
	if t.Price+t.Shipping != t.Taxable || t.Taxable+t.PPN != t.Total || net != t.NetToSeller {
		return fmt.Errorf("%w: %s: tax breakdown does not add up (price %s, shipping %s, taxable %s, PPN %s, total %s, withheld %s, net %s)",
			ErrInvalid, what, t.Price, t.Shipping, t.Taxable, t.PPN, t.Total, t.Withheld, t.NetToSeller)
	}
	return nil
}

func (v Invoice) validate() error {
	const what = "invoice"
	if err := v.Header.validate(what); err != nil {
		return err
	}
	if v.OrderNumber == "" || len(v.BASTNumbers) == 0 || v.Seller.Name == "" {
		return fmt.Errorf("%w: %s: order number, BAST numbers and seller are required", ErrInvalid, what)
	}
	sum, err := validateLines(what, v.Lines)
	if err != nil {
		return err
	}
	if sum != v.Taxes.Price {
		return fmt.Errorf("%w: %s: lines add up to %s, the breakdown's price is %s", ErrInvalid, what, sum, v.Taxes.Price)
	}
	if err := validateTaxes(what, v.Taxes); err != nil {
		return err
	}
	return validateSignatures(what, v.Signatures)
}

// PDF renders the invoice. The error wraps ErrInvalid for missing fields or amounts that do not
// add up.
func (v Invoice) PDF() ([]byte, error) {
	if err := v.validate(); err != nil {
		return nil, err
	}
	loc := v.Instance.Location
	t := v.Taxes
	p := newPage(KindInvoice, v.Header)
	p.title("")

	info := []field{{"Tanggal tagihan", Date(v.Date, loc)}}
	if !v.DueDate.IsZero() {
		info = append(info, field{"Batas pembayaran", Date(v.DueDate, loc)})
	}
	order := v.OrderNumber
	if !v.OrderDate.IsZero() {
		order += " tanggal " + Date(v.OrderDate, loc)
	}
	info = append(info, field{"Surat Pesanan", order}, field{"BAST", strings.Join(v.BASTNumbers, ", ")})
	if v.Seller.PKP {
		faktur := v.FakturNumber
		if faktur == "" {
			faktur = "belum dicantumkan"
		}
		info = append(info, field{"Nomor faktur pajak", faktur})
	}
	p.fields(36, info)
	p.gap(2)

	from := []field{{"Nama usaha", v.Seller.Name}}
	if v.Seller.Address != "" {
		from = append(from, field{"Alamat", v.Seller.Address})
	}
	if v.Seller.NPWP != "" {
		from = append(from, field{"NPWP", v.Seller.NPWP})
	}
	from = append(from, field{"Status PPN", pkpText(v.Seller.PKP)})
	if b := v.Seller.Bank; b.Number != "" {
		from = append(from, field{"Rekening", strings.TrimSpace(b.Bank + " " + b.Number + "\na.n. " + b.Holder)})
	}
	to := []field{{"Unit kerja", v.Unit.Name}}
	if v.Unit.Code != "" {
		to = append(to, field{"Kode unit", v.Unit.Code})
	}
	if v.Treasurer.Name != "" {
		to = append(to, field{"Bendahara", officialText(v.Treasurer)})
	}
	if v.Unit.Address != "" {
		to = append(to, field{"Alamat", v.Unit.Address})
	}
	p.boxes(box{"Dari (Penyedia)", from}, box{"Ditagihkan kepada", to})

	cols := lineColumns()
	rows := []sumRow{{label: "Jumlah harga barang/jasa", amount: t.Price.String()}}
	rows = append(rows, sumRow{label: "Ongkos kirim", amount: t.Shipping.String()})
	if t.PPN != 0 {
		rows = append(rows, sumRow{label: "Jumlah sebelum PPN", amount: t.Taxable.String()})
		rows = append(rows, sumRow{label: "PPN", amount: t.PPN.String()})
	}
	rows = append(rows, sumRow{label: "JUMLAH TAGIHAN", amount: t.Total.String(), bold: true, shade: true})
	p.tableWithSums(cols, lineRows(v.Lines), rows)
	p.gap(1.5)
	p.para("Terbilang: "+Words(t.Total), "I", 9, "L", colText)

	p.heading("Rincian pajak dan pembayaran")
	taxTable(p, t)
	p.gap(2)
	deposits(p, t)
	p.gap(4)
	p.signatures(v.Signatures, "")
	if err := p.verification(); err != nil {
		return nil, err
	}
	return p.bytes()
}

// taxTable draws the breakdown's lines as the seller, the treasurer and the public read them.
func taxTable(p *page, t market.InvoiceTaxes) {
	cols := []column{{"Uraian", 44, "L"}, {"Keterangan", 97, "L"}, {"Jumlah", 33, "R"}}
	var rows [][]cell
	for _, l := range t.Lines {
		if l.Item == "net" {
			continue // the bold row under the table
		}
		label := l.Label
		if l.Item == "withholding" && t.Withholding != "" {
			label += " " + t.WithholdingRate.Percent()
		}
		switch {
		case l.Item == "ppn" && t.PPNDepositor == market.PartyTreasurer:
			label += " (dipungut Bendahara)"
		case l.Item == "ppn" && t.PPNDepositor == market.PartySeller:
			label += " (disetor penyedia)"
		case l.Item == "withholding" && l.Amount > 0:
			label += " (dipotong)"
		}
		rows = append(rows, []cell{{text: label}, {text: l.Explanation}, {text: l.Amount.String()}})
	}
	p.tableWithSums(cols, rows, []sumRow{{label: "DIBAYARKAN KE PENYEDIA", amount: t.NetToSeller.String(), bold: true, shade: true}})
}

// deposits lists what the treasurer deposits per tax type.
func deposits(p *page, t market.InvoiceTaxes) {
	if len(t.Deposits) == 0 {
		p.para("Tidak ada pajak yang dipungut atau dipotong Bendahara atas tagihan ini.", "", 9, "L", colText)
		return
	}
	var fs []field
	var sum market.Rupiah
	for _, d := range t.Deposits {
		fs = append(fs, field{d.Kind.Label(), d.Amount.String()})
		sum += d.Amount
	}
	fs = append(fs, field{"Jumlah disetor", sum.String()})
	p.para("Disetor oleh Bendahara ke kas negara:", "B", 9, "L", colText)
	p.gap(0.5)
	p.fields(44, fs)
}

package paper

import (
	"fmt"
	"strconv"
	"time"

	"bela/internal/market"
)

// OrderLetter is a Surat Pesanan: the order letter the PPK signs, which binds the seller to
// deliver the lines at the prices shown.
type OrderLetter struct {
	Header
	OrderCode       string    // Bela's order reference; optional
	KodeRUP         string    // the budget plan's package code; required
	BudgetLine      string    // the budget line (kode rekening/MAK) and its name; optional
	Buyer           Official  // the Pejabat Pengadaan who checked out
	PPK             Official  // the Pejabat Pembuat Komitmen who signs
	Seller          Seller    // name and address are printed; the NPWP is not
	DeliveryAddress string    // required
	DeliverBy       time.Time // the delivery deadline; optional
	Lines           []Line
	// Amounts are the order's goods, shipping, PPN and total; Goods must equal the sum of the
	// lines, Taxable Goods + Shipping and Total Taxable + PPN.
	Amounts market.OrderAmounts
	// PPNNote explains the PPN line, e.g. "PPN 12% × DPP nilai lain 11/12"; optional.
	PPNNote string
	// Terms are the numbered conditions; nil prints DefaultOrderTerms().
	Terms      []string
	Signatures []Signature // normally the PPK's approval; the seller's acceptance may follow
}

// DefaultOrderTerms returns the conditions printed on a Surat Pesanan that brings none of its
// own (a fresh copy each call).
func DefaultOrderTerms() []string {
	return []string{
		"Penyedia menyerahkan barang/jasa sesuai jenis, spesifikasi, jumlah dan harga dalam Surat Pesanan ini ke alamat pengiriman, paling lambat pada batas waktu yang tercantum.",
		"Penerimaan dicatat dalam Berita Acara Serah Terima (BAST) oleh penerima atau PPK; penerimaan sebagian dibolehkan dan dicatat per pengiriman.",
		"Harga sudah termasuk ongkos kirim yang tercantum. Pembayaran dilakukan setelah BAST dan tagihan lengkap, dikurangi pajak yang dipungut atau dipotong sesuai ketentuan.",
		"Penyedia dilarang mengenakan harga yang lebih tinggi daripada harga jualnya di luar Bela untuk barang/jasa yang sama.",
	}
}

// Kind returns KindOrderLetter.
func (OrderLetter) Kind() Kind { return KindOrderLetter }

func (l OrderLetter) validate() error {
	const what = "surat pesanan"
	if err := l.Header.validate(what); err != nil {
		return err
	}
	if l.KodeRUP == "" || l.PPK.Name == "" || l.Seller.Name == "" || l.DeliveryAddress == "" {
		return fmt.Errorf("%w: %s: Kode RUP, PPK, seller and delivery address are required", ErrInvalid, what)
	}
	sum, err := validateLines(what, l.Lines)
	if err != nil {
		return err
	}
	a := l.Amounts
	if sum != a.Goods || a.Goods+a.Shipping != a.Taxable || a.Taxable+a.PPN != a.Total {
		return fmt.Errorf("%w: %s: amounts do not add up (lines %s, goods %s, shipping %s, taxable %s, PPN %s, total %s)",
			ErrInvalid, what, sum, a.Goods, a.Shipping, a.Taxable, a.PPN, a.Total)
	}
	return validateSignatures(what, l.Signatures)
}

// PDF renders the Surat Pesanan. The error wraps ErrInvalid for missing fields or amounts that do
// not add up.
func (l OrderLetter) PDF() ([]byte, error) {
	if err := l.validate(); err != nil {
		return nil, err
	}
	loc := l.Instance.Location
	p := newPage(KindOrderLetter, l.Header)
	p.title("")
	info := []field{{"Tanggal", Date(l.Date, loc)}}
	if l.OrderCode != "" {
		info = append(info, field{"Kode pesanan", l.OrderCode})
	}
	info = append(info, field{"Kode RUP", l.KodeRUP})
	if l.BudgetLine != "" {
		info = append(info, field{"Mata anggaran", l.BudgetLine})
	}
	p.fields(32, info)
	p.gap(2)

	buyer := []field{{"Unit kerja", l.Unit.Name}}
	if l.Unit.Code != "" {
		buyer = append(buyer, field{"Kode unit", l.Unit.Code})
	}
	buyer = append(buyer, field{"PPK", officialText(l.PPK)})
	if l.Buyer.Name != "" {
		buyer = append(buyer, field{"Pejabat Pengadaan", officialText(l.Buyer)})
	}
	seller := []field{{"Nama usaha", l.Seller.Name}}
	if l.Seller.Class != "" {
		seller = append(seller, field{"Kelas usaha", l.Seller.Class})
	}
	if l.Seller.Representative != "" {
		seller = append(seller, field{"Diwakili oleh", l.Seller.Representative})
	}
	if l.Seller.Address != "" {
		seller = append(seller, field{"Alamat", l.Seller.Address})
	}
	seller = append(seller, field{"Status PPN", pkpText(l.Seller.PKP)})
	p.boxes(box{"Pemesan", buyer}, box{"Penyedia", seller})

	p.para("Dengan ini kami memesan barang/jasa berikut kepada Penyedia dengan ketentuan di bawah ini.", "", 9.5, "L", colText)
	p.gap(2)
	cols := lineColumns()
	rows := []sumRow{{label: "Jumlah harga barang/jasa", amount: l.Amounts.Goods.String()}}
	rows = append(rows, sumRow{label: "Ongkos kirim", amount: l.Amounts.Shipping.String()})
	if l.Amounts.PPN != 0 || l.Seller.PKP {
		rows = append(rows, sumRow{label: "Jumlah sebelum PPN", amount: l.Amounts.Taxable.String()})
		label := "PPN"
		if l.PPNNote != "" {
			label += " (" + l.PPNNote + ")"
		}
		rows = append(rows, sumRow{label: label, amount: l.Amounts.PPN.String()})
	}
	rows = append(rows, sumRow{label: "TOTAL PESANAN", amount: l.Amounts.Total.String(), bold: true, shade: true})
	p.tableWithSums(cols, lineRows(l.Lines), rows)
	p.gap(1.5)
	p.para("Terbilang: "+Words(l.Amounts.Total), "I", 9, "L", colText)
	p.gap(3)

	delivery := []field{{"Alamat pengiriman", l.DeliveryAddress}}
	if !l.DeliverBy.IsZero() {
		delivery = append(delivery, field{"Batas waktu", Date(l.DeliverBy, loc)})
	}
	p.fields(36, delivery)

	terms := l.Terms
	if terms == nil {
		terms = DefaultOrderTerms()
	}
	if len(terms) > 0 {
		p.heading("Ketentuan")
		numbered(p, terms)
	}
	p.gap(3)
	p.signatures(l.Signatures, "")
	if err := p.verification(); err != nil {
		return nil, err
	}
	return p.bytes()
}

// numbered draws a numbered list across the content width.
func numbered(p *page, items []string) {
	for i, t := range items {
		p.font("", 9)
		lh := p.lineH()
		ls := p.wrap(t, contentW-7)
		p.ensure(float64(len(ls)) * lh)
		y := p.pdf.GetY()
		p.lines(marginL, y, 7, []string{strconv.Itoa(i+1) + "."}, "L")
		y = p.lines(marginL+7, y, contentW-7, ls, "L")
		p.pdf.SetXY(marginL, y+0.8)
	}
}

// officialText is "Name, NIP 123" or just the name.
func officialText(o Official) string {
	if o.NIP == "" {
		return o.Name
	}
	return o.Name + "\nNIP " + o.NIP
}

func pkpText(pkp bool) string {
	if pkp {
		return "Pengusaha Kena Pajak (PKP)"
	}
	return "Bukan PKP (tidak memungut PPN)"
}

// lineColumns are the columns of an order or invoice line table; the last one is the amount.
func lineColumns() []column {
	return []column{
		{"No.", 10, "C"},
		{"Nama barang/jasa", 66, "L"},
		{"Satuan", 18, "C"},
		{"Kuantitas", 18, "R"},
		{"Harga satuan", 29, "R"},
		{"Jumlah", 33, "R"},
	}
}

// lineRows are the rows of a line table.
func lineRows(lines []Line) [][]cell {
	rows := make([][]cell, len(lines))
	for i, l := range lines {
		rows[i] = []cell{
			{text: strconv.Itoa(i + 1)},
			{text: l.Name, sub: l.Note},
			{text: l.Unit},
			{text: quantity(l.Quantity)},
			{text: l.UnitPrice.String()},
			{text: l.Amount.String()},
		}
	}
	return rows
}

// quantity formats a count with thousands dots: 1.200.
func quantity(n int64) string {
	s := market.Rupiah(n).String()
	if n < 0 {
		return "-" + s[3:]
	}
	return s[2:]
}

package market

import (
	"fmt"
	"math/big"
	"strings"
	"time"
)

// The tax engine: one breakdown per invoice that the seller, the treasurer and the public see the
// same way. Terms kept in Indonesian:
//   - PPN (Pajak Pertambahan Nilai): value-added tax, charged only by a PKP seller.
//   - DPP (Dasar Pengenaan Pajak): the tax base; "DPP nilai lain" is the 11/12 base of PMK 131/2024.
//   - PPh (Pajak Penghasilan): income tax. Pasal 22 is withheld on purchases of goods, Pasal 23 on
//     services from a business, Pasal 21 on services from an individual; PP 55/2022 is the final
//     0.5% for small businesses holding a Surat Keterangan (certificate).
//   - PBJT (Pajak Barang dan Jasa Tertentu): the regional tax on food and drink, which replaces PPN
//     for caterers and restaurants.
//   - Meterai: the stamp duty on a kuitansi (receipt) above a threshold.
//   - Bendahara: the treasurer, who collects PPN and withholds PPh.
//
// Every rate, threshold and fixed amount lives in a table of rows with validity dates, so a new
// regulation is a new row. Every amount is computed from exact integer ratios and rounded once, by
// ApplyRatios. Prices are before PPN; shipping charged by the seller is part of the taxable price;
// thresholds apply to the whole order (it may not be split), amounts to each invoice.

// Ratio is an exact fraction Num/Den, used for rates (15/1000 is 1.5%) and bases (11/12).
type Ratio struct {
	Num, Den int64
}

// Percent formats the ratio as an Indonesian percentage: "1,5%", "12%", "0,5%".
func (r Ratio) Percent() string {
	if r.Den == 0 {
		return "?"
	}
	s := new(big.Rat).SetFrac64(r.Num*100, r.Den).FloatString(4)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return strings.Replace(s, ".", ",", 1) + "%"
}

// RoundingMode says how an exact amount becomes whole rupiah.
type RoundingMode int

// The rounding modes.
const (
	RoundDown   RoundingMode = iota // toward zero: drop the fraction of a rupiah
	RoundHalfUp                     // to the nearest rupiah, halves away from zero
)

// TaxRounding is the one rounding used for every tax amount. Rounding down is how e-Faktur is
// understood to work; DOMAIN.md marks it unverified, so it is this one constant.
const TaxRounding = RoundDown

// ApplyRatios multiplies base by every ratio exactly and rounds the result once, by TaxRounding.
// It is the one rounding function of the tax engine: intermediate bases such as DPP nilai lain are
// passed as ratios, never rounded before use. It panics on a zero denominator or a result beyond
// int64, which the callers' input checks rule out.
func ApplyRatios(base Rupiah, rs ...Ratio) Rupiah {
	num, den := big.NewInt(int64(base)), big.NewInt(1)
	for _, r := range rs {
		if r.Den == 0 {
			panic("market: ratio with zero denominator")
		}
		num.Mul(num, big.NewInt(r.Num))
		den.Mul(den, big.NewInt(r.Den))
	}
	if den.Sign() < 0 {
		num.Neg(num)
		den.Neg(den)
	}
	q, m := new(big.Int).QuoRem(num, den, new(big.Int)) // truncates toward zero
	if TaxRounding == RoundHalfUp {
		twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
		if twice.Cmp(den) >= 0 {
			q.Add(q, big.NewInt(int64(num.Sign())))
		}
	}
	if !q.IsInt64() {
		panic("market: tax amount overflows int64")
	}
	return Rupiah(q.Int64())
}

// TaxRateKey names one kind of row in the rate table.
type TaxRateKey string

// The rate table's keys. Rate rows use Rate (and Base for PPN); threshold and fixed-amount rows
// use Amount.
const (
	RatePPN               TaxRateKey = "ppn"                     // PPN rate and DPP base
	ThresholdPPNCollector TaxRateKey = "ppn_collector_threshold" // payment incl. PPN up to which the seller keeps the PPN
	RatePPh22             TaxRateKey = "pph22"                   // PPh 22 on goods
	RatePPh22NoNPWP       TaxRateKey = "pph22_no_npwp"           // PPh 22 when the seller has no NPWP
	ThresholdPPh22        TaxRateKey = "pph22_threshold"         // order amount excl. PPN up to which no PPh 22
	RatePPh23             TaxRateKey = "pph23"                   // PPh 23 on services from a business
	RatePPh23NoNPWP       TaxRateKey = "pph23_no_npwp"           // PPh 23 when the business has no NPWP
	RatePPh21             TaxRateKey = "pph21"                   // PPh 21 on services from an individual
	RatePPh21NoNPWP       TaxRateKey = "pph21_no_npwp"           // PPh 21 when the individual has no NPWP
	RatePP55              TaxRateKey = "pp55"                    // final PPh for certificate holders
	RatePBJT              TaxRateKey = "pbjt"                    // regional tax on food and drink, inside the price
	AmountMeterai         TaxRateKey = "meterai"                 // stamp duty on a kuitansi
	ThresholdMeterai      TaxRateKey = "meterai_threshold"       // kuitansi amount above which the stamp is due
)

// TaxRate is one row of the rate table, valid on the calendar days From (inclusive) to Until
// (exclusive; zero means open-ended). Verified says whether the row was checked against a
// source; Source names it, or says why it is unverified.
type TaxRate struct {
	Key      TaxRateKey
	Rate     Ratio  // the rate, for rate rows
	Base     Ratio  // the base as a share of the price (PPN's DPP nilai lain); zero means all of it
	Amount   Rupiah // the amount, for threshold and fixed-amount rows
	From     time.Time
	Until    time.Time
	Verified bool
	Source   string
}

func (r TaxRate) validOn(day time.Time) bool {
	return !day.Before(dateOf(r.From)) && (r.Until.IsZero() || day.Before(dateOf(r.Until)))
}

func (r TaxRate) base() Ratio {
	if r.Base.Den == 0 {
		return Ratio{1, 1}
	}
	return r.Base
}

func taxDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// DefaultTaxRates returns the rate table Bela starts with (a fresh copy each call). Rows marked
// Verified false come from DOMAIN.md's recalled facts [M] and must be checked before production.
func DefaultTaxRates() []TaxRate {
	return []TaxRate{
		{Key: RatePPN, Rate: Ratio{11, 100}, From: taxDay(2022, 4, 1), Until: taxDay(2025, 1, 1),
			Source: "UU 7/2021 (HPP): PPN 11% sejak 1 April 2022 [M]"},
		{Key: RatePPN, Rate: Ratio{12, 100}, Base: Ratio{11, 12}, From: taxDay(2025, 1, 1), Verified: true,
			Source: "PMK 131/2024: PPN 12% × DPP nilai lain 11/12 [S25]"},
		{Key: ThresholdPPNCollector, Amount: 2_000_000, From: taxDay(2022, 4, 1),
			Source: "PMK 59/2022: pemungut PPN tidak memungut atas pembayaran paling banyak Rp2.000.000 termasuk PPN, tidak dipecah [M]"},
		{Key: RatePPh22, Rate: Ratio{15, 1000}, From: taxDay(2017, 3, 1), Verified: true,
			Source: "PMK 34/2017: PPh 22 bendahara 1,5% dari harga tidak termasuk PPN [S27]"},
		{Key: RatePPh22NoNPWP, Rate: Ratio{30, 1000}, From: taxDay(2017, 3, 1),
			Source: "UU PPh Pasal 22 ayat (3): tarif 100% lebih tinggi tanpa NPWP [M]"},
		{Key: ThresholdPPh22, Amount: 2_000_000, From: taxDay(2017, 3, 1), Verified: true,
			Source: "PMK 34/2017: tidak dipungut atas pembelian paling banyak Rp2.000.000 tidak termasuk PPN, tidak dipecah [S27]"},
		{Key: RatePPh23, Rate: Ratio{2, 100}, From: taxDay(2009, 1, 1),
			Source: "UU PPh Pasal 23: 2% atas imbalan jasa [M]"},
		{Key: RatePPh23NoNPWP, Rate: Ratio{4, 100}, From: taxDay(2009, 1, 1),
			Source: "UU PPh Pasal 23 ayat (1a): tarif 100% lebih tinggi tanpa NPWP [M]"},
		{Key: RatePPh21, Rate: Ratio{25, 1000}, From: taxDay(2024, 1, 1),
			Source: "PP 58/2023, PMK 168/2023: bukan pegawai, 50% penghasilan bruto × tarif Pasal 17 lapisan pertama 5% [M]"},
		{Key: RatePPh21NoNPWP, Rate: Ratio{30, 1000}, From: taxDay(2024, 1, 1),
			Source: "UU PPh Pasal 21 ayat (5a): tarif 20% lebih tinggi tanpa NPWP [M]"},
		{Key: RatePP55, Rate: Ratio{5, 1000}, From: taxDay(2018, 7, 1), Verified: true,
			Source: "PP 55/2022 (sebelumnya PP 23/2018): PPh final 0,5% dengan Surat Keterangan [S28]"},
		{Key: RatePBJT, Rate: Ratio{10, 100}, From: taxDay(2024, 1, 5),
			Source: "UU 1/2022 (HKPD): PBJT makanan dan minuman paling tinggi 10%; tarif Perda Kota Medan [M]"},
		{Key: AmountMeterai, Amount: 10_000, From: taxDay(2021, 1, 1), Verified: true,
			Source: "UU 10/2020 tentang Bea Meterai [S29]"},
		{Key: ThresholdMeterai, Amount: 5_000_000, From: taxDay(2021, 1, 1), Verified: true,
			Source: "UU 10/2020: dokumen yang menyebutkan uang di atas Rp5.000.000 [S29]"},
	}
}

// ValidateTaxRates checks a rate table: known keys, positive denominators, rates between 0 and 1,
// and no two rows of a key valid on the same day. It returns a CodeInvalid *Error for field
// "tax_rates" naming the first problem.
func ValidateTaxRates(rows []TaxRate) error {
	bad := func(i int, why string) error {
		return Invalid("tax_rates", fmt.Sprintf("baris %d (%s): %s", i+1, rows[i].Key, why))
	}
	for i, r := range rows {
		switch r.Key {
		case ThresholdPPNCollector, ThresholdPPh22, AmountMeterai, ThresholdMeterai:
			if r.Amount < 0 {
				return bad(i, "nilai negatif")
			}
		case RatePPN, RatePPh22, RatePPh22NoNPWP, RatePPh23, RatePPh23NoNPWP, RatePPh21, RatePPh21NoNPWP, RatePP55, RatePBJT:
			if r.Rate.Den <= 0 || r.Rate.Num < 0 || r.Rate.Num > r.Rate.Den {
				return bad(i, "tarif harus antara 0 dan 1")
			}
			if r.Base.Den < 0 || r.Base.Num < 0 || r.Base.Num > r.Base.Den {
				return bad(i, "dasar harus antara 0 dan 1")
			}
		default:
			return bad(i, "kunci tidak dikenal")
		}
		if r.From.IsZero() || (!r.Until.IsZero() && !dateOf(r.Until).After(dateOf(r.From))) {
			return bad(i, "tanggal berlaku tidak valid")
		}
		for j := 0; j < i; j++ {
			o := rows[j]
			if o.Key != r.Key {
				continue
			}
			// [a,b) and [c,d) overlap when a < d and c < b, with zero meaning open-ended.
			if (r.Until.IsZero() || dateOf(o.From).Before(dateOf(r.Until))) &&
				(o.Until.IsZero() || dateOf(r.From).Before(dateOf(o.Until))) {
				return bad(i, fmt.Sprintf("tumpang tindih dengan baris %d", j+1))
			}
		}
	}
	return nil
}

// lookupRate returns the one row of key valid on day, or a CodeInvalid *Error for field
// "payment_date".
func lookupRate(rows []TaxRate, key TaxRateKey, day time.Time) (TaxRate, error) {
	var found []TaxRate
	for _, r := range rows {
		if r.Key == key && r.validOn(day) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return TaxRate{}, Invalid("payment_date", fmt.Sprintf("Tidak ada tarif %s yang berlaku pada %s.", key, day.Format("2006-01-02")))
	}
	return TaxRate{}, Invalid("payment_date", fmt.Sprintf("Ada lebih dari satu tarif %s yang berlaku pada %s.", key, day.Format("2006-01-02")))
}

// TaxKind names a tax in the breakdown and in the treasurer's deposits.
type TaxKind string

// The tax kinds.
const (
	TaxPPN     TaxKind = "ppn"
	TaxPPh22   TaxKind = "pph22"
	TaxPPh23   TaxKind = "pph23"
	TaxPPh21   TaxKind = "pph21"
	TaxPP55    TaxKind = "pph_final_pp55"
	TaxPBJT    TaxKind = "pbjt"
	TaxMeterai TaxKind = "meterai"
)

var taxKindLabels = map[TaxKind]string{
	TaxPPN: "PPN", TaxPPh22: "PPh Pasal 22", TaxPPh23: "PPh Pasal 23", TaxPPh21: "PPh Pasal 21",
	TaxPP55: "PPh Final PP 55/2022", TaxPBJT: "PBJT Makanan dan Minuman", TaxMeterai: "Bea Meterai",
}

// Label returns the Indonesian name of the tax.
func (k TaxKind) Label() string {
	if l, ok := taxKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Party says who deposits a tax.
type Party string

// The parties that deposit PPN.
const (
	PartyTreasurer Party = "treasurer" // the Bendahara, as PPN collector
	PartySeller    Party = "seller"    // the seller, who receives the PPN and reports it itself
)

// MaxTaxAmount bounds every amount the tax engine accepts, far above any belanja langsung order,
// so that sums cannot overflow.
const MaxTaxAmount Rupiah = 1_000_000_000_000_000

// TaxInput is one invoice and the facts its taxes depend on.
type TaxInput struct {
	Goods    Rupiah // the invoice's price of goods or services before PPN (for PBJT taxpayers, PBJT included)
	Shipping Rupiah // shipping charged by the seller on this invoice
	// OrderAmount is the whole order's goods and shipping before PPN, against which the
	// thresholds are tested; 0 means the invoice is the whole order.
	OrderAmount  Rupiah
	Kind         CategoryKind // goods (PPh 22) or service (PPh 23 or 21)
	Catering     bool         // food and drink from a caterer or restaurant: not a PPN object
	PBJTTaxpayer bool         // the caterer is registered for PBJT, which is inside its price
	PKP          bool         // the seller charges PPN
	HasNPWP      bool         // the seller has an NPWP (a PKP always has one)
	PP55Valid    bool         // the seller's PP 55/2022 certificate is valid on PaymentDate
	Individual   bool         // the seller is a person (orang pribadi), not a business entity
	PaymentDate  time.Time    // picks the rate rows; its calendar date in its location counts
	Rates        []TaxRate    // the rate table; nil means DefaultTaxRates()
}

// TaxDeposit is what the treasurer deposits for one tax kind.
type TaxDeposit struct {
	Kind   TaxKind
	Amount Rupiah
}

// TaxLine is one line of the breakdown as people read it, with a plain-language explanation.
// Label and Explanation are in Bahasa Indonesia; Key names their wording in TaxTexts and Args
// fill the explanation (as text, in order), so that a UI in another language shows the line in
// its own words.
type TaxLine struct {
	Item        string // price, shipping, pbjt, dpp, ppn, total, withholding, meterai, net
	Label       string
	Amount      Rupiah
	Explanation string
	Key         string
	Args        []string
}

// InvoiceTaxes is the tax breakdown of one invoice.
type InvoiceTaxes struct {
	Price        Rupiah // goods or services before PPN
	Shipping     Rupiah
	Taxable      Rupiah // Price + Shipping: the price before PPN
	DPP          Rupiah // DPP for PPN, shown rounded (PPN is computed from the exact value); 0 without PPN
	PPN          Rupiah
	PPNDepositor Party  // who deposits the PPN; "" without PPN
	PBJT         Rupiah // PBJT inside the price, deposited by the seller to the Pemda
	Total        Rupiah // Taxable + PPN: the invoice and kuitansi amount
	// The one income-tax withholding, if any.
	Withholding     TaxKind // pph22, pph23, pph21, pph_final_pp55 or ""
	WithholdingRate Ratio
	WithholdingBase Rupiah
	Withheld        Rupiah
	MeteraiRequired bool   // the kuitansi needs a meterai, borne by the seller (not withheld)
	Meterai         Rupiah // the meterai's face value when required
	NetToSeller     Rupiah // Total − PPN collected by the treasurer − Withheld
	Deposits        []TaxDeposit
	Lines           []TaxLine
}

// TaxBreakdown computes the taxes of one invoice. It returns a CodeInvalid *Error for an
// impossible input (negative or huge amounts, an order smaller than the invoice, a PKP or PP 55
// certificate holder without NPWP, PBJT outside catering, an unknown kind) and for a payment date
// for which the rate table has no row, or more than one.
func TaxBreakdown(in TaxInput) (InvoiceTaxes, error) {
	fe := FieldErrors{}
	for _, a := range []struct {
		field string
		v     Rupiah
	}{{"goods", in.Goods}, {"shipping", in.Shipping}, {"order_amount", in.OrderAmount}} {
		if a.v < 0 || a.v > MaxTaxAmount {
			fe.Add(a.field, "Jumlah tidak boleh negatif atau melebihi batas.")
		}
	}
	if in.Kind != CategoryGoods && in.Kind != CategoryService {
		fe.Add("kind", "Jenis harus barang atau jasa.")
	}
	if in.PKP && !in.HasNPWP {
		fe.Add("npwp", "PKP selalu memiliki NPWP.")
	}
	if in.PP55Valid && !in.HasNPWP {
		fe.Add("npwp", "Pemegang Surat Keterangan PP 55/2022 memiliki NPWP.")
	}
	if in.PBJTTaxpayer && !in.Catering {
		fe.Add("pbjt", "PBJT hanya untuk makanan dan minuman (katering).")
	}
	if in.PaymentDate.IsZero() {
		fe.Add("payment_date", "Tanggal pembayaran wajib diisi.")
	}
	if err := fe.Err(); err != nil {
		return InvoiceTaxes{}, err
	}
	out := InvoiceTaxes{Price: in.Goods, Shipping: in.Shipping, Taxable: in.Goods + in.Shipping}
	order := in.OrderAmount
	if order == 0 {
		order = out.Taxable
	}
	if order < out.Taxable {
		return InvoiceTaxes{}, Invalid("order_amount", "Nilai pesanan tidak boleh lebih kecil dari nilai tagihan.")
	}
	rows := in.Rates
	if rows == nil {
		rows = DefaultTaxRates()
	}
	day := dateOf(in.PaymentDate)
	rate := func(key TaxRateKey) TaxRate {
		if fe["payment_date"] != "" {
			return TaxRate{}
		}
		r, err := lookupRate(rows, key, day)
		if err != nil {
			fe.Add("payment_date", err.(*Error).Message)
		}
		return r
	}
	ppnRow, collector := rate(RatePPN), rate(ThresholdPPNCollector)
	pph22Row := rate(RatePPh22)
	if !in.HasNPWP {
		pph22Row = rate(RatePPh22NoNPWP)
	}
	pph22Threshold := rate(ThresholdPPh22)
	pph23Row, pph21Row := rate(RatePPh23), rate(RatePPh21)
	if !in.HasNPWP {
		pph23Row, pph21Row = rate(RatePPh23NoNPWP), rate(RatePPh21NoNPWP)
	}
	pp55Row, meterai, meteraiThreshold := rate(RatePP55), rate(AmountMeterai), rate(ThresholdMeterai)
	var pbjtRow TaxRate
	if in.PBJTTaxpayer {
		pbjtRow = rate(RatePBJT)
	}
	if err := fe.Err(); err != nil {
		return InvoiceTaxes{}, err
	}

	add := func(item, key string, amount Rupiah, args ...any) {
		text, ok := taxTexts[key]
		if !ok {
			panic("market: no tax text " + key)
		}
		explanation, texts := fill(text[1], args)
		out.Lines = append(out.Lines, TaxLine{Item: item, Label: text[0], Amount: amount, Explanation: explanation, Key: key, Args: texts})
	}
	if in.Kind == CategoryService {
		add("price", "price.service", out.Price)
	} else {
		add("price", "price.goods", out.Price)
	}
	if out.Shipping > 0 {
		add("shipping", "shipping", out.Shipping)
	}
	if in.PBJTTaxpayer {
		rt := pbjtRow.Rate
		out.PBJT = ApplyRatios(out.Taxable, rt, Ratio{rt.Den, rt.Den + rt.Num})
		add("pbjt", "pbjt", out.PBJT, rt.Percent())
	}

	// PPN.
	chargesPPN := in.PKP && !in.Catering
	orderTotal := order
	switch {
	case chargesPPN:
		base := ppnRow.base()
		out.DPP = ApplyRatios(out.Taxable, base)
		out.PPN = ApplyRatios(out.Taxable, base, ppnRow.Rate)
		orderTotal = order + ApplyRatios(order, base, ppnRow.Rate)
		if base == (Ratio{1, 1}) {
			add("dpp", "dpp", out.DPP, out.Taxable)
		} else {
			add("dpp", "dpp.other", out.DPP, base.Num, base.Den, out.Taxable)
		}
		effective := Ratio{base.Num * ppnRow.Rate.Num, base.Den * ppnRow.Rate.Den}
		if orderTotal <= collector.Amount {
			out.PPNDepositor = PartySeller
			add("ppn", "ppn.seller", out.PPN, ppnRow.Rate.Percent(), effective.Percent(), orderTotal, collector.Amount)
		} else {
			out.PPNDepositor = PartyTreasurer
			add("ppn", "ppn.treasurer", out.PPN, ppnRow.Rate.Percent(), effective.Percent())
		}
	case in.Catering:
		add("ppn", "ppn.catering", 0)
	default:
		add("ppn", "ppn.not_pkp", 0)
	}
	out.Total = out.Taxable + out.PPN
	add("total", "total", out.Total)

	// Income tax: one withholding at most.
	noNPWP := ""
	if !in.HasNPWP {
		noNPWP = ".no_npwp"
	}
	goodsBelow := in.Kind == CategoryGoods && order <= pph22Threshold.Amount
	switch {
	case goodsBelow && in.PP55Valid:
		add("withholding", "withholding.below.pp55", 0, order, pph22Threshold.Amount)
	case goodsBelow:
		add("withholding", "withholding.below", 0, order, pph22Threshold.Amount)
	case in.PP55Valid:
		out.Withholding, out.WithholdingRate = TaxPP55, pp55Row.Rate
		add("withholding", "withholding.pp55", 0, pp55Row.Rate.Percent(), out.Taxable)
	case in.Kind == CategoryGoods:
		out.Withholding, out.WithholdingRate = TaxPPh22, pph22Row.Rate
		add("withholding", "withholding.pph22"+noNPWP, 0, order, pph22Threshold.Amount, pph22Row.Rate.Percent(), out.Taxable)
	case in.Individual:
		out.Withholding, out.WithholdingRate = TaxPPh21, pph21Row.Rate
		add("withholding", "withholding.pph21"+noNPWP, 0, pph21Row.Rate.Percent(), out.Taxable)
	default:
		out.Withholding, out.WithholdingRate = TaxPPh23, pph23Row.Rate
		add("withholding", "withholding.pph23"+noNPWP, 0, pph23Row.Rate.Percent(), out.Taxable)
	}
	if out.Withholding != "" {
		out.WithholdingBase = out.Taxable
		out.Withheld = ApplyRatios(out.WithholdingBase, out.WithholdingRate)
		out.Lines[len(out.Lines)-1].Amount = out.Withheld
	}

	// Meterai: flagged, never withheld.
	if out.Total > meteraiThreshold.Amount {
		out.MeteraiRequired, out.Meterai = true, meterai.Amount
		add("meterai", "meterai", out.Meterai, meteraiThreshold.Amount, meterai.Amount)
	}

	out.NetToSeller = out.Total - out.Withheld
	if out.PPNDepositor == PartyTreasurer {
		out.NetToSeller -= out.PPN
		out.Deposits = append(out.Deposits, TaxDeposit{Kind: TaxPPN, Amount: out.PPN})
	}
	if out.Withheld > 0 {
		out.Deposits = append(out.Deposits, TaxDeposit{Kind: out.Withholding, Amount: out.Withheld})
	}
	add("net", "net", out.NetToSeller)
	return out, nil
}

// OrderAmounts is an order's money as checkout shows it and the cap rule tests it.
type OrderAmounts struct {
	Goods    Rupiah // sum of the line amounts, before PPN
	Shipping Rupiah
	Taxable  Rupiah // Goods + Shipping
	PPN      Rupiah // 0 unless the seller charges PPN
	Total    Rupiah // Taxable + PPN
}

// ChargesPPN reports whether an order carries PPN: the seller is PKP and what it sells is a PPN
// object (food and drink from a caterer is not).
func ChargesPPN(pkp, catering bool) bool { return pkp && !catering }

// LineAmount returns unitPrice × quantity, or a CodeInvalid *Error for field "quantity" when
// either is negative or the product exceeds MaxTaxAmount.
func LineAmount(unitPrice Rupiah, quantity int64) (Rupiah, error) {
	if unitPrice < 0 || quantity < 0 {
		return 0, Invalid("quantity", "Harga dan jumlah tidak boleh negatif.")
	}
	if quantity != 0 && unitPrice > MaxTaxAmount/Rupiah(quantity) {
		return 0, Invalid("quantity", "Jumlah terlalu besar.")
	}
	return unitPrice * Rupiah(quantity), nil
}

// OrderTotal returns an order's goods, shipping, PPN and total (goods + shipping + PPN) with the
// same arithmetic as TaxBreakdown, so that checkout, the cap rule and the invoices agree: PPN is
// computed on the order's taxable amount with the DefaultTaxRates row valid at at (pass
// ChargesPPN(pkp, catering) as chargesPPN). lines are line amounts (see LineAmount). It returns a
// CodeInvalid *Error for negative or huge amounts and when no PPN row is valid at at.
func OrderTotal(lines []Rupiah, shipping Rupiah, chargesPPN bool, at time.Time) (OrderAmounts, error) {
	return OrderTotalWithRates(nil, lines, shipping, chargesPPN, at)
}

// OrderTotalWithRates is OrderTotal with the instance's rate table (nil means DefaultTaxRates()).
func OrderTotalWithRates(rates []TaxRate, lines []Rupiah, shipping Rupiah, chargesPPN bool, at time.Time) (OrderAmounts, error) {
	var out OrderAmounts
	for _, l := range lines {
		if l < 0 || l > MaxTaxAmount-out.Goods {
			return OrderAmounts{}, Invalid("lines", "Jumlah baris pesanan tidak valid.")
		}
		out.Goods += l
	}
	if shipping < 0 || shipping > MaxTaxAmount-out.Goods {
		return OrderAmounts{}, Invalid("shipping", "Ongkos kirim tidak valid.")
	}
	out.Shipping = shipping
	out.Taxable = out.Goods + shipping
	if chargesPPN {
		if rates == nil {
			rates = DefaultTaxRates()
		}
		row, err := lookupRate(rates, RatePPN, dateOf(at))
		if err != nil {
			return OrderAmounts{}, err
		}
		out.PPN = ApplyRatios(out.Taxable, row.base(), row.Rate)
	}
	out.Total = out.Taxable + out.PPN
	return out, nil
}

package market

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// taxWant is the part of a breakdown the hand-computed table checks. Every number below was
// worked out by hand from the rules in issue 5, not by calling the code.
type taxWant struct {
	Taxable, DPP, PPN Rupiah
	By                Party
	Total             Rupiah
	Wh                TaxKind
	Withheld          Rupiah
	Meterai           bool
	Net               Rupiah
	DepositPPN        Rupiah // PPN the treasurer deposits
}

type taxSeller struct{ pkp, npwp, pp55 bool }

var (
	sPKP       = taxSeller{pkp: true, npwp: true}
	sPKPPP55   = taxSeller{pkp: true, npwp: true, pp55: true}
	sNPWP      = taxSeller{npwp: true}
	sNPWPPP55  = taxSeller{npwp: true, pp55: true}
	sNoNPWP    = taxSeller{}
	payDay2025 = time.Date(2025, 7, 14, 10, 0, 0, 0, time.FixedZone("WIB", 7*3600))
)

// taxIn builds an input; goods and shipping are the invoice, order 0 means the invoice is the order.
func taxIn(s taxSeller, kind CategoryKind, individual bool, goods, shipping Rupiah) TaxInput {
	return TaxInput{Goods: goods, Shipping: shipping, Kind: kind, PKP: s.pkp, HasNPWP: s.npwp,
		PP55Valid: s.pp55, Individual: individual, PaymentDate: payDay2025}
}

// The three amount levels of the combination table:
//
//	A: Rp1.500.000 goods, no shipping   — order below Rp2.000.000 (PPh 22 and PPN collection thresholds)
//	B: Rp4.000.000 + Rp200.000 shipping — above Rp2.000.000, kuitansi at most Rp5.000.000
//	C: Rp10.000.000, no shipping        — above Rp2.000.000, kuitansi above Rp5.000.000 (meterai)
//
// For a PKP seller: DPP nilai lain A 1.375.000, B 3.850.000, C 9.166.666 (9.166.666,67 shown
// rounded down); PPN A 165.000, B 462.000, C 1.100.000; totals A 1.665.000 (≤ Rp2.000.000, so the
// seller keeps the PPN), B 4.662.000, C 11.100.000.
func TestTaxBreakdownCombinations(t *testing.T) {
	const (
		goods   = CategoryGoods
		service = CategoryService
	)
	type level struct{ goods, shipping Rupiah }
	A, B, C := level{1_500_000, 0}, level{4_000_000, 200_000}, level{10_000_000, 0}
	tr, sl := PartyTreasurer, PartySeller
	tests := []struct {
		name       string
		s          taxSeller
		kind       CategoryKind
		individual bool
		lv         level
		want       taxWant
	}{
		// PKP with NPWP, no PP 55 certificate.
		{"pkp goods business A", sPKP, goods, false, A, taxWant{1_500_000, 1_375_000, 165_000, sl, 1_665_000, "", 0, false, 1_665_000, 0}},
		{"pkp goods business B", sPKP, goods, false, B, taxWant{4_200_000, 3_850_000, 462_000, tr, 4_662_000, TaxPPh22, 63_000, false, 4_137_000, 462_000}},
		{"pkp goods business C", sPKP, goods, false, C, taxWant{10_000_000, 9_166_666, 1_100_000, tr, 11_100_000, TaxPPh22, 150_000, true, 9_850_000, 1_100_000}},
		{"pkp goods individual A", sPKP, goods, true, A, taxWant{1_500_000, 1_375_000, 165_000, sl, 1_665_000, "", 0, false, 1_665_000, 0}},
		{"pkp goods individual B", sPKP, goods, true, B, taxWant{4_200_000, 3_850_000, 462_000, tr, 4_662_000, TaxPPh22, 63_000, false, 4_137_000, 462_000}},
		{"pkp goods individual C", sPKP, goods, true, C, taxWant{10_000_000, 9_166_666, 1_100_000, tr, 11_100_000, TaxPPh22, 150_000, true, 9_850_000, 1_100_000}},
		{"pkp service business A", sPKP, service, false, A, taxWant{1_500_000, 1_375_000, 165_000, sl, 1_665_000, TaxPPh23, 30_000, false, 1_635_000, 0}},
		{"pkp service business B", sPKP, service, false, B, taxWant{4_200_000, 3_850_000, 462_000, tr, 4_662_000, TaxPPh23, 84_000, false, 4_116_000, 462_000}},
		{"pkp service business C", sPKP, service, false, C, taxWant{10_000_000, 9_166_666, 1_100_000, tr, 11_100_000, TaxPPh23, 200_000, true, 9_800_000, 1_100_000}},
		{"pkp service individual A", sPKP, service, true, A, taxWant{1_500_000, 1_375_000, 165_000, sl, 1_665_000, TaxPPh21, 37_500, false, 1_627_500, 0}},
		{"pkp service individual B", sPKP, service, true, B, taxWant{4_200_000, 3_850_000, 462_000, tr, 4_662_000, TaxPPh21, 105_000, false, 4_095_000, 462_000}},
		{"pkp service individual C", sPKP, service, true, C, taxWant{10_000_000, 9_166_666, 1_100_000, tr, 11_100_000, TaxPPh21, 250_000, true, 9_750_000, 1_100_000}},

		// PKP with a valid PP 55 certificate: final 0.5% instead of PPh 22/23/21.
		{"pkp pp55 goods business A", sPKPPP55, goods, false, A, taxWant{1_500_000, 1_375_000, 165_000, sl, 1_665_000, "", 0, false, 1_665_000, 0}},
		{"pkp pp55 goods business B", sPKPPP55, goods, false, B, taxWant{4_200_000, 3_850_000, 462_000, tr, 4_662_000, TaxPP55, 21_000, false, 4_179_000, 462_000}},
		{"pkp pp55 goods business C", sPKPPP55, goods, false, C, taxWant{10_000_000, 9_166_666, 1_100_000, tr, 11_100_000, TaxPP55, 50_000, true, 9_950_000, 1_100_000}},
		{"pkp pp55 goods individual A", sPKPPP55, goods, true, A, taxWant{1_500_000, 1_375_000, 165_000, sl, 1_665_000, "", 0, false, 1_665_000, 0}},
		{"pkp pp55 goods individual B", sPKPPP55, goods, true, B, taxWant{4_200_000, 3_850_000, 462_000, tr, 4_662_000, TaxPP55, 21_000, false, 4_179_000, 462_000}},
		{"pkp pp55 goods individual C", sPKPPP55, goods, true, C, taxWant{10_000_000, 9_166_666, 1_100_000, tr, 11_100_000, TaxPP55, 50_000, true, 9_950_000, 1_100_000}},
		{"pkp pp55 service business A", sPKPPP55, service, false, A, taxWant{1_500_000, 1_375_000, 165_000, sl, 1_665_000, TaxPP55, 7_500, false, 1_657_500, 0}},
		{"pkp pp55 service business B", sPKPPP55, service, false, B, taxWant{4_200_000, 3_850_000, 462_000, tr, 4_662_000, TaxPP55, 21_000, false, 4_179_000, 462_000}},
		{"pkp pp55 service business C", sPKPPP55, service, false, C, taxWant{10_000_000, 9_166_666, 1_100_000, tr, 11_100_000, TaxPP55, 50_000, true, 9_950_000, 1_100_000}},
		{"pkp pp55 service individual A", sPKPPP55, service, true, A, taxWant{1_500_000, 1_375_000, 165_000, sl, 1_665_000, TaxPP55, 7_500, false, 1_657_500, 0}},
		{"pkp pp55 service individual B", sPKPPP55, service, true, B, taxWant{4_200_000, 3_850_000, 462_000, tr, 4_662_000, TaxPP55, 21_000, false, 4_179_000, 462_000}},
		{"pkp pp55 service individual C", sPKPPP55, service, true, C, taxWant{10_000_000, 9_166_666, 1_100_000, tr, 11_100_000, TaxPP55, 50_000, true, 9_950_000, 1_100_000}},

		// Not PKP, with NPWP: no PPN.
		{"npwp goods business A", sNPWP, goods, false, A, taxWant{1_500_000, 0, 0, "", 1_500_000, "", 0, false, 1_500_000, 0}},
		{"npwp goods business B", sNPWP, goods, false, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPPh22, 63_000, false, 4_137_000, 0}},
		{"npwp goods business C", sNPWP, goods, false, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPPh22, 150_000, true, 9_850_000, 0}},
		{"npwp goods individual A", sNPWP, goods, true, A, taxWant{1_500_000, 0, 0, "", 1_500_000, "", 0, false, 1_500_000, 0}},
		{"npwp goods individual B", sNPWP, goods, true, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPPh22, 63_000, false, 4_137_000, 0}},
		{"npwp goods individual C", sNPWP, goods, true, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPPh22, 150_000, true, 9_850_000, 0}},
		{"npwp service business A", sNPWP, service, false, A, taxWant{1_500_000, 0, 0, "", 1_500_000, TaxPPh23, 30_000, false, 1_470_000, 0}},
		{"npwp service business B", sNPWP, service, false, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPPh23, 84_000, false, 4_116_000, 0}},
		{"npwp service business C", sNPWP, service, false, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPPh23, 200_000, true, 9_800_000, 0}},
		{"npwp service individual A", sNPWP, service, true, A, taxWant{1_500_000, 0, 0, "", 1_500_000, TaxPPh21, 37_500, false, 1_462_500, 0}},
		{"npwp service individual B", sNPWP, service, true, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPPh21, 105_000, false, 4_095_000, 0}},
		{"npwp service individual C", sNPWP, service, true, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPPh21, 250_000, true, 9_750_000, 0}},

		// Not PKP, with NPWP and a valid PP 55 certificate.
		{"npwp pp55 goods business A", sNPWPPP55, goods, false, A, taxWant{1_500_000, 0, 0, "", 1_500_000, "", 0, false, 1_500_000, 0}},
		{"npwp pp55 goods business B", sNPWPPP55, goods, false, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPP55, 21_000, false, 4_179_000, 0}},
		{"npwp pp55 goods business C", sNPWPPP55, goods, false, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPP55, 50_000, true, 9_950_000, 0}},
		{"npwp pp55 goods individual A", sNPWPPP55, goods, true, A, taxWant{1_500_000, 0, 0, "", 1_500_000, "", 0, false, 1_500_000, 0}},
		{"npwp pp55 goods individual B", sNPWPPP55, goods, true, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPP55, 21_000, false, 4_179_000, 0}},
		{"npwp pp55 goods individual C", sNPWPPP55, goods, true, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPP55, 50_000, true, 9_950_000, 0}},
		{"npwp pp55 service business A", sNPWPPP55, service, false, A, taxWant{1_500_000, 0, 0, "", 1_500_000, TaxPP55, 7_500, false, 1_492_500, 0}},
		{"npwp pp55 service business B", sNPWPPP55, service, false, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPP55, 21_000, false, 4_179_000, 0}},
		{"npwp pp55 service business C", sNPWPPP55, service, false, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPP55, 50_000, true, 9_950_000, 0}},
		{"npwp pp55 service individual A", sNPWPPP55, service, true, A, taxWant{1_500_000, 0, 0, "", 1_500_000, TaxPP55, 7_500, false, 1_492_500, 0}},
		{"npwp pp55 service individual B", sNPWPPP55, service, true, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPP55, 21_000, false, 4_179_000, 0}},
		{"npwp pp55 service individual C", sNPWPPP55, service, true, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPP55, 50_000, true, 9_950_000, 0}},

		// Not PKP, no NPWP (and so no PP 55 certificate): higher withholding rates.
		{"no npwp goods business A", sNoNPWP, goods, false, A, taxWant{1_500_000, 0, 0, "", 1_500_000, "", 0, false, 1_500_000, 0}},
		{"no npwp goods business B", sNoNPWP, goods, false, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPPh22, 126_000, false, 4_074_000, 0}},
		{"no npwp goods business C", sNoNPWP, goods, false, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPPh22, 300_000, true, 9_700_000, 0}},
		{"no npwp goods individual A", sNoNPWP, goods, true, A, taxWant{1_500_000, 0, 0, "", 1_500_000, "", 0, false, 1_500_000, 0}},
		{"no npwp goods individual B", sNoNPWP, goods, true, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPPh22, 126_000, false, 4_074_000, 0}},
		{"no npwp goods individual C", sNoNPWP, goods, true, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPPh22, 300_000, true, 9_700_000, 0}},
		{"no npwp service business A", sNoNPWP, service, false, A, taxWant{1_500_000, 0, 0, "", 1_500_000, TaxPPh23, 60_000, false, 1_440_000, 0}},
		{"no npwp service business B", sNoNPWP, service, false, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPPh23, 168_000, false, 4_032_000, 0}},
		{"no npwp service business C", sNoNPWP, service, false, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPPh23, 400_000, true, 9_600_000, 0}},
		{"no npwp service individual A", sNoNPWP, service, true, A, taxWant{1_500_000, 0, 0, "", 1_500_000, TaxPPh21, 45_000, false, 1_455_000, 0}},
		{"no npwp service individual B", sNoNPWP, service, true, B, taxWant{4_200_000, 0, 0, "", 4_200_000, TaxPPh21, 126_000, false, 4_074_000, 0}},
		{"no npwp service individual C", sNoNPWP, service, true, C, taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPPh21, 300_000, true, 9_700_000, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TaxBreakdown(taxIn(tt.s, tt.kind, tt.individual, tt.lv.goods, tt.lv.shipping))
			if err != nil {
				t.Fatal(err)
			}
			checkTax(t, got, tt.want)
		})
	}
}

func checkTax(t *testing.T, got InvoiceTaxes, want taxWant) {
	t.Helper()
	g := taxWant{got.Taxable, got.DPP, got.PPN, got.PPNDepositor, got.Total, got.Withholding, got.Withheld,
		got.MeteraiRequired, got.NetToSeller, 0}
	var wantDeposits []TaxDeposit
	if want.DepositPPN > 0 {
		wantDeposits = append(wantDeposits, TaxDeposit{TaxPPN, want.DepositPPN})
	}
	if want.Withheld > 0 {
		wantDeposits = append(wantDeposits, TaxDeposit{want.Wh, want.Withheld})
	}
	for _, d := range got.Deposits {
		if d.Kind == TaxPPN {
			g.DepositPPN = d.Amount
		}
	}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("breakdown (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantDeposits, got.Deposits); diff != "" {
		t.Errorf("deposits (-want +got):\n%s", diff)
	}
	if want.Meterai && got.Meterai != 10_000 {
		t.Errorf("meterai = %v, want Rp10.000", got.Meterai)
	}
}

func TestTaxBreakdownEdges(t *testing.T) {
	tr, sl := PartyTreasurer, PartySeller
	jun2024 := time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   TaxInput
		want taxWant
	}{
		{name: "order exactly Rp2.000.000: no PPh 22",
			in:   taxIn(sNPWP, CategoryGoods, false, 2_000_000, 0),
			want: taxWant{2_000_000, 0, 0, "", 2_000_000, "", 0, false, 2_000_000, 0}},
		{name: "order Rp2.000.001: PPh 22 30.000,015 rounds down",
			in:   taxIn(sNPWP, CategoryGoods, false, 2_000_001, 0),
			want: taxWant{2_000_001, 0, 0, "", 2_000_001, TaxPPh22, 30_000, false, 1_970_001, 0}},
		{name: "pkp payment incl. PPN exactly Rp2.000.000: seller keeps PPN",
			// PPN 1.801.802 × 11% = 198.198,22 → 198.198; DPP 1.651.651,83 → 1.651.651.
			in:   taxIn(sPKP, CategoryGoods, false, 1_801_802, 0),
			want: taxWant{1_801_802, 1_651_651, 198_198, sl, 2_000_000, "", 0, false, 2_000_000, 0}},
		{name: "pkp payment incl. PPN Rp2.000.001: treasurer collects, still no PPh 22",
			// PPN 198.198,33 → 198.198; DPP 1.651.652,75 → 1.651.652.
			in:   taxIn(sPKP, CategoryGoods, false, 1_801_803, 0),
			want: taxWant{1_801_803, 1_651_652, 198_198, tr, 2_000_001, "", 0, false, 1_801_803, 198_198}},
		{name: "kuitansi exactly Rp5.000.000: no meterai",
			in:   taxIn(sNPWP, CategoryGoods, false, 5_000_000, 0),
			want: taxWant{5_000_000, 0, 0, "", 5_000_000, TaxPPh22, 75_000, false, 4_925_000, 0}},
		{name: "kuitansi Rp5.000.001: meterai",
			in:   taxIn(sNPWP, CategoryGoods, false, 5_000_001, 0),
			want: taxWant{5_000_001, 0, 0, "", 5_000_001, TaxPPh22, 75_000, true, 4_925_001, 0}},
		{name: "pkp kuitansi incl. PPN exactly Rp5.000.000",
			// PPN 495.495,55 → 495.495; DPP 4.129.129,58 → 4.129.129; PPh 22 67.567,575 → 67.567.
			in:   taxIn(sPKP, CategoryGoods, false, 4_504_505, 0),
			want: taxWant{4_504_505, 4_129_129, 495_495, tr, 5_000_000, TaxPPh22, 67_567, false, 4_436_938, 495_495}},
		{name: "partial invoice of a large order: threshold from the order",
			in: func() TaxInput {
				in := taxIn(sNPWP, CategoryGoods, false, 1_500_000, 0)
				in.OrderAmount = 10_000_000
				return in
			}(),
			want: taxWant{1_500_000, 0, 0, "", 1_500_000, TaxPPh22, 22_500, false, 1_477_500, 0}},
		{name: "partial pkp invoice: order incl. PPN above Rp2.000.000, order excl. PPN below",
			// Order 1.900.000 + PPN 209.000 = 2.109.000 > 2.000.000; invoice DPP 916.666,67 → 916.666.
			in: func() TaxInput {
				in := taxIn(sPKP, CategoryGoods, false, 1_000_000, 0)
				in.OrderAmount = 1_900_000
				return in
			}(),
			want: taxWant{1_000_000, 916_666, 110_000, tr, 1_110_000, "", 0, false, 1_000_000, 110_000}},
		{name: "catering by a PKP PBJT taxpayer: no PPN, PPh 23",
			in: func() TaxInput {
				in := taxIn(sPKP, CategoryService, false, 10_000_000, 0)
				in.Catering, in.PBJTTaxpayer = true, true
				return in
			}(),
			want: taxWant{10_000_000, 0, 0, "", 10_000_000, TaxPPh23, 200_000, true, 9_800_000, 0}},
		{name: "catering by an individual: PPh 21 30.864,175 rounds down",
			in: func() TaxInput {
				in := taxIn(sNPWP, CategoryService, true, 1_234_567, 0)
				in.Catering = true
				return in
			}(),
			want: taxWant{1_234_567, 0, 0, "", 1_234_567, TaxPPh21, 30_864, false, 1_203_703, 0}},
		{name: "rounding: DPP 1.131.686,58 and PPN 135.802,37",
			in:   taxIn(sPKP, CategoryGoods, false, 1_234_567, 0),
			want: taxWant{1_234_567, 1_131_686, 135_802, sl, 1_370_369, "", 0, false, 1_370_369, 0}},
		{name: "before 2025: PPN 11% on the full price",
			in: func() TaxInput {
				in := taxIn(sPKP, CategoryGoods, false, 1_234_567, 0)
				in.PaymentDate = jun2024
				return in
			}(),
			want: taxWant{1_234_567, 1_234_567, 135_802, sl, 1_370_369, "", 0, false, 1_370_369, 0}},
		{name: "PPh 22 35.185,185 rounds down",
			in:   taxIn(sNPWP, CategoryGoods, false, 2_345_679, 0),
			want: taxWant{2_345_679, 0, 0, "", 2_345_679, TaxPPh22, 35_185, false, 2_310_494, 0}},
		{name: "shipping counts toward the threshold",
			in:   taxIn(sNPWP, CategoryGoods, false, 1_950_000, 60_000),
			want: taxWant{2_010_000, 0, 0, "", 2_010_000, TaxPPh22, 30_150, false, 1_979_850, 0}},
		{name: "PPN on Rp10.000.000 is exactly Rp1.100.000",
			in:   taxIn(sPKP, CategoryService, false, 9_900_000, 100_000),
			want: taxWant{10_000_000, 9_166_666, 1_100_000, tr, 11_100_000, TaxPPh23, 200_000, true, 9_800_000, 1_100_000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TaxBreakdown(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			checkTax(t, got, tt.want)
		})
	}
}

func TestTaxBreakdownPBJT(t *testing.T) {
	in := taxIn(sNPWP, CategoryService, false, 10_000_000, 0)
	in.Catering, in.PBJTTaxpayer = true, true
	got, err := TaxBreakdown(in)
	if err != nil {
		t.Fatal(err)
	}
	// 10.000.000 × 10/110 = 909.090,9 → 909.090, inside the price.
	if got.PBJT != 909_090 || got.Total != 10_000_000 {
		t.Errorf("PBJT = %v, total = %v; want Rp909.090 inside Rp10.000.000", got.PBJT, got.Total)
	}
}

func TestTaxBreakdownLines(t *testing.T) {
	got, err := TaxBreakdown(taxIn(sPKP, CategoryGoods, false, 9_800_000, 200_000))
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		Item   string
		Amount Rupiah
	}
	var lines []line
	for _, l := range got.Lines {
		lines = append(lines, line{l.Item, l.Amount})
		if l.Explanation == "" || l.Label == "" {
			t.Errorf("line %s has no label or explanation", l.Item)
		}
	}
	want := []line{
		{"price", 9_800_000}, {"shipping", 200_000}, {"dpp", 9_166_666}, {"ppn", 1_100_000},
		{"total", 11_100_000}, {"withholding", 150_000}, {"meterai", 10_000}, {"net", 9_850_000},
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	explain := map[string]string{}
	for _, l := range got.Lines {
		explain[l.Item] = l.Explanation
	}
	for item, phrase := range map[string]string{
		"dpp":         "DPP nilai lain = 11/12 × Rp10.000.000",
		"ppn":         "PPN 12% × DPP (efektif 11% dari harga). Bendahara sebagai pemungut PPN",
		"withholding": "PPh Pasal 22 1,5% dari harga tanpa PPN Rp10.000.000",
		"meterai":     "ditanggung penjual dan tidak dipotong",
	} {
		if !strings.Contains(explain[item], phrase) {
			t.Errorf("explanation of %s = %q, want it to contain %q", item, explain[item], phrase)
		}
	}
	noNPWP, err := TaxBreakdown(taxIn(sNoNPWP, CategoryService, false, 1_000_000, 0))
	if err != nil {
		t.Fatal(err)
	}
	var e string
	for _, l := range noNPWP.Lines {
		if l.Item == "withholding" {
			e = l.Explanation
		}
	}
	if !strings.Contains(e, "PPh Pasal 23 4%") || !strings.Contains(e, "tidak memiliki NPWP") {
		t.Errorf("no-NPWP withholding explanation = %q", e)
	}
}

func TestTaxBreakdownInvalid(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*TaxInput)
		field string
	}{
		{name: "pkp without npwp", edit: func(in *TaxInput) { in.PKP, in.HasNPWP = true, false }, field: "npwp"},
		{name: "pp55 without npwp", edit: func(in *TaxInput) { in.PP55Valid, in.HasNPWP = true, false }, field: "npwp"},
		{name: "negative goods", edit: func(in *TaxInput) { in.Goods = -1 }, field: "goods"},
		{name: "huge shipping", edit: func(in *TaxInput) { in.Shipping = MaxTaxAmount + 1 }, field: "shipping"},
		{name: "order smaller than invoice", edit: func(in *TaxInput) { in.OrderAmount = 999 }, field: "order_amount"},
		{name: "pbjt outside catering", edit: func(in *TaxInput) { in.PBJTTaxpayer = true }, field: "pbjt"},
		{name: "no kind", edit: func(in *TaxInput) { in.Kind = "" }, field: "kind"},
		{name: "no payment date", edit: func(in *TaxInput) { in.PaymentDate = time.Time{} }, field: "payment_date"},
		{name: "date before every PPN row", edit: func(in *TaxInput) { in.PaymentDate = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC) }, field: "payment_date"},
		{name: "overlapping rows", edit: func(in *TaxInput) {
			in.Rates = append(DefaultTaxRates(), TaxRate{Key: RatePPh22, Rate: Ratio{1, 100}, From: taxDay(2025, 1, 1)})
		}, field: "payment_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := taxIn(sNPWP, CategoryGoods, false, 3_000_000, 0)
			tt.edit(&in)
			_, err := TaxBreakdown(in)
			if fieldOf(t, err) != tt.field {
				t.Errorf("error %v, want one for field %q", err, tt.field)
			}
		})
	}
}

func TestTaxRateTable(t *testing.T) {
	if err := ValidateTaxRates(DefaultTaxRates()); err != nil {
		t.Fatalf("default table: %v", err)
	}
	for _, r := range DefaultTaxRates() {
		if r.Source == "" {
			t.Errorf("row %s has no source", r.Key)
		}
		if strings.Contains(r.Source, "[M]") == r.Verified {
			t.Errorf("row %s: verified %v but source %q", r.Key, r.Verified, r.Source)
		}
	}
	tests := []struct {
		name string
		add  TaxRate
		want string
	}{
		{name: "overlap", add: TaxRate{Key: RatePPN, Rate: Ratio{12, 100}, From: taxDay(2024, 12, 1)}, want: "tumpang tindih"},
		{name: "unknown key", add: TaxRate{Key: "ppnbm", Rate: Ratio{1, 10}, From: taxDay(2025, 1, 1)}, want: "tidak dikenal"},
		{name: "rate above 1", add: TaxRate{Key: RatePBJT, Rate: Ratio{11, 10}, From: taxDay(2030, 1, 1)}, want: "antara 0 dan 1"},
		{name: "empty period", add: TaxRate{Key: RatePBJT, Rate: Ratio{1, 10}, From: taxDay(2020, 1, 1), Until: taxDay(2020, 1, 1)}, want: "tanggal"},
		{name: "negative threshold", add: TaxRate{Key: ThresholdMeterai, Amount: -1, From: taxDay(2030, 1, 1)}, want: "negatif"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateTaxRates(append(DefaultTaxRates(), tt.add))
			if fieldOf(t, err) != "tax_rates" || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ValidateTaxRates = %v, want %q", err, tt.want)
			}
		})
	}
	// A new regulation is a new row: closing the open PPN row and adding one changes the result.
	rows := DefaultTaxRates()
	rows[1].Until = taxDay(2030, 1, 1)
	rows = append(rows, TaxRate{Key: RatePPN, Rate: Ratio{12, 100}, From: taxDay(2030, 1, 1), Source: "hypothetical"})
	if err := ValidateTaxRates(rows); err != nil {
		t.Fatal(err)
	}
	in := taxIn(sPKP, CategoryGoods, false, 1_000_000, 0)
	in.Rates, in.PaymentDate = rows, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	got, err := TaxBreakdown(in)
	if err != nil || got.PPN != 120_000 {
		t.Errorf("PPN under the new row = %v, %v; want Rp120.000", got.PPN, err)
	}
}

func TestApplyRatiosAndPercent(t *testing.T) {
	tests := []struct {
		name    string
		base    Rupiah
		ratios  []Ratio
		want    Rupiah
		percent string
	}{
		{name: "PPN on ten million", base: 10_000_000, ratios: []Ratio{{11, 12}, {12, 100}}, want: 1_100_000, percent: "12%"},
		{name: "a third of one rupiah", base: 1, ratios: []Ratio{{1, 3}}, want: 0, percent: "33,3333%"},
		{name: "PPh 22", base: 2_345_679, ratios: []Ratio{{15, 1000}}, want: 35_185, percent: "1,5%"},
		{name: "PP 55", base: 1_500_000, ratios: []Ratio{{5, 1000}}, want: 7_500, percent: "0,5%"},
		{name: "no ratios", base: 42, want: 42},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ApplyRatios(tt.base, tt.ratios...); got != tt.want {
				t.Errorf("ApplyRatios = %v, want %v", got, tt.want)
			}
			if len(tt.ratios) > 0 {
				r := tt.ratios[len(tt.ratios)-1]
				if got := r.Percent(); got != tt.percent {
					t.Errorf("Percent(%v) = %q, want %q", r, got, tt.percent)
				}
			}
		})
	}
}

func TestOrderTotal(t *testing.T) {
	tests := []struct {
		name     string
		lines    []Rupiah
		shipping Rupiah
		ppn      bool
		at       time.Time
		want     OrderAmounts
		field    string
	}{
		{name: "pkp", lines: []Rupiah{1_000_000, 2_500_000}, shipping: 100_000, ppn: true, at: payDay2025,
			want: OrderAmounts{Goods: 3_500_000, Shipping: 100_000, Taxable: 3_600_000, PPN: 396_000, Total: 3_996_000}},
		{name: "not pkp", lines: []Rupiah{1_000_000, 2_500_000}, shipping: 100_000, at: payDay2025,
			want: OrderAmounts{Goods: 3_500_000, Shipping: 100_000, Taxable: 3_600_000, Total: 3_600_000}},
		{name: "rounding as the breakdown", lines: []Rupiah{1_234_567}, ppn: true, at: payDay2025,
			want: OrderAmounts{Goods: 1_234_567, Taxable: 1_234_567, PPN: 135_802, Total: 1_370_369}},
		{name: "cap exactly", lines: []Rupiah{45_045_045}, ppn: true, at: payDay2025,
			// 45.045.045 × 11% = 4.954.954,95 → 4.954.954.
			want: OrderAmounts{Goods: 45_045_045, Taxable: 45_045_045, PPN: 4_954_954, Total: 49_999_999}},
		{name: "empty", at: payDay2025, want: OrderAmounts{}},
		{name: "negative line", lines: []Rupiah{-1}, at: payDay2025, field: "lines"},
		{name: "overflow", lines: []Rupiah{MaxTaxAmount, 1}, at: payDay2025, field: "lines"},
		{name: "negative shipping", shipping: -5, at: payDay2025, field: "shipping"},
		{name: "no PPN row", lines: []Rupiah{1}, ppn: true, at: time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), field: "payment_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := OrderTotal(tt.lines, tt.shipping, tt.ppn, tt.at)
			if f := fieldOf(t, err); f != tt.field {
				t.Fatalf("error %v, want field %q", err, tt.field)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("OrderTotal (-want +got):\n%s", diff)
			}
		})
	}
	if ChargesPPN(true, true) || !ChargesPPN(true, false) || ChargesPPN(false, false) {
		t.Error("ChargesPPN: only a PKP selling a PPN object charges PPN")
	}
}

func TestLineAmount(t *testing.T) {
	tests := []struct {
		name  string
		price Rupiah
		qty   int64
		want  Rupiah
		err   bool
	}{
		{name: "rim of paper", price: 55_000, qty: 20, want: 1_100_000},
		{name: "zero quantity", price: 55_000, qty: 0, want: 0},
		{name: "negative", price: 55_000, qty: -1, err: true},
		{name: "overflow", price: MaxTaxAmount, qty: 2, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LineAmount(tt.price, tt.qty)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("LineAmount = %v, %v", got, err)
			}
		})
	}
}

// FuzzTaxBreakdown checks the invariants of every valid breakdown: the net never exceeds the
// total, deposits plus net add up to the total less any PPN the seller keeps, and amounts are
// never negative.
func FuzzTaxBreakdown(f *testing.F) {
	f.Add(int64(10_000_000), int64(0), int64(0), uint8(0xff))
	f.Add(int64(1_801_803), int64(17), int64(5_000_000), uint8(0x15))
	f.Fuzz(func(t *testing.T, goods, shipping, order int64, flags uint8) {
		in := TaxInput{Goods: Rupiah(goods), Shipping: Rupiah(shipping), OrderAmount: Rupiah(order),
			Kind: CategoryGoods, PKP: flags&1 != 0, HasNPWP: flags&2 != 0, PP55Valid: flags&4 != 0,
			Individual: flags&8 != 0, Catering: flags&16 != 0, PBJTTaxpayer: flags&48 == 48, PaymentDate: payDay2025}
		if flags&64 != 0 {
			in.Kind = CategoryService
		}
		got, err := TaxBreakdown(in)
		if err != nil {
			if ErrorCode(err) != CodeInvalid {
				t.Fatalf("error %v is not CodeInvalid", err)
			}
			return
		}
		var deposited Rupiah
		for _, d := range got.Deposits {
			if d.Amount <= 0 {
				t.Fatalf("deposit %v", d)
			}
			deposited += d.Amount
		}
		kept := Rupiah(0)
		if got.PPNDepositor == PartySeller {
			kept = got.PPN
		}
		if got.NetToSeller < 0 || got.NetToSeller > got.Total || got.NetToSeller+deposited != got.Total || kept > got.NetToSeller {
			t.Fatalf("net %v, deposited %v, total %v", got.NetToSeller, deposited, got.Total)
		}
		if got.PPN > got.Taxable || got.DPP > got.Taxable || got.Withheld > got.Taxable {
			t.Fatalf("amounts %+v", got)
		}
	})
}

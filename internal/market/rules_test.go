package market

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var rulesWIB = time.FixedZone("WIB", 7*3600)

var checkNow = time.Date(2025, 6, 15, 10, 0, 0, 0, rulesWIB)

// baseCheckInput is an order that passes every rule: 10 rim of paper at Rp55.000 from a
// verified micro seller, with PPN: Rp610.500.
func baseCheckInput() CheckInput {
	b := validBudgetLine() // unit 7, 2025, available Rp40.000.000
	return CheckInput{
		Policy: DefaultPolicy(), Now: checkNow, UnitID: 7, BuyerID: 100, ApproverID: 101,
		Seller: CheckSeller{ID: 9, Name: "UD Sinar Medan", Verified: true, UMK: true},
		Lines: []CheckLine{{
			ProductID: 1, Name: "Kertas A4 80 gsm", Approved: true, Quantity: 10, MinQuantity: 5, Stock: 50,
			UnitPrice: 55_000, UnitOfMeasure: "rim", CategoryID: 3, CategoryName: "Kertas",
			ListingPrices: []Rupiah{50_000, 52_000, 60_000},
		}},
		Total:  610_500,
		Budget: b,
	}
}

// ruleCase is one case of a rule's table test. A wanted Explanation, when given, must occur
// in the explanation returned.
type ruleCase struct {
	name string
	edit func(in *CheckInput)
	want []RuleResult
}

func runRuleCases(t *testing.T, rule func(CheckInput) []RuleResult, cases []ruleCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			in := baseCheckInput()
			if tt.edit != nil {
				tt.edit(&in)
			}
			got := rule(in)
			ok := len(got) == len(tt.want)
			for i := 0; ok && i < len(got); i++ {
				w, g := tt.want[i], got[i]
				ok = w.Code == g.Code && w.Severity == g.Severity && strings.Contains(g.Explanation, w.Explanation) && g.Explanation != ""
			}
			if !ok {
				t.Errorf("results (-want +got):\n%s", cmp.Diff(tt.want, got))
			}
		})
	}
}

func ruleBlockOf(code, text string) RuleResult {
	return RuleResult{Code: code, Severity: SeverityBlock, Explanation: text}
}

func ruleWarnOf(code, text string) RuleResult {
	return RuleResult{Code: code, Severity: SeverityWarning, Explanation: text}
}

func TestCheckCap(t *testing.T) {
	runRuleCases(t, CheckCap, []ruleCase{
		{name: "well under the cap"},
		{name: "exactly the cap", edit: func(in *CheckInput) { in.Total = 50_000_000 }},
		{name: "one rupiah over", edit: func(in *CheckInput) { in.Total = 50_000_001 },
			want: []RuleResult{ruleBlockOf(RuleCap, "Total pesanan Rp50.000.001 melebihi batas Rp50.000.000 per pesanan.")}},
		{name: "lower policy cap", edit: func(in *CheckInput) { in.Policy.Cap = 500_000 },
			want: []RuleResult{ruleBlockOf(RuleCap, "Rp610.500 melebihi batas Rp500.000")}},
	})
}

func TestCheckBudget(t *testing.T) {
	runRuleCases(t, CheckBudget, []ruleCase{
		{name: "fits"},
		{name: "exactly the available amount", edit: func(in *CheckInput) { in.Total = 40_000_000 }},
		{name: "over the available amount", edit: func(in *CheckInput) { in.Total = 40_000_001 },
			want: []RuleResult{ruleBlockOf(RuleBudget, "Total pesanan Rp40.000.001 melebihi sisa anggaran Rp40.000.000 pada Kode RUP 27712345")}},
		{name: "held amount counts at approval", edit: func(in *CheckInput) {
			in.Total, in.BudgetHeld, in.Budget.Reserved = 45_000_000, 45_000_000, 45_000_000 // available Rp5.000.000
		}},
		{name: "held amount too small after an edit", edit: func(in *CheckInput) {
			in.Total, in.BudgetHeld, in.Budget.Reserved = 50_000_001, 45_000_000, 45_000_000
		}, want: []RuleResult{ruleBlockOf(RuleBudget, "Rp50.000.001 melebihi sisa anggaran Rp50.000.000")}},
		{name: "another unit's line", edit: func(in *CheckInput) { in.Budget.UnitID = 8 },
			want: []RuleResult{ruleBlockOf(RuleBudget, "bukan milik unit kerja Anda")}},
		{name: "last year's line", edit: func(in *CheckInput) { in.Budget.FiscalYear = 2024 },
			want: []RuleResult{ruleBlockOf(RuleBudget, "tahun anggaran 2024, bukan tahun berjalan 2025")}},
		{name: "year follows the instance's zone", edit: func(in *CheckInput) {
			in.Now = time.Date(2024, 12, 31, 18, 0, 0, 0, time.UTC).In(rulesWIB) // 1 January 2025 in WIB
		}},
	})
}

func TestCheckEligibility(t *testing.T) {
	runRuleCases(t, CheckEligibility, []ruleCase{
		{name: "eligible"},
		{name: "unverified, medium and suspended", edit: func(in *CheckInput) {
			in.Seller.Verified, in.Seller.UMK, in.Seller.Suspended = false, false, true
		}, want: []RuleResult{
			ruleBlockOf(RuleEligibility, "belum terverifikasi"),
			ruleBlockOf(RuleEligibility, "bukan usaha mikro atau kecil"),
			ruleBlockOf(RuleEligibility, "sedang dibekukan"),
		}},
		{name: "no lines", edit: func(in *CheckInput) { in.Lines = nil },
			want: []RuleResult{ruleBlockOf(RuleEligibility, "tidak berisi barang")}},
		{name: "product not approved", edit: func(in *CheckInput) { in.Lines[0].Approved = false },
			want: []RuleResult{ruleBlockOf(RuleEligibility, `Produk "Kertas A4 80 gsm" belum disetujui`)}},
		{name: "below minimum quantity", edit: func(in *CheckInput) { in.Lines[0].Quantity = 4 },
			want: []RuleResult{ruleBlockOf(RuleEligibility, "dipesan 4 rim, di bawah pesanan minimum 5 rim")}},
		{name: "zero quantity", edit: func(in *CheckInput) { in.Lines[0].Quantity = 0 },
			want: []RuleResult{ruleBlockOf(RuleEligibility, "harus lebih dari 0")}},
		{name: "exactly the stock", edit: func(in *CheckInput) { in.Lines[0].Quantity = 50 }},
		{name: "more than the stock", edit: func(in *CheckInput) { in.Lines[0].Quantity = 51 },
			want: []RuleResult{ruleBlockOf(RuleEligibility, "tinggal 50 rim, kurang dari jumlah dipesan 51 rim")}},
		{name: "held stock counts at approval", edit: func(in *CheckInput) {
			in.Lines[0].Quantity, in.Lines[0].Stock, in.Lines[0].StockHeld = 51, 0, 51
		}},
	})
}

func TestCheckSeparation(t *testing.T) {
	runRuleCases(t, CheckSeparation, []ruleCase{
		{name: "different officials"},
		{name: "buyer chose itself as PPK", edit: func(in *CheckInput) { in.ApproverID = in.BuyerID },
			want: []RuleResult{ruleBlockOf(RuleSeparation, "tidak boleh sekaligus menjadi PPK")}},
		{name: "nobody chosen yet", edit: func(in *CheckInput) { in.BuyerID, in.ApproverID = 0, 0 }},
	})
}

func TestCheckConflict(t *testing.T) {
	runRuleCases(t, CheckConflict, []ruleCase{
		{name: "no links"},
		{name: "unrelated users linked", edit: func(in *CheckInput) {
			in.Links = []SellerLink{{UserID: 500, Kind: LinkOwner}, {UserID: 501, Kind: LinkStaff}}
		}},
		{name: "buyer owns the seller", edit: func(in *CheckInput) { in.Links = []SellerLink{{UserID: 100, Kind: LinkOwner}} },
			want: []RuleResult{ruleBlockOf(RuleConflict, "Pejabat Pengadaan tercatat sebagai pemilik dengan penyedia UD Sinar Medan")}},
		{name: "PPK is staff", edit: func(in *CheckInput) { in.Links = []SellerLink{{UserID: 101, Kind: LinkStaff}} },
			want: []RuleResult{ruleBlockOf(RuleConflict, "PPK yang dipilih tercatat sebagai staf")}},
		{name: "receiver has a declared relation", edit: func(in *CheckInput) {
			in.ReceiverID = 102
			in.Links = []SellerLink{{UserID: 102, Kind: LinkRelation}}
		}, want: []RuleResult{ruleBlockOf(RuleConflict, "Penerima barang tercatat sebagai pihak yang memiliki hubungan")}},
		{name: "unrecorded receiver never matches", edit: func(in *CheckInput) { in.Links = []SellerLink{{UserID: 0, Kind: LinkStaff}} }},
		{name: "two links of one user give one result", edit: func(in *CheckInput) {
			in.Links = []SellerLink{{UserID: 100, Kind: LinkStaff}, {UserID: 100, Kind: LinkRelation}, {UserID: 101, Kind: LinkRelation}}
		}, want: []RuleResult{ruleBlockOf(RuleConflict, "Pejabat Pengadaan"), ruleBlockOf(RuleConflict, "PPK")}},
	})
}

func TestCheckTreasurer(t *testing.T) {
	tests := []struct {
		name       string
		treasurer  int64
		links      []SellerLink
		wantCodes  []string
		wantInText string
	}{
		{name: "another official", treasurer: 200},
		{name: "treasurer is the order's PP", treasurer: 100, wantCodes: []string{RuleSeparation}, wantInText: "Bendahara yang mencatat pembayaran"},
		{name: "treasurer linked to the seller", treasurer: 200, links: []SellerLink{{UserID: 200, Kind: LinkRelation}},
			wantCodes: []string{RuleConflict}, wantInText: "Bendahara tercatat sebagai pihak yang memiliki hubungan"},
		{name: "both", treasurer: 100, links: []SellerLink{{UserID: 100, Kind: LinkOwner}}, wantCodes: []string{RuleSeparation, RuleConflict}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckTreasurer(tt.treasurer, 100, "UD Sinar Medan", tt.links)
			var codes []string
			var text string
			for _, r := range got {
				if r.Severity != SeverityBlock {
					t.Errorf("severity %s, want block", r.Severity)
				}
				codes = append(codes, r.Code)
				text += r.Explanation
			}
			if diff := cmp.Diff(tt.wantCodes, codes); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
			if !strings.Contains(text, tt.wantInText) {
				t.Errorf("explanations %q lack %q", text, tt.wantInText)
			}
		})
	}
}

func TestCheckSplit(t *testing.T) {
	day := 24 * time.Hour
	past := func(id, seller int64, st State, total Rupiah, ago time.Duration, cats ...int64) PastOrder {
		return PastOrder{ID: id, SellerID: seller, State: st, Total: total, PlacedAt: checkNow.Add(-ago), CategoryIDs: cats}
	}
	runRuleCases(t, CheckSplit, []ruleCase{
		{name: "no earlier orders"},
		{name: "earlier orders under the cap together", edit: func(in *CheckInput) {
			in.Earlier = []PastOrder{past(1, 9, StateApproved, 49_389_500, 2*day, 3)}
		}},
		{name: "same seller passes the cap", edit: func(in *CheckInput) {
			in.Earlier = []PastOrder{past(1, 9, StateApproved, 30_000_000, 10*day, 4), past(2, 9, StateCompleted, 19_500_000, 20*day, 5)}
		}, want: []RuleResult{ruleWarnOf(RuleSplit,
			"Dalam 30 hari terakhir unit Anda sudah memesan dari penyedia UD Sinar Medan senilai Rp49.500.000 dalam 2 pesanan; dengan pesanan ini (Rp610.500) jumlahnya Rp50.110.500, melebihi batas Rp50.000.000.")}},
		{name: "same category from another seller", edit: func(in *CheckInput) {
			in.Earlier = []PastOrder{past(1, 20, StateShipped, 49_500_000, day, 3, 4)}
		}, want: []RuleResult{ruleWarnOf(RuleSplit, "memesan barang kategori Kertas senilai Rp49.500.000 dalam 1 pesanan")}},
		{name: "same seller and category give two results", edit: func(in *CheckInput) {
			in.Earlier = []PastOrder{past(1, 9, StateAwaitingApproval, 49_500_000, day, 3)}
		}, want: []RuleResult{ruleWarnOf(RuleSplit, "dari penyedia"), ruleWarnOf(RuleSplit, "kategori Kertas")}},
		{name: "sibling order of the same checkout counts", edit: func(in *CheckInput) {
			in.Earlier = []PastOrder{past(1, 21, StateAwaitingApproval, 49_500_000, 0, 3)}
		}, want: []RuleResult{ruleWarnOf(RuleSplit, "kategori Kertas")}},
		{name: "ended orders do not count", edit: func(in *CheckInput) {
			in.Earlier = []PastOrder{
				past(1, 9, StateRejected, 49_500_000, day, 3), past(2, 9, StateDeclined, 49_500_000, day, 3),
				past(3, 9, StateCancelled, 49_500_000, day, 3), past(4, 9, StateExpired, 49_500_000, day, 3),
			}
		}},
		{name: "closed short and disputed orders count", edit: func(in *CheckInput) {
			in.Earlier = []PastOrder{past(1, 20, StateClosedShort, 25_000_000, day, 3), past(2, 21, StateDisputed, 25_000_000, day, 3)}
		}, want: []RuleResult{ruleWarnOf(RuleSplit, "Rp50.000.000 dalam 2 pesanan")}},
		{name: "outside the window", edit: func(in *CheckInput) {
			in.Earlier = []PastOrder{past(1, 9, StateApproved, 49_500_000, 30*day, 3)}
		}},
		{name: "just inside the window", edit: func(in *CheckInput) {
			in.Earlier = []PastOrder{past(1, 9, StateApproved, 49_500_000, 30*day-time.Second)}
		}, want: []RuleResult{ruleWarnOf(RuleSplit, "dari penyedia")}},
		{name: "longer policy window", edit: func(in *CheckInput) {
			in.Policy.SplitWindowDays = 60
			in.Earlier = []PastOrder{past(1, 9, StateApproved, 49_500_000, 45*day)}
		}, want: []RuleResult{ruleWarnOf(RuleSplit, "Dalam 60 hari terakhir")}},
		{name: "the order itself is not counted at approval", edit: func(in *CheckInput) {
			in.OrderID = 77
			in.Earlier = []PastOrder{past(77, 9, StateAwaitingApproval, 49_500_000, day, 3)}
		}},
		{name: "policy makes it a block", edit: func(in *CheckInput) {
			in.Policy.SplitSeverity = SeverityBlock
			in.Earlier = []PastOrder{past(1, 20, StateApproved, 49_500_000, day, 3)}
		}, want: []RuleResult{ruleBlockOf(RuleSplit, "Kebijakan melarang pesanan ini")}},
		{name: "other category and seller", edit: func(in *CheckInput) {
			in.Earlier = []PastOrder{past(1, 20, StateApproved, 49_500_000, day, 4)}
		}},
	})
}

func TestMedianRupiah(t *testing.T) {
	tests := []struct {
		name   string
		in     []Rupiah
		want   Rupiah
		wantOK bool
	}{
		{name: "empty"},
		{name: "one", in: []Rupiah{7}, want: 7, wantOK: true},
		{name: "odd unsorted", in: []Rupiah{9, 1, 5}, want: 5, wantOK: true},
		{name: "even rounds down", in: []Rupiah{4, 1, 2, 9}, want: 3, wantOK: true},
		{name: "huge values do not overflow", in: []Rupiah{1<<62 + 1<<61, 1<<62 + 1<<61 + 2}, want: 1<<62 + 1<<61 + 1, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := append([]Rupiah(nil), tt.in...)
			got, ok := MedianRupiah(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("MedianRupiah(%v) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
			if diff := cmp.Diff(orig, tt.in); diff != "" {
				t.Errorf("input modified:\n%s", diff)
			}
		})
	}
}

func TestPriceReference(t *testing.T) {
	day := 24 * time.Hour
	stats := func(s []PriceSample) PriceStats { return PriceStatsOf(DefaultPolicy(), checkNow, s) }
	samples := func(ago time.Duration, prices ...Rupiah) []PriceSample {
		var out []PriceSample
		for _, p := range prices {
			out = append(out, PriceSample{UnitPrice: p, ApprovedAt: checkNow.Add(-ago)})
		}
		return out
	}
	tests := []struct {
		name           string
		line           CheckLine
		wantRef        Rupiah
		wantN          int
		wantFromOrders bool
		wantOK         bool
	}{
		{name: "nothing to compare"},
		{name: "listings while too few orders", line: CheckLine{
			OrderPrices: stats(samples(day, 10, 10, 10, 10)), ListingPrices: []Rupiah{40, 60, 50},
		}, wantRef: 50, wantN: 3, wantOK: true},
		{name: "orders once there are five", line: CheckLine{
			OrderPrices: stats(samples(day, 10, 12, 14, 16, 18)), ListingPrices: []Rupiah{40, 60, 50},
		}, wantRef: 14, wantN: 5, wantFromOrders: true, wantOK: true},
		{name: "old orders are ignored", line: CheckLine{
			OrderPrices:   stats(append(samples(day, 10, 12, 14, 16), samples(180*day, 18)...)),
			ListingPrices: []Rupiah{40},
		}, wantRef: 40, wantN: 1, wantOK: true},
		{name: "future orders are ignored", line: CheckLine{
			OrderPrices: stats(append(samples(day, 10, 12, 14, 16), samples(-day, 18)...)),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref, n, fromOrders, ok := PriceReference(DefaultPolicy(), tt.line)
			got := []any{ref, n, fromOrders, ok}
			want := []any{tt.wantRef, tt.wantN, tt.wantFromOrders, tt.wantOK}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("PriceReference (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckPrice(t *testing.T) {
	day := 24 * time.Hour
	orders := func(prices ...Rupiah) PriceStats {
		var out []PriceSample
		for _, p := range prices {
			out = append(out, PriceSample{UnitPrice: p, ApprovedAt: checkNow.Add(-day)})
		}
		return PriceStatsOf(DefaultPolicy(), checkNow, out)
	}
	runRuleCases(t, CheckPrice, []ruleCase{
		{name: "near the listings' median"},
		{name: "exactly 50% above the reference", edit: func(in *CheckInput) { in.Lines[0].UnitPrice = 78_000 }},
		{name: "just over 50% above the listings", edit: func(in *CheckInput) { in.Lines[0].UnitPrice = 78_001 },
			want: []RuleResult{ruleWarnOf(RulePrice,
				`Harga "Kertas A4 80 gsm" Rp78.001 per rim lebih dari 50% di atas harga acuan Rp52.000 (median 3 produk yang disetujui di katalog, kategori Kertas).`)}},
		{name: "over the orders' median", edit: func(in *CheckInput) {
			in.Lines[0].OrderPrices = orders(30_000, 32_000, 34_000, 36_000, 90_000)
		}, want: []RuleResult{ruleWarnOf(RulePrice, "harga acuan Rp34.000 (median 5 pesanan yang disetujui dalam 180 hari terakhir")}},
		{name: "stricter threshold", edit: func(in *CheckInput) { in.Policy.PriceThresholdPercent = 5 },
			want: []RuleResult{ruleWarnOf(RulePrice, "lebih dari 5% di atas harga acuan Rp52.000")}},
		{name: "no reference at all", edit: func(in *CheckInput) { in.Lines[0].ListingPrices = nil; in.Lines[0].UnitPrice = 10_000_000 }},
		{name: "above the declared public price", edit: func(in *CheckInput) { in.Lines[0].PublicPrice = 54_999 },
			want: []RuleResult{ruleWarnOf(RulePrice, "lebih tinggi dari harga umum yang dinyatakan penyedia (Rp54.999)")}},
		{name: "at the declared public price", edit: func(in *CheckInput) { in.Lines[0].PublicPrice = 55_000 }},
		{name: "both references per line", edit: func(in *CheckInput) {
			l := in.Lines[0]
			l.Name, l.UnitPrice, l.PublicPrice = "Map plastik", 100_000, 90_000
			in.Lines = append(in.Lines, l)
		}, want: []RuleResult{ruleWarnOf(RulePrice, `"Map plastik" Rp100.000`), ruleWarnOf(RulePrice, "harga umum")}},
	})
}

func TestCheckConcentration(t *testing.T) {
	cands := []SuggestedSeller{{9, "UD Sinar Medan"}, {10, "CV Deli"}, {10, "CV Deli"}, {11, "UD Belawan"}, {12, "Toko Amplas"}, {13, "UD Kesawan"}}
	runRuleCases(t, CheckConcentration, []ruleCase{
		{name: "no spend yet"},
		{name: "exactly the threshold", edit: func(in *CheckInput) {
			in.Concentration = Concentration{SellerSpend: 30_000_000, UnitSpend: 100_000_000, Candidates: cands}
		}},
		{name: "over the threshold with three suggestions", edit: func(in *CheckInput) {
			in.Concentration = Concentration{SellerSpend: 45_500_000, UnitSpend: 100_000_000, Candidates: cands}
		}, want: []RuleResult{{Code: RuleConcentration, Severity: SeverityInfo, Explanation: "Penyedia UD Sinar Medan sudah menerima 45% belanja unit Anda tahun ini (Rp45.500.000 dari Rp100.000.000). " +
			"Pertimbangkan juga UMK lokal lain di kategori yang sama: CV Deli, UD Belawan, Toko Amplas."}}},
		{name: "over the threshold without candidates", edit: func(in *CheckInput) {
			in.Concentration = Concentration{SellerSpend: 100, UnitSpend: 100}
		}, want: []RuleResult{{Code: RuleConcentration, Severity: SeverityInfo, Explanation: "sudah menerima 100% belanja unit Anda tahun ini (Rp100 dari Rp100)."}}},
		{name: "policy asks for no suggestions", edit: func(in *CheckInput) {
			in.Policy.ConcentrationSuggestions = 0
			in.Concentration = Concentration{SellerSpend: 31, UnitSpend: 100, Candidates: cands}
		}, want: []RuleResult{{Code: RuleConcentration, Severity: SeverityInfo, Explanation: "(Rp31 dari Rp100)."}}},
	})
}

func TestConcentrationSuggestions(t *testing.T) {
	in := baseCheckInput()
	in.Concentration.Candidates = []SuggestedSeller{{9, "self"}, {10, "a"}, {10, "a"}, {11, "b"}}
	want := []SuggestedSeller{{10, "a"}, {11, "b"}}
	if diff := cmp.Diff(want, ConcentrationSuggestions(in)); diff != "" {
		t.Errorf("ConcentrationSuggestions (-want +got):\n%s", diff)
	}
}

func TestGreaterProduct(t *testing.T) {
	tests := []struct {
		name string
		a    Rupiah
		m    int64
		b    Rupiah
		n    int64
		want bool
	}{
		{name: "plain", a: 151, m: 100, b: 100, n: 150, want: true},
		{name: "equal", a: 150, m: 100, b: 100, n: 150},
		{name: "beyond int64", a: 1 << 62, m: 100, b: 1<<62 - 1, n: 100, want: true},
		{name: "zero left", a: 0, m: 100, b: 0, n: 100},
		{name: "zero right", a: 1, m: 1, b: 0, n: 100, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := greaterProduct(tt.a, tt.m, tt.b, tt.n); got != tt.want {
				t.Errorf("greaterProduct = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckOrder(t *testing.T) {
	runRuleCases(t, CheckOrder, []ruleCase{
		{name: "clean order"},
		{name: "every kind of finding, in rule order", edit: func(in *CheckInput) {
			in.Total = 60_000_000
			in.ApproverID = in.BuyerID
			in.Seller.Verified = false
			in.Links = []SellerLink{{UserID: in.BuyerID, Kind: LinkStaff}}
			in.Earlier = []PastOrder{{ID: 1, SellerID: 9, State: StateApproved, Total: 1_000, PlacedAt: checkNow.Add(-time.Hour)}}
			in.Lines[0].PublicPrice = 50_000
			in.Concentration = Concentration{SellerSpend: 50, UnitSpend: 100}
		}, want: []RuleResult{
			ruleBlockOf(RuleCap, ""), ruleBlockOf(RuleBudget, ""), ruleBlockOf(RuleEligibility, ""), ruleBlockOf(RuleSeparation, ""),
			ruleBlockOf(RuleConflict, "Pejabat Pengadaan"), ruleBlockOf(RuleConflict, "PPK"),
			ruleWarnOf(RuleSplit, ""), ruleWarnOf(RulePrice, ""), {Code: RuleConcentration, Severity: SeverityInfo},
		}},
	})
}

func TestRuleError(t *testing.T) {
	blockR := ruleBlockOf(RuleCap, "x")
	split := ruleWarnOf(RuleSplit, "y")
	price := ruleWarnOf(RulePrice, "z")
	info := RuleResult{Code: RuleConcentration, Severity: SeverityInfo, Explanation: "i"}
	good := "Kebutuhan rapat koordinasi yang berbeda."
	tests := []struct {
		name       string
		results    []RuleResult
		just       map[string]string
		wantRules  []RuleResult
		wantFields []string
	}{
		{name: "nothing"},
		{name: "info only", results: []RuleResult{info}},
		{name: "justified warnings", results: []RuleResult{split, price, info}, just: map[string]string{RuleSplit: good, RulePrice: good}},
		{name: "block stops even when justified", results: []RuleResult{blockR, split}, just: map[string]string{RuleCap: good, RuleSplit: good},
			wantRules: []RuleResult{blockR}},
		{name: "missing justification", results: []RuleResult{split, price, price}, just: map[string]string{RuleSplit: good},
			wantRules: []RuleResult{price, price}, wantFields: []string{"justifications.price_reference"}},
		{name: "too short a justification", results: []RuleResult{split}, just: map[string]string{RuleSplit: "   perlu   "},
			wantRules: []RuleResult{split}, wantFields: []string{"justifications.split_purchase"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := RuleError(tt.results, tt.just)
			if tt.wantRules == nil {
				if err != nil {
					t.Fatalf("RuleError = %v, want nil", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != CodeRuleBlocked || e.Message == "" {
				t.Fatalf("RuleError = %v, want a CodeRuleBlocked *Error", err)
			}
			if diff := cmp.Diff(tt.wantRules, e.Rules); diff != "" {
				t.Errorf("rules (-want +got):\n%s", diff)
			}
			var fields []string
			for f := range e.Fields {
				fields = append(fields, f)
			}
			if diff := cmp.Diff(tt.wantFields, fields, sortStrings); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNeedsJustification(t *testing.T) {
	results := []RuleResult{ruleBlockOf(RuleCap, ""), ruleWarnOf(RulePrice, ""), ruleWarnOf(RuleSplit, ""), ruleWarnOf(RulePrice, "")}
	if diff := cmp.Diff([]string{RulePrice, RuleSplit}, NeedsJustification(results)); diff != "" {
		t.Errorf("NeedsJustification (-want +got):\n%s", diff)
	}
}

func TestSplitRoom(t *testing.T) {
	day := 24 * time.Hour
	orders := []PastOrder{
		{ID: 1, SellerID: 9, State: StateApproved, Total: 20_000_000, PlacedAt: checkNow.Add(-day), CategoryIDs: []int64{3}},
		{ID: 2, SellerID: 10, State: StateReceived, Total: 15_000_000, PlacedAt: checkNow.Add(-2 * day), CategoryIDs: []int64{3, 4}},
		{ID: 3, SellerID: 9, State: StateCancelled, Total: 40_000_000, PlacedAt: checkNow.Add(-day), CategoryIDs: []int64{4}},
		{ID: 4, SellerID: 9, State: StateApproved, Total: 40_000_000, PlacedAt: checkNow.Add(-40 * day), CategoryIDs: []int64{3}},
		{ID: 5, SellerID: 11, State: StateApproved, Total: 45_000_000, PlacedAt: checkNow.Add(-day), CategoryIDs: []int64{5}},
		{ID: 6, SellerID: 11, State: StateApproved, Total: 10_000_000, PlacedAt: checkNow.Add(-day), CategoryIDs: []int64{5}},
	}
	tests := []struct {
		name             string
		seller, category int64
		want             Rupiah
	}{
		{name: "nothing asked", want: 50_000_000},
		{name: "by seller", seller: 9, want: 30_000_000},
		{name: "by category", category: 3, want: 15_000_000},
		{name: "seller or category", seller: 9, category: 4, want: 15_000_000},
		{name: "never below zero", seller: 11, want: 0},
		{name: "unknown seller", seller: 99, want: 50_000_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SplitRoom(DefaultPolicy(), checkNow, orders, tt.seller, tt.category); got != tt.want {
				t.Errorf("SplitRoom = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPriceStatsOf(t *testing.T) {
	day := 24 * time.Hour
	lookback := DefaultPolicy().PriceLookback()
	at := func(ago time.Duration, p Rupiah) PriceSample {
		return PriceSample{UnitPrice: p, ApprovedAt: checkNow.Add(-ago)}
	}
	tests := []struct {
		name    string
		samples []PriceSample
		want    PriceStats
	}{
		{name: "none"},
		{name: "odd count: the middle price", samples: []PriceSample{at(day, 30), at(day, 10), at(day, 20)}, want: PriceStats{3, 20}},
		{name: "even count: the mean of the middle two, rounded down", samples: []PriceSample{at(day, 10), at(day, 13), at(day, 20), at(day, 40)},
			want: PriceStats{4, 16}},
		{name: "approved now counts, at the lookback's start does not", samples: []PriceSample{at(0, 10), at(lookback, 99), at(lookback-time.Second, 20)},
			want: PriceStats{2, 15}},
		{name: "a zero price does not count", samples: []PriceSample{at(day, 0), at(day, 50)}, want: PriceStats{1, 50}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PriceStatsOf(DefaultPolicy(), checkNow, tt.samples); got != tt.want {
				t.Errorf("PriceStatsOf = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// Only the split-purchase and price-reference rules take a written justification.
func TestTakesJustification(t *testing.T) {
	for code, want := range map[string]bool{RuleCap: false, RuleBudget: false, RuleEligibility: false, RuleSeparation: false,
		RuleConflict: false, RuleSplit: true, RulePrice: true, RuleConcentration: false, "made_up": false} {
		if got := TakesJustification(code); got != want {
			t.Errorf("TakesJustification(%q) = %v, want %v", code, got, want)
		}
	}
}

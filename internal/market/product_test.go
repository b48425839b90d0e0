package market

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func validProduct() Product {
	return Product{
		SKU:          "HVS-A4-70",
		Name:         "  Kertas HVS   A4 70 gsm ",
		Description:  "Kertas HVS putih ukuran A4, 70 gsm, isi 500 lembar per rim.",
		CategoryCode: "01.01.01",
		Unit:         "Rim",
		Price:        52_000,
		MinOrder:     1,
		Stock:        200,
		PDN:          true,
		Brand:        "Sinar Dunia",
		Specs:        []Spec{{" Ukuran ", "A4"}, {"", " "}, {"Gramatur", "70 gsm"}},
		PublicPrice:  55_000,
	}
}

var stationeryKBLI = []string{"47611"}

func TestProductNormalized(t *testing.T) {
	got, err := validProduct().Normalized(seedTree(t), stationeryKBLI)
	if err != nil {
		t.Fatal(err)
	}
	want := validProduct()
	want.Name = "Kertas HVS A4 70 gsm"
	want.Unit = "rim"
	want.Specs = []Spec{{"Ukuran", "A4"}, {"Gramatur", "70 gsm"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Normalized (-want +got):\n%s", diff)
	}
}

func TestProductValidate(t *testing.T) {
	tree := seedTree(t)
	tests := []struct {
		name   string
		edit   func(*Product)
		kbli   []string
		fields []string
	}{
		{name: "valid", edit: func(*Product) {}},
		{name: "no public price declared", edit: func(p *Product) { p.PublicPrice = 0 }},
		{name: "price equal to public price", edit: func(p *Product) { p.Price = 55_000 }},
		{name: "price above public price", edit: func(p *Product) { p.Price = 55_001 }, fields: []string{"price"}},
		{name: "zero price", edit: func(p *Product) { p.Price = 0 }, fields: []string{"price"}},
		{name: "negative price", edit: func(p *Product) { p.Price = -1 }, fields: []string{"price"}},
		{name: "unreasonable price", edit: func(p *Product) { p.Price, p.PublicPrice = MaxProductPrice+1, 0 }, fields: []string{"price"}},
		{name: "min order zero", edit: func(p *Product) { p.MinOrder = 0 }, fields: []string{"min_order"}},
		{name: "negative stock", edit: func(p *Product) { p.Stock = -1 }, fields: []string{"stock"}},
		{name: "zero stock is fine", edit: func(p *Product) { p.Stock = 0 }},
		{name: "category not allowed by KBLI", kbli: []string{"56210"}, edit: func(*Product) {}, fields: []string{"category"}},
		{name: "category not a leaf", edit: func(p *Product) { p.CategoryCode = "01.01" }, fields: []string{"category"}},
		{name: "no category", edit: func(p *Product) { p.CategoryCode = "" }, fields: []string{"category"}},
		{name: "unknown unit", edit: func(p *Product) { p.Unit = "ton" }, fields: []string{"unit"}},
		{name: "TKDN with certificate", edit: func(p *Product) { p.TKDN, p.TKDNCertificate = 4357, "TKDN-0123/2024" }},
		{name: "TKDN without certificate", edit: func(p *Product) { p.TKDN = 4357 }, fields: []string{"tkdn_certificate"}},
		{name: "TKDN without PDN", edit: func(p *Product) { p.TKDN, p.TKDNCertificate, p.PDN = 4357, "X", false }, fields: []string{"tkdn"}},
		{name: "TKDN above 100", edit: func(p *Product) { p.TKDN, p.TKDNCertificate = 10001, "X" }, fields: []string{"tkdn"}},
		{name: "certificate without TKDN", edit: func(p *Product) { p.TKDNCertificate = "X" }, fields: []string{"tkdn"}},
		{name: "duplicate spec", edit: func(p *Product) { p.Specs = []Spec{{"Warna", "Putih"}, {"warna", "Biru"}} }, fields: []string{"specs"}},
		{name: "spec without value", edit: func(p *Product) { p.Specs = []Spec{{"Warna", ""}} }, fields: []string{"specs"}},
		{name: "link without https", edit: func(p *Product) { p.PublicPriceURL = "javascript:alert(1)" }, fields: []string{"public_price_url"}},
		{name: "link with public price", edit: func(p *Product) { p.PublicPriceURL = "https://toko.example/hvs" }},
		{name: "link without public price", edit: func(p *Product) { p.PublicPrice, p.PublicPriceURL = 0, "https://toko.example/hvs" }, fields: []string{"public_price"}},
		{name: "bad SKU", edit: func(p *Product) { p.SKU = "HVS A4" }, fields: []string{"sku"}},
		{name: "everything empty", edit: func(p *Product) { *p = Product{} }, fields: []string{
			"category", "description", "min_order", "name", "price", "sku", "unit",
		}},
		{name: "long texts", edit: func(p *Product) {
			p.Name, p.Brand, p.SNI = strings.Repeat("n", 151), strings.Repeat("b", 101), strings.Repeat("s", 101)
			p.Description = strings.Repeat("d", 5001)
		}, fields: []string{"brand", "description", "name", "sni"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProduct()
			tt.edit(&p)
			kbli := tt.kbli
			if kbli == nil {
				kbli = stationeryKBLI
			}
			err := p.Validate(tree, kbli)
			var got []string
			if err != nil {
				for f := range err.(*Error).Fields {
					got = append(got, f)
				}
			}
			if diff := cmp.Diff(tt.fields, got, sortStrings); diff != "" {
				t.Errorf("fields (-want +got):\n%s\n%v", diff, err)
			}
		})
	}
}

func TestProductParityMessage(t *testing.T) {
	p := validProduct()
	p.Price = 60_000
	err := p.Validate(seedTree(t), stationeryKBLI)
	want := "Harga di Bela (Rp60.000) tidak boleh lebih tinggi dari harga umum yang Anda nyatakan (Rp55.000)."
	if got := err.(*Error).Fields["price"]; got != want {
		t.Errorf("price message = %q, want %q", got, want)
	}
}

func TestProductTransition(t *testing.T) {
	allowed := map[[2]ProductStatus]bool{
		{ProductDraft, ProductSubmitted}:    true,
		{ProductSubmitted, ProductApproved}: true,
		{ProductSubmitted, ProductRejected}: true,
		{ProductSubmitted, ProductDraft}:    true,
		{ProductRejected, ProductSubmitted}: true,
		{ProductApproved, ProductArchived}:  true,
		{ProductApproved, ProductTakenDown}: true,
		{ProductArchived, ProductSubmitted}: true,
	}
	for _, from := range ProductStatuses {
		for _, to := range ProductStatuses {
			err := ProductTransition(from, to)
			if want := allowed[[2]ProductStatus{from, to}]; (err == nil) != want {
				t.Errorf("ProductTransition(%s, %s) = %v, want allowed %v", from, to, err, want)
			}
		}
		if got, err := ParseProductStatus(string(from)); err != nil || got != from {
			t.Errorf("ParseProductStatus(%s) = %v, %v", from, got, err)
		}
	}
	if len(ProductNext(ProductTakenDown)) != 0 {
		t.Error("a takedown is final")
	}
}

func TestProductDecisionApply(t *testing.T) {
	tests := []struct {
		name     string
		decision ProductDecision
		from     ProductStatus
		reason   string
		want     ProductStatus
		code     Code
	}{
		{name: "approve", decision: ProductApprove, from: ProductSubmitted, want: ProductApproved},
		{name: "reject", decision: ProductReject, from: ProductSubmitted, reason: "Foto buram", want: ProductRejected},
		{name: "reject without reason", decision: ProductReject, from: ProductSubmitted, code: CodeInvalid},
		{name: "takedown", decision: ProductTakedown, from: ProductApproved, reason: "Harga tidak wajar", want: ProductTakenDown},
		{name: "takedown of a draft", decision: ProductTakedown, from: ProductDraft, reason: "x", code: CodeConflict},
		{name: "approve approved", decision: ProductApprove, from: ProductApproved, code: CodeConflict},
		{name: "unknown", decision: "verify", from: ProductSubmitted, code: CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.decision.Apply(tt.from, tt.reason)
			if c := ErrorCode(err); c != tt.code || got != tt.want {
				t.Errorf("Apply = %q, %v; want %q, code %q", got, err, tt.want, tt.code)
			}
		})
	}
}

func TestProductShown(t *testing.T) {
	tests := []struct {
		name    string
		product ProductStatus
		seller  SellerStatus
		class   UMKClass
		want    bool
	}{
		{name: "approved, eligible seller", product: ProductApproved, seller: SellerVerified, class: ClassMicro, want: true},
		{name: "approved, suspended seller", product: ProductApproved, seller: SellerSuspended, class: ClassMicro},
		{name: "approved, medium seller", product: ProductApproved, seller: SellerVerified, class: ClassMedium},
		{name: "submitted", product: ProductSubmitted, seller: SellerVerified, class: ClassSmall},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProductShown(tt.product, tt.seller, tt.class); got != tt.want {
				t.Errorf("ProductShown = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlanProductEdit(t *testing.T) {
	base := validProduct()
	with := func(edit func(*Product)) Product { p := validProduct(); edit(&p); return p }
	tests := []struct {
		name    string
		status  ProductStatus
		updated Product
		mode    EditMode
		changed []string
		code    Code
	}{
		{name: "approved, price", status: ProductApproved, updated: with(func(p *Product) { p.Price = 50_000 }),
			mode: EditRevision, changed: []string{"price"}},
		{name: "approved, description", status: ProductApproved, updated: with(func(p *Product) { p.Description += " Baru." }),
			mode: EditRevision, changed: []string{"description"}},
		{name: "approved, specs and public price", status: ProductApproved,
			updated: with(func(p *Product) { p.Specs = p.Specs[:1]; p.PublicPrice = 60_000 }),
			mode:    EditRevision, changed: []string{"specs", "public_price"}},
		{name: "approved, stock only", status: ProductApproved, updated: with(func(p *Product) { p.Stock, p.MinOrder = 5, 2 }),
			mode: EditInPlace},
		{name: "approved, nothing", status: ProductApproved, updated: base, mode: EditInPlace},
		{name: "draft, price", status: ProductDraft, updated: with(func(p *Product) { p.Price = 1 }),
			mode: EditInPlace, changed: []string{"price"}},
		{name: "rejected, name", status: ProductRejected, updated: with(func(p *Product) { p.Name = "Kertas" }),
			mode: EditInPlace, changed: []string{"name"}},
		{name: "submitted", status: ProductSubmitted, updated: base, code: CodeConflict},
		{name: "taken down", status: ProductTakenDown, updated: base, code: CodeConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mode, changed, err := PlanProductEdit(tt.status, base, tt.updated)
			if c := ErrorCode(err); c != tt.code {
				t.Fatalf("code = %q, want %q", c, tt.code)
			}
			if mode != tt.mode {
				t.Errorf("mode = %q, want %q", mode, tt.mode)
			}
			if diff := cmp.Diff(tt.changed, changed); diff != "" {
				t.Errorf("changed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want BasisPoints
		text string
		err  bool
	}{
		{name: "comma", in: "43,57", want: 4357, text: "43,57%"},
		{name: "dot and sign", in: " 43.5 % ", want: 4350, text: "43,50%"},
		{name: "whole", in: "40", want: 4000, text: "40%"},
		{name: "hundred", in: "100", want: 10000, text: "100%"},
		{name: "zero", in: "0", want: 0, text: "0%"},
		{name: "above", in: "100,01", err: true},
		{name: "three decimals", in: "43,571", err: true},
		{name: "negative", in: "-1", err: true},
		{name: "empty", in: "", err: true},
		{name: "dot only", in: "40.", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePercent(tt.in)
			if (err != nil) != tt.err || got != tt.want {
				t.Fatalf("ParsePercent(%q) = %v, %v", tt.in, got, err)
			}
			if !tt.err && got.String() != tt.text {
				t.Errorf("String = %q, want %q", got.String(), tt.text)
			}
		})
	}
	if s := BasisPoints(-50).String(); s != "-0,50%" {
		t.Errorf("BasisPoints(-50) = %q", s)
	}
}

func FuzzParsePercent(f *testing.F) {
	for _, s := range []string{"43,57", "100", "0.5", "1e2", "٤٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParsePercent(s)
		if err != nil {
			if fieldOf(t, err) != "tkdn" {
				t.Fatalf("error %v", err)
			}
			return
		}
		if v < 0 || v > 10000 {
			t.Fatalf("ParsePercent(%q) = %d out of range", s, v)
		}
		again, err := ParsePercent(strings.TrimSuffix(v.String(), "%"))
		if err != nil || again != v {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
	})
}

package market

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestProductBoundsSayTheBound(t *testing.T) {
	for _, tc := range []struct {
		name        string
		edit        func(*Product)
		field, want string
	}{
		{"stock above", func(p *Product) { p.Stock = 99_999_999_999 }, "stock", "Stok paling banyak 1.000.000.000."},
		{"stock negative", func(p *Product) { p.Stock = -1 }, "stock", "Stok tidak boleh negatif."},
		{"min order above", func(p *Product) { p.MinOrder = math.MaxInt64 }, "min_order", "Minimal pembelian paling banyak 1.000.000.000."},
		{"min order zero", func(p *Product) { p.MinOrder = 0 }, "min_order", "Minimal pembelian harus 1 atau lebih."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := validProduct()
			tc.edit(&p)
			_, err := p.Normalized(seedTree(t), stationeryKBLI)
			var e *Error
			if !errors.As(err, &e) || e.Fields[tc.field] != tc.want {
				t.Errorf("%s = %v, want %q", tc.field, err, tc.want)
			}
		})
	}
}

func TestProductTransitionToTheSameStatus(t *testing.T) {
	for _, st := range ProductStatuses {
		err := ProductTransition(st, st)
		if !errors.Is(err, ErrConflict) || strings.Contains(err.Error(), "tidak dapat diubah dari") || !strings.Contains(err.Error(), "sudah") {
			t.Errorf("%s → %s: %v", st, st, err)
		}
	}
	if err := ProductTransition(ProductDraft, ProductApproved); err == nil || !strings.Contains(err.Error(), "tidak dapat diubah dari") {
		t.Errorf("draft → approved: %v", err)
	}
}

func TestPhotoChangeRefusal(t *testing.T) {
	for _, tc := range []struct {
		status ProductStatus
		want   string // "" when allowed
	}{
		{ProductDraft, ""}, {ProductRejected, ""}, {ProductArchived, ""},
		{ProductSubmitted, "Produk sedang dikurasi; tarik kembali ke draf sebelum mengubahnya."},
		{ProductApproved, "arsipkan produk, ubah fotonya, lalu ajukan kembali"},
		{ProductTakenDown, "tidak dapat diubah"},
	} {
		err := PhotoChangeRefusal(tc.status)
		if tc.want == "" && err != nil || tc.want != "" && (!errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.status, err, tc.want)
		}
		// The form's lock and PlanProductEdit agree.
		_, _, perr := PlanProductEdit(tc.status, validProduct(), validProduct())
		if (EditRefusal(tc.status) == nil) != (perr == nil) {
			t.Errorf("%s: EditRefusal %v, PlanProductEdit %v", tc.status, EditRefusal(tc.status), perr)
		}
	}
}

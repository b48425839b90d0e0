package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"bela/internal/market"
)

// TestProductPhotosAreCurated: photos change only while the listing is neither under review nor
// live; on a live listing the seller is told to archive it first, and the public keeps seeing
// the curated photos.
func TestProductPhotosAreCurated(t *testing.T) {
	f := productFixture(t)
	id := createProduct(t, f, paperForm())
	edit := fmt.Sprintf("/usaha/%d/produk/%d", f.seller1.ID, id)
	upload := func() (*http.Response, string) {
		body, ct := fileBody(t, "photo", "foto.jpg", jpegOf(t, 640, 480))
		return f.do(market.RoleSellerOwner, "POST", edit+"/foto", body, "Content-Type", ct)
	}
	if res, _ := upload(); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("photo on a draft: %d", res.StatusCode)
	}
	p, _ := f.s.GetProduct(ctx, id)
	first := p.Photos[0].ID
	deletePath := fmt.Sprintf("%s/foto/%d/hapus", edit, first)

	// Under review: refused like an edit, and the form offers neither upload nor delete.
	if res, _ := f.do(market.RoleSellerOwner, "POST", edit+"/ajukan", form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	locked := func(when, message string) {
		t.Helper()
		res, page := upload()
		if res.StatusCode != http.StatusConflict || !strings.Contains(page, message) {
			t.Errorf("%s: upload %d", when, res.StatusCode)
		}
		res, page = f.do(market.RoleSellerOwner, "POST", deletePath, form())
		if res.StatusCode != http.StatusConflict || !strings.Contains(page, message) {
			t.Errorf("%s: delete %d", when, res.StatusCode)
		}
		_, page = f.do(market.RoleSellerOwner, "GET", edit, nil)
		if !strings.Contains(page, `data-testid="photos-locked"`) || strings.Contains(page, edit+"/foto\"") || strings.Contains(page, "/hapus") {
			t.Errorf("%s: the form offers photo changes", when)
		}
		if p, _ := f.s.GetProduct(ctx, id); len(p.Photos) != 1 || p.Photos[0].ID != first {
			t.Errorf("%s: photos = %+v", when, p.Photos)
		}
	}
	locked("submitted", "Produk sedang dikurasi; tarik kembali ke draf sebelum mengubahnya.")

	// Live: refused with the way to change them; the public page keeps the curated photo.
	if res, _ := f.do(market.RoleCurator, "POST", fmt.Sprintf("/kurasi/produk/%d/keputusan", id), form("decision", "approve")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	locked("approved", "arsipkan produk, ubah fotonya, lalu ajukan kembali")
	_, page := f.do("", "GET", fmt.Sprintf("/katalog/produk/%d", id), nil)
	if n := len(regexp.MustCompile(`/katalog/foto/\d+`).FindAllString(page, -1)); n == 0 || !strings.Contains(page, fmt.Sprintf("/katalog/foto/%d", first)) {
		t.Errorf("public page photos: %d", n)
	}

	// Archived: the seller changes them, and they are curated on the next submission.
	if res, _ := f.do(market.RoleSellerOwner, "POST", edit+"/arsipkan", form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("archive: %d", res.StatusCode)
	}
	if res, _ := upload(); res.StatusCode != http.StatusSeeOther {
		t.Errorf("photo on an archived listing: %d", res.StatusCode)
	}
	if res, _ := f.do(market.RoleSellerOwner, "POST", deletePath, form()); res.StatusCode != http.StatusSeeOther {
		t.Errorf("delete on an archived listing: %d", res.StatusCode)
	}
}

// TestProductFormSaysBoundsAndRepeats: out-of-range numbers name the bound, and a second
// submit or approval says it was already done.
func TestProductFormSaysBoundsAndRepeats(t *testing.T) {
	f := productFixture(t)
	path := fmt.Sprintf("/usaha/%d/produk/baru", f.seller1.ID)
	res, page := f.do(market.RoleSellerOwner, "POST", path, strings.NewReader(paperForm("stock", "99.999.999.999", "min_order", "9223372036854775807").Encode()))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("out of range: %d", res.StatusCode)
	}
	for _, want := range []string{"Stok paling banyak 1.000.000.000.", "Minimal pembelian paling banyak 1.000.000.000."} {
		if !strings.Contains(page, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	for _, wrong := range []string{"Stok tidak boleh negatif", "harus 1 atau lebih"} {
		if strings.Contains(page, wrong) {
			t.Errorf("form says %q", wrong)
		}
	}

	id := createProduct(t, f, paperForm())
	submit := fmt.Sprintf("/usaha/%d/produk/%d/ajukan", f.seller1.ID, id)
	if res, _ := f.do(market.RoleSellerOwner, "POST", submit, form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	res, page = f.do(market.RoleSellerOwner, "POST", submit, form())
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, "Produk ini sudah diajukan dan sedang menunggu kurasi.") || strings.Contains(page, "tidak dapat diubah dari") {
		t.Errorf("double submit: %d", res.StatusCode)
	}
	decide := fmt.Sprintf("/kurasi/produk/%d/keputusan", id)
	if res, _ := f.do(market.RoleCurator, "POST", decide, form("decision", "approve")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	res, page = f.do(market.RoleCurator, "POST", decide, form("decision", "approve"))
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, "Produk ini sudah disetujui dan sedang tayang") || strings.Contains(page, "tidak dapat diubah dari") {
		t.Errorf("double approve: %d", res.StatusCode)
	}
	res, body := f.api(market.RoleCurator, "POST", fmt.Sprintf("/api/v1/products/%d/review", id), `{"decision": "approve"}`)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "sudah disetujui") {
		t.Errorf("double approve by API: %d %s", res.StatusCode, body)
	}
}

// TestProductUnderReviewIsNotOfferedForEditing: the form of a submitted listing is read-only,
// says why, and has no save button; a draft's has one.
func TestProductUnderReviewIsNotOfferedForEditing(t *testing.T) {
	f := productFixture(t)
	id := createProduct(t, f, paperForm())
	edit := fmt.Sprintf("/usaha/%d/produk/%d", f.seller1.ID, id)
	save := `<button type="submit">Simpan`
	if _, page := f.do(market.RoleSellerOwner, "GET", edit, nil); !strings.Contains(page, save) || strings.Contains(page, `data-testid="locked"`) {
		t.Fatalf("a draft's form has no save button")
	}
	f.do(market.RoleSellerOwner, "POST", edit+"/ajukan", form())
	res, page := f.do(market.RoleSellerOwner, "GET", edit, nil)
	if res.StatusCode != 200 || strings.Contains(page, save) || !strings.Contains(page, `data-testid="locked"`) ||
		!strings.Contains(page, "tarik kembali ke draf") || !strings.Contains(page, "<fieldset class=\"stack\" disabled>") {
		t.Errorf("the form of a submitted listing offers saving: %d", res.StatusCode)
	}
	// The withdraw button stays: that is how the seller edits it.
	if !strings.Contains(page, edit+"/tarik") {
		t.Error("no withdraw button")
	}
}

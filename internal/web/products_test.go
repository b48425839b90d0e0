package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
)

// productFixture is the seller fixture with both sellers verified micro businesses holding
// KBLI 47611 (stationery), set directly in the database.
func productFixture(t *testing.T) *fixture {
	t.Helper()
	f := newSellerFixture(t)
	for _, id := range []int64{f.seller1.ID, f.seller2.ID} {
		if _, err := f.s.DB().ExecContext(ctx, `UPDATE sellers SET class = 'micro' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.DB().ExecContext(ctx, `INSERT INTO seller_kbli (seller_id, kbli) VALUES ($1, '47611')`, id); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func paperForm(kv ...string) url.Values {
	v := url.Values{"sku": {"HVS-A4"}, "name": {"Kertas HVS A4 70 gsm"}, "description": {"Kertas fotokopi putih, 500 lembar per rim."},
		"category": {"01.01.01"}, "unit": {"rim"}, "price": {"55.000"}, "public_price": {"60.000"}, "min_order": {"1"}, "stock": {"100"},
		"specs": {"Ukuran: A4\nGramatur: 70 gsm"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

var productLocation = regexp.MustCompile(`/usaha/\d+/produk/(\d+)`)

// createProduct posts the product form as the seller owner and returns the new listing's id.
func createProduct(t *testing.T, f *fixture, v url.Values) int64 {
	t.Helper()
	res, body := f.do(market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/produk/baru", f.seller1.ID), strings.NewReader(v.Encode()))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create product: %d %s", res.StatusCode, body)
	}
	m := productLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("redirect %q", res.Header.Get("Location"))
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

func TestProductFormKeepsInputAndShowsFieldErrors(t *testing.T) {
	f := productFixture(t)
	path := fmt.Sprintf("/usaha/%d/produk/baru", f.seller1.ID)
	bad := paperForm("price", "lima ribu", "name", "Kertas Uji Masukan", "specs", "tanpa titik dua")
	res, body := f.do(market.RoleSellerOwner, "POST", path, strings.NewReader(bad.Encode()))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", res.StatusCode)
	}
	for _, want := range []string{`value="Kertas Uji Masukan"`, `value="lima ribu"`, "tanpa titik dua", "Tulis harga dalam rupiah", "Tulis satu spesifikasi per baris"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	// The KBLI rule and price parity, said in the form.
	res, body = f.do(market.RoleSellerOwner, "POST", path, strings.NewReader(paperForm("category", "07.01.01", "unit", "unit").Encode()))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "hanya untuk usaha dengan KBLI 47411, 46511") || !strings.Contains(body, `value="55.000"`) {
		t.Errorf("category outside KBLI: %d", res.StatusCode)
	}
	res, body = f.do(market.RoleSellerOwner, "POST", path, strings.NewReader(paperForm("price", "65.000").Encode()))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "tidak boleh lebih tinggi dari harga umum") {
		t.Errorf("price above the public price: %d", res.StatusCode)
	}
	list, _ := f.s.ListSellerProducts(ctx, f.seller1.ID, "")
	if len(list.Products) != 0 {
		t.Fatalf("invalid forms stored %d listings", len(list.Products))
	}
	id := createProduct(t, f, paperForm())
	p, err := f.s.GetProduct(ctx, id)
	if err != nil || p.Price != 55000 || len(p.Specs) != 2 || p.Status != market.ProductDraft {
		t.Fatalf("stored %+v, %v", p, err)
	}
	// Staff of the same seller may edit; the page shows the listing.
	res, body = f.do(market.RoleSellerStaff, "GET", fmt.Sprintf("/usaha/%d/produk/%d", f.seller1.ID, id), nil)
	if res.StatusCode != 200 || !strings.Contains(body, `value="HVS-A4"`) || !strings.Contains(body, "Gramatur: 70 gsm") {
		t.Errorf("edit form for staff: %d", res.StatusCode)
	}
	// The dashboard counts it and says what to do next.
	res, body = f.do(market.RoleSellerOwner, "GET", fmt.Sprintf("/usaha/%d/produk", f.seller1.ID), nil)
	if res.StatusCode != 200 || !strings.Contains(body, `data-status="draft">Draf (1)`) || !strings.Contains(body, "Tambahkan foto") {
		t.Errorf("dashboard: %d\n%s", res.StatusCode, body)
	}
}

func TestAnotherSellersProductIsNotFound(t *testing.T) {
	f := productFixture(t)
	id := createProduct(t, f, paperForm())
	// The other seller's owner: their own seller id with this product, and this seller's id.
	other, err := f.s.CreateUserWithHash(ctx, store.System, store.NewUser{Name: "Pemilik Dua", Email: "owner2@bela.test"}, store.HashPassword(password),
		store.Grant{Role: market.RoleSellerOwner, ScopeID: f.seller2.ID})
	if err != nil {
		t.Fatal(err)
	}
	f.sessions["owner2"], _ = f.s.CreateSession(ctx, other)
	_, tok2, _ := f.s.CreateAPIToken(ctx, other, "uji", store.DefaultAPITokenDays)
	for _, tc := range []struct{ method, path string }{
		{"GET", fmt.Sprintf("/usaha/%d/produk/%d", f.seller2.ID, id)},
		{"POST", fmt.Sprintf("/usaha/%d/produk/%d", f.seller2.ID, id)},
		{"POST", fmt.Sprintf("/usaha/%d/produk/%d/ajukan", f.seller2.ID, id)},
		{"GET", fmt.Sprintf("/usaha/%d/produk/%d", f.seller1.ID, id)},
		{"GET", fmt.Sprintf("/usaha/%d/produk", f.seller1.ID)},
		{"POST", fmt.Sprintf("/usaha/%d/produk/%d/arsipkan", f.seller1.ID, id)},
		{"GET", fmt.Sprintf("/katalog/produk/%d", id)}, // a draft is not public
	} {
		var body io.Reader
		if tc.method == "POST" {
			body = strings.NewReader(paperForm("price", "1.000").Encode())
		}
		res, _ := f.do("owner2", tc.method, tc.path, body)
		if res.StatusCode != 404 {
			t.Errorf("%s %s as another seller: %d, want 404", tc.method, tc.path, res.StatusCode)
		}
	}
	for _, tc := range []struct{ method, path, body string }{
		{"GET", fmt.Sprintf("/api/v1/products/%d", id), ""},
		{"PATCH", fmt.Sprintf("/api/v1/products/%d", id), `{"price": 1000}`},
		{"POST", fmt.Sprintf("/api/v1/products/%d/submit", id), ""},
	} {
		var body io.Reader
		if tc.body != "" {
			body = strings.NewReader(tc.body)
		}
		res, _ := f.do("", tc.method, tc.path, body, "Authorization", "Bearer "+tok2, "Content-Type", "application/json")
		if res.StatusCode != 404 {
			t.Errorf("API %s %s as another seller: %d, want 404", tc.method, tc.path, res.StatusCode)
		}
	}
	if p, _ := f.s.GetProduct(ctx, id); p.Price != 55000 || p.Status != market.ProductDraft {
		t.Errorf("another seller changed the listing: %+v", p)
	}
}

func jpegOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fileBody(t *testing.T, field, filename string, data []byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestProductPhotosCurationAndCatalogue(t *testing.T) {
	f := productFixture(t)
	id := createProduct(t, f, paperForm())
	photoPath := fmt.Sprintf("/usaha/%d/produk/%d/foto", f.seller1.ID, id)
	// Too small, and not an image.
	body, ct := fileBody(t, "photo", "kecil.jpg", jpegOf(t, 400, 200))
	res, page := f.do(market.RoleSellerOwner, "POST", photoPath, body, "Content-Type", ct)
	if res.StatusCode != 422 || !strings.Contains(page, "minimal 300 piksel") {
		t.Errorf("small photo: %d", res.StatusCode)
	}
	body, ct = fileBody(t, "photo", "foto.jpg", []byte("%PDF-1.4 not an image %%EOF"))
	if res, _ := f.do(market.RoleSellerOwner, "POST", photoPath, body, "Content-Type", ct); res.StatusCode != 422 {
		t.Errorf("a PDF as a photo: %d", res.StatusCode)
	}
	body, ct = fileBody(t, "photo", "foto.jpg", jpegOf(t, 640, 480))
	if res, _ := f.do(market.RoleSellerOwner, "POST", photoPath, body, "Content-Type", ct); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("photo upload: %d", res.StatusCode)
	}
	p, _ := f.s.GetProduct(ctx, id)
	if len(p.Photos) != 1 || p.Photos[0].Width != 640 {
		t.Fatalf("photos = %+v", p.Photos)
	}
	thumb := fmt.Sprintf("/katalog/foto/%d/kecil", p.Photos[0].ID)
	if res, _ := f.do("", "GET", thumb, nil); res.StatusCode != 404 {
		t.Errorf("a draft's photo is public: %d", res.StatusCode)
	}
	if res, _ := f.do(market.RoleSellerOwner, "GET", thumb, nil); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("own photo: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}

	// Submit, then the curator rejects without and with a reason, then approves.
	if res, _ := f.do(market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/produk/%d/ajukan", f.seller1.ID, id), form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	res, page = f.do(market.RoleCurator, "GET", "/kurasi/produk", nil)
	if res.StatusCode != 200 || !strings.Contains(page, fmt.Sprintf(`data-product="%d"`, id)) {
		t.Fatalf("queue: %d", res.StatusCode)
	}
	decide := fmt.Sprintf("/kurasi/produk/%d/keputusan", id)
	res, page = f.do(market.RoleCurator, "POST", decide, form("decision", "reject", "reason", ""))
	if res.StatusCode != 422 || !strings.Contains(page, "Alasan wajib diisi") {
		t.Errorf("reject without reason: %d", res.StatusCode)
	}
	if res, _ := f.do(market.RoleAuditor, "POST", decide, form("decision", "approve")); res.StatusCode != 403 {
		t.Errorf("auditor decides: %d", res.StatusCode)
	}
	if res, _ := f.do(market.RoleCurator, "POST", decide, form("decision", "reject", "reason", "Foto kurang jelas.")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d", res.StatusCode)
	}
	_, page = f.do(market.RoleSellerOwner, "GET", fmt.Sprintf("/usaha/%d/produk", f.seller1.ID), nil)
	if !strings.Contains(page, "Foto kurang jelas.") || !strings.Contains(page, "Perbaiki sesuai catatan kurator") {
		t.Errorf("dashboard does not show the curator's note")
	}
	f.do(market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/produk/%d/ajukan", f.seller1.ID, id), form())
	if res, _ := f.do(market.RoleCurator, "POST", decide, form("decision", "approve")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}

	// Public catalogue: category browse, name filter, product page with the price history.
	res, page = f.do("", "GET", "/katalog?kategori=01&q=hvs", nil)
	if res.StatusCode != 200 || !strings.Contains(page, fmt.Sprintf(`data-product="%d"`, id)) || !strings.Contains(page, "1 produk") {
		t.Errorf("catalogue: %d", res.StatusCode)
	}
	_, page = f.do("", "GET", "/katalog?q=laptop", nil)
	if strings.Contains(page, fmt.Sprintf(`data-product="%d"`, id)) {
		t.Error("name filter ignored")
	}
	res, page = f.do("", "GET", fmt.Sprintf("/katalog/produk/%d", id), nil)
	if res.StatusCode != 200 || !strings.Contains(page, "Rp55.000") || !strings.Contains(page, `data-testid="price-history"`) {
		t.Errorf("product page: %d", res.StatusCode)
	}
	if res, _ := f.do("", "GET", thumb, nil); res.StatusCode != 200 {
		t.Errorf("an approved product's photo: %d", res.StatusCode)
	}

	// A price change becomes a revision; the catalogue keeps the old price until approval.
	res, _ = f.do(market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/produk/%d", f.seller1.ID, id), strings.NewReader(paperForm("price", "52.000").Encode()))
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "pflash.revision") {
		t.Fatalf("price edit: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, page = f.do("", "GET", fmt.Sprintf("/katalog/produk/%d", id), nil)
	if !strings.Contains(page, "Rp55.000") || strings.Contains(page, "Rp52.000") {
		t.Error("the public page shows the unapproved price")
	}
	_, page = f.do(market.RoleCurator, "GET", fmt.Sprintf("/kurasi/produk/%d", id), nil)
	if !strings.Contains(page, `data-testid="revision"`) || !strings.Contains(page, "Rp52.000") {
		t.Error("the review page does not show the proposed change")
	}
	f.do(market.RoleCurator, "POST", decide, form("decision", "approve"))
	_, page = f.do("", "GET", fmt.Sprintf("/katalog/produk/%d", id), nil)
	if !strings.Contains(page, "Rp52.000") {
		t.Error("the approved revision is not shown")
	}
	// Takedown hides it.
	f.do(market.RoleCurator, "POST", decide, form("decision", "takedown", "reason", "Laporan warga: harga tidak sesuai."))
	if res, _ := f.do("", "GET", fmt.Sprintf("/katalog/produk/%d", id), nil); res.StatusCode != 404 {
		t.Errorf("taken-down product is public: %d", res.StatusCode)
	}
}

func TestProductImportPreviewAndConfirm(t *testing.T) {
	f := productFixture(t)
	csv := "SKU;Nama;Deskripsi;Kategori;Satuan;Harga;Harga umum\n" +
		"HVS-A4;Kertas HVS A4;Kertas fotokopi 70 gsm;01.01.01;rim;55.000;60.000\n" +
		"LAP-1;Laptop;Laptop kantor;07.01.01;unit;9.000.000;\n" +
		"MAP-1;Map;Map plastik;01.01.02;pcs;abc;\n"
	path := fmt.Sprintf("/usaha/%d/produk/impor", f.seller1.ID)
	body, ct := fileBody(t, "file", "produk.csv", []byte(csv))
	res, page := f.do(market.RoleSellerOwner, "POST", path, body, "Content-Type", ct)
	if res.StatusCode != 200 {
		t.Fatalf("preview: %d %s", res.StatusCode, page)
	}
	for _, want := range []string{`data-line="2" data-action="create"`, `data-line="3" data-action="invalid"`, `data-line="4" data-action="invalid"`, "KBLI", "Harga harus angka"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	// In English the rows' problems read in English under the sheet's own headings.
	body, ct = fileBody(t, "file", "produk.csv", []byte(csv))
	res, page = f.do(market.RoleSellerOwner, "POST", path, body, "Content-Type", ct, "Cookie", "bela_lang=en")
	if res.StatusCode != 200 {
		t.Fatalf("preview in English: %d", res.StatusCode)
	}
	for _, want := range []string{`data-line="4" data-action="invalid"`, "Harga: The price must be a rupiah amount without decimals, for example 55000 or 55.000."} {
		if !strings.Contains(page, want) {
			t.Errorf("English preview lacks %q", want)
		}
	}
	if strings.Contains(page, "Harga harus angka") {
		t.Error("the English preview explains the price in Bahasa Indonesia")
	}
	if list, _ := f.s.ListSellerProducts(ctx, f.seller1.ID, ""); len(list.Products) != 0 {
		t.Fatal("the preview stored listings")
	}
	m := regexp.MustCompile(`name="sheet" value="([0-9a-f]{64})"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no confirmation form")
	}
	res, page = f.do(market.RoleSellerOwner, "POST", path+"/konfirmasi", form("sheet", m[1]))
	if res.StatusCode != 200 || !strings.Contains(page, "Impor selesai") {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	// The same file again updates nothing and duplicates nothing.
	f.do(market.RoleSellerOwner, "POST", path+"/konfirmasi", form("sheet", m[1]))
	list, _ := f.s.ListSellerProducts(ctx, f.seller1.ID, "")
	if len(list.Products) != 1 || list.Products[0].SKU != "HVS-A4" || list.Products[0].Status != market.ProductDraft {
		t.Fatalf("after import: %+v", list.Products)
	}
	// The imported draft goes to the curator with the bulk submit button; another seller's
	// people cannot press it.
	_, page = f.do(market.RoleSellerOwner, "GET", fmt.Sprintf("/usaha/%d/produk", f.seller1.ID), nil)
	if !strings.Contains(page, `data-testid="submit-drafts"`) {
		t.Error("no bulk submit button while a draft waits")
	}
	if res, _ := f.do(market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/produk/ajukan-semua", f.seller2.ID), form()); res.StatusCode != 404 {
		t.Errorf("bulk submit for another seller: %d", res.StatusCode)
	}
	res, page = f.do(market.RoleSellerStaff, "POST", fmt.Sprintf("/usaha/%d/produk/ajukan-semua", f.seller1.ID), form())
	if res.StatusCode != 200 || !strings.Contains(page, "1 draf diajukan ke kurator") || strings.Contains(page, `data-testid="submit-drafts"`) {
		t.Errorf("bulk submit: %d", res.StatusCode)
	}
	if list = mustList(t, f, f.seller1.ID); list.Counts[market.ProductSubmitted] != 1 {
		t.Errorf("after bulk submit: %+v", list.Counts)
	}
	// A malformed file is refused with a clear message; the template downloads.
	body, ct = fileBody(t, "file", "rusak.xlsx", []byte("PK\x03\x04 rusak"))
	res, page = f.do(market.RoleSellerOwner, "POST", path, body, "Content-Type", ct)
	if res.StatusCode != 422 || !strings.Contains(page, "XLSX rusak") {
		t.Errorf("malformed file: %d", res.StatusCode)
	}
	res, page = f.do(market.RoleSellerOwner, "GET", fmt.Sprintf("/usaha/%d/produk/templat.xlsx", f.seller1.ID), nil)
	if res.StatusCode != 200 || !strings.HasPrefix(page, "PK") {
		t.Errorf("template: %d", res.StatusCode)
	}
}

func TestProductPagesRender(t *testing.T) {
	f := productFixture(t)
	id := createProduct(t, f, paperForm())
	f.do(market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/produk/%d/ajukan", f.seller1.ID, id), form())
	pages := map[market.Role][]string{
		"":                     {"/katalog", "/katalog?kategori=01.01", "/katalog?hal=2&q=x"},
		market.RoleSellerOwner: {fmt.Sprintf("/usaha/%d/produk", f.seller1.ID), fmt.Sprintf("/usaha/%d/produk/baru", f.seller1.ID), fmt.Sprintf("/usaha/%d/produk/%d", f.seller1.ID, id), fmt.Sprintf("/usaha/%d/produk/impor", f.seller1.ID), fmt.Sprintf("/katalog/produk/%d", id)},
		market.RoleCurator:     {"/kurasi/produk", fmt.Sprintf("/kurasi/produk/%d", id), fmt.Sprintf("/katalog/produk/%d", id)},
		market.RoleAuditor:     {"/kurasi/produk", fmt.Sprintf("/kurasi/produk/%d", id)},
	}
	for _, lang := range []string{"id", "en"} {
		for role, paths := range pages {
			for _, p := range paths {
				res, body := f.do(role, "GET", p, nil, "Cookie", "bela_lang="+lang)
				if res.StatusCode != 200 || !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("%s %s as %q: %d", lang, p, role, res.StatusCode)
				}
			}
		}
	}
	res, _ := f.do(market.RoleSellerOwner, "GET", "/produk", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != fmt.Sprintf("/usaha/%d/produk", f.seller1.ID) {
		t.Errorf("/produk: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func mustList(t *testing.T, f *fixture, sellerID int64) store.SellerProducts {
	t.Helper()
	list, err := f.s.ListSellerProducts(ctx, sellerID, "")
	if err != nil {
		t.Fatal(err)
	}
	return list
}

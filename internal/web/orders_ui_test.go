package web_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"bela/internal/blob"
	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/web"
)

// orderFixture is the base fixture with seller1 a verified micro stationery business selling
// paper (Rp100.000 per rim, 1,000 in stock), and a budget line of Rp500 juta for unit1.
type orderFixture struct {
	*fixture
	paper   int64
	budget  market.BudgetLine
	blobDir string // where the server stores files
}

func newOrderFixture(t *testing.T) *orderFixture {
	t.Helper()
	f := &orderFixture{fixture: newFixture(t)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.s.SetSellerClassAndKBLI(ctx, store.System, f.seller1.ID, market.ClassMicro, []string{"47611"}))
	owner := store.Actor{UserID: f.ids[market.RoleSellerOwner], Role: market.RoleSellerOwner}
	pr, err := f.s.CreateProduct(ctx, owner, f.seller1.ID, market.Product{SKU: "HVS-A4", Name: "Kertas HVS A4 70 gsm",
		Description: "Kertas fotokopi putih.", CategoryCode: "01.01.01", Unit: "rim", Price: 100_000, MinOrder: 1, Stock: 1000})
	must(err)
	must(f.s.SubmitProduct(ctx, owner, f.seller1.ID, pr.ID))
	_, err = f.s.ReviewProduct(ctx, store.Actor{UserID: f.ids[market.RoleCurator], Role: market.RoleCurator}, pr.ID, market.ProductApprove, "")
	must(err)
	f.paper = pr.ID
	adm, err := f.s.Principal(ctx, f.ids[market.RoleUnitAdmin])
	must(err)
	f.budget, err = f.s.CreateBudgetLine(ctx, adm, f.unit1.ID, store.BudgetInput{FiscalYear: 2026, KodeRUP: "27712345",
		AccountCode: "5.1.02.01.01.0024", Name: "Belanja ATK", FundingSource: "PAD", Ceiling: 500_000_000})
	must(err)
	f.blobDir = t.TempDir()
	blobs, err := blob.Open(f.blobDir) // for the BAST photos
	must(err)
	f.srv, err = web.New(ctx, web.Config{Store: f.s, Clock: f.clock, PublicURL: "http://bela.test", Blobs: blobs})
	must(err)
	return f
}

// receiptForm is a multipart BAST form with the fields kv and one file per photo.
func receiptForm(t *testing.T, photos [][]byte, kv ...string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(kv); i += 2 {
		mw.WriteField(kv[i], kv[i+1])
	}
	for i, ph := range photos {
		fw, err := mw.CreateFormFile("photos", fmt.Sprintf("foto-%d.png", i+1))
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(ph)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func wantPage(t *testing.T, what string, res *http.Response, body string, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, body[:min(len(body), 3000)])
	}
}

func wantBody(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: page lacks %q", what, w)
		}
	}
}

var orderLocation = regexp.MustCompile(`^/pesanan/(\d+)`)

// TestOrderPagesFromCartToBAST walks the pages of one purchase: the product page's cart form,
// the cart, a checkout blocked by the cap (with the input kept), a valid checkout, the PPK's
// approval with the Surat Pesanan number, the seller's acceptance and shipment, and a partial
// then a full BAST; with the object-level checks on the way.
func TestOrderPagesFromCartToBAST(t *testing.T) {
	f := newOrderFixture(t)
	_, body := f.do(market.RoleBuyer, "GET", fmt.Sprintf("/katalog/produk/%d", f.paper), nil)
	wantBody(t, "product page", body, `data-testid="add-to-cart"`)
	if _, body := f.do(market.RoleApprover, "GET", fmt.Sprintf("/katalog/produk/%d", f.paper), nil); strings.Contains(body, `data-testid="add-to-cart"`) {
		t.Error("a PPK sees the add-to-cart form")
	}

	res, body := f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "banyak"))
	wantPage(t, "bad quantity", res, body, 422)
	wantBody(t, "bad quantity", body, "bilangan bulat")
	res, body = f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "600"))
	wantPage(t, "add to cart", res, body, http.StatusSeeOther)
	_, body = f.do(market.RoleBuyer, "GET", "/keranjang", nil)
	wantBody(t, "cart", body, "UD Satu", `value="600"`, "Rp60.000.000")

	checkout := func(extra ...string) (*http.Response, string) {
		kv := append([]string{"unit", fmt.Sprint(f.unit1.ID), "budget_line_id", fmt.Sprint(f.budget.ID), "ppk_id", fmt.Sprint(f.ids[market.RoleApprover]),
			"address", "Jl. Uji Coba No. 7, Medan", "needed_by", "2026-12-10", "notes", "Untuk ujian akhir semester"}, extra...)
		return f.do(market.RoleBuyer, "POST", "/keranjang/pesan", form(kv...))
	}
	res, body = checkout()
	wantPage(t, "checkout over the cap", res, body, 422)
	wantBody(t, "blocked checkout", body, `data-rule="cap"`, `data-severity="block"`, "melebihi batas Rp50.000.000", "Jl. Uji Coba No. 7, Medan",
		`value="2026-12-10"`, "Untuk ujian akhir semester", `data-testid="blocked"`)
	// In English the same finding reads in English.
	res, body = f.do(market.RoleBuyer, "POST", "/keranjang/pesan", form("unit", fmt.Sprint(f.unit1.ID), "budget_line_id", fmt.Sprint(f.budget.ID),
		"ppk_id", fmt.Sprint(f.ids[market.RoleApprover]), "address", "Jl. Uji Coba No. 7, Medan", "needed_by", "2026-12-10"), "Cookie", "bela_lang=en")
	wantPage(t, "checkout over the cap in English", res, body, 422)
	wantBody(t, "blocked checkout in English", body, `data-rule="cap"`, "The order total Rp60.000.000 is above the cap of Rp50.000.000 per order.")
	if strings.Contains(body, "melebihi batas") {
		t.Error("the English page explains the cap in Bahasa Indonesia")
	}
	if n := len(mustOrders(t, f)); n != 0 {
		t.Fatalf("a blocked checkout made %d orders", n)
	}

	res, body = f.do(market.RoleBuyer, "POST", "/keranjang/ubah", form(fmt.Sprintf("q_%d", f.paper), "10"))
	wantPage(t, "change quantity", res, body, http.StatusSeeOther)
	res, body = checkout("shipping_"+fmt.Sprint(f.seller1.ID), "25.000")
	wantPage(t, "checkout", res, body, http.StatusSeeOther)
	m := orderLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("checkout went to %q", res.Header.Get("Location"))
	}
	page := "/pesanan/" + m[1]

	// Object level: another unit's buyer gets 404; the auditor reads it; the buyer sees no approve button.
	other, err := f.s.CreateSession(ctx, f.other)
	if err != nil {
		t.Fatal(err)
	}
	f.sessions["other"] = other
	if res, _ := f.do("other", "GET", page, nil); res.StatusCode != 404 {
		t.Errorf("another unit's buyer: %d, want 404", res.StatusCode)
	}
	if res, _ := f.do("other", "POST", page+"/batalkan", form("reason", "bukan milik saya")); res.StatusCode != 404 {
		t.Errorf("another unit's buyer cancels: %d, want 404", res.StatusCode)
	}
	_, body = f.do(market.RoleAuditor, "GET", page, nil)
	wantBody(t, "auditor's view", body, "Rp1.025.000", "menunggu persetujuan PPK")
	_, body = f.do(market.RoleBuyer, "GET", page, nil)
	if strings.Contains(body, `data-testid="approve"`) {
		t.Error("the buyer sees the approve button")
	}
	wantBody(t, "buyer's view", body, `data-testid="cancel"`, `data-action="checkout"`)
	// The store's refusal, made of a format and the thing not found, reads in English in English.
	res, body = f.do("other", "POST", page+"/batalkan", form("reason", "bukan milik saya"), "Cookie", "bela_lang=en")
	wantPage(t, "another unit's buyer cancels, in English", res, body, 404)
	wantBody(t, "another unit's buyer cancels, in English", body, "Order not found.")
	if strings.Contains(body, "tidak ditemukan") {
		t.Error("the English refusal page is in Bahasa Indonesia")
	}

	_, body = f.do(market.RoleApprover, "GET", "/pesanan", nil)
	wantBody(t, "PPK's list", body, "Menunggu persetujuan Anda (1)", `id="orders.awaitingme"`)
	// The PPK's home page says what waits for them and links to it; the buyer's has nothing
	// waiting.
	_, body = f.do(market.RoleApprover, "GET", "/beranda", nil)
	wantBody(t, "PPK's home page", body, `href="/pesanan#orders.awaitingme" data-waiting="orders.awaitingme">Menunggu persetujuan Anda: 1</a>`)
	if _, body = f.do(market.RoleBuyer, "GET", "/beranda", nil); strings.Contains(body, `data-testid="waiting"`) {
		t.Error("the buyer's home page shows orders waiting for them")
	}
	// A reason is required to return; the form says so and the order stays.
	res, body = f.do(market.RoleApprover, "POST", page+"/kembalikan", form("reason", " "))
	wantPage(t, "return without reason", res, body, 422)
	wantBody(t, "return without reason", body, "Alasan wajib diisi")
	res, body = f.do(market.RoleApprover, "POST", page+"/kembalikan", form("reason", " "), "Cookie", "bela_lang=en")
	wantPage(t, "return without reason, in English", res, body, 422)
	wantBody(t, "return without reason, in English", body, "A reason is required (")
	res, body = f.do(market.RoleApprover, "POST", page+"/setujui", form())
	wantPage(t, "approve", res, body, http.StatusSeeOther)
	_, body = f.do(market.RoleApprover, "GET", page, nil)
	wantBody(t, "approved order", body, `data-testid="sp-number">SP/U1/2026/00001<`, "disetujui PPK")

	_, body = f.do(market.RoleSellerOwner, "GET", "/pesanan", nil)
	wantBody(t, "seller's list", body, "Pesanan baru untuk diterima (1)")
	_, body = f.do(market.RoleSellerOwner, "GET", "/beranda", nil, "Cookie", "bela_lang=en")
	wantBody(t, "seller's home page", body, `data-waiting="orders.new">New orders to accept: 1</a>`)
	_, body = f.do(market.RoleApprover, "GET", "/beranda", nil)
	if strings.Contains(body, `data-testid="waiting"`) {
		t.Error("the PPK's home page still shows the approved order as waiting for them")
	}
	res, body = f.do(market.RoleSellerOwner, "POST", page+"/terima-pesanan", form())
	wantPage(t, "accept", res, body, http.StatusSeeOther)
	if _, body = f.do(market.RoleSellerOwner, "GET", "/beranda", nil); strings.Contains(body, `data-testid="waiting"`) {
		t.Error("the seller's home page still shows the accepted order as new")
	}
	res, body = f.do(market.RoleSellerStaff, "POST", page+"/kirim", form("courier", "JNE Uji"))
	wantPage(t, "ship without a delivery note", res, body, 422)
	wantBody(t, "ship without a delivery note", body, `value="JNE Uji"`, "surat jalan wajib diisi")
	res, body = f.do(market.RoleSellerStaff, "POST", page+"/kirim", form("delivery_note", "SJ-001", "courier", "JNE"))
	wantPage(t, "ship", res, body, http.StatusSeeOther)

	aud, _ := f.s.Principal(ctx, f.ids[market.RoleAuditor])
	o, err := f.s.GetOrder(ctx, aud, mustOrders(t, f)[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	line := fmt.Sprintf("q_%d", o.Lines[0].ID)
	res, body = f.do(market.RoleReceiver, "POST", page+"/terima-barang", form(line, "11"))
	wantPage(t, "over-receive", res, body, 422)
	res, body = f.do(market.RoleReceiver, "POST", page+"/terima-barang", form(line, "4", "condition", "good"))
	wantPage(t, "partial receipt", res, body, http.StatusSeeOther)
	_, body = f.do(market.RoleReceiver, "GET", page, nil)
	wantBody(t, "partial receipt", body, "diterima sebagian", "sisa 6 rim", `data-testid="receipts"`)
	// A file that is no picture: refused by name, with what was typed kept.
	mp, ct := receiptForm(t, [][]byte{[]byte("bukan gambar")}, line, "6", "condition", "minor_damage", "note", "Satu rim sobek")
	res, body = f.do(market.RoleReceiver, "POST", page+"/terima-barang", mp, "Content-Type", ct)
	wantPage(t, "receipt with a bad photo", res, body, 422)
	wantBody(t, "receipt with a bad photo", body, "foto-1.png: ", `value="Satu rim sobek"`, `value="6"`)
	mp, ct = receiptForm(t, [][]byte{pngBytes(t), pngBytes(t)}, line, "6", "condition", "minor_damage", "note", "Satu rim sobek")
	res, body = f.do(market.RoleReceiver, "POST", page+"/terima-barang", mp, "Content-Type", ct)
	wantPage(t, "full receipt", res, body, http.StatusSeeOther)
	_, body = f.do(market.RoleBuyer, "GET", page, nil)
	wantBody(t, "received order", body, `data-state="received"`, "Satu rim sobek", `data-testid="receipt-photo"`)
	photoURL := regexp.MustCompile(`href="(/pesanan/\d+/foto/[0-9a-f]{64})" data-testid="receipt-photo"`).FindStringSubmatch(body)
	if photoURL == nil {
		t.Fatal("no link to the BAST photo")
	}
	res, img := f.do(market.RoleAuditor, "GET", photoURL[1], nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("BAST photo: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if cfg, err := jpeg.DecodeConfig(strings.NewReader(img)); err != nil || cfg.Width != 40 {
		t.Errorf("BAST photo is not the uploaded picture re-encoded: %+v %v", cfg, err)
	}
	if res, _ = f.do(market.RoleSellerOwner, "GET", photoURL[1], nil); res.StatusCode != http.StatusOK {
		t.Errorf("the seller cannot see the BAST photo: %d", res.StatusCode)
	}
	if res, _ = f.do("other", "GET", photoURL[1], nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("another unit's buyer sees the BAST photo: %d", res.StatusCode)
	}
	for _, ev := range []string{"checkout", "approve", "accept", "ship", "receive"} {
		wantBody(t, "timeline", body, `<li data-action="`+ev+`">`)
	}
	// A received order can still be disputed by its buyer, and nothing else.
	if strings.Contains(body, `data-testid="cancel"`) || !strings.Contains(body, `data-testid="dispute"`) {
		t.Error("the buyer's actions on a received order are not just the dispute")
	}
	// Before sequencing no event has a leaf; after sequencing and signing each event links to
	// its log entry and inclusion proof.
	if strings.Contains(body, `data-testid="leaf"`) {
		t.Error("leaf indexes shown before the log was sequenced")
	}
	if _, err := f.s.SequenceLog(ctx, 100000); err != nil {
		t.Fatal(err)
	}
	skey, _, err := note.GenerateKey(rand.Reader, "bela.test/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.SignCheckpoint(ctx, signer); err != nil {
		t.Fatal(err)
	}
	_, body = f.do(market.RoleBuyer, "GET", page, nil)
	proofs := regexp.MustCompile(`href="/log/proof/inclusion\?index=(\d+)&amp;size=(\d+)"`).FindAllStringSubmatch(body, -1)
	if n := strings.Count(body, `data-testid="leaf"`); n < 5 || len(proofs) != n {
		t.Fatalf("timeline shows %d leaves and %d proof links, want one each per event (≥ 5)", n, len(proofs))
	}
}

func mustOrders(t *testing.T, f *orderFixture) []store.Order {
	t.Helper()
	aud, err := f.s.Principal(ctx, f.ids[market.RoleAuditor])
	if err != nil {
		t.Fatal(err)
	}
	os, err := f.s.ListOrders(ctx, aud, store.OrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return os
}

// TestCheckoutWarningNeedsJustification makes a split purchase (policy window, same seller) and
// checks that the checkout asks for a written justification, keeps it, and then places the order.
func TestCheckoutWarningNeedsJustification(t *testing.T) {
	f := newOrderFixture(t)
	buy := func(qty string, extra ...string) (*http.Response, string) {
		f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", qty))
		kv := append([]string{"budget_line_id", fmt.Sprint(f.budget.ID), "ppk_id", fmt.Sprint(f.ids[market.RoleApprover]),
			"address", "Jl. Uji 1", "needed_by", "2026-12-10"}, extra...)
		return f.do(market.RoleBuyer, "POST", "/keranjang/pesan", form(kv...))
	}
	res, body := buy("300")
	wantPage(t, "first order", res, body, http.StatusSeeOther)
	// Rp30 juta more within the window from the same seller passes the cap: a split warning.
	f.do(market.RoleBuyer, "POST", "/keranjang/ubah", form(fmt.Sprintf("q_%d", f.paper), "0"))
	res, body = buy("300")
	wantPage(t, "split without justification", res, body, 422)
	field := fmt.Sprintf("just_%d_split_purchase", f.seller1.ID)
	wantBody(t, "split warning", body, `data-rule="split_purchase"`, `data-severity="warning"`, `name="`+field+`"`, "paling sedikit 20 karakter")
	f.do(market.RoleBuyer, "POST", "/keranjang/ubah", form(fmt.Sprintf("q_%d", f.paper), "300"))
	res, body = f.do(market.RoleBuyer, "POST", "/keranjang/pesan", form("budget_line_id", fmt.Sprint(f.budget.ID), "ppk_id", fmt.Sprint(f.ids[market.RoleApprover]),
		"address", "Jl. Uji 1", "needed_by", "2026-12-10", field, "terlalu pendek"))
	wantPage(t, "short justification", res, body, 422)
	wantBody(t, "short justification", body, ">terlalu pendek</textarea>")
	// One over the longest accepted is refused next to its box, and kept.
	long := strings.Repeat("a", store.MaxJustificationLength+1)
	res, body = f.do(market.RoleBuyer, "POST", "/keranjang/pesan", form("budget_line_id", fmt.Sprint(f.budget.ID), "ppk_id", fmt.Sprint(f.ids[market.RoleApprover]),
		"address", "Jl. Uji 1", "needed_by", "2026-12-10", field, long))
	wantPage(t, "long justification", res, body, 422)
	wantBody(t, "long justification", body, `name="`+field+`"`, ">"+long+"</textarea>", fmt.Sprintf("Alasan paling banyak %d karakter.", store.MaxJustificationLength))
	why := "Kebutuhan ujian semester genap, terpisah dari pengadaan bulan lalu."
	res, body = f.do(market.RoleBuyer, "POST", "/keranjang/pesan", form("budget_line_id", fmt.Sprint(f.budget.ID), "ppk_id", fmt.Sprint(f.ids[market.RoleApprover]),
		"address", "Jl. Uji 1", "needed_by", "2026-12-10", field, why))
	// With every warning justified the results are shown once more, to be confirmed.
	wantPage(t, "justified split", res, body, http.StatusOK)
	wantBody(t, "confirmation", body, `data-rule="split_purchase"`, `name="confirmed" value="1"`, why)
	if strings.Contains(body, "paling sedikit 20 karakter") {
		t.Error("a justified warning still asks for a justification")
	}
	res, body = f.do(market.RoleBuyer, "POST", "/keranjang/pesan", form("budget_line_id", fmt.Sprint(f.budget.ID), "ppk_id", fmt.Sprint(f.ids[market.RoleApprover]),
		"address", "Jl. Uji 1", "needed_by", "2026-12-10", field, why, "confirmed", "1"))
	wantPage(t, "confirmed order", res, body, http.StatusSeeOther)
	_, body = f.do(market.RoleApprover, "GET", res.Header.Get("Location"), nil)
	wantBody(t, "justification shown to the PPK", body, why, `data-rule="split_purchase"`)
}

// TestBudgetPages creates a line with the form (errors keep the input), imports a CSV sheet
// (preview with line numbers and reasons, then confirm), and refuses another unit.
func TestBudgetPages(t *testing.T) {
	f := newOrderFixture(t)
	res, body := f.do(market.RoleUnitAdmin, "POST", "/anggaran", form("fiscal_year", "2026", "kode_rup", "12A", "account_code", "5.1.02",
		"name", "Belanja Cetak", "funding_source", "PAD", "ceiling", "sepuluh juta"))
	wantPage(t, "bad line", res, body, 422)
	wantBody(t, "bad line", body, `value="Belanja Cetak"`, `value="sepuluh juta"`, "Kode RUP hanya berisi angka", "Kode rekening harus lengkap", "Pagu harus angka rupiah")
	res, body = f.do(market.RoleUnitAdmin, "POST", "/anggaran", form("fiscal_year", "2026", "kode_rup", "27700001", "account_code", "5.1.02.01.01.0026",
		"name", "Belanja Cetak", "funding_source", "PAD", "ceiling", "Rp10.000.000"))
	wantPage(t, "new line", res, body, http.StatusSeeOther)
	_, body = f.do(market.RoleBuyer, "GET", "/anggaran", nil)
	wantBody(t, "budget page", body, "27700001", "Rp10.000.000", "Rp500.000.000", `data-testid="dashboard"`)
	if strings.Contains(body, `action="/anggaran"`) {
		t.Error("a buyer sees the new-line form")
	}
	if res, _ := f.do(market.RoleUnitAdmin, "GET", fmt.Sprintf("/anggaran?unit=%d", f.unit2.ID), nil); res.StatusCode != 404 {
		t.Errorf("another unit's budget: %d, want 404", res.StatusCode)
	}
	if res, _ := f.do(market.RoleUnitAdmin, "POST", "/anggaran", form("unit", fmt.Sprint(f.unit2.ID), "fiscal_year", "2026")); res.StatusCode != 404 {
		t.Errorf("a line in another unit: %d, want 404", res.StatusCode)
	}

	upload := func(csv string) (*http.Response, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("unit", fmt.Sprint(f.unit1.ID))
		fw, _ := mw.CreateFormFile("file", "anggaran.csv")
		io.WriteString(fw, csv)
		mw.Close()
		req := httptest.NewRequest("POST", "/anggaran/impor", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.AddCookie(&http.Cookie{Name: "bela_session", Value: f.sessions[market.RoleUnitAdmin]})
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		return rec.Result(), rec.Body.String()
	}
	head := "Tahun;Kode RUP;Kode rekening;Nama;Sumber dana;Pagu\n"
	res, body = upload(head + "2026;27700002;5.1.02.01.01.0052;Belanja Makan Minum;DAU;25.000.000\n2026;ABC;5.1.02.01.01.0052;Belanja Lain;DAU;lima\n")
	wantPage(t, "invalid import", res, body, 422)
	wantBody(t, "invalid import", body, `data-line="3" data-action="invalid"`, "Pagu harus angka rupiah", `data-line="2" data-action="create"`)
	if strings.Contains(body, `name="sheet"`) {
		t.Error("an invalid sheet can be confirmed")
	}
	res, body = upload(head + "2026;27700002;5.1.02.01.01.0052;Belanja Makan Minum;DAU;25.000.000\n2026;27712345;5.1.02.01.01.0024;Belanja ATK;PAD;600.000.000\n")
	wantPage(t, "valid import preview", res, body, 200)
	wantBody(t, "preview", body, `data-line="2" data-action="create"`, `data-line="3" data-action="update"`)
	sheet := regexp.MustCompile(`name="sheet" value="([^"]+)"`).FindStringSubmatch(body)
	if sheet == nil {
		t.Fatal("no confirm form")
	}
	adm, _ := f.s.Principal(ctx, f.ids[market.RoleUnitAdmin])
	if lines, _ := f.s.ListBudgetLines(ctx, adm, f.unit1.ID, 0); len(lines) != 2 {
		t.Fatalf("the preview stored lines: %d", len(lines))
	}
	res, body = f.do(market.RoleUnitAdmin, "POST", "/anggaran/impor/konfirmasi", form("unit", fmt.Sprint(f.unit1.ID), "sheet", strings.ReplaceAll(sheet[1], "&#43;", "+")))
	wantPage(t, "confirm import", res, body, 200)
	lines, _ := f.s.ListBudgetLines(ctx, adm, f.unit1.ID, 0)
	if len(lines) != 3 {
		t.Fatalf("after import: %d lines", len(lines))
	}
	for _, b := range lines {
		if b.KodeRUP == "27712345" && b.Ceiling != 600_000_000 {
			t.Errorf("updated ceiling = %s", b.Ceiling)
		}
	}
}

// TestPolicyPage changes the policy: invalid values show the form again as typed; a valid
// change is stored, audited and listed in the history with its reason.
func TestPolicyPage(t *testing.T) {
	f := newOrderFixture(t)
	vals := []string{"cap", "60.000.000", "split_window_days", "30", "split_severity", "block", "price_threshold_percent", "40",
		"price_min_orders", "5", "price_lookback_days", "180", "concentration_percent", "30", "concentration_suggestions", "3",
		"approval_timeout_days", "7", "acceptance_timeout_days", "3", "payment_deadline_days", "7"}
	bad := append(append([]string(nil), vals...), "reason", "Uji")
	bad[1], bad[3] = "300.000.000", "tiga puluh"
	res, body := f.do(market.RoleAdmin, "POST", "/kebijakan", form(bad...))
	wantPage(t, "invalid policy", res, body, 422)
	wantBody(t, "invalid policy", body, `value="tiga puluh"`, `value="300.000.000"`, "Isi dengan bilangan bulat")
	res, body = f.do(market.RoleAdmin, "POST", "/kebijakan", form(append(vals, "reason", "Penyesuaian Perwal 2026")...))
	wantPage(t, "policy", res, body, http.StatusSeeOther)
	p, _ := f.s.CurrentPolicy(ctx)
	if p.Cap != 60_000_000 || p.SplitSeverity != market.SeverityBlock || p.PriceThresholdPercent != 40 {
		t.Errorf("policy = %+v", p)
	}
	_, body = f.do(market.RoleAuditor, "GET", "/kebijakan", nil)
	wantBody(t, "policy history", body, "Penyesuaian Perwal 2026", "Rp60.000.000")
	if strings.Contains(body, `<form class="stack" method="post" action="/kebijakan">`) {
		t.Error("the auditor may change the policy")
	}
	rows, _ := f.s.ListAudit(ctx, store.AuditFilter{ObjectType: "policy"})
	if len(rows) != 1 {
		t.Errorf("%d policy audit events, want 1", len(rows))
	}
}

// TestOrderPagesRender opens the ordering pages in both languages.
func TestOrderPagesRender(t *testing.T) {
	f := newOrderFixture(t)
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "2"))
	pages := map[market.Role][]string{
		market.RoleBuyer:       {"/anggaran", "/keranjang", "/keranjang/pesan", "/pesanan", "/pesanan?status=received"},
		market.RoleUnitAdmin:   {"/anggaran", "/anggaran/impor"},
		market.RoleApprover:    {"/pesanan", "/anggaran"},
		market.RoleSellerOwner: {"/pesanan"},
		market.RoleAuditor:     {"/pesanan", "/kebijakan", fmt.Sprintf("/anggaran?unit=%d", f.unit2.ID)},
		market.RoleAdmin:       {"/kebijakan", "/anggaran"},
	}
	for _, lang := range []string{"id", "en"} {
		for role, paths := range pages {
			for _, p := range paths {
				req := httptest.NewRequest("GET", p, nil)
				req.AddCookie(&http.Cookie{Name: "bela_lang", Value: lang})
				req.AddCookie(&http.Cookie{Name: "bela_session", Value: f.sessions[role]})
				rec := httptest.NewRecorder()
				f.srv.ServeHTTP(rec, req)
				if rec.Code != 200 {
					t.Errorf("%s %s as %s: %d", lang, p, role, rec.Code)
				}
				if strings.Contains(rec.Body.String(), "state.") || strings.Contains(rec.Body.String(), "rule.") {
					t.Errorf("%s %s as %s shows a raw catalogue key", lang, p, role)
				}
			}
		}
	}
}

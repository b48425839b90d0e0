package web_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/web"
)

// addPens lists a second approved product of seller1 (pens, Rp5.000 per pcs) and returns its id.
func addPens(t *testing.T, f *orderFixture) int64 {
	t.Helper()
	owner := store.Actor{UserID: f.ids[market.RoleSellerOwner], Role: market.RoleSellerOwner}
	pr, err := f.s.CreateProduct(ctx, owner, f.seller1.ID, market.Product{SKU: "PLP-HTM", Name: "Pulpen hitam",
		Description: "Pulpen tinta hitam.", CategoryCode: "01.01.01", Unit: "pcs", Price: 5_000, MinOrder: 1, Stock: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.SubmitProduct(ctx, owner, f.seller1.ID, pr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.ReviewProduct(ctx, store.Actor{UserID: f.ids[market.RoleCurator], Role: market.RoleCurator}, pr.ID, market.ProductApprove, ""); err != nil {
		t.Fatal(err)
	}
	return pr.ID
}

// cartQuantities returns the buyer's cart in unit1, by product.
func cartQuantities(t *testing.T, f *orderFixture) map[int64]int64 {
	t.Helper()
	p, err := f.s.Principal(ctx, f.ids[market.RoleBuyer])
	if err != nil {
		t.Fatal(err)
	}
	cart, err := f.s.GetCart(ctx, p, f.unit1.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]int64{}
	for _, g := range cart.Groups {
		for _, l := range g.Lines {
			out[l.ProductID] = l.Quantity
		}
	}
	return out
}

// wantFieldError checks that the page shows msg right under the input whose tag matches input
// (a regular expression for the tag's attributes up to its closing '>').
func wantFieldError(t *testing.T, what, body, input, msg string) {
	t.Helper()
	re := regexp.MustCompile(input + `>\s*<p class="error">([^<]*)</p>`)
	m := re.FindStringSubmatch(body)
	switch {
	case m == nil:
		t.Errorf("%s: no message under the field %s", what, input)
	case !strings.Contains(m[1], msg):
		t.Errorf("%s: the field %s says %q, want %q", what, input, m[1], msg)
	}
}

// TestUpdateCartAllOrNothing sends the cart's "Perbarui" form with one good and one bad
// quantity: nothing is saved, and the form comes back as typed with the message next to the
// bad field. A valid form then saves every line.
func TestUpdateCartAllOrNothing(t *testing.T) {
	f := newOrderFixture(t)
	pens := addPens(t, f)
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "2"))
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(pens), "quantity", "3"))
	paperField, pensField := fmt.Sprintf("q_%d", f.paper), fmt.Sprintf("q_%d", pens)
	tests := []struct {
		name, pens, msg string
	}{
		{"not a number", "abc", "Jumlah harus bilangan bulat, 0 untuk menghapus."},
		{"negative", "-3", "Jumlah tidak boleh negatif; isi 0 untuk menghapus."},
		{"above the maximum", "2000000000", "Jumlah paling banyak 1.000.000.000."},
		{"beyond int64", "99999999999999999999", "Jumlah paling banyak 1.000.000.000."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := f.do(market.RoleBuyer, "POST", "/keranjang/ubah", form("unit", fmt.Sprint(f.unit1.ID), paperField, "10", pensField, tt.pens))
			wantPage(t, tt.name, res, body, http.StatusUnprocessableEntity)
			wantBody(t, tt.name, body, "Periksa kembali isian yang ditandai.", `name="`+paperField+`" inputmode="numeric" size="6" value="10"`)
			wantFieldError(t, tt.name, body, `name="`+pensField+`" inputmode="numeric" size="6" value="`+regexp.QuoteMeta(tt.pens)+`"`, tt.msg)
			if got := cartQuantities(t, f); got[f.paper] != 2 || got[pens] != 3 {
				t.Errorf("a refused form changed the cart: %v", got)
			}
		})
	}
	res, body := f.do(market.RoleBuyer, "POST", "/keranjang/ubah", form(paperField, "10", pensField, "abc"), "Cookie", "bela_lang=en")
	wantPage(t, "in English", res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, "in English", body, `name="`+pensField+`" inputmode="numeric" size="6" value="abc"`, "The quantity must be a whole number; enter 0 to remove.")

	// A line no longer in the cart (removed in another tab) has no field: its message joins the banner.
	res, body = f.do(market.RoleBuyer, "POST", "/keranjang/ubah", form(paperField, "10", "q_999999", "abc"))
	wantPage(t, "a line not in the cart", res, body, http.StatusUnprocessableEntity)
	wantBody(t, "a line not in the cart", body, `data-testid="form-error">Periksa kembali isian yang ditandai. Jumlah harus bilangan bulat, 0 untuk menghapus.</p>`)

	// A quantity the store refuses (the pens are no longer shown) also saves nothing.
	if _, err := f.s.DB().ExecContext(ctx, `UPDATE products SET status = 'draft' WHERE id = $1`, pens); err != nil {
		t.Fatal(err)
	}
	res, body = f.do(market.RoleBuyer, "POST", "/keranjang/ubah", form(paperField, "10", pensField, "5"))
	wantPage(t, "a product no longer shown", res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, "a product no longer shown", body, `name="`+pensField+`" inputmode="numeric" size="6" value="5"`, "tidak lagi ditampilkan di katalog")
	wantBody(t, "a product no longer shown", body, `name="`+paperField+`" inputmode="numeric" size="6" value="10"`)
	if got := cartQuantities(t, f); got[f.paper] != 2 || got[pens] != 3 {
		t.Errorf("a form the store refused changed the cart: %v", got)
	}

	res, body = f.do(market.RoleBuyer, "POST", "/keranjang/ubah", form(paperField, "10", pensField, "0"))
	wantPage(t, "valid form", res, body, http.StatusSeeOther)
	if got := cartQuantities(t, f); got[f.paper] != 10 || len(got) != 1 {
		t.Errorf("cart after a valid form = %v, want only the paper, 10", got)
	}
}

// TestAddToCartRefusalShowsTheProductPage adds refused quantities from the product page: the
// page comes back with the quantity as typed and the message under "Jumlah", saying the bound
// that was crossed; the cart stays empty.
func TestAddToCartRefusalShowsTheProductPage(t *testing.T) {
	f := newOrderFixture(t)
	tests := []struct {
		name, quantity, lang, msg string
	}{
		{"not a number", "abc", "id", "Jumlah harus bilangan bulat, paling sedikit 1."},
		{"zero", "0", "id", "Jumlah harus paling sedikit 1."},
		{"negative", "-3", "id", "Jumlah harus paling sedikit 1."},
		{"above the maximum", "9223372036854775000", "id", "Jumlah paling banyak 1.000.000.000."},
		{"beyond int64", "99999999999999999999", "id", "Jumlah paling banyak 1.000.000.000."},
		{"zero, in English", "0", "en", "The quantity must be at least 1."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", tt.quantity), "Cookie", "bela_lang="+tt.lang)
			wantPage(t, tt.name, res, body, http.StatusUnprocessableEntity)
			wantBody(t, tt.name, body, "<h1>Kertas HVS A4 70 gsm</h1>", `data-testid="add-to-cart"`, `data-testid="form-error"`)
			wantFieldError(t, tt.name, body, `<input id="quantity" name="quantity" inputmode="numeric" value="`+regexp.QuoteMeta(tt.quantity)+`" required`, tt.msg)
		})
	}
	if got := cartQuantities(t, f); len(got) != 0 {
		t.Errorf("refused quantities reached the cart: %v", got)
	}
	// The product page itself still offers the minimum order.
	_, body := f.do(market.RoleBuyer, "GET", fmt.Sprintf("/katalog/produk/%d", f.paper), nil)
	wantBody(t, "product page", body, `<input id="quantity" name="quantity" inputmode="numeric" value="1" required>`)
	if strings.Contains(body, `data-testid="form-error"`) {
		t.Error("the product page shows a form error before any")
	}
}

// TestMalformedFormIsBadRequest sends bodies that are no form: a 400 page with a plain
// message, nothing logged as a server error.
func TestMalformedFormIsBadRequest(t *testing.T) {
	f := newOrderFixture(t)
	var logs bytes.Buffer
	var err error
	f.srv, err = web.New(ctx, web.Config{Store: f.s, Clock: f.clock, PublicURL: "http://bela.test", Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		role     market.Role
		path     string
		body     string
		lang, ok string
	}{
		{"cancel", market.RoleBuyer, "/pesanan/1/batalkan", "reason=%ZZ", "id", "Formulir tidak terbaca"},
		{"approve", market.RoleApprover, "/pesanan/1/setujui", "x=%", "id", "Formulir tidak terbaca"},
		{"add to cart", market.RoleBuyer, "/keranjang", "product_id=%ZZ&quantity=1", "id", "Formulir tidak terbaca"},
		{"update cart", market.RoleBuyer, "/keranjang/ubah", "q_1=%G1", "id", "Formulir tidak terbaca"},
		{"checkout", market.RoleBuyer, "/keranjang/pesan", "address=%ZZ", "id", "Formulir tidak terbaca"},
		{"checkout, in English", market.RoleBuyer, "/keranjang/pesan", "address=%ZZ", "en", "The form could not be read"},
		// Every page form is read before its handler: these handlers parse their own.
		{"change password", market.RoleBuyer, "/akun/kata-sandi", "current=%ZZ", "id", "Formulir tidak terbaca"},
		{"sign in", market.RoleBuyer, "/masuk", "email=%ZZ", "id", "Formulir tidak terbaca"},
		{"policy", market.RoleAdmin, "/kebijakan", "cap=%ZZ", "id", "Formulir tidak terbaca"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := f.do(tt.role, "POST", tt.path, strings.NewReader(tt.body), "Cookie", "bela_lang="+tt.lang)
			wantPage(t, tt.name, res, body, http.StatusBadRequest)
			wantBody(t, tt.name, body, tt.ok)
		})
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("malformed forms were logged as server errors:\n%s", logs.String())
	}
}

// placeOrder checks out the buyer's cart (with extra form fields) and returns the order's page.
func placeOrder(t *testing.T, f *orderFixture, extra ...string) string {
	t.Helper()
	kv := append([]string{"unit", fmt.Sprint(f.unit1.ID), "budget_line_id", fmt.Sprint(f.budget.ID), "ppk_id", fmt.Sprint(f.ids[market.RoleApprover]),
		"address", "Jl. Uji Coba No. 7, Medan", "needed_by", "2026-12-10"}, extra...)
	res, body := f.do(market.RoleBuyer, "POST", "/keranjang/pesan", form(kv...))
	if res.StatusCode == http.StatusOK && strings.Contains(body, `name="confirmed" value="1"`) {
		res, body = f.do(market.RoleBuyer, "POST", "/keranjang/pesan", form(append(kv, "confirmed", "1")...))
	}
	wantPage(t, "checkout", res, body, http.StatusSeeOther)
	m := orderLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("checkout went to %q", res.Header.Get("Location"))
	}
	return "/pesanan/" + m[1]
}

// orderLines returns the lines of the order at page, as the auditor reads them.
func orderLines(t *testing.T, f *orderFixture, page string) []store.OrderLine {
	t.Helper()
	var id int64
	fmt.Sscanf(page, "/pesanan/%d", &id)
	aud, err := f.s.Principal(ctx, f.ids[market.RoleAuditor])
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.s.GetOrder(ctx, aud, id)
	if err != nil {
		t.Fatal(err)
	}
	return o.Lines
}

// newSession adds a user with one grant and returns the session's key for f.do.
func newSession(t *testing.T, f *orderFixture, key, name string, g store.Grant) market.Role {
	t.Helper()
	id, err := f.s.CreateUserWithHash(ctx, store.System, store.NewUser{Name: name, Email: key + "@bela.test"}, store.HashPassword(password), g)
	if err != nil {
		t.Fatal(err)
	}
	if f.sessions[market.Role(key)], err = f.s.CreateSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	return market.Role(key)
}

// TestReceivingPages follows a shipped two-line order naming its receiver: only that receiver
// and the order's PPK find it waiting for them (not another receiver or PPK of the unit); a
// negative quantity received is refused as such; the BAST list numbers lines as the lines table
// does.
func TestReceivingPages(t *testing.T) {
	f := newOrderFixture(t)
	pens := addPens(t, f)
	receiver2 := newSession(t, f, "receiver2", "Penerima Dua", store.Grant{Role: market.RoleReceiver, ScopeID: f.unit1.ID})
	ppk2 := newSession(t, f, "ppk2", "PPK Dua", store.Grant{Role: market.RoleApprover, ScopeID: f.unit1.ID})
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "10"))
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(pens), "quantity", "5"))
	page := placeOrder(t, f, "receiver_id", fmt.Sprint(f.ids[market.RoleReceiver]))
	for _, step := range []struct {
		role market.Role
		path string
		kv   []string
	}{
		{market.RoleApprover, "/setujui", nil},
		{market.RoleSellerOwner, "/terima-pesanan", nil},
		{market.RoleSellerOwner, "/kirim", []string{"delivery_note", "SJ-001"}},
	} {
		res, body := f.do(step.role, "POST", page+step.path, form(step.kv...))
		wantPage(t, step.path, res, body, http.StatusSeeOther)
	}
	orderRow := fmt.Sprintf(`<tr data-order="%s"`, strings.TrimPrefix(page, "/pesanan/"))
	waiting := func(role market.Role, path string) bool {
		t.Helper()
		_, body := f.do(role, "GET", path, nil)
		sec := regexp.MustCompile(`(?s)data-testid="section-orders.toreceive">.*?</div>\s*</div>`).FindString(body)
		return strings.Contains(sec, orderRow) || strings.Contains(body, `data-waiting="orders.toreceive"`)
	}
	for _, tt := range []struct {
		who  market.Role
		want bool
	}{{market.RoleReceiver, true}, {market.RoleApprover, true}, {receiver2, false}, {ppk2, false}} {
		if got := waiting(tt.who, "/pesanan"); got != tt.want {
			t.Errorf("orders page of %s lists the order to receive: %v, want %v", tt.who, got, tt.want)
		}
		if got := waiting(tt.who, "/beranda"); got != tt.want {
			t.Errorf("home page of %s shows the order to receive: %v, want %v", tt.who, got, tt.want)
		}
	}

	lines := orderLines(t, f, page)
	pensLine := fmt.Sprintf("q_%d", lines[1].ID)
	res, body := f.do(market.RoleReceiver, "POST", page+"/terima-barang", form(pensLine, "-1"))
	wantPage(t, "negative receipt", res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, "negative receipt", body, `name="`+pensLine+`" inputmode="numeric" value="-1"`, "Jumlah diterima harus 0 atau lebih.")
	res, body = f.do(market.RoleReceiver, "POST", page+"/terima-barang", form(pensLine, "4"))
	wantPage(t, "partial receipt", res, body, http.StatusSeeOther)
	_, body = f.do(market.RoleReceiver, "GET", page, nil)
	wantBody(t, "receipts", body, "Baris 2 (Pulpen hitam): 4")
	if strings.Contains(body, fmt.Sprintf("#%d:", lines[1].ID)) {
		t.Error("the receipts list shows the line's database id")
	}
}

// TestResubmitMarksFields sends a returned order back with a bad quantity and a short
// justification: each message stands under its own field, with what was typed kept.
func TestResubmitMarksFields(t *testing.T) {
	f := newOrderFixture(t)
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "300"))
	placeOrder(t, f)
	// Rp30 juta more from the same seller within the window: a split warning, justified.
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "300"))
	why := "Kebutuhan ujian semester genap, terpisah dari pengadaan bulan lalu."
	page := placeOrder(t, f, fmt.Sprintf("just_%d_split_purchase", f.seller1.ID), why)
	res, body := f.do(market.RoleApprover, "POST", page+"/kembalikan", form("reason", "Mohon kurangi jumlahnya."))
	wantPage(t, "return", res, body, http.StatusSeeOther)
	q := fmt.Sprintf("q_%d", orderLines(t, f, page)[0].ID)
	input := func(v string) string {
		return `name="` + q + `" inputmode="numeric" value="` + regexp.QuoteMeta(v) + `"`
	}
	for _, tt := range []struct{ name, q, msg string }{
		{"not a number", "abc", "Jumlah harus bilangan bulat, paling sedikit 1."},
		{"zero", "0", "Jumlah harus paling sedikit 1."},
		{"above the maximum", "1000000001", "Jumlah paling banyak 1.000.000.000."},
	} {
		res, body = f.do(market.RoleBuyer, "POST", page+"/ajukan-ulang", form(q, tt.q, "just_split_purchase", why))
		wantPage(t, tt.name, res, body, http.StatusUnprocessableEntity)
		wantFieldError(t, tt.name, body, input(tt.q), tt.msg)
	}
	res, body = f.do(market.RoleBuyer, "POST", page+"/ajukan-ulang", form(q, "250", "just_split_purchase", "terlalu pendek"))
	wantPage(t, "short justification", res, body, http.StatusUnprocessableEntity)
	wantBody(t, "short justification", body, `value="250"`)
	wantFieldError(t, "short justification", body, `name="just_split_purchase" rows="2">terlalu pendek</textarea`, "Tulis alasan paling sedikit 20 karakter.")
	res, body = f.do(market.RoleBuyer, "POST", page+"/ajukan-ulang", form(q, "250", "just_split_purchase", why))
	wantPage(t, "resubmit", res, body, http.StatusSeeOther)
}

// TestTimelineSaysMovesAndSystem reads the timeline of a negotiated, then expired order: moves
// by their names in the page's language, and the expiry by "Sistem" alone.
func TestTimelineSaysMovesAndSystem(t *testing.T) {
	f := newOrderFixture(t)
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "2"))
	page := placeOrder(t, f)
	for _, mv := range []struct {
		role        market.Role
		kind, price string
	}{{market.RoleBuyer, "request", "75000"}, {market.RoleSellerOwner, "counter", "78000"}, {market.RoleBuyer, "accept", ""}} {
		res, body := f.do(mv.role, "POST", page+"/negosiasi", form("line", "1", "kind", mv.kind, "price", mv.price))
		wantPage(t, mv.kind, res, body, http.StatusSeeOther)
	}
	f.clock.Advance(8 * 24 * time.Hour)
	if n, err := f.s.ExpireOrders(ctx, 10); err != nil || n != 1 {
		t.Fatalf("expired %d orders (%v), want 1", n, err)
	}
	f.renew(market.RoleBuyer) // the session ended meanwhile
	timeline := regexp.MustCompile(`(?s)<ol class="timeline".*?</ol>`)
	expiry := regexp.MustCompile(`(?s)<li data-action="expire">.*?</li>`)
	for _, tt := range []struct {
		lang, system string
		wants, not   []string
	}{
		{"id", "Sistem", []string{"minta harga Rp75.000", "tawaran balik Rp78.000", "setujui harga terakhir"}, []string{"· request", "· counter", "· accept"}},
		{"en", "System", []string{"request a price Rp75.000", "counter-offer Rp78.000", "accept the last price"}, []string{"· request Rp", "· counter Rp", "· accept\n"}},
	} {
		_, body := f.do(market.RoleBuyer, "GET", page, nil, "Cookie", "bela_lang="+tt.lang)
		tl := timeline.FindString(body)
		wantBody(t, tt.lang+" timeline", tl, tt.wants...)
		for _, raw := range tt.not {
			if strings.Contains(tl, raw) {
				t.Errorf("%s timeline shows the raw code %q", tt.lang, raw)
			}
		}
		ex := expiry.FindString(tl)
		if !strings.Contains(ex, "· "+tt.system+"\n") || strings.Contains(ex, "(") {
			t.Errorf("%s expiry entry = %q, want the actor %q alone", tt.lang, ex, tt.system)
		}
	}
}

// TestResubmitAsksForANewJustification raises a returned order's quantity until the split rule
// warns: the form comes back with a justification field for that warning, and its message.
func TestResubmitAsksForANewJustification(t *testing.T) {
	f := newOrderFixture(t)
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "300"))
	placeOrder(t, f)
	// Rp10 juta more: Rp40 juta together, under the cap, so no warning yet.
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "100"))
	page := placeOrder(t, f)
	res, body := f.do(market.RoleApprover, "POST", page+"/kembalikan", form("reason", "Jumlahnya kurang."))
	wantPage(t, "return", res, body, http.StatusSeeOther)
	if _, body = f.do(market.RoleBuyer, "GET", page, nil); strings.Contains(body, `name="just_split_purchase"`) {
		t.Fatal("the order asks for a justification before any warning")
	}
	q := fmt.Sprintf("q_%d", orderLines(t, f, page)[0].ID)
	res, body = f.do(market.RoleBuyer, "POST", page+"/ajukan-ulang", form(q, "300"))
	wantPage(t, "resubmit over the cap", res, body, http.StatusUnprocessableEntity)
	wantFieldError(t, "resubmit over the cap", body, `name="just_split_purchase" rows="2"></textarea`, "Tulis alasan paling sedikit 20 karakter.")
	res, body = f.do(market.RoleBuyer, "POST", page+"/ajukan-ulang", form(q, "300", "just_split_purchase", "Kebutuhan ujian semester genap, terpisah dari pengadaan bulan lalu."))
	wantPage(t, "justified resubmit", res, body, http.StatusSeeOther)
}

// A page stores a BAST photo only for someone who may record the receipt now: neither before
// the goods are shipped nor for an official of another unit.
func TestReceiptPhotosStoredOnlyWhenAllowed(t *testing.T) {
	f := newOrderFixture(t)
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "2"))
	page := placeOrder(t, f)
	files := func() int {
		t.Helper()
		n := 0
		err := filepath.WalkDir(f.blobDir, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				n++
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := files()
	var lineID int64
	if err := f.s.DB().QueryRowContext(ctx, `SELECT MAX(id) FROM order_lines`).Scan(&lineID); err != nil {
		t.Fatal(err)
	}
	mp, ct := receiptForm(t, [][]byte{pngBytes(t)}, fmt.Sprintf("q_%d", lineID), "2", "condition", "good")
	res, body := f.do(market.RoleReceiver, "POST", page+"/terima-barang", mp, "Content-Type", ct)
	wantPage(t, "receipt before shipment", res, body, http.StatusConflict)
	if n := files(); n != before {
		t.Errorf("a refused receipt stored %d files", n-before)
	}
}

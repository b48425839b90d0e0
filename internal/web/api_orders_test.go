package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"bela/internal/blob"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
	"bela/internal/web"
)

// orderAPI is a real server over SQLite with a unit's officials, a seller with a product and a
// budget line, each official with an API token.
type orderAPI struct {
	*apiFixture
	unit, budget, seller, paper int64
	buyer, ppk, receiver, owner string // tokens
	outsider, admin             string
	ppkID                       int64
	buyerP                      *market.Principal
	blobDir                     string // where the blob store keeps its files
}

func newOrderAPI(t *testing.T) *orderAPI {
	t.Helper()
	clock := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, clock)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetInstance(ctx, store.System, store.Instance{Name: "Pemerintah Kota Medan", RegionCode: "12.71", TimeZone: "Asia/Jakarta"}))
	unit, err := s.CreateUnit(ctx, store.System, "DISDIK", "Dinas Pendidikan")
	must(err)
	unit2, err := s.CreateUnit(ctx, store.System, "DINKES", "Dinas Kesehatan")
	must(err)
	f := &orderAPI{apiFixture: &apiFixture{s: s}, unit: unit.ID}
	must(s.DB().QueryRowContext(ctx, `INSERT INTO sellers (name, kecamatan, status, class, pkp, created_at, updated_at)
		VALUES ('UD Sumber Kertas', 'Medan Baru', 'verified', 'micro', TRUE, 0, 0) RETURNING id`).Scan(&f.seller))
	must(s.DB().QueryRowContext(ctx, `INSERT INTO products (seller_id, sku, name, category_code, unit, price, min_order, stock, status, created_at, updated_at)
		VALUES ($1, 'HVS-A4', 'Kertas HVS A4', '01.01.01', 'rim', 50000, 1, 100, 'approved', 0, 0) RETURNING id`, f.seller).Scan(&f.paper))
	n := 0
	user := func(g ...store.Grant) (int64, string) {
		t.Helper()
		n++
		u, err := s.CreateUser(ctx, store.System, store.NewUser{Name: fmt.Sprintf("Pengguna %d", n), Email: fmt.Sprintf("p%d@bela.test", n)}, g...)
		must(err)
		_, tok, err := s.CreateAPIToken(ctx, u.ID, "uji", store.DefaultAPITokenDays)
		must(err)
		return u.ID, tok
	}
	var buyerID int64
	buyerID, f.buyer = user(store.Grant{Role: market.RoleBuyer, ScopeID: unit.ID})
	f.ppkID, f.ppk = user(store.Grant{Role: market.RoleApprover, ScopeID: unit.ID})
	_, f.receiver = user(store.Grant{Role: market.RoleReceiver, ScopeID: unit.ID})
	_, f.owner = user(store.Grant{Role: market.RoleSellerOwner, ScopeID: f.seller})
	_, f.outsider = user(store.Grant{Role: market.RoleBuyer, ScopeID: unit2.ID})
	_, f.admin = user(store.Grant{Role: market.RoleAdmin}, store.Grant{Role: market.RoleUnitAdmin, ScopeID: unit.ID})
	f.buyerP, err = s.Principal(ctx, buyerID)
	must(err)
	dataDir := t.TempDir()
	blobs, err := blob.Open(dataDir)
	must(err)
	f.blobDir = filepath.Join(dataDir, "blobs")
	f.h, err = web.New(ctx, web.Config{Store: s, Clock: clock, PublicURL: "http://bela.test", Blobs: blobs})
	must(err)
	return f
}

func TestOrderAPIMatchesOpenAPI(t *testing.T) {
	v := openAPIValidator(t)
	f := newOrderAPI(t)
	decode := func(t *testing.T, x *exchange, v any) {
		t.Helper()
		if err := json.Unmarshal(x.body, v); err != nil {
			t.Fatalf("%s %s: %v: %s", x.method, x.path, err, x.body)
		}
	}
	units := fmt.Sprintf("/api/v1/units/%d", f.unit)

	// Budget lines: create, import, list, dashboard.
	x := f.do(t, "POST", units+"/budget-lines", f.admin, `{"fiscal_year":2026,"kode_rup":"27712345","account_code":"5.1.02.01.01.0024","name":"Belanja ATK","funding_source":"PAD","ceiling":100000000}`)
	wantStatus(t, x, http.StatusCreated)
	validExchange(t, v, x)
	var line struct{ ID int64 }
	decode(t, x, &line)
	f.budget = line.ID
	x = f.do(t, "POST", units+"/budget-lines", f.buyer, `{"fiscal_year":2026,"kode_rup":"1","account_code":"5.1.02.01.01.0024","name":"x","funding_source":"PAD","ceiling":1}`)
	wantStatus(t, x, http.StatusForbidden)
	validExchange(t, v, x)
	x = f.do(t, "POST", units+"/budget-lines/import", f.admin, `{"dry_run":true,"rows":[{"line":2,"fiscal_year":2026,"kode_rup":"27712346","account_code":"5.1.02.01.01.0026","name":"Belanja Makan Minum","funding_source":"DAU","ceiling":50000000}]}`)
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)
	x = f.do(t, "POST", units+"/budget-lines/import", f.admin, `{"rows":[{"line":2,"fiscal_year":2026,"kode_rup":"ABC","account_code":"5.1","name":"x","funding_source":"DAU","ceiling":5}]}`)
	wantStatus(t, x, http.StatusUnprocessableEntity)
	if e := wantErrorCode(t, x, "invalid"); e["fields"].(map[string]any)["rows.2.kode_rup"] == nil {
		t.Errorf("import error does not name the row: %s", x.body)
	}
	validExchange(t, v, x)
	x = f.do(t, "GET", units+"/budget-lines?fiscal_year=2026", f.buyer, "")
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)
	x = f.do(t, "GET", units+"/budget-lines", f.outsider, "")
	wantStatus(t, x, http.StatusNotFound)
	validExchange(t, v, x)

	checkout := func(qty int, extra string) string {
		return fmt.Sprintf(`{"unit_id":%d,"budget_line_id":%d,"ppk_id":%d,"address":"Jl. Pendidikan No. 1, Medan","needed_by":"2026-12-10","items":[{"product_id":%d,"quantity":%d}],"shipping":[{"seller_id":%d,"amount":20000}]%s}`,
			f.unit, f.budget, f.ppkID, f.paper, qty, f.seller, extra)
	}
	// A blocked checkout: over the cap and over the stock; every rule in error.rules.
	x = f.do(t, "POST", "/api/v1/orders", f.buyer, checkout(1000, ""))
	wantStatus(t, x, http.StatusUnprocessableEntity)
	e := wantErrorCode(t, x, "rule_blocked")
	validExchange(t, v, x)
	var codes []string
	for _, r := range e["rules"].([]any) {
		codes = append(codes, r.(map[string]any)["code"].(string))
	}
	if fmt.Sprint(codes) != "[cap eligibility]" {
		t.Errorf("blocked checkout rules = %v, want cap and eligibility: %s", codes, x.body)
	}
	// A client preferring English gets the error, its rules and its fields in English; any
	// other client gets Bahasa Indonesia.
	for _, c := range []struct{ accept, lang, message, cap, kodeRUP string }{
		{"en-US,en;q=0.9,id;q=0.5", "en", "The order cannot be processed because it breaks procurement rules; see each rule's explanation.",
			"The order total", "The Kode RUP has only digits"},
		{"", "id", "Pesanan tidak dapat diproses karena melanggar aturan pengadaan; lihat penjelasan setiap aturan.",
			"Total pesanan", "Kode RUP hanya berisi angka"},
		{"id,en;q=0.8", "id", "Pesanan tidak dapat", "Total pesanan", "Kode RUP hanya"},
		{"fr-FR", "id", "Pesanan tidak dapat", "Total pesanan", "Kode RUP hanya"},
	} {
		x := f.doWith(t, &exchange{method: "POST", path: "/api/v1/orders", bearer: f.buyer, reqBody: []byte(checkout(1000, "")),
			extra: http.Header{"Accept-Language": {c.accept}}})
		e := wantErrorCode(t, x, "rule_blocked")
		if got := x.header.Get("Content-Language"); got != c.lang {
			t.Errorf("Accept-Language %q: Content-Language %q, want %q", c.accept, got, c.lang)
		}
		if msg := e["message"].(string); !strings.HasPrefix(msg, c.message) {
			t.Errorf("Accept-Language %q: message %q, want %q", c.accept, msg, c.message)
		}
		for _, r := range e["rules"].([]any) {
			if r := r.(map[string]any); r["code"] == market.RuleCap && !strings.HasPrefix(r["explanation"].(string), c.cap) {
				t.Errorf("Accept-Language %q: cap rule says %q, want it to start %q", c.accept, r["explanation"], c.cap)
			}
		}
		x = f.doWith(t, &exchange{method: "POST", path: units + "/budget-lines/import", bearer: f.admin,
			reqBody: []byte(`{"rows":[{"line":2,"fiscal_year":2026,"kode_rup":"ABC","account_code":"5.1.02.01.01.0024","name":"x","funding_source":"DAU","ceiling":5}]}`),
			extra:   http.Header{"Accept-Language": {c.accept}}})
		e = wantErrorCode(t, x, "invalid")
		if msg, _ := e["fields"].(map[string]any)["rows.2.kode_rup"].(string); !strings.HasPrefix(msg, c.kodeRUP) {
			t.Errorf("Accept-Language %q: field error %q, want it to start %q", c.accept, msg, c.kodeRUP)
		}
		validExchange(t, v, x)
	}
	// The seller cannot check out.
	x = f.do(t, "POST", "/api/v1/orders", f.owner, checkout(1, ""))
	wantStatus(t, x, http.StatusForbidden)
	validExchange(t, v, x)

	x = f.do(t, "POST", "/api/v1/orders", f.buyer, checkout(10, ""))
	wantStatus(t, x, http.StatusCreated)
	validExchange(t, v, x)
	var placed struct {
		Orders []struct {
			ID    int64
			Total int64
			Lines []struct{ ID int64 }
		}
	}
	decode(t, x, &placed)
	// 10 × 50.000 + 20.000 shipping = 520.000, PKP: PPN 11% = 57.200.
	if len(placed.Orders) != 1 || placed.Orders[0].Total != 577_200 {
		t.Fatalf("placed = %s", x.body)
	}
	id, lineID := placed.Orders[0].ID, placed.Orders[0].Lines[0].ID
	order := fmt.Sprintf("/api/v1/orders/%d", id)

	steps := []struct {
		name, token, method, path, body string
		status                          int
		state                           string
	}{
		{"outsider cannot see it", f.outsider, "GET", order, "", http.StatusNotFound, ""},
		{"buyer reads it", f.buyer, "GET", order, "", http.StatusOK, "awaiting_approval"},
		{"list of the unit", f.ppk, "GET", fmt.Sprintf("/api/v1/orders?unit_id=%d&state=awaiting_approval", f.unit), "", http.StatusOK, ""},
		{"buyer asks a lower price", f.buyer, "POST", order + "/negotiation", `{"line":0,"kind":"request","price":45000,"note":"harga pasar"}`, http.StatusOK, "awaiting_approval"},
		{"seller accepts it", f.owner, "POST", order + "/negotiation", `{"line":0,"kind":"accept"}`, http.StatusOK, "awaiting_approval"},
		{"unknown negotiation move", f.owner, "POST", order + "/negotiation", `{"line":0,"kind":"haggle"}`, http.StatusUnprocessableEntity, ""},
		{"negotiation over", f.owner, "POST", order + "/negotiation", `{"line":0,"kind":"accept"}`, http.StatusConflict, ""},
		{"seller cannot approve", f.owner, "POST", order + "/approve", "", http.StatusForbidden, ""},
		{"return without a note", f.ppk, "POST", order + "/return", `{}`, http.StatusUnprocessableEntity, ""},
		{"PPK returns it", f.ppk, "POST", order + "/return", `{"reason":"Lengkapi catatan untuk apa kertas ini."}`, http.StatusOK, "returned"},
		{"buyer resubmits", f.buyer, "POST", order + "/resubmit", `{"notes":"Untuk ujian semester"}`, http.StatusOK, "awaiting_approval"},
		{"PPK approves", f.ppk, "POST", order + "/approve", "", http.StatusOK, "approved"},
		{"approving twice", f.ppk, "POST", order + "/approve", "{}", http.StatusConflict, ""},
		{"seller accepts", f.owner, "POST", order + "/accept", "", http.StatusOK, "accepted"},
		{"ship without a delivery note", f.owner, "POST", order + "/ship", `{"courier":"JNE"}`, http.StatusUnprocessableEntity, ""},
		{"seller ships", f.owner, "POST", order + "/ship", `{"delivery_note":"SJ-001","courier":"JNE","tracking":"JN1"}`, http.StatusOK, "shipped"},
		{"receiver signs a partial BAST", f.receiver, "POST", order + "/receive", fmt.Sprintf(`{"lines":[{"order_line_id":%d,"quantity":4}],"condition":"good"}`, lineID), http.StatusOK, "partially_received"},
		{"seller opens a dispute", f.owner, "POST", order + "/dispute", `{"reason":"Sisa barang ditolak tanpa alasan."}`, http.StatusOK, "disputed"},
		{"admin resolves it", f.admin, "POST", order + "/resolve-dispute", `{"reason":"Sisa barang dikirim ulang."}`, http.StatusOK, "partially_received"},
		{"a photo that is no image", f.receiver, "POST", order + "/receive", fmt.Sprintf(`{"lines":[{"order_line_id":%d,"quantity":6}],"photos":["%s"]}`, lineID, base64.StdEncoding.EncodeToString([]byte("bukan gambar"))), http.StatusUnprocessableEntity, ""},
		{"receiver signs the rest with a photo", f.receiver, "POST", order + "/receive", fmt.Sprintf(`{"lines":[{"order_line_id":%d,"quantity":6}],"photos":["%s"]}`, lineID, base64.StdEncoding.EncodeToString(testPNG(t, 2400, 1200))), http.StatusOK, "received"},
		{"cancel after delivery", f.buyer, "POST", order + "/cancel", `{"reason":"x"}`, http.StatusConflict, ""},
		{"close short after full delivery", f.ppk, "POST", order + "/close-short", `{"reason":"x"}`, http.StatusConflict, ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			x := f.do(t, st.method, st.path, st.token, st.body)
			wantStatus(t, x, st.status)
			validResponse(t, v, x)
			if st.state != "" {
				var o struct {
					State    string
					Timeline []any
				}
				decode(t, x, &o)
				if o.State != st.state {
					t.Errorf("state = %s, want %s", o.State, st.state)
				}
			}
		})
	}
	x = f.do(t, "GET", order, f.ppk, "")
	validExchange(t, v, x)
	var full struct {
		SPNumber     string `json:"sp_number"`
		Total        int64
		Receipts     []any
		Negotiations []any
		Timeline     []any
	}
	decode(t, x, &full)
	// The agreed 45.000: 10 × 45.000 + 20.000 = 470.000 + PPN 51.700.
	if full.SPNumber != "SP/DISDIK/2026/00001" || full.Total != 521_700 || len(full.Receipts) != 2 || len(full.Negotiations) != 1 || len(full.Timeline) != 12 {
		t.Errorf("order = %s", x.body)
	}
	// The second BAST's photo, scaled to 1600 pixels on its long side, for the order's readers.
	var photos struct{ Receipts []struct{ Photos []string } }
	decode(t, x, &photos)
	if len(photos.Receipts) != 2 || len(photos.Receipts[1].Photos) != 1 {
		t.Fatalf("receipt photos = %s", x.body)
	}
	photo := order + "/photos/" + photos.Receipts[1].Photos[0]
	x = f.do(t, "GET", photo, f.ppk, "")
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(x.body)); err != nil || format != "jpeg" || cfg.Width != 1600 || cfg.Height != 800 {
		t.Errorf("photo served: %s %dx%d (%v)", format, cfg.Width, cfg.Height, err)
	}
	for _, tok := range []string{f.outsider} {
		x = f.do(t, "GET", photo, tok, "")
		wantStatus(t, x, http.StatusNotFound)
	}
	x = f.do(t, "GET", order+"/photos/"+strings.Repeat("0", 64), f.ppk, "")
	wantStatus(t, x, http.StatusNotFound)
	x = f.do(t, "GET", units+"/dashboard", f.buyer, "")
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)

	// A decline and a cancellation release the budget.
	for _, tc := range []struct{ action, token string }{{"decline", f.owner}, {"cancel", f.ppk}} {
		x = f.do(t, "POST", "/api/v1/orders", f.buyer, checkout(2, ""))
		wantStatus(t, x, http.StatusCreated)
		decode(t, x, &placed)
		path := fmt.Sprintf("/api/v1/orders/%d", placed.Orders[0].ID)
		wantStatus(t, f.do(t, "POST", path+"/approve", f.ppk, ""), http.StatusOK)
		x = f.do(t, "POST", path+"/"+tc.action, tc.token, `{"reason":"Stok gudang habis terbakar."}`)
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
	}
	b, err := f.s.GetBudgetLine(ctx, f.buyerP, f.budget)
	if err != nil {
		t.Fatal(err)
	}
	if b.Reserved != 0 || b.Committed != 521_700 {
		t.Errorf("budget = %+v", b)
	}
}

// testPNG returns a w × h PNG.
func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		img.Set(x, x%h, color.RGBA{R: 200, G: uint8(x), B: 40, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

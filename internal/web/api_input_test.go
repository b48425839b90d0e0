package web_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
)

// budgetLine gives the fixture's unit a budget line through the API.
func (f *orderAPI) budgetLine(t *testing.T) {
	t.Helper()
	x := f.do(t, "POST", fmt.Sprintf("/api/v1/units/%d/budget-lines", f.unit), f.admin,
		`{"fiscal_year":2026,"kode_rup":"27712345","account_code":"5.1.02.01.01.0024","name":"Belanja ATK","funding_source":"PAD","ceiling":100000000}`)
	wantStatus(t, x, http.StatusCreated)
	var line struct{ ID int64 }
	if err := json.Unmarshal(x.body, &line); err != nil {
		t.Fatal(err)
	}
	f.budget = line.ID
}

// checkoutBody is a valid checkout of qty reams with the given shipping entries (JSON array).
func (f *orderAPI) checkoutBody(qty int, shipping string) string {
	return fmt.Sprintf(`{"unit_id":%d,"budget_line_id":%d,"ppk_id":%d,"address":"Jl. Pendidikan No. 1, Medan","needed_by":"2026-12-10","items":[{"product_id":%d,"quantity":%d}],"shipping":%s}`,
		f.unit, f.budget, f.ppkID, f.paper, qty, shipping)
}

// wantFields checks a 422 invalid answer whose fields hold each key with a message containing
// its text, and no other keys; the message and fields must not speak Go.
func wantFields(t *testing.T, x *exchange, want map[string]string) {
	t.Helper()
	wantStatus(t, x, http.StatusUnprocessableEntity)
	e := wantErrorCode(t, x, "invalid")
	fields, _ := e["fields"].(map[string]any)
	for k, text := range want {
		msg, _ := fields[k].(string)
		if msg == "" || !strings.Contains(msg, text) {
			t.Errorf("%s %s: fields[%q] = %q, want it to say %q; body: %s", x.method, x.path, k, msg, text, x.body)
		}
	}
	for k := range fields {
		if _, ok := want[k]; !ok {
			t.Errorf("%s %s: unexpected field %q; body: %s", x.method, x.path, k, x.body)
		}
	}
	noGo(t, x)
}

// noGo fails when an answer shows Go's words: type names or encoding/json's messages.
func noGo(t *testing.T, x *exchange) {
	t.Helper()
	for _, word := range []string{"Go ", "json:", "int64", "struct", "web.", "store.", "unmarshal"} {
		if strings.Contains(string(x.body), word) {
			t.Errorf("%s %s: the answer says %q: %s", x.method, x.path, word, x.body)
		}
	}
}

// The orders placed so far, as the buyer sees them.
func (f *orderAPI) orderCount(t *testing.T) int {
	t.Helper()
	x := f.do(t, "GET", fmt.Sprintf("/api/v1/orders?unit_id=%d", f.unit), f.buyer, "")
	wantStatus(t, x, http.StatusOK)
	var list struct{ Orders []any }
	if err := json.Unmarshal(x.body, &list); err != nil {
		t.Fatal(err)
	}
	return len(list.Orders)
}

// A checkout names every wrong entry by its JSON path, all at once, before the store is asked;
// nothing is placed. Shipping entries are checked one by one: no sum can overflow into a valid
// amount, and a seller is named once.
func TestCheckoutAPIRefusesBadEntries(t *testing.T) {
	v := openAPIValidator(t)
	f := newOrderAPI(t)
	f.budgetLine(t)
	seller := f.seller
	for _, c := range []struct {
		name, body string
		fields     map[string]string
	}{
		{"shipping that overflows when summed",
			f.checkoutBody(1, fmt.Sprintf(`[{"seller_id":%d,"amount":9223372036854775807},{"seller_id":%[1]d,"amount":9223372036854775807},{"seller_id":%[1]d,"amount":1002}]`, seller)),
			map[string]string{"shipping.0": "antara Rp0 dan Rp200.000.000", "shipping.1": "sudah ada di shipping.0", "shipping.2": "sudah ada di shipping.0"}},
		{"a negative shipping cost made good by another entry",
			f.checkoutBody(1, fmt.Sprintf(`[{"seller_id":%d,"amount":-5000},{"seller_id":%[1]d,"amount":6000}]`, seller)),
			map[string]string{"shipping.0": "antara Rp0", "shipping.1": "sudah ada di shipping.0"}},
		{"shipping without a seller",
			f.checkoutBody(1, `[{"amount":5000}]`),
			map[string]string{"shipping.0": "seller_id"}},
		{"shipping of a seller not in the order: the entry is named, not the seller id",
			f.checkoutBody(1, `[{"seller_id":999,"amount":5000}]`),
			map[string]string{"shipping.0": "tidak ada dalam pesanan"}},
		{"no unit, budget line or PPK",
			fmt.Sprintf(`{"address":"Jl. Pendidikan No. 1","needed_by":"2026-12-10","items":[{"product_id":%d,"quantity":1}]}`, f.paper),
			map[string]string{"unit_id": "unit kerja", "budget_line_id": "Kode RUP", "ppk_id": "PPK"}},
		{"zero unit",
			strings.Replace(f.checkoutBody(1, `[]`), fmt.Sprintf(`"unit_id":%d`, f.unit), `"unit_id":0`, 1),
			map[string]string{"unit_id": "unit kerja"}},
		{"bad items",
			fmt.Sprintf(`{"unit_id":%d,"budget_line_id":%d,"ppk_id":%d,"address":"x","needed_by":"2026-12-10","items":[{"product_id":%d,"quantity":0},{"product_id":%[4]d,"quantity":2},{"quantity":1}]}`,
				f.unit, f.budget, f.ppkID, f.paper),
			map[string]string{"items.0.quantity": "antara 1 dan", "items.1.product_id": "dua kali", "items.2.product_id": "positif"}},
		{"two justifications for one seller and rule",
			strings.TrimSuffix(f.checkoutBody(1, `[]`), "}") + fmt.Sprintf(`,"justifications":[{"seller_id":%d,"rule":"split","text":"a"},{"seller_id":%[1]d,"rule":"split","text":"b"}]}`, seller),
			map[string]string{"justifications.1": "sudah dicantumkan"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := f.do(t, "POST", "/api/v1/orders", f.buyer, c.body)
			wantFields(t, x, c.fields)
			validResponse(t, v, x)
		})
	}
	if n := f.orderCount(t); n != 0 {
		t.Errorf("%d orders placed by refused checkouts", n)
	}
	// The same seller's shipping once is fine.
	x := f.do(t, "POST", "/api/v1/orders", f.buyer, f.checkoutBody(1, fmt.Sprintf(`[{"seller_id":%d,"amount":20000}]`, seller)))
	wantStatus(t, x, http.StatusCreated)
	validExchange(t, v, x)
	var placed struct{ Orders []struct{ Shipping int64 } }
	if err := json.Unmarshal(x.body, &placed); err != nil || len(placed.Orders) != 1 || placed.Orders[0].Shipping != 20000 {
		t.Errorf("placed = %s (%v)", x.body, err)
	}
}

// A value of the wrong JSON type is a field error at its JSON path saying what the field takes,
// and a body that is no object says so, never in Go's words.
func TestAPIRefusesWrongJSONTypes(t *testing.T) {
	v := openAPIValidator(t)
	f := newOrderAPI(t)
	f.budgetLine(t)
	for _, c := range []struct {
		name, body string
		fields     map[string]string // nil: no fields, message says message
		message    string
	}{
		{"a quantity as text", `{"items":[{"quantity":"3"}]}`, map[string]string{"items.0.quantity": "angka bulat"}, ""},
		{"the second item's quantity as text", fmt.Sprintf(`{"items":[{"product_id":%d,"quantity":1},{"product_id":2,"quantity":"3"}]}`, f.paper),
			map[string]string{"items.1.quantity": "angka bulat"}, ""},
		{"a decimal unit", `{"unit_id":1.5}`, map[string]string{"unit_id": "angka bulat"}, ""},
		{"a unit too large", `{"unit_id":99999999999999999999}`, map[string]string{"unit_id": "di luar batas"}, ""},
		{"an address as a number", `{"address":12}`, map[string]string{"address": "teks"}, ""},
		{"items as an object", `{"items":{}}`, map[string]string{"items": "daftar JSON"}, ""},
		{"an item as a number", `{"items":[7]}`, map[string]string{"items.0": "objek JSON"}, ""},
		{"a shipping amount as text", `{"shipping":[{"seller_id":1,"amount":"5000"}]}`, map[string]string{"shipping.0.amount": "angka bulat"}, ""},
		{"an unknown field", `{"unit":1}`, map[string]string{"unit": "tidak dikenal"}, ""},
		{"an unknown field in an item", `{"items":[{"product_id":1,"qty":2}]}`, map[string]string{"qty": "tidak dikenal"}, ""},
		{"a body that is an array", `[]`, nil, "Badan permintaan harus berupa objek JSON"},
		{"a body that is a string", `"pesanan"`, nil, "Badan permintaan harus berupa objek JSON"},
		{"a body that is not JSON", `{"unit_id":}`, nil, "bukan JSON yang valid (karakter ke-12)"},
		{"a body cut short", `{"unit_id":1`, nil, "terpotong"},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := f.do(t, "POST", "/api/v1/orders", f.buyer, c.body)
			validResponse(t, v, x)
			if c.fields != nil {
				wantFields(t, x, c.fields)
				return
			}
			wantStatus(t, x, http.StatusUnprocessableEntity)
			e := wantErrorCode(t, x, "invalid")
			if msg, _ := e["message"].(string); !strings.Contains(msg, c.message) {
				t.Errorf("message %q, want %q", msg, c.message)
			}
			if e["fields"] != nil {
				t.Errorf("fields for the whole body: %s", x.body)
			}
			noGo(t, x)
		})
	}
	// The same in English for a client that prefers it.
	x := f.doWith(t, &exchange{method: "POST", path: "/api/v1/orders", bearer: f.buyer, reqBody: []byte(`{"items":[{"quantity":"3"}]}`),
		extra: http.Header{"Accept-Language": {"en"}}})
	e := wantErrorCode(t, x, "invalid")
	if got := e["fields"].(map[string]any)["items.0.quantity"]; got != "Must be a whole number (without decimals or quotation marks)." {
		t.Errorf("English field message %q", got)
	}
	// Other endpoints decode the same way.
	x = f.do(t, "POST", "/api/v1/orders/1/negotiation", f.buyer, `{"line":"0","kind":"request"}`)
	wantFields(t, x, map[string]string{"line": "angka bulat"})
	validResponse(t, v, x)
}

// An unknown negotiation move is refused on kind whatever the order's state, before the store's
// checks of state and turn.
func TestNegotiationAPIRefusesUnknownKindFirst(t *testing.T) {
	v := openAPIValidator(t)
	f := newOrderAPI(t)
	f.budgetLine(t)
	x := f.do(t, "POST", "/api/v1/orders", f.buyer, f.checkoutBody(2, `[]`))
	wantStatus(t, x, http.StatusCreated)
	var placed struct{ Orders []struct{ ID int64 } }
	if err := json.Unmarshal(x.body, &placed); err != nil {
		t.Fatal(err)
	}
	order := fmt.Sprintf("/api/v1/orders/%d", placed.Orders[0].ID)
	// The first move of the negotiation.
	x = f.do(t, "POST", order+"/negotiation", f.buyer, `{"line":0,"kind":"bogus"}`)
	wantFields(t, x, map[string]string{"kind": `"bogus" tidak dikenal`})
	validResponse(t, v, x)
	x = f.do(t, "POST", order+"/negotiation", f.buyer, `{"line":-1,"kind":"request","price":1}`)
	wantFields(t, x, map[string]string{"line": "tidak ditemukan"})
	// Once approved the order is not negotiable; an unknown move still is the input's fault.
	wantStatus(t, f.do(t, "POST", order+"/approve", f.ppk, ""), http.StatusOK)
	x = f.do(t, "POST", order+"/negotiation", f.buyer, `{"line":0,"kind":"bogus"}`)
	wantFields(t, x, map[string]string{"kind": `"bogus" tidak dikenal`})
	validResponse(t, v, x)
	x = f.do(t, "POST", order+"/negotiation", f.buyer, `{"line":0,"kind":"request","price":1}`)
	wantStatus(t, x, http.StatusConflict)
	validExchange(t, v, x)
}

// blobFiles counts the files the blob store holds.
func blobFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Nothing is stored for an upload unless its sender may act on the order now: BAST photos and
// the faktur PDF from someone who cannot see the order (404), holds no role for the action (403)
// or acts in the wrong state (409) leave no file behind.
func TestAPIUploadsStoreNothingUnlessAllowed(t *testing.T) {
	v := openAPIValidator(t)
	f := newOrderAPI(t)
	f.budgetLine(t)
	// A receiver of another unit, a second PPK of the unit, and the owner of another seller.
	other, err := f.s.CreateUnit(ctx, store.System, "DISHUB", "Dinas Perhubungan")
	if err != nil {
		t.Fatal(err)
	}
	var seller2 int64
	if err := f.s.DB().QueryRowContext(ctx, `INSERT INTO sellers (name, kecamatan, status, class, pkp, created_at, updated_at)
		VALUES ('CV Lain', 'Medan Kota', 'verified', 'micro', TRUE, 0, 0) RETURNING id`).Scan(&seller2); err != nil {
		t.Fatal(err)
	}
	user := func(email string, g store.Grant) string {
		t.Helper()
		u, err := f.s.CreateUser(ctx, store.System, store.NewUser{Name: email, Email: email}, g)
		if err != nil {
			t.Fatal(err)
		}
		_, tok, err := f.s.CreateAPIToken(ctx, u.ID, "uji", store.DefaultAPITokenDays)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	receiver2 := user("penerima2@bela.test", store.Grant{Role: market.RoleReceiver, ScopeID: other.ID})
	ppk2 := user("ppk2@bela.test", store.Grant{Role: market.RoleApprover, ScopeID: f.unit})
	owner2 := user("pemilik2@bela.test", store.Grant{Role: market.RoleSellerOwner, ScopeID: seller2})

	x := f.do(t, "POST", "/api/v1/orders", f.buyer, f.checkoutBody(2, `[]`))
	wantStatus(t, x, http.StatusCreated)
	var placed struct {
		Orders []struct {
			ID    int64
			Lines []struct{ ID int64 }
		}
	}
	if err := json.Unmarshal(x.body, &placed); err != nil {
		t.Fatal(err)
	}
	order := fmt.Sprintf("/api/v1/orders/%d", placed.Orders[0].ID)
	wantStatus(t, f.do(t, "POST", order+"/approve", f.ppk, ""), http.StatusOK)
	wantStatus(t, f.do(t, "POST", order+"/accept", f.owner, ""), http.StatusOK)

	receive := fmt.Sprintf(`{"lines":[{"order_line_id":%d,"quantity":2}],"photos":["%s"]}`, placed.Orders[0].Lines[0].ID,
		base64.StdEncoding.EncodeToString(testPNG(t, 400, 300)))
	invoice := fmt.Sprintf(`{"faktur_number":"010.001-26.12345678","faktur_pdf":"%s"}`,
		base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")))
	refused := func(name, token, path, body string, status int, files int) {
		t.Helper()
		x := f.do(t, "POST", order+path, token, body)
		if x.status != status {
			t.Errorf("%s: status %d, want %d: %s", name, x.status, status, x.body)
		}
		validResponse(t, v, x)
		if n := blobFiles(t, f.blobDir); n != files {
			t.Errorf("%s: %d files stored, want %d", name, n, files)
		}
	}
	// Accepted, not shipped: neither a BAST nor an invoice yet.
	refused("receiver of another unit", receiver2, "/receive", receive, http.StatusNotFound, 0)
	refused("another PPK of the unit", ppk2, "/receive", receive, http.StatusForbidden, 0)
	refused("receiver before shipment", f.receiver, "/receive", receive, http.StatusConflict, 0)
	refused("owner of another seller invoices", owner2, "/invoice", invoice, http.StatusNotFound, 0)
	refused("seller invoices before the BAST", f.owner, "/invoice", invoice, http.StatusConflict, 0)

	wantStatus(t, f.do(t, "POST", order+"/ship", f.owner, `{"delivery_note":"SJ-9"}`), http.StatusOK)
	refused("receiver of another unit after shipment", receiver2, "/receive", receive, http.StatusNotFound, 0)
	x = f.do(t, "POST", order+"/receive", f.receiver, receive)
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)
	if n := blobFiles(t, f.blobDir); n != 1 {
		t.Errorf("%d files after the BAST with one photo", n)
	}
	refused("receiving twice", f.receiver, "/receive", receive, http.StatusConflict, 1)
	refused("owner of another seller invoices after the BAST", owner2, "/invoice", invoice, http.StatusNotFound, 1)
	x = f.do(t, "POST", order+"/invoice", f.owner, invoice)
	wantStatus(t, x, http.StatusCreated)
	validExchange(t, v, x)
	if n := blobFiles(t, f.blobDir); n != 2 {
		t.Errorf("%d files after the invoice with its faktur", n)
	}
}

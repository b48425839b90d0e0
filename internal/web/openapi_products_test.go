package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"bela/internal/market"
)

// TestProductAPIMatchesOpenAPI walks the product API through a listing's life — create, fix,
// submit, approve, a price revision, its approval — and checks every real request and response
// against openapi.json, errors included.
func TestProductAPIMatchesOpenAPI(t *testing.T) {
	v := openAPIValidator(t)
	f := productFixture(t)
	af := &apiFixture{h: f.srv, s: f.s}
	owner, curator, buyer := f.tokens[market.RoleSellerOwner], f.tokens[market.RoleCurator], f.tokens[market.RoleBuyer]
	body := `{"sku":"HVS-A4","name":"Kertas HVS A4 70 gsm","description":"Kertas fotokopi putih, 500 lembar per rim.",` +
		`"category":"01.01.01","unit":"rim","price":55000,"public_price":60000,"stock":100,"pdn":true,"tkdn":43.57,` +
		`"tkdn_certificate":"TKDN-2026-1","specs":[{"key":"Ukuran","value":"A4"}]}`

	var created struct {
		ID     int64   `json:"id"`
		Status string  `json:"status"`
		TKDN   float64 `json:"tkdn"`
	}
	t.Run("create", func(t *testing.T) {
		x := af.do(t, "POST", "/api/v1/products", owner, body)
		wantStatus(t, x, http.StatusCreated)
		validExchange(t, v, x)
		if err := json.Unmarshal(x.body, &created); err != nil || created.Status != "draft" || created.TKDN != 43.57 {
			t.Fatalf("created = %s", x.body)
		}
	})
	path := fmt.Sprintf("/api/v1/products/%d", created.ID)

	for _, tc := range []struct {
		name, body, field string
		status            int
	}{
		{"duplicate SKU", body, "sku", 422},
		{"category outside KBLI", `{"sku":"LAP","name":"Laptop kantor","description":"Laptop","category":"07.01.01","unit":"unit","price":9000000}`, "category", 422},
		{"price above public price", `{"sku":"X1","name":"Kertas F4","description":"Kertas","category":"01.01.01","unit":"rim","price":70000,"public_price":60000}`, "price", 422},
		{"negative price", `{"sku":"X2","name":"Kertas F4","description":"Kertas","category":"01.01.01","unit":"rim","price":-5}`, "price", 422},
		{"bad TKDN", `{"sku":"X3","name":"Kertas F4","description":"Kertas","category":"01.01.01","unit":"rim","price":5,"tkdn":101}`, "tkdn", 422},
		{"another seller", `{"seller_id":999999,"sku":"X4"}`, "", 404},
	} {
		t.Run("create: "+tc.name, func(t *testing.T) {
			x := af.do(t, "POST", "/api/v1/products", owner, tc.body)
			wantStatus(t, x, tc.status)
			e := wantErrorCode(t, x, map[int]string{422: "invalid", 404: "not_found"}[tc.status])
			if tc.field != "" {
				if fields, _ := e["fields"].(map[string]any); fields[tc.field] == nil {
					t.Errorf("error does not name %q: %s", tc.field, x.body)
				}
			}
			validResponse(t, v, x)
		})
	}

	t.Run("buyer may not create", func(t *testing.T) {
		x := af.do(t, "POST", "/api/v1/products", buyer, body)
		wantStatus(t, x, http.StatusForbidden)
		validResponse(t, v, x)
	})

	t.Run("patch, submit, approve", func(t *testing.T) {
		x := af.do(t, "PATCH", path, owner, `{"price":54000}`)
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		x = af.do(t, "POST", path+"/submit", owner, "")
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		x = af.do(t, "POST", path+"/submit", owner, "")
		wantStatus(t, x, http.StatusConflict)
		validExchange(t, v, x)
		x = af.do(t, "POST", path+"/review", curator, `{"decision":"reject"}`)
		wantStatus(t, x, http.StatusUnprocessableEntity)
		validExchange(t, v, x)
		x = af.do(t, "POST", path+"/review", owner, `{"decision":"approve"}`)
		wantStatus(t, x, http.StatusForbidden)
		validResponse(t, v, x)
		x = af.do(t, "POST", path+"/review", curator, `{"decision":"approve"}`)
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		var p struct {
			Status       string
			Shown        bool
			PriceHistory []map[string]any `json:"price_history"`
		}
		json.Unmarshal(x.body, &p)
		if p.Status != "approved" || !p.Shown || len(p.PriceHistory) != 1 {
			t.Errorf("approved = %s", x.body)
		}
	})

	t.Run("price revision", func(t *testing.T) {
		x := af.do(t, "PATCH", path, owner, `{"price":52000,"stock":90}`)
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		var p struct {
			Price   int64
			Stock   int64
			Pending *struct{ Price int64 } `json:"pending_revision"`
		}
		json.Unmarshal(x.body, &p)
		if p.Price != 54000 || p.Stock != 90 || p.Pending == nil || p.Pending.Price != 52000 {
			t.Fatalf("after a price edit: %s", x.body)
		}
		// A buyer sees the approved version and no curation details.
		y := af.do(t, "GET", path, buyer, "")
		wantStatus(t, y, http.StatusOK)
		validExchange(t, v, y)
		if strings.Contains(string(y.body), "pending_revision") {
			t.Errorf("a buyer sees the pending revision: %s", y.body)
		}
		x = af.do(t, "POST", path+"/review", curator, `{"decision":"approve"}`)
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		json.Unmarshal(x.body, &p)
		if p.Price != 52000 {
			t.Errorf("after approving the revision: %s", x.body)
		}
		x = af.do(t, "POST", path+"/review", curator, `{"decision":"takedown","reason":"Harga tidak wajar."}`)
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		y = af.do(t, "GET", path, buyer, "")
		wantStatus(t, y, http.StatusNotFound)
		validExchange(t, v, y)
	})

	t.Run("unknown and unauthenticated", func(t *testing.T) {
		x := af.do(t, "GET", "/api/v1/products/999999", owner, "")
		wantStatus(t, x, http.StatusNotFound)
		validExchange(t, v, x)
		x = af.do(t, "GET", path, "", "")
		wantStatus(t, x, http.StatusUnauthorized)
		validResponse(t, v, x)
		x = af.do(t, "PATCH", path, owner, `{"colour":"red"}`)
		wantStatus(t, x, http.StatusUnprocessableEntity)
		validResponse(t, v, x)
	})
}

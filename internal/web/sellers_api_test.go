package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
)

const sellerJSONBody = `{
  "privacy_accepted": true,
  "business_name": "UD Kue Melati", "legal_form": "ud", "nib": "1234567890123", "npwp": "01.234.567.8-901.000",
  "owner_nik": "1271015505850001", "kbli": ["10710", "47241"], "capital": 150000000, "annual_sales": 600000000, "pkp": false,
  "address": {"street": "Jl. Melati No. 5", "kelurahan": "Babura", "kecamatan": "Medan Baru", "city": "Kota Medan", "postal_code": "20153"},
  "phone": "0812-6000-1234", "bank": {"name": "Bank Sumut", "number": "1002003004", "holder": "Melati Siregar"}
}`

type apiSeller struct {
	ID      int64          `json:"id"`
	Status  string         `json:"status"`
	Class   string         `json:"class"`
	Details map[string]any `json:"details"`
}

func decodeSeller(t *testing.T, x *exchange) apiSeller {
	t.Helper()
	var s apiSeller
	if err := json.Unmarshal(x.body, &s); err != nil {
		t.Fatalf("seller body: %v: %s", err, x.body)
	}
	return s
}

func TestSellerAPIMatchesOpenAPI(t *testing.T) {
	v := openAPIValidator(t)
	f := newAPIFixture(t)
	c := context.Background()
	for _, k := range []store.Kecamatan{{Code: "12.71.01", Name: "Medan Baru"}} {
		if err := f.s.AddKecamatan(c, store.System, k); err != nil {
			t.Fatal(err)
		}
	}
	curator, err := f.s.CreateUser(c, store.System, store.NewUser{Name: "Kurator", Email: "kurator@pemkomedan.example", Password: "kata-sandi-kurator"}, store.Grant{Role: market.RoleCurator})
	if err != nil {
		t.Fatal(err)
	}
	carol, err := f.s.CreateUser(c, store.System, store.NewUser{Name: "Carol", Email: "carol@pemkomedan.example", Password: "kata-sandi-carol"})
	if err != nil {
		t.Fatal(err)
	}
	// The business registers with its own account, one without an official's role.
	dinaUser, err := f.s.CreateUser(c, store.System, store.NewUser{Name: "Dina", Email: "dina@umkm.example", Password: "kata-sandi-dina"})
	if err != nil {
		t.Fatal(err)
	}
	_, dina := f.token(t, dinaUser, "dina")
	_, bob := f.token(t, f.bob, "bob")       // a treasurer
	_, alice := f.token(t, f.alice, "alice") // an auditor
	_, cur := f.token(t, curator, "kurator")
	_, other := f.token(t, carol, "carol")

	var id int64
	t.Run("an official may not register a business", func(t *testing.T) {
		// The web sign-up makes only new accounts owners; the API does not make an
		// official's account (treasurer, curator, auditor) a seller's owner either.
		for _, tok := range []string{bob, cur, alice} {
			x := f.do(t, "POST", "/api/v1/sellers", tok, sellerJSONBody)
			wantStatus(t, x, http.StatusForbidden)
			validExchange(t, v, x)
		}
		if sellers, err := f.s.ListSellers(c, store.SellerFilter{}); err != nil || len(sellers) != 0 {
			t.Errorf("sellers after refused registrations = %d, %v", len(sellers), err)
		}
	})

	t.Run("create", func(t *testing.T) {
		x := f.do(t, "POST", "/api/v1/sellers", dina, sellerJSONBody)
		wantStatus(t, x, http.StatusCreated)
		validExchange(t, v, x)
		s := decodeSeller(t, x)
		id = s.ID
		if s.Status != "draft" || s.Class != "micro" || s.Details["npwp"] != "0012345678901000" || s.Details["owner_nik"] != "1271015505850001" {
			t.Errorf("created = %s", x.body)
		}
	})

	invalid := []struct {
		name, body string
		fields     []string
	}{
		{"bad numbers and kecamatan", strings.NewReplacer(`"1234567890123"`, `"123"`, `"Medan Baru"`, `"Atlantis"`, `"1271015505850001"`, `"9971015505850001"`).Replace(sellerJSONBody), []string{"nib", "owner_nik"}},
		{"duplicate NIB", strings.Replace(sellerJSONBody, `"01.234.567.8-901.000"`, `""`, 1), []string{"nib"}},
		{"unknown kecamatan", strings.NewReplacer(`"1234567890123"`, `"2234567890123"`, `"01.234.567.8-901.000"`, `""`, `"Medan Baru"`, `"Atlantis"`).Replace(sellerJSONBody), []string{"address.kecamatan"}},
		{"medium business", strings.NewReplacer(`"1234567890123"`, `"2234567890123"`, `"01.234.567.8-901.000"`, `""`, `150000000`, `6000000000`).Replace(sellerJSONBody), []string{"class"}},
		{"privacy not accepted", strings.NewReplacer(`"privacy_accepted": true`, `"privacy_accepted": false`, `"1234567890123"`, `"2234567890123"`, `"01.234.567.8-901.000"`, `""`).Replace(sellerJSONBody), []string{"privacy_accepted"}},
		{"bad PP55 date", strings.NewReplacer(`"pkp": false`, `"pkp": false, "pp55_number": "S-1", "pp55_valid_from": "kemarin", "pp55_valid_to": "2027-01-01"`).Replace(sellerJSONBody), []string{"pp55_valid_from"}},
	}
	for _, tc := range invalid {
		t.Run("create: "+tc.name, func(t *testing.T) {
			x := f.do(t, "POST", "/api/v1/sellers", dina, tc.body)
			wantStatus(t, x, http.StatusUnprocessableEntity)
			e := wantErrorCode(t, x, "invalid")
			fields, _ := e["fields"].(map[string]any)
			for _, name := range tc.fields {
				if msg, _ := fields[name].(string); msg == "" {
					t.Errorf("error does not name field %q: %s", name, x.body)
				}
			}
			validResponse(t, v, x)
		})
	}

	t.Run("register another user's draft", func(t *testing.T) {
		body := strings.Replace(sellerJSONBody, `"privacy_accepted": true`, fmt.Sprintf(`"seller_id": %d`, id), 1)
		x := f.do(t, "POST", "/api/v1/sellers", other, body)
		wantStatus(t, x, http.StatusNotFound)
		validExchange(t, v, x)
		y := f.do(t, "POST", "/api/v1/sellers", dina, body)
		wantStatus(t, y, http.StatusOK)
		validExchange(t, v, y)
	})

	t.Run("a draft is hidden from others", func(t *testing.T) {
		x := f.do(t, "GET", fmt.Sprintf("/api/v1/sellers/%d", id), other, "")
		wantStatus(t, x, http.StatusNotFound)
		validExchange(t, v, x)
	})

	// Upload the documents and submit, through the store.
	owner := store.Actor{UserID: dinaUser.ID, Role: market.RoleSellerOwner}
	sl, _ := f.s.GetSeller(c, id)
	for _, k := range store.RequiredDocuments(sl.Reg) {
		if _, err := f.s.AddSellerDocument(c, owner, store.SellerDocument{SellerID: id, Kind: k, BlobID: strings.Repeat("a", 64), Filename: string(k) + ".pdf", ContentType: "application/pdf", Size: 10}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.SubmitSeller(c, owner, id); err != nil {
		t.Fatal(err)
	}

	t.Run("read", func(t *testing.T) {
		staffUser, err := f.s.CreateUser(c, store.System, store.NewUser{Name: "Staf", Email: "staf@umkm.example", Password: "kata-sandi-staf"},
			store.Grant{Role: market.RoleSellerStaff, ScopeID: id})
		if err != nil {
			t.Fatal(err)
		}
		_, staff := f.token(t, staffUser, "staf")
		// The owner's own data (NIK, phone) and the bank account; the rest of the
		// registration (NPWP, NIB, street); neither reaches the public.
		owners := []string{"1271015505850001", "+6281260001234", "1002003004"}
		business := []string{"0012345678901000", "Jl. Melati", "1234567890123"}
		for _, tc := range []struct {
			name, token     string
			details, owners bool
		}{{"owner", dina, true, true}, {"auditor", alice, true, true}, {"curator", cur, true, true},
			{"staff", staff, true, false}, {"someone else", other, false, false}} {
			x := f.do(t, "GET", fmt.Sprintf("/api/v1/sellers/%d", id), tc.token, "")
			wantStatus(t, x, http.StatusOK)
			validExchange(t, v, x)
			s := decodeSeller(t, x)
			if (s.Details != nil) != tc.details {
				t.Errorf("%s: details shown = %v: %s", tc.name, s.Details != nil, x.body)
			}
			for _, group := range []struct {
				values []string
				shown  bool
			}{{owners, tc.owners}, {business, tc.details}} {
				for _, v := range group.values {
					if strings.Contains(string(x.body), v) != group.shown {
						t.Errorf("%s: %q shown = %v, want %v", tc.name, v, !group.shown, group.shown)
					}
				}
			}
		}
		x := f.do(t, "GET", "/api/v1/sellers/999999", bob, "")
		wantStatus(t, x, http.StatusNotFound)
		validExchange(t, v, x)
	})

	path := fmt.Sprintf("/api/v1/sellers/%d/verification", id)
	t.Run("verification refused", func(t *testing.T) {
		x := f.do(t, "POST", path, bob, `{"decision": "verify"}`)
		wantStatus(t, x, http.StatusForbidden)
		validExchange(t, v, x)
		for _, tc := range []struct {
			body   string
			status int
			field  string
		}{
			{`{"decision": "reject"}`, http.StatusUnprocessableEntity, "reason"},
			{`{"decision": "approve"}`, http.StatusUnprocessableEntity, "decision"},
			{`{"decision": "request_changes", "reason": "x", "notes": {"password": "y"}}`, http.StatusUnprocessableEntity, "notes.password"},
			{`{"decision": "reinstate"}`, http.StatusConflict, ""},
			{`{"decision": "suspend", "reason": "x", "until": "besok"}`, http.StatusUnprocessableEntity, "until"},
		} {
			x := f.do(t, "POST", path, cur, tc.body)
			wantStatus(t, x, tc.status)
			e := asErr(t, x)
			if tc.field != "" {
				fields, _ := e["fields"].(map[string]any)
				if fields[tc.field] == nil {
					t.Errorf("%s: no field %s: %s", tc.body, tc.field, x.body)
				}
			}
			validResponse(t, v, x)
		}
		x = f.do(t, "POST", "/api/v1/sellers/999999/verification", cur, `{"decision": "verify"}`)
		wantStatus(t, x, http.StatusNotFound)
		validExchange(t, v, x)
	})

	t.Run("verification decisions", func(t *testing.T) {
		x := f.do(t, "POST", path, cur, `{"decision": "request_changes", "reason": "Bukti KSWP kedaluwarsa", "notes": {"document.kswp": "Unggah yang terbaru"}}`)
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		if s := decodeSeller(t, x); s.Status != "changes_requested" || s.Details["change_notes"] == nil {
			t.Errorf("request changes = %s", x.body)
		}
		if err := f.s.SubmitSeller(c, owner, id); err != nil {
			t.Fatal(err)
		}
		x = f.do(t, "POST", path, cur, `{"decision": "verify"}`)
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		if s := decodeSeller(t, x); s.Status != "verified" {
			t.Errorf("verify = %s", x.body)
		}
		x = f.do(t, "POST", path, cur, `{"decision": "suspend", "reason": "Harga tidak wajar", "until": "2026-12-31"}`)
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		if s := decodeSeller(t, x); s.Status != "suspended" || s.Details["suspended_until"] != "2026-12-31T17:00:00Z" {
			t.Errorf("suspend = %s", x.body)
		}
		x = f.do(t, "POST", path, cur, `{"decision": "reinstate"}`)
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
	})

	t.Run("the document has teeth", func(t *testing.T) {
		x := f.do(t, "GET", fmt.Sprintf("/api/v1/sellers/%d", id), other, "")
		wantStatus(t, x, http.StatusOK)
		for _, tamper := range []func(m map[string]any){
			func(m map[string]any) { m["owner_nik"] = "1271015505850001" },
			func(m map[string]any) { m["status"] = "approved" },
			func(m map[string]any) { delete(m, "eligible") },
			func(m map[string]any) { m["details"] = map[string]any{"nib": "1"} },
		} {
			var m map[string]any
			if err := json.Unmarshal(x.body, &m); err != nil {
				t.Fatal(err)
			}
			tamper(m)
			b, _ := json.Marshal(m)
			if ok, _ := v.ValidateHttpResponse(x.request(), x.response(b)); ok {
				t.Errorf("a wrong seller passed validation: %s", b)
			}
		}
	})

	t.Run("without credentials", func(t *testing.T) {
		for _, x := range []*exchange{
			f.do(t, "POST", "/api/v1/sellers", "", sellerJSONBody),
			f.do(t, "GET", fmt.Sprintf("/api/v1/sellers/%d", id), "", ""),
			f.do(t, "POST", path, "", `{"decision": "verify"}`),
		} {
			wantStatus(t, x, http.StatusUnauthorized)
			validResponse(t, v, x)
		}
	})
}

func asErr(t *testing.T, x *exchange) map[string]any {
	t.Helper()
	var e struct {
		Error map[string]any `json:"error"`
	}
	if err := json.Unmarshal(x.body, &e); err != nil || e.Error == nil {
		t.Fatalf("not the error shape: %s", x.body)
	}
	return e.Error
}

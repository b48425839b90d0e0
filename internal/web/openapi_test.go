package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	vErrors "github.com/pb33f/libopenapi-validator/errors"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
	"bela/internal/web"
)

// openAPIValidator parses the embedded OpenAPI document, checks that it is a valid 3.1
// document, and returns a validator that also asserts formats such as date-time.
func openAPIValidator(t *testing.T) validator.Validator {
	t.Helper()
	doc, err := libopenapi.NewDocument(web.OpenAPI())
	if err != nil {
		t.Fatalf("parse openapi.json: %v", err)
	}
	if got := doc.GetSpecInfo().Version; !strings.HasPrefix(got, "3.1") {
		t.Fatalf("openapi.json declares OpenAPI %q, want 3.1.x", got)
	}
	v, errs := validator.NewValidator(doc, config.WithFormatAssertions())
	if len(errs) > 0 {
		t.Fatalf("build validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		t.Fatalf("openapi.json is not a valid OpenAPI 3.1 document:\n%s", describe(verrs))
	}
	return v
}

func describe(errs []*vErrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "  - %s: %s", e.Message, e.Reason)
		for _, f := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, " [%s at %s]", f.Reason, f.FieldPath)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// apiFixture is a real server over a real SQLite store with two users.
type apiFixture struct {
	h          http.Handler
	s          *store.Store
	alice, bob store.User
}

func newAPIFixture(t *testing.T) *apiFixture {
	t.Helper()
	ctx := context.Background()
	clock := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, clock)
	if err := s.SetInstance(ctx, store.System, store.Instance{Name: "Pemerintah Kota Medan", RegionCode: "12.71", TimeZone: "Asia/Jakarta"}); err != nil {
		t.Fatalf("set instance: %v", err)
	}
	unit, err := s.CreateUnit(ctx, store.System, "1.01.01", "Dinas Pendidikan")
	if err != nil {
		t.Fatalf("create unit: %v", err)
	}
	alice, err := s.CreateUser(ctx, store.System,
		store.NewUser{Name: "Alice Siregar", Email: "alice@pemkomedan.example", Password: "kata-sandi-alice"},
		store.Grant{Role: market.RoleBuyer, ScopeID: unit.ID},
		// An acting official's role, so that /me shows valid_to.
		store.Grant{Role: market.RoleApprover, ScopeID: unit.ID, ValidFrom: storetest.Start.Add(-24 * time.Hour), ValidTo: storetest.Start.Add(30 * 24 * time.Hour)},
		store.Grant{Role: market.RoleAuditor})
	if err != nil {
		t.Fatalf("create alice: %v", err)
	}
	bob, err := s.CreateUser(ctx, store.System,
		store.NewUser{Name: "Bob Nasution", Email: "bob@pemkomedan.example", Password: "kata-sandi-bob"},
		store.Grant{Role: market.RoleTreasurer, ScopeID: unit.ID})
	if err != nil {
		t.Fatalf("create bob: %v", err)
	}
	h, err := web.New(ctx, web.Config{Store: s, Clock: clock, PublicURL: "http://bela.test", MaxBody: 4096})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	return &apiFixture{h: h, s: s, alice: alice, bob: bob}
}

func (f *apiFixture) token(t *testing.T, u store.User, name string) (store.APIToken, string) {
	t.Helper()
	tok, secret, err := f.s.CreateAPIToken(context.Background(), u.ID, name, store.DefaultAPITokenDays)
	if err != nil {
		t.Fatalf("create token: %v", err)
	}
	return tok, secret
}

// exchange is one real request and the server's response, kept as bytes so that both can be
// handed to the validator (and tampered with) after the handler has consumed them.
type exchange struct {
	method, path, bearer string
	reqBody              []byte
	extra                http.Header // more request headers
	status               int
	header               http.Header
	body                 []byte
}

func (f *apiFixture) do(t *testing.T, method, path, bearer, body string) *exchange {
	t.Helper()
	return f.doWith(t, &exchange{method: method, path: path, bearer: bearer, reqBody: []byte(body)})
}

func (f *apiFixture) doWith(t *testing.T, x *exchange) *exchange {
	t.Helper()
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, x.request())
	res := rec.Result()
	x.status, x.header = res.StatusCode, res.Header
	x.body, _ = io.ReadAll(res.Body)
	return x
}

// request builds a fresh copy of the exchange's request.
func (x *exchange) request() *http.Request {
	var body io.Reader
	if x.reqBody != nil {
		body = bytes.NewReader(x.reqBody)
	}
	r := httptest.NewRequest(x.method, "http://bela.test"+x.path, body)
	if len(x.reqBody) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	if x.bearer != "" {
		r.Header.Set("Authorization", "Bearer "+x.bearer)
	}
	for k, vs := range x.extra {
		r.Header[k] = vs
	}
	return r
}

// response builds a fresh response carrying body (the real one, or a tampered copy).
func (x *exchange) response(body []byte) *http.Response {
	return &http.Response{
		StatusCode: x.status, Status: fmt.Sprintf("%d %s", x.status, http.StatusText(x.status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: x.header.Clone(), Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
	}
}

// validResponse fails the test unless the real response matches the document.
func validResponse(t *testing.T, v validator.Validator, x *exchange) {
	t.Helper()
	if ok, errs := v.ValidateHttpResponse(x.request(), x.response(x.body)); !ok {
		t.Errorf("%s %s → %d does not match openapi.json:\n%s\nbody: %s", x.method, x.path, x.status, describe(errs), x.body)
	}
}

// validExchange fails the test unless both the request and the response match the document.
func validExchange(t *testing.T, v validator.Validator, x *exchange) {
	t.Helper()
	if ok, errs := v.ValidateHttpRequestResponse(x.request(), x.response(x.body)); !ok {
		t.Errorf("%s %s → %d does not match openapi.json:\n%s\nbody: %s", x.method, x.path, x.status, describe(errs), x.body)
	}
}

func wantStatus(t *testing.T, x *exchange, want int) {
	t.Helper()
	if x.status != want {
		t.Fatalf("%s %s: status %d, want %d; body: %s", x.method, x.path, x.status, want, x.body)
	}
}

func wantErrorCode(t *testing.T, x *exchange, code string) map[string]any {
	t.Helper()
	var e struct {
		Error map[string]any `json:"error"`
	}
	if err := json.Unmarshal(x.body, &e); err != nil || e.Error == nil {
		t.Fatalf("%s %s: body is not the error shape (%v): %s", x.method, x.path, err, x.body)
	}
	if e.Error["code"] != code {
		t.Errorf("%s %s: error code %v, want %q", x.method, x.path, e.Error["code"], code)
	}
	if msg, _ := e.Error["message"].(string); msg == "" {
		t.Errorf("%s %s: error without message: %s", x.method, x.path, x.body)
	}
	return e.Error
}

func TestOpenAPIDocumentIsValid31(t *testing.T) {
	openAPIValidator(t)
	// The document served is the embedded one.
	f := newAPIFixture(t)
	x := f.do(t, "GET", "/api/v1/openapi.json", "", "")
	wantStatus(t, x, http.StatusOK)
	if !bytes.Equal(x.body, web.OpenAPI()) {
		t.Errorf("GET /api/v1/openapi.json differs from web.OpenAPI()")
	}
}

func TestAPIResponsesMatchOpenAPI(t *testing.T) {
	v := openAPIValidator(t)
	f := newAPIFixture(t)
	first, secret := f.token(t, f.alice, "laptop")
	_, bobSecret := f.token(t, f.bob, "bob")

	t.Run("me", func(t *testing.T) {
		x := f.do(t, "GET", "/api/v1/me", secret, "")
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		var me struct {
			ID          int64
			Email       string
			Roles       []string
			Memberships []struct {
				Role    string `json:"role"`
				ValidTo string `json:"valid_to"`
			}
		}
		if err := json.Unmarshal(x.body, &me); err != nil {
			t.Fatal(err)
		}
		if me.ID != f.alice.ID || me.Email != "alice@pemkomedan.example" || len(me.Memberships) != 3 {
			t.Errorf("/me = %s", x.body)
		}
		acting := false
		for _, m := range me.Memberships {
			acting = acting || (m.Role == "approver" && m.ValidTo != "")
		}
		if !acting {
			t.Errorf("/me does not show the acting approver's end date: %s", x.body)
		}
	})

	t.Run("me without credentials", func(t *testing.T) {
		x := f.do(t, "GET", "/api/v1/me", "", "")
		wantStatus(t, x, http.StatusUnauthorized)
		wantErrorCode(t, x, "unauthorized")
		validResponse(t, v, x)
		// The document requires a bearer token, so the validator must refuse the request itself.
		if ok, _ := v.ValidateHttpRequest(x.request()); ok {
			t.Errorf("a request without Authorization passed the document's bearer security requirement")
		}
		if got := x.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", got)
		}
	})

	t.Run("me with an unknown token", func(t *testing.T) {
		x := f.do(t, "GET", "/api/v1/me", "bela_notarealtoken", "")
		wantStatus(t, x, http.StatusUnauthorized)
		wantErrorCode(t, x, "unauthorized")
		validExchange(t, v, x)
	})

	var created struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	t.Run("create token", func(t *testing.T) {
		x := f.do(t, "POST", "/api/v1/tokens", secret, `{"name":"skrip laporan"}`)
		wantStatus(t, x, http.StatusCreated)
		validExchange(t, v, x)
		if err := json.Unmarshal(x.body, &created); err != nil || created.ID == 0 || !strings.HasPrefix(created.Token, "bela_") {
			t.Fatalf("created token = %s (%v)", x.body, err)
		}
	})

	t.Run("the new token works", func(t *testing.T) {
		x := f.do(t, "GET", "/api/v1/me", created.Token, "")
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
	})

	t.Run("list tokens", func(t *testing.T) {
		x := f.do(t, "GET", "/api/v1/tokens", secret, "")
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		var l struct{ Tokens []map[string]any }
		if err := json.Unmarshal(x.body, &l); err != nil || len(l.Tokens) != 2 {
			t.Fatalf("tokens = %s (%v)", x.body, err)
		}
		for _, tok := range l.Tokens {
			if _, leaked := tok["token"]; leaked {
				t.Errorf("token list shows a secret: %s", x.body)
			}
		}
	})

	invalid := []struct {
		name, body string
		field      string // a field the error names, if any
	}{
		{name: "empty name", body: `{"name":""}`, field: "name"},
		{name: "blank name", body: `{"name":"   "}`, field: "name"},
		{name: "long name", body: `{"name":"` + strings.Repeat("x", 101) + `"}`, field: "name"},
		{name: "unknown field", body: `{"name":"a","scope":"all"}`},
		{name: "not JSON", body: `name=a`},
		{name: "trailing data", body: `{"name":"a"} {"name":"b"}`},
	}
	for _, tc := range invalid {
		t.Run("create token: "+tc.name, func(t *testing.T) {
			x := f.do(t, "POST", "/api/v1/tokens", secret, tc.body)
			wantStatus(t, x, http.StatusUnprocessableEntity)
			e := wantErrorCode(t, x, "invalid")
			if tc.field != "" {
				fields, _ := e["fields"].(map[string]any)
				if msg, _ := fields[tc.field].(string); msg == "" {
					t.Errorf("error does not name field %q: %s", tc.field, x.body)
				}
			}
			validResponse(t, v, x)
		})
	}

	t.Run("create token: body too large", func(t *testing.T) {
		x := f.do(t, "POST", "/api/v1/tokens", secret, `{"name":"`+strings.Repeat("x", 8000)+`"}`)
		wantStatus(t, x, http.StatusRequestEntityTooLarge)
		wantErrorCode(t, x, "too_large")
		validResponse(t, v, x)
	})

	t.Run("create token from another site", func(t *testing.T) {
		x := f.doWith(t, &exchange{method: "POST", path: "/api/v1/tokens", bearer: secret, reqBody: []byte(`{"name":"x"}`),
			extra: http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}})
		wantStatus(t, x, http.StatusForbidden)
		wantErrorCode(t, x, "forbidden")
		validExchange(t, v, x)
	})

	t.Run("revoke token", func(t *testing.T) {
		x := f.do(t, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", created.ID), secret, "")
		wantStatus(t, x, http.StatusNoContent)
		validExchange(t, v, x)
		// A revoked token no longer signs in, and the answer still has the documented shape.
		y := f.do(t, "GET", "/api/v1/me", created.Token, "")
		wantStatus(t, y, http.StatusUnauthorized)
		validExchange(t, v, y)
		// Revoking it again is not found.
		z := f.do(t, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", created.ID), secret, "")
		wantStatus(t, z, http.StatusNotFound)
		validExchange(t, v, z)
	})

	t.Run("revoke unknown token", func(t *testing.T) {
		x := f.do(t, "DELETE", "/api/v1/tokens/999999", secret, "")
		wantStatus(t, x, http.StatusNotFound)
		wantErrorCode(t, x, "not_found")
		validExchange(t, v, x)
	})

	t.Run("revoke another user's token", func(t *testing.T) {
		x := f.do(t, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", first.ID), bobSecret, "")
		wantStatus(t, x, http.StatusNotFound)
		validExchange(t, v, x)
		// Alice's first token still works.
		y := f.do(t, "GET", "/api/v1/me", secret, "")
		wantStatus(t, y, http.StatusOK)
	})

	t.Run("tokens without credentials", func(t *testing.T) {
		for _, x := range []*exchange{
			f.do(t, "GET", "/api/v1/tokens", "", ""),
			f.do(t, "POST", "/api/v1/tokens", "", `{"name":"x"}`),
			f.do(t, "DELETE", "/api/v1/tokens/1", "", ""),
		} {
			wantStatus(t, x, http.StatusUnauthorized)
			wantErrorCode(t, x, "unauthorized")
			validResponse(t, v, x)
		}
	})
}

// TestOpenAPIRejectsWrongResponses makes sure the validation above has teeth: real responses,
// tampered with, must fail.
func TestOpenAPIRejectsWrongResponses(t *testing.T) {
	v := openAPIValidator(t)
	f := newAPIFixture(t)
	_, secret := f.token(t, f.alice, "laptop")
	me := f.do(t, "GET", "/api/v1/me", secret, "")
	wantStatus(t, me, http.StatusOK)
	validResponse(t, v, me) // the untouched response passes
	unauth := f.do(t, "GET", "/api/v1/me", "", "")
	wantStatus(t, unauth, http.StatusUnauthorized)
	list := f.do(t, "GET", "/api/v1/tokens", secret, "")
	wantStatus(t, list, http.StatusOK)

	tests := []struct {
		name   string
		x      *exchange
		tamper func(m map[string]any)
		status int // when non-zero, the status is changed instead
	}{
		{name: "me without a required field", x: me, tamper: func(m map[string]any) { delete(m, "email") }},
		{name: "me with an undeclared field", x: me, tamper: func(m map[string]any) { m["password_hash"] = "x" }},
		{name: "me with a wrong type", x: me, tamper: func(m map[string]any) { m["id"] = "1" }},
		{name: "me with an unknown role", x: me, tamper: func(m map[string]any) { m["roles"] = []any{"superuser"} }},
		{name: "me with a bad date", x: me, tamper: func(m map[string]any) {
			ms := m["memberships"].([]any)
			for _, x := range ms {
				if mm := x.(map[string]any); mm["valid_to"] != nil {
					mm["valid_to"] = "next month"
				}
			}
		}},
		{name: "error without message", x: unauth, tamper: func(m map[string]any) { delete(m["error"].(map[string]any), "message") }},
		{name: "error with an unknown code", x: unauth, tamper: func(m map[string]any) { m["error"].(map[string]any)["code"] = "oops" }},
		{name: "token list leaking a secret", x: list, tamper: func(m map[string]any) {
			m["tokens"].([]any)[0].(map[string]any)["token"] = "bela_secret"
		}},
		{name: "undeclared status", x: me, status: http.StatusTeapot},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.x.body
			if tc.tamper != nil {
				var m map[string]any
				if err := json.Unmarshal(body, &m); err != nil {
					t.Fatal(err)
				}
				tc.tamper(m)
				var err error
				if body, err = json.Marshal(m); err != nil {
					t.Fatal(err)
				}
			}
			x := *tc.x
			if tc.status != 0 {
				x.status = tc.status
			}
			ok, errs := v.ValidateHttpResponse(x.request(), x.response(body))
			if ok {
				t.Fatalf("a wrong response passed validation: %d %s", x.status, body)
			}
			t.Logf("refused as expected:\n%s", describe(errs))
		})
	}
}

package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
	"bela/internal/web"
)

var ctx = context.Background()

// fixture is a server with two units and two sellers, and one signed-in user per role in the
// first unit or seller (sessions and API tokens ready).
type fixture struct {
	t        *testing.T
	s        *store.Store
	clock    *storetest.Clock
	srv      *web.Server
	unit1    store.Unit
	unit2    store.Unit
	seller1  store.Seller
	seller2  store.Seller
	sessions map[market.Role]string
	tokens   map[market.Role]string
	ids      map[market.Role]int64
	other    int64 // a buyer of unit2
}

const password = "kata-sandi-uji"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	c := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, c)
	f := &fixture{t: t, s: s, clock: c, sessions: map[market.Role]string{}, tokens: map[market.Role]string{}, ids: map[market.Role]int64{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetInstance(ctx, store.System, store.Instance{Name: "Pemerintah Kota Medan", RegionCode: "12.71", TimeZone: "Asia/Jakarta"}))
	var err error
	f.unit1, err = s.CreateUnit(ctx, store.System, "U1", "Dinas Pendidikan")
	must(err)
	f.unit2, err = s.CreateUnit(ctx, store.System, "U2", "Dinas Kesehatan")
	must(err)
	f.seller1, err = s.CreateSeller(ctx, store.System, "UD Satu", "Medan Baru", "verified")
	must(err)
	f.seller2, err = s.CreateSeller(ctx, store.System, "UD Dua", "Medan Kota", "verified")
	must(err)
	hash := store.HashPassword(password)
	for _, r := range market.Roles {
		g := store.Grant{Role: r}
		switch market.ScopeOf(r) {
		case market.ScopeUnit:
			g.ScopeID = f.unit1.ID
		case market.ScopeSeller:
			g.ScopeID = f.seller1.ID
		}
		id, err := s.CreateUserWithHash(ctx, store.System, store.NewUser{Name: "Pengguna " + string(r), Email: string(r) + "@bela.test"}, hash, g)
		must(err)
		f.ids[r] = id
		f.sessions[r], err = s.CreateSession(ctx, id)
		must(err)
		_, f.tokens[r], err = s.CreateAPIToken(ctx, id, "uji", store.DefaultAPITokenDays)
		must(err)
	}
	f.other, err = s.CreateUserWithHash(ctx, store.System, store.NewUser{Name: "Pembeli Dinkes", Email: "buyer2@bela.test", NIP: "198001012005011001"}, hash, store.Grant{Role: market.RoleBuyer, ScopeID: f.unit2.ID})
	must(err)
	f.srv, err = web.New(ctx, web.Config{Store: s, Clock: c, PublicURL: "http://bela.test"})
	must(err)
	return f
}

// do sends a request as role ("" for anonymous) and returns the response with its body read.
func (f *fixture) do(role market.Role, method, target string, body io.Reader, hdr ...string) (*http.Response, string) {
	f.t.Helper()
	req := httptest.NewRequest(method, target, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if role != "" {
		req.AddCookie(&http.Cookie{Name: "bela_session", Value: f.sessions[role]})
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// renew gives role a fresh session.
func (f *fixture) renew(role market.Role) {
	f.t.Helper()
	tok, err := f.s.CreateSession(ctx, f.ids[role])
	if err != nil {
		f.t.Fatal(err)
	}
	f.sessions[role] = tok
}

func form(kv ...string) io.Reader {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return strings.NewReader(v.Encode())
}

var patternVar = regexp.MustCompile(`\{[^}]+\}`)

// concrete turns a route pattern into a method and path with sample ids.
func concrete(pattern string) (string, string) {
	method, path, _ := strings.Cut(pattern, " ")
	path = strings.ReplaceAll(path, "{file}", "style.css")
	path = patternVar.ReplaceAllString(path, "999999")
	return method, path
}

// TestEveryRouteWithEveryRole walks the whole URL surface as anonymous and as each role: a
// route answers 401/redirect-to-login without a session, 403 for roles it does not list, and
// never 401/403 for roles it allows.
func TestEveryRouteWithEveryRole(t *testing.T) {
	f := newFixture(t)
	for _, rt := range f.srv.Routes() {
		method, path := concrete(rt.Pattern)
		t.Run(rt.Pattern, func(t *testing.T) {
			if rt.Access == 0 {
				t.Fatal("route declares no access")
			}
			for _, role := range append([]market.Role{""}, market.Roles...) {
				var body io.Reader
				if method == http.MethodPost || method == http.MethodDelete {
					body = form()
				}
				if role != "" {
					f.renew(role) // the walk includes logout, which ends the session
				}
				res, _ := f.do(role, method, path, body)
				if rt.Access == web.Public {
					// A public route may still answer 401 (a failed sign-in), but never 403.
					if res.StatusCode == http.StatusForbidden {
						t.Errorf("public route refused role %q", role)
					}
					continue
				}
				allowed := rt.Access == web.Public || (role != "" && (rt.Access == web.SignedIn || contains(rt.Roles, role)))
				denied := res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized ||
					(res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/masuk"))
				if allowed && denied {
					t.Errorf("role %q allowed but got %d", role, res.StatusCode)
				}
				if !allowed && !denied {
					t.Errorf("role %q not allowed but got %d", role, res.StatusCode)
				}
				if !allowed && role == "" && res.StatusCode == http.StatusForbidden {
					t.Errorf("anonymous got 403, want 401 or a redirect to sign in")
				}
			}
		})
	}
}

func contains(rs []market.Role, r market.Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// TestAPITokensAuthenticateAndRevoke checks Bearer tokens on /api/v1.
func TestAPITokensAuthenticateAndRevoke(t *testing.T) {
	f := newFixture(t)
	res, body := f.do("", "GET", "/api/v1/me", nil)
	if res.StatusCode != 401 || !strings.Contains(body, `"code": "unauthorized"`) {
		t.Fatalf("no credentials: %d %s", res.StatusCode, body)
	}
	res, body = f.do("", "GET", "/api/v1/me", nil, "Authorization", "Bearer "+f.tokens[market.RoleBuyer])
	if res.StatusCode != 200 || !strings.Contains(body, `"buyer"`) || !strings.Contains(body, "Dinas Pendidikan") {
		t.Fatalf("me: %d %s", res.StatusCode, body)
	}
	res, _ = f.do("", "GET", "/api/v1/me", nil, "Authorization", "Bearer bela_wrong")
	if res.StatusCode != 401 {
		t.Errorf("bad token: %d", res.StatusCode)
	}
	// Tokens are for the API only, not pages.
	res, _ = f.do("", "GET", "/beranda", nil, "Authorization", "Bearer "+f.tokens[market.RoleBuyer])
	if res.StatusCode == 200 {
		t.Error("a Bearer token opened a page")
	}
	// A deactivated user's token stops working at once.
	admin, _ := f.s.Principal(ctx, f.ids[market.RoleAdmin])
	if err := f.s.SetActive(ctx, admin, f.ids[market.RoleBuyer], false); err != nil {
		t.Fatal(err)
	}
	res, _ = f.do("", "GET", "/api/v1/me", nil, "Authorization", "Bearer "+f.tokens[market.RoleBuyer])
	if res.StatusCode != 401 {
		t.Errorf("deactivated user's token: %d", res.StatusCode)
	}
	res, _ = f.do(market.RoleBuyer, "GET", "/beranda", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("deactivated user's session: %d", res.StatusCode)
	}
}

// TestCrossScopeObjects tries other units' and sellers' users by id.
func TestCrossScopeObjects(t *testing.T) {
	f := newFixture(t)
	// Unit 1's admin sees unit 1's buyer but not unit 2's.
	res, _ := f.do(market.RoleUnitAdmin, "GET", fmt.Sprintf("/pengguna/%d", f.ids[market.RoleBuyer]), nil)
	if res.StatusCode != 200 {
		t.Errorf("own unit's user: %d", res.StatusCode)
	}
	for _, tc := range []struct {
		name   string
		role   market.Role
		method string
		path   string
		body   io.Reader
	}{
		{"other unit's user page", market.RoleUnitAdmin, "GET", fmt.Sprintf("/pengguna/%d", f.other), nil},
		{"deactivate other unit's user", market.RoleUnitAdmin, "POST", fmt.Sprintf("/pengguna/%d/status", f.other), form("active", "0")},
		{"grant in other unit's user", market.RoleUnitAdmin, "POST", fmt.Sprintf("/pengguna/%d/peran", f.other), form("grant", fmt.Sprintf("approver:%d", f.unit1.ID))},
		{"seller owner sees a unit's user", market.RoleSellerOwner, "GET", fmt.Sprintf("/pengguna/%d", f.ids[market.RoleBuyer]), nil},
		{"revoke another user's token", market.RoleBuyer, "POST", "/akun/token/1/cabut", form()},
		{"read another user's message", market.RoleBuyer, "POST", "/kotak-masuk/999/baca", form()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := f.do(tc.role, tc.method, tc.path, tc.body)
			if res.StatusCode != 404 {
				t.Errorf("got %d, want 404", res.StatusCode)
			}
		})
	}
	// Unit 1's admin cannot grant a role in unit 2 to their own user.
	res, body := f.do(market.RoleUnitAdmin, "POST", fmt.Sprintf("/pengguna/%d/peran", f.ids[market.RoleBuyer]), form("grant", fmt.Sprintf("approver:%d", f.unit2.ID)))
	if res.StatusCode != 422 || !strings.Contains(body, "tidak berwenang") {
		t.Errorf("grant in another unit: %d", res.StatusCode)
	}
	u, _ := f.s.GetUser(ctx, f.ids[market.RoleBuyer])
	if len(u.Memberships) != 1 {
		t.Errorf("memberships changed: %+v", u.Memberships)
	}
	// The API answers the same for another user's token id.
	req := httptest.NewRequest("DELETE", "/api/v1/tokens/1", nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens[market.RoleBuyer])
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Code != 404 {
		t.Errorf("API revoke of another user's token: %d", rec.Code)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	f := newFixture(t)
	res, _ := f.do(market.RoleUnitAdmin, "POST", fmt.Sprintf("/pengguna/%d/status", f.ids[market.RoleBuyer]), form("active", "0"),
		"Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")
	if res.StatusCode != 403 {
		t.Fatalf("cross-origin post: %d", res.StatusCode)
	}
	u, _ := f.s.GetUser(ctx, f.ids[market.RoleBuyer])
	if !u.Active {
		t.Error("cross-origin post changed the user")
	}
	res, _ = f.do(market.RoleUnitAdmin, "POST", fmt.Sprintf("/pengguna/%d/status", f.ids[market.RoleBuyer]), form("active", "0"), "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin post: %d", res.StatusCode)
	}
}

func TestLoginLogoutAndRateLimit(t *testing.T) {
	f := newFixture(t)
	res, body := f.do("", "POST", "/masuk", form("email", "buyer@bela.test", "password", "salah"))
	if res.StatusCode != 401 || !strings.Contains(body, "E-mail atau kata sandi salah") || !strings.Contains(body, `value="buyer@bela.test"`) {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	res, _ = f.do("", "POST", "/masuk", form("email", "buyer@bela.test", "password", password, "next", "//evil.example"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/beranda" {
		t.Fatalf("login: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	var sess *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "bela_session" {
			sess = c
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie: %+v", sess)
	}
	f.sessions["x"] = sess.Value
	res, body = f.do("x", "GET", "/beranda", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "Pejabat Pengadaan") {
		t.Fatalf("dashboard: %d", res.StatusCode)
	}
	res, _ = f.do("x", "POST", "/keluar", form())
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	res, _ = f.do("x", "GET", "/beranda", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("session alive after logout: %d", res.StatusCode)
	}
	// Five failures lock the account, even with the right password, until the window passes.
	for range 5 {
		f.do("", "POST", "/masuk", form("email", "approver@bela.test", "password", "salah"))
	}
	res, body = f.do("", "POST", "/masuk", form("email", "approver@bela.test", "password", password))
	if res.StatusCode != 429 || !strings.Contains(body, "Terlalu banyak") {
		t.Errorf("locked account: %d", res.StatusCode)
	}
	f.clock.Advance(16 * 60 * 1e9)
	res, _ = f.do("", "POST", "/masuk", form("email", "approver@bela.test", "password", password))
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("after the window: %d", res.StatusCode)
	}
}

func TestOversizedBodyRefused(t *testing.T) {
	f := newFixture(t)
	big := strings.Repeat("a", 2<<20)
	res, body := f.do("", "POST", "/api/v1/tokens", strings.NewReader(`{"name":"`+big+`"}`), "Authorization", "Bearer "+f.tokens[market.RoleBuyer], "Content-Type", "application/json")
	if res.StatusCode != 413 || !strings.Contains(body, "too_large") {
		t.Errorf("oversized JSON: %d %s", res.StatusCode, body[:min(len(body), 200)])
	}
	res, _ = f.do("", "POST", "/masuk", strings.NewReader("email=a&password="+big))
	if res.StatusCode != 413 {
		t.Errorf("oversized form: %d", res.StatusCode)
	}
}

func TestInviteKeepsInputOnError(t *testing.T) {
	f := newFixture(t)
	grant := fmt.Sprintf("approver:%d", f.unit1.ID)
	res, body := f.do(market.RoleUnitAdmin, "POST", "/pengguna/undang", form("name", "Siti Aminah", "email", "bukan-email", "grant", grant, "nip", "123"))
	if res.StatusCode != 422 {
		t.Fatalf("invalid invite: %d", res.StatusCode)
	}
	for _, want := range []string{`value="Siti Aminah"`, `value="bukan-email"`, "Alamat e-mail tidak valid", "NIP terdiri dari 18 angka"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	users, _ := f.s.ListUsers(ctx, store.UserFilter{Query: "Siti"})
	if len(users) != 0 {
		t.Error("invalid invite stored a user")
	}
	res, _ = f.do(market.RoleUnitAdmin, "POST", "/pengguna/undang", form("name", "Siti Aminah", "email", "siti@bela.test", "grant", grant, "to", "2026-12-31"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", res.StatusCode)
	}
	users, _ = f.s.ListUsers(ctx, store.UserFilter{Query: "Siti"})
	if len(users) != 1 || users[0].Memberships[0].Role != market.RoleApprover || users[0].Memberships[0].ValidTo.IsZero() {
		t.Fatalf("invited user: %+v", users)
	}
}

// TestPagesRender opens every page a user can GET, in both languages, and the error pages.
func TestPagesRender(t *testing.T) {
	f := newFixture(t)
	pages := map[market.Role][]string{
		"":                   {"/", "/masuk", "/kata-sandi/lupa", "/kata-sandi/atur?token=x", "/belanja", "/belanja?tahun=2026", "/belanja/pesanan", "/belanja/pesanan?tahun=2026&status=approved", "/belanja/data", fmt.Sprintf("/belanja/unit/%d", f.unit1.ID), fmt.Sprintf("/belanja/unit/%d?tahun=2026", f.unit1.ID)},
		market.RoleAdmin:     {"/beranda", "/akun", "/kotak-masuk", "/pengguna", "/pengguna/undang", fmt.Sprintf("/pengguna/%d", f.ids[market.RoleBuyer]), "/audit", "/audit?type=user&from=2026-01-01&to=2026-12-31"},
		market.RoleUnitAdmin: {"/pengguna", "/pengguna/undang"},
		market.RoleAuditor:   {"/pemeriksaan", "/pemeriksaan?tanda=split&tahun=2026&unit=1&tanpa_kasus=1", "/pemeriksaan/kasus", "/pemeriksaan/kasus?status=closed"},
	}
	for _, lang := range []string{"id", "en"} {
		for role, paths := range pages {
			for _, p := range paths {
				req := httptest.NewRequest("GET", p, nil)
				req.AddCookie(&http.Cookie{Name: "bela_lang", Value: lang})
				if role != "" {
					req.AddCookie(&http.Cookie{Name: "bela_session", Value: f.sessions[role]})
				}
				rec := httptest.NewRecorder()
				f.srv.ServeHTTP(rec, req)
				if rec.Code != 200 || !strings.Contains(rec.Body.String(), `<html lang="`+lang+`">`) {
					t.Errorf("%s %s as %q: %d", lang, p, role, rec.Code)
				}
			}
		}
	}
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/tidak-ada", 404, "Halaman tidak ditemukan"},
		{"/audit", 403, "Akses ditolak"},
	} {
		res, body := f.do(market.RoleBuyer, "GET", tc.path, nil)
		if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d", tc.path, res.StatusCode)
		}
	}
	req := httptest.NewRequest("GET", "/tidak-ada", nil)
	req.AddCookie(&http.Cookie{Name: "bela_lang", Value: "en"})
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "Page not found") {
		t.Errorf("English 404: %d", rec.Code)
	}
}

func TestPrivateDataStaysOffPublicPagesAndLogs(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/", "/masuk", "/api/v1/openapi.json"} {
		_, body := f.do("", "GET", p, nil)
		if strings.Contains(body, "198001012005011001") || strings.Contains(body, "buyer2@bela.test") {
			t.Errorf("%s shows private data", p)
		}
	}
	_, body := f.do(market.RoleAuditor, "GET", "/audit", nil)
	if strings.Contains(body, "198001012005011001") {
		t.Error("the audit trail's public detail shows a NIP")
	}
}

func TestOperationsEndpoints(t *testing.T) {
	f := newFixture(t)
	if res, body := f.do("", "GET", "/healthz", nil); res.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", res.StatusCode, body)
	}
	if res, _ := f.do("", "GET", "/readyz", nil); res.StatusCode != 200 {
		t.Errorf("readyz: %d", res.StatusCode)
	}
	f.do("", "GET", "/masuk", nil)
	res, body := f.do(market.RoleAdmin, "GET", "/metrics", nil)
	if res.StatusCode != 200 || !strings.Contains(body, `bela_http_requests_total{route="GET /masuk",status="200"} 1`) || !strings.Contains(body, "bela_http_request_duration_seconds_bucket") {
		t.Errorf("metrics: %d\n%s", res.StatusCode, body)
	}
	f.s.Close()
	if res, _ := f.do("", "GET", "/readyz", nil); res.StatusCode != 503 {
		t.Errorf("readyz with the database closed: %d", res.StatusCode)
	}
}

func TestStaticCacheBusting(t *testing.T) {
	f := newFixture(t)
	_, page := f.do("", "GET", "/masuk", nil)
	m := regexp.MustCompile(`href="(/static/style\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no cache-busted stylesheet link")
	}
	res, _ := f.do("", "GET", m[1], nil)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet: %d %v", res.StatusCode, res.Header)
	}
}

package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// apiToken is a token as the API shows it.
type apiToken struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Token     string    `json:"token"`
}

// Creating a token through the API takes an optional lifetime (90 days when absent), answers
// with the expiry and lists it; another lifetime is refused with the field named.
func TestAPITokenLifetimeThroughTheAPI(t *testing.T) {
	v := openAPIValidator(t)
	f := newAPIFixture(t)
	_, secret := f.token(t, f.alice, "laptop")

	create := func(body string, days int) apiToken {
		t.Helper()
		x := f.do(t, "POST", "/api/v1/tokens", secret, body)
		wantStatus(t, x, http.StatusCreated)
		validExchange(t, v, x)
		var tok apiToken
		if err := json.Unmarshal(x.body, &tok); err != nil {
			t.Fatal(err)
		}
		if want := tok.CreatedAt.Add(time.Duration(days) * 24 * time.Hour); !tok.ExpiresAt.Equal(want) || tok.CreatedAt.IsZero() {
			t.Errorf("%s: expires_at %v, want %v: %s", body, tok.ExpiresAt, want, x.body)
		}
		if y := f.do(t, "GET", "/api/v1/me", tok.Token, ""); y.status != http.StatusOK {
			t.Errorf("%s: the new token does not work: %d", body, y.status)
		}
		return tok
	}
	plain := create(`{"name":"tanpa masa"}`, 90)
	short := create(`{"name":"sebulan","expires_in_days":30}`, 30)
	long := create(`{"name":"setahun","expires_in_days":365}`, 365)

	x := f.do(t, "GET", "/api/v1/tokens", secret, "")
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)
	var l struct{ Tokens []apiToken }
	if err := json.Unmarshal(x.body, &l); err != nil {
		t.Fatal(err)
	}
	listed := map[int64]time.Time{}
	for _, tok := range l.Tokens {
		listed[tok.ID] = tok.ExpiresAt
	}
	for _, tok := range []apiToken{plain, short, long} {
		if !listed[tok.ID].Equal(tok.ExpiresAt) {
			t.Errorf("token %q listed with expires_at %v, want %v: %s", tok.Name, listed[tok.ID], tok.ExpiresAt, x.body)
		}
	}

	for _, c := range []struct{ name, body, lang, message string }{
		{"45 days", `{"name":"x","expires_in_days":45}`, "", "Masa berlaku token harus 30, 90, 180 atau 365 hari."},
		{"zero days", `{"name":"x","expires_in_days":0}`, "", "Masa berlaku token harus 30, 90, 180 atau 365 hari."},
		{"in English", `{"name":"x","expires_in_days":3650}`, "en", "The token's lifetime must be 30, 90, 180 or 365 days."},
		{"not a number", `{"name":"x","expires_in_days":"90"}`, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := f.doWith(t, &exchange{method: "POST", path: "/api/v1/tokens", bearer: secret, reqBody: []byte(c.body),
				extra: http.Header{"Accept-Language": {c.lang}}})
			wantStatus(t, x, http.StatusUnprocessableEntity)
			e := wantErrorCode(t, x, "invalid")
			fields, _ := e["fields"].(map[string]any)
			msg, _ := fields["expires_in_days"].(string)
			if msg == "" || (c.message != "" && msg != c.message) {
				t.Errorf("field expires_in_days says %q, want %q: %s", msg, c.message, x.body)
			}
			validResponse(t, v, x)
		})
	}
	if ts, _ := f.s.ListAPITokens(ctx, f.alice.ID); len(ts) != 4 {
		t.Errorf("refused requests made tokens: %d tokens", len(ts))
	}
}

// An expired token is refused with its own message.
func TestExpiredAPITokenThroughTheAPI(t *testing.T) {
	f := newFixture(t)
	bearer := "Bearer " + f.tokens[market.RoleBuyer]
	f.clock.Advance(time.Duration(store.DefaultAPITokenDays)*24*time.Hour - time.Minute)
	if res, body := f.do("", "GET", "/api/v1/me", nil, "Authorization", bearer); res.StatusCode != http.StatusOK {
		t.Fatalf("a token a minute before its expiry: %d %s", res.StatusCode, body)
	}
	f.clock.Advance(time.Minute)
	res, body := f.do("", "GET", "/api/v1/me", nil, "Authorization", bearer)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Token API sudah kedaluwarsa. Buat token baru di halaman Akun.") {
		t.Errorf("an expired token: %d %s", res.StatusCode, body)
	}
}

// Changing the password on /akun revokes the owner's API tokens, and only theirs.
func TestPasswordChangeOnAccountPageRevokesTokens(t *testing.T) {
	f := newFixture(t)
	me := func(role market.Role) int {
		res, _ := f.do("", "GET", "/api/v1/me", nil, "Authorization", "Bearer "+f.tokens[role])
		return res.StatusCode
	}
	if me(market.RoleBuyer) != http.StatusOK {
		t.Fatal("the buyer's token does not work to begin with")
	}
	res, body := f.do(market.RoleBuyer, "GET", "/akun", nil)
	wantPage(t, "account", res, body, http.StatusOK)
	wantBody(t, "account", body, "Mengganti kata sandi juga mencabut semua token API Anda.")

	res, body = f.do(market.RoleBuyer, "POST", "/akun/kata-sandi", form("current", password, "password", "kata-sandi-baru-sekali"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d %s", res.StatusCode, body)
	}
	if got := me(market.RoleBuyer); got != http.StatusUnauthorized {
		t.Errorf("the buyer's token after the password change: %d", got)
	}
	if got := me(market.RoleApprover); got != http.StatusOK {
		t.Errorf("another user's token after the buyer's password change: %d", got)
	}
	// The page shows the token as revoked.
	f.renew(market.RoleBuyer)
	res, body = f.do(market.RoleBuyer, "GET", "/akun", nil)
	wantPage(t, "account after the change", res, body, http.StatusOK)
	if strings.Contains(body, "/cabut") || !strings.Contains(body, "Dicabut") {
		t.Errorf("the revoked token is not shown as revoked")
	}
}

// tokenRow returns the account page's table row of the token with the name.
func tokenRow(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr data-token="\d+"><td>` + regexp.QuoteMeta(name) + `</td>.*?</tr>`).FindString(body)
	if m == "" {
		t.Fatalf("the page lists no token %q", name)
	}
	return m
}

// /akun lists each token's expiry date (in the instance's zone) and marks expired ones; the
// token form offers the lifetimes, 90 days first chosen, and keeps what was typed and chosen
// when it is refused.
func TestAccountPageTokenExpiry(t *testing.T) {
	f := newFixture(t)
	res, body := f.do(market.RoleBuyer, "GET", "/akun", nil)
	wantPage(t, "account", res, body, http.StatusOK)
	wantBody(t, "account", body, "<th>Berlaku sampai</th>", `<label for="tdays">Berlaku selama</label>`,
		`<option value="30">30 hari</option>`, `<option value="90" selected>90 hari</option>`, `<option value="180">180 hari</option>`, `<option value="365">365 hari</option>`)
	// The fixture's token: 90 days from 27 November 2026 09.00 WIB.
	if row := tokenRow(t, body, "uji"); !strings.Contains(row, "<td>25-02-2027</td>") || !strings.Contains(row, "/cabut") {
		t.Errorf("the token's row lacks its expiry or revoke button: %s", row)
	}

	// A refused form keeps the name and the lifetime.
	res, body = f.do(market.RoleBuyer, "POST", "/akun/token", form("name", "  ", "days", "180"))
	wantPage(t, "token without a name", res, body, http.StatusUnprocessableEntity)
	wantNextTo(t, body, "tname", "Nama token wajib diisi")
	wantBody(t, "token without a name", body, `<option value="180" selected>`)
	if strings.Contains(body, `<option value="90" selected>`) {
		t.Error("the default lifetime is chosen instead of the one sent")
	}
	res, body = f.do(market.RoleBuyer, "POST", "/akun/token", form("name", "skrip laporan", "days", "45"))
	wantPage(t, "token with a bad lifetime", res, body, http.StatusUnprocessableEntity)
	wantNextTo(t, body, "tname", `value="skrip laporan"`)
	wantNextTo(t, body, "tdays", "Masa berlaku token harus 30, 90, 180 atau 365 hari.")
	if ts, _ := f.s.ListAPITokens(ctx, f.ids[market.RoleBuyer]); len(ts) != 1 {
		t.Errorf("refused forms made tokens: %+v", ts)
	}

	// A token made for 30 days at 01.00 WIB, still the day before in UTC: its date is the
	// instance's.
	f.clock.Advance(16 * time.Hour)
	f.renew(market.RoleBuyer)
	res, body = f.do(market.RoleBuyer, "POST", "/akun/token", form("name", "sebulan", "days", "30"))
	wantPage(t, "token for 30 days", res, body, http.StatusOK)
	wantBody(t, "token for 30 days", body, `data-testid="new-token"`, `<option value="90" selected>`)
	if row := tokenRow(t, body, "sebulan"); !strings.Contains(row, "<td>28-12-2026</td>") {
		t.Errorf("the new token's row: %s", row)
	}

	// After 30 days the new token is expired: no revoke button, the word instead.
	f.clock.Advance(30 * 24 * time.Hour)
	f.renew(market.RoleBuyer)
	res, body = f.do(market.RoleBuyer, "GET", "/akun", nil)
	wantPage(t, "account a month later", res, body, http.StatusOK)
	if row := tokenRow(t, body, "sebulan"); !strings.Contains(row, "<td>Kedaluwarsa</td>") || strings.Contains(row, "/cabut") {
		t.Errorf("the expired token's row: %s", row)
	}
	if row := tokenRow(t, body, "uji"); strings.Contains(row, "Kedaluwarsa") || !strings.Contains(row, "/cabut") {
		t.Errorf("the live token's row: %s", row)
	}

	// In English.
	res, body = f.do(market.RoleBuyer, "GET", "/akun", nil, "Cookie", "bela_lang=en")
	wantPage(t, "account in English", res, body, http.StatusOK)
	wantBody(t, "account in English", body, "<th>Valid until</th>", "Valid for", `<option value="90" selected>90 days</option>`,
		"<td>Expired</td>", "Changing your password also revokes all your API tokens.")
}

package store_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

const day = 24 * time.Hour

// tokenOwner makes an instance (in Asia/Jakarta) and a user with a password.
func tokenOwner(t *testing.T, s *store.Store, email string) store.User {
	t.Helper()
	if _, err := s.GetInstance(ctx); err != nil {
		if err := s.SetInstance(ctx, store.System, store.Instance{Name: "Pemerintah Kota Medan", RegionCode: "12.71", TimeZone: "Asia/Jakarta"}); err != nil {
			t.Fatal(err)
		}
	}
	u, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Pemilik " + email, Email: email, Password: "rahasia-sekali"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func newToken(t *testing.T, s *store.Store, userID int64, name string, days int) (store.APIToken, string) {
	t.Helper()
	tok, secret, err := s.CreateAPIToken(ctx, userID, name, days)
	if err != nil {
		t.Fatalf("CreateAPIToken(%q, %d): %v", name, days, err)
	}
	return tok, secret
}

// auditChanges returns the changes of the newest audit event with the action on the object.
func auditChanges(t *testing.T, s *store.Store, objectType string, id int64, action string) map[string]json.RawMessage {
	t.Helper()
	rows, err := s.ListAudit(ctx, store.AuditFilter{ObjectType: objectType, ObjectID: id, Action: action})
	if err != nil || len(rows) == 0 {
		t.Fatalf("audit %s %s/%d: %d rows, %v", action, objectType, id, len(rows), err)
	}
	var ev struct {
		Changes map[string]struct {
			After json.RawMessage `json:"after"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(rows[0].Canonical, &ev); err != nil {
		t.Fatal(err)
	}
	out := map[string]json.RawMessage{}
	for k, c := range ev.Changes {
		out[k] = c.After
	}
	return out
}

func TestAPITokenLifetimeIsChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u := tokenOwner(t, s, "rina@disdik.example")
		for _, days := range []int{0, -90, 1, 7, 89, 91, 366, 3650} {
			_, _, err := s.CreateAPIToken(ctx, u.ID, "laptop", days)
			e, ok := err.(*market.Error)
			if !ok || e.Code != market.CodeInvalid || e.Fields["expires_in_days"] != "Masa berlaku token harus 30, 90, 180 atau 365 hari." || len(e.Fields) != 1 {
				t.Errorf("%d days: %#v", days, err)
			}
		}
		// A bad name and a bad lifetime are both named.
		_, _, err := s.CreateAPIToken(ctx, u.ID, " ", 45)
		if e, ok := err.(*market.Error); !ok || e.Fields["name"] == "" || e.Fields["expires_in_days"] == "" {
			t.Errorf("bad name and lifetime: %#v", err)
		}
		if ts, err := s.ListAPITokens(ctx, u.ID); err != nil || len(ts) != 0 {
			t.Errorf("refused tokens were stored: %+v %v", ts, err)
		}
	})
}

func TestAPITokenExpiryIsStoredAndListed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u := tokenOwner(t, s, "rina@disdik.example")
		want := map[int64]time.Time{}
		for _, days := range store.APITokenLifetimes {
			made := c.Now()
			tok, _ := newToken(t, s, u.ID, "token", days)
			exp := made.Add(time.Duration(days) * day)
			if !tok.ExpiresAt.Equal(exp) {
				t.Errorf("%d days: created token expires %v, want %v", days, tok.ExpiresAt, exp)
			}
			want[tok.ID] = exp
			ch := auditChanges(t, s, "api_token", tok.ID, "api_token.create")
			if got := string(ch["expires_at"]); got != `"`+exp.Format(time.RFC3339)+`"` {
				t.Errorf("%d days: audit records expires_at %s, want %s", days, got, exp.Format(time.RFC3339))
			}
			c.Advance(time.Minute)
		}
		ts, err := s.ListAPITokens(ctx, u.ID)
		if err != nil || len(ts) != len(store.APITokenLifetimes) {
			t.Fatalf("list: %+v %v", ts, err)
		}
		for _, tok := range ts {
			if !tok.ExpiresAt.Equal(want[tok.ID]) {
				t.Errorf("token %d listed with expiry %v, want %v", tok.ID, tok.ExpiresAt, want[tok.ID])
			}
		}
		if store.DefaultAPITokenDays != 90 {
			t.Errorf("DefaultAPITokenDays = %d", store.DefaultAPITokenDays)
		}
	})
}

func TestExpiredAPITokenIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u := tokenOwner(t, s, "rina@disdik.example")
		_, short := newToken(t, s, u.ID, "pendek", 30)
		_, long := newToken(t, s, u.ID, "panjang", 90)
		c.Advance(30*day - time.Second)
		if p, err := s.TokenPrincipal(ctx, short); err != nil || p.UserID != u.ID {
			t.Fatalf("a token one second before its expiry: %v %v", p, err)
		}
		c.Advance(time.Second)
		_, err := s.TokenPrincipal(ctx, short)
		if e, ok := err.(*market.Error); !ok || e.Code != market.CodeUnauthorized || e.Message != "Token API sudah kedaluwarsa. Buat token baru di halaman Akun." {
			t.Errorf("expired token: %#v", err)
		}
		if p, err := s.TokenPrincipal(ctx, long); err != nil || p.UserID != u.ID {
			t.Errorf("a live token: %v %v", p, err)
		}
		// An unknown token keeps its own message.
		_, err = s.TokenPrincipal(ctx, store.APITokenPrefix+"tidak-ada")
		if e, ok := err.(*market.Error); !ok || e.Code != market.CodeUnauthorized || e.Message != "Token API tidak berlaku." {
			t.Errorf("unknown token: %#v", err)
		}
	})
}

func TestPasswordChangeRevokesAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u := tokenOwner(t, s, "rina@disdik.example")
		other := tokenOwner(t, s, "budi@disdik.example")
		_, a := newToken(t, s, u.ID, "laptop", 90)
		_, b := newToken(t, s, u.ID, "skrip", 365)
		old, _ := newToken(t, s, u.ID, "lama", 30)
		if err := s.RevokeAPIToken(ctx, u.ID, old.ID); err != nil {
			t.Fatal(err)
		}
		revokedAt := storetest.Start
		_, others := newToken(t, s, other.ID, "milik orang lain", 90)
		c.Advance(time.Hour)

		if err := s.ChangePassword(ctx, u.ID, "rahasia-sekali", "kata-sandi-baru"); err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{a, b} {
			if _, err := s.TokenPrincipal(ctx, secret); market.ErrorCode(err) != market.CodeUnauthorized {
				t.Errorf("a token after the password change: %v", err)
			}
		}
		if _, err := s.TokenPrincipal(ctx, others); err != nil {
			t.Errorf("another user's token was revoked too: %v", err)
		}
		ts, _ := s.ListAPITokens(ctx, u.ID)
		for _, tok := range ts {
			want := storetest.Start.Add(time.Hour)
			if tok.ID == old.ID {
				want = revokedAt // revoked before: its time stays
			}
			if !tok.RevokedAt.Equal(want) {
				t.Errorf("token %q revoked at %v, want %v", tok.Name, tok.RevokedAt, want)
			}
		}
		ch := auditChanges(t, s, "user", u.ID, "user.password_change")
		if got := string(ch["api_tokens_revoked"]); got != "2" {
			t.Errorf("password change records %s tokens revoked, want 2 (%v)", got, ch)
		}

		// With no live token left, the next change records no revocation.
		c.Advance(time.Hour)
		if err := s.ChangePassword(ctx, u.ID, "kata-sandi-baru", "kata-sandi-ketiga"); err != nil {
			t.Fatal(err)
		}
		if ch := auditChanges(t, s, "user", u.ID, "user.password_change"); len(ch) != 0 {
			t.Errorf("a change that revoked nothing records %v", ch)
		}

		// Setting the password through a reset link revokes too.
		_, c2 := newToken(t, s, u.ID, "baru", 30)
		link, err := s.RequestPasswordReset(ctx, "rina@disdik.example")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetPasswordWithToken(ctx, link, "kata-sandi-keempat"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenPrincipal(ctx, c2); market.ErrorCode(err) != market.CodeUnauthorized {
			t.Errorf("a token after a password reset: %v", err)
		}
		ch = auditChanges(t, s, "user", u.ID, "user.password_set")
		if string(ch["api_tokens_revoked"]) != "1" || string(ch["via"]) != `"reset"` {
			t.Errorf("password reset records %v", ch)
		}
	})
}

func TestAPITokenExpiryReminder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u := tokenOwner(t, s, "rina@disdik.example")
		other := tokenOwner(t, s, "budi@disdik.example")
		newToken(t, s, u.ID, "kedaluwarsa", 30) // expires before anyone runs the job
		c.Advance(31 * day)
		soon, _ := newToken(t, s, u.ID, "segera", 30)
		newToken(t, s, u.ID, "jauh", 365)
		gone, _ := newToken(t, s, u.ID, "dicabut", 30)
		if err := s.RevokeAPIToken(ctx, u.ID, gone.ID); err != nil {
			t.Fatal(err)
		}
		newToken(t, s, other.ID, "milik budi", 30)

		run := func(want int) {
			t.Helper()
			n, err := s.RemindExpiringAPITokens(ctx, 500)
			if err != nil || n != want {
				t.Fatalf("RemindExpiringAPITokens = %d, %v; want %d", n, err, want)
			}
		}
		// More than a week before the expiry: nothing yet.
		c.Advance(23*day - time.Hour)
		run(0)
		// Within the week: each owner once, however often the job runs.
		c.Advance(2 * time.Hour)
		run(2)
		run(0)
		c.Advance(3 * day)
		run(0)

		msgs, err := s.Inbox(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantSubject := `Token API "segera" berakhir ` + "27 Januari 2027" // 02.00 UTC, 09.00 WIB
		if !soon.ExpiresAt.Equal(time.Date(2027, 1, 27, 2, 0, 0, 0, time.UTC)) {
			t.Fatalf("the test's dates are off: %v", soon.ExpiresAt)
		}
		if len(msgs) != 1 || msgs[0].Subject != wantSubject || msgs[0].Link != "/akun" || !strings.Contains(msgs[0].Body, "09.00 WIB") {
			t.Errorf("inbox = %+v, want one message %q", msgs, wantSubject)
		}
		if msgs, _ := s.Inbox(ctx, other.ID); len(msgs) != 1 || !strings.Contains(msgs[0].Subject, `"milik budi"`) {
			t.Errorf("the other owner's inbox = %+v", msgs)
		}
		mails, err := s.DueEmails(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		sent := 0
		for _, m := range mails {
			if strings.HasPrefix(m.Subject, "Token API ") {
				sent++
				if m.Subject == wantSubject && (m.To != "rina@disdik.example" || !strings.Contains(m.Body, "http://bela.test/akun")) {
					t.Errorf("reminder e-mail = %+v", m)
				}
			}
		}
		if sent != 2 {
			t.Errorf("%d reminder e-mails, want 2: %+v", sent, mails)
		}
	})
}

// Migration 0013 gives the tokens made before tokens expired a year from their creation.
func TestMigrationGivesOldTokensAYear(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bela.db")
	c := storetest.NewClock(storetest.Start)
	open := func() *store.Store {
		t.Helper()
		s, err := store.Open(ctx, store.Config{Path: path, Clock: c, PublicURL: "http://bela.test"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	u := tokenOwner(t, s, "rina@disdik.example")
	tok, secret := newToken(t, s, u.ID, "lama", 30)
	// Back to the schema before 0013, with the token as it was stored then.
	for _, q := range []string{`ALTER TABLE api_tokens DROP COLUMN expires_at`, `ALTER TABLE api_tokens DROP COLUMN expiry_notified_at`,
		`DELETE FROM schema_migrations WHERE version = 13`} {
		if _, err := s.DB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()
	c.Advance(200 * day)
	s = open()
	defer s.Close()
	ts, err := s.ListAPITokens(ctx, u.ID)
	if err != nil || len(ts) != 1 {
		t.Fatalf("tokens after migrating: %+v %v", ts, err)
	}
	if want := tok.CreatedAt.Add(365 * day); !ts[0].ExpiresAt.Equal(want) {
		t.Errorf("an old token expires %v, want %v", ts[0].ExpiresAt, want)
	}
	if _, err := s.TokenPrincipal(ctx, secret); err != nil {
		t.Errorf("an old token within its year: %v", err)
	}
}

package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

var ctx = context.Background()

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	sq, pg := store.MigrationNames(store.SQLite), store.MigrationNames(store.Postgres)
	if diff := cmp.Diff(sq, pg); diff != "" {
		t.Errorf("sqlite and postgres migrations differ (-sqlite +postgres):\n%s", diff)
	}
	if len(sq) == 0 {
		t.Fatal("no migrations found")
	}
}

func seed(t *testing.T, s *store.Store) (store.Unit, store.Unit, store.Seller) {
	t.Helper()
	if err := s.SetInstance(ctx, store.System, store.Instance{Name: "Pemerintah Kota Medan", RegionCode: "12.71", TimeZone: "Asia/Jakarta"}); err != nil {
		t.Fatal(err)
	}
	u1, err := s.CreateUnit(ctx, store.System, "1.01.0.00.0.00.01.0000", "Dinas Pendidikan")
	if err != nil {
		t.Fatal(err)
	}
	u2, err := s.CreateUnit(ctx, store.System, "1.02.0.00.0.00.01.0000", "Dinas Kesehatan")
	if err != nil {
		t.Fatal(err)
	}
	sl, err := s.CreateSeller(ctx, store.System, "UD Maju Jaya", "Medan Baru", "verified")
	if err != nil {
		t.Fatal(err)
	}
	return u1, u2, sl
}

func TestInstanceAndUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u1, _, _ := seed(t, s)
		in, err := s.GetInstance(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if in.LogOrigin != "bela.pemerintah-kota-medan/log" || in.Location().String() != "Asia/Jakarta" {
			t.Errorf("instance = %+v", in)
		}
		_, err = s.CreateUnit(ctx, store.System, u1.Code, "Duplikat")
		if market.ErrorCode(err) != market.CodeInvalid {
			t.Errorf("duplicate unit code: err = %v", err)
		}
		err = s.SetInstance(ctx, store.System, store.Instance{Name: "X", TimeZone: "Mars/Olympus"})
		if market.ErrorCode(err) != market.CodeInvalid {
			t.Errorf("bad time zone: err = %v", err)
		}
		units, err := s.ListUnits(ctx)
		if err != nil || len(units) != 2 {
			t.Errorf("ListUnits = %v, %v", units, err)
		}
	})
}

func TestUsersRolesSessionsTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u1, u2, _ := seed(t, s)
		admin, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Admin OPD", Email: "Admin@Disdik.example", Password: "rahasia-sekali"},
			store.Grant{Role: market.RoleUnitAdmin, ScopeID: u1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if admin.Email != "admin@disdik.example" {
			t.Errorf("email not normalised: %q", admin.Email)
		}
		// Sign in.
		id, err := s.Authenticate(ctx, "ADMIN@disdik.example", "rahasia-sekali")
		if err != nil || id != admin.ID {
			t.Fatalf("Authenticate = %d, %v", id, err)
		}
		if _, err := s.Authenticate(ctx, "admin@disdik.example", "salah"); market.ErrorCode(err) != market.CodeUnauthorized {
			t.Errorf("wrong password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "nobody@x.example", "salah"); market.ErrorCode(err) != market.CodeUnauthorized {
			t.Errorf("unknown user: %v", err)
		}
		p, err := s.Principal(ctx, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The unit admin invites a PPK into their own unit, but not into another unit.
		inv, err := s.Invite(ctx, p, store.NewUser{Name: "Budi PPK", Email: "budi@disdik.example", NIP: "198001012005011001"},
			store.Grant{Role: market.RoleApprover, ScopeID: u1.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Invite(ctx, p, store.NewUser{Name: "X", Email: "x@dinkes.example"}, store.Grant{Role: market.RoleApprover, ScopeID: u2.ID}); market.ErrorCode(err) != market.CodeForbidden {
			t.Errorf("invite into another unit: %v", err)
		}
		if _, err := s.Invite(ctx, p, store.NewUser{Name: "X", Email: "x@disdik.example"}, store.Grant{Role: market.RoleAuditor}); market.ErrorCode(err) != market.CodeForbidden {
			t.Errorf("unit admin grants auditor: %v", err)
		}
		// The invitation e-mail is in the outbox, carrying the link.
		mails, err := s.DueEmails(ctx, 10)
		if err != nil || len(mails) != 1 || !strings.Contains(mails[0].Body, inv.Token) || mails[0].To != "budi@disdik.example" {
			t.Fatalf("outbox = %+v, %v", mails, err)
		}
		if _, err := s.SetPasswordWithToken(ctx, inv.Token, "pendek"); market.ErrorCode(err) != market.CodeInvalid {
			t.Errorf("weak password accepted: %v", err)
		}
		if _, err := s.SetPasswordWithToken(ctx, inv.Token, "kata-sandi-budi"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetPasswordWithToken(ctx, inv.Token, "kata-sandi-lain"); market.ErrorCode(err) != market.CodeInvalid {
			t.Errorf("token reused: %v", err)
		}
		budiID, err := s.Authenticate(ctx, "budi@disdik.example", "kata-sandi-budi")
		if err != nil {
			t.Fatal(err)
		}
		sess, err := s.CreateSession(ctx, budiID)
		if err != nil {
			t.Fatal(err)
		}
		bp, err := s.SessionPrincipal(ctx, sess)
		if err != nil || !bp.InUnit(u1.ID, market.RoleApprover) {
			t.Fatalf("SessionPrincipal = %+v, %v", bp, err)
		}
		_, secret, err := s.CreateAPIToken(ctx, budiID, "laptop", store.DefaultAPITokenDays)
		if err != nil || !strings.HasPrefix(secret, store.APITokenPrefix) {
			t.Fatalf("CreateAPIToken: %q %v", secret, err)
		}
		if _, err := s.TokenPrincipal(ctx, secret); err != nil {
			t.Fatal(err)
		}
		// Deactivation (mutasi) revokes the session and the token at once.
		if err := s.SetActive(ctx, p, budiID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionPrincipal(ctx, sess); market.ErrorCode(err) != market.CodeUnauthorized {
			t.Errorf("old session after deactivation: %v", err)
		}
		if _, err := s.TokenPrincipal(ctx, secret); market.ErrorCode(err) != market.CodeUnauthorized {
			t.Errorf("old token after deactivation: %v", err)
		}
		if _, err := s.Authenticate(ctx, "budi@disdik.example", "kata-sandi-budi"); market.ErrorCode(err) != market.CodeUnauthorized {
			t.Errorf("login after deactivation: %v", err)
		}
		// Sessions expire.
		sess2, _ := s.CreateSession(ctx, admin.ID)
		c.Advance(store.SessionLifetime + time.Second)
		if _, err := s.SessionPrincipal(ctx, sess2); market.ErrorCode(err) != market.CodeUnauthorized {
			t.Errorf("expired session: %v", err)
		}
		// Every change above is in the audit trail, with the canonical bytes hiding the NIP.
		rows, err := s.ListAudit(ctx, store.AuditFilter{ObjectType: "user", ObjectID: budiID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range rows {
			actions = append(actions, r.Action)
			if strings.Contains(string(r.Canonical), "198001012005011001") || strings.Contains(string(r.Canonical), "budi@disdik") {
				t.Errorf("canonical audit bytes leak private data: %s", r.Canonical)
			}
		}
		sort.Strings(actions)
		want := []string{"session.login", "user.create", "user.deactivate", "user.password_set"}
		if diff := cmp.Diff(want, actions); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}
	})
}

func TestActingOfficialExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u1, _, _ := seed(t, s)
		plt, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Plt PPK", Email: "plt@disdik.example", Password: "rahasia-sekali"},
			store.Grant{Role: market.RoleApprover, ScopeID: u1.ID, ValidFrom: storetest.Start, ValidTo: storetest.Start.Add(48 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := s.Principal(ctx, plt.ID)
		if !p.InUnit(u1.ID, market.RoleApprover) {
			t.Error("acting PPK has no rights during the period")
		}
		c.Advance(49 * time.Hour)
		p, _ = s.Principal(ctx, plt.ID)
		if p.Has(market.RoleApprover) {
			t.Error("acting PPK keeps rights after the period")
		}
	})
}

func TestPasswordResetAndInbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u1, _, _ := seed(t, s)
		u, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Rina", Email: "rina@disdik.example", Password: "rahasia-sekali"}, store.Grant{Role: market.RoleBuyer, ScopeID: u1.ID})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.RequestPasswordReset(ctx, "nobody@x.example")
		if err != nil || tok != "" {
			t.Errorf("reset for unknown address: %q %v", tok, err)
		}
		tok, err = s.RequestPasswordReset(ctx, "rina@disdik.example")
		if err != nil || tok == "" {
			t.Fatalf("reset: %q %v", tok, err)
		}
		c.Advance(store.ResetLifetime + time.Minute)
		if _, err := s.SetPasswordWithToken(ctx, tok, "kata-sandi-baru"); market.ErrorCode(err) != market.CodeInvalid {
			t.Errorf("expired reset token accepted: %v", err)
		}
		if err := s.ChangePassword(ctx, u.ID, "salah", "kata-sandi-baru"); market.ErrorCode(err) != market.CodeInvalid {
			t.Errorf("change with wrong current: %v", err)
		}
		if err := s.ChangePassword(ctx, u.ID, "rahasia-sekali", "kata-sandi-baru"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, "rina@disdik.example", "kata-sandi-baru"); err != nil {
			t.Error(err)
		}
		if n, _ := s.UnreadCount(ctx, u.ID); n != 0 {
			t.Errorf("unread = %d", n)
		}
		if err := s.Notify(ctx, u.ID, "Pesanan menunggu", "Pesanan SP/1 menunggu persetujuan.", "/pesanan/1", true); err != nil {
			t.Fatal(err)
		}
		msgs, err := s.Inbox(ctx, u.ID)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("inbox = %v %v", msgs, err)
		}
		if n, _ := s.UnreadCount(ctx, u.ID); n != 1 {
			t.Errorf("unread = %d", n)
		}
		if err := s.MarkRead(ctx, u.ID+1000, msgs[0].ID); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("another user's message: %v", err)
		}
		if err := s.MarkRead(ctx, u.ID, msgs[0].ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.UnreadCount(ctx, u.ID); n != 0 {
			t.Errorf("unread after read = %d", n)
		}
		// The e-mail copy is retried with back-off.
		due, _ := s.DueEmails(ctx, 10)
		var mail store.Email
		for _, m := range due {
			if m.Subject == "Pesanan menunggu" {
				mail = m
			}
		}
		if mail.ID == 0 {
			t.Fatalf("no e-mail queued: %+v", due)
		}
		if err := s.MarkEmailFailed(ctx, mail, errors.New("smtp down")); err != nil {
			t.Fatal(err)
		}
		due, _ = s.DueEmails(ctx, 10)
		for _, m := range due {
			if m.ID == mail.ID {
				t.Error("failed e-mail due again at once")
			}
		}
		c.Advance(2 * time.Minute)
		due, _ = s.DueEmails(ctx, 10)
		found := false
		for _, m := range due {
			found = found || m.ID == mail.ID
		}
		if !found {
			t.Error("failed e-mail not retried after back-off")
		}
	})
}

func TestConcurrentWritesAllLand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.CreateUnit(ctx, store.System, "X."+string(rune('A'+i)), "Unit")
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		rows, _ := s.ListAudit(ctx, store.AuditFilter{Action: "unit.create", Limit: 100})
		if len(rows) != 22 {
			t.Errorf("audit rows = %d, want 22", len(rows))
		}
	})
}

func TestLeadership(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		l, err := s.TryLead(ctx)
		if err != nil || l == nil {
			t.Fatalf("TryLead = %v, %v", l, err)
		}
		defer l.Release()
		if s.Dialect() == store.Postgres {
			l2, err := s.TryLead(ctx)
			if err != nil || l2 != nil {
				t.Errorf("second leader on one database: %v, %v", l2, err)
			}
		}
	})
}

// A data directory whose name holds the characters a file: URI gives a meaning to ("?", "#",
// "%", a space) opens the database in it, and reopens the same one.
func TestSQLitePathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data #1? 50% ok")
	path := filepath.Join(dir, "bela.db")
	open := func() *store.Store {
		t.Helper()
		s, err := store.Open(ctx, store.Config{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	if err := s.SetInstance(ctx, store.System, store.Instance{Name: "Pemerintah Kota Medan", RegionCode: "12.71", TimeZone: "Asia/Jakarta"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not where it was asked to be: %v", err)
	}
	s = open()
	defer s.Close()
	if in, err := s.GetInstance(ctx); err != nil || in.Name != "Pemerintah Kota Medan" {
		t.Errorf("reopened instance = %+v, %v", in, err)
	}
	ro, err := store.Open(ctx, store.Config{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only: %v", err)
	}
	ro.Close()
}

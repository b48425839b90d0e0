package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// attacker is the fixture's key for the session of a seller owner who signed up publicly.
const attacker market.Role = "attacker"

// signUpAttacker registers a business through the public sign-up page and keeps its session.
func signUpAttacker(t *testing.T, f *fixture) (userID, sellerID int64) {
	t.Helper()
	res, _ := f.do("", "POST", "/daftar-usaha", form("name", "Penyusup", "email", "penyusup@contoh.id", "password", "kata-sandi-penyusup", "privacy", "1"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("public sign-up: %d", res.StatusCode)
	}
	for _, c := range res.Cookies() {
		if c.Name == "bela_session" {
			f.sessions[attacker] = c.Value
		}
	}
	u, err := f.s.FindUserByEmail(ctx, "penyusup@contoh.id")
	if err != nil || len(u.Memberships) != 1 {
		t.Fatalf("signed-up owner = %+v %v", u, err)
	}
	return u.ID, u.Memberships[0].ScopeID
}

// TestOutsiderCannotAnnexAnExistingAccount is the reported attack, end to end through the
// pages: sign up as a seller owner, "invite" an official's e-mail as staff (both invite forms),
// then open their user page. Nothing is granted, the page stays not found, their phone and NIP
// are never shown, and the inviter gets the same answer as for a new address.
func TestOutsiderCannotAnnexAnExistingAccount(t *testing.T) {
	f := newFixture(t)
	// The victim: an official of unit 2 with a NIP and a phone number.
	victim, err := f.s.CreateUser(ctx, store.System, store.NewUser{Name: "Korban Sejati", Email: "korban@pemko.example", Phone: "081377770000", NIP: "197505052000031002", Password: password},
		store.Grant{Role: market.RoleApprover, ScopeID: f.unit2.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, sid := signUpAttacker(t, f)

	// The staff form on the business page, for an existing and for a new address.
	staffPath := fmt.Sprintf("/usaha/%d/staf", sid)
	resOld, _ := f.do(attacker, "POST", staffPath, form("name", "Ketikan Penyusup", "email", "KORBAN@pemko.example"))
	resNew, _ := f.do(attacker, "POST", staffPath, form("name", "Staf Baru", "email", "baru@contoh.id"))
	if resOld.StatusCode != http.StatusSeeOther || resOld.StatusCode != resNew.StatusCode || resOld.Header.Get("Location") != resNew.Header.Get("Location") {
		t.Errorf("existing address: %d %s; new address: %d %s", resOld.StatusCode, resOld.Header.Get("Location"), resNew.StatusCode, resNew.Header.Get("Location"))
	}
	// The user management form, the same way.
	grant := fmt.Sprintf("seller_staff:%d", sid)
	resOld, _ = f.do(attacker, "POST", "/pengguna/undang", form("name", "Ketikan Lagi", "email", "korban@pemko.example", "grant", grant, "phone", "0800", "nip", "199901012020011001"))
	resNew, _ = f.do(attacker, "POST", "/pengguna/undang", form("name", "Staf Lain", "email", "lain@contoh.id", "grant", grant))
	if resOld.StatusCode != http.StatusSeeOther || resOld.StatusCode != resNew.StatusCode || resOld.Header.Get("Location") != resNew.Header.Get("Location") {
		t.Errorf("existing address: %d %s; new address: %d %s", resOld.StatusCode, resOld.Header.Get("Location"), resNew.StatusCode, resNew.Header.Get("Location"))
	}

	// Nothing changed for the victim.
	after, err := f.s.GetUser(ctx, victim.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Memberships) != 1 || after.Memberships[0].Role != market.RoleApprover || after.Name != "Korban Sejati" || after.Phone != "081377770000" || after.NIP != "197505052000031002" {
		t.Fatalf("the invites changed the victim: %+v", after)
	}
	// The inviter cannot open the victim, nor act on them.
	for _, tc := range []struct{ method, path string }{
		{"GET", fmt.Sprintf("/pengguna/%d", victim.ID)},
		{"POST", fmt.Sprintf("/pengguna/%d/status", victim.ID)},
		{"POST", fmt.Sprintf("/pengguna/%d/peran", victim.ID)},
	} {
		var body = form("active", "0", "grant", grant)
		if tc.method == "GET" {
			body = nil
		}
		if res, _ := f.do(attacker, tc.method, tc.path, body); res.StatusCode != 404 {
			t.Errorf("%s %s as the inviter: %d, want 404", tc.method, tc.path, res.StatusCode)
		}
	}
	// The inviter's pages show the pending offer as typed, never the account's data.
	for _, path := range []string{"/pengguna", fmt.Sprintf("/pengguna?scope=seller:%d", sid), fmt.Sprintf("/usaha/%d", sid)} {
		res, body := f.do(attacker, "GET", path, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		for _, secret := range []string{"Korban Sejati", "081377770000", "197505052000031002", fmt.Sprintf("/pengguna/%d\"", victim.ID)} {
			if strings.Contains(body, secret) {
				t.Errorf("%s shows %q", path, secret)
			}
		}
	}
	if _, body := f.do(attacker, "GET", "/pengguna", nil); !strings.Contains(body, `data-testid="offers"`) || !strings.Contains(body, "Ketikan Penyusup") {
		t.Error("the inviter's list does not show the pending offer as typed")
	}

	// The victim sees one offer (the two invites of the same role are one) and accepts it.
	res, _ := f.do(market.Role("victim"), "GET", "/akun", nil)
	if res.StatusCode != http.StatusSeeOther { // no session yet
		t.Fatalf("akun without a session: %d", res.StatusCode)
	}
	tok, err := f.s.CreateSession(ctx, victim.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.sessions["victim"] = tok
	res, body := f.do("victim", "GET", "/akun", nil)
	if res.StatusCode != 200 || strings.Count(body, "/akun/tawaran-peran/") != 2 || !strings.Contains(body, fmt.Sprintf("Penyedia #%d", sid)) || !strings.Contains(body, "Penyusup") {
		t.Fatalf("victim's account page: %d", res.StatusCode)
	}
	offers, _ := f.s.PendingRoleOffers(ctx, victim.ID)
	if len(offers) != 1 {
		t.Fatalf("pending offers = %+v", offers)
	}
	// Someone else cannot answer it.
	for _, role := range []market.Role{attacker, market.RoleBuyer} {
		for _, verb := range []string{"terima", "tolak"} {
			if res, _ := f.do(role, "POST", fmt.Sprintf("/akun/tawaran-peran/%d/%s", offers[0].ID, verb), form()); res.StatusCode != 404 {
				t.Errorf("%s %s another's offer: %d, want 404", role, verb, res.StatusCode)
			}
		}
	}
	res, _ = f.do("victim", "POST", fmt.Sprintf("/akun/tawaran-peran/%d/terima", offers[0].ID), form())
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/akun?ok=offer.accepted" {
		t.Fatalf("accept: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	vp, _ := f.s.Principal(ctx, victim.ID)
	if !vp.InSeller(sid, market.RoleSellerStaff) {
		t.Errorf("accepted role missing: %+v", vp.Memberships)
	}
	// Consent given, the owner now manages their staff member.
	if res, _ := f.do(attacker, "GET", fmt.Sprintf("/pengguna/%d", victim.ID), nil); res.StatusCode != 200 {
		t.Errorf("the owner on their accepted staff member: %d", res.StatusCode)
	}
}

// TestUnitAdminOfferDeclinedAndExpired: a unit admin's offer of PPK to the auditor is declined
// through /akun, and a later one, left to expire, can no longer be accepted.
func TestUnitAdminOfferDeclinedAndExpired(t *testing.T) {
	f := newFixture(t)
	auditorID := f.ids[market.RoleAuditor]
	ppk := fmt.Sprintf("approver:%d", f.unit1.ID)
	invite := func() store.RoleOffer {
		t.Helper()
		res, _ := f.do(market.RoleUnitAdmin, "POST", "/pengguna/undang", form("name", "Calon PPK", "email", "auditor@bela.test", "grant", ppk))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/pengguna?ok=invite.done" {
			t.Fatalf("invite: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		offers, _ := f.s.PendingRoleOffers(ctx, auditorID)
		if len(offers) != 1 {
			t.Fatalf("pending offers = %+v", offers)
		}
		return offers[0]
	}
	noPPK := func(when string) {
		t.Helper()
		if p, _ := f.s.Principal(ctx, auditorID); p.InUnit(f.unit1.ID) {
			t.Errorf("%s: the auditor holds %+v", when, p.Memberships)
		}
		if res, _ := f.do(market.RoleUnitAdmin, "GET", fmt.Sprintf("/pengguna/%d", auditorID), nil); res.StatusCode != 404 {
			t.Errorf("%s: the unit admin opens the auditor: %d", when, res.StatusCode)
		}
	}
	o := invite()
	noPPK("pending")
	res, body := f.do(market.RoleAuditor, "GET", "/akun", nil)
	if res.StatusCode != 200 || !strings.Contains(body, `data-testid="role-offers"`) || !strings.Contains(body, "Dinas Pendidikan") {
		t.Fatalf("auditor's account page: %d", res.StatusCode)
	}
	res, _ = f.do(market.RoleAuditor, "POST", fmt.Sprintf("/akun/tawaran-peran/%d/tolak", o.ID), form())
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/akun?ok=offer.declined" {
		t.Fatalf("decline: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	noPPK("declined")
	if _, body := f.do(market.RoleAuditor, "GET", "/akun", nil); strings.Contains(body, `data-testid="role-offers"`) {
		t.Error("a declined offer is still on the account page")
	}
	if res, _ := f.do(market.RoleAuditor, "POST", fmt.Sprintf("/akun/tawaran-peran/%d/terima", o.ID), form()); res.StatusCode != http.StatusConflict {
		t.Errorf("accept after decline: %d", res.StatusCode)
	}
	noPPK("accepted after declining")

	o = invite()
	f.clock.Advance(store.InviteLifetime + time.Minute)
	f.renew(market.RoleAuditor) // sessions last less than an offer
	f.renew(market.RoleUnitAdmin)
	if _, body := f.do(market.RoleAuditor, "GET", "/akun", nil); strings.Contains(body, `data-testid="role-offers"`) {
		t.Error("an expired offer is still on the account page")
	}
	res, body = f.do(market.RoleAuditor, "POST", fmt.Sprintf("/akun/tawaran-peran/%d/terima", o.ID), form())
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "kedaluwarsa") {
		t.Errorf("accept an expired offer: %d", res.StatusCode)
	}
	noPPK("expired")
}

// TestUserPageNamesSellerScope: a seller role is labelled with its seller, also when the seller
// has no name yet, never as the whole instance.
func TestUserPageNamesSellerScope(t *testing.T) {
	f := newFixture(t)
	uid, sid := signUpAttacker(t, f)
	for _, path := range []string{fmt.Sprintf("/pengguna/%d", uid), fmt.Sprintf("/pengguna/%d", f.ids[market.RoleSellerStaff])} {
		res, body := f.do(market.RoleAdmin, "GET", path, nil)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		if strings.Contains(body, "Seluruh instansi</td>") {
			t.Errorf("%s labels a seller role as the whole instance", path)
		}
	}
	if _, body := f.do(market.RoleAdmin, "GET", fmt.Sprintf("/pengguna/%d", uid), nil); !strings.Contains(body, fmt.Sprintf("Penyedia #%d (nama belum diisi)", sid)) {
		t.Error("an unnamed seller's role does not name the seller")
	}
	if _, body := f.do(market.RoleAdmin, "GET", fmt.Sprintf("/pengguna/%d", f.ids[market.RoleSellerStaff]), nil); !strings.Contains(body, "UD Satu") {
		t.Error("a seller role does not name the seller")
	}
	if _, body := f.do(market.RoleAdmin, "GET", fmt.Sprintf("/pengguna/%d", f.ids[market.RoleAuditor]), nil); !strings.Contains(body, "Seluruh instansi") {
		t.Error("an instance role is not labelled as the whole instance")
	}
	// The owner's own home page names the seller too.
	if _, body := f.do(attacker, "GET", "/beranda", nil); !strings.Contains(body, fmt.Sprintf("Penyedia #%d (nama belum diisi)", sid)) || strings.Contains(body, "Seluruh instansi</td>") {
		t.Error("the home page does not name an unnamed seller's role")
	}
}

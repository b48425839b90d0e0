package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// validReg is a complete micro-business registration with the given NIB and NPWP.
func validReg(nib, npwp string) market.SellerRegistration {
	return market.SellerRegistration{
		BusinessName: "UD Kue Melati", LegalForm: market.LegalUD, NIB: nib, NPWP: npwp,
		OwnerNIK: "1271015505850001", KBLI: []string{"10710", "10710", "47241"},
		Capital: 150_000_000, AnnualSales: 600_000_000,
		Address: market.Address{Street: "Jl. Melati No. 5", Kelurahan: "Babura", Kecamatan: "Medan Baru", City: "Kota Medan", PostalCode: "20153"},
		Phone:   "0812-6000-1234", Bank: market.BankAccount{Bank: "Bank Sumut", Number: "100-200-3004", Holder: "Melati  Siregar"},
	}
}

// onboardingFixture is an instance with kecamatan, a curator and an admin.
type onboardingFixture struct {
	curator, admin store.User
	curatorA       store.Actor
	adminA         store.Actor
}

func seedOnboarding(t *testing.T, s *store.Store) onboardingFixture {
	t.Helper()
	if err := s.SetInstance(ctx, store.System, store.Instance{Name: "Pemerintah Kota Medan", RegionCode: "12.71", TimeZone: "Asia/Jakarta"}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []store.Kecamatan{{Code: "12.71.01", Name: "Medan Baru"}, {Code: "12.71.02", Name: "Medan Kota"}} {
		if err := s.AddKecamatan(ctx, store.System, k); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Kurator", Email: "kurator@bela.test", Password: "kata-sandi-kurator"}, store.Grant{Role: market.RoleCurator})
	if err != nil {
		t.Fatal(err)
	}
	adm, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Admin", Email: "admin@bela.test", Password: "kata-sandi-admin"}, store.Grant{Role: market.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	return onboardingFixture{curator: cur, admin: adm, curatorA: store.Actor{UserID: cur.ID, Role: market.RoleCurator}, adminA: store.Actor{UserID: adm.ID, Role: market.RoleAdmin}}
}

func signUp(t *testing.T, s *store.Store, email string) (int64, int64, store.Actor) {
	t.Helper()
	uid, sid, err := s.SignUpSeller(ctx, store.SellerSignUp{Name: "Melati Siregar", Email: email, Password: "rahasia-sekali", PrivacyAccepted: true})
	if err != nil {
		t.Fatal(err)
	}
	return uid, sid, store.Actor{UserID: uid, Role: market.RoleSellerOwner}
}

func fields(err error) map[string]string {
	var me *market.Error
	if errors.As(err, &me) {
		return me.Fields
	}
	return nil
}

// addDocs uploads every required document of the seller.
func addDocs(t *testing.T, s *store.Store, a store.Actor, sl store.Seller) {
	t.Helper()
	for _, k := range store.RequiredDocuments(sl.Reg) {
		if _, err := s.AddSellerDocument(ctx, a, store.SellerDocument{SellerID: sl.ID, Kind: k, BlobID: strings.Repeat("a", 64), Filename: "../" + string(k) + ".pdf", ContentType: "application/pdf", Size: 10}); err != nil {
			t.Fatal(err)
		}
	}
}

// registered signs up a seller, registers it, uploads its documents and submits it.
func registered(t *testing.T, s *store.Store, email, nib, npwp string) (int64, store.Actor) {
	t.Helper()
	_, sid, a := signUp(t, s, email)
	sl, err := s.SaveSellerRegistration(ctx, a, sid, validReg(nib, npwp))
	if err != nil {
		t.Fatal(err)
	}
	addDocs(t, s, a, sl)
	if err := s.SubmitSeller(ctx, a, sid); err != nil {
		t.Fatal(err)
	}
	return sid, a
}

func TestSellerSignUpAndRegistration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		f := seedOnboarding(t, s)
		// Sign-up needs the privacy notice, a valid e-mail and a long password, all reported at once.
		_, _, err := s.SignUpSeller(ctx, store.SellerSignUp{Name: "", Email: "x", Password: "pendek"})
		if got := fields(err); got["name"] == "" || got["email"] == "" || got["password"] == "" || got["privacy"] == "" {
			t.Fatalf("bad sign-up: %v", err)
		}
		uid, sid, a := signUp(t, s, "melati@bela.test")
		if _, _, err := s.SignUpSeller(ctx, store.SellerSignUp{Name: "X", Email: "MELATI@bela.test", Password: "rahasia-sekali", PrivacyAccepted: true}); fields(err)["email"] == "" {
			t.Errorf("taken e-mail: %v", err)
		}
		p, err := s.Principal(ctx, uid)
		if err != nil || !p.InSeller(sid, market.RoleSellerOwner) {
			t.Fatalf("the new user does not own the seller: %+v %v", p, err)
		}
		sl, err := s.GetSeller(ctx, sid)
		if err != nil || sl.Status != "draft" || sl.Registered() || sl.PrivacyAcceptedAt.IsZero() {
			t.Fatalf("new seller = %+v %v", sl, err)
		}
		if got := store.Checklist(sl, nil); len(got) != 1 || got[0].Done {
			t.Errorf("checklist before registration = %+v", got)
		}
		// Submitting now names what is missing.
		if err := s.SubmitSeller(ctx, a, sid); fields(err)["registration"] == "" {
			t.Errorf("submit without registration: %v", err)
		}
		// An unknown kecamatan is refused.
		bad := validReg("1234567890123", "01.234.567.8-901.000")
		bad.Address.Kecamatan = "Kecamatan Entah"
		if _, err := s.SaveSellerRegistration(ctx, a, sid, bad); fields(err)["address.kecamatan"] == "" {
			t.Errorf("unknown kecamatan: %v", err)
		}
		// A medium business is told it is not eligible.
		big := validReg("1234567890123", "01.234.567.8-901.000")
		big.Capital = 6_000_000_000
		if _, err := s.SaveSellerRegistration(ctx, a, sid, big); fields(err)["class"] == "" {
			t.Errorf("medium business: %v", err)
		}
		sl, err = s.SaveSellerRegistration(ctx, a, sid, validReg("1234567890123", "01.234.567.8-901.000"))
		if err != nil {
			t.Fatal(err)
		}
		if sl.Name != "UD Kue Melati" || sl.Kecamatan != "Medan Baru" || sl.Class != market.ClassMicro || sl.Reg.NPWP != "0012345678901000" ||
			strings.Join(sl.Reg.KBLI, ",") != "10710,47241" || sl.Reg.Phone != "+6281260001234" || sl.Reg.Bank.Holder != "Melati Siregar" {
			t.Errorf("registered seller = %+v", sl)
		}
		// Private values reach the audit trail only hashed.
		evs, err := s.ListAudit(ctx, store.AuditFilter{ObjectType: "seller", ObjectID: sid})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range evs {
			if e.Action == "seller.register" {
				found = true
				for _, secret := range []string{"1271015505850001", "0012345678901000", "+6281260001234", "Jl. Melati", "Melati Siregar", "100200"} {
					if strings.Contains(string(e.Canonical), secret) {
						t.Errorf("public audit encoding shows %q: %s", secret, e.Canonical)
					}
				}
				if !strings.Contains(string(e.Canonical), "UD Kue Melati") {
					t.Errorf("public audit encoding lacks the business name: %s", e.Canonical)
				}
			}
		}
		if !found {
			t.Error("no seller.register audit event")
		}
		// The checklist now lists the documents; nothing is uploaded yet.
		items := store.Checklist(sl, nil)
		want := []string{"registration", "document.nib", "document.npwp", "document.kswp"}
		if len(items) != len(want) {
			t.Fatalf("checklist = %+v", items)
		}
		for i, it := range items {
			if it.Key != want[i] || it.Done != (i == 0) {
				t.Errorf("checklist[%d] = %+v", i, it)
			}
		}
		if err := s.SubmitSeller(ctx, a, sid); fields(err)["document.kswp"] == "" || fields(err)["document.nib"] == "" {
			t.Errorf("submit without documents: %v", err)
		}
		addDocs(t, s, a, sl)
		docs, err := s.SellerDocuments(ctx, sid)
		if err != nil || len(docs) != 3 || docs[0].Filename != "kswp.pdf" {
			t.Fatalf("documents = %+v %v", docs, err)
		}
		if _, err := s.GetSellerDocument(ctx, sid+1, docs[0].ID); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("document through another seller: %v", err)
		}
		if err := s.SubmitSeller(ctx, a, sid); err != nil {
			t.Fatal(err)
		}
		sl, _ = s.GetSeller(ctx, sid)
		if sl.Status != "submitted" || !sl.SubmittedAt.Equal(c.Now().Truncate(time.Microsecond)) {
			t.Errorf("submitted seller = %+v", sl)
		}
		// Curators hear of it; a submitted seller can no longer be edited.
		inbox, _ := s.Inbox(ctx, f.curator.ID)
		if len(inbox) != 1 || !strings.Contains(inbox[0].Subject, "UD Kue Melati") || !strings.Contains(inbox[0].Link, "/kurasi/penjual/") {
			t.Errorf("curator inbox = %+v", inbox)
		}
		if _, err := s.SaveSellerRegistration(ctx, a, sid, validReg("1234567890123", "")); !errors.Is(err, market.ErrConflict) {
			t.Errorf("edit after submit: %v", err)
		}
		if _, err := s.AddSellerDocument(ctx, a, store.SellerDocument{SellerID: sid, Kind: store.DocNIB, BlobID: strings.Repeat("b", 64), Filename: "x.pdf", ContentType: "application/pdf", Size: 1}); !errors.Is(err, market.ErrConflict) {
			t.Errorf("upload after submit: %v", err)
		}
		if err := s.SubmitSeller(ctx, a, sid); !errors.Is(err, market.ErrConflict) {
			t.Errorf("submit twice: %v", err)
		}
		queue, err := s.SellerQueue(ctx)
		if err != nil || len(queue) != 1 || queue[0].ID != sid {
			t.Errorf("queue = %+v %v", queue, err)
		}
	})
}

func TestSellerDuplicateAndBlockedNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		f := seedOnboarding(t, s)
		registered(t, s, "satu@bela.test", "1234567890123", "01.234.567.8-901.000")
		_, sid, a := signUp(t, s, "dua@bela.test")
		// The same NIB, and the same NPWP in its other format, are refused with a clear reason.
		_, err := s.SaveSellerRegistration(ctx, a, sid, validReg("1234567890123", "0012345678901000"))
		fe := fields(err)
		if !strings.Contains(fe["nib"], "sudah terdaftar") || !strings.Contains(fe["npwp"], "sudah terdaftar") {
			t.Errorf("duplicates: %v", err)
		}
		// Blocked NPWP: refused at registration.
		if _, err := s.BlockNPWP(ctx, f.adminA, "99.888.777.6-555.444", ""); fields(err)["reason"] == "" {
			t.Errorf("block without reason: %v", err)
		}
		if _, err := s.BlockNPWP(ctx, f.adminA, "12", "x"); fields(err)["npwp"] == "" {
			t.Errorf("block a malformed NPWP: %v", err)
		}
		b, err := s.BlockNPWP(ctx, f.adminA, "99.888.777.6-555.444", "Pemalsuan dokumen")
		if err != nil || b.NPWP != "0998887776555444" {
			t.Fatalf("block = %+v %v", b, err)
		}
		if _, err := s.BlockNPWP(ctx, f.adminA, "0998887776555444", "lagi"); !errors.Is(err, market.ErrConflict) {
			t.Errorf("block twice: %v", err)
		}
		_, err = s.SaveSellerRegistration(ctx, a, sid, validReg("2234567890123", "0998887776555444"))
		if !strings.Contains(fields(err)["npwp"], "diblokir") {
			t.Errorf("blocked NPWP at registration: %v", err)
		}
		// Blocked after submission: refused at verification.
		sid3, _ := registered(t, s, "tiga@bela.test", "3234567890123", "03.234.567.8-901.000")
		if _, err := s.BlockNPWP(ctx, f.adminA, "03.234.567.8-901.000", "Daftar hitam LKPP"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideSeller(ctx, f.curatorA, sid3, store.Decision{Decision: market.DecisionVerify}); !errors.Is(err, market.ErrConflict) || !strings.Contains(err.Error(), "diblokir") {
			t.Errorf("verify a blocked NPWP: %v", err)
		}
		list, err := s.ListBlockedNPWP(ctx)
		if err != nil || len(list) != 2 {
			t.Errorf("blocked list = %+v %v", list, err)
		}
		if err := s.UnblockNPWP(ctx, f.adminA, "03.234.567.8-901.000"); err != nil {
			t.Fatal(err)
		}
		if err := s.UnblockNPWP(ctx, f.adminA, "03.234.567.8-901.000"); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("unblock twice: %v", err)
		}
		if _, err := s.DecideSeller(ctx, f.curatorA, sid3, store.Decision{Decision: market.DecisionVerify}); err != nil {
			t.Errorf("verify after unblocking: %v", err)
		}
		// The blocked list's NPWP never reaches the public audit encoding.
		evs, _ := s.ListAudit(ctx, store.AuditFilter{ObjectType: "blocked_npwp"})
		for _, e := range evs {
			if strings.Contains(string(e.Canonical), "0998887776555444") {
				t.Errorf("public audit shows a blocked NPWP: %s", e.Canonical)
			}
		}
	})
}

func TestSellerDecisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		f := seedOnboarding(t, s)
		sid, owner := registered(t, s, "melati@bela.test", "1234567890123", "01.234.567.8-901.000")
		decide := func(d store.Decision) (store.Seller, error) { return s.DecideSeller(ctx, f.curatorA, sid, d) }

		// Decisions that do not fit the status, or lack a reason, change nothing.
		for _, tc := range []struct {
			name string
			d    store.Decision
			code market.Code
		}{
			{"reinstate a submitted seller", store.Decision{Decision: market.DecisionReinstate}, market.CodeConflict},
			{"suspend a submitted seller", store.Decision{Decision: market.DecisionSuspend, Reason: "x"}, market.CodeConflict},
			{"reject without reason", store.Decision{Decision: market.DecisionReject}, market.CodeInvalid},
			{"unknown decision", store.Decision{Decision: "approve"}, market.CodeInvalid},
			{"note on an unknown field", store.Decision{Decision: market.DecisionRequestChanges, Reason: "x", Notes: map[string]string{"password": "y"}}, market.CodeInvalid},
		} {
			if _, err := decide(tc.d); market.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		// Request changes with notes per field → the owner edits and submits again.
		sl, err := decide(store.Decision{Decision: market.DecisionRequestChanges, Reason: "Foto NIB buram", Notes: map[string]string{"document.nib": "Unggah ulang yang jelas", "phone": " "}})
		if err != nil || sl.Status != "changes_requested" || sl.StatusReason != "Foto NIB buram" || len(sl.ChangeNotes) != 1 || sl.ChangeNotes["document.nib"] == "" {
			t.Fatalf("request changes = %+v %v", sl, err)
		}
		inbox, _ := s.Inbox(ctx, owner.UserID)
		if len(inbox) != 1 || !strings.Contains(inbox[0].Body, "Foto NIB buram") || !strings.Contains(inbox[0].Body, "Unggah ulang") {
			t.Errorf("owner inbox = %+v", inbox)
		}
		if _, err := s.SaveSellerRegistration(ctx, owner, sid, validReg("1234567890123", "01.234.567.8-901.000")); err != nil {
			t.Fatalf("edit after changes requested: %v", err)
		}
		if err := s.SubmitSeller(ctx, owner, sid); err != nil {
			t.Fatalf("submit again: %v", err)
		}
		// Verify.
		sl, err = decide(store.Decision{Decision: market.DecisionVerify})
		if err != nil || sl.Status != "verified" || sl.VerifiedAt.IsZero() || sl.StatusReason != "" || len(sl.ChangeNotes) != 0 {
			t.Fatalf("verify = %+v %v", sl, err)
		}
		if ok, why := sl.Eligible(); !ok {
			t.Errorf("verified micro seller not eligible: %v", why)
		}
		// Suspend with an end date in the past is refused; with one in the future it ends by itself.
		if _, err := decide(store.Decision{Decision: market.DecisionSuspend, Reason: "Harga tidak wajar", Until: c.Now().Add(-time.Hour)}); fields(err)["until"] == "" {
			t.Errorf("suspension ending in the past: %v", err)
		}
		sl, err = decide(store.Decision{Decision: market.DecisionSuspend, Reason: "Harga tidak wajar", Until: c.Now().Add(48 * time.Hour)})
		if err != nil || sl.Status != "suspended" || sl.SuspendedUntil.IsZero() {
			t.Fatalf("suspend = %+v %v", sl, err)
		}
		if ok, _ := sl.Eligible(); ok {
			t.Error("a suspended seller is eligible")
		}
		if got, _ := s.ListSellers(ctx, store.SellerFilter{Status: market.SellerVerified}); len(got) != 0 {
			t.Errorf("verified list during suspension = %d", len(got))
		}
		if n, err := s.EndSuspensions(ctx); err != nil || n != 0 {
			t.Errorf("end suspensions too early: %d %v", n, err)
		}
		c.Advance(49 * time.Hour)
		// At read time the suspension is over, before the job has run.
		sl, _ = s.GetSeller(ctx, sid)
		if sl.Status != "verified" {
			t.Errorf("after the end date, status = %s", sl.Status)
		}
		if got, _ := s.ListSellers(ctx, store.SellerFilter{Status: market.SellerVerified}); len(got) != 1 {
			t.Errorf("verified list after the end date = %d", len(got))
		}
		if got, _ := s.ListSellers(ctx, store.SellerFilter{Status: market.SellerSuspended}); len(got) != 0 {
			t.Errorf("suspended list after the end date = %d", len(got))
		}
		if n, err := s.EndSuspensions(ctx); err != nil || n != 1 {
			t.Errorf("end suspensions: %d %v", n, err)
		}
		if n, _ := s.EndSuspensions(ctx); n != 0 {
			t.Errorf("end suspensions twice: %d", n)
		}
		evs, _ := s.ListAudit(ctx, store.AuditFilter{ObjectType: "seller", ObjectID: sid})
		actions := map[string]bool{}
		for _, e := range evs {
			actions[e.Action] = true
		}
		for _, want := range []string{"seller.create", "seller.register", "seller.document_add", "seller.submit", "seller.request_changes", "seller.verify", "seller.suspend", "seller.suspension_end"} {
			if !actions[want] {
				t.Errorf("no %s audit event (have %v)", want, actions)
			}
		}
		// Suspend without end, then reinstate.
		if sl, err = decide(store.Decision{Decision: market.DecisionSuspend, Reason: "Sengketa"}); err != nil || sl.Status != "suspended" || !sl.SuspendedUntil.IsZero() {
			t.Fatalf("suspend without end = %+v %v", sl, err)
		}
		c.Advance(365 * 24 * time.Hour)
		if sl, _ = s.GetSeller(ctx, sid); sl.Status != "suspended" {
			t.Errorf("a suspension without end ended: %s", sl.Status)
		}
		if sl, err = decide(store.Decision{Decision: market.DecisionReinstate}); err != nil || sl.Status != "verified" || sl.StatusReason != "" {
			t.Fatalf("reinstate = %+v %v", sl, err)
		}
		// Reject is final.
		sid2, _ := registered(t, s, "dua@bela.test", "2234567890123", "")
		if sl, err = s.DecideSeller(ctx, f.curatorA, sid2, store.Decision{Decision: market.DecisionReject, Reason: "NIB palsu"}); err != nil || sl.Status != "rejected" {
			t.Fatalf("reject = %+v %v", sl, err)
		}
		for _, d := range []market.SellerDecision{market.DecisionVerify, market.DecisionRequestChanges, market.DecisionSuspend, market.DecisionReinstate} {
			if _, err := s.DecideSeller(ctx, f.curatorA, sid2, store.Decision{Decision: d, Reason: "x"}); !errors.Is(err, market.ErrConflict) {
				t.Errorf("%s after reject: %v", d, err)
			}
		}
		if _, err := s.DecideSeller(ctx, f.curatorA, 999999, store.Decision{Decision: market.DecisionVerify}); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("unknown seller: %v", err)
		}
	})
}

func TestSellerStaffScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seedOnboarding(t, s)
		uid1, sid1, _ := signUp(t, s, "satu@bela.test")
		_, sid2, _ := signUp(t, s, "dua@bela.test")
		owner1, err := s.Principal(ctx, uid1)
		if err != nil {
			t.Fatal(err)
		}
		inv, err := s.Invite(ctx, owner1, store.NewUser{Name: "Staf Satu", Email: "staf@bela.test"}, store.Grant{Role: market.RoleSellerStaff, ScopeID: sid1})
		if err != nil {
			t.Fatal(err)
		}
		staff, _ := s.Principal(ctx, inv.User.ID)
		if !staff.InSeller(sid1, market.RoleSellerStaff) || staff.InSeller(sid2) || staff.InSeller(sid1, market.RoleSellerOwner) {
			t.Errorf("staff memberships = %+v", staff.Memberships)
		}
		// An owner cannot invite staff to another seller, nor another owner.
		if _, err := s.Invite(ctx, owner1, store.NewUser{Name: "X", Email: "x@bela.test"}, store.Grant{Role: market.RoleSellerStaff, ScopeID: sid2}); !errors.Is(err, market.ErrForbidden) {
			t.Errorf("invite to another seller: %v", err)
		}
		if _, err := s.Invite(ctx, owner1, store.NewUser{Name: "X", Email: "x@bela.test"}, store.Grant{Role: market.RoleSellerOwner, ScopeID: sid1}); !errors.Is(err, market.ErrForbidden) {
			t.Errorf("invite an owner: %v", err)
		}
		people, err := s.ListUsers(ctx, store.UserFilter{SellerID: sid1})
		if err != nil || len(people) != 2 {
			t.Errorf("seller 1 people = %d %v", len(people), err)
		}
		// Staff cannot register or decide (the web layer checks roles); the store keeps the
		// owner set apart: notifications of decisions reach owners only.
		if len(staff.SellerIDs(market.RoleSellerOwner)) != 0 {
			t.Error("staff counted as an owner")
		}
	})
}

package store_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// TestInviteOfExistingAccountOnlyOffers is the attack of a self-registered seller owner who
// "invites" an existing official as staff: nothing is granted or changed until the official
// accepts, the inviter gets the same answer as for a new address and sees only what they typed.
func TestInviteOfExistingAccountOnlyOffers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u1, _, _ := seed(t, s)
		victim, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Auditor Sejati", Email: "auditor@inspektorat.example", Phone: "081100001111",
			NIP: "197001012000011001", Password: "rahasia-sekali"}, store.Grant{Role: market.RoleAuditor})
		if err != nil {
			t.Fatal(err)
		}
		uid, sid, err := s.SignUpSeller(ctx, store.SellerSignUp{Name: "Penyusup", Email: "penyusup@contoh.example", Password: "rahasia-sekali", PrivacyAccepted: true})
		if err != nil {
			t.Fatal(err)
		}
		owner, err := s.Principal(ctx, uid)
		if err != nil {
			t.Fatal(err)
		}
		staff := store.Grant{Role: market.RoleSellerStaff, ScopeID: sid}
		typed := store.NewUser{Name: "Nama Ketikan", Email: " AUDITOR@inspektorat.example ", Phone: "089999", NIP: "199901012020011001"}
		inv, err := s.Invite(ctx, owner, typed, staff)
		if err != nil {
			t.Fatalf("invite of an existing address: %v", err)
		}
		if inv.User.ID != 0 || inv.Token != "" {
			t.Errorf("the inviter got the account back: %+v", inv)
		}
		// Nothing changed for the victim: no role, no access, the same profile.
		after, err := s.GetUser(ctx, victim.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(victim, after); diff != "" {
			t.Errorf("the invite changed the account (-before +after):\n%s", diff)
		}
		vp, _ := s.Principal(ctx, victim.ID)
		if vp.InSeller(sid) {
			t.Errorf("the invite granted a role: %+v", vp.Memberships)
		}
		if s.CanManageUser(owner, after) {
			t.Error("the inviter manages the victim")
		}
		people, err := s.ListUsers(ctx, store.UserFilter{SellerID: sid})
		if err != nil || len(people) != 1 || people[0].ID != uid {
			t.Errorf("the seller's people = %+v, %v", people, err)
		}
		// The inviter's list shows the offer as typed, nothing of the account.
		offered, err := s.OfferedRoles(ctx, store.RoleOfferFilter{SellerID: sid})
		if err != nil || len(offered) != 1 {
			t.Fatalf("offered roles = %+v, %v", offered, err)
		}
		if o := offered[0]; o.Name != "Nama Ketikan" || o.Email != "auditor@inspektorat.example" || o.Role != market.RoleSellerStaff || o.OfferedBy != uid {
			t.Errorf("offer = %+v", o)
		}
		// The invitee is told, in the inbox and by e-mail, with a link to their account page
		// and no password link.
		msgs, _ := s.Inbox(ctx, victim.ID)
		if len(msgs) != 1 || !strings.HasSuffix(msgs[0].Link, "/akun") || !strings.Contains(msgs[0].Body, "Penyusup") {
			t.Errorf("invitee's inbox = %+v", msgs)
		}
		mails, _ := s.DueEmails(ctx, 50)
		var toVictim []store.Email
		for _, m := range mails {
			if m.To == "auditor@inspektorat.example" {
				toVictim = append(toVictim, m)
			}
		}
		if len(toVictim) != 1 || strings.Contains(toVictim[0].Body, "kata-sandi/atur") || !strings.Contains(toVictim[0].Body, "/akun") {
			t.Errorf("e-mails to the invitee = %+v", toVictim)
		}
		// The same offer again while it is pending: no duplicate, no second message.
		if _, err := s.Invite(ctx, owner, typed, staff); err != nil {
			t.Fatal(err)
		}
		pending, _ := s.PendingRoleOffers(ctx, victim.ID)
		if len(pending) != 1 {
			t.Fatalf("pending offers after a repeated invite = %d", len(pending))
		}
		if msgs, _ := s.Inbox(ctx, victim.ID); len(msgs) != 1 {
			t.Errorf("a repeated invite sent %d messages", len(msgs))
		}
		// The public trail records the offer without the address.
		rows, err := s.ListAudit(ctx, store.AuditFilter{Action: "role_offer.create"})
		if err != nil || len(rows) != 1 || rows[0].ObjectID != pending[0].ID || strings.Contains(string(rows[0].Canonical), "auditor@") {
			t.Errorf("offer audit = %+v, %v", rows, err)
		}
		// Only the invitee answers their offers.
		if err := s.AcceptRoleOffer(ctx, uid, pending[0].ID); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("the inviter accepts: %v", err)
		}
		if err := s.DeclineRoleOffer(ctx, uid, pending[0].ID); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("the inviter declines: %v", err)
		}
		// Accepting grants the role through the usual grant, audited.
		if err := s.AcceptRoleOffer(ctx, victim.ID, pending[0].ID); err != nil {
			t.Fatal(err)
		}
		vp, _ = s.Principal(ctx, victim.ID)
		if !vp.InSeller(sid, market.RoleSellerStaff) {
			t.Errorf("accepted role missing: %+v", vp.Memberships)
		}
		if rows, _ := s.ListAudit(ctx, store.AuditFilter{Action: "membership.grant", ActorID: uid}); len(rows) != 2 { // owner at signup, staff now
			t.Errorf("grant events by the offerer = %d", len(rows))
		}
		if rows, _ := s.ListAudit(ctx, store.AuditFilter{Action: "role_offer.accept", ActorID: victim.ID}); len(rows) != 1 {
			t.Errorf("accept events = %d", len(rows))
		}
		if err := s.AcceptRoleOffer(ctx, victim.ID, pending[0].ID); market.ErrorCode(err) != market.CodeConflict {
			t.Errorf("accepted twice: %v", err)
		}
		if p, _ := s.PendingRoleOffers(ctx, victim.ID); len(p) != 0 {
			t.Errorf("answered offer still pending: %+v", p)
		}

		// A unit admin "invites" the auditor as PPK of their unit: declined, nothing granted.
		adm, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Admin OPD", Email: "admin@disdik.example", Password: "rahasia-sekali"},
			store.Grant{Role: market.RoleUnitAdmin, ScopeID: u1.ID})
		if err != nil {
			t.Fatal(err)
		}
		ap, _ := s.Principal(ctx, adm.ID)
		if _, err := s.Invite(ctx, ap, store.NewUser{Name: "PPK Baru", Email: "auditor@inspektorat.example"}, store.Grant{Role: market.RoleApprover, ScopeID: u1.ID}); err != nil {
			t.Fatal(err)
		}
		pending, _ = s.PendingRoleOffers(ctx, victim.ID)
		if len(pending) != 1 || pending[0].ScopeName != "Dinas Pendidikan" {
			t.Fatalf("pending = %+v", pending)
		}
		if err := s.DeclineRoleOffer(ctx, victim.ID, pending[0].ID); err != nil {
			t.Fatal(err)
		}
		if vp, _ := s.Principal(ctx, victim.ID); vp.InUnit(u1.ID) {
			t.Errorf("declined role granted: %+v", vp.Memberships)
		}
		if err := s.AcceptRoleOffer(ctx, victim.ID, pending[0].ID); market.ErrorCode(err) != market.CodeConflict {
			t.Errorf("accept after decline: %v", err)
		}
		if o, _ := s.OfferedRoles(ctx, store.RoleOfferFilter{UnitID: u1.ID}); len(o) != 0 {
			t.Errorf("declined offer still listed: %+v", o)
		}
	})
}

func TestRoleOfferExpiresAndNeedsTheOfferersAuthority(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u1, _, _ := seed(t, s)
		root, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Admin UKPBJ", Email: "root@bela.example", Password: "rahasia-sekali"}, store.Grant{Role: market.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		rp, _ := s.Principal(ctx, root.ID)
		adm, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Admin OPD", Email: "admin@disdik.example", Password: "rahasia-sekali"},
			store.Grant{Role: market.RoleUnitAdmin, ScopeID: u1.ID})
		if err != nil {
			t.Fatal(err)
		}
		rina, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Rina", Email: "rina@disdik.example", Password: "rahasia-sekali"})
		if err != nil {
			t.Fatal(err)
		}
		ap, _ := s.Principal(ctx, adm.ID)
		ppk := store.Grant{Role: market.RoleApprover, ScopeID: u1.ID}
		if _, err := s.Invite(ctx, ap, store.NewUser{Name: "Rina", Email: "rina@disdik.example"}, ppk); err != nil {
			t.Fatal(err)
		}
		first, _ := s.PendingRoleOffers(ctx, rina.ID)
		if len(first) != 1 {
			t.Fatalf("pending = %+v", first)
		}
		// Past the invitation lifetime the offer is gone from the page and cannot be accepted.
		c.Advance(store.InviteLifetime + time.Second)
		if p, _ := s.PendingRoleOffers(ctx, rina.ID); len(p) != 0 {
			t.Errorf("expired offer listed: %+v", p)
		}
		if err := s.AcceptRoleOffer(ctx, rina.ID, first[0].ID); market.ErrorCode(err) != market.CodeConflict {
			t.Errorf("expired offer accepted: %v", err)
		}
		if p, _ := s.Principal(ctx, rina.ID); p.Has(market.RoleApprover) {
			t.Error("expired offer granted the role")
		}
		// A new offer replaces the expired one.
		if _, err := s.Invite(ctx, ap, store.NewUser{Name: "Rina", Email: "rina@disdik.example"}, ppk); err != nil {
			t.Fatal(err)
		}
		second, _ := s.PendingRoleOffers(ctx, rina.ID)
		if len(second) != 1 || second[0].ID == first[0].ID {
			t.Fatalf("pending after a new offer = %+v", second)
		}
		// The unit admin loses the role before Rina answers: the offer can no longer be accepted.
		am, _ := s.GetUser(ctx, adm.ID)
		if err := s.EndMembership(ctx, rp, am.Memberships[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.AcceptRoleOffer(ctx, rina.ID, second[0].ID); market.ErrorCode(err) != market.CodeConflict {
			t.Errorf("offer of a former admin accepted: %v", err)
		}
		if p, _ := s.Principal(ctx, rina.ID); p.Has(market.RoleApprover) {
			t.Error("offer of a former admin granted the role")
		}
	})
}

// TestPasswordResetPublicTraceIsTheSame: the transparency log must not tell a known address
// from an unknown one, nor tie an address to an account.
func TestPasswordResetPublicTraceIsTheSame(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u1, _, _ := seed(t, s)
		if _, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Rina", Email: "rina@disdik.example", Password: "rahasia-sekali"}, store.Grant{Role: market.RoleBuyer, ScopeID: u1.ID}); err != nil {
			t.Fatal(err)
		}
		shape := func(email string) (string, store.AuditRow) {
			t.Helper()
			before, _ := s.ListAudit(ctx, store.AuditFilter{Limit: 500})
			if _, err := s.RequestPasswordReset(ctx, email); err != nil {
				t.Fatal(err)
			}
			after, _ := s.ListAudit(ctx, store.AuditFilter{Limit: 500})
			if len(after) != len(before)+1 {
				t.Fatalf("reset for %s wrote %d public events, want 1", email, len(after)-len(before))
			}
			row := after[0]
			if strings.Contains(string(row.Canonical), email) {
				t.Errorf("the public event shows the address: %s", row.Canonical)
			}
			var ev map[string]any
			if err := json.Unmarshal(row.Canonical, &ev); err != nil {
				t.Fatal(err)
			}
			delete(ev, "id")
			delete(ev, "time")
			b, _ := json.Marshal(ev)
			return regexp.MustCompile(`sha256:[0-9a-f]{64}`).ReplaceAllString(string(b), "sha256:…"), row
		}
		known, krow := shape("rina@disdik.example")
		c.Advance(time.Second)
		unknown, urow := shape("nobody@disdik.example")
		if known != unknown {
			t.Errorf("public events differ:\nknown   %s\nunknown %s", known, unknown)
		}
		for _, r := range []store.AuditRow{krow, urow} {
			if r.Action != "user.password_reset_requested" || r.ActorUserID != 0 || r.ObjectID != 0 {
				t.Errorf("event = %s by %d on %d", r.Action, r.ActorUserID, r.ObjectID)
			}
		}
		if !strings.Contains(known, `"email":{"after":"sha256:…"}`) {
			t.Errorf("the address is not a private field of the event: %s", known)
		}
	})
}

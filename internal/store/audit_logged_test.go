package store_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// ListAudit returns each event as its canonical bytes (the transparency log's leaf) say, and
// names the columns that an edit in the database made disagree with them.
func TestListAuditReadsTheLoggedEventAndFlagsAlteredColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		u1, _, _ := seed(t, s)
		hash := store.HashPassword("kata-sandi-uji")
		ppk, err := s.CreateUserWithHash(ctx, store.System, store.NewUser{Name: "Bu PPK", Email: "ppk@bela.test"}, hash, store.Grant{Role: market.RoleApprover, ScopeID: u1.ID})
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateUserWithHash(ctx, store.System, store.NewUser{Name: "Pak Lain", Email: "lain@bela.test"}, hash, store.Grant{Role: market.RoleAuditor})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUnit(ctx, store.Actor{UserID: ppk, Role: market.RoleAdmin}, "9.99", "Dinas Uji"); err != nil {
			t.Fatal(err)
		}
		rows, err := s.ListAudit(ctx, store.AuditFilter{Action: "unit.create", ActorID: ppk})
		if err != nil || len(rows) != 1 {
			t.Fatal(rows, err)
		}
		want := rows[0]
		if len(want.Mismatch) != 0 || want.ActorName != "Bu PPK" {
			t.Fatalf("untouched row: %+v", want)
		}
		if _, err := s.DB().ExecContext(ctx, `UPDATE audit_events SET action = 'order.cancel', actor_user_id = $1, actor_role = 'auditor', object_id = 77 WHERE seq = $2`,
			other, want.Seq); err != nil {
			t.Fatal(err)
		}
		rows, err = s.ListAudit(ctx, store.AuditFilter{Action: "order.cancel"})
		if err != nil || len(rows) != 1 {
			t.Fatal(rows, err)
		}
		got := rows[0]
		if diff := cmp.Diff([]string{"actor_user_id", "actor_role", "action", "object_id"}, got.Mismatch); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
		got.Mismatch = nil
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("the altered row does not read as logged (-logged +read):\n%s", diff)
		}
	})
}

package demo_test

import (
	"testing"

	"bela/internal/demo"
	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// The demo auditor has one open case on a split purchase with two notes, and one case closed
// with an administrative finding; other split purchases are left without a case to open.
func TestAuditCasesSmall(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t, storetest.NewClock(storetest.Start))
	res := load(t, s, demo.Options{Small: true})
	l, ok := res.LoginFor(market.RoleAuditor)
	if !ok {
		t.Fatal("no auditor login")
	}
	u, err := s.FindUserByEmail(ctx, l.Email)
	if err != nil {
		t.Fatal(err)
	}
	auditor, err := s.Principal(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := s.ListCases(ctx, auditor, store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var open, closed []store.Case
	for _, c := range cases {
		if c.OpenedBy != u.ID {
			t.Errorf("case %d opened by %d, not the demo auditor", c.ID, c.OpenedBy)
		}
		switch c.State {
		case market.CaseOpen:
			open = append(open, c)
		case market.CaseClosed:
			closed = append(closed, c)
		}
	}
	if len(open) != 1 || open[0].NoteCount != 2 || len(open[0].Flags) == 0 || open[0].Flags[0] != market.FlagSplit {
		t.Errorf("open cases = %+v", open)
	}
	if len(closed) != 1 || closed[0].Conclusion != market.ConclusionAdministrative || closed[0].ClosedBy != u.ID {
		t.Errorf("closed cases = %+v", closed)
	}
	for _, c := range cases {
		if c.OpenedAt.After(storetest.Start) || c.ClosedAt.After(storetest.Start) || c.OpenedAt.Before(storetest.Start.AddDate(0, 0, -7)) {
			t.Errorf("case %d dated %v – %v", c.ID, c.OpenedAt, c.ClosedAt)
		}
	}
	left, err := s.RedFlagOrders(ctx, auditor, store.RedFlagFilter{Flag: market.FlagSplit, WithoutCase: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(left) == 0 {
		t.Error("no split purchase is left without a case")
	}
	if n := count(t, s, `SELECT COUNT(*) FROM audit_events WHERE object_type = 'case'`); n != 4 {
		t.Errorf("%d case events, want 4 (two openings, a note, a closing)", n)
	}
}

package demo_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bela/internal/demo"
	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

var ctx = context.Background()

// rows runs a query through the store's handle and returns every row as one string.
func rows(t *testing.T, s *store.Store, query string, args ...any) []string {
	t.Helper()
	rs, err := s.DB().QueryContext(ctx, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteString(" | ")
			}
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprint(&b, v)
		}
		out = append(out, b.String())
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func count(t *testing.T, s *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// snapshot is what must not change between two loads: every unit, seller, user and membership
// by its natural keys (ids and times aside).
func snapshot(t *testing.T, s *store.Store) map[string][]string {
	return map[string][]string{
		"kecamatan": rows(t, s, `SELECT code, name FROM kecamatan ORDER BY code`),
		"units":     rows(t, s, `SELECT code, name FROM units ORDER BY id`),
		"sellers":   rows(t, s, `SELECT name, kecamatan, status FROM sellers ORDER BY id`),
		"users":     rows(t, s, `SELECT name, email, phone, nip FROM users ORDER BY id`),
		"memberships": rows(t, s, `SELECT u.email, m.role, m.scope_kind, COALESCE(un.name, sl.name, ''), m.valid_from, m.valid_to
			FROM memberships m JOIN users u ON u.id = m.user_id
			LEFT JOIN units un ON m.scope_kind = 'unit' AND un.id = m.scope_id
			LEFT JOIN sellers sl ON m.scope_kind = 'seller' AND sl.id = m.scope_id
			ORDER BY m.id`),
	}
}

func load(t *testing.T, s *store.Store, opt demo.Options) *demo.Result {
	t.Helper()
	res, err := demo.Load(ctx, s, opt)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return res
}

// skipLarge skips a test of the default or a larger data set under -short or the race detector.
func skipLarge(t *testing.T) {
	t.Helper()
	if testing.Short() || raceEnabled {
		t.Skip("loads the default demo data set or a larger one; skipped under -short and -race")
	}
}

func TestLoadSmall(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		res := load(t, s, demo.Options{Small: true})

		in, err := s.GetInstance(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if in.Name != "Pemerintah Kota Medan" || in.RegionCode != "12.71" || in.TimeZone != "Asia/Jakarta" {
			t.Errorf("instance = %+v", in)
		}

		// Counts agree with the database.
		if got, want := res.Kecamatan, 21; got != want {
			t.Errorf("Kecamatan = %d, want %d", got, want)
		}
		for _, c := range []struct {
			name  string
			got   int
			query string
		}{
			{"kecamatan", res.Kecamatan, `SELECT COUNT(*) FROM kecamatan`},
			{"units", res.Units, `SELECT COUNT(*) FROM units`},
			{"sellers", res.Sellers, `SELECT COUNT(*) FROM sellers`},
			{"users", res.Users, `SELECT COUNT(*) FROM users`},
		} {
			if want := count(t, s, c.query); c.got != want || want == 0 {
				t.Errorf("%s: result says %d, database has %d", c.name, c.got, want)
			}
		}
		if res.Units != 10 || res.Sellers != demo.SmallSellers {
			t.Errorf("small set has %d units and %d sellers, want 10 and %d", res.Units, res.Sellers, demo.SmallSellers)
		}

		// Kecamatan codes belong to Kota Medan, and every seller sits in one of them.
		kec := rows(t, s, `SELECT code, name FROM kecamatan ORDER BY code`)
		for i, k := range kec {
			if want := fmt.Sprintf("12.71.%02d | Medan ", i+1); !strings.HasPrefix(k, want) {
				t.Errorf("kecamatan %d = %q, want prefix %q", i, k, want)
			}
		}
		if n := count(t, s, `SELECT COUNT(*) FROM sellers WHERE kecamatan NOT IN (SELECT name FROM kecamatan)`); n != 0 {
			t.Errorf("%d sellers outside the kecamatan list", n)
		}

		// Every unit has every unit role, each held by someone with an 18-digit NIP.
		units, err := s.ListUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			for _, role := range []market.Role{market.RoleBuyer, market.RoleApprover, market.RoleReceiver, market.RoleTreasurer, market.RoleUnitAdmin} {
				if n := count(t, s, `SELECT COUNT(*) FROM memberships m JOIN users us ON us.id = m.user_id
					WHERE m.scope_kind = 'unit' AND m.scope_id = $1 AND m.role = $2 AND LENGTH(us.nip) = 18`, u.ID, string(role)); n == 0 {
					t.Errorf("unit %s has no %s", u.Name, role)
				}
			}
		}
		// Every seller has exactly one owner.
		if n := count(t, s, `SELECT COUNT(*) FROM sellers sl WHERE (SELECT COUNT(*) FROM memberships m
			WHERE m.scope_kind = 'seller' AND m.scope_id = sl.id AND m.role = 'seller_owner') <> 1`); n != 0 {
			t.Errorf("%d sellers without exactly one owner", n)
		}
		nip := regexp.MustCompile(`^(19[6-9]\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d)(19|20)\d\d(0[1-9]|1[0-2])[12]\d{3}$`)
		for _, n := range rows(t, s, `SELECT nip FROM users WHERE nip <> ''`) {
			if !nip.MatchString(n) {
				t.Errorf("NIP %q is not shaped like a BKN number", n)
			}
		}
		if dup := count(t, s, `SELECT COUNT(*) FROM (SELECT nip FROM users WHERE nip <> '' GROUP BY nip HAVING COUNT(*) > 1) d`); dup != 0 {
			t.Errorf("%d NIPs repeat", dup)
		}

		// One working login per role, holding that role.
		if len(res.Logins) != len(market.Roles) {
			t.Fatalf("%d logins, want %d", len(res.Logins), len(market.Roles))
		}
		principals := map[market.Role]*market.Principal{}
		for i, lg := range res.Logins {
			if lg.Role != market.Roles[i] {
				t.Errorf("login %d is %s, want %s", i, lg.Role, market.Roles[i])
			}
			if lg.Password != demo.DefaultPassword || lg.Scope == "" || lg.Name == "" || !lg.Until.IsZero() {
				t.Errorf("login %+v", lg)
			}
			id, err := s.Authenticate(ctx, lg.Email, demo.DefaultPassword)
			if err != nil {
				t.Errorf("%s: authenticate %s: %v", lg.Role, lg.Email, err)
				continue
			}
			p, err := s.Principal(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Has(lg.Role) {
				t.Errorf("%s login %s holds %v", lg.Role, lg.Email, p.Roles())
			}
			principals[lg.Role] = p
		}
		if got, ok := res.LoginFor(market.RoleBuyer); !ok || got.Scope != "Dinas Pendidikan" {
			t.Errorf("buyer login = %+v, %v", got, ok)
		}

		// The unit logins share Dinas Pendidikan; the seller logins share a verified seller.
		unit := principals[market.RoleBuyer].UnitIDs()
		for _, role := range []market.Role{market.RoleApprover, market.RoleReceiver, market.RoleTreasurer, market.RoleUnitAdmin} {
			if got := principals[role].UnitIDs(); len(unit) != 1 || !slices.Equal(got, unit) {
				t.Errorf("%s is in units %v, buyer in %v", role, got, unit)
			}
		}
		if u, err := s.GetUnit(ctx, unit[0]); err != nil || u.Name != "Dinas Pendidikan" {
			t.Errorf("login unit = %+v, %v", u, err)
		}
		seller := principals[market.RoleSellerOwner].SellerIDs()
		if got := principals[market.RoleSellerStaff].SellerIDs(); len(seller) != 1 || !slices.Equal(got, seller) {
			t.Errorf("staff is in sellers %v, owner in %v", got, seller)
		}
		if sl, err := s.GetSeller(ctx, seller[0]); err != nil || sl.Status != string(market.SellerVerified) {
			t.Errorf("login seller = %+v, %v", sl, err)
		}

		// The acting PPK holds the approver role in Dinas Kesehatan until Until, then loses it.
		act := res.Acting
		if act.Role != market.RoleApprover || act.Scope != "Dinas Kesehatan" {
			t.Errorf("acting = %+v", act)
		}
		if left := act.Until.Sub(c.Now()); left <= 29*24*time.Hour || left > 30*24*time.Hour {
			t.Errorf("acting role ends in %v, want about 30 days", left)
		}
		id, err := s.Authenticate(ctx, act.Email, demo.DefaultPassword)
		if err != nil {
			t.Fatal(err)
		}
		if p, _ := s.Principal(ctx, id); !p.Has(market.RoleApprover) {
			t.Errorf("acting PPK is not an approver now")
		}
		c.Advance(act.Until.Sub(c.Now()))
		if p, _ := s.Principal(ctx, id); p.Has(market.RoleApprover) {
			t.Errorf("acting PPK is still an approver at %v", c.Now())
		}
	})
}

func TestLoadIsDeterministic(t *testing.T) {
	t.Parallel()
	c := storetest.NewClock(storetest.Start)
	s1, s2 := storetest.OpenSQLite(t, c), storetest.OpenSQLite(t, c)
	r1 := load(t, s1, demo.Options{Small: true})
	r2 := load(t, s2, demo.Options{Small: true})
	if diff := cmp.Diff(r1, r2); diff != "" {
		t.Errorf("results differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(snapshot(t, s1), snapshot(t, s2)); diff != "" {
		t.Errorf("data differs (-first +second):\n%s", diff)
	}
}

// TestDefaultScale loads the default data set: about 300 sellers, the Pemko's units with their
// officials, and the small set as its prefix. It also reports the load time.
func TestDefaultScale(t *testing.T) {
	skipLarge(t)
	t.Parallel()
	c := storetest.NewClock(storetest.Start)
	small, full := storetest.OpenSQLite(t, c), storetest.OpenSQLite(t, c)
	rs := load(t, small, demo.Options{Small: true})
	start := time.Now()
	rf := load(t, full, demo.Options{})
	t.Logf("default demo data: %d units, %d sellers, %d users in %v", rf.Units, rf.Sellers, rf.Users, time.Since(start))

	if rf.Sellers != demo.SellersPerScale || rf.Units < 50 || rf.Users < rf.Sellers+5*rf.Units {
		t.Errorf("default set: %+v", rf)
	}
	if diff := cmp.Diff(rs.Logins, rf.Logins); diff != "" {
		t.Errorf("logins differ between the small and default sets (-small +default):\n%s", diff)
	}
	// Everything of the small set is in the default one, with the same names and addresses.
	ss, fs := snapshot(t, small), snapshot(t, full)
	for _, table := range []string{"kecamatan", "units", "sellers", "users"} {
		for _, row := range ss[table] {
			if !slices.Contains(fs[table], row) {
				t.Errorf("%s: small-set row %q missing from the default set", table, row)
			}
		}
	}
	// Every status of a seller's life occurs.
	for _, st := range market.SellerStatuses {
		if n := count(t, full, `SELECT COUNT(*) FROM sellers WHERE status = $1`, string(st)); n == 0 {
			t.Errorf("no seller is %s", st)
		}
	}
	if v, all := count(t, full, `SELECT COUNT(*) FROM sellers WHERE status = 'verified'`), rf.Sellers; v*100 < all*75 {
		t.Errorf("only %d of %d sellers verified", v, all)
	}
	if n := count(t, full, `SELECT COUNT(DISTINCT kecamatan) FROM sellers`); n != 21 {
		t.Errorf("sellers in %d kecamatan, want all 21", n)
	}
	if n := count(t, full, `SELECT COUNT(DISTINCT name) FROM sellers`); n != rf.Sellers {
		t.Errorf("%d distinct seller names for %d sellers", n, rf.Sellers)
	}
}

func TestScaleGrowsData(t *testing.T) {
	skipLarge(t)
	t.Parallel()
	s := storetest.OpenSQLite(t, storetest.NewClock(storetest.Start))
	res := load(t, s, demo.Options{Scale: 2})
	if res.Sellers != 2*demo.SellersPerScale {
		t.Errorf("Scale 2: %d sellers", res.Sellers)
	}
	base := 55 // perangkat daerah and kecamatan offices
	if res.Units != base+demo.SubUnitsPerScale {
		t.Errorf("Scale 2: %d units, want %d", res.Units, base+demo.SubUnitsPerScale)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM units WHERE name LIKE 'UPT Puskesmas %'`); n == 0 {
		t.Error("Scale 2 added no puskesmas")
	}
}

func TestLoadRefusals(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t, storetest.NewClock(storetest.Start))
	if _, err := demo.Load(ctx, s, demo.Options{Small: true, Password: "short"}); !errors.Is(err, market.ErrInvalid) {
		t.Errorf("short password: %v, want invalid", err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM users`); n != 0 {
		t.Errorf("short password stored %d users", n)
	}
	res := load(t, s, demo.Options{Small: true, Password: "another-demo-pass"})
	if _, err := s.Authenticate(ctx, res.Logins[0].Email, "another-demo-pass"); err != nil {
		t.Errorf("custom password: %v", err)
	}
	before := count(t, s, `SELECT COUNT(*) FROM audit_events`)
	if _, err := demo.Load(ctx, s, demo.Options{Small: true}); !errors.Is(err, market.ErrConflict) {
		t.Errorf("second load: %v, want conflict", err)
	}
	if after := count(t, s, `SELECT COUNT(*) FROM audit_events`); after != before {
		t.Errorf("second load changed the audit trail: %d → %d events", before, after)
	}
}

func TestEveryChangeIsAudited(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t, storetest.NewClock(storetest.Start))
	res := load(t, s, demo.Options{Small: true})
	for _, c := range []struct {
		action string
		want   int
	}{
		{"kecamatan.add", res.Kecamatan},
		{"unit.create", res.Units},
		{"seller.create", res.Sellers},
		{"user.create", res.Users},
		{"membership.grant", count(t, s, `SELECT COUNT(*) FROM memberships`)},
	} {
		if got := count(t, s, `SELECT COUNT(*) FROM audit_events WHERE action = $1`, c.action); got != c.want {
			t.Errorf("%s: %d audit events, want %d", c.action, got, c.want)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, scale := range []int{1, 4} {
		b.Run(fmt.Sprintf("scale=%d", scale), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s := storetest.OpenSQLite(b, storetest.NewClock(storetest.Start))
				b.StartTimer()
				if _, err := demo.Load(ctx, s, demo.Options{Scale: scale}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Each demo login whose role acts on orders finds one waiting for them: the PPK an order to
// approve, the seller an approved order to accept, the receiver a shipped order to receive.
func TestLoginsFindOrdersWaiting(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store, _ *storetest.Clock) {
		res := load(t, s, demo.Options{Small: true})
		login := func(role market.Role) *market.Principal {
			for _, l := range res.Logins {
				if l.Role == role {
					u, err := s.FindUserByEmail(ctx, l.Email)
					if err != nil {
						t.Fatal(err)
					}
					p, err := s.Principal(ctx, u.ID)
					if err != nil {
						t.Fatal(err)
					}
					return p
				}
			}
			t.Fatalf("no %s login", role)
			return nil
		}
		ppk, seller, receiver := login(market.RoleApprover), login(market.RoleSellerOwner), login(market.RoleReceiver)
		for _, c := range []struct {
			who string
			p   *market.Principal
			f   store.OrderFilter
		}{
			{"the PPK's orders to approve", ppk, store.OrderFilter{PPKID: ppk.UserID, State: market.StateAwaitingApproval}},
			{"the seller's approved orders", seller, store.OrderFilter{SellerID: seller.SellerIDs(market.RoleSellerOwner)[0], State: market.StateApproved}},
			{"the receiver's shipped orders", receiver, store.OrderFilter{UnitID: receiver.UnitIDs(market.RoleReceiver)[0], State: market.StateShipped}},
		} {
			list, err := s.ListOrders(ctx, c.p, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 0 {
				t.Errorf("%s: none", c.who)
			}
		}
	})
}

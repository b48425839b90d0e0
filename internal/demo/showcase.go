package demo

import (
	"context"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// showcase schedules three orders of the login unit's buyer from the login seller that stop
// where each demo login finds work waiting on their home page: one awaiting the login PPK's
// approval, one approved and waiting for the seller to accept it, and one shipped and waiting
// for the login receiver's BAST. Their steps run at fixed times in the last days before the
// demo's now, within the policy's deadlines, so that they reach exactly these states however
// the random history went. Nothing is scheduled when the login unit or seller is missing.
func (sim *orderSim) showcase(ctx context.Context) error {
	if len(sim.l.sellers) == 0 {
		return nil
	}
	seller := sim.l.sellers[0].ID
	var items []store.CartItem
	for _, p := range sim.bySeller[seller] {
		if p.ID != sim.premium && !sim.pricey(p) && len(items) < 2 {
			items = append(items, store.CartItem{ProductID: p.ID, Quantity: max(p.MinOrder, min(10, p.Stock/20))})
		}
	}
	up, buyer, ppk, receiver, err := sim.loginUnit(ctx)
	if err != nil || up == nil || len(items) == 0 {
		return err
	}
	owner, err := sim.owner(ctx, seller)
	if err != nil {
		return err
	}
	s := sim.l.s
	// at is n days before now at the given time of day (WIB): always in the past for n ≥ 1.
	at := func(n, hour, minute int) time.Time {
		d := sim.now.In(sim.wib).AddDate(0, 0, -n)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, sim.wib)
	}
	// step runs fn on the order at t, unless its checkout was stopped (by a rule, or stock).
	step := func(o *demoOrder, t time.Time, fn func(ctx context.Context) error) demoEvent {
		return demoEvent{at: t, run: func(ctx context.Context) ([]demoEvent, error) {
			if o.id == 0 {
				return nil, nil
			}
			return nil, tolerate(fn(ctx))
		}}
	}
	order := func(n int) *demoOrder {
		return &demoOrder{up: up, buyer: buyer, ppk: ppk, receiver: receiver, seller: seller, items: items[:1+n%len(items)], fate: fateShowcase}
	}
	approve := func(o *demoOrder) func(ctx context.Context) error {
		return func(ctx context.Context) error { _, err := s.Approve(ctx, o.ppk, o.id); return err }
	}
	accept := func(o *demoOrder) func(ctx context.Context) error {
		return func(ctx context.Context) error { _, err := s.Accept(ctx, owner, o.id); return err }
	}

	waitApproval, waitAcceptance, waitReceipt := order(0), order(1), order(2)
	sim.push(
		demoEvent{at: at(1, 10, 0), run: sim.checkout(waitApproval)},

		demoEvent{at: at(2, 10, 0), run: sim.checkout(waitAcceptance)},
		step(waitAcceptance, at(1, 11, 0), approve(waitAcceptance)),

		demoEvent{at: at(4, 10, 0), run: sim.checkout(waitReceipt)},
		step(waitReceipt, at(3, 11, 0), approve(waitReceipt)),
		step(waitReceipt, at(2, 9, 30), accept(waitReceipt)),
		step(waitReceipt, at(1, 14, 0), func(ctx context.Context) error {
			_, err := s.Ship(ctx, owner, waitReceipt.id, store.ShipInput{DeliveryNote: "SJ/UDSD/0001", Courier: "JNE", Tracking: "MDN000123456"})
			return err
		}),
	)
	return nil
}

// loginUnit returns the work unit of the login buyer with the login buyer, PPK and receiver
// (nil when the unit has none), or a nil unit when the demo has no such unit.
func (sim *orderSim) loginUnit(ctx context.Context) (*unitPeople, *market.Principal, *market.Principal, *market.Principal, error) {
	ids := map[market.Role]int64{}
	for _, role := range []market.Role{market.RoleBuyer, market.RoleApprover, market.RoleReceiver} {
		u, err := sim.l.s.FindUserByEmail(ctx, sim.l.logins[role].Email)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		ids[role] = u.ID
	}
	find := func(ps []*market.Principal, id int64) *market.Principal {
		for _, p := range ps {
			if p.UserID == id {
				return p
			}
		}
		return nil
	}
	for _, up := range sim.units {
		buyer, ppk := find(up.buyers, ids[market.RoleBuyer]), find(up.approvers, ids[market.RoleApprover])
		if buyer != nil && ppk != nil {
			return up, buyer, ppk, find(up.receivers, ids[market.RoleReceiver]), nil
		}
	}
	return nil, nil, nil, nil, nil
}

package store

import (
	"maps"
	"slices"
	"sync"
	"time"

	"bela/internal/market"
)

// recentOrders keeps, per unit, the counted orders of the split-purchase window as a checkout
// last saw them, under the unit's orders_version they were read at. Every change to a unit's
// orders raises that version in the same transaction, so an entry whose version is the one in
// the database is exactly what reading the orders again would give; a checkout that commits
// adds its own orders under the version it committed. Reading the window was a quarter of a
// checkout's CPU with a few hundred orders in it.
type recentOrders struct {
	mu    sync.Mutex
	units map[int64]recentEntry
}

type recentEntry struct {
	version int64
	since   time.Time // every counted order placed after since is in orders
	cats    categoryIDs
	orders  []market.PastOrder // category ids from cats; shared, never modified
}

// get returns the unit's counted orders placed after since, with the category ids they use,
// when the entry was read at version and covers since. The map is the caller's to extend.
func (r *recentOrders) get(unitID, version int64, since time.Time) (categoryIDs, []market.PastOrder, bool) {
	r.mu.Lock()
	e, ok := r.units[unitID]
	r.mu.Unlock()
	if !ok || e.version != version || since.Before(e.since) {
		return nil, nil, false
	}
	var out []market.PastOrder
	for _, o := range e.orders {
		if o.PlacedAt.After(since) {
			out = append(out, o)
		}
	}
	return maps.Clone(e.cats), out, true
}

// put records the unit's counted orders placed after since as of version, unless a later
// version is already recorded.
func (r *recentOrders) put(unitID, version int64, since time.Time, cats categoryIDs, orders []market.PastOrder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.units[unitID]; ok && e.version > version {
		return
	}
	if r.units == nil {
		r.units = map[int64]recentEntry{}
	}
	r.units[unitID] = recentEntry{version: version, since: since, cats: maps.Clone(cats), orders: slices.Clip(orders)}
}

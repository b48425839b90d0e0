package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// The first seller is fixed: the verified business whose owner and staff are the demo logins.
const (
	loginSellerName      = "UD Sinar Deli"
	loginSellerKecamatan = "Medan Deli"
)

// loadSellers creates the UMK seller rows, spread over the kecamatan by weight and mostly
// verified, each with an owner and some with one or two staff members. A seller's kecamatan is
// stored by name, as market.Address holds it. The small data set is a prefix of the default one.
func (l *loader) loadSellers(ctx context.Context, r *rand.Rand) error {
	n := SellersPerScale * l.opt.Scale
	if l.opt.Small {
		n = SmallSellers
	}
	l.used["seller:"+loginSellerName] = true
	for i := range n {
		name, kec, status := loginSellerName, loginSellerKecamatan, "verified"
		staff := 1
		if i > 0 {
			name = l.sellerName(r)
			kec = medanKecamatan[pickWeighted(r, len(medanKecamatan), func(i int) int { return medanKecamatan[i].weight })].name
			status = sellerStatusWeights[pickWeighted(r, len(sellerStatusWeights), func(i int) int { return sellerStatusWeights[i].weight })].status
			switch x := r.IntN(100); {
			case status == "draft":
				staff = 0 // still being filled in by its owner alone
			case x < twoStaffPercent:
				staff = 2
			case x < staffPercent:
				staff = 1
			default:
				staff = 0
			}
		}
		sl, err := l.s.CreateSeller(ctx, store.System, name, kec, status)
		if err != nil {
			return fmt.Errorf("seller %s: %w", name, err)
		}
		l.sellers = append(l.sellers, sl)
		l.res.Sellers++
		owner := l.umkPerson(r)
		ownerID, err := l.createUser(ctx, store.System, owner, store.Grant{Role: market.RoleSellerOwner, ScopeID: sl.ID})
		if err != nil {
			return err
		}
		// The owner invites the staff.
		ownerActor := store.Actor{UserID: ownerID, Role: market.RoleSellerOwner}
		if i == 0 {
			l.remember(market.RoleSellerOwner, owner, sl.Name, time.Time{})
		}
		for range staff {
			m := l.umkPerson(r)
			if _, err := l.createUser(ctx, ownerActor, m, store.Grant{Role: market.RoleSellerStaff, ScopeID: sl.ID}); err != nil {
				return err
			}
			if i == 0 {
				l.remember(market.RoleSellerStaff, m, sl.Name, time.Time{})
			}
		}
	}
	return nil
}

// Shares of sellers with staff: twoStaffPercent have two, staffPercent−twoStaffPercent one.
const (
	staffPercent    = 30
	twoStaffPercent = 6
)

// sellerName draws an unused business name from the patterns of a line of business, numbering
// it ("UD Sinar Deli 2") only when the patterns run out, at large scales.
func (l *loader) sellerName(r *rand.Rand) string {
	var name string
	for try := 0; ; try++ {
		trade := sellerTrades[pickWeighted(r, len(sellerTrades), func(i int) int { return sellerTrades[i].weight })]
		name = pick(r, trade.patterns)
		for _, f := range []struct {
			key   string
			words []string
		}{
			{"{H}", hopeWords}, {"{P}", placeWords}, {"{N}", nicknames}, {"{F}", fruitWords}, {"{K}", familyNames},
		} {
			if at := strings.Index(name, f.key); at >= 0 {
				name = name[:at] + pick(r, f.words) + name[at+len(f.key):]
			}
		}
		if !l.used["seller:"+name] || try >= 20 {
			break
		}
	}
	base := name
	for n := 2; l.used["seller:"+name]; n++ {
		name = fmt.Sprintf("%s %d", base, n)
	}
	l.used["seller:"+name] = true
	return name
}

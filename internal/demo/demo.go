// Package demo loads deterministic demo data for Pemerintah Kota Medan through the store's use
// cases: the instance, its 21 kecamatan, its work units with their officials, the instance-level
// officials, and UMK sellers with their owners and staff.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"bela/internal/blob"
	"bela/internal/market"
	"bela/internal/store"
)

// DefaultPassword is the one password of every demo account unless Options.Password says otherwise.
const DefaultPassword = "demo-bela-2026"

// Fake e-mail domains of the demo people: civil servants of the Pemko, UMK owners and staff,
// and the partner marketplace. The .example top-level domain never delivers mail.
const (
	OfficialDomain = "pemkomedan.example"
	SellerDomain   = "umkm.example"
	PartnerDomain  = "pasardigital.example"
)

// Sizes of the default data set (Scale 1) and of the small one used by tests.
const (
	SellersPerScale  = 300 // sellers per unit of Scale
	SubUnitsPerScale = 40  // schools and puskesmas added per unit of Scale above 1
	SmallSellers     = 20  // sellers of the small data set
)

// The instance the demo runs.
const (
	InstanceName = "Pemerintah Kota Medan"
	RegionCode   = "12.71" // kode wilayah of Kota Medan (Kemendagri)
	TimeZone     = "Asia/Jakarta"
)

// The acting PPK was appointed actingDaysBefore days before Options.Now and stays until
// actingDaysAfter days after it (both at midnight WIB).
const (
	actingDaysBefore = 30
	actingDaysAfter  = 30
)

// The fixed seed, and the random streams: each part of the data draws from its own stream, so
// that adding a part, or growing one with Scale, leaves the others unchanged. Later parts
// (products, budget lines, orders) take the next stream numbers.
const (
	seedHi, seedLo = 0x42454c41_4d45444e, 0x32303236_64656d6f
	streamUnits    = 1
	streamInstance = 2
	streamSellers  = 3
	streamSubUnits = 4
)

// Options says how much demo data to load and with which password.
type Options struct {
	// Scale multiplies the data for benchmarks without changes in the callers: Scale N loads
	// N × 300 sellers and (N−1) × 40 extra work units (schools under Dinas Pendidikan and
	// puskesmas under Dinas Kesehatan), each with its officials. 0 and 1 both mean the default
	// demo size, which loads in well under a second.
	Scale int
	// Small loads a tiny data set for tests under the race detector: all 21 kecamatan, 10 work
	// units (among them Dinas Pendidikan, Dinas Kesehatan and Dinas Koperasi UKM dan
	// Perdagangan), the instance-level officials and 20 sellers. It overrides Scale. The small
	// set is a subset of the default one: each unit, person and seller in it is also in the
	// default set with the same name and e-mail address, and the demo logins are the same.
	Small bool
	// Password is the one password of every demo account; empty means DefaultPassword. It must
	// be at least store.MinPasswordLen characters.
	Password string
	// Blobs stores the generated product photos; without it the demo listings have no photos.
	Blobs *blob.Store
	// Now is the reference time for generated dates (such as the acting PPK's period); the zero
	// time means the store's clock.
	Now time.Time
}

// Login is one demo account, printed by `bela demo` so that a visitor can sign in as each role.
type Login struct {
	Role     market.Role
	Email    string
	Password string
	// Scope names where the role applies: the work unit, the seller, or the office or company
	// of an instance-level official.
	Scope string
	Name  string
	// Until is when an acting official's role ends; zero for permanent roles.
	Until time.Time
}

// Result describes what Load created.
type Result struct {
	// Logins has one account per role, in the order of market.Roles. The buyer, approver,
	// receiver, treasurer and unit_admin accounts are in the same unit (Dinas Pendidikan), and
	// the seller_owner and seller_staff accounts belong to the same verified seller.
	Logins []Login
	// Acting is an acting PPK (Plt) of Dinas Kesehatan whose approver role ends by itself.
	Acting    Login
	Kecamatan int
	Units     int
	Sellers   int
	Users     int
	Products  int // approved listings (products.go)
	// BudgetLines and Orders count what orders.go loaded; PremiumProduct is the listing priced
	// far above its category's reference, whose orders raise the price warning.
	BudgetLines    int
	Orders         int
	PremiumProduct Showcase
}

// LoginFor returns the demo account of a role, and false when there is none.
func (r *Result) LoginFor(role market.Role) (Login, bool) {
	for _, l := range r.Logins {
		if l.Role == role {
			return l, true
		}
	}
	return Login{}, false
}

// Load fills an empty store with the demo data of Kota Medan, all in one transaction (one durable
// commit), through the same use cases the application uses, so every row has its audit event.
// The same Options always give the same units, sellers, people and e-mail addresses.
//
// Errors: a CodeInvalid *market.Error for a password shorter than store.MinPasswordLen; a
// CodeConflict *market.Error when the store already has an instance (demo data needs a fresh
// database); otherwise any error of the store's use cases, in which case nothing is stored.
func Load(ctx context.Context, s *store.Store, opt Options) (*Result, error) {
	if opt.Password == "" {
		opt.Password = DefaultPassword
	}
	if len([]rune(opt.Password)) < store.MinPasswordLen {
		return nil, market.Invalid("password", fmt.Sprintf("Kata sandi demo minimal %d karakter.", store.MinPasswordLen))
	}
	if opt.Scale < 1 {
		opt.Scale = 1
	}
	if opt.Now.IsZero() {
		opt.Now = s.Now()
	}
	// The load makes a great deal of short-lived garbage: collecting it a quarter as often saves
	// about a tenth of the load for some 40 MB more heap while it runs.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	switch _, err := s.GetInstance(ctx); {
	case err == nil:
		return nil, market.Conflict("Data demo hanya dapat dimuat ke basis data yang masih kosong.")
	case !errors.Is(err, market.ErrNotFound):
		return nil, fmt.Errorf("load demo data: %w", err)
	}
	l := &loader{
		s:      s,
		opt:    opt,
		hash:   store.HashPassword(opt.Password),
		used:   map[string]bool{},
		logins: map[market.Role]Login{},
		units:  map[string]store.Unit{},
	}
	// The product photos need no database: they are drawn on another core while the first
	// parts load, and loadProducts waits for them.
	photos := make(chan photoResult, 1)
	go func() {
		set, err := l.photoSet()
		photos <- photoResult{set, err}
	}()
	l.photos = sync.OnceValues(func() ([]store.NewProductPhoto, error) {
		r := <-photos
		return r.set, r.err
	})
	if err := s.Batch(ctx, l.load); err != nil {
		return nil, fmt.Errorf("load demo data: %w", err)
	}
	for _, role := range market.Roles {
		lg, ok := l.logins[role]
		if !ok {
			return nil, fmt.Errorf("load demo data: no login for role %s", role)
		}
		l.res.Logins = append(l.res.Logins, lg)
	}
	return &l.res, nil
}

// loader holds the state of one Load: the options, the hashed password, the names and numbers
// already given out (e-mail addresses, NIPs and seller names must not repeat) and the result.
type loader struct {
	s      *store.Store
	opt    Options
	hash   string
	admin  store.Actor
	used   map[string]bool
	logins map[market.Role]Login
	units  map[string]store.Unit // by name
	// unitList and sellers keep what was created, in order, for the parts that build on them.
	unitList []store.Unit
	sellers  []store.Seller
	res      Result
	photos   func() ([]store.NewProductPhoto, error) // the generated photos (photoSet), once drawn
}

type photoResult struct {
	set []store.NewProductPhoto
	err error
}

// stream returns the random source of one part of the data.
func stream(part uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seedHi, seedLo^part))
}

func (l *loader) load(ctx context.Context) error {
	if err := l.s.SetInstance(ctx, store.System, store.Instance{Name: InstanceName, RegionCode: RegionCode, TimeZone: TimeZone}); err != nil {
		return err
	}
	for _, k := range medanKecamatan {
		if err := l.s.AddKecamatan(ctx, store.System, store.Kecamatan{Code: k.code, Name: k.name}); err != nil {
			return err
		}
		l.res.Kecamatan++
	}
	ri := stream(streamInstance)
	if err := l.loadAdmin(ctx, ri); err != nil {
		return err
	}
	if err := l.loadUnits(ctx, stream(streamUnits)); err != nil {
		return err
	}
	if err := l.loadInstanceOfficials(ctx, ri); err != nil {
		return err
	}
	if err := l.loadSellers(ctx, stream(streamSellers)); err != nil {
		return err
	}
	// Last, so that growing Scale changes none of the people above.
	if err := l.loadSubUnits(ctx, stream(streamSubUnits)); err != nil {
		return err
	}
	if err := l.loadProducts(ctx, stream(streamProducts)); err != nil {
		return err
	}
	// After the products (which give each seller its class and KBLI codes), before the orders
	// (whose taxes read the NPWP and PP 55/2022 certificate): sellers_reg.go.
	if err := l.loadSellerRegistrations(ctx, stream(streamSellerReg)); err != nil {
		return err
	}
	return l.loadOrders(ctx)
}

// createUser creates a user with the demo password and the given roles, acting as a.
func (l *loader) createUser(ctx context.Context, a store.Actor, n store.NewUser, grants ...store.Grant) (int64, error) {
	id, err := l.s.CreateUserWithHash(ctx, a, n, l.hash, grants...)
	if err != nil {
		return 0, fmt.Errorf("user %s: %w", n.Email, err)
	}
	l.res.Users++
	return id, nil
}

// remember keeps the first account created for a role as that role's demo login.
func (l *loader) remember(role market.Role, n store.NewUser, scope string, until time.Time) {
	if _, ok := l.logins[role]; ok {
		return
	}
	l.logins[role] = Login{Role: role, Email: n.Email, Password: l.opt.Password, Scope: scope, Name: n.Name, Until: until}
}

// loadAdmin creates the UKPBJ administrator, who then acts for the rest of the official data.
func (l *loader) loadAdmin(ctx context.Context, r *rand.Rand) error {
	n := l.official(r, kindGeneral)
	id, err := l.createUser(ctx, store.System, n, store.Grant{Role: market.RoleAdmin})
	if err != nil {
		return err
	}
	l.admin = store.Actor{UserID: id, Role: market.RoleAdmin}
	l.remember(market.RoleAdmin, n, "UKPBJ Sekretariat Daerah Kota Medan", time.Time{})
	return nil
}

// loadInstanceOfficials creates the curators of Dinas Koperasi, the auditors of the
// Inspektorat, the partner marketplace's account and the acting PPK of Dinas Kesehatan.
func (l *loader) loadInstanceOfficials(ctx context.Context, r *rand.Rand) error {
	for _, o := range []struct {
		role  market.Role
		count int
		scope string
	}{
		{market.RoleCurator, 2, unitKoperasi},
		{market.RoleAuditor, 2, unitInspektora},
	} {
		for range o.count {
			n := l.official(r, kindGeneral)
			if _, err := l.createUser(ctx, l.admin, n, store.Grant{Role: o.role}); err != nil {
				return err
			}
			l.remember(o.role, n, o.scope, time.Time{})
		}
	}

	first, last, _ := personName(r)
	partner := store.NewUser{Name: first + " " + last, Email: l.email(first+"."+last, PartnerDomain), Phone: l.phone(r)}
	if _, err := l.createUser(ctx, l.admin, partner, store.Grant{Role: market.RolePartner}); err != nil {
		return err
	}
	l.remember(market.RolePartner, partner, "PT Pasar Digital Nusantara (PPMSE)", time.Time{})

	// The PPK of one of Dinas Kesehatan's programmes is on leave; an official stands in as Plt
	// until a date, after which the role ends by itself.
	kes, ok := l.units[unitKesehatan]
	if !ok {
		return fmt.Errorf("unit %s missing", unitKesehatan)
	}
	// Western Indonesia Time: Jakarta has kept UTC+7 without daylight saving since 1964.
	wib := time.FixedZone("WIB", 7*3600)
	y, m, d := l.opt.Now.In(wib).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, wib)
	g := store.Grant{Role: market.RoleApprover, ScopeID: kes.ID,
		ValidFrom: day.AddDate(0, 0, -actingDaysBefore).UTC(), ValidTo: day.AddDate(0, 0, actingDaysAfter).UTC()}
	n := l.official(r, kindHealth)
	if _, err := l.createUser(ctx, l.admin, n, g); err != nil {
		return err
	}
	l.res.Acting = Login{Role: market.RoleApprover, Email: n.Email, Password: l.opt.Password, Scope: kes.Name, Name: "Plt. PPK " + n.Name, Until: g.ValidTo}
	return nil
}

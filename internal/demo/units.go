package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// staffMember is one official of a unit with the unit role they hold.
type staffMember struct {
	role market.Role
	user store.NewUser
}

// unitStaff draws the officials of a unit: a Pejabat Pengadaan (buyer), a PPK (approver), a
// pengurus barang (receiver), a bendahara pengeluaran (treasurer) and an Admin OPD, each a
// different person so that separation of duties holds; large units have two of the first three.
func (l *loader) unitStaff(r *rand.Rand, kind unitKind) []staffMember {
	roles := []market.Role{market.RoleBuyer, market.RoleApprover, market.RoleReceiver, market.RoleTreasurer, market.RoleUnitAdmin}
	if kind == kindLarge {
		roles = []market.Role{market.RoleBuyer, market.RoleBuyer, market.RoleApprover, market.RoleApprover,
			market.RoleReceiver, market.RoleReceiver, market.RoleTreasurer, market.RoleUnitAdmin}
	}
	out := make([]staffMember, len(roles))
	for i, role := range roles {
		out[i] = staffMember{role: role, user: l.official(r, kind)}
	}
	return out
}

// loadUnits creates the perangkat daerah and the 21 kecamatan offices with their officials.
// The small data set skips some units but still draws their officials, so that everyone it
// keeps has the same name and e-mail address as in the default data set.
func (l *loader) loadUnits(ctx context.Context, r *rand.Rand) error {
	specs := append([]unitSpec(nil), medanUnits...)
	for i, k := range medanKecamatan {
		specs = append(specs, unitSpec{
			code:  fmt.Sprintf(kecamatanUnitCode, i+1),
			name:  "Kecamatan " + k.name,
			kind:  kindKecamatan,
			small: i < smallKecamatanOffices,
		})
	}
	for _, spec := range specs {
		staff := l.unitStaff(r, spec.kind)
		if l.opt.Small && !spec.small {
			continue
		}
		if err := l.createUnit(ctx, spec, staff); err != nil {
			return err
		}
	}
	return nil
}

// loadSubUnits adds, for Scale above 1, schools (UPT SD and SMP Negeri) under Dinas Pendidikan
// and puskesmas under Dinas Kesehatan, each a unit with its own officials.
func (l *loader) loadSubUnits(ctx context.Context, r *rand.Rand) error {
	want := (l.opt.Scale - 1) * SubUnitsPerScale
	if l.opt.Small || want <= 0 {
		return nil
	}
	schools, smp, puskesmas := 0, 0, 0
	for i := range want {
		var spec unitSpec
		switch {
		case i%2 == 1 && puskesmas < len(medanPuskesmas):
			puskesmas++
			spec = unitSpec{code: fmt.Sprintf(puskesmasUnitCode, puskesmas), name: "UPT Puskesmas " + medanPuskesmas[puskesmas-1], kind: kindHealth}
		case schools >= maxSubUnits:
			return nil // every sub-unit code under Dinas Pendidikan is taken
		case i%5 == 0 && smp < 47:
			schools++
			smp++
			spec = unitSpec{code: fmt.Sprintf(schoolUnitCode, schools), name: fmt.Sprintf("UPT SMP Negeri %d Medan", smp), kind: kindEducation}
		default:
			schools++
			spec = unitSpec{code: fmt.Sprintf(schoolUnitCode, schools), name: fmt.Sprintf("UPT SD Negeri %06d", 60800+schools), kind: kindEducation}
		}
		if err := l.createUnit(ctx, spec, l.unitStaff(r, spec.kind)); err != nil {
			return err
		}
	}
	return nil
}

// createUnit creates a unit, acting as the platform admin, and its officials with their roles.
// The officials of Dinas Pendidikan become the demo logins of the unit roles.
func (l *loader) createUnit(ctx context.Context, spec unitSpec, staff []staffMember) error {
	u, err := l.s.CreateUnit(ctx, l.admin, spec.code, spec.name)
	if err != nil {
		return fmt.Errorf("unit %s: %w", spec.name, err)
	}
	l.units[u.Name] = u
	l.unitList = append(l.unitList, u)
	l.res.Units++
	for _, m := range staff {
		if _, err := l.createUser(ctx, l.admin, m.user, store.Grant{Role: m.role, ScopeID: u.ID}); err != nil {
			return err
		}
		if u.Name == unitPendidikan {
			l.remember(m.role, m.user, u.Name, time.Time{})
		}
	}
	return nil
}

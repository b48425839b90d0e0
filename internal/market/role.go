package market

import (
	"fmt"
	"time"
)

// Role is what a user may do within a scope. The names are stable identifiers stored in the
// database and used in the API.
type Role string

// The roles of DESIGN.md. A user may hold several, each through its own Membership.
const (
	RoleSellerOwner Role = "seller_owner" // Pelaku UMK: owner of the business
	RoleSellerStaff Role = "seller_staff" // Pelaku UMK: staff invited by the owner
	RoleCurator     Role = "curator"      // Dinas Koperasi dan UMKM: verifies sellers and listings
	RoleBuyer       Role = "buyer"        // Pejabat Pengadaan (PP): checks out orders
	RoleApprover    Role = "approver"     // PPK (Pejabat Pembuat Komitmen): signs the Surat Pesanan
	RoleReceiver    Role = "receiver"     // Pengurus barang / penerima: signs the BAST
	RoleTreasurer   Role = "treasurer"    // Bendahara Pengeluaran: records payment and taxes
	RoleUnitAdmin   Role = "unit_admin"   // Admin OPD: manages a unit's users and budget lines
	RoleAdmin       Role = "admin"        // UKPBJ: platform administrator
	RoleAuditor     Role = "auditor"      // APIP / Inspektorat: reads everything
	RolePartner     Role = "partner"      // PPMSE: partner marketplace reporting through the API
)

// Roles lists every role in a stable order (for forms, tests and documentation).
var Roles = []Role{
	RoleSellerOwner, RoleSellerStaff, RoleCurator, RoleBuyer, RoleApprover, RoleReceiver,
	RoleTreasurer, RoleUnitAdmin, RoleAdmin, RoleAuditor, RolePartner,
}

// ScopeKind says what a membership's scope is: a work unit, a seller or the whole instance.
type ScopeKind string

// The scope kinds.
const (
	ScopeUnit     ScopeKind = "unit"
	ScopeSeller   ScopeKind = "seller"
	ScopeInstance ScopeKind = "instance"
)

// ScopeOf is the only scope kind in which a role makes sense: a PPK belongs to a unit, a seller's
// staff to a seller, a curator to the instance.
func ScopeOf(r Role) ScopeKind {
	switch r {
	case RoleSellerOwner, RoleSellerStaff:
		return ScopeSeller
	case RoleBuyer, RoleApprover, RoleReceiver, RoleTreasurer, RoleUnitAdmin:
		return ScopeUnit
	default:
		return ScopeInstance
	}
}

// ParseRole returns the role with the given name, or an ErrInvalid-coded error.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", Invalid("role", fmt.Sprintf("peran %q tidak dikenal", s))
}

// Membership gives a user a role in a scope, optionally only for a period: acting officials
// (Plt/Plh) get a start and an end so their rights end by themselves.
type Membership struct {
	ID        int64
	UserID    int64
	Role      Role
	ScopeKind ScopeKind
	ScopeID   int64 // the unit or seller id; 0 for the instance
	ScopeName string
	ValidFrom time.Time // zero: no start
	ValidTo   time.Time // zero: no end; exclusive
}

// ActiveAt reports whether the membership grants its role at t.
func (m Membership) ActiveAt(t time.Time) bool {
	if !m.ValidFrom.IsZero() && t.Before(m.ValidFrom) {
		return false
	}
	if !m.ValidTo.IsZero() && !t.Before(m.ValidTo) {
		return false
	}
	return true
}

// Principal is an authenticated user with the memberships active now. It answers the
// authorization questions of both levels: may this role use a route, may it see this object.
type Principal struct {
	UserID      int64
	Name        string
	Email       string
	Memberships []Membership
}

// Has reports whether the principal holds role r in any scope.
func (p *Principal) Has(r Role) bool {
	if p == nil {
		return false
	}
	for _, m := range p.Memberships {
		if m.Role == r {
			return true
		}
	}
	return false
}

// HasAny reports whether the principal holds at least one of the roles.
func (p *Principal) HasAny(roles ...Role) bool {
	for _, r := range roles {
		if p.Has(r) {
			return true
		}
	}
	return false
}

// Roles returns the distinct roles the principal holds, in the order of Roles.
func (p *Principal) Roles() []Role {
	var out []Role
	for _, r := range Roles {
		if p.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// InUnit reports whether the principal holds one of roles in unit id.
func (p *Principal) InUnit(unitID int64, roles ...Role) bool {
	return p.inScope(ScopeUnit, unitID, roles)
}

// InSeller reports whether the principal holds one of roles for seller id.
func (p *Principal) InSeller(sellerID int64, roles ...Role) bool {
	return p.inScope(ScopeSeller, sellerID, roles)
}

// UnitIDs returns the units in which the principal holds any of roles (all unit roles when none given).
func (p *Principal) UnitIDs(roles ...Role) []int64 { return p.scopeIDs(ScopeUnit, roles) }

// SellerIDs returns the sellers for which the principal holds any of roles (all when none given).
func (p *Principal) SellerIDs(roles ...Role) []int64 { return p.scopeIDs(ScopeSeller, roles) }

// SeesEverything reports whether the principal may read every object (auditors and platform admins).
func (p *Principal) SeesEverything() bool { return p.HasAny(RoleAuditor, RoleAdmin) }

func (p *Principal) inScope(k ScopeKind, id int64, roles []Role) bool {
	if p == nil {
		return false
	}
	for _, m := range p.Memberships {
		if m.ScopeKind == k && m.ScopeID == id && (len(roles) == 0 || contains(roles, m.Role)) {
			return true
		}
	}
	return false
}

func (p *Principal) scopeIDs(k ScopeKind, roles []Role) []int64 {
	if p == nil {
		return nil
	}
	var out []int64
	seen := map[int64]bool{}
	for _, m := range p.Memberships {
		if m.ScopeKind == k && !seen[m.ScopeID] && (len(roles) == 0 || contains(roles, m.Role)) {
			seen[m.ScopeID] = true
			out = append(out, m.ScopeID)
		}
	}
	return out
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// CanGrant reports whether the principal may give (or take away) role r in the scope (kind, id):
// platform admins for every scope; a unit's admin for that unit's roles; a seller's owner for
// that seller's staff. Everyone else may not.
func (p *Principal) CanGrant(r Role, kind ScopeKind, id int64) bool {
	if p == nil || ScopeOf(r) != kind {
		return false
	}
	if p.Has(RoleAdmin) {
		return true
	}
	switch kind {
	case ScopeUnit:
		return p.InUnit(id, RoleUnitAdmin)
	case ScopeSeller:
		return r == RoleSellerStaff && p.InSeller(id, RoleSellerOwner)
	}
	return false
}

// RoleLabel is the Indonesian name of a role as officials know it (RoleSystem, the role of
// background jobs, is "Sistem").
func RoleLabel(r Role) string {
	switch r {
	case RoleSellerOwner:
		return "Pemilik UMK"
	case RoleSellerStaff:
		return "Staf UMK"
	case RoleCurator:
		return "Kurator (Dinas Koperasi dan UMKM)"
	case RoleBuyer:
		return "Pejabat Pengadaan"
	case RoleApprover:
		return "PPK"
	case RoleReceiver:
		return "Penerima Barang"
	case RoleTreasurer:
		return "Bendahara Pengeluaran"
	case RoleUnitAdmin:
		return "Admin OPD"
	case RoleAdmin:
		return "Admin UKPBJ"
	case RoleAuditor:
		return "Auditor APIP"
	case RolePartner:
		return "Mitra Marketplace (PPMSE)"
	case RoleSystem:
		return "Sistem"
	}
	return string(r)
}

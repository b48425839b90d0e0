package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

type option struct{ Value, Label string }

type userRow struct {
	ID     int64
	Name   string
	Email  string
	Active bool
	Roles  []string
}

// offerRow is a pending role offer in the inviter's list: only what the inviter typed, the
// role and when it lapses — nothing of the account it went to.
type offerRow struct {
	Name      string
	Email     string
	Role      string
	ExpiresAt time.Time
}

type usersPage struct {
	Base
	Users  []userRow
	Offers []offerRow
	Query  string
	Scope  string
	Scopes []option
}

// scopeLabel names a membership's or offer's scope: the unit's or seller's name, a seller not
// named yet by its number, the whole instance only for instance roles.
func scopeLabel(b *Base, kind market.ScopeKind, id int64, name string) string {
	switch {
	case kind == market.ScopeInstance || kind == "":
		return b.T("dash.instance")
	case name != "":
		return name
	case kind == market.ScopeSeller:
		return b.T("scope.unnamedseller", id)
	}
	return fmt.Sprintf("#%d", id)
}

// ScopeOf is scopeLabel of a membership, for templates.
func (b *Base) ScopeOf(m market.Membership) string {
	return scopeLabel(b, m.ScopeKind, m.ScopeID, m.ScopeName)
}

// roleInScope is "role — scope", or the role alone for an instance role.
func roleInScope(b *Base, r market.Role, kind market.ScopeKind, id int64, name string) string {
	if market.ScopeOf(r) == market.ScopeInstance {
		return b.RoleName(r)
	}
	return b.RoleName(r) + " — " + scopeLabel(b, kind, id, name)
}

// managedScopes lists the scopes whose users the principal manages, as "unit:ID"/"seller:ID".
func (s *Server) managedScopes(r *http.Request, b *Base) ([]option, error) {
	p := b.P
	var out []option
	if p.Has(market.RoleAdmin) {
		out = append(out, option{Value: "", Label: b.T("dash.instance")})
		units, err := s.store.ListUnits(r.Context())
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			out = append(out, option{Value: fmt.Sprintf("unit:%d", u.ID), Label: u.Name})
		}
		return out, nil
	}
	for _, m := range p.Memberships {
		if m.Role == market.RoleUnitAdmin {
			out = append(out, option{Value: fmt.Sprintf("unit:%d", m.ScopeID), Label: scopeLabel(b, m.ScopeKind, m.ScopeID, m.ScopeName)})
		}
		if m.Role == market.RoleSellerOwner {
			out = append(out, option{Value: fmt.Sprintf("seller:%d", m.ScopeID), Label: scopeLabel(b, m.ScopeKind, m.ScopeID, m.ScopeName)})
		}
	}
	return out, nil
}

func parseScope(v string) (market.ScopeKind, int64) {
	kind, id, ok := strings.Cut(v, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil {
		return market.ScopeInstance, 0
	}
	return market.ScopeKind(kind), n
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) error {
	d := &usersPage{Base: s.newBase(r, "users.title"), Query: r.URL.Query().Get("q"), Scope: r.URL.Query().Get("scope")}
	var err error
	if d.Scopes, err = s.managedScopes(r, &d.Base); err != nil {
		return err
	}
	if len(d.Scopes) == 0 {
		return market.Forbidden("Anda tidak mengelola pengguna di lingkup mana pun.")
	}
	allowed := false
	for _, o := range d.Scopes {
		allowed = allowed || o.Value == d.Scope
	}
	if !allowed {
		d.Scope = d.Scopes[0].Value
	}
	f := store.UserFilter{Query: d.Query}
	of := store.RoleOfferFilter{Query: d.Query}
	switch kind, id := parseScope(d.Scope); kind {
	case market.ScopeUnit:
		f.UnitID, of.UnitID = id, id
	case market.ScopeSeller:
		f.SellerID, of.SellerID = id, id
	}
	users, err := s.store.ListUsers(r.Context(), f)
	if err != nil {
		return err
	}
	now := s.cfg.Clock.Now()
	for _, u := range users {
		row := userRow{ID: u.ID, Name: u.Name, Email: u.Email, Active: u.Active}
		for _, m := range u.Memberships {
			if m.ActiveAt(now) {
				row.Roles = append(row.Roles, roleInScope(&d.Base, m.Role, m.ScopeKind, m.ScopeID, m.ScopeName))
			}
		}
		d.Users = append(d.Users, row)
	}
	// Roles offered to existing accounts and not answered yet: shown with what the inviter
	// typed, never with the account's own name or data.
	offers, err := s.store.OfferedRoles(r.Context(), of)
	if err != nil {
		return err
	}
	for _, o := range offers {
		if !d.P.CanGrant(o.Role, o.ScopeKind, o.ScopeID) {
			continue
		}
		d.Offers = append(d.Offers, offerRow{Name: o.Name, Email: o.Email, ExpiresAt: o.ExpiresAt,
			Role: roleInScope(&d.Base, o.Role, o.ScopeKind, o.ScopeID, o.ScopeName)})
	}
	return s.render(w, http.StatusOK, "users", d)
}

// grantForm is what the invite and add-role forms submit.
type grantForm struct {
	Name, Email, Phone, NIP string
	Grant, From, To         string
}

// grantOptions lists every role-in-scope the principal may grant, as "role:scopeID".
func (s *Server) grantOptions(r *http.Request, b *Base) ([]option, error) {
	p := b.P
	var out []option
	if p.Has(market.RoleAdmin) {
		for _, role := range market.Roles {
			if market.ScopeOf(role) == market.ScopeInstance {
				out = append(out, option{Value: string(role) + ":0", Label: b.RoleName(role) + " — " + b.T("dash.instance")})
			}
		}
		units, err := s.store.ListUnits(r.Context())
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			out = append(out, unitRoleOptions(b, u.ID, u.Name)...)
		}
		return out, nil
	}
	for _, m := range p.Memberships {
		switch m.Role {
		case market.RoleUnitAdmin:
			out = append(out, unitRoleOptions(b, m.ScopeID, scopeLabel(b, m.ScopeKind, m.ScopeID, m.ScopeName))...)
		case market.RoleSellerOwner:
			out = append(out, option{Value: fmt.Sprintf("%s:%d", market.RoleSellerStaff, m.ScopeID),
				Label: b.RoleName(market.RoleSellerStaff) + " — " + scopeLabel(b, m.ScopeKind, m.ScopeID, m.ScopeName)})
		}
	}
	return out, nil
}

func unitRoleOptions(b *Base, unitID int64, unitName string) []option {
	var out []option
	for _, role := range market.Roles {
		if market.ScopeOf(role) == market.ScopeUnit {
			out = append(out, option{Value: fmt.Sprintf("%s:%d", role, unitID), Label: b.RoleName(role) + " — " + unitName})
		}
	}
	return out
}

// parseGrant reads a grant from the form, in the instance's time zone for the dates.
func (s *Server) parseGrant(f grantForm) (store.Grant, error) {
	role, scope, ok := strings.Cut(f.Grant, ":")
	id, err := strconv.ParseInt(scope, 10, 64)
	if !ok || err != nil {
		return store.Grant{}, market.Invalid("grant", "Pilih peran dan lingkupnya.")
	}
	g := store.Grant{Role: market.Role(role), ScopeID: id}
	fe := market.FieldErrors{}
	if f.From != "" {
		if g.ValidFrom, err = time.ParseInLocation("2006-01-02", f.From, s.loc); err != nil {
			fe.Add("valid_from", "Tanggal tidak valid.")
		}
	}
	if f.To != "" {
		if t, err := time.ParseInLocation("2006-01-02", f.To, s.loc); err != nil {
			fe.Add("valid_to", "Tanggal tidak valid.")
		} else {
			// Stored exclusive: the role holds through the whole last day typed (see lastDay).
			g.ValidTo = t.AddDate(0, 0, 1)
		}
	}
	return g, fe.Err()
}

type invitePage struct {
	Base
	Form   grantForm
	Grants []option
	Error  string
	Fields map[string]string
}

func (s *Server) inviteForm(w http.ResponseWriter, r *http.Request) error {
	d := &invitePage{Base: s.newBase(r, "invite.title")}
	var err error
	if d.Grants, err = s.grantOptions(r, &d.Base); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "invite", d)
}

func formValues(r *http.Request) grantForm {
	return grantForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"), NIP: r.PostFormValue("nip"),
		Grant: r.PostFormValue("grant"), From: r.PostFormValue("from"), To: r.PostFormValue("to")}
}

func (s *Server) invite(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d := &invitePage{Base: s.newBase(r, "invite.title"), Form: formValues(r)}
	g, err := s.parseGrant(d.Form)
	if err == nil {
		_, err = s.store.Invite(r.Context(), d.P, store.NewUser{Name: d.Form.Name, Email: d.Form.Email, Phone: d.Form.Phone, NIP: d.Form.NIP}, g)
	}
	if err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		if d.Grants, err = s.grantOptions(r, &d.Base); err != nil {
			return err
		}
		d.Fields, d.Error = fields, msg
		return s.render(w, http.StatusUnprocessableEntity, "invite", d)
	}
	http.Redirect(w, r, "/pengguna?ok=invite.done", http.StatusSeeOther)
	return nil
}

type membershipRow struct {
	M      market.Membership
	Scope  string    // the scope's name (see scopeLabel)
	Until  time.Time // the last moment the role holds (see lastDay); zero without an end
	Active bool      // the role holds now
	Future bool      // the role has not started yet and is not ended
	CanEnd bool
}

// lastDay is the last moment before an exclusive end, so that the page shows the last day a
// role holds (an end typed as 31-12-2026 is stored as the start of 01-01-2027). Zero stays
// zero: no end.
func lastDay(end time.Time) time.Time {
	if end.IsZero() {
		return end
	}
	return end.Add(-time.Nanosecond)
}

type userPage struct {
	Base
	U         store.User
	Rows      []membershipRow
	CanManage bool
	Form      grantForm
	Grants    []option
	Error     string
	Fields    map[string]string
}

// visibleUser loads a user the principal may see in user management: admins see everyone;
// unit admins and seller owners see people who have (or had) a role in their scopes. Anyone
// else is told the user does not exist.
func (s *Server) visibleUser(r *http.Request) (store.User, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.User{}, err
	}
	u, err := s.store.GetUser(r.Context(), id)
	if err != nil {
		return u, err
	}
	p := principal(r)
	if p.Has(market.RoleAdmin) {
		return u, nil
	}
	for _, m := range u.Memberships {
		if p.CanGrant(m.Role, m.ScopeKind, m.ScopeID) {
			return u, nil
		}
	}
	return store.User{}, market.NotFound("Pengguna")
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, u store.User, form grantForm, err error) error {
	d := &userPage{Base: s.newBase(r, "user.title"), U: u, Form: form}
	d.Title = u.Name
	now := s.cfg.Clock.Now()
	for _, m := range u.Memberships {
		active := m.ActiveAt(now)
		future := !active && m.ValidFrom.After(now) && (m.ValidTo.IsZero() || m.ValidTo.After(m.ValidFrom))
		d.Rows = append(d.Rows, membershipRow{M: m, Scope: scopeLabel(&d.Base, m.ScopeKind, m.ScopeID, m.ScopeName), Until: lastDay(m.ValidTo),
			Active: active, Future: future, CanEnd: (active || future) && d.P.CanGrant(m.Role, m.ScopeKind, m.ScopeID)})
	}
	d.CanManage = s.store.CanManageUser(d.P, u) && u.ID != d.P.UserID
	var gerr error
	if d.Grants, gerr = s.grantOptions(r, &d.Base); gerr != nil {
		return gerr
	}
	if err != nil {
		d.Fields, d.Error, _ = formError(r, err)
	}
	return s.render(w, status, "user", d)
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.visibleUser(r)
	if err != nil {
		return err
	}
	return s.renderUser(w, r, http.StatusOK, u, grantForm{}, nil)
}

func (s *Server) grantRole(w http.ResponseWriter, r *http.Request) error {
	u, err := s.visibleUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	form := formValues(r)
	g, err := s.parseGrant(form)
	if err == nil {
		err = s.store.GrantRole(r.Context(), principal(r), u.ID, g)
	}
	if err != nil {
		if _, _, ok := formError(r, err); !ok {
			return err
		}
		return s.renderUser(w, r, http.StatusUnprocessableEntity, u, form, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/pengguna/%d", u.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) endRole(w http.ResponseWriter, r *http.Request) error {
	u, err := s.visibleUser(r)
	if err != nil {
		return err
	}
	mid, err := pathID(r, "mid")
	if err != nil {
		return err
	}
	found := false
	for _, m := range u.Memberships {
		found = found || m.ID == mid
	}
	if !found {
		return market.NotFound("Peran")
	}
	if err := s.store.EndMembership(r.Context(), principal(r), mid); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/pengguna/%d", u.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) setUserActive(w http.ResponseWriter, r *http.Request) error {
	u, err := s.visibleUser(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.store.SetActive(r.Context(), principal(r), u.ID, r.PostFormValue("active") == "1"); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/pengguna/%d", u.ID), http.StatusSeeOther)
	return nil
}

package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

type dashboardPage struct {
	Base
	Waiting []orderListSection // the lists of orders waiting for the user that are not empty
	Links   []navItem
}

// dashboard is the signed-in user's home page: the orders waiting for them (their number,
// linked to the list on the orders page), their roles, and what they can open.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	d := &dashboardPage{Base: s.newBase(r, "dash.title")}
	waiting, err := s.waitingOrders(r.Context(), &d.Base)
	if err != nil {
		return err
	}
	for _, sec := range waiting {
		if len(sec.Orders) > 0 {
			d.Waiting = append(d.Waiting, sec)
		}
	}
	for _, n := range d.Nav {
		if n.Href != "/beranda" {
			d.Links = append(d.Links, n)
		}
	}
	return s.render(w, http.StatusOK, "dashboard", d)
}

// roleOfferView is a role offered to the signed-in user, waiting for their answer.
type roleOfferView struct {
	ID        int64
	Role      string
	Scope     string
	OfferedBy string
	ValidFrom time.Time
	ValidTo   time.Time
	ExpiresAt time.Time
}

// tokenView is one of the user's API tokens as the account page lists it.
type tokenView struct {
	store.APIToken
	Expired bool // expired now (a revoked token shows its revocation instead)
}

type accountPage struct {
	Base
	Offers    []roleOfferView
	Tokens    []tokenView
	NewSecret string
	TokenName string // the name typed on a refused token form
	TokenDays int    // the lifetime chosen on the token form
	Lifetimes []int  // the lifetimes to choose from
	Error     string
	Fields    map[string]string
	relationsSection
}

func (s *Server) accountPage(r *http.Request) (*accountPage, error) {
	d := &accountPage{Base: s.newBase(r, "account.title"), TokenDays: store.DefaultAPITokenDays, Lifetimes: store.APITokenLifetimes}
	offers, err := s.store.PendingRoleOffers(r.Context(), d.P.UserID)
	if err != nil {
		return d, err
	}
	for _, o := range offers {
		d.Offers = append(d.Offers, roleOfferView{ID: o.ID, Role: d.RoleName(o.Role), Scope: scopeLabel(&d.Base, o.ScopeKind, o.ScopeID, o.ScopeName),
			OfferedBy: o.OfferedByName, ValidFrom: o.ValidFrom, ValidTo: o.ValidTo, ExpiresAt: o.ExpiresAt})
	}
	tokens, err := s.store.ListAPITokens(r.Context(), d.P.UserID)
	if err != nil {
		return d, err
	}
	now := s.cfg.Clock.Now()
	for _, t := range tokens {
		d.Tokens = append(d.Tokens, tokenView{APIToken: t, Expired: t.RevokedAt.IsZero() && t.ExpiredAt(now)})
	}
	return d, s.loadOwnRelations(r, d.P, &d.relationsSection)
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	d, err := s.accountPage(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "account", d)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := principal(r)
	err := s.store.ChangePassword(r.Context(), p.UserID, r.PostFormValue("current"), r.PostFormValue("password"))
	if err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		d, lerr := s.accountPage(r)
		if lerr != nil {
			return lerr
		}
		d.Fields, d.Error = fields, msg
		return s.render(w, http.StatusUnprocessableEntity, "account", d)
	}
	// The password change ended every session, this one too: start a fresh one.
	tok, err := s.store.CreateSession(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, tok)
	http.Redirect(w, r, "/akun?ok=account.changed", http.StatusSeeOther)
	return nil
}

func (s *Server) createTokenPage(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p := principal(r)
	name := r.PostFormValue("name")
	days, perr := strconv.Atoi(r.PostFormValue("days"))
	if perr != nil {
		days = 0 // not one of the lifetimes: the store refuses it
	}
	_, secret, err := s.store.CreateAPIToken(r.Context(), p.UserID, name, days)
	d, lerr := s.accountPage(r)
	if lerr != nil {
		return lerr
	}
	if err != nil {
		fields, msg, ok := formError(r, renameFields(err, func(field string) string {
			if field == "expires_in_days" {
				return "days"
			}
			return field
		}))
		if !ok {
			return err
		}
		d.Fields, d.Error, d.TokenName = fields, msg, name
		if slices.Contains(d.Lifetimes, days) {
			d.TokenDays = days
		}
		return s.render(w, http.StatusUnprocessableEntity, "account", d)
	}
	// Shown once, in this response only.
	d.NewSecret = secret
	return s.render(w, http.StatusOK, "account", d)
}

func (s *Server) revokeTokenPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(r.Context(), principal(r).UserID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/akun", http.StatusSeeOther)
	return nil
}

// acceptRoleOffer grants the signed-in user a role offered to them (ui_users.go's invitations
// of existing accounts). Someone else's offer is not found.
func (s *Server) acceptRoleOffer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.AcceptRoleOffer(r.Context(), principal(r).UserID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/akun?ok=offer.accepted", http.StatusSeeOther)
	return nil
}

// declineRoleOffer refuses a role offered to the signed-in user. Someone else's offer is not found.
func (s *Server) declineRoleOffer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeclineRoleOffer(r.Context(), principal(r).UserID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/akun?ok=offer.declined", http.StatusSeeOther)
	return nil
}

type inboxPage struct {
	Base
	Messages []store.Message
}

func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	d := &inboxPage{Base: s.newBase(r, "inbox.title")}
	var err error
	if d.Messages, err = s.store.Inbox(r.Context(), d.P.UserID); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "inbox", d)
}

func (s *Server) markRead(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 0 {
		return market.NotFound("Pesan")
	}
	if err := s.store.MarkRead(r.Context(), principal(r).UserID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/kotak-masuk", http.StatusSeeOther)
	return nil
}

// pathID parses a positive numeric path value; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, market.NotFound("Data")
	}
	return id, nil
}

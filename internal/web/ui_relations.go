package web

import (
	"fmt"
	"net/http"
	"strings"

	"bela/internal/market"
	"bela/internal/store"
)

// Relations between users and sellers declared to the admins (checkout rule 5, conflict of
// interest): a user declares their own on the account page; platform admins record anyone's and
// end them on /admin/hubungan-penyedia, which auditors may read. Relations are private: no
// public page or export shows them.

// relationReaders may open the admin list of every declared relation.
var relationReaders = roles(market.RoleAdmin, market.RoleAuditor)

// sellerOption is one seller in the form's list: the label typed or chosen, and the seller.
type sellerOption struct {
	ID    int64
	Label string
}

// relationForm is a form declaring a relation: what was typed, kept when the form comes back
// with errors.
type relationForm struct {
	Email    string // admin form only: the user's e-mail
	Seller   string
	Relation string
	Error    string
	Fields   map[string]string
}

// relationsSection is the account page's part about the user's own relations.
type relationsSection struct {
	Relations []store.SellerRelation
	Sellers   []sellerOption
	RelForm   relationForm
	choices   []store.SellerChoice // what Sellers was made of, to resolve the typed seller
}

// sellerOptions labels the sellers one can declare a relation with as "name — kecamatan",
// adding the number where two sellers would otherwise read the same.
func sellerOptions(cs []store.SellerChoice) []sellerOption {
	seen := map[string]int{}
	for _, c := range cs {
		seen[normalLabel(relationLabel(c))]++
	}
	out := make([]sellerOption, 0, len(cs))
	for _, c := range cs {
		l := relationLabel(c)
		if seen[normalLabel(l)] > 1 {
			l = fmt.Sprintf("%s (No. %d)", l, c.ID)
		}
		out = append(out, sellerOption{ID: c.ID, Label: l})
	}
	return out
}

func relationLabel(c store.SellerChoice) string {
	if c.Kecamatan == "" {
		return c.Name
	}
	return c.Name + " — " + c.Kecamatan
}

// normalLabel folds case and runs of spaces, so "ud  satu" matches "UD Satu".
func normalLabel(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// resolveSeller finds the seller the user meant: a label of the list, or a name that only one
// seller has. It returns the catalogue key of the problem when there is none or more than one.
func resolveSeller(opts []sellerOption, cs []store.SellerChoice, typed string) (int64, string) {
	want := normalLabel(typed)
	if want == "" {
		return 0, "relation.err.noseller"
	}
	for _, o := range opts {
		if normalLabel(o.Label) == want {
			return o.ID, ""
		}
	}
	var id int64
	n := 0
	for _, c := range cs {
		if normalLabel(c.Name) == want {
			id, n = c.ID, n+1
		}
	}
	switch n {
	case 0:
		return 0, "relation.err.unknownseller"
	case 1:
		return id, ""
	}
	return 0, "relation.err.ambiguous"
}

// checkRelationForm resolves the seller and checks the description; the field errors are in
// the page's language, keyed by the form's field names.
func (s *Server) checkRelationForm(b *Base, opts []sellerOption, cs []store.SellerChoice, f *relationForm) (int64, bool) {
	fields := map[string]string{}
	id, problem := resolveSeller(opts, cs, f.Seller)
	if problem != "" {
		fields["seller"] = b.T(problem)
	}
	if n := len([]rune(strings.TrimSpace(f.Relation))); n == 0 || n > store.MaxRelationLength {
		fields["relation"] = b.T("relation.err.relation", store.MaxRelationLength)
	}
	if len(fields) > 0 {
		f.Fields, f.Error = fields, b.T("relation.err.form")
		return 0, false
	}
	return id, true
}

// loadOwnRelations fills the account page's relation section for the signed-in user.
func (s *Server) loadOwnRelations(r *http.Request, p *market.Principal, sec *relationsSection) error {
	var err error
	sec.Relations, err = s.store.SellerRelations(r.Context(), p, store.RelationFilter{UserID: p.UserID})
	if err != nil {
		return err
	}
	if sec.choices, err = s.store.RelationSellers(r.Context()); err != nil {
		return err
	}
	sec.Sellers = sellerOptions(sec.choices)
	return nil
}

// declareOwnRelation records a relation of the signed-in user from the account page.
func (s *Server) declareOwnRelation(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d, err := s.accountPage(r)
	if err != nil {
		return err
	}
	f := relationForm{Seller: r.PostFormValue("seller"), Relation: r.PostFormValue("relation")}
	sellerID, ok := s.checkRelationForm(&d.Base, d.Sellers, d.choices, &f)
	if ok {
		if done, err := s.declareRelation(w, r, d.P, d.P.UserID, sellerID, &f, "/akun?ok=relation.declared#hubungan"); done || err != nil {
			return err
		}
	}
	d.RelForm = f
	return s.render(w, http.StatusUnprocessableEntity, "account", d)
}

// relationsAdminPage is every declared relation, with the forms to record and end them for
// platform admins (auditors read only).
type relationsAdminPage struct {
	Base
	Relations []store.SellerRelation
	Active    int
	Sellers   []sellerOption
	CanEdit   bool
	RelForm   relationForm
}

func (s *Server) newRelationsAdminPage(r *http.Request) (*relationsAdminPage, []store.SellerChoice, error) {
	d := &relationsAdminPage{Base: s.newBase(r, "relation.admintitle")}
	d.CanEdit = d.P.Has(market.RoleAdmin)
	var err error
	if d.Relations, err = s.store.SellerRelations(r.Context(), d.P, store.RelationFilter{Limit: 1000}); err != nil {
		return nil, nil, err
	}
	for _, rel := range d.Relations {
		if rel.Active() {
			d.Active++
		}
	}
	var cs []store.SellerChoice
	if d.CanEdit {
		if cs, err = s.store.RelationSellers(r.Context()); err != nil {
			return nil, nil, err
		}
		d.Sellers = sellerOptions(cs)
	}
	return d, cs, nil
}

func (s *Server) relationsAdmin(w http.ResponseWriter, r *http.Request) error {
	d, _, err := s.newRelationsAdminPage(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "relations_admin", d)
}

// recordRelation lets a platform admin record a relation for any user, found by e-mail.
func (s *Server) recordRelation(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d, cs, err := s.newRelationsAdminPage(r)
	if err != nil {
		return err
	}
	f := relationForm{Email: strings.TrimSpace(r.PostFormValue("email")), Seller: r.PostFormValue("seller"), Relation: r.PostFormValue("relation")}
	sellerID, ok := s.checkRelationForm(&d.Base, d.Sellers, cs, &f)
	var userID int64
	if f.Email == "" {
		ok = false
		f.Fields = withField(f.Fields, "email", d.T("relation.err.noemail"))
	} else if u, err := s.store.FindUserByEmail(r.Context(), f.Email); err != nil {
		if market.ErrorCode(err) != market.CodeNotFound {
			return err
		}
		ok = false
		f.Fields = withField(f.Fields, "email", d.T("relation.err.unknownuser"))
	} else {
		userID = u.ID
	}
	if ok {
		if done, err := s.declareRelation(w, r, d.P, userID, sellerID, &f, "/admin/hubungan-penyedia?ok=relation.recorded"); done || err != nil {
			return err
		}
	}
	if f.Error == "" {
		f.Error = d.T("relation.err.form")
	}
	d.RelForm = f
	return s.render(w, http.StatusUnprocessableEntity, "relations_admin", d)
}

// declareRelation records userID's relation with the seller as the form describes it and
// redirects to next. A refusal the form can show goes into f (done is false); any other error
// is returned.
func (s *Server) declareRelation(w http.ResponseWriter, r *http.Request, p *market.Principal, userID, sellerID int64, f *relationForm, next string) (done bool, err error) {
	if _, err := s.store.DeclareSellerRelation(r.Context(), p, userID, sellerID, f.Relation); err != nil {
		fields, msg, isForm := formError(r, err)
		if !isForm {
			return false, err
		}
		f.Fields, f.Error = fields, msg
		return false, nil
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return true, nil
}

func withField(fields map[string]string, name, msg string) map[string]string {
	if fields == nil {
		fields = map[string]string{}
	}
	fields[name] = msg
	return fields
}

// endRelation lets a platform admin end an active relation.
func (s *Server) endRelation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.EndSellerRelation(r.Context(), principal(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/hubungan-penyedia?ok=relation.endedflash", http.StatusSeeOther)
	return nil
}

package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"bela/internal/blob"
	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/upload"
)

// This file is the seller's side of onboarding: self-registration with the privacy notice, the
// registration form, documents, the checklist and submit, staff invitations, and the public
// seller profile. Object-level rule: a seller's pages are for its own people; any other seller
// id answers 404, as if it did not exist.

// uploadMaxBody is the body limit of upload routes: one file of upload.MaxFileSize plus the
// multipart envelope. Every other route keeps Config.MaxBody.
const uploadMaxBody = upload.MaxFileSize + 1<<20

// sellerPeople are the roles of a seller's own people.
var sellerPeople = roles(market.RoleSellerOwner, market.RoleSellerStaff)

// sellerReaders may read a seller's private data and documents: its people (checked per
// object), curators, admins and auditors.
var sellerReaders = roles(market.RoleSellerOwner, market.RoleSellerStaff, market.RoleCurator, market.RoleAdmin, market.RoleAuditor)

// canReadSeller reports whether p may see the seller's private data and documents.
func canReadSeller(p *market.Principal, sellerID int64) bool {
	return p.InSeller(sellerID) || p.HasAny(market.RoleCurator, market.RoleAdmin, market.RoleAuditor)
}

// ownSeller loads a seller the principal holds one of roles in; anything else is not found.
func (s *Server) ownSeller(r *http.Request, roles ...market.Role) (store.Seller, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Seller{}, err
	}
	if !principal(r).InSeller(id, roles...) {
		return store.Seller{}, market.NotFound("Penyedia")
	}
	return s.store.GetSeller(r.Context(), id)
}

func actorFor(p *market.Principal, role market.Role) store.Actor {
	return store.Actor{UserID: p.UserID, Role: role}
}

// sellerActor picks the role a seller's person acts in for the audit trail.
func sellerActor(p *market.Principal, sellerID int64) store.Actor {
	if p.InSeller(sellerID, market.RoleSellerOwner) {
		return actorFor(p, market.RoleSellerOwner)
	}
	return actorFor(p, market.RoleSellerStaff)
}

// --- Self-registration -------------------------------------------------------------------

type signupForm struct {
	Name, Email string
	Privacy     bool
}

type signupPage struct {
	Base
	Form   signupForm
	Error  string
	Fields map[string]string
}

func (s *Server) signupForm(w http.ResponseWriter, r *http.Request) error {
	if p := principal(r); p != nil && len(p.SellerIDs(market.RoleSellerOwner)) > 0 {
		http.Redirect(w, r, "/usaha", http.StatusSeeOther)
		return nil
	}
	return s.render(w, http.StatusOK, "seller_signup", &signupPage{Base: s.newBase(r, "signup.title")})
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d := &signupPage{Base: s.newBase(r, "signup.title"), Form: signupForm{
		Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Privacy: r.PostFormValue("privacy") == "1"}}
	if principal(r) != nil {
		d.Error = d.T("signup.signedin")
		return s.render(w, http.StatusConflict, "seller_signup", d)
	}
	addr := clientAddr(r)
	if s.limiter.blocked("signup:"+addr, addr) {
		d.Error = d.T("ratelimit.attempts")
		return s.render(w, http.StatusTooManyRequests, "seller_signup", d)
	}
	userID, sellerID, err := s.store.SignUpSeller(r.Context(), store.SellerSignUp{
		Name: d.Form.Name, Email: d.Form.Email, Password: r.PostFormValue("password"), PrivacyAccepted: d.Form.Privacy})
	if err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		s.limiter.fail("signup:"+addr, addr)
		d.Fields, d.Error = fields, msg
		return s.render(w, statusOf(asCoded(err).Code), "seller_signup", d)
	}
	tok, err := s.store.CreateSession(r.Context(), userID)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, tok)
	http.Redirect(w, r, fmt.Sprintf("/usaha/%d/data?ok=signup.done", sellerID), http.StatusSeeOther)
	return nil
}

// --- My businesses -----------------------------------------------------------------------

type mySellersPage struct {
	Base
	Sellers []store.Seller
}

func (s *Server) mySellers(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	ids := p.SellerIDs(sellerPeople...)
	if len(ids) == 1 {
		http.Redirect(w, r, fmt.Sprintf("/usaha/%d", ids[0]), http.StatusSeeOther)
		return nil
	}
	d := &mySellersPage{Base: s.newBase(r, "seller.mine")}
	for _, id := range ids {
		sl, err := s.store.GetSeller(r.Context(), id)
		if err != nil {
			return err
		}
		d.Sellers = append(d.Sellers, sl)
	}
	return s.render(w, http.StatusOK, "seller_list", d)
}

// checkRow is a checklist line for the page.
type checkRow struct {
	Key, Label string
	Done       bool
}

type sellerPage struct {
	Base
	Seller    store.Seller
	Docs      []store.SellerDocument // the latest of each kind
	Checklist []checkRow
	Ready     bool
	Owner     bool
	Editable  bool
	Kinds     []option // document kinds the seller may upload
	Staff     []store.User
	Invite    signupForm
	Notes     []checkRow // the curator's notes (Label is the note)
	Eligible  bool
	Reasons   []string
	Error     string
	Fields    map[string]string
}

func (s *Server) loadSellerPage(r *http.Request, sl store.Seller) (*sellerPage, error) {
	p := principal(r)
	d := &sellerPage{Base: s.newBase(r, "seller.title"), Seller: sl, Owner: p.InSeller(sl.ID, market.RoleSellerOwner)}
	d.Title = sellerDisplayName(&d.Base, sl)
	d.Editable = d.Owner && sl.Editable()
	docs, err := s.store.SellerDocuments(r.Context(), sl.ID)
	if err != nil {
		return nil, err
	}
	d.Docs = store.LatestDocuments(docs)
	d.Ready = true
	for _, it := range store.Checklist(sl, docs) {
		d.Checklist = append(d.Checklist, checkRow{Key: it.Key, Label: d.T("check." + it.Key), Done: it.Done})
		d.Ready = d.Ready && it.Done
	}
	if sl.Registered() {
		for _, k := range store.RequiredDocuments(sl.Reg) {
			d.Kinds = append(d.Kinds, option{Value: string(k), Label: d.T("doc." + string(k))})
		}
	} else {
		d.Kinds = append(d.Kinds, option{Value: string(store.DocNIB), Label: d.T("doc.nib")})
	}
	for _, k := range store.SellerNoteFields {
		if n := sl.ChangeNotes[k]; n != "" {
			d.Notes = append(d.Notes, checkRow{Key: d.T("note." + k), Label: n})
		}
	}
	d.Eligible, d.Reasons = sl.Eligible()
	if d.Owner {
		if d.Staff, err = s.store.ListUsers(r.Context(), store.UserFilter{SellerID: sl.ID}); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// sellerDisplayName is the business name, or a placeholder before registration.
func sellerDisplayName(b *Base, sl store.Seller) string {
	if sl.Name == "" {
		return b.T("seller.unnamed")
	}
	return sl.Name
}

func (s *Server) sellerHome(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, sellerPeople...)
	if err != nil {
		return err
	}
	d, err := s.loadSellerPage(r, sl)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "seller_home", d)
}

// rerenderSeller shows the seller page again with an error from a form on it.
func (s *Server) rerenderSeller(w http.ResponseWriter, r *http.Request, sl store.Seller, err error, invite signupForm) error {
	fields, msg, ok := formError(r, err)
	code := asCoded(err).Code
	if code == market.CodeTooLarge {
		msg = sayError(langOf(r), asCoded(err).Message)
		fields, ok = map[string]string{"file": msg}, true
	}
	if !ok {
		return err
	}
	d, lerr := s.loadSellerPage(r, sl)
	if lerr != nil {
		return lerr
	}
	d.Fields, d.Error, d.Invite = fields, msg, invite
	return s.render(w, statusOf(code), "seller_home", d)
}

// --- Registration form -------------------------------------------------------------------

// regForm is the registration form as typed; field names match the API's error fields.
type regForm struct {
	BusinessName, LegalForm, NIB, NPWP, OwnerNIK, KBLI, Capital, AnnualSales string
	PKP                                                                      bool
	PP55Number, PP55From, PP55To                                             string
	Street, Kelurahan, Kecamatan, City, PostalCode                           string
	Phone, BankName, BankNumber, BankHolder                                  string
}

func regFormOf(sl store.Seller, defaultCity string) regForm {
	if !sl.Registered() {
		return regForm{City: defaultCity}
	}
	g := sl.Reg
	f := regForm{BusinessName: g.BusinessName, LegalForm: string(g.LegalForm), NIB: g.NIB, NPWP: g.NPWP, OwnerNIK: g.OwnerNIK,
		KBLI: strings.Join(g.KBLI, ", "), Capital: market.GroupDigits(int64(g.Capital)), AnnualSales: market.GroupDigits(int64(g.AnnualSales)), PKP: g.PKP,
		PP55Number: g.PP55Number, Street: g.Address.Street, Kelurahan: g.Address.Kelurahan, Kecamatan: g.Address.Kecamatan,
		City: g.Address.City, PostalCode: g.Address.PostalCode, Phone: g.Phone, BankName: g.Bank.Bank, BankNumber: g.Bank.Number, BankHolder: g.Bank.Holder}
	if !g.PP55ValidFrom.IsZero() {
		f.PP55From, f.PP55To = g.PP55ValidFrom.Format(time.DateOnly), g.PP55ValidTo.Format(time.DateOnly)
	}
	return f
}

func readRegForm(r *http.Request) regForm {
	v := r.PostFormValue
	return regForm{BusinessName: v("business_name"), LegalForm: v("legal_form"), NIB: v("nib"), NPWP: v("npwp"), OwnerNIK: v("owner_nik"),
		KBLI: v("kbli"), Capital: v("capital"), AnnualSales: v("annual_sales"), PKP: v("pkp") == "1", PP55Number: v("pp55_number"),
		PP55From: v("pp55_valid_from"), PP55To: v("pp55_valid_to"), Street: v("address.street"), Kelurahan: v("address.kelurahan"),
		Kecamatan: v("address.kecamatan"), City: v("address.city"), PostalCode: v("address.postal_code"), Phone: v("phone"),
		BankName: v("bank.name"), BankNumber: v("bank.number"), BankHolder: v("bank.holder")}
}

// parseRupiahInput reads an amount typed as 150.000.000, Rp150.000.000, 150000000 or
// 150.000.000,00 with market.ParseRupiah (negative amounts and decimals that are not zero
// refused). Forms that show the parser's own message use market.ParseRupiahField instead.
func parseRupiahInput(s string) (market.Rupiah, bool) {
	v, err := market.ParseRupiah(s)
	return v, err == nil
}

// registration turns the form into a registration; problems the form alone can see (amounts
// and dates) are returned as field errors, the rest is market.SellerRegistration.Normalized's.
func (f regForm) registration() (market.SellerRegistration, market.FieldErrors) {
	fe := market.FieldErrors{}
	reg := market.SellerRegistration{BusinessName: f.BusinessName, LegalForm: market.LegalForm(f.LegalForm), NIB: f.NIB, NPWP: f.NPWP,
		OwnerNIK: f.OwnerNIK, PKP: f.PKP, PP55Number: f.PP55Number,
		Address: market.Address{Street: f.Street, Kelurahan: f.Kelurahan, Kecamatan: f.Kecamatan, City: f.City, PostalCode: f.PostalCode},
		Phone:   f.Phone, Bank: market.BankAccount{Bank: f.BankName, Number: f.BankNumber, Holder: f.BankHolder}}
	reg.KBLI = strings.FieldsFunc(f.KBLI, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	const (
		capitalNotNumber = "Isi modal usaha dalam rupiah, misalnya 150.000.000."
		salesNotNumber   = "Isi hasil penjualan tahunan dalam rupiah, misalnya 600.000.000 (0 bila belum ada)."
	)
	var msg string
	if reg.Capital, msg = market.ParseRupiahField(f.Capital, capitalNotNumber); msg != "" {
		fe.Add("capital", msg)
	}
	if reg.AnnualSales, msg = market.ParseRupiahField(f.AnnualSales, salesNotNumber); msg != "" {
		fe.Add("annual_sales", msg)
	}
	for _, d := range []struct {
		in, field string
		out       *time.Time
	}{{f.PP55From, "pp55_valid_from", &reg.PP55ValidFrom}, {f.PP55To, "pp55_valid_to", &reg.PP55ValidTo}} {
		if d.in == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.in)
		if err != nil {
			fe.Add(d.field, "Tanggal tidak valid.")
			continue
		}
		*d.out = t
	}
	return reg, fe
}

type regPage struct {
	Base
	Seller     store.Seller
	Form       regForm
	Kecamatan  []store.Kecamatan
	LegalForms []option
	Class      string // the class the typed figures imply, with its label
	ClassOK    bool
	Error      string
	Fields     map[string]string
}

func (s *Server) newRegPage(r *http.Request, sl store.Seller, f regForm) (*regPage, error) {
	d := &regPage{Base: s.newBase(r, "reg.title"), Seller: sl, Form: f}
	var err error
	if d.Kecamatan, err = s.store.ListKecamatan(r.Context()); err != nil {
		return nil, err
	}
	for _, lf := range market.LegalForms {
		d.LegalForms = append(d.LegalForms, option{Value: string(lf), Label: lf.Label()})
	}
	capital, ok1 := parseRupiahInput(f.Capital)
	sales, ok2 := parseRupiahInput(f.AnnualSales)
	if ok1 && ok2 {
		c := market.ClassOf(capital, sales)
		d.Class, d.ClassOK = c.Label(), c == market.ClassMicro || c == market.ClassSmall
	}
	return d, nil
}

// defaultCity derives the city from the instance name ("Pemerintah Kota Medan" → "Kota Medan").
func (s *Server) defaultCity() string {
	return strings.TrimSpace(strings.TrimPrefix(s.inst.Name, "Pemerintah"))
}

func (s *Server) registrationForm(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, market.RoleSellerOwner)
	if err != nil {
		return err
	}
	d, err := s.newRegPage(r, sl, regFormOf(sl, s.defaultCity()))
	if err != nil {
		return err
	}
	if !sl.Editable() {
		d.Error = d.T("reg.locked")
	}
	return s.render(w, http.StatusOK, "seller_registration", d)
}

func (s *Server) saveRegistration(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, market.RoleSellerOwner)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := readRegForm(r)
	reg, fe := f.registration()
	if len(fe) == 0 {
		_, err = s.store.SaveSellerRegistration(r.Context(), actorFor(principal(r), market.RoleSellerOwner), sl.ID, reg)
	} else {
		// Show the form's own problems together with every other field's.
		if _, verr := reg.Normalized(); verr != nil {
			for k, v := range asCoded(verr).Fields {
				fe.Add(k, v)
			}
		}
		err = fe.Err()
	}
	if err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		d, lerr := s.newRegPage(r, sl, f)
		if lerr != nil {
			return lerr
		}
		d.Fields, d.Error = fields, msg
		return s.render(w, statusOf(asCoded(err).Code), "seller_registration", d)
	}
	http.Redirect(w, r, fmt.Sprintf("/usaha/%d?ok=reg.saved", sl.ID), http.StatusSeeOther)
	return nil
}

// --- Documents ---------------------------------------------------------------------------

func (s *Server) uploadDocument(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, market.RoleSellerOwner)
	if err != nil {
		return err
	}
	if s.cfg.Blobs == nil {
		return &market.Error{Code: market.CodeUnavailable, Message: "Penyimpanan berkas belum disiapkan."}
	}
	if err := r.ParseMultipartForm(uploadMaxBody); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return s.rerenderSeller(w, r, sl, &market.Error{Code: market.CodeTooLarge, Message: fmt.Sprintf("Berkas terlalu besar (maksimal %d MB).", upload.MaxFileSize>>20)}, signupForm{})
		}
		return s.rerenderSeller(w, r, sl, market.Invalid("file", "Pilih berkas yang akan diunggah."), signupForm{})
	}
	defer r.MultipartForm.RemoveAll()
	kind, err := store.ParseDocKind(r.FormValue("kind"))
	if err != nil {
		return s.rerenderSeller(w, r, sl, err, signupForm{})
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.rerenderSeller(w, r, sl, market.Invalid("file", "Pilih berkas yang akan diunggah."), signupForm{})
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, upload.MaxFileSize+1))
	if err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	checked, err := upload.Check("file", data, upload.PDF, upload.JPEG, upload.PNG)
	if err != nil {
		return s.rerenderSeller(w, r, sl, err, signupForm{})
	}
	blobID, err := s.cfg.Blobs.Put(checked.Data)
	if err != nil {
		return err
	}
	_, err = s.store.AddSellerDocument(r.Context(), actorFor(principal(r), market.RoleSellerOwner), store.SellerDocument{
		SellerID: sl.ID, Kind: kind, BlobID: blobID, Filename: hdr.Filename, ContentType: checked.Kind.ContentType(), Size: int64(len(checked.Data))})
	if err != nil {
		return s.rerenderSeller(w, r, sl, err, signupForm{})
	}
	http.Redirect(w, r, fmt.Sprintf("/usaha/%d?ok=doc.uploaded", sl.ID), http.StatusSeeOther)
	return nil
}

// serveDocument sends a seller document to its people, curators, admins and auditors only:
// with nosniff, a sandboxing CSP, and PDFs as attachments.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	docID, err := pathID(r, "doc")
	if err != nil {
		return err
	}
	if !canReadSeller(principal(r), id) {
		return market.NotFound("Dokumen")
	}
	d, err := s.store.GetSellerDocument(r.Context(), id, docID)
	if err != nil {
		return err
	}
	if s.cfg.Blobs == nil {
		return &market.Error{Code: market.CodeUnavailable, Message: "Penyimpanan berkas belum disiapkan."}
	}
	f, err := s.cfg.Blobs.Open(d.BlobID)
	if errors.Is(err, blob.ErrNotFound) {
		return market.NotFound("Dokumen")
	}
	if err != nil {
		return err
	}
	defer f.Close()
	disposition := "inline"
	if !d.IsImage() {
		disposition = "attachment"
	}
	w.Header().Set("Content-Type", d.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": d.Filename}))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", d.UploadedAt, f)
	return nil
}

// --- Submit and staff --------------------------------------------------------------------

func (s *Server) submitSeller(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, market.RoleSellerOwner)
	if err != nil {
		return err
	}
	if err := s.store.SubmitSeller(r.Context(), actorFor(principal(r), market.RoleSellerOwner), sl.ID); err != nil {
		return s.rerenderSeller(w, r, sl, err, signupForm{})
	}
	http.Redirect(w, r, fmt.Sprintf("/usaha/%d?ok=seller.submitted", sl.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) inviteStaff(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, market.RoleSellerOwner)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := signupForm{Name: r.PostFormValue("name"), Email: r.PostFormValue("email")}
	_, err = s.store.Invite(r.Context(), principal(r), store.NewUser{Name: in.Name, Email: in.Email},
		store.Grant{Role: market.RoleSellerStaff, ScopeID: sl.ID})
	if err != nil {
		return s.rerenderSeller(w, r, sl, err, in)
	}
	http.Redirect(w, r, fmt.Sprintf("/usaha/%d?ok=invite.done", sl.ID), http.StatusSeeOther)
	return nil
}

// --- Public profile ----------------------------------------------------------------------

type publicSellerPage struct {
	Base
	Seller    store.Seller
	Eligible  bool
	Scorecard store.Scorecard // ratings by PPKs (ui_payments.go)
}

// publicSeller shows what anyone may know of a seller: name, kecamatan, class, status and
// legal form. Drafts are not public yet.
func (s *Server) publicSeller(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sl, err := s.store.GetSeller(r.Context(), id)
	if err != nil {
		return err
	}
	if sl.SellerStatus() == market.SellerDraft {
		return market.NotFound("Penyedia")
	}
	// Only public fields go to the template.
	pub := store.Seller{ID: sl.ID, Name: sl.Name, Kecamatan: sl.Kecamatan, Status: sl.Status, Class: sl.Class, VerifiedAt: sl.VerifiedAt}
	pub.Reg.LegalForm = sl.Reg.LegalForm
	d := &publicSellerPage{Base: s.newBase(r, "seller.public"), Seller: pub}
	d.Title = sellerDisplayName(&d.Base, sl)
	d.Eligible, _ = sl.Eligible()
	if d.Scorecard, err = s.store.SellerScorecard(r.Context(), sl.ID); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "seller_public", d)
}

package web

import (
	"fmt"
	"net/http"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// The seller endpoints of the JSON API: create and register a seller, read one (private
// details only for its people, curators, admins and auditors), and a curator's verification
// decision. Field errors use the registration's field names (nib, address.kecamatan, …).

type addressJSON struct {
	Street     string `json:"street"`
	Kelurahan  string `json:"kelurahan"`
	Kecamatan  string `json:"kecamatan"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code,omitempty"`
}

type bankJSON struct {
	Name   string `json:"name"`
	Number string `json:"number"`
	Holder string `json:"holder"`
}

// sellerRequest is the body of POST /api/v1/sellers.
type sellerRequest struct {
	SellerID        int64       `json:"seller_id,omitempty"` // register this draft seller of the caller instead of creating one
	PrivacyAccepted bool        `json:"privacy_accepted"`
	BusinessName    string      `json:"business_name"`
	LegalForm       string      `json:"legal_form"`
	NIB             string      `json:"nib"`
	NPWP            string      `json:"npwp,omitempty"`
	OwnerNIK        string      `json:"owner_nik"`
	KBLI            []string    `json:"kbli"`
	Capital         int64       `json:"capital"`
	AnnualSales     int64       `json:"annual_sales"`
	PKP             bool        `json:"pkp"`
	PP55Number      string      `json:"pp55_number,omitempty"`
	PP55ValidFrom   string      `json:"pp55_valid_from,omitempty"`
	PP55ValidTo     string      `json:"pp55_valid_to,omitempty"`
	Address         addressJSON `json:"address"`
	Phone           string      `json:"phone"`
	Bank            bankJSON    `json:"bank"`
}

func (q sellerRequest) registration() (market.SellerRegistration, error) {
	reg := market.SellerRegistration{BusinessName: q.BusinessName, LegalForm: market.LegalForm(q.LegalForm), NIB: q.NIB, NPWP: q.NPWP,
		OwnerNIK: q.OwnerNIK, KBLI: q.KBLI, Capital: market.Rupiah(q.Capital), AnnualSales: market.Rupiah(q.AnnualSales), PKP: q.PKP,
		PP55Number: q.PP55Number, Phone: q.Phone,
		Address: market.Address{Street: q.Address.Street, Kelurahan: q.Address.Kelurahan, Kecamatan: q.Address.Kecamatan, City: q.Address.City, PostalCode: q.Address.PostalCode},
		Bank:    market.BankAccount{Bank: q.Bank.Name, Number: q.Bank.Number, Holder: q.Bank.Holder}}
	fe := market.FieldErrors{}
	for _, d := range []struct {
		in, field string
		out       *time.Time
	}{{q.PP55ValidFrom, "pp55_valid_from", &reg.PP55ValidFrom}, {q.PP55ValidTo, "pp55_valid_to", &reg.PP55ValidTo}} {
		if d.in == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.in)
		if err != nil {
			fe.Add(d.field, "Tanggal tidak valid (gunakan TTTT-BB-HH).")
		}
		*d.out = t
	}
	if len(fe) > 0 {
		if _, err := reg.Normalized(); err != nil {
			for k, v := range asCoded(err).Fields {
				fe.Add(k, v)
			}
		}
		return reg, fe.Err()
	}
	return reg, nil
}

type checkJSON struct {
	Key  string `json:"key"`
	Done bool   `json:"done"`
}

type documentJSON struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	UploadedAt  time.Time `json:"uploaded_at"`
	URL         string    `json:"url"`
}

// sellerDetails is the private part of a seller, for its people, curators, admins, auditors.
type sellerDetails struct {
	NIB            string            `json:"nib"`
	NPWP           string            `json:"npwp"`
	OwnerNIK       string            `json:"owner_nik,omitempty"`
	KBLI           []string          `json:"kbli"`
	Capital        int64             `json:"capital"`
	AnnualSales    int64             `json:"annual_sales"`
	PKP            bool              `json:"pkp"`
	PP55Number     string            `json:"pp55_number,omitempty"`
	PP55ValidFrom  string            `json:"pp55_valid_from,omitempty"`
	PP55ValidTo    string            `json:"pp55_valid_to,omitempty"`
	Address        addressJSON       `json:"address"`
	Phone          string            `json:"phone,omitempty"`
	Bank           *bankJSON         `json:"bank,omitempty"`
	StatusReason   string            `json:"status_reason,omitempty"`
	ChangeNotes    map[string]string `json:"change_notes,omitempty"`
	SuspendedUntil time.Time         `json:"suspended_until,omitzero"`
	SubmittedAt    time.Time         `json:"submitted_at,omitzero"`
	Checklist      []checkJSON       `json:"checklist"`
	Documents      []documentJSON    `json:"documents"`
}

// sellerView is how much of a seller's registration a caller sees.
type sellerView int

const (
	// sellerPublicView: what everyone sees (name, legal form, kecamatan, class, status).
	sellerPublicView sellerView = iota + 1
	// sellerStaffView: the business's registration for its staff, as the seller's page shows
	// them, without the owner's own data (NIK, phone) and the bank account.
	sellerStaffView
	// sellerFullView: everything, for the owner, curators, admins and auditors.
	sellerFullView
)

// sellerViewOf is the view p has of the seller.
func sellerViewOf(p *market.Principal, sellerID int64) sellerView {
	switch {
	case p.InSeller(sellerID, market.RoleSellerOwner) || p.HasAny(market.RoleCurator, market.RoleAdmin, market.RoleAuditor):
		return sellerFullView
	case canReadSeller(p, sellerID):
		return sellerStaffView
	}
	return sellerPublicView
}

// sellerJSON is a seller in the API: public fields, and Details when the caller may see them.
type sellerJSON struct {
	ID           int64          `json:"id"`
	BusinessName string         `json:"business_name"`
	LegalForm    string         `json:"legal_form"`
	Kecamatan    string         `json:"kecamatan"`
	Class        string         `json:"class"`
	Status       string         `json:"status"`
	Eligible     bool           `json:"eligible"`
	VerifiedAt   time.Time      `json:"verified_at,omitzero"`
	Details      *sellerDetails `json:"details,omitempty"`
}

func (s *Server) sellerJSON(r *http.Request, sl store.Seller, view sellerView) (sellerJSON, error) {
	out := sellerJSON{ID: sl.ID, BusinessName: sl.Name, LegalForm: string(sl.Reg.LegalForm), Kecamatan: sl.Kecamatan,
		Class: string(sl.Class), Status: sl.Status, VerifiedAt: sl.VerifiedAt}
	out.Eligible, _ = sl.Eligible()
	if view == sellerPublicView {
		return out, nil
	}
	g := sl.Reg
	d := &sellerDetails{NIB: g.NIB, NPWP: g.NPWP, KBLI: g.KBLI, Capital: int64(g.Capital), AnnualSales: int64(g.AnnualSales),
		PKP: g.PKP, PP55Number: g.PP55Number, StatusReason: sl.StatusReason, ChangeNotes: sl.ChangeNotes,
		SuspendedUntil: sl.SuspendedUntil, SubmittedAt: sl.SubmittedAt,
		Address:   addressJSON{Street: g.Address.Street, Kelurahan: g.Address.Kelurahan, Kecamatan: g.Address.Kecamatan, City: g.Address.City, PostalCode: g.Address.PostalCode},
		Checklist: []checkJSON{}, Documents: []documentJSON{}}
	if view == sellerFullView {
		d.OwnerNIK, d.Phone = g.OwnerNIK, g.Phone
		d.Bank = &bankJSON{Name: g.Bank.Bank, Number: g.Bank.Number, Holder: g.Bank.Holder}
	}
	if d.KBLI == nil {
		d.KBLI = []string{}
	}
	if !g.PP55ValidFrom.IsZero() {
		d.PP55ValidFrom, d.PP55ValidTo = g.PP55ValidFrom.Format(time.DateOnly), g.PP55ValidTo.Format(time.DateOnly)
	}
	docs, err := s.store.SellerDocuments(r.Context(), sl.ID)
	if err != nil {
		return out, err
	}
	for _, it := range store.Checklist(sl, docs) {
		d.Checklist = append(d.Checklist, checkJSON{Key: it.Key, Done: it.Done})
	}
	for _, doc := range store.LatestDocuments(docs) {
		d.Documents = append(d.Documents, documentJSON{ID: doc.ID, Kind: string(doc.Kind), Filename: doc.Filename, ContentType: doc.ContentType,
			Size: doc.Size, UploadedAt: doc.UploadedAt, URL: s.cfg.PublicURL + documentPath(sl.ID, doc.ID)})
	}
	out.Details = d
	return out, nil
}

func documentPath(sellerID, docID int64) string {
	return fmt.Sprintf("/usaha/%d/dokumen/%d", sellerID, docID)
}

func (s *Server) apiCreateSeller(w http.ResponseWriter, r *http.Request) error {
	var req sellerRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	reg, err := req.registration()
	if err != nil {
		return err
	}
	p := principal(r)
	var sl store.Seller
	status := http.StatusCreated
	if req.SellerID != 0 {
		if !p.InSeller(req.SellerID, market.RoleSellerOwner) {
			return market.NotFound("Penyedia")
		}
		sl, err = s.store.SaveSellerRegistration(r.Context(), actorFor(p, market.RoleSellerOwner), req.SellerID, reg)
		status = http.StatusOK
	} else {
		sl, err = s.store.CreateRegisteredSeller(r.Context(), p.UserID, reg, req.PrivacyAccepted)
	}
	if err != nil {
		return err
	}
	out, err := s.sellerJSON(r, sl, sellerFullView)
	if err != nil {
		return err
	}
	writeJSON(w, status, out)
	return nil
}

func (s *Server) apiGetSeller(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p := principal(r)
	sl, err := s.store.GetSeller(r.Context(), id)
	if err != nil {
		return err
	}
	view := sellerViewOf(p, id)
	if view == sellerPublicView && sl.SellerStatus() == market.SellerDraft {
		return market.NotFound("Penyedia")
	}
	out, err := s.sellerJSON(r, sl, view)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type verificationRequest struct {
	Decision string            `json:"decision"`
	Reason   string            `json:"reason,omitempty"`
	Until    string            `json:"until,omitempty"`
	Notes    map[string]string `json:"notes,omitempty"`
}

func (s *Server) apiVerifySeller(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req verificationRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	until, err := s.parseUntil(req.Until)
	if err != nil {
		return err
	}
	sl, err := s.store.DecideSeller(r.Context(), actorFor(principal(r), market.RoleCurator), id,
		store.Decision{Decision: market.SellerDecision(req.Decision), Reason: req.Reason, Until: until, Notes: req.Notes})
	if err != nil {
		return err
	}
	out, err := s.sellerJSON(r, sl, sellerFullView)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

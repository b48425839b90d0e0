package web

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// This file is the curator's side (Dinas Koperasi dan UMKM): the queue of submitted sellers,
// a seller's full file with its documents inline, the decisions, and the blocked-NPWP list that
// admins keep. Admins and auditors may read all of it; only curators decide and only admins
// edit the blocked list.

// curationReaders may open the curation pages.
var curationReaders = roles(market.RoleCurator, market.RoleAdmin, market.RoleAuditor)

type curationPage struct {
	Base
	Status   string
	Statuses []option
	Sellers  []store.Seller
	// Conflicts are the sellers this curator may not decide on (store.CurationConflicts),
	// marked in the queue.
	Conflicts map[int64]bool
}

func (s *Server) curation(w http.ResponseWriter, r *http.Request) error {
	d := &curationPage{Base: s.newBase(r, "cur.title"), Status: r.URL.Query().Get("status")}
	if d.Status == "" {
		d.Status = string(market.SellerSubmitted)
	}
	st, err := market.ParseSellerStatus(d.Status)
	if err != nil {
		return err
	}
	for _, x := range market.SellerStatuses {
		d.Statuses = append(d.Statuses, option{Value: string(x), Label: d.T("status." + string(x))})
	}
	if d.Sellers, err = s.store.ListSellers(r.Context(), store.SellerFilter{Status: st, Limit: 500}); err != nil {
		return err
	}
	if d.Conflicts, err = s.curationConflicts(r); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "curator_queue", d)
}

// curationConflicts returns the sellers the signed-in curator may not curate; none for those
// who are not curators (they do not decide).
func (s *Server) curationConflicts(r *http.Request) (map[int64]bool, error) {
	p := principal(r)
	if !p.Has(market.RoleCurator) {
		return map[int64]bool{}, nil
	}
	return s.store.CurationConflicts(r.Context(), p.UserID)
}

type curatorSellerPage struct {
	Base
	Seller    store.Seller
	Docs      []store.SellerDocument
	Checklist []checkRow
	Blocked   bool
	CanDecide bool
	Conflict  bool     // the curator is linked to this seller and may not decide
	Decisions []string // the decisions that fit the status
	NoteKeys  []option // fields a note may be attached to
	Form      decisionForm
	Eligible  bool
	Reasons   []string
	Error     string
	Fields    map[string]string
}

type decisionForm struct {
	Decision, Reason, Until string
	Notes                   map[string]string
}

func (s *Server) loadCuratorSeller(r *http.Request, id int64) (*curatorSellerPage, error) {
	sl, err := s.store.GetSeller(r.Context(), id)
	if err != nil {
		return nil, err
	}
	d := &curatorSellerPage{Base: s.newBase(r, "cur.seller"), Seller: sl, CanDecide: principal(r).Has(market.RoleCurator)}
	d.Title = sellerDisplayName(&d.Base, sl)
	conflicts, err := s.curationConflicts(r)
	if err != nil {
		return nil, err
	}
	if conflicts[sl.ID] {
		d.Conflict, d.CanDecide = true, false
	}
	docs, err := s.store.SellerDocuments(r.Context(), sl.ID)
	if err != nil {
		return nil, err
	}
	d.Docs = store.LatestDocuments(docs)
	for _, it := range store.Checklist(sl, docs) {
		d.Checklist = append(d.Checklist, checkRow{Key: it.Key, Label: d.T("check." + it.Key), Done: it.Done})
	}
	if sl.Reg.NPWP != "" {
		list, err := s.store.ListBlockedNPWP(r.Context())
		if err != nil {
			return nil, err
		}
		for _, b := range list {
			d.Blocked = d.Blocked || b.NPWP == sl.Reg.NPWP
		}
	}
	switch sl.SellerStatus() {
	case market.SellerSubmitted:
		d.Decisions = []string{string(market.DecisionVerify), string(market.DecisionRequestChanges), string(market.DecisionReject)}
	case market.SellerVerified:
		d.Decisions = []string{string(market.DecisionSuspend)}
	case market.SellerSuspended:
		d.Decisions = []string{string(market.DecisionReinstate)}
	}
	for _, k := range store.SellerNoteFields {
		d.NoteKeys = append(d.NoteKeys, option{Value: k, Label: d.T("note." + k)})
	}
	d.Eligible, d.Reasons = sl.Eligible()
	return d, nil
}

func (s *Server) curatorSeller(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.loadCuratorSeller(r, id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "curator_seller", d)
}

// parseUntil reads a suspension's last day (a date in the instance's time zone); the
// suspension ends when that day ends.
func (s *Server) parseUntil(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, v, s.loc)
	if err != nil {
		return time.Time{}, market.Invalid("until", "Tanggal tidak valid (gunakan TTTT-BB-HH).")
	}
	return t.AddDate(0, 0, 1), nil
}

func (s *Server) decideSellerPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := decisionForm{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason"), Until: r.PostFormValue("until"), Notes: map[string]string{}}
	for _, k := range store.SellerNoteFields {
		if v := r.PostFormValue("notes." + k); v != "" {
			f.Notes[k] = v
		}
	}
	until, err := s.parseUntil(f.Until)
	if err == nil {
		_, err = s.store.DecideSeller(r.Context(), actorFor(principal(r), market.RoleCurator), id,
			store.Decision{Decision: market.SellerDecision(f.Decision), Reason: f.Reason, Until: until, Notes: f.Notes})
	}
	if err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		d, lerr := s.loadCuratorSeller(r, id)
		if lerr != nil {
			return lerr
		}
		d.Form, d.Fields, d.Error = f, fields, msg
		return s.render(w, statusOf(asCoded(err).Code), "curator_seller", d)
	}
	http.Redirect(w, r, fmt.Sprintf("/kurasi/penjual/%d?ok=cur.decided", id), http.StatusSeeOther)
	return nil
}

// --- Blocked NPWP ------------------------------------------------------------------------

type blockedPage struct {
	Base
	List    []store.BlockedNPWP
	CanEdit bool
	NPWP    string
	Reason  string
	Error   string
	Fields  map[string]string
}

func (s *Server) newBlockedPage(r *http.Request) (*blockedPage, error) {
	d := &blockedPage{Base: s.newBase(r, "npwp.title"), CanEdit: principal(r).Has(market.RoleAdmin)}
	var err error
	d.List, err = s.store.ListBlockedNPWP(r.Context())
	return d, err
}

func (s *Server) blockedNPWP(w http.ResponseWriter, r *http.Request) error {
	d, err := s.newBlockedPage(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "curator_npwp", d)
}

func (s *Server) blockNPWP(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	npwp, reason := r.PostFormValue("npwp"), r.PostFormValue("reason")
	if _, err := s.store.BlockNPWP(r.Context(), actorFor(principal(r), market.RoleAdmin), npwp, reason); err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		d, lerr := s.newBlockedPage(r)
		if lerr != nil {
			return lerr
		}
		d.NPWP, d.Reason, d.Fields, d.Error = npwp, reason, fields, msg
		return s.render(w, statusOf(asCoded(err).Code), "curator_npwp", d)
	}
	http.Redirect(w, r, "/kurasi/npwp?ok=npwp.blocked", http.StatusSeeOther)
	return nil
}

func (s *Server) unblockNPWP(w http.ResponseWriter, r *http.Request) error {
	npwp, err := url.PathUnescape(r.PathValue("npwp"))
	if err != nil {
		return market.NotFound("NPWP")
	}
	if err := s.store.UnblockNPWP(r.Context(), actorFor(principal(r), market.RoleAdmin), npwp); err != nil {
		return err
	}
	http.Redirect(w, r, "/kurasi/npwp?ok=npwp.unblocked", http.StatusSeeOther)
	return nil
}

package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"bela/internal/market"
	"bela/internal/store"
)

// This file is the auditor's work (pemeriksaan: inspection by the APIP, the Inspektorat): the
// queue of red-flagged orders, audit cases (kasus pemeriksaan) with their notes, and the
// auditor's card on the order page. Everything here is for auditors only.

// openCaseForm is a refused form that opens a case: what was typed and what is wrong.
type openCaseForm struct {
	OrderID int64
	Title   string
	Note    string
	Fields  map[string]string
	Error   string
}

// flagsPage is the red-flag queue (GET /pemeriksaan) with its filter.
type flagsPage struct {
	Base
	Queue       store.FlagQueue
	Flags       []market.RedFlag
	Units       []store.Unit
	Year        int
	UnitID      int64
	Flag        market.RedFlag
	WithoutCase bool
	Next        string
	Open        *openCaseForm // a refused open-case form, shown above the queue
}

// URL returns the queue's address with the page's filter and the flag given ("" for any).
func (d *flagsPage) URL(flag market.RedFlag) string { return d.link(flag, 0) }

// link is URL for the page of orders older than before (0: the first page).
func (d *flagsPage) link(flag market.RedFlag, before int64) string {
	q := url.Values{}
	if d.Year != 0 {
		q.Set("tahun", strconv.Itoa(d.Year))
	} else {
		q.Set("tahun", "semua")
	}
	if d.UnitID != 0 {
		q.Set("unit", strconv.FormatInt(d.UnitID, 10))
	}
	if flag != "" {
		q.Set("tanda", string(flag))
	}
	if d.WithoutCase {
		q.Set("tanpa_kasus", "1")
	}
	if before != 0 {
		q.Set("sebelum", strconv.FormatInt(before, 10))
	}
	if len(q) == 0 {
		return "/pemeriksaan"
	}
	return "/pemeriksaan?" + q.Encode()
}

// Count returns how many orders of the filter carry flag f.
func (d *flagsPage) Count(f market.RedFlag) int { return d.Queue.Counts[f] }

// redFlags shows the queue of red-flagged orders (GET /pemeriksaan?tahun=&unit=&tanda=&tanpa_kasus=1&sebelum=).
// Without tahun it shows the current fiscal year (reading every year's orders takes longer the
// longer Bela runs); tahun=semua shows every year. Filter values that do not parse are ignored,
// as on the other lists.
func (s *Server) redFlags(w http.ResponseWriter, r *http.Request) error {
	return s.renderFlags(w, r, http.StatusOK, &flagsPage{Base: s.newBase(r, "flags.title")})
}

func (s *Server) renderFlags(w http.ResponseWriter, r *http.Request, status int, d *flagsPage) error {
	q := r.URL.Query()
	switch y := q.Get("tahun"); y {
	case "":
		d.Year = s.cfg.Clock.Now().In(s.loc).Year()
	case "semua":
	default:
		d.Year, _ = strconv.Atoi(y)
	}
	d.UnitID, _ = strconv.ParseInt(q.Get("unit"), 10, 64)
	if f, err := market.ParseRedFlag(q.Get("tanda")); err == nil {
		d.Flag = f
	}
	d.WithoutCase = q.Get("tanpa_kasus") == "1"
	before, _ := strconv.ParseInt(q.Get("sebelum"), 10, 64)
	f := store.RedFlagFilter{FiscalYear: d.Year, UnitID: d.UnitID, Flag: d.Flag, WithoutCase: d.WithoutCase, BeforeID: before, Limit: 50}
	var err error
	if d.Queue, err = s.store.RedFlagQueue(r.Context(), d.P, f); err != nil {
		return err
	}
	if d.Units, err = s.store.ListUnits(r.Context()); err != nil {
		return err
	}
	d.Flags = market.RedFlagCodes
	if n := len(d.Queue.Orders); n == f.Limit {
		d.Next = d.link(d.Flag, d.Queue.Orders[n-1].ID)
	}
	return s.render(w, status, "cases_flags", d)
}

// openCasePage opens a case on an order (POST /pemeriksaan/kasus: order_id, title, note) and
// goes to the case; a refused form shows the queue again with the form, its typed values and
// its messages on top.
func (s *Server) openCasePage(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	form := &openCaseForm{Title: r.PostFormValue("title"), Note: r.PostFormValue("note")}
	var err error
	if form.OrderID, err = strconv.ParseInt(strings.TrimSpace(r.PostFormValue("order_id")), 10, 64); err != nil || form.OrderID <= 0 {
		err = market.Invalid("order_id", "Pilih pesanan yang akan diperiksa.")
	} else {
		var c store.Case
		if c, err = s.store.OpenCase(r.Context(), principal(r), form.OrderID, form.Title, form.Note); err == nil {
			http.Redirect(w, r, fmt.Sprintf("/pemeriksaan/kasus/%d?ok=case.opened", c.ID), http.StatusSeeOther)
			return nil
		}
	}
	fields, msg, ok := formError(r, err)
	if !ok {
		return err
	}
	form.Fields, form.Error = fields, msg
	d := &flagsPage{Base: s.newBase(r, "flags.title"), Open: form}
	return s.renderFlags(w, r, statusOf(asCoded(err).Code), d)
}

// casesPage lists audit cases (GET /pemeriksaan/kasus?status=&pesanan=&sebelum=).
type casesPage struct {
	Base
	Cases   []store.Case
	States  []market.CaseState
	State   market.CaseState
	OrderID int64
	Next    string
}

// cases lists the audit cases, newest first, by state and order.
func (s *Server) cases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := &casesPage{Base: s.newBase(r, "cases.title"), States: []market.CaseState{market.CaseOpen, market.CaseClosed}}
	if st := market.CaseState(q.Get("status")); st == market.CaseOpen || st == market.CaseClosed {
		d.State = st
	}
	d.OrderID, _ = strconv.ParseInt(q.Get("pesanan"), 10, 64)
	before, _ := strconv.ParseInt(q.Get("sebelum"), 10, 64)
	f := store.CaseFilter{State: d.State, OrderID: d.OrderID, BeforeID: before, Limit: 50}
	var err error
	if d.Cases, err = s.store.ListCases(r.Context(), d.P, f); err != nil {
		return err
	}
	if n := len(d.Cases); n == f.Limit {
		next := url.Values{}
		if d.State != "" {
			next.Set("status", string(d.State))
		}
		if d.OrderID != 0 {
			next.Set("pesanan", strconv.FormatInt(d.OrderID, 10))
		}
		next.Set("sebelum", strconv.FormatInt(d.Cases[n-1].ID, 10))
		d.Next = "/pemeriksaan/kasus?" + next.Encode()
	}
	return s.render(w, http.StatusOK, "cases", d)
}

// casePage is one audit case: the order's summary, the flags at opening and now, the notes and
// the forms for what can be done in its state. After a refused form, ErrForm names that form
// ("note", "close" or "reopen"), Form holds what was typed and Fields the messages.
type casePage struct {
	Base
	Case        store.Case
	Order       store.Order
	Conclusions []market.CaseConclusion
	ErrForm     string
	Error       string
	Fields      map[string]string
	Form        map[string]string
}

// Val returns what was typed in field name of the refused form named form.
func (d *casePage) Val(form, name string) string {
	if d.ErrForm != form {
		return ""
	}
	return d.Form[name]
}

// FieldError returns the message of field name of the refused form named form.
func (d *casePage) FieldError(form, name string) string {
	if d.ErrForm != form {
		return ""
	}
	return d.Fields[name]
}

// auditCase shows one case (GET /pemeriksaan/kasus/{id}).
func (s *Server) auditCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderCase(w, r, http.StatusOK, id, &casePage{Base: s.newBase(r, "cases.title")})
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, id int64, d *casePage) error {
	c, err := s.store.GetCase(r.Context(), d.P, id)
	if err != nil {
		return err
	}
	d.Case = c
	if d.Order, err = s.store.GetOrder(r.Context(), d.P, c.OrderID); err != nil {
		return err
	}
	d.Title = translate(d.Lang, "case.heading", c.ID)
	d.Conclusions = market.CaseConclusions
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	return s.render(w, status, "case", d)
}

// caseAction wraps a change of a case: on success back to the case with a flash; on a form error
// the case again with the typed values and the messages next to that form.
func (s *Server) caseAction(name, done string, do func(r *http.Request, p *market.Principal, id int64) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return err
		}
		d := &casePage{Base: s.newBase(r, "cases.title")}
		if err := do(r, d.P, id); err != nil {
			fields, msg, ok := formError(r, err)
			if !ok {
				return err
			}
			d.ErrForm, d.Fields, d.Error = name, fields, msg
			d.Form = typed(r)
			return s.renderCase(w, r, statusOf(asCoded(err).Code), id, d)
		}
		http.Redirect(w, r, fmt.Sprintf("/pemeriksaan/kasus/%d?ok=%s", id, done), http.StatusSeeOther)
		return nil
	}
}

// caseNote adds a note to a case (POST /pemeriksaan/kasus/{id}/catatan: note).
func (s *Server) caseNote(r *http.Request, p *market.Principal, id int64) error {
	return s.store.AddCaseNote(r.Context(), p, id, r.PostFormValue("note"))
}

// closeCase closes a case (POST /pemeriksaan/kasus/{id}/tutup: conclusion, note).
func (s *Server) closeCase(r *http.Request, p *market.Principal, id int64) error {
	return s.store.CloseCase(r.Context(), p, id, market.CaseConclusion(r.PostFormValue("conclusion")), r.PostFormValue("note"))
}

// reopenCase opens a closed case again (POST /pemeriksaan/kasus/{id}/buka-lagi: reason).
func (s *Server) reopenCase(r *http.Request, p *market.Principal, id int64) error {
	return s.store.ReopenCase(r.Context(), p, id, r.PostFormValue("reason"))
}

// orderAudit is what an auditor sees of the red flags on the order page: the order's flags now
// and its open case, or the form to open one.
type orderAudit struct {
	Flags      []market.RedFlag
	OpenCaseID int64
	Cases      int
}

// auditOrder fills the order page's auditor card when the user is an auditor, and leaves it out
// for everyone else.
func (s *Server) auditOrder(r *http.Request, d *orderPage) error {
	if !d.P.Has(market.RoleAuditor) {
		return nil
	}
	o, err := s.store.OrderRedFlags(r.Context(), d.P, d.Order.ID)
	if errors.Is(err, market.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	d.Audit = &orderAudit{Flags: o.Flags, OpenCaseID: o.OpenCaseID, Cases: o.Cases}
	return nil
}

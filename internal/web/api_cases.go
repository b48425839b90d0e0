package web

import (
	"net/http"
	"strconv"

	"bela/internal/market"
	"bela/internal/store"
)

// This file is the JSON API of the auditor's work (ui_cases.go has the pages): the red-flag queue
// and audit cases, for APIP auditors only (the routes say so, and the store checks again).

// redFlagsResponse is one page of the red-flag queue (GET /api/v1/red-flags).
type redFlagsResponse struct {
	Orders []store.FlaggedOrder `json:"orders"`
	// Counts has every flag, with the flagged orders carrying it under the filter without its
	// flag and paging; Flagged counts those with any flag.
	Counts      map[market.RedFlag]int `json:"counts"`
	Flagged     int                    `json:"flagged"`
	FiscalYears []int                  `json:"fiscal_years"`
}

// queryIDs reads the named positive-id query parameters into their destinations, adding a field
// error for each that does not parse.
func queryIDs(r *http.Request, fe market.FieldErrors, dst map[string]*int64) {
	for name, p := range dst {
		id, err := queryID(r, name)
		if err != nil {
			fe.Add(name, asCoded(err).Message)
			continue
		}
		*p = id
	}
}

// queryLimit reads the limit query parameter (0 when absent), adding a field error when it is
// not between 1 and 500.
func queryLimit(r *http.Request, fe market.FieldErrors) int {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 500 {
		fe.Add("limit", "Batas harus antara 1 dan 500.")
		return 0
	}
	return n
}

// apiRedFlags lists the red-flagged orders
// (GET /api/v1/red-flags?fiscal_year=&unit_id=&seller_id=&flag=&without_case=true&before_id=&limit=).
// Unlike the page, no fiscal_year means every year. Every bad value is a field error, all at once.
func (s *Server) apiRedFlags(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fe := market.FieldErrors{}
	var f store.RedFlagFilter
	if v := q.Get("fiscal_year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			fe.Add("fiscal_year", "Tahun anggaran harus antara 2000 dan 2100.")
		}
		f.FiscalYear = y
	}
	queryIDs(r, fe, map[string]*int64{"unit_id": &f.UnitID, "seller_id": &f.SellerID, "before_id": &f.BeforeID})
	if v := q.Get("flag"); v != "" {
		flag, err := market.ParseRedFlag(v)
		if err != nil {
			fe.Add("flag", asCoded(err).Message)
		}
		f.Flag = flag
	}
	switch q.Get("without_case") {
	case "", "false":
	case "true":
		f.WithoutCase = true
	default:
		fe.Add("without_case", "Harus berupa true atau false.")
	}
	f.Limit = queryLimit(r, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	queue, err := s.store.RedFlagQueue(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	out := redFlagsResponse{Orders: queue.Orders, Counts: map[market.RedFlag]int{}, Flagged: queue.Flagged, FiscalYears: queue.Years}
	for _, fl := range market.RedFlagCodes {
		out.Counts[fl] = queue.Counts[fl]
	}
	if out.Orders == nil {
		out.Orders = []store.FlaggedOrder{}
	}
	if out.FiscalYears == nil {
		out.FiscalYears = []int{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type casesResponse struct {
	Cases []store.Case `json:"cases"`
}

// apiListCases lists audit cases, newest first, without notes
// (GET /api/v1/cases?state=open|closed&order_id=&unit_id=&before_id=&limit=).
func (s *Server) apiListCases(w http.ResponseWriter, r *http.Request) error {
	fe := market.FieldErrors{}
	var f store.CaseFilter
	switch st := market.CaseState(r.URL.Query().Get("state")); st {
	case "", market.CaseOpen, market.CaseClosed:
		f.State = st
	default:
		fe.Add("state", "Status kasus harus open atau closed.")
	}
	queryIDs(r, fe, map[string]*int64{"order_id": &f.OrderID, "unit_id": &f.UnitID, "before_id": &f.BeforeID})
	f.Limit = queryLimit(r, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	cases, err := s.store.ListCases(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	for i := range cases {
		cases[i] = caseJSON(cases[i])
	}
	writeJSON(w, http.StatusOK, casesResponse{Cases: cases})
	return nil
}

// caseJSON gives a case's lists as JSON arrays, never null: the flags at opening always, and the
// notes and flags now when the case was read with them (GetCase).
func caseJSON(c store.Case) store.Case {
	if c.Flags == nil {
		c.Flags = []market.RedFlag{}
	}
	if c.Notes != nil && c.FlagsNow == nil {
		c.FlagsNow = []market.RedFlag{}
	}
	return c
}

// writeCase answers with case id as GET /api/v1/cases/{id} gives it.
func (s *Server) writeCase(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	c, err := s.store.GetCase(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	if c.Notes == nil {
		c.Notes = []store.CaseNote{}
	}
	writeJSON(w, status, caseJSON(c))
	return nil
}

// apiGetCase returns one case with its notes, the flags at opening and now (GET /api/v1/cases/{id}).
func (s *Server) apiGetCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.writeCase(w, r, http.StatusOK, id)
}

type openCaseRequest struct {
	OrderID int64  `json:"order_id"`
	Title   string `json:"title"`
	Note    string `json:"note"`
}

// apiOpenCase opens a case on an order (POST /api/v1/cases) and answers 201 with the case.
func (s *Server) apiOpenCase(w http.ResponseWriter, r *http.Request) error {
	var req openCaseRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.OrderID < 1 {
		// The store checks the title and note first; name them too, all at once.
		fe := market.FieldErrors{}
		fe.Add("order_id", "Pilih pesanan yang akan diperiksa.")
		if _, err := market.CaseTitle(req.Title); err != nil {
			fe.Add("title", asCoded(err).Message)
		}
		if _, err := market.CaseBody("note", req.Note); err != nil {
			fe.Add("note", asCoded(err).Message)
		}
		return fe.Err()
	}
	c, err := s.store.OpenCase(r.Context(), principal(r), req.OrderID, req.Title, req.Note)
	if err != nil {
		return err
	}
	return s.writeCase(w, r, http.StatusCreated, c.ID)
}

type caseNoteRequest struct {
	Body string `json:"body"`
}

type closeCaseRequest struct {
	Conclusion market.CaseConclusion `json:"conclusion"`
	Note       string                `json:"note"`
}

// apiCaseNote adds a working note to an open case (POST /api/v1/cases/{id}/notes).
func (s *Server) apiCaseNote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req caseNoteRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.store.AddCaseNote(r.Context(), principal(r), id, req.Body); err != nil {
		return renameField(err, "note", "body")
	}
	return s.writeCase(w, r, http.StatusOK, id)
}

// apiCloseCase closes an open case with a conclusion and a closing note
// (POST /api/v1/cases/{id}/close).
func (s *Server) apiCloseCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req closeCaseRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.store.CloseCase(r.Context(), principal(r), id, req.Conclusion, req.Note); err != nil {
		return err
	}
	return s.writeCase(w, r, http.StatusOK, id)
}

// apiReopenCase opens a closed case again with the reason (POST /api/v1/cases/{id}/reopen).
func (s *Server) apiReopenCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.store.ReopenCase(r.Context(), principal(r), id, req.Reason); err != nil {
		return err
	}
	return s.writeCase(w, r, http.StatusOK, id)
}

// renameField returns err with its field error on from named to instead (the store's name for a
// value the request calls otherwise).
func renameField(err error, from, to string) error {
	e := asCoded(err)
	msg, ok := e.Fields[from]
	if !ok {
		return err
	}
	out := *e
	out.Fields = map[string]string{}
	for k, v := range e.Fields {
		out.Fields[k] = v
	}
	delete(out.Fields, from)
	out.Fields[to] = msg
	return &out
}

package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"bela/internal/store"
)

type auditPage struct {
	Base
	F        store.AuditFilter
	From, To string
	Actions  []string
	Rows     []store.AuditRow
	OlderURL string
	Error    string
}

// audit lets auditors and admins browse the audit trail by object, actor, action and date.
func (s *Server) audit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := &auditPage{Base: s.newBase(r, "audit.title"), From: q.Get("from"), To: q.Get("to")}
	d.F = store.AuditFilter{ObjectType: q.Get("type"), Action: q.Get("action"), Limit: 100}
	var bad []string
	parseInt := func(name string) int64 {
		v := q.Get(name)
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			bad = append(bad, name)
		}
		return n
	}
	d.F.ObjectID, d.F.ActorID, d.F.BeforeSeq = parseInt("id"), parseInt("actor"), parseInt("before")
	parseDate := func(name, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, s.loc)
		if err != nil {
			bad = append(bad, name)
		}
		return t
	}
	d.F.From = parseDate("from", d.From)
	if to := parseDate("to", d.To); !to.IsZero() {
		d.F.To = to.AddDate(0, 0, 1)
	}
	status := http.StatusOK
	if len(bad) > 0 {
		d.Error = fmt.Sprintf("Isian saringan tidak valid: %v", bad)
		status = http.StatusUnprocessableEntity
	}
	var err error
	if d.Actions, err = s.store.AuditActions(r.Context()); err != nil {
		return err
	}
	if d.Error == "" {
		if d.Rows, err = s.store.ListAudit(r.Context(), d.F); err != nil {
			return err
		}
	}
	if len(d.Rows) == d.F.Limit {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("before", strconv.FormatInt(d.Rows[len(d.Rows)-1].Seq, 10))
		d.OlderURL = "/audit?" + next.Encode()
	}
	return s.render(w, status, "audit", d)
}

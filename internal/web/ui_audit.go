package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// auditPage is the audit trail with its filter: the filter as parsed (F) and as typed (ID,
// Actor, From, To), so that a value that does not parse comes back as it was typed, with its
// message next to it in Fields.
type auditPage struct {
	Base
	F                   store.AuditFilter
	ID, Actor, From, To string
	Actions             []string
	Rows                []store.AuditRow
	OlderURL            string
	Error               string
	Fields              map[string]string
}

// audit lets auditors and admins browse the audit trail by object, actor, action and date.
func (s *Server) audit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := &auditPage{Base: s.newBase(r, "audit.title"), ID: q.Get("id"), Actor: q.Get("actor"), From: q.Get("from"), To: q.Get("to")}
	d.F = store.AuditFilter{ObjectType: q.Get("type"), Action: q.Get("action"), Limit: 100}
	fe := market.FieldErrors{}
	// number reads a whole number of 0 or more (0 when empty: no filter); ok is false when
	// the value is not one.
	number := func(v string) (n int64, ok bool) {
		if v = strings.TrimSpace(v); v == "" {
			return 0, true
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, false
		}
		return n, true
	}
	var ok bool
	if d.F.ObjectID, ok = number(d.ID); !ok {
		fe.Add("id", "Isi dengan bilangan bulat 0 atau lebih.")
	}
	if d.F.ActorID, ok = number(d.Actor); !ok {
		fe.Add("actor", "Isi dengan bilangan bulat 0 atau lebih.")
	}
	if d.F.BeforeSeq, ok = number(q.Get("before")); !ok {
		fe.Add("before", "Tautan ke kejadian yang lebih lama tidak valid; saring ulang dari awal.")
	}
	parseDate := func(name, v string) time.Time {
		v = strings.TrimSpace(v)
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, s.loc)
		if err != nil {
			fe.Add(name, "Tanggal tidak valid (gunakan TTTT-BB-HH).")
		}
		return t
	}
	d.F.From = parseDate("from", d.From)
	if to := parseDate("to", d.To); !to.IsZero() {
		d.F.To = to.AddDate(0, 0, 1)
	}
	status := http.StatusOK
	if err := fe.Err(); err != nil {
		d.Fields, d.Error, _ = formError(r, err)
		status = http.StatusUnprocessableEntity
	}
	var err error
	if d.Actions, err = s.store.AuditActions(r.Context()); err != nil {
		return err
	}
	if status == http.StatusOK {
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

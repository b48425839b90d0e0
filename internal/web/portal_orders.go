package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"bela/internal/market"
	"bela/internal/ocds"
	"bela/internal/store"
)

// This file is the transparency portal's purchases (no login): each fiscal year's spending per
// work unit, every order with its lines, rule results, justifications, payments, documents and
// steps (each linked to its leaf in the transparency log), and the same data as OCDS 1.1.5
// release and record packages. Only store.PublicOrder reaches these pages, which names no
// person and carries nothing people typed about themselves.

type spendPage struct {
	Base
	Spend store.PublicSpend
}

// publicSpend shows a fiscal year's purchases per unit (GET /belanja?tahun=).
func (s *Server) publicSpend(w http.ResponseWriter, r *http.Request) error {
	year, err := yearParam(r.URL.Query().Get("tahun"))
	if err != nil {
		return err
	}
	sp, err := s.store.PublicSpend(r.Context(), year)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "portal_spend", &spendPage{Base: s.newBase(r, "portal.title"), Spend: sp})
}

// yearParam reads an optional fiscal year: empty is 0 (the newest), anything else must be a
// plausible year.
func yearParam(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2200 {
		return 0, market.Invalid("tahun", "Tahun anggaran tidak dikenal.")
	}
	return y, nil
}

type publicOrdersPage struct {
	Base
	Filter store.PublicOrderFilter
	Orders []store.PublicOrder
	States []market.State
	Next   string // the next page's address, empty on the last
}

// publicOrders lists orders, newest first, filtered by year, unit, seller and state
// (GET /belanja/pesanan?tahun=&unit=&penjual=&status=&sebelum=).
func (s *Server) publicOrders(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var f store.PublicOrderFilter
	var err error
	if f.FiscalYear, err = yearParam(q.Get("tahun")); err != nil {
		return err
	}
	for _, p := range []struct {
		name string
		into *int64
	}{{"unit", &f.UnitID}, {"penjual", &f.SellerID}, {"sebelum", &f.BeforeID}} {
		if v := q.Get(p.name); v != "" {
			if *p.into, err = strconv.ParseInt(v, 10, 64); err != nil || *p.into <= 0 {
				return market.Invalid(p.name, "Nomor tidak valid.")
			}
		}
	}
	if v := q.Get("status"); v != "" {
		if f.State, err = market.ParseState(v); err != nil {
			return err
		}
	}
	f.Limit = 50
	orders, err := s.store.PublicOrders(r.Context(), f)
	if err != nil {
		return err
	}
	d := &publicOrdersPage{Base: s.newBase(r, "portal.orders"), Filter: f, Orders: orders, States: market.States}
	if len(orders) == f.Limit {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("sebelum", strconv.FormatInt(orders[len(orders)-1].ID, 10))
		d.Next = "/belanja/pesanan?" + next.Encode()
	}
	return s.render(w, http.StatusOK, "portal_orders", d)
}

// publicStep is one step of a public order's history with its transparency-log leaf.
type publicStep struct {
	store.PublicStep
	Event     string // the action without its "order." prefix, as the timeline's labels name it
	Who       string // the role in the page's language
	Leaf      int64  // -1 while not yet in the log
	ProofSize int64  // the latest checkpoint's size once it covers the leaf, else 0
}

type publicOrderPage struct {
	Base
	Order store.PublicOrder
	Steps []publicStep
}

// No numbers lines from 1.
func (d *publicOrderPage) No(i int) int { return i + 1 }

// publicOrder shows one order to anyone (GET /belanja/pesanan/{id}).
func (s *Server) publicOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.store.PublicOrder(r.Context(), id)
	if err != nil {
		return err
	}
	d := &publicOrderPage{Base: s.newBase(r, "portal.order"), Order: o}
	d.Title = d.T("portal.ordertitle", o.ID)
	seqs := make([]int64, len(o.Steps))
	d.Steps = make([]publicStep, len(o.Steps))
	for i, st := range o.Steps {
		seqs[i] = st.Seq
		who := d.T("audit.system")
		if st.Role != "system" {
			who = d.RoleName(market.Role(st.Role))
		}
		d.Steps[i] = publicStep{PublicStep: st, Event: strings.TrimPrefix(st.Action, "order."), Who: who, Leaf: -1}
	}
	err = s.logLeaves(r, seqs, func(i int, leaf, size int64) {
		d.Steps[i].Leaf, d.Steps[i].ProofSize = leaf, size
	})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "portal_order", d)
}

// publisher is this instance as the publisher of its OCDS data.
func (s *Server) publisher() ocds.Publisher {
	prefix := s.cfg.OCIDPrefix
	if prefix == "" {
		prefix = DefaultOCIDPrefix(s.inst.RegionCode)
	}
	return ocds.Publisher{Name: s.inst.Name, URI: s.cfg.PublicURL, OCIDPrefix: prefix}
}

// DefaultOCIDPrefix is the OCDS prefix an instance uses until it registers its own with the
// Open Contracting Partnership (--ocds-prefix): "ocds-bela" and the region's digits.
func DefaultOCIDPrefix(regionCode string) string {
	return "ocds-bela" + strings.ReplaceAll(regionCode, ".", "")
}

// publicOrderOCDS serves one order as an OCDS release package (GET /belanja/pesanan/{id}/ocds.json).
func (s *Server) publicOrderOCDS(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.store.PublicOrder(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	pw := ocds.NewReleasePackageWriter(w, s.publisher(), r.URL.Path, s.cfg.Clock.Now().UTC())
	if err := pw.Add(o); err != nil {
		return err
	}
	return pw.Close()
}

// publicYearOCDS streams a fiscal year's orders as an OCDS release or record package
// (GET /belanja/ocds/{year}/{kind}: rilis.json or rekaman.json).
func (s *Server) publicYearOCDS(w http.ResponseWriter, r *http.Request) error {
	year, err := yearParam(r.PathValue("year"))
	if err != nil || year == 0 {
		return market.NotFound("Data")
	}
	newWriter := ocds.NewReleasePackageWriter
	switch r.PathValue("kind") {
	case "rilis.json":
	case "rekaman.json":
		newWriter = ocds.NewRecordPackageWriter
	default:
		return market.NotFound("Data")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bela-ocds-%d-%s"`, year, r.PathValue("kind")))
	pw := newWriter(w, s.publisher(), r.URL.Path, s.cfg.Clock.Now().UTC())
	if err := s.store.EachPublicOrder(r.Context(), store.PublicOrderFilter{FiscalYear: year}, pw.Add); err != nil {
		// The header is out: the truncated JSON tells the client, and the log tells us.
		s.log.Error("ocds export", "year", year, "err", err)
		return nil
	}
	return pw.Close()
}

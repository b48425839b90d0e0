package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/ocds"
	"bela/internal/opendata"
	"bela/internal/store"
)

// This file is the transparency portal's purchases (no login): each fiscal year's spending per
// work unit, every order with its lines, rule results, justifications, payments, documents and
// steps (each linked to its leaf in the transparency log), and the same data as OCDS 1.1.5
// release and record packages. Only store.PublicOrder reaches these pages, which names no
// person and carries nothing people typed about themselves.

type spendPage struct {
	Base
	openTables
	Spend store.PublicSpend
}

// openTables gives a page the download links of the open-data tables (opendata.Tables) for
// query, the list's filters.
type openTables struct{ query string }

type tableLink struct{ Name, Href string }

// TableLinks are the tables' CSV files.
func (t openTables) TableLinks() []tableLink {
	out := make([]tableLink, len(opendata.Tables))
	for i, tb := range opendata.Tables {
		out[i] = tableLink{Name: tb.Name, Href: "/belanja/ekspor/" + tb.Name + ".csv?" + t.query}
	}
	return out
}

// WorkbookLink is the XLSX workbook with every table, or "" without a fiscal year in the
// query (the workbook is one year's at most).
func (t openTables) WorkbookLink() string {
	if q, _ := url.ParseQuery(t.query); q.Get("tahun") == "" {
		return ""
	}
	return "/belanja/ekspor/belanja.xlsx?" + t.query
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
	return s.render(w, http.StatusOK, "portal_spend", &spendPage{Base: s.newBase(r, "portal.title"), Spend: sp,
		openTables: openTables{query: url.Values{"tahun": {strconv.Itoa(sp.Year)}}.Encode()}})
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
	openTables
	Filter store.PublicOrderFilter
	Orders []store.PublicOrder
	States []market.State
	Next   string // the next page's address, empty on the last
}

// publicFilter reads the public order filters of a query: tahun (fiscal year), unit, penjual
// (seller), status, sejak (changed on or after a day, YYYY-MM-DD in the instance's time zone)
// and sebelum (paging).
func (s *Server) publicFilter(q url.Values) (store.PublicOrderFilter, error) {
	var f store.PublicOrderFilter
	var err error
	if f.FiscalYear, err = yearParam(q.Get("tahun")); err != nil {
		return f, err
	}
	for _, p := range []struct {
		name string
		into *int64
	}{{"unit", &f.UnitID}, {"penjual", &f.SellerID}, {"sebelum", &f.BeforeID}} {
		if v := q.Get(p.name); v != "" {
			if *p.into, err = strconv.ParseInt(v, 10, 64); err != nil || *p.into <= 0 {
				return f, market.Invalid(p.name, "Nomor tidak valid.")
			}
		}
	}
	if v := q.Get("status"); v != "" {
		if f.State, err = market.ParseState(v); err != nil {
			return f, err
		}
	}
	if v := q.Get("sejak"); v != "" {
		if f.UpdatedSince, err = time.ParseInLocation(time.DateOnly, v, s.loc); err != nil {
			return f, market.Invalid("sejak", "Tanggal ditulis TTTT-BB-HH, misalnya 2026-11-01.")
		}
	}
	return f, nil
}

// publicOrders lists orders, newest first, filtered as publicFilter reads
// (GET /belanja/pesanan?tahun=&unit=&penjual=&status=&sejak=&sebelum=).
func (s *Server) publicOrders(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, err := s.publicFilter(q)
	if err != nil {
		return err
	}
	f.Limit = 50
	orders, err := s.store.PublicOrders(r.Context(), f)
	if err != nil {
		return err
	}
	d := &publicOrdersPage{Base: s.newBase(r, "portal.orders"), Filter: f, Orders: orders, States: market.States}
	export := url.Values{}
	for k, v := range q {
		if k != "sebelum" {
			export[k] = v
		}
	}
	d.openTables.query = export.Encode()
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

// dataPage is the open data's documentation (GET /belanja/data): the downloads, their filters
// and each table's columns.
type dataPage struct {
	Base
	Tables []*opendata.Table
	Year   int // the newest fiscal year with orders, for the example links; 0 when none
}

// ColumnText is a column's description in the page's language.
func (d *dataPage) ColumnText(c opendata.Column) string {
	if d.Lang == "en" {
		return c.EN
	}
	return c.ID
}

// publicData documents the open data: formats, filters, and the data dictionary of the tables.
func (s *Server) publicData(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.store.PublicSpend(r.Context(), 0)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "portal_data", &dataPage{Base: s.newBase(r, "portal.data"), Tables: opendata.Tables, Year: sp.Year})
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
		prefix = ocds.DefaultPrefix(s.inst.RegionCode)
	}
	return ocds.Publisher{Name: s.inst.Name, URI: s.cfg.PublicURL, OCIDPrefix: prefix}
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
// (GET /belanja/ocds/{year}/{kind}: rilis.json or rekaman.json), optionally narrowed by the
// list's filters; ?sejak=YYYY-MM-DD keeps the orders changed since that day, for incremental
// harvesting.
func (s *Server) publicYearOCDS(w http.ResponseWriter, r *http.Request) error {
	year, err := yearParam(r.PathValue("year"))
	if err != nil || year == 0 {
		return market.NotFound("Data")
	}
	newWriter := ocds.PackageWriterFor(r.PathValue("kind"))
	if newWriter == nil {
		return market.NotFound("Data")
	}
	f, err := s.publicFilter(r.URL.Query())
	if err != nil {
		return err
	}
	f.FiscalYear = year
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bela-ocds-%d-%s"`, year, r.PathValue("kind")))
	pw := newWriter(w, s.publisher(), r.URL.RequestURI(), s.cfg.Clock.Now().UTC())
	if err := s.store.EachPublicOrder(r.Context(), f, pw.Add); err != nil {
		return s.streamFailed("ocds export", err)
	}
	return pw.Close()
}

// publicExport streams the orders of the list's filters as flat tables
// (GET /belanja/ekspor/{file}: pesanan.csv, barang.csv, pembayaran.csv, or belanja.xlsx with
// the three as sheets).
func (s *Server) publicExport(w http.ResponseWriter, r *http.Request) error {
	file := r.PathValue("file")
	base, ext, _ := strings.Cut(file, ".")
	table := opendata.TableNamed(base)
	if !(ext == "csv" && table != nil || file == "belanja.xlsx") {
		return market.NotFound("Data")
	}
	f, err := s.publicFilter(r.URL.Query())
	if err != nil {
		return err
	}
	f.BeforeID = 0
	year := "semua"
	if f.FiscalYear != 0 {
		year = strconv.Itoa(f.FiscalYear)
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="bela-%s-%s"`, year, file))
	opt := opendata.Options{Location: s.loc, BaseURL: s.cfg.PublicURL}
	if table != nil {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		if err := opendata.WriteCSV(w, table, opt, s.publicSource(r, f)); err != nil {
			return s.streamFailed("csv export", err)
		}
		return nil
	}
	// The workbook is assembled in memory before it is written (an error can still be a clean
	// 500), so it is one fiscal year's at most; the CSV files stream any size.
	if f.FiscalYear == 0 {
		return market.Invalid("tahun", "Pilih tahun anggaran untuk unduhan XLSX; berkas CSV dapat memuat semua tahun.")
	}
	var b bytes.Buffer
	if err := opendata.WriteXLSX(&b, opt, s.publicSource(r, f)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	_, err = b.WriteTo(w)
	return err
}

// streamFailed ends a response whose body has started: its status can no longer change, so
// the truncated body tells the client, and the log tells us.
func (s *Server) streamFailed(what string, err error) error {
	s.log.Error(what, "err", err)
	return nil
}

// publicSource is the public orders of f, read a page at a time.
func (s *Server) publicSource(r *http.Request, f store.PublicOrderFilter) opendata.Source {
	return func(fn func(store.PublicOrder) error) error { return s.store.EachPublicOrder(r.Context(), f, fn) }
}

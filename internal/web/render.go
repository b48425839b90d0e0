package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

//go:embed templates
var templateFS embed.FS

// Base is what every page's data carries: language, the signed-in user, navigation, flash.
type Base struct {
	Lang     string
	Title    string
	Inst     store.Instance
	P        *market.Principal
	Unread   int
	Nav      []navItem
	Path     string
	Flash    string
	FlashBad bool
	CSS      string
}

// T returns a catalogue message in the page's language.
func (b *Base) T(key string, args ...any) string { return translate(b.Lang, key, args...) }

// RoleName returns a role's display name in the page's language.
func (b *Base) RoleName(r market.Role) string {
	if b.Lang == "en" {
		if name, ok := roleNamesEN[r]; ok {
			return name
		}
		return strings.ReplaceAll(string(r), "_", " ")
	}
	return market.RoleLabel(r)
}

// roleNamesEN are the roles' names on English pages (market.RoleLabel's, in English).
var roleNamesEN = map[market.Role]string{
	market.RoleSellerOwner: "UMK owner",
	market.RoleSellerStaff: "UMK staff",
	market.RoleCurator:     "Curator (Dinas Koperasi dan UMKM)",
	market.RoleBuyer:       "Procurement officer (Pejabat Pengadaan)",
	market.RoleApprover:    "PPK (commitment-making officer)",
	market.RoleReceiver:    "Goods receiver",
	market.RoleTreasurer:   "Treasurer (Bendahara Pengeluaran)",
	market.RoleUnitAdmin:   "OPD admin",
	market.RoleAdmin:       "UKPBJ admin",
	market.RoleAuditor:     "APIP auditor",
	market.RolePartner:     "Partner marketplace (PPMSE)",
	market.RoleSystem:      "System",
}

type navItem struct {
	Href, Label string
	Badge       int
	Current     bool
}

// page is implemented by every page's data struct (through its embedded Base).
type page interface{ base() *Base }

func (b *Base) base() *Base { return b }

// parseTemplates parses the layout with each page; every page file defines "content".
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"rupiah": func(v int64) string { return market.Rupiah(v).String() },
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(s.loc).Format("02-01-2006 15:04")
		},
		"date": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(s.loc).Format("02-01-2006")
		},
		// lastday turns a role's exclusive end into the last day it holds, for date.
		"lastday": lastDay,
		// decimal writes v with one decimal: a comma on Indonesian pages ("4,6"), a point on
		// English ones ("4.6"); pass the page's .Lang.
		"decimal":    decimal,
		"fieldError": func(fields map[string]string, name string) string { return fields[name] },
		"inc":        func(n int64) int64 { return n + 1 },
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// newBase fills the common page data for the request.
func (s *Server) newBase(r *http.Request, titleKey string) Base {
	lang := langOf(r)
	b := Base{Lang: lang, Inst: s.inst, P: principal(r), Path: r.URL.Path, CSS: s.static.url("style.css")}
	b.Title = translate(lang, titleKey)
	if b.P != nil {
		b.Unread, _ = s.store.UnreadCount(r.Context(), b.P.UserID)
		b.Nav = s.nav(&b)
	}
	// A flash names a catalogue key (?ok=account.changed); anything else is ignored, so a link
	// cannot put arbitrary text on the page.
	if key := r.URL.Query().Get("ok"); key != "" {
		if _, ok := catalogue[lang][key]; ok {
			b.Flash = translate(lang, key)
		}
	}
	return b
}

// nav lists only what the user's roles may open.
func (s *Server) nav(b *Base) []navItem {
	items := []navItem{{Href: "/beranda", Label: b.T("nav.home")}, {Href: "/kotak-masuk", Label: b.T("nav.inbox"), Badge: b.Unread}}
	if b.P.HasAny(sellerPeople...) {
		items = append(items, navItem{Href: "/usaha", Label: b.T("nav.seller")})
	}
	if b.P.HasAny(curationReaders...) {
		items = append(items, navItem{Href: "/kurasi", Label: b.T("nav.curation")})
	}
	if b.P.HasAny(sellerPeople...) {
		items = append(items, navItem{Href: "/produk", Label: b.T("nav.products")})
	}
	if b.P.HasAny(curationReaders...) {
		items = append(items, navItem{Href: "/kurasi/produk", Label: b.T("nav.productcuration")})
	}
	items = append(items, navItem{Href: "/katalog", Label: b.T("nav.catalog")})
	if b.P.HasAny(market.RoleUnitAdmin, market.RoleBuyer) {
		items = append(items, navItem{Href: "/anggaran", Label: b.T("nav.budget")})
	}
	if b.P.Has(market.RoleBuyer) {
		items = append(items, navItem{Href: "/keranjang", Label: b.T("nav.cart")})
	}
	if b.P.HasAny(market.RoleBuyer, market.RoleApprover, market.RoleReceiver, market.RoleTreasurer, market.RoleSellerOwner, market.RoleSellerStaff, market.RoleAuditor) {
		items = append(items, navItem{Href: "/pesanan", Label: b.T("nav.orders")})
	}
	if b.P.HasAny(payableReaders...) {
		items = append(items, navItem{Href: "/pembayaran", Label: b.T("nav.payments")})
	}
	if b.P.Has(market.RoleAdmin) {
		items = append(items, navItem{Href: "/kebijakan", Label: b.T("nav.policy")})
	}
	if b.P.HasAny(userManagers...) {
		items = append(items, navItem{Href: "/pengguna", Label: b.T("nav.users")})
	}
	if b.P.HasAny(auditReaders...) {
		items = append(items, navItem{Href: "/audit", Label: b.T("nav.audit")})
	}
	if b.P.Has(market.RoleAuditor) {
		items = append(items, navItem{Href: "/pemeriksaan", Label: b.T("nav.inspection")})
	}
	if b.P.HasAny(relationReaders...) {
		items = append(items, navItem{Href: "/admin/hubungan-penyedia", Label: b.T("nav.relations")})
	}
	items = append(items, navItem{Href: "/belanja", Label: b.T("nav.portal")})
	items = append(items, navItem{Href: "/log", Label: b.T("nav.log")})
	items = append(items, navItem{Href: "/akun", Label: b.T("nav.account")})
	for i := range items {
		items[i].Current = b.Path == items[i].Href || strings.HasPrefix(b.Path, items[i].Href+"/")
	}
	return items
}

// render writes a page; rendering into a buffer first means a template error is a clean 500.
func (s *Server) render(w http.ResponseWriter, status int, name string, data page) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// errorPage is the data of the 403/404/500 pages.
type errorPage struct {
	Base
	Status  int
	Message string
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, e *market.Error) {
	key := "error.title"
	switch status {
	case 403, 404, 500:
		key = fmt.Sprintf("error.%d", status)
	}
	d := &errorPage{Base: s.newBase(r, key), Status: status}
	d.Message = sayError(d.Lang, e.Message)
	if status >= 500 {
		d.Message = translate(d.Lang, "error.500")
	}
	if err := s.render(w, status, "error", d); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, http.StatusText(status), status)
	}
}

// langOf returns the language the request's pages are in: "id" unless the visitor chose another.
func langOf(r *http.Request) string {
	if lang, _ := r.Context().Value(langKey).(string); lang != "" {
		return lang
	}
	return "id"
}

// formError returns the field messages and the message of an invalid-input error in the
// request's language, or nil when err is another kind (which the caller returns instead of
// re-showing the form).
func formError(r *http.Request, err error) (map[string]string, string, bool) {
	lang := langOf(r)
	e := asCoded(err)
	switch e.Code {
	case market.CodeInvalid, market.CodeConflict, market.CodeUnauthorized, market.CodeRateLimited, market.CodeForbidden:
		return sayFields(lang, e.Fields), sayError(lang, e.Message), true
	}
	return nil, "", false
}

// decimal formats v with one decimal in the page language's notation: a decimal comma in
// Indonesian, as market's percentages ("0,5%"), a point in English.
func decimal(lang string, v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if lang == "en" {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}

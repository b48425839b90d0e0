// Package web serves Bela's pages, its JSON API under /api/v1 and its operational endpoints,
// enforcing authentication and two-level, deny-by-default authorization.
package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"bela/internal/blob"
	"bela/internal/market"
	"bela/internal/store"
)

// Config configures a Server; main builds it from flags and the environment.
type Config struct {
	Store     *store.Store
	Logger    *slog.Logger
	PublicURL string // the address citizens use; https makes cookies Secure
	Clock     store.Clock
	// MaxBody limits request bodies (bytes); 1 MiB when zero.
	MaxBody int64
	// Blobs stores uploaded files (seller documents, product photos); upload routes answer
	// 503 without it.
	Blobs *blob.Store
	// OCIDPrefix is the instance's OCDS prefix, registered with the Open Contracting
	// Partnership; ocds.DefaultPrefix when empty.
	OCIDPrefix string
	// Extra routes mounted by other packages (the transparency log); each is public unless its
	// roles say otherwise.
	Extra []Route
}

// Server is the HTTP application.
type Server struct {
	cfg     Config
	store   *store.Store
	log     *slog.Logger
	inst    store.Instance
	loc     *time.Location
	secure  bool
	pages   map[string]*template.Template
	static  staticFiles
	routes  []Route
	metrics *metrics
	limiter *loginLimiter
	handler http.Handler
}

// New builds the server: it loads the instance, parses every template and builds the routes.
// It fails when the instance is not set up (run migrate and demo or user setup first) or a
// template does not parse.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = store.SystemClock{}
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	inst, err := cfg.Store.GetInstance(ctx)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Logger, inst: inst, loc: inst.Location(),
		metrics: newMetrics(), limiter: newLoginLimiter(cfg.Clock)}
	if u, err := url.Parse(cfg.PublicURL); err == nil && u.Scheme == "https" {
		s.secure = true
	}
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes = append(s.routeTable(), cfg.Extra...)
	s.handler = s.buildHandler()
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes returns the URL surface (for the route × role tests and documentation).
func (s *Server) Routes() []Route { return s.routes }

// Instance returns the instance the server serves.
func (s *Server) Instance() store.Instance { return s.inst }

func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Pattern, s.guard(rt))
	}
	mux.Handle("/", s.guard(Route{Pattern: "/", Access: Public, Handle: func(w http.ResponseWriter, r *http.Request) error {
		if r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			return s.home(w, r)
		}
		return market.NotFound("Halaman")
	}}))
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, market.Forbidden("Permintaan lintas situs ditolak."))
	}))
	var h http.Handler = mux
	h = cop.Handler(h)
	h = s.withBodyLimit(h, mux)
	h = s.withAuth(h)
	h = s.withObservability(h, mux)
	return h
}

// withBodyLimit caps request bodies at MaxBody, or at the route's own MaxBody (uploads), and
// reads a page's form (application/x-www-form-urlencoded) before any handler does: a form that
// cannot be read (a bad %-escape, a cut body) is the sender's fault, answered 400 with a plain
// message for every page, and a form over the limit 413. The handlers' own r.ParseForm then
// finds it parsed.
func (s *Server) withBodyLimit(next http.Handler, mux *http.ServeMux) http.Handler {
	limits := map[string]int64{}
	for _, rt := range s.routes {
		if rt.MaxBody > 0 {
			limits[rt.Pattern] = rt.MaxBody
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			limit := s.cfg.MaxBody
			if len(limits) > 0 {
				if _, pattern := mux.Handler(r); limits[pattern] > 0 {
					limit = limits[pattern]
				}
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if !isAPI(r) && isForm(r) {
			if err := r.ParseForm(); err != nil {
				s.formUnreadable(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// isForm reports whether the request carries an URL-encoded form, as pages post them.
func isForm(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Body != nil && r.Body != http.NoBody && ct == "application/x-www-form-urlencoded"
}

// formUnreadable answers a page form that could not be read: 413 when it is over the limit,
// otherwise 400, without logging it as a server error.
func (s *Server) formUnreadable(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		s.writeError(w, r, err)
		return
	}
	s.renderError(w, r, http.StatusBadRequest, &market.Error{Code: market.CodeInvalid,
		Message: "Formulir tidak terbaca karena isinya rusak; muat ulang halaman lalu kirim lagi.", Err: err})
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

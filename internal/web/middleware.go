package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"

	"bela/internal/market"
	"bela/internal/store"
)

type ctxKey int

const (
	principalKey ctxKey = iota
	langKey
	sessionKey
)

const (
	sessionCookie = "bela_session"
	langCookie    = "bela_lang"
)

// principal returns the signed-in user of the request, or nil.
func principal(r *http.Request) *market.Principal {
	p, _ := r.Context().Value(principalKey).(*market.Principal)
	return p
}

// requestLang is the language a request is answered in: for the API the client's
// Accept-Language (English when it prefers English to Indonesian), for pages the language the
// user chose (the cookie); Bahasa Indonesia otherwise.
func requestLang(r *http.Request) string {
	if isAPI(r) {
		tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
		_, i, conf := apiLanguages.Match(tags...)
		if conf != language.No && i == 1 {
			return "en"
		}
		return "id"
	}
	if c, err := r.Cookie(langCookie); err == nil && c.Value == "en" {
		return "en"
	}
	return "id"
}

// apiLanguages are the languages the API answers in, the default first.
var apiLanguages = language.NewMatcher([]language.Tag{language.Indonesian, language.English})

// withAuth identifies the caller: a Bearer API token on /api/v1, otherwise the session cookie.
// A bad credential is remembered as an error and reported only if the route needs a login.
func (s *Server) withAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ctx = context.WithValue(ctx, langKey, requestLang(r))
		var p *market.Principal
		var authErr error
		if h := r.Header.Get("Authorization"); h != "" {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || !isAPI(r) {
				authErr = &market.Error{Code: market.CodeUnauthorized, Message: "Gunakan header Authorization: Bearer <token> pada /api/v1."}
			} else {
				p, authErr = s.store.TokenPrincipal(ctx, strings.TrimSpace(tok))
			}
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			p, authErr = s.store.SessionPrincipal(ctx, c.Value)
			if authErr == nil {
				ctx = context.WithValue(ctx, sessionKey, c.Value)
			} else if market.ErrorCode(authErr) == market.CodeUnauthorized {
				s.clearSessionCookie(w)
			}
		}
		if p != nil {
			ctx = context.WithValue(ctx, principalKey, p)
		} else if authErr != nil {
			ctx = context.WithValue(ctx, authErrKey{}, authErr)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type authErrKey struct{}

// guard enforces the route's declared access (deny by default) and adapts the handler's
// error return into a response.
func (s *Server) guard(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := allow(rt, r); err != nil {
			s.writeError(w, r, err)
			return
		}
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("X-Frame-Options", "DENY")
		if err := rt.Handle(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// allow checks a route's access for the request's principal.
func allow(rt Route, r *http.Request) error {
	if rt.Access == Public {
		return nil
	}
	p := principal(r)
	if p == nil {
		if err, ok := r.Context().Value(authErrKey{}).(error); ok {
			return err
		}
		return &market.Error{Code: market.CodeUnauthorized, Message: "Silakan masuk terlebih dahulu."}
	}
	switch rt.Access {
	case SignedIn:
		return nil
	case Roles:
		if p.HasAny(rt.Roles...) {
			return nil
		}
	}
	return market.Forbidden("Anda tidak memiliki peran yang diperlukan untuk halaman ini.")
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(store.SessionLifetime.Seconds())})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// statusRecorder remembers the status written.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (sr *statusRecorder) WriteHeader(code int) {
	if sr.status == 0 {
		sr.status = code
	}
	sr.ResponseWriter.WriteHeader(code)
}

func (sr *statusRecorder) Write(b []byte) (int, error) {
	if sr.status == 0 {
		sr.status = http.StatusOK
	}
	return sr.ResponseWriter.Write(b)
}

func (sr *statusRecorder) Unwrap() http.ResponseWriter { return sr.ResponseWriter }

// withObservability logs each request (method, route, status, duration, user id — never
// personal data) and counts it in the metrics by route pattern.
func (s *Server) withObservability(next http.Handler, mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		_, pattern := mux.Handler(r)
		if pattern == "" {
			pattern = "unmatched"
		}
		d := time.Since(start)
		s.metrics.observe(pattern, rec.status, d)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("route", pattern), slog.Int("status", rec.status),
			slog.Duration("duration", d))
	})
}

// loginLimiter counts failed sign-ins per account and per client address in a sliding window.
type loginLimiter struct {
	mu       sync.Mutex
	clock    store.Clock
	failures map[string][]time.Time
}

// Limits: an account is locked after 5 failures in 15 minutes, an address after 20.
const (
	limitWindow     = 15 * time.Minute
	limitPerAccount = 5
	limitPerAddress = 20
)

func newLoginLimiter(c store.Clock) *loginLimiter {
	return &loginLimiter{clock: c, failures: map[string][]time.Time{}}
}

func (l *loginLimiter) recent(key string) int {
	cut := l.clock.Now().Add(-limitWindow)
	ts := l.failures[key]
	i := 0
	for i < len(ts) && ts[i].Before(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.failures, key)
	} else {
		l.failures[key] = ts
	}
	return len(ts)
}

// blocked reports whether sign-in for this account or address is locked now.
func (l *loginLimiter) blocked(account, addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.recent("a:"+account) >= limitPerAccount || l.recent("ip:"+addr) >= limitPerAddress
}

func (l *loginLimiter) fail(account, addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	l.failures["a:"+account] = append(l.failures["a:"+account], now)
	l.failures["ip:"+addr] = append(l.failures["ip:"+addr], now)
}

func (l *loginLimiter) succeed(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, "a:"+account)
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

package web

import (
	"net/http"
	"net/url"
	"strings"

	"bela/internal/market"
)

type homePage struct{ Base }

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "home", &homePage{Base: s.newBase(r, "home.title")})
}

type loginPage struct {
	Base
	Email, Next, Error string
}

// safeNext keeps post-login redirects on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/beranda"
	}
	return next
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if principal(r) != nil {
		http.Redirect(w, r, "/beranda", http.StatusSeeOther)
		return nil
	}
	return s.render(w, http.StatusOK, "login", &loginPage{Base: s.newBase(r, "login.title"), Next: r.URL.Query().Get("next")})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	d := &loginPage{Base: s.newBase(r, "login.title"), Email: email, Next: r.PostFormValue("next")}
	addr := clientAddr(r)
	if s.limiter.blocked(email, addr) {
		d.Error = d.T("ratelimit.login")
		return s.render(w, http.StatusTooManyRequests, "login", d)
	}
	id, err := s.store.Authenticate(r.Context(), email, r.PostFormValue("password"))
	if err != nil {
		if market.ErrorCode(err) != market.CodeUnauthorized {
			return err
		}
		s.limiter.fail(email, addr)
		d.Error = sayError(d.Lang, asCoded(err).Message)
		return s.render(w, http.StatusUnauthorized, "login", d)
	}
	s.limiter.succeed(email)
	tok, err := s.store.CreateSession(r.Context(), id)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, tok)
	http.Redirect(w, r, safeNext(d.Next), http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if tok, ok := r.Context().Value(sessionKey).(string); ok {
		if err := s.store.DeleteSession(r.Context(), tok); err != nil {
			return err
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	lang := "id"
	if r.PostFormValue("l") == "en" {
		lang = "en"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: s.secure})
	next := r.PostFormValue("next")
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

type forgotPage struct {
	Base
	Email, Error string
	Sent         bool
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "forgot", &forgotPage{Base: s.newBase(r, "forgot.title")})
}

func (s *Server) forgot(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d := &forgotPage{Base: s.newBase(r, "forgot.title"), Email: strings.TrimSpace(r.PostFormValue("email"))}
	addr := clientAddr(r)
	if s.limiter.blocked("reset:"+d.Email, addr) {
		d.Error = d.T("ratelimit.requests")
		return s.render(w, http.StatusTooManyRequests, "forgot", d)
	}
	// Each request counts against the limit, so the link cannot be used to flood a mailbox.
	s.limiter.fail("reset:"+d.Email, addr)
	if _, err := s.store.RequestPasswordReset(r.Context(), d.Email); err != nil {
		return err
	}
	d.Sent = true
	return s.render(w, http.StatusOK, "forgot", d)
}

type setPasswordPage struct {
	Base
	Token  string
	Error  string
	Fields map[string]string
}

func (s *Server) setPasswordForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "setpassword", &setPasswordPage{Base: s.newBase(r, "setpw.title"), Token: r.URL.Query().Get("token")})
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d := &setPasswordPage{Base: s.newBase(r, "setpw.title"), Token: r.PostFormValue("token")}
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		d.Fields = map[string]string{"confirm": d.T("setpw.mismatch")}
		d.Error = d.T("form.fix")
		return s.render(w, http.StatusUnprocessableEntity, "setpassword", d)
	}
	if _, err := s.store.SetPasswordWithToken(r.Context(), d.Token, r.PostFormValue("password")); err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		d.Fields, d.Error = fields, msg
		return s.render(w, http.StatusUnprocessableEntity, "setpassword", d)
	}
	http.Redirect(w, r, "/masuk?ok="+url.QueryEscape("setpw.done"), http.StatusSeeOther)
	return nil
}

package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"

	"bela/internal/market"
)

// statusOf maps an error code to its HTTP status — the only place this mapping exists.
func statusOf(code market.Code) int {
	switch code {
	case market.CodeInvalid:
		return http.StatusUnprocessableEntity
	case market.CodeRuleBlocked:
		return http.StatusUnprocessableEntity
	case market.CodeNotFound:
		return http.StatusNotFound
	case market.CodeUnauthorized:
		return http.StatusUnauthorized
	case market.CodeForbidden:
		return http.StatusForbidden
	case market.CodeConflict:
		return http.StatusConflict
	case market.CodeRateLimited:
		return http.StatusTooManyRequests
	case market.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case market.CodeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// apiError is the one error shape of the JSON API.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    market.Code         `json:"code"`
	Message string              `json:"message"`
	Fields  map[string]string   `json:"fields,omitempty"`
	Rules   []market.RuleResult `json:"rules,omitempty"`
}

// asCoded turns any error into a coded one; uncoded errors become CodeInternal with a generic
// message (the cause is logged, never shown).
func asCoded(err error) *market.Error {
	var me *market.Error
	if errors.As(err, &me) {
		return me
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &market.Error{Code: market.CodeTooLarge, Message: "Permintaan terlalu besar."}
	}
	return &market.Error{Code: market.CodeInternal, Message: "Terjadi kesalahan pada server. Silakan coba lagi.", Err: err}
}

// writeError answers a failed request: JSON for the API, a page (or a redirect to sign-in) for
// the rest. Internal errors are logged once, here.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := asCoded(err)
	status := statusOf(e.Code)
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if isAPI(r) {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bela"`)
		}
		lang := langOf(r)
		w.Header().Set("Content-Language", lang)
		writeJSON(w, status, apiError{Error: apiErrorBody{Code: e.Code, Message: sayError(lang, e.Message), Fields: sayFields(lang, e.Fields), Rules: sayRules(lang, e.Rules)}})
		return
	}
	if status == http.StatusUnauthorized && r.Method == http.MethodGet {
		http.Redirect(w, r, "/masuk?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.renderError(w, r, status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

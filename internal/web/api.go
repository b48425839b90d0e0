package web

import (
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"bela/internal/market"
	"bela/internal/store"
)

//go:embed openapi.json
var openAPIDoc []byte

// OpenAPI returns the API's OpenAPI 3.1 document (for tests and tools).
func OpenAPI() []byte { return openAPIDoc }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPIDoc)
	return err
}

// decodeJSON reads a JSON request body into v, refusing unknown fields and trailing data.
func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return &market.Error{Code: market.CodeInvalid, Message: "Badan permintaan bukan JSON yang valid: " + err.Error()}
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return &market.Error{Code: market.CodeInvalid, Message: "Badan permintaan berisi data setelah objek JSON."}
	}
	return nil
}

type meMembership struct {
	Role      market.Role      `json:"role"`
	ScopeKind market.ScopeKind `json:"scope_kind"`
	ScopeID   int64            `json:"scope_id,omitempty"`
	ScopeName string           `json:"scope_name,omitempty"`
	ValidTo   string           `json:"valid_to,omitempty"`
}

type meResponse struct {
	ID          int64          `json:"id"`
	Name        string         `json:"name"`
	Email       string         `json:"email"`
	Roles       []market.Role  `json:"roles"`
	Memberships []meMembership `json:"memberships"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	resp := meResponse{ID: p.UserID, Name: p.Name, Email: p.Email, Roles: p.Roles(), Memberships: []meMembership{}}
	if resp.Roles == nil {
		resp.Roles = []market.Role{}
	}
	for _, m := range p.Memberships {
		mm := meMembership{Role: m.Role, ScopeKind: m.ScopeKind, ScopeID: m.ScopeID, ScopeName: m.ScopeName}
		if !m.ValidTo.IsZero() {
			mm.ValidTo = m.ValidTo.UTC().Format("2006-01-02T15:04:05Z")
		}
		resp.Memberships = append(resp.Memberships, mm)
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.store.ListAPITokens(r.Context(), principal(r).UserID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": ts})
	return nil
}

type createTokenRequest struct {
	Name string `json:"name"`
}

type createTokenResponse struct {
	store.APIToken
	Token string `json:"token"`
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	var req createTokenRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	t, secret, err := s.store.CreateAPIToken(r.Context(), principal(r).UserID, req.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createTokenResponse{APIToken: t, Token: secret})
	return nil
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(r.Context(), principal(r).UserID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

package web

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

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

// decodeJSON reads a JSON request body into v (a pointer to a struct), refusing unknown fields and
// trailing data. Every refusal is a CodeInvalid *market.Error in Bahasa Indonesia, without Go's
// type names: a value of the wrong type or an unknown field has its JSON path (items.0.quantity)
// in Fields; a body that is no JSON object says so. An oversized body is the *http.MaxBytesError.
func decodeJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return &market.Error{Code: market.CodeInvalid, Message: "Badan permintaan tidak terbaca; kirim ulang.", Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(body, err)
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return &market.Error{Code: market.CodeInvalid, Message: "Badan permintaan berisi data setelah objek JSON."}
	}
	return nil
}

// jsonError turns an error of decoding body into v into the API's words.
func jsonError(body []byte, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		path, ok := jsonPathAt(body, te.Offset)
		if !ok {
			path = te.Field
		}
		if path == "" {
			return &market.Error{Code: market.CodeInvalid, Message: "Badan permintaan harus berupa objek JSON ({...}).", Err: err}
		}
		return market.FieldErrors{path: jsonTypeMessage(te.Type, te.Value)}.Err()
	case errors.As(err, &se):
		return &market.Error{Code: market.CodeInvalid, Message: fmt.Sprintf("Badan permintaan bukan JSON yang valid (karakter ke-%d).", se.Offset), Err: err}
	case errors.Is(err, io.EOF):
		return &market.Error{Code: market.CodeInvalid, Message: "Badan permintaan kosong; kirim sebuah objek JSON."}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &market.Error{Code: market.CodeInvalid, Message: "Badan permintaan terpotong; objek JSON-nya tidak lengkap.", Err: err}
	}
	// encoding/json says an unknown field only in its text, by its name without a path:
	// json: unknown field "name".
	if name, ok := strings.CutPrefix(err.Error(), `json: unknown field "`); ok {
		name = strings.TrimSuffix(name, `"`)
		if name == "" { // a key "": there is no name to give
			return &market.Error{Code: market.CodeInvalid, Message: "Badan permintaan berisi kolom yang tidak dikenal.", Err: err}
		}
		fe := market.FieldErrors{}
		fe.Add(name, "Kolom ini tidak dikenal; periksa namanya di dokumentasi API.")
		return fe.Err()
	}
	return &market.Error{Code: market.CodeInvalid, Message: "Badan permintaan tidak dapat dibaca sebagai objek JSON.", Err: err}
}

// jsonTypeMessage says which kind of JSON value a field of type t takes; value is what
// encoding/json found instead ("string", "number 1.5", ...).
func jsonTypeMessage(t reflect.Type, value string) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "Jenis nilainya salah."
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n, ok := strings.CutPrefix(value, "number "); ok && !strings.ContainsAny(n, ".eE") {
			return "Angka ini di luar batas yang dapat diterima."
		}
		return "Harus berupa angka bulat (tanpa desimal dan tanpa tanda kutip)."
	case reflect.Float32, reflect.Float64:
		return "Harus berupa angka (tanpa tanda kutip)."
	case reflect.String:
		return "Harus berupa teks (dalam tanda kutip)."
	case reflect.Bool:
		return "Harus berupa true atau false."
	case reflect.Struct, reflect.Map:
		return "Harus berupa objek JSON ({...})."
	case reflect.Slice, reflect.Array:
		return "Harus berupa daftar JSON ([...])."
	}
	return "Jenis nilainya salah."
}

// jsonPath joins a JSON path and one more key or index.
func jsonPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonPathAt returns the path (items.0.quantity) of the value in body that ends at offset — its
// literal, or the opening bracket of an object or array — as encoding/json's
// UnmarshalTypeError.Offset points at it; "" is the whole body. ok is false when no value ends
// there.
func jsonPathAt(body []byte, offset int64) (path string, ok bool) {
	type level struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []*level
	here := func() string {
		p := ""
		for _, l := range stack {
			if l.array {
				p = jsonPath(p, strconv.Itoa(l.index))
			} else {
				p = jsonPath(p, l.key)
			}
		}
		return p
	}
	done := func() { // a value of the innermost container is complete
		if n := len(stack); n > 0 {
			if l := stack[n-1]; l.array {
				l.index++
			} else {
				l.wantKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		d, delim := tok.(json.Delim)
		if delim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			done()
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].wantKey {
			stack[n-1].key, _ = tok.(string)
			stack[n-1].wantKey = false
			continue
		}
		if dec.InputOffset() == offset {
			return here(), true
		}
		if delim {
			stack = append(stack, &level{array: d == '[', wantKey: d == '{'})
			continue
		}
		done()
	}
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
	Name          string `json:"name"`
	ExpiresInDays *int   `json:"expires_in_days"` // store.DefaultAPITokenDays when absent
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
	days := store.DefaultAPITokenDays
	if req.ExpiresInDays != nil {
		days = *req.ExpiresInDays
	}
	t, secret, err := s.store.CreateAPIToken(r.Context(), principal(r).UserID, req.Name, days)
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

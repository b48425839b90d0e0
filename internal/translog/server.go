package translog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// maxPostSize bounds a POST /log/cosignatures body.
const maxPostSize = 64 << 10

// ServerConfig configures a Server.
type ServerConfig struct {
	// LogKey is the log's verifier key (served at /log/key, and used to
	// check posted cosigned checkpoints).
	LogKey string
	// Witnesses are the registered witness vkeys whose cosignatures are
	// accepted.
	Witnesses []string
	// MaxEntries caps the entries per /log/entries response
	// (DefaultMaxEntries if <= 0).
	MaxEntries int
	// Logger logs server errors (5xx); slog.Default() if nil.
	Logger *slog.Logger
}

// Server serves the public log protocol over a Store. Mount it at "/log/"
// (its routes are absolute):
//
//	GET  /log/key                          verifier key, text
//	GET  /log/checkpoint                   latest signed note with cosignatures, text
//	GET  /log/checkpoints?since=N          JSON {"checkpoints": [note, ...]}
//	GET  /log/entries?start=A&end=B        JSON {"start", "end", "entries": [{"index", "leaf", "hash"}]}
//	GET  /log/proof/inclusion?index=I&size=N   JSON {"index", "size", "proof": [hash, ...]}
//	GET  /log/proof/consistency?from=M&to=N    JSON {"from", "to", "proof": [hash, ...]}
//	POST /log/cosignatures                 body: cosigned checkpoint note
//
// Bad parameters get 400 with a text message; hashes and leaves are base64.
type Server struct {
	local     *Local
	logKey    string
	logV      note.Verifier
	witnesses []note.Verifier
	log       *slog.Logger
	mux       *http.ServeMux
}

// NewServer returns a Server over store. It returns an error wrapping
// ErrMalformed for an invalid log or witness key.
func NewServer(store Store, cfg ServerConfig) (*Server, error) {
	v, err := note.NewVerifier(cfg.LogKey)
	if err != nil {
		return nil, fmt.Errorf("translog: log key: %v: %w", err, ErrMalformed)
	}
	s := &Server{local: NewLocal(store, cfg.MaxEntries), logKey: cfg.LogKey, logV: v, log: cfg.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	for _, k := range cfg.Witnesses {
		w, err := NewCosignatureVerifier(k)
		if err != nil {
			return nil, err
		}
		s.witnesses = append(s.witnesses, w)
	}
	s.mux = http.NewServeMux()
	s.mux.Handle("GET /log/key", s.handle(s.key))
	s.mux.Handle("GET /log/checkpoint", s.handle(s.checkpoint))
	s.mux.Handle("GET /log/checkpoints", s.handle(s.checkpoints))
	s.mux.Handle("GET /log/entries", s.handle(s.entries))
	s.mux.Handle("GET /log/proof/inclusion", s.handle(s.inclusion))
	s.mux.Handle("GET /log/proof/consistency", s.handle(s.consistency))
	s.mux.Handle("POST /log/cosignatures", s.handle(s.cosignatures))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// handle adapts a handler that returns an error, writing the error with
// its status.
func (s *Server) handle(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		status, msg := errorStatus(err)
		if status >= 500 {
			s.log.ErrorContext(r.Context(), "translog request failed", "path", r.URL.Path, "err", err)
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(status)
		io.WriteString(w, msg+"\n")
	})
}

// errorStatus maps an error to its HTTP status and public message.
func errorStatus(err error) (int, string) {
	var pe *paramError
	var ce *conflictError
	switch {
	case errors.As(err, &pe):
		return http.StatusBadRequest, pe.msg
	case errors.As(err, &ce):
		return http.StatusConflict, ce.msg
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound, "not found"
	case errors.Is(err, ErrMalformed):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, ErrBadSignature), errors.Is(err, ErrMissingCosignature), errors.Is(err, ErrWrongLog):
		return http.StatusForbidden, err.Error()
	}
	return http.StatusInternalServerError, "internal error"
}

// intParam parses the integer query parameter name; def is used when it is
// absent (or required when def is nil).
func intParam(r *http.Request, name string, def *int64) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		if def != nil {
			return *def, nil
		}
		return 0, badParam("missing parameter %s", name)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, badParam("parameter %s=%q is not a non-negative integer", name, v)
	}
	return n, nil
}

func writeText(w http.ResponseWriter, b []byte) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write(b)
	return err
}

func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(v)
}

func (s *Server) key(w http.ResponseWriter, _ *http.Request) error {
	return writeText(w, []byte(s.logKey+"\n"))
}

func (s *Server) checkpoint(w http.ResponseWriter, r *http.Request) error {
	msg, err := s.local.LatestCheckpoint(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-cache")
	return writeText(w, msg)
}

// CheckpointsResponse is the body of GET /log/checkpoints.
type CheckpointsResponse struct {
	// Checkpoints are signed notes with cosignatures, by increasing size.
	Checkpoints []string `json:"checkpoints"`
}

func (s *Server) checkpoints(w http.ResponseWriter, r *http.Request) error {
	zero := int64(0)
	since, err := intParam(r, "since", &zero)
	if err != nil {
		return err
	}
	list, err := s.local.Checkpoints(r.Context(), since)
	if err != nil {
		return err
	}
	resp := CheckpointsResponse{Checkpoints: make([]string, len(list))}
	for i, c := range list {
		resp.Checkpoints[i] = string(c)
	}
	return writeJSON(w, resp)
}

// EntriesResponse is the body of GET /log/entries: the entries of
// [Start, End) that exist. End may be less than asked (paging); an index in
// [Start, End) that is not listed is missing from the log.
type EntriesResponse struct {
	Start   int64   `json:"start"`
	End     int64   `json:"end"`
	Entries []Entry `json:"entries"`
}

func (s *Server) entries(w http.ResponseWriter, r *http.Request) error {
	start, err := intParam(r, "start", nil)
	if err != nil {
		return err
	}
	end, err := intParam(r, "end", nil)
	if err != nil {
		return err
	}
	es, covered, err := s.local.Entries(r.Context(), start, end)
	if err != nil {
		return err
	}
	if es == nil {
		es = []Entry{}
	}
	return writeJSON(w, EntriesResponse{Start: start, End: covered, Entries: es})
}

// InclusionResponse is the body of GET /log/proof/inclusion.
type InclusionResponse struct {
	Index int64       `json:"index"`
	Size  int64       `json:"size"`
	Proof []tlog.Hash `json:"proof"`
}

func (s *Server) inclusion(w http.ResponseWriter, r *http.Request) error {
	index, err := intParam(r, "index", nil)
	if err != nil {
		return err
	}
	size, err := intParam(r, "size", nil)
	if err != nil {
		return err
	}
	p, err := s.local.InclusionProof(r.Context(), index, size)
	if err != nil {
		return err
	}
	return writeJSON(w, InclusionResponse{Index: index, Size: size, Proof: nonNil(p)})
}

// ConsistencyResponse is the body of GET /log/proof/consistency.
type ConsistencyResponse struct {
	From  int64       `json:"from"`
	To    int64       `json:"to"`
	Proof []tlog.Hash `json:"proof"`
}

func (s *Server) consistency(w http.ResponseWriter, r *http.Request) error {
	from, err := intParam(r, "from", nil)
	if err != nil {
		return err
	}
	to, err := intParam(r, "to", nil)
	if err != nil {
		return err
	}
	p, err := s.local.ConsistencyProof(r.Context(), from, to)
	if err != nil {
		return err
	}
	return writeJSON(w, ConsistencyResponse{From: from, To: to, Proof: nonNil(p)})
}

func nonNil(p []tlog.Hash) []tlog.Hash {
	if p == nil {
		return []tlog.Hash{}
	}
	return p
}

// CosignaturesResponse is the body of a successful POST /log/cosignatures.
type CosignaturesResponse struct {
	Size      int64    `json:"size"`
	Witnesses []string `json:"witnesses"`
}

func (s *Server) cosignatures(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPostSize))
	if err != nil {
		return badParam("reading body: %v", err)
	}
	cs, err := s.local.AddCosignatures(r.Context(), body, s.logV, s.witnesses)
	if err != nil {
		return err
	}
	resp := CosignaturesResponse{Size: cs[0].Size}
	for _, c := range cs {
		resp.Witnesses = append(resp.Witnesses, c.Witness)
	}
	return writeJSON(w, resp)
}

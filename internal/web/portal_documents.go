package web

import (
	"net/http"

	"bela/internal/store"
)

// This file is the public verification page of a document (no login): what the QR code on every
// PDF points to. It shows the kind, number, date, unit, seller, amount, status and SHA-256 of the
// current version, and the hashes of superseded versions — nothing private.

type verifyPage struct {
	Base
	Doc     store.PublicDocument
	Current store.DocumentVersion
}

func (s *Server) verifyDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.store.VerifyDocument(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	p := &verifyPage{Base: s.newBase(r, "verify.title"), Doc: d, Current: d.Current()}
	return s.render(w, http.StatusOK, "verify", p)
}

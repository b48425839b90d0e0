package web

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"bela/internal/market"
	"bela/internal/store"
)

// This file serves an order's documents — Surat Pesanan, BAST, invoice, kuitansi — rendered on
// demand from stored data, stored content-addressed, to the order's parties and auditors, from
// the pages (GET /pesanan/{id}/dokumen/{doc}) and the API (GET /api/v1/orders/{id}/documents/{doc}).

// verifyBase is the address the documents' QR codes point to: the public URL, or this request's
// host when none is configured.
func (s *Server) verifyBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimSuffix(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// renderOrderDocument renders and stores the named document of the order for the request's user.
func (s *Server) renderOrderDocument(r *http.Request) (store.RenderedDocument, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.RenderedDocument{}, err
	}
	name, err := store.ParseDocumentName(r.PathValue("doc"))
	if err != nil {
		return store.RenderedDocument{}, err
	}
	if s.cfg.Blobs == nil {
		// Visibility first, so that another unit's order stays 404 even here.
		if _, err := s.store.GetOrder(r.Context(), principal(r), id); err != nil {
			return store.RenderedDocument{}, err
		}
		return store.RenderedDocument{}, &market.Error{Code: market.CodeUnavailable, Message: "Penyimpanan berkas belum disiapkan."}
	}
	return s.store.RenderDocument(r.Context(), principal(r), id, name, s.verifyBase(r), s.cfg.Blobs.Put)
}

// serveOrderDocument answers both the page and the API download.
func (s *Server) serveOrderDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := s.renderOrderDocument(r)
	if err != nil {
		return err
	}
	w.Header().Set("X-Document-SHA256", d.SHA256)
	w.Header().Set("Link", "<"+s.verifyBase(r)+"/verifikasi/"+d.Code+`>; rel="describedby"`)
	name := strings.NewReplacer("/", "-", " ", "-").Replace(d.Number) + ".pdf"
	writePDF(w, name, d.PDF)
	return nil
}

// writePDF sends a private PDF as an attachment.
func writePDF(w http.ResponseWriter, filename string, data []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

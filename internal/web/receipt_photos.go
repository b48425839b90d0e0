package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/upload"
)

// BAST photos: the receiver photographs what arrived and the photos travel with the BAST. Each
// is checked by content (JPEG or PNG), re-encoded without its metadata, scaled to at most
// receiptPhotoSide pixels — enough to see the goods, small enough for a phone on a slow line —
// and kept in the blob store; the receipt records the blob ids.

// receiptPhotoSide is the longest side of a stored BAST photo, in pixels.
const receiptPhotoSide = 1600

// receiptMaxBody bounds a BAST form with its photos; receiptAPIMaxBody the same photos in JSON,
// base64-encoded.
const (
	receiptMaxBody    = store.MaxReceiptPhotos*upload.MaxFileSize + 1<<20
	receiptAPIMaxBody = store.MaxReceiptPhotos*upload.MaxFileSize/3*4 + 1<<20
)

// storeReceiptPhoto checks and stores one BAST photo and returns its blob id. field names the
// form or JSON field for errors.
func (s *Server) storeReceiptPhoto(field string, data []byte) (string, error) {
	bs, err := s.blobs()
	if err != nil {
		return "", err
	}
	f, err := upload.Check(field, data, upload.JPEG, upload.PNG)
	if err != nil {
		return "", err
	}
	scaled, err := upload.Scale(f, receiptPhotoSide)
	if err != nil {
		return "", err
	}
	return bs.Put(scaled)
}

// receiptPhotosFromForm stores the photos of a multipart BAST form (field "photos"); a form
// without files gives none.
func (s *Server) receiptPhotosFromForm(r *http.Request) ([]string, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var files []*multipart.FileHeader
	for _, fh := range r.MultipartForm.File["photos"] {
		if fh.Filename != "" || fh.Size > 0 {
			files = append(files, fh)
		}
	}
	if len(files) > store.MaxReceiptPhotos {
		return nil, market.Invalid("photos", fmt.Sprintf("Paling banyak %d foto per BAST.", store.MaxReceiptPhotos))
	}
	var ids []string
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return nil, fmt.Errorf("open photo: %w", err)
		}
		data, err := io.ReadAll(io.LimitReader(f, upload.MaxFileSize+1))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("read photo: %w", err)
		}
		id, err := s.storeReceiptPhoto("photos", data)
		if err != nil {
			return nil, photoError(err, fh.Filename)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// receiptPhotosFromJSON stores the base64-encoded photos of an API BAST.
func (s *Server) receiptPhotosFromJSON(photos []string) ([]string, error) {
	if len(photos) > store.MaxReceiptPhotos {
		return nil, market.Invalid("photos", fmt.Sprintf("Paling banyak %d foto per BAST.", store.MaxReceiptPhotos))
	}
	var ids []string
	for i, enc := range photos {
		field := fmt.Sprintf("photos.%d", i)
		data, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return nil, market.Invalid(field, "Foto harus JPEG atau PNG dalam base64.")
		}
		id, err := s.storeReceiptPhoto(field, data)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// photoError names the file in an upload's field error, so that the receiver knows which of
// several photos was refused.
func photoError(err error, name string) error {
	var e *market.Error
	if !errors.As(err, &e) || name == "" {
		return err
	}
	out := *e
	out.Message = name + ": " + e.Message
	out.Fields = map[string]string{}
	for k, v := range e.Fields {
		out.Fields[k] = name + ": " + v
	}
	return &out
}

// serveReceiptPhoto sends a photo of one of the order's BASTs to whoever may read the order
// (GET /pesanan/{id}/foto/{photo} and its API twin); any other id is 404.
func (s *Server) serveReceiptPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.store.GetOrder(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	photo := r.PathValue("photo")
	at := o.UpdatedAt
	found := false
	for _, rc := range o.Receipts {
		if slices.Contains(rc.Photos, photo) {
			found, at = true, rc.ReceivedAt
			break
		}
	}
	if !found {
		return market.NotFound("Foto")
	}
	return s.serveImage(w, r, photo, at, "private, max-age=86400")
}

// Package upload checks files that people upload — by their content, never their name — and
// makes safe copies: images are size-checked before decoding, re-encoded and thumbnailed.
package upload

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"

	"golang.org/x/image/draw"

	"bela/internal/market"
)

// Kind is an accepted file type.
type Kind string

// The accepted kinds.
const (
	PDF  Kind = "pdf"
	JPEG Kind = "jpeg"
	PNG  Kind = "png"
)

// ContentType is the MIME type served for a kind.
func (k Kind) ContentType() string {
	switch k {
	case PDF:
		return "application/pdf"
	case JPEG:
		return "image/jpeg"
	case PNG:
		return "image/png"
	}
	return "application/octet-stream"
}

// Limits of uploads.
const (
	MaxFileSize  = 5 << 20    // bytes per file
	MaxPixels    = 40_000_000 // width × height before decoding (decompression bombs)
	ThumbnailMax = 320        // longest side of a thumbnail, in pixels
)

// File is a checked upload ready to store.
type File struct {
	Kind   Kind
	Data   []byte // the safe copy: re-encoded for images, as uploaded for PDFs
	Width  int    // images only
	Height int
}

// Check sniffs data's real type and accepts it only when it is one of allowed. Images are
// measured with image.DecodeConfig before decoding and then re-encoded, which drops metadata
// and anything hidden after the image. field names the form field for the error.
// Errors: CodeInvalid (or CodeTooLarge) with an Indonesian message for field.
func Check(field string, data []byte, allowed ...Kind) (File, error) {
	if len(data) == 0 {
		return File{}, market.Invalid(field, "Berkas kosong.")
	}
	if len(data) > MaxFileSize {
		return File{}, &market.Error{Code: market.CodeTooLarge, Message: fmt.Sprintf("Berkas terlalu besar (maksimal %d MB).", MaxFileSize>>20), Fields: map[string]string{field: fmt.Sprintf("Berkas terlalu besar (maksimal %d MB).", MaxFileSize>>20)}}
	}
	var kind Kind
	switch ct := http.DetectContentType(data); ct {
	case "application/pdf":
		kind = PDF
	case "image/jpeg":
		kind = JPEG
	case "image/png":
		kind = PNG
	}
	ok := false
	for _, a := range allowed {
		ok = ok || a == kind
	}
	if kind == "" || !ok {
		return File{}, market.Invalid(field, "Jenis berkas tidak diterima; isi berkas harus "+names(allowed)+".")
	}
	if kind == PDF {
		if !bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF")) {
			return File{}, market.Invalid(field, "Berkas PDF rusak atau tidak lengkap.")
		}
		return File{Kind: PDF, Data: data}, nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return File{}, market.Invalid(field, "Gambar rusak atau tidak dapat dibaca.")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return File{}, market.Invalid(field, "Ukuran gambar terlalu besar.")
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return File{}, market.Invalid(field, "Gambar rusak atau tidak dapat dibaca.")
	}
	out, err := encode(img, kind)
	if err != nil {
		return File{}, err
	}
	return File{Kind: kind, Data: out, Width: cfg.Width, Height: cfg.Height}, nil
}

func names(ks []Kind) string {
	s := ""
	for i, k := range ks {
		if i > 0 {
			s += "/"
		}
		s += string(k)
	}
	return s
}

func encode(img image.Image, kind Kind) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if kind == PNG {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	}
	if err != nil {
		return nil, fmt.Errorf("re-encode image: %w", err)
	}
	return buf.Bytes(), nil
}

// Thumbnail scales a checked image so its longest side is at most ThumbnailMax, as JPEG.
func Thumbnail(f File) ([]byte, error) { return Scale(f, ThumbnailMax) }

// Scale returns a checked image with its longest side at most maxSide pixels, as JPEG.
func Scale(f File, maxSide int) ([]byte, error) {
	img, _, err := image.Decode(bytes.NewReader(f.Data))
	if err != nil {
		return nil, fmt.Errorf("scale image: %w", err)
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > maxSide || h > maxSide {
		if w >= h {
			w, h = maxSide, max(1, h*maxSide/w)
		} else {
			w, h = max(1, w*maxSide/h), maxSide
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return encode(dst, JPEG)
}

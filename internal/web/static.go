package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"

	"bela/internal/market"
)

//go:embed static
var staticFS embed.FS

// staticFiles holds the embedded assets and their content hashes for cache-busting URLs.
type staticFiles struct {
	files  map[string][]byte
	hashes map[string]string
}

func loadStatic() (staticFiles, error) {
	sf := staticFiles{files: map[string][]byte{}, hashes: map[string]string{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return sf, fmt.Errorf("read static: %w", err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			return sf, fmt.Errorf("read static: %w", err)
		}
		h := sha256.Sum256(b)
		sf.files[e.Name()] = b
		sf.hashes[e.Name()] = hex.EncodeToString(h[:6])
	}
	return sf, nil
}

// url returns the cache-busted address of an asset.
func (sf staticFiles) url(name string) string {
	return "/static/" + name + "?v=" + sf.hashes[name]
}

func (s *Server) staticFile(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	b, ok := s.static.files[name]
	if !ok {
		return market.NotFound("Berkas")
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	if r.URL.Query().Get("v") == s.static.hashes[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	_, err := w.Write(b)
	return err
}

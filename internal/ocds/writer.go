package ocds

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"bela/internal/store"
)

// ErrClosed is returned by PackageWriter.Add after Close.
var ErrClosed = errors.New("ocds: package writer is closed")

// Version is the OCDS version (major.minor) the packages declare.
const Version = "1.1"

// PartyScaleExtension is the OCDS extension that defines parties' details.scale, which the
// packages use for the seller's size class.
const PartyScaleExtension = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyDetails_scale_extension/master/extension.json"

// packageHeader is the publishing metadata that opens a release or record package.
type packageHeader struct {
	URI           string           `json:"uri"`
	Version       string           `json:"version"`
	Extensions    []string         `json:"extensions"`
	PublishedDate time.Time        `json:"publishedDate"`
	Publisher     packagePublisher `json:"publisher"`
}

type packagePublisher struct {
	Name string `json:"name"`
	URI  string `json:"uri,omitempty"`
}

func newPackageHeader(p Publisher, path string, published time.Time) packageHeader {
	return packageHeader{
		URI:           p.URI + path,
		Version:       Version,
		Extensions:    []string{PartyScaleExtension},
		PublishedDate: published.UTC(),
		Publisher:     packagePublisher{Name: p.Name, URI: p.URI},
	}
}

// PackageWriter streams a release package or a record package to a writer: the package
// header, then each release or record as it is added, then the end of the JSON. It holds one
// order at a time, so memory stays flat however many orders are written. It is not safe for
// concurrent use.
type PackageWriter struct {
	w      io.Writer
	open   []byte // the header up to and including the array's "["
	entry  func(store.PublicOrder) any
	n      int
	err    error
	closed bool
}

// NewReleasePackageWriter returns a writer of a release package to w, with one release per
// added order, published by p at the given time; path is where the package is served, under
// Publisher.URI (the package's uri).
func NewReleasePackageWriter(w io.Writer, p Publisher, path string, published time.Time) *PackageWriter {
	return newPackageWriter(w, newPackageHeader(p, path, published), "releases",
		func(o store.PublicOrder) any { return NewRelease(p, o) })
}

// NewRecordPackageWriter returns a writer of a record package to w, with one record per added
// order: its ocid, its release and, as the compiled release, the same release tagged
// "compiled"; path as for NewReleasePackageWriter.
func NewRecordPackageWriter(w io.Writer, p Publisher, path string, published time.Time) *PackageWriter {
	return newPackageWriter(w, newPackageHeader(p, path, published), "records",
		func(o store.PublicOrder) any { return newRecord(NewRelease(p, o)) })
}

// PackageWriterFor returns the writer constructor of the portal's package file name:
// "rilis.json" (a release package) or "rekaman.json" (a record package); nil for any other.
func PackageWriterFor(name string) func(w io.Writer, p Publisher, path string, published time.Time) *PackageWriter {
	switch name {
	case "rilis.json":
		return NewReleasePackageWriter
	case "rekaman.json":
		return NewRecordPackageWriter
	}
	return nil
}

func newRecord(r Release) Record {
	compiled := r
	compiled.Tag = []string{"compiled"}
	return Record{OCID: r.OCID, Releases: []Release{r}, CompiledRelease: compiled}
}

func newPackageWriter(w io.Writer, h packageHeader, array string, entry func(store.PublicOrder) any) *PackageWriter {
	pw := &PackageWriter{w: w, entry: entry}
	b, err := json.Marshal(h)
	if err != nil {
		pw.err = fmt.Errorf("ocds: encode package header: %w", err)
		return pw
	}
	// Reopen the header object to append the array: {...} becomes {...,"releases":[
	pw.open = append(b[:len(b)-1], fmt.Sprintf(",%q:[", array)...)
	return pw
}

// Add writes the order's release (or record) to the package. It returns ErrClosed after Close,
// an error wrapping the encoding or write error otherwise; after an error the package is
// incomplete and every later call returns the same error.
func (pw *PackageWriter) Add(o store.PublicOrder) error {
	if pw.closed {
		return ErrClosed
	}
	if pw.err != nil {
		return pw.err
	}
	b, err := json.Marshal(pw.entry(o))
	if err != nil {
		pw.err = fmt.Errorf("ocds: encode order %d: %w", o.ID, err)
		return pw.err
	}
	var sep []byte
	if pw.n == 0 {
		sep = pw.open
	} else {
		sep = []byte{','}
	}
	if err := pw.write(slices.Concat(sep, b)); err != nil {
		return err
	}
	pw.n++
	return nil
}

// Close ends the JSON (a package without orders has an empty array) and a newline. It does
// not close the underlying writer. It returns the writer's first error, wrapped, if any; a
// second Close returns nil.
func (pw *PackageWriter) Close() error {
	if pw.closed {
		return nil
	}
	pw.closed = true
	if pw.err != nil {
		return pw.err
	}
	end := []byte("]}\n")
	if pw.n == 0 {
		end = slices.Concat(pw.open, end)
	}
	return pw.write(end)
}

func (pw *PackageWriter) write(b []byte) error {
	if _, err := pw.w.Write(b); err != nil {
		pw.err = fmt.Errorf("ocds: write package: %w", err)
		return pw.err
	}
	return nil
}

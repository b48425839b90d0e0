package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/ocds"
	"bela/internal/opendata"
	"bela/internal/store"
)

const exportUsage = `usage: bela export FILE [--year Y] [--since YYYY-MM-DD] [--unit ID] [--seller ID] [--state S] [--out PATH]
                   [--public-url URL] [--ocds-prefix P] [--data DIR] [--database URL]
FILE is one of the portal's downloads: rilis.json, rekaman.json (OCDS release or record package of
--year), pesanan.csv, barang.csv, pembayaran.csv, belanja.xlsx. The output is what /belanja serves
for the same filters, for publishing open data from a scheduled job; the database is only read.
`

// cmdExport writes the public orders as one of the portal's open-data downloads, to --out or
// standard output, reading the database read-only.
func cmdExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, exportUsage)
		return errUsage
	}
	file := args[0]
	fs := flags("export", stderr)
	var c common
	c.register(fs, getenv)
	year := fs.Int("year", 0, "fiscal year (required for the OCDS packages; every year for the tables when 0)")
	since := fs.String("since", "", "only orders changed on or after this day, YYYY-MM-DD in the instance's time zone")
	unit := fs.Int64("unit", 0, "only this work unit's orders")
	seller := fs.Int64("seller", 0, "only this seller's orders")
	state := fs.String("state", "", "only orders in this state (e.g. completed)")
	out := fs.String("out", "", "write to this file instead of standard output")
	publicURL := fs.String("public-url", getenv("BELA_PUBLIC_URL"), "the instance's public address, for links and OCDS URIs (BELA_PUBLIC_URL)")
	prefix := fs.String("ocds-prefix", getenv("BELA_OCDS_PREFIX"), "the registered OCDS prefix (BELA_OCDS_PREFIX)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	table := opendata.TableNamed(strings.TrimSuffix(file, ".csv"))
	newWriter := ocds.PackageWriterFor(file)
	isOCDS := newWriter != nil
	if !(isOCDS || file == "belanja.xlsx" || strings.HasSuffix(file, ".csv") && table != nil) {
		fmt.Fprintf(stderr, "bela export: unknown file %q\n%s", file, exportUsage)
		return errUsage
	}
	if isOCDS && *year == 0 {
		fmt.Fprintf(stderr, "bela export %s: --year is required\n", file)
		return errUsage
	}
	s, err := c.openStoreReadOnly(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	inst, err := s.GetInstance(ctx)
	if err != nil {
		return err
	}
	loc := inst.Location()
	f := store.PublicOrderFilter{FiscalYear: *year, UnitID: *unit, SellerID: *seller}
	query := url.Values{}
	if *state != "" {
		if f.State, err = market.ParseState(*state); err != nil {
			return fmt.Errorf("--state %q: %w", *state, err)
		}
		query.Set("status", *state)
	}
	if *since != "" {
		if f.UpdatedSince, err = time.ParseInLocation(time.DateOnly, *since, loc); err != nil {
			return fmt.Errorf("--since %q: write the day as YYYY-MM-DD", *since)
		}
		query.Set("sejak", *since)
	}

	w := stdout
	if *out != "" {
		fh, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer fh.Close()
		w = fh
	}
	bw := bufio.NewWriter(w)
	each := func(fn func(store.PublicOrder) error) error { return s.EachPublicOrder(ctx, f, fn) }
	opt := opendata.Options{Location: loc, BaseURL: *publicURL}
	switch {
	case isOCDS:
		if *prefix == "" {
			*prefix = ocds.DefaultPrefix(inst.RegionCode)
		}
		for k, v := range map[string]int64{"unit": *unit, "penjual": *seller} {
			if v != 0 {
				query.Set(k, strconv.FormatInt(v, 10))
			}
		}
		path := fmt.Sprintf("/belanja/ocds/%d/%s", *year, file)
		if len(query) > 0 {
			path += "?" + query.Encode()
		}
		pw := newWriter(bw, ocds.Publisher{Name: inst.Name, URI: *publicURL, OCIDPrefix: *prefix}, path, time.Now().UTC())
		if err := each(pw.Add); err != nil {
			return err
		}
		err = pw.Close()
	case table != nil:
		err = opendata.WriteCSV(bw, table, opt, each)
	default:
		err = opendata.WriteXLSX(bw, opt, each)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if *out != "" {
		return w.(*os.File).Close()
	}
	return nil
}

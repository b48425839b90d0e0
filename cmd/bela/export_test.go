package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// bela export writes what the running portal serves for the same filters: the tables byte for
// byte, the OCDS packages release for release, the workbook with the same rows; it only reads
// the database (the demo server has it open), and refuses unknown files and OCDS without a year.
func TestExportMatchesThePortal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	demo := start(t, nil, "demo", "--addr", "127.0.0.1:0", "--quiet", "--small", "--data", dir)
	base := waitFor(t, &demo.stdout, regexp.MustCompile(`URL:\s+(http://\S+)`))
	year := strconv.Itoa(time.Now().Year())
	export := func(args ...string) string {
		t.Helper()
		out, stderr, err := runCmd(t, append(append([]string{"export"}, args...), "--data", dir, "--public-url", base)...)
		if err != nil {
			t.Fatalf("bela export %v: %v\n%s", args, err, stderr)
		}
		return out
	}

	for _, file := range []string{"pesanan.csv", "barang.csv", "pembayaran.csv"} {
		got := export(file, "--year", year)
		code, served := httpGet(t, base+"/belanja/ekspor/"+file+"?tahun="+year)
		if code != 200 || got != served {
			t.Errorf("%s: the command and the portal (%d) differ:\n%s\n---\n%s", file, code, head(got), head(served))
		}
		if recs, err := csv.NewReader(strings.NewReader(got)).ReadAll(); err != nil || len(recs) < 2 {
			t.Errorf("%s: %d records (%v)", file, len(recs), err)
		}
	}
	unitRows := export("pesanan.csv", "--year", year, "--unit", "1")
	if _, served := httpGet(t, base+"/belanja/ekspor/pesanan.csv?tahun="+year+"&unit=1"); unitRows != served {
		t.Error("one unit's orders differ from the portal's")
	}
	tomorrow := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	if got := export("pesanan.csv", "--since", tomorrow); strings.Count(got, "\n") != 1 {
		t.Errorf("orders changed since %s:\n%s", tomorrow, got)
	}

	type pkg struct {
		URI      string            `json:"uri"`
		Releases []json.RawMessage `json:"releases"`
		Records  []json.RawMessage `json:"records"`
	}
	for _, file := range []string{"rilis.json", "rekaman.json"} {
		var mine, theirs pkg
		if err := json.Unmarshal([]byte(export(file, "--year", year)), &mine); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		_, served := httpGet(t, base+"/belanja/ocds/"+year+"/"+file)
		if err := json.Unmarshal([]byte(served), &theirs); err != nil {
			t.Fatalf("served %s: %v", file, err)
		}
		if len(mine.Releases)+len(mine.Records) == 0 || !cmp.Equal(mine.Releases, theirs.Releases) || !cmp.Equal(mine.Records, theirs.Records) ||
			mine.URI != theirs.URI {
			t.Errorf("%s: %d releases, %d records, uri %s; the portal %d, %d, %s", file, len(mine.Releases), len(mine.Records), mine.URI,
				len(theirs.Releases), len(theirs.Records), theirs.URI)
		}
	}

	// Incremental: the orders changed since a day, under the same package URI as the portal's.
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	weekAgo := time.Now().In(wib).AddDate(0, 0, -7).Format(time.DateOnly)
	var mine, theirs pkg
	if err := json.Unmarshal([]byte(export("rilis.json", "--year", year, "--since", weekAgo)), &mine); err != nil {
		t.Fatal(err)
	}
	_, served := httpGet(t, base+"/belanja/ocds/"+year+"/rilis.json?sejak="+weekAgo)
	if err := json.Unmarshal([]byte(served), &theirs); err != nil {
		t.Fatal(err)
	}
	if mine.URI != theirs.URI || !strings.HasSuffix(mine.URI, "?sejak="+weekAgo) || !cmp.Equal(mine.Releases, theirs.Releases) {
		t.Errorf("since %s: uri %s, %d releases; the portal %s, %d", weekAgo, mine.URI, len(mine.Releases), theirs.URI, len(theirs.Releases))
	}

	book := filepath.Join(t.TempDir(), "belanja.xlsx")
	if out := export("belanja.xlsx", "--year", year, "--out", book); out != "" {
		t.Errorf("--out still wrote %d bytes to standard output", len(out))
	}
	x, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer x.Close()
	orders := export("pesanan.csv", "--year", year)
	if rows, err := x.GetRows("pesanan"); err != nil || len(rows) != strings.Count(orders, "\n") {
		t.Errorf("the workbook has %d order rows (%v), the CSV %d lines", len(rows), err, strings.Count(orders, "\n"))
	}

	for _, args := range [][]string{{"export"}, {"export", "orang.csv"}, {"export", "rilis.json"}, {"export", "pesanan.csv", "--since", "kemarin"},
		{"export", "pesanan.csv", "--state", "bogus"}} {
		if _, _, err := runCmd(t, append(args, "--data", dir)...); err == nil {
			t.Errorf("bela %v succeeded", args)
		}
	}
}

// head is the start of s, for messages.
func head(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

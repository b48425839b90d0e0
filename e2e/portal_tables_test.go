package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"bela/internal/store"
)

// TestBrowserPublicTables follows the portal's open-data download links in Chromium on the
// demo data, as a journalist would: the year's tables as CSV and as one XLSX workbook hold
// every order of the year, every line and every payment, and no demo person; a unit's order
// list offers the same tables narrowed to that unit.
func TestBrowserPublicTables(t *testing.T) {
	chromium := needBrowser(t)
	site := startSite(t)
	browser := startBrowser(t, chromium)
	ctx := newTab(t, browser)

	sp, err := site.Store.PublicSpend(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var orders, lines, payments int
	err = site.Store.EachPublicOrder(context.Background(), store.PublicOrderFilter{FiscalYear: sp.Year}, func(o store.PublicOrder) error {
		orders, lines, payments = orders+1, lines+len(o.Lines), payments+len(o.Payments)
		return nil
	})
	if err != nil || orders == 0 || payments == 0 {
		t.Fatalf("%d orders, %d payments in %d (%v)", orders, payments, sp.Year, err)
	}
	people := demoPeople(site)
	download := func(href string) []byte {
		t.Helper()
		res, err := http.Get(href)
		if err != nil {
			t.Fatalf("GET %s: %v", href, err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", href, res.StatusCode, err)
		}
		return b
	}
	links := func(sel string) []string {
		t.Helper()
		return run(t, ctx, "read the download links", chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll('`+sel+` a')).map(a => a.href)`))
	}

	navigate(t, ctx, site.URL+"/belanja")
	hrefs := links(`[data-testid="tables"]`)
	if len(hrefs) != 4 || !strings.Contains(hrefs[0], "belanja.xlsx") {
		t.Fatalf("the spending page's table links: %v", hrefs)
	}
	want := map[string]int{"pesanan": orders, "barang": lines, "pembayaran": payments}
	for _, href := range hrefs[1:] {
		b := download(href)
		for _, p := range people {
			if strings.Contains(string(b), p) {
				t.Errorf("%s carries %q", href, p)
			}
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		name := href[strings.LastIndex(href, "/")+1 : strings.Index(href, ".csv")]
		if err != nil || len(recs)-1 != want[name] {
			t.Errorf("%s: %d rows (%v), want %d", href, len(recs)-1, err, want[name])
		}
	}
	book, err := excelize.OpenReader(bytes.NewReader(download(hrefs[0])))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer book.Close()
	for sheet, n := range want {
		if rows, err := book.GetRows(sheet); err != nil || len(rows)-1 != n {
			t.Errorf("sheet %s: %d rows (%v), want %d", sheet, len(rows)-1, err, n)
		}
	}

	// A unit's list offers its own tables.
	unit := sp.Units[0]
	click(t, ctx, `table[data-testid="spend-units"] tbody tr a[data-testid="unit-orders"]`)
	for _, href := range links(`[data-testid="list-tables"]`) {
		if !strings.Contains(href, "pesanan.csv") {
			continue
		}
		recs, err := csv.NewReader(bytes.NewReader(download(href))).ReadAll()
		if err != nil || len(recs) != unit.Orders+unit.Withdrawn+1 {
			t.Fatalf("%s: %d rows (%v), want %d", href, len(recs)-1, err, unit.Orders+unit.Withdrawn)
		}
		for _, r := range recs[1:] {
			if r[3] != unit.UnitCode {
				t.Errorf("%s lists an order of %s", href, r[3])
			}
		}
		return
	}
	t.Error("the unit's order list has no CSV link")
}

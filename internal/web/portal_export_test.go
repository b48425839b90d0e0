package web_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bela/internal/market"
	"bela/internal/opendata"
)

// The open-data tables, without a login: linked from the spending page and the order list
// (with the list's filters), CSV per table and an XLSX workbook with a sheet per table, each
// narrowed by the list's filters, with no person in them; ?sejak= narrows the OCDS package to
// what changed since a day; bad filters are 422, unknown files 404.
func TestPublicExports(t *testing.T) {
	f := newPayFixture(t)
	o := f.order
	get := func(target string) (int, string, string) {
		t.Helper()
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		return rec.Code, rec.Header().Get("Content-Type"), rec.Body.String()
	}
	readCSV := func(target string) [][]string {
		t.Helper()
		code, ctype, body := get(target)
		if code != 200 || ctype != "text/csv; charset=utf-8" {
			t.Fatalf("GET %s: %d %s\n%s", target, code, ctype, body)
		}
		for _, private := range []string{"Pengguna", "@bela.test", "Kapten Maulana", "SJ-1", "0123456789012345"} {
			if strings.Contains(body, private) {
				t.Errorf("%s carries %q", target, private)
			}
		}
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s does not read back: %v", target, err)
		}
		return recs
	}

	_, spend := getAs(f.fixture, "id", "/belanja")
	wantBody(t, "/belanja", spend, `data-testid="total-pdn">0,0%<`, `href="/belanja/ekspor/belanja.xlsx?tahun=2026"`, `href="/belanja/ekspor/pesanan.csv?tahun=2026"`,
		`href="/belanja/ekspor/barang.csv?tahun=2026"`, `href="/belanja/ekspor/pembayaran.csv?tahun=2026"`)
	list := fmt.Sprintf("/belanja/pesanan?unit=%d&sebelum=%d", f.unit1.ID, o.ID+1)
	_, listBody := getAs(f.fixture, "en", list)
	wantBody(t, "the order list", listBody, fmt.Sprintf(`href="/belanja/ekspor/pesanan.csv?unit=%d"`, f.unit1.ID), "Download this list")
	if strings.Contains(listBody, "belanja.xlsx") {
		t.Error("a list of every year offers the workbook, which is one year's at most")
	}
	_, yearList := getAs(f.fixture, "id", fmt.Sprintf("/belanja/pesanan?tahun=2026&unit=%d", f.unit1.ID))
	wantBody(t, "one year's list", yearList, fmt.Sprintf(`href="/belanja/ekspor/belanja.xlsx?tahun=2026&amp;unit=%d"`, f.unit1.ID))

	orders := readCSV("/belanja/ekspor/pesanan.csv?tahun=2026")
	if len(orders) != 2 || orders[0][0] != "id_pesanan" || orders[1][0] != fmt.Sprint(o.ID) {
		t.Fatalf("pesanan.csv = %v", orders)
	}
	row := strings.Join(orders[1], "|")
	for _, want := range []string{"Dinas Pendidikan", "UD Satu", "27712345", "received", fmt.Sprint(int64(o.Total)), "http://bela.test/belanja/pesanan/" + fmt.Sprint(o.ID)} {
		if !strings.Contains(row, want) {
			t.Errorf("the order's row lacks %q: %s", want, row)
		}
	}
	lines := readCSV(fmt.Sprintf("/belanja/ekspor/barang.csv?unit=%d", f.unit1.ID))
	if len(lines) != 2 || lines[1][3] != "Kertas HVS A4" || lines[1][8] != "60" || lines[1][9] != "60" || lines[1][11] != "tidak" || lines[1][12] != "0" {
		t.Errorf("barang.csv = %v", lines)
	}
	if pays := readCSV("/belanja/ekspor/pembayaran.csv"); len(pays) != 1 {
		t.Errorf("pembayaran.csv before any payment = %v", pays)
	}
	if other := readCSV(fmt.Sprintf("/belanja/ekspor/pesanan.csv?unit=%d", f.unit2.ID)); len(other) != 1 {
		t.Errorf("unit 2's orders = %v", other)
	}
	if accepted := readCSV("/belanja/ekspor/pesanan.csv?status=accepted"); len(accepted) != 1 {
		t.Errorf("accepted orders = %v", accepted)
	}

	code, ctype, book := get("/belanja/ekspor/belanja.xlsx?tahun=2026")
	if code != 200 || ctype != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("belanja.xlsx: %d %s", code, ctype)
	}
	x, err := excelize.OpenReader(strings.NewReader(book))
	if err != nil {
		t.Fatalf("belanja.xlsx does not open: %v", err)
	}
	defer x.Close()
	for sheet, want := range map[string]int{"pesanan": 2, "barang": 2, "pembayaran": 1} {
		if rows, err := x.GetRows(sheet); err != nil || len(rows) != want {
			t.Errorf("sheet %s: %d rows (%v), want %d", sheet, len(rows), err, want)
		}
	}

	// The list keeps the day in its state filter and says it.
	_, since := getAs(f.fixture, "id", "/belanja/pesanan?sejak=2026-01-02")
	wantBody(t, "the list of orders changed since a day", since, `<input type="hidden" name="sejak" value="2026-01-02">`,
		`data-testid="since">Berubah sejak 02-01-2026.<`)

	// Incremental OCDS: the order changed today, nothing changed tomorrow.
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	today := f.clock.Now().In(wib).Format(time.DateOnly)
	tomorrow := f.clock.Now().In(wib).AddDate(0, 0, 1).Format(time.DateOnly)
	for since, want := range map[string]int{today: 1, tomorrow: 0} {
		code, _, body := get("/belanja/ocds/2026/rilis.json?sejak=" + since)
		var pkg struct {
			URI      string            `json:"uri"`
			Releases []json.RawMessage `json:"releases"`
		}
		if err := json.Unmarshal([]byte(body), &pkg); code != 200 || err != nil || len(pkg.Releases) != want || !strings.HasSuffix(pkg.URI, "?sejak="+since) {
			t.Errorf("releases since %s: %d %v, %d releases, uri %q; want %d", since, code, err, len(pkg.Releases), pkg.URI, want)
		}
	}

	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/belanja/ekspor/pesanan.csv?sejak=kemarin", 422}, {"/belanja/ocds/2026/rilis.json?sejak=2026-13-01", 422},
		{"/belanja/ekspor/pesanan.csv?tahun=abc", 422}, {"/belanja/ekspor/pesanan.csv?unit=-1", 422},
		{"/belanja/ekspor/pesanan.json", 404}, {"/belanja/ekspor/orang.csv", 404}, {"/belanja/ekspor/belanja.csv", 404},
		{"/belanja/ekspor/pesanan.xlsx", 404}, {"/belanja/ekspor/belanja.xlsx", 422}, {fmt.Sprintf("/belanja/ekspor/belanja.xlsx?unit=%d", f.unit1.ID), 422},
	} {
		if code, _, body := get(tc.path); code != tc.status {
			t.Errorf("GET %s: %d, want %d\n%s", tc.path, code, tc.status, body)
		}
	}
	if res, _ := f.do(market.RoleBuyer, "GET", "/belanja/ekspor/pesanan.csv", nil); res.StatusCode != 200 {
		t.Errorf("signed in: %d", res.StatusCode)
	}
}

// The data dictionary, linked from the spending page, describes every column of every table in
// the page's language.
func TestPublicDataDictionary(t *testing.T) {
	f := newFixture(t)
	_, spend := getAs(f, "id", "/belanja")
	if !strings.Contains(spend, `href="/belanja/data"`) {
		t.Error("the spending page does not link the data dictionary")
	}
	for _, lang := range []string{"id", "en"} {
		code, body := getAs(f, lang, "/belanja/data")
		if code != 200 {
			t.Fatalf("%s: %d", lang, code)
		}
		for _, tb := range opendata.Tables {
			for _, c := range tb.Dictionary() {
				text := c.ID
				if lang == "en" {
					text = c.EN
				}
				if !strings.Contains(body, "<code>"+c.Name+"</code>") || !strings.Contains(html.UnescapeString(body), text) {
					t.Errorf("%s: %s.%s is not described as %q", lang, tb.Name, c.Name, text)
				}
			}
		}
	}
}

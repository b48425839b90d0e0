package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"bela/internal/market"
)

// getAs fetches a page without signing in, in the given language.
func getAs(f *fixture, lang, target string) (int, string) {
	f.t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	req.AddCookie(&http.Cookie{Name: "bela_lang", Value: lang})
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// The unit page, without a login: the unit's totals, its month, its one seller with the whole
// share (decimal comma in Indonesian, point in English) marked above the concentration
// threshold, linked from /belanja and from the order's public page; no person on it; unknown
// units are 404, a bad year 422, a year without orders a plain message.
func TestPublicUnitPage(t *testing.T) {
	f := newPayFixture(t)
	o := f.order
	page := fmt.Sprintf("/belanja/unit/%d", f.unit1.ID)

	code, body := getAs(f.fixture, "id", page)
	if code != 200 {
		t.Fatalf("GET %s: %d", page, code)
	}
	sellerList := fmt.Sprintf(`href="/belanja/pesanan?tahun=2026&amp;unit=%d&amp;penjual=%d"`, f.unit1.ID, f.seller1.ID)
	wantBody(t, "the unit page", body, "Dinas Pendidikan", `data-testid="unit-code">U1<`, `data-testid="unit-value">`+o.Total.String()+`<`,
		`data-testid="unit-orders">1<`, `<option value="2026" selected>2026</option>`,
		fmt.Sprintf(`href="/belanja/pesanan?tahun=2026&amp;unit=%d"`, f.unit1.ID), sellerList, `href="/penjual/`+fmt.Sprint(f.seller1.ID)+`"`,
		`data-testid="seller-share">100,0%<`, `data-testid="concentrated"`, "Di atas 30%", "Usaha Mikro", "Medan Baru",
		`<tr data-month="11"><td data-label="Bulan">November</td>`, `max="`+fmt.Sprint(int64(o.Total))+`" value="`+fmt.Sprint(int64(o.Total))+`"`,
		"Kertas", `data-testid="no-rules"`)
	for _, private := range []string{"Pengguna", "@bela.test", "Kapten Maulana", "SJ-1"} {
		if strings.Contains(body, private) {
			t.Errorf("the unit page shows %q", private)
		}
	}
	_, en := getAs(f.fixture, "en", page+"?tahun=2026")
	wantBody(t, "the unit page in English", en, `data-testid="seller-share">100.0%<`, "Above 30%", "Micro business", "Per month")

	// Links into the page.
	_, spend := getAs(f.fixture, "id", "/belanja")
	wantBody(t, "/belanja", spend, fmt.Sprintf(`href="/belanja/unit/%d?tahun=2026"`, f.unit1.ID),
		fmt.Sprintf(`href="/belanja/pesanan?tahun=2026&amp;unit=%d"`, f.unit1.ID))
	_, order := getAs(f.fixture, "id", fmt.Sprintf("/belanja/pesanan/%d", o.ID))
	wantBody(t, "the order's public page", order, fmt.Sprintf(`href="/belanja/unit/%d?tahun=2026"`, f.unit1.ID))

	// A year without orders, another unit without any, unknown units, a bad year.
	code, body = getAs(f.fixture, "id", page+"?tahun=2025")
	if code != 200 {
		t.Fatalf("2025: %d", code)
	}
	wantBody(t, "a year without orders", body, "belum berbelanja pada tahun anggaran 2025", `<option value="2025" selected>2025</option>`, `<option value="2026">2026</option>`)
	if strings.Contains(body, `data-testid="unit-months"`) {
		t.Error("a year without orders shows months")
	}
	code, body = getAs(f.fixture, "en", fmt.Sprintf("/belanja/unit/%d", f.unit2.ID))
	if code != 200 || !strings.Contains(body, "has not bought anything") {
		t.Errorf("unit 2: %d", code)
	}
	for _, tc := range []struct {
		path   string
		status int
	}{{"/belanja/unit/999999", 404}, {"/belanja/unit/abc", 404}, {page + "?tahun=abc", 422}, {page + "?tahun=1999", 422}} {
		if code, _ := getAs(f.fixture, "id", tc.path); code != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.path, code, tc.status)
		}
	}
	if res, _ := f.do(market.RoleBuyer, "GET", page, nil); res.StatusCode != 200 {
		t.Errorf("signed in: %d", res.StatusCode)
	}
}

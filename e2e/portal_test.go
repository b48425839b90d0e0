package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"bela/internal/market"
	"bela/internal/store"
)

// TestBrowserPublicSpending is a citizen's walk through the transparency portal in Chromium,
// without signing in: from the home page to a fiscal year's purchases per work unit, one unit's
// orders, an order whose rule warning the buyer justified (the justification is shown, as issue
// 4 says it is for the public), and the same data as OCDS downloads. No demo person's name or
// e-mail, and no delivery address or note, appears on the way.
func TestBrowserPublicSpending(t *testing.T) {
	chromium := needBrowser(t)
	site := startSite(t)
	browser := startBrowser(t, chromium)
	ctx := newTab(t, browser)
	bg := context.Background()

	// An order with a written justification, as the store has it (its private fields too).
	var justified store.PublicOrder
	err := site.Store.EachPublicOrder(bg, store.PublicOrderFilter{}, func(o store.PublicOrder) error {
		if justified.ID == 0 && len(o.Justifications) > 0 {
			justified = o
		}
		return nil
	})
	if err != nil || justified.ID == 0 {
		t.Fatalf("no justified order in the demo data (%v)", err)
	}
	auditor := site.Demo.Logins[0]
	for _, l := range site.Demo.Logins {
		if l.Role == market.RoleAuditor {
			auditor = l
		}
	}
	u, err := site.Store.FindUserByEmail(bg, auditor.Email)
	if err != nil {
		t.Fatal(err)
	}
	p, err := site.Store.Principal(bg, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	private, err := site.Store.GetOrder(bg, p, justified.ID)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{private.Address, private.BuyerName, private.PPKName}
	if private.Notes != "" {
		secrets = append(secrets, private.Notes)
	}
	secrets = append(secrets, demoPeople(site)...)
	noSecrets := func(where string) {
		t.Helper()
		noneShown(t, ctx, where, secrets)
	}

	navigate(t, ctx, site.URL+"/")
	if resp := click(t, ctx, `header nav a[href="/belanja"]`); resp.Status != 200 {
		t.Fatalf("GET /belanja: %d", resp.Status)
	}
	year := payText(t, ctx, `select#tahun option[selected]`)
	orders, err := strconv.Atoi(payText(t, ctx, `[data-testid="total-orders"]`))
	if err != nil || orders == 0 {
		t.Fatalf("the year's order count reads %q", payText(t, ctx, `[data-testid="total-orders"]`))
	}
	units := payCount(t, ctx, `table[data-testid="spend-units"] tbody tr`)
	if units < 2 {
		t.Fatalf("%d units on the spending page", units)
	}
	noSecrets("the spending page")

	// A unit's orders: every row is that unit's.
	unitName := payText(t, ctx, `table[data-testid="spend-units"] tbody tr a[data-testid="unit-page"]`)
	click(t, ctx, `table[data-testid="spend-units"] tbody tr a[data-testid="unit-orders"]`)
	rows := run(t, ctx, "read the unit's orders", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('table[data-testid="public-orders"] tbody tr td:nth-child(3)')).map(td => td.textContent.trim())`))
	if len(rows) == 0 {
		t.Fatalf("no orders listed for %s", unitName)
	}
	for _, r := range rows {
		if r != unitName {
			t.Errorf("the list of %s shows an order of %s", unitName, r)
		}
	}

	// The justified order, reached from its seller's orders.
	navigate(t, ctx, fmt.Sprintf("%s/belanja/pesanan?penjual=%d&sebelum=%d", site.URL, justified.SellerID, justified.ID+1))
	if resp := click(t, ctx, fmt.Sprintf(`a[href="/belanja/pesanan/%d"]`, justified.ID)); resp.Status != 200 {
		t.Fatalf("the order's public page: %d", resp.Status)
	}
	if got := payText(t, ctx, `[data-testid="order-total"]`); got != justified.Total.String() {
		t.Errorf("total %q, want %s", got, justified.Total)
	}
	shown := payText(t, ctx, `[data-testid="justification"]`)
	found := false
	for _, j := range justified.Justifications {
		found = found || j == shown
	}
	if !found {
		t.Errorf("justification shown %q, want one of %v", shown, justified.Justifications)
	}
	if n := payCount(t, ctx, `ol[data-testid="timeline"] li`); n == 0 {
		t.Error("the order has no steps")
	}
	noSecrets("the order's public page")

	// The OCDS downloads: the order alone, and the year's package with every order of it.
	var one struct {
		Releases []struct {
			OCID   string `json:"ocid"`
			Tender struct {
				Rationale string `json:"procurementMethodRationale"`
			} `json:"tender"`
		} `json:"releases"`
	}
	href := run(t, ctx, "read the OCDS link", chromedp.Evaluate[string](`document.querySelector('a[data-testid="order-ocds"]').href`))
	getJSON(t, href, &one)
	if len(one.Releases) != 1 || !strings.HasSuffix(one.Releases[0].OCID, fmt.Sprintf("-%d", justified.ID)) || !strings.Contains(one.Releases[0].Tender.Rationale, shown) {
		t.Errorf("the order's OCDS release: %+v", one)
	}
	var all struct {
		Releases []json.RawMessage `json:"releases"`
	}
	getJSON(t, site.URL+"/belanja/ocds/"+year+"/rilis.json", &all)
	sp, err := site.Store.PublicSpend(bg, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := sp.Total.Orders + sp.Total.Withdrawn; len(all.Releases) != want || sp.Total.Orders != orders {
		t.Errorf("the %s package has %d releases, want %d (page says %d purchases)", year, len(all.Releases), want, orders)
	}
	for _, r := range all.Releases {
		for _, s := range secrets {
			if s != "" && strings.Contains(string(r), s) {
				t.Fatalf("the OCDS package carries %q", s)
			}
		}
	}
}

// demoPeople are the names and e-mail addresses of the demo's logins, which no public page or
// download may show.
func demoPeople(s *site) []string {
	var out []string
	for _, l := range s.Demo.Logins {
		out = append(out, l.Name, l.Email)
	}
	return out
}

// noneShown fails the test when the text of the page's main part holds any of secrets.
func noneShown(t *testing.T, ctx context.Context, where string, secrets []string) {
	t.Helper()
	text := payText(t, ctx, "main")
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s shows %q", where, s)
		}
	}
}

// getJSON fetches a URL as a citizen's program would and decodes its JSON into v.
func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, res.Header.Get("Content-Type"))
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

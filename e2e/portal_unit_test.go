package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPortalUnitPage is a citizen's look, without signing in, at how one work unit
// spends: from the year's purchases per unit to the largest unit's page, whose months add up to
// the value it shows (the value of its row on /belanja), and from its largest seller to the
// orders of that seller and unit only. No demo person's name or e-mail appears on the way, and
// the page fits a phone's width.
func TestBrowserPortalUnitPage(t *testing.T) {
	chromium := needBrowser(t)
	site := startSite(t)
	browser := startBrowser(t, chromium)
	ctx := newTab(t, browser)

	people := demoPeople(site)

	if resp := navigate(t, ctx, site.URL+"/belanja"); resp.Status != 200 {
		t.Fatalf("GET /belanja: %d", resp.Status)
	}
	const firstUnit = `table[data-testid="spend-units"] tbody tr:first-child`
	unitName := payText(t, ctx, firstUnit+` a[data-testid="unit-page"]`)
	rowValue := payText(t, ctx, firstUnit+` td:nth-child(2)`)
	if resp := click(t, ctx, firstUnit+` a[data-testid="unit-page"]`); resp.Status != 200 || !strings.HasPrefix(pathOf(t, resp.URL), "/belanja/unit/") {
		t.Fatalf("the unit's link: %d %s", resp.Status, resp.URL)
	}
	unitURL := run(t, ctx, "read the address", chromedp.Evaluate[string](`location.href`))
	if got := payText(t, ctx, `h1[data-testid="unit-name"]`); got != unitName {
		t.Errorf("the page is of %q, the link was %q", got, unitName)
	}
	value := payText(t, ctx, `[data-testid="unit-value"]`)
	if value != rowValue {
		t.Errorf("the page shows %s, the unit's row on /belanja %s", value, rowValue)
	}

	// The months add up to the value shown.
	months := run(t, ctx, "read the months", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('table[data-testid="unit-months"] td[data-testid="month-value"]')).map(td => td.textContent.trim())`))
	if len(months) < 12 {
		t.Fatalf("%d months shown", len(months))
	}
	var sum int64
	for _, m := range months {
		sum += rupiah(t, m)
	}
	if sum != rupiah(t, value) || sum == 0 {
		t.Errorf("the months add up to %d, the unit's value is %s", sum, value)
	}
	if n := payCount(t, ctx, `table[data-testid="unit-months"] meter`); n != len(months) {
		t.Errorf("%d bars for %d months", n, len(months))
	}
	noneShown(t, ctx, "the unit page", people)

	// At a phone's width nothing sticks out and the lists do not scroll sideways.
	run(t, ctx, "set a phone's viewport", chromedp.EmulateViewport(360, 740))
	navigate(t, ctx, unitURL)
	if w := run(t, ctx, "measure the unit page", chromedp.Evaluate[[]int](widthsJS)); w[0] > w[1]+1 {
		t.Errorf("the unit page is %d px wide in a %d px window: %q", w[0], w[1],
			run(t, ctx, "find what sticks out", chromedp.Evaluate[[]string](sticksOutJS)))
	}
	if wide := run(t, ctx, "measure the unit page's lists", chromedp.Evaluate[[]string](stackScrollsJS)); len(wide) > 0 {
		t.Errorf("the unit page's lists %q scroll sideways on a phone", wide)
	}
	run(t, ctx, "set a desktop viewport", chromedp.EmulateViewport(1280, 900))
	navigate(t, ctx, unitURL)

	// The largest seller's orders: that seller and that unit only.
	const topSeller = `table[data-testid="unit-sellers"] tbody tr:first-child a[data-testid="seller-orders"]`
	seller := payText(t, ctx, topSeller)
	if resp := click(t, ctx, topSeller); resp.Status != 200 || pathOf(t, resp.URL) != "/belanja/pesanan" {
		t.Fatalf("the seller's link: %d %s", resp.Status, resp.URL)
	}
	rows := run(t, ctx, "read the seller's orders", chromedp.Evaluate[[][]string](
		`Array.from(document.querySelectorAll('table[data-testid="public-orders"] tbody tr')).map(tr => [tr.children[2].textContent.trim(), tr.children[3].textContent.trim()])`))
	if len(rows) == 0 {
		t.Fatalf("no orders of %s for %s", seller, unitName)
	}
	for _, r := range rows {
		if r[0] != unitName || r[1] != seller {
			t.Errorf("the orders of %s for %s list one of %s from %s", seller, unitName, r[0], r[1])
		}
	}
	noneShown(t, ctx, "the seller's orders", people)
}

// rupiah reads an amount as the pages show it ("Rp1.250.000").
func rupiah(t *testing.T, s string) int64 {
	t.Helper()
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || !strings.HasPrefix(s, "Rp") {
		t.Fatalf("not an amount: %q", s)
	}
	return v
}

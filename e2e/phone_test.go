package e2e

import (
	"context"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// Scripts for TestBrowserFitsAPhone: the page's width against the window's, the elements
// sticking out (outside a table's own scroller), and the links to follow from the page.
const (
	widthsJS    = `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`
	sticksOutJS = `[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-wrap') &&
		((e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).display != 'inline') ||
		 e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)).slice(-3).
		map(e => e.tagName.toLowerCase() + ': ' + (e.textContent || '').trim().slice(0, 60))`
	// List tables (class stack) show each row as a block on a phone: they must not scroll.
	stackScrollsJS = `[...document.querySelectorAll('table.stack')].filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1).map(t => t.dataset.testid)`
	// The pages a page links to, without downloads (a link to a part of a page, #…, is that page).
	pageLinksJS = `[...document.querySelectorAll('main a[href^="/"]')].map(a => a.getAttribute('href').split('#')[0]).
		filter(h => !/\.(pdf|xlsx|csv|json|png|jpe?g|webp)(\?|$)/.test(h) && !/\/(berkas|unduh|foto)/.test(h))`
)

// samePage maps paths that show the same page for another object to one key.
var samePage = regexp.MustCompile(`\d+`)

// TestBrowserFitsAPhone opens, at a 360-pixel-wide phone's size, every page of each demo
// role's navigation and the first pages of each kind linked from them (an order, a product, a
// user, …), and the public pages signed out: none may scroll sideways (wide tables scroll
// inside their own box, and the lists that matter most on a phone, such as orders and
// products, not even there).
func TestBrowserFitsAPhone(t *testing.T) {
	chromium := needBrowser(t)
	site := startSite(t)
	browser := startBrowser(t, chromium)

	crawl := func(t *testing.T, ctx context.Context, start []string) {
		t.Helper()
		run(t, ctx, "set a phone's viewport", chromedp.EmulateViewport(360, 740))
		seen := map[string]bool{}
		queue := start
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			kind := samePage.ReplaceAllString(p, "N")
			if seen[kind] {
				continue
			}
			seen[kind] = true
			if resp := navigate(t, ctx, site.URL+p); resp.Status != 200 {
				continue // the navigation tests own status codes
			}
			if w := run(t, ctx, "measure "+p, chromedp.Evaluate[[]int](widthsJS)); w[0] > w[1]+1 {
				t.Errorf("%s is %d px wide in a %d px window: %q", p, w[0], w[1],
					run(t, ctx, "find what sticks out", chromedp.Evaluate[[]string](sticksOutJS)))
			}
			if wide := run(t, ctx, "measure the lists of "+p, chromedp.Evaluate[[]string](stackScrollsJS)); len(wide) > 0 {
				t.Errorf("%s: lists %q scroll sideways on a phone", p, wide)
			}
			if len(seen) < 15 {
				queue = append(queue, run(t, ctx, "read the links of "+p, chromedp.Evaluate[[]string](pageLinksJS))...)
			}
		}
	}

	for _, l := range site.Demo.Logins {
		t.Run(string(l.Role), func(t *testing.T) {
			ctx := newTab(t, browser)
			login(t, ctx, site.URL, l.Email, l.Password)
			crawl(t, ctx, run(t, ctx, "read the navigation", chromedp.Evaluate[[]string](navHrefsJS)))
		})
	}
	t.Run("public", func(t *testing.T) {
		crawl(t, newTab(t, browser), []string{"/", "/katalog", "/log"})
	})
}

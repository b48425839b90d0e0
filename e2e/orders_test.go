package e2e

import (
	"context"
	"fmt"
	"image/color"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bela/internal/market"
)

// Selectors of the ordering pages.
const (
	addToCartForm  = `form[data-testid="add-to-cart"]`
	toCheckout     = `a[data-testid="to-checkout"]`
	placeOrder     = `button[data-testid="place-order"]`
	cartUpdate     = `form[action="/keranjang/ubah"] button:not([name])`
	justifications = `textarea[data-testid="justification"]`
)

// setField sets the value of the first element matching sel.
func setField(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	run(t, ctx, "fill "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// selectByText chooses the option of a select whose text contains text.
func selectByText(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); const o = Array.from(s.options).find(o => o.textContent.includes(%q));
		if (!o) return false; s.value = o.value; return true; })()`, sel, text)
	if !run(t, ctx, "choose "+text+" in "+sel, chromedp.Evaluate[bool](js)) {
		t.Fatalf("%s has no option with %q", sel, text)
	}
}

// rulesShown returns the rule results on the page as "code/severity: explanation".
func rulesShown(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return run(t, ctx, "read the rules", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('li[data-rule]')).map(li => li.dataset.rule + "/" + li.dataset.severity + ": " + li.textContent.trim())`))
}

func hasRule(rules []string, code, severity string) bool {
	for _, r := range rules {
		if strings.HasPrefix(r, code+"/"+severity+": ") && len(r) > len(code)+len(severity)+40 {
			return true
		}
	}
	return false
}

// TestBrowserPurchase is issue 4's acceptance walk in Chromium: a Pejabat Pengadaan finds a
// product in the catalogue, puts it in the cart and checks out; the cap blocks the first
// attempt and the page explains why; the price-reference warning (the demo listing repriced far
// above its category) asks for a written justification; then the PPK approves and the Surat
// Pesanan number appears, the seller accepts and ships, and the receiver signs a partial and
// then a full BAST, after which the order is received.
func TestBrowserPurchase(t *testing.T) {
	chromium := needBrowser(t)
	site := startSite(t)
	browser := startBrowser(t, chromium)
	premium := site.Demo.PremiumProduct
	if premium.ID == 0 {
		t.Fatal("the demo data has no repriced listing")
	}
	logins := map[market.Role]string{}
	names := map[market.Role]string{}
	for _, l := range site.Demo.Logins {
		logins[l.Role], names[l.Role] = l.Email, l.Name
	}
	password := site.Demo.Logins[0].Password
	wib := time.FixedZone("WIB", 7*3600)
	neededBy := time.Now().In(wib).AddDate(0, 0, 7).Format("2006-01-02")

	// The buyer finds the product with the catalogue's name filter.
	buyer := newTab(t, browser)
	login(t, buyer, site.URL, logins[market.RoleBuyer], password)
	navigate(t, buyer, site.URL+"/katalog?q="+url.QueryEscape(premium.Name))
	link := fmt.Sprintf(`a[href="/katalog/produk/%d"]`, premium.ID)
	if resp := click(t, buyer, link); resp.Status != 200 {
		t.Fatalf("product page: status %d", resp.Status)
	}
	priceText := run(t, buyer, "read the price", chromedp.Text(chromedp.CSS(`[data-testid="price"]`)))
	price, err := strconv.ParseInt(strings.NewReplacer("Rp", "", ".", "").Replace(strings.TrimSpace(priceText)), 10, 64)
	if err != nil || price <= 0 {
		t.Fatalf("price %q: %v", priceText, err)
	}
	// Enough to pass the Rp50 juta cap.
	setField(t, buyer, addToCartForm+` input[name="quantity"]`, strconv.FormatInt(50_000_000/price+1, 10))
	if resp := click(t, buyer, addToCartForm+` button[type="submit"]`); resp.Status != 200 || pathOf(t, resp.URL) != "/keranjang" {
		t.Fatalf("add to cart ended at %s with %d", resp.URL, resp.Status)
	}

	checkoutForm := func() { fillCheckout(t, buyer, names, neededBy, "Kertas untuk ujian semester") }
	checkoutForm()
	resp := click(t, buyer, placeOrder)
	if resp.Status != 422 {
		t.Fatalf("checkout over the cap: status %d, want 422", resp.Status)
	}
	rules := rulesShown(t, buyer)
	if !hasRule(rules, market.RuleCap, "block") {
		t.Fatalf("no explained cap block among %q", rules)
	}
	if got := run(t, buyer, "read the address", chromedp.Value(chromedp.CSS("#address"))); got != "Jl. Pandu No. 2, Medan Kota" {
		t.Errorf("the blocked form lost the address: %q", got)
	}

	// Five units: within the cap, but the price is far above the category's reference.
	navigate(t, buyer, site.URL+"/keranjang")
	setField(t, buyer, fmt.Sprintf(`input[name="q_%d"]`, premium.ID), "5")
	click(t, buyer, cartUpdate)
	checkoutForm()
	resp = click(t, buyer, placeOrder)
	if resp.Status != 422 {
		t.Fatalf("checkout with a warning: status %d, want 422", resp.Status)
	}
	rules = rulesShown(t, buyer)
	if !hasRule(rules, market.RulePrice, "warning") {
		t.Fatalf("no explained price warning among %q", rules)
	}
	for _, r := range rules {
		if strings.Contains(r, "/block: ") {
			t.Fatalf("a block remains: %s", r)
		}
	}
	n := run(t, buyer, "count justification fields", chromedp.Evaluate[int](`document.querySelectorAll('`+justifications+`').length`))
	if n == 0 {
		t.Fatal("no justification field for the warning")
	}
	run(t, buyer, "write the justifications", chromedp.Evaluate[bool](`(() => { document.querySelectorAll('`+justifications+`').forEach(t =>
		t.value = "Kertas arsip bebas asam untuk ijazah; spesifikasi lebih tinggi dari kertas biasa."); return true; })()`))
	for range 3 { // the page may show the results once more to confirm
		resp = click(t, buyer, placeOrder)
		if strings.HasPrefix(pathOf(t, resp.URL), "/pesanan/") {
			break
		}
		if resp.Status != 200 {
			t.Fatalf("justified checkout: status %d at %s; rules %q", resp.Status, resp.URL, rulesShown(t, buyer))
		}
	}
	orderPath := pathOf(t, resp.URL)
	if !strings.HasPrefix(orderPath, "/pesanan/") {
		t.Fatalf("checkout ended at %s", resp.URL)
	}
	if got := run(t, buyer, "read the justification", chromedp.Text(chromedp.CSS(`[data-testid="justification"]`))); !strings.Contains(got, "bebas asam") {
		t.Errorf("the order page does not show the justification: %q", got)
	}
	state := func(ctx context.Context) string {
		t.Helper()
		return run(t, ctx, "read the state", chromedp.AttributeValue(chromedp.CSS(`[data-testid="state"]`), "data-state")).Value
	}
	if s := state(buyer); s != string(market.StateAwaitingApproval) {
		t.Fatalf("after checkout: %s", s)
	}

	// The PPK approves; the Surat Pesanan gets its number.
	ppk := newTab(t, browser)
	login(t, ppk, site.URL, logins[market.RoleApprover], password)
	navigate(t, ppk, site.URL+orderPath)
	click(t, ppk, `button[data-testid="approve"]`)
	sp := run(t, ppk, "read the SP number", chromedp.Text(chromedp.CSS(`[data-testid="sp-number"]`)))
	if !strings.HasPrefix(sp, "SP/") {
		t.Fatalf("Surat Pesanan number %q", sp)
	}

	// The seller accepts and ships.
	seller := newTab(t, browser)
	login(t, seller, site.URL, logins[market.RoleSellerOwner], password)
	navigate(t, seller, site.URL+orderPath)
	click(t, seller, `button[data-testid="accept"]`)
	if s := state(seller); s != string(market.StateAccepted) {
		t.Fatalf("after acceptance: %s", s)
	}
	setField(t, seller, "#delivery_note", "SJ/E2E/001")
	setField(t, seller, "#courier", "JNE")
	click(t, seller, `button[data-testid="ship"]`)
	if s := state(seller); s != string(market.StateShipped) {
		t.Fatalf("after shipment: %s", s)
	}

	// The receiver signs a partial BAST, then a full one.
	recv := newTab(t, browser)
	login(t, recv, site.URL, logins[market.RoleReceiver], password)
	navigate(t, recv, site.URL+orderPath)
	qty := `form[data-testid="receive-form"] input[name^="q_"]`
	setField(t, recv, qty, "2")
	click(t, recv, `button[data-testid="receive"]`)
	if s := state(recv); s != string(market.StatePartiallyReceived) {
		t.Fatalf("after the partial BAST: %s", s)
	}
	setField(t, recv, qty, "3")
	// The full BAST carries a photo of the goods, as a phone's file picker would hand it over.
	photo := filepath.Join(t.TempDir(), "barang-diterima.png")
	if err := os.WriteFile(photo, pngImage(t, 800, 600, color.RGBA{30, 90, 160, 255}), 0o600); err != nil {
		t.Fatal(err)
	}
	upload(t, recv, `#receive-photos`, photo)
	click(t, recv, `button[data-testid="receive"]`)
	if s := state(recv); s != string(market.StateReceived) {
		t.Fatalf("after the full BAST: %s", s)
	}
	// The photo shows on the order page: the browser fetched and decoded it.
	pollImages(t, recv, `[data-testid="receipt-photo"] img`, 1)
	basts := run(t, recv, "count BASTs", chromedp.Evaluate[int](`document.querySelectorAll('[data-bast]').length`))
	if basts != 2 {
		t.Errorf("%d BASTs on the order page, want 2", basts)
	}
	events := run(t, recv, "read the timeline", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid="timeline"] li')).map(li => li.dataset.action)`))
	want := []string{"checkout", "approve", "accept", "ship", "receive", "receive"}
	if strings.Join(events, ",") != strings.Join(want, ",") {
		t.Errorf("timeline %q, want %q", events, want)
	}
}

// fillCheckout opens the checkout page from the cart page the buyer is on and fills it in: the
// unit's first budget line, the PPK and the receiver named in names, an address, the needed-by
// date and notes.
func fillCheckout(t *testing.T, buyer context.Context, names map[market.Role]string, neededBy, notes string) {
	t.Helper()
	if resp := click(t, buyer, toCheckout); resp.Status != 200 {
		t.Fatalf("checkout page: %d", resp.Status)
	}
	run(t, buyer, "choose a budget line", chromedp.Evaluate[bool](
		`(() => { const s = document.querySelector('#budget_line_id'); if (s.options.length < 2) return false; s.selectedIndex = 1; return true; })()`))
	selectByText(t, buyer, "#ppk_id", names[market.RoleApprover])
	selectByText(t, buyer, "#receiver_id", names[market.RoleReceiver])
	setField(t, buyer, "#address", "Jl. Pandu No. 2, Medan Kota")
	setField(t, buyer, "#needed_by", neededBy)
	setField(t, buyer, "#notes", notes)
}

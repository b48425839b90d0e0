package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bela/internal/market"
)

// TestBrowserDeclaredRelation walks a declared relation through the real pages: a Pejabat
// Pengadaan declares on their account page that they are related to a seller; checking out
// that seller's product is then blocked with the conflict-of-interest explanation; a platform
// admin ends the relation on the admin list, and the same checkout goes through.
func TestBrowserDeclaredRelation(t *testing.T) {
	chromium := needBrowser(t)
	site := startSite(t)
	browser := startBrowser(t, chromium)
	product := site.Demo.PremiumProduct
	if product.ID == 0 {
		t.Fatal("the demo data has no showcase product")
	}
	seller, err := site.Store.GetSeller(context.Background(), product.SellerID)
	if err != nil {
		t.Fatalf("the product's seller: %v", err)
	}
	logins := map[market.Role]string{}
	names := map[market.Role]string{}
	for _, l := range site.Demo.Logins {
		logins[l.Role], names[l.Role] = l.Email, l.Name
	}
	password := site.Demo.Logins[0].Password
	neededBy := time.Now().In(time.FixedZone("WIB", 7*3600)).AddDate(0, 0, 7).Format("2006-01-02")
	const relation = "Adik kandung pemilik usaha"

	// The buyer declares the relation on their account page, picking the seller from the list.
	buyer := newTab(t, browser)
	login(t, buyer, site.URL, logins[market.RoleBuyer], password)
	if resp := navigate(t, buyer, site.URL+"/akun"); resp.Status != 200 {
		t.Fatalf("account page: %d", resp.Status)
	}
	prefix := seller.Name + " — " + seller.Kecamatan
	label := run(t, buyer, "find the seller in the list", chromedp.Evaluate[string](fmt.Sprintf(
		`(Array.from(document.querySelectorAll('#rel-sellers option')).map(o => o.value).find(v => v.startsWith(%q)) || "")`, prefix)))
	if label == "" {
		t.Fatalf("the seller list has no %q", prefix)
	}
	// First without a description: the form comes back with the error and the seller kept.
	setField(t, buyer, "#rel-seller", label)
	run(t, buyer, "drop the required attribute", chromedp.Evaluate[bool](`document.querySelector('#rel-relation').required = false`))
	if resp := click(t, buyer, `button[data-testid="relation-submit"]`); resp.Status != 422 {
		t.Fatalf("declaration without a description: status %d, want 422", resp.Status)
	}
	if got := run(t, buyer, "read the errors", chromedp.Text(chromedp.CSS(`form[data-testid="relation-form"]`))); !strings.Contains(got, "Jelaskan hubungan dengan penyedia") {
		t.Errorf("no error for the missing description in %q", got)
	}
	if got := run(t, buyer, "read the seller", chromedp.Value(chromedp.CSS("#rel-seller"))); got != label {
		t.Errorf("the form lost the seller: %q", got)
	}
	setField(t, buyer, "#rel-relation", relation)
	resp := click(t, buyer, `button[data-testid="relation-submit"]`)
	if resp.Status != 200 || pathOf(t, resp.URL) != "/akun" {
		t.Fatalf("declaration ended at %s with %d", resp.URL, resp.Status)
	}
	if got := run(t, buyer, "read the flash", chromedp.Text(chromedp.CSS(`p.flash`))); !strings.Contains(got, "tercatat") {
		t.Errorf("flash %q", got)
	}
	rows := run(t, buyer, "read own relations", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('table[data-testid="relations"] tr[data-relation]')).map(tr => tr.dataset.relation + "|" + tr.dataset.active + "|" + tr.textContent)`))
	if len(rows) != 1 || !strings.Contains(rows[0], "|true|") || !strings.Contains(rows[0], relation) || !strings.Contains(rows[0], seller.Name) {
		t.Fatalf("own relations %q", rows)
	}
	relationID, _, _ := strings.Cut(rows[0], "|")

	// The buyer puts the seller's product in the cart and checks out: blocked, and told why.
	navigate(t, buyer, fmt.Sprintf("%s/katalog/produk/%d", site.URL, product.ID))
	setField(t, buyer, addToCartForm+` input[name="quantity"]`, "1")
	if resp := click(t, buyer, addToCartForm+` button[type="submit"]`); resp.Status != 200 || pathOf(t, resp.URL) != "/keranjang" {
		t.Fatalf("add to cart ended at %s with %d", resp.URL, resp.Status)
	}
	checkoutForm := func() {
		t.Helper()
		navigate(t, buyer, site.URL+"/keranjang")
		fillCheckout(t, buyer, names, neededBy, "Untuk ruang rapat")
	}
	checkoutForm()
	if resp := click(t, buyer, placeOrder); resp.Status != 422 {
		t.Fatalf("checkout with a declared relation: status %d, want 422", resp.Status)
	}
	rules := rulesShown(t, buyer)
	if !hasRule(rules, market.RuleConflict, "block") {
		t.Fatalf("no explained conflict-of-interest block among %q", rules)
	}
	for _, r := range rules {
		if strings.HasPrefix(r, market.RuleConflict+"/") && (!strings.Contains(r, "benturan kepentingan") || !strings.Contains(r, seller.Name)) {
			t.Errorf("the conflict is not explained: %q", r)
		}
	}

	// The admin finds the relation on the admin list, linked from the navigation, and ends it.
	admin := newTab(t, browser)
	login(t, admin, site.URL, logins[market.RoleAdmin], password)
	nav := run(t, admin, "read the navigation", chromedp.Evaluate[[]string](navHrefsJS))
	if !slices.Contains(nav, "/admin/hubungan-penyedia") {
		t.Fatalf("the admin's navigation %q lacks the relations list", nav)
	}
	if resp := click(t, admin, `nav.main a[href="/admin/hubungan-penyedia"]`); resp.Status != 200 {
		t.Fatalf("relations list: %d", resp.Status)
	}
	row := fmt.Sprintf(`tr[data-relation="%s"]`, relationID)
	if got := run(t, admin, "read the relation", chromedp.Text(chromedp.CSS(row))); !strings.Contains(got, relation) || !strings.Contains(got, names[market.RoleBuyer]) {
		t.Fatalf("the admin list shows %q", got)
	}
	resp = click(t, admin, row+` button[data-testid="end-relation"]`)
	if resp.Status != 200 || pathOf(t, resp.URL) != "/admin/hubungan-penyedia" {
		t.Fatalf("ending ended at %s with %d", resp.URL, resp.Status)
	}
	if got := run(t, admin, "read the state", chromedp.AttributeValue(chromedp.CSS(row), "data-active")); got.Value != "false" {
		t.Errorf("after ending, data-active = %q", got.Value)
	}

	// The same checkout now goes through (with a justification if the page asks for one).
	checkoutForm()
	for range 3 {
		resp = click(t, buyer, placeOrder)
		if strings.HasPrefix(pathOf(t, resp.URL), "/pesanan/") {
			break
		}
		rules := rulesShown(t, buyer)
		if resp.Status != 422 && resp.Status != 200 {
			t.Fatalf("checkout after the end: status %d; rules %q", resp.Status, rules)
		}
		for _, r := range rules {
			if strings.Contains(r, "/block: ") {
				t.Fatalf("still blocked after the relation ended: %s", r)
			}
		}
		run(t, buyer, "write the justifications", chromedp.Evaluate[bool](`(() => { document.querySelectorAll('`+justifications+`').forEach(t =>
			t.value = "Spesifikasi khusus untuk ruang rapat pimpinan."); return true; })()`))
	}
	if p := pathOf(t, resp.URL); !strings.HasPrefix(p, "/pesanan/") {
		t.Fatalf("checkout after the end ended at %s", resp.URL)
	}
}

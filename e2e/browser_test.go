package e2e

import (
	"bytes"
	"context"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"bela/internal/market"
)

// What the navigation must show. The expectations are written out here, not taken from the
// web package, so that the test checks the server against the design rather than itself. They
// name only the links whose audience is part of the design; a feature that adds a link for some
// roles does not break them, but every link shown must open for the user (see TestBrowser).
var (
	// Users with one of these roles manage users: the navigation links /pengguna.
	userManagerRoles = []market.Role{market.RoleAdmin, market.RoleUnitAdmin, market.RoleSellerOwner}
	// Users with one of these roles read the audit trail: the navigation links /audit.
	auditRoles = []market.Role{market.RoleAuditor, market.RoleAdmin}
	// Curators decide; admins and auditors may read the curation queues.
	curationRoles = []market.Role{market.RoleCurator, market.RoleAdmin, market.RoleAuditor}
	// A seller's own people.
	sellerRoles = []market.Role{market.RoleSellerOwner, market.RoleSellerStaff}
)

// gatedLinks are the navigation links (and pages) for some roles only: a user holding one of
// roles must see the link and open the page; any other user must not see the link and gets 403.
var gatedLinks = []struct {
	path  string
	roles []market.Role
}{
	{"/pengguna", userManagerRoles},
	{"/audit", auditRoles},
	{"/kurasi", curationRoles},
	{"/kurasi/produk", curationRoles},
	{"/usaha", sellerRoles},
	{"/produk", sellerRoles},
}

// everyoneLinks are in the navigation of every signed-in user.
var everyoneLinks = []string{"/beranda", "/kotak-masuk", "/katalog", "/akun"}

func hasAny(have, want []market.Role) bool {
	for _, r := range want {
		if slices.Contains(have, r) {
			return true
		}
	}
	return false
}

// Selectors of the pages under test.
const (
	loginEmail    = "#email"
	loginPassword = "#password"
	loginSubmit   = `form[action="/masuk"] button[type=submit]`
	logoutButton  = `nav.main form[action="/keluar"] button`
	loginLink     = `nav.main a[href="/masuk"]`
	langButton    = `form[action="/bahasa"] button`
	rolesTable    = `table[data-testid="roles"]`
)

// Scripts that read the page.
const (
	navHrefsJS   = `Array.from(document.querySelectorAll("nav.main a")).map(a => a.getAttribute("href"))`
	navLabelsJS  = `Array.from(document.querySelectorAll("nav.main a")).map(a => a.firstChild.textContent.trim())`
	rolesShownJS = `Array.from(document.querySelectorAll('table[data-testid="roles"] td[data-role]')).map(td => td.dataset.role)`
	pathJS       = `location.pathname`
)

// run runs one action and fails the test on error.
func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// navigate loads a page and returns the response of its document (after redirects).
func navigate(t *testing.T, ctx context.Context, u string) *network.Response {
	t.Helper()
	return run(t, ctx, "navigate to "+u, chromedp.NavigateResponse(u))
}

// click clicks an element that submits a form and waits for the next page.
func click(t *testing.T, ctx context.Context, sel string) *network.Response {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	return resp
}

// login fills in and submits the real sign-in form.
func login(t *testing.T, ctx context.Context, base, email, password string) *network.Response {
	t.Helper()
	if resp := navigate(t, ctx, base+"/masuk"); resp.Status != 200 {
		t.Fatalf("GET /masuk: status %d", resp.Status)
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(loginEmail)),
		chromedp.SendKeys(chromedp.CSS(loginEmail), email),
		chromedp.SendKeys(chromedp.CSS(loginPassword), password),
	); err != nil {
		t.Fatalf("fill in the login form: %v", err)
	}
	return click(t, ctx, loginSubmit)
}

func pathOf(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("parse %q: %v", rawURL, err)
	}
	return u.Path
}

func TestBrowser(t *testing.T) {
	chromium := needBrowser(t)
	site := startSite(t)
	browser := startBrowser(t, chromium)

	if got, want := len(site.Demo.Logins), len(market.Roles); got != want {
		t.Fatalf("demo data has %d logins, want one per role (%d)", got, want)
	}

	for _, l := range site.Demo.Logins {
		t.Run("role/"+string(l.Role), func(t *testing.T) {
			ctx := newTab(t, browser)

			resp := login(t, ctx, site.URL, l.Email, l.Password)
			if resp.Status != 200 || pathOf(t, resp.URL) != "/beranda" {
				t.Fatalf("login as %s (%s) ended at %s with status %d, want /beranda 200", l.Role, l.Email, resp.URL, resp.Status)
			}
			run(t, ctx, "wait for the roles table", chromedp.WaitVisible(chromedp.CSS(rolesTable)))

			shown := run(t, ctx, "read the roles table", chromedp.Evaluate[[]string](rolesShownJS))
			var roles []market.Role
			for _, r := range shown {
				role, err := market.ParseRole(r)
				if err != nil {
					t.Errorf("roles table shows an unknown role %q", r)
					continue
				}
				roles = append(roles, role)
			}
			if !slices.Contains(roles, l.Role) {
				t.Errorf("roles table shows %q, want it to contain %q", shown, l.Role)
			}

			nav := run(t, ctx, "read the navigation", chromedp.Evaluate[[]string](navHrefsJS))
			if len(nav) == 0 || nav[0] != "/beranda" {
				t.Errorf("navigation for %v = %q, want /beranda first", roles, nav)
			}
			for _, h := range everyoneLinks {
				if !slices.Contains(nav, h) {
					t.Errorf("navigation for %v = %q, want it to link %s", roles, nav, h)
				}
			}
			for _, g := range gatedLinks {
				if want, got := hasAny(roles, g.roles), slices.Contains(nav, g.path); got != want {
					t.Errorf("navigation for %v links %s: %v, want %v (%q)", roles, g.path, got, want, nav)
				}
			}
			seen := map[string]bool{}
			for _, h := range nav {
				if seen[h] {
					t.Errorf("navigation for %v links %s twice", roles, h)
				}
				seen[h] = true
			}
			if n := run(t, ctx, "count logout buttons", chromedp.Evaluate[int](`document.querySelectorAll('`+logoutButton+`').length`)); n != 1 {
				t.Errorf("%d logout buttons in the navigation, want 1", n)
			}

			// Every link of the navigation opens for this user: no link to a page the role
			// cannot open.
			for _, h := range nav {
				if resp := navigate(t, ctx, site.URL+h); resp.Status != 200 {
					t.Errorf("navigation link %s as %s: status %d at %s, want 200", h, l.Role, resp.Status, resp.URL)
				}
			}
			// The pages behind the role-dependent links answer as the navigation promises.
			for _, g := range gatedLinks {
				want := int64(403)
				if hasAny(roles, g.roles) {
					want = 200
				}
				if resp := navigate(t, ctx, site.URL+g.path); resp.Status != want {
					t.Errorf("GET %s as %s: status %d, want %d", g.path, l.Role, resp.Status, want)
				}
			}

			navigate(t, ctx, site.URL+"/beranda")
			resp = click(t, ctx, logoutButton)
			if resp.Status != 200 {
				t.Errorf("logout ended at %s with status %d", resp.URL, resp.Status)
			}
			run(t, ctx, "wait for the login link after logout", chromedp.WaitVisible(chromedp.CSS(loginLink)))
			if n := run(t, ctx, "count logout buttons", chromedp.Evaluate[int](`document.querySelectorAll('`+logoutButton+`').length`)); n != 0 {
				t.Errorf("still %d logout buttons after logout", n)
			}
			// The session is gone: the dashboard sends the visitor to sign in.
			resp = navigate(t, ctx, site.URL+"/beranda")
			if got := pathOf(t, resp.URL); got != "/masuk" {
				t.Errorf("GET /beranda after logout ended at %s, want /masuk", resp.URL)
			}
		})
	}

	t.Run("wrong password", func(t *testing.T) {
		ctx := newTab(t, browser)
		l, _ := site.Demo.LoginFor(market.RoleBuyer)
		resp := login(t, ctx, site.URL, l.Email, "bukan-kata-sandinya")
		if resp.Status != 401 || pathOf(t, resp.URL) != "/masuk" {
			t.Errorf("wrong password ended at %s with status %d, want /masuk 401", resp.URL, resp.Status)
		}
		msg := run(t, ctx, "read the error", chromedp.Text(chromedp.CSS(`[role="alert"]`)))
		if msg == "" {
			t.Errorf("no error message on the login page")
		}
		if got := run(t, ctx, "read the e-mail field", chromedp.Value(chromedp.CSS(loginEmail))); got != l.Email {
			t.Errorf("e-mail field = %q after a wrong password, want the typed %q", got, l.Email)
		}
		if got := run(t, ctx, "read the password field", chromedp.Value(chromedp.CSS(loginPassword))); got != "" {
			t.Errorf("password field is filled in again after a wrong password")
		}
		if n := run(t, ctx, "count login links", chromedp.Evaluate[int](`document.querySelectorAll('`+loginLink+`').length`)); n != 1 {
			t.Errorf("not signed out after a wrong password: %d login links", n)
		}
	})

	t.Run("language switch", func(t *testing.T) {
		ctx := newTab(t, browser)
		l, _ := site.Demo.LoginFor(market.RoleAdmin)
		if resp := login(t, ctx, site.URL, l.Email, l.Password); resp.Status != 200 {
			t.Fatalf("login as admin: status %d", resp.Status)
		}
		// A few labels of the admin's navigation in each language (the full list grows with
		// features); the links themselves stay the same.
		wantID := []string{"Beranda", "Kotak masuk", "Pengguna", "Jejak audit", "Akun"}
		wantEN := []string{"Home", "Inbox", "Users", "Audit trail", "Account"}
		hrefs := run(t, ctx, "read the navigation", chromedp.Evaluate[[]string](navHrefsJS))
		check := func(lang string, labels []string, logout string) {
			t.Helper()
			if got := run(t, ctx, "read html lang", chromedp.Evaluate[string](`document.documentElement.lang`)); got != lang {
				t.Errorf("html lang = %q, want %q", got, lang)
			}
			got := run(t, ctx, "read the navigation labels", chromedp.Evaluate[[]string](navLabelsJS))
			for _, want := range labels {
				if !slices.Contains(got, want) {
					t.Errorf("navigation labels = %q, want them to contain %q", got, want)
				}
			}
			// No label of the other language is left.
			other := wantEN
			if lang == "en" {
				other = wantID
			}
			for _, stale := range other {
				if slices.Contains(got, stale) {
					t.Errorf("navigation labels in %s = %q, still contain %q", lang, got, stale)
				}
			}
			if h := run(t, ctx, "read the navigation", chromedp.Evaluate[[]string](navHrefsJS)); !slices.Equal(h, hrefs) {
				t.Errorf("navigation links in %s = %q, want the same links %q", lang, h, hrefs)
			}
			if got := run(t, ctx, "read the logout button", chromedp.Text(chromedp.CSS(logoutButton))); got != logout {
				t.Errorf("logout button = %q, want %q", got, logout)
			}
		}
		check("id", wantID, "Keluar")

		resp := click(t, ctx, langButton)
		if resp.Status != 200 || pathOf(t, resp.URL) != "/beranda" {
			t.Errorf("language switch ended at %s with status %d, want /beranda 200", resp.URL, resp.Status)
		}
		check("en", wantEN, "Sign out")
		// The choice sticks on the next page.
		navigate(t, ctx, site.URL+"/akun")
		check("en", wantEN, "Sign out")

		click(t, ctx, langButton)
		check("id", wantID, "Keluar")
	})

	t.Run("screenshot", func(t *testing.T) {
		ctx := newTab(t, browser)
		l, _ := site.Demo.LoginFor(market.RoleBuyer)
		login(t, ctx, site.URL, l.Email, l.Password)
		run(t, ctx, "wait for the roles table", chromedp.WaitVisible(chromedp.CSS(rolesTable)))
		if p := run(t, ctx, "read the path", chromedp.Evaluate[string](pathJS)); p != "/beranda" {
			t.Fatalf("at %s, want /beranda", p)
		}
		shot := run(t, ctx, "screenshot", chromedp.CaptureScreenshot())
		img, err := png.Decode(bytes.NewReader(shot))
		if err != nil {
			t.Fatalf("screenshot is not a PNG: %v", err)
		}
		if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
			t.Errorf("screenshot is %v, want a whole page", b)
		}
		dir := t.TempDir()
		if d := os.Getenv("BELA_E2E_SCREENSHOTS"); d != "" {
			dir = d // keep it for a person to look at
		}
		file := filepath.Join(dir, "beranda.png")
		if err := os.WriteFile(file, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(file); err != nil || fi.Size() == 0 {
			t.Fatalf("screenshot %s is empty (%v)", file, err)
		}
		t.Logf("screenshot of /beranda: %s (%d bytes, %v)", file, len(shot), img.Bounds().Size())
	})
}

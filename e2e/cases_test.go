package e2e

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bela/internal/market"
)

// TestBrowserAuditCase is the APIP's walk in Chromium: the demo auditor opens "Pemeriksaan",
// filters the red-flag queue by the split-purchase flag, opens a case on a listed order with a
// title and a note, adds a note, and closes the case as an administrative finding; the list of
// cases shows it closed. Signed out, the transparency log and the public order page show none of
// what the auditor typed.
func TestBrowserAuditCase(t *testing.T) {
	chromium := needBrowser(t)
	site := startSite(t)
	browser := startBrowser(t, chromium)
	l, ok := site.Demo.LoginFor(market.RoleAuditor)
	if !ok {
		t.Fatal("the demo data has no auditor")
	}
	stamp := time.Now().Format("150405.000")
	title := "Uji peramban pemecahan " + stamp
	note := "Catatan awal pemeriksaan " + stamp
	note2 := "Keterangan PPK diterima " + stamp
	closing := "Dokumen survei harga tidak lengkap " + stamp

	ctx := newTab(t, browser)
	if resp := login(t, ctx, site.URL, l.Email, l.Password); resp.Status != 200 {
		t.Fatalf("login as the auditor: status %d", resp.Status)
	}
	if resp := click(t, ctx, `nav.main a[href="/pemeriksaan"]`); resp.Status != 200 || pathOf(t, resp.URL) != "/pemeriksaan" {
		t.Fatalf("Pemeriksaan ended at %s with %d", resp.URL, resp.Status)
	}
	if resp := click(t, ctx, `[data-testid="flag-filter"] a[data-flag="split"]`); resp.Status != 200 || !strings.Contains(resp.URL, "tanda=split") {
		t.Fatalf("the split filter ended at %s with %d", resp.URL, resp.Status)
	}
	rows := run(t, ctx, "read the flagged orders", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('table[data-testid="flagged"] tbody tr')].map(tr => tr.dataset.order + ":" +
			[...tr.querySelectorAll('[data-flag]')].map(s => s.dataset.flag).join(",") + ":" + (tr.querySelector('form[data-testid="open-case"]') ? "form" : "case"))`))
	var order string
	for _, r := range rows {
		parts := strings.Split(r, ":")
		if !strings.Contains(","+parts[1]+",", ",split,") {
			t.Errorf("the split filter lists order %s with flags %s", parts[0], parts[1])
		}
		if parts[2] == "form" && order == "" {
			order = parts[0]
		}
	}
	if order == "" {
		t.Fatalf("no split-flagged order without a case among %q", rows)
	}
	rowSel := fmt.Sprintf(`tr[data-order="%s"]`, order)
	run(t, ctx, "unfold the case form", chromedp.Click(chromedp.CSS(rowSel+` summary`)))
	setField(t, ctx, rowSel+` input[name="title"]`, title)
	setField(t, ctx, rowSel+` textarea[name="note"]`, note)
	resp := click(t, ctx, rowSel+` form[data-testid="open-case"] button[type="submit"]`)
	casePath := pathOf(t, resp.URL)
	if resp.Status != 200 || !strings.HasPrefix(casePath, "/pemeriksaan/kasus/") {
		t.Fatalf("opening the case ended at %s with %d", resp.URL, resp.Status)
	}
	header := run(t, ctx, "read the case", chromedp.Text(chromedp.CSS(`[data-testid="case-header"]`)))
	if !strings.Contains(header, title) || !strings.Contains(header, "#"+order) {
		t.Errorf("the case header lacks its title or order: %q", header)
	}
	if got := run(t, ctx, "read the flags at opening", chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="flags-open"] [data-flag]')].map(s => s.dataset.flag)`)); !slices.Contains(got, "split") {
		t.Errorf("flags at opening %q lack split", got)
	}

	setField(t, ctx, `#note-body`, note2)
	if resp := click(t, ctx, `[data-testid="note-submit"]`); resp.Status != 200 || pathOf(t, resp.URL) != casePath {
		t.Fatalf("adding a note ended at %s with %d", resp.URL, resp.Status)
	}
	notes := run(t, ctx, "read the notes", chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-testid="note-text"]')].map(s => s.textContent)`))
	if len(notes) != 2 || notes[0] != note || notes[1] != note2 {
		t.Errorf("notes = %q", notes)
	}

	selectByText(t, ctx, `#conclusion`, "Temuan administratif")
	setField(t, ctx, `#close-note`, closing)
	if resp := click(t, ctx, `[data-testid="close-submit"]`); resp.Status != 200 || pathOf(t, resp.URL) != casePath {
		t.Fatalf("closing ended at %s with %d", resp.URL, resp.Status)
	}
	if st := run(t, ctx, "read the case state", chromedp.AttributeValue(chromedp.CSS(`h1 [data-testid="case-state"]`), "data-state")); st.Value != "closed" {
		t.Errorf("case state after closing = %q", st.Value)
	}
	if c := run(t, ctx, "read the conclusion", chromedp.Text(chromedp.CSS(`[data-testid="case-conclusion"]`))); c != "Temuan administratif" {
		t.Errorf("conclusion = %q", c)
	}

	navigate(t, ctx, site.URL+"/pemeriksaan/kasus")
	id := strings.TrimPrefix(casePath, "/pemeriksaan/kasus/")
	caseID, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("case path %s", casePath)
	}
	listed := run(t, ctx, "read the case's row", chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { const tr = document.querySelector('tr[data-case="%s"]'); return tr ? tr.dataset.state + "|" + tr.querySelector('[data-testid="case-state"]').textContent : ""; })()`, id)))
	if listed != "closed|Ditutup — Temuan administratif" {
		t.Errorf("the case list shows %q", listed)
	}

	// The leaves the transparency log publishes (the events' canonical bytes) say that a case
	// was opened and closed as an administrative finding, and hold none of the typed texts.
	leaves, err := site.Store.DB().QueryContext(context.Background(), `SELECT canonical FROM audit_events WHERE object_type = 'case' AND object_id = $1 ORDER BY seq`, caseID)
	if err != nil {
		t.Fatal(err)
	}
	var published []string
	for leaves.Next() {
		var b []byte
		if err := leaves.Scan(&b); err != nil {
			t.Fatal(err)
		}
		published = append(published, string(b))
	}
	leaves.Close()
	if len(published) != 3 || !strings.Contains(published[2], `"conclusion":{"after":"administrative"}`) {
		t.Errorf("the case's published events: %q", published)
	}
	for _, leaf := range published {
		for _, text := range []string{title, note, note2, closing, stamp} {
			if strings.Contains(leaf, text) {
				t.Errorf("a published event holds %q: %s", text, leaf)
			}
		}
	}

	// Signed out: the log and the order's public page hold none of the typed texts.
	public := newTab(t, browser)
	for _, p := range []string{"/log", "/belanja/pesanan/" + order} {
		if resp := navigate(t, public, site.URL+p); resp.Status != 200 {
			t.Errorf("%s: status %d", p, resp.Status)
			continue
		}
		html := run(t, public, "read "+p, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
		for _, text := range []string{title, note, note2, closing, stamp} {
			if strings.Contains(html, text) {
				t.Errorf("%s shows %q", p, text)
			}
		}
	}
}

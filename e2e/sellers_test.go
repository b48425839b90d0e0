package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"bela/internal/importer"
	"bela/internal/market"
)

// TestSellerOnboarding is issue 3's "Done when" in Chromium, as a new user would do it: from
// the home page to the sign-up with its privacy notice, the registration of a micro business
// (with one wrong NIK on the way), its documents and the checklist, the submission; one product
// through the form with a photo and 50 more from an XLSX sheet, all submitted; then a curator
// verifies the business and approves the 51 products, which buyers then find in the catalogue.
func TestSellerOnboarding(t *testing.T) {
	chromium := needBrowser(t)
	site := startSite(t)
	browser := startBrowser(t, chromium)
	files := makeUploads(t)

	// The seller's side runs in one tab, the curator's in another (separate cookies).
	seller := longTab(t, browser, 4*time.Minute)
	biz := onboard(t, seller, site.URL, files)
	t.Logf("registered and submitted seller %d", biz.id)
	listProducts(t, seller, site.URL, &biz, files)
	t.Logf("listed and submitted %d products", 1+importRows)

	curator := longTab(t, browser, 4*time.Minute)
	l, ok := site.Demo.LoginFor(market.RoleCurator)
	if !ok {
		t.Fatal("the demo data has no curator")
	}
	if resp := login(t, curator, site.URL, l.Email, l.Password); resp.Status != 200 {
		t.Fatalf("login as the curator: status %d", resp.Status)
	}
	verifySeller(t, curator, biz)
	t.Log("the curator verified the seller")
	approveProducts(t, curator, biz)
	t.Logf("the curator approved %d products", 1+importRows)

	// The products appear as approved: on the seller's dashboard, and in the public catalogue.
	navigate(t, seller, fmt.Sprintf("%s/usaha/%d/produk", site.URL, biz.id))
	if got := statusCount(t, seller, "approved"); got != 1+importRows {
		t.Errorf("seller's dashboard: %d approved products, want %d", got, 1+importRows)
	}
	if got := statusCount(t, seller, "submitted"); got != 0 {
		t.Errorf("seller's dashboard: %d products still submitted", got)
	}
	visitor := newTab(t, browser)
	navigate(t, visitor, site.URL+"/katalog?q="+strings.ReplaceAll(houseBrand, " ", "+"))
	if got := run(t, visitor, "read the catalogue total", chromedp.Text(chromedp.CSS(`[data-testid="total"]`))); got != fmt.Sprintf("%d produk", 1+importRows) {
		t.Errorf("catalogue search %q: %q, want %d products", houseBrand, got, 1+importRows)
	}
	sellers := run(t, visitor, "read the catalogue's sellers", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('[data-testid="catalog"] a[data-product] span.muted')).map(s => s.textContent)`))
	for _, s := range sellers {
		if !strings.HasPrefix(s, biz.name+" · ") {
			t.Errorf("catalogue search %q shows a listing of %q", houseBrand, s)
		}
	}
	// The listing made through the form shows its photo to buyers.
	resp := navigate(t, visitor, fmt.Sprintf("%s/katalog/produk/%d", site.URL, biz.formProduct))
	if resp.Status != 200 {
		t.Fatalf("public page of the form's product: status %d", resp.Status)
	}
	pollImages(t, visitor, `main img`, 1)
}

// The business the new user registers, and what the test learns about it on the way.
type business struct {
	id          int64
	name        string
	formProduct int64 // the listing made through the form
}

// What the new user types. The NIK is structurally valid: Kota Medan, Medan Polonia (12.71.16),
// a woman born on 15 August 1985 (day 15 + 40), serial 0003.
const (
	ownerName  = "Rosmawati Br Sembiring"
	ownerEmail = "rosmawati.sembiring@contoh.example"
	ownerPass  = "pena-cahaya-2026"
	bizName    = "UD Cahaya Pena Polonia"
	bizNIB     = "8120014572036"
	bizNPWP    = "07.654.321.9-122.000" // the legacy format; stored as 16 digits
	bizNPWP16  = "0076543219122000"
	ownerNIK   = "1271165508850003"
	wrongNIK   = "1271163208850003" // day 32 is neither a man's nor a woman's birth day
	houseBrand = "Cahaya Pena"
	importRows = 50
)

// uploads are the files the user picks, written to a temporary directory.
type uploads struct {
	nibPDF, npwpPNG, kswpPDF string
	photo                    string // a product photo, 480 × 360
	sheet                    string // the XLSX with importRows listings
}

func makeUploads(t *testing.T) uploads {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return uploads{
		nibPDF:  write("nib-cahaya-pena.pdf", pdfDocument("Nomor Induk Berusaha "+bizNIB)),
		npwpPNG: write("kartu-npwp.png", pngImage(t, 640, 400, color.RGBA{230, 236, 245, 255})),
		kswpPDF: write("kswp-2026.pdf", pdfDocument("Konfirmasi Status Wajib Pajak: VALID")),
		photo:   write("pulpen-gel.png", pngImage(t, 480, 360, color.RGBA{40, 70, 160, 255})),
		sheet:   write("produk-cahaya-pena.xlsx", importSheet(t)),
	}
}

// pdfDocument writes a small, well-formed one-page PDF showing text.
func pdfDocument(text string) []byte {
	stream := fmt.Sprintf("BT /F1 14 Tf 60 760 Td (%s) Tj ET", text)
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// pngImage draws a w × h PNG: a plain background with a darker band, like a product shot.
func pngImage(t *testing.T, w, h int, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			px := color.RGBA{250, 250, 248, 255}
			if y > h/3 && y < 2*h/3 && x > w/8 && x < 7*w/8 {
				px = c
			}
			img.SetRGBA(x, y, px)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// importSheet fills the seller's XLSX template (as downloaded from the import page) with
// importRows listings in the categories the business's KBLI codes allow.
func importSheet(t *testing.T) []byte {
	t.Helper()
	tree, err := market.NewCategoryTree(market.SeedCategories())
	if err != nil {
		t.Fatal(err)
	}
	var tmpl bytes.Buffer
	if err := importer.Template(&tmpl, tree); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&tmpl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items := []struct {
		name, category, unit string
		price                int
		variants             []string
	}{
		{"Buku tulis " + houseBrand, "01.01.03", "pak", 42000, []string{"38 lembar isi 10", "58 lembar isi 10", "bergaris 100 lembar", "kotak 58 lembar"}},
		{"Buku agenda " + houseBrand, "01.01.03", "buah", 35000, []string{"hardcover A5", "kulit sintetis A5", "spiral B5"}},
		{"Map kertas " + houseBrand, "01.01.02", "pak", 36000, []string{"biru isi 50", "merah isi 50", "kuning isi 50", "hijau isi 50"}},
		{"Amplop " + houseBrand, "01.01.02", "box", 31000, []string{"putih ukuran 90", "putih ukuran 104", "cokelat folio"}},
		{"Pulpen gel " + houseBrand, "01.02.01", "box", 38000, []string{"0,5 mm hitam", "0,5 mm biru", "0,7 mm hitam", "0,7 mm merah"}},
		{"Spidol papan tulis " + houseBrand, "01.02.01", "box", 72000, []string{"hitam", "biru", "merah"}},
		{"Pensil 2B " + houseBrand, "01.02.01", "box", 28000, []string{"isi 12", "isi 24"}},
		{"Penggaris " + houseBrand, "01.02.01", "lusin", 30000, []string{"30 cm plastik", "30 cm besi"}},
		{"Klip kertas " + houseBrand, "01.02.02", "box", 9000, []string{"No. 1", "No. 3", "binder 105", "binder 155"}},
		{"Isi staples " + houseBrand, "01.02.02", "box", 27000, []string{"No. 10", "No. 3"}},
		{"Lem kertas " + houseBrand, "01.02.03", "lusin", 30000, []string{"stik 8 g", "stik 15 g", "cair 50 ml"}},
		{"Selotip bening " + houseBrand, "01.02.03", "roll", 6000, []string{"1/2 inci", "1 inci", "2 inci"}},
		{"Lakban " + houseBrand, "01.02.03", "roll", 12000, []string{"cokelat 48 mm", "bening 48 mm", "hitam 48 mm"}},
		{"Kertas HVS " + houseBrand, "01.01.01", "rim", 52000, []string{"A4 70 gsm", "A4 80 gsm", "F4 70 gsm", "F4 80 gsm"}},
		{"Ordner " + houseBrand, "01.01.02", "buah", 24000, []string{"folio 7 cm", "folio 5 cm", "A4 7 cm"}},
		{"Stapler " + houseBrand, "01.02.02", "buah", 18000, []string{"No. 10", "HD-50", "mini"}},
		{"Cairan koreksi " + houseBrand, "01.02.03", "lusin", 42000, []string{"pena", "botol"}},
	}
	row := 2 // row 1 holds the headings; the example row is overwritten
	for i := 0; row < 2+importRows; i++ {
		if i > 100*len(items) {
			t.Fatalf("the items make fewer than %d listings", importRows)
		}
		it := items[i%len(items)]
		v := i / len(items)
		if v >= len(it.variants) {
			continue
		}
		price := it.price + 1000*v
		cells := []any{
			fmt.Sprintf("CP-%03d", row-1), it.name + " " + it.variants[v],
			fmt.Sprintf("%s %s, produksi UMK Medan. Diantar ke kantor di Kota Medan.", it.name, it.variants[v]),
			it.category, it.unit, price, 1, 50 + 10*v, "ya", "", "", "", houseBrand,
			"Varian: " + it.variants[v], price + 3000, "",
		}
		if err := f.SetSheetRow("Produk", fmt.Sprintf("A%d", row), &cells); err != nil {
			t.Fatal(err)
		}
		row++
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// fill types values into the fields (by CSS selector) as a user would, after clearing them.
func fill(t *testing.T, ctx context.Context, fields [][2]string) {
	t.Helper()
	for _, f := range fields {
		clear := fmt.Sprintf(`(e => { e.value = ""; return e.value === "" })(document.querySelector(%q))`, f[0])
		if ok := run(t, ctx, "clear "+f[0], chromedp.Evaluate[bool](clear)); !ok {
			t.Fatalf("could not clear %s", f[0])
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(f[0]), f[1])); err != nil {
			t.Fatalf("type into %s: %v", f[0], err)
		}
	}
}

// choose picks an option of a select element by its value.
func choose(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value)); err != nil {
		t.Fatalf("choose %q in %s: %v", value, sel, err)
	}
	if got := run(t, ctx, "read "+sel, chromedp.Value(chromedp.CSS(sel))); got != value {
		t.Fatalf("%s has no option %q (value is %q)", sel, value, got)
	}
}

// upload picks a file in a file input.
func upload(t *testing.T, ctx context.Context, sel, file string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{file})); err != nil {
		t.Fatalf("pick %s in %s: %v", file, sel, err)
	}
}

// expectPage fails unless the response is 200 at a path matching re (the query is ignored);
// it returns re's submatches.
func expectPage(t *testing.T, what string, resp *network.Response, re string) []string {
	t.Helper()
	if resp.Status != 200 {
		t.Fatalf("%s: status %d at %s", what, resp.Status, resp.URL)
	}
	m := regexp.MustCompile(`^` + re + `$`).FindStringSubmatch(pathOf(t, resp.URL))
	if m == nil {
		t.Fatalf("%s ended at %s, want a path like %s", what, resp.URL, re)
	}
	return m
}

// flash returns the page's status message, failing when there is none.
func flash(t *testing.T, ctx context.Context, what string) string {
	t.Helper()
	msg := run(t, ctx, "read the message after "+what, chromedp.Evaluate[string](`(document.querySelector('p.flash[role="status"]') || {}).textContent || ""`))
	if msg == "" {
		alert := run(t, ctx, "read the error", chromedp.Evaluate[string](`(document.querySelector('[role="alert"]') || {}).textContent || ""`))
		t.Fatalf("%s: no confirmation on the page (error: %q)", what, alert)
	}
	return msg
}

// pollImages waits until at least n images matching sel have loaded with a size.
func pollImages(t *testing.T, ctx context.Context, sel string, n int) {
	t.Helper()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).filter(i => i.complete && i.naturalWidth > 0).length >= %d`, sel, n)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("fewer than %d loaded images %s: %v", n, sel, err)
	}
}

// statusCount reads a status's count from the seller's product dashboard ("Disetujui (51)").
func statusCount(t *testing.T, ctx context.Context, status string) int {
	t.Helper()
	text := run(t, ctx, "read the "+status+" count", chromedp.Evaluate[string](
		fmt.Sprintf(`(document.querySelector('[data-testid="counts"] a[data-status=%q]') || {}).textContent || ""`, status)))
	m := regexp.MustCompile(`\((\d+)\)\s*$`).FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// checklist reads the seller's checklist: key → done.
func checklist(t *testing.T, ctx context.Context) map[string]bool {
	t.Helper()
	keys := run(t, ctx, "read the checklist", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('ul[data-testid="checklist"] li')).map(li => li.dataset.key + "=" + li.dataset.done)`))
	out := map[string]bool{}
	for _, k := range keys {
		key, done, _ := strings.Cut(k, "=")
		out[key] = done == "true"
	}
	return out
}

// onboard signs up from the home page, registers the business (correcting a wrong NIK),
// uploads its documents and submits it for verification.
func onboard(t *testing.T, ctx context.Context, base string, files uploads) business {
	t.Helper()
	// The home page invites businesses to sign up and shows everyone the catalogue.
	expectPage(t, "home page", navigate(t, ctx, base+"/"), `/`)
	for _, sel := range []string{`main a[href="/daftar-usaha"]`, `main a[href="/katalog"]`, `nav.main a[href="/katalog"]`} {
		if n := run(t, ctx, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))); n != 1 {
			t.Errorf("home page: %d links %s, want 1", n, sel)
		}
	}
	expectPage(t, "sign-up link", click(t, ctx, `main a[href="/daftar-usaha"]`), `/daftar-usaha`)

	// The privacy notice says what is public and what is not, before the form.
	notice := run(t, ctx, "read the privacy notice", chromedp.Text(chromedp.CSS(`#privasi`)))
	for _, want := range []string{"NIK", "rekening", "kecamatan", "publik"} {
		if !strings.Contains(notice, want) {
			t.Errorf("privacy notice does not mention %q: %q", want, notice)
		}
	}
	fill(t, ctx, [][2]string{{"#name", ownerName}, {"#email", ownerEmail}, {"#password", ownerPass}})
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="privacy"]`))); err != nil {
		t.Fatalf("accept the privacy notice: %v", err)
	}
	m := expectPage(t, "sign-up", click(t, ctx, `form[action="/daftar-usaha"] button[type=submit]`), `/usaha/(\d+)/data`)
	id, _ := strconv.ParseInt(m[1], 10, 64)
	biz := business{id: id, name: bizName}
	flash(t, ctx, "sign-up")

	// The registration form, with a NIK whose birth date cannot exist.
	form := [][2]string{
		{"#business_name", bizName}, {"#nib", bizNIB}, {"#owner_nik", wrongNIK}, {"#kbli", "47611, 46900"},
		{"#capital", "150.000.000"}, {"#annual_sales", "850.000.000"}, {"#npwp", bizNPWP},
		{"#street", "Jl. Imam Bonjol No. 17"}, {"#kelurahan", "Anggrung"}, {"#postal_code", "20152"},
		{"#phone", "0812-6543-2109"}, {"#bank_name", "Bank Sumut"}, {"#bank_number", "110-02-04567-8"}, {"#bank_holder", ownerName},
	}
	fill(t, ctx, form)
	choose(t, ctx, "#legal_form", string(market.LegalUD))
	choose(t, ctx, "#kecamatan", "Medan Polonia")
	save := `form[action="/usaha/` + m[1] + `/data"] button[type=submit]`
	resp := click(t, ctx, save)
	if resp.Status != 422 || pathOf(t, resp.URL) != "/usaha/"+m[1]+"/data" {
		t.Fatalf("wrong NIK: status %d at %s, want the form again with 422", resp.Status, resp.URL)
	}
	nikErr := run(t, ctx, "read the NIK error", chromedp.Evaluate[string](
		`(n => n && n.classList.contains("error") ? n.textContent : "")(document.querySelector("#owner_nik").nextElementSibling)`))
	if !strings.Contains(nikErr, "Tanggal lahir") {
		t.Errorf("NIK field error = %q, want the birth date explained", nikErr)
	}
	if n := run(t, ctx, "count field errors", chromedp.Evaluate[int](`document.querySelectorAll("form p.error").length`)); n != 1 {
		t.Errorf("%d field errors for one wrong NIK, want 1", n)
	}
	// Everything typed is still there, the wrong NIK too, so that it can be corrected.
	for _, f := range append(form, [2]string{"#legal_form", "ud"}, [2]string{"#kecamatan", "Medan Polonia"}, [2]string{"#city", "Kota Medan"}) {
		if got := run(t, ctx, "read "+f[0], chromedp.Value(chromedp.CSS(f[0]))); got != f[1] {
			t.Errorf("after the wrong NIK, %s = %q, want the typed %q", f[0], got, f[1])
		}
	}
	if got := run(t, ctx, "read the class", chromedp.Text(chromedp.CSS(`[data-testid="class"]`))); !strings.Contains(got, "Usaha Mikro") {
		t.Errorf("class shown for Rp150 juta capital and Rp850 juta sales = %q, want Usaha Mikro", got)
	}
	fill(t, ctx, [][2]string{{"#owner_nik", ownerNIK}})
	expectPage(t, "registration", click(t, ctx, save), `/usaha/`+m[1])
	flash(t, ctx, "registration")

	// The seller's page shows the data (the NPWP in its 16-digit form) and what is missing.
	data := run(t, ctx, "read the seller's data", chromedp.Text(chromedp.CSS(`main dl`)))
	for _, want := range []string{bizNIB, bizNPWP16, "47611", "Medan Polonia"} {
		if !strings.Contains(data, want) {
			t.Errorf("seller's data does not show %q: %q", want, data)
		}
	}
	status := run(t, ctx, "read the status", chromedp.Text(chromedp.CSS(`main .card p`)))
	if !strings.Contains(status, "Usaha Mikro") {
		t.Errorf("seller's status line %q does not show the micro class", status)
	}
	want := map[string]bool{"registration": true, "document.nib": false, "document.npwp": false, "document.kswp": false}
	if got := checklist(t, ctx); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("checklist after registration = %v, want %v", got, want)
	}
	submit := `form[action="/usaha/` + m[1] + `/ajukan"] button[type=submit]`
	if disabled := run(t, ctx, "read the submit button", chromedp.Evaluate[bool](`document.querySelector('`+submit+`').disabled`)); !disabled {
		t.Errorf("submit is enabled while documents are missing")
	}

	// The documents, each picked from the user's files.
	for _, d := range []struct{ kind, file string }{{"nib", files.nibPDF}, {"npwp", files.npwpPNG}, {"kswp", files.kswpPDF}} {
		choose(t, ctx, "#kind", d.kind)
		upload(t, ctx, "#file", d.file)
		expectPage(t, "upload "+d.kind, click(t, ctx, `form[action="/usaha/`+m[1]+`/dokumen"] button[type=submit]`), `/usaha/`+m[1])
		flash(t, ctx, "upload "+d.kind)
	}
	got := checklist(t, ctx)
	for k, done := range got {
		if !done {
			t.Errorf("checklist item %s still missing after the uploads (%v)", k, got)
		}
	}
	if len(got) != 4 {
		t.Errorf("checklist = %v, want 4 items done", got)
	}
	if n := run(t, ctx, "count documents", chromedp.Evaluate[int](`document.querySelectorAll('ul[data-testid="documents"] li').length`)); n != 3 {
		t.Errorf("%d documents listed, want 3", n)
	}
	expectPage(t, "submit for verification", click(t, ctx, submit), `/usaha/`+m[1])
	flash(t, ctx, "submit for verification")
	if st := run(t, ctx, "read the status", chromedp.AttributeValue(chromedp.CSS(`[data-testid="seller-status"]`), "data-status")); st.Value != "submitted" {
		t.Errorf("status after submitting = %q, want submitted", st.Value)
	}
	return biz
}

// listProducts makes one listing through the form with a photo and submits it, imports
// importRows more from the XLSX sheet, and submits them all with the bulk submit button.
func listProducts(t *testing.T, ctx context.Context, base string, biz *business, files uploads) {
	t.Helper()
	sid := strconv.FormatInt(biz.id, 10)
	expectPage(t, "products link", click(t, ctx, `nav.main a[href="/produk"]`), `/usaha/`+sid+`/produk`)
	expectPage(t, "new product link", click(t, ctx, `main a[href="/usaha/`+sid+`/produk/baru"]`), `/usaha/`+sid+`/produk/baru`)
	fill(t, ctx, [][2]string{
		{"#sku", "CP-PEN-05"}, {"#name", "Pulpen gel " + houseBrand + " 0,5 mm hitam isi 12"},
		{"#description", "Pulpen gel tinta hitam, ujung 0,5 mm, 12 batang per box. Produksi UMK Medan."},
		{"#price", "38.000"}, {"#public_price", "42.000"}, {"#min_order", "2"}, {"#stock", "120"},
		{"#brand", houseBrand}, {"#specs", "Ujung: 0,5 mm\nIsi: 12 batang"},
	})
	choose(t, ctx, "#category", "01.02.01")
	choose(t, ctx, "#unit", "box")
	m := expectPage(t, "save the product", click(t, ctx, `form[data-testid="product-form"] button[type=submit]`), `/usaha/`+sid+`/produk/(\d+)`)
	biz.formProduct, _ = strconv.ParseInt(m[1], 10, 64)
	flash(t, ctx, "save the product")

	upload(t, ctx, "#photo", files.photo)
	expectPage(t, "add the photo", click(t, ctx, `#foto form button[type=submit]`), `/usaha/`+sid+`/produk/`+m[1])
	flash(t, ctx, "add the photo")
	pollImages(t, ctx, `#foto img`, 1)
	submitProduct(t, ctx, sid, m[1])

	// The import: the template's sheet filled in, a preview, then the confirmation.
	expectPage(t, "back to the list", click(t, ctx, `main a[href="/usaha/`+sid+`/produk"]`), `/usaha/`+sid+`/produk`)
	expectPage(t, "import link", click(t, ctx, `main a[href="/usaha/`+sid+`/produk/impor"]`), `/usaha/`+sid+`/produk/impor`)
	if n := run(t, ctx, "count template links", chromedp.Evaluate[int](`document.querySelectorAll('a[href$="/produk/templat.xlsx"]').length`)); n != 1 {
		t.Errorf("import page: %d template links, want 1", n)
	}
	upload(t, ctx, "#file", files.sheet)
	expectPage(t, "import preview", click(t, ctx, `form[action="/usaha/`+sid+`/produk/impor"] button[type=submit]`), `/usaha/`+sid+`/produk/impor`)
	if got := importCounts(t, ctx); got["create"] != importRows || got["invalid"] != 0 || got["update"] != 0 {
		t.Fatalf("import preview counts = %v, want %d to create and nothing else", got, importRows)
	}
	if n := run(t, ctx, "count preview rows", chromedp.Evaluate[int](`document.querySelectorAll('table[data-testid="import-rows"] tr[data-action="create"]').length`)); n != importRows {
		t.Errorf("preview shows %d rows to create, want %d", n, importRows)
	}
	if n := statusCountOnList(t, ctx, base, sid, "draft"); n != 0 {
		t.Fatalf("the preview created %d drafts", n)
	}
	navigate(t, ctx, base+"/usaha/"+sid+"/produk/impor")
	upload(t, ctx, "#file", files.sheet)
	expectPage(t, "import preview again", click(t, ctx, `form[action="/usaha/`+sid+`/produk/impor"] button[type=submit]`), `/usaha/`+sid+`/produk/impor`)
	expectPage(t, "confirm the import", click(t, ctx, `form[action="/usaha/`+sid+`/produk/impor/konfirmasi"] button[type=submit]`), `/usaha/`+sid+`/produk/impor/konfirmasi`)
	if got := run(t, ctx, "read the import result", chromedp.Text(chromedp.CSS(`[data-testid="import-summary"] strong`))); got != "Impor selesai." {
		t.Errorf("import result = %q, want Impor selesai.", got)
	}
	if got := importCounts(t, ctx); got["create"] != importRows {
		t.Errorf("import created %v, want %d", got, importRows)
	}

	// The imported drafts go to the curator with one press of the bulk submit button.
	if n := statusCountOnList(t, ctx, base, sid, "draft"); n != importRows {
		t.Fatalf("%d drafts after the import, want %d", n, importRows)
	}
	expectPage(t, "bulk submit", click(t, ctx, `[data-testid="submit-drafts"]`), `/usaha/`+sid+`/produk/ajukan-semua`)
	if got := run(t, ctx, "read the flash", chromedp.Text(chromedp.CSS(`p.flash`))); !strings.Contains(got, fmt.Sprintf("%d draf diajukan", importRows)) {
		t.Errorf("bulk submit said %q", got)
	}
	navigate(t, ctx, base+"/usaha/"+sid+"/produk")
	if got := statusCount(t, ctx, "submitted"); got != 1+importRows {
		t.Errorf("seller's dashboard: %d submitted, want %d", got, 1+importRows)
	}
}

// submitProduct clicks the submit button on a product's page and checks its new status.
func submitProduct(t *testing.T, ctx context.Context, sid, pid string) {
	t.Helper()
	expectPage(t, "submit product "+pid, click(t, ctx, `form[action="/usaha/`+sid+`/produk/`+pid+`/ajukan"] button[type=submit]`), `/usaha/`+sid+`/produk/`+pid)
	if st := run(t, ctx, "read the product status", chromedp.AttributeValue(chromedp.CSS(`[data-testid="product-status"] span[data-status]`), "data-status")); st.Value != "submitted" {
		t.Fatalf("product %s after submitting: status %q", pid, st.Value)
	}
}

// statusCountOnList opens the seller's product list and reads one status's count.
func statusCountOnList(t *testing.T, ctx context.Context, base, sid, status string) int {
	t.Helper()
	navigate(t, ctx, base+"/usaha/"+sid+"/produk")
	return statusCount(t, ctx, status)
}

// importCounts reads the import summary: action → count.
func importCounts(t *testing.T, ctx context.Context) map[string]int {
	t.Helper()
	items := run(t, ctx, "read the import summary", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('[data-testid="import-summary"] li[data-action]')).map(li => li.dataset.action + "=" + li.textContent.split(":").pop().trim())`))
	out := map[string]int{}
	for _, it := range items {
		k, v, _ := strings.Cut(it, "=")
		out[k], _ = strconv.Atoi(v)
	}
	return out
}

// verifySeller opens the curator's queue, the submitted business with its documents, and
// verifies it.
func verifySeller(t *testing.T, ctx context.Context, biz business) {
	t.Helper()
	sid := strconv.FormatInt(biz.id, 10)
	expectPage(t, "curation link", click(t, ctx, `nav.main a[href="/kurasi"]`), `/kurasi`)
	row := `table[data-testid="queue"] tr[data-seller="` + sid + `"]`
	if got := run(t, ctx, "read the queue row", chromedp.Text(chromedp.CSS(row))); !strings.Contains(got, bizName) || !strings.Contains(got, "Medan Polonia") {
		t.Errorf("queue row = %q, want the business and its kecamatan", got)
	}
	expectPage(t, "open the seller", click(t, ctx, row+` a[href="/kurasi/penjual/`+sid+`"]`), `/kurasi/penjual/`+sid)
	kinds := run(t, ctx, "read the documents", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("figure.doc")).map(f => f.dataset.kind)`))
	if strings.Join(kinds, ",") != "nib,npwp,kswp" {
		t.Errorf("documents shown to the curator = %v, want nib, npwp, kswp", kinds)
	}
	// The NPWP card is an image, shown inline; the PDFs are links.
	pollImages(t, ctx, `figure.doc img`, 1)
	if n := run(t, ctx, "count PDF links", chromedp.Evaluate[int](`document.querySelectorAll('figure.doc a[href^="/usaha/`+sid+`/dokumen/"]').length`)); n != 2 {
		t.Errorf("%d PDF links, want 2", n)
	}
	data := run(t, ctx, "read the seller's data", chromedp.Text(chromedp.CSS(`main dl`)))
	for _, want := range []string{ownerNIK, bizNPWP16, "+6281265432109", "Bank Sumut"} {
		if !strings.Contains(data, want) {
			t.Errorf("curator's view of the data does not show %q: %q", want, data)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="decision"][value="verify"]`))); err != nil {
		t.Fatalf("choose verify: %v", err)
	}
	expectPage(t, "verify", click(t, ctx, `form[action="/kurasi/penjual/`+sid+`/keputusan"] button[type=submit]`), `/kurasi/penjual/`+sid)
	flash(t, ctx, "verify")
	if st := run(t, ctx, "read the status", chromedp.AttributeValue(chromedp.CSS(`[data-testid="seller-status"]`), "data-status")); st.Value != "verified" {
		t.Errorf("status after verifying = %q, want verified", st.Value)
	}
}

// approveProducts approves the business's listings from the product queue, one page each.
func approveProducts(t *testing.T, ctx context.Context, biz business) {
	t.Helper()
	expectPage(t, "product curation link", click(t, ctx, `nav.main a[href="/kurasi/produk"]`), `/kurasi/produk`)
	ours := `Array.from(document.querySelectorAll('table[data-testid="product-queue"] tbody tr')).filter(tr => tr.cells[2].textContent.trim() === ` + strconv.Quote(biz.name) + `).map(tr => tr.querySelector('a').getAttribute("href"))`
	links := run(t, ctx, "read the queue", chromedp.Evaluate[[]string](ours))
	if len(links) != 1+importRows {
		t.Fatalf("product queue has %d listings of %s, want %d", len(links), biz.name, 1+importRows)
	}
	base := run(t, ctx, "read the origin", chromedp.Evaluate[string](`location.origin`))
	for _, l := range links {
		navigate(t, ctx, base+l)
		choose(t, ctx, "#decision", "approve")
		expectPage(t, "approve "+l, click(t, ctx, `form[data-testid="decision"] button[type=submit]`), `/kurasi/produk`)
	}
	if left := run(t, ctx, "read the queue", chromedp.Evaluate[[]string](ours)); len(left) != 0 {
		t.Errorf("%d listings of %s left in the queue after approving", len(left), biz.name)
	}
}

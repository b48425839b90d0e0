package web_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"bela/internal/blob"
	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/web"
)

// newSellerFixture is the common fixture with kecamatan and a blob store behind the server.
func newSellerFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	for _, k := range []store.Kecamatan{{Code: "12.71.01", Name: "Medan Baru"}, {Code: "12.71.02", Name: "Medan Kota"}} {
		if err := f.s.AddKecamatan(ctx, store.System, k); err != nil {
			t.Fatal(err)
		}
	}
	b, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if f.srv, err = web.New(ctx, web.Config{Store: f.s, Clock: f.clock, PublicURL: "http://bela.test", Blobs: b}); err != nil {
		t.Fatal(err)
	}
	return f
}

// regValues is a complete registration form of a micro business.
func regValues(nib string) url.Values {
	return url.Values{
		"business_name": {"UD Kue Melati"}, "legal_form": {"ud"}, "nib": {nib}, "npwp": {"01.234.567.8-901.000"},
		"owner_nik": {"1271015505850001"}, "kbli": {"10710, 47241"}, "capital": {"150.000.000"}, "annual_sales": {"Rp600.000.000"},
		"address.street": {"Jl. Melati No. 5"}, "address.kelurahan": {"Babura"}, "address.kecamatan": {"Medan Baru"},
		"address.city": {"Kota Medan"}, "address.postal_code": {"20153"}, "phone": {"0812-6000-1234"},
		"bank.name": {"Bank Sumut"}, "bank.number": {"1002003004"}, "bank.holder": {"Melati Siregar"},
	}
}

func multipartBody(t *testing.T, kind, filename string, data []byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("kind", kind)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, x%30, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func (f *fixture) upload(role market.Role, sellerID int64, kind, filename string, data []byte) (*http.Response, string) {
	f.t.Helper()
	body, ct := multipartBody(f.t, kind, filename, data)
	return f.do(role, "POST", fmt.Sprintf("/usaha/%d/dokumen", sellerID), body, "Content-Type", ct)
}

var sellerPath = regexp.MustCompile(`^/usaha/(\d+)/data`)

// TestSellerOnboardingThroughForms walks a new owner from the privacy notice to a verified
// business, with a curator's request for changes in between.
func TestSellerOnboardingThroughForms(t *testing.T) {
	f := newSellerFixture(t)
	res, body := f.do("", "GET", "/daftar-usaha", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "Pemberitahuan privasi") || !strings.Contains(body, "NIK pemilik") {
		t.Fatalf("sign-up page: %d", res.StatusCode)
	}
	// Errors keep what was typed and name each field.
	res, body = f.do("", "POST", "/daftar-usaha", form("name", "Melati Siregar", "email", "melati.contoh", "password", "pendek"))
	if res.StatusCode != 422 {
		t.Fatalf("bad sign-up: %d", res.StatusCode)
	}
	for _, want := range []string{`value="Melati Siregar"`, `value="melati.contoh"`, "Alamat e-mail tidak valid", "Kata sandi minimal 10 karakter", "pemberitahuan privasi terlebih dahulu"} {
		if !strings.Contains(body, want) {
			t.Errorf("sign-up form lacks %q", want)
		}
	}
	res, _ = f.do("", "POST", "/daftar-usaha", form("name", "Melati Siregar", "email", "melati@contoh.id", "password", "rahasia-sekali", "privacy", "1"))
	m := sellerPath.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("sign-up: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	var id int64
	fmt.Sscan(m[1], &id)
	for _, c := range res.Cookies() {
		if c.Name == "bela_session" {
			f.sessions["melati"] = c.Value
		}
	}
	const owner = market.Role("melati")
	if f.sessions[owner] == "" {
		t.Fatal("sign-up did not sign in")
	}
	res, body = f.do(owner, "GET", res.Header.Get("Location"), nil)
	if res.StatusCode != 200 || !strings.Contains(body, `<option value="Medan Baru">`) || !strings.Contains(body, `value="Kota Medan"`) {
		t.Fatalf("registration form: %d", res.StatusCode)
	}
	// The registration form: every problem at once, typed values kept, the class shown.
	bad := regValues("12345")
	bad.Set("owner_nik", "1271017705850001")
	bad.Set("capital", "6.000.000.000")
	res, body = f.do(owner, "POST", fmt.Sprintf("/usaha/%d/data", id), strings.NewReader(bad.Encode()))
	if res.StatusCode != 422 {
		t.Fatalf("bad registration: %d", res.StatusCode)
	}
	for _, want := range []string{`value="12345"`, `value="1271017705850001"`, `value="6.000.000.000"`, "NIB harus 13 angka", "Tanggal lahir pada NIK",
		"Usaha Menengah", "hanya untuk usaha mikro dan kecil", `<option value="Medan Baru" selected>`, `value="Jl. Melati No. 5"`} {
		if !strings.Contains(body, want) {
			t.Errorf("registration form lacks %q", want)
		}
	}
	if sl, _ := f.s.GetSeller(ctx, id); sl.Registered() {
		t.Fatal("an invalid registration was stored")
	}
	// An NIB already registered by another seller is refused with a clear reason.
	other, err := f.s.CreateRegisteredSeller(ctx, f.plainUser(t, "pemilik-lain@bela.test"), regValuesReg("9999999999999", ""), true)
	if err != nil {
		t.Fatal(err)
	}
	dup := regValues("9999999999999")
	res, body = f.do(owner, "POST", fmt.Sprintf("/usaha/%d/data", id), strings.NewReader(dup.Encode()))
	if res.StatusCode != 422 || !strings.Contains(body, "NIB ini sudah terdaftar untuk penjual lain") {
		t.Errorf("duplicate NIB: %d", res.StatusCode)
	}
	res, _ = f.do(owner, "POST", fmt.Sprintf("/usaha/%d/data", id), strings.NewReader(regValues("1234567890123").Encode()))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("registration: %d", res.StatusCode)
	}
	res, body = f.do(owner, "GET", fmt.Sprintf("/usaha/%d", id), nil)
	if res.StatusCode != 200 || !strings.Contains(body, `data-key="document.kswp" data-done="false"`) || !strings.Contains(body, `data-key="registration" data-done="true"`) {
		t.Fatalf("seller page checklist: %d", res.StatusCode)
	}

	// Uploads: a text file named .pdf, an oversized file, then real files.
	res, body = f.upload(owner, id, "nib", "nib.pdf", []byte("ini bukan PDF, hanya teks biasa"))
	if res.StatusCode != 422 || !strings.Contains(body, "Jenis berkas tidak diterima") {
		t.Errorf("text as PDF: %d", res.StatusCode)
	}
	res, body = f.upload(owner, id, "nib", "besar.pdf", bytes.Repeat([]byte("x"), 7<<20))
	if res.StatusCode != 413 || !strings.Contains(body, "terlalu besar") {
		t.Errorf("body over the upload limit: %d", res.StatusCode)
	}
	big := append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte(" "), 5<<20)...)
	res, body = f.upload(owner, id, "nib", "besar.pdf", big)
	if res.StatusCode != 413 || !strings.Contains(body, "terlalu besar") {
		t.Errorf("file over 5 MB: %d", res.StatusCode)
	}
	if docs, _ := f.s.SellerDocuments(ctx, id); len(docs) != 0 {
		t.Fatalf("refused uploads stored documents: %+v", docs)
	}
	// Other routes keep the small body limit.
	res, _ = f.do(owner, "POST", fmt.Sprintf("/usaha/%d/data", id), strings.NewReader("business_name="+strings.Repeat("a", 2<<20)))
	if res.StatusCode != 413 {
		t.Errorf("large body on a form route: %d", res.StatusCode)
	}
	res, _ = f.upload(owner, id, "nib", "nib.png", pngBytes(t))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("PNG upload: %d", res.StatusCode)
	}
	for _, k := range []string{"npwp", "kswp"} {
		if res, body := f.upload(owner, id, k, `C:\dok\`+k+`".pdf`, pdfBytes); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("PDF upload %s: %d %s", k, res.StatusCode, body)
		}
	}
	docs, _ := f.s.SellerDocuments(ctx, id)
	if len(docs) != 3 {
		t.Fatalf("documents = %+v", docs)
	}
	var pngDoc, pdfDoc store.SellerDocument
	for _, d := range docs {
		switch d.Kind {
		case store.DocNIB:
			pngDoc = d
		case store.DocKSWP:
			pdfDoc = d
		}
	}
	for _, role := range []market.Role{owner, market.RoleCurator, market.RoleAuditor, market.RoleAdmin} {
		res, body := f.do(role, "GET", fmt.Sprintf("/usaha/%d/dokumen/%d", id, pngDoc.ID), nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("PNG as %s: %d %v", role, res.StatusCode, res.Header)
		}
		if _, err := png.Decode(strings.NewReader(body)); err != nil {
			t.Errorf("re-served PNG does not decode: %v", err)
		}
	}
	res, body = f.do(owner, "GET", fmt.Sprintf("/usaha/%d/dokumen/%d", id, pdfDoc.ID), nil)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || res.Header.Get("X-Content-Type-Options") != "nosniff" ||
		res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") || strings.Contains(res.Header.Get("Content-Disposition"), `\`) {
		t.Errorf("PDF: %d %v", res.StatusCode, res.Header)
	}
	// Nobody else: a seller of another business, a buyer, anonymous.
	for _, role := range []market.Role{market.RoleSellerOwner, market.RoleBuyer} {
		if res, _ := f.do(role, "GET", fmt.Sprintf("/usaha/%d/dokumen/%d", id, pngDoc.ID), nil); res.StatusCode != 404 && res.StatusCode != 403 {
			t.Errorf("document as %s: %d", role, res.StatusCode)
		}
	}
	if res, _ := f.do("", "GET", fmt.Sprintf("/usaha/%d/dokumen/%d", id, pngDoc.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("document anonymously: %d", res.StatusCode)
	}

	// Submit: curators are told.
	res, _ = f.do(owner, "POST", fmt.Sprintf("/usaha/%d/ajukan", id), form())
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	if inbox, _ := f.s.Inbox(ctx, f.ids[market.RoleCurator]); len(inbox) != 1 || !strings.Contains(inbox[0].Subject, "UD Kue Melati") {
		t.Errorf("curator inbox = %+v", inbox)
	}
	res, body = f.do(market.RoleCurator, "GET", "/kurasi", nil)
	if res.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf(`data-seller="%d"`, id)) || strings.Contains(body, fmt.Sprintf(`data-seller="%d"`, other.ID)) {
		t.Fatalf("queue: %d", res.StatusCode)
	}
	res, body = f.do(market.RoleCurator, "GET", fmt.Sprintf("/kurasi/penjual/%d", id), nil)
	if res.StatusCode != 200 || !strings.Contains(body, fmt.Sprintf(`<img src="/usaha/%d/dokumen/%d"`, id, pngDoc.ID)) ||
		!strings.Contains(body, fmt.Sprintf(`href="/usaha/%d/dokumen/%d"`, id, pdfDoc.ID)) || !strings.Contains(body, "1271015505850001") {
		t.Fatalf("curator's file: %d", res.StatusCode)
	}
	// Why it cannot sell yet, in the page's language.
	if !strings.Contains(body, "Penjual belum terverifikasi (status: ") {
		t.Error("the curator's file does not say the seller is not verified yet")
	}
	if _, en := f.do(market.RoleCurator, "GET", fmt.Sprintf("/kurasi/penjual/%d", id), nil, "Cookie", "bela_lang=en"); !strings.Contains(en, "The seller is not verified yet (status: ") ||
		strings.Contains(en, "Penjual belum terverifikasi") || !strings.Contains(en, `aria-label="Navigation"`) {
		t.Error("the English curator's file says the seller's eligibility in Indonesian")
	}
	// A decision with a missing reason keeps the form; then request changes with a note.
	res, body = f.do(market.RoleCurator, "POST", fmt.Sprintf("/kurasi/penjual/%d/keputusan", id), form("decision", "request_changes", "notes.phone", "Nomor tidak aktif"))
	if res.StatusCode != 422 || !strings.Contains(body, "Alasan wajib diisi") || !strings.Contains(body, `value="Nomor tidak aktif"`) {
		t.Errorf("decision without reason: %d", res.StatusCode)
	}
	res, _ = f.do(market.RoleCurator, "POST", fmt.Sprintf("/kurasi/penjual/%d/keputusan", id), form("decision", "request_changes", "reason", "Periksa nomor HP", "notes.phone", "Nomor tidak aktif"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("request changes: %d", res.StatusCode)
	}
	res, body = f.do(owner, "GET", fmt.Sprintf("/usaha/%d", id), nil)
	if res.StatusCode != 200 || !strings.Contains(body, "Periksa nomor HP") || !strings.Contains(body, "Nomor HP: Nomor tidak aktif") {
		t.Errorf("owner does not see the notes: %d", res.StatusCode)
	}
	fixed := regValues("1234567890123")
	fixed.Set("phone", "0813-7000-1234")
	if res, _ := f.do(owner, "POST", fmt.Sprintf("/usaha/%d/data", id), strings.NewReader(fixed.Encode())); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("fix: %d", res.StatusCode)
	}
	if res, _ := f.do(owner, "POST", fmt.Sprintf("/usaha/%d/ajukan", id), form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit again: %d", res.StatusCode)
	}
	// Auditors and admins read, but do not decide.
	if res, _ := f.do(market.RoleAuditor, "POST", fmt.Sprintf("/kurasi/penjual/%d/keputusan", id), form("decision", "verify")); res.StatusCode != 403 {
		t.Errorf("auditor decides: %d", res.StatusCode)
	}
	res, _ = f.do(market.RoleCurator, "POST", fmt.Sprintf("/kurasi/penjual/%d/keputusan", id), form("decision", "verify"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: %d", res.StatusCode)
	}
	if inbox, _ := f.s.Inbox(ctx, mustUserID(t, f, "melati@contoh.id")); len(inbox) != 2 || !strings.Contains(inbox[0].Subject, "terverifikasi") {
		t.Errorf("owner inbox = %+v", inbox)
	}
	// Suspend until a date, with the date in the instance's time zone.
	res, _ = f.do(market.RoleCurator, "POST", fmt.Sprintf("/kurasi/penjual/%d/keputusan", id), form("decision", "suspend", "reason", "Harga tidak wajar", "until", "2026-12-31"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("suspend: %d", res.StatusCode)
	}
	sl, _ := f.s.GetSeller(ctx, id)
	if sl.Status != "suspended" || sl.SuspendedUntil.Format("2006-01-02T15:04Z07:00") != "2026-12-31T17:00Z" {
		t.Errorf("suspended seller = %s until %v", sl.Status, sl.SuspendedUntil)
	}
	if res, _ := f.do(market.RoleCurator, "POST", fmt.Sprintf("/kurasi/penjual/%d/keputusan", id), form("decision", "reinstate")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reinstate: %d", res.StatusCode)
	}

	// The public profile: name, kecamatan, class, status, legal form — nothing private.
	res, body = f.do("", "GET", fmt.Sprintf("/penjual/%d", id), nil)
	if res.StatusCode != 200 || !strings.Contains(body, "UD Kue Melati") || !strings.Contains(body, "Medan Baru") || !strings.Contains(body, "Usaha Mikro") ||
		!strings.Contains(body, "Terverifikasi") || !strings.Contains(body, "Usaha Dagang") {
		t.Fatalf("public profile: %d", res.StatusCode)
	}
	for _, secret := range []string{"1271015505850001", "0012345678901000", "+6281370001234", "Jl. Melati", "1002003004", "Melati Siregar", "melati@contoh.id", "1234567890123", "Babura"} {
		if strings.Contains(body, secret) {
			t.Errorf("public profile shows %q", secret)
		}
	}
}

func regValuesReg(nib, npwp string) market.SellerRegistration {
	return market.SellerRegistration{BusinessName: "CV Lain", LegalForm: market.LegalPerorangan, NIB: nib, NPWP: npwp, OwnerNIK: "1271010101900001",
		KBLI: []string{"47612"}, Capital: 10_000_000, Address: market.Address{Street: "Jl. Lain 1", Kelurahan: "Sei Sikambing", Kecamatan: "Medan Kota", City: "Kota Medan"},
		Phone: "081234567890", Bank: market.BankAccount{Bank: "BRI", Number: "123456789", Holder: "Lain"}}
}

func mustUserID(t *testing.T, f *fixture, email string) int64 {
	t.Helper()
	u, err := f.s.FindUserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestOtherSellersObjectsAreNotFound tries another seller's pages, forms and files by id.
func TestOtherSellersObjectsAreNotFound(t *testing.T) {
	f := newSellerFixture(t)
	// seller2 gets a document, through a store call, so that there is something to reach for.
	owner2 := f.plainUser(t, "pemilik-dua@bela.test")
	sl2, err := f.s.CreateRegisteredSeller(ctx, owner2, regValuesReg("5555555555555", ""), true)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := f.s.AddSellerDocument(ctx, store.Actor{UserID: owner2}, store.SellerDocument{SellerID: sl2.ID, Kind: store.DocNIB, BlobID: strings.Repeat("a", 64), Filename: "nib.pdf", ContentType: "application/pdf", Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	body, ct := multipartBody(t, "nib", "nib.png", pngBytes(t))
	for _, tc := range []struct {
		name   string
		role   market.Role
		method string
		path   string
		body   io.Reader
		hdr    []string
	}{
		{"owner opens another seller", market.RoleSellerOwner, "GET", fmt.Sprintf("/usaha/%d", sl2.ID), nil, nil},
		{"staff opens another seller", market.RoleSellerStaff, "GET", fmt.Sprintf("/usaha/%d", sl2.ID), nil, nil},
		{"owner opens another seller's form", market.RoleSellerOwner, "GET", fmt.Sprintf("/usaha/%d/data", sl2.ID), nil, nil},
		{"owner edits another seller", market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/data", sl2.ID), strings.NewReader(regValues("1234567890123").Encode()), nil},
		{"owner uploads to another seller", market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/dokumen", sl2.ID), body, []string{"Content-Type", ct}},
		{"owner reads another seller's document", market.RoleSellerOwner, "GET", fmt.Sprintf("/usaha/%d/dokumen/%d", sl2.ID, doc.ID), nil, nil},
		{"owner reads another seller's document through their own", market.RoleSellerOwner, "GET", fmt.Sprintf("/usaha/%d/dokumen/%d", f.seller1.ID, doc.ID), nil, nil},
		{"owner submits another seller", market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/ajukan", sl2.ID), form(), nil},
		{"owner invites staff to another seller", market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/staf", sl2.ID), form("name", "X", "email", "x@bela.test"), nil},
		{"a draft seller's public page", "", "GET", fmt.Sprintf("/penjual/%d", sl2.ID), nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := f.do(tc.role, tc.method, tc.path, tc.body, tc.hdr...)
			if res.StatusCode != 404 {
				t.Errorf("got %d, want 404", res.StatusCode)
			}
		})
	}
	if sl, _ := f.s.GetSeller(ctx, sl2.ID); sl.Reg.NIB != "5555555555555" {
		t.Error("another seller's data changed")
	}
	// Staff see their own seller but do not edit it.
	if res, _ := f.do(market.RoleSellerStaff, "GET", fmt.Sprintf("/usaha/%d", f.seller1.ID), nil); res.StatusCode != 200 {
		t.Errorf("staff on own seller: %d", res.StatusCode)
	}
	if res, _ := f.do(market.RoleSellerStaff, "GET", fmt.Sprintf("/usaha/%d/data", f.seller1.ID), nil); res.StatusCode != 403 {
		t.Errorf("staff on the registration form: %d", res.StatusCode)
	}
}

func TestOwnerInvitesStaff(t *testing.T) {
	f := newSellerFixture(t)
	res, body := f.do(market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/staf", f.seller1.ID), form("name", "Rina", "email", "bukan-email"))
	if res.StatusCode != 422 || !strings.Contains(body, `value="Rina"`) || !strings.Contains(body, "Alamat e-mail tidak valid") {
		t.Fatalf("bad invite: %d", res.StatusCode)
	}
	res, _ = f.do(market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/staf", f.seller1.ID), form("name", "Rina", "email", "rina@bela.test"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", res.StatusCode)
	}
	u, err := f.s.FindUserByEmail(ctx, "rina@bela.test")
	if err != nil || len(u.Memberships) != 1 || u.Memberships[0].Role != market.RoleSellerStaff || u.Memberships[0].ScopeID != f.seller1.ID {
		t.Fatalf("invited staff = %+v %v", u, err)
	}
	_, body = f.do(market.RoleSellerOwner, "GET", fmt.Sprintf("/usaha/%d", f.seller1.ID), nil)
	if !strings.Contains(body, "rina@bela.test") {
		t.Error("the owner's page does not list the new staff member")
	}
}

func TestBlockedNPWPPage(t *testing.T) {
	f := newSellerFixture(t)
	res, body := f.do(market.RoleAdmin, "POST", "/kurasi/npwp", form("npwp", "12.345", "reason", "Pemalsuan"))
	if res.StatusCode != 422 || !strings.Contains(body, `value="12.345"`) || !strings.Contains(body, "NPWP harus 15 angka") {
		t.Fatalf("bad NPWP: %d", res.StatusCode)
	}
	res, _ = f.do(market.RoleAdmin, "POST", "/kurasi/npwp", form("npwp", "01.234.567.8-901.000", "reason", "Pemalsuan"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("block: %d", res.StatusCode)
	}
	if res, body := f.do(market.RoleCurator, "GET", "/kurasi/npwp", nil); res.StatusCode != 200 || !strings.Contains(body, "0012345678901000") || strings.Contains(body, "/hapus") {
		t.Errorf("curator reads the list: %d", res.StatusCode)
	}
	if res, _ := f.do(market.RoleCurator, "POST", "/kurasi/npwp", form("npwp", "02.234.567.8-901.000", "reason", "x")); res.StatusCode != 403 {
		t.Errorf("curator edits the list: %d", res.StatusCode)
	}
	// Registration refuses it.
	_, err := f.s.CreateRegisteredSeller(ctx, f.plainUser(t, "pemilik-tiga@bela.test"), regValuesReg("7777777777777", "01.234.567.8-901.000"), true)
	var me *market.Error
	if !errors.As(err, &me) || !strings.Contains(me.Fields["npwp"], "diblokir") {
		t.Errorf("registration with a blocked NPWP: %v", err)
	}
	res, _ = f.do(market.RoleAdmin, "POST", "/kurasi/npwp/0012345678901000/hapus", form())
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unblock: %d", res.StatusCode)
	}
	if list, _ := f.s.ListBlockedNPWP(ctx); len(list) != 0 {
		t.Errorf("list after unblock = %+v", list)
	}
}

// TestSellerPagesRender opens every seller and curation page in both languages.
func TestSellerPagesRender(t *testing.T) {
	f := newSellerFixture(t)
	sl, err := f.s.CreateRegisteredSeller(ctx, f.ids[market.RoleSellerOwner], regValuesReg("5555555555555", ""), true)
	if err != nil {
		t.Fatal(err)
	}
	f.renew(market.RoleSellerOwner)
	pages := map[market.Role][]string{
		"":                     {"/daftar-usaha", fmt.Sprintf("/penjual/%d", f.seller1.ID)},
		market.RoleSellerOwner: {"/usaha", fmt.Sprintf("/usaha/%d", sl.ID), fmt.Sprintf("/usaha/%d/data", sl.ID), fmt.Sprintf("/usaha/%d/data", f.seller1.ID)},
		market.RoleSellerStaff: {fmt.Sprintf("/usaha/%d", f.seller1.ID)},
		market.RoleCurator:     {"/kurasi", "/kurasi?status=verified", fmt.Sprintf("/kurasi/penjual/%d", sl.ID), fmt.Sprintf("/kurasi/penjual/%d", f.seller1.ID), "/kurasi/npwp"},
		market.RoleAdmin:       {"/kurasi/npwp", fmt.Sprintf("/kurasi/penjual/%d", sl.ID)},
		market.RoleAuditor:     {"/kurasi"},
	}
	for _, lang := range []string{"id", "en"} {
		for role, paths := range pages {
			for _, p := range paths {
				req := httptest.NewRequest("GET", p, nil)
				req.AddCookie(&http.Cookie{Name: "bela_lang", Value: lang})
				if role != "" {
					req.AddCookie(&http.Cookie{Name: "bela_session", Value: f.sessions[role]})
				}
				rec := httptest.NewRecorder()
				f.srv.ServeHTTP(rec, req)
				if rec.Code != 200 || !strings.Contains(rec.Body.String(), `<html lang="`+lang+`">`) {
					t.Errorf("%s %s as %q: %d", lang, p, role, rec.Code)
				}
			}
		}
	}
	// The nav shows the new areas to their roles only.
	_, body := f.do(market.RoleSellerOwner, "GET", "/beranda", nil)
	if !strings.Contains(body, `href="/usaha"`) || strings.Contains(body, `href="/kurasi"`) {
		t.Error("seller owner's navigation")
	}
	_, body = f.do(market.RoleCurator, "GET", "/beranda", nil)
	if !strings.Contains(body, `href="/kurasi"`) || strings.Contains(body, `href="/usaha"`) {
		t.Error("curator's navigation")
	}
}

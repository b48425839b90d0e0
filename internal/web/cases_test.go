package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
)

// The inspection routes, with the payment fixture's order and a case id, and a form for each POST.
func inspectionRoutes(orderID, caseID int64) []struct{ method, path string } {
	return []struct{ method, path string }{
		{"GET", "/pemeriksaan"},
		{"GET", "/pemeriksaan?tanda=split"},
		{"POST", "/pemeriksaan/kasus"},
		{"GET", "/pemeriksaan/kasus"},
		{"GET", fmt.Sprintf("/pemeriksaan/kasus/%d", caseID)},
		{"POST", fmt.Sprintf("/pemeriksaan/kasus/%d/catatan", caseID)},
		{"POST", fmt.Sprintf("/pemeriksaan/kasus/%d/tutup", caseID)},
		{"POST", fmt.Sprintf("/pemeriksaan/kasus/%d/buka-lagi", caseID)},
	}
}

// Nobody but an auditor opens the inspection pages, not even a platform admin: 403 for every
// other role, sign-in for the anonymous; and the refused requests change nothing.
func TestInspectionForAuditorsOnly(t *testing.T) {
	f := newPayFixture(t)
	auditor := f.principal(f.ids[market.RoleAuditor])
	cs, err := f.s.OpenCase(ctx, auditor, f.order.ID, "Judul rahasia", "Catatan rahasia")
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range inspectionRoutes(f.order.ID, cs.ID) {
		for _, role := range market.Roles {
			if role == market.RoleAuditor {
				continue
			}
			f.renew(role)
			var res *http.Response
			var body string
			if rt.method == "POST" {
				res, body = f.do(role, rt.method, rt.path, form("order_id", fmt.Sprint(f.order.ID), "title", "Judul", "note", "Catatan",
					"conclusion", "no_finding", "reason", "Alasan"))
			} else {
				res, body = f.do(role, rt.method, rt.path, nil)
			}
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403", rt.method, rt.path, role, res.StatusCode)
			}
			if strings.Contains(body, "rahasia") {
				t.Errorf("%s %s as %s shows the case", rt.method, rt.path, role)
			}
		}
		res, _ := f.do("", rt.method, rt.path, nil)
		if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s signed out: %d", rt.method, rt.path, res.StatusCode)
		}
		f.renew(market.RoleAuditor)
		if res, _ := f.do(market.RoleAuditor, rt.method, rt.path, form()); res.StatusCode == http.StatusForbidden || res.StatusCode == http.StatusUnauthorized {
			t.Errorf("%s %s as the auditor: %d", rt.method, rt.path, res.StatusCode)
		}
	}
	got, err := f.s.GetCase(ctx, auditor, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != market.CaseOpen || len(got.Notes) != 1 {
		t.Errorf("refused requests changed the case: %+v", got)
	}
	if list, _ := f.s.ListCases(ctx, auditor, store.CaseFilter{}); len(list) != 1 {
		t.Errorf("%d cases after refused opens", len(list))
	}
}

// field returns the part of a page from the element with id to the end of its form group (the
// next label or the end of the form), where its value and message are.
func field(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, fmt.Sprintf(`id="%s"`, id))
	if i < 0 {
		t.Fatalf("the page has no field %q", id)
	}
	rest := body[i:]
	for _, end := range []string{"<label", "</form>"} {
		if j := strings.Index(rest, end); j > 0 {
			rest = rest[:j]
		}
	}
	return rest
}

// An auditor walks a case through the pages: the queue shows the order's flag, a refused
// opening keeps what was typed with the messages, the case is opened, annotated, refused a
// close without a conclusion (typed note kept), closed and reopened; the list and the order
// page follow; the public pages never show what the auditors wrote.
func TestCasePages(t *testing.T) {
	f := newPayFixture(t)
	id := f.order.ID
	// The unit's only purchase goes into dispute: its one red flag (one purchase is too few for
	// the concentration flag).
	if _, err := f.s.Dispute(ctx, f.principal(f.ids[market.RoleBuyer]), id, "Sebagian kertas basah."); err != nil {
		t.Fatal(err)
	}
	res, body := f.do(market.RoleAuditor, "GET", "/pemeriksaan", nil)
	wantPage(t, "queue", res, body, http.StatusOK)
	row := regexp.MustCompile(fmt.Sprintf(`(?s)<tr data-order="%d">.*?</tr>`, id)).FindString(body)
	wantBody(t, "queue row", row, `data-flag="disputed"`, "Sengketa", fmt.Sprintf(`href="/pesanan/%d"`, id),
		`title="Pesanan ini sedang atau pernah dalam sengketa`, `data-testid="open-case"`)
	wantBody(t, "filter bar", body, `href="/pemeriksaan?tahun=2026&amp;tanda=disputed"`, `<option value="semua">`, `Sengketa (<span data-testid="flag-count">1</span>)`,
		"Semua tanda (1)", `data-testid="flag-legend"`)
	_, body = f.do(market.RoleAuditor, "GET", "/pemeriksaan?tanda=split", nil)
	wantBody(t, "split filter", body, `data-testid="no-flags"`)
	if strings.Contains(body, fmt.Sprintf(`<tr data-order="%d">`, id)) {
		t.Error("the split filter lists an order without the flag")
	}

	// A refused opening: the typed values come back with a message next to each field.
	long := strings.Repeat("j", market.MaxCaseTitle+1)
	res, body = f.do(market.RoleAuditor, "POST", "/pemeriksaan/kasus", form("order_id", fmt.Sprint(id), "title", long, "note", "  "))
	wantPage(t, "refused opening", res, body, http.StatusUnprocessableEntity)
	wantBody(t, "refused opening", field(t, body, "open-title"), `value="`+long+`"`, "Judul kasus wajib diisi, paling banyak 200 karakter.")
	wantBody(t, "refused opening", field(t, body, "open-note"), "Catatan wajib diisi, paling banyak 5000 karakter.")
	wantBody(t, "refused opening", body, fmt.Sprintf(`name="order_id" value="%d"`, id), `data-testid="open-case-refused"`)
	res, body = f.do(market.RoleAuditor, "POST", "/pemeriksaan/kasus", form("order_id", fmt.Sprint(id), "title", "", "note", "Catatan yang diketik"),
		"Cookie", "bela_lang=en; bela_session="+f.sessions[market.RoleAuditor])
	wantPage(t, "refused opening in English", res, body, http.StatusUnprocessableEntity)
	wantBody(t, "refused opening in English", body, "Catatan yang diketik", "A case title is required and can have at most 200 characters.")
	res, body = f.do(market.RoleAuditor, "POST", "/pemeriksaan/kasus", form("order_id", "abc", "title", "Judul", "note", "Catatan"))
	wantPage(t, "no order", res, body, http.StatusUnprocessableEntity)
	wantBody(t, "no order", body, "Pilih pesanan yang akan diperiksa.", `value="Judul"`)
	res, _ = f.do(market.RoleAuditor, "POST", "/pemeriksaan/kasus", form("order_id", "999999", "title", "Judul", "note", "Catatan"))
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown order: %d", res.StatusCode)
	}

	const title, note = "Sengketa kertas Disdik", "Penerima menolak separuh kertas; penyedia menyebut kirimannya kering."
	res, _ = f.do(market.RoleAuditor, "POST", "/pemeriksaan/kasus", form("order_id", fmt.Sprint(id), "title", title, "note", note))
	wantPage(t, "open", res, "", http.StatusSeeOther)
	loc := res.Header.Get("Location")
	m := regexp.MustCompile(`^/pemeriksaan/kasus/(\d+)\?ok=case\.opened$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("opened case at %q", loc)
	}
	casePath := "/pemeriksaan/kasus/" + m[1]
	res, body = f.do(market.RoleAuditor, "GET", loc, nil)
	wantPage(t, "case", res, body, http.StatusOK)
	wantBody(t, "case", body, "Kasus dibuka.", title, note, `data-state="open"`, fmt.Sprintf(`href="/pesanan/%d"`, id),
		`data-testid="flags-open"><span class="tag" data-flag="disputed"`, "Pengguna auditor", `data-testid="close-form"`)
	res, _ = f.do(market.RoleAuditor, "POST", "/pemeriksaan/kasus", form("order_id", fmt.Sprint(id), "title", "Kedua", "note", "Catatan"))
	if res.StatusCode != http.StatusConflict {
		t.Errorf("a second open case: %d", res.StatusCode)
	}

	// The order page: the auditor sees the flags and the case; the order's own people and the
	// platform admin see nothing of it.
	_, body = f.do(market.RoleAuditor, "GET", fmt.Sprintf("/pesanan/%d", id), nil)
	wantBody(t, "auditor's order page", body, `data-testid="audit-flags"`, `data-flag="disputed"`, `href="`+casePath+`"`)

	res, body = f.do(market.RoleAuditor, "POST", casePath+"/catatan", form("note", " "))
	wantPage(t, "empty note", res, body, http.StatusUnprocessableEntity)
	wantBody(t, "empty note", field(t, body, "note-body"), "Catatan wajib diisi")
	res, _ = f.do(market.RoleAuditor, "POST", casePath+"/catatan", form("note", "Surat permintaan keterangan dikirim ke PPK."))
	wantPage(t, "note", res, "", http.StatusSeeOther)

	res, body = f.do(market.RoleAuditor, "POST", casePath+"/tutup", form("conclusion", "bersalah", "note", "Catatan penutup yang diketik"))
	wantPage(t, "refused close", res, body, http.StatusUnprocessableEntity)
	wantBody(t, "refused close", field(t, body, "conclusion"), "Pilih kesimpulan pemeriksaan")
	wantBody(t, "refused close", field(t, body, "close-note"), "Catatan penutup yang diketik")
	res, body = f.do(market.RoleAuditor, "POST", casePath+"/tutup", form("conclusion", "financial", "note", ""))
	wantPage(t, "close without a note", res, body, http.StatusUnprocessableEntity)
	wantBody(t, "close without a note", field(t, body, "conclusion"), `<option value="financial" selected>`)
	wantBody(t, "close without a note", field(t, body, "close-note"), "Catatan wajib diisi")
	res, _ = f.do(market.RoleAuditor, "POST", casePath+"/tutup", form("conclusion", "administrative", "note", "Survei harga tidak didokumentasikan."))
	wantPage(t, "close", res, "", http.StatusSeeOther)
	res, _ = f.do(market.RoleAuditor, "POST", casePath+"/tutup", form("conclusion", "administrative", "note", "Lagi"))
	if res.StatusCode != http.StatusConflict {
		t.Errorf("closing a closed case: %d", res.StatusCode)
	}
	_, body = f.do(market.RoleAuditor, "GET", casePath, nil)
	wantBody(t, "closed case", body, `data-state="closed"`, `data-conclusion="administrative"`, "Temuan administratif",
		"Surat permintaan keterangan dikirim ke PPK.", "Survei harga tidak didokumentasikan.", `data-testid="reopen-form"`)
	_, body = f.do(market.RoleAuditor, "GET", casePath, nil, "Cookie", "bela_lang=en; bela_session="+f.sessions[market.RoleAuditor])
	wantBody(t, "closed case in English", body, "Administrative finding", "Closed", "Dispute")
	_, body = f.do(market.RoleAuditor, "GET", "/pemeriksaan/kasus?status=closed", nil)
	wantBody(t, "closed cases", body, title, "Ditutup — Temuan administratif")
	_, body = f.do(market.RoleAuditor, "GET", "/pemeriksaan/kasus?status=open", nil)
	wantBody(t, "open cases", body, `data-testid="no-cases"`)
	_, body = f.do(market.RoleAuditor, "GET", fmt.Sprintf("/pesanan/%d", id), nil)
	wantBody(t, "order page after closing", body, `data-testid="audit-open-case"`, "1 kasus sebelumnya")

	res, body = f.do(market.RoleAuditor, "POST", casePath+"/buka-lagi", form("reason", ""))
	wantPage(t, "reopen without a reason", res, body, http.StatusUnprocessableEntity)
	wantBody(t, "reopen without a reason", field(t, body, "reason"), "Catatan wajib diisi")
	res, _ = f.do(market.RoleAuditor, "POST", casePath+"/buka-lagi", form("reason", "Laporan baru dari masyarakat."))
	wantPage(t, "reopen", res, "", http.StatusSeeOther)
	_, body = f.do(market.RoleAuditor, "GET", casePath, nil)
	wantBody(t, "reopened case", body, `data-state="open"`, "Dibuka kembali", "Laporan baru dari masyarakat.")

	for _, role := range []market.Role{market.RoleBuyer, market.RoleApprover, market.RoleReceiver, market.RoleTreasurer, market.RoleSellerOwner, market.RoleAdmin} {
		res, body := f.do(role, "GET", fmt.Sprintf("/pesanan/%d", id), nil)
		wantPage(t, string(role)+"'s order page", res, body, http.StatusOK)
		for _, secret := range []string{`data-testid="audit-flags"`, "/pemeriksaan", title, "Buka kasus", `data-flag="disputed"`} {
			if strings.Contains(body, secret) {
				t.Errorf("%s's order page shows %q", role, secret)
			}
		}
		if strings.Contains(body, `href="/pemeriksaan"`) {
			t.Errorf("%s's navigation links the inspection", role)
		}
	}
	_, body = f.do(market.RoleAuditor, "GET", "/beranda", nil)
	wantBody(t, "auditor's navigation", body, `<a href="/pemeriksaan">Pemeriksaan</a>`)

	// What the auditors wrote is in no public page.
	for _, p := range []string{"/log", fmt.Sprintf("/belanja/pesanan/%d", id), "/belanja/pesanan"} {
		res, body := f.do("", "GET", p, nil)
		wantPage(t, p, res, body, http.StatusOK)
		for _, secret := range []string{title, note, "Surat permintaan", "Survei harga", "Laporan baru"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s shows %q", p, secret)
			}
		}
	}
}

// The admin's policy form has the near-cap band: a value out of its range is refused next to
// the field with what was typed; 0 (the off switch) is kept.
func TestPolicyNearCapField(t *testing.T) {
	f := newFixture(t)
	res, body := f.do(market.RoleAdmin, "POST", "/kebijakan", form(setIn(policyForm, "near_cap_percent", "51", "reason", "Uji")...))
	wantPage(t, "near cap out of range", res, body, http.StatusUnprocessableEntity)
	wantNextTo(t, body, "near_cap_percent", `value="51"`, "Ambang tanda dekat batas harus antara 0% dan 50% (0 mematikan tanda ini).")
	res, body = f.do(market.RoleAdmin, "POST", "/kebijakan", form(setIn(policyForm, "near_cap_percent", "0", "reason", "Tanda dekat batas dimatikan")...))
	wantPage(t, "near cap off", res, body, http.StatusSeeOther)
	if p, err := f.s.CurrentPolicy(ctx); err != nil || p.NearCapPercent != 0 {
		t.Errorf("near cap after the off switch: %d %v", p.NearCapPercent, err)
	}
	_, body = f.do(market.RoleAuditor, "GET", "/kebijakan", nil)
	wantNextTo(t, body, "near_cap_percent", `value="0"`)
}

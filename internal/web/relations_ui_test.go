package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
)

// relationsOf lists every declared relation as the fixture's auditor reads them.
func (f *fixture) relationsOf(t *testing.T) []store.SellerRelation {
	t.Helper()
	aud, err := f.s.Principal(ctx, f.ids[market.RoleAuditor])
	if err != nil {
		t.Fatal(err)
	}
	rs, err := f.s.SellerRelations(ctx, aud, store.RelationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestDeclareOwnRelation(t *testing.T) {
	f := newFixture(t)
	res, body := f.do(market.RoleBuyer, "GET", "/akun", nil)
	if res.StatusCode != 200 {
		t.Fatalf("account page: %d", res.StatusCode)
	}
	wantBody(t, "page", body, "Hubungan dengan penyedia", `action="/akun/hubungan-penyedia"`, `<option value="UD Satu — Medan Baru">`,
		`<option value="UD Dua — Medan Kota">`, "Anda belum melaporkan hubungan")

	long := strings.Repeat("saudara ", 30)
	for _, tc := range []struct {
		name, seller, relation string
		wants                  []string
	}{
		{"nothing", "", "", []string{"Pilih penyedia.", "Jelaskan hubungan dengan penyedia, paling banyak 200 karakter."}},
		{"unknown seller", "UD Tiga", "adik pemilik", []string{"Penyedia tidak ditemukan", `value="UD Tiga"`, ">adik pemilik</textarea>"}},
		{"too long", "UD Satu", long, []string{"paling banyak 200 karakter", `value="UD Satu"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := f.do(market.RoleBuyer, "POST", "/akun/hubungan-penyedia", form("seller", tc.seller, "relation", tc.relation))
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			wantBody(t, "page", body, append(tc.wants, "Periksa isian yang ditandai.")...)
		})
	}
	if rs := f.relationsOf(t); len(rs) != 0 {
		t.Fatalf("bad input stored relations: %+v", rs)
	}

	// A name typed in another case, without the kecamatan, is enough when only one seller has it.
	res, _ = f.do(market.RoleBuyer, "POST", "/akun/hubungan-penyedia", form("seller", "  ud  satu ", "relation", "Istri pemilik UD Satu"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/akun?ok=relation.declared#hubungan" {
		t.Fatalf("declare: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	rs := f.relationsOf(t)
	if len(rs) != 1 || rs[0].UserID != f.ids[market.RoleBuyer] || rs[0].SellerID != f.seller1.ID || rs[0].DeclaredBy != f.ids[market.RoleBuyer] || rs[0].Relation != "Istri pemilik UD Satu" {
		t.Fatalf("stored relations: %+v", rs)
	}
	_, body = f.do(market.RoleBuyer, "GET", "/akun?ok=relation.declared", nil)
	wantBody(t, "page", body, "Hubungan dengan penyedia tercatat.", "Istri pemilik UD Satu", `data-active="true"`)

	// Another user's account page does not show it.
	_, body = f.do(market.RoleApprover, "GET", "/akun", nil)
	if strings.Contains(body, "Istri pemilik") {
		t.Error("another user's account page shows the relation")
	}
	// Nor does any public page.
	for _, p := range []string{"/", fmt.Sprintf("/penjual/%d", f.seller1.ID), "/katalog"} {
		_, body := f.do("", "GET", p, nil)
		if strings.Contains(body, "Istri pemilik") {
			t.Errorf("%s shows the relation", p)
		}
	}
}

func TestDeclareRelationAmbiguousSellerName(t *testing.T) {
	f := newFixture(t)
	a, err := f.s.CreateSeller(ctx, store.System, "UD Kembar", "Medan Baru", "verified")
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.s.CreateSeller(ctx, store.System, "UD Kembar", "Medan Kota", "verified")
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.s.CreateSeller(ctx, store.System, "UD Kembar", "Medan Kota", "verified")
	if err != nil {
		t.Fatal(err)
	}
	_, body := f.do(market.RoleBuyer, "GET", "/akun", nil)
	wantBody(t, "page", body, `<option value="UD Kembar — Medan Baru">`, fmt.Sprintf(`<option value="UD Kembar — Medan Kota (No. %d)">`, b.ID),
		fmt.Sprintf(`<option value="UD Kembar — Medan Kota (No. %d)">`, c.ID))

	res, body := f.do(market.RoleBuyer, "POST", "/akun/hubungan-penyedia", form("seller", "UD Kembar", "relation", "anak pemilik"))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("ambiguous name: %d", res.StatusCode)
	}
	wantBody(t, "page", body, "Ada beberapa penyedia dengan nama itu")
	for _, tc := range []struct {
		label string
		want  int64
	}{
		{"UD Kembar — Medan Baru", a.ID},
		{fmt.Sprintf("UD Kembar — Medan Kota (No. %d)", c.ID), c.ID},
	} {
		res, _ = f.do(market.RoleBuyer, "POST", "/akun/hubungan-penyedia", form("seller", tc.label, "relation", "anak pemilik"))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", tc.label, res.StatusCode)
		}
		if rs := f.relationsOf(t); rs[0].SellerID != tc.want {
			t.Errorf("%s resolved to seller %d, want %d", tc.label, rs[0].SellerID, tc.want)
		}
	}
}

func TestRelationsAdminPage(t *testing.T) {
	f := newFixture(t)
	buyer, err := f.s.Principal(ctx, f.ids[market.RoleBuyer])
	if err != nil {
		t.Fatal(err)
	}
	own, err := f.s.DeclareSellerRelation(ctx, buyer, buyer.UserID, f.seller2.ID, "Adik pemilik UD Dua")
	if err != nil {
		t.Fatal(err)
	}

	res, body := f.do(market.RoleAdmin, "GET", "/admin/hubungan-penyedia", nil)
	if res.StatusCode != 200 {
		t.Fatalf("admin page: %d", res.StatusCode)
	}
	wantBody(t, "page", body, "Adik pemilik UD Dua", "Pengguna buyer", "UD Dua", `action="/admin/hubungan-penyedia"`,
		fmt.Sprintf(`action="/admin/hubungan-penyedia/%d/akhiri"`, own.ID), `href="/admin/hubungan-penyedia"`, "1 hubungan aktif dari 1 tercatat.")
	res, body = f.do(market.RoleAuditor, "GET", "/admin/hubungan-penyedia", nil)
	if res.StatusCode != 200 {
		t.Fatalf("auditor: %d", res.StatusCode)
	}
	wantBody(t, "page", body, "Adik pemilik UD Dua", "hanya Admin UKPBJ yang dapat mencatat", `href="/admin/hubungan-penyedia"`)
	if strings.Contains(body, "<form class=\"stack\" method=\"post\" action=\"/admin") || strings.Contains(body, "/akhiri") {
		t.Error("the auditor's page has the admin's forms")
	}
	for _, role := range []market.Role{market.RoleBuyer, market.RoleUnitAdmin, market.RoleCurator} {
		res, body := f.do(role, "GET", "/admin/hubungan-penyedia", nil)
		if res.StatusCode != http.StatusForbidden || strings.Contains(body, "Adik pemilik") {
			t.Errorf("%s: %d", role, res.StatusCode)
		}
		if _, body := f.do(role, "GET", "/beranda", nil); strings.Contains(body, `href="/admin/hubungan-penyedia"`) {
			t.Errorf("%s's navigation links the admin list", role)
		}
	}

	// Recording for a user by e-mail: a wrong address comes back with what was typed.
	res, body = f.do(market.RoleAdmin, "POST", "/admin/hubungan-penyedia", form("email", "tidak-ada@bela.test", "seller", "UD Satu — Medan Baru", "relation", "pemegang saham 10%"))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown e-mail: %d", res.StatusCode)
	}
	wantBody(t, "page", body, "Tidak ada pengguna dengan e-mail itu.", `value="tidak-ada@bela.test"`, `value="UD Satu — Medan Baru"`, ">pemegang saham 10%</textarea>")
	res, body = f.do(market.RoleAdmin, "POST", "/admin/hubungan-penyedia", form("seller", "UD Satu", "relation", "x"))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no e-mail: %d", res.StatusCode)
	}
	wantBody(t, "page", body, "Isi e-mail pengguna.")
	res, _ = f.do(market.RoleAdmin, "POST", "/admin/hubungan-penyedia", form("email", "Approver@bela.test", "seller", "UD Satu — Medan Baru", "relation", "pemegang saham 10%"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/hubungan-penyedia?ok=relation.recorded" {
		t.Fatalf("record: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	rs := f.relationsOf(t)
	if len(rs) != 2 || rs[0].UserID != f.ids[market.RoleApprover] || rs[0].SellerID != f.seller1.ID || rs[0].DeclaredBy != f.ids[market.RoleAdmin] {
		t.Fatalf("relations after recording: %+v", rs)
	}
	// The PPK sees on their account page what the admin recorded for them.
	_, body = f.do(market.RoleApprover, "GET", "/akun", nil)
	wantBody(t, "page", body, "pemegang saham 10%", "(Pengguna admin)")

	// Ending: only admins, once.
	end := fmt.Sprintf("/admin/hubungan-penyedia/%d/akhiri", own.ID)
	if res, _ := f.do(market.RoleAuditor, "POST", end, form()); res.StatusCode != http.StatusForbidden {
		t.Errorf("auditor ends: %d", res.StatusCode)
	}
	if res, _ := f.do(market.RoleBuyer, "POST", end, form()); res.StatusCode != http.StatusForbidden {
		t.Errorf("the user ends their own: %d", res.StatusCode)
	}
	res, _ = f.do(market.RoleAdmin, "POST", end, form())
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/hubungan-penyedia?ok=relation.endedflash" {
		t.Fatalf("end: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := f.do(market.RoleAdmin, "POST", end, form()); res.StatusCode != http.StatusNotFound {
		t.Errorf("end twice: %d", res.StatusCode)
	}
	_, body = f.do(market.RoleAdmin, "GET", "/admin/hubungan-penyedia?ok=relation.endedflash", nil)
	wantBody(t, "page", body, "1 hubungan aktif dari 2 tercatat.", fmt.Sprintf(`data-relation="%d" data-active="false"`, own.ID), "Berakhir ")
	if strings.Contains(body, end) {
		t.Error("an ended relation still has its end button")
	}
	// Active relations are listed first.
	if i, j := strings.Index(body, "pemegang saham"), strings.Index(body, "Adik pemilik"); i < 0 || j < 0 || i > j {
		t.Error("the active relation is not listed before the ended one")
	}
}

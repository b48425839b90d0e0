package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"bela/internal/market"
)

// Money typed with a decimal part is read as written or refused with the reason — never
// multiplied by deleting the dot (2000000.00 once became Rp200.000.000) — on the budget line
// form, the policy form and the checkout's shipping; a ceiling has its own upper bound.
func TestMoneyFormsReadDecimalsTruly(t *testing.T) {
	f := newOrderFixture(t)
	line := func(kode, ceiling string) (*http.Response, string) {
		return f.do(market.RoleUnitAdmin, "POST", "/anggaran", form("fiscal_year", "2026", "kode_rup", kode, "account_code", "5.1.02.01.01.0026",
			"name", "Belanja Cetak", "funding_source", "PAD", "ceiling", ceiling))
	}
	res, body := line("27700011", "2000000.00")
	wantPage(t, "ceiling with .00", res, body, http.StatusSeeOther)
	adm, _ := f.s.Principal(ctx, f.ids[market.RoleUnitAdmin])
	lines, _ := f.s.ListBudgetLines(ctx, adm, f.unit1.ID, 0)
	for _, b := range lines {
		if b.KodeRUP == "27700011" && b.Ceiling != 2_000_000 {
			t.Errorf("ceiling typed 2000000.00 stored as %s, want Rp2.000.000", b.Ceiling)
		}
	}
	for _, tc := range []struct{ name, in, want string }{
		{"one decimal", "1.5", "Tulis rupiah tanpa desimal, misalnya 2.000.000: titik hanya pemisah ribuan."},
		{"dot cents", "2000000.50", "Tulis rupiah tanpa desimal, misalnya 2.000.000: titik hanya pemisah ribuan."},
		{"comma cents", "2.000.000,50", "Rupiah tanpa sen: angka di belakang koma harus nol"},
		{"negative", "-2.000.000", "Jumlah rupiah tidak boleh negatif."},
		{"largest int64", "9223372036854775807", "Pagu paling banyak Rp100.000.000.000.000."},
	} {
		res, body := line("27700012", tc.in)
		wantPage(t, tc.name, res, body, 422)
		wantBody(t, tc.name, body, `value="`+tc.in+`"`, tc.want)
	}

	// The policy cap: 50000000.00 is Rp50.000.000, not Rp5.000.000.000.
	vals := []string{"cap", "50000000.00", "split_window_days", "30", "split_severity", "block", "price_threshold_percent", "40",
		"price_min_orders", "5", "price_lookback_days", "180", "concentration_percent", "30", "concentration_suggestions", "3",
		"approval_timeout_days", "7", "acceptance_timeout_days", "3", "payment_deadline_days", "7", "reason", "Penyesuaian Perwal 2026"}
	res, body = f.do(market.RoleAdmin, "POST", "/kebijakan", form(vals...))
	wantPage(t, "policy cap with .00", res, body, http.StatusSeeOther)
	if p, _ := f.s.CurrentPolicy(ctx); p.Cap != 50_000_000 {
		t.Errorf("cap typed 50000000.00 stored as %s", p.Cap)
	}

	// Shipping at checkout.
	f.do(market.RoleBuyer, "POST", "/keranjang", form("product_id", fmt.Sprint(f.paper), "quantity", "2"))
	res, body = f.do(market.RoleBuyer, "POST", "/keranjang/pesan", form("budget_line_id", fmt.Sprint(f.budget.ID), "ppk_id", fmt.Sprint(f.ids[market.RoleApprover]),
		"address", "Jl. Uji 1", "needed_by", "2026-12-10", fmt.Sprintf("shipping_%d", f.seller1.ID), "15.000,50"))
	wantPage(t, "shipping with cents", res, body, 422)
	wantBody(t, "shipping with cents", body, "Rupiah tanpa sen: angka di belakang koma harus nol")
}

// budgetUpload posts a budget sheet to target as role, as the import page's form does.
func budgetUpload(f *orderFixture, role market.Role, lang, target, unit string, sheet []byte) (*http.Response, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("unit", unit)
	fw, _ := mw.CreateFormFile("file", "anggaran.csv")
	fw.Write(sheet)
	mw.Close()
	req := httptest.NewRequest("POST", target, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "bela_session", Value: f.sessions[role]})
	if lang != "" {
		req.AddCookie(&http.Cookie{Name: "bela_lang", Value: lang})
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Result(), string(b)
}

// The budget import reads a ceiling by the budget line's bound, not a product price's; says
// that it is all or nothing; and answers an oversized file with the route's real limit on the
// same unit's form, for the platform admin too.
func TestBudgetImportBoundsAndWording(t *testing.T) {
	f := newOrderFixture(t)
	unit := fmt.Sprint(f.unit1.ID)
	target := "/anggaran/impor?unit=" + unit
	head := "Tahun;Kode RUP;Kode rekening;Nama;Sumber dana;Pagu\n"

	res, body := budgetUpload(f, market.RoleUnitAdmin, "", target, unit, []byte(head+"2026;27700021;5.1.02.01.01.0052;Belanja Modal Gedung;DAU;15.000.000.000\n"))
	wantPage(t, "Rp15 miliar ceiling", res, body, http.StatusOK)
	wantBody(t, "Rp15 miliar ceiling", body, `data-line="2" data-action="create"`, "Rp15.000.000.000", `name="sheet"`,
		"Simpan semua baris", "bila satu baris pun gagal, tidak ada yang disimpan")
	for _, wrong := range []string{"Simpan baris yang valid", "Baris yang tidak valid dilewati"} {
		if strings.Contains(body, wrong) {
			t.Errorf("the all-or-nothing budget import says %q", wrong)
		}
	}
	_, body = budgetUpload(f, market.RoleUnitAdmin, "en", target, unit, []byte(head+"2026;27700021;5.1.02.01.01.0052;Belanja Modal Gedung;DAU;15.000.000.000\n"))
	wantBody(t, "English preview", body, "Save all rows", "if any row fails, nothing is saved")
	if strings.Contains(body, "Save the valid rows") {
		t.Error("the English budget preview offers to save the valid rows")
	}

	res, body = budgetUpload(f, market.RoleUnitAdmin, "", target, unit, []byte(head+"2026;27700022;5.1.02.01.01.0052;Belanja Besar;DAU;200.000.000.000.000\n"))
	wantPage(t, "ceiling above the bound", res, body, 422)
	wantBody(t, "ceiling above the bound", body, `data-line="2" data-action="invalid"`, "Rp200.000.000.000.000", "Pagu paling banyak Rp100.000.000.000.000.")
	if strings.Contains(body, "Harga") {
		t.Error("a ceiling is refused with a price message")
	}

	// The form posts the unit in its address, so an upload too large to parse keeps it.
	_, body = f.do(market.RoleAdmin, "GET", target, nil)
	wantBody(t, "import form", body, `action="/anggaran/impor?unit=`+unit+`"`)
	big := append([]byte(head), bytes.Repeat([]byte("x"), 3<<20)...)
	res, body = budgetUpload(f, market.RoleAdmin, "", target, unit, big)
	wantPage(t, "oversized sheet", res, body, http.StatusRequestEntityTooLarge)
	wantBody(t, "oversized sheet", body, "Berkas terlalu besar (maksimal 1024 KB).", `enctype="multipart/form-data"`, f.unit1.Name)
	if strings.Contains(body, "MB") {
		t.Error("the oversized sheet's message names another limit")
	}
	_, body = budgetUpload(f, market.RoleAdmin, "en", target, unit, big)
	wantBody(t, "oversized sheet in English", body, "The file is too large (maximum 1024 KB).")
}

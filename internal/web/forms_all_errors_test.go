package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"bela/internal/market"
)

// nextTo returns the part of a page from the input with the given id to the next label (or the
// end of its grid cell), where that field's message belongs.
func nextTo(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, fmt.Sprintf(`id="%s"`, id))
	if i < 0 {
		t.Fatalf("the page has no field %q", id)
	}
	rest := body[i:]
	for _, end := range []string{"<label", "</div>", "<p><button"} {
		if j := strings.Index(rest, end); j > 0 {
			rest = rest[:j]
		}
	}
	return rest
}

func wantNextTo(t *testing.T, body, id string, wants ...string) {
	t.Helper()
	part := nextTo(t, body, id)
	for _, w := range wants {
		if !strings.Contains(part, w) {
			t.Errorf("field %s: lacks %q next to it in %q", id, w, part)
		}
	}
}

var policyForm = []string{"cap", "60.000.000", "near_cap_percent", "4", "split_window_days", "30", "split_severity", "block", "price_threshold_percent", "40",
	"price_min_orders", "7", "price_lookback_days", "200", "concentration_percent", "35", "concentration_suggestions", "4",
	"approval_timeout_days", "6", "acceptance_timeout_days", "3", "payment_deadline_days", "9"}

// setIn returns the form values with some replaced.
func setIn(vals []string, kv ...string) []string {
	out := append([]string(nil), vals...)
	for i := 0; i+1 < len(kv); i += 2 {
		found := false
		for j := 0; j+1 < len(out); j += 2 {
			if out[j] == kv[i] {
				out[j+1], found = kv[i+1], true
			}
		}
		if !found {
			out = append(out, kv[i], kv[i+1])
		}
	}
	return out
}

// The policy form shows every problem at once, each next to its field, with what was typed:
// values that are not numbers, values out of the policy's limits and the missing reason.
func TestPolicyFormShowsEveryProblem(t *testing.T) {
	f := newFixture(t)
	res, body := f.do(market.RoleAdmin, "POST", "/kebijakan", form(setIn(policyForm, "cap", "abc", "split_window_days", "999",
		"price_min_orders", "0", "payment_deadline_days", "tujuh", "reason", "  ")...))
	wantPage(t, "invalid policy", res, body, http.StatusUnprocessableEntity)
	wantNextTo(t, body, "cap", `value="abc"`, "Batas nilai pesanan harus angka rupiah tanpa desimal.")
	wantNextTo(t, body, "split_window_days", `value="999"`, "Jangka waktu pemeriksaan pemecahan pembelian harus antara 1 dan 366 hari.")
	wantNextTo(t, body, "price_min_orders", `value="0"`, "Jumlah minimum pesanan untuk harga acuan harus antara 1 dan 1000.")
	wantNextTo(t, body, "payment_deadline_days", `value="tujuh"`, "Isi dengan bilangan bulat.")
	wantNextTo(t, body, "reason", "Alasan perubahan kebijakan wajib diisi.")
	wantNextTo(t, body, "price_threshold_percent", `value="40"`)
	if strings.Contains(nextTo(t, body, "price_threshold_percent"), `class="error"`) {
		t.Error("a valid value is marked")
	}
	if h, _ := f.s.PolicyHistory(ctx); len(h) != 0 {
		t.Fatalf("an invalid policy was stored: %+v", h)
	}

	// In English, each message in English.
	res, body = f.do(market.RoleAdmin, "POST", "/kebijakan", form(setIn(policyForm, "cap", "abc", "split_window_days", "999", "reason", "")...),
		"Cookie", "bela_lang=en; bela_session="+f.sessions[market.RoleAdmin])
	wantPage(t, "invalid policy in English", res, body, http.StatusUnprocessableEntity)
	wantNextTo(t, body, "cap", "The order value limit must be a rupiah amount without decimals.")
	wantNextTo(t, body, "split_window_days", "must be between 1 and 366 days.")
	wantNextTo(t, body, "reason", "A reason for the policy change is required.")
}

// The policy history shows all twelve settings of each version.
func TestPolicyHistoryShowsEverySetting(t *testing.T) {
	f := newFixture(t)
	res, body := f.do(market.RoleAdmin, "POST", "/kebijakan", form(setIn(policyForm, "reason", "Penyesuaian Perwal 2026")...))
	wantPage(t, "policy", res, body, http.StatusSeeOther)
	_, body = f.do(market.RoleAuditor, "GET", "/kebijakan", nil)
	i := strings.Index(body, `data-testid="policy-history"`)
	if i < 0 {
		t.Fatal("no history table")
	}
	table := body[i:]
	table = table[:strings.Index(table, "</table>")]
	head, rows, _ := strings.Cut(table, "<tbody>")
	for _, label := range []string{"Batas nilai per pesanan (Rp)", "Jangka pemeriksaan pemecahan pembelian (hari)", "Pemecahan pembelian berupa",
		"Ambang di atas harga acuan (%)", "Minimum pesanan untuk harga acuan", "Jangka harga acuan (hari)", "Ambang konsentrasi belanja (%)",
		"Jumlah saran UMK lain", "Batas waktu persetujuan PPK (hari)", "Batas waktu penerimaan oleh penyedia (hari)", "Batas waktu pembayaran (hari)",
		"Tanda bahaya dekat batas: persen di bawah batas (0 = mati)"} {
		if !strings.Contains(head, "<th>"+label+"</th>") {
			t.Errorf("history lacks the column %q", label)
		}
	}
	want := "<td>Penyesuaian Perwal 2026</td><td>Rp60.000.000</td><td>4%</td><td>30</td><td>diblokir</td><td>40%</td><td>7</td><td>200</td><td>35%</td><td>4</td><td>6</td><td>3</td><td>9</td></tr>"
	if !strings.Contains(rows, want) {
		t.Errorf("history row lacks\n%s\nin\n%s", want, rows)
	}
}

// A role granted for a period shows the last day it holds (not the day after), in WIB; one not
// started yet shows when it starts; a date that does not parse is marked next to its field.
func TestGrantRolePeriod(t *testing.T) {
	f := newFixture(t)
	userURL := fmt.Sprintf("/pengguna/%d", f.ids[market.RoleBuyer])
	grant := fmt.Sprintf("approver:%d", f.unit1.ID)
	res, body := f.do(market.RoleAdmin, "POST", userURL+"/peran", form("grant", grant, "from", "2026-12-01", "to", "2026-12-31"))
	wantPage(t, "grant", res, body, http.StatusSeeOther)

	row := func() string {
		t.Helper()
		_, body := f.do(market.RoleAdmin, "GET", userURL, nil)
		for _, tr := range regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(body, -1) {
			if strings.Contains(tr, "01-12-2026") {
				return tr
			}
		}
		t.Fatalf("no row of the granted role in\n%s", body)
		return ""
	}
	tr := row()
	wantBody(t, "role not started yet", tr, "<td>01-12-2026</td><td>31-12-2026</td>", `data-state="future"`, "Mulai 01-12-2026", "/akhiri")
	if strings.Contains(tr, "01-01-2027") || strings.Contains(tr, "Berlaku") {
		t.Errorf("row shows the exclusive end or the role as in force: %s", tr)
	}
	// 31 December, 23:30 WIB: the role still holds.
	f.clock.Advance(time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC).Sub(f.clock.Now()))
	f.renew(market.RoleAdmin)
	wantBody(t, "last day", row(), `data-state="current"`, "Berlaku", "<td>31-12-2026</td>")
	// The holder's own home page names the same last day.
	f.renew(market.RoleBuyer)
	_, home := f.do(market.RoleBuyer, "GET", "/beranda", nil)
	if !strings.Contains(home, "<td>31-12-2026</td>") || strings.Contains(home, "01-01-2027") {
		t.Error("the home page does not show the role's last day")
	}
	// 1 January, 00:30 WIB: it has ended.
	f.clock.Advance(time.Hour)
	f.renew(market.RoleAdmin)
	tr = row()
	wantBody(t, "after the last day", tr, `data-state="ended"`, "Berakhir", "<td>31-12-2026</td>")
	if strings.Contains(tr, "/akhiri") {
		t.Error("an ended role can be ended")
	}

	res, body = f.do(market.RoleAdmin, "POST", userURL+"/peran", form("grant", grant, "from", "2026-13-01", "to", "2027-02-30"))
	wantPage(t, "bad dates", res, body, http.StatusUnprocessableEntity)
	wantNextTo(t, body, "from", `value="2026-13-01"`, "Tanggal tidak valid.")
	wantNextTo(t, body, "to", `value="2027-02-30"`, "Tanggal tidak valid.")
	u, err := f.s.GetUser(ctx, f.ids[market.RoleBuyer])
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Memberships) != 2 {
		t.Errorf("bad dates stored a role: %+v", u.Memberships)
	}
}

// The audit filter keeps what was typed and says next to each bad field what is wrong.
func TestAuditFilterKeepsInput(t *testing.T) {
	f := newFixture(t)
	res, body := f.do(market.RoleAuditor, "GET", "/audit?from=2026-13-01&id=abc&actor=-3&to=2026-12-31&type=user", nil)
	wantPage(t, "bad filter", res, body, http.StatusUnprocessableEntity)
	wantNextTo(t, body, "id", `value="abc"`, "Isi dengan bilangan bulat 0 atau lebih.")
	wantNextTo(t, body, "actor", `value="-3"`, "Isi dengan bilangan bulat 0 atau lebih.")
	wantNextTo(t, body, "from", `value="2026-13-01"`, "Tanggal tidak valid (gunakan TTTT-BB-HH).")
	wantNextTo(t, body, "to", `value="2026-12-31"`)
	wantBody(t, "bad filter", body, "Periksa kembali isian yang ditandai.", `id="type" name="type" value="user"`)
	if strings.Contains(body, "[id") || strings.Contains(nextTo(t, body, "to"), `class="error"`) {
		t.Error("the page lists field keys or marks a good field")
	}

	_, body = f.do(market.RoleAuditor, "GET", "/audit?from=2026-13-01&id=abc", nil, "Cookie", "bela_lang=en; bela_session="+f.sessions[market.RoleAuditor])
	wantNextTo(t, body, "id", "Enter a whole number of 0 or more.")
	wantNextTo(t, body, "from", "The date is not valid (use YYYY-MM-DD).")

	res, body = f.do(market.RoleAuditor, "GET", "/audit?id=12&actor=7", nil)
	wantPage(t, "good filter", res, body, http.StatusOK)
	wantNextTo(t, body, "id", `value="12"`)
	wantNextTo(t, body, "actor", `value="7"`)
}

// A relation with a seller is declared once while it is active, from the account page and the
// admin page alike; ended, it can be declared again.
func TestSellerRelationDeclaredOnceOnPages(t *testing.T) {
	f := newFixture(t)
	declare := func() (*http.Response, string) {
		return f.do(market.RoleBuyer, "POST", "/akun/hubungan-penyedia", form("seller", "UD Satu — Medan Baru", "relation", "Adik pemilik"))
	}
	res, body := declare()
	wantPage(t, "first declaration", res, body, http.StatusSeeOther)
	const again = "Hubungan dengan penyedia ini sudah tercatat dan masih berlaku"
	res, body = declare()
	wantPage(t, "second declaration", res, body, http.StatusUnprocessableEntity)
	wantNextTo(t, body, "rel-seller", `value="UD Satu — Medan Baru"`)
	wantBody(t, "second declaration", body, again, ">Adik pemilik</textarea>")
	res, body = f.do(market.RoleAdmin, "POST", "/admin/hubungan-penyedia", form("email", string(market.RoleBuyer)+"@bela.test", "seller", "UD Satu", "relation", "adik kandung pemilik"))
	wantPage(t, "admin records it again", res, body, http.StatusUnprocessableEntity)
	wantBody(t, "admin records it again", body, again)
	rs := f.relationsOf(t)
	if len(rs) != 1 {
		t.Fatalf("%d relations stored, want 1: %+v", len(rs), rs)
	}

	// Another seller is a relation of its own.
	res, body = f.do(market.RoleBuyer, "POST", "/akun/hubungan-penyedia", form("seller", "UD Dua", "relation", "Sepupu pemilik"))
	wantPage(t, "another seller", res, body, http.StatusSeeOther)

	// Ended by an admin, it can be declared again.
	res, body = f.do(market.RoleAdmin, "POST", fmt.Sprintf("/admin/hubungan-penyedia/%d/akhiri", rs[0].ID), nil)
	wantPage(t, "end", res, body, http.StatusSeeOther)
	res, body = declare()
	wantPage(t, "declaration after the end", res, body, http.StatusSeeOther)
	active := 0
	for _, r := range f.relationsOf(t) {
		if r.Active() && r.SellerID == f.seller1.ID {
			active++
		}
	}
	if active != 1 {
		t.Errorf("%d active relations with UD Satu, want 1", active)
	}
}

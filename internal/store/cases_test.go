package store_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// caseShop is the ordering shop with a second auditor and one order of the unit, clean under a
// concentration threshold of 100% (the unit's only seller has all its purchases).
type caseShop struct {
	*shop
	auditor2 *market.Principal
	order    store.Order
}

func newCaseShop(t *testing.T, s *store.Store, c *storetest.Clock) *caseShop {
	t.Helper()
	sh := &caseShop{shop: newShop(t, s, c)}
	sh.auditor2 = sh.user("Auditor Dua", store.Grant{Role: market.RoleAuditor})
	p := market.DefaultPolicy()
	p.ConcentrationPercent = 100
	noErr(t, s.SetPolicy(bg, sh.admin, p, "Uji kasus"))
	sh.order = sh.checkout(sh.input(store.CartItem{ProductID: sh.paper, Quantity: 10}))
	return sh
}

// The texts the auditors write in TestCaseLife: none of them may reach the transparency log.
const (
	caseTitle  = "Dugaan pengaturan harga kertas"
	caseNote1  = "Harga kertas dibandingkan dengan tiga toko di Medan Baru."
	caseNote2  = "Penyedia sudah dimintai keterangan tertulis."
	caseClose  = "Selisih harga wajar; Pejabat Pengadaan diingatkan mendokumentasikan survei."
	caseReopen = "Ada laporan masyarakat yang baru masuk."
)

// A case is opened, annotated, closed with a conclusion and reopened; each step is audited
// without its text, the other auditor is told in the inbox and nobody else is.
func TestCaseLife(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newCaseShop(t, s, c)
		cs, err := s.OpenCase(bg, sh.auditor, sh.order.ID, "  "+caseTitle+"  ", caseNote1)
		noErr(t, err)
		if cs.ID == 0 || cs.State != market.CaseOpen || cs.Title != caseTitle || cs.OrderID != sh.order.ID || cs.Flags == nil || len(cs.Flags) != 0 {
			t.Fatalf("opened case = %+v", cs)
		}
		c.Advance(flagDay)
		noErr(t, s.AddCaseNote(bg, sh.auditor2, cs.ID, caseNote2))
		c.Advance(flagDay)
		noErr(t, s.CloseCase(bg, sh.auditor, cs.ID, market.ConclusionAdministrative, caseClose))

		got, err := s.GetCase(bg, sh.auditor2, cs.ID)
		noErr(t, err)
		if got.State != market.CaseClosed || got.Conclusion != market.ConclusionAdministrative || got.ClosedBy != sh.auditor.UserID ||
			got.ClosedByName != "Auditor" || got.OpenedByName != "Auditor" || got.UnitName != sh.unit.Name || got.SellerName != "UD Sumber Kertas" ||
			got.OrderTotal != sh.order.Total || got.OrderState != market.StateAwaitingApproval || got.NoteCount != 3 || got.Version != 2 {
			t.Errorf("closed case = %+v", got)
		}
		type note struct {
			Author     string
			Kind       market.CaseNoteKind
			Conclusion market.CaseConclusion
			Body       string
		}
		var notes []note
		for _, n := range got.Notes {
			notes = append(notes, note{n.AuthorName, n.Kind, n.Conclusion, n.Body})
		}
		want := []note{{"Auditor", market.CaseNoteNote, "", caseNote1}, {"Auditor Dua", market.CaseNoteNote, "", caseNote2},
			{"Auditor", market.CaseNoteClose, market.ConclusionAdministrative, caseClose}}
		if diff := cmp.Diff(want, notes); diff != "" {
			t.Errorf("notes (-want +got):\n%s", diff)
		}
		if !got.Notes[1].At.Equal(storetest.Start.Add(flagDay)) {
			t.Errorf("second note at %v", got.Notes[1].At)
		}

		err = s.AddCaseNote(bg, sh.auditor, cs.ID, "Catatan setelah ditutup")
		wantCode(t, err, market.CodeConflict)
		err = s.CloseCase(bg, sh.auditor2, cs.ID, market.ConclusionFinancial, "Tutup lagi")
		wantCode(t, err, market.CodeConflict)

		noErr(t, s.ReopenCase(bg, sh.auditor2, cs.ID, caseReopen))
		err = s.ReopenCase(bg, sh.auditor2, cs.ID, caseReopen)
		wantCode(t, err, market.CodeConflict)
		got, err = s.GetCase(bg, sh.auditor, cs.ID)
		noErr(t, err)
		if got.State != market.CaseOpen || got.Conclusion != "" || got.ClosedBy != 0 || !got.ClosedAt.IsZero() ||
			len(got.Notes) != 4 || got.Notes[3].Kind != market.CaseNoteReopen || got.Notes[3].Body != caseReopen {
			t.Errorf("reopened case = %+v", got)
		}
		_, err = s.OpenCase(bg, sh.auditor2, sh.order.ID, "Kasus kedua", "Satu pesanan, satu kasus terbuka.")
		wantCode(t, err, market.CodeConflict)

		// Lists by state and order.
		for _, tc := range []struct {
			f    store.CaseFilter
			want int
		}{
			{store.CaseFilter{}, 1}, {store.CaseFilter{State: market.CaseOpen}, 1}, {store.CaseFilter{State: market.CaseClosed}, 0},
			{store.CaseFilter{OrderID: sh.order.ID}, 1}, {store.CaseFilter{OrderID: sh.order.ID + 1}, 0},
			{store.CaseFilter{UnitID: sh.unit.ID}, 1}, {store.CaseFilter{UnitID: sh.unit2.ID}, 0},
		} {
			list, err := s.ListCases(bg, sh.auditor, tc.f)
			noErr(t, err)
			if len(list) != tc.want {
				t.Errorf("%+v: %d cases, want %d", tc.f, len(list), tc.want)
			} else if len(list) == 1 && (list[0].ID != cs.ID || list[0].NoteCount != 4 || list[0].Title != caseTitle || list[0].Notes != nil) {
				t.Errorf("%+v: listed %+v", tc.f, list[0])
			}
		}

		// The other auditor is told of the opening; the unit's and the seller's people are not.
		inbox, err := s.Inbox(bg, sh.auditor2.UserID)
		noErr(t, err)
		if len(inbox) != 1 || inbox[0].Link != fmt.Sprintf("/pemeriksaan/kasus/%d", cs.ID) || !strings.Contains(inbox[0].Body, fmt.Sprintf("pesanan #%d", sh.order.ID)) {
			t.Errorf("second auditor's inbox = %+v", inbox)
		}
		if inbox, _ := s.Inbox(bg, sh.auditor.UserID); len(inbox) != 0 {
			t.Errorf("the opener was told: %+v", inbox)
		}
		for _, p := range []*market.Principal{sh.buyer, sh.ppk, sh.receiver, sh.unitAdm, sh.owner1, sh.admin} {
			inbox, err := s.Inbox(bg, p.UserID)
			noErr(t, err)
			for _, m := range inbox {
				if strings.Contains(m.Subject+m.Body, "asus") {
					t.Errorf("user %d was told: %+v", p.UserID, m)
				}
			}
		}
		var emails int
		noErr(t, s.DB().QueryRowContext(bg, `SELECT COUNT(*) FROM outbox WHERE subject LIKE '%asus%' OR body LIKE '%asus%'`).Scan(&emails))
		if emails != 0 {
			t.Errorf("%d e-mails about the case", emails)
		}

		// Every step is audited; the log's bytes say which case of which order, and the
		// conclusion, but hold none of the texts, which stay in the private column.
		rows, err := s.DB().QueryContext(bg, `SELECT action, canonical, private_detail FROM audit_events WHERE object_type = 'case' ORDER BY seq`)
		noErr(t, err)
		defer rows.Close()
		var actions []string
		var private []byte
		for rows.Next() {
			var action string
			var canon, priv []byte
			noErr(t, rows.Scan(&action, &canon, &priv))
			actions = append(actions, action)
			private = append(private, priv...)
			for _, text := range []string{caseTitle, caseNote1, caseNote2, caseClose, caseReopen, "pengaturan", "Penyedia sudah"} {
				if bytes.Contains(canon, []byte(text)) {
					t.Errorf("%s: the log's bytes hold %q: %s", action, text, canon)
				}
			}
			if !bytes.Contains(canon, []byte(fmt.Sprintf(`"order_id":{"after":%d}`, sh.order.ID))) || !bytes.Contains(canon, []byte(`"case_note":{"after":"sha256:`)) {
				t.Errorf("%s: the log's bytes lack the order or the note's hash: %s", action, canon)
			}
			if action == "case.close" && !bytes.Contains(canon, []byte(`"conclusion":{"after":"administrative"}`)) {
				t.Errorf("the closing event lacks its conclusion: %s", canon)
			}
		}
		noErr(t, rows.Err())
		if diff := cmp.Diff([]string{"case.open", "case.note", "case.close", "case.reopen"}, actions); diff != "" {
			t.Errorf("audited actions (-want +got):\n%s", diff)
		}
		for _, text := range []string{caseTitle, caseNote1, caseNote2, caseClose, caseReopen} {
			if !bytes.Contains(private, []byte(text)) {
				t.Errorf("the private detail lacks %q", text)
			}
		}
	})
}

// A case keeps the flags its order had when it was opened, and shows the flags now.
func TestCaseKeepsTheFlagsAtOpening(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newCaseShop(t, s, c)
		_, err := s.Dispute(bg, sh.buyer, sh.order.ID, "x")
		wantCode(t, err, market.CodeConflict) // not accepted yet: no dispute
		// The unit's purchases, enough for a share to count, all from one seller: 100%, which
		// no threshold of 100% passes.
		for range market.ConcentrationFlagMinPurchases - 1 {
			sh.checkout(sh.input(store.CartItem{ProductID: sh.pens, Quantity: 10}))
		}
		p, err := s.CurrentPolicy(bg)
		noErr(t, err)
		p.ConcentrationPercent = 100
		noErr(t, s.SetPolicy(bg, sh.admin, p, "Uji"))
		cs, err := s.OpenCase(bg, sh.auditor, sh.order.ID, "Pesanan kertas", "Pemeriksaan rutin.")
		noErr(t, err)
		p.ConcentrationPercent = 50
		noErr(t, s.SetPolicy(bg, sh.admin, p, "Uji"))
		got, err := s.GetCase(bg, sh.auditor, cs.ID)
		noErr(t, err)
		if len(got.Flags) != 0 || !cmp.Equal(got.FlagsNow, []market.RedFlag{market.FlagConcentration}) {
			t.Errorf("flags at opening %v, now %v", got.Flags, got.FlagsNow)
		}
		p.ConcentrationPercent = 30
		noErr(t, s.SetPolicy(bg, sh.admin, p, "Uji"))
		o2 := sh.checkout(sh.input(store.CartItem{ProductID: sh.pens, Quantity: 10}))
		cs2, err := s.OpenCase(bg, sh.auditor, o2.ID, "Pesanan pulpen", "Pemeriksaan rutin.")
		noErr(t, err)
		got, err = s.GetCase(bg, sh.auditor, cs2.ID)
		noErr(t, err)
		if !cmp.Equal(got.Flags, []market.RedFlag{market.FlagConcentration}) {
			t.Errorf("flags at opening %v", got.Flags)
		}
	})
}

// sortedFields compares field names in any order.
var sortedFields = cmpopts.SortSlices(func(a, b string) bool { return a < b })

// Field errors name each field; unknown ids are not found.
func TestCaseValidation(t *testing.T) {
	c := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, c)
	sh := newCaseShop(t, s, c)
	fields := func(err error) []string {
		t.Helper()
		wantCode(t, err, market.CodeInvalid)
		var out []string
		for f := range err.(*market.Error).Fields {
			out = append(out, f)
		}
		return out
	}
	_, err := s.OpenCase(bg, sh.auditor, sh.order.ID, " ", "")
	if diff := cmp.Diff([]string{"note", "title"}, fields(err), sortedFields); diff != "" {
		t.Errorf("empty case (-want +got):\n%s", diff)
	}
	_, err = s.OpenCase(bg, sh.auditor, sh.order.ID, strings.Repeat("j", market.MaxCaseTitle+1), strings.Repeat("c", market.MaxCaseBody+1))
	if diff := cmp.Diff([]string{"note", "title"}, fields(err), sortedFields); diff != "" {
		t.Errorf("too long (-want +got):\n%s", diff)
	}
	_, err = s.OpenCase(bg, sh.auditor, 999999, "Judul", "Catatan")
	wantCode(t, err, market.CodeNotFound)
	cs, err := s.OpenCase(bg, sh.auditor, sh.order.ID, strings.Repeat("j", market.MaxCaseTitle), strings.Repeat("c", market.MaxCaseBody))
	noErr(t, err)
	if diff := cmp.Diff([]string{"note"}, fields(s.AddCaseNote(bg, sh.auditor, cs.ID, "\n"))); diff != "" {
		t.Errorf("empty note: %s", diff)
	}
	if diff := cmp.Diff([]string{"conclusion", "note"}, fields(s.CloseCase(bg, sh.auditor, cs.ID, "bersalah", "")), sortedFields); diff != "" {
		t.Errorf("unknown conclusion (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"reason"}, fields(s.ReopenCase(bg, sh.auditor, cs.ID, ""))); diff != "" {
		t.Errorf("empty reason: %s", diff)
	}
	wantCode(t, s.AddCaseNote(bg, sh.auditor, 999999, "Catatan"), market.CodeNotFound)
	wantCode(t, s.CloseCase(bg, sh.auditor, 999999, market.ConclusionNoFinding, "Catatan"), market.CodeNotFound)
	wantCode(t, s.ReopenCase(bg, sh.auditor, 999999, "Alasan"), market.CodeNotFound)
	_, err = s.GetCase(bg, sh.auditor, 999999)
	wantCode(t, err, market.CodeNotFound)
	wantCode(t, s.ReopenCase(bg, sh.auditor, cs.ID, "Alasan"), market.CodeConflict) // still open
}

// Nobody but an auditor opens, reads or changes a case, not even a platform admin.
func TestCasesForAuditorsOnly(t *testing.T) {
	c := storetest.NewClock(storetest.Start)
	s := storetest.OpenSQLite(t, c)
	sh := newCaseShop(t, s, c)
	cs, err := s.OpenCase(bg, sh.auditor, sh.order.ID, "Judul", "Catatan")
	noErr(t, err)
	for _, p := range []*market.Principal{sh.admin, sh.buyer, sh.ppk, sh.receiver, sh.unitAdm, sh.owner1, sh.outsider, nil} {
		_, err := s.OpenCase(bg, p, sh.order.ID, "Judul", "Catatan")
		wantCode(t, err, market.CodeForbidden)
		wantCode(t, s.AddCaseNote(bg, p, cs.ID, "Catatan"), market.CodeForbidden)
		wantCode(t, s.CloseCase(bg, p, cs.ID, market.ConclusionNoFinding, "Catatan"), market.CodeForbidden)
		wantCode(t, s.ReopenCase(bg, p, cs.ID, "Alasan"), market.CodeForbidden)
		_, err = s.GetCase(bg, p, cs.ID)
		wantCode(t, err, market.CodeForbidden)
		_, err = s.ListCases(bg, p, store.CaseFilter{})
		wantCode(t, err, market.CodeForbidden)
	}
	got, err := s.GetCase(bg, sh.auditor, cs.ID)
	noErr(t, err)
	if len(got.Notes) != 1 || got.Version != 0 {
		t.Errorf("refused calls changed the case: %+v", got)
	}
}

// Eight auditors opening a case on one order at once: exactly one succeeds and the others get a
// conflict; two closing at once: one wins. A closed case's order can have a new case, and the
// old one cannot be reopened while that one is open.
func TestOneOpenCasePerOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newCaseShop(t, s, c)
		var auditors []*market.Principal
		for i := range 8 {
			auditors = append(auditors, sh.user(fmt.Sprintf("Auditor %d", i), store.Grant{Role: market.RoleAuditor}))
		}
		conflict := func(err error) error {
			if market.ErrorCode(err) != market.CodeConflict || !strings.Contains(strings.ToLower(err.(*market.Error).Message), "kasus") {
				return fmt.Errorf("want a conflict about the case, got %v", err)
			}
			return nil
		}
		n := raceCheckouts(t, 8, conflict, func(i int) error {
			_, err := s.OpenCase(bg, auditors[i], sh.order.ID, fmt.Sprintf("Kasus %d", i), "Dibuka bersamaan.")
			return err
		})
		if n != 1 {
			t.Fatalf("%d cases opened, want 1", n)
		}
		open, err := s.ListCases(bg, sh.auditor, store.CaseFilter{OrderID: sh.order.ID})
		noErr(t, err)
		if len(open) != 1 || open[0].State != market.CaseOpen {
			t.Fatalf("cases of the order = %+v", open)
		}
		id := open[0].ID
		n = raceCheckouts(t, 8, conflict, func(i int) error {
			return s.CloseCase(bg, auditors[i], id, market.ConclusionNoFinding, "Ditutup bersamaan.")
		})
		if n != 1 {
			t.Fatalf("%d closes succeeded, want 1", n)
		}
		got, err := s.GetCase(bg, sh.auditor, id)
		noErr(t, err)
		if got.State != market.CaseClosed || len(got.Notes) != 2 || got.Version != 1 {
			t.Errorf("case after concurrent closes = %+v", got)
		}

		second, err := s.OpenCase(bg, sh.auditor, sh.order.ID, "Kasus baru", "Temuan baru dari masyarakat.")
		noErr(t, err)
		err = s.ReopenCase(bg, sh.auditor, id, "Gabungkan dengan kasus lama.")
		wantCode(t, err, market.CodeConflict)
		if !strings.Contains(err.(*market.Error).Message, fmt.Sprintf("#%d", second.ID)) {
			t.Errorf("the conflict does not name the open case: %v", err)
		}
		// The database itself refuses a second open case, whatever the code checks.
		_, err = s.DB().ExecContext(bg, `UPDATE audit_cases SET state = 'open', conclusion = '' WHERE id = $1`, id)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "unique") && !strings.Contains(err.Error(), "23505") {
			t.Errorf("a second open case was stored: %v", err)
		}
	})
}

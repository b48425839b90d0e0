package web_test

import (
	"fmt"
	"strings"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
)

// The audit page shows each event as the transparency log recorded it (its canonical bytes),
// not as the indexed columns say, and flags a row whose columns were altered in the database:
// the log does not cover the columns, so `bela log verify` cannot catch such an edit.
func TestAuditPageShowsTheLoggedEventAndFlagsAlteredColumns(t *testing.T) {
	f := newFixture(t)
	_, body := f.do(market.RoleAuditor, "GET", "/audit", nil)
	if strings.Contains(body, "audit-mismatch") || strings.Contains(body, "Kolom tidak cocok") {
		t.Fatal("an untouched audit trail is flagged")
	}
	rows, err := f.s.ListAudit(ctx, store.AuditFilter{Limit: 1})
	if err != nil || len(rows) != 1 {
		t.Fatal(rows, err)
	}
	logged := rows[0]
	if logged.ActorUserID == f.ids[market.RoleAdmin] || logged.Action == "order.cancel" {
		t.Fatalf("pick another forgery for %+v", logged)
	}
	if _, err := f.s.DB().ExecContext(ctx, `UPDATE audit_events SET action = 'order.cancel', actor_user_id = $1 WHERE seq = $2`,
		f.ids[market.RoleAdmin], logged.Seq); err != nil {
		t.Fatal(err)
	}
	// The filter still finds the row by its (altered) column; the page shows the logged event.
	res, body := f.do(market.RoleAuditor, "GET", "/audit?action=order.cancel", nil)
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	_, table, ok := strings.Cut(body, `<table data-testid="audit">`)
	if !ok {
		t.Fatalf("no audit table:\n%s", body)
	}
	table, _, _ = strings.Cut(table, "</table>")
	if strings.Contains(table, "<td>order.cancel</td>") || strings.Contains(table, fmt.Sprintf("(#%d)", f.ids[market.RoleAdmin])) {
		t.Errorf("the page shows the altered columns as the event:\n%s", table)
	}
	if !strings.Contains(table, "<td>"+logged.Action+"</td>") {
		t.Errorf("the page does not show the logged action %q:\n%s", logged.Action, table)
	}
	who := "Sistem"
	if logged.ActorUserID != 0 {
		who = fmt.Sprintf("%s (#%d)", logged.ActorName, logged.ActorUserID)
	}
	if !strings.Contains(table, who) {
		t.Errorf("the page does not show the logged actor %q:\n%s", who, table)
	}
	if !strings.Contains(table, `data-testid="audit-mismatch"`) || !strings.Contains(table, "Kolom tidak cocok dengan log") ||
		!strings.Contains(table, "actor_user_id, action") {
		t.Errorf("the altered row is not flagged with its columns:\n%s", table)
	}
}

package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"bela/internal/market"
)

// apiCase is what the tests read of a case in the API's JSON.
type apiCase struct {
	ID         int64             `json:"id"`
	OrderID    int64             `json:"order_id"`
	State      string            `json:"state"`
	Title      string            `json:"title"`
	Flags      []string          `json:"flags"`
	FlagsNow   []string          `json:"flags_now"`
	Conclusion string            `json:"conclusion"`
	ClosedAt   string            `json:"closed_at"`
	NoteCount  int               `json:"note_count"`
	Notes      []json.RawMessage `json:"notes"`
	Raw        map[string]any    `json:"-"`
}

// newCaseAPI is the payment fixture's order, disputed by the buyer so that it carries the
// disputed flag (its unit's only purchase: too few for the concentration flag), with the API
// served over the fixture's server and tokens.
func newCaseAPI(t *testing.T) (*payFixture, *apiFixture) {
	t.Helper()
	f := newPayFixture(t)
	if _, err := f.s.Dispute(ctx, f.principal(f.ids[market.RoleBuyer]), f.order.ID, "Sebagian kertas basah."); err != nil {
		t.Fatal(err)
	}
	return f, &apiFixture{h: f.srv, s: f.s}
}

func decodeCase(t *testing.T, x *exchange) apiCase {
	t.Helper()
	var c apiCase
	if err := json.Unmarshal(x.body, &c); err != nil {
		t.Fatalf("%s %s: %v: %s", x.method, x.path, err, x.body)
	}
	if err := json.Unmarshal(x.body, &c.Raw); err != nil {
		t.Fatal(err)
	}
	return c
}

// wantFieldNames fails the test unless x is a 422 invalid error naming exactly the fields given.
func wantFieldNames(t *testing.T, x *exchange, fields ...string) map[string]any {
	t.Helper()
	wantStatus(t, x, http.StatusUnprocessableEntity)
	e := wantErrorCode(t, x, "invalid")
	got, _ := e["fields"].(map[string]any)
	var names []string
	for k, v := range got {
		if s, _ := v.(string); s == "" {
			t.Errorf("%s %s: field %s without a message", x.method, x.path, k)
		}
		names = append(names, k)
	}
	slices.Sort(names)
	slices.Sort(fields)
	if !slices.Equal(names, fields) {
		t.Errorf("%s %s: fields %v, want %v: %s", x.method, x.path, names, fields, x.body)
	}
	return got
}

// An auditor works through the API: lists the red-flagged orders and filters them, is refused
// bad filter values field by field, opens a case (a second one on the same order is a
// conflict), adds a note, is refused a close without a known conclusion, closes and reopens it;
// every response matches openapi.json.
func TestCaseAPI(t *testing.T) {
	v := openAPIValidator(t)
	f, api := newCaseAPI(t)
	aud := f.tokens[market.RoleAuditor]
	id := f.order.ID

	type queue struct {
		Orders []struct {
			ID         int64    `json:"id"`
			Flags      []string `json:"flags"`
			OpenCaseID int64    `json:"open_case_id"`
			Cases      int      `json:"cases"`
		} `json:"orders"`
		Counts      map[string]int `json:"counts"`
		Flagged     int            `json:"flagged"`
		FiscalYears []int          `json:"fiscal_years"`
	}
	redFlags := func(t *testing.T, query string) queue {
		t.Helper()
		x := api.do(t, "GET", "/api/v1/red-flags"+query, aud, "")
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		var q queue
		if err := json.Unmarshal(x.body, &q); err != nil {
			t.Fatalf("%s: %v", x.body, err)
		}
		return q
	}

	// The queue, every year: the disputed order with its one flag, a count for every flag.
	q := redFlags(t, "")
	if len(q.Orders) != 1 || q.Orders[0].ID != id || fmt.Sprint(q.Orders[0].Flags) != "[disputed]" || q.Orders[0].OpenCaseID != 0 ||
		q.Flagged != 1 || q.Counts["disputed"] != 1 || len(q.Counts) != len(market.RedFlagCodes) || fmt.Sprint(q.FiscalYears) != "[2026]" {
		t.Fatalf("queue = %+v", q)
	}
	// Filters: by flag (the counts stay those of the filter without its flag), year, unit, seller.
	if q := redFlags(t, "?flag=disputed&limit=10"); len(q.Orders) != 1 || q.Counts["disputed"] != 1 {
		t.Errorf("flag=disputed: %+v", q)
	}
	if q := redFlags(t, "?flag=split"); len(q.Orders) != 0 || q.Counts["disputed"] != 1 || q.Flagged != 1 {
		t.Errorf("flag=split: %+v", q)
	}
	if q := redFlags(t, fmt.Sprintf("?fiscal_year=2026&unit_id=%d&seller_id=%d", f.unit1.ID, f.seller1.ID)); len(q.Orders) != 1 {
		t.Errorf("year, unit and seller: %+v", q)
	}
	if q := redFlags(t, fmt.Sprintf("?unit_id=%d", f.unit2.ID)); len(q.Orders) != 0 || q.Flagged != 0 {
		t.Errorf("another unit: %+v", q)
	}
	if q := redFlags(t, "?fiscal_year=2025"); len(q.Orders) != 0 || fmt.Sprint(q.FiscalYears) != "[2026]" {
		t.Errorf("another year: %+v", q)
	}
	if q := redFlags(t, fmt.Sprintf("?before_id=%d", id)); len(q.Orders) != 0 || q.Flagged != 1 {
		t.Errorf("before the order: %+v", q)
	}

	// Every bad filter value is named, all at once, in the caller's language.
	x := api.do(t, "GET", "/api/v1/red-flags?fiscal_year=dua&unit_id=abc&seller_id=0&flag=nope&without_case=maybe&before_id=-1&limit=501", aud, "")
	wantFieldNames(t, x, "fiscal_year", "unit_id", "seller_id", "flag", "without_case", "before_id", "limit")
	validResponse(t, v, x)
	x = api.doWith(t, &exchange{method: "GET", path: "/api/v1/red-flags?flag=nope&limit=0", bearer: aud, extra: http.Header{"Accept-Language": {"en"}}})
	if fields := wantFieldNames(t, x, "flag", "limit"); fields["flag"] != `Unknown red flag "nope".` || fields["limit"] != "The limit must be between 1 and 500." {
		t.Errorf("English field errors: %s", x.body)
	}
	validResponse(t, v, x)

	// Opening a case: the fields it lacks are named.
	x = api.do(t, "POST", "/api/v1/cases", aud, fmt.Sprintf(`{"order_id":%d,"note":"Periksa BAST dan foto."}`, id))
	wantFieldNames(t, x, "title")
	validResponse(t, v, x)
	x = api.do(t, "POST", "/api/v1/cases", aud, `{"title":"   "}`)
	wantFieldNames(t, x, "order_id", "title", "note")
	validResponse(t, v, x)
	x = api.do(t, "POST", "/api/v1/cases", aud, `{"order_id":"satu","title":"x","note":"y"}`)
	wantFieldNames(t, x, "order_id")
	validResponse(t, v, x)
	x = api.do(t, "POST", "/api/v1/cases", aud, `{"order_id":999999,"title":"Sengketa","note":"Catatan"}`)
	wantStatus(t, x, http.StatusNotFound)
	validExchange(t, v, x)

	x = api.do(t, "POST", "/api/v1/cases", aud, fmt.Sprintf(`{"order_id":%d,"title":"Sengketa kertas basah","note":"Periksa BAST dan foto."}`, id))
	wantStatus(t, x, http.StatusCreated)
	validExchange(t, v, x)
	c := decodeCase(t, x)
	if c.ID == 0 || c.OrderID != id || c.State != "open" || c.Title != "Sengketa kertas basah" || fmt.Sprint(c.Flags) != "[disputed]" ||
		fmt.Sprint(c.FlagsNow) != "[disputed]" || len(c.Notes) != 1 || c.NoteCount != 1 || c.Conclusion != "" || c.ClosedAt != "" {
		t.Fatalf("opened case = %s", x.body)
	}
	casePath := fmt.Sprintf("/api/v1/cases/%d", c.ID)

	// One open case per order.
	x = api.do(t, "POST", "/api/v1/cases", aud, fmt.Sprintf(`{"order_id":%d,"title":"Lagi","note":"Kasus kedua."}`, id))
	wantStatus(t, x, http.StatusConflict)
	wantErrorCode(t, x, "conflict")
	validExchange(t, v, x)
	// The queue shows the open case; without_case leaves the order out.
	if q := redFlags(t, ""); len(q.Orders) != 1 || q.Orders[0].OpenCaseID != c.ID || q.Orders[0].Cases != 1 {
		t.Errorf("queue with a case: %+v", q)
	}
	if q := redFlags(t, "?without_case=true"); len(q.Orders) != 0 || q.Flagged != 0 || q.Counts["disputed"] != 0 {
		t.Errorf("without_case=true: %+v", q)
	}
	if q := redFlags(t, "?without_case=false"); len(q.Orders) != 1 {
		t.Errorf("without_case=false: %+v", q)
	}

	// A note: an empty one is refused on the request's field, body.
	x = api.do(t, "POST", casePath+"/notes", aud, `{"body":"  "}`)
	wantFieldNames(t, x, "body")
	validResponse(t, v, x)
	x = api.do(t, "POST", casePath+"/notes", aud, `{"body":"Penerima menyatakan 10 rim basah."}`)
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)
	if c := decodeCase(t, x); len(c.Notes) != 2 || c.NoteCount != 2 || c.State != "open" {
		t.Errorf("after a note: %s", x.body)
	}

	// The list, without notes, by state and order.
	list := func(t *testing.T, query string, want int) {
		t.Helper()
		x := api.do(t, "GET", "/api/v1/cases"+query, aud, "")
		wantStatus(t, x, http.StatusOK)
		validExchange(t, v, x)
		var l struct{ Cases []map[string]any }
		if err := json.Unmarshal(x.body, &l); err != nil || len(l.Cases) != want {
			t.Fatalf("cases%s = %s (%v), want %d", query, x.body, err, want)
		}
		for _, c := range l.Cases {
			if _, ok := c["notes"]; ok {
				t.Errorf("a case list shows notes: %s", x.body)
			}
		}
	}
	list(t, "", 1)
	list(t, "?state=open", 1)
	list(t, "?state=closed", 0)
	list(t, fmt.Sprintf("?order_id=%d&unit_id=%d&limit=5", id, f.unit1.ID), 1)
	list(t, fmt.Sprintf("?unit_id=%d", f.unit2.ID), 0)
	x = api.doWith(t, &exchange{method: "GET", path: "/api/v1/cases?state=pending&order_id=x", bearer: aud, extra: http.Header{"Accept-Language": {"en"}}})
	if fields := wantFieldNames(t, x, "state", "order_id"); fields["state"] != "The case state must be open or closed." {
		t.Errorf("English state error: %s", x.body)
	}
	validResponse(t, v, x)

	// Closing: an unknown conclusion and a missing note are named, then a real close.
	x = api.do(t, "POST", casePath+"/close", aud, `{"conclusion":"guilty"}`)
	wantFieldNames(t, x, "conclusion", "note")
	validResponse(t, v, x)
	x = api.do(t, "POST", casePath+"/close", aud, `{"conclusion":"administrative","note":"Berita acara tidak mencatat kondisi barang."}`)
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)
	closed := decodeCase(t, x)
	if closed.State != "closed" || closed.Conclusion != "administrative" || closed.ClosedAt == "" || closed.Raw["closed_by_name"] == nil || len(closed.Notes) != 3 {
		t.Errorf("closed case = %s", x.body)
	}
	for _, st := range []struct{ path, body string }{
		{casePath + "/close", `{"conclusion":"no_finding","note":"Lagi."}`},
		{casePath + "/notes", `{"body":"Terlambat."}`},
	} {
		x = api.do(t, "POST", st.path, aud, st.body)
		wantStatus(t, x, http.StatusConflict)
		validExchange(t, v, x)
	}
	list(t, "?state=closed", 1)

	// Reopening: the conclusion goes, the timeline keeps every step.
	x = api.do(t, "POST", casePath+"/reopen", aud, `{}`)
	wantFieldNames(t, x, "reason")
	validResponse(t, v, x)
	x = api.do(t, "POST", casePath+"/reopen", aud, `{"reason":"Ada foto baru dari penyedia."}`)
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)
	reopened := decodeCase(t, x)
	var kinds []string
	for _, n := range reopened.Notes {
		var note struct{ Kind, Conclusion string }
		if err := json.Unmarshal(n, &note); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, note.Kind+":"+note.Conclusion)
	}
	if reopened.State != "open" || reopened.Conclusion != "" || reopened.ClosedAt != "" || fmt.Sprint(kinds) != "[note: note: close:administrative reopen:]" {
		t.Errorf("reopened case = %s", x.body)
	}
	x = api.do(t, "POST", casePath+"/reopen", aud, `{"reason":"Lagi."}`)
	wantStatus(t, x, http.StatusConflict)
	validExchange(t, v, x)

	// GET gives the case as the actions did; an unknown case is not found.
	x = api.do(t, "GET", casePath, aud, "")
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)
	if got := decodeCase(t, x); got.Title != c.Title || len(got.Notes) != 4 || fmt.Sprint(got.FlagsNow) != "[disputed]" {
		t.Errorf("case = %s", x.body)
	}
	x = api.do(t, "GET", "/api/v1/cases/999999", aud, "")
	wantStatus(t, x, http.StatusNotFound)
	validExchange(t, v, x)
}

// Nobody but an auditor uses the red-flag and case API, not even a platform admin: 403 on every
// route, with the documented error, and nothing changes.
func TestCaseAPIForAuditorsOnly(t *testing.T) {
	v := openAPIValidator(t)
	f, api := newCaseAPI(t)
	auditor := f.principal(f.ids[market.RoleAuditor])
	cs, err := f.s.OpenCase(ctx, auditor, f.order.ID, "Judul rahasia", "Catatan rahasia")
	if err != nil {
		t.Fatal(err)
	}
	casePath := fmt.Sprintf("/api/v1/cases/%d", cs.ID)
	routes := []struct{ method, path, body string }{
		{"GET", "/api/v1/red-flags", ""},
		{"GET", "/api/v1/cases", ""},
		{"POST", "/api/v1/cases", fmt.Sprintf(`{"order_id":%d,"title":"Judul","note":"Catatan"}`, f.order.ID)},
		{"GET", casePath, ""},
		{"POST", casePath + "/notes", `{"body":"Catatan"}`},
		{"POST", casePath + "/close", `{"conclusion":"no_finding","note":"Catatan"}`},
		{"POST", casePath + "/reopen", `{"reason":"Alasan"}`},
	}
	for _, rt := range routes {
		for _, role := range market.Roles {
			if role == market.RoleAuditor {
				continue
			}
			x := api.do(t, rt.method, rt.path, f.tokens[role], rt.body)
			if x.status != http.StatusForbidden {
				t.Errorf("%s %s as %s: %d, want 403: %s", rt.method, rt.path, role, x.status, x.body)
				continue
			}
			wantErrorCode(t, x, "forbidden")
			validExchange(t, v, x)
		}
		x := api.do(t, rt.method, rt.path, "", rt.body)
		wantStatus(t, x, http.StatusUnauthorized)
		validResponse(t, v, x)
	}
	c, err := f.s.GetCase(ctx, auditor, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != market.CaseOpen || len(c.Notes) != 1 || c.Version != cs.Version {
		t.Errorf("refused requests changed the case: %+v", c)
	}
	// The auditor's own token gets the case.
	x := api.do(t, "GET", casePath, f.tokens[market.RoleAuditor], "")
	wantStatus(t, x, http.StatusOK)
	validExchange(t, v, x)
}

package ocds

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"bela/internal/market"
	"bela/internal/paper"
	"bela/internal/store"
)

var (
	testPublisher = Publisher{Name: "Pemerintah Kota Medan", URI: "https://bela.pemkomedan.go.id", OCIDPrefix: "ocds-abc123"}
	wib           = time.FixedZone("WIB", 7*60*60)
	testPublished = time.Date(2026, 3, 31, 17, 0, 0, 0, wib)
)

// day returns a time on the given day of March 2026 in WIB, so that the tests see the
// conversion to UTC.
func day(d, hour int) time.Time { return time.Date(2026, 3, d, hour, 0, 0, 0, wib) }

// newOrder returns an order in the given state with two lines and the dates its state implies;
// change adjusts it.
func newOrder(id int64, state market.State, change func(o *store.PublicOrder)) store.PublicOrder {
	o := store.PublicOrder{
		ID: id, Version: 3, UnitID: 7, UnitCode: "1.02.0.00.0.00.01.0000", UnitName: "Dinas Kesehatan",
		SellerID: 40 + id, SellerName: fmt.Sprintf("UD Sumber Rejeki %d", id), SellerKecamatan: "Medan Johor",
		SellerClass: market.ClassMicro, BudgetLineID: 3, KodeRUP: "41234567", AccountCode: "5.1.02.01.01.0024",
		BudgetName: "Belanja Alat Tulis Kantor", FundingSource: "APBD", FiscalYear: 2026, State: state,
		Goods: 1_500_000, Shipping: 50_000, PPN: 0, Total: 1_550_000,
		PlacedAt: day(2, 9), StateSince: day(3, 9), UpdatedAt: day(3, 9),
		Rules: []market.RuleResult{}, Justifications: map[string]string{},
		Lines: []store.PublicOrderLine{
			{LineNo: 0, ProductID: 11, Name: "Kertas HVS A4 70 gsm", Unit: "rim", CategoryCode: "ATK-KERTAS",
				ListPrice: 55_000, UnitPrice: 50_000, Quantity: 20, Amount: 1_000_000},
			{LineNo: 1, ProductID: 12, Name: "Pulpen hitam", Unit: "kotak", CategoryCode: "ATK-TULIS",
				ListPrice: 50_000, UnitPrice: 50_000, Quantity: 10, Amount: 500_000},
		},
	}
	if change != nil {
		change(&o)
	}
	return o
}

// approve sets what the PPK's approval sets: the date, the SP number and the Surat Pesanan.
func approve(o *store.PublicOrder) {
	o.ApprovedAt = day(3, 10)
	o.SPNumber = fmt.Sprintf("027/SP/%d/2026", o.ID)
	o.Documents = append(o.Documents, store.PublicDocumentRef{Code: fmt.Sprintf("SP%dX", o.ID),
		Kind: paper.KindOrderLetter, Seq: 1, Number: o.SPNumber, Date: day(3, 10)})
}

// accept approves the order and sets the seller's acceptance.
func accept(o *store.PublicOrder) {
	approve(o)
	o.AcceptedAt = day(4, 8)
}

// receive accepts the order and adds a BAST.
func receive(o *store.PublicOrder) {
	accept(o)
	o.Documents = append(o.Documents, store.PublicDocumentRef{Code: fmt.Sprintf("BA%dX", o.ID),
		Kind: paper.KindBAST, Seq: 1, Number: fmt.Sprintf("027/BAST/%d/2026", o.ID), Date: day(6, 14)})
}

// pay receives the order, invoices it and records two payments, the second one late.
func pay(o *store.PublicOrder) {
	receive(o)
	o.Documents = append(o.Documents,
		store.PublicDocumentRef{Code: fmt.Sprintf("IN%dX", o.ID), Kind: paper.KindInvoice, Seq: 1, Number: "INV-0042", Date: day(7, 9)},
		store.PublicDocumentRef{Code: fmt.Sprintf("KW%dX", o.ID), Kind: paper.KindKuitansi, Seq: 1, Number: "KW-0042", Date: day(20, 9)})
	o.Payments = []store.PublicPayment{
		{ID: 501, PaidOn: day(10, 0), Amount: 1_000_000},
		{ID: 502, PaidOn: day(20, 0), Amount: 550_000, Late: true},
	}
	o.Paid, o.LatePayments = 1_550_000, 1
}

// fixture is an order and the stage its release must show.
type fixture struct {
	name     string
	order    store.PublicOrder
	tag      string
	award    string
	contract string // empty: no contract
}

func fixtures() []fixture {
	return []fixture{
		{name: "awaiting approval with a justified warning", tag: "award", award: "pending",
			order: newOrder(101, market.StateAwaitingApproval, func(o *store.PublicOrder) {
				o.Rules = []market.RuleResult{
					{Code: market.RuleCap, Severity: market.SeverityInfo, Explanation: "Total di bawah batas."},
					{Code: market.RuleSplit, Severity: market.SeverityWarning, Explanation: "Ada pesanan serupa minggu ini."},
				}
				o.Justifications = map[string]string{
					market.RuleSplit: "Kebutuhan baru untuk posyandu.",
					market.RulePrice: "Harga termasuk ongkos antar.",
				}
			})},
		{name: "returned", tag: "award", award: "pending", order: newOrder(102, market.StateReturned, nil)},
		{name: "rejected", tag: "awardCancellation", award: "cancelled", order: newOrder(103, market.StateRejected, nil)},
		{name: "expired before approval", tag: "awardCancellation", award: "cancelled", order: newOrder(104, market.StateExpired, nil)},
		{name: "cancelled before approval", tag: "awardCancellation", award: "cancelled", order: newOrder(105, market.StateCancelled, nil)},
		{name: "approved with Surat Pesanan", tag: "contract", award: "active", contract: "pending",
			order: newOrder(106, market.StateApproved, approve)},
		{name: "declined", tag: "contractTermination", award: "unsuccessful", contract: "cancelled",
			order: newOrder(107, market.StateDeclined, approve)},
		{name: "cancelled after approval", tag: "contractTermination", award: "cancelled", contract: "cancelled",
			order: newOrder(108, market.StateCancelled, approve)},
		{name: "expired after approval", tag: "contractTermination", award: "unsuccessful", contract: "cancelled",
			order: newOrder(109, market.StateExpired, approve)},
		{name: "accepted", tag: "implementation", award: "active", contract: "active",
			order: newOrder(110, market.StateAccepted, accept)},
		{name: "shipped by a small business", tag: "implementation", award: "active", contract: "active",
			order: newOrder(111, market.StateShipped, func(o *store.PublicOrder) { accept(o); o.SellerClass = market.ClassSmall })},
		{name: "received with BAST", tag: "implementation", award: "active", contract: "active",
			order: newOrder(112, market.StateReceived, receive)},
		{name: "closed short", tag: "implementation", award: "active", contract: "active",
			order: newOrder(113, market.StateClosedShort, receive)},
		{name: "paid twice, once late", tag: "implementation", award: "active", contract: "active",
			order: newOrder(114, market.StatePaid, pay)},
		{name: "completed", tag: "contractTermination", award: "active", contract: "terminated",
			order: newOrder(115, market.StateCompleted, pay)},
		{name: "disputed without kecamatan", tag: "implementation", award: "active", contract: "active",
			order: newOrder(116, market.StateDisputed, func(o *store.PublicOrder) { receive(o); o.SellerKecamatan = "" })},
	}
}

func fixtureOrders() []store.PublicOrder {
	var out []store.PublicOrder
	for _, f := range fixtures() {
		out = append(out, f.order)
	}
	return out
}

// writePackage writes the orders through the writer that newWriter returns.
func writePackage(t *testing.T, newWriter func(*bytes.Buffer) *PackageWriter, orders []store.PublicOrder) []byte {
	t.Helper()
	var buf bytes.Buffer
	pw := newWriter(&buf)
	for _, o := range orders {
		if err := pw.Add(o); err != nil {
			t.Fatalf("Add(order %d): %v", o.ID, err)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

func releaseWriter(b *bytes.Buffer) *PackageWriter {
	return NewReleasePackageWriter(b, testPublisher, "/belanja/ocds/2026/rilis.json", testPublished)
}

func recordWriter(b *bytes.Buffer) *PackageWriter {
	return NewRecordPackageWriter(b, testPublisher, "/belanja/ocds/2026/rekaman.json", testPublished)
}

// offlineLoader refuses every schema that was not added to the compiler, so that validation
// never reaches the network.
type offlineLoader struct{}

func (offlineLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("schema %s is not available offline", url)
}

// schemaURL is where the official schemas live; their $refs use it.
const schemaURL = "https://standard.open-contracting.org/schema/1__1__5/"

// compileSchema compiles the named package schema from testdata/schema, with every schema it
// refers to mapped from its official URL to the local copy.
func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.UseLoader(offlineLoader{})
	for _, file := range []string{
		"release-schema.json", "release-package-schema.json", "record-package-schema.json",
		"versioned-release-validation-schema.json", // record packages refer to it for versionedRelease
	} {
		f, err := os.Open(filepath.Join("testdata", "schema", file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := c.AddResource(schemaURL+file, doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	sch, err := c.Compile(schemaURL + name)
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return sch
}

func validate(sch *jsonschema.Schema, data []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(doc)
}

// decode decodes JSON into maps and slices, with numbers as json.Number.
func decode(t *testing.T, data []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v map[string]any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode: %v\n%s", err, data)
	}
	return v
}

// at follows a path of object keys and array indexes through decoded JSON; it returns nil
// where the path leads nowhere.
func at(v any, path ...any) any {
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[p]
		case int:
			s, ok := v.([]any)
			if !ok || p >= len(s) {
				return nil
			}
			v = s[p]
		}
	}
	return v
}

func money(amount market.Rupiah) any {
	return map[string]any{"amount": json.Number(fmt.Sprint(int64(amount))), "currency": "IDR"}
}

func TestPackagesValidate(t *testing.T) {
	tests := []struct {
		name      string
		schema    string
		newWriter func(*bytes.Buffer) *PackageWriter
	}{
		{name: "release package", schema: "release-package-schema.json", newWriter: releaseWriter},
		{name: "record package", schema: "record-package-schema.json", newWriter: recordWriter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := writePackage(t, tt.newWriter, fixtureOrders())
			if err := validate(compileSchema(t, tt.schema), data); err != nil {
				t.Fatalf("package does not validate: %v", err)
			}
		})
	}
}

// TestValidationIsActive proves that the schema check catches mistakes: each change to a valid
// release package must make it fail.
func TestValidationIsActive(t *testing.T) {
	sch := compileSchema(t, "release-package-schema.json")
	data := writePackage(t, releaseWriter, fixtureOrders())
	accepted := fixtureIndex(t, "accepted")
	tests := []struct {
		name   string
		change func(pkg map[string]any)
		where  string // the instance location the error must name
	}{
		{name: "unknown currency", where: "/releases/0/tender/value/currency", change: func(pkg map[string]any) {
			at(pkg, "releases", 0, "tender", "value").(map[string]any)["currency"] = "RUPIAH"
		}},
		{name: "unknown tag", where: "/releases/0/tag/0", change: func(pkg map[string]any) {
			at(pkg, "releases", 0).(map[string]any)["tag"] = []any{"ordered"}
		}},
		{name: "unknown award status", where: "/releases/0/awards/0/status", change: func(pkg map[string]any) {
			at(pkg, "releases", 0, "awards", 0).(map[string]any)["status"] = "approved"
		}},
		{name: "empty date signed", where: fmt.Sprintf("/releases/%d/contracts/0/dateSigned", accepted), change: func(pkg map[string]any) {
			at(pkg, "releases", accepted, "contracts", 0).(map[string]any)["dateSigned"] = ""
		}},
		{name: "amount as text", where: "/releases/0/awards/0/value/amount", change: func(pkg map[string]any) {
			at(pkg, "releases", 0, "awards", 0, "value").(map[string]any)["amount"] = "1550000"
		}},
		{name: "no releases", where: "/releases", change: func(pkg map[string]any) { pkg["releases"] = []any{} }},
		{name: "no ocid", where: "/releases/0", change: func(pkg map[string]any) {
			delete(at(pkg, "releases", 0).(map[string]any), "ocid")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pkg := decode(t, data)
			tt.change(pkg)
			changed, err := json.Marshal(pkg)
			if err != nil {
				t.Fatal(err)
			}
			err = validate(sch, changed)
			if err == nil {
				t.Fatal("the changed package validates; want an error")
			}
			if !strings.Contains(err.Error(), "at '"+tt.where+"'") {
				t.Errorf("the error does not name %s:\n%v", tt.where, err)
			}
		})
	}
}

// fixtureIndex returns the position of the named fixture in fixtures().
func fixtureIndex(t *testing.T, name string) int {
	t.Helper()
	for i, f := range fixtures() {
		if f.name == name {
			return i
		}
	}
	t.Fatalf("no fixture %q", name)
	return -1
}

func TestReleaseFacts(t *testing.T) {
	data := writePackage(t, releaseWriter, fixtureOrders())
	pkg := decode(t, data)
	if got, want := at(pkg, "uri"), "https://bela.pemkomedan.go.id/belanja/ocds/2026/rilis.json"; got != want {
		t.Errorf("uri = %v, want %v", got, want)
	}
	if got, want := at(pkg, "publishedDate"), "2026-03-31T10:00:00Z"; got != want {
		t.Errorf("publishedDate = %v, want %v", got, want)
	}
	for i, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			o := f.order
			r := at(pkg, "releases", i)
			ocid := fmt.Sprintf("ocds-abc123-%d", o.ID)
			checks := []struct {
				what      string
				got, want any
			}{
				{"ocid", at(r, "ocid"), ocid},
				{"id", at(r, "id"), ocid + "-3"},
				{"date", at(r, "date"), "2026-03-03T02:00:00Z"},
				{"tag", at(r, "tag"), []any{f.tag}},
				{"initiationType", at(r, "initiationType"), "tender"},
				{"buyer", at(r, "buyer"), map[string]any{"id": "unit-7", "name": "Dinas Kesehatan"}},
				{"buyer roles", at(r, "parties", 0, "roles"), []any{"buyer", "payer", "procuringEntity"}},
				{"supplier roles", at(r, "parties", 1, "roles"), []any{"supplier", "payee"}},
				{"budget id", at(r, "planning", "budget", "id"), "41234567"},
				{"budget description", at(r, "planning", "budget", "description"),
					"Belanja Alat Tulis Kantor (5.1.02.01.01.0024, APBD)"},
				{"tender method", at(r, "tender", "procurementMethod"), "direct"},
				{"tender value", at(r, "tender", "value"), money(o.Total)},
				{"award status", at(r, "awards", 0, "status"), f.award},
				{"award value", at(r, "awards", 0, "value"), money(o.Total)},
				{"award date", at(r, "awards", 0, "date"), "2026-03-02T02:00:00Z"},
				{"award supplier", at(r, "awards", 0, "suppliers", 0, "id"), fmt.Sprintf("seller-%d", o.SellerID)},
				{"item ids", []any{at(r, "awards", 0, "items", 0, "id"), at(r, "awards", 0, "items", 1, "id")}, []any{"1", "2"}},
				{"item unit value", at(r, "tender", "items", 0, "unit", "value"), money(50_000)},
				{"item quantity", at(r, "tender", "items", 1, "quantity"), json.Number("10")},
				{"contracts", at(r, "contracts") != nil, f.contract != ""},
			}
			if f.contract != "" {
				checks = append(checks, []struct {
					what      string
					got, want any
				}{
					{"contract id", at(r, "contracts", 0, "id"), o.SPNumber},
					{"contract award", at(r, "contracts", 0, "awardID"), fmt.Sprint(o.ID)},
					{"contract status", at(r, "contracts", 0, "status"), f.contract},
					{"contract value", at(r, "contracts", 0, "value"), money(o.Total)},
					{"Surat Pesanan", at(r, "contracts", 0, "documents", 0), map[string]any{
						"id": o.Documents[0].Code, "documentType": "contractSigned", "title": "Surat Pesanan " + o.SPNumber,
						"url":           "https://bela.pemkomedan.go.id/verifikasi/" + o.Documents[0].Code,
						"datePublished": "2026-03-03T03:00:00Z", "format": "application/pdf", "language": "id",
					}},
				}...)
			}
			for _, c := range checks {
				if diff := cmp.Diff(c.want, c.got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", c.what, diff)
				}
			}
		})
	}
}

// release returns the release of the fixture with the given name, encoded and decoded.
func release(t *testing.T, name string) any {
	t.Helper()
	b, err := json.Marshal(NewRelease(testPublisher, fixtures()[fixtureIndex(t, name)].order))
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, b)
}

func TestReleaseDetails(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		path    []any
		want    any
	}{
		{name: "justifications sorted by rule", fixture: "awaiting approval with a justified warning",
			path: []any{"tender", "procurementMethodRationale"},
			want: "price_reference: Harga termasuk ongkos antar.; split_purchase: Kebutuhan baru untuk posyandu."},
		{name: "warnings in the tender description", fixture: "awaiting approval with a justified warning",
			path: []any{"tender", "description"}, want: "Peringatan split_purchase: Ada pesanan serupa minggu ini."},
		{name: "no rationale without justifications", fixture: "rejected",
			path: []any{"tender", "procurementMethodRationale"}, want: nil},
		{name: "no description without warnings", fixture: "rejected", path: []any{"tender", "description"}, want: nil},
		{name: "no contract before approval", fixture: "expired before approval", path: []any{"contracts"}, want: nil},
		{name: "micro seller", fixture: "accepted", path: []any{"parties", 1, "details"}, want: map[string]any{"scale": "micro"}},
		{name: "small seller", fixture: "shipped by a small business", path: []any{"parties", 1, "details", "scale"}, want: "sme"},
		{name: "seller address", fixture: "accepted", path: []any{"parties", 1, "address"},
			want: map[string]any{"locality": "Medan Johor", "countryName": "Indonesia"}},
		{name: "seller address without kecamatan", fixture: "disputed without kecamatan", path: []any{"parties", 1, "address"},
			want: map[string]any{"countryName": "Indonesia"}},
		{name: "unit identifier", fixture: "accepted", path: []any{"parties", 0, "identifier"},
			want: map[string]any{"scheme": "x_bela-unit", "id": "1.02.0.00.0.00.01.0000"}},
		{name: "not signed before acceptance", fixture: "approved with Surat Pesanan", path: []any{"contracts", 0, "dateSigned"}, want: nil},
		{name: "signed at acceptance", fixture: "accepted", path: []any{"contracts", 0, "dateSigned"}, want: "2026-03-04T01:00:00Z"},
		{name: "BAST", fixture: "received with BAST", path: []any{"contracts", 0, "implementation", "documents"}, want: []any{
			map[string]any{"id": "BA112X", "documentType": "completionCertificate", "title": "BAST 027/BAST/112/2026",
				"url":           "https://bela.pemkomedan.go.id/verifikasi/BA112X",
				"datePublished": "2026-03-06T07:00:00Z", "format": "application/pdf", "language": "id"},
		}},
		{name: "invoice without document type", fixture: "paid twice, once late",
			path: []any{"contracts", 0, "implementation", "documents", 1}, want: map[string]any{
				"id": "IN114X", "title": "Tagihan INV-0042", "url": "https://bela.pemkomedan.go.id/verifikasi/IN114X",
				"datePublished": "2026-03-07T02:00:00Z", "format": "application/pdf", "language": "id"}},
		{name: "payments", fixture: "paid twice, once late", path: []any{"contracts", 0, "implementation", "transactions"}, want: []any{
			map[string]any{"id": "501", "date": "2026-03-09T17:00:00Z", "value": money(1_000_000),
				"payer": map[string]any{"id": "unit-7", "name": "Dinas Kesehatan"},
				"payee": map[string]any{"id": "seller-154", "name": "UD Sumber Rejeki 114"}},
			map[string]any{"id": "502", "date": "2026-03-19T17:00:00Z", "value": money(550_000),
				"payer": map[string]any{"id": "unit-7", "name": "Dinas Kesehatan"},
				"payee": map[string]any{"id": "seller-154", "name": "UD Sumber Rejeki 114"}},
		}},
		{name: "no transactions before payment", fixture: "received with BAST",
			path: []any{"contracts", 0, "implementation", "transactions"}, want: nil},
		{name: "item", fixture: "rejected", path: []any{"awards", 0, "items", 0}, want: map[string]any{
			"id": "1", "description": "Kertas HVS A4 70 gsm", "quantity": json.Number("20"),
			"classification": map[string]any{"scheme": "x_bela", "id": "ATK-KERTAS"},
			"unit":           map[string]any{"name": "rim", "value": money(50_000)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := at(release(t, tt.fixture), tt.path...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%v (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

func TestRecordPackage(t *testing.T) {
	orders := fixtureOrders()
	releases := decode(t, writePackage(t, releaseWriter, orders))
	records := decode(t, writePackage(t, recordWriter, orders))
	if got, want := at(records, "uri"), "https://bela.pemkomedan.go.id/belanja/ocds/2026/rekaman.json"; got != want {
		t.Errorf("uri = %v, want %v", got, want)
	}
	for i, o := range orders {
		rec := at(records, "records", i)
		rel := at(releases, "releases", i)
		if got, want := at(rec, "ocid"), testPublisher.OCID(o.ID); got != want {
			t.Errorf("record %d: ocid = %v, want %v", i, got, want)
		}
		if diff := cmp.Diff([]any{rel}, at(rec, "releases")); diff != "" {
			t.Errorf("record %d: releases differ from the release package (-want +got):\n%s", i, diff)
		}
		compiled := at(rec, "compiledRelease").(map[string]any)
		if diff := cmp.Diff([]any{"compiled"}, compiled["tag"]); diff != "" {
			t.Errorf("record %d: compiled tag (-want +got):\n%s", i, diff)
		}
		compiled["tag"] = at(rel, "tag")
		if diff := cmp.Diff(rel, any(compiled)); diff != "" {
			t.Errorf("record %d: compiled release differs from the release beyond its tag (-want +got):\n%s", i, diff)
		}
	}
}

// TestWriterMatchesMarshal checks that streaming gives the same bytes as encoding the whole
// package at once.
func TestWriterMatchesMarshal(t *testing.T) {
	orders := fixtureOrders()[:3]
	var releases []Release
	var records []Record
	for _, o := range orders {
		releases = append(releases, NewRelease(testPublisher, o))
		records = append(records, newRecord(NewRelease(testPublisher, o)))
	}
	tests := []struct {
		name      string
		newWriter func(*bytes.Buffer) *PackageWriter
		orders    []store.PublicOrder
		pkg       any
	}{
		{name: "release package", newWriter: releaseWriter, orders: orders, pkg: struct {
			packageHeader
			Releases []Release `json:"releases"`
		}{newPackageHeader(testPublisher, "/belanja/ocds/2026/rilis.json", testPublished), releases}},
		{name: "record package", newWriter: recordWriter, orders: orders, pkg: struct {
			packageHeader
			Records []Record `json:"records"`
		}{newPackageHeader(testPublisher, "/belanja/ocds/2026/rekaman.json", testPublished), records}},
		{name: "empty release package", newWriter: releaseWriter, pkg: struct {
			packageHeader
			Releases []Release `json:"releases"`
		}{newPackageHeader(testPublisher, "/belanja/ocds/2026/rilis.json", testPublished), []Release{}}},
		{name: "empty record package", newWriter: recordWriter, pkg: struct {
			packageHeader
			Records []Record `json:"records"`
		}{newPackageHeader(testPublisher, "/belanja/ocds/2026/rekaman.json", testPublished), []Record{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := writePackage(t, tt.newWriter, tt.orders)
			want, err := json.Marshal(tt.pkg)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, '\n')
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("writer output differs from json.Marshal (-want +got):\n%s", diff)
			}
			if !json.Valid(got) {
				t.Errorf("writer output is not valid JSON:\n%s", got)
			}
		})
	}
}

// TestEmptyPackage checks a package without orders. The official package schemas ask for at
// least one release or record (minItems 1), so an empty package conforms to everything but
// that rule: the test accepts that one error and no other.
func TestEmptyPackage(t *testing.T) {
	tests := []struct {
		name      string
		schema    string
		newWriter func(*bytes.Buffer) *PackageWriter
		array     string
	}{
		{name: "release package", schema: "release-package-schema.json", newWriter: releaseWriter, array: "releases"},
		{name: "record package", schema: "record-package-schema.json", newWriter: recordWriter, array: "records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := writePackage(t, tt.newWriter, nil)
			pkg := decode(t, data)
			if diff := cmp.Diff([]any{}, pkg[tt.array]); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.array, diff)
			}
			err := validate(compileSchema(t, tt.schema), data)
			var verr *jsonschema.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("validate: %v; want only the minItems error", err)
			}
			found := false
			for _, u := range verr.BasicOutput().Errors {
				if u.Error == nil {
					continue
				}
				found = true
				if u.InstanceLocation != "/"+tt.array || !strings.HasSuffix(u.KeywordLocation, "/minItems") {
					t.Errorf("unexpected schema error at %s (%s): %v", u.InstanceLocation, u.KeywordLocation, u.Error)
				}
			}
			if !found {
				t.Errorf("validate: %v; want the minItems error", err)
			}
		})
	}
}

// readCodelist returns the codes of a codelist CSV in testdata/schema/codelists; codes that
// are no longer valid (currency's "Valid Until") are left out.
func readCodelist(t *testing.T, name string) map[string]bool {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "schema", "codelists", name+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	code, until := -1, -1
	for i, h := range rows[0] {
		switch h {
		case "Code":
			code = i
		case "Valid Until":
			until = i
		}
	}
	if code < 0 {
		t.Fatalf("%s: no Code column", name)
	}
	codes := map[string]bool{}
	for _, row := range rows[1:] {
		if until >= 0 && row[until] != "" {
			continue
		}
		codes[row[code]] = true
	}
	return codes
}

// TestCodelists checks every code the releases use against the official codelists, for the
// fixtures and for every order state with and without the PPK's approval.
func TestCodelists(t *testing.T) {
	orders := fixtureOrders()
	for i, s := range market.States {
		orders = append(orders, newOrder(int64(200+i), s, nil), newOrder(int64(300+i), s, pay))
	}
	pkg := decode(t, writePackage(t, releaseWriter, orders))

	// codes collects the values found at path in every release; "*" stands for every element
	// of an array.
	codes := func(path ...any) []any {
		values := []any{pkg}
		for _, p := range append([]any{"releases", "*"}, path...) {
			var next []any
			for _, v := range values {
				if p == "*" {
					s, _ := v.([]any)
					next = append(next, s...)
				} else if w := at(v, p); w != nil {
					next = append(next, w)
				}
			}
			values = next
		}
		return values
	}
	tests := []struct {
		name     string
		codelist string
		paths    [][]any
	}{
		{name: "release tags", codelist: "releaseTag", paths: [][]any{{"tag", "*"}}},
		{name: "initiation type", codelist: "initiationType", paths: [][]any{{"initiationType"}}},
		{name: "tender status", codelist: "tenderStatus", paths: [][]any{{"tender", "status"}}},
		{name: "procurement method", codelist: "method", paths: [][]any{{"tender", "procurementMethod"}}},
		{name: "procurement category", codelist: "procurementCategory", paths: [][]any{{"tender", "mainProcurementCategory"}}},
		{name: "award status", codelist: "awardStatus", paths: [][]any{{"awards", "*", "status"}}},
		{name: "contract status", codelist: "contractStatus", paths: [][]any{{"contracts", "*", "status"}}},
		{name: "party roles", codelist: "partyRole", paths: [][]any{{"parties", "*", "roles", "*"}}},
		{name: "document types", codelist: "documentType", paths: [][]any{
			{"contracts", "*", "documents", "*", "documentType"},
			{"contracts", "*", "implementation", "documents", "*", "documentType"},
		}},
		{name: "currencies", codelist: "currency", paths: [][]any{
			{"tender", "value", "currency"},
			{"tender", "items", "*", "unit", "value", "currency"},
			{"awards", "*", "value", "currency"},
			{"awards", "*", "items", "*", "unit", "value", "currency"},
			{"contracts", "*", "value", "currency"},
			{"contracts", "*", "items", "*", "unit", "value", "currency"},
			{"contracts", "*", "implementation", "transactions", "*", "value", "currency"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			valid := readCodelist(t, tt.codelist)
			n := 0
			for _, path := range tt.paths {
				for _, v := range codes(path...) {
					n++
					if s, ok := v.(string); !ok || !valid[s] {
						t.Errorf("%v: %v is not in %s.csv", path, v, tt.codelist)
					}
				}
			}
			if n == 0 {
				t.Errorf("no values found to check")
			}
		})
	}

	// The partyScale codelist belongs to the partyDetails scale extension, not to the standard.
	partyScale := map[string]bool{"micro": true, "sme": true, "large": true, "selfEmployed": true}
	for _, v := range codes("parties", "*", "details", "scale") {
		if s, _ := v.(string); !partyScale[s] {
			t.Errorf("details.scale %v is not in partyScale", v)
		}
	}
}

func TestEveryStateHasAStage(t *testing.T) {
	for _, s := range market.States {
		for _, approved := range []bool{false, true} {
			o := newOrder(1, s, nil)
			if approved {
				accept(&o)
			}
			st := stageOf(o)
			if st.tag == "" || st.award == "" {
				t.Errorf("%s (approved %v): empty stage %+v", s, approved, st)
			}
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestPackageWriterErrors(t *testing.T) {
	t.Run("write error is sticky", func(t *testing.T) {
		pw := NewReleasePackageWriter(failingWriter{}, testPublisher, "/belanja/ocds/2026/rilis.json", testPublished)
		o := fixtureOrders()[0]
		if err := pw.Add(o); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("Add = %v, want the write error", err)
		}
		if err := pw.Add(o); err == nil {
			t.Error("second Add = nil, want the first error")
		}
		if err := pw.Close(); err == nil {
			t.Error("Close = nil, want the first error")
		}
	})
	t.Run("add after close", func(t *testing.T) {
		var buf bytes.Buffer
		pw := NewReleasePackageWriter(&buf, testPublisher, "/belanja/ocds/2026/rilis.json", testPublished)
		if err := pw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := pw.Add(fixtureOrders()[0]); !errors.Is(err, ErrClosed) {
			t.Errorf("Add after Close = %v, want ErrClosed", err)
		}
		if err := pw.Close(); err != nil {
			t.Errorf("second Close = %v, want nil", err)
		}
	})
}

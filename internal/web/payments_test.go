package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bela/internal/blob"
	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/web"
)

// payFixture is the role fixture with a server that stores files, seller1 with an NPWP and a
// product, a budget line, and an order of unit1 from seller1 taken to a full BAST.
type payFixture struct {
	*fixture
	order store.Order
}

func (f *fixture) principal(id int64) *market.Principal {
	f.t.Helper()
	p, err := f.s.Principal(ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func newPayFixture(t *testing.T) *payFixture {
	t.Helper()
	f := newFixture(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	blobs, err := blob.Open(t.TempDir())
	must(err)
	f.srv, err = web.New(ctx, web.Config{Store: f.s, Clock: f.clock, PublicURL: "http://bela.test", Blobs: blobs})
	must(err)
	_, err = f.s.DB().ExecContext(ctx, `UPDATE sellers SET npwp = '0123456789012345', class = 'micro' WHERE id = $1`, f.seller1.ID)
	must(err)
	var product int64
	must(f.s.DB().QueryRowContext(ctx, `INSERT INTO products (seller_id, sku, name, category_code, unit, price, min_order, stock, status, created_at, updated_at)
		VALUES ($1, 'HVS', 'Kertas HVS A4', '01.01.01', 'rim', 50000, 1, 1000, 'approved', 0, 0) RETURNING id`, f.seller1.ID).Scan(&product))
	bl, err := f.s.CreateBudgetLine(ctx, f.principal(f.ids[market.RoleUnitAdmin]), f.unit1.ID, store.BudgetInput{FiscalYear: 2026, KodeRUP: "27712345",
		AccountCode: "5.1.02.01.01.0024", Name: "Belanja ATK", FundingSource: "PAD", Ceiling: 100_000_000})
	must(err)
	buyer, ppk, owner := f.principal(f.ids[market.RoleBuyer]), f.principal(f.ids[market.RoleApprover]), f.principal(f.ids[market.RoleSellerOwner])
	os, err := f.s.Checkout(ctx, buyer, store.CheckoutInput{UnitID: f.unit1.ID, BudgetLineID: bl.ID, PPKID: ppk.UserID,
		Address: "Jl. Kapten Maulana Lubis No. 2, Medan", NeededBy: f.clock.Now().Add(7 * 24 * 3600e9),
		Items: []store.CartItem{{ProductID: product, Quantity: 60}}})
	must(err)
	o := os[0]
	_, err = f.s.Approve(ctx, ppk, o.ID)
	must(err)
	_, err = f.s.Accept(ctx, owner, o.ID)
	must(err)
	_, err = f.s.Ship(ctx, owner, o.ID, store.ShipInput{DeliveryNote: "SJ-1"})
	must(err)
	o, err = f.s.Receive(ctx, f.principal(f.ids[market.RoleReceiver]), o.ID, store.ReceiveInput{Lines: []store.ReceiptLine{{OrderLineID: o.Lines[0].ID, Quantity: 60}}})
	must(err)
	return &payFixture{fixture: f, order: o}
}

func TestPaymentPagesFromBASTToRating(t *testing.T) {
	f := newPayFixture(t)
	base := fmt.Sprintf("/pesanan/%d", f.order.ID)

	// Another unit's buyer and another seller's people do not even see the page.
	sess, err := f.s.CreateSession(ctx, f.other)
	if err != nil {
		t.Fatal(err)
	}
	f.sessions["other"] = sess
	if res, _ := f.do("other", "GET", base+"/tagihan", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("other unit's buyer: %d, want 404", res.StatusCode)
	}
	if res, _ := f.do("other", "GET", base+"/dokumen/surat-pesanan.pdf", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("other unit's buyer document: %d, want 404", res.StatusCode)
	}

	res, body := f.do(market.RoleSellerOwner, "GET", base+"/tagihan", nil)
	if res.StatusCode != 200 || !strings.Contains(body, `data-testid="invoice-form"`) || !strings.Contains(body, "Rp2.955.000") {
		t.Fatalf("seller's page before invoice: %d\n%s", res.StatusCode, body)
	}
	// In English the breakdown reads in English, with the same amounts.
	_, body = f.do(market.RoleSellerOwner, "GET", base+"/tagihan", nil, "Cookie", "bela_lang=en")
	for _, want := range []string{"PPh Pasal 22 (income tax)", "the treasurer withholds PPh Pasal 22 of 1,5% of the price without PPN, Rp3.000.000.",
		"The seller is not a PKP", "Paid to the seller"} {
		if !strings.Contains(body, want) {
			t.Errorf("English payment page lacks %q", want)
		}
	}
	if strings.Contains(body, "Dibayarkan ke penjual") || strings.Contains(body, "Bendahara memotong") {
		t.Errorf("English payment page has Indonesian tax lines")
	}
	if res, _ := f.do(market.RoleTreasurer, "POST", base+"/pembayaran", form("method", "ls")); res.StatusCode != http.StatusConflict && res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("payment before invoice: %d", res.StatusCode)
	}
	res, _ = f.do(market.RoleSellerOwner, "POST", base+"/tagihan", form())
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue invoice: %d", res.StatusCode)
	}
	_, body = f.do(market.RoleSellerOwner, "GET", base+"/tagihan", nil)
	if !strings.Contains(body, fmt.Sprintf("INV/%d/2026/00001", f.seller1.ID)) || !strings.Contains(body, `data-testid="countdown"`) || !strings.Contains(body, "7 hari 0 jam lagi") {
		t.Errorf("seller's page after invoice lacks number or countdown:\n%s", body)
	}

	// The treasurer: a difference without a reason keeps the form with an error.
	res, body = f.do(market.RoleTreasurer, "POST", base+"/pembayaran", form("method", "ls", "paid_on", "2026-11-27", "reference", "SP2D-001",
		"amount", "2.900.000", "amount_pph22", "45000", "billing_pph22", "123456789012345", "ntpn_pph22", "abcd1234efgh5678"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "tulis alasannya") || !strings.Contains(body, `value="SP2D-001"`) {
		t.Fatalf("payment without reason: %d\n%s", res.StatusCode, body)
	}
	res, _ = f.do(market.RoleTreasurer, "POST", base+"/pembayaran", form("method", "ls", "paid_on", "2026-11-27", "reference", "SP2D-001",
		"amount", "2955000", "amount_pph22", "45000", "billing_pph22", "123456789012345", "ntpn_pph22", "abcd1234efgh5678"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("payment: %d", res.StatusCode)
	}
	_, body = f.do(market.RoleAuditor, "GET", base+"/tagihan", nil)
	if !strings.Contains(body, `data-state="completed"`) || !strings.Contains(body, "ABCD1234EFGH5678") {
		t.Errorf("auditor's page after payment:\n%s", body)
	}
	if _, body := f.do(market.RoleTreasurer, "GET", "/pembayaran", nil); !strings.Contains(body, "Dinas Pendidikan") {
		t.Errorf("treasurer's list lacks the unit's lateness row")
	}

	// The PPK rates; the seller replies; the public profile shows the scorecard.
	res, _ = f.do(market.RoleApprover, "POST", base+"/penilaian", form("on_time", "5", "quantity", "5", "quality", "4", "communication", "4", "comment", "Rapi"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("rate: %d", res.StatusCode)
	}
	res, _ = f.do(market.RoleSellerOwner, "POST", base+"/penilaian/balasan", form("reply", "Terima kasih"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.StatusCode)
	}
	_, body = f.do("", "GET", fmt.Sprintf("/penjual/%d", f.seller1.ID), nil)
	if !strings.Contains(body, `data-testid="score-overall">4,5/5`) || !strings.Contains(body, "Terima kasih") || !strings.Contains(body, "100%") {
		t.Errorf("public profile lacks the scorecard:\n%s", body)
	}
	if _, body := f.do(market.RoleApprover, "GET", base, nil); !strings.Contains(body, `href="/pesanan/`+fmt.Sprint(f.order.ID)+`/tagihan"`) {
		t.Errorf("order page lacks the link to the payment page")
	}
}

var verifyLink = regexp.MustCompile(`/verifikasi/([0-9a-f]+)>`)

// TestDocumentVerificationMatchesServedPDF downloads each document, re-reads it with pdftotext,
// and checks that its public verification page shows the SHA-256 of the served bytes and nothing
// private.
func TestDocumentVerificationMatchesServedPDF(t *testing.T) {
	f := newPayFixture(t)
	base := fmt.Sprintf("/pesanan/%d", f.order.ID)
	if res, _ := f.do(market.RoleSellerOwner, "POST", base+"/tagihan", form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue invoice: %d", res.StatusCode)
	}
	// Private data that must never reach the public page.
	_, err := f.s.DB().ExecContext(ctx, `UPDATE users SET nip = '198001012005011002', phone = '+6281234567890' WHERE id = $1`, f.ids[market.RoleApprover])
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []struct{ file, want string }{
		{"surat-pesanan.pdf", "SURAT PESANAN"}, {"bast.pdf", "BERITA ACARA"}, {"invoice.pdf", "2.955.000"}, {"kuitansi.pdf", "KUITANSI"},
	} {
		t.Run(doc.file, func(t *testing.T) {
			res, body := f.do(market.RoleTreasurer, "GET", base+"/dokumen/"+doc.file, nil)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
				t.Fatalf("download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
			}
			sum := sha256.Sum256([]byte(body))
			hash := hex.EncodeToString(sum[:])
			if res.Header.Get("X-Document-SHA256") != hash {
				t.Errorf("header hash %s, served bytes %s", res.Header.Get("X-Document-SHA256"), hash)
			}
			m := verifyLink.FindStringSubmatch(res.Header.Get("Link"))
			if m == nil {
				t.Fatalf("no verification link: %q", res.Header.Get("Link"))
			}
			// Regenerating gives the same bytes.
			if _, again := f.do(market.RoleAuditor, "GET", base+"/dokumen/"+doc.file, nil); again != body {
				t.Errorf("regenerated %s differs", doc.file)
			}
			text := pdfText(t, []byte(body))
			if !strings.Contains(text, doc.want) || !strings.Contains(text, "http://bela.test/verifikasi/"+m[1]) {
				t.Errorf("PDF text lacks %q or its verification URL:\n%s", doc.want, text)
			}
			res, page := f.do("", "GET", "/verifikasi/"+m[1], nil)
			if res.StatusCode != 200 || !strings.Contains(page, `data-testid="verify-sha256">`+hash+`<`) || !strings.Contains(page, "UD Satu") {
				t.Errorf("verification page: %d\n%s", res.StatusCode, page)
			}
			for _, private := range []string{"198001012005011002", "+6281234567890", "0123456789012345", "@bela.test", "SP2D"} {
				if strings.Contains(page, private) {
					t.Errorf("verification page shows private %q", private)
				}
			}
		})
	}
	if res, _ := f.do("", "GET", "/verifikasi/0000", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown code: %d", res.StatusCode)
	}
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestPaymentAPIMatchesOpenAPI walks invoice, tax, payment, rating and document download through
// the API and validates every exchange against openapi.json.
func TestPaymentAPIMatchesOpenAPI(t *testing.T) {
	v := openAPIValidator(t)
	f := newPayFixture(t)
	af := &apiFixture{h: f.srv, s: f.s}
	path := fmt.Sprintf("/api/v1/orders/%d", f.order.ID)
	owner, treasurer, ppk := f.tokens[market.RoleSellerOwner], f.tokens[market.RoleTreasurer], f.tokens[market.RoleApprover]

	x := af.do(t, "GET", path+"/tax", treasurer, "")
	wantStatus(t, x, 200)
	validExchange(t, v, x)
	if !strings.Contains(string(x.body), `"net_to_seller": 2955000`) || !strings.Contains(string(x.body), `"key": "withholding.pph22"`) {
		t.Errorf("tax = %s", x.body)
	}
	x = af.do(t, "POST", path+"/invoice", treasurer, `{}`)
	wantStatus(t, x, 403)
	validResponse(t, v, x)
	x = af.do(t, "POST", path+"/invoice", owner, `{"faktur_number":"010.001-26.12345678"}`)
	wantStatus(t, x, 422)
	validResponse(t, v, x)
	x = af.do(t, "POST", path+"/invoice", owner, `{}`)
	wantStatus(t, x, 201)
	validExchange(t, v, x)
	x = af.do(t, "POST", path+"/payments", treasurer, `{"method":"ls","paid_on":"2026-11-27","reference":"SP2D-7","amount":2955000}`)
	wantStatus(t, x, 422)
	validExchange(t, v, x)
	// An amount past the bound says the bound, not that it must be above Rp0.
	for _, c := range []struct{ amount, says, not string }{
		{"9223372036854775807", "Jumlah yang dibayarkan paling banyak Rp1.000.000.000.000.000.", "Rp0"},
		{"1000000000000000001", "Jumlah yang dibayarkan paling banyak Rp1.000.000.000.000.000.", "Rp0"},
		{"0", "Jumlah yang dibayarkan harus lebih dari Rp0.", "paling banyak"},
	} {
		x = af.do(t, "POST", path+"/payments", treasurer, `{"method":"ls","paid_on":"2026-11-27","reference":"SP2D-7","amount":`+c.amount+`}`)
		wantStatus(t, x, 422)
		validResponse(t, v, x) // the request is outside the document on purpose
		msg, _ := wantErrorCode(t, x, "invalid")["fields"].(map[string]any)["amount"].(string)
		if msg != c.says || strings.Contains(msg, c.not) {
			t.Errorf("amount %s: fields.amount = %q, want %q", c.amount, msg, c.says)
		}
	}
	x = af.do(t, "POST", path+"/payments", treasurer, `{"method":"ls","paid_on":"2026-11-27","reference":"SP2D-7","amount":2955000,`+
		`"taxes":[{"kind":"pph22","amount":45000,"billing_code":"123456789012345","ntpn":"ABCD1234EFGH5678"}]}`)
	wantStatus(t, x, 201)
	validExchange(t, v, x)
	if !strings.Contains(string(x.body), `"order_state": "completed"`) {
		t.Errorf("payment = %s", x.body)
	}
	x = af.do(t, "POST", path+"/rating", ppk, `{"on_time":5,"quantity":4,"quality":4,"communication":5,"comment":"Baik"}`)
	wantStatus(t, x, 201)
	validExchange(t, v, x)
	x = af.do(t, "POST", path+"/rating", owner, `{"reply":"Terima kasih"}`)
	wantStatus(t, x, 200)
	validExchange(t, v, x)
	x = af.do(t, "POST", path+"/rating", owner, `{"reply":"Lagi"}`)
	wantStatus(t, x, 409)
	validResponse(t, v, x)
	x = af.do(t, "GET", path+"/documents/kuitansi.pdf", treasurer, "")
	wantStatus(t, x, 200)
	validExchange(t, v, x)
	x = af.do(t, "GET", path+"/documents/nota.pdf", treasurer, "")
	wantStatus(t, x, 404)
	validResponse(t, v, x)
}

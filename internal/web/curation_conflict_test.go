package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"bela/internal/market"
	"bela/internal/store"
)

// plainUser creates a user without any role (a business owner-to-be) and returns its id.
func (f *fixture) plainUser(t *testing.T, email string) int64 {
	t.Helper()
	u, err := f.s.CreateUser(ctx, store.System, store.NewUser{Name: "Pemilik " + email, Email: email, Password: "kata-sandi-pemilik"})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// api sends a JSON request to the API with role's token.
func (f *fixture) api(role market.Role, method, path, body string) (*http.Response, string) {
	f.t.Helper()
	return f.do("", method, path, strings.NewReader(body), "Content-Type", "application/json", "Authorization", "Bearer "+f.tokens[role])
}

// TestCuratorDoesNotCurateALinkedSeller is the separation of duties of curation: a curator
// may not register a business through the API, and may not decide on a seller, review its
// listings or their revisions while she holds or held a role in it or has a declared
// relation with it. The queues mark such items; another curator decides.
func TestCuratorDoesNotCurateALinkedSeller(t *testing.T) {
	f := productFixture(t)
	cur := f.ids[market.RoleCurator]
	// Another, independent curator.
	cur2, err := f.s.CreateUserWithHash(ctx, store.System, store.NewUser{Name: "Kurator Dua", Email: "kurator2@bela.test"}, store.HashPassword(password),
		store.Grant{Role: market.RoleCurator})
	if err != nil {
		t.Fatal(err)
	}
	f.sessions["curator2"], _ = f.s.CreateSession(ctx, cur2)

	// The API does not make the curator a business owner.
	res, body := f.api(market.RoleCurator, "POST", "/api/v1/sellers", sellerJSONBody)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "tidak dapat mendaftarkan usaha") {
		t.Errorf("curator registers a business by API: %d %s", res.StatusCode, body)
	}
	if p, _ := f.s.Principal(ctx, cur); len(p.SellerIDs()) != 0 {
		t.Fatalf("the curator became a seller's member: %v", p.SellerIDs())
	}

	// A submitted listing of seller1, whose owner takes the curator on as staff.
	id := createProduct(t, f, paperForm())
	if res, _ := f.do(market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/produk/%d/ajukan", f.seller1.ID, id), form()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	owner, err := f.s.Principal(ctx, f.ids[market.RoleSellerOwner])
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.GrantRole(ctx, owner, cur, store.Grant{Role: market.RoleSellerStaff, ScopeID: f.seller1.ID}); err != nil {
		t.Fatal(err)
	}
	decide := fmt.Sprintf("/kurasi/produk/%d/keputusan", id)
	refused := func(when string) {
		t.Helper()
		_, page := f.do(market.RoleCurator, "GET", "/kurasi/produk", nil)
		if !strings.Contains(page, fmt.Sprintf(`data-product="%d" data-conflict="1"`, id)) {
			t.Errorf("%s: the queue does not mark the linked seller's listing", when)
		}
		res, page := f.do(market.RoleCurator, "GET", fmt.Sprintf("/kurasi/produk/%d", id), nil)
		if res.StatusCode != 200 || !strings.Contains(page, `data-testid="conflict"`) || strings.Contains(page, `data-testid="decision"`) {
			t.Errorf("%s: the review page offers a decision: %d", when, res.StatusCode)
		}
		res, page = f.do(market.RoleCurator, "POST", decide, form("decision", "approve"))
		if res.StatusCode != http.StatusForbidden || !strings.Contains(page, "tidak dapat mengkurasi penjual") {
			t.Errorf("%s: linked curator approves: %d", when, res.StatusCode)
		}
		res, body := f.api(market.RoleCurator, "POST", fmt.Sprintf("/api/v1/products/%d/review", id), `{"decision": "approve"}`)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: linked curator approves by API: %d %s", when, res.StatusCode, body)
		}
	}
	refused("staff")
	if p, _ := f.s.GetProduct(ctx, id); p.Status != market.ProductSubmitted {
		t.Fatalf("status = %s after refused approvals", p.Status)
	}
	// A former member is not independent either.
	var membership int64
	if err := f.s.DB().QueryRowContext(ctx, `SELECT id FROM memberships WHERE user_id = $1 AND scope_kind = 'seller'`, cur).Scan(&membership); err != nil {
		t.Fatal(err)
	}
	if err := f.s.EndMembership(ctx, owner, membership); err != nil {
		t.Fatal(err)
	}
	refused("former staff")
	// Another curator sees no mark and decides.
	if _, page := f.do("curator2", "GET", "/kurasi/produk", nil); strings.Contains(page, `data-conflict`) {
		t.Error("the queue marks a listing for an independent curator")
	}
	if res, _ := f.do("curator2", "POST", decide, form("decision", "approve")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("independent curator approves: %d", res.StatusCode)
	}

	// A revision of the live listing: the same.
	res, _ = f.do(market.RoleSellerOwner, "POST", fmt.Sprintf("/usaha/%d/produk/%d", f.seller1.ID, id), strings.NewReader(paperForm("price", "52.000").Encode()))
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "pflash.revision") {
		t.Fatalf("price edit: %d", res.StatusCode)
	}
	refused("revision")
	if p, _ := f.s.GetProduct(ctx, id); p.Pending == nil || p.Price != 55000 {
		t.Fatalf("the revision was decided by the linked curator: %+v", p.Pending)
	}
	if res, _ := f.do("curator2", "POST", decide, form("decision", "approve")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("independent curator approves the revision: %d", res.StatusCode)
	}

	// The seller's verification: seller1 (formerly staffed) and seller2 (a declared relation).
	if _, err := f.s.DB().ExecContext(ctx, `UPDATE sellers SET status = 'submitted', submitted_at = 1`); err != nil {
		t.Fatal(err)
	}
	me, err := f.s.Principal(ctx, cur)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.DeclareSellerRelation(ctx, me, cur, f.seller2.ID, "Adik kandung pemilik"); err != nil {
		t.Fatal(err)
	}
	_, page := f.do(market.RoleCurator, "GET", "/kurasi", nil)
	for _, sl := range []int64{f.seller1.ID, f.seller2.ID} {
		if !strings.Contains(page, fmt.Sprintf(`data-seller="%d" data-conflict="1"`, sl)) {
			t.Errorf("the seller queue does not mark seller %d", sl)
		}
		res, page := f.do(market.RoleCurator, "GET", fmt.Sprintf("/kurasi/penjual/%d", sl), nil)
		if res.StatusCode != 200 || !strings.Contains(page, `data-testid="conflict"`) || strings.Contains(page, fmt.Sprintf(`action="/kurasi/penjual/%d/keputusan"`, sl)) {
			t.Errorf("seller %d: the file offers a decision: %d", sl, res.StatusCode)
		}
		res, page = f.do(market.RoleCurator, "POST", fmt.Sprintf("/kurasi/penjual/%d/keputusan", sl), form("decision", "verify"))
		if res.StatusCode != http.StatusForbidden || !strings.Contains(page, "tidak dapat mengkurasi penjual") {
			t.Errorf("seller %d: linked curator verifies: %d", sl, res.StatusCode)
		}
		res, _ = f.api(market.RoleCurator, "POST", fmt.Sprintf("/api/v1/sellers/%d/verification", sl), `{"decision": "verify"}`)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("seller %d: linked curator verifies by API: %d", sl, res.StatusCode)
		}
		if got, _ := f.s.GetSeller(ctx, sl); got.SellerStatus() != market.SellerSubmitted {
			t.Errorf("seller %d: status %s after refused decisions", sl, got.Status)
		}
		if res, _ := f.do("curator2", "POST", fmt.Sprintf("/kurasi/penjual/%d/keputusan", sl), form("decision", "verify")); res.StatusCode != http.StatusSeeOther {
			t.Errorf("seller %d: independent curator verifies: %d", sl, res.StatusCode)
		}
	}
}

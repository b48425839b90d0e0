package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/store/storetest"
)

// relationRow is what the tests compare of a listed relation.
type relationRow struct {
	User, Seller, Relation, DeclaredBy string
	Active                             bool
}

func relationRows(rs []store.SellerRelation) []relationRow {
	out := []relationRow{}
	for _, r := range rs {
		out = append(out, relationRow{r.UserName, r.SellerName, r.Relation, r.DeclaredByName, r.Active()})
	}
	return out
}

func TestSellerRelationsList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		own, err := s.DeclareSellerRelation(bg, sh.buyer, sh.buyer.UserID, sh.seller1, "  Suami pemilik UD Sumber Kertas ")
		noErr(t, err)
		c.Advance(time.Hour)
		ended, err := s.DeclareSellerRelation(bg, sh.admin, sh.ppk.UserID, sh.seller2, "mantan karyawan")
		noErr(t, err)
		c.Advance(time.Hour)
		_, err = s.DeclareSellerRelation(bg, sh.admin, sh.buyer2.UserID, sh.seller2, "sepupu pemilik")
		noErr(t, err)
		c.Advance(time.Hour)
		noErr(t, s.EndSellerRelation(bg, sh.admin, ended.ID))

		all := []relationRow{
			{"Pejabat Pengadaan Dua", "CV Dapur Melayu", "sepupu pemilik", "Admin UKPBJ", true},
			{"Pejabat Pengadaan", "UD Sumber Kertas", "Suami pemilik UD Sumber Kertas", "Pejabat Pengadaan", true},
			{"PPK", "CV Dapur Melayu", "mantan karyawan", "Admin UKPBJ", false},
		}
		for _, tc := range []struct {
			name string
			p    *market.Principal
			f    store.RelationFilter
			want []relationRow
			code market.Code
		}{
			{"admin sees all, active first", sh.admin, store.RelationFilter{}, all, ""},
			{"auditor sees all", sh.auditor, store.RelationFilter{}, all, ""},
			{"admin filters by seller", sh.admin, store.RelationFilter{SellerID: sh.seller2}, []relationRow{all[0], all[2]}, ""},
			{"admin filters by user", sh.admin, store.RelationFilter{UserID: sh.ppk.UserID}, all[2:], ""},
			{"active only", sh.auditor, store.RelationFilter{ActiveOnly: true}, all[:2], ""},
			{"buyer sees their own", sh.buyer, store.RelationFilter{}, all[1:2], ""},
			{"buyer asks for their own", sh.buyer, store.RelationFilter{UserID: sh.buyer.UserID}, all[1:2], ""},
			{"ppk sees their ended one", sh.ppk, store.RelationFilter{}, all[2:], ""},
			{"seller owner has none", sh.owner1, store.RelationFilter{}, []relationRow{}, ""},
			{"unit admin cannot read a user's", sh.unitAdm, store.RelationFilter{UserID: sh.buyer.UserID}, []relationRow{}, market.CodeForbidden},
			{"buyer cannot read another's", sh.buyer, store.RelationFilter{UserID: sh.buyer2.UserID}, []relationRow{}, market.CodeForbidden},
			{"nobody", nil, store.RelationFilter{}, []relationRow{}, market.CodeForbidden},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rs, err := s.SellerRelations(bg, tc.p, tc.f)
				if tc.code != "" {
					wantCode(t, err, tc.code)
				} else {
					noErr(t, err)
				}
				if diff := cmp.Diff(tc.want, relationRows(rs)); diff != "" {
					t.Errorf("relations (-want +got):\n%s", diff)
				}
			})
		}

		rs, err := s.SellerRelations(bg, sh.buyer, store.RelationFilter{})
		noErr(t, err)
		got := rs[0]
		if got.ID != own.ID || got.UserID != sh.buyer.UserID || got.SellerID != sh.seller1 || got.DeclaredBy != sh.buyer.UserID ||
			!got.DeclaredAt.Equal(storetest.Start) || !got.EndedAt.IsZero() {
			t.Errorf("own relation = %+v", got)
		}
		rs, err = s.SellerRelations(bg, sh.admin, store.RelationFilter{UserID: sh.ppk.UserID})
		noErr(t, err)
		if want := storetest.Start.Add(3 * time.Hour); !rs[0].EndedAt.Equal(want) {
			t.Errorf("ended at %v, want %v", rs[0].EndedAt, want)
		}
	})
}

// TestDeclaredRelationLifecycle follows one relation from its declaration by the user to its
// end by an admin, through the checkout it blocks and then allows.
func TestDeclaredRelationLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		_, err := s.DeclareSellerRelation(bg, sh.buyer, sh.buyer2.UserID, sh.seller1, "kakak ipar")
		wantCode(t, err, market.CodeForbidden)
		_, err = s.DeclareSellerRelation(bg, sh.buyer, sh.buyer.UserID, sh.seller1, "   ")
		wantCode(t, err, market.CodeInvalid)
		r, err := s.DeclareSellerRelation(bg, sh.buyer, sh.buyer.UserID, sh.seller1, "kakak ipar pemilik")
		noErr(t, err)

		in := sh.input(store.CartItem{ProductID: sh.paper, Quantity: 2})
		_, err = s.Checkout(bg, sh.buyer, in)
		wantCode(t, err, market.CodeRuleBlocked)
		var me *market.Error
		if !errors.As(err, &me) || len(me.Rules) == 0 || me.Rules[0].Code != market.RuleConflict {
			t.Fatalf("checkout blocked by %v, want the conflict of interest", err)
		}
		wantCode(t, s.EndSellerRelation(bg, sh.buyer, r.ID), market.CodeForbidden)
		wantCode(t, s.EndSellerRelation(bg, sh.auditor, r.ID), market.CodeForbidden)

		c.Advance(time.Minute)
		noErr(t, s.EndSellerRelation(bg, sh.admin, r.ID))
		wantCode(t, s.EndSellerRelation(bg, sh.admin, r.ID), market.CodeNotFound)
		sh.checkout(in)

		rs, err := s.SellerRelations(bg, sh.buyer, store.RelationFilter{})
		noErr(t, err)
		if len(rs) != 1 || rs[0].Active() {
			t.Errorf("after the end: %+v", rs)
		}
		rs, err = s.SellerRelations(bg, sh.buyer, store.RelationFilter{ActiveOnly: true})
		noErr(t, err)
		if len(rs) != 0 {
			t.Errorf("active after the end: %+v", rs)
		}
	})
}

func TestRelationSellers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		frozen := sh.addSeller("Apotek Dibekukan", "micro", false)
		sh.exec(`UPDATE sellers SET status = 'suspended' WHERE id = $1`, frozen)
		draft := sh.addSeller("Bengkel Baru", "micro", false)
		sh.exec(`UPDATE sellers SET status = 'draft' WHERE id = $1`, draft)
		got, err := s.RelationSellers(bg)
		noErr(t, err)
		want := []store.SellerChoice{
			{ID: frozen, Name: "Apotek Dibekukan", Kecamatan: "Medan Baru"},
			{ID: sh.seller2, Name: "CV Dapur Melayu", Kecamatan: "Medan Baru"},
			{ID: sh.seller1, Name: "UD Sumber Kertas", Kecamatan: "Medan Baru"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("sellers (-want +got):\n%s", diff)
		}
	})
}

// TestDeclaredRelationStaysOutOfThePublicLog checks the audit event of a declaration: its
// public encoding (the transparency log's leaf) carries the description and who is related to
// which seller only as salted hashes, while the private detail keeps them for auditors.
func TestDeclaredRelationStaysOutOfThePublicLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		sh := newShop(t, s, c)
		r, err := s.DeclareSellerRelation(bg, sh.buyer, sh.buyer.UserID, sh.seller1, "Menantu pemilik UD Sumber Kertas")
		noErr(t, err)
		var canonical, private []byte
		noErr(t, s.DB().QueryRowContext(bg, `SELECT canonical, private_detail FROM audit_events
			WHERE action = 'seller_relation.declare' AND object_id = $1`, r.ID).Scan(&canonical, &private))
		if strings.Contains(string(canonical), "Menantu") || !strings.Contains(string(canonical), `"relation"`) {
			t.Errorf("public encoding %s", canonical)
		}
		// Nor does it say who is related to which seller (self-declared, the actor is the user).
		for _, key := range []string{"related_user_id", "related_seller_id"} {
			if !strings.Contains(string(canonical), `"`+key+`":{"after":"sha256:`) {
				t.Errorf("public encoding shows %s: %s", key, canonical)
			}
		}
		if strings.Contains(string(canonical), `"seller_id"`) {
			t.Errorf("public encoding names the seller: %s", canonical)
		}
		if !strings.Contains(string(private), "Menantu pemilik UD Sumber Kertas") {
			t.Errorf("private detail %s lacks the relation", private)
		}
	})
}

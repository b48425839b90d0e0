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

// makeSeller creates a seller with a status, class and KBLI codes, reaching under the
// onboarding use cases (which need documents and a curator) to set class and KBLI directly.
func makeSeller(t *testing.T, s *store.Store, name string, status market.SellerStatus, class market.UMKClass, kbli ...string) int64 {
	t.Helper()
	sl, err := s.CreateSeller(ctx, store.System, name, "Medan Baru", string(status))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `UPDATE sellers SET class = $1 WHERE id = $2`, string(class), sl.ID); err != nil {
		t.Fatal(err)
	}
	for _, k := range kbli {
		if _, err := s.DB().ExecContext(ctx, `INSERT INTO seller_kbli (seller_id, kbli) VALUES ($1, $2)`, sl.ID, k); err != nil {
			t.Fatal(err)
		}
	}
	return sl.ID
}

// paper is a valid listing in "Kertas HVS" (KBLI 47611 allows it).
func paper(sku string, price market.Rupiah) market.Product {
	return market.Product{SKU: sku, Name: "Kertas HVS A4 70 gsm", Description: "Kertas fotokopi putih, 500 lembar per rim.",
		CategoryCode: "01.01.01", Unit: "rim", Price: price, MinOrder: 1, Stock: 100, PublicPrice: 60000,
		Specs: []market.Spec{{Key: "Ukuran", Value: "A4"}}}
}

var (
	seller  = store.Actor{UserID: 0, Role: market.RoleSellerOwner}
	curator = store.Actor{UserID: 0, Role: market.RoleCurator}
)

func fieldOf(err error) map[string]string {
	var me *market.Error
	if errors.As(err, &me) {
		return me.Fields
	}
	return nil
}

func TestProductDraftRulesAndSKU(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		sid := makeSeller(t, s, "Toko ATK Sinar", market.SellerVerified, market.ClassMicro, "47611")
		other := makeSeller(t, s, "Toko ATK Lain", market.SellerVerified, market.ClassMicro, "47611")
		p, err := s.CreateProduct(ctx, seller, sid, paper("HVS-A4", 55000))
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != market.ProductDraft || p.Shown() || p.Specs[0].Value != "A4" || p.SellerName != "Toko ATK Sinar" {
			t.Errorf("created = %+v", p)
		}
		// The same SKU again for the same seller is refused, for another seller it is fine.
		_, err = s.CreateProduct(ctx, seller, sid, paper("HVS-A4", 50000))
		if f := fieldOf(err); !strings.Contains(f["sku"], "sudah dipakai") {
			t.Errorf("duplicate SKU: %v", err)
		}
		if _, err := s.CreateProduct(ctx, seller, other, paper("HVS-A4", 50000)); err != nil {
			t.Errorf("same SKU at another seller: %v", err)
		}
		// Price parity and the KBLI rule.
		_, err = s.CreateProduct(ctx, seller, sid, paper("HVS-F4", 65000))
		if f := fieldOf(err); !strings.Contains(f["price"], "tidak boleh lebih tinggi") {
			t.Errorf("price above the public price: %v", err)
		}
		laptop := paper("LAP-1", 5000000)
		laptop.CategoryCode, laptop.Unit, laptop.PublicPrice = "07.01.01", "unit", 0
		_, err = s.CreateProduct(ctx, seller, sid, laptop)
		if f := fieldOf(err); !strings.Contains(f["category"], "47411") || !strings.Contains(f["category"], "47611") {
			t.Errorf("category outside the seller's KBLI: %v", err)
		}
		// Another seller's product is not found for this seller.
		if _, err := s.UpdateProduct(ctx, seller, other, p.ID, paper("HVS-A4", 54000)); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("update another seller's product: %v", err)
		}
		if err := s.SubmitProduct(ctx, seller, other, p.ID); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("submit another seller's product: %v", err)
		}
		// A draft changes in place.
		mode, err := s.UpdateProduct(ctx, seller, sid, p.ID, paper("HVS-A4", 54000))
		if err != nil || mode != market.EditInPlace {
			t.Fatalf("update draft: %v %v", mode, err)
		}
		got, _ := s.GetProduct(ctx, p.ID)
		if got.Price != 54000 {
			t.Errorf("price = %v", got.Price)
		}
		list, err := s.ListSellerProducts(ctx, sid, "")
		if err != nil || len(list.Products) != 1 || list.Counts[market.ProductDraft] != 1 {
			t.Errorf("seller list = %+v, %v", list, err)
		}
		if _, err := s.FindProductBySKU(ctx, sid, "HVS-A4"); err != nil {
			t.Errorf("find by SKU: %v", err)
		}
	})
}

func TestProductCurationRevisionsAndPriceHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		sid := makeSeller(t, s, "Toko ATK Sinar", market.SellerVerified, market.ClassSmall, "47611")
		owner, err := s.CreateUser(ctx, store.System, store.NewUser{Name: "Pemilik", Email: "pemilik@umkm.example", Password: "rahasia-sekali"},
			store.Grant{Role: market.RoleSellerOwner, ScopeID: sid})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.CreateProduct(ctx, seller, sid, paper("HVS-A4", 55000))
		if err != nil {
			t.Fatal(err)
		}
		// Approval needs a submission first.
		if _, err := s.ReviewProduct(ctx, curator, p.ID, market.ProductApprove, ""); !errors.Is(err, market.ErrConflict) {
			t.Errorf("approve a draft: %v", err)
		}
		if err := s.SubmitProduct(ctx, seller, sid, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateProduct(ctx, seller, sid, p.ID, paper("HVS-A4", 1000)); !errors.Is(err, market.ErrConflict) {
			t.Errorf("edit while submitted: %v", err)
		}
		q, err := s.ProductQueue(ctx)
		if err != nil || len(q) != 1 || q[0].Product.ID != p.ID || q[0].Revision != nil {
			t.Fatalf("queue = %+v, %v", q, err)
		}
		if _, err := s.ReviewProduct(ctx, curator, p.ID, market.ProductReject, " "); !errors.Is(err, market.ErrInvalid) {
			t.Errorf("reject without reason: %v", err)
		}
		if _, err := s.ReviewProduct(ctx, curator, p.ID, market.ProductReject, "Foto belum ada."); err != nil {
			t.Fatal(err)
		}
		got, _ := s.GetProduct(ctx, p.ID)
		if got.Status != market.ProductRejected || got.StatusReason != "Foto belum ada." {
			t.Errorf("rejected = %v %q", got.Status, got.StatusReason)
		}
		msgs, _ := s.Inbox(ctx, owner.ID)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Body, "Foto belum ada.") {
			t.Errorf("owner's inbox = %+v", msgs)
		}
		if err := s.SubmitProduct(ctx, seller, sid, p.ID); err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Hour)
		approvedAt := c.Now().UTC().Truncate(time.Microsecond)
		if out, err := s.ReviewProduct(ctx, curator, p.ID, market.ProductApprove, ""); err != nil || out.Status != market.ProductApproved || out.Revision != 0 {
			t.Fatalf("approve: %+v %v", out, err)
		}
		got, _ = s.GetProduct(ctx, p.ID)
		if !got.Shown() {
			t.Error("approved product of an eligible seller not shown")
		}

		// A price change on an approved listing is a revision; the old price stays shown.
		c.Advance(24 * time.Hour)
		edit := paper("HVS-A4", 52000)
		edit.Stock = 80
		mode, err := s.UpdateProduct(ctx, seller, sid, p.ID, edit)
		if err != nil || mode != market.EditRevision {
			t.Fatalf("price edit: %v %v", mode, err)
		}
		got, _ = s.GetProduct(ctx, p.ID)
		if got.Price != 55000 || got.Stock != 80 || got.Pending == nil || !cmp.Equal(got.Pending.Changed, []string{"price"}) {
			t.Fatalf("after revision: price %v stock %d pending %+v", got.Price, got.Stock, got.Pending)
		}
		q, _ = s.ProductQueue(ctx)
		if len(q) != 1 || q[0].Revision == nil {
			t.Fatalf("queue with revision = %+v", q)
		}
		// Stock alone changes in place.
		edit.Price, edit.Stock = 55000, 70
		if mode, err := s.UpdateProduct(ctx, seller, sid, p.ID, edit); err != nil || mode != market.EditInPlace {
			t.Fatalf("stock edit: %v %v", mode, err)
		}
		got, _ = s.GetProduct(ctx, p.ID)
		if got.Stock != 70 || got.Pending != nil {
			t.Errorf("stock edit: stock %d, pending %+v (an edit back to the live version drops the revision)", got.Stock, got.Pending)
		}
		// A new revision with a description change, then approval.
		edit.Price, edit.Description = 52000, "Kertas fotokopi putih bersertifikat, 500 lembar per rim."
		if _, err := s.UpdateProduct(ctx, seller, sid, p.ID, edit); err != nil {
			t.Fatal(err)
		}
		c.Advance(24 * time.Hour)
		changedAt := c.Now().UTC().Truncate(time.Microsecond)
		out, err := s.ReviewProduct(ctx, curator, p.ID, market.ProductApprove, "")
		if err != nil || out.Revision == 0 {
			t.Fatalf("approve revision: %+v %v", out, err)
		}
		got, _ = s.GetProduct(ctx, p.ID)
		if got.Price != 52000 || !strings.Contains(got.Description, "bersertifikat") || got.Stock != 70 || got.Pending != nil {
			t.Errorf("after revision approval: %+v", got)
		}
		hist, err := s.PriceHistory(ctx, p.ID)
		want := []store.PricePoint{{Price: 52000, From: changedAt}, {Price: 55000, From: approvedAt, To: changedAt}}
		if err != nil || !cmp.Equal(hist, want) {
			t.Errorf("price history = %+v, %v; want %+v", hist, err, want)
		}
		// A price above the public price is refused for a revision too.
		edit.Price = 70000
		if _, err := s.UpdateProduct(ctx, seller, sid, p.ID, edit); !strings.Contains(fieldOf(err)["price"], "harga umum") {
			t.Errorf("revision above public price: %v", err)
		}
		// A rejected revision leaves the listing as it was.
		edit.Price = 51000
		if _, err := s.UpdateProduct(ctx, seller, sid, p.ID, edit); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReviewProduct(ctx, curator, p.ID, market.ProductReject, "Harga tidak wajar."); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetProduct(ctx, p.ID)
		if got.Price != 52000 || got.Status != market.ProductApproved || got.Pending != nil {
			t.Errorf("after revision rejection: %v %v %+v", got.Price, got.Status, got.Pending)
		}

		// Takedown: final, the price period ends, the product is hidden.
		c.Advance(time.Hour)
		if _, err := s.ReviewProduct(ctx, curator, p.ID, market.ProductTakedown, ""); !errors.Is(err, market.ErrInvalid) {
			t.Errorf("takedown without reason: %v", err)
		}
		if _, err := s.ReviewProduct(ctx, curator, p.ID, market.ProductTakedown, "Laporan harga tidak sesuai."); err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetProduct(ctx, p.ID)
		if got.Status != market.ProductTakenDown || got.Shown() {
			t.Errorf("taken down = %v shown %v", got.Status, got.Shown())
		}
		hist, _ = s.PriceHistory(ctx, p.ID)
		if hist[0].To.IsZero() {
			t.Error("the current price period did not end at takedown")
		}
		if err := s.SubmitProduct(ctx, seller, sid, p.ID); !errors.Is(err, market.ErrConflict) {
			t.Errorf("resubmit after takedown: %v", err)
		}
		if _, err := s.UpdateProduct(ctx, seller, sid, p.ID, edit); !errors.Is(err, market.ErrConflict) {
			t.Errorf("edit after takedown: %v", err)
		}
		// Every step is audited.
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events WHERE object_type IN ('product', 'product_revision')`).Scan(&n); err != nil || n < 12 {
			t.Errorf("audit events: %d, %v", n, err)
		}
	})
}

func TestArchiveAndResubmit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		sid := makeSeller(t, s, "Toko ATK Sinar", market.SellerVerified, market.ClassMicro, "47611")
		p, _ := s.CreateProduct(ctx, seller, sid, paper("HVS-A4", 55000))
		must(t, s.SubmitProduct(ctx, seller, sid, p.ID))
		_, err := s.ReviewProduct(ctx, curator, p.ID, market.ProductApprove, "")
		must(t, err)
		c.Advance(time.Hour)
		must(t, s.ArchiveProduct(ctx, seller, sid, p.ID))
		got, _ := s.GetProduct(ctx, p.ID)
		if got.Status != market.ProductArchived || got.Shown() {
			t.Errorf("archived: %v", got.Status)
		}
		c.Advance(time.Hour)
		must(t, s.SubmitProduct(ctx, seller, sid, p.ID))
		_, err = s.ReviewProduct(ctx, curator, p.ID, market.ProductApprove, "")
		must(t, err)
		hist, _ := s.PriceHistory(ctx, p.ID)
		if len(hist) != 2 || !hist[0].To.IsZero() || hist[1].To.IsZero() {
			t.Errorf("history after archive and re-approval: %+v", hist)
		}
		// A withdrawn submission goes back to draft.
		q, _ := s.CreateProduct(ctx, seller, sid, paper("HVS-F4", 58000))
		must(t, s.SubmitProduct(ctx, seller, sid, q.ID))
		must(t, s.WithdrawProduct(ctx, seller, sid, q.ID))
		if got, _ := s.GetProduct(ctx, q.ID); got.Status != market.ProductDraft {
			t.Errorf("withdrawn: %v", got.Status)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestBrowseShowsOnlyEligibleSellers checks the catalogue's SQL against market.ProductShown
// for each kind of seller.
func TestBrowseShowsOnlyEligibleSellers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		type tc struct {
			name   string
			status market.SellerStatus
			class  market.UMKClass
		}
		cases := []tc{
			{"Mikro Terverifikasi", market.SellerVerified, market.ClassMicro},
			{"Kecil Terverifikasi", market.SellerVerified, market.ClassSmall},
			{"Menengah Terverifikasi", market.SellerVerified, market.ClassMedium},
			{"Mikro Dibekukan", market.SellerVerified, market.ClassMicro}, // suspended below
			{"Mikro Diajukan", market.SellerSubmitted, market.ClassMicro},
		}
		ids := map[string]int64{}
		for _, k := range cases {
			sid := makeSeller(t, s, k.name, k.status, k.class, "47611")
			p, err := s.CreateProduct(ctx, seller, sid, paper("HVS-"+strings.ReplaceAll(k.name, " ", ""), 55000))
			must(t, err)
			must(t, s.SubmitProduct(ctx, seller, sid, p.ID))
			_, err = s.ReviewProduct(ctx, curator, p.ID, market.ProductApprove, "")
			must(t, err)
			ids[k.name] = p.ID
			if k.name == "Mikro Dibekukan" {
				if _, err := s.DB().ExecContext(ctx, `UPDATE sellers SET status = 'suspended' WHERE id = $1`, sid); err != nil {
					t.Fatal(err)
				}
			}
		}
		// An approved draft of an eligible seller that is not approved stays hidden too.
		sid := makeSeller(t, s, "Toko Draf", market.SellerVerified, market.ClassMicro, "47611")
		_, err := s.CreateProduct(ctx, seller, sid, paper("HVS-DRAF", 55000))
		must(t, err)

		res, err := s.BrowseProducts(ctx, store.BrowseFilter{})
		must(t, err)
		shown := map[int64]bool{}
		for _, p := range res.Products {
			shown[p.ID] = true
		}
		for _, k := range cases {
			p, _ := s.GetProduct(ctx, ids[k.name])
			if p.Shown() != shown[p.ID] {
				t.Errorf("%s: Shown() = %v but browse shows it: %v", k.name, p.Shown(), shown[p.ID])
			}
		}
		if res.Total != 2 || len(res.Products) != 2 {
			t.Errorf("browse total = %d, want 2 (micro and small verified)", res.Total)
		}
		// Category and name filters, with LIKE wildcards taken literally.
		for _, f := range []struct {
			filter store.BrowseFilter
			want   int
		}{
			{store.BrowseFilter{Category: "01"}, 2},
			{store.BrowseFilter{Category: "01.01.01"}, 2},
			{store.BrowseFilter{Category: "07"}, 0},
			{store.BrowseFilter{Category: "0"}, 0},
			{store.BrowseFilter{Query: "hvs a4"}, 2},
			{store.BrowseFilter{Query: "kertas %"}, 0},
			{store.BrowseFilter{Query: "_"}, 0},
			{store.BrowseFilter{Query: "KERTAS", Limit: 1}, 2},
		} {
			got, err := s.BrowseProducts(ctx, f.filter)
			if err != nil || got.Total != f.want {
				t.Errorf("browse %+v: total %d, %v; want %d", f.filter, got.Total, err, f.want)
			}
		}
		counts, err := s.ShownCounts(ctx)
		if err != nil || counts["01.01.01"] != 2 {
			t.Errorf("shown counts = %v, %v", counts, err)
		}
		// A suspended seller cannot submit products.
		var suspended int64
		for _, k := range cases {
			if k.name == "Mikro Dibekukan" {
				p, _ := s.GetProduct(ctx, ids[k.name])
				suspended = p.SellerID
			}
		}
		p, err := s.CreateProduct(ctx, seller, suspended, paper("HVS-BARU", 55000))
		must(t, err)
		if err := s.SubmitProduct(ctx, seller, suspended, p.ID); !errors.Is(err, market.ErrConflict) {
			t.Errorf("submit by a suspended seller: %v", err)
		}
	})
}

func TestProductPhotos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		sid := makeSeller(t, s, "Toko ATK Sinar", market.SellerVerified, market.ClassMicro, "47611")
		other := makeSeller(t, s, "Toko Lain", market.SellerVerified, market.ClassMicro, "47611")
		p, _ := s.CreateProduct(ctx, seller, sid, paper("HVS-A4", 55000))
		blob := strings.Repeat("a", 64)
		if _, err := s.AddProductPhoto(ctx, seller, sid, p.ID, store.NewProductPhoto{BlobID: blob, ThumbID: blob, Width: 800, Height: 299}); !strings.Contains(fieldOf(err)["photo"], "300") {
			t.Errorf("small photo: %v", err)
		}
		if _, err := s.AddProductPhoto(ctx, seller, other, p.ID, store.NewProductPhoto{BlobID: blob, ThumbID: blob, Width: 800, Height: 600}); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("photo on another seller's product: %v", err)
		}
		ph, err := s.AddProductPhoto(ctx, seller, sid, p.ID, store.NewProductPhoto{BlobID: blob, ThumbID: blob, Width: 800, Height: 600})
		must(t, err)
		got, _ := s.GetProduct(ctx, p.ID)
		if len(got.Photos) != 1 || got.CoverPhotoID != ph.ID {
			t.Errorf("photos = %+v cover %d", got.Photos, got.CoverPhotoID)
		}
		for range store.MaxProductPhotos - 1 {
			_, err := s.AddProductPhoto(ctx, seller, sid, p.ID, store.NewProductPhoto{BlobID: blob, ThumbID: blob, Width: 300, Height: 300})
			must(t, err)
		}
		if _, err := s.AddProductPhoto(ctx, seller, sid, p.ID, store.NewProductPhoto{BlobID: blob, ThumbID: blob, Width: 300, Height: 300}); !errors.Is(err, market.ErrInvalid) {
			t.Errorf("too many photos: %v", err)
		}
		if err := s.DeleteProductPhoto(ctx, seller, other, p.ID, ph.ID); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("delete another seller's photo: %v", err)
		}
		must(t, s.DeleteProductPhoto(ctx, seller, sid, p.ID, ph.ID))
		if _, err := s.GetProductPhoto(ctx, ph.ID); !errors.Is(err, market.ErrNotFound) {
			t.Errorf("deleted photo: %v", err)
		}
	})
}

func TestImportPreviewApplyAndReimport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		sid := makeSeller(t, s, "Toko ATK Sinar", market.SellerVerified, market.ClassMicro, "47611")
		approved, _ := s.CreateProduct(ctx, seller, sid, paper("APPROVED", 50000))
		must(t, s.SubmitProduct(ctx, seller, sid, approved.ID))
		_, err := s.ReviewProduct(ctx, curator, approved.ID, market.ProductApprove, "")
		must(t, err)
		laptop := paper("LAP-1", 5000000)
		laptop.CategoryCode, laptop.PublicPrice = "07.01.01", 0
		rows := []store.ImportRow{
			{Line: 2, Product: paper("HVS-A4", 55000)},
			{Line: 3, Product: paper("HVS-F4", 58000)},
			{Line: 4, Product: paper("HVS-A4", 54000)}, // duplicate SKU in the file
			{Line: 5, Product: laptop},                 // category outside the KBLI
			{Line: 6, Product: paper("BAD", 1), Errors: map[string]string{"price": "Harga harus angka."}},
			{Line: 7, Product: paper("APPROVED", 49000)}, // a revision of an approved listing
		}
		prev, err := s.PreviewImport(ctx, sid, rows)
		must(t, err)
		actions := func(r store.ImportReport) []store.ImportAction {
			var out []store.ImportAction
			for _, x := range r.Rows {
				out = append(out, x.Action)
			}
			return out
		}
		want := []store.ImportAction{store.ImportCreate, store.ImportCreate, store.ImportInvalid, store.ImportInvalid, store.ImportInvalid, store.ImportRevision}
		if diff := cmp.Diff(want, actions(prev)); diff != "" {
			t.Fatalf("preview actions (-want +got):\n%s", diff)
		}
		if p := strings.Join(prev.Rows[2].Problems, ";"); !strings.Contains(p, "baris 2") {
			t.Errorf("duplicate row problem = %q", p)
		}
		if p := strings.Join(prev.Rows[3].Problems, ";"); !strings.Contains(p, "Kategori: ") || !strings.Contains(p, "KBLI") {
			t.Errorf("KBLI problem = %q", p)
		}
		if p := strings.Join(prev.Rows[4].Problems, ";"); !strings.Contains(p, "Harga: Harga harus angka.") {
			t.Errorf("reader problem = %q", p)
		}
		list, _ := s.ListSellerProducts(ctx, sid, "")
		if len(list.Products) != 1 {
			t.Fatalf("preview wrote listings: %d", len(list.Products))
		}
		rep, err := s.ApplyImport(ctx, seller, sid, rows)
		must(t, err)
		if diff := cmp.Diff(want, actions(rep)); diff != "" {
			t.Fatalf("apply actions (-want +got):\n%s", diff)
		}
		list, _ = s.ListSellerProducts(ctx, sid, "")
		if len(list.Products) != 3 || list.Counts[market.ProductDraft] != 2 || !list.Pending[approved.ID] {
			t.Fatalf("after import: %d listings, counts %v, pending %v", len(list.Products), list.Counts, list.Pending)
		}
		// A corrected sheet again: updates, not duplicates.
		fixed := []store.ImportRow{{Line: 2, Product: paper("HVS-A4", 53000)}, {Line: 3, Product: paper("HVS-F4", 58000)}}
		rep, err = s.ApplyImport(ctx, seller, sid, fixed)
		must(t, err)
		if diff := cmp.Diff([]store.ImportAction{store.ImportUpdate, store.ImportUnchanged}, actions(rep)); diff != "" {
			t.Errorf("re-import actions (-want +got):\n%s", diff)
		}
		list, _ = s.ListSellerProducts(ctx, sid, "")
		if len(list.Products) != 3 {
			t.Errorf("re-import duplicated: %d listings", len(list.Products))
		}
		p, _ := s.FindProductBySKU(ctx, sid, "HVS-A4")
		if p.Price != 53000 || p.Status != market.ProductDraft {
			t.Errorf("re-imported listing: %v %v", p.Price, p.Status)
		}
		// A submitted listing cannot be changed by import.
		must(t, s.SubmitProduct(ctx, seller, sid, p.ID))
		rep, err = s.PreviewImport(ctx, sid, []store.ImportRow{{Line: 2, Product: paper("HVS-A4", 52000)}})
		must(t, err)
		if rep.Rows[0].Action != store.ImportInvalid || !strings.Contains(strings.Join(rep.Rows[0].Problems, ""), "dikurasi") {
			t.Errorf("import over a submitted listing: %+v", rep.Rows[0])
		}
		if _, err := s.PreviewImport(ctx, sid, make([]store.ImportRow, store.MaxImportRows+1)); !errors.Is(err, market.ErrInvalid) {
			t.Errorf("too many rows: %v", err)
		}
	})
}

func TestPastPricesAndClassify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store, c *storetest.Clock) {
		seed(t, s)
		sl, err := s.CreateSeller(ctx, store.System, "Toko Baru", "Medan Baru", "verified")
		must(t, err)
		if err := s.SetSellerClassAndKBLI(ctx, store.System, sl.ID, "giant", nil); !errors.Is(err, market.ErrInvalid) {
			t.Errorf("unknown class: %v", err)
		}
		if err := s.SetSellerClassAndKBLI(ctx, store.System, sl.ID, market.ClassMicro, []string{"4761"}); !errors.Is(err, market.ErrInvalid) {
			t.Errorf("bad KBLI: %v", err)
		}
		must(t, s.SetSellerClassAndKBLI(ctx, store.System, sl.ID, market.ClassSmall, []string{"47611", "46900"}))
		kbli, err := s.SellerKBLI(ctx, sl.ID)
		if err != nil || !cmp.Equal(kbli, []string{"46900", "47611"}) {
			t.Errorf("kbli = %v, %v", kbli, err)
		}
		p, err := s.CreateProduct(ctx, seller, sl.ID, paper("HVS-A4", 55000))
		must(t, err)
		past := []store.PricePoint{{Price: 50000, From: storetest.Start.AddDate(0, -6, 0)}, {Price: 52000, From: storetest.Start.AddDate(0, -2, 0)}}
		if err := s.RecordPastPrices(ctx, store.System, p.ID, past); !errors.Is(err, market.ErrConflict) {
			t.Errorf("past prices of a draft: %v", err)
		}
		must(t, s.SubmitProduct(ctx, seller, sl.ID, p.ID))
		_, err = s.ReviewProduct(ctx, curator, p.ID, market.ProductApprove, "")
		must(t, err)
		shown, _ := s.GetProduct(ctx, p.ID)
		if !shown.Shown() {
			t.Error("a classified verified seller's approved product is not shown")
		}
		if err := s.RecordPastPrices(ctx, store.System, p.ID, []store.PricePoint{past[1], past[0]}); !errors.Is(err, market.ErrInvalid) {
			t.Errorf("periods out of order: %v", err)
		}
		must(t, s.RecordPastPrices(ctx, store.System, p.ID, past))
		hist, _ := s.PriceHistory(ctx, p.ID)
		want := []store.PricePoint{{Price: 55000, From: storetest.Start}, {Price: 52000, From: past[1].From, To: storetest.Start}, {Price: 50000, From: past[0].From, To: past[1].From}}
		if diff := cmp.Diff(want, hist); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
	})
}

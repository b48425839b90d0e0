package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"bela/internal/market"
)

// This file holds product listings (pencantuman produk): drafts written by a seller's people,
// curation by Dinas Koperasi dan UMKM, revisions of approved listings, photos and the price
// history. Who may call which use case (a seller's own people, curators) is checked by the web
// layer; every seller-side use case here also takes the seller's id and refuses a product of
// another seller as not found.

// productTree is the category tree of market.SeedCategories, built once; it never changes.
var productTree = sync.OnceValues(func() (*market.CategoryTree, error) {
	return market.NewCategoryTree(market.SeedCategories())
})

// Categories returns the instance's product category tree. It panics only if the seeded tree
// is invalid, which market's tests rule out.
func (s *Store) Categories() *market.CategoryTree {
	t, err := productTree()
	if err != nil {
		panic(fmt.Sprintf("store: seeded category tree: %v", err))
	}
	return t
}

// Product is a stored listing with its seller's public facts and its curation state.
type Product struct {
	market.Product
	ID              int64
	SellerID        int64
	SellerName      string
	SellerKecamatan string
	SellerStatus    market.SellerStatus
	SellerClass     market.UMKClass
	Status          market.ProductStatus
	StatusReason    string // the curator's reason for a rejection or takedown
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SubmittedAt     time.Time
	ApprovedAt      time.Time
	CoverPhotoID    int64 // the first photo, 0 when there is none
	// Photos and Pending are filled by GetProduct only.
	Photos  []ProductPhoto
	Pending *ProductRevision // a revision waiting for a curator, nil when none
}

// Shown reports whether buyers see the product (market.ProductShown).
func (p Product) Shown() bool { return market.ProductShown(p.Status, p.SellerStatus, p.SellerClass) }

// ProductPhoto is a product photo: the re-encoded image and its thumbnail, both blobs.
type ProductPhoto struct {
	ID        int64
	ProductID int64
	BlobID    string
	ThumbID   string
	Width     int
	Height    int
	Position  int
	CreatedAt time.Time
}

// NewProductPhoto is a checked image already stored as blobs.
type NewProductPhoto struct {
	BlobID, ThumbID string
	Width, Height   int
}

// Photo limits.
const (
	MinPhotoSide     = 300 // pixels on the short side (the Katalog v6 rule)
	MaxProductPhotos = 8
)

// Revision statuses.
const (
	RevisionPending    = "pending"
	RevisionApproved   = "approved"
	RevisionRejected   = "rejected"
	RevisionSuperseded = "superseded" // replaced by a newer edit, or withdrawn with the listing
)

// ProductRevision is a change to an approved listing that waits for a curator; the approved
// version stays shown meanwhile.
type ProductRevision struct {
	ID        int64
	ProductID int64
	Proposed  market.Product // the whole listing as it will read once approved
	Changed   []string       // the curated fields that differ (market.CuratedChanges)
	Status    string
	Reason    string
	CreatedBy int64
	CreatedAt time.Time
	DecidedBy int64
	DecidedAt time.Time
}

// PricePoint is one approved price with the period it applied; To is zero while current.
type PricePoint struct {
	Price market.Rupiah
	From  time.Time
	To    time.Time
}

// sellerFacts is what product rules need to know about a seller.
type sellerFacts struct {
	ID        int64
	Name      string
	Kecamatan string
	Status    market.SellerStatus
	Class     market.UMKClass
	KBLI      []string
}

func (s *Store) sellerFacts(ctx context.Context, q querier, id int64) (sellerFacts, error) {
	f := sellerFacts{ID: id}
	rows, err := q.QueryContext(ctx, `SELECT sl.name, sl.kecamatan, sl.status, sl.class, sl.suspended_until, COALESCE(k.kbli, '')
		FROM sellers sl LEFT JOIN seller_kbli k ON k.seller_id = sl.id WHERE sl.id = $1 ORDER BY k.kbli`, id)
	if err != nil {
		return f, fmt.Errorf("seller facts: %w", err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var status, class, kbli string
		var until int64
		if err := rows.Scan(&f.Name, &f.Kecamatan, &status, &class, &until, &kbli); err != nil {
			return f, fmt.Errorf("seller facts: %w", err)
		}
		found = true
		f.Status, f.Class = market.SellerStatus(status), market.UMKClass(class)
		if f.Status == market.SellerSuspended && until != 0 && until <= micros(s.Now()) {
			f.Status = market.SellerVerified // the suspension has ended
		}
		if kbli != "" {
			f.KBLI = append(f.KBLI, kbli)
		}
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("seller facts: %w", err)
	}
	if !found {
		return f, market.NotFound("Penyedia")
	}
	return f, nil
}

// SellerKBLI returns the KBLI codes of a seller (for forms that say which categories it may
// list in). Errors: ErrNotFound.
func (s *Store) SellerKBLI(ctx context.Context, sellerID int64) ([]string, error) {
	f, err := s.sellerFacts(ctx, s.q(ctx), sellerID)
	return f.KBLI, err
}

// checkSellerMayList refuses listings of a rejected or suspended seller.
func (f sellerFacts) checkMayList() error {
	switch f.Status {
	case market.SellerRejected:
		return market.Conflict("Pendaftaran usaha ini ditolak; produknya tidak dapat diajukan.")
	case market.SellerSuspended:
		return market.Conflict("Usaha ini sedang dibekukan; produknya tidak dapat diajukan.")
	}
	return nil
}

// productColumns lists a product with its seller's facts and its cover photo; txColumns is the
// same without the cover photo, for the loads inside use cases (cheaper to prepare).
const productColumns = `p.id, p.seller_id, sl.name, sl.kecamatan, sl.status, sl.suspended_until, sl.class, p.sku, p.name, p.description,
	p.category_code, p.unit, p.price, p.min_order, p.stock, p.pdn, p.tkdn_bp, p.tkdn_certificate, p.sni, p.brand,
	p.specs, p.public_price, p.public_price_url, p.status, p.status_reason, p.created_at, p.updated_at,
	p.submitted_at, p.approved_at,
	COALESCE((SELECT ph.id FROM product_photos ph WHERE ph.product_id = p.id ORDER BY ph.position, ph.id LIMIT 1), 0)
	FROM products p JOIN sellers sl ON sl.id = p.seller_id`

const txColumns = `p.id, p.seller_id, sl.name, sl.kecamatan, sl.status, sl.suspended_until, sl.class, p.sku, p.name, p.description,
	p.category_code, p.unit, p.price, p.min_order, p.stock, p.pdn, p.tkdn_bp, p.tkdn_certificate, p.sni, p.brand,
	p.specs, p.public_price, p.public_price_url, p.status, p.status_reason, p.created_at, p.updated_at,
	p.submitted_at, p.approved_at, 0 FROM products p JOIN sellers sl ON sl.id = p.seller_id`

// shownCondition is market.ProductShown in SQL, for lists: an approved listing of a verified
// (or no longer suspended) micro or small seller; $1 is the current time in unix microseconds.
// TestBrowseShowsOnlyEligibleSellers keeps it in step with Product.Shown.
const shownCondition = `p.status = 'approved' AND sl.class IN ('micro', 'small')
	AND (sl.status = 'verified' OR (sl.status = 'suspended' AND sl.suspended_until <> 0 AND sl.suspended_until <= $1))`

type productRow interface{ Scan(dest ...any) error }

func scanProduct(r productRow, now int64) (Product, error) {
	var p Product
	var sellerStatus, class, status, specs string
	var price, publicPrice int64
	var tkdn int
	var created, updated, submitted, approved, until int64
	err := r.Scan(&p.ID, &p.SellerID, &p.SellerName, &p.SellerKecamatan, &sellerStatus, &until, &class, &p.SKU, &p.Name,
		&p.Description, &p.CategoryCode, &p.Unit, &price, &p.MinOrder, &p.Stock, &p.PDN, &tkdn, &p.TKDNCertificate,
		&p.SNI, &p.Brand, &specs, &publicPrice, &p.PublicPriceURL, &status, &p.StatusReason, &created, &updated,
		&submitted, &approved, &p.CoverPhotoID)
	if err != nil {
		return p, err
	}
	p.SellerStatus, p.SellerClass, p.Status = market.SellerStatus(sellerStatus), market.UMKClass(class), market.ProductStatus(status)
	if p.SellerStatus == market.SellerSuspended && until != 0 && until <= now {
		p.SellerStatus = market.SellerVerified // the suspension has ended
	}
	p.Price, p.PublicPrice, p.TKDN = market.Rupiah(price), market.Rupiah(publicPrice), market.BasisPoints(tkdn)
	p.CreatedAt, p.UpdatedAt, p.SubmittedAt, p.ApprovedAt = fromMicros(created), fromMicros(updated), fromMicros(submitted), fromMicros(approved)
	p.Specs, err = decodeSpecs(specs)
	return p, err
}

type specJSON struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func encodeSpecs(specs []market.Spec) string {
	out := make([]specJSON, 0, len(specs))
	for _, s := range specs {
		out = append(out, specJSON(s))
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func decodeSpecs(s string) ([]market.Spec, error) {
	var in []specJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("decode specs: %w", err)
	}
	var out []market.Spec
	for _, x := range in {
		out = append(out, market.Spec(x))
	}
	return out, nil
}

// auditFields is the public before/after picture of a listing in audit events.
func auditFields(p market.Product) map[string]any {
	return map[string]any{
		"sku": p.SKU, "name": p.Name, "description": p.Description, "category": p.CategoryCode, "unit": p.Unit,
		"price": int64(p.Price), "min_order": p.MinOrder, "stock": p.Stock, "pdn": p.PDN, "tkdn_bp": int(p.TKDN),
		"tkdn_certificate": p.TKDNCertificate, "sni": p.SNI, "brand": p.Brand, "specs": encodeSpecs(p.Specs),
		"public_price": int64(p.PublicPrice), "public_price_url": p.PublicPriceURL,
	}
}

// loadProduct reads one product through q (the transaction inside a use case).
func loadProduct(ctx context.Context, q querier, id int64, now int64) (Product, error) {
	return loadProductWith(ctx, q, productColumns, id, now)
}

// loadTxProduct reads one product inside a use case, without its cover photo.
func loadTxProduct(ctx context.Context, t *Tx, id int64) (Product, error) {
	return loadProductWith(ctx, t.tx, txColumns, id, micros(t.now))
}

func loadProductWith(ctx context.Context, q querier, columns string, id int64, now int64) (Product, error) {
	p, err := scanProduct(q.QueryRowContext(ctx, `SELECT `+columns+` WHERE p.id = $1`, id), now)
	if errors.Is(err, sql.ErrNoRows) {
		return p, market.NotFound("Produk")
	}
	if err != nil {
		return p, fmt.Errorf("load product: %w", err)
	}
	return p, nil
}

// sellerProduct loads a product of the given seller in a transaction; another seller's
// product is not found.
func (t *Tx) sellerProduct(ctx context.Context, sellerID, id int64) (Product, error) {
	p, err := loadTxProduct(ctx, t, id)
	if err != nil {
		return p, err
	}
	if p.SellerID != sellerID {
		return Product{}, market.NotFound("Produk")
	}
	return p, nil
}

// GetProduct returns a product with its photos and pending revision. Errors: ErrNotFound.
func (s *Store) GetProduct(ctx context.Context, id int64) (Product, error) {
	q := s.q(ctx)
	p, err := loadProduct(ctx, q, id, micros(s.Now()))
	if err != nil {
		return p, err
	}
	if p.Photos, err = s.productPhotos(ctx, q, id); err != nil {
		return p, err
	}
	revs, err := s.revisions(ctx, q, `product_id = $1 AND status = 'pending'`, id)
	if err != nil {
		return p, err
	}
	if len(revs) > 0 {
		p.Pending = &revs[0]
	}
	return p, nil
}

func (s *Store) productPhotos(ctx context.Context, q querier, productID int64) ([]ProductPhoto, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, product_id, blob_id, thumb_id, width, height, position, created_at
		FROM product_photos WHERE product_id = $1 ORDER BY position, id`, productID)
	if err != nil {
		return nil, fmt.Errorf("product photos: %w", err)
	}
	defer rows.Close()
	var out []ProductPhoto
	for rows.Next() {
		var ph ProductPhoto
		var created int64
		if err := rows.Scan(&ph.ID, &ph.ProductID, &ph.BlobID, &ph.ThumbID, &ph.Width, &ph.Height, &ph.Position, &created); err != nil {
			return nil, fmt.Errorf("product photos: %w", err)
		}
		ph.CreatedAt = fromMicros(created)
		out = append(out, ph)
	}
	return out, rows.Err()
}

// GetProductPhoto returns one photo by id. Errors: ErrNotFound.
func (s *Store) GetProductPhoto(ctx context.Context, id int64) (ProductPhoto, error) {
	var ph ProductPhoto
	var created int64
	err := s.q(ctx).QueryRowContext(ctx, `SELECT id, product_id, blob_id, thumb_id, width, height, position, created_at
		FROM product_photos WHERE id = $1`, id).Scan(&ph.ID, &ph.ProductID, &ph.BlobID, &ph.ThumbID, &ph.Width, &ph.Height, &ph.Position, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return ph, market.NotFound("Foto")
	}
	if err != nil {
		return ph, fmt.Errorf("get photo: %w", err)
	}
	ph.CreatedAt = fromMicros(created)
	return ph, nil
}

type revisionBody struct {
	Product productJSON `json:"product"`
	Changed []string    `json:"changed"`
}

// productJSON is the stored form of a proposed listing in a revision.
type productJSON struct {
	SKU             string     `json:"sku"`
	Name            string     `json:"name"`
	Description     string     `json:"description"`
	CategoryCode    string     `json:"category"`
	Unit            string     `json:"unit"`
	Price           int64      `json:"price"`
	MinOrder        int64      `json:"min_order"`
	Stock           int64      `json:"stock"`
	PDN             bool       `json:"pdn"`
	TKDN            int        `json:"tkdn_bp"`
	TKDNCertificate string     `json:"tkdn_certificate"`
	SNI             string     `json:"sni"`
	Brand           string     `json:"brand"`
	Specs           []specJSON `json:"specs"`
	PublicPrice     int64      `json:"public_price"`
	PublicPriceURL  string     `json:"public_price_url"`
}

func toProductJSON(p market.Product) productJSON {
	j := productJSON{SKU: p.SKU, Name: p.Name, Description: p.Description, CategoryCode: p.CategoryCode, Unit: p.Unit,
		Price: int64(p.Price), MinOrder: p.MinOrder, Stock: p.Stock, PDN: p.PDN, TKDN: int(p.TKDN),
		TKDNCertificate: p.TKDNCertificate, SNI: p.SNI, Brand: p.Brand, PublicPrice: int64(p.PublicPrice),
		PublicPriceURL: p.PublicPriceURL, Specs: []specJSON{}}
	for _, s := range p.Specs {
		j.Specs = append(j.Specs, specJSON(s))
	}
	return j
}

func (j productJSON) product() market.Product {
	p := market.Product{SKU: j.SKU, Name: j.Name, Description: j.Description, CategoryCode: j.CategoryCode, Unit: j.Unit,
		Price: market.Rupiah(j.Price), MinOrder: j.MinOrder, Stock: j.Stock, PDN: j.PDN, TKDN: market.BasisPoints(j.TKDN),
		TKDNCertificate: j.TKDNCertificate, SNI: j.SNI, Brand: j.Brand, PublicPrice: market.Rupiah(j.PublicPrice),
		PublicPriceURL: j.PublicPriceURL}
	for _, s := range j.Specs {
		p.Specs = append(p.Specs, market.Spec(s))
	}
	return p
}

func (s *Store) revisions(ctx context.Context, q querier, where string, args ...any) ([]ProductRevision, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, product_id, fields, status, reason, created_by, created_at, decided_by, decided_at
		FROM product_revisions WHERE `+where+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("product revisions: %w", err)
	}
	defer rows.Close()
	var out []ProductRevision
	for rows.Next() {
		var r ProductRevision
		var fields string
		var created, decided int64
		if err := rows.Scan(&r.ID, &r.ProductID, &fields, &r.Status, &r.Reason, &r.CreatedBy, &created, &r.DecidedBy, &decided); err != nil {
			return nil, fmt.Errorf("product revisions: %w", err)
		}
		var body revisionBody
		if err := json.Unmarshal([]byte(fields), &body); err != nil {
			return nil, fmt.Errorf("product revision %d: %w", r.ID, err)
		}
		r.Proposed, r.Changed = body.Product.product(), body.Changed
		r.CreatedAt, r.DecidedAt = fromMicros(created), fromMicros(decided)
		out = append(out, r)
	}
	return out, rows.Err()
}

// normalize validates a listing for a seller against the category tree and its KBLI codes.
func (s *Store) normalize(p market.Product, f sellerFacts) (market.Product, error) {
	return p.Normalized(s.Categories(), f.KBLI)
}

// CreateProduct adds a draft listing for a seller. Errors: ErrNotFound for an unknown seller;
// CodeInvalid with field messages (market.Product.Normalized, a category the seller's KBLI codes
// do not allow, a SKU the seller already uses).
func (s *Store) CreateProduct(ctx context.Context, a Actor, sellerID int64, in market.Product) (Product, error) {
	var out Product
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.createProduct(ctx, a, sellerID, in)
		return err
	})
	return out, err
}

func (t *Tx) createProduct(ctx context.Context, a Actor, sellerID int64, in market.Product) (Product, error) {
	f, err := t.s.sellerFacts(ctx, t.tx, sellerID)
	if err != nil {
		return Product{}, err
	}
	p, err := t.s.normalize(in, f)
	if err != nil {
		return Product{}, err
	}
	id, err := t.insertID(ctx, `INSERT INTO products (seller_id, sku, name, description, category_code, unit, price, min_order, stock,
			pdn, tkdn_bp, tkdn_certificate, sni, brand, specs, public_price, public_price_url, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'draft', $18, $18)`,
		sellerID, p.SKU, p.Name, p.Description, p.CategoryCode, p.Unit, int64(p.Price), p.MinOrder, p.Stock,
		p.PDN, int(p.TKDN), p.TKDNCertificate, p.SNI, p.Brand, encodeSpecs(p.Specs), int64(p.PublicPrice), p.PublicPriceURL,
		micros(t.now))
	if isUniqueViolation(err) {
		return Product{}, duplicateSKU(p.SKU)
	}
	if err != nil {
		return Product{}, fmt.Errorf("create product: %w", err)
	}
	ch := market.Diff(nil, auditFields(p))
	ch["seller_id"] = market.Change{After: sellerID}
	ch["status"] = market.Change{After: string(market.ProductDraft)}
	out := Product{Product: p, ID: id, SellerID: sellerID, SellerName: f.Name, SellerKecamatan: f.Kecamatan,
		SellerStatus: f.Status, SellerClass: f.Class, Status: market.ProductDraft, CreatedAt: t.now, UpdatedAt: t.now}
	return out, t.Audit(ctx, a, "product.create", "product", id, ch)
}

func duplicateSKU(sku string) error {
	return market.Invalid("sku", fmt.Sprintf("SKU %s sudah dipakai produk Anda yang lain; gunakan SKU lain atau ubah produk itu.", sku))
}

// UpdateProduct changes a seller's listing as market.PlanProductEdit decides: in place for a
// draft, rejected or archived listing and for stock and minimum order; as a pending revision
// for the curated fields of an approved listing (a newer edit replaces a pending revision). It
// returns the mode used. Errors: ErrNotFound (also for another seller's product); CodeInvalid
// with field messages; CodeConflict for a submitted or taken-down listing.
func (s *Store) UpdateProduct(ctx context.Context, a Actor, sellerID, id int64, in market.Product) (market.EditMode, error) {
	var mode market.EditMode
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		mode, err = tx.updateProduct(ctx, a, sellerID, id, in)
		return err
	})
	return mode, err
}

func (t *Tx) updateProduct(ctx context.Context, a Actor, sellerID, id int64, in market.Product) (market.EditMode, error) {
	old, err := t.sellerProduct(ctx, sellerID, id)
	if err != nil {
		return "", err
	}
	f, err := t.s.sellerFacts(ctx, t.tx, sellerID)
	if err != nil {
		return "", err
	}
	p, err := t.s.normalize(in, f)
	if err != nil {
		return "", err
	}
	mode, changed, err := market.PlanProductEdit(old.Status, old.Product, p)
	if err != nil {
		return "", err
	}
	if mode == market.EditInPlace {
		if old.Status == market.ProductApproved {
			// Only operational fields changed; a pending revision no longer differs, so it goes.
			if err := t.supersedeRevisions(ctx, a, id); err != nil {
				return "", err
			}
		}
		if len(changed) == 0 && old.Stock == p.Stock && old.MinOrder == p.MinOrder {
			return mode, nil
		}
		return mode, t.writeProduct(ctx, a, "product.update", old, p)
	}
	// A revision: stock and minimum order change now, the curated fields once approved.
	if old.Stock != p.Stock || old.MinOrder != p.MinOrder {
		live := old.Product
		live.Stock, live.MinOrder = p.Stock, p.MinOrder
		if err := t.writeProduct(ctx, a, "product.update", old, live); err != nil {
			return "", err
		}
	}
	if err := t.supersedeRevisions(ctx, a, id); err != nil {
		return "", err
	}
	body, _ := json.Marshal(revisionBody{Product: toProductJSON(p), Changed: changed})
	revID, err := t.insertID(ctx, `INSERT INTO product_revisions (product_id, fields, status, created_by, created_at) VALUES ($1, $2, 'pending', $3, $4)`,
		id, string(body), a.UserID, micros(t.now))
	if err != nil {
		return "", fmt.Errorf("create revision: %w", err)
	}
	ch := market.Diff(auditFields(old.Product), auditFields(p))
	ch["product_id"] = market.Change{After: id}
	return mode, t.Audit(ctx, a, "product.revision.create", "product_revision", revID, ch)
}

// writeProduct stores the listing fields of p over old, with its audit event.
func (t *Tx) writeProduct(ctx context.Context, a Actor, action string, old Product, p market.Product) error {
	_, err := t.exec(ctx, `UPDATE products SET sku = $1, name = $2, description = $3, category_code = $4, unit = $5, price = $6,
			min_order = $7, stock = $8, pdn = $9, tkdn_bp = $10, tkdn_certificate = $11, sni = $12, brand = $13, specs = $14,
			public_price = $15, public_price_url = $16, updated_at = $17 WHERE id = $18`,
		p.SKU, p.Name, p.Description, p.CategoryCode, p.Unit, int64(p.Price), p.MinOrder, p.Stock, p.PDN, int(p.TKDN),
		p.TKDNCertificate, p.SNI, p.Brand, encodeSpecs(p.Specs), int64(p.PublicPrice), p.PublicPriceURL, micros(t.now), old.ID)
	if isUniqueViolation(err) {
		return duplicateSKU(p.SKU)
	}
	if err != nil {
		return fmt.Errorf("update product: %w", err)
	}
	return t.Audit(ctx, a, action, "product", old.ID, market.Diff(auditFields(old.Product), auditFields(p)))
}

// supersedeRevisions ends the product's pending revisions without a decision.
func (t *Tx) supersedeRevisions(ctx context.Context, a Actor, productID int64) error {
	revs, err := t.s.revisions(ctx, t.tx, `product_id = $1 AND status = 'pending'`, productID)
	if err != nil {
		return err
	}
	for _, r := range revs {
		if _, err := t.exec(ctx, `UPDATE product_revisions SET status = 'superseded', decided_at = $1 WHERE id = $2`, micros(t.now), r.ID); err != nil {
			return fmt.Errorf("supersede revision: %w", err)
		}
		if err := t.Audit(ctx, a, "product.revision.supersede", "product_revision", r.ID, map[string]market.Change{
			"status": {Before: RevisionPending, After: RevisionSuperseded}, "product_id": {After: productID}}); err != nil {
			return err
		}
	}
	return nil
}

// setStatus moves a product to a new status after checking the transition, with its audit event.
func (t *Tx) setStatus(ctx context.Context, a Actor, action string, p Product, to market.ProductStatus, reason string) error {
	if err := market.ProductTransition(p.Status, to); err != nil {
		return err
	}
	set := `status = $1, status_reason = $2, updated_at = $3`
	args := []any{string(to), reason, micros(t.now)}
	switch to {
	case market.ProductSubmitted:
		set += `, submitted_at = $4`
		args = append(args, micros(t.now))
	case market.ProductApproved:
		set += `, approved_at = $4`
		args = append(args, micros(t.now))
	}
	args = append(args, p.ID, string(p.Status))
	res, err := t.exec(ctx, `UPDATE products SET `+set+fmt.Sprintf(` WHERE id = $%d AND status = $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return fmt.Errorf("product status: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return market.Conflict("Produk baru saja diubah orang lain; muat ulang halaman.")
	}
	ch := map[string]market.Change{"status": {Before: string(p.Status), After: string(to)}}
	if reason != "" {
		ch["reason"] = market.Change{After: reason}
	}
	return t.Audit(ctx, a, action, "product", p.ID, ch)
}

// SubmitProduct sends a draft, rejected or archived listing to the curators. The listing is
// validated again (the seller's KBLI codes may have changed). Errors: ErrNotFound; CodeInvalid
// with field messages; CodeConflict for a listing in another status or a rejected or suspended
// seller.
func (s *Store) SubmitProduct(ctx context.Context, a Actor, sellerID, id int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.sellerProduct(ctx, sellerID, id)
		if err != nil {
			return err
		}
		f, err := s.sellerFacts(ctx, tx.tx, sellerID)
		if err != nil {
			return err
		}
		if err := f.checkMayList(); err != nil {
			return err
		}
		if _, err := s.normalize(p.Product, f); err != nil {
			return err
		}
		return tx.setStatus(ctx, a, "product.submit", p, market.ProductSubmitted, "")
	})
}

// WithdrawProduct takes a submitted listing back to draft. Errors: ErrNotFound; CodeConflict.
func (s *Store) WithdrawProduct(ctx context.Context, a Actor, sellerID, id int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.sellerProduct(ctx, sellerID, id)
		if err != nil {
			return err
		}
		return tx.setStatus(ctx, a, "product.withdraw", p, market.ProductDraft, "")
	})
}

// ArchiveProduct withdraws an approved listing from sale; its current price's period ends and
// a pending revision goes with it. Errors: ErrNotFound; CodeConflict.
func (s *Store) ArchiveProduct(ctx context.Context, a Actor, sellerID, id int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.sellerProduct(ctx, sellerID, id)
		if err != nil {
			return err
		}
		if err := tx.setStatus(ctx, a, "product.archive", p, market.ProductArchived, ""); err != nil {
			return err
		}
		if err := tx.supersedeRevisions(ctx, a, id); err != nil {
			return err
		}
		return tx.closePrice(ctx, id)
	})
}

// ReviewOutcome says what a curator's decision applied to.
type ReviewOutcome struct {
	Status   market.ProductStatus // the listing's status after the decision
	Revision int64                // the revision decided, 0 when the decision was on the listing
}

// ReviewProduct applies a curator's decision. On an approved listing with a pending revision,
// approve and reject decide the revision (approval applies it and records a new price); a
// takedown always applies to the listing. Approving a listing records its price in the price
// history. The seller's people are told in their inbox (and by e-mail for a rejection or
// takedown). Errors: ErrNotFound; CodeForbidden when the curator is linked to the seller (see
// CurationConflicts); CodeInvalid (unknown decision, missing reason, a revision
// that no longer validates); CodeConflict (a decision that does not fit the status).
func (s *Store) ReviewProduct(ctx context.Context, a Actor, id int64, d market.ProductDecision, reason string) (ReviewOutcome, error) {
	reason = strings.TrimSpace(reason)
	var out ReviewOutcome
	err := s.inTx(ctx, func(tx *Tx) error {
		p, err := loadTxProduct(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkIndependent(ctx, tx.tx, a.UserID, p.SellerID); err != nil {
			return err
		}
		revs, err := s.revisions(ctx, tx.tx, `product_id = $1 AND status = 'pending'`, id)
		if err != nil {
			return err
		}
		if p.Status == market.ProductApproved && len(revs) > 0 && (d == market.ProductApprove || d == market.ProductReject) {
			out = ReviewOutcome{Status: p.Status, Revision: revs[0].ID}
			return tx.decideRevision(ctx, a, p, revs[0], d, reason)
		}
		to, err := d.Apply(p.Status, reason)
		if err != nil {
			return err
		}
		if to == market.ProductApproved {
			f, err := s.sellerFacts(ctx, tx.tx, p.SellerID)
			if err != nil {
				return err
			}
			if _, err := s.normalize(p.Product, f); err != nil {
				return err
			}
		}
		if err := tx.setStatus(ctx, a, "product."+string(d), p, to, reason); err != nil {
			return err
		}
		out.Status = to
		switch to {
		case market.ProductApproved:
			if err := tx.recordPrice(ctx, id, p.Price); err != nil {
				return err
			}
		case market.ProductTakenDown:
			if err := tx.supersedeRevisions(ctx, a, id); err != nil {
				return err
			}
			if err := tx.closePrice(ctx, id); err != nil {
				return err
			}
		}
		return tx.tellSeller(ctx, p, d, reason, false)
	})
	return out, err
}

func (t *Tx) decideRevision(ctx context.Context, a Actor, p Product, r ProductRevision, d market.ProductDecision, reason string) error {
	status := RevisionApproved
	if d == market.ProductReject {
		if reason == "" {
			return market.Invalid("reason", "Alasan wajib diisi.")
		}
		status = RevisionRejected
	} else {
		f, err := t.s.sellerFacts(ctx, t.tx, p.SellerID)
		if err != nil {
			return err
		}
		proposed := r.Proposed
		proposed.Stock, proposed.MinOrder = p.Stock, p.MinOrder // operational fields stay as they are now
		if proposed, err = t.s.normalize(proposed, f); err != nil {
			return err
		}
		if err := t.writeProduct(ctx, a, "product.revision.apply", p, proposed); err != nil {
			return err
		}
		if proposed.Price != p.Price {
			if err := t.recordPrice(ctx, p.ID, proposed.Price); err != nil {
				return err
			}
		}
	}
	res, err := t.exec(ctx, `UPDATE product_revisions SET status = $1, reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND status = 'pending'`,
		status, reason, a.UserID, micros(t.now), r.ID)
	if err != nil {
		return fmt.Errorf("decide revision: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return market.Conflict("Perubahan ini sudah diputuskan.")
	}
	ch := map[string]market.Change{"status": {Before: RevisionPending, After: status}, "product_id": {After: p.ID}}
	if reason != "" {
		ch["reason"] = market.Change{After: reason}
	}
	if err := t.Audit(ctx, a, "product.revision."+string(d), "product_revision", r.ID, ch); err != nil {
		return err
	}
	return t.tellSeller(ctx, p, d, reason, true)
}

// recordPrice starts a new period in the price history unless the current one has that price.
func (t *Tx) recordPrice(ctx context.Context, productID int64, price market.Rupiah) error {
	if _, err := t.exec(ctx, `UPDATE price_history SET valid_to = $1 WHERE product_id = $2 AND valid_to = 0 AND price <> $3`,
		micros(t.now), productID, int64(price)); err != nil {
		return fmt.Errorf("price history: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO price_history (product_id, price, valid_from)
		SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM price_history WHERE product_id = $1 AND valid_to = 0)`,
		productID, int64(price), micros(t.now)); err != nil {
		return fmt.Errorf("price history: %w", err)
	}
	return nil
}

// closePrice ends the current price period, if any.
func (t *Tx) closePrice(ctx context.Context, productID int64) error {
	if _, err := t.exec(ctx, `UPDATE price_history SET valid_to = $1 WHERE product_id = $2 AND valid_to = 0`, micros(t.now), productID); err != nil {
		return fmt.Errorf("price history: %w", err)
	}
	return nil
}

// tellSeller notifies the seller's active owners and staff of a curator's decision.
func (t *Tx) tellSeller(ctx context.Context, p Product, d market.ProductDecision, reason string, revision bool) error {
	what := "Produk"
	if revision {
		what = "Perubahan produk"
	}
	var subject, body string
	switch d {
	case market.ProductApprove:
		subject = fmt.Sprintf("%s %s disetujui", what, p.Name)
		body = fmt.Sprintf("%s %s (SKU %s) disetujui kurator dan kini tampil untuk pembeli.", what, p.Name, p.SKU)
	case market.ProductReject:
		subject = fmt.Sprintf("%s %s ditolak", what, p.Name)
		body = fmt.Sprintf("%s %s (SKU %s) ditolak kurator. Alasan: %s", what, p.Name, p.SKU, reason)
	case market.ProductTakedown:
		subject = fmt.Sprintf("Produk %s diturunkan", p.Name)
		body = fmt.Sprintf("Produk %s (SKU %s) diturunkan kurator dan tidak lagi tampil. Alasan: %s", p.Name, p.SKU, reason)
	}
	return t.notifyMembers(ctx, market.ScopeSeller, p.SellerID, sellerPeople, subject, body,
		fmt.Sprintf("/usaha/%d/produk/%d", p.SellerID, p.ID), d != market.ProductApprove)
}

// AddProductPhoto records a checked photo (already stored as blobs) for a seller's listing.
// Photos are curated: they change only where market.PhotoChangeRefusal allows (not while the
// listing is under review, shown or taken down). Errors: ErrNotFound; CodeInvalid for field
// "photo" when the short side is under MinPhotoSide pixels or the listing has MaxProductPhotos
// already; CodeConflict for a listing whose photos cannot change.
func (s *Store) AddProductPhoto(ctx context.Context, a Actor, sellerID, productID int64, ph NewProductPhoto) (ProductPhoto, error) {
	if min(ph.Width, ph.Height) < MinPhotoSide {
		return ProductPhoto{}, market.Invalid("photo", fmt.Sprintf("Foto minimal %d piksel pada sisi terpendek; foto ini %d × %d piksel.", MinPhotoSide, ph.Width, ph.Height))
	}
	if ph.BlobID == "" || ph.ThumbID == "" {
		return ProductPhoto{}, market.Invalid("photo", "Foto belum tersimpan.")
	}
	out := ProductPhoto{ProductID: productID, BlobID: ph.BlobID, ThumbID: ph.ThumbID, Width: ph.Width, Height: ph.Height}
	err := s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.sellerProduct(ctx, sellerID, productID)
		if err != nil {
			return err
		}
		if err := market.PhotoChangeRefusal(p.Status); err != nil {
			return err
		}
		var n, maxPos int
		if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(position), 0) FROM product_photos WHERE product_id = $1`, productID).Scan(&n, &maxPos); err != nil {
			return fmt.Errorf("count photos: %w", err)
		}
		if n >= MaxProductPhotos {
			return market.Invalid("photo", fmt.Sprintf("Paling banyak %d foto per produk; hapus salah satu dahulu.", MaxProductPhotos))
		}
		out.Position, out.CreatedAt = maxPos+1, tx.now
		out.ID, err = tx.insertID(ctx, `INSERT INTO product_photos (product_id, blob_id, thumb_id, width, height, position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			productID, ph.BlobID, ph.ThumbID, ph.Width, ph.Height, out.Position, micros(tx.now))
		if err != nil {
			return fmt.Errorf("add photo: %w", err)
		}
		return tx.Audit(ctx, a, "product.photo.add", "product", productID, map[string]market.Change{
			"photo_id": {After: out.ID}, "blob_id": {After: ph.BlobID}, "width": {After: ph.Width}, "height": {After: ph.Height}})
	})
	return out, err
}

// DeleteProductPhoto removes a photo from a seller's listing (the blob stays: content-addressed
// files may be shared), where market.PhotoChangeRefusal allows. Errors: ErrNotFound;
// CodeConflict for a listing whose photos cannot change.
func (s *Store) DeleteProductPhoto(ctx context.Context, a Actor, sellerID, productID, photoID int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		p, err := tx.sellerProduct(ctx, sellerID, productID)
		if err != nil {
			return err
		}
		if err := market.PhotoChangeRefusal(p.Status); err != nil {
			return err
		}
		var blobID string
		err = tx.queryRow(ctx, `SELECT blob_id FROM product_photos WHERE id = $1 AND product_id = $2`, photoID, productID).Scan(&blobID)
		if errors.Is(err, sql.ErrNoRows) {
			return market.NotFound("Foto")
		}
		if err != nil {
			return fmt.Errorf("delete photo: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM product_photos WHERE id = $1`, photoID); err != nil {
			return fmt.Errorf("delete photo: %w", err)
		}
		return tx.Audit(ctx, a, "product.photo.delete", "product", productID, map[string]market.Change{"photo_id": {Before: photoID}, "blob_id": {Before: blobID}})
	})
}

// PriceHistory returns a product's approved prices, newest first.
func (s *Store) PriceHistory(ctx context.Context, productID int64) ([]PricePoint, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT price, valid_from, valid_to FROM price_history WHERE product_id = $1 ORDER BY valid_from DESC, id DESC`, productID)
	if err != nil {
		return nil, fmt.Errorf("price history: %w", err)
	}
	defer rows.Close()
	var out []PricePoint
	for rows.Next() {
		var price, from, to int64
		if err := rows.Scan(&price, &from, &to); err != nil {
			return nil, fmt.Errorf("price history: %w", err)
		}
		out = append(out, PricePoint{Price: market.Rupiah(price), From: fromMicros(from), To: fromMicros(to)})
	}
	return out, rows.Err()
}

func (s *Store) listProducts(ctx context.Context, where string, order string, args ...any) ([]Product, error) {
	now := micros(s.Now())
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT `+productColumns+` WHERE `+where+` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("list products: %w", err)
	}
	defer rows.Close()
	var out []Product
	for rows.Next() {
		p, err := scanProduct(rows, now)
		if err != nil {
			return nil, fmt.Errorf("list products: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SellerProducts is a seller's listings with counts by status and the ids of listings with a
// pending revision.
type SellerProducts struct {
	Products []Product
	Counts   map[market.ProductStatus]int
	Pending  map[int64]bool // product id → has a pending revision
}

// ListSellerProducts returns a seller's listings, in status (all when empty), newest change first.
func (s *Store) ListSellerProducts(ctx context.Context, sellerID int64, status market.ProductStatus) (SellerProducts, error) {
	out := SellerProducts{Counts: map[market.ProductStatus]int{}, Pending: map[int64]bool{}}
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT status, COUNT(*) FROM products WHERE seller_id = $1 GROUP BY status`, sellerID)
	if err != nil {
		return out, fmt.Errorf("count products: %w", err)
	}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			rows.Close()
			return out, fmt.Errorf("count products: %w", err)
		}
		out.Counts[market.ProductStatus(st)] = n
	}
	rows.Close()
	where, args := `p.seller_id = $1`, []any{sellerID}
	if status != "" {
		where += ` AND p.status = $2`
		args = append(args, string(status))
	}
	if out.Products, err = s.listProducts(ctx, where, `p.updated_at DESC, p.id DESC`, args...); err != nil {
		return out, err
	}
	pending, err := queryIDs(ctx, s.q(ctx), "pending revisions", `SELECT r.product_id FROM product_revisions r JOIN products p ON p.id = r.product_id
		WHERE p.seller_id = $1 AND r.status = 'pending'`, sellerID)
	for _, id := range pending {
		out.Pending[id] = true
	}
	return out, err
}

// FindProductBySKU returns a seller's listing with the SKU. Errors: ErrNotFound.
func (s *Store) FindProductBySKU(ctx context.Context, sellerID int64, sku string) (Product, error) {
	ps, err := s.listProducts(ctx, `p.seller_id = $1 AND p.sku = $2`, `p.id`, sellerID, strings.TrimSpace(sku))
	if err != nil {
		return Product{}, err
	}
	if len(ps) == 0 {
		return Product{}, market.NotFound("Produk")
	}
	return ps[0], nil
}

// QueueItem is one thing waiting for a curator: a submitted listing, or a pending revision of
// an approved one (Revision set).
type QueueItem struct {
	Product  Product
	Revision *ProductRevision
	Since    time.Time
}

// MaxQueue is how many items ProductQueue returns at most.
const MaxQueue = 500

// ProductQueue returns the curators' work: submitted listings and pending revisions, oldest
// first.
func (s *Store) ProductQueue(ctx context.Context) ([]QueueItem, error) {
	ps, err := s.listProducts(ctx, `p.status = 'submitted'`, `p.submitted_at, p.id LIMIT `+fmt.Sprint(MaxQueue))
	if err != nil {
		return nil, err
	}
	var out []QueueItem
	for _, p := range ps {
		out = append(out, QueueItem{Product: p, Since: p.SubmittedAt})
	}
	revs, err := s.revisions(ctx, s.q(ctx), `status = 'pending'`)
	if err != nil {
		return nil, err
	}
	for i := range revs {
		p, err := loadProduct(ctx, s.q(ctx), revs[i].ProductID, micros(s.Now()))
		if err != nil {
			return nil, err
		}
		out = append(out, QueueItem{Product: p, Revision: &revs[i], Since: revs[i].CreatedAt})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	if len(out) > MaxQueue {
		out = out[:MaxQueue]
	}
	return out, nil
}

// BrowseFilter selects the listings buyers see.
type BrowseFilter struct {
	Category string // a category code at any level; its subtree is included
	Query    string // words that must all occur in the name (case-insensitive)
	SellerID int64  // one seller's listings, 0 for all
	Limit    int    // 1..200, default 24
	Offset   int
}

// BrowseResult is one page of listings and the number of all that match.
type BrowseResult struct {
	Products []Product
	Total    int
}

// escapeLike escapes LIKE wildcards; the queries use ESCAPE '\'.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// BrowseProducts returns the listings shown to buyers (market.ProductShown), filtered by
// category and name, cheapest first within a name. It is the buyers' catalogue until full-text
// search lands.
func (s *Store) BrowseProducts(ctx context.Context, f BrowseFilter) (BrowseResult, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 24
	}
	f.Offset = max(f.Offset, 0)
	where, args := shownCondition, []any{micros(s.Now())}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if c := strings.TrimSpace(f.Category); c != "" {
		where += fmt.Sprintf(` AND (p.category_code = %s OR p.category_code LIKE %s ESCAPE '\')`, arg(c), arg(escapeLike(c)+".%"))
	}
	for _, w := range strings.Fields(strings.ToLower(f.Query)) {
		where += fmt.Sprintf(` AND LOWER(p.name) LIKE %s ESCAPE '\'`, arg("%"+escapeLike(w)+"%"))
	}
	if f.SellerID != 0 {
		where += ` AND p.seller_id = ` + arg(f.SellerID)
	}
	var out BrowseResult
	if err := s.q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM products p JOIN sellers sl ON sl.id = p.seller_id WHERE `+where, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("browse products: %w", err)
	}
	var err error
	out.Products, err = s.listProducts(ctx, where, fmt.Sprintf(`p.name, p.price, p.id LIMIT %d OFFSET %d`, f.Limit, f.Offset), args...)
	return out, err
}

// ShownCounts returns how many shown listings each leaf category has.
func (s *Store) ShownCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT p.category_code, COUNT(*) FROM products p JOIN sellers sl ON sl.id = p.seller_id
		WHERE `+shownCondition+` GROUP BY p.category_code`, micros(s.Now()))
	if err != nil {
		return nil, fmt.Errorf("shown counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, fmt.Errorf("shown counts: %w", err)
		}
		out[c] = n
	}
	return out, rows.Err()
}

// RecordPastPrices adds prices a listing had before its current price period — history brought
// over from an earlier catalogue — given oldest first by price and start; each period ends where
// the next begins, the last where the current period begins. Errors: ErrNotFound; CodeConflict
// unless the listing is approved with a current price; CodeInvalid for a price that is not
// positive or periods out of order.
func (s *Store) RecordPastPrices(ctx context.Context, a Actor, productID int64, past []PricePoint) error {
	return s.inTx(ctx, func(tx *Tx) error {
		p, err := loadTxProduct(ctx, tx, productID)
		if err != nil {
			return err
		}
		var curFrom int64
		err = tx.queryRow(ctx, `SELECT valid_from FROM price_history WHERE product_id = $1 AND valid_to = 0`, productID).Scan(&curFrom)
		if p.Status != market.ProductApproved || errors.Is(err, sql.ErrNoRows) {
			return market.Conflict("Riwayat harga hanya untuk produk yang tayang.")
		}
		if err != nil {
			return fmt.Errorf("past prices: %w", err)
		}
		for i, pp := range past {
			end := curFrom
			if i+1 < len(past) {
				end = micros(past[i+1].From)
			}
			if pp.Price <= 0 || micros(pp.From) >= end {
				return market.Invalid("price_history", "Periode harga harus berurutan, sebelum harga sekarang, dengan harga lebih dari nol.")
			}
			if _, err := tx.exec(ctx, `INSERT INTO price_history (product_id, price, valid_from, valid_to) VALUES ($1, $2, $3, $4)`,
				productID, int64(pp.Price), micros(pp.From), end); err != nil {
				return fmt.Errorf("past prices: %w", err)
			}
		}
		return tx.Audit(ctx, a, "product.price_history.import", "product", productID, map[string]market.Change{"periods": {After: len(past)}})
	})
}

// SetSellerClassAndKBLI sets a seller's size class and KBLI codes directly, without the
// onboarding forms and documents: for data brought over from another system and for demo data.
// Errors: ErrNotFound; CodeInvalid for an unknown class (field "class") or a malformed KBLI code
// (field "kbli").
func (s *Store) SetSellerClassAndKBLI(ctx context.Context, a Actor, sellerID int64, class market.UMKClass, kbli []string) error {
	if class.Label() == string(class) {
		return market.Invalid("class", "Kelas usaha tidak dikenal.")
	}
	for _, k := range kbli {
		if _, err := market.ParseKBLI(k); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(tx *Tx) error {
		before, err := s.sellerFacts(ctx, tx.tx, sellerID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE sellers SET class = $1, updated_at = $2 WHERE id = $3`, string(class), micros(tx.now), sellerID); err != nil {
			return fmt.Errorf("set seller class: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM seller_kbli WHERE seller_id = $1`, sellerID); err != nil {
			return fmt.Errorf("set seller kbli: %w", err)
		}
		for _, k := range kbli {
			if _, err := tx.exec(ctx, `INSERT INTO seller_kbli (seller_id, kbli) VALUES ($1, $2)`, sellerID, strings.TrimSpace(k)); err != nil {
				return fmt.Errorf("set seller kbli: %w", err)
			}
		}
		return tx.Audit(ctx, a, "seller.classify", "seller", sellerID, market.Diff(
			map[string]any{"class": string(before.Class), "kbli": strings.Join(before.KBLI, ",")},
			map[string]any{"class": string(class), "kbli": strings.Join(kbli, ",")}))
	})
}

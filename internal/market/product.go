package market

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A product listing (pencantuman produk) and its curation. Terms kept in Indonesian:
//   - PDN (Produk Dalam Negeri): a domestic product.
//   - TKDN (Tingkat Komponen Dalam Negeri): the certified share of domestic content, in percent.
//   - SNI (Standar Nasional Indonesia): the national standard a product is certified against.

// BasisPoints is a percentage in hundredths of a percent: 4357 is 43,57%.
type BasisPoints int

// String formats the value the Indonesian way: "43,57%", "40%".
func (b BasisPoints) String() string {
	n, sign := int(b), ""
	if n < 0 {
		n, sign = -n, "-"
	}
	s := fmt.Sprintf("%s%d,%02d", sign, n/100, n%100)
	return strings.TrimSuffix(s, ",00") + "%"
}

// ParsePercent reads a percentage as people type it — "43,57", "43.57", "40", "40 %" — into
// basis points, with at most two decimals and between 0 and 100. Anything else gives a
// CodeInvalid *Error for field "tkdn".
func ParsePercent(s string) (BasisPoints, error) {
	bad := Invalid("tkdn", "Persentase harus angka 0 sampai 100, paling banyak dua desimal, misalnya 43,57.")
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	whole, frac, hasFrac := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if !asciiDigits(whole) || len(whole) > 3 || (hasFrac && (!asciiDigits(frac) || len(frac) > 2)) {
		return 0, bad
	}
	w, _ := strconv.Atoi(whole)
	f := 0
	if hasFrac {
		f, _ = strconv.Atoi(frac)
		if len(frac) == 1 {
			f *= 10
		}
	}
	v := BasisPoints(w*100 + f)
	if v > 10000 {
		return 0, bad
	}
	return v, nil
}

// Spec is one free key/value specification of a product ("Ukuran": "A4, 70 gsm").
type Spec struct {
	Key   string
	Value string
}

// Product is a seller's product listing as the seller enters it.
type Product struct {
	SKU             string // the seller's own code, unique per seller
	Name            string
	Description     string
	CategoryCode    string // a leaf of the category tree
	Unit            string // a unit code from Units
	Price           Rupiah // per unit, before PPN
	MinOrder        int64  // minimum order quantity, at least 1
	Stock           int64
	PDN             bool
	TKDN            BasisPoints // 0 when not claimed
	TKDNCertificate string      // required when TKDN is claimed
	SNI             string      // SNI certificate or standard number, when relevant
	Brand           string
	Specs           []Spec
	// PublicPrice is what the seller charges outside e-purchasing for the same unit (price
	// parity); 0 when not declared. Price may not exceed it.
	PublicPrice    Rupiah
	PublicPriceURL string // optional link showing the public price
}

// Limits of a product listing.
const (
	MaxProductPrice Rupiah = 1_000_000_000 // a unit price above this is refused as unreasonable
	MaxProductStock int64  = 1_000_000_000
	MaxProductSpecs        = 30
)

// Normalized validates the product for a seller holding the KBLI codes sellerKBLI, against the
// category tree, and returns a copy with trimmed text, the unit's canonical code and specs
// without blank rows. The error is a CodeInvalid *Error whose Fields name every problem (sku,
// name, description, category, unit, price, min_order, stock, tkdn, tkdn_certificate, sni,
// brand, specs, public_price, public_price_url), in Indonesian. tree must not be nil.
func (p Product) Normalized(tree *CategoryTree, sellerKBLI []string) (Product, error) {
	fe := FieldErrors{}
	out := p
	out.SKU = strings.TrimSpace(p.SKU)
	switch {
	case out.SKU == "":
		fe.Add("sku", "SKU wajib diisi.")
	case len(out.SKU) > 64 || !skuChars(out.SKU):
		fe.Add("sku", "SKU paling banyak 64 karakter: huruf, angka, titik, garis miring, garis bawah atau tanda hubung.")
	}
	out.Name = strings.Join(strings.Fields(p.Name), " ")
	switch n := utf8.RuneCountInString(out.Name); {
	case n == 0:
		fe.Add("name", "Nama produk wajib diisi.")
	case n < 3 || n > 150:
		fe.Add("name", "Nama produk harus 3 sampai 150 karakter.")
	}
	out.Description = strings.TrimSpace(p.Description)
	requireText(fe, "description", out.Description, "Deskripsi produk wajib diisi.", 5000)
	out.CategoryCode = strings.TrimSpace(p.CategoryCode)
	if out.CategoryCode == "" {
		fe.Add("category", "Pilih kategori produk.")
	} else if err := tree.CanList(sellerKBLI, out.CategoryCode); err != nil {
		fe.Add("category", err.(*Error).Message)
	}
	if u, err := ParseUnit(p.Unit); err != nil {
		fe.Add("unit", err.(*Error).Message)
	} else {
		out.Unit = u.Code
	}
	switch {
	case p.Price <= 0:
		fe.Add("price", "Harga harus lebih dari nol (sebelum PPN).")
	case p.Price > MaxProductPrice:
		fe.Add("price", fmt.Sprintf("Harga satuan melebihi %s.", MaxProductPrice))
	case p.PublicPrice > 0 && p.Price > p.PublicPrice:
		fe.Add("price", fmt.Sprintf("Harga di Bela (%s) tidak boleh lebih tinggi dari harga umum yang Anda nyatakan (%s).", p.Price, p.PublicPrice))
	}
	switch {
	case p.MinOrder < 1:
		fe.Add("min_order", "Minimal pembelian harus 1 atau lebih.")
	case p.MinOrder > MaxProductStock:
		fe.Add("min_order", fmt.Sprintf("Minimal pembelian paling banyak %s.", GroupDigits(MaxProductStock)))
	}
	switch {
	case p.Stock < 0:
		fe.Add("stock", "Stok tidak boleh negatif.")
	case p.Stock > MaxProductStock:
		fe.Add("stock", fmt.Sprintf("Stok paling banyak %s.", GroupDigits(MaxProductStock)))
	}
	out.TKDNCertificate = strings.TrimSpace(p.TKDNCertificate)
	switch {
	case p.TKDN < 0 || p.TKDN > 10000:
		fe.Add("tkdn", "Persentase TKDN harus 0 sampai 100.")
	case p.TKDN > 0 && !p.PDN:
		fe.Add("tkdn", "Produk dengan TKDN adalah produk dalam negeri: centang PDN.")
	case p.TKDN > 0 && out.TKDNCertificate == "":
		fe.Add("tkdn_certificate", "Nomor sertifikat TKDN wajib diisi bila TKDN diisi.")
	case p.TKDN == 0 && out.TKDNCertificate != "":
		fe.Add("tkdn", "Isi persentase TKDN sesuai sertifikat.")
	}
	if utf8.RuneCountInString(out.TKDNCertificate) > 100 {
		fe.Add("tkdn_certificate", "Paling banyak 100 karakter.")
	}
	out.SNI = strings.TrimSpace(p.SNI)
	out.Brand = strings.TrimSpace(p.Brand)
	optionalText(fe, "sni", out.SNI, 100)
	optionalText(fe, "brand", out.Brand, 100)
	out.Specs = nil
	seen := map[string]bool{}
	for _, s := range p.Specs {
		k, v := strings.TrimSpace(s.Key), strings.TrimSpace(s.Value)
		switch {
		case k == "" && v == "":
			continue
		case k == "" || v == "":
			fe.Add("specs", "Setiap spesifikasi harus punya nama dan isi.")
		case utf8.RuneCountInString(k) > 60 || utf8.RuneCountInString(v) > 300:
			fe.Add("specs", "Nama spesifikasi paling banyak 60 karakter, isinya 300 karakter.")
		case seen[strings.ToLower(k)]:
			fe.Add("specs", fmt.Sprintf("Spesifikasi %q ditulis lebih dari sekali.", k))
		}
		seen[strings.ToLower(k)] = true
		out.Specs = append(out.Specs, Spec{Key: k, Value: v})
	}
	if len(out.Specs) > MaxProductSpecs {
		fe.Add("specs", fmt.Sprintf("Paling banyak %d spesifikasi.", MaxProductSpecs))
	}
	if p.PublicPrice < 0 || p.PublicPrice > MaxProductPrice {
		fe.Add("public_price", "Harga umum tidak valid.")
	}
	out.PublicPriceURL = strings.TrimSpace(p.PublicPriceURL)
	if out.PublicPriceURL != "" {
		u, err := url.Parse(out.PublicPriceURL)
		switch {
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(out.PublicPriceURL) > 500:
			fe.Add("public_price_url", "Tautan harga umum harus alamat web lengkap (https://…).")
		case p.PublicPrice == 0:
			fe.Add("public_price", "Isi harga umum yang ditunjukkan tautan.")
		}
	}
	if err := fe.Err(); err != nil {
		return Product{}, err
	}
	return out, nil
}

// Validate checks the product; see Normalized for the error.
func (p Product) Validate(tree *CategoryTree, sellerKBLI []string) error {
	_, err := p.Normalized(tree, sellerKBLI)
	return err
}

func skuChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._/-", c) >= 0) {
			return false
		}
	}
	return true
}

func optionalText(fe FieldErrors, field, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		fe.Add(field, fmt.Sprintf("Paling banyak %d karakter.", max))
	}
}

// ProductStatus is where a listing stands in curation.
type ProductStatus string

// The product statuses.
const (
	ProductDraft     ProductStatus = "draft"      // being written by the seller
	ProductSubmitted ProductStatus = "submitted"  // waiting for a curator
	ProductApproved  ProductStatus = "approved"   // shown to buyers while the seller is eligible
	ProductRejected  ProductStatus = "rejected"   // refused with a reason; may be fixed and resubmitted
	ProductArchived  ProductStatus = "archived"   // withdrawn by the seller; may be resubmitted
	ProductTakenDown ProductStatus = "taken_down" // removed by a curator with a reason; final
)

// ProductStatuses lists every product status in a stable order.
var ProductStatuses = []ProductStatus{
	ProductDraft, ProductSubmitted, ProductApproved, ProductRejected, ProductArchived, ProductTakenDown,
}

var productStatusLabels = map[ProductStatus]string{
	ProductDraft:     "Draf",
	ProductSubmitted: "Menunggu kurasi",
	ProductApproved:  "Tayang",
	ProductRejected:  "Ditolak",
	ProductArchived:  "Diarsipkan",
	ProductTakenDown: "Diturunkan",
}

// Label returns the Indonesian name of the status.
func (s ProductStatus) Label() string {
	if l, ok := productStatusLabels[s]; ok {
		return l
	}
	return string(s)
}

// ParseProductStatus returns the status with the given name, or a CodeInvalid *Error for field
// "status".
func ParseProductStatus(s string) (ProductStatus, error) {
	for _, st := range ProductStatuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", Invalid("status", "Status produk tidak dikenal.")
}

// The product life cycle. A submitted listing may be withdrawn to draft; a rejected or archived
// one goes back to curation by being submitted again; a takedown is final (the curator's decision
// stands, and the seller lists anew).
var productTransitions = map[ProductStatus][]ProductStatus{
	ProductDraft:     {ProductSubmitted},
	ProductSubmitted: {ProductApproved, ProductRejected, ProductDraft},
	ProductRejected:  {ProductSubmitted},
	ProductApproved:  {ProductArchived, ProductTakenDown},
	ProductArchived:  {ProductSubmitted},
}

// ProductNext returns the statuses a product may move to from s.
func ProductNext(s ProductStatus) []ProductStatus {
	return append([]ProductStatus(nil), productTransitions[s]...)
}

// ProductTransition checks a status change: nil when allowed, else a CodeConflict *Error. A
// change to the status the product already has (a double submit or a second decision) says so.
func ProductTransition(from, to ProductStatus) error {
	if contains(productTransitions[from], to) {
		return nil
	}
	if from == to {
		switch from {
		case ProductSubmitted:
			return Conflict("Produk ini sudah diajukan dan sedang menunggu kurasi.")
		case ProductApproved:
			return Conflict("Produk ini sudah disetujui dan sedang tayang; tidak ada perubahan yang menunggu kurasi.")
		case ProductRejected:
			return Conflict("Produk ini sudah ditolak.")
		case ProductArchived:
			return Conflict("Produk ini sudah diarsipkan.")
		case ProductTakenDown:
			return Conflict("Produk ini sudah diturunkan.")
		case ProductDraft:
			return Conflict("Produk ini sudah berupa draf.")
		}
	}
	return Conflict(fmt.Sprintf("Status produk tidak dapat diubah dari %q ke %q.", from.Label(), to.Label()))
}

// ProductDecision is a curator's decision on a listing, as the review API names it.
type ProductDecision string

// The curator decisions on products.
const (
	ProductApprove  ProductDecision = "approve"
	ProductReject   ProductDecision = "reject"
	ProductTakedown ProductDecision = "takedown"
)

// Apply returns the status a product in status from reaches by the decision. It returns a
// CodeInvalid *Error for an unknown decision or a reject/takedown without reason (field
// "reason"), and a CodeConflict *Error when the decision does not fit the status.
func (d ProductDecision) Apply(from ProductStatus, reason string) (ProductStatus, error) {
	var to ProductStatus
	switch d {
	case ProductApprove:
		to = ProductApproved
	case ProductReject:
		to = ProductRejected
	case ProductTakedown:
		to = ProductTakenDown
	default:
		return "", Invalid("decision", "Keputusan tidak dikenal.")
	}
	if d != ProductApprove && strings.TrimSpace(reason) == "" {
		return "", Invalid("reason", "Alasan wajib diisi.")
	}
	if err := ProductTransition(from, to); err != nil {
		return "", err
	}
	return to, nil
}

// ProductShown reports whether buyers see a product: approved, from a seller that is Eligible.
func ProductShown(p ProductStatus, seller SellerStatus, class UMKClass) bool {
	ok, _ := Eligible(seller, class)
	return p == ProductApproved && ok
}

// EditMode says how a change to a product takes effect.
type EditMode string

// The edit modes.
const (
	EditInPlace  EditMode = "in_place" // the listing changes at once
	EditRevision EditMode = "revision" // a revision waits for a curator; the approved version stays shown
)

// CuratedChanges returns the names of the curated fields (as in Product.Normalized's errors) that
// differ between old and updated: every field except stock and minimum order, which are
// operational.
func CuratedChanges(old, updated Product) []string {
	var out []string
	add := func(changed bool, field string) {
		if changed {
			out = append(out, field)
		}
	}
	add(old.SKU != updated.SKU, "sku")
	add(old.Name != updated.Name, "name")
	add(old.Description != updated.Description, "description")
	add(old.CategoryCode != updated.CategoryCode, "category")
	add(old.Unit != updated.Unit, "unit")
	add(old.Price != updated.Price, "price")
	add(old.PDN != updated.PDN || old.TKDN != updated.TKDN, "tkdn")
	add(old.TKDNCertificate != updated.TKDNCertificate, "tkdn_certificate")
	add(old.SNI != updated.SNI, "sni")
	add(old.Brand != updated.Brand, "brand")
	add(!specsEqual(old.Specs, updated.Specs), "specs")
	add(old.PublicPrice != updated.PublicPrice, "public_price")
	add(old.PublicPriceURL != updated.PublicPriceURL, "public_price_url")
	return out
}

func specsEqual(a, b []Spec) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// PlanProductEdit decides how an edit of a product in status takes effect. Draft, rejected and
// archived listings change in place (they go through curation when submitted). On an approved
// listing, a change to any curated field — the price and the description above all — becomes a
// revision for the curator, while stock and minimum order change in place. changed lists the
// curated fields that differ. It returns a CodeConflict *Error for a submitted listing (withdraw
// it first) and a taken-down one.
func PlanProductEdit(status ProductStatus, old, updated Product) (mode EditMode, changed []string, err error) {
	changed = CuratedChanges(old, updated)
	switch status {
	case ProductDraft, ProductRejected, ProductArchived:
		return EditInPlace, changed, nil
	case ProductApproved:
		if len(changed) > 0 {
			return EditRevision, changed, nil
		}
		return EditInPlace, nil, nil
	}
	return "", nil, EditRefusal(status)
}

// EditRefusal returns why a listing in status cannot be edited at all — a CodeConflict *Error
// for a submitted listing (withdraw it first) and a taken-down one — or nil when it can be
// (PlanProductEdit then decides how).
func EditRefusal(status ProductStatus) error {
	switch status {
	case ProductDraft, ProductRejected, ProductArchived, ProductApproved:
		return nil
	case ProductSubmitted:
		return Conflict("Produk sedang dikurasi; tarik kembali ke draf sebelum mengubahnya.")
	}
	return Conflict(fmt.Sprintf("Produk berstatus %q tidak dapat diubah.", status.Label()))
}

// PhotoChangeRefusal returns why the photos of a listing in status cannot be added or removed,
// or nil when they can. Photos are curated content like the fields CuratedChanges names, but a
// revision carries only the listing's fields, so photos change only while the listing is not
// shown and not under review (draft, rejected, archived) and are curated when it is submitted.
// A submitted or taken-down listing is refused as EditRefusal says; an approved one with a
// CodeConflict *Error telling the seller to archive it, change the photos and submit it again
// (the public sees only curated photos).
func PhotoChangeRefusal(status ProductStatus) error {
	if status == ProductApproved {
		return Conflict("Foto produk yang sedang tayang ikut dikurasi dan tidak dapat diubah langsung: arsipkan produk, ubah fotonya, lalu ajukan kembali untuk dikurasi.")
	}
	return EditRefusal(status)
}

package web

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"bela/internal/market"
	"bela/internal/store"
)

// The product API: sellers create, change and submit listings; curators review them; anyone
// signed in reads a listing buyers see (and a seller's people, curators, admins and auditors
// read any). A listing of another seller, or one the caller may not see, is not found.

type apiSpec struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// productInput is the body of POST /api/v1/products and PATCH /api/v1/products/{id}; on a
// PATCH every field is optional and an absent one keeps its value.
type productInput struct {
	SellerID        *int64     `json:"seller_id,omitempty"`
	SKU             *string    `json:"sku,omitempty"`
	Name            *string    `json:"name,omitempty"`
	Description     *string    `json:"description,omitempty"`
	Category        *string    `json:"category,omitempty"`
	Unit            *string    `json:"unit,omitempty"`
	Price           *int64     `json:"price,omitempty"`
	MinOrder        *int64     `json:"min_order,omitempty"`
	Stock           *int64     `json:"stock,omitempty"`
	PDN             *bool      `json:"pdn,omitempty"`
	TKDN            *float64   `json:"tkdn,omitempty"`
	TKDNCertificate *string    `json:"tkdn_certificate,omitempty"`
	SNI             *string    `json:"sni,omitempty"`
	Brand           *string    `json:"brand,omitempty"`
	Specs           *[]apiSpec `json:"specs,omitempty"`
	PublicPrice     *int64     `json:"public_price,omitempty"`
	PublicPriceURL  *string    `json:"public_price_url,omitempty"`
}

// apply writes the given fields over p.
func (in productInput) apply(p market.Product) (market.Product, error) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.SKU, in.SKU)
	set(&p.Name, in.Name)
	set(&p.Description, in.Description)
	set(&p.CategoryCode, in.Category)
	set(&p.Unit, in.Unit)
	set(&p.TKDNCertificate, in.TKDNCertificate)
	set(&p.SNI, in.SNI)
	set(&p.Brand, in.Brand)
	set(&p.PublicPriceURL, in.PublicPriceURL)
	if in.Price != nil {
		p.Price = market.Rupiah(*in.Price)
	}
	if in.PublicPrice != nil {
		p.PublicPrice = market.Rupiah(*in.PublicPrice)
	}
	if in.MinOrder != nil {
		p.MinOrder = *in.MinOrder
	}
	if in.Stock != nil {
		p.Stock = *in.Stock
	}
	if in.PDN != nil {
		p.PDN = *in.PDN
	}
	if in.TKDN != nil {
		v := *in.TKDN
		if math.IsNaN(v) || v < 0 || v > 100 || math.Abs(v*100-math.Round(v*100)) > 1e-6 {
			return p, market.Invalid("tkdn", "TKDN harus persentase 0 sampai 100 dengan paling banyak dua desimal.")
		}
		p.TKDN = market.BasisPoints(math.Round(v * 100))
	}
	if in.Specs != nil {
		p.Specs = nil
		for _, s := range *in.Specs {
			p.Specs = append(p.Specs, market.Spec(s))
		}
	}
	return p, nil
}

type apiPhoto struct {
	ID           int64  `json:"id"`
	URL          string `json:"url"`
	ThumbnailURL string `json:"thumbnail_url"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
}

type apiPrice struct {
	Price int64  `json:"price"`
	From  string `json:"from"`
	To    string `json:"to,omitempty"`
}

type apiRevision struct {
	ID        int64    `json:"id"`
	Changed   []string `json:"changed"`
	Price     int64    `json:"price"`
	CreatedAt string   `json:"created_at"`
}

// apiProduct is a listing as the API shows it.
type apiProduct struct {
	ID              int64        `json:"id"`
	SellerID        int64        `json:"seller_id"`
	SellerName      string       `json:"seller_name"`
	SKU             string       `json:"sku"`
	Name            string       `json:"name"`
	Description     string       `json:"description"`
	Category        string       `json:"category"`
	CategoryName    string       `json:"category_name"`
	Unit            string       `json:"unit"`
	Price           int64        `json:"price"`
	MinOrder        int64        `json:"min_order"`
	Stock           int64        `json:"stock"`
	PDN             bool         `json:"pdn"`
	TKDN            float64      `json:"tkdn"`
	TKDNCertificate string       `json:"tkdn_certificate"`
	SNI             string       `json:"sni"`
	Brand           string       `json:"brand"`
	Specs           []apiSpec    `json:"specs"`
	PublicPrice     int64        `json:"public_price"`
	PublicPriceURL  string       `json:"public_price_url"`
	Status          string       `json:"status"`
	StatusReason    string       `json:"status_reason,omitempty"`
	Shown           bool         `json:"shown"`
	CreatedAt       string       `json:"created_at"`
	UpdatedAt       string       `json:"updated_at"`
	Photos          []apiPhoto   `json:"photos"`
	PriceHistory    []apiPrice   `json:"price_history"`
	PendingRevision *apiRevision `json:"pending_revision,omitempty"`
}

func apiTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// productJSON builds the API view of a listing; curation details (the curator's reason, a
// pending revision) only for those who may see them.
func (s *Server) productJSON(r *http.Request, pr store.Product) (apiProduct, error) {
	out := apiProduct{ID: pr.ID, SellerID: pr.SellerID, SellerName: pr.SellerName, SKU: pr.SKU, Name: pr.Name,
		Description: pr.Description, Category: pr.CategoryCode, CategoryName: s.store.Categories().PathName(pr.CategoryCode),
		Unit: pr.Unit, Price: int64(pr.Price), MinOrder: pr.MinOrder, Stock: pr.Stock, PDN: pr.PDN, TKDN: float64(pr.TKDN) / 100,
		TKDNCertificate: pr.TKDNCertificate, SNI: pr.SNI, Brand: pr.Brand, Specs: []apiSpec{}, PublicPrice: int64(pr.PublicPrice),
		PublicPriceURL: pr.PublicPriceURL, Status: string(pr.Status), Shown: pr.Shown(), CreatedAt: apiTime(pr.CreatedAt),
		UpdatedAt: apiTime(pr.UpdatedAt), Photos: []apiPhoto{}, PriceHistory: []apiPrice{}}
	for _, sp := range pr.Specs {
		out.Specs = append(out.Specs, apiSpec(sp))
	}
	for _, ph := range pr.Photos {
		out.Photos = append(out.Photos, apiPhoto{ID: ph.ID, URL: fmt.Sprintf("/katalog/foto/%d", ph.ID),
			ThumbnailURL: fmt.Sprintf("/katalog/foto/%d/kecil", ph.ID), Width: ph.Width, Height: ph.Height})
	}
	hist, err := s.store.PriceHistory(r.Context(), pr.ID)
	if err != nil {
		return out, err
	}
	for _, h := range hist {
		ap := apiPrice{Price: int64(h.Price), From: apiTime(h.From)}
		if !h.To.IsZero() {
			ap.To = apiTime(h.To)
		}
		out.PriceHistory = append(out.PriceHistory, ap)
	}
	p := principal(r)
	if p.InSeller(pr.SellerID, sellerPeople...) || p.HasAny(productReaders...) {
		out.StatusReason = pr.StatusReason
		if rev := pr.Pending; rev != nil {
			out.PendingRevision = &apiRevision{ID: rev.ID, Changed: rev.Changed, Price: int64(rev.Proposed.Price), CreatedAt: apiTime(rev.CreatedAt)}
		}
	}
	return out, nil
}

func (s *Server) writeProduct(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	pr, err := s.store.GetProduct(r.Context(), id)
	if err != nil {
		return err
	}
	out, err := s.productJSON(r, pr)
	if err != nil {
		return err
	}
	writeJSON(w, status, out)
	return nil
}

// apiOwnProduct loads a listing of one of the caller's sellers; anything else is not found.
func (s *Server) apiOwnProduct(r *http.Request) (store.Product, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Product{}, err
	}
	pr, err := s.store.GetProduct(r.Context(), id)
	if err != nil {
		return pr, err
	}
	if !principal(r).InSeller(pr.SellerID, sellerPeople...) {
		return store.Product{}, market.NotFound("Produk")
	}
	return pr, nil
}

func (s *Server) apiCreateProduct(w http.ResponseWriter, r *http.Request) error {
	var in productInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p := principal(r)
	ids := p.SellerIDs(sellerPeople...)
	var sellerID int64
	switch {
	case in.SellerID != nil:
		sellerID = *in.SellerID
		if !p.InSeller(sellerID, sellerPeople...) {
			return market.NotFound("Penyedia")
		}
	case len(ids) == 1:
		sellerID = ids[0]
	default:
		return market.Invalid("seller_id", "Sebutkan seller_id: Anda terdaftar di lebih dari satu usaha.")
	}
	prod, err := in.apply(market.Product{MinOrder: 1})
	if err != nil {
		return err
	}
	pr, err := s.store.CreateProduct(r.Context(), sellerActor(p, sellerID), sellerID, prod)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/products/%d", pr.ID))
	return s.writeProduct(w, r, http.StatusCreated, pr.ID)
}

func (s *Server) apiUpdateProduct(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.apiOwnProduct(r)
	if err != nil {
		return err
	}
	var in productInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.SellerID != nil && *in.SellerID != pr.SellerID {
		return market.Invalid("seller_id", "Produk tidak dapat dipindahkan ke usaha lain.")
	}
	base := pr.Product
	if pr.Pending != nil {
		// Edits build on the version waiting for the curator, as the form does.
		base = pr.Pending.Proposed
		base.Stock, base.MinOrder = pr.Stock, pr.MinOrder
	}
	prod, err := in.apply(base)
	if err != nil {
		return err
	}
	if _, err := s.store.UpdateProduct(r.Context(), sellerActor(principal(r), pr.SellerID), pr.SellerID, pr.ID, prod); err != nil {
		return err
	}
	return s.writeProduct(w, r, http.StatusOK, pr.ID)
}

func (s *Server) apiSubmitProduct(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.apiOwnProduct(r)
	if err != nil {
		return err
	}
	if err := s.store.SubmitProduct(r.Context(), sellerActor(principal(r), pr.SellerID), pr.SellerID, pr.ID); err != nil {
		return err
	}
	return s.writeProduct(w, r, http.StatusOK, pr.ID)
}

type reviewInput struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

func (s *Server) apiReviewProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in reviewInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if _, err := s.store.ReviewProduct(r.Context(), actorFor(principal(r), market.RoleCurator), id, market.ProductDecision(in.Decision), in.Reason); err != nil {
		return err
	}
	return s.writeProduct(w, r, http.StatusOK, id)
}

func (s *Server) apiGetProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := s.store.GetProduct(r.Context(), id)
	if err != nil {
		return err
	}
	if !canSeeProduct(principal(r), pr) {
		return market.NotFound("Produk")
	}
	out, err := s.productJSON(r, pr)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

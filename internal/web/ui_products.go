package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"bela/internal/blob"
	"bela/internal/importer"
	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/upload"
)

// Product pages: the seller's product dashboard, form, photos and bulk import (under
// /usaha/{id}/produk, for the seller's own people; any other seller id is not found), the
// curators' product queue and decisions (/kurasi/produk), and the public catalogue (/katalog)
// that buyers browse. A listing that buyers do not see (a draft, or of an ineligible seller) is
// shown only to its seller's people, curators, admins and auditors; to anyone else it does not
// exist.

// productReaders may see every listing, shown or not.
var productReaders = roles(market.RoleCurator, market.RoleAdmin, market.RoleAuditor)

// canSeeProduct reports whether p (nil for the public) may see the listing.
func canSeeProduct(p *market.Principal, pr store.Product) bool {
	if pr.Shown() {
		return true
	}
	return p != nil && (p.InSeller(pr.SellerID, sellerPeople...) || p.HasAny(productReaders...))
}

// --- Form ---------------------------------------------------------------------------------

// productForm is the product form as typed, kept on errors.
type productForm struct {
	SKU, Name, Description, Category, Unit         string
	Price, MinOrder, Stock, TKDN, TKDNCert         string
	SNI, Brand, Specs, PublicPrice, PublicPriceURL string
	PDN                                            bool
}

func readProductForm(r *http.Request) productForm {
	v := r.PostFormValue
	return productForm{SKU: v("sku"), Name: v("name"), Description: v("description"), Category: v("category"), Unit: v("unit"),
		Price: v("price"), MinOrder: v("min_order"), Stock: v("stock"), TKDN: v("tkdn"), TKDNCert: v("tkdn_certificate"),
		SNI: v("sni"), Brand: v("brand"), Specs: v("specs"), PublicPrice: v("public_price"), PublicPriceURL: v("public_price_url"),
		PDN: v("pdn") == "1"}
}

func groupThousands(v int64) string {
	if v == 0 {
		return "0"
	}
	return strings.TrimPrefix(market.Rupiah(v).String(), "Rp")
}

func productFormOf(p market.Product) productForm {
	f := productForm{SKU: p.SKU, Name: p.Name, Description: p.Description, Category: p.CategoryCode, Unit: p.Unit,
		Price: groupThousands(int64(p.Price)), MinOrder: strconv.FormatInt(p.MinOrder, 10), Stock: strconv.FormatInt(p.Stock, 10),
		TKDNCert: p.TKDNCertificate, SNI: p.SNI, Brand: p.Brand, PublicPriceURL: p.PublicPriceURL, PDN: p.PDN}
	if p.TKDN > 0 {
		f.TKDN = strings.TrimSuffix(p.TKDN.String(), "%")
	}
	if p.PublicPrice > 0 {
		f.PublicPrice = groupThousands(int64(p.PublicPrice))
	}
	var specs []string
	for _, s := range p.Specs {
		specs = append(specs, s.Key+": "+s.Value)
	}
	f.Specs = strings.Join(specs, "\n")
	return f
}

// parseCount reads a whole number typed with or without thousands dots.
func parseCount(s string, def int64) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, true
	}
	v, ok := parseRupiahInput(s)
	return int64(v), ok && v >= 0
}

// product turns the form into a listing; what only the form can see (numbers that are not
// numbers, a specification line without a colon) comes back as field errors.
func (f productForm) product() (market.Product, market.FieldErrors) {
	fe := market.FieldErrors{}
	p := market.Product{SKU: f.SKU, Name: f.Name, Description: f.Description, CategoryCode: f.Category, Unit: f.Unit,
		TKDNCertificate: f.TKDNCert, SNI: f.SNI, Brand: f.Brand, PublicPriceURL: f.PublicPriceURL, PDN: f.PDN}
	var ok bool
	if strings.TrimSpace(f.Price) == "" {
		fe.Add("price", "Harga wajib diisi.")
	} else if p.Price, ok = parseRupiahInput(f.Price); !ok || p.Price < 0 {
		fe.Add("price", "Tulis harga dalam rupiah tanpa desimal, misalnya 55.000.")
	}
	if strings.TrimSpace(f.PublicPrice) != "" {
		if p.PublicPrice, ok = parseRupiahInput(f.PublicPrice); !ok || p.PublicPrice < 0 {
			fe.Add("public_price", "Tulis harga dalam rupiah tanpa desimal, misalnya 60.000.")
		}
	}
	if p.MinOrder, ok = parseCount(f.MinOrder, 1); !ok {
		fe.Add("min_order", "Isi dengan bilangan bulat, misalnya 1.")
	}
	if p.Stock, ok = parseCount(f.Stock, 0); !ok {
		fe.Add("stock", "Isi dengan bilangan bulat 0 atau lebih.")
	}
	if strings.TrimSpace(f.TKDN) != "" {
		tkdn, err := market.ParsePercent(f.TKDN)
		if err != nil {
			fe.Add("tkdn", err.(*market.Error).Message)
		}
		p.TKDN = tkdn
	}
	for _, line := range strings.Split(f.Specs, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, found := strings.Cut(line, ":")
		if !found {
			fe.Add("specs", fmt.Sprintf("Tulis satu spesifikasi per baris sebagai nama: isi (baris %q tidak punya titik dua).", strings.TrimSpace(line)))
			continue
		}
		p.Specs = append(p.Specs, market.Spec{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v)})
	}
	return p, fe
}

// categoryOption is one leaf in the form's category list.
type categoryOption struct {
	Code, Label string
	Allowed     bool
}

type categoryGroup struct {
	Label   string
	Options []categoryOption
}

// categoryGroups lists the leaves grouped by their first two levels, marking those the
// seller's KBLI codes allow.
func (s *Server) categoryGroups(kbli []string) []categoryGroup {
	tree := s.store.Categories()
	var out []categoryGroup
	for _, g := range tree.Roots() {
		for _, sub := range g.Children {
			cg := categoryGroup{Label: g.Name + " › " + sub.Name}
			for _, leaf := range sub.Children {
				cg.Options = append(cg.Options, categoryOption{Code: leaf.Code, Label: leaf.Name, Allowed: tree.CanList(kbli, leaf.Code) == nil})
			}
			out = append(out, cg)
		}
	}
	return out
}

type productFormPage struct {
	Base
	Seller     store.Seller
	Product    *store.Product // nil for a new listing
	Form       productForm
	Categories []categoryGroup
	Units      []market.Unit
	KBLI       []string
	Error      string
	Fields     map[string]string
	History    []store.PricePoint
	Next       []market.ProductStatus
	MinSide    int
	// Locked says why the listing cannot be edited now (under review, taken down); the form
	// is then shown read-only, without a save button. Empty when it can be edited.
	Locked string
	// PhotosLocked says why photos cannot be added or removed now (market.PhotoChangeRefusal).
	PhotosLocked string
}

func (s *Server) renderProductForm(w http.ResponseWriter, r *http.Request, status int, sl store.Seller, pr *store.Product, f productForm, err error) error {
	key := "product.new"
	if pr != nil {
		key = "product.edit"
	}
	d := &productFormPage{Base: s.newBase(r, key), Seller: sl, Product: pr, Form: f, Units: market.Units, MinSide: store.MinPhotoSide}
	kbli, kerr := s.store.SellerKBLI(r.Context(), sl.ID)
	if kerr != nil {
		return kerr
	}
	d.KBLI, d.Categories = kbli, s.categoryGroups(kbli)
	if pr != nil {
		d.Title = pr.Name
		d.Next = market.ProductNext(pr.Status)
		if lerr := market.EditRefusal(pr.Status); lerr != nil {
			d.Locked = sayError(langOf(r), asCoded(lerr).Message)
		}
		if lerr := market.PhotoChangeRefusal(pr.Status); lerr != nil {
			d.PhotosLocked = sayError(langOf(r), asCoded(lerr).Message)
		}
		if d.History, kerr = s.store.PriceHistory(r.Context(), pr.ID); kerr != nil {
			return kerr
		}
	}
	if err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		d.Fields, d.Error = fields, msg
	}
	return s.render(w, status, "product_form", d)
}

// ownProduct loads the seller of the path and one of its listings; another seller's listing,
// or a seller the principal is not part of, is not found.
func (s *Server) ownProduct(r *http.Request) (store.Seller, store.Product, error) {
	sl, err := s.ownSeller(r, sellerPeople...)
	if err != nil {
		return sl, store.Product{}, err
	}
	pid, err := pathID(r, "pid")
	if err != nil {
		return sl, store.Product{}, err
	}
	pr, err := s.store.GetProduct(r.Context(), pid)
	if err != nil {
		return sl, pr, err
	}
	if pr.SellerID != sl.ID {
		return sl, store.Product{}, market.NotFound("Produk")
	}
	return sl, pr, nil
}

func (s *Server) newProductForm(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, sellerPeople...)
	if err != nil {
		return err
	}
	return s.renderProductForm(w, r, http.StatusOK, sl, nil, productForm{MinOrder: "1", Stock: "0"}, nil)
}

func (s *Server) createProductPage(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, sellerPeople...)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := readProductForm(r)
	p, fe := f.product()
	var pr store.Product
	if err = fe.Err(); err == nil {
		pr, err = s.store.CreateProduct(r.Context(), sellerActor(principal(r), sl.ID), sl.ID, p)
	} else if _, serr := p.Normalized(s.store.Categories(), nil); serr != nil {
		// Show the listing's other problems together with the form's own.
		mergeFields(err, serr)
	}
	if err != nil {
		return s.renderProductForm(w, r, http.StatusUnprocessableEntity, sl, nil, f, err)
	}
	http.Redirect(w, r, fmt.Sprintf("/usaha/%d/produk/%d?ok=pflash.saved", sl.ID, pr.ID), http.StatusSeeOther)
	return nil
}

// mergeFields adds the field messages of extra to err where err has none for the field; a
// category message is left out (the KBLI check needs the seller, done on the real save).
func mergeFields(err, extra error) {
	var e, x *market.Error
	if !errors.As(err, &e) || !errors.As(extra, &x) {
		return
	}
	for k, v := range x.Fields {
		if _, ok := e.Fields[k]; !ok && k != "category" && k != "price" && k != "public_price" && k != "tkdn" {
			e.Fields[k] = v
		}
	}
}

func (s *Server) editProductForm(w http.ResponseWriter, r *http.Request) error {
	sl, pr, err := s.ownProduct(r)
	if err != nil {
		return err
	}
	f := productFormOf(pr.Product)
	if pr.Pending != nil {
		// Edit the version waiting for the curator, so that nothing typed is lost.
		f = productFormOf(pr.Pending.Proposed)
		f.Stock, f.MinOrder = strconv.FormatInt(pr.Stock, 10), strconv.FormatInt(pr.MinOrder, 10)
	}
	return s.renderProductForm(w, r, http.StatusOK, sl, &pr, f, nil)
}

func (s *Server) updateProductPage(w http.ResponseWriter, r *http.Request) error {
	sl, pr, err := s.ownProduct(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := readProductForm(r)
	p, fe := f.product()
	var mode market.EditMode
	if err = fe.Err(); err == nil {
		mode, err = s.store.UpdateProduct(r.Context(), sellerActor(principal(r), sl.ID), sl.ID, pr.ID, p)
	}
	if err != nil {
		return s.renderProductForm(w, r, http.StatusUnprocessableEntity, sl, &pr, f, err)
	}
	ok := "pflash.saved"
	if mode == market.EditRevision {
		ok = "pflash.revision"
	}
	http.Redirect(w, r, fmt.Sprintf("/usaha/%d/produk/%d?ok=%s", sl.ID, pr.ID, ok), http.StatusSeeOther)
	return nil
}

// productAction handles the status buttons of the form page: submit, withdraw, archive.
func (s *Server) productAction(action func(*Server, *http.Request, store.Actor, int64, int64) error, ok string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		sl, pr, err := s.ownProduct(r)
		if err != nil {
			return err
		}
		if err := action(s, r, sellerActor(principal(r), sl.ID), sl.ID, pr.ID); err != nil {
			if _, _, isForm := formError(r, err); !isForm {
				return err
			}
			return s.renderProductForm(w, r, statusOf(market.ErrorCode(err)), sl, &pr, productFormOf(pr.Product), err)
		}
		http.Redirect(w, r, fmt.Sprintf("/usaha/%d/produk/%d?ok=%s", sl.ID, pr.ID, ok), http.StatusSeeOther)
		return nil
	}
}

func (s *Server) submitProductPage(w http.ResponseWriter, r *http.Request) error {
	return s.productAction(func(s *Server, r *http.Request, a store.Actor, sid, pid int64) error {
		return s.store.SubmitProduct(r.Context(), a, sid, pid)
	}, "pflash.submitted")(w, r)
}

func (s *Server) withdrawProductPage(w http.ResponseWriter, r *http.Request) error {
	return s.productAction(func(s *Server, r *http.Request, a store.Actor, sid, pid int64) error {
		return s.store.WithdrawProduct(r.Context(), a, sid, pid)
	}, "pflash.withdrawn")(w, r)
}

func (s *Server) archiveProductPage(w http.ResponseWriter, r *http.Request) error {
	return s.productAction(func(s *Server, r *http.Request, a store.Actor, sid, pid int64) error {
		return s.store.ArchiveProduct(r.Context(), a, sid, pid)
	}, "pflash.archived")(w, r)
}

// --- Photos -------------------------------------------------------------------------------

// readUpload reads the multipart file field name of an upload route, answering a clear error
// for a missing or oversized file.
func readUpload(r *http.Request, field string) ([]byte, error) {
	if err := r.ParseMultipartForm(uploadMaxBody); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			msg := fmt.Sprintf("Berkas terlalu besar (maksimal %d MB).", upload.MaxFileSize>>20)
			return nil, &market.Error{Code: market.CodeTooLarge, Message: msg, Fields: map[string]string{field: msg}}
		}
		return nil, market.Invalid(field, "Pilih berkas yang akan diunggah.")
	}
	file, _, err := r.FormFile(field)
	if err != nil {
		return nil, market.Invalid(field, "Pilih berkas yang akan diunggah.")
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, upload.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	return data, nil
}

func (s *Server) blobs() (*blob.Store, error) {
	if s.cfg.Blobs == nil {
		return nil, &market.Error{Code: market.CodeUnavailable, Message: "Penyimpanan berkas belum disiapkan."}
	}
	return s.cfg.Blobs, nil
}

// storePhoto checks an uploaded image (JPEG or PNG, at least store.MinPhotoSide pixels on the
// short side), re-encodes it, makes its thumbnail and stores both as blobs.
func (s *Server) storePhoto(data []byte) (store.NewProductPhoto, error) {
	bs, err := s.blobs()
	if err != nil {
		return store.NewProductPhoto{}, err
	}
	f, err := upload.Check("photo", data, upload.JPEG, upload.PNG)
	if err != nil {
		return store.NewProductPhoto{}, err
	}
	if min(f.Width, f.Height) < store.MinPhotoSide {
		return store.NewProductPhoto{}, market.Invalid("photo", fmt.Sprintf("Foto minimal %d piksel pada sisi terpendek; foto ini %d × %d piksel.", store.MinPhotoSide, f.Width, f.Height))
	}
	thumb, err := upload.Thumbnail(f)
	if err != nil {
		return store.NewProductPhoto{}, err
	}
	ph := store.NewProductPhoto{Width: f.Width, Height: f.Height}
	if ph.BlobID, err = bs.Put(f.Data); err != nil {
		return ph, err
	}
	if ph.ThumbID, err = bs.Put(thumb); err != nil {
		return ph, err
	}
	return ph, nil
}

func (s *Server) uploadProductPhoto(w http.ResponseWriter, r *http.Request) error {
	sl, pr, err := s.ownProduct(r)
	if err != nil {
		return err
	}
	data, err := readUpload(r, "photo")
	var ph store.NewProductPhoto
	if err == nil {
		ph, err = s.storePhoto(data)
	}
	if err == nil {
		_, err = s.store.AddProductPhoto(r.Context(), sellerActor(principal(r), sl.ID), sl.ID, pr.ID, ph)
	}
	if err != nil {
		if _, _, ok := formError(r, err); !ok && market.ErrorCode(err) != market.CodeTooLarge {
			return err
		}
		return s.renderProductForm(w, r, statusOf(market.ErrorCode(err)), sl, &pr, productFormOf(pr.Product), err)
	}
	http.Redirect(w, r, fmt.Sprintf("/usaha/%d/produk/%d?ok=pflash.photoadded#foto", sl.ID, pr.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) deleteProductPhoto(w http.ResponseWriter, r *http.Request) error {
	sl, pr, err := s.ownProduct(r)
	if err != nil {
		return err
	}
	phID, err := pathID(r, "photo")
	if err != nil {
		return err
	}
	if err := s.store.DeleteProductPhoto(r.Context(), sellerActor(principal(r), sl.ID), sl.ID, pr.ID, phID); err != nil {
		if _, _, ok := formError(r, err); !ok {
			return err
		}
		return s.renderProductForm(w, r, statusOf(market.ErrorCode(err)), sl, &pr, productFormOf(pr.Product), err)
	}
	http.Redirect(w, r, fmt.Sprintf("/usaha/%d/produk/%d?ok=pflash.photodeleted#foto", sl.ID, pr.ID), http.StatusSeeOther)
	return nil
}

// servePhoto sends a product photo (or its thumbnail) to whoever may see the listing.
func (s *Server) servePhoto(thumb bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		ph, err := s.store.GetProductPhoto(r.Context(), id)
		if err != nil {
			return err
		}
		pr, err := s.store.GetProduct(r.Context(), ph.ProductID)
		if err != nil {
			return err
		}
		if !canSeeProduct(principal(r), pr) {
			return market.NotFound("Foto")
		}
		blobID := ph.BlobID
		if thumb {
			blobID = ph.ThumbID
		}
		cache := "private, no-store"
		if pr.Shown() {
			cache = "public, max-age=86400"
		}
		return s.serveImage(w, r, blobID, ph.CreatedAt, cache)
	}
}

// serveImage sends a stored JPEG or PNG with the given Cache-Control; anything else, or a
// missing blob, is 404. The image is sandboxed, so that it can never run as a page.
func (s *Server) serveImage(w http.ResponseWriter, r *http.Request, blobID string, modified time.Time, cache string) error {
	bs, err := s.blobs()
	if err != nil {
		return err
	}
	data, err := bs.Get(blobID)
	if errors.Is(err, blob.ErrNotFound) {
		return market.NotFound("Foto")
	}
	if err != nil {
		return err
	}
	ct := http.DetectContentType(data)
	if ct != "image/jpeg" && ct != "image/png" {
		return market.NotFound("Foto")
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Header().Set("Cache-Control", cache)
	http.ServeContent(w, r, "", modified, bytes.NewReader(data))
	return nil
}

// --- Seller dashboard ---------------------------------------------------------------------

type productRow struct {
	P       store.Product
	Pending bool
	Todo    string // what to do next, in the page's language
}

type statusCount struct {
	Status market.ProductStatus
	N      int
}

type productListPage struct {
	Base
	Seller   store.Seller
	Rows     []productRow
	Counts   []statusCount
	Filter   market.ProductStatus
	Total    int
	Pending  int
	Eligible bool
	Reasons  []string
	Drafts   int      // drafts the bulk submit would try
	Skipped  []string // drafts a bulk submit left, "SKU: reason"
}

// productTodo says what a seller should do next with a listing.
func productTodo(b *Base, p store.Product, pending bool) string {
	switch {
	case pending:
		return b.T("product.todo.revision")
	case p.Status == market.ProductRejected:
		return b.T("product.todo.rejected")
	case p.Status == market.ProductDraft && p.CoverPhotoID == 0:
		return b.T("product.todo.photo")
	case p.Status == market.ProductDraft:
		return b.T("product.todo.submit")
	case p.Status == market.ProductSubmitted:
		return b.T("product.todo.wait")
	case p.Status == market.ProductApproved && !p.Shown():
		return b.T("product.todo.seller")
	case p.Status == market.ProductTakenDown:
		return b.T("product.todo.takendown")
	}
	return ""
}

// myProducts sends a seller's person to the product dashboard of their (first) seller.
func (s *Server) myProducts(w http.ResponseWriter, r *http.Request) error {
	ids := principal(r).SellerIDs(sellerPeople...)
	if len(ids) == 0 {
		return market.NotFound("Penyedia")
	}
	http.Redirect(w, r, fmt.Sprintf("/usaha/%d/produk", ids[0]), http.StatusSeeOther)
	return nil
}

func (s *Server) sellerProducts(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, sellerPeople...)
	if err != nil {
		return err
	}
	d, err := s.productList(r, sl)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "product_list", d)
}

// submitDraftsPage submits every complete draft of the seller at once and shows the list with
// what was submitted and which drafts stayed, with their reasons.
func (s *Server) submitDraftsPage(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, sellerPeople...)
	if err != nil {
		return err
	}
	n, skipped, err := s.store.SubmitDrafts(r.Context(), sellerActor(principal(r), sl.ID), sl.ID)
	if err != nil {
		return err
	}
	d, err := s.productList(r, sl)
	if err != nil {
		return err
	}
	d.Flash = d.T("product.bulksubmitted", n)
	for _, sk := range skipped {
		d.Skipped = append(d.Skipped, sk.SKU+": "+sk.Reason)
	}
	return s.render(w, http.StatusOK, "product_list", d)
}

// productList builds the seller's product dashboard (filtered by ?status=).
func (s *Server) productList(r *http.Request, sl store.Seller) (*productListPage, error) {
	var err error
	d := &productListPage{Base: s.newBase(r, "product.list"), Seller: sl}
	if st := r.URL.Query().Get("status"); st != "" {
		if d.Filter, err = market.ParseProductStatus(st); err != nil {
			d.Filter = ""
		}
	}
	list, err := s.store.ListSellerProducts(r.Context(), sl.ID, d.Filter)
	if err != nil {
		return nil, err
	}
	for _, st := range market.ProductStatuses {
		d.Counts = append(d.Counts, statusCount{Status: st, N: list.Counts[st]})
		d.Total += list.Counts[st]
	}
	d.Pending = len(list.Pending)
	for _, p := range list.Products {
		d.Rows = append(d.Rows, productRow{P: p, Pending: list.Pending[p.ID], Todo: productTodo(&d.Base, p, list.Pending[p.ID])})
	}
	d.Eligible, d.Reasons = sl.Eligible()
	d.Drafts = list.Counts[market.ProductDraft]
	return d, nil
}

// --- Bulk import --------------------------------------------------------------------------

type productImportPage struct {
	Base
	Seller  store.Seller
	Report  *store.ImportReport
	BlobID  string // the uploaded sheet, kept for the confirmation
	Error   string
	Fields  map[string]string
	Actions []store.ImportAction
}

var importActions = []store.ImportAction{store.ImportCreate, store.ImportUpdate, store.ImportRevision, store.ImportUnchanged, store.ImportInvalid}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, sl store.Seller, rep *store.ImportReport, blobID string, err error) error {
	d := &productImportPage{Base: s.newBase(r, "product.import"), Seller: sl, Report: rep, BlobID: blobID, Actions: importActions}
	if rep != nil {
		// "Heading: message": the headings stay those of the sheet, the messages are said in the
		// page's language.
		for i := range rep.Rows {
			for j, p := range rep.Rows[i].Problems {
				rep.Rows[i].Problems[j] = sayError(d.Lang, p)
			}
		}
	}
	if err != nil {
		e := asCoded(err)
		if e.Code != market.CodeInvalid && e.Code != market.CodeTooLarge {
			return err
		}
		d.Fields, d.Error = sayFields(d.Lang, e.Fields), sayError(d.Lang, e.Message)
	}
	return s.render(w, status, "product_import", d)
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, sellerPeople...)
	if err != nil {
		return err
	}
	return s.renderImport(w, r, http.StatusOK, sl, nil, "", nil)
}

func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.ownSeller(r, sellerPeople...); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := importer.Template(&buf, s.store.Categories()); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="templat-produk-bela.xlsx"`)
	_, err := buf.WriteTo(w)
	return err
}

// importPreview reads the uploaded sheet, keeps it as a blob and shows what importing it does.
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, sellerPeople...)
	if err != nil {
		return err
	}
	data, err := readUpload(r, "file")
	var rows []store.ImportRow
	if err == nil {
		rows, err = importer.Parse(data)
	}
	if err != nil {
		return s.renderImport(w, r, statusOf(market.ErrorCode(err)), sl, nil, "", err)
	}
	bs, err := s.blobs()
	if err != nil {
		return err
	}
	blobID, err := bs.Put(data)
	if err != nil {
		return err
	}
	rep, err := s.store.PreviewImport(r.Context(), sl.ID, rows)
	if err != nil {
		return s.renderImport(w, r, statusOf(market.ErrorCode(err)), sl, nil, "", err)
	}
	return s.renderImport(w, r, http.StatusOK, sl, &rep, blobID, nil)
}

// importConfirm applies the sheet shown in the preview.
func (s *Server) importConfirm(w http.ResponseWriter, r *http.Request) error {
	sl, err := s.ownSeller(r, sellerPeople...)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	bs, err := s.blobs()
	if err != nil {
		return err
	}
	data, err := bs.Get(r.PostFormValue("sheet"))
	if err != nil {
		return s.renderImport(w, r, http.StatusUnprocessableEntity, sl, nil, "", market.Invalid("file", "Berkas pratinjau tidak ditemukan; unggah lagi."))
	}
	rows, err := importer.Parse(data)
	if err != nil {
		return s.renderImport(w, r, http.StatusUnprocessableEntity, sl, nil, "", err)
	}
	rep, err := s.store.ApplyImport(r.Context(), sellerActor(principal(r), sl.ID), sl.ID, rows)
	if err != nil {
		return s.renderImport(w, r, statusOf(market.ErrorCode(err)), sl, nil, "", err)
	}
	return s.renderImport(w, r, http.StatusOK, sl, &rep, "", nil)
}

// --- Curator queue and decisions ----------------------------------------------------------

type productQueuePage struct {
	Base
	Items []store.QueueItem
	// Conflicts are the sellers this curator may not curate (store.CurationConflicts), whose
	// items are marked.
	Conflicts map[int64]bool
}

func (s *Server) productQueue(w http.ResponseWriter, r *http.Request) error {
	items, err := s.store.ProductQueue(r.Context())
	if err != nil {
		return err
	}
	conflicts, err := s.curationConflicts(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "product_queue", &productQueuePage{Base: s.newBase(r, "product.queue"), Items: items, Conflicts: conflicts})
}

// fieldChange is one curated field of a revision: the live value and the proposed one.
type fieldChange struct {
	Field, Old, New string
}

type productReviewPage struct {
	Base
	Product  store.Product
	Category string
	History  []store.PricePoint
	Changes  []fieldChange
	Decision string
	Reason   string
	Error    string
	Fields   map[string]string
	Curator  bool // the decision form is offered
	Conflict bool // the curator is linked to the seller and may not decide
}

func fieldValue(p market.Product, field string) string {
	switch field {
	case "sku":
		return p.SKU
	case "name":
		return p.Name
	case "description":
		return p.Description
	case "category":
		return p.CategoryCode
	case "unit":
		return p.Unit
	case "price":
		return p.Price.String()
	case "tkdn":
		return fmt.Sprintf("PDN %v, TKDN %s", p.PDN, p.TKDN)
	case "tkdn_certificate":
		return p.TKDNCertificate
	case "sni":
		return p.SNI
	case "brand":
		return p.Brand
	case "specs":
		var out []string
		for _, s := range p.Specs {
			out = append(out, s.Key+": "+s.Value)
		}
		return strings.Join(out, "; ")
	case "public_price":
		return p.PublicPrice.String()
	case "public_price_url":
		return p.PublicPriceURL
	}
	return ""
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, pr store.Product, decision, reason string, err error) error {
	d := &productReviewPage{Base: s.newBase(r, "product.review"), Product: pr, Category: s.store.Categories().PathName(pr.CategoryCode),
		Decision: decision, Reason: reason, Curator: principal(r).Has(market.RoleCurator)}
	d.Title = pr.Name
	conflicts, herr := s.curationConflicts(r)
	if herr != nil {
		return herr
	}
	if conflicts[pr.SellerID] {
		d.Conflict, d.Curator = true, false
	}
	if d.History, herr = s.store.PriceHistory(r.Context(), pr.ID); herr != nil {
		return herr
	}
	if pr.Pending != nil {
		for _, f := range pr.Pending.Changed {
			d.Changes = append(d.Changes, fieldChange{Field: f, Old: fieldValue(pr.Product, f), New: fieldValue(pr.Pending.Proposed, f)})
		}
	}
	if err != nil {
		fields, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		d.Fields, d.Error = fields, msg
	}
	return s.render(w, status, "product_review", d)
}

func (s *Server) reviewProductPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := s.store.GetProduct(r.Context(), id)
	if err != nil {
		return err
	}
	return s.renderReview(w, r, http.StatusOK, pr, "", "", nil)
}

func (s *Server) decideProductPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pr, err := s.store.GetProduct(r.Context(), id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	decision, reason := r.PostFormValue("decision"), r.PostFormValue("reason")
	_, err = s.store.ReviewProduct(r.Context(), actorFor(principal(r), market.RoleCurator), pr.ID, market.ProductDecision(decision), reason)
	if err != nil {
		return s.renderReview(w, r, statusOf(market.ErrorCode(err)), pr, decision, reason, err)
	}
	http.Redirect(w, r, "/kurasi/produk?ok=pflash.decided", http.StatusSeeOther)
	return nil
}

// --- Public catalogue ---------------------------------------------------------------------

type crumb struct{ Code, Name string }

type catalogPage struct {
	Base
	Query    string
	Category string
	Crumbs   []crumb
	Children []categoryCount
	Result   store.BrowseResult
	Page     int
	Prev     string
	Next     string
}

type categoryCount struct {
	Code, Name string
	N          int
}

// catalogPageSize is how many listings one catalogue page shows.
const catalogPageSize = 24

func (s *Server) catalog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := &catalogPage{Base: s.newBase(r, "catalog.title"), Query: strings.TrimSpace(q.Get("q")), Category: strings.TrimSpace(q.Get("kategori"))}
	tree := s.store.Categories()
	if _, ok := tree.Lookup(d.Category); !ok {
		d.Category = ""
	}
	d.Page, _ = strconv.Atoi(q.Get("hal"))
	d.Page = max(d.Page, 1)
	counts, err := s.store.ShownCounts(r.Context())
	if err != nil {
		return err
	}
	count := func(code string) int {
		n := 0
		for c, k := range counts {
			if c == code || strings.HasPrefix(c, code+".") {
				n += k
			}
		}
		return n
	}
	children := tree.Roots()
	if d.Category != "" {
		c, _ := tree.Lookup(d.Category)
		children = c.Children
		code := ""
		for _, part := range strings.Split(d.Category, ".") {
			code = strings.TrimPrefix(code+"."+part, ".")
			if cc, ok := tree.Lookup(code); ok {
				d.Crumbs = append(d.Crumbs, crumb{Code: code, Name: cc.Name})
			}
		}
	}
	for _, c := range children {
		d.Children = append(d.Children, categoryCount{Code: c.Code, Name: c.Name, N: count(c.Code)})
	}
	d.Result, err = s.store.BrowseProducts(r.Context(), store.BrowseFilter{Category: d.Category, Query: d.Query, Limit: catalogPageSize, Offset: (d.Page - 1) * catalogPageSize})
	if err != nil {
		return err
	}
	link := func(page int) string {
		v := url.Values{}
		if d.Query != "" {
			v.Set("q", d.Query)
		}
		if d.Category != "" {
			v.Set("kategori", d.Category)
		}
		v.Set("hal", strconv.Itoa(page))
		return "/katalog?" + v.Encode()
	}
	if d.Page > 1 {
		d.Prev = link(d.Page - 1)
	}
	if d.Page*catalogPageSize < d.Result.Total {
		d.Next = link(d.Page + 1)
	}
	return s.render(w, http.StatusOK, "product_catalog", d)
}

type productPage struct {
	Base
	Product  store.Product
	Category string
	Unit     string
	History  []store.PricePoint
	Own      bool
	Today    time.Time
	// The add-to-cart form: the quantity as typed (the minimum order at first) and, when it was
	// refused, the messages.
	Quantity string
	Error    string
	Fields   map[string]string
}

func (s *Server) productPublic(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderProductPage(w, r, http.StatusOK, id, &productPage{Base: s.newBase(r, "catalog.product")})
}

// renderProductPage shows product id's public page with d's form state; a product the user may
// not see is CodeNotFound. The add-to-cart handler uses it to show a refused quantity again.
func (s *Server) renderProductPage(w http.ResponseWriter, r *http.Request, status int, id int64, d *productPage) error {
	pr, err := s.store.GetProduct(r.Context(), id)
	if err != nil {
		return err
	}
	p := principal(r)
	if !canSeeProduct(p, pr) {
		return market.NotFound("Produk")
	}
	d.Product, d.Category = pr, s.store.Categories().PathName(pr.CategoryCode)
	d.Own, d.Today = p != nil && p.InSeller(pr.SellerID, sellerPeople...), s.cfg.Clock.Now()
	d.Title = pr.Name
	if d.Fields == nil && d.Error == "" {
		d.Quantity = strconv.FormatInt(pr.MinOrder, 10)
	}
	if u, err := market.ParseUnit(pr.Unit); err == nil {
		d.Unit = u.Name
	}
	if d.History, err = s.store.PriceHistory(r.Context(), pr.ID); err != nil {
		return err
	}
	return s.render(w, status, "product_page", d)
}

package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/upload"
)

// This file is the page from BAST to paid (GET /pesanan/{id}/tagihan): the tax breakdown that
// seller, treasurer and auditors see alike, the seller's invoice and e-Faktur, the deadline
// countdown, the treasurer's payment form, the PPK's rating and the seller's reply, and the
// order's documents; plus the treasurer's list of invoices to pay. Object level: the store
// answers 404 for another unit's or seller's order.

var (
	orderTreasurers = roles(market.RoleTreasurer)
	payableReaders  = roles(market.RoleTreasurer, market.RoleAuditor, market.RoleAdmin, market.RoleSellerOwner, market.RoleSellerStaff)
	ratingWriters   = roles(market.RoleApprover, market.RoleSellerOwner, market.RoleSellerStaff)
)

// taxRow is one tax the treasurer deposits, with what the form holds for it.
type taxRow struct {
	Kind        market.TaxKind
	Amount      market.Rupiah
	BillingCode string
	NTPN        string
}

type paymentPage struct {
	Base
	Order    store.Order
	Tax      *store.OrderTax
	TaxError string
	Invoice  *store.Invoice
	Payments []store.Payment
	Rating   *store.Rating
	Docs     []store.DocumentName
	// Countdown is the time left to the payment deadline (negative when late).
	Countdown  time.Duration
	Late       bool
	CanInvoice bool
	CanFaktur  bool
	CanPay     bool
	CanRate    bool
	CanReply   bool
	Methods    []store.PaymentMethod
	TaxRows    []taxRow
	Today      string
	Form       map[string]string
	Fields     map[string]string
	ErrForm    string
	Error      string
}

// Val returns what the user typed in a field of the failed form.
func (d *paymentPage) Val(name string) string { return d.Form[name] }

// CountdownText says how long is left, or how late it is, in days and hours. Past the deadline's
// time but still on its day, a payment dated today is on time: it says so rather than "late".
func (d *paymentPage) CountdownText() string {
	left := d.Countdown
	key := "pay.left"
	if left < 0 && !d.Late {
		return d.T("pay.duetoday")
	}
	if left < 0 {
		left, key = -left, "pay.overdue"
	}
	days, hours := int(left/(24*time.Hour)), int(left%(24*time.Hour)/time.Hour)
	return d.T(key, days, hours)
}

// RatingFields are the rating form's four scores.
func (d *paymentPage) RatingFields() []string {
	return []string{"on_time", "quantity", "quality", "communication"}
}

// Scores are the score choices of the rating form.
func (d *paymentPage) Scores() []int { return []int{5, 4, 3, 2, 1} }

func (s *Server) loadPaymentPage(r *http.Request, d *paymentPage, id int64) error {
	ctx, p := r.Context(), d.P
	o, err := s.store.GetOrder(ctx, p, id)
	if err != nil {
		return err
	}
	d.Order = o
	d.Title = translate(d.Lang, "pay.title", o.ID)
	d.Methods = store.PaymentMethods
	d.Today = s.cfg.Clock.Now().In(s.loc).Format("2006-01-02")
	pbjt := d.Form["pbjt"] != ""
	if t, err := s.store.OrderTaxes(ctx, p, id, pbjt); err == nil {
		d.Tax = &t
	} else if e := asCoded(err); e.Code == market.CodeConflict || e.Code == market.CodeInvalid {
		d.TaxError = sayError(d.Lang, e.Message)
	} else {
		return err
	}
	if v, err := s.store.GetInvoice(ctx, p, id); err == nil {
		d.Invoice = &v
		now := s.cfg.Clock.Now().In(s.loc) // lateness goes by days in the instance's zone
		if v.Complete() && v.PaidAt.IsZero() {
			d.Countdown = v.DueAt.Sub(now)
		}
		d.Late = v.Late(now)
	} else if market.ErrorCode(err) != market.CodeNotFound {
		return err
	}
	if d.Payments, err = s.store.OrderPayments(ctx, p, id); err != nil {
		return err
	}
	if rt, err := s.store.GetRating(ctx, p, id); err == nil {
		d.Rating = &rt
	} else if market.ErrorCode(err) != market.CodeNotFound {
		return err
	}
	if d.Docs, err = s.store.AvailableDocuments(ctx, p, id); err != nil {
		return err
	}
	seller := p.InSeller(o.SellerID, market.RoleSellerOwner, market.RoleSellerStaff)
	// An order closed short with nothing received is settled: no invoice form, and the page
	// says why instead of the tax breakdown there is none of.
	settled := market.NothingToInvoice(o.State, o.LineQuantities())
	if settled != nil {
		d.TaxError = sayError(d.Lang, asCoded(settled).Message)
	}
	d.CanInvoice = seller && d.Invoice == nil && settled == nil && (o.State == market.StateReceived || o.State == market.StateClosedShort)
	d.CanFaktur = seller && d.Invoice != nil && d.Invoice.NeedsFaktur && d.Invoice.PaidAt.IsZero()
	d.CanPay = p.InUnit(o.UnitID, market.RoleTreasurer) && d.Invoice != nil && d.Invoice.Complete() &&
		(o.State == market.StateInvoiced || o.State == market.StatePaid)
	d.CanRate = p.UserID == o.PPKID && p.InUnit(o.UnitID, market.RoleApprover) && o.State == market.StateCompleted && d.Rating == nil
	d.CanReply = seller && d.Rating != nil && d.Rating.RepliedAt.IsZero()
	if d.CanPay && d.Tax != nil {
		deposited := map[market.TaxKind]bool{}
		for _, pm := range d.Payments {
			for _, tp := range pm.Taxes {
				deposited[tp.Kind] = true
			}
		}
		for _, dep := range d.Tax.Taxes.Deposits {
			if !deposited[dep.Kind] {
				d.TaxRows = append(d.TaxRows, taxRow{Kind: dep.Kind, Amount: dep.Amount,
					BillingCode: d.Form["billing_"+string(dep.Kind)], NTPN: d.Form["ntpn_"+string(dep.Kind)]})
			}
		}
		if d.Form["amount"] == "" {
			var paid market.Rupiah
			for _, pm := range d.Payments {
				paid += pm.Amount
			}
			if d.Form == nil {
				d.Form = map[string]string{}
			}
			d.Form["amount"] = strconv.FormatInt(int64(max(d.Tax.Taxes.NetToSeller-paid, 0)), 10)
		}
	}
	return nil
}

// paymentView shows the invoice and payment page of an order.
func (s *Server) paymentView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d := &paymentPage{Base: s.newBase(r, "pay.heading")}
	if err := s.loadPaymentPage(r, d, id); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "payment", d)
}

// rerenderPayment shows the page again with the failed form's input and errors, or returns the
// error when it is not about the input.
func (s *Server) rerenderPayment(w http.ResponseWriter, r *http.Request, id int64, form string, err error) error {
	fields, msg, ok := formError(r, err)
	if !ok {
		return err
	}
	d := &paymentPage{Base: s.newBase(r, "pay.heading"), ErrForm: form, Fields: fields, Error: msg, Form: map[string]string{}}
	if r.Form != nil {
		for k := range r.Form {
			d.Form[k] = r.Form.Get(k)
		}
	}
	if lerr := s.loadPaymentPage(r, d, id); lerr != nil {
		return lerr
	}
	return s.render(w, statusOf(asCoded(err).Code), "payment", d)
}

// parseAnyForm reads a multipart or URL-encoded form.
func parseAnyForm(r *http.Request) error {
	err := r.ParseMultipartForm(uploadMaxBody)
	if errors.Is(err, http.ErrNotMultipart) {
		return r.ParseForm()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &market.Error{Code: market.CodeTooLarge, Message: fmt.Sprintf("Berkas terlalu besar (maksimal %d MB).", upload.MaxFileSize>>20)}
	}
	return err
}

// fakturUpload stores an uploaded faktur PDF (form field "faktur"), returning its blob id and file
// name, or "" when no file was sent.
func (s *Server) fakturUpload(r *http.Request) (string, string, error) {
	if r.MultipartForm == nil {
		return "", "", nil
	}
	file, hdr, err := r.FormFile("faktur")
	if errors.Is(err, http.ErrMissingFile) {
		return "", "", nil
	}
	if err != nil {
		return "", "", market.Invalid("faktur", "Berkas faktur pajak tidak terbaca.")
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, upload.MaxFileSize+1))
	if err != nil {
		return "", "", fmt.Errorf("read faktur: %w", err)
	}
	if len(data) == 0 {
		return "", "", nil
	}
	checked, err := upload.Check("faktur", data, upload.PDF)
	if err != nil {
		return "", "", err
	}
	if s.cfg.Blobs == nil {
		return "", "", &market.Error{Code: market.CodeUnavailable, Message: "Penyimpanan berkas belum disiapkan."}
	}
	id, err := s.cfg.Blobs.Put(checked.Data)
	if err != nil {
		return "", "", err
	}
	return id, hdr.Filename, nil
}

func (s *Server) issueInvoicePage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseAnyForm(r); err != nil {
		return s.rerenderPayment(w, r, id, "invoice", err)
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	// A faktur is stored only for someone who may invoice the order now.
	if _, err := s.authorizeAction(r.Context(), principal(r), id, market.ActionInvoice); err != nil {
		return s.rerenderPayment(w, r, id, "invoice", err)
	}
	blobID, name, err := s.fakturUpload(r)
	if err != nil {
		return s.rerenderPayment(w, r, id, "invoice", err)
	}
	in := store.InvoiceInput{PBJT: r.PostFormValue("pbjt") != "", FakturNumber: r.PostFormValue("faktur_number"), FakturBlob: blobID, FakturName: name}
	if in.FakturNumber == "" && blobID != "" {
		return s.rerenderPayment(w, r, id, "invoice", market.Invalid("faktur_number", "Isi nomor faktur pajak untuk berkas yang diunggah."))
	}
	if in.FakturNumber != "" && blobID == "" {
		return s.rerenderPayment(w, r, id, "invoice", market.Invalid("faktur", "Unggah berkas PDF faktur pajak."))
	}
	if _, err := s.store.IssueInvoice(r.Context(), principal(r), id, in); err != nil {
		return s.rerenderPayment(w, r, id, "invoice", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/pesanan/%d/tagihan?ok=pay.invoiced", id), http.StatusSeeOther)
	return nil
}

func (s *Server) attachFakturPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := parseAnyForm(r); err != nil {
		return s.rerenderPayment(w, r, id, "faktur", err)
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	// A faktur is stored only for the order's seller (the store checks the rest).
	p := principal(r)
	o, err := s.store.GetOrder(r.Context(), p, id)
	if err != nil {
		return err
	}
	if !p.InSeller(o.SellerID, sellerPeople...) {
		return market.Forbidden("Hanya penyedia pesanan ini yang dapat melampirkan faktur pajak.")
	}
	blobID, name, err := s.fakturUpload(r)
	if err != nil {
		return s.rerenderPayment(w, r, id, "faktur", err)
	}
	if _, err := s.store.AttachFaktur(r.Context(), p, id, r.PostFormValue("faktur_number"), blobID, name); err != nil {
		return s.rerenderPayment(w, r, id, "faktur", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/pesanan/%d/tagihan?ok=pay.fakturdone", id), http.StatusSeeOther)
	return nil
}

// serveFaktur sends the e-Faktur PDF to the order's parties and auditors.
func (s *Server) serveFaktur(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.store.GetInvoice(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	if v.FakturBlob == "" {
		return market.NotFound("Faktur pajak")
	}
	if s.cfg.Blobs == nil {
		return &market.Error{Code: market.CodeUnavailable, Message: "Penyimpanan berkas belum disiapkan."}
	}
	data, err := s.cfg.Blobs.Get(v.FakturBlob)
	if err != nil {
		return market.NotFound("Faktur pajak")
	}
	writePDF(w, "faktur-"+v.FakturNumber+".pdf", data)
	return nil
}

func (s *Server) recordPaymentPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	fe := market.FieldErrors{}
	in := store.PaymentInput{Method: store.PaymentMethod(r.PostFormValue("method")), Reference: r.PostFormValue("reference"),
		Reason: r.PostFormValue("reason")}
	if d, err := time.ParseInLocation("2006-01-02", r.PostFormValue("paid_on"), s.loc); err == nil {
		in.PaidOn = d
	} else {
		fe.Add("paid_on", "Isi tanggal pembayaran.")
	}
	const amountNotNumber = "Isi jumlah dalam rupiah, tanpa desimal."
	if a, msg := market.ParseRupiahField(r.PostFormValue("amount"), amountNotNumber); msg == "" {
		in.Amount = a
	} else {
		fe.Add("amount", msg)
	}
	for _, k := range []market.TaxKind{market.TaxPPN, market.TaxPPh22, market.TaxPPh23, market.TaxPPh21, market.TaxPP55} {
		raw := r.PostFormValue("amount_" + string(k))
		if raw == "" {
			continue
		}
		const taxNotNumber = "Jumlah pajak tidak valid."
		a, msg := market.ParseRupiahField(raw, taxNotNumber)
		if msg != "" {
			fe.Add("taxes."+string(k), msg)
			continue
		}
		in.Taxes = append(in.Taxes, store.TaxPayment{Kind: k, Amount: a, BillingCode: r.PostFormValue("billing_" + string(k)), NTPN: r.PostFormValue("ntpn_" + string(k))})
	}
	if err := fe.Err(); err != nil {
		return s.rerenderPayment(w, r, id, "pay", err)
	}
	if _, err := s.store.RecordPayment(r.Context(), principal(r), id, in); err != nil {
		return s.rerenderPayment(w, r, id, "pay", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/pesanan/%d/tagihan?ok=pay.paid", id), http.StatusSeeOther)
	return nil
}

func (s *Server) rateSellerPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	score := func(name string) int { v, _ := strconv.Atoi(r.PostFormValue(name)); return v }
	in := store.RatingInput{OnTime: score("on_time"), Quantity: score("quantity"), Quality: score("quality"),
		Communication: score("communication"), Comment: r.PostFormValue("comment")}
	if _, err := s.store.RateSeller(r.Context(), principal(r), id, in); err != nil {
		return s.rerenderPayment(w, r, id, "rate", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/pesanan/%d/tagihan?ok=pay.rated", id), http.StatusSeeOther)
	return nil
}

func (s *Server) replyRatingPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if _, err := s.store.ReplyToRating(r.Context(), principal(r), id, r.PostFormValue("reply")); err != nil {
		return s.rerenderPayment(w, r, id, "reply", err)
	}
	http.Redirect(w, r, fmt.Sprintf("/pesanan/%d/tagihan?ok=pay.replied", id), http.StatusSeeOther)
	return nil
}

type payablePage struct {
	Base
	Invoices []store.Payable
	Lateness []store.UnitLateness
	Now      time.Time // in the instance's zone, for Invoice.Late
	// Owed is what the listed complete invoices still have to pay the sellers, and Overdue the
	// part of it past the deadline.
	Owed, Overdue market.Rupiah
}

// payables lists the invoices awaiting payment: in the treasurer's units, to the seller's
// business (what the UMK is still owed), or all for auditors and admins; with each unit's
// late-payment counts, which are public: a seller sees every unit's.
func (s *Server) payables(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	list, err := s.store.PayableInvoices(r.Context(), p)
	if err != nil {
		return err
	}
	all, err := s.store.LatePayments(r.Context(), 0)
	if err != nil {
		return err
	}
	title := "pay.list"
	seller := p.HasAny(sellerPeople...)
	if seller && !p.HasAny(market.RoleTreasurer, market.RoleAuditor, market.RoleAdmin) {
		title = "pay.owed"
	}
	d := &payablePage{Base: s.newBase(r, title), Invoices: list, Now: s.cfg.Clock.Now().In(s.loc)}
	for _, v := range list {
		if !v.Complete() {
			continue
		}
		rest := max(v.Net-v.PaidAmount, 0)
		d.Owed += rest
		if v.Late(d.Now) {
			d.Overdue += rest
		}
	}
	for _, l := range all {
		if seller || p.SeesEverything() || p.InUnit(l.UnitID, market.RoleTreasurer) {
			d.Lateness = append(d.Lateness, l)
		}
	}
	return s.render(w, http.StatusOK, "payment_list", d)
}

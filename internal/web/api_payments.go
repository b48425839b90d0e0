package web

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/upload"
)

// This file is the JSON API from BAST to paid: the tax breakdown, the seller's invoice, the
// treasurer's payment, the PPK's rating (and the seller's reply), and the documents (served by
// serveOrderDocument). The store checks the object level.

// taxLineJSON is one line of the breakdown with its explanation (Bahasa Indonesia), and the key
// and arguments of its wording, for a client in another language.
type taxLineJSON struct {
	Item        string        `json:"item"`
	Label       string        `json:"label"`
	Amount      market.Rupiah `json:"amount"`
	Explanation string        `json:"explanation"`
	Key         string        `json:"key"`
	Args        []string      `json:"args"`
}

type taxDepositJSON struct {
	Kind   market.TaxKind `json:"kind"`
	Label  string         `json:"label"`
	Amount market.Rupiah  `json:"amount"`
}

// taxJSON is market.InvoiceTaxes in the API's snake_case.
type taxJSON struct {
	OrderID         int64               `json:"order_id"`
	Invoiced        bool                `json:"invoiced"`
	Kind            market.CategoryKind `json:"kind"`
	Catering        bool                `json:"catering"`
	PBJT            bool                `json:"pbjt"`
	PKP             bool                `json:"pkp"`
	PP55Valid       bool                `json:"pp55_valid"`
	PaymentDate     string              `json:"payment_date"`
	Price           market.Rupiah       `json:"price"`
	Shipping        market.Rupiah       `json:"shipping"`
	Taxable         market.Rupiah       `json:"taxable"`
	DPP             market.Rupiah       `json:"dpp"`
	PPN             market.Rupiah       `json:"ppn"`
	PPNDepositor    market.Party        `json:"ppn_depositor,omitempty"`
	PBJTAmount      market.Rupiah       `json:"pbjt_amount"`
	Total           market.Rupiah       `json:"total"`
	Withholding     market.TaxKind      `json:"withholding,omitempty"`
	WithholdingRate string              `json:"withholding_rate,omitempty"`
	Withheld        market.Rupiah       `json:"withheld"`
	MeteraiRequired bool                `json:"meterai_required"`
	Meterai         market.Rupiah       `json:"meterai"`
	NetToSeller     market.Rupiah       `json:"net_to_seller"`
	Deposits        []taxDepositJSON    `json:"deposits"`
	Lines           []taxLineJSON       `json:"lines"`
}

func taxOf(ot store.OrderTax) taxJSON {
	t := ot.Taxes
	out := taxJSON{OrderID: ot.OrderID, Invoiced: ot.Invoiced, Kind: ot.Kind, Catering: ot.Catering, PBJT: ot.PBJT, PKP: ot.PKP,
		PP55Valid: ot.PP55Valid, PaymentDate: ot.PaymentDate.Format("2006-01-02"), Price: t.Price, Shipping: t.Shipping,
		Taxable: t.Taxable, DPP: t.DPP, PPN: t.PPN, PPNDepositor: t.PPNDepositor, PBJTAmount: t.PBJT, Total: t.Total,
		Withholding: t.Withholding, Withheld: t.Withheld, MeteraiRequired: t.MeteraiRequired, Meterai: t.Meterai,
		NetToSeller: t.NetToSeller, Deposits: []taxDepositJSON{}, Lines: []taxLineJSON{}}
	if t.Withholding != "" {
		out.WithholdingRate = t.WithholdingRate.Percent()
	}
	for _, d := range t.Deposits {
		out.Deposits = append(out.Deposits, taxDepositJSON{Kind: d.Kind, Label: d.Kind.Label(), Amount: d.Amount})
	}
	for _, l := range t.Lines {
		out.Lines = append(out.Lines, taxLineJSON{Item: l.Item, Label: l.Label, Amount: l.Amount, Explanation: l.Explanation,
			Key: l.Key, Args: append([]string{}, l.Args...)})
	}
	return out
}

func (s *Server) apiOrderTax(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ot, err := s.store.OrderTaxes(r.Context(), principal(r), id, r.URL.Query().Get("pbjt") == "true")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, taxOf(ot))
	return nil
}

type invoiceRequest struct {
	PBJT         bool   `json:"pbjt"`
	FakturNumber string `json:"faktur_number"`
	// FakturPDF is the e-Faktur PDF, base64-encoded.
	FakturPDF string `json:"faktur_pdf"`
}

type invoiceResponse struct {
	Invoice store.Invoice `json:"invoice"`
	State   market.State  `json:"state"`
	Tax     taxJSON       `json:"tax"`
}

func (s *Server) apiIssueInvoice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req invoiceRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	in := store.InvoiceInput{PBJT: req.PBJT, FakturNumber: strings.TrimSpace(req.FakturNumber)}
	if (in.FakturNumber == "") != (req.FakturPDF == "") {
		return market.Invalid("faktur_number", "Nomor faktur pajak dan berkas PDF-nya dikirim bersama.")
	}
	if req.FakturPDF != "" {
		if _, err := store.ParseFakturNumber(in.FakturNumber); err != nil {
			return err
		}
		data, err := base64.StdEncoding.DecodeString(req.FakturPDF)
		if err != nil {
			return market.Invalid("faktur_pdf", "Berkas faktur harus PDF dalam base64.")
		}
		checked, err := upload.Check("faktur_pdf", data, upload.PDF)
		if err != nil {
			return err
		}
		if s.cfg.Blobs == nil {
			return &market.Error{Code: market.CodeUnavailable, Message: "Penyimpanan berkas belum disiapkan."}
		}
		// The file is kept for good once stored: only for one of the seller's people, and only
		// when the order may be invoiced now.
		if _, err := s.authorizeAction(r.Context(), principal(r), id, market.ActionInvoice); err != nil {
			return err
		}
		if in.FakturBlob, err = s.cfg.Blobs.Put(checked.Data); err != nil {
			return err
		}
		in.FakturName = "faktur.pdf"
	}
	o, err := s.store.IssueInvoice(r.Context(), principal(r), id, in)
	if err != nil {
		return err
	}
	v, err := s.store.GetInvoice(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	ot, err := s.store.OrderTaxes(r.Context(), principal(r), id, false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, invoiceResponse{Invoice: v, State: o.State, Tax: taxOf(ot)})
	return nil
}

type paymentRequest struct {
	Method    store.PaymentMethod `json:"method"`
	PaidOn    string              `json:"paid_on"` // YYYY-MM-DD
	Reference string              `json:"reference"`
	Amount    market.Rupiah       `json:"amount"`
	Taxes     []store.TaxPayment  `json:"taxes"`
	Reason    string              `json:"reason"`
}

func (s *Server) apiRecordPayment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req paymentRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	day, err := time.ParseInLocation("2006-01-02", req.PaidOn, s.loc)
	if err != nil {
		return market.Invalid("paid_on", "Tanggal pembayaran ditulis YYYY-MM-DD.")
	}
	pm, err := s.store.RecordPayment(r.Context(), principal(r), id, store.PaymentInput{Method: req.Method, PaidOn: day,
		Reference: req.Reference, Amount: req.Amount, Taxes: req.Taxes, Reason: req.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, pm)
	return nil
}

type ratingRequest struct {
	OnTime        int    `json:"on_time"`
	Quantity      int    `json:"quantity"`
	Quality       int    `json:"quality"`
	Communication int    `json:"communication"`
	Comment       string `json:"comment"`
	// Reply is the seller's one reply; a request with a reply is the seller's, not a rating.
	Reply string `json:"reply"`
}

func (s *Server) apiRateSeller(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req ratingRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Reply != "" {
		rt, err := s.store.ReplyToRating(r.Context(), principal(r), id, req.Reply)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, rt)
		return nil
	}
	rt, err := s.store.RateSeller(r.Context(), principal(r), id, store.RatingInput{OnTime: req.OnTime, Quantity: req.Quantity,
		Quality: req.Quality, Communication: req.Communication, Comment: req.Comment})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rt)
	return nil
}

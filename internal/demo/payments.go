package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/go-pdf/fpdf"

	"bela/internal/market"
	"bela/internal/store"
)

// Demo payments: when a demo order is received in full (or closed short), its story goes on
// through the real use cases, each as of its own date in the same event queue as the orders
// (orders.go calls settle): the seller issues its invoice (a PKP seller with its e-Faktur number
// and a small generated faktur PDF), the unit's treasurer pays it with a method that fits the
// amount (UP/GU, KKPD or LS with an SP2D), deposits every tax the breakdown gives it with a kode
// billing and an NTPN, and the order completes; the PPK then rates the seller for most completed
// orders, and some sellers reply. Most payments are on time, some are late past the policy's
// deadline, a few LS transfers arrive short by the bank's fee (flagged, with a reason) and are
// topped up days later. Some sellers are slow with their paperwork, so recent orders are still
// received or invoiced, and every other order closed short still waits for its invoice. (Without
// a blob store a PKP seller's invoice stays incomplete: its faktur PDF has nowhere to go.)
//
// Every order received within paymentHistory (the whole order history) is invoiced and paid,
// in five to seven more use cases, about 1 ms together on SQLite since the load shares one
// transaction through prepared statements.

// streamPayments is this part's random stream (1–5 and 7–9 are taken, 6 is left to search).
const streamPayments = 10

// paymentHistory is how far back orders get their invoice, payment and rating (kept as a knob
// should a larger history need a shorter payment story to load in time).
const paymentHistory = orderHistory

// shortLSEvery is how often an LS transfer arrives short by the bank's fee (every nth, counted
// deterministically so that the data always has one): it is flagged and topped up later.
const shortLSEvery = 8

// Shares, in percent, of the payment story's branches.
const (
	slowInvoicePercent = 12 // the seller invoices 1–5 weeks after the BAST instead of within days
	latePaymentPercent = 18 // the treasurer pays after the deadline
	ratedPercent       = 85 // the PPK rates the seller after completion
	replyPercent       = 30 // the seller replies to a good rating (more often to a poor one)
)

// transferFee is the interbank (SKN) fee a bank deducts from a short LS transfer.
const transferFee market.Rupiah = 6_500

// demoPayments is the state of the payment story: its random stream, each unit's treasurers,
// each seller's service level and the numbering of references.
type demoPayments struct {
	r          *rand.Rand
	treasurers map[int64][]*market.Principal // by unit id, loaded on first use
	level      map[int64]float64             // by seller id: the seller's usual score, 3.2–5
	pkps       map[int64]bool                // by seller id: whether it is PKP
	policy     *market.Policy                // read on first use
	closed     int                           // orders closed short so far
	ls         int                           // LS payments so far
	sp2d, bku  map[int]int                   // last SP2D number per year, BKU entry per unit and year
}

// payments returns the payment story's state, made on first use.
func (sim *orderSim) payments() *demoPayments {
	if sim.payState == nil {
		sim.payState = &demoPayments{r: stream(streamPayments), treasurers: map[int64][]*market.Principal{},
			level: map[int64]float64{}, pkps: map[int64]bool{}, sp2d: map[int]int{}, bku: map[int]int{}}
	}
	return sim.payState
}

// officeTime returns a time during office hours (08–16 WIB) d after t, drawing from the payment
// story's own stream so that the orders' draws stay as they were.
func (sim *orderSim) officeTime(t time.Time, d time.Duration) time.Time {
	r := sim.payments().r
	t = t.Add(d).In(sim.wib)
	if h := t.Hour(); h < 8 || h >= 16 {
		t = time.Date(t.Year(), t.Month(), t.Day(), 8+r.IntN(8), r.IntN(60), 0, 0, sim.wib)
		if h >= 16 {
			t = t.AddDate(0, 0, 1)
		}
	}
	return t
}

// settle schedules the seller's invoice for an order just received in full or closed short,
// and through it the payment and the rating.
func (sim *orderSim) settle(o *demoOrder, seller *market.Principal) []demoEvent {
	if sim.l.s.Now().Before(sim.now.Add(-paymentHistory)) {
		return nil
	}
	pay := sim.payments()
	r := pay.r
	if o.fate == fateCloseShort {
		pay.closed++
		if pay.closed%2 == 1 {
			return nil // the seller has not invoiced the part it delivered yet
		}
	}
	wait := days(r, 0, 3)
	if r.IntN(100) < slowInvoicePercent {
		wait = days(r, 7, 35)
	}
	return []demoEvent{{at: sim.officeTime(sim.l.s.Now(), wait), run: func(ctx context.Context) ([]demoEvent, error) {
		return sim.invoice(ctx, o, seller)
	}}}
}

// invoice issues the seller's invoice and schedules its payment once it is complete.
func (sim *orderSim) invoice(ctx context.Context, o *demoOrder, seller *market.Principal) ([]demoEvent, error) {
	s, pay := sim.l.s, sim.payments()
	r := pay.r
	// The preview of the taxes is read only when the invoice depends on it: PBJT for a caterer,
	// the e-Faktur of a PKP seller.
	pkp, err := pay.pkp(ctx, s, o.seller)
	if err != nil {
		return nil, err
	}
	var in store.InvoiceInput
	needsFaktur := false
	if pkp || sim.catering(o) {
		preview, err := s.OrderTaxes(ctx, seller, o.id, false)
		if err != nil {
			return nil, tolerate(err)
		}
		in.PBJT = preview.Catering && r.IntN(3) != 0 // most caterers are registered for the regional PBJT
		needsFaktur = preview.Taxes.PPN > 0
		if needsFaktur && sim.l.opt.Blobs != nil {
			if in, err = sim.faktur(o, in, preview.Taxes); err != nil {
				return nil, err
			}
		}
	}
	if _, err := s.IssueInvoice(ctx, seller, o.id, in); err != nil {
		return nil, tolerate(err)
	}
	if needsFaktur && in.FakturBlob == "" {
		return nil, nil // a PKP seller without a blob store for its faktur: the invoice stays incomplete
	}
	if pay.policy == nil {
		pol, err := s.CurrentPolicy(ctx)
		if err != nil {
			return nil, err
		}
		pay.policy = &pol
	}
	// The invoice is complete now, so its deadline runs from now. On time: within the first three
	// quarters of the deadline; late: up to three weeks past it.
	complete := s.Now()
	due := pay.policy.PaymentDue(complete)
	var at time.Time
	if r.IntN(100) < latePaymentPercent {
		at = sim.officeTime(due, days(r, 1, 21))
	} else {
		at = sim.officeTime(complete, time.Duration(r.Int64N(int64(due.Sub(complete))*3/4)))
	}
	return []demoEvent{{at: at, run: func(ctx context.Context) ([]demoEvent, error) {
		return sim.payInvoice(ctx, o, seller)
	}}}, nil
}

// pkp reports whether a seller is PKP, reading its registration once.
func (pay *demoPayments) pkp(ctx context.Context, s *store.Store, sellerID int64) (bool, error) {
	if v, ok := pay.pkps[sellerID]; ok {
		return v, nil
	}
	sl, err := s.GetSeller(ctx, sellerID)
	if err != nil {
		return false, err
	}
	pay.pkps[sellerID] = sl.Reg.PKP
	return sl.Reg.PKP, nil
}

// catering reports whether any line of the order is in a catering category.
func (sim *orderSim) catering(o *demoOrder) bool {
	tree := sim.l.s.Categories()
	for _, l := range o.order.Lines {
		if c, ok := tree.Lookup(l.CategoryCode); ok && c.Catering {
			return true
		}
	}
	return false
}

// faktur adds a PKP seller's e-Faktur to the invoice input: its number (transaction code 02
// when the treasurer collects the PPN as a government collector, 01 when the seller keeps it)
// and a generated PDF in the blob store.
func (sim *orderSim) faktur(o *demoOrder, in store.InvoiceInput, t market.InvoiceTaxes) (store.InvoiceInput, error) {
	r := sim.payments().r
	code := 2
	if t.PPNDepositor == market.PartySeller {
		code = 1
	}
	now := sim.l.s.Now().In(sim.wib)
	in.FakturNumber = fmt.Sprintf("0%d0.%03d-%02d.%08d", code, r.IntN(3), now.Year()%100, r.IntN(100_000_000))
	pdf, err := fakturPDF(in.FakturNumber, o.order.SellerName, o.up.unit.Name, t, now)
	if err != nil {
		return in, err
	}
	if in.FakturBlob, err = sim.l.opt.Blobs.Put(pdf); err != nil {
		return in, fmt.Errorf("demo faktur: %w", err)
	}
	in.FakturName = "faktur-" + in.FakturNumber + ".pdf"
	return in, nil
}

// treasurer returns one of the unit's treasurers, or nil when it has none.
func (sim *orderSim) treasurer(ctx context.Context, unitID int64) (*market.Principal, error) {
	pay := sim.payments()
	ts, ok := pay.treasurers[unitID]
	if !ok {
		offs, err := sim.l.s.UnitOfficials(ctx, sim.admin, unitID, market.RoleTreasurer)
		if err != nil {
			return nil, err
		}
		for _, off := range offs {
			p, err := sim.principal(ctx, off.ID)
			if err != nil {
				return nil, err
			}
			ts = append(ts, p)
		}
		pay.treasurers[unitID] = ts
	}
	if len(ts) == 0 {
		return nil, nil
	}
	return pick(pay.r, ts), nil
}

// method picks how the treasurer pays an amount, as bendahara pengeluaran do: small purchases
// from the UP cash advance or the KKPD card, larger ones more often by LS through an SP2D.
func (pay *demoPayments) method(total market.Rupiah) store.PaymentMethod {
	x := pay.r.IntN(100)
	switch {
	case total <= 2_000_000:
		if x < 60 {
			return store.MethodUPGU
		}
		return store.MethodKKPD
	case total <= 10_000_000:
		if x < 40 {
			return store.MethodUPGU
		} else if x < 70 {
			return store.MethodKKPD
		}
		return store.MethodLS
	}
	if x < 70 {
		return store.MethodLS
	}
	return store.MethodUPGU
}

// reference is the payment's reference: the SP2D number for LS, the card's approval code and
// retrieval reference for KKPD, the treasurer's cash book (BKU) entry for UP/GU.
func (pay *demoPayments) reference(m store.PaymentMethod, unit store.Unit, day time.Time) string {
	y := day.Year()
	switch m {
	case store.MethodLS:
		pay.sp2d[y]++
		return fmt.Sprintf("%05d/SP2D-LS/BPKAD/%d", pay.sp2d[y], y)
	case store.MethodKKPD:
		return fmt.Sprintf("KKPD APPR %06d RRN %012d", pay.r.IntN(1_000_000), pay.r.Int64N(1_000_000_000_000))
	}
	key := int(unit.ID)*10_000 + y
	pay.bku[key]++
	return fmt.Sprintf("BKU/%s/%d/%04d", unit.Code, y, pay.bku[key])
}

// deposits are the taxes the treasurer deposits, each with a kode billing (15 digits) and the
// NTPN of its deposit (16 characters).
func (pay *demoPayments) deposits(t market.InvoiceTaxes) []store.TaxPayment {
	var out []store.TaxPayment
	for _, d := range t.Deposits {
		out = append(out, store.TaxPayment{Kind: d.Kind, Amount: d.Amount,
			BillingCode: fmt.Sprintf("%d%014d", pay.r.IntN(4), pay.r.Int64N(100_000_000_000_000)),
			NTPN:        fmt.Sprintf("%016X", pay.r.Uint64())})
	}
	return out
}

// payInvoice records the treasurer's payment; an LS transfer may arrive short by the bank's fee and be
// topped up a few days later. Completion schedules the rating.
func (sim *orderSim) payInvoice(ctx context.Context, o *demoOrder, seller *market.Principal) ([]demoEvent, error) {
	s, pay := sim.l.s, sim.payments()
	r := pay.r
	tr, err := sim.treasurer(ctx, o.up.unit.ID)
	if err != nil || tr == nil {
		return nil, err
	}
	tax, err := s.OrderTaxes(ctx, tr, o.id, false)
	if err != nil {
		return nil, tolerate(err)
	}
	now := s.Now().In(sim.wib)
	m := pay.method(tax.Taxes.Total)
	in := store.PaymentInput{Method: m, PaidOn: now, Reference: pay.reference(m, o.up.unit, now), Amount: tax.Taxes.NetToSeller,
		Taxes: pay.deposits(tax.Taxes)}
	short := false
	if m == store.MethodLS && in.Amount > 10*transferFee {
		pay.ls++
		short = pay.ls%shortLSEvery == 3
	}
	if short {
		in.Amount -= transferFee
		in.Reason = fmt.Sprintf("Biaya transfer SKN %s dipotong bank penerima; kekurangan dibayarkan menyusul.", transferFee)
	}
	pm, err := s.RecordPayment(ctx, tr, o.id, in)
	if err != nil {
		return nil, tolerate(err)
	}
	if short {
		return []demoEvent{{at: sim.officeTime(now, days(r, 1, 5)), run: func(ctx context.Context) ([]demoEvent, error) {
			day := s.Now().In(sim.wib)
			pm, err := s.RecordPayment(ctx, tr, o.id, store.PaymentInput{Method: m, PaidOn: day, Reference: pay.reference(m, o.up.unit, day),
				Amount: transferFee})
			if err != nil {
				return nil, tolerate(err)
			}
			return sim.rate(o, seller, pm), nil
		}}}, nil
	}
	return sim.rate(o, seller, pm), nil
}

// ratingComments are what PPKs write, from poor to excellent.
var ratingComments = [][]string{
	{"Pengiriman terlambat dan sulit dihubungi; perlu perbaikan.", "Sebagian barang tidak sesuai spesifikasi, diganti setelah ditegur."},
	{"Barang sesuai, tetapi pengiriman lebih lama dari yang dijanjikan.", "Cukup baik; konfirmasi pesanan agak lambat."},
	{"Barang sesuai pesanan dan dikirim tepat waktu.", "Pelayanan baik, dokumen tagihan lengkap.", ""},
	{"Sangat baik: cepat, rapi, dan komunikatif.", "Kualitas barang sangat baik; akan memesan lagi.", "Penyedia responsif dan tagihan lengkap sejak awal."},
}

// ratingReplies are the sellers' answers: to a poor rating, to a good one.
var ratingReplies = [][]string{
	{"Mohon maaf atas keterlambatannya; kami sudah menambah armada pengiriman.", "Terima kasih atas masukannya, kami perbaiki pemeriksaan barang sebelum dikirim."},
	{"Terima kasih atas kepercayaannya, Bapak/Ibu.", "Terima kasih, senang dapat melayani kebutuhan unit Bapak/Ibu."},
}

// rate schedules the PPK's rating of a completed order, and sometimes the seller's reply.
func (sim *orderSim) rate(o *demoOrder, seller *market.Principal, pm store.Payment) []demoEvent {
	pay := sim.payments()
	r := pay.r
	if pm.OrderState != market.StateCompleted || r.IntN(100) >= ratedPercent {
		return nil
	}
	level, ok := pay.level[o.seller]
	if !ok {
		level = 3.2 + 1.8*r.Float64()
		pay.level[o.seller] = level
	}
	score := func() int { return min(5, max(1, int(level+r.NormFloat64()*0.7+0.5))) }
	in := store.RatingInput{OnTime: score(), Quantity: score(), Quality: score(), Communication: score()}
	avg := float64(in.OnTime+in.Quantity+in.Quality+in.Communication) / 4
	band := 3 // ratingComments' index: below 2.5, below 3.5, below 4.5, 4.5 and above
	switch {
	case avg < 2.5:
		band = 0
	case avg < 3.5:
		band = 1
	case avg < 4.5:
		band = 2
	}
	in.Comment = pick(r, ratingComments[band])
	reply := r.IntN(100) < replyPercent || (band < 2 && r.IntN(2) == 0)
	s := sim.l.s
	return []demoEvent{{at: sim.officeTime(s.Now(), days(r, 0, 10)), run: func(ctx context.Context) ([]demoEvent, error) {
		if _, err := s.RateSeller(ctx, o.ppk, o.id, in); err != nil {
			return nil, tolerate(err)
		}
		if !reply {
			return nil, nil
		}
		text := pick(r, ratingReplies[band/2])
		return []demoEvent{{at: sim.officeTime(s.Now(), days(r, 0, 4)), run: func(ctx context.Context) ([]demoEvent, error) {
			_, err := s.ReplyToRating(ctx, seller, o.id, text)
			return nil, tolerate(err)
		}}}, nil
	}}}
}

// fakturPDF draws a one-page stand-in for a PKP seller's e-Faktur, marked as demo data. It is
// deterministic: its dates come from day.
func fakturPDF(number, seller, buyer string, t market.InvoiceTaxes, day time.Time) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(day.UTC())
	pdf.SetModificationDate(day.UTC())
	pdf.SetTitle("Faktur Pajak "+number, false)
	pdf.AddPage()
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(0, 10, "Faktur Pajak", "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	for _, row := range [][2]string{
		{"Kode dan Nomor Seri", number},
		{"Pengusaha Kena Pajak", seller},
		{"Pembeli (pemungut PPN)", buyer},
		{"Tanggal", day.Format("02-01-2006")},
		{"Harga Jual", t.Taxable.String()},
		{"DPP nilai lain", t.DPP.String()},
		{"PPN", t.PPN.String()},
	} {
		pdf.CellFormat(55, 7, tr(row[0]), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 7, tr(row[1]), "", 1, "L", false, 0, "")
	}
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(0, 5, "CONTOH - DATA DEMO BELA. Bukan faktur pajak yang sah.", "", "L", false)
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("demo faktur: %w", err)
	}
	return b.Bytes(), nil
}

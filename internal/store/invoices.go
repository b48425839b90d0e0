package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"bela/internal/market"
)

// This file holds the seller's invoice for what the BASTs received: its number (per seller per
// year), the tax facts it is computed from, the e-Faktur of a PKP seller, completeness and the
// payment deadline. The tax breakdown itself is market.TaxBreakdown, fed by OrderTaxes for every
// reader alike.

// Invoice is a seller's tagihan for an order, with the facts its taxes depend on.
type Invoice struct {
	ID       int64               `json:"id"`
	OrderID  int64               `json:"order_id"`
	SellerID int64               `json:"seller_id"`
	UnitID   int64               `json:"unit_id"`
	Number   string              `json:"number"`
	Year     int                 `json:"year"`
	Seq      int                 `json:"seq"`
	Goods    market.Rupiah       `json:"goods"`    // received quantities × unit prices
	Shipping market.Rupiah       `json:"shipping"` // shipping charged by the seller
	Kind     market.CategoryKind `json:"kind"`     // goods or service, from the lines' leaf categories
	Catering bool                `json:"catering"`
	PBJT     bool                `json:"pbjt"` // the caterer declared PBJT inside its price
	// NeedsFaktur says the invoice carries PPN, so a PKP seller's e-Faktur must be attached.
	NeedsFaktur  bool          `json:"needs_faktur"`
	FakturNumber string        `json:"faktur_number,omitempty"`
	FakturBlob   string        `json:"-"`
	FakturName   string        `json:"-"`
	Total        market.Rupiah `json:"total"` // the breakdown's total at issue
	Net          market.Rupiah `json:"net"`   // the breakdown's net to the seller: at issue, then on the payment date
	IssuedBy     int64         `json:"issued_by"`
	IssuedAt     time.Time     `json:"issued_at"`
	CompleteAt   time.Time     `json:"complete_at,omitzero"` // BAST, invoice and (when needed) faktur all present
	DueAt        time.Time     `json:"due_at,omitzero"`      // CompleteAt plus the policy's payment days
	PaidAmount   market.Rupiah `json:"paid_amount"`
	PaidAt       time.Time     `json:"paid_at,omitzero"` // when the payments first covered the net (recorded; the audit time)
	// PaidOn is the payment date the treasurer entered (the SP2D or transfer date) of the payment
	// that paid the invoice in full: the latest payment date. Lateness is judged by it.
	PaidOn time.Time `json:"-"`
}

// Complete reports whether BAST, invoice and (for PPN) faktur are all there.
func (v Invoice) Complete() bool { return !v.CompleteAt.IsZero() }

// KuitansiNumber is the number of the kuitansi generated with the invoice: the invoice number
// with KW in place of INV.
func (v Invoice) KuitansiNumber() string { return "KW" + strings.TrimPrefix(v.Number, "INV") }

// Late reports whether the invoice was paid after its deadline, or is unpaid and late at now.
// The deadline is a day: a payment dated (PaidOn) on or before the deadline's day in the
// instance's time zone is on time, whenever it was recorded; an unpaid invoice is late once that
// day is over. now must be in the instance's time zone.
func (v Invoice) Late(now time.Time) bool {
	if v.DueAt.IsZero() {
		return false
	}
	if !v.PaidAt.IsZero() {
		if v.PaidOn.IsZero() { // paid in full without a payment row: only the recorded time is known
			return dateIn(v.PaidAt, now.Location()).After(v.DueAt)
		}
		return market.PaidLate(v.PaidOn, v.DueAt)
	}
	return market.PaidLate(dateIn(now, now.Location()), v.DueAt)
}

// InvoiceNumber formats an invoice number as INV/{seller id}/{year}/{seq:05d}.
func InvoiceNumber(sellerID int64, year, seq int) string {
	return fmt.Sprintf("INV/%d/%d/%05d", sellerID, year, seq)
}

const invoiceColumns = `id, order_id, seller_id, unit_id, number, year, seq, goods, shipping, kind, catering, pbjt, needs_faktur,
	faktur_number, faktur_blob, faktur_name, total, net, issued_by, issued_at, complete_at, due_at, paid_amount, paid_at`

func scanInvoice(sc rowScanner) (Invoice, error) {
	var v Invoice
	var kind string
	var issued, complete, due, paid int64
	err := sc.Scan(&v.ID, &v.OrderID, &v.SellerID, &v.UnitID, &v.Number, &v.Year, &v.Seq, &v.Goods, &v.Shipping, &kind, &v.Catering,
		&v.PBJT, &v.NeedsFaktur, &v.FakturNumber, &v.FakturBlob, &v.FakturName, &v.Total, &v.Net, &v.IssuedBy, &issued, &complete,
		&due, &v.PaidAmount, &paid)
	v.Kind = market.CategoryKind(kind)
	v.IssuedAt, v.CompleteAt, v.DueAt, v.PaidAt = fromMicros(issued), fromMicros(complete), fromMicros(due), fromMicros(paid)
	return v, err
}

// loadInvoice returns the order's invoice, or CodeNotFound when none is issued.
func loadInvoice(ctx context.Context, q querier, orderID int64) (Invoice, error) {
	v, err := scanInvoice(q.QueryRowContext(ctx, `SELECT `+invoiceColumns+` FROM invoices WHERE order_id = $1`, orderID))
	if errors.Is(err, sql.ErrNoRows) {
		return v, market.NotFound("Tagihan")
	}
	if err != nil {
		return v, fmt.Errorf("load invoice: %w", err)
	}
	if !v.PaidAt.IsZero() {
		var on int64
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(paid_on), 0) FROM payments WHERE invoice_id = $1`, v.ID).Scan(&on); err != nil {
			return v, fmt.Errorf("load invoice payment date: %w", err)
		}
		v.PaidOn = fromMicros(on)
	}
	return v, nil
}

// taxFacts are what an order's tax breakdown depends on besides the payment date.
type taxFacts struct {
	goods, shipping market.Rupiah
	kind            market.CategoryKind
	catering        bool
	seller          Seller
}

// orderTaxFacts derives the invoice's amounts and kind from what was received: goods or service
// and catering follow the leaf categories, weighted by amount when an order mixes them.
func orderTaxFacts(o Order, sl Seller) (taxFacts, error) {
	tree, err := productTree()
	if err != nil {
		return taxFacts{}, err
	}
	f := taxFacts{shipping: o.Shipping, kind: market.CategoryGoods, seller: sl}
	var service, catering market.Rupiah
	for _, l := range o.Lines {
		amt, err := market.LineAmount(l.UnitPrice, l.Received)
		if err != nil {
			return f, err
		}
		f.goods += amt
		if c, ok := tree.Lookup(l.CategoryCode); ok {
			if c.Kind == market.CategoryService {
				service += amt
			}
			if c.Catering {
				catering += amt
			}
		}
	}
	if 2*service > f.goods {
		f.kind = market.CategoryService
	}
	f.catering = f.kind == market.CategoryService && 2*catering > f.goods
	return f, nil
}

// taxInput is the market.TaxInput for an invoice of the order paid on day.
func (f taxFacts) taxInput(pbjt bool, day time.Time) market.TaxInput {
	reg := f.seller.Reg
	return market.TaxInput{
		Goods: f.goods, Shipping: f.shipping, Kind: f.kind, Catering: f.catering, PBJTTaxpayer: pbjt && f.catering,
		PKP: reg.PKP,
		// A PKP and a PP 55/2022 certificate holder always have an NPWP (registration enforces it).
		HasNPWP:     reg.NPWP != "" || reg.PKP || reg.PP55Number != "",
		PP55Valid:   reg.PP55ValidAt(day),
		Individual:  reg.LegalForm.Individual(),
		PaymentDate: day,
	}
}

// OrderTax is an order's tax breakdown as every reader sees it: the same function, the same
// facts. PaymentDate is the date the rates and the PP 55/2022 certificate are taken on: the
// recorded payment's once paid, otherwise today.
type OrderTax struct {
	OrderID     int64               `json:"order_id"`
	Invoiced    bool                `json:"invoiced"` // false: a preview from the received goods
	Kind        market.CategoryKind `json:"kind"`
	Catering    bool                `json:"catering"`
	PBJT        bool                `json:"pbjt"`
	PKP         bool                `json:"pkp"`
	PP55Valid   bool                `json:"pp55_valid"`
	PaymentDate time.Time           `json:"payment_date"`
	Taxes       market.InvoiceTaxes `json:"taxes"`
}

// OrderTaxes returns the order's tax breakdown. Before an invoice it previews the received goods
// (pbjt is the seller's declaration to preview with). Errors: CodeNotFound when p may not see the
// order, CodeConflict when nothing is received yet, CodeInvalid when the rate table has no row for
// the date.
func (s *Store) OrderTaxes(ctx context.Context, p *market.Principal, orderID int64, pbjt bool) (OrderTax, error) {
	q := s.q(ctx)
	o, err := visibleOrder(ctx, q, p, orderID)
	if err != nil {
		return OrderTax{}, err
	}
	return s.orderTax(ctx, q, o, pbjt, time.Time{})
}

// orderTax computes the order's breakdown on day; a zero day means the first payment's date once
// paid, otherwise today.
func (s *Store) orderTax(ctx context.Context, q querier, o Order, pbjt bool, on time.Time) (OrderTax, error) {
	inv, err := loadInvoice(ctx, q, o.ID)
	invoiced := err == nil
	if err != nil && market.ErrorCode(err) != market.CodeNotFound {
		return OrderTax{}, err
	}
	if invoiced {
		pbjt = inv.PBJT
	}
	day, err := s.fiscalNow(ctx, q)
	if err != nil {
		return OrderTax{}, err
	}
	var paidOn int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MIN(paid_on), 0) FROM payments WHERE order_id = $1`, o.ID).Scan(&paidOn); err != nil {
		return OrderTax{}, fmt.Errorf("payment date: %w", err)
	}
	switch {
	case !on.IsZero():
		day = on.In(day.Location())
	case paidOn != 0:
		day = fromMicros(paidOn).In(day.Location())
	}
	sl, err := s.getSeller(ctx, q, o.SellerID)
	if err != nil {
		return OrderTax{}, err
	}
	f, err := orderTaxFacts(o, sl)
	if err != nil {
		return OrderTax{}, err
	}
	if invoiced { // the invoice's own amounts and kind, as issued
		f.goods, f.shipping, f.kind, f.catering = inv.Goods, inv.Shipping, inv.Kind, inv.Catering
	}
	if f.goods == 0 {
		return OrderTax{}, market.Conflict("Belum ada barang yang diterima; rincian pajak dihitung dari BAST.")
	}
	in := f.taxInput(pbjt, day)
	t, err := market.TaxBreakdown(in)
	if err != nil {
		return OrderTax{}, err
	}
	return OrderTax{OrderID: o.ID, Invoiced: invoiced, Kind: f.kind, Catering: f.catering, PBJT: in.PBJTTaxpayer, PKP: in.PKP,
		PP55Valid: in.PP55Valid, PaymentDate: day, Taxes: t}, nil
}

// InvoiceInput is what the seller enters when issuing an invoice.
type InvoiceInput struct {
	// PBJT: the caterer is registered for PBJT, which is inside its prices (catering only).
	PBJT bool `json:"pbjt"`
	// FakturNumber is the e-Faktur number of a PKP seller (17 digits: 3 code, 2 year, 13 serial;
	// dots and dashes allowed); it may follow later with AttachFaktur.
	FakturNumber string `json:"faktur_number"`
	// FakturBlob is the uploaded faktur PDF in the blob store, with its file name.
	FakturBlob string `json:"-"`
	FakturName string `json:"-"`
}

// ParseFakturNumber normalises an e-Faktur number to its 16 or 17 digits (with or without the
// transaction code prefix), or returns a CodeInvalid *Error for field "faktur_number".
func ParseFakturNumber(s string) (string, error) {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == '.' || c == '-' || c == ' ':
		default:
			return "", market.Invalid("faktur_number", "Nomor faktur pajak hanya berisi angka, titik dan tanda hubung.")
		}
	}
	if n := b.Len(); n != 16 && n != 17 {
		return "", market.Invalid("faktur_number", "Nomor faktur pajak terdiri dari 16 atau 17 angka, mis. 010.001-26.12345678.")
	}
	return b.String(), nil
}

// IssueInvoice is the seller's invoice for what the BASTs received: numbered
// INV/{seller}/{year}/{seq} per seller and fiscal year, with the tax breakdown of today's rates,
// and complete (starting the payment deadline) when no faktur is needed or one is attached. The
// kuitansi is generated with it (documents render on demand). The unit's treasurers are
// notified. Errors: CodeNotFound when p may not see the order, CodeForbidden unless p is one of
// the seller's people, CodeConflict unless the order is received or closed short, CodeInvalid for
// a bad faktur number or PBJT outside catering.
func (s *Store) IssueInvoice(ctx context.Context, p *market.Principal, orderID int64, in InvoiceInput) (Order, error) {
	if in.FakturNumber = strings.TrimSpace(in.FakturNumber); in.FakturNumber != "" {
		n, err := ParseFakturNumber(in.FakturNumber)
		if err != nil {
			return Order{}, err
		}
		in.FakturNumber = n
	}
	return s.runAction(ctx, p, orderID, orderAction{action: market.ActionInvoice,
		apply: func(tx *Tx, o *Order, _ market.Role, _ market.State, ch map[string]market.Change) error {
			ot, err := s.orderTax(ctx, tx.tx, *o, in.PBJT, time.Time{})
			if err != nil {
				return err
			}
			if in.PBJT && !ot.Catering {
				return market.Invalid("pbjt", "PBJT hanya untuk pesanan makanan dan minuman (katering).")
			}
			t := ot.Taxes
			needsFaktur := t.PPN > 0
			if !needsFaktur && (in.FakturNumber != "" || in.FakturBlob != "") {
				return market.Invalid("faktur_number", "Tagihan ini tanpa PPN, sehingga tidak memerlukan faktur pajak.")
			}
			local, err := s.fiscalNow(ctx, tx.tx)
			if err != nil {
				return err
			}
			year := local.Year()
			seq, err := tx.nextInvoiceSeq(ctx, o.SellerID, year)
			if err != nil {
				return err
			}
			number := InvoiceNumber(o.SellerID, year, seq)
			v := Invoice{OrderID: o.ID, SellerID: o.SellerID, UnitID: o.UnitID, Number: number, Year: year, Seq: seq, Goods: t.Price,
				Shipping: t.Shipping, Kind: ot.Kind, Catering: ot.Catering, PBJT: ot.PBJT, NeedsFaktur: needsFaktur,
				FakturNumber: in.FakturNumber, FakturBlob: in.FakturBlob, FakturName: safeFilename(in.FakturName), Total: t.Total,
				Net: t.NetToSeller, IssuedBy: p.UserID, IssuedAt: tx.now}
			if err := tx.completeInvoice(ctx, &v); err != nil {
				return err
			}
			_, err = tx.exec(ctx, `INSERT INTO invoices (order_id, seller_id, unit_id, number, year, seq, goods, shipping, kind, catering, pbjt,
					needs_faktur, faktur_number, faktur_blob, faktur_name, total, net, issued_by, issued_at, complete_at, due_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
				v.OrderID, v.SellerID, v.UnitID, v.Number, v.Year, v.Seq, v.Goods, v.Shipping, string(v.Kind), v.Catering, v.PBJT,
				v.NeedsFaktur, v.FakturNumber, v.FakturBlob, v.FakturName, v.Total, v.Net, v.IssuedBy, micros(v.IssuedAt),
				micros(v.CompleteAt), micros(v.DueAt))
			if err != nil {
				if isUniqueViolation(err) {
					return market.Conflict("Tagihan untuk pesanan ini sudah diterbitkan.")
				}
				return fmt.Errorf("insert invoice: %w", err)
			}
			ch["invoice"] = market.Change{After: map[string]any{"number": v.Number, "goods": v.Goods, "shipping": v.Shipping,
				"total": v.Total, "net": v.Net, "kind": v.Kind, "pbjt": v.PBJT, "faktur_number": v.FakturNumber,
				"faktur_sha256": v.FakturBlob, "complete": v.Complete(), "due_at": micros(v.DueAt)}}
			return nil
		},
		notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
			v, err := loadInvoice(ctx, tx.tx, o.ID)
			if err != nil {
				return err
			}
			body := fmt.Sprintf("Penyedia %s menerbitkan tagihan %s untuk pesanan #%d.", o.SellerName, v.Number, o.ID)
			if v.Complete() {
				body += fmt.Sprintf(" Tagihan lengkap; batas pembayaran %s.", v.DueAt.In(tzOf(ctx, tx)).Format("02-01-2006 15:04"))
			} else {
				body += " Tagihan belum lengkap: faktur pajak belum dilampirkan."
			}
			return tx.notifyTreasurers(ctx, o, "Tagihan baru", body)
		}})
}

// completeInvoice marks v complete now when it has everything it needs, with its payment
// deadline from the current policy.
func (tx *Tx) completeInvoice(ctx context.Context, v *Invoice) error {
	if v.Complete() || (v.NeedsFaktur && (v.FakturNumber == "" || v.FakturBlob == "")) {
		return nil
	}
	pol, err := currentPolicy(ctx, tx.tx)
	if err != nil {
		return err
	}
	v.CompleteAt, v.DueAt = tx.now, pol.PaymentDue(tx.now)
	return nil
}

func (tx *Tx) nextInvoiceSeq(ctx context.Context, sellerID int64, year int) (int, error) {
	res, err := tx.exec(ctx, `UPDATE invoice_sequences SET last = last + 1 WHERE seller_id = $1 AND year = $2`, sellerID, year)
	if err != nil {
		return 0, fmt.Errorf("invoice sequence: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := tx.exec(ctx, `INSERT INTO invoice_sequences (seller_id, year, last) VALUES ($1, $2, 1)`, sellerID, year); err != nil {
			return 0, fmt.Errorf("invoice sequence: %w", err)
		}
		return 1, nil
	}
	var last int
	if err := tx.queryRow(ctx, `SELECT last FROM invoice_sequences WHERE seller_id = $1 AND year = $2`, sellerID, year).Scan(&last); err != nil {
		return 0, fmt.Errorf("invoice sequence: %w", err)
	}
	return last, nil
}

func tzOf(ctx context.Context, tx *Tx) *time.Location {
	t, err := tx.s.fiscalNow(ctx, tx.tx)
	if err != nil {
		return time.UTC
	}
	return t.Location()
}

// notifyTreasurers tells the unit's active treasurers, by inbox and e-mail.
func (tx *Tx) notifyTreasurers(ctx context.Context, o *Order, subject, body string) error {
	return tx.notifyMembers(ctx, market.ScopeUnit, o.UnitID, []market.Role{market.RoleTreasurer}, subject, body, paymentLink(o.ID), true)
}

func paymentLink(orderID int64) string { return fmt.Sprintf("/pesanan/%d/tagihan", orderID) }

// AttachFaktur adds a PKP seller's e-Faktur (number and PDF in the blob store) to an issued
// invoice; the invoice becomes complete and its payment deadline starts. Errors: CodeNotFound
// when p may not see the order or no invoice exists, CodeForbidden unless p is one of the
// seller's people, CodeConflict when the invoice needs no faktur or is already paid, CodeInvalid
// for a bad number or a missing file.
func (s *Store) AttachFaktur(ctx context.Context, p *market.Principal, orderID int64, number, blobID, filename string) (Invoice, error) {
	n, err := ParseFakturNumber(number)
	if err != nil {
		return Invoice{}, err
	}
	if blobID == "" {
		return Invoice{}, market.Invalid("faktur", "Unggah berkas PDF faktur pajak.")
	}
	var out Invoice
	err = s.inTx(ctx, func(tx *Tx) error {
		o, err := visibleOrder(ctx, tx.tx, p, orderID)
		if err != nil {
			return err
		}
		if !p.InSeller(o.SellerID, market.RoleSellerOwner, market.RoleSellerStaff) {
			return market.Forbidden("Hanya penyedia pesanan ini yang dapat melampirkan faktur pajak.")
		}
		v, err := loadInvoice(ctx, tx.tx, orderID)
		if err != nil {
			return err
		}
		if !v.NeedsFaktur {
			return market.Conflict("Tagihan ini tanpa PPN, sehingga tidak memerlukan faktur pajak.")
		}
		if !v.PaidAt.IsZero() || o.State == market.StateCompleted {
			return market.Conflict("Tagihan sudah dibayar; faktur pajak tidak dapat diganti.")
		}
		before := v.FakturNumber
		wasComplete := v.Complete()
		v.FakturNumber, v.FakturBlob, v.FakturName = n, blobID, safeFilename(filename)
		if err := tx.completeInvoice(ctx, &v); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE invoices SET faktur_number = $1, faktur_blob = $2, faktur_name = $3, complete_at = $4, due_at = $5 WHERE id = $6`,
			v.FakturNumber, v.FakturBlob, v.FakturName, micros(v.CompleteAt), micros(v.DueAt), v.ID); err != nil {
			return fmt.Errorf("attach faktur: %w", err)
		}
		role := market.RoleSellerStaff
		if p.InSeller(o.SellerID, market.RoleSellerOwner) {
			role = market.RoleSellerOwner
		}
		if err := tx.Audit(ctx, Actor{UserID: p.UserID, Role: role}, "invoice.faktur", "order", o.ID, map[string]market.Change{
			"faktur_number": {Before: before, After: v.FakturNumber}, "faktur_sha256": {After: blobID},
			"complete": {Before: wasComplete, After: v.Complete()}, "due_at": {After: micros(v.DueAt)}}); err != nil {
			return err
		}
		if !wasComplete && v.Complete() {
			body := fmt.Sprintf("Faktur pajak tagihan %s (pesanan #%d) sudah dilampirkan; tagihan lengkap. Batas pembayaran %s.",
				v.Number, o.ID, v.DueAt.In(tzOf(ctx, tx)).Format("02-01-2006 15:04"))
			if err := tx.notifyTreasurers(ctx, &o, "Tagihan lengkap", body); err != nil {
				return err
			}
		}
		out = v
		return nil
	})
	return out, err
}

// GetInvoice returns the order's invoice. Errors: CodeNotFound when p may not see the order or
// no invoice is issued.
func (s *Store) GetInvoice(ctx context.Context, p *market.Principal, orderID int64) (Invoice, error) {
	q := s.q(ctx)
	if _, err := visibleOrder(ctx, q, p, orderID); err != nil {
		return Invoice{}, err
	}
	return loadInvoice(ctx, q, orderID)
}

package store

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"bela/internal/market"
)

// This file holds the treasurer's payment of an invoice: method, date and reference, the amount
// paid to the seller against the breakdown's net, the taxes collected or withheld with their
// billing codes and deposit proofs, the budget moving to spent, and completion of the order —
// all in one transaction. It also counts late payments per unit.

// PaymentMethod is how the treasurer paid.
type PaymentMethod string

// The payment methods.
const (
	MethodUPGU PaymentMethod = "up_gu" // Uang Persediaan / Ganti Uang: cash advance
	MethodKKPD PaymentMethod = "kkpd"  // Kartu Kredit Pemerintah Daerah
	MethodLS   PaymentMethod = "ls"    // Langsung: transfer after an SP2D
)

// PaymentMethods lists the methods in a stable order.
var PaymentMethods = []PaymentMethod{MethodUPGU, MethodKKPD, MethodLS}

// Label returns the method's Indonesian name.
func (m PaymentMethod) Label() string {
	switch m {
	case MethodUPGU:
		return "UP/GU (uang persediaan)"
	case MethodKKPD:
		return "KKPD (kartu kredit pemerintah daerah)"
	case MethodLS:
		return "LS (transfer dengan SP2D)"
	}
	return string(m)
}

// TaxPayment is one tax the treasurer collected or withheld and deposited: its kind and amount,
// the kode billing it was paid with and the NTPN proving the deposit.
type TaxPayment struct {
	Kind        market.TaxKind `json:"kind"`
	Amount      market.Rupiah  `json:"amount"`
	BillingCode string         `json:"billing_code"`
	NTPN        string         `json:"ntpn"`
}

// PaymentInput is what the treasurer records.
type PaymentInput struct {
	Method    PaymentMethod `json:"method"`
	PaidOn    time.Time     `json:"paid_on"`   // the calendar date of the payment (its date in the instance's zone counts)
	Reference string        `json:"reference"` // SP2D number, card transaction or transfer reference
	Amount    market.Rupiah `json:"amount"`    // paid to the seller
	Taxes     []TaxPayment  `json:"taxes"`
	Reason    string        `json:"reason"` // required when Amount differs from what is due
}

// Payment is a recorded payment.
type Payment struct {
	ID           int64         `json:"id"`
	OrderID      int64         `json:"order_id"`
	InvoiceID    int64         `json:"invoice_id"`
	Method       PaymentMethod `json:"method"`
	PaidOn       time.Time     `json:"paid_on"`
	Reference    string        `json:"reference"`
	Amount       market.Rupiah `json:"amount"`
	Expected     market.Rupiah `json:"expected"` // what was due to the seller when it was recorded
	Reason       string        `json:"reason,omitempty"`
	Flagged      bool          `json:"flagged"` // Amount differs from Expected
	Late         bool          `json:"late"`    // dated (PaidOn) after the deadline's day, see PaidLate
	RecordedBy   int64         `json:"recorded_by"`
	RecordedAt   time.Time     `json:"recorded_at"`
	Taxes        []TaxPayment  `json:"taxes"`
	OrderState   market.State  `json:"order_state"` // the order's state after this payment
	RecorderName string        `json:"-"`
}

var (
	billingCodeRE = regexp.MustCompile(`^[0-9]{15}$`)
	ntpnRE        = regexp.MustCompile(`^[0-9A-Z]{16}$`)
)

func normalizeCode(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", ".", "").Replace(strings.TrimSpace(s)))
}

// validate checks the input's form; the amounts are checked against the breakdown later.
func (in *PaymentInput) validate(today time.Time) error {
	fe := market.FieldErrors{}
	if !slices.Contains(PaymentMethods, in.Method) {
		fe.Add("method", "Pilih cara pembayaran: UP/GU, KKPD atau LS.")
	}
	in.Reference = strings.TrimSpace(in.Reference)
	if in.Reference == "" || len([]rune(in.Reference)) > 100 {
		fe.Add("reference", "Isi nomor SP2D, transaksi kartu atau referensi transfer (paling banyak 100 karakter).")
	}
	if in.PaidOn.IsZero() {
		fe.Add("paid_on", "Tanggal pembayaran wajib diisi.")
	} else if y, m, d := today.Date(); dateIn(in.PaidOn, today.Location()).After(time.Date(y, m, d, 0, 0, 0, 0, today.Location())) {
		fe.Add("paid_on", "Tanggal pembayaran tidak boleh di masa depan.")
	}
	switch {
	case in.Amount <= 0:
		fe.Add("amount", "Jumlah yang dibayarkan harus lebih dari Rp0.")
	case in.Amount > market.MaxTaxAmount:
		fe.Add("amount", fmt.Sprintf("Jumlah yang dibayarkan paling banyak %s.", market.MaxTaxAmount))
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if len([]rune(in.Reason)) > MaxReasonLength {
		fe.Add("reason", fmt.Sprintf("Alasan paling banyak %d karakter.", MaxReasonLength))
	}
	seen := map[market.TaxKind]bool{}
	for i := range in.Taxes {
		tp := &in.Taxes[i]
		tp.BillingCode, tp.NTPN = normalizeCode(tp.BillingCode), normalizeCode(tp.NTPN)
		key := "taxes." + string(tp.Kind)
		if seen[tp.Kind] {
			fe.Add(key, "Jenis pajak disebut dua kali.")
		}
		seen[tp.Kind] = true
		if !billingCodeRE.MatchString(tp.BillingCode) {
			fe.Add(key, "Kode billing terdiri dari 15 angka.")
		} else if !ntpnRE.MatchString(tp.NTPN) {
			fe.Add(key, "NTPN terdiri dari 16 huruf/angka.")
		}
	}
	return fe.Err()
}

// dateIn returns t's calendar date at midnight in loc.
func dateIn(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// RecordPayment is the treasurer's payment of an order's complete invoice, in one transaction:
// the taxes are computed for the payment date (rates and the PP 55/2022 certificate on that day),
// each tax the treasurer deposits must come with its amount, kode billing and NTPN; the amount paid
// to the seller must equal the net still due, or a reason is required and the payment is flagged;
// the amount paid plus the taxes deposited move from committed to spent; a payment dated after the
// deadline's day is marked late (see PaidLate; the recording time is the audit time only); and once the net is covered and every tax deposited, the order is
// completed and whatever is still committed is released. The seller and the PPK are notified.
// Errors: CodeNotFound when p may not see the order, CodeForbidden unless p is a treasurer of the
// order's unit, CodeRuleBlocked when p is the order's PP or linked to the seller, CodeConflict
// when the order is not invoiced or the invoice is not complete, CodeInvalid for bad input,
// missing or wrong taxes, or a difference without a reason.
func (s *Store) RecordPayment(ctx context.Context, p *market.Principal, orderID int64, in PaymentInput) (Payment, error) {
	today, err := s.fiscalNow(ctx, s.q(ctx))
	if err != nil {
		return Payment{}, err
	}
	if err := in.validate(today); err != nil {
		return Payment{}, err
	}
	in.PaidOn = dateIn(in.PaidOn, today.Location())
	var out Payment
	err = s.Batch(ctx, func(ctx context.Context) error {
		var paidInFull bool
		o, err := s.runAction(ctx, p, orderID, orderAction{action: market.ActionPay, reason: in.Reason,
			apply: func(tx *Tx, o *Order, _ market.Role, next market.State, ch map[string]market.Change) error {
				links, err := newRuleFacts(tx.tx, tx.now, o.Policy).sellerLinks(ctx, o.SellerID)
				if err != nil {
					return err
				}
				if res := market.CheckTreasurer(p.UserID, o.BuyerID, o.SellerName, links); len(res) > 0 {
					return &market.Error{Code: market.CodeRuleBlocked, Message: "Bendahara ini tidak boleh mencatat pembayaran pesanan ini.", Rules: res}
				}
				v, err := loadInvoice(ctx, tx.tx, o.ID)
				if err != nil {
					return err
				}
				if !v.Complete() {
					return market.Conflict("Tagihan belum lengkap (BAST, tagihan dan faktur pajak); belum dapat dibayar.")
				}
				if in.PaidOn.Before(dateIn(v.IssuedAt, in.PaidOn.Location())) {
					return market.Invalid("paid_on", "Tanggal pembayaran tidak boleh sebelum tanggal tagihan.")
				}
				ot, err := s.orderTax(ctx, tx.tx, *o, v.PBJT, in.PaidOn)
				if err != nil {
					return err
				}
				t := ot.Taxes
				prev, err := paymentsOf(ctx, tx.tx, o.ID)
				if err != nil {
					return err
				}
				deposited := map[market.TaxKind]bool{}
				var paidBefore market.Rupiah
				for _, pm := range prev {
					paidBefore += pm.Amount
					for _, tp := range pm.Taxes {
						deposited[tp.Kind] = true
					}
				}
				// Every tax the breakdown has the treasurer deposit, not yet recorded, must be here
				// with its exact amount; nothing else may be.
				due := map[market.TaxKind]market.Rupiah{}
				for _, d := range t.Deposits {
					if !deposited[d.Kind] {
						due[d.Kind] = d.Amount
					}
				}
				fe := market.FieldErrors{}
				var taxes market.Rupiah
				for _, tp := range in.Taxes {
					want, ok := due[tp.Kind]
					switch {
					case !ok:
						fe.Add("taxes."+string(tp.Kind), fmt.Sprintf("%s tidak dipungut/dipotong Bendahara untuk tagihan ini.", tp.Kind.Label()))
					case tp.Amount != want:
						fe.Add("taxes."+string(tp.Kind), fmt.Sprintf("%s harus %s sesuai rincian pajak.", tp.Kind.Label(), want))
					}
					taxes += tp.Amount
					delete(due, tp.Kind)
				}
				for _, d := range t.Deposits {
					if _, missing := due[d.Kind]; missing {
						fe.Add("taxes."+string(d.Kind), fmt.Sprintf("%s sebesar %s wajib dicatat dengan kode billing dan NTPN.", d.Kind.Label(), d.Amount))
					}
				}
				expected := max(t.NetToSeller-paidBefore, 0)
				flagged := in.Amount != expected
				if flagged && in.Reason == "" {
					fe.Add("reason", fmt.Sprintf("Jumlah dibayarkan (%s) berbeda dari yang harus dibayar (%s); tulis alasannya.", in.Amount, expected))
				}
				if err := fe.Err(); err != nil {
					return err
				}
				gross := in.Amount + taxes
				if gross > o.BudgetCommitted {
					return market.Invalid("amount", fmt.Sprintf("Pembayaran dan pajak (%s) melebihi anggaran yang terikat untuk pesanan ini (%s).", gross, o.BudgetCommitted))
				}
				res, err := tx.exec(ctx, `UPDATE budget_lines SET committed = committed - $1, spent = spent + $1, updated_at = $2
					WHERE id = $3 AND committed >= $1`, gross, micros(tx.now), o.BudgetLineID)
				if err != nil {
					return fmt.Errorf("spend budget: %w", err)
				}
				if n, err := res.RowsAffected(); err != nil || n != 1 {
					return market.Conflict("Anggaran terikat pesanan ini tidak ditemukan pada baris anggaran.")
				}
				ch["budget_spent"] = market.Change{After: gross}
				ch["budget_committed"] = market.Change{Before: o.BudgetCommitted, After: o.BudgetCommitted - gross}
				o.BudgetCommitted -= gross

				// Late by the payment date the treasurer entered, not by when it is recorded.
				late := market.PaidLate(in.PaidOn, v.DueAt)
				pid, err := tx.insertID(ctx, `INSERT INTO payments (order_id, invoice_id, method, paid_on, reference, amount, expected, reason, flagged, late, recorded_by, recorded_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, o.ID, v.ID, string(in.Method), micros(in.PaidOn), in.Reference,
					in.Amount, expected, in.Reason, flagged, late, p.UserID, micros(tx.now))
				if err != nil {
					return fmt.Errorf("insert payment: %w", err)
				}
				var taxLog []map[string]any
				for _, tp := range in.Taxes {
					if _, err := tx.exec(ctx, `INSERT INTO payment_taxes (payment_id, kind, amount, billing_code, ntpn) VALUES ($1, $2, $3, $4, $5)`,
						pid, string(tp.Kind), tp.Amount, tp.BillingCode, tp.NTPN); err != nil {
						return fmt.Errorf("insert payment tax: %w", err)
					}
					taxLog = append(taxLog, map[string]any{"kind": tp.Kind, "amount": tp.Amount, "billing_code": tp.BillingCode, "ntpn": tp.NTPN})
				}
				paid := paidBefore + in.Amount
				paidInFull = paid >= t.NetToSeller && len(due) == 0
				paidAt := micros(v.PaidAt)
				if paidInFull && paidAt == 0 {
					paidAt = micros(tx.now)
				}
				// The net is what the breakdown leaves on the payment date: a PP 55/2022 certificate
				// or a rate may have started or ended since the invoice was issued.
				if _, err := tx.exec(ctx, `UPDATE invoices SET paid_amount = $1, paid_at = $2, net = $3 WHERE id = $4`, paid, paidAt, t.NetToSeller, v.ID); err != nil {
					return fmt.Errorf("update invoice: %w", err)
				}
				if t.NetToSeller != v.Net {
					ch["invoice_net"] = market.Change{Before: v.Net, After: t.NetToSeller}
				}
				ch["payment"] = market.Change{After: map[string]any{"id": pid, "method": in.Method, "paid_on": in.PaidOn.Format("2006-01-02"),
					"reference": in.Reference, "amount": in.Amount, "expected": expected, "flagged": flagged, "late": late, "taxes": taxLog,
					"net": t.NetToSeller, "paid_in_full": paidInFull}}
				out = Payment{ID: pid, OrderID: o.ID, InvoiceID: v.ID, Method: in.Method, PaidOn: in.PaidOn, Reference: in.Reference,
					Amount: in.Amount, Expected: expected, Reason: in.Reason, Flagged: flagged, Late: late, RecordedBy: p.UserID,
					RecordedAt: tx.now, Taxes: append([]TaxPayment{}, in.Taxes...)}
				return nil
			},
			notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
				body := fmt.Sprintf("Bendahara mencatat pembayaran %s untuk pesanan #%d (referensi %s).", out.Amount, o.ID, out.Reference)
				if out.Flagged {
					body += fmt.Sprintf(" Jumlah berbeda dari yang harus dibayar (%s): %s", out.Expected, out.Reason)
				}
				tx.queueNotifySeller(w, o, "Pembayaran dicatat", body)
				return nil
			}})
		if err != nil {
			return err
		}
		out.OrderState = o.State
		if !paidInFull {
			return nil
		}
		o, err = s.runAction(ctx, p, orderID, orderAction{action: market.ActionComplete,
			facts: func(tx *Tx, o *Order, f *market.TransitionFacts) error {
				f.PaidInFull = true
				return nil
			},
			apply: func(tx *Tx, o *Order, _ market.Role, _ market.State, ch map[string]market.Change) error {
				// Everything still held for the order goes back to the budget line; the
				// transition's release-rest then finds nothing left.
				return tx.releaseBudget(ctx, o, o.BudgetReserved, o.BudgetCommitted, ch)
			},
			notify: func(tx *Tx, w *pipe, o *Order, _ market.State) error {
				tx.queueNotifySeller(w, o, "Pesanan selesai", fmt.Sprintf("Pesanan #%d sudah dibayar lunas dan selesai.", o.ID))
				tx.queueNotifyUser(w, o.PPKID, o, "Beri penilaian penyedia",
					fmt.Sprintf("Pesanan #%d selesai. Beri penilaian untuk %s.", o.ID, o.SellerName))
				return nil
			}})
		if err != nil {
			return err
		}
		out.OrderState = o.State
		return nil
	})
	if err != nil {
		return Payment{}, err
	}
	return out, nil
}

// paymentsOf returns an order's payments with their taxes, oldest first.
func paymentsOf(ctx context.Context, q querier, orderID int64) ([]Payment, error) {
	// Late is judged here from the payment date and the deadline (as PaidLate does), so that
	// payments stored when lateness followed the recording time read the same way.
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.order_id, p.invoice_id, p.method, p.paid_on, p.reference, p.amount, p.expected, p.reason,
			p.flagged, (i.due_at <> 0 AND p.paid_on > i.due_at), p.recorded_by, p.recorded_at, u.name
		FROM payments p JOIN users u ON u.id = p.recorded_by JOIN invoices i ON i.id = p.invoice_id WHERE p.order_id = $1 ORDER BY p.id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	var out []Payment
	for rows.Next() {
		var pm Payment
		var method string
		var on, at int64
		if err := rows.Scan(&pm.ID, &pm.OrderID, &pm.InvoiceID, &method, &on, &pm.Reference, &pm.Amount, &pm.Expected, &pm.Reason,
			&pm.Flagged, &pm.Late, &pm.RecordedBy, &at, &pm.RecorderName); err != nil {
			rows.Close()
			return nil, fmt.Errorf("payments: %w", err)
		}
		pm.Method, pm.PaidOn, pm.RecordedAt, pm.Taxes = PaymentMethod(method), fromMicros(on), fromMicros(at), []TaxPayment{}
		out = append(out, pm)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	for i := range out {
		trows, err := q.QueryContext(ctx, `SELECT kind, amount, billing_code, ntpn FROM payment_taxes WHERE payment_id = $1 ORDER BY kind`, out[i].ID)
		if err != nil {
			return nil, fmt.Errorf("payment taxes: %w", err)
		}
		for trows.Next() {
			var tp TaxPayment
			var kind string
			if err := trows.Scan(&kind, &tp.Amount, &tp.BillingCode, &tp.NTPN); err != nil {
				trows.Close()
				return nil, fmt.Errorf("payment taxes: %w", err)
			}
			tp.Kind = market.TaxKind(kind)
			out[i].Taxes = append(out[i].Taxes, tp)
		}
		trows.Close()
		if err := trows.Err(); err != nil {
			return nil, fmt.Errorf("payment taxes: %w", err)
		}
	}
	return out, nil
}

// OrderPayments returns an order's payments, oldest first. Errors: CodeNotFound when p may not
// see the order.
func (s *Store) OrderPayments(ctx context.Context, p *market.Principal, orderID int64) ([]Payment, error) {
	q := s.q(ctx)
	if _, err := visibleOrder(ctx, q, p, orderID); err != nil {
		return nil, err
	}
	return paymentsOf(ctx, q, orderID)
}

// UnitLateness counts a unit's complete invoices by how they were paid: on time, late, and
// still unpaid past the deadline at the time of asking. These counts are public.
type UnitLateness struct {
	UnitID      int64  `json:"unit_id"`
	UnitName    string `json:"unit_name"`
	Invoices    int    `json:"invoices"`
	PaidOnTime  int    `json:"paid_on_time"`
	PaidLate    int    `json:"paid_late"`
	OverdueOpen int    `json:"overdue_open"`
}

// Late is PaidLate + OverdueOpen: the unit's late payments.
func (u UnitLateness) Late() int { return u.PaidLate + u.OverdueOpen }

// LatePayments counts late payments per unit over complete invoices, by unit name; unitID 0
// means every unit with an invoice. An invoice was paid late when the payment that paid it in
// full (the latest payment date) is dated after its deadline's day, whenever it was recorded; it
// is overdue when it is unpaid and the deadline's day is over. See Invoice.Late.
func (s *Store) LatePayments(ctx context.Context, unitID int64) ([]UnitLateness, error) {
	today, err := s.fiscalNow(ctx, s.q(ctx))
	if err != nil {
		return nil, err
	}
	// paid_on is the payment day's midnight in the instance's zone: it is after due_at exactly
	// when the day is after the deadline's day. Likewise today's midnight for open invoices.
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT u.id, u.name, COUNT(*),
			SUM(CASE WHEN i.paid_at <> 0 AND COALESCE(p.paid_on, i.paid_at) <= i.due_at THEN 1 ELSE 0 END),
			SUM(CASE WHEN i.paid_at <> 0 AND COALESCE(p.paid_on, i.paid_at) > i.due_at THEN 1 ELSE 0 END),
			SUM(CASE WHEN i.paid_at = 0 AND i.due_at < $1 THEN 1 ELSE 0 END)
		FROM invoices i JOIN units u ON u.id = i.unit_id
		LEFT JOIN (SELECT invoice_id, MAX(paid_on) AS paid_on FROM payments GROUP BY invoice_id) p ON p.invoice_id = i.id
		WHERE i.complete_at <> 0 AND (CAST($2 AS BIGINT) = 0 OR i.unit_id = $2)
		GROUP BY u.id, u.name ORDER BY u.name, u.id`, micros(dateIn(today, today.Location())), unitID)
	if err != nil {
		return nil, fmt.Errorf("late payments: %w", err)
	}
	defer rows.Close()
	var out []UnitLateness
	for rows.Next() {
		var l UnitLateness
		if err := rows.Scan(&l.UnitID, &l.UnitName, &l.Invoices, &l.PaidOnTime, &l.PaidLate, &l.OverdueOpen); err != nil {
			return nil, fmt.Errorf("late payments: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Payable is an invoice awaiting payment in a treasurer's list.
type Payable struct {
	Invoice
	SellerName string
	UnitName   string
	State      market.State
}

// PayableInvoices returns the unpaid invoices of the units where p is a treasurer and of the
// sellers where p is the owner or staff (what the UMK is still owed), every one for auditors
// and admins, the earliest deadline first, incomplete ones last.
func (s *Store) PayableInvoices(ctx context.Context, p *market.Principal) ([]Payable, error) {
	units := p.UnitIDs(market.RoleTreasurer)
	sellers := p.SellerIDs(market.RoleSellerOwner, market.RoleSellerStaff)
	all := p.SeesEverything()
	if !all && len(units) == 0 && len(sellers) == 0 {
		return nil, nil
	}
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT `+prefixed("i.", invoiceColumns)+`, sl.name, u.name, o.state
		FROM invoices i JOIN orders o ON o.id = i.order_id JOIN sellers sl ON sl.id = i.seller_id JOIN units u ON u.id = i.unit_id
		WHERE i.paid_at = 0 ORDER BY CASE WHEN i.due_at = 0 THEN 1 ELSE 0 END, i.due_at, i.id`)
	if err != nil {
		return nil, fmt.Errorf("payable invoices: %w", err)
	}
	defer rows.Close()
	var out []Payable
	for rows.Next() {
		var pb Payable
		var state string
		var v Invoice
		var kind string
		var issued, complete, due, paid int64
		if err := rows.Scan(&v.ID, &v.OrderID, &v.SellerID, &v.UnitID, &v.Number, &v.Year, &v.Seq, &v.Goods, &v.Shipping, &kind, &v.Catering,
			&v.PBJT, &v.NeedsFaktur, &v.FakturNumber, &v.FakturBlob, &v.FakturName, &v.Total, &v.Net, &v.IssuedBy, &issued, &complete,
			&due, &v.PaidAmount, &paid, &pb.SellerName, &pb.UnitName, &state); err != nil {
			return nil, fmt.Errorf("payable invoices: %w", err)
		}
		if !all && !slices.Contains(units, v.UnitID) && !slices.Contains(sellers, v.SellerID) {
			continue
		}
		v.Kind = market.CategoryKind(kind)
		v.IssuedAt, v.CompleteAt, v.DueAt, v.PaidAt = fromMicros(issued), fromMicros(complete), fromMicros(due), fromMicros(paid)
		pb.Invoice, pb.State = v, market.State(state)
		out = append(out, pb)
	}
	return out, rows.Err()
}

func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

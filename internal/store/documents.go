package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/paper"
)

// This file renders an order's documents — Surat Pesanan, BAST, invoice and kuitansi — from
// stored data through internal/paper, keeps a registry of them (a public code per document, and
// the SHA-256 and blob of every distinct version), and answers the public verification page.
// Rendering is deterministic, so regenerating unchanged data gives the same bytes and no new
// version; a document whose data changed (a kuitansi once paid) gets a new version, and the
// verification page shows the current hash and the superseded ones.

// DocumentName is a document of an order as named in URLs: "surat-pesanan.pdf", "bast.pdf" (the
// latest BAST), "bast-2.pdf" (the second), "invoice.pdf", "kuitansi.pdf".
type DocumentName struct {
	Kind paper.Kind
	Seq  int // the BAST's number within the order; 0 means the latest; 1 for the other kinds
}

var docNameRE = regexp.MustCompile(`^(surat-pesanan|bast|invoice|kuitansi)(?:-([1-9][0-9]{0,3}))?\.pdf$`)

// ParseDocumentName parses a document file name; a sequence is allowed for BASTs only. It
// returns CodeNotFound for anything else, as for a file that does not exist.
func ParseDocumentName(s string) (DocumentName, error) {
	m := docNameRE.FindStringSubmatch(s)
	if m == nil {
		return DocumentName{}, market.NotFound("Dokumen")
	}
	d := DocumentName{Kind: paper.Kind(m[1]), Seq: 1}
	if d.Kind == paper.KindBAST {
		d.Seq = 0
	}
	if m[2] != "" {
		if d.Kind != paper.KindBAST {
			return DocumentName{}, market.NotFound("Dokumen")
		}
		d.Seq, _ = strconv.Atoi(m[2])
	}
	return d, nil
}

// File returns the document's file name.
func (d DocumentName) File() string {
	if d.Kind == paper.KindBAST && d.Seq > 0 {
		return fmt.Sprintf("bast-%d.pdf", d.Seq)
	}
	return string(d.Kind) + ".pdf"
}

// RenderedDocument is a document rendered from stored data, with its registry entry.
type RenderedDocument struct {
	Code    string // the public id of the verification page
	Name    DocumentName
	Number  string
	Date    time.Time
	Amount  market.Rupiah
	SHA256  string
	BlobID  string
	Version int
	PDF     []byte
}

// DocumentVersion is one distinct rendering of a document.
type DocumentVersion struct {
	Version   int
	Number    string
	Date      time.Time
	Amount    market.Rupiah
	SHA256    string
	BlobID    string
	Size      int64
	CreatedAt time.Time
}

// PublicDocument is what the public verification page shows: nothing private. Versions are
// newest first; the first is current.
type PublicDocument struct {
	Code       string
	Kind       paper.Kind
	Seq        int
	OrderID    int64
	UnitName   string
	SellerID   int64
	SellerName string
	State      market.State
	Paid       bool // kuitansi and invoice: the invoice is paid in full
	Versions   []DocumentVersion
}

// Current returns the current version.
func (d PublicDocument) Current() DocumentVersion {
	if len(d.Versions) == 0 {
		return DocumentVersion{}
	}
	return d.Versions[0]
}

// AvailableDocuments lists the documents the order has now, in the order of a purchase.
// Errors: CodeNotFound when p may not see the order.
func (s *Store) AvailableDocuments(ctx context.Context, p *market.Principal, orderID int64) ([]DocumentName, error) {
	q := s.q(ctx)
	o, err := visibleOrder(ctx, q, p, orderID)
	if err != nil {
		return nil, err
	}
	var out []DocumentName
	if o.SPNumber != "" {
		out = append(out, DocumentName{Kind: paper.KindOrderLetter, Seq: 1})
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM receipts WHERE order_id = $1`, orderID).Scan(&n); err != nil {
		return nil, fmt.Errorf("count receipts: %w", err)
	}
	for i := 1; i <= n; i++ {
		out = append(out, DocumentName{Kind: paper.KindBAST, Seq: i})
	}
	if _, err := loadInvoice(ctx, q, orderID); err == nil {
		out = append(out, DocumentName{Kind: paper.KindInvoice, Seq: 1}, DocumentName{Kind: paper.KindKuitansi, Seq: 1})
	}
	return out, nil
}

// RenderDocument renders one of the order's documents from stored data, stores it with put (the
// content-addressed blob store, which returns the blob id) and registers it: the document gets a
// public code on its first rendering, which its QR code links to (verifyBase + "/verifikasi/" +
// code), and a new version whenever its bytes differ from the current one (with an audit event).
// Errors: CodeNotFound when p may not see the order or the document does not exist (yet),
// CodeUnavailable when put fails.
func (s *Store) RenderDocument(ctx context.Context, p *market.Principal, orderID int64, name DocumentName, verifyBase string,
	put func([]byte) (string, error)) (RenderedDocument, error) {
	var out RenderedDocument
	err := s.inTx(ctx, func(tx *Tx) error {
		o, err := loadOrder(ctx, tx.tx, orderID)
		if err != nil {
			return err
		}
		if p != nil && !OrderVisible(p, o) {
			return market.NotFound("Pesanan")
		}
		src, err := s.documentSource(ctx, tx, o)
		if err != nil {
			return err
		}
		if name.Kind == paper.KindBAST && name.Seq == 0 {
			name.Seq = len(src.receipts)
		}
		if !src.has(name) {
			return market.NotFound("Dokumen")
		}
		code, err := tx.documentCode(ctx, o.ID, name)
		if err != nil {
			return err
		}
		doc, number, date, amount, err := src.build(name, strings.TrimSuffix(verifyBase, "/")+"/verifikasi/"+code)
		if err != nil {
			return err
		}
		pdf, err := doc.PDF()
		if err != nil {
			return fmt.Errorf("render %s: %w", name.File(), err)
		}
		sum := paper.SHA256(pdf)
		out = RenderedDocument{Code: code, Name: name, Number: number, Date: date, Amount: amount, SHA256: sum, PDF: pdf}
		var docID int64
		var cur sql.NullString
		var version int
		if err := tx.queryRow(ctx, `SELECT d.id, COALESCE(MAX(v.version), 0), (SELECT sha256 FROM document_versions WHERE document_id = d.id
				ORDER BY version DESC LIMIT 1) FROM documents d LEFT JOIN document_versions v ON v.document_id = d.id WHERE d.code = $1 GROUP BY d.id`, code).
			Scan(&docID, &version, &cur); err != nil {
			return fmt.Errorf("document version: %w", err)
		}
		if cur.Valid && cur.String == sum {
			out.Version = version
			out.BlobID, err = put(pdf) // idempotent: content-addressed
			if err != nil {
				return &market.Error{Code: market.CodeUnavailable, Message: "Penyimpanan berkas tidak dapat dipakai.", Err: err}
			}
			return nil
		}
		blobID, err := put(pdf)
		if err != nil {
			return &market.Error{Code: market.CodeUnavailable, Message: "Penyimpanan berkas tidak dapat dipakai.", Err: err}
		}
		out.BlobID, out.Version = blobID, version+1
		if _, err := tx.exec(ctx, `INSERT INTO document_versions (document_id, version, number, doc_date, amount, sha256, blob_id, size, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, docID, out.Version, number, micros(date), amount, sum, blobID, len(pdf), micros(tx.now)); err != nil {
			return fmt.Errorf("insert document version: %w", err)
		}
		actor := System
		if p != nil {
			actor = Actor{UserID: p.UserID, Role: readerRole(p, o)}
		}
		return tx.Audit(ctx, actor, "document.rendered", "order", o.ID, map[string]market.Change{
			"document": {After: map[string]any{"code": code, "kind": name.Kind, "seq": name.Seq, "number": number, "version": out.Version, "sha256": sum}}})
	})
	return out, err
}

// readerRole names the role in which p reads the order's documents, for the audit trail.
func readerRole(p *market.Principal, o Order) market.Role {
	for _, r := range []market.Role{market.RoleSellerOwner, market.RoleSellerStaff, market.RoleApprover, market.RoleBuyer,
		market.RoleTreasurer, market.RoleReceiver, market.RoleUnitAdmin} {
		if (market.ScopeOf(r) == market.ScopeSeller && p.InSeller(o.SellerID, r)) || (market.ScopeOf(r) == market.ScopeUnit && p.InUnit(o.UnitID, r)) {
			return r
		}
	}
	if p.Has(market.RoleAuditor) {
		return market.RoleAuditor
	}
	return market.RoleAdmin
}

// documentCode returns the document's public code, registering it on first use.
func (tx *Tx) documentCode(ctx context.Context, orderID int64, name DocumentName) (string, error) {
	var code string
	err := tx.queryRow(ctx, `SELECT code FROM documents WHERE order_id = $1 AND kind = $2 AND seq = $3`, orderID, string(name.Kind), name.Seq).Scan(&code)
	if err == nil {
		return code, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("document code: %w", err)
	}
	code = randomHex(10)
	if _, err := tx.exec(ctx, `INSERT INTO documents (code, order_id, kind, seq, created_at) VALUES ($1, $2, $3, $4, $5)`,
		code, orderID, string(name.Kind), name.Seq, micros(tx.now)); err != nil {
		return "", fmt.Errorf("register document: %w", err)
	}
	return code, nil
}

// VerifyDocument returns what the public verification page shows for a document code, or
// CodeNotFound.
func (s *Store) VerifyDocument(ctx context.Context, code string) (PublicDocument, error) {
	q := s.q(ctx)
	var d PublicDocument
	var kind, state string
	var paidAt sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT d.code, d.kind, d.seq, o.id, u.name, sl.id, sl.name, o.state, i.paid_at
		FROM documents d JOIN orders o ON o.id = d.order_id JOIN units u ON u.id = o.unit_id JOIN sellers sl ON sl.id = o.seller_id
		LEFT JOIN invoices i ON i.order_id = o.id WHERE d.code = $1`, code).
		Scan(&d.Code, &kind, &d.Seq, &d.OrderID, &d.UnitName, &d.SellerID, &d.SellerName, &state, &paidAt)
	if errors.Is(err, sql.ErrNoRows) {
		return d, market.NotFound("Dokumen")
	}
	if err != nil {
		return d, fmt.Errorf("verify document: %w", err)
	}
	d.Kind, d.State, d.Paid = paper.Kind(kind), market.State(state), paidAt.Valid && paidAt.Int64 != 0
	rows, err := q.QueryContext(ctx, `SELECT v.version, v.number, v.doc_date, v.amount, v.sha256, v.blob_id, v.size, v.created_at
		FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.code = $1 ORDER BY v.version DESC`, code)
	if err != nil {
		return d, fmt.Errorf("document versions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v DocumentVersion
		var date, created int64
		if err := rows.Scan(&v.Version, &v.Number, &date, &v.Amount, &v.SHA256, &v.BlobID, &v.Size, &created); err != nil {
			return d, fmt.Errorf("document versions: %w", err)
		}
		v.Date, v.CreatedAt = fromMicros(date), fromMicros(created)
		d.Versions = append(d.Versions, v)
	}
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("document versions: %w", err)
	}
	if len(d.Versions) == 0 {
		return d, market.NotFound("Dokumen")
	}
	return d, nil
}

// docSource is everything an order's documents are rendered from.
type docSource struct {
	o        Order
	inst     Instance
	seller   Seller
	people   map[int64]User
	receipts []Receipt
	invoice  *Invoice
	tax      OrderTax
	payments []Payment
}

func (s *Store) documentSource(ctx context.Context, tx *Tx, o Order) (*docSource, error) {
	src := &docSource{o: o, people: map[int64]User{}}
	var err error
	if src.inst, err = s.GetInstance(ctx); err != nil {
		return nil, err
	}
	if src.seller, err = s.getSeller(ctx, tx.tx, o.SellerID); err != nil {
		return nil, err
	}
	if src.receipts, err = loadReceipts(ctx, tx.tx, o.ID); err != nil {
		return nil, err
	}
	v, err := loadInvoice(ctx, tx.tx, o.ID)
	switch {
	case err == nil:
		src.invoice = &v
		if src.tax, err = s.orderTax(ctx, tx.tx, o, v.PBJT, time.Time{}); err != nil {
			return nil, err
		}
		if src.payments, err = paymentsOf(ctx, tx.tx, o.ID); err != nil {
			return nil, err
		}
	case market.ErrorCode(err) != market.CodeNotFound:
		return nil, err
	}
	ids := []int64{o.BuyerID, o.PPKID}
	for _, r := range src.receipts {
		ids = append(ids, r.ReceivedBy)
	}
	if src.invoice != nil {
		ids = append(ids, src.invoice.IssuedBy)
	}
	for _, pm := range src.payments {
		ids = append(ids, pm.RecordedBy)
	}
	for _, id := range ids {
		if _, ok := src.people[id]; ok || id == 0 {
			continue
		}
		var u User
		if err := tx.queryRow(ctx, `SELECT id, name, nip FROM users WHERE id = $1`, id).Scan(&u.ID, &u.Name, &u.NIP); err != nil {
			return nil, fmt.Errorf("document people: %w", err)
		}
		src.people[id] = u
	}
	return src, nil
}

func (src *docSource) has(n DocumentName) bool {
	switch n.Kind {
	case paper.KindOrderLetter:
		return src.o.SPNumber != ""
	case paper.KindBAST:
		return n.Seq >= 1 && n.Seq <= len(src.receipts) && src.o.SPNumber != ""
	case paper.KindInvoice, paper.KindKuitansi:
		return src.invoice != nil
	}
	return false
}

func (src *docSource) official(id int64, role string) paper.Official {
	u := src.people[id]
	return paper.Official{Name: u.Name, NIP: u.NIP, Role: role}
}

func (src *docSource) header(number string, date time.Time, verifyURL string) paper.Header {
	return paper.Header{
		Instance:  paper.Instance{Name: src.inst.Name, City: instanceCity(src.inst.Name), Location: src.inst.Location()},
		Unit:      paper.Unit{Name: src.o.UnitName, Code: src.o.UnitCode},
		Number:    number,
		Date:      date,
		VerifyURL: verifyURL,
	}
}

// instanceCity takes the place of signing from the instance's name ("Pemerintah Kota Medan").
func instanceCity(name string) string {
	for _, p := range []string{"Pemerintah Kota ", "Pemerintah Kabupaten ", "Pemerintah Provinsi "} {
		if strings.HasPrefix(name, p) {
			return strings.TrimPrefix(name, p)
		}
	}
	return ""
}

func (src *docSource) paperSeller() paper.Seller {
	sl := src.seller
	reg := sl.Reg
	var addr []string
	for _, part := range []string{reg.Address.Street, reg.Address.Kelurahan, "Kec. " + sl.Kecamatan, reg.Address.City} {
		if part != "" && part != "Kec. " {
			addr = append(addr, part)
		}
	}
	out := paper.Seller{Name: sl.Name, Address: strings.Join(addr, ", "), NPWP: reg.NPWP, PKP: reg.PKP,
		Bank: paper.BankAccount{Bank: reg.Bank.Bank, Number: reg.Bank.Number, Holder: reg.Bank.Holder}}
	if sl.Class != "" {
		out.Class = sl.Class.Label()
	}
	if src.invoice != nil {
		out.Representative = src.people[src.invoice.IssuedBy].Name
	}
	return out
}

func orderLines(o Order, received bool) []paper.Line {
	var out []paper.Line
	for _, l := range o.Lines {
		q := l.Quantity
		if received {
			q = l.Received
			if q == 0 {
				continue
			}
		}
		out = append(out, paper.Line{Name: l.Name, Unit: l.Unit, Quantity: q, UnitPrice: l.UnitPrice, Amount: l.UnitPrice * market.Rupiah(q)})
	}
	return out
}

var conditionLabels = map[string]string{ConditionGood: "Baik", ConditionMinorDamage: "Rusak ringan", ConditionDamaged: "Rusak"}

// build returns the paper document with its number, date and amount.
func (src *docSource) build(n DocumentName, verifyURL string) (paper.Document, string, time.Time, market.Rupiah, error) {
	o := src.o
	switch n.Kind {
	case paper.KindOrderLetter:
		sigs := []paper.Signature{{Heading: "Pejabat Pembuat Komitmen,", Name: src.people[o.PPKID].Name, NIP: src.people[o.PPKID].NIP,
			Role: "Pejabat Pembuat Komitmen", Action: "Menyetujui Surat Pesanan", At: o.ApprovedAt}}
		doc := paper.OrderLetter{Header: src.header(o.SPNumber, o.ApprovedAt, verifyURL), OrderCode: fmt.Sprintf("#%d", o.ID),
			KodeRUP: o.KodeRUP, BudgetLine: o.AccountCode, Buyer: src.official(o.BuyerID, "Pejabat Pengadaan"),
			PPK: src.official(o.PPKID, "Pejabat Pembuat Komitmen"), Seller: src.paperSeller(), DeliveryAddress: o.Address,
			DeliverBy: o.NeededBy, Lines: orderLines(o, false),
			Amounts:    market.OrderAmounts{Goods: o.Goods, Shipping: o.Shipping, Taxable: o.Goods + o.Shipping, PPN: o.PPN, Total: o.Total},
			Signatures: sigs}
		if o.ChargesPPN {
			doc.PPNNote = "PPN 12% × DPP nilai lain 11/12"
		}
		return doc, o.SPNumber, o.ApprovedAt, o.Total, nil
	case paper.KindBAST:
		r := src.receipts[n.Seq-1]
		before := map[int64]int64{}
		for _, prev := range src.receipts[:n.Seq-1] {
			for _, rl := range prev.Lines {
				before[rl.OrderLineID] += rl.Quantity
			}
		}
		now := map[int64]ReceiptLine{}
		for _, rl := range r.Lines {
			now[rl.OrderLineID] = rl
		}
		var lines []paper.DeliveryLine
		var value market.Rupiah
		for _, l := range o.Lines {
			rl := now[l.ID]
			cond := conditionLabels[rl.Condition]
			if rl.Quantity == 0 {
				cond = "—"
			}
			amt := l.UnitPrice * market.Rupiah(rl.Quantity)
			value += amt
			lines = append(lines, paper.DeliveryLine{Name: l.Name, Unit: l.Unit, Ordered: l.Quantity, ReceivedBefore: before[l.ID],
				Received: rl.Quantity, UnitPrice: l.UnitPrice, Amount: amt, Condition: cond})
		}
		receiver := src.official(r.ReceivedBy, "Penerima Barang")
		if r.ReceivedBy == o.PPKID {
			receiver.Role = "Pejabat Pembuat Komitmen"
		}
		doc := paper.BAST{Header: src.header(r.Number, r.ReceivedAt, verifyURL), Sequence: n.Seq, OrderNumber: o.SPNumber,
			OrderDate: o.ApprovedAt, KodeRUP: o.KodeRUP, ReceivedAt: r.ReceivedAt, Seller: src.paperSeller(), Receiver: receiver,
			PPK: src.official(o.PPKID, "Pejabat Pembuat Komitmen"), Lines: lines, Value: value, Notes: r.Note, Photos: r.Photos,
			Signatures: []paper.Signature{{Heading: receiver.Role + ",", Name: receiver.Name, NIP: receiver.NIP, Role: receiver.Role,
				Action: "Menandatangani BAST", At: r.ReceivedAt}}}
		return doc, r.Number, r.ReceivedAt, value, nil
	case paper.KindInvoice:
		v := src.invoice
		var basts []string
		for _, r := range src.receipts {
			basts = append(basts, r.Number)
		}
		issuer := src.people[v.IssuedBy]
		doc := paper.Invoice{Header: src.header(v.Number, v.IssuedAt, verifyURL), OrderNumber: o.SPNumber, OrderDate: o.ApprovedAt,
			BASTNumbers: basts, FakturNumber: v.FakturNumber, DueDate: v.DueAt, Seller: src.paperSeller(),
			Treasurer: paper.Official{Name: "Bendahara Pengeluaran " + o.UnitName, Role: "Bendahara Pengeluaran"},
			Lines:     orderLines(o, true), Taxes: src.tax.Taxes,
			Signatures: []paper.Signature{{Heading: "Penyedia,", Name: issuer.Name, Role: "Penyedia " + src.seller.Name,
				Action: "Menerbitkan tagihan", At: v.IssuedAt}}}
		return doc, v.Number, v.IssuedAt, src.tax.Taxes.Total, nil
	case paper.KindKuitansi:
		// The kuitansi states what was received: every payment with its date as the treasurer
		// entered it (paid_on, the SP2D or transfer date), and "Lunas" only once the invoice is
		// paid in full. Each payment changes it, so it gets a new version.
		v := src.invoice
		date := v.IssuedAt
		doc := paper.Kuitansi{Header: src.header(v.KuitansiNumber(), date, verifyURL), InvoiceNumber: v.Number, OrderNumber: o.SPNumber,
			Payer: paper.Official{Name: "Bendahara Pengeluaran " + o.UnitName, Role: "Bendahara Pengeluaran"}, Seller: src.paperSeller(),
			Taxes: src.tax.Taxes,
			Payee: paper.Signature{Heading: "Yang menerima,", Name: src.people[v.IssuedBy].Name, Role: "Penyedia " + src.seller.Name}}
		var latest time.Time // the latest payment date: the kuitansi's date
		for _, pm := range src.payments {
			doc.Payments = append(doc.Payments, paper.KuitansiPayment{Date: pm.PaidOn, Method: pm.Method.Label(), Reference: pm.Reference,
				Amount: pm.Amount})
			if pm.PaidOn.After(latest) {
				latest = pm.PaidOn
			}
		}
		// Lunas once the invoice is paid in full; the breakdown here is the first payment date's,
		// so it is checked against it too rather than printing "Lunas" over an outstanding amount.
		doc.PaidInFull = !v.PaidAt.IsZero() && doc.Received() >= src.tax.Taxes.NetToSeller
		if n := len(src.payments); n > 0 {
			last := src.payments[n-1]
			t := src.people[last.RecordedBy]
			doc.Date, date = latest, latest
			doc.Payer = paper.Official{Name: t.Name, NIP: t.NIP, Role: "Bendahara Pengeluaran"}
			// The signature is the treasurer's logged action, at the time it was recorded.
			action := "Mencatat pembayaran sebagian"
			if doc.PaidInFull {
				action = "Mencatat pembayaran lunas"
			}
			doc.Signatures = []paper.Signature{{Heading: "Bendahara Pengeluaran,", Name: t.Name, NIP: t.NIP, Role: "Bendahara Pengeluaran",
				Action: action, At: last.RecordedAt}}
		}
		return doc, v.KuitansiNumber(), date, doc.Amount(), nil
	}
	return nil, "", time.Time{}, 0, market.NotFound("Dokumen")
}

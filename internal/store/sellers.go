package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"bela/internal/market"
)

// This file is seller onboarding and curation (issue 3): self-registration, the registration
// data, documents, the submit checklist, curator decisions, suspensions that end by themselves,
// and the blocked-NPWP list kept by admins.
//
// Suspension end: a suspension with an end date ends by itself in two ways. Every read
// (GetSeller, ListSellers) reports a seller whose suspension has passed as verified at once, and
// EndSuspensions — run every minute by a background job in `bela serve` — writes the change with
// its audit event ("seller.suspension_end", actor: the system) and tells the owners. Queries of
// other use cases that select sellers by status in SQL must treat
// `status = 'suspended' AND suspended_until <> 0 AND suspended_until <= now` as verified; see
// SellerActiveSQL.

// Seller is a UMK business. Name and Kecamatan are public, like Status and Class; Reg holds the
// full declared registration, whose identity numbers, address, phone and bank account are
// private: they go only to the seller's people, curators, admins and auditors.
type Seller struct {
	ID        int64
	Name      string // business name (Reg.BusinessName once registered)
	Kecamatan string // public location (Reg.Address.Kecamatan once registered)
	Status    string // a market.SellerStatus; suspensions past their end read as verified
	Class     market.UMKClass
	Reg       market.SellerRegistration
	// StatusReason is the curator's reason for the last reject, request_changes or suspend.
	StatusReason string
	// ChangeNotes are the curator's notes per field when changes were requested (keys from
	// SellerNoteFields).
	ChangeNotes       map[string]string
	SuspendedUntil    time.Time // zero: no end date (or not suspended)
	PrivacyAcceptedAt time.Time
	SubmittedAt       time.Time
	VerifiedAt        time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// SellerStatus returns Status as a market.SellerStatus.
func (sl Seller) SellerStatus() market.SellerStatus { return market.SellerStatus(sl.Status) }

// Registered reports whether the owner has saved the registration data.
func (sl Seller) Registered() bool { return sl.Reg.NIB != "" }

// Editable reports whether the owner may change the registration and documents: while a draft
// and when a curator asked for changes.
func (sl Seller) Editable() bool {
	st := sl.SellerStatus()
	return st == market.SellerDraft || st == market.SellerChangesRequested
}

// Eligible reports whether the seller may sell through belanja langsung now (market.Eligible).
func (sl Seller) Eligible() (bool, []string) { return market.Eligible(sl.SellerStatus(), sl.Class) }

// DocKind is the kind of a seller document.
type DocKind string

// The seller document kinds.
const (
	DocNIB  DocKind = "nib"  // the NIB print from OSS
	DocNPWP DocKind = "npwp" // the NPWP card
	DocKSWP DocKind = "kswp" // the KSWP tax-compliance proof (Konfirmasi Status Wajib Pajak)
	DocPKP  DocKind = "pkp"  // the PKP registration letter, when PKP
	DocPP55 DocKind = "pp55" // the PP 55/2022 certificate (Surat Keterangan), when held
)

// DocKinds lists every document kind in a stable order.
var DocKinds = []DocKind{DocNIB, DocNPWP, DocKSWP, DocPKP, DocPP55}

// ParseDocKind returns the kind with the given name, or a CodeInvalid error for field "kind".
func ParseDocKind(s string) (DocKind, error) {
	for _, k := range DocKinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", market.Invalid("kind", "Jenis dokumen tidak dikenal.")
}

// RequiredDocuments lists the documents a registration needs: the NIB print always; the NPWP
// card and the KSWP proof when the seller has an NPWP; the PKP letter when PKP; the PP 55/2022
// certificate when one is declared.
func RequiredDocuments(reg market.SellerRegistration) []DocKind {
	out := []DocKind{DocNIB}
	if reg.NPWP != "" {
		out = append(out, DocNPWP, DocKSWP)
	}
	if reg.PKP {
		out = append(out, DocPKP)
	}
	if reg.PP55Number != "" {
		out = append(out, DocPP55)
	}
	return out
}

// SellerDocument is an uploaded document; its bytes are in the blob store under BlobID.
type SellerDocument struct {
	ID          int64
	SellerID    int64
	Kind        DocKind
	BlobID      string
	Filename    string
	ContentType string
	Size        int64
	UploadedBy  int64
	UploadedAt  time.Time
}

// IsImage reports whether the document is a JPEG or PNG image (shown inline to curators).
func (d SellerDocument) IsImage() bool { return strings.HasPrefix(d.ContentType, "image/") }

// CheckItem is one line of the checklist before submitting: a key ("registration" or
// "document.<kind>") and whether it is done.
type CheckItem struct {
	Key  string
	Done bool
}

// Checklist returns what a seller must have before it can submit: the registration data and
// each required document (the latest upload of each kind counts).
func Checklist(sl Seller, docs []SellerDocument) []CheckItem {
	out := []CheckItem{{Key: "registration", Done: sl.Registered()}}
	if !sl.Registered() {
		return out
	}
	have := map[DocKind]bool{}
	for _, d := range docs {
		have[d.Kind] = true
	}
	for _, k := range RequiredDocuments(sl.Reg) {
		out = append(out, CheckItem{Key: "document." + string(k), Done: have[k]})
	}
	return out
}

// SellerNoteFields are the fields a curator may attach a note to when requesting changes.
var SellerNoteFields = []string{
	"business_name", "legal_form", "nib", "npwp", "owner_nik", "kbli", "capital", "annual_sales", "pkp", "pp55",
	"address", "phone", "bank", "document.nib", "document.npwp", "document.kswp", "document.pkp", "document.pp55",
}

// SellerActiveSQL is a condition on a sellers row (alias sl) that is true for a verified seller,
// including one whose suspension has passed its end date ($1 is the current time in unix
// microseconds). Other use cases use it to select sellers that may sell.
const SellerActiveSQL = `(sl.status = 'verified' OR (sl.status = 'suspended' AND sl.suspended_until <> 0 AND sl.suspended_until <= $1))`

const sellerColumns = `id, name, kecamatan, status, legal_form, nib, npwp, owner_nik, capital, annual_sales, class, pkp,
	pp55_number, pp55_valid_from, pp55_valid_to, street, kelurahan, city, postal_code, phone, bank_name, bank_account,
	bank_holder, status_reason, change_notes, suspended_until, privacy_accepted_at, submitted_at, verified_at, created_at, updated_at`

// scanSeller reads one sellers row; now decides whether a suspension has ended.
func scanSeller(row rowScanner, now time.Time) (Seller, error) {
	var sl Seller
	var legal, class, notes string
	var capital, sales, ppFrom, ppTo, until, privacy, submitted, verified, created, updated int64
	err := row.Scan(&sl.ID, &sl.Name, &sl.Kecamatan, &sl.Status, &legal, &sl.Reg.NIB, &sl.Reg.NPWP, &sl.Reg.OwnerNIK,
		&capital, &sales, &class, &sl.Reg.PKP, &sl.Reg.PP55Number, &ppFrom, &ppTo, &sl.Reg.Address.Street,
		&sl.Reg.Address.Kelurahan, &sl.Reg.Address.City, &sl.Reg.Address.PostalCode, &sl.Reg.Phone, &sl.Reg.Bank.Bank,
		&sl.Reg.Bank.Number, &sl.Reg.Bank.Holder, &sl.StatusReason, &notes, &until, &privacy, &submitted, &verified,
		&created, &updated)
	if err != nil {
		return sl, err
	}
	sl.Reg.BusinessName, sl.Reg.Address.Kecamatan = sl.Name, sl.Kecamatan
	sl.Reg.LegalForm, sl.Class = market.LegalForm(legal), market.UMKClass(class)
	sl.Reg.Capital, sl.Reg.AnnualSales = market.Rupiah(capital), market.Rupiah(sales)
	sl.Reg.PP55ValidFrom, sl.Reg.PP55ValidTo = fromMicros(ppFrom), fromMicros(ppTo)
	sl.SuspendedUntil, sl.PrivacyAcceptedAt = fromMicros(until), fromMicros(privacy)
	sl.SubmittedAt, sl.VerifiedAt, sl.CreatedAt, sl.UpdatedAt = fromMicros(submitted), fromMicros(verified), fromMicros(created), fromMicros(updated)
	if notes != "" {
		if err := json.Unmarshal([]byte(notes), &sl.ChangeNotes); err != nil {
			return sl, fmt.Errorf("seller %d change notes: %w", sl.ID, err)
		}
	}
	if sl.SellerStatus() == market.SellerSuspended && until != 0 && until <= micros(now) {
		sl.Status, sl.StatusReason, sl.SuspendedUntil = string(market.SellerVerified), "", time.Time{}
	}
	return sl, nil
}

// CreateSeller adds a seller row with only a name, kecamatan and status (demo data and tests;
// onboarding uses SignUpSeller and SaveSellerRegistration). Errors: CodeInvalid for an empty
// name or an unknown status.
func (s *Store) CreateSeller(ctx context.Context, a Actor, name, kecamatan, status string) (Seller, error) {
	sl := Seller{Name: strings.TrimSpace(name), Kecamatan: kecamatan, Status: status}
	if sl.Name == "" {
		return sl, market.Invalid("name", "Nama usaha wajib diisi.")
	}
	if sl.Status == "" {
		sl.Status = string(market.SellerDraft)
	}
	if _, err := market.ParseSellerStatus(sl.Status); err != nil {
		return sl, err
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		sl.ID, err = tx.insertID(ctx, `INSERT INTO sellers (name, kecamatan, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
			sl.Name, sl.Kecamatan, sl.Status, micros(tx.now))
		if err != nil {
			return fmt.Errorf("create seller: %w", err)
		}
		sl.CreatedAt, sl.UpdatedAt = tx.now, tx.now
		return tx.Audit(ctx, a, "seller.create", "seller", sl.ID, map[string]market.Change{"name": {After: sl.Name}, "kecamatan": {After: sl.Kecamatan}, "status": {After: sl.Status}})
	})
	return sl, err
}

// GetSeller returns a seller with its KBLI codes, or ErrNotFound. A suspension past its end
// date reads as verified.
func (s *Store) GetSeller(ctx context.Context, id int64) (Seller, error) {
	return s.getSeller(ctx, s.q(ctx), id)
}

func (s *Store) getSeller(ctx context.Context, q querier, id int64) (Seller, error) {
	sl, err := scanSeller(q.QueryRowContext(ctx, `SELECT `+sellerColumns+` FROM sellers WHERE id = $1`, id), s.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return sl, market.NotFound("Penyedia")
	}
	if err != nil {
		return sl, fmt.Errorf("get seller: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT kbli FROM seller_kbli WHERE seller_id = $1 ORDER BY kbli`, id)
	if err != nil {
		return sl, fmt.Errorf("get seller kbli: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return sl, fmt.Errorf("get seller kbli: %w", err)
		}
		sl.Reg.KBLI = append(sl.Reg.KBLI, k)
	}
	return sl, rows.Err()
}

// SellerFilter selects sellers for lists.
type SellerFilter struct {
	Status market.SellerStatus // "" for all
	Limit  int                 // at most 500; 200 when zero
}

// ListSellers returns sellers (without KBLI codes) matching the filter: oldest submission
// first, then by id — the curator queue's order. A suspension past its end date reads as
// verified and matches the verified filter.
func (s *Store) ListSellers(ctx context.Context, f SellerFilter) ([]Seller, error) {
	now := s.Now()
	q := `SELECT ` + sellerColumns + ` FROM sellers sl`
	var args []any
	switch f.Status {
	case "":
	case market.SellerVerified:
		q += ` WHERE ` + SellerActiveSQL
		args = append(args, micros(now))
	case market.SellerSuspended:
		q += ` WHERE sl.status = 'suspended' AND (sl.suspended_until = 0 OR sl.suspended_until > $1)`
		args = append(args, micros(now))
	default:
		q += ` WHERE sl.status = $1`
		args = append(args, string(f.Status))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	q += fmt.Sprintf(` ORDER BY CASE WHEN submitted_at = 0 THEN 1 ELSE 0 END, submitted_at, id LIMIT %d`, f.Limit)
	rows, err := s.q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list sellers: %w", err)
	}
	defer rows.Close()
	var out []Seller
	for rows.Next() {
		sl, err := scanSeller(rows, now)
		if err != nil {
			return nil, fmt.Errorf("list sellers: %w", err)
		}
		out = append(out, sl)
	}
	return out, rows.Err()
}

// SellerQueue returns the sellers waiting for a curator, oldest submission first.
func (s *Store) SellerQueue(ctx context.Context) ([]Seller, error) {
	return s.ListSellers(ctx, SellerFilter{Status: market.SellerSubmitted, Limit: 500})
}

// SellerSignUp is what a new seller owner gives to create an account.
type SellerSignUp struct {
	Name            string
	Email           string
	Password        string
	PrivacyAccepted bool // the owner has read the privacy notice
}

// SignUpSeller creates, in one transaction, a user with a password, a new draft seller and the
// user's seller_owner role for it. Errors: CodeInvalid (fields name, email, password, privacy;
// a taken e-mail is field email).
func (s *Store) SignUpSeller(ctx context.Context, in SellerSignUp) (userID, sellerID int64, err error) {
	n := NewUser{Name: in.Name, Email: in.Email, Password: in.Password}
	fe := market.FieldErrors{}
	if err := n.validate(); err != nil {
		for k, v := range asFields(err) {
			fe.Add(k, v)
		}
	}
	if in.Password == "" {
		fe.Add("password", passwordProblem(""))
	}
	if !in.PrivacyAccepted {
		fe.Add("privacy", "Baca dan setujui pemberitahuan privasi terlebih dahulu.")
	}
	if err := fe.Err(); err != nil {
		return 0, 0, err
	}
	hash := HashPassword(in.Password)
	err = s.inTx(ctx, func(tx *Tx) error {
		var err error
		if userID, err = tx.createUser(ctx, Actor{}, n, hash); err != nil {
			return err
		}
		a := Actor{UserID: userID, Role: market.RoleSellerOwner}
		sellerID, err = tx.newSeller(ctx, a, userID)
		return err
	})
	return userID, sellerID, err
}

// asFields returns the field messages of a coded error.
func asFields(err error) map[string]string {
	var me *market.Error
	if errors.As(err, &me) {
		return me.Fields
	}
	return nil
}

// newSeller inserts an empty draft seller (privacy notice accepted now) and makes userID its owner.
func (tx *Tx) newSeller(ctx context.Context, a Actor, userID int64) (int64, error) {
	id, err := tx.insertID(ctx, `INSERT INTO sellers (name, kecamatan, status, privacy_accepted_at, created_at, updated_at) VALUES ('', '', $1, $2, $2, $2)`,
		string(market.SellerDraft), micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("create seller: %w", err)
	}
	if err := tx.Audit(ctx, a, "seller.create", "seller", id, map[string]market.Change{"status": {After: market.SellerDraft}, "privacy_accepted": {After: true}}); err != nil {
		return 0, err
	}
	if _, err := tx.grant(ctx, a, userID, Grant{Role: market.RoleSellerOwner, ScopeID: id}); err != nil {
		return 0, err
	}
	return id, nil
}

// CreateRegisteredSeller creates a seller with its registration in one transaction and makes
// userID its owner (the API's POST /sellers). A user who holds a role outside sellers (an
// official: curator, buyer, PPK, treasurer, admin, auditor, …) may not: an official's account
// never becomes a seller's owner, as the web sign-up, which only creates new accounts, never
// makes it either — a business registers with its own account and an official declares a
// relation with it. Errors: as SaveSellerRegistration; CodeForbidden for an official;
// CodeInvalid (field privacy) when the privacy notice was not accepted.
func (s *Store) CreateRegisteredSeller(ctx context.Context, userID int64, reg market.SellerRegistration, privacyAccepted bool) (Seller, error) {
	if !privacyAccepted {
		return Seller{}, market.Invalid("privacy_accepted", "Baca dan setujui pemberitahuan privasi terlebih dahulu.")
	}
	norm, err := reg.Normalized()
	if err != nil {
		return Seller{}, err
	}
	a := Actor{UserID: userID, Role: market.RoleSellerOwner}
	var id int64
	err = s.inTx(ctx, func(tx *Tx) error {
		var official int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND scope_kind <> 'seller' AND ended_at = 0 AND (valid_to = 0 OR valid_to > $2)`,
			userID, micros(tx.now)).Scan(&official); err != nil {
			return fmt.Errorf("create seller: %w", err)
		}
		if official > 0 {
			return market.Forbidden("Akun pejabat atau petugas tidak dapat mendaftarkan usaha. Usaha didaftarkan pemiliknya dengan akun sendiri; bila Anda terkait dengan usaha itu, laporkan hubungannya.")
		}
		if id, err = tx.newSeller(ctx, a, userID); err != nil {
			return err
		}
		before, err := s.getSeller(ctx, tx.tx, id)
		if err != nil {
			return err
		}
		return tx.saveRegistration(ctx, a, before, norm)
	})
	if err != nil {
		return Seller{}, err
	}
	return s.GetSeller(ctx, id)
}

// SaveSellerRegistration validates and stores the registration of a seller in draft or
// changes_requested. Errors: ErrNotFound; CodeConflict when the status does not allow edits;
// CodeInvalid with every field problem, including an unknown kecamatan, an NIB or NPWP already
// registered by another seller and an NPWP on the blocked list.
func (s *Store) SaveSellerRegistration(ctx context.Context, a Actor, sellerID int64, reg market.SellerRegistration) (Seller, error) {
	norm, err := reg.Normalized()
	if err != nil {
		return Seller{}, err
	}
	err = s.inTx(ctx, func(tx *Tx) error {
		before, err := s.getSeller(ctx, tx.tx, sellerID)
		if err != nil {
			return err
		}
		if !before.Editable() {
			return market.Conflict(fmt.Sprintf("Data penjual berstatus %q tidak dapat diubah.", before.SellerStatus().Label()))
		}
		return tx.saveRegistration(ctx, a, before, norm)
	})
	if err != nil {
		return Seller{}, err
	}
	return s.GetSeller(ctx, sellerID)
}

// registrationAudit is the audit view of a registration; private values go under the field
// names that market.IsPrivateField hashes in the public encoding.
func registrationAudit(r market.SellerRegistration, class market.UMKClass) map[string]any {
	m := map[string]any{
		"name": r.BusinessName, "legal_form": string(r.LegalForm), "nib": r.NIB, "kbli": strings.Join(r.KBLI, ","),
		"capital": int64(r.Capital), "annual_sales": int64(r.AnnualSales), "class": string(class), "pkp": r.PKP,
		"pp55_number": r.PP55Number, "kecamatan": r.Address.Kecamatan, "city": r.Address.City,
		"npwp": r.NPWP, "nik": r.OwnerNIK, "phone": r.Phone,
		"address":      strings.Join([]string{r.Address.Street, r.Address.Kelurahan, r.Address.PostalCode}, ", "),
		"bank_account": r.Bank.Bank + " " + r.Bank.Number, "bank_holder": r.Bank.Holder,
	}
	if !r.PP55ValidFrom.IsZero() {
		m["pp55_valid_from"] = r.PP55ValidFrom.Format(time.DateOnly)
		m["pp55_valid_to"] = r.PP55ValidTo.Format(time.DateOnly)
	}
	return m
}

func (tx *Tx) saveRegistration(ctx context.Context, a Actor, before Seller, reg market.SellerRegistration) error {
	fe := market.FieldErrors{}
	var nKec, nAll int
	if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN name = $1 THEN 1 ELSE 0 END), 0) FROM kecamatan`, reg.Address.Kecamatan).Scan(&nAll, &nKec); err != nil {
		return fmt.Errorf("check kecamatan: %w", err)
	}
	if nAll > 0 && nKec == 0 {
		fe.Add("address.kecamatan", "Pilih kecamatan dari daftar.")
	}
	var other int64
	err := tx.queryRow(ctx, `SELECT id FROM sellers WHERE nib = $1 AND id <> $2`, reg.NIB, before.ID).Scan(&other)
	if err == nil {
		fe.Add("nib", "NIB ini sudah terdaftar untuk penjual lain. Satu NIB hanya dapat didaftarkan sekali; hubungi Dinas Koperasi dan UMKM bila NIB Anda dipakai orang lain.")
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check nib: %w", err)
	}
	if reg.NPWP != "" {
		err := tx.queryRow(ctx, `SELECT id FROM sellers WHERE npwp = $1 AND id <> $2`, reg.NPWP, before.ID).Scan(&other)
		if err == nil {
			fe.Add("npwp", "NPWP ini sudah terdaftar untuk penjual lain. Satu NPWP hanya dapat didaftarkan sekali.")
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("check npwp: %w", err)
		}
		if blocked, err := tx.npwpBlocked(ctx, reg.NPWP); err != nil {
			return err
		} else if blocked {
			fe.Add("npwp", "NPWP ini ada dalam daftar NPWP yang diblokir dan tidak dapat didaftarkan. Hubungi Dinas Koperasi dan UMKM.")
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	class := reg.Class()
	_, err = tx.exec(ctx, `UPDATE sellers SET name = $1, kecamatan = $2, legal_form = $3, nib = $4, npwp = $5, owner_nik = $6,
		capital = $7, annual_sales = $8, class = $9, pkp = $10, pp55_number = $11, pp55_valid_from = $12, pp55_valid_to = $13,
		street = $14, kelurahan = $15, city = $16, postal_code = $17, phone = $18, bank_name = $19, bank_account = $20,
		bank_holder = $21, updated_at = $22 WHERE id = $23`,
		reg.BusinessName, reg.Address.Kecamatan, string(reg.LegalForm), reg.NIB, reg.NPWP, reg.OwnerNIK,
		int64(reg.Capital), int64(reg.AnnualSales), string(class), reg.PKP, reg.PP55Number, micros(dateUTC(reg.PP55ValidFrom)), micros(dateUTC(reg.PP55ValidTo)),
		reg.Address.Street, reg.Address.Kelurahan, reg.Address.City, reg.Address.PostalCode, reg.Phone, reg.Bank.Bank, reg.Bank.Number,
		reg.Bank.Holder, micros(tx.now), before.ID)
	if isUniqueViolation(err) {
		return market.Invalid("nib", "NIB atau NPWP ini sudah terdaftar untuk penjual lain.")
	}
	if err != nil {
		return fmt.Errorf("save registration: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM seller_kbli WHERE seller_id = $1`, before.ID); err != nil {
		return fmt.Errorf("save kbli: %w", err)
	}
	for _, k := range reg.KBLI {
		if _, err := tx.exec(ctx, `INSERT INTO seller_kbli (seller_id, kbli) VALUES ($1, $2)`, before.ID, k); err != nil {
			return fmt.Errorf("save kbli: %w", err)
		}
	}
	var old map[string]any
	if before.Registered() {
		old = registrationAudit(before.Reg, before.Class)
	} else {
		old = map[string]any{}
	}
	return tx.Audit(ctx, a, "seller.register", "seller", before.ID, market.Diff(old, registrationAudit(reg, class)))
}

// dateUTC keeps a time's calendar date as midnight UTC (zero stays zero).
func dateUTC(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AddSellerDocument records an uploaded document (already checked and put in the blob store)
// for a seller in draft or changes_requested. Errors: ErrNotFound, CodeConflict when the
// status does not allow edits, CodeInvalid for an unknown kind.
func (s *Store) AddSellerDocument(ctx context.Context, a Actor, d SellerDocument) (SellerDocument, error) {
	if _, err := ParseDocKind(string(d.Kind)); err != nil {
		return d, err
	}
	d.Filename = safeFilename(d.Filename)
	err := s.inTx(ctx, func(tx *Tx) error {
		sl, err := s.getSeller(ctx, tx.tx, d.SellerID)
		if err != nil {
			return err
		}
		if !sl.Editable() {
			return market.Conflict(fmt.Sprintf("Dokumen penjual berstatus %q tidak dapat diubah.", sl.SellerStatus().Label()))
		}
		d.UploadedBy, d.UploadedAt = a.UserID, tx.now
		d.ID, err = tx.insertID(ctx, `INSERT INTO seller_documents (seller_id, kind, blob_id, filename, content_type, size, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.SellerID, string(d.Kind), d.BlobID, d.Filename, d.ContentType, d.Size, a.UserID, micros(tx.now))
		if err != nil {
			return fmt.Errorf("add document: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE sellers SET updated_at = $1 WHERE id = $2`, micros(tx.now), d.SellerID); err != nil {
			return fmt.Errorf("add document: %w", err)
		}
		return tx.Audit(ctx, a, "seller.document_add", "seller", d.SellerID, map[string]market.Change{
			"document_id": {After: d.ID}, "kind": {After: string(d.Kind)}, "blob_id": {After: d.BlobID},
			"content_type": {After: d.ContentType}, "size": {After: d.Size}})
	})
	return d, err
}

// safeFilename keeps a display name for a document: the base name, without control characters,
// quotes or path separators, at most 100 characters.
func safeFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == '"' || r == ';' {
			continue
		}
		b.WriteRune(r)
	}
	out := strings.TrimSpace(b.String())
	if r := []rune(out); len(r) > 100 {
		out = string(r[len(r)-100:])
	}
	if out == "" {
		out = "dokumen"
	}
	return out
}

// SellerDocuments returns a seller's documents, the latest of each kind first, older uploads
// after (kept for the audit trail).
func (s *Store) SellerDocuments(ctx context.Context, sellerID int64) ([]SellerDocument, error) {
	return sellerDocuments(ctx, s.q(ctx), sellerID)
}

func sellerDocuments(ctx context.Context, q querier, sellerID int64) ([]SellerDocument, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, seller_id, kind, blob_id, filename, content_type, size, uploaded_by, uploaded_at
		FROM seller_documents WHERE seller_id = $1 ORDER BY id DESC`, sellerID)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var out []SellerDocument
	for rows.Next() {
		var d SellerDocument
		var kind string
		var at int64
		if err := rows.Scan(&d.ID, &d.SellerID, &kind, &d.BlobID, &d.Filename, &d.ContentType, &d.Size, &d.UploadedBy, &at); err != nil {
			return nil, fmt.Errorf("list documents: %w", err)
		}
		d.Kind, d.UploadedAt = DocKind(kind), fromMicros(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// LatestDocuments keeps the newest document of each kind, in the order of DocKinds.
func LatestDocuments(docs []SellerDocument) []SellerDocument {
	latest := map[DocKind]SellerDocument{}
	for _, d := range docs {
		if cur, ok := latest[d.Kind]; !ok || d.ID > cur.ID {
			latest[d.Kind] = d
		}
	}
	var out []SellerDocument
	for _, k := range DocKinds {
		if d, ok := latest[k]; ok {
			out = append(out, d)
		}
	}
	return out
}

// GetSellerDocument returns one document of a seller; a document of another seller is
// ErrNotFound.
func (s *Store) GetSellerDocument(ctx context.Context, sellerID, docID int64) (SellerDocument, error) {
	docs, err := s.SellerDocuments(ctx, sellerID)
	if err != nil {
		return SellerDocument{}, err
	}
	for _, d := range docs {
		if d.ID == docID {
			return d, nil
		}
	}
	return SellerDocument{}, market.NotFound("Dokumen")
}

// SubmitSeller sends a seller for verification: from draft or changes_requested to submitted,
// when the checklist is complete and the NPWP is not blocked. Every active curator gets an
// inbox message and an e-mail. Errors: ErrNotFound; CodeInvalid naming each missing checklist
// item (fields "registration", "document.<kind>") or a blocked NPWP (field npwp); CodeConflict
// for a status that cannot be submitted.
func (s *Store) SubmitSeller(ctx context.Context, a Actor, sellerID int64) error {
	return s.inTx(ctx, func(tx *Tx) error {
		sl, err := s.getSeller(ctx, tx.tx, sellerID)
		if err != nil {
			return err
		}
		if err := market.SellerTransition(sl.SellerStatus(), market.SellerSubmitted); err != nil {
			return err
		}
		docs, err := sellerDocuments(ctx, tx.tx, sellerID)
		if err != nil {
			return err
		}
		fe := market.FieldErrors{}
		for _, it := range Checklist(sl, docs) {
			if !it.Done {
				fe.Add(it.Key, checklistMissing[it.Key])
			}
		}
		if sl.Reg.NPWP != "" {
			if blocked, err := tx.npwpBlocked(ctx, sl.Reg.NPWP); err != nil {
				return err
			} else if blocked {
				fe.Add("npwp", "NPWP ini ada dalam daftar NPWP yang diblokir.")
			}
		}
		if len(fe) > 0 {
			return &market.Error{Code: market.CodeInvalid, Message: "Lengkapi daftar periksa sebelum mengajukan verifikasi.", Fields: fe}
		}
		res, err := tx.exec(ctx, `UPDATE sellers SET status = $1, submitted_at = $2, updated_at = $2 WHERE id = $3 AND status = $4`,
			string(market.SellerSubmitted), micros(tx.now), sellerID, sl.Status)
		if err != nil {
			return fmt.Errorf("submit seller: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return market.Conflict("Status penjual baru saja berubah; muat ulang halaman.")
		}
		if err := tx.Audit(ctx, a, "seller.submit", "seller", sellerID, map[string]market.Change{"status": {Before: sl.Status, After: market.SellerSubmitted}}); err != nil {
			return err
		}
		if err := tx.notifyMembers(ctx, market.ScopeInstance, 0, []market.Role{market.RoleCurator}, "Penjual menunggu verifikasi: "+sl.Name,
			fmt.Sprintf("%s (%s, %s) mengajukan verifikasi dan menunggu keputusan kurator.", sl.Name, sl.Class.Label(), sl.Kecamatan),
			fmt.Sprintf("/kurasi/penjual/%d", sellerID), true); err != nil {
			return err
		}
		return nil
	})
}

var checklistMissing = map[string]string{
	"registration":  "Isi dan simpan data pendaftaran usaha.",
	"document.nib":  "Unggah cetakan NIB dari OSS.",
	"document.npwp": "Unggah kartu NPWP.",
	"document.kswp": "Unggah bukti KSWP (Konfirmasi Status Wajib Pajak).",
	"document.pkp":  "Unggah surat pengukuhan PKP.",
	"document.pp55": "Unggah Surat Keterangan PP 55/2022.",
}

// Decision is a curator's decision on a seller with its details.
type Decision struct {
	Decision market.SellerDecision
	Reason   string            // required for reject, request_changes and suspend
	Until    time.Time         // suspend only: the suspension ends at this instant; zero for none
	Notes    map[string]string // request_changes only: a note per field (keys from SellerNoteFields)
}

var decisionSubjects = map[market.SellerDecision]string{
	market.DecisionVerify:         "Usaha Anda terverifikasi",
	market.DecisionReject:         "Pendaftaran usaha Anda ditolak",
	market.DecisionRequestChanges: "Data usaha Anda perlu diperbaiki",
	market.DecisionSuspend:        "Usaha Anda dibekukan",
	market.DecisionReinstate:      "Pembekuan usaha Anda dicabut",
}

// DecideSeller applies a curator's decision (market.SellerDecision.Apply) with its audit event,
// and tells the seller's owners by inbox and e-mail. Verifying refuses a blocked NPWP and a
// class that is not micro or small; suspending takes an optional end time in the future.
// Errors: ErrNotFound; CodeForbidden when the curator is linked to the seller (see
// CurationConflicts); CodeInvalid (fields decision, reason, until, notes.<field>);
// CodeConflict when the decision does not fit the status or the NPWP is blocked.
func (s *Store) DecideSeller(ctx context.Context, a Actor, sellerID int64, d Decision) (Seller, error) {
	d.Reason = strings.TrimSpace(d.Reason)
	err := s.inTx(ctx, func(tx *Tx) error {
		sl, err := s.getSeller(ctx, tx.tx, sellerID)
		if err != nil {
			return err
		}
		if err := checkIndependent(ctx, tx.tx, a.UserID, sellerID); err != nil {
			return err
		}
		stored := sl.Status
		if err := tx.queryRow(ctx, `SELECT status FROM sellers WHERE id = $1`, sellerID).Scan(&stored); err != nil {
			return fmt.Errorf("decide seller: %w", err)
		}
		to, err := d.Decision.Apply(sl.SellerStatus(), d.Reason)
		if err != nil {
			return err
		}
		fe := market.FieldErrors{}
		notes := map[string]string{}
		if d.Decision == market.DecisionRequestChanges {
			for k, v := range d.Notes {
				v = strings.TrimSpace(v)
				if v == "" {
					continue
				}
				if !containsString(SellerNoteFields, k) {
					fe.Add("notes."+k, "Kolom catatan tidak dikenal.")
					continue
				}
				notes[k] = v
			}
		}
		until := time.Time{}
		if d.Decision == market.DecisionSuspend && !d.Until.IsZero() {
			until = d.Until.UTC().Truncate(time.Microsecond)
			if !until.After(tx.now) {
				fe.Add("until", "Tanggal akhir pembekuan harus di masa depan.")
			}
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if d.Decision == market.DecisionVerify {
			if c := sl.Class; c != market.ClassMicro && c != market.ClassSmall {
				return market.Conflict(fmt.Sprintf("Penjual tergolong %s; belanja langsung hanya untuk usaha mikro dan kecil.", c.Label()))
			}
			if sl.Reg.NPWP != "" {
				if blocked, err := tx.npwpBlocked(ctx, sl.Reg.NPWP); err != nil {
					return err
				} else if blocked {
					return market.Conflict("NPWP penjual ini ada dalam daftar NPWP yang diblokir; penjual tidak dapat diverifikasi.")
				}
			}
		}
		reason, notesJSON, verifiedAt := d.Reason, "", micros(sl.VerifiedAt)
		if len(notes) > 0 {
			b, _ := json.Marshal(notes)
			notesJSON = string(b)
		}
		if d.Decision == market.DecisionVerify || d.Decision == market.DecisionReinstate {
			reason = ""
		}
		if d.Decision == market.DecisionVerify {
			verifiedAt = micros(tx.now)
		}
		res, err := tx.exec(ctx, `UPDATE sellers SET status = $1, status_reason = $2, change_notes = $3, suspended_until = $4, verified_at = $5, updated_at = $6
			WHERE id = $7 AND status = $8`, string(to), reason, notesJSON, micros(until), verifiedAt, micros(tx.now), sellerID, stored)
		if err != nil {
			return fmt.Errorf("decide seller: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return market.Conflict("Status penjual baru saja berubah; muat ulang halaman.")
		}
		ch := map[string]market.Change{"status": {Before: sl.Status, After: to}}
		if reason != "" {
			ch["reason"] = market.Change{After: reason}
		}
		if !until.IsZero() {
			ch["suspended_until"] = market.Change{After: until.Format(time.RFC3339)}
		}
		if len(notes) > 0 {
			ch["notes"] = market.Change{After: notes}
		}
		if err := tx.Audit(ctx, a, "seller."+string(d.Decision), "seller", sellerID, ch); err != nil {
			return err
		}
		body := fmt.Sprintf("Keputusan kurator untuk %s: %s.", sl.Name, to.Label())
		if reason != "" {
			body += "\nAlasan: " + reason
		}
		if !until.IsZero() {
			body += "\nBerlaku sampai: " + until.Format("02-01-2006 15:04 MST")
		}
		keys := make([]string, 0, len(notes))
		for k := range notes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			body += fmt.Sprintf("\n- %s: %s", k, notes[k])
		}
		return tx.notifyOwners(ctx, sellerID, decisionSubjects[d.Decision], body, fmt.Sprintf("/usaha/%d", sellerID))
	})
	if err != nil {
		return Seller{}, err
	}
	return s.GetSeller(ctx, sellerID)
}

// Conflict of interest in curation: no one decides on a seller, or reviews its listings and
// their revisions, while linked to it — holding or having held a role in it (owner or staff,
// whatever the role's dates) or having an active declared relation with it (DeclareSellerRelation).
// Ended roles count because a former owner or employee is still not independent; an ended
// relation does not, as an admin ended it (the same rule as checkout's conflict of interest).

// linkedSellersSQL selects the ids of the sellers the user $1 is linked to, as above.
const linkedSellersSQL = `SELECT scope_id FROM memberships WHERE user_id = $1 AND scope_kind = 'seller'
	UNION SELECT seller_id FROM seller_relations WHERE user_id = $1 AND ended_at = 0`

// checkIndependent returns a CodeForbidden *Error when userID is linked to the seller.
func checkIndependent(ctx context.Context, q querier, userID, sellerID int64) error {
	if userID == 0 {
		return nil // the system
	}
	ids, err := queryIDs(ctx, q, "curator links", linkedSellersSQL, userID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if id == sellerID {
			return market.Forbidden("Anda tidak dapat mengkurasi penjual yang Anda miliki, tempat Anda bekerja (kini atau dulu) atau yang tercatat punya hubungan dengan Anda; kurator lain yang harus memutuskannya.")
		}
	}
	return nil
}

// CurationConflicts returns the sellers userID may not curate (owned or staffed, now or before,
// or with an active declared relation), so that the curators' queues can mark them.
func (s *Store) CurationConflicts(ctx context.Context, userID int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if userID == 0 {
		return out, nil
	}
	ids, err := queryIDs(ctx, s.q(ctx), "curator links", linkedSellersSQL, userID)
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// notifyOwners tells every active owner of a seller, by inbox and e-mail.
func (tx *Tx) notifyOwners(ctx context.Context, sellerID int64, subject, body, link string) error {
	return tx.notifyMembers(ctx, market.ScopeSeller, sellerID, []market.Role{market.RoleSellerOwner}, subject, body, link, true)
}

// EndSuspensions writes the end of every suspension whose end time has passed: the seller is
// verified again, with an audit event by the system and a message to its owners. It returns
// how many ended. The background job of `bela serve` runs it every minute.
func (s *Store) EndSuspensions(ctx context.Context) (int, error) {
	now := micros(s.Now())
	ids, err := queryIDs(ctx, s.q(ctx), "end suspensions", `SELECT id FROM sellers WHERE status = $1 AND suspended_until <> 0 AND suspended_until <= $2 ORDER BY id`,
		string(market.SellerSuspended), now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		err := s.inTx(ctx, func(tx *Tx) error {
			var name string
			res, err := tx.exec(ctx, `UPDATE sellers SET status = $1, status_reason = '', suspended_until = 0, updated_at = $2
				WHERE id = $3 AND status = $4 AND suspended_until <> 0 AND suspended_until <= $2`,
				string(market.SellerVerified), micros(tx.now), id, string(market.SellerSuspended))
			if err != nil {
				return fmt.Errorf("end suspension: %w", err)
			}
			if k, _ := res.RowsAffected(); k != 1 {
				return nil // decided meanwhile
			}
			n++
			if err := tx.queryRow(ctx, `SELECT name FROM sellers WHERE id = $1`, id).Scan(&name); err != nil {
				return fmt.Errorf("end suspension: %w", err)
			}
			if err := tx.Audit(ctx, System, "seller.suspension_end", "seller", id, map[string]market.Change{
				"status": {Before: market.SellerSuspended, After: market.SellerVerified}}); err != nil {
				return err
			}
			return tx.notifyOwners(ctx, id, decisionSubjects[market.DecisionReinstate],
				fmt.Sprintf("Masa pembekuan %s telah berakhir; usaha Anda kembali terverifikasi.", name), fmt.Sprintf("/usaha/%d", id))
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// BlockedNPWP is an entry of the blocked-NPWP list kept by admins.
type BlockedNPWP struct {
	NPWP      string
	Reason    string
	CreatedBy int64
	CreatedAt time.Time
}

func (tx *Tx) npwpBlocked(ctx context.Context, npwp string) (bool, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM blocked_npwp WHERE npwp = $1`, npwp).Scan(&n); err != nil {
		return false, fmt.Errorf("check blocked npwp: %w", err)
	}
	return n > 0, nil
}

// BlockNPWP adds an NPWP (any accepted format; stored in 16 digits) to the blocked list with a
// reason. Errors: CodeInvalid (fields npwp, reason), CodeConflict when already blocked.
func (s *Store) BlockNPWP(ctx context.Context, a Actor, npwp, reason string) (BlockedNPWP, error) {
	fe := market.FieldErrors{}
	v, err := market.ParseNPWP(npwp)
	if err != nil {
		for k, m := range asFields(err) {
			fe.Add(k, m)
		}
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		fe.Add("reason", "Alasan wajib diisi.")
	} else if len([]rune(reason)) > 500 {
		fe.Add("reason", "Alasan paling banyak 500 karakter.")
	}
	if err := fe.Err(); err != nil {
		return BlockedNPWP{}, err
	}
	b := BlockedNPWP{NPWP: v, Reason: reason, CreatedBy: a.UserID}
	err = s.inTx(ctx, func(tx *Tx) error {
		b.CreatedAt = tx.now
		_, err := tx.exec(ctx, `INSERT INTO blocked_npwp (npwp, reason, created_by, created_at) VALUES ($1, $2, $3, $4)`, v, reason, a.UserID, micros(tx.now))
		if isUniqueViolation(err) {
			return &market.Error{Code: market.CodeConflict, Message: "NPWP ini sudah ada dalam daftar blokir.", Fields: map[string]string{"npwp": "NPWP ini sudah ada dalam daftar blokir."}}
		}
		if err != nil {
			return fmt.Errorf("block npwp: %w", err)
		}
		return tx.Audit(ctx, a, "npwp.block", "blocked_npwp", 0, map[string]market.Change{"npwp": {After: v}, "reason": {After: reason}})
	})
	return b, err
}

// UnblockNPWP removes an NPWP from the blocked list. Errors: ErrNotFound.
func (s *Store) UnblockNPWP(ctx context.Context, a Actor, npwp string) error {
	v, err := market.ParseNPWP(npwp)
	if err != nil {
		return market.NotFound("NPWP")
	}
	return s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM blocked_npwp WHERE npwp = $1`, v)
		if err != nil {
			return fmt.Errorf("unblock npwp: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return market.NotFound("NPWP")
		}
		return tx.Audit(ctx, a, "npwp.unblock", "blocked_npwp", 0, map[string]market.Change{"npwp": {Before: v}})
	})
}

// ListBlockedNPWP returns the blocked list, newest first.
func (s *Store) ListBlockedNPWP(ctx context.Context) ([]BlockedNPWP, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT npwp, reason, created_by, created_at FROM blocked_npwp ORDER BY created_at DESC, npwp`)
	if err != nil {
		return nil, fmt.Errorf("list blocked npwp: %w", err)
	}
	defer rows.Close()
	var out []BlockedNPWP
	for rows.Next() {
		var b BlockedNPWP
		var at int64
		if err := rows.Scan(&b.NPWP, &b.Reason, &b.CreatedBy, &at); err != nil {
			return nil, fmt.Errorf("list blocked npwp: %w", err)
		}
		b.CreatedAt = fromMicros(at)
		out = append(out, b)
	}
	return out, rows.Err()
}

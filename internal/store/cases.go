package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"bela/internal/market"
)

// This file holds audit cases (kasus pemeriksaan): an APIP auditor's investigation of one order,
// opened on its red flags, with the auditors' notes, closed with a conclusion, reopened when
// needed. Only auditors read or write them; nobody else is told (an investigation is not
// announced), and the transparency log publishes that a case of an order was opened or closed
// with which conclusion, never what the auditors wrote (case_title and case_note are private
// fields of the audit events).

// Case is an audit case with a summary of its order.
type Case struct {
	ID           int64                 `json:"id"`
	OrderID      int64                 `json:"order_id"`
	State        market.CaseState      `json:"state"`
	Title        string                `json:"title"`
	OpenedBy     int64                 `json:"opened_by"`
	OpenedByName string                `json:"opened_by_name"`
	OpenedAt     time.Time             `json:"opened_at"`
	Flags        []market.RedFlag      `json:"flags"`                // the order's flags when the case was opened
	Conclusion   market.CaseConclusion `json:"conclusion,omitempty"` // "" while open
	ClosedBy     int64                 `json:"closed_by,omitempty"`  // 0 while open
	ClosedByName string                `json:"closed_by_name,omitempty"`
	ClosedAt     time.Time             `json:"closed_at,omitzero"` // zero while open
	UpdatedAt    time.Time             `json:"updated_at"`
	Version      int64                 `json:"version"` // raised by every change of the case
	NoteCount    int                   `json:"note_count"`
	// The order's summary.
	UnitID     int64         `json:"unit_id"`
	UnitName   string        `json:"unit_name"`
	SellerID   int64         `json:"seller_id"`
	SellerName string        `json:"seller_name"`
	FiscalYear int           `json:"fiscal_year"`
	OrderTotal market.Rupiah `json:"order_total"`
	OrderState market.State  `json:"order_state"`
	// Filled by GetCase (and, for the new case, OpenCase); nil (left out of JSON) in lists.
	Notes    []CaseNote       `json:"notes,omitzero"`
	FlagsNow []market.RedFlag `json:"flags_now,omitzero"` // the order's flags now
}

// CaseNote is one entry of a case's timeline: a working note, the closing note with its
// conclusion, or the reason for reopening.
type CaseNote struct {
	ID         int64                 `json:"id"`
	AuthorID   int64                 `json:"author_id"`
	AuthorName string                `json:"author_name"`
	At         time.Time             `json:"at"`
	Kind       market.CaseNoteKind   `json:"kind"`
	Conclusion market.CaseConclusion `json:"conclusion,omitempty"` // for a closing note
	Body       string                `json:"body"`
}

// CaseFilter selects cases for a list.
type CaseFilter struct {
	State    market.CaseState // "": every state
	UnitID   int64
	OrderID  int64
	BeforeID int64 // for paging: only cases with a smaller id
	Limit    int   // 50 when zero, at most 500
}

const caseColumns = `c.id, c.order_id, c.state, c.title, c.opened_by, ou.name, c.opened_at, c.flags, c.conclusion, c.closed_by,
	COALESCE(cu.name, ''), c.closed_at, c.updated_at, c.version, (SELECT COUNT(*) FROM audit_case_notes n WHERE n.case_id = c.id),
	o.unit_id, un.name, o.seller_id, sl.name, o.fiscal_year, o.total, o.state`

const caseFrom = ` FROM audit_cases c JOIN orders o ON o.id = c.order_id JOIN units un ON un.id = o.unit_id
	JOIN sellers sl ON sl.id = o.seller_id JOIN users ou ON ou.id = c.opened_by LEFT JOIN users cu ON cu.id = c.closed_by`

func scanCase(row rowScanner) (Case, error) {
	var c Case
	var state, flags, conclusion, orderState string
	var opened, closed, updated int64
	err := row.Scan(&c.ID, &c.OrderID, &state, &c.Title, &c.OpenedBy, &c.OpenedByName, &opened, &flags, &conclusion, &c.ClosedBy,
		&c.ClosedByName, &closed, &updated, &c.Version, &c.NoteCount,
		&c.UnitID, &c.UnitName, &c.SellerID, &c.SellerName, &c.FiscalYear, &c.OrderTotal, &orderState)
	if err != nil {
		return c, err
	}
	c.State, c.Conclusion, c.OrderState = market.CaseState(state), market.CaseConclusion(conclusion), market.State(orderState)
	c.OpenedAt, c.ClosedAt, c.UpdatedAt = fromMicros(opened), fromMicros(closed), fromMicros(updated)
	if err := json.Unmarshal([]byte(flags), &c.Flags); err != nil {
		return c, fmt.Errorf("decode flags of case %d: %w", c.ID, err)
	}
	return c, nil
}

// caseLink is the auditors' page of a case, as notifications link to it.
func caseLink(id int64) string { return fmt.Sprintf("/pemeriksaan/kasus/%d", id) }

// caseRef is what a use case needs to know of a case before changing it.
type caseRef struct {
	orderID    int64
	state      market.CaseState
	conclusion market.CaseConclusion
	version    int64
}

func loadCaseRef(ctx context.Context, tx *Tx, id int64) (caseRef, error) {
	var c caseRef
	found := false
	r := newPipe(tx.tx)
	r.read("load case", `SELECT order_id, state, conclusion, version FROM audit_cases WHERE id = $1`, []any{id}, func(row rowScanner) error {
		var state, conclusion string
		found = true
		err := row.Scan(&c.orderID, &state, &conclusion, &c.version)
		c.state, c.conclusion = market.CaseState(state), market.CaseConclusion(conclusion)
		return err
	})
	if err := r.run(ctx); err != nil {
		return c, err
	}
	if !found {
		return c, market.NotFound("Kasus")
	}
	return c, nil
}

// openCaseOf returns the id of the order's open case other than except, 0 when none.
func openCaseOf(ctx context.Context, tx *Tx, orderID, except int64) (int64, error) {
	var id int64
	r := newPipe(tx.tx)
	r.read("find open case", `SELECT id FROM audit_cases WHERE order_id = $1 AND state = 'open' AND id <> $2`, []any{orderID, except},
		func(row rowScanner) error { return row.Scan(&id) })
	return id, r.run(ctx)
}

// changedCase checks a conditional update of a case: one row, or someone else was first.
func changedCase(n int64) error {
	if n != 1 {
		return market.Conflict("Kasus ini baru saja diubah auditor lain; muat ulang halaman dan coba lagi.")
	}
	return nil
}

// changeCase runs one change of a case in its own transaction: it loads the case, refuses the
// change with refused unless the case is in state from, and runs what queue adds to one pipe
// (the version-checked UPDATE, the note, the audit event) together.
func (s *Store) changeCase(ctx context.Context, caseID int64, from market.CaseState, refused *market.Error, queue func(tx *Tx, w *pipe, c caseRef) error) error {
	return s.inTx(ctx, func(tx *Tx) error {
		c, err := loadCaseRef(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if c.state != from {
			return refused
		}
		w := newPipe(tx.tx)
		if err := queue(tx, w, c); err != nil {
			return err
		}
		return w.run(ctx)
	})
}

// auditorActor is p acting as an APIP auditor.
func auditorActor(p *market.Principal) Actor {
	return Actor{UserID: p.UserID, Role: market.RoleAuditor}
}

// queueCaseNote adds the insert of a note to w.
func (tx *Tx) queueCaseNote(w *pipe, caseID, authorID int64, kind market.CaseNoteKind, conclusion market.CaseConclusion, body string) {
	w.write("add case note", `INSERT INTO audit_case_notes (case_id, author_id, at, kind, conclusion, body) VALUES ($1, $2, $3, $4, $5, $6)`,
		[]any{caseID, authorID, micros(tx.now), string(kind), string(conclusion), body}, nil)
}

// OpenCase opens an audit case on an order with a title and a first note, keeping the order's
// red flags as seen now; the other auditors of the instance find it in their inbox, and nobody
// else is told. Errors: CodeForbidden unless p is an auditor, CodeInvalid for a missing or too
// long title or note, CodeNotFound, CodeConflict when the order already has an open case.
func (s *Store) OpenCase(ctx context.Context, p *market.Principal, orderID int64, title, note string) (Case, error) {
	if !p.Has(market.RoleAuditor) {
		return Case{}, auditorsOnly()
	}
	fe := market.FieldErrors{}
	title, err := market.CaseTitle(title)
	if err != nil {
		fe.Add("title", asMarket(err).Message)
	}
	note, err = market.CaseBody("note", note)
	if err != nil {
		fe.Add("note", asMarket(err).Message)
	}
	if err := fe.Err(); err != nil {
		return Case{}, err
	}
	var out Case
	err = s.inTx(ctx, func(tx *Tx) error {
		o, err := orderFlags(ctx, tx.tx, orderID)
		if err != nil {
			return err
		}
		if id, err := openCaseOf(ctx, tx, orderID, 0); err != nil {
			return err
		} else if id != 0 {
			return market.Conflict(fmt.Sprintf("Pesanan #%d sudah memiliki kasus terbuka (#%d); tambahkan catatan pada kasus itu.", orderID, id))
		}
		flags := o.Flags
		if flags == nil {
			flags = []market.RedFlag{}
		}
		id, err := tx.insertID(ctx, `INSERT INTO audit_cases (order_id, state, title, opened_by, opened_at, flags, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $5)`, orderID, string(market.CaseOpen), title, p.UserID, micros(tx.now), mustJSON(flags))
		if isUniqueViolation(err) {
			return market.Conflict("Pesanan ini baru saja dibuka kasusnya oleh auditor lain; tambahkan catatan pada kasus itu.")
		}
		if err != nil {
			return fmt.Errorf("open case: %w", err)
		}
		actor := auditorActor(p)
		w := newPipe(tx.tx)
		tx.queueCaseNote(w, id, p.UserID, market.CaseNoteNote, "", note)
		if err := tx.queueAudit(w, actor, "case.open", "case", id, map[string]market.Change{
			"order_id":   {After: orderID},
			"state":      {After: market.CaseOpen},
			"flags":      {After: flags},
			"case_title": {After: title},
			"case_note":  {After: note},
		}); err != nil {
			return err
		}
		// The other auditors, in their inboxes only: nothing about an investigation goes by e-mail.
		members, args := membersQuery(6, tx.now, market.ScopeInstance, 0, []market.Role{market.RoleAuditor})
		w.write("notify auditors", `INSERT INTO inbox (user_id, created_at, subject, body, link)
			SELECT u.id, CAST($1 AS BIGINT), $2, $3, $4 FROM users u WHERE u.id <> $5 AND u.id IN (`+members+`) ORDER BY u.id`,
			append([]any{micros(tx.now), "Kasus pemeriksaan baru",
				fmt.Sprintf("%s membuka kasus pemeriksaan #%d pada pesanan #%d (%s – %s).", p.Name, id, orderID, o.UnitName, o.SellerName),
				caseLink(id), p.UserID}, args...), nil)
		if err := w.run(ctx); err != nil {
			return err
		}
		out = Case{ID: id, OrderID: orderID, State: market.CaseOpen, Title: title, OpenedBy: p.UserID, OpenedByName: p.Name,
			OpenedAt: tx.now, Flags: flags, UpdatedAt: tx.now, NoteCount: 1, UnitID: o.UnitID, UnitName: o.UnitName,
			SellerID: o.SellerID, SellerName: o.SellerName, FiscalYear: o.FiscalYear, OrderTotal: o.Total, OrderState: o.State,
			FlagsNow: flags, Notes: []CaseNote{{AuthorID: p.UserID, AuthorName: p.Name, At: tx.now, Kind: market.CaseNoteNote, Body: note}}}
		return nil
	})
	if err != nil {
		return Case{}, err
	}
	return out, nil
}

// AddCaseNote adds a working note to an open case. Errors: CodeForbidden unless p is an
// auditor, CodeInvalid for a missing or too long note, CodeNotFound, CodeConflict when the case
// is closed or another auditor changed it at the same moment.
func (s *Store) AddCaseNote(ctx context.Context, p *market.Principal, caseID int64, body string) error {
	if !p.Has(market.RoleAuditor) {
		return auditorsOnly()
	}
	body, err := market.CaseBody("note", body)
	if err != nil {
		return err
	}
	return s.changeCase(ctx, caseID, market.CaseOpen, market.Conflict("Kasus ini sudah ditutup; buka lagi kasusnya untuk menambah catatan."), func(tx *Tx, w *pipe, c caseRef) error {
		w.write("touch case", `UPDATE audit_cases SET updated_at = $1, version = version + 1 WHERE id = $2 AND version = $3 AND state = 'open'`,
			[]any{micros(tx.now), caseID, c.version}, changedCase)
		tx.queueCaseNote(w, caseID, p.UserID, market.CaseNoteNote, "", body)
		return tx.queueAudit(w, auditorActor(p), "case.note", "case", caseID, map[string]market.Change{
			"order_id":  {After: c.orderID},
			"case_note": {After: body},
		})
	})
}

// CloseCase closes an open case with a conclusion (market.CaseConclusions) and a closing note.
// Of two auditors closing at once, one wins and the other gets a conflict. Errors:
// CodeForbidden unless p is an auditor, CodeInvalid for an unknown conclusion or a missing or
// too long note, CodeNotFound, CodeConflict when the case is already closed or changed meanwhile.
func (s *Store) CloseCase(ctx context.Context, p *market.Principal, caseID int64, conclusion market.CaseConclusion, note string) error {
	if !p.Has(market.RoleAuditor) {
		return auditorsOnly()
	}
	fe := market.FieldErrors{}
	if _, err := market.ParseCaseConclusion(string(conclusion)); err != nil {
		fe.Add("conclusion", asMarket(err).Message)
	}
	note, err := market.CaseBody("note", note)
	if err != nil {
		fe.Add("note", asMarket(err).Message)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.changeCase(ctx, caseID, market.CaseOpen, market.Conflict("Kasus ini sudah ditutup."), func(tx *Tx, w *pipe, c caseRef) error {
		w.write("close case", `UPDATE audit_cases SET state = 'closed', conclusion = $1, closed_by = $2, closed_at = $3, updated_at = $3,
				version = version + 1 WHERE id = $4 AND version = $5 AND state = 'open'`,
			[]any{string(conclusion), p.UserID, micros(tx.now), caseID, c.version}, changedCase)
		tx.queueCaseNote(w, caseID, p.UserID, market.CaseNoteClose, conclusion, note)
		return tx.queueAudit(w, auditorActor(p), "case.close", "case", caseID, map[string]market.Change{
			"order_id":   {After: c.orderID},
			"state":      {Before: market.CaseOpen, After: market.CaseClosed},
			"conclusion": {After: conclusion},
			"case_note":  {After: note},
		})
	})
}

// ReopenCase opens a closed case again, with the reason; its conclusion is cleared (the closing
// note keeps it). Errors: CodeForbidden unless p is an auditor, CodeInvalid for a missing or too
// long reason, CodeNotFound, CodeConflict when the case is open, changed meanwhile, or its order
// has another open case.
func (s *Store) ReopenCase(ctx context.Context, p *market.Principal, caseID int64, reason string) error {
	if !p.Has(market.RoleAuditor) {
		return auditorsOnly()
	}
	reason, err := market.CaseBody("reason", reason)
	if err != nil {
		return err
	}
	var orderID int64
	err = s.changeCase(ctx, caseID, market.CaseClosed, market.Conflict("Kasus ini masih terbuka."), func(tx *Tx, w *pipe, c caseRef) error {
		orderID = c.orderID
		if other, err := openCaseOf(ctx, tx, c.orderID, caseID); err != nil {
			return err
		} else if other != 0 {
			return market.Conflict(fmt.Sprintf("Pesanan #%d sudah memiliki kasus terbuka lain (#%d).", c.orderID, other))
		}
		w.write("reopen case", `UPDATE audit_cases SET state = 'open', conclusion = '', closed_by = 0, closed_at = 0, updated_at = $1,
				version = version + 1 WHERE id = $2 AND version = $3 AND state = 'closed'`,
			[]any{micros(tx.now), caseID, c.version}, changedCase)
		tx.queueCaseNote(w, caseID, p.UserID, market.CaseNoteReopen, "", reason)
		return tx.queueAudit(w, auditorActor(p), "case.reopen", "case", caseID, map[string]market.Change{
			"order_id":   {After: c.orderID},
			"state":      {Before: market.CaseClosed, After: market.CaseOpen},
			"conclusion": {Before: c.conclusion},
			"case_note":  {After: reason},
		})
	})
	if isUniqueViolation(err) {
		return market.Conflict(fmt.Sprintf("Pesanan #%d sudah memiliki kasus terbuka lain.", orderID))
	}
	return err
}

// GetCase returns a case with its notes (oldest first) and its order's flags now. Errors:
// CodeForbidden unless p is an auditor, CodeNotFound.
func (s *Store) GetCase(ctx context.Context, p *market.Principal, id int64) (Case, error) {
	if !p.Has(market.RoleAuditor) {
		return Case{}, auditorsOnly()
	}
	var c Case
	found := false
	err := s.read(ctx, func(q querier) error {
		r := newPipe(q)
		r.read("load case", `SELECT `+caseColumns+caseFrom+` WHERE c.id = $1`, []any{id}, func(row rowScanner) error {
			var err error
			found = true
			c, err = scanCase(row)
			return err
		})
		r.read("load case notes", `SELECT n.id, n.author_id, u.name, n.at, n.kind, n.conclusion, n.body
			FROM audit_case_notes n JOIN users u ON u.id = n.author_id WHERE n.case_id = $1 ORDER BY n.id`, []any{id}, func(row rowScanner) error {
			var n CaseNote
			var at int64
			var kind, conclusion string
			if err := row.Scan(&n.ID, &n.AuthorID, &n.AuthorName, &at, &kind, &conclusion, &n.Body); err != nil {
				return err
			}
			n.At, n.Kind, n.Conclusion = fromMicros(at), market.CaseNoteKind(kind), market.CaseConclusion(conclusion)
			c.Notes = append(c.Notes, n)
			return nil
		})
		if err := r.run(ctx); err != nil || !found {
			return err
		}
		o, err := orderFlags(ctx, q, c.OrderID)
		c.FlagsNow = o.Flags
		return err
	})
	if err != nil {
		return Case{}, err
	}
	if !found {
		return Case{}, market.NotFound("Kasus")
	}
	return c, nil
}

// ListCases returns the cases matching f, newest first, without notes. Errors: CodeForbidden
// unless p is an auditor.
func (s *Store) ListCases(ctx context.Context, p *market.Principal, f CaseFilter) ([]Case, error) {
	if !p.Has(market.RoleAuditor) {
		return nil, auditorsOnly()
	}
	var w sqlFilter
	if f.State != "" {
		w.add("c.state = ?", string(f.State))
	}
	if f.UnitID != 0 {
		w.add("o.unit_id = ?", f.UnitID)
	}
	if f.OrderID != 0 {
		w.add("c.order_id = ?", f.OrderID)
	}
	if f.BeforeID != 0 {
		w.add("c.id < ?", f.BeforeID)
	}
	out := []Case{}
	err := s.read(ctx, func(q querier) error {
		r := newPipe(q)
		r.read("list cases", `SELECT `+caseColumns+caseFrom+w.where()+fmt.Sprintf(` ORDER BY c.id DESC LIMIT %d`, listLimit(f.Limit)), w.args,
			func(row rowScanner) error {
				c, err := scanCase(row)
				out = append(out, c)
				return err
			})
		return r.run(ctx)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// asMarket returns err's coded error (err is one, from market's validators).
func asMarket(err error) *market.Error {
	if e, ok := err.(*market.Error); ok {
		return e
	}
	return &market.Error{Code: market.CodeInternal, Message: err.Error()}
}

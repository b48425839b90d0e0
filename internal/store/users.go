package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"bela/internal/market"
)

// User is a person who signs in. Phone, e-mail and NIP are private data: they are shown to the
// user, their admins and auditors, never on public pages.
type User struct {
	ID          int64
	Name        string
	Email       string
	Phone       string
	NIP         string // Nomor Induk Pegawai: a civil servant's staff number
	Active      bool
	Lang        string
	CreatedAt   time.Time
	Memberships []market.Membership // all, including ended ones, newest first
}

// NewUser is the input for creating a user.
type NewUser struct {
	Name     string
	Email    string
	Phone    string
	NIP      string
	Password string // empty: the user sets it through an invitation link
}

// Grant is a role in a scope, optionally for a period (acting officials, Plt/Plh).
type Grant struct {
	Role      market.Role
	ScopeID   int64 // unit or seller id; ignored for instance roles
	ValidFrom time.Time
	ValidTo   time.Time
}

// Session and token lifetimes.
const (
	SessionLifetime = 12 * time.Hour
	InviteLifetime  = 72 * time.Hour
	ResetLifetime   = 2 * time.Hour
	MinPasswordLen  = 10
)

func (n *NewUser) validate() error {
	fe := market.FieldErrors{}
	n.Name = strings.TrimSpace(n.Name)
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	if n.Name == "" {
		fe.Add("name", "Nama wajib diisi.")
	}
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		fe.Add("email", "Alamat e-mail tidak valid.")
	}
	if n.NIP != "" && (len(n.NIP) != 18 || strings.Trim(n.NIP, "0123456789") != "") {
		fe.Add("nip", "NIP terdiri dari 18 angka.")
	}
	if n.Password != "" {
		if msg := passwordProblem(n.Password); msg != "" {
			fe.Add("password", msg)
		}
	}
	return fe.Err()
}

func passwordProblem(p string) string {
	if len([]rune(p)) < MinPasswordLen {
		return fmt.Sprintf("Kata sandi minimal %d karakter.", MinPasswordLen)
	}
	if len(p) > 200 {
		return "Kata sandi terlalu panjang."
	}
	return ""
}

func (g Grant) validate(tx *Tx, ctx context.Context) (market.ScopeKind, int64, error) {
	kind := market.ScopeOf(g.Role)
	if _, err := market.ParseRole(string(g.Role)); err != nil {
		return kind, 0, err
	}
	if !g.ValidTo.IsZero() && !g.ValidTo.After(g.ValidFrom) {
		return kind, 0, market.Invalid("valid_to", "Tanggal akhir harus setelah tanggal mulai.")
	}
	var table string
	switch kind {
	case market.ScopeInstance:
		return kind, 0, nil
	case market.ScopeUnit:
		table = "units"
	case market.ScopeSeller:
		table = "sellers"
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = $1`, g.ScopeID).Scan(&n); err != nil {
		return kind, 0, fmt.Errorf("check scope: %w", err)
	}
	if n == 0 {
		return kind, 0, market.Invalid("scope", "Satuan kerja atau penyedia tidak ditemukan.")
	}
	return kind, g.ScopeID, nil
}

// CreateUser adds a user with the given roles (for the command line and demo data, acting as
// the system or an admin). Errors: CodeInvalid for bad fields or a taken e-mail.
func (s *Store) CreateUser(ctx context.Context, a Actor, n NewUser, grants ...Grant) (User, error) {
	if err := n.validate(); err != nil {
		return User{}, err
	}
	var id int64
	hash := ""
	if n.Password != "" {
		hash = HashPassword(n.Password)
	}
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.createUser(ctx, a, n, hash)
		if err != nil {
			return err
		}
		for _, g := range grants {
			if _, err := tx.grant(ctx, a, id, g); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return s.GetUser(ctx, id)
}

// CreateUserWithHash is CreateUser with a precomputed password hash; demo data uses it to
// avoid hashing the same demo password hundreds of times.
func (s *Store) CreateUserWithHash(ctx context.Context, a Actor, n NewUser, hash string, grants ...Grant) (int64, error) {
	n.Password = ""
	if err := n.validate(); err != nil {
		return 0, err
	}
	var id int64
	err := s.inTx(ctx, func(tx *Tx) error {
		var err error
		if id, err = tx.createUser(ctx, a, n, hash); err != nil {
			return err
		}
		for _, g := range grants {
			if _, err := tx.grant(ctx, a, id, g); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

func (tx *Tx) createUser(ctx context.Context, a Actor, n NewUser, hash string) (int64, error) {
	id, err := tx.insertID(ctx, `INSERT INTO users (name, email, phone, nip, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
		n.Name, n.Email, n.Phone, n.NIP, hash, micros(tx.now))
	if isUniqueViolation(err) {
		return 0, market.Invalid("email", "Alamat e-mail sudah terdaftar.")
	}
	if err != nil {
		return 0, fmt.Errorf("create user: %w", err)
	}
	ch := map[string]market.Change{"name": {After: n.Name}, "email": {After: n.Email}}
	if n.Phone != "" {
		ch["phone"] = market.Change{After: n.Phone}
	}
	if n.NIP != "" {
		ch["nip"] = market.Change{After: n.NIP}
	}
	return id, tx.Audit(ctx, a, "user.create", "user", id, ch)
}

func (tx *Tx) grant(ctx context.Context, a Actor, userID int64, g Grant) (int64, error) {
	kind, scopeID, err := g.validate(tx, ctx)
	if err != nil {
		return 0, err
	}
	id, err := tx.insertID(ctx, `INSERT INTO memberships (user_id, role, scope_kind, scope_id, valid_from, valid_to, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		userID, string(g.Role), string(kind), scopeID, micros(g.ValidFrom), micros(g.ValidTo), micros(tx.now))
	if err != nil {
		return 0, fmt.Errorf("grant role: %w", err)
	}
	ch := map[string]market.Change{"user_id": {After: userID}, "role": {After: g.Role}, "scope_kind": {After: kind}, "scope_id": {After: scopeID}}
	if !g.ValidFrom.IsZero() {
		ch["valid_from"] = market.Change{After: g.ValidFrom.UTC().Format(time.RFC3339)}
	}
	if !g.ValidTo.IsZero() {
		ch["valid_to"] = market.Change{After: g.ValidTo.UTC().Format(time.RFC3339)}
	}
	return id, tx.Audit(ctx, a, "membership.grant", "membership", id, ch)
}

// GetUser returns a user with all memberships, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id int64) (User, error) {
	var u User
	var created int64
	err := s.q(ctx).QueryRowContext(ctx, `SELECT id, name, email, phone, nip, active, lang, created_at FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.Name, &u.Email, &u.Phone, &u.NIP, &u.Active, &u.Lang, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return u, market.NotFound("Pengguna")
	}
	if err != nil {
		return u, fmt.Errorf("get user: %w", err)
	}
	u.CreatedAt = fromMicros(created)
	u.Memberships, err = s.memberships(ctx, `m.user_id = $1`, id)
	return u, err
}

// FindUserByEmail returns the user with that e-mail (case-insensitive), or ErrNotFound.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (User, error) {
	var id int64
	err := s.q(ctx).QueryRowContext(ctx, `SELECT id FROM users WHERE email = $1`, strings.ToLower(strings.TrimSpace(email))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, market.NotFound("Pengguna")
	}
	if err != nil {
		return User{}, fmt.Errorf("find user: %w", err)
	}
	return s.GetUser(ctx, id)
}

// memberships loads memberships matching a condition on m (ended ones included, with
// ValidTo set to their end), newest first, with scope names.
func (s *Store) memberships(ctx context.Context, where string, args ...any) ([]market.Membership, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT m.id, m.user_id, m.role, m.scope_kind, m.scope_id, m.valid_from, m.valid_to, m.ended_at,
			COALESCE(u.name, sl.name, '')
		FROM memberships m
		LEFT JOIN units u ON m.scope_kind = 'unit' AND u.id = m.scope_id
		LEFT JOIN sellers sl ON m.scope_kind = 'seller' AND sl.id = m.scope_id
		WHERE `+where+` ORDER BY m.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("load memberships: %w", err)
	}
	defer rows.Close()
	var out []market.Membership
	for rows.Next() {
		var m market.Membership
		var role, kind string
		var from, to, ended int64
		if err := rows.Scan(&m.ID, &m.UserID, &role, &kind, &m.ScopeID, &from, &to, &ended, &m.ScopeName); err != nil {
			return nil, fmt.Errorf("load memberships: %w", err)
		}
		m.Role, m.ScopeKind = market.Role(role), market.ScopeKind(kind)
		m.ValidFrom, m.ValidTo = fromMicros(from), fromMicros(to)
		if ended != 0 && (to == 0 || ended < to) {
			m.ValidTo = fromMicros(ended)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Principal returns the user as an authenticated principal with the memberships active now.
// An inactive user is CodeUnauthorized.
func (s *Store) Principal(ctx context.Context, userID int64) (*market.Principal, error) {
	u, err := s.GetUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, &market.Error{Code: market.CodeUnauthorized, Message: "Akun ini sudah dinonaktifkan."}
	}
	p := &market.Principal{UserID: u.ID, Name: u.Name, Email: u.Email}
	now := s.Now()
	for _, m := range u.Memberships {
		if m.ActiveAt(now) {
			p.Memberships = append(p.Memberships, m)
		}
	}
	return p, nil
}

// UserFilter selects users for the management list.
type UserFilter struct {
	UnitID   int64 // only users with a membership in this unit
	SellerID int64 // only users with a membership for this seller
	Query    string
	Limit    int
}

// ListUsers returns users (with memberships) matching the filter, by name.
func (s *Store) ListUsers(ctx context.Context, f UserFilter) ([]User, error) {
	q := `SELECT DISTINCT u.id, u.name FROM users u LEFT JOIN memberships m ON m.user_id = u.id WHERE 1=1`
	var args []any
	if f.UnitID != 0 {
		args = append(args, f.UnitID)
		q += fmt.Sprintf(` AND m.scope_kind = 'unit' AND m.scope_id = $%d`, len(args))
	}
	if f.SellerID != 0 {
		args = append(args, f.SellerID)
		q += fmt.Sprintf(` AND m.scope_kind = 'seller' AND m.scope_id = $%d`, len(args))
	}
	if f.Query != "" {
		args = append(args, "%"+strings.ToLower(f.Query)+"%")
		q += fmt.Sprintf(` AND (LOWER(u.name) LIKE $%d OR u.email LIKE $%d)`, len(args), len(args))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	q += fmt.Sprintf(` ORDER BY u.name, u.id LIMIT %d`, f.Limit)
	rows, err := s.q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list users: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out := make([]User, 0, len(ids))
	for _, id := range ids {
		u, err := s.GetUser(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// Invitation is an invited user and the one-time link token that lets them set a password.
// Both are zero when the address belonged to an account already (see Invite).
type Invitation struct {
	User  User
	Token string // shown once (e-mailed); stored only as a hash
}

// Invite invites someone by e-mail to a role in a scope. Only a principal that CanGrant the role
// in the scope may invite.
//
// For a new address it creates the account, with only what the inviter typed, grants the role
// and e-mails a one-time link to set a password: setting it is the new person's consent.
//
// For an address that already has an account it grants nothing and touches nothing of the
// account: it records a pending role offer (see RoleOffer), which the account's holder accepts
// or declines on their account page, and tells them by inbox and e-mail. The inviter gets the
// same answer (a nil error) as for a new address, and the returned Invitation is then zero, so
// that nothing of the account reaches them. Errors: CodeForbidden, CodeInvalid.
func (s *Store) Invite(ctx context.Context, by *market.Principal, n NewUser, g Grant) (Invitation, error) {
	n.Password = ""
	kind := market.ScopeOf(g.Role)
	if !by.CanGrant(g.Role, kind, g.ScopeID) {
		return Invitation{}, market.Forbidden("Anda tidak berwenang memberikan peran ini di lingkup tersebut.")
	}
	if err := n.validate(); err != nil {
		return Invitation{}, err
	}
	actor := Actor{UserID: by.UserID, Role: granterRole(by, kind)}
	var inv Invitation
	var userID int64
	existing := false
	err := s.inTx(ctx, func(tx *Tx) error {
		var active bool
		err := tx.queryRow(ctx, `SELECT id, active FROM users WHERE email = $1`, n.Email).Scan(&userID, &active)
		if err == nil {
			existing = true
			return tx.offerRole(ctx, by, actor, userID, active, n, g)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("invite: %w", err)
		}
		if userID, err = tx.createUser(ctx, actor, n, ""); err != nil {
			return err
		}
		if _, err := tx.grant(ctx, actor, userID, g); err != nil {
			return err
		}
		inv.Token, err = tx.oneTimeToken(ctx, userID, "invite", InviteLifetime)
		if err != nil {
			return err
		}
		return tx.Email(ctx, n.Email, "Undangan ke Bela",
			fmt.Sprintf("Yth. %s,\n\nAnda diundang sebagai %s. Buka tautan berikut dalam %d jam untuk membuat kata sandi:\n%s/kata-sandi/atur?token=%s\n",
				n.Name, market.RoleLabel(g.Role), int(InviteLifetime.Hours()), s.publicURL, inv.Token))
	})
	if err != nil || existing {
		return Invitation{}, err
	}
	inv.User, err = s.GetUser(ctx, userID)
	return inv, err
}

// granterRole picks the role a granter acts in for the audit trail.
func granterRole(p *market.Principal, kind market.ScopeKind) market.Role {
	switch {
	case p.Has(market.RoleAdmin):
		return market.RoleAdmin
	case kind == market.ScopeSeller:
		return market.RoleSellerOwner
	default:
		return market.RoleUnitAdmin
	}
}

// GrantRole gives an existing user a role in a scope. Errors: CodeForbidden, CodeInvalid.
func (s *Store) GrantRole(ctx context.Context, by *market.Principal, userID int64, g Grant) error {
	kind := market.ScopeOf(g.Role)
	if !by.CanGrant(g.Role, kind, g.ScopeID) {
		return market.Forbidden("Anda tidak berwenang memberikan peran ini di lingkup tersebut.")
	}
	return s.inTx(ctx, func(tx *Tx) error {
		_, err := tx.grant(ctx, Actor{UserID: by.UserID, Role: granterRole(by, kind)}, userID, g)
		return err
	})
}

// EndMembership ends a role (history is kept: the row gets an end time). Errors: ErrNotFound,
// CodeForbidden.
func (s *Store) EndMembership(ctx context.Context, by *market.Principal, membershipID int64) error {
	ms, err := s.memberships(ctx, `m.id = $1`, membershipID)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return market.NotFound("Peran")
	}
	m := ms[0]
	if !by.CanGrant(m.Role, m.ScopeKind, m.ScopeID) {
		return market.Forbidden("Anda tidak berwenang mengubah peran ini.")
	}
	return s.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE memberships SET ended_at = $1 WHERE id = $2 AND ended_at = 0`, micros(tx.now), m.ID)
		if err != nil {
			return fmt.Errorf("end membership: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return market.Conflict("Peran ini sudah berakhir.")
		}
		return tx.Audit(ctx, Actor{UserID: by.UserID, Role: granterRole(by, m.ScopeKind)}, "membership.end", "membership", m.ID,
			map[string]market.Change{"user_id": {Before: m.UserID}, "role": {Before: m.Role}, "ended_at": {After: tx.now.Format(time.RFC3339)}})
	})
}

// SetActive activates or deactivates a user (mutasi, retirement). Deactivation revokes every
// session and API token at once; history is kept. A unit admin may do it only for users whose
// active roles are all in their units. Errors: ErrNotFound, CodeForbidden.
func (s *Store) SetActive(ctx context.Context, by *market.Principal, userID int64, active bool) error {
	u, err := s.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	if by != nil && !canManageUser(by, u, s.Now()) {
		return market.Forbidden("Anda tidak berwenang mengelola pengguna ini.")
	}
	if by != nil && by.UserID == userID && !active {
		return market.Conflict("Anda tidak dapat menonaktifkan akun Anda sendiri.")
	}
	actor := System
	if by != nil {
		actor = Actor{UserID: by.UserID, Role: granterRole(by, market.ScopeUnit)}
	}
	return s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE users SET active = $1, updated_at = $2 WHERE id = $3`, active, micros(tx.now), userID); err != nil {
			return fmt.Errorf("set active: %w", err)
		}
		if !active {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
				return fmt.Errorf("revoke sessions: %w", err)
			}
			if _, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at = 0`, micros(tx.now), userID); err != nil {
				return fmt.Errorf("revoke tokens: %w", err)
			}
		}
		action := "user.deactivate"
		if active {
			action = "user.activate"
		}
		return tx.Audit(ctx, actor, action, "user", userID, map[string]market.Change{"active": {Before: u.Active, After: active}})
	})
}

// canManageUser: admins manage everyone; a unit admin manages a user whose active roles are
// all in units they administer; a seller owner manages their seller's staff.
func canManageUser(by *market.Principal, u User, now time.Time) bool {
	if by.Has(market.RoleAdmin) {
		return true
	}
	seen := false
	for _, m := range u.Memberships {
		if !m.ActiveAt(now) {
			continue
		}
		seen = true
		if !by.CanGrant(m.Role, m.ScopeKind, m.ScopeID) {
			return false
		}
	}
	return seen
}

// CanManageUser reports whether by may manage u (see SetActive).
func (s *Store) CanManageUser(by *market.Principal, u User) bool {
	return canManageUser(by, u, s.Now())
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func newToken(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

func (tx *Tx) oneTimeToken(ctx context.Context, userID int64, purpose string, life time.Duration) (string, error) {
	tok := newToken("")
	_, err := tx.exec(ctx, `INSERT INTO one_time_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		hashToken(tok), userID, purpose, micros(tx.now), micros(tx.now.Add(life)))
	if err != nil {
		return "", fmt.Errorf("one-time token: %w", err)
	}
	return tok, nil
}

// RequestPasswordReset e-mails a one-time reset link when an active user has that address. It
// says nothing about whether the address exists: it returns nil either way (unless the
// database fails), and its public trace is the same either way — one
// user.password_reset_requested event by no one, on no object, whose only field is the
// address as a private field (a salted hash in public), so that the transparency log cannot
// be used to test an address or tie it to an account. A string that is not an address records
// nothing. It returns the token only for tests and the CLI.
func (s *Store) RequestPasswordReset(ctx context.Context, email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return "", nil // no account has such an address (see NewUser.validate): nothing to record
	}
	var tok string
	err := s.inTx(ctx, func(tx *Tx) error {
		if err := tx.Audit(ctx, System, "user.password_reset_requested", "user", 0, map[string]market.Change{"email": {After: email}}); err != nil {
			return err
		}
		var id int64
		var name string
		var active bool
		err := tx.queryRow(ctx, `SELECT id, name, active FROM users WHERE email = $1`, email).Scan(&id, &name, &active)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("password reset: %w", err)
		}
		if tok, err = tx.oneTimeToken(ctx, id, "reset", ResetLifetime); err != nil {
			return err
		}
		return tx.Email(ctx, email, "Atur ulang kata sandi Bela",
			fmt.Sprintf("Yth. %s,\n\nBuka tautan berikut dalam %d jam untuk mengatur ulang kata sandi Anda:\n%s/kata-sandi/atur?token=%s\n\nAbaikan e-mail ini bila Anda tidak memintanya.\n",
				name, int(ResetLifetime.Hours()), s.publicURL, tok))
	})
	return tok, err
}

// SetPasswordWithToken sets a password through an invitation or reset link, uses the token up,
// ends the user's other sessions and revokes their API tokens. Errors: CodeInvalid for a bad,
// used or expired token (field "token") or a weak password (field "password").
func (s *Store) SetPasswordWithToken(ctx context.Context, token, password string) (int64, error) {
	if msg := passwordProblem(password); msg != "" {
		return 0, market.Invalid("password", msg)
	}
	hash := HashPassword(password)
	var userID int64
	err := s.inTx(ctx, func(tx *Tx) error {
		var purpose string
		var expires, used int64
		err := tx.queryRow(ctx, `SELECT t.user_id, t.purpose, t.expires_at, t.used_at FROM one_time_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.active = $2`,
			hashToken(token), true).Scan(&userID, &purpose, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) || used != 0 || expires <= micros(tx.now) {
			return market.Invalid("token", "Tautan ini tidak berlaku lagi. Minta tautan baru.")
		}
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		res, err := tx.exec(ctx, `UPDATE one_time_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at = 0`, micros(tx.now), hashToken(token))
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return market.Invalid("token", "Tautan ini tidak berlaku lagi. Minta tautan baru.")
		}
		revoked, err := tx.setPassword(ctx, userID, hash)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, Actor{UserID: userID}, "user.password_set", "user", userID,
			passwordChanges(map[string]market.Change{"via": {After: purpose}}, revoked))
	})
	return userID, err
}

// setPassword sets a user's password hash, ends every session of the user and revokes every
// live API token, since whoever knew the old password may have made one. It returns how many
// tokens it revoked, for the caller's audit event.
func (tx *Tx) setPassword(ctx context.Context, userID int64, hash string) (int64, error) {
	if _, err := tx.exec(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, micros(tx.now), userID); err != nil {
		return 0, fmt.Errorf("set password: %w", err)
	}
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at = 0`, micros(tx.now), userID)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	return n, nil
}

// passwordChanges is the audit event's changes of a password change that revoked n tokens:
// extra, plus api_tokens_revoked when n > 0 (nil when both are empty).
func passwordChanges(extra map[string]market.Change, n int64) map[string]market.Change {
	if n == 0 {
		return extra
	}
	ch := map[string]market.Change{"api_tokens_revoked": {After: n}}
	for k, v := range extra {
		ch[k] = v
	}
	return ch
}

// ChangePassword changes a signed-in user's password after checking the current one; every
// session ends and every API token of the user is revoked. Errors: CodeInvalid (field
// "current" or "password").
func (s *Store) ChangePassword(ctx context.Context, userID int64, current, password string) error {
	var hash string
	if err := s.q(ctx).QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, userID).Scan(&hash); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if !checkPassword(hash, current) {
		return market.Invalid("current", "Kata sandi saat ini salah.")
	}
	if msg := passwordProblem(password); msg != "" {
		return market.Invalid("password", msg)
	}
	newHash := HashPassword(password)
	return s.inTx(ctx, func(tx *Tx) error {
		revoked, err := tx.setPassword(ctx, userID, newHash)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, Actor{UserID: userID}, "user.password_change", "user", userID, passwordChanges(nil, revoked))
	})
}

// Authenticate checks an e-mail and password. Every failure is the same CodeUnauthorized error
// so that it does not reveal which accounts exist.
func (s *Store) Authenticate(ctx context.Context, email, password string) (int64, error) {
	var id int64
	var hash string
	var active bool
	err := s.q(ctx).QueryRowContext(ctx, `SELECT id, password_hash, active FROM users WHERE email = $1`, strings.ToLower(strings.TrimSpace(email))).Scan(&id, &hash, &active)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, unavailable("authenticate", err)
	}
	if err != nil || hash == "" {
		checkPassword(dummyHash(), password)
		return 0, &market.Error{Code: market.CodeUnauthorized, Message: "E-mail atau kata sandi salah."}
	}
	if !checkPassword(hash, password) {
		return 0, &market.Error{Code: market.CodeUnauthorized, Message: "E-mail atau kata sandi salah."}
	}
	if !active {
		return 0, &market.Error{Code: market.CodeUnauthorized, Message: "Akun ini sudah dinonaktifkan."}
	}
	return id, nil
}

// CreateSession starts a session for a user and returns its secret token (stored hashed).
func (s *Store) CreateSession(ctx context.Context, userID int64) (string, error) {
	tok := newToken("")
	err := s.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			hashToken(tok), userID, micros(tx.now), micros(tx.now.Add(SessionLifetime))); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return tx.Audit(ctx, Actor{UserID: userID}, "session.login", "user", userID, nil)
	})
	return tok, err
}

// SessionPrincipal returns the principal of a live session. An unknown, expired or
// deactivated session is CodeUnauthorized.
func (s *Store) SessionPrincipal(ctx context.Context, token string) (*market.Principal, error) {
	var userID, expires int64
	err := s.q(ctx).QueryRowContext(ctx, `SELECT user_id, expires_at FROM sessions WHERE token_hash = $1`, hashToken(token)).Scan(&userID, &expires)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && expires <= micros(s.Now())) {
		return nil, &market.Error{Code: market.CodeUnauthorized, Message: "Sesi Anda telah berakhir. Silakan masuk kembali."}
	}
	if err != nil {
		return nil, unavailable("session", err)
	}
	return s.Principal(ctx, userID)
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.inTx(ctx, func(tx *Tx) error {
		var userID int64
		err := tx.queryRow(ctx, `SELECT user_id FROM sessions WHERE token_hash = $1`, hashToken(token)).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token)); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		return tx.Audit(ctx, Actor{UserID: userID}, "session.logout", "user", userID, nil)
	})
}

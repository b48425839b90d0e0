package market

import (
	"fmt"
	"strings"
	"time"
)

// State is where an order is in its life. The names are stable identifiers stored in the
// database and used in the API.
type State string

// The order states of issue 4 (ordering) and issue 5 (invoice and payment).
const (
	StateAwaitingApproval  State = "awaiting_approval"  // checked out, waiting for the PPK
	StateReturned          State = "returned"           // the PPK sent it back to the buyer with a note
	StateRejected          State = "rejected"           // end: the PPK refused it
	StateApproved          State = "approved"           // the PPK signed the Surat Pesanan
	StateAccepted          State = "accepted"           // the seller took the order on
	StateDeclined          State = "declined"           // end: the seller turned it down
	StateShipped           State = "shipped"            // the seller recorded a shipment
	StatePartiallyReceived State = "partially_received" // a BAST covers part of the goods
	StateReceived          State = "received"           // BASTs cover everything ordered
	StateClosedShort       State = "closed_short"       // the PPK gave up the undelivered rest
	StateCancelled         State = "cancelled"          // end: withdrawn before acceptance
	StateExpired           State = "expired"            // end: no approval or acceptance in time
	StateDisputed          State = "disputed"           // a party opened a dispute; an admin resolves it
	StateInvoiced          State = "invoiced"           // the seller issued an invoice
	StatePaid              State = "paid"               // the treasurer recorded a payment
	StateCompleted         State = "completed"          // end: paid and settled
)

// States lists every state in the order of a typical life (for forms, tests and documentation).
var States = []State{
	StateAwaitingApproval, StateReturned, StateRejected, StateApproved, StateAccepted, StateDeclined,
	StateShipped, StatePartiallyReceived, StateReceived, StateClosedShort, StateCancelled,
	StateExpired, StateDisputed, StateInvoiced, StatePaid, StateCompleted,
}

var stateLabels = map[State]string{
	StateAwaitingApproval:  "menunggu persetujuan PPK",
	StateReturned:          "dikembalikan ke Pejabat Pengadaan",
	StateRejected:          "ditolak PPK",
	StateApproved:          "disetujui PPK",
	StateAccepted:          "diterima penyedia",
	StateDeclined:          "ditolak penyedia",
	StateShipped:           "dikirim",
	StatePartiallyReceived: "diterima sebagian",
	StateReceived:          "diterima lengkap",
	StateClosedShort:       "ditutup dengan kekurangan",
	StateCancelled:         "dibatalkan",
	StateExpired:           "kedaluwarsa",
	StateDisputed:          "dalam sengketa",
	StateInvoiced:          "ditagih",
	StatePaid:              "dibayar",
	StateCompleted:         "selesai",
}

// Label returns the state's name in Bahasa Indonesia, for pages and messages.
func (s State) Label() string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return string(s)
}

// Final reports whether no action leads out of s.
func (s State) Final() bool {
	switch s {
	case StateRejected, StateDeclined, StateCancelled, StateExpired, StateCompleted:
		return true
	}
	return false
}

// Withdrawn reports whether an order in s ended without a purchase: rejected, declined,
// cancelled or expired. Every other order is, or was, a purchase the unit made.
func (s State) Withdrawn() bool {
	switch s {
	case StateRejected, StateDeclined, StateCancelled, StateExpired:
		return true
	}
	return false
}

// ParseState returns the state with the given name, or a CodeInvalid *Error.
func ParseState(s string) (State, error) {
	if _, ok := stateLabels[State(s)]; ok {
		return State(s), nil
	}
	return "", Invalid("state", fmt.Sprintf("status pesanan %q tidak dikenal", s))
}

// Action is something an actor does to an order. The names are stable identifiers stored in the
// audit trail and used in the API (with '-' for '_' in URLs, e.g. close-short).
type Action string

// The order actions.
const (
	ActionApprove        Action = "approve"
	ActionReturn         Action = "return"
	ActionResubmit       Action = "resubmit"
	ActionReject         Action = "reject"
	ActionAccept         Action = "accept"
	ActionDecline        Action = "decline"
	ActionShip           Action = "ship"
	ActionReceive        Action = "receive"
	ActionCloseShort     Action = "close_short"
	ActionCancel         Action = "cancel"
	ActionDispute        Action = "dispute"
	ActionResolveDispute Action = "resolve_dispute"
	ActionExpire         Action = "expire"
	ActionInvoice        Action = "invoice"
	ActionPay            Action = "pay"
	ActionComplete       Action = "complete"
)

// Actions lists every action in a stable order.
var Actions = []Action{
	ActionApprove, ActionReturn, ActionResubmit, ActionReject, ActionAccept, ActionDecline,
	ActionShip, ActionReceive, ActionCloseShort, ActionCancel, ActionDispute, ActionResolveDispute,
	ActionExpire, ActionInvoice, ActionPay, ActionComplete,
}

var actionLabels = map[Action]string{
	ActionApprove:        "menyetujui",
	ActionReturn:         "mengembalikan",
	ActionResubmit:       "mengajukan ulang",
	ActionReject:         "menolak",
	ActionAccept:         "menerima pesanan",
	ActionDecline:        "menolak pesanan",
	ActionShip:           "mencatat pengiriman",
	ActionReceive:        "mencatat penerimaan barang (BAST)",
	ActionCloseShort:     "menutup sisa yang tidak dikirim",
	ActionCancel:         "membatalkan",
	ActionDispute:        "membuka sengketa",
	ActionResolveDispute: "menyelesaikan sengketa",
	ActionExpire:         "menandai kedaluwarsa",
	ActionInvoice:        "menerbitkan tagihan",
	ActionPay:            "mencatat pembayaran",
	ActionComplete:       "menyelesaikan pesanan",
}

// Label returns the action as a Bahasa Indonesia verb phrase, for buttons and messages.
func (a Action) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// ParseAction returns the action with the given name; '-' is read as '_' so that URL segments
// like "close-short" work. Unknown names give a CodeInvalid *Error.
func ParseAction(s string) (Action, error) {
	a := Action(strings.ReplaceAll(s, "-", "_"))
	if _, ok := actionLabels[a]; ok {
		return a, nil
	}
	return "", Invalid("action", fmt.Sprintf("tindakan %q tidak dikenal", s))
}

// RoleSystem is the role in which background jobs act (expiry, automatic completion). It is not
// in Roles, so no user can hold it.
const RoleSystem Role = "system"

// Movement is what an action does to the stock or the budget held for an order.
type Movement string

// The movements. The store applies them with conditional UPDATEs in the action's transaction.
const (
	MoveNone        Movement = ""             // nothing changes
	MoveReserve     Movement = "reserve"      // hold the order's amount (checkout)
	MoveAdjust      Movement = "adjust"       // re-hold for the edited lines: release the old, reserve the new
	MoveCommit      Movement = "commit"       // budget: move the reservation to committed
	MoveRelease     Movement = "release"      // give back everything still held (reserved or committed)
	MoveReleaseRest Movement = "release_rest" // give back what is held for the undelivered or unpaid rest
	MoveSpend       Movement = "spend"        // budget: move the paid amount from committed to spent
)

// Effect is what an action does to the order's stock and budget, as data for the store.
type Effect struct {
	Stock  Movement `json:"stock,omitempty"`
	Budget Movement `json:"budget,omitempty"`
}

// CheckoutEffect is the effect of creating an order: its stock and budget are reserved.
var CheckoutEffect = Effect{Stock: MoveReserve, Budget: MoveReserve}

// TransitionRule is one row of the order state machine: who may take Action from which states,
// where it leads and what it does to stock and budget.
type TransitionRule struct {
	Action Action
	Roles  []Role
	From   []State
	// To is the next state; empty when it is computed from the facts (receive goes to
	// partially_received or received; resolve_dispute back to the state before the dispute).
	To     State
	Effect Effect
	// NeedsReason says the actor must give a reason (shown in the order's history).
	NeedsReason bool
}

var orderSellerRoles = []Role{RoleSellerOwner, RoleSellerStaff}

// disputableStates are the states from which a party may open a dispute: from the seller's acceptance
// until payment.
var disputableStates = []State{
	StateAccepted, StateShipped, StatePartiallyReceived, StateReceived, StateClosedShort,
	StateInvoiced, StatePaid,
}

// TransitionRules is the order state machine of issues 4 and 5. An action may have several rows
// when different roles may take it from different states (cancel).
var TransitionRules = []TransitionRule{
	{Action: ActionApprove, Roles: []Role{RoleApprover}, From: []State{StateAwaitingApproval}, To: StateApproved,
		Effect: Effect{Budget: MoveCommit}},
	{Action: ActionReturn, Roles: []Role{RoleApprover}, From: []State{StateAwaitingApproval}, To: StateReturned,
		NeedsReason: true},
	{Action: ActionResubmit, Roles: []Role{RoleBuyer}, From: []State{StateReturned}, To: StateAwaitingApproval,
		Effect: Effect{Stock: MoveAdjust, Budget: MoveAdjust}},
	{Action: ActionReject, Roles: []Role{RoleApprover}, From: []State{StateAwaitingApproval, StateReturned}, To: StateRejected,
		Effect: Effect{Stock: MoveRelease, Budget: MoveRelease}, NeedsReason: true},
	{Action: ActionAccept, Roles: orderSellerRoles, From: []State{StateApproved}, To: StateAccepted},
	{Action: ActionDecline, Roles: orderSellerRoles, From: []State{StateApproved}, To: StateDeclined,
		Effect: Effect{Stock: MoveRelease, Budget: MoveRelease}, NeedsReason: true},
	{Action: ActionShip, Roles: orderSellerRoles, From: []State{StateAccepted, StateShipped, StatePartiallyReceived}, To: StateShipped},
	{Action: ActionReceive, Roles: []Role{RoleReceiver, RoleApprover}, From: []State{StateShipped, StatePartiallyReceived}},
	{Action: ActionCloseShort, Roles: []Role{RoleApprover}, From: []State{StateAccepted, StateShipped, StatePartiallyReceived}, To: StateClosedShort,
		Effect: Effect{Stock: MoveReleaseRest, Budget: MoveReleaseRest}, NeedsReason: true},
	{Action: ActionCancel, Roles: []Role{RoleBuyer}, From: []State{StateAwaitingApproval, StateReturned}, To: StateCancelled,
		Effect: Effect{Stock: MoveRelease, Budget: MoveRelease}, NeedsReason: true},
	{Action: ActionCancel, Roles: []Role{RoleApprover}, From: []State{StateAwaitingApproval, StateReturned, StateApproved}, To: StateCancelled,
		Effect: Effect{Stock: MoveRelease, Budget: MoveRelease}, NeedsReason: true},
	{Action: ActionDispute, Roles: append([]Role{RoleBuyer}, orderSellerRoles...), From: disputableStates, To: StateDisputed,
		NeedsReason: true},
	{Action: ActionResolveDispute, Roles: []Role{RoleAdmin}, From: []State{StateDisputed}, NeedsReason: true},
	{Action: ActionExpire, Roles: []Role{RoleSystem}, From: []State{StateAwaitingApproval, StateReturned, StateApproved}, To: StateExpired,
		Effect: Effect{Stock: MoveRelease, Budget: MoveRelease}},
	{Action: ActionInvoice, Roles: orderSellerRoles, From: []State{StateReceived, StateClosedShort}, To: StateInvoiced},
	{Action: ActionPay, Roles: []Role{RoleTreasurer}, From: []State{StateInvoiced, StatePaid}, To: StatePaid,
		Effect: Effect{Budget: MoveSpend}},
	{Action: ActionComplete, Roles: []Role{RoleSystem, RoleTreasurer}, From: []State{StatePaid}, To: StateCompleted,
		Effect: Effect{Budget: MoveReleaseRest}},
}

// LineQuantity is one order line's ordered quantity and the quantity received so far, including
// the receipt being recorded.
type LineQuantity struct {
	Ordered  int64 `json:"ordered"`
	Received int64 `json:"received"`
}

// TransitionFacts are what Transition needs to know beyond the state and the action, loaded by
// the caller.
type TransitionFacts struct {
	// Role is the role the actor acts in (RoleSystem for background jobs). Whether the actor is
	// this order's buyer, PPK, receiver or seller is the caller's object-level check.
	Role Role
	// Reason is the actor's note; required where the rule says NeedsReason.
	Reason string
	// Lines are the quantities per line: after the receipt being recorded (receive), as they
	// stand (invoice).
	Lines []LineQuantity
	// DisputedFrom is the state the order was in when the dispute was opened (resolve_dispute).
	DisputedFrom State
	// Now and Deadline: expire is refused before the deadline (see ExpiryDeadline).
	Now      time.Time
	Deadline time.Time
	// PaidInFull says the payments cover the invoiced net amount (complete).
	PaidInFull bool
}

// Transition returns the state an order in state s reaches by action a, and the effect on stock
// and budget. It returns a CodeInvalid *Error for an unknown action, a missing reason or
// impossible quantities, a CodeForbidden *Error when the role may not take the action, and a
// CodeConflict *Error when the action is not possible in s (or not yet: expiry before the
// deadline, completion before full payment). Messages are in Bahasa Indonesia.
func Transition(s State, a Action, f TransitionFacts) (State, Effect, error) {
	if _, ok := actionLabels[a]; !ok {
		return "", Effect{}, Invalid("action", fmt.Sprintf("tindakan %q tidak dikenal", a))
	}
	if _, ok := stateLabels[s]; !ok {
		return "", Effect{}, Invalid("state", fmt.Sprintf("status pesanan %q tidak dikenal", s))
	}
	var rule *TransitionRule
	fromOK, roleOK := false, false
	for i := range TransitionRules {
		r := &TransitionRules[i]
		if r.Action != a {
			continue
		}
		inFrom, inRoles := contains(r.From, s), contains(r.Roles, f.Role)
		fromOK = fromOK || inFrom
		roleOK = roleOK || inRoles
		if inFrom && inRoles {
			rule = r
			break
		}
	}
	switch {
	case rule == nil && !fromOK:
		return "", Effect{}, Conflict(fmt.Sprintf("Pesanan berstatus %s; tidak dapat %s.", s.Label(), a.Label()))
	case rule == nil:
		if roleOK { // the role may, but not from this state (cancel by the buyer after approval)
			return "", Effect{}, Conflict(fmt.Sprintf("Pesanan berstatus %s; peran Anda tidak dapat %s pada status ini.", s.Label(), a.Label()))
		}
		return "", Effect{}, Forbidden(fmt.Sprintf("Peran Anda tidak berwenang untuk tindakan ini (%s).", a.Label()))
	}
	if rule.NeedsReason && strings.TrimSpace(f.Reason) == "" {
		return "", Effect{}, Invalid("reason", fmt.Sprintf("Alasan wajib diisi (%s).", a.Label()))
	}
	next := rule.To
	switch a {
	case ActionReceive:
		var err error
		if next, err = receivedState(f.Lines); err != nil {
			return "", Effect{}, err
		}
	case ActionResolveDispute:
		if !contains(disputableStates, f.DisputedFrom) {
			return "", Effect{}, Invalid("disputed_from", fmt.Sprintf("Status sebelum sengketa (%q) tidak valid.", f.DisputedFrom))
		}
		next = f.DisputedFrom
	case ActionExpire:
		if f.Deadline.IsZero() || f.Now.Before(f.Deadline) {
			return "", Effect{}, Conflict("Batas waktu pesanan belum lewat; pesanan belum kedaluwarsa.")
		}
	case ActionComplete:
		if !f.PaidInFull {
			return "", Effect{}, Conflict("Pesanan belum dibayar lunas; belum dapat diselesaikan.")
		}
	case ActionInvoice:
		if err := NothingToInvoice(s, f.Lines); err != nil {
			return "", Effect{}, err
		}
	}
	return next, rule.Effect, nil
}

// NothingToInvoice returns a CodeConflict *Error when an order in state s whose lines stand at
// lines is closed short with nothing received, and nil otherwise. Such an order is settled: the
// PPK gave up goods the seller never delivered, its stock and budget went back in full, and
// there is nothing to invoice or pay, so it waits for nobody (a party that disagrees may still
// open a dispute).
func NothingToInvoice(s State, lines []LineQuantity) error {
	if s != StateClosedShort {
		return nil
	}
	for _, l := range lines {
		if l.Received > 0 {
			return nil
		}
	}
	return Conflict("Pesanan ditutup tanpa ada barang yang diterima, sehingga tidak ada yang dapat ditagih.")
}

// receivedState returns received when every line is received in full, partially_received when
// some goods are received, and an error when nothing is or a line is over-received.
func receivedState(lines []LineQuantity) (State, error) {
	if len(lines) == 0 {
		return "", Invalid("lines", "Jumlah barang yang diterima per baris wajib diisi.")
	}
	all, some := true, false
	for i, l := range lines {
		if l.Ordered <= 0 || l.Received < 0 {
			return "", Invalid("lines", fmt.Sprintf("Baris %d: jumlah dipesan dan diterima tidak valid.", i+1))
		}
		if l.Received > l.Ordered {
			return "", Invalid("lines", fmt.Sprintf("Baris %d: jumlah diterima (%d) melebihi jumlah dipesan (%d).", i+1, l.Received, l.Ordered))
		}
		all = all && l.Received == l.Ordered
		some = some || l.Received > 0
	}
	switch {
	case all:
		return StateReceived, nil
	case some:
		return StatePartiallyReceived, nil
	}
	return "", Invalid("lines", "Belum ada barang yang diterima; isi jumlah yang diterima.")
}

// AllowedActions returns the actions role may take on an order in state s, in the order of
// Actions (for showing buttons). Expiry and the computed preconditions are not considered.
func AllowedActions(s State, role Role) []Action {
	var out []Action
	for _, a := range Actions {
		for _, r := range TransitionRules {
			if r.Action == a && contains(r.From, s) && contains(r.Roles, role) {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// ExpiryDeadline returns when an order that entered state s at since expires under p: the
// approval timeout for awaiting_approval and returned, the acceptance timeout for approved. ok
// is false for states that do not expire.
func ExpiryDeadline(p Policy, s State, since time.Time) (deadline time.Time, ok bool) {
	switch s {
	case StateAwaitingApproval, StateReturned:
		return since.Add(durationDays(p.ApprovalTimeoutDays)), true
	case StateApproved:
		return since.Add(durationDays(p.AcceptanceTimeoutDays)), true
	}
	return time.Time{}, false
}

// SuratPesananNumber formats the number of a Surat Pesanan (the order letter the PPK signs) as
// SP/{unit code}/{year}/{seq:05d}, e.g. SP/DISKOMINFO/2025/00042. The sequence counts the unit's
// approved orders per fiscal year from 1, so numbers are unique per unit and year; past 99999 it
// simply grows wider. The unit code is the unit's short upper-case code (letters, digits, '-'
// and '.'). It returns a CodeInvalid *Error for a bad code, year or sequence.
func SuratPesananNumber(unitCode string, year, seq int) (string, error) {
	if unitCode == "" || len(unitCode) > 30 {
		return "", Invalid("unit_code", "Kode unit kerja wajib diisi, paling banyak 30 karakter.")
	}
	for _, c := range unitCode {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '-' && c != '.' {
			return "", Invalid("unit_code", "Kode unit kerja hanya berisi huruf besar, angka, '-' dan '.'.")
		}
	}
	if year < 2000 || year > 2100 {
		return "", Invalid("year", "Tahun Surat Pesanan harus antara 2000 dan 2100.")
	}
	if seq < 1 {
		return "", Invalid("seq", "Nomor urut Surat Pesanan dimulai dari 1.")
	}
	return fmt.Sprintf("SP/%s/%d/%05d", unitCode, year, seq), nil
}

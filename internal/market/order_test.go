package market

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// allowedMove is one row of the issue's table, written here independently of TransitionRules.
type allowedMove struct {
	from   []State
	action Action
	roles  []Role
	to     State
	effect Effect
}

var (
	orderTestSeller  = []Role{RoleSellerOwner, RoleSellerStaff}
	orderTestRelease = Effect{Stock: MoveRelease, Budget: MoveRelease}
)

var issueTable = []allowedMove{
	{[]State{StateAwaitingApproval}, ActionApprove, []Role{RoleApprover}, StateApproved, Effect{Budget: MoveCommit}},
	{[]State{StateAwaitingApproval}, ActionReturn, []Role{RoleApprover}, StateReturned, Effect{}},
	{[]State{StateReturned}, ActionResubmit, []Role{RoleBuyer}, StateAwaitingApproval, Effect{Stock: MoveAdjust, Budget: MoveAdjust}},
	{[]State{StateAwaitingApproval, StateReturned}, ActionReject, []Role{RoleApprover}, StateRejected, orderTestRelease},
	{[]State{StateApproved}, ActionAccept, orderTestSeller, StateAccepted, Effect{}},
	{[]State{StateApproved}, ActionDecline, orderTestSeller, StateDeclined, orderTestRelease},
	{[]State{StateAccepted, StateShipped, StatePartiallyReceived}, ActionShip, orderTestSeller, StateShipped, Effect{}},
	// The facts below receive everything, so receive leads to received.
	{[]State{StateShipped, StatePartiallyReceived}, ActionReceive, []Role{RoleReceiver, RoleApprover}, StateReceived, Effect{}},
	{[]State{StateAccepted, StateShipped, StatePartiallyReceived}, ActionCloseShort, []Role{RoleApprover}, StateClosedShort,
		Effect{Stock: MoveReleaseRest, Budget: MoveReleaseRest}},
	{[]State{StateAwaitingApproval, StateReturned}, ActionCancel, []Role{RoleBuyer, RoleApprover}, StateCancelled, orderTestRelease},
	{[]State{StateApproved}, ActionCancel, []Role{RoleApprover}, StateCancelled, orderTestRelease},
	{[]State{StateAccepted, StateShipped, StatePartiallyReceived, StateReceived, StateClosedShort, StateInvoiced, StatePaid},
		ActionDispute, []Role{RoleBuyer, RoleSellerOwner, RoleSellerStaff}, StateDisputed, Effect{}},
	// The facts below record that the dispute was opened in shipped.
	{[]State{StateDisputed}, ActionResolveDispute, []Role{RoleAdmin}, StateShipped, Effect{}},
	{[]State{StateAwaitingApproval, StateReturned, StateApproved}, ActionExpire, []Role{RoleSystem}, StateExpired, orderTestRelease},
	{[]State{StateReceived, StateClosedShort}, ActionInvoice, orderTestSeller, StateInvoiced, Effect{}},
	{[]State{StateInvoiced, StatePaid}, ActionPay, []Role{RoleTreasurer}, StatePaid, Effect{Budget: MoveSpend}},
	{[]State{StatePaid}, ActionComplete, []Role{RoleSystem, RoleTreasurer}, StateCompleted, Effect{Budget: MoveReleaseRest}},
}

// TestTransitionEveryPair tries every action on every state in every role (and the system).
func TestTransitionEveryPair(t *testing.T) {
	now := time.Date(2025, 5, 10, 9, 0, 0, 0, time.UTC)
	facts := TransitionFacts{
		Reason:       "alasan tertulis",
		Lines:        []LineQuantity{{Ordered: 3, Received: 3}, {Ordered: 1, Received: 1}},
		DisputedFrom: StateShipped,
		Now:          now,
		Deadline:     now,
		PaidInFull:   true,
	}
	type key struct {
		s State
		a Action
		r Role
	}
	want := map[key]allowedMove{}
	roleMay := map[Action]map[Role]bool{} // role may take the action from some state
	stateHas := map[State]map[Action]bool{}
	for _, m := range issueTable {
		for _, s := range m.from {
			for _, r := range m.roles {
				want[key{s, m.action, r}] = m
				if roleMay[m.action] == nil {
					roleMay[m.action] = map[Role]bool{}
				}
				roleMay[m.action][r] = true
			}
			if stateHas[s] == nil {
				stateHas[s] = map[Action]bool{}
			}
			stateHas[s][m.action] = true
		}
	}
	roles := append(append([]Role(nil), Roles...), RoleSystem, "")
	for _, s := range States {
		for _, a := range Actions {
			for _, r := range roles {
				name := fmt.Sprintf("%s/%s/%s", s, a, r)
				f := facts
				f.Role = r
				next, eff, err := Transition(s, a, f)
				m, ok := want[key{s, a, r}]
				if ok {
					if err != nil {
						t.Errorf("%s: refused: %v", name, err)
						continue
					}
					if next != m.to || eff != m.effect {
						t.Errorf("%s = %s %+v, want %s %+v", name, next, eff, m.to, m.effect)
					}
					continue
				}
				wantCode := CodeConflict
				if stateHas[s][a] && !roleMay[a][r] {
					wantCode = CodeForbidden
				}
				if err == nil {
					t.Errorf("%s: allowed (→ %s), want refused", name, next)
				} else if got := ErrorCode(err); got != wantCode {
					t.Errorf("%s: error %v has code %s, want %s", name, err, got, wantCode)
				}
			}
		}
	}
	for _, s := range States {
		leaves := false
		for _, r := range roles {
			if len(AllowedActions(s, r)) > 0 {
				leaves = true
			}
		}
		if leaves == s.Final() {
			t.Errorf("state %s: Final() = %v but has actions = %v", s, s.Final(), leaves)
		}
	}
}

func TestTransitionFacts(t *testing.T) {
	now := time.Date(2025, 5, 10, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		state    State
		action   Action
		facts    TransitionFacts
		want     State
		wantCode Code
	}{
		{name: "partial receipt", state: StateShipped, action: ActionReceive,
			facts: TransitionFacts{Role: RoleReceiver, Lines: []LineQuantity{{Ordered: 10, Received: 4}, {Ordered: 2, Received: 2}}},
			want:  StatePartiallyReceived},
		{name: "one line not yet delivered", state: StateShipped, action: ActionReceive,
			facts: TransitionFacts{Role: RoleApprover, Lines: []LineQuantity{{Ordered: 10, Received: 0}, {Ordered: 2, Received: 2}}},
			want:  StatePartiallyReceived},
		{name: "rest received", state: StatePartiallyReceived, action: ActionReceive,
			facts: TransitionFacts{Role: RoleReceiver, Lines: []LineQuantity{{Ordered: 10, Received: 10}, {Ordered: 2, Received: 2}}},
			want:  StateReceived},
		{name: "nothing received", state: StateShipped, action: ActionReceive,
			facts:    TransitionFacts{Role: RoleReceiver, Lines: []LineQuantity{{Ordered: 10, Received: 0}}},
			wantCode: CodeInvalid},
		{name: "over-received", state: StateShipped, action: ActionReceive,
			facts:    TransitionFacts{Role: RoleReceiver, Lines: []LineQuantity{{Ordered: 10, Received: 11}}},
			wantCode: CodeInvalid},
		{name: "negative received", state: StateShipped, action: ActionReceive,
			facts:    TransitionFacts{Role: RoleReceiver, Lines: []LineQuantity{{Ordered: 10, Received: -1}, {Ordered: 1, Received: 1}}},
			wantCode: CodeInvalid},
		{name: "no lines", state: StateShipped, action: ActionReceive,
			facts: TransitionFacts{Role: RoleReceiver}, wantCode: CodeInvalid},
		{name: "reject without reason", state: StateAwaitingApproval, action: ActionReject,
			facts: TransitionFacts{Role: RoleApprover, Reason: "  "}, wantCode: CodeInvalid},
		{name: "approve needs no reason", state: StateAwaitingApproval, action: ActionApprove,
			facts: TransitionFacts{Role: RoleApprover}, want: StateApproved},
		{name: "expire before the deadline", state: StateApproved, action: ActionExpire,
			facts:    TransitionFacts{Role: RoleSystem, Now: now, Deadline: now.Add(time.Second)},
			wantCode: CodeConflict},
		{name: "expire without a deadline", state: StateApproved, action: ActionExpire,
			facts: TransitionFacts{Role: RoleSystem, Now: now}, wantCode: CodeConflict},
		{name: "expire after the deadline", state: StateReturned, action: ActionExpire,
			facts: TransitionFacts{Role: RoleSystem, Now: now, Deadline: now.Add(-time.Hour)}, want: StateExpired},
		{name: "complete before full payment", state: StatePaid, action: ActionComplete,
			facts: TransitionFacts{Role: RoleSystem}, wantCode: CodeConflict},
		{name: "invoice what was received before closing short", state: StateClosedShort, action: ActionInvoice,
			facts: TransitionFacts{Role: RoleSellerOwner, Lines: []LineQuantity{{Ordered: 10, Received: 0}, {Ordered: 2, Received: 1}}},
			want:  StateInvoiced},
		{name: "nothing to invoice when closed short with nothing received", state: StateClosedShort, action: ActionInvoice,
			facts:    TransitionFacts{Role: RoleSellerStaff, Lines: []LineQuantity{{Ordered: 10, Received: 0}, {Ordered: 2, Received: 0}}},
			wantCode: CodeConflict},
		{name: "invoice a received order", state: StateReceived, action: ActionInvoice,
			facts: TransitionFacts{Role: RoleSellerOwner, Lines: []LineQuantity{{Ordered: 10, Received: 10}}},
			want:  StateInvoiced},
		{name: "resolve back to received", state: StateDisputed, action: ActionResolveDispute,
			facts: TransitionFacts{Role: RoleAdmin, Reason: "barang sudah diganti", DisputedFrom: StateReceived},
			want:  StateReceived},
		{name: "resolve to an unknown state", state: StateDisputed, action: ActionResolveDispute,
			facts:    TransitionFacts{Role: RoleAdmin, Reason: "x", DisputedFrom: StateAwaitingApproval},
			wantCode: CodeInvalid},
		{name: "buyer cancels after approval", state: StateApproved, action: ActionCancel,
			facts: TransitionFacts{Role: RoleBuyer, Reason: "x"}, wantCode: CodeConflict},
		{name: "unknown action", state: StateApproved, action: "teleport",
			facts: TransitionFacts{Role: RoleAdmin}, wantCode: CodeInvalid},
		{name: "unknown state", state: "lost", action: ActionApprove,
			facts: TransitionFacts{Role: RoleApprover}, wantCode: CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := Transition(tt.state, tt.action, tt.facts)
			if code := ErrorCode(err); code != tt.wantCode {
				t.Fatalf("Transition() error = %v (code %q), want code %q", err, code, tt.wantCode)
			}
			if got != tt.want {
				t.Errorf("Transition() = %q, want %q", got, tt.want)
			}
			var e *Error
			if err != nil && (!errors.As(err, &e) || e.Message == "") {
				t.Errorf("error %v has no user message", err)
			}
		})
	}
}

func TestAllowedActions(t *testing.T) {
	tests := []struct {
		name  string
		state State
		role  Role
		want  []Action
	}{
		{name: "PPK on a new order", state: StateAwaitingApproval, role: RoleApprover,
			want: []Action{ActionApprove, ActionReturn, ActionReject, ActionCancel}},
		{name: "buyer on a returned order", state: StateReturned, role: RoleBuyer, want: []Action{ActionResubmit, ActionCancel}},
		{name: "seller on an approved order", state: StateApproved, role: RoleSellerStaff, want: []Action{ActionAccept, ActionDecline}},
		{name: "receiver on a shipped order", state: StateShipped, role: RoleReceiver, want: []Action{ActionReceive}},
		{name: "auditor reads only", state: StateShipped, role: RoleAuditor},
		{name: "nothing after completion", state: StateCompleted, role: RoleAdmin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, AllowedActions(tt.state, tt.role)); diff != "" {
				t.Errorf("AllowedActions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExpiryDeadline(t *testing.T) {
	since := time.Date(2025, 1, 30, 8, 0, 0, 0, time.UTC)
	p := DefaultPolicy()
	tests := []struct {
		name   string
		state  State
		want   time.Time
		wantOK bool
	}{
		{name: "awaiting approval", state: StateAwaitingApproval, want: since.AddDate(0, 0, 7), wantOK: true},
		{name: "returned", state: StateReturned, want: since.AddDate(0, 0, 7), wantOK: true},
		{name: "approved", state: StateApproved, want: since.AddDate(0, 0, 3), wantOK: true},
		{name: "accepted", state: StateAccepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ExpiryDeadline(p, tt.state, since)
			if !got.Equal(tt.want) || ok != tt.wantOK {
				t.Errorf("ExpiryDeadline = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestParseStateAndAction(t *testing.T) {
	for _, s := range States {
		if got, err := ParseState(string(s)); err != nil || got != s {
			t.Errorf("ParseState(%q) = %q, %v", s, got, err)
		}
		if s.Label() == string(s) {
			t.Errorf("state %s has no label", s)
		}
	}
	for _, a := range Actions {
		if got, err := ParseAction(string(a)); err != nil || got != a {
			t.Errorf("ParseAction(%q) = %q, %v", a, got, err)
		}
		if a.Label() == string(a) {
			t.Errorf("action %s has no label", a)
		}
	}
	if got, err := ParseAction("close-short"); err != nil || got != ActionCloseShort {
		t.Errorf("ParseAction(close-short) = %q, %v", got, err)
	}
	if _, err := ParseAction("fly"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseAction(fly) error = %v, want ErrInvalid", err)
	}
	if _, err := ParseState("lost"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseState(lost) error = %v, want ErrInvalid", err)
	}
}

func TestSuratPesananNumber(t *testing.T) {
	tests := []struct {
		name     string
		unit     string
		year     int
		seq      int
		want     string
		wantCode Code
	}{
		{name: "typical", unit: "DISKOMINFO", year: 2025, seq: 42, want: "SP/DISKOMINFO/2025/00042"},
		{name: "code with dot and dash", unit: "1.02-DINKES", year: 2026, seq: 1, want: "SP/1.02-DINKES/2026/00001"},
		{name: "wider than five digits", unit: "BPKAD", year: 2025, seq: 123456, want: "SP/BPKAD/2025/123456"},
		{name: "slash in code", unit: "DIS/KES", year: 2025, seq: 1, wantCode: CodeInvalid},
		{name: "lower case", unit: "dinkes", year: 2025, seq: 1, wantCode: CodeInvalid},
		{name: "empty code", unit: "", year: 2025, seq: 1, wantCode: CodeInvalid},
		{name: "zero sequence", unit: "DINKES", year: 2025, seq: 0, wantCode: CodeInvalid},
		{name: "bad year", unit: "DINKES", year: 25, seq: 1, wantCode: CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SuratPesananNumber(tt.unit, tt.year, tt.seq)
			if code := ErrorCode(err); code != tt.wantCode {
				t.Fatalf("error = %v, want code %q", err, tt.wantCode)
			}
			if got != tt.want {
				t.Errorf("SuratPesananNumber = %q, want %q", got, tt.want)
			}
		})
	}
}

// An order closed short with nothing received has nothing to invoice; any other order, or one
// closed short after some goods came, is not refused for that.
func TestNothingToInvoice(t *testing.T) {
	none := []LineQuantity{{Ordered: 5, Received: 0}, {Ordered: 1, Received: 0}}
	some := []LineQuantity{{Ordered: 5, Received: 0}, {Ordered: 1, Received: 1}}
	for _, s := range States {
		for _, c := range []struct {
			name  string
			lines []LineQuantity
		}{{"none", none}, {"some", some}, {"no lines", nil}} {
			err := NothingToInvoice(s, c.lines)
			wantRefused := s == StateClosedShort && c.name != "some"
			if got := err != nil; got != wantRefused {
				t.Errorf("%s with %s received: refused = %v, want %v", s, c.name, got, wantRefused)
			}
			if err != nil && ErrorCode(err) != CodeConflict {
				t.Errorf("%s: error %v is not a conflict", s, err)
			}
		}
	}
}

func TestWithdrawnStates(t *testing.T) {
	withdrawn := map[State]bool{StateRejected: true, StateDeclined: true, StateCancelled: true, StateExpired: true}
	for _, s := range States {
		if got := s.Withdrawn(); got != withdrawn[s] {
			t.Errorf("%s.Withdrawn() = %v, want %v", s, got, withdrawn[s])
		}
		if s.Withdrawn() && !s.Final() {
			t.Errorf("%s is withdrawn but not final", s)
		}
	}
}

package market

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNegotiationApply(t *testing.T) {
	req := func(p Rupiah) NegotiationMove { return NegotiationMove{Kind: MoveRequest, By: RoleBuyer, Price: p} }
	counter := func(p Rupiah) NegotiationMove {
		return NegotiationMove{Kind: MoveCounter, By: RoleSellerOwner, Price: p}
	}
	buyerAccepts := NegotiationMove{Kind: MoveAccept, By: RoleBuyer}
	sellerAccepts := NegotiationMove{Kind: MoveAccept, By: RoleSellerStaff}
	withdraw := NegotiationMove{Kind: MoveWithdraw, By: RoleBuyer}
	tests := []struct {
		name       string
		moves      []NegotiationMove
		wantCode   Code // of the last move; earlier moves must succeed
		wantStatus NegotiationStatus
		wantPrice  Rupiah // agreed price, 0 when none
	}{
		{name: "seller accepts the request", moves: []NegotiationMove{req(90_000), sellerAccepts},
			wantStatus: NegotiationAgreed, wantPrice: 90_000},
		{name: "buyer accepts the counter", moves: []NegotiationMove{req(80_000), counter(92_000), buyerAccepts},
			wantStatus: NegotiationAgreed, wantPrice: 92_000},
		{name: "asks again below the counter", moves: []NegotiationMove{req(80_000), counter(95_000), req(88_000), counter(90_000), buyerAccepts},
			wantStatus: NegotiationAgreed, wantPrice: 90_000},
		{name: "open after a request", moves: []NegotiationMove{req(80_000)}, wantStatus: NegotiationOpen},
		{name: "withdrawn", moves: []NegotiationMove{req(80_000), counter(100_000), withdraw}, wantStatus: NegotiationWithdrawn},
		{name: "must open with a request", moves: []NegotiationMove{counter(90_000)}, wantCode: CodeConflict, wantStatus: NegotiationOpen},
		{name: "request at list price", moves: []NegotiationMove{req(100_000)}, wantCode: CodeInvalid, wantStatus: NegotiationOpen},
		{name: "request of zero", moves: []NegotiationMove{req(0)}, wantCode: CodeInvalid, wantStatus: NegotiationOpen},
		{name: "seller cannot request", moves: []NegotiationMove{{Kind: MoveRequest, By: RoleSellerOwner, Price: 1}},
			wantCode: CodeForbidden, wantStatus: NegotiationOpen},
		{name: "PPK is no party", moves: []NegotiationMove{{Kind: MoveRequest, By: RoleApprover, Price: 1}},
			wantCode: CodeForbidden, wantStatus: NegotiationOpen},
		{name: "buyer cannot answer itself", moves: []NegotiationMove{req(80_000), buyerAccepts},
			wantCode: CodeConflict, wantStatus: NegotiationOpen},
		{name: "counter above list price", moves: []NegotiationMove{req(80_000), counter(100_001)},
			wantCode: CodeInvalid, wantStatus: NegotiationOpen},
		{name: "counter at list price is a refusal", moves: []NegotiationMove{req(80_000), counter(100_000)},
			wantStatus: NegotiationOpen},
		{name: "counter at the request", moves: []NegotiationMove{req(80_000), counter(80_000)},
			wantCode: CodeInvalid, wantStatus: NegotiationOpen},
		{name: "second counter must go down", moves: []NegotiationMove{req(80_000), counter(95_000), req(85_000), counter(96_000)},
			wantCode: CodeInvalid, wantStatus: NegotiationOpen},
		{name: "new request above the counter", moves: []NegotiationMove{req(80_000), counter(95_000), req(95_000)},
			wantCode: CodeInvalid, wantStatus: NegotiationOpen},
		{name: "accept with another price", moves: []NegotiationMove{req(80_000), {Kind: MoveAccept, By: RoleSellerOwner, Price: 85_000}},
			wantCode: CodeInvalid, wantStatus: NegotiationOpen},
		{name: "seller cannot withdraw", moves: []NegotiationMove{req(80_000), {Kind: MoveWithdraw, By: RoleSellerOwner}},
			wantCode: CodeForbidden, wantStatus: NegotiationOpen},
		{name: "nothing after agreement", moves: []NegotiationMove{req(90_000), sellerAccepts, req(80_000)},
			wantCode: CodeConflict, wantStatus: NegotiationAgreed, wantPrice: 90_000},
		{name: "unknown kind", moves: []NegotiationMove{req(90_000), {Kind: "haggle", By: RoleSellerOwner}},
			wantCode: CodeInvalid, wantStatus: NegotiationOpen},
		// An unknown move is an input error before any check of turn or state.
		{name: "unknown kind first", moves: []NegotiationMove{{Kind: "bogus", By: RoleBuyer, Price: 1}},
			wantCode: CodeInvalid, wantStatus: NegotiationOpen},
		{name: "unknown kind after agreement", moves: []NegotiationMove{req(90_000), sellerAccepts, {Kind: "bogus", By: RoleBuyer}},
			wantCode: CodeInvalid, wantStatus: NegotiationAgreed, wantPrice: 90_000},
		{name: "unknown kind out of turn", moves: []NegotiationMove{req(90_000), {Kind: "bogus", By: RoleBuyer}},
			wantCode: CodeInvalid, wantStatus: NegotiationOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := Negotiation{Line: 0, ListPrice: 100_000}
			for i, m := range tt.moves {
				next, err := n.Apply(m)
				if i < len(tt.moves)-1 {
					if err != nil {
						t.Fatalf("move %d: %v", i, err)
					}
					n = next
					continue
				}
				if code := ErrorCode(err); code != tt.wantCode {
					t.Fatalf("last move: error %v, want code %q", err, tt.wantCode)
				}
				if err == nil {
					n = next
				} else if len(next.Moves) != len(n.Moves) {
					t.Errorf("refused move changed the negotiation")
				}
			}
			if got := n.Status(); got != tt.wantStatus {
				t.Errorf("Status() = %s, want %s", got, tt.wantStatus)
			}
			got, ok := n.AgreedPrice()
			if got != tt.wantPrice || ok != (tt.wantPrice != 0) {
				t.Errorf("AgreedPrice() = %v, %v; want %v", got, ok, tt.wantPrice)
			}
		})
	}
}

func TestNegotiationApplyKeepsOriginal(t *testing.T) {
	n := Negotiation{ListPrice: 100, Moves: make([]NegotiationMove, 1, 4)}
	n.Moves[0] = NegotiationMove{Kind: MoveRequest, By: RoleBuyer, Price: 50}
	a, err := n.Apply(NegotiationMove{Kind: MoveCounter, By: RoleSellerOwner, Price: 70})
	if err != nil {
		t.Fatal(err)
	}
	b, err := n.Apply(NegotiationMove{Kind: MoveAccept, By: RoleSellerOwner})
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Moves) != 1 || a.Moves[1].Kind != MoveCounter || b.Moves[1].Kind != MoveAccept {
		t.Errorf("Apply shares the moves slice: n=%v a=%v b=%v", n.Moves, a.Moves, b.Moves)
	}
}

func TestNegotiatedPrices(t *testing.T) {
	agreed := Negotiation{Line: 1, ListPrice: 200, Moves: []NegotiationMove{
		{Kind: MoveRequest, By: RoleBuyer, Price: 150}, {Kind: MoveAccept, By: RoleSellerOwner},
	}}
	open := Negotiation{Line: 0, ListPrice: 100, Moves: []NegotiationMove{{Kind: MoveRequest, By: RoleBuyer, Price: 50}}}
	tests := []struct {
		name     string
		negs     []Negotiation
		want     []Rupiah
		wantCode Code
	}{
		{name: "no negotiation", want: []Rupiah{100, 200, 300}},
		{name: "agreed replaces list price", negs: []Negotiation{open, agreed}, want: []Rupiah{100, 150, 300}},
		{name: "line out of range", negs: []Negotiation{{Line: 3}}, wantCode: CodeInvalid},
		{name: "same line twice", negs: []Negotiation{agreed, agreed}, wantCode: CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NegotiatedPrices([]Rupiah{100, 200, 300}, tt.negs)
			if code := ErrorCode(err); code != tt.wantCode {
				t.Fatalf("error %v, want code %q", err, tt.wantCode)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("prices (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCanNegotiate(t *testing.T) {
	for _, s := range States {
		t.Run(string(s), func(t *testing.T) {
			want := s == StateAwaitingApproval || s == StateReturned
			if got := CanNegotiate(s); got != want {
				t.Errorf("CanNegotiate(%s) = %v, want %v", s, got, want)
			}
		})
	}
}

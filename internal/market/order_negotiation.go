package market

import (
	"fmt"
	"strings"
	"time"
)

// NegotiationMoveKind is one kind of step in a price negotiation on an order line.
type NegotiationMoveKind string

// The negotiation moves. The buyer opens with a request; the seller answers with a counter or
// accepts; the buyer may accept a counter, ask again, or withdraw.
const (
	MoveRequest  NegotiationMoveKind = "request"  // buyer asks for a lower unit price
	MoveCounter  NegotiationMoveKind = "counter"  // seller offers a unit price between the request and the list price
	MoveAccept   NegotiationMoveKind = "accept"   // the other party accepts the last price: it is agreed
	MoveWithdraw NegotiationMoveKind = "withdraw" // buyer ends the negotiation; the list price stays
)

// NegotiationMove is one step of the exchange, kept whole in the order's history.
type NegotiationMove struct {
	Kind   NegotiationMoveKind `json:"kind"`
	By     Role                `json:"by"` // RoleBuyer, or RoleSellerOwner/RoleSellerStaff
	UserID int64               `json:"user_id"`
	Price  Rupiah              `json:"price,omitempty"` // unit price for request and counter
	Note   string              `json:"note,omitempty"`
	At     time.Time           `json:"at"`
}

// Negotiation is the price exchange on one order line, before PPK approval. It is a value:
// Apply returns a new Negotiation and leaves the old one alone.
type Negotiation struct {
	Line      int               `json:"line"`       // index of the order line
	ListPrice Rupiah            `json:"list_price"` // the listing's unit price at checkout
	Moves     []NegotiationMove `json:"moves"`
}

// NegotiationStatus says where a negotiation stands.
type NegotiationStatus string

// The negotiation statuses.
const (
	NegotiationOpen      NegotiationStatus = "open"      // waiting for an answer
	NegotiationAgreed    NegotiationStatus = "agreed"    // a price was accepted
	NegotiationWithdrawn NegotiationStatus = "withdrawn" // the buyer ended it; the list price stays
)

// CanNegotiate reports whether prices of an order in state s may still be negotiated: only
// before the PPK approves it.
func CanNegotiate(s State) bool { return s == StateAwaitingApproval || s == StateReturned }

// Status returns the negotiation's status; an empty negotiation is open.
func (n Negotiation) Status() NegotiationStatus {
	if len(n.Moves) == 0 {
		return NegotiationOpen
	}
	switch n.Moves[len(n.Moves)-1].Kind {
	case MoveAccept:
		return NegotiationAgreed
	case MoveWithdraw:
		return NegotiationWithdrawn
	}
	return NegotiationOpen
}

// AgreedPrice returns the agreed unit price, and false when no price has been agreed.
func (n Negotiation) AgreedPrice() (Rupiah, bool) {
	if n.Status() != NegotiationAgreed || len(n.Moves) < 2 {
		return 0, false
	}
	return n.Moves[len(n.Moves)-2].Price, true
}

func isSellerRole(r Role) bool { return r == RoleSellerOwner || r == RoleSellerStaff }

// Validate returns a CodeInvalid *Error on kind unless k is one of the negotiation moves. Apply
// checks it before the exchange's turn and state, so that an unknown move is always an input
// error, whatever the negotiation's state.
func (k NegotiationMoveKind) Validate() error {
	switch k {
	case MoveRequest, MoveCounter, MoveAccept, MoveWithdraw:
		return nil
	}
	return Invalid("kind", fmt.Sprintf("Langkah negosiasi %q tidak dikenal.", k))
}

// Apply returns the negotiation with move m added, after checking that it follows the exchange:
// the buyer requests a price above Rp0 and below the list price (and below a pending counter);
// the seller counters with a price above the request and at most the list price (and below an
// earlier counter), or accepts the request; the buyer accepts a counter, asks again or
// withdraws. Nothing follows an agreement or a withdrawal. Errors are CodeInvalid (bad price, or
// an unknown kind whatever the state), CodeForbidden (wrong party) or CodeConflict (not this
// party's turn, negotiation over).
func (n Negotiation) Apply(m NegotiationMove) (Negotiation, error) {
	if err := m.Kind.Validate(); err != nil {
		return n, err
	}
	if st := n.Status(); st != NegotiationOpen || (len(n.Moves) == 0 && m.Kind != MoveRequest) {
		if st != NegotiationOpen {
			return n, Conflict("Negosiasi harga baris ini sudah selesai.")
		}
		return n, Conflict("Negosiasi dimulai dengan permintaan harga dari Pejabat Pengadaan.")
	}
	buyer := m.By == RoleBuyer
	if !buyer && !isSellerRole(m.By) {
		return n, Forbidden("Negosiasi harga hanya antara Pejabat Pengadaan dan penyedia.")
	}
	var last *NegotiationMove
	if len(n.Moves) > 0 {
		last = &n.Moves[len(n.Moves)-1]
		lastByBuyer := last.By == RoleBuyer
		if lastByBuyer == buyer {
			return n, Conflict("Menunggu jawaban pihak lain atas tawaran terakhir.")
		}
	}
	switch m.Kind {
	case MoveRequest:
		if !buyer {
			return n, Forbidden("Hanya Pejabat Pengadaan yang dapat meminta harga.")
		}
		ceiling := n.ListPrice
		if last != nil { // answering a counter
			ceiling = last.Price
		}
		if m.Price <= 0 || m.Price >= ceiling {
			return n, Invalid("price", fmt.Sprintf("Harga yang diminta harus lebih dari Rp0 dan kurang dari %s.", ceiling))
		}
	case MoveCounter:
		if buyer {
			return n, Forbidden("Hanya penyedia yang dapat memberi harga tawaran balik.")
		}
		ceiling := n.ListPrice
		if c, ok := n.lastCounter(); ok {
			ceiling = c - 1
		}
		if m.Price <= last.Price || m.Price > ceiling {
			return n, Invalid("price", fmt.Sprintf("Harga tawaran balik harus lebih dari %s dan paling tinggi %s.", last.Price, ceiling))
		}
	case MoveAccept:
		if m.Price != 0 && m.Price != last.Price {
			return n, Invalid("price", fmt.Sprintf("Harga yang disetujui adalah tawaran terakhir, %s.", last.Price))
		}
		m.Price = 0
	case MoveWithdraw:
		if !buyer {
			return n, Forbidden("Penyedia menolak permintaan dengan tawaran balik, paling tinggi harga katalog.")
		}
		m.Price = 0
	}
	m.Note = strings.TrimSpace(m.Note)
	out := n
	out.Moves = append(append([]NegotiationMove(nil), n.Moves...), m)
	return out, nil
}

func (n Negotiation) lastCounter() (Rupiah, bool) {
	for i := len(n.Moves) - 1; i >= 0; i-- {
		if n.Moves[i].Kind == MoveCounter {
			return n.Moves[i].Price, true
		}
	}
	return 0, false
}

// NegotiatedPrices returns the unit price of each order line: the agreed price where a
// negotiation on that line ended in agreement, else the list price given. It returns a
// CodeInvalid *Error when a negotiation names a line that does not exist or two negotiations
// name the same line.
func NegotiatedPrices(listPrices []Rupiah, negs []Negotiation) ([]Rupiah, error) {
	out := append([]Rupiah(nil), listPrices...)
	seen := map[int]bool{}
	for _, n := range negs {
		if n.Line < 0 || n.Line >= len(out) || seen[n.Line] {
			return nil, Invalid("negotiations", fmt.Sprintf("Negosiasi untuk baris %d tidak valid.", n.Line+1))
		}
		seen[n.Line] = true
		if p, ok := n.AgreedPrice(); ok {
			out[n.Line] = p
		}
	}
	return out, nil
}

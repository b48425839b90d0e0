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

// This file holds the PPK's rating of a seller after a completed order, the seller's one reply,
// and the public scorecard built from them.

// MaxCommentLength bounds a rating's comment and the seller's reply.
const MaxCommentLength = 1000

// RatingInput is the PPK's rating: four scores from 1 to 5 and a comment.
type RatingInput struct {
	OnTime        int    `json:"on_time"`
	Quantity      int    `json:"quantity"`
	Quality       int    `json:"quality"`
	Communication int    `json:"communication"`
	Comment       string `json:"comment"`
}

// Rating is a PPK's rating of the seller of one order, with the seller's reply.
type Rating struct {
	OrderID       int64  `json:"order_id"`
	SellerID      int64  `json:"seller_id"`
	UnitID        int64  `json:"unit_id"`
	OnTime        int    `json:"on_time"`
	Quantity      int    `json:"quantity"`
	Quality       int    `json:"quality"`
	Communication int    `json:"communication"`
	Comment       string `json:"comment,omitempty"`
	// DeliveredOnTime is a fact, not an opinion: the last BAST was signed by the needed-by date.
	DeliveredOnTime bool      `json:"delivered_on_time"`
	RatedBy         int64     `json:"rated_by"`
	RatedAt         time.Time `json:"rated_at"`
	Reply           string    `json:"reply,omitempty"`
	RepliedAt       time.Time `json:"replied_at,omitzero"`
}

// Average is the mean of the four scores.
func (r Rating) Average() float64 {
	return float64(r.OnTime+r.Quantity+r.Quality+r.Communication) / 4
}

func (in *RatingInput) validate() error {
	fe := market.FieldErrors{}
	for _, sc := range []struct {
		field string
		v     int
	}{{"on_time", in.OnTime}, {"quantity", in.Quantity}, {"quality", in.Quality}, {"communication", in.Communication}} {
		if sc.v < 1 || sc.v > 5 {
			fe.Add(sc.field, "Nilai antara 1 dan 5.")
		}
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if len([]rune(in.Comment)) > MaxCommentLength {
		fe.Add("comment", fmt.Sprintf("Komentar paling banyak %d karakter.", MaxCommentLength))
	}
	return fe.Err()
}

const ratingColumns = `order_id, seller_id, unit_id, on_time, quantity, quality, communication, comment, delivered_on_time, rated_by, rated_at, reply, replied_at`

func scanRating(sc rowScanner) (Rating, error) {
	var r Rating
	var rated, replied int64
	err := sc.Scan(&r.OrderID, &r.SellerID, &r.UnitID, &r.OnTime, &r.Quantity, &r.Quality, &r.Communication, &r.Comment,
		&r.DeliveredOnTime, &r.RatedBy, &rated, &r.Reply, &replied)
	r.RatedAt, r.RepliedAt = fromMicros(rated), fromMicros(replied)
	return r, err
}

func loadRating(ctx context.Context, q querier, orderID int64) (Rating, error) {
	r, err := scanRating(q.QueryRowContext(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE order_id = $1`, orderID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, market.NotFound("Penilaian")
	}
	if err != nil {
		return r, fmt.Errorf("load rating: %w", err)
	}
	return r, nil
}

// RateSeller records the PPK's rating of a completed order's seller, once. Whether the goods came
// on time is taken from the BASTs and the order's needed-by date. The seller's people are
// notified. Errors: CodeNotFound when p may not see the order, CodeForbidden unless p is the
// order's PPK, CodeConflict before completion or when already rated, CodeInvalid for scores
// outside 1–5 or a long comment.
func (s *Store) RateSeller(ctx context.Context, p *market.Principal, orderID int64, in RatingInput) (Rating, error) {
	if err := in.validate(); err != nil {
		return Rating{}, err
	}
	var out Rating
	err := s.inTx(ctx, func(tx *Tx) error {
		o, err := visibleOrder(ctx, tx.tx, p, orderID)
		if err != nil {
			return err
		}
		if !relatedAs(p, o, market.RoleApprover) {
			return market.Forbidden("Hanya PPK pesanan ini yang dapat memberi penilaian.")
		}
		if o.State != market.StateCompleted {
			return market.Conflict("Penilaian diberikan setelah pesanan selesai.")
		}
		var last int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(received_at), 0) FROM receipts WHERE order_id = $1`, o.ID).Scan(&last); err != nil {
			return fmt.Errorf("last receipt: %w", err)
		}
		onTime := o.NeededBy.IsZero() || (last != 0 && !fromMicros(last).After(endOfDay(o.NeededBy, tzOf(ctx, tx))))
		r := Rating{OrderID: o.ID, SellerID: o.SellerID, UnitID: o.UnitID, OnTime: in.OnTime, Quantity: in.Quantity, Quality: in.Quality,
			Communication: in.Communication, Comment: in.Comment, DeliveredOnTime: onTime, RatedBy: p.UserID, RatedAt: tx.now}
		_, err = tx.exec(ctx, `INSERT INTO ratings (order_id, seller_id, unit_id, on_time, quantity, quality, communication, comment,
				delivered_on_time, rated_by, rated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			r.OrderID, r.SellerID, r.UnitID, r.OnTime, r.Quantity, r.Quality, r.Communication, r.Comment, r.DeliveredOnTime, r.RatedBy, micros(r.RatedAt))
		if isUniqueViolation(err) {
			return market.Conflict("Pesanan ini sudah dinilai.")
		}
		if err != nil {
			return fmt.Errorf("insert rating: %w", err)
		}
		if err := tx.Audit(ctx, Actor{UserID: p.UserID, Role: market.RoleApprover}, "order.rate", "order", o.ID, map[string]market.Change{
			"rating": {After: map[string]any{"on_time": r.OnTime, "quantity": r.Quantity, "quality": r.Quality,
				"communication": r.Communication, "comment": r.Comment, "delivered_on_time": r.DeliveredOnTime}}}); err != nil {
			return err
		}
		if err := tx.notifySeller(ctx, &o, "Penilaian dari PPK", fmt.Sprintf("PPK memberi penilaian rata-rata %.1f untuk pesanan #%d. Anda dapat membalas sekali.", r.Average(), o.ID)); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

func endOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc).Add(-time.Microsecond)
}

// ReplyToRating records the seller's one reply to a rating. Errors: CodeNotFound when p may not
// see the order or it is not rated, CodeForbidden unless p is one of the seller's people,
// CodeConflict when already replied, CodeInvalid for an empty or long reply.
func (s *Store) ReplyToRating(ctx context.Context, p *market.Principal, orderID int64, reply string) (Rating, error) {
	reply = strings.TrimSpace(reply)
	if reply == "" || len([]rune(reply)) > MaxCommentLength {
		return Rating{}, market.Invalid("reply", fmt.Sprintf("Tulis balasan, paling banyak %d karakter.", MaxCommentLength))
	}
	var out Rating
	err := s.inTx(ctx, func(tx *Tx) error {
		o, err := visibleOrder(ctx, tx.tx, p, orderID)
		if err != nil {
			return err
		}
		if !p.InSeller(o.SellerID, market.RoleSellerOwner, market.RoleSellerStaff) {
			return market.Forbidden("Hanya penyedia pesanan ini yang dapat membalas penilaian.")
		}
		r, err := loadRating(ctx, tx.tx, orderID)
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE ratings SET reply = $1, replied_by = $2, replied_at = $3 WHERE order_id = $4 AND replied_at = 0`,
			reply, p.UserID, micros(tx.now), orderID)
		if err != nil {
			return fmt.Errorf("reply to rating: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return market.Conflict("Penilaian ini sudah dibalas; balasan hanya sekali.")
		}
		role := market.RoleSellerStaff
		if p.InSeller(o.SellerID, market.RoleSellerOwner) {
			role = market.RoleSellerOwner
		}
		if err := tx.Audit(ctx, Actor{UserID: p.UserID, Role: role}, "order.rating_reply", "order", o.ID,
			map[string]market.Change{"reply": {After: reply}}); err != nil {
			return err
		}
		if err := tx.notifyUser(ctx, o.PPKID, &o, "Balasan penyedia", fmt.Sprintf("%s membalas penilaian Anda untuk pesanan #%d.", o.SellerName, o.ID)); err != nil {
			return err
		}
		r.Reply, r.RepliedAt = reply, tx.now
		out = r
		return nil
	})
	return out, err
}

// GetRating returns the order's rating. Errors: CodeNotFound when p may not see the order or it
// is not rated.
func (s *Store) GetRating(ctx context.Context, p *market.Principal, orderID int64) (Rating, error) {
	q := s.q(ctx)
	if _, err := visibleOrder(ctx, q, p, orderID); err != nil {
		return Rating{}, err
	}
	return loadRating(ctx, q, orderID)
}

// Scorecard is a seller's public record from its ratings: the average of each score, the share
// of rated orders delivered on time and the number of ratings. Averages are zero without
// ratings.
type Scorecard struct {
	SellerID      int64   `json:"seller_id"`
	Count         int     `json:"count"`
	OnTime        float64 `json:"on_time"`
	Quantity      float64 `json:"quantity"`
	Quality       float64 `json:"quality"`
	Communication float64 `json:"communication"`
	Overall       float64 `json:"overall"`
	// OnTimeShare is the share (0–1) of rated orders whose goods came by the needed-by date.
	OnTimeShare float64 `json:"on_time_share"`
	// Recent are the latest ratings with comments and replies, newest first (at most 5).
	Recent []Rating `json:"recent"`
}

// SellerScorecard returns the seller's scorecard; it is public data (no names of raters).
func (s *Store) SellerScorecard(ctx context.Context, sellerID int64) (Scorecard, error) {
	q := s.q(ctx)
	rows, err := q.QueryContext(ctx, `SELECT `+ratingColumns+` FROM ratings WHERE seller_id = $1 ORDER BY rated_at DESC, order_id DESC`, sellerID)
	if err != nil {
		return Scorecard{}, fmt.Errorf("scorecard: %w", err)
	}
	defer rows.Close()
	sc := Scorecard{SellerID: sellerID, Recent: []Rating{}}
	var onTime, qty, qual, comm, delivered int
	for rows.Next() {
		r, err := scanRating(rows)
		if err != nil {
			return Scorecard{}, fmt.Errorf("scorecard: %w", err)
		}
		sc.Count++
		onTime, qty, qual, comm = onTime+r.OnTime, qty+r.Quantity, qual+r.Quality, comm+r.Communication
		if r.DeliveredOnTime {
			delivered++
		}
		if len(sc.Recent) < 5 {
			r.RatedBy = 0 // the rater's identity is not part of the public record
			sc.Recent = append(sc.Recent, r)
		}
	}
	if err := rows.Err(); err != nil {
		return Scorecard{}, fmt.Errorf("scorecard: %w", err)
	}
	if sc.Count > 0 {
		n := float64(sc.Count)
		sc.OnTime, sc.Quantity, sc.Quality, sc.Communication = float64(onTime)/n, float64(qty)/n, float64(qual)/n, float64(comm)/n
		sc.Overall = float64(onTime+qty+qual+comm) / (4 * n)
		sc.OnTimeShare = float64(delivered) / n
	}
	return sc, nil
}

// OnTimePercent is OnTimeShare as a whole percentage, rounded to the nearest.
func (sc Scorecard) OnTimePercent() int { return int(sc.OnTimeShare*100 + 0.5) }

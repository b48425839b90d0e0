package worker

import (
	"context"
	"log/slog"
	"time"

	"bela/internal/store"
)

// ExpiryJob expires, every minute, the orders that waited longer than their policy allows for
// the PPK's approval or the seller's acceptance, releasing their stock and budget (at most 500
// per run; the rest follow on the next run). Failures are retried by the Runner's back-off.
func ExpiryJob(s *store.Store, log *slog.Logger) *Job {
	return &Job{Name: "expiry", Every: time.Minute, Run: func(ctx context.Context) error {
		n, err := s.ExpireOrders(ctx, 500)
		if n > 0 && log != nil {
			log.InfoContext(ctx, "orders expired", "count", n)
		}
		return err
	}}
}

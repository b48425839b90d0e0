package worker

import (
	"context"
	"log/slog"
	"time"

	"bela/internal/store"
)

// TokenReminderJob reminds, every hour, the owners of personal API tokens that expire within
// store.APITokenReminder, once per token, by inbox and e-mail (at most 500 per run; the rest
// follow on the next run). Failures are retried by the Runner's back-off.
func TokenReminderJob(s *store.Store, log *slog.Logger) *Job {
	return &Job{Name: "api-token-reminders", Every: time.Hour, Run: func(ctx context.Context) error {
		n, err := s.RemindExpiringAPITokens(ctx, 500)
		if n > 0 && log != nil {
			log.InfoContext(ctx, "API token expiry reminders sent", "count", n)
		}
		return err
	}}
}

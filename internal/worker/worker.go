// Package worker runs Bela's periodic background jobs (e-mail outbox, order expiry, API token
// expiry reminders, and log checkpoints) inside `bela serve`, on the one server that holds the
// store's leadership.
package worker

import (
	"context"
	"log/slog"
	"time"

	"bela/internal/store"
)

// Job is one periodic task.
type Job struct {
	Name     string
	Every    time.Duration
	Run      func(ctx context.Context) error
	lastRun  time.Time
	failures int
}

// Runner runs jobs on the leader. With several servers on one PostgreSQL, only the server that
// holds the leader lock runs them; the others keep trying to take it over.
type Runner struct {
	Store  *store.Store
	Logger *slog.Logger
	Jobs   []*Job
	Tick   time.Duration // how often to look for due jobs; 1s when zero
}

// Run blocks until ctx ends, running due jobs while this process leads.
func (r *Runner) Run(ctx context.Context) {
	tick := r.Tick
	if tick == 0 {
		tick = time.Second
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	var lead *store.Leadership
	defer func() { lead.Release() }()
	for {
		if lead != nil && !lead.Alive(ctx) {
			lead.Release()
			lead = nil
		}
		if lead == nil {
			l, err := r.Store.TryLead(ctx)
			if err != nil && ctx.Err() == nil {
				r.Logger.Warn("leader election failed", "err", err)
			}
			lead = l
		}
		if lead != nil {
			r.runDue(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (r *Runner) runDue(ctx context.Context) {
	now := time.Now()
	for _, j := range r.Jobs {
		// Failing jobs back off: twice the interval per consecutive failure, at most 32×.
		wait := j.Every << min(j.failures, 5)
		if now.Sub(j.lastRun) < wait {
			continue
		}
		j.lastRun = now
		if err := j.Run(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			j.failures++
			r.Logger.Error("background job failed", "job", j.Name, "err", err, "failures", j.failures)
			continue
		}
		j.failures = 0
	}
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
)

// maxGroup bounds how many use cases one SQLite group commit holds, so that the last of them
// does not wait long behind the others.
const maxGroup = 64

// writeQueue serialises this process's SQLite writes and commits concurrent use cases
// together. SQLite has one writer at a time and a durable commit costs an fsync, which takes
// longer than the writes of a typical use case; so the writer runs every use case waiting at
// that moment in one transaction, each inside its own savepoint (a failing use case is rolled
// back to it and the others go on), and commits them with one fsync. Each use case still gets
// its own outcome: it is committed with the group or not at all.
//
// One goroutine, the writer (started by Open, stopped by Close), runs the groups one after the
// other, so that no group waits for a goroutine to be woken to take the next one over. Holding
// slot (capacity one) is the right to write: the writer holds it for each group, and
// beginWrite's callers for their own transactions. A connection waiting for SQLite's own lock
// would instead sleep in growing steps (the busy handler), turning a short queue into tail
// latencies of hundreds of milliseconds.
//
// Every write runs on one connection, held by the queue: SQLite empties a connection's page
// cache whenever another connection has written since its last transaction, so writes spread
// over the pool read every page they touch again; the writer's own stays warm.
type writeQueue struct {
	slot   chan struct{}
	wake   chan struct{} // capacity one: jobs are waiting
	stop   chan struct{} // closed by Close
	done   chan struct{} // closed when the writer has stopped
	mu     sync.Mutex
	jobs   []*writeJob // waiting, in arrival order
	closed bool        // no more jobs are taken (guarded by mu)
	held   *heldConn   // the write connection, opened on first use; only the slot's holder uses it
}

// writeJob is one use case waiting for the writer.
type writeJob struct {
	ctx      context.Context
	fn       func(*Tx) error
	err      error
	panicked any           // what fn panicked with, to panic with again in the caller
	done     chan struct{} // closed when err is final
	taken    bool          // the writer has taken it from the queue (guarded by writeQueue.mu)
}

func newWriteQueue() writeQueue {
	return writeQueue{slot: make(chan struct{}, 1), wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// acquire makes the caller the writer, or fails when ctx ends first.
func (w *writeQueue) acquire(ctx context.Context) error {
	select {
	case w.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *writeQueue) release() { <-w.slot }

// connect opens the write connection unless it is open.
func (w *writeQueue) connect(ctx context.Context, db *sql.DB) error {
	if w.held != nil {
		return nil
	}
	h, err := holdConn(ctx, db)
	w.held = h
	return err
}

// disconnect closes the write connection; the next write opens another.
func (w *writeQueue) disconnect() {
	if w.held != nil {
		w.held.close()
		w.held = nil
	}
}

// begin starts a write transaction of its own on the writer's connection; the caller holds
// the slot. A connection that fails to begin is closed.
func (w *writeQueue) begin(ctx context.Context, db *sql.DB) (*sql.Tx, error) {
	if err := w.connect(ctx, db); err != nil {
		return nil, err
	}
	tx, err := w.held.conn.BeginTx(ctx, nil)
	if err != nil {
		w.disconnect()
	}
	return tx, err
}

// beginGroup starts a write group's transaction on the writer's connection; the caller holds
// the slot. A connection that fails to begin is closed.
func (w *writeQueue) beginGroup(db *sql.DB) error {
	if err := w.connect(context.Background(), db); err != nil {
		return err
	}
	if err := w.held.run(beginImmediate); err != nil {
		w.disconnect()
		return err
	}
	return nil
}

// commit commits the write group's transaction, and rolls it back when the commit fails.
func (w *writeQueue) commit() error { return w.held.commit() }

// rollback rolls the write group's transaction back; SQLite may have done so itself.
func (w *writeQueue) rollback() { w.held.run(rollbackTx) }

// shutdown stops the writer after the group it is running, fails the use cases still waiting,
// and closes the write connection once no write runs.
func (w *writeQueue) shutdown() {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.closed = true
	waiting := w.jobs
	w.jobs = nil
	w.mu.Unlock()
	close(w.stop)
	<-w.done
	for _, j := range waiting {
		j.err = unavailable("wait for the writer", errStoreClosed)
		close(j.done)
	}
	w.slot <- struct{}{}
	defer w.release()
	w.disconnect()
}

var errStoreClosed = errors.New("store closed")

// writer runs the waiting use cases in groups until the queue is shut down.
func (s *Store) writer() {
	w := &s.writes
	stopped := false
	defer func() {
		if !stopped { // a use case ended this goroutine (runtime.Goexit): go on in another
			go s.writer()
			return
		}
		close(w.done)
	}()
	for {
		for s.writeGroup() {
		}
		select {
		case <-w.wake:
		case <-w.stop:
			stopped = true
			return
		}
	}
}

// writeGroup takes the slot, runs the use cases waiting then as one group, and reports whether
// there were any.
func (s *Store) writeGroup() bool {
	w := &s.writes
	// The slot first, so that use cases stay in the queue while someone else writes.
	select {
	case w.slot <- struct{}{}:
	case <-w.stop:
		return false
	}
	defer w.release()
	w.mu.Lock()
	n := min(len(w.jobs), maxGroup)
	group := slices.Clone(w.jobs[:n])
	w.jobs = slices.Delete(w.jobs, 0, n)
	for _, j := range group {
		j.taken = true
	}
	w.mu.Unlock()
	if n == 0 {
		return false
	}
	s.runGroup(group)
	return true
}

// groupTx runs fn in a SQLite write transaction shared with the use cases waiting at the same
// time: it queues fn for the writer and waits for its outcome. A panic in fn reaches the caller.
func (s *Store) groupTx(ctx context.Context, fn func(*Tx) error) error {
	w := &s.writes
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan struct{})}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return unavailable("wait for the writer", errStoreClosed)
	}
	w.jobs = append(w.jobs, j)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default: // already woken
	}
	select {
	case <-j.done:
	case <-ctx.Done():
		w.mu.Lock()
		if !j.taken {
			w.jobs = slices.DeleteFunc(w.jobs, func(o *writeJob) bool { return o == j })
			w.mu.Unlock()
			return unavailable("wait for the writer", ctx.Err())
		}
		w.mu.Unlock()
		<-j.done // the writer is running it: its outcome is the truth
	}
	if j.panicked != nil {
		panic(j.panicked)
	}
	return j.err
}

// runGroup runs the jobs in one transaction, each in a savepoint unless it runs alone, commits
// once, and gives every job its outcome. A panicking job fails the whole group, and its caller
// panics with what it panicked with (and the writer's stack); the writer goes on.
func (s *Store) runGroup(group []*writeJob) {
	finished, begun := false, false
	var current *writeJob
	defer func() {
		if finished {
			return
		}
		r := recover()
		if begun {
			s.writes.rollback()
		}
		if current != nil && r != nil {
			if err, ok := r.(error); ok {
				current.panicked = fmt.Errorf("%w\n\nin the store's writer:\n%s", err, debug.Stack())
			} else {
				current.panicked = fmt.Sprintf("%v\n\nin the store's writer:\n%s", r, debug.Stack())
			}
		}
		for _, j := range group {
			if !isClosed(j.done) {
				j.err = fmt.Errorf("write group abandoned: %v", r)
				close(j.done)
			}
		}
	}()
	live := group[:0:0]
	for _, j := range group {
		if err := j.ctx.Err(); err != nil {
			j.err = unavailable("wait for the writer", err)
			close(j.done)
			continue
		}
		live = append(live, j)
	}
	finish := func(commitErr error) {
		for _, j := range live {
			if j.err == nil && commitErr != nil {
				j.err = commitErr
			}
			close(j.done)
		}
		finished = true
	}
	if len(live) == 0 {
		finish(nil)
		return
	}
	// The group's transaction must not end with one caller's context: an interrupted SQLite
	// statement rolls back the whole transaction, and with it the other use cases.
	bg := context.Background()
	if err := s.writes.beginGroup(s.db); err != nil {
		finish(unavailable("begin transaction", err))
		return
	}
	begun = true
	alone := len(live) == 1
	q := s.groupQuerier()
	for _, j := range live {
		if !alone {
			if _, err := q.ExecContext(bg, `SAVEPOINT usecase`); err != nil {
				s.writes.rollback()
				finish(unavailable("savepoint", err))
				return
			}
		}
		current = j
		j.err = j.fn(&Tx{tx: q, s: s, now: s.Now()})
		current = nil
		switch {
		case alone && j.err != nil:
			s.writes.rollback()
			finish(nil)
			return
		case alone:
		case j.err != nil:
			if _, err := q.ExecContext(bg, `ROLLBACK TO usecase`); err != nil {
				s.writes.rollback()
				finish(unavailable("roll back to savepoint", err))
				return
			}
			fallthrough
		default:
			if _, err := q.ExecContext(bg, `RELEASE usecase`); err != nil {
				s.writes.rollback()
				finish(unavailable("release savepoint", err))
				return
			}
		}
	}
	begun = false
	if err := s.writes.commit(); err != nil {
		finish(unavailable("commit", err))
		return
	}
	finish(nil)
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxPrepared bounds how many distinct query texts a store keeps prepared; texts beyond it
// (queries built with a varying number of placeholders, say) run unprepared.
const maxPrepared = 512

// stmtCache keeps one prepared statement per query text for a SQLite store. The SQLite driver
// parses and plans every unprepared statement again, which was a fifth of a checkout's CPU;
// database/sql prepares a cached statement once on each pooled connection and reuses it.
// PostgreSQL's driver caches its prepared statements itself, so it is not used there.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// stmt returns the prepared statement for query, or nil when it cannot be prepared or kept.
func (s *Store) stmt(ctx context.Context, query string) *sql.Stmt {
	if s.dialect != SQLite {
		return nil
	}
	c := &s.stmts
	c.mu.Lock()
	st, ok := c.stmts[query]
	full := len(c.stmts) >= maxPrepared
	c.mu.Unlock()
	if ok || full {
		return st
	}
	// Prepared without the lock: preparing may wait for a pooled connection.
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil // running it unprepared reports the error
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.stmts[query]; ok {
		st.Close()
		return old
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st
}

// closeStmts closes the prepared statements.
func (s *Store) closeStmts() {
	c := &s.stmts
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}

// prepared is a querier that runs its queries through prepared statements: the store's, on the
// database; or those of a held connection (heldConn: the writer's in a write group's
// transaction, see runGroup, or an evaluation's snapshot), where they run without their
// caller's cancellation (see runGroup). A prepared statement must not run again on a held
// connection while rows of it are still open; the store's queries close their rows before
// running the next.
type prepared struct {
	s    *Store
	held *heldConn // nil: the database
}

// prepared returns q with its queries run through prepared statements when q is the store's
// SQLite database; any other querier as it is.
func (s *Store) prepared(q querier) querier {
	if db, ok := q.(*sql.DB); ok && db == s.db && s.dialect == SQLite {
		return prepared{s: s}
	}
	return q
}

// groupQuerier returns the querier of a write group's transaction; the caller holds the slot.
func (s *Store) groupQuerier() querier {
	return prepared{s: s, held: s.writes.held}
}

func (p prepared) target() querier {
	if p.held != nil {
		return p.held.conn
	}
	return p.s.db
}

func (p prepared) bind(ctx context.Context, query string) (context.Context, *sql.Stmt) {
	if p.held == nil {
		return ctx, p.s.stmt(ctx, query)
	}
	ctx = context.WithoutCancel(ctx)
	return ctx, p.held.stmt(ctx, query)
}

func (p prepared) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx, st := p.bind(ctx, query)
	if st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.target().ExecContext(ctx, query, args...)
}

func (p prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx, st := p.bind(ctx, query)
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.target().QueryContext(ctx, query, args...)
}

func (p prepared) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	ctx, st := p.bind(ctx, query)
	if st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.target().QueryRowContext(ctx, query, args...)
}

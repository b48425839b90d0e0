package store

import (
	"context"
	"database/sql"
)

// Leadership is held by the one server that runs periodic jobs.
type Leadership struct {
	conn *sql.Conn // the session holding the advisory lock; nil on SQLite
}

// Release gives leadership up.
func (l *Leadership) Release() {
	if l != nil && l.conn != nil {
		releasePostgresLock(l.conn)
	}
}

// Alive reports whether leadership is still held (the lock's connection still answers).
func (l *Leadership) Alive(ctx context.Context) bool {
	return l.conn == nil || l.conn.PingContext(ctx) == nil
}

// TryLead tries to become the server that runs background jobs. On SQLite, whose file belongs to
// one process, it always succeeds; on PostgreSQL it takes a session advisory lock, so with
// several servers exactly one leads. It returns nil leadership when another server leads.
func (s *Store) TryLead(ctx context.Context) (*Leadership, error) {
	if s.dialect == SQLite {
		return &Leadership{}, nil
	}
	return s.tryLeadPostgres(ctx)
}

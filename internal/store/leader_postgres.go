package store

import (
	"context"
	"database/sql"
	"fmt"
)

// leaderLockKey is the PostgreSQL advisory lock that elects the server running background jobs.
const leaderLockKey = 0x62656c61 // "bela"

func (s *Store) tryLeadPostgres(ctx context.Context) (*Leadership, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("leader lock: %w", err)
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, leaderLockKey).Scan(&ok); err != nil {
		conn.Close()
		return nil, fmt.Errorf("leader lock: %w", err)
	}
	if !ok {
		conn.Close()
		return nil, nil
	}
	return &Leadership{conn: conn}, nil
}

func releasePostgresLock(conn *sql.Conn) {
	conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, leaderLockKey)
	conn.Close()
}

package store

import (
	"context"
	"database/sql"
)

// heldConn is a SQLite connection taken out of the pool for good, with the statements prepared
// on it by query text; one goroutine uses it at a time. A statement prepared on the connection
// is prepared once for the connection's life, where one prepared on the pool must be bound
// again to every transaction; and rows read through it need no goroutine, where database/sql
// starts one for every query of a *sql.Tx, to watch the transaction's context. So the writer
// (writeQueue) and the evaluations (snapshot) run their transactions on held connections, with
// BEGIN and COMMIT as statements.
type heldConn struct {
	conn  *sql.Conn
	stmts map[string]*sql.Stmt
}

// The transaction statements run on held connections.
const (
	beginRead      = `BEGIN`
	beginImmediate = `BEGIN IMMEDIATE`
	commitTx       = `COMMIT`
	rollbackTx     = `ROLLBACK`
)

func holdConn(ctx context.Context, db *sql.DB) (*heldConn, error) {
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	return &heldConn{conn: c, stmts: map[string]*sql.Stmt{}}, nil
}

// stmt returns query prepared on the connection, or nil when it cannot be prepared or kept
// (it then runs unprepared).
func (h *heldConn) stmt(ctx context.Context, query string) *sql.Stmt {
	if st, ok := h.stmts[query]; ok {
		return st
	}
	if len(h.stmts) >= maxPrepared {
		return nil
	}
	st, err := h.conn.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	h.stmts[query] = st
	return st
}

// run runs a statement without arguments, such as BEGIN or COMMIT, to its end whatever the
// caller's context.
func (h *heldConn) run(query string) error {
	bg := context.Background()
	if st := h.stmt(bg, query); st != nil {
		_, err := st.ExecContext(bg)
		return err
	}
	_, err := h.conn.ExecContext(bg, query)
	return err
}

// commit commits the connection's transaction, and rolls it back when the commit fails.
func (h *heldConn) commit() error {
	err := h.run(commitTx)
	if err != nil {
		h.run(rollbackTx) // SQLite may have rolled back already
	}
	return err
}

// close gives the connection back to the pool, without its statements and without a
// transaction left open on it.
func (h *heldConn) close() {
	h.run(rollbackTx) // fails harmlessly when none is open
	for _, st := range h.stmts {
		st.Close()
	}
	h.conn.Close()
}

// maxSnapshots bounds the connections held for snapshots. Open adds them to the pool's limit,
// so that holding them takes no connection from the other reads (and a snapshot's reader that
// also reads through the pool cannot wait for itself).
const maxSnapshots = 4

// snapshotSlots hands out the held connections of snapshots: each slot is nil until a
// connection is opened for it.
type snapshotSlots chan *heldConn

func newSnapshotSlots() snapshotSlots {
	c := make(snapshotSlots, maxSnapshots)
	for range maxSnapshots {
		c <- nil
	}
	return c
}

// read runs fn with a querier for reads: inside Batch the batch's transaction (so that reads see
// its writes), otherwise a snapshot.
func (s *Store) read(ctx context.Context, fn func(q querier) error) error {
	if tx := s.batch(ctx); tx != nil {
		return fn(tx.tx)
	}
	return s.snapshot(ctx, fn)
}

// snapshot runs fn with a querier that reads one snapshot of the committed data: on SQLite a
// read transaction on a held connection, whose statements stay prepared (each query through
// the pool took a connection, began and ended its own read and, whenever a write had
// committed in between, read every page again); on PostgreSQL one pooled connection, on which
// each statement sees what has committed when it runs, and reads queued together go out in one
// round trip (see pipe).
func (s *Store) snapshot(ctx context.Context, fn func(q querier) error) (err error) {
	if s.dialect != SQLite {
		// One connection, so that reads can go out together (see pipe).
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return unavailable("read", err)
		}
		defer conn.Close()
		return fn(conn)
	}
	var h *heldConn
	select {
	case h = <-s.snapshots:
	case <-ctx.Done():
		return unavailable("wait to read", ctx.Err())
	}
	ok := false
	defer func() {
		if !ok && h != nil { // failed or panicked: the connection is given up
			h.close()
			h = nil
		}
		s.snapshots <- h
	}()
	if h == nil {
		if h, err = holdConn(ctx, s.db); err != nil {
			return unavailable("read", err)
		}
	}
	if err := h.run(beginRead); err != nil {
		return unavailable("begin read", err)
	}
	ferr := fn(prepared{s: s, held: h})
	if err := h.commit(); err != nil {
		return unavailable("end read", err)
	}
	ok = true
	return ferr
}

// readSnapshot is read for reads that must agree with each other, such as a report's totals
// and its parts, or a page of orders with their lines and payments. On SQLite every read is
// one snapshot already; on PostgreSQL, where each statement of read sees what has committed
// when it runs, they run in one REPEATABLE READ, READ ONLY transaction, at the cost of two
// more round trips.
func (s *Store) readSnapshot(ctx context.Context, fn func(q querier) error) error {
	if s.dialect == SQLite || s.batch(ctx) != nil {
		return s.read(ctx, fn)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return unavailable("read", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return unavailable("begin read", err)
	}
	defer tx.Rollback()
	if err := fn(connTx{Tx: tx, conn: conn}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return unavailable("end read", err)
	}
	return nil
}

// closeSnapshots closes the snapshots' connections once no snapshot runs, and leaves their
// slots empty (a later snapshot fails to open a connection; closing again finds nothing).
func (s *Store) closeSnapshots() {
	held := make([]*heldConn, 0, maxSnapshots)
	for range maxSnapshots {
		held = append(held, <-s.snapshots)
	}
	for _, h := range held {
		if h != nil {
			h.close()
		}
		s.snapshots <- nil
	}
}

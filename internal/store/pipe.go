package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// rowScanner is a row being read: *sql.Row, *sql.Rows and pgx's rows share it.
type rowScanner interface{ Scan(dest ...any) error }

// pipe is a list of statements run together. On PostgreSQL, given the connection, they go out
// as one pgx pipeline, so that the list costs one round trip to the server instead of one per
// statement; on SQLite they run one after the other. Each query's row function is called for
// every row it returns, and each write's check with the rows it changed, in the order queued;
// run returns the first error. A statement must not need the results of the ones before it.
type pipe struct {
	q     querier
	conn  *sql.Conn // PostgreSQL: the connection whose pipeline runs the statements
	stmts []pipeStmt
}

type pipeStmt struct {
	what  string // names the statement in errors
	query string
	args  []any
	row   func(rowScanner) error    // a query: called for each row
	check func(changed int64) error // a write: called with the rows it changed (may be nil)
	skip  func() bool               // optional: when it reports true at run time the query may be left out
}

// newPipe returns a pipe on q. On PostgreSQL its statements go out as one pipeline when q is a
// *sql.Conn or a transaction of one (connTx); otherwise they run one after the other.
func newPipe(q querier) *pipe {
	switch c := q.(type) {
	case *sql.Conn:
		return &pipe{q: q, conn: c}
	case connTx:
		return &pipe{q: q, conn: c.conn}
	}
	return &pipe{q: q}
}

// connTx is a PostgreSQL transaction with the connection it runs on, so that statements queued
// in it can go out as one pipeline.
type connTx struct {
	*sql.Tx
	conn *sql.Conn
}

// read queues a query; row is called for each of its rows.
func (p *pipe) read(what, query string, args []any, row func(rowScanner) error) {
	p.stmts = append(p.stmts, pipeStmt{what: what, query: query, args: args, row: row})
}

// readUnless is read for a query whose rows are not needed when skip reports true once the
// statements before it have run. One after the other it is then left out; a pipeline, sent
// before any result is known, runs it anyway.
func (p *pipe) readUnless(skip func() bool, what, query string, args []any, row func(rowScanner) error) {
	p.read(what, query, args, row)
	p.stmts[len(p.stmts)-1].skip = skip
}

// write queues a statement that changes rows; check (unless nil) gets how many it changed.
func (p *pipe) write(what, query string, args []any, check func(changed int64) error) {
	p.stmts = append(p.stmts, pipeStmt{what: what, query: query, args: args, check: check})
}

// run runs the queued statements and empties the list.
func (p *pipe) run(ctx context.Context) error {
	stmts := p.stmts
	p.stmts = nil
	if p.conn != nil && len(stmts) > 1 {
		return p.conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("pipeline: driver connection is %T", dc)
			}
			return sendPipeline(ctx, c.Conn(), stmts)
		})
	}
	for _, st := range stmts {
		if st.skip != nil && st.skip() {
			continue
		}
		if err := st.runOn(ctx, p.q); err != nil {
			return err
		}
	}
	return nil
}

// runOn runs the statement on q.
func (st pipeStmt) runOn(ctx context.Context, q querier) error {
	if st.row == nil {
		res, err := q.ExecContext(ctx, st.query, st.args...)
		if err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
		if st.check == nil {
			return nil
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
		return st.check(n)
	}
	rows, err := q.QueryContext(ctx, st.query, st.args...)
	if err != nil {
		return fmt.Errorf("%s: %w", st.what, err)
	}
	defer rows.Close()
	return st.readRows(rows)
}

// readRows calls the statement's row function for each row, and returns the first error.
func (st pipeStmt) readRows(rows interface {
	rowScanner
	Next() bool
	Err() error
}) error {
	for rows.Next() {
		if err := st.row(rows); err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", st.what, err)
	}
	return nil
}

// sendPipeline sends the statements to PostgreSQL together and reads their results.
func sendPipeline(ctx context.Context, c *pgx.Conn, stmts []pipeStmt) error {
	var b pgx.Batch
	for _, st := range stmts {
		b.Queue(st.query, st.args...).Fn = func(br pgx.BatchResults) error {
			if st.row == nil {
				tag, err := br.Exec()
				if err != nil {
					return fmt.Errorf("%s: %w", st.what, err)
				}
				if st.check == nil {
					return nil
				}
				return st.check(tag.RowsAffected())
			}
			rows, err := br.Query()
			if err != nil {
				return fmt.Errorf("%s: %w", st.what, err)
			}
			defer rows.Close()
			return st.readRows(rows)
		}
	}
	return c.SendBatch(ctx, &b).Close()
}

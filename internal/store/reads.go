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

// reads is a set of independent queries run together. On a PostgreSQL connection (*sql.Conn)
// they go out as one pgx pipeline, so that the set costs one round trip to the server instead
// of one each; on SQLite, and on PostgreSQL inside a transaction, they run one after the other.
// Each query's row function is called for every row it returns, in the order queued, when run
// returns; run returns the first error.
type reads struct {
	q       querier
	queries []queuedRead
}

type queuedRead struct {
	what  string // names the query in errors
	query string
	args  []any
	row   func(rowScanner) error
	skip  func() bool // optional: when it reports true at run time the query may be left out
}

func newReads(q querier) *reads { return &reads{q: q} }

// add queues a query; row is called for each of its rows.
func (r *reads) add(what, query string, args []any, row func(rowScanner) error) {
	r.queries = append(r.queries, queuedRead{what: what, query: query, args: args, row: row})
}

// addUnless is add for a query whose rows are not needed when skip reports true once the
// queries before it have run. One after the other it is then left out; a pipeline, sent before
// any result is known, runs it anyway.
func (r *reads) addUnless(skip func() bool, what, query string, args []any, row func(rowScanner) error) {
	r.add(what, query, args, row)
	r.queries[len(r.queries)-1].skip = skip
}

// run runs the queued queries and empties the set.
func (r *reads) run(ctx context.Context) error {
	queries := r.queries
	r.queries = nil
	if len(queries) == 0 {
		return nil
	}
	if conn, ok := r.q.(*sql.Conn); ok && len(queries) > 1 {
		return conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("pipeline: driver connection is %T", dc)
			}
			return pipeline(ctx, c.Conn(), queries)
		})
	}
	for _, qr := range queries {
		if qr.skip != nil && qr.skip() {
			continue
		}
		if err := readRows(ctx, r.q, qr); err != nil {
			return err
		}
	}
	return nil
}

func readRows(ctx context.Context, q querier, qr queuedRead) error {
	rows, err := q.QueryContext(ctx, qr.query, qr.args...)
	if err != nil {
		return fmt.Errorf("%s: %w", qr.what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := qr.row(rows); err != nil {
			return fmt.Errorf("%s: %w", qr.what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", qr.what, err)
	}
	return nil
}

// pipeline sends the queries to PostgreSQL together and reads their rows.
func pipeline(ctx context.Context, c *pgx.Conn, queries []queuedRead) error {
	var b pgx.Batch
	for _, qr := range queries {
		b.Queue(qr.query, qr.args...).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				if err := qr.row(rows); err != nil {
					return fmt.Errorf("%s: %w", qr.what, err)
				}
			}
			if err := rows.Err(); err != nil {
				return fmt.Errorf("%s: %w", qr.what, err)
			}
			return nil
		})
	}
	return c.SendBatch(ctx, &b).Close()
}

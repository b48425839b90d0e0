// Package store keeps Bela's data in SQLite or PostgreSQL: one SQL text for both, numbered
// migrations per dialect, and one transaction per use case that also appends its audit event.
// On SQLite, use cases that wait for the single writer at the same moment share a transaction,
// each in its own savepoint, and one durable commit (group commit, group.go): each still
// succeeds or fails on its own, and is acknowledged only once committed.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"bela/internal/market"
)

// Clock gives the current time; tests inject a fixed or stepping clock.
type Clock interface{ Now() time.Time }

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Dialect names the database engine behind a Store.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	db        *sql.DB
	dialect   Dialect
	clock     Clock
	publicURL string
	writes    writeQueue // SQLite only
	// checkouts bounds concurrent checkouts on PostgreSQL (Config.Checkouts). A checkout is some
	// thirty statements; past the machine's processors, more of them at once only queue inside
	// the database, where each waits on every other and the slowest take a second (measured
	// with BenchmarkCheckout: 16 buyers on 2 processors went from 260 to 430 orders/s and p99
	// from 670 to 110 ms at 4). Nil on SQLite, whose write queue already lines them up and
	// commits them in groups.
	checkouts chan struct{}
	stmts     stmtCache     // SQLite only
	snapshots snapshotSlots // SQLite only
	recent    recentOrders  // the split window's orders per unit, for checkout
}

// Config says which database to open.
type Config struct {
	// URL is a postgres:// URL; empty means SQLite at Path.
	URL string
	// Path is the SQLite file, used when URL is empty.
	Path  string
	Clock Clock
	// PublicURL is the address citizens and e-mailed links use, without a trailing slash.
	PublicURL string
	// Checkouts bounds how many checkouts run at once on PostgreSQL; zero means twice the
	// processors this process may use (right when the database shares the machine; a larger
	// database server takes more). Checkouts past it wait their turn.
	Checkouts int
	// ReadOnly opens the database for reading only, as offline verification does on a copy an
	// auditor holds: nothing is written or migrated (a schema older than this build's is an
	// error wrapping ErrSchemaOutdated), SQLite's file must exist, and its directory may be
	// read-only.
	ReadOnly bool
}

// ErrSchemaOutdated marks a database opened read-only whose schema lacks migrations this build
// has: it would have to be migrated, which a read-only open does not do.
var ErrSchemaOutdated = errors.New("database schema older than this bela")

// Open connects to the database, checks that it answers, and applies pending migrations (or,
// with cfg.ReadOnly, checks that none is pending). It fails with a CodeUnavailable error when
// the database cannot be reached or created.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	s := &Store{clock: cfg.Clock, publicURL: strings.TrimSuffix(cfg.PublicURL, "/"), writes: newWriteQueue()}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	var err error
	switch {
	case cfg.URL != "":
		if !strings.HasPrefix(cfg.URL, "postgres://") && !strings.HasPrefix(cfg.URL, "postgresql://") {
			return nil, &market.Error{Code: market.CodeInvalid, Message: "database URL must start with postgres://"}
		}
		s.dialect = Postgres
		dsn := cfg.URL
		if cfg.ReadOnly {
			dsn = readOnlyPostgres(dsn)
		}
		s.db, err = sql.Open("pgx", dsn)
		if err == nil {
			s.db.SetMaxOpenConns(32)
			s.db.SetMaxIdleConns(32)
		}
		n := cfg.Checkouts
		if n <= 0 {
			n = 2 * runtime.GOMAXPROCS(0)
		}
		s.checkouts = make(chan struct{}, n)
	case cfg.ReadOnly:
		if _, err := os.Stat(cfg.Path); err != nil {
			return nil, fmt.Errorf("no database to open read-only: %w", err)
		}
		s.dialect = SQLite
		var dsn string
		if dsn, err = sqliteReadOnlyDSN(ctx, cfg.Path); err == nil {
			s.db, err = sql.Open("sqlite", dsn)
		}
		if err == nil {
			s.snapshots = newSnapshotSlots()
			go s.writer()
			s.db.SetMaxOpenConns(8 + maxSnapshots)
			s.db.SetMaxIdleConns(8 + maxSnapshots)
		}
	default:
		if err := os.MkdirAll(filepath.Dir(cfg.Path), 0o750); err != nil {
			return nil, &market.Error{Code: market.CodeUnavailable, Message: "cannot create the data directory", Err: err}
		}
		s.dialect = SQLite
		s.db, err = sql.Open("sqlite", sqliteDSN(cfg.Path))
		if err == nil {
			s.snapshots = newSnapshotSlots()
			go s.writer()
			// Eight for the pool's reads and the writer's connection, as before snapshots, and
			// the snapshots' held connections on top.
			s.db.SetMaxOpenConns(8 + maxSnapshots)
			s.db.SetMaxIdleConns(8 + maxSnapshots)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := s.db.PingContext(pctx); err != nil {
		s.Close()
		return nil, &market.Error{Code: market.CodeUnavailable, Message: "the database cannot be reached", Err: redact(err)}
	}
	if cfg.ReadOnly {
		err = s.checkSchema(ctx)
	} else {
		err = s.migrate(ctx)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// readOnlyPostgres makes every transaction of the URL's connections read-only.
func readOnlyPostgres(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw // sql.Open reports it
	}
	q := u.Query()
	q.Set("default_transaction_read_only", "on")
	u.RawQuery = q.Encode()
	return u.String()
}

// sqliteReadOnlyDSN opens the file read-only (mode=ro, query_only), so that SQLite never writes
// it. A WAL database whose directory is read-only and has no -wal file can be read that way
// only as immutable (SQLite cannot create the -wal and -shm files readers use): then nothing
// writes the database either, since a writer would have the -wal file open.
func sqliteReadOnlyDSN(ctx context.Context, path string) (string, error) {
	dsn := func(immutable bool) string {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "query_only(1)")
		q.Set("mode", "ro")
		if immutable {
			q.Set("immutable", "1")
		}
		return sqliteURI(path) + "?" + q.Encode()
	}
	probe := func(d string) error {
		db, err := sql.Open("sqlite", d)
		if err != nil {
			return err
		}
		defer db.Close()
		var n int
		return db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master`).Scan(&n)
	}
	err := probe(dsn(false))
	if err == nil {
		return dsn(false), nil
	}
	if _, werr := os.Stat(path + "-wal"); errors.Is(werr, os.ErrNotExist) && probe(dsn(true)) == nil {
		return dsn(true), nil
	}
	return "", fmt.Errorf("open %s read-only: %w", path, err)
}

// sqliteDSN sets every pragma in the DSN so each pooled connection gets them: WAL, a busy
// timeout, foreign keys, synchronous=FULL (an acknowledged order survives a power cut),
// savepoint journals in memory (see writeQueue), a page cache of up to 32 MiB (at the default
// 2 MiB a large transaction such as the demo load spilled pages to the WAL and read them back,
// a third of its time), and IMMEDIATE write transactions (read-then-write use cases wait
// instead of failing).
func sqliteDSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(ON)", "synchronous(FULL)", "temp_store(MEMORY)", "cache_size(-32768)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return sqliteURI(path) + "?" + q.Encode()
}

// sqliteURI is the file: URI of a database path, its "?", "#" and "%" escaped so that a data
// directory named with them opens that file, not another.
func sqliteURI(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath()
}

// redact removes a password from connection error messages.
func redact(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "://"); i >= 0 {
		if j := strings.Index(msg[i:], "@"); j > 0 {
			msg = msg[:i+3] + "…" + msg[i+j:]
		}
	}
	return errors.New(msg)
}

// Close closes the database.
func (s *Store) Close() error {
	s.closeStmts()
	if s.dialect == SQLite {
		s.writes.shutdown()
		s.closeSnapshots()
	}
	return s.db.Close()
}

// Dialect reports the engine in use.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Now is the store's clock reading, truncated to the stored precision.
func (s *Store) Now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// DB exposes the handle for benchmarks and tamper tests that must reach under the use cases.
func (s *Store) DB() *sql.DB { return s.db }

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

// checkSchema makes sure a database opened read-only has every migration this build knows: it
// is not migrated, and reading an older schema would fail half-way or mislead.
func (s *Store) checkSchema(ctx context.Context) error {
	ms, err := migrations(s.dialect)
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("not a Bela database, or not set up (no schema version: %v): %w", redact(err), ErrSchemaOutdated)
	}
	defer rows.Close()
	have, top := map[int]bool{}, 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return fmt.Errorf("schema version: %w", err)
		}
		have[v], top = true, max(top, v)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	var missing []string
	for _, m := range ms {
		if !have[m.Version] {
			missing = append(missing, m.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the database is at schema version %d and lacks %d migration(s) of this bela (%s); it was opened read-only and is not migrated: use the bela release that wrote it, or run `bela migrate` (on a copy, if this one must stay as it is): %w",
			top, len(missing), strings.Join(missing, ", "), ErrSchemaOutdated)
	}
	return nil
}

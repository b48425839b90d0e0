package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"

	"bela/internal/store"
)

// common are the settings every database command shares.
type common struct {
	data      string
	database  string
	checkouts string
}

// flags makes a FlagSet that reports errors on stderr and never exits the process.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("bela "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func (c *common) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.data, "data", envOr(getenv, "BELA_DATA", "bela-data"), "data directory: SQLite database, uploaded files, keys (BELA_DATA)")
	fs.StringVar(&c.database, "database", getenv("BELA_DATABASE"), "PostgreSQL URL postgres://...; SQLite in the data directory when empty (BELA_DATABASE)")
	fs.StringVar(&c.checkouts, "checkouts", getenv("BELA_CHECKOUTS"), "PostgreSQL: checkouts at once; twice the processors when empty (BELA_CHECKOUTS)")
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

// checkDataDir makes sure the data directory exists and is writable.
func checkDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("data directory %s cannot be created: %w (choose another with --data)", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("data directory %s is not writable: %w (choose another with --data)", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// openStore opens (and migrates) the configured database.
func (c *common) openStore(ctx context.Context, publicURL string) (*store.Store, error) {
	if err := checkDataDir(c.data); err != nil {
		return nil, err
	}
	checkouts := 0
	if c.checkouts != "" {
		n, err := strconv.Atoi(c.checkouts)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--checkouts (BELA_CHECKOUTS) must be a whole number of at least 1, not %q", c.checkouts)
		}
		checkouts = n
	}
	return store.Open(ctx, store.Config{URL: c.database, Path: filepath.Join(c.data, "bela.db"), PublicURL: publicURL, Checkouts: checkouts})
}

// openStoreReadOnly opens the configured database for reading only: the data directory may be
// read-only, nothing is written and no migration runs (an older schema is an error).
func (c *common) openStoreReadOnly(ctx context.Context) (*store.Store, error) {
	path := filepath.Join(c.data, "bela.db")
	if c.database == "" {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no Bela database in %s (give --data DIR or --database URL)", c.data)
		}
	}
	s, err := store.Open(ctx, store.Config{URL: c.database, Path: path, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("open the database read-only: %w", err)
	}
	return s, nil
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return bi.Main.Version + " " + s.Value[:12]
			}
		}
		return bi.Main.Version
	}
	return "(devel)"
}

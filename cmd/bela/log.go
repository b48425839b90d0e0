package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"bela/internal/store"
	"bela/internal/translog"
	"bela/internal/web"
	"bela/internal/worker"
)

// logConfig says where the transparency log's signing key lives, which witnesses' cosignatures
// the server accepts, and how often checkpoints are signed.
type logConfig struct {
	dataDir   string
	witnesses []string
	every     time.Duration
}

// defaultCheckpointEvery is how often a grown log gets a new checkpoint.
const defaultCheckpointEvery = 10 * time.Second

// newLogConfig reads BELA_LOG_WITNESSES (comma-separated witness verifier keys) and
// BELA_LOG_CHECKPOINT_EVERY (a duration between 1s and 1m).
func newLogConfig(dataDir string, getenv func(string) string) (logConfig, error) {
	lc := logConfig{dataDir: dataDir, every: defaultCheckpointEvery}
	for _, k := range strings.Split(getenv("BELA_LOG_WITNESSES"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			if _, err := translog.NewCosignatureVerifier(k); err != nil {
				return lc, fmt.Errorf("BELA_LOG_WITNESSES: %q is not a witness verifier key (make one with `bela log witness-key`): %w", k, err)
			}
			lc.witnesses = append(lc.witnesses, k)
		}
	}
	if v := getenv("BELA_LOG_CHECKPOINT_EVERY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > time.Minute {
			return lc, fmt.Errorf("BELA_LOG_CHECKPOINT_EVERY=%q: give a duration from 1s to 1m, e.g. 10s", v)
		}
		lc.every = d
	}
	return lc, nil
}

// transLog is the transparency log as serve runs it: its public routes and background jobs.
type transLog struct {
	vkey   string
	routes []web.Route
	jobs   []*worker.Job
}

// logPatterns are the public protocol routes translog.Server answers.
var logPatterns = []string{
	"GET /log/key",
	"GET /log/checkpoint",
	"GET /log/checkpoints",
	"GET /log/entries",
	"GET /log/proof/inclusion",
	"GET /log/proof/consistency",
	"POST /log/cosignatures",
}

// setupLog loads (or, for a log never signed, creates) the log's signing key from the data
// directory, refusing a missing or different key once the log has one, records the announced
// keys for the /log page, and builds the log server's routes and the sequencing and signing
// jobs.
func setupLog(ctx context.Context, s *store.Store, lc logConfig, log *slog.Logger) (*transLog, error) {
	signer, vkey, err := logKey(ctx, s, lc.dataDir, false)
	if err != nil {
		return nil, err
	}
	srv, err := translog.NewServer(s.Log(), translog.ServerConfig{LogKey: vkey, Witnesses: lc.witnesses, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("transparency log server: %w", err)
	}
	if err := s.SetLogKeys(ctx, store.LogKeys{Log: vkey, Witnesses: lc.witnesses}); err != nil {
		return nil, keyRefused(err, lc.dataDir, vkey)
	}
	tl := &transLog{vkey: vkey}
	handle := func(w http.ResponseWriter, r *http.Request) error {
		srv.ServeHTTP(w, r)
		return nil
	}
	for _, p := range logPatterns {
		tl.routes = append(tl.routes, web.Route{Pattern: p, Access: web.Public, Handle: handle})
	}
	tl.jobs = []*worker.Job{
		// Just under the runner's one-second tick, so that it runs on every tick.
		{Name: "log-sequence", Every: 900 * time.Millisecond, Run: sequenceJob(s)},
		{Name: "log-checkpoint", Every: lc.every, Run: func(ctx context.Context) error {
			c, isNew, err := s.SignCheckpoint(ctx, signer)
			if err == nil && isNew {
				log.Info("log checkpoint signed", "size", c.Size)
			}
			return err
		}},
	}
	return tl, nil
}

// sequenceJob appends committed audit events to the log, draining a backlog for at most a few
// seconds per run; every tenth minute or so it sweeps all events for very late commits.
func sequenceJob(s *store.Store) func(ctx context.Context) error {
	const batch = 5000
	runs := 0
	return func(ctx context.Context) error {
		seq := s.SequenceLog
		if runs%600 == 0 {
			seq = s.SequenceLogAll
		}
		runs++
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			n, err := seq(ctx, batch)
			if err != nil {
				return err
			}
			if n < batch {
				return nil
			}
		}
		return nil
	}
}

const logUsage = `usage:
  bela log key         [--data DIR] [--database URL]
  bela log sign        [--data DIR] [--database URL]   (sequence pending events and sign a checkpoint now)
  bela log verify      --url URL [--key VKEY] [--state FILE] [--witness VKEY]...
  bela log verify      --data DIR [--database URL] [--state FILE] [--witness VKEY]...
  bela log witness     --url URL --key WITNESS_KEY_FILE --state FILE [--log-key VKEY]
  bela log witness-key --key WITNESS_KEY_FILE [--name NAME]
`

// cmdLog runs the transparency log's commands: print the key, verify, witness.
func cmdLog(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, logUsage)
		return errUsage
	}
	switch args[0] {
	case "key":
		return cmdLogKey(ctx, args[1:], getenv, stdout, stderr)
	case "sign":
		return cmdLogSign(ctx, args[1:], getenv, stdout, stderr)
	case "verify":
		return cmdLogVerify(ctx, args[1:], getenv, stdout, stderr)
	case "witness":
		return cmdLogWitness(ctx, args[1:], stdout, stderr)
	case "witness-key":
		return cmdLogWitnessKey(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, logUsage)
		return nil
	}
	fmt.Fprintf(stderr, "bela log: unknown command %q\n\n%s", args[0], logUsage)
	return errUsage
}

// cmdLogKey prints the log's verifier key, creating the signing key if the log has none yet.
// When the key file exists it only reads: the database is opened read-only.
func cmdLogKey(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	s, _, vkey, err := openForLog(ctx, "log key", args, getenv, stderr, true)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintln(stdout, vkey)
	return nil
}

// openForLog parses a `bela log` command's flags, opens the store and loads (or, for a log
// never signed, creates) the log's signing key. With readOnly and an existing key file, the
// database is opened read-only and the key is only checked, not recorded. The caller closes
// the store.
func openForLog(ctx context.Context, name string, args []string, getenv func(string) string, stderr io.Writer, readOnly bool) (*store.Store, note.Signer, string, error) {
	fs := flags(name, stderr)
	var c common
	c.register(fs, getenv)
	if err := parse(fs, args); err != nil {
		return nil, nil, "", err
	}
	if _, err := os.Stat(filepath.Join(c.data, translog.KeyFile)); err != nil {
		readOnly = false // a key may have to be created
	}
	var s *store.Store
	var err error
	if readOnly {
		s, err = c.openStoreReadOnly(ctx)
	} else {
		s, err = c.openStore(ctx, "")
	}
	if err != nil {
		return nil, nil, "", err
	}
	signer, vkey, err := logKey(ctx, s, c.data, readOnly)
	if err != nil {
		s.Close()
		return nil, nil, "", err
	}
	return s, signer, vkey, nil
}

// logKey loads the signing key of the instance's transparency log from dir and makes sure it
// is the log's key: the one recorded in the database and that signed the latest checkpoint.
// Unless readOnly, it records the key (so that no server with another can sign) and, for a
// log with no recorded key and no checkpoint, creates the key file when it is missing. A
// missing or different key of a log that has one is refused: a new key would make every
// verifier reject the log.
func logKey(ctx context.Context, s *store.Store, dir string, readOnly bool) (note.Signer, string, error) {
	in, err := s.GetInstance(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("the instance is not set up: run `bela migrate --instance-name ...` first: %w", err)
	}
	signer, vkey, err := translog.LoadKey(dir, in.LogOrigin)
	if errors.Is(err, fs.ErrNotExist) {
		if err := s.CheckLogKey(ctx, ""); err != nil {
			return nil, "", keyRefused(err, dir, "")
		}
		if readOnly {
			return nil, "", fmt.Errorf("no transparency log key %s in %s yet (the server creates it at first start)", translog.KeyFile, dir)
		}
		signer, vkey, err = translog.LoadOrCreateKey(dir, in.LogOrigin)
	}
	if err != nil {
		return nil, "", fmt.Errorf("transparency log key: %w", err)
	}
	if readOnly {
		err = s.CheckLogKey(ctx, vkey)
	} else {
		err = s.ClaimLogKey(ctx, vkey)
	}
	if err != nil {
		return nil, "", keyRefused(err, dir, vkey)
	}
	return signer, vkey, nil
}

// keyRefused explains a *store.LogKeyError for the key file in dir (vkey empty: missing), and
// passes other errors on.
func keyRefused(err error, dir, vkey string) error {
	var ke *store.LogKeyError
	if !errors.As(err, &ke) {
		return err
	}
	path := filepath.Join(dir, translog.KeyFile)
	have := path + " is missing"
	if vkey != "" {
		have = path + " holds another key, " + vkey
	}
	signed := ""
	if ke.SignedBy != "" {
		signed = fmt.Sprintf(" (its latest checkpoint, of size %d, is signed by %s)", ke.Size, ke.SignedBy)
	}
	return fmt.Errorf("the transparency log is signed with key %s%s, but %s: refusing to go on with a new or different key, which would make every verifier reject the log; copy %s from the data directory of the server that has signed this log (or from its backup) into %s",
		ke.Key(), signed, have, translog.KeyFile, dir)
}

// cmdLogSign appends the audit events not yet in the log and signs a checkpoint now, rather
// than waiting for the server's next run (before publishing a report, say). A running server's
// sequencer may run at the same time: the loser of a race appends nothing.
func cmdLogSign(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	s, signer, _, err := openForLog(ctx, "log sign", args, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer s.Close()
	for {
		n, err := s.SequenceLogAll(ctx, 5000)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	cp, isNew, err := s.SignCheckpoint(ctx, signer)
	if err != nil {
		return err
	}
	if !isNew {
		fmt.Fprintf(stdout, "unchanged: log %s at size %d has a checkpoint already\n", cp.Origin, cp.Size)
		return nil
	}
	fmt.Fprintf(stdout, "signed: log %s at size %d, root %s\n", cp.Origin, cp.Size, base64.StdEncoding.EncodeToString(cp.Hash[:]))
	return nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// cmdLogVerify verifies a log over HTTP (--url) or offline from a data directory (--data).
func cmdLogVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("log verify", stderr)
	var c common
	c.register(fs, getenv)
	logURL := fs.String("url", "", "the instance's address, e.g. https://bela.medan.go.id (uses only the public /log endpoints)")
	var opts translog.VerifyOptions
	fs.StringVar(&opts.Key, "key", "", "the log's verifier key, pinned (else the state file's, else the server's on first use)")
	fs.StringVar(&opts.StateFile, "state", "", "file remembering the key and the last verified checkpoint between runs")
	var witnesses listFlag
	fs.Var(&witnesses, "witness", "a witness verifier key whose cosignature is required (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	opts.Witnesses = witnesses
	var src translog.Source
	var where string
	if *logURL != "" {
		if flagSet(fs, "data") || flagSet(fs, "database") {
			fmt.Fprintln(stderr, "bela log verify: give either --url or --data/--database, not both")
			return errUsage
		}
		cl, err := translog.NewClient(*logURL, &http.Client{Timeout: 5 * time.Minute})
		if err != nil {
			return err
		}
		src, where = cl, *logURL
	} else {
		if c.database == "" {
			if _, err := os.Stat(filepath.Join(c.data, "bela.db")); err != nil {
				return fmt.Errorf("no Bela database in %s (give --data DIR, --database URL, or --url URL)", c.data)
			}
		}
		s, err := c.openStoreReadOnly(ctx) // an auditor's copy: never written nor migrated
		if err != nil {
			return err
		}
		defer s.Close()
		in, err := s.GetInstance(ctx)
		if err != nil {
			return fmt.Errorf("the instance is not set up: %w", err)
		}
		if _, err := os.Stat(filepath.Join(c.data, translog.KeyFile)); errors.Is(err, os.ErrNotExist) && opts.Key == "" {
			return fmt.Errorf("no transparency log key %s in %s (the server creates it at first start; or give --key)", translog.KeyFile, c.data)
		}
		if opts.Key == "" {
			_, vkey, err := translog.LoadKey(c.data, in.LogOrigin)
			if err != nil {
				return fmt.Errorf("transparency log key: %w", err)
			}
			opts.Key = vkey
		}
		src, where = translog.NewLocal(s.Log(), 0), c.data
	}
	res, err := translog.Verify(ctx, src, opts)
	if err != nil {
		return fmt.Errorf("log verification FAILED for %s: %w", where, err)
	}
	if res.FirstUse {
		fmt.Fprintf(stderr, "warning: no --key given and none recorded: trusting the key the server announced on first use: %s\n", res.Key)
		fmt.Fprintln(stderr, "warning: compare it with the key the Pemda publishes (its /log page, `bela log key`), then pin it with --key or --state")
	}
	cp := res.Checkpoint
	fmt.Fprintf(stdout, "OK: log %s verified\n", cp.Origin)
	fmt.Fprintf(stdout, "  key:        %s\n", res.Key)
	fmt.Fprintf(stdout, "  checkpoint: size %d, root %s\n", cp.Size, base64.StdEncoding.EncodeToString(cp.Hash[:]))
	fmt.Fprintf(stdout, "  entries:    all %d re-hashed from the first into the signed root\n", cp.Size)
	if res.Previous.Size > 0 {
		fmt.Fprintf(stdout, "  history:    consistent with the checkpoint of size %d verified before\n", res.Previous.Size)
	}
	for _, c := range res.Cosignatures {
		fmt.Fprintf(stdout, "  cosigned:   %s at %s\n", c.Witness, c.Time.Format(time.RFC3339))
	}
	if opts.StateFile != "" {
		fmt.Fprintf(stdout, "  state:      recorded in %s\n", opts.StateFile)
	}
	return nil
}

// flagSet reports whether the named flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// cmdLogWitness cosigns the log's newest checkpoint if it is consistent with the one this
// witness cosigned last, and posts the cosignature.
func cmdLogWitness(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("log witness", stderr)
	logURL := fs.String("url", "", "the instance's address")
	keyFile := fs.String("key", "", "the witness's secret key file (make one with `bela log witness-key`)")
	state := fs.String("state", "", "file remembering the log key and the last checkpoint cosigned (required)")
	logKey := fs.String("log-key", "", "the log's verifier key, pinned (else the state file's, else the server's on first use)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *logURL == "" || *keyFile == "" || *state == "" {
		fmt.Fprint(stderr, "bela log witness: --url, --key and --state are required\n")
		return errUsage
	}
	if _, err := os.Stat(*keyFile); err != nil {
		return fmt.Errorf("witness key file %s: %w (create it with `bela log witness-key --key %s --name NAME`)", *keyFile, err, *keyFile)
	}
	cosigner, err := translog.LoadOrCreateWitnessKey(*keyFile, "", time.Now)
	if err != nil {
		return err
	}
	cl, err := translog.NewClient(*logURL, &http.Client{Timeout: time.Minute})
	if err != nil {
		return err
	}
	res, err := translog.Witness(ctx, cl, translog.WitnessOptions{Cosigner: cosigner, LogKey: *logKey, StateFile: *state})
	if err != nil {
		return fmt.Errorf("witness %s: %w", cosigner.Name(), err)
	}
	if res.FirstUse {
		fmt.Fprintf(stderr, "warning: no --log-key given and none recorded: trusting the log key the server announced on first use\n")
	}
	cp := res.Checkpoint
	fmt.Fprintf(stdout, "cosigned: log %s at size %d, root %s, as %s\n", cp.Origin, cp.Size, base64.StdEncoding.EncodeToString(cp.Hash[:]), cosigner.Name())
	if res.Previous.Size > 0 {
		fmt.Fprintf(stdout, "  consistent with the checkpoint of size %d cosigned before\n", res.Previous.Size)
	}
	return nil
}

// cmdLogWitnessKey creates a witness key file if needed and prints its verifier key, which the
// log's operator registers in BELA_LOG_WITNESSES.
func cmdLogWitnessKey(args []string, stdout, stderr io.Writer) error {
	fs := flags("log witness-key", stderr)
	keyFile := fs.String("key", "", "the witness's secret key file; created (mode 0600) if it does not exist")
	name := fs.String("name", "", "the witness's name when creating the key, e.g. apip.medan.go.id")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *keyFile == "" {
		fmt.Fprint(stderr, "bela log witness-key: --key is required\n")
		return errUsage
	}
	if _, err := os.Stat(*keyFile); errors.Is(err, os.ErrNotExist) && *name == "" {
		return fmt.Errorf("witness key file %s does not exist: give --name to create it", *keyFile)
	}
	c, err := translog.LoadOrCreateWitnessKey(*keyFile, *name, time.Now)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, c.VerifierKey())
	return nil
}

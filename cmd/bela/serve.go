package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"bela/internal/blob"
	"bela/internal/demo"
	"bela/internal/market"
	"bela/internal/store"
	"bela/internal/web"
	"bela/internal/worker"
)

type serveConfig struct {
	common
	addr       string
	publicURL  string
	ocidPrefix string
	smtp       worker.SMTP
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("serve", stderr)
	var c serveConfig
	c.common.register(fs, getenv)
	fs.StringVar(&c.addr, "addr", envOr(getenv, "BELA_ADDR", "127.0.0.1:8080"), "listen address (BELA_ADDR)")
	fs.StringVar(&c.publicURL, "public-url", getenv("BELA_PUBLIC_URL"), "address citizens use, for QR codes, e-mail links and Secure cookies (BELA_PUBLIC_URL)")
	fs.StringVar(&c.ocidPrefix, "ocds-prefix", getenv("BELA_OCDS_PREFIX"), "the OCDS prefix registered for this instance with the Open Contracting Partnership, which starts every published ocid (BELA_OCDS_PREFIX; \"ocds-bela\" and the region code's digits until registered)")
	c.smtp = worker.SMTP{Addr: getenv("BELA_SMTP_ADDR"), From: getenv("BELA_SMTP_FROM"), Username: getenv("BELA_SMTP_USER"), Password: getenv("BELA_SMTP_PASSWORD")}
	if err := parse(fs, args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (choose another with --addr)", c.addr, err)
	}
	if c.publicURL == "" {
		c.publicURL = "http://" + ln.Addr().String()
	}
	s, err := c.openStore(ctx, c.publicURL)
	if err != nil {
		ln.Close()
		return err
	}
	defer s.Close()
	if _, err := s.GetInstance(ctx); errors.Is(err, market.ErrNotFound) {
		ln.Close()
		return errors.New("the instance is not set up: run `bela migrate --instance-name \"Pemerintah Kota Medan\" --region-code 12.71 --time-zone Asia/Jakarta` first")
	}
	lc, err := newLogConfig(c.data, getenv)
	if err != nil {
		ln.Close()
		return err
	}
	return serve(ctx, s, ln, c.publicURL, c.ocidPrefix, c.smtp, lc, newLogger(stderr), nil)
}

// serve runs the web server and the background jobs until ctx ends, then shuts down gracefully.
// ready, when not nil, is called once the server accepts connections.
func serve(ctx context.Context, s *store.Store, ln net.Listener, publicURL, ocidPrefix string, smtp worker.SMTP, lc logConfig, log *slog.Logger, ready func()) error {
	tl, err := setupLog(ctx, s, lc, log)
	if err != nil {
		ln.Close()
		return err
	}
	blobs, err := blob.Open(lc.dataDir)
	if err != nil {
		ln.Close()
		return err
	}
	h, err := web.New(ctx, web.Config{Store: s, Logger: log, PublicURL: publicURL, OCIDPrefix: ocidPrefix, Extra: tl.routes, Blobs: blobs})
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	jobCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	runner := &worker.Runner{Store: s, Logger: log, Jobs: append([]*worker.Job{worker.OutboxJob(s, smtp), suspensionJob(s), worker.ExpiryJob(s, log), worker.TokenReminderJob(s, log)}, tl.jobs...)}
	done := make(chan struct{})
	go func() { runner.Run(jobCtx); close(done) }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "public_url", publicURL, "database", string(s.Dialect()))
	if ready != nil {
		ready()
	}
	select {
	case err := <-errc:
		stopJobs()
		<-done
		return fmt.Errorf("server stopped: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	stopJobs()
	<-done
	log.Info("stopped")
	return err
}

func cmdDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("demo", stderr)
	addr := fs.String("addr", envOr(getenv, "BELA_ADDR", "127.0.0.1:8080"), "listen address (BELA_ADDR)")
	data := fs.String("data", "", "a data directory that does not exist yet; a new temporary one when empty")
	scale := fs.Int("scale", 1, "multiply the demo data (for benchmarks)")
	small := fs.Bool("small", false, "a tiny data set instead (for tests under the race detector and slow machines)")
	quiet := fs.Bool("quiet", false, "no request logs on stderr")
	if err := parse(fs, args); err != nil {
		return err
	}
	dir := *data
	temporary := dir == ""
	if temporary {
		d, err := os.MkdirTemp("", "bela-demo-")
		if err != nil {
			return fmt.Errorf("cannot create a temporary data directory: %w", err)
		}
		dir = d
		defer os.RemoveAll(dir) // after the store closes (defers run last first)
	} else if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("data directory %s already exists: demo data needs a new one (remove it or choose another with --data)", dir)
	}
	lc, err := newLogConfig(dir, getenv)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (choose another with --addr, e.g. --addr 127.0.0.1:0)", *addr, err)
	}
	publicURL := "http://" + ln.Addr().String()
	c := common{data: dir}
	s, err := c.openStore(ctx, publicURL)
	if err != nil {
		ln.Close()
		return err
	}
	defer s.Close()
	start := time.Now()
	blobs, err := blob.Open(dir)
	if err != nil {
		ln.Close()
		return err
	}
	res, err := demo.Load(ctx, s, demo.Options{Small: *small, Scale: *scale, Blobs: blobs})
	if err != nil {
		ln.Close()
		return fmt.Errorf("load demo data: %w", err)
	}
	logOut := stderr
	if *quiet {
		logOut = io.Discard
	}
	return serve(ctx, s, ln, publicURL, "", worker.SMTP{}, lc, newLogger(logOut), func() {
		fmt.Fprintf(stdout, "Bela demo — %s\nURL:  %s\nData: %s (%s, loaded in %s: %d units, %d sellers, %d users, %d approved products)\n\n",
			"Pemerintah Kota Medan", publicURL, dir, s.Dialect(), time.Since(start).Round(time.Millisecond), res.Units, res.Sellers, res.Users, res.Products)
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ROLE\tE-MAIL\tPASSWORD\tSCOPE")
		for _, l := range res.Logins {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", l.Role, l.Email, l.Password, l.Scope)
		}
		tw.Flush()
		if temporary {
			fmt.Fprintln(stdout, "\nThe data directory is removed on exit; --data DIR keeps the data.")
		}
		fmt.Fprintln(stdout, "\nPress Ctrl+C to stop.")
	})
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("migrate", stderr)
	var c common
	c.register(fs, getenv)
	name := fs.String("instance-name", "", "set up the instance: the Pemda's name, e.g. \"Pemerintah Kota Medan\"; the first one also fixes the transparency log's origin for good")
	region := fs.String("region-code", "", "the region code (kode wilayah, Kemendagri), e.g. 12.71 for Kota Medan; required with --instance-name")
	tz := fs.String("time-zone", "Asia/Jakarta", "the instance's time zone")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *name == "" {
		bad := ""
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "region-code" || f.Name == "time-zone" {
				bad = f.Name
			}
		})
		if bad != "" {
			return fmt.Errorf("--%s sets up the instance: give it with --instance-name (and --region-code)", bad)
		}
	} else if err := store.CheckRegionCode(*region); err != nil {
		return fmt.Errorf("--region-code %q: %s", *region, userMessage(err))
	}
	s, err := c.openStore(ctx, "")
	if err != nil {
		return err
	}
	defer s.Close()
	if *name != "" {
		old, err := s.GetInstance(ctx)
		first := errors.Is(err, market.ErrNotFound)
		if err != nil && !first {
			return err
		}
		origin := store.DefaultLogOrigin(*name)
		if !first && origin != old.LogOrigin {
			return fmt.Errorf("the instance is set up as %q and its transparency log's origin %q cannot change (checkpoints, witnesses and verifiers name the log by it); "+
				"--instance-name %q would make it %q. To change the region code or time zone, run migrate again with --instance-name %q",
				old.Name, old.LogOrigin, *name, origin, old.Name)
		}
		if err := s.SetInstance(ctx, store.System, store.Instance{Name: *name, RegionCode: *region, TimeZone: *tz}); err != nil {
			return err
		}
		if first {
			fmt.Fprintf(stdout, "note: the transparency log's origin is now %q, made from --instance-name; it is fixed for good (checkpoints, witnesses and verifiers name the log by it), so later runs must keep this instance name\n", origin)
		}
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database (%s) at schema version %d\n", s.Dialect(), v)
	if in, err := s.GetInstance(ctx); err == nil {
		fmt.Fprintf(stdout, "instance: %s (%s, %s)\n", in.Name, in.RegionCode, in.TimeZone)
	} else {
		fmt.Fprintln(stdout, "instance: not set up yet (use --instance-name)")
	}
	return nil
}

func cmdUserAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("user add", stderr)
	var c common
	c.register(fs, getenv)
	email := fs.String("email", "", "e-mail (the login)")
	name := fs.String("name", "", "full name")
	roleName := fs.String("role", "", "role: "+roleList())
	unit := fs.String("unit", "", "unit code, for unit roles")
	seller := fs.Int64("seller", 0, "seller id, for seller roles")
	password := fs.String("password", "", "password (at least 10 characters); when empty, a one-time link to set it is printed")
	nip := fs.String("nip", "", "NIP (optional)")
	publicURL := fs.String("public-url", getenv("BELA_PUBLIC_URL"), "address citizens use, as for serve: the password link is printed (and e-mailed) with it (BELA_PUBLIC_URL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	role, err := market.ParseRole(*roleName)
	if err != nil {
		return fmt.Errorf("--role: use one of %s", roleList())
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	switch market.ScopeOf(role) {
	case market.ScopeUnit:
		if given["seller"] {
			return fmt.Errorf("role %s belongs to a unit: --seller does not apply to it (give --unit CODE only)", role)
		}
	case market.ScopeSeller:
		if given["unit"] {
			return fmt.Errorf("role %s belongs to a seller: --unit does not apply to it (give --seller ID only)", role)
		}
	default:
		for _, f := range []string{"unit", "seller"} {
			if given[f] {
				return fmt.Errorf("role %s covers the whole instance: --%s does not apply to it (leave it out)", role, f)
			}
		}
	}
	base := strings.TrimSuffix(*publicURL, "/")
	s, err := c.openStore(ctx, base)
	if err != nil {
		return err
	}
	defer s.Close()
	g := store.Grant{Role: role}
	switch market.ScopeOf(role) {
	case market.ScopeUnit:
		if *unit == "" {
			return fmt.Errorf("role %s needs --unit CODE", role)
		}
		units, err := s.ListUnits(ctx)
		if err != nil {
			return err
		}
		for _, u := range units {
			if u.Code == *unit {
				g.ScopeID = u.ID
			}
		}
		if g.ScopeID == 0 {
			return fmt.Errorf("no unit with code %q", *unit)
		}
	case market.ScopeSeller:
		if *seller == 0 {
			return fmt.Errorf("role %s needs --seller ID", role)
		}
		g.ScopeID = *seller
	}
	u, err := s.CreateUser(ctx, store.System, store.NewUser{Name: *name, Email: *email, NIP: *nip, Password: *password}, g)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "user %d %s added as %s\n", u.ID, u.Email, role)
	if *password == "" {
		tok, err := s.RequestPasswordReset(ctx, u.Email)
		if err != nil {
			return err
		}
		link := "/kata-sandi/atur?token=" + tok
		if base != "" {
			fmt.Fprintf(stdout, "set the password within 2 hours at: %s%s\n", base, link)
		} else {
			// Without a public URL only the path is known: say where to open it.
			fmt.Fprintf(stdout, "set the password within 2 hours: open %s on the server's address, e.g. http://%s%s while `bela serve` listens on %s (--public-url or BELA_PUBLIC_URL prints the whole link)\n",
				link, envOr(getenv, "BELA_ADDR", "127.0.0.1:8080"), link, envOr(getenv, "BELA_ADDR", "127.0.0.1:8080"))
		}
	}
	return nil
}

func roleList() string {
	var names []string
	for _, r := range market.Roles {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

// suspensionJob ends seller suspensions whose end date has passed, with their audit events
// (reads already treat them as ended; this makes it durable and tells the owners).
func suspensionJob(s *store.Store) *worker.Job {
	return &worker.Job{Name: "seller-suspensions", Every: time.Minute, Run: func(ctx context.Context) error {
		_, err := s.EndSuspensions(ctx)
		return err
	}}
}

// Command bela runs Bela: a Pemda's direct purchasing from micro and small enterprises (UMK),
// with every rupiah visible to the public.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	_ "time/tzdata" // instance time zones work on machines without a zoneinfo database

	"bela/internal/market"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "bela:", userMessage(err))
		}
		os.Exit(2)
	}
}

// errUsage marks an error already explained on stderr (bad flags, -h).
var errUsage = errors.New("usage")

// userMessage is one line saying what went wrong and, where possible, what to do.
func userMessage(err error) string {
	var me *market.Error
	if errors.As(err, &me) {
		// Each message once: a field's message is often the main message itself.
		msg := me.Message
		said := map[string]bool{me.Message: true}
		fields := make([]string, 0, len(me.Fields))
		for f := range me.Fields {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			if m := me.Fields[f]; !said[m] {
				said[m] = true
				msg += fmt.Sprintf(" [%s: %s]", f, m)
			}
		}
		if me.Err != nil && me.Code == market.CodeUnavailable {
			msg += ": " + me.Err.Error()
		}
		return msg
	}
	return err.Error()
}

const usage = `bela — belanja langsung pemerintah daerah dari UMK

Usage:
  bela serve   [--addr 127.0.0.1:8080] [--data DIR] [--database postgres://...] [--public-url URL] [--ocds-prefix ocds-xxxxxx]
  bela demo    [--addr 127.0.0.1:8080] [--data DIR] [--scale N]
  bela migrate [--data DIR] [--database URL] [--instance-name NAME --region-code CODE --time-zone TZ]
               (the first --instance-name also fixes the transparency log's origin for good)
  bela user add --email E --name N --role ROLE [--unit CODE | --seller ID] [--password P] [--public-url URL] [--data DIR] [--database URL]
  bela log     key | sign | verify | witness | witness-key   (the transparency log; bela log -h)
  bela import products --seller ID [--dry-run] FILE [--data DIR] [--database URL]
  bela export  rilis.json|rekaman.json|pesanan.csv|barang.csv|pembayaran.csv|belanja.xlsx [--year Y] [--since DAY] [--out PATH]
               (the public portal's open data, for publishing from a scheduled job; bela export -h)
  bela version

Each command takes -h. Settings also come from BELA_ADDR, BELA_DATA, BELA_DATABASE, BELA_PUBLIC_URL,
and for the transparency log BELA_LOG_WITNESSES (witness keys) and BELA_LOG_CHECKPOINT_EVERY.
`

// run is the whole program, callable from tests with its own arguments, environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], getenv, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		if len(args) < 2 || args[1] != "add" {
			fmt.Fprint(stderr, "usage: bela user add --email E --name N --role ROLE [--unit CODE | --seller ID]\n")
			return errUsage
		}
		return cmdUserAdd(ctx, args[2:], getenv, stdout, stderr)
	case "log":
		return cmdLog(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		return cmdImport(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		return cmdExport(ctx, args[1:], getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "bela", version())
		return nil
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "bela: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

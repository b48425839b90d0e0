package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"bela/internal/importer"
	"bela/internal/store"
)

const importUsage = "usage: bela import products --seller ID [--dry-run] FILE [--data DIR] [--database URL]\n"

// errInvalidRows reports that an import left rows out; the report above says which.
var errInvalidRows = errors.New("some rows are invalid")

// cmdImport imports a product sheet (XLSX or CSV) into a seller's draft listings, printing the
// same row-by-row report as the web preview. With --dry-run nothing is stored. The command
// fails (exit 2) when any row is invalid, after applying the valid ones.
func cmdImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "products" {
		fmt.Fprint(stderr, importUsage)
		return errUsage
	}
	fs := flags("import products", stderr)
	var c common
	c.register(fs, getenv)
	seller := fs.Int64("seller", 0, "the seller's id")
	dry := fs.Bool("dry-run", false, "show what the import would do without storing anything")
	// The file may come before or after the flags.
	var files []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 1 || *seller <= 0 {
		fmt.Fprint(stderr, importUsage)
		return errUsage
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return fmt.Errorf("read %s: %w", files[0], err)
	}
	rows, err := importer.Parse(data)
	if err != nil {
		return err
	}
	s, err := c.openStore(ctx, getenv("BELA_PUBLIC_URL"))
	if err != nil {
		return err
	}
	defer s.Close()
	var rep store.ImportReport
	if *dry {
		rep, err = s.PreviewImport(ctx, *seller, rows)
	} else {
		rep, err = s.ApplyImport(ctx, store.System, *seller, rows)
	}
	if err != nil {
		return err
	}
	printImport(stdout, rep)
	if rep.Counts[store.ImportInvalid] > 0 {
		return fmt.Errorf("%d baris tidak valid: %w", rep.Counts[store.ImportInvalid], errInvalidRows)
	}
	return nil
}

// printImport writes the report: one line per row, then the counts.
func printImport(w io.Writer, rep store.ImportReport) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BARIS\tSKU\tHASIL\tMASALAH")
	for _, r := range rep.Rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", r.Line, r.SKU, r.Action.Label(), strings.Join(r.Problems, "; "))
	}
	tw.Flush()
	var parts []string
	for _, a := range []store.ImportAction{store.ImportCreate, store.ImportUpdate, store.ImportRevision, store.ImportUnchanged, store.ImportInvalid} {
		parts = append(parts, fmt.Sprintf("%s %d", strings.ToLower(a.Label()), rep.Counts[a]))
	}
	fmt.Fprintln(w, strings.Join(parts, ", "))
	if !rep.Applied {
		fmt.Fprintln(w, "Pratinjau (--dry-run): tidak ada yang disimpan.")
	}
}

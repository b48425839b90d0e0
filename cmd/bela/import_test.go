package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bela/internal/store"
)

func TestImportProductsCommand(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{Path: filepath.Join(dir, "bela.db")})
	if err != nil {
		t.Fatal(err)
	}
	sl, err := s.CreateSeller(ctx, store.System, "Toko ATK Sinar", "Medan Baru", "verified")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO seller_kbli (seller_id, kbli) VALUES ($1, '47611')`, sl.ID); err != nil {
		t.Fatal(err)
	}
	s.Close()
	file := filepath.Join(dir, "produk.csv")
	csv := "SKU,Nama,Deskripsi,Kategori,Satuan,Harga\n" +
		"HVS-A4,Kertas HVS A4,Kertas fotokopi,01.01.01,rim,55000\n" +
		"LAP-1,Laptop,Laptop kantor,07.01.01,unit,9000000\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	seller := fmt.Sprint(sl.ID)
	count := func() int {
		s, err := store.Open(ctx, store.Config{Path: filepath.Join(dir, "bela.db")})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		list, err := s.ListSellerProducts(ctx, sl.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		return len(list.Products)
	}

	out, _, err := runCmd(t, "import", "products", "--seller", seller, "--dry-run", file, "--data", dir)
	if err == nil || !strings.Contains(err.Error(), "1 baris tidak valid") {
		t.Errorf("dry run error = %v", err)
	}
	for _, want := range []string{"HVS-A4", "Dibuat", "LAP-1", "Tidak valid", "KBLI", "dibuat 1", "Pratinjau (--dry-run)"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry-run report lacks %q:\n%s", want, out)
		}
	}
	if n := count(); n != 0 {
		t.Fatalf("--dry-run stored %d listings", n)
	}
	out, _, _ = runCmd(t, "import", "products", "--data", dir, "--seller", seller, file)
	if strings.Contains(out, "Pratinjau") || count() != 1 {
		t.Errorf("import: %d listings\n%s", count(), out)
	}
	out, _, _ = runCmd(t, "import", "products", "--data", dir, "--seller", seller, file)
	if !strings.Contains(out, "Tidak berubah") || count() != 1 {
		t.Errorf("second import duplicated or changed: %d listings\n%s", count(), out)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import"}, "usage"},
		{[]string{"import", "products", file}, "usage"},
		{[]string{"import", "products", "--seller", seller}, "usage"},
		{[]string{"import", "products", "--seller", seller, "--data", dir, filepath.Join(dir, "none.csv")}, "no such file"},
	} {
		_, stderr, err := runCmd(t, tc.args...)
		if err == nil || !strings.Contains(stderr+err.Error(), tc.want) {
			t.Errorf("%v: err %v, stderr %q", tc.args, err, stderr)
		}
	}
}

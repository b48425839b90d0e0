package main

import (
	"strings"
	"testing"
)

// The README's sequence, without BELA_PUBLIC_URL: the password link says where to open it, and
// --public-url (like serve's) prints the whole link.
func TestUserAddPrintsAFollowablePasswordLink(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71", "--time-zone", "Asia/Jakarta"); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, "user", "add", "--data", dir, "--role", "admin", "--name", "Admin UKPBJ", "--email", "ukpbj@pemkomedan.go.id")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "at: /kata-sandi") || !strings.Contains(out, "http://127.0.0.1:8080/kata-sandi/atur?token=") || !strings.Contains(out, "server's address") {
		t.Errorf("the link has no address to open it on:\n%s", out)
	}
	out, _, err = runCmd(t, "user", "add", "--data", dir, "--role", "auditor", "--name", "Auditor", "--email", "apip@pemkomedan.go.id", "--public-url", "https://bela.pemkomedan.go.id/")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "at: https://bela.pemkomedan.go.id/kata-sandi/atur?token=") {
		t.Errorf("--public-url is not used for the link:\n%s", out)
	}
}

// A store error whose field message repeats the main message is said once.
func TestUserAddErrorSaysEachMessageOnce(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71"); err != nil {
		t.Fatal(err)
	}
	args := []string{"user", "add", "--data", dir, "--role", "admin", "--name", "Admin", "--email", "admin@medan.test", "--password", "kata-sandi-admin"}
	if _, _, err := runCmd(t, args...); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, args...)
	if err == nil {
		t.Fatal("the same e-mail was accepted twice")
	}
	msg := userMessage(err)
	if !strings.Contains(msg, "Alamat e-mail sudah terdaftar.") || strings.Count(msg, "Alamat e-mail sudah terdaftar.") != 1 || strings.Contains(msg, "[email:") {
		t.Errorf("message %q does not say its text exactly once", msg)
	}
}

// Scope flags that the role does not use are refused, not ignored.
func TestUserAddRefusesScopeFlagsTheRoleDoesNotUse(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"admin with a unit", []string{"--role", "admin", "--unit", "FOO"}, "--unit does not apply"},
		{"admin with a seller", []string{"--role", "admin", "--seller", "3"}, "--seller does not apply"},
		{"admin with both", []string{"--role", "admin", "--unit", "FOO", "--seller", "3"}, "does not apply"},
		{"auditor with a zero seller", []string{"--role", "auditor", "--seller", "0"}, "--seller does not apply"},
		{"buyer with a seller", []string{"--role", "buyer", "--unit", "U1", "--seller", "3"}, "--seller does not apply"},
		{"seller owner with a unit", []string{"--role", "seller_owner", "--seller", "3", "--unit", "U1"}, "--unit does not apply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"user", "add", "--data", dir, "--name", "X", "--email", "x@medan.test", "--password", "kata-sandi-x1"}, tc.args...)
			out, _, err := runCmd(t, args...)
			if err == nil {
				t.Fatalf("accepted: %s", out)
			}
			if msg := userMessage(err); !strings.Contains(msg, tc.want) {
				t.Errorf("message %q lacks %q", msg, tc.want)
			}
		})
	}
}

// The region code is a Kemendagri code; a bad or missing one is refused and nothing is stored.
func TestMigrateChecksTheRegionCode(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"abc", "Kode wilayah tidak valid"},
		{"", "Kode wilayah wajib diisi"},
		{"12.7", "Kode wilayah tidak valid"},
		{"12.71.01", "Kode wilayah tidak valid"},
		{"1271", "Kode wilayah tidak valid"},
		{"99.71", "Kode provinsi"},
		{"12.00", "tidak boleh 00"},
	} {
		// A named subtest: "" would be "#00", and a "#" in the data directory cuts the SQLite path.
		t.Run("code="+tc.code, func(t *testing.T) {
			dir := t.TempDir()
			_, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", tc.code)
			if err == nil {
				t.Fatal("accepted")
			}
			if msg := userMessage(err); !strings.Contains(msg, "--region-code") || !strings.Contains(msg, tc.want) {
				t.Errorf("message %q lacks --region-code and %q", msg, tc.want)
			}
			out, _, err := runCmd(t, "migrate", "--data", dir)
			if err != nil || !strings.Contains(out, "not set up yet") {
				t.Errorf("an instance was stored: %q %v", out, err)
			}
		})
	}
	for _, code := range []string{"12.71", "12", "31.71"} {
		out, _, err := runCmd(t, "migrate", "--data", t.TempDir(), "--instance-name", "Pemerintah Kota Medan", "--region-code", code)
		if err != nil || !strings.Contains(out, "("+code+", Asia/Jakarta)") {
			t.Errorf("%s: %q %v", code, out, err)
		}
	}
	if _, _, err := runCmd(t, "migrate", "--data", t.TempDir(), "--region-code", "12.71"); err == nil || !strings.Contains(err.Error(), "--instance-name") {
		t.Errorf("--region-code without --instance-name: %v", err)
	}
}

// The first migrate says that the instance name fixes the log's origin; a later one with
// another name says what to do instead of only refusing.
func TestMigrateExplainsTheFixedLogOrigin(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71")
	if err != nil || !strings.Contains(out, `"bela.pemerintah-kota-medan/log"`) || !strings.Contains(out, "fixed for good") {
		t.Fatalf("first migrate does not warn about the origin: %q %v", out, err)
	}
	out, _, err = runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemerintah Kota Medan", "--region-code", "12.71", "--time-zone", "Asia/Makassar")
	if err != nil || strings.Contains(out, "fixed for good") || !strings.Contains(out, "Asia/Makassar") {
		t.Fatalf("re-running with the same name: %q %v", out, err)
	}
	_, _, err = runCmd(t, "migrate", "--data", dir, "--instance-name", "Pemkot Medan", "--region-code", "12.71")
	if err == nil {
		t.Fatal("the origin changed")
	}
	if msg := userMessage(err); !strings.Contains(msg, `"bela.pemerintah-kota-medan/log"`) || !strings.Contains(msg, `run migrate again with --instance-name "Pemerintah Kota Medan"`) {
		t.Errorf("message %q does not say what to do", msg)
	}
}

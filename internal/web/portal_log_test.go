package web_test

import (
	"crypto/rand"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"bela/internal/store"
	"bela/internal/translog"
	"bela/internal/web"
)

// TestLogPage opens the public transparency log page before and after the log has a key, a
// checkpoint and a witness cosignature, and drives the mounted log protocol routes the way the
// command-line verifier and witness do.
func TestLogPage(t *testing.T) {
	f := newFixture(t)
	for _, lang := range []string{"id", "en"} {
		req := httptest.NewRequest("GET", "/log", nil)
		req.AddCookie(&http.Cookie{Name: "bela_lang", Value: lang})
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		want := map[string]string{"id": "Belum ada checkpoint", "en": "No checkpoint yet"}[lang]
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
			t.Fatalf("%s: empty log page: %d\n%s", lang, rec.Code, rec.Body.String())
		}
	}

	skey, vkey, err := note.GenerateKey(rand.Reader, "bela.pemerintah-kota-medan/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	wskey, wvkey, err := translog.GenerateWitnessKey(rand.Reader, "apip.medan")
	if err != nil {
		t.Fatal(err)
	}
	cosigner, err := translog.NewCosigner(wskey, f.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetLogKeys(ctx, store.LogKeys{Log: vkey, Witnesses: []string{wvkey}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SequenceLog(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	cp, _, err := f.s.SignCheckpoint(ctx, signer)
	if err != nil {
		t.Fatal(err)
	}

	// The log protocol, mounted as public extra routes behind the application's middleware.
	logSrv, err := translog.NewServer(f.s.Log(), translog.ServerConfig{LogKey: vkey, Witnesses: []string{wvkey}})
	if err != nil {
		t.Fatal(err)
	}
	handle := func(w http.ResponseWriter, r *http.Request) error { logSrv.ServeHTTP(w, r); return nil }
	srv, err := web.New(ctx, web.Config{Store: f.s, Clock: f.clock, PublicURL: "http://bela.test", Extra: []web.Route{
		{Pattern: "GET /log/key", Access: web.Public, Handle: handle},
		{Pattern: "GET /log/checkpoint", Access: web.Public, Handle: handle},
		{Pattern: "GET /log/entries", Access: web.Public, Handle: handle},
		{Pattern: "GET /log/proof/consistency", Access: web.Public, Handle: handle},
		{Pattern: "POST /log/cosignatures", Access: web.Public, Handle: handle},
	}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	client, err := translog.NewClient(hs.URL, hs.Client())
	if err != nil {
		t.Fatal(err)
	}
	// A witness posts without an Origin header, as a command-line program does.
	if _, err := translog.Witness(ctx, client, translog.WitnessOptions{Cosigner: cosigner, StateFile: t.TempDir() + "/w.json"}); err != nil {
		t.Fatalf("witness through the web server: %v", err)
	}
	if _, err := translog.Verify(ctx, client, translog.VerifyOptions{Key: vkey, Witnesses: []string{wvkey}}); err != nil {
		t.Fatalf("verify through the web server: %v", err)
	}
	// A browser on another site cannot post.
	req, _ := http.NewRequest("POST", hs.URL+"/log/cosignatures", strings.NewReader("x"))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, err := hs.Client().Do(req); err != nil || res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post: %v %v", res, err)
	}

	_, body := f.do("", "GET", "/log", nil)
	body = html.UnescapeString(body) // html/template writes '+' as &#43;
	for _, want := range []string{
		"Log transparansi", vkey, "apip.medan", wvkey,
		`data-testid="log-size">` + strconv.FormatInt(cp.Size, 10) + "<",
		`data-testid="log-cosignatures"`,
		"bela log verify --url http://bela.test --key " + vkey + " --state bela-log.json",
		"--witness " + wvkey,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("log page lacks %q", want)
		}
	}
	// Signed-in users find the page in the navigation.
	if _, body := f.do("buyer", "GET", "/beranda", nil); !strings.Contains(body, `href="/log"`) {
		t.Error("no link to the log page in the navigation")
	}
}

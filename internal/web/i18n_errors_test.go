package web

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"bela/internal/market"
)

// codeMessages reads the project's Go code (without tests) and returns the user messages it
// writes: the string literals, or fmt.Sprintf formats, given to market.Invalid, Conflict,
// Forbidden and Errorf, to FieldErrors.Add, requireText and the importer's fileError, as an
// Error's Message, to an import row's Errors, returned last by a validator or named in a
// function; and, apart,
// the things market.NotFound is given. Each is returned with where it is written.
func codeMessages(t *testing.T) (messages, things map[string]string) {
	t.Helper()
	messages, things = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	literal := func(e ast.Expr) (string, bool) {
		if call, ok := e.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Sprintf" || len(call.Args) == 0 {
				return "", false
			}
			e = call.Args[0]
		}
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(lit.Value)
		return s, err == nil
	}
	add := func(into map[string]string, e ast.Expr) {
		if s, ok := literal(e); ok {
			into[s] = fset.Position(e.Pos()).String()
		}
	}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				var name, pkg string
				switch fn := x.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
					if id, ok := fn.X.(*ast.Ident); ok {
						pkg = id.Name
					}
				case *ast.Ident:
					name = fn.Name
				}
				switch {
				case name == "Invalid" && len(x.Args) == 2, name == "Errorf" && len(x.Args) >= 2 && (pkg == "market" || pkg == ""):
					add(messages, x.Args[1])
				case name == "Add" && len(x.Args) == 2:
					// FieldErrors.Add, told from other Adds (url.Values, http.Header) by
					// its message being a sentence.
					if s, ok := literal(x.Args[1]); ok && strings.Contains(s, " ") {
						add(messages, x.Args[1])
					}
				case (name == "Conflict" || name == "Forbidden" || name == "fileError") && len(x.Args) == 1:
					add(messages, x.Args[0])
				case name == "append" && len(x.Args) == 2:
					// A list of reasons built sentence by sentence: append(reasons, "…").
					if s, ok := literal(x.Args[1]); ok && isSentence(s) {
						add(messages, x.Args[1])
					}
				case name == "requireText" && len(x.Args) == 5:
					add(messages, x.Args[3])
				case name == "NotFound" && len(x.Args) == 1:
					add(things, x.Args[0])
				}
			case *ast.AssignStmt:
				if len(x.Lhs) != 1 || len(x.Rhs) != 1 {
					break
				}
				switch lhs := x.Lhs[0].(type) {
				case *ast.IndexExpr: // an import row's cell: row.Errors["price"] = "…"
					if sel, ok := lhs.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Errors" {
						add(messages, x.Rhs[0])
					}
				case *ast.SelectorExpr: // an error's message set later: e.Message = "…"
					if lhs.Sel.Name == "Message" {
						add(messages, x.Rhs[0])
					}
				}
			case *ast.ReturnStmt: // a validator's message: return "", "NIB wajib diisi."
				if n := len(x.Results); n > 0 {
					if s, ok := literal(x.Results[n-1]); ok && isSentence(s) {
						add(messages, x.Results[n-1])
					}
				}
			case *ast.DeclStmt: // a function's message named once: const bad = "…"
				for _, spec := range x.Decl.(*ast.GenDecl).Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok {
						for _, v := range vs.Values {
							if s, ok := literal(v); ok && isSentence(s) {
								add(messages, v)
							}
						}
					}
				}
			case *ast.KeyValueExpr:
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Message" {
					add(messages, x.Value)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return messages, things
}

// isSentence reports whether s reads as a message: a capital first, a space, a full stop last.
func isSentence(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) && strings.Contains(s, " ") && strings.HasSuffix(s, ".")
}

// Every message the code writes has its English, and every English entry is for a message the
// code still writes.
func TestErrorTextsCoverTheCode(t *testing.T) {
	messages, things := codeMessages(t)
	if len(messages) < 300 {
		t.Fatalf("found only %d messages in the code; the scan is broken", len(messages))
	}
	for msg, at := range messages {
		if _, ok := errorTexts[msg]; !ok {
			t.Errorf("%s: %q has no English in errorTextsEN", at, msg)
		}
	}
	for thing, at := range things {
		if _, ok := errorWords[thing]; !ok {
			t.Errorf("%s: market.NotFound(%q) has no English in errorWords", at, thing)
		}
	}
	for msg := range errorTextsEN {
		if _, ok := messages[msg]; !ok {
			t.Errorf("errorTextsEN has %q, which the code no longer writes", msg)
		}
	}
	for _, a := range market.Actions {
		if _, ok := actionVerbs[a]; !ok {
			t.Errorf("action %s has no English verb in actionVerbs", a)
		}
	}
}

// Each English text has the verbs of its message, so that no value is lost or invented.
func TestErrorTextsKeepTheirVerbs(t *testing.T) {
	for id, en := range errorTexts {
		want, got := parseFormat(id).verbs(), parseFormat(en)
		if got.verbs() != want {
			t.Errorf("%q has %d values, its English %q has %d", id, want, en, got.verbs())
		}
		for _, p := range got {
			if p.verb != 0 && p.arg > want {
				t.Errorf("%q: its English %q takes value %d of %d", id, en, p.arg, want)
			}
		}
	}
}

// Every message made from a format, with values of every kind, comes back in its own English
// with the same values: no other format takes it.
func TestErrorFormatsSayTheirOwnMessages(t *testing.T) {
	for id, en := range errorTexts {
		f := parseFormat(id)
		if f.verbs() == 0 {
			continue
		}
		var args []any
		var shown []string
		for i, p := range f {
			if p.verb == 0 {
				continue
			}
			switch p.verb {
			case 'd':
				args = append(args, 40+i)
			case 'q':
				args = append(args, fmt.Sprintf("nilai %d", i))
			default:
				args = append(args, fmt.Sprintf("Nilai-%d", i))
			}
			shown = append(shown, fmt.Sprintf("%"+string(p.verb), args[len(args)-1]))
		}
		msg := fmt.Sprintf(id, args...)
		if got, want := sayError("en", msg), parseFormat(en).fill(shown); got != want {
			t.Errorf("%q\n got %q\nwant %q", msg, got, want)
		}
	}
}

func TestSayError(t *testing.T) {
	for _, c := range []struct {
		name, lang, msg, want string
	}{
		{"Indonesian stays", "id", "Alamat e-mail tidak valid.", "Alamat e-mail tidak valid."},
		{"whole message", "en", "Alamat e-mail tidak valid.", "The e-mail address is not valid."},
		{"a number", "en", fmt.Sprintf("Alasan paling banyak %d karakter.", 500), "The reason can have at most 500 characters."},
		{"a quoted value", "en", fmt.Sprintf("Stok produk %q baru saja dipesan pihak lain dan tidak lagi mencukupi. Periksa kembali jumlahnya.", `Kertas "A4"`),
			`The stock of product "Kertas \"A4\"" has just been ordered by someone else and is no longer enough. Please check the quantity again.`},
		{"a thing not found", "en", market.NotFound("Pesanan").Message, "Order not found."},
		{"an action", "en", fmt.Sprintf("Anda bukan pihak yang berwenang %s pesanan ini.", market.ActionCloseShort.Label()),
			"You are not authorised to do this on this order (close the undelivered rest)."},
		{"a state and an action", "en", fmt.Sprintf("Pesanan berstatus %s; tidak dapat %s.", market.StateApproved.Label(), market.ActionShip.Label()),
			"The order status is approved; you cannot record a shipment."},
		{"a state", "en", fmt.Sprintf("Pesanan berstatus %s; harga hanya dapat dinegosiasikan sebelum disetujui PPK.", market.StateApproved.Label()),
			"The order status is approved; the price can only be negotiated before the PPK approves it."},
		{"a named upload", "en", "foto-1.jpg: Gambar rusak atau tidak dapat dibaca.", "foto-1.jpg: The image is damaged or cannot be read."},
		{"unknown stays", "en", "Pesan yang tidak dikenal.", "Pesan yang tidak dikenal."},
		{"empty", "en", "", ""},
	} {
		if got := sayError(c.lang, c.msg); got != c.want {
			t.Errorf("%s: sayError(%q, %q)\n got %q\nwant %q", c.name, c.lang, c.msg, got, c.want)
		}
	}
	fields := map[string]string{"quantity": "Jumlah harus bilangan bulat, paling sedikit 1.", "x": "tidak dikenal"}
	got := sayFields("en", fields)
	if got["quantity"] != "The quantity must be a whole number of at least 1." || got["x"] != "tidak dikenal" {
		t.Errorf("sayFields: %q", got)
	}
	if fields["quantity"] != "Jumlah harus bilangan bulat, paling sedikit 1." {
		t.Error("sayFields changed its argument")
	}
}

func TestParseFormat(t *testing.T) {
	for _, c := range []struct {
		in   string
		want format
	}{
		{"Ambang 1% dan 100%.", format{{text: "Ambang 1% dan 100%."}}},
		{"100%% dari %s", format{{text: "100% dari "}, {verb: 's', arg: 1}}},
		{"%[2]s of %[1]d", format{{verb: 's', arg: 2}, {text: " of "}, {verb: 'd', arg: 1}}},
		{"%d, %q lalu %v", format{{verb: 'd', arg: 1}, {text: ", "}, {verb: 'q', arg: 2}, {text: " lalu "}, {verb: 'v', arg: 3}}},
		{"%[x]s and %", format{{text: "%[x]s and %"}}},
	} {
		got := parseFormat(c.in)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("parseFormat(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

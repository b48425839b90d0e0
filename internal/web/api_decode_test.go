package web

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"bela/internal/market"
)

// decodeJSON refuses any body it cannot take with a CodeInvalid error in the API's words: never
// a panic, an uncoded error or Go's type names; a field error names a JSON path.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"items":[{"quantity":"3"}]}`, `[]`, `"x"`, `null`, ``, `{"unit_id":1.5}`, `{"unit_id":99999999999999999999}`,
		`{"items":[{"product_id":1,"qty":2}]}`, `{"shipping":[{"seller_id":1,"amount":"5"}]}`, `{"unit_id":1`, `{"unit_id":}`,
		`{"items":{}}`, `{"items":[7]}`, `{} {}`, `{"Unit_ID":2}`, `{"justifications":[{"seller_id":1,"rule":5}]}`, `{"":0}`, `{"items":[{"":0}]}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/api/v1/orders", strings.NewReader(body))
		var req checkoutRequest
		err := decodeJSON(r, &req)
		if err == nil {
			return
		}
		var e *market.Error
		if !errors.As(err, &e) || e.Code != market.CodeInvalid || e.Message == "" {
			t.Fatalf("%q: %v", body, err)
		}
		for _, word := range []string{"json:", "Go ", "int64", "checkoutRequest", "CartItem"} {
			if strings.Contains(e.Message, word) {
				t.Errorf("%q: message %q", body, e.Message)
			}
		}
		for k, v := range e.Fields {
			if k == "" || v == "" || strings.Contains(v, "json:") {
				t.Errorf("%q: field %q = %q", body, k, v)
			}
		}
	})
}

func TestJSONPathAt(t *testing.T) {
	for _, c := range []struct {
		body   string
		offset int64
		want   string
		ok     bool
	}{
		{`{"items":[{"quantity":1},{"quantity":"3"}]}`, 40, "items.1.quantity", true},
		{`{"items":{}}`, 10, "items", true},
		{`{"m":{"a":1}}`, 11, "m.a", true},
		{`[]`, 1, "", true},
		{` { "a" : [ 1 , [ 2 , 3 ] ] } `, 22, "a.1.1", true},
		{`{"a":1}`, 3, "", false},
	} {
		got, ok := jsonPathAt([]byte(c.body), c.offset)
		if got != c.want || ok != c.ok {
			t.Errorf("jsonPathAt(%q, %d) = %q, %v; want %q, %v", c.body, c.offset, got, ok, c.want, c.ok)
		}
	}
}

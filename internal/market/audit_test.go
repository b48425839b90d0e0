package market

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func TestEncodeAuditHidesPrivateFields(t *testing.T) {
	e := AuditEvent{
		ID: "ev1", Time: time.Date(2026, 1, 2, 3, 4, 5, 6789000, time.FixedZone("WIB", 7*3600)),
		ActorUserID: 7, ActorRole: RoleUnitAdmin, Action: "user.invite", ObjectType: "user", ObjectID: 9,
		Changes: map[string]Change{
			"name":  {After: "Siti"},
			"email": {After: "siti@example.go.id"},
			"nip":   {Before: "198001012005011001", After: "198001012005011002"},
		},
	}
	salt := []byte("0123456789abcdef")
	canon, priv, err := EncodeAudit(e, salt)
	if err != nil {
		t.Fatal(err)
	}
	s := string(canon)
	for _, secret := range []string{"siti@example", "19800101"} {
		if strings.Contains(s, secret) {
			t.Errorf("canonical encoding leaks %q: %s", secret, s)
		}
	}
	if !strings.Contains(string(priv), "siti@example.go.id") {
		t.Errorf("private detail lost the e-mail: %s", priv)
	}
	h := sha256.Sum256(append(append([]byte{}, salt...), []byte(`"siti@example.go.id"`)...))
	if !strings.Contains(s, hex.EncodeToString(h[:])) {
		t.Errorf("auditor cannot prove the e-mail: %s", s)
	}
	want := `{"v":"bela-audit/v1","id":"ev1","time":"2026-01-01T20:04:05.006789Z","actor_id":7,"actor_role":"unit_admin","action":"user.invite","object_type":"user","object_id":9,"changes":{"email":`
	if !strings.HasPrefix(s, want) {
		t.Errorf("canonical prefix:\n got %s\nwant %s", s, want)
	}
	again, _, _ := EncodeAudit(e, salt)
	if string(again) != s {
		t.Error("encoding is not deterministic")
	}
}

func TestDiff(t *testing.T) {
	d := Diff(map[string]any{"a": 1, "b": "x", "c": true}, map[string]any{"a": 1, "b": "y", "d": 2})
	if len(d) != 3 || d["b"].After != "y" || d["c"].Before != true || d["d"].After != 2 {
		t.Errorf("Diff = %#v", d)
	}
}

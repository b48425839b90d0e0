package market

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// AuditEvent records one state change: who (user and the role they acted in), when, what action
// on which object, and the before/after of each changed field. Every use case writes one in the
// same transaction as its change; the transparency log hashes its canonical public encoding.
type AuditEvent struct {
	ID          string // random, assigned by NewAuditEvent; stable across databases
	Time        time.Time
	ActorUserID int64  // 0 for the system (background jobs)
	ActorRole   Role   // the role the actor acted in; "" for the system
	Action      string // dotted verb, e.g. "user.invite", "order.approve"
	ObjectType  string // e.g. "user", "order"
	ObjectID    int64
	Changes     map[string]Change
}

// Change is a field's value before and after an event; nil means absent.
type Change struct {
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
}

// privateFields names the fields whose values are personal data (DESIGN.md "Private data"):
// they never appear in a public encoding, only as salted hashes. "relation" is the description
// of a user's relation with a seller declared to the admins (family, shareholding…), and
// "related_user_id" and "related_seller_id" say who is related to whom. "case_title" and
// "case_note" are what an auditor writes about an investigation (audit case), which must not be
// published while the case may still be open.
var privateFields = map[string]bool{
	"nik": true, "nip": true, "npwp": true, "owner_npwp": true, "phone": true, "email": true,
	"bank_account": true, "bank_holder": true, "address": true, "home_address": true,
	"password": true, "token": true, "relation": true, "related_user_id": true, "related_seller_id": true,
	"case_title": true, "case_note": true,
}

// IsPrivateField reports whether the named field holds personal data.
func IsPrivateField(name string) bool { return privateFields[name] }

// CanonicalVersion tags the leaf encoding; a new encoding gets a new tag, old leaves keep theirs.
const CanonicalVersion = "bela-audit/v1"

// canonicalEvent is the public shape of an event, in a fixed field order.
type canonicalEvent struct {
	V          string                     `json:"v"`
	ID         string                     `json:"id"`
	Time       string                     `json:"time"`
	ActorID    int64                      `json:"actor_id"`
	ActorRole  Role                       `json:"actor_role"`
	Action     string                     `json:"action"`
	ObjectType string                     `json:"object_type"`
	ObjectID   int64                      `json:"object_id"`
	Changes    map[string]canonicalChange `json:"changes"`
}

type canonicalChange struct {
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// EncodeAudit returns the canonical public encoding of e: compact JSON with fixed key order
// (struct fields in declaration order, map keys sorted), time in UTC with exactly microsecond
// precision, and every private field's value replaced by "sha256:" + hex(SHA-256(salt ‖ JSON value)).
// Anyone can re-hash the published bytes; an auditor holding the value and the salt can prove
// it matches; erasing the value later leaves the bytes intact. It also returns the private
// values as JSON (for the restricted column) — nil when there are none.
// It fails only when a value cannot be encoded as JSON.
func EncodeAudit(e AuditEvent, salt []byte) (canonical, private []byte, err error) {
	ce := canonicalEvent{
		V: CanonicalVersion, ID: e.ID, Time: e.Time.UTC().Format("2006-01-02T15:04:05.000000Z"),
		ActorID: e.ActorUserID, ActorRole: e.ActorRole, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, Changes: map[string]canonicalChange{},
	}
	priv := map[string]Change{}
	names := make([]string, 0, len(e.Changes))
	for k := range e.Changes {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		c := e.Changes[k]
		var cc canonicalChange
		for i, v := range []any{c.Before, c.After} {
			if v == nil {
				continue
			}
			b, err := json.Marshal(v)
			if err != nil {
				return nil, nil, fmt.Errorf("encode audit field %s: %w", k, err)
			}
			if IsPrivateField(k) {
				h := sha256.New()
				h.Write(salt)
				h.Write(b)
				b, _ = json.Marshal("sha256:" + hex.EncodeToString(h.Sum(nil)))
			}
			if i == 0 {
				cc.Before = b
			} else {
				cc.After = b
			}
		}
		if IsPrivateField(k) {
			priv[k] = c
		}
		ce.Changes[k] = cc
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ce); err != nil {
		return nil, nil, fmt.Errorf("encode audit event: %w", err)
	}
	canonical = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(priv) > 0 {
		if private, err = json.Marshal(priv); err != nil {
			return nil, nil, fmt.Errorf("encode private audit fields: %w", err)
		}
	}
	return canonical, private, nil
}

// Diff returns the changes between two field maps: fields whose values differ, with both
// values. It is how use cases build an AuditEvent's Changes from before/after snapshots.
func Diff(before, after map[string]any) map[string]Change {
	out := map[string]Change{}
	for k, a := range after {
		b, ok := before[k]
		if !ok || fmt.Sprint(b) != fmt.Sprint(a) {
			out[k] = Change{Before: b, After: a}
		}
	}
	for k, b := range before {
		if _, ok := after[k]; !ok {
			out[k] = Change{Before: b}
		}
	}
	return out
}

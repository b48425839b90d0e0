package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"bela/internal/market"
)

// PolicyVersion is one value of the platform policy with who set it, when and why. The newest
// version is the current policy; older ones are its history.
type PolicyVersion struct {
	ID        int64
	Policy    market.Policy
	Reason    string
	ChangedBy int64
	ChangedAt time.Time
}

// CurrentPolicy returns the policy in force: the newest stored version, or market.DefaultPolicy
// when no admin has changed it yet. It fails only when the database does.
func (s *Store) CurrentPolicy(ctx context.Context) (market.Policy, error) {
	return currentPolicy(ctx, s.q(ctx))
}

func currentPolicy(ctx context.Context, q querier) (market.Policy, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT policy FROM policy_versions ORDER BY id DESC LIMIT 1`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return market.DefaultPolicy(), nil
	}
	if err != nil {
		return market.Policy{}, fmt.Errorf("current policy: %w", err)
	}
	return decodePolicy(raw)
}

// decodePolicy reads a stored policy; fields missing from older versions keep their defaults,
// and no policy at all ("") is the default one.
func decodePolicy(raw string) (market.Policy, error) {
	p := market.DefaultPolicy()
	if raw == "" {
		return p, nil
	}
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return market.Policy{}, fmt.Errorf("decode policy: %w", err)
	}
	return p, nil
}

// SetPolicy makes p the current policy, keeping the previous one in the history, with an audit
// event holding every changed value. Only platform admins may change it. Errors: CodeForbidden
// for other principals, CodeInvalid from market.Policy.Validate or for a missing reason.
func (s *Store) SetPolicy(ctx context.Context, by *market.Principal, p market.Policy, reason string) error {
	if !by.Has(market.RoleAdmin) {
		return market.Forbidden("Hanya Admin UKPBJ yang dapat mengubah kebijakan.")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return market.Invalid("reason", "Alasan perubahan kebijakan wajib diisi.")
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode policy: %w", err)
	}
	return s.inTx(ctx, func(tx *Tx) error {
		old, err := currentPolicy(ctx, tx.tx)
		if err != nil {
			return err
		}
		id, err := tx.insertID(ctx, `INSERT INTO policy_versions (policy, reason, changed_by, changed_at) VALUES ($1, $2, $3, $4)`,
			string(raw), reason, by.UserID, micros(tx.now))
		if err != nil {
			return fmt.Errorf("set policy: %w", err)
		}
		ch := market.Diff(policyFields(old), policyFields(p))
		ch["reason"] = market.Change{After: reason}
		return tx.Audit(ctx, Actor{UserID: by.UserID, Role: market.RoleAdmin}, "policy.set", "policy", id, ch)
	})
}

func policyFields(p market.Policy) map[string]any {
	b, _ := json.Marshal(p)
	m := map[string]any{}
	json.Unmarshal(b, &m)
	return m
}

// PolicyHistory returns the stored policy versions, newest first (at most 200).
func (s *Store) PolicyHistory(ctx context.Context) ([]PolicyVersion, error) {
	rows, err := s.q(ctx).QueryContext(ctx, `SELECT id, policy, reason, changed_by, changed_at FROM policy_versions ORDER BY id DESC LIMIT 200`)
	if err != nil {
		return nil, fmt.Errorf("policy history: %w", err)
	}
	defer rows.Close()
	var out []PolicyVersion
	for rows.Next() {
		var v PolicyVersion
		var raw string
		var at int64
		if err := rows.Scan(&v.ID, &raw, &v.Reason, &v.ChangedBy, &at); err != nil {
			return nil, fmt.Errorf("policy history: %w", err)
		}
		if v.Policy, err = decodePolicy(raw); err != nil {
			return nil, err
		}
		v.ChangedAt = fromMicros(at)
		out = append(out, v)
	}
	return out, rows.Err()
}

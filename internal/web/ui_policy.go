package web

import (
	"net/http"
	"strconv"
	"strings"

	"bela/internal/market"
	"bela/internal/store"
)

// policyReaders may read the policy and its history; only platform admins change it.
var policyReaders = roles(market.RoleAdmin, market.RoleAuditor)

// policyField is one policy value in the form: its JSON name (the field key) and typed value.
type policyField struct {
	Name  string
	Value string
	Kind  string // "rupiah", "number", "percent" or "severity"
}

// policyVersionRow is one row of the policy history: who changed it, when and why, and every
// value of the policy as the page shows it, in form order.
type policyVersionRow struct {
	store.PolicyVersion
	Cells []string
}

// policyPage shows the current policy as a form (admins) and its history.
type policyPage struct {
	Base
	Fields    []policyField
	Reason    string
	Errors    map[string]string
	Error     string
	History   []policyVersionRow
	Names     map[int64]string
	CanChange bool
}

// policyValues lists a policy's values in form order.
func policyValues(p market.Policy) []policyField {
	n := func(v int) string { return strconv.Itoa(v) }
	return []policyField{
		{"cap", strconv.FormatInt(int64(p.Cap), 10), "rupiah"},
		{"near_cap_percent", n(p.NearCapPercent), "percent"},
		{"split_window_days", n(p.SplitWindowDays), "number"},
		{"split_severity", string(p.SplitSeverity), "severity"},
		{"price_threshold_percent", n(p.PriceThresholdPercent), "percent"},
		{"price_min_orders", n(p.PriceMinOrders), "number"},
		{"price_lookback_days", n(p.PriceLookbackDays), "number"},
		{"concentration_percent", n(p.ConcentrationPercent), "percent"},
		{"concentration_suggestions", n(p.ConcentrationSuggestions), "number"},
		{"approval_timeout_days", n(p.ApprovalTimeoutDays), "number"},
		{"acceptance_timeout_days", n(p.AcceptanceTimeoutDays), "number"},
		{"payment_deadline_days", n(p.PaymentDeadlineDays), "number"},
	}
}

// readPolicy reads the typed values into a policy and checks them all at once: a field error
// for each value that is not a number, then the policy's own limits (market.Policy.Validate)
// for the values that are, and the reason, so that the form shows every problem next to its
// field in one go.
func readPolicy(r *http.Request) (market.Policy, []policyField, market.FieldErrors) {
	fe := market.FieldErrors{}
	var p market.Policy
	fields := policyValues(market.DefaultPolicy())
	num := func(name string) int {
		v, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
		if err != nil {
			fe.Add(name, "Isi dengan bilangan bulat.")
		}
		return v
	}
	for i := range fields {
		fields[i].Value = r.PostFormValue(fields[i].Name)
	}
	if c, ok := parseRupiahField(r.PostFormValue("cap")); ok {
		p.Cap = c
	} else {
		fe.Add("cap", "Batas nilai pesanan harus angka rupiah tanpa desimal.")
	}
	// A form from before the near-cap flag (without the field at all) keeps its default.
	p.NearCapPercent = market.DefaultPolicy().NearCapPercent
	if _, ok := r.PostForm["near_cap_percent"]; ok {
		p.NearCapPercent = num("near_cap_percent")
	}
	p.SplitWindowDays = num("split_window_days")
	p.SplitSeverity = market.Severity(r.PostFormValue("split_severity"))
	p.PriceThresholdPercent = num("price_threshold_percent")
	p.PriceMinOrders = num("price_min_orders")
	p.PriceLookbackDays = num("price_lookback_days")
	p.ConcentrationPercent = num("concentration_percent")
	p.ConcentrationSuggestions = num("concentration_suggestions")
	p.ApprovalTimeoutDays = num("approval_timeout_days")
	p.AcceptanceTimeoutDays = num("acceptance_timeout_days")
	p.PaymentDeadlineDays = num("payment_deadline_days")
	if err := p.Validate(); err != nil {
		// Add keeps a field's first message: a value that is not a number keeps that message.
		for name, msg := range asCoded(err).Fields {
			fe.Add(name, msg)
		}
	}
	if strings.TrimSpace(r.PostFormValue("reason")) == "" {
		fe.Add("reason", "Alasan perubahan kebijakan wajib diisi.")
	}
	return p, fields, fe
}

// policyCells shows each of a policy's values for the history table, in form order.
func policyCells(b *Base, p market.Policy) []string {
	fields := policyValues(p)
	out := make([]string, len(fields))
	for i, f := range fields {
		switch f.Kind {
		case "rupiah":
			n, _ := strconv.ParseInt(f.Value, 10, 64)
			out[i] = market.Rupiah(n).String()
		case "percent":
			out[i] = f.Value + "%"
		case "severity":
			out[i] = b.T("severity." + f.Value)
		default:
			out[i] = f.Value
		}
	}
	return out
}

func (s *Server) renderPolicy(w http.ResponseWriter, r *http.Request, status int, d *policyPage) error {
	history, err := s.store.PolicyHistory(r.Context())
	if err != nil {
		return err
	}
	for _, v := range history {
		d.History = append(d.History, policyVersionRow{PolicyVersion: v, Cells: policyCells(&d.Base, v.Policy)})
	}
	d.Names = map[int64]string{}
	for _, v := range d.History {
		if _, ok := d.Names[v.ChangedBy]; !ok {
			if u, err := s.store.GetUser(r.Context(), v.ChangedBy); err == nil {
				d.Names[v.ChangedBy] = u.Name
			}
		}
	}
	d.CanChange = d.P.Has(market.RoleAdmin)
	return s.render(w, status, "policy", d)
}

// policy shows the policy in force and its history (GET /kebijakan).
func (s *Server) policy(w http.ResponseWriter, r *http.Request) error {
	p, err := s.store.CurrentPolicy(r.Context())
	if err != nil {
		return err
	}
	return s.renderPolicy(w, r, http.StatusOK, &policyPage{Base: s.newBase(r, "policy.title"), Fields: policyValues(p)})
}

// setPolicy changes the policy with a reason (POST /kebijakan); the store audits the change.
// Invalid values show the form again with what was typed.
func (s *Server) setPolicy(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	p, fields, fe := readPolicy(r)
	d := &policyPage{Base: s.newBase(r, "policy.title"), Fields: fields, Reason: r.PostFormValue("reason")}
	err := fe.Err()
	if err == nil {
		err = s.store.SetPolicy(r.Context(), d.P, p, d.Reason)
	}
	if err != nil {
		errs, msg, ok := formError(r, err)
		if !ok {
			return err
		}
		d.Errors, d.Error = errs, msg
		return s.renderPolicy(w, r, statusOf(asCoded(err).Code), d)
	}
	http.Redirect(w, r, "/kebijakan?ok=policy.saved", http.StatusSeeOther)
	return nil
}

// Package ocds publishes Bela's orders as Open Contracting Data Standard (OCDS) 1.1.5 data: one
// release per order, holding the order's current state, written as a release package or as a
// record package.
//
// Its input is store.PublicOrder, the public's view of an order, so nothing private (no person,
// no delivery address, no note) can reach the output. Lines, payments and documents are only
// filled by store.EachPublicOrder and store.PublicOrder; orders from store.PublicOrders have
// none and their releases carry no items, transactions or documents.
//
// # Identifiers
//
// The ocid is the publisher's registered prefix, a hyphen and the order id
// ("ocds-abc123-42"). A release's id is the ocid, a hyphen and the order's version
// ("ocds-abc123-42-7"), so every change of the order gives a new release id; the release date
// is the order's last change. Tender and award ids are the order id; the contract id is the
// Surat Pesanan number (the order id while there is none).
//
// # States
//
// The order state decides the release tag and the award and contract status. A contract is
// published once the PPK approved the order (signed the Surat Pesanan); it is in force, and
// its dateSigned is set, once the seller accepted it too.
//
//	order state                                    tag                  award         contract
//	awaiting_approval, returned                    award                pending       -
//	rejected                                       awardCancellation    cancelled     -
//	cancelled, expired (not approved)              awardCancellation    cancelled     -
//	approved                                       contract             active        pending
//	cancelled (approved)                           contractTermination  cancelled     cancelled
//	declined, expired (approved)                   contractTermination  unsuccessful  cancelled
//	accepted, shipped, partially_received,
//	received, closed_short, disputed,
//	invoiced, paid                                 implementation       active        active
//	completed                                      contractTermination  active        terminated
//
// closed_short is an implementation state, not an end: the PPK gave up the undelivered rest,
// but the seller still invoices and is paid for what was delivered. The contract is
// "cancelled" when the seller never accepted it (contractStatus: cancelled prior to being
// signed) and "terminated" once the order is completed. The tender is always "complete": the
// buyer chose the seller and the goods at checkout (procurementMethod "direct").
//
// # Other fields
//
//   - parties: the work unit (buyer, payer, procuringEntity) and the seller (supplier, payee)
//     with its kecamatan and its size (details.scale from the partyScale extension: micro,
//     sme or large).
//   - planning.budget: the budget line: id is the Kode RUP, project its name, description the
//     name with the account code and funding source.
//   - tender: the justifications the buyer wrote for rule warnings become
//     procurementMethodRationale; the warnings and blocks of the rule checks become the
//     description.
//   - items: one per order line, in the tender, the award and the contract.
//   - documents: the Surat Pesanan (contractSigned) is a contract document; the BAST
//     (completionCertificate), invoice and kuitansi are implementation documents, each linked to
//     its public verification page. No documentType code fits an invoice or a kuitansi, so
//     theirs is left out.
//   - implementation.transactions: the payments, from the unit to the seller.
//
// Money is {amount, currency "IDR"} in whole rupiah; times are RFC 3339 in UTC.
package ocds

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"bela/internal/market"
	"bela/internal/paper"
	"bela/internal/store"
)

// Publisher is who publishes the data: the Pemda's instance.
type Publisher struct {
	Name string // e.g. "Pemerintah Kota Medan"
	// URI is the instance's public address without a trailing slash, e.g.
	// "https://bela.pemkomedan.go.id"; links to packages and documents start with it.
	URI string
	// OCIDPrefix is the publisher's registered OCDS prefix, e.g. "ocds-abc123".
	OCIDPrefix string
}

// DefaultPrefix is the OCDS prefix an instance uses until it registers its own with the Open
// Contracting Partnership: "ocds-bela" and the region code's digits (ocds-bela1271 for Medan).
func DefaultPrefix(regionCode string) string {
	return "ocds-bela" + strings.ReplaceAll(regionCode, ".", "")
}

// OCID returns the Open Contracting ID of the order with the given id: the prefix, a hyphen and
// the id.
func (p Publisher) OCID(orderID int64) string {
	return p.OCIDPrefix + "-" + strconv.FormatInt(orderID, 10)
}

// Release is an OCDS release: one order's state at its last change.
type Release struct {
	OCID           string                `json:"ocid"`
	ID             string                `json:"id"`
	Date           time.Time             `json:"date"`
	Tag            []string              `json:"tag"`
	InitiationType string                `json:"initiationType"`
	Language       string                `json:"language,omitempty"`
	Parties        []Organization        `json:"parties,omitempty"`
	Buyer          OrganizationReference `json:"buyer,omitzero"`
	Planning       Planning              `json:"planning,omitzero"`
	Tender         Tender                `json:"tender,omitzero"`
	Awards         []Award               `json:"awards,omitempty"`
	Contracts      []Contract            `json:"contracts,omitempty"`
}

// Organization is a party to the contracting process: the work unit or the seller.
type Organization struct {
	ID         string       `json:"id"`
	Name       string       `json:"name,omitempty"`
	Identifier Identifier   `json:"identifier,omitzero"`
	Address    Address      `json:"address,omitzero"`
	Roles      []string     `json:"roles,omitempty"`
	Details    PartyDetails `json:"details,omitzero"`
}

// Identifier identifies an organization within a scheme.
type Identifier struct {
	Scheme string `json:"scheme,omitempty"`
	ID     string `json:"id,omitempty"`
}

// Address is an organization's public location.
type Address struct {
	Locality    string `json:"locality,omitempty"`
	CountryName string `json:"countryName,omitempty"`
}

// PartyDetails holds the party's size class (the partyScale extension).
type PartyDetails struct {
	Scale string `json:"scale,omitempty"`
}

// OrganizationReference points to one of the release's parties.
type OrganizationReference struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Planning is the planning section: the budget line the order is charged to.
type Planning struct {
	Budget Budget `json:"budget,omitzero"`
}

// Budget is the budget line of an order.
type Budget struct {
	ID          string `json:"id,omitempty"`
	Description string `json:"description,omitempty"`
	Project     string `json:"project,omitempty"`
}

// Tender is the tender section: for a direct purchase, the buyer's choice at checkout.
type Tender struct {
	ID                         string                `json:"id"`
	Title                      string                `json:"title,omitempty"`
	Description                string                `json:"description,omitempty"`
	Status                     string                `json:"status,omitempty"`
	ProcuringEntity            OrganizationReference `json:"procuringEntity,omitzero"`
	Items                      []Item                `json:"items,omitempty"`
	Value                      Value                 `json:"value,omitzero"`
	ProcurementMethod          string                `json:"procurementMethod,omitempty"`
	ProcurementMethodDetails   string                `json:"procurementMethodDetails,omitempty"`
	ProcurementMethodRationale string                `json:"procurementMethodRationale,omitempty"`
	MainProcurementCategory    string                `json:"mainProcurementCategory,omitempty"`
}

// Item is one order line.
type Item struct {
	ID             string         `json:"id"`
	Description    string         `json:"description,omitempty"`
	Classification Classification `json:"classification,omitzero"`
	Quantity       int64          `json:"quantity"`
	Unit           Unit           `json:"unit,omitzero"`
}

// Classification is an item's product category.
type Classification struct {
	Scheme string `json:"scheme"`
	ID     string `json:"id"`
}

// Unit is an item's unit of measure and its price per unit.
type Unit struct {
	Name  string `json:"name,omitempty"`
	Value Value  `json:"value"`
}

// Value is an amount of money.
type Value struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Award is the award of the order to its seller.
type Award struct {
	ID        string                  `json:"id"`
	Title     string                  `json:"title,omitempty"`
	Status    string                  `json:"status,omitempty"`
	Date      time.Time               `json:"date,omitzero"`
	Value     Value                   `json:"value,omitzero"`
	Suppliers []OrganizationReference `json:"suppliers,omitempty"`
	Items     []Item                  `json:"items,omitempty"`
}

// Contract is the Surat Pesanan and what happened under it.
type Contract struct {
	ID             string         `json:"id"`
	AwardID        string         `json:"awardID"`
	Title          string         `json:"title,omitempty"`
	Status         string         `json:"status,omitempty"`
	Value          Value          `json:"value,omitzero"`
	Items          []Item         `json:"items,omitempty"`
	DateSigned     time.Time      `json:"dateSigned,omitzero"`
	Documents      []Document     `json:"documents,omitempty"`
	Implementation Implementation `json:"implementation,omitzero"`
}

// Implementation holds the payments and the documents of delivery and payment.
type Implementation struct {
	Transactions []Transaction `json:"transactions,omitempty"`
	Documents    []Document    `json:"documents,omitempty"`
}

// Document is one of the order's documents, linked to its public verification page.
type Document struct {
	ID            string    `json:"id"`
	DocumentType  string    `json:"documentType,omitempty"`
	Title         string    `json:"title,omitempty"`
	URL           string    `json:"url,omitempty"`
	DatePublished time.Time `json:"datePublished,omitzero"`
	Format        string    `json:"format,omitempty"`
	Language      string    `json:"language,omitempty"`
}

// Transaction is one payment from the work unit to the seller.
type Transaction struct {
	ID    string                `json:"id"`
	Date  time.Time             `json:"date,omitzero"`
	Value Value                 `json:"value"`
	Payer OrganizationReference `json:"payer"`
	Payee OrganizationReference `json:"payee"`
}

// Record is an OCDS record: the releases of one contracting process (here always the single
// release of an order's current state) and the compiled release.
type Record struct {
	OCID            string    `json:"ocid"`
	Releases        []Release `json:"releases"`
	CompiledRelease Release   `json:"compiledRelease"`
}

// Codes used in every release.
const (
	currency       = "IDR"
	language       = "id"
	initiationType = "tender"
	documentFormat = "application/pdf"
)

// stage is what an order state means in OCDS: the release tag and the award and contract
// status (empty when there is no contract).
type stage struct {
	tag, award, contract string
}

// stageOf maps the order's state to its stage; the package comment has the table.
func stageOf(o store.PublicOrder) stage {
	approved := !o.ApprovedAt.IsZero()
	switch o.State {
	case market.StateAwaitingApproval, market.StateReturned:
		return stage{"award", "pending", ""}
	case market.StateRejected:
		return stage{"awardCancellation", "cancelled", ""}
	case market.StateApproved:
		return stage{"contract", "active", "pending"}
	case market.StateCancelled:
		if !approved {
			return stage{"awardCancellation", "cancelled", ""}
		}
		return stage{"contractTermination", "cancelled", "cancelled"}
	case market.StateExpired:
		if !approved {
			return stage{"awardCancellation", "cancelled", ""}
		}
		return stage{"contractTermination", "unsuccessful", "cancelled"}
	case market.StateDeclined:
		return stage{"contractTermination", "unsuccessful", "cancelled"}
	case market.StateAccepted, market.StateShipped, market.StatePartiallyReceived, market.StateReceived,
		market.StateClosedShort, market.StateDisputed, market.StateInvoiced, market.StatePaid:
		return stage{"implementation", "active", "active"}
	case market.StateCompleted:
		return stage{"contractTermination", "active", "terminated"}
	}
	// A state this package does not know yet: judge by the order's dates.
	switch {
	case !approved:
		return stage{"award", "pending", ""}
	case o.AcceptedAt.IsZero():
		return stage{"contract", "active", "pending"}
	default:
		return stage{"implementation", "active", "active"}
	}
}

// scales maps the seller's size class to the partyScale codelist.
var scales = map[market.UMKClass]string{
	market.ClassMicro:  "micro",
	market.ClassSmall:  "sme",
	market.ClassMedium: "sme",
	market.ClassLarge:  "large",
}

// documentTypes maps a document kind to the documentType codelist; kinds without a fitting
// code are absent.
var documentTypes = map[paper.Kind]string{
	paper.KindOrderLetter: "contractSigned",
	paper.KindBAST:        "completionCertificate",
}

// NewRelease returns the order's current state as one release.
func NewRelease(p Publisher, o store.PublicOrder) Release {
	ocid := p.OCID(o.ID)
	st := stageOf(o)
	orderID := strconv.FormatInt(o.ID, 10)
	unit := OrganizationReference{ID: fmt.Sprintf("unit-%d", o.UnitID), Name: o.UnitName}
	seller := OrganizationReference{ID: fmt.Sprintf("seller-%d", o.SellerID), Name: o.SellerName}
	items := newItems(o.Lines)
	total := idr(o.Total)

	r := Release{
		OCID:           ocid,
		ID:             fmt.Sprintf("%s-%d", ocid, o.Version),
		Date:           utc(o.UpdatedAt),
		Tag:            []string{st.tag},
		InitiationType: initiationType,
		Language:       language,
		Parties:        newParties(o, unit, seller),
		Buyer:          unit,
		Planning: Planning{Budget: Budget{
			ID:          o.KodeRUP,
			Description: budgetDescription(o),
			Project:     o.BudgetName,
		}},
		Tender: Tender{
			ID:                         orderID,
			Title:                      "Belanja langsung #" + orderID,
			Description:                ruleFindings(o.Rules),
			Status:                     "complete",
			ProcuringEntity:            unit,
			Items:                      items,
			Value:                      total,
			ProcurementMethod:          "direct",
			ProcurementMethodDetails:   "Belanja langsung dari usaha mikro dan kecil (Toko Daring)",
			ProcurementMethodRationale: justifications(o.Justifications),
			MainProcurementCategory:    "goods",
		},
		Awards: []Award{{
			ID:        orderID,
			Title:     "Belanja langsung #" + orderID + " dari " + o.SellerName,
			Status:    st.award,
			Date:      utc(o.PlacedAt),
			Value:     total,
			Suppliers: []OrganizationReference{seller},
			Items:     items,
		}},
	}
	if !o.ApprovedAt.IsZero() {
		r.Contracts = []Contract{newContract(p, o, st, unit, seller, items)}
	}
	return r
}

func newParties(o store.PublicOrder, unit, seller OrganizationReference) []Organization {
	buyer := Organization{
		ID:    unit.ID,
		Name:  unit.Name,
		Roles: []string{"buyer", "payer", "procuringEntity"},
	}
	if o.UnitCode != "" {
		buyer.Identifier = Identifier{Scheme: "x_bela-unit", ID: o.UnitCode}
	}
	supplier := Organization{
		ID:      seller.ID,
		Name:    seller.Name,
		Address: Address{Locality: o.SellerKecamatan, CountryName: "Indonesia"},
		Roles:   []string{"supplier", "payee"},
		Details: PartyDetails{Scale: scales[o.SellerClass]},
	}
	return []Organization{buyer, supplier}
}

func newContract(p Publisher, o store.PublicOrder, st stage, unit, seller OrganizationReference, items []Item) Contract {
	c := Contract{
		ID:         strconv.FormatInt(o.ID, 10),
		AwardID:    strconv.FormatInt(o.ID, 10),
		Title:      "Surat Pesanan",
		Status:     st.contract,
		Value:      idr(o.Total),
		Items:      items,
		DateSigned: utc(o.AcceptedAt),
	}
	if o.SPNumber != "" {
		c.ID = o.SPNumber
		c.Title = "Surat Pesanan " + o.SPNumber
	}
	for _, d := range o.Documents {
		doc := Document{
			ID:            d.Code,
			DocumentType:  documentTypes[d.Kind],
			Title:         strings.TrimSpace(d.Kind.Label() + " " + d.Number),
			URL:           p.URI + "/verifikasi/" + url.PathEscape(d.Code),
			DatePublished: utc(d.Date),
			Format:        documentFormat,
			Language:      language,
		}
		if d.Kind == paper.KindOrderLetter {
			c.Documents = append(c.Documents, doc)
		} else {
			c.Implementation.Documents = append(c.Implementation.Documents, doc)
		}
	}
	for _, pm := range o.Payments {
		c.Implementation.Transactions = append(c.Implementation.Transactions, Transaction{
			ID:    strconv.FormatInt(pm.ID, 10),
			Date:  utc(pm.PaidOn),
			Value: idr(pm.Amount),
			Payer: unit,
			Payee: seller,
		})
	}
	return c
}

func newItems(lines []store.PublicOrderLine) []Item {
	var items []Item
	for _, l := range lines {
		it := Item{
			ID:          strconv.Itoa(l.LineNo + 1),
			Description: l.Name,
			Quantity:    l.Quantity,
			Unit:        Unit{Name: l.Unit, Value: idr(l.UnitPrice)},
		}
		if l.CategoryCode != "" {
			it.Classification = Classification{Scheme: "x_bela", ID: l.CategoryCode}
		}
		items = append(items, it)
	}
	return items
}

// budgetDescription is the budget line's name followed by its account code and funding source
// in brackets.
func budgetDescription(o store.PublicOrder) string {
	var parts []string
	for _, s := range []string{o.AccountCode, o.FundingSource} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return o.BudgetName
	}
	return strings.TrimSpace(o.BudgetName + " (" + strings.Join(parts, ", ") + ")")
}

// justifications joins the buyer's justifications as "rule: text", sorted by rule.
func justifications(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+m[k])
	}
	return strings.Join(parts, "; ")
}

// ruleFindings lists the rule results that warned or blocked, in their order, as plain text.
func ruleFindings(rules []market.RuleResult) string {
	var parts []string
	for _, r := range rules {
		var label string
		switch r.Severity {
		case market.SeverityWarning:
			label = "Peringatan"
		case market.SeverityBlock:
			label = "Diblokir"
		default:
			continue
		}
		parts = append(parts, label+" "+r.Code+": "+r.Explanation)
	}
	return strings.Join(parts, "; ")
}

func idr(r market.Rupiah) Value { return Value{Amount: int64(r), Currency: currency} }

// utc returns t in UTC; the zero time stays zero, so that omitzero leaves it out.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

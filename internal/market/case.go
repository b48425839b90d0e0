package market

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// CaseState is where an audit case (kasus pemeriksaan: an auditor's investigation of one
// order) is: open while the auditors work on it, closed with a conclusion.
type CaseState string

// The case states.
const (
	CaseOpen   CaseState = "open"
	CaseClosed CaseState = "closed"
)

// CaseConclusion is how an auditor closes a case. The names are stable identifiers stored in the
// database and published in the transparency log.
type CaseConclusion string

// The conclusions, from the least to the most serious.
const (
	ConclusionNoFinding      CaseConclusion = "no_finding"     // Tanpa temuan
	ConclusionAdministrative CaseConclusion = "administrative" // Temuan administratif
	ConclusionFinancial      CaseConclusion = "financial"      // Temuan kerugian keuangan
	ConclusionReferred       CaseConclusion = "referred"       // Dirujuk ke aparat penegak hukum
)

// CaseConclusions lists every conclusion in a stable order (for forms and tests).
var CaseConclusions = []CaseConclusion{ConclusionNoFinding, ConclusionAdministrative, ConclusionFinancial, ConclusionReferred}

var conclusionLabels = map[CaseConclusion]string{
	ConclusionNoFinding:      "Tanpa temuan",
	ConclusionAdministrative: "Temuan administratif",
	ConclusionFinancial:      "Temuan kerugian keuangan",
	ConclusionReferred:       "Dirujuk ke aparat penegak hukum",
}

// Label returns the conclusion's name in Bahasa Indonesia.
func (c CaseConclusion) Label() string {
	if l, ok := conclusionLabels[c]; ok {
		return l
	}
	return string(c)
}

// ParseCaseConclusion returns the conclusion with the given name, or a CodeInvalid *Error on the
// field "conclusion".
func ParseCaseConclusion(s string) (CaseConclusion, error) {
	if _, ok := conclusionLabels[CaseConclusion(s)]; ok {
		return CaseConclusion(s), nil
	}
	return "", Invalid("conclusion", "Pilih kesimpulan pemeriksaan: tanpa temuan, temuan administratif, temuan kerugian keuangan, atau dirujuk ke aparat penegak hukum.")
}

// CaseNoteKind says what a note on a case records: a working note, the closing note (with the
// conclusion) or the reason for reopening.
type CaseNoteKind string

// The note kinds.
const (
	CaseNoteNote   CaseNoteKind = "note"
	CaseNoteClose  CaseNoteKind = "close"
	CaseNoteReopen CaseNoteKind = "reopen"
)

// The lengths of what an auditor writes on a case, in characters.
const (
	MaxCaseTitle = 200
	MaxCaseBody  = 5000
)

// CaseTitle returns the title trimmed, or a CodeInvalid *Error on the field "title" when it is
// empty or longer than MaxCaseTitle characters.
func CaseTitle(title string) (string, error) {
	title = strings.TrimSpace(title)
	if title == "" || utf8.RuneCountInString(title) > MaxCaseTitle {
		return "", Invalid("title", fmt.Sprintf("Judul kasus wajib diisi, paling banyak %d karakter.", MaxCaseTitle))
	}
	return title, nil
}

// CaseBody returns a note, closing note or reason trimmed, or a CodeInvalid *Error on field
// when it is empty or longer than MaxCaseBody characters.
func CaseBody(field, body string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > MaxCaseBody {
		return "", Invalid(field, fmt.Sprintf("Catatan wajib diisi, paling banyak %d karakter.", MaxCaseBody))
	}
	return body, nil
}

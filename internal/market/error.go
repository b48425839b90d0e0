package market

import (
	"errors"
	"fmt"
)

// Code classifies an error for every interface: the web layer maps each code to one HTTP status
// in one place, the CLI to one exit message.
type Code string

// The error codes.
const (
	CodeInvalid      Code = "invalid"      // the input is wrong; Fields says where
	CodeNotFound     Code = "not_found"    // no such object, or not visible to the caller
	CodeUnauthorized Code = "unauthorized" // no or bad credentials
	CodeForbidden    Code = "forbidden"    // authenticated but not allowed
	CodeConflict     Code = "conflict"     // the object changed, is a duplicate, or is in the wrong state
	CodeRuleBlocked  Code = "rule_blocked" // an accountability rule blocks the action; Rules says which
	CodeRateLimited  Code = "rate_limited" // too many attempts
	CodeTooLarge     Code = "too_large"    // the request body or upload is too large
	CodeUnavailable  Code = "unavailable"  // a dependency (database) is down
	CodeInternal     Code = "internal"     // a bug or an unexpected failure
)

// Severity says whether a rule result stops the action or asks for a justification.
type Severity string

// The severities of a RuleResult.
const (
	SeverityBlock   Severity = "block"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// RuleResult is one accountability rule's outcome with a plain-language explanation in
// Bahasa Indonesia. Key names the explanation's wording and Args fill it (see RuleTexts), so
// that a reader in another language gets the same finding in theirs; results stored before
// keys existed have neither.
type RuleResult struct {
	Code        string   `json:"code"`
	Severity    Severity `json:"severity"`
	Explanation string   `json:"explanation"`
	Key         string   `json:"key,omitempty"`
	Args        []string `json:"args,omitempty"`
}

// Error is a coded domain error. Message is for the user (Bahasa Indonesia); Fields maps input
// field names to their messages; Rules carries checkout-style rule results.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	Rules   []RuleResult
	Err     error // an underlying cause, not shown to users
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) and friends match by code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// Sentinels for errors.Is; match by code only.
var (
	ErrNotFound     = &Error{Code: CodeNotFound}
	ErrInvalid      = &Error{Code: CodeInvalid}
	ErrForbidden    = &Error{Code: CodeForbidden}
	ErrUnauthorized = &Error{Code: CodeUnauthorized}
	ErrConflict     = &Error{Code: CodeConflict}
)

// Errorf returns a coded error with a formatted user message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a CodeInvalid error for one field.
func Invalid(field, message string) *Error {
	return &Error{Code: CodeInvalid, Message: message, Fields: map[string]string{field: message}}
}

// NotFound returns a CodeNotFound error naming what was not found.
func NotFound(what string) *Error {
	return &Error{Code: CodeNotFound, Message: fmt.Sprintf("%s tidak ditemukan", what)}
}

// Forbidden returns a CodeForbidden error.
func Forbidden(message string) *Error { return &Error{Code: CodeForbidden, Message: message} }

// Conflict returns a CodeConflict error.
func Conflict(message string) *Error { return &Error{Code: CodeConflict, Message: message} }

// FieldErrors collects per-field validation messages and turns them into one error.
type FieldErrors map[string]string

// Add records a message for field unless one is already there.
func (f FieldErrors) Add(field, message string) {
	if _, ok := f[field]; !ok {
		f[field] = message
	}
}

// Err returns nil when empty, else a CodeInvalid *Error carrying every field.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Message: "Periksa kembali isian yang ditandai.", Fields: map[string]string(f)}
}

// ErrorCode returns the code of err, CodeInternal for uncoded errors and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

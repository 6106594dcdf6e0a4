package backend

import (
	"errors"
	"fmt"
)

// Error codes. They travel to the frontend unchanged, so they are part of the API.
const (
	ECANCELED    = "canceled"    // the administrator cancelled the action before it finished
	ECONFLICT    = "conflict"    // the action clashes with existing data (duplicate, already invited)
	EFORBIDDEN   = "forbidden"   // the action is not allowed (last administrator, built-in role)
	EINTERNAL    = "internal"    // a bug or an unexpected failure; details are only in the log
	EINVALID     = "invalid"     // the input is malformed
	ENOTFOUND    = "not_found"   // the entity does not exist (or no longer does)
	EUNAVAILABLE = "unavailable" // a dependency (keyring, SMTP server, network) cannot be used now
)

// Error is Roster's coded error. Message is a complete sentence meant for the
// administrator; Field names the input it is about, if any; Key and Args let the
// frontend show the sentence in the user's language.
type Error struct {
	Code    string
	Message string
	Field   string
	Key     string
	Args    map[string]any
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s (%s): %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithField returns a copy of e that names the input field it is about.
func (e *Error) WithField(field string) *Error {
	c := *e
	c.Field = field
	return &c
}

// WithKey returns a copy of e with a translation key and its arguments.
func (e *Error) WithKey(key string, args map[string]any) *Error {
	c := *e
	c.Key = key
	c.Args = args
	return &c
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, a
// generic sentence for any other error, and "" for nil.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong. The details were written to Roster's log."
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

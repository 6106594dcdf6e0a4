package backend

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// parseText trims a one-line text value and checks it: present, at most
// MaxNameLength characters, no line breaks or other control characters.
// what is the key family for messages ("name" gives name.missing, …).
func parseText(raw, field, what string) (string, error) {
	if strings.ContainsAny(raw, "\r\n") {
		return "", fieldError(field, what+".line_break", "A "+what+" cannot contain a line break.", nil)
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fieldError(field, what+".missing", "Enter a "+what+".", nil)
	}
	if utf8.RuneCountInString(s) > MaxNameLength {
		return "", fieldError(field, what+".too_long", "A "+what+" can be at most 200 characters long.", map[string]any{"max": MaxNameLength})
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", fieldError(field, what+".control", "A "+what+" cannot contain control characters.", nil)
	}
	return s, nil
}

// fieldError builds an EINVALID error about one input field.
func fieldError(field, key, message string, args map[string]any) *Error {
	return &Error{Code: EINVALID, Message: message, Field: field, Key: key, Args: args}
}

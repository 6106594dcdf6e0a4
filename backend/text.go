package backend

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// textMessages are the messages about one kind of one-line text.
type textMessages struct {
	lineBreak, missing, tooLong, control *Message
}

// nameText are the messages about a name.
var nameText = textMessages{MsgNameLineBreak, MsgNameMissing, MsgNameTooLong, MsgNameControl}

// parseText trims a one-line text value and checks it: present, at most
// MaxNameLength characters, no line breaks or other control characters.
// what are the messages for the field ("name" gives name.missing, …).
func parseText(raw, field string, what textMessages) (string, error) {
	if strings.ContainsAny(raw, "\r\n") {
		return "", what.lineBreak.FieldError(EINVALID, field)
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", what.missing.FieldError(EINVALID, field)
	}
	if utf8.RuneCountInString(s) > MaxNameLength {
		return "", what.tooLong.FieldError(EINVALID, field, "max", MaxNameLength)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", what.control.FieldError(EINVALID, field)
	}
	return s, nil
}

package backend

import (
	"fmt"
	"slices"
	"sort"

	"roster/backend/msg"
)

// Message declares one sentence a person reads: its key in the catalogue
// (backend/msg/en.json and de.json, under "errors.") and the names of its
// arguments. Args are the {{placeholders}} of its text; Details are
// arguments the window reads beside the text (a certificate's fingerprint),
// which the text does not show.
type Message struct {
	Key     string
	Args    []string
	Details []string
}

// messages holds every declaration by key, filled once by Declare while the
// package initialises and only read afterwards.
var messages = map[string]*Message{}

// Declare declares a message with its key and argument names. It panics on a
// key declared twice, so a clash shows at start-up.
func Declare(key string, args ...string) *Message {
	if _, ok := messages[key]; ok {
		panic("backend: message " + key + " declared twice")
	}
	m := &Message{Key: key, Args: args}
	messages[key] = m
	return m
}

// WithDetails adds arguments that travel with the error but are not in its
// text (a name that is already an argument is skipped). It is called on a
// fresh declaration only.
func (m *Message) WithDetails(names ...string) *Message {
	for _, n := range names {
		if !m.Has(n) {
			m.Details = append(m.Details, n)
		}
	}
	return m
}

// Messages returns every declared message, sorted by key.
func Messages() []*Message {
	all := make([]*Message, 0, len(messages))
	for _, m := range messages {
		all = append(all, m)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Key < all[j].Key })
	return all
}

// LookupMessage returns the declaration of key, or nil.
func LookupMessage(key string) *Message { return messages[key] }

// Has reports whether name is one of m's arguments or details.
func (m *Message) Has(name string) bool {
	return slices.Contains(m.Args, name) || slices.Contains(m.Details, name)
}

// Error returns an *Error of code with m's key, its arguments from the
// name/value pairs in args (a nil value is left out), and the English text
// of the catalogue as Message.
func (m *Message) Error(code string, args ...any) *Error {
	e := &Error{Code: code, Key: m.Key}
	if len(args) > 0 {
		e.Args = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			if args[i+1] != nil {
				e.Args[fmt.Sprint(args[i])] = args[i+1]
			}
		}
	}
	e.Message = msg.T("en", "errors."+m.Key, e.Args)
	return e
}

// FieldError returns m.Error(code, args...) about the input field.
func (m *Message) FieldError(code, field string, args ...any) *Error {
	e := m.Error(code, args...)
	e.Field = field
	return e
}

// Text returns m's text in lang with args (name/value pairs) filled in.
func (m *Message) Text(lang string, args ...any) string {
	return msg.T(lang, "errors."+m.Key, m.Error("", args...).Args)
}

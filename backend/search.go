package backend

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSearchLength bounds the search text of every list, in characters.
// Longer text is no one's search; SQLite refuses LIKE patterns past 50,000
// bytes and the trigram index gains nothing from it.
const MaxSearchLength = 200

// NormalizeSearch is the one check of a list's search text: it trims the
// text and returns it, "" for a blank search. It returns EINVALID (field
// "search") for text longer than MaxSearchLength characters (key
// search.too_long, args max) and for control characters such as NUL, tab or
// a line break (key search.control), which no name or address contains and
// which SQLite's LIKE would read as the end of the pattern.
func NormalizeSearch(s string) (string, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxSearchLength {
		return "", MsgSearchTooLong.FieldError(EINVALID, "search", "max", MaxSearchLength)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", MsgSearchControl.FieldError(EINVALID, "search")
	}
	return strings.ToValidUTF8(s, "\uFFFD"), nil
}

// normalizeSearch applies NormalizeSearch to a filter's Search field and
// leaves it nil when the search is blank.
func normalizeSearch(search **string) error {
	if *search == nil {
		return nil
	}
	s, err := NormalizeSearch(**search)
	if err != nil {
		return err
	}
	if s == "" {
		*search = nil
	} else {
		*search = &s
	}
	return nil
}

// checkSort returns EINVALID (field "sort", key list.unknown_sort) unless
// column is "" (the list's default order) or one of columns.
func checkSort(column string, columns ...string) error {
	if column == "" || slices.Contains(columns, column) {
		return nil
	}
	return MsgListUnknownSort.FieldError(EINVALID, "sort", "column", column)
}

// unknownStatus is the EINVALID error of a status filter no row can have.
func unknownStatus(status string) error {
	return MsgListUnknownStatus.FieldError(EINVALID, "status", "status", status)
}

// Validate checks the filter's sort column and status and normalises its
// search text (NormalizeSearch; nil when blank), so that storage gets only
// bounded, clean text. EINVALID with a Key for anything a list cannot show.
func (f *DirectoryFilter) Validate() error {
	if err := checkSort(f.Sort.Column, "name", "email", "role", "status", "joinedAt"); err != nil {
		return err
	}
	if f.Status != nil {
		switch *f.Status {
		case EntryActive, EntryInactive, EntryPending, EntryExpired:
		default:
			return unknownStatus(string(*f.Status))
		}
	}
	return normalizeSearch(&f.Search)
}

// Validate checks the filter's sort column and status and normalises its
// search text, as DirectoryFilter.Validate does. Removed members are never
// listed, so "removed" is an unknown status here.
func (f *UserFilter) Validate() error {
	if err := checkSort(f.Sort.Column, "name", "email", "role", "status", "joinedAt"); err != nil {
		return err
	}
	if f.Status != nil && *f.Status != UserActive && *f.Status != UserInactive {
		return unknownStatus(string(*f.Status))
	}
	return normalizeSearch(&f.Search)
}

// Validate checks the filter's sort column, state and delivery state and
// normalises its search text. EINVALID with field "state" (key
// invitation.unknown_state) or "delivery" (key invitation.unknown_delivery)
// for a value no invitation can have.
func (f *InvitationFilter) Validate() error {
	if err := checkSort(f.Sort.Column, "createdAt", "email", "role", "invitedBy", "expiresAt", "delivery"); err != nil {
		return err
	}
	if f.State != nil {
		switch *f.State {
		case InvitationPending, InvitationExpired, InvitationAccepted, InvitationDeleted:
		default:
			return MsgInvitationUnknownState.FieldError(EINVALID, "state", "state", string(*f.State))
		}
	}
	if f.Delivery != nil {
		switch *f.Delivery {
		case DeliveryQueued, DeliverySending, DeliverySent, DeliveryFailed, DeliveryCancelled:
		default:
			return MsgInvitationUnknownDelivery.FieldError(EINVALID, "delivery", "delivery", string(*f.Delivery))
		}
	}
	return normalizeSearch(&f.Search)
}

// Validate normalises the filter's search text (NormalizeSearch; nil when blank).
func (f *AuditFilter) Validate() error {
	return normalizeSearch(&f.Search)
}

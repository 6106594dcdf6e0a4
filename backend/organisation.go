package backend

import (
	"context"
	"time"
)

// Organisation is the one organisation a Roster database manages.
type Organisation struct {
	// ID identifies the organisation across databases: a desktop that
	// syncs with a directory server must manage the server's organisation.
	ID        string
	Name      string
	CreatedAt time.Time
}

// SetupParams is what the first-run screen asks for.
type SetupParams struct {
	OrganisationName string
	AdminName        string
	AdminEmail       string
}

// MaxNameLength bounds people's and organisations' names.
const MaxNameLength = 200

// OrganisationService sets up and describes the organisation.
type OrganisationService interface {
	// FindOrganisation returns the organisation. ENOTFOUND before first-run setup.
	FindOrganisation(ctx context.Context) (*Organisation, error)

	// SetupOrganisation creates the organisation and its first administrator,
	// who becomes the administrator acting in this installation. EINVALID
	// (with Field) for a missing or malformed value; ECONFLICT when the
	// organisation already exists.
	SetupOrganisation(ctx context.Context, params SetupParams) (*Organisation, *User, error)

	// FindCurrentAdmin returns the administrator acting in this installation.
	// ENOTFOUND before first-run setup.
	FindCurrentAdmin(ctx context.Context) (*User, error)
}

// ParseName trims a person's or organisation's name and checks it is present,
// of a sane length and on one line. field names the input for the error.
func ParseName(raw, field string) (string, error) {
	return parseText(raw, field, nameText)
}

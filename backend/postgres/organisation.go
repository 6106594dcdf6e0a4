package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"roster/backend"
)

var _ backend.OrganisationService = (*OrganisationService)(nil)

// OrganisationService implements backend.OrganisationService.
type OrganisationService struct {
	db *DB
}

// NewOrganisationService returns the organisation service of db.
func NewOrganisationService(db *DB) *OrganisationService {
	return &OrganisationService{db: db}
}

func errNotSetUp() error {
	return backend.Errorf(backend.ENOTFOUND, "Roster has not been set up yet.")
}

// FindOrganisation returns the organisation. ENOTFOUND before setup.
func (s *OrganisationService) FindOrganisation(ctx context.Context) (*backend.Organisation, error) {
	var o backend.Organisation
	err := s.db.db.QueryRowContext(ctx, `SELECT name, created_at FROM organisation WHERE id = 1`).
		Scan(&o.Name, timeCol{&o.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotSetUp()
	} else if err != nil {
		return nil, fmt.Errorf("find organisation: %w", err)
	}
	return &o, nil
}

// FindCurrentAdmin returns the organisation's first administrator.
func (s *OrganisationService) FindCurrentAdmin(ctx context.Context) (*backend.User, error) {
	var id string
	err := s.db.db.QueryRowContext(ctx, `SELECT admin_user_id FROM organisation WHERE id = 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotSetUp()
	} else if err != nil {
		return nil, fmt.Errorf("find current admin: %w", err)
	}
	u, err := findUserByID(ctx, s.db.db, id)
	if err != nil {
		return nil, fmt.Errorf("find current admin: %w", err)
	}
	return u, nil
}

func errSetUpAlready() error {
	return backend.Errorf(backend.ECONFLICT, "Roster has already been set up.").WithKey("organisation.exists", nil)
}

// SetupOrganisation creates the organisation and its first administrator.
// Of two setups at once, the organisation's primary key lets one win.
func (s *OrganisationService) SetupOrganisation(ctx context.Context, p backend.SetupParams) (*backend.Organisation, *backend.User, error) {
	orgName, err := backend.ParseName(p.OrganisationName, "organisationName")
	if err != nil {
		return nil, nil, err
	}
	adminName, err := backend.ParseName(p.AdminName, "adminName")
	if err != nil {
		return nil, nil, err
	}
	email, err := backend.ParseEmail(p.AdminEmail)
	if err != nil {
		return nil, nil, backend.AsError(err).WithField("adminEmail")
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	if err := lockEmails(ctx, tx, email.Key); err != nil {
		return nil, nil, err
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM organisation)`).Scan(&exists); err != nil {
		return nil, nil, fmt.Errorf("setup organisation: %w", err)
	}
	if exists {
		return nil, nil, errSetUpAlready()
	}

	u := &backend.User{
		ID:       newID(),
		Name:     adminName,
		Email:    email.Address,
		RoleID:   backend.RoleAdministrator,
		Status:   backend.UserActive,
		JoinedAt: tx.now,
	}
	if err := insertUser(ctx, tx, u, email.Key); err != nil {
		return nil, nil, fmt.Errorf("setup organisation: %w", err)
	}
	org := &backend.Organisation{Name: orgName, CreatedAt: tx.now}
	if _, err := tx.ExecContext(ctx, `INSERT INTO organisation (id, name, admin_user_id, created_at) VALUES (1, $1, $2, $3)`,
		org.Name, u.ID, org.CreatedAt); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			return nil, nil, errSetUpAlready()
		}
		return nil, nil, fmt.Errorf("setup organisation: %w", mapError(err))
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: u.ID, Name: u.Name})
	if err := writeAudit(ctx, tx, backend.AuditOrganisationSetup, auditTarget{"organisation", "1", org.Name}, nil,
		map[string]any{"organisation": org.Name, "administrator": u.Email}); err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(); err != nil {
		if backend.ErrorCode(mapError(err)) == backend.ECONFLICT {
			return nil, nil, errSetUpAlready()
		}
		return nil, nil, fmt.Errorf("setup organisation: %w", mapError(err))
	}
	return org, u, nil
}

// organisationName returns the organisation's name for emails ("" before setup).
func organisationName(ctx context.Context, q queryer) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM organisation WHERE id = 1`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("organisation name: %w", err)
	}
	return name, nil
}

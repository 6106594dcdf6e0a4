package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"roster/backend"
)

// OrganisationService implements backend.OrganisationService.
type OrganisationService struct {
	s *Store
}

var _ backend.OrganisationService = (*OrganisationService)(nil)

// NewOrganisationService returns the organisation service of s.
func NewOrganisationService(s *Store) *OrganisationService {
	return &OrganisationService{s: s}
}

func errNotSetUp() error {
	return backend.MsgOrganisationNotFound.Error(backend.ENOTFOUND)
}

// FindOrganisation returns the organisation. ENOTFOUND before setup.
func (os *OrganisationService) FindOrganisation(ctx context.Context) (*backend.Organisation, error) {
	var o backend.Organisation
	err := os.s.DB.QueryRowContext(ctx, `SELECT uid, name, created_at FROM organisation WHERE id = 1`).
		Scan(&o.ID, &o.Name, Time(&o.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotSetUp()
	} else if err != nil {
		return nil, os.s.wrap("find organisation", err)
	}
	return &o, nil
}

// FindCurrentAdmin returns the administrator acting in this installation
// (the organisation's first administrator).
func (os *OrganisationService) FindCurrentAdmin(ctx context.Context) (*backend.User, error) {
	s := os.s
	var id string
	err := s.DB.QueryRowContext(ctx, `SELECT admin_user_id FROM organisation WHERE id = 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotSetUp()
	} else if err != nil {
		return nil, s.wrap("find current admin", err)
	}
	u, err := s.FindUserByID(ctx, s.DB, id)
	if err != nil {
		return nil, fmt.Errorf("find current admin: %w", err)
	}
	return u, nil
}

func errSetUpAlready() error {
	return backend.MsgOrganisationExists.Error(backend.ECONFLICT)
}

// SetupOrganisation creates the organisation and its first administrator.
// Of two setups at once, the organisation's primary key lets one win.
func (os *OrganisationService) SetupOrganisation(ctx context.Context, p backend.SetupParams) (*backend.Organisation, *backend.User, error) {
	s := os.s
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

	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	if err := s.lockEmails(ctx, tx, email.Key); err != nil {
		return nil, nil, err
	}

	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM organisation)`).Scan(&exists); err != nil {
		return nil, nil, s.wrap("setup organisation", err)
	}
	if exists {
		return nil, nil, errSetUpAlready()
	}

	u := &backend.User{
		ID:       NewID(),
		Name:     adminName,
		Email:    email.Address,
		RoleID:   backend.RoleAdministrator,
		Status:   backend.UserActive,
		JoinedAt: tx.Now(),
	}
	if err := s.insertUser(ctx, tx, u, email.Key); err != nil {
		return nil, nil, fmt.Errorf("setup organisation: %w", err)
	}
	org := &backend.Organisation{ID: NewID(), Name: orgName, CreatedAt: tx.Now()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO organisation (id, uid, name, admin_user_id, created_at) VALUES (1, ?, ?, ?, ?)`,
		org.ID, org.Name, u.ID, s.Time(org.CreatedAt)); err != nil {
		if backend.ErrorCode(s.MapError(err)) == backend.ECONFLICT {
			return nil, nil, errSetUpAlready()
		}
		return nil, nil, s.wrap("setup organisation", err)
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: u.ID, Name: u.Name})
	if err := s.WriteAudit(ctx, tx, backend.AuditOrganisationSetup, AuditTarget{Type: "organisation", ID: "1", Label: org.Name}, nil,
		map[string]any{"organisation": org.Name, "administrator": u.Email}); err != nil {
		return nil, nil, err
	}
	if err := tx.Commit(); err != nil {
		if backend.ErrorCode(s.MapError(err)) == backend.ECONFLICT {
			return nil, nil, errSetUpAlready()
		}
		return nil, nil, s.wrap("setup organisation", err)
	}
	return org, u, nil
}

// OrganisationName returns the organisation's name for emails ("" before setup).
func (d *Dialect) OrganisationName(ctx context.Context, q Querier) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM organisation WHERE id = 1`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", d.wrap("organisation name", err)
	}
	return name, nil
}

// lockEmails runs the store's LockEmails, if it has one.
func (d *Dialect) lockEmails(ctx context.Context, tx Tx, keys ...string) error {
	if d.LockEmails == nil {
		return nil
	}
	return d.LockEmails(ctx, BaseTx(tx), keys...)
}

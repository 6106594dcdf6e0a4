package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"roster/backend"
)

// OIDCService implements backend.OIDCClientService and backend.OIDCStore:
// the OpenID Connect provider's clients and protocol state, in the database
// only, so every server process on it shares them.
type OIDCService struct {
	s *Store
}

var (
	_ backend.OIDCClientService = (*OIDCService)(nil)
	_ backend.OIDCStore         = (*OIDCService)(nil)
)

// NewOIDCService returns the OpenID Connect service of s.
func NewOIDCService(s *Store) *OIDCService {
	return &OIDCService{s: s}
}

func errClientNotFound() error {
	return backend.MsgOidcClientNotFound.Error(backend.ENOTFOUND)
}

func errOIDCInvalid() error {
	return backend.MsgOidcRequestInvalid.Error(backend.ENOTFOUND)
}

// newClientSecret returns a client secret of 256 random bits. It is stored
// as its SHA-256: a secret this long cannot be guessed, so a slow password
// hash would only slow every token request down.
func newClientSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("marshal: " + err.Error()) // string slices always marshal
	}
	return string(b)
}

// CreateOIDCClient registers a client.
func (os *OIDCService) CreateOIDCClient(ctx context.Context, params backend.OIDCClientParams) (*backend.OIDCClient, string, error) {
	s := os.s
	p, err := params.Normalize()
	if err != nil {
		return nil, "", err
	}
	c := &backend.OIDCClient{ID: NewID(), Name: p.Name, Public: p.Public, RedirectURIs: p.RedirectURIs,
		PostLogoutRedirectURIs: p.PostLogoutRedirectURIs, CreatedAt: s.now()}
	var secret string
	var hash any // NULL for a public client
	if !p.Public {
		secret = newClientSecret()
		hash = HashToken(secret)
	}
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO oidc_clients (id, name, secret_hash, redirect_uris, post_logout_redirect_uris, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, c.ID, c.Name, hash, jsonText(c.RedirectURIs), jsonText(c.PostLogoutRedirectURIs),
		s.Time(c.CreatedAt)); err != nil {
		return nil, "", s.wrap("create client", err)
	}
	return c, secret, nil
}

const clientColumns = `id, name, secret_hash, redirect_uris, post_logout_redirect_uris, created_at`

func scanClient(row scanner) (*backend.OIDCClient, []byte, error) {
	var c backend.OIDCClient
	var hash []byte
	var redirects, logouts string
	if err := row.Scan(&c.ID, &c.Name, &hash, &redirects, &logouts, Time(&c.CreatedAt)); err != nil {
		return nil, nil, err
	}
	c.Public = hash == nil
	if err := json.Unmarshal([]byte(redirects), &c.RedirectURIs); err != nil {
		return nil, nil, fmt.Errorf("client redirect URIs: %w", err)
	}
	if err := json.Unmarshal([]byte(logouts), &c.PostLogoutRedirectURIs); err != nil {
		return nil, nil, fmt.Errorf("client logout URIs: %w", err)
	}
	return &c, hash, nil
}

// queryAll runs a query and scans every row it returns with scan; no rows
// give an empty list.
func queryAll[T any](ctx context.Context, q Querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}

// FindOIDCClients returns every client, oldest first.
func (os *OIDCService) FindOIDCClients(ctx context.Context) ([]*backend.OIDCClient, error) {
	s := os.s
	list, err := queryAll(ctx, s.DB, func(row scanner) (*backend.OIDCClient, error) {
		c, _, err := scanClient(row)
		return c, err
	}, `SELECT `+clientColumns+` FROM oidc_clients ORDER BY created_at, id`)
	if err != nil {
		return nil, s.wrap("find clients", err)
	}
	return list, nil
}

func (os *OIDCService) findClient(ctx context.Context, id string) (*backend.OIDCClient, []byte, error) {
	s := os.s
	c, hash, err := scanClient(s.DB.QueryRowContext(ctx, `SELECT `+clientColumns+` FROM oidc_clients WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errClientNotFound()
	} else if err != nil {
		return nil, nil, s.wrap("find client", err)
	}
	return c, hash, nil
}

// FindOIDCClientByID returns one client.
func (os *OIDCService) FindOIDCClientByID(ctx context.Context, id string) (*backend.OIDCClient, error) {
	c, _, err := os.findClient(ctx, id)
	return c, err
}

// AuthenticateOIDCClient checks a confidential client's secret, in
// constant time.
func (os *OIDCService) AuthenticateOIDCClient(ctx context.Context, id, secret string) (*backend.OIDCClient, error) {
	c, hash, err := os.findClient(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Public || subtle.ConstantTimeCompare(hash, HashToken(secret)) != 1 {
		return nil, errClientNotFound()
	}
	return c, nil
}

// execOne runs a statement that must change a row: when it changes none,
// the error is none().
func (os *OIDCService) execOne(ctx context.Context, q Querier, what string, none func() error, query string, args ...any) error {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return os.s.wrap(what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return os.s.wrap(what, err)
	} else if n == 0 {
		return none()
	}
	return nil
}

// DeleteOIDCClient deletes a client; its requests and tokens go with it.
func (os *OIDCService) DeleteOIDCClient(ctx context.Context, id string) error {
	return os.execOne(ctx, os.s.DB, "delete client", errClientNotFound, `DELETE FROM oidc_clients WHERE id = ?`, id)
}

// CreateOIDCAuthRequest stores a new authorization request.
func (os *OIDCService) CreateOIDCAuthRequest(ctx context.Context, r *backend.OIDCAuthRequest) error {
	s := os.s
	now := s.now()
	r.ID, r.CreatedAt, r.ExpiresAt = NewID(), now, now.Add(backend.OIDCAuthRequestLifetime)
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO oidc_auth_requests (id, client_id, request, created_at, expires_at)
		SELECT ?, id, ?, ?, ? FROM oidc_clients WHERE id = ?`, r.ID, r.Request, s.Time(now), s.Time(r.ExpiresAt),
		r.ClientID); err != nil {
		return s.wrap("create auth request", err)
	}
	return nil
}

const authRequestColumns = `id, client_id, request, user_id, auth_time, created_at, expires_at`

func scanAuthRequest(row scanner) (*backend.OIDCAuthRequest, error) {
	var r backend.OIDCAuthRequest
	var user sql.NullString
	var authTime *time.Time
	if err := row.Scan(&r.ID, &r.ClientID, &r.Request, &user, NullTime(&authTime), Time(&r.CreatedAt), Time(&r.ExpiresAt)); err != nil {
		return nil, err
	}
	r.UserID = user.String
	if authTime != nil {
		r.AuthTime = *authTime
	}
	return &r, nil
}

// FindOIDCAuthRequest returns an unexpired request.
func (os *OIDCService) FindOIDCAuthRequest(ctx context.Context, id string) (*backend.OIDCAuthRequest, error) {
	s := os.s
	r, err := scanAuthRequest(s.DB.QueryRowContext(ctx, `SELECT `+authRequestColumns+` FROM oidc_auth_requests
		WHERE id = ? AND code_used_at IS NULL AND expires_at > ?`, id, s.Time(s.now())))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOIDCInvalid()
	} else if err != nil {
		return nil, s.wrap("find auth request", err)
	}
	return r, nil
}

// CompleteOIDCAuthRequest records the sign-in of an active member. It
// holds the member's row like CreateSession, so a deactivation waits.
func (os *OIDCService) CompleteOIDCAuthRequest(ctx context.Context, id, userID string, authTime time.Time) error {
	s := os.s
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	u, err := s.lockUser(ctx, tx, userID, s.ForShare)
	if err != nil {
		return err
	}
	if u.Status != backend.UserActive {
		return errInactive()
	}
	if err := os.execOne(ctx, tx, "complete auth request", errOIDCInvalid, `UPDATE oidc_auth_requests SET user_id = ?, auth_time = ?
		WHERE id = ? AND code_hash IS NULL AND expires_at > ?`, u.ID, s.Time(authTime.UTC().Truncate(time.Millisecond)),
		id, s.Time(tx.Now())); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return s.wrap("complete auth request", err)
	}
	return nil
}

// SetOIDCCode gives a completed request its code.
func (os *OIDCService) SetOIDCCode(ctx context.Context, id string, codeHash []byte) error {
	s := os.s
	now := s.now()
	return os.execOne(ctx, s.DB, "save code", errOIDCInvalid, `UPDATE oidc_auth_requests SET code_hash = ?, expires_at = ?
		WHERE id = ? AND user_id IS NOT NULL AND code_hash IS NULL AND expires_at > ?`,
		codeHash, s.Time(now.Add(backend.OIDCCodeLifetime)), id, s.Time(now))
}

// RedeemOIDCCode uses a code up. A second use revokes the tokens of the
// first (RFC 6749, 4.1.2).
func (os *OIDCService) RedeemOIDCCode(ctx context.Context, codeHash []byte) (*backend.OIDCAuthRequest, error) {
	s := os.s
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := tx.Now()
	var used *time.Time
	r, err := scanAuthRequest(tx.QueryRowContext(ctx, `SELECT `+authRequestColumns+` FROM oidc_auth_requests
		WHERE code_hash = ?`, codeHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errOIDCInvalid()
	} else if err != nil {
		return nil, s.wrap("redeem code", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT code_used_at FROM oidc_auth_requests WHERE id = ?`, r.ID).
		Scan(NullTime(&used)); err != nil {
		return nil, s.wrap("redeem code", err)
	}
	if used != nil {
		if err := revokeFamily(ctx, tx, r.ID); err != nil {
			return nil, s.wrap("revoke reused code's tokens", err)
		}
		if err := tx.Commit(); err != nil {
			return nil, s.wrap("redeem code", err)
		}
		return nil, errOIDCInvalid()
	}
	if !now.Before(r.ExpiresAt) {
		return nil, errOIDCInvalid()
	}
	res, err := tx.ExecContext(ctx, `UPDATE oidc_auth_requests SET code_used_at = ? WHERE id = ? AND code_used_at IS NULL`,
		s.Time(now), r.ID)
	if err != nil {
		return nil, s.wrap("redeem code", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return nil, errOIDCInvalid()
	}
	u, err := s.FindUserByID(ctx, tx, r.UserID)
	if err != nil {
		return nil, err
	}
	if u.Status != backend.UserActive {
		return nil, errOIDCInvalid()
	}
	if err := tx.Commit(); err != nil {
		return nil, s.wrap("redeem code", err)
	}
	return r, nil
}

// DeleteOIDCAuthRequest deletes a request whose code was not redeemed.
func (os *OIDCService) DeleteOIDCAuthRequest(ctx context.Context, id string) error {
	s := os.s
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM oidc_auth_requests WHERE id = ? AND code_used_at IS NULL`, id); err != nil {
		return s.wrap("delete auth request", err)
	}
	return nil
}

func revokeFamily(ctx context.Context, q Querier, family string) error {
	_, err := q.ExecContext(ctx, `DELETE FROM oidc_tokens WHERE family = ?`, family)
	return err
}

// grantData is the JSON of a token's grant_data column.
type grantData struct {
	Scopes   []string  `json:"scopes"`
	Audience []string  `json:"audience"`
	AMR      []string  `json:"amr,omitempty"`
	AuthTime time.Time `json:"authTime"`
}

// CreateOIDCTokens issues tokens to an active member; rotating a refresh
// token uses it up in the same transaction, so two concurrent uses of one
// refresh token cannot both succeed.
func (os *OIDCService) CreateOIDCTokens(ctx context.Context, p backend.OIDCTokenParams) (*backend.OIDCTokens, error) {
	s := os.s
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := tx.Now()
	u, err := s.lockUser(ctx, tx, p.UserID, s.ForShare)
	if err != nil {
		return nil, err
	}
	if u.Status != backend.UserActive {
		return nil, errOIDCInvalid()
	}
	if p.Rotate != nil {
		res, err := tx.ExecContext(ctx, `UPDATE oidc_tokens SET used_at = ? WHERE token_hash = ? AND kind = 'refresh'
			AND used_at IS NULL AND expires_at > ?`, s.Time(now), p.Rotate, s.Time(now))
		if err != nil {
			return nil, s.wrap("rotate refresh token", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return nil, errOIDCInvalid()
		}
	}
	data := jsonText(grantData{Scopes: p.Scopes, Audience: p.Audience, AMR: p.AMR, AuthTime: p.AuthTime.UTC()})
	t := &backend.OIDCTokens{AccessID: NewID(), AccessExpires: now.Add(p.AccessTTL)}
	if _, err := tx.ExecContext(ctx, `INSERT INTO oidc_tokens (id, kind, family, client_id, user_id, grant_data, created_at, expires_at)
		VALUES (?, 'access', ?, ?, ?, ?, ?, ?)`, t.AccessID, p.Family, p.ClientID, u.ID, data, s.Time(now),
		s.Time(t.AccessExpires)); err != nil {
		return nil, s.wrap("create access token", err)
	}
	if p.Refresh {
		token, hash := NewToken()
		if _, err := tx.ExecContext(ctx, `INSERT INTO oidc_tokens (id, kind, token_hash, family, client_id, user_id, grant_data,
			created_at, expires_at) VALUES (?, 'refresh', ?, ?, ?, ?, ?, ?, ?)`, NewID(), hash, p.Family, p.ClientID, u.ID, data,
			s.Time(now), s.Time(now.Add(backend.OIDCRefreshTokenLifetime))); err != nil {
			return nil, s.wrap("create refresh token", err)
		}
		t.Refresh = token
	}
	if err := tx.Commit(); err != nil {
		return nil, s.wrap("create tokens", err)
	}
	return t, nil
}

const tokenColumns = `t.id, t.family, t.client_id, t.user_id, t.grant_data, t.created_at, t.expires_at, t.used_at, u.status`

func scanToken(row scanner) (*backend.OIDCToken, *time.Time, backend.UserStatus, error) {
	var t backend.OIDCToken
	var data string
	var used *time.Time
	var status backend.UserStatus
	if err := row.Scan(&t.ID, &t.Family, &t.ClientID, &t.UserID, &data, Time(&t.CreatedAt), Time(&t.ExpiresAt),
		NullTime(&used), &status); err != nil {
		return nil, nil, "", err
	}
	var g grantData
	if err := json.Unmarshal([]byte(data), &g); err != nil {
		return nil, nil, "", fmt.Errorf("token grant: %w", err)
	}
	t.Scopes, t.Audience, t.AMR, t.AuthTime = g.Scopes, g.Audience, g.AMR, g.AuthTime
	return &t, used, status, nil
}

// findToken returns the token of the given kind whose column is arg, when
// it was used, and whether it is usable now: unexpired, of an active member.
// Errors: errOIDCInvalid when there is no such token.
func (os *OIDCService) findToken(ctx context.Context, kind, column string, arg any) (t *backend.OIDCToken, used *time.Time, usable bool, err error) {
	s := os.s
	t, used, status, err := scanToken(s.DB.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM oidc_tokens t
		JOIN users u ON u.id = t.user_id WHERE t.`+column+` = ? AND t.kind = ?`, arg, kind))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, false, errOIDCInvalid()
	} else if err != nil {
		return nil, nil, false, s.wrap("find "+kind+" token", err)
	}
	return t, used, status == backend.UserActive && s.now().Before(t.ExpiresAt), nil
}

// FindOIDCRefreshToken returns a usable refresh token; presenting one that
// was rotated already revokes its family (RFC 9700, 4.14.2).
func (os *OIDCService) FindOIDCRefreshToken(ctx context.Context, hash []byte) (*backend.OIDCToken, error) {
	t, used, usable, err := os.findToken(ctx, "refresh", "token_hash", hash)
	if err != nil {
		return nil, err
	}
	if used != nil {
		if err := revokeFamily(ctx, os.s.DB, t.Family); err != nil {
			return nil, os.s.wrap("revoke reused refresh token's family", err)
		}
		return nil, errOIDCInvalid()
	}
	if !usable {
		return nil, errOIDCInvalid()
	}
	return t, nil
}

// FindOIDCAccessToken returns a usable access token.
func (os *OIDCService) FindOIDCAccessToken(ctx context.Context, id string) (*backend.OIDCToken, error) {
	t, _, usable, err := os.findToken(ctx, "access", "id", id)
	if err != nil {
		return nil, err
	}
	if !usable {
		return nil, errOIDCInvalid()
	}
	return t, nil
}

// RevokeOIDCToken revokes an access token, or a refresh token's family.
func (os *OIDCService) RevokeOIDCToken(ctx context.Context, clientID, id string) error {
	s := os.s
	var kind, family string
	err := s.DB.QueryRowContext(ctx, `SELECT kind, family FROM oidc_tokens WHERE id = ? AND client_id = ?`, id, clientID).
		Scan(&kind, &family)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return s.wrap("revoke token", err)
	}
	if kind == "refresh" {
		err = revokeFamily(ctx, s.DB, family)
	} else {
		_, err = s.DB.ExecContext(ctx, `DELETE FROM oidc_tokens WHERE id = ?`, id)
	}
	if err != nil {
		return s.wrap("revoke token", err)
	}
	return nil
}

// RevokeOIDCUserTokens revokes a member's tokens for a client.
func (os *OIDCService) RevokeOIDCUserTokens(ctx context.Context, userID, clientID string) error {
	s := os.s
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM oidc_tokens WHERE user_id = ? AND client_id = ?`, userID, clientID); err != nil {
		return s.wrap("revoke tokens", err)
	}
	return nil
}

const signingKeyColumns = `id, slot, sealer, algorithm, public_key, private_key, signs_until, expires_at, created_at`

func scanSigningKey(row scanner) (*backend.OIDCSigningKey, error) {
	var k backend.OIDCSigningKey
	err := row.Scan(&k.ID, &k.Slot, &k.Sealer, &k.Algorithm, &k.PublicKey, &k.PrivateKey, Time(&k.SignsUntil), Time(&k.ExpiresAt),
		Time(&k.CreatedAt))
	return &k, err
}

// AddOIDCSigningKey stores k unless its slot has a key of its sealer, then
// reads that key back: the unique (slot, sealer) decides which process's
// key wins.
func (os *OIDCService) AddOIDCSigningKey(ctx context.Context, k *backend.OIDCSigningKey) (*backend.OIDCSigningKey, error) {
	s := os.s
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO oidc_signing_keys (`+signingKeyColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slot, sealer) DO NOTHING`, k.ID, k.Slot, k.Sealer, k.Algorithm, k.PublicKey, k.PrivateKey,
		s.Time(k.SignsUntil), s.Time(k.ExpiresAt), s.Time(s.now())); err != nil {
		return nil, s.wrap("add signing key", err)
	}
	got, err := scanSigningKey(s.DB.QueryRowContext(ctx, `SELECT `+signingKeyColumns+` FROM oidc_signing_keys WHERE slot = ? AND sealer = ?`,
		k.Slot, k.Sealer))
	if err != nil {
		return nil, s.wrap("add signing key", err)
	}
	return got, nil
}

// FindOIDCSigningKeys returns the published keys, newest first.
func (os *OIDCService) FindOIDCSigningKeys(ctx context.Context) ([]*backend.OIDCSigningKey, error) {
	s := os.s
	list, err := queryAll(ctx, s.DB, scanSigningKey, `SELECT `+signingKeyColumns+` FROM oidc_signing_keys WHERE expires_at > ?
		ORDER BY slot DESC`, s.Time(s.now()))
	if err != nil {
		return nil, s.wrap("find signing keys", err)
	}
	return list, nil
}

// PurgeOIDC deletes what has expired.
func (os *OIDCService) PurgeOIDC(ctx context.Context) (int, error) {
	s := os.s
	now := s.Time(s.now())
	total := 0
	for _, q := range []string{
		`DELETE FROM oidc_auth_requests WHERE expires_at <= ?`,
		`DELETE FROM oidc_tokens WHERE expires_at <= ?`,
		`DELETE FROM oidc_signing_keys WHERE expires_at <= ?`,
	} {
		res, err := s.DB.ExecContext(ctx, q, now)
		if err != nil {
			return total, s.wrap("purge oidc", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, s.wrap("purge oidc", err)
		}
		total += int(n)
	}
	return total, nil
}

package server

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"roster/backend"
	"roster/backend/sqlstore"
)

// errTokenInactive is the answer for an access token that is unknown,
// expired, revoked, or of a member no longer active.
var errTokenInactive = errors.New("access token inactive")

// oidcStorage is op's storage over the backend's OIDC services. Every
// method that hands out or honours a grant reads its member's status now.
type oidcStorage struct {
	s        *Server
	store    backend.OIDCStore
	clients  backend.OIDCClientService
	ttl      time.Duration
	rotation time.Duration
	now      func() time.Time
	// seal seals the signing keys' private halves (AES-256-GCM); sealer
	// names that key in the database (a hash of it).
	seal   cipher.AEAD
	sealer string

	mu      sync.Mutex
	current *signingKey // the key of the current slot, once read
	// public are the parsed public keys by id.
	public sync.Map
}

var (
	_ op.Storage                        = (*oidcStorage)(nil)
	_ op.CanTerminateSessionFromRequest = (*oidcStorage)(nil)
)

func newOIDCStorage(s *Server, cfg OIDCConfig) (*oidcStorage, error) {
	k := deriveKey(cfg.Secret, "signing key seal")
	sealer := deriveKey(cfg.Secret, "signing key sealer id")
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &oidcStorage{s: s, store: s.svc.OIDC, clients: s.svc.OIDCClients, ttl: cfg.AccessTokenTTL,
		rotation: cfg.KeyRotation, now: cfg.Now, seal: aead, sealer: hex.EncodeToString(sealer[:8])}, nil
}

// authRequest is op's view of a stored authorization request.
type authRequest struct {
	stored *backend.OIDCAuthRequest
	req    oidc.AuthRequest
}

var _ op.AuthRequest = (*authRequest)(nil)

func newAuthRequest(r *backend.OIDCAuthRequest) (*authRequest, error) {
	a := &authRequest{stored: r}
	if err := json.Unmarshal(r.Request, &a.req); err != nil {
		return nil, fmt.Errorf("stored auth request: %w", err)
	}
	return a, nil
}

func (a *authRequest) GetID() string          { return a.stored.ID }
func (a *authRequest) GetACR() string         { return "" }
func (a *authRequest) GetAMR() []string       { return []string{"pwd"} }
func (a *authRequest) GetAudience() []string  { return []string{a.stored.ClientID} }
func (a *authRequest) GetAuthTime() time.Time { return a.stored.AuthTime }
func (a *authRequest) GetClientID() string    { return a.stored.ClientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.req.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.req.CodeChallenge, Method: a.req.CodeChallengeMethod}
}
func (a *authRequest) GetNonce() string                   { return a.req.Nonce }
func (a *authRequest) GetRedirectURI() string             { return a.req.RedirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType { return a.req.ResponseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return a.req.ResponseMode }
func (a *authRequest) GetScopes() []string                { return a.req.Scopes }
func (a *authRequest) GetState() string                   { return a.req.State }
func (a *authRequest) GetSubject() string                 { return a.stored.UserID }
func (a *authRequest) Done() bool                         { return a.stored.UserID != "" }

// prompts reports whether the request asks for prompt p (login, none).
func (a *authRequest) prompts(p string) bool { return slices.Contains(a.req.Prompt, p) }

// refreshRequest is op's view of a stored refresh token.
type refreshRequest struct {
	token *backend.OIDCToken
}

var _ op.RefreshTokenRequest = (*refreshRequest)(nil)

func (r *refreshRequest) GetAMR() []string                 { return r.token.AMR }
func (r *refreshRequest) GetAudience() []string            { return r.token.Audience }
func (r *refreshRequest) GetAuthTime() time.Time           { return r.token.AuthTime }
func (r *refreshRequest) GetClientID() string              { return r.token.ClientID }
func (r *refreshRequest) GetScopes() []string              { return r.token.Scopes }
func (r *refreshRequest) GetSubject() string               { return r.token.UserID }
func (r *refreshRequest) SetCurrentScopes(scopes []string) { r.token.Scopes = scopes }
func (r *refreshRequest) grant() backend.OIDCGrant         { return r.token.OIDCGrant }
func (a *authRequest) grant() backend.OIDCGrant {
	return backend.OIDCGrant{ClientID: a.stored.ClientID, UserID: a.stored.UserID, Scopes: a.req.Scopes,
		Audience: a.GetAudience(), AMR: a.GetAMR(), AuthTime: a.stored.AuthTime}
}

// client is op's view of a client.
type client struct {
	c     *backend.OIDCClient
	login func(id string) string
}

var _ op.Client = (*client)(nil)

func (c *client) GetID() string                    { return c.c.ID }
func (c *client) RedirectURIs() []string           { return c.c.RedirectURIs }
func (c *client) PostLogoutRedirectURIs() []string { return c.c.PostLogoutRedirectURIs }
func (c *client) ApplicationType() op.ApplicationType {
	return op.ApplicationTypeWeb
}
func (c *client) AuthMethod() oidc.AuthMethod {
	if c.c.Public {
		return oidc.AuthMethodNone
	}
	// Basic is the registered method; op accepts client_secret_post as
	// well, since the provider supports it (op.Config.AuthMethodPost).
	return oidc.AuthMethodBasic
}
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken}
}
func (c *client) LoginURL(id string) string            { return c.login(id) }
func (c *client) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeJWT }
func (c *client) IDTokenLifetime() time.Duration       { return IDTokenLifetime }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) IsScopeAllowed(string) bool           { return false }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// DevMode lets a registered http redirect URI of a public client pass (op
// allows http ones only to confidential clients otherwise). Every redirect
// URI still has to match a registered one exactly.
func (c *client) DevMode() bool { return true }

// fail is what op gets of an error: the protocol's errors, and the coded
// errors of the backend (their texts are meant to be shown), as they are;
// anything else is logged in full and answered as server_error, so no
// internal detail reaches a relying party.
func (st *oidcStorage) fail(err error) error {
	var oe *oidc.Error
	switch code := backend.ErrorCode(err); {
	case err == nil, errors.As(err, &oe), errors.Is(err, op.ErrInvalidRefreshToken), errors.Is(err, errTokenInactive):
		return err
	case code != "" && code != backend.EINTERNAL:
		return err
	}
	st.s.log.WithError(err).Error("openid connect storage")
	return oidc.ErrServerError()
}

// GetClientByClientID implements op.OPStorage.
func (st *oidcStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := st.clients.FindOIDCClientByID(ctx, id)
	if err != nil {
		return nil, st.fail(err)
	}
	return &client{c: c, login: st.s.authRequestURL}, nil
}

// AuthorizeClientIDSecret implements op.OPStorage.
func (st *oidcStorage) AuthorizeClientIDSecret(ctx context.Context, id, secret string) error {
	if _, err := st.clients.AuthenticateOIDCClient(ctx, id, secret); backend.ErrorCode(err) == backend.ENOTFOUND {
		return oidc.ErrInvalidClient().WithDescription("client authentication failed")
	} else if err != nil {
		return st.fail(err)
	}
	return nil
}

// CreateAuthRequest implements op.AuthStorage. Public clients must use
// PKCE, and every client S256 if any.
func (st *oidcStorage) CreateAuthRequest(ctx context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	c, err := st.clients.FindOIDCClientByID(ctx, req.ClientID)
	if err != nil {
		return nil, st.fail(err)
	}
	if c.Public && req.CodeChallenge == "" {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE (S256) is required for public clients")
	}
	if req.CodeChallenge != "" && req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("the code_challenge_method must be S256")
	}
	kept := *req
	kept.IDTokenHint, kept.RequestParam = "", ""
	data, err := json.Marshal(&kept)
	if err != nil {
		return nil, st.fail(err)
	}
	r := &backend.OIDCAuthRequest{ClientID: req.ClientID, Request: data}
	if err := st.store.CreateOIDCAuthRequest(ctx, r); err != nil {
		return nil, st.fail(err)
	}
	return &authRequest{stored: r, req: kept}, nil
}

// authRequest returns a pending request.
func (st *oidcStorage) authRequest(ctx context.Context, id string) (*authRequest, error) {
	r, err := st.store.FindOIDCAuthRequest(ctx, id)
	if err != nil {
		return nil, st.fail(err)
	}
	return newAuthRequest(r)
}

// AuthRequestByID implements op.AuthStorage.
func (st *oidcStorage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	return st.authRequest(ctx, id)
}

// AuthRequestByCode implements op.AuthStorage: it uses the code up.
func (st *oidcStorage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	r, err := st.store.RedeemOIDCCode(ctx, sqlstore.HashToken(code))
	if err != nil {
		return nil, st.fail(err)
	}
	return newAuthRequest(r)
}

// SaveAuthCode implements op.AuthStorage.
func (st *oidcStorage) SaveAuthCode(ctx context.Context, id, code string) error {
	return st.store.SetOIDCCode(ctx, id, sqlstore.HashToken(code))
}

// DeleteAuthRequest implements op.AuthStorage.
func (st *oidcStorage) DeleteAuthRequest(ctx context.Context, id string) error {
	return st.store.DeleteOIDCAuthRequest(ctx, id)
}

func (st *oidcStorage) createTokens(ctx context.Context, req op.TokenRequest, refresh bool, current string) (*backend.OIDCTokens, error) {
	p := backend.OIDCTokenParams{AccessTTL: st.ttl, Refresh: refresh}
	switch r := req.(type) {
	case *authRequest:
		p.OIDCGrant, p.Family = r.grant(), r.GetID()
	case *refreshRequest:
		p.OIDCGrant, p.Family = r.grant(), r.token.Family
	default:
		return nil, oidc.ErrUnsupportedGrantType()
	}
	if current != "" {
		p.Rotate = sqlstore.HashToken(current)
	}
	t, err := st.store.CreateOIDCTokens(ctx, p)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		return nil, oidc.ErrInvalidGrant()
	}
	return t, st.fail(err)
}

// CreateAccessToken implements op.AuthStorage.
func (st *oidcStorage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	t, err := st.createTokens(ctx, req, false, "")
	if err != nil {
		return "", time.Time{}, st.fail(err)
	}
	return t.AccessID, t.AccessExpires, nil
}

// CreateAccessAndRefreshTokens implements op.AuthStorage; a refresh token
// is rotated: current is used up as its successor is issued.
func (st *oidcStorage) CreateAccessAndRefreshTokens(ctx context.Context, req op.TokenRequest, current string) (string, string, time.Time, error) {
	t, err := st.createTokens(ctx, req, true, current)
	if err != nil {
		return "", "", time.Time{}, st.fail(err)
	}
	return t.AccessID, t.Refresh, t.AccessExpires, nil
}

// TokenRequestByRefreshToken implements op.AuthStorage.
func (st *oidcStorage) TokenRequestByRefreshToken(ctx context.Context, token string) (op.RefreshTokenRequest, error) {
	t, err := st.store.FindOIDCRefreshToken(ctx, sqlstore.HashToken(token))
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		return nil, op.ErrInvalidRefreshToken
	} else if err != nil {
		return nil, st.fail(err)
	}
	return &refreshRequest{token: t}, nil
}

// GetRefreshTokenInfo implements op.AuthStorage.
func (st *oidcStorage) GetRefreshTokenInfo(ctx context.Context, clientID, token string) (string, string, error) {
	t, err := st.store.FindOIDCRefreshToken(ctx, sqlstore.HashToken(token))
	if backend.ErrorCode(err) == backend.ENOTFOUND || err == nil && t.ClientID != clientID {
		return "", "", op.ErrInvalidRefreshToken
	} else if err != nil {
		return "", "", st.fail(err)
	}
	return t.UserID, t.ID, nil
}

// TerminateSession implements op.AuthStorage.
func (st *oidcStorage) TerminateSession(ctx context.Context, userID, clientID string) error {
	return st.store.RevokeOIDCUserTokens(ctx, userID, clientID)
}

// TerminateSessionFromRequest implements op.CanTerminateSessionFromRequest:
// RP-initiated logout ends the browser's Roster session and the member's
// tokens for the client.
func (st *oidcStorage) TerminateSessionFromRequest(ctx context.Context, req *op.EndSessionRequest) (string, error) {
	if token, ok := ctx.Value(sessionCookieKey{}).(string); ok {
		if err := st.s.svc.Sessions.DeleteSession(ctx, token); err != nil {
			return "", st.fail(err)
		}
	}
	if req.UserID != "" && req.ClientID != "" {
		if err := st.store.RevokeOIDCUserTokens(ctx, req.UserID, req.ClientID); err != nil {
			return "", st.fail(err)
		}
	}
	if req.RedirectURI == "" {
		return st.s.url("/login"), nil
	}
	return req.RedirectURI, nil
}

// RevokeToken implements op.AuthStorage.
func (st *oidcStorage) RevokeToken(ctx context.Context, id, _, clientID string) *oidc.Error {
	if err := st.store.RevokeOIDCToken(ctx, clientID, id); err != nil {
		return oidc.ErrServerError().WithParent(err)
	}
	return nil
}

// activeUser returns a member who is active now.
func (st *oidcStorage) activeUser(ctx context.Context, id string) (*backend.User, error) {
	u, err := st.s.svc.Users.FindUserByID(ctx, id)
	if err != nil {
		return nil, st.fail(err)
	}
	if u.Status != backend.UserActive {
		return nil, backend.MsgSessionInactive.Error(backend.EFORBIDDEN)
	}
	return u, nil
}

// roleClaims are a member's roles and groups: the Roster role's name.
func roleClaims(u *backend.User) []string { return []string{u.RoleName} }

// setUserinfo fills info with the claims of scopes.
func setUserinfo(info *oidc.UserInfo, u *backend.User, scopes []string) {
	info.Subject = u.ID
	if slices.Contains(scopes, oidc.ScopeEmail) {
		info.Email, info.EmailVerified = u.Email, true
	}
	if slices.Contains(scopes, oidc.ScopeProfile) {
		info.Name = u.Name
	}
	info.AppendClaims("roles", roleClaims(u))
	info.AppendClaims("groups", roleClaims(u))
}

// SetUserinfoFromScopes implements op.OPStorage (the ID token's claims).
func (st *oidcStorage) SetUserinfoFromScopes(ctx context.Context, info *oidc.UserInfo, userID, _ string, scopes []string) error {
	u, err := st.activeUser(ctx, userID)
	if err != nil {
		return st.fail(err)
	}
	setUserinfo(info, u, scopes)
	return nil
}

// accessToken returns the active token of id and its active member.
func (st *oidcStorage) accessToken(ctx context.Context, id, subject string) (*backend.OIDCToken, *backend.User, error) {
	t, err := st.store.FindOIDCAccessToken(ctx, id)
	if backend.ErrorCode(err) == backend.ENOTFOUND || err == nil && t.UserID != subject {
		return nil, nil, errTokenInactive
	} else if err != nil {
		return nil, nil, st.fail(err)
	}
	u, err := st.activeUser(ctx, t.UserID)
	if backend.ErrorCode(err) != "" && backend.ErrorCode(err) != backend.EINTERNAL {
		return nil, nil, errTokenInactive
	} else if err != nil {
		return nil, nil, st.fail(err)
	}
	return t, u, nil
}

// SetUserinfoFromToken implements op.OPStorage (the userinfo endpoint).
func (st *oidcStorage) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, id, subject, _ string) error {
	t, u, err := st.accessToken(ctx, id, subject)
	if err != nil {
		return st.fail(err)
	}
	setUserinfo(info, u, t.Scopes)
	return nil
}

// SetIntrospectionFromToken implements op.OPStorage: a client learns about
// its own tokens only.
func (st *oidcStorage) SetIntrospectionFromToken(ctx context.Context, res *oidc.IntrospectionResponse, id, subject, clientID string) error {
	t, u, err := st.accessToken(ctx, id, subject)
	if err != nil {
		return st.fail(err)
	}
	if t.ClientID != clientID {
		return errTokenInactive
	}
	info := new(oidc.UserInfo)
	setUserinfo(info, u, t.Scopes)
	res.SetUserInfo(info)
	res.Scope = t.Scopes
	res.ClientID = t.ClientID
	res.TokenType = oidc.BearerToken
	res.Expiration = oidc.FromTime(t.ExpiresAt)
	res.IssuedAt = oidc.FromTime(t.CreatedAt)
	res.AuthTime = oidc.FromTime(t.AuthTime)
	res.Audience = t.Audience
	res.Issuer = st.s.base
	res.JWTID = t.ID
	res.Username = u.Email
	return nil
}

// GetPrivateClaimsFromScopes implements op.OPStorage: the access token (a
// JWT) carries the roles too, for platforms that only read it.
func (st *oidcStorage) GetPrivateClaimsFromScopes(ctx context.Context, userID, _ string, _ []string) (map[string]any, error) {
	u, err := st.activeUser(ctx, userID)
	if err != nil {
		return nil, st.fail(err)
	}
	return map[string]any{"roles": roleClaims(u), "groups": roleClaims(u)}, nil
}

// GetKeyByIDAndClientID implements op.OPStorage; the JWT profile grant is
// not offered.
func (st *oidcStorage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, oidc.ErrUnsupportedGrantType()
}

// ValidateJWTProfileScopes implements op.OPStorage; see GetKeyByIDAndClientID.
func (st *oidcStorage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, oidc.ErrUnsupportedGrantType()
}

// Health implements op.Storage.
func (st *oidcStorage) Health(ctx context.Context) error {
	return st.s.svc.Ping(ctx)
}

// signingKey is an unsealed signing key.
type signingKey struct {
	id   string
	slot int64
	priv *rsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.priv }
func (k *signingKey) ID() string                                  { return k.id }

// publicKey is a published key.
type publicKey struct {
	id  string
	key *rsa.PublicKey
}

func (k *publicKey) ID() string                         { return k.id }
func (k *publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *publicKey) Use() string                        { return "sig" }
func (k *publicKey) Key() any                           { return k.key }

// slot is the rotation period of t.
func (st *oidcStorage) slot(t time.Time) int64 {
	return t.Unix() / int64(st.rotation/time.Second)
}

// SigningKey implements op.AuthStorage: the key of the current slot, made
// by whichever server process needs it first.
func (st *oidcStorage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	slot := st.slot(st.now())
	if st.current != nil && st.current.slot == slot {
		return st.current, nil
	}
	keys, err := st.store.FindOIDCSigningKeys(ctx)
	if err != nil {
		return nil, st.fail(err)
	}
	var stored *backend.OIDCSigningKey
	for _, k := range keys {
		if k.Slot == slot && k.Sealer == st.sealer {
			stored = k
		}
	}
	if stored == nil {
		if stored, err = st.newSigningKey(ctx, slot); err != nil {
			return nil, st.fail(err)
		}
	}
	k, err := st.unseal(stored)
	if err != nil {
		return nil, st.fail(err)
	}
	st.current = k
	return k, nil
}

// newSigningKey makes a key for slot and stores it, unless another process
// was first; it returns the slot's stored key.
func (st *oidcStorage) newSigningKey(ctx context.Context, slot int64) (*backend.OIDCSigningKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, st.fail(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, st.fail(err)
	}
	id := sqlstore.NewID()
	nonce := make([]byte, st.seal.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, st.fail(err)
	}
	until := time.Unix((slot+1)*int64(st.rotation/time.Second), 0).UTC()
	return st.store.AddOIDCSigningKey(ctx, &backend.OIDCSigningKey{ID: id, Slot: slot, Sealer: st.sealer, Algorithm: string(jose.RS256),
		PublicKey: pub, PrivateKey: st.seal.Seal(nonce, nonce, der, []byte(id)), SignsUntil: until,
		// published until the last tokens it signed expired
		ExpiresAt: until.Add(IDTokenLifetime + st.ttl + 5*time.Minute)})
}

// unseal opens a stored key's private half.
func (st *oidcStorage) unseal(k *backend.OIDCSigningKey) (*signingKey, error) {
	n := st.seal.NonceSize()
	if len(k.PrivateKey) < n {
		return nil, errors.New("stored signing key is damaged")
	}
	der, err := st.seal.Open(nil, k.PrivateKey[:n], k.PrivateKey[n:], []byte(k.ID))
	if err != nil {
		return nil, errors.New("the stored signing key cannot be opened: its sealer matches but the seal is damaged")
	}
	priv, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("stored signing key: %w", err)
	}
	rsaKey, ok := priv.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("stored signing key is not an RSA key")
	}
	return &signingKey{id: k.ID, slot: k.Slot, priv: rsaKey}, nil
}

// SignatureAlgorithms implements op.AuthStorage.
func (st *oidcStorage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

// KeySet implements op.AuthStorage: every key still published, so tokens
// signed by the previous key verify until they expire.
func (st *oidcStorage) KeySet(ctx context.Context) ([]op.Key, error) {
	keys, err := st.store.FindOIDCSigningKeys(ctx)
	if err != nil {
		return nil, st.fail(err)
	}
	list := make([]op.Key, 0, len(keys))
	for _, k := range keys {
		if pk, ok := st.public.Load(k.ID); ok {
			list = append(list, pk.(*publicKey))
			continue
		}
		pub, err := x509.ParsePKIXPublicKey(k.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("stored public key: %w", err)
		}
		rsaKey, ok := pub.(*rsa.PublicKey)
		if !ok {
			return nil, errors.New("stored public key is not an RSA key")
		}
		pk := &publicKey{id: k.ID, key: rsaKey}
		st.public.Store(k.ID, pk)
		list = append(list, pk)
	}
	return list, nil
}

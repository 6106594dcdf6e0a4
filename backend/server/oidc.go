package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// The OpenID Connect provider is zitadel/oidc's op package (an
// OpenID-certified implementation): it speaks the protocol (discovery,
// JWKS, authorization code flow with PKCE, token, refresh, userinfo,
// introspection, revocation, end session); this file mounts it, and
// oidc_storage.go keeps its state in the database.

// OIDCConfig turns the server into an OpenID Connect provider whose issuer
// is the base URL.
type OIDCConfig struct {
	// Secret is the 32-byte key of --oidc-key-file. The key that seals the
	// signing keys in the database and op's key for codes are derived from
	// it, so every server process on one database needs the same file.
	Secret []byte
	// AccessTokenTTL is how long an access token (a JWT) is valid; zero
	// means DefaultAccessTokenTTL.
	AccessTokenTTL time.Duration
	// KeyRotation is how long one signing key signs; zero means
	// DefaultKeyRotation.
	KeyRotation time.Duration
	// Now is the clock that picks the signing key; nil means time.Now.
	Now func() time.Time
}

// Defaults of OIDCConfig, and the ID tokens' lifetime.
const (
	DefaultAccessTokenTTL = 5 * time.Minute
	DefaultKeyRotation    = 30 * 24 * time.Hour
	IDTokenLifetime       = time.Hour
)

// oidcScopes are the scopes the provider knows.
var oidcScopes = []string{oidc.ScopeOpenID, oidc.ScopeEmail, oidc.ScopeProfile, oidc.ScopeOfflineAccess}

// oidcPaths are the provider's routes under the base URL: the ones op
// registers, without the device flow.
var oidcPaths = []string{"/.well-known/openid-configuration", "/authorize", "/authorize/callback", "/oauth/token",
	"/oauth/introspect", "/userinfo", "/revoke", "/end_session", "/keys"}

// oidcBypass are the provider's endpoints that take POSTs from other
// origins by design: relying parties' servers (token, introspection,
// revocation, userinfo) and their pages (authorization and logout by form
// post). The sign-in form at /login stays protected.
var oidcBypass = []string{"/authorize", "/oauth/token", "/oauth/introspect", "/userinfo", "/revoke", "/end_session"}

// oidcProvider is the mounted provider.
type oidcProvider struct {
	storage  *oidcStorage
	provider *op.Provider
	handler  http.Handler
}

// deriveKey derives a 32-byte key for one purpose from the key file's secret.
func deriveKey(secret []byte, purpose string) [32]byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("roster oidc " + purpose))
	var k [32]byte
	copy(k[:], mac.Sum(nil))
	return k
}

// newOIDC builds the provider of s.
func (s *Server) newOIDC(cfg OIDCConfig) (*oidcProvider, error) {
	if len(cfg.Secret) != 32 {
		return nil, errors.New("the OpenID Connect key must be 32 bytes")
	}
	if s.svc.OIDC == nil || s.svc.OIDCClients == nil || s.svc.Users == nil || s.svc.Sessions == nil {
		return nil, errors.New("the OpenID Connect provider needs the storage's OIDC services")
	}
	if cfg.AccessTokenTTL <= 0 {
		cfg.AccessTokenTTL = DefaultAccessTokenTTL
	}
	if cfg.KeyRotation <= 0 {
		cfg.KeyRotation = DefaultKeyRotation
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	st, err := newOIDCStorage(s, cfg)
	if err != nil {
		return nil, err
	}
	opCfg := &op.Config{
		CryptoKey:                deriveKey(cfg.Secret, "op crypto"),
		DefaultLogoutRedirectURI: s.url("/login"),
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		GrantTypeRefreshToken:    true,
		RequestObjectSupported:   false,
		SupportedScopes:          oidcScopes,
		SupportedClaims: []string{"sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "acr", "amr", "c_hash",
			"at_hash", "azp", "email", "email_verified", "name", "roles", "groups"},
	}
	var opts []op.Option
	if !s.secure {
		opts = append(opts, op.WithAllowInsecure())
	}
	p, err := op.NewProvider(opCfg, st, op.StaticIssuer(s.base), opts...)
	if err != nil {
		return nil, fmt.Errorf("openid connect provider: %w", err)
	}
	endpoints := *op.DefaultEndpoints
	endpoints.DeviceAuthorization = nil
	srv := &oidcServer{LegacyServer: op.NewLegacyServer(p, endpoints)}
	h := op.RegisterLegacyServer(srv, op.AuthorizeCallbackHandler(p))
	return &oidcProvider{storage: st, provider: p, handler: s.withSessionCookie(h)}, nil
}

// mountOIDC adds the provider's routes to mux.
func (s *Server) mountOIDC(mux *http.ServeMux) {
	for _, path := range oidcPaths {
		mux.Handle(path, s.oidc.handler)
	}
}

// sessionCookieKey is the context key of the request's session cookie,
// which the provider's storage reads at end_session.
type sessionCookieKey struct{}

// withSessionCookie hands the session cookie to the storage; at
// end_session, the browser's cookie is cleared as its session ends.
func (s *Server) withSessionCookie(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(s.cookie); err == nil && c.Value != "" {
			r = r.WithContext(context.WithValue(r.Context(), sessionCookieKey{}, c.Value))
			if r.URL.Path == "/end_session" {
				s.clearSession(w)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// oidcServer is op's server with two answers changed: a code exchange
// checks PKCE whenever the request had a challenge, and userinfo for a
// token that is no longer active (revoked, or its member deactivated or
// removed) is 401, as RFC 6750 says, not 403.
type oidcServer struct {
	*op.LegacyServer
}

// CodeExchange implements op.Server. It is op's LegacyServer.CodeExchange
// but for one check: a code whose request carried a PKCE challenge needs
// its verifier from every client, not only from public ones (RFC 9700,
// 2.1.1: no PKCE downgrade).
func (s *oidcServer) CodeExchange(ctx context.Context, r *op.ClientRequest[oidc.AccessTokenRequest]) (*op.Response, error) {
	p := s.Provider()
	authReq, err := op.AuthRequestByCode(ctx, p.Storage(), r.Data.Code)
	if err != nil {
		return nil, err
	}
	if err := op.AuthorizeCodeChallenge(r.Data.CodeVerifier, authReq.GetCodeChallenge()); err != nil {
		return nil, err
	}
	if r.Client.GetID() != authReq.GetClientID() {
		return nil, oidc.ErrInvalidGrant()
	}
	if r.Data.RedirectURI != authReq.GetRedirectURI() {
		return nil, oidc.ErrInvalidGrant().WithDescription("redirect_uri does not correspond")
	}
	res, err := op.CreateTokenResponse(ctx, authReq, r.Client, p, true, r.Data.Code, "")
	if err != nil {
		return nil, err
	}
	return op.NewResponse(res), nil
}

// UserInfo implements op.Server.
func (s *oidcServer) UserInfo(ctx context.Context, r *op.Request[oidc.UserInfoRequest]) (*op.Response, error) {
	res, err := s.LegacyServer.UserInfo(ctx, r)
	if errors.Is(err, errTokenInactive) {
		return nil, op.NewStatusError(oidc.ErrAccessDenied().WithDescription("access token invalid"), http.StatusUnauthorized)
	}
	return res, err
}

// authRequestURL is the sign-in page of an authorization request.
func (s *Server) authRequestURL(id string) string {
	return s.url("/login?" + url.Values{authRequestParam: {id}}.Encode())
}

// authCallbackURL is where the browser goes once the request's member
// signed in: op's callback, which issues the code.
func (s *Server) authCallbackURL(id string) string {
	return s.url("/authorize/callback?" + url.Values{"id": {id}}.Encode())
}

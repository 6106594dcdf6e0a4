package backend

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// The lifetimes of the OpenID Connect provider's state. Access tokens have
// their own, set when the server starts (5 minutes by default).
const (
	// OIDCAuthRequestLifetime is how long a person has to sign in after a
	// relying party sent them to the authorization endpoint.
	OIDCAuthRequestLifetime = 15 * time.Minute
	// OIDCCodeLifetime is how long an authorization code can be redeemed.
	OIDCCodeLifetime = time.Minute
	// OIDCRefreshTokenLifetime is how long a refresh token works unless it
	// is used (then its successor gets as long) or revoked.
	OIDCRefreshTokenLifetime = 30 * 24 * time.Hour
)

// MaxOIDCClientNameLength is the longest name of a client.
const MaxOIDCClientNameLength = 200

// OIDCClient is a relying party of the OpenID Connect provider: a chat
// platform that signs its users in through Roster. A confidential client
// authenticates with a secret, of which only the SHA-256 is kept; a public
// one has none and must use PKCE.
type OIDCClient struct {
	ID                     string
	Name                   string
	Public                 bool
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	CreatedAt              time.Time
}

// OIDCClientParams are a new client.
type OIDCClientParams struct {
	Name                   string
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	Public                 bool
}

// Normalize checks the params: a name, at least one redirect URI, and every
// URI absolute http(s) without fragment. EINVALID with the field "name",
// "redirectUris" or "postLogoutRedirectUris".
func (p OIDCClientParams) Normalize() (OIDCClientParams, error) {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" || len([]rune(p.Name)) > MaxOIDCClientNameLength {
		return p, MsgOidcClientName.FieldError(EINVALID, "name")
	}
	if len(p.RedirectURIs) == 0 {
		return p, MsgOidcRedirectUriMissing.FieldError(EINVALID, "redirectUris")
	}
	for field, list := range map[string][]string{"redirectUris": p.RedirectURIs, "postLogoutRedirectUris": p.PostLogoutRedirectURIs} {
		for _, raw := range list {
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" ||
				strings.Contains(raw, "#") || u.User != nil {
				return p, MsgOidcRedirectUri.FieldError(EINVALID, field, "uri", raw)
			}
		}
	}
	if p.PostLogoutRedirectURIs == nil {
		p.PostLogoutRedirectURIs = []string{}
	}
	return p, nil
}

// OIDCClientService keeps the provider's clients.
type OIDCClientService interface {
	// CreateOIDCClient registers a client and returns it with its secret,
	// which is returned only here ("" for a public client). The errors of
	// OIDCClientParams.Normalize.
	CreateOIDCClient(ctx context.Context, params OIDCClientParams) (*OIDCClient, string, error)

	// FindOIDCClients returns every client, oldest first.
	FindOIDCClients(ctx context.Context) ([]*OIDCClient, error)

	// FindOIDCClientByID returns one client. ENOTFOUND (oidc.client_not_found).
	FindOIDCClientByID(ctx context.Context, id string) (*OIDCClient, error)

	// AuthenticateOIDCClient returns the confidential client of id if
	// secret is its secret. ENOTFOUND (oidc.client_not_found) for an
	// unknown id, a public client or a wrong secret alike.
	AuthenticateOIDCClient(ctx context.Context, id, secret string) (*OIDCClient, error)

	// DeleteOIDCClient deletes a client with its pending requests and its
	// tokens. ENOTFOUND (oidc.client_not_found).
	DeleteOIDCClient(ctx context.Context, id string) error
}

// OIDCAuthRequest is an authorization request waiting for its person to
// sign in, then for its code to be redeemed. Request is the protocol's
// request as the provider library keeps it (JSON); the store does not read
// it.
type OIDCAuthRequest struct {
	ID       string
	ClientID string
	Request  []byte
	// UserID and AuthTime are set once the person signed in.
	UserID    string
	AuthTime  time.Time
	CreatedAt time.Time
	ExpiresAt time.Time
}

// OIDCGrant is what a token stands for: a member's consent to a client for
// scopes, from a sign-in at AuthTime.
type OIDCGrant struct {
	ClientID string
	UserID   string
	Scopes   []string
	Audience []string
	AMR      []string
	AuthTime time.Time
}

// OIDCToken is a stored access or refresh token. Family is the sign-in it
// descends from (the authorization request's id): revoking one refresh
// token of a family revokes all its tokens.
type OIDCToken struct {
	ID     string
	Family string
	OIDCGrant
	CreatedAt time.Time
	ExpiresAt time.Time
}

// OIDCTokenParams are the tokens CreateOIDCTokens issues.
type OIDCTokenParams struct {
	OIDCGrant
	Family    string
	AccessTTL time.Duration
	// Refresh asks for a refresh token too.
	Refresh bool
	// Rotate, if set, is the hash of the refresh token these replace; it is
	// used up in the same transaction.
	Rotate []byte
}

// OIDCTokens are issued tokens: the access token's id (the JWT's jti) and
// end, and the refresh token itself ("" without), returned only here.
type OIDCTokens struct {
	AccessID      string
	AccessExpires time.Time
	Refresh       string
}

// OIDCSigningKey is a key pair that signs ID and access tokens. Slot
// numbers the rotation period it signs in; one key per slot and Sealer
// (the key that sealed it, by a hash), whichever server process made it
// first. The private key is sealed by the server (never stored in
// plaintext); the public key is a PKIX DER.
type OIDCSigningKey struct {
	ID         string
	Slot       int64
	Sealer     string
	Algorithm  string
	PublicKey  []byte
	PrivateKey []byte // sealed
	// SignsUntil is the end of its slot; ExpiresAt is when it is no longer
	// published (after the tokens it signed expired).
	SignsUntil time.Time
	ExpiresAt  time.Time
	CreatedAt  time.Time
}

// OIDCStore keeps the provider's protocol state, shared by every server
// process on the database. Every method that hands out a grant checks that
// its member is active now.
type OIDCStore interface {
	// CreateOIDCAuthRequest stores a new request (setting ID, CreatedAt and
	// ExpiresAt). ENOTFOUND (oidc.client_not_found) for an unknown client.
	CreateOIDCAuthRequest(ctx context.Context, r *OIDCAuthRequest) error

	// FindOIDCAuthRequest returns a request that has not expired.
	// ENOTFOUND (oidc.request_invalid).
	FindOIDCAuthRequest(ctx context.Context, id string) (*OIDCAuthRequest, error)

	// CompleteOIDCAuthRequest records that an active member signed in for
	// the request at authTime. ENOTFOUND (oidc.request_invalid); EFORBIDDEN
	// (session.inactive) for a member who is not active.
	CompleteOIDCAuthRequest(ctx context.Context, id, userID string, authTime time.Time) error

	// SetOIDCCode gives a completed request the code of codeHash, valid for
	// OIDCCodeLifetime. ENOTFOUND (oidc.request_invalid).
	SetOIDCCode(ctx context.Context, id string, codeHash []byte) error

	// RedeemOIDCCode uses up the code of codeHash and returns its request.
	// ENOTFOUND (oidc.request_invalid) for an unknown or expired code, for
	// a member no longer active, and for a code used before, whose tokens
	// are revoked then.
	RedeemOIDCCode(ctx context.Context, codeHash []byte) (*OIDCAuthRequest, error)

	// DeleteOIDCAuthRequest deletes a request whose code was not redeemed;
	// a redeemed one stays until it expires, so that a second use of its
	// code is recognised.
	DeleteOIDCAuthRequest(ctx context.Context, id string) error

	// CreateOIDCTokens issues an access token and, if asked, a refresh
	// token, for an active member. ENOTFOUND (oidc.request_invalid) when
	// the member is not active or the refresh token to rotate was used.
	CreateOIDCTokens(ctx context.Context, p OIDCTokenParams) (*OIDCTokens, error)

	// FindOIDCRefreshToken returns the unexpired refresh token of hash of
	// an active member. ENOTFOUND (oidc.request_invalid) otherwise; a
	// refresh token used before has its whole family revoked then.
	FindOIDCRefreshToken(ctx context.Context, hash []byte) (*OIDCToken, error)

	// FindOIDCAccessToken returns the unexpired, unrevoked access token of
	// id of an active member. ENOTFOUND (oidc.request_invalid) otherwise.
	FindOIDCAccessToken(ctx context.Context, id string) (*OIDCToken, error)

	// RevokeOIDCToken revokes the client's access token of id, or the
	// family of its refresh token of id. Unknown ids are not an error.
	RevokeOIDCToken(ctx context.Context, clientID, id string) error

	// RevokeOIDCUserTokens revokes every token of a member for a client.
	RevokeOIDCUserTokens(ctx context.Context, userID, clientID string) error

	// AddOIDCSigningKey stores k unless its slot has a key of its sealer
	// already, and returns that key: k, or the one another process stored
	// first.
	AddOIDCSigningKey(ctx context.Context, k *OIDCSigningKey) (*OIDCSigningKey, error)

	// FindOIDCSigningKeys returns the keys still published, newest first.
	FindOIDCSigningKeys(ctx context.Context) ([]*OIDCSigningKey, error)

	// PurgeOIDC deletes expired requests, tokens and keys and says how many.
	PurgeOIDC(ctx context.Context) (int, error)
}

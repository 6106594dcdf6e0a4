package backend

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
)

// TokenHashSize is the size of a link token's hash: a SHA-256.
const TokenHashSize = sha256.Size

// ParseTokenHash reads the SHA-256 of a link token written as 64
// hexadecimal digits. EINVALID (field "tokenHash", key link.bad_hash) for
// anything else.
func ParseTokenHash(s string) ([]byte, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != TokenHashSize {
		return nil, errBadTokenHash()
	}
	return b, nil
}

// CheckTokenHash returns the error of ParseTokenHash unless h is the size
// of a SHA-256.
func CheckTokenHash(h []byte) error {
	if len(h) != TokenHashSize {
		return errBadTokenHash()
	}
	return nil
}

func errBadTokenHash() *Error {
	return fieldError("tokenHash", "link.bad_hash",
		"A token hash is the SHA-256 of the link's token, written as 64 hexadecimal digits.", nil)
}

// HashedLinkService issues invitation and password reset links whose tokens
// were minted where their email is sent (the desktop): only the SHA-256 of
// a token reaches the directory server, which stores it and queues no email.
// The token itself is never known here, so it can neither leak nor be
// shown again.
type HashedLinkService interface {
	// InviteUserWithTokenHash stores an invitation valid for 7 days whose
	// link token has the SHA-256 tokenHash. The errors of
	// InvitationService.InviteUser; EINVALID (field "tokenHash") for a hash
	// of the wrong size; ECONFLICT (field "tokenHash", key link.hash_used)
	// for the hash of an earlier invitation's link.
	InviteUserWithTokenHash(ctx context.Context, params InviteParams, tokenHash []byte) (*Invitation, error)

	// ResendInvitationWithTokenHash gives a pending or expired invitation
	// the link of tokenHash, valid 7 days from now; the old link stops
	// working. The errors of InvitationService.ResendInvitation and of
	// InviteUserWithTokenHash's hash.
	ResendInvitationWithTokenHash(ctx context.Context, id string, tokenHash []byte) (*Invitation, error)

	// SendPasswordResetWithTokenHash issues the reset link of tokenHash for
	// an active member, valid 24 hours, and voids their older ones. The
	// errors of PasswordResetService.SendPasswordReset and of
	// InviteUserWithTokenHash's hash.
	SendPasswordResetWithTokenHash(ctx context.Context, userID string, tokenHash []byte) (*PasswordReset, error)
}

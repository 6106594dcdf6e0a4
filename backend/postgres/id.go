package postgres

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"

	"github.com/google/uuid"
)

// newID returns a new time-ordered id (UUIDv7), as package sqlite does.
func newID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// newToken returns a link token of 256 random bits, URL-safe, and its SHA-256,
// which is all that is stored.
func newToken() (token string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

// hashToken returns the SHA-256 of a token as presented in a link.
func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// params collects a query's arguments and names their placeholders ($1, $2, …).
type params []any

// add appends an argument and returns its placeholder.
func (p *params) add(v any) string {
	*p = append(*p, v)
	return "$" + strconv.Itoa(len(*p))
}

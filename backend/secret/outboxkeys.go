package secret

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
)

// OutboxKeyName is the keyring entry of the key that seals the outbox's data.
const OutboxKeyName = "outbox-key"

// keyringRetry is how long OutboxKeys waits after the keyring failed before
// it asks again, so that a locked keyring is not asked (and its unlock
// prompt shown) for every email.
const keyringRetry = time.Minute

// Ensure the interface is implemented.
var _ backend.OutboxKeys = (*OutboxKeys)(nil)

// OutboxKeys implements backend.OutboxKeys: one random 256-bit key kept in
// the keyring under OutboxKeyName, created on first use. While the keyring
// cannot be used (as for the SMTP password, which can then be kept for the
// session only) new data is sealed with a key kept in memory for this
// session only; data sealed with it can no longer be opened once Roster
// quits, and its emails fail with a message that says to send a new link.
// The key never enters the database, a file or a log.
type OutboxKeys struct {
	Store backend.SecretStore
	Log   *logrus.Logger
	// Now is the clock of the retry delay (default time.Now).
	Now func() time.Time

	mu       sync.Mutex
	keyring  *backend.DataKey // once read or created
	failedAt time.Time        // when the keyring last failed
	failure  error            // how
	session  *backend.SessionOutboxKeys
	warned   bool
}

// NewOutboxKeys returns the outbox keys kept in store.
func NewOutboxKeys(store backend.SecretStore, log *logrus.Logger) *OutboxKeys {
	return &OutboxKeys{Store: store, Log: log}
}

// SealingKey returns the keyring's key, created if there is none yet, or,
// when the keyring cannot be used, the session's key.
func (k *OutboxKeys) SealingKey() *backend.DataKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	key, err := k.load(true)
	if err == nil {
		return key
	}
	if k.session == nil {
		k.session = backend.NewSessionOutboxKeys()
	}
	if !k.warned && k.Log != nil {
		k.warned = true
		k.Log.WithField("code", backend.ErrorCode(err)).WithError(err).
			Warn("outbox: the keyring cannot be used; emails queued now are protected with a key kept for this session only and must be sent again if Roster quits before they go")
	}
	return k.session.SealingKey()
}

// OpeningKey returns the key with the id: the session's, or the keyring's.
// ENOTFOUND when it is lost; EUNAVAILABLE when the keyring cannot be read now.
func (k *OutboxKeys) OpeningKey(id string) (*backend.DataKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.session != nil {
		if key, err := k.session.OpeningKey(id); err == nil {
			return key, nil
		}
	}
	lost := backend.MsgOutboxDataLost.Error(backend.ENOTFOUND)
	if len(id) == 0 || id[0] != 'k' {
		return nil, lost // a session key of an earlier run
	}
	key, err := k.load(false)
	if err != nil {
		if backend.ErrorCode(err) == backend.ENOTFOUND {
			return nil, lost
		}
		return nil, err
	}
	if key.ID != id {
		return nil, lost // the keyring's entry was replaced
	}
	return key, nil
}

// load returns the keyring's key, reading it once; create makes one when
// the keyring has none. After a failure it answers with that failure for
// keyringRetry rather than asking the keyring again.
func (k *OutboxKeys) load(create bool) (*backend.DataKey, error) {
	if k.keyring != nil {
		return k.keyring, nil
	}
	if k.Store == nil {
		return nil, backend.MsgKeyringUnavailable.Error(backend.EUNAVAILABLE)
	}
	now := time.Now
	if k.Now != nil {
		now = k.Now
	}
	if k.failure != nil && now().Sub(k.failedAt) < keyringRetry {
		return nil, k.failure
	}
	v, err := k.Store.GetSecret(OutboxKeyName)
	switch backend.ErrorCode(err) {
	case "":
		secret, derr := base64.StdEncoding.DecodeString(v)
		if derr != nil || len(secret) != 32 {
			// Not a key Roster wrote: data sealed under it cannot exist.
			return nil, backend.MsgOutboxDataLost.Error(backend.ENOTFOUND)
		}
		k.keyring, k.failure = backend.NewDataKey(secret, false), nil
		return k.keyring, nil
	case backend.ENOTFOUND:
		if !create {
			return nil, err
		}
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
		}
		if err := k.Store.SetSecret(OutboxKeyName, base64.StdEncoding.EncodeToString(secret)); err != nil {
			k.failedAt, k.failure = now(), err
			return nil, err
		}
		k.keyring, k.failure = backend.NewDataKey(secret, false), nil
		return k.keyring, nil
	}
	k.failedAt, k.failure = now(), err
	return nil, err
}

package secret_test

import (
	"fmt"
	"testing"
	"time"

	"roster/backend"
	"roster/backend/internal/servicetest"
	"roster/backend/secret"
)

// memoryStore is a keyring in memory whose failure a test sets.
type memoryStore struct {
	secrets map[string]string
	fail    error
	gets    int
}

func (m *memoryStore) GetSecret(key string) (string, error) {
	m.gets++
	if m.fail != nil {
		return "", m.fail
	}
	v, ok := m.secrets[key]
	if !ok {
		return "", &backend.Error{Code: backend.ENOTFOUND, Message: "No such secret.", Key: "keyring.not_found"}
	}
	return v, nil
}

func (m *memoryStore) SetSecret(key, value string) error {
	if m.fail != nil {
		return m.fail
	}
	m.secrets[key] = value
	return nil
}

func (m *memoryStore) DeleteSecret(key string) error {
	delete(m.secrets, key)
	return nil
}

var errLocked = &backend.Error{Code: backend.EUNAVAILABLE, Message: "The system keyring is locked.", Key: secret.KeyLocked}

func TestOutboxKeys(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		store := &memoryStore{secrets: map[string]string{}}
		key := secret.NewOutboxKeys(store, nil).SealingKey()
		if key.Session || len(key.Secret) != 32 || store.secrets[secret.OutboxKeyName] == "" {
			t.Fatalf("key = %+v, keyring = %v; want a 256-bit key kept in the keyring", key, store.secrets)
		}
		// The next run reads the same key.
		next := secret.NewOutboxKeys(store, nil)
		got, err := next.OpeningKey(key.ID)
		if err != nil || string(got.Secret) != string(key.Secret) || next.SealingKey().ID != key.ID {
			t.Fatalf("next run: %+v, %v", got, err)
		}
	})

	t.Run("SessionKeyWithoutKeyring", func(t *testing.T) {
		store := &memoryStore{secrets: map[string]string{}, fail: errLocked}
		keys := secret.NewOutboxKeys(store, nil)
		key := keys.SealingKey()
		if !key.Session {
			t.Fatalf("key = %+v, want a session key", key)
		}
		if got, err := keys.OpeningKey(key.ID); err != nil || got.ID != key.ID {
			t.Fatalf("OpeningKey(session key) = %+v, %v", got, err)
		}
		// After a restart the session key is lost, whatever the keyring says.
		store.fail = nil
		_, err := secret.NewOutboxKeys(store, nil).OpeningKey(key.ID)
		assertKey(t, err, backend.ENOTFOUND, "outbox.data_lost")
	})

	t.Run("ErrKeyringLocked", func(t *testing.T) {
		store := &memoryStore{secrets: map[string]string{}}
		key := secret.NewOutboxKeys(store, nil).SealingKey()
		store.fail = errLocked
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		keys := secret.NewOutboxKeys(store, nil)
		keys.Now = func() time.Time { return now }
		_, err := keys.OpeningKey(key.ID)
		assertKey(t, err, backend.EUNAVAILABLE, secret.KeyLocked)
		// The keyring is not asked again at once (its unlock prompt would
		// come back for every email), but after a while.
		keys.OpeningKey(key.ID)
		if store.gets != 2 {
			t.Fatalf("the keyring was asked %d times, want 2", store.gets)
		}
		store.fail = nil
		now = now.Add(2 * time.Minute)
		if got, err := keys.OpeningKey(key.ID); err != nil || got.ID != key.ID {
			t.Fatalf("after unlocking: %+v, %v", got, err)
		}
	})

	t.Run("ErrKeyReplaced", func(t *testing.T) {
		store := &memoryStore{secrets: map[string]string{}}
		key := secret.NewOutboxKeys(store, nil).SealingKey()
		delete(store.secrets, secret.OutboxKeyName)
		keys := secret.NewOutboxKeys(store, nil)
		_, err := keys.OpeningKey(key.ID)
		assertKey(t, err, backend.ENOTFOUND, "outbox.data_lost")
		if keys.SealingKey().ID == key.ID {
			t.Fatal("a new key has the old one's id")
		}
		_, err = keys.OpeningKey(key.ID)
		assertKey(t, err, backend.ENOTFOUND, "outbox.data_lost")
	})
}

// TestOutboxKeys_Keyring keeps the key in the real Secret Service of
// scripts/with-services.sh's private D-Bus session.
func TestOutboxKeys_Keyring(t *testing.T) {
	servicetest.RequireKeyring(t)
	k := secret.New(fmt.Sprintf("Roster-test-%d", time.Now().UnixNano()))
	t.Cleanup(func() { k.DeleteSecret(secret.OutboxKeyName) })
	key := secret.NewOutboxKeys(k, nil).SealingKey()
	if key.Session {
		t.Fatalf("key = %+v, want the keyring's", key)
	}
	got, err := secret.NewOutboxKeys(k, nil).OpeningKey(key.ID)
	if err != nil || string(got.Secret) != string(key.Secret) {
		t.Fatalf("the next run's key: %v", err)
	}
}

func assertKey(tb testing.TB, err error, code, key string) {
	tb.Helper()
	e := backend.AsError(err)
	if e == nil || e.Code != code || e.Key != key {
		tb.Fatalf("error = %v, want %s with key %s", err, code, key)
	}
}

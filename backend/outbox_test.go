package backend_test

import (
	"bytes"
	"testing"

	"roster/backend"
)

func TestStaticOutboxKeys(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		secret := bytes.Repeat([]byte{7}, 32)
		k, err := backend.NewStaticOutboxKeys(secret)
		if err != nil {
			t.Fatal(err)
		}
		key := k.SealingKey()
		if key.Session || !bytes.Equal(key.Secret, secret) {
			t.Fatalf("sealing key %+v", key)
		}
		again, _ := backend.NewStaticOutboxKeys(bytes.Repeat([]byte{7}, 32))
		if got, err := again.OpeningKey(key.ID); err != nil || !bytes.Equal(got.Secret, secret) {
			t.Fatalf("the same secret read again does not open its data: %v", err)
		}
	})
	t.Run("ErrOtherKey", func(t *testing.T) {
		k, _ := backend.NewStaticOutboxKeys(bytes.Repeat([]byte{7}, 32))
		other := backend.NewSessionOutboxKeys().SealingKey()
		if _, err := k.OpeningKey(other.ID); backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("OpeningKey(another key) = %v, want not_found", err)
		}
	})
	t.Run("ErrLength", func(t *testing.T) {
		for _, n := range []int{0, 16, 31, 33, 64} {
			if _, err := backend.NewStaticOutboxKeys(make([]byte, n)); err == nil {
				t.Errorf("a %d-byte key was taken", n)
			}
		}
	})
}

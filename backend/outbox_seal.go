package backend

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"fmt"
)

// sealedVersion is the first byte of sealed mail data: the format of
// SealMailData.
const sealedVersion = 1

// SealMailData renders an outbox entry's Data for the stores' data column;
// it is the only way anything reaches that column, in SQLite and in
// PostgreSQL alike. The JSON is sealed with AES-256-GCM under the sealing
// key of keys: version (1 byte), length of the key id (1 byte), the key id,
// a random 96-bit nonce, then the ciphertext and its tag. The header is
// authenticated too. So a copy of the database, or of its free pages, holds
// no usable link while the key stays out of it.
func SealMailData(keys OutboxKeys, data map[string]string) ([]byte, error) {
	plain, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("mail data: %w", err)
	}
	key := keys.SealingKey()
	aead, err := key.cipher()
	if err != nil {
		return nil, err
	}
	header := make([]byte, 0, 2+len(key.ID))
	header = append(header, sealedVersion, byte(len(key.ID)))
	header = append(header, key.ID...)
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("mail data: %w", err)
	}
	out := make([]byte, 0, len(header)+len(nonce)+len(plain)+aead.Overhead())
	out = append(append(out, header...), nonce...)
	return aead.Seal(out, nonce, plain, header), nil
}

// errMailDataLost is the error for sealed data whose key is gone.
func errMailDataLost() *Error {
	return MsgOutboxDataLost.Error(ECONFLICT)
}

// OpenMailData reads what SealMailData wrote. ECONFLICT (outbox.data_lost)
// when the key is lost or the data was altered; EUNAVAILABLE when the key
// cannot be read now (a locked keyring).
func OpenMailData(keys OutboxKeys, sealed []byte) (map[string]string, error) {
	if len(sealed) < 2 || sealed[0] != sealedVersion || len(sealed) < 2+int(sealed[1]) {
		return nil, errMailDataLost()
	}
	n := 2 + int(sealed[1])
	header, id := sealed[:n], string(sealed[2:n])
	key, err := keys.OpeningKey(id)
	if ErrorCode(err) == ENOTFOUND {
		return nil, errMailDataLost()
	} else if err != nil {
		return nil, err
	}
	aead, err := key.cipher()
	if err != nil {
		return nil, err
	}
	rest := sealed[n:]
	if len(rest) < aead.NonceSize() {
		return nil, errMailDataLost()
	}
	plain, err := aead.Open(nil, rest[:aead.NonceSize()], rest[aead.NonceSize():], header)
	if err != nil {
		return nil, errMailDataLost()
	}
	var data map[string]string
	if err := json.Unmarshal(plain, &data); err != nil {
		return nil, fmt.Errorf("mail data: %w", err)
	}
	return data, nil
}

// cipher returns the AES-256-GCM of the key, made once per key.
func (k *DataKey) cipher() (cipher.AEAD, error) {
	k.aeadOnce.Do(func() {
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			k.aeadErr = fmt.Errorf("outbox key: %w", err)
			return
		}
		if k.aead, err = cipher.NewGCM(block); err != nil {
			k.aeadErr = fmt.Errorf("outbox key: %w", err)
		}
	})
	return k.aead, k.aeadErr
}

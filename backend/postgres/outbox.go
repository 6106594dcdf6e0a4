package postgres

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"fmt"

	"roster/backend"
)

// nextOutboxID reserves the id of an email about to be queued, so that the
// invitation or reset it belongs to can point at it when it is written.
// The sequence hands out each id once, whoever else writes at the time.
func nextOutboxID(ctx context.Context, tx *Tx) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT nextval(pg_get_serial_sequence('outbox', 'id'))`).Scan(&id); err != nil {
		return 0, fmt.Errorf("enqueue mail: %w", mapError(err))
	}
	return id, nil
}

// enqueueMail stores an email to send inside tx (the transaction of the
// invitation or reset it belongs to) and fills e's ID, state and times. A
// zero e.ID is taken from the sequence.
func enqueueMail(ctx context.Context, tx *Tx, e *backend.OutboxEntry) error {
	data, err := sealMailData(tx, e.Data)
	if err != nil {
		return err
	}
	if e.ID == 0 {
		if e.ID, err = nextOutboxID(ctx, tx); err != nil {
			return err
		}
	}
	e.State, e.CreatedAt, e.UpdatedAt, e.NextAttemptAt = backend.DeliveryQueued, tx.now, tx.now, tx.now
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox
		(id, kind, recipient, invitation_id, password_reset_id, data, state, next_attempt_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)`,
		e.ID, string(e.Kind), e.To, nullString(e.InvitationID), nullString(e.PasswordResetID), data, string(e.State),
		tx.now); err != nil {
		return fmt.Errorf("enqueue mail: %w", mapError(err))
	}
	return nil
}

// sealedVersion is the first byte of sealed mail data: the format below.
const sealedVersion = 1

// sealMailData renders an entry's Data for the data column, sealed as
// package sqlite seals it: version (1 byte), length of the key id (1 byte),
// the key id, a random 96-bit nonce, then the AES-256-GCM ciphertext and its
// tag, the header authenticated too.
func sealMailData(tx *Tx, data map[string]string) ([]byte, error) {
	plain, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("mail data: %w", err)
	}
	key := tx.db.Keys.SealingKey()
	aead, err := tx.db.aead(key)
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
func errMailDataLost() *backend.Error {
	return &backend.Error{Code: backend.ECONFLICT, Key: "outbox.data_lost",
		Message: "This email's link can no longer be read: it was protected with a key kept only until Roster quit, because the system keyring could not be used. Resend the invitation or send a new password reset to send a new link."}
}

// openMailData reads what sealMailData wrote. ECONFLICT (outbox.data_lost)
// when the key is lost or the data was altered; EUNAVAILABLE when the key
// cannot be read now.
func (db *DB) openMailData(sealed []byte) (map[string]string, error) {
	if len(sealed) < 2 || sealed[0] != sealedVersion || len(sealed) < 2+int(sealed[1]) {
		return nil, errMailDataLost()
	}
	n := 2 + int(sealed[1])
	header, id := sealed[:n], string(sealed[2:n])
	key, err := db.Keys.OpeningKey(id)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		return nil, errMailDataLost()
	} else if err != nil {
		return nil, err
	}
	aead, err := db.aead(key)
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

// aead returns the AES-256-GCM of key, made once per key.
func (db *DB) aead(key *backend.DataKey) (cipher.AEAD, error) {
	db.aeadMu.Lock()
	defer db.aeadMu.Unlock()
	if a, ok := db.aeads[key.ID]; ok {
		return a, nil
	}
	block, err := aes.NewCipher(key.Secret)
	if err != nil {
		return nil, fmt.Errorf("outbox key: %w", err)
	}
	a, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("outbox key: %w", err)
	}
	if db.aeads == nil {
		db.aeads = map[string]cipher.AEAD{}
	}
	db.aeads[key.ID] = a
	return a, nil
}

// cancelMail cancels the not-yet-sent emails of an invitation or a reset
// (column is "invitation_id" or "password_reset_id") and forgets their data,
// so their token leaves the database.
func cancelMail(ctx context.Context, tx *Tx, column, id string) error {
	if column != "invitation_id" && column != "password_reset_id" {
		return fmt.Errorf("cancel mail: bad column %q", column)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'cancelled', data = NULL, updated_at = $1
		WHERE `+column+` = $2 AND state IN ('queued', 'failed')`, tx.now, id); err != nil {
		return fmt.Errorf("cancel mail: %w", mapError(err))
	}
	return nil
}

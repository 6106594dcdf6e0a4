package backend

// SecretStore keeps secrets (the SMTP password) out of the database, in the
// operating system's keyring.
type SecretStore interface {
	// GetSecret returns the secret stored under key. ENOTFOUND when there is
	// none; EUNAVAILABLE, with a message saying why, when no keyring can be used.
	GetSecret(key string) (string, error)

	// SetSecret stores value under key. EUNAVAILABLE when no keyring can be used.
	SetSecret(key, value string) error

	// DeleteSecret removes key; removing a missing key is not an error.
	DeleteSecret(key string) error
}

// SecretSMTPPassword is the keyring key of the SMTP password.
const SecretSMTPPassword = "smtp-password"

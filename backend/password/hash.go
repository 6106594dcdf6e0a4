// Package password owns how Roster's directory server treats passwords: the
// rules a new password must meet (NIST SP 800-63B-4, single factor) and its
// argon2id hash, stored as a PHC string that carries its parameters.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are OWASP's recommended argon2id parameters: 19 MiB, two
// passes, one thread.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Hasher hashes and verifies passwords with its parameters. Raising them
// later makes Verify report the older hashes as needing a rehash. A Hasher
// must not be copied after first use.
type Hasher struct {
	Params Params
	// Concurrency bounds how many hashes run at once, each holding
	// Params.Memory (19 MiB by default): a burst of 200 sign-ins would
	// otherwise want about 4 GB at once; with the bound they wait their turn,
	// which costs no throughput since argon2id is CPU-bound. NewHasher sets
	// the number of CPUs Go uses; 0 means no bound.
	Concurrency int

	once    sync.Once
	slots   chan struct{}
	waiting atomic.Int32 // callers waiting for a slot
	held    func()       // tests: runs while a slot is held
}

// NewHasher returns a Hasher with DefaultParams that runs at most one hash
// per CPU at once.
func NewHasher() *Hasher {
	return &Hasher{Params: DefaultParams, Concurrency: runtime.GOMAXPROCS(0)}
}

// acquire waits for a slot to hash in and returns its release.
func (h *Hasher) acquire() func() {
	h.once.Do(func() {
		if h.Concurrency > 0 {
			h.slots = make(chan struct{}, h.Concurrency)
		}
	})
	release := func() {}
	if h.slots != nil {
		select {
		case h.slots <- struct{}{}:
		default:
			h.waiting.Add(1)
			h.slots <- struct{}{}
			h.waiting.Add(-1)
		}
		release = func() { <-h.slots }
	}
	if h.held != nil {
		h.held()
	}
	return release
}

// errMalformed is returned for a stored hash that is not a PHC argon2id string.
var errMalformed = errors.New("password hash: not an argon2id PHC string")

// prepare is what is hashed: the password in Unicode normal form C, so the
// same characters typed on different systems give the same hash.
func prepare(pw string) []byte {
	return []byte(norm.NFC.String(pw))
}

// Hash returns the PHC string of pw:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, base64 without padding.
func (h *Hasher) Hash(pw string) (string, error) {
	p := h.Params
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password hash: %w", err)
	}
	release := h.acquire()
	key := argon2.IDKey(prepare(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	release()
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// phc is a parsed PHC string.
type phc struct {
	params Params
	salt   []byte
	key    []byte
}

// parse reads a PHC argon2id string.
func parse(encoded string) (*phc, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return nil, errMalformed
	}
	var p Params
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, errMalformed
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n == 0 {
			return nil, errMalformed
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return nil, errMalformed
			}
			p.Threads = uint8(n)
		default:
			return nil, errMalformed
		}
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 {
		return nil, errMalformed
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return nil, errMalformed
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return nil, errMalformed
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return &phc{params: p, salt: salt, key: key}, nil
}

// Verify reports whether pw matches the stored hash, comparing in constant
// time, and whether the hash should be replaced because it was made with
// weaker parameters than h's. A malformed hash is an error, never a match.
func (h *Hasher) Verify(encoded, pw string) (ok, rehash bool, err error) {
	s, err := parse(encoded)
	if err != nil {
		return false, false, err
	}
	release := h.acquire()
	key := argon2.IDKey(prepare(pw), s.salt, s.params.Time, s.params.Memory, s.params.Threads, uint32(len(s.key)))
	release()
	if subtle.ConstantTimeCompare(key, s.key) != 1 {
		return false, false, nil
	}
	p := h.Params
	rehash = s.params.Memory < p.Memory || s.params.Time < p.Time || s.params.Threads < p.Threads ||
		s.params.KeyLen < p.KeyLen || s.params.SaltLen < p.SaltLen
	return true, rehash, nil
}

// VerifyNothing spends the time of one verification without a stored hash,
// so that signing in as someone who does not exist takes as long as a wrong
// password.
func (h *Hasher) VerifyNothing(pw string) {
	p := h.Params
	defer h.acquire()()
	argon2.IDKey(prepare(pw), make([]byte, p.SaltLen), p.Time, p.Memory, p.Threads, p.KeyLen)
}

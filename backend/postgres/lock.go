package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
)

// Package sqlstore's rules are right for SQLite because it runs one writer
// at a time: a count checked in a transaction still holds when it commits.
// Here several server processes write at once under READ COMMITTED, so each
// rule that checks and then writes takes a lock first (the lock clauses of
// dialect, in store.go, and lockEmails), and reads what it checks after the
// lock is held (every statement sees what was committed before it began):
//
//   - a change to one member, invitation, reset or session locks its row
//     (SELECT … FOR NO KEY UPDATE), so two changes to it run one after the
//     other and the second sees the first;
//   - a change that may take an active Administrator away locks the
//     Administrator role's row before it counts them;
//   - inviting and registering an address take an advisory lock on the
//     address (lockEmails), so an invitation never goes to an address that
//     became a member meanwhile; the unique indexes stay the last word.
//
// The row locks are taken in one order (member or link, then the
// Administrator role), so they cannot deadlock each other.

// Advisory lock keys. emailsLock is one bigint key that every address lock
// holds shared and a bulk invitation holds exclusive; the addresses use the
// (emailSpace, hashtext(key)) pairs, a space of its own.
const (
	emailsLock = 0x526f737465724576 // "RosterEv"
	emailSpace = 0x52457631         // "REv1"
)

// lockEmails locks addresses (their Email.Key) until tx ends. A few are
// locked one by one, in sorted order so two transactions cannot deadlock;
// more than maxEmailLocks take the exclusive lock of every address, as
// PostgreSQL's lock table is not meant for thousands of locks.
func lockEmails(ctx context.Context, tx *Tx, keys ...string) error {
	if len(keys) > maxEmailLocks {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(emailsLock)); err != nil {
			return fmt.Errorf("lock addresses: %w", mapError(err))
		}
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock_shared($1)`, int64(emailsLock)); err != nil {
		return fmt.Errorf("lock addresses: %w", mapError(err))
	}
	sorted := slices.Clone(keys)
	slices.Sort(sorted)
	for _, k := range slices.Compact(sorted) {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.Itoa(emailSpace)+`, hashtext($1))`, k); err != nil {
			return fmt.Errorf("lock address: %w", mapError(err))
		}
	}
	return nil
}

// maxEmailLocks is how many addresses lockEmails locks one by one.
const maxEmailLocks = 32

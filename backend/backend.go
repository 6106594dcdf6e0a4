// Package backend holds Roster's domain: its types, the interfaces of the
// services that act on them, and the coded errors they return. It imports no
// storage, mail or UI package; those implement or use what is declared here.
package backend

import "time"

// Clock returns the current time. Services take one so that tests can move time.
type Clock func() time.Time

package server

import "time"

// BusyTimeout is how long the server's database writes may wait for the
// write lock before they fail as busy; the server's storage is opened with
// it (sqlite.DB.BusyTimeout). The desktop waits 5 s, as a person waits at
// the window; a server taking a burst of registrations, resets and sign-ins
// from hundreds of clients has its writers queue for longer, and a request
// that waits still ends within http.Server's WriteTimeout (60 s).
const BusyTimeout = 30 * time.Second

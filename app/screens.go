package app

import (
	"flag"
	"io"
	"slices"
	"strings"

	"roster/backend"
)

// Screens that `roster --open SCREEN` can open, at start or in the running
// window from a second launch.
var Screens = []string{"overview", "users", "invitations", "roles", "email", "audit", "invite-one", "invite-multiple"}

// OpenScreenEvent names the screen to open.
type OpenScreenEvent struct {
	Screen string `json:"screen"`
}

// ParseScreen checks a screen name given on the command line.
func ParseScreen(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || slices.Contains(Screens, s) {
		return s, nil
	}
	return "", backend.Errorf(backend.EINVALID, "--open takes one of: %s.", strings.Join(Screens, ", "))
}

// screenFromArgs finds --open in the arguments of a second launch.
func screenFromArgs(args []string) string {
	fs := flag.NewFlagSet("second", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	open := fs.String("open", "", "")
	fs.String("db", "", "")
	fs.String("log-level", "", "")
	fs.String("log-dir", "", "")
	_ = fs.Parse(args)
	s, err := ParseScreen(*open)
	if err != nil {
		return ""
	}
	return s
}

// Command roster-server is Roster's directory server: where invitees
// register, members reset their password and sign in. It shares the
// desktop's database schema, rules and errors, and runs headless: it links
// no Wails, GTK or WebKit.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"roster/backend"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `roster-server is Roster's directory server.

Usage:
  roster-server serve  (--db FILE | --postgres URL) --base-url URL [--addr HOST:PORT] [--trusted-proxy CIDR,...]
                       [--tls-cert FILE --tls-key FILE]
                       [--smtp-host H --smtp-from E --outbox-key-file FILE [--smtp-port --smtp-security --smtp-username ...]]
                       [--oidc-key-file FILE [--oidc-access-token-ttl 5m]]
  roster-server init   (--db FILE | --postgres URL) --base-url URL --organisation NAME --admin-email E --admin-name N
  roster-server invite (--db FILE | --postgres URL) --base-url URL --email E --role ROLE
  roster-server reset  (--db FILE | --postgres URL) --base-url URL --email E
  roster-server token create (--db FILE | --postgres URL) --email E
  roster-server token list   (--db FILE | --postgres URL)
  roster-server token revoke (--db FILE | --postgres URL) ID
  roster-server client create (--db FILE | --postgres URL) --name NAME --redirect-uri URI [--redirect-uri URI ...]
                              [--post-logout-redirect-uri URI ...] [--public]
  roster-server client list   (--db FILE | --postgres URL)
  roster-server client delete (--db FILE | --postgres URL) ID

The database is a SQLite file (--db, created if missing) or a PostgreSQL
database (--postgres postgres://user:password@host/name) that several serve
processes behind a load balancer can share. Every command takes one of
them, never both.

A new database starts with init: it creates the organisation and its first
Administrator and prints the link where they choose their password. invite
then prints registration links; no email is sent by these commands, so give
each link to its person yourself.

serve also answers the admin API for Roster desktops at /api/v1, described
at /api/v1/openapi.json; it takes the tokens of token create. With
--oidc-key-file it is an OpenID Connect provider whose issuer is --base-url,
for the clients of client create.

Every flag can also be set by an environment variable: --db by
ROSTER_SERVER_DB, --postgres by ROSTER_SERVER_POSTGRES, --base-url by
ROSTER_SERVER_BASE_URL, --addr by ROSTER_SERVER_ADDR, and so on (upper
case, - becomes _). A flag wins over its
variable. The commands work while serve runs on the same database. They
print one line, or with --json one JSON object.

Run roster-server COMMAND --help for a command's flags.
`

// exit codes
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// cli is one run of the command: its arguments' environment and output.
type cli struct {
	ctx    context.Context
	env    func(string) string
	stdout io.Writer
	stderr io.Writer
	json   bool
	// args are the arguments that are not flags, in order.
	args []string
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	c := &cli{ctx: ctx, env: env, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	commands := map[string]func([]string) int{
		"serve":  c.serve,
		"init":   c.init,
		"invite": c.invite,
		"reset":  c.reset,
		"token":  c.token,
		"client": c.client,
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "roster-server: unknown command %q\n\n%s", name, usage)
		return exitUsage
	}
	return cmd(rest)
}

// envName is the environment variable of a flag: --base-url is ROSTER_SERVER_BASE_URL.
func envName(flagName string) string {
	return "ROSTER_SERVER_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// flags starts a command's flag set. Its usage text says what the command
// does and names each flag's environment variable.
func (c *cli) flags(name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: roster-server %s\n\n%s\n\nFlags:\n", synopsis, about)
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(fs.Output(), "  --%s\n    \t%s", f.Name, f.Usage)
			if f.Name != "json" && f.Name != "help" {
				fmt.Fprintf(fs.Output(), " (env %s)", envName(f.Name))
			}
			fmt.Fprintln(fs.Output())
		})
	}
	fs.BoolVar(&c.json, "json", false, "print one JSON object instead of a line of text")
	return fs
}

// stringFlag defines a flag whose default comes from its environment variable.
func (c *cli) stringFlag(fs *flag.FlagSet, name, def, usage string) *string {
	if v := c.env(envName(name)); v != "" {
		def = v
	}
	return fs.String(name, def, usage)
}

// parse parses a command's flags. It returns false with the exit code when
// the command should stop: after --help (0) or a usage error (2).
// Flags may come before or after the other arguments.
func (c *cli) parse(fs *flag.FlagSet, args []string) (int, bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			fs.SetOutput(c.stdout)
			fs.Usage()
			return exitOK, false
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			return exitUsage, false
		}
		if fs.NArg() == 0 {
			return exitOK, true
		}
		c.args = append(c.args, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// usageError reports a missing or bad flag.
func (c *cli) usageError(fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "roster-server %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fmt.Fprintf(c.stderr, "Run roster-server %s --help for its flags.\n", fs.Name())
	return exitUsage
}

// print writes a command's answer: the line, or v as one JSON object.
func (c *cli) print(line string, v any) int {
	if c.json {
		b, err := json.Marshal(v)
		if err != nil {
			return c.fail(err)
		}
		fmt.Fprintln(c.stdout, string(b))
		return exitOK
	}
	fmt.Fprintln(c.stdout, line)
	return exitOK
}

// jsonError is how a failure reads with --json.
type jsonError struct {
	Error struct {
		Code    string `json:"code"`
		Key     string `json:"key,omitempty"`
		Message string `json:"message"`
	} `json:"error"`
}

// fail reports an error: its message on stderr (a coded error's sentence,
// or the whole error otherwise, since the operator is reading), and with
// --json a JSON object on stdout.
func (c *cli) fail(err error) int {
	message := err.Error()
	if e := backend.AsError(err); e != nil {
		message = e.Message
	}
	fmt.Fprintf(c.stderr, "roster-server: %s\n", message)
	if c.json {
		var j jsonError
		j.Error.Code, j.Error.Message = backend.ErrorCode(err), message
		if e := backend.AsError(err); e != nil {
			j.Error.Key = e.Key
		}
		b, _ := json.Marshal(j)
		fmt.Fprintln(c.stdout, string(b))
	}
	return exitError
}

package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"flag"
	"fmt"
	"net/url"
	"strings"
	"time"

	"roster/backend"
)

// dbFlags are the flags every command takes.
type dbFlags struct {
	db       *string
	postgres *string
	baseURL  *string
}

func (c *cli) dbFlags(fs *flag.FlagSet, needBase bool) dbFlags {
	d := dbFlags{
		db: c.stringFlag(fs, "db", "", "the SQLite database file (a Roster database; created if missing)"),
		postgres: c.stringFlag(fs, "postgres", "", "instead of --db, a PostgreSQL database that several servers can share, "+
			"as a URL like postgres://roster:PASSWORD@db.example.com/roster?sslmode=verify-full"),
	}
	usage := "the public URL of the server, which links are built from, like https://id.example.com"
	if !needBase {
		usage += " (not needed here)"
	}
	d.baseURL = c.stringFlag(fs, "base-url", "", usage)
	return d
}

// command is a subcommand's flag set, with the database flags.
type command struct {
	fs *flag.FlagSet
	db dbFlags
	// needBase: the command builds links, so --base-url is checked.
	needBase bool
}

// command returns the flag set of a subcommand and its database flags.
func (c *cli) command(name, synopsis, about string, needBase bool) command {
	fs := c.flags(name, synopsis, about)
	return command{fs: fs, db: c.dbFlags(fs, needBase), needBase: needBase}
}

// parseCommand parses args, checks that exactly one of --db and --postgres
// is set, then asks missing for a usage error ("" for none) and, where
// links are built, checks --base-url. It returns the base URL without a
// trailing slash, or false with the exit code when the command should stop
// (after --help, or a usage error).
func (c *cli) parseCommand(cmd command, args []string, missing func() string) (string, int, bool) {
	if code, ok := c.parse(cmd.fs, args); !ok {
		return "", code, false
	}
	d := cmd.db
	switch {
	case *d.db != "" && *d.postgres != "":
		return "", c.usageError(cmd.fs, "--db and --postgres exclude each other: give one database"), false
	case *d.db == "" && *d.postgres == "":
		return "", c.usageError(cmd.fs, "--db or --postgres is required"), false
	}
	if why := missing(); why != "" {
		return "", c.usageError(cmd.fs, "%s", why), false
	}
	if !cmd.needBase {
		return "", exitOK, true
	}
	base, err := checkBaseURL(*d.baseURL)
	if err != nil {
		return "", c.usageError(cmd.fs, "%v", err), false
	}
	return base, exitOK, true
}

// openCommand is parseCommand, then opens the database; the caller closes it.
func (c *cli) openCommand(cmd command, args []string, missing func() string) (*store, string, int, bool) {
	base, code, ok := c.parseCommand(cmd, args, missing)
	if !ok {
		return nil, "", code, false
	}
	st, err := c.open(cmd.db)
	if err != nil {
		return nil, "", c.fail(err), false
	}
	return st, base, exitOK, true
}

// openWithMember is openCommand, then finds the member whose address is
// *email (--email, which it requires, with why).
func (c *cli) openWithMember(cmd command, args []string, why string, email *string) (*store, string, *backend.Credential, int, bool) {
	flags := []*string{email}
	if cmd.needBase {
		flags = append(flags, cmd.db.baseURL)
	}
	st, base, code, ok := c.openCommand(cmd, args, required(why, flags...))
	if !ok {
		return nil, "", nil, code, false
	}
	cred, err := st.Credentials.FindCredentialByEmail(c.ctx, *email)
	if err != nil {
		st.Close()
		return nil, "", nil, c.fail(err), false
	}
	return st, base, cred, exitOK, true
}

// none is the missing of a command whose every flag is optional.
func none() string { return "" }

// required is the missing of a command that needs every one of flags: it
// says why when one is empty.
func required(why string, flags ...*string) func() string {
	return func() string {
		for _, f := range flags {
			if *f == "" {
				return why
			}
		}
		return ""
	}
}

// checkBaseURL returns the base URL without a trailing slash, or an error
// that says what is wrong with it.
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("--base-url %q must be an absolute http or https URL, like https://id.example.com", raw)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// open opens the database of the flags, applying any pending migration.
func (c *cli) open(d dbFlags) (*store, error) {
	if *d.postgres != "" {
		return openPostgres(*d.postgres)
	}
	return openSQLite(*d.db)
}

// cliActor is who the audit log names for what the command line does.
var cliActor = backend.SystemActor

func (c *cli) init(args []string) int {
	cmd := c.command("init", "init (--db FILE | --postgres URL) --base-url URL --organisation NAME --admin-email E --admin-name N",
		"Creates the organisation of a new database and its first Administrator, and prints the link (valid 24 hours)\n"+
			"where that Administrator chooses a password. Use reset for a new link if it expires.", true)
	org := c.stringFlag(cmd.fs, "organisation", "", "the organisation's name")
	email := c.stringFlag(cmd.fs, "admin-email", "", "the first Administrator's email address")
	name := c.stringFlag(cmd.fs, "admin-name", "", "the first Administrator's name")
	st, base, code, ok := c.openCommand(cmd, args, required(
		"--base-url, --organisation, --admin-email and --admin-name are required", cmd.db.baseURL, org, email, name))
	if !ok {
		return code
	}
	defer st.Close()
	o, admin, err := st.Organisations.SetupOrganisation(c.ctx, backend.SetupParams{
		OrganisationName: *org, AdminName: *name, AdminEmail: *email})
	if err != nil {
		return c.fail(err)
	}
	link, expires, err := c.resetLink(st, base, admin.ID)
	if err != nil {
		return c.fail(err)
	}
	return c.print(fmt.Sprintf("%s is set up. %s (%s) chooses a password at %s (valid until %s).",
		o.Name, admin.Name, admin.Email, link, expires.Format(time.RFC3339)),
		map[string]any{"organisation": o.Name, "adminId": admin.ID, "adminEmail": admin.Email, "link": link, "expiresAt": expires})
}

// newLinkToken mints a link token as the stores and the desktop do (256
// random bits, base64url) and returns it with its SHA-256, which is all the
// database gets.
func newLinkToken() (token string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // never happens on supported systems
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	h := sha256.Sum256([]byte(token))
	return token, h[:]
}

// The commands mint the tokens of the links they print and store only
// their hashes (backend.HashedLinkService), so they queue no email at all.
// A mail worker of a serve running on the same database can therefore
// never claim, and send or fail, an email for a link the operator hands
// over in person, however the two interleave.

// resetLink issues a password reset for a member and returns its link.
func (c *cli) resetLink(st *store, base, userID string) (string, time.Time, error) {
	token, hash := newLinkToken()
	r, err := st.HashedLinks.SendPasswordResetWithTokenHash(backend.NewContextWithActor(c.ctx, cliActor), userID, hash)
	if err != nil {
		return "", time.Time{}, err
	}
	return base + "/reset/" + token, r.ExpiresAt, nil
}

// requireOrganisation refuses to go on before init.
func requireOrganisation(c *cli, st *store) error {
	_, err := st.Organisations.FindOrganisation(c.ctx)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		return backend.Errorf(backend.ENOTFOUND, "This database has no organisation yet. Run roster-server init first.")
	}
	return err
}

func (c *cli) invite(args []string) int {
	cmd := c.command("invite", "invite (--db FILE | --postgres URL) --base-url URL --email E --role ROLE",
		"Invites someone with a role (User, Administrator or a custom role, by name or id) and prints their registration\n"+
			"link, valid 7 days. No email is sent: give the link to the person yourself.", true)
	email := c.stringFlag(cmd.fs, "email", "", "the invitee's email address")
	role := c.stringFlag(cmd.fs, "role", "", "the role to give them")
	st, base, code, ok := c.openCommand(cmd, args, required("--base-url, --email and --role are required", cmd.db.baseURL, email, role))
	if !ok {
		return code
	}
	defer st.Close()
	if err := requireOrganisation(c, st); err != nil {
		return c.fail(err)
	}
	token, hash := newLinkToken()
	inv, err := st.HashedLinks.InviteUserWithTokenHash(backend.NewContextWithActor(c.ctx, cliActor),
		backend.InviteParams{Email: *email, Role: *role}, hash)
	if err != nil {
		return c.fail(err)
	}
	link := base + "/invite/" + token
	return c.print(fmt.Sprintf("Invitation for %s as %s, valid until %s: %s", inv.Email, inv.RoleName, inv.ExpiresAt.Format(time.RFC3339), link),
		map[string]any{"id": inv.ID, "email": inv.Email, "role": inv.RoleName, "link": link, "expiresAt": inv.ExpiresAt})
}

func (c *cli) reset(args []string) int {
	cmd := c.command("reset", "reset (--db FILE | --postgres URL) --base-url URL --email E",
		"Issues a password link (valid 24 hours) for an active member and prints it; their older links stop working.\n"+
			"No email is sent: give the link to the person yourself.", true)
	email := c.stringFlag(cmd.fs, "email", "", "the member's email address")
	st, base, cred, code, ok := c.openWithMember(cmd, args, "--base-url and --email are required", email)
	if !ok {
		return code
	}
	defer st.Close()
	link, expires, err := c.resetLink(st, base, cred.User.ID)
	if err != nil {
		return c.fail(err)
	}
	return c.print(fmt.Sprintf("Password link for %s, valid until %s: %s", cred.User.Email, expires.Format(time.RFC3339), link),
		map[string]any{"userId": cred.User.ID, "email": cred.User.Email, "link": link, "expiresAt": expires})
}

func (c *cli) token(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, "Usage: roster-server token create|list|revoke ...\nRun roster-server token create --help for its flags.\n")
		return exitUsage
	}
	switch args[0] {
	case "create":
		return c.tokenCreate(args[1:])
	case "list":
		return c.tokenList(args[1:])
	case "revoke":
		return c.tokenRevoke(args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(c.stdout, "Usage: roster-server token create --email E | token list | token revoke ID\n\n"+
			"Manages the admin API's bearer tokens. Run roster-server token create --help for the flags.\n")
		return exitOK
	}
	fmt.Fprintf(c.stderr, "roster-server token: unknown command %q (create, list or revoke)\n", args[0])
	return exitUsage
}

func (c *cli) tokenCreate(args []string) int {
	cmd := c.command("token create", "token create (--db FILE | --postgres URL) --email E",
		"Creates an API token for an active Administrator and prints it. It is shown only this once; only its hash is kept.", false)
	email := c.stringFlag(cmd.fs, "email", "", "the Administrator's email address")
	st, _, cred, code, ok := c.openWithMember(cmd, args, "--email is required", email)
	if !ok {
		return code
	}
	defer st.Close()
	t, secret, err := st.APITokens.CreateAPIToken(backend.NewContextWithActor(c.ctx, cliActor), cred.User.ID)
	if err != nil {
		return c.fail(err)
	}
	return c.print(fmt.Sprintf("API token %s for %s (shown only now, keep it secret): %s", t.ID, t.UserEmail, secret),
		map[string]any{"id": t.ID, "email": t.UserEmail, "token": secret, "createdAt": t.CreatedAt})
}

func (c *cli) tokenList(args []string) int {
	cmd := c.command("token list", "token list (--db FILE | --postgres URL) [--revoked]",
		"Lists the API tokens (never their secrets), newest first: one line each, or one JSON object with all of them.", false)
	revoked := cmd.fs.Bool("revoked", false, "include revoked tokens")
	st, _, code, ok := c.openCommand(cmd, args, none)
	if !ok {
		return code
	}
	defer st.Close()
	list, err := st.APITokens.FindAPITokens(c.ctx, backend.APITokenFilter{Revoked: *revoked})
	if err != nil {
		return c.fail(err)
	}
	type item struct {
		ID         string     `json:"id"`
		Email      string     `json:"email"`
		Name       string     `json:"name"`
		CreatedAt  time.Time  `json:"createdAt"`
		LastUsedAt *time.Time `json:"lastUsedAt"`
		RevokedAt  *time.Time `json:"revokedAt"`
	}
	items := []item{}
	var lines []string
	for _, t := range list {
		items = append(items, item{t.ID, t.UserEmail, t.UserName, t.CreatedAt, t.LastUsedAt, t.RevokedAt})
		line := fmt.Sprintf("%s  %s  created %s", t.ID, t.UserEmail, t.CreatedAt.Format(time.RFC3339))
		if t.LastUsedAt != nil {
			line += "  last used " + t.LastUsedAt.Format(time.RFC3339)
		}
		if t.RevokedAt != nil {
			line += "  revoked " + t.RevokedAt.Format(time.RFC3339)
		}
		lines = append(lines, line)
	}
	text := strings.Join(lines, "\n")
	if len(lines) == 0 {
		text = "No API tokens."
	}
	return c.print(text, map[string]any{"tokens": items})
}

func (c *cli) tokenRevoke(args []string) int {
	cmd := c.command("token revoke", "token revoke (--db FILE | --postgres URL) ID", "Revokes an API token at once.", false)
	st, _, code, ok := c.openCommand(cmd, args, func() string {
		if len(c.args) != 1 {
			return "one token ID is required"
		}
		return ""
	})
	if !ok {
		return code
	}
	defer st.Close()
	id := c.args[0]
	if err := st.APITokens.RevokeAPIToken(backend.NewContextWithActor(c.ctx, cliActor), id); err != nil {
		return c.fail(err)
	}
	return c.print(fmt.Sprintf("API token %s is revoked.", id), map[string]any{"revoked": id})
}

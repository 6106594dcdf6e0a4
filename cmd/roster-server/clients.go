package main

import (
	"fmt"
	"strings"
	"time"

	"roster/backend"
)

// listFlag is a flag that may be given more than once; its environment
// variable holds the values separated by spaces.
type listFlag struct{ values []string }

func (l *listFlag) String() string { return strings.Join(l.values, " ") }

// Set implements flag.Value.
func (l *listFlag) Set(v string) error {
	l.values = append(l.values, v)
	return nil
}

// listFlagOf defines a repeatable flag whose default comes from its
// environment variable.
func (c *cli) listFlagOf(cmd command, name, usage string) *listFlag {
	l := &listFlag{}
	cmd.fs.Var(l, name, usage)
	if v := c.env(envName(name)); v != "" {
		l.values = strings.Fields(v)
	}
	return l
}

// clientJSON is a client as the client commands print it with --json; the
// secret only once, when it is created.
type clientJSON struct {
	ID                     string    `json:"id"`
	Name                   string    `json:"name"`
	Secret                 string    `json:"secret,omitempty"`
	Public                 bool      `json:"public"`
	RedirectURIs           []string  `json:"redirectUris"`
	PostLogoutRedirectURIs []string  `json:"postLogoutRedirectUris"`
	CreatedAt              time.Time `json:"createdAt"`
}

func newClientJSON(cl *backend.OIDCClient, secret string) clientJSON {
	return clientJSON{ID: cl.ID, Name: cl.Name, Secret: secret, Public: cl.Public, RedirectURIs: cl.RedirectURIs,
		PostLogoutRedirectURIs: cl.PostLogoutRedirectURIs, CreatedAt: cl.CreatedAt}
}

func (c *cli) client(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, "Usage: roster-server client create|list|delete ...\nRun roster-server client create --help for its flags.\n")
		return exitUsage
	}
	switch args[0] {
	case "create":
		return c.clientCreate(args[1:])
	case "list":
		return c.clientList(args[1:])
	case "delete":
		return c.clientDelete(args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(c.stdout, "Usage: roster-server client create --name NAME --redirect-uri URI [--public] | client list | client delete ID\n\n"+
			"Manages the OpenID Connect provider's clients (the platforms that sign their users in through Roster).\n"+
			"Run roster-server client create --help for the flags.\n")
		return exitOK
	}
	fmt.Fprintf(c.stderr, "roster-server client: unknown command %q (create, list or delete)\n", args[0])
	return exitUsage
}

func (c *cli) clientCreate(args []string) int {
	cmd := c.command("client create", "client create (--db FILE | --postgres URL) --name NAME --redirect-uri URI [--redirect-uri URI ...] "+
		"[--post-logout-redirect-uri URI ...] [--public]",
		"Registers an OpenID Connect client and prints its id and, for a confidential client, its secret. The secret is shown\n"+
			"only this once; only its hash is kept. Redirect URIs are matched exactly. A public client (--public) has no secret\n"+
			"and must use PKCE (S256).", false)
	name := c.stringFlag(cmd.fs, "name", "", "the client's name, like Open WebUI")
	redirects := c.listFlagOf(cmd, "redirect-uri", "a redirect URI of the client, like https://chat.example.com/oauth/oidc/callback; repeat for more")
	logouts := c.listFlagOf(cmd, "post-logout-redirect-uri", "where the client may send the browser after signing out; repeat for more")
	public := cmd.fs.Bool("public", false, "a public client (a browser or native app): no secret, PKCE required")
	st, _, code, ok := c.openCommand(cmd, args, func() string {
		if *name == "" || len(redirects.values) == 0 {
			return "--name and --redirect-uri are required"
		}
		return ""
	})
	if !ok {
		return code
	}
	defer st.Close()
	cl, secret, err := st.OIDCClients.CreateOIDCClient(c.ctx, backend.OIDCClientParams{Name: *name,
		RedirectURIs: redirects.values, PostLogoutRedirectURIs: logouts.values, Public: *public})
	if err != nil {
		return c.fail(err)
	}
	line := fmt.Sprintf("Client %q: id %s, secret (shown only now, keep it secret): %s", cl.Name, cl.ID, secret)
	if cl.Public {
		line = fmt.Sprintf("Public client %q: id %s (no secret: it must use PKCE)", cl.Name, cl.ID)
	}
	return c.print(line, newClientJSON(cl, secret))
}

func (c *cli) clientList(args []string) int {
	cmd := c.command("client list", "client list (--db FILE | --postgres URL)",
		"Lists the OpenID Connect clients (never their secrets), oldest first: one line each, or a JSON array.", false)
	st, _, code, ok := c.openCommand(cmd, args, none)
	if !ok {
		return code
	}
	defer st.Close()
	list, err := st.OIDCClients.FindOIDCClients(c.ctx)
	if err != nil {
		return c.fail(err)
	}
	items := []clientJSON{}
	var lines []string
	for _, cl := range list {
		items = append(items, newClientJSON(cl, ""))
		kind := "confidential"
		if cl.Public {
			kind = "public"
		}
		lines = append(lines, fmt.Sprintf("%s  %s  %s  %s", cl.ID, cl.Name, kind, strings.Join(cl.RedirectURIs, " ")))
	}
	text := strings.Join(lines, "\n")
	if len(lines) == 0 {
		text = "No clients."
	}
	return c.print(text, items)
}

func (c *cli) clientDelete(args []string) int {
	cmd := c.command("client delete", "client delete (--db FILE | --postgres URL) ID",
		"Deletes an OpenID Connect client at once, with its tokens: it can sign no one in any more.", false)
	st, _, code, ok := c.openCommand(cmd, args, func() string {
		if len(c.args) != 1 {
			return "one client ID is required"
		}
		return ""
	})
	if !ok {
		return code
	}
	defer st.Close()
	id := c.args[0]
	if err := st.OIDCClients.DeleteOIDCClient(c.ctx, id); err != nil {
		return c.fail(err)
	}
	return c.print(fmt.Sprintf("Client %s is deleted.", id), map[string]any{"deleted": id})
}

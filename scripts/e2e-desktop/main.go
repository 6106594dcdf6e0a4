// Command e2e-desktop is a test harness, not part of Roster: it plays a
// Roster desktop for the directory server's end-to-end test
// (frontend/e2e-server, run by scripts/e2e-server.sh). It runs the
// desktop's own code on a desktop database of its own: backend/sqlite's
// services mint a link's token, keep only its hash and queue the email in
// the sealed outbox; backend/mail's worker renders and sends it over SMTP
// (mailpit in the test). Only the token's hash goes to the directory
// server's admin API, as the desktop will send it.
//
// Each command does one step, waits until the outbox has sent what the step
// queued, and prints one JSON object:
//
//	e2e-desktop setup  --db FILE --organisation O --admin-name N --admin-email E --platform-url URL --smtp HOST:PORT
//	e2e-desktop invite --db FILE --server URL --email E --role ROLE
//	e2e-desktop joined --db FILE --link URL --name N
//	e2e-desktop reset  --db FILE --server URL --email E --user ID
//
// The server's API token comes from ROSTER_E2E_API_TOKEN, so that no
// process list shows it. The outbox is sealed with a key in FILE.key, not
// with the keyring's, so the harness never touches a keyring.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"time"

	"github.com/sirupsen/logrus"

	"roster/backend"
	"roster/backend/mail"
	"roster/backend/password"
	"roster/backend/sqlite"
)

// sendTimeout bounds the wait for the outbox to send a step's email.
const sendTimeout = 20 * time.Second

// clientName is the Roster-Client header of the harness's API calls.
const clientName = "Roster desktop (end-to-end test)"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: e2e-desktop setup|invite|joined|reset --db FILE [flags]")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "e2e-desktop "+os.Args[1]+":", err)
		os.Exit(1)
	}
}

// desktop is the harness's open desktop database and its services.
type desktop struct {
	db  *sqlite.DB
	log *logrus.Logger
	ctx context.Context // acting as the desktop's administrator, after setup
}

func run(ctx context.Context, cmd string, args []string) error {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	dbPath := fs.String("db", "", "the desktop's database file")
	org := fs.String("organisation", "", "setup: the organisation's name")
	adminName := fs.String("admin-name", "", "setup: the desktop's administrator")
	adminEmail := fs.String("admin-email", "", "setup: the administrator's address")
	platformURL := fs.String("platform-url", "", "setup: the base of the links in the emails (the directory server)")
	smtp := fs.String("smtp", "", "setup: the SMTP server, HOST:PORT")
	server := fs.String("server", "", "invite, reset: the directory server's base URL")
	email := fs.String("email", "", "invite, reset: the person's address")
	role := fs.String("role", "", "invite: the role")
	link := fs.String("link", "", "joined: the invitation link the invitee followed")
	name := fs.String("name", "", "joined: the name the invitee registered with")
	user := fs.String("user", "", "reset: the member's id on the server")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dbPath == "" {
		return errors.New("--db is required")
	}
	d, err := openDesktop(*dbPath, cmd == "setup")
	if err != nil {
		return err
	}
	defer d.db.Close()
	var out any
	switch cmd {
	case "setup":
		out, err = d.setup(ctx, *org, *adminName, *adminEmail, *platformURL, *smtp)
	case "invite":
		out, err = d.invite(ctx, *server, *email, *role)
	case "joined":
		out, err = d.joined(ctx, *link, *name)
	case "reset":
		out, err = d.reset(ctx, *server, *email, *user)
	default:
		return fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

// openDesktop opens the database with the outbox sealed by the key in
// path.key, which setup creates.
func openDesktop(dbPath string, create bool) (*desktop, error) {
	keyPath := dbPath + ".key"
	if create {
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, err
		}
		if err := os.WriteFile(keyPath, secret, 0o600); err != nil {
			return nil, err
		}
	}
	secret, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("outbox key (run setup first): %w", err)
	}
	keys, err := backend.NewStaticOutboxKeys(secret)
	if err != nil {
		return nil, err
	}
	log := logrus.New()
	log.SetOutput(os.Stderr)
	log.SetLevel(logrus.WarnLevel)
	db := sqlite.NewDB(dbPath)
	db.Keys = keys
	if err := db.Open(); err != nil {
		return nil, err
	}
	d := &desktop{db: db, log: log, ctx: context.Background()}
	if !create {
		admin, err := sqlite.NewOrganisationService(db).FindCurrentAdmin(context.Background())
		if err != nil {
			db.Close()
			return nil, err
		}
		d.ctx = backend.NewContextWithActor(d.ctx, backend.Actor{ID: admin.ID, Name: admin.Name})
	}
	return d, nil
}

// setup creates the organisation and saves the email settings, as the
// desktop's first run and its Email settings screen do.
func (d *desktop) setup(ctx context.Context, org, adminName, adminEmail, platformURL, smtp string) (any, error) {
	_, admin, err := sqlite.NewOrganisationService(d.db).SetupOrganisation(ctx, backend.SetupParams{
		OrganisationName: org, AdminName: adminName, AdminEmail: adminEmail})
	if err != nil {
		return nil, err
	}
	ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: admin.ID, Name: admin.Name})
	host, port, err := net.SplitHostPort(smtp)
	if err != nil {
		return nil, fmt.Errorf("--smtp: %w", err)
	}
	s := backend.DefaultEmailSettings()
	s.Host, s.Security, s.PlatformURL = host, backend.SecurityNone, platformURL
	s.FromName, s.FromAddress = org, "no-reply@example.com"
	if s.Port, err = strconv.Atoi(port); err != nil {
		return nil, fmt.Errorf("--smtp port: %w", err)
	}
	if _, err := d.email().UpdateEmailSettings(ctx, backend.EmailSettingsUpdate{Settings: s}); err != nil {
		return nil, err
	}
	return map[string]string{"adminId": admin.ID}, nil
}

// email is the desktop's email service, without a keyring: the settings
// have no SMTP login.
func (d *desktop) email() *mail.Service {
	return mail.NewService(sqlite.NewEmailSettingStore(d.db), nil, sqlite.NewOrganisationService(d.db), d.log)
}

// invite invites a person on the desktop, which mints the link and queues
// its email; registers the link's hash with the server; then sends the
// email. When the server refuses, the desktop deletes its invitation, so
// the email is never sent.
func (d *desktop) invite(_ context.Context, server, email, role string) (any, error) {
	invitations := sqlite.NewInvitationService(d.db)
	inv, err := invitations.InviteUser(d.ctx, backend.InviteParams{Email: email, Role: role})
	if err != nil {
		return nil, err
	}
	hash, err := d.tokenHash("invitations", inv.ID)
	if err != nil {
		return nil, err
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := callAPI(server, "/invitations", map[string]string{"email": email, "role": role, "tokenHash": hash}, &created); err != nil {
		if derr := invitations.DeleteInvitation(d.ctx, inv.ID); derr != nil {
			return nil, errors.Join(err, derr)
		}
		return nil, err
	}
	if err := d.send(); err != nil {
		return nil, err
	}
	sent, err := invitations.FindInvitationByID(d.ctx, inv.ID)
	if err != nil {
		return nil, err
	}
	if sent.Delivery != backend.DeliverySent {
		return nil, fmt.Errorf("the invitation's email is %s: %s", sent.Delivery, sent.DeliveryError)
	}
	return map[string]string{"id": created.ID, "desktopId": inv.ID}, nil
}

// joined records on the desktop that the invitee registered with the link:
// the member the directory server now has. The desktop learns it from the
// server once it syncs (a later issue); until then the harness accepts the
// desktop's own invitation of the same link. The desktop never holds the
// member's password: its copy gets the hash of a random one nobody knows.
func (d *desktop) joined(ctx context.Context, link, name string) (any, error) {
	u, err := url.Parse(link)
	if err != nil {
		return nil, fmt.Errorf("--link: %w", err)
	}
	unknown := make([]byte, 32)
	if _, err := rand.Read(unknown); err != nil {
		return nil, err
	}
	hash, err := password.NewHasher().Hash(hex.EncodeToString(unknown))
	if err != nil {
		return nil, err
	}
	m, err := sqlite.NewInvitationService(d.db).AcceptInvitation(ctx,
		backend.AcceptParams{Token: path.Base(u.Path), Name: name, PasswordHash: hash})
	if err != nil {
		return nil, err
	}
	return map[string]string{"desktopId": m.ID}, nil
}

// reset sends a member a password reset link as the desktop does; the
// server gets the link's hash for its member of the same address.
func (d *desktop) reset(_ context.Context, server, email, serverID string) (any, error) {
	users, _, err := sqlite.NewUserService(d.db).FindUsers(d.ctx, backend.UserFilter{Search: &email, Limit: 2})
	if err != nil {
		return nil, err
	}
	if len(users) != 1 {
		return nil, fmt.Errorf("the desktop has %d members at %s", len(users), email)
	}
	r, err := sqlite.NewPasswordResetService(d.db).SendPasswordReset(d.ctx, users[0].ID)
	if err != nil {
		return nil, err
	}
	hash, err := d.tokenHash("password_resets", r.ID)
	if err != nil {
		return nil, err
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := callAPI(server, "/users/"+url.PathEscape(serverID)+"/password-resets", map[string]string{"tokenHash": hash}, &created); err != nil {
		return nil, err
	}
	if err := d.send(); err != nil {
		return nil, err
	}
	return map[string]string{"id": created.ID, "desktopId": r.ID}, nil
}

// tokenHash reads the stored hash of a link the desktop minted. The desktop
// has no service that returns it yet (the sync will need one), so the
// harness reads the column.
func (d *desktop) tokenHash(table, id string) (string, error) {
	conn, err := sql.Open("sqlite3", "file:"+d.db.Path()+"?mode=ro")
	if err != nil {
		return "", err
	}
	defer conn.Close()
	var hash []byte
	if err := conn.QueryRow(`SELECT token_hash FROM `+table+` WHERE id = ?`, id).Scan(&hash); err != nil {
		return "", fmt.Errorf("read the link's hash: %w", err)
	}
	return hex.EncodeToString(hash), nil
}

// send runs the desktop's outbox worker until nothing is queued, and fails
// unless all of it was sent.
func (d *desktop) send() error {
	outbox := sqlite.NewOutboxService(d.db)
	w := mail.NewWorker(outbox, d.email(), d.log)
	w.Location = time.UTC
	done := make(chan mail.Progress, 1)
	w.Progress = func(p mail.Progress) {
		if p.Done && p.Queued == 0 {
			select {
			case done <- p:
			default:
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
	defer cancel()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		w.Run(ctx)
	}()
	var p mail.Progress
	select {
	case p = <-done:
	case <-ctx.Done():
	}
	cancel()
	<-stopped
	stats, err := outbox.FindOutboxStats(context.Background())
	if err != nil {
		return err
	}
	if stats.Queued+stats.Sending+stats.Failed > 0 || p.Sent == 0 {
		return fmt.Errorf("the outbox did not send its email in %s: %d queued, %d sending, %d failed, %d sent",
			sendTimeout, stats.Queued, stats.Sending, stats.Failed, stats.Sent)
	}
	return nil
}

// callAPI posts a JSON body to the server's admin API as a desktop does
// and decodes the answer; anything but 201 Created is an error.
func callAPI(server, apiPath string, body, answer any) error {
	token := os.Getenv("ROSTER_E2E_API_TOKEN")
	if token == "" {
		return errors.New("ROSTER_E2E_API_TOKEN is not set")
	}
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, server+"/api/v1"+apiPath, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Roster-Client", clientName)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	text, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST %s: %s: %s", apiPath, res.Status, text)
	}
	return json.Unmarshal(text, answer)
}

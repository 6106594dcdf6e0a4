// Command roster is the desktop application with which the administrators of
// an organisation's chat platform manage its users, roles and invitations.
package main

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"golang.org/x/term"

	"roster/app"
	"roster/backend"
	"roster/backend/importer"
	"roster/backend/logging"
	"roster/backend/mail"
	"roster/backend/secret"
	"roster/backend/sqlite"
	"roster/backend/syncclient"
	"roster/backend/syncer"
)

//go:embed build/appicon.png
var icon []byte

// config is what the command line and the environment decide.
type config struct {
	DBPath   string
	LogLevel string
	LogDir   string
	// DemoData, when positive, fills a new database with that many members
	// and invitations and exits.
	DemoData int
	// Open is the screen to show at start.
	Open string
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "roster:", err)
		os.Exit(1)
	}
}

// parseConfig reads flags, falling back to ROSTER_* environment variables and
// then to the defaults.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	var c config
	fs := flag.NewFlagSet("roster", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.DBPath, "db", getenv("ROSTER_DB"), "database `file` (default: the user config dir's Roster/roster.db)")
	fs.StringVar(&c.LogLevel, "log-level", orDefault(getenv("ROSTER_LOG_LEVEL"), "info"), "log `level`: debug, info, warning or error")
	fs.StringVar(&c.LogDir, "log-dir", getenv("ROSTER_LOG_DIR"), "log `directory` (default: the user cache dir's Roster/logs)")
	fs.IntVar(&c.DemoData, "demo-data", 0, "fill a new database with `N` example members and invitations, then exit")
	fs.StringVar(&c.Open, "open", "", "open a `screen` at start: "+strings.Join(app.Screens, ", ")+
		" (in the running window, when Roster runs already)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(os.Stderr)
			fs.Usage()
		}
		return c, err
	}
	var err error
	if c.DBPath == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return c, fmt.Errorf("no --db given and no user config directory: %w", err)
		}
		c.DBPath = filepath.Join(dir, "Roster", "roster.db")
	}
	if c.Open, err = app.ParseScreen(c.Open); err != nil {
		return c, err
	}
	abs, err := filepath.Abs(c.DBPath)
	if err != nil {
		return c, err
	}
	c.DBPath = abs
	return c, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func run(args []string) error {
	if bindingsOnly {
		// `wails generate module` runs this build only to read the bound types.
		return wails.Run(&options.App{Bind: app.New(app.Deps{}).Bind(), EnumBind: app.Enums()})
	}
	cfg, err := parseConfig(args, os.Getenv)
	if err != nil {
		return err
	}
	var console io.Writer
	if term.IsTerminal(int(os.Stderr.Fd())) {
		console = os.Stderr
	}
	log, closeLog, err := logging.New(logging.Options{Dir: cfg.LogDir, Level: cfg.LogLevel, Console: console})
	if err != nil {
		return err
	}
	defer closeLog()

	keyring := secret.New(secret.ServiceName)
	db := sqlite.NewDB(cfg.DBPath)
	// The outbox's data is sealed with a key from the keyring (one kept for
	// this session only while the keyring cannot be used).
	outboxKeys := secret.NewOutboxKeys(keyring, log)
	db.Keys = outboxKeys
	if err := db.Open(); err != nil {
		log.WithError(err).Error("cannot open the database")
		return err
	}
	defer db.Close()
	log.WithField("db", cfg.DBPath).Info("database opened")

	if cfg.DemoData > 0 {
		if err := sqlite.SeedDemoData(context.Background(), db, cfg.DemoData); err != nil {
			return err
		}
		log.WithField("users", cfg.DemoData).Info("demo data written")
		fmt.Printf("%s: demo organisation with %d members and %d invitations\n", cfg.DBPath, cfg.DemoData, cfg.DemoData)
		return nil
	}

	organisations := sqlite.NewOrganisationService(db)
	outbox := sqlite.NewOutboxService(db)
	emailService := mail.NewService(sqlite.NewEmailSettingStore(db), keyring, organisations, log)
	emailService.Outbox = outbox
	// Emails left "sending" by a crash go back to the queue before the worker starts.
	if n, err := outbox.RecoverOutbox(context.Background()); err != nil {
		log.WithError(err).Error("cannot recover the outbox")
		return err
	} else if n > 0 {
		log.WithField("entries", n).Warn("outbox: emails interrupted by the last exit are queued again")
	}
	mailWorker := mail.NewWorker(outbox, emailService, log)

	// Sync: while connected to a directory server of this organisation,
	// every change is recorded as an operation that the engine pushes, and
	// the server's changes are pulled into this database.
	syncService := syncclient.NewService(sqlite.NewSettingService(db), keyring, organisations, log)
	syncService.Recording = db.OpLog
	syncEngine := &syncer.Engine{
		Replica:   sqlite.NewSyncReplica(db),
		Transport: syncService.CurrentTransport,
		Log:       log,
		OnMail:    mailWorker.Notify,
		Acting: func(ctx context.Context) context.Context {
			admin, err := organisations.FindCurrentAdmin(ctx)
			if err != nil {
				return ctx
			}
			return backend.NewContextWithActor(ctx, backend.Actor{ID: admin.ID, Name: admin.Name, Client: syncclient.ClientName()})
		},
	}
	syncService.OnConnect = syncEngine.Notify
	syncService.Joining = &syncclient.Joining{Sync: syncEngine.SyncOnce, Replica: sqlite.NewSyncReplica(db)}
	if err := syncService.Resume(context.Background()); err != nil {
		log.WithError(err).Warn("sync: cannot resume recording")
	}

	application := app.New(app.Deps{
		Log:            log,
		DBPath:         cfg.DBPath,
		Organisations:  organisations,
		Settings:       sqlite.NewSettingService(db),
		Users:          sqlite.NewUserService(db),
		Directory:      sqlite.NewDirectoryService(db),
		Invitations:    sqlite.NewInvitationService(db),
		PasswordResets: sqlite.NewPasswordResetService(db),
		Roles:          sqlite.NewRoleService(db),
		Audit:          sqlite.NewAuditService(db),
		Email:          emailService,
		Outbox:         outbox,
		Mail:           mailWorker,
		Imports:        importer.NewService(sqlite.NewRoleService(db), sqlite.NewDirectoryService(db), sqlite.NewInvitationService(db)),
		Sync:           syncService,
		SyncEngine:     syncEngine,
		Conflicts:      sqlite.NewConflictService(db),
		SystemLanguage: app.SystemLanguage(os.Getenv),
		SystemLocale:   app.SystemLocale(os.Getenv),
		StartScreen:    cfg.Open,
	})
	mailWorker.Progress = application.MailProgress()
	// The window hears of every change of where sync stands, and of each
	// local change waiting for sync.
	syncEngine.OnStatus = application.SyncStatusChanged()
	db.OpLog.OnChange(func() {
		syncEngine.Notify()
		application.SyncChanged()
	})
	syncCtx, stopSync := context.WithCancel(context.Background())
	defer stopSync()
	go syncEngine.Run(syncCtx)
	mailCtx, stopMail := context.WithCancel(context.Background())
	mailDone := make(chan struct{})
	go func() {
		defer close(mailDone)
		// Read (or create) the outbox key before the first email is queued
		// or claimed, so an unlock prompt does not hold a transaction.
		outboxKeys.SealingKey()
		mailWorker.Run(mailCtx)
	}()
	defer func() {
		// Messages in flight finish (each SMTP step has a deadline) and are marked.
		stopMail()
		select {
		case <-mailDone:
		case <-time.After(mail.DefaultCommandTimeout + 5*time.Second):
			log.Warn("mail worker did not stop in time")
		}
	}()

	// One window per database: a second launch on the same file focuses the first.
	sum := sha256.Sum256([]byte(cfg.DBPath))
	err = wails.Run(&options.App{
		Title:     "Roster",
		Width:     1280,
		Height:    800,
		MinWidth:  960,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		BackgroundColour:   &options.RGBA{R: 248, G: 249, B: 250, A: 255},
		OnStartup:          application.Startup,
		OnDomReady:         application.DomReady,
		Bind:               application.Bind(),
		DragAndDrop:        &options.DragAndDrop{EnableFileDrop: true},
		EnumBind:           app.Enums(),
		ErrorFormatter:     application.FormatError,
		Logger:             app.NewWailsLogger(log),
		LogLevel:           logger.INFO,
		LogLevelProduction: logger.WARNING,
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "roster-" + hex.EncodeToString(sum[:8]),
			OnSecondInstanceLaunch: application.SecondInstance,
		},
		Linux: &linux.Options{Icon: icon, ProgramName: "roster"},
	})
	if err != nil {
		log.WithError(err).Error("window failed")
	}
	log.Info("roster stopped")
	return err
}

// Package app is the thin layer the frontend calls: one bound facade per area,
// each converting DTOs and calling one backend service. It also turns coded
// errors into what the frontend receives, and adapts Wails' runtime (events,
// dialogs, window) for the backend.
package app

import (
	"context"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"roster/backend"
	"roster/backend/importer"
	"roster/backend/syncclient"
	"roster/backend/syncer"
)

// Version is Roster's version, shown in the window.
const Version = "0.1.0"

// Deps are the services the facades use.
type Deps struct {
	Log            *logrus.Logger
	DBPath         string
	Organisations  backend.OrganisationService
	Settings       backend.SettingService
	Users          backend.UserService
	Directory      backend.DirectoryService
	Invitations    backend.InvitationService
	PasswordResets backend.PasswordResetService
	Roles          backend.RoleService
	Audit          backend.AuditService
	Email          backend.EmailService
	Outbox         backend.OutboxService
	Mail           MailNotifier // the mail worker, woken when email is queued
	Imports        *importer.Service
	Sync           *syncclient.Service // the connection to a directory server
	SyncEngine     *syncer.Engine      // pushes and pulls while connected
	Conflicts      backend.ConflictService
	// SystemLanguage is the operating system's language ("de", "en", or ""
	// when unknown, and the window's own setting decides).
	SystemLanguage string
	// SystemLocale is the operating system's locale for dates ("en-GB"), or "".
	SystemLocale string
	// StartScreen is the screen `--open` asked for, shown once at start.
	StartScreen string
}

// App holds the bound facades and the Wails context they share.
type App struct {
	deps Deps
	log  *logrus.Logger

	mu          sync.RWMutex
	ctx         context.Context // Wails' context, set in Startup
	startScreen string          // taken by the window once

	System      *System
	Users       *Users
	Invitations *Invitations
	Roles       *Roles
	Audit       *Audit
	Email       *Email
	Imports     *Imports
	Bulk        *Bulk
	Sync        *Sync
	Conflicts   *Conflicts
}

// New returns the application with its facades. With zero Deps it only
// serves to generate the frontend's bindings.
func New(deps Deps) *App {
	log := deps.Log
	if log == nil {
		log = logrus.New()
	}
	a := &App{deps: deps, log: log, ctx: context.Background(), startScreen: deps.StartScreen}
	a.System = &System{app: a}
	a.Users = &Users{app: a}
	a.Invitations = &Invitations{app: a}
	a.Roles = &Roles{app: a}
	a.Audit = &Audit{app: a}
	a.Email = &Email{app: a, progress: throttle{interval: 100 * time.Millisecond}}
	a.Imports = &Imports{app: a}
	a.Bulk = &Bulk{app: a}
	a.Sync = &Sync{app: a, changes: throttle{interval: 200 * time.Millisecond}}
	a.Conflicts = &Conflicts{app: a}
	return a
}

// Bind returns the facades for options.App.Bind.
func (a *App) Bind() []any {
	return []any{a.System, a.Users, a.Invitations, a.Roles, a.Audit, a.Email, a.Imports, a.Bulk, a.Sync, a.Conflicts}
}

// dialogs returns the file dialogs to use: the window's, or in the dev build
// for end-to-end tests, scripted ones.
func (a *App) dialogs() Dialogs {
	if scriptedDialogs != nil {
		return scriptedDialogs()
	}
	return nativeDialogs{a}
}

// Startup keeps Wails' context for runtime calls; pass it as OnStartup.
func (a *App) Startup(ctx context.Context) {
	a.mu.Lock()
	a.ctx = ctx
	a.mu.Unlock()
	a.log.WithField("db", a.deps.DBPath).Info("window started")
}

// DomReady logs that the window's page has loaded; pass it as OnDomReady.
// Tests wait for this line before they drive the window.
func (a *App) DomReady(context.Context) {
	a.log.Info("window ready")
}

// SecondInstance brings the window to the front when Roster is launched
// again, and opens the screen that launch asked for with --open.
func (a *App) SecondInstance(data options.SecondInstanceData) {
	screen := screenFromArgs(data.Args)
	a.log.WithField("screen", screen).Info("second launch: focusing the window")
	ctx := a.wailsContext()
	runtime.WindowUnminimise(ctx)
	runtime.Show(ctx)
	if screen != "" {
		a.emit(EventOpenScreen, OpenScreenEvent{Screen: screen})
	}
}

// takeStartScreen returns the screen asked for at start, once.
func (a *App) takeStartScreen() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.startScreen
	a.startScreen = ""
	return s
}

// wailsContext returns the context Wails gave at start-up.
func (a *App) wailsContext() context.Context {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.ctx
}

// callContext returns the context of one bound call: it carries the
// administrator acting in this installation, for the audit log.
func (a *App) callContext() context.Context {
	ctx := context.Background()
	if a.deps.Organisations == nil {
		return ctx
	}
	if u, err := a.deps.Organisations.FindCurrentAdmin(ctx); err == nil {
		ctx = backend.NewContextWithActor(ctx, backend.Actor{ID: u.ID, Name: u.Name})
	}
	return ctx
}

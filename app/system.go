package app

import (
	"roster/backend"
)

// System is the facade for the application as a whole: first-run setup, who
// is signed in here, and window preferences.
type System struct {
	app *App
}

// OrganisationDTO describes the organisation.
type OrganisationDTO struct {
	Name      string `json:"name"`
	CreatedAt string `json:"createdAt"`
}

// AdminDTO is the administrator acting in this installation.
type AdminDTO struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// StateDTO is what the window needs to start.
type StateDTO struct {
	SetupComplete  bool             `json:"setupComplete"`
	Organisation   *OrganisationDTO `json:"organisation"`
	Admin          *AdminDTO        `json:"admin"`
	Language       string           `json:"language"`
	SystemLanguage string           `json:"systemLanguage"`
	SystemLocale   string           `json:"systemLocale"`
	Version        string           `json:"version"`
	DatabasePath   string           `json:"databasePath"`
}

// SetupParams is what the first-run screen sends.
type SetupParams struct {
	OrganisationName string `json:"organisationName"`
	AdminName        string `json:"adminName"`
	AdminEmail       string `json:"adminEmail"`
}

// PreferencesDTO are the window's preferences.
type PreferencesDTO struct {
	// Language is "en", "de", or "" to follow the operating system.
	Language string `json:"language"`
}

// GetState returns the organisation, the administrator and the preferences;
// SetupComplete is false until the first-run setup is done.
func (s *System) GetState() (StateDTO, error) {
	ctx := s.app.callContext()
	st := StateDTO{Version: Version, DatabasePath: s.app.deps.DBPath, SystemLanguage: s.app.deps.SystemLanguage,
		SystemLocale: s.app.deps.SystemLocale}
	var prefs backend.Preferences
	if err := s.app.deps.Settings.FindSetting(ctx, backend.SettingPreferences, &prefs); err == nil {
		st.Language = prefs.Language
	} else if backend.ErrorCode(err) != backend.ENOTFOUND {
		return StateDTO{}, err
	}
	org, err := s.app.deps.Organisations.FindOrganisation(ctx)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		return st, nil
	} else if err != nil {
		return StateDTO{}, err
	}
	admin, err := s.app.deps.Organisations.FindCurrentAdmin(ctx)
	if err != nil {
		return StateDTO{}, err
	}
	st.SetupComplete = true
	st.Organisation = &OrganisationDTO{Name: org.Name, CreatedAt: formatTime(org.CreatedAt)}
	st.Admin = &AdminDTO{ID: admin.ID, Name: admin.Name, Email: admin.Email}
	return st, nil
}

// CompleteSetup creates the organisation and its first administrator and
// returns the new state. Errors: invalid (with field), conflict when done already.
func (s *System) CompleteSetup(params SetupParams) (StateDTO, error) {
	_, admin, err := s.app.deps.Organisations.SetupOrganisation(s.app.callContext(), backend.SetupParams{
		OrganisationName: params.OrganisationName,
		AdminName:        params.AdminName,
		AdminEmail:       params.AdminEmail,
	})
	if err != nil {
		return StateDTO{}, err
	}
	s.app.log.WithField("admin", admin.ID).Info("first-run setup completed")
	return s.GetState()
}

// TakeStartScreen returns the screen `roster --open SCREEN` asked for, the
// first time it is called, and "" after that (so a reload does not reopen it).
func (s *System) TakeStartScreen() (string, error) {
	return s.app.takeStartScreen(), nil
}

// UpdatePreferences stores the window's preferences. Errors: invalid for an
// unknown language.
func (s *System) UpdatePreferences(p PreferencesDTO) (PreferencesDTO, error) {
	switch p.Language {
	case "", "en", "de":
	default:
		return PreferencesDTO{}, backend.MsgPreferencesLanguage.FieldError(backend.EINVALID, "language", "language", p.Language)
	}
	if err := s.app.deps.Settings.UpdateSetting(s.app.callContext(), backend.SettingPreferences, backend.Preferences{Language: p.Language}); err != nil {
		return PreferencesDTO{}, err
	}
	return p, nil
}

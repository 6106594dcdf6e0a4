package app

import (
	"testing"

	"roster/backend"
)

func TestSystem_Errors(t *testing.T) {
	a, _, _ := testApp(t)
	t.Run("ErrSetupDone", func(t *testing.T) {
		_, err := a.System.CompleteSetup(SetupParams{OrganisationName: "Other Ltd", AdminName: "Eve", AdminEmail: "eve@example.com"})
		if e := backend.AsError(err); e == nil || e.Code != backend.ECONFLICT || e.Key != "organisation.exists" {
			t.Fatalf("second setup: %+v", err)
		}
	})
	t.Run("ErrLanguage", func(t *testing.T) {
		_, err := a.System.UpdatePreferences(PreferencesDTO{Language: "fr"})
		if e := backend.AsError(err); e == nil || e.Code != backend.EINVALID || e.Field != "language" ||
			e.Key != "preferences.language" || e.Args["language"] != "fr" {
			t.Fatalf("French: %+v", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		if p, err := a.System.UpdatePreferences(PreferencesDTO{Language: "de"}); err != nil || p.Language != "de" {
			t.Fatalf("German: %+v, %v", p, err)
		}
	})
}

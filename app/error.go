package app

import (
	"roster/backend"
)

// ErrorDTO is what a rejected call gives the frontend.
type ErrorDTO struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Field   string         `json:"field,omitempty"`
	Key     string         `json:"key,omitempty"`
	Args    map[string]any `json:"args,omitempty"`
}

// FormatError is Wails' ErrorFormatter: coded errors pass as they are;
// anything else is logged in full and reaches the window as a short sentence.
func (a *App) FormatError(err error) any {
	e := backend.AsError(err)
	if e == nil || e.Code == backend.EINTERNAL {
		a.log.WithError(err).Error("internal error in a call from the window")
		return ErrorDTO{Code: backend.EINTERNAL, Message: backend.ErrorMessage(err), Key: "internal"}
	}
	return errorDTO(e)
}

// errorDTO is a coded error as the window receives it.
func errorDTO(e *backend.Error) ErrorDTO {
	return ErrorDTO{Code: e.Code, Message: e.Message, Field: e.Field, Key: e.Key, Args: e.Args}
}

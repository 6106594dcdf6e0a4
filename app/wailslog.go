package app

import (
	"github.com/sirupsen/logrus"
	"github.com/wailsapp/wails/v2/pkg/logger"
)

// wailsLogger passes Wails' own log lines to logrus. Trace lines are dropped:
// Wails traces every call's result there, which may carry personal data.
type wailsLogger struct{ log *logrus.Logger }

// NewWailsLogger returns a Wails logger that writes to log.
func NewWailsLogger(log *logrus.Logger) logger.Logger { return wailsLogger{log} }

func (l wailsLogger) entry() *logrus.Entry   { return l.log.WithField("component", "wails") }
func (l wailsLogger) Print(message string)   { l.entry().Info(message) }
func (l wailsLogger) Trace(string)           {}
func (l wailsLogger) Debug(message string)   { l.entry().Debug(message) }
func (l wailsLogger) Info(message string)    { l.entry().Info(message) }
func (l wailsLogger) Warning(message string) { l.entry().Warn(message) }
func (l wailsLogger) Error(message string)   { l.entry().Error(message) }
func (l wailsLogger) Fatal(message string)   { l.entry().Fatal(message) }

package main

import (
	"path/filepath"
	"testing"
)

func TestParseConfig(t *testing.T) {
	env := func(vals map[string]string) func(string) string {
		return func(k string) string { return vals[k] }
	}
	t.Run("FlagsWinOverEnvironment", func(t *testing.T) {
		c, err := parseConfig([]string{"--db", "x.db", "--log-level", "debug", "--open", "Users"},
			env(map[string]string{"ROSTER_DB": "/env.db", "ROSTER_LOG_LEVEL": "error"}))
		if err != nil {
			t.Fatal(err)
		}
		if want, _ := filepath.Abs("x.db"); c.DBPath != want || c.LogLevel != "debug" || c.Open != "users" {
			t.Fatalf("config = %+v", c)
		}
	})
	t.Run("Environment", func(t *testing.T) {
		c, err := parseConfig(nil, env(map[string]string{"ROSTER_DB": "/data/roster.db", "ROSTER_LOG_DIR": "/logs"}))
		if err != nil {
			t.Fatal(err)
		}
		if c.DBPath != "/data/roster.db" || c.LogDir != "/logs" || c.LogLevel != "info" {
			t.Fatalf("config = %+v", c)
		}
	})
	t.Run("DefaultDatabaseInUserConfigDir", func(t *testing.T) {
		t.Setenv("XDG_CONFIG_HOME", "/home/ada/.config")
		c, err := parseConfig(nil, env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if c.DBPath != "/home/ada/.config/Roster/roster.db" {
			t.Fatalf("db = %q", c.DBPath)
		}
	})
	t.Run("ErrUnknownScreen", func(t *testing.T) {
		if _, err := parseConfig([]string{"--open", "billing"}, env(nil)); err == nil {
			t.Fatal("an unknown screen was accepted")
		}
	})
	t.Run("ErrUnknownFlag", func(t *testing.T) {
		if _, err := parseConfig([]string{"--colour", "blue"}, env(nil)); err == nil {
			t.Fatal("an unknown flag was accepted")
		}
	})
}

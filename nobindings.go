//go:build !bindings

package main

// bindingsOnly is true in the build that `wails generate module` runs.
const bindingsOnly = false

//go:build dev || production

package main

import "embed"

// assets is the Vite bundle (scripts/build.sh frontend). Only the builds that
// open a window (Wails' dev and production tags) embed it, so go vet and
// go test work on a checkout that has not built the frontend.
//
//go:embed all:frontend/dist
var assets embed.FS

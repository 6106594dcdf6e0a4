//go:build !dev && !production

package main

import "io/fs"

// assets is empty here: without Wails' dev or production tag wails.Run
// opens no window (it prints which tags to build with), and the bindings
// build reads only the bound types. See assets.go.
var assets fs.FS

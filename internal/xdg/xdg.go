// Package xdg resolves fleettop's files per the XDG Base Directory Specification: configuration (config.yaml,
// views, themes) under $XDG_CONFIG_HOME/fleettop, state (the command-line history) under
// $XDG_STATE_HOME/fleettop, data under $XDG_DATA_HOME/fleettop.
//
// As the specification requires, a variable that is unset, empty or not an absolute path is ignored, and the
// default under the home directory applies: ~/.config, ~/.local/state, ~/.local/share. The home directory is
// $HOME ($USERPROFILE on Windows, $home on Plan 9), as os.UserHomeDir reads it. The same layout is used on
// every system, macOS and Windows included, so one set of instructions serves all.
package xdg

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
)

// App is the directory every fleettop file lives in under a base directory.
const App = "fleettop"

// Env looks up an environment variable: os.Getenv, or a map's lookup in tests.
type Env func(key string) string

// ErrNoHome is returned when neither the XDG variable nor the home directory gives a base directory.
var ErrNoHome = errors.New("no home directory: $HOME is not set")

// base is one XDG base directory: its variable and its default below the home directory.
type base struct {
	variable string
	fallback []string
}

var (
	configHome = base{"XDG_CONFIG_HOME", []string{".config"}}
	stateHome  = base{"XDG_STATE_HOME", []string{".local", "state"}}
	dataHome   = base{"XDG_DATA_HOME", []string{".local", "share"}}
)

// ConfigHome is $XDG_CONFIG_HOME, or ~/.config.
func (e Env) ConfigHome() (string, error) { return e.dir(configHome) }

// StateHome is $XDG_STATE_HOME, or ~/.local/state.
func (e Env) StateHome() (string, error) { return e.dir(stateHome) }

// DataHome is $XDG_DATA_HOME, or ~/.local/share.
func (e Env) DataHome() (string, error) { return e.dir(dataHome) }

// Config is the path of fleettop's configuration file or directory elem: ConfigHome/fleettop/elem.
func (e Env) Config(elem ...string) (string, error) { return e.path(configHome, elem) }

// State is the path of fleettop's state file elem: StateHome/fleettop/elem.
func (e Env) State(elem ...string) (string, error) { return e.path(stateHome, elem) }

// Data is the path of fleettop's data file elem: DataHome/fleettop/elem.
func (e Env) Data(elem ...string) (string, error) { return e.path(dataHome, elem) }

func (e Env) dir(b base) (string, error) {
	if d := e(b.variable); d != "" && filepath.IsAbs(d) {
		return filepath.Clean(d), nil
	}
	home := e(homeVariable())
	if home == "" {
		return "", fmt.Errorf("$%s: %w", b.variable, ErrNoHome)
	}
	return filepath.Join(append([]string{home}, b.fallback...)...), nil
}

func (e Env) path(b base, elem []string) (string, error) {
	d, err := e.dir(b)
	if err != nil {
		return "", err
	}
	return filepath.Join(append([]string{d, App}, elem...)...), nil
}

// homeVariable is the variable os.UserHomeDir reads on this system.
func homeVariable() string {
	switch runtime.GOOS {
	case "windows":
		return "USERPROFILE"
	case "plan9":
		return "home"
	}
	return "HOME"
}

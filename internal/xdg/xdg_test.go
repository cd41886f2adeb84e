package xdg

import (
	"errors"
	"path/filepath"
	"runtime"
	"testing"
)

func env(m map[string]string) Env { return func(k string) string { return m[k] } }

func TestBaseDirectories(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("the cases use $HOME")
	}
	home := map[string]string{"HOME": "/home/u"}
	cases := []struct {
		name string
		env  map[string]string
		get  func(Env) (string, error)
		want string
	}{
		{"config from the variable", map[string]string{"HOME": "/home/u", "XDG_CONFIG_HOME": "/cfg"}, Env.ConfigHome, "/cfg"},
		{"config default", home, Env.ConfigHome, "/home/u/.config"},
		{"config: empty is unset", map[string]string{"HOME": "/home/u", "XDG_CONFIG_HOME": ""}, Env.ConfigHome, "/home/u/.config"},
		{"config: relative is ignored", map[string]string{"HOME": "/home/u", "XDG_CONFIG_HOME": "cfg"}, Env.ConfigHome, "/home/u/.config"},
		{"config: ./relative is ignored", map[string]string{"HOME": "/home/u", "XDG_CONFIG_HOME": "./cfg"}, Env.ConfigHome, "/home/u/.config"},
		{"config cleaned", map[string]string{"XDG_CONFIG_HOME": "/cfg//x/"}, Env.ConfigHome, "/cfg/x"},
		{"state from the variable", map[string]string{"XDG_STATE_HOME": "/st"}, Env.StateHome, "/st"},
		{"state default", home, Env.StateHome, "/home/u/.local/state"},
		{"state: relative is ignored", map[string]string{"HOME": "/home/u", "XDG_STATE_HOME": "st"}, Env.StateHome, "/home/u/.local/state"},
		{"data from the variable", map[string]string{"XDG_DATA_HOME": "/d"}, Env.DataHome, "/d"},
		{"data default", home, Env.DataHome, "/home/u/.local/share"},
		{"data: relative is ignored", map[string]string{"HOME": "/home/u", "XDG_DATA_HOME": "d"}, Env.DataHome, "/home/u/.local/share"},
		{"a config file", map[string]string{"XDG_CONFIG_HOME": "/cfg"}, func(e Env) (string, error) { return e.Config("config.yaml") }, "/cfg/fleettop/config.yaml"},
		{"a config directory by default", home, func(e Env) (string, error) { return e.Config("themes") }, "/home/u/.config/fleettop/themes"},
		{"the history", home, func(e Env) (string, error) { return e.State("history") }, "/home/u/.local/state/fleettop/history"},
		{"a data file", home, func(e Env) (string, error) { return e.Data("x") }, "/home/u/.local/share/fleettop/x"},
	}
	for _, c := range cases {
		got, err := c.get(env(c.env))
		if err != nil || got != filepath.FromSlash(c.want) {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}

func TestNoHome(t *testing.T) {
	for _, get := range []func(Env) (string, error){Env.ConfigHome, Env.StateHome, Env.DataHome,
		func(e Env) (string, error) { return e.Config("x") }} {
		// a relative variable is ignored, so it does not rescue a missing home either
		got, err := get(env(map[string]string{"XDG_CONFIG_HOME": "rel", "XDG_STATE_HOME": "rel", "XDG_DATA_HOME": "rel"}))
		if !errors.Is(err, ErrNoHome) || got != "" {
			t.Errorf("without a home: %q, %v; want ErrNoHome", got, err)
		}
	}
}

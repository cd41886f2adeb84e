package themes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltinsValidate(t *testing.T) {
	for _, n := range BuiltinNames() {
		th, ok := Builtin(n)
		if !ok {
			t.Fatalf("%s missing", n)
		}
		if err := th.Validate(); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	mono, _ := Builtin(Mono)
	if !mono.Mono || mono.Text != "" || mono.Accent != "" {
		t.Errorf("mono has colours: %+v", mono)
	}
	booth, _ := Builtin(Booth)
	if !booth.Spacious || !booth.Bold {
		t.Error("booth is not the large readable layout")
	}
	d, _ := Builtin(Dark)
	d.Series[0] = "#000000"
	if again, _ := Builtin(Dark); again.Series[0] == "#000000" {
		t.Error("Builtin hands out a shared slice")
	}
}

func TestColorValid(t *testing.T) {
	for c, want := range map[Color]bool{"": true, "#a0B1c2": true, "12": true, "255": true, "256": false, "-1": false,
		"012": false, "#abc": false, "#gggggg": false, "red": false, "#1234567": false} {
		if got := c.Valid(); got != want {
			t.Errorf("%q.Valid() = %v", c, got)
		}
	}
}

func TestParse(t *testing.T) {
	th, err := Parse([]byte(`
name: dusk
base: light
dark: true
colors:
  accent: "#ff8800"
  bad: 196
series: ["#111111", "#222222"]
`), "file")
	if err != nil {
		t.Fatal(err)
	}
	if th.Name != "dusk" || !th.Dark || th.Accent != "#ff8800" || th.Bad != "196" || len(th.Series) != 2 {
		t.Errorf("parsed %+v", th)
	}
	light, _ := Builtin(Light)
	if th.Text != light.Text {
		t.Errorf("text %q not inherited from light %q", th.Text, light.Text)
	}
	th, err = Parse([]byte(""), "empty")
	if err != nil || th.Name != "empty" {
		t.Errorf("an empty file is the dark theme under the file's name: %+v %v", th, err)
	}

	bad := map[string]string{
		"unknown field":  "nmae: x\n",
		"unknown colour": "colors:\n  purple: \"#ffffff\"\n",
		"bad colour":     "colors:\n  text: blue\n",
		"bad base":       "base: solarized\n",
		"bad name":       "name: \"Bad Name\"\n",
		"no series":      "series: []\n",
		"bad series":     "series: [\"#12\"]\n",
		"not yaml":       "colors: [\n",
		"wrong type":     "dark: maybe\n",
		"too many":       "series: [" + strings.Repeat("\"#000000\",", MaxSeries+1) + "]\n",
	}
	for name, in := range bad {
		if _, err := Parse([]byte(in), "x"); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Parse([]byte("colors:\n  text: blue\n"), "x"); err == nil || !strings.Contains(err.Error(), "colour text") {
		t.Errorf("the error does not name the field: %v", err)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.yaml", "colors:\n  accent: \"#123456\"\n")
	write("also.yml", "name: other\nbase: mono\n")
	write("broken.yaml", "colors:\n  accent: nope\n")
	write("dark.yaml", "base: light\n")
	write("dup.yaml", "name: good\n")
	write("readme.txt", "not a theme")
	loaded, errs := LoadDir(dir)
	var names []string
	for _, th := range loaded {
		names = append(names, th.Name)
	}
	if strings.Join(names, ",") != "good,other" {
		t.Errorf("loaded %v", names)
	}
	if len(errs) != 3 {
		t.Fatalf("errors %v", errs)
	}
	joined := ""
	for _, e := range errs {
		joined += e.Error() + "\n"
	}
	for _, want := range []string{"broken.yaml: theme broken: colour accent", "dark.yaml: theme dark: name taken by a built-in",
		"good.yaml: theme good: name already used by"} {
		if !strings.Contains(joined, want) {
			t.Errorf("errors lack %q:\n%s", want, joined)
		}
	}
	if l, e := LoadDir(filepath.Join(dir, "absent")); l != nil || e != nil {
		t.Errorf("a missing directory: %v %v", l, e)
	}
	c := NewCatalog(loaded)
	if _, err := c.Lookup("other"); err != nil {
		t.Error(err)
	}
	if _, err := c.Lookup("nope"); err == nil || !strings.Contains(err.Error(), "booth, dark, good, light, mono, other") {
		t.Errorf("lookup error %v", err)
	}
}

func TestUserDir(t *testing.T) {
	env := map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}
	if got := UserDir(func(k string) string { return env[k] }); got != "/x/fleettop/themes" {
		t.Errorf("got %s", got)
	}
	for _, xdg := range []string{"", "x"} { // unset, or relative, which the XDG spec says to ignore
		env["XDG_CONFIG_HOME"] = xdg
		if got := UserDir(func(k string) string { return env[k] }); got != "/h/.config/fleettop/themes" {
			t.Errorf("XDG_CONFIG_HOME=%q: got %s", xdg, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("name: dusk\nbase: light\ncolors:\n  accent: \"#ff8800\"\nseries: [\"#111111\"]\n"))
	f.Add([]byte(""))
	f.Add([]byte("colors: {text: 12, bad: \"#zzzzzz\"}\n"))
	f.Add([]byte("dark: true\nmono: false\nbold: true\nspacious: true\n"))
	f.Add([]byte("&a [*a, *a]\n"))
	f.Add([]byte("series: [" + strings.Repeat("\"1\",", 20) + "]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		th, err := Parse(data, "fuzz")
		if err != nil {
			return
		}
		if err := th.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid theme: %v", err)
		}
	})
}

package themes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/fleettop/fleettop/internal/xdg"
)

// MaxFileSize bounds a theme file; anything larger is not a palette.
const MaxFileSize = 64 << 10

// themeFile is the YAML shape of a user theme. Every field is optional; unset ones come from Base.
type themeFile struct {
	Name     string           `yaml:"name"`
	Base     string           `yaml:"base"`
	Dark     *bool            `yaml:"dark"`
	Mono     *bool            `yaml:"mono"`
	Bold     *bool            `yaml:"bold"`
	Spacious *bool            `yaml:"spacious"`
	Colors   map[string]Color `yaml:"colors"`
	Series   []Color          `yaml:"series"`
}

// Parse reads one YAML theme. fallbackName names the theme when the file does not (the file name without
// extension). The theme starts as a copy of its base (a built-in, dark by default) and must validate.
func Parse(data []byte, fallbackName string) (Theme, error) {
	if len(data) > MaxFileSize {
		return Theme{}, fmt.Errorf("theme: %d bytes, at most %d", len(data), MaxFileSize)
	}
	var f themeFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return Theme{}, fmt.Errorf("theme: %w", err)
	}
	base := f.Base
	if base == "" {
		base = Dark
	}
	t, ok := Builtin(base)
	if !ok {
		return Theme{}, fmt.Errorf("theme: base %q: want one of %s", base, strings.Join(BuiltinNames(), ", "))
	}
	t.Name = f.Name
	if t.Name == "" {
		t.Name = fallbackName
	}
	setBool(&t.Dark, f.Dark)
	setBool(&t.Mono, f.Mono)
	setBool(&t.Bold, f.Bold)
	setBool(&t.Spacious, f.Spacious)
	keys := make([]string, 0, len(f.Colors))
	for k := range f.Colors {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first bad key reported is the same on every run
	for _, k := range keys {
		p := t.colorByName(k)
		if p == nil {
			return Theme{}, fmt.Errorf("theme %s: unknown colour %q: want one of %s", t.Name, k, strings.Join(colorNames(), ", "))
		}
		*p = f.Colors[k]
	}
	if f.Series != nil {
		t.Series = f.Series
	}
	if err := t.Validate(); err != nil {
		return Theme{}, err
	}
	return t, nil
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

func (t *Theme) colorByName(name string) *Color {
	switch name {
	case "text":
		return &t.Text
	case "muted":
		return &t.Muted
	case "accent":
		return &t.Accent
	case "border":
		return &t.Border
	case "header":
		return &t.Header
	case "select_fg":
		return &t.SelectFg
	case "select_bg":
		return &t.SelectBg
	case "good":
		return &t.Good
	case "warn":
		return &t.Warn
	case "bad":
		return &t.Bad
	case "badge_fg":
		return &t.BadgeFg
	case "badge_bg":
		return &t.BadgeBg
	case "spark":
		return &t.Spark
	}
	return nil
}

func colorNames() []string {
	fields := Theme{}.colorFields()
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return names
}

// UserDir is where user themes live: $XDG_CONFIG_HOME/fleettop/themes, or ~/.config/fleettop/themes (see
// internal/xdg); "" without a home directory. getenv is os.Getenv in production; tests pass their own.
func UserDir(getenv func(string) string) string {
	dir, err := xdg.Env(getenv).Config("themes")
	if err != nil {
		return ""
	}
	return dir
}

// LoadDir reads every *.yaml and *.yml theme in dir. A bad file is reported by name in errs and the others still
// load; a missing directory is not an error. Themes are returned sorted by name; a later file with a name already
// taken (or a built-in's) is an error for that file.
func LoadDir(dir string) (loaded []Theme, errs []error) {
	if dir == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, []error{fmt.Errorf("themes: %w", err)}
	}
	seen := map[string]string{}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		t, err := loadFile(path, strings.TrimSuffix(e.Name(), ext))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
			continue
		}
		if _, ok := builtin[t.Name]; ok {
			errs = append(errs, fmt.Errorf("%s: theme %s: name taken by a built-in theme", path, t.Name))
			continue
		}
		if other, ok := seen[t.Name]; ok {
			errs = append(errs, fmt.Errorf("%s: theme %s: name already used by %s", path, t.Name, other))
			continue
		}
		seen[t.Name] = path
		loaded = append(loaded, t)
	}
	sort.Slice(loaded, func(i, j int) bool { return loaded[i].Name < loaded[j].Name })
	return loaded, errs
}

func loadFile(path, fallbackName string) (Theme, error) {
	f, err := os.Open(path)
	if err != nil {
		return Theme{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return Theme{}, err
	}
	return Parse(data, fallbackName)
}

// Catalog is the built-in themes plus the user's.
type Catalog struct {
	user map[string]Theme
}

// NewCatalog makes a catalog of the built-ins and the given user themes.
func NewCatalog(user []Theme) *Catalog {
	c := &Catalog{user: make(map[string]Theme, len(user))}
	for _, t := range user {
		c.user[t.Name] = t
	}
	return c
}

// Lookup finds a theme by name, built-ins first.
func (c *Catalog) Lookup(name string) (Theme, error) {
	if t, ok := Builtin(name); ok {
		return t, nil
	}
	if c != nil {
		if t, ok := c.user[name]; ok {
			return t, nil
		}
	}
	return Theme{}, fmt.Errorf("theme %q not found: have %s", name, strings.Join(c.Names(), ", "))
}

// Names lists every theme in the catalog, sorted.
func (c *Catalog) Names() []string {
	names := BuiltinNames()
	if c != nil {
		for n := range c.user {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// LoadUser loads the user's themes (UserDir) into a catalog with the built-ins; errs name each bad file.
func LoadUser(getenv func(string) string) (*Catalog, []error) {
	user, errs := LoadDir(UserDir(getenv))
	return NewCatalog(user), errs
}

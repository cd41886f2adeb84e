// Package views keeps named views (saved sets of command-line windows) as one validated YAML file per view,
// written atomically.
package views

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fleettop/fleettop/internal/atomicfile"
	"github.com/fleettop/fleettop/internal/xdg"
	"github.com/fleettop/fleettop/model/query"
)

// Ext is the file extension of a view file.
const Ext = ".yaml"

// Store is a directory of view files, NAME.yaml each. It implements query.ViewStore.
type Store struct {
	dir string
}

var _ query.ViewStore = (*Store)(nil)

// New returns the store in dir; the directory is created on the first Save.
func New(dir string) *Store { return &Store{dir: dir} }

// staleTempAge is how old a temporary file of an interrupted save must be before Open removes it: younger ones
// may belong to a save still running in another fleettop.
const staleTempAge = time.Minute

// Open returns the store in dir like New, first removing the temporary files that saves killed mid-write
// (SIGKILL, power loss) left behind (".NAME.yaml.*.tmp", older than a minute). The store is usable even when
// the error (naming what could not be removed) is not nil.
func Open(dir string) (*Store, error) {
	s := New(dir)
	if _, err := atomicfile.RemoveStale(dir, time.Now().Add(-staleTempAge)); err != nil {
		return s, fmt.Errorf("views: removing temporary files in %s: %w", dir, err)
	}
	return s, nil
}

// DefaultDir is $XDG_CONFIG_HOME/fleettop/views, or ~/.config/fleettop/views (see internal/xdg).
func DefaultDir() (string, error) {
	dir, err := xdg.Env(os.Getenv).Config("views")
	if err != nil {
		return "", fmt.Errorf("views directory: %w", err)
	}
	return dir, nil
}

// Dir is the directory the store uses.
func (s *Store) Dir() string { return s.dir }

// FileError is a view file that cannot be read or does not validate.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("view file %s: %v", e.Path, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }

// ErrNotFound is returned (wrapped) for a view that has no file.
var ErrNotFound = errors.New("no such view")

// CheckName accepts the names query.ValidViewName accepts, with an error that says which they are.
func CheckName(name string) error {
	if !query.ValidViewName(name) {
		return fmt.Errorf("view name %q: want letters, digits, '_', '-', '.' (at most 64, not starting with '.' or '-')", name)
	}
	return nil
}

func (s *Store) path(name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", err
	}
	return filepath.Join(s.dir, name+Ext), nil
}

// Save validates v and writes it atomically, replacing any view of that name: a failure at any step leaves
// the previous file as it was.
func (s *Store) Save(v query.View) error {
	path, err := s.path(v.Name)
	if err != nil {
		return err
	}
	data, err := Marshal(v)
	if err != nil {
		return fmt.Errorf("save view %s: %w", v.Name, err)
	}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return fmt.Errorf("save view %s: %w", v.Name, err)
	}
	if err := writeAtomic(path, data); err != nil {
		return fmt.Errorf("save view %s: %w", v.Name, err)
	}
	return nil
}

// Load reads and validates one view.
func (s *Store) Load(name string) (query.View, error) {
	path, err := s.path(name)
	if err != nil {
		return query.View{}, err
	}
	return loadFile(path, name)
}

func loadFile(path, name string) (query.View, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return query.View{}, fmt.Errorf("view %s: %w", name, ErrNotFound)
		}
		return query.View{}, &FileError{Path: path, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return query.View{}, &FileError{Path: path, Err: err}
	}
	v, err := Unmarshal(name, data)
	if err != nil {
		return query.View{}, &FileError{Path: path, Err: err}
	}
	return v, nil
}

// List loads every view, sorted by name. Files that do not load are skipped and reported together in the
// error (each a *FileError naming its file); the views that load are returned all the same. Hidden files
// (such as the temporary file of an interrupted save) are ignored.
func (s *Store) List() ([]query.View, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("list views in %s: %w", s.dir, err)
	}
	var out []query.View
	var errs []error
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), Ext)
		if !ok || strings.HasPrefix(e.Name(), ".") || e.IsDir() {
			continue
		}
		path := filepath.Join(s.dir, e.Name())
		if !query.ValidViewName(name) {
			errs = append(errs, &FileError{Path: path, Err: errors.New("file name is not a valid view name")})
			continue
		}
		v, err := loadFile(path, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, errors.Join(errs...)
}

// Nth is the i-th view (1 to 9) in List order, for the number keys.
func (s *Store) Nth(i int) (query.View, error) {
	if i < 1 || i > 9 {
		return query.View{}, fmt.Errorf("view number %d: want 1 to 9", i)
	}
	list, err := s.List()
	if i > len(list) {
		if err != nil {
			return query.View{}, fmt.Errorf("view number %d: only %d views load: %w", i, len(list), err)
		}
		return query.View{}, fmt.Errorf("view number %d: only %d views saved: %w", i, len(list), ErrNotFound)
	}
	return list[i-1], nil
}

// Delete removes a view.
func (s *Store) Delete(name string) error {
	path, err := s.path(name)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("view %s: %w", name, ErrNotFound)
		}
		return fmt.Errorf("remove view %s: %w", name, err)
	}
	return atomicfile.SyncDir(s.dir)
}

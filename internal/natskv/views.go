package natskv

import (
	"errors"
	"fmt"

	"github.com/fleettop/fleettop/model/query"
	"github.com/fleettop/fleettop/model/views"
)

// ViewsKind is the kind (key prefix) of saved views.
const ViewsKind = "views"

// Views are the saved views of a bucket, each stored as the YAML its file would hold (views.Marshal). It
// implements query.ViewStore.
type Views struct{ B *Bucket }

var _ query.ViewStore = Views{}

// KeyError is a document of the bucket that does not validate.
type KeyError struct {
	Bucket, Key string
	Err         error
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("bucket %s, key %s: %v", e.Bucket, e.Key, e.Err)
}
func (e *KeyError) Unwrap() error { return e.Err }

// Save validates v and stores it, replacing any view of that name.
func (s Views) Save(v query.View) error {
	if err := views.CheckName(v.Name); err != nil {
		return err
	}
	data, err := views.Marshal(v)
	if err != nil {
		return fmt.Errorf("save view %s: %w", v.Name, err)
	}
	if err := s.B.Put(ViewsKind, v.Name, data); err != nil {
		return fmt.Errorf("save view %s: %w", v.Name, err)
	}
	return nil
}

// Load reads and validates one view from the copy, even a copy that may be out of date (List says so, and
// the status line).
func (s Views) Load(name string) (query.View, error) {
	if err := views.CheckName(name); err != nil {
		return query.View{}, err
	}
	d, err := s.B.Get(ViewsKind, name)
	if errors.Is(err, ErrNotFound) {
		return query.View{}, fmt.Errorf("view %s: %w: %w", name, views.ErrNotFound, err)
	}
	v, verr := views.Unmarshal(name, d.Value)
	if verr != nil {
		return query.View{}, &KeyError{Bucket: s.B.Name(), Key: ViewsKind + "." + name, Err: verr}
	}
	return v, nil
}

// List loads every view of the copy, sorted by name. Those that do not load are skipped and reported in the
// error, with a copy that may be out of date.
func (s Views) List() ([]query.View, error) {
	docs, stale := s.B.List(ViewsKind)
	var out []query.View
	errs := []error{stale}
	for _, d := range docs {
		v, err := views.Unmarshal(d.Name, d.Value)
		if err != nil {
			errs = append(errs, &KeyError{Bucket: s.B.Name(), Key: ViewsKind + "." + d.Name, Err: err})
			continue
		}
		out = append(out, v)
	}
	return out, errors.Join(errs...)
}

// Delete removes a view.
func (s Views) Delete(name string) error {
	if err := views.CheckName(name); err != nil {
		return err
	}
	err := s.B.Delete(ViewsKind, name)
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("view %s: %w", name, views.ErrNotFound)
	}
	return err
}

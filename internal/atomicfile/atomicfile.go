// Package atomicfile replaces files so that readers and crashes see the old content or the new, never a torn file.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Seams for tests that simulate a failing disk; production code never changes them.
var (
	Rename = os.Rename
	Sync   = (*os.File).Sync
)

// Write writes data to a hidden temporary file in path's directory (".NAME.*.tmp"), syncs it, renames it over
// path and syncs the directory. On error the temporary file is removed and path is untouched.
func Write(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err = f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err = Sync(f); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = Rename(tmp, path); err != nil {
		return err
	}
	return SyncDir(dir)
}

// SyncDir makes a directory's entries durable: after a rename or a remove in it.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

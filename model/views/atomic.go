package views

import (
	"os"
	"path/filepath"
)

// Seams for tests that simulate a failing disk; production code never changes them.
var (
	renameFile = os.Rename
	syncFile   = (*os.File).Sync
)

// writeAtomic writes data to a temporary file in path's directory, syncs it, renames it over path and syncs
// the directory: readers see the old file or the new one, never a torn one, and a crash leaves at most a
// hidden temporary file, which List ignores.
func writeAtomic(path string, data []byte) (err error) {
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
	if err = f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err = syncFile(f); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = renameFile(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

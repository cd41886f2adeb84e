package model

import (
	"bytes"
	"fmt"

	"github.com/fleettop/fleettop/internal/atomicfile"
)

// WriteJSONFile writes the snapshot as WriteJSON does to path, atomically: a reader sees the previous file or
// the whole new one, never a torn file. It is the one writer of snapshot files: the dashboard's ctrl+s and
// --snapshot-json both use it, so the two are byte for byte the same for the same snapshot.
func (s *Snapshot) WriteJSONFile(path string) error {
	var b bytes.Buffer
	if err := s.WriteJSON(&b); err != nil {
		return err
	}
	if err := atomicfile.Write(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("snapshot json: %w", err)
	}
	return nil
}

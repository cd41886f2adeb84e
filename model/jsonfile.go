package model

import (
	"context"
	"fmt"
	"io"

	"github.com/fleettop/fleettop/internal/atomicfile"
)

// WriteJSONFile writes the snapshot as WriteJSON does to path, atomically: a reader sees the previous file or
// the whole new one, never a torn file. It is the one writer of snapshot files: the dashboard's ctrl+s and
// --snapshot-json both use it, so the two are byte for byte the same for the same snapshot.
func (s *Snapshot) WriteJSONFile(path string) error {
	return s.WriteJSONFileContext(context.Background(), path)
}

// WriteJSONFileContext is WriteJSONFile, streamed into the file as it encodes; when ctx ends first the file is
// left as it was and the error says so.
func (s *Snapshot) WriteJSONFileContext(ctx context.Context, path string) error {
	err := atomicfile.WriteFunc(path, 0o644, func(w io.Writer) error { return s.WriteJSONContext(ctx, w) })
	if err != nil {
		return fmt.Errorf("snapshot json: %w", err)
	}
	return nil
}

package views

import "github.com/fleettop/fleettop/internal/atomicfile"

// writeAtomic writes a view file so that readers see the old view or the new one, never a torn one; a crash
// leaves at most a hidden temporary file, which List ignores.
func writeAtomic(path string, data []byte) error { return atomicfile.Write(path, data, 0o644) }

package model

import "slices"

// edit is one change of a sorted list of rows: old leaves it (nil: none), new enters it (nil: none).
type edit[T any] struct{ old, new *T }

// applyEdits returns a new list: prev (sorted by cmp, keys unique) with the edits applied, still sorted. prev
// is not modified: snapshots share it. A row replaced by one with the same key keeps its place; the others
// are removed and merged in, in O(len(prev) + k log k) for k edits.
func applyEdits[T any](prev []*T, edits []edit[T], cmp func(a, b *T) int) []*T {
	out := slices.Clone(prev)
	var gone []int
	var added []*T
	for _, e := range edits {
		if e.old != nil {
			i, found := slices.BinarySearchFunc(out, e.old, cmp)
			switch {
			case !found || out[i] != e.old:
				// not listed (it never was): nothing to take out
			case e.new != nil && cmp(e.old, e.new) == 0:
				out[i] = e.new
				continue
			default:
				gone = append(gone, i)
			}
		}
		if e.new != nil {
			added = append(added, e.new)
		}
	}
	if len(gone) == 0 && len(added) == 0 {
		return out
	}
	slices.Sort(gone)
	kept := out[:0]
	for i, r := range out {
		if len(gone) > 0 && gone[0] == i {
			for len(gone) > 0 && gone[0] == i {
				gone = gone[1:]
			}
			continue
		}
		kept = append(kept, r)
	}
	slices.SortFunc(added, cmp)
	merged := make([]*T, 0, len(kept)+len(added))
	i, j := 0, 0
	for i < len(kept) && j < len(added) {
		if cmp(added[j], kept[i]) < 0 {
			merged = append(merged, added[j])
			j++
		} else {
			merged = append(merged, kept[i])
			i++
		}
	}
	merged = append(merged, kept[i:]...)
	return append(merged, added[j:]...)
}

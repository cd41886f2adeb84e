package ui

import (
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"

	"github.com/charmbracelet/x/ansi"

	"github.com/fleettop/fleettop/model"
)

func stripANSI(s string) string { return ansi.Strip(s) }

// saveSnapshot writes the screen as text and the shown Snapshot as JSON next to it, and says where.
func (m *Model) saveSnapshot() {
	dir := m.opt.SnapDir
	if dir == "" {
		dir = "."
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	stamp := m.c.Now().Format("20060102-150405")
	txt, js, err := writeSnapshotFiles(dir, "fleettop-"+stamp, m.Screen(), m.snap)
	if err != nil {
		m.setMessage(err.Error(), toneBad)
		return
	}
	m.setMessage("saved the screen to "+txt+" and the snapshot to "+js, toneGood)
}

// writeSnapshotFiles writes base.txt (the screen) and base.json (the snapshot) in dir and returns their paths.
func writeSnapshotFiles(dir, base, screen string, s *model.Snapshot) (txtPath, jsonPath string, err error) {
	txtPath = filepath.Join(dir, base+".txt")
	jsonPath = filepath.Join(dir, base+".json")
	if err := os.WriteFile(txtPath, []byte(screen+"\n"), 0o644); err != nil {
		return "", "", fmt.Errorf("save screen: %w", err)
	}
	data, err := json.MarshalIndent(jsonSafe(reflect.ValueOf(s)), "", "  ")
	if err != nil {
		return "", "", fmt.Errorf("save snapshot %s: %w", jsonPath, err)
	}
	if err := os.WriteFile(jsonPath, append(data, '\n'), 0o644); err != nil {
		return "", "", fmt.Errorf("save snapshot: %w", err)
	}
	return txtPath, jsonPath, nil
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// jsonSafe turns v into plain JSON values with NaN and ±Inf as null (encoding/json refuses them, and the
// snapshot uses NaN for "no data").
func jsonSafe(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	t := v.Type()
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			return nil
		}
		return v.Interface()
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return jsonSafe(v.Elem())
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return f
	case reflect.Struct:
		out := make(map[string]any, t.NumField())
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			out[f.Name] = jsonSafe(v.Field(i))
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = jsonSafe(v.Index(i))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		it := v.MapRange()
		for it.Next() {
			out[fmt.Sprint(it.Key().Interface())] = jsonSafe(it.Value())
		}
		return out
	}
	return v.Interface()
}

package views

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/fleettop/fleettop/model/query"
	"go.yaml.in/yaml/v3"
)

// FormatVersion is the version of the view file format this package writes and reads.
const FormatVersion = 1

// maxFileSize bounds a view file; anything larger is not a view.
const maxFileSize = 1 << 20

// viewFile is the on-disk form of a view, decoupled from query.View so the format is explicit and checked
// field by field.
type viewFile struct {
	Version    int             `yaml:"version"`
	Name       string          `yaml:"name"`
	Windows    []windowFile    `yaml:"windows"`
	Thresholds []thresholdFile `yaml:"thresholds,omitempty"`
}

type windowFile struct {
	Name    string            `yaml:"name"`
	Targets []targetFile      `yaml:"targets,omitempty"`
	From    string            `yaml:"from,omitempty"`
	Until   string            `yaml:"until,omitempty"`
	Title   string            `yaml:"title,omitempty"`
	VTitle  string            `yaml:"vtitle,omitempty"`
	YMin    *float64          `yaml:"yMin,omitempty"`
	YMax    *float64          `yaml:"yMax,omitempty"`
	Every   string            `yaml:"every,omitempty"`
	Params  map[string]string `yaml:"params,omitempty"`
	Layout  *layoutFile       `yaml:"layout,omitempty"`
}

type layoutFile struct {
	Top    int `yaml:"top"`
	Left   int `yaml:"left"`
	Width  int `yaml:"width"`
	Height int `yaml:"height"`
}

// targetFile is a plain string for a target evaluated everywhere, or {target: ..., source: NAME} for one
// pinned to a source.
type targetFile struct {
	Expr   string
	Source string
}

func (t targetFile) MarshalYAML() (any, error) {
	if t.Source == "" {
		return t.Expr, nil
	}
	return struct {
		Target string `yaml:"target"`
		Source string `yaml:"source"`
	}{t.Expr, t.Source}, nil
}

func (t *targetFile) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		t.Expr = n.Value
		return nil
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: target field %q must be a string", v.Line, k.Value)
			}
			switch k.Value {
			case "target":
				t.Expr = v.Value
			case "source":
				t.Source = v.Value
			default:
				return fmt.Errorf("line %d: unknown target field %q (want target, source)", k.Line, k.Value)
			}
		}
		if t.Expr == "" {
			return fmt.Errorf("line %d: target without an expression", n.Line)
		}
		return nil
	}
	return fmt.Errorf("line %d: a target is a string or {target, source}", n.Line)
}

// Marshal encodes a view in the file format (after checking it).
func Marshal(v query.View) ([]byte, error) {
	if err := query.CheckView(v, time.Now()); err != nil {
		return nil, err
	}
	f := viewFile{Version: FormatVersion, Name: v.Name, Windows: make([]windowFile, 0, len(v.Windows))}
	for _, w := range v.Windows {
		wf := windowFile{Name: w.Name, From: w.From, Until: w.Until, Title: w.Title, VTitle: w.VTitle,
			YMin: w.YMin, YMax: w.YMax, Params: w.Params}
		for _, t := range w.Targets {
			wf.Targets = append(wf.Targets, targetFile{Expr: t.Expr, Source: t.Source})
		}
		if w.Every > 0 {
			wf.Every = w.Every.String()
		}
		if w.Layout != (query.Layout{}) {
			wf.Layout = &layoutFile{Top: w.Layout.Top, Left: w.Layout.Left, Width: w.Layout.Width, Height: w.Layout.Height}
		}
		f.Windows = append(f.Windows, wf)
	}
	for _, t := range v.Thresholds {
		f.Thresholds = append(f.Thresholds, thresholdToFile(t))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# fleettop view %q: the windows and thresholds `load %s` restores.\n", v.Name, v.Name)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("encode view %s: %w", v.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode view %s: %w", v.Name, err)
	}
	return b.Bytes(), nil
}

// Unmarshal decodes and validates a view file; name is the view's name from the file name, and a name field
// inside the file must agree with it.
func Unmarshal(name string, data []byte) (query.View, error) {
	if len(data) > maxFileSize {
		return query.View{}, fmt.Errorf("file is larger than %d bytes", maxFileSize)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f viewFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return query.View{}, errors.New("empty file")
		}
		return query.View{}, fmt.Errorf("yaml: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return query.View{}, errors.New("more than one YAML document")
	}
	if f.Version != FormatVersion {
		return query.View{}, fmt.Errorf("version %d: this fleettop reads version %d", f.Version, FormatVersion)
	}
	if f.Name != "" && f.Name != name {
		return query.View{}, fmt.Errorf("name %q does not match the file name %q", f.Name, name)
	}
	v := query.View{Name: name}
	for i, wf := range f.Windows {
		w := query.Window{Name: wf.Name, From: wf.From, Until: wf.Until, Title: wf.Title, VTitle: wf.VTitle,
			YMin: wf.YMin, YMax: wf.YMax, Params: wf.Params}
		for _, t := range wf.Targets {
			w.Targets = append(w.Targets, query.Target{Expr: t.Expr, Source: t.Source})
		}
		for _, p := range []*float64{w.YMin, w.YMax} {
			if p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0)) {
				return query.View{}, fmt.Errorf("window %d (%s): yMin/yMax must be finite", i+1, wf.Name)
			}
		}
		if wf.Every != "" {
			d, err := time.ParseDuration(wf.Every)
			if err != nil {
				if d, err = query.ParseEvery(wf.Every); err != nil {
					return query.View{}, fmt.Errorf("window %d (%s): every: %w", i+1, wf.Name, err)
				}
			}
			w.Every = d
		}
		if wf.Layout != nil {
			w.Layout = query.Layout{Top: wf.Layout.Top, Left: wf.Layout.Left, Width: wf.Layout.Width, Height: wf.Layout.Height}
		}
		v.Windows = append(v.Windows, w)
	}
	for i, tf := range f.Thresholds {
		t, err := tf.threshold()
		if err != nil {
			return query.View{}, fmt.Errorf("threshold %d (%s): %w", i+1, tf.Name, err)
		}
		v.Thresholds = append(v.Thresholds, t)
	}
	if err := query.CheckView(v, time.Now()); err != nil {
		return query.View{}, err
	}
	return v, nil
}

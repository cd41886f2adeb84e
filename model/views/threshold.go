package views

import (
	"fmt"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

// thresholdFile is the on-disk form of a threshold; for is a Go duration ("30s"), clear is left out when the
// threshold uses the default margin.
type thresholdFile struct {
	Name   string   `yaml:"name"`
	Target string   `yaml:"target"`
	Op     string   `yaml:"op"`
	Value  float64  `yaml:"value"`
	For    string   `yaml:"for,omitempty"`
	Clear  *float64 `yaml:"clear,omitempty"`
}

func thresholdToFile(t query.Threshold) thresholdFile {
	f := thresholdFile{Name: t.Name, Target: t.Target, Op: t.Op, Value: t.Value, Clear: t.Clear}
	if t.For > 0 {
		f.For = t.For.String()
	}
	return f
}

// threshold is the threshold the file describes; query.CheckView validates the rest.
func (f thresholdFile) threshold() (query.Threshold, error) {
	t := query.Threshold{Name: f.Name, Target: f.Target, Op: f.Op, Value: f.Value, Clear: f.Clear}
	if f.For != "" {
		d, err := time.ParseDuration(f.For)
		if err != nil {
			return t, fmt.Errorf("for: %w", err)
		}
		t.For = d
	}
	return t, nil
}

package enc

import (
	"errors"
	"fmt"
)

// Defaults for zero Limits fields. A CMDB exporting every column gives a few hundred values; Foreman's
// answers, with interfaces and subnets, a few thousand bytes.
const (
	DefaultMaxBytes  = 1 << 20 // bytes of one answer
	DefaultMaxValues = 10_000  // YAML values (scalars, lists, mappings, aliases expanded) in one node
)

// maxNodeFileBytes bounds a node file holding every host's node (FileSource on a file).
const maxNodeFileBytes = 4 << 20

// ErrLimit is wrapped by the errors of answers over a Limits bound.
var ErrLimit = errors.New("enc answer over its limit")

// Limits bound what one ENC answer may cost; zero fields take the defaults above. An answer over a bound is a
// failed lookup whose error wraps ErrLimit and names the bound.
type Limits struct {
	MaxBytes  int // bytes of one answer (a classifier's stdout, a CERTNAME.yaml file)
	MaxValues int // values in one node
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxValues <= 0 {
		l.MaxValues = DefaultMaxValues
	}
	return l
}

func (l Limits) tooLarge() error {
	return fmt.Errorf("answer larger than %d bytes: %w", l.MaxBytes, ErrLimit)
}

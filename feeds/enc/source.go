package enc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// Source answers for one certname at a time. Lookup returns an error wrapping ErrNotFound when the source does
// not know the node, and must give up when ctx is done: the Resolver relies on that for its timeout.
type Source interface {
	Lookup(ctx context.Context, certname string) (*Node, error)
}

// maxCertname is the longest name passed on; a DNS name is at most 253 bytes.
const maxCertname = 255

// checkCertname accepts what Puppet recommends for certnames (`\A[a-z0-9._-]+\Z`), minus a leading '-' or '.':
// names reach us from the network and become a command argument or a file name, where those would be read as
// an option or a hidden or parent path.
func checkCertname(name string) error {
	if name == "" {
		return errors.New("empty certname")
	}
	if len(name) > maxCertname {
		return fmt.Errorf("certname longer than %d bytes", maxCertname)
	}
	if name[0] == '-' || name[0] == '.' {
		return fmt.Errorf("certname %q starts with %q", name, name[0])
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return fmt.Errorf("certname %q: character %q is not one of a-z 0-9 . _ -", name, c)
		}
	}
	return nil
}

// StaticSource answers from a fixed map, for the demo fleet and tests.
type StaticSource struct {
	nodes map[string]*Node
}

// NewStaticSource copies nodes (keys lower-cased, without touching the caller's Nodes). A nil Node is not found.
func NewStaticSource(nodes map[string]*Node) *StaticSource {
	s := &StaticSource{nodes: make(map[string]*Node, len(nodes))}
	for name, n := range nodes {
		if n == nil {
			continue
		}
		c := *n
		c.seal()
		s.nodes[strings.ToLower(name)] = &c
	}
	return s
}

// Lookup returns the node stored under certname.
func (s *StaticSource) Lookup(ctx context.Context, certname string) (*Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if n, ok := s.nodes[certname]; ok {
		return n, nil
	}
	return nil, fmt.Errorf("enc static %s: %w", certname, ErrNotFound)
}

// FileSource answers from YAML on disk: either one file mapping certnames to nodes, re-read when it changes,
// or a directory holding one CERTNAME.yaml per node in ENC output form (like Foreman's node cache).
type FileSource struct {
	path   string
	dir    bool
	limits Limits

	interned interner // a directory's identical files share one Node

	mu      sync.Mutex
	modTime time.Time
	size    int64
	nodes   map[string]*Node
	errs    map[string]error // nodes in the file that did not parse; the others still answer
}

// NewFileSource opens path, a node file or a directory of node files. A node file is read now, so a broken one
// is reported at start. lim bounds each node: a directory's CERTNAME.yaml files, or each entry of a node file
// (which may hold 4 MiB in all).
func NewFileSource(path string, lim Limits) (*FileSource, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("enc file: %w", err)
	}
	s := &FileSource{path: path, dir: info.IsDir(), limits: lim.withDefaults()}
	if !s.dir {
		s.mu.Lock()
		defer s.mu.Unlock()
		if err := s.reload(info); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Lookup returns the node for certname.
func (s *FileSource) Lookup(ctx context.Context, certname string) (*Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.dir {
		return s.lookupDir(certname)
	}
	return s.lookupFile(certname)
}

func (s *FileSource) lookupDir(certname string) (*Node, error) {
	if err := checkCertname(certname); err != nil {
		return nil, fmt.Errorf("enc dir %s: %w", s.path, err)
	}
	name := filepath.Join(s.path, certname+".yaml")
	lim := s.limits
	data, err := readLimited(name, lim.MaxBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("enc file %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("enc file: %w", err)
	}
	n, err := s.interned.parse(data, lim)
	if err != nil {
		return nil, fmt.Errorf("enc file %s: %w", name, err)
	}
	return n, nil
}

func (s *FileSource) lookupFile(certname string) (*Node, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info, err := os.Stat(s.path)
	if err != nil {
		return nil, fmt.Errorf("enc file: %w", err)
	}
	if !info.ModTime().Equal(s.modTime) || info.Size() != s.size {
		if err := s.reload(info); err != nil {
			return nil, err
		}
	}
	if n, ok := s.nodes[certname]; ok {
		return n, nil
	}
	if err, ok := s.errs[certname]; ok {
		return nil, err
	}
	return nil, fmt.Errorf("enc file %s: %s: %w", s.path, certname, ErrNotFound)
}

// reload parses the node file; on error the previous nodes are dropped, so lookups report the broken file
// (the Resolver keeps the answers it already has).
func (s *FileSource) reload(info fs.FileInfo) error {
	s.nodes, s.errs = nil, nil
	s.modTime, s.size = info.ModTime(), info.Size()
	data, err := readLimited(s.path, maxNodeFileBytes)
	if err != nil {
		return fmt.Errorf("enc file: %w", err)
	}
	nodes, errs, err := parseNodeFile(data, s.limits.MaxValues)
	if err != nil {
		// Forget the stamp so the next lookup tries again instead of repeating a stale error forever.
		s.modTime, s.size = time.Time{}, -1
		return fmt.Errorf("enc file %s: %w", s.path, err)
	}
	for name, err := range errs {
		errs[name] = fmt.Errorf("enc file %s: node %s: %w", s.path, name, err)
	}
	s.nodes, s.errs = nodes, errs
	return nil
}

// parseNodeFile reads a mapping of certname → node, each of at most maxValues values. An empty file holds no
// nodes; a null node is not found.
func parseNodeFile(data []byte, maxValues int) (map[string]*Node, map[string]error, error) {
	nodes := make(map[string]*Node)
	errs := make(map[string]error)
	if len(strings.TrimSpace(string(data))) == 0 {
		return nodes, errs, nil
	}
	root, err := parseDocument(data)
	if err != nil {
		return nil, nil, err
	}
	for root.Kind == yaml.AliasNode && root.Alias != nil {
		root = root.Alias
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, &ParseError{Line: root.Line, Column: root.Column,
			Err: errors.New("want a mapping of certname to node")}
	}
	c := newConverter(data)
	for i := 0; i+1 < len(root.Content); i += 2 {
		keyNode, valNode := root.Content[i], root.Content[i+1]
		if keyNode.Kind != yaml.ScalarNode {
			return nil, nil, &ParseError{Line: keyNode.Line, Column: keyNode.Column,
				Err: errors.New("certname is not a scalar")}
		}
		name := strings.ToLower(keyNode.Value)
		delete(nodes, name)
		delete(errs, name)
		if valNode.Kind == yaml.ScalarNode && valNode.ShortTag() == "!!null" {
			errs[name] = fmt.Errorf("empty entry: %w", ErrNotFound)
			continue
		}
		c.startNode(maxValues)
		n, err := nodeFromYAML(c, valNode)
		if err != nil {
			errs[name] = err
			continue
		}
		nodes[name] = n
	}
	return nodes, errs, nil
}

// readLimited reads file name, refusing one larger than limit bytes with an error wrapping ErrLimit.
func readLimited(name string, limit int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes: %w", name, limit, ErrLimit)
	}
	return data, nil
}

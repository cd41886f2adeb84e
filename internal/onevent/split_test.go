package onevent

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	cases := []struct {
		line string
		want []string
	}{
		{"notify", []string{"notify"}},
		{"  /usr/bin/logger  -t fleettop\t", []string{"/usr/bin/logger", "-t", "fleettop"}},
		{`sh -c 'cat >> "$HOME/events.log"'`, []string{"sh", "-c", `cat >> "$HOME/events.log"`}},
		{`page "on call" it\'s`, []string{"page", "on call", "it's"}},
		{`a "x\"y\\z\$\n"`, []string{"a", `x"y\z$\n`}},
		{`a''b "" ''`, []string{"ab", "", ""}},
		{"a \\\n b", []string{"a", "b"}},
		{`a\ b`, []string{"a b"}},
	}
	for _, c := range cases {
		got, err := Split(c.line)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q) = %q, %v; want %q", c.line, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "   ", `a 'b`, `a "b`, `a \`, strings.Repeat("x", MaxCommandLine+1)} {
		if got, err := Split(bad); err == nil {
			t.Errorf("Split(%q) = %q, want an error", bad, got)
		}
	}
}

// quote is the POSIX single-quoting of a word.
func quote(w string) string { return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'" }

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"notify --to ops", `sh -c 'cat > /tmp/x'`, `a "b\"c" d\ e`, "a \\\n b", `'`, `"\`, `a''b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words, err := Split(line)
		if err != nil {
			return
		}
		if len(words) == 0 {
			t.Fatalf("%q: no words and no error", line)
		}
		// the words, quoted again, split back to themselves
		q := make([]string, len(words))
		for i, w := range words {
			q[i] = quote(w)
		}
		joined := strings.Join(q, " ")
		if len(joined) > MaxCommandLine {
			return // quoting made it longer than a command line may be
		}
		again, err := Split(joined)
		if err != nil || !reflect.DeepEqual(again, words) {
			t.Fatalf("%q: %q quoted splits to %q, %v", line, words, again, err)
		}
	})
}

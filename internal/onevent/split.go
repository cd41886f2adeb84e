package onevent

import (
	"errors"
	"fmt"
	"strings"
)

// MaxCommandLine bounds the --on-event command line.
const MaxCommandLine = 4096

// Split cuts a command line into words as a POSIX shell would, without running one: words are separated by
// blanks; single quotes keep everything literally; double quotes keep everything but \" \\ \$ \` and \newline;
// outside quotes a backslash keeps the next character. There is no expansion ($VAR, globs, ~), no
// redirection and no pipes: write a script for those.
func Split(line string) ([]string, error) {
	if len(line) > MaxCommandLine {
		return nil, fmt.Errorf("command line longer than %d bytes", MaxCommandLine)
	}
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unclosed ' at byte %d", i)
			}
			w.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' && j+1 < len(line) && strings.IndexByte("\"\\$`\n", line[j+1]) >= 0 {
					j++
					if line[j] != '\n' {
						w.WriteByte(line[j])
					}
					continue
				}
				w.WriteByte(line[j])
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unclosed \" at byte %d", i)
			}
			i = j
			inWord = true
		case c == '\\':
			if i+1 >= len(line) {
				return nil, errors.New("a backslash ends the line")
			}
			i++
			if line[i] != '\n' { // a backslash-newline joins lines and is no word of its own
				w.WriteByte(line[i])
				inWord = true
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	if len(words) == 0 {
		return nil, errors.New("empty command")
	}
	return words, nil
}

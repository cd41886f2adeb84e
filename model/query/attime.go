package query

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Defaults of a render request (§2.2).
const (
	DefaultFrom  = "-24h"
	DefaultUntil = "now"
)

// maxOffset bounds offsets so arithmetic on them cannot overflow (±200 years).
const maxOffset = 200 * 365 * 24 * time.Hour

// atTimeNoise are the characters graphite-web deletes before parsing a time.
var atTimeNoise = strings.NewReplacer("_", "", ",", "", " ", "")

var monthNames = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
var weekdayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseTime parses a from/until value the way graphite-web's attime.parseATTime does: -20min, -1h30min, now,
// now-1h, HH:MM_YYYYMMDD, YYYYMMDD, epoch seconds, noon+yesterday, midnight, monday, jan+1, 12/31/25.
// Relative values are resolved against now, in now's location.
//
// A '+' is first read as a space, as graphite-web reads it in a URL (noon+yesterday, jan+1), and only if that
// fails as the sign of an offset (now+1h).
func ParseTime(s string, now time.Time) (time.Time, error) {
	if strings.Contains(s, "+") {
		if t, err := parseATTime(strings.ReplaceAll(s, "+", " "), s, now); err == nil {
			return t, nil
		}
	}
	return parseATTime(s, s, now)
}

func parseATTime(s, orig string, now time.Time) (time.Time, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = atTimeNoise.Replace(s)
	if s != "" && digits(s) == len(s) {
		if len(s) == 8 && atoi(s[:4]) > 1900 && atoi(s[4:6]) < 13 && atoi(s[6:]) < 32 {
			// YYYYMMDD, not an epoch: handled as a day reference below.
		} else {
			sec, err := strconv.ParseInt(s, 10, 64)
			if err != nil || sec > 1<<40 {
				return time.Time{}, fmt.Errorf("time %q: epoch out of range", orig)
			}
			return time.Unix(sec, 0).In(now.Location()), nil
		}
	} else if strings.Contains(s, ":") && len(s) == 13 {
		t, err := time.ParseInLocation("15:0420060102", s, now.Location())
		if err != nil {
			return time.Time{}, fmt.Errorf("time %q: not HH:MM_YYYYMMDD", orig)
		}
		return t, nil
	}
	ref, offset := s, ""
	if i := strings.IndexByte(s, '+'); i >= 0 {
		ref, offset = s[:i], s[i:]
	} else if i := strings.IndexByte(s, '-'); i >= 0 {
		ref, offset = s[:i], s[i:]
	}
	t, err := parseTimeReference(ref, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", orig, err)
	}
	d, err := ParseOffset(offset)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", orig, err)
	}
	return t.Add(d), nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func parseTimeReference(ref string, now time.Time) (time.Time, error) {
	if ref == "" || ref == "now" {
		return now, nil
	}
	hour, minute := 0, 0
	if i := strings.IndexByte(ref, ':'); i > 0 && i < 3 {
		h, err1 := strconv.Atoi(ref[:i])
		if len(ref) < i+3 {
			return time.Time{}, fmt.Errorf("bad time of day %q", ref)
		}
		m, err2 := strconv.Atoi(ref[i+1 : i+3])
		if err1 != nil || err2 != nil || h > 23 || m > 59 {
			return time.Time{}, fmt.Errorf("bad time of day %q", ref)
		}
		hour, minute = h, m
		ref = ref[i+3:]
		if strings.HasPrefix(ref, "am") {
			ref = ref[2:]
		} else if strings.HasPrefix(ref, "pm") {
			hour = (hour + 12) % 24
			ref = ref[2:]
		}
	}
	if i := strings.Index(ref, "am"); i > 0 && i < 3 {
		h, err := strconv.Atoi(ref[:i])
		if err != nil || h > 12 {
			return time.Time{}, fmt.Errorf("bad hour in %q", ref)
		}
		hour, ref = h, ref[i+2:]
	}
	if i := strings.Index(ref, "pm"); i > 0 && i < 3 {
		h, err := strconv.Atoi(ref[:i])
		if err != nil || h > 12 {
			return time.Time{}, fmt.Errorf("bad hour in %q", ref)
		}
		hour, ref = (h+12)%24, ref[i+2:]
	}
	switch {
	case strings.HasPrefix(ref, "noon"):
		hour, minute, ref = 12, 0, ref[4:]
	case strings.HasPrefix(ref, "midnight"):
		hour, minute, ref = 0, 0, ref[8:]
	case strings.HasPrefix(ref, "teatime"):
		hour, minute, ref = 16, 0, ref[7:]
	}
	loc := now.Location()
	y, mo, d := now.Date()
	date := func(y, m, d int) (time.Time, error) {
		if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
			return time.Time{}, fmt.Errorf("no such date %04d-%02d-%02d", y, m, d)
		}
		return time.Date(y, time.Month(m), d, hour, minute, 0, 0, loc), nil
	}
	switch {
	case ref == "" || ref == "today":
		return date(y, int(mo), d)
	case ref == "yesterday":
		t, err := date(y, int(mo), d)
		return t.AddDate(0, 0, -1), err
	case ref == "tomorrow":
		t, err := date(y, int(mo), d)
		return t.AddDate(0, 0, 1), err
	case strings.Count(ref, "/") == 2:
		parts := strings.Split(ref, "/")
		m, err1 := strconv.Atoi(parts[0])
		dd, err2 := strconv.Atoi(parts[1])
		yy, err3 := strconv.Atoi(parts[2])
		if err1 != nil || err2 != nil || err3 != nil || yy < 0 || yy > 9999 {
			return time.Time{}, fmt.Errorf("bad date %q (want MM/DD/YY)", ref)
		}
		if yy < 1900 {
			yy += 1900
		}
		if yy < 1970 {
			yy += 100
		}
		return date(yy, m, dd)
	case len(ref) == 8 && digits(ref) == 8:
		return date(atoi(ref[:4]), atoi(ref[4:6]), atoi(ref[6:]))
	case len(ref) >= 3 && indexOf(monthNames, ref[:3]) >= 0:
		tail := ref[len(ref)-min(2, len(ref)):]
		if digits(tail) != len(tail) {
			tail = tail[1:]
		}
		if tail == "" || digits(tail) != len(tail) {
			return time.Time{}, fmt.Errorf("day of month required after month name in %q", ref)
		}
		return date(y, indexOf(monthNames, ref[:3])+1, atoi(tail))
	case len(ref) >= 3 && indexOf(weekdayNames, ref[:3]) >= 0:
		t, err := date(y, int(mo), d)
		back := (int(now.Weekday()) - indexOf(weekdayNames, ref[:3]) + 7) % 7
		return t.AddDate(0, 0, -back), err
	}
	return time.Time{}, fmt.Errorf("unknown day reference %q", ref)
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// ParseOffset parses a Graphite time offset such as -20min, +1h, 1h30min, 7d, 2w, 1mon (30 days), 1y (365
// days). Without a sign it is positive. Units are matched by prefix in Graphite's order: s, min, h, d, w, mon, y;
// a bare "m" is an error, as in graphite-web.
func ParseOffset(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	orig := s
	sign := time.Duration(1)
	switch s[0] {
	case '+':
		s = s[1:]
	case '-':
		sign, s = -1, s[1:]
	default:
		if s[0] < '0' || s[0] > '9' {
			return 0, fmt.Errorf("offset %q: invalid sign %q", orig, s[:1])
		}
	}
	if s == "" {
		return 0, fmt.Errorf("offset %q: invalid offset unit ''", orig)
	}
	var total time.Duration
	for s != "" {
		n := digits(s)
		if n == 0 || n > 9 {
			return 0, fmt.Errorf("offset %q: expected a number of at most 9 digits at %q", orig, s)
		}
		num := time.Duration(atoi(s[:n]))
		s = s[n:]
		u := 0
		for u < len(s) && (s[u] >= 'a' && s[u] <= 'z' || s[u] >= 'A' && s[u] <= 'Z') {
			u++
		}
		unit := strings.ToLower(s[:u])
		s = s[u:]
		var per time.Duration
		switch {
		case strings.HasPrefix(unit, "s"):
			per = time.Second
		case strings.HasPrefix(unit, "min"):
			per = time.Minute
		case strings.HasPrefix(unit, "h"):
			per = time.Hour
		case strings.HasPrefix(unit, "d"):
			per = 24 * time.Hour
		case strings.HasPrefix(unit, "w"):
			per = 7 * 24 * time.Hour
		case strings.HasPrefix(unit, "mon"):
			per = 30 * 24 * time.Hour
		case strings.HasPrefix(unit, "y"):
			per = 365 * 24 * time.Hour
		default:
			return 0, fmt.Errorf("offset %q: invalid offset unit %q", orig, unit)
		}
		if num > maxOffset/per {
			return 0, fmt.Errorf("offset %q: too large", orig)
		}
		total += num * per
		if total > maxOffset {
			return 0, fmt.Errorf("offset %q: too large", orig)
		}
	}
	return sign * total, nil
}

// parseInterval parses an interval argument such as "5min" or "1hour" (summarize, movingAverage): it must be
// positive.
func parseInterval(s string) (time.Duration, error) {
	d, err := ParseOffset(s)
	if err != nil {
		return 0, err
	}
	if d < 0 {
		d = -d
	}
	if d < time.Second {
		return 0, fmt.Errorf("interval %q: must be at least 1s", s)
	}
	return d, nil
}

// ParseEvery parses a refresh interval: a bare number is minutes (the Graphite CLI's `every N`), otherwise a
// Go duration (30s, 1m30s) or a Graphite offset (5min, 1h). 0 turns refreshing off.
func ParseEvery(s string) (time.Duration, error) {
	if s != "" && digits(s) == len(s) {
		if len(s) > 6 {
			return 0, fmt.Errorf("interval %q: too large", s)
		}
		return time.Duration(atoi(s)) * time.Minute, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			return 0, fmt.Errorf("interval %q: must not be negative", s)
		}
		return d, nil
	}
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		if d, err := ParseOffset(s); err == nil {
			return d, nil
		}
	}
	return 0, fmt.Errorf("interval %q: expected minutes (5) or a duration (30s, 5min, 1h)", s)
}

// TimeRange resolves a window's from/until ("" means the defaults) against now.
func TimeRange(from, until string, now time.Time) (time.Time, time.Time, error) {
	if from == "" {
		from = DefaultFrom
	}
	if until == "" {
		until = DefaultUntil
	}
	f, err := ParseTime(from, now)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("from: %w", err)
	}
	u, err := ParseTime(until, now)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("until: %w", err)
	}
	if !f.Before(u) {
		return time.Time{}, time.Time{}, fmt.Errorf("invalid empty time range: from %s is not before until %s", f.Format(time.RFC3339), u.Format(time.RFC3339))
	}
	return f, u, nil
}

package query_test

import (
	"testing"
	"time"

	"github.com/fleettop/fleettop/model/query"
)

func TestParseTime(t *testing.T) {
	loc := time.FixedZone("X", 3600)
	now := time.Date(2026, 11, 24, 22, 41, 18, 0, loc) // a Tuesday
	day := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	cases := []struct {
		in   string
		want time.Time
	}{
		{"now", now},
		{"", now},
		{"-20min", now.Add(-20 * time.Minute)},
		{"-20minutes", now.Add(-20 * time.Minute)},
		{"-1h", now.Add(-time.Hour)},
		{"-1h30min", now.Add(-90 * time.Minute)},
		{"-7d", now.Add(-7 * 24 * time.Hour)},
		{"-1w", now.Add(-7 * 24 * time.Hour)},
		{"-1mon", now.Add(-30 * 24 * time.Hour)},
		{"-1y", now.Add(-365 * 24 * time.Hour)},
		{"-30s", now.Add(-30 * time.Second)},
		{"now-1h", now.Add(-time.Hour)},
		{"now+1h", now.Add(time.Hour)},
		{"22:41_20261124", day(2026, 11, 24, 22, 41)},
		{"09:05_20250101", day(2025, 1, 1, 9, 5)},
		{"20261124", day(2026, 11, 24, 0, 0)},
		{"1795559478", time.Unix(1795559478, 0)},
		{"noon+yesterday", day(2026, 11, 23, 12, 0)},
		{"midnight", day(2026, 11, 24, 0, 0)},
		{"teatime", day(2026, 11, 24, 16, 0)},
		{"6pm", day(2026, 11, 24, 18, 0)},
		{"monday", day(2026, 11, 23, 0, 0)},
		{"tuesday", day(2026, 11, 24, 0, 0)},
		{"jan+1", day(2026, 1, 1, 0, 0)},
		{"12/31/25", day(2025, 12, 31, 0, 0)},
		{"midnight-1d", day(2026, 11, 23, 0, 0)},
	}
	for _, c := range cases {
		got, err := query.ParseTime(c.in, now)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("ParseTime(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	for _, bad := range []string{"-1m", "-5", "garbage", "20261131", "25:00_20261124", "-99999999999999h", "feb", "2/30/2025", "-1x"} {
		if got, err := query.ParseTime(bad, now); err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", bad, got)
		}
	}
}

func TestTimeRangeRejectsEmptyRange(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	if _, _, err := query.TimeRange("now", "now", now); err == nil {
		t.Fatal("from=now until=now accepted")
	}
	f, u, err := query.TimeRange("", "", now)
	if err != nil || u.Sub(f) != 24*time.Hour {
		t.Fatalf("defaults: %v %v %v", f, u, err)
	}
}

func TestParseEvery(t *testing.T) {
	for in, want := range map[string]time.Duration{"5": 5 * time.Minute, "0": 0, "30s": 30 * time.Second, "5min": 5 * time.Minute, "1h": time.Hour, "1m30s": 90 * time.Second} {
		got, err := query.ParseEvery(in)
		if err != nil || got != want {
			t.Errorf("ParseEvery(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-5", "soon", "9999999"} {
		if _, err := query.ParseEvery(bad); err == nil {
			t.Errorf("ParseEvery(%q) accepted", bad)
		}
	}
}

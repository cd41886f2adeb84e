package tree

import (
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "web01", "web01"},
		{"dash", "web-01", "web-01"},
		{"fqdn", "web01.example.com", "web01__example__com"},
		{"ipv4", "10.0.0.1", "10__0__0__1"},
		{"ipv6", "2001:db8::1", "2001_3Adb8_3A_3A1"},
		{"underscore", "user_id", "user_5Fid"},
		{"url path", "/api/v1?q=1", "_2Fapi_2Fv1_3Fq_3D1"},
		{"empty", "", "_"},
		{"space and glob", "a b*", "a_20b_2A"},
		{"utf8", "café", "caf_C3_A9"},
		{"nul", "\x00", "_00"},
		{"high byte", "\xff", "_FF"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Escape(c.in)
			if got != c.want {
				t.Fatalf("Escape(%q) = %q, want %q", c.in, got, c.want)
			}
			if string(AppendEscape([]byte("x."), []byte(c.in))) != "x."+c.want {
				t.Fatalf("AppendEscape(%q) disagrees with Escape", c.in)
			}
			back, err := Unescape(got)
			if err != nil || back != c.in {
				t.Fatalf("Unescape(%q) = %q, %v; want %q", got, back, err, c.in)
			}
		})
	}
}

func TestUnescapeRejects(t *testing.T) {
	cases := []struct{ name, in, why string }{
		{"empty element", "", "empty"},
		{"dot", "a.b", "not allowed"},
		{"cut short", "ab_4", "cut short"},
		{"trailing underscore", "ab_", "cut short"},
		{"lower-case hex", "_3a", "upper-case"},
		{"not hex", "_GG", "upper-case"},
		{"letter escaped", "_41", "written without"},
		{"dash escaped", "_2D", "written without"},
		{"dot escaped", "_2E", "written without"},
		{"space", "a b", "not allowed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Unescape(c.in)
			if err == nil {
				t.Fatalf("Unescape(%q) = %q, want an error", c.in, got)
			}
			if !strings.Contains(err.Error(), c.why) {
				t.Fatalf("Unescape(%q) error %q does not say %q", c.in, err, c.why)
			}
		})
	}
}

// FuzzEscape checks that escaping is reversible and yields a valid path element for any input.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "web01", "web01.example.com", "10.0.0.1", "fe80::1%eth0", "_", "__", "_2E",
		"/a/b?c=d&e", "\x00\xff", "café", "a.b_c-d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		if e == "" {
			t.Fatalf("Escape(%q) is empty", s)
		}
		for i := 0; i < len(e); i++ {
			if c := e[i]; !plain(c) && c != '_' {
				t.Fatalf("Escape(%q) = %q has %q", s, e, c)
			}
		}
		back, err := Unescape(e)
		if err != nil || back != s {
			t.Fatalf("Unescape(Escape(%q)) = %q, %v", s, back, err)
		}
	})
}

// FuzzUnescape checks that Unescape never panics and accepts only what Escape writes, so two different
// elements never name the same string.
func FuzzUnescape(f *testing.F) {
	for _, s := range []string{"", "_", "__", "___", "_2F", "_2f", "_41", "web01__example__com", "a_", "_C3_A9",
		"a.b", "_5F_5F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, e string) {
		s, err := Unescape(e)
		if err != nil {
			return
		}
		if again := Escape(s); again != e {
			t.Fatalf("Unescape(%q) = %q, which escapes to %q", e, s, again)
		}
	})
}
